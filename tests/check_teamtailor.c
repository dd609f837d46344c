/*
 * tests/check_teamtailor.c: the Teamtailor connector end to end: the built
 * teamtailor.so, loaded by libuats, through real libcurl, against the
 * Teamtailor emulator on 127.0.0.1. Create -> get -> add attachment -> get;
 * Teamtailor's own errors with its words and the field it names; every
 * fault kind on every hook, each asserting the uats error and that no
 * create was sent twice; the rate-limit headers honoured; the key absent
 * from every log line at trace level.
 */
#include <pthread.h>

#include "emu.h"
#include "teamtailor_emu.h"
#include "testutil.h"

#define KEY "tt-k3y-that-must-not-leak"

static emu_server *emu;
static teamtailor_emu *tt;
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

static uats_conn *open_at(const char *base, const char *key, const char *extra)
{
    char config[1024];
    uats_conn *c = NULL;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"teamtailor\", \"base_url\": \"%s\", \"credentials\": "
             "{\"api_key\": \"%s\"}%s%s%s}", base, key,
             strstr(extra, "\"retry\"") ? "" : ", \"retry\": {\"base_delay_ms\": 5}",
             *extra ? ", " : "", extra);
    ck_assert_msg(uats_conn_open_str(ctx, config, &c, &err) == UATS_OK, "open: %s", err.text);
    return c;
}

static uats_conn *open_tt(const char *extra)
{
    char base[256];
    snprintf(base, sizeof base, "%s/v1", emu_base_url(emu));
    return open_at(base, KEY, extra);
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    teamtailor_emu_config cfg = {.api_key = KEY};
    tt = teamtailor_emu_install(emu, &cfg);
    ck_assert_ptr_nonnull(tt);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/teamtailor", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "teamtailor"));
    leaked = false;
    log_lines = 0;
    conn = open_tt("");
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    teamtailor_emu_free(tt);
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

static uats_object *url_file(const char *name, const char *url)
{
    uats_error err;
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, name, &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(att, UATS_F_URL, url, &err), UATS_OK);
    return att;
}

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, KEY));
    ck_assert(!strstr(err->vendor_message, KEY));
}

static bool has_warning(const uats_warnings *w, const char *field)
{
    for (size_t i = 0; i < uats_warnings_count(w); i++)
        if (strcmp(uats_warning_field(w, i), field) == 0)
            return true;
    return false;
}

static const char ada[] =
    "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
    " \"email_addresses\": [{\"value\": \"ada@example.com\"}],"
    " \"phone_numbers\": [{\"value\": \"+44 20 5555 0100\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/ada\", \"type\": \"LINKEDIN\"}],"
    " \"tags\": [\"math\"], \"summary\": \"Notes on the engine\","
    " \"application\": {\"job_id\": \"4711\", \"source\": \"applicant\"}}";

/* A person added by a user: Teamtailor needs no e-mail then, so the same
 * input can be created again and again. */
static const char lead[] =
    "{\"first_name\": \"Mary\", \"last_name\": \"Somerville\", \"tags\": [\"astronomy\"],"
    " \"application\": {\"source\": \"lead\"}}";

