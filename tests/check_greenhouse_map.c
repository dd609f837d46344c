/*
 * tests/check_greenhouse_map.c: the Greenhouse connector's mapping, both
 * Harvest versions, fed the documented example payloads
 * (plugins/greenhouse/fixtures: v1 copies of ../shared/vendor-api/greenhouse/,
 * v3 shapes as described in docs/vendors/greenhouse.md). greenhouse_map.c is
 * compiled into this test with a stand-in services table.
 */
#include <uats/connector.h>

#include "fakehost.h"
#include "greenhouse.h"
#include "testutil.h"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", GREENHOUSE_FIXTURES, name);
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

/* ---- Greenhouse -> unified ---- */

START_TEST(v1_documented_candidate_maps_every_field)
{
    json_t *doc = fixture("v1-candidate-get-response.json");
    json_t *c = gh_to_candidate(NULL, GH_V1, doc, NULL, NULL);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "48200177");
    ck_assert_str_eq(str(c, "remote_id"), "48200177");
    ck_assert_str_eq(str(c, "first_name"), "Marta");
    ck_assert_str_eq(str(c, "last_name"), "Vidal");
    ck_assert_str_eq(str(c, "company"), "Nordlicht Robotics");
    ck_assert_str_eq(str(c, "title"), "Senior Firmware Engineer");
    ck_assert(json_is_false(json_object_get(c, "is_private")));
    ck_assert(json_is_true(json_object_get(c, "can_email")));
    ck_assert_str_eq(str(c, "remote_created_at"), "2023-11-20T12:40:05.512Z");
    ck_assert_str_eq(str(c, "remote_updated_at"), "2024-03-19T16:02:45.140Z");
    ck_assert_str_eq(str(c, "last_interaction_at"), "2024-03-19T16:02:45.118Z");
    /* Contacts, with their types upper-cased. */
    ck_assert_str_eq(item_str(c, "email_addresses", 0, "value"), "marta.vidal@mail.example.net");
    ck_assert_str_eq(item_str(c, "email_addresses", 0, "type"), "PERSONAL");
    ck_assert_str_eq(item_str(c, "email_addresses", 1, "type"), "WORK");
    ck_assert_str_eq(item_str(c, "phone_numbers", 0, "value"), "+351 21 000 0147");
    ck_assert_str_eq(item_str(c, "phone_numbers", 0, "type"), "MOBILE");
    /* Websites keep their type; untyped social profiles are SOCIAL_MEDIA
     * unless the host says which network. */
    ck_assert_uint_eq(json_array_size(json_object_get(c, "urls")), 2);
    ck_assert_str_eq(item_str(c, "urls", 0, "value"), "mvidal.example.org");
    ck_assert_str_eq(item_str(c, "urls", 0, "type"), "PORTFOLIO");
    ck_assert_str_eq(item_str(c, "urls", 1, "value"), "social.example.com/in/martavidal");
    ck_assert_str_eq(item_str(c, "urls", 1, "type"), "SOCIAL_MEDIA");
    ck_assert_str_eq(str(c, "address"), "Rua Exemplo 12\n1100-000 Lisboa");
    ck_assert_str_eq(nth(c, "tags", 0), "Embedded");
    ck_assert_str_eq(nth(c, "tags", 1), "Rust");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "applications")), 2);
    ck_assert_str_eq(nth(c, "applications", 0), "91000011");
    ck_assert_str_eq(nth(c, "applications", 1), "91000012");
    /* v1 attachments have no ids: candidate, time and name make one. */
    ck_assert_uint_eq(json_array_size(json_object_get(c, "attachments")), 2);
    ck_assert_str_eq(nth(c, "attachments", 0),
                     "48200177:2024-03-04T09:15:23.002Z:Marta_Vidal_CV.pdf");
    ck_assert_str_eq(nth(c, "attachments", 1),
                     "48200177:2023-11-20T12:40:06.090Z:Marta_Vidal_Cover_Letter.pdf");
    ck_assert(json_is_false(json_object_get(c, "is_internal")));
    ck_assert_ptr_null(json_object_get(c, "avatar")); /* photo_url is null */
    json_t *cf = json_object_get(c, "custom_fields");
    ck_assert_str_eq(str(cf, "notice_period"), "60 days");
    ck_assert(json_is_true(json_object_get(cf, "open_to_relocation")));
    /* Employments and educations, dates without their midnight times. */
    json_t *job = json_array_get(json_object_get(c, "experience"), 0);
    ck_assert_str_eq(str(job, "company"), "Nordlicht Robotics");
    ck_assert_str_eq(str(job, "title"), "Senior Firmware Engineer");
    ck_assert_str_eq(str(job, "start_date"), "2019-02-01");
    ck_assert_ptr_null(json_object_get(job, "end_date"));
    ck_assert(json_is_true(json_object_get(job, "is_current")));
    json_t *school = json_array_get(json_object_get(c, "education"), 0);
    ck_assert_str_eq(str(school, "school"), "Example Institute of Technology");
    ck_assert_str_eq(str(school, "degree"), "Master's Degree");
    ck_assert_str_eq(str(school, "major"), "Electrical Engineering");
    ck_assert_str_eq(str(school, "start_date"), "2014-09-01");
    ck_assert_str_eq(str(school, "end_date"), "2016-07-15");
    /* Everything else is in remote_data, unchanged. */
    ck_assert(json_equal(json_object_get(c, "remote_data"), doc));
    json_decref(c);
    json_decref(doc);
}
END_TEST

