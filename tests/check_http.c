/*
 * tests/check_http.c: the HTTP service's policies, through a real connector
 * (tests/modules/httpconn.c), real libcurl and an emulator on 127.0.0.1:
 * authentication in every form, OAuth tokens, the retry rules (and that a
 * create is never duplicated), Retry-After, timeouts, caps, redirects,
 * https-only, pacing, keep-alive, multipart, and redaction at the highest
 * verbosity.
 */
#include <math.h>
#include <pthread.h>
#include <time.h>

#include "emu.h"
#include "testutil.h"

#define SECRET "k3y-0f-the-test-d0-not-leak"
#define CLIENT_SECRET "cl1ent-s3cret-not-for-logs"
#define REFRESH "r3fresh-t0ken-old"
#define ROTATED "r3fresh-t0ken-new"

static emu_server *emu;
static uats_ctx *ctx;
static char *dir;

/* ---- everything ever logged, to prove no secret reaches a log line ---- */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char *all_logs;
static size_t all_logs_len;

static void capture(uats_log_level level, const char *connector, const char *message,
                    void *userdata)
{
    (void)level;
    (void)connector;
    (void)userdata;
    pthread_mutex_lock(&log_lock);
    size_t n = strlen(message);
    char *grown = realloc(all_logs, all_logs_len + n + 2);
    if (grown) {
        all_logs = grown;
        memcpy(all_logs + all_logs_len, message, n);
        all_logs[all_logs_len + n] = '\n';
        all_logs_len += n + 1;
        all_logs[all_logs_len] = '\0';
    }
    pthread_mutex_unlock(&log_lock);
}

static bool logs_contain(const char *s)
{
    pthread_mutex_lock(&log_lock);
    bool found = all_logs && strstr(all_logs, s);
    pthread_mutex_unlock(&log_lock);
    return found;
}

static void assert_clean(const uats_error *err)
{
    static const char *const secrets[] = {SECRET, CLIENT_SECRET, REFRESH, ROTATED, "tok-"};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        ck_assert_msg(!strstr(err->text, secrets[i]), "secret in error text: %s", err->text);
        ck_assert_msg(!strstr(err->vendor_message, secrets[i]), "secret in vendor message");
        ck_assert_msg(!logs_contain(secrets[i]), "secret %s in a log line", secrets[i]);
    }
}

/* ---- the emulated vendor ---- */

typedef struct vendor {
    pthread_mutex_t lock;
    int next_id;
    json_t *records;         /* id -> {id, name, email} */
    int tokens_issued;
    char last_sub[32];
    char last_grant[32];
    char last_refresh[64];
    char last_user[64];      /* the password grant's username */
    bool last_was_json;      /* the token request's body was JSON */
    int token_lifetime;      /* expires_in of issued tokens */
    bool rotate;             /* hand out a new refresh token */
    bool same_refresh;       /* hand the same refresh token back */
    bool expires_as_text;    /* "expires_in": "3600", as some servers send it */
    bool expires_at;         /* only "expires_at": an ISO time, as Greenhouse's client reads */
    char valid_token[32];    /* the only bearer token /v1 accepts when oauth */
    bool oauth;              /* require the bearer token */
    size_t last_file_len;
    char last_file[64];
    char last_kind[32];
} vendor;

static vendor v;
static char long_token[1600]; /* longer than any fixed header buffer */

static bool authorised(const emu_request *req)
{
    const char *user, *pass;
    if (emu_req_bearer(req) && strcmp(emu_req_bearer(req), long_token) == 0)
        return true;
    if (v.oauth) {
        const char *b = emu_req_bearer(req);
        return b && strcmp(b, v.valid_token) == 0;
    }
    if (emu_req_basic_auth(req, &user, &pass))
        return (strcmp(user, SECRET) == 0 && strcmp(pass, "") == 0) ||
               (strcmp(user, "ada") == 0 && strcmp(pass, SECRET) == 0);
    const char *b = emu_req_bearer(req), *h = emu_req_header(req, "X-Api-Key");
    const char *q = emu_req_query(req, "apikey");
    return (b && strcmp(b, SECRET) == 0) || (h && strcmp(h, SECRET) == 0) ||
           (q && strcmp(q, SECRET) == 0);
}

static void deny(emu_response *resp)
{
    emu_resp_json(resp, 401, json_pack("{s:s}", "message", "bad credentials"));
}

static void on_create(const emu_request *req, emu_response *resp, void *ud)
{
    (void)ud;
    if (!authorised(req))
        return deny(resp);
    json_t *body = emu_req_json(req);
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name) {
        emu_resp_json(resp, 422, json_pack("{s:[s,s]}", "errors", "name is required",
                                           "name must not be empty"));
        return;
    }
    pthread_mutex_lock(&v.lock);
    char id[16];
    snprintf(id, sizeof id, "c%d", ++v.next_id);
    if (strcmp(name, "redirect-me") == 0) {
        /* Post/redirect/get: created, then pointed at the result. */
        json_object_set_new(v.records, id, json_pack("{s:s, s:s}", "id", id, "name", name));
        pthread_mutex_unlock(&v.lock);
        char location[64];
        snprintf(location, sizeof location, "/v1/candidates/%s", id);
        emu_resp_header(resp, "Location", location);
        emu_resp_json(resp, 302, json_object());
        return;
    }
    json_t *rec = json_pack("{s:s, s:s}", "id", id, "name", name);
    if (json_object_get(body, "email"))
        json_object_set(rec, "email", json_object_get(body, "email"));
    json_object_set(v.records, id, rec);
    pthread_mutex_unlock(&v.lock);
    emu_resp_json(resp, 201, json_pack("{s:o}", "data", rec));
}

static char away_url[256]; /* where "away" redirects: another server */

