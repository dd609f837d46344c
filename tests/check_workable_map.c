/*
 * tests/check_workable_map.c: the Workable connector's mapping, fed the
 * example payloads of plugins/workable/fixtures (the shapes of
 * docs/vendors/workable.md). workable_map.c is compiled into this test with
 * a stand-in services table that records warnings and failures.
 */
#include <uats/connector.h>

#include "fakehost.h"
#include "testutil.h"
#include "workable.h"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", WORKABLE_FIXTURES, name);
    json_t *doc = json_load_file(path, 0, &jerr);
    ck_assert_msg(doc != NULL, "%s: %s", path, jerr.text);
    return doc;
}

static json_t *doc(const char *text)
{
    json_error_t jerr;
    json_t *d = json_loads(text, 0, &jerr);
    ck_assert_msg(d != NULL, "%s", jerr.text);
    return d;
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

static void assert_valid_candidate(const json_t *cand)
{
    uats_object *obj;
    uats_error err;
    ck_assert_msg(uats_object_from_json(UATS_KIND_CANDIDATE, cand, &obj, &err) == UATS_OK,
                  "mapped candidate invalid: %s", err.text);
    uats_object_free(obj);
}

static bool warned(const char *field)
{
    return json_object_get(fake_warnings, field) != NULL;
}

/* The unified input that is the documented create request, field for field. */
static const char maren[] =
    "{\"first_name\": \"Maren\", \"last_name\": \"Oyelaran-Voss\","
    " \"title\": \"Control Systems Engineer\", \"company\": \"Tidewater Pumps\","
    " \"email_addresses\": [{\"value\": \"maren.ov@example.org\"}],"
    " \"phone_numbers\": [{\"value\": \"+44 117 555 0199\"}],"
    " \"summary\": \"Ten years of PLC and SCADA work on municipal water plants.\","
    " \"address\": {\"street\": \"14 Quayside Row\", \"city\": \"Bristol\","
    "   \"postal_code\": \"BS1 4QA\", \"country\": \"GB\"},"
    " \"education\": [{\"school\": \"University of Strathclyde\", \"degree\": \"MEng\","
    "   \"major\": \"Electronic Engineering\", \"start_date\": \"2009-09-01\","
    "   \"end_date\": \"2014-06-30\"}],"
    " \"experience\": [{\"title\": \"Control Systems Engineer\", \"company\": \"Tidewater Pumps\","
    "   \"description\": \"Commissioning of pump stations.\", \"start_date\": \"2018-02-01\","
    "   \"is_current\": true},"
    "  {\"title\": \"Graduate Engineer\", \"company\": \"Severn Automation\","
    "   \"start_date\": \"2014-09-01\", \"end_date\": \"2018-01-31\", \"is_current\": false}],"
    " \"skills\": [\"PLC\", \"SCADA\"], \"tags\": [\"water\", \"referral\"],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/maren-ov\", \"type\": \"LINKEDIN\"},"
    "   {\"value\": \"https://twitter.com/marenov\"}],"
    " \"application\": {\"job_id\": \"TIDE0042\", \"source\": \"applicant\","
    "   \"screening_answers\": [{\"question_id\": \"4e1a07c2\", \"answer\": \"Yes, from March\"},"
    "     {\"question_id\": \"4e1a07c3\", \"answer\": [\"b91d3f00\"]}]},"
    " \"attachments\": [{\"file_name\": \"maren-ov-cv.pdf\", \"content_type\": \"application/pdf\","
    "   \"type\": \"RESUME\", \"data\": \"JVBERi0xLjQKJcfsj6IK\"}]}";

START_TEST(unified_input_gives_the_documented_request)
{
    json_t *in = doc(maren), *want = fixture("candidate-create-request.json"), *body;
    const char *shortcode;
    int resume_at;
    ck_assert_int_eq(wk_create_body(NULL, in, &body, &shortcode, &resume_at), UATS_OK);
    ck_assert_str_eq(shortcode, "TIDE0042");
    ck_assert_int_eq(resume_at, 0);
    /* Field by field first, for a readable failure; then the whole. */
    json_t *c = json_object_get(body, "candidate"), *wc = json_object_get(want, "candidate");
    const char *key;
    json_t *v;
    json_object_foreach(wc, key, v)
        ck_assert_msg(json_equal(v, json_object_get(c, key)), "candidate.%s differs", key);
    json_object_foreach(c, key, v)
        ck_assert_msg(json_object_get(wc, key) != NULL, "candidate.%s was not expected", key);
    ck_assert(json_is_false(json_object_get(body, "sourced")));
    ck_assert(json_equal(body, want));
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    json_decref(body);
    json_decref(want);
    json_decref(in);
}
END_TEST

START_TEST(without_a_job_the_candidate_goes_to_the_talent_pool)
{
    json_t *in = doc("{\"first_name\": \"Teodor\", \"email_addresses\": [{\"value\": "
                     "\"teodor@example.net\"}], \"application\": {\"source\": \"lead\"},"
                     " \"attachments\": [{\"file_name\": \"cv.pdf\", \"url\": "
                     "\"https://files.example.net/teodor-cv.pdf\"}]}");
    json_t *want = fixture("talent-pool-create-request.json"), *body;
    const char *shortcode;
    int resume_at;
    ck_assert_int_eq(wk_create_body(NULL, in, &body, &shortcode, &resume_at), UATS_OK);
    ck_assert_ptr_null(shortcode);
    ck_assert_int_eq(resume_at, 0);
    json_t *c = json_object_get(body, "candidate"), *wc = json_object_get(want, "candidate");
    /* One name part only: Workable's name is required, and sent. */
    ck_assert_str_eq(str(c, "name"), str(wc, "name"));
    ck_assert_str_eq(str(c, "firstname"), "Teodor");
    ck_assert_ptr_null(json_object_get(c, "lastname"));
    ck_assert_str_eq(str(c, "email"), str(wc, "email"));
    ck_assert_str_eq(str(c, "resume_url"), str(wc, "resume_url"));
    ck_assert_ptr_null(json_object_get(c, "resume"));
    ck_assert(json_equal(json_object_get(body, "sourced"), json_object_get(want, "sourced")));
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    json_decref(body);
    json_decref(want);
    json_decref(in);
}
END_TEST

START_TEST(what_workable_cannot_hold_is_warned_by_path)
{
    json_t *in = doc(
        "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"gender\": \"female\","
        " \"locations\": [\"London\"], \"location\": {\"city\": \"London\"},"
        " \"custom_fields\": {\"k\": 1}, \"is_private\": true, \"acting_user\": \"u1\","
        " \"email_addresses\": [{\"value\": \"a@example.com\", \"type\": \"WORK\"},"
        "   {\"value\": \"b@example.com\"}],"
        " \"phone_numbers\": [{\"value\": \"1\"}, {\"value\": \"2\", \"type\": \"HOME\"}],"
        " \"urls\": [{\"value\": \"https://github.com/ada\", \"type\": \"GITHUB\"}],"
        " \"education\": [{\"degree\": \"BA\"}, {\"school\": \"S\", \"is_graduated\": true}],"
        " \"experience\": [{\"company\": \"C\"}, {\"title\": \"T\", \"department\": \"D\"}],"
        " \"application\": {\"stage_id\": \"s1\", \"form_answers\": [{\"name\": \"n\", "
        "   \"value\": 1}], \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"a\"}]},"
        " \"attachments\": [{\"file_name\": \"l.txt\", \"type\": \"COVER_LETTER\", \"data\": \"eA==\"},"
        "   {\"file_name\": \"cv.pdf\", \"type\": \"RESUME\", \"data\": \"eA==\", "
        "    \"application_id\": \"a1\"},"
        "   {\"file_name\": \"cv2.pdf\", \"type\": \"RESUME\", \"data\": \"eA==\"}]}");
    json_t *body;
    const char *shortcode;
    int resume_at;
    ck_assert_int_eq(wk_create_body(NULL, in, &body, &shortcode, &resume_at), UATS_OK);
    static const char *const fields[] = {
        "gender", "locations", "location", "custom_fields", "is_private", "acting_user",
        "email_addresses[0].type", "email_addresses[1]", "phone_numbers[1]", "urls[0]",
        "education[0]", "education[1].is_graduated", "experience[0]",
        "experience[1].department", "application.stage_id", "application.form_answers",
        "application.screening_answers", "attachments[0]", "attachments[1].application_id",
        "attachments[2]", NULL};
    for (const char *const *f = fields; *f; f++)
        ck_assert_msg(warned(*f), "no warning for %s", *f);
    ck_assert_uint_eq(json_object_size(fake_warnings), 20);
    json_t *c = json_object_get(body, "candidate");
    ck_assert_int_eq(resume_at, 1);
    ck_assert_str_eq(str(json_object_get(c, "resume"), "name"), "cv.pdf");
    ck_assert_str_eq(str(c, "email"), "a@example.com");
    ck_assert_str_eq(str(c, "phone"), "1");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "social_profiles")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "education_entries")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "experience_entries")), 1);
    ck_assert_ptr_null(json_object_get(c, "answers"));
    ck_assert_ptr_null(json_object_get(body, "sourced"));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(inputs_workable_refuses_are_not_sent)
{
    json_t *body;
    const char *shortcode;
    int resume_at;
    json_t *in = doc("{\"email_addresses\": [{\"value\": \"a@example.com\"}]}");
    ck_assert_int_eq(wk_create_body(NULL, in, &body, &shortcode, &resume_at),
                     UATS_E_INVALID_INPUT);
    ck_assert_str_eq(fake_field, "first_name");
    ck_assert_ptr_null(body);
    json_decref(in);
    in = doc("{\"last_name\": \"Lovelace\"}");
    ck_assert_int_eq(wk_create_body(NULL, in, &body, &shortcode, &resume_at),
                     UATS_E_INVALID_INPUT);
    ck_assert_str_eq(fake_field, "email_addresses");
    ck_assert_ptr_null(body);
    json_decref(in);
}
END_TEST

