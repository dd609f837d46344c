/*
 * tests/check_teamtailor_map.c: the Teamtailor connector's mapping, fed the
 * documented payload shapes (plugins/teamtailor/fixtures, our own values).
 * teamtailor_map.c is compiled into this test with a stand-in services
 * table that records warnings and failures.
 */
#include <uats/connector.h>

#include "fakehost.h"
#include "teamtailor.h"
#include "testutil.h"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", TEAMTAILOR_FIXTURES, name);
    json_t *doc = json_load_file(path, 0, &jerr);
    ck_assert_msg(doc != NULL, "%s: %s", path, jerr.text);
    return doc;
}

static void setup(void)
{
    uats_host = &fake_host;
    fake_warnings = json_object();
    fake_failure = UATS_OK;
    fake_field[0] = '\0';
}

static void teardown(void)
{
    json_decref(fake_warnings);
    fake_warnings = NULL;
}

static const char *str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    ck_assert_msg(v != NULL, "%s", jerr.text);
    return v;
}

/* Every object the mapping makes must pass the core's schema. */
static void assert_valid(uats_kind kind, const json_t *v)
{
    uats_object *obj;
    uats_error err;
    ck_assert_msg(uats_object_from_json(kind, v, &obj, &err) == UATS_OK, "mapped %s invalid: %s",
                  kind == UATS_KIND_CANDIDATE ? "candidate" : "attachment", err.text);
    uats_object_free(obj);
}

static void assert_warned(const char *field)
{
    ck_assert_msg(json_object_get(fake_warnings, field) != NULL, "no warning on %s", field);
}

START_TEST(create_document_matches_the_documented_request)
{
    json_t *input = parse(
        "{\"first_name\": \"Signe\", \"last_name\": \"Halvorsen-Berg\","
        " \"email_addresses\": [{\"value\": \"signe.hb@example.org\"}],"
        " \"phone_numbers\": [{\"value\": \"+47 22 55 01 77\"}],"
        " \"urls\": [{\"value\": \"https://www.linkedin.com/in/signe-hb\", \"type\": \"LINKEDIN\"}],"
        " \"summary\": \"Embedded engineer who likes tidy build systems.\","
        " \"tags\": [\"embedded\", \"referral-2026\"], \"can_email\": true}");
    json_t *want = fixture("candidate-create-request.json"), *doc;
    bool lead = true;
    ck_assert_int_eq(tt_create_document(NULL, input, &doc, &lead), UATS_OK);
    ck_assert(!lead);
    char *got_text = json_dumps(doc, JSON_SORT_KEYS);
    ck_assert_msg(json_equal(doc, want), "sent %s", got_text);
    free(got_text);
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    json_decref(doc);
    json_decref(want);
    json_decref(input);
}
END_TEST

START_TEST(create_document_warns_what_teamtailor_cannot_hold)
{
    json_t *input = parse(
        "{\"first_name\": \"Ada\", \"company\": \"Engines Ltd\", \"title\": \"Analyst\","
        " \"email_addresses\": [{\"value\": \"a@example.com\", \"type\": \"WORK\"},"
        "                       {\"value\": \"b@example.com\"}],"
        " \"phone_numbers\": [{\"value\": \"+44 1\", \"type\": \"MOBILE\"}],"
        " \"urls\": [{\"value\": \"https://github.com/ada\", \"type\": \"GITHUB\"},"
        "            {\"value\": \"https://linkedin.com/in/ada\", \"type\": \"LINKEDIN\"},"
        "            {\"value\": \"https://linkedin.com/in/ada2\", \"type\": \"LINKEDIN\"}],"
        " \"locations\": [\"London\"], \"skills\": [\"C\"], \"gender\": \"female\","
        " \"avatar\": \"https://img.example.com/ada.png\", \"is_internal\": true,"
        " \"can_email\": false, \"custom_fields\": {\"x\": 1}, \"id\": \"mine\","
        " \"acting_user\": \"u1\","
        " \"summary\": \"" "0123456789012345678901234567890123456789012345678901234567890123456789"
        "0123456789012345678901234567890123456789012345678901234567890123456789X\","
        " \"application\": {\"job_id\": \"4711\", \"stage_id\": \"s1\", \"source\": \"lead\","
        "                   \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"y\"}]},"
        " \"remote_fields\": {\"merge\": true, \"first-name\": \"Augusta\"}}");
    json_t *doc;
    bool lead = false;
    ck_assert_int_eq(tt_create_document(NULL, input, &doc, &lead), UATS_OK);
    ck_assert(lead);
    json_t *data = json_object_get(doc, "data"), *a = json_object_get(data, "attributes");
    ck_assert_str_eq(str(data, "type"), "candidates");
    /* remote_fields win over the mapped value. */
    ck_assert_str_eq(str(a, "first-name"), "Augusta");
    ck_assert(json_is_true(json_object_get(a, "merge")));
    ck_assert_str_eq(str(a, "email"), "a@example.com");
    ck_assert_str_eq(str(a, "phone"), "+44 1");
    ck_assert_str_eq(str(a, "linkedin-url"), "https://linkedin.com/in/ada");
    ck_assert_str_eq(str(a, "picture"), "https://img.example.com/ada.png");
    ck_assert(json_is_true(json_object_get(a, "internal")));
    ck_assert(json_is_true(json_object_get(a, "unsubscribed")));
    ck_assert(json_is_true(json_object_get(a, "sourced")));
    ck_assert_uint_eq(json_string_length(json_object_get(a, "pitch")), 141);
    ck_assert_ptr_null(json_object_get(a, "company"));
    ck_assert_ptr_null(json_object_get(data, "relationships"));
    static const char *const warned[] = {
        "company", "title", "email_addresses[0].type", "email_addresses[1]",
        "phone_numbers[0].type", "urls[0]", "urls[2]", "locations", "skills", "gender",
        "custom_fields", "id", "acting_user", "summary", "application.stage_id",
        "application.screening_answers"};
    for (size_t i = 0; i < sizeof warned / sizeof warned[0]; i++)
        assert_warned(warned[i]);
    ck_assert_uint_eq(json_object_size(fake_warnings), sizeof warned / sizeof warned[0]);
    json_decref(doc);
    json_decref(input);
}
END_TEST

