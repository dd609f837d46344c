/*
 * plugins/greenhouse/greenhouse_map.c: Greenhouse's candidate, application
 * and attachment JSON (Harvest v1 and v3) <-> the unified model. The rules,
 * and why each was chosen, are in plugins/greenhouse/README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "greenhouse.h"

#define NOMEM(call) uats_host->fail(call, UATS_E_NOMEM, "out of memory")

/* ---- small helpers ---- */

/* Unified enum value <-> Greenhouse's lower-case type, per contact list. */
typedef struct type_pair {
    const char *unified, *greenhouse;
} type_pair;

static const type_pair email_types[] = {
    {"PERSONAL", "personal"}, {"WORK", "work"}, {"OTHER", "other"}, {NULL, NULL}};
static const type_pair phone_types[] = {
    {"HOME", "home"}, {"WORK", "work"}, {"MOBILE", "mobile"}, {"SKYPE", "skype"},
    {"OTHER", "other"}, {NULL, NULL}};
/* Website types Greenhouse has; the other unified url types go elsewhere. */
static const type_pair website_types[] = {
    {"PERSONAL", "personal"}, {"COMPANY", "company"}, {"PORTFOLIO", "portfolio"},
    {"BLOG", "blog"}, {"OTHER", "other"}, {NULL, NULL}};

static const char *to_greenhouse(const type_pair *map, const char *unified)
{
    for (; unified && map->unified; map++)
        if (strcmp(map->unified, unified) == 0)
            return map->greenhouse;
    return NULL;
}

static const char *to_unified(const type_pair *map, const char *greenhouse)
{
    for (; greenhouse && map->unified; map++)
        if (strcasecmp(map->greenhouse, greenhouse) == 0)
            return map->unified;
    return "OTHER"; /* a type Greenhouse added later, or none */
}

bool gh_digits_only(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static json_t *id_value(const char *s)
{
    return json_integer((json_int_t)strtoll(s, NULL, 10));
}

/* Greenhouse's integer id as text in out; false when it is not one (ids
 * are integers in both versions: anything else is a malformed answer). */
static bool id_text(const json_t *v, char *out, size_t size)
{
    return json_is_integer(v) && json_integer_value(v) >= 0 &&
           (size_t)snprintf(out, size, "%lld", (long long)json_integer_value(v)) < size;
}

static int set_string(json_t *obj, const char *key, const json_t *v)
{
    return json_is_string(v) ? json_object_set(obj, key, (json_t *)v) : 0;
}

/* ---- unified -> Greenhouse ---- */

/* Unified fields Greenhouse has no place for on create, in either version. */
static const char *const unstorable[] = {
    "locations", "avatar", "gender", "date_of_birth", "location", "summary", "skills",
    "education", "certifications", "visa_statuses", "veteran_status", "disability_status",
    "races", "highest_education_level", "contact_consent", "is_internal", "is_anonymized",
    "salary_expectations", "availability_date", NULL};

static json_t *typed_list(uats_call *call, const json_t *list, const type_pair *map,
                          const char *field)
{
    json_t *out = json_array();
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry) {
        const char *type = to_greenhouse(map, json_string_value(json_object_get(entry, "type")));
        if (!json_object_get(entry, "type")) {
            char path[64];
            snprintf(path, sizeof path, "%s[%zu].type", field, i);
            uats_host->warn(call, path, "Greenhouse needs a type: sent as \"other\"");
        }
        json_array_append_new(out, json_pack("{s:O, s:s}", "value",
                                             json_object_get(entry, "value"), "type",
                                             type ? type : "other"));
    }
    return out;
}

/* Social profiles Greenhouse keeps untyped; the rest are website addresses. */
static bool is_social(const char *type)
{
    return type && (strcmp(type, "LINKEDIN") == 0 || strcmp(type, "TWITTER") == 0 ||
                    strcmp(type, "SOCIAL_MEDIA") == 0);
}

