/*
 * plugins/ashby/ashby_emu.c: Ashby's public API as docs/vendors/ashby.md
 * describes it: every call a POST to /<object>.<verb>, Basic auth with the
 * API key as user and an empty password, JSON bodies (multipart for the
 * uploads), the {success, results} envelope, refusals answered HTTP 200
 * with errorInfo, 401 without a key, 403 for a wrong key or a missing
 * permission, cursor pagination (nextCursor, moreDataAvailable), and a
 * per-key token bucket answering 429 with Retry-After.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ashby_emu.h"

struct ashby_emu {
    pthread_mutex_t lock;
    ashby_emu_config cfg;
    char *api_key, *read_only_key;
    json_t *candidates;   /* id -> candidate as candidate.info shows it */
    json_t *order;        /* candidate ids in creation order */
    json_t *applications; /* id -> application */
    json_t *files;        /* id -> {name, candidate, bytes} */
    json_t *jobs;         /* job objects */
    unsigned long long counter;
    size_t throttled;
    double tokens, refilled_at;
    char base_url[128];
};

/* ---- helpers ---- */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void now_iso(char out[64])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000 % 1000));
}

/* A UUID, unique in this emulator. Called under lock. */
static void new_id(ashby_emu *e, char out[37])
{
    unsigned long long n = ++e->counter;
    unsigned long long r = (unsigned long long)rand() << 16 ^ (unsigned long long)rand();
    snprintf(out, 37, "%08llx-%04llx-4%03llx-a%03llx-%012llx", r & 0xffffffffULL,
             (n >> 32) & 0xffff, (n >> 20) & 0xfff, (n >> 8) & 0xfff, n & 0xffffffffffffULL);
}

/* Ashby's refusal: HTTP status (200 for what would be a 4xx), the
 * deprecated list of codes and errorInfo. */
static void refuse(emu_response *resp, int status, const char *code, const char *message)
{
    static unsigned long long request;
    char rid[32];
    snprintf(rid, sizeof rid, "01JEMU%020llu", __atomic_add_fetch(&request, 1, __ATOMIC_RELAXED));
    emu_resp_json(resp, status, json_pack("{s:b, s:[s], s:{s:s, s:s, s:s}}", "success", 0,
                                          "errors", code, "errorInfo", "code", code, "message",
                                          message, "requestId", rid));
}

static void ok(emu_response *resp, json_t *results)
{
    emu_resp_json(resp, 200, json_pack("{s:b, s:o}", "success", 1, "results", results));
}

typedef enum { READ, WRITE } access_kind;

/* Auth, permission and rate, shared by every route. False when answered. */
static bool admit(ashby_emu *e, const emu_request *req, emu_response *resp, access_kind kind)
{
    const char *user, *pass;
    if (!emu_req_header(req, "Authorization")) {
        refuse(resp, 401, "missing_api_key", "No API key was sent: use Basic auth with the key "
               "as the user name");
        return false;
    }
    bool full = emu_req_basic_auth(req, &user, &pass) && pass[0] == '\0' && e->api_key &&
                strcmp(user, e->api_key) == 0;
    bool limited = !full && emu_req_basic_auth(req, &user, &pass) && pass[0] == '\0' &&
                   e->read_only_key && strcmp(user, e->read_only_key) == 0;
    if (!full && !limited) {
        refuse(resp, 403, "invalid_api_key", "The API key is invalid or has been deactivated");
        return false;
    }
    if (limited && kind == WRITE) {
        refuse(resp, 403, "missing_endpoint_permission",
               "The API key does not have the candidatesWrite permission");
        return false;
    }
    if (e->cfg.rate_per_sec > 0) {
        pthread_mutex_lock(&e->lock);
        double t = mono(), cap = e->cfg.burst ? e->cfg.burst : 1;
        e->tokens = fmin(cap, e->tokens + (t - e->refilled_at) * e->cfg.rate_per_sec);
        e->refilled_at = t;
        bool go = e->tokens >= 1;
        if (go)
            e->tokens -= 1;
        else
            e->throttled++;
        double wait = go ? 0 : (1 - e->tokens) / e->cfg.rate_per_sec;
        pthread_mutex_unlock(&e->lock);
        if (!go) {
            char after[16];
            snprintf(after, sizeof after, "%d", (int)ceil(wait));
            emu_resp_header(resp, "Retry-After", after);
            refuse(resp, 429, "rate_limit_exceeded", "Rate limit exceeded for this API key");
            return false;
        }
    }
    return true;
}

