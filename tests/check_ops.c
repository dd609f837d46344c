/*
 * tests/check_ops.c: connections and operations through real connector
 * modules: configuration checks, the contract between core and connector
 * (errors, warnings, validated results), redaction of secrets, and the
 * memory connector under concurrent use.
 */
#include <pthread.h>

#include "testutil.h"

#define SECRET "sk-test-5ecret-d0-not-leak"
#define SIGNING "signing-9f8e7d-secret"

static uats_ctx *ctx;
static char *dir;
static char logged[1 << 16];
static size_t log_lines;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void capture(uats_log_level level, const char *connector, const char *message,
                    void *userdata)
{
    (void)level;
    (void)userdata;
    pthread_mutex_lock(&log_lock);
    size_t used = strlen(logged);
    snprintf(logged + used, sizeof logged - used, "%s: %s\n",
             connector ? connector : "core", message);
    log_lines++;
    pthread_mutex_unlock(&log_lock);
}

static void setup(void)
{
    char path[1024];
    uats_error err;
    dir = make_temp_dir();
    snprintf(path, sizeof path, "%s/testconn.so", test_env("UATS_TEST_MODULES"));
    link_into(dir, "testconn.so", path);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    logged[0] = '\0';
    log_lines = 0;
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    snprintf(path, sizeof path, "%s/memory", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, path, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 2);
}

static void teardown(void)
{
    uats_ctx_free(ctx);
    rm_tree(dir);
}

static uats_conn *open_test(void)
{
    uats_conn *conn;
    uats_error err;
    uats_code rc = uats_conn_open_str(
        ctx,
        "{\"connector\": \"testconn\", \"credentials\": {\"api_key\": \"" SECRET "\"},"
        " \"options\": {\"account\": \"acme\", \"signing_key\": \"" SIGNING "\"}}",
        &conn, &err);
    ck_assert_msg(rc == UATS_OK, "open: %s", err.text);
    return conn;
}

static void assert_no_secret(const char *text)
{
    ck_assert_msg(!strstr(text, SECRET), "secret leaked: %s", text);
    ck_assert_msg(!strstr(text, SIGNING), "secret option leaked: %s", text);
}

static uats_object *input_named(const char *first)
{
    uats_object *in = uats_object_new(UATS_KIND_CANDIDATE_INPUT);
    ck_assert_int_eq(uats_set_string(in, UATS_F_FIRST_NAME, first, NULL), UATS_OK);
    return in;
}

/* ---- configuration ---- */

static void expect_config_error(const char *config, uats_code code, const char *field,
                                const char *text_part)
{
    uats_conn *conn = (uats_conn *)1;
    uats_error err;
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &conn, &err), code);
    ck_assert_ptr_null(conn);
    ck_assert_int_eq(err.code, code);
    if (field)
        ck_assert_str_eq(err.field, field);
    ck_assert_msg(strstr(err.text, text_part), "\"%s\" lacks \"%s\"", err.text, text_part);
    assert_no_secret(err.text);
}

START_TEST(config_errors_name_the_key)
{
    expect_config_error("{\"connector\": \"lever\"}", UATS_E_NO_CONNECTOR, "connector",
                        "no connector named \"lever\"");
    expect_config_error("{}", UATS_E_CONFIG, "connector", "\"connector\" (a string) is required");
    expect_config_error("[1]", UATS_E_CONFIG, "", "must be a JSON object");
    expect_config_error("{\"connector\": \"memory\", \"timeout\": 5}", UATS_E_CONFIG,
                        "timeout", "unknown configuration key \"timeout\"");
    expect_config_error("{\"connector\": \"memory\", \"credentials\": {\"apikey\": \"x\"}}",
                        UATS_E_CONFIG, "credentials.apikey", "unknown credential \"apikey\"");
    expect_config_error("{\"connector\": \"memory\", \"credentials\": {\"api_key\": 5}}",
                        UATS_E_CONFIG, "credentials.api_key", "must be a string");
    expect_config_error("{\"connector\": \"memory\", \"options\": {\"perform_as\": \"u\"}}",
                        UATS_E_CONFIG, "options.perform_as",
                        "connector memory has no option \"perform_as\"");
    expect_config_error("{\"connector\": \"testconn\", \"credentials\": {\"api_key\": \"k\"}}",
                        UATS_E_CONFIG, "account", "requires option \"account\"");
    expect_config_error("{\"connector\": \"testconn\", \"options\": {\"account\": 1}}",
                        UATS_E_CONFIG, "options.account", "must be a string");
    expect_config_error("{\"connector\": \"memory\", \"base_url\": \"ftp://x\"}",
                        UATS_E_CONFIG, "base_url", "https://");
    /* Malformed JSON: position only, never the text around it, which could
     * be a secret. */
    expect_config_error("{\"connector\": \"memory\", \"credentials\": {\"api_key\": " SECRET "}}",
                        UATS_E_CONFIG, "", "line 1, column");
}
END_TEST

