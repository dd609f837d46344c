/*
 * tests/check_eightfold.c: the Eightfold connector end to end: the built
 * eightfold.so, loaded by libuats, through real libcurl, against the
 * Eightfold emulator on 127.0.0.1. The password-grant token; create -> get
 * -> add attachment -> get, each write followed through its transaction;
 * FAIL and a transaction that does not finish; a lost create answer
 * checked by the caller's id, never resent; vendor errors with Eightfold's
 * words; the fault matrix on every hook; 429 and Retry-After; secrets
 * absent from every log line at trace level.
 */
#include <pthread.h>

#include "eightfold_emu.h"
#include "emu.h"
#include "testutil.h"

#define CLIENT "ef-client-7"
#define SECRET "ef-client-secret-that-must-not-leak"
#define USER "api.user@example.com"
#define KEY "ef-api-key-that-must-not-leak"
#define SYS "acme_ats"
#define BASE "/api/v2/core/ats-systems/:sys/ats-candidates"
#define CREATE_ROUTE BASE
#define GET_ROUTE BASE "/:id"
#define TXN_ROUTE "/api/v2/core/transactions/:id"

static emu_server *emu;
static eightfold_emu *ef;
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
    if (strstr(message, SECRET) || strstr(message, KEY) || strstr(message, "ef-token-"))
        leaked = true;
    pthread_mutex_unlock(&log_lock);
}

static void on_file(const emu_request *req, emu_response *resp, void *ud)
{
    (void)req;
    (void)ud;
    emu_resp_body(resp, 200, "text/plain", "downloaded CV", 13);
}

static uats_conn *open_ef(const char *password, const char *extra)
{
    char config[1024];
    uats_conn *c = NULL;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"eightfold\", \"base_url\": \"%s\", \"credentials\": "
             "{\"client_id\": \"" CLIENT "\", \"client_secret\": \"" SECRET "\", \"username\": "
             "\"" USER "\", \"password\": \"%s\"}, \"options\": {\"system_id\": \"" SYS "\"%s}, "
             "\"retry\": {\"base_delay_ms\": 5}}",
             emu_base_url(emu), password, extra);
    ck_assert_msg(uats_conn_open_str(ctx, config, &c, &err) == UATS_OK, "open: %s", err.text);
    return c;
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    eightfold_emu_config cfg = {CLIENT, SECRET, USER, KEY, SYS, 0, 0, false, 0};
    ef = eightfold_emu_install(emu, &cfg);
    ck_assert_ptr_nonnull(ef);
    ck_assert_int_eq(emu_route(emu, "GET", "/files/cv.txt", on_file, NULL), 0);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/eightfold", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "eightfold"));
    leaked = false;
    log_lines = 0;
    conn = open_ef(KEY, "");
}

static void teardown(void)
{
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    emu_stop(emu);
    eightfold_emu_free(ef);
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

static const char ada_fmt[] =
    "{\"id\": \"%s\", \"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"title\": \"Analyst\","
    " \"email_addresses\": [{\"value\": \"ada@example.com\"}],"
    " \"phone_numbers\": [{\"value\": \"+44 20 5555 0100\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/ada\", \"type\": \"LINKEDIN\"}],"
    " \"tags\": [\"math\"], \"skills\": [\"C\"], \"locations\": [\"London\"],"
    " \"contact_consent\": \"all\", \"visa_statuses\": [\"uk_citizen\"],"
    " \"education\": [{\"school\": \"Home\", \"start_date\": \"1990-01-01\"}],"
    " \"experience\": [{\"title\": \"Analyst\", \"company\": \"Engines Ltd\","
    "   \"start_date\": \"1970-01-02\", \"is_current\": true}],"
    " \"application\": {\"job_id\": \"" EIGHTFOLD_EMU_JOB "\", \"source\": \"applicant\"}}";

static uats_object *ada(const char *id)
{
    char text[2048];
    snprintf(text, sizeof text, ada_fmt, id);
    return input(text);
}

static uats_object *attachment(const char *name, const char *text)
{
    uats_error err;
    uats_object *a = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(a, UATS_F_FILE_NAME, name, &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(a, UATS_F_ATTACHMENT_TYPE, "COVER_LETTER", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(a, text, strlen(text), &err), UATS_OK);
    return a;
}

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, SECRET) && !strstr(err->text, KEY));
    ck_assert(!strstr(err->vendor_message, SECRET) && !strstr(err->vendor_message, KEY));
}