/* The JSON body of an RPC call, or NULL (answered). */
static json_t *json_body(const emu_request *req, emu_response *resp)
{
    const char *type = emu_req_header(req, "Content-Type");
    json_t *body = emu_req_json(req);
    if (!type || strncasecmp(type, "application/json", 16) != 0 || !json_is_object(body)) {
        refuse(resp, 200, "invalid_input", "Request payload is malformed: send a JSON object "
               "with Content-Type: application/json");
        return NULL;
    }
    return body;
}

static bool is_url(const char *s)
{
    return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
           !strchr(s, ' ');
}

static bool is_email(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    return at && at != s && strchr(at, '.') && !strchr(s, ' ');
}

/* ---- candidates ---- */

static json_t *contact(const char *value, bool primary)
{
    return json_pack("{s:s, s:s, s:b}", "value", value, "type", "Personal", "isPrimary",
                     primary);
}

/* The location as Ashby shows it: a summary and its components. */
static json_t *location_of(ashby_emu *e, const json_t *in)
{
    static const char *const parts[][2] = {{"country", "Country"}, {"region", "Region"},
                                           {"city", "City"}};
    json_t *components = json_array();
    char summary[512] = "", id[37];
    for (size_t i = 0; i < 3; i++) {
        const char *v = json_string_value(json_object_get(in, parts[i][0]));
        if (!v || !*v)
            continue;
        json_array_append_new(components, json_pack("{s:s, s:s}", "type", parts[i][1], "name", v));
        size_t used = strlen(summary);
        snprintf(summary + used, sizeof summary - used, "%s%s", used ? ", " : "", v);
    }
    new_id(e, id);
    return json_pack("{s:s, s:s, s:o}", "id", id, "locationSummary", summary,
                     "locationComponents", components);
}

static const char *invalid_create(const json_t *b)
{
    static const char *const strings[] = {"name", "email", "phoneNumber", "linkedInUrl",
                                          "githubUrl", "website", "sourceId", "creditedToUserId",
                                          "createdAt", NULL};
    for (const char *const *k = strings; *k; k++) {
        json_t *v = json_object_get(b, *k);
        if (v && !json_is_string(v))
            return "a text field has a value that is not a string";
    }
    const char *name = json_string_value(json_object_get(b, "name"));
    if (!name || !*name)
        return "name is required";
    const char *email = json_string_value(json_object_get(b, "email"));
    if (email && !is_email(email))
        return "email is not a valid email address";
    static const char *const urls[] = {"linkedInUrl", "githubUrl", "website", NULL};
    for (const char *const *k = urls; *k; k++) {
        const char *u = json_string_value(json_object_get(b, *k));
        if (u && !is_url(u))
            return "a link is not a valid URL";
    }
    json_t *alt = json_object_get(b, "alternateEmailAddresses"), *v;
    size_t i;
    if (alt && !json_is_array(alt))
        return "alternateEmailAddresses must be an array";
    json_array_foreach(alt, i, v)
        if (!is_email(json_string_value(v)))
            return "alternateEmailAddresses holds an invalid email address";
    json_t *loc = json_object_get(b, "location");
    if (loc && !json_is_object(loc))
        return "location must be an object";
    static const char *const known[] = {"name", "email", "phoneNumber", "linkedInUrl",
                                        "githubUrl", "website", "alternateEmailAddresses",
                                        "sourceId", "creditedToUserId", "location", "createdAt",
                                        NULL};
    const char *key;
    json_object_foreach((json_t *)b, key, v) {
        bool found = false;
        for (const char *const *k = known; *k && !found; k++)
            found = strcmp(*k, key) == 0;
        if (!found)
            return "the body has a field candidate.create does not take";
    }
    return NULL;
}

