/*
 * tests/check_emu.c: the vendor emulator kit (emulator/emu.h) driven by real
 * libcurl clients: routing, request parsing (JSON, multipart, auth), every
 * fault kind as a client sees it, counts and the request log, keep-alive
 * and connection counting, and the ports that fail (refused, black hole).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <strings.h>
#include <time.h>

#include "emu.h"
#include "testutil.h"

static emu_server *srv;

/* ---- state the handlers change (they run on the server's threads) ---- */

static pthread_mutex_t st_lock = PTHREAD_MUTEX_INITIALIZER;
static int created;      /* POST /candidates */

typedef struct captured_part {
    bool present;
    char *file_name;
    char *content_type;
    char *data;
    size_t len;
} captured_part;

static struct {
    size_t count;
    captured_part title, resume, missing;
    bool json_is_null;
    bool out_of_range_is_null;
} mp;

static void free_captured(captured_part *c)
{
    free(c->file_name);
    free(c->content_type);
    free(c->data);
    memset(c, 0, sizeof *c);
}

static void setup(void)
{
    pthread_mutex_lock(&st_lock);
    created = 0;
    free_captured(&mp.title);
    free_captured(&mp.resume);
    free_captured(&mp.missing);
    memset(&mp, 0, sizeof mp);
    pthread_mutex_unlock(&st_lock);
    srv = emu_start();
    ck_assert_ptr_nonnull(srv);
}

static void teardown(void)
{
    emu_stop(srv);
    srv = NULL;
    pthread_mutex_lock(&st_lock);
    free_captured(&mp.title);
    free_captured(&mp.resume);
    free_captured(&mp.missing);
    pthread_mutex_unlock(&st_lock);
}

static int get_created(void)
{
    pthread_mutex_lock(&st_lock);
    int n = created;
    pthread_mutex_unlock(&st_lock);
    return n;
}

/* ---- handlers ---- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Echo what the kit parsed; userdata names the route. */
static void h_echo(const emu_request *rq, emu_response *resp, void *ud)
{
    json_t *o = json_object();
    size_t len;
    const char *user = NULL, *password = NULL;
    bool basic = emu_req_basic_auth(rq, &user, &password);
    json_t *body = emu_req_json(rq);
    emu_req_body(rq, &len);
    json_object_set_new(o, "route", json_string(ud));
    json_object_set_new(o, "method", json_string(emu_req_method(rq)));
    json_object_set_new(o, "path", json_string(emu_req_path(rq)));
    json_object_set_new(o, "id", str_or_null(emu_req_param(rq, "id")));
    json_object_set_new(o, "note", str_or_null(emu_req_param(rq, "note")));
    json_object_set_new(o, "q", str_or_null(emu_req_query(rq, "q")));
    json_object_set_new(o, "limit", str_or_null(emu_req_query(rq, "limit")));
    json_object_set_new(o, "missing", str_or_null(emu_req_query(rq, "missing")));
    json_object_set_new(o, "flag", str_or_null(emu_req_query(rq, "flag")));
    json_object_set_new(o, "x_test", str_or_null(emu_req_header(rq, "x-TEST")));
    json_object_set_new(o, "json", body ? json_incref(body) : json_null());
    json_object_set_new(o, "len", json_integer((json_int_t)len));
    json_object_set_new(o, "basic", json_boolean(basic));
    json_object_set_new(o, "user", str_or_null(basic ? user : NULL));
    json_object_set_new(o, "password", str_or_null(basic ? password : NULL));
    json_object_set_new(o, "bearer", str_or_null(emu_req_bearer(rq)));
    emu_resp_json(resp, 200, o);
}

static void h_create(const emu_request *rq, emu_response *resp, void *ud)
{
    (void)rq;
    (void)ud;
    pthread_mutex_lock(&st_lock);
    int id = ++created;
    pthread_mutex_unlock(&st_lock);
    emu_resp_json(resp, 201, json_pack("{s:i}", "id", id));
}

#define BLOB_LEN 10000
static char blob[BLOB_LEN];

static void h_blob(const emu_request *rq, emu_response *resp, void *ud)
{
    (void)rq;
    (void)ud;
    emu_resp_body(resp, 200, "application/octet-stream", blob, sizeof blob);
}

static void h_plain(const emu_request *rq, emu_response *resp, void *ud)
{
    (void)rq;
    (void)ud;
    emu_resp_header(resp, "X-Emu", "yes");
    emu_resp_body(resp, 202, "text/csv", "a,b\n1,2\n", 8);
    emu_resp_header(resp, "Location", "/reports/1");
}

static void capture_part(captured_part *c, const emu_part *p)
{
    if (!p)
        return;
    c->present = true;
    c->file_name = p->file_name ? strdup(p->file_name) : NULL;
    c->content_type = p->content_type ? strdup(p->content_type) : NULL;
    c->data = malloc(p->len + 1);
    memcpy(c->data, p->data, p->len + 1); /* including the kit's NUL */
    c->len = p->len;
}