static void on_get(const emu_request *req, emu_response *resp, void *ud)
{
    const char *id = emu_req_param(req, "id");
    (void)ud;
    if (!authorised(req))
        return deny(resp);
    /* Special ids steer the answer. */
    if (strncmp(id, "moved-", 6) == 0) {
        char location[256];
        snprintf(location, sizeof location, "/v1/candidates/%s", id + 6);
        emu_resp_header(resp, "Location", location);
        emu_resp_json(resp, 307, json_object());
        return;
    }
    if (strcmp(id, "away") == 0) {
        emu_resp_header(resp, "Location", away_url);
        emu_resp_json(resp, 302, json_object());
        return;
    }
    if (strcmp(id, "limited") == 0) {
        emu_resp_header(resp, "X-RateLimit-Limit", "100");
        emu_resp_header(resp, "X-RateLimit-Remaining", "0");
        emu_resp_header(resp, "X-RateLimit-Reset", "1");
        emu_resp_json(resp, 200, json_pack("{s:{s:s, s:s}}", "data", "id", "limited", "name", "L"));
        return;
    }
    pthread_mutex_lock(&v.lock);
    json_t *rec = json_object_get(v.records, emu_req_param(req, "id"));
    json_t *copy = rec ? json_deep_copy(rec) : NULL;
    pthread_mutex_unlock(&v.lock);
    if (!copy)
        emu_resp_json(resp, 404, json_pack("{s:s}", "message", "no such candidate"));
    else
        emu_resp_json(resp, 200, json_pack("{s:o}", "data", copy));
}

static void on_file(const emu_request *req, emu_response *resp, void *ud)
{
    (void)ud;
    if (!authorised(req))
        return deny(resp);
    const emu_part *file = emu_req_part_named(req, "file");
    const emu_part *kind = emu_req_part_named(req, "kind");
    if (!file || !kind) {
        emu_resp_json(resp, 400, json_pack("{s:s}", "message", "file and kind are required"));
        return;
    }
    pthread_mutex_lock(&v.lock);
    v.last_file_len = file->len;
    memcpy(v.last_file, file->data, file->len < sizeof v.last_file ? file->len : sizeof v.last_file);
    snprintf(v.last_kind, sizeof v.last_kind, "%s", kind->data);
    pthread_mutex_unlock(&v.lock);
    emu_resp_json(resp, 201, json_pack("{s:{s:s, s:I, s:s}}", "data", "id", "f1", "size",
                                       (json_int_t)file->len, "name",
                                       file->file_name ? file->file_name : ""));
}

static void on_token(const emu_request *req, emu_response *resp, void *ud)
{
    const char *user, *pass;
    (void)ud;
    if (!emu_req_basic_auth(req, &user, &pass) || strcmp(user, "client-1") != 0 ||
        strcmp(pass, CLIENT_SECRET) != 0) {
        emu_resp_json(resp, 401, json_pack("{s:s}", "error", "invalid_client"));
        return;
    }
    /* The form body: grant_type=...&refresh_token=...&sub=... */
    size_t len;
    const char *body = emu_req_body(req, &len);
    char form[512];
    snprintf(form, sizeof form, "%.*s", (int)len, body);
    pthread_mutex_lock(&v.lock);
    v.last_sub[0] = v.last_grant[0] = v.last_refresh[0] = '\0';
    for (char *save = NULL, *kv = strtok_r(form, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        if (strncmp(kv, "sub=", 4) == 0)
            snprintf(v.last_sub, sizeof v.last_sub, "%s", kv + 4);
        else if (strncmp(kv, "grant_type=", 11) == 0)
            snprintf(v.last_grant, sizeof v.last_grant, "%s", kv + 11);
        else if (strncmp(kv, "refresh_token=", 14) == 0)
            snprintf(v.last_refresh, sizeof v.last_refresh, "%s", kv + 14);
    }
    snprintf(v.valid_token, sizeof v.valid_token, "tok-%d", ++v.tokens_issued);
    json_t *answer = json_pack("{s:s, s:s, s:i}", "access_token", v.valid_token, "token_type",
                               "Bearer", "expires_in", v.token_lifetime);
    if (v.expires_as_text) {
        char text[16];
        snprintf(text, sizeof text, "%d", v.token_lifetime);
        json_object_set_new(answer, "expires_in", json_string(text));
    }
    if (v.expires_at) {
        /* With a +00:00 offset, the form Greenhouse's PHP client tests. */
        char at[40];
        time_t when = time(NULL) + v.token_lifetime;
        struct tm tm;
        gmtime_r(&when, &tm);
        strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
        json_object_del(answer, "expires_in");
        json_object_set_new(answer, "expires_at", json_string(at));
    }
    if (v.rotate)
        json_object_set_new(answer, "refresh_token", json_string(ROTATED));
    if (v.same_refresh)
        json_object_set_new(answer, "refresh_token", json_string(REFRESH));
    pthread_mutex_unlock(&v.lock);
    emu_resp_json(resp, 200, answer);
}

/* The password grant as Eightfold's connector asks for it: Basic client
 * credentials, a JSON body, the token inside "data". */
static void on_password_token(const emu_request *req, emu_response *resp, void *ud)
{
    const char *user, *pass;
    (void)ud;
    json_t *body = emu_req_json(req);
    const char *grant = json_string_value(json_object_get(body, "grant_type"));
    const char *name = json_string_value(json_object_get(body, "username"));
    const char *password = json_string_value(json_object_get(body, "password"));
    if (!emu_req_basic_auth(req, &user, &pass) || strcmp(user, "client-1") != 0 ||
        strcmp(pass, CLIENT_SECRET) != 0 || !grant || strcmp(grant, "password") != 0 ||
        !name || !password || strcmp(password, SECRET) != 0) {
        emu_resp_json(resp, 401, json_pack("{s:s}", "error", "invalid_grant"));
        return;
    }
    pthread_mutex_lock(&v.lock);
    v.last_was_json = true;
    snprintf(v.last_grant, sizeof v.last_grant, "%s", grant);
    snprintf(v.last_user, sizeof v.last_user, "%s", name);
    snprintf(v.last_sub, sizeof v.last_sub, "%s",
             json_string_value(json_object_get(body, "sub")) ? json_string_value(
                                                                   json_object_get(body, "sub"))
                                                             : "");
    snprintf(v.valid_token, sizeof v.valid_token, "tok-%d", ++v.tokens_issued);
    json_t *answer = json_pack("{s:{s:s, s:s, s:i}}", "data", "access_token", v.valid_token,
                               "token_type", "bearer", "expires_in", v.token_lifetime);
    pthread_mutex_unlock(&v.lock);
    emu_resp_json(resp, 200, answer);
}

/* ---- fixtures ---- */

static void link_module(const char *name)
{
    char path[1024], file[64];
    snprintf(path, sizeof path, "%s/%s.so", test_env("UATS_TEST_MODULES"), name);
    snprintf(file, sizeof file, "%s.so", name);
    link_into(dir, file, path);
}

static void setup(void)
{
    uats_error err;
    memset(long_token, 'T', sizeof long_token - 1);
    memset(&v, 0, sizeof v);
    pthread_mutex_init(&v.lock, NULL);
    v.records = json_object();
    v.token_lifetime = 3600;
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    ck_assert_int_eq(emu_route(emu, "POST", "/v1/candidates", on_create, NULL), 0);
    ck_assert_int_eq(emu_route(emu, "GET", "/v1/candidates/:id", on_get, NULL), 0);
    ck_assert_int_eq(emu_route(emu, "POST", "/v1/candidates/:id/files", on_file, NULL), 0);
    ck_assert_int_eq(emu_route(emu, "POST", "/oauth/token", on_token, NULL), 0);
    ck_assert_int_eq(emu_route(emu, "POST", "/oauth/v1/authenticate", on_password_token, NULL),
                     0);
    dir = make_temp_dir();
    link_module("httpconn");
    link_module("hdrconn");
    link_module("qryconn");
    link_module("pwdconn");
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 4);
}

