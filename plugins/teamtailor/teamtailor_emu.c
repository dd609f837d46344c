/*
 * plugins/teamtailor/teamtailor_emu.c: Teamtailor's public API v1 as
 * docs/vendors/teamtailor.md describes it: JSON:API documents in and out
 * (application/vnd.api+json, 415 for another body type, 409 for a wrong
 * resource type), "Authorization: Token token=<key>" (401), a required
 * dated X-Api-Version (406 with Teamtailor's single-object error form,
 * echoed on success), string ids, times with an offset, unique e-mails
 * unless "merge" or "sourced", job applications and uploads (by public URL,
 * never fetched here) as resources of their own, related lists paged with
 * page[size] <= 30 and links.next, 422 errors whose source.pointer names
 * the attribute or relationship, and X-Rate-Limit-* headers on every
 * answer with a fixed window answering 429 and Retry-After when enforced.
 *
 * Records live in JSON arrays under one mutex; an id is the index plus a
 * base, since nothing is ever deleted. Keys starting with '_' are
 * bookkeeping and never rendered.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "teamtailor_emu.h"

#define MEDIA "application/vnd.api+json"
#define CAND_BASE 1001
#define APP_BASE 5001
#define UPLOAD_BASE 9001
#define MAX_PAGE 30
#define DEFAULT_PAGE 10
#define FIRST_VERSION 20161108L

struct teamtailor_emu {
    pthread_mutex_t lock;
    char *api_key;
    char **jobs;
    size_t njobs;
    unsigned limit, window_s;
    json_t *cands, *apps, *uploads;
    double window_start;
    unsigned used;
    char base_url[128];
};

/* ---- helpers ---- */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Teamtailor answers local times with an offset: 2026-11-25T10:00:00.123+00:00. */
static void stamp(char out[64])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+00:00", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(ts.tv_nsec / 1000000));
}

static void reply(emu_response *resp, int status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    emu_resp_body(resp, status, MEDIA, text ? text : "{}", text ? strlen(text) : 2);
    free(text);
    json_decref(doc);
}

