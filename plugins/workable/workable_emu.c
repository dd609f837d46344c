/*
 * plugins/workable/workable_emu.c: Workable's API v3 as documented
 * (docs/vendors/workable.md): Bearer tokens, {"error": ...} bodies with
 * validation_errors on 422, candidates created under a job's shortcode or
 * in the talent pool ({"candidate": {...}, "sourced": bool}, 201 with
 * {"status": "created", "candidate": ...}), one resume per candidate (a
 * URL or base64 data), GET /candidates/{id}, jobs listed in pages that
 * end with paging.next, ISO 8601 UTC times, and fixed 10 s rate-limit
 * intervals announced in X-Rate-Limit-* headers, answering 429.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "workable_emu.h"

struct workable_emu {
    pthread_mutex_t lock;
    workable_emu_config cfg;
    char *token, *subdomain;
    json_t *candidates;  /* id -> candidate as shown */
    json_t *resumes;     /* id -> {name, data (base64)} */
    json_t *by_email;    /* "<shortcode>|<lower-cased email>" -> id */
    json_t *jobs;        /* job objects, in creation order */
    json_t *last_create; /* the last create's body */
    unsigned long long counter;
    long long window;    /* the current 10 s interval (Unix time / 10) */
    unsigned used;       /* requests in it */
    char base_url[128];
};

/* ---- helpers ---- */

static void iso_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void error(emu_response *resp, int status, const char *message)
{
    emu_resp_json(resp, status, json_pack("{s:s}", "error", message));
}

static void invalid(emu_response *resp, const char *key, const char *message)
{
    emu_resp_json(resp, 422, json_pack("{s:s, s:{s:[s]}}", "error", "Validation failed",
                                       "validation_errors", key, message));
}

/* Auth, then the rate limit: every answer carries the interval's headers
 * (when a limit is set). False when answered. */
static bool admit(workable_emu *e, const emu_request *req, emu_response *resp)
{
    const char *token = emu_req_bearer(req);
    if (!token || !e->token || strcmp(token, e->token) != 0) {
        error(resp, 401, "Not authorized");
        return false;
    }
    if (!e->cfg.rate_limit)
        return true;
    pthread_mutex_lock(&e->lock);
    long long now = (long long)time(NULL), window = now / 10;
    if (window != e->window) {
        e->window = window;
        e->used = 0;
    }
    bool ok = e->used < e->cfg.rate_limit;
    if (ok)
        e->used++;
    unsigned remaining = e->cfg.rate_limit - e->used;
    pthread_mutex_unlock(&e->lock);
    char limit[16], left[16], reset[32];
    snprintf(limit, sizeof limit, "%u", e->cfg.rate_limit);
    snprintf(left, sizeof left, "%u", remaining);
    snprintf(reset, sizeof reset, "%lld", (window + 1) * 10);
    emu_resp_header(resp, "X-Rate-Limit-Limit", limit);
    emu_resp_header(resp, "X-Rate-Limit-Remaining", left);
    emu_resp_header(resp, "X-Rate-Limit-Reset", reset);
    if (!ok)
        error(resp, 429, "Rate limit exceeded");
    return ok;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Standard padded base64 -> bytes (malloc'd, *len), or NULL. */
static unsigned char *b64_decode(const char *s, size_t *len)
{
    size_t n = strlen(s);
    if (n % 4)
        return NULL;
    unsigned char *out = malloc(n / 4 * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; out && i < n; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++) {
            v[k] = s[i + k] == '=' && i + 4 == n && k >= 2 ? 0 : b64_value(s[i + k]);
            if (v[k] < 0) {
                free(out);
                return NULL;
            }
        }
        unsigned bits = (unsigned)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
        out[o++] = (unsigned char)(bits >> 16);
        if (s[i + 2] != '=')
            out[o++] = (unsigned char)(bits >> 8);
        if (s[i + 3] != '=')
            out[o++] = (unsigned char)bits;
    }
    if (out)
        *len = o;
    return out;
}

/* ---- the create body, as Workable documents it ---- */

static bool all_strings(const json_t *list)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (!json_is_string(v))
            return false;
    return true;
}

/* A list of objects whose `required` key is a string. */
static bool entries(const json_t *list, const char *required)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (!json_is_object(v) || !json_is_string(json_object_get(v, required)))
            return false;
    return true;
}

