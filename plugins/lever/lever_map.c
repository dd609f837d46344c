/*
 * plugins/lever/lever_map.c: Lever's opportunity JSON <-> the unified
 * model. The rules are listed in plugins/lever/README.md.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lever.h"

/* ---- unified -> Lever ---- */

/* Unified fields Lever has no place for: each one given is a warning. */
static const char *const unstorable[] = {
    "is_private", "can_email", "avatar", "custom_fields", "gender", "date_of_birth",
    "address", "summary", "skills", "education", "experience", "certifications",
    "visa_statuses", "veteran_status", "disability_status", "races",
    "highest_education_level", "contact_consent", "is_internal", "is_anonymized",
    "salary_expectations", "availability_date", "id", NULL};

static const char *phone_type(const char *unified)
{
    static const char *const map[][2] = {{"HOME", "home"}, {"WORK", "work"},
                                         {"MOBILE", "mobile"}, {"SKYPE", "skype"},
                                         {"OTHER", "other"}};
    for (size_t i = 0; unified && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], unified) == 0)
            return map[i][1];
    return NULL;
}

static void warn_types(uats_call *call, const json_t *list, const char *field,
                       const char *what)
{
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry) {
        if (json_object_get(entry, "type")) {
            char path[64];
            snprintf(path, sizeof path, "%s[%zu].type", field, i);
            uats_host->warn(call, path, "Lever stores %s without a type", what);
        }
    }
}

static json_t *values_of(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry)
        json_array_append(out, json_object_get(entry, "value"));
    return out;
}

static char *headline_of(const json_t *input)
{
    const char *title = json_string_value(json_object_get(input, "title"));
    const char *company = json_string_value(json_object_get(input, "company"));
    size_t n = (title ? strlen(title) : 0) + (company ? strlen(company) : 0) + 8;
    char *out;
    if (!title && !company)
        return NULL;
    if (!(out = uats_host->alloc(n)))
        return NULL;
    if (title && company)
        snprintf(out, n, "%s at %s", title, company);
    else
        snprintf(out, n, "%s", title ? title : company);
    return out;
}

static uats_code add_upload(uats_call *call, lever_upload **uploads, size_t *n,
                            const char *part, const json_t *att)
{
    lever_upload *grown = uats_host->alloc((*n + 1) * sizeof *grown);
    if (!grown)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    if (*n)
        memcpy(grown, *uploads, *n * sizeof *grown);
    uats_host->free(*uploads);
    *uploads = grown;
    lever_upload *u = &grown[*n];
    u->part = part;
    u->file_name = json_string_value(json_object_get(att, "file_name"));
    u->content_type = json_string_value(json_object_get(att, "content_type"));
    u->data = uats_host->base64_decode(call, json_string_value(json_object_get(att, "data")),
                                       &u->len);
    if (!u->data)
        return UATS_E_NOMEM;
    (*n)++;
    return UATS_OK;
}

void lever_uploads_free(lever_upload *uploads, size_t n)
{
    for (size_t i = 0; i < n; i++)
        uats_host->free(uploads[i].data);
    uats_host->free(uploads);
}

