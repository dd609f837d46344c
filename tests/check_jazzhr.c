/*
 * tests/check_jazzhr.c: the JazzHR connector end to end: the built
 * jazzhr.so, loaded by libuats, through real libcurl, against the JazzHR
 * emulator on 127.0.0.1. Create -> get -> add attachment -> get; a file
 * answer without an id; JazzHR's error texts (also with HTTP 200) kept;
 * authentication failure; 429 with Retry-After honoured; every fault kind
 * on every hook with no create sent twice; and the API key, which travels
 * in the query string and in POST bodies, in no log line (trace level
 * included) and no error text.
 */
#include <pthread.h>
#include <time.h>

#include "emu.h"
#include "jazzhr_emu.h"
#include "testutil.h"

/* '+' and '/' make the query carry a percent-encoded form too. */
#define KEY "jz+k3y/that-must-not-leak"
#define KEY_ENCODED "jz%2Bk3y%2Fthat-must-not-leak"
#define JOB JAZZHR_EMU_JOB

static emu_server *emu;
static jazzhr_emu *jz;
static uats_ctx *ctx;
static uats_conn *conn;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t log_lines, redacted_queries;
static bool leaked;

static void capture(uats_log_level level, const char *connector, const char *message,
                    void *userdata)
{
    (void)level;
    (void)connector;
    (void)userdata;
    pthread_mutex_lock(&log_lock);
    log_lines++;
    if (strstr(message, KEY) || strstr(message, KEY_ENCODED) || strstr(message, "k3y"))
        leaked = true;
    if (strstr(message, "apikey=[REDACTED]"))
        redacted_queries++;
    pthread_mutex_unlock(&log_lock);
}

static jazzhr_emu *install(emu_server *srv, unsigned per_minute, unsigned burst, bool no_id)
{
    jazzhr_emu_config cfg = {KEY, per_minute, burst, no_id};
    jazzhr_emu *e = jazzhr_emu_install(srv, &cfg);
    ck_assert_ptr_nonnull(e);
    return e;
}

static uats_conn *open_on(emu_server *srv, const char *key, const char *extra)
{
    char config[1024];
    uats_conn *c = NULL;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"jazzhr\", \"base_url\": \"%s/v1\", \"credentials\": "
             "{\"api_key\": \"%s\"}, \"retry\": {\"base_delay_ms\": 5}%s}",
             emu_base_url(srv), key, extra);
    ck_assert_msg(uats_conn_open_str(ctx, config, &c, &err) == UATS_OK, "open: %s", err.text);
    return c;
}

static const char fast[] = ", \"rate\": {\"per_sec\": 1000, \"burst\": 1000}";

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    jz = install(emu, 0, 0, false);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/jazzhr", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "jazzhr"));
    leaked = false;
    log_lines = redacted_queries = 0;
    conn = open_on(emu, KEY, fast);
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    jazzhr_emu_free(jz);
    ck_assert(log_lines > 0);
    ck_assert_msg(!leaked, "the API key appeared in a log line");
    /* The key did travel in query strings, and the trace showed them redacted. */
    ck_assert(redacted_queries > 0);
}

static uats_object *input(const char *doc)
{
    uats_object *in;
    uats_error err;
    ck_assert_msg(uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, doc, strlen(doc), &in, &err) ==
                      UATS_OK, "input: %s", err.text);
    return in;
}

static uats_object *file_input(const char *name, const char *type, const char *bytes)
{
    uats_error err;
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, name, &err), UATS_OK);
    if (type)
        ck_assert_int_eq(uats_set_string(att, UATS_F_ATTACHMENT_TYPE, type, &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, bytes, strlen(bytes), &err), UATS_OK);
    return att;
}

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, "k3y") && !strstr(err->vendor_message, "k3y"));
}

