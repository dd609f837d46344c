/*
 * tests/emulator/emu.c: the vendor emulator kit (see emu.h) on
 * libmicrohttpd.
 *
 * Design:
 *  - One MHD daemon per emu_server, bound to 127.0.0.1 only, port 0 (the
 *    kernel picks; read back with MHD_DAEMON_INFO_BIND_PORT), one thread per
 *    connection so that a delayed handler never blocks other connections,
 *    HTTP/1.1 keep-alive as MHD provides it. Connections are counted with
 *    MHD_OPTION_NOTIFY_CONNECTION (MHD_CONNECTION_NOTIFY_STARTED).
 *  - Per request: MHD_OPTION_URI_LOG_CALLBACK creates the request context and
 *    keeps the request target exactly as the client sent it (path and raw,
 *    still percent-encoded query string: MHD passes the whole request-URI to
 *    that callback before splitting and unescaping it, so the log needs no
 *    reconstruction); the access handler collects the whole upload (up to
 *    EMU_MAX_BODY, beyond which the request is answered 413 without
 *    routing), then logs the request, routes it, takes a queued fault, and
 *    answers. MHD_OPTION_NOTIFY_COMPLETED frees the context.
 *  - multipart/form-data is parsed here from the raw body, so binary parts
 *    are exact; JSON bodies are parsed with jansson (any JSON value).
 *  - Every piece of shared state (routes, counts, fault queues, the log, the
 *    connection count) is guarded by one mutex; handlers run without it.
 *  - Delays sleep on a condition variable that emu_stop signals, so stopping
 *    the server cuts sleeps short (handlers still complete); MHD_stop_daemon
 *    then joins every connection thread before the state is freed.
 */
#define _GNU_SOURCE /* memmem */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "emu.h"

/* Largest request body collected; a larger one is answered 413. */
#define EMU_MAX_BODY ((size_t)64 * 1024 * 1024)

/* ------------------------------------------------------------------------ */
/* small helpers                                                             */

static char *dup_mem(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *dup_str(const char *s)
{
    return s ? dup_mem(s, strlen(s)) : NULL;
}

/* A list of name/value pairs (copied strings). */
typedef struct kv {
    char *name;
    char *value;
} kv;

typedef struct kvlist {
    kv *items;
    size_t n, cap;
} kvlist;

static int kv_add_n(kvlist *l, const char *name, size_t nlen, const char *value, size_t vlen)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        kv *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    char *n = dup_mem(name, nlen);
    char *v = dup_mem(value, vlen);
    if (!n || !v) {
        free(n);
        free(v);
        return -1;
    }
    l->items[l->n].name = n;
    l->items[l->n].value = v;
    l->n++;
    return 0;
}

static int kv_add(kvlist *l, const char *name, const char *value)
{
    if (!value)
        value = "";
    return kv_add_n(l, name, strlen(name), value, strlen(value));
}

static void kv_free(kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].value);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static const char *kv_get(const kvlist *l, const char *name, bool nocase)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < l->n; i++)
        if (nocase ? strcasecmp(l->items[i].name, name) == 0
                   : strcmp(l->items[i].name, name) == 0)
            return l->items[i].value;
    return NULL;
}