static void h_upload(const emu_request *rq, emu_response *resp, void *ud)
{
    (void)ud;
    pthread_mutex_lock(&st_lock);
    mp.count = emu_req_part_count(rq);
    capture_part(&mp.title, emu_req_part_named(rq, "title"));
    capture_part(&mp.resume, emu_req_part_named(rq, "resume"));
    capture_part(&mp.missing, emu_req_part_named(rq, "missing"));
    mp.json_is_null = emu_req_json(rq) == NULL;
    mp.out_of_range_is_null = emu_req_part(rq, mp.count) == NULL;
    pthread_mutex_unlock(&st_lock);
    emu_resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static void h_silent(const emu_request *rq, emu_response *resp, void *ud)
{
    (void)rq;
    (void)resp;
    (void)ud;
}

/* ---- a libcurl client ---- */

typedef struct reply {
    CURLcode rc;
    long status;
    char *body;
    size_t len;
    char ctype[128];
    char retry_after[64];
    char x_emu[64];
    char err[CURL_ERROR_SIZE];
    double ms;
} reply;

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    reply *r = ud;
    size_t add = sz * n;
    char *b = realloc(r->body, r->len + add + 1);
    ck_assert_ptr_nonnull(b);
    memcpy(b + r->len, p, add);
    r->body = b;
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

static void header_value(char *dst, size_t cap, const char *line, size_t n, const char *name)
{
    size_t nl = strlen(name);
    if (n <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return;
    const char *v = line + nl + 1;
    const char *e = line + n;
    while (v < e && *v == ' ')
        v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
        e--;
    snprintf(dst, cap, "%.*s", (int)(e - v), v);
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    reply *r = ud;
    header_value(r->retry_after, sizeof r->retry_after, p, sz * n, "Retry-After");
    header_value(r->x_emu, sizeof r->x_emu, p, sz * n, "X-Emu");
    return sz * n;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Prepare h for METHOD base_url+path, with an optional body. */
static void prepare(CURL *h, reply *r, const char *method, const char *path, const char *body,
                    size_t len, struct curl_slist *hdrs)
{
    char url[512];
    memset(r, 0, sizeof *r);
    snprintf(url, sizeof url, "%s%s", emu_base_url(srv), path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->err);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, strcmp(method, "POST") ? method : NULL);
    } else if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
}

static void perform(CURL *h, reply *r)
{
    double t0 = now_ms();
    r->rc = curl_easy_perform(h);
    r->ms = now_ms() - t0;
    char *ct = NULL;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    if (ct)
        snprintf(r->ctype, sizeof r->ctype, "%s", ct);
}

static CURL *new_handle(void)
{
    CURL *h = curl_easy_init();
    ck_assert_ptr_nonnull(h);
    return h;
}

/* One request on its own easy handle (so its own connection). */
static reply request_h(const char *method, const char *path, const char *body, size_t len,
                       struct curl_slist *hdrs, long timeout_ms)
{
    reply r;
    CURL *h = new_handle();
    prepare(h, &r, method, path, body, len, hdrs);
    if (timeout_ms)
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    perform(h, &r);
    curl_easy_cleanup(h);
    return r;
}

static reply request(const char *method, const char *path, const char *body)
{
    return request_h(method, path, body, body ? strlen(body) : 0, NULL, 0);
}

static void reply_free(reply *r)
{
    free(r->body);
    r->body = NULL;
}

/* The reply body as JSON (asserts it parses). */
static json_t *reply_json(const reply *r)
{
    json_error_t e;
    json_t *j = json_loadb(r->body ? r->body : "", r->len, 0, &e);
    ck_assert_msg(j != NULL, "reply is not JSON (%s): %.200s", e.text, r->body ? r->body : "");
    return j;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void assert_ok(const reply *r, long status)
{
    ck_assert_msg(r->rc == CURLE_OK, "curl: %s (%s)", curl_easy_strerror(r->rc), r->err);
    ck_assert_int_eq(r->status, status);
}

/* GET path and check which route answered (NULL: none, 404). */
static void assert_route(const char *method, const char *path, const char *route)
{
    reply r = request(method, path, NULL);
    if (!route) {
        assert_ok(&r, 404);
        ck_assert_str_eq(r.body, "{\"error\":\"no route\"}");
    } else {
        assert_ok(&r, 200);
        json_t *j = reply_json(&r);
        ck_assert_msg(jstr(j, "route") && strcmp(jstr(j, "route"), route) == 0,
                      "%s %s answered by %s, expected %s", method, path, jstr(j, "route"), route);
        json_decref(j);
    }
    reply_free(&r);
}

/* ---- server basics ---- */

START_TEST(test_start_stop)
{
    char want[64];
    ck_assert_uint_gt(emu_port(srv), 0);
    snprintf(want, sizeof want, "http://127.0.0.1:%u", emu_port(srv));
    ck_assert_str_eq(emu_base_url(srv), want);

    emu_server *other = emu_start();
    ck_assert_ptr_nonnull(other);
    ck_assert_uint_ne(emu_port(other), emu_port(srv));
    emu_stop(other);
    emu_stop(NULL);

    /* Nothing routed: 404 with a JSON error, logged, not counted. */
    reply r = request("GET", "/anything", NULL);
    assert_ok(&r, 404);
    ck_assert_str_eq(r.ctype, "application/json");
    ck_assert_str_eq(r.body, "{\"error\":\"no route\"}");
    reply_free(&r);
    ck_assert_uint_eq(emu_log_count(srv), 1);

    /* A fault for a route that was never added is refused. */
    emu_fault f = {.kind = EMU_FAULT_STATUS, .status = 500};
    ck_assert_int_eq(emu_fault_push(srv, "GET", "/anything", &f), -1);
    ck_assert_uint_eq(emu_count(srv, "GET", "/anything"), 0);

    /* Bound to 127.0.0.1 only: another loopback address is refused. */
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.2:%u/anything", emu_port(srv));
    CURL *h = new_handle();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    ck_assert_int_eq(curl_easy_perform(h), CURLE_COULDNT_CONNECT);
    curl_easy_cleanup(h);
}
END_TEST

START_TEST(test_routing)
{
    ck_assert_int_eq(emu_route(srv, "GET", "/candidates/:id/notes/:note", h_echo, "note"), 0);
    ck_assert_int_eq(emu_route(srv, "GET", "/candidates/:id", h_echo, "cand"), 0);
    ck_assert_int_eq(emu_route(srv, "GET", "/candidates/me", h_echo, "me-shadowed"), 0);
    ck_assert_int_eq(emu_route(srv, "GET", "/jobs/open", h_echo, "open"), 0);
    ck_assert_int_eq(emu_route(srv, "GET", "/jobs/:id", h_echo, "job"), 0);
    ck_assert_int_eq(emu_route(srv, "*", "/any", h_echo, "any"), 0);
    ck_assert_int_eq(emu_route(srv, "DELETE", "/candidates/:id", h_echo, "del"), 0);
    ck_assert_int_eq(emu_route(srv, "GET", "/", h_echo, "root"), 0);

    reply r = request("GET", "/candidates/c-42/notes/n7?q=caf%C3%A9+au%20lait&limit=5&flag", NULL);
    assert_ok(&r, 200);
    json_t *j = reply_json(&r);
    ck_assert_str_eq(jstr(j, "route"), "note");
    ck_assert_str_eq(jstr(j, "method"), "GET");
    ck_assert_str_eq(jstr(j, "path"), "/candidates/c-42/notes/n7");
    ck_assert_str_eq(jstr(j, "id"), "c-42");
    ck_assert_str_eq(jstr(j, "note"), "n7");
    ck_assert_str_eq(jstr(j, "q"), "caf\xc3\xa9 au lait");
    ck_assert_str_eq(jstr(j, "limit"), "5");
    ck_assert(json_is_null(json_object_get(j, "missing")));
    ck_assert_str_eq(jstr(j, "flag"), ""); /* present without a value */
    json_decref(j);
    reply_free(&r);

    /* Percent-encoded path segments reach the handler decoded. */
    r = request("GET", "/candidates/a%20b", NULL);
    assert_ok(&r, 200);
    j = reply_json(&r);
    ck_assert_str_eq(jstr(j, "route"), "cand");
    ck_assert_str_eq(jstr(j, "id"), "a b");
    ck_assert(json_is_null(json_object_get(j, "note")));
    ck_assert(json_is_null(json_object_get(j, "q")));
    json_decref(j);
    reply_free(&r);

    assert_route("GET", "/candidates/me", "cand");  /* first match wins */
    assert_route("GET", "/jobs/open", "open");
    assert_route("GET", "/jobs/17?x=1", "job");
    assert_route("GET", "/", "root");
    assert_route("GET", "/any", "any");
    assert_route("PATCH", "/any", "any");
    assert_route("DELETE", "/candidates/9", "del");
    assert_route("POST", "/candidates/9", NULL);          /* no POST route */
    assert_route("GET", "/candidates//notes/n7", NULL);   /* :id needs a segment */
    assert_route("GET", "/candidates/", NULL);
    assert_route("GET", "/candidates/1/notes", NULL);
    assert_route("GET", "/candidates/1/notes/2/x", NULL);
    assert_route("GET", "/Candidates/1", NULL);           /* literal, case-sensitive */
    assert_route("GET", "/jobs", NULL);

    r = request("PATCH", "/any", "{}");
    assert_ok(&r, 200);
    j = reply_json(&r);
    ck_assert_str_eq(jstr(j, "method"), "PATCH");
    json_decref(j);
    reply_free(&r);

    ck_assert_uint_eq(emu_count(srv, "GET", "/candidates/:id"), 2);
    ck_assert_uint_eq(emu_count(srv, "GET", "/candidates/me"), 0);
    ck_assert_uint_eq(emu_count(srv, "*", "/any"), 3);
    ck_assert_uint_eq(emu_count(srv, "GET", "/any"), 0); /* as given to emu_route */
}
END_TEST

/* ---- request bodies ---- */

START_TEST(test_json_echo)
{
    ck_assert_int_eq(emu_route(srv, "POST", "/echo", h_echo, "echo"), 0);
    ck_assert_int_eq(emu_route(srv, "PUT", "/echo", h_echo, "echo"), 0);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    hdrs = curl_slist_append(hdrs, "X-Test: hello there");

    const char *in = "{\"name\": \"Ada Lovelace\", \"tags\": [1, 2.5, null, \"\xc3\xa9\"], "
                     "\"nested\": {\"ok\": true}}";
    reply r = request_h("POST", "/echo", in, strlen(in), hdrs, 0);
    assert_ok(&r, 200);
    ck_assert_str_eq(r.ctype, "application/json");
    json_t *j = reply_json(&r);
    json_t *want = json_loads(in, 0, NULL);
    ck_assert_ptr_nonnull(want);
    ck_assert(json_equal(json_object_get(j, "json"), want));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "len")), (json_int_t)strlen(in));
    ck_assert_str_eq(jstr(j, "x_test"), "hello there");
    json_decref(want);
    json_decref(j);
    reply_free(&r);

    /* A scalar is JSON too; a broken body is not. */
    r = request_h("PUT", "/echo", "42", 2, hdrs, 0);
    assert_ok(&r, 200);
    j = reply_json(&r);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "json")), 42);
    ck_assert_str_eq(jstr(j, "method"), "PUT");
    json_decref(j);
    reply_free(&r);

    r = request_h("POST", "/echo", "{\"name\": ", 9, hdrs, 0);
    assert_ok(&r, 200);
    j = reply_json(&r);
    ck_assert(json_is_null(json_object_get(j, "json")));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "len")), 9);
    json_decref(j);
    reply_free(&r);
    curl_slist_free_all(hdrs);

    /* A raw response with its own headers. */
    ck_assert_int_eq(emu_route(srv, "GET", "/report", h_plain, NULL), 0);
    r = request("GET", "/report", NULL);
    assert_ok(&r, 202);
    ck_assert_str_eq(r.ctype, "text/csv");
    ck_assert_str_eq(r.x_emu, "yes");
    ck_assert_uint_eq(r.len, 8);
    ck_assert_str_eq(r.body, "a,b\n1,2\n");
    reply_free(&r);

    /* A handler that sets nothing answers 500. */
    ck_assert_int_eq(emu_route(srv, "GET", "/silent", h_silent, NULL), 0);
    r = request("GET", "/silent", NULL);
    assert_ok(&r, 500);
    reply_free(&r);
}
END_TEST

