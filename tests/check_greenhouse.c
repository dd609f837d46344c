/*
 * tests/check_greenhouse.c: the Greenhouse connector end to end: the built
 * greenhouse.so, loaded by libuats, through real libcurl, against the
 * Greenhouse emulator (Harvest v1 and v3 and the token endpoint) on
 * 127.0.0.1. Create -> get -> add attachment -> get in both versions; the
 * token flow (fetched once, reused, renewed after expiry and after a 401);
 * the acting user; "created but not yet readable"; rate-limit headers; every
 * fault kind on every hook with no create sent twice; secrets in no log line.
 */
#include <pthread.h>
#include <time.h>

#include "emu.h"
#include "greenhouse_emu.h"
#include "testutil.h"

#define KEY "gh-harvest-k3y-that-must-not-leak"
#define CLIENT "gh-client-0001"
#define SECRET "gh-s3cret-that-must-not-leak"
#define USER "4410087"
#define OTHER_USER "4410088"

static emu_server *emu;
static greenhouse_emu *gh;
static uats_ctx *ctx;
static uats_conn *v3, *v1;

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
    if (strstr(message, KEY) || strstr(message, SECRET))
        leaked = true;
    pthread_mutex_unlock(&log_lock);
}

static const long long users[] = {4410087, 4410088};

static greenhouse_emu *install(emu_server *srv, unsigned lifetime, greenhouse_emu_expiry expiry,
                               unsigned v1_limit, unsigned not_ready_ms)
{
    greenhouse_emu_config cfg = {
        .api_key = KEY, .client_id = CLIENT, .client_secret = SECRET, .user_ids = users,
        .nuser_ids = 2, .token_lifetime_s = lifetime, .expiry = expiry, .v1_limit = v1_limit,
        .not_ready_ms = not_ready_ms};
    greenhouse_emu *e = greenhouse_emu_install(srv, &cfg);
    ck_assert_ptr_nonnull(e);
    return e;
}

/* A v3 or v1 connection to srv: options are added to the defaults (a
 * short not_ready_wait_ms unless given), extra inside the config. */
static uats_conn *open_on(emu_server *srv, bool version1, const char *options,
                          const char *extra, uats_error *err)
{
    char config[2048];
    uats_conn *c = NULL;
    snprintf(config, sizeof config,
             "{\"connector\": \"greenhouse\", \"base_url\": \"%s\", \"credentials\": %s, "
             "\"options\": {%s\"token_url\": \"%s/token\"%s%s%s}, "
             "\"retry\": {\"base_delay_ms\": 5}, \"rate\": {\"per_sec\": 1000, \"burst\": 1000}"
             "%s}",
             emu_base_url(srv),
             version1 ? "{\"api_key\": \"" KEY "\"}"
                      : "{\"client_id\": \"" CLIENT "\", \"client_secret\": \"" SECRET "\"}",
             version1 ? "\"api_version\": \"v1\", " : "", emu_base_url(srv),
             strstr(options, "not_ready_wait_ms") ? "" : ", \"not_ready_wait_ms\": \"3000\"",
             *options ? ", " : "", options, extra);
    return uats_conn_open_str(ctx, config, &c, err) == UATS_OK ? c : NULL;
}

static uats_conn *open_ok(emu_server *srv, bool version1, const char *options)
{
    uats_error err;
    uats_conn *c = open_on(srv, version1, options, "", &err);
    ck_assert_msg(c != NULL, "open: %s", err.text);
    return c;
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    ck_assert_ptr_nonnull(emu);
    gh = install(emu, 0, GREENHOUSE_EMU_EXPIRES_IN, 0, 0);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    uats_ctx_set_log(ctx, UATS_LOG_TRACE, capture, NULL);
    snprintf(dir, sizeof dir, "%s/greenhouse", test_env("UATS_TEST_PLUGINS"));
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "greenhouse"));
    leaked = false;
    log_lines = 0;
    v3 = open_ok(emu, false, "\"on_behalf_of\": \"" USER "\"");
    v1 = open_ok(emu, true, "\"on_behalf_of\": \"" USER "\"");
}