START_TEST(remote_fields_reach_the_body_and_the_candidate)
{
    json_t *in = doc("{\"first_name\": \"A\", \"last_name\": \"B\", \"email_addresses\": "
                     "[{\"value\": \"a@example.com\"}], \"application\": {\"source\": \"lead\"},"
                     " \"remote_fields\": {\"sourced\": false, \"cover_letter\": \"Hello\","
                     " \"email\": \"other@example.com\"}}");
    json_t *body;
    const char *shortcode;
    int resume_at;
    ck_assert_int_eq(wk_create_body(NULL, in, &body, &shortcode, &resume_at), UATS_OK);
    ck_assert(json_is_false(json_object_get(body, "sourced")));
    json_t *c = json_object_get(body, "candidate");
    ck_assert_str_eq(str(c, "cover_letter"), "Hello");
    ck_assert_str_eq(str(c, "email"), "other@example.com");
    ck_assert_int_eq(resume_at, -1);
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(documented_answer_maps_every_field)
{
    json_t *d = fixture("candidate-create-response.json");
    json_t *wc = json_object_get(d, "candidate");
    json_t *c = wk_to_candidate(NULL, wc);
    ck_assert_ptr_nonnull(c);
    assert_valid_candidate(c);
    ck_assert_str_eq(str(c, "id"), "3fa0c21b");
    ck_assert_str_eq(str(c, "remote_id"), "3fa0c21b");
    ck_assert_str_eq(str(c, "first_name"), "Maren");
    ck_assert_str_eq(str(c, "last_name"), "Oyelaran-Voss");
    ck_assert_str_eq(str(c, "title"), "Control Systems Engineer");
    ck_assert_str_eq(str(c, "company"), "Tidewater Pumps");
    ck_assert_str_eq(str(c, "summary"), "Ten years of PLC and SCADA work on municipal water plants.");
    ck_assert_str_eq(str(c, "address"), "14 Quayside Row, Bristol, BS1 4QA, GB");
    ck_assert_ptr_null(json_object_get(c, "avatar"));
    json_t *e = json_array_get(json_object_get(c, "email_addresses"), 0);
    ck_assert_str_eq(str(e, "value"), "maren.ov@example.org");
    ck_assert_ptr_null(json_object_get(e, "type"));
    ck_assert_str_eq(str(json_array_get(json_object_get(c, "phone_numbers"), 0), "value"),
                     "+44 117 555 0199");
    json_t *urls = json_object_get(c, "urls");
    ck_assert_uint_eq(json_array_size(urls), 3);
    ck_assert_str_eq(str(json_array_get(urls, 0), "type"), "LINKEDIN");
    ck_assert_str_eq(str(json_array_get(urls, 0), "value"), "https://www.linkedin.com/in/maren-ov");
    ck_assert_str_eq(str(json_array_get(urls, 1), "type"), "TWITTER");
    ck_assert_str_eq(str(json_array_get(urls, 2), "type"), "GITHUB");
    json_t *tags = json_pack("[s,s]", "water", "referral");
    ck_assert(json_equal(json_object_get(c, "tags"), tags));
    json_decref(tags);
    json_t *skills = json_object_get(c, "skills");
    ck_assert_uint_eq(json_array_size(skills), 2);
    ck_assert_str_eq(json_string_value(json_array_get(skills, 1)), "SCADA");
    json_t *ed = json_array_get(json_object_get(c, "education"), 0);
    ck_assert_str_eq(str(ed, "school"), "University of Strathclyde");
    ck_assert_str_eq(str(ed, "degree"), "MEng");
    ck_assert_str_eq(str(ed, "major"), "Electronic Engineering");
    ck_assert_str_eq(str(ed, "start_date"), "2009-09-01");
    ck_assert_str_eq(str(ed, "end_date"), "2014-06-30");
    json_t *ex = json_object_get(c, "experience");
    ck_assert_uint_eq(json_array_size(ex), 2);
    ck_assert_str_eq(str(json_array_get(ex, 0), "title"), "Control Systems Engineer");
    ck_assert_str_eq(str(json_array_get(ex, 0), "company"), "Tidewater Pumps");
    ck_assert_str_eq(str(json_array_get(ex, 0), "description"), "Commissioning of pump stations.");
    ck_assert(json_is_true(json_object_get(json_array_get(ex, 0), "is_current")));
    ck_assert_ptr_null(json_object_get(json_array_get(ex, 0), "end_date"));
    ck_assert_str_eq(str(json_array_get(ex, 1), "end_date"), "2018-01-31");
    ck_assert(json_is_false(json_object_get(json_array_get(ex, 1), "is_current")));
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "attachments"), 0)),
                     "3fa0c21b:resume");
    ck_assert_str_eq(str(c, "remote_created_at"), "2026-03-02T09:15:27Z");
    ck_assert_str_eq(str(c, "remote_updated_at"), "2026-03-02T09:15:28Z");
    ck_assert(json_equal(json_object_get(c, "remote_data"), wc));
    json_decref(c);
    json_decref(d);
}
END_TEST

