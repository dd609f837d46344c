/*
 * core/internal.h: declarations shared by libuats' own files. Nothing here
 * is exported (the library exports only uats_* symbols from the public
 * headers; see core/Makefile.am).
 */
#ifndef UATS_INTERNAL_H
#define UATS_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>

#include "uats/uats.h"
#include "uats/connector.h"

/* ---- allocation (alloc.c): every core allocation goes through here so a
 * test build can fail the Nth one. ---- */
void *uats__malloc(size_t n);
void *uats__calloc(size_t n, size_t size);
void *uats__realloc(void *p, size_t n);
char *uats__strdup(const char *s);
char *uats__strndup(const char *s, size_t n);
void uats__free_mem(void *p);
/* Allocation failures so far on this thread, jansson's included (alloc.c). */
unsigned long uats__alloc_failures(void);

/* ---- errors (errors.c) ---- */
/* Whether a failed jansson load failed for lack of memory: jansson says so,
 * or (when its lexer cannot even start) leaves the error text empty. */
bool uats__json_oom(const json_error_t *jerr);
/* json_loadb, robust to jansson mislabelling allocation failures. */
json_t *uats__json_loadb(const char *text, size_t len, size_t flags, json_error_t *jerr);
void uats__err_clear(uats_error *err);
/* Fill err (may be NULL) and return code. Message is printf-style. */
uats_code uats__err_set(uats_error *err, uats_code code, const char *fmt, ...)
    UATS_PRINTF(3, 4);
uats_code uats__err_setv(uats_error *err, uats_code code, const char *fmt,
                         va_list ap) UATS_PRINTF(3, 0);
/* Copy src into a fixed-size buffer, truncating on a UTF-8 boundary. */
void uats__copy_str(char *dst, size_t size, const char *src);

/* ---- schema (schema.c, validate.c) ---- */
typedef enum node_type {
    N_STRING, N_DATE, N_DATETIME, N_ENUM, N_COUNTRY, N_CURRENCY, N_BASE64,
    N_BOOL, N_INT, N_NUMBER,
    N_OBJECT,  /* fixed keys: children, ends with name == NULL */
    N_LIST,    /* children[0] describes each element */
    N_MAP,     /* any JSON object, kept as is (passthrough) */
    N_ANY,     /* any JSON value but null, kept as is */
    N_UNION    /* whichever of the two children accepts the value's JSON type */
} node_type;

#define NF_REQUIRED 0x1u

typedef struct schema_node schema_node;
struct schema_node {
    const char *name;
    node_type type;
    unsigned flags;
    const schema_node *children;
    const char *const *enums;  /* N_ENUM: names, NULL-terminated; index+1 = C value */
    /* N_OBJECT: checks across keys, run after the keys are valid. */
    uats_code (*rule)(const json_t *obj, const char *path, uats_error *err);
};

const schema_node *uats__schema_root(uats_kind kind);
/* The node at a dotted path below root, or NULL. */
const schema_node *uats__schema_find(const schema_node *root, const char *path);

/* Validate `in` against node and build its canonical copy in *out (new):
 * nulls dropped, object keys in schema order. path is the JSON path of in
 * ("" for the root). */
uats_code uats__validate(const schema_node *node, const json_t *in,
                         const char *path, json_t **out, uats_error *err);

/* The same, sharing leaves and passthrough values with `in` instead of
 * copying them: only for JSON nobody will modify (the core's own, or a
 * connector's result, which it gave up). Path "". */
uats_code uats__validate_shared(const schema_node *node, const json_t *in, json_t **out,
                                uats_error *err);

/* The canonical copy of an object that may still be incomplete (required
 * keys and rules across keys not checked): for output. */
uats_code uats__canonical(const schema_node *node, const json_t *in, json_t **out);

/* Format checks shared with the host services. */
bool uats__is_date(const char *s);
bool uats__is_datetime(const char *s);
bool uats__is_base64(const char *s, size_t len);

/* ---- objects (object.c) ---- */
struct uats_object {
    uats_kind kind;
    json_t *root;  /* always valid against uats__schema_root(kind) */
    bool ordered;  /* root's keys are in schema order, as uats__validate leaves
                      them: uats_object_to_json copies instead of rebuilding.
                      Setters that may add a key clear it. */
};
/* Wrap root (taken) without checking it: for JSON that was just validated.
 * ordered: root came from uats__validate and was not reordered since. */
