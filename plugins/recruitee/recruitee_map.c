/*
 * plugins/recruitee/recruitee_map.c: Recruitee's candidate and attachment
 * JSON <-> the unified model. The rules are listed in
 * plugins/recruitee/README.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "recruitee.h"

bool rt_is_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 18)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* ---- unified -> Recruitee ---- */

/* Unified fields Recruitee's create has no place for: each one given is a
 * warning. Tags, custom fields and the CV slot have endpoints of their own
 * that this connector does not call (docs/vendors/recruitee.md). */
static const char *const unstorable[] = {
    "company", "title", "locations", "location", "address", "tags", "is_private", "can_email",
    "avatar", "custom_fields", "gender", "date_of_birth", "summary", "skills", "education",
    "experience", "certifications", "visa_statuses", "veteran_status", "disability_status",
    "races", "highest_education_level", "contact_consent", "is_internal", "is_anonymized",
    "salary_expectations", "availability_date", NULL};

static const struct {
    const char *host, *type;
} known_hosts[] = {{"linkedin.com", "LINKEDIN"}, {"github.com", "GITHUB"},
                   {"twitter.com", "TWITTER"},   {"x.com", "TWITTER"},
                   {"facebook.com", "SOCIAL_MEDIA"}, {"instagram.com", "SOCIAL_MEDIA"},
                   {"xing.com", "SOCIAL_MEDIA"}};

const char *rt_url_type(const char *url, bool social)
{
    const char *host = url ? strstr(url, "://") : NULL;
    if (host) {
        host += 3;
        size_t len = strcspn(host, "/:?#");
        for (size_t i = 0; i < sizeof known_hosts / sizeof known_hosts[0]; i++) {
            size_t k = strlen(known_hosts[i].host);
            /* The host itself or a subdomain of it (www.linkedin.com). */
            if (len >= k && strncasecmp(host + len - k, known_hosts[i].host, k) == 0 &&
                (len == k || host[len - k - 1] == '.'))
                return known_hosts[i].type;
        }
    }
    return social ? "SOCIAL_MEDIA" : "OTHER";
}

/* Whether a unified url goes into social_links: by its type when it has
 * one, else by its host. */
static bool is_social(const char *type, const char *url)
{
    if (type)
        return strcmp(type, "SOCIAL_MEDIA") == 0 || strcmp(type, "LINKEDIN") == 0 ||
               strcmp(type, "GITHUB") == 0 || strcmp(type, "TWITTER") == 0;
    return strcmp(rt_url_type(url, false), "OTHER") != 0;
}

/* A list of {value, type} as Recruitee's list of strings; types are lost. */
static json_t *values_of(uats_call *call, const json_t *list, const char *field,
                         const char *what)
{
    json_t *out = json_array(), *entry;
    size_t i;
    json_array_foreach(list, i, entry) {
        json_array_append(out, json_object_get(entry, "value"));
        if (json_object_get(entry, "type")) {
            char path[64];
            snprintf(path, sizeof path, "%s[%zu].type", field, i);
            uats_host->warn(call, path, "Recruitee stores %s without a type", what);
        }
    }
    return out;
}

static void map_urls(uats_call *call, const json_t *urls, json_t *cand)
{
    json_t *links = json_array(), *social = json_array(), *u;
    size_t i;
    bool plain_seen = false;
    json_array_foreach(urls, i, u) {
        const char *value = json_string_value(json_object_get(u, "value"));
        const char *type = json_string_value(json_object_get(u, "type"));
        bool s = is_social(type, value);
        const char *back = rt_url_type(value, s);
        char path[64];
        json_array_append(s ? social : links, json_object_get(u, "value"));
        if (type && strcmp(type, back) != 0) {
            snprintf(path, sizeof path, "urls[%zu].type", i);
            uats_host->warn(call, path, "Recruitee stores links without a type; it will "
                            "read back as %s", back);
        }
        /* Recruitee keeps the two lists apart: social profiles read back
         * first, so one that followed a plain link changes places. */
        if (s && plain_seen) {
            snprintf(path, sizeof path, "urls[%zu]", i);
            uats_host->warn(call, path, "Recruitee keeps social profiles apart from other "
                            "links; this one reads back before them");
        }
        plain_seen |= !s;
    }
    if (json_array_size(social))
        json_object_set(cand, "social_links", social);
    if (json_array_size(links))
        json_object_set(cand, "links", links);
    json_decref(social);
    json_decref(links);
}