START_TEST(get_answer_times_become_utc)
{
    json_t *d = fixture("candidate-get-response.json");
    json_t *c = wk_to_candidate(NULL, json_object_get(d, "candidate"));
    ck_assert_ptr_nonnull(c);
    assert_valid_candidate(c);
    ck_assert_str_eq(str(c, "remote_updated_at"), "2026-03-04T14:40:00Z");
    json_decref(c);
    json_decref(d);
}
END_TEST

START_TEST(name_only_headline_only_and_bad_dates)
{
    json_t *wc = doc("{\"id\": \"a1\", \"name\": \"Teodor van Dam\", \"headline\": \"Welder\","
                     " \"image_url\": \"https://img.example/t.png\", \"resume_url\": null,"
                     " \"education_entries\": [{\"school\": \"S\", \"start_date\": \"2019\","
                     " \"end_date\": \"2019-02-30\"}]}");
    json_t *c = wk_to_candidate(NULL, wc);
    ck_assert_ptr_nonnull(c);
    assert_valid_candidate(c);
    ck_assert_str_eq(str(c, "first_name"), "Teodor");
    ck_assert_str_eq(str(c, "last_name"), "van Dam");
    ck_assert_str_eq(str(c, "title"), "Welder");
    ck_assert_ptr_null(json_object_get(c, "company"));
    ck_assert_str_eq(str(c, "avatar"), "https://img.example/t.png");
    json_t *ed = json_array_get(json_object_get(c, "education"), 0);
    ck_assert_ptr_null(json_object_get(ed, "start_date"));
    ck_assert_ptr_null(json_object_get(ed, "end_date"));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "attachments")), 0);
    json_decref(c);
    json_decref(wc);
}
END_TEST

