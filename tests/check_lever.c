/*
 * tests/check_lever.c: the Lever connector end to end: the built lever.so,
 * loaded by libuats, through real libcurl, against the Lever emulator on
 * 127.0.0.1. Create -> get -> add attachment -> get; every fault kind on
 * every hook, each asserting the uats error and that no create was sent
 * twice; secrets absent from every log line at trace level.
 */
#include <pthread.h>

#include "emu.h"
#include "lever_emu.h"
#include "testutil.h"

#define KEY "lever-k3y-that-must-not-leak"
#define USER "user-0001"

static emu_server *emu;
static lever_emu *lever;
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

static uats_conn *open_lever(const char *extra)
{
    char config[1024];
    uats_conn *c = NULL;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"lever\", \"base_url\": \"%s/v1\", \"credentials\": "
             "{\"api_key\": \"" KEY "\"}, \"retry\": {\"base_delay_ms\": 5}%s%s}",
             emu_base_url(emu), *extra ? ", " : "", extra);
    ck_assert_msg(uats_conn_open_str(ctx, config, &c, &err) == UATS_OK, "open: %s", err.text);
    return c;
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    lever_emu_config cfg = {KEY, NULL, 0, 20};
    lever = lever_emu_install(emu, &cfg);
    ck_assert_ptr_nonnull(lever);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/lever", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "lever"));
    leaked = false;
    log_lines = 0;
    conn = open_lever("\"options\": {\"perform_as\": \"" USER "\"}");
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    lever_emu_free(lever);
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

static const char ada[] =
    "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"company\": \"Engines Ltd\","
    " \"email_addresses\": [{\"value\": \"ada@example.com\"}],"
    " \"phone_numbers\": [{\"value\": \"+44 20 5555 0100\", \"type\": \"WORK\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/ada\", \"type\": \"LINKEDIN\"}],"
    " \"locations\": [\"London\"], \"tags\": [\"math\"],"
    " \"application\": {\"job_id\": \"post-1\", \"source\": \"applicant\"}}";

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, KEY));
    ck_assert(!strstr(err->vendor_message, KEY));
}