START_TEST(job_application_document_matches)
{
    json_t *want = fixture("job-application-create-request.json");
    json_t *doc = tt_job_application_document("48213", "2290", false);
    ck_assert(json_equal(doc, want));
    json_decref(doc);
    doc = tt_job_application_document("48213", "2290", true);
    ck_assert(json_is_true(json_object_get(json_object_get(json_object_get(doc, "data"),
                                                           "attributes"), "sourced")));
    json_decref(doc);
    json_decref(want);
}
END_TEST

START_TEST(upload_document_takes_urls_only)
{
    json_t *want = fixture("upload-create-request.json"), *doc;
    json_t *att = parse("{\"file_name\": \"signe-cv.pdf\","
                        " \"url\": \"https://share.example.org/tmp/signe-cv.pdf\"}");
    ck_assert_int_eq(tt_upload_document(NULL, "48213", att, "", true, &doc), UATS_OK);
    ck_assert(json_equal(doc, want));
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    json_decref(doc);
    json_decref(att);

    /* A typed file with a content type and an application: all warned. */
    att = parse("{\"file_name\": \"l.pdf\", \"url\": \"https://x.example/l.pdf\","
                " \"type\": \"COVER_LETTER\", \"content_type\": \"application/pdf\","
                " \"application_id\": \"80011\"}");
    ck_assert_int_eq(tt_upload_document(NULL, "1", att, "attachments[2]", false, &doc), UATS_OK);
    assert_warned("attachments[2].type");
    assert_warned("attachments[2].content_type");
    assert_warned("attachments[2].application_id");
    json_decref(doc);
    json_decref(att);

    /* Contents cannot be sent: recorded when asked, silent otherwise. */
    att = parse("{\"file_name\": \"cv.txt\", \"data\": \"aGk=\"}");
    ck_assert_int_eq(tt_upload_document(NULL, "1", att, "", false, &doc), UATS_E_UNSUPPORTED);
    ck_assert_int_eq(fake_failure, UATS_OK);
    ck_assert_int_eq(tt_upload_document(NULL, "1", att, "", true, &doc), UATS_E_UNSUPPORTED);
    ck_assert_int_eq(fake_failure, UATS_E_UNSUPPORTED);
    ck_assert_ptr_null(doc);
    json_decref(att);
    json_decref(want);
}
END_TEST

