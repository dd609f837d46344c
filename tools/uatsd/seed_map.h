/*
 * tools/uatsd/seed_map.h: what the routes of the hosted APIs' shapes
 * (Panora, Truto) share when they translate to and from the unified model.
 * Internal to uatsd.
 *
 * A translation collects two things besides the unified document: the
 * warnings for input the unified model cannot express (never a silent
 * drop), and a table that names unified fields in the API's own words, so
 * that errors and the connector's warnings point at what the client sent.
 */
#ifndef UATS_GW_SEED_MAP_H
#define UATS_GW_SEED_MAP_H

#include <stdarg.h>

#include "gw.h"

/* One renaming of a unified JSON path into an API's path. "[]" stands for
 * any index, copied over in order: {"email_addresses[].value",
 * "emails[].email"} turns "email_addresses[2].value" into "emails[2].email".
 * A pattern matches a whole path or its start up to a '.' or '['; the rest
 * is kept. Tables end with {NULL}; the first match wins, so longer
 * patterns go first. */
typedef struct seed_rename {
    const char *unified;
    const char *api;
} seed_rename;

/* unified_path in the API's words, into out (always NUL-terminated). */
void seed_path(const seed_rename *table, const char *unified_path, char *out, size_t size);

/* A translation in progress. */
typedef struct seed_tx {
    json_t *unified;    /* the create input being built */
    json_t *warnings;   /* [{field, message}] in the API's words */
    int status;         /* 0 while fine; 400 or 503 once failed */
    char why[256];      /* the failure, for people */
} seed_tx;

/* 0, or -1 when out of memory (tx->status is then set). */
int seed_tx_init(seed_tx *tx);
void seed_tx_clear(seed_tx *tx);

/* Record a warning on the API field `field`. Returns tx->status == 0. */
bool seed_warn(seed_tx *tx, const char *field, const char *fmt, ...)
    UATS_PRINTF(3, 4);
/* Fail the translation with 400 (a request the API's shape refuses). */
bool seed_refuse(seed_tx *tx, const char *fmt, ...) UATS_PRINTF(2, 3);
/* Fail with 503: out of memory. Returns false. */
bool seed_nomem(seed_tx *tx);

/* Set key of tx->unified (or of obj when given) to value, taken. */
bool seed_set(seed_tx *tx, json_t *obj, const char *key, json_t *value);
/* Copy the API's key src_key of src (when present and not null) to key
 * dst_key of dst, unchanged: the core's schema check judges its type. */
bool seed_copy(seed_tx *tx, const json_t *src, const char *src_key, json_t *dst,
               const char *dst_key);

/*
 * The API's list of typed values (src[src_key], objects with a value key and
 * a type key) as the unified list dst_key of tx->unified, whose types are
 * those of field (UATS_F_EMAIL_ADDRESSES, ...). A type the unified model
 * does not know (case-insensitive) is a warning and left out; other keys
 * of an entry are warnings. With strings_ok, an entry may also be a plain
 * string (the value without a type).
 */
bool seed_typed_in(seed_tx *tx, const json_t *src, const char *src_key, const char *value_key,
                   const char *type_key, uats_field field, const char *dst_key,
                   bool strings_ok);

/* The unified typed list (borrowed, may be NULL) as the API's entries:
 * {value_key: value, type_key: type}; with lower, the type in lower case.
 * New reference; NULL when out of memory. */
json_t *seed_typed_out(const json_t *list, const char *value_key, const char *type_key,
                       bool lower);

/* The unified name of an API's type word for field (any case: "mobile" is
 * MOBILE), or NULL when the unified model has no such type. Static. */
const char *seed_known_type(uats_field field, const char *word);

/* Keys of src not in known[] (NULL-ended): one warning each, on
 * prefix + key. */
bool seed_warn_unknown(seed_tx *tx, const json_t *src, const char *const known[],
                       const char *prefix, const char *why);

/* The file_name of the API's file item, copied to entry; when it has none
 * and the file is given by url, the URL's last path segment (without query
 * or fragment), else "attachment". */
bool seed_file_name_in(seed_tx *tx, const json_t *item, const char *url, json_t *entry);

/*
 * Run the create: read tx->unified as a create input, create the candidate
 * through l, and return it (new: uats_object_free) with the connector's
 * warnings appended to tx->warnings, renamed by table. NULL after filling
 * out with the family's error (input errors name the API's field). *code
 * is the core's result (for gw_idem_end).
 */
uats_object *seed_create(gw_req *r, gw_resp *out, gw_link *l, seed_tx *tx, uats_code *code,
                         const seed_rename *table);

/* Get the candidate id through l. NULL after filling out. */
uats_object *seed_get(gw_req *r, gw_resp *out, gw_link *l, const char *id);

/* Fill out with tx's failure in the request's family shape. */
void seed_fail(gw_req *r, gw_resp *out, const seed_tx *tx);

/* Answer status with body (taken; NULL: out of memory) and, when there are
 * any, the warnings (borrowed) under "warnings": the hosted APIs have no
 * such field, so it is an extra key their clients ignore. */
void seed_answer(gw_req *r, gw_resp *out, int status, json_t *body, const json_t *warnings);

/* The message of an error body: message (else err's text) and, when the
 * vendor said something of its own, what it said. */
void seed_error_text(const char *message, const uats_error *err, char *out, size_t size);

/* The short code of an error body: "NOT_FOUND" for "UATS_E_NOT_FOUND", as
 * the native API names them; "ERROR" for NULL. Static or borrowed. */
const char *seed_code(const char *code);

/* The time now as ISO 8601 UTC with milliseconds, into out[32]. */
void seed_now_iso(char out[32]);

#endif