static void on_create(const emu_request *req, emu_response *resp, void *ud)
{
    ashby_emu *e = ud;
    if (!admit(e, req, resp, WRITE))
        return;
    json_t *b = json_body(req, resp);
    if (!b)
        return;
    const char *why = invalid_create(b);
    if (why)
        return refuse(resp, 200, "invalid_input", why);
    char id[37], when[64], url[160];
    const char *created = json_string_value(json_object_get(b, "createdAt"));
    now_iso(when);
    pthread_mutex_lock(&e->lock);
    new_id(e, id);
    snprintf(url, sizeof url, "https://app.ashbyhq.com/candidates/%s", id);
    json_t *emails = json_array(), *phones = json_array(), *links = json_array(), *v;
    const char *email = json_string_value(json_object_get(b, "email"));
    if (email)
        json_array_append_new(emails, contact(email, true));
    size_t i;
    json_array_foreach(json_object_get(b, "alternateEmailAddresses"), i, v)
        json_array_append_new(emails, contact(json_string_value(v), false));
    const char *phone = json_string_value(json_object_get(b, "phoneNumber"));
    if (phone)
        json_array_append_new(phones, contact(phone, true));
    static const char *const link_keys[][2] = {
        {"linkedInUrl", "LinkedIn"}, {"githubUrl", "GitHub"}, {"website", "Website"}};
    for (size_t k = 0; k < 3; k++)
        if ((v = json_object_get(b, link_keys[k][0])))
            json_array_append_new(links, json_pack("{s:s, s:O}", "type", link_keys[k][1], "url", v));
    json_t *c = json_pack("{s:s, s:s, s:s, s:O, s:o, s:o, s:o, s:[], s:[], s:[], s:[], s:s, s:n}",
                          "id", id, "createdAt", created ? created : when, "updatedAt", when,
                          "name", json_object_get(b, "name"), "emailAddresses", emails,
                          "phoneNumbers", phones, "socialLinks", links, "tags",
                          "applicationIds", "fileHandles", "customFields", "profileUrl", url,
                          "fraudStatus");
    if (email)
        json_object_set(c, "primaryEmailAddress", json_array_get(emails, 0));
    if (phone)
        json_object_set(c, "primaryPhoneNumber", json_array_get(phones, 0));
    if (json_object_get(b, "location"))
        json_object_set_new(c, "location", location_of(e, json_object_get(b, "location")));
    if ((v = json_object_get(b, "sourceId")))
        json_object_set_new(c, "source", json_pack("{s:O, s:s, s:b}", "id", v, "title",
                                                   "Emulated source", "isArchived", 0));
    json_object_set(e->candidates, id, c);
    json_array_append_new(e->order, json_string(id));
    json_t *shown = json_deep_copy(c);
    json_decref(c);
    pthread_mutex_unlock(&e->lock);
    ok(resp, shown);
}

static void on_info(const emu_request *req, emu_response *resp, void *ud)
{
    ashby_emu *e = ud;
    if (!admit(e, req, resp, READ))
        return;
    json_t *b = json_body(req, resp);
    if (!b)
        return;
    json_t *id = json_object_get(b, "id");
    if (!json_is_string(id))
        return refuse(resp, 200, "invalid_input", "id is required and must be a string");
    pthread_mutex_lock(&e->lock);
    json_t *c = json_deep_copy(json_object_get(e->candidates, json_string_value(id)));
    pthread_mutex_unlock(&e->lock);
    if (!c)
        return refuse(resp, 200, "candidate_not_found", "Candidate not found");
    ok(resp, c);
}

/* A page of items (taken): cursors are opaque ("c<N>"), limit 1..100. */
static void page(const emu_request *req, emu_response *resp, json_t *items)
{
    json_t *b = json_body(req, resp);
    if (!b) {
        json_decref(items);
        return;
    }
    json_t *lim = json_object_get(b, "limit");
    const char *cursor = json_string_value(json_object_get(b, "cursor"));
    long limit = json_is_integer(lim) ? (long)json_integer_value(lim) : 100;
    size_t start = 0;
    if (limit < 1 || limit > 100) {
        json_decref(items);
        return refuse(resp, 200, "invalid_input", "limit must be between 1 and 100");
    }
    if (cursor) {
        char *end;
        if (cursor[0] != 'c' || (start = strtoul(cursor + 1, &end, 10), *end) ||
            start > json_array_size(items)) {
            json_decref(items);
            return refuse(resp, 200, "invalid_cursor", "The cursor is not valid");
        }
    }
    json_t *results = json_array();
    for (size_t i = start; i < json_array_size(items) && i < start + (size_t)limit; i++)
        json_array_append(results, json_array_get(items, i));
    bool more = start + (size_t)limit < json_array_size(items);
    json_t *out = json_pack("{s:b, s:o, s:b}", "success", 1, "results", results,
                            "moreDataAvailable", more);
    if (more) {
        char next[32];
        snprintf(next, sizeof next, "c%zu", start + (size_t)limit);
        json_object_set_new(out, "nextCursor", json_string(next));
    }
    json_decref(items);
    emu_resp_json(resp, 200, out);
}

static void on_list(const emu_request *req, emu_response *resp, void *ud)
{
    ashby_emu *e = ud;
    if (!admit(e, req, resp, READ))
        return;
    json_t *items = json_array(), *id;
    size_t i;
    pthread_mutex_lock(&e->lock);
    json_array_foreach(e->order, i, id)
        json_array_append(items, json_object_get(e->candidates, json_string_value(id)));
    json_t *copy = json_deep_copy(items);
    pthread_mutex_unlock(&e->lock);
    json_decref(items);
    page(req, resp, copy);
}