START_TEST(test_multipart)
{
    /* Binary: NULs, 0xff, CR LF and a fake delimiter inside the data. */
    static const char head[] = "%PDF-1.4\0\0\x01\x02\xff\xfe\r\n--notaboundary\r\n\r\n\0end";
    size_t flen = 200000;
    char *file = malloc(flen);
    ck_assert_ptr_nonnull(file);
    memcpy(file, head, sizeof head);
    unsigned x = 12345;
    for (size_t i = sizeof head; i < flen; i++) {
        x = x * 1103515245u + 12345u;
        file[i] = (char)(x >> 16);
    }
    file[flen - 1] = '\0';

    ck_assert_int_eq(emu_route(srv, "POST", "/candidates/:id/resume", h_upload, NULL), 0);
    CURL *h = new_handle();
    reply r;
    prepare(h, &r, "POST", "/candidates/7/resume", NULL, 0, NULL);
    curl_mime *mime = curl_mime_init(h);
    curl_mimepart *part = curl_mime_addpart(mime);
    curl_mime_name(part, "title");
    curl_mime_data(part, "Senior \"C\" engineer; r\xc3\xa9sum\xc3\xa9", CURL_ZERO_TERMINATED);
    part = curl_mime_addpart(mime);
    curl_mime_name(part, "resume");
    curl_mime_filename(part, "cv final.pdf");
    curl_mime_type(part, "application/pdf");
    curl_mime_data(part, file, flen);
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
    perform(h, &r);
    assert_ok(&r, 200);
    reply_free(&r);
    curl_easy_cleanup(h);
    curl_mime_free(mime);

    pthread_mutex_lock(&st_lock);
    ck_assert_uint_eq(mp.count, 2);
    ck_assert(mp.json_is_null);
    ck_assert(mp.out_of_range_is_null);
    ck_assert(!mp.missing.present);
    ck_assert(mp.title.present);
    ck_assert_ptr_null(mp.title.file_name);
    ck_assert_ptr_null(mp.title.content_type);
    ck_assert_str_eq(mp.title.data, "Senior \"C\" engineer; r\xc3\xa9sum\xc3\xa9");
    ck_assert(mp.resume.present);
    ck_assert_str_eq(mp.resume.file_name, "cv final.pdf");
    ck_assert_str_eq(mp.resume.content_type, "application/pdf");
    ck_assert_uint_eq(mp.resume.len, flen);
    ck_assert_mem_eq(mp.resume.data, file, flen);
    ck_assert_int_eq(mp.resume.data[flen], '\0'); /* NUL-terminated for convenience */
    pthread_mutex_unlock(&st_lock);
    free(file);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates/:id/resume"), 1);
}
END_TEST