static void split_urls(uats_call *call, const json_t *urls, json_t *body)
{
    json_t *websites = json_array(), *social = json_array();
    size_t i;
    json_t *entry;
    json_array_foreach(urls, i, entry) {
        const char *type = json_string_value(json_object_get(entry, "type"));
        json_t *value = json_object_get(entry, "value");
        if (is_social(type)) {
            json_array_append_new(social, json_pack("{s:O}", "value", value));
            continue;
        }
        const char *gh = to_greenhouse(website_types, type);
        if (!gh && type) {
            char path[64];
            snprintf(path, sizeof path, "urls[%zu].type", i);
            uats_host->warn(call, path, "Greenhouse has no %s url type: stored as a website "
                            "of type \"other\", read back as OTHER", type);
        }
        json_array_append_new(websites, json_pack("{s:O, s:s}", "value", value, "type",
                                                  gh ? gh : "other"));
    }
    if (json_array_size(websites))
        json_object_set(body, "website_addresses", websites);
    if (json_array_size(social))
        json_object_set(body, "social_media_addresses", social);
    json_decref(websites);
    json_decref(social);
}

/* Greenhouse keeps an address as one free-text value. */
static json_t *address_list(uats_call *call, const json_t *address)
{
    char line[1024] = "";
    if (json_is_string(address)) {
        snprintf(line, sizeof line, "%s", json_string_value(address));
    } else {
        static const char *const parts[] = {"street", "city", "region", "postal_code",
                                            "country", NULL};
        for (const char *const *p = parts; *p; p++) {
            const char *v = json_string_value(json_object_get(address, *p));
            size_t used = strlen(line);
            if (v && *v)
                snprintf(line + used, sizeof line - used, "%s%s", used ? ", " : "", v);
        }
        uats_host->warn(call, "address", "Greenhouse keeps addresses as free text: the parts "
                        "were joined into one line");
    }
    return json_pack("[{s:s, s:s}]", "value", line, "type", "other");
}

/* v1 employments from unified experience: Greenhouse needs company, title
 * and start date; the rest of an entry has no home. */
static json_t *employments(uats_call *call, const json_t *experience)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(experience, i, e) {
        char path[64], start[40], end[40];
        const char *company = json_string_value(json_object_get(e, "company"));
        const char *title = json_string_value(json_object_get(e, "title"));
        const char *from = json_string_value(json_object_get(e, "start_date"));
        const char *to = json_string_value(json_object_get(e, "end_date"));
        snprintf(path, sizeof path, "experience[%zu]", i);
        if (!company || !title || !from) {
            uats_host->warn(call, path, "Greenhouse needs company, title and start_date for "
                            "an employment: not sent");
            continue;
        }
        static const char *const lost[] = {"department", "location", "description",
                                           "is_internal", NULL};
        for (const char *const *k = lost; *k; k++) {
            if (json_object_get(e, *k)) {
                char field[96];
                snprintf(field, sizeof field, "%s.%s", path, *k);
                uats_host->warn(call, field, "Greenhouse employments have no %s", *k);
            }
        }
        snprintf(start, sizeof start, "%sT00:00:00.000Z", from);
        json_t *row = json_pack("{s:s, s:s, s:s}", "company_name", company, "title", title,
                                "start_date", start);
        if (to) {
            snprintf(end, sizeof end, "%sT00:00:00.000Z", to);
            json_object_set_new(row, "end_date", json_string(end));
        }
        json_array_append_new(out, row);
    }
    return out;
}

/* v1 writes custom fields as [{name_key, value}]; reads give an object. */
static json_t *custom_field_list(const json_t *fields)
{
    json_t *out = json_array();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)fields, key, value)
        json_array_append_new(out, json_pack("{s:s, s:O}", "name_key", key, "value", value));
    return out;
}