static void teardown(void)
{
    uats_conn_close(v3);
    uats_conn_close(v1);
    uats_ctx_free(ctx);
    emu_stop(emu);
    greenhouse_emu_free(gh);
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
    if (type)
        ck_assert_int_eq(uats_set_string(att, UATS_F_ATTACHMENT_TYPE, type, &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(att, bytes, strlen(bytes), &err), UATS_OK);
    return att;
}

static void assert_no_secret(const uats_error *err)
{
    ck_assert(!strstr(err->text, KEY) && !strstr(err->text, SECRET));
    ck_assert(!strstr(err->vendor_message, KEY) && !strstr(err->vendor_message, SECRET));
}

static const char ines[] =
    "{\"first_name\": \"Ines\", \"last_name\": \"Moreau\", \"company\": \"Atelier Nord\","
    " \"title\": \"QA Lead\", \"is_private\": true,"
    " \"email_addresses\": [{\"value\": \"ines.moreau@mail.example\", \"type\": \"PERSONAL\"}],"
    " \"phone_numbers\": [{\"value\": \"+33 1 00 00 00 42\", \"type\": \"MOBILE\"}],"
    " \"urls\": [{\"value\": \"https://ines.example.dev\", \"type\": \"PORTFOLIO\"},"
    "   {\"value\": \"https://www.linkedin.com/in/imoreau\", \"type\": \"LINKEDIN\"}],"
    " \"tags\": [\"Referral 2026\"], \"application\": {\"job_id\": \"4001\"}}";

/* The fields both versions store and read back the same. */
static void assert_ines(const uats_object *c)
{
    const char *v;
    ck_assert_str_eq(uats_get_string(c, UATS_F_FIRST_NAME), "Ines");
    ck_assert_str_eq(uats_get_string(c, UATS_F_LAST_NAME), "Moreau");
    ck_assert_str_eq(uats_get_string(c, UATS_F_COMPANY), "Atelier Nord");
    ck_assert_str_eq(uats_get_string(c, UATS_F_TITLE), "QA Lead");
    bool priv = false;
    ck_assert(uats_get_bool(c, UATS_F_IS_PRIVATE, &priv));
    ck_assert(priv);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_EMAIL_ADDRESSES, 0, &v), UATS_EMAIL_PERSONAL);
    ck_assert_str_eq(v, "ines.moreau@mail.example");
    ck_assert_int_eq(uats_list_typed(c, UATS_F_PHONE_NUMBERS, 0, &v), UATS_PHONE_MOBILE);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 0, &v), UATS_URL_PORTFOLIO);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_URLS, 1, &v), UATS_URL_LINKEDIN);
    ck_assert_str_eq(uats_list_string(c, UATS_F_TAGS, 0), "Referral 2026");
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

