/*
 * plugins/teamtailor/teamtailor_map.c: Teamtailor's JSON:API candidate,
 * job-application and upload resources <-> the unified model. The rules,
 * and why each was chosen, are in plugins/teamtailor/README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamtailor.h"

#define NOMEM(call) uats_host->fail(call, UATS_E_NOMEM, "out of memory")

/* Teamtailor documents the pitch as a 140-character text. */
#define PITCH_MAX 140

bool tt_valid_api_version(const char *text)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!text || strlen(text) != 8)
        return false;
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    long v = strtol(text, NULL, 10);
    int month = (int)(v / 100 % 100), day = (int)(v % 100);
    return v >= 20161108 && month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
}

/* ---- unified -> Teamtailor ---- */

/* Unified fields a Teamtailor candidate has no attribute for. */
static const char *const unstorable[] = {
    "company", "title", "locations", "location", "address", "is_private", "gender",
    "date_of_birth", "skills", "education", "experience", "certifications", "visa_statuses",
    "veteran_status", "disability_status", "races", "highest_education_level",
    "contact_consent", "is_anonymized", "salary_expectations", "availability_date", NULL};

/* Characters (not bytes) of a UTF-8 string: the input is valid UTF-8. */
static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* The first value of a typed list goes to one attribute; Teamtailor keeps
 * one of each and no types, so the rest is warned about. */
static void first_value(uats_call *call, const json_t *list, const char *field,
                        const char *what, json_t *attrs, const char *attribute)
{
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry) {
        char path[64];
        if (i == 0) {
            json_object_set(attrs, attribute, json_object_get(entry, "value"));
            if (json_object_get(entry, "type")) {
                snprintf(path, sizeof path, "%s[0].type", field);
                uats_host->warn(call, path, "Teamtailor keeps no %s types", what);
            }
            continue;
        }
        snprintf(path, sizeof path, "%s[%zu]", field, i);
        uats_host->warn(call, path, "Teamtailor keeps one %s per candidate: not sent", what);
    }
}

/* Teamtailor keeps one LinkedIn profile URL; it has no place for others. */
static void linkedin(uats_call *call, const json_t *urls, json_t *attrs)
{
    size_t i;
    json_t *entry;
    json_array_foreach(urls, i, entry) {
        const char *type = json_string_value(json_object_get(entry, "type"));
        char path[64];
        if (type && strcmp(type, "LINKEDIN") == 0 && !json_object_get(attrs, "linkedin-url")) {
            json_object_set(attrs, "linkedin-url", json_object_get(entry, "value"));
            continue;
        }
        snprintf(path, sizeof path, "urls[%zu]", i);
        uats_host->warn(call, path, "Teamtailor keeps only one LinkedIn profile URL: not sent");
    }
}

static void application_warnings(uats_call *call, const json_t *app)
{
    static const char *const parts[][2] = {
        {"stage_id", "a new job application starts in the job's first stage (a stage is "
                     "not documented as settable on create)"},
        {"screening_answers", "answers are their own resource, not sent with the create"},
        {"form_answers", "answers are their own resource, not sent with the create"}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (json_object_get(app, parts[i][0])) {
            char path[64];
            snprintf(path, sizeof path, "application.%s", parts[i][0]);
            uats_host->warn(call, path, "Teamtailor: %s", parts[i][1]);
        }
    }
}