START_TEST(v1_create_response_and_truncated_answer)
{
    json_t *doc = fixture("v1-candidate-create-response.json");
    json_t *c = gh_to_candidate(NULL, GH_V1, doc, NULL, NULL);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "first_name"), str(doc, "first_name"));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "applications")),
                      json_array_size(json_object_get(doc, "application_ids")));
    json_decref(c);
    json_decref(doc);

    /* "Still processing": only the ids. */
    doc = json_pack("{s:I, s:[I]}", "id", (json_int_t)48200999, "application_ids",
                    (json_int_t)91000077);
    c = gh_to_candidate(NULL, GH_V1, doc, NULL, NULL);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "48200999");
    ck_assert_str_eq(nth(c, "applications", 0), "91000077");
    ck_assert_ptr_null(json_object_get(c, "first_name"));
    json_decref(c);
    json_decref(doc);

    /* No id at all is the vendor's fault. */
    doc = json_pack("{s:s}", "first_name", "X");
    ck_assert_ptr_null(gh_to_candidate(NULL, GH_V1, doc, NULL, NULL));
    ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
    json_decref(doc);
}
END_TEST

START_TEST(v3_candidate_with_its_applications_and_attachments)
{
    json_t *list = fixture("v3-candidates-list-one.json");
    json_t *apps = fixture("v3-applications-list.json");
    json_t *atts = fixture("v3-attachments-list.json");
    json_t *row = json_array_get(list, 0);
    json_t *c = gh_to_candidate(NULL, GH_V3, row, apps, atts);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "60012345");
    ck_assert_str_eq(str(c, "first_name"), "Ines");
    ck_assert_str_eq(str(c, "last_name"), "Moreau");
    ck_assert_str_eq(str(c, "company"), "Atelier Nord");
    ck_assert_str_eq(str(c, "title"), "QA Lead");
    /* "private", the spelling some v3 readers report, is is_private. */
    ck_assert(json_is_true(json_object_get(c, "is_private")));
    ck_assert(json_is_false(json_object_get(c, "can_email")));
    ck_assert_str_eq(str(c, "last_interaction_at"), "2026-11-20T16:45:12.004Z");
    /* Whole seconds lose their ".000", as every uats time does. */
    ck_assert_str_eq(str(c, "remote_created_at"), "2026-10-01T08:30:00Z");
    ck_assert_str_eq(item_str(c, "phone_numbers", 1, "type"), "SKYPE");
    ck_assert_str_eq(item_str(c, "email_addresses", 1, "type"), "WORK");
    json_t *urls = json_object_get(c, "urls");
    ck_assert_uint_eq(json_array_size(urls), 4);
    ck_assert_str_eq(item_str(c, "urls", 0, "type"), "PORTFOLIO");
    ck_assert_str_eq(item_str(c, "urls", 1, "type"), "BLOG");
    ck_assert_str_eq(item_str(c, "urls", 2, "type"), "LINKEDIN");
    ck_assert_str_eq(item_str(c, "urls", 3, "type"), "SOCIAL_MEDIA");
    ck_assert_str_eq(nth(c, "tags", 0), "Referral 2026");
    ck_assert(json_is_true(json_object_get(c, "is_internal"))); /* linked_user_ids */
    ck_assert_str_eq(str(json_object_get(c, "custom_fields"), "notice_period"), "30 days");
    ck_assert_str_eq(nth(c, "applications", 0), "91000013");
    ck_assert_str_eq(nth(c, "applications", 1), "91000009");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "attachments")), 3);
    ck_assert_str_eq(nth(c, "attachments", 0), "73000021");
    /* remote_data pairs the candidate with the lists read beside it. */
    json_t *raw = json_object_get(c, "remote_data");
    ck_assert(json_equal(json_object_get(raw, "candidate"), row));
    ck_assert(json_equal(json_object_get(raw, "applications"), apps));
    ck_assert(json_equal(json_object_get(raw, "attachments"), atts));
    json_decref(c);

    /* The create envelope's candidate maps the same way. */
    json_t *env = fixture("v3-candidate-create-response.json");
    json_t *one = json_pack("[O]", json_object_get(env, "application"));
    c = gh_to_candidate(NULL, GH_V3, json_object_get(env, "candidate"), one, NULL);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert(json_is_false(json_object_get(c, "is_private")));
    ck_assert_str_eq(nth(c, "applications", 0), "91000044");
    ck_assert_ptr_null(json_object_get(c, "attachments")); /* not read */
    json_decref(c);
    json_decref(one);
    json_decref(env);
    json_decref(list);
    json_decref(apps);
    json_decref(atts);
}
END_TEST