static void teardown(void)
{
    uats_ctx_free(ctx);
    emu_stop(emu);
    rm_tree(dir);
    /* Every test ran at trace level with the marker secrets: none may have
     * reached a log line. */
    uats_error none;
    memset(&none, 0, sizeof none);
    assert_clean(&none);
    json_decref(v.records);
    pthread_mutex_destroy(&v.lock);
}

/* Open connector `name` on the emulator with extra configuration keys
 * (a JSON object's inside, may be empty). */
static uats_conn *open_with(const char *name, const char *extra, uats_error *err)
{
    char config[2048];
    uats_conn *conn = NULL;
    snprintf(config, sizeof config,
             "{\"connector\": \"%s\", \"base_url\": \"%s/\", "
             "\"retry\": {\"base_delay_ms\": 5, \"max_attempts\": 3}%s%s}",
             name, emu_base_url(emu), *extra ? ", " : "", extra);
    uats_conn_open_str(ctx, config, &conn, err);
    return conn;
}

static uats_conn *open_key(const char *name)
{
    uats_error err;
    uats_conn *conn = open_with(name, "\"credentials\": {\"api_key\": \"" SECRET "\"}", &err);
    ck_assert_msg(conn != NULL, "open %s: %s", name, err.text);
    return conn;
}

static uats_code create(uats_conn *conn, const char *name, uats_object **out, uats_error *err)
{
    uats_object *in = uats_object_new(UATS_KIND_CANDIDATE_INPUT);
    ck_assert_int_eq(uats_set_string(in, UATS_F_FIRST_NAME, name, NULL), UATS_OK);
    ck_assert_int_eq(uats_list_add_typed(in, UATS_F_EMAIL_ADDRESSES, "ada@example.com", 0, NULL),
                     UATS_OK);
    uats_code rc = uats_candidate_create(conn, in, out, NULL, err);
    uats_object_free(in);
    return rc;
}

static uats_code get(uats_conn *conn, const char *id, uats_error *err)
{
    uats_object *out = NULL;
    uats_code rc = uats_candidate_get(conn, id, &out, err);
    uats_object_free(out);
    return rc;
}

static char *created_id(uats_conn *conn)
{
    uats_object *out;
    uats_error err;
    ck_assert_msg(create(conn, "Ada", &out, &err) == UATS_OK, "create: %s", err.text);
    char *id = strdup(uats_get_string(out, UATS_F_ID));
    uats_object_free(out);
    return id;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- authentication ---- */

START_TEST(api_key_in_each_place)
{
    static const char *const names[] = {"httpconn", "hdrconn", "qryconn"};
    for (size_t i = 0; i < 3; i++) {
        uats_conn *conn = open_key(names[i]);
        uats_error err;
        char *id = created_id(conn);
        ck_assert_int_eq(get(conn, id, &err), UATS_OK);
        free(id);
        uats_conn_close(conn);
    }
    /* Where each put it. */
    char *auth = emu_log_header(emu, 0, "Authorization");
    ck_assert_ptr_nonnull(auth);
    ck_assert_str_eq(auth, "Basic azN5LTBmLXRoZS10ZXN0LWQwLW5vdC1sZWFrOg=="); /* key + ":" */
    free(auth);
    char *hdr = emu_log_header(emu, 2, "X-Api-Key");
    ck_assert_str_eq(hdr, SECRET);
    free(hdr);
    char *target = emu_log_target(emu, 4);
    ck_assert_str_eq(target, "/v1/candidates?apikey=" SECRET);
    free(target);
    target = emu_log_target(emu, 5);
    ck_assert_str_eq(target, "/v1/candidates/c3?apikey=" SECRET "&expand=files%20%26%20more");
    free(target);
    /* The URL with the key was logged, but never the key. */
    ck_assert(logs_contain("apikey=[REDACTED]"));
    uats_error none;
    memset(&none, 0, sizeof none);
    assert_clean(&none);
}
END_TEST

START_TEST(bearer_token_and_basic_password)
{
    uats_error err;
    uats_conn *conn = open_with("hdrconn", "\"credentials\": {\"token\": \"" SECRET "\"}", &err);
    ck_assert_ptr_nonnull(conn);
    char *id = created_id(conn);
    free(id);
    char *auth = emu_log_header(emu, 0, "Authorization");
    ck_assert_str_eq(auth, "Bearer " SECRET);
    free(auth);
    /* A token wins over the connector's key placement: no X-Api-Key. */
    ck_assert_ptr_null(emu_log_header(emu, 0, "X-Api-Key"));
    uats_conn_close(conn);

    conn = open_with("httpconn", "\"credentials\": {\"username\": \"ada\", \"password\": \""
                     SECRET "\"}", &err);
    ck_assert_ptr_nonnull(conn);
    id = created_id(conn);
    free(id);
    uats_conn_close(conn);
    assert_clean(&err);
}
END_TEST

START_TEST(wrong_credentials_are_auth_errors)
{
    uats_error err;
    uats_conn *conn = open_with("httpconn", "\"credentials\": {\"api_key\": \"wrong\"}", &err);
    uats_object *out;
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_AUTH);
    ck_assert_int_eq(err.http_status, 401);
    ck_assert_str_eq(err.vendor_message, "bad credentials");
    ck_assert_ptr_nonnull(strstr(err.text, "HTTP Test Vendor answered HTTP 401 to POST /v1/candidates"));
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);
    uats_conn_close(conn);
}
END_TEST

/* ---- OAuth ---- */