/* One JSON:API error, with a pointer when it names a member. */
static void error(emu_response *resp, int status, const char *title, const char *pointer,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void error(emu_response *resp, int status, const char *title, const char *pointer,
                  const char *fmt, ...)
{
    char detail[256], code[8];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    snprintf(code, sizeof code, "%d", status);
    json_t *e = json_pack("{s:s, s:s, s:s}", "status", code, "title", title, "detail", detail);
    if (pointer)
        json_object_set_new(e, "source", json_pack("{s:s}", "pointer", pointer));
    reply(resp, status, json_pack("{s:[o]}", "errors", e));
}

static bool valid_version(const char *v)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!v || strlen(v) != 8)
        return false;
    for (const char *p = v; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    long n = strtol(v, NULL, 10);
    int m = (int)(n / 100 % 100), d = (int)(n % 100);
    return n >= FIRST_VERSION && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

/* Credentials, API version and rate limit, for every route. Adds the
 * rate-limit headers. False when answered. */
static bool admit(teamtailor_emu *e, const emu_request *req, emu_response *resp)
{
    const char *auth = emu_req_header(req, "Authorization");
    const char *version = emu_req_header(req, "X-Api-Version");
    static const char scheme[] = "Token token=";
    unsigned limit = e->limit ? e->limit : 1000, window = e->window_s ? e->window_s : 10;
    pthread_mutex_lock(&e->lock);
    double t = mono();
    if (t - e->window_start >= window) {
        e->window_start = t;
        e->used = 0;
    }
    bool over = e->limit && e->used >= e->limit;
    if (!over)
        e->used++;
    /* Without a limit the headers are there, with the static values the
     * docs warn about. */
    unsigned remaining = e->limit ? e->limit - e->used : limit;
    double left = e->window_start + window - t;
    pthread_mutex_unlock(&e->lock);
    char n[32];
    snprintf(n, sizeof n, "%u", limit);
    emu_resp_header(resp, "X-Rate-Limit-Limit", n);
    snprintf(n, sizeof n, "%u", remaining);
    emu_resp_header(resp, "X-Rate-Limit-Remaining", n);
    snprintf(n, sizeof n, "%d", e->limit ? (int)(left + 0.999) : (int)window);
    emu_resp_header(resp, "X-Rate-Limit-Reset", n);

    if (!auth || strncmp(auth, scheme, sizeof scheme - 1) != 0 || !e->api_key ||
        strcmp(auth + sizeof scheme - 1, e->api_key) != 0) {
        error(resp, 401, "Unauthorized", NULL, "Invalid or missing API key");
        return false;
    }
    if (!valid_version(version)) {
        /* Teamtailor's client reads this one error as an object, not a list. */
        json_t *doc = json_pack("{s:{s:s, s:s, s:s}}", "errors", "status", "406", "title",
                                "Not Acceptable", "detail", version
                                ? "The X-Api-Version header is not a valid API version"
                                : "The X-Api-Version header is required");
        reply(resp, 406, doc);
        return false;
    }
    if (over) {
        emu_resp_header(resp, "Retry-After", n);
        error(resp, 429, "Too Many Requests", NULL, "Rate limit exceeded, retry in %s seconds",
              n);
        return false;
    }
    emu_resp_header(resp, "X-Api-Version", version);
    return true;
}

/* The data object of a JSON:API write of the given type, or NULL (answered). */
static const json_t *document(const emu_request *req, emu_response *resp, const char *type)
{
    const char *ct = emu_req_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, MEDIA, strlen(MEDIA)) != 0) {
        error(resp, 415, "Unsupported Media Type", NULL, "Send %s documents", MEDIA);
        return NULL;
    }
    json_t *doc = emu_req_json(req), *data = json_object_get(doc, "data");
    if (!json_is_object(data)) {
        error(resp, 400, "Bad Request", "/data", "The document has no data object");
        return NULL;
    }
    const char *t = json_string_value(json_object_get(data, "type"));
    if (!t || strcmp(t, type) != 0) {
        error(resp, 409, "Conflict", "/data/type", "Expected type %s", type);
        return NULL;
    }
    json_t *attrs = json_object_get(data, "attributes");
    if (attrs && !json_is_object(attrs)) {
        error(resp, 400, "Bad Request", "/data/attributes", "attributes must be an object");
        return NULL;
    }
    return data;
}

/* The id of relationship `name` of a write ({data: {type, id}}), or NULL. */
static const char *relationship(const json_t *data, const char *name, const char *type)
{
    json_t *rel = json_object_get(json_object_get(json_object_get(data, "relationships"), name),
                                  "data");
    const char *t = json_string_value(json_object_get(rel, "type"));
    const char *id = json_string_value(json_object_get(rel, "id"));
    return t && id && strcmp(t, type) == 0 ? id : NULL;
}

/* The record with that id, or NULL. Under lock. */
static json_t *record(json_t *arr, long base, const char *id)
{
    char *end;
    long n = id ? strtol(id, &end, 10) : 0;
    if (!id || !*id || *end || n < base || n - base >= (long)json_array_size(arr))
        return NULL;
    return json_array_get(arr, (size_t)(n - base));
}

static json_t *links(const teamtailor_emu *e, const char *kind, const char *id,
                     const char *const *rels)
{
    char self[512];
    json_t *out = json_object();
    for (; *rels; rels++) {
        char rel[512], related[512];
        snprintf(rel, sizeof rel, "%s/v1/%s/%s/relationships/%s", e->base_url, kind, id, *rels);
        snprintf(related, sizeof related, "%s/v1/%s/%s/%s", e->base_url, kind, id, *rels);
        json_object_set_new(out, *rels, json_pack("{s:{s:s, s:s}}", "links", "self", rel,
                                                  "related", related));
    }
    snprintf(self, sizeof self, "%s/v1/%s/%s", e->base_url, kind, id);
    return json_pack("{s:s, s:s, s:{s:s}, s:o}", "id", id, "type", kind, "links", "self", self,
                     "relationships", out);
}

