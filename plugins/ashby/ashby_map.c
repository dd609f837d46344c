/*
 * plugins/ashby/ashby_map.c: Ashby's candidate JSON <-> the unified model,
 * and Ashby's answer envelope. The rules are listed in
 * plugins/ashby/README.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ashby.h"

/* ---- unified -> Ashby ---- */

/* Unified fields candidate.create has no place for. */
static const struct {
    const char *field, *why;
} unstorable[] = {
    {"company", "candidate.create takes no company (Ashby fills it from a parsed resume)"},
    {"title", "candidate.create takes no position (Ashby fills it from a parsed resume)"},
    {"locations", "Ashby keeps one structured location: use location"},
    {"tags", "Ashby tags are added one by one by id (candidate.addTag), not on create"},
    {"custom_fields", "Ashby sets custom fields one by one (customField.setValue), not on create"},
    {"is_private", "Ashby has no private flag on candidates"},
    {"can_email", "Ashby has no e-mail consent flag on candidates"},
    {"avatar", "Ashby has no avatar on candidates"},
    {"gender", "Ashby's API does not take gender"},
    {"date_of_birth", "Ashby's API does not take a date of birth"},
    {"address", "Ashby keeps a location, not an address: use location"},
    {"summary", "Ashby's API does not take a summary"},
    {"skills", "Ashby's API does not take skills"},
    {"education", "Ashby's API does not take education (only a parsed resume fills it)"},
    {"experience", "Ashby's API does not take experience (only a parsed resume fills it)"},
    {"certifications", "Ashby's API does not take certifications"},
    {"visa_statuses", "Ashby's API does not take visa statuses"},
    {"veteran_status", "Ashby's API does not take a veteran status"},
    {"disability_status", "Ashby's API does not take a disability status"},
    {"races", "Ashby's API does not take races"},
    {"highest_education_level", "Ashby's API does not take an education level"},
    {"contact_consent", "Ashby's API does not take contact consent"},
    {"is_internal", "Ashby's API does not take an internal flag"},
    {"is_anonymized", "Ashby anonymizes with its own call (candidate.anonymize), not on create"},
    {"salary_expectations", "Ashby's API does not take salary expectations on candidates"},
    {"availability_date", "Ashby's API does not take an availability date"},
    {"id", "Ashby chooses candidate ids"},
    {"acting_user", "Ashby records every write as the API key's own user"},
};

static void warnf(uats_call *call, const char *list, size_t i, const char *sub, const char *why)
{
    char path[96];
    snprintf(path, sizeof path, "%s[%zu]%s%s", list, i, sub ? "." : "", sub ? sub : "");
    uats_host->warn(call, path, "%s", why);
}

static void map_emails(uats_call *call, const json_t *list, json_t *b)
{
    json_t *alternates = json_array(), *e;
    size_t i;
    json_array_foreach(list, i, e) {
        const char *type = json_string_value(json_object_get(e, "type"));
        if (i == 0)
            json_object_set(b, "email", json_object_get(e, "value"));
        else
            json_array_append(alternates, json_object_get(e, "value"));
        /* Ashby documents the address it takes as the personal one. */
        if (type && strcmp(type, "PERSONAL") != 0)
            warnf(call, "email_addresses", i, "type",
                  "Ashby stores the addresses of a create as personal ones");
    }
    if (json_array_size(alternates))
        json_object_set(b, "alternateEmailAddresses", alternates);
    json_decref(alternates);
}

static void map_phones(uats_call *call, const json_t *list, json_t *b)
{
    json_t *p;
    size_t i;
    json_array_foreach(list, i, p) {
        const char *type = json_string_value(json_object_get(p, "type"));
        if (i > 0) {
            warnf(call, "phone_numbers", i, NULL, "candidate.create takes one phone number");
            continue;
        }
        json_object_set(b, "phoneNumber", json_object_get(p, "value"));
        /* A "personal" number, which reads back as HOME (README.md). */
        if (type && strcmp(type, "HOME") != 0)
            warnf(call, "phone_numbers", i, "type",
                  "Ashby stores the number as personal; it reads back as HOME");
    }
}