START_TEST(create_get_attach_get)
{
    uats_object *in = input(ada), *created, *fetched, *att_in, *att;
    uats_warnings *w;
    uats_error err;
    /* A resume sent with the create goes as Lever's multipart resumeFile. */
    att_in = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_FILE_NAME, "ada-cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_ATTACHMENT_TYPE, "RESUME", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att_in, "%PDF\0cv", 7, &err), UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, att_in, &err), UATS_OK);

    ck_assert_msg(uats_candidate_create(conn, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_uint_eq(uats_warnings_count(w), 0);
    uats_warnings_free(w);
    const char *id = uats_get_string(created, UATS_F_ID);
    ck_assert_str_eq(uats_get_string(created, UATS_F_FIRST_NAME), "Ada");
    ck_assert_str_eq(uats_get_string(created, UATS_F_LAST_NAME), "Lovelace");
    ck_assert_str_eq(uats_get_string(created, UATS_F_COMPANY), "Engines Ltd");
    ck_assert_uint_eq(uats_list_count(created, UATS_F_APPLICATION_IDS), 1);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    const char *v;
    ck_assert_int_eq(uats_list_typed(created, UATS_F_PHONE_NUMBERS, 0, &v), UATS_PHONE_WORK);
    ck_assert_int_eq(uats_list_typed(created, UATS_F_URLS, 0, &v), UATS_URL_LINKEDIN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/opportunities"), 1);
    /* Lever saw what the docs say it takes. */
    char *target = emu_log_target(emu, 0);
    ck_assert_str_eq(target, "/v1/opportunities?perform_as=" USER);
    free(target);
    json_t *stored = lever_emu_opportunity(lever, id);
    ck_assert_str_eq(json_string_value(json_object_get(stored, "origin")), "applied");
    ck_assert_str_eq(json_string_value(json_object_get(stored, "owner")), USER);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(stored, "phones"), 0) ?
                                       json_object_get(json_array_get(json_object_get(stored, "phones"), 0), "type") : NULL),
                     "work");
    json_decref(stored);

    uats_object *cover = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(cover, UATS_F_FILE_NAME, "letter.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(cover, UATS_F_CONTENT_TYPE, "text/plain", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(cover, "Dear team", 9, &err), UATS_OK);
    ck_assert_msg(uats_attachment_add(conn, id, cover, &att, NULL, &err) == UATS_OK, "attach: %s",
                  err.text);
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "letter.txt");
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "OTHER");
    int64_t size;
    ck_assert(uats_get_int(att, UATS_F_SIZE, &size));
    ck_assert_int_eq(size, 9);

    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 1),
                     uats_get_string(att, UATS_F_ID));
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_LOCATIONS, 0), "London");
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_TAGS, 0), "math");
    ck_assert_ptr_nonnull(uats_get_string(fetched, UATS_F_REMOTE_CREATED_AT));
    const json_t *raw = uats_get_json(fetched, UATS_F_REMOTE_DATA);
    ck_assert_str_eq(json_string_value(json_object_get(raw, "id")), id);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/opportunities"), 1);

    uats_object_free(fetched);
    uats_object_free(att);
    uats_object_free(cover);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(every_create_is_a_new_opportunity_of_one_contact)
{
    uats_object *in = input(ada), *a, *b;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &a, NULL, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(conn, in, &b, NULL, &err), UATS_OK);
    ck_assert_str_ne(uats_get_string(a, UATS_F_ID), uats_get_string(b, UATS_F_ID));
    ck_assert_uint_eq(lever_emu_opportunity_count(lever), 2);
    ck_assert_uint_eq(lever_emu_contact_count(lever), 1);
    uats_object_free(a);
    uats_object_free(b);
    uats_object_free(in);
}
END_TEST

START_TEST(warnings_name_fields_lever_cannot_hold)
{
    uats_object *in = input("{\"first_name\": \"Ada\", \"gender\": \"female\","
                            " \"skills\": [\"C\"], \"email_addresses\": [{\"value\": "
                            "\"a@example.com\", \"type\": \"WORK\"}]}"), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    ck_assert_uint_eq(uats_warnings_count(w), 3);
    json_t *wj = uats_warnings_to_json(w);
    char *text = json_dumps(wj, 0);
    ck_assert_ptr_nonnull(strstr(text, "\"email_addresses[0].type\""));
    ck_assert_ptr_nonnull(strstr(text, "\"gender\""));
    ck_assert_ptr_nonnull(strstr(text, "\"skills\""));
    free(text);
    json_decref(wj);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(writes_need_perform_as_before_any_request)
{
    uats_conn *bare = open_lever("");
    uats_object *in = input(ada), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(bare, in, &out, NULL, &err), UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "perform_as"));
    ck_assert_uint_eq(emu_log_count(emu), 0);
    /* acting_user on the input is enough. */
    ck_assert_int_eq(uats_set_string(in, UATS_F_ACTING_USER, "user-0002", &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(bare, in, &out, NULL, &err), UATS_OK);
    char *target = emu_log_target(emu, 0);
    ck_assert_str_eq(target, "/v1/opportunities?perform_as=user-0002");
    free(target);
    uats_object_free(out);
    uats_object_free(in);
    uats_conn_close(bare);
}
END_TEST

