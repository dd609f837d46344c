/*
 * tests/check_recruitee.c: the Recruitee connector end to end: the built
 * recruitee.so, loaded by libuats, through real libcurl, against the
 * Recruitee emulator on 127.0.0.1. Create -> get -> add attachment -> get;
 * the company id in the path; Recruitee's errors with its words kept;
 * every fault kind on every hook, each asserting the uats error and that
 * no create was sent twice; the rate-limit signal; secrets absent from
 * every log line at trace level.
 */
#include <pthread.h>
#include <time.h>

#include "emu.h"
#include "recruitee_emu.h"
#include "testutil.h"

#define KEY "rt-t0ken-that-must-not-leak"
#define COMPANY "12345"
#define CANDIDATES "/c/:company/candidates"
#define CANDIDATE "/c/:company/candidates/:id"
#define ATTACHMENTS "/c/:company/attachments"

static emu_server *emu;
static recruitee_emu *rt;
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

/* A connection to the emulator: base is appended to the server's address;
 * extra is more top-level configuration. Paced fast: the tests below check
 * the declared pace on their own. */
static uats_code open_rt(const char *base, const char *company, const char *extra,
                         uats_conn **c, uats_error *err)
{
    char config[1024];
    snprintf(config, sizeof config,
             "{\"connector\": \"recruitee\", \"base_url\": \"%s%s\", \"credentials\": "
             "{\"api_key\": \"" KEY "\"}, \"options\": {\"company_id\": \"%s\"}, "
             "\"retry\": {\"base_delay_ms\": 5}%s%s}",
             emu_base_url(emu), base, company, *extra ? ", " : "", extra);
    return uats_conn_open_str(ctx, config, c, err);
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    recruitee_emu_config cfg = {KEY, COMPANY, 0, 10};
    rt = recruitee_emu_install(emu, &cfg);
    ck_assert_ptr_nonnull(rt);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/recruitee", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "recruitee"));
    leaked = false;
    log_lines = 0;
    ck_assert_msg(open_rt("/c/" COMPANY, COMPANY, "\"rate\": {\"per_sec\": 200, \"burst\": 200}",
                          &conn, &err) == UATS_OK, "open: %s", err.text);
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    recruitee_emu_free(rt);
    /* Every test ran at trace level: the token must appear in no line. */
    ck_assert(log_lines > 0);
    ck_assert_msg(!leaked, "the API token appeared in a log line");
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
    "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
    " \"email_addresses\": [{\"value\": \"ada@example.com\"}],"
    " \"phone_numbers\": [{\"value\": \"+44 20 5555 0100\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/ada\", \"type\": \"LINKEDIN\"},"
    " {\"value\": \"https://ada.example.org\"}],"
    " \"application\": {\"job_id\": \"" RECRUITEE_EMU_OFFER "\"}}";

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, KEY));
    ck_assert(!strstr(err->vendor_message, KEY));
}

static uats_object *file_input(const char *name, const char *type, const char *bytes, size_t n)
{
    uats_error err;
    uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(att, UATS_F_FILE_NAME, name, &err), UATS_OK);
    if (type)
        ck_assert_int_eq(uats_set_string(att, UATS_F_ATTACHMENT_TYPE, type, &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, bytes, n, &err), UATS_OK);
    return att;
}

static bool has_warning(uats_warnings *w, const char *field)
{
    for (size_t i = 0; i < uats_warnings_count(w); i++)
        if (uats_warning_field(w, i) && strcmp(uats_warning_field(w, i), field) == 0)
            return true;
    return false;
}

