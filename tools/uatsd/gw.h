/*
 * tools/uatsd/gw.h: what the parts of uatsd share. The server (server.c)
 * parses a request, checks the gateway API key, finds the route and calls
 * its handler; handlers (routes_*.c, one file per API shape) translate
 * between their API's shape and the core calls and fill a response.
 *
 * Threads: handlers run on the server's worker threads, many at once.
 * Everything reachable from a gw_req is either per-request or thread-safe.
 */
#ifndef UATS_GW_H
#define UATS_GW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <uats/uats.h>

#include "store.h"

typedef struct gw gw;
typedef struct gw_link gw_link;

/* One API shape (native, Panora, Kombo, ...): how its errors look. */
typedef struct gw_family {
    const char *name;  /* "native", "panora", ... (access log) */
    /* The JSON error body for status, a short code ("UNKNOWN_CONNECTION",
     * a uats_code_name), a message for people, and err when a core call
     * failed (else NULL). New reference. */
    json_t *(*error_body)(int status, const char *code, const char *message,
                          const uats_error *err);
} gw_family;

typedef struct gw_req {
    gw *gw;
    void *mhd;                  /* struct MHD_Connection * */
    const char *method;         /* "GET", "POST", ... */
    const char *path;           /* without the query */
    const char *params[4];      /* the {captures} of the route pattern, in order */
    size_t nparams;
    const char *body;           /* NUL-terminated; body_len bytes */
    size_t body_len;
    const gw_family *family;    /* of the route taken */
    char request_id[33];
    char connection[64];        /* name of the connection used (access log), or "" */
} gw_req;

typedef struct gw_resp {
    int status;
    json_t *body;               /* taken by the server; NULL: no body */
    char location[512];         /* Location header when non-empty */
    long retry_after;           /* Retry-After header (seconds) when > 0 */
    bool replayed;              /* Idempotent-Replayed: true */
    bool challenge;             /* WWW-Authenticate: the gateway key was refused */
    char allow[40];             /* Allow header (405) when non-empty */
} gw_resp;

typedef void gw_handler(gw_req *r, gw_resp *out);

typedef struct gw_route {
    const char *method;
    const char *pattern;        /* "/ats/v1/candidates/{}": {} matches one segment */
    gw_handler *handler;
    const gw_family *family;
} gw_route;

/* Route tables, each ended by a {NULL} entry. */
extern const gw_route gw_native_routes[];
extern const gw_route gw_panora_routes[];
extern const gw_route gw_kombo_routes[];
extern const gw_route gw_truto_routes[];
extern const gw_route gw_merge_routes[];   /* Merge and Bindbee */

extern const gw_family gw_native_family;

/* Request accessors. Strings are borrowed for the request's lifetime.
 * Header names are case-insensitive; NULL when absent. */
const char *gw_header(const gw_req *r, const char *name);
const char *gw_query(const gw_req *r, const char *name);
/* A query flag: "true" or "1" (any case) is true, absent is false. */
bool gw_query_flag(const gw_req *r, const char *name);

/* The request body as JSON (new reference), or NULL after filling out
 * with a 400 in the family's shape (malformed JSON, not an object). */
json_t *gw_body_json(gw_req *r, gw_resp *out);

/*
 * The connection that a client's token names (the value of X-Account-Token,
 * X-Integration-Id, ...). NULL after filling out with the family's error:
 * 400 when token is NULL or empty (header names the header to mention),
 * 401 when no connection has this token, 503 when the store cannot be
 * read, 500 when the stored configuration does not open. Release with gw_link_release.
 */
gw_link *gw_link_get(gw_req *r, const char *token, const char *header, gw_resp *out);
void gw_link_release(gw_link *l);
uats_conn *gw_link_conn(const gw_link *l);
const char *gw_link_connector(const gw_link *l);  /* "lever" */

/* Fill out with an error in the request's family shape. err: NULL unless a
 * core call failed (then status may be 0: the status for err->code). */
void gw_fail(gw_req *r, gw_resp *out, int status, const char *code, const char *message,
             const uats_error *err);
/* A uats_code's name without its prefix ("NOT_FOUND"): the error codes
 * the gateway's answers carry. Borrowed: static. */
const char *gw_code_name(uats_code code);
/* The HTTP status for a failed core call. */
int gw_status_for(uats_code code);

/*
 * Idempotency-Key on writes. A client that sends the header gets, for a
 * retry with the same key on the same connection, the first request's
 * answer instead of a second write, whichever instance serves it.
 *
 *     gw_idem idem;
 *     if (!gw_idem_begin(r, link, &idem, out))
 *         return;                      // out holds the answer already
 *     code = uats_candidate_create(...); ... fill out ...
 *     gw_idem_end(r, &idem, code, out);
 *
 * gw_idem_begin answers (returns false) with the stored answer (a replay),
 * 409 when the first request is still running, 422 when the key was used
 * for a different request, 400 for a malformed key, 503 when the store
 * fails. gw_idem_end records out (success, or an outcome that may have
 * taken effect), or releases the key when code says nothing was written.
 */
typedef struct gw_idem {
    bool active;
    char scope[65], key_hash[65];
} gw_idem;
bool gw_idem_begin(gw_req *r, const gw_link *l, gw_idem *idem, gw_resp *out);
void gw_idem_end(gw_req *r, gw_idem *idem, uats_code code, const gw_resp *out);
const char *gw_link_token_hash(const gw_link *l);

/* Helpers for translating request shapes. Each returns a new reference. */
json_t *gw_unified_json(const uats_object *obj, bool remote_data);

#endif
