/*
 * tests/check_jazzhr_map.c: the JazzHR connector's mapping, fed the example
 * payloads of docs/vendors/jazzhr.md (plugins/jazzhr/fixtures). jazzhr_map.c
 * is compiled into this test with a stand-in services table.
 */
#include <uats/connector.h>

#include "fakehost.h"
#include "jazzhr.h"
#include "testutil.h"

#define APPLICANT "prospect_20261125093012_7QK2M9XZ4B1TNC5P"
#define JOB "job_20260105090000_QJ8ZK2M4W6Y8A1C3"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", JAZZHR_FIXTURES, name);
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

/* The unified input that the documented create request comes from. */
static const char odile[] =
    "{\"first_name\": \"Odile\", \"last_name\": \"Marchetti\","
    " \"email_addresses\": [{\"value\": \"odile.marchetti@mail.example\"}],"
    " \"phone_numbers\": [{\"value\": \"+39 02 0000 0417\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/odile-marchetti\", \"type\": \"LINKEDIN\"},"
    "   {\"value\": \"https://odile.example.dev\", \"type\": \"WEBSITE\"}],"
    " \"address\": {\"street\": \"Via dei Mille 12\", \"city\": \"Torino\", \"region\": \"TO\","
    "   \"postal_code\": \"10123\"},"
    " \"application\": {\"job_id\": \"" JOB "\"}}";

/* ---- unified -> JazzHR ---- */

START_TEST(create_body_is_the_documented_request)
{
    json_t *in = parse(odile), *body, *want = fixture("applicant-create-request.json");
    ck_assert_int_eq(jz_create_body(NULL, in, &body), UATS_OK);
    ck_assert_msg(json_object_size(fake_warnings) == 0, "unexpected warnings");
    /* The key is the caller's to add. */
    ck_assert_ptr_null(json_object_get(body, "apikey"));
    json_object_del(want, "apikey");
    const char *key;
    json_t *v;
    json_object_foreach(want, key, v)
        ck_assert_msg(json_equal(json_object_get(body, key), v), "field %s", key);
    ck_assert_uint_eq(json_object_size(body), json_object_size(want));
    json_decref(body);
    json_decref(want);
    json_decref(in);
}
END_TEST

