/*
 * tests/check_smartrecruiters.c: the SmartRecruiters connector end to end:
 * the built smartrecruiters.so, loaded by libuats, through real libcurl,
 * against the SmartRecruiters emulator on 127.0.0.1. Create -> get -> add
 * attachment -> get; the Talent Pool; warnings; vendor errors with the
 * vendor's words; files by URL; a file that fails after the create; the
 * per-second rate limit; every fault kind on every hook with no create sent
 * twice; secrets in no log line at trace level.
 */
#include <pthread.h>

#include "emu.h"
#include "smartrecruiters_emu.h"
#include "testutil.h"

#define KEY "sr-smart-t0ken-that-must-not-leak"
#define JOB SMARTRECRUITERS_EMU_JOB

static emu_server *emu;
static smartrecruiters_emu *sr;
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
    if (strstr(message, KEY))
        leaked = true;
    pthread_mutex_unlock(&log_lock);
}

/* A connection to srv with key; extra goes inside the config. Fast pacing
 * unless extra sets its own. */
static uats_conn *open_on(emu_server *srv, const char *key, const char *extra)
{
    char config[1024];
    uats_conn *c = NULL;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"smartrecruiters\", \"base_url\": \"%s\", \"credentials\": "
             "{\"api_key\": \"%s\"}%s%s%s}",
             emu_base_url(srv), key,
             strstr(extra, "\"retry\"") ? "" : ", \"retry\": {\"base_delay_ms\": 5}",
             strstr(extra, "\"rate\"") ? "" : ", \"rate\": {\"per_sec\": 1000, \"burst\": 1000}",
             extra);
    ck_assert_msg(uats_conn_open_str(ctx, config, &c, &err) == UATS_OK, "open: %s", err.text);
    return c;
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    smartrecruiters_emu_config cfg = {KEY, 0, NULL, 0};
    sr = smartrecruiters_emu_install(emu, &cfg);
    ck_assert_ptr_nonnull(sr);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/smartrecruiters", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "smartrecruiters"));
    leaked = false;
    log_lines = 0;
    conn = open_on(emu, KEY, "");
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    smartrecruiters_emu_free(sr);
    /* Every test ran at trace level: the key must appear in no line. */
    ck_assert(log_lines > 0);
    ck_assert_msg(!leaked, "the API key appeared in a log line");
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
    ck_assert(!strstr(err->text, KEY));
    ck_assert(!strstr(err->vendor_message, KEY));
}

static const char marta[] =
    "{\"first_name\": \"Marta\", \"last_name\": \"Vidal\","
    " \"email_addresses\": [{\"value\": \"marta.vidal@mail.example\"}],"
    " \"phone_numbers\": [{\"value\": \"+34 600 000 417\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/martavidal-example\", \"type\": \"LINKEDIN\"},"
    "   {\"value\": \"https://marta.example.dev\", \"type\": \"WEBSITE\"}],"
    " \"location\": {\"city\": \"Valencia\", \"country\": \"ES\"},"
    " \"tags\": [\"embedded\"], \"is_internal\": true,"
    " \"experience\": [{\"title\": \"Firmware Engineer\", \"company\": \"Nordlicht Robotics\","
    "   \"start_date\": \"2019-03-01\", \"is_current\": true}],"
    " \"application\": {\"job_id\": \"" JOB "\"}}";

static void assert_marta(const uats_object *c)
{
    const char *v;
    ck_assert_str_eq(uats_get_string(c, UATS_F_FIRST_NAME), "Marta");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LAST_NAME), "Vidal");
    ck_assert_uint_eq(uats_list_count(c, UATS_F_EMAIL_ADDRESSES), 1);
    uats_list_typed(c, UATS_F_EMAIL_ADDRESSES, 0, &v);
    ck_assert_str_eq(v, "marta.vidal@mail.example");
    uats_list_typed(c, UATS_F_PHONE_NUMBERS, 0, &v);
    ck_assert_str_eq(v, "+34 600 000 417");
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 0, &v), UATS_URL_LINKEDIN);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 1, &v), UATS_URL_WEBSITE);
    ck_assert_str_eq(v, "https://marta.example.dev");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LOCATION_CITY), "Valencia");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LOCATION_COUNTRY), "ES");
    ck_assert_str_eq(uats_list_string(c, UATS_F_TAGS, 0), "embedded");
    bool internal = false;
    ck_assert(uats_get_bool(c, UATS_F_IS_INTERNAL, &internal));
    ck_assert(internal);
    ck_assert_uint_eq(uats_list_count(c, UATS_F_APPLICATION_IDS), 1);
    ck_assert_str_eq(uats_list_string(c, UATS_F_APPLICATION_IDS, 0), JOB);
    ck_assert_ptr_nonnull(uats_get_string(c, UATS_F_REMOTE_CREATED_AT));
}