START_TEST(create_get_attach_get)
{
    uats_object *in = input(ada), *created, *fetched, *att;
    uats_warnings *w;
    uats_error err;
    /* A resume by URL is uploaded; one given as contents cannot be. */
    uats_object *cv = url_file("ada-cv.pdf", "https://files.example.org/ada-cv.pdf");
    ck_assert_int_eq(uats_set_string(cv, UATS_F_ATTACHMENT_TYPE, "RESUME", &err), UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, cv, &err), UATS_OK);
    uats_object *bytes = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(bytes, UATS_F_FILE_NAME, "notes.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(bytes, "notes", 5, &err), UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, bytes, &err), UATS_OK);

    ck_assert_msg(uats_candidate_create(conn, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_uint_eq(uats_warnings_count(w), 2);
    ck_assert(has_warning(w, "attachments[0].type"));
    ck_assert(has_warning(w, "attachments[1]"));
    uats_warnings_free(w);
    const char *id = uats_get_string(created, UATS_F_ID);
    ck_assert_str_eq(uats_get_string(created, UATS_F_FIRST_NAME), "Ada");
    ck_assert_str_eq(uats_get_string(created, UATS_F_LAST_NAME), "Lovelace");
    ck_assert_str_eq(uats_get_string(created, UATS_F_SUMMARY), "Notes on the engine");
    ck_assert_uint_eq(uats_list_count(created, UATS_F_APPLICATION_IDS), 1);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    const char *v;
    ck_assert_int_eq(uats_list_typed(created, UATS_F_URLS, 0, &v), UATS_URL_LINKEDIN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/job-applications"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/uploads"), 1);

    /* What went over the wire is what Teamtailor documents. */
    char *target = emu_log_target(emu, 0), *auth = emu_log_header(emu, 0, "Authorization");
    char *version = emu_log_header(emu, 0, "X-Api-Version");
    char *type = emu_log_header(emu, 0, "Content-Type"), *accept = emu_log_header(emu, 0, "Accept");
    ck_assert_str_eq(target, "/v1/candidates");
    ck_assert_str_eq(auth, "Token token=" KEY);
    ck_assert_str_eq(version, "20240404");
    ck_assert_str_eq(type, "application/vnd.api+json");
    ck_assert_str_eq(accept, "application/vnd.api+json");
    free(target);
    free(auth);
    free(version);
    free(type);
    free(accept);
    json_t *stored = teamtailor_emu_candidate(tt, id);
    json_t *a = json_object_get(stored, "attributes");
    ck_assert_str_eq(json_string_value(json_object_get(a, "email")), "ada@example.com");
    ck_assert_str_eq(json_string_value(json_object_get(a, "linkedin-url")),
                     "https://www.linkedin.com/in/ada");
    ck_assert_str_eq(json_string_value(json_object_get(a, "pitch")), "Notes on the engine");
    ck_assert(json_is_false(json_object_get(a, "sourced")));
    json_decref(stored);

    uats_object *letter = url_file("letter.pdf", "https://files.example.org/letter.pdf");
    ck_assert_msg(uats_attachment_add(conn, id, letter, &att, &w, &err) == UATS_OK, "attach: %s",
                  err.text);
    ck_assert_uint_eq(uats_warnings_count(w), 0);
    uats_warnings_free(w);
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "letter.pdf");
    ck_assert_str_eq(uats_get_string(att, UATS_F_CANDIDATE_ID), id);
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "OTHER");
    ck_assert_ptr_nonnull(uats_get_string(att, UATS_F_FILE_URL));
    json_t *up = teamtailor_emu_upload(tt, uats_get_string(att, UATS_F_ID));
    ck_assert_str_eq(json_string_value(json_object_get(up, "_source")),
                     "https://files.example.org/letter.pdf");
    json_decref(up);

    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 1),
                     uats_get_string(att, UATS_F_ID));
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_APPLICATION_IDS), 1);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_APPLICATION_IDS, 0),
                     uats_list_string(created, UATS_F_APPLICATION_IDS, 0));
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_TAGS, 0), "math");
    ck_assert_int_eq(uats_list_typed(fetched, UATS_F_EMAIL_ADDRESSES, 0, &v), 0);
    ck_assert_str_eq(v, "ada@example.com");
    ck_assert_ptr_nonnull(uats_get_string(fetched, UATS_F_REMOTE_CREATED_AT));
    const json_t *raw = uats_get_json(fetched, UATS_F_REMOTE_DATA);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(raw, "candidate"), "id")),
                     id);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);

    uats_object_free(fetched);
    uats_object_free(att);
    uats_object_free(letter);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(lists_are_read_page_by_page)
{
    uats_object *in = input(lead), *created, *fetched;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &created, NULL, &err), UATS_OK);
    const char *id = uats_get_string(created, UATS_F_ID);
    /* 31 files: two pages of at most 30. */
    for (int i = 0; i < 31; i++) {
        char name[32];
        uats_object *f, *att;
        snprintf(name, sizeof name, "f%02d.pdf", i);
        f = url_file(name, "https://files.example.org/f.pdf");
        ck_assert_int_eq(uats_attachment_add(conn, id, f, &att, NULL, &err), UATS_OK);
        uats_object_free(att);
        uats_object_free(f);
    }
    emu_reset_log(emu);
    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 31);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id/uploads"), 2);
    char *first = emu_log_target(emu, 2);
    ck_assert_str_eq(first, "/v1/candidates/1001/uploads?page%5Bsize%5D=30");
    free(first);
    /* The person was sourced: Teamtailor's flag, no e-mail needed. */
    json_t *stored = teamtailor_emu_candidate(tt, id);
    ck_assert(json_is_true(json_object_get(json_object_get(stored, "attributes"), "sourced")));
    json_decref(stored);
    uats_object_free(fetched);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(file_contents_are_unsupported_before_any_request)
{
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT), *out;
    uats_error err;
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "cv.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, "cv", 2, &err), UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, "1001", att, &out, NULL, &err),
                     UATS_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.text, "Teamtailor"));
    ck_assert_ptr_nonnull(strstr(err.text, "URL"));
    ck_assert_uint_eq(emu_log_count(emu), 0);
    uats_object_free(att);
}
END_TEST

