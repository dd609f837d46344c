/*
 * plugins/jazzhr/jazzhr_emu.c: JazzHR's API v1 as docs/vendors/jazzhr.md
 * describes it: the API key as the "apikey" query parameter (and, on POSTs,
 * in the JSON body), applicants created from flat JSON with
 * {"prospect_id": ...} answers, problems with a request answered HTTP 200
 * with an {"error": ...} text (the conservative reading of JazzHR's odd
 * error answers), an empty list for an unknown applicant, files uploaded as
 * base64 and listed per applicant in /page/N pages of 100 (one file as a
 * bare object), and a per-key token bucket answering 429 with Retry-After.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jazzhr_emu.h"

#define PAGE 100

struct jazzhr_emu {
    pthread_mutex_t lock;
    jazzhr_emu_config cfg;
    char *api_key;
    json_t *applicants; /* id -> stored POST fields (strings), plus "id", "apply_date" */
    json_t *files;      /* file id -> {id, applicant_id, filename, date_created, bytes} */
    json_t *order;      /* file ids in upload order */
    json_t *jobs;       /* job id -> title */
    unsigned long long counter;
    double tokens, refilled_at;
};

/* ---- helpers ---- */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* JazzHR-shaped ids: prefix, a timestamp, 16 capitals and digits. Under lock. */
static void new_id(jazzhr_emu *e, const char *prefix, char *out, size_t size)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char stamp[32], tail[17];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    unsigned long long n = ++e->counter * 2654435761ULL;
    for (int i = 15; i >= 0; i--, n /= 36)
        tail[i] = set[n % 36];
    tail[16] = '\0';
    snprintf(out, size, "%s_%s_%s", prefix, stamp, tail);
}

static void today(char out[16])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static void error(emu_response *resp, int status, const char *text)
{
    emu_resp_json(resp, status, json_pack("{s:s}", "error", text));
}

/* Auth and the rate limit, shared by every route. False when answered. */
static bool admit(jazzhr_emu *e, const emu_request *req, emu_response *resp)
{
    const char *query = emu_req_query(req, "apikey");
    const char *body = json_string_value(json_object_get(emu_req_json(req), "apikey"));
    bool post = strcmp(emu_req_method(req), "POST") == 0;
    /* Every key given must be the account's, and one must be given. */
    bool ok = e->api_key && (query || (post && body)) &&
              (!query || strcmp(query, e->api_key) == 0) &&
              (!post || !body || strcmp(body, e->api_key) == 0);
    if (!ok) {
        error(resp, 401, "Invalid or missing API key");
        return false;
    }
    if (e->cfg.per_minute) {
        pthread_mutex_lock(&e->lock);
        double t = mono(), rate = e->cfg.per_minute / 60.0;
        double cap = e->cfg.burst ? e->cfg.burst : e->cfg.per_minute;
        e->tokens = fmin(cap, e->tokens + (t - e->refilled_at) * rate);
        e->refilled_at = t;
        bool have = e->tokens >= 1;
        double wait = have ? 0 : (1 - e->tokens) / rate;
        if (have)
            e->tokens -= 1;
        pthread_mutex_unlock(&e->lock);
        if (!have) {
            char after[16];
            snprintf(after, sizeof after, "%d", (int)ceil(wait));
            emu_resp_header(resp, "Retry-After", after);
            error(resp, 429, "API rate limit exceeded");
            return false;
        }
    }
    return true;
}

/* ---- applicants ---- */

/* The applicant as GET shows it. Under lock. */
static json_t *render(jazzhr_emu *e, const json_t *stored)
{
    static const char *const renamed[][2] = {{"linkedin", "linkedin_url"},
                                             {"twitter", "twitter_username"}};
    json_t *out = json_object(), *v;
    const char *key;
    json_object_foreach((json_t *)stored, key, v) {
        const char *shown = key;
        for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
            if (strcmp(key, renamed[i][0]) == 0)
                shown = renamed[i][1];
        if (strcmp(key, "job") != 0)
            json_object_set(out, shown, v);
    }
    json_t *jobs = json_array();
    const char *job = json_string_value(json_object_get(stored, "job"));
    if (job)
        json_array_append_new(jobs, json_pack("{s:s, s:O, s:s}", "job_id", job, "job_title",
                                              json_object_get(e->jobs, job),
                                              "applicant_progress", "New"));
    json_object_set_new(out, "jobs", jobs);
    return out;
}

static const char *const required[] = {"first_name", "last_name", "email", NULL};