/* A resource object for a record: its attributes (a copy) and links. */
static json_t *render(const teamtailor_emu *e, const char *kind, const json_t *rec,
                      const char *const *rels)
{
    json_t *out = links(e, kind, json_string_value(json_object_get(rec, "id")), rels);
    json_object_set_new(out, "attributes", json_deep_copy(json_object_get(rec, "attributes")));
    return out;
}

static const char *const cand_rels[] = {"activities", "department", "role", "job-applications",
                                        "questions", "answers", "locations", "regions",
                                        "uploads", "custom-field-values", "partner-results",
                                        NULL};
static const char *const app_rels[] = {"candidate", "job", "stage", "reject-reason", NULL};
static const char *const upload_rels[] = {"candidate", "job", NULL};

/* ---- candidates ---- */

static const char *const cand_strings[] = {"first-name", "last-name", "email", "phone",
                                           "pitch", "picture", "linkedin-url", "linkedin-uid",
                                           "facebook-id", "referring-url", NULL};
static const char *const cand_bools[] = {"unsubscribed", "internal", "merge", "sourced",
                                         "set-consent-expiration", "send-welcome-message", NULL};
/* Attributes a write may not set (read only, or write once flags). */
static const char *const cand_read_only[] = {"connected", "created-at", "updated-at",
                                             "facebook-profile", "linkedin-profile",
                                             "original-resume", "referring-site", "referred",
                                             "resume", NULL};

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

/* Check a candidate's attributes; false when answered. */
static bool check_candidate(emu_response *resp, const json_t *attrs)
{
    const char *key;
    json_t *v;
    char pointer[128];
    json_object_foreach((json_t *)attrs, key, v) {
        snprintf(pointer, sizeof pointer, "/data/attributes/%s", key);
        if (one_of(key, cand_read_only)) {
            error(resp, 422, "Unprocessable Entity", pointer, "%s is read only", key);
            return false;
        }
        bool str = one_of(key, cand_strings), boolean = one_of(key, cand_bools);
        if (!str && !boolean && strcmp(key, "tags") != 0) {
            error(resp, 422, "Unprocessable Entity", pointer, "%s is not an attribute of "
                  "candidates", key);
            return false;
        }
        if ((str && !json_is_string(v) && !json_is_null(v)) ||
            (boolean && !json_is_boolean(v))) {
            error(resp, 422, "Unprocessable Entity", pointer, "%s must be a %s", key,
                  str ? "string" : "boolean");
            return false;
        }
        if (strcmp(key, "tags") == 0) {
            size_t i;
            json_t *t;
            bool ok = json_is_array(v);
            json_array_foreach(v, i, t)
                ok &= json_is_string(t);
            if (!ok) {
                error(resp, 422, "Unprocessable Entity", pointer, "tags must be a list of "
                      "strings");
                return false;
            }
        }
    }
    const char *email = json_string_value(json_object_get(attrs, "email"));
    if (email && (!strchr(email, '@') || strchr(email, ' '))) {
        error(resp, 422, "Unprocessable Entity", "/data/attributes/email", "email - is invalid");
        return false;
    }
    if ((!email || !*email) && !json_is_true(json_object_get(attrs, "sourced"))) {
        error(resp, 422, "Unprocessable Entity", "/data/attributes/email",
              "email - can't be blank");
        return false;
    }
    return true;
}

/* The stored candidate with this e-mail (any case), or NULL. Under lock. */
static json_t *by_email(teamtailor_emu *e, const char *email)
{
    size_t i;
    json_t *c;
    json_array_foreach(e->cands, i, c) {
        const char *have = json_string_value(json_object_get(json_object_get(c, "attributes"),
                                                             "email"));
        if (email && have && strcasecmp(have, email) == 0)
            return c;
    }
    return NULL;
}