static int kv_copy(kvlist *dst, const kvlist *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (kv_add(dst, src->items[i].name, src->items[i].value) != 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* types                                                                     */

typedef struct fault_node {
    emu_fault f; /* body and retry_after point at the copies below */
    char *body;
    char *retry_after;
    struct fault_node *next;
} fault_node;

typedef struct route {
    char *method;
    char *pattern;
    emu_handler *fn;
    void *userdata;
    size_t count;
    fault_node *faults, *faults_tail;
} route;

typedef struct log_entry {
    char *method;
    char *target;
    kvlist headers;
    char *body;
    size_t len;
} log_entry;

struct emu_server {
    struct MHD_Daemon *daemon;
    unsigned port;
    char base_url[40];

    pthread_mutex_t lock;
    pthread_cond_t wake; /* signalled by emu_stop to cut sleeps short */
    bool stopping;

    route **routes;
    size_t nroutes, routes_cap;
    log_entry *log;
    size_t nlog, log_cap;
    size_t connections;
    unsigned latency_ms; /* added before every answer (emu_set_latency) */
};

/* Per request, from the URI log callback to the completion notice. */
typedef struct conn_ctx {
    emu_server *srv;
    char *target; /* as the client sent it */
    bool started;
    bool too_large;
    char *body;
    size_t len, cap;
} conn_ctx;

struct emu_request {
    const char *method;
    const char *path;
    const char *target;   /* path and raw query, as the client sent them */
    kvlist params;
    kvlist query;
    kvlist headers;
    const char *body;
    size_t len;
    json_t *json;
    emu_part *parts;
    size_t nparts;
    bool has_basic;
    char *user;
    char *password;
    char *bearer;
};

struct emu_response {
    bool set;
    int status;
    char *content_type;
    char *body;
    size_t len;
    kvlist headers;
};

static void lock_srv(const emu_server *srv)
{
    pthread_mutex_lock((pthread_mutex_t *)&srv->lock);
}

static void unlock_srv(const emu_server *srv)
{
    pthread_mutex_unlock((pthread_mutex_t *)&srv->lock);
}

/* ------------------------------------------------------------------------ */
/* routes and patterns                                                       */

/* Match path against pattern segment by segment; ":name" segments match one
 * non-empty segment and are recorded in params (when params is non-NULL). */
static bool pattern_match(const char *pat, const char *path, kvlist *params)
{
    const char *p = pat, *q = path;
    for (;;) {
        const char *pe = strchr(p, '/');
        const char *qe = strchr(q, '/');
        if (!pe)
            pe = p + strlen(p);
        if (!qe)
            qe = q + strlen(q);
        /* A last segment "*" matches the rest of the path, whatever it is. */
        if (p[0] == '*' && p[1] == '\0')
            return true;
        if (*p == ':') {
            if (qe == q)
                return false;
            if (params && kv_add_n(params, p + 1, (size_t)(pe - p - 1), q, (size_t)(qe - q)) != 0)
                return false;
        } else if (pe - p != qe - q || memcmp(p, q, (size_t)(pe - p)) != 0) {
            return false;
        }
        if (*pe == '\0' || *qe == '\0')
            return *pe == '\0' && *qe == '\0';
        p = pe + 1;
        q = qe + 1;
    }
}

static route *find_route_exact(const emu_server *srv, const char *method, const char *pattern)
{
    if (!method || !pattern)
        return NULL;
    for (size_t i = 0; i < srv->nroutes; i++)
        if (strcmp(srv->routes[i]->method, method) == 0 &&
            strcmp(srv->routes[i]->pattern, pattern) == 0)
            return srv->routes[i];
    return NULL;
}

static void free_faults(route *r)
{
    fault_node *f = r->faults;
    while (f) {
        fault_node *next = f->next;
        free(f->body);
        free(f->retry_after);
        free(f);
        f = next;
    }
    r->faults = r->faults_tail = NULL;
}

static void free_fault_node(fault_node *f)
{
    if (!f)
        return;
    free(f->body);
    free(f->retry_after);
    free(f);
}

/* ------------------------------------------------------------------------ */
/* the log                                                                   */

static void log_entry_free(log_entry *e)
{
    free(e->method);
    free(e->target);
    kv_free(&e->headers);
    free(e->body);
}

static void log_clear(emu_server *srv)
{
    for (size_t i = 0; i < srv->nlog; i++)
        log_entry_free(&srv->log[i]);
    free(srv->log);
    srv->log = NULL;
    srv->nlog = srv->log_cap = 0;
}

/* With the lock held. */
static void log_push(emu_server *srv, const char *method, const char *target,
                     const kvlist *headers, const char *body, size_t len)
{
    if (srv->nlog == srv->log_cap) {
        size_t cap = srv->log_cap ? srv->log_cap * 2 : 16;
        log_entry *l = realloc(srv->log, cap * sizeof *l);
        if (!l)
            goto oom;
        srv->log = l;
        srv->log_cap = cap;
    }
    log_entry e = {0};
    e.method = dup_str(method);
    e.target = dup_str(target);
    e.body = dup_mem(body ? body : "", body ? len : 0);
    e.len = body ? len : 0;
    if (!e.method || !e.target || !e.body || kv_copy(&e.headers, headers) != 0) {
        log_entry_free(&e);
        goto oom;
    }
    srv->log[srv->nlog++] = e;
    return;
oom:
    fprintf(stderr, "emu: out of memory, request %s %s not logged\n", method, target);
}

/* ------------------------------------------------------------------------ */
/* request parsing                                                           */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decode standard base64 (padding optional); NULL when it is not base64. */
static char *b64_decode(const char *s, size_t *outlen)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *out = malloc(n / 4 * 3 + 4);
    if (!out)
        return NULL;
    size_t o = 0, pad = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || pad) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xff);
        }
    }
    if (pad > 2 || bits >= 6) {
        free(out);
        return NULL;
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

/* "Scheme rest": the rest after the scheme (case-insensitive) and blanks. */
static const char *after_scheme(const char *value, const char *scheme)
{
    size_t n = strlen(scheme);
    if (!value || strncasecmp(value, scheme, n) != 0 || (value[n] != ' ' && value[n] != '\t'))
        return NULL;
    value += n;
    while (*value == ' ' || *value == '\t')
        value++;
    return value;
}

static void parse_auth(emu_request *rq)
{
    const char *auth = kv_get(&rq->headers, "Authorization", true);
    const char *cred = after_scheme(auth, "Basic");
    if (cred) {
        size_t len;
        char *dec = b64_decode(cred, &len);
        char *colon = dec ? memchr(dec, ':', len) : NULL;
        if (colon && strlen(dec) == len) {
            *colon = '\0';
            rq->user = dup_str(dec);
            rq->password = dup_str(colon + 1);
            rq->has_basic = rq->user && rq->password;
        }
        free(dec);
    }
    const char *tok = after_scheme(auth, "Bearer");
    if (tok) {
        size_t n = strlen(tok);
        while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
            n--;
        if (n)
            rq->bearer = dup_mem(tok, n);
    }
}

/* Read a header parameter value at *p (quoted string or token); advances *p. */
static char *param_value(const char **p, const char *end)
{
    const char *s = *p;
    if (s < end && *s == '"') {
        s++;
        char *out = malloc((size_t)(end - s) + 1);
        if (!out)
            return NULL;
        size_t o = 0;
        while (s < end && *s != '"') {
            if (*s == '\\' && s + 1 < end)
                s++;
            out[o++] = *s++;
        }
        if (s < end)
            s++; /* closing quote */
        out[o] = '\0';
        *p = s;
        return out;
    }
    const char *e = s;
    while (e < end && *e != ';' && *e != ' ' && *e != '\t')
        e++;
    *p = e;
    return dup_mem(s, (size_t)(e - s));
}

/* Find parameter `name` in a header value like `type; a=1; b="x"`. */
static char *header_param(const char *v, size_t vlen, const char *name)
{
    const char *p = v, *end = v + vlen;
    size_t nlen = strlen(name);
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (!semi)
            return NULL;
        p = semi + 1;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *k = p;
        while (p < end && *p != '=' && *p != ';')
            p++;
        size_t klen = (size_t)(p - k);
        while (klen && (k[klen - 1] == ' ' || k[klen - 1] == '\t'))
            klen--;
        if (p < end && *p == '=') {
            p++;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            if (klen == nlen && strncasecmp(k, name, nlen) == 0)
                return param_value(&p, end);
            char *skip = param_value(&p, end);
            free(skip);
            if (!skip)
                return NULL;
        }
    }
    return NULL;
}

