/*
 * tests/check_lever_map.c: the Lever connector's mapping, fed Lever's
 * documented example payloads (plugins/lever/fixtures, from
 * ../shared/vendor-api/lever/). lever_map.c is compiled into this test with
 * a stand-in services table that records warnings and failures.
 */
#include <time.h>

#include <uats/connector.h>

#include "fakehost.h"
#include "lever.h"
#include "testutil.h"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", LEVER_FIXTURES, name);
    json_t *doc = json_load_file(path, 0, &jerr);
    ck_assert_msg(doc != NULL, "%s: %s", path, jerr.text);
    return doc;
}

static void setup(void)
{
    uats_host = &fake_host;
    fake_warnings = json_object();
    fake_failure = UATS_OK;
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

/* Every candidate the mapping makes must pass the core's schema: check it
 * with the real reader. */
static void assert_valid_candidate(const json_t *cand)
{
    uats_object *obj;
    uats_error err;
    ck_assert_msg(uats_object_from_json(UATS_KIND_CANDIDATE, cand, &obj, &err) == UATS_OK,
                  "mapped candidate invalid: %s", err.text);
    uats_object_free(obj);
}

START_TEST(documented_opportunity_maps_every_field)
{
    json_t *doc = fixture("opportunity-get-response.json");
    json_t *opp = json_object_get(doc, "data");
    json_t *ids = json_pack("[s,s]", "r1", "f1");
    json_t *c = lever_to_candidate(NULL, opp, ids);
    ck_assert_ptr_nonnull(c);
    assert_valid_candidate(c);
    ck_assert_str_eq(str(c, "id"), "8c1f2e4a-51b7-4d2c-9e0f-3a6b7c8d9e01");
    ck_assert_str_eq(str(c, "remote_id"), "8c1f2e4a-51b7-4d2c-9e0f-3a6b7c8d9e01");
    /* "Priya Okonkwo-Lind": first word, then the rest. */
    ck_assert_str_eq(str(c, "first_name"), "Priya");
    ck_assert_str_eq(str(c, "last_name"), "Okonkwo-Lind");
    /* Lever's headline lists organisations: the first is the company. */
    ck_assert_str_eq(str(c, "company"), "Fernhill Robotics");
    ck_assert_ptr_null(json_object_get(c, "title"));
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "locations"), 0)),
                     "Lisbon");
    ck_assert(json_is_false(json_object_get(c, "is_private")));
    json_t *e = json_array_get(json_object_get(c, "email_addresses"), 0);
    ck_assert_str_eq(str(e, "value"), "priya.ol@example.net");
    ck_assert_ptr_null(json_object_get(e, "type"));
    json_t *p = json_array_get(json_object_get(c, "phone_numbers"), 0);
    ck_assert_str_eq(str(p, "value"), "+1 415 555 0142");
    ck_assert_str_eq(str(p, "type"), "MOBILE");
    json_t *urls = json_object_get(c, "urls");
    ck_assert_uint_eq(json_array_size(urls), 2);
    ck_assert_str_eq(str(json_array_get(urls, 0), "type"), "LINKEDIN");
    ck_assert_str_eq(str(json_array_get(urls, 1), "type"), "OTHER");
    ck_assert_str_eq(str(json_array_get(urls, 1), "value"), "https://priya-ol.example.net");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "tags")), 2);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "tags"), 1)),
                     "Referral program");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "applications"), 0)),
                     "e91d0c7b-6a54-4f32-9d18-0b2c3d4e5f61");
    ck_assert(json_equal(json_object_get(c, "attachments"), ids));
    /* 1717405200000 ms and 1717491600000 ms since the epoch. */
    ck_assert_str_eq(str(c, "remote_created_at"), "2024-06-03T09:00:00Z");
    ck_assert_str_eq(str(c, "remote_updated_at"), "2024-06-04T09:00:00Z");
    ck_assert_str_eq(str(c, "last_interaction_at"), "2024-06-04T09:00:00Z");
    ck_assert(json_is_false(json_object_get(c, "is_anonymized")));
    ck_assert(json_equal(json_object_get(c, "remote_data"), opp));
    json_decref(ids);
    json_decref(c);
    json_decref(doc);
}
END_TEST

START_TEST(create_response_maps_with_millisecond_times)
{
    json_t *doc = fixture("opportunity-create-response.json");
    json_t *c = lever_to_candidate(NULL, json_object_get(doc, "data"), NULL);
    assert_valid_candidate(c);
    ck_assert_str_eq(str(c, "first_name"), "Tomasz");
    ck_assert_str_eq(str(c, "last_name"), "Ferreira-Blake");
    ck_assert_str_eq(str(c, "company"), "Orchard Lane Software");
    ck_assert_str_eq(str(c, "remote_updated_at"), "2024-06-04T14:06:40.123Z");
    ck_assert_str_eq(str(json_array_get(json_object_get(c, "urls"), 0), "type"), "GITHUB");
    ck_assert_ptr_null(json_object_get(c, "attachments"));
    json_decref(c);
    json_decref(doc);
}
END_TEST