uats_code lever_create_body(uats_call *call, const json_t *input, json_t **body,
                            lever_upload **uploads, size_t *nuploads)
{
    json_t *b = json_object(), *v;
    uats_code rc = UATS_OK;
    *uploads = NULL;
    *nuploads = 0;
    *body = NULL;
    if (!b)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");

    const char *first = json_string_value(json_object_get(input, "first_name"));
    const char *last = json_string_value(json_object_get(input, "last_name"));
    if (first || last) {
        char name[512];
        snprintf(name, sizeof name, "%s%s%s", first ? first : "", first && last ? " " : "",
                 last ? last : "");
        json_object_set_new(b, "name", json_string(name));
    }
    char *headline = headline_of(input);
    if (headline) {
        json_object_set_new(b, "headline", json_string(headline));
        uats_host->free(headline);
    }
    if ((v = json_object_get(input, "email_addresses"))) {
        json_object_set_new(b, "emails", values_of(v));
        warn_types(call, v, "email_addresses", "emails");
    }
    if ((v = json_object_get(input, "phone_numbers"))) {
        json_t *phones = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(v, i, p) {
            json_t *entry = json_pack("{s:O}", "value", json_object_get(p, "value"));
            const char *t = phone_type(json_string_value(json_object_get(p, "type")));
            if (t)
                json_object_set_new(entry, "type", json_string(t));
            json_array_append_new(phones, entry);
        }
        json_object_set_new(b, "phones", phones);
    }
    if ((v = json_object_get(input, "urls"))) {
        json_object_set_new(b, "links", values_of(v));
        /* Types come back inferred from the host; only say so when the
         * inference would not give the same answer. */
        size_t i;
        json_t *u;
        json_array_foreach(v, i, u) {
            const char *t = json_string_value(json_object_get(u, "type"));
            if (t && strcmp(t, lever_url_type(json_string_value(json_object_get(u, "value")))) != 0) {
                char path[64];
                snprintf(path, sizeof path, "urls[%zu].type", i);
                uats_host->warn(call, path, "Lever stores links without a type; it will read "
                                "back as %s", lever_url_type(json_string_value(json_object_get(u, "value"))));
            }
        }
    }
    if ((v = json_object_get(input, "locations"))) {
        json_object_set(b, "location", json_array_get(v, 0));
        for (size_t i = 1; i < json_array_size(v); i++) {
            char path[64];
            snprintf(path, sizeof path, "locations[%zu]", i);
            uats_host->warn(call, path, "Lever keeps one location per candidate");
        }
    }
    if ((v = json_object_get(input, "location"))) {
        if (json_object_get(b, "location")) {
            uats_host->warn(call, "location", "Lever keeps one location; locations[0] was used");
        } else {
            char text[256] = "";
            static const char *const parts[] = {"city", "region", "country"};
            for (size_t i = 0; i < 3; i++) {
                const char *p = json_string_value(json_object_get(v, parts[i]));
                if (p) {
                    size_t used = strlen(text);
                    snprintf(text + used, sizeof text - used, "%s%s", used ? ", " : "", p);
                }
            }
            json_object_set_new(b, "location", json_string(text));
        }
    }
    if ((v = json_object_get(input, "tags")))
        json_object_set(b, "tags", v);

    json_t *app = json_object_get(input, "application");
    if (app) {
        const char *source = json_string_value(json_object_get(app, "source"));
        if (source)
            json_object_set_new(b, "origin", json_string(strcmp(source, "lead") == 0
                                                             ? "sourced" : "applied"));
        if ((v = json_object_get(app, "job_id")))
            json_object_set_new(b, "postings", json_pack("[O]", v));
        if ((v = json_object_get(app, "stage_id")))
            json_object_set(b, "stage", v);
        if (json_object_get(app, "screening_answers"))
            uats_host->warn(call, "application.screening_answers",
                            "Lever's create call takes no screening answers");
        if (json_object_get(app, "form_answers"))
            uats_host->warn(call, "application.form_answers",
                            "Lever's create call takes no form answers");
    }
    for (const char *const *f = unstorable; *f; f++)
        if (json_object_get(input, *f))
            uats_host->warn(call, *f, "Lever has no field for %s", *f);

    /* Files: the first resume is Lever's resumeFile, the rest are files. */
    size_t i;
    json_t *att;
    bool have_resume = false;
    json_array_foreach(json_object_get(input, "attachments"), i, att) {
        char path[64];
        snprintf(path, sizeof path, "attachments[%zu]", i);
        if (!json_object_get(att, "data")) {
            uats_host->warn(call, path, "Lever takes file contents; a file given by URL "
                            "was not sent (download it and pass data)");
            continue;
        }
        if (json_object_get(att, "application_id")) {
            char apath[80];
            snprintf(apath, sizeof apath, "%s.application_id", path);
            uats_host->warn(call, apath, "the file goes on the opportunity being created");
        }
        const char *type = json_string_value(json_object_get(att, "type"));
        bool resume = type && strcmp(type, "RESUME") == 0 && !have_resume;
        have_resume |= resume;
        if (!resume && type && strcmp(type, "OTHER") != 0) {
            char tpath[80];
            snprintf(tpath, sizeof tpath, "%s.type", path);
            uats_host->warn(call, tpath, "Lever keeps one resume; other files have no type");
        }
        if ((rc = add_upload(call, uploads, nuploads, resume ? "resumeFile" : "files", att)))
            goto fail;
    }

    /* remote_fields last: the host's explicit word wins. */
    json_t *extra = json_object_get(input, "remote_fields");
    if (extra && json_object_update(b, extra) != 0) {
        rc = uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        goto fail;
    }
    *body = b;
    return UATS_OK;
fail:
    json_decref(b);
    lever_uploads_free(*uploads, *nuploads);
    *uploads = NULL;
    *nuploads = 0;
    return rc;
}