START_TEST(create_get_attach_get)
{
    uats_object *in = ada("cand-1"), *created, *fetched, *att = NULL, *resume;
    uats_warnings *w;
    uats_error err;
    resume = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_int_eq(uats_set_string(resume, UATS_F_FILE_NAME, "ada-cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(resume, UATS_F_ATTACHMENT_TYPE, "RESUME", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(resume, "%PDF\0cv", 7, &err), UATS_OK);
    ck_assert_int_eq(uats_add_attachment_input(in, resume, &err), UATS_OK);
    ck_assert_msg(uats_candidate_create(conn, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_msg(uats_warnings_count(w) == 0, "warnings");
    uats_warnings_free(w);
    ck_assert_str_eq(uats_get_string(created, UATS_F_ID), "cand-1");
    ck_assert_str_eq(uats_get_string(created, UATS_F_TITLE), "Analyst");
    ck_assert_str_eq(uats_get_string(created, UATS_F_COMPANY), "Engines Ltd");
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_APPLICATION_IDS), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), 1);
    ck_assert_uint_ge(emu_count(emu, "GET", TXN_ROUTE), 1);
    /* The token: the password grant, as a form, once. */
    bool json;
    char *body = eightfold_emu_last_token_body(ef, &json);
    ck_assert(!json);
    ck_assert_ptr_nonnull(strstr(body, "grant_type=password"));
    free(body);
    ck_assert_uint_eq(eightfold_emu_tokens_issued(ef), 1);

    /* A cover letter: a PATCH carrying both files. */
    uats_object *cover = attachment("letter.txt", "Dear team");
    ck_assert_msg(uats_attachment_add(conn, "cand-1", cover, &att, NULL, &err) == UATS_OK,
                  "attach: %s", err.text);
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "letter.txt");
    ck_assert_str_eq(uats_get_string(att, UATS_F_CANDIDATE_ID), "cand-1");
    int64_t size;
    ck_assert(uats_get_int(att, UATS_F_SIZE, &size) && size == 9);
    json_t *last = eightfold_emu_last_write(ef);
    ck_assert_uint_eq(json_array_size(json_object_get(last, "attachments")), 2);
    json_decref(last);
    /* The same file again (a retry): nothing sent, the same id. */
    uats_object *again = NULL;
    size_t patches = emu_count(emu, "PATCH", GET_ROUTE);
    ck_assert_int_eq(uats_attachment_add(conn, "cand-1", cover, &again, NULL, &err), UATS_OK);
    ck_assert_uint_eq(emu_count(emu, "PATCH", GET_ROUTE), patches);
    ck_assert_str_eq(uats_get_string(again, UATS_F_ID), uats_get_string(att, UATS_F_ID));

    ck_assert_int_eq(uats_candidate_get(conn, "cand-1", &fetched, &err), UATS_OK);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 1),
                     uats_get_string(att, UATS_F_ID));
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_TAGS, 0), "math");
    ck_assert_str_eq(uats_get_string(fetched, UATS_F_CONTACT_CONSENT), "all");

    /* A file given by URL is fetched and sent inline. */
    uats_object *byurl = uats_object_new(UATS_KIND_ATTACHMENT_INPUT), *fromurl;
    char url[256];
    snprintf(url, sizeof url, "%s/files/cv.txt", emu_base_url(emu));
    ck_assert_int_eq(uats_set_string(byurl, UATS_F_FILE_NAME, "cv.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(byurl, UATS_F_URL, url, &err), UATS_OK);
    ck_assert_msg(uats_attachment_add(conn, "cand-1", byurl, &fromurl, NULL, &err) == UATS_OK,
                  "by url: %s", err.text);
    ck_assert(uats_get_int(fromurl, UATS_F_SIZE, &size) && size == 13);
    uats_object_free(fromurl);
    uats_object_free(byurl);

    /* A candidate that is not there. */
    uats_object *none = NULL;
    ck_assert_int_eq(uats_attachment_add(conn, "nobody", cover, &none, NULL, &err),
                     UATS_E_NOT_FOUND);
    uats_object_free(again);
    uats_object_free(cover);
    uats_object_free(att);
    uats_object_free(fetched);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(the_id_is_required_and_nothing_is_sent_without_it)
{
    uats_object *in = input("{\"first_name\": \"Ada\", \"email_addresses\": [{\"value\": "
                            "\"a@example.com\"}]}"), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err.field, "id");
    ck_assert_uint_eq(emu_log_count(emu), 0);
    uats_object_free(in);
}
END_TEST

START_TEST(transactions_fail_pass_late_and_unfinished)
{
    uats_object *in = ada("cand-t1"), *out = NULL;
    uats_error err;
    /* FAIL: a validation error, and nothing took effect. */
    eightfold_emu_fail_next(ef);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_str_eq(err.vendor_message, "FAIL");
    ck_assert_ptr_nonnull(strstr(err.text, "txn-"));
    uats_object_free(in);
    /* IN PROGRESS for a while, then PASS within the wait. */
    eightfold_emu_set_delay(ef, 600);
    in = ada("cand-t2");
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_OK);
    ck_assert_uint_ge(emu_count(emu, "GET", TXN_ROUTE), 2);
    uats_object_free(out);
    uats_object_free(in);
    /* Longer than the wait: it may still pass, so not known. */
    uats_conn *quick = open_ef(KEY, ", \"transaction_wait_ms\": \"300\"");
    eightfold_emu_set_delay(ef, 5000);
    in = ada("cand-t3");
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_ptr_nonnull(strstr(err.text, "txn-"));
    uats_object_free(in);
    uats_conn_close(quick);
    /* A bad option value is refused at open. */
    char config[512];
    snprintf(config, sizeof config, "{\"connector\": \"eightfold\", \"base_url\": \"%s\", "
             "\"credentials\": {\"token\": \"t\"}, \"options\": {\"system_id\": \"s\", "
             "\"transaction_wait_ms\": \"soon\"}}", emu_base_url(emu));
    ck_assert_int_ne(uats_conn_open_str(ctx, config, &quick, &err), UATS_OK);
    ck_assert_int_eq(err.code, UATS_E_CONFIG);
    snprintf(config, sizeof config, "{\"connector\": \"eightfold\", \"credentials\": {\"token\": "
             "\"t\"}, \"options\": {\"system_id\": \"s\", \"region\": \"evil.example/\"}}");
    ck_assert_int_ne(uats_conn_open_str(ctx, config, &quick, &err), UATS_OK);
    ck_assert_ptr_nonnull(strstr(err.text, "region"));
    /* A known region builds the host: nothing is sent by opening. */
    snprintf(config, sizeof config, "{\"connector\": \"eightfold\", \"credentials\": {\"token\": "
             "\"t\"}, \"options\": {\"system_id\": \"s\", \"region\": \"eightfold-eu\"}}");
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &quick, &err), UATS_OK);
    uats_conn_close(quick);
    snprintf(config, sizeof config, "{\"connector\": \"eightfold\", \"options\": "
             "{\"system_id\": \"s\"}}");
    ck_assert_int_ne(uats_conn_open_str(ctx, config, &quick, &err), UATS_OK);
    ck_assert_int_eq(err.code, UATS_E_CONFIG);
}
END_TEST