START_TEST(env_references_are_resolved)
{
    uats_conn *conn;
    uats_error err;
    unsetenv("UATS_TEST_NO_SUCH_VAR");
    expect_config_error("{\"connector\": \"testconn\", \"options\": {\"account\": \"a\"},"
                        " \"credentials\": {\"api_key\": \"$env:UATS_TEST_NO_SUCH_VAR\"}}",
                        UATS_E_CONFIG, "credentials.api_key",
                        "environment variable UATS_TEST_NO_SUCH_VAR is not set");
    setenv("UATS_TEST_KEY", SECRET, 1);
    ck_assert_int_eq(uats_conn_open_str(ctx,
                                        "{\"connector\": \"testconn\", \"options\": {\"account\": "
                                        "\"a\"}, \"credentials\": {\"api_key\": "
                                        "\"$env:UATS_TEST_KEY\"}}",
                                        &conn, &err),
                     UATS_OK);
    /* The connector saw the variable's value: its vendor error echoes it,
     * and the core redacts it, which it can only do if it knew the value. */
    uats_object *in = input_named("fail-6");
    uats_object *out;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_ptr_nonnull(strstr(err.vendor_message, "[REDACTED]"));
    assert_no_secret(err.vendor_message);
    uats_object_free(in);
    uats_conn_close(conn);
    unsetenv("UATS_TEST_KEY");
}
END_TEST

START_TEST(open_hook_failure_is_reported)
{
    expect_config_error("{\"connector\": \"testconn\", \"options\": {\"account\": \"refuse\"},"
                        " \"credentials\": {\"api_key\": \"k\"}}",
                        UATS_E_CONFIG, NULL, "account refuse refused");
    uats_conn *conn;
    uats_error err;
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"testconn\", \"options\": "
                                             "{\"account\": \"a\"}}", &conn, &err),
                     UATS_E_AUTH);
    ck_assert_str_eq(err.connector, "testconn");
    ck_assert_ptr_nonnull(strstr(err.text, "api_key is required"));
}
END_TEST

/* ---- operations through testconn ---- */

START_TEST(create_returns_validated_candidate_and_warnings)
{
    uats_conn *conn = open_test();
    uats_object *in = uats_object_new(UATS_KIND_CANDIDATE_INPUT), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_set_string(in, UATS_F_FIRST_NAME, "Ada", &err), UATS_OK);
    ck_assert_int_eq(uats_list_add_string(in, UATS_F_RACES, "not stored", &err), UATS_OK);
    ck_assert_int_eq(uats_list_add_typed(in, UATS_F_URLS, "https://github.com/ada",
                                         UATS_URL_GITHUB, &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(in, UATS_F_JOB_ID, "job-7", &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    ck_assert_int_eq(err.code, UATS_OK);
    ck_assert_str_eq(uats_get_string(out, UATS_F_ID), "t-1");
    ck_assert_str_eq(uats_get_string(out, UATS_F_FIRST_NAME), "Ada");
    const char *url;
    ck_assert_int_eq(uats_list_typed(out, UATS_F_URLS, 0, &url), UATS_URL_GITHUB);
    ck_assert_str_eq(url, "https://github.com/ada");
    ck_assert(!uats_has(out, UATS_F_RACES));
    /* modified_at is stamped by the core, in the model's format. */
    const char *stamp = uats_get_string(out, UATS_F_MODIFIED_AT);
    ck_assert_ptr_nonnull(stamp);
    ck_assert_uint_eq(strlen(stamp), 20);
    ck_assert_int_eq(stamp[19], 'Z');
    /* The warning names the field the vendor could not store. */
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "races");
    ck_assert_ptr_nonnull(strstr(uats_warning_message(w, 0), "no field for races"));
    json_t *wj = uats_warnings_to_json(w);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(wj, 0), "field")),
                     "races");
    json_decref(wj);
    /* remote_data is what the vendor kept; base_url lost its trailing slash. */
    const json_t *raw = uats_get_json(out, UATS_F_REMOTE_DATA);
    ck_assert_str_eq(json_string_value(json_object_get(raw, "account")), "acme");
    ck_assert_str_eq(json_string_value(json_object_get(raw, "base_url")),
                     "https://api.test.invalid/v1");
    json_t *shown = uats_object_to_json(out, 0);
    ck_assert_ptr_null(json_object_get(shown, "remote_data"));
    json_decref(shown);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
    uats_conn_close(conn);
}
END_TEST

