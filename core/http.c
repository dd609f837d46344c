/*
 * core/http.c: the one HTTP client of uats. Connectors describe a request
 * (method, path, query, body); this file owns everything else: the URL
 * below the connection's base, credentials, timeouts, the retry policy,
 * pacing, size caps, redirects, keep-alive and redacted logging.
 *
 * The retry rule, which keeps creates from being duplicated:
 *  - not sent at all (could not connect, connect timeout): retry any method;
 *  - answered 429 or 503 (refused before processing): retry any method,
 *    after Retry-After when the vendor gives one;
 *  - answered 502 or 504, or sent with no complete answer: retry only
 *    idempotent requests; a create then fails with UATS_E_OUTCOME_UNKNOWN.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"

#define MAX_ACCEPTED 8
#define MAX_REDIRECTS 3
#define RETRY_AFTER_MAX (7L * 24 * 3600) /* a week: anything longer is "not now" */

/* ---- growable strings ---- */

typedef struct buf {
    char *data;
    size_t len, cap;
    bool failed;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *data = uats__realloc(b->data, cap);
        if (!data) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_str(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Percent-encode everything but RFC 3986 unreserved characters. */
static void buf_escaped(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            buf_add(b, (const char *)&c, 1);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, esc, 3);
        }
    }
}

/* ---- requests ---- */

typedef struct form_part {
    char *name;
    char *file_name;      /* NULL for a plain field */
    char *content_type;
    char *value;          /* plain field: owned copy */
    char *path;           /* file streamed from disk, or NULL */
    const char *data;     /* file: borrowed */
    size_t len;
} form_part;

typedef enum req_kind {
    REQ_API,              /* a path below the base URL, with credentials */
    REQ_API_URL,          /* an absolute URL on the base URL's origin, with credentials */
    REQ_DOWNLOAD,         /* any https URL, no credentials, the file size cap */
    REQ_INTERNAL          /* the token endpoint: its own client authentication */
} req_kind;

struct uats_http_req {
    uats_call *call;
    char method[8];
    req_kind kind;
    buf path;             /* below the base URL, or an absolute URL */
    buf query;
    buf form;             /* application/x-www-form-urlencoded body (internal) */
    struct curl_slist *headers;
    char *body;
    size_t body_len;
    char *body_type;      /* Content-Type of body, unless the connector set one */
    form_part *parts;
    size_t nparts;
    long accepted[MAX_ACCEPTED];
    size_t naccepted;
    int idempotent;       /* -1: by method */
    char *basic_user, *basic_password;  /* internal: token endpoint client auth */
    uats_code error;      /* first failure while building */
};

typedef struct resp_header {
    char *name;           /* lower case */
    char *value;
} resp_header;

struct uats_http_resp {
    uats_call *call;
    long status;
    buf body;
    size_t cap;           /* size limit */
    bool too_large;
    resp_header *headers;
    size_t nheaders;
    json_t *json;
    bool json_tried;
    bool commits;         /* counted in call->committed (http_refused withdraws it) */
};

static uats_code build_failed(uats_http_req *req, uats_code code, const char *what)
{
    if (req->error == UATS_OK)
        req->error = uats__host_api.fail(req->call, code, "building the request: %s", what);
    return req->error;
}

