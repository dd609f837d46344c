/*
 * core/schema.c: the unified model as data. One table per kind drives JSON
 * reading, the typed accessors and the docs (docs/model.md mirrors it; a
 * test checks that every public field resolves to a node of its type).
 */
#include <config.h>

#include <string.h>

#include "internal.h"

#define END {NULL, 0, 0, NULL, NULL, NULL}
#define S(n)        {n, N_STRING, 0, NULL, NULL, NULL}
#define SREQ(n)     {n, N_STRING, NF_REQUIRED, NULL, NULL, NULL}
#define T(n, t)     {n, t, 0, NULL, NULL, NULL}
#define E(n, e)     {n, N_ENUM, 0, NULL, e, NULL}
#define OBJ(n, c)   {n, N_OBJECT, 0, c, NULL, NULL}
#define LIST(n, el) {n, N_LIST, 0, el, NULL, NULL}

/* Enum vocabularies. Order is the C enum order (uats.h): never reorder. */
static const char *const email_types[] = {"PERSONAL", "WORK", "OTHER", NULL};
static const char *const phone_types[] = {"HOME", "WORK", "MOBILE", "SKYPE",
                                          "OTHER", NULL};
static const char *const url_types[] = {
    "WEBSITE", "PERSONAL", "COMPANY", "PORTFOLIO", "BLOG", "SOCIAL_MEDIA",
    "LINKEDIN", "GITHUB", "TWITTER", "JOB_POSTING", "OTHER", NULL};
static const char *const attachment_types[] = {"RESUME", "COVER_LETTER",
                                               "OFFER_LETTER", "OTHER", NULL};
static const char *const consent_values[] = {"applied_only", "all",
                                             "country_only", NULL};
static const char *const salary_periods[] = {"YEAR", "MONTH", "WEEK", "DAY",
                                             "HOUR", NULL};
static const char *const sources[] = {"applicant", "lead", NULL};

static const schema_node email_entry[] = {SREQ("value"), E("type", email_types), END};
static const schema_node phone_entry[] = {SREQ("value"), E("type", phone_types), END};
static const schema_node url_entry[] = {SREQ("value"), E("type", url_types), END};
static const schema_node email_item[] = {OBJ(NULL, email_entry)};
static const schema_node phone_item[] = {OBJ(NULL, phone_entry)};
static const schema_node url_item[] = {OBJ(NULL, url_entry)};
static const schema_node string_item[] = {T(NULL, N_STRING)};

static const schema_node address_object[] = {
    S("street"), S("city"), S("region"), S("postal_code"), T("country", N_COUNTRY), END};
static const schema_node address_alternatives[] = {
    T(NULL, N_STRING), OBJ(NULL, address_object)};

static const schema_node location_object[] = {
    S("city"), S("region"), T("country", N_COUNTRY), END};

static const schema_node education_entry[] = {
    S("school"), S("degree"), S("major"), S("location"), S("description"),
    T("start_date", N_DATE), T("end_date", N_DATE), T("is_current", N_BOOL),
    T("is_graduated", N_BOOL), END};
static const schema_node education_item[] = {OBJ(NULL, education_entry)};

static const schema_node experience_entry[] = {
    S("company"), S("title"), S("department"), S("location"), S("description"),
    T("start_date", N_DATE), T("end_date", N_DATE), T("is_current", N_BOOL),
    T("is_internal", N_BOOL), END};
static const schema_node experience_item[] = {OBJ(NULL, experience_entry)};

static const schema_node certification_entry[] = {
    SREQ("name"), S("issuer"), S("number"), T("issued_on", N_DATE),
    T("expires_on", N_DATE), END};
static const schema_node certification_item[] = {OBJ(NULL, certification_entry)};

static const schema_node salary_object[] = {
    T("amount", N_NUMBER), T("currency", N_CURRENCY), E("period", salary_periods), END};