static void on_create_candidate(const emu_request *req, emu_response *resp, void *ud)
{
    teamtailor_emu *e = ud;
    const json_t *data;
    if (!admit(e, req, resp) || !(data = document(req, resp, "candidates")))
        return;
    json_t *in = json_object_get(data, "attributes");
    json_t *attrs = in ? json_deep_copy(in) : json_object();
    if (!check_candidate(resp, attrs)) {
        json_decref(attrs);
        return;
    }
    bool merge = json_is_true(json_object_get(attrs, "merge"));
    json_object_del(attrs, "merge");
    json_object_del(attrs, "send-welcome-message");
    json_object_del(attrs, "set-consent-expiration");
    char ts[64];
    stamp(ts);
    pthread_mutex_lock(&e->lock);
    const char *email = json_string_value(json_object_get(attrs, "email"));
    json_t *c = email && *email ? by_email(e, email) : NULL;
    if (c && !merge) {
        pthread_mutex_unlock(&e->lock);
        json_decref(attrs);
        error(resp, 422, "Unprocessable Entity", "/data/attributes/email",
              "email - has already been taken");
        return;
    }
    if (c) {
        json_object_update(json_object_get(c, "attributes"), attrs);
    } else {
        char id[24];
        snprintf(id, sizeof id, "%ld", CAND_BASE + (long)json_array_size(e->cands));
        json_t *a = json_pack("{s:b, s:s, s:n, s:n, s:n, s:n, s:b, s:n, s:n, s:n, s:n, s:n, "
                              "s:n, s:n, s:b, s:n, s:b, s:b, s:[], s:n, s:n}",
                              "connected", 0, "created-at", ts, "email", "facebook-id",
                              "first-name", "last-name", "internal", 0, "linkedin-uid",
                              "linkedin-url", "original-resume", "phone", "picture", "pitch",
                              "referring-site", "referred", 0, "referring-url", "sourced", 0,
                              "unsubscribed", 0, "tags", "facebook-profile",
                              "linkedin-profile");
        json_object_update(a, attrs);
        json_object_set_new(a, "resume", json_null());
        c = json_pack("{s:s, s:o, s:[], s:[]}", "id", id, "attributes", a, "_apps", "_uploads");
        json_array_append_new(e->cands, c);
    }
    json_object_set_new(json_object_get(c, "attributes"), "updated-at", json_string(ts));
    json_t *out = render(e, "candidates", c, cand_rels);
    pthread_mutex_unlock(&e->lock);
    json_decref(attrs);
    reply(resp, 201, json_pack("{s:o}", "data", out));
}

static void on_get_candidate(const emu_request *req, emu_response *resp, void *ud)
{
    teamtailor_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    const char *id = emu_req_param(req, "id");
    pthread_mutex_lock(&e->lock);
    json_t *c = record(e->cands, CAND_BASE, id);
    json_t *out = c ? render(e, "candidates", c, cand_rels) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!out)
        return error(resp, 404, "Record not found", NULL, "The record identified by %s could "
                     "not be found.", id);
    reply(resp, 200, json_pack("{s:o}", "data", out));
}