static uats_http_req *req_alloc(uats_call *call, const char *method)
{
    uats_http_req *req = uats__calloc(1, sizeof *req);
    if (!req) {
        uats__host_api.fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    req->call = call;
    req->idempotent = -1;
    snprintf(req->method, sizeof req->method, "%s", method ? method : "GET");
    for (char *m = req->method; *m; m++)
        *m = (char)toupper((unsigned char)*m);
    if (strcmp(req->method, "GET") && strcmp(req->method, "POST") &&
        strcmp(req->method, "PUT") && strcmp(req->method, "PATCH") &&
        strcmp(req->method, "DELETE"))
        build_failed(req, UATS_E_INTERNAL, "unsupported HTTP method");
    return req;
}

uats_http_req *uats__http_new(uats_call *call, const char *method, const char *path, ...)
{
    va_list ap;
    uats_http_req *req = req_alloc(call, method);
    if (!req)
        return NULL;
    if (!path || path[0] != '/')
        build_failed(req, UATS_E_INTERNAL, "the path must start with '/'");
    va_start(ap, path);
    for (const char *p = path; p && *p; p++) {
        if (*p == '?' || *p == '#') {
            build_failed(req, UATS_E_INTERNAL, "a path may not contain '?' or '#': use http_query");
            break;
        } else if (*p != '%') {
            buf_add(&req->path, p, 1);
        } else if (p[1] == '%') {
            buf_add(&req->path, "%", 1);
            p++;
        } else if (p[1] == 's') {
            const char *seg = va_arg(ap, const char *);
            if (!seg || !*seg)
                build_failed(req, UATS_E_INVALID_INPUT, "an id in the path is empty");
            else if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
                /* A dot segment: URL resolution would drop it (and ".." the
                 * segment before), sending the request elsewhere. */
                build_failed(req, UATS_E_INVALID_INPUT,
                             "an id in the path is \".\" or \"..\"");
            else
                buf_escaped(&req->path, seg);
            p++;
        } else {
            build_failed(req, UATS_E_INTERNAL, "only %s and %% may appear in a path");
            break;
        }
    }
    va_end(ap);
    if (req->path.failed)
        build_failed(req, UATS_E_NOMEM, "out of memory");
    return req;
}

static uats_http_req *new_absolute(uats_call *call, const char *method, const char *url,
                                   req_kind kind)
{
    uats_http_req *req = req_alloc(call, method);
    if (!req)
        return NULL;
    req->kind = kind;
    if (!url || !*url)
        build_failed(req, UATS_E_INTERNAL, "the URL is empty");
    else
        buf_str(&req->path, url);
    if (req->path.failed)
        build_failed(req, UATS_E_NOMEM, "out of memory");
    return req;
}

uats_http_req *uats__http_new_internal(uats_call *call, const char *method, const char *url)
{
    return new_absolute(call, method, url, REQ_INTERNAL);
}

uats_http_req *uats__http_new_url(uats_call *call, const char *method, const char *url)
{
    return new_absolute(call, method, url, REQ_API_URL);
}

uats_http_req *uats__http_new_download(uats_call *call, const char *url)
{
    return new_absolute(call, "GET", url, REQ_DOWNLOAD);
}

/* name=value, both percent-encoded, appended to a query or form body. */
static uats_code add_pair(uats_http_req *req, buf *b, const char *name, const char *value)
{
    if (!name || !value)
        return build_failed(req, UATS_E_INTERNAL, "a parameter without name or value");
    if (b->len)
        buf_add(b, "&", 1);
    buf_escaped(b, name);
    buf_add(b, "=", 1);
    buf_escaped(b, value);
    return b->failed ? build_failed(req, UATS_E_NOMEM, "out of memory") : UATS_OK;
}

uats_code uats__http_query(uats_http_req *req, const char *name, const char *value)
{
    return req ? add_pair(req, &req->query, name, value) : UATS_E_INVALID_INPUT;
}

uats_code uats__http_form_urlencoded(uats_http_req *req, const char *name, const char *value)
{
    return add_pair(req, &req->form, name, value);
}

static bool header_name_ok(const char *name)
{
    if (!name || !*name)
        return false;
    for (; *name; name++)
        if (!(isalnum((unsigned char)*name) || *name == '-' || *name == '_'))
            return false;
    return true;
}

uats_code uats__http_header(uats_http_req *req, const char *name, const char *value)
{
    if (!req)
        return UATS_E_INVALID_INPUT;
    if (!header_name_ok(name) || !value || strpbrk(value, "\r\n"))
        return build_failed(req, UATS_E_INTERNAL, "bad header name or value");
    if (strcasecmp(name, "Authorization") == 0 && req->kind != REQ_INTERNAL)
        return build_failed(req, UATS_E_INTERNAL,
                            "connectors must not set Authorization: the core does");
    /* A header set twice keeps the last value. */
    size_t nlen = strlen(name);
    for (struct curl_slist **l = &req->headers; *l; l = &(*l)->next) {
        if (strncasecmp((*l)->data, name, nlen) == 0 && (*l)->data[nlen] == ':') {
            struct curl_slist *gone = *l;
            *l = gone->next;
            gone->next = NULL;
            curl_slist_free_all(gone);
            break;
        }
    }
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = uats__malloc(n);
    if (!line)
        return build_failed(req, UATS_E_NOMEM, "out of memory");
    snprintf(line, n, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(req->headers, line);
    uats__free_mem(line);
    if (!l)
        return build_failed(req, UATS_E_NOMEM, "out of memory");
    req->headers = l;
    return UATS_OK;
}

uats_code uats__http_json_body(uats_http_req *req, const json_t *body)
{
    if (!req)
        return UATS_E_INVALID_INPUT;
    if (req->body || req->nparts)
        return build_failed(req, UATS_E_INTERNAL, "the request already has a body");
    size_t n = json_dumpb(body, NULL, 0, JSON_COMPACT);
    if (!n)
        return build_failed(req, UATS_E_INTERNAL, "the body cannot be serialised");
    req->body = uats__malloc(n);
    if (!req->body)
        return build_failed(req, UATS_E_NOMEM, "out of memory");
    req->body_len = json_dumpb(body, req->body, n, JSON_COMPACT);
    req->body_type = uats__strdup("application/json");
    return req->body_type ? UATS_OK : build_failed(req, UATS_E_NOMEM, "out of memory");
}

uats_code uats__http_body(uats_http_req *req, const char *content_type, const void *data,
                          size_t len)
{
    if (!req)
        return UATS_E_INVALID_INPUT;
    if (req->body || req->nparts)
        return build_failed(req, UATS_E_INTERNAL, "the request already has a body");
    if (!content_type || (!data && len))
        return build_failed(req, UATS_E_INTERNAL, "a body needs a content type and data");
    req->body = uats__malloc(len ? len : 1);
    req->body_type = uats__strdup(content_type);
    if (!req->body || !req->body_type)
        return build_failed(req, UATS_E_NOMEM, "out of memory");
    if (len)
        memcpy(req->body, data, len);
    req->body_len = len;
    return UATS_OK;
}

static uats_code add_part(uats_http_req *req, const char *name, const char *file_name,
                          const char *content_type, const char *value, const void *data,
                          size_t len)
{
    if (!req)
        return UATS_E_INVALID_INPUT;
    if (req->body)
        return build_failed(req, UATS_E_INTERNAL, "the request already has a JSON body");
    if (!name)
        return build_failed(req, UATS_E_INTERNAL, "form part without a name");
    form_part *parts = uats__realloc(req->parts, (req->nparts + 1) * sizeof *parts);
    if (!parts)
        return build_failed(req, UATS_E_NOMEM, "out of memory");
    req->parts = parts;
    form_part *p = &parts[req->nparts];
    memset(p, 0, sizeof *p);
    p->name = uats__strdup(name);
    p->file_name = uats__strdup(file_name);
    p->content_type = uats__strdup(content_type);
    p->value = uats__strdup(value);
    p->data = data;
    p->len = len;
    req->nparts++;
    if (!p->name || (file_name && !p->file_name) || (content_type && !p->content_type) ||
        (value && !p->value))
        return build_failed(req, UATS_E_NOMEM, "out of memory");
    return UATS_OK;
}

uats_code uats__http_form_file_path(uats_http_req *req, const char *name, const char *file_name,
                                    const char *content_type, const char *path)
{
    if (!req)
        return UATS_E_INVALID_INPUT;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return build_failed(req, UATS_E_INVALID_INPUT, "the file to upload cannot be read");
    fclose(f);
    const char *base = strrchr(path, '/');
    uats_code rc = add_part(req, name, file_name ? file_name : base ? base + 1 : path,
                            content_type ? content_type : "application/octet-stream", NULL,
                            "", 0);
    if (rc == UATS_OK && !(req->parts[req->nparts - 1].path = uats__strdup(path)))
        rc = build_failed(req, UATS_E_NOMEM, "out of memory");
    return rc;
}

uats_code uats__http_form_field(uats_http_req *req, const char *name, const char *value)
{
    return add_part(req, name, NULL, NULL, value ? value : "", NULL, 0);
}

uats_code uats__http_form_file(uats_http_req *req, const char *name, const char *file_name,
                               const char *content_type, const void *data, size_t len)
{
    if (req && !data && len)
        return build_failed(req, UATS_E_INTERNAL, "file part without data");
    return add_part(req, name, file_name ? file_name : "file",
                    content_type ? content_type : "application/octet-stream", NULL,
                    data ? data : "", len);
}

void uats__http_accept(uats_http_req *req, long status)
{
    if (req && req->naccepted < MAX_ACCEPTED)
        req->accepted[req->naccepted++] = status;
}

void uats__http_idempotent(uats_http_req *req, int idempotent)
{
    if (req)
        req->idempotent = idempotent ? 1 : 0;
}

void uats__http_basic(uats_http_req *req, const char *user, const char *password)
{
    req->basic_user = uats__strdup(user);
    req->basic_password = uats__strdup(password ? password : "");
    if (!req->basic_user || !req->basic_password)
        build_failed(req, UATS_E_NOMEM, "out of memory");
}

void uats__http_req_free(uats_http_req *req)
{
    if (!req)
        return;
    /* Token requests carry secrets in their bodies and Basic credentials:
     * wipe them rather than leave them in freed memory. */
    if (req->kind == REQ_INTERNAL) {
        if (req->form.data)
            memset(req->form.data, 0, req->form.len);
        if (req->body)
            memset(req->body, 0, req->body_len);
        if (req->basic_password)
            memset(req->basic_password, 0, strlen(req->basic_password));
    }
    uats__free_mem(req->path.data);
    uats__free_mem(req->query.data);
    uats__free_mem(req->form.data);
    curl_slist_free_all(req->headers);
    uats__free_mem(req->body);
    uats__free_mem(req->body_type);
    for (size_t i = 0; i < req->nparts; i++) {
        uats__free_mem(req->parts[i].name);
        uats__free_mem(req->parts[i].file_name);
        uats__free_mem(req->parts[i].content_type);
        uats__free_mem(req->parts[i].value);
        uats__free_mem(req->parts[i].path);
    }
    uats__free_mem(req->parts);
    uats__free_mem(req->basic_user);
    uats__free_mem(req->basic_password);
    uats__free_mem(req);
}

/* ---- responses ---- */

static void resp_clear(uats_http_resp *resp)
{
    for (size_t i = 0; i < resp->nheaders; i++) {
        uats__free_mem(resp->headers[i].name);
        uats__free_mem(resp->headers[i].value);
    }
    uats__free_mem(resp->headers);
    resp->headers = NULL;
    resp->nheaders = 0;
    uats__free_mem(resp->body.data);
    memset(&resp->body, 0, sizeof resp->body);
    resp->status = 0;
    resp->too_large = false;
    json_decref(resp->json);
    resp->json = NULL;
    resp->json_tried = false;
}

void uats__http_refused(uats_http_resp *resp)
{
    if (resp && resp->commits && resp->call->committed) {
        resp->call->committed--;
        resp->commits = false;
    }
}

void uats__http_resp_free(uats_http_resp *resp)
{
    if (!resp)
        return;
    resp_clear(resp);
    uats__free_mem(resp);
}

long uats__http_status(const uats_http_resp *resp)
{
    return resp ? resp->status : 0;
}

const char *uats__http_resp_header(const uats_http_resp *resp, const char *name)
{
    for (size_t i = 0; resp && name && i < resp->nheaders; i++)
        if (strcasecmp(resp->headers[i].name, name) == 0)
            return resp->headers[i].value;
    return NULL;
}

const char *uats__http_resp_body(const uats_http_resp *resp, size_t *len)
{
    if (len)
        *len = resp ? resp->body.len : 0;
    return resp && resp->body.data ? resp->body.data : "";
}

/* Describe a body that is not JSON, for messages: what a human would see. */
static const char *body_kind(const uats_http_resp *resp)
{
    const char *type = uats__http_resp_header(resp, "Content-Type");
    if (type && strncasecmp(type, "text/html", 9) == 0)
        return "an HTML page";
    if (!resp->body.len)
        return "an empty body";
    return "a body that is not valid JSON";
}

json_t *uats__http_resp_json(uats_http_resp *resp)
{
    json_error_t jerr;
    if (!resp)
        return NULL;
    if (resp->json_tried)
        return resp->json;
    resp->json_tried = true;
    resp->json = resp->body.len ? uats__json_loadb(resp->body.data, resp->body.len,
                                             JSON_DECODE_ANY, &jerr)
                                : NULL;
    if (!resp->json) {
        if (resp->body.len && uats__json_oom(&jerr))
            uats__host_api.fail(resp->call, UATS_E_NOMEM, "out of memory");
        else if (resp->body.len && json_error_code(&jerr) == json_error_invalid_utf8)
            uats__host_api.fail(resp->call, UATS_E_VENDOR,
                                "the vendor answered HTTP %ld with invalid UTF-8 in its JSON",
                                resp->status);
        else
            uats__host_api.fail(resp->call, UATS_E_VENDOR,
                                "the vendor answered HTTP %ld with %s where JSON was expected%s%s",
                                resp->status, body_kind(resp),
                                resp->body.len ? ": " : "", resp->body.len ? jerr.text : "");
    }
    return resp->json;
}

static bool is_idempotent(const uats_http_req *req);

static bool has_header(const uats_http_req *req, const char *name)
{
    size_t n = strlen(name);
    for (const struct curl_slist *l = req->headers; l; l = l->next)
        if (strncasecmp(l->data, name, n) == 0 && l->data[n] == ':')
            return true;
    return false;
}

/* ---- curl callbacks ---- */

static size_t on_body(char *data, size_t size, size_t n, void *userdata)
{
    uats_http_resp *resp = userdata;
    size_t len = size * n;
    if (resp->body.len + len > resp->cap) {
        resp->too_large = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    buf_add(&resp->body, data, len);
    return resp->body.failed ? 0 : len;
}

static size_t on_header(char *data, size_t size, size_t n, void *userdata)
{
    uats_http_resp *resp = userdata;
    size_t len = size * n;
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* A new response (after 100 Continue): forget earlier headers. */
        for (size_t i = 0; i < resp->nheaders; i++) {
            uats__free_mem(resp->headers[i].name);
            uats__free_mem(resp->headers[i].value);
        }
        resp->nheaders = 0;
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (!colon)
        return len;
    const char *v = colon + 1, *end = data + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    resp_header *h = uats__realloc(resp->headers, (resp->nheaders + 1) * sizeof *h);
    if (!h)
        return 0;
    resp->headers = h;
    h[resp->nheaders].name = uats__strndup(data, (size_t)(colon - data));
    h[resp->nheaders].value = uats__strndup(v, (size_t)(end - v));
    if (!h[resp->nheaders].name || !h[resp->nheaders].value) {
        uats__free_mem(h[resp->nheaders].name);
        uats__free_mem(h[resp->nheaders].value);
        return 0;
    }
    resp->nheaders++;
    return len;
}

/* Trace-level wire log: header lines only, credentials blanked by name,
 * then every secret value blanked by the redaction pass in uats__log. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userdata)
{
    uats_call *call = userdata;
    const char *dir = type == CURLINFO_HEADER_OUT ? ">" : type == CURLINFO_HEADER_IN ? "<" : NULL;
    (void)h;
    if (!dir)
        return 0;
    const char *line = data, *end = data + size;
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
        while (n && (line[n - 1] == '\r'))
            n--;
        if (n) {
            static const char *const hidden[] = {"authorization:", "proxy-authorization:",
                                                 "cookie:", "set-cookie:"};
            bool hide = false;
            for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
                if (n >= strlen(hidden[i]) && strncasecmp(line, hidden[i], strlen(hidden[i])) == 0)
                    hide = true;
            const char *name = call->module->desc.api_key_style == UATS_KEY_HEADER
                                   ? call->module->desc.api_key_name : NULL;
            if (name && n > strlen(name) && strncasecmp(line, name, strlen(name)) == 0 &&
                line[strlen(name)] == ':')
                hide = true;
            if (hide) {
                const char *colon = memchr(line, ':', n);
                uats__log(call->conn->ctx, call->conn, call->module->desc.name, UATS_LOG_TRACE,
                          "%s %.*s: [REDACTED]", dir, (int)(colon - line), line);
            } else {
                uats__log(call->conn->ctx, call->conn, call->module->desc.name, UATS_LOG_TRACE,
                          "%s %.*s", dir, (int)n, line);
            }
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

/* Multipart file parts stream from the connector's buffer, rewindable for
 * retries. */
typedef struct part_reader {
    const char *data;
    size_t len, pos;
} part_reader;

static size_t part_read(char *out, size_t size, size_t n, void *arg)
{
    part_reader *r = arg;
    size_t want = size * n, left = r->len - r->pos;
    if (want > left)
        want = left;
    memcpy(out, r->data + r->pos, want);
    r->pos += want;
    return want;
}

static int part_seek(void *arg, curl_off_t offset, int origin)
{
    part_reader *r = arg;
    if (origin != SEEK_SET || offset < 0 || (size_t)offset > r->len)
        return CURL_SEEKFUNC_FAIL;
    r->pos = (size_t)offset;
    return CURL_SEEKFUNC_OK;
}

/* ---- the handle pool: one connection's keep-alive ---- */

static CURL *pool_take(conn_http *ch)
{
    CURL *h = NULL;
    pthread_mutex_lock(&ch->pool_lock);
    if (ch->nidle)
        h = ch->idle[--ch->nidle];
    pthread_mutex_unlock(&ch->pool_lock);
    if (h)
        curl_easy_reset(h); /* options go; live connections stay */
    else
        h = curl_easy_init();
    return h;
}

static void pool_give(conn_http *ch, CURL *h)
{
    pthread_mutex_lock(&ch->pool_lock);
    if (ch->nidle == ch->cap) {
        size_t cap = ch->cap ? ch->cap * 2 : 4;
        CURL **idle = uats__realloc(ch->idle, cap * sizeof *idle);
        if (!idle) {
            pthread_mutex_unlock(&ch->pool_lock);
            curl_easy_cleanup(h);
            return;
        }
        ch->idle = idle;
        ch->cap = cap;
    }
    ch->idle[ch->nidle++] = h;
    pthread_mutex_unlock(&ch->pool_lock);
}

/* ---- one attempt ---- */

typedef enum outcome {
    ANSWERED,       /* a complete HTTP response */
    NOT_SENT,       /* certainly not processed: could not connect */
    NOT_SENT_TIMEOUT,
    UNKNOWN,        /* sent, no complete answer */
    TOO_LARGE,
    FAILED          /* not worth retrying (TLS, protocol, memory) */
} outcome;

typedef struct attempt {
    outcome result;
    bool sent;            /* the request left: it may have been processed */
    bool idempotent;
    int sends;            /* requests libcurl started in this transfer */
    bool resend_refused;  /* it tried to send a write a second time */
    CURLcode curl;
    char curl_error[CURL_ERROR_SIZE];
    double seconds;
} attempt;

static const char *auth_kind(const uats_http_req *req, const char **user, const char **pass,
                             const char **bearer, const char **key)
{
    const uats_call *call = req->call;
    *user = *pass = *bearer = *key = NULL;
    if (req->kind == REQ_DOWNLOAD)
        return "none";
    if (req->kind == REQ_INTERNAL) {
        *user = req->basic_user;
        *pass = req->basic_password;
        return req->basic_user ? "basic" : "none";
    }
    if ((*bearer = uats__host_api.credential((uats_call *)call, "token")))
        return "bearer";
    if (call->conn->http->oauth)
        return "oauth";
    if ((*key = uats__host_api.credential((uats_call *)call, "api_key"))) {
        switch (call->module->desc.api_key_style) {
        case UATS_KEY_BEARER: *bearer = *key; return "bearer";
        case UATS_KEY_HEADER: return "key-header";
        case UATS_KEY_QUERY: return "key-query";
        default: *user = *key; *pass = ""; return "basic";
        }
    }
    if ((*user = uats__host_api.credential((uats_call *)call, "username"))) {
        *pass = uats__host_api.credential((uats_call *)call, "password");
        if (!*pass)
            *pass = "";
        return "basic";
    }
    return "none";
}

static curl_mime *build_mime(CURL *h, uats_http_req *req, part_reader *readers)
{
    curl_mime *mime = curl_mime_init(h);
    for (size_t i = 0; mime && i < req->nparts; i++) {
        form_part *p = &req->parts[i];
        curl_mimepart *part = curl_mime_addpart(mime);
        if (!part || curl_mime_name(part, p->name) != CURLE_OK)
            goto fail;
        if (p->path) {
            if (curl_mime_filedata(part, p->path) != CURLE_OK ||
                curl_mime_filename(part, p->file_name) != CURLE_OK ||
                curl_mime_type(part, p->content_type) != CURLE_OK)
                goto fail;
        } else if (p->file_name) {
            readers[i] = (part_reader){p->data, p->len, 0};
            if (curl_mime_data_cb(part, (curl_off_t)p->len, part_read, part_seek, NULL,
                                  &readers[i]) != CURLE_OK ||
                curl_mime_filename(part, p->file_name) != CURLE_OK ||
                curl_mime_type(part, p->content_type) != CURLE_OK)
                goto fail;
        } else if (curl_mime_data(part, p->value, CURL_ZERO_TERMINATED) != CURLE_OK) {
            goto fail;
        }
    }
    return mime;
fail:
    curl_mime_free(mime);
    return NULL;
}

/* Append a formatted header line of any length (tokens can exceed 1 KB).
 * The temporary copy may hold a secret: wiped before it is freed. */
static bool add_line(struct curl_slist **list, const char *fmt, ...) UATS_PRINTF(2, 3);

static bool add_line(struct curl_slist **list, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *line = n >= 0 ? uats__malloc((size_t)n + 1) : NULL;
    struct curl_slist *grown = NULL;
    if (line) {
        vsnprintf(line, (size_t)n + 1, fmt, ap2);
        grown = curl_slist_append(*list, line);
        memset(line, 0, (size_t)n);
        uats__free_mem(line);
    }
    va_end(ap2);
    if (grown)
        *list = grown;
    return grown != NULL;
}

static int on_prereq(void *userdata, char *conn_primary_ip, char *conn_local_ip,
                     int conn_primary_port, int conn_local_port)
{
    attempt *at = userdata;
    (void)conn_primary_ip;
    (void)conn_local_ip;
    (void)conn_primary_port;
    (void)conn_local_port;
    if (++at->sends > 1 && !at->idempotent) {
        at->resend_refused = true;
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

static outcome classify(CURLcode rc, bool sent, bool too_large)
{
    switch (rc) {
    case CURLE_OK:
        return ANSWERED;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return NOT_SENT;
    case CURLE_OPERATION_TIMEDOUT:
        return sent ? UNKNOWN : NOT_SENT_TIMEOUT;
    case CURLE_WRITE_ERROR:
        return too_large ? TOO_LARGE : FAILED;
    case CURLE_FILESIZE_EXCEEDED:
        return TOO_LARGE;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return sent ? UNKNOWN : NOT_SENT;
    default:
        return FAILED;
    }
}

static void perform(uats_http_req *req, const char *url, const char *token,
                    uats_http_resp *resp, attempt *at)
{
    uats_call *call = req->call;
    conn_http *ch = call->conn->http;
    const http_policy *pol = &ch->policy;
    const char *user, *pass, *bearer, *key;
    struct curl_slist *headers = NULL;
    part_reader *readers = NULL;
    curl_mime *mime = NULL;

    memset(at, 0, sizeof *at);
    resp_clear(resp);
    resp->cap = req->kind == REQ_DOWNLOAD ? pol->max_file_bytes : pol->max_body_bytes;
    CURL *h = pool_take(ch);
    if (!h) {
        at->result = FAILED;
        at->curl = CURLE_OUT_OF_MEMORY;
        return;
    }
    const char *kind = auth_kind(req, &user, &pass, &bearer, &key);
    if (strcmp(kind, "oauth") == 0)
        bearer = token;

    /* The connector's headers, then our defaults for those it did not set.
     * Any failed append fails the attempt: a request must never go out
     * without its credentials or with half its headers. */
    bool hdr_ok = true;
    for (struct curl_slist *l = req->headers; l; l = l->next)
        hdr_ok &= add_line(&headers, "%s", l->data);
    if (!has_header(req, "Accept"))
        hdr_ok &= add_line(&headers, "%s", req->kind == REQ_DOWNLOAD ? "Accept: */*"
                                                                     : "Accept: application/json");
    if (req->body_type && !has_header(req, "Content-Type"))
        hdr_ok &= add_line(&headers, "Content-Type: %s", req->body_type);
    if (bearer) {
        hdr_ok &= add_line(&headers, "Authorization: Bearer %s", bearer);
    } else if (strcmp(kind, "key-header") == 0) {
        const uats_connector *d = &call->module->desc;
        hdr_ok &= add_line(&headers, "%s: %s%s", d->api_key_name,
                           d->api_key_prefix ? d->api_key_prefix : "", key);
    }
    if (req->form.len)
        hdr_ok &= add_line(&headers, "%s", "Content-Type: application/x-www-form-urlencoded");
    /* No "Expect: 100-continue" round trip for uploads. */
    hdr_ok &= add_line(&headers, "%s", "Expect:");


    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* redirects are ours */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, pol->connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, pol->total_ms);
    curl_easy_setopt(h, CURLOPT_USERAGENT, ch->user_agent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, at->curl_error);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)resp->cap);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    /* libcurl silently resends a request once when a reused connection
     * closes before any answer: harmless for a GET, a duplicate candidate
     * for a create (the vendor may have processed it and then died). Its
     * "before the request is sent" callback runs once per request sent, so
     * a second call within one transfer is that resend: refused, and the
     * write is reported as possibly done. Connections stay reused. */
    at->idempotent = is_idempotent(req);
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_prereq);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, at);
    if (user) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, pass ? pass : "");
    }
    if (call->conn->ctx->log_fn && call->conn->ctx->log_level >= UATS_LOG_TRACE) {
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, call);
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    }

    if (req->nparts) {
        readers = uats__calloc(req->nparts, sizeof *readers);
        mime = readers ? build_mime(h, req, readers) : NULL;
        curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
    } else if (req->body || req->form.len) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(req->body ? req->body_len : req->form.len));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : req->form.data);
    }
    if (strcmp(req->method, "GET") == 0)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else if (strcmp(req->method, "POST") == 0 && !req->body && !req->form.len && !req->nparts) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    } else if (strcmp(req->method, "POST") != 0) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
    }

    double start = uats__monotonic();
    unsigned long alloc_failures = uats__alloc_failures();
    if (!hdr_ok || !headers || (req->nparts && !mime)) {
        at->curl = CURLE_OUT_OF_MEMORY;
    } else {
        at->curl = curl_easy_perform(h);
        /* Our callbacks could not store what arrived. */
        if (at->curl != CURLE_OK && uats__alloc_failures() != alloc_failures)
            at->curl = CURLE_OUT_OF_MEMORY;
    }
    at->seconds = uats__monotonic() - start;
    long request_size = 0;
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    at->sent = request_size > 0 || at->resend_refused;
    at->result = at->resend_refused ? UNKNOWN : classify(at->curl, at->sent, resp->too_large);
    /* Detach everything request-specific before the handle is reused. */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_MIMEPOST, NULL);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    if (at->result == ANSWERED || at->result == TOO_LARGE)
        pool_give(ch, h);
    else
        curl_easy_cleanup(h); /* a broken connection is not worth keeping */
    curl_mime_free(mime);
    uats__free_mem(readers);
    /* Headers may carry the key or token: wipe before freeing. */
    for (struct curl_slist *l = headers; l; l = l->next)
        memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(headers);
}

