// The C baseline for callconsult-bench: libxml2 called directly, the fastest ways found, with the
// same work CallConsultKit does (parse, validate against the compiled schema, take the values).
#ifndef CLIBXML2_BASELINE_H
#define CLIBXML2_BASELINE_H

#include <stddef.h>

/// A compiled schema, shared read-only by all states.
typedef struct ccb_schema ccb_schema;
/// One thread's reusable libxml2 contexts.
typedef struct ccb_state ccb_state;

/// Compiles a schema (with no includes left) from memory; NULL on failure.
ccb_schema *ccb_schema_compile(const char *xsd, int length);
void ccb_schema_free(ccb_schema *schema);

ccb_state *ccb_state_new(ccb_schema *schema);
void ccb_state_free(ccb_state *state);

/// xmlReadMemory + xmlSchemaValidateDoc with a reused validation context. 0 when valid.
int ccb_validate_tree(ccb_state *state, const char *body, int length);
/// xmlTextReader reused through xmlReaderNewMemory, validating with the schema. 0 when valid.
int ccb_validate_reader(ccb_state *state, const char *body, int length);
/// SAX2 with the schema plugged into the stream (no tree), reused parser and validation
/// contexts, the call_consult attributes copied out. 0 when valid.
int ccb_validate_sax(ccb_state *state, const char *body, int length);

/// The conversation_id the last ccb_validate_sax call copied out (to keep the work honest).
const char *ccb_last_conversation_id(ccb_state *state);

/// Counting of malloc/calloc/realloc calls in this process (glibc only): enable, read, disable.
/// Returns 0 where counting is not available.
int ccb_malloc_counting_available(void);
void ccb_malloc_counting(int enabled);
unsigned long long ccb_malloc_count(void);

/// libxml2's version, e.g. "20914".
const char *ccb_libxml2_version(void);

#endif