static uats_conn *open_oauth(const char *extra_credentials)
{
    char extra[1024];
    uats_error err;
    snprintf(extra, sizeof extra,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\", \"token_url\": \"%s/oauth/token\"%s}, \"options\": {\"sub\": \"4242\"}",
             emu_base_url(emu), extra_credentials);
    uats_conn *conn = open_with("httpconn", extra, &err);
    ck_assert_msg(conn != NULL, "open: %s", err.text);
    return conn;
}

START_TEST(oauth_client_credentials_token_is_cached)
{
    v.oauth = true;
    uats_conn *conn = open_oauth("");
    uats_error err;
    char *id = created_id(conn);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    free(id);
    ck_assert_int_eq(v.tokens_issued, 1);
    ck_assert_str_eq(v.last_grant, "client_credentials");
    ck_assert_str_eq(v.last_sub, "4242"); /* from the connector's oauth_param */
    uats_conn_close(conn);
    assert_clean(&err);
}
END_TEST

START_TEST(oauth_token_renewed_before_expiry_and_after_401)
{
    v.oauth = true;
    v.token_lifetime = 1; /* renewed halfway through its life */
    uats_conn *conn = open_oauth("");
    uats_error err;
    char *id = created_id(conn);
    ck_assert_int_eq(v.tokens_issued, 1);
    struct timespec pause = {0, 600 * 1000000L};
    nanosleep(&pause, NULL);
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_int_eq(v.tokens_issued, 2);

    /* The vendor revokes the token early: one 401, one renewal, success. */
    v.token_lifetime = 3600;
    ck_assert_int_eq(get(conn, id, &err), UATS_OK); /* tok-2 still valid locally */
    pthread_mutex_lock(&v.lock);
    snprintf(v.valid_token, sizeof v.valid_token, "revoked-all");
    pthread_mutex_unlock(&v.lock);
    size_t before = emu_count(emu, "GET", "/v1/candidates/:id");
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), before + 2);
    ck_assert_int_eq(v.tokens_issued, 3);
    free(id);
    uats_conn_close(conn);
    assert_clean(&err);
}
END_TEST

static char rotated_seen[64];

static void on_rotate(uats_conn *conn, const char *token, void *userdata)
{
    (void)conn;
    ++*(int *)userdata;
    snprintf(rotated_seen, sizeof rotated_seen, "%s", token);
}

START_TEST(oauth_refresh_token_rotation_reaches_the_host)
{
    v.oauth = true;
    v.rotate = true;
    uats_conn *conn = open_oauth(", \"refresh_token\": \"" REFRESH "\"");
    int calls = 0;
    uats_conn_set_token_callback(conn, on_rotate, &calls);
    uats_error err;
    memset(&err, 0, sizeof err);
    char *id = created_id(conn);
    free(id);
    ck_assert_str_eq(v.last_grant, "refresh_token");
    ck_assert_str_eq(v.last_refresh, REFRESH);
    ck_assert_int_eq(calls, 1);
    ck_assert_str_eq(rotated_seen, ROTATED);
    uats_conn_close(conn);
    assert_clean(&err);
}
END_TEST

START_TEST(oauth_refused_grant_is_auth_error)
{
    v.oauth = true;
    char extra[1024];
    uats_error err;
    snprintf(extra, sizeof extra,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"nope\","
             " \"token_url\": \"%s/oauth/token\"}", emu_base_url(emu));
    uats_conn *conn = open_with("httpconn", extra, &err);
    ck_assert_ptr_nonnull(conn);
    uats_object *out;
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "invalid_client");
    /* No token, so the create itself was never sent. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 0);
    uats_conn_close(conn);
}
END_TEST

START_TEST(oauth_password_grant_json_body_token_path)
{
    /* pwdconn declares the password grant, a JSON body and the token at
     * data.access_token: username and password go in the body, the client
     * as Basic, and data.expires_in sets the lifetime. */
    v.oauth = true;
    v.token_lifetime = 1;
    char extra[1024];
    uats_error err;
    snprintf(extra, sizeof extra,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\", \"username\": \"api.user@example.com\", \"password\": \"" SECRET "\","
             " \"token_url\": \"%s/oauth/v1/authenticate\"}, \"options\": {\"sub\": \"77\"}",
             emu_base_url(emu));
    uats_conn *conn = open_with("pwdconn", extra, &err);
    ck_assert_msg(conn != NULL, "open: %s", err.text);
    char *id = created_id(conn);
    ck_assert_int_eq(v.tokens_issued, 1);
    ck_assert(v.last_was_json);
    ck_assert_str_eq(v.last_grant, "password");
    ck_assert_str_eq(v.last_user, "api.user@example.com");
    ck_assert_str_eq(v.last_sub, "77"); /* oauth_param goes into the JSON too */
    struct timespec pause = {0, 600 * 1000000L};
    nanosleep(&pause, NULL);
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_int_eq(v.tokens_issued, 2); /* renewed halfway through 1 s */
    free(id);
    uats_conn_close(conn);
    assert_clean(&err);

    /* Without the password the grant cannot be made: refused at open. */
    snprintf(extra, sizeof extra,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\", \"username\": \"api.user@example.com\", \"token_url\": "
             "\"%s/oauth/v1/authenticate\"}", emu_base_url(emu));
    ck_assert_ptr_null(open_with("pwdconn", extra, &err));
    ck_assert_int_eq(err.code, UATS_E_CONFIG);
    ck_assert_str_eq(err.field, "credentials.password");

    /* A wrong password is an auth failure, nothing sent to the API. */
    snprintf(extra, sizeof extra,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\", \"username\": \"api.user@example.com\", \"password\": \"wrong\", "
             "\"token_url\": \"%s/oauth/v1/authenticate\"}", emu_base_url(emu));
    conn = open_with("pwdconn", extra, &err);
    ck_assert_ptr_nonnull(conn);
    uats_object *out;
    size_t before = emu_count(emu, "POST", "/v1/candidates");
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "invalid_grant");
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), before);
    uats_conn_close(conn);
}
END_TEST

START_TEST(oauth_token_path_missing_is_auth_error)
{
    /* httpconn reads the top-level access_token; pwdconn must not accept an
     * answer whose data has none. */
    v.oauth = true;
    char extra[1024];
    uats_error err;
    snprintf(extra, sizeof extra,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\", \"username\": \"u\", \"password\": \"" SECRET "\", \"token_url\": "
             "\"%s/oauth/token\"}", emu_base_url(emu));
    uats_conn *conn = open_with("pwdconn", extra, &err);
    ck_assert_ptr_nonnull(conn);
    uats_object *out;
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_AUTH);
    ck_assert_msg(strstr(err.text, "data.access_token") != NULL, "%s", err.text);
    uats_conn_close(conn);
}
END_TEST