START_TEST(v3_create_get_attach_get)
{
    uats_object *in = input(ines), *created, *fetched, *att_in, *att;
    uats_warnings *w;
    uats_error err;
    att_in = file_input("Ines_Moreau_CV.pdf", "RESUME", "%PDF-1.7 cv");
    ck_assert_int_eq(uats_add_attachment_input(in, att_in, &err), UATS_OK); /* takes it */

    ck_assert_msg(uats_candidate_create(v3, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_msg(uats_warnings_count(w) == 0, "unexpected warning: %s",
                  uats_warnings_count(w) ? uats_warning_message(w, 0) : "");
    uats_warnings_free(w);
    assert_ines(created);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    const char *id = uats_get_string(created, UATS_F_ID);
    /* One token for the whole session, acting as on_behalf_of; the create
     * and the file, each once; v3 carries no On-Behalf-Of. */
    ck_assert_uint_eq(greenhouse_emu_tokens_issued(gh), 1);
    ck_assert_int_eq(greenhouse_emu_last_actor(gh), 4410087);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v3/candidates"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v3/attachments"), 1);
    for (size_t i = 0; i < emu_log_count(emu); i++) {
        char *obo = emu_log_header(emu, i, "On-Behalf-Of");
        ck_assert_ptr_null(obo);
    }
    ck_assert_uint_eq(greenhouse_emu_candidate_count(gh), 1);
    ck_assert_uint_eq(greenhouse_emu_application_count(gh), 1);

    /* Get: the candidate, its applications and its attachments: 3 calls. */
    emu_reset_log(emu);
    ck_assert_msg(uats_candidate_get(v3, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    ck_assert_uint_eq(emu_log_count(emu), 3);
    assert_ines(fetched);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_APPLICATION_IDS, 0),
                     uats_list_string(created, UATS_F_APPLICATION_IDS, 0));
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 0),
                     uats_list_string(created, UATS_F_ATTACHMENT_IDS, 0));
    uats_object_free(fetched);

    /* Add a cover letter: it lands on the candidate's application. */
    att_in = file_input("Ines_Moreau_Cover.pdf", "COVER_LETTER", "%PDF-1.7 letter");
    ck_assert_msg(uats_attachment_add(v3, id, att_in, &att, NULL, &err) == UATS_OK, "attach: %s",
                  err.text);
    ck_assert_str_eq(uats_get_string(att, UATS_F_CANDIDATE_ID), id);
    ck_assert_str_eq(uats_get_string(att, UATS_F_APPLICATION_ID),
                     uats_list_string(created, UATS_F_APPLICATION_IDS, 0));
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "COVER_LETTER");
    ck_assert_str_eq(uats_get_string(att, UATS_F_FILE_NAME), "Ines_Moreau_Cover.pdf");
    ck_assert_ptr_nonnull(uats_get_string(att, UATS_F_FILE_URL));
    ck_assert_msg(uats_candidate_get(v3, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert(has_string(fetched, UATS_F_ATTACHMENT_IDS, uats_get_string(att, UATS_F_ID)));
    ck_assert_uint_eq(greenhouse_emu_attachment_count(gh), 2);
    ck_assert_uint_eq(greenhouse_emu_tokens_issued(gh), 1);
    uats_object_free(fetched);
    uats_object_free(att);
    uats_object_free(att_in);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(v1_create_get_attach_get)
{
    uats_object *in = input(ines), *created, *fetched, *att_in, *att;
    uats_warnings *w;
    uats_error err;
    att_in = file_input("Ines_Moreau_CV.pdf", "RESUME", "%PDF-1.7 cv");
    ck_assert_int_eq(uats_add_attachment_input(in, att_in, &err), UATS_OK); /* takes it */
    ck_assert_msg(uats_candidate_create(v1, in, &created, &w, &err) == UATS_OK, "create: %s",
                  err.text);
    ck_assert_msg(uats_warnings_count(w) == 0, "unexpected warning: %s",
                  uats_warnings_count(w) ? uats_warning_message(w, 0) : "");
    uats_warnings_free(w);
    assert_ines(created);
    ck_assert_uint_eq(uats_list_count(created, UATS_F_ATTACHMENT_IDS), 1);
    const char *id = uats_get_string(created, UATS_F_ID);
    /* Create, the file on the candidate, a read for the file's time. */
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates/:id/attachments"), 1);
    ck_assert_uint_eq(emu_count(emu, "GET", "/v1/candidates/:id"), 1);
    char *obo = emu_log_header(emu, 0, "On-Behalf-Of");
    ck_assert_str_eq(obo, USER);
    free(obo);
    char *auth = emu_log_header(emu, 0, "Authorization");
    ck_assert_str_eq(auth, "Basic Z2gtaGFydmVzdC1rM3ktdGhhdC1tdXN0LW5vdC1sZWFrOg=="); /* KEY: */
    free(auth);
    ck_assert_uint_eq(greenhouse_emu_tokens_issued(gh), 0);
    json_t *stored = greenhouse_emu_candidate(gh, strtoll(id, NULL, 10));
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(stored,
                     "social_media_addresses"), 0), "value")), "https://www.linkedin.com/in/imoreau");
    json_decref(stored);

    ck_assert_msg(uats_candidate_get(v1, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    assert_ines(fetched);
    ck_assert_str_eq(uats_list_string(fetched, UATS_F_ATTACHMENT_IDS, 0),
                     uats_list_string(created, UATS_F_ATTACHMENT_IDS, 0));
    uats_object_free(fetched);

    /* A file of no particular type goes on the application, as "other". */
    att_in = file_input("notes.txt", NULL, "plain notes");
    ck_assert_msg(uats_attachment_add(v1, id, att_in, &att, NULL, &err) == UATS_OK, "attach: %s",
                  err.text);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/applications/:id/attachments"), 1);
    ck_assert_str_eq(uats_get_string(att, UATS_F_ATTACHMENT_TYPE), "OTHER");
    ck_assert_str_eq(uats_get_string(att, UATS_F_CONTENT_TYPE), "text/plain");
    ck_assert_msg(uats_candidate_get(v1, id, &fetched, &err) == UATS_OK, "get: %s", err.text);
    ck_assert_uint_eq(uats_list_count(fetched, UATS_F_ATTACHMENT_IDS), 2);
    ck_assert(has_string(fetched, UATS_F_ATTACHMENT_IDS, uats_get_string(att, UATS_F_ID)));
    uats_object_free(fetched);
    uats_object_free(att);
    uats_object_free(att_in);
    uats_object_free(created);
    uats_object_free(in);
}
END_TEST

START_TEST(without_a_job)
{
    uats_object *in = input("{\"first_name\": \"Pat\", \"last_name\": \"Lee\"}"), *out;
    uats_object *att_in = file_input("cv.pdf", "RESUME", "%PDF");
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_add_attachment_input(in, att_in, &err), UATS_OK);
    /* v1: a prospect, and the resume on the candidate. */
    ck_assert_msg(uats_candidate_create(v1, in, &out, &w, &err) == UATS_OK, "%s", err.text);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/prospects"), 1);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v1/candidates"), 0);
    ck_assert_uint_eq(uats_list_count(out, UATS_F_ATTACHMENT_IDS), 1);
    uats_warnings_free(w);
    uats_object_free(out);
    /* v3: no application, so the file cannot go anywhere: a warning. */
    ck_assert_msg(uats_candidate_create(v3, in, &out, &w, &err) == UATS_OK, "%s", err.text);
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "attachments[0]");
    ck_assert_uint_eq(emu_count(emu, "POST", "/v3/attachments"), 0);
    /* ...and adding one later says why it cannot. */
    uats_object *att, *later = file_input("cv.pdf", "RESUME", "%PDF");
    ck_assert_int_eq(uats_attachment_add(v3, uats_get_string(out, UATS_F_ID), later, &att, NULL,
                                         &err), UATS_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.text, "applications"));
    uats_warnings_free(w);
    uats_object_free(out);
    uats_object_free(later);
    uats_object_free(in);
}
END_TEST