START_TEST(attachments_map_with_types)
{
    json_t *atts = fixture("v3-attachments-list.json");
    static const char *const want[] = {"RESUME", "OFFER_LETTER", "OTHER"};
    for (size_t i = 0; i < 3; i++) {
        json_t *a = gh_v3_to_attachment(NULL, json_array_get(atts, i));
        assert_valid(UATS_KIND_ATTACHMENT, a);
        ck_assert_str_eq(str(a, "type"), want[i]);
        ck_assert_str_eq(str(a, "candidate_id"), "60012345");
        json_decref(a);
    }
    json_t *a = gh_v3_to_attachment(NULL, json_array_get(atts, 0));
    ck_assert_str_eq(str(a, "id"), "73000021");
    ck_assert_str_eq(str(a, "application_id"), "91000013");
    ck_assert_str_eq(str(a, "file_name"), "Ines_Moreau_CV.pdf");
    ck_assert_str_eq(str(a, "file_url"),
                     "https://files.example.test/signed/73000021?expires=1764662400");
    ck_assert_str_eq(str(a, "remote_created_at"), "2026-11-02T09:00:05.120Z");
    json_decref(a);
    json_decref(atts);

    /* v1: the documented candidate's entries, ids synthesized. */
    json_t *cand = fixture("v1-candidate-get-response.json");
    json_t *entry = json_array_get(json_object_get(cand, "attachments"), 1);
    a = gh_v1_to_attachment(NULL, "48200177", entry, "application/pdf");
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "id"), "48200177:2023-11-20T12:40:06.090Z:Marta_Vidal_Cover_Letter.pdf");
    ck_assert_str_eq(str(a, "type"), "COVER_LETTER");
    ck_assert_str_eq(str(a, "content_type"), "application/pdf");
    ck_assert_str_eq(str(a, "candidate_id"), "48200177");
    ck_assert_str_eq(str(a, "file_url"), "https://files.example-s3.test/signed/def456");
    json_decref(a);
    json_decref(cand);

    /* admin_only (v1) and unknown types read back as OTHER. */
    json_t *odd = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)5, "type", "admin_only",
                            "filename", "x.txt");
    a = gh_v3_to_attachment(NULL, odd);
    ck_assert_str_eq(str(a, "type"), "OTHER");
    json_decref(a);
    json_decref(odd);
}
END_TEST