START_TEST(answers_of_the_wrong_shape_are_vendor_errors)
{
    static const char *const bad[] = {
        "{\"name\": \"No id\"}", "{\"id\": 12345}", "{\"id\": \"\"}",
        "{\"id\": \"a\", \"firstname\": [\"Ada\"]}", "{\"id\": \"a\", \"tags\": \"x\"}",
        "{\"id\": \"a\", \"social_profiles\": {}}", "[1, 2]", NULL};
    for (const char *const *b = bad; *b; b++) {
        json_t *wc = doc(*b);
        fake_failure = UATS_OK;
        ck_assert_msg(wk_to_candidate(NULL, wc) == NULL, "%s was accepted", *b);
        ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
        json_decref(wc);
    }
}
END_TEST

START_TEST(helpers)
{
    ck_assert(wk_is_date("2024-02-29"));
    ck_assert(!wk_is_date("2023-02-29"));
    ck_assert(!wk_is_date("2023-13-01"));
    ck_assert(!wk_is_date("2023-1-01"));
    ck_assert(!wk_is_date(NULL));
    ck_assert(wk_valid_subdomain("acme-2"));
    ck_assert(!wk_valid_subdomain("Acme"));
    ck_assert(!wk_valid_subdomain("acme.workable.com"));
    ck_assert(!wk_valid_subdomain("-acme"));
    ck_assert(!wk_valid_subdomain(""));
    ck_assert_str_eq(wk_input_field("email"), "email_addresses[0]");
    ck_assert_str_eq(wk_input_field("education_entries"), "education");
    ck_assert_ptr_null(wk_input_field("nonsense"));
    ck_assert_ptr_null(wk_input_field(NULL));
    ck_assert_str_eq(wk_url_type("LinkedIn"), "LINKEDIN");
    ck_assert_str_eq(wk_url_type("dribbble"), "OTHER");
    json_t *u = doc("{\"value\": \"https://x.com/ada\"}");
    ck_assert_str_eq(wk_social_type(u), "twitter");
    json_decref(u);
    u = doc("{\"value\": \"https://notlinkedin.com/ada\"}");
    ck_assert_ptr_null(wk_social_type(u));
    json_decref(u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("workable_map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, unified_input_gives_the_documented_request);
    tcase_add_test(tc, without_a_job_the_candidate_goes_to_the_talent_pool);
    tcase_add_test(tc, what_workable_cannot_hold_is_warned_by_path);
    tcase_add_test(tc, inputs_workable_refuses_are_not_sent);
    tcase_add_test(tc, remote_fields_reach_the_body_and_the_candidate);
    tcase_add_test(tc, documented_answer_maps_every_field);
    tcase_add_test(tc, get_answer_times_become_utc);
    tcase_add_test(tc, name_only_headline_only_and_bad_dates);
    tcase_add_test(tc, answers_of_the_wrong_shape_are_vendor_errors);
    tcase_add_test(tc, helpers);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