uats_object *uats__object_wrap(uats_kind kind, json_t *root, bool ordered);

/* ---- base64 and time (codec.c) ---- */
char *uats__base64_encode(const void *data, size_t len);  /* new */
/* Decode; NULL when invalid (*len untouched) or out of memory. */
void *uats__base64_decode(const char *s, size_t slen, size_t *len);
uats_code uats__time_from_epoch_ms(int64_t ms, char out[UATS_TIME_SIZE]);
void uats__now_iso(char out[UATS_TIME_SIZE]);
/* An ISO 8601 / RFC 3339 date-time with "Z" or a +hh:mm offset and an
 * optional fraction (milliseconds kept) as Unix milliseconds. False when it
 * is not one. */
bool uats__time_parse(const char *s, int64_t *epoch_ms);
/* The same text in the unified form (UTC, "Z"): the host service. */
uats_code uats__time_normalize(const char *text, char out[UATS_TIME_SIZE]);

/* ---- warnings (warnings.c) ---- */
uats_warnings *uats__warnings_new(void);
uats_code uats__warnings_add(uats_warnings *w, const char *field, const char *msg);

/* ---- modules and context (loader.c) ---- */
struct uats_module {
    uats_connector desc;        /* the core's copy, zero-extended */
    char *path;
    void *handle;               /* lt_dlhandle */
    uats_ctx *ctx;
};

typedef struct rejected {
    char *path;
    char *reason;
    uats_code code;
} rejected;

struct uats_ctx {
    char **dirs;
    size_t ndirs;
    bool only_explicit;
    uats_module **modules;
    size_t nmodules;
    rejected *rejects;
    size_t nrejects;
    size_t nlogged;            /* rejections already logged */
    uats_log_fn *log_fn;
    void *log_userdata;
    uats_log_level log_level;
    uats_token_fn *token_fn;   /* default for connections without their own */
    void *token_userdata;
};

extern const uats_host_api uats__host_api;

/* ---- connections (conn.c) ---- */
struct conn_http;

struct uats_conn {
    uats_ctx *ctx;
    const uats_module *module;
    json_t *config;          /* copy of the configuration, $env: resolved */
    char *base_url;
    void *state;             /* the connector's */
    struct conn_http *http;  /* transport state (http_conn.c) */
    pthread_mutex_t lock;    /* guards last_error and the secrets */
    uats_error last_error;
    char **secrets;          /* owned copies of every secret value */
    size_t nsecrets;
    char *slots[2];          /* secrets that change: OAuth access and refresh tokens */
    uats_token_fn *token_fn;
    void *token_userdata;
};

/* Replace secret slot (0: access token, 1: refresh token) with a copy of
 * value, so the redactor knows it. */
uats_code uats__conn_secret_slot(uats_conn *conn, int slot, const char *value);
/* value percent-encoded as in URLs (new), or NULL when nothing changes. */
char *uats__percent_encoded(const char *value);
/* Tell the host its refresh token was rotated. */
void uats__conn_token_rotated(uats_conn *conn, const char *refresh_token);

/* ---- calls and logging (call.c, log.c) ---- */
struct uats_call {
    uats_conn *conn;        /* NULL only while loading */
    const uats_module *module;
    uats_error *err;        /* never NULL: points at the caller's or a local */
    bool failed;
    bool in_open;           /* the connector's open(): set_base_url allowed */
    unsigned committed;     /* non-idempotent requests whose 2xx says they took effect */
    uats_warnings *warnings;/* NULL when the operation cannot warn */
};

void uats__call_init(uats_call *call, uats_conn *conn, uats_error *err);
/* Replace every secret of conn in s (in place, may shrink) with "[REDACTED]";
 * returns a new string or NULL on ENOMEM. */
char *uats__redact(const uats_conn *conn, const char *s);
void uats__log(const uats_ctx *ctx, const uats_conn *conn, const char *connector,
               uats_log_level level, const char *fmt, ...) UATS_PRINTF(5, 6);
void uats__logv(const uats_ctx *ctx, const uats_conn *conn, const char *connector,
                uats_log_level level, const char *fmt, va_list ap) UATS_PRINTF(5, 0);

#endif /* UATS_INTERNAL_H */