/* ---- policy ---- */

static bool is_idempotent(const uats_http_req *req)
{
    if (req->idempotent >= 0)
        return req->idempotent;
    return strcmp(req->method, "GET") == 0 || strcmp(req->method, "PUT") == 0 ||
           strcmp(req->method, "DELETE") == 0;
}

static bool accepted(const uats_http_req *req, long status)
{
    for (size_t i = 0; i < req->naccepted; i++)
        if (req->accepted[i] == status)
            return true;
    return false;
}

/* Seconds the vendor asked us to wait, or -1. Both forms of RFC 9110. */
static long retry_after_seconds(const uats_http_resp *resp)
{
    const char *v = uats__http_resp_header(resp, "Retry-After");
    if (!v || !*v)
        return -1;
    if (isdigit((unsigned char)*v)) {
        char *end;
        long s = strtol(v, &end, 10);
        if (!(*end == '\0' || isspace((unsigned char)*end)))
            return -1;
        return s > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : s; /* no overflow in ms */
    }
    time_t when = curl_getdate(v, NULL);
    if (when == (time_t)-1)
        return -1;
    long delta = (long)(when - time(NULL));
    return delta > 0 ? (delta > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : delta) : 0;
}

static long backoff_ms(conn_http *ch, unsigned attempt_no)
{
    long step = ch->policy.base_delay_ms;
    for (unsigned i = 1; i < attempt_no && step < 8000; i++)
        step *= 2;
    if (step > 8000)
        step = 8000;
    /* Jitter in [step/2, step] so that parallel clients spread out. */
    pthread_mutex_lock(&ch->pool_lock);
    long jitter = step > 1 ? (long)(rand_r(&ch->rng) % (unsigned)(step / 2 + 1)) : 0;
    pthread_mutex_unlock(&ch->pool_lock);
    return step - jitter;
}