/* Fields a candidate and a create input share: the writable profile. */
#define PROFILE_FIELDS                                                        \
    S("first_name"), S("last_name"), S("company"), S("title"),                \
    LIST("locations", string_item), T("is_private", N_BOOL),                  \
    T("can_email", N_BOOL), LIST("email_addresses", email_item),              \
    LIST("phone_numbers", phone_item), LIST("urls", url_item),                \
    LIST("tags", string_item), S("avatar"), T("custom_fields", N_MAP),        \
    S("gender"), T("date_of_birth", N_DATE),                                  \
    {"address", N_UNION, 0, address_alternatives, NULL, NULL},                \
    OBJ("location", location_object), S("summary"),                           \
    LIST("skills", string_item), LIST("education", education_item),           \
    LIST("experience", experience_item),                                      \
    LIST("certifications", certification_item),                               \
    LIST("visa_statuses", string_item), T("veteran_status", N_BOOL),          \
    T("disability_status", N_BOOL), LIST("races", string_item),               \
    S("highest_education_level"), E("contact_consent", consent_values),       \
    T("is_internal", N_BOOL), T("is_anonymized", N_BOOL),                     \
    OBJ("salary_expectations", salary_object),                                \
    T("availability_date", N_DATE)

static const schema_node candidate_fields[] = {
    SREQ("id"), S("remote_id"),
    PROFILE_FIELDS,
    LIST("applications", string_item), LIST("attachments", string_item),
    T("remote_created_at", N_DATETIME), T("remote_updated_at", N_DATETIME),
    T("last_interaction_at", N_DATETIME), T("modified_at", N_DATETIME),
    T("remote_data", N_ANY), END};

static uats_code attachment_input_rule(const json_t *obj, const char *path,
                                       uats_error *err)
{
    bool has_data = json_object_get(obj, "data") != NULL;
    bool has_url = json_object_get(obj, "url") != NULL;
    if (has_data == has_url) {
        uats_code rc = uats__err_set(err, UATS_E_INVALID_INPUT,
                                     "%s%sgive exactly one of \"data\" (base64) or \"url\"",
                                     path, *path ? ": " : "");
        if (err)
            uats__copy_str(err->field, sizeof err->field, *path ? path : "data");
        return rc;
    }
    return UATS_OK;
}

static const schema_node attachment_input_fields[] = {
    SREQ("file_name"), S("content_type"), E("type", attachment_types),
    T("data", N_BASE64), S("url"), S("application_id"), END};

static const schema_node attachment_input_item[] = {
    {NULL, N_OBJECT, 0, attachment_input_fields, NULL, attachment_input_rule}};

static const schema_node answer_alternatives[] = {
    T(NULL, N_STRING), LIST(NULL, string_item)};
static const schema_node screening_entry[] = {
    SREQ("question_id"),
    {"answer", N_UNION, NF_REQUIRED, answer_alternatives, NULL, NULL}, END};
static const schema_node screening_item[] = {OBJ(NULL, screening_entry)};
static const schema_node form_entry[] = {
    SREQ("name"), {"value", N_ANY, NF_REQUIRED, NULL, NULL, NULL}, S("group_id"), END};
static const schema_node form_item[] = {OBJ(NULL, form_entry)};

static const schema_node application_object[] = {
    S("job_id"), S("stage_id"), E("source", sources),
    LIST("screening_answers", screening_item), LIST("form_answers", form_item), END};

static const schema_node candidate_input_fields[] = {
    S("id"),  /* only for vendors where the caller chooses the id */
    PROFILE_FIELDS,
    OBJ("application", application_object),
    LIST("attachments", attachment_input_item),
    S("acting_user"), T("remote_fields", N_MAP), END};

static const schema_node attachment_fields[] = {
    SREQ("id"), S("remote_id"), S("candidate_id"), S("application_id"), S("file_name"),
    S("file_url"),
    S("content_type"), E("type", attachment_types), T("size", N_INT),
    T("remote_created_at", N_DATETIME), T("modified_at", N_DATETIME),
    T("remote_data", N_ANY), END};

