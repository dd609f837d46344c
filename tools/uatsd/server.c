/*
 * tools/uatsd/server.c: the HTTP side of uatsd on libmicrohttpd: collect a
 * request's body under the size cap, find its route, check the gateway API
 * key, run the handler, send its JSON, write one access-log line.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_;
#else
typedef enum MHD_Result MHD_Result_;
#endif

/* The tables tried in order. One path is shared: POST /ats/candidates is
 * both Kombo's create and the plural form of Panora's; Kombo's route
 * comes first and hands Panora's requests (x-connection-token, no
 * X-Integration-Id) to Panora's handler. */
static const gw_route *const route_tables[] = {
    gw_native_routes, gw_kombo_routes, gw_panora_routes, gw_truto_routes, gw_merge_routes,
};

typedef struct request {
    gw_req r;
    char *body;
    size_t len, cap;
    int too_large;
    int queued;                 /* a response went out during the upload */
    const gw_route *route;      /* admitted: the route taken */
    gw_resp refused;            /* not admitted: the answer, sent once the body is dropped */
    int is_refused;
    long long start_ms;
    int status;
    size_t bytes_out;
    char *path_copy;            /* params point into it */
} request;

long long gw_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *gw_header(const gw_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->mhd, MHD_HEADER_KIND, name);
}

const char *gw_query(const gw_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->mhd, MHD_GET_ARGUMENT_KIND, name);
}

bool gw_query_flag(const gw_req *r, const char *name)
{
    const char *v = gw_query(r, name);
    return v && (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

int gw_status_for(uats_code code)
{
    switch (code) {
    case UATS_OK: return 200;
    case UATS_E_INVALID_INPUT: return 400;
    case UATS_E_NOT_FOUND: return 404;
    case UATS_E_AUTH: return 401;
    case UATS_E_FORBIDDEN: return 403;
    case UATS_E_CONFLICT: return 409;
    case UATS_E_VALIDATION: return 422;
    case UATS_E_RATE_LIMITED: return 429;
    case UATS_E_TOO_LARGE: return 413;
    case UATS_E_UNSUPPORTED: return 501;
    case UATS_E_VENDOR:
    case UATS_E_TRANSPORT: return 502;
    case UATS_E_TIMEOUT:
    case UATS_E_OUTCOME_UNKNOWN: return 504;
    case UATS_E_NOMEM: return 503;
    default: return 500;
    }
}

const char *gw_code_name(uats_code code)
{
    const char *name = uats_code_name(code);
    return strncmp(name, "UATS_E_", 7) == 0 ? name + 7 : name;
}

void gw_fail(gw_req *r, gw_resp *out, int status, const char *code, const char *message,
             const uats_error *err)
{
    if (err) {
        if (!status)
            status = gw_status_for(err->code);
        if (!code)
            code = gw_code_name(err->code);
        if (!message)
            message = err->text[0] ? err->text : uats_strerror(err->code);
        if (err->code == UATS_E_RATE_LIMITED && err->retry_after > 0)
            out->retry_after = err->retry_after;
    }
    const gw_family *f = r->family ? r->family : &gw_native_family;
    json_decref(out->body);
    out->status = status;
    out->body = f->error_body(status, code, message, err);
}

json_t *gw_body_json(gw_req *r, gw_resp *out)
{
    json_error_t jerr;
    char msg[300];
    if (r->body_len == 0) {
        gw_fail(r, out, 400, "MALFORMED_JSON", "the request needs a JSON body", NULL);
        return NULL;
    }
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        snprintf(msg, sizeof msg, "the body is not valid JSON: line %d, column %d: %s",
                 jerr.line, jerr.column, jerr.text);
        gw_fail(r, out, 400, "MALFORMED_JSON", msg, NULL);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        gw_fail(r, out, 400, "MALFORMED_JSON", "the body must be a JSON object", NULL);
        return NULL;
    }
    return j;
}

json_t *gw_unified_json(const uats_object *obj, bool remote_data)
{
    return uats_object_to_json(obj, remote_data ? UATS_JSON_REMOTE_DATA : 0);
}

/* Whether path matches pattern; captures go to r->params (pointing into
 * the copy, whose separators become NULs). */
static int match(const char *pattern, request *q)
{
    const char *p = pattern, *s = q->r.path;
    const char *caps[4];
    size_t caplen[4], n = 0;
    while (*p && *s) {
        if (p[0] == '{' && p[1] == '}') {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (len == 0 || n == 4)
                return 0;
            caps[n] = s;
            caplen[n++] = len;
            s += len;
            p += 2;
        } else if (*p++ != *s++)
            return 0;
    }
    /* A trailing slash is forgiven: clients join base URLs and paths
     * either way. */
    if (*s == '/' && s[1] == 0)
        s++;
    if (*p || *s)
        return 0;
    free(q->path_copy);
    q->path_copy = strdup(q->r.path);
    if (!q->path_copy)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char *c = q->path_copy + (caps[i] - q->r.path);
        c[caplen[i]] = 0;
        q->r.params[i] = c;
    }
    q->r.nparams = n;
    return 1;
}