static void free_parts(emu_request *rq)
{
    for (size_t i = 0; i < rq->nparts; i++) {
        free((char *)rq->parts[i].name);
        free((char *)rq->parts[i].file_name);
        free((char *)rq->parts[i].content_type);
        free((char *)rq->parts[i].data);
    }
    free(rq->parts);
    rq->parts = NULL;
    rq->nparts = 0;
}

/* Parse one part: headers in [h, hend), data in [d, dend). */
static int add_part(emu_request *rq, size_t *cap, const char *h, const char *hend,
                    const char *d, const char *dend)
{
    emu_part part = {0};
    while (h < hend) {
        const char *eol = memmem(h, (size_t)(hend - h), "\r\n", 2);
        if (!eol)
            eol = hend;
        const char *colon = memchr(h, ':', (size_t)(eol - h));
        if (colon) {
            size_t nlen = (size_t)(colon - h);
            const char *v = colon + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            size_t vlen = (size_t)(eol - v);
            while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                vlen--;
            if (nlen == 19 && strncasecmp(h, "Content-Disposition", 19) == 0) {
                free((char *)part.name);
                free((char *)part.file_name);
                part.name = header_param(v, vlen, "name");
                part.file_name = header_param(v, vlen, "filename");
            } else if (nlen == 12 && strncasecmp(h, "Content-Type", 12) == 0) {
                free((char *)part.content_type);
                part.content_type = dup_mem(v, vlen);
            }
        }
        h = eol + 2;
    }
    part.data = dup_mem(d, (size_t)(dend - d));
    part.len = (size_t)(dend - d);
    if (!part.name)
        part.name = dup_str("");
    if (rq->nparts == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        emu_part *parts = realloc(rq->parts, ncap * sizeof *parts);
        if (!parts)
            goto oom;
        rq->parts = parts;
        *cap = ncap;
    }
    if (!part.data || !part.name)
        goto oom;
    rq->parts[rq->nparts++] = part;
    return 0;
oom:
    free((char *)part.name);
    free((char *)part.file_name);
    free((char *)part.content_type);
    free((char *)part.data);
    return -1;
}

/* multipart/form-data (RFC 7578) from the raw body. Malformed input yields
 * the parts read so far. */
static void parse_multipart(emu_request *rq)
{
    const char *ct = kv_get(&rq->headers, "Content-Type", true);
    if (!ct || strncasecmp(ct, "multipart/", 10) != 0)
        return;
    char *boundary = header_param(ct, strlen(ct), "boundary");
    if (!boundary || !*boundary) {
        free(boundary);
        return;
    }
    size_t blen = strlen(boundary);
    char *delim = malloc(blen + 5);
    if (!delim) {
        free(boundary);
        return;
    }
    /* delim = "\r\n--boundary"; the first delimiter may lack the CRLF */
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen + 1);
    size_t dlen = blen + 4;
    free(boundary);

    const char *b = rq->body, *end = rq->body + rq->len;
    const char *p;
    if (rq->len >= dlen - 2 && memcmp(b, delim + 2, dlen - 2) == 0)
        p = b + dlen - 2;
    else {
        p = memmem(b, rq->len, delim, dlen);
        if (!p)
            goto done;
        p += dlen;
    }
    size_t cap = 0;
    for (;;) {
        /* p is just after a delimiter */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break; /* close delimiter */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            break;
        p += 2;
        const char *hend, *d;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
            hend = p; /* no headers */
            d = p + 2;
        } else {
            hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
            if (!hend)
                break;
            d = hend + 4;
        }
        const char *dend = memmem(d, (size_t)(end - d), delim, dlen);
        if (!dend)
            break;
        if (add_part(rq, &cap, p, hend, d, dend) != 0)
            break;
        p = dend + dlen;
    }
done:
    free(delim);
}

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    if (key)
        kv_add((kvlist *)cls, key, value);
    return MHD_YES;
}

