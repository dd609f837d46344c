/*
 * tests/check_smartrecruiters_map.c: the SmartRecruiters connector's
 * mapping, fed the documented example payloads
 * (plugins/smartrecruiters/fixtures, shapes from
 * docs/vendors/smartrecruiters.md, values our own). smartrecruiters_map.c
 * is compiled into this test with a stand-in services table.
 */
#include <uats/connector.h>

#include "fakehost.h"
#include "smartrecruiters.h"
#include "testutil.h"

#define JOB "7c1e2f8a-0d4b-4c3e-9a51-2b6f0e8d4a10"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", SMARTRECRUITERS_FIXTURES, name);
    json_t *doc = json_load_file(path, 0, &jerr);
    ck_assert_msg(doc != NULL, "%s: %s", path, jerr.text);
    return doc;
}

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    ck_assert_msg(doc != NULL, "%s", jerr.text);
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

static const char *item_str(const json_t *obj, const char *list, size_t i, const char *key)
{
    return str(json_array_get(json_object_get(obj, list), i), key);
}

static const char *nth(const json_t *obj, const char *list, size_t i)
{
    return json_string_value(json_array_get(json_object_get(obj, list), i));
}

static void assert_valid(uats_kind kind, const json_t *doc)
{
    uats_object *obj;
    uats_error err;
    ck_assert_msg(uats_object_from_json(kind, doc, &obj, &err) == UATS_OK,
                  "mapped object invalid: %s", err.text);
    uats_object_free(obj);
}

static bool warned(const char *field)
{
    return json_object_get(fake_warnings, field) != NULL;
}

/* ---- SmartRecruiters -> unified ---- */

START_TEST(documented_candidate_maps_every_field)
{
    json_t *doc = fixture("candidate-get-response.json");
    json_t *files = fixture("attachments-list-response.json");
    json_t *ids = sr_attachment_ids(NULL, files);
    ck_assert_ptr_nonnull(ids);
    json_t *c = sr_to_candidate(NULL, doc, ids, files);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "e41a9c20-6b3f-4d15-9f7e-1a2b3c4d5e6f");
    ck_assert_str_eq(str(c, "remote_id"), "e41a9c20-6b3f-4d15-9f7e-1a2b3c4d5e6f");
    ck_assert_str_eq(str(c, "first_name"), "Tomasz");
    ck_assert_str_eq(str(c, "last_name"), "Brandt");
    ck_assert(json_is_true(json_object_get(c, "is_internal")));
    /* One e-mail and one phone, untyped. */
    ck_assert_uint_eq(json_array_size(json_object_get(c, "email_addresses")), 1);
    ck_assert_str_eq(item_str(c, "email_addresses", 0, "value"), "t.brandt@mail.example");
    ck_assert_ptr_null(item_str(c, "email_addresses", 0, "type"));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "phone_numbers")), 1);
    ck_assert_str_eq(item_str(c, "phone_numbers", 0, "value"), "+48 500 000 123");
    /* web: facebook is a social profile, website a website. */
    ck_assert_uint_eq(json_array_size(json_object_get(c, "urls")), 2);
    ck_assert_str_eq(item_str(c, "urls", 0, "value"), "https://www.facebook.com/tbrandt.example");
    ck_assert_str_eq(item_str(c, "urls", 0, "type"), "SOCIAL_MEDIA");
    ck_assert_str_eq(item_str(c, "urls", 1, "type"), "WEBSITE");
    /* Location: the code, upper-cased; the country's name and the
     * coordinates stay in remote_data. */
    json_t *loc = json_object_get(c, "location");
    ck_assert_str_eq(str(loc, "city"), "Krakow");
    ck_assert_str_eq(str(loc, "region"), "Lesser Poland");
    ck_assert_str_eq(str(loc, "country"), "PL");
    ck_assert_uint_eq(json_object_size(loc), 3);
    ck_assert_str_eq(nth(c, "tags", 0), "java");
    ck_assert_str_eq(nth(c, "tags", 1), "team lead");
    /* Education: the year-only start is not a date; the end is. */
    json_t *edu = json_array_get(json_object_get(c, "education"), 0);
    ck_assert_str_eq(str(edu, "school"), "AGH University of Krakow");
    ck_assert_str_eq(str(edu, "degree"), "BSc");
    ck_assert_str_eq(str(edu, "major"), "Computer Science");
    ck_assert_ptr_null(json_object_get(edu, "start_date"));
    ck_assert_str_eq(str(edu, "end_date"), "2012-06-30");
    ck_assert(json_is_false(json_object_get(edu, "is_current")));
    json_t *job = json_array_get(json_object_get(c, "experience"), 0);
    ck_assert_str_eq(str(job, "title"), "Team Lead");
    ck_assert_str_eq(str(job, "company"), "Wisla Software");
    ck_assert_str_eq(str(job, "start_date"), "2016-02-01");
    ck_assert_str_eq(str(job, "end_date"), "2025-10-31");
    /* Times in UTC; the +01:00 offset applied. */
    ck_assert_str_eq(str(c, "remote_created_at"), "2025-11-20T13:02:11Z");
    ck_assert_str_eq(str(c, "remote_updated_at"), "2026-01-05T08:30:00.250Z");
    /* Applications are the assigned jobs, primary first. */
    ck_assert_uint_eq(json_array_size(json_object_get(c, "applications")), 2);
    ck_assert_str_eq(nth(c, "applications", 0), JOB);
    ck_assert_str_eq(nth(c, "applications", 1), "5b9d3c71-6e2a-4f08-8c47-91d0a3e6b2f5");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "attachments")), 2);
    ck_assert_str_eq(nth(c, "attachments", 1), "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
    /* The vendor's records, unchanged. */
    json_t *raw = json_object_get(c, "remote_data");
    ck_assert(json_equal(json_object_get(raw, "candidate"), doc));
    ck_assert(json_equal(json_object_get(raw, "attachments"), files));
    json_decref(c);
    json_decref(ids);
    json_decref(files);
    json_decref(doc);
}
END_TEST

