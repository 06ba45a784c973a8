#include "CLibXML2Baseline.h"

#include "../../../Sources/CLibXML2/shim.h"  // the root package's CLibXML2 shim: libxml2's headers without ICU, and what differs between versions
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

struct ccb_schema {
    xmlSchemaPtr schema;
};

/// One error, kept the way a decoder that reports errors must keep it.
typedef struct {
    char *message;
    int line;
    int column;
} ccb_issue;

struct ccb_state {
    ccb_issue issues[64];
    int issue_count;
    xmlSchemaValidCtxtPtr validator;
    xmlParserCtxtPtr parser;
    xmlTextReaderPtr reader;
    int depth;
    char *conversation_id;
    char *to_number;
    char *operator_id;
};

static void silent(void *context, ccx_error_ref error) {
    (void)context;
    (void)error;
}

/// Keeps each error (message, line, column), as CallConsultKit does, so that invalid documents
/// cost both sides the same work.
static void collect(void *context, ccx_error_ref error) {
    ccb_state *state = context;
    if (state == NULL || error == NULL || error->level == XML_ERR_WARNING || state->issue_count >= 64) return;
    ccb_issue *issue = &state->issues[state->issue_count++];
    issue->message = strdup(error->message != NULL ? error->message : "");
    issue->line = error->line;
    issue->column = error->int2;
}

static void forget_issues(ccb_state *state) {
    for (int i = 0; i < state->issue_count; i++) free(state->issues[i].message);
    state->issue_count = 0;
}

ccb_schema *ccb_schema_compile(const char *xsd, int length) {
    xmlInitParser();
    xmlSchemaParserCtxtPtr context = xmlSchemaNewMemParserCtxt(xsd, length);
    if (context == NULL) return NULL;
    xmlSchemaSetParserStructuredErrors(context, silent, NULL);
    xmlSchemaPtr compiled = xmlSchemaParse(context);
    xmlSchemaFreeParserCtxt(context);
    if (compiled == NULL) return NULL;
    ccb_schema *schema = malloc(sizeof *schema);
    schema->schema = compiled;
    return schema;
}

void ccb_schema_free(ccb_schema *schema) {
    xmlSchemaFree(schema->schema);
    free(schema);
}

/// Hands a value out the way a decoder must: in memory of its own (the previous one is freed).
static void copy_value(char **target, const xmlChar *start, const xmlChar *end) {
    free(*target);
    *target = strndup((const char *)start, (size_t)(end - start));
}

static void on_start(void *context, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes) {
    (void)prefix; (void)nb_namespaces; (void)namespaces; (void)nb_defaulted;
    ccb_state *state = context;
    state->depth += 1;
    if (state->depth != 3 || uri != NULL || strcmp((const char *)localname, "call_consult") != 0) return;
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar **a = attributes + 5 * i;
        if (a[2] != NULL) continue;
        if (strcmp((const char *)a[0], "conversation_id") == 0) copy_value(&state->conversation_id, a[3], a[4]);
        else if (strcmp((const char *)a[0], "to_number") == 0) copy_value(&state->to_number, a[3], a[4]);
        else if (strcmp((const char *)a[0], "operator_id") == 0) copy_value(&state->operator_id, a[3], a[4]);
    }
}

static void on_end(void *context, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    (void)localname; (void)prefix; (void)uri;
    ((ccb_state *)context)->depth -= 1;
}

ccb_state *ccb_state_new(ccb_schema *schema) {
    ccb_state *state = calloc(1, sizeof *state);
    state->validator = xmlSchemaNewValidCtxt(schema->schema);
    xmlSchemaSetValidStructuredErrors(state->validator, collect, state);
    state->parser = xmlNewParserCtxt();
    xmlSAXHandlerPtr sax = ccx_sax_handler(state->parser);
    memset(sax, 0, sizeof(xmlSAXHandler));
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = on_start;
    sax->endElementNs = on_end;
    ccx_route_parser_errors(state->parser, collect, state);
    return state;
}

void ccb_state_free(ccb_state *state) {
    forget_issues(state);
    if (state->reader != NULL) xmlFreeTextReader(state->reader);
    free(state->conversation_id);
    free(state->to_number);
    free(state->operator_id);
    xmlFreeParserCtxt(state->parser);
    xmlSchemaFreeValidCtxt(state->validator);
    free(state);
}