START_TEST(warnings_name_fields_teamtailor_cannot_hold)
{
    uats_object *in = input("{\"first_name\": \"Ada\", \"gender\": \"female\", \"skills\": [\"C\"],"
                            " \"company\": \"Engines\", \"email_addresses\": [{\"value\": "
                            "\"w@example.com\", \"type\": \"WORK\"}, {\"value\": "
                            "\"x@example.com\"}], \"urls\": [{\"value\": "
                            "\"https://github.com/ada\", \"type\": \"GITHUB\"}]}"), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    static const char *const fields[] = {"gender", "skills", "company", "email_addresses[0].type",
                                         "email_addresses[1]", "urls[0]"};
    ck_assert_uint_eq(uats_warnings_count(w), sizeof fields / sizeof fields[0]);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(has_warning(w, fields[i]), "no warning on %s", fields[i]);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(later_steps_fail_as_warnings_not_as_a_failed_create)
{
    /* An unknown job: the candidate exists, the application is refused. */
    uats_object *in = input("{\"first_name\": \"Ada\", \"application\": {\"job_id\": \"999\","
                            " \"source\": \"lead\"}}"), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    ck_assert(has_warning(w, "application.job_id"));
    ck_assert_uint_eq(uats_list_count(out, UATS_F_APPLICATION_IDS), 0);
    ck_assert_uint_eq(teamtailor_emu_candidate_count(tt), 1);
    uats_warnings_free(w);
    uats_object_free(out);
    /* The upload's answer is lost: a warning, never a second upload. */
    uats_object_free(in);
    in = input(lead);
    uats_object *f = url_file("a.pdf", "https://files.example.org/a.pdf");
    ck_assert_int_eq(uats_add_attachment_input(in, f, &err), UATS_OK);
    emu_fault drop = {.kind = EMU_FAULT_DROP};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/v1/uploads", &drop), 0);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    ck_assert(has_warning(w, "attachments[0]"));
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/uploads"), 1);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(vendor_errors_keep_teamtailors_words)
{
    uats_object *out, *in = input(ada);
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(conn, "99999", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "The record identified by 99999 could not be found.");
    ck_assert_str_eq(err.connector, "teamtailor");

    /* The e-mail is taken: 422, a conflict; the pointer becomes the unified field. */
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_OK);
    uats_object_free(out);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_CONFLICT);
    ck_assert_int_eq(err.http_status, 422);
    ck_assert_str_eq(err.vendor_message, "email - has already been taken");
    ck_assert_str_eq(err.field, "email_addresses[0].value");
    ck_assert_uint_eq(teamtailor_emu_candidate_count(tt), 1);
    /* ... unless the host asks Teamtailor to merge. */
    uats_object_free(in);
    in = input("{\"first_name\": \"Augusta Ada\", \"email_addresses\": [{\"value\": "
               "\"ADA@example.com\"}], \"remote_fields\": {\"merge\": true}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_OK);
    ck_assert_str_eq(uats_get_string(out, UATS_F_ID), "1001");
    ck_assert_str_eq(uats_get_string(out, UATS_F_FIRST_NAME), "Augusta Ada");
    ck_assert_uint_eq(teamtailor_emu_candidate_count(tt), 1);
    uats_object_free(out);

    /* An attribute Teamtailor does not have, sent through remote_fields. */
    uats_object_free(in);
    in = input("{\"first_name\": \"B\", \"application\": {\"source\": \"lead\"},"
               " \"remote_fields\": {\"shoe-size\": \"42\"}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.field, "remote_fields.shoe-size");
    /* No e-mail and not sourced. */
    uats_object_free(in);
    in = input("{\"first_name\": \"C\"}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.vendor_message, "email - can't be blank");
    ck_assert_str_eq(err.field, "email_addresses[0].value");

    /* A file for a candidate that does not exist. */
    uats_object *f = url_file("x.pdf", "https://files.example.org/x.pdf");
    ck_assert_int_eq(uats_attachment_add(conn, "4242", f, &out, NULL, &err), UATS_E_NOT_FOUND);
    ck_assert_str_eq(err.vendor_message, "candidate - must exist");
    uats_object_free(f);
    f = url_file("x.pdf", "ftp://files.example.org/x.pdf");
    ck_assert_int_eq(uats_attachment_add(conn, "1001", f, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.field, "url");
    uats_object_free(f);

    /* A refused API version is a configuration error, in Teamtailor's words. */
    emu_fault refused = {.kind = EMU_FAULT_STATUS, .status = 406,
                         .body = "{\"errors\": {\"status\": \"406\", \"title\": \"Not Acceptable\","
                                 " \"detail\": \"Unknown API version\"}}"};
    ck_assert_int_eq(emu_fault_push(emu, "GET", "/v1/candidates/:id", &refused), 0);
    ck_assert_int_eq(uats_candidate_get(conn, "1001", &out, &err), UATS_E_CONFIG);
    ck_assert_str_eq(err.vendor_message, "Unknown API version");
    ck_assert_ptr_nonnull(strstr(err.text, "20240404"));

    /* A wrong key. */
    char base[256];
    snprintf(base, sizeof base, "%s/v1", emu_base_url(emu));
    uats_conn *wrong = open_at(base, "nope", "");
    ck_assert_int_eq(uats_candidate_get(wrong, "1001", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "Invalid or missing API key");
    uats_conn_close(wrong);
    assert_no_secret(&err);
    uats_object_free(in);
}
END_TEST

START_TEST(configuration_is_checked_at_open)
{
    char config[512];
    uats_conn *c;
    uats_error err;
    uats_object *out;
    snprintf(config, sizeof config, "{\"connector\": \"teamtailor\", \"base_url\": \"%s/v1\", "
             "\"credentials\": {\"api_key\": \"" KEY "\"}, \"options\": {\"api_version\": "
             "\"2024-04-04\"}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "api_version"));
    snprintf(config, sizeof config, "{\"connector\": \"teamtailor\", \"base_url\": \"%s/v1\", "
             "\"credentials\": {\"token\": \"" KEY "\"}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "api_key"));
    assert_no_secret(&err);
    /* A chosen version is sent; a base URL without /v1 gets it. */
    c = open_at(emu_base_url(emu), KEY, "\"options\": {\"api_version\": \"20250101\"}");
    ck_assert_int_eq(uats_candidate_get(c, "1", &out, &err), UATS_E_NOT_FOUND);
    char *target = emu_log_target(emu, 0), *version = emu_log_header(emu, 0, "X-Api-Version");
    ck_assert_str_eq(target, "/v1/candidates/1");
    ck_assert_str_eq(version, "20250101");
    free(target);
    free(version);
    uats_conn_close(c);
}
END_TEST

/*
 * The fault matrix (docs/reliability.md): each fault on each hook, the uats
 * code the host must get, and never a second create. A fault is injected
 * for the first request of the hook's own route; a hook that retries sends
 * it again and then meets the emulator's normal answer.
 */
typedef struct fault_case {
    const char *name;
    emu_fault fault;
    uats_code create, get, attach;
    const char *vendor_message; /* expected err.vendor_message, or NULL */
} fault_case;

#define JSONAPI_ERROR(status, detail) \
    "{\"errors\": [{\"status\": \"" status "\", \"title\": \"t\", \"detail\": \"" detail "\"}]}"

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401, .body = JSONAPI_ERROR("401", "Invalid API key")},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH, "Invalid API key"},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403,
             .body = JSONAPI_ERROR("403", "This API key cannot write candidates")},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, "This API key cannot write candidates"},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = JSONAPI_ERROR("404", "Not found")},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, "Not found"},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422,
             .body = "{\"errors\": [{\"status\": \"422\", \"detail\": \"first-name - is too long\","
                     " \"source\": {\"pointer\": \"/data/attributes/first-name\"}}]}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION, "first-name - is too long"},
    {"429 + Retry-After seconds", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                                   .body = JSONAPI_ERROR("429", "Rate limit exceeded")},
     UATS_OK, UATS_OK, UATS_OK, NULL},
    {"429 + Retry-After date", {.kind = EMU_FAULT_STATUS, .status = 429,
                                .retry_after = "Wed, 21 Oct 2015 07:28:00 GMT"},
     UATS_OK, UATS_OK, UATS_OK, NULL},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = JSONAPI_ERROR("500", "boom")},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, "boom"},
    {"502 HTML", {.kind = EMU_FAULT_HTML, .status = 502},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"503", {.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK, UATS_OK, NULL},
    {"reset after the request", {.kind = EMU_FAULT_DROP},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"reset mid-body", {.kind = EMU_FAULT_TRUNCATE},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"invalid JSON", {.kind = EMU_FAULT_INVALID_JSON},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"oversized body", {.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_TOO_LARGE, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"invalid UTF-8", {.kind = EMU_FAULT_INVALID_UTF8},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"wrong types", {.kind = EMU_FAULT_STATUS, .status = 201,
                     .body = "{\"data\": {\"id\": 12345, \"type\": \"candidates\","
                             " \"attributes\": [\"Ada\"]}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"missing required keys", {.kind = EMU_FAULT_STATUS, .status = 201, .body = "{\"data\": {}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"not a document", {.kind = EMU_FAULT_STATUS, .status = 201, .body = "[1, 2, 3]"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
};

/* Run one hook under one fault; check the code, the vendor's words, the
 * absence of secrets, and how many requests of the faulted route went out. */
static void one(const fault_case *fc, const char *hook, const char *method, const char *route,
                uats_code want, uats_object *seed_in, const char *id)
{
    uats_object *out = NULL, *att = NULL;
    uats_error err;
    uats_code rc;
    ck_assert_int_eq(emu_fault_push(emu, method, route, &fc->fault), 0);
    size_t before = emu_count(emu, method, route);
    if (strcmp(hook, "create") == 0)
        rc = uats_candidate_create(conn, seed_in, &out, NULL, &err);
    else if (strcmp(hook, "get") == 0)
        rc = uats_candidate_get(conn, id, &out, &err);
    else
        rc = uats_attachment_add(conn, id, att = url_file("f.pdf", "https://x.example/f.pdf"),
                                 &out, NULL, &err);
    size_t sent = emu_count(emu, method, route) - before;
    ck_assert_msg(rc == want, "%s on %s: %s, expected %s (%s)", fc->name, hook,
                  uats_code_name(rc), uats_code_name(want), err.text);
    if (rc != UATS_OK) {
        ck_assert_int_eq(err.code, rc);
        if (fc->vendor_message)
            ck_assert_str_eq(err.vendor_message, fc->vendor_message);
    }
    /* Writes go out once unless the vendor turned them away unprocessed
     * (429, 503: then once more); reads may be repeated. */
    bool refused = fc->fault.kind == EMU_FAULT_STATUS &&
                   (fc->fault.status == 429 || fc->fault.status == 503);
    if (strcmp(method, "POST") == 0)
        ck_assert_msg(sent == (refused ? 2u : 1u), "%s on %s: %zu POSTs", fc->name, hook, sent);
    assert_no_secret(&err);
    uats_object_free(out);
    uats_object_free(att);
    emu_fault_clear(emu);
}

START_TEST(fault_matrix_on_every_hook)
{
    uats_object *seed_in = input(lead), *seed;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        const fault_case *fc = &matrix[i];
        size_t before = teamtailor_emu_candidate_count(tt);
        one(fc, "create", "POST", "/v1/candidates", fc->create, seed_in, id);
        /* However the create ended, the vendor holds at most one more. */
        ck_assert_uint_le(teamtailor_emu_candidate_count(tt), before + 1);
        one(fc, "get", "GET", "/v1/candidates/:id", fc->get, seed_in, id);
        one(fc, "attach", "POST", "/v1/uploads", fc->attach, seed_in, id);
    }
    /* Members Teamtailor may add tomorrow are ignored, on every hook. */
    fault_case tolerant = {"extra members",
                           {.kind = EMU_FAULT_STATUS, .status = 200,
                            .body = "{\"data\": {\"id\": \"1001\", \"type\": \"candidates\","
                                    " \"attributes\": {\"first-name\": \"Mary\", \"future\": 1},"
                                    " \"meta\": {\"x\": true}}, \"jsonapi\": {}}"},
                           UATS_OK, UATS_OK, UATS_OK, NULL};
    one(&tolerant, "get", "GET", "/v1/candidates/:id", UATS_OK, seed_in, id);
    tolerant.fault.status = 201;
    one(&tolerant, "create", "POST", "/v1/candidates", UATS_OK, seed_in, id);
    tolerant.fault.body = "{\"data\": {\"id\": \"9\", \"type\": \"uploads\", \"attributes\": "
                          "{\"file-name\": \"f.pdf\", \"new\": [1]}}, \"included\": []}";
    one(&tolerant, "attach", "POST", "/v1/uploads", UATS_OK, seed_in, id);
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(connection_refused_on_every_hook)
{
    char base[256];
    uats_error err;
    uats_object *in = input(lead), *out, *att = url_file("f.pdf", "https://x.example/f.pdf");
    snprintf(base, sizeof base, "http://127.0.0.1:%u/v1", emu_refused_port());
    uats_conn *dead = open_at(base, KEY, "");
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_candidate_get(dead, "1", &out, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_attachment_add(dead, "1", att, &out, NULL, &err), UATS_E_TRANSPORT);
    uats_conn_close(dead);
    uats_object_free(att);
    uats_object_free(in);
}
END_TEST

START_TEST(timeouts_before_and_after_sending)
{
    uats_object *in = input(lead), *out;
    uats_error err;
    uats_conn *quick = open_tt("\"timeouts\": {\"total_ms\": 300}");
    /* Teamtailor created it, but the answer came too late: unknown, not retried. */
    emu_fault late = {.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1200};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/v1/candidates", &late), 0);
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);
    ck_assert_uint_eq(teamtailor_emu_candidate_count(tt), 1);
    /* A read in the same situation is simply asked again. */
    ck_assert_int_eq(emu_fault_push(emu, "GET", "/v1/candidates/:id", &late), 0);
    ck_assert_int_eq(uats_candidate_get(quick, "404404", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 2);
    uats_conn_close(quick);

    /* Nothing listens behind a full accept queue: the create is never sent. */
    unsigned port;
    emu_blackhole *bh = emu_blackhole_open(&port);
    char base[256];
    snprintf(base, sizeof base, "http://127.0.0.1:%u/v1", port);
    uats_conn *dead = open_at(base, KEY, "\"timeouts\": {\"connect_ms\": 200}, "
                                         "\"retry\": {\"max_attempts\": 2, \"base_delay_ms\": 5}");
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TIMEOUT);
    ck_assert_int_eq(uats_candidate_get(dead, "1", &out, &err), UATS_E_TIMEOUT);
    uats_object *att = url_file("f.pdf", "https://x.example/f.pdf");
    ck_assert_int_eq(uats_attachment_add(dead, "1", att, &out, NULL, &err), UATS_E_TIMEOUT);
    uats_object_free(att);
    uats_conn_close(dead);
    emu_blackhole_close(bh);
    uats_object_free(in);
}
END_TEST

START_TEST(rate_limit_headers_are_honoured)
{
    /* A second server whose Teamtailor allows 5 requests per 2 s window,
     * slower than the connector's own pace: only reading X-Rate-Limit-*
     * keeps 15 reads in a row from meeting a 429 (no retries here). */
    emu_server *limited = emu_start();
    teamtailor_emu_config cfg = {.api_key = KEY, .limit = 5, .window_s = 2};
    teamtailor_emu *t2 = teamtailor_emu_install(limited, &cfg);
    char base[256];
    snprintf(base, sizeof base, "%s/v1", emu_base_url(limited));
    uats_conn *c = open_at(base, KEY, "\"retry\": {\"max_attempts\": 1}");
    uats_error err;
    for (int i = 0; i < 15; i++) {
        uats_object *out;
        uats_code rc = uats_candidate_get(c, "77", &out, &err);
        ck_assert_msg(rc == UATS_E_NOT_FOUND, "call %d: %s", i, err.text);
    }
    ck_assert_uint_eq(emu_count(limited, "GET", "/v1/candidates/:id"), 15);
    uats_conn_close(c);
    emu_stop(limited);
    teamtailor_emu_free(t2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("teamtailor");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, lists_are_read_page_by_page);
    tcase_add_test(tc, file_contents_are_unsupported_before_any_request);
    tcase_add_test(tc, warnings_name_fields_teamtailor_cannot_hold);
    tcase_add_test(tc, later_steps_fail_as_warnings_not_as_a_failed_create);
    tcase_add_test(tc, vendor_errors_keep_teamtailors_words);
    tcase_add_test(tc, configuration_is_checked_at_open);
    tcase_add_test(tc, fault_matrix_on_every_hook);
    tcase_add_test(tc, connection_refused_on_every_hook);
    tcase_add_test(tc, timeouts_before_and_after_sending);
    tcase_add_test(tc, rate_limit_headers_are_honoured);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