/* The application part: the job is a Greenhouse id; what else the unified
 * application carries has no place in a Harvest create. */
static uats_code application(uats_call *call, gh_version v, const json_t *app, json_t *body,
                             bool *prospect)
{
    const char *job = json_string_value(json_object_get(app, "job_id"));
    const char *stage = json_string_value(json_object_get(app, "stage_id"));
    *prospect = !job;
    if (job && !gh_digits_only(job))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "application.job_id", NULL,
                                     "Greenhouse job ids are numbers, not \"%s\"", job);
    if (json_object_get(app, "source"))
        uats_host->warn(call, "application.source", "Greenhouse takes a source as one of the "
                        "account's source ids (remote_fields), not applicant/lead");
    if (json_object_get(app, "screening_answers"))
        uats_host->warn(call, "application.screening_answers",
                        "Harvest cannot write application answers");
    if (json_object_get(app, "form_answers"))
        uats_host->warn(call, "application.form_answers",
                        "Harvest cannot write application answers");
    if (stage && (v == GH_V3 || !job || !gh_digits_only(stage)))
        uats_host->warn(call, "application.stage_id",
                        v == GH_V3 ? "Harvest v3 places a new application in the job's first "
                                     "stage"
                                   : !job ? "a stage needs a job"
                                          : "Greenhouse stage ids are numbers");
    if (!job)
        return UATS_OK;
    json_t *a = json_pack("{s:o}", "job_id", id_value(job));
    if (v == GH_V1 && stage && gh_digits_only(stage))
        json_object_set_new(a, "initial_stage_id", id_value(stage));
    if (v == GH_V1)
        json_object_set_new(body, "applications", json_pack("[o]", a));
    else
        json_object_set_new(body, "application", a);
    return UATS_OK;
}

uats_code gh_create_body(uats_call *call, gh_version v, const json_t *input, json_t **body,
                         bool *prospect)
{
    json_t *b = json_object();
    *body = NULL;
    *prospect = true;
    if (!b)
        return NOMEM(call);
    static const char *const plain[] = {"first_name", "last_name", "company", "title", NULL};
    for (const char *const *k = plain; *k; k++)
        set_string(b, *k, json_object_get(input, *k));
    const json_t *v_;
    if ((v_ = json_object_get(input, "email_addresses")))
        json_object_set_new(b, "email_addresses",
                            typed_list(call, v_, email_types, "email_addresses"));
    if ((v_ = json_object_get(input, "phone_numbers")))
        json_object_set_new(b, "phone_numbers",
                            typed_list(call, v_, phone_types, "phone_numbers"));
    if ((v_ = json_object_get(input, "urls")))
        split_urls(call, v_, b);
    if ((v_ = json_object_get(input, "address")))
        json_object_set_new(b, "addresses", address_list(call, v_));
    if ((v_ = json_object_get(input, "tags")))
        json_object_set(b, "tags", (json_t *)v_);
    if ((v_ = json_object_get(input, "is_private")))
        json_object_set(b, "is_private", (json_t *)v_);
    if ((v_ = json_object_get(input, "can_email"))) {
        if (v == GH_V3)
            json_object_set(b, "can_email", (json_t *)v_);
        else
            uats_host->warn(call, "can_email", "Harvest v1 cannot set can_email on create");
    }
    if ((v_ = json_object_get(input, "custom_fields"))) {
        if (v == GH_V1)
            json_object_set_new(b, "custom_fields", custom_field_list(v_));
        else
            uats_host->warn(call, "custom_fields", "how Harvest v3 writes custom fields is "
                            "not documented: not sent (use remote_fields)");
    }
    if ((v_ = json_object_get(input, "experience"))) {
        json_t *jobs = v == GH_V1 ? employments(call, v_) : NULL;
        if (v == GH_V3)
            uats_host->warn(call, "experience", "Harvest v3 keeps employments as their own "
                            "resource: not sent with the create");
        else if (json_array_size(jobs))
            json_object_set(b, "employments", jobs);
        json_decref(jobs);
    }
    for (const char *const *k = unstorable; *k; k++)
        if (json_object_get(input, *k))
            uats_host->warn(call, *k, "Greenhouse has no field for %s", *k);
    if (json_object_get(input, "id"))
        uats_host->warn(call, "id", "Greenhouse chooses candidate ids");

    uats_code rc = application(call, v, json_object_get(input, "application"), b, prospect);
    if (rc != UATS_OK) {
        json_decref(b);
        return rc;
    }
    /* remote_fields last: the host's explicit word wins. */
    json_t *extra = json_object_get(input, "remote_fields");
    if (extra && json_object_update(b, extra) != 0) {
        json_decref(b);
        return NOMEM(call);
    }
    *body = b;
    return UATS_OK;
}