START_TEST(vendor_failure_carries_status_and_message_without_secrets)
{
    uats_conn *conn = open_test();
    uats_object *in = input_named("fail-6"), *out = (uats_object *)1;
    uats_warnings *w = (uats_warnings *)1;
    uats_error err, last;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_E_VALIDATION);
    ck_assert_ptr_null(out);
    ck_assert_ptr_null(w);
    ck_assert_int_eq(err.code, UATS_E_VALIDATION);
    ck_assert_int_eq(err.http_status, 422);
    ck_assert_str_eq(err.connector, "testconn");
    ck_assert_str_eq(err.vendor_message, "invalid request (key [REDACTED])");
    ck_assert_str_eq(err.text, "vendor refused the candidate with key [REDACTED]");
    /* The connection remembers it for callers that passed no record. */
    ck_assert_int_eq(uats_conn_last_error(conn, &last), UATS_E_VALIDATION);
    ck_assert_str_eq(last.text, err.text);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, NULL), UATS_E_VALIDATION);
    uats_object_free(in);
    uats_conn_close(conn);
}
END_TEST

START_TEST(connector_contract_violations_become_bad_module)
{
    uats_conn *conn = open_test();
    uats_object *out;
    uats_error err;
    uats_object *in = input_named("bad-output");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_BAD_MODULE);
    ck_assert_ptr_nonnull(strstr(err.text, "returned an invalid candidate"));
    ck_assert_ptr_nonnull(strstr(err.text, "email_addresses[0].type"));
    uats_object_free(in);

    in = input_named("no-output");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_BAD_MODULE);
    ck_assert_ptr_nonnull(strstr(err.text, "returned nothing"));
    uats_object_free(in);

    in = input_named("field-error");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.field, "email_addresses[0].value");
    ck_assert_str_eq(err.vendor_message, "email is invalid");
    uats_object_free(in);

    in = input_named("silent-999");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_BAD_MODULE);
    ck_assert_ptr_nonnull(strstr(err.text, "unknown code 999"));
    uats_object_free(in);

    /* A code without a message still gets one naming the connector. */
    in = input_named("silent-8");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VENDOR);
    ck_assert_ptr_nonnull(strstr(err.text, "connector testconn could not create a candidate"));
    ck_assert_str_eq(err.connector, "testconn");
    uats_object_free(in);
    uats_conn_close(conn);
}
END_TEST

START_TEST(get_maps_vendor_record)
{
    uats_conn *conn = open_test();
    uats_object *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(conn, "c-42", &out, &err), UATS_OK);
    ck_assert_str_eq(uats_get_string(out, UATS_F_ID), "c-42");
    ck_assert_str_eq(uats_get_string(out, UATS_F_LAST_NAME), "Hopper");
    /* 1700000000123 ms since the epoch, via the host's converter. */
    ck_assert_str_eq(uats_get_string(out, UATS_F_REMOTE_CREATED_AT), "2023-11-14T22:13:20.123Z");
    /* "2023-11-15T00:43:20.1239+02:30" through time_normalize. */
    ck_assert_str_eq(uats_get_string(out, UATS_F_REMOTE_UPDATED_AT), "2023-11-14T22:13:20.123Z");
    uats_object_free(out);

    ck_assert_int_eq(uats_candidate_get(conn, "missing", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "Not Found");

    ck_assert_int_eq(uats_candidate_get(conn, "malformed", &out, &err), UATS_E_VENDOR);
    ck_assert_ptr_nonnull(strstr(err.text, "unexpected candidate in the vendor's response"));

    ck_assert_int_eq(uats_candidate_get(conn, "", &out, &err), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_candidate_get(conn, NULL, &out, &err), UATS_E_INVALID_INPUT);
    uats_conn_close(conn);
}
END_TEST