/* ---- retries ---- */

static void push(const char *method, const char *pattern, emu_fault f)
{
    ck_assert_int_eq(emu_fault_push(emu, method, pattern, &f), 0);
}

START_TEST(get_is_retried_on_503_502_and_drop)
{
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    char *id = created_id(conn);
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 503});
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_HTML, .status = 502});
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 3);
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_DROP});
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 5);
    /* Out of attempts (3): the last answer is the error. */
    for (int i = 0; i < 3; i++)
        push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_HTML, .status = 502});
    ck_assert_int_eq(get(conn, id, &err), UATS_E_VENDOR);
    ck_assert_int_eq(err.http_status, 502);
    ck_assert_ptr_nonnull(strstr(err.text, "with an HTML page"));
    ck_assert_ptr_nonnull(strstr(err.text, "3 attempts"));
    free(id);
    uats_conn_close(conn);
}
END_TEST

START_TEST(create_is_never_blindly_retried)
{
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    uats_object *out;
    /* 502: a proxy may have passed it on and the vendor processed it. */
    push("POST", "/v1/candidates", (emu_fault){.kind = EMU_FAULT_HTML, .status = 502});
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_int_eq(err.http_status, 502);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);
    /* Connection dropped after the request was read. */
    push("POST", "/v1/candidates", (emu_fault){.kind = EMU_FAULT_DROP});
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 2);
    ck_assert_ptr_nonnull(strstr(err.text, "it may have taken effect"));
    /* Half an answer. */
    push("POST", "/v1/candidates", (emu_fault){.kind = EMU_FAULT_TRUNCATE});
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 3);
    uats_conn_close(conn);
}
END_TEST

START_TEST(create_timeout_after_processing_is_outcome_unknown)
{
    uats_error err;
    uats_conn *conn = open_with("httpconn", "\"credentials\": {\"api_key\": \"" SECRET "\"}, "
                                "\"timeouts\": {\"total_ms\": 300}", &err);
    ck_assert_ptr_nonnull(conn);
    uats_object *out;
    push("POST", "/v1/candidates", (emu_fault){.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1500});
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_OUTCOME_UNKNOWN);
    /* The vendor did create it, exactly once. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);
    pthread_mutex_lock(&v.lock);
    ck_assert_uint_eq(json_object_size(v.records), 1);
    pthread_mutex_unlock(&v.lock);
    uats_conn_close(conn);
}
END_TEST

START_TEST(create_is_retried_when_refused_before_processing)
{
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    uats_object *out;
    push("POST", "/v1/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 429,
                                               .retry_after = "1"});
    push("POST", "/v1/candidates", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 503});
    double t0 = now_s();
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_OK);
    ck_assert_double_ge(now_s() - t0, 0.95); /* honoured Retry-After: 1 */
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 3);
    pthread_mutex_lock(&v.lock);
    ck_assert_uint_eq(json_object_size(v.records), 1);
    pthread_mutex_unlock(&v.lock);
    uats_object_free(out);
    uats_conn_close(conn);
}
END_TEST

START_TEST(retry_after_as_http_date_and_over_budget)
{
    uats_error err;
    uats_conn *conn;
    char config[1024];
    snprintf(config, sizeof config,
             "{\"connector\": \"httpconn\", \"base_url\": \"%s\", \"credentials\": "
             "{\"api_key\": \"" SECRET "\"}, \"retry\": {\"max_wait_ms\": 3000, "
             "\"base_delay_ms\": 5}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &conn, &err), UATS_OK);
    char id_get[] = "nobody";
    char date[64];
    time_t when = time(NULL) + 2;
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&when));
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 429,
                                                  .retry_after = date});
    double t0 = now_s();
    ck_assert_int_eq(get(conn, id_get, &err), UATS_E_NOT_FOUND);
    ck_assert_double_ge(now_s() - t0, 0.9); /* waited for the date (1-2 s) */
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 2);

    /* Asked to wait longer than the budget: give up at once, tell the host. */
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 429,
                                                  .retry_after = "120",
                                                  .body = "{\"message\": \"slow down\"}"});
    t0 = now_s();
    ck_assert_int_eq(get(conn, id_get, &err), UATS_E_RATE_LIMITED);
    ck_assert_double_lt(now_s() - t0, 1.0);
    ck_assert_int_eq(err.retry_after, 120);
    ck_assert_str_eq(err.vendor_message, "slow down");
    uats_conn_close(conn);
}
END_TEST

/* ---- transport failures ---- */

START_TEST(connection_refused_is_transport)
{
    uats_error err;
    char config[512];
    uats_conn *conn;
    snprintf(config, sizeof config,
             "{\"connector\": \"httpconn\", \"base_url\": \"http://127.0.0.1:%u\","
             " \"retry\": {\"base_delay_ms\": 5}}", emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &conn, &err), UATS_OK);
    uats_object *out;
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_TRANSPORT);
    ck_assert_ptr_nonnull(strstr(err.text, "could not reach"));
    ck_assert_ptr_nonnull(strstr(err.text, "4 attempts")); /* default max_attempts */
    uats_conn_close(conn);
}
END_TEST

START_TEST(connect_timeout_is_timeout_not_sent)
{
    unsigned port;
    emu_blackhole *bh = emu_blackhole_open(&port);
    ck_assert_ptr_nonnull(bh);
    uats_error err;
    char config[512];
    uats_conn *conn;
    snprintf(config, sizeof config,
             "{\"connector\": \"httpconn\", \"base_url\": \"http://127.0.0.1:%u\","
             " \"timeouts\": {\"connect_ms\": 200}, \"retry\": {\"max_attempts\": 2,"
             " \"base_delay_ms\": 5}}", port);
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &conn, &err), UATS_OK);
    uats_object *out;
    ck_assert_int_eq(create(conn, "Ada", &out, &err), UATS_E_TIMEOUT);
    ck_assert_ptr_nonnull(strstr(err.text, "was not sent"));
    uats_conn_close(conn);
    emu_blackhole_close(bh);
}
END_TEST

