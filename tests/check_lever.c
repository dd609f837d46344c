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

#define OPP_EXTRA "{\"data\": {\"id\": \"x1\", \"name\": \"Ada Extra\", \"emails\": [], " \
                  "\"futureField\": {\"nested\": true}}}"
#define FILE_EXTRA "{\"data\": {\"id\": \"f1\", \"name\": \"f.txt\", \"size\": 1, " \
                   "\"futureField\": 1}}"

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401,
             .body = "{\"code\": \"UnauthorizedError\", \"message\": \"Invalid API key\"}"},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH, "Invalid API key"},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403,
             .body = "{\"code\": \"Forbidden\", \"message\": \"No access to confidential data\"}"},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, "No access to confidential data"},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404,
             .body = "{\"code\": \"ResourceNotFound\", \"message\": \"Not found\"}"},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, "Not found"},
    {"409", {.kind = EMU_FAULT_STATUS, .status = 409,
             .body = "{\"code\": \"Conflict\", \"message\": \"Duplicate\"}"},
     UATS_E_CONFLICT, UATS_E_CONFLICT, UATS_E_CONFLICT, "Duplicate"},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422,
             .body = "{\"code\": \"BadRequestError\", \"message\": \"emails[0] is not an e-mail\"}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION, "emails[0] is not an e-mail"},
    {"429 + Retry-After seconds", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                                   .body = "{\"message\": \"Rate limit exceeded\"}"},
     UATS_OK, UATS_OK, UATS_OK, NULL},
    {"429 + Retry-After date", {.kind = EMU_FAULT_STATUS, .status = 429,
                                .retry_after = "Wed, 21 Oct 2015 07:28:00 GMT"},
     UATS_OK, UATS_OK, UATS_OK, NULL},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = "{\"message\": \"boom\"}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, "boom"},
    {"502 HTML", {.kind = EMU_FAULT_HTML, .status = 502},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"503", {.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK, UATS_OK, NULL},
    {"reset after the request", {.kind = EMU_FAULT_DROP},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"reset mid-body", {.kind = EMU_FAULT_TRUNCATE},
     UATS_E_OUTCOME_UNKNOWN, UATS_OK, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"truncated JSON", {.kind = EMU_FAULT_INVALID_JSON},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"oversized body", {.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_TOO_LARGE, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"invalid UTF-8", {.kind = EMU_FAULT_INVALID_UTF8},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"wrong types", {.kind = EMU_FAULT_STATUS, .status = 200,
                     .body = "{\"data\": {\"id\": 12345, \"name\": [\"Ada\"]}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"missing required keys", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "{\"data\": {}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"not an envelope", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "[1, 2, 3]"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
};

static uats_object *small_file(void)
{
    uats_error err;
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "f.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, "x", 1, &err), UATS_OK);
    return att;
}

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
        rc = uats_attachment_add(conn, id, att = small_file(), &out, NULL, &err);
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
    uats_object *seed_in = input(ada), *seed;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        const fault_case *fc = &matrix[i];
        size_t before = lever_emu_opportunity_count(lever);
        one(fc, "create", "POST", "/v1/opportunities", fc->create, seed_in, id);
        /* However the create ended, the vendor holds at most one more. */
        ck_assert_uint_le(lever_emu_opportunity_count(lever), before + 1);
        one(fc, "get", "GET", "/v1/opportunities/:id", fc->get, seed_in, id);
        one(fc, "attach", "POST", "/v1/opportunities/:id/files", fc->attach, seed_in, id);
    }
    /* Extra keys Lever may add tomorrow are ignored, on every hook. */
    emu_fault extra = {.kind = EMU_FAULT_STATUS, .status = 200, .body = OPP_EXTRA};
    fault_case tolerant = {"extra keys", extra, UATS_OK, UATS_OK, UATS_OK, NULL};
    one(&tolerant, "get", "GET", "/v1/opportunities/:id", UATS_OK, seed_in, id);
    tolerant.fault.body = OPP_EXTRA;
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/v1/opportunities", &tolerant.fault), 0);
    uats_object *out;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &out, NULL, &err), UATS_OK);
    ck_assert_str_eq(uats_get_string(out, UATS_F_FIRST_NAME), "Ada");
    uats_object_free(out);
    tolerant.fault.body = FILE_EXTRA;
    one(&tolerant, "attach", "POST", "/v1/opportunities/:id/files", UATS_OK, seed_in, id);
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(connection_refused_on_every_hook)
{
    char config[512];
    uats_conn *dead;
    uats_error err;
    uats_object *in = input(ada), *out, *att = small_file();
    snprintf(config, sizeof config, "{\"connector\": \"lever\", \"base_url\": "
             "\"http://127.0.0.1:%u/v1\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"options\": {\"perform_as\": \"" USER "\"}, \"retry\": {\"base_delay_ms\": 5}}",
             emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_candidate_get(dead, "x", &out, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_attachment_add(dead, "x", att, &out, NULL, &err), UATS_E_TRANSPORT);
    uats_conn_close(dead);
    uats_object_free(att);
    uats_object_free(in);
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
    ck_assert_int_eq(uats_candidate_get(dead, "x", &out, &err), UATS_E_TIMEOUT);
    uats_object *att = small_file();
    ck_assert_int_eq(uats_attachment_add(dead, "x", att, &out, NULL, &err), UATS_E_TIMEOUT);
    uats_object_free(att);
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
    tcase_add_test(tc, connection_refused_on_every_hook);
    tcase_add_test(tc, timeouts_before_and_after_sending);
    tcase_add_test(tc, rate_limited_vendor_is_paced);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