/* A page of a candidate's related resources, JSON:API style. */
static void related(const emu_request *req, emu_response *resp, teamtailor_emu *e,
                    const char *what)
{
    if (!admit(e, req, resp))
        return;
    const char *id = emu_req_param(req, "id");
    const char *size_s = emu_req_query(req, "page[size]");
    const char *number_s = emu_req_query(req, "page[number]");
    char *end = NULL;
    long size = size_s ? strtol(size_s, &end, 10) : DEFAULT_PAGE;
    if (size_s && (*end || size < 1 || size > MAX_PAGE))
        return error(resp, 400, "Invalid page value", NULL, "page[size] must be from 1 to %d",
                     MAX_PAGE);
    long number = number_s ? strtol(number_s, &end, 10) : 1;
    if (number_s && (*end || number < 1))
        return error(resp, 400, "Invalid page value", NULL, "page[number] must be 1 or more");
    bool apps = strcmp(what, "job-applications") == 0;
    pthread_mutex_lock(&e->lock);
    json_t *c = record(e->cands, CAND_BASE, id), *rows = NULL;
    size_t total = 0;
    if (c) {
        json_t *ids = json_object_get(c, apps ? "_apps" : "_uploads");
        total = json_array_size(ids);
        rows = json_array();
        for (size_t i = (size_t)((number - 1) * size); i < total && i < (size_t)(number * size);
             i++) {
            const char *rid = json_string_value(json_array_get(ids, i));
            json_t *rec = apps ? record(e->apps, APP_BASE, rid)
                               : record(e->uploads, UPLOAD_BASE, rid);
            json_array_append_new(rows, render(e, what, rec, apps ? app_rels : upload_rels));
        }
    }
    pthread_mutex_unlock(&e->lock);
    if (!c)
        return error(resp, 404, "Record not found", NULL, "The record identified by %s could "
                     "not be found.", id);
    long pages = total ? (long)((total + (size_t)size - 1) / (size_t)size) : 1;
    char first[512], last[512], next[512];
    snprintf(first, sizeof first, "%s/v1/candidates/%s/%s?page%%5Bnumber%%5D=1&page%%5Bsize%%5D=%ld",
             e->base_url, id, what, size);
    snprintf(last, sizeof last, "%s/v1/candidates/%s/%s?page%%5Bnumber%%5D=%ld&page%%5Bsize%%5D=%ld",
             e->base_url, id, what, pages, size);
    json_t *lk = json_pack("{s:s, s:s}", "first", first, "last", last);
    if (number < pages) {
        snprintf(next, sizeof next,
                 "%s/v1/candidates/%s/%s?page%%5Bnumber%%5D=%ld&page%%5Bsize%%5D=%ld",
                 e->base_url, id, what, number + 1, size);
        json_object_set_new(lk, "next", json_string(next));
    }
    reply(resp, 200, json_pack("{s:o, s:{s:I, s:I}, s:o}", "data", rows, "meta", "record-count",
                               (json_int_t)total, "page-count", (json_int_t)pages, "links", lk));
}

static void on_applications(const emu_request *req, emu_response *resp, void *ud)
{
    related(req, resp, ud, "job-applications");
}

static void on_uploads(const emu_request *req, emu_response *resp, void *ud)
{
    related(req, resp, ud, "uploads");
}

/* ---- job applications ---- */

static bool known_job(const teamtailor_emu *e, const char *id)
{
    for (size_t i = 0; id && i < e->njobs; i++)
        if (strcmp(e->jobs[i], id) == 0)
            return true;
    return false;
}

static void on_create_application(const emu_request *req, emu_response *resp, void *ud)
{
    teamtailor_emu *e = ud;
    const json_t *data;
    if (!admit(e, req, resp) || !(data = document(req, resp, "job-applications")))
        return;
    json_t *attrs = json_object_get(data, "attributes");
    const char *cand_id = relationship(data, "candidate", "candidates");
    const char *job_id = relationship(data, "job", "jobs");
    json_t *sourced = json_object_get(attrs, "sourced");
    json_t *letter = json_object_get(attrs, "cover-letter");
    if (sourced && !json_is_boolean(sourced))
        return error(resp, 422, "Unprocessable Entity", "/data/attributes/sourced",
                     "sourced must be a boolean");
    if (letter && !json_is_string(letter) && !json_is_null(letter))
        return error(resp, 422, "Unprocessable Entity", "/data/attributes/cover-letter",
                     "cover-letter must be a string");
    if (!known_job(e, job_id))
        return error(resp, 422, "Unprocessable Entity", "/data/relationships/job",
                     "job - must exist");
    char ts[64];
    stamp(ts);
    pthread_mutex_lock(&e->lock);
    json_t *c = record(e->cands, CAND_BASE, cand_id), *out = NULL;
    if (c) {
        char id[24];
        snprintf(id, sizeof id, "%ld", APP_BASE + (long)json_array_size(e->apps));
        json_t *a = json_pack("{s:s, s:{s:s, s:s, s:o, s:n, s:n, s:n, s:b, s:s}, s:s, s:s}",
                              "id", id, "attributes", "created-at", ts, "updated-at", ts,
                              "cover-letter", letter ? json_deep_copy(letter) : json_null(), "rejected-at",
                              "referring-url", "referring-site", "sourced",
                              json_is_true(sourced), "changed-stage-at", ts, "_candidate",
                              cand_id, "_job", job_id);
        json_array_append_new(e->apps, a);
        json_array_append_new(json_object_get(c, "_apps"), json_string(id));
        out = render(e, "job-applications", a, app_rels);
    }
    pthread_mutex_unlock(&e->lock);
    if (!out)
        return error(resp, 422, "Unprocessable Entity", "/data/relationships/candidate",
                     "candidate - must exist");
    reply(resp, 201, json_pack("{s:o}", "data", out));
}

