/*
 * plugins/smartrecruiters/smartrecruiters_map.c: SmartRecruiters' candidate
 * and attachment JSON (Customer API) <-> the unified model. The rules, and
 * why each was chosen, are in plugins/smartrecruiters/README.md.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "smartrecruiters.h"

#define NOMEM(call) uats_host->fail(call, UATS_E_NOMEM, "out of memory")

/* Unified fields a SmartRecruiters candidate has no place for. */
static const char *const unstorable[] = {
    "company", "title", "is_private", "can_email", "avatar", "custom_fields", "gender",
    "date_of_birth", "address", "locations", "summary", "skills", "certifications",
    "visa_statuses", "veteran_status", "disability_status", "races",
    "highest_education_level", "contact_consent", "is_anonymized", "salary_expectations",
    "availability_date", NULL};

static void warn_at(uats_call *call, const char *list, size_t i, const char *sub,
                    const char *message)
{
    char path[96];
    snprintf(path, sizeof path, "%s[%zu]%s%s", list, i, sub ? "." : "", sub ? sub : "");
    uats_host->warn(call, path, "%s", message);
}

static void copy_string(json_t *to, const char *to_key, const json_t *from, const char *from_key)
{
    json_t *v = json_object_get(from, from_key);
    if (json_is_string(v))
        json_object_set(to, to_key, v);
}

/* ---- unified -> SmartRecruiters ---- */

/* One e-mail address, without a type: the first is sent, the rest warned. */
static void email(uats_call *call, const json_t *list, json_t *body)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (i > 0) {
            warn_at(call, "email_addresses", i, NULL,
                    "SmartRecruiters keeps one e-mail address per candidate: not sent");
            continue;
        }
        json_object_set(body, "email", json_object_get(e, "value"));
        if (json_object_get(e, "type"))
            warn_at(call, "email_addresses", i, "type",
                    "SmartRecruiters keeps the e-mail address without a type");
    }
}

/* One phone number, untyped; a Skype name has its own place in "web". */
static void phones(uats_call *call, const json_t *list, json_t *body, json_t *web)
{
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        const char *type = json_string_value(json_object_get(p, "type"));
        json_t *value = json_object_get(p, "value");
        if (type && strcmp(type, "SKYPE") == 0) {
            if (json_object_get(web, "skype"))
                warn_at(call, "phone_numbers", i, NULL,
                        "SmartRecruiters keeps one Skype name: not sent");
            else
                json_object_set(web, "skype", value);
            continue;
        }
        if (json_object_get(body, "phoneNumber")) {
            warn_at(call, "phone_numbers", i, NULL,
                    "SmartRecruiters keeps one phone number per candidate: not sent");
            continue;
        }
        json_object_set(body, "phoneNumber", value);
        if (type)
            warn_at(call, "phone_numbers", i, "type",
                    "SmartRecruiters keeps the phone number without a type");
    }
}

/* Whether url's host is host or one of its subdomains. */
static bool on_host(const char *url, const char *host)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t len = strcspn(h, "/:?#"), n = strlen(host);
    return len >= n && strncasecmp(h + len - n, host, n) == 0 &&
           (len == n || h[len - n - 1] == '.');
}

/* "web" has one slot per network and one website. */
static void urls(uats_call *call, const json_t *list, json_t *web)
{
    size_t i;
    json_t *u;
    json_array_foreach(list, i, u) {
        const char *type = json_string_value(json_object_get(u, "type"));
        const char *value = json_string_value(json_object_get(u, "value"));
        const char *slot = "website";
        if (type && strcmp(type, "LINKEDIN") == 0)
            slot = "linkedin";
        else if (type && strcmp(type, "TWITTER") == 0)
            slot = "twitter";
        else if (type && strcmp(type, "SOCIAL_MEDIA") == 0 && value &&
                 on_host(value, "facebook.com"))
            slot = "facebook";
        if (json_object_get(web, slot)) {
            warn_at(call, "urls", i, NULL, strcmp(slot, "website") == 0
                                               ? "SmartRecruiters keeps one website: not sent"
                                               : "SmartRecruiters keeps one profile per "
                                                 "network: not sent");
            continue;
        }
        json_object_set(web, slot, json_object_get(u, "value"));
        if (strcmp(slot, "website") == 0 && type && strcmp(type, "WEBSITE") != 0)
            warn_at(call, "urls", i, "type", "SmartRecruiters has no such link type: stored as "
                                             "the website, read back as WEBSITE");
    }
}