static uats_code map_application(uats_call *call, const json_t *app, json_t *body)
{
    const char *job = json_string_value(json_object_get(app, "job_id"));
    if (job) {
        if (!rt_is_id(job))
            return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "application.job_id",
                                         NULL, "Recruitee offer ids are numbers, not \"%s\" "
                                         "(nothing was sent)", job);
        json_object_set_new(body, "offers",
                            json_pack("[I]", (json_int_t)strtoll(job, NULL, 10)));
    }
    static const char *const parts[][2] = {
        {"stage_id", "Recruitee's create puts the candidate in the offer's first stage"},
        {"source", "Recruitee's create takes no application source"},
        {"screening_answers", "Recruitee's ATS create takes no screening answers"},
        {"form_answers", "Recruitee's ATS create takes no form answers"}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (json_object_get(app, parts[i][0])) {
            char path[64];
            snprintf(path, sizeof path, "application.%s", parts[i][0]);
            uats_host->warn(call, path, "%s", parts[i][1]);
        }
    }
    return UATS_OK;
}

uats_code rt_create_body(uats_call *call, const json_t *input, json_t **body)
{
    const char *first = json_string_value(json_object_get(input, "first_name"));
    const char *last = json_string_value(json_object_get(input, "last_name"));
    json_t *v;
    *body = NULL;
    if ((!first || !*first) && (!last || !*last))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "first_name", NULL,
                                     "Recruitee needs a candidate's name: give first_name or "
                                     "last_name (nothing was sent)");
    json_t *cand = json_object(), *b = json_object();
    if (!cand || !b) {
        json_decref(cand);
        json_decref(b);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    size_t n = (first ? strlen(first) : 0) + (last ? strlen(last) : 0) + 2;
    char *name = uats_host->alloc(n);
    if (!name) {
        json_decref(cand);
        json_decref(b);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    snprintf(name, n, "%s%s%s", first ? first : "", first && *first && last && *last ? " " : "",
             last ? last : "");
    json_object_set_new(cand, "name", json_string(name));
    uats_host->free(name);

    if ((v = json_object_get(input, "email_addresses")))
        json_object_set_new(cand, "emails", values_of(call, v, "email_addresses", "e-mails"));
    if ((v = json_object_get(input, "phone_numbers")))
        json_object_set_new(cand, "phones", values_of(call, v, "phone_numbers", "phones"));
    if ((v = json_object_get(input, "urls")))
        map_urls(call, v, cand);
    for (const char *const *f = unstorable; *f; f++)
        if (json_object_get(input, *f))
            uats_host->warn(call, *f, "Recruitee's candidate create has no field for %s", *f);
    if (json_object_get(input, "id"))
        uats_host->warn(call, "id", "Recruitee chooses candidate ids itself");
    if (json_object_get(input, "acting_user"))
        uats_host->warn(call, "acting_user", "Recruitee records every write as the API "
                        "token's user; acting_user was not used");

    uats_code rc = UATS_OK;
    json_t *app = json_object_get(input, "application");
    if (app)
        rc = map_application(call, app, b);
    /* remote_fields last, into the candidate object: the host's explicit
     * word wins. */
    json_t *extra = json_object_get(input, "remote_fields");
    if (rc == UATS_OK && extra && json_object_update(cand, extra) != 0)
        rc = uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    if (rc != UATS_OK) {
        json_decref(cand);
        json_decref(b);
        return rc;
    }
    json_object_set_new(b, "candidate", cand);
    *body = b;
    return UATS_OK;
}

void rt_attachment_warnings(uats_call *call, const json_t *input, const char *path)
{
    char field[96];
    const char *type = json_string_value(json_object_get(input, "type"));
    if (type && strcmp(type, "OTHER") != 0) {
        snprintf(field, sizeof field, "%s%stype", path, *path ? "." : "");
        uats_host->warn(call, field, "Recruitee keeps uploaded files as plain attachments, not "
                        "in its CV slot; the file reads back as OTHER");
    }
    if (json_object_get(input, "application_id")) {
        snprintf(field, sizeof field, "%s%sapplication_id", path, *path ? "." : "");
        uats_host->warn(call, field, "Recruitee keeps files on the candidate; application_id "
                        "was not used");
    }
}

const char *rt_input_field(const char *rt_field)
{
    static const char *const map[][2] = {
        {"name", "first_name"}, {"emails", "email_addresses"}, {"phones", "phone_numbers"},
        {"links", "urls"}, {"social_links", "urls"}, {"offers", "application.job_id"},
        {"offer_id", "application.job_id"}, {"offer_ids", "application.job_id"}};
    for (size_t i = 0; rt_field && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], rt_field) == 0)
            return map[i][1];
    return NULL;
}

/* ---- Recruitee -> unified ---- */

static void set_time(json_t *out, const char *key, const json_t *text)
{
    char when[UATS_TIME_SIZE];
    if (uats_host->time_normalize(json_string_value(text), when) == UATS_OK)
        json_object_set_new(out, key, json_string(when));
}