int ccb_validate_tree(ccb_state *state, const char *body, int length) {
    forget_issues(state);
    xmlStructuredErrorFunc saved = xmlStructuredError;
    void *savedContext = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(state, collect);
    xmlDocPtr document = xmlReadMemory(body, length, NULL, NULL, XML_PARSE_NONET);
    int result = -1;
    if (document != NULL) {
        result = xmlSchemaValidateDoc(state->validator, document);
        xmlFreeDoc(document);
    }
    xmlSetStructuredErrorFunc(savedContext, saved);
    return result;
}

int ccb_validate_reader(ccb_state *state, const char *body, int length) {
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    if (state->reader == NULL) {
        state->reader = xmlReaderForMemory(body, length, NULL, NULL, options);
    } else if (xmlReaderNewMemory(state->reader, body, length, NULL, NULL, options) != 0) {
        return -1;
    }
    forget_issues(state);
    xmlTextReaderSetStructuredErrorHandler(state->reader, collect, state);
    if (xmlTextReaderSchemaValidateCtxt(state->reader, state->validator, 0) != 0) return -1;
    int status;
    while ((status = xmlTextReaderRead(state->reader)) == 1) {
    }
    int valid = xmlTextReaderIsValid(state->reader);
    return (status == 0 && valid == 1) ? 0 : 1;
}

int ccb_validate_sax(ccb_state *state, const char *body, int length) {
    xmlParserCtxtPtr parser = state->parser;
    state->depth = 0;
    forget_issues(state);
    // Parser errors reach `collect` as in CallConsultKit: through the handler set on the parser
    // (libxml2 2.13 and later), else through the thread's structured channel, borrowed for the
    // parse (the plug stands in the parser's user data).
    ccx_error_channels saved = ccx_borrow_parse_error_channels(ccx_current_error_slots(), collect, state);
    // The push parser, fed everything at once: the pull parser's GROW checks cost more on
    // small documents.
    int head = length < 4 ? length : 4;
    if (xmlCtxtResetPush(parser, body, head, NULL, NULL) != 0) {
        ccx_restore_error_channels(saved);
        return -1;
    }
    ccx_set_options(parser, XML_PARSE_NONET | XML_PARSE_NOENT);
    parser->userData = state;
    xmlSchemaSAXPlugPtr plug = ccx_plug_validator(state->validator, parser);
    if (plug == NULL) {
        ccx_restore_error_channels(saved);
        return -1;
    }
    xmlParseChunk(parser, body + head, length - head, 1);
    int valid = xmlSchemaIsValid(state->validator);
    xmlSchemaSAXUnplug(plug);
    int wellFormed = ccx_well_formed(parser);
    xmlCtxtReset(parser);
    ccx_restore_error_channels(saved);
    return (wellFormed && valid == 1) ? 0 : 1;
}

const char *ccb_libxml2_version(void) {
    return xmlParserVersion;
}

const char *ccb_last_conversation_id(ccb_state *state) {
    return state->conversation_id != NULL ? state->conversation_id : "";
}

#if defined(__linux__) && defined(__GLIBC__)
// Interposes malloc, calloc and realloc for the whole process (the executable's definitions come
// first) and forwards to glibc's own. Counting costs one relaxed load while disabled.
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static int counting;
static unsigned long long counted;

void *malloc(size_t size) {
    if (__atomic_load_n(&counting, __ATOMIC_RELAXED)) __atomic_fetch_add(&counted, 1, __ATOMIC_RELAXED);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    if (__atomic_load_n(&counting, __ATOMIC_RELAXED)) __atomic_fetch_add(&counted, 1, __ATOMIC_RELAXED);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    if (__atomic_load_n(&counting, __ATOMIC_RELAXED)) __atomic_fetch_add(&counted, 1, __ATOMIC_RELAXED);
    return __libc_realloc(pointer, size);
}

int ccb_malloc_counting_available(void) { return 1; }
void ccb_malloc_counting(int enabled) { __atomic_store_n(&counting, enabled, __ATOMIC_SEQ_CST); }
unsigned long long ccb_malloc_count(void) { return __atomic_load_n(&counted, __ATOMIC_SEQ_CST); }
#else
int ccb_malloc_counting_available(void) { return 0; }
void ccb_malloc_counting(int enabled) { (void)enabled; }
unsigned long long ccb_malloc_count(void) { return 0; }
#endif
