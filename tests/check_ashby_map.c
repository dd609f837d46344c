/*
 * tests/check_ashby_map.c: the Ashby connector's mapping and envelope
 * reading, fed the payloads of plugins/ashby/fixtures (Ashby's documented
 * shapes, our own values). ashby_map.c is compiled into this test with a
 * stand-in services table that records warnings and failures.
 */
#include <uats/connector.h>

#include "ashby.h"
#include "fakehost.h"
#include "testutil.h"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", ASHBY_FIXTURES, name);
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

static void assert_valid(uats_kind kind, const json_t *doc)
{
    uats_object *obj;
    uats_error err;
    ck_assert_msg(uats_object_from_json(kind, doc, &obj, &err) == UATS_OK, "invalid: %s",
                  err.text);
    uats_object_free(obj);
}

/* The canonical form of a unified create input given as text. */
static json_t *canonical(const char *text)
{
    uats_object *in;
    uats_error err;
    ck_assert_msg(uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, text, strlen(text), &in,
                                        &err) == UATS_OK, "input: %s", err.text);
    json_t *doc = uats_object_to_json(in, 0);
    uats_object_free(in);
    return doc;
}

START_TEST(documented_candidate_maps_every_field)
{
    json_t *doc = fixture("candidate-info-response.json");
    json_t *cand = json_object_get(doc, "results");
    json_t *c = ashby_to_candidate(NULL, cand);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c");
    ck_assert_str_eq(str(c, "remote_id"), "3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c");
    /* One name: the first word, then the rest. */
    ck_assert_str_eq(str(c, "first_name"), "Marisol");
    ck_assert_str_eq(str(c, "last_name"), "van Achterberg");
    ck_assert_str_eq(str(c, "company"), "Grachtwerk BV");
    ck_assert_str_eq(str(c, "title"), "Platform Engineer");
    json_t *emails = json_object_get(c, "email_addresses");
    ck_assert_uint_eq(json_array_size(emails), 2);
    ck_assert_str_eq(str(json_array_get(emails, 0), "value"), "marisol.a@mail.example");
    ck_assert_str_eq(str(json_array_get(emails, 0), "type"), "PERSONAL");
    ck_assert_str_eq(str(json_array_get(emails, 1), "type"), "WORK");
    json_t *phones = json_object_get(c, "phone_numbers");
    ck_assert_uint_eq(json_array_size(phones), 2);
    ck_assert_str_eq(str(json_array_get(phones, 0), "value"), "+31 20 555 0199");
    ck_assert_str_eq(str(json_array_get(phones, 0), "type"), "HOME");
    ck_assert_str_eq(str(json_array_get(phones, 1), "type"), "WORK");
    json_t *urls = json_object_get(c, "urls");
    ck_assert_uint_eq(json_array_size(urls), 4);
    ck_assert_str_eq(str(json_array_get(urls, 0), "type"), "LINKEDIN");
    ck_assert_str_eq(str(json_array_get(urls, 1), "type"), "GITHUB");
    ck_assert_str_eq(str(json_array_get(urls, 2), "type"), "WEBSITE");
    ck_assert_str_eq(str(json_array_get(urls, 2), "value"), "https://marisol.example.dev");
    ck_assert_str_eq(str(json_array_get(urls, 3), "type"), "SOCIAL_MEDIA");
    json_t *tags = json_object_get(c, "tags");
    ck_assert_uint_eq(json_array_size(tags), 2);
    ck_assert_str_eq(json_string_value(json_array_get(tags, 1)), "Silver medalist");
    json_t *loc = json_object_get(c, "location");
    ck_assert_str_eq(str(loc, "city"), "Utrecht");
    ck_assert_str_eq(str(loc, "region"), "Utrecht");
    ck_assert_str_eq(str(loc, "country"), "NL");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "locations"), 0)),
                     "NL, Utrecht, Utrecht");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "applications"), 0)),
                     "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d");
    /* The resume is also among the files: listed once. */
    json_t *atts = json_object_get(c, "attachments");
    ck_assert_uint_eq(json_array_size(atts), 2);
    ck_assert_str_eq(json_string_value(json_array_get(atts, 0)),
                     "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    ck_assert_str_eq(json_string_value(json_array_get(atts, 1)),
                     "1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e");
    ck_assert_str_eq(str(c, "remote_created_at"), "2026-03-02T08:15:00Z");
    /* +01:00 normalized to UTC. */
    ck_assert_str_eq(str(c, "remote_updated_at"), "2026-03-04T16:40:12.250Z");
    ck_assert(json_equal(json_object_get(c, "remote_data"), cand));
    json_decref(c);
    json_decref(doc);
}
END_TEST

