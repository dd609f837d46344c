/*
 * plugins/smartrecruiters/smartrecruiters_emu.c: SmartRecruiters' Customer
 * API as docs/vendors/smartrecruiters.md describes it: the API key in
 * X-SmartToken, candidates created in the Talent Pool or on a job (first
 * name, last name and e-mail required), 201 answers with the candidate,
 * {message, errors: [{code, message}]} error bodies, attachments uploaded
 * as multipart with an attachmentType and listed as {totalFound, content},
 * UUID ids, and a limit of N requests in any second per key, reported in
 * X-RateLimit-Limit/Remaining on every answer and enforced with 429.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "smartrecruiters_emu.h"

#define WINDOW_MAX 256

struct smartrecruiters_emu {
    pthread_mutex_t lock;
    char *api_key;
    unsigned rate_limit;
    json_t *jobs;          /* id -> {id, title} */
    json_t *candidates;    /* id -> candidate as shown */
    json_t *files;         /* attachment id -> {meta, candidate, bytes} */
    json_t *by_candidate;  /* candidate id -> [attachment ids] */
    unsigned long long counter;
    double window[WINDOW_MAX]; /* times of the last requests, a ring */
    size_t next;
    size_t throttled;
    char base_url[128];
};

static const char *const default_jobs[][2] = {
    {SMARTRECRUITERS_EMU_JOB, "Firmware Engineer"},
    {"5b9d3c71-6e2a-4f08-8c47-91d0a3e6b2f5", "Recruiting Coordinator"}};

/* ---- helpers ---- */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void now_text(char out[64])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* A UUID-shaped id, unique in this emulator. Called under lock. */
static void new_id(smartrecruiters_emu *e, char out[37])
{
    unsigned long long n = ++e->counter;
    unsigned long long r = (unsigned long long)rand() << 16 ^ (unsigned long long)rand();
    snprintf(out, 37, "%08llx-%04llx-4%03llx-a%03llx-%012llx", r & 0xffffffffULL,
             (n >> 32) & 0xffff, (n >> 20) & 0xfff, (n >> 8) & 0xfff, n & 0xffffffffffffULL);
}

static void error(emu_response *resp, int status, const char *code, const char *message)
{
    emu_resp_json(resp, status, json_pack("{s:s, s:[{s:s, s:s}]}", "message", message,
                                          "errors", "code", code, "message", message));
}

/* Auth, then the per-second limit, whose state every answer reports.
 * False when answered. */
static bool admit(smartrecruiters_emu *e, const emu_request *req, emu_response *resp)
{
    const char *token = emu_req_header(req, "X-SmartToken");
    if (!token || !e->api_key || strcmp(token, e->api_key) != 0) {
        error(resp, 401, "UNAUTHORIZED", "Invalid or missing X-SmartToken");
        return false;
    }
    if (!e->rate_limit)
        return true;
    char limit[16], left[16];
    pthread_mutex_lock(&e->lock);
    double t = mono();
    size_t recent = 0;
    for (size_t i = 0; i < e->rate_limit; i++)
        recent += e->window[i] > 0 && t - e->window[i] < 1.0;
    bool ok = recent < e->rate_limit;
    if (ok) {
        e->window[e->next] = t;
        e->next = (e->next + 1) % e->rate_limit;
        recent++;
    } else {
        e->throttled++;
    }
    pthread_mutex_unlock(&e->lock);
    snprintf(limit, sizeof limit, "%u", e->rate_limit);
    snprintf(left, sizeof left, "%zu", e->rate_limit - recent);
    emu_resp_header(resp, "X-RateLimit-Limit", limit);
    emu_resp_header(resp, "X-RateLimit-Remaining", left);
    if (!ok)
        error(resp, 429, "RATE_LIMIT_EXCEEDED", "API rate limit exceeded");
    return ok;
}

/* ---- create ---- */

static bool all_strings(const json_t *obj, const char *const *keys)
{
    for (; *keys; keys++) {
        json_t *v = json_object_get(obj, *keys);
        if (v && !json_is_null(v) && !json_is_string(v))
            return false;
    }
    return true;
}

static bool list_of(const json_t *v, json_type type)
{
    size_t i;
    json_t *item;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_array(v))
        return false;
    json_array_foreach(v, i, item)
        if (json_typeof(item) != type)
            return false;
    return true;
}

/* Check the body as the docs describe it; NULL when fine, else why, and
 * the error code in *code. */