START_TEST(times_with_offsets_are_normalized_and_junk_dropped)
{
    json_t *cand = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)7, "created_at",
                             "2026-01-02T05:04:05+02:00", "updated_at", "yesterday",
                             "last_activity_at", "2026-01-02T03:04:05.5Z");
    json_t *c = gh_to_candidate(NULL, GH_V3, cand, NULL, NULL);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "remote_created_at"), "2026-01-02T03:04:05Z");
    ck_assert_ptr_null(json_object_get(c, "remote_updated_at"));
    ck_assert_str_eq(str(c, "last_interaction_at"), "2026-01-02T03:04:05.500Z");
    json_decref(c);
    json_decref(cand);
}
END_TEST

/* ---- unified -> Greenhouse ---- */

static json_t *full_input(void)
{
    json_error_t jerr;
    json_t *in = json_loads(
        "{\"first_name\": \"Kofi\", \"last_name\": \"Asante\", \"company\": \"Harbor Analytics\","
        " \"title\": \"Data Engineer\", \"is_private\": false, \"can_email\": true,"
        " \"email_addresses\": [{\"value\": \"kofi.asante@mail.example.net\", \"type\": \"PERSONAL\"},"
        "   {\"value\": \"kasante@harbor.example.com\", \"type\": \"WORK\"}],"
        " \"phone_numbers\": [{\"value\": \"+44 20 0000 0199\", \"type\": \"WORK\"},"
        "   {\"value\": \"+44 7000 000000\"}],"
        " \"urls\": [{\"value\": \"kofi.example.dev\", \"type\": \"BLOG\"},"
        "   {\"value\": \"https://www.linkedin.com/in/kofi\", \"type\": \"LINKEDIN\"},"
        "   {\"value\": \"https://github.com/kofi\", \"type\": \"GITHUB\"},"
        "   {\"value\": \"social.example.com/in/kofiasante\", \"type\": \"SOCIAL_MEDIA\"},"
        "   {\"value\": \"https://kofi.example.dev/me\", \"type\": \"PERSONAL\"}],"
        " \"address\": {\"street\": \"7 Sample Lane\", \"city\": \"London\", \"country\": \"GB\"},"
        " \"tags\": [\"Python\", \"Airflow\"],"
        " \"custom_fields\": {\"preferred_language\": \"English\"},"
        " \"experience\": [{\"company\": \"Harbor Analytics\", \"title\": \"Data Engineer\","
        "   \"start_date\": \"2020-04-01\", \"department\": \"Data\"},"
        "   {\"company\": \"Nowhere\"}],"
        " \"skills\": [\"SQL\"], \"gender\": \"female\", \"id\": \"mine\","
        " \"application\": {\"job_id\": \"402233\", \"stage_id\": \"3300160\","
        "   \"source\": \"applicant\", \"screening_answers\": [{\"question_id\": \"q\", \"answer\": \"y\"}]},"
        " \"remote_fields\": {\"recruiter\": {\"id\": 700101}}}",
        0, &jerr);
    ck_assert_msg(in != NULL, "%s", jerr.text);
    return in;
}

