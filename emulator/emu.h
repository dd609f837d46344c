/*
 * emulator/emu.h: a small kit for writing stateful vendor emulators:
 * HTTP servers on 127.0.0.1 (ephemeral port, libmicrohttpd) that route by
 * method and path pattern, parse JSON and multipart bodies, record every
 * request, count TCP connections, and inject faults per route.
 *
 * Used by the tests and by uats-sandbox. Not installed; not part of libuats.
 *
 * Threads: the server answers from its own threads (one per connection), so
 * handlers run concurrently with each other and with the test; the kit's
 * own state (routes, faults, log) is guarded internally, and every accessor
 * below may be called from any thread. Handlers guard their own state.
 */
#ifndef UATS_EMU_H
#define UATS_EMU_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef struct emu_server emu_server;
typedef struct emu_request emu_request;   /* valid during the handler only */
typedef struct emu_response emu_response; /* valid during the handler only */

/* One part of a multipart/form-data body. Borrowed from the request. */
typedef struct emu_part {
    const char *name;
    const char *file_name;    /* NULL for plain fields */
    const char *content_type; /* NULL when the part gave none */
    const char *data;         /* NUL-terminated for convenience; may contain NULs */
    size_t len;
} emu_part;

typedef void emu_handler(const emu_request *req, emu_response *resp, void *userdata);

/* ---- server ---- */

/* Start a server on 127.0.0.1 with a port the kernel picks. NULL on failure
 * (reason on stderr). */
emu_server *emu_start(void);

/* The same on a given port (0: the kernel picks). */
emu_server *emu_start_port(unsigned port);

/* Stop it: waits for handlers in progress, frees everything. NULL is fine. */
void emu_stop(emu_server *srv);

unsigned emu_port(const emu_server *srv);

/* Wait ms before answering every request from now on (0: none): a vendor
 * on the far side of a slow network. */
void emu_set_latency(emu_server *srv, unsigned ms);

/* "http://127.0.0.1:PORT": borrowed, valid until emu_stop. */
const char *emu_base_url(const emu_server *srv);

/*
 * Route method ("GET", "POST", ... or "*" for any) and pattern to fn.
 * Patterns are paths whose segments may be ":name" (matching one non-empty
 * segment, read back with emu_req_param); a last segment "*" matches the
 * rest of any path, so "/ *" (no space) matches every path. The query
 * string is not part of the match. Routes are tried in the order added; unmatched requests get
 * 404 {"error": "no route"}. Returns 0, or -1 when out of memory.
 */
int emu_route(emu_server *srv, const char *method, const char *pattern,
              emu_handler *fn, void *userdata);

/* ---- the request, inside a handler ---- */

const char *emu_req_method(const emu_request *req);
const char *emu_req_path(const emu_request *req);   /* without the query */
const char *emu_req_target(const emu_request *req); /* path and raw query, as sent */
/* The request's headers, in order: name and value borrowed. */
size_t emu_req_header_count(const emu_request *req);
bool emu_req_header_at(const emu_request *req, size_t i, const char **name,
                       const char **value);
const char *emu_req_param(const emu_request *req, const char *name); /* :name */
const char *emu_req_query(const emu_request *req, const char *name); /* decoded */
const char *emu_req_header(const emu_request *req, const char *name); /* any case */
const char *emu_req_body(const emu_request *req, size_t *len);
/* The body parsed as JSON (borrowed), or NULL when it is not valid JSON. */
json_t *emu_req_json(const emu_request *req);
size_t emu_req_part_count(const emu_request *req);
const emu_part *emu_req_part(const emu_request *req, size_t i);
const emu_part *emu_req_part_named(const emu_request *req, const char *name);
/* Decoded HTTP Basic credentials: true and user/password (borrowed) when
 * the request has an Authorization: Basic header that decodes. */
bool emu_req_basic_auth(const emu_request *req, const char **user, const char **password);
/* The token of "Authorization: Bearer <token>", or NULL. */
const char *emu_req_bearer(const emu_request *req);