static const char *invalid(const json_t *b, const char **code)
{
    static const char *const strings[] = {"firstName", "lastName", "email", "phoneNumber", NULL};
    static const char *const web_keys[] = {"skype", "linkedin", "facebook", "twitter", "website",
                                           NULL};
    static const char *const location_keys[] = {"country", "countryCode", "regionCode",
                                                "region", "city", NULL};
    static const char *const history_keys[] = {"institution", "degree", "major", "title",
                                               "company", "location", "startDate", "endDate",
                                               "description", NULL};
    *code = "INVALID_VALUE";
    if (!all_strings(b, strings))
        return "firstName, lastName, email and phoneNumber must be strings";
    static const char *const required[] = {"firstName", "lastName", "email"};
    for (size_t i = 0; i < 3; i++) {
        const char *s = json_string_value(json_object_get(b, required[i]));
        if (!s || !*s) {
            *code = "REQUIRED_FIELD";
            return i == 0 ? "firstName is required" : i == 1 ? "lastName is required"
                                                             : "email is required";
        }
    }
    if (!strchr(json_string_value(json_object_get(b, "email")), '@'))
        return "email is not a valid e-mail address";
    json_t *web = json_object_get(b, "web"), *loc = json_object_get(b, "location");
    if (web && (!json_is_object(web) || !all_strings(web, web_keys)))
        return "web must be an object of strings";
    if (loc && (!json_is_object(loc) || !all_strings(loc, location_keys)))
        return "location must be an object of strings";
    if (!list_of(json_object_get(b, "tags"), JSON_STRING))
        return "tags must be an array of strings";
    json_t *internal = json_object_get(b, "internal");
    if (internal && !json_is_boolean(internal))
        return "internal must be a boolean";
    static const char *const lists[] = {"education", "experience"};
    for (size_t i = 0; i < 2; i++) {
        json_t *l = json_object_get(b, lists[i]), *item;
        size_t k;
        if (!list_of(l, JSON_OBJECT))
            return "education and experience must be arrays of objects";
        json_array_foreach(l, k, item) {
            json_t *cur = json_object_get(item, "current");
            if (!all_strings(item, history_keys) || (cur && !json_is_boolean(cur)))
                return "an education or experience entry has a value of the wrong type";
        }
    }
    json_t *src = json_object_get(b, "sourceDetails");
    static const char *const src_keys[] = {"sourceTypeId", "sourceSubTypeId", "sourceId", NULL};
    if (src && (!json_is_object(src) || !all_strings(src, src_keys)))
        return "sourceDetails must be an object of source ids";
    return NULL;
}

static void create(smartrecruiters_emu *e, const emu_request *req, emu_response *resp,
                   const char *job_id)
{
    json_t *b = emu_req_json(req);
    const char *code, *why;
    if (!json_is_object(b))
        return error(resp, 400, "INVALID_BODY", "Request body must be a JSON object");
    if ((why = invalid(b, &code)))
        return error(resp, 400, code, why);
    char id[37], when[64];
    now_text(when);
    pthread_mutex_lock(&e->lock);
    json_t *job = job_id ? json_object_get(e->jobs, job_id) : NULL;
    if (job_id && !job) {
        pthread_mutex_unlock(&e->lock);
        return error(resp, 404, "JOB_NOT_FOUND", "Job not found");
    }
    new_id(e, id);
    json_t *cand = json_pack("{s:s, s:b, s:O, s:O, s:O, s:s, s:s, s:f}", "id", id, "internal",
                             json_is_true(json_object_get(b, "internal")), "firstName",
                             json_object_get(b, "firstName"), "lastName",
                             json_object_get(b, "lastName"), "email",
                             json_object_get(b, "email"), "createdOn", when, "updatedOn", when,
                             "averageRating", 0.0);
    static const char *const copied[] = {"phoneNumber", "location", "web"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(b, copied[i]);
        if (v && !json_is_null(v))
            json_object_set_new(cand, copied[i], json_deep_copy(v));
    }
    static const char *const lists[] = {"tags", "education", "experience"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(b, lists[i]);
        json_object_set_new(cand, lists[i], json_is_array(v) ? json_deep_copy(v) : json_array());
    }
    if (job) {
        json_t *src = json_object_get(b, "sourceDetails");
        json_object_set_new(cand, "primaryAssignment",
                            json_pack("{s:O, s:s, s:s, s:s}", "job", job, "status", "NEW",
                                      "startsOn", when, "source",
                                      json_is_object(src) ? "custom" : "API"));
    }
    json_object_set_new(cand, "secondaryAssignments", json_array());
    char url[256];
    snprintf(url, sizeof url, "%s/candidates/%s/attachments", e->base_url, id);
    json_object_set_new(cand, "actions", json_pack("{s:{s:s, s:s}}", "attachments", "url", url,
                                                   "method", "GET"));
    json_object_set(e->candidates, id, cand);
    json_object_set_new(e->by_candidate, id, json_array());
    json_t *shown = json_deep_copy(cand);
    json_decref(cand);
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, shown);
}