static void request_free(emu_request *rq)
{
    kv_free(&rq->params);
    kv_free(&rq->query);
    kv_free(&rq->headers);
    json_decref(rq->json);
    free_parts(rq);
    free(rq->user);
    free(rq->password);
    free(rq->bearer);
}

/* ------------------------------------------------------------------------ */
/* responses                                                                 */

/* MHD refuses statuses outside 100..999: answer 500 instead. */
static void status_or_500(int *status)
{
    if (*status < 100 || *status > 999)
        *status = 500;
}

static void add_headers(struct MHD_Response *r, const char *content_type, const kvlist *hdrs,
                        const char *retry_after)
{
    bool has_ct = false, has_ra = false;
    if (hdrs) {
        for (size_t i = 0; i < hdrs->n; i++) {
            if (strcasecmp(hdrs->items[i].name, MHD_HTTP_HEADER_CONTENT_TYPE) == 0)
                has_ct = true;
            if (strcasecmp(hdrs->items[i].name, MHD_HTTP_HEADER_RETRY_AFTER) == 0)
                has_ra = true;
            MHD_add_response_header(r, hdrs->items[i].name, hdrs->items[i].value);
        }
    }
    if (content_type && !has_ct)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (retry_after && !has_ra)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, retry_after);
}

static enum MHD_Result queue(struct MHD_Connection *c, int status, struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    status_or_500(&status);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_buffer(struct MHD_Connection *c, int status, const char *content_type,
                                   const char *body, size_t len, const kvlist *hdrs,
                                   const char *retry_after)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)(body ? body : ""), MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    add_headers(r, content_type, hdrs, retry_after);
    return queue(c, status, r);
}

static enum MHD_Result send_text(struct MHD_Connection *c, int status, const char *content_type,
                                 const char *body, const char *retry_after)
{
    return send_buffer(c, status, content_type, body, strlen(body), NULL, retry_after);
}

/* TRUNCATE: Content-Length says the full length, only the first half comes. */
typedef struct trunc_body {
    char *data;
    size_t half;
} trunc_body;

static ssize_t trunc_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    trunc_body *t = cls;
    if (pos >= t->half)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = t->half - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, t->data + pos, n);
    return (ssize_t)n;
}

static void trunc_free(void *cls)
{
    trunc_body *t = cls;
    free(t->data);
    free(t);
}

static enum MHD_Result send_truncated(struct MHD_Connection *c, const emu_response *resp,
                                      const char *retry_after)
{
    trunc_body *t = malloc(sizeof *t);
    if (!t)
        return MHD_NO;
    /* An empty body still declares one byte, so the client always sees a
     * body cut short. */
    size_t declared = resp->len ? resp->len : 1;
    t->half = resp->len / 2;
    t->data = dup_mem(resp->body ? resp->body : "", resp->len);
    if (!t->data) {
        free(t);
        return MHD_NO;
    }
    struct MHD_Response *r =
        MHD_create_response_from_callback(declared, 32 * 1024, trunc_reader, t, trunc_free);
    if (!r) {
        trunc_free(t);
        return MHD_NO;
    }
    add_headers(r, resp->content_type, &resp->headers, retry_after);
    return queue(c, resp->status, r);
}

/* OVERSIZED: valid JSON of exactly `size` bytes, generated on the fly:
 * {"data":"xxx...x"} when size >= 11, else "x..x" (size >= 2) or 0 (size 1).
 * No JSON text has 0 bytes: size 0 answers an empty body. */
static char oversized_byte(size_t size, size_t i)
{
    static const char pre[] = "{\"data\":\"";
    if (size >= 11) {
        if (i < 9)
            return pre[i];
        if (i == size - 2)
            return '"';
        if (i == size - 1)
            return '}';
        return 'x';
    }
    if (size == 1)
        return '0';
    return (i == 0 || i == size - 1) ? '"' : 'x';
}

static ssize_t oversized_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    size_t size = *(size_t *)cls;
    if (pos >= size)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = size - (size_t)pos;
    if (n > max)
        n = max;
    memset(buf, 'x', n);
    size_t lo = (size_t)pos;
    for (size_t i = lo; i < lo + n && i < 9; i++)
        buf[i - lo] = oversized_byte(size, i);
    for (size_t i = size > 2 ? size - 2 : 0; i < size; i++)
        if (i >= lo && i < lo + n)
            buf[i - lo] = oversized_byte(size, i);
    return (ssize_t)n;
}

static enum MHD_Result send_oversized(struct MHD_Connection *c, size_t size,
                                      const char *retry_after)
{
    size_t *cls = malloc(sizeof *cls);
    if (!cls)
        return MHD_NO;
    *cls = size;
    struct MHD_Response *r =
        MHD_create_response_from_callback(size, 64 * 1024, oversized_reader, cls, free);
    if (!r) {
        free(cls);
        return MHD_NO;
    }
    add_headers(r, "application/json", NULL, retry_after);
    return queue(c, 200, r);
}

static void resp_free(emu_response *resp)
{
    free(resp->content_type);
    free(resp->body);
    kv_free(&resp->headers);
}

static enum MHD_Result send_handler_response(struct MHD_Connection *c, const emu_response *resp,
                                             const char *retry_after)
{
    if (!resp->set)
        return send_text(c, 500, "application/json",
                         "{\"error\":\"the handler set no response\"}", retry_after);
    return send_buffer(c, resp->status, resp->content_type, resp->body, resp->len,
                       &resp->headers, retry_after);
}