/* The MIME types Harvest v1 accepts for uploaded content (greenhouse.md §8). */
static const char *const v1_content_types[] = {
    "application/atom+xml", "application/javascript", "application/json",
    "application/msgpack", "application/msword", "application/pdf", "application/rss+xml",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-powerpoint", "application/xml", "application/x-www-form-urlencoded",
    "application/x-yaml", "application/zip", "multipart/form-data", "image/bmp", "image/gif",
    "image/jpeg", "image/png", "image/tiff", "text/calendar", "text/css", "text/csv",
    "text/html", "text/javascript", "text/plain", "text/vcard", "video/mpeg", NULL};

static const char *content_type_for(const char *file_name)
{
    static const char *const by_ext[][2] = {
        {"pdf", "application/pdf"}, {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xls", "application/vnd.ms-excel"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"ppt", "application/vnd.ms-powerpoint"}, {"txt", "text/plain"},
        {"csv", "text/csv"}, {"html", "text/html"}, {"htm", "text/html"},
        {"json", "application/json"}, {"xml", "application/xml"}, {"zip", "application/zip"},
        {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"},
        {"gif", "image/gif"}, {"bmp", "image/bmp"}, {"tif", "image/tiff"},
        {"tiff", "image/tiff"}, {"vcf", "text/vcard"}, {"ics", "text/calendar"}};
    const char *dot = file_name ? strrchr(file_name, '.') : NULL;
    for (size_t i = 0; dot && i < sizeof by_ext / sizeof by_ext[0]; i++)
        if (strcasecmp(dot + 1, by_ext[i][0]) == 0)
            return by_ext[i][1];
    return NULL;
}

static bool v1_accepts(const char *content_type)
{
    for (const char *const *t = v1_content_types; content_type && *t; t++)
        if (strcasecmp(*t, content_type) == 0)
            return true;
    return false;
}

uats_code gh_attachment_body(uats_call *call, gh_version v, const json_t *input,
                             const char *path, bool has_app, json_t **body,
                             gh_target *target)
{
    char field[96];
    const char *sep = *path ? "." : "";
    const char *type = json_string_value(json_object_get(input, "type"));
    const char *name = json_string_value(json_object_get(input, "file_name"));
    const char *gh_type;
    *body = NULL;
    *target = v == GH_V3 ? GH_ON_APPLICATION : GH_ON_CANDIDATE;
    snprintf(field, sizeof field, "%s%stype", path, sep);
    if (type && strcmp(type, "OFFER_LETTER") == 0)
        return uats_host->fail_field(call, UATS_E_UNSUPPORTED, 0, field, NULL,
                                     "Greenhouse ties offer letters to an offer and restarts "
                                     "its approvals on upload: not sent");
    if (type && strcmp(type, "RESUME") == 0) {
        gh_type = "resume";
    } else if (type && strcmp(type, "COVER_LETTER") == 0) {
        gh_type = "cover_letter";
    } else if (v == GH_V3 || has_app) {
        gh_type = "other";
        *target = GH_ON_APPLICATION;
    } else {
        /* v1 candidate uploads take no "other"; admin_only is the nearest. */
        gh_type = "admin_only";
        uats_host->warn(call, field, "the candidate has no application, so Greenhouse keeps "
                        "this file as an admin-only candidate file");
    }
    if (v == GH_V3 && name && !strchr(name, '.')) {
        snprintf(field, sizeof field, "%s%sfile_name", path, sep);
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, field, NULL,
                                     "Greenhouse needs a file name with an extension");
    }
    json_t *b = json_pack("{s:s, s:s}", "filename", name ? name : "", "type", gh_type);
    if (!b)
        return NOMEM(call);
    const json_t *data = json_object_get(input, "data");
    if (data) {
        json_object_set(b, "content", (json_t *)data);
    } else {
        json_object_set(b, "url", json_object_get(input, "url"));
    }
    const char *ct = json_string_value(json_object_get(input, "content_type"));
    if (v == GH_V1 && data) {
        const char *use = ct ? ct : content_type_for(name);
        if (!v1_accepts(use)) {
            json_decref(b);
            snprintf(field, sizeof field, "%s%scontent_type", path, sep);
            return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, field, NULL,
                                         "Greenhouse v1 does not take files of type %s",
                                         use ? use : "(unknown: give content_type)");
        }
        json_object_set_new(b, "content_type", json_string(use));
    } else if (v == GH_V1 && ct) {
        json_object_set_new(b, "content_type", json_string(ct));
    }
    /* v3 lists no content_type field: the file name's extension says it. */
    if (*path && json_object_get(input, "application_id")) {
        snprintf(field, sizeof field, "%s.application_id", path);
        uats_host->warn(call, field, "files sent with a create go on the new application");
    }
    *body = b;
    return UATS_OK;
}

