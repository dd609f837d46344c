/*
 * tests/check_eightfold_map.c: the Eightfold connector's mapping, fed the
 * example payloads of plugins/eightfold/fixtures (the shapes of
 * docs/vendors/eightfold.md). eightfold_map.c is compiled into this test
 * with a stand-in services table that records warnings and failures.
 */
#include <uats/connector.h>

#include "eightfold.h"
#include "fakehost.h"
#include "testutil.h"

static json_t *fixture(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", EIGHTFOLD_FIXTURES, name);
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

static bool warned(const char *field)
{
    return json_object_get(fake_warnings, field) != NULL;
}

static void assert_valid(uats_kind kind, const json_t *obj)
{
    uats_object *o;
    uats_error err;
    ck_assert_msg(uats_object_from_json(kind, obj, &o, &err) == UATS_OK, "invalid: %s",
                  err.text);
    uats_object_free(o);
}

/* The unified input that is the documented create request, field by field
 * (values of create-request.json). */
static const char maya[] =
    "{\"id\": \"cand-10482\", \"first_name\": \"Maya\", \"last_name\": \"Okafor\","
    " \"email_addresses\": [{\"value\": \"maya.okafor@example.com\"}],"
    " \"phone_numbers\": [{\"value\": \"+1-512-555-0142\"}, {\"value\": \"+1-512-555-0199\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/maya-okafor-example\","
    "   \"type\": \"LINKEDIN\"}, {\"value\": \"https://github.com/maya-okafor-example\"}],"
    " \"title\": \"Senior Data Engineer\", \"locations\": [\"Austin, TX, United States\"],"
    " \"location\": {\"country\": \"US\"},"
    " \"address\": \"1200 Example Avenue, Austin, TX 78701, US\","
    " \"summary\": \"Data engineer with eight years of batch and streaming pipeline work.\","
    " \"gender\": \"female\", \"date_of_birth\": \"1990-04-12\","
    " \"visa_statuses\": [\"authorized_to_work_us\"], \"veteran_status\": false,"
    " \"disability_status\": false, \"races\": [\"Black or African American\"],"
    " \"highest_education_level\": \"bachelors\", \"contact_consent\": \"all\","
    " \"is_internal\": false, \"is_anonymized\": false,"
    " \"skills\": [\"Python\", \"Apache Spark\", \"SQL\"], \"tags\": [\"referral\", \"data-platform\"],"
    " \"education\": [{\"school\": \"University of Example\", \"degree\": \"BSc\","
    "   \"major\": \"Computer Science\", \"location\": \"Lagos, Nigeria\","
    "   \"description\": \"Graduated with honours.\", \"start_date\": \"2010-09-01\","
    "   \"end_date\": \"2014-07-01\", \"is_current\": false, \"is_graduated\": true}],"
    " \"experience\": [{\"company\": \"Example Analytics Inc.\", \"title\": \"Senior Data Engineer\","
    "   \"location\": \"Austin, TX\", \"department\": \"Data Platform\","
    "   \"description\": \"Owns the event ingestion pipeline.\", \"start_date\": \"2020-01-01\","
    "   \"is_current\": true, \"is_internal\": false}],"
    " \"company\": \"Example Analytics Inc.\","
    " \"certifications\": [{\"name\": \"Example Cloud Data Engineer\", \"issuer\": \"Example Cloud\","
    "   \"number\": \"EC-778812\", \"issued_on\": \"2023-01-01\", \"expires_on\": \"2026-01-01\"}],"
    " \"custom_fields\": {\"requisition_region\": \"AMER\","
    "   \"salary_expectation\": \"150000 USD/YEAR\"},"
    " \"application\": {\"job_id\": \"job-3307\", \"source\": \"applicant\","
    "   \"screening_answers\": [{\"question_id\": \"q-1\", \"answer\": \"Yes\"}]},"
    " \"attachments\": [{\"file_name\": \"maya_okafor_resume.pdf\", \"type\": \"RESUME\","
    "   \"content_type\": \"application/pdf\","
    "   \"data\": \"JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZz4+ZW5kb2JqCnRyYWlsZXI8PC9Sb290IDEgMCBSPj4KJSVFT0YK\"}]}";

START_TEST(unified_input_gives_the_documented_request)
{
    json_t *in = doc(maya), *want = fixture("create-request.json"), *body;
    assert_valid(UATS_KIND_CANDIDATE_INPUT, in);
    ck_assert_int_eq(ef_create_body(NULL, in, "acme_ats", 1735776000, NULL, &body), UATS_OK);
    /* Every top-level value the mapping writes equals the documented one. */
    static const char *const same[] = {
        "candidateId", "systemId", "firstName", "lastName", "emails", "phones", "urls",
        "title", "location", "locationCountry", "address", "summary", "gender", "dateOfBirth",
        "visaStatuses", "veteranStatus", "disabilityStatus", "races", "highestEducationLevel",
        "contactConsent", "isInternal", "isAnonymized", "skills", "tags", "education",
        "certifications", "customInfo", "lastActivityTs"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        ck_assert_msg(json_equal(json_object_get(body, same[i]), json_object_get(want, same[i])),
                      "%s differs", same[i]);
    /* Experience: the documented entry minus industry (no unified home). */
    json_t *x = json_array_get(json_object_get(body, "experience"), 0);
    json_t *wx = json_array_get(json_object_get(want, "experience"), 0);
    static const char *const xkeys[] = {"company", "title", "location", "department",
                                        "description", "startTs", "isCurrent", "isInternal"};
    for (size_t i = 0; i < sizeof xkeys / sizeof xkeys[0]; i++)
        ck_assert_msg(json_equal(json_object_get(x, xkeys[i]), json_object_get(wx, xkeys[i])),
                      "experience.%s differs", xkeys[i]);
    ck_assert_ptr_null(json_object_get(x, "endTs"));
    /* The application: caller-made id, the job, times, status. */
    json_t *app = json_array_get(json_object_get(body, "applications"), 0);
    ck_assert_str_eq(str(app, "candidateId"), "cand-10482");
    ck_assert_str_eq(str(json_array_get(json_object_get(app, "jobs"), 0), "atsJobId"), "job-3307");
    ck_assert_str_eq(str(app, "status"), "active");
    ck_assert_int_eq(json_integer_value(json_object_get(app, "applicationTs")), 1735776000);
    ck_assert(json_is_false(json_object_get(app, "isProspect")));
    json_t *q = json_array_get(json_object_get(app, "questions"), 0);
    ck_assert_str_eq(str(q, "questionId"), "q-1");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(q, "answer"), 0)), "Yes");
    ck_assert_uint_eq(strncmp(str(app, "applicationId"), "app-", 4), 0);
    /* The resume, as documented, linked to that application. */
    json_t *att = json_array_get(json_object_get(body, "attachments"), 0);
    json_t *watt = json_array_get(json_object_get(want, "attachments"), 0);
    static const char *const akeys[] = {"fileName", "attachmentType", "isBase64",
                                        "attachmentContent"};
    for (size_t i = 0; i < sizeof akeys / sizeof akeys[0]; i++)
        ck_assert_msg(json_equal(json_object_get(att, akeys[i]), json_object_get(watt, akeys[i])),
                      "attachments[0].%s differs", akeys[i]);
    ck_assert_str_eq(str(json_array_get(json_object_get(att, "applicationMetadata"), 0),
                         "applicationId"), str(app, "applicationId"));
    /* Nothing warned: the company is the current experience entry's, the
     * URL types are the ones a read infers, the PDF's type its name's. */
    ck_assert_msg(json_object_size(fake_warnings) == 0, "warnings: %s",
                  json_dumps(fake_warnings, 0));
    json_decref(body);
    json_decref(in);
    json_decref(want);
}
END_TEST

