/*
 * tests/check_recruitee_map.c: the Recruitee connector's mapping, fed the
 * example payloads of docs/vendors/recruitee.md (plugins/recruitee/fixtures).
 * recruitee_map.c is compiled into this test with a stand-in services table
 * that records warnings and failures.
 */
#include <uats/connector.h>

#include "fakehost.h"
#include "recruitee.h"
#include "testutil.h"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", RECRUITEE_FIXTURES, name);
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

static bool warned(const char *field)
{
    return json_object_get(fake_warnings, field) != NULL;
}

/* Every object the mapping makes must pass the core's schema: check it
 * with the real reader. */
static void assert_valid(uats_kind kind, const json_t *obj)
{
    uats_object *o;
    uats_error err;
    ck_assert_msg(uats_object_from_json(kind, obj, &o, &err) == UATS_OK, "mapped object "
                  "invalid: %s", err.text);
    uats_object_free(o);
}

/* The unified input whose Recruitee body is candidate-create-request.json. */
static const char marisol[] =
    "{\"first_name\": \"Marisol\", \"last_name\": \"Quenneville\","
    " \"email_addresses\": [{\"value\": \"marisol.q@example.org\"}],"
    " \"phone_numbers\": [{\"value\": \"+49 30 5550 1742\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/marisol-q\", \"type\": \"LINKEDIN\"},"
    " {\"value\": \"https://marisol.example.org/portfolio\"}],"
    " \"application\": {\"job_id\": \"1001\"}}";

START_TEST(create_body_is_the_documented_request)
{
    json_t *in = parse(marisol), *body, *want = fixture("candidate-create-request.json");
    ck_assert_int_eq(rt_create_body(NULL, in, &body), UATS_OK);
    char *got = json_dumps(body, JSON_SORT_KEYS);
    ck_assert_msg(json_equal(body, want), "body: %s", got);
    free(got);
    /* Field by field, as the documentation names them. */
    json_t *c = json_object_get(body, "candidate");
    ck_assert_str_eq(str(c, "name"), "Marisol Quenneville");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "emails"), 0)),
                     "marisol.q@example.org");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "phones"), 0)),
                     "+49 30 5550 1742");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "social_links"), 0)),
                     "https://www.linkedin.com/in/marisol-q");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "links"), 0)),
                     "https://marisol.example.org/portfolio");
    ck_assert(json_is_integer(json_array_get(json_object_get(body, "offers"), 0)));
    ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(body, "offers"), 0)),
                     1001);
    /* Nothing was lost: no warnings. */
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    json_decref(body);
    json_decref(want);
    json_decref(in);
}
END_TEST