static void on_create(const emu_request *req, emu_response *resp, void *ud)
{
    jazzhr_emu *e = ud;
    json_t *body = emu_req_json(req), *v;
    const char *key;
    if (!admit(e, req, resp))
        return;
    if (!json_is_object(body))
        return error(resp, 400, "The request body must be a JSON object");
    json_object_foreach(body, key, v)
        if (!json_is_string(v)) {
            char text[160];
            snprintf(text, sizeof text, "Invalid value for %.100s", key);
            return error(resp, 200, text);
        }
    for (const char *const *r = required; *r; r++) {
        const char *s = json_string_value(json_object_get(body, *r));
        if (!s || !*s) {
            char text[96];
            snprintf(text, sizeof text, "Missing required field: %s", *r);
            return error(resp, 200, text);
        }
    }
    pthread_mutex_lock(&e->lock);
    const char *job = json_string_value(json_object_get(body, "job"));
    if (job && !json_object_get(e->jobs, job)) {
        pthread_mutex_unlock(&e->lock);
        return error(resp, 200, "Invalid job ID");
    }
    char id[64], date[16];
    new_id(e, "prospect", id, sizeof id);
    today(date);
    json_t *stored = json_deep_copy(body);
    json_object_del(stored, "apikey");
    json_object_del(stored, "base64-resume");
    json_object_set_new(stored, "id", json_string(id));
    json_object_set_new(stored, "apply_date", json_string(date));
    json_object_set_new(e->applicants, id, stored);
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 200, json_pack("{s:s}", "prospect_id", id));
}

static void on_get(const emu_request *req, emu_response *resp, void *ud)
{
    jazzhr_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *stored = json_object_get(e->applicants, emu_req_param(req, "id"));
    json_t *shown = stored ? render(e, stored) : json_array();
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 200, shown);
}

/* ---- files ---- */

static unsigned char *decode_base64(const char *s, size_t *len)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), out_len = 0;
    unsigned char *out = malloc(n / 4 * 3 + 3);
    unsigned acc = 0;
    int bits = 0;
    if (!out || n % 4)
        goto bad;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=') {
            if (i < n - 2 || (i == n - 2 && s[n - 1] != '='))
                goto bad;
            break;
        }
        const char *p = strchr(set, s[i]);
        if (!p || !s[i])
            goto bad;
        acc = acc << 6 | (unsigned)(p - set);
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[out_len++] = (unsigned char)(acc >> bits);
        }
    }
    *len = out_len;
    return out;
bad:
    free(out);
    return NULL;
}

static json_t *file_view(const json_t *f)
{
    json_t *out = json_deep_copy(f);
    json_object_del(out, "bytes");
    return out;
}

static void on_upload(const emu_request *req, emu_response *resp, void *ud)
{
    jazzhr_emu *e = ud;
    json_t *body = emu_req_json(req);
    if (!admit(e, req, resp))
        return;
    if (!json_is_object(body))
        return error(resp, 400, "The request body must be a JSON object");
    const char *applicant = json_string_value(json_object_get(body, "applicant_id"));
    const char *name = json_string_value(json_object_get(body, "filename"));
    const char *data = json_string_value(json_object_get(body, "file_data"));
    if (!applicant || !name || !*name || !data)
        return error(resp, 200, "applicant_id, filename and file_data are required");
    size_t len;
    unsigned char *bytes = decode_base64(data, &len);
    if (!bytes)
        return error(resp, 200, "file_data must be base64-encoded file content");
    pthread_mutex_lock(&e->lock);
    if (!json_object_get(e->applicants, applicant)) {
        pthread_mutex_unlock(&e->lock);
        free(bytes);
        return error(resp, 404, "Applicant not found");
    }
    char id[64], date[16];
    new_id(e, "file", id, sizeof id);
    today(date);
    json_t *kept = json_stringn_nocheck((const char *)bytes, len); /* opaque, never dumped */
    json_object_set_new(e->files, id, json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", id,
                                                "applicant_id", applicant, "filename", name,
                                                "date_created", date, "bytes", kept));
    json_array_append_new(e->order, json_string(id));
    pthread_mutex_unlock(&e->lock);
    free(bytes);
    emu_resp_json(resp, 200, e->cfg.file_answer_without_id
                                 ? json_pack("{s:s}", "status", "success")
                                 : json_pack("{s:s}", "file_id", id));
}