START_TEST(v1_input_maps_to_documented_create_body)
{
    json_t *in = full_input(), *body;
    bool prospect;
    ck_assert_int_eq(gh_create_body(NULL, GH_V1, in, &body, &prospect), UATS_OK);
    ck_assert(!prospect);
    /* Compare with the documented request where the fields coincide. */
    json_t *doc = fixture("v1-candidate-create-request.json");
    static const char *const same[] = {"first_name", "last_name", "company", "title",
                                       "is_private", "email_addresses", "tags", NULL};
    for (const char *const *k = same; *k; k++)
        ck_assert_msg(json_equal(json_object_get(body, *k), json_object_get(doc, *k)),
                      "%s differs from the documented request", *k);
    ck_assert_str_eq(item_str(body, "phone_numbers", 0, "type"), "work");
    ck_assert_str_eq(item_str(body, "phone_numbers", 1, "type"), "other");
    ck_assert(warned("phone_numbers[1].type"));
    /* urls split: websites keep their types, GitHub has none; LinkedIn and
     * social profiles go untyped. */
    json_t *web = json_object_get(body, "website_addresses");
    ck_assert_uint_eq(json_array_size(web), 3);
    ck_assert(json_equal(json_array_get(web, 0),
                         json_array_get(json_object_get(doc, "website_addresses"), 0)));
    ck_assert_str_eq(item_str(body, "website_addresses", 1, "type"), "other");
    ck_assert(warned("urls[2].type"));
    ck_assert_str_eq(item_str(body, "website_addresses", 2, "type"), "personal");
    json_t *social = json_object_get(body, "social_media_addresses");
    ck_assert_uint_eq(json_array_size(social), 2);
    ck_assert(json_equal(json_array_get(social, 1),
                         json_array_get(json_object_get(doc, "social_media_addresses"), 0)));
    ck_assert_ptr_null(json_object_get(json_array_get(social, 0), "type"));
    ck_assert_str_eq(item_str(body, "addresses", 0, "value"), "7 Sample Lane, London, GB");
    ck_assert(warned("address"));
    /* Custom fields as Greenhouse writes them. */
    ck_assert_str_eq(item_str(body, "custom_fields", 0, "name_key"), "preferred_language");
    ck_assert_str_eq(item_str(body, "custom_fields", 0, "value"), "English");
    /* Employments: the complete entry, dated as Greenhouse writes dates. */
    json_t *jobs = json_object_get(body, "employments");
    ck_assert_uint_eq(json_array_size(jobs), 1);
    ck_assert(json_equal(json_array_get(jobs, 0),
                         json_array_get(json_object_get(doc, "employments"), 0)));
    ck_assert(warned("experience[0].department"));
    ck_assert(warned("experience[1]"));
    /* The application: numeric job and stage ids. */
    json_t *app = json_array_get(json_object_get(body, "applications"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(app, "job_id")), 402233);
    ck_assert_int_eq(json_integer_value(json_object_get(app, "initial_stage_id")), 3300160);
    ck_assert(warned("application.source"));
    ck_assert(warned("application.screening_answers"));
    /* Unstorable fields are each named. */
    ck_assert(warned("skills"));
    ck_assert(warned("gender"));
    ck_assert(warned("id"));
    ck_assert(warned("can_email")); /* v1 cannot set it on create */
    ck_assert_ptr_null(json_object_get(body, "can_email"));
    /* remote_fields merged as given. */
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(body, "recruiter"), "id")),
                     700101);
    json_decref(body);
    json_decref(doc);
    json_decref(in);
}
END_TEST