static void map_urls(uats_call *call, const json_t *list, json_t *b)
{
    json_t *u;
    size_t i;
    json_array_foreach(list, i, u) {
        const char *type = json_string_value(json_object_get(u, "type"));
        const char *key = "website";
        if (type && strcmp(type, "LINKEDIN") == 0)
            key = "linkedInUrl";
        else if (type && strcmp(type, "GITHUB") == 0)
            key = "githubUrl";
        if (json_object_get(b, key)) {
            warnf(call, "urls", i, NULL, strcmp(key, "website") == 0
                      ? "candidate.create takes one website besides LinkedIn and GitHub"
                      : "candidate.create takes one link of this type");
            continue;
        }
        json_object_set(b, key, json_object_get(u, "value"));
        if (strcmp(key, "website") == 0 && type && strcmp(type, "WEBSITE") != 0)
            warnf(call, "urls", i, "type", "Ashby stores it as the website; it reads back as "
                  "WEBSITE");
    }
}

static void map_application(uats_call *call, const json_t *app, json_t **application)
{
    json_t *job = json_object_get(app, "job_id");
    json_t *stage = json_object_get(app, "stage_id");
    if (job) {
        *application = json_pack("{s:O}", "jobId", job);
        if (stage)
            json_object_set(*application, "interviewStageId", stage);
    } else if (stage) {
        uats_host->warn(call, "application.stage_id", "a stage needs a job: no application "
                        "was made");
    }
    if (json_object_get(app, "source"))
        uats_host->warn(call, "application.source", "Ashby takes sources as ids of its own "
                        "(sourceId): set it through remote_fields");
    if (json_object_get(app, "screening_answers"))
        uats_host->warn(call, "application.screening_answers",
                        "application.create takes no screening answers");
    if (json_object_get(app, "form_answers"))
        uats_host->warn(call, "application.form_answers",
                        "application.create takes no form answers");
}