static const char odile[] =
    "{\"first_name\": \"Odile\", \"last_name\": \"Marchetti\","
    " \"email_addresses\": [{\"value\": \"odile.marchetti@mail.example\"}],"
    " \"phone_numbers\": [{\"value\": \"+39 02 0000 0417\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/odile-marchetti\", \"type\": \"LINKEDIN\"},"
    "   {\"value\": \"https://odile.example.dev\", \"type\": \"WEBSITE\"}],"
    " \"address\": {\"street\": \"Via dei Mille 12\", \"city\": \"Torino\", \"region\": \"TO\","
    "   \"postal_code\": \"10123\"},"
    " \"application\": {\"job_id\": \"" JOB "\"}}";

static void assert_odile(const uats_object *c)
{
    const char *v;
    ck_assert_str_eq(uats_get_string(c, UATS_F_FIRST_NAME), "Odile");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LAST_NAME), "Marchetti");
    ck_assert_int_eq(uats_list_typed(c, UATS_F_EMAIL_ADDRESSES, 0, &v), 0);
    ck_assert_str_eq(v, "odile.marchetti@mail.example");
    uats_list_typed(c, UATS_F_PHONE_NUMBERS, 0, &v);
    ck_assert_str_eq(v, "+39 02 0000 0417");
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 0, &v), UATS_URL_LINKEDIN);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 1, &v), UATS_URL_WEBSITE);
    ck_assert_str_eq(uats_get_string(c, UATS_F_LOCATION_CITY), "Torino");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LOCATION_REGION), "TO");
}

/* The last request to the route carried the key where JazzHR reads it. */
static void assert_key_sent(size_t i, bool in_body)
{
    char *target = emu_log_target(emu, i), *body;
    size_t len;
    ck_assert_ptr_nonnull(strstr(target, "apikey=" KEY_ENCODED));
    free(target);
    if (in_body) {
        body = emu_log_body(emu, i, &len);
        ck_assert_ptr_nonnull(strstr(body, "\"apikey\": \"" KEY "\"") ?
                              strstr(body, "\"apikey\": \"" KEY "\"") : strstr(body, "\"apikey\":\"" KEY "\""));
        free(body);
    }
}

START_TEST(create_get_attach_get)
{
    uats_object *in = input(odile), *created, *fetched, *att, *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_add_attachment_input(in, file_input("portfolio.pdf", "OTHER",
                                                              "%PDF-1.7 portfolio"), &err),
                     UATS_OK);
    ck_assert_msg(uats_candidate_create(conn, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_msg(uats_warnings_count(w) == 0, "unexpected warning: %s",
                  uats_warnings_count(w) ? uats_warning_message(w, 0) : "");
    uats_warnings_free(w);
    assert_odile(created);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    /* One create, one file, then the read-back: the applicant, and its
     * files until a page brings nothing new. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/applicants"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/files"), 1);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/files/applicant_id/:id/page/:page"), 1);
    ck_assert_uint_eq(emu_log_count(emu), 5);
    assert_key_sent(0, true);
    assert_key_sent(1, true);
    assert_key_sent(2, false);
    const char *id = uats_get_string(created, UATS_F_ID);
    ck_assert(strncmp(id, "prospect_", 9) == 0);

    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    assert_odile(fetched);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 0),
                     uats_list_string(created, UATS_F_ATTACHMENT_IDS, 0));
    uats_object_free(fetched);

    att = file_input("references.txt", NULL, "two references");
    ck_assert_int_eq(uats_attachment_add(conn, id, att, &out, NULL, &err), UATS_OK);
    const char *file_id = uats_get_string(out, UATS_F_ID);
    ck_assert_str_eq(uats_get_string(out, UATS_F_CANDIDATE_ID), id);
    ck_assert_str_eq(uats_get_string(out, UATS_F_FILE_NAME), "references.txt");
    int64_t size;
    ck_assert(uats_get_int(out, UATS_F_SIZE, &size));
    ck_assert_int_eq(size, 14);
    size_t len;
    char *bytes = jazzhr_emu_file_bytes(jz, file_id, &len);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_uint_eq(len, 14);
    ck_assert(memcmp(bytes, "two references", 14) == 0);
    free(bytes);

    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 1), file_id);
    uats_object_free(fetched);
    uats_object_free(out);
    uats_object_free(att);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(file_answer_without_an_id_is_looked_up)
{
    emu_server *srv = emu_start();
    jazzhr_emu *e = install(srv, 0, 0, true);
    uats_conn *c = open_on(srv, KEY, fast);
    uats_object *in = input(odile), *created, *att = file_input("cv.pdf", "RESUME", "%PDF cv"),
                *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(c, in, &created, NULL, &err), UATS_OK);
    const char *id = uats_get_string(created, UATS_F_ID);
    ck_assert_int_eq(uats_attachment_add(c, id, att, &out, &w, &err), UATS_OK);
    /* JazzHR's files have no type. */
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "type");
    uats_warnings_free(w);
    ck_assert(strncmp(uats_get_string(out, UATS_F_ID), "file_", 5) == 0);
    ck_assert_uint_eq(jazzhr_emu_file_count(e), 1);
    uats_object_free(out);
    uats_object_free(att);
    uats_object_free(created);
    uats_object_free(in);
    uats_conn_close(c);
    emu_stop(srv);
    jazzhr_emu_free(e);
}
END_TEST