/* ---- uploads ---- */

static void on_create_upload(const emu_request *req, emu_response *resp, void *ud)
{
    teamtailor_emu *e = ud;
    const json_t *data;
    if (!admit(e, req, resp) || !(data = document(req, resp, "uploads")))
        return;
    json_t *attrs = json_object_get(data, "attributes");
    const char *url = json_string_value(json_object_get(attrs, "url"));
    json_t *name = json_object_get(attrs, "file-name");
    const char *cand_id = relationship(data, "candidate", "candidates");
    if (!url || !*url)
        return error(resp, 422, "Unprocessable Entity", "/data/attributes/url",
                     "url - can't be blank");
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return error(resp, 422, "Unprocessable Entity", "/data/attributes/url",
                     "url - must be a public http(s) URL");
    if (name && !json_is_string(name))
        return error(resp, 422, "Unprocessable Entity", "/data/attributes/file-name",
                     "file-name must be a string");
    pthread_mutex_lock(&e->lock);
    json_t *c = record(e->cands, CAND_BASE, cand_id), *out = NULL;
    if (c) {
        char id[24], signed_url[1024];
        snprintf(id, sizeof id, "%ld", UPLOAD_BASE + (long)json_array_size(e->uploads));
        /* The file is not fetched here; the answer's URL stands for
         * Teamtailor's short-lived signed link to its copy. */
        snprintf(signed_url, sizeof signed_url, "%s/files/%s/%s?X-Amz-Expires=60", e->base_url,
                 id, json_is_string(name) ? json_string_value(name) : "file");
        json_t *u = json_pack("{s:s, s:{s:s, s:o, s:b}, s:s, s:s}", "id", id, "attributes",
                              "url", signed_url, "file-name",
                              name ? json_deep_copy(name) : json_null(),
                              "internal", 0, "_candidate", cand_id, "_source", url);
        json_array_append_new(e->uploads, u);
        json_array_append_new(json_object_get(c, "_uploads"), json_string(id));
        out = render(e, "uploads", u, upload_rels);
    }
    pthread_mutex_unlock(&e->lock);
    if (!out)
        return error(resp, 422, "Unprocessable Entity", "/data/relationships/candidate",
                     "candidate - must exist");
    reply(resp, 201, json_pack("{s:o}", "data", out));
}

static void on_unknown(const emu_request *req, emu_response *resp, void *ud)
{
    if (admit(ud, req, resp))
        error(resp, 404, "Not Found", NULL, "No route matches %s", emu_req_path(req));
}

/* ---- setup and accessors ---- */