START_TEST(test_auth)
{
    ck_assert_int_eq(emu_route(srv, "GET", "/me", h_echo, "me"), 0);

    /* Basic, with a colon in the password. */
    CURL *h = new_handle();
    reply r;
    prepare(h, &r, "GET", "/me", NULL, 0, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, "api-key-123");
    curl_easy_setopt(h, CURLOPT_PASSWORD, "pa:ss w\xc3\xb6rd");
    perform(h, &r);
    curl_easy_cleanup(h);
    assert_ok(&r, 200);
    json_t *j = reply_json(&r);
    ck_assert(json_is_true(json_object_get(j, "basic")));
    ck_assert_str_eq(jstr(j, "user"), "api-key-123");
    ck_assert_str_eq(jstr(j, "password"), "pa:ss w\xc3\xb6rd");
    ck_assert(json_is_null(json_object_get(j, "bearer")));
    json_decref(j);
    reply_free(&r);

    /* Lever style: the key as user, empty password. */
    h = new_handle();
    prepare(h, &r, "GET", "/me", NULL, 0, NULL);
    curl_easy_setopt(h, CURLOPT_USERPWD, "lever-key:");
    perform(h, &r);
    curl_easy_cleanup(h);
    assert_ok(&r, 200);
    j = reply_json(&r);
    ck_assert(json_is_true(json_object_get(j, "basic")));
    ck_assert_str_eq(jstr(j, "user"), "lever-key");
    ck_assert_str_eq(jstr(j, "password"), "");
    json_decref(j);
    reply_free(&r);

    /* Bearer through libcurl's own support. */
    h = new_handle();
    prepare(h, &r, "GET", "/me", NULL, 0, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
    curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, "tok-ABC.def_123");
    perform(h, &r);
    curl_easy_cleanup(h);
    assert_ok(&r, 200);
    j = reply_json(&r);
    ck_assert(json_is_false(json_object_get(j, "basic")));
    ck_assert_str_eq(jstr(j, "bearer"), "tok-ABC.def_123");
    json_decref(j);
    reply_free(&r);

    /* Scheme names are case-insensitive; no or broken credentials give nothing. */
    struct curl_slist *hdrs = curl_slist_append(NULL, "Authorization: bearer  lower-tok");
    r = request_h("GET", "/me", NULL, 0, hdrs, 0);
    curl_slist_free_all(hdrs);
    j = reply_json(&r);
    ck_assert_str_eq(jstr(j, "bearer"), "lower-tok");
    json_decref(j);
    reply_free(&r);

    hdrs = curl_slist_append(NULL, "Authorization: Basic !!not-base64!!");
    r = request_h("GET", "/me", NULL, 0, hdrs, 0);
    curl_slist_free_all(hdrs);
    j = reply_json(&r);
    ck_assert(json_is_false(json_object_get(j, "basic")));
    ck_assert(json_is_null(json_object_get(j, "bearer")));
    json_decref(j);
    reply_free(&r);

    hdrs = curl_slist_append(NULL, "Authorization: Basic bm9jb2xvbg=="); /* "nocolon" */
    r = request_h("GET", "/me", NULL, 0, hdrs, 0);
    curl_slist_free_all(hdrs);
    j = reply_json(&r);
    ck_assert(json_is_false(json_object_get(j, "basic")));
    json_decref(j);
    reply_free(&r);

    r = request("GET", "/me", NULL);
    j = reply_json(&r);
    ck_assert(json_is_false(json_object_get(j, "basic")));
    ck_assert(json_is_null(json_object_get(j, "bearer")));
    json_decref(j);
    reply_free(&r);
}
END_TEST