static uats_code status_code(long status, bool idempotent)
{
    /* A server error to a write may come after the write took effect
     * (a proxy timing out, a crash after the commit); only 503 says the
     * request was turned away, and 501 that it was not understood. */
    if (!idempotent && status >= 500 && status != 503 && status != 501)
        return UATS_E_OUTCOME_UNKNOWN;
    switch (status) {
    case 400: case 422: return UATS_E_VALIDATION;
    case 401: return UATS_E_AUTH;
    case 403: return UATS_E_FORBIDDEN;
    case 404: case 410: return UATS_E_NOT_FOUND;
    case 409: return UATS_E_CONFLICT;
    case 413: return UATS_E_TOO_LARGE;
    case 429: return UATS_E_RATE_LIMITED;
    default: return UATS_E_VENDOR;
    }
}

/* Find the vendor's message in an error body along the connector's paths. */
static void vendor_message(const uats_http_req *req, uats_http_resp *resp, char *out,
                           size_t size)
{
    static const char *const defaults[] = {"message", "error_description", "error.message",
                                           "error", "errors", NULL};
    /* RFC 6749 section 5.2, for the token endpoint. */
    static const char *const oauth[] = {"error_description", "error", NULL};
    const char *const *paths = req->kind == REQ_INTERNAL ? oauth
                                                         : req->call->module->desc.error_message_paths;
    json_error_t jerr;
    out[0] = '\0';
    json_t *doc = resp->body.len ? uats__json_loadb(resp->body.data, resp->body.len,
                                              JSON_DECODE_ANY, &jerr) : NULL;
    if (!doc) {
        const char *type = uats__http_resp_header(resp, "Content-Type");
        if (type && strncasecmp(type, "text/plain", 10) == 0 && resp->body.len)
            snprintf(out, size, "%.*s", (int)(resp->body.len < size ? resp->body.len : size - 1),
                     resp->body.data);
        return;
    }
    for (const char *const *p = paths ? paths : defaults; *p && !out[0]; p++) {
        json_t *v = doc;
        char seg[64];
        for (const char *s = *p; v && *s;) {
            size_t n = strcspn(s, ".");
            snprintf(seg, sizeof seg, "%.*s", (int)n, s);
            if (json_is_array(v) && isdigit((unsigned char)seg[0]))
                v = json_array_get(v, strtoul(seg, NULL, 10));
            else
                v = json_object_get(v, seg);
            s += n + (s[n] == '.');
        }
        if (json_is_string(v)) {
            snprintf(out, size, "%s", json_string_value(v));
        } else if (json_is_array(v)) {
            /* A list of messages (strings, or objects with "message"). */
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) {
                const char *m = json_is_string(item) ? json_string_value(item)
                                : json_string_value(json_object_get(item, "message"));
                if (m) {
                    size_t used = strlen(out);
                    snprintf(out + used, size - used, "%s%s", used ? "; " : "", m);
                }
            }
        }
    }
    json_decref(doc);
}