uats_code tt_create_document(uats_call *call, const json_t *input, json_t **doc, bool *lead)
{
    json_t *attrs = json_object();
    const json_t *v;
    *doc = NULL;
    *lead = false;
    if (!attrs)
        return NOMEM(call);
    if (json_is_string(v = json_object_get(input, "first_name")))
        json_object_set(attrs, "first-name", (json_t *)v);
    if (json_is_string(v = json_object_get(input, "last_name")))
        json_object_set(attrs, "last-name", (json_t *)v);
    first_value(call, json_object_get(input, "email_addresses"), "email_addresses", "e-mail",
                attrs, "email");
    first_value(call, json_object_get(input, "phone_numbers"), "phone_numbers",
                "phone number", attrs, "phone");
    linkedin(call, json_object_get(input, "urls"), attrs);
    if ((v = json_object_get(input, "tags")))
        json_object_set(attrs, "tags", (json_t *)v);
    if (json_is_string(v = json_object_get(input, "summary"))) {
        json_object_set(attrs, "pitch", (json_t *)v);
        if (utf8_length(json_string_value(v)) > PITCH_MAX)
            uats_host->warn(call, "summary", "Teamtailor documents the pitch as %d "
                            "characters: a longer one may be cut", PITCH_MAX);
    }
    if (json_is_string(v = json_object_get(input, "avatar")))
        json_object_set(attrs, "picture", (json_t *)v);
    if (json_is_boolean(v = json_object_get(input, "can_email")))
        json_object_set_new(attrs, "unsubscribed", json_boolean(json_is_false(v)));
    if (json_is_boolean(v = json_object_get(input, "is_internal")))
        json_object_set(attrs, "internal", (json_t *)v);

    for (const char *const *k = unstorable; *k; k++)
        if (json_object_get(input, *k))
            uats_host->warn(call, *k, "Teamtailor candidates have no field for %s", *k);
    if (json_object_get(input, "custom_fields"))
        uats_host->warn(call, "custom_fields", "Teamtailor keeps custom field values as their "
                        "own resource: not sent with the create");
    if (json_object_get(input, "id"))
        uats_host->warn(call, "id", "Teamtailor chooses candidate ids");
    if (json_object_get(input, "acting_user"))
        uats_host->warn(call, "acting_user", "Teamtailor API keys act for the whole company: "
                        "no user can be named");

    const json_t *app = json_object_get(input, "application");
    const char *source = json_string_value(json_object_get(app, "source"));
    /* A person added by a user, not one who applied: Teamtailor's
     * "sourced", which also lifts its e-mail requirement. */
    *lead = source && strcmp(source, "lead") == 0;
    if (*lead)
        json_object_set_new(attrs, "sourced", json_true());
    application_warnings(call, app);

    /* remote_fields last: the host's explicit word wins. */
    json_t *extra = json_object_get(input, "remote_fields");
    if (extra && json_object_update(attrs, extra) != 0) {
        json_decref(attrs);
        return NOMEM(call);
    }
    *doc = json_pack("{s:{s:s, s:o}}", "data", "type", "candidates", "attributes", attrs);
    return *doc ? UATS_OK : NOMEM(call);
}

json_t *tt_job_application_document(const char *candidate_id, const char *job_id, bool lead)
{
    return json_pack("{s:{s:s, s:{s:b}, s:{s:{s:{s:s, s:s}}, s:{s:{s:s, s:s}}}}}", "data",
                     "type", "job-applications", "attributes", "sourced", lead,
                     "relationships", "candidate", "data", "type", "candidates", "id",
                     candidate_id, "job", "data", "type", "jobs", "id", job_id);
}

uats_code tt_upload_document(uats_call *call, const char *candidate_id, const json_t *att,
                             const char *path, bool record, json_t **doc)
{
    char field[96];
    const char *url = json_string_value(json_object_get(att, "url"));
    const char *name = json_string_value(json_object_get(att, "file_name"));
    const char *type = json_string_value(json_object_get(att, "type"));
    *doc = NULL;
    if (!url) {
        if (record)
            return uats_host->fail(call, UATS_E_UNSUPPORTED, "Teamtailor fetches files from a "
                                   "public URL and takes no file contents: give the "
                                   "attachment's url instead of its data (nothing was sent)");
        return UATS_E_UNSUPPORTED;
    }
    snprintf(field, sizeof field, "%s%stype", path, *path ? "." : "");
    if (type && strcmp(type, "OTHER") != 0)
        uats_host->warn(call, field, "Teamtailor uploads have no type: stored as a plain "
                        "file, read back as OTHER");
    snprintf(field, sizeof field, "%s%scontent_type", path, *path ? "." : "");
    if (json_object_get(att, "content_type"))
        uats_host->warn(call, field, "Teamtailor takes the file's type from what its URL "
                        "serves: content_type was not sent");
    snprintf(field, sizeof field, "%s%sapplication_id", path, *path ? "." : "");
    if (json_object_get(att, "application_id"))
        uats_host->warn(call, field, "Teamtailor keeps files on the candidate: "
                        "application_id was not used");
    *doc = json_pack("{s:{s:s, s:{s:s, s:s}, s:{s:{s:{s:s, s:s}}}}}", "data", "type",
                     "uploads", "attributes", "url", url, "file-name", name ? name : "file",
                     "relationships", "candidate", "data", "type", "candidates", "id",
                     candidate_id);
    return *doc ? UATS_OK : (record ? NOMEM(call) : UATS_E_NOMEM);
}