START_TEST(v3_input_maps_to_create_body)
{
    json_t *in = full_input(), *body;
    bool prospect;
    ck_assert_int_eq(gh_create_body(NULL, GH_V3, in, &body, &prospect), UATS_OK);
    ck_assert(!prospect);
    /* One application object, no stage (v3 starts at the first stage). */
    ck_assert_ptr_null(json_object_get(body, "applications"));
    json_t *app = json_object_get(body, "application");
    ck_assert_int_eq(json_integer_value(json_object_get(app, "job_id")), 402233);
    ck_assert_ptr_null(json_object_get(app, "initial_stage_id"));
    ck_assert(warned("application.stage_id"));
    ck_assert(json_is_true(json_object_get(body, "can_email")));
    ck_assert(json_is_false(json_object_get(body, "is_private")));
    ck_assert_ptr_null(json_object_get(body, "custom_fields"));
    ck_assert(warned("custom_fields"));
    ck_assert_ptr_null(json_object_get(body, "employments"));
    ck_assert(warned("experience"));
    ck_assert_uint_eq(json_array_size(json_object_get(body, "social_media_addresses")), 2);
    json_decref(body);

    /* Without a job: no application (v1 makes a prospect). */
    json_object_del(in, "application");
    json_object_clear(fake_warnings);
    ck_assert_int_eq(gh_create_body(NULL, GH_V3, in, &body, &prospect), UATS_OK);
    ck_assert(prospect);
    ck_assert_ptr_null(json_object_get(body, "application"));
    json_decref(body);
    ck_assert_int_eq(gh_create_body(NULL, GH_V1, in, &body, &prospect), UATS_OK);
    ck_assert(prospect);
    ck_assert_ptr_null(json_object_get(body, "applications"));
    json_decref(body);

    /* A job id Greenhouse cannot have is refused before anything is sent. */
    json_object_set_new(in, "application", json_pack("{s:s}", "job_id", "job-7"));
    ck_assert_int_eq(gh_create_body(NULL, GH_V3, in, &body, &prospect), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(fake_field, "application.job_id");
    ck_assert_ptr_null(body);
    json_decref(in);
}
END_TEST

START_TEST(attachment_bodies_per_version_and_type)
{
    json_t *body;
    gh_target target;
    /* v3: as Greenhouse's documented example (application_id added by the
     * caller), no content_type. */
    json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "file_name", "Ines_Moreau_CV.pdf", "type",
                           "RESUME", "content_type", "application/pdf", "data",
                           "JVBERi0xLjcKJeLjz9MKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKdHJhaWxlcgo8PC9Sb290IDEgMCBSPj4KJSVFT0YK");
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V3, in, "", true, &body, &target), UATS_OK);
    ck_assert_int_eq(target, GH_ON_APPLICATION);
    json_t *doc = fixture("v3-attachment-create-request-content.json");
    json_object_set(body, "application_id", json_object_get(doc, "application_id"));
    json_object_del(doc, "visibility"); /* left to Greenhouse's default for the type */
    ck_assert(json_equal(body, doc));
    json_decref(body);
    json_decref(doc);

    /* v1 resume: the candidate endpoint, content_type kept. */
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V1, in, "", true, &body, &target), UATS_OK);
    ck_assert_int_eq(target, GH_ON_CANDIDATE);
    ck_assert_str_eq(str(body, "type"), "resume");
    ck_assert_str_eq(str(body, "content_type"), "application/pdf");
    json_decref(body);
    json_decref(in);

    /* v1 as the documented requests: a cover letter's content, and a file
     * by URL for a candidate without applications (admin_only). */
    doc = fixture("v1-attachment-add-request.json");
    in = json_pack("{s:s, s:s, s:s, s:s}", "file_name", str(doc, "filename"), "type",
                   "COVER_LETTER", "content_type", "application/pdf", "data",
                   str(doc, "content"));
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V1, in, "", false, &body, &target), UATS_OK);
    ck_assert_int_eq(target, GH_ON_CANDIDATE);
    ck_assert(json_equal(body, doc));
    json_decref(body);
    json_decref(in);
    json_decref(doc);
    doc = fixture("v1-attachment-add-request-url.json");
    in = json_pack("{s:s, s:s, s:s}", "file_name", str(doc, "filename"), "type", "OTHER",
                   "url", str(doc, "url"));
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V1, in, "", false, &body, &target), UATS_OK);
    ck_assert_int_eq(target, GH_ON_CANDIDATE);
    ck_assert(json_equal(body, doc));
    ck_assert(warned("type"));
    json_decref(body);
    json_decref(in);
    json_decref(doc);

    /* v1 other file: on an application when there is one, else admin-only
     * on the candidate with a warning. The content type comes from the
     * file name when not given. */
    in = json_pack("{s:s, s:s, s:s}", "file_name", "notes.txt", "type", "OTHER", "data",
                   "aGVsbG8=");
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V1, in, "", true, &body, &target), UATS_OK);
    ck_assert_int_eq(target, GH_ON_APPLICATION);
    ck_assert_str_eq(str(body, "type"), "other");
    ck_assert_str_eq(str(body, "content_type"), "text/plain");
    json_decref(body);
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V1, in, "attachments[1]", false, &body,
                                        &target), UATS_OK);
    ck_assert_int_eq(target, GH_ON_CANDIDATE);
    ck_assert_str_eq(str(body, "type"), "admin_only");
    ck_assert(warned("attachments[1].type"));
    json_decref(body);
    json_decref(in);

    /* v1 refuses content types outside its list; offer letters are never
     * sent; v3 needs an extension. */
    in = json_pack("{s:s, s:s, s:s}", "file_name", "tool.exe", "content_type",
                   "application/x-msdownload", "data", "aGVsbG8=");
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V1, in, "attachments[0]", true, &body,
                                        &target), UATS_E_INVALID_INPUT);
    ck_assert_str_eq(fake_field, "attachments[0].content_type");
    json_decref(in);
    in = json_pack("{s:s, s:s, s:s}", "file_name", "offer.pdf", "type", "OFFER_LETTER",
                   "data", "aGVsbG8=");
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V3, in, "", true, &body, &target),
                     UATS_E_UNSUPPORTED);
    ck_assert_str_eq(fake_field, "type");
    json_decref(in);
    in = json_pack("{s:s, s:s}", "file_name", "README", "data", "aGVsbG8=");
    ck_assert_int_eq(gh_attachment_body(NULL, GH_V3, in, "", true, &body, &target),
                     UATS_E_INVALID_INPUT);
    ck_assert_str_eq(fake_field, "file_name");
    json_decref(in);
}
END_TEST