START_TEST(unstorable_fields_are_warned)
{
    uats_object *in = input("{\"first_name\": \"A\", \"last_name\": \"B\", \"gender\": \"x\","
                            " \"skills\": [\"C\"], \"urls\": [{\"value\": \"https://github.com/ab\","
                            " \"type\": \"GITHUB\"}], \"application\": {\"job_id\": \"4001\","
                            " \"source\": \"lead\"}}"), *out;
    uats_warnings *w;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(v3, in, &out, &w, &err), UATS_OK);
    static const char *const want[] = {"gender", "skills", "urls[0].type", "application.source"};
    ck_assert_uint_eq(uats_warnings_count(w), 4);
    for (size_t i = 0; i < 4; i++) {
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

START_TEST(acting_user_rules)
{
    uats_object *in = input(ines), *out;
    uats_error err;
    /* v1 without anyone to act as: refused before any request. */
    uats_conn *nobody = open_ok(emu, true, "");
    emu_reset_log(emu);
    ck_assert_int_eq(uats_candidate_create(nobody, in, &out, NULL, &err), UATS_E_CONFIG);
    uats_object *att = file_input("cv.pdf", "RESUME", "%PDF");
    ck_assert_int_eq(uats_attachment_add(nobody, "1", att, &out, NULL, &err), UATS_E_CONFIG);
    ck_assert_uint_eq(emu_log_count(emu), 0);
    /* ...but reads need no acting user. */
    ck_assert_int_eq(uats_candidate_get(nobody, "12", &out, &err), UATS_E_NOT_FOUND);
    uats_conn_close(nobody);

    /* v1: acting_user on the input wins over the option. */
    uats_object *other = input("{\"first_name\": \"A\", \"last_name\": \"B\", \"acting_user\": \""
                               OTHER_USER "\", \"application\": {\"job_id\": \"4001\"}}");
    ck_assert_int_eq(uats_candidate_create(v1, other, &out, NULL, &err), UATS_OK);
    ck_assert_int_eq(greenhouse_emu_last_actor(gh), 4410088);
    uats_object_free(out);
    /* v3: the token acts; another acting_user is refused, nothing sent. */
    emu_reset_log(emu);
    ck_assert_int_eq(uats_candidate_create(v3, other, &out, NULL, &err), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err.field, "acting_user");
    ck_assert_uint_eq(emu_log_count(emu), 0);
    uats_object_free(other);

    /* v3 connections need the user; v1 and v3 need their own credentials. */
    ck_assert_ptr_null(open_on(emu, false, "", "", &err));
    ck_assert_int_eq(err.code, UATS_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "on_behalf_of"));
    ck_assert_ptr_null(open_on(emu, false, "\"on_behalf_of\": \"ada\"", "", &err));
    ck_assert_int_eq(err.code, UATS_E_CONFIG);
    ck_assert_ptr_null(open_on(emu, false, "\"api_version\": \"v2\"", "", &err));
    ck_assert_int_eq(err.code, UATS_E_CONFIG);
    uats_object_free(att);
    uats_object_free(in);
}
END_TEST