/* ---- faults ---- */

static void route_create(void)
{
    ck_assert_int_eq(emu_route(srv, "POST", "/candidates", h_create, NULL), 0);
}

static void push(const char *method, const char *pattern, emu_fault f)
{
    ck_assert_int_eq(emu_fault_push(srv, method, pattern, &f), 0);
}

static void assert_created(const reply *r, int id)
{
    assert_ok(r, 201);
    json_t *j = reply_json(r);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "id")), id);
    json_decref(j);
}

START_TEST(test_fault_status)
{
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 429,
                                            .body = "{\"error\":\"rate limited\"}",
                                            .retry_after = "7"});
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 503});

    reply r = request("POST", "/candidates", "{}");
    assert_ok(&r, 429);
    ck_assert_str_eq(r.ctype, "application/json");
    ck_assert_str_eq(r.body, "{\"error\":\"rate limited\"}");
    ck_assert_str_eq(r.retry_after, "7");
    reply_free(&r);

    r = request("POST", "/candidates", "{}");
    assert_ok(&r, 503);
    ck_assert_str_eq(r.body, "{}");
    ck_assert_str_eq(r.retry_after, "");
    reply_free(&r);

    ck_assert_int_eq(get_created(), 0); /* the handler never ran */
    r = request("POST", "/candidates", "{}");
    assert_created(&r, 1);
    ck_assert_str_eq(r.retry_after, "");
    reply_free(&r);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 3);
}
END_TEST

START_TEST(test_fault_html)
{
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_HTML, .status = 502,
                                            .retry_after = "Wed, 21 Oct 2037 07:28:00 GMT"});
    reply r = request("POST", "/candidates", "{}");
    assert_ok(&r, 502);
    ck_assert_str_eq(r.ctype, "text/html");
    ck_assert_ptr_nonnull(strstr(r.body, "<html>"));
    ck_assert_ptr_nonnull(strstr(r.body, "502 Bad Gateway"));
    ck_assert_ptr_null(json_loadb(r.body, r.len, 0, NULL));
    ck_assert_str_eq(r.retry_after, "Wed, 21 Oct 2037 07:28:00 GMT");
    reply_free(&r);
    ck_assert_int_eq(get_created(), 0);
    r = request("POST", "/candidates", "{}");
    assert_created(&r, 1);
    reply_free(&r);
}
END_TEST

START_TEST(test_fault_drop)
{
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DROP});
    reply r = request("POST", "/candidates", "{\"name\":\"x\"}");
    ck_assert_msg(r.rc == CURLE_GOT_NOTHING || r.rc == CURLE_RECV_ERROR,
                  "curl: %s (%s)", curl_easy_strerror(r.rc), r.err);
    ck_assert_int_eq(r.status, 0);
    reply_free(&r);
    ck_assert_int_eq(get_created(), 0);
    /* The request did reach the vendor and was read in full. */
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 1);
    size_t len = 0;
    char *body = emu_log_body(srv, 0, &len);
    ck_assert_str_eq(body, "{\"name\":\"x\"}");
    free(body);

    r = request("POST", "/candidates", "{}");
    assert_created(&r, 1);
    reply_free(&r);
}
END_TEST

START_TEST(test_fault_delay)
{
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DELAY, .delay_ms = 400,
                                            .retry_after = "1"});
    reply r = request("POST", "/candidates", "{}");
    assert_created(&r, 1);
    ck_assert_msg(r.ms >= 380, "answered after %.0f ms", r.ms);
    ck_assert_str_eq(r.retry_after, "1");
    reply_free(&r);

    /* Delayed and timed out: the handler never ran. */
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DELAY, .delay_ms = 1500});
    r = request_h("POST", "/candidates", "{}", 2, NULL, 200);
    ck_assert_int_eq(r.rc, CURLE_OPERATION_TIMEDOUT);
    reply_free(&r);
    ck_assert_int_eq(get_created(), 1);

    r = request("POST", "/candidates", "{}");
    ck_assert_msg(r.ms < 1000, "not delayed, answered after %.0f ms", r.ms);
    assert_created(&r, 2);
    reply_free(&r);
}
END_TEST