static void on_create_pool(const emu_request *req, emu_response *resp, void *ud)
{
    smartrecruiters_emu *e = ud;
    if (admit(e, req, resp))
        create(e, req, resp, NULL);
}

static void on_create_job(const emu_request *req, emu_response *resp, void *ud)
{
    smartrecruiters_emu *e = ud;
    if (admit(e, req, resp))
        create(e, req, resp, emu_req_param(req, "job"));
}

/* ---- reads ---- */

static void on_get(const emu_request *req, emu_response *resp, void *ud)
{
    smartrecruiters_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *cand = json_deep_copy(json_object_get(e->candidates, emu_req_param(req, "id")));
    pthread_mutex_unlock(&e->lock);
    if (!cand)
        return error(resp, 404, "CANDIDATE_NOT_FOUND", "Candidate not found");
    emu_resp_json(resp, 200, cand);
}

static void on_list_files(const emu_request *req, emu_response *resp, void *ud)
{
    smartrecruiters_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *ids = json_object_get(e->by_candidate, emu_req_param(req, "id")), *content = NULL;
    if (ids) {
        content = json_array();
        size_t i;
        json_t *id;
        json_array_foreach(ids, i, id)
            json_array_append(content, json_object_get(json_object_get(e->files,
                                                                       json_string_value(id)),
                                                       "meta"));
    }
    pthread_mutex_unlock(&e->lock);
    if (!content)
        return error(resp, 404, "CANDIDATE_NOT_FOUND", "Candidate not found");
    emu_resp_json(resp, 200, json_pack("{s:I, s:o}", "totalFound",
                                       (json_int_t)json_array_size(content), "content", content));
}

static void on_download(const emu_request *req, emu_response *resp, void *ud)
{
    smartrecruiters_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *f = json_object_get(e->files, emu_req_param(req, "att"));
    const char *owner = json_string_value(json_object_get(f, "candidate"));
    bool ok = owner && strcmp(owner, emu_req_param(req, "id")) == 0;
    if (ok) {
        json_t *bytes = json_object_get(f, "bytes");
        const char *type = json_string_value(json_object_get(json_object_get(f, "meta"),
                                                             "contentType"));
        emu_resp_body(resp, 200, type ? type : "application/octet-stream",
                      json_string_value(bytes), json_string_length(bytes));
    }
    pthread_mutex_unlock(&e->lock);
    if (!ok)
        error(resp, 404, "ATTACHMENT_NOT_FOUND", "Attachment not found");
}

/* ---- upload ---- */

static void on_upload(const emu_request *req, emu_response *resp, void *ud)
{
    smartrecruiters_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    const emu_part *file = emu_req_part_named(req, "file");
    const emu_part *kind = emu_req_part_named(req, "attachmentType");
    const char *type = kind ? kind->data : "GENERIC_FILE";
    if (!file || !file->file_name)
        return error(resp, 400, "REQUIRED_FIELD", "file is required (multipart/form-data)");
    if (strcmp(type, "RESUME") != 0 && strcmp(type, "GENERIC_FILE") != 0)
        return error(resp, 400, "INVALID_VALUE", "attachmentType must be RESUME or GENERIC_FILE");
    pthread_mutex_lock(&e->lock);
    const char *cand_id = emu_req_param(req, "id");
    json_t *cand = json_object_get(e->candidates, cand_id), *meta = NULL;
    if (cand) {
        char id[37], url[256], when[64];
        new_id(e, id);
        now_text(when);
        snprintf(url, sizeof url, "%s/candidates/%s/attachments/%s", e->base_url, cand_id, id);
        meta = json_pack("{s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}", "id", id, "name",
                         *file->file_name ? file->file_name : "file", "type", type,
                         "contentType", file->content_type ? file->content_type
                                                           : "application/octet-stream",
                         "actions", "download", "url", url, "method", "GET");
        json_object_set_new(e->files, id,
                            json_pack("{s:O, s:s, s:o}", "meta", meta, "candidate", cand_id,
                                      "bytes", json_stringn_nocheck(file->data, file->len)));
        json_array_append_new(json_object_get(e->by_candidate, cand_id), json_string(id));
        json_object_set_new(cand, "updatedOn", json_string(when));
    }
    pthread_mutex_unlock(&e->lock);
    if (!meta)
        return error(resp, 404, "CANDIDATE_NOT_FOUND", "Candidate not found");
    emu_resp_json(resp, 201, meta);
}