START_TEST(vendor_errors_and_auth)
{
    uats_object *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_get(conn, "nosuch", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "ATS candidate not found");
    ck_assert_str_eq(err.connector, "eightfold");
    /* Another ATS system than the user may use. */
    uats_conn *other;
    char config[1024];
    snprintf(config, sizeof config,
             "{\"connector\": \"eightfold\", \"base_url\": \"%s\", \"credentials\": "
             "{\"client_id\": \"" CLIENT "\", \"client_secret\": \"" SECRET "\", \"username\": "
             "\"" USER "\", \"password\": \"" KEY "\"}, \"options\": {\"system_id\": \"hr2\"}}",
             emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &other, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(other, "x", &out, &err), UATS_E_FORBIDDEN);
    ck_assert_str_eq(err.vendor_message, "No permission for ats_candidate in system hr2");
    uats_conn_close(other);
    /* A wrong API key: the token call's refusal, in its words; no data call. */
    uats_conn *wrong = open_ef("wrong-key", "");
    size_t gets = emu_count(emu, "GET", GET_ROUTE);
    ck_assert_int_eq(uats_candidate_get(wrong, "x", &out, &err), UATS_E_AUTH);
    ck_assert_str_eq(err.vendor_message, "Invalid username or API key");
    ck_assert_uint_eq(emu_count(emu, "GET", GET_ROUTE), gets);
    uats_conn_close(wrong);
    /* A revoked token: renewed once after the 401. */
    ck_assert_int_eq(uats_candidate_get(conn, "nosuch", &out, &err), UATS_E_NOT_FOUND);
    unsigned issued = eightfold_emu_tokens_issued(ef);
    eightfold_emu_revoke_tokens(ef);
    ck_assert_int_eq(uats_candidate_get(conn, "nosuch", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_uint_eq(eightfold_emu_tokens_issued(ef), issued + 1);
    assert_no_secret(&err);
}
END_TEST

START_TEST(a_lost_create_answer_is_checked_by_id_never_resent)
{
    uats_object *in = ada("cand-lost"), *out = NULL;
    uats_error err;
    /* Eightfold processed it, the answer was cut: the GET by id finds it
     * as sent, so the create succeeded. */
    emu_fault cut = {.kind = EMU_FAULT_TRUNCATE};
    ck_assert_int_eq(emu_fault_push(emu, "POST", CREATE_ROUTE, &cut), 0);
    ck_assert_msg(uats_candidate_create(conn, in, &out, NULL, &err) == UATS_OK, "%s", err.text);
    ck_assert_str_eq(uats_get_string(out, UATS_F_ID), "cand-lost");
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), 1);
    uats_object_free(out);
    uats_object_free(in);
    /* Never processed (502): not there, so not known; still one POST. */
    in = ada("cand-lost2");
    emu_fault bad = {.kind = EMU_FAULT_HTML, .status = 502};
    ck_assert_int_eq(emu_fault_push(emu, "POST", CREATE_ROUTE, &bad), 0);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), 2);
    ck_assert_ptr_null(eightfold_emu_candidate(ef, "cand-lost2"));
    uats_object_free(in);
    /* The check by id meets a 401 and the token renewal is refused: the
     * host must still hear "outcome unknown" (the create may have
     * happened), not "auth", after which it would create again. */
    in = ada("cand-lost3");
    emu_fault refused = {.kind = EMU_FAULT_STATUS, .status = 401,
                         .body = "{\"errors\": [{\"message\": \"expired\"}]}"};
    emu_fault no_token = {.kind = EMU_FAULT_STATUS, .status = 401,
                          .body = "{\"error\": \"invalid_client\"}"};
    ck_assert_int_eq(emu_fault_push(emu, "POST", CREATE_ROUTE, &bad), 0);
    ck_assert_int_eq(emu_fault_push(emu, "GET", CREATE_ROUTE "/:id", &refused), 0);
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/oauth/v1/authenticate", &no_token), 0);
    size_t tokens = emu_count(emu, "POST", "/oauth/v1/authenticate");
    uats_code rc = uats_candidate_create(conn, in, &out, NULL, &err);
    ck_assert_msg(rc == UATS_E_OUTCOME_UNKNOWN, "%s: %s", uats_code_name(rc), err.text);
    /* The renewal was really tried (and refused). */
    ck_assert_uint_eq(emu_count(emu, "POST", "/oauth/v1/authenticate"), tokens + 1);
    emu_fault_clear(emu);
    uats_object_free(in);
}
END_TEST