START_TEST(vendor_errors_keep_levers_message)
{
    uats_object *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(conn, "no-such-opportunity", &out, &err),
                     UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "Opportunity not found");
    ck_assert_str_eq(err.connector, "lever");
    /* Two postings in one create: Lever's 400, Lever's words. */
    uats_object *in = input("{\"first_name\": \"Ada\", \"remote_fields\": {\"postings\": "
                            "[\"p1\", \"p2\"]}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.vendor_message, "Only one posting may be applied per request");
    uats_object_free(in);
    /* A wrong key. */
    char config[512];
    uats_conn *wrong;
    snprintf(config, sizeof config, "{\"connector\": \"lever\", \"base_url\": \"%s/v1\", "
             "\"credentials\": {\"api_key\": \"nope\"}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &wrong, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(wrong, "x", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "Invalid API key or access token");
    uats_conn_close(wrong);
    assert_no_secret(&err);
}
END_TEST

/* A fault on every hook: the expected code, and never a second create. */
typedef struct fault_case {
    emu_fault fault;
    uats_code on_create;  /* what create returns */
    uats_code on_read;    /* what get (idempotent: retried) returns */
} fault_case;

START_TEST(fault_matrix_on_every_hook)
{
    static const fault_case cases[] = {
        {{.kind = EMU_FAULT_STATUS, .status = 401, .body = "{\"code\": \"x\", \"message\": \"m\"}"},
         UATS_E_AUTH, UATS_E_AUTH},
        {{.kind = EMU_FAULT_STATUS, .status = 403, .body = "{\"message\": \"m\"}"},
         UATS_E_FORBIDDEN, UATS_E_FORBIDDEN},
        {{.kind = EMU_FAULT_STATUS, .status = 429, .body = "{\"message\": \"slow\"}"},
         UATS_OK, UATS_OK},                       /* refused before processing: retried */
        /* A server error to a write may follow the write: outcome unknown. */
        {{.kind = EMU_FAULT_STATUS, .status = 500, .body = "{\"message\": \"boom\"}"},
         UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR},
        {{.kind = EMU_FAULT_HTML, .status = 502}, UATS_E_OUTCOME_UNKNOWN, UATS_OK},
        {{.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK},
        {{.kind = EMU_FAULT_DROP}, UATS_E_OUTCOME_UNKNOWN, UATS_OK},
        {{.kind = EMU_FAULT_TRUNCATE}, UATS_E_OUTCOME_UNKNOWN, UATS_OK},
        /* A 200 whose body cannot be read: the write happened. */
        {{.kind = EMU_FAULT_INVALID_JSON}, UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR},
        {{.kind = EMU_FAULT_INVALID_UTF8}, UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR},
        {{.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20}, UATS_E_OUTCOME_UNKNOWN,
         UATS_E_TOO_LARGE},
    };
    uats_object *seed_in = input(ada), *seed;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const fault_case *fc = &cases[i];
        uats_object *out = NULL;
        size_t before = emu_count(emu, "POST", "/v1/opportunities");
        ck_assert_int_eq(emu_fault_push(emu, "POST", "/v1/opportunities", &fc->fault), 0);
        uats_code rc = uats_candidate_create(conn, seed_in, &out, NULL, &err);
        ck_assert_msg(rc == fc->on_create, "case %zu create: %s (%s)", i, uats_code_name(rc),
                      err.text);
        size_t posts = emu_count(emu, "POST", "/v1/opportunities") - before;
        /* Retried only when refused before processing (then 2 requests,
         * one of which the vendor turned away). */
        ck_assert_uint_eq(posts, rc == UATS_OK ? 2 : 1);
        uats_object_free(out);
        emu_fault_clear(emu);

        ck_assert_int_eq(emu_fault_push(emu, "GET", "/v1/opportunities/:id", &fc->fault), 0);
        rc = uats_candidate_get(conn, id, &out, &err);
        ck_assert_msg(rc == fc->on_read, "case %zu get: %s (%s)", i, uats_code_name(rc), err.text);
        uats_object_free(out);
        emu_fault_clear(emu);

        /* add attachment is a POST too: never retried unless refused. */
        uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
        ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "f.txt", &err), UATS_OK);
        ck_assert_int_eq(uats_set_data(att, "x", 1, &err), UATS_OK);
        before = emu_count(emu, "POST", "/v1/opportunities/:id/files");
        ck_assert_int_eq(emu_fault_push(emu, "POST", "/v1/opportunities/:id/files", &fc->fault), 0);
        rc = uats_attachment_add(conn, id, att, &out, NULL, &err);
        ck_assert_msg(rc == fc->on_create, "case %zu attach: %s (%s)", i, uats_code_name(rc),
                      err.text);
        posts = emu_count(emu, "POST", "/v1/opportunities/:id/files") - before;
        ck_assert_uint_eq(posts, rc == UATS_OK ? 2 : 1);
        uats_object_free(out);
        uats_object_free(att);
        emu_fault_clear(emu);
        assert_no_secret(&err);
    }
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(timeouts_before_and_after_sending)
{
    uats_object *in = input(ada), *out;
    uats_error err;
    uats_conn *quick = open_lever("\"options\": {\"perform_as\": \"" USER "\"}, "
                                  "\"timeouts\": {\"total_ms\": 300}");
    /* Lever created it, but the answer came too late: unknown, not retried. */
    emu_fault late = {.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1200};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/v1/opportunities", &late), 0);
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/opportunities"), 1);
    ck_assert_uint_eq(lever_emu_opportunity_count(lever), 1);
    /* A read in the same situation is simply asked again. */
    ck_assert_int_eq(emu_fault_push(emu, "GET", "/v1/opportunities/:id", &late), 0);
    ck_assert_int_eq(uats_candidate_get(quick, "missing", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/opportunities/:id"), 2);
    uats_conn_close(quick);

    /* Nothing listens behind a full accept queue: the create is never sent. */
    unsigned port;
    emu_blackhole *bh = emu_blackhole_open(&port);
    char config[512];
    uats_conn *dead;
    snprintf(config, sizeof config, "{\"connector\": \"lever\", \"base_url\": "
             "\"http://127.0.0.1:%u/v1\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"options\": {\"perform_as\": \"" USER "\"}, \"timeouts\": {\"connect_ms\": 200},"
             " \"retry\": {\"max_attempts\": 2, \"base_delay_ms\": 5}}", port);
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TIMEOUT);
    uats_conn_close(dead);
    emu_blackhole_close(bh);
    uats_object_free(in);
}
END_TEST

START_TEST(rate_limited_vendor_is_paced)
{
    /* A second server whose Lever enforces 10/s with a bucket of 20: 40
     * reads in a row meet no 429, because the connector declares that rate. */
    emu_server *limited = emu_start();
    lever_emu_config cfg = {KEY, NULL, 10, 20};
    lever_emu *l2 = lever_emu_install(limited, &cfg);
    char config[512];
    uats_conn *c;
    uats_error err;
    snprintf(config, sizeof config, "{\"connector\": \"lever\", \"base_url\": \"%s/v1\", "
             "\"credentials\": {\"api_key\": \"" KEY "\"}, \"retry\": {\"max_attempts\": 1}}",
             emu_base_url(limited));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_OK);
    for (int i = 0; i < 40; i++) {
        uats_object *out;
        uats_code rc = uats_candidate_get(c, "missing", &out, &err);
        ck_assert_msg(rc == UATS_E_NOT_FOUND, "call %d: %s", i, err.text);
    }
    uats_conn_close(c);
    emu_stop(limited);
    lever_emu_free(l2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lever");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, every_create_is_a_new_opportunity_of_one_contact);
    tcase_add_test(tc, warnings_name_fields_lever_cannot_hold);
    tcase_add_test(tc, writes_need_perform_as_before_any_request);
    tcase_add_test(tc, vendor_errors_keep_levers_message);
    tcase_add_test(tc, fault_matrix_on_every_hook);
    tcase_add_test(tc, timeouts_before_and_after_sending);
    tcase_add_test(tc, rate_limited_vendor_is_paced);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