START_TEST(unstorable_fields_are_warned)
{
    uats_object *in = input(
        "{\"first_name\": \"Odile\", \"last_name\": \"Marchetti\", \"company\": \"Fonderia\","
        " \"tags\": [\"rust\"], \"email_addresses\": [{\"value\": \"o@mail.example\", \"type\":"
        " \"WORK\"}], \"attachments\": [{\"file_name\": \"x.pdf\", \"url\": \"https://f.example/x\"}]}");
    uats_object *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    ck_assert_uint_eq(uats_warnings_count(w), 4);
    ck_assert_str_eq(uats_warning_field(w, 0), "email_addresses[0].type");
    ck_assert_str_eq(uats_warning_field(w, 1), "attachments[0]");
    ck_assert_str_eq(uats_warning_field(w, 2), "company");
    ck_assert_str_eq(uats_warning_field(w, 3), "tags");
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/files"), 0);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
    /* Without what JazzHR requires nothing is sent. */
    in = input("{\"first_name\": \"Odile\", \"last_name\": \"Marchetti\"}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err.field, "email_addresses");
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/applicants"), 1);
    uats_object_free(in);
    /* A file by URL is refused naming the vendor. */
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "x.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att, UATS_F_URL, "https://f.example/x", &err), UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, "prospect_1", att, &out, NULL, &err),
                     UATS_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.text, "JazzHR"));
    uats_object_free(att);
}
END_TEST