START_TEST(ids_are_deterministic)
{
    json_t *in = doc(maya), *a, *b;
    ck_assert_int_eq(ef_create_body(NULL, in, "acme_ats", 1, NULL, &a), UATS_OK);
    ck_assert_int_eq(ef_create_body(NULL, in, "acme_ats", 2, NULL, &b), UATS_OK);
    /* A retried create names the same application and attachment. */
    ck_assert_str_eq(str(json_array_get(json_object_get(a, "attachments"), 0), "attachmentId"),
                     str(json_array_get(json_object_get(b, "attachments"), 0), "attachmentId"));
    ck_assert_str_eq(str(json_array_get(json_object_get(a, "applications"), 0), "applicationId"),
                     str(json_array_get(json_object_get(b, "applications"), 0), "applicationId"));
    char h1[17], h2[17];
    const char *p1[] = {"ab", "c"}, *p2[] = {"a", "bc"};
    ef_hash_hex(h1, p1, 2);
    ef_hash_hex(h2, p2, 2);
    ck_assert_str_ne(h1, h2);
    json_decref(a);
    json_decref(b);
    json_decref(in);
}
END_TEST

START_TEST(what_eightfold_cannot_hold_is_warned_by_path)
{
    json_t *in = doc("{\"id\": \"c-1\", \"first_name\": \"Ada\", \"company\": \"Analytical Engines\","
                     " \"email_addresses\": [{\"value\": \"ada@work.example\", \"type\": \"WORK\"},"
                     "   {\"value\": \"ada@home.example\", \"type\": \"PERSONAL\"}],"
                     " \"phone_numbers\": [{\"value\": \"1,2\"}, {\"value\": \"+44 1\", \"type\": \"MOBILE\"}],"
                     " \"urls\": [{\"value\": \"https://ada.example\", \"type\": \"PERSONAL\"}],"
                     " \"locations\": [\"London\", \"Paris\"],"
                     " \"location\": {\"city\": \"London\", \"country\": \"GB\"},"
                     " \"address\": {\"street\": \"1 St James's Sq\", \"city\": \"London\"},"
                     " \"is_private\": true, \"can_email\": true, \"avatar\": \"https://a.example/a.png\","
                     " \"salary_expectations\": {\"amount\": 1, \"currency\": \"GBP\", \"period\": \"YEAR\"},"
                     " \"availability_date\": \"2030-01-01\", \"acting_user\": \"u-1\","
                     " \"application\": {\"job_id\": \"j\", \"stage_id\": \"s\", \"source\": \"lead\","
                     "   \"form_answers\": [{\"name\": \"n\", \"value\": 1}]},"
                     " \"attachments\": [{\"file_name\": \"offer.bin\", \"type\": \"OFFER_LETTER\","
                     "   \"content_type\": \"application/x-thing\", \"data\": \"QUJD\"}]}");
    json_t *body;
    ck_assert_int_eq(ef_create_body(NULL, in, "s", 1, NULL, &body), UATS_OK);
    static const char *const fields[] = {
        "company", "email_addresses[0]", "email_addresses[1].type", "phone_numbers[0]",
        "phone_numbers[1].type", "urls[0].type", "locations[1]", "location.city", "address",
        "is_private", "can_email", "avatar", "salary_expectations", "availability_date",
        "acting_user", "application.stage_id", "application.form_answers",
        "attachments[0].type", "attachments[0].content_type"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(warned(fields[i]), "%s not warned", fields[i]);
    ck_assert_str_eq(str(body, "emails"), "ada@home.example"); /* the personal one */
    ck_assert_str_eq(str(body, "phones"), "+44 1");
    ck_assert_str_eq(str(body, "location"), "London");
    ck_assert_str_eq(str(body, "locationCountry"), "GB");
    ck_assert_str_eq(str(body, "address"), "1 St James's Sq, London");
    ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(body, "applications"), 0),
                                           "isProspect")));
    ck_assert_str_eq(str(json_array_get(json_object_get(body, "attachments"), 0), "attachmentType"),
                     "others");
    json_decref(body);
    json_decref(in);

    /* A location with no locations becomes the text. */
    in = doc("{\"id\": \"c\", \"first_name\": \"A\", \"email_addresses\": [{\"value\": \"a@b.c\"}],"
             " \"location\": {\"city\": \"Berlin\", \"region\": \"BE\", \"country\": \"DE\"},"
             " \"education\": [{\"school\": \"Home\", \"start_date\": \"1830-01-01\"}]}");
    json_object_clear(fake_warnings);
    ck_assert_int_eq(ef_create_body(NULL, in, "s", 1, NULL, &body), UATS_OK);
    ck_assert_str_eq(str(body, "location"), "Berlin, BE, DE");
    ck_assert(warned("location.city") && warned("location.region") && !warned("location"));
    /* Before 1901: no int32 epoch second holds it. */
    ck_assert(warned("education[0].start_date"));
    ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(body, "education"), 0),
                                           "startTs")));
    json_decref(body);
    json_decref(in);
}
END_TEST