/* ---- Greenhouse -> unified ---- */

static void set_time(json_t *out, const char *key, const json_t *v)
{
    char when[UATS_TIME_SIZE];
    if (json_is_string(v) && uats_host->time_normalize(json_string_value(v), when) == UATS_OK)
        json_object_set_new(out, key, json_string(when));
}

/* "2020-04-01T00:00:00.000Z" -> "2020-04-01" (Greenhouse dates carry a time). */
static void set_date(json_t *out, const char *key, const json_t *v)
{
    const char *s = json_string_value(v);
    char when[UATS_TIME_SIZE];
    if (s && uats_host->time_normalize(s, when) == UATS_OK) {
        when[10] = '\0';
        json_object_set_new(out, key, json_string(when));
    } else if (s && strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
        char probe[40];
        snprintf(probe, sizeof probe, "%sT00:00:00Z", s);
        if (uats_host->time_normalize(probe, when) == UATS_OK)
            json_object_set_new(out, key, json_string(s));
    }
}

static json_t *typed_back(const json_t *list, const type_pair *map)
{
    json_t *out = json_array();
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry) {
        json_t *value = json_object_get(entry, "value");
        if (json_is_string(value))
            json_array_append_new(out, json_pack("{s:O, s:s}", "value", value, "type",
                                                 to_unified(map, json_string_value(json_object_get(entry, "type")))));
    }
    return out;
}

/* Social profiles come back untyped: the host tells which network. */
static const char *social_type(const char *url)
{
    static const char *const hosts[][2] = {
        {"linkedin.com", "LINKEDIN"}, {"twitter.com", "TWITTER"}, {"x.com", "TWITTER"},
        {"github.com", "GITHUB"}};
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t len = strcspn(h, "/:?#");
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        size_t n = strlen(hosts[i][0]);
        if (len >= n && strncasecmp(h + len - n, hosts[i][0], n) == 0 &&
            (len == n || h[len - n - 1] == '.'))
            return hosts[i][1];
    }
    return "SOCIAL_MEDIA";
}