START_TEST(create_get_attach_get)
{
    uats_object *in = input(ada), *created, *fetched, *att;
    uats_warnings *w;
    uats_error err;
    /* A resume sent with the create is uploaded once the candidate exists. */
    uats_object *cv = file_input("ada-cv.pdf", "RESUME", "%PDF\0cv", 7);
    ck_assert_int_eq(uats_add_attachment_input(in, cv, &err), UATS_OK);

    ck_assert_msg(uats_candidate_create(conn, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    /* Recruitee has no CV slot through this upload: the type is warned. */
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert(has_warning(w, "attachments[0].type"));
    uats_warnings_free(w);
    const char *id = uats_get_string(created, UATS_F_ID);
    ck_assert_str_eq(uats_get_string(created, UATS_F_FIRST_NAME), "Ada");
    ck_assert_str_eq(uats_get_string(created, UATS_F_LAST_NAME), "Lovelace");
    ck_assert_uint_eq(uats_list_count(created, UATS_F_APPLICATION_IDS), 1);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_URLS), 2);
    const char *v;
    ck_assert_int_eq(uats_list_typed(created, UATS_F_URLS, 0, &v), UATS_URL_LINKEDIN);
    ck_assert_uint_eq(emu_count(emu, "POST", CANDIDATES), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", ATTACHMENTS), 1);
    /* Recruitee saw what its documentation says it takes. */
    char *target = emu_log_target(emu, 0), *auth = emu_log_header(emu, 0, "Authorization");
    ck_assert_str_eq(target, "/c/" COMPANY "/candidates");
    ck_assert_str_eq(auth, "Bearer " KEY);
    free(target);
    free(auth);
    size_t len;
    char *sent = emu_log_body(emu, 0, &len);
    json_t *body = json_loadb(sent, len, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(body, "candidate"),
                                                       "name")), "Ada Lovelace");
    ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(body, "offers"), 0)),
                     1001);
    json_decref(body);
    free(sent);
    json_t *stored = recruitee_emu_candidate(rt, id);
    json_t *placement = json_array_get(json_object_get(stored, "placements"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(placement, "offer_id")), 1001);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(stored, "emails"), 0)),
                     "ada@example.com");
    json_decref(stored);

    uats_object *cover = file_input("letter.txt", NULL, "Dear team", 9);
    ck_assert_int_eq(uats_set_string(cover, UATS_F_CONTENT_TYPE, "text/plain", &err), UATS_OK);
    ck_assert_msg(uats_attachment_add(conn, id, cover, &att, &w, &err) == UATS_OK, "attach: %s",
                  err.text);
    ck_assert_uint_eq(uats_warnings_count(w), 0);
    uats_warnings_free(w);
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "letter.txt");
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "OTHER");
    ck_assert_str_eq(uats_get_string(att, UATS_F_CANDIDATE_ID), id);
    ck_assert_str_eq(uats_get_string(att, UATS_F_CONTENT_TYPE), "text/plain");
    ck_assert_uint_eq(recruitee_emu_attachment_count(rt), 2);

    ck_assert_int_eq(uats_candidate_get(conn, id, &fetched, &err), UATS_OK);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 1),
                     uats_get_string(att, UATS_F_ID));
    const char *email;
    uats_list_typed(fetched, UATS_F_EMAIL_ADDRESSES, 0, &email);
    ck_assert_str_eq(email, "ada@example.com");
    ck_assert_ptr_nonnull(uats_get_string(fetched, UATS_F_REMOTE_CREATED_AT));
    const json_t *raw = uats_get_json(fetched, UATS_F_REMOTE_DATA);
    ck_assert_str_eq(json_string_value(json_object_get(raw, "source")), "manual");
    /* Still one create. */
    ck_assert_uint_eq(emu_count(emu, "POST", CANDIDATES), 1);

    uats_object_free(fetched);
    uats_object_free(att);
    uats_object_free(cover);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

/* A file given by URL is downloaded by the core and uploaded as bytes. */
static void serve_file(const emu_request *req, emu_response *resp, void *ud)
{
    (void)req;
    (void)ud;
    emu_resp_body(resp, 200, "application/pdf", "%PDF-1.4 remote", 15);
}

