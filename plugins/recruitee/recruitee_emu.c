/*
 * plugins/recruitee/recruitee_emu.c: Recruitee's ATS API as documented in
 * docs/vendors/recruitee.md: everything under /c/{company_id}, a personal
 * API token as Bearer, {"candidate": ...} and {"attachment": ...}
 * envelopes, {"error": [...], "error_fields": {...}} validation answers,
 * integer ids, candidates placed on offers, multipart uploads as
 * attachment[file] and attachment[candidate_id], limit/offset lists, and a
 * token bucket answering 429 with Retry-After.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "recruitee_emu.h"

struct recruitee_emu {
    pthread_mutex_t lock;
    recruitee_emu_config cfg;
    char *token, *company;
    json_t *candidates;  /* id text -> candidate as rendered */
    json_t *attachments; /* id text -> attachment object */
    json_t *order;       /* candidate ids in creation order */
    json_t *offers;      /* id text -> offer */
    long long next_candidate, next_placement, next_attachment;
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

/* Recruitee's times: UTC with microseconds. */
static void now_text(char out[64])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000));
}

static void error(emu_response *resp, int status, const char *message)
{
    emu_resp_json(resp, status, json_pack("{s:s}", "error", message));
}

/* A validation answer: the message list and the field it is about. */
static void invalid(emu_response *resp, const char *field, const char *what)
{
    char message[256];
    snprintf(message, sizeof message, "%c%s %s", field[0] - 32, field + 1, what);
    emu_resp_json(resp, 422, json_pack("{s:[s], s:{s:[s]}}", "error", message, "error_fields",
                                       field, what));
}

/* Auth, company and rate limit, shared by every route. False when
 * answered. */
static bool admit(recruitee_emu *e, const emu_request *req, emu_response *resp)
{
    const char *bearer = emu_req_bearer(req);
    if (!bearer) {
        error(resp, 401, "Unauthorized");
        return false;
    }
    if (!e->token || strcmp(bearer, e->token) != 0) {
        emu_resp_json(resp, 401, json_pack("{s:s, s:s}", "error", "Token not found.",
                                           "error_code", "invalid_token"));
        return false;
    }
    if (strcmp(emu_req_param(req, "company"), e->company) != 0) {
        emu_resp_json(resp, 403, json_pack("{s:[s]}", "error", "Forbidden"));
        return false;
    }
    if (e->cfg.rate_per_sec > 0) {
        pthread_mutex_lock(&e->lock);
        double t = mono(), cap = e->cfg.burst ? e->cfg.burst : 1;
        e->tokens = fmin(cap, e->tokens + (t - e->refilled_at) * e->cfg.rate_per_sec);
        e->refilled_at = t;
        bool ok = e->tokens >= 1;
        if (ok)
            e->tokens -= 1;
        pthread_mutex_unlock(&e->lock);
        if (!ok) {
            emu_resp_header(resp, "Retry-After", "1");
            error(resp, 429, "Too many requests");
            return false;
        }
    }
    return true;
}

/* Whether v, when present, is an array of strings. */
static bool strings(const json_t *v)
{
    size_t i;
    json_t *item;
    if (!v)
        return true;
    if (!json_is_array(v))
        return false;
    json_array_foreach(v, i, item)
        if (!json_is_string(item))
            return false;
    return true;
}

/* ---- candidates ---- */