/* The key at fault and why, or NULL when the body is fine. */
static const char *check(const json_t *body, const json_t *c, const char **why)
{
    static const char *const strings[] = {"name", "firstname", "lastname", "email", "headline",
                                          "summary", "address", "phone", "cover_letter",
                                          "resume_url", "domain", "disqualification_reason",
                                          NULL};
    for (const char *const *k = strings; *k; k++) {
        json_t *v = json_object_get(c, *k);
        if (v && !json_is_null(v) && !json_is_string(v))
            return *why = "must be a string", *k;
    }
    static const char *const lists[][2] = {{"tags", NULL},
                                           {"skills", NULL},
                                           {"education_entries", "school"},
                                           {"experience_entries", "title"},
                                           {"social_profiles", "url"},
                                           {"answers", "question_key"}};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        json_t *v = json_object_get(c, lists[i][0]);
        if (v && (!json_is_array(v) ||
                  !(lists[i][1] ? entries(v, lists[i][1]) : all_strings(v))))
            return *why = lists[i][1] ? "has an entry without its required field"
                                      : "must be a list of strings",
                   lists[i][0];
    }
    if (json_object_get(body, "sourced") && !json_is_boolean(json_object_get(body, "sourced")))
        return *why = "must be true or false", "sourced";
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *first = json_string_value(json_object_get(c, "firstname"));
    const char *last = json_string_value(json_object_get(c, "lastname"));
    if (!(name && *name) && !(first && *first && last && *last))
        return *why = "can't be blank", "name";
    const char *email = json_string_value(json_object_get(c, "email"));
    if (!email || !*email)
        return *why = "can't be blank", "email";
    if (!strchr(email, '@'))
        return *why = "is invalid", "email";
    json_t *resume = json_object_get(c, "resume");
    if (resume) {
        const char *data = json_string_value(json_object_get(resume, "data"));
        size_t n;
        unsigned char *bytes = data ? b64_decode(data, &n) : NULL;
        free(bytes);
        if (!json_is_string(json_object_get(resume, "name")) ||
            (!bytes && !json_is_string(json_object_get(resume, "url"))))
            return *why = "needs a name and base64 data or a url", "resume";
    }
    return NULL;
}

/* ---- candidates ---- */

static void new_id(workable_emu *e, char out[9])
{
    unsigned long long n = ++e->counter;
    snprintf(out, 9, "%08llx", (0x1a2b0000ULL + n * 2654435761ULL) & 0xffffffffULL);
}

static json_t *find_job(workable_emu *e, const char *shortcode)
{
    size_t i;
    json_t *j;
    json_array_foreach(e->jobs, i, j)
        if (strcmp(json_string_value(json_object_get(j, "shortcode")), shortcode) == 0)
            return j;
    return NULL;
}

/* Store a new candidate from a checked body; under lock. The answer (new). */
static json_t *store(workable_emu *e, const json_t *body, const json_t *job, const char *email)
{
    const json_t *c = json_object_get(body, "candidate");
    char id[9], when[32], profile[256], key[320];
    new_id(e, id);
    iso_now(when);
    bool sourced = json_object_get(body, "sourced") ? json_is_true(json_object_get(body, "sourced"))
                                                    : true; /* "uploaded" by default */
    const char *first = json_string_value(json_object_get(c, "firstname"));
    const char *last = json_string_value(json_object_get(c, "lastname"));
    const char *name = json_string_value(json_object_get(c, "name"));
    char full[512];
    if (first && last)
        snprintf(full, sizeof full, "%s %s", first, last);
    else
        snprintf(full, sizeof full, "%s", name ? name : first ? first : last);
    if (!first && !last && name) {
        size_t n = strcspn(name, " ");
        snprintf(key, sizeof key, "%.*s", (int)n, name);
        first = key;
        last = name[n] ? name + n + 1 : NULL;
    }
    snprintf(profile, sizeof profile, "https://%s.workable.com/backend/candidates/%s",
             e->subdomain, id);
    json_t *skills = json_array(), *v;
    size_t i;
    json_array_foreach(json_object_get(c, "skills"), i, v)
        json_array_append_new(skills, json_pack("{s:O}", "name", v));
    json_t *shown = json_pack(
        "{s:s, s:s, s:s?, s:s?, s:n, s:{s:s, s:s}, s:o, s:s?, s:b, s:n, s:n, s:b, s:s,"
        " s:s, s:s, s:n, s:s, s:s}",
        "id", id, "name", full, "firstname", first, "lastname", last, "image_url",
        "account", "subdomain", e->subdomain, "name", "Sandbox Ltd", "job",
        job ? json_pack("{s:O, s:O}", "shortcode", json_object_get(job, "shortcode"), "title",
                        json_object_get(job, "title"))
            : json_null(),
        "stage", job ? (sourced ? "Sourced" : "Applied") : NULL, "disqualified", 0,
        "disqualified_at", "disqualification_reason", "sourced", sourced, "profile_url",
        profile, "email", email, "domain", "api", "uploader_id", "created_at", when,
        "updated_at", when);
    static const char *const texts[] = {"headline", "summary", "address", "phone",
                                        "cover_letter", NULL};
    for (const char *const *k = texts; *k; k++) {
        v = json_object_get(c, *k);
        json_object_set(shown, *k, v && json_is_string(v) && *json_string_value(v) ? v
                                                                                   : json_null());
    }
    static const char *const lists[] = {"education_entries", "experience_entries",
                                        "social_profiles", "answers", "tags", NULL};
    for (const char *const *k = lists; *k; k++) {
        v = json_object_get(c, *k);
        json_object_set_new(shown, *k, v ? json_deep_copy(v) : json_array());
    }
    json_object_set_new(shown, "skills", skills);
    json_t *resume = json_object_get(c, "resume");
    if (resume && json_is_string(json_object_get(resume, "data"))) {
        char url[256];
        snprintf(url, sizeof url, "%s/spi/v3/candidates/%s/resume", e->base_url, id);
        json_object_set_new(shown, "resume_url", json_string(url));
        json_object_set_new(e->resumes, id, json_deep_copy(resume));
    } else {
        json_t *given = resume ? json_object_get(resume, "url") : json_object_get(c, "resume_url");
        json_object_set(shown, "resume_url", given ? given : json_null());
    }
    json_object_set(e->candidates, id, shown);
    return shown;
}