START_TEST(create_answer_maps)
{
    json_t *doc = fixture("candidate-create-response.json");
    json_t *none = json_array();
    json_t *c = sr_to_candidate(NULL, doc, none, NULL);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "0b6c1f4e-2d7a-4a93-b8e5-5c1d7f2e9a31");
    ck_assert(json_is_false(json_object_get(c, "is_internal")));
    /* Skype is a phone of type SKYPE; every web slot comes back typed. */
    ck_assert_str_eq(item_str(c, "phone_numbers", 1, "value"), "marta.vidal.dev");
    ck_assert_str_eq(item_str(c, "phone_numbers", 1, "type"), "SKYPE");
    ck_assert_str_eq(item_str(c, "urls", 0, "type"), "LINKEDIN");
    ck_assert_str_eq(item_str(c, "urls", 1, "type"), "TWITTER");
    ck_assert_str_eq(item_str(c, "urls", 2, "type"), "WEBSITE");
    ck_assert_str_eq(str(json_object_get(c, "location"), "country"), "ES");
    ck_assert_str_eq(nth(c, "applications", 0), JOB);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "applications")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "attachments")), 0);
    ck_assert(json_is_null(json_object_get(json_object_get(c, "remote_data"), "attachments")));
    json_t *edu = json_array_get(json_object_get(c, "education"), 0);
    ck_assert_str_eq(str(edu, "start_date"), "2014-09-01");
    json_decref(c);
    /* A Talent Pool candidate has no assignment: no applications. */
    json_object_del(doc, "primaryAssignment");
    c = sr_to_candidate(NULL, doc, NULL, NULL);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "applications")), 0);
    ck_assert_ptr_null(json_object_get(c, "attachments"));
    assert_valid(UATS_KIND_CANDIDATE, c);
    json_decref(c);
    json_decref(none);
    json_decref(doc);
}
END_TEST

START_TEST(malformed_candidates_are_vendor_errors)
{
    static const char *const bad[] = {
        "{\"firstName\": \"A\"}", "{\"id\": 42}", "{\"id\": \"\"}", "[1]",
        "{\"id\": \"x\", \"firstName\": [\"A\"]}", "{\"id\": \"x\", \"web\": \"w\"}",
        "{\"id\": \"x\", \"tags\": \"t\"}", "{\"id\": \"x\", \"internal\": \"no\"}",
        "{\"id\": \"x\", \"primaryAssignment\": []}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *doc = parse(bad[i]);
        fake_failure = UATS_OK;
        ck_assert_msg(sr_to_candidate(NULL, doc, NULL, NULL) == NULL, "%s", bad[i]);
        ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
        json_decref(doc);
    }
    /* Nulls are absent values, not errors. */
    json_t *doc = parse("{\"id\": \"x\", \"phoneNumber\": null, \"web\": null}");
    json_t *c = sr_to_candidate(NULL, doc, NULL, NULL);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    json_decref(c);
    json_decref(doc);
}
END_TEST

