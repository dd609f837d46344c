/*
 * tests/check_workable.c: the Workable connector end to end: the built
 * workable.so, loaded by libuats, through real libcurl, against the Workable
 * emulator on 127.0.0.1. Create -> get -> add attachment (absent: Workable
 * has no such call) -> get; the base URL from the subdomain; vendor errors
 * with Workable's words; the fault matrix on every hook, never a second
 * create; the rate-limit headers honoured; secrets absent from every log
 * line at trace level.
 */
#include <pthread.h>

#include "emu.h"
#include "testutil.h"
#include "workable_emu.h"

#define TOKEN "workable-t0ken-that-must-not-leak"
#define JOB WORKABLE_EMU_JOB
#define CREATE_ROUTE "/spi/v3/jobs/:shortcode/candidates"
#define GET_ROUTE "/spi/v3/candidates/:id"

static emu_server *emu;
static workable_emu *wk;
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
    if (strstr(message, TOKEN))
        leaked = true;
    pthread_mutex_unlock(&log_lock);
}

/* A connection to the emulator; tests that are not about pacing lift it. */
static uats_conn *open_workable(const char *extra)
{
    char config[1024];
    uats_conn *c = NULL;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"workable\", \"base_url\": \"%s/spi/v3\", \"credentials\": "
             "{\"api_key\": \"" TOKEN "\"}, \"retry\": {\"base_delay_ms\": 5}%s%s}",
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
    workable_emu_config cfg = {TOKEN, "tidewater", 0};
    wk = workable_emu_install(emu, &cfg);
    ck_assert_ptr_nonnull(wk);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/workable", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "workable"));
    leaked = false;
    log_lines = 0;
    conn = open_workable("\"rate\": {\"per_sec\": 1000, \"burst\": 1000}");
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    workable_emu_free(wk);
    ck_assert(log_lines > 0);
    ck_assert_msg(!leaked, "the access token appeared in a log line");
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
    "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"title\": \"Analyst\","
    " \"company\": \"Engines Ltd\", \"email_addresses\": [{\"value\": \"ada@example.com\"}],"
    " \"phone_numbers\": [{\"value\": \"+44 20 5555 0100\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/ada\", \"type\": \"LINKEDIN\"}],"
    " \"tags\": [\"math\"], \"skills\": [\"C\"],"
    " \"experience\": [{\"title\": \"Analyst\", \"company\": \"Engines Ltd\","
    "   \"start_date\": \"1842-01-01\", \"is_current\": true}],"
    " \"application\": {\"job_id\": \"" JOB "\", \"source\": \"applicant\"}}";

/* The same person with a new e-mail address: Workable refuses a second
 * candidate with one address in one job. */
static uats_object *fresh(const char *tag)
{
    char text[1024], email[64];
    snprintf(email, sizeof email, "ada+%s@example.com", tag);
    snprintf(text, sizeof text, "%s", ada);
    char *at = strstr(text, "ada@example.com");
    char rest[1024];
    snprintf(rest, sizeof rest, "%s", at + strlen("ada@example.com"));
    snprintf(at, sizeof text - (size_t)(at - text), "%s%s", email, rest);
    return input(text);
}

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, TOKEN));
    ck_assert(!strstr(err->vendor_message, TOKEN));
}