static void list_page(jazzhr_emu *e, const emu_request *req, emu_response *resp, long page)
{
    const char *applicant = emu_req_param(req, "id");
    json_t *rows = json_array(), *id;
    size_t i, seen = 0;
    pthread_mutex_lock(&e->lock);
    json_array_foreach(e->order, i, id) {
        json_t *f = json_object_get(e->files, json_string_value(id));
        if (strcmp(json_string_value(json_object_get(f, "applicant_id")), applicant) != 0)
            continue;
        if (seen++ / PAGE == (size_t)(page - 1))
            json_array_append_new(rows, file_view(f));
    }
    pthread_mutex_unlock(&e->lock);
    if (json_array_size(rows) == 1) {
        /* One row comes as the bare object. */
        json_t *only = json_incref(json_array_get(rows, 0));
        json_decref(rows);
        rows = only;
    }
    emu_resp_json(resp, 200, rows);
}

static void on_files(const emu_request *req, emu_response *resp, void *ud)
{
    if (admit(ud, req, resp))
        list_page(ud, req, resp, 1);
}

static void on_files_page(const emu_request *req, emu_response *resp, void *ud)
{
    char *end;
    long page = strtol(emu_req_param(req, "page"), &end, 10);
    if (!admit(ud, req, resp))
        return;
    if (*end || page < 1)
        return error(resp, 400, "Invalid page number");
    list_page(ud, req, resp, page);
}

/* ---- setup ---- */

jazzhr_emu *jazzhr_emu_install(emu_server *srv, const jazzhr_emu_config *cfg)
{
    jazzhr_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->cfg = *cfg;
    e->api_key = cfg->api_key ? strdup(cfg->api_key) : NULL;
    e->applicants = json_object();
    e->files = json_object();
    e->order = json_array();
    e->jobs = json_pack("{s:s}", JAZZHR_EMU_JOB, "Embedded Software Engineer");
    e->tokens = cfg->burst ? cfg->burst : cfg->per_minute;
    e->refilled_at = mono();
    if (!e->applicants || !e->files || !e->order || !e->jobs ||
        emu_route(srv, "POST", "/v1/applicants", on_create, e) ||
        emu_route(srv, "GET", "/v1/applicants/:id", on_get, e) ||
        emu_route(srv, "POST", "/v1/files", on_upload, e) ||
        emu_route(srv, "GET", "/v1/files/applicant_id/:id", on_files, e) ||
        emu_route(srv, "GET", "/v1/files/applicant_id/:id/page/:page", on_files_page, e)) {
        jazzhr_emu_free(e);
        return NULL;
    }
    return e;
}

void jazzhr_emu_free(jazzhr_emu *e)
{
    if (!e)
        return;
    json_decref(e->applicants);
    json_decref(e->files);
    json_decref(e->order);
    json_decref(e->jobs);
    free(e->api_key);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

size_t jazzhr_emu_applicant_count(jazzhr_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->applicants);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t jazzhr_emu_file_count(jazzhr_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->files);
    pthread_mutex_unlock(&e->lock);
    return n;
}

char *jazzhr_emu_file_bytes(jazzhr_emu *e, const char *file_id, size_t *len)
{
    char *out = NULL;
    pthread_mutex_lock(&e->lock);
    json_t *bytes = json_object_get(json_object_get(e->files, file_id), "bytes");
    if (bytes && (out = malloc(json_string_length(bytes) + 1))) {
        *len = json_string_length(bytes);
        memcpy(out, json_string_value(bytes), *len + 1);
    }
    pthread_mutex_unlock(&e->lock);
    return out;
}

/* ---- uats-sandbox ---- */

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    jazzhr_emu_config cfg = {EMU_SANDBOX_KEY, rate_limit ? 80 : 0, 0, false};
    return jazzhr_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    jazzhr_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I, s:I}", "applicants", (json_int_t)jazzhr_emu_applicant_count(state),
                     "files", (json_int_t)jazzhr_emu_file_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    char url[256];
    (void)state;
    snprintf(url, sizeof url, "%s/v1", emu_base_url(srv));
    return emu_sandbox_write_json(dir, "jazzhr",
                                  json_pack("{s:s, s:s, s:{s:s}}", "connector", "jazzhr",
                                            "base_url", url, "credentials", "api_key",
                                            EMU_SANDBOX_KEY)) ||
           emu_sandbox_write_job(dir, "jazzhr", JAZZHR_EMU_JOB);
}

const emu_sandbox_vendor jazzhr_sandbox = {"jazzhr", "/v1", sandbox_install, sandbox_free,
                                           sandbox_state, sandbox_configs};
