// The one C header CallConsultKit sees of libxml2.
//
// Debian's libxml2 is built with ICU, and <libxml/encoding.h> then includes ICU's headers,
// whose `UErrorCode` clashes with the ICU module Foundation brings along. libxml2's public
// API does not need ICU's types, so the feature macro is dropped before anything else.
#ifndef CALLCONSULTKIT_CLIBXML2_SHIM_H
#define CALLCONSULTKIT_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/globals.h>
#include <libxml/dict.h>
#include <string.h>

// What differs between the libxml2 lines this package supports (2.9.14 to 2.15) is settled here,
// behind LIBXML_VERSION, and nowhere else: Swift and the C baseline call the helpers below.

/// The error a structured error handler (`xmlStructuredErrorFunc`) receives: `const xmlError *`
/// since libxml2 2.12, `xmlError *` before.
#if LIBXML_VERSION >= 21200
typedef const xmlError *ccx_error_ref;
#else
typedef xmlError *ccx_error_ref;
#endif

/// Whether the parser's own errors go to a handler set on the parser (libxml2 2.13 and later:
/// `xmlCtxtSetErrorHandler`), so that nothing of the thread's needs borrowing while it parses.
#if LIBXML_VERSION >= 21300
#define CCX_PARSER_ERROR_HANDLER 1
#else
#define CCX_PARSER_ERROR_HANDLER 0
#endif

/// libxml2's error channels of the calling thread, as they were before a call borrowed them, and
/// where they live (libxml2 keeps them per thread; finding them costs a thread-state lookup).
typedef struct {
    xmlStructuredErrorFunc structured;
    void *structuredContext;
    xmlGenericErrorFunc generic;
    void *genericContext;
    xmlStructuredErrorFunc *structuredSlot;
    void **structuredContextSlot;
    xmlGenericErrorFunc *genericSlot;
    void **genericContextSlot;
} ccx_error_channels;