START_TEST(create_get_attach_get)
{
    uats_object *in = input(ada), *created, *fetched, *att_in, *att = NULL;
    uats_warnings *w;
    uats_error err;
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
    ck_assert_str_eq(uats_get_string(created, UATS_F_TITLE), "Analyst");
    ck_assert_str_eq(uats_get_string(created, UATS_F_COMPANY), "Engines Ltd");
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), 1);
    /* Workable saw what its documentation describes. */
    char *target = emu_log_target(emu, 0), *auth = emu_log_header(emu, 0, "Authorization");
    ck_assert_str_eq(target, "/spi/v3/jobs/" JOB "/candidates");
    ck_assert_str_eq(auth, "Bearer " TOKEN);
    free(target);
    free(auth);
    json_t *sent = workable_emu_last_create(wk);
    ck_assert(json_is_false(json_object_get(sent, "sourced")));
    json_t *c = json_object_get(sent, "candidate");
    ck_assert_str_eq(json_string_value(json_object_get(c, "headline")), "Analyst at Engines Ltd");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c, "resume"), "data")),
                     "JVBERgBjdg==");
    json_decref(sent);
    json_t *stored = workable_emu_candidate(wk, id);
    ck_assert_str_eq(json_string_value(json_object_get(stored, "stage")), "Applied");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(stored, "resume_url")));
    json_decref(stored);

    /* Workable cannot add a file to an existing candidate: the core says so,
     * naming the vendor, and nothing is sent. */
    uats_object *cover = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(cover, UATS_F_FILE_NAME, "letter.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(cover, "Dear team", 9, &err), UATS_OK);
    size_t before = emu_log_count(emu);
    ck_assert_int_eq(uats_attachment_add(conn, id, cover, &att, NULL, &err), UATS_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.text, "Workable"));
    ck_assert_uint_eq(emu_log_count(emu), before);

    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    ck_assert_str_eq(uats_get_string(fetched, UATS_F_LAST_NAME), "Lovelace");
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_TAGS, 0), "math");
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_SKILLS, 0), "C");
    const char *v;
    ck_assert_int_eq(uats_list_typed(fetched, UATS_F_URLS, 0, &v), UATS_URL_LINKEDIN);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 1);
    ck_assert_ptr_nonnull(uats_get_string(fetched, UATS_F_REMOTE_CREATED_AT));
    const json_t *raw = uats_get_json(fetched, UATS_F_REMOTE_DATA);
    ck_assert_str_eq(json_string_value(json_object_get(raw, "id")), id);
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), 1);

    uats_object_free(fetched);
    uats_object_free(cover);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(talent_pool_without_a_job)
{
    uats_object *in = input("{\"first_name\": \"Teodor\", \"email_addresses\": [{\"value\": "
                            "\"teodor@example.net\"}], \"application\": {\"source\": \"lead\"}}"),
                *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(emu, "POST", "/spi/v3/talent_pool/candidates"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), 0);
    json_t *stored = workable_emu_candidate(wk, uats_get_string(out, UATS_F_ID));
    ck_assert(json_is_null(json_object_get(stored, "job")));
    ck_assert(json_is_true(json_object_get(stored, "sourced")));
    json_decref(stored);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(the_subdomain_makes_the_base_url)
{
    uats_conn *c;
    uats_error err;
    /* No base_url, no subdomain: refused before anything is sent. */
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"workable\", \"credentials\": "
                                             "{\"api_key\": \"" TOKEN "\"}}", &c, &err),
                     UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "subdomain"));
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"workable\", \"credentials\": "
                                             "{\"api_key\": \"" TOKEN "\"}, \"options\": "
                                             "{\"subdomain\": \"Acme.workable.com\"}}", &c, &err),
                     UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "options.subdomain"));
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"workable\", \"options\": "
                                             "{\"subdomain\": \"acme\"}}", &c, &err),
                     UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "access token"));
    /* With a subdomain, the host is the account's: the log line of the
     * open names it (nothing is sent to it here). */
    ck_assert_int_eq(uats_conn_open_str(ctx, "{\"connector\": \"workable\", \"credentials\": "
                                             "{\"token\": \"" TOKEN "\"}, \"options\": "
                                             "{\"subdomain\": \"acme\"}}", &c, &err),
                     UATS_OK);
    uats_conn_close(c);
    ck_assert_uint_eq(emu_log_count(emu), 0);
}
END_TEST