uats_code ashby_create_body(uats_call *call, const json_t *input, json_t **body,
                            json_t **application)
{
    json_t *v;
    *body = NULL;
    *application = NULL;
    const char *first = json_string_value(json_object_get(input, "first_name"));
    const char *last = json_string_value(json_object_get(input, "last_name"));
    if ((!first || !*first) && (!last || !*last))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "first_name", NULL,
                                     "Ashby requires a candidate's name: set first_name or "
                                     "last_name (nothing was sent)");
    json_t *b = json_object();
    if (!b)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    size_t n = (first ? strlen(first) : 0) + (last ? strlen(last) : 0) + 2;
    char *name = uats_host->alloc(n);
    if (!name) {
        json_decref(b);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    snprintf(name, n, "%s%s%s", first ? first : "", first && *first && last && *last ? " " : "",
             last ? last : "");
    json_object_set_new(b, "name", json_string(name));
    uats_host->free(name);
    if (first && strchr(first, ' '))
        uats_host->warn(call, "first_name", "Ashby keeps one name; a first name with a space "
                        "reads back split at its first space");

    if ((v = json_object_get(input, "email_addresses")))
        map_emails(call, v, b);
    if ((v = json_object_get(input, "phone_numbers")))
        map_phones(call, v, b);
    if ((v = json_object_get(input, "urls")))
        map_urls(call, v, b);
    if ((v = json_object_get(input, "location"))) {
        json_t *loc = json_object();
        static const char *const parts[] = {"city", "region", "country"};
        for (size_t i = 0; i < 3; i++)
            if (json_object_get(v, parts[i]))
                json_object_set(loc, parts[i], json_object_get(v, parts[i]));
        json_object_set_new(b, "location", loc);
    }
    if ((v = json_object_get(input, "application")))
        map_application(call, v, application);
    for (size_t i = 0; i < sizeof unstorable / sizeof unstorable[0]; i++)
        if (json_object_get(input, unstorable[i].field))
            uats_host->warn(call, unstorable[i].field, "%s", unstorable[i].why);

    /* remote_fields last: the host's explicit word wins (sourceId,
     * creditedToUserId, createdAt). */
    json_t *extra = json_object_get(input, "remote_fields");
    if (extra && json_object_update(b, extra) != 0) {
        json_decref(b);
        json_decref(*application);
        *application = NULL;
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    *body = b;
    return UATS_OK;
}

/* ---- the envelope ---- */

uats_code ashby_error_code(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (!code)
        return UATS_E_VENDOR;
    if (n > 10 && strcmp(code + n - 10, "_not_found") == 0)
        return UATS_E_NOT_FOUND;
    if (strcmp(code, "missing_endpoint_permission") == 0 || strstr(code, "permission"))
        return UATS_E_FORBIDDEN;
    if (strcmp(code, "rate_limit_exceeded") == 0 || strcmp(code, "concurrent_limit_exceeded") == 0)
        return UATS_E_RATE_LIMITED;
    if (strstr(code, "unauthenticated") || strstr(code, "api_key"))
        return UATS_E_AUTH;
    if (strstr(code, "duplicate") || strstr(code, "already_exists"))
        return UATS_E_CONFLICT;
    /* Ashby answers what would be a 4xx as success:false: refused, so
     * nothing happened, whatever the code. */
    return UATS_E_VALIDATION;
}

uats_code ashby_envelope(uats_call *call, const json_t *doc, long status, const char *what,
                         json_t **results)
{
    *results = NULL;
    json_t *success = json_object_get(doc, "success");
    if (!json_is_boolean(success))
        return uats_host->fail(call, UATS_E_VENDOR, "Ashby's answer to %s has no success flag",
                               what);
    if (json_is_true(success)) {
        *results = json_object_get(doc, "results");
        if (!*results)
            return uats_host->fail(call, UATS_E_VENDOR, "Ashby's answer to %s has no results",
                                   what);
        return UATS_OK;
    }
    json_t *info = json_object_get(doc, "errorInfo");
    const char *code = json_string_value(json_object_get(info, "code"));
    const char *message = json_string_value(json_object_get(info, "message"));
    json_t *errors = json_object_get(doc, "errors");
    /* The older form: a list of codes (deprecated, still sent). */
    if (!code)
        code = json_string_value(json_array_get(errors, 0));
    if (!message)
        message = code;
    return uats_host->fail_field(call, ashby_error_code(code), status, NULL, message,
                                 "Ashby refused %s%s%s", what, code ? ": " : "",
                                 code ? code : "");
}

/* ---- Ashby -> unified ---- */

bool ashby_is_id(const char *s)
{
    /* 8-4-4-4-12 hexadecimal digits. */
    static const int groups[] = {8, 4, 4, 4, 12};
    if (!s)
        return false;
    for (size_t g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, s++)
            if (!isxdigit((unsigned char)*s))
                return false;
        if (g < 4 && *s++ != '-')
            return false;
    }
    return *s == '\0';
}

void ashby_split_name(const char *name, char *first, size_t first_size, char *last,
                      size_t last_size)
{
    while (name && isspace((unsigned char)*name))
        name++;
    const char *space = name ? strchr(name, ' ') : NULL;
    size_t n = space ? (size_t)(space - name) : (name ? strlen(name) : 0);
    snprintf(first, first_size, "%.*s", (int)n, name ? name : "");
    const char *rest = space ? space : "";
    while (isspace((unsigned char)*rest))
        rest++;
    snprintf(last, last_size, "%s", rest);
    size_t l = strlen(last);
    while (l && isspace((unsigned char)last[l - 1]))
        last[--l] = '\0';
}