START_TEST(inputs_eightfold_refuses_are_not_sent)
{
    static const char *const cases[][2] = {
        {"{\"first_name\": \"A\", \"email_addresses\": [{\"value\": \"a@b.c\"}]}", "id"},
        {"{\"id\": \"c\", \"last_name\": \"A\", \"email_addresses\": [{\"value\": \"a@b.c\"}]}",
         "first_name"},
        {"{\"id\": \"c\", \"first_name\": \"A\"}", "email_addresses"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *in = doc(cases[i][0]), *body = NULL;
        ck_assert_int_eq(ef_create_body(NULL, in, "s", 1, NULL, &body), UATS_E_INVALID_INPUT);
        ck_assert_ptr_null(body);
        ck_assert_str_eq(fake_field, cases[i][1]);
        json_decref(in);
    }
}
END_TEST

START_TEST(remote_fields_and_downloads)
{
    json_t *in = doc("{\"id\": \"c\", \"first_name\": \"A\", \"email_addresses\": [{\"value\": \"a@b.c\"}],"
                     " \"attachments\": [{\"file_name\": \"cv.txt\", \"url\": \"https://f.example/cv\"}],"
                     " \"remote_fields\": {\"refreshClaimedProfile\": null, \"title\": \"Raw\"}}");
    const char *fetched[] = {"Q1Y="};
    json_t *body;
    ck_assert_int_eq(ef_create_body(NULL, in, "s", 1, fetched, &body), UATS_OK);
    ck_assert_str_eq(str(body, "title"), "Raw");
    ck_assert_str_eq(str(json_array_get(json_object_get(body, "attachments"), 0),
                         "attachmentContent"), "Q1Y=");
    json_decref(body);
    json_decref(in);
    char *b = ef_base64("CV", 2);
    ck_assert_str_eq(b, "Q1Y=");
    fake_host.free(b);
    b = ef_base64("abc", 3);
    ck_assert_str_eq(b, "YWJj");
    fake_host.free(b);
}
END_TEST

START_TEST(documented_answer_maps_every_field)
{
    json_t *p = fixture("get-response.json");
    json_t *c = ef_to_candidate(NULL, p);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "id"), "cand-10482");
    ck_assert_str_eq(str(c, "remote_id"), "cand-10482");
    ck_assert_str_eq(str(c, "first_name"), "Maya");
    ck_assert_str_eq(str(c, "last_name"), "Okafor");
    ck_assert_str_eq(str(c, "company"), "Example Analytics Inc.");
    ck_assert_str_eq(str(c, "title"), "Senior Data Engineer");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "locations"), 0)),
                     "Austin, TX, United States");
    ck_assert_str_eq(str(json_object_get(c, "location"), "country"), "US");
    json_t *emails = json_object_get(c, "email_addresses");
    ck_assert_uint_eq(json_array_size(emails), 1);
    ck_assert_str_eq(str(json_array_get(emails, 0), "value"), "maya.okafor@example.com");
    json_t *phones = json_object_get(c, "phone_numbers");
    ck_assert_uint_eq(json_array_size(phones), 2);
    ck_assert_str_eq(str(json_array_get(phones, 1), "value"), "+1-512-555-0199");
    json_t *urls = json_object_get(c, "urls");
    ck_assert_str_eq(str(json_array_get(urls, 0), "type"), "LINKEDIN");
    ck_assert_str_eq(str(json_array_get(urls, 1), "type"), "GITHUB");
    ck_assert_str_eq(str(c, "address"), "1200 Example Avenue, Austin, TX 78701, US");
    ck_assert_str_eq(str(c, "summary"),
                     "Data engineer with eight years of batch and streaming pipeline work.");
    ck_assert_str_eq(str(c, "gender"), "female");
    ck_assert_str_eq(str(c, "date_of_birth"), "1990-04-12");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "visa_statuses"), 0)),
                     "authorized_to_work_us");
    ck_assert(json_is_false(json_object_get(c, "veteran_status")));
    ck_assert(json_is_false(json_object_get(c, "disability_status")));
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "races"), 0)),
                     "Black or African American");
    ck_assert_str_eq(str(c, "highest_education_level"), "bachelors");
    ck_assert_str_eq(str(c, "contact_consent"), "all");
    ck_assert(json_is_false(json_object_get(c, "is_internal")));
    ck_assert(json_is_false(json_object_get(c, "is_anonymized")));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "skills")), 3);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "tags")), 2);
    json_t *edu = json_array_get(json_object_get(c, "education"), 0);
    ck_assert_str_eq(str(edu, "school"), "University of Example");
    ck_assert_str_eq(str(edu, "major"), "Computer Science");
    ck_assert_str_eq(str(edu, "start_date"), "2010-09-01");
    ck_assert_str_eq(str(edu, "end_date"), "2014-07-01");
    ck_assert(json_is_true(json_object_get(edu, "is_graduated")));
    json_t *exp = json_array_get(json_object_get(c, "experience"), 0);
    ck_assert_str_eq(str(exp, "department"), "Data Platform");
    ck_assert_str_eq(str(exp, "start_date"), "2020-01-01");
    ck_assert_ptr_null(json_object_get(exp, "end_date"));
    ck_assert(json_is_true(json_object_get(exp, "is_current")));
    json_t *cert = json_array_get(json_object_get(c, "certifications"), 0);
    ck_assert_str_eq(str(cert, "name"), "Example Cloud Data Engineer");
    ck_assert_str_eq(str(cert, "issuer"), "Example Cloud");
    ck_assert_str_eq(str(cert, "number"), "EC-778812");
    ck_assert_str_eq(str(cert, "issued_on"), "2023-01-01");
    ck_assert_str_eq(str(cert, "expires_on"), "2026-01-01");
    ck_assert_str_eq(str(json_object_get(c, "custom_fields"), "requisition_region"), "AMER");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "applications"), 0)),
                     "app-20931");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "attachments"), 0)),
                     "att-5531");
    ck_assert_str_eq(str(c, "last_interaction_at"), "2025-01-03T00:00:00Z");
    ck_assert_str_eq(str(c, "remote_updated_at"), "2025-01-03T00:00:00Z");
    ck_assert(json_equal(json_object_get(c, "remote_data"), p));
    json_decref(c);

    /* The attachment of the same answer. */
    json_t *a = ef_to_attachment(NULL, json_array_get(json_object_get(p, "attachments"), 0),
                                 "cand-10482");
    ck_assert_ptr_nonnull(a);
    assert_valid(UATS_KIND_ATTACHMENT, a);
    ck_assert_str_eq(str(a, "id"), "att-5531");
    ck_assert_str_eq(str(a, "file_name"), "maya_okafor_resume.pdf");
    ck_assert_str_eq(str(a, "type"), "RESUME");
    ck_assert_str_eq(str(a, "content_type"), "application/pdf");
    ck_assert_str_eq(str(a, "application_id"), "app-20931");
    ck_assert_int_eq(json_integer_value(json_object_get(a, "size")), 69);
    json_decref(a);
    json_decref(p);
}
END_TEST