static const schema_node roots[] = {
    OBJ(NULL, candidate_fields),
    OBJ(NULL, candidate_input_fields),
    OBJ(NULL, attachment_fields),
    {NULL, N_OBJECT, 0, attachment_input_fields, NULL, attachment_input_rule},
};

const schema_node *uats__schema_root(uats_kind kind)
{
    if (kind < UATS_KIND_CANDIDATE || kind > UATS_KIND_ATTACHMENT_INPUT)
        return NULL;
    return &roots[kind - 1];
}

const schema_node *uats__schema_find(const schema_node *node, const char *path)
{
    while (node && *path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        const schema_node *found = NULL;
        if (node->type != N_OBJECT)
            return NULL;
        for (const schema_node *c = node->children; c->name; c++) {
            if (strlen(c->name) == len && memcmp(c->name, path, len) == 0) {
                found = c;
                break;
            }
        }
        node = found;
        path = dot ? dot + 1 : path + len;
    }
    return node;
}

/* Where each public field lives, per kind. A field missing here for a kind
 * is a field that kind does not have. */
typedef struct field_row {
    uats_field field;
    const char *path;
} field_row;

#define PROFILE_ROWS                                                          \
    {UATS_F_FIRST_NAME, "first_name"}, {UATS_F_LAST_NAME, "last_name"},       \
    {UATS_F_COMPANY, "company"}, {UATS_F_TITLE, "title"},                     \
    {UATS_F_LOCATIONS, "locations"}, {UATS_F_IS_PRIVATE, "is_private"},       \
    {UATS_F_CAN_EMAIL, "can_email"},                                          \
    {UATS_F_EMAIL_ADDRESSES, "email_addresses"},                              \
    {UATS_F_PHONE_NUMBERS, "phone_numbers"}, {UATS_F_URLS, "urls"},           \
    {UATS_F_TAGS, "tags"}, {UATS_F_AVATAR, "avatar"},                         \
    {UATS_F_CUSTOM_FIELDS, "custom_fields"}, {UATS_F_GENDER, "gender"},       \
    {UATS_F_DATE_OF_BIRTH, "date_of_birth"}, {UATS_F_ADDRESS, "address"},     \
    {UATS_F_LOCATION, "location"}, {UATS_F_LOCATION_CITY, "location.city"},   \
    {UATS_F_LOCATION_REGION, "location.region"},                              \
    {UATS_F_LOCATION_COUNTRY, "location.country"},                            \
    {UATS_F_SUMMARY, "summary"}, {UATS_F_SKILLS, "skills"},                   \
    {UATS_F_EDUCATION, "education"}, {UATS_F_EXPERIENCE, "experience"},       \
    {UATS_F_CERTIFICATIONS, "certifications"},                                \
    {UATS_F_VISA_STATUSES, "visa_statuses"},                                  \
    {UATS_F_VETERAN_STATUS, "veteran_status"},                                \
    {UATS_F_DISABILITY_STATUS, "disability_status"}, {UATS_F_RACES, "races"}, \
    {UATS_F_HIGHEST_EDUCATION_LEVEL, "highest_education_level"},              \
    {UATS_F_CONTACT_CONSENT, "contact_consent"},                              \
    {UATS_F_IS_INTERNAL, "is_internal"},                                      \
    {UATS_F_IS_ANONYMIZED, "is_anonymized"},                                  \
    {UATS_F_SALARY_EXPECTATIONS, "salary_expectations"},                      \
    {UATS_F_SALARY_AMOUNT, "salary_expectations.amount"},                     \
    {UATS_F_SALARY_CURRENCY, "salary_expectations.currency"},                 \
    {UATS_F_SALARY_PERIOD, "salary_expectations.period"},                     \
    {UATS_F_AVAILABILITY_DATE, "availability_date"}