static char *build_url(const uats_http_req *req)
{
    buf url = {0};
    if (req->kind == REQ_API)
        buf_str(&url, req->call->conn->base_url);
    buf_str(&url, req->path.data ? req->path.data : "");
    bool has_query = req->kind != REQ_API && strchr(url.data ? url.data : "", '?');
    bool key_in_query = req->kind <= REQ_API_URL &&
                        req->call->module->desc.api_key_style == UATS_KEY_QUERY &&
                        !uats__host_api.credential(req->call, "token") &&
                        !req->call->conn->http->oauth;
    const char *key = key_in_query ? uats__host_api.credential(req->call, "api_key") : NULL;
    if (key) {
        buf_add(&url, has_query ? "&" : "?", 1);
        buf_escaped(&url, req->call->module->desc.api_key_name);
        buf_add(&url, "=", 1);
        buf_escaped(&url, key);
    }
    if (req->query.len) {
        buf_add(&url, key || has_query ? "&" : "?", 1);
        buf_str(&url, req->query.data);
    }
    if (url.failed) {
        uats__free_mem(url.data);
        return NULL;
    }
    return url.data;
}

/* Same scheme, host and port: the only redirects followed with credentials. */
static bool same_origin(const char *a, const char *b)
{
    CURLU *ua = curl_url(), *ub = curl_url();
    bool same = false;
    if (ua && ub && curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
        curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK) {
        char *sa = NULL, *sb = NULL, *ha = NULL, *hb = NULL, *pa = NULL, *pb = NULL;
        curl_url_get(ua, CURLUPART_SCHEME, &sa, 0);
        curl_url_get(ub, CURLUPART_SCHEME, &sb, 0);
        curl_url_get(ua, CURLUPART_HOST, &ha, 0);
        curl_url_get(ub, CURLUPART_HOST, &hb, 0);
        curl_url_get(ua, CURLUPART_PORT, &pa, CURLU_DEFAULT_PORT);
        curl_url_get(ub, CURLUPART_PORT, &pb, CURLU_DEFAULT_PORT);
        same = sa && sb && ha && hb && pa && pb && strcasecmp(sa, sb) == 0 &&
               strcasecmp(ha, hb) == 0 && strcmp(pa, pb) == 0;
        curl_free(sa); curl_free(sb); curl_free(ha); curl_free(hb); curl_free(pa); curl_free(pb);
    }
    curl_url_cleanup(ua);
    curl_url_cleanup(ub);
    return same;
}