static void on_create(const emu_request *req, emu_response *resp, void *ud)
{
    recruitee_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    json_t *body = emu_req_json(req);
    json_t *in = json_object_get(body, "candidate"), *offers = json_object_get(body, "offers");
    if (!json_is_object(in))
        return invalid(resp, "candidate", "can't be blank");
    const char *name = json_string_value(json_object_get(in, "name"));
    if (!name || !*name)
        return invalid(resp, "name", "can't be blank");
    static const char *const lists[] = {"emails", "phones", "links", "social_links", "sources",
                                        "tags"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (!strings(json_object_get(in, lists[i])))
            return invalid(resp, lists[i], "is invalid");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(in, "emails"), i, v)
        if (!strchr(json_string_value(v), '@'))
            return invalid(resp, "emails", "is invalid");
    if (offers && !json_is_array(offers))
        return invalid(resp, "offers", "is invalid");

    pthread_mutex_lock(&e->lock);
    json_array_foreach(offers, i, v) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(v));
        if (!json_is_integer(v) || !json_object_get(e->offers, key)) {
            pthread_mutex_unlock(&e->lock);
            return invalid(resp, "offers", "is invalid");
        }
    }
    char when[64], id[32], url[256];
    now_text(when);
    long long cid = e->next_candidate++;
    snprintf(id, sizeof id, "%lld", cid);
    snprintf(url, sizeof url, "https://app.recruitee.com/#/dashboard/overview?candidate=%s"
             "&company=%s", id, e->company);
    json_t *placements = json_array();
    json_array_foreach(offers, i, v) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(v));
        json_t *offer = json_object_get(e->offers, key);
        json_array_append_new(placements,
                              json_pack("{s:I, s:I, s:O, s:O, s:i, s:s, s:s, s:n}", "id",
                                        (json_int_t)e->next_placement++, "candidate_id",
                                        (json_int_t)cid, "offer_id", v, "stage_id",
                                        json_object_get(offer, "first_stage_id"), "position", 1,
                                        "created_at", when, "updated_at", when, "hired_at"));
    }
    json_t *cand = json_pack(
        "{s:I, s:s, s:[], s:[], s:[], s:[], s:[], s:[], s:n, s:n, s:s, s:o, s:s, s:s, s:s,"
        " s:n}",
        "id", (json_int_t)cid, "name", name, "emails", "phones", "links", "social_links",
        "sources", "tags", "photo_url", "photo_thumb_url", "source", "manual", "placements",
        placements, "created_at", when, "updated_at", when, "adminapp_url", url,
        "cover_letter");
    static const char *const copied[] = {"emails", "phones", "links", "social_links", "sources",
                                         "tags", "cover_letter"};
    /* Copies, not shared values: the kit frees the request on its own
     * thread, and jansson's reference counts are not atomic. */
    for (size_t k = 0; k < sizeof copied / sizeof copied[0]; k++)
        if (json_object_get(in, copied[k]))
            json_object_set_new(cand, copied[k], json_deep_copy(json_object_get(in, copied[k])));
    json_object_set(e->candidates, id, cand);
    json_array_append_new(e->order, json_string(id));
    /* Answer a copy made under the lock: an upload may change the stored
     * candidate while the answer is being written. */
    json_t *shown = json_deep_copy(cand);
    json_decref(cand);
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, json_pack("{s:o}", "candidate", shown));
}

/* The candidate for the route's :id, under lock, or NULL (answered 404). */
static json_t *find(recruitee_emu *e, const emu_request *req, emu_response *resp)
{
    json_t *cand = json_object_get(e->candidates, emu_req_param(req, "id"));
    if (!cand)
        error(resp, 404, "Not found");
    return cand;
}

static void on_get(const emu_request *req, emu_response *resp, void *ud)
{
    recruitee_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *cand = find(e, req, resp);
    json_t *shown = cand ? json_deep_copy(cand) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (shown)
        emu_resp_json(resp, 200, json_pack("{s:o}", "candidate", shown));
}

/* limit (1..10000, default 100) and offset (default 0). False when
 * answered. */
static bool window(const emu_request *req, emu_response *resp, size_t *start, size_t *limit)
{
    const char *l = emu_req_query(req, "limit"), *o = emu_req_query(req, "offset");
    char *end;
    long lv = l ? strtol(l, &end, 10) : 100, ov = 0;
    if ((l && (*end || lv < 1 || lv > 10000)) ||
        (o && (ov = strtol(o, &end, 10), *end || ov < 0))) {
        error(resp, 400, "Invalid limit or offset");
        return false;
    }
    *start = (size_t)ov;
    *limit = (size_t)lv;
    return true;
}

static void on_list(const emu_request *req, emu_response *resp, void *ud)
{
    recruitee_emu *e = ud;
    size_t start, limit;
    if (!admit(e, req, resp) || !window(req, resp, &start, &limit))
        return;
    json_t *page = json_array();
    pthread_mutex_lock(&e->lock);
    for (size_t i = start; i < json_array_size(e->order) && i < start + limit; i++)
        json_array_append_new(page, json_deep_copy(json_object_get(
                                        e->candidates,
                                        json_string_value(json_array_get(e->order, i)))));
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 200, json_pack("{s:o}", "candidates", page));
}

static void on_list_attachments(const emu_request *req, emu_response *resp, void *ud)
{
    recruitee_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *cand = find(e, req, resp), *list = NULL;
    if (cand) {
        const char *key;
        json_t *att;
        list = json_array();
        json_object_foreach(e->attachments, key, att)
            if (json_integer_value(json_object_get(att, "candidate_id")) ==
                json_integer_value(json_object_get(cand, "id")))
                json_array_append_new(list, json_deep_copy(att));
    }
    pthread_mutex_unlock(&e->lock);
    if (list)
        emu_resp_json(resp, 200, json_pack("{s:o}", "attachments", list));
}

/* ---- attachments ---- */