START_TEST(missing_hook_is_unsupported)
{
    uats_conn *conn = open_test();
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT), *out;
    uats_error err;
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att, UATS_F_URL, "https://files.example.com/cv.pdf", &err),
                     UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, "t-1", att, &out, NULL, &err),
                     UATS_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.text, "Test Vendor"));
    ck_assert_ptr_nonnull(strstr(err.text, "add an attachment"));
    uats_object_free(att);
    uats_conn_close(conn);
}
END_TEST

START_TEST(wrong_input_kind_is_refused)
{
    uats_conn *conn = open_test();
    uats_object *cand = uats_object_new(UATS_KIND_CANDIDATE), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, cand, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_candidate_create(conn, NULL, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_candidate_create(NULL, cand, &out, NULL, &err), UATS_E_INVALID_INPUT);
    uats_object_free(cand);
    uats_conn_close(conn);
}
END_TEST

START_TEST(overlapping_and_long_echoed_secrets_are_redacted_whole)
{
    uats_conn *conn;
    uats_error err;
    /* The signing key is a prefix of the API key; the vendor echoes the API
     * key after 240 characters of padding. */
    ck_assert_int_eq(uats_conn_open_str(ctx,
        "{\"connector\": \"testconn\", \"credentials\": {\"api_key\": \"sk-live-0123456789abcdef\"},"
        " \"options\": {\"account\": \"acme\", \"signing_key\": \"sk-live\"}}", &conn, &err),
                     UATS_OK);
    uats_object *in = input_named("fail-6-long"), *out;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_msg(!strstr(err.vendor_message, "0123456789"), "tail leaked: %s", err.vendor_message);
    ck_assert_msg(!strstr(err.text, "0123456789"), "tail leaked: %s", err.text);
    ck_assert(!strstr(err.vendor_message, "sk-live"));
    uats_object_free(in);
    uats_conn_close(conn);
}
END_TEST

START_TEST(logs_never_show_secrets)
{
    uats_conn *conn = open_test();
    uats_object *in = input_named("Ada"), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_OK);
    uats_object_free(out);
    uats_object_free(in);
    in = input_named("fail-3");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_AUTH);
    assert_no_secret(err.text);
    assert_no_secret(err.vendor_message);
    uats_object_free(in);
    uats_conn_close(conn);
    /* The connector logged both secrets at debug level; the core printed
     * the placeholder instead. */
    ck_assert_uint_ge(log_lines, 3);
    ck_assert_ptr_nonnull(strstr(logged, "testconn: open with key [REDACTED]"));
    ck_assert_ptr_nonnull(strstr(logged, "signing key [REDACTED]"));
    assert_no_secret(logged);
}
END_TEST

/* ---- the memory connector ---- */

static uats_conn *open_memory(void)
{
    uats_conn *conn;
    uats_error err;
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"memory\"}", &conn, &err),
                     UATS_OK);
    return conn;
}

START_TEST(memory_round_trip)
{
    uats_conn *conn = open_memory();
    uats_error err;
    uats_object *in, *created, *fetched, *att_in, *att;
    static const char doc[] =
        "{\"first_name\": \"Ada\", \"email_addresses\": [{\"value\": \"ada@example.com\","
        " \"type\": \"WORK\"}], \"application\": {\"job_id\": \"j1\", \"source\": \"lead\"},"
        " \"attachments\": [{\"file_name\": \"cv.txt\", \"type\": \"RESUME\","
        " \"data\": \"aGVsbG8=\"}]}";
    ck_assert_int_eq(uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, doc, sizeof doc - 1,
                                           &in, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(conn, in, &created, NULL, &err), UATS_OK);
    const char *id = uats_get_string(created, UATS_F_ID);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_APPLICATION_IDS), 1);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);

    att_in = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_FILE_NAME, "letter.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att_in, "dear team", 9, &err), UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, id, att_in, &att, NULL, &err), UATS_OK);
    ck_assert_str_eq(uats_get_string(att, UATS_F_CANDIDATE_ID), id);
    int64_t size;
    ck_assert(uats_get_int(att, UATS_F_SIZE, &size));
    ck_assert_int_eq(size, 9);

    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 1),
                     uats_get_string(att, UATS_F_ID));
    const char *email;
    ck_assert_int_eq(uats_list_typed(fetched, UATS_F_EMAIL_ADDRESSES, 0, &email),
                     UATS_EMAIL_WORK);
    ck_assert_str_eq(email, "ada@example.com");

    uats_object *dummy = (uats_object *)1;
    ck_assert_int_eq(uats_attachment_add(conn, "nobody", att_in, &dummy, NULL, &err),
                     UATS_E_NOT_FOUND);
    ck_assert_ptr_null(dummy);
    /* An attachment input breaking the "data or url" rule never reaches
     * the connector. */
    ck_assert_int_eq(uats_set_string(att_in, UATS_F_URL, "https://files.example.com/x", &err),
                     UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, id, att_in, &dummy, NULL, &err),
                     UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err.field, "data");
    uats_object_free(att_in);
    uats_object_free(att);
    uats_object_free(fetched);
    uats_object_free(created);
    uats_object_free(in);
    uats_conn_close(conn);
}
END_TEST