START_TEST(vendor_errors_keep_greenhouses_words)
{
    uats_object *out;
    uats_error err;
    /* Unknown ids: v1 404, v3 an empty list. */
    ck_assert_int_eq(uats_candidate_get(v1, "999999", &out, &err), UATS_E_NOT_FOUND);
    ck_assert_int_eq(err.http_status, 404);
    ck_assert_str_eq(err.vendor_message, "Resource not found");
    uats_code rc = uats_candidate_get(v3, "999999", &out, &err);
    ck_assert_msg(rc == UATS_E_NOT_FOUND, "%s: %s", uats_code_name(rc), err.text);
    ck_assert_int_eq(uats_candidate_get(v3, "not-a-number", &out, &err), UATS_E_NOT_FOUND);

    /* v1 validation: the field Greenhouse names is the input's field. */
    uats_object *in = input("{\"first_name\": \"A\", \"last_name\": \"B\","
                            " \"application\": {\"job_id\": \"777\"}}");
    ck_assert_int_eq(uats_candidate_create(v1, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_int_eq(err.http_status, 422);
    ck_assert_str_eq(err.field, "application.job_id");
    ck_assert(err.vendor_message[0] != '\0');
    /* v3 validation: Greenhouse's message kept. */
    ck_assert_int_eq(uats_candidate_create(v3, in, &out, NULL, &err), UATS_E_VALIDATION);
    ck_assert_int_eq(err.http_status, 422);
    ck_assert(err.vendor_message[0] != '\0');
    uats_object_free(in);
    ck_assert_uint_eq(greenhouse_emu_candidate_count(gh), 0);

    /* Wrong credentials, each version. */
    uats_conn *bad;
    char config[1024];
    snprintf(config, sizeof config, "{\"connector\": \"greenhouse\", \"base_url\": \"%s\", "
             "\"credentials\": {\"api_key\": \"nope\"}, \"options\": {\"api_version\": \"v1\"}}",
             emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &bad, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(bad, "1", &out, &err), UATS_E_AUTH);
    uats_conn_close(bad);
    snprintf(config, sizeof config, "{\"connector\": \"greenhouse\", \"base_url\": \"%s\", "
             "\"credentials\": {\"client_id\": \"" CLIENT "\", \"client_secret\": \"wrong\"}, "
             "\"options\": {\"on_behalf_of\": \"" USER "\", \"token_url\": \"%s/token\"}}",
             emu_base_url(emu), emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &bad, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(bad, "1", &out, &err), UATS_E_AUTH);
    assert_no_secret(&err);
    uats_conn_close(bad);
    /* A user Greenhouse does not know cannot get a token. */
    snprintf(config, sizeof config, "{\"connector\": \"greenhouse\", \"base_url\": \"%s\", "
             "\"credentials\": {\"client_id\": \"" CLIENT "\", \"client_secret\": \"" SECRET "\"}, "
             "\"options\": {\"on_behalf_of\": \"12\", \"token_url\": \"%s/token\"}}",
             emu_base_url(emu), emu_base_url(emu));
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &bad, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_get(bad, "1", &out, &err), UATS_E_AUTH);
    assert_no_secret(&err);
    uats_conn_close(bad);
}
END_TEST

START_TEST(token_fetch_does_not_commit_a_refused_create)
{
    /* The first request of this connection's first create is the token
     * POST, which succeeds; the create itself is refused. The host must
     * hear "refused", not "it may have taken effect". */
    uats_conn *fresh = open_ok(emu, false, "\"on_behalf_of\": \"" USER "\"");
    uats_object *in = input("{\"first_name\": \"A\", \"last_name\": \"B\","
                            " \"application\": {\"job_id\": \"777\"}}"), *out;
    uats_error err;
    uats_code rc = uats_candidate_create(fresh, in, &out, NULL, &err);
    ck_assert_msg(rc == UATS_E_VALIDATION, "%s: %s", uats_code_name(rc), err.text);
    ck_assert_uint_eq(greenhouse_emu_tokens_issued(gh), 1);
    /* And a token endpoint that drops the answer is a transport failure. */
    uats_conn_close(fresh);
    fresh = open_ok(emu, false, "\"on_behalf_of\": \"" USER "\"");
    emu_fault drop = {.kind = EMU_FAULT_DROP};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(emu_fault_push(emu, "POST", "/token", &drop), 0);
    rc = uats_candidate_create(fresh, in, &out, NULL, &err);
    ck_assert_msg(rc == UATS_E_TRANSPORT, "%s: %s", uats_code_name(rc), err.text);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v3/candidates"), 1);
    emu_fault_clear(emu);
    uats_conn_close(fresh);
    uats_object_free(in);
}
END_TEST

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* Token reuse and renewal, with the lifetime stated either way. */
static void token_flow(greenhouse_emu_expiry expiry)
{
    emu_server *srv = emu_start();
    greenhouse_emu *e = install(srv, 2, expiry, 0, 0);
    uats_conn *c = open_ok(srv, false, "\"on_behalf_of\": \"" USER "\"");
    uats_object *in = input(ines), *out;
    uats_error err;
    ck_assert_int_eq(uats_candidate_create(c, in, &out, NULL, &err), UATS_OK);
    char id[32];
    snprintf(id, sizeof id, "%s", uats_get_string(out, UATS_F_ID));
    uats_object_free(out);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(uats_candidate_get(c, id, &out, &err), UATS_OK);
        uats_object_free(out);
    }
    ck_assert_uint_eq(greenhouse_emu_tokens_issued(e), 1);
    ck_assert_uint_eq(emu_count(srv, "POST", "/token"), 1);
    /* A 2 s token is renewed before it runs out: no 401 on the way. */
    sleep_ms(1300);
    size_t before = emu_count(srv, "GET", "/v3/candidates");
    ck_assert_int_eq(uats_candidate_get(c, id, &out, &err), UATS_OK);
    uats_object_free(out);
    ck_assert_uint_eq(greenhouse_emu_tokens_issued(e), 2);
    ck_assert_uint_eq(emu_count(srv, "GET", "/v3/candidates"), before + 1);
    /* Revoked early: one 401, one new token, the call succeeds. */
    greenhouse_emu_revoke_tokens(e);
    before = emu_count(srv, "GET", "/v3/candidates");
    ck_assert_int_eq(uats_candidate_get(c, id, &out, &err), UATS_OK);
    uats_object_free(out);
    ck_assert_uint_eq(greenhouse_emu_tokens_issued(e), 3);
    ck_assert_uint_eq(emu_count(srv, "GET", "/v3/candidates"), before + 2);
    uats_conn_close(c);
    uats_object_free(in);
    emu_stop(srv);
    greenhouse_emu_free(e);
}