START_TEST(bad_bodies_are_vendor_errors)
{
    uats_error err;
    uats_conn *conn = open_with("httpconn", "\"credentials\": {\"api_key\": \"" SECRET "\"}, "
                                "\"max_response_bytes\": 4096", &err);
    ck_assert_ptr_nonnull(conn);
    char *id = created_id(conn);
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_OVERSIZED, .size = 100000});
    ck_assert_int_eq(get(conn, id, &err), UATS_E_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(err.text, "4096-byte limit"));
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_INVALID_JSON});
    ck_assert_int_eq(get(conn, id, &err), UATS_E_VENDOR);
    ck_assert_ptr_nonnull(strstr(err.text, "not valid JSON"));
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_INVALID_UTF8});
    ck_assert_int_eq(get(conn, id, &err), UATS_E_VENDOR);
    ck_assert_ptr_nonnull(strstr(err.text, "invalid UTF-8"));
    /* The vendor's validation messages, joined. */
    uats_object *out;
    ck_assert_int_eq(create(conn, "", &out, &err), UATS_E_VALIDATION);
    ck_assert_int_eq(err.http_status, 422);
    ck_assert_str_eq(err.vendor_message, "name is required; name must not be empty");
    ck_assert_int_eq(get(conn, "nobody", &err), UATS_E_NOT_FOUND);
    ck_assert_str_eq(err.vendor_message, "no such candidate");
    free(id);
    uats_conn_close(conn);
}
END_TEST

/* ---- URLs ---- */

START_TEST(https_only_unless_loopback_or_allowed)
{
    uats_error err;
    uats_conn *conn;
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\", \"base_url\": "
                                             "\"http://ats.example.com/v1\"}", &conn, &err),
                     UATS_E_CONFIG);
    ck_assert_str_eq(err.field, "base_url");
    ck_assert_ptr_nonnull(strstr(err.text, "plain http is only allowed to this machine"));
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\", \"base_url\": "
                                             "\"http://ats.example.com/v1\", "
                                             "\"allow_insecure_http\": true}", &conn, &err),
                     UATS_OK);
    uats_conn_close(conn);
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\", \"base_url\": "
                                             "\"https://ats.example.com/v1\"}", &conn, &err),
                     UATS_OK);
    uats_conn_close(conn);
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\"}", &conn, &err),
                     UATS_E_CONFIG); /* no default base URL, and open() set none */
    ck_assert_str_eq(err.field, "base_url");
    ck_assert_str_eq(err.connector, "httpconn");
    /* open() may build it from an option; it is checked like any base URL. */
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\", \"options\": "
                                             "{\"host\": \"ats.example.com\"}}", &conn, &err),
                     UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "plain http is only allowed to this machine"));
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\", \"base_url\": "
                                             "\"https://x.example\", \"retry\": "
                                             "{\"max_attempts\": 0}}", &conn, &err),
                     UATS_E_CONFIG);
    ck_assert_str_eq(err.field, "retry.max_attempts");
}
END_TEST

/* A connector without a default address builds it in open() from its
 * options (Workable's subdomain); a connection's base_url still wins. */
START_TEST(open_sets_the_base_url_from_an_option)
{
    char config[512];
    uats_conn *conn;
    uats_error err;
    snprintf(config, sizeof config, "{\"connector\": \"httpconn\", \"options\": {\"host\": "
             "\"127.0.0.1:%u\"}, \"credentials\": {\"api_key\": \"" SECRET "\"}}",
             emu_port(emu));
    ck_assert_msg(uats_conn_open_str(ctx, config, &conn, &err) == UATS_OK, "open: %s", err.text);
    char *id = created_id(conn);
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 1);
    free(id);
    uats_conn_close(conn);
    /* base_url given: open() leaves it alone, the option's host is unused. */
    snprintf(config, sizeof config, "{\"connector\": \"httpconn\", \"base_url\": \"%s\", "
             "\"options\": {\"host\": \"127.0.0.1:%u\"}, \"credentials\": "
             "{\"api_key\": \"" SECRET "\"}}", emu_base_url(emu), emu_refused_port());
    ck_assert_msg(uats_conn_open_str(ctx, config, &conn, &err) == UATS_OK, "open: %s", err.text);
    id = created_id(conn);
    free(id);
    uats_conn_close(conn);
}
END_TEST