START_TEST(fields_recruitee_cannot_hold_are_warned_by_path)
{
    json_t *in = parse("{\"first_name\": \"Ada\", \"company\": \"Engines\", \"title\": \"CTO\","
                       " \"tags\": [\"x\"], \"locations\": [\"London\"], \"gender\": \"f\","
                       " \"custom_fields\": {\"k\": 1}, \"id\": \"mine\", \"acting_user\": \"u\","
                       " \"email_addresses\": [{\"value\": \"a@example.com\", \"type\": \"WORK\"}],"
                       " \"phone_numbers\": [{\"value\": \"1\"}, {\"value\": \"2\", \"type\": \"HOME\"}],"
                       " \"application\": {\"job_id\": \"7\", \"stage_id\": \"9\", \"source\": \"lead\","
                       " \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"y\"}]}}");
    json_t *body;
    ck_assert_int_eq(rt_create_body(NULL, in, &body), UATS_OK);
    static const char *const expected[] = {
        "company", "title", "tags", "locations", "gender", "custom_fields", "id", "acting_user",
        "email_addresses[0].type", "phone_numbers[1].type", "application.stage_id",
        "application.source", "application.screening_answers"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        ck_assert_msg(warned(expected[i]), "no warning for %s", expected[i]);
    ck_assert_uint_eq(json_object_size(fake_warnings), sizeof expected / sizeof expected[0]);
    ck_assert(!warned("phone_numbers[0].type"));
    /* Only the name went in, first name alone. */
    ck_assert_str_eq(str(json_object_get(body, "candidate"), "name"), "Ada");
    ck_assert_ptr_null(json_object_get(json_object_get(body, "candidate"), "tags"));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(url_types_and_order_that_would_change_are_warned)
{
    json_t *in = parse("{\"last_name\": \"Solo\", \"urls\": ["
                       "{\"value\": \"https://blog.example.com\", \"type\": \"BLOG\"},"
                       "{\"value\": \"https://github.com/solo\"},"
                       "{\"value\": \"https://example.com/me\", \"type\": \"LINKEDIN\"},"
                       "{\"value\": \"https://x.com/solo\", \"type\": \"TWITTER\"}]}");
    json_t *body;
    ck_assert_int_eq(rt_create_body(NULL, in, &body), UATS_OK);
    json_t *c = json_object_get(body, "candidate");
    ck_assert_str_eq(str(c, "name"), "Solo");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "links")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "social_links")), 3);
    /* BLOG reads back OTHER; a LINKEDIN that is not linkedin.com reads back
     * SOCIAL_MEDIA; TWITTER on x.com is kept. */
    ck_assert(warned("urls[0].type"));
    ck_assert(warned("urls[2].type"));
    ck_assert(!warned("urls[3].type"));
    /* Social profiles after a plain link change places. */
    ck_assert(warned("urls[1]"));
    ck_assert(warned("urls[2]"));
    ck_assert(warned("urls[3]"));
    ck_assert(!warned("urls"));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(bad_input_fails_before_anything_is_sent)
{
    json_t *body = (json_t *)1;
    json_t *in = parse("{\"email_addresses\": [{\"value\": \"a@example.com\"}]}");
    ck_assert_int_eq(rt_create_body(NULL, in, &body), UATS_E_INVALID_INPUT);
    ck_assert_ptr_null(body);
    ck_assert_str_eq(fake_field, "first_name");
    json_decref(in);
    in = parse("{\"first_name\": \"A\", \"application\": {\"job_id\": \"job-7\"}}");
    ck_assert_int_eq(rt_create_body(NULL, in, &body), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(fake_field, "application.job_id");
    json_decref(in);
    in = parse("{\"first_name\": \"A\", \"application\": {\"job_id\": \"1234567890123456789\"}}");
    ck_assert_int_eq(rt_create_body(NULL, in, &body), UATS_E_INVALID_INPUT);
    json_decref(in);
}
END_TEST

START_TEST(remote_fields_go_into_the_candidate_object)
{
    json_t *in = parse("{\"first_name\": \"A\", \"remote_fields\": {\"cover_letter\": \"Hi\","
                       " \"sources\": [\"Referral\"], \"name\": \"A. Override\"}}");
    json_t *body;
    ck_assert_int_eq(rt_create_body(NULL, in, &body), UATS_OK);
    json_t *c = json_object_get(body, "candidate");
    ck_assert_str_eq(str(c, "cover_letter"), "Hi");
    ck_assert_str_eq(str(c, "name"), "A. Override");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "sources"), 0)),
                     "Referral");
    ck_assert_ptr_null(json_object_get(body, "offers"));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(documented_candidate_maps_every_field)
{
    json_t *doc = fixture("candidate-get-response.json");
    json_t *files = fixture("attachments-list-response.json");
    json_t *cand = json_object_get(doc, "candidate");
    json_t *c = rt_to_candidate(NULL, cand, json_object_get(files, "attachments"));
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "50000017");
    ck_assert_str_eq(str(c, "remote_id"), "50000017");
    /* One name: the first word, then the rest, spaces trimmed. */
    ck_assert_str_eq(str(c, "first_name"), "Marisol");
    ck_assert_str_eq(str(c, "last_name"), "Quenneville da Costa");
    json_t *emails = json_object_get(c, "email_addresses");
    ck_assert_uint_eq(json_array_size(emails), 2);
    ck_assert_str_eq(str(json_array_get(emails, 1), "value"), "mq@work.example.com");
    ck_assert_ptr_null(json_object_get(json_array_get(emails, 0), "type"));
    json_t *phones = json_object_get(c, "phone_numbers");
    ck_assert_uint_eq(json_array_size(phones), 1);
    ck_assert_str_eq(str(json_array_get(phones, 0), "value"), "+49 30 5550 1742");
    /* Social profiles first, then links; types from the host. */
    json_t *urls = json_object_get(c, "urls");
    ck_assert_uint_eq(json_array_size(urls), 4);
    ck_assert_str_eq(str(json_array_get(urls, 0), "type"), "LINKEDIN");
    ck_assert_str_eq(str(json_array_get(urls, 1), "type"), "SOCIAL_MEDIA");
    ck_assert_str_eq(str(json_array_get(urls, 2), "value"), "https://github.com/marisolq");
    ck_assert_str_eq(str(json_array_get(urls, 2), "type"), "GITHUB");
    ck_assert_str_eq(str(json_array_get(urls, 3), "type"), "OTHER");
    json_t *tags = json_object_get(c, "tags");
    ck_assert_uint_eq(json_array_size(tags), 2);
    ck_assert_str_eq(json_string_value(json_array_get(tags, 1)), "german-speaking");
    /* Placements are the candidate's applications. */
    json_t *apps = json_object_get(c, "applications");
    ck_assert_uint_eq(json_array_size(apps), 2);
    ck_assert_str_eq(json_string_value(json_array_get(apps, 1)), "70000051");
    json_t *atts = json_object_get(c, "attachments");
    ck_assert_uint_eq(json_array_size(atts), 2);
    ck_assert_str_eq(json_string_value(json_array_get(atts, 0)), "90000003");
    ck_assert_str_eq(str(c, "avatar"), "https://files.example.net/candidates/50000017/photo.jpg");
    ck_assert_str_eq(str(c, "remote_created_at"), "2026-02-11T09:30:12.481Z");
    /* An offset time comes out in UTC. */
    ck_assert_str_eq(str(c, "remote_updated_at"), "2026-02-13T07:15:00.250Z");
    ck_assert(json_equal(json_object_get(c, "remote_data"), cand));
    json_decref(c);
    json_decref(files);
    json_decref(doc);
}
END_TEST