typedef struct fault_case {
    const char *name;
    emu_fault fault;
    uats_code write, get; /* write: create and add attachment */
    const char *vendor_message;
} fault_case;

#define ERR(m) "{\"errors\": [{\"message\": \"" m "\"}]}"

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401, .body = ERR("Invalid token")},
     UATS_E_AUTH, UATS_E_AUTH, "Invalid token"},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403, .body = ERR("Missing ats_candidate:WRITE")},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, "Missing ats_candidate:WRITE"},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = ERR("Not found")},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, "Not found"},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422, .body = ERR("firstName is required")},
     UATS_E_VALIDATION, UATS_E_VALIDATION, "firstName is required"},
    {"429 + Retry-After", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                           .body = ERR("Too many requests")}, UATS_OK, UATS_OK, NULL},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = ERR("boom")},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, "boom"},
    {"502 HTML", {.kind = EMU_FAULT_HTML, .status = 502}, UATS_E_OUTCOME_UNKNOWN, UATS_OK, NULL},
    {"503", {.kind = EMU_FAULT_STATUS, .status = 503}, UATS_OK, UATS_OK, NULL},
    {"dropped connection", {.kind = EMU_FAULT_DROP}, UATS_E_OUTCOME_UNKNOWN, UATS_OK, NULL},
    {"invalid JSON", {.kind = EMU_FAULT_INVALID_JSON}, UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR,
     NULL},
    {"oversized body", {.kind = EMU_FAULT_OVERSIZED, .size = 9u << 20},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_TOO_LARGE, NULL},
    {"invalid UTF-8", {.kind = EMU_FAULT_INVALID_UTF8}, UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR,
     NULL},
    {"wrong types", {.kind = EMU_FAULT_STATUS, .status = 200,
                     .body = "{\"transactionId\": 12345, \"candidateId\": 7, \"firstName\": [1]}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, NULL},
    {"not an object", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "[1, 2, 3]"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, NULL},
};

static void one(const fault_case *fc, const char *hook, const char *method, const char *route,
                uats_code want)
{
    uats_object *out = NULL, *in = NULL;
    uats_error err;
    uats_code rc;
    static unsigned n;
    char tag[32];
    snprintf(tag, sizeof tag, "fault-%u", ++n);
    /* An OAuth connection renews its token once after a 401. */
    bool is401 = fc->fault.kind == EMU_FAULT_STATUS && fc->fault.status == 401;
    for (int i = 0; i < (is401 ? 2 : 1); i++)
        ck_assert_int_eq(emu_fault_push(emu, method, route, &fc->fault), 0);
    size_t before = emu_count(emu, method, route);
    if (strcmp(hook, "create") == 0)
        rc = uats_candidate_create(conn, in = ada(tag), &out, NULL, &err);
    else if (strcmp(hook, "attach") == 0)
        rc = uats_attachment_add(conn, "seed", in = attachment("f.txt", tag), &out, NULL, &err);
    else
        rc = uats_candidate_get(conn, "seed", &out, &err);
    size_t sent = emu_count(emu, method, route) - before;
    ck_assert_msg(rc == want, "%s on %s: %s, expected %s (%s)", fc->name, hook,
                  uats_code_name(rc), uats_code_name(want), err.text);
    if (rc != UATS_OK) {
        ck_assert_int_eq(err.code, rc);
        if (fc->vendor_message)
            ck_assert_str_eq(err.vendor_message, fc->vendor_message);
    }
    /* A write goes out once; twice only when Eightfold turned it away
     * unprocessed (429, 503, and a 401 the token renewal answers). */
    bool refused = fc->fault.kind == EMU_FAULT_STATUS &&
                   (fc->fault.status == 429 || fc->fault.status == 503 || is401);
    if (strcmp(method, "GET") != 0)
        ck_assert_msg(sent == (refused ? 2u : 1u), "%s on %s: %zu writes", fc->name, hook, sent);
    assert_no_secret(&err);
    uats_object_free(out);
    uats_object_free(in);
    emu_fault_clear(emu);
}

START_TEST(fault_matrix_on_every_hook)
{
    uats_object *seed_in = ada("seed"), *seed;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(conn, seed_in, &seed, NULL, &err), UATS_OK);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        const fault_case *fc = &matrix[i];
        one(fc, "create", "POST", CREATE_ROUTE, fc->write);
        one(fc, "get", "GET", GET_ROUTE, fc->get);
        one(fc, "attach", "PATCH", GET_ROUTE, fc->write);
    }
    /* The transaction poll failing after an accepted write: not known. */
    emu_fault boom = {.kind = EMU_FAULT_STATUS, .status = 500, .body = ERR("boom")};
    ck_assert_int_eq(emu_fault_push(emu, "GET", TXN_ROUTE, &boom), 0);
    uats_object *in = ada("cand-txn500"), *out = NULL;
    size_t posts = emu_count(emu, "POST", CREATE_ROUTE);
    ck_assert_int_eq(uats_candidate_create(conn, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", CREATE_ROUTE), posts + 1);
    uats_object_free(in);
    /* Keys Eightfold may add tomorrow are ignored. */
    emu_fault extra = {.kind = EMU_FAULT_STATUS, .status = 200,
                       .body = "{\"candidateId\": \"seed\", \"firstName\": \"Ada\", "
                               "\"futureField\": {\"nested\": true}}"};
    ck_assert_int_eq(emu_fault_push(emu, "GET", GET_ROUTE, &extra), 0);
    ck_assert_int_eq(uats_candidate_get(conn, "seed", &out, &err), UATS_OK);
    uats_object_free(out);
    uats_object_free(seed);
    uats_object_free(seed_in);
}
END_TEST

START_TEST(rate_limit_429_and_retry_after_are_honoured)
{
    /* An Eightfold that allows 3 requests a second and answers 429 with
     * Retry-After: the core waits and every call gets its answer. */
    emu_server *limited = emu_start();
    eightfold_emu_config cfg = {CLIENT, SECRET, USER, KEY, SYS, 0, 0, false, 3};
    eightfold_emu *e2 = eightfold_emu_install(limited, &cfg);
    char config[1024];
    uats_conn *c;
    uats_error err;
    snprintf(config, sizeof config,
             "{\"connector\": \"eightfold\", \"base_url\": \"%s\", \"credentials\": "
             "{\"client_id\": \"" CLIENT "\", \"client_secret\": \"" SECRET "\", \"username\": "
             "\"" USER "\", \"password\": \"" KEY "\"}, \"options\": {\"system_id\": \"" SYS "\"}}",
             emu_base_url(limited));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &c, &err), UATS_OK);
    for (int i = 0; i < 7; i++) {
        uats_object *out;
        uats_code rc = uats_candidate_get(c, "missing", &out, &err);
        ck_assert_msg(rc == UATS_E_NOT_FOUND, "call %d: %s", i, err.text);
    }
    ck_assert_uint_gt(emu_count(limited, "GET", GET_ROUTE), 7); /* some met a 429 */
    uats_conn_close(c);
    emu_stop(limited);
    eightfold_emu_free(e2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eightfold");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_get_attach_get);
    tcase_add_test(tc, the_id_is_required_and_nothing_is_sent_without_it);
    tcase_add_test(tc, transactions_fail_pass_late_and_unfinished);
    tcase_add_test(tc, vendor_errors_and_auth);
    tcase_add_test(tc, a_lost_create_answer_is_checked_by_id_never_resent);
    tcase_add_test(tc, fault_matrix_on_every_hook);
    tcase_add_test(tc, rate_limit_429_and_retry_after_are_honoured);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