/* The route for the request; *path_known when some route has this path
 * (for 405 rather than 404), and then allow (when given) lists the
 * methods it takes and the request takes that route's API shape. */
static const gw_route *find_route_allow(request *q, int *path_known, char *allow, size_t size)
{
    *path_known = 0;
    if (allow)
        allow[0] = 0;
    for (size_t t = 0; t < sizeof route_tables / sizeof *route_tables; t++)
        for (const gw_route *rt = route_tables[t]; rt->method; rt++)
            if (match(rt->pattern, q)) {
                if (strcmp(rt->method, q->r.method) == 0)
                    return rt;
                if (!*path_known)
                    q->r.family = rt->family;   /* the 405's shape */
                *path_known = 1;
                if (allow && !strstr(allow, rt->method)) {
                    size_t n = strlen(allow);
                    snprintf(allow + n, size - n, "%s%s", n ? ", " : "", rt->method);
                }
            }
    return NULL;
}

static const gw_route *find_route(request *q, int *path_known)
{
    return find_route_allow(q, path_known, NULL, 0);
}

/* Whether the Authorization header carries a valid gateway key. A key
 * found valid is trusted for cache_ttl seconds by its hash, so the store
 * is not asked on every request. -1: the store failed. */
static int authorized(gw *g, const gw_req *r)
{
    const char *h = gw_header(r, "Authorization");
    char hash[65], why[STORE_WHY];
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return 0;
    const char *key = h + 7;
    while (*key == ' ')
        key++;
    store_sha256_hex(key, strlen(key), hash);
    long long now = gw_now_ms();
    int found = 0;
    pthread_mutex_lock(&g->key_lock);
    for (unsigned i = 0; i < GW_KEY_CACHE; i++)
        if (g->keys[i].until_ms > now && store_equal_ct(g->keys[i].hash, hash))
            found = 1;
    pthread_mutex_unlock(&g->key_lock);
    if (found)
        return 1;
    int ok = store_key_check(g->store, key, why);
    if (ok < 0) {
        fprintf(stderr, "uatsd: store: %s\n", why);
        return -1;
    }
    if (ok) {
        pthread_mutex_lock(&g->key_lock);
        unsigned i = g->key_next++ % GW_KEY_CACHE;
        memcpy(g->keys[i].hash, hash, sizeof hash);
        g->keys[i].until_ms = now + (long long)g->opt.cache_ttl_s * 1000;
        pthread_mutex_unlock(&g->key_lock);
    }
    return ok;
}

static MHD_Result_ send_json(request *q, gw_resp *resp)
{
    char *text = NULL;
    size_t len = 0;
    if (resp->body) {
        text = json_dumps(resp->body, JSON_COMPACT);
        if (!text) {
            /* A write that succeeded keeps its 2xx: a 503 would be resent
             * by clients that retry 5xx, writing a second time. */
            if (resp->status < 200 || resp->status > 299)
                resp->status = 503;
            text = strdup("{\"error\":{\"code\":\"NOMEM\",\"message\":\"out of memory\"}}");
        }
        len = text ? strlen(text) : 0;
    }
    struct MHD_Response *mr = MHD_create_response_from_buffer(len, text ? text : (char *)"",
                                                              text ? MHD_RESPMEM_MUST_FREE
                                                                   : MHD_RESPMEM_PERSISTENT);
    if (!mr) {
        free(text);
        return MHD_NO;
    }
    if (text)
        MHD_add_response_header(mr, "Content-Type", "application/json");
    MHD_add_response_header(mr, "X-Request-Id", q->r.request_id);
    MHD_add_response_header(mr, "Cache-Control", "no-store");
    if (resp->location[0])
        MHD_add_response_header(mr, "Location", resp->location);
    if (resp->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%ld", resp->retry_after);
        MHD_add_response_header(mr, "Retry-After", ra);
    }
    /* Only for the gateway's own key: a 401 because the vendor refused a
     * connection's credentials is not a challenge to the client. */
    if (resp->challenge)
        MHD_add_response_header(mr, "WWW-Authenticate", "Bearer realm=\"uatsd\"");
    if (resp->allow[0])
        MHD_add_response_header(mr, "Allow", resp->allow);
    if (resp->replayed)
        MHD_add_response_header(mr, "Idempotent-Replayed", "true");
    MHD_Result_ rc = MHD_queue_response(q->r.mhd, (unsigned)resp->status, mr);
    MHD_destroy_response(mr);
    q->status = resp->status;
    q->bytes_out = len;
    json_decref(resp->body);
    resp->body = NULL;
    return rc;
}