START_TEST(redirects_only_within_the_same_origin)
{
    emu_server *other = emu_start();
    ck_assert_ptr_nonnull(other);
    snprintf(away_url, sizeof away_url, "%s/steal", emu_base_url(other));
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    char *id = created_id(conn), moved[64];
    snprintf(moved, sizeof moved, "moved-%s", id);
    ck_assert_int_eq(get(conn, moved, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 2);
    /* Credentials (the Basic header) stayed on the same origin. */
    char *auth = emu_log_header(emu, 2, "Authorization");
    ck_assert_ptr_nonnull(auth);
    free(auth);
    ck_assert_int_eq(get(conn, "away", &err), UATS_E_VENDOR);
    ck_assert_ptr_nonnull(strstr(err.text, "only to the same host"));
    ck_assert_uint_eq(emu_log_count(other), 0);
    free(id);
    uats_conn_close(conn);
    emu_stop(other);
}
END_TEST

START_TEST(path_segments_are_escaped)
{
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    ck_assert_int_eq(get(conn, "a/b c?d", &err), UATS_E_NOT_FOUND);
    char *target = emu_log_target(emu, 0);
    ck_assert_str_eq(target, "/v1/candidates/a%2Fb%20c%3Fd?expand=files%20%26%20more");
    free(target);
    /* "." and ".." would be dot segments that the URL resolution removes
     * (GET /v1/candidates/.. is GET /v1/): refused, nothing sent. An id
     * that only contains dots is fine. */
    size_t sent = emu_log_count(emu);
    ck_assert_int_eq(get(conn, "..", &err), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(get(conn, ".", &err), UATS_E_INVALID_INPUT);
    ck_assert_uint_eq(emu_log_count(emu), sent);
    ck_assert_int_eq(get(conn, "a..b", &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(get(conn, "...", &err), UATS_E_NOT_FOUND);
    uats_conn_close(conn);
}
END_TEST

/* ---- connection reuse, pacing ---- */

START_TEST(keep_alive_one_tcp_connection)
{
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    char *id = created_id(conn);
    ck_assert_uint_eq(emu_connections(emu), 1);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    free(id);
    id = created_id(conn);
    /* Writes and reads alike, all on one TCP connection. */
    ck_assert_uint_eq(emu_log_count(emu), 12);
    ck_assert_uint_eq(emu_connections(emu), 1);
    free(id);
    uats_conn_close(conn);
}
END_TEST

START_TEST(pacing_follows_rate_and_headers)
{
    uats_error err;
    uats_conn *conn = open_with("httpconn", "\"credentials\": {\"api_key\": \"" SECRET "\"}, "
                                "\"rate\": {\"per_sec\": 20, \"burst\": 1}", &err);
    ck_assert_ptr_nonnull(conn);
    char *id = created_id(conn);
    double t0 = now_s();
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_double_ge(now_s() - t0, 0.25); /* 6 calls at 20/s, bucket of 1 */
    free(id);
    uats_conn_close(conn);
}
END_TEST

START_TEST(rate_limit_headers_slow_the_next_call)
{
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    long limit, remaining, reset;
    uats_conn_rate_limit(conn, &limit, &remaining, &reset);
    ck_assert_int_eq(remaining, -1); /* nothing seen yet */
    ck_assert_int_eq(get(conn, "limited", &err), UATS_OK);
    uats_conn_rate_limit(conn, &limit, &remaining, &reset);
    ck_assert_int_eq(limit, 100);
    ck_assert_int_eq(remaining, 0);
    ck_assert_int_eq(reset, 1);
    /* None left until the reset, one second away: the next call waits. */
    double t0 = now_s();
    ck_assert_int_eq(get(conn, "nobody", &err), UATS_E_NOT_FOUND);
    ck_assert_double_ge(now_s() - t0, 0.9);
    uats_conn_close(conn);
}
END_TEST

/* ---- multipart ---- */

START_TEST(multipart_upload_is_exact)
{
    uats_conn *conn = open_key("httpconn");
    uats_error err;
    char *id = created_id(conn);
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT), *out;
    static const char bytes[] = "%PDF-1.4\0\x01\x02\xff binary\r\n--not-a-boundary";
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att, UATS_F_CONTENT_TYPE, "application/pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att, UATS_F_ATTACHMENT_TYPE, "RESUME", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, bytes, sizeof bytes - 1, &err), UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, id, att, &out, NULL, &err), UATS_OK);
    ck_assert_uint_eq(v.last_file_len, sizeof bytes - 1);
    ck_assert_mem_eq(v.last_file, bytes, sizeof bytes - 1);
    ck_assert_str_eq(v.last_kind, "RESUME");
    int64_t size;
    ck_assert(uats_get_int(out, UATS_F_SIZE, &size));
    ck_assert_int_eq(size, (int64_t)(sizeof bytes - 1));
    /* Retried uploads resend the whole file (the body is rewound). */
    push("POST", "/v1/candidates/:id/files", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 503});
    uats_object_free(out);
    ck_assert_int_eq(uats_attachment_add(conn, id, att, &out, NULL, &err), UATS_OK);
    ck_assert_uint_eq(v.last_file_len, sizeof bytes - 1);
    ck_assert_mem_eq(v.last_file, bytes, sizeof bytes - 1);
    uats_object_free(out);
    uats_object_free(att);

    /* Streamed from a file on disk, retried whole. */
    char path[] = "/tmp/uats-upload-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, bytes, sizeof bytes - 1), (ssize_t)(sizeof bytes - 1));
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "file://%s", path);
    att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "disk.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att, UATS_F_URL, url, &err), UATS_OK);
    push("POST", "/v1/candidates/:id/files", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 503});
    ck_assert_int_eq(uats_attachment_add(conn, id, att, &out, NULL, &err), UATS_OK);
    ck_assert_uint_eq(v.last_file_len, sizeof bytes - 1);
    ck_assert_mem_eq(v.last_file, bytes, sizeof bytes - 1);
    uats_object_free(out);
    unlink(path);
    /* A file that is not there fails before anything is sent. */
    size_t before = emu_count(emu, "POST", "/v1/candidates/:id/files");
    ck_assert_int_eq(uats_set_string(att, UATS_F_URL, "file:///nonexistent/cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, id, att, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates/:id/files"), before);
    uats_object_free(att);
    free(id);
    uats_conn_close(conn);
}
END_TEST

START_TEST(regressions_from_review)
{
    uats_error err;
    uats_object *out;
    /* A create answered with a redirect was processed: never re-sent. */
    uats_conn *conn = open_key("httpconn");
    ck_assert_int_eq(create(conn, "redirect-me", &out, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 0);
    /* Retry-After beyond any budget: no overflow, no wait, no retry. */
    push("GET", "/v1/candidates/:id", (emu_fault){.kind = EMU_FAULT_STATUS, .status = 429,
                                                  .retry_after = "9223372036854775807"});
    ck_assert_int_eq(get(conn, "c1", &err), UATS_E_RATE_LIMITED);
    ck_assert_int_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 1);
    ck_assert_int_le(err.retry_after, 7L * 24 * 3600);
    uats_conn_close(conn);

    /* A bearer token longer than 1 KB goes out whole. */
    char extra[2048];
    setenv("UATS_LONG_TOKEN", long_token, 1);
    conn = open_with("hdrconn", "\"credentials\": {\"token\": \"$env:UATS_LONG_TOKEN\"}", &err);
    ck_assert_ptr_nonnull(conn);
    ck_assert_int_eq(get(conn, "c1", &err), UATS_OK);
    uats_conn_close(conn);
    ck_assert(!logs_contain(long_token));

    /* An API key with URL-reserved characters, in a query string, never
     * shows in a log line: neither raw nor percent-encoded. */
    setenv("UATS_ODD_KEY", "AbC+dEf/GhI=" SECRET, 1);
    conn = open_with("qryconn", "\"credentials\": {\"api_key\": \"$env:UATS_ODD_KEY\"}", &err);
    ck_assert_ptr_nonnull(conn);
    ck_assert_int_eq(get(conn, "c1", &err), UATS_E_AUTH); /* the emulator wants SECRET */
    ck_assert(!logs_contain("AbC%2BdEf%2FGhI%3D"));
    ck_assert(!logs_contain("AbC+dEf/GhI="));
    uats_conn_close(conn);

    /* Plain http to a name that merely starts like a loopback address. */
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\", \"base_url\": "
                                             "\"http://127.attacker.example/v1\"}", &conn, &err),
                     UATS_E_CONFIG);
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"httpconn\", \"base_url\": "
                                             "\"http://[::1]:9/v1\"}", &conn, &err), UATS_OK);
    uats_conn_close(conn);
    (void)extra;
}
END_TEST