static void split_name(json_t *out, const char *name)
{
    while (isspace((unsigned char)*name))
        name++;
    size_t n = strcspn(name, " \t");
    const char *rest = name + n;
    while (isspace((unsigned char)*rest))
        rest++;
    size_t r = strlen(rest);
    while (r && isspace((unsigned char)rest[r - 1]))
        r--;
    if (n)
        json_object_set_new(out, "first_name", json_stringn(name, n));
    if (r)
        json_object_set_new(out, "last_name", json_stringn(rest, r));
}

static void add_urls(json_t *urls, const json_t *list, bool social)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && *json_string_value(v))
            json_array_append_new(urls, json_pack("{s:O, s:s}", "value", v, "type",
                                                  rt_url_type(json_string_value(v), social)));
}

/* Ids are numbers at Recruitee, strings in the unified model. */
static json_t *id_text(const json_t *id)
{
    char text[32];
    if (!json_is_integer(id))
        return NULL;
    snprintf(text, sizeof text, "%lld", (long long)json_integer_value(id));
    return json_string(text);
}

static json_t *strings_of(const json_t *list)
{
    json_t *out = json_array(), *v;
    size_t i;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && *json_string_value(v))
            json_array_append_new(out, json_pack("{s:O}", "value", v));
    return out;
}

json_t *rt_to_candidate(uats_call *call, const json_t *cand, const json_t *attachments)
{
    json_t *id = id_text(json_object_get(cand, "id")), *v;
    if (!id) {
        uats_host->fail(call, UATS_E_VENDOR, "Recruitee's candidate has no numeric id");
        return NULL;
    }
    json_t *out = json_pack("{s:O, s:O}", "id", id, "remote_id", id);
    json_decref(id);
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *name = json_string_value(json_object_get(cand, "name"));
    if (name)
        split_name(out, name);
    json_object_set_new(out, "email_addresses", strings_of(json_object_get(cand, "emails")));
    json_object_set_new(out, "phone_numbers", strings_of(json_object_get(cand, "phones")));
    json_t *urls = json_array();
    add_urls(urls, json_object_get(cand, "social_links"), true);
    add_urls(urls, json_object_get(cand, "links"), false);
    json_object_set_new(out, "urls", urls);

    json_t *tags = json_array();
    size_t i;
    json_array_foreach(json_object_get(cand, "tags"), i, v) {
        /* Strings, or tag objects with a name. */
        json_t *t = json_is_object(v) ? json_object_get(v, "name") : v;
        if (json_is_string(t) && *json_string_value(t))
            json_array_append(tags, t);
    }
    json_object_set_new(out, "tags", tags);

    json_t *apps = json_array();
    json_array_foreach(json_object_get(cand, "placements"), i, v) {
        json_t *pid = id_text(json_object_get(v, "id"));
        if (pid)
            json_array_append_new(apps, pid);
    }
    json_object_set_new(out, "applications", apps);
    if (attachments) {
        json_t *ids = json_array();
        json_array_foreach(attachments, i, v) {
            json_t *aid = id_text(json_object_get(v, "id"));
            if (aid)
                json_array_append_new(ids, aid);
        }
        json_object_set_new(out, "attachments", ids);
    }
    const char *photo = json_string_value(json_object_get(cand, "photo_url"));
    if (photo && *photo)
        json_object_set_new(out, "avatar", json_string(photo));
    set_time(out, "remote_created_at", json_object_get(cand, "created_at"));
    set_time(out, "remote_updated_at", json_object_get(cand, "updated_at"));
    /* Shared, not copied: the caller's answer is freed, this reference
     * keeps the vendor's object alive for the unified one. */
    json_object_set(out, "remote_data", (json_t *)cand);
    return out;
}

json_t *rt_to_attachment(uats_call *call, const json_t *att, const char *candidate_id,
                         const json_t *input)
{
    json_t *id = id_text(json_object_get(att, "id"));
    if (!id) {
        uats_host->fail(call, UATS_E_VENDOR, "Recruitee's attachment has no numeric id");
        return NULL;
    }
    json_t *out = json_pack("{s:O, s:O, s:s, s:s}", "id", id, "remote_id", id, "candidate_id",
                            candidate_id, "type", "OTHER");
    json_decref(id);
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    json_t *name = json_object_get(att, "filename");
    if (!json_is_string(name))
        name = json_object_get(input, "file_name");
    if (json_is_string(name))
        json_object_set(out, "file_name", name);
    json_t *url = json_object_get(att, "url");
    if (json_is_string(url) && *json_string_value(url))
        json_object_set(out, "file_url", url);
    json_t *ct = json_object_get(input, "content_type");
    if (json_is_string(ct))
        json_object_set(out, "content_type", ct);
    set_time(out, "remote_created_at", json_object_get(att, "created_at"));
    json_object_set_new(out, "remote_data", json_deep_copy(att));
    return out;
}