START_TEST(a_file_given_by_url_is_uploaded)
{
    uats_object *in = input("{\"first_name\": \"Grace\"}"), *created, *att;
    uats_error err;
    char url[256];
    ck_assert_int_eq(emu_route(emu, "GET", "/files/cv.pdf", serve_file, NULL), 0);
    ck_assert_int_eq(uats_candidate_create(conn, in, &created, NULL, &err), UATS_OK);
    uats_object *byurl = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    snprintf(url, sizeof url, "%s/files/cv.pdf", emu_base_url(emu));
    ck_assert_int_eq(uats_set_string(byurl, UATS_F_FILE_NAME, "cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(byurl, UATS_F_URL, url, &err), UATS_OK);
    ck_assert_msg(uats_attachment_add(conn, uats_get_string(created, UATS_F_ID), byurl, &att,
                                      NULL, &err) == UATS_OK, "attach: %s", err.text);
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "cv.pdf");
    /* The download carried no credentials. */
    for (size_t i = 0; i < emu_log_count(emu); i++) {
        char *t = emu_log_target(emu, i), *a = emu_log_header(emu, i, "Authorization");
        if (strcmp(t, "/files/cv.pdf") == 0)
            ck_assert_ptr_null(a);
        free(t);
        free(a);
    }
    uats_object_free(att);
    uats_object_free(byurl);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(the_company_id_makes_the_path)
{
    uats_conn *c;
    uats_error err;
    uats_object *in = input("{\"first_name\": \"Ada\"}"), *out;
    /* A base URL without the company gets /c/{company_id}. */
    ck_assert_int_eq(open_rt("", COMPANY, "", &c, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(c, in, &out, NULL, &err), UATS_OK);
    char *target = emu_log_target(emu, 0);
    ck_assert_str_eq(target, "/c/" COMPANY "/candidates");
    free(target);
    uats_object_free(out);
    uats_conn_close(c);
    /* One that names another company is refused before anything is sent. */
    ck_assert_int_eq(open_rt("/c/999", COMPANY, "", &c, &err), UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "999"));
    ck_assert_int_eq(open_rt("", "../x", "", &c, &err), UATS_E_CONFIG);
    /* company_id is required. */
    char config[512];
    snprintf(config, sizeof config, "{\"connector\": \"recruitee\", \"base_url\": \"%s\", "
             "\"credentials\": {\"api_key\": \"" KEY "\"}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_E_CONFIG);
    /* A company the token does not belong to: Recruitee's 403. */
    ck_assert_int_eq(open_rt("/c/777", "777", "", &c, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(c, "1", &out, &err), UATS_E_FORBIDDEN);
    ck_assert_str_eq(err.vendor_message, "Forbidden");
    uats_conn_close(c);
    ck_assert_uint_eq(emu_count(emu, "POST", CANDIDATES), 1);
    uats_object_free(in);
}
END_TEST

START_TEST(vendor_errors_keep_recruitees_message)
{
    uats_object *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(conn, "99999999", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "Not found");
    ck_assert_str_eq(err.connector, "recruitee");
    /* Not a Recruitee id: not found, nothing sent. */
    size_t before = emu_log_count(emu);
    ck_assert_int_eq(uats_candidate_get(conn, "../admins", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_log_count(emu), before);
    /* Recruitee's validation: its words, and the unified field at fault. */
    uats_object *in = input("{\"first_name\": \"Ada\", \"remote_fields\": {\"emails\": "
                            "[\"not-an-address\"]}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_int_eq(err.http_status, 422);
    ck_assert_str_eq(err.vendor_message, "Emails is invalid");
    ck_assert_str_eq(err.field, "email_addresses");
    uats_object_free(in);
    in = input("{\"first_name\": \"Ada\", \"application\": {\"job_id\": \"4242\"}}");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.field, "application.job_id");
    uats_object_free(in);
    /* An upload to a candidate that does not exist. */
    uats_object *att = file_input("f.txt", NULL, "x", 1);
    ck_assert_int_eq(uats_attachment_add(conn, "99999999", att, &out, NULL, &err),
                     UATS_E_VALIDATION);
    ck_assert_str_eq(err.vendor_message, "Candidate does not exist");
    uats_object_free(att);
    /* A wrong token. */
    uats_conn *wrong;
    char config[512];
    snprintf(config, sizeof config, "{\"connector\": \"recruitee\", \"base_url\": \"%s/c/"
             COMPANY "\", \"credentials\": {\"api_key\": \"nope\"}, \"options\": "
             "{\"company_id\": \"" COMPANY "\"}}", emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &wrong, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(wrong, "1", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "Token not found.");
    uats_conn_close(wrong);
    assert_no_secret(&err);
}
END_TEST

START_TEST(create_uploads_that_fail_are_warnings_not_failures)
{
    uats_object *in = input("{\"first_name\": \"Ada\"}"), *out;
    uats_warnings *w;
    uats_error err;
    uats_object *a = file_input("a.txt", NULL, "a", 1), *b = file_input("b.txt", NULL, "b", 1);
    ck_assert_int_eq(uats_add_attachment_input(in, a, &err), UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, b, &err), UATS_OK);
    emu_fault boom = {.kind = EMU_FAULT_STATUS, .status = 500,
                      .body = "{\"error\": \"Internal error\"}"};
    ck_assert_int_eq(emu_fault_push(emu, "POST", ATTACHMENTS, &boom), 0);
    ck_assert_msg(uats_candidate_create(conn, in, &out, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert(has_warning(w, "attachments[0]"));
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_uint_eq(uats_list_count(out, UATS_F_ATTACHMENT_IDS), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", CANDIDATES), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", ATTACHMENTS), 2);
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(in);
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

#define EXTRA "{\"candidate\": {\"id\": 77, \"name\": \"Ada Extra\", \"emails\": [], " \
              "\"futureField\": {\"nested\": true}}, \"attachment\": {\"id\": 78, " \
              "\"filename\": \"f.txt\", \"futureField\": 1}}"

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401, .body = "{\"error\": \"Unauthorized\"}"},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH, "Unauthorized"},
    {"400 invalid_token", {.kind = EMU_FAULT_STATUS, .status = 400,
                           .body = "{\"error\": \"Token not found.\", \"error_code\": "
                                   "\"invalid_token\"}"},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH, "Token not found."},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403, .body = "{\"error\": [\"Forbidden\"]}"},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, "Forbidden"},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = "{\"error\": \"Not found\"}"},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, "Not found"},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422,
             .body = "{\"error\": [\"Emails is invalid\", \"Name can't be blank\"], "
                     "\"error_fields\": {\"emails\": [\"is invalid\"]}}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION,
     "Emails is invalid; Name can't be blank"},
    {"429 + Retry-After seconds", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                                   .body = "{\"error\": \"Too many requests\"}"},
     UATS_OK, UATS_OK, UATS_OK, NULL},
    {"429 + Retry-After date", {.kind = EMU_FAULT_STATUS, .status = 429,
                                .retry_after = "Wed, 21 Oct 2015 07:28:00 GMT"},
     UATS_OK, UATS_OK, UATS_OK, NULL},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = "{\"error\": \"boom\"}"},
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
                     .body = "{\"candidate\": {\"id\": \"77\", \"name\": [\"Ada\"]}, "
                             "\"attachment\": {\"id\": \"78\"}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"missing required keys", {.kind = EMU_FAULT_STATUS, .status = 200,
                               .body = "{\"candidate\": {}, \"attachment\": {}}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN, NULL},
    {"not an envelope", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "[1, 2, 3]"},
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
        rc = uats_attachment_add(conn, id, att = file_input("f.txt", NULL, "x", 1), &out, NULL,
                                 &err);
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
        size_t before = recruitee_emu_candidate_count(rt);
        one(fc, "create", "POST", CANDIDATES, fc->create, seed_in, id);
        /* However the create ended, the vendor holds at most one more. */
        ck_assert_uint_le(recruitee_emu_candidate_count(rt), before + 1);
        one(fc, "get", "GET", CANDIDATE, fc->get, seed_in, id);
        one(fc, "attach", "POST", ATTACHMENTS, fc->attach, seed_in, id);
    }
    /* Extra keys Recruitee may add tomorrow are ignored, on every hook. */
    fault_case tolerant = {"extra keys", {.kind = EMU_FAULT_STATUS, .status = 200, .body = EXTRA},
                           UATS_OK, UATS_OK, UATS_OK, NULL};
    one(&tolerant, "get", "GET", CANDIDATE, UATS_OK, seed_in, id);
    one(&tolerant, "attach", "POST", ATTACHMENTS, UATS_OK, seed_in, id);
    ck_assert_int_eq(emu_fault_push(emu, "POST", CANDIDATES, &tolerant.fault), 0);
    uats_object *out;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &out, NULL, &err), UATS_OK);
    ck_assert_str_eq(uats_get_string(out, UATS_F_FIRST_NAME), "Ada");
    ck_assert_str_eq(uats_get_string(out, UATS_F_ID), "77");
    uats_object_free(out);
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(connection_refused_on_every_hook)
{
    char config[512];
    uats_conn *dead;
    uats_error err;
    uats_object *in = input(ada), *out, *att = file_input("f.txt", NULL, "x", 1);
    snprintf(config, sizeof config, "{\"connector\": \"recruitee\", \"base_url\": "
             "\"http://127.0.0.1:%u\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"options\": {\"company_id\": \"" COMPANY "\"}, \"retry\": {\"base_delay_ms\": 5}}",
             emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
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
    uats_object *in = input(ada), *out;
    uats_error err;
    uats_conn *quick;
    ck_assert_int_eq(open_rt("/c/" COMPANY, COMPANY, "\"timeouts\": {\"total_ms\": 300}", &quick,
                             &err), UATS_OK);
    /* Recruitee created it, but the answer came too late: unknown, not
     * retried. */
    emu_fault late = {.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1200};
    ck_assert_int_eq(emu_fault_push(emu, "POST", CANDIDATES, &late), 0);
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", CANDIDATES), 1);
    ck_assert_uint_eq(recruitee_emu_candidate_count(rt), 1);
    /* A read in the same situation is simply asked again. */
    ck_assert_int_eq(emu_fault_push(emu, "GET", CANDIDATE, &late), 0);
    ck_assert_int_eq(uats_candidate_get(quick, "99999999", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_uint_eq(emu_count(emu, "GET", CANDIDATE), 2);
    uats_conn_close(quick);

    /* Nothing listens behind a full accept queue: the create is never sent. */
    unsigned port;
    emu_blackhole *bh = emu_blackhole_open(&port);
    char config[512];
    uats_conn *dead;
    snprintf(config, sizeof config, "{\"connector\": \"recruitee\", \"base_url\": "
             "\"http://127.0.0.1:%u\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"options\": {\"company_id\": \"" COMPANY "\"}, \"timeouts\": {\"connect_ms\": "
             "200}, \"retry\": {\"max_attempts\": 2, \"base_delay_ms\": 5}}", port);
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TIMEOUT);
    ck_assert_int_eq(uats_candidate_get(dead, "1", &out, &err), UATS_E_TIMEOUT);
    uats_object *att = file_input("f.txt", NULL, "x", 1);
    ck_assert_int_eq(uats_attachment_add(dead, "1", att, &out, NULL, &err), UATS_E_TIMEOUT);
    uats_object_free(att);
    uats_conn_close(dead);
    emu_blackhole_close(bh);
    uats_object_free(in);
}
END_TEST

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(recruitees_429_is_waited_out)
{
    /* A Recruitee that allows one request a second, and a connection told
     * to go faster than that: the second read meets Recruitee's 429 with
     * Retry-After, and the core waits and asks again. */
    emu_server *limited = emu_start();
    recruitee_emu_config cfg = {KEY, COMPANY, 1, 1};
    recruitee_emu *r2 = recruitee_emu_install(limited, &cfg);
    char config[512];
    uats_conn *c;
    uats_error err;
    uats_object *out;
    snprintf(config, sizeof config, "{\"connector\": \"recruitee\", \"base_url\": \"%s\", "
             "\"credentials\": {\"api_key\": \"" KEY "\"}, \"options\": {\"company_id\": \""
             COMPANY "\"}, \"rate\": {\"per_sec\": 100, \"burst\": 100}}", emu_base_url(limited));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(c, "99999999", &out, &err), UATS_E_NOT_FOUND);
    double t0 = now_s();
    ck_assert_int_eq(uats_candidate_get(c, "99999999", &out, &err), UATS_E_NOT_FOUND);
    ck_assert(now_s() - t0 >= 0.5);
    ck_assert_uint_eq(emu_count(limited, "GET", CANDIDATE), 3);
    uats_conn_close(c);
    emu_stop(limited);
    recruitee_emu_free(r2);
}
END_TEST

START_TEST(declared_pace_meets_no_429)
{
    /* A Recruitee enforcing 5/s with a bucket of 10: 25 reads in a row meet
     * no 429, at the connector's own declared pace (4/s, burst 10). */
    emu_server *limited = emu_start();
    recruitee_emu_config cfg = {KEY, COMPANY, 5, 10};
    recruitee_emu *r2 = recruitee_emu_install(limited, &cfg);
    char config[512];
    uats_conn *c;
    uats_error err;
    snprintf(config, sizeof config, "{\"connector\": \"recruitee\", \"base_url\": \"%s\", "
             "\"credentials\": {\"api_key\": \"" KEY "\"}, \"options\": {\"company_id\": \""
             COMPANY "\"}, \"retry\": {\"max_attempts\": 1}}", emu_base_url(limited));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_OK);
    for (int i = 0; i < 25; i++) {
        uats_object *out;
        uats_code rc = uats_candidate_get(c, "99999999", &out, &err);
        ck_assert_msg(rc == UATS_E_NOT_FOUND, "call %d: %s", i, err.text);
    }
    uats_conn_close(c);
    emu_stop(limited);
    recruitee_emu_free(r2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("recruitee");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, a_file_given_by_url_is_uploaded);
    tcase_add_test(tc, the_company_id_makes_the_path);
    tcase_add_test(tc, vendor_errors_keep_recruitees_message);
    tcase_add_test(tc, create_uploads_that_fail_are_warnings_not_failures);
    tcase_add_test(tc, fault_matrix_on_every_hook);
    tcase_add_test(tc, connection_refused_on_every_hook);
    tcase_add_test(tc, timeouts_before_and_after_sending);
    tcase_add_test(tc, recruitees_429_is_waited_out);
    tcase_add_test(tc, declared_pace_meets_no_429);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