START_TEST(create_answer_maps_and_attachments_may_be_unknown)
{
    json_t *doc = fixture("candidate-create-response.json");
    json_t *c = rt_to_candidate(NULL, json_object_get(doc, "candidate"), NULL);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "first_name"), "Marisol");
    ck_assert_str_eq(str(c, "last_name"), "Quenneville");
    ck_assert_ptr_null(json_object_get(c, "attachments"));
    ck_assert_ptr_null(json_object_get(c, "avatar"));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "applications")), 1);
    json_decref(c);
    json_decref(doc);
}
END_TEST

START_TEST(candidates_without_numeric_ids_are_vendor_errors)
{
    json_t *bad = parse("{\"id\": \"50000017\", \"name\": \"Ada\"}");
    ck_assert_ptr_null(rt_to_candidate(NULL, bad, NULL));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    json_decref(bad);
    fake_failure = UATS_OK;
    bad = parse("{\"name\": [\"Ada\"]}");
    ck_assert_ptr_null(rt_to_candidate(NULL, bad, NULL));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    json_decref(bad);
    fake_failure = UATS_OK;
    bad = parse("{\"filename\": \"x.txt\"}");
    ck_assert_ptr_null(rt_to_attachment(NULL, bad, "1", NULL));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    json_decref(bad);
}
END_TEST