/* ------------------------------------------------------------------------ */
/* sleeping                                                                  */

static void emu_sleep(emu_server *srv, unsigned ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    lock_srv(srv);
    while (!srv->stopping) {
        if (pthread_cond_timedwait(&srv->wake, &srv->lock, &until) == ETIMEDOUT)
            break;
    }
    unlock_srv(srv);
}

/* ------------------------------------------------------------------------ */
/* MHD callbacks                                                             */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    conn_ctx *cx = calloc(1, sizeof *cx);
    if (!cx)
        return NULL;
    cx->srv = cls;
    cx->target = dup_str(uri ? uri : "");
    if (!cx->target) {
        free(cx);
        return NULL;
    }
    return cx;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_ctx *cx = *con_cls;
    if (cx) {
        free(cx->target);
        free(cx->body);
        free(cx);
        *con_cls = NULL;
    }
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)c;
    (void)socket_context;
    emu_server *srv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        lock_srv(srv);
        srv->connections++;
        unlock_srv(srv);
    }
}

static int append_body(conn_ctx *cx, const char *data, size_t n)
{
    if (cx->too_large)
        return 0;
    if (n > EMU_MAX_BODY - cx->len) {
        cx->too_large = true;
        free(cx->body);
        cx->body = NULL;
        cx->len = cx->cap = 0;
        return 0;
    }
    if (cx->len + n + 1 > cx->cap) {
        size_t cap = cx->cap ? cx->cap : 4096;
        while (cap < cx->len + n + 1)
            cap *= 2;
        char *b = realloc(cx->body, cap);
        if (!b)
            return -1;
        cx->body = b;
        cx->cap = cap;
    }
    memcpy(cx->body + cx->len, data, n);
    cx->len += n;
    cx->body[cx->len] = '\0';
    return 0;
}

static enum MHD_Result process(emu_server *srv, struct MHD_Connection *c, conn_ctx *cx,
                               const char *url, const char *method)
{
    emu_request rq = {0};
    rq.method = method;
    rq.path = url;
    rq.target = cx->target ? cx->target : url;
    rq.body = cx->body ? cx->body : "";
    rq.len = cx->len;
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_kv, &rq.headers);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_kv, &rq.query);

    if (cx->too_large) {
        lock_srv(srv);
        log_push(srv, method, cx->target, &rq.headers, NULL, 0);
        unlock_srv(srv);
        request_free(&rq);
        return send_text(c, 413, "application/json", "{\"error\":\"request body too large\"}",
                         NULL);
    }

    if (rq.len)
        rq.json = json_loadb(rq.body, rq.len, JSON_DECODE_ANY, NULL);
    parse_multipart(&rq);
    parse_auth(&rq);

    emu_handler *fn = NULL;
    void *userdata = NULL;
    bool matched = false;
    fault_node *fault = NULL;
    lock_srv(srv);
    log_push(srv, method, cx->target, &rq.headers, rq.body, rq.len);
    for (size_t i = 0; i < srv->nroutes && !matched; i++) {
        route *r = srv->routes[i];
        if (strcmp(r->method, "*") != 0 && strcmp(r->method, method) != 0)
            continue;
        kv_free(&rq.params);
        if (!pattern_match(r->pattern, url, &rq.params))
            continue;
        matched = true;
        r->count++;
        fn = r->fn;
        userdata = r->userdata;
        fault = r->faults;
        if (fault) {
            r->faults = fault->next;
            if (!r->faults)
                r->faults_tail = NULL;
        }
    }
    if (!matched)
        kv_free(&rq.params);
    unlock_srv(srv);

    enum MHD_Result ret;
    if (!matched) {
        ret = send_text(c, 404, "application/json", "{\"error\":\"no route\"}", NULL);
        request_free(&rq);
        return ret;
    }

    emu_fault_kind kind = fault ? fault->f.kind : 0;
    const char *ra = fault ? fault->retry_after : NULL;
    emu_response resp = {0};
    unsigned latency;
    pthread_mutex_lock(&srv->lock);
    latency = srv->latency_ms;
    pthread_mutex_unlock(&srv->lock);
    if (latency)
        emu_sleep(srv, latency);
    switch (kind) {
    case EMU_FAULT_STATUS:
        ret = send_text(c, fault->f.status, "application/json",
                        fault->body ? fault->body : "{}", ra);
        break;
    case EMU_FAULT_HTML: {
        int st = fault->f.status;
        status_or_500(&st);
        const char *reason = MHD_get_reason_phrase_for((unsigned)st);
        char page[256];
        snprintf(page, sizeof page,
                 "<html><head><title>%d %s</title></head><body><h1>%d %s</h1></body></html>\n",
                 st, reason, st, reason);
        ret = send_text(c, st, "text/html", page, ra);
        break;
    }
    case EMU_FAULT_DROP:
        ret = MHD_NO; /* MHD closes the connection without an answer */
        break;
    case EMU_FAULT_OVERSIZED:
        ret = send_oversized(c, fault->f.size, ra);
        break;
    case EMU_FAULT_INVALID_JSON:
        ret = send_text(c, 200, "application/json", "{\"data\": [1, 2", ra);
        break;
    case EMU_FAULT_INVALID_UTF8:
        ret = send_text(c, 200, "application/json", "{\"name\":\"\xff\xfe\"}", ra);
        break;
    case EMU_FAULT_DELAY:
        emu_sleep(srv, fault->f.delay_ms);
        fn(&rq, &resp, userdata);
        ret = send_handler_response(c, &resp, ra);
        break;
    case EMU_FAULT_DELAY_AFTER:
        fn(&rq, &resp, userdata);
        emu_sleep(srv, fault->f.delay_ms);
        ret = send_handler_response(c, &resp, ra);
        break;
    case EMU_FAULT_TRUNCATE:
        fn(&rq, &resp, userdata);
        if (!resp.set)
            ret = send_handler_response(c, &resp, ra);
        else
            ret = send_truncated(c, &resp, ra);
        break;
    default: /* no fault (or an unknown kind): handle normally */
        fn(&rq, &resp, userdata);
        ret = send_handler_response(c, &resp, ra);
        break;
    }
    resp_free(&resp);
    free_fault_node(fault);
    request_free(&rq);
    return ret;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
    (void)version;
    conn_ctx *cx = *con_cls;
    if (!cx)
        return MHD_NO; /* out of memory in on_uri */
    if (!cx->started) {
        cx->started = true;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (append_body(cx, upload_data, *upload_data_size) != 0)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    return process(cls, c, cx, url, method);
}