START_TEST(token_fetched_once_reused_and_renewed)
{
    token_flow(GREENHOUSE_EMU_EXPIRES_IN);
}
END_TEST

START_TEST(token_lifetime_given_as_expires_at)
{
    token_flow(GREENHOUSE_EMU_EXPIRES_AT);
}
END_TEST

START_TEST(created_but_not_yet_readable)
{
    emu_server *srv = emu_start();
    greenhouse_emu *e = install(srv, 0, GREENHOUSE_EMU_EXPIRES_IN, 0, 1200);
    uats_conn *c1 = open_ok(srv, true, "\"on_behalf_of\": \"" USER "\"");
    uats_conn *c3 = open_ok(srv, false, "\"on_behalf_of\": \"" USER "\"");
    uats_object *in = input(ines), *out, *again;
    uats_warnings *w;
    uats_error err;
    /* v1 answers with ids only; the connector waits for the full record. */
    ck_assert_int_eq(uats_candidate_create(c1, in, &out, &w, &err), UATS_OK);
    ck_assert_uint_eq(uats_warnings_count(w), 0);
    assert_ines(out);
    ck_assert_uint_eq(emu_count(srv, "POST", "/v1/candidates"), 1);
    ck_assert_uint_ge(emu_count(srv, "GET", "/v1/candidates/:id"), 2);
    uats_warnings_free(w);
    uats_object_free(out);
    /* v3: a get right after the create is asked again until it is there. */
    ck_assert_int_eq(uats_candidate_create(c3, in, &out, NULL, &err), UATS_OK);
    ck_assert_msg(uats_candidate_get(c3, uats_get_string(out, UATS_F_ID), &again, &err) ==
                      UATS_OK, "%s", err.text);
    ck_assert_uint_ge(emu_count(srv, "GET", "/v3/candidates"), 2);
    ck_assert_uint_eq(greenhouse_emu_candidate_count(e), 2);
    uats_object_free(again);
    uats_object_free(out);
    /* With no patience configured, v1 returns what it has and says so. */
    uats_conn *hasty = open_ok(srv, true, "\"on_behalf_of\": \"" USER "\", "
                                          "\"not_ready_wait_ms\": \"0\"");
    ck_assert_int_eq(uats_candidate_create(hasty, in, &out, &w, &err), UATS_OK);
    ck_assert_uint_eq(uats_warnings_count(w), 1);
    ck_assert_str_eq(uats_warning_field(w, 0), "id");
    ck_assert_ptr_nonnull(uats_get_string(out, UATS_F_ID));
    ck_assert_ptr_null(uats_get_string(out, UATS_F_FIRST_NAME));
    uats_warnings_free(w);
    uats_object_free(out);
    uats_conn_close(hasty);
    uats_conn_close(c1);
    uats_conn_close(c3);
    uats_object_free(in);
    emu_stop(srv);
    greenhouse_emu_free(e);
}
END_TEST

START_TEST(rate_limit_headers_are_honoured)
{
    /* Greenhouse v1 allows 4 requests per 10 s window here. No retries are
     * allowed, so any 429 fails the test: the connector must wait for the
     * window from X-RateLimit-Remaining/Reset instead. */
    emu_server *srv = emu_start();
    greenhouse_emu *e = install(srv, 0, GREENHOUSE_EMU_EXPIRES_IN, 4, 0);
    uats_conn *c = open_ok(srv, true, "\"on_behalf_of\": \"" USER "\"");
    uats_error err;
    uats_object *out;
    for (int i = 0; i < 6; i++) {
        uats_code rc = uats_candidate_get(c, "31337", &out, &err);
        ck_assert_msg(rc == UATS_E_NOT_FOUND, "call %d: %s", i, err.text);
    }
    uats_conn_close(c);
    emu_stop(srv);
    greenhouse_emu_free(e);
}
END_TEST

/*
 * The fault matrix (docs/reliability.md): each fault on each hook of each
 * version, the uats code the host must get, and never a second create. The
 * fault hits the first request of the hook's own route.
 */