START_TEST(attachments_map)
{
    json_t *doc = fixture("attachment-upload-response.json");
    json_t *a = sr_to_attachment(NULL, doc, "e41a9c20-6b3f-4d15-9f7e-1a2b3c4d5e6f");
    ck_assert_ptr_nonnull(a);
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "id"), "c0ffee00-1234-4abc-9def-00000000beef");
    ck_assert_str_eq(str(a, "remote_id"), "c0ffee00-1234-4abc-9def-00000000beef");
    ck_assert_str_eq(str(a, "candidate_id"), "e41a9c20-6b3f-4d15-9f7e-1a2b3c4d5e6f");
    ck_assert_str_eq(str(a, "file_name"), "references.txt");
    ck_assert_str_eq(str(a, "content_type"), "text/plain");
    ck_assert_str_eq(str(a, "type"), "OTHER");
    ck_assert_ptr_nonnull(strstr(str(a, "file_url"), "/attachments/c0ffee00-"));
    ck_assert(json_equal(json_object_get(a, "remote_data"), doc));
    json_decref(a);
    json_decref(doc);

    json_t *list = fixture("attachments-list-response.json");
    a = sr_to_attachment(NULL, json_array_get(json_object_get(list, "content"), 1), NULL);
    ck_assert_str_eq(str(a, "type"), "RESUME");
    ck_assert_ptr_null(json_object_get(a, "candidate_id"));
    json_decref(a);
    a = sr_to_attachment(NULL, json_array_get(json_object_get(list, "content"), 0), NULL);
    ck_assert_str_eq(str(a, "type"), "OTHER"); /* AVATAR */
    json_decref(a);
    json_decref(list);

    /* No id, no list. */
    doc = parse("{\"name\": \"x\"}");
    ck_assert_ptr_null(sr_to_attachment(NULL, doc, NULL));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    ck_assert_ptr_null(sr_attachment_ids(NULL, doc));
    json_decref(doc);
    doc = parse("{\"totalFound\": 1, \"content\": [{\"id\": 7}]}");
    ck_assert_ptr_null(sr_attachment_ids(NULL, doc));
    json_decref(doc);
}
END_TEST

/* ---- unified -> SmartRecruiters ---- */

static const char marta[] =
    "{\"first_name\": \"Marta\", \"last_name\": \"Vidal\","
    " \"email_addresses\": [{\"value\": \"marta.vidal@mail.example\"}],"
    " \"phone_numbers\": [{\"value\": \"+34 600 000 417\"},"
    "   {\"value\": \"marta.vidal.dev\", \"type\": \"SKYPE\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/martavidal-example\", \"type\": \"LINKEDIN\"},"
    "   {\"value\": \"https://twitter.com/mvidal_example\", \"type\": \"TWITTER\"},"
    "   {\"value\": \"https://marta.example.dev\", \"type\": \"WEBSITE\"}],"
    " \"location\": {\"city\": \"Valencia\", \"region\": \"Comunitat Valenciana\", \"country\": \"ES\"},"
    " \"tags\": [\"embedded\", \"referral 2026\"], \"is_internal\": false,"
    " \"education\": [{\"school\": \"Universitat Politecnica de Valencia\", \"degree\": \"MSc\","
    "   \"major\": \"Embedded Systems\", \"is_current\": false, \"start_date\": \"2014-09-01\","
    "   \"end_date\": \"2016-07-15\"}],"
    " \"experience\": [{\"title\": \"Senior Firmware Engineer\", \"company\": \"Nordlicht Robotics\","
    "   \"is_current\": true, \"start_date\": \"2019-03-01\", \"location\": \"Valencia\","
    "   \"description\": \"Motor control firmware\"}],"
    " \"application\": {\"job_id\": \"" JOB "\"}}";