static void create(workable_emu *e, const emu_request *req, emu_response *resp,
                   const json_t *job)
{
    json_t *body = emu_req_json(req);
    if (!json_is_object(body))
        return error(resp, 400, "The request body is not valid JSON");
    json_t *c = json_object_get(body, "candidate");
    if (!json_is_object(c))
        return invalid(resp, "candidate", "can't be blank");
    const char *why, *key = check(body, c, &why);
    if (key)
        return invalid(resp, key, why);
    char email[256], dup[320];
    snprintf(email, sizeof email, "%s", json_string_value(json_object_get(c, "email")));
    for (char *p = email; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    snprintf(dup, sizeof dup, "%s|%s",
             job ? json_string_value(json_object_get(job, "shortcode")) : "", email);
    pthread_mutex_lock(&e->lock);
    json_decref(e->last_create);
    e->last_create = json_deep_copy(body);
    if (json_object_get(e->by_email, dup)) {
        pthread_mutex_unlock(&e->lock);
        return invalid(resp, "email", "candidate already exists");
    }
    json_t *shown = store(e, body, job, json_string_value(json_object_get(c, "email")));
    json_object_set_new(e->by_email, dup, json_copy(json_object_get(shown, "id")));
    json_t *answer = json_pack("{s:s, s:o}", "status", "created", "candidate",
                               json_deep_copy(shown));
    json_decref(shown);
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, answer);
}

static void on_job_create(const emu_request *req, emu_response *resp, void *ud)
{
    workable_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *job = find_job(e, emu_req_param(req, "shortcode"));
    json_t *copy = job ? json_deep_copy(job) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!copy)
        return error(resp, 404, "Not found");
    create(e, req, resp, copy);
    json_decref(copy);
}

static void on_pool_create(const emu_request *req, emu_response *resp, void *ud)
{
    workable_emu *e = ud;
    if (admit(e, req, resp))
        create(e, req, resp, NULL);
}

static void on_get(const emu_request *req, emu_response *resp, void *ud)
{
    workable_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *c = json_object_get(e->candidates, emu_req_param(req, "id"));
    json_t *shown = c ? json_deep_copy(c) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!shown)
        return error(resp, 404, "Not found");
    emu_resp_json(resp, 200, json_pack("{s:o}", "candidate", shown));
}

/* Stands for the signed file URL Workable gives as resume_url. */
static void on_resume(const emu_request *req, emu_response *resp, void *ud)
{
    workable_emu *e = ud;
    size_t len = 0;
    pthread_mutex_lock(&e->lock);
    json_t *r = json_object_get(e->resumes, emu_req_param(req, "id"));
    unsigned char *bytes = r ? b64_decode(json_string_value(json_object_get(r, "data")), &len)
                             : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!bytes)
        return error(resp, 404, "Not found");
    emu_resp_body(resp, 200, "application/octet-stream", (const char *)bytes, len);
    free(bytes);
}

/* Jobs in pages: limit (1..100, default 50) and since_id; paging.next is
 * the next page's URL while there are more. */