typedef struct fault_case {
    const char *name;
    emu_fault fault;
    uats_code create, get, attach;
} fault_case;

static const fault_case matrix[] = {
    {"401", {.kind = EMU_FAULT_STATUS, .status = 401,
             .body = "{\"message\": \"Unauthorized\", \"errors\": [\"Token could not be decoded\"]}"},
     UATS_E_AUTH, UATS_E_AUTH, UATS_E_AUTH},
    {"403", {.kind = EMU_FAULT_STATUS, .status = 403,
             .body = "{\"message\": \"You do not have access to that record\"}"},
     UATS_E_FORBIDDEN, UATS_E_FORBIDDEN, UATS_E_FORBIDDEN},
    {"404", {.kind = EMU_FAULT_STATUS, .status = 404, .body = "{\"message\": \"Resource not found\"}"},
     UATS_E_NOT_FOUND, UATS_E_NOT_FOUND, UATS_E_NOT_FOUND},
    {"409", {.kind = EMU_FAULT_STATUS, .status = 409, .body = "{\"message\": \"Conflict\"}"},
     UATS_E_CONFLICT, UATS_E_CONFLICT, UATS_E_CONFLICT},
    {"422", {.kind = EMU_FAULT_STATUS, .status = 422,
             .body = "{\"message\": \"Validation error\", \"errors\": [{\"message\": \"Bad value\","
                     " \"field\": \"first_name\"}]}"},
     UATS_E_VALIDATION, UATS_E_VALIDATION, UATS_E_VALIDATION},
    {"429 + Retry-After", {.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                           .body = "{\"message\": \"Rate limit exceeded\"}"},
     UATS_OK, UATS_OK, UATS_OK},
    {"500", {.kind = EMU_FAULT_STATUS, .status = 500, .body = "{\"message\": \"Server timeout in API\"}"},
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
                     .body = "{\"id\": \"12345\", \"first_name\": [\"Ada\"]}"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
    {"not an object", {.kind = EMU_FAULT_STATUS, .status = 200, .body = "[1, 2, 3]"},
     UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR, UATS_E_OUTCOME_UNKNOWN},
};

typedef struct hook_routes {
    const char *create, *get_method, *get, *attach;
} hook_routes;

static const hook_routes v1_routes = {"/v1/candidates", "GET", "/v1/candidates/:id",
                                      "/v1/candidates/:id/attachments"};
static const hook_routes v3_routes = {"/v3/candidates", "GET", "/v3/candidates",
                                      "/v3/attachments"};

static void one(uats_conn *c, const fault_case *fc, const char *hook, const char *method,
                const char *route, uats_code want, uats_object *seed_in, const char *id)
{
    uats_object *out = NULL, *att = NULL;
    uats_error err;
    uats_code rc;
    ck_assert_int_eq(emu_fault_push(emu, method, route, &fc->fault), 0);
    size_t before = emu_count(emu, method, route);
    size_t people = greenhouse_emu_candidate_count(gh);
    if (strcmp(hook, "create") == 0)
        rc = uats_candidate_create(c, seed_in, &out, NULL, &err);
    else if (strcmp(hook, "get") == 0)
        rc = uats_candidate_get(c, id, &out, &err);
    else
        rc = uats_attachment_add(c, id, att = file_input("cv.pdf", "RESUME", "%PDF"), &out,
                                 NULL, &err);
    size_t sent = emu_count(emu, method, route) - before;
    ck_assert_msg(rc == want, "%s on %s %s: %s, expected %s (%s)", fc->name, hook, route,
                  uats_code_name(rc), uats_code_name(want), err.text);
    if (rc != UATS_OK)
        ck_assert_int_eq(err.code, rc);
    bool refused = fc->fault.kind == EMU_FAULT_STATUS &&
                   (fc->fault.status == 429 || fc->fault.status == 503 ||
                    (fc->fault.status == 401 && strncmp(route, "/v3", 3) == 0));
    if (strcmp(method, "POST") == 0)
        ck_assert_msg(sent == (refused ? 2u : 1u), "%s on %s: %zu POSTs", fc->name, hook, sent);
    /* However it ended, at most one more candidate exists. */
    ck_assert_uint_le(greenhouse_emu_candidate_count(gh), people + 1);
    assert_no_secret(&err);
    uats_object_free(out);
    uats_object_free(att);
    emu_fault_clear(emu);
}

static void run_matrix(uats_conn *c, const hook_routes *r, bool oauth)
{
    uats_object *seed_in = input(ines), *seed;
    uats_error err;
    /* The seed comes from another connection, so that for c it is not a
     * record it just created (whose 404s it would wait out). */
    uats_conn *seeder = open_ok(emu, !oauth, "\"on_behalf_of\": \"" USER "\"");
    ck_assert_int_eq(uats_candidate_create(seeder, seed_in, &seed, NULL, &err), UATS_OK);
    uats_conn_close(seeder);
    const char *id = uats_get_string(seed, UATS_F_ID);
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        fault_case fc = matrix[i];
        if (oauth && fc.fault.status == 401 && fc.fault.kind == EMU_FAULT_STATUS)
            fc.create = fc.get = fc.attach = UATS_OK; /* a new token, then it works */
        one(c, &fc, "create", "POST", r->create, fc.create, seed_in, id);
        one(c, &fc, "get", r->get_method, r->get, fc.get, seed_in, id);
        one(c, &fc, "attach", "POST", r->attach, fc.attach, seed_in, id);
    }
    uats_object_free(seed);
    uats_object_free(seed_in);
}