static json_t *urls_back(const json_t *cand)
{
    json_t *out = typed_back(json_object_get(cand, "website_addresses"), website_types);
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(cand, "social_media_addresses"), i, entry) {
        const char *value = json_string_value(json_object_get(entry, "value"));
        if (value)
            json_array_append_new(out, json_pack("{s:s, s:s}", "value", value, "type",
                                                 social_type(value)));
    }
    return out;
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

static json_t *experience_back(const json_t *jobs)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(jobs, i, e) {
        json_t *row = json_object();
        set_string(row, "company", json_object_get(e, "company_name"));
        set_string(row, "title", json_object_get(e, "title"));
        set_date(row, "start_date", json_object_get(e, "start_date"));
        set_date(row, "end_date", json_object_get(e, "end_date"));
        json_object_set_new(row, "is_current", json_boolean(!json_is_string(
                                                   json_object_get(e, "end_date"))));
        json_array_append_new(out, row);
    }
    return out;
}

static json_t *education_back(const json_t *schools)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(schools, i, e) {
        json_t *row = json_object();
        set_string(row, "school", json_object_get(e, "school_name"));
        set_string(row, "degree", json_object_get(e, "degree"));
        set_string(row, "major", json_object_get(e, "discipline"));
        set_date(row, "start_date", json_object_get(e, "start_date"));
        set_date(row, "end_date", json_object_get(e, "end_date"));
        json_array_append_new(out, row);
    }
    return out;
}

/* Ids (as strings) of a list of objects, or of a list of ids. */
static json_t *ids_of(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *item;
    char id[32];
    json_array_foreach(list, i, item) {
        const json_t *v = json_is_object(item) ? json_object_get(item, "id") : item;
        if (id_text(v, id, sizeof id))
            json_array_append_new(out, json_string(id));
    }
    return out;
}

static json_t *v1_attachment_ids(const char *candidate_id, const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *entry;
    char id[1024];
    json_array_foreach(list, i, entry)
        if (gh_v1_attachment_id(candidate_id, entry, id, sizeof id))
            json_array_append_new(out, json_string(id));
    return out;
}

json_t *gh_to_candidate(uats_call *call, gh_version v, const json_t *cand,
                        const json_t *applications, const json_t *attachments)
{
    char id[32];
    if (!json_is_object(cand) || !id_text(json_object_get(cand, "id"), id, sizeof id)) {
        uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's candidate has no id");
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s}", "id", id, "remote_id", id);
    if (!out) {
        NOMEM(call);
        return NULL;
    }
    static const char *const plain[] = {"first_name", "last_name", "company", "title", NULL};
    for (const char *const *k = plain; *k; k++)
        set_string(out, *k, json_object_get(cand, *k));
    /* v3 readers report "private" where v1 said "is_private": take either. */
    json_t *priv = json_object_get(cand, "is_private");
    if (!json_is_boolean(priv))
        priv = json_object_get(cand, "private");
    if (json_is_boolean(priv))
        json_object_set(out, "is_private", priv);
    if (json_is_boolean(json_object_get(cand, "can_email")))
        json_object_set(out, "can_email", json_object_get(cand, "can_email"));
    json_object_set_new(out, "email_addresses",
                        typed_back(json_object_get(cand, "email_addresses"), email_types));
    json_object_set_new(out, "phone_numbers",
                        typed_back(json_object_get(cand, "phone_numbers"), phone_types));
    json_object_set_new(out, "urls", urls_back(cand));
    json_object_set_new(out, "tags", strings_of(json_object_get(cand, "tags")));
    set_string(out, "avatar", json_object_get(cand, "photo_url"));
    if (json_is_object(json_object_get(cand, "custom_fields")))
        json_object_set(out, "custom_fields", json_object_get(cand, "custom_fields"));
    json_t *address = json_object_get(json_array_get(json_object_get(cand, "addresses"), 0),
                                      "value");
    set_string(out, "address", address);
    json_t *linked = json_object_get(cand, "linked_user_ids");
    if (json_is_array(linked))
        json_object_set_new(out, "is_internal", json_boolean(json_array_size(linked) > 0));
    if (json_is_array(json_object_get(cand, "employments")))
        json_object_set_new(out, "experience",
                            experience_back(json_object_get(cand, "employments")));
    if (json_is_array(json_object_get(cand, "educations")))
        json_object_set_new(out, "education",
                            education_back(json_object_get(cand, "educations")));
    set_time(out, "remote_created_at", json_object_get(cand, "created_at"));
    set_time(out, "remote_updated_at", json_object_get(cand, "updated_at"));
    set_time(out, "last_interaction_at",
             json_object_get(cand, v == GH_V1 ? "last_activity" : "last_activity_at"));

    json_t *raw;
    if (v == GH_V1) {
        const json_t *app_ids = json_object_get(cand, "application_ids");
        json_object_set_new(out, "applications",
                            ids_of(app_ids ? app_ids : json_object_get(cand, "applications")));
        json_object_set_new(out, "attachments",
                            v1_attachment_ids(id, json_object_get(cand, "attachments")));
        raw = json_deep_copy(cand);
    } else {
        if (applications)
            json_object_set_new(out, "applications", ids_of(applications));
        if (attachments)
            json_object_set_new(out, "attachments", ids_of(attachments));
        /* The candidate and the children read beside it, as v3's create
         * answer pairs a candidate with its application. */
        raw = json_pack("{s:O, s:O, s:O}", "candidate", cand, "applications",
                        applications ? applications : json_null(), "attachments",
                        attachments ? attachments : json_null());
    }
    json_object_set_new(out, "remote_data", raw);
    return out;
}