/* ---- Teamtailor -> unified ---- */

static void set_string(json_t *out, const char *key, const json_t *v)
{
    if (json_is_string(v) && json_string_length(v) > 0)
        json_object_set(out, key, (json_t *)v);
}

/* Teamtailor times carry an offset ("2017-02-16T15:44:07.150+01:00"). */
static void set_time(json_t *out, const char *key, const json_t *v)
{
    char when[UATS_TIME_SIZE];
    if (json_is_string(v) && uats_host->time_normalize(json_string_value(v), when) == UATS_OK)
        json_object_set_new(out, key, json_string(when));
}

static json_t *one_value(const json_t *v, const char *type)
{
    if (!json_is_string(v) || json_string_length(v) == 0)
        return json_array();
    return type ? json_pack("[{s:O, s:s}]", "value", v, "type", type)
                : json_pack("[{s:O}]", "value", v);
}

static json_t *strings_of(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
        if (json_is_string(item))
            json_array_append(out, item);
    return out;
}

/* Ids of resource objects (JSON:API ids are strings). */
static json_t *ids_of(const json_t *resources)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(resources, i, r) {
        json_t *id = json_object_get(r, "id");
        if (json_is_string(id))
            json_array_append(out, id);
    }
    return out;
}

/* A resource object of the given type with a string id; the type may be
 * absent (a lenient reader), never another one. */
static const char *resource_id(const json_t *resource, const char *type)
{
    const char *t = json_string_value(json_object_get(resource, "type"));
    json_t *id = json_object_get(resource, "id");
    if (!json_is_object(resource) || !json_is_string(id) || json_string_length(id) == 0 ||
        (t && strcmp(t, type) != 0) || (json_object_get(resource, "attributes") &&
                                        !json_is_object(json_object_get(resource, "attributes"))))
        return NULL;
    return json_string_value(id);
}

json_t *tt_to_candidate(uats_call *call, const json_t *resource, const json_t *applications,
                        const json_t *uploads)
{
    const char *id = resource_id(resource, "candidates");
    if (!id) {
        uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's answer is not a candidate with an "
                        "id");
        return NULL;
    }
    json_t *a = json_object_get(resource, "attributes");
    json_t *out = json_pack("{s:s, s:s}", "id", id, "remote_id", id);
    if (!out) {
        NOMEM(call);
        return NULL;
    }
    set_string(out, "first_name", json_object_get(a, "first-name"));
    set_string(out, "last_name", json_object_get(a, "last-name"));
    json_object_set_new(out, "email_addresses", one_value(json_object_get(a, "email"), NULL));
    json_object_set_new(out, "phone_numbers", one_value(json_object_get(a, "phone"), NULL));
    json_object_set_new(out, "urls", one_value(json_object_get(a, "linkedin-url"), "LINKEDIN"));
    json_object_set_new(out, "tags", strings_of(json_object_get(a, "tags")));
    set_string(out, "avatar", json_object_get(a, "picture"));
    set_string(out, "summary", json_object_get(a, "pitch"));
    if (json_is_boolean(json_object_get(a, "unsubscribed")))
        json_object_set_new(out, "can_email",
                            json_boolean(json_is_false(json_object_get(a, "unsubscribed"))));
    if (json_is_boolean(json_object_get(a, "internal")))
        json_object_set(out, "is_internal", json_object_get(a, "internal"));
    set_time(out, "remote_created_at", json_object_get(a, "created-at"));
    set_time(out, "remote_updated_at", json_object_get(a, "updated-at"));
    if (applications)
        json_object_set_new(out, "applications", ids_of(applications));
    if (uploads)
        json_object_set_new(out, "attachments", ids_of(uploads));
    /* The candidate and the resources read beside it, as JSON:API's
     * "included" would carry them. */
    json_object_set_new(out, "remote_data",
                        json_pack("{s:O, s:O, s:O}", "candidate", resource, "job-applications",
                                  applications ? applications : json_null(), "uploads",
                                  uploads ? uploads : json_null()));
    return out;
}