/* ---- Lever -> unified ---- */

const char *lever_url_type(const char *url)
{
    static const struct { const char *host, *type; } known[] = {
        {"linkedin.com", "LINKEDIN"}, {"github.com", "GITHUB"},
        {"twitter.com", "TWITTER"}, {"x.com", "TWITTER"}};
    const char *host = url ? strstr(url, "://") : NULL;
    if (!host)
        return "OTHER";
    host += 3;
    size_t len = strcspn(host, "/:?#");
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t k = strlen(known[i].host);
        /* The host itself or a subdomain of it (www.linkedin.com). */
        if (len >= k && strncasecmp(host + len - k, known[i].host, k) == 0 &&
            (len == k || host[len - k - 1] == '.'))
            return known[i].type;
    }
    return "OTHER";
}

void lever_split_name(const char *name, char *first, size_t first_size, char *last,
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
    /* No trailing blanks on the last name. */
    size_t l = strlen(last);
    while (l && isspace((unsigned char)last[l - 1]))
        last[--l] = '\0';
}

static void set_time(json_t *out, const char *key, const json_t *ms)
{
    char when[UATS_TIME_SIZE];
    if (json_is_integer(ms) &&
        uats_host->time_from_epoch_ms((int64_t)json_integer_value(ms), when) == UATS_OK)
        json_object_set_new(out, key, json_string(when));
}

static void headline_to(json_t *out, const char *headline)
{
    const char *at = NULL;
    for (const char *p = headline; (p = strstr(p, " at ")) != NULL; p += 4)
        at = p;
    if (at) {
        json_object_set_new(out, "title", json_stringn(headline, (size_t)(at - headline)));
        json_object_set_new(out, "company", json_string(at + 4));
    } else {
        /* Lever's own headlines list past organisations, latest first. */
        size_t n = strcspn(headline, ",");
        json_object_set_new(out, "company", json_stringn(headline, n));
    }
}