/* ------------------------------------------------------------------------ */
/* server                                                                    */

emu_server *emu_start(void)
{
    return emu_start_port(0);
}

emu_server *emu_start_port(unsigned port)
{
    if (port > 65535) {
        fprintf(stderr, "emu_start: port %u is out of range\n", port);
        return NULL;
    }
    emu_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        fprintf(stderr, "emu_start: out of memory\n");
        return NULL;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&srv->lock, NULL);

    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    srv->daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_access, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)256 * 1024,
        MHD_OPTION_CONNECTION_TIMEOUT, 0u,
        MHD_OPTION_END);
    if (!srv->daemon) {
        fprintf(stderr, "emu_start: cannot start the HTTP daemon on 127.0.0.1:%u%s\n", port,
                port ? " (is the port in use?)" : "");
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || !info->port) {
        fprintf(stderr, "emu_start: cannot read the port the daemon listens on\n");
        MHD_stop_daemon(srv->daemon);
        goto fail;
    }
    srv->port = info->port;
    snprintf(srv->base_url, sizeof srv->base_url, "http://127.0.0.1:%u", srv->port);
    return srv;
fail:
    pthread_mutex_destroy(&srv->lock);
    pthread_cond_destroy(&srv->wake);
    free(srv);
    return NULL;
}

void emu_stop(emu_server *srv)
{
    if (!srv)
        return;
    lock_srv(srv);
    srv->stopping = true;
    pthread_cond_broadcast(&srv->wake);
    unlock_srv(srv);
    MHD_stop_daemon(srv->daemon); /* joins every connection thread */
    for (size_t i = 0; i < srv->nroutes; i++) {
        free_faults(srv->routes[i]);
        free(srv->routes[i]->method);
        free(srv->routes[i]->pattern);
        free(srv->routes[i]);
    }
    free(srv->routes);
    log_clear(srv);
    pthread_mutex_destroy(&srv->lock);
    pthread_cond_destroy(&srv->wake);
    free(srv);
}

void emu_set_latency(emu_server *srv, unsigned ms)
{
    pthread_mutex_lock(&srv->lock);
    srv->latency_ms = ms;
    pthread_mutex_unlock(&srv->lock);
}

unsigned emu_port(const emu_server *srv)
{
    return srv ? srv->port : 0;
}

const char *emu_base_url(const emu_server *srv)
{
    return srv ? srv->base_url : NULL;
}

int emu_route(emu_server *srv, const char *method, const char *pattern, emu_handler *fn,
              void *userdata)
{
    if (!srv || !method || !pattern || !fn)
        return -1;
    route *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->method = dup_str(method);
    r->pattern = dup_str(pattern);
    r->fn = fn;
    r->userdata = userdata;
    if (!r->method || !r->pattern)
        goto fail;
    lock_srv(srv);
    if (srv->nroutes == srv->routes_cap) {
        size_t cap = srv->routes_cap ? srv->routes_cap * 2 : 8;
        route **routes = realloc(srv->routes, cap * sizeof *routes);
        if (!routes) {
            unlock_srv(srv);
            goto fail;
        }
        srv->routes = routes;
        srv->routes_cap = cap;
    }
    srv->routes[srv->nroutes++] = r;
    unlock_srv(srv);
    return 0;
fail:
    free(r->method);
    free(r->pattern);
    free(r);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* request accessors                                                         */

const char *emu_req_method(const emu_request *req)
{
    return req->method;
}

const char *emu_req_path(const emu_request *req)
{
    return req->path;
}

const char *emu_req_target(const emu_request *req)
{
    return req->target;
}

size_t emu_req_header_count(const emu_request *req)
{
    return req->headers.n;
}

bool emu_req_header_at(const emu_request *req, size_t i, const char **name, const char **value)
{
    if (i >= req->headers.n)
        return false;
    *name = req->headers.items[i].name;
    *value = req->headers.items[i].value;
    return true;
}

const char *emu_req_param(const emu_request *req, const char *name)
{
    return kv_get(&req->params, name, false);
}

const char *emu_req_query(const emu_request *req, const char *name)
{
    return kv_get(&req->query, name, false);
}

const char *emu_req_header(const emu_request *req, const char *name)
{
    return kv_get(&req->headers, name, true);
}

const char *emu_req_body(const emu_request *req, size_t *len)
{
    if (len)
        *len = req->len;
    return req->body;
}

json_t *emu_req_json(const emu_request *req)
{
    return req->json;
}

size_t emu_req_part_count(const emu_request *req)
{
    return req->nparts;
}

const emu_part *emu_req_part(const emu_request *req, size_t i)
{
    return i < req->nparts ? &req->parts[i] : NULL;
}

const emu_part *emu_req_part_named(const emu_request *req, const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < req->nparts; i++)
        if (strcmp(req->parts[i].name, name) == 0)
            return &req->parts[i];
    return NULL;
}