teamtailor_emu *teamtailor_emu_install(emu_server *srv, const teamtailor_emu_config *cfg)
{
    static const char *const default_jobs[] = {"4711", "4712"};
    teamtailor_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->api_key = cfg->api_key ? strdup(cfg->api_key) : NULL;
    const char *const *jobs = cfg->job_ids ? cfg->job_ids : default_jobs;
    e->njobs = cfg->job_ids ? cfg->njob_ids : 2;
    e->jobs = calloc(e->njobs ? e->njobs : 1, sizeof *e->jobs);
    bool ok = e->jobs != NULL;
    for (size_t i = 0; ok && i < e->njobs; i++)
        ok = (e->jobs[i] = strdup(jobs[i])) != NULL;
    e->limit = cfg->limit;
    e->window_s = cfg->window_s;
    e->window_start = mono();
    e->cands = json_array();
    e->apps = json_array();
    e->uploads = json_array();
    snprintf(e->base_url, sizeof e->base_url, "%s", emu_base_url(srv));
    if (!ok || (cfg->api_key && !e->api_key) || !e->cands || !e->apps || !e->uploads ||
        emu_route(srv, "POST", "/v1/candidates", on_create_candidate, e) ||
        emu_route(srv, "GET", "/v1/candidates/:id", on_get_candidate, e) ||
        emu_route(srv, "GET", "/v1/candidates/:id/job-applications", on_applications, e) ||
        emu_route(srv, "GET", "/v1/candidates/:id/uploads", on_uploads, e) ||
        emu_route(srv, "POST", "/v1/job-applications", on_create_application, e) ||
        emu_route(srv, "POST", "/v1/uploads", on_create_upload, e) ||
        emu_route(srv, "*", "/v1/*", on_unknown, e)) {
        teamtailor_emu_free(e);
        return NULL;
    }
    return e;
}

void teamtailor_emu_free(teamtailor_emu *e)
{
    if (!e)
        return;
    json_decref(e->cands);
    json_decref(e->apps);
    json_decref(e->uploads);
    for (size_t i = 0; e->jobs && i < e->njobs; i++)
        free(e->jobs[i]);
    free(e->jobs);
    free(e->api_key);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

static size_t count(teamtailor_emu *e, const json_t *arr)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_array_size(arr);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t teamtailor_emu_candidate_count(teamtailor_emu *e)
{
    return count(e, e->cands);
}

size_t teamtailor_emu_application_count(teamtailor_emu *e)
{
    return count(e, e->apps);
}

size_t teamtailor_emu_upload_count(teamtailor_emu *e)
{
    return count(e, e->uploads);
}

json_t *teamtailor_emu_candidate(teamtailor_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    json_t *c = record(e->cands, CAND_BASE, id);
    json_t *out = c ? render(e, "candidates", c, cand_rels) : NULL;
    pthread_mutex_unlock(&e->lock);
    return out;
}

json_t *teamtailor_emu_upload(teamtailor_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    json_t *u = record(e->uploads, UPLOAD_BASE, id), *out = NULL;
    if (u) {
        out = render(e, "uploads", u, upload_rels);
        json_object_set_new(out, "_source", json_deep_copy(json_object_get(u, "_source")));
    }
    pthread_mutex_unlock(&e->lock);
    return out;
}

/* ---- uats-sandbox ---- */

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    /* The docs give no number; the sandbox enforces 50 per 10 s. */
    teamtailor_emu_config cfg = {.api_key = EMU_SANDBOX_KEY, .limit = rate_limit ? 50 : 0,
                                 .window_s = 10};
    return teamtailor_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    teamtailor_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I, s:I, s:I}", "candidates",
                     (json_int_t)teamtailor_emu_candidate_count(state), "job_applications",
                     (json_int_t)teamtailor_emu_application_count(state), "uploads",
                     (json_int_t)teamtailor_emu_upload_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    char url[256];
    (void)state;
    snprintf(url, sizeof url, "%s/v1", emu_base_url(srv));
    return emu_sandbox_write_json(dir, "teamtailor",
                                  json_pack("{s:s, s:s, s:{s:s}}", "connector", "teamtailor",
                                            "base_url", url, "credentials", "api_key",
                                            EMU_SANDBOX_KEY)) ||
           emu_sandbox_write_job(dir, "teamtailor", "4711");
}

const emu_sandbox_vendor teamtailor_sandbox = {"teamtailor", "/v1", sandbox_install,
                                               sandbox_free, sandbox_state, sandbox_configs};