START_TEST(create_body_is_the_documented_request)
{
    json_t *in = parse(marta), *body, *want = fixture("candidate-create-request.json");
    const char *job;
    ck_assert_int_eq(sr_create_body(NULL, in, &body, &job), UATS_OK);
    char *got = json_dumps(body, JSON_SORT_KEYS);
    ck_assert_msg(json_equal(body, want), "body: %s", got);
    free(got);
    ck_assert_str_eq(job, JOB);
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    /* ...and what the vendor answers reads back as the input. */
    json_t *answer = fixture("candidate-create-response.json");
    json_t *back = sr_to_candidate(NULL, answer, NULL, NULL);
    static const char *const same[] = {"first_name", "last_name", "location", "tags",
                                       "is_internal", "education", "experience"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        ck_assert_msg(json_equal(json_object_get(in, same[i]), json_object_get(back, same[i])),
                      "%s differs", same[i]);
    json_decref(back);
    json_decref(answer);
    json_decref(body);
    json_decref(want);
    json_decref(in);
}
END_TEST

START_TEST(talent_pool_without_a_job)
{
    json_t *in = parse("{\"first_name\": \"A\", \"last_name\": \"B\","
                       " \"email_addresses\": [{\"value\": \"a@b.example\"}]}"), *body;
    const char *job = "unset";
    ck_assert_int_eq(sr_create_body(NULL, in, &body, &job), UATS_OK);
    ck_assert_ptr_null(job);
    ck_assert_uint_eq(json_object_size(body), 3);
    ck_assert_ptr_null(json_object_get(body, "web"));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(unstorable_fields_are_warned_by_path)
{
    json_t *in = parse(
        "{\"first_name\": \"A\", \"last_name\": \"B\", \"company\": \"C\", \"title\": \"T\","
        " \"is_private\": true, \"can_email\": true, \"avatar\": \"https://x.example/a.png\","
        " \"custom_fields\": {\"k\": 1}, \"gender\": \"g\", \"date_of_birth\": \"1990-01-01\","
        " \"address\": \"Main St 1\", \"locations\": [\"Madrid\"], \"summary\": \"s\","
        " \"skills\": [\"C\"], \"certifications\": [{\"name\": \"CKA\"}],"
        " \"visa_statuses\": [\"EU\"], \"veteran_status\": false, \"disability_status\": false,"
        " \"races\": [\"r\"], \"highest_education_level\": \"MSc\", \"contact_consent\": \"all\","
        " \"is_anonymized\": false, \"salary_expectations\": {\"amount\": 1, \"currency\": \"EUR\"},"
        " \"availability_date\": \"2030-01-01\", \"id\": \"mine\", \"acting_user\": \"u1\","
        " \"email_addresses\": [{\"value\": \"a@b.example\", \"type\": \"WORK\"},"
        "   {\"value\": \"second@b.example\"}],"
        " \"phone_numbers\": [{\"value\": \"1\", \"type\": \"MOBILE\"}, {\"value\": \"2\"},"
        "   {\"value\": \"s1\", \"type\": \"SKYPE\"}, {\"value\": \"s2\", \"type\": \"SKYPE\"}],"
        " \"urls\": [{\"value\": \"https://github.com/ab\", \"type\": \"GITHUB\"},"
        "   {\"value\": \"https://ab.example\", \"type\": \"WEBSITE\"},"
        "   {\"value\": \"https://www.facebook.com/ab\", \"type\": \"SOCIAL_MEDIA\"},"
        "   {\"value\": \"https://mastodon.example/@ab\", \"type\": \"SOCIAL_MEDIA\"},"
        "   {\"value\": \"https://linkedin.com/in/a\", \"type\": \"LINKEDIN\"},"
        "   {\"value\": \"https://linkedin.com/in/b\", \"type\": \"LINKEDIN\"}],"
        " \"education\": [{\"school\": \"S\", \"is_graduated\": true}],"
        " \"experience\": [{\"company\": \"C\", \"department\": \"D\", \"is_internal\": true}],"
        " \"application\": {\"job_id\": \"j\", \"stage_id\": \"s\", \"source\": \"lead\","
        "   \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"a\"}],"
        "   \"form_answers\": [{\"name\": \"n\", \"value\": 1}]}}"), *body;
    const char *job;
    ck_assert_int_eq(sr_create_body(NULL, in, &body, &job), UATS_OK);
    static const char *const want[] = {
        "company", "title", "is_private", "can_email", "avatar", "custom_fields", "gender",
        "date_of_birth", "address", "locations", "summary", "skills", "certifications",
        "visa_statuses", "veteran_status", "disability_status", "races",
        "highest_education_level", "contact_consent", "is_anonymized", "salary_expectations",
        "availability_date", "id", "acting_user", "email_addresses[0].type",
        "email_addresses[1]", "phone_numbers[0].type", "phone_numbers[1]", "phone_numbers[3]",
        "urls[0].type", "urls[1]", "urls[3]", "urls[5]", "education[0].is_graduated",
        "experience[0].department", "experience[0].is_internal", "application.stage_id",
        "application.source", "application.screening_answers", "application.form_answers"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(warned(want[i]), "no warning for %s", want[i]);
    ck_assert_uint_eq(json_object_size(fake_warnings), sizeof want / sizeof want[0]);
    /* What was sent: the first of each, into its slot. */
    ck_assert_str_eq(str(body, "email"), "a@b.example");
    ck_assert_str_eq(str(body, "phoneNumber"), "1");
    json_t *web = json_object_get(body, "web");
    ck_assert_str_eq(str(web, "skype"), "s1");
    ck_assert_str_eq(str(web, "website"), "https://github.com/ab");
    ck_assert_str_eq(str(web, "facebook"), "https://www.facebook.com/ab");
    ck_assert_str_eq(str(web, "linkedin"), "https://linkedin.com/in/a");
    ck_assert_ptr_null(json_object_get(web, "twitter"));
    ck_assert_str_eq(job, "j");
    /* Nothing unified leaks into the body under its own name. */
    ck_assert_ptr_null(json_object_get(body, "company"));
    ck_assert_ptr_null(json_object_get(body, "application"));
    ck_assert_str_eq(item_str(body, "experience", 0, "company"), "C");
    ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(body, "experience"), 0),
                                       "department"));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(required_fields_refused_before_sending)
{
    static const char *const inputs[][2] = {
        {"{\"last_name\": \"B\", \"email_addresses\": [{\"value\": \"a@b.example\"}]}",
         "first_name"},
        {"{\"first_name\": \"A\", \"email_addresses\": [{\"value\": \"a@b.example\"}]}",
         "last_name"},
        {"{\"first_name\": \"A\", \"last_name\": \"B\"}", "email_addresses"},
        {"{\"first_name\": \"\", \"last_name\": \"B\", \"email_addresses\": [{\"value\": \"a@b.example\"}]}",
         "first_name"}};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        json_t *in = parse(inputs[i][0]), *body = (json_t *)1;
        const char *job;
        ck_assert_int_eq(sr_create_body(NULL, in, &body, &job), UATS_E_INVALID_INPUT);
        ck_assert_ptr_null(body);
        ck_assert_str_eq(fake_field, inputs[i][1]);
        json_decref(in);
    }
    /* remote_fields may supply them, and win over mapped values. */
    json_t *in = parse("{\"first_name\": \"A\", \"last_name\": \"B\", \"remote_fields\":"
                       " {\"email\": \"r@b.example\", \"firstName\": \"Ana\","
                       "  \"sourceDetails\": {\"sourceTypeId\": \"JOB_BOARD\"}}}"), *body;
    const char *job;
    ck_assert_int_eq(sr_create_body(NULL, in, &body, &job), UATS_OK);
    ck_assert_str_eq(str(body, "email"), "r@b.example");
    ck_assert_str_eq(str(body, "firstName"), "Ana");
    ck_assert_str_eq(str(json_object_get(body, "sourceDetails"), "sourceTypeId"), "JOB_BOARD");
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(attachment_types)
{
    static const char *const cases[][3] = {
        {"{\"file_name\": \"cv.pdf\", \"type\": \"RESUME\"}", "RESUME", NULL},
        {"{\"file_name\": \"x.txt\"}", "GENERIC_FILE", NULL},
        {"{\"file_name\": \"x.txt\", \"type\": \"OTHER\"}", "GENERIC_FILE", NULL},
        {"{\"file_name\": \"l.pdf\", \"type\": \"COVER_LETTER\"}", "GENERIC_FILE", "type"},
        {"{\"file_name\": \"o.pdf\", \"type\": \"OFFER_LETTER\"}", "GENERIC_FILE", "type"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *in = parse(cases[i][0]);
        json_object_clear(fake_warnings);
        ck_assert_str_eq(sr_attachment_type(NULL, in, ""), cases[i][1]);
        ck_assert_uint_eq(json_object_size(fake_warnings), cases[i][2] ? 1 : 0);
        if (cases[i][2])
            ck_assert(warned(cases[i][2]));
        json_decref(in);
    }
    /* Inside a create, the warning names the file's path. */
    json_t *in = parse("{\"file_name\": \"l.pdf\", \"type\": \"COVER_LETTER\"}");
    json_object_clear(fake_warnings);
    sr_attachment_type(NULL, in, "attachments[2]");
    ck_assert(warned("attachments[2].type"));
    json_decref(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("smartrecruiters_map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, documented_candidate_maps_every_field);
    tcase_add_test(tc, create_answer_maps);
    tcase_add_test(tc, malformed_candidates_are_vendor_errors);
    tcase_add_test(tc, attachments_map);
    tcase_add_test(tc, create_body_is_the_documented_request);
    tcase_add_test(tc, talent_pool_without_a_job);
    tcase_add_test(tc, unstorable_fields_are_warned_by_path);
    tcase_add_test(tc, required_fields_refused_before_sending);
    tcase_add_test(tc, attachment_types);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
