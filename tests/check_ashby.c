/*
 * tests/check_ashby.c: the Ashby connector end to end: the built ashby.so,
 * loaded by libuats, through real libcurl, against the Ashby emulator on
 * 127.0.0.1. Create -> get -> add attachment -> get; refusals answered HTTP
 * 200 with success:false keep Ashby's words; 401, a wrong key and a missing
 * permission; the 429 signal honoured; every fault kind on every hook with
 * no create sent twice; secrets in no log line.
 */
#include <pthread.h>

#include "ashby_emu.h"
#include "emu.h"
#include "testutil.h"

#define KEY "ashby-k3y-that-must-not-leak"
#define RO_KEY "ashby-read-only-k3y-that-must-not-leak"

static emu_server *emu;
static ashby_emu *ab;
static uats_ctx *ctx;
static uats_conn *conn;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t log_lines;
static bool leaked;

static void capture(uats_log_level level, const char *connector, const char *message,
                    void *userdata)
{
    (void)level;
    (void)connector;
    (void)userdata;
    pthread_mutex_lock(&log_lock);
    log_lines++;
    if (strstr(message, KEY) || strstr(message, RO_KEY))
        leaked = true;
    pthread_mutex_unlock(&log_lock);
}

static uats_conn *open_on(emu_server *srv, const char *key, const char *extra)
{
    char config[1024];
    uats_conn *c = NULL;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"ashby\", \"base_url\": \"%s\", \"credentials\": "
             "{\"api_key\": \"%s\"}, \"retry\": {\"base_delay_ms\": 5}, "
             "\"rate\": {\"per_sec\": 1000, \"burst\": 1000}%s}",
             emu_base_url(srv), key, extra);
    ck_assert_msg(uats_conn_open_str(ctx, config, &c, &err) == UATS_OK, "open: %s", err.text);
    return c;
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    ashby_emu_config cfg = {.api_key = KEY, .read_only_key = RO_KEY};
    ab = ashby_emu_install(emu, &cfg);
    ck_assert_ptr_nonnull(ab);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/ashby", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "ashby"));
    leaked = false;
    log_lines = 0;
    conn = open_on(emu, KEY, "");
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    ashby_emu_free(ab);
    ck_assert(log_lines > 0);
    ck_assert_msg(!leaked, "a secret appeared in a log line");
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
    ck_assert_int_eq(uats_set_string(att, UATS_F_CONTENT_TYPE, "application/pdf", &err), UATS_OK);
    if (type)
        ck_assert_int_eq(uats_set_string(att, UATS_F_ATTACHMENT_TYPE, type, &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, bytes, strlen(bytes), &err), UATS_OK);
    return att;
}

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, KEY) && !strstr(err->vendor_message, KEY));
}

static const char marisol[] =
    "{\"first_name\": \"Marisol\", \"last_name\": \"Achterberg\","
    " \"email_addresses\": [{\"value\": \"marisol.a@mail.example\", \"type\": \"PERSONAL\"},"
    "   {\"value\": \"m.achterberg@mail.example\", \"type\": \"PERSONAL\"}],"
    " \"phone_numbers\": [{\"value\": \"+31 20 555 0199\", \"type\": \"HOME\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/marisol-a\", \"type\": \"LINKEDIN\"},"
    "   {\"value\": \"https://github.com/marisol-a\", \"type\": \"GITHUB\"},"
    "   {\"value\": \"https://marisol.example.dev\", \"type\": \"WEBSITE\"}],"
    " \"location\": {\"city\": \"Utrecht\", \"country\": \"NL\"},"
    " \"application\": {\"job_id\": \"" ASHBY_EMU_JOB "\"}}";

static void assert_marisol(const uats_object *c)
{
    const char *v;
    ck_assert_str_eq(uats_get_string(c, UATS_F_FIRST_NAME), "Marisol");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LAST_NAME), "Achterberg");
    ck_assert_uint_eq(uats_list_count(c, UATS_F_EMAIL_ADDRESSES), 2);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_EMAIL_ADDRESSES, 0, &v), UATS_EMAIL_PERSONAL);
    ck_assert_str_eq(v, "marisol.a@mail.example");
    ck_assert_int_eq(uats_list_typed(c, UATS_F_PHONE_NUMBERS, 0, &v), UATS_PHONE_HOME);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 0, &v), UATS_URL_LINKEDIN);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 1, &v), UATS_URL_GITHUB);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 2, &v), UATS_URL_WEBSITE);
    ck_assert_str_eq(uats_get_string(c, UATS_F_LOCATION_CITY), "Utrecht");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LOCATION_COUNTRY), "NL");
    ck_assert_uint_eq(uats_list_count(c, UATS_F_APPLICATION_IDS), 1);
    ck_assert_ptr_nonnull(uats_get_string(c, UATS_F_REMOTE_CREATED_AT));
}