START_TEST(error_fields_map_to_input_paths)
{
    char out[128];
    ck_assert_str_eq(gh_input_field("last_name", false, "", out, sizeof out), "last_name");
    ck_assert_str_eq(gh_input_field("email_addresses[1].type", false, "", out, sizeof out),
                     "email_addresses[1].type");
    ck_assert_str_eq(gh_input_field("website_addresses[0].value", false, "", out, sizeof out),
                     "urls");
    ck_assert_str_eq(gh_input_field("applications[0].job_id", false, "", out, sizeof out),
                     "application.job_id");
    ck_assert_str_eq(gh_input_field("applications[0].initial_stage_id", false, "", out,
                                    sizeof out), "application.stage_id");
    ck_assert_str_eq(gh_input_field("type", true, "", out, sizeof out), "type");
    ck_assert_str_eq(gh_input_field("content", true, "attachments[2]", out, sizeof out),
                     "attachments[2].data");
    ck_assert_ptr_null(gh_input_field("educations", false, "", out, sizeof out));
    ck_assert_ptr_null(gh_input_field("last_names", false, "", out, sizeof out));
    ck_assert_ptr_null(gh_input_field(NULL, false, "", out, sizeof out));

    /* The documented 422 names last_name first. */
    json_t *doc = fixture("v1-error-422.json");
    const char *f = str(json_array_get(json_object_get(doc, "errors"), 0), "field");
    ck_assert_str_eq(gh_input_field(f, false, "", out, sizeof out), "last_name");
    json_decref(doc);
}
END_TEST

START_TEST(application_choice)
{
    json_t *apps = fixture("v3-applications-list.json");
    ck_assert_int_eq(json_integer_value(json_object_get(gh_pick_application(apps), "id")),
                     91000013); /* the active one */
    json_decref(apps);
    /* v1: the documented candidate has one active, one rejected. */
    json_t *cand = fixture("v1-candidate-get-response.json");
    const json_t *pick = gh_pick_application(json_object_get(cand, "applications"));
    ck_assert_int_eq(json_integer_value(json_object_get(pick, "id")), 91000011);
    json_decref(cand);
    /* All rejected: the newest. */
    apps = json_pack("[{s:i, s:s}, {s:i, s:s}]", "id", 5, "status", "rejected", "id", 9,
                     "status", "hired");
    ck_assert_int_eq(json_integer_value(json_object_get(gh_pick_application(apps), "id")), 9);
    json_decref(apps);
    ck_assert_ptr_null(gh_pick_application(NULL));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("greenhouse_map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, v1_documented_candidate_maps_every_field);
    tcase_add_test(tc, v1_create_response_and_truncated_answer);
    tcase_add_test(tc, v3_candidate_with_its_applications_and_attachments);
    tcase_add_test(tc, attachments_map_with_types);
    tcase_add_test(tc, times_with_offsets_are_normalized_and_junk_dropped);
    tcase_add_test(tc, v1_input_maps_to_documented_create_body);
    tcase_add_test(tc, v3_input_maps_to_create_body);
    tcase_add_test(tc, attachment_bodies_per_version_and_type);
    tcase_add_test(tc, error_fields_map_to_input_paths);
    tcase_add_test(tc, application_choice);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