static void set_time(json_t *out, const char *key, const json_t *when)
{
    char text[UATS_TIME_SIZE];
    if (uats_host->time_normalize(json_string_value(when), text) == UATS_OK)
        json_object_set_new(out, key, json_string(text));
}

/* Ashby's Personal/Work/Other, upper-cased when the unified list has it. */
static const char *contact_type(const char *ashby, bool phone)
{
    if (!ashby)
        return NULL;
    if (strcasecmp(ashby, "Work") == 0)
        return "WORK";
    if (strcasecmp(ashby, "Personal") == 0)
        return phone ? "HOME" : "PERSONAL";
    return "OTHER";
}

static json_t *contacts(const json_t *cand, const char *list, const char *primary, bool phone)
{
    json_t *out = json_array(), *e;
    const json_t *items = json_object_get(cand, list);
    size_t i;
    /* The list holds the primary one too; fall back on it alone. */
    if (!json_array_size(items) && json_is_object(json_object_get(cand, primary)))
        items = json_pack("[O]", json_object_get(cand, primary));
    else
        json_incref((json_t *)items);
    json_array_foreach(items, i, e) {
        const char *value = json_string_value(json_object_get(e, "value"));
        const char *type = contact_type(json_string_value(json_object_get(e, "type")), phone);
        if (!value)
            continue;
        json_t *c = json_pack("{s:s}", "value", value);
        if (type)
            json_object_set_new(c, "type", json_string(type));
        json_array_append_new(out, c);
    }
    json_decref((json_t *)items);
    return out;
}

static const char *link_type(const char *ashby)
{
    static const char *const map[][2] = {{"LinkedIn", "LINKEDIN"}, {"GitHub", "GITHUB"},
                                         {"Twitter", "TWITTER"}, {"Website", "WEBSITE"}};
    for (size_t i = 0; ashby && i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(map[i][0], ashby) == 0)
            return map[i][1];
    /* Medium, StackOverflow, YouTube, CodePen. */
    return ashby ? "SOCIAL_MEDIA" : "OTHER";
}

static void location_to(json_t *out, const json_t *loc)
{
    json_t *c, *l = json_object();
    size_t i;
    json_array_foreach(json_object_get(loc, "locationComponents"), i, c) {
        const char *type = json_string_value(json_object_get(c, "type"));
        const char *name = json_string_value(json_object_get(c, "name"));
        if (!type || !name || !*name)
            continue;
        if (strcmp(type, "City") == 0)
            json_object_set_new(l, "city", json_string(name));
        else if (strcmp(type, "Region") == 0)
            json_object_set_new(l, "region", json_string(name));
        /* The unified country is an ISO code; a country name stays in
         * remote_data. */
        else if (strcmp(type, "Country") == 0 && strlen(name) == 2 &&
                 isupper((unsigned char)name[0]) && isupper((unsigned char)name[1]))
            json_object_set_new(l, "country", json_string(name));
    }
    if (json_object_size(l))
        json_object_set_new(out, "location", l);
    else
        json_decref(l);
}

json_t *ashby_file_ids(const json_t *cand)
{
    json_t *ids = json_array(), *f;
    size_t i;
    json_array_foreach(json_object_get(cand, "fileHandles"), i, f)
        if (json_is_string(json_object_get(f, "id")))
            json_array_append(ids, json_object_get(f, "id"));
    json_t *resume = json_object_get(json_object_get(cand, "resumeFileHandle"), "id");
    bool seen = false;
    json_array_foreach(ids, i, f)
        seen |= json_equal(f, resume);
    if (json_is_string(resume) && !seen)
        json_array_append(ids, resume);
    return ids;
}

static bool listed(const json_t *ids, const json_t *id)
{
    json_t *v;
    size_t i;
    json_array_foreach(ids, i, v)
        if (json_equal(v, id))
            return true;
    return false;
}