START_TEST(documented_candidate_maps_every_field)
{
    json_t *doc = fixture("candidate-get-response.json");
    json_t *apps_doc = fixture("candidate-job-applications-page.json");
    json_t *ups_doc = fixture("candidate-uploads-page.json");
    json_t *res = json_object_get(doc, "data");
    json_t *apps = json_object_get(apps_doc, "data"), *ups = json_object_get(ups_doc, "data");
    json_t *c = tt_to_candidate(NULL, res, apps, ups);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "30977");
    ck_assert_str_eq(str(c, "remote_id"), "30977");
    ck_assert_str_eq(str(c, "first_name"), "Tomás");
    ck_assert_str_eq(str(c, "last_name"), "Okafor");
    json_t *e = json_array_get(json_object_get(c, "email_addresses"), 0);
    ck_assert_str_eq(str(e, "value"), "tomas.okafor@example.net");
    ck_assert_ptr_null(json_object_get(e, "type"));
    ck_assert_str_eq(str(json_array_get(json_object_get(c, "phone_numbers"), 0), "value"),
                     "+46 8 555 012 34");
    json_t *u = json_array_get(json_object_get(c, "urls"), 0);
    ck_assert_str_eq(str(u, "value"), "https://www.linkedin.com/in/tomas-okafor");
    ck_assert_str_eq(str(u, "type"), "LINKEDIN");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "urls")), 1);
    /* The non-string tag is skipped. */
    ck_assert_uint_eq(json_array_size(json_object_get(c, "tags")), 2);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "tags"), 1)), "data");
    ck_assert_str_eq(str(c, "avatar"), "https://images.example.net/avatars/30977.jpg");
    ck_assert_str_eq(str(c, "summary"), "Logistics planner moving into data work.");
    ck_assert(json_is_false(json_object_get(c, "can_email")));
    ck_assert(json_is_true(json_object_get(c, "is_internal")));
    /* +01:00 offset to UTC, milliseconds kept. */
    ck_assert_str_eq(str(c, "remote_created_at"), "2025-11-20T13:02:11.480Z");
    ck_assert_str_eq(str(c, "remote_updated_at"), "2025-12-01T08:30:00Z");
    json_t *app_ids = json_object_get(c, "applications");
    ck_assert_uint_eq(json_array_size(app_ids), 2);
    ck_assert_str_eq(json_string_value(json_array_get(app_ids, 0)), "77120");
    ck_assert_str_eq(json_string_value(json_array_get(app_ids, 1)), "77345");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "attachments"), 0)),
                     "601553");
    json_t *raw = json_object_get(c, "remote_data");
    ck_assert(json_equal(json_object_get(raw, "candidate"), res));
    ck_assert(json_equal(json_object_get(raw, "job-applications"), apps));
    ck_assert(json_equal(json_object_get(raw, "uploads"), ups));
    json_decref(c);

    /* Lists not read: no applications or attachments claimed. */
    c = tt_to_candidate(NULL, res, NULL, NULL);
    ck_assert_ptr_null(json_object_get(c, "applications"));
    ck_assert_ptr_null(json_object_get(c, "attachments"));
    ck_assert(json_is_null(json_object_get(json_object_get(c, "remote_data"), "uploads")));
    json_decref(c);
    json_decref(doc);
    json_decref(apps_doc);
    json_decref(ups_doc);
}
END_TEST

START_TEST(create_response_maps_with_nulls_left_out)
{
    json_t *doc = fixture("candidate-create-response.json");
    json_t *c = tt_to_candidate(NULL, json_object_get(doc, "data"), NULL, NULL);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "48213");
    ck_assert_str_eq(str(c, "last_name"), "Halvorsen-Berg");
    ck_assert_ptr_null(json_object_get(c, "avatar"));
    ck_assert(json_is_true(json_object_get(c, "can_email")));
    ck_assert(json_is_false(json_object_get(c, "is_internal")));
    ck_assert_str_eq(str(c, "remote_created_at"), "2026-03-02T08:15:30.250Z");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "tags")), 2);
    json_decref(c);
    json_decref(doc);
}
END_TEST

START_TEST(upload_maps_to_attachment)
{
    json_t *doc = fixture("upload-create-response.json");
    json_t *a = tt_to_attachment(NULL, json_object_get(doc, "data"), "48213");
    ck_assert_ptr_nonnull(a);
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "id"), "602114");
    ck_assert_str_eq(str(a, "remote_id"), "602114");
    ck_assert_str_eq(str(a, "candidate_id"), "48213");
    ck_assert_str_eq(str(a, "file_name"), "signe-cv.pdf");
    ck_assert_str_eq(str(a, "file_url"),
                     "https://files.example.net/signed/uploads/602114/signe-cv.pdf?expires=60");
    ck_assert_str_eq(str(a, "type"), "OTHER");
    ck_assert(json_equal(json_object_get(a, "remote_data"), json_object_get(doc, "data")));
    json_decref(a);
    json_decref(doc);
}
END_TEST