START_TEST(memory_refuses_duplicate_chosen_id)
{
    uats_conn *conn = open_memory();
    uats_object *in = input_named("Ada"), *out;
    uats_error err;
    ck_assert_int_eq(uats_set_string(in, UATS_F_ID, "ada-1", &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_OK);
    ck_assert_str_eq(uats_get_string(out, UATS_F_ID), "ada-1");
    uats_object_free(out);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_CONFLICT);
    ck_assert_int_eq(err.http_status, 409);
    uats_object_free(in);
    uats_conn_close(conn);
}
END_TEST

#define THREADS 4
#define PER_THREAD 50

typedef struct worker {
    uats_conn *conn;
    char ids[PER_THREAD][32];
    int failures;
} worker;

static void *create_many(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        uats_object *in = uats_object_new(UATS_KIND_CANDIDATE_INPUT), *out, *back;
        uats_error err;
        char name[32];
        snprintf(name, sizeof name, "n%d", i);
        if (uats_set_string(in, UATS_F_FIRST_NAME, name, &err) != UATS_OK ||
            uats_candidate_create(w->conn, in, &out, NULL, &err) != UATS_OK) {
            w->failures++;
        } else {
            snprintf(w->ids[i], sizeof w->ids[i], "%s", uats_get_string(out, UATS_F_ID));
            if (uats_candidate_get(w->conn, w->ids[i], &back, &err) != UATS_OK ||
                strcmp(uats_get_string(back, UATS_F_FIRST_NAME), name) != 0)
                w->failures++;
            else
                uats_object_free(back);
            uats_object_free(out);
        }
        uats_object_free(in);
    }
    return NULL;
}

START_TEST(one_connection_many_threads)
{
    uats_conn *conn = open_memory();
    static worker workers[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        memset(&workers[t], 0, sizeof workers[t]);
        workers[t].conn = conn;
        ck_assert_int_eq(pthread_create(&threads[t], NULL, create_many, &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
    /* Every create succeeded and got an id no other create got. */
    for (int t = 0; t < THREADS; t++) {
        ck_assert_int_eq(workers[t].failures, 0);
        for (int i = 0; i < PER_THREAD; i++)
            for (int u = 0; u <= t; u++)
                for (int k = 0; k < (u == t ? i : PER_THREAD); k++)
                    ck_assert_str_ne(workers[t].ids[i], workers[u].ids[k]);
    }
    uats_conn_close(conn);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("operations");
    TCase *tc = tcase_create("config");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, config_errors_name_the_key);
    tcase_add_test(tc, env_references_are_resolved);
    tcase_add_test(tc, open_hook_failure_is_reported);
    suite_add_tcase(s, tc);

    tc = tcase_create("contract");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_returns_validated_candidate_and_warnings);
    tcase_add_test(tc, vendor_failure_carries_status_and_message_without_secrets);
    tcase_add_test(tc, connector_contract_violations_become_bad_module);
    tcase_add_test(tc, get_maps_vendor_record);
    tcase_add_test(tc, missing_hook_is_unsupported);
    tcase_add_test(tc, wrong_input_kind_is_refused);
    tcase_add_test(tc, logs_never_show_secrets);
    tcase_add_test(tc, overlapping_and_long_echoed_secrets_are_redacted_whole);
    suite_add_tcase(s, tc);

    tc = tcase_create("memory");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, memory_round_trip);
    tcase_add_test(tc, memory_refuses_duplicate_chosen_id);
    tcase_add_test(tc, one_connection_many_threads);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