static const char *attachment_type_back(const char *gh)
{
    if (!gh)
        return "OTHER";
    if (strcmp(gh, "resume") == 0)
        return "RESUME";
    if (strcmp(gh, "cover_letter") == 0)
        return "COVER_LETTER";
    if (strcmp(gh, "offer_letter") == 0 || strcmp(gh, "signed_offer_letter") == 0 ||
        strcmp(gh, "offer_packet") == 0)
        return "OFFER_LETTER";
    return "OTHER"; /* admin_only, take_home_test, form_attachment, ... */
}

json_t *gh_v3_to_attachment(uats_call *call, const json_t *att)
{
    char id[32], owner[32], app[32];
    if (!json_is_object(att) || !id_text(json_object_get(att, "id"), id, sizeof id)) {
        uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's attachment has no id");
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s, s:s}", "id", id, "remote_id", id, "type",
                            attachment_type_back(json_string_value(json_object_get(att, "type"))));
    if (!out) {
        NOMEM(call);
        return NULL;
    }
    if (id_text(json_object_get(att, "candidate_id"), owner, sizeof owner))
        json_object_set_new(out, "candidate_id", json_string(owner));
    if (id_text(json_object_get(att, "application_id"), app, sizeof app))
        json_object_set_new(out, "application_id", json_string(app));
    set_string(out, "file_name", json_object_get(att, "filename"));
    set_string(out, "file_url", json_object_get(att, "url"));
    set_time(out, "remote_created_at", json_object_get(att, "created_at"));
    json_object_set_new(out, "remote_data", json_deep_copy(att));
    return out;
}

bool gh_v1_attachment_id(const char *candidate_id, const json_t *entry, char *out, size_t size)
{
    const char *name = json_string_value(json_object_get(entry, "filename"));
    const char *created = json_string_value(json_object_get(entry, "created_at"));
    return name && created && candidate_id &&
           (size_t)snprintf(out, size, "%s:%s:%s", candidate_id, created, name) < size;
}