/* What is checked as soon as the headers are in, before any of the body
 * is read: the path (404, 405) and the gateway key (401, 503), so that a
 * client without a key never has a body buffered. 0: go on (q->route is
 * set; /healthz has none and needs no key); -1: resp is the answer. */
static int admit(request *q, gw_resp *resp)
{
    if (strcmp(q->r.path, "/healthz") == 0)
        return 0;
    int path_known;
    const gw_route *rt = find_route_allow(q, &path_known, resp->allow, sizeof resp->allow);
    if (!rt) {
        if (path_known)
            gw_fail(&q->r, resp, 405, "METHOD_NOT_ALLOWED", "this path does not take that method",
                    NULL);
        else
            gw_fail(&q->r, resp, 404, "NO_SUCH_ROUTE", "no route has this path", NULL);
        return -1;
    }
    q->r.family = rt->family;
    int ok = authorized(q->r.gw, &q->r);
    if (ok <= 0) {
        if (ok < 0)
            gw_fail(&q->r, resp, 503, "STORE_UNAVAILABLE", "the key store cannot be read", NULL);
        else {
            gw_fail(&q->r, resp, 401, "UNAUTHORIZED",
                    "a valid gateway API key is needed: Authorization: Bearer <key>", NULL);
            resp->challenge = true;
        }
        return -1;
    }
    q->route = rt;
    return 0;
}

/* An admitted request, its body read. */
static void dispatch(request *q, gw_resp *resp)
{
    gw *g = q->r.gw;
    const gw_route *rt = q->route;
    if (!rt) {
        if (strcmp(q->r.method, "GET") != 0 && strcmp(q->r.method, "HEAD") != 0) {
            gw_fail(&q->r, resp, 405, "METHOD_NOT_ALLOWED", "use GET", NULL);
            snprintf(resp->allow, sizeof resp->allow, "GET, HEAD");
            return;
        }
        resp->status = 200;
        resp->body = json_pack("{s:s, s:s, s:s}", "status", "ok", "version", PACKAGE_VERSION,
                               "store", store_backend(g->store));
        return;
    }
    match(rt->pattern, q);      /* the captures of the route taken */
    if (q->too_large) {
        char msg[96];
        snprintf(msg, sizeof msg, "the body exceeds the gateway's limit of %zu bytes",
                 g->opt.max_body);
        gw_fail(&q->r, resp, 413, "BODY_TOO_LARGE", msg, NULL);
        return;
    }
    rt->handler(&q->r, resp);
    if (!resp->status) {
        json_decref(resp->body);
        resp->body = NULL;
        gw_fail(&q->r, resp, 500, "INTERNAL", "the handler gave no answer", NULL);
    }
}

/* ---- the access log ----
 *
 * One JSON line per request, formatted here rather than built as a jansson
 * object and dumped: that was 49,000 instructions per request, about 5 %
 * of a GET (bench/README.md, "Gateway"). The output is what json_dumps
 * gave with JSON_COMPACT, key for key, except that bytes that are not
 * UTF-8 (a path can carry any byte, percent-decoded) become U+FFFD instead
 * of the line being lost. */

typedef struct logbuf {
    char *p;
    size_t len, cap;
    int failed;
    char stack[1024];
} logbuf;

static void lb_grow(logbuf *b, size_t need)
{
    if (b->failed || b->len + need <= b->cap)
        return;
    size_t cap = b->cap * 2;
    while (cap < b->len + need)
        cap *= 2;
    char *n = b->p == b->stack ? malloc(cap) : realloc(b->p, cap);
    if (!n) {
        b->failed = 1;
        return;
    }
    if (b->p == b->stack)
        memcpy(n, b->stack, b->len);
    b->p = n;
    b->cap = cap;
}