/* SmartRecruiters shows country codes in lower case ("pl"). */
static json_t *location(const json_t *loc)
{
    json_t *out = json_object();
    copy_string(out, "city", loc, "city");
    copy_string(out, "region", loc, "region");
    const char *country = json_string_value(json_object_get(loc, "country"));
    if (country && strlen(country) == 2) {
        char cc[3] = {(char)tolower((unsigned char)country[0]),
                      (char)tolower((unsigned char)country[1]), '\0'};
        json_object_set_new(out, "countryCode", json_string(cc));
    }
    return out;
}

/* Education and experience share their shape: dates, "current", and a
 * few strings; what the unified entry has beyond that is warned. */
static json_t *history(uats_call *call, const json_t *list, const char *field,
                       const char *const (*names)[2], const char *const *lost)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_t *row = json_object();
        for (size_t k = 0; names[k][0]; k++)
            copy_string(row, names[k][1], e, names[k][0]);
        copy_string(row, "startDate", e, "start_date");
        copy_string(row, "endDate", e, "end_date");
        if (json_is_boolean(json_object_get(e, "is_current")))
            json_object_set(row, "current", json_object_get(e, "is_current"));
        for (const char *const *l = lost; *l; l++)
            if (json_object_get(e, *l)) {
                char msg[96];
                snprintf(msg, sizeof msg, "SmartRecruiters' %s entries have no %s", field, *l);
                warn_at(call, field, i, *l, msg);
            }
        json_array_append_new(out, row);
    }
    return out;
}

static const char *const education_names[][2] = {
    {"school", "institution"}, {"degree", "degree"}, {"major", "major"},
    {"location", "location"}, {"description", "description"}, {NULL, NULL}};
static const char *const education_lost[] = {"is_graduated", NULL};
static const char *const experience_names[][2] = {
    {"title", "title"}, {"company", "company"}, {"location", "location"},
    {"description", "description"}, {NULL, NULL}};
static const char *const experience_lost[] = {"department", "is_internal", NULL};

static void application(uats_call *call, const json_t *app, const char **job)
{
    *job = json_string_value(json_object_get(app, "job_id"));
    if (json_object_get(app, "stage_id"))
        uats_host->warn(call, "application.stage_id", "SmartRecruiters puts a new candidate "
                        "in the job's first status (NEW)");
    if (json_object_get(app, "source"))
        uats_host->warn(call, "application.source", "SmartRecruiters takes a source as the "
                        "account's sourceDetails ids (send them in remote_fields), not "
                        "applicant/lead");
    if (json_object_get(app, "screening_answers"))
        uats_host->warn(call, "application.screening_answers",
                        "the Candidate API cannot write screening answers");
    if (json_object_get(app, "form_answers"))
        uats_host->warn(call, "application.form_answers",
                        "the Candidate API cannot write application answers");
}