START_TEST(test_fault_delay_after)
{
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 3000});
    reply r = request_h("POST", "/candidates", "{}", 2, NULL, 300);
    ck_assert_int_eq(r.rc, CURLE_OPERATION_TIMEDOUT);
    ck_assert_msg(r.ms < 2000, "timed out after %.0f ms", r.ms);
    reply_free(&r);
    /* The client gave up, yet the vendor created the candidate. */
    ck_assert_int_eq(get_created(), 1);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 1);

    /* The sleeping connection blocks no other. */
    r = request("POST", "/candidates", "{}");
    ck_assert_msg(r.ms < 1000, "answered after %.0f ms", r.ms);
    assert_created(&r, 2);
    reply_free(&r);

    /* With a patient client, the answer comes after the delay. */
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 300,
                                            .retry_after = "2"});
    r = request("POST", "/candidates", "{}");
    assert_created(&r, 3);
    ck_assert_msg(r.ms >= 280, "answered after %.0f ms", r.ms);
    ck_assert_str_eq(r.retry_after, "2");
    reply_free(&r);

    /* Stopping cuts a sleep in progress short. */
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 30000});
    r = request_h("POST", "/candidates", "{}", 2, NULL, 200);
    ck_assert_int_eq(r.rc, CURLE_OPERATION_TIMEDOUT);
    reply_free(&r);
    double t0 = now_ms();
    emu_stop(srv);
    srv = NULL;
    ck_assert_msg(now_ms() - t0 < 5000, "emu_stop took %.0f ms", now_ms() - t0);
    ck_assert_int_eq(get_created(), 4);
}
END_TEST

START_TEST(test_fault_truncate)
{
    ck_assert_int_eq(emu_route(srv, "GET", "/blob", h_blob, NULL), 0);
    push("GET", "/blob", (emu_fault){.kind = EMU_FAULT_TRUNCATE});
    reply r = request("GET", "/blob", NULL);
    ck_assert_msg(r.rc == CURLE_PARTIAL_FILE || r.rc == CURLE_RECV_ERROR,
                  "curl: %s (%s)", curl_easy_strerror(r.rc), r.err);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.len, BLOB_LEN / 2);
    ck_assert_mem_eq(r.body, blob, BLOB_LEN / 2);
    reply_free(&r);

    /* The handler's effects happen. */
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_TRUNCATE});
    r = request("POST", "/candidates", "{}");
    ck_assert_int_eq(r.rc, CURLE_PARTIAL_FILE);
    ck_assert_int_eq(r.status, 201);
    ck_assert_ptr_null(json_loadb(r.body ? r.body : "", r.len, 0, NULL));
    reply_free(&r);
    ck_assert_int_eq(get_created(), 1);

    r = request("GET", "/blob", NULL);
    assert_ok(&r, 200);
    ck_assert_uint_eq(r.len, BLOB_LEN);
    ck_assert_mem_eq(r.body, blob, BLOB_LEN);
    reply_free(&r);
}
END_TEST

START_TEST(test_fault_oversized)
{
    ck_assert_int_eq(emu_route(srv, "GET", "/candidates", h_echo, "list"), 0);
    static const size_t sizes[] = {3000000, 11, 12, 5, 2, 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        push("GET", "/candidates", (emu_fault){.kind = EMU_FAULT_OVERSIZED, .size = sizes[i]});
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        reply r = request("GET", "/candidates", NULL);
        assert_ok(&r, 200);
        ck_assert_str_eq(r.ctype, "application/json");
        ck_assert_uint_eq(r.len, sizes[i]);
        json_error_t e;
        json_t *j = json_loadb(r.body, r.len, JSON_DECODE_ANY, &e);
        ck_assert_msg(j != NULL, "size %zu: %s", sizes[i], e.text);
        if (sizes[i] >= 11)
            ck_assert_uint_eq(json_string_length(json_object_get(j, "data")), sizes[i] - 11);
        json_decref(j);
        reply_free(&r);
    }
    reply r = request("GET", "/candidates", NULL);
    assert_ok(&r, 200);
    json_t *j = reply_json(&r);
    ck_assert_str_eq(jstr(j, "route"), "list");
    json_decref(j);
    reply_free(&r);
}
END_TEST

START_TEST(test_fault_invalid_json)
{
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_INVALID_JSON, .retry_after = "3"});
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_INVALID_UTF8});

    json_error_t e;
    reply r = request("POST", "/candidates", "{}");
    assert_ok(&r, 200);
    ck_assert_str_eq(r.ctype, "application/json");
    ck_assert_str_eq(r.retry_after, "3");
    ck_assert_uint_gt(r.len, 0);
    ck_assert_ptr_null(json_loadb(r.body, r.len, JSON_DECODE_ANY, &e));
    ck_assert_int_eq(json_error_code(&e), json_error_premature_end_of_input);
    reply_free(&r);

    r = request("POST", "/candidates", "{}");
    assert_ok(&r, 200);
    ck_assert_str_eq(r.ctype, "application/json");
    ck_assert_ptr_null(json_loadb(r.body, r.len, 0, &e));
    ck_assert_int_eq(json_error_code(&e), json_error_invalid_utf8);
    reply_free(&r);

    ck_assert_int_eq(get_created(), 0);
    r = request("POST", "/candidates", "{}");
    assert_created(&r, 1);
    reply_free(&r);
}
END_TEST

START_TEST(test_fault_order)
{
    route_create();
    ck_assert_int_eq(emu_route(srv, "GET", "/candidates/:id", h_echo, "cand"), 0);
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 500});
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_HTML, .status = 503});
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DROP});
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 409,
                                            .body = "{\"error\":\"duplicate\"}"});

    /* Another route is not affected. */
    assert_route("GET", "/candidates/1", "cand");

    reply r = request("POST", "/candidates", "{}");
    assert_ok(&r, 500);
    reply_free(&r);
    r = request("POST", "/candidates", "{}");
    assert_ok(&r, 503);
    ck_assert_str_eq(r.ctype, "text/html");
    reply_free(&r);
    r = request("POST", "/candidates", "{}");
    ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
    reply_free(&r);
    r = request("POST", "/candidates", "{}");
    assert_ok(&r, 409);
    ck_assert_str_eq(r.body, "{\"error\":\"duplicate\"}");
    reply_free(&r);
    for (int i = 1; i <= 2; i++) {
        r = request("POST", "/candidates", "{}");
        assert_created(&r, i);
        reply_free(&r);
    }
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 6);

    /* emu_fault_clear drops what is queued. */
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 500});
    push("GET", "/candidates/:id", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 500});
    emu_fault_clear(srv);
    r = request("POST", "/candidates", "{}");
    assert_created(&r, 3);
    reply_free(&r);
    assert_route("GET", "/candidates/1", "cand");
}
END_TEST