static void lb_put(logbuf *b, const char *s, size_t n)
{
    lb_grow(b, n);
    if (b->failed)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* The length of the well-formed UTF-8 sequence at s (RFC 3629: no
 * overlong forms, no surrogates, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000;
    else
        return 0;
    unsigned cp = c & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A JSON string, quoted and escaped as jansson does. */
static void lb_json(logbuf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    lb_put(b, "\"", 1);
    while (*s) {
        const unsigned char *run = s;
        while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        lb_put(b, (const char *)run, (size_t)(s - run));
        if (!*s)
            break;
        char esc[8];
        size_t n;
        switch (*s) {
        case '"': lb_put(b, "\\\"", 2); s++; continue;
        case '\\': lb_put(b, "\\\\", 2); s++; continue;
        case '\b': lb_put(b, "\\b", 2); s++; continue;
        case '\f': lb_put(b, "\\f", 2); s++; continue;
        case '\n': lb_put(b, "\\n", 2); s++; continue;
        case '\r': lb_put(b, "\\r", 2); s++; continue;
        case '\t': lb_put(b, "\\t", 2); s++; continue;
        default: break;
        }
        if (*s < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04X", *s);
            lb_put(b, esc, 6);
            s++;
        } else if ((n = utf8_len(s)) > 0) {
            lb_put(b, (const char *)s, n);
            s += n;
        } else {
            lb_put(b, "\\ufffd", 6);
            s++;
        }
    }
    lb_put(b, "\"", 1);
}

/* "key":value, with the comma before all but the first. */
static void lb_key(logbuf *b, const char *key)
{
    if (b->len > 1 && b->p[b->len - 1] != '{')
        lb_put(b, ",", 1);
    lb_json(b, key);
    lb_put(b, ":", 1);
}

static void lb_field(logbuf *b, const char *key, const char *value)
{
    lb_key(b, key);
    lb_json(b, value);
}

static void lb_int(logbuf *b, const char *key, long long v)
{
    char num[24];
    lb_key(b, key);
    lb_put(b, num, (size_t)snprintf(num, sizeof num, "%lld", v));
}

/* Query values can carry a token (Truto's integrated_account_id): the log
 * keeps only the flags. A name given twice keeps its place and its last
 * value, as in the JSON object built here before. */
typedef struct query_arg {
    const char *key, *value;
} query_arg;

typedef struct query_log {
    query_arg *args;
    size_t n, cap;
    int failed;
    query_arg stack[16];
} query_log;

static MHD_Result_ log_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    static const char *const shown[] = {"remote_data", "include_raw_data",
                                        "include_remote_data", "expand", NULL};
    query_log *ql = cls;
    (void)kind;
    const char *v = "[redacted]";
    for (int i = 0; shown[i]; i++)
        if (strcmp(key, shown[i]) == 0) {
            v = value ? value : "";
            break;
        }
    for (size_t i = 0; i < ql->n; i++)
        if (strcmp(ql->args[i].key, key) == 0) {
            ql->args[i].value = v;
            return MHD_YES;
        }
    if (ql->n == ql->cap) {
        size_t cap = ql->cap * 2;
        query_arg *a = ql->args == ql->stack ? malloc(cap * sizeof *a)
                                              : realloc(ql->args, cap * sizeof *a);
        if (!a) {
            ql->failed = 1;
            return MHD_NO;
        }
        if (ql->args == ql->stack)
            memcpy(a, ql->stack, sizeof ql->stack);
        ql->args = a;
        ql->cap = cap;
    }
    ql->args[ql->n].key = key;
    ql->args[ql->n++].value = v;
    return MHD_YES;
}

static void access_log(gw *g, request *q, struct MHD_Connection *c)
{
    if (!g->access_log)
        return;
    char addr[INET6_ADDRSTRLEN] = "";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr,
                      sizeof addr);
    }
    char when[64];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             ts.tv_nsec / 1000000);

    logbuf b;
    b.p = b.stack;
    b.len = 0;
    b.cap = sizeof b.stack;
    b.failed = 0;
    lb_put(&b, "{", 1);
    lb_field(&b, "time", when);
    lb_field(&b, "request_id", q->r.request_id);
    lb_field(&b, "remote", addr);
    lb_field(&b, "method", q->r.method);
    lb_field(&b, "path", q->r.path);
    lb_key(&b, "query");
    lb_put(&b, "{", 1);
    query_log ql;
    ql.args = ql.stack;
    ql.n = 0;
    ql.cap = sizeof ql.stack / sizeof *ql.stack;
    ql.failed = 0;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, log_query_arg, &ql);
    for (size_t i = 0; i < ql.n; i++)
        lb_field(&b, ql.args[i].key, ql.args[i].value);
    if (ql.args != ql.stack)
        free(ql.args);
    b.failed |= ql.failed;
    lb_put(&b, "}", 1);
    lb_int(&b, "status", q->status);
    lb_int(&b, "bytes_in", (long long)q->len);
    lb_int(&b, "bytes_out", (long long)q->bytes_out);
    lb_int(&b, "ms", gw_now_ms() - q->start_ms);
    lb_field(&b, "api", q->r.family ? q->r.family->name : "");
    lb_field(&b, "connection", q->r.connection);
    lb_put(&b, "}\n", 2);
    if (!b.failed) {
        pthread_mutex_lock(&g->log_lock);
        fwrite(b.p, 1, b.len, g->access_log);
        fflush(g->access_log);
        pthread_mutex_unlock(&g->log_lock);
    }
    if (b.p != b.stack)
        free(b.p);
}