bool emu_req_basic_auth(const emu_request *req, const char **user, const char **password)
{
    if (!req->has_basic)
        return false;
    if (user)
        *user = req->user;
    if (password)
        *password = req->password;
    return true;
}

const char *emu_req_bearer(const emu_request *req)
{
    return req->bearer;
}

/* ------------------------------------------------------------------------ */
/* response setters                                                          */

static void resp_set(emu_response *resp, int status, const char *content_type, char *body,
                     size_t len)
{
    free(resp->content_type);
    free(resp->body);
    resp->set = true;
    resp->status = status;
    resp->content_type = dup_str(content_type);
    resp->body = body;
    resp->len = len;
}

void emu_resp_json(emu_response *resp, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(body);
    if (!text) {
        const char *err = "{\"error\":\"the handler gave no JSON body\"}";
        resp_set(resp, 500, "application/json", dup_str(err), strlen(err));
        return;
    }
    resp_set(resp, status, "application/json", text, strlen(text));
}

void emu_resp_body(emu_response *resp, int status, const char *content_type, const char *body,
                   size_t len)
{
    char *copy = dup_mem(body ? body : "", body ? len : 0);
    resp_set(resp, status, content_type, copy, copy && body ? len : 0);
}

void emu_resp_header(emu_response *resp, const char *name, const char *value)
{
    if (name && value)
        kv_add(&resp->headers, name, value);
}

/* ------------------------------------------------------------------------ */
/* faults                                                                    */

int emu_fault_push(emu_server *srv, const char *method, const char *pattern,
                   const emu_fault *fault)
{
    if (!srv || !fault)
        return -1;
    fault_node *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->f = *fault;
    f->body = fault->body ? dup_str(fault->body) : NULL;
    f->retry_after = fault->retry_after ? dup_str(fault->retry_after) : NULL;
    if ((fault->body && !f->body) || (fault->retry_after && !f->retry_after)) {
        free_fault_node(f);
        return -1;
    }
    f->f.body = f->body;
    f->f.retry_after = f->retry_after;
    lock_srv(srv);
    route *r = find_route_exact(srv, method, pattern);
    if (!r) {
        unlock_srv(srv);
        free_fault_node(f);
        fprintf(stderr, "emu_fault_push: no route %s %s\n", method ? method : "(null)",
                pattern ? pattern : "(null)");
        return -1;
    }
    if (r->faults_tail)
        r->faults_tail->next = f;
    else
        r->faults = f;
    r->faults_tail = f;
    unlock_srv(srv);
    return 0;
}

void emu_fault_clear(emu_server *srv)
{
    if (!srv)
        return;
    lock_srv(srv);
    for (size_t i = 0; i < srv->nroutes; i++)
        free_faults(srv->routes[i]);
    unlock_srv(srv);
}

/* ------------------------------------------------------------------------ */
/* what the server saw                                                       */

size_t emu_count(const emu_server *srv, const char *method, const char *pattern)
{
    if (!srv)
        return 0;
    lock_srv(srv);
    route *r = find_route_exact(srv, method, pattern);
    size_t n = r ? r->count : 0;
    unlock_srv(srv);
    return n;
}

size_t emu_log_count(const emu_server *srv)
{
    if (!srv)
        return 0;
    lock_srv(srv);
    size_t n = srv->nlog;
    unlock_srv(srv);
    return n;
}

char *emu_log_method(const emu_server *srv, size_t i)
{
    if (!srv)
        return NULL;
    lock_srv(srv);
    char *s = i < srv->nlog ? dup_str(srv->log[i].method) : NULL;
    unlock_srv(srv);
    return s;
}

char *emu_log_target(const emu_server *srv, size_t i)
{
    if (!srv)
        return NULL;
    lock_srv(srv);
    char *s = i < srv->nlog ? dup_str(srv->log[i].target) : NULL;
    unlock_srv(srv);
    return s;
}

char *emu_log_header(const emu_server *srv, size_t i, const char *name)
{
    if (!srv)
        return NULL;
    lock_srv(srv);
    char *s = i < srv->nlog ? dup_str(kv_get(&srv->log[i].headers, name, true)) : NULL;
    unlock_srv(srv);
    return s;
}