static void on_jobs(const emu_request *req, emu_response *resp, void *ud)
{
    ashby_emu *e = ud;
    if (!admit(e, req, resp, READ))
        return;
    page(req, resp, json_deep_copy(e->jobs));
}

static bool job_open(ashby_emu *e, const char *id)
{
    json_t *j;
    size_t i;
    json_array_foreach(e->jobs, i, j)
        if (strcmp(json_string_value(json_object_get(j, "id")), id) == 0)
            return strcmp(json_string_value(json_object_get(j, "status")), "Open") == 0;
    return false;
}

static void on_apply(const emu_request *req, emu_response *resp, void *ud)
{
    ashby_emu *e = ud;
    if (!admit(e, req, resp, WRITE))
        return;
    json_t *b = json_body(req, resp);
    if (!b)
        return;
    const char *cand_id = json_string_value(json_object_get(b, "candidateId"));
    const char *job_id = json_string_value(json_object_get(b, "jobId"));
    json_t *stage = json_object_get(b, "interviewStageId");
    if (!cand_id || !job_id)
        return refuse(resp, 200, "invalid_input", "candidateId and jobId are required");
    if (stage && !json_is_string(stage))
        return refuse(resp, 200, "invalid_input", "interviewStageId must be a string");
    char id[37], when[64], stage_id[37];
    now_iso(when);
    pthread_mutex_lock(&e->lock);
    json_t *c = json_object_get(e->candidates, cand_id);
    bool open = job_open(e, job_id);
    json_t *app = NULL;
    if (c && open) {
        new_id(e, id);
        new_id(e, stage_id);
        const char *sid = json_string_value(stage);
        app = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:O}, s:{s:s, s:s}, s:{s:s, s:s, s:s}}",
                        "id", id, "createdAt", when, "updatedAt", when, "status", "Lead",
                        "candidate", "id", cand_id, "name", json_object_get(c, "name"),
                        "job", "id", job_id, "title", "Emulated job", "currentInterviewStage",
                        "id", sid ? sid : stage_id, "title", "Lead", "type", "Lead");
        json_object_set(e->applications, id, app);
        json_array_append_new(json_object_get(c, "applicationIds"), json_string(id));
        json_object_set_new(c, "updatedAt", json_string(when));
    }
    pthread_mutex_unlock(&e->lock);
    if (!c)
        return refuse(resp, 200, "candidate_not_found", "Candidate not found");
    if (!open)
        return refuse(resp, 200, "job_not_found", "Job not found or not open");
    ok(resp, app);
}

/* uploadResume and uploadFile: the part name tells them apart. */
static void upload(const emu_request *req, emu_response *resp, ashby_emu *e, bool resume)
{
    if (!admit(e, req, resp, WRITE))
        return;
    const char *type = emu_req_header(req, "Content-Type");
    if (!type || strncasecmp(type, "multipart/form-data", 19) != 0)
        return refuse(resp, 200, "invalid_input", "Send the file as multipart/form-data");
    const emu_part *cid = emu_req_part_named(req, "candidateId");
    const emu_part *file = emu_req_part_named(req, resume ? "resume" : "file");
    if (!cid || cid->file_name)
        return refuse(resp, 200, "invalid_input", "candidateId is required");
    if (!file || !file->file_name)
        return refuse(resp, 200, "invalid_input", resume ? "resume is required (a file part)"
                                                         : "file is required (a file part)");
    if (file->len > 20u * 1024 * 1024)
        return refuse(resp, 413, "file_too_large", "Files are limited to 20 MB");
    char id[37], when[64], handle[96];
    now_iso(when);
    pthread_mutex_lock(&e->lock);
    json_t *c = json_object_get(e->candidates, cid->data), *shown = NULL;
    if (c) {
        new_id(e, id);
        snprintf(handle, sizeof handle, "emu-handle-%s", id);
        const char *name = *file->file_name ? file->file_name : "file";
        json_t *fh = json_pack("{s:s, s:s, s:s}", "id", id, "name", name, "handle", handle);
        json_object_set_new(e->files, id, json_pack("{s:s, s:s, s:o}", "name", name,
                                                    "candidate", cid->data, "bytes",
                                                    json_stringn_nocheck(file->data, file->len)));
        if (resume)
            json_object_set_new(c, "resumeFileHandle", fh);
        else
            json_array_append_new(json_object_get(c, "fileHandles"), fh);
        json_object_set_new(c, "updatedAt", json_string(when));
        shown = json_deep_copy(c);
    }
    pthread_mutex_unlock(&e->lock);
    if (!shown)
        return refuse(resp, 200, "candidate_not_found", "Candidate not found");
    ok(resp, shown);
}