int gw_reopen_access_log(gw *g)
{
    if (!g->access_path || !g->access_log || g->access_log == stdout)
        return 0;
    FILE *f = fopen(g->access_path, "a");
    if (!f)
        return -1;
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&g->log_lock);
    FILE *old = g->access_log;
    g->access_log = f;
    pthread_mutex_unlock(&g->log_lock);
    fclose(old);
    return 0;
}

static void request_free(request *q)
{
    if (!q)
        return;
    free(q->body);
    free(q->path_copy);
    json_decref(q->refused.body);
    free(q);
}

/* Answer before the body is read (MHD then reads no more from this
 * connection and closes it), in the shape of the API the client speaks. */
static MHD_Result_ refuse_now(request *q, int status, const char *code, const char *msg)
{
    gw_resp resp = {0};
    int known;
    const gw_route *rt = find_route(q, &known);
    if (rt)
        q->r.family = rt->family;
    q->queued = 1;
    gw_fail(&q->r, &resp, status, code, msg, NULL);
    return send_json(q, &resp);
}

static MHD_Result_ too_large_now(request *q, gw *g)
{
    char msg[96];
    q->too_large = 1;
    snprintf(msg, sizeof msg, "the body exceeds the gateway's limit of %zu bytes",
             g->opt.max_body);
    return refuse_now(q, 413, "BODY_TOO_LARGE", msg);
}

/* How many Content-Length and Transfer-Encoding headers a request has. */
typedef struct framing {
    int content_length, transfer_encoding;
} framing;

static MHD_Result_ count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    framing *f = cls;
    (void)kind;
    (void)value;
    if (strcasecmp(key, "Content-Length") == 0)
        f->content_length++;
    else if (strcasecmp(key, "Transfer-Encoding") == 0)
        f->transfer_encoding++;
    return MHD_YES;
}