char *emu_log_body(const emu_server *srv, size_t i, size_t *len)
{
    if (!srv)
        return NULL;
    lock_srv(srv);
    char *s = NULL;
    if (i < srv->nlog) {
        s = dup_mem(srv->log[i].body, srv->log[i].len);
        if (s && len)
            *len = srv->log[i].len;
    }
    unlock_srv(srv);
    return s;
}

size_t emu_connections(const emu_server *srv)
{
    if (!srv)
        return 0;
    lock_srv(srv);
    size_t n = srv->connections;
    unlock_srv(srv);
    return n;
}

void emu_reset_log(emu_server *srv)
{
    if (!srv)
        return;
    lock_srv(srv);
    log_clear(srv);
    for (size_t i = 0; i < srv->nroutes; i++)
        srv->routes[i]->count = 0;
    srv->connections = 0;
    unlock_srv(srv);
}

/* ------------------------------------------------------------------------ */
/* ports that fail                                                           */

static int loopback_socket(struct sockaddr_in *sin)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memset(sin, 0, sizeof *sin);
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin->sin_port = htons(0);
    socklen_t sl = sizeof *sin;
    if (bind(fd, (struct sockaddr *)sin, sizeof *sin) != 0 ||
        getsockname(fd, (struct sockaddr *)sin, &sl) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

unsigned emu_refused_port(void)
{
    struct sockaddr_in sin;
    int fd = loopback_socket(&sin);
    if (fd < 0) {
        perror("emu_refused_port");
        return 0;
    }
    unsigned port = ntohs(sin.sin_port);
    close(fd);
    return port;
}

#define BLACKHOLE_MAX_CLIENTS 64

struct emu_blackhole {
    int listen_fd;
    int clients[BLACKHOLE_MAX_CLIENTS];
    size_t nclients;
};

void emu_blackhole_close(emu_blackhole *bh)
{
    if (!bh)
        return;
    for (size_t i = 0; i < bh->nclients; i++)
        close(bh->clients[i]);
    if (bh->listen_fd >= 0)
        close(bh->listen_fd);
    free(bh);
}

/* Whether the accept queue of listening socket fd is full (Linux reports,
 * for a listener, the queue length in tcpi_unacked and the backlog in
 * tcpi_sacked; the kernel drops SYNs while length > backlog), or -1 when
 * that cannot be told. */
static int acceptq_full(int fd, unsigned *queued)
{
#ifdef TCP_INFO
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && ti.tcpi_state == TCP_LISTEN) {
        *queued = ti.tcpi_unacked;
        return ti.tcpi_unacked > ti.tcpi_sacked;
    }
#else
    (void)fd;
#endif
    (void)queued;
    return -1;
}

/*
 * A listener with backlog 0 that is never accept()ed, and client connections
 * to it (non-blocking connect, kept open) until its accept queue is full:
 * from then on the kernel drops SYNs to that port, so a new connection
 * attempt hangs until the client gives up. Fullness is read with TCP_INFO;
 * where that is unavailable, a filler connection whose handshake does not
 * complete shows it.
 */
emu_blackhole *emu_blackhole_open(unsigned *port)
{
    emu_blackhole *bh = calloc(1, sizeof *bh);
    if (!bh) {
        fprintf(stderr, "emu_blackhole_open: out of memory\n");
        return NULL;
    }
    struct sockaddr_in sin;
    bh->listen_fd = loopback_socket(&sin);
    if (bh->listen_fd < 0 || listen(bh->listen_fd, 0) != 0) {
        perror("emu_blackhole_open: listen");
        emu_blackhole_close(bh);
        return NULL;
    }
    unsigned queued = 0;
    while (acceptq_full(bh->listen_fd, &queued) != 1 && bh->nclients < BLACKHOLE_MAX_CLIENTS) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            perror("emu_blackhole_open: socket");
            goto fail;
        }
        bh->clients[bh->nclients++] = fd;
        if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0 && errno != EINPROGRESS) {
            perror("emu_blackhole_open: connect");
            goto fail;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int n = poll(&pfd, 1, 500);
        if (n == 0) {
            /* The handshake hangs: SYNs are dropped already. */
            if (acceptq_full(bh->listen_fd, &queued) != 0)
                goto done;
            fprintf(stderr, "emu_blackhole_open: a filler connection hangs, the queue is not full\n");
            goto fail;
        }
        int err = 0;
        socklen_t el = sizeof err;
        if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0) {
            fprintf(stderr, "emu_blackhole_open: filler connection failed: %s\n",
                    strerror(n < 0 ? errno : err));
            goto fail;
        }
        /* The client side is connected; wait (briefly) until the listener
         * has queued the connection. */
        for (int i = 0; i < 500; i++) {
            int full = acceptq_full(bh->listen_fd, &queued);
            if (full < 0 || full == 1 || queued >= bh->nclients)
                break;
            usleep(1000);
        }
    }
    if (acceptq_full(bh->listen_fd, &queued) != 1)
        goto fail; /* not full, or out of filler sockets without telling */
done:
    if (port)
        *port = ntohs(sin.sin_port);
    return bh;
fail:
    fprintf(stderr, "emu_blackhole_open: could not fill the accept queue\n");
    emu_blackhole_close(bh);
    return NULL;
}