START_TEST(documented_attachment_maps_every_field)
{
    json_t *doc = fixture("attachment-upload-response.json");
    json_t *input = parse("{\"file_name\": \"refs.txt\", \"content_type\": \"text/plain\","
                          " \"data\": \"eA==\"}");
    json_t *a = rt_to_attachment(NULL, json_object_get(doc, "attachment"), "50000017", input);
    ck_assert_ptr_nonnull(a);
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "id"), "90000009");
    ck_assert_str_eq(str(a, "remote_id"), "90000009");
    ck_assert_str_eq(str(a, "candidate_id"), "50000017");
    /* Recruitee's name for the file wins over the one sent. */
    ck_assert_str_eq(str(a, "file_name"), "references.txt");
    ck_assert_str_eq(str(a, "file_url"),
                     "https://files.example.net/attachments/90000009/references.txt");
    ck_assert_str_eq(str(a, "content_type"), "text/plain");
    ck_assert_str_eq(str(a, "type"), "OTHER");
    ck_assert_ptr_null(json_object_get(a, "size"));
    ck_assert_str_eq(str(a, "remote_created_at"), "2026-02-12T10:00:00Z");
    ck_assert(json_equal(json_object_get(a, "remote_data"), json_object_get(doc, "attachment")));
    json_decref(a);
    /* Without a filename in the answer, the input's name is used. */
    json_t *bare = parse("{\"id\": 5}");
    a = rt_to_attachment(NULL, bare, "1", input);
    ck_assert_str_eq(str(a, "file_name"), "refs.txt");
    json_decref(a);
    json_decref(bare);
    json_decref(input);
    json_decref(doc);
}
END_TEST

START_TEST(attachment_warnings_name_the_input_path)
{
    json_t *in = parse("{\"file_name\": \"cv.pdf\", \"type\": \"RESUME\", \"application_id\": "
                       "\"70000044\", \"data\": \"eA==\"}");
    rt_attachment_warnings(NULL, in, "attachments[2]");
    ck_assert(warned("attachments[2].type"));
    ck_assert(warned("attachments[2].application_id"));
    rt_attachment_warnings(NULL, in, "");
    ck_assert(warned("type"));
    ck_assert(warned("application_id"));
    json_decref(in);
    json_object_clear(fake_warnings);
    in = parse("{\"file_name\": \"x\", \"type\": \"OTHER\", \"data\": \"eA==\"}");
    rt_attachment_warnings(NULL, in, "");
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    json_decref(in);
}
END_TEST

START_TEST(error_fields_and_helpers)
{
    json_t *err = fixture("error-422.json");
    const char *first = json_object_iter_key(json_object_iter(json_object_get(err, "error_fields")));
    ck_assert_str_eq(rt_input_field(first), "email_addresses");
    ck_assert_str_eq(rt_input_field("name"), "first_name");
    ck_assert_str_eq(rt_input_field("phones"), "phone_numbers");
    ck_assert_str_eq(rt_input_field("social_links"), "urls");
    ck_assert_str_eq(rt_input_field("offers"), "application.job_id");
    ck_assert_ptr_null(rt_input_field("cover_letter"));
    ck_assert_ptr_null(rt_input_field(NULL));
    json_decref(err);
    ck_assert(rt_is_id("50000017"));
    ck_assert(!rt_is_id(""));
    ck_assert(!rt_is_id("12a"));
    ck_assert(!rt_is_id("../x"));
    ck_assert(!rt_is_id("1234567890123456789"));
    ck_assert_str_eq(rt_url_type("https://uk.linkedin.com/in/a", false), "LINKEDIN");
    ck_assert_str_eq(rt_url_type("https://notlinkedin.com/a", false), "OTHER");
    ck_assert_str_eq(rt_url_type("https://notlinkedin.com/a", true), "SOCIAL_MEDIA");
    ck_assert_str_eq(rt_url_type("mailto:x", false), "OTHER");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("recruitee_map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_body_is_the_documented_request);
    tcase_add_test(tc, fields_recruitee_cannot_hold_are_warned_by_path);
    tcase_add_test(tc, url_types_and_order_that_would_change_are_warned);
    tcase_add_test(tc, bad_input_fails_before_anything_is_sent);
    tcase_add_test(tc, remote_fields_go_into_the_candidate_object);
    tcase_add_test(tc, documented_candidate_maps_every_field);
    tcase_add_test(tc, create_answer_maps_and_attachments_may_be_unknown);
    tcase_add_test(tc, candidates_without_numeric_ids_are_vendor_errors);
    tcase_add_test(tc, documented_attachment_maps_every_field);
    tcase_add_test(tc, attachment_warnings_name_the_input_path);
    tcase_add_test(tc, error_fields_and_helpers);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