static MHD_Result_ on_request(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    gw *g = cls;
    request *q = *con_cls;
    (void)version;
    if (!q) {
        q = calloc(1, sizeof *q);
        if (!q)
            return MHD_NO;
        q->r.gw = g;
        q->r.mhd = c;
        q->r.method = method;
        q->r.path = url;
        q->start_ms = gw_now_ms();
        snprintf(q->r.request_id, sizeof q->r.request_id, "%s-%lx", g->instance_id,
                 (unsigned long)atomic_fetch_add(&g->next_id, 1));
        atomic_fetch_add(&g->active, 1);
        *con_cls = q;
        /* A body whose length two headers could tell apart: more than one
         * Content-Length (this libmicrohttpd frames the body by the first),
         * more than one Transfer-Encoding (it reads the first), or both
         * (it goes by the chunks). A proxy in front may go by another, and
         * read the rest as a further request (RFC 9112 6.1 and 6.3). */
        framing fr = {0, 0};
        MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &fr);
        if (fr.content_length > 1 || fr.transfer_encoding > 1 ||
            (fr.content_length && fr.transfer_encoding))
            return refuse_now(q, 400, "AMBIGUOUS_FRAMING",
                              "the body's length is given twice (Content-Length, "
                              "Transfer-Encoding)");
        /* Refuse a declared oversized body before reading it (and before
         * MHD says "100 Continue"). */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl) {
            errno = 0;
            char *end;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || *end || n > g->opt.max_body)
                return too_large_now(q, g);
        }
        if (admit(q, &q->refused) != 0) {
            /* A client waiting for "100 Continue" is answered now and never
             * sends its body. Others may be sending it already: answering
             * before it is read would reach them as a connection reset, so
             * it is read, dropped, and answered at its end. */
            const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
            if (expect && strcasecmp(expect, "100-continue") == 0) {
                q->queued = 1;
                return send_json(q, &q->refused);
            }
            q->is_refused = 1;
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (q->queued)
            return MHD_YES;
        if (q->is_refused) {
            /* Not admitted: dropped, never buffered; past the cap, the
             * connection is dropped too. */
            q->len += n;
            return q->len > g->opt.max_body ? MHD_NO : MHD_YES;
        }
        if (q->too_large || q->len + n > g->opt.max_body) {
            /* A body of undeclared length (chunked) that outgrows the cap:
             * answering now, with the client still sending, would reach it
             * as a connection reset. Read and drop the rest, then answer;
             * past four times the cap, give up on the client. */
            if (!q->too_large) {
                q->too_large = 1;
                free(q->body);
                q->body = NULL;
                q->cap = 0;
            }
            q->len += n;
            return q->len / 4 > g->opt.max_body ? MHD_NO : MHD_YES;
        }
        if (q->len + n + 1 > q->cap) {
            size_t cap = q->cap ? q->cap : 4096;
            while (cap < q->len + n + 1)
                cap *= 2;
            char *b = realloc(q->body, cap);
            if (!b)
                return MHD_NO;
            q->body = b;
            q->cap = cap;
        }
        memcpy(q->body + q->len, upload_data, n);
        q->len += n;
        q->body[q->len] = 0;
        return MHD_YES;
    }
    if (q->queued)
        return MHD_YES;
    q->queued = 1;
    if (q->is_refused)
        return send_json(q, &q->refused);
    q->r.body = q->body ? q->body : "";
    q->r.body_len = q->len;
    gw_resp resp = {0};
    dispatch(q, &resp);
    return send_json(q, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    gw *g = cls;
    request *q = *con_cls;
    (void)toe;
    if (!q)
        return;
    access_log(g, q, c);
    request_free(q);
    *con_cls = NULL;
    atomic_fetch_sub(&g->active, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("uatsd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

int gw_server_start(gw *g)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, g->opt.listen_host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)g->opt.port);
    } else if (inet_pton(AF_INET6, g->opt.listen_host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)g->opt.port);
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "uatsd: --listen: %s is not an IPv4 or IPv6 address\n",
                g->opt.listen_host);
        return -1;
    }
    if (g->opt.threads == 0)
        flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    else
        flags |= MHD_USE_EPOLL;
    /* The logger first, so that MHD's remarks on the options use it; a
     * pool only when there is more than one worker (MHD warns otherwise). */
    struct MHD_OptionItem pool[] = {
        {g->opt.threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
         (intptr_t)g->opt.threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)g->opt.port, NULL, NULL, on_request, g,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)g->opt.timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, g,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_ARRAY, pool,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "uatsd: cannot listen on %s port %u\n", g->opt.listen_host, g->opt.port);
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    g->bound_port = g->opt.port;
    if (di && getsockname(di->listen_fd, (struct sockaddr *)&bound, &blen) == 0)
        g->bound_port = ntohs(bound.ss_family == AF_INET6
                                  ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                  : ((struct sockaddr_in *)&bound)->sin_port);
    g->daemon = d;
    return 0;
}

void gw_server_stop(gw *g)
{
    struct MHD_Daemon *d = g->daemon;
    if (!d)
        return;
    /* Stop taking connections; finish what is in flight. */
    MHD_socket fd = MHD_quiesce_daemon(d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    long long deadline = gw_now_ms() + (long long)g->opt.shutdown_s * 1000;
    while (atomic_load(&g->active) > 0 && gw_now_ms() < deadline) {
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
    /* MHD_stop_daemon closes every connection, so those requests get no
     * answer, but it joins the worker threads: a handler inside a vendor
     * call (which nothing can cut short) still runs to its end first. */
    if (atomic_load(&g->active) > 0)
        fprintf(stderr, "uatsd: %ld request(s) still running after %u s: their clients get "
                "no answer; waiting for their vendor calls to return\n",
                atomic_load(&g->active), g->opt.shutdown_s);
    MHD_stop_daemon(d);
    g->daemon = NULL;
}