START_TEST(file_maps_to_attachment)
{
    json_t *doc = fixture("file-upload-response.json");
    json_t *a = lever_to_attachment(NULL, json_object_get(doc, "data"), "opp-1",
                                    "application/pdf", "OTHER");
    uats_object *obj;
    uats_error err;
    ck_assert_int_eq(uats_object_from_json(UATS_KIND_ATTACHMENT, a, &obj, &err), UATS_OK);
    uats_object_free(obj);
    ck_assert_str_eq(str(a, "id"), "7e6d5c4b-3a29-4f18-9e07-d6c5b4a39281");
    ck_assert_str_eq(str(a, "candidate_id"), "opp-1");
    ck_assert_str_eq(str(a, "file_name"), "portfolio-tfb.pdf");
    ck_assert_ptr_nonnull(strstr(str(a, "file_url"), "/files/7e6d5c4b"));
    ck_assert_str_eq(str(a, "content_type"), "application/pdf");
    ck_assert_str_eq(str(a, "type"), "OTHER");
    ck_assert_int_eq(json_integer_value(json_object_get(a, "size")), 284113);
    ck_assert_str_eq(str(a, "remote_created_at"), "2024-06-04T14:11:40.456Z");
    json_decref(a);
    json_decref(doc);
}
END_TEST

START_TEST(names_split_at_the_first_space)
{
    char first[64], last[64];
    lever_split_name("Ada", first, sizeof first, last, sizeof last);
    ck_assert_str_eq(first, "Ada");
    ck_assert_str_eq(last, "");
    lever_split_name("  Mary Ann  Smith ", first, sizeof first, last, sizeof last);
    ck_assert_str_eq(first, "Mary");
    ck_assert_str_eq(last, "Ann  Smith");
    lever_split_name("", first, sizeof first, last, sizeof last);
    ck_assert_str_eq(first, "");
}
END_TEST

START_TEST(url_types_from_hosts)
{
    ck_assert_str_eq(lever_url_type("https://www.linkedin.com/in/x"), "LINKEDIN");
    ck_assert_str_eq(lever_url_type("https://linkedin.com"), "LINKEDIN");
    ck_assert_str_eq(lever_url_type("http://github.com/x"), "GITHUB");
    ck_assert_str_eq(lever_url_type("https://gist.github.com/x"), "GITHUB");
    ck_assert_str_eq(lever_url_type("https://x.com/ada"), "TWITTER");
    /* Not fooled by look-alikes. */
    ck_assert_str_eq(lever_url_type("https://notgithub.com/x"), "OTHER");
    ck_assert_str_eq(lever_url_type("https://github.com.evil.example/x"), "OTHER");
    ck_assert_str_eq(lever_url_type("linkedin.com/in/x"), "OTHER");
}
END_TEST