START_TEST(create_answer_with_country_name)
{
    json_t *doc = fixture("candidate-create-response.json");
    json_t *c = ashby_to_candidate(NULL, json_object_get(doc, "results"));
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "first_name"), "Tove");
    ck_assert_ptr_null(json_object_get(c, "last_name"));
    /* A country name is no ISO code: it stays in remote_data. */
    json_t *loc = json_object_get(c, "location");
    ck_assert_str_eq(str(loc, "city"), "Malmo");
    ck_assert_ptr_null(json_object_get(loc, "country"));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "attachments")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "email_addresses")), 0);
    json_decref(c);
    json_decref(doc);
    /* No id: a vendor error, not a candidate. */
    json_t *bad = json_pack("{s:s}", "name", "No Id");
    ck_assert_ptr_null(ashby_to_candidate(NULL, bad));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    json_decref(bad);
}
END_TEST

START_TEST(input_maps_to_documented_create_body)
{
    json_t *in = canonical(
        "{\"first_name\": \"Marisol\", \"last_name\": \"Achterberg\", \"title\": \"Engineer\","
        " \"company\": \"Grachtwerk BV\", \"locations\": [\"Utrecht\"],"
        " \"email_addresses\": [{\"value\": \"marisol.a@mail.example\", \"type\": \"PERSONAL\"},"
        "   {\"value\": \"m.achterberg@work.example\", \"type\": \"WORK\"}],"
        " \"phone_numbers\": [{\"value\": \"+31 20 555 0199\", \"type\": \"MOBILE\"},"
        "   {\"value\": \"+31 6 5555 0123\"}],"
        " \"urls\": [{\"value\": \"https://www.linkedin.com/in/marisol-a\", \"type\": \"LINKEDIN\"},"
        "   {\"value\": \"https://github.com/marisol-a\", \"type\": \"GITHUB\"},"
        "   {\"value\": \"https://marisol.example.dev\", \"type\": \"PORTFOLIO\"},"
        "   {\"value\": \"https://blog.example.dev\", \"type\": \"BLOG\"}],"
        " \"location\": {\"city\": \"Utrecht\", \"region\": \"Utrecht\", \"country\": \"NL\"},"
        " \"tags\": [\"Referral\"], \"gender\": \"x\", \"custom_fields\": {\"k\": 1},"
        " \"acting_user\": \"u-1\","
        " \"application\": {\"job_id\": \"2c6991c5-c9e2-4af8-879e-29c5a9d26509\","
        "   \"stage_id\": \"FirstPreInterviewScreen\", \"source\": \"applicant\","
        "   \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"yes\"}]},"
        " \"attachments\": [{\"file_name\": \"cv.pdf\", \"type\": \"RESUME\", \"data\": \"aGk=\"}],"
        " \"remote_fields\": {\"sourceId\": \"4c1f0b2e-8d7a-4e6f-9b3c-2a1d0e9f8c7b\","
        "   \"creditedToUserId\": \"9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b\"}}");
    json_t *body, *app;
    ck_assert_int_eq(ashby_create_body(NULL, in, &body, &app), UATS_OK);
    json_t *documented = fixture("candidate-create-request.json");
    ck_assert_str_eq(str(body, "name"), "Marisol Achterberg");
    ck_assert_str_eq(str(body, "email"), str(documented, "email"));
    ck_assert(json_equal(json_object_get(body, "alternateEmailAddresses"),
                         json_object_get(documented, "alternateEmailAddresses")));
    ck_assert_str_eq(str(body, "phoneNumber"), str(documented, "phoneNumber"));
    ck_assert_str_eq(str(body, "linkedInUrl"), str(documented, "linkedInUrl"));
    ck_assert_str_eq(str(body, "githubUrl"), str(documented, "githubUrl"));
    ck_assert_str_eq(str(body, "website"), str(documented, "website"));
    ck_assert(json_equal(json_object_get(body, "location"), json_object_get(documented, "location")));
    ck_assert_str_eq(str(body, "sourceId"), str(documented, "sourceId"));
    ck_assert_str_eq(str(body, "creditedToUserId"), str(documented, "creditedToUserId"));
    /* Key for key, only what candidate.create documents. */
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
        ck_assert_msg(json_object_get(documented, key) != NULL, "%s is not an Ashby field", key);
    /* The application, with the stage; candidateId comes after the create. */
    json_t *doc_app = fixture("application-create-request.json");
    ck_assert_str_eq(str(app, "jobId"), str(doc_app, "jobId"));
    ck_assert_str_eq(str(app, "interviewStageId"), str(doc_app, "interviewStageId"));
    ck_assert_ptr_null(json_object_get(app, "candidateId"));
    json_object_foreach(app, key, v)
        ck_assert_msg(json_object_get(doc_app, key) != NULL, "%s is not an Ashby field", key);
    static const char *const warned[] = {
        "title", "company", "locations", "tags", "gender", "custom_fields", "acting_user",
        "email_addresses[1].type", "phone_numbers[0].type", "phone_numbers[1]",
        "urls[2].type", "urls[3]", "application.source", "application.screening_answers"};
    for (size_t i = 0; i < sizeof warned / sizeof warned[0]; i++)
        ck_assert_msg(json_object_get(fake_warnings, warned[i]) != NULL, "no warning for %s",
                      warned[i]);
    ck_assert_uint_eq(json_object_size(fake_warnings), sizeof warned / sizeof warned[0]);
    json_decref(doc_app);
    json_decref(documented);
    json_decref(app);
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(minimal_input_and_refusals)
{
    json_t *in = canonical("{\"last_name\": \"Lind\", \"application\": {\"stage_id\": \"s\"}}");
    json_t *body, *app;
    ck_assert_int_eq(ashby_create_body(NULL, in, &body, &app), UATS_OK);
    ck_assert_str_eq(str(body, "name"), "Lind");
    ck_assert_uint_eq(json_object_size(body), 1);
    /* A stage without a job makes no application, and says so. */
    ck_assert_ptr_null(app);
    ck_assert_ptr_nonnull(json_object_get(fake_warnings, "application.stage_id"));
    json_decref(body);
    json_decref(in);
    /* Ashby requires a name: refused before anything is sent. */
    in = canonical("{\"email_addresses\": [{\"value\": \"a@b.example\"}]}");
    ck_assert_int_eq(ashby_create_body(NULL, in, &body, &app), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(fake_field, "first_name");
    ck_assert_ptr_null(body);
    ck_assert_ptr_null(app);
    json_decref(in);
}
END_TEST

START_TEST(envelope_success_and_refusals)
{
    json_t *doc = fixture("candidate-info-response.json"), *results;
    ck_assert_int_eq(ashby_envelope(NULL, doc, 200, "candidate.info", &results), UATS_OK);
    ck_assert_ptr_eq(results, json_object_get(doc, "results"));
    json_decref(doc);
    static const struct {
        const char *file;
        uats_code code;
    } cases[] = {{"error-not-found.json", UATS_E_NOT_FOUND},
                 {"error-invalid-input.json", UATS_E_VALIDATION},
                 {"error-missing-permission.json", UATS_E_FORBIDDEN},
                 {"error-rate-limit.json", UATS_E_RATE_LIMITED},
                 {"error-legacy-errors-only.json", UATS_E_NOT_FOUND}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_failure = UATS_OK;
        doc = fixture(cases[i].file);
        ck_assert_int_eq(ashby_envelope(NULL, doc, 200, "x", &results), cases[i].code);
        ck_assert_int_eq(fake_failure, cases[i].code);
        ck_assert_ptr_null(results);
        json_decref(doc);
    }
    /* No success flag, or success without results: the vendor's fault. */
    doc = json_pack("{s:{}}", "results");
    ck_assert_int_eq(ashby_envelope(NULL, doc, 200, "x", &results), UATS_E_VENDOR);
    json_decref(doc);
    doc = json_pack("{s:b}", "success", 1);
    ck_assert_int_eq(ashby_envelope(NULL, doc, 200, "x", &results), UATS_E_VENDOR);
    json_decref(doc);
    doc = json_pack("[i]", 1);
    ck_assert_int_eq(ashby_envelope(NULL, doc, 200, "x", &results), UATS_E_VENDOR);
    json_decref(doc);
    ck_assert_int_eq(ashby_error_code("job_not_found"), UATS_E_NOT_FOUND);
    ck_assert_int_eq(ashby_error_code("something_new"), UATS_E_VALIDATION);
    ck_assert_int_eq(ashby_error_code(NULL), UATS_E_VENDOR);
}
END_TEST

START_TEST(upload_answer_gives_the_new_file)
{
    json_t *doc = fixture("candidate-upload-file-response.json");
    json_t *cand = json_object_get(doc, "results");
    json_t *before = json_pack("[s, s]", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                               "1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e");
    const json_t *f = ashby_new_file(cand, before, false);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(str(f, "name"), "references.pdf");
    /* A resume answer whose resume is not new falls back on the files. */
    ck_assert_ptr_eq(ashby_new_file(cand, before, true), f);
    json_t *a = ashby_to_attachment(NULL, f, "3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c",
                                    "application/pdf", "OTHER");
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "id"), "2c3d4e5f-6a7b-4c8d-8e9f-0a1b2c3d4e5f");
    ck_assert_str_eq(str(a, "candidate_id"), "3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c");
    ck_assert_str_eq(str(a, "file_name"), "references.pdf");
    ck_assert_str_eq(str(a, "content_type"), "application/pdf");
    ck_assert_str_eq(str(a, "type"), "OTHER");
    ck_assert_str_eq(str(json_object_get(a, "remote_data"), "handle"), "aGFuZGxlOmZpbGU6Mg");
    json_decref(a);
    /* Nothing new: nothing found. */
    json_array_append_new(before, json_string("2c3d4e5f-6a7b-4c8d-8e9f-0a1b2c3d4e5f"));
    ck_assert_ptr_null(ashby_new_file(cand, before, false));
    json_decref(before);
    /* A new resume is the resume handle. */
    before = json_array();
    f = ashby_new_file(cand, before, true);
    ck_assert_str_eq(str(f, "name"), "Marisol_CV.pdf");
    json_decref(before);
    json_decref(doc);
}
END_TEST