json_t *tt_to_attachment(uats_call *call, const json_t *resource, const char *candidate_id)
{
    const char *id = resource_id(resource, "uploads");
    if (!id) {
        uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's answer is not an upload with an id");
        return NULL;
    }
    json_t *a = json_object_get(resource, "attributes");
    json_t *out = json_pack("{s:s, s:s, s:s}", "id", id, "remote_id", id, "type", "OTHER");
    if (!out) {
        NOMEM(call);
        return NULL;
    }
    if (candidate_id)
        json_object_set_new(out, "candidate_id", json_string(candidate_id));
    set_string(out, "file_name", json_object_get(a, "file-name"));
    set_string(out, "file_url", json_object_get(a, "url"));
    json_object_set_new(out, "remote_data", json_deep_copy(resource));
    return out;
}

/* ---- errors ---- */

const char *tt_error_text(const json_t *doc, const char **pointer)
{
    json_t *errors = json_object_get(doc, "errors");
    json_t *first = json_is_array(errors) ? json_array_get(errors, 0) : errors;
    const char *text = json_string_value(json_object_get(first, "detail"));
    if (!text)
        text = json_string_value(json_object_get(first, "title"));
    if (pointer)
        *pointer = json_string_value(json_object_get(json_object_get(first, "source"),
                                                     "pointer"));
    return text;
}

const char *tt_input_field(const char *pointer, char kind, const char *prefix, char *out,
                           size_t size)
{
    static const char *const candidate[][2] = {
        {"first-name", "first_name"}, {"last-name", "last_name"},
        {"email", "email_addresses[0].value"}, {"phone", "phone_numbers[0].value"},
        {"linkedin-url", "urls"}, {"pitch", "summary"}, {"picture", "avatar"},
        {"tags", "tags"}, {"unsubscribed", "can_email"}, {"internal", "is_internal"},
        {"sourced", "application.source"}};
    static const char attr[] = "/data/attributes/", rel[] = "/data/relationships/";
    char name[64];
    if (!pointer)
        return NULL;
    bool is_attr = strncmp(pointer, attr, sizeof attr - 1) == 0;
    bool is_rel = strncmp(pointer, rel, sizeof rel - 1) == 0;
    if (!is_attr && !is_rel)
        return NULL;
    const char *p = pointer + (is_attr ? sizeof attr - 1 : sizeof rel - 1);
    size_t n = strcspn(p, "/");
    if (!n || n >= sizeof name)
        return NULL;
    snprintf(name, sizeof name, "%.*s", (int)n, p);
    if (kind == 'u') {
        const char *to = !is_attr ? NULL : strcmp(name, "url") == 0 ? "url"
                                         : strcmp(name, "file-name") == 0 ? "file_name" : NULL;
        if (!to)
            return NULL;
        snprintf(out, size, "%s%s%s", prefix, *prefix ? "." : "", to);
        return out;
    }
    if (kind == 'a') {
        const char *to = is_rel && strcmp(name, "job") == 0 ? "application.job_id"
                         : is_attr && strcmp(name, "sourced") == 0 ? "application.source"
                                                                   : NULL;
        if (to)
            snprintf(out, size, "%s", to);
        return to ? out : NULL;
    }
    if (!is_attr)
        return NULL;
    for (size_t i = 0; i < sizeof candidate / sizeof candidate[0]; i++) {
        if (strcmp(name, candidate[i][0]) == 0) {
            snprintf(out, size, "%s", candidate[i][1]);
            return out;
        }
    }
    /* Any other attribute can only have come from remote_fields. */
    snprintf(out, size, "remote_fields.%s", name);
    return out;
}