static const field_row candidate_rows[] = {
    {UATS_F_ID, "id"}, {UATS_F_REMOTE_ID, "remote_id"},
    PROFILE_ROWS,
    {UATS_F_APPLICATION_IDS, "applications"},
    {UATS_F_ATTACHMENT_IDS, "attachments"},
    {UATS_F_REMOTE_CREATED_AT, "remote_created_at"},
    {UATS_F_REMOTE_UPDATED_AT, "remote_updated_at"},
    {UATS_F_LAST_INTERACTION_AT, "last_interaction_at"},
    {UATS_F_MODIFIED_AT, "modified_at"}, {UATS_F_REMOTE_DATA, "remote_data"},
    {0, NULL}};

static const field_row candidate_input_rows[] = {
    {UATS_F_ID, "id"},
    PROFILE_ROWS,
    {UATS_F_APPLICATION, "application"}, {UATS_F_JOB_ID, "application.job_id"},
    {UATS_F_STAGE_ID, "application.stage_id"},
    {UATS_F_APPLICATION_SOURCE, "application.source"},
    {UATS_F_SCREENING_ANSWERS, "application.screening_answers"},
    {UATS_F_FORM_ANSWERS, "application.form_answers"},
    {UATS_F_ATTACHMENTS, "attachments"}, {UATS_F_ACTING_USER, "acting_user"},
    {UATS_F_REMOTE_FIELDS, "remote_fields"},
    {0, NULL}};

static const field_row attachment_rows[] = {
    {UATS_F_ID, "id"}, {UATS_F_REMOTE_ID, "remote_id"},
    {UATS_F_CANDIDATE_ID, "candidate_id"}, {UATS_F_APPLICATION_ID, "application_id"},
    {UATS_F_FILE_NAME, "file_name"},
    {UATS_F_FILE_URL, "file_url"}, {UATS_F_CONTENT_TYPE, "content_type"},
    {UATS_F_ATTACHMENT_TYPE, "type"}, {UATS_F_SIZE, "size"},
    {UATS_F_REMOTE_CREATED_AT, "remote_created_at"},
    {UATS_F_MODIFIED_AT, "modified_at"}, {UATS_F_REMOTE_DATA, "remote_data"},
    {0, NULL}};

static const field_row attachment_input_rows[] = {
    {UATS_F_FILE_NAME, "file_name"}, {UATS_F_CONTENT_TYPE, "content_type"},
    {UATS_F_ATTACHMENT_TYPE, "type"}, {UATS_F_DATA, "data"}, {UATS_F_URL, "url"},
    {UATS_F_APPLICATION_ID, "application_id"}, {0, NULL}};

static const field_row *rows_of(uats_kind kind)
{
    switch (kind) {
    case UATS_KIND_CANDIDATE: return candidate_rows;
    case UATS_KIND_CANDIDATE_INPUT: return candidate_input_rows;
    case UATS_KIND_ATTACHMENT: return attachment_rows;
    case UATS_KIND_ATTACHMENT_INPUT: return attachment_input_rows;
    }
    return NULL;
}

const char *uats_field_path(uats_kind kind, uats_field field)
{
    const field_row *r = rows_of(kind);
    for (; r && r->path; r++)
        if (r->field == field)
            return r->path;
    return NULL;
}

uats_field uats_field_by_path(uats_kind kind, const char *path)
{
    const field_row *r = rows_of(kind);
    if (!path)
        return 0;
    for (; r && r->path; r++)
        if (strcmp(r->path, path) == 0)
            return r->field;
    return 0;
}

static const char *const *vocabulary(uats_field field)
{
    switch (field) {
    case UATS_F_EMAIL_ADDRESSES: return email_types;
    case UATS_F_PHONE_NUMBERS: return phone_types;
    case UATS_F_URLS: return url_types;
    case UATS_F_ATTACHMENT_TYPE: return attachment_types;
    default: return NULL;
    }
}

const char *uats_type_name(uats_field field, int type)
{
    const char *const *names = vocabulary(field);
    for (int i = 1; names && names[i - 1]; i++)
        if (i == type)
            return names[i - 1];
    return NULL;
}

int uats_type_by_name(uats_field field, const char *name)
{
    const char *const *names = vocabulary(field);
    for (int i = 0; names && name && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i + 1;
    return -1;
}