uats_code sr_create_body(uats_call *call, const json_t *input, json_t **body, const char **job)
{
    json_t *b = json_object(), *web = json_object(), *v;
    *body = NULL;
    *job = NULL;
    if (!b || !web) {
        json_decref(b);
        json_decref(web);
        return NOMEM(call);
    }
    copy_string(b, "firstName", input, "first_name");
    copy_string(b, "lastName", input, "last_name");
    if ((v = json_object_get(input, "email_addresses")))
        email(call, v, b);
    if ((v = json_object_get(input, "phone_numbers")))
        phones(call, v, b, web);
    if ((v = json_object_get(input, "urls")))
        urls(call, v, web);
    if (json_object_size(web))
        json_object_set(b, "web", web);
    json_decref(web);
    if ((v = json_object_get(input, "location")))
        json_object_set_new(b, "location", location(v));
    if ((v = json_object_get(input, "tags")))
        json_object_set(b, "tags", v);
    if ((v = json_object_get(input, "is_internal")))
        json_object_set(b, "internal", v);
    if ((v = json_object_get(input, "education")))
        json_object_set_new(b, "education", history(call, v, "education", education_names,
                                                    education_lost));
    if ((v = json_object_get(input, "experience")))
        json_object_set_new(b, "experience", history(call, v, "experience",
                                                     experience_names, experience_lost));
    for (const char *const *k = unstorable; *k; k++)
        if (json_object_get(input, *k))
            uats_host->warn(call, *k, "SmartRecruiters has no field for %s", *k);
    if (json_object_get(input, "id"))
        uats_host->warn(call, "id", "SmartRecruiters chooses candidate ids");
    if (json_object_get(input, "acting_user"))
        uats_host->warn(call, "acting_user", "SmartRecruiters records writes as the user the "
                        "API key belongs to");
    application(call, json_object_get(input, "application"), job);

    /* remote_fields last: the host's explicit word wins. */
    json_t *extra = json_object_get(input, "remote_fields");
    if (extra && json_object_update(b, extra) != 0) {
        json_decref(b);
        return NOMEM(call);
    }
    /* SmartRecruiters refuses a candidate without these: say which before
     * anything is sent. */
    static const char *const required[][2] = {{"firstName", "first_name"},
                                              {"lastName", "last_name"},
                                              {"email", "email_addresses"}};
    for (size_t i = 0; i < 3; i++) {
        const char *s = json_string_value(json_object_get(b, required[i][0]));
        if (!s || !*s) {
            json_decref(b);
            return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, required[i][1], NULL,
                                         "SmartRecruiters requires %s on a new candidate "
                                         "(nothing was sent)", required[i][1]);
        }
    }
    *body = b;
    return UATS_OK;
}

const char *sr_attachment_type(uats_call *call, const json_t *input, const char *path)
{
    const char *type = json_string_value(json_object_get(input, "type"));
    char field[64];
    if (type && strcmp(type, "RESUME") == 0)
        return "RESUME";
    if (type && strcmp(type, "OTHER") != 0) {
        snprintf(field, sizeof field, "%s%stype", path, *path ? "." : "");
        uats_host->warn(call, field, "SmartRecruiters documents no attachment type for a %s: "
                        "sent as a generic file, read back as OTHER", type);
    }
    return "GENERIC_FILE";
}

/* ---- SmartRecruiters -> unified ---- */

static void set_time(uats_call *call, json_t *out, const char *key, const json_t *v)
{
    char when[UATS_TIME_SIZE];
    (void)call;
    if (json_is_string(v) && uats_host->time_normalize(json_string_value(v), when) == UATS_OK)
        json_object_set_new(out, key, json_string(when));
}

/* Only whole dates: SmartRecruiters also shows "2004" or "2004-09", which
 * the unified model cannot hold without inventing a day (kept in
 * remote_data). */
static void set_date(json_t *out, const char *key, const json_t *v)
{
    const char *s = json_string_value(v);
    char probe[40], when[UATS_TIME_SIZE];
    /* A real calendar day only (the core refuses "2019-02-30"). */
    if (s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
        snprintf(probe, sizeof probe, "%sT00:00:00Z", s) > 0 &&
        uats_host->time_normalize(probe, when) == UATS_OK && strncmp(when, s, 10) == 0)
        json_object_set(out, key, (json_t *)v);
}