/* ---- the response, inside a handler ---- */

/* JSON response: body is taken (json_decref'd by the kit). */
void emu_resp_json(emu_response *resp, int status, json_t *body);
/* Raw response: body copied. */
void emu_resp_body(emu_response *resp, int status, const char *content_type,
                   const char *body, size_t len);
/* Add a header (copied); may be called before or after the body. */
void emu_resp_header(emu_response *resp, const char *name, const char *value);

/* ---- fault injection ---- */

typedef enum emu_fault_kind {
    EMU_FAULT_STATUS = 1,  /* answer `status` with `body` (JSON) instead of the handler */
    EMU_FAULT_HTML,        /* answer `status` with an HTML error page, text/html */
    EMU_FAULT_DROP,        /* read the request, then close the connection, no answer */
    EMU_FAULT_DELAY,       /* sleep delay_ms, then run the handler and answer normally */
    EMU_FAULT_DELAY_AFTER, /* run the handler (its effects happen), then sleep
                              delay_ms before answering: "timeout after processing" */
    EMU_FAULT_TRUNCATE,    /* run the handler, send half its body, close the connection */
    EMU_FAULT_OVERSIZED,   /* answer 200 with a valid JSON body of `size` bytes */
    EMU_FAULT_INVALID_JSON,/* answer 200, application/json, a body that is not JSON */
    EMU_FAULT_INVALID_UTF8 /* answer 200, application/json, a string with bad UTF-8 */
} emu_fault_kind;

typedef struct emu_fault {
    emu_fault_kind kind;
    int status;              /* STATUS, HTML: the status to answer */
    const char *body;        /* STATUS: JSON text to answer (copied), or NULL for {} */
    const char *retry_after; /* any kind that answers: a Retry-After header (copied) */
    unsigned delay_ms;       /* DELAY, DELAY_AFTER */
    size_t size;             /* OVERSIZED */
} emu_fault;

/* Queue a fault for the route (method, pattern) exactly as given to
 * emu_route. Each matching request takes the oldest queued fault; when the
 * queue is empty, requests are handled normally. Returns 0 or -1. */
int emu_fault_push(emu_server *srv, const char *method, const char *pattern,
                   const emu_fault *fault);

/* Drop every queued fault. */
void emu_fault_clear(emu_server *srv);

/* ---- what the server saw ---- */

/* Requests that matched the route (method, pattern), whether handled or
 * faulted; for "exactly one POST reached the vendor". */
size_t emu_count(const emu_server *srv, const char *method, const char *pattern);

/* Every request received, in order. */
size_t emu_log_count(const emu_server *srv);
/* Copies of what request i carried. Each returns a new string (free()) or
 * NULL when i is out of range or the header is absent. */
char *emu_log_method(const emu_server *srv, size_t i);
char *emu_log_target(const emu_server *srv, size_t i);   /* path and raw query */
char *emu_log_header(const emu_server *srv, size_t i, const char *name);
char *emu_log_body(const emu_server *srv, size_t i, size_t *len);

/* TCP connections accepted so far (keep-alive reuse shows as fewer
 * connections than requests). */
size_t emu_connections(const emu_server *srv);

/* Forget the log, the counts and the connection count (routes and faults stay). */
void emu_reset_log(emu_server *srv);

/* ---- ports that fail ---- */

/* A 127.0.0.1 port where nothing listens: connecting is refused. */
unsigned emu_refused_port(void);

/* A 127.0.0.1 listener whose accept queue is full, so that a new connection
 * attempt hangs until the client's connect timeout. Returns the port and
 * keeps the sockets until emu_blackhole_close(handle). */
typedef struct emu_blackhole emu_blackhole;
emu_blackhole *emu_blackhole_open(unsigned *port);
void emu_blackhole_close(emu_blackhole *bh);

#endif /* UATS_EMU_H */