/* ---- counts, log, connections ---- */

START_TEST(test_count_and_log)
{
    route_create();
    ck_assert_int_eq(emu_route(srv, "GET", "/candidates/:id", h_echo, "cand"), 0);
    struct curl_slist *hdrs = curl_slist_append(NULL, "X-Request-Id: r-1");
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");

    reply r = request_h("GET", "/candidates/7?q=a%20b&sort=-created&x=%2F&y=a+b&t=%7e", NULL, 0,
                        hdrs, 0);
    assert_ok(&r, 200);
    reply_free(&r);
    r = request_h("POST", "/candidates", "{\"n\":1}", 7, hdrs, 0);
    assert_created(&r, 1);
    reply_free(&r);
    r = request("GET", "/nowhere?z=1", NULL);
    assert_ok(&r, 404);
    reply_free(&r);
    static const char bin[] = "a\0b\xff";
    r = request_h("POST", "/candidates", bin, sizeof bin - 1, NULL, 0);
    assert_created(&r, 2);
    reply_free(&r);
    curl_slist_free_all(hdrs);

    ck_assert_uint_eq(emu_count(srv, "GET", "/candidates/:id"), 1);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 2);
    ck_assert_uint_eq(emu_count(srv, "GET", "/nowhere"), 0);
    ck_assert_uint_eq(emu_count(srv, "DELETE", "/candidates"), 0);
    ck_assert_uint_eq(emu_log_count(srv), 4);

    static const char *methods[] = {"GET", "POST", "GET", "POST"};
    static const char *targets[] = {"/candidates/7?q=a%20b&sort=-created&x=%2F&y=a+b&t=%7e",
                                    "/candidates", "/nowhere?z=1", "/candidates"};
    for (size_t i = 0; i < 4; i++) {
        char *m = emu_log_method(srv, i), *t = emu_log_target(srv, i);
        ck_assert_str_eq(m, methods[i]);
        ck_assert_str_eq(t, targets[i]);
        free(m);
        free(t);
    }
    char *v = emu_log_header(srv, 0, "x-request-id");
    ck_assert_str_eq(v, "r-1");
    free(v);
    v = emu_log_header(srv, 1, "CONTENT-TYPE");
    ck_assert_str_eq(v, "application/json");
    free(v);
    v = emu_log_header(srv, 2, "Host");
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(strstr(v, "127.0.0.1:"));
    free(v);
    ck_assert_ptr_null(emu_log_header(srv, 2, "X-Request-Id"));

    size_t len = 99;
    char *b = emu_log_body(srv, 0, &len);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(b, "");
    free(b);
    b = emu_log_body(srv, 1, &len);
    ck_assert_uint_eq(len, 7);
    ck_assert_str_eq(b, "{\"n\":1}");
    free(b);
    b = emu_log_body(srv, 3, &len);
    ck_assert_uint_eq(len, 4);
    ck_assert_mem_eq(b, bin, 4);
    free(b);

    ck_assert_ptr_null(emu_log_method(srv, 4));
    ck_assert_ptr_null(emu_log_target(srv, 4));
    ck_assert_ptr_null(emu_log_header(srv, 4, "Host"));
    ck_assert_ptr_null(emu_log_body(srv, 4, &len));
}
END_TEST

START_TEST(test_keep_alive)
{
    ck_assert_int_eq(emu_route(srv, "GET", "/ping", h_echo, "ping"), 0);

    CURL *h = new_handle();
    for (int i = 0; i < 5; i++) {
        reply r;
        prepare(h, &r, "GET", "/ping", NULL, 0, NULL);
        perform(h, &r);
        assert_ok(&r, 200);
        reply_free(&r);
    }
    curl_easy_cleanup(h);
    ck_assert_uint_eq(emu_log_count(srv), 5);
    ck_assert_uint_eq(emu_connections(srv), 1);

    emu_reset_log(srv);
    ck_assert_uint_eq(emu_connections(srv), 0);
    for (int i = 0; i < 5; i++) {
        reply r = request("GET", "/ping", NULL);
        assert_ok(&r, 200);
        reply_free(&r);
    }
    ck_assert_uint_eq(emu_count(srv, "GET", "/ping"), 5);
    ck_assert_uint_eq(emu_connections(srv), 5);

    /* Stopping with an idle kept-alive connection open does not hang. */
    h = new_handle();
    reply r;
    prepare(h, &r, "GET", "/ping", NULL, 0, NULL);
    perform(h, &r);
    assert_ok(&r, 200);
    reply_free(&r);
    double t0 = now_ms();
    emu_stop(srv);
    srv = NULL;
    ck_assert_msg(now_ms() - t0 < 3000, "emu_stop took %.0f ms", now_ms() - t0);
    curl_easy_cleanup(h);
}
END_TEST

START_TEST(test_reset_log)
{
    route_create();
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 500});
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 502});
    reply r = request("POST", "/candidates", "{}");
    assert_ok(&r, 500);
    reply_free(&r);
    ck_assert_uint_eq(emu_log_count(srv), 1);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 1);
    ck_assert_uint_eq(emu_connections(srv), 1);

    emu_reset_log(srv);
    ck_assert_uint_eq(emu_log_count(srv), 0);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 0);
    ck_assert_uint_eq(emu_connections(srv), 0);
    ck_assert_ptr_null(emu_log_method(srv, 0));

    /* Routes and faults stay. */
    r = request("POST", "/candidates", "{}");
    assert_ok(&r, 502);
    reply_free(&r);
    r = request("POST", "/candidates", "{\"a\":1}");
    assert_created(&r, 1);
    reply_free(&r);
    ck_assert_uint_eq(emu_log_count(srv), 2);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 2);
    char *b = emu_log_body(srv, 1, NULL);
    ck_assert_str_eq(b, "{\"a\":1}");
    free(b);
}
END_TEST