static bool has_string(const uats_object *c, uats_field f, const char *s)
{
    for (size_t i = 0; i < uats_list_count(c, f); i++)
        if (strcmp(uats_list_string(c, f, i), s) == 0)
            return true;
    return false;
}

START_TEST(create_get_attach_get)
{
    uats_object *in = input(marta), *created, *fetched, *att_in, *att;
    uats_warnings *w;
    uats_error err;
    att_in = file_input("Marta_Vidal_CV.pdf", "RESUME", "%PDF-1.7 cv");
    ck_assert_int_eq(uats_add_attachment_input(in, att_in, &err), UATS_OK); /* takes it */

    ck_assert_msg(uats_candidate_create(conn, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_msg(uats_warnings_count(w) == 0, "unexpected warning: %s: %s",
                  uats_warnings_count(w) ? uats_warning_field(w, 0) : "",
                  uats_warnings_count(w) ? uats_warning_message(w, 0) : "");
    uats_warnings_free(w);
    assert_marta(created);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    const char *id = uats_get_string(created, UATS_F_ID);
    /* The create on the job, then the file: each once, nothing else. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/jobs/:job/candidates"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidates/:id/attachments"), 1);
    ck_assert_uint_eq(emu_log_count(emu), 2);
    char *token = emu_log_header(emu, 0, "X-SmartToken");
    ck_assert_str_eq(token, KEY);
    free(token);
    char *auth = emu_log_header(emu, 0, "Authorization");
    ck_assert_ptr_null(auth);
    /* SmartRecruiters saw what its docs describe. */
    json_t *stored = smartrecruiters_emu_candidate(sr, id);
    ck_assert_str_eq(json_string_value(json_object_get(stored, "email")),
                     "marta.vidal@mail.example");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(stored, "location"),
                                                       "countryCode")), "es");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(stored, "web"),
                                                       "linkedin")),
                     "https://www.linkedin.com/in/martavidal-example");
    json_decref(stored);

    /* Get: the candidate and its attachment list. */
    emu_reset_log(emu);
    ck_assert_msg(uats_candidate_get(conn, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    ck_assert_uint_eq(emu_log_count(emu), 2);
    assert_marta(fetched);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 0),
                     uats_list_string(created, UATS_F_ATTACHMENT_IDS, 0));
    uats_object_free(fetched);

    /* A cover letter has no documented type: a generic file, warned. */
    att_in = file_input("Marta_Vidal_Cover.pdf", "COVER_LETTER", "%PDF-1.7 letter");
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_CONTENT_TYPE, "application/pdf", &err),
                     UATS_OK);
    ck_assert_msg(uats_attachment_add(conn, id, att_in, &att, &w, &err) == UATS_OK,
                  "attach: %s", err.text);
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "type");
    uats_warnings_free(w);
    ck_assert_str_eq(uats_get_string(att, UATS_F_CANDIDATE_ID), id);
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "OTHER");
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "Marta_Vidal_Cover.pdf");
    ck_assert_str_eq(uats_get_string(att, UATS_F_CONTENT_TYPE), "application/pdf");
    ck_assert_ptr_nonnull(uats_get_string(att, UATS_F_FILE_URL));
    char *kind = NULL;
    size_t len;
    char *body = emu_log_body(emu, emu_log_count(emu) - 1, &len);
    kind = strstr(body, "GENERIC_FILE");
    ck_assert_ptr_nonnull(kind);
    free(body);
    ck_assert_msg(uats_candidate_get(conn, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert(has_string(fetched, UATS_F_ATTACHMENT_IDS, uats_get_string(att, UATS_F_ID)));
    ck_assert_uint_eq(smartrecruiters_emu_attachment_count(sr), 2);
    ck_assert_uint_eq(smartrecruiters_emu_candidate_count(sr), 1);
    uats_object_free(fetched);
    uats_object_free(att);
    uats_object_free(att_in);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(talent_pool_without_a_job)
{
    uats_object *in = input("{\"first_name\": \"Pat\", \"last_name\": \"Lee\","
                            " \"email_addresses\": [{\"value\": \"pat@lee.example\"}]}"), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_msg(uats_candidate_create(conn, in, &out, &w, &err) == UATS_OK, "%s", err.text);
    ck_assert_uint_eq(emu_count(emu, "POST", "/candidates"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/jobs/:job/candidates"), 0);
    ck_assert_uint_eq(uats_warnings_count(w), 0);
    ck_assert_uint_eq(uats_list_count(out, UATS_F_APPLICATION_IDS), 0);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(unstorable_fields_are_warned)
{
    uats_object *in = input("{\"first_name\": \"A\", \"last_name\": \"B\", \"gender\": \"x\","
                            " \"skills\": [\"C\"], \"company\": \"Co\","
                            " \"email_addresses\": [{\"value\": \"a@b.example\", \"type\": \"WORK\"}],"
                            " \"urls\": [{\"value\": \"https://github.com/ab\", \"type\": \"GITHUB\"}],"
                            " \"application\": {\"job_id\": \"" JOB "\", \"source\": \"lead\"}}"),
               *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    static const char *const want[] = {"gender", "skills", "company", "email_addresses[0].type",
                                       "urls[0].type", "application.source"};
    ck_assert_uint_eq(uats_warnings_count(w), 6);
    for (size_t i = 0; i < 6; i++) {
        bool found = false;
        for (size_t j = 0; j < uats_warnings_count(w); j++)
            found = found || strcmp(uats_warning_field(w, j), want[i]) == 0;
        ck_assert_msg(found, "no warning for %s", want[i]);
    }
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(vendor_errors_keep_smartrecruiters_words)
{
    uats_object *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(conn, "0b6c1f4e-0000-4000-8000-000000000000", &out, &err),
                     UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "Candidate not found");
    uats_object *att = file_input("cv.pdf", "RESUME", "%PDF");
    ck_assert_int_eq(uats_attachment_add(conn, "nobody", att, &out, NULL, &err), UATS_E_NOT_FOUND);
    ck_assert_str_eq(err.vendor_message, "Candidate not found");

    /* A job SmartRecruiters does not have. */
    uats_object *in = input("{\"first_name\": \"A\", \"last_name\": \"B\","
                            " \"email_addresses\": [{\"value\": \"a@b.example\"}],"
                            " \"application\": {\"job_id\": \"no-such-job\"}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_NOT_FOUND);
    ck_assert_str_eq(err.vendor_message, "Job not found");
    uats_object_free(in);
    /* SmartRecruiters' own validation, through remote_fields. */
    in = input("{\"first_name\": \"A\", \"last_name\": \"B\","
               " \"email_addresses\": [{\"value\": \"a@b.example\"}],"
               " \"remote_fields\": {\"email\": \"not-an-address\"}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_int_eq(err.http_status, 400);
    ck_assert_str_eq(err.vendor_message, "email is not a valid e-mail address");
    uats_object_free(in);
    /* Required fields missing: refused here, nothing sent. */
    emu_reset_log(emu);
    in = input("{\"first_name\": \"A\", \"last_name\": \"B\"}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err.field, "email_addresses");
    ck_assert_uint_eq(emu_log_count(emu), 0);
    uats_object_free(in);
    ck_assert_uint_eq(smartrecruiters_emu_candidate_count(sr), 0);

    /* A wrong key. */
    uats_conn *bad = open_on(emu, "wrong-key", "");
    ck_assert_int_eq(uats_candidate_get(bad, "x", &out, &err), UATS_E_AUTH);
    ck_assert_int_eq(err.http_status, 401);
    ck_assert_str_eq(err.vendor_message, "Invalid or missing X-SmartToken");
    uats_conn_close(bad);
    assert_no_secret(&err);
    /* Without an API key there is nothing to send. */
    char config[512];
    snprintf(config, sizeof config, "{\"connector\": \"smartrecruiters\", \"base_url\": "
             "\"%s\", \"credentials\": {\"token\": \"" KEY "\"}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &bad, &err), UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "api_key"));
    assert_no_secret(&err);
    uats_object_free(att);
}
END_TEST

/* A file server elsewhere on the machine, for attachments given by URL. */
static void serve_file(const emu_request *req, emu_response *resp, void *ud)
{
    (void)req;
    (void)ud;
    emu_resp_body(resp, 200, "application/pdf", "%PDF-1.4 by url", 15);
}

START_TEST(attachment_by_url_is_downloaded_then_uploaded)
{
    emu_server *files = emu_start();
    ck_assert_int_eq(emu_route(files, "GET", "/cv.pdf", serve_file, NULL), 0);
    uats_object *in = input(marta), *created, *att_in, *att;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &created, NULL, &err), UATS_OK);
    char url[256];
    snprintf(url, sizeof url, "%s/cv.pdf", emu_base_url(files));
    att_in = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_FILE_NAME, "cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_URL, url, &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_ATTACHMENT_TYPE, "RESUME", &err), UATS_OK);
    ck_assert_msg(uats_attachment_add(conn, uats_get_string(created, UATS_F_ID), att_in, &att,
                                      NULL, &err) == UATS_OK, "%s", err.text);
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "RESUME");
    /* The download carried no credentials. */
    char *token = emu_log_header(files, 0, "X-SmartToken");
    ck_assert_ptr_null(token);
    size_t len;
    char *body = emu_log_body(emu, emu_log_count(emu) - 1, &len);
    ck_assert_ptr_nonnull(strstr(body, "%PDF-1.4 by url"));
    free(body);
    uats_object_free(att);
    uats_object_free(att_in);
    uats_object_free(created);
    uats_object_free(in);
    emu_stop(files);
}
END_TEST

START_TEST(failed_file_after_create_is_a_warning)
{
    uats_object *in = input(marta), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_add_attachment_input(in, file_input("cv.pdf", "RESUME", "%PDF"), &err),
                     UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, file_input("notes.txt", NULL, "notes"), &err),
                     UATS_OK);
    emu_fault f = {.kind = EMU_FAULT_STATUS, .status = 500,
                   .body = "{\"message\": \"Internal error\"}"};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/candidates/:id/attachments", &f), 0);
    ck_assert_msg(uats_candidate_create(conn, in, &out, &w, &err) == UATS_OK, "%s", err.text);
    /* The candidate exists once; the first file is named, the second sent. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/jobs/:job/candidates"), 1);
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "attachments[0]");
    ck_assert_uint_eq(uats_list_count(out, UATS_F_ATTACHMENT_IDS), 1);
    ck_assert_uint_eq(smartrecruiters_emu_candidate_count(sr), 1);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(rate_limit_is_honoured)
{
    /* SmartRecruiters' limit, 10 requests in any second, enforced; no
     * retries, so a single 429 fails the test: the declared pacing must
     * keep every request under it. */
    emu_server *srv = emu_start();
    smartrecruiters_emu_config cfg = {KEY, 10, NULL, 0};
    smartrecruiters_emu *e = smartrecruiters_emu_install(srv, &cfg);
    uats_conn *c = open_on(srv, KEY, ", \"rate\": {}, \"retry\": {\"max_attempts\": 1, \"base_delay_ms\": 5}");
    uats_object *in = input(marta), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(c, in, &out, NULL, &err), UATS_OK);
    char id[64];
    snprintf(id, sizeof id, "%s", uats_get_string(out, UATS_F_ID));
    uats_object_free(out);
    for (int i = 0; i < 12; i++) {
        uats_code rc = uats_candidate_get(c, id, &out, &err);
        ck_assert_msg(rc == UATS_OK, "get %d: %s", i, err.text);
        uats_object_free(out);
    }
    ck_assert_uint_eq(smartrecruiters_emu_throttled(e), 0);
    /* The vendor's headers reached the core (no Reset is sent). */
    long limit, remaining, reset;
    uats_conn_rate_limit(c, &limit, &remaining, &reset);
    ck_assert_int_eq(limit, 10);
    ck_assert(remaining >= 0 && remaining < 10);
    uats_conn_close(c);
    /* A 429 is waited out and retried: the host never sees it. */
    c = open_on(srv, KEY, "");
    emu_fault slow = {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                      .body = "{\"message\": \"Too many requests\", \"errors\": [{\"code\":"
                              " \"RATE_LIMIT_EXCEEDED\", \"message\": \"API rate limit exceeded\"}]}"};
    ck_assert_int_eq(emu_fault_push(srv, "GET", "/candidates/:id", &slow), 0);
    ck_assert_int_eq(uats_candidate_get(c, id, &out, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(srv, "GET", "/candidates/:id"), 14);
    uats_object_free(out);
    /* With no retry left, the host hears it, with the vendor's words. */
    uats_conn_close(c);
    c = open_on(srv, KEY, ", \"retry\": {\"max_attempts\": 1, \"base_delay_ms\": 5}");
    ck_assert_int_eq(emu_fault_push(srv, "GET", "/candidates/:id", &slow), 0);
    ck_assert_int_eq(uats_candidate_get(c, id, &out, &err), UATS_E_RATE_LIMITED);
    ck_assert_str_eq(err.vendor_message, "API rate limit exceeded");
    uats_conn_close(c);
    uats_object_free(in);
    emu_stop(srv);
    smartrecruiters_emu_free(e);
}
END_TEST

/*
 * The fault matrix (docs/reliability.md): each fault on each hook, the uats
 * code the host must get, and never a second create. The fault hits the
 * first request of the hook's own route.
 */
typedef struct fault_case {
    const char *name;
    emu_fault fault;
    uats_code create, get, attach;
} fault_case;

#define SR_ERROR(msg) "{\"message\": \"" msg "\", \"errors\": [{\"code\": \"E\", \"message\": \"" msg "\"}]}"

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401, .body = SR_ERROR("Invalid token")},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403, .body = SR_ERROR("Access denied")},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, UATS_E_FORBIDDEN},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = SR_ERROR("Not found")},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, UATS_E_NOT_FOUND},
    {"409", {.kind = EMU_FAULT_STATUS, .status = 409, .body = SR_ERROR("Conflict")},
     UATS_E_CONFLICT, UATS_E_CONFLICT, UATS_E_CONFLICT},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422, .body = SR_ERROR("Bad value")},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION},
    {"429 + Retry-After", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                           .body = SR_ERROR("API rate limit exceeded")},
     UATS_OK, UATS_OK, UATS_OK},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = SR_ERROR("Internal error")},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"502 HTML", {.kind = EMU_FAULT_HTML, .status = 502},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"503", {.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK, UATS_OK},
    {"reset after the request", {.kind = EMU_FAULT_DROP},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"reset mid-body", {.kind = EMU_FAULT_TRUNCATE},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN},
    {"truncated JSON", {.kind = EMU_FAULT_INVALID_JSON},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"oversized body", {.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_TOO_LARGE, UATS_E_OUTCOME_UNKNOWN},
    {"invalid UTF-8", {.kind = EMU_FAULT_INVALID_UTF8},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"wrong types", {.kind = EMU_FAULT_STATUS, .status = 200,
                     .body = "{\"id\": \"12345\", \"firstName\": [\"Ada\"], \"name\": [\"cv\"]}"},
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
    size_t people = smartrecruiters_emu_candidate_count(sr);
    if (strcmp(hook, "create") == 0)
        rc = uats_candidate_create(conn, seed_in, &out, NULL, &err);
    else if (strcmp(hook, "get") == 0)
        rc = uats_candidate_get(conn, id, &out, &err);
    else
        rc = uats_attachment_add(conn, id, att = file_input("cv.pdf", "RESUME", "%PDF"), &out,
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
    /* However it ended, at most one more candidate exists. */
    ck_assert_uint_le(smartrecruiters_emu_candidate_count(sr), people + 1);
    assert_no_secret(&err);
    uats_object_free(out);
    uats_object_free(att);
    emu_fault_clear(emu);
}

START_TEST(fault_matrix)
{
    uats_object *seed_in = input(marta), *seed;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        one(&matrix[i], "create", "POST", "/jobs/:job/candidates", matrix[i].create, seed_in, id);
        one(&matrix[i], "get", "GET", "/candidates/:id", matrix[i].get, seed_in, id);
        one(&matrix[i], "attach", "POST", "/candidates/:id/attachments", matrix[i].attach,
            seed_in, id);
    }
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(connection_refused_and_late_answers)
{
    char config[1024];
    uats_conn *dead;
    uats_error err;
    uats_object *in = input(marta), *out, *att = file_input("cv.pdf", "RESUME", "%PDF");
    snprintf(config, sizeof config, "{\"connector\": \"smartrecruiters\", \"base_url\": "
             "\"http://127.0.0.1:%u\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"retry\": {\"base_delay_ms\": 5}}", emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_candidate_get(dead, "1", &out, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_attachment_add(dead, "1", att, &out, NULL, &err), UATS_E_TRANSPORT);
    assert_no_secret(&err);
    uats_conn_close(dead);

    /* SmartRecruiters created it, but answered too late: unknown, never
     * resent. */
    uats_conn *quick = open_on(emu, KEY, ", \"timeouts\": {\"total_ms\": 400}");
    emu_fault late = {.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1200};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/jobs/:job/candidates", &late), 0);
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/jobs/:job/candidates"), 1);
    ck_assert_uint_eq(smartrecruiters_emu_candidate_count(sr), 1);
    uats_conn_close(quick);
    uats_object_free(att);
    uats_object_free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("smartrecruiters");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, talent_pool_without_a_job);
    tcase_add_test(tc, unstorable_fields_are_warned);
    tcase_add_test(tc, vendor_errors_keep_smartrecruiters_words);
    tcase_add_test(tc, attachment_by_url_is_downloaded_then_uploaded);
    tcase_add_test(tc, failed_file_after_create_is_a_warning);
    tcase_add_test(tc, rate_limit_is_honoured);
    tcase_add_test(tc, fault_matrix);
    tcase_add_test(tc, connection_refused_and_late_answers);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