START_TEST(vendor_errors_keep_jazzhrs_words)
{
    uats_object *in = input(odile), *out;
    uats_error err;
    /* An unknown job: JazzHR's error text comes with HTTP 200, so whether
     * it created anything is not certain; the text is kept, nothing resent. */
    ck_assert_int_eq(uats_set_string(in, UATS_F_JOB_ID, "job_no_such_job", &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_str_eq(err.vendor_message, "Invalid job ID");
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/applicants"), 1);
    ck_assert_uint_eq(jazzhr_emu_applicant_count(jz), 0);
    /* A status JazzHR sends with a JSON error: the code, and its text. */
    emu_fault bad = {.kind = EMU_FAULT_STATUS, .status = 400,
                     .body = "{\"error\": \"Email address is not valid\"}"};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/v1/applicants", &bad), 0);
    ck_assert_int_eq(uats_set_string(in, UATS_F_JOB_ID, JOB, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.vendor_message, "Email address is not valid");
    ck_assert_int_eq(err.http_status, 400);
    /* Unknown ids: not found, and no file is sent for one. */
    ck_assert_int_eq(uats_candidate_get(conn, "prospect_unknown", &out, &err), UATS_E_NOT_FOUND);
    uats_object *att = file_input("a.txt", NULL, "a");
    ck_assert_int_eq(uats_attachment_add(conn, "prospect_unknown", att, &out, NULL, &err),
                     UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/files"), 0);
    assert_no_secret(&err);
    uats_object_free(att);
    uats_object_free(in);
}
END_TEST

START_TEST(auth_failure)
{
    uats_conn *wrong = open_on(emu, "not-the-key", fast);
    uats_object *in = input(odile), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(wrong, "prospect_1", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "Invalid or missing API key");
    ck_assert_int_eq(uats_candidate_create(wrong, in, &out, NULL, &err), UATS_E_AUTH);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/applicants"), 1);
    ck_assert_uint_eq(jazzhr_emu_applicant_count(jz), 0);
    uats_object_free(in);
    uats_conn_close(wrong);
}
END_TEST

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(rate_limit_is_honoured)
{
    /* 60 a minute in bursts of one: the read-back's second request gets a
     * 429 with Retry-After: 1, which the core waits out. */
    emu_server *srv = emu_start();
    jazzhr_emu *e = install(srv, 60, 1, false);
    uats_conn *c = open_on(srv, KEY, fast);
    uats_object *out;
    uats_error err;
    double t0 = now_s();
    ck_assert_int_eq(uats_candidate_get(c, "prospect_unknown", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(uats_candidate_get(c, "prospect_unknown", &out, &err), UATS_E_NOT_FOUND);
    double took = now_s() - t0;
    ck_assert_msg(took >= 0.9, "the 429 was not waited out (%.2f s)", took);
    ck_assert_uint_eq(emu_count(srv, "GET", "/v1/applicants/:id"), 3);
    uats_conn_close(c);
    emu_stop(srv);
    jazzhr_emu_free(e);

    /* The declared pace (80 a minute) holds a burst of 12 requests to the
     * documented rate without a single 429. */
    srv = emu_start();
    e = install(srv, 80, 8, false);
    c = open_on(srv, KEY, "");
    for (int i = 0; i < 12; i++)
        ck_assert_int_eq(uats_candidate_get(c, "prospect_unknown", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_count(srv, "GET", "/v1/applicants/:id"), 12);
    uats_conn_close(c);
    emu_stop(srv);
    jazzhr_emu_free(e);
}
END_TEST

/*
 * The fault matrix (docs/reliability.md): each fault on each hook, the
 * uats code the host must get, and never a second create. The fault hits
 * the first request of the hook's own route.
 */
typedef struct fault_case {
    const char *name;
    emu_fault fault;
    uats_code create, get, attach;
} fault_case;

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401, .body = "{\"error\": \"Invalid API key\"}"},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403, .body = "{\"error\": \"Access denied\"}"},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, UATS_E_FORBIDDEN},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = "{\"error\": \"Not found\"}"},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, UATS_E_NOT_FOUND},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422, .body = "{\"error\": \"Invalid email\"}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION},
    {"429 + Retry-After", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                           .body = "{\"error\": \"API rate limit exceeded\"}"},
     UATS_OK, UATS_OK, UATS_OK},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = "{\"error\": \"Internal error\"}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"502 HTML", {.kind = EMU_FAULT_HTML, .status = 502},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"503", {.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK, UATS_OK},
    {"dropped connection", {.kind = EMU_FAULT_DROP},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"truncated body", {.kind = EMU_FAULT_TRUNCATE},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"invalid JSON", {.kind = EMU_FAULT_INVALID_JSON},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"oversized body", {.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_TOO_LARGE, UATS_E_OUTCOME_UNKNOWN},
    {"invalid UTF-8", {.kind = EMU_FAULT_INVALID_UTF8},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"wrong types", {.kind = EMU_FAULT_STATUS, .status = 200,
                     .body = "{\"prospect_id\": 12345, \"id\": [\"x\"], \"first_name\": [\"Ada\"],"
                             " \"file_id\": 7}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"error text with 200", {.kind = EMU_FAULT_STATUS, .status = 200,
                             .body = "{\"error\": \"Something went wrong\"}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"not an object", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "[1, 2, 3]"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
};

static void one(const fault_case *fc, const char *hook, const char *method, const char *route,
                uats_code want, uats_object *seed_in, const char *id)
{
    uats_object *out = NULL, *att = NULL;
    uats_error err;
    uats_code rc;
    ck_assert_int_eq(emu_fault_push(emu, method, route, &fc->fault), 0);
    size_t before = emu_count(emu, method, route);
    size_t people = jazzhr_emu_applicant_count(jz);
    if (strcmp(hook, "create") == 0)
        rc = uats_candidate_create(conn, seed_in, &out, NULL, &err);
    else if (strcmp(hook, "get") == 0)
        rc = uats_candidate_get(conn, id, &out, &err);
    else
        rc = uats_attachment_add(conn, id, att = file_input("cv.pdf", "OTHER", "%PDF"), &out,
                                 NULL, &err);
    size_t sent = emu_count(emu, method, route) - before;
    ck_assert_msg(rc == want, "%s on %s %s: %s, expected %s (%s)", fc->name, hook, route,
                  uats_code_name(rc), uats_code_name(want), err.text);
    if (rc != UATS_OK)
        ck_assert_int_eq(err.code, rc);
    bool refused = fc->fault.kind == EMU_FAULT_STATUS &&
                   (fc->fault.status == 429 || fc->fault.status == 503);
    if (strcmp(method, "POST") == 0)
        ck_assert_msg(sent == (refused ? 2u : 1u), "%s on %s: %zu POSTs", fc->name, hook, sent);
    ck_assert_uint_le(jazzhr_emu_applicant_count(jz), people + 1);
    assert_no_secret(&err);
    uats_object_free(out);
    uats_object_free(att);
    emu_fault_clear(emu);
}

START_TEST(fault_matrix)
{
    uats_object *seed_in = input(odile), *seed;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        one(&matrix[i], "create", "POST", "/v1/applicants", matrix[i].create, seed_in, id);
        one(&matrix[i], "get", "GET", "/v1/applicants/:id", matrix[i].get, seed_in, id);
        one(&matrix[i], "attach", "POST", "/v1/files", matrix[i].attach, seed_in, id);
    }
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(refused_connection_errors_carry_no_key)
{
    char config[512];
    uats_conn *dead;
    uats_error err;
    uats_object *in = input(odile), *out, *att = file_input("cv.pdf", NULL, "%PDF");
    snprintf(config, sizeof config, "{\"connector\": \"jazzhr\", \"base_url\": "
             "\"http://127.0.0.1:%u/v1\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"retry\": {\"base_delay_ms\": 5}}", emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    assert_no_secret(&err);
    ck_assert_int_eq(uats_candidate_get(dead, "prospect_1", &out, &err), UATS_E_TRANSPORT);
    assert_no_secret(&err);
    ck_assert_int_eq(uats_attachment_add(dead, "prospect_1", att, &out, NULL, &err),
                     UATS_E_TRANSPORT);
    assert_no_secret(&err);
    uats_conn_close(dead);
    /* An error that quotes the request back: redacted like a header secret. */
    char echo[256];
    snprintf(echo, sizeof echo, "{\"error\": \"bad request GET /v1/applicants/x?apikey=%s\"}",
             KEY_ENCODED);
    emu_fault f = {.kind = EMU_FAULT_STATUS, .status = 400, .body = echo};
    ck_assert_int_eq(emu_fault_push(emu, "GET", "/v1/applicants/:id", &f), 0);
    ck_assert_int_eq(uats_candidate_get(conn, "x", &out, &err), UATS_E_VALIDATION);
    ck_assert_ptr_nonnull(strstr(err.vendor_message, "apikey=[REDACTED]"));
    assert_no_secret(&err);
    uats_object_free(att);
    uats_object_free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jazzhr");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, file_answer_without_an_id_is_looked_up);
    tcase_add_test(tc, unstorable_fields_are_warned);
    tcase_add_test(tc, vendor_errors_keep_jazzhrs_words);
    tcase_add_test(tc, auth_failure);
    tcase_add_test(tc, rate_limit_is_honoured);
    tcase_add_test(tc, fault_matrix);
    tcase_add_test(tc, refused_connection_errors_carry_no_key);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