static void ccx_discard_generic(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

/// Where the calling thread's libxml2 error channels live. Finding them costs a thread-state
/// lookup per channel; they stay where they are for the thread's lifetime, so a caller that stays
/// on one thread may find them once.
typedef struct {
    xmlStructuredErrorFunc *structured;
    void **structuredContext;
    xmlGenericErrorFunc *generic;
    void **genericContext;
} ccx_error_slots;

static inline ccx_error_slots ccx_current_error_slots(void) {
    ccx_error_slots slots;
    slots.structured = &xmlStructuredError;
    slots.structuredContext = &xmlStructuredErrorContext;
    slots.generic = &xmlGenericError;
    slots.genericContext = &xmlGenericErrorContext;
    return slots;
}

/// The error channels that live at `slots`, with where they live.
static inline ccx_error_channels ccx_error_channels_at(ccx_error_slots slots) {
    ccx_error_channels channels;
    channels.structuredSlot = slots.structured;
    channels.structuredContextSlot = slots.structuredContext;
    channels.genericSlot = slots.generic;
    channels.genericContextSlot = slots.genericContext;
    channels.structured = *slots.structured;
    channels.structuredContext = *slots.structuredContext;
    channels.generic = *slots.generic;
    channels.genericContext = *slots.genericContext;
    return channels;
}

/// Routes the errors of the thread that owns `slots` to `handler` (and discards unstructured
/// ones) until `ccx_restore_error_channels` is called with what this returned. Nothing is printed.
static inline ccx_error_channels ccx_borrow_error_channels_at(ccx_error_slots slots, xmlStructuredErrorFunc handler, void *context) {
    ccx_error_channels saved = ccx_error_channels_at(slots);
    *slots.structured = handler;
    *slots.structuredContext = context;
    *slots.generic = ccx_discard_generic;
    *slots.genericContext = NULL;
    return saved;
}

/// Routes the calling thread's libxml2 errors to `handler` (and discards unstructured ones)
/// until `ccx_restore_error_channels` is called with what this returned. Nothing is printed.
static inline ccx_error_channels ccx_borrow_error_channels(xmlStructuredErrorFunc handler, void *context) {
    return ccx_borrow_error_channels_at(ccx_current_error_slots(), handler, context);
}

/// Puts back the calling thread's error channels exactly as `ccx_borrow_error_channels` found
/// them. Must run on the thread that borrowed them.
static inline void ccx_restore_error_channels(ccx_error_channels saved) {
    if (saved.structuredSlot == NULL) return;  // nothing was borrowed
    *saved.structuredSlot = saved.structured;
    *saved.structuredContextSlot = saved.structuredContext;
    *saved.genericSlot = saved.generic;
    *saved.genericContextSlot = saved.genericContext;
}

/// For one parse by a parser set up with `ccx_route_parser_errors`: borrows the error channels at
/// `slots` (see `ccx_borrow_error_channels_at`) where libxml2 has no handler on the parser (before
/// 2.13), and leaves them alone where it has. Undo with `ccx_restore_error_channels`.
static inline ccx_error_channels ccx_borrow_parse_error_channels(ccx_error_slots slots, xmlStructuredErrorFunc handler, void *context) {
#if CCX_PARSER_ERROR_HANDLER
    (void)slots;
    (void)handler;
    (void)context;
    ccx_error_channels untouched;
    memset(&untouched, 0, sizeof untouched);
    return untouched;
#else
    return ccx_borrow_error_channels_at(slots, handler, context);
#endif
}

/// The calling thread's current error channels (for tests that prove they are left alone).
static inline ccx_error_channels ccx_current_error_channels(void) {
    return ccx_error_channels_at(ccx_current_error_slots());
}

/// The version of the libxml2 the process runs on, e.g. "21504" (`LIBXML_VERSION` is the one of
/// the headers it was compiled with).
static inline const char *ccx_running_version(void) {
    return xmlParserVersion;
}

#if defined(__GLIBC__)
void *memrchr(const void *s, int c, size_t n);  // a GNU extension glibc always exports
#endif

/// The last `byte` among the `count` bytes at `base`, or NULL.
static inline const unsigned char *ccx_last_byte(const unsigned char *base, size_t count, unsigned char byte) {
#if defined(__GLIBC__)
    return (const unsigned char *)memrchr(base, byte, count);
#else
    while (count > 0) {
        count--;
        if (base[count] == byte) return base + count;
    }
    return NULL;
#endif
}

/// Plugs `validator` into the SAX stream of `parser`, so that the document is validated while it
/// is parsed, without a tree. Undo with `xmlSchemaSAXUnplug`.
static inline xmlSchemaSAXPlugPtr ccx_plug_validator(xmlSchemaValidCtxtPtr validator, xmlParserCtxtPtr parser) {
    return xmlSchemaSAXPlug(validator, &parser->sax, &parser->userData);
}

/// From inside a SAX callback: the parser delivers no further SAX events. libxml2 2.9's
/// xmlStopParser would free the input the plugged schema validator still reads, so before 2.15 the
/// events are switched off instead (`disableSAX`, deprecated in 2.15); since 2.15 xmlStopParser
/// only marks the parser stopped, which is what it is for. Either way the caller also stops the
/// parser once the current chunk is done.
static inline void ccx_stop_events(xmlParserCtxtPtr ctxt) {
#if LIBXML_VERSION >= 21500
    xmlStopParser(ctxt);
#else
    ctxt->disableSAX = 1;
#endif
}

/// Sets the parser's options (replacing the ones it had): `xmlCtxtSetOptions` since libxml2 2.13,
/// which deprecates `xmlCtxtUseOptions`.
static inline int ccx_set_options(xmlParserCtxtPtr ctxt, int options) {
#if LIBXML_VERSION >= 21300
    return xmlCtxtSetOptions(ctxt, options);
#else
    return xmlCtxtUseOptions(ctxt, options);
#endif
}

/// Whether the document the parser read was well-formed, namespaces included
/// (`xmlCtxtGetStatus` since libxml2 2.14, which deprecates reading `wellFormed`).
static inline int ccx_well_formed(xmlParserCtxtPtr ctxt) {
#if LIBXML_VERSION >= 21400
    return (xmlCtxtGetStatus(ctxt) & (XML_STATUS_NOT_WELL_FORMED | XML_STATUS_NOT_NS_WELL_FORMED)) == 0;
#else
    return ctxt->wellFormed != 0 && ctxt->nsWellFormed != 0;
#endif
}

/// The parser's SAX handler block (`xmlCtxtGetSaxHandler` since libxml2 2.14).
static inline xmlSAXHandlerPtr ccx_sax_handler(xmlParserCtxtPtr ctxt) {
#if LIBXML_VERSION >= 21400
    return xmlCtxtGetSaxHandler(ctxt);
#else
    return ctxt->sax;
#endif
}

/// The parser's dictionary (`xmlCtxtGetDict` since libxml2 2.14).
static inline xmlDictPtr ccx_dict(xmlParserCtxtPtr ctxt) {
#if LIBXML_VERSION >= 21400
    return xmlCtxtGetDict(ctxt);
#else
    return ctxt->dict;
#endif
}

/// Sends the parser's errors to `handler` for every document it reads, where libxml2 can
/// (2.13 and later); before 2.13 this does nothing and `ccx_borrow_parse_error_channels` routes them.
static inline void ccx_route_parser_errors(xmlParserCtxtPtr ctxt, xmlStructuredErrorFunc handler, void *context) {
#if CCX_PARSER_ERROR_HANDLER
    xmlCtxtSetErrorHandler(ctxt, handler, context);
#else
    (void)ctxt;
    (void)handler;
    (void)context;
#endif
}

/// Where the element's name begins in a schema validity message `Element 'name': …`, past the
/// `{uri}` libxml2 writes before the local name of a namespaced element; NULL when the message does
/// not start so. The name ends at the next `'`.
static inline const unsigned char *ccx_message_element_name(const char *message) {
    if (strncmp(message, "Element '", 9) != 0) return NULL;
    const char *name = message + 9;
    if (*name == '{') {
        const char *close = strchr(name, '}');
        if (close == NULL) return NULL;
        name = close + 1;
    }
    return (const unsigned char *)name;
}

#endif