/* Resolve a Location header against url: new string (curl_free) or NULL. */
static char *resolve_location(const char *url, const char *location)
{
    CURLU *u = curl_url();
    char *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, location, 0) == CURLUE_OK)
        curl_url_get(u, CURLUPART_URL, &out, 0);
    curl_url_cleanup(u);
    return out;
}

static const char *vendor_name(const uats_call *call)
{
    const uats_connector *d = &call->module->desc;
    return d->vendor ? d->vendor : d->name;
}

uats_code uats__http_send(uats_http_req *req, uats_http_resp **out)
{
    if (out)
        *out = NULL;
    if (!req)
        return UATS_E_NOMEM; /* http_new already recorded it */
    uats_call *call = req->call;
    conn_http *ch = call->conn->http;
    const http_policy *pol = &ch->policy;
    uats_code rc = req->error;
    char *url = NULL, *token = NULL;
    uats_http_resp *resp = NULL;
    long waited_ms = 0;
    unsigned attempts = 0, redirects = 0;
    bool renewed = false;
    const char *name = call->module->desc.name;

    if (rc != UATS_OK)
        goto done;
    if (!out) {
        rc = uats__host_api.fail(call, UATS_E_INTERNAL, "http_send without a response pointer");
        goto done;
    }
    url = build_url(req);
    resp = uats__calloc(1, sizeof *resp);
    if (!url || !resp) {
        rc = uats__host_api.fail(call, UATS_E_NOMEM, "out of memory");
        goto done;
    }
    resp->call = call;
    uats_error why;
    if (uats__http_check_url(url, pol, &why) != UATS_OK) {
        rc = uats__host_api.fail(call, UATS_E_CONFIG, "%s", why.text);
        goto done;
    }
    if (req->kind == REQ_API_URL && !same_origin(url, call->conn->base_url)) {
        rc = uats__host_api.fail(call, UATS_E_VENDOR, "%s pointed to a URL on another host; "
                                 "uats sends credentials only to %s", vendor_name(call),
                                 call->conn->base_url);
        goto done;
    }

    for (;;) {
        attempt at;
        if (req->kind <= REQ_API_URL) {
            uats__pace_acquire(&ch->pace, pol->rate_per_sec, pol->rate_burst);
            if (ch->oauth && !uats__host_api.credential(call, "token")) {
                uats__free_mem(token);
                token = NULL;
                rc = uats__oauth_token(call, NULL, &token);
                if (rc != UATS_OK)
                    goto done;
            }
        }
        attempts++;
        perform(req, url, token, resp, &at);
        uats__log(call->conn->ctx, call->conn, name, UATS_LOG_DEBUG,
                  "%s %s -> %s%ld (%zu bytes, %.0f ms, attempt %u)", req->method, url,
                  at.result == ANSWERED ? "HTTP " : "", at.result == ANSWERED ? resp->status : 0L,
                  resp->body.len, at.seconds * 1000, attempts);
        if (at.result == ANSWERED && req->kind <= REQ_API_URL) {
            const char *prefix = call->module->desc.rate_limit_header_prefix;
            char names[3][96];
            static const char *const suffix[] = {"Limit", "Remaining", "Reset"};
            for (int k = 0; k < 3; k++)
                snprintf(names[k], sizeof names[k], "%s%s", prefix ? prefix : "X-RateLimit-",
                         suffix[k]);
            uats__pace_observe(&ch->pace, uats__http_resp_header(resp, names[0]),
                               uats__http_resp_header(resp, names[1]),
                               uats__http_resp_header(resp, names[2]));
        }

        bool retry = false;
        long wait_ms = -1;
        switch (at.result) {
        case ANSWERED: {
            long st = resp->status;
            if (st >= 300 && st < 400 && st != 304 && st != 307 && st != 308 &&
                !is_idempotent(req) && !accepted(req, st)) {
                /* Post/redirect/get: the vendor processed the write and
                 * points at the result. Following it with the same body
                 * would write again. */
                call->committed++;
                rc = uats__host_api.fail_vendor(
                    call, UATS_E_OUTCOME_UNKNOWN, st, NULL,
                    "%s answered %s %s with a redirect (HTTP %ld): it was processed, but "
                    "its result was not returned", vendor_name(call), req->method,
                    req->path.data, st);
                goto done;
            }
            if (st >= 300 && st < 400 && st != 304 && !accepted(req, st)) {
                const char *loc = uats__http_resp_header(resp, "Location");
                char *next = loc ? resolve_location(url, loc) : NULL;
                if (!next || !same_origin(url, next) || ++redirects > MAX_REDIRECTS) {
                    rc = uats__host_api.fail_vendor(
                        call, UATS_E_VENDOR, st, NULL,
                        "%s redirected %s %s to %s; uats follows at most %d redirects and "
                        "only to the same host, so credentials never reach another host",
                        vendor_name(call), req->method, req->path.data,
                        loc ? "another location" : "nowhere", MAX_REDIRECTS);
                    curl_free(next);
                    goto done;
                }
                uats__free_mem(url);
                url = uats__strdup(next);
                curl_free(next);
                if (!url) {
                    rc = uats__host_api.fail(call, UATS_E_NOMEM, "out of memory");
                    goto done;
                }
                continue;
            }
            if (st == 401 && ch->oauth && !renewed && req->kind <= REQ_API_URL &&
                !uats__host_api.credential(call, "token")) {
                /* The token may have been revoked early: renew once. */
                renewed = true;
                char *refused = token;
                token = NULL;
                rc = uats__oauth_token(call, refused, &token);
                if (refused)
                    memset(refused, 0, strlen(refused));
                uats__free_mem(refused);
                if (rc != UATS_OK)
                    goto done;
                continue;
            }
            if (st == 429 || st == 503)
                retry = true;
            else if ((st == 502 || st == 504) && is_idempotent(req))
                retry = true;
            if (retry)
                wait_ms = retry_after_seconds(resp) >= 0 ? retry_after_seconds(resp) * 1000 : -1;
            break;
        }
        case NOT_SENT:
        case NOT_SENT_TIMEOUT:
            retry = true;
            break;
        case UNKNOWN:
            retry = is_idempotent(req);
            break;
        case TOO_LARGE:
        case FAILED:
            break;
        }

        if (retry && attempts < pol->max_attempts) {
            long delay = backoff_ms(ch, attempts);
            if (wait_ms > delay)
                delay = wait_ms;
            if (waited_ms + delay <= pol->max_wait_ms) {
                uats__log(call->conn->ctx, call->conn, name, UATS_LOG_INFO,
                          "%s %s: retrying in %ld ms (attempt %u of %u)", req->method,
                          req->path.data, delay, attempts + 1, pol->max_attempts);
                uats__sleep_ms(delay);
                waited_ms += delay;
                continue;
            }
        }

        /* Final outcome. */
        switch (at.result) {
        case ANSWERED: {
            long st = resp->status;
            /* A token fetch changes nothing the host asked for. */
            if (st >= 200 && st < 300 && !is_idempotent(req) && req->kind != REQ_INTERNAL) {
                call->committed++;
                resp->commits = true;
            }
            if ((st >= 200 && st < 300) || accepted(req, st)) {
                *out = resp;
                resp = NULL;
                rc = UATS_OK;
                goto done;
            }
            /* Large: cut only after redaction, or a secret's head survives. */
            char vendor[4096];
            vendor_message(req, resp, vendor, sizeof vendor);
            long ra = retry_after_seconds(resp);
            rc = uats__host_api.fail_vendor(
                call, status_code(st, is_idempotent(req)), st, vendor[0] ? vendor : NULL,
                "%s answered HTTP %ld to %s %s%s%s (%u attempt%s)", vendor_name(call), st,
                req->method, req->path.data, vendor[0] ? "" : " with ",
                vendor[0] ? "" : body_kind(resp), attempts, attempts == 1 ? "" : "s");
            if (ra >= 0 && (st == 429 || st == 503))
                call->err->retry_after = ra;
            goto done;
        }
        case NOT_SENT:
            rc = uats__host_api.fail(call, UATS_E_TRANSPORT,
                                     "could not reach %s for %s %s after %u attempts: %s",
                                     vendor_name(call), req->method, req->path.data, attempts,
                                     at.curl_error[0] ? at.curl_error : curl_easy_strerror(at.curl));
            goto done;
        case NOT_SENT_TIMEOUT:
            rc = uats__host_api.fail(call, UATS_E_TIMEOUT,
                                     "%s did not accept the connection for %s %s within %ld ms "
                                     "(%u attempts); the request was not sent",
                                     vendor_name(call), req->method, req->path.data,
                                     pol->connect_ms, attempts);
            goto done;
        case UNKNOWN:
            if (is_idempotent(req))
                rc = uats__host_api.fail(call, at.curl == CURLE_OPERATION_TIMEDOUT
                                                   ? UATS_E_TIMEOUT : UATS_E_TRANSPORT,
                                         "%s %s to %s: no complete answer after %u attempts: %s",
                                         req->method, req->path.data, vendor_name(call), attempts,
                                         at.curl_error[0] ? at.curl_error
                                                          : curl_easy_strerror(at.curl));
            else
                rc = uats__host_api.fail(call, UATS_E_OUTCOME_UNKNOWN,
                                         "%s %s was sent to %s but no complete answer came (%s); "
                                         "it may have taken effect, so it was not retried",
                                         req->method, req->path.data, vendor_name(call),
                                         at.curl_error[0] ? at.curl_error
                                                          : curl_easy_strerror(at.curl));
            goto done;
        case TOO_LARGE:
        case FAILED:
            if (at.sent && !is_idempotent(req)) {
                /* Sent, and then something broke: the vendor may well have
                 * processed it (a 2xx says it did). */
                if (resp->status >= 200 && resp->status < 300 && req->kind != REQ_INTERNAL)
                    call->committed++;
                char status[40] = "";
                if (resp->status)
                    snprintf(status, sizeof status, ", which answered HTTP %ld", resp->status);
                rc = uats__host_api.fail(call, UATS_E_OUTCOME_UNKNOWN,
                                         "%s %s was sent to %s%s, but its answer could not "
                                         "be read (%s); it may have taken effect",
                                         req->method, req->path.data, vendor_name(call), status,
                                         at.result == TOO_LARGE ? "too large"
                                         : at.curl_error[0] ? at.curl_error
                                                            : curl_easy_strerror(at.curl));
                goto done;
            }
            if (at.result == FAILED)
                goto failed;
            rc = uats__host_api.fail(call, UATS_E_TOO_LARGE,
                                     "%s's answer to %s %s exceeds the %zu-byte limit (%s)",
                                     vendor_name(call), req->method, req->path.data,
                                     resp->cap, req->kind == REQ_DOWNLOAD ? "max_file_bytes"
                                                                         : "max_response_bytes");
            goto done;
        failed:
            rc = uats__host_api.fail(call, at.curl == CURLE_OUT_OF_MEMORY ? UATS_E_NOMEM
                                                                          : UATS_E_TRANSPORT,
                                     "%s %s to %s failed: %s", req->method, req->path.data,
                                     vendor_name(call),
                                     at.curl_error[0] ? at.curl_error : curl_easy_strerror(at.curl));
            goto done;
        }
    }
done:
    if (token) {
        memset(token, 0, strlen(token));
        uats__free_mem(token);
    }
    uats__free_mem(url);
    uats__http_resp_free(resp);
    uats__http_req_free(req);
    return rc;
}