START_TEST(fault_matrix_v3)
{
    run_matrix(v3, &v3_routes, true);
}
END_TEST

START_TEST(fault_matrix_v1)
{
    run_matrix(v1, &v1_routes, false);
}
END_TEST

START_TEST(connection_refused_and_timeouts)
{
    char config[1024];
    uats_conn *dead;
    uats_error err;
    uats_object *in = input(ines), *out, *att = file_input("cv.pdf", "RESUME", "%PDF");
    snprintf(config, sizeof config, "{\"connector\": \"greenhouse\", \"base_url\": "
             "\"http://127.0.0.1:%u\", \"credentials\": {\"api_key\": \"" KEY "\"}, "
             "\"options\": {\"api_version\": \"v1\", \"on_behalf_of\": \"" USER "\"}, "
             "\"retry\": {\"base_delay_ms\": 5}}", emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_candidate_get(dead, "1", &out, &err), UATS_E_TRANSPORT);
    ck_assert_int_eq(uats_attachment_add(dead, "1", att, &out, NULL, &err), UATS_E_TRANSPORT);
    uats_conn_close(dead);
    /* The token endpoint down: nothing else is tried. */
    snprintf(config, sizeof config, "{\"connector\": \"greenhouse\", \"base_url\": \"%s\", "
             "\"credentials\": {\"client_id\": \"" CLIENT "\", \"client_secret\": \"" SECRET "\"}, "
             "\"options\": {\"on_behalf_of\": \"" USER "\", \"token_url\": "
             "\"http://127.0.0.1:%u/token\"}, \"retry\": {\"base_delay_ms\": 5}}",
             emu_base_url(emu), emu_refused_port());
    ck_assert_int_eq(uats_conn_open_str(ctx, config, &dead, &err), UATS_OK);
    ck_assert_int_eq(uats_candidate_create(dead, in, &out, NULL, &err), UATS_E_TRANSPORT);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v3/candidates"), 0);
    uats_conn_close(dead);

    /* Greenhouse created it, but answered too late: unknown, never resent. */
    uats_conn *quick = open_ok(emu, false, "\"on_behalf_of\": \"" USER "\"");
    uats_conn_close(quick);
    uats_error e2;
    quick = open_on(emu, false, "\"on_behalf_of\": \"" USER "\"", ", \"timeouts\": "
                    "{\"total_ms\": 400}", &e2);
    ck_assert_msg(quick != NULL, "%s", e2.text);
    emu_fault late = {.kind = EMU_FAULT_DELAY_AFTER, .delay_ms = 1200};
    ck_assert_int_eq(emu_fault_push(emu, "POST", "/v3/candidates", &late), 0);
    ck_assert_int_eq(uats_candidate_create(quick, in, &out, NULL, &err), UATS_E_OUTCOME_UNKNOWN);
    ck_assert_uint_eq(emu_count(emu, "POST", "/v3/candidates"), 1);
    ck_assert_uint_eq(greenhouse_emu_candidate_count(gh), 1);
    uats_conn_close(quick);
    uats_object_free(att);
    uats_object_free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("greenhouse");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, v3_create_get_attach_get);
    tcase_add_test(tc, v1_create_get_attach_get);
    tcase_add_test(tc, without_a_job);
    tcase_add_test(tc, unstorable_fields_are_warned);
    tcase_add_test(tc, acting_user_rules);
    tcase_add_test(tc, vendor_errors_keep_greenhouses_words);
    tcase_add_test(tc, token_fetch_does_not_commit_a_refused_create);
    tcase_add_test(tc, token_fetched_once_reused_and_renewed);
    tcase_add_test(tc, token_lifetime_given_as_expires_at);
    tcase_add_test(tc, created_but_not_yet_readable);
    tcase_add_test(tc, rate_limit_headers_are_honoured);
    tcase_add_test(tc, fault_matrix_v3);
    tcase_add_test(tc, fault_matrix_v1);
    tcase_add_test(tc, connection_refused_and_timeouts);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