START_TEST(list_rows_and_odd_values)
{
    json_t *page = fixture("list-page.json");
    json_t *row = json_array_get(json_object_get(page, "data"), 1);
    json_t *c = ef_to_candidate(NULL, row);
    ck_assert_ptr_nonnull(c);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_str_eq(str(c, "first_name"), "Jonas");
    ck_assert_ptr_null(json_object_get(c, "phone_numbers")); /* null */
    ck_assert_ptr_null(json_object_get(c, "tags"));          /* empty */
    ck_assert(json_is_true(json_object_get(c, "is_internal")));
    ck_assert_str_eq(str(c, "contact_consent"), "applied_only");
    json_decref(c);
    json_decref(page);

    /* Values the unified model cannot take are left to remote_data. */
    json_t *p = doc("{\"candidateId\": \"x\", \"firstName\": \"A\", \"emails\": \"a@b.c; d@e.f\","
                    " \"dateOfBirth\": \"12/04/1990\", \"locationCountry\": \"United States\","
                    " \"contactConsent\": \"maybe\", \"skills\": [],"
                    " \"skillDetails\": [{\"skill\": \"Go\"}],"
                    " \"experience\": [{\"company\": \"Old\", \"startTs\": 1},"
                    "   {\"company\": \"New\", \"startTs\": 2}]}");
    c = ef_to_candidate(NULL, p);
    assert_valid(UATS_KIND_CANDIDATE, c);
    ck_assert_uint_eq(json_array_size(json_object_get(c, "email_addresses")), 2);
    ck_assert_ptr_null(json_object_get(c, "date_of_birth"));
    ck_assert_ptr_null(json_object_get(c, "location"));
    ck_assert_ptr_null(json_object_get(c, "contact_consent"));
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "skills"), 0)), "Go");
    ck_assert_str_eq(str(c, "company"), "New");
    json_decref(c);
    json_decref(p);
}
END_TEST