START_TEST(malformed_resources_are_vendor_errors)
{
    static const char *const bad[] = {
        "{\"id\": 12345, \"type\": \"candidates\"}", "{\"type\": \"candidates\"}",
        "{\"id\": \"\", \"type\": \"candidates\"}", "{\"id\": \"1\", \"type\": \"jobs\"}",
        "{\"id\": \"1\", \"attributes\": [1]}", "[1, 2]", "\"x\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *r = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        fake_failure = UATS_OK;
        ck_assert_ptr_null(tt_to_candidate(NULL, r, NULL, NULL));
        ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
        fake_failure = UATS_OK;
        ck_assert_ptr_null(tt_to_attachment(NULL, r, NULL));
        ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
        json_decref(r);
    }
    /* Without a type, a resource is read leniently. */
    json_t *r = parse("{\"id\": \"7\", \"attributes\": {\"first-name\": \"A\"}}");
    json_t *c = tt_to_candidate(NULL, r, NULL, NULL);
    ck_assert_str_eq(str(c, "first_name"), "A");
    json_decref(c);
    json_decref(r);
}
END_TEST

START_TEST(errors_give_the_vendors_words_and_the_field)
{
    const char *pointer = NULL;
    json_t *doc = fixture("error-422.json");
    ck_assert_str_eq(tt_error_text(doc, &pointer), "email - has already been taken");
    ck_assert_str_eq(pointer, "/data/attributes/email");
    json_decref(doc);
    doc = fixture("error-406.json");
    ck_assert_str_eq(tt_error_text(doc, &pointer), "The X-Api-Version header is required");
    ck_assert_ptr_null(pointer);
    json_decref(doc);
    doc = parse("{\"errors\": [{\"title\": \"Only a title\"}]}");
    ck_assert_str_eq(tt_error_text(doc, NULL), "Only a title");
    json_decref(doc);
    doc = parse("{\"message\": \"not JSON:API\"}");
    ck_assert_ptr_null(tt_error_text(doc, &pointer));
    json_decref(doc);

    char out[128];
    static const char *const cases[][4] = {
        {"/data/attributes/first-name", "c", "", "first_name"},
        {"/data/attributes/email", "c", "", "email_addresses[0].value"},
        {"/data/attributes/phone", "c", "", "phone_numbers[0].value"},
        {"/data/attributes/linkedin-url", "c", "", "urls"},
        {"/data/attributes/pitch", "c", "", "summary"},
        {"/data/attributes/unsubscribed", "c", "", "can_email"},
        {"/data/attributes/sourced", "c", "", "application.source"},
        {"/data/attributes/shoe-size", "c", "", "remote_fields.shoe-size"},
        {"/data/attributes/url", "u", "attachments[1]", "attachments[1].url"},
        {"/data/attributes/file-name", "u", "", "file_name"},
        {"/data/relationships/job", "a", "", "application.job_id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = tt_input_field(cases[i][0], cases[i][1][0], cases[i][2], out,
                                         sizeof out);
        ck_assert_msg(got && strcmp(got, cases[i][3]) == 0, "%s -> %s", cases[i][0],
                      got ? got : "NULL");
    }
    static const char *const none[][2] = {
        {"/data", "c"}, {"/data/relationships/candidate", "u"}, {"/data/attributes/", "c"},
        {"/data/relationships/job", "c"}, {"/data/attributes/internal", "u"}, {"", "c"}};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        ck_assert_ptr_null(tt_input_field(none[i][0], none[i][1][0], "", out, sizeof out));
    ck_assert_ptr_null(tt_input_field(NULL, 'c', "", out, sizeof out));
}
END_TEST

START_TEST(api_versions_are_dates)
{
    ck_assert(tt_valid_api_version("20240404"));
    ck_assert(tt_valid_api_version("20161108"));
    ck_assert(tt_valid_api_version(TT_DEFAULT_API_VERSION));
    ck_assert(!tt_valid_api_version("20161107"));
    ck_assert(!tt_valid_api_version("20241301"));
    ck_assert(!tt_valid_api_version("20240230"));
    ck_assert(!tt_valid_api_version("20240431"));
    ck_assert(!tt_valid_api_version("2024-04-04"));
    ck_assert(!tt_valid_api_version("2024040"));
    ck_assert(!tt_valid_api_version(""));
    ck_assert(!tt_valid_api_version(NULL));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("teamtailor_map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_document_matches_the_documented_request);
    tcase_add_test(tc, create_document_warns_what_teamtailor_cannot_hold);
    tcase_add_test(tc, job_application_document_matches);
    tcase_add_test(tc, upload_document_takes_urls_only);
    tcase_add_test(tc, documented_candidate_maps_every_field);
    tcase_add_test(tc, create_response_maps_with_nulls_left_out);
    tcase_add_test(tc, upload_maps_to_attachment);
    tcase_add_test(tc, malformed_resources_are_vendor_errors);
    tcase_add_test(tc, errors_give_the_vendors_words_and_the_field);
    tcase_add_test(tc, api_versions_are_dates);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