const json_t *ashby_new_file(const json_t *cand, const json_t *before, bool resume)
{
    json_t *r = json_object_get(cand, "resumeFileHandle"), *f;
    size_t i;
    if (resume && json_is_string(json_object_get(r, "id")) &&
        !listed(before, json_object_get(r, "id")))
        return r;
    json_array_foreach(json_object_get(cand, "fileHandles"), i, f)
        if (json_is_string(json_object_get(f, "id")) && !listed(before, json_object_get(f, "id")))
            return f;
    return NULL;
}

json_t *ashby_to_candidate(uats_call *call, const json_t *cand)
{
    json_t *v;
    size_t i;
    const char *id = json_string_value(json_object_get(cand, "id"));
    if (!json_is_object(cand) || !id) {
        uats_host->fail(call, UATS_E_VENDOR, "Ashby's candidate has no id");
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s}", "id", id, "remote_id", id);
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *name = json_string_value(json_object_get(cand, "name"));
    if (name && *name) {
        char first[256], last[256];
        ashby_split_name(name, first, sizeof first, last, sizeof last);
        json_object_set_new(out, "first_name", json_string(first));
        if (*last)
            json_object_set_new(out, "last_name", json_string(last));
    }
    if ((v = json_object_get(cand, "company")) && json_is_string(v) && *json_string_value(v))
        json_object_set(out, "company", v);
    if ((v = json_object_get(cand, "position")) && json_is_string(v) && *json_string_value(v))
        json_object_set(out, "title", v);
    json_object_set_new(out, "email_addresses",
                        contacts(cand, "emailAddresses", "primaryEmailAddress", false));
    json_object_set_new(out, "phone_numbers",
                        contacts(cand, "phoneNumbers", "primaryPhoneNumber", true));
    json_t *urls = json_array();
    json_array_foreach(json_object_get(cand, "socialLinks"), i, v)
        if (json_is_string(json_object_get(v, "url")))
            json_array_append_new(urls, json_pack("{s:O, s:s}", "value",
                                                  json_object_get(v, "url"), "type",
                                                  link_type(json_string_value(
                                                      json_object_get(v, "type")))));
    json_object_set_new(out, "urls", urls);
    json_t *tags = json_array();
    json_array_foreach(json_object_get(cand, "tags"), i, v)
        if (json_is_string(json_object_get(v, "title")))
            json_array_append(tags, json_object_get(v, "title"));
    json_object_set_new(out, "tags", tags);
    json_t *loc = json_object_get(cand, "location");
    if (json_is_object(loc)) {
        location_to(out, loc);
        const char *summary = json_string_value(json_object_get(loc, "locationSummary"));
        if (summary && *summary)
            json_object_set_new(out, "locations", json_pack("[s]", summary));
    }
    json_t *apps = json_array();
    json_array_foreach(json_object_get(cand, "applicationIds"), i, v)
        if (json_is_string(v))
            json_array_append(apps, v);
    json_object_set_new(out, "applications", apps);
    json_object_set_new(out, "attachments", ashby_file_ids(cand));
    set_time(out, "remote_created_at", json_object_get(cand, "createdAt"));
    set_time(out, "remote_updated_at", json_object_get(cand, "updatedAt"));
    /* Shared, not copied: the caller's answer is freed, this reference
     * keeps Ashby's object alive for the unified one. */
    json_object_set(out, "remote_data", (json_t *)cand);
    return out;
}

json_t *ashby_to_attachment(uats_call *call, const json_t *handle, const char *candidate_id,
                            const char *content_type, const char *type)
{
    const char *id = json_string_value(json_object_get(handle, "id"));
    if (!id) {
        uats_host->fail(call, UATS_E_VENDOR, "Ashby's file has no id");
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "remote_id", id, "candidate_id",
                            candidate_id, "type", type);
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    json_t *v = json_object_get(handle, "name");
    if (json_is_string(v))
        json_object_set(out, "file_name", v);
    if (content_type)
        json_object_set_new(out, "content_type", json_string(content_type));
    json_object_set_new(out, "remote_data", json_deep_copy(handle));
    return out;
}