static void on_resume(const emu_request *req, emu_response *resp, void *ud)
{
    upload(req, resp, ud, true);
}

static void on_file(const emu_request *req, emu_response *resp, void *ud)
{
    upload(req, resp, ud, false);
}

static void on_download(const emu_request *req, emu_response *resp, void *ud)
{
    ashby_emu *e = ud;
    pthread_mutex_lock(&e->lock);
    json_t *bytes = json_object_get(json_object_get(e->files, emu_req_param(req, "id")), "bytes");
    if (bytes)
        emu_resp_body(resp, 200, "application/octet-stream", json_string_value(bytes),
                      json_string_length(bytes));
    pthread_mutex_unlock(&e->lock);
    if (!bytes)
        emu_resp_body(resp, 404, "text/plain", "not found\n", 10);
}

ashby_emu *ashby_emu_install(emu_server *srv, const ashby_emu_config *cfg)
{
    ashby_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->cfg = *cfg;
    e->api_key = cfg->api_key ? strdup(cfg->api_key) : NULL;
    e->read_only_key = cfg->read_only_key ? strdup(cfg->read_only_key) : NULL;
    e->candidates = json_object();
    e->order = json_array();
    e->applications = json_object();
    e->files = json_object();
    e->jobs = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]",
                        "id", ASHBY_EMU_JOB, "title", "Staff Engineer", "status", "Open",
                        "id", ASHBY_EMU_JOB_2, "title", "Recruiter", "status", "Open",
                        "id", "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a", "title", "Archived role",
                        "status", "Closed");
    e->tokens = cfg->burst ? cfg->burst : 1;
    e->refilled_at = mono();
    snprintf(e->base_url, sizeof e->base_url, "%s", emu_base_url(srv));
    if (!e->candidates || !e->order || !e->applications || !e->files || !e->jobs ||
        emu_route(srv, "POST", "/candidate.create", on_create, e) ||
        emu_route(srv, "POST", "/candidate.info", on_info, e) ||
        emu_route(srv, "POST", "/candidate.list", on_list, e) ||
        emu_route(srv, "POST", "/candidate.uploadResume", on_resume, e) ||
        emu_route(srv, "POST", "/candidate.uploadFile", on_file, e) ||
        emu_route(srv, "POST", "/application.create", on_apply, e) ||
        emu_route(srv, "POST", "/job.list", on_jobs, e) ||
        emu_route(srv, "GET", "/_files/:id", on_download, e)) {
        ashby_emu_free(e);
        return NULL;
    }
    return e;
}

void ashby_emu_free(ashby_emu *e)
{
    if (!e)
        return;
    json_decref(e->candidates);
    json_decref(e->order);
    json_decref(e->applications);
    json_decref(e->files);
    json_decref(e->jobs);
    free(e->api_key);
    free(e->read_only_key);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

static size_t count(ashby_emu *e, json_t *what)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(what);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t ashby_emu_candidate_count(ashby_emu *e)
{
    return count(e, e->candidates);
}

size_t ashby_emu_application_count(ashby_emu *e)
{
    return count(e, e->applications);
}

size_t ashby_emu_file_count(ashby_emu *e)
{
    return count(e, e->files);
}

size_t ashby_emu_throttled(ashby_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = e->throttled;
    pthread_mutex_unlock(&e->lock);
    return n;
}

json_t *ashby_emu_candidate(ashby_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    json_t *c = json_deep_copy(json_object_get(e->candidates, id));
    pthread_mutex_unlock(&e->lock);
    return c;
}

/* ---- uats-sandbox ---- */

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    ashby_emu_config cfg = {EMU_SANDBOX_KEY, NULL, rate_limit ? 5 : 0, 10};
    return ashby_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    ashby_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I, s:I, s:I}", "candidates",
                     (json_int_t)ashby_emu_candidate_count(state), "applications",
                     (json_int_t)ashby_emu_application_count(state), "files",
                     (json_int_t)ashby_emu_file_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    (void)state;
    return emu_sandbox_write_json(dir, "ashby",
                                  json_pack("{s:s, s:s, s:{s:s}}", "connector", "ashby",
                                            "base_url", emu_base_url(srv), "credentials",
                                            "api_key", EMU_SANDBOX_KEY)) ||
           emu_sandbox_write_job(dir, "ashby", ASHBY_EMU_JOB);
}

const emu_sandbox_vendor ashby_sandbox = {"ashby", "", sandbox_install, sandbox_free,
                                          sandbox_state, sandbox_configs};