static void on_jobs(const emu_request *req, emu_response *resp, void *ud)
{
    workable_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    const char *limit_s = emu_req_query(req, "limit"), *since = emu_req_query(req, "since_id");
    long limit = limit_s ? strtol(limit_s, NULL, 10) : 50;
    if (limit < 1 || limit > 100)
        return error(resp, 422, "limit must be between 1 and 100");
    json_t *page = json_array(), *j;
    size_t i, taken = 0;
    const char *next = NULL;
    bool started = !since;
    pthread_mutex_lock(&e->lock);
    json_array_foreach(e->jobs, i, j) {
        const char *id = json_string_value(json_object_get(j, "id"));
        started |= since && strcmp(id, since) == 0;
        if (!started)
            continue;
        if (taken == (size_t)limit) {
            next = id;
            break;
        }
        json_array_append_new(page, json_deep_copy(j));
        taken++;
    }
    json_t *out = json_pack("{s:o}", "jobs", page);
    if (next) {
        char url[384];
        snprintf(url, sizeof url, "%s/spi/v3/jobs?limit=%ld&since_id=%s", e->base_url, limit,
                 next);
        json_object_set_new(out, "paging", json_pack("{s:s}", "next", url));
    }
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 200, out);
}

static json_t *job(const char *id, const char *shortcode, const char *title, const char *state)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "shortcode", shortcode,
                     "title", title, "full_title", title, "state", state, "created_at",
                     "2026-01-05T09:00:00Z");
}

workable_emu *workable_emu_install(emu_server *srv, const workable_emu_config *cfg)
{
    workable_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->cfg = *cfg;
    e->token = cfg->token ? strdup(cfg->token) : NULL;
    e->subdomain = strdup(cfg->subdomain ? cfg->subdomain : "sandbox");
    e->candidates = json_object();
    e->resumes = json_object();
    e->by_email = json_object();
    e->jobs = json_pack("[o, o]", job("61884e2", WORKABLE_EMU_JOB, "Analytical engineer",
                                      "published"),
                        job("61884e3", WORKABLE_EMU_CLOSED_JOB, "Office manager", "closed"));
    snprintf(e->base_url, sizeof e->base_url, "%s", emu_base_url(srv));
    if (!e->subdomain || !e->candidates || !e->resumes || !e->by_email || !e->jobs ||
        emu_route(srv, "POST", "/spi/v3/jobs/:shortcode/candidates", on_job_create, e) ||
        emu_route(srv, "POST", "/spi/v3/talent_pool/candidates", on_pool_create, e) ||
        emu_route(srv, "GET", "/spi/v3/candidates/:id", on_get, e) ||
        emu_route(srv, "GET", "/spi/v3/candidates/:id/resume", on_resume, e) ||
        emu_route(srv, "GET", "/spi/v3/jobs", on_jobs, e)) {
        workable_emu_free(e);
        return NULL;
    }
    return e;
}

void workable_emu_free(workable_emu *e)
{
    if (!e)
        return;
    json_decref(e->candidates);
    json_decref(e->resumes);
    json_decref(e->by_email);
    json_decref(e->jobs);
    json_decref(e->last_create);
    free(e->token);
    free(e->subdomain);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

size_t workable_emu_candidate_count(workable_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->candidates);
    pthread_mutex_unlock(&e->lock);
    return n;
}

json_t *workable_emu_candidate(workable_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    json_t *c = json_object_get(e->candidates, id);
    json_t *copy = c ? json_deep_copy(c) : NULL;
    pthread_mutex_unlock(&e->lock);
    return copy;
}

json_t *workable_emu_last_create(workable_emu *e)
{
    pthread_mutex_lock(&e->lock);
    json_t *copy = e->last_create ? json_deep_copy(e->last_create) : NULL;
    pthread_mutex_unlock(&e->lock);
    return copy;
}

/* ---- uats-sandbox ---- */

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    workable_emu_config cfg = {EMU_SANDBOX_KEY, "sandbox", rate_limit ? 10 : 0};
    return workable_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    workable_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I}", "candidates", (json_int_t)workable_emu_candidate_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    char url[256];
    (void)state;
    snprintf(url, sizeof url, "%s/spi/v3", emu_base_url(srv));
    return emu_sandbox_write_json(dir, "workable",
                                  json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "connector",
                                            "workable", "base_url", url, "credentials",
                                            "api_key", EMU_SANDBOX_KEY, "options", "subdomain",
                                            "sandbox")) ||
           emu_sandbox_write_job(dir, "workable", WORKABLE_EMU_JOB);
}

const emu_sandbox_vendor workable_sandbox = {"workable", "/spi/v3", sandbox_install,
                                             sandbox_free, sandbox_state, sandbox_configs};