json_t *gh_v1_to_attachment(uats_call *call, const char *candidate_id, const json_t *entry,
                            const char *content_type)
{
    char id[1024];
    if (!gh_v1_attachment_id(candidate_id, entry, id, sizeof id)) {
        uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's attachment lacks a file name or a "
                        "creation time");
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "remote_id", id, "candidate_id",
                            candidate_id, "type",
                            attachment_type_back(json_string_value(json_object_get(entry, "type"))));
    if (!out) {
        NOMEM(call);
        return NULL;
    }
    set_string(out, "file_name", json_object_get(entry, "filename"));
    set_string(out, "file_url", json_object_get(entry, "url"));
    if (content_type)
        json_object_set_new(out, "content_type", json_string(content_type));
    set_time(out, "remote_created_at", json_object_get(entry, "created_at"));
    json_object_set_new(out, "remote_data", json_deep_copy(entry));
    return out;
}

const char *gh_input_field(const char *gh_field, bool attachment, const char *prefix,
                           char *out, size_t size)
{
    /* Greenhouse name (a prefix of the field) -> unified path; "=" keeps
     * Greenhouse's own path, indexes included. */
    static const char *const candidate_map[][2] = {
        {"first_name", "="}, {"last_name", "="}, {"company", "="}, {"title", "="},
        {"email_addresses", "="}, {"phone_numbers", "="}, {"tags", "="}, {"is_private", "="},
        {"can_email", "="}, {"website_addresses", "urls"}, {"social_media_addresses", "urls"},
        {"addresses", "address"}, {"custom_fields", "custom_fields"},
        {"employments", "experience"}, {"applications", "application.job_id"},
        {"application", "application.job_id"}, {"job_id", "application.job_id"},
        {"initial_stage_id", "application.stage_id"}};
    static const char *const attachment_map[][2] = {
        {"filename", "file_name"}, {"content_type", "content_type"}, {"content", "data"},
        {"url", "url"}, {"type", "type"}, {"application_id", "application_id"}};
    if (!gh_field || !*gh_field)
        return NULL;
    if (strncmp(gh_field, "candidate.", 10) == 0)
        gh_field += 10;
    bool in_attachment = attachment;
    size_t n = in_attachment ? sizeof attachment_map / sizeof attachment_map[0]
                             : sizeof candidate_map / sizeof candidate_map[0];
    for (size_t i = 0; i < n; i++) {
        const char *gh = in_attachment ? attachment_map[i][0] : candidate_map[i][0];
        const char *to = in_attachment ? attachment_map[i][1] : candidate_map[i][1];
        size_t len = strlen(gh);
        if (strncmp(gh_field, gh, len) != 0 ||
            (gh_field[len] && gh_field[len] != '[' && gh_field[len] != '.'))
            continue;
        if (strstr(gh_field, "initial_stage_id"))
            to = "application.stage_id";
        if (in_attachment)
            snprintf(out, size, "%s%s%s", prefix, *prefix ? "." : "", to);
        else
            snprintf(out, size, "%s", strcmp(to, "=") == 0 ? gh_field : to);
        return out;
    }
    return NULL;
}

/* An application is live until rejected or hired: v1 "active", v3 "in_process". */
static bool is_active(const json_t *app)
{
    const char *status = json_string_value(json_object_get(app, "status"));
    return status && (strcmp(status, "active") == 0 || strcmp(status, "in_process") == 0);
}

const json_t *gh_pick_application(const json_t *applications)
{
    const json_t *best = NULL;
    long long best_id = -1;
    bool best_active = false;
    size_t i;
    json_t *app;
    json_array_foreach(applications, i, app) {
        json_t *idv = json_object_get(app, "id");
        if (!json_is_integer(idv))
            continue;
        long long id = (long long)json_integer_value(idv);
        bool active = is_active(app);
        /* Ids grow with time: the highest is the newest. */
        if (!best || (active && !best_active) || (active == best_active && id > best_id)) {
            best = app;
            best_id = id;
            best_active = active;
        }
    }
    return best;
}