static bool has_string(const uats_object *c, uats_field f, const char *s)
{
    for (size_t i = 0; i < uats_list_count(c, f); i++)
        if (strcmp(uats_list_string(c, f, i), s) == 0)
            return true;
    return false;
}

START_TEST(several_files_with_a_create)
{
    /* Each upload answers with a fresh copy of the candidate, which
     * replaces the one the id was read from: every file must still go to
     * this candidate (a use after free once sent the second one astray). */
    uats_object *in = input(marisol), *created;
    uats_error err;
    ck_assert_int_eq(uats_add_attachment_input(in, file_input("cv.pdf", "RESUME", "%PDF cv"),
                                               &err), UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, file_input("a.txt", NULL, "a"), &err),
                     UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, file_input("b.txt", NULL, "b"), &err),
                     UATS_OK);
    ck_assert_msg(uats_candidate_create(conn, in, &created, NULL, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 3);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.uploadResume"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.uploadFile"), 2);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(create_get_attach_get)
{
    uats_object *in = input(marisol), *created, *fetched, *att_in, *att;
    uats_warnings *w;
    uats_error err;
    att_in = file_input("Marisol_CV.pdf", "RESUME", "%PDF-1.7 cv");
    ck_assert_int_eq(uats_add_attachment_input(in, att_in, &err), UATS_OK); /* takes it */
    ck_assert_msg(uats_candidate_create(conn, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_msg(uats_warnings_count(w) == 0, "unexpected warning: %s: %s",
                  uats_warnings_count(w) ? uats_warning_field(w, 0) : "",
                  uats_warnings_count(w) ? uats_warning_message(w, 0) : "");
    uats_warnings_free(w);
    assert_marisol(created);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    const char *id = uats_get_string(created, UATS_F_ID);
    /* Every call a POST, each once; Basic auth with the key and no password. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.create"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/application.create"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.uploadResume"), 1);
    ck_assert_uint_eq(emu_log_count(emu), 3);
    char *auth = emu_log_header(emu, 0, "Authorization");
    ck_assert_str_eq(auth, "Basic YXNoYnktazN5LXRoYXQtbXVzdC1ub3QtbGVhazo="); /* KEY: */
    free(auth);
    char *type = emu_log_header(emu, 0, "Content-Type");
    ck_assert_ptr_nonnull(strstr(type, "application/json"));
    free(type);
    ck_assert_uint_eq(ashby_emu_candidate_count(ab), 1);
    ck_assert_uint_eq(ashby_emu_application_count(ab), 1);

    /* Get: one candidate.info. */
    emu_reset_log(emu);
    ck_assert_msg(uats_candidate_get(conn, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    ck_assert_uint_eq(emu_log_count(emu), 1);
    char *method = emu_log_method(emu, 0), *body = emu_log_body(emu, 0, NULL);
    ck_assert_str_eq(method, "POST");
    ck_assert_ptr_nonnull(strstr(body, id));
    free(method);
    free(body);
    assert_marisol(fetched);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 0),
                     uats_list_string(created, UATS_F_ATTACHMENT_IDS, 0));
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_APPLICATION_IDS, 0),
                     uats_list_string(created, UATS_F_APPLICATION_IDS, 0));
    uats_object_free(fetched);

    /* A cover letter: a plain file (type warned), found by its new id. */
    uats_warnings *aw = NULL;
    att_in = file_input("Marisol_Cover.pdf", "COVER_LETTER", "%PDF-1.7 letter");
    ck_assert_msg(uats_attachment_add(conn, id, att_in, &att, &aw, &err) == UATS_OK,
                  "attach: %s", err.text);
    ck_assert_uint_eq(uats_warnings_count(aw), 1);
    ck_assert_str_eq(uats_warning_field(aw, 0), "type");
    uats_warnings_free(aw);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.uploadFile"), 1);
    ck_assert_str_eq(uats_get_string(att, UATS_F_CANDIDATE_ID), id);
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "Marisol_Cover.pdf");
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "OTHER");
    ck_assert_msg(uats_candidate_get(conn, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert(has_string(fetched, UATS_F_ATTACHMENT_IDS, uats_get_string(att, UATS_F_ID)));
    ck_assert_uint_eq(ashby_emu_file_count(ab), 2);
    uats_object_free(fetched);
    uats_object_free(att);
    uats_object_free(att_in);

    /* A file by URL: fetched without credentials, then uploaded. */
    char url[256];
    json_t *stored = ashby_emu_candidate(ab, id);
    snprintf(url, sizeof url, "%s/_files/%s", emu_base_url(emu),
             json_string_value(json_object_get(json_array_get(json_object_get(stored,
                               "fileHandles"), 0), "id")));
    json_decref(stored);
    att_in = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_FILE_NAME, "copy.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_URL, url, &err), UATS_OK);
    ck_assert_msg(uats_attachment_add(conn, id, att_in, &att, NULL, &err) == UATS_OK,
                  "attach by url: %s", err.text);
    ck_assert_uint_eq(ashby_emu_file_count(ab), 3);
    uats_object_free(att);
    uats_object_free(att_in);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(unstorable_fields_are_warned)
{
    uats_object *in = input("{\"first_name\": \"A\", \"last_name\": \"B\", \"gender\": \"x\","
                            " \"company\": \"C\", \"tags\": [\"t\"],"
                            " \"phone_numbers\": [{\"value\": \"1\", \"type\": \"MOBILE\"}],"
                            " \"application\": {\"source\": \"lead\"}}"), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    static const char *const want[] = {"gender", "company", "tags", "phone_numbers[0].type",
                                       "application.source"};
    ck_assert_uint_eq(uats_warnings_count(w), 5);
    for (size_t i = 0; i < 5; i++) {
        bool found = false;
        for (size_t j = 0; j < uats_warnings_count(w); j++)
            found = found || strcmp(uats_warning_field(w, j), want[i]) == 0;
        ck_assert_msg(found, "no warning for %s", want[i]);
    }
    /* No job: no application call. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/application.create"), 0);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(vendor_errors_keep_ashbys_words)
{
    uats_object *out, *in;
    uats_error err;
    uats_warnings *w;
    /* Unknown ids: success:false on HTTP 200, Ashby's message kept. */
    ck_assert_int_eq(uats_candidate_get(conn, "00000000-0000-4000-8000-000000000000", &out, &err),
                     UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 200);
    ck_assert_str_eq(err.vendor_message, "Candidate not found");
    /* Not an Ashby id: nothing is sent. */
    emu_reset_log(emu);
    ck_assert_int_eq(uats_candidate_get(conn, "not-an-id", &out, &err), UATS_E_NOT_FOUND);
    uats_object *att = file_input("x.pdf", NULL, "x");
    ck_assert_int_eq(uats_attachment_add(conn, "not-an-id", att, &out, NULL, &err),
                     UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_log_count(emu), 0);
    /* An unknown candidate's upload: refused by the read before any bytes. */
    ck_assert_int_eq(uats_attachment_add(conn, "00000000-0000-4000-8000-000000000000", att, &out,
                                         NULL, &err), UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.uploadFile"), 0);
    uats_object_free(att);
    /* Ashby's validation: success:false invalid_input, refused, not resent. */
    in = input("{\"first_name\": \"A\", \"email_addresses\": [{\"value\": \"not-an-email\"}]}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.vendor_message, "email is not a valid email address");
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.create"), 1);
    uats_object_free(in);
    /* A closed job: the candidate exists, the application's refusal is a
     * warning naming it. */
    in = input("{\"first_name\": \"A\", \"application\": {\"job_id\": "
               "\"0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a\"}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "application.job_id");
    ck_assert_uint_eq(uats_list_count(out, UATS_F_APPLICATION_IDS), 0);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
    /* No name: refused before anything is sent. */
    in = input("{\"email_addresses\": [{\"value\": \"a@b.example\"}]}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err.field, "first_name");
    uats_object_free(in);
    ck_assert_uint_eq(ashby_emu_candidate_count(ab), 1);
}
END_TEST

START_TEST(auth_failures)
{
    uats_object *out, *in = input("{\"first_name\": \"A\"}");
    uats_error err;
    /* A wrong key: Ashby's 403 without a permission code is an auth error. */
    uats_conn *bad = open_on(emu, "wrong-key", "");
    ck_assert_int_eq(uats_candidate_get(bad, "00000000-0000-4000-8000-000000000000", &out, &err),
                     UATS_E_AUTH);
    ck_assert_int_eq(err.http_status, 403);
    ck_assert_str_eq(err.vendor_message, "The API key is invalid or has been deactivated");
    uats_conn_close(bad);
    /* A read-only key: reads work, writes are forbidden, with Ashby's words. */
    uats_conn *ro = open_on(emu, RO_KEY, "");
    ck_assert_int_eq(uats_candidate_get(ro, "00000000-0000-4000-8000-000000000000", &out, &err),
                     UATS_E_NOT_FOUND);
    ck_assert_int_eq(uats_candidate_create(ro, in, &out, NULL, &err), UATS_E_FORBIDDEN);
    ck_assert_ptr_nonnull(strstr(err.vendor_message, "candidatesWrite"));
    assert_no_secret(&err);
    uats_conn_close(ro);
    ck_assert_uint_eq(ashby_emu_candidate_count(ab), 0);
    uats_object_free(in);
}
END_TEST

START_TEST(rate_limit_is_honoured)
{
    /* 2 requests per second, bursts of 2, and the connection itself paces
     * at 1000/s: Ashby's 429 + Retry-After must be waited out and the read
     * retried, so every call succeeds. */
    emu_server *srv = emu_start();
    ashby_emu_config cfg = {.api_key = KEY, .rate_per_sec = 2, .burst = 2};
    ashby_emu *e = ashby_emu_install(srv, &cfg);
    uats_conn *c = open_on(srv, KEY, "");
    uats_object *in = input("{\"first_name\": \"R\"}"), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(c, in, &out, NULL, &err), UATS_OK);
    char id[64];
    snprintf(id, sizeof id, "%s", uats_get_string(out, UATS_F_ID));
    uats_object_free(out);
    for (int i = 0; i < 5; i++) {
        uats_code rc = uats_candidate_get(c, id, &out, &err);
        ck_assert_msg(rc == UATS_OK, "call %d: %s", i, err.text);
        uats_object_free(out);
    }
    ck_assert_uint_gt(ashby_emu_throttled(e), 0);
    ck_assert_uint_eq(ashby_emu_candidate_count(e), 1);
    uats_conn_close(c);
    uats_object_free(in);
    emu_stop(srv);
    ashby_emu_free(e);
}
END_TEST

/*
 * The fault matrix (docs/reliability.md): each fault on each hook, the
 * uats code the host must get, and never a second create. The fault hits
 * the hook's write (or, for get, its read): candidate.create,
 * candidate.info, candidate.uploadFile.
 */
typedef struct fault_case {
    const char *name;
    emu_fault fault;
    uats_code create, get, attach;
} fault_case;

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401,
             .body = "{\"success\": false, \"errorInfo\": {\"code\": \"missing_api_key\","
                     " \"message\": \"No API key\"}}"},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH},
    {"403 wrong key", {.kind = EMU_FAULT_STATUS, .status = 403,
                       .body = "{\"success\": false, \"errorInfo\": {\"code\": \"invalid_api_key\","
                               " \"message\": \"Invalid key\"}}"},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH},
    {"403 permission", {.kind = EMU_FAULT_STATUS, .status = 403,
                        .body = "{\"success\": false, \"errorInfo\": {\"code\":"
                                " \"missing_endpoint_permission\", \"message\": \"No access\"}}"},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, UATS_E_FORBIDDEN},
    {"403 HTML", {.kind = EMU_FAULT_HTML, .status = 403}, UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = "{\"message\": \"Not Found\"}"},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, UATS_E_NOT_FOUND},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422,
             .body = "{\"success\": false, \"errorInfo\": {\"code\": \"invalid_input\","
                     " \"message\": \"Bad value\"}}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION},
    {"200 success:false", {.kind = EMU_FAULT_STATUS, .status = 200,
                           .body = "{\"success\": false, \"errors\": [\"invalid_input\"],"
                                   " \"errorInfo\": {\"code\": \"invalid_input\","
                                   " \"message\": \"Request payload is malformed\"}}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION},
    {"429 + Retry-After", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                           .body = "{\"success\": false, \"errorInfo\": {\"code\":"
                                   " \"rate_limit_exceeded\", \"message\": \"Slow down\"}}"},
     UATS_OK, UATS_OK, UATS_OK},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = "{\"message\": \"Internal\"}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"502 HTML", {.kind = EMU_FAULT_HTML, .status = 502},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"503", {.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK, UATS_OK},
    {"reset after the request", {.kind = EMU_FAULT_DROP},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"reset mid-body", {.kind = EMU_FAULT_TRUNCATE},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"invalid JSON", {.kind = EMU_FAULT_INVALID_JSON},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"oversized body", {.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_TOO_LARGE, UATS_E_OUTCOME_UNKNOWN},
    {"invalid UTF-8", {.kind = EMU_FAULT_INVALID_UTF8},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"wrong types", {.kind = EMU_FAULT_STATUS, .status = 200,
                     .body = "{\"success\": true, \"results\": {\"id\": 12345, \"name\": [1]}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"no envelope", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "[1, 2, 3]"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
};

static void one(const fault_case *fc, const char *hook, const char *route, uats_code want,
                uats_object *seed_in, const char *id)
{
    uats_object *out = NULL, *att = NULL;
    uats_error err;
    uats_code rc;
    ck_assert_int_eq(emu_fault_push(emu, "POST", route, &fc->fault), 0);
    size_t before = emu_count(emu, "POST", route);
    size_t people = ashby_emu_candidate_count(ab);
    if (strcmp(hook, "create") == 0)
        rc = uats_candidate_create(conn, seed_in, &out, NULL, &err);
    else if (strcmp(hook, "get") == 0)
        rc = uats_candidate_get(conn, id, &out, &err);
    else
        rc = uats_attachment_add(conn, id, att = file_input("cv.pdf", NULL, "%PDF"), &out, NULL,
                                 &err);
    size_t sent = emu_count(emu, "POST", route) - before;
    ck_assert_msg(rc == want, "%s on %s: %s, expected %s (%s)", fc->name, hook,
                  uats_code_name(rc), uats_code_name(want), err.text);
    if (rc != UATS_OK)
        ck_assert_int_eq(err.code, rc);
    bool refused = fc->fault.kind == EMU_FAULT_STATUS &&
                   (fc->fault.status == 429 || fc->fault.status == 503);
    /* Writes: once, twice only when Ashby certainly did not process it. */
    if (strcmp(hook, "get") != 0)
        ck_assert_msg(sent == (refused ? 2u : 1u), "%s on %s: %zu POSTs", fc->name, hook, sent);
    ck_assert_uint_le(ashby_emu_candidate_count(ab), people + 1);
    assert_no_secret(&err);
    uats_object_free(out);
    uats_object_free(att);
    emu_fault_clear(emu);
}

START_TEST(fault_matrix)
{
    uats_object *seed_in = input("{\"first_name\": \"Seed\", \"last_name\": \"Person\"}"), *seed;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        one(&matrix[i], "create", "/candidate.create", matrix[i].create, seed_in, id);
        one(&matrix[i], "get", "/candidate.info", matrix[i].get, seed_in, id);
        one(&matrix[i], "attach", "/candidate.uploadFile", matrix[i].attach, seed_in, id);
    }
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(upload_failure_inside_a_create_is_a_warning)
{
    uats_object *in = input("{\"first_name\": \"U\"}"), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_add_attachment_input(in, file_input("a.pdf", NULL, "a"), &err),
                     UATS_OK);
    emu_fault drop = {.kind = EMU_FAULT_DROP};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/candidate.uploadFile", &drop), 0);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "attachments[0]");
    ck_assert_ptr_nonnull(uats_get_string(out, UATS_F_ID));
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.create"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.uploadFile"), 1);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(connection_refused_and_late_answers)
{
    char config[512];
    uats_conn *dead;
    uats_error err;
    uats_object *in = input("{\"first_name\": \"L\"}"), *out;
    snprintf(config, sizeof config, "{\"connector\": \"ashby\", \"base_url\": "
             "\"http://127.0.0.1:%u\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"retry\": {\"base_delay_ms\": 5}}", emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_candidate_get(dead, "00000000-0000-4000-8000-000000000000", &out, &err),
                     UATS_E_TRANSPORT);
    uats_conn_close(dead);
    /* Ashby created it but answered too late: unknown, never resent. */
    uats_conn *quick = open_on(emu, KEY, ", \"timeouts\": {\"total_ms\": 400}");
    emu_fault late = {.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1200};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/candidate.create", &late), 0);
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidate.create"), 1);
    ck_assert_uint_eq(ashby_emu_candidate_count(ab), 1);
    uats_conn_close(quick);
    uats_object_free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ashby");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, several_files_with_a_create);
    tcase_add_test(tc, unstorable_fields_are_warned);
    tcase_add_test(tc, vendor_errors_keep_ashbys_words);
    tcase_add_test(tc, auth_failures);
    tcase_add_test(tc, rate_limit_is_honoured);
    tcase_add_test(tc, fault_matrix);
    tcase_add_test(tc, upload_failure_inside_a_create_is_a_warning);
    tcase_add_test(tc, connection_refused_and_late_answers);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