START_TEST(ids_and_names)
{
    ck_assert(ashby_is_id("3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c"));
    ck_assert(!ashby_is_id("3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0"));
    ck_assert(!ashby_is_id("3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0cc"));
    ck_assert(!ashby_is_id("uats-conformance-no-such-candidate"));
    ck_assert(!ashby_is_id(""));
    ck_assert(!ashby_is_id(NULL));
    char first[64], last[64];
    ashby_split_name("  Ada  ", first, sizeof first, last, sizeof last);
    ck_assert_str_eq(first, "Ada");
    ck_assert_str_eq(last, "");
    ashby_split_name("Mary Ann Smith", first, sizeof first, last, sizeof last);
    ck_assert_str_eq(first, "Mary");
    ck_assert_str_eq(last, "Ann Smith");
}
END_TEST

START_TEST(list_page_rows_map)
{
    json_t *doc = fixture("candidate-list-page.json");
    ck_assert(json_is_true(json_object_get(doc, "moreDataAvailable")));
    ck_assert_str_eq(str(doc, "nextCursor"), "opaque-cursor-0002");
    json_t *c = ashby_to_candidate(NULL, json_array_get(json_object_get(doc, "results"), 0));
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "last_name"), "van Achterberg");
    json_decref(c);
    json_decref(doc);
    doc = fixture("application-create-response.json");
    ck_assert_str_eq(str(json_object_get(doc, "results"), "id"),
                     "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d");
    json_decref(doc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ashby mapping");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, documented_candidate_maps_every_field);
    tcase_add_test(tc, create_answer_with_country_name);
    tcase_add_test(tc, input_maps_to_documented_create_body);
    tcase_add_test(tc, minimal_input_and_refusals);
    tcase_add_test(tc, envelope_success_and_refusals);
    tcase_add_test(tc, upload_answer_gives_the_new_file);
    tcase_add_test(tc, ids_and_names);
    tcase_add_test(tc, list_page_rows_map);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