START_TEST(answers_of_the_wrong_shape_are_vendor_errors)
{
    static const char *const bad[] = {"{\"firstName\": \"A\"}",
                                      "{\"candidateId\": 7, \"firstName\": \"A\"}",
                                      "{\"candidateId\": \"x\", \"firstName\": null}", "[]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *p = doc(bad[i]);
        fake_failure = UATS_OK;
        ck_assert_ptr_null(ef_to_candidate(NULL, p));
        ck_assert_int_eq(fake_failure, UATS_E_VENDOR);
        json_decref(p);
    }
    json_t *a = doc("{\"fileName\": \"x\"}");
    ck_assert_ptr_null(ef_to_attachment(NULL, a, "c"));
    json_decref(a);
}
END_TEST

START_TEST(helpers)
{
    int64_t s;
    char d[11];
    ck_assert(ef_date_to_epoch("2014-07-01", &s) && s == 1404172800);
    ck_assert(ef_date_to_epoch("1969-12-31", &s) && s == -86400);
    ck_assert(!ef_date_to_epoch("2023-02-29", &s));
    ck_assert(!ef_date_to_epoch("2023-2-01", &s));
    ck_assert(ef_epoch_to_date(1283299200, d));
    ck_assert_str_eq(d, "2010-09-01");
    ck_assert(ef_epoch_to_date(-1, d));
    ck_assert_str_eq(d, "1969-12-31");
    ck_assert_int_eq(ef_transaction_state("PASS"), 1);
    ck_assert_int_eq(ef_transaction_state("pass"), 1);
    ck_assert_int_eq(ef_transaction_state("Fail"), -1);
    ck_assert_int_eq(ef_transaction_state("IN PROGRESS"), 0);
    ck_assert_int_eq(ef_transaction_state("QUEUED"), 0);
    ck_assert_int_eq(ef_transaction_state(NULL), 0);
    ck_assert(ef_valid_region("eightfold-eu"));
    ck_assert(!ef_valid_region("evil.example/x"));
    ck_assert_str_eq(ef_attachment_type("COVER_LETTER"), "cover_letter");
    ck_assert_str_eq(ef_unified_attachment_type("photo"), "OTHER");
    json_t *s1 = fixture("get-response.json"), *s2 = fixture("create-request.json");
    /* An older record under the same id is not this write: its stamp differs. */
    json_object_set_new(s2, "lastActivityTs", json_integer(1));
    ck_assert(!ef_same_candidate(s1, s2));
    json_object_set(s2, "lastActivityTs", json_object_get(s1, "lastActivityTs"));
    ck_assert(ef_same_candidate(s1, s2));
    json_object_set_new(s2, "emails", json_string("other@example.com"));
    ck_assert(!ef_same_candidate(s1, s2));
    json_decref(s1);
    json_decref(s2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eightfold_map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, unified_input_gives_the_documented_request);
    tcase_add_test(tc, ids_are_deterministic);
    tcase_add_test(tc, what_eightfold_cannot_hold_is_warned_by_path);
    tcase_add_test(tc, inputs_eightfold_refuses_are_not_sent);
    tcase_add_test(tc, remote_fields_and_downloads);
    tcase_add_test(tc, documented_answer_maps_every_field);
    tcase_add_test(tc, list_rows_and_odd_values);
    tcase_add_test(tc, answers_of_the_wrong_shape_are_vendor_errors);
    tcase_add_test(tc, helpers);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