START_TEST(warnings_name_fields_workable_cannot_hold)
{
    uats_object *in = input("{\"first_name\": \"Ada\", \"last_name\": \"L\", \"gender\": \"f\","
                            " \"locations\": [\"London\"], \"email_addresses\": [{\"value\": "
                            "\"a@example.com\", \"type\": \"WORK\"}],"
                            " \"application\": {\"job_id\": \"" JOB "\", \"stage_id\": \"s\"}}"),
                *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, &w, &err), UATS_OK);
    json_t *wj = uats_warnings_to_json(w);
    char *text = json_dumps(wj, 0);
    ck_assert_uint_eq(uats_warnings_count(w), 4);
    ck_assert_ptr_nonnull(strstr(text, "\"email_addresses[0].type\""));
    ck_assert_ptr_nonnull(strstr(text, "\"gender\""));
    ck_assert_ptr_nonnull(strstr(text, "\"locations\""));
    ck_assert_ptr_nonnull(strstr(text, "\"application.stage_id\""));
    free(text);
    json_decref(wj);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
}
END_TEST

START_TEST(vendor_errors_keep_workables_words)
{
    uats_object *out, *in = input(ada);
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(conn, "nosuch01", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "Not found");
    ck_assert_str_eq(err.connector, "workable");
    /* The same e-mail twice in one job: Workable's 422, a conflict. */
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_OK);
    uats_object_free(out);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_CONFLICT);
    ck_assert_int_eq(err.http_status, 422);
    ck_assert_str_eq(err.vendor_message, "Validation failed");
    ck_assert_str_eq(err.field, "email_addresses[0]");
    ck_assert_ptr_nonnull(strstr(err.text, "candidate already exists"));
    uats_object_free(in);
    /* A value Workable refuses, named by its key. */
    in = input("{\"first_name\": \"A\", \"last_name\": \"B\", \"email_addresses\": [{\"value\": "
               "\"not-an-address\"}], \"application\": {\"job_id\": \"" JOB "\"}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.field, "email_addresses[0]");
    ck_assert_ptr_nonnull(strstr(err.text, "is invalid"));
    uats_object_free(in);
    /* A job that is not there. */
    in = input("{\"first_name\": \"A\", \"last_name\": \"B\", \"email_addresses\": [{\"value\": "
               "\"a@example.com\"}], \"application\": {\"job_id\": \"NOPE0000\"}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_NOT_FOUND);
    ck_assert_str_eq(err.vendor_message, "Not found");
    uats_object_free(in);
    /* A wrong token. */
    char config[512];
    uats_conn *wrong;
    snprintf(config, sizeof config, "{\"connector\": \"workable\", \"base_url\": "
             "\"%s/spi/v3\", \"credentials\": {\"api_key\": \"nope\"}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &wrong, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(wrong, "x", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "Not authorized");
    uats_conn_close(wrong);
    assert_no_secret(&err);
}
END_TEST

/* The fault matrix (docs/reliability.md), as in check_lever.c: each fault
 * on each hook Workable has, the code the host gets, never a second create. */
typedef struct fault_case {
    const char *name;
    emu_fault fault;
    uats_code create, get;
    const char *vendor_message;
} fault_case;

#define CAND_EXTRA "{\"candidate\": {\"id\": \"x1\", \"firstname\": \"Ada\", " \
                   "\"futureField\": {\"nested\": true}}, \"status\": \"created\"}"

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401, .body = "{\"error\": \"Not authorized\"}"},
     UATS_E_AUTH, UATS_E_AUTH, "Not authorized"},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403,
             .body = "{\"error\": \"Missing scope w_candidates\"}"},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, "Missing scope w_candidates"},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = "{\"error\": \"Not found\"}"},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, "Not found"},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422,
             .body = "{\"error\": \"Validation failed\", \"validation_errors\": "
                     "{\"phone\": [\"is invalid\"]}}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, "Validation failed"},
    {"429 + Retry-After", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                           .body = "{\"error\": \"Rate limit exceeded\"}"},
     UATS_OK, UATS_OK, NULL},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = "{\"error\": \"boom\"}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, "boom"},
    {"502 HTML", {.kind = EMU_FAULT_HTML, .status = 502}, UATS_E_OUTCOME_UNKNOWN, UATS_OK, NULL},
    {"503", {.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK, NULL},
    {"dropped connection", {.kind = EMU_FAULT_DROP}, UATS_E_OUTCOME_UNKNOWN, UATS_OK, NULL},
    {"truncated body", {.kind = EMU_FAULT_TRUNCATE}, UATS_E_OUTCOME_UNKNOWN, UATS_OK, NULL},
    {"invalid JSON", {.kind = EMU_FAULT_INVALID_JSON}, UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR,
     NULL},
    {"oversized body", {.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_TOO_LARGE, NULL},
    {"invalid UTF-8", {.kind = EMU_FAULT_INVALID_UTF8}, UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR,
     NULL},
    {"wrong types", {.kind = EMU_FAULT_STATUS, .status = 200,
                     .body = "{\"candidate\": {\"id\": 12345, \"firstname\": [\"Ada\"]}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, NULL},
    {"no candidate", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "{\"status\": \"ok\"}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, NULL},
    {"not an object", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "[1, 2, 3]"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, NULL},
};

static void one(const fault_case *fc, const char *hook, const char *method, const char *route,
                uats_code want, const char *id)
{
    uats_object *out = NULL, *in = NULL;
    uats_error err;
    uats_code rc;
    static unsigned n;
    char tag[16];
    snprintf(tag, sizeof tag, "f%u", ++n);
    ck_assert_int_eq(emu_fault_push(emu, method, route, &fc->fault), 0);
    size_t before = emu_count(emu, method, route);
    if (strcmp(hook, "create") == 0)
        rc = uats_candidate_create(conn, in = fresh(tag), &out, NULL, &err);
    else
        rc = uats_candidate_get(conn, id, &out, &err);
    size_t sent = emu_count(emu, method, route) - before;
    ck_assert_msg(rc == want, "%s on %s: %s, expected %s (%s)", fc->name, hook,
                  uats_code_name(rc), uats_code_name(want), err.text);
    if (rc != UATS_OK) {
        ck_assert_int_eq(err.code, rc);
        if (fc->vendor_message)
            ck_assert_str_eq(err.vendor_message, fc->vendor_message);
    }
    /* A create goes out once, twice only when the vendor turned it away
     * unprocessed (429, 503). */
    bool refused = fc->fault.kind == EMU_FAULT_STATUS &&
                   (fc->fault.status == 429 || fc->fault.status == 503);
    if (strcmp(method, "POST") == 0)
        ck_assert_msg(sent == (refused ? 2u : 1u), "%s on %s: %zu POSTs", fc->name, hook, sent);
    assert_no_secret(&err);
    uats_object_free(out);
    uats_object_free(in);
    emu_fault_clear(emu);
}

START_TEST(fault_matrix_on_every_hook)
{
    uats_object *seed_in = input(ada), *seed, *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        const fault_case *fc = &matrix[i];
        size_t before = workable_emu_candidate_count(wk);
        one(fc, "create", "POST", CREATE_ROUTE, fc->create, id);
        ck_assert_uint_le(workable_emu_candidate_count(wk), before + 1);
        one(fc, "get", "GET", GET_ROUTE, fc->get, id);
    }
    /* add_attachment is absent: every fault is moot, the answer the same. */
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, "f.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, "x", 1, &err), UATS_OK);
    ck_assert_int_eq(uats_attachment_add(conn, id, att, &out, NULL, &err), UATS_E_UNSUPPORTED);
    uats_object_free(att);
    /* Keys Workable may add tomorrow are ignored. */
    fault_case tolerant = {"extra keys", {.kind = EMU_FAULT_STATUS, .status = 200,
                                          .body = CAND_EXTRA}, UATS_OK, UATS_OK, NULL};
    one(&tolerant, "get", "GET", GET_ROUTE, UATS_OK, id);
    tolerant.fault.status = 201;
    one(&tolerant, "create", "POST", CREATE_ROUTE, UATS_OK, id);
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(connection_refused_and_timeouts)
{
    char config[512];
    uats_conn *dead;
    uats_error err;
    uats_object *in = input(ada), *out;
    snprintf(config, sizeof config, "{\"connector\": \"workable\", \"base_url\": "
             "\"http://127.0.0.1:%u/spi/v3\", \"credentials\": {\"api_key\": \"" TOKEN "\"}, "
             "\"retry\": {\"base_delay_ms\": 5}}", emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_candidate_get(dead, "x", &out, &err), UATS_E_TRANSPORT);
    uats_conn_close(dead);
    /* Workable created it, but the answer came too late: unknown, not resent. */
    uats_conn *quick = open_workable("\"timeouts\": {\"total_ms\": 300}");
    emu_fault late = {.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1200};
    ck_assert_int_eq(emu_fault_push(emu, "POST", CREATE_ROUTE, &late), 0);
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), 1);
    ck_assert_uint_eq(workable_emu_candidate_count(wk), 1);
    uats_conn_close(quick);
    uats_object_free(in);
}
END_TEST

START_TEST(rate_limit_headers_are_honoured)
{
    /* A Workable that allows 10 requests per fixed 10 s interval and says
     * so in X-Rate-Limit-*: with the declared pacing lifted, the connector's
     * header prefix lets the core wait for the next interval instead of
     * meeting a 429. */
    emu_server *limited = emu_start();
    workable_emu_config cfg = {TOKEN, "tidewater", 10};
    workable_emu *w2 = workable_emu_install(limited, &cfg);
    char config[512];
    uats_conn *c;
    uats_error err;
    snprintf(config, sizeof config, "{\"connector\": \"workable\", \"base_url\": "
             "\"%s/spi/v3\", \"credentials\": {\"api_key\": \"" TOKEN "\"}, \"retry\": "
             "{\"max_attempts\": 1}, \"rate\": {\"per_sec\": 1000, \"burst\": 1000}}",
             emu_base_url(limited));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_OK);
    for (int i = 0; i < 14; i++) {
        uats_object *out;
        uats_code rc = uats_candidate_get(c, "missing", &out, &err);
        ck_assert_msg(rc == UATS_E_NOT_FOUND, "call %d: %s", i, err.text);
    }
    ck_assert_uint_eq(emu_count(limited, "GET", GET_ROUTE), 14);
    uats_conn_close(c);
    /* And the declared pacing alone keeps within the limit too. */
    snprintf(config, sizeof config, "{\"connector\": \"workable\", \"base_url\": "
             "\"%s/spi/v3\", \"credentials\": {\"api_key\": \"" TOKEN "\"}, \"retry\": "
             "{\"max_attempts\": 1}}", emu_base_url(limited));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_OK);
    for (int i = 0; i < 5; i++) {
        uats_object *out;
        uats_code rc = uats_candidate_get(c, "missing", &out, &err);
        ck_assert_msg(rc == UATS_E_NOT_FOUND, "paced call %d: %s", i, err.text);
    }
    uats_conn_close(c);
    emu_stop(limited);
    workable_emu_free(w2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("workable");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, talent_pool_without_a_job);
    tcase_add_test(tc, the_subdomain_makes_the_base_url);
    tcase_add_test(tc, warnings_name_fields_workable_cannot_hold);
    tcase_add_test(tc, vendor_errors_keep_workables_words);
    tcase_add_test(tc, fault_matrix_on_every_hook);
    tcase_add_test(tc, connection_refused_and_timeouts);
    tcase_add_test(tc, rate_limit_headers_are_honoured);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