/* ---- life cycle ---- */

smartrecruiters_emu *smartrecruiters_emu_install(emu_server *srv,
                                                 const smartrecruiters_emu_config *cfg)
{
    smartrecruiters_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->api_key = cfg->api_key ? strdup(cfg->api_key) : NULL;
    e->rate_limit = cfg->rate_limit > WINDOW_MAX ? WINDOW_MAX : cfg->rate_limit;
    e->jobs = json_object();
    e->candidates = json_object();
    e->files = json_object();
    e->by_candidate = json_object();
    snprintf(e->base_url, sizeof e->base_url, "%s", emu_base_url(srv));
    if (cfg->job_ids) {
        for (size_t i = 0; i < cfg->njob_ids; i++)
            json_object_set_new(e->jobs, cfg->job_ids[i],
                                json_pack("{s:s, s:s}", "id", cfg->job_ids[i], "title", "Job"));
    } else {
        for (size_t i = 0; i < 2; i++)
            json_object_set_new(e->jobs, default_jobs[i][0],
                                json_pack("{s:s, s:s}", "id", default_jobs[i][0], "title",
                                          default_jobs[i][1]));
    }
    if (!e->jobs || !e->candidates || !e->files || !e->by_candidate ||
        emu_route(srv, "POST", "/candidates", on_create_pool, e) ||
        emu_route(srv, "POST", "/jobs/:job/candidates", on_create_job, e) ||
        emu_route(srv, "GET", "/candidates/:id", on_get, e) ||
        emu_route(srv, "GET", "/candidates/:id/attachments", on_list_files, e) ||
        emu_route(srv, "POST", "/candidates/:id/attachments", on_upload, e) ||
        emu_route(srv, "GET", "/candidates/:id/attachments/:att", on_download, e)) {
        smartrecruiters_emu_free(e);
        return NULL;
    }
    return e;
}

void smartrecruiters_emu_free(smartrecruiters_emu *e)
{
    if (!e)
        return;
    json_decref(e->jobs);
    json_decref(e->candidates);
    json_decref(e->files);
    json_decref(e->by_candidate);
    free(e->api_key);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

size_t smartrecruiters_emu_candidate_count(smartrecruiters_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->candidates);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t smartrecruiters_emu_attachment_count(smartrecruiters_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->files);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t smartrecruiters_emu_throttled(smartrecruiters_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = e->throttled;
    pthread_mutex_unlock(&e->lock);
    return n;
}

json_t *smartrecruiters_emu_candidate(smartrecruiters_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    json_t *c = json_deep_copy(json_object_get(e->candidates, id));
    pthread_mutex_unlock(&e->lock);
    return c;
}

/* ---- uats-sandbox ---- */

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    smartrecruiters_emu_config cfg = {EMU_SANDBOX_KEY, rate_limit ? 10 : 0, NULL, 0};
    return smartrecruiters_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    smartrecruiters_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I, s:I}", "candidates",
                     (json_int_t)smartrecruiters_emu_candidate_count(state), "attachments",
                     (json_int_t)smartrecruiters_emu_attachment_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    (void)state;
    return emu_sandbox_write_json(dir, "smartrecruiters",
                                  json_pack("{s:s, s:s, s:{s:s}}", "connector",
                                            "smartrecruiters", "base_url", emu_base_url(srv),
                                            "credentials", "api_key", EMU_SANDBOX_KEY)) ||
           emu_sandbox_write_job(dir, "smartrecruiters", SMARTRECRUITERS_EMU_JOB);
}

const emu_sandbox_vendor smartrecruiters_sandbox = {"smartrecruiters", "", sandbox_install,
                                                    sandbox_free, sandbox_state,
                                                    sandbox_configs};