START_TEST(input_maps_to_documented_create_body)
{
    static const char input_text[] =
        "{\"first_name\": \"Tomasz\", \"last_name\": \"Ferreira-Blake\","
        " \"title\": \"Engineer\", \"company\": \"Orchard Lane Software\","
        " \"locations\": [\"Krakow\", \"Remote\"],"
        " \"email_addresses\": [{\"value\": \"t.ferreira.blake@example.org\", \"type\": \"WORK\"}],"
        " \"phone_numbers\": [{\"value\": \"+48 600 555 017\", \"type\": \"MOBILE\"}],"
        " \"urls\": [{\"value\": \"https://github.com/tfb-example\", \"type\": \"GITHUB\"},"
        "            {\"value\": \"https://tfb.example\", \"type\": \"BLOG\"}],"
        " \"tags\": [\"Imported\", \"Platform team\"], \"gender\": \"x\","
        " \"skills\": [\"C\"], \"custom_fields\": {\"k\": 1},"
        " \"application\": {\"job_id\": \"5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a\","
        "   \"stage_id\": \"lead-new\", \"source\": \"lead\","
        "   \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"yes\"}]},"
        " \"attachments\": [{\"file_name\": \"cv.pdf\", \"type\": \"RESUME\", \"data\": \"aGk=\"},"
        "   {\"file_name\": \"a.txt\", \"type\": \"COVER_LETTER\", \"data\": \"eA==\"},"
        "   {\"file_name\": \"far.pdf\", \"url\": \"https://files.example.com/far.pdf\"}],"
        " \"remote_fields\": {\"sources\": [\"Partner connector\"], \"owner\": \"u-1\"}}";
    uats_object *in;
    uats_error err;
    ck_assert_int_eq(uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, input_text,
                                           sizeof input_text - 1, &in, &err), UATS_OK);
    json_t *canonical = uats_object_to_json(in, 0), *body;
    lever_upload *ups;
    size_t n;
    ck_assert_int_eq(lever_create_body(NULL, canonical, &body, &ups, &n), UATS_OK);
    ck_assert_str_eq(str(body, "name"), "Tomasz Ferreira-Blake");
    ck_assert_str_eq(str(body, "headline"), "Engineer at Orchard Lane Software");
    ck_assert_str_eq(str(body, "location"), "Krakow");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(body, "emails"), 0)),
                     "t.ferreira.blake@example.org");
    json_t *phone = json_array_get(json_object_get(body, "phones"), 0);
    ck_assert_str_eq(str(phone, "type"), "mobile");
    ck_assert_str_eq(str(phone, "value"), "+48 600 555 017");
    ck_assert_uint_eq(json_array_size(json_object_get(body, "links")), 2);
    ck_assert_str_eq(str(body, "origin"), "sourced"); /* lead -> sourced */
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(body, "postings"), 0)),
                     "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
    ck_assert_str_eq(str(body, "stage"), "lead-new");
    ck_assert_str_eq(str(body, "owner"), "u-1"); /* remote_fields merged last */
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(body, "sources"), 0)),
                     "Partner connector");
    /* The same shape as Lever's documented request, key for key. */
    json_t *documented = fixture("opportunity-create-request.json");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
        ck_assert_msg(json_object_get(documented, key) != NULL, "%s is not a Lever field", key);
    json_decref(documented);
    /* Files: the resume as resumeFile, the rest as files; the URL one is not
     * sent. */
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(ups[0].part, "resumeFile");
    ck_assert_uint_eq(ups[0].len, 2);
    ck_assert_mem_eq(ups[0].data, "hi", 2);
    ck_assert_str_eq(ups[1].part, "files");
    /* Everything Lever could not take is a warning naming the field. */
    static const char *const warned[] = {
        "locations[1]", "email_addresses[0].type", "urls[1].type", "gender", "skills",
        "custom_fields", "application.screening_answers", "attachments[1].type",
        "attachments[2]"};
    for (size_t i = 0; i < sizeof warned / sizeof warned[0]; i++)
        ck_assert_msg(json_object_get(fake_warnings, warned[i]) != NULL, "no warning for %s",
                      warned[i]);
    /* ...and nothing else: GITHUB is what Lever's links read back as. */
    ck_assert_uint_eq(json_object_size(fake_warnings), sizeof warned / sizeof warned[0]);
    lever_uploads_free(ups, n);
    json_decref(body);
    json_decref(canonical);
    uats_object_free(in);
}
END_TEST

START_TEST(location_object_when_no_locations)
{
    json_t *input = json_pack("{s:{s:s, s:s}, s:{s:s}}", "location", "city", "Porto", "country",
                              "PT", "application", "source", "applicant"), *body;
    lever_upload *ups;
    size_t n;
    ck_assert_int_eq(lever_create_body(NULL, input, &body, &ups, &n), UATS_OK);
    ck_assert_str_eq(str(body, "location"), "Porto, PT");
    ck_assert_str_eq(str(body, "origin"), "applied");
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(json_object_size(fake_warnings), 0);
    json_decref(body);
    json_decref(input);
}
END_TEST

START_TEST(headline_round_trip)
{
    json_t *opp = json_pack("{s:s, s:s}", "id", "o", "headline", "Staff Engineer at Acme at Home Ltd");
    json_t *c = lever_to_candidate(NULL, opp, NULL);
    /* The last " at " separates title from company. */
    ck_assert_str_eq(str(c, "title"), "Staff Engineer at Acme");
    ck_assert_str_eq(str(c, "company"), "Home Ltd");
    json_decref(c);
    json_decref(opp);
    opp = json_pack("{s:s}", "name", "No Id");
    ck_assert_ptr_null(lever_to_candidate(NULL, opp, NULL));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    json_decref(opp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lever mapping");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, documented_opportunity_maps_every_field);
    tcase_add_test(tc, create_response_maps_with_millisecond_times);
    tcase_add_test(tc, file_maps_to_attachment);
    tcase_add_test(tc, names_split_at_the_first_space);
    tcase_add_test(tc, url_types_from_hosts);
    tcase_add_test(tc, input_maps_to_documented_create_body);
    tcase_add_test(tc, location_object_when_no_locations);
    tcase_add_test(tc, headline_round_trip);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