json_t *lever_to_candidate(uats_call *call, const json_t *opp, const json_t *attachment_ids)
{
    json_t *out = json_object(), *v;
    const char *id = json_string_value(json_object_get(opp, "id"));
    if (!out || !id) {
        json_decref(out);
        uats_host->fail(call, out ? UATS_E_VENDOR : UATS_E_NOMEM,
                        out ? "Lever's opportunity has no id" : "out of memory");
        return NULL;
    }
    json_object_set_new(out, "id", json_string(id));
    json_object_set_new(out, "remote_id", json_string(id));
    const char *name = json_string_value(json_object_get(opp, "name"));
    if (name && *name) {
        char first[256], last[256];
        lever_split_name(name, first, sizeof first, last, sizeof last);
        json_object_set_new(out, "first_name", json_string(first));
        if (*last)
            json_object_set_new(out, "last_name", json_string(last));
    }
    const char *headline = json_string_value(json_object_get(opp, "headline"));
    if (headline && *headline)
        headline_to(out, headline);
    if ((v = json_object_get(opp, "location")) && json_is_string(v) && *json_string_value(v))
        json_object_set_new(out, "locations", json_pack("[O]", v));
    if (json_is_string(json_object_get(opp, "confidentiality")))
        json_object_set_new(out, "is_private",
                            json_boolean(strcmp(json_string_value(json_object_get(
                                                    opp, "confidentiality")),
                                                "confidential") == 0));

    json_t *emails = json_array();
    size_t i;
    json_array_foreach(json_object_get(opp, "emails"), i, v)
        if (json_is_string(v))
            json_array_append_new(emails, json_pack("{s:O}", "value", v));
    json_object_set_new(out, "email_addresses", emails);

    json_t *phones = json_array();
    json_array_foreach(json_object_get(opp, "phones"), i, v) {
        const char *value = json_string_value(json_object_get(v, "value"));
        const char *type = json_string_value(json_object_get(v, "type"));
        if (!value)
            continue;
        json_t *p = json_pack("{s:s}", "value", value);
        if (type) {
            char upper[16];
            size_t k = 0;
            for (; type[k] && k < sizeof upper - 1; k++)
                upper[k] = (char)toupper((unsigned char)type[k]);
            upper[k] = '\0';
            static const char *const known[] = {"HOME", "WORK", "MOBILE", "SKYPE", "OTHER"};
            const char *t = "OTHER";
            for (size_t j = 0; j < 5; j++)
                if (strcmp(known[j], upper) == 0)
                    t = known[j];
            json_object_set_new(p, "type", json_string(t));
        }
        json_array_append_new(phones, p);
    }
    json_object_set_new(out, "phone_numbers", phones);

    json_t *urls = json_array();
    json_array_foreach(json_object_get(opp, "links"), i, v)
        if (json_is_string(v))
            json_array_append_new(urls, json_pack("{s:O, s:s}", "value", v, "type",
                                                  lever_url_type(json_string_value(v))));
    json_object_set_new(out, "urls", urls);

    json_t *tags = json_array();
    json_array_foreach(json_object_get(opp, "tags"), i, v)
        if (json_is_string(v))
            json_array_append(tags, v);
    json_object_set_new(out, "tags", tags);

    json_t *apps = json_array();
    json_array_foreach(json_object_get(opp, "applications"), i, v) {
        /* Ids, or objects when the caller expanded them. */
        json_t *app_id = json_is_object(v) ? json_object_get(v, "id") : v;
        if (json_is_string(app_id))
            json_array_append(apps, app_id);
    }
    json_object_set_new(out, "applications", apps);
    if (attachment_ids)
        json_object_set_new(out, "attachments", json_deep_copy(attachment_ids));

    set_time(out, "remote_created_at", json_object_get(opp, "createdAt"));
    set_time(out, "remote_updated_at", json_object_get(opp, "updatedAt"));
    set_time(out, "last_interaction_at", json_object_get(opp, "lastInteractionAt"));
    if (json_is_boolean(json_object_get(opp, "isAnonymized")))
        json_object_set(out, "is_anonymized", json_object_get(opp, "isAnonymized"));
    /* Shared, not copied: the caller's answer is freed, this reference
     * keeps the vendor's object alive for the unified one. */
    json_object_set(out, "remote_data", (json_t *)opp);
    return out;
}

json_t *lever_to_attachment(uats_call *call, const json_t *file, const char *candidate_id,
                            const char *content_type, const char *type)
{
    const char *id = json_string_value(json_object_get(file, "id"));
    if (!id) {
        uats_host->fail(call, UATS_E_VENDOR, "Lever's file has no id");
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "remote_id", id, "candidate_id",
                            candidate_id, "type", type);
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    json_t *v;
    if ((v = json_object_get(file, "name")) && json_is_string(v))
        json_object_set(out, "file_name", v);
    if ((v = json_object_get(file, "downloadUrl")) && json_is_string(v))
        json_object_set(out, "file_url", v);
    if (content_type)
        json_object_set_new(out, "content_type", json_string(content_type));
    if ((v = json_object_get(file, "size")) && json_is_integer(v))
        json_object_set(out, "size", v);
    set_time(out, "remote_created_at", json_object_get(file, "uploadedAt"));
    json_object_set_new(out, "remote_data", json_deep_copy(file));
    return out;
}