static json_t *history_back(const json_t *list, const char *const (*names)[2])
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (!json_is_object(e))
            continue;
        json_t *row = json_object();
        for (size_t k = 0; names[k][0]; k++)
            copy_string(row, names[k][0], e, names[k][1]);
        set_date(row, "start_date", json_object_get(e, "startDate"));
        set_date(row, "end_date", json_object_get(e, "endDate"));
        if (json_is_boolean(json_object_get(e, "current")))
            json_object_set(row, "is_current", json_object_get(e, "current"));
        json_array_append_new(out, row);
    }
    return out;
}

static void typed(json_t *list, const json_t *value, const char *type)
{
    if (!json_is_string(value) || !*json_string_value(value))
        return;
    json_t *e = json_pack("{s:O}", "value", value);
    if (type)
        json_object_set_new(e, "type", json_string(type));
    json_array_append_new(list, e);
}

static json_t *location_back(const json_t *loc)
{
    json_t *out = json_object();
    copy_string(out, "city", loc, "city");
    copy_string(out, "region", loc, "region");
    const char *cc = json_string_value(json_object_get(loc, "countryCode"));
    if (cc && strlen(cc) == 2 && isalpha((unsigned char)cc[0]) && isalpha((unsigned char)cc[1])) {
        char up[3] = {(char)toupper((unsigned char)cc[0]), (char)toupper((unsigned char)cc[1]),
                      '\0'};
        json_object_set_new(out, "country", json_string(up));
    }
    return out;
}

/* The jobs the candidate is assigned to: the unified application ids
 * (SmartRecruiters names an application by candidate and job). */
static json_t *jobs_of(const json_t *cand)
{
    json_t *out = json_array();
    const json_t *job = json_object_get(json_object_get(cand, "primaryAssignment"), "job");
    if (json_is_string(json_object_get(job, "id")))
        json_array_append(out, json_object_get(job, "id"));
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(cand, "secondaryAssignments"), i, a) {
        json_t *id = json_object_get(json_object_get(a, "job"), "id");
        if (json_is_string(id))
            json_array_append(out, id);
    }
    return out;
}

/* The documented fields with the documented types (null counts as
 * absent): an answer that breaks them is not read half-way. NULL if fine,
 * else the offending key. */
static const char *mistyped(const json_t *cand)
{
    static const struct {
        const char *key;
        json_type type;
    } fields[] = {{"firstName", JSON_STRING}, {"lastName", JSON_STRING},
                  {"email", JSON_STRING}, {"phoneNumber", JSON_STRING},
                  {"createdOn", JSON_STRING}, {"updatedOn", JSON_STRING},
                  {"web", JSON_OBJECT}, {"location", JSON_OBJECT},
                  {"primaryAssignment", JSON_OBJECT}, {"tags", JSON_ARRAY},
                  {"education", JSON_ARRAY}, {"experience", JSON_ARRAY},
                  {"secondaryAssignments", JSON_ARRAY}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        json_t *v = json_object_get(cand, fields[i].key);
        if (v && !json_is_null(v) && json_typeof(v) != fields[i].type)
            return fields[i].key;
    }
    json_t *internal = json_object_get(cand, "internal");
    if (internal && !json_is_null(internal) && !json_is_boolean(internal))
        return "internal";
    return NULL;
}