START_TEST(oauth_token_answer_variants)
{
    /* The same refresh token handed back (no rotation, no use after free),
     * and expires_in as text. */
    v.oauth = true;
    v.same_refresh = true;
    v.expires_as_text = true;
    uats_conn *conn = open_oauth(", \"refresh_token\": \"" REFRESH "\"");
    int calls = 0;
    uats_conn_set_token_callback(conn, on_rotate, &calls);
    uats_error err;
    char *id = created_id(conn);
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_int_eq(v.tokens_issued, 1);
    ck_assert_int_eq(calls, 0);
    free(id);
    uats_conn_close(conn);
}
END_TEST

START_TEST(oauth_expires_at_sets_the_lifetime)
{
    /* A 2 s token stated as an absolute time: renewed halfway, not after
     * the hour assumed when no lifetime is given. */
    v.oauth = true;
    v.expires_at = true;
    v.token_lifetime = 2;
    uats_conn *conn = open_oauth("");
    uats_error err;
    char *id = created_id(conn);
    ck_assert_int_eq(v.tokens_issued, 1);
    struct timespec pause = {1, 200 * 1000000L};
    nanosleep(&pause, NULL);
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_int_eq(v.tokens_issued, 2);
    free(id);
    uats_conn_close(conn);
}
END_TEST

START_TEST(oauth_token_url_from_the_connector)
{
    /* The connector names the endpoint (an option) when the connection's
     * credentials do not; credentials.token_url wins when both are set. */
    v.oauth = true;
    char config[1024];
    uats_error err;
    uats_conn *conn;
    snprintf(config, sizeof config,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\"}, \"options\": {\"token_url\": \"%s/oauth/token\"}", emu_base_url(emu));
    conn = open_with("httpconn", config, &err);
    ck_assert_msg(conn != NULL, "open: %s", err.text);
    char *id = created_id(conn);
    ck_assert_int_eq(v.tokens_issued, 1);
    free(id);
    uats_conn_close(conn);

    snprintf(config, sizeof config,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\", \"token_url\": \"%s/oauth/token\"}, \"options\": {\"token_url\": "
             "\"%s/elsewhere\"}", emu_base_url(emu), emu_base_url(emu));
    conn = open_with("httpconn", config, &err);
    ck_assert_msg(conn != NULL, "open: %s", err.text);
    id = created_id(conn);
    ck_assert_int_eq(v.tokens_issued, 2);
    free(id);
    uats_conn_close(conn);

    /* A remote plain-http endpoint is refused at open, naming the rule. */
    snprintf(config, sizeof config,
             "\"credentials\": {\"client_id\": \"client-1\", \"client_secret\": \"" CLIENT_SECRET
             "\"}, \"options\": {\"token_url\": \"http://auth.example.com/token\"}");
    ck_assert_ptr_null(open_with("httpconn", config, &err));
    ck_assert_int_eq(err.code, UATS_E_CONFIG);
}
END_TEST

typedef struct stampede_arg {
    uats_conn *conn;
    const char *id;
    uats_code rc;
} stampede_arg;

static void *stampede_get(void *p)
{
    stampede_arg *a = p;
    uats_error err;
    a->rc = get(a->conn, a->id, &err);
    return NULL;
}

START_TEST(oauth_many_threads_refused_at_once_renew_once)
{
    v.oauth = true;
    uats_conn *conn = open_oauth("");
    uats_error err;
    char *id = created_id(conn);
    ck_assert_int_eq(get(conn, id, &err), UATS_OK);
    ck_assert_int_eq(v.tokens_issued, 1);
    /* Revoke: every thread gets a 401, only one fetches a new token, and
     * the vendor, which honours only its newest token, accepts them all. */
    pthread_mutex_lock(&v.lock);
    snprintf(v.valid_token, sizeof v.valid_token, "revoked");
    pthread_mutex_unlock(&v.lock);
    pthread_t t[8];
    stampede_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (stampede_arg){conn, id, UATS_E_INTERNAL};
        ck_assert_int_eq(pthread_create(&t[i], NULL, stampede_get, &args[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(args[i].rc, UATS_OK);
    }
    ck_assert_int_eq(v.tokens_issued, 2);
    free(id);
    uats_conn_close(conn);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("auth");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, api_key_in_each_place);
    tcase_add_test(tc, bearer_token_and_basic_password);
    tcase_add_test(tc, wrong_credentials_are_auth_errors);
    tcase_add_test(tc, oauth_client_credentials_token_is_cached);
    tcase_add_test(tc, oauth_token_renewed_before_expiry_and_after_401);
    tcase_add_test(tc, oauth_refresh_token_rotation_reaches_the_host);
    tcase_add_test(tc, oauth_refused_grant_is_auth_error);
    tcase_add_test(tc, oauth_password_grant_json_body_token_path);
    tcase_add_test(tc, oauth_token_path_missing_is_auth_error);
    tcase_add_test(tc, oauth_token_answer_variants);
    tcase_add_test(tc, oauth_expires_at_sets_the_lifetime);
    tcase_add_test(tc, oauth_token_url_from_the_connector);
    tcase_add_test(tc, oauth_many_threads_refused_at_once_renew_once);
    suite_add_tcase(s, tc);

    tc = tcase_create("retries");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, get_is_retried_on_503_502_and_drop);
    tcase_add_test(tc, create_is_never_blindly_retried);
    tcase_add_test(tc, create_timeout_after_processing_is_outcome_unknown);
    tcase_add_test(tc, create_is_retried_when_refused_before_processing);
    tcase_add_test(tc, retry_after_as_http_date_and_over_budget);
    tcase_add_test(tc, connection_refused_is_transport);
    tcase_add_test(tc, connect_timeout_is_timeout_not_sent);
    tcase_add_test(tc, bad_bodies_are_vendor_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("transport");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, https_only_unless_loopback_or_allowed);
    tcase_add_test(tc, open_sets_the_base_url_from_an_option);
    tcase_add_test(tc, redirects_only_within_the_same_origin);
    tcase_add_test(tc, path_segments_are_escaped);
    tcase_add_test(tc, keep_alive_one_tcp_connection);
    tcase_add_test(tc, pacing_follows_rate_and_headers);
    tcase_add_test(tc, rate_limit_headers_slow_the_next_call);
    tcase_add_test(tc, multipart_upload_is_exact);
    tcase_add_test(tc, regressions_from_review);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