static void on_upload(const emu_request *req, emu_response *resp, void *ud)
{
    recruitee_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    const emu_part *file = emu_req_part_named(req, "attachment[file]");
    const emu_part *owner = emu_req_part_named(req, "attachment[candidate_id]");
    if (!file || !file->file_name)
        return invalid(resp, "file", "can't be blank");
    if (!owner || !*owner->data)
        return invalid(resp, "candidate", "can't be blank");
    if (file->len > 25u * 1024 * 1024)
        return error(resp, 413, "File is too large");
    pthread_mutex_lock(&e->lock);
    json_t *cand = json_object_get(e->candidates, owner->data);
    if (!cand) {
        pthread_mutex_unlock(&e->lock);
        return invalid(resp, "candidate", "does not exist");
    }
    char when[64], id[32], url[512];
    now_text(when);
    long long aid = e->next_attachment++;
    snprintf(id, sizeof id, "%lld", aid);
    snprintf(url, sizeof url, "%s/files/attachments/%s/%s", e->base_url, id,
             *file->file_name ? file->file_name : "file");
    json_t *att = json_pack("{s:I, s:s, s:s, s:O, s:s}", "id", (json_int_t)aid, "filename",
                            *file->file_name ? file->file_name : "file", "url", url,
                            "candidate_id", json_object_get(cand, "id"), "created_at", when);
    json_object_set(e->attachments, id, att);
    json_object_set_new(cand, "updated_at", json_string(when));
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, json_pack("{s:o}", "attachment", att));
}

static void on_offers(const emu_request *req, emu_response *resp, void *ud)
{
    recruitee_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    json_t *list = json_array();
    const char *key;
    json_t *offer;
    pthread_mutex_lock(&e->lock);
    json_object_foreach(e->offers, key, offer)
        json_array_append_new(list, json_deep_copy(offer));
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 200, json_pack("{s:o}", "offers", list));
}

recruitee_emu *recruitee_emu_install(emu_server *srv, const recruitee_emu_config *cfg)
{
    recruitee_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->cfg = *cfg;
    e->token = cfg->token ? strdup(cfg->token) : NULL;
    e->company = strdup(cfg->company_id ? cfg->company_id : "12345");
    e->candidates = json_object();
    e->attachments = json_object();
    e->order = json_array();
    e->offers = json_object();
    e->next_candidate = 50000001;
    e->next_placement = 70000001;
    e->next_attachment = 90000001;
    e->tokens = cfg->burst ? cfg->burst : 1;
    e->refilled_at = mono();
    snprintf(e->base_url, sizeof e->base_url, "%s", emu_base_url(srv));
    if (!e->company || !e->candidates || !e->attachments || !e->order || !e->offers ||
        json_object_set_new(e->offers, RECRUITEE_EMU_OFFER,
                            json_pack("{s:I, s:s, s:s, s:s, s:I}", "id",
                                      (json_int_t)atoll(RECRUITEE_EMU_OFFER), "title",
                                      "Demo engineer", "status", "published", "kind", "job",
                                      "first_stage_id", (json_int_t)8000001)) ||
        emu_route(srv, "POST", "/c/:company/candidates", on_create, e) ||
        emu_route(srv, "GET", "/c/:company/candidates", on_list, e) ||
        emu_route(srv, "GET", "/c/:company/candidates/:id", on_get, e) ||
        emu_route(srv, "GET", "/c/:company/candidates/:id/attachments", on_list_attachments, e) ||
        emu_route(srv, "POST", "/c/:company/attachments", on_upload, e) ||
        emu_route(srv, "GET", "/c/:company/offers", on_offers, e)) {
        recruitee_emu_free(e);
        return NULL;
    }
    return e;
}

void recruitee_emu_free(recruitee_emu *e)
{
    if (!e)
        return;
    json_decref(e->candidates);
    json_decref(e->attachments);
    json_decref(e->order);
    json_decref(e->offers);
    free(e->token);
    free(e->company);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

size_t recruitee_emu_candidate_count(recruitee_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->candidates);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t recruitee_emu_attachment_count(recruitee_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->attachments);
    pthread_mutex_unlock(&e->lock);
    return n;
}

json_t *recruitee_emu_candidate(recruitee_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    json_t *cand = json_deep_copy(json_object_get(e->candidates, id));
    pthread_mutex_unlock(&e->lock);
    return cand;
}

/* ---- uats-sandbox ---- */

#define SANDBOX_COMPANY "12345"

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    recruitee_emu_config cfg = {EMU_SANDBOX_KEY, SANDBOX_COMPANY, rate_limit ? 5 : 0, 10};
    return recruitee_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    recruitee_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I, s:I}", "candidates",
                     (json_int_t)recruitee_emu_candidate_count(state), "attachments",
                     (json_int_t)recruitee_emu_attachment_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    char url[256];
    (void)state;
    snprintf(url, sizeof url, "%s/c/" SANDBOX_COMPANY, emu_base_url(srv));
    return emu_sandbox_write_json(dir, "recruitee",
                                  json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "connector",
                                            "recruitee", "base_url", url, "credentials",
                                            "api_key", EMU_SANDBOX_KEY, "options", "company_id",
                                            SANDBOX_COMPANY)) ||
           emu_sandbox_write_job(dir, "recruitee", RECRUITEE_EMU_OFFER);
}

const emu_sandbox_vendor recruitee_sandbox = {"recruitee", "/c/" SANDBOX_COMPANY,
                                              sandbox_install, sandbox_free, sandbox_state,
                                              sandbox_configs};