START_TEST(unstorable_fields_are_warned_by_path)
{
    json_t *in = parse(
        "{\"first_name\": \"Odile\", \"last_name\": \"Marchetti\", \"company\": \"Fonderia\","
        " \"title\": \"Firmware Lead\", \"tags\": [\"rust\"], \"locations\": [\"Torino\"],"
        " \"gender\": \"female\", \"skills\": [\"C\"], \"summary\": \"s\", \"id\": \"x\","
        " \"acting_user\": \"u1\", \"custom_fields\": {\"shoe\": 41},"
        " \"availability_date\": \"2027-01-04\", \"is_private\": true,"
        " \"email_addresses\": [{\"value\": \"a@mail.example\", \"type\": \"WORK\"},"
        "   {\"value\": \"b@mail.example\"}],"
        " \"phone_numbers\": [{\"value\": \"1\", \"type\": \"MOBILE\"}, {\"value\": \"2\"}],"
        " \"urls\": [{\"value\": \"https://github.com/om\", \"type\": \"GITHUB\"},"
        "   {\"value\": \"https://om.example\", \"type\": \"PERSONAL\"},"
        "   {\"value\": \"https://x.com/om\", \"type\": \"TWITTER\"},"
        "   {\"value\": \"https://www.linkedin.com/in/a\", \"type\": \"LINKEDIN\"},"
        "   {\"value\": \"https://www.linkedin.com/in/b\", \"type\": \"LINKEDIN\"}],"
        " \"address\": {\"city\": \"Torino\", \"country\": \"IT\"},"
        " \"location\": {\"city\": \"Milano\", \"region\": \"MI\", \"country\": \"IT\"},"
        " \"application\": {\"job_id\": \"j\", \"stage_id\": \"s\", \"source\": \"lead\","
        "   \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"y\"}],"
        "   \"form_answers\": [{\"name\": \"n\", \"value\": 1}]},"
        " \"attachments\": [{\"file_name\": \"cv.pdf\", \"type\": \"RESUME\", \"data\": \"JVBE\","
        "   \"application_id\": \"a\"}, {\"file_name\": \"x.pdf\", \"url\": \"https://f.example/x\"},"
        "   {\"file_name\": \"o.txt\", \"type\": \"OTHER\", \"data\": \"b2s=\"}],"
        " \"remote_fields\": {\"source\": \"Referral\", \"city\": \"Asti\"}}");
    json_t *body;
    ck_assert_int_eq(jz_create_body(NULL, in, &body), UATS_OK);
    static const char *const expect[] = {
        "company", "title", "tags", "locations", "gender", "skills", "summary", "id",
        "acting_user", "custom_fields", "availability_date", "is_private",
        "email_addresses[0].type", "email_addresses[1]", "phone_numbers[0].type",
        "phone_numbers[1]", "urls[0].type", "urls[1]", "urls[4]", "address.country",
        "location.city", "location.country", "application.stage_id", "application.source",
        "application.screening_answers", "application.form_answers", "attachments[0].type",
        "attachments[0].application_id", "attachments[1]", NULL};
    for (const char *const *f = expect; *f; f++)
        ck_assert_msg(warned(*f), "no warning on %s", *f);
    size_t n = 0;
    while (expect[n])
        n++;
    ck_assert_uint_eq(json_object_size(fake_warnings), n);
    ck_assert(!warned("attachments[2]") && !warned("attachments[2].type"));
    ck_assert_str_eq(str(body, "email"), "a@mail.example");
    ck_assert_str_eq(str(body, "phone"), "1");
    ck_assert_str_eq(str(body, "website"), "https://github.com/om");
    ck_assert_str_eq(str(body, "twitter"), "https://x.com/om");
    ck_assert_str_eq(str(body, "linkedin"), "https://www.linkedin.com/in/a");
    /* location.region had a free slot; the address's city won over the location's,
     * and remote_fields over both. */
    ck_assert_str_eq(str(body, "state"), "MI");
    ck_assert_str_eq(str(body, "city"), "Asti");
    ck_assert_str_eq(str(body, "source"), "Referral");
    ck_assert_str_eq(str(body, "job"), "j");
    ck_assert_ptr_null(json_object_get(body, "attachments"));
    ck_assert_ptr_null(json_object_get(body, "base64-resume"));
    ck_assert(jz_uploadable(json_array_get(json_object_get(in, "attachments"), 0)));
    ck_assert(!jz_uploadable(json_array_get(json_object_get(in, "attachments"), 1)));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(a_string_address_goes_whole)
{
    json_t *in = parse("{\"first_name\": \"A\", \"last_name\": \"B\", \"email_addresses\":"
                       " [{\"value\": \"a@mail.example\"}], \"address\": \"Via Roma 1, Asti\"}");
    json_t *body;
    ck_assert_int_eq(jz_create_body(NULL, in, &body), UATS_OK);
    ck_assert_str_eq(str(body, "address"), "Via Roma 1, Asti");
    ck_assert_ptr_null(json_object_get(body, "city"));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(required_fields_fail_before_sending)
{
    static const struct { const char *doc, *field; } cases[] = {
        {"{\"last_name\": \"B\", \"email_addresses\": [{\"value\": \"a@mail.example\"}]}",
         "first_name"},
        {"{\"first_name\": \"\", \"last_name\": \"B\", \"email_addresses\": [{\"value\": \"a@x\"}]}",
         "first_name"},
        {"{\"first_name\": \"A\", \"email_addresses\": [{\"value\": \"a@mail.example\"}]}",
         "last_name"},
        {"{\"first_name\": \"A\", \"last_name\": \"B\"}", "email_addresses"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *in = parse(cases[i].doc), *body = (json_t *)1;
        fake_failure = UATS_OK;
        ck_assert_int_eq(jz_create_body(NULL, in, &body), UATS_E_INVALID_INPUT);
        ck_assert_ptr_null(body);
        ck_assert_int_eq(fake_failure, UATS_E_INVALID_INPUT);
        ck_assert_str_eq(fake_field, cases[i].field);
        json_decref(in);
    }
}
END_TEST

START_TEST(file_body_is_the_documented_request)
{
    json_t *att = parse("{\"file_name\": \"Odile_Marchetti_portfolio.pdf\", \"content_type\":"
                        " \"application/pdf\", \"data\": \"JVBERi0xLjcKcG9ydGZvbGlv\"}");
    json_t *want = fixture("file-create-request.json");
    json_t *body = jz_file_body(NULL, APPLICANT, att);
    json_object_del(want, "apikey");
    ck_assert(json_equal(body, want));
    json_decref(body);
    json_decref(want);
    json_decref(att);
}
END_TEST

/* ---- JazzHR -> unified ---- */

START_TEST(documented_applicant_maps_every_field)
{
    json_t *doc = fixture("applicant-get-response.json");
    json_t *ids = json_pack("[s]", "file_20261125093514_2HD8LQ0VNX6R3KWE");
    const json_t *app = jz_first(doc);
    ck_assert_ptr_eq(app, doc);
    json_t *c = jz_to_candidate(NULL, app, ids);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), APPLICANT);
    ck_assert_str_eq(str(c, "remote_id"), APPLICANT);
    ck_assert_str_eq(str(c, "first_name"), "Odile");
    ck_assert_str_eq(str(c, "last_name"), "Marchetti");
    ck_assert_str_eq(item_str(c, "email_addresses", 0, "value"), "odile.marchetti@mail.example");
    ck_assert_ptr_null(item_str(c, "email_addresses", 0, "type"));
    ck_assert_str_eq(item_str(c, "phone_numbers", 0, "value"), "+39 02 0000 0417");
    /* The empty twitter_username is no URL. */
    ck_assert_uint_eq(json_array_size(json_object_get(c, "urls")), 2);
    ck_assert_str_eq(item_str(c, "urls", 0, "value"), "https://www.linkedin.com/in/odile-marchetti");
    ck_assert_str_eq(item_str(c, "urls", 0, "type"), "LINKEDIN");
    ck_assert_str_eq(item_str(c, "urls", 1, "value"), "https://odile.example.dev");
    ck_assert_str_eq(item_str(c, "urls", 1, "type"), "WEBSITE");
    json_t *a = json_object_get(c, "address");
    ck_assert_str_eq(str(a, "street"), "Via dei Mille 12");
    ck_assert_str_eq(str(a, "city"), "Torino");
    ck_assert_str_eq(str(a, "region"), "TO");
    ck_assert_str_eq(str(a, "postal_code"), "10123");
    ck_assert_str_eq(str(json_object_get(c, "location"), "city"), "Torino");
    ck_assert_str_eq(str(json_object_get(c, "location"), "region"), "TO");
    /* A date without a time and offset is not made into one. */
    ck_assert_ptr_null(json_object_get(c, "remote_created_at"));
    ck_assert(json_equal(json_object_get(c, "attachments"), ids));
    ck_assert_ptr_null(json_object_get(c, "applications"));
    ck_assert_ptr_eq(json_object_get(c, "remote_data"), doc);
    json_decref(c);
    json_decref(ids);
    json_decref(doc);
}
END_TEST

START_TEST(other_spellings_and_full_times)
{
    json_t *app = parse("{\"id\": \"prospect_1\", \"first_name\": \"A\", \"linkedin\": \"https://l\","
                        " \"twitter\": \"om\", \"postal_code\": \"10123\","
                        " \"apply_date\": \"2026-11-25T09:30:12-05:00\", \"email\": null}");
    json_t *c = jz_to_candidate(NULL, app, NULL);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(item_str(c, "urls", 0, "type"), "LINKEDIN");
    ck_assert_str_eq(item_str(c, "urls", 1, "value"), "om");
    ck_assert_str_eq(item_str(c, "urls", 1, "type"), "TWITTER");
    ck_assert_str_eq(str(json_object_get(c, "address"), "postal_code"), "10123");
    ck_assert_ptr_null(json_object_get(c, "location"));
    ck_assert_str_eq(str(c, "remote_created_at"), "2026-11-25T14:30:12Z");
    ck_assert_ptr_null(json_object_get(c, "email_addresses"));
    ck_assert_ptr_null(json_object_get(c, "attachments"));
    json_decref(c);
    json_decref(app);
}
END_TEST

START_TEST(bad_applicants_are_vendor_errors)
{
    static const char *const docs[] = {
        "{\"first_name\": \"A\"}",
        "{\"id\": 42, \"first_name\": \"A\"}",
        "{\"id\": \"prospect_1\", \"first_name\": [\"Ada\"]}",
        "{\"id\": \"prospect_1\", \"email\": {\"value\": \"a@x\"}}",
        "{\"id\": \"prospect_1\", \"linkedin_url\": 7}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        json_t *app = parse(docs[i]);
        fake_failure = UATS_OK;
        ck_assert_ptr_null(jz_to_candidate(NULL, app, NULL));
        ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
        json_decref(app);
    }
}
END_TEST

START_TEST(lists_may_be_one_object_or_an_array)
{
    json_t *one = fixture("files-list-one.json"), *many = fixture("files-list-many.json");
    json_t *none = fixture("applicant-get-unknown.json");
    ck_assert_ptr_eq(jz_first(one), one);
    ck_assert_ptr_eq(jz_first(many), json_array_get(many, 0));
    ck_assert_ptr_null(jz_first(none));
    json_t *empty = json_object();
    ck_assert_ptr_null(jz_first(empty));
    json_decref(empty);
    json_t *odd = parse("[1, 2]");
    ck_assert_ptr_null(jz_first(odd));
    ck_assert_str_eq(jz_file_id(one), "file_20261125093514_2HD8LQ0VNX6R3KWE");
    ck_assert_str_eq(jz_file_id(json_array_get(many, 1)), "file_20261125094102_9MBV3C7YTF1PZ0SA");
    json_decref(odd);
    json_decref(none);
    json_decref(many);
    json_decref(one);
}
END_TEST

START_TEST(answers_and_error_texts)
{
    json_t *created = fixture("applicant-create-response.json");
    json_t *err200 = fixture("error-200-text.json"), *err401 = fixture("error-401.json");
    json_t *file = fixture("file-create-response.json");
    ck_assert_str_eq(jz_created_id(NULL, created), APPLICANT);
    ck_assert_int_eq(fake_failure, UATS_OK);
    ck_assert_ptr_null(jz_created_id(NULL, err200));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    ck_assert_str_eq(jz_error_text(err200), "Invalid job ID");
    ck_assert_str_eq(jz_error_text(err401), "Invalid or missing API key");
    ck_assert_ptr_null(jz_error_text(created));
    ck_assert_str_eq(jz_file_id(file), "file_20261125093514_2HD8LQ0VNX6R3KWE");
    json_t *other = parse("{\"error\": {\"message\": \"nested\"}}");
    ck_assert_str_eq(jz_error_text(other), "nested");
    json_decref(other);
    other = parse("{\"errors\": [\"first\", \"second\"]}");
    ck_assert_str_eq(jz_error_text(other), "first");
    json_decref(other);
    other = parse("{\"prospect_id\": 12345}");
    fake_failure = UATS_OK;
    ck_assert_ptr_null(jz_created_id(NULL, other));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    json_decref(other);
    json_decref(file);
    json_decref(err401);
    json_decref(err200);
    json_decref(created);
}
END_TEST

START_TEST(attachment_from_listed_file_and_input)
{
    json_t *file = fixture("files-list-one.json");
    json_t *in = parse("{\"file_name\": \"portfolio.pdf\", \"content_type\": \"application/pdf\","
                       " \"type\": \"RESUME\", \"data\": \"JVBERi0xLjcKcG9ydGZvbGlv\"}");
    json_t *a = jz_to_attachment(NULL, jz_file_id(file), APPLICANT, file, in);
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "id"), "file_20261125093514_2HD8LQ0VNX6R3KWE");
    ck_assert_str_eq(str(a, "remote_id"), "file_20261125093514_2HD8LQ0VNX6R3KWE");
    ck_assert_str_eq(str(a, "candidate_id"), APPLICANT);
    /* The name JazzHR lists wins over the one sent. */
    ck_assert_str_eq(str(a, "file_name"), "Odile_Marchetti_portfolio.pdf");
    ck_assert_str_eq(str(a, "content_type"), "application/pdf");
    ck_assert_str_eq(str(a, "type"), "OTHER");
    ck_assert_int_eq(json_integer_value(json_object_get(a, "size")), 18);
    ck_assert(json_equal(json_object_get(a, "remote_data"), file));
    json_decref(a);
    /* Without a listed object: from the input, with padding counted. */
    json_t *pad = parse("{\"file_name\": \"n.txt\", \"data\": \"b2s=\"}");
    a = jz_to_attachment(NULL, "file_1", APPLICANT, NULL, pad);
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "file_name"), "n.txt");
    ck_assert_int_eq(json_integer_value(json_object_get(a, "size")), 2);
    ck_assert_str_eq(str(json_object_get(a, "remote_data"), "id"), "file_1");
    json_decref(a);
    json_decref(pad);
    json_decref(in);
    json_decref(file);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jazzhr_map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_body_is_the_documented_request);
    tcase_add_test(tc, unstorable_fields_are_warned_by_path);
    tcase_add_test(tc, a_string_address_goes_whole);
    tcase_add_test(tc, required_fields_fail_before_sending);
    tcase_add_test(tc, file_body_is_the_documented_request);
    tcase_add_test(tc, documented_applicant_maps_every_field);
    tcase_add_test(tc, other_spellings_and_full_times);
    tcase_add_test(tc, bad_applicants_are_vendor_errors);
    tcase_add_test(tc, lists_may_be_one_object_or_an_array);
    tcase_add_test(tc, answers_and_error_texts);
    tcase_add_test(tc, attachment_from_listed_file_and_input);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