json_t *sr_to_candidate(uats_call *call, const json_t *cand, const json_t *attachment_ids,
                        const json_t *attachments_raw)
{
    const char *id = json_string_value(json_object_get(cand, "id"));
    if (!json_is_object(cand) || !id || !*id) {
        uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' candidate has no id");
        return NULL;
    }
    const char *bad = mistyped(cand);
    if (bad) {
        uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' candidate has a %s of the "
                        "wrong type", bad);
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s}", "id", id, "remote_id", id);
    if (!out) {
        NOMEM(call);
        return NULL;
    }
    copy_string(out, "first_name", cand, "firstName");
    copy_string(out, "last_name", cand, "lastName");
    const json_t *web = json_object_get(cand, "web");
    json_t *emails = json_array(), *phones = json_array(), *links = json_array();
    typed(emails, json_object_get(cand, "email"), NULL);
    typed(phones, json_object_get(cand, "phoneNumber"), NULL);
    typed(phones, json_object_get(web, "skype"), "SKYPE");
    typed(links, json_object_get(web, "linkedin"), "LINKEDIN");
    typed(links, json_object_get(web, "twitter"), "TWITTER");
    typed(links, json_object_get(web, "facebook"), "SOCIAL_MEDIA");
    typed(links, json_object_get(web, "website"), "WEBSITE");
    json_object_set_new(out, "email_addresses", emails);
    json_object_set_new(out, "phone_numbers", phones);
    json_object_set_new(out, "urls", links);
    if (json_is_object(json_object_get(cand, "location")))
        json_object_set_new(out, "location", location_back(json_object_get(cand, "location")));
    json_t *tags = json_array(), *tag;
    size_t i;
    json_array_foreach(json_object_get(cand, "tags"), i, tag)
        if (json_is_string(tag))
            json_array_append(tags, tag);
    json_object_set_new(out, "tags", tags);
    if (json_is_boolean(json_object_get(cand, "internal")))
        json_object_set(out, "is_internal", json_object_get(cand, "internal"));
    if (json_is_array(json_object_get(cand, "education")))
        json_object_set_new(out, "education",
                            history_back(json_object_get(cand, "education"), education_names));
    if (json_is_array(json_object_get(cand, "experience")))
        json_object_set_new(out, "experience",
                            history_back(json_object_get(cand, "experience"),
                                         experience_names));
    set_time(call, out, "remote_created_at", json_object_get(cand, "createdOn"));
    set_time(call, out, "remote_updated_at", json_object_get(cand, "updatedOn"));
    json_object_set_new(out, "applications", jobs_of(cand));
    if (attachment_ids)
        json_object_set_new(out, "attachments", json_deep_copy(attachment_ids));
    json_object_set_new(out, "remote_data",
                        json_pack("{s:O, s:O}", "candidate", cand, "attachments",
                                  attachments_raw ? attachments_raw : json_null()));
    return out;
}

static const char *type_back(const char *sr)
{
    if (sr && strcmp(sr, "RESUME") == 0)
        return "RESUME";
    if (sr && strcmp(sr, "COVER_LETTER") == 0)
        return "COVER_LETTER";
    return "OTHER"; /* GENERIC_FILE, AVATAR and types not documented */
}

json_t *sr_to_attachment(uats_call *call, const json_t *att, const char *candidate_id)
{
    const char *id = json_string_value(json_object_get(att, "id"));
    if (!json_is_object(att) || !id || !*id) {
        uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' attachment has no id");
        return NULL;
    }
    static const char *const strings[] = {"name", "type", "contentType"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(att, strings[i]);
        if (v && !json_is_null(v) && !json_is_string(v)) {
            uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' attachment has a %s of the "
                            "wrong type", strings[i]);
            return NULL;
        }
    }
    json_t *out = json_pack("{s:s, s:s, s:s}", "id", id, "remote_id", id, "type",
                            type_back(json_string_value(json_object_get(att, "type"))));
    if (!out) {
        NOMEM(call);
        return NULL;
    }
    if (candidate_id)
        json_object_set_new(out, "candidate_id", json_string(candidate_id));
    copy_string(out, "file_name", att, "name");
    copy_string(out, "content_type", att, "contentType");
    copy_string(out, "file_url", json_object_get(json_object_get(att, "actions"), "download"),
                "url");
    json_object_set_new(out, "remote_data", json_deep_copy(att));
    return out;
}

json_t *sr_attachment_ids(uats_call *call, const json_t *list)
{
    json_t *content = json_object_get(list, "content");
    if (!json_is_array(content)) {
        uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' attachment list has no content "
                        "array");
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(content, i, a) {
        json_t *id = json_object_get(a, "id");
        if (!json_is_string(id)) {
            json_decref(out);
            uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' attachment %zu has no id", i);
            return NULL;
        }
        json_array_append(out, id);
    }
    return out;
}