/* A slow request on one connection while another is answered at once. */
static void *slow_request(void *arg)
{
    reply *r = arg;
    *r = request("POST", "/candidates", "{}");
    return NULL;
}

START_TEST(test_concurrent)
{
    route_create();
    ck_assert_int_eq(emu_route(srv, "GET", "/ping", h_echo, "ping"), 0);
    push("POST", "/candidates", (emu_fault){.kind = EMU_FAULT_DELAY, .delay_ms = 1500});
    reply slow;
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, slow_request, &slow), 0);
    for (int i = 0; i < 500 && emu_count(srv, "POST", "/candidates") == 0; i++)
        usleep(10000);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 1);
    reply r = request("GET", "/ping", NULL);
    assert_ok(&r, 200);
    ck_assert_msg(r.ms < 1000, "blocked for %.0f ms", r.ms);
    reply_free(&r);
    ck_assert_int_eq(get_created(), 0); /* still sleeping */
    pthread_join(t, NULL);
    assert_created(&slow, 1);
    ck_assert_msg(slow.ms >= 1400, "answered after %.0f ms", slow.ms);
    reply_free(&slow);
    ck_assert_uint_eq(emu_connections(srv), 2);
}
END_TEST

/* A body larger than the kit's cap (64 MiB) gets 413 and is not routed. */
static size_t read_zeros(char *buf, size_t sz, size_t n, void *ud)
{
    curl_off_t *left = ud;
    size_t k = sz * n;
    if ((curl_off_t)k > *left)
        k = (size_t)*left;
    memset(buf, 'z', k);
    *left -= (curl_off_t)k;
    return k;
}

START_TEST(test_too_large)
{
    route_create();
    curl_off_t size = (curl_off_t)64 * 1024 * 1024 + 1, left = size;
    CURL *h = new_handle();
    reply r;
    prepare(h, &r, "POST", "/candidates", NULL, 0, NULL);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_zeros);
    curl_easy_setopt(h, CURLOPT_READDATA, &left);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, size);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 120000L);
    perform(h, &r);
    curl_easy_cleanup(h);
    assert_ok(&r, 413);
    reply_free(&r);
    ck_assert_int_eq(get_created(), 0);
    ck_assert_uint_eq(emu_count(srv, "POST", "/candidates"), 0);
    ck_assert_uint_eq(emu_log_count(srv), 1);
}
END_TEST

/* ---- ports that fail ---- */

START_TEST(test_refused_port)
{
    unsigned port = emu_refused_port();
    ck_assert_uint_gt(port, 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
    CURL *h = new_handle();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
    ck_assert_int_eq(curl_easy_perform(h), CURLE_COULDNT_CONNECT);
    curl_easy_cleanup(h);
}
END_TEST

START_TEST(test_blackhole)
{
    unsigned port = 0;
    emu_blackhole *bh = emu_blackhole_open(&port);
    ck_assert_ptr_nonnull(bh);
    ck_assert_uint_gt(port, 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
    for (int i = 0; i < 2; i++) {
        CURL *h = new_handle();
        char err[CURL_ERROR_SIZE] = "";
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 300L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
        double t0 = now_ms();
        CURLcode rc = curl_easy_perform(h);
        double ms = now_ms() - t0;
        curl_off_t connected = -1;
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
        curl_easy_cleanup(h);
        ck_assert_msg(rc == CURLE_OPERATION_TIMEDOUT, "curl: %s (%s)", curl_easy_strerror(rc),
                      err);
        ck_assert_msg(ms >= 250 && ms < 3000, "gave up after %.0f ms", ms);
        ck_assert_int_eq(connected, 0); /* never connected */
    }
    emu_blackhole_close(bh);
    emu_blackhole_close(NULL);
}
END_TEST

static Suite *emu_suite(void)
{
    Suite *s = suite_create("emu");
    TCase *tc = tcase_create("emu");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_start_stop);
    tcase_add_test(tc, test_routing);
    tcase_add_test(tc, test_json_echo);
    tcase_add_test(tc, test_multipart);
    tcase_add_test(tc, test_auth);
    tcase_add_test(tc, test_fault_status);
    tcase_add_test(tc, test_fault_html);
    tcase_add_test(tc, test_fault_drop);
    tcase_add_test(tc, test_fault_delay);
    tcase_add_test(tc, test_fault_delay_after);
    tcase_add_test(tc, test_fault_truncate);
    tcase_add_test(tc, test_fault_oversized);
    tcase_add_test(tc, test_fault_invalid_json);
    tcase_add_test(tc, test_fault_order);
    tcase_add_test(tc, test_count_and_log);
    tcase_add_test(tc, test_keep_alive);
    tcase_add_test(tc, test_reset_log);
    tcase_add_test(tc, test_concurrent);
    tcase_add_test(tc, test_too_large);
    tcase_add_test(tc, test_refused_port);
    tcase_add_test(tc, test_blackhole);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    for (size_t i = 0; i < BLOB_LEN; i++)
        blob[i] = (char)('a' + i % 26);
    json_object_seed(0); /* before the server threads create objects */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "curl_global_init failed\n");
        return EXIT_FAILURE;
    }
    int rc = run_suite(emu_suite());
    curl_global_cleanup();
    return rc;
}
