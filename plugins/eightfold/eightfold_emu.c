/*
 * plugins/eightfold/eightfold_emu.c: Eightfold's ATS Candidate API v2 as
 * documented (docs/vendors/eightfold.md): POST /oauth/v1/authenticate (Basic
 * client pair; the password grant as JSON or as a form; the token under
 * "data"), bearer tokens that expire, ATS candidates keyed by the caller's
 * candidateId under /api/v2/core/ats-systems/{systemId}/ats-candidates,
 * writes (POST, PUT, PATCH) answering {"transactionId"} that moves from
 * IN PROGRESS to PASS or FAIL at GET /api/v2/core/transactions/{id}, GET
 * leaving applications, tags and notes out unless named in include, list
 * pages by start/limit with meta, int32 epoch-second times. Errors use the
 * {"errors": [{"message"}]} body the doc chooses (Eightfold documents none);
 * malformed bodies and wrong types are 400 at once, schema violations FAIL
 * in the transaction.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eightfold_emu.h"

#define BASE "/api/v2/core/ats-systems/:sys/ats-candidates"

struct eightfold_emu {
    pthread_mutex_t lock;
    eightfold_emu_config cfg;
    char *client_id, *client_secret, *username, *password, *system_id;
    json_t *tokens;       /* token -> expiry (Unix seconds) */
    json_t *candidates;   /* candidateId -> profile as stored */
    json_t *order;        /* candidateIds in creation order */
    json_t *transactions; /* id -> {status, due_ms, candidateId, write?, fail?} */
    json_t *last_write;
    char *last_token_body;
    bool last_token_json;
    bool fail_next;
    unsigned tokens_issued;
    unsigned long long counter;
    long long window;
    unsigned used;
};

/* ---- helpers ---- */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec * 1000 + (double)t.tv_nsec / 1e6;
}

static void error(emu_response *resp, int status, const char *message)
{
    emu_resp_json(resp, status, json_pack("{s:[{s:s}]}", "errors", "message", message));
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The rate limit, when set: a fixed one-second interval. */
static bool within_rate(eightfold_emu *e, emu_response *resp)
{
    if (!e->cfg.rate_limit)
        return true;
    pthread_mutex_lock(&e->lock);
    long long window = (long long)time(NULL);
    if (window != e->window) {
        e->window = window;
        e->used = 0;
    }
    bool ok = e->used < e->cfg.rate_limit;
    if (ok)
        e->used++;
    pthread_mutex_unlock(&e->lock);
    if (!ok) {
        emu_resp_header(resp, "Retry-After", "1");
        error(resp, 429, "Too many requests");
    }
    return ok;
}

/* Bearer token, rate, then the system: false when answered. */
static bool admit(eightfold_emu *e, const emu_request *req, emu_response *resp)
{
    const char *token = emu_req_bearer(req);
    pthread_mutex_lock(&e->lock);
    json_t *expiry = token ? json_object_get(e->tokens, token) : NULL;
    bool ok = expiry && json_integer_value(expiry) > (json_int_t)time(NULL);
    pthread_mutex_unlock(&e->lock);
    if (!ok) {
        error(resp, 401, "Invalid or expired access token");
        return false;
    }
    if (!within_rate(e, resp))
        return false;
    const char *sys = emu_req_param(req, "sys");
    if (sys && strcmp(sys, e->system_id) != 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "No permission for ats_candidate in system %.64s", sys);
        error(resp, 403, msg);
        return false;
    }
    return true;
}

/* ---- the token endpoint ---- */

static int hexval(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10);
}

/* A form field's decoded value (new), or NULL. */
static char *form_value(const char *body, size_t len, const char *name)
{
    size_t n = strlen(name);
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if ((size_t)(stop - p) > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            char *out = malloc((size_t)(stop - p)), *o = out;
            if (!out)
                return NULL;
            for (const char *q = p + n + 1; q < stop; q++) {
                if (*q == '+')
                    *o++ = ' ';
                else if (*q == '%' && q + 2 < stop + 0 + 1 && isxdigit((unsigned char)q[1]) &&
                         isxdigit((unsigned char)q[2])) {
                    *o++ = (char)(hexval(q[1]) * 16 + hexval(q[2]));
                    q += 2;
                } else
                    *o++ = *q;
            }
            *o = '\0';
            return out;
        }
        p = stop + 1;
    }
    return NULL;
}

static void oauth_error(emu_response *resp, int status, const char *code, const char *text)
{
    emu_resp_json(resp, status, json_pack("{s:s, s:s}", "error", code, "error_description",
                                          text));
}

static void on_token(const emu_request *req, emu_response *resp, void *ud)
{
    eightfold_emu *e = ud;
    const char *user, *pass;
    size_t len;
    const char *raw = emu_req_body(req, &len);
    if (!emu_req_basic_auth(req, &user, &pass) || strcmp(user, e->client_id) != 0 ||
        strcmp(pass, e->client_secret) != 0)
        return oauth_error(resp, 401, "invalid_client", "Client authentication failed");
    json_t *doc = emu_req_json(req);
    char *grant = NULL, *name = NULL, *password = NULL;
    if (json_is_object(doc)) {
        /* The summary's camelCase and OAuth's snake_case are both taken. */
        const char *g = json_string_value(json_object_get(doc, "grantType"));
        if (!g)
            g = json_string_value(json_object_get(doc, "grant_type"));
        grant = dup_or_null(g);
        name = dup_or_null(json_string_value(json_object_get(doc, "username")));
        password = dup_or_null(json_string_value(json_object_get(doc, "password")));
    } else {
        grant = form_value(raw, len, "grant_type");
        name = form_value(raw, len, "username");
        password = form_value(raw, len, "password");
    }
    pthread_mutex_lock(&e->lock);
    free(e->last_token_body);
    e->last_token_body = strndup(raw ? raw : "", len);
    e->last_token_json = json_is_object(doc);
    pthread_mutex_unlock(&e->lock);
    if (!grant || strcmp(grant, "password") != 0)
        oauth_error(resp, 400, "unsupported_grant_type", "Only the password grant is enabled");
    else if (!name || !password || strcmp(name, e->username) != 0 ||
             strcmp(password, e->password) != 0)
        oauth_error(resp, 401, "invalid_grant", "Invalid username or API key");
    else {
        char token[64];
        unsigned life = e->cfg.token_lifetime ? e->cfg.token_lifetime : 8640;
        pthread_mutex_lock(&e->lock);
        snprintf(token, sizeof token, "ef-token-%u-%llx", ++e->tokens_issued,
                 (unsigned long long)time(NULL));
        json_object_set_new(e->tokens, token, json_integer((json_int_t)time(NULL) + life));
        pthread_mutex_unlock(&e->lock);
        emu_resp_json(resp, 200, json_pack("{s:{s:s, s:s, s:i}}", "data", "access_token", token,
                                           "token_type", "bearer", "expires_in", (int)life));
    }
    free(grant);
    free(name);
    free(password);
}

/* ---- validation ---- */

/* Wrong JSON types of the top-level keys: refused at once (400). */
static const char *type_error(const json_t *body)
{
    static const struct {
        const char *key;
        json_type type;
    } types[] = {{"candidateId", JSON_STRING},  {"systemId", JSON_STRING},
                 {"firstName", JSON_STRING},    {"lastName", JSON_STRING},
                 {"emails", JSON_STRING},       {"phones", JSON_STRING},
                 {"urls", JSON_ARRAY},          {"location", JSON_STRING},
                 {"locationCountry", JSON_STRING}, {"address", JSON_STRING},
                 {"title", JSON_STRING},        {"summary", JSON_STRING},
                 {"gender", JSON_STRING},       {"dateOfBirth", JSON_STRING},
                 {"visaStatuses", JSON_ARRAY},  {"races", JSON_ARRAY},
                 {"highestEducationLevel", JSON_STRING}, {"contactConsent", JSON_STRING},
                 {"skills", JSON_ARRAY},        {"tags", JSON_ARRAY},
                 {"education", JSON_ARRAY},     {"experience", JSON_ARRAY},
                 {"certifications", JSON_ARRAY}, {"attachments", JSON_ARRAY},
                 {"applications", JSON_ARRAY},  {"customInfo", JSON_OBJECT},
                 {"lastActivityTs", JSON_INTEGER}};
    static const char *const bools[] = {"veteranStatus", "disabilityStatus", "isInternal",
                                        "isAnonymized", "autoGenerateCandidateId"};
    if (!json_is_object(body))
        return "the body is not a JSON object";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        json_t *v = json_object_get(body, types[i].key);
        if (v && !json_is_null(v) && json_typeof(v) != types[i].type)
            return types[i].key;
    }
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
        json_t *v = json_object_get(body, bools[i]);
        if (v && !json_is_null(v) && !json_is_boolean(v))
            return bools[i];
    }
    return NULL;
}

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

/* Every key ending in "Ts" at any depth holds null or an int32. */
static bool times_ok(const json_t *v)
{
    const char *key;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, x) {
            size_t n = strlen(key);
            if (n > 2 && strcmp(key + n - 2, "Ts") == 0 && !json_is_null(x) &&
                !(json_is_integer(x) && json_integer_value(x) >= INT32_MIN &&
                  json_integer_value(x) <= INT32_MAX))
                return false;
            if (!times_ok(x))
                return false;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x)
            if (!times_ok(x))
                return false;
    }
    return true;
}

static bool has_keys(const json_t *list, const char *const *keys)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
        if (!json_is_object(x))
            return false;
        for (const char *const *k = keys; *k; k++)
            if (!json_object_get(x, *k))
                return false;
    }
    return true;
}

static bool base64_ok(const char *s)
{
    size_t n = 0, pad = 0;
    for (; *s; s++, n++) {
        if (*s == '=')
            pad++;
        else if (pad || !(isalnum((unsigned char)*s) || *s == '+' || *s == '/'))
            return false;
    }
    return n % 4 == 0 && pad <= 2;
}

/* Schema rules a transaction FAILs on. full: a create or PUT (required
 * keys checked); a PATCH checks only what it sends. */
static bool schema_ok(const json_t *b, bool full)
{
    static const char *const consents[] = {"applied_only", "all", "country_only", NULL};
    static const char *const att_types[] = {"resume", "others", "photo", "cover_letter", NULL};
    static const char *const statuses[] = {"active", "hired", "rejected", "converted",
                                           "withdrawn", NULL};
    static const char *const att_keys[] = {"attachmentContent", "attachmentId",
                                           "attachmentType", "fileName", NULL};
    static const char *const app_keys[] = {"applicationId", "applicationTs", "candidateId",
                                           "lastModifiedTs", NULL};
    static const char *const edu_keys[] = {"degree", "description", "location", "major",
                                           "school", "startTs", NULL};
    static const char *const exp_keys[] = {"company", "isCurrent", "isInternal", "location",
                                           "startTs", "title", NULL};
    static const char *const cert_keys[] = {"certificateName", NULL};
    const char *first = json_string_value(json_object_get(b, "firstName"));
    if (full && (!first || !*first || !json_is_string(json_object_get(b, "emails")) ||
                 !json_object_get(b, "lastActivityTs") ||
                 !json_string_value(json_object_get(b, "candidateId"))))
        return false;
    if (!full && json_object_get(b, "firstName") && (!first || !*first))
        return false;
    const char *consent = json_string_value(json_object_get(b, "contactConsent"));
    if (consent && !one_of(consent, consents))
        return false;
    if (!times_ok(b) || !has_keys(json_object_get(b, "attachments"), att_keys) ||
        !has_keys(json_object_get(b, "applications"), app_keys) ||
        !has_keys(json_object_get(b, "education"), edu_keys) ||
        !has_keys(json_object_get(b, "experience"), exp_keys) ||
        !has_keys(json_object_get(b, "certifications"), cert_keys))
        return false;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(b, "attachments"), i, x) {
        const char *type = json_string_value(json_object_get(x, "attachmentType"));
        const char *content = json_string_value(json_object_get(x, "attachmentContent"));
        if ((type && !one_of(type, att_types)) ||
            (content && json_is_true(json_object_get(x, "isBase64")) && !base64_ok(content)) ||
            !json_string_value(json_object_get(x, "attachmentId")))
            return false;
    }
    json_array_foreach(json_object_get(b, "applications"), i, x) {
        const char *status = json_string_value(json_object_get(x, "status"));
        if ((status && !one_of(status, statuses)) ||
            !json_string_value(json_object_get(x, "applicationId")))
            return false;
    }
    return true;
}

/* ---- transactions ---- */

/* Apply a due transaction's write. Called with e->lock held. */
static void settle(eightfold_emu *e)
{
    const char *id;
    json_t *t;
    double now = now_ms();
    json_object_foreach(e->transactions, id, t) {
        const char *status = json_string_value(json_object_get(t, "status"));
        if (strcmp(status, "IN PROGRESS") != 0 ||
            json_real_value(json_object_get(t, "due_ms")) > now)
            continue;
        json_t *write = json_object_get(t, "write");
        const char *cid = json_string_value(json_object_get(t, "externalEntityId"));
        if (json_is_true(json_object_get(t, "fail")) || !write) {
            json_object_set_new(t, "status", json_string("FAIL"));
            continue;
        }
        if (!json_object_get(e->candidates, cid))
            json_array_append_new(e->order, json_string(cid));
        json_object_set(e->candidates, cid, write);
        json_object_del(t, "write");
        json_object_set_new(t, "status", json_string("PASS"));
    }
}

/* Queue a write (profile taken, or NULL for one that FAILs) and answer
 * {"transactionId"}. Called with e->lock held. */
static void accept_write(eightfold_emu *e, emu_response *resp, const char *cid, json_t *profile)
{
    char id[48], ef[32];
    snprintf(id, sizeof id, "txn-%016llx", 0x7f3c2a9e41b80000ULL + ++e->counter);
    snprintf(ef, sizeof ef, "Ef%08llx", e->counter);
    bool fail = !profile || e->fail_next;
    e->fail_next = false;
    json_t *t = json_pack("{s:s, s:f, s:s, s:s, s:b}", "status", "IN PROGRESS", "due_ms",
                          now_ms() + e->cfg.txn_delay_ms, "externalEntityId", cid ? cid : "",
                          "efEntityId", ef, "fail", fail);
    if (profile)
        json_object_set_new(t, "write", profile);
    json_object_set_new(e->transactions, id, t);
    settle(e);
    emu_resp_json(resp, 200, json_pack("{s:s}", "transactionId", id));
}

static void on_transaction(const emu_request *req, emu_response *resp, void *ud)
{
    eightfold_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    settle(e);
    json_t *t = json_object_get(e->transactions, emu_req_param(req, "id"));
    json_t *answer = t ? json_pack("{s:{s:O, s:O, s:O}}", "data", "efEntityId",
                                   json_object_get(t, "efEntityId"), "status",
                                   json_object_get(t, "status"), "externalEntityId",
                                   json_object_get(t, "externalEntityId"))
                       : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!answer)
        return error(resp, 404, "Transaction not found");
    emu_resp_json(resp, 200, answer);
}

/* ---- candidates ---- */

static void record_write(eightfold_emu *e, const json_t *body)
{
    json_decref(e->last_write);
    e->last_write = json_deep_copy(body);
}

static void on_create(const emu_request *req, emu_response *resp, void *ud)
{
    eightfold_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    json_t *body = emu_req_json(req);
    const char *bad = type_error(body);
    if (bad) {
        char msg[128];
        snprintf(msg, sizeof msg, "Invalid value for %s", bad);
        return error(resp, 400, msg);
    }
    const char *cid = json_string_value(json_object_get(body, "candidateId"));
    const char *sys = json_string_value(json_object_get(body, "systemId"));
    pthread_mutex_lock(&e->lock);
    record_write(e, body);
    settle(e);
    bool ok = schema_ok(body, true) && (!sys || strcmp(sys, e->system_id) == 0) &&
              !json_is_true(json_object_get(body, "autoGenerateCandidateId")) &&
              !(e->cfg.duplicate_fails && json_object_get(e->candidates, cid));
    json_t *profile = ok ? json_deep_copy(body) : NULL;
    if (profile && !sys)
        json_object_set_new(profile, "systemId", json_string(e->system_id));
    accept_write(e, resp, cid, profile);
    pthread_mutex_unlock(&e->lock);
}

static void on_update(const emu_request *req, emu_response *resp, void *ud)
{
    eightfold_emu *e = ud;
    bool patch = strcmp(emu_req_method(req), "PATCH") == 0;
    if (!admit(e, req, resp))
        return;
    json_t *body = emu_req_json(req);
    const char *bad = type_error(body), *cid = emu_req_param(req, "id");
    if (bad) {
        char msg[128];
        snprintf(msg, sizeof msg, "Invalid value for %s", bad);
        return error(resp, 400, msg);
    }
    pthread_mutex_lock(&e->lock);
    record_write(e, body);
    settle(e);
    json_t *old = json_object_get(e->candidates, cid);
    if (!old) {
        pthread_mutex_unlock(&e->lock);
        return error(resp, 404, "ATS candidate not found");
    }
    /* PUT replaces the record; PATCH replaces the keys it sends. */
    json_t *profile = patch ? json_deep_copy(old) : json_object();
    json_object_update(profile, body);
    json_object_set_new(profile, "candidateId", json_string(cid));
    json_object_set_new(profile, "systemId", json_string(e->system_id));
    if (!schema_ok(patch ? body : profile, !patch)) {
        json_decref(profile);
        profile = NULL;
    }
    accept_write(e, resp, cid, profile);
    pthread_mutex_unlock(&e->lock);
}

/* A stored profile as GET shows it: applications, tags and notes only when
 * include names them (comma-separated). New. */
static json_t *shown(const json_t *profile, const char *include)
{
    static const char *const optional[] = {"applications", "tags", "notes"};
    json_t *out = json_deep_copy(profile);
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        bool asked = false;
        const char *p = include;
        size_t n = strlen(optional[i]);
        while (p && *p) {
            size_t len = strcspn(p, ",");
            if (len == n && strncmp(p, optional[i], n) == 0)
                asked = true;
            p += len;
            if (*p)
                p++;
        }
        if (!asked)
            json_object_del(out, optional[i]);
    }
    return out;
}

static void on_get(const emu_request *req, emu_response *resp, void *ud)
{
    eightfold_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    settle(e);
    json_t *p = json_object_get(e->candidates, emu_req_param(req, "id"));
    json_t *answer = p ? shown(p, emu_req_query(req, "include")) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!answer)
        return error(resp, 404, "ATS candidate not found");
    emu_resp_json(resp, 200, answer);
}

static long query_int(const emu_request *req, const char *name, long fallback)
{
    const char *v = emu_req_query(req, name);
    char *end;
    long n = v ? strtol(v, &end, 10) : fallback;
    return v && (*end || end == v || n < 0) ? -1 : n;
}

static void on_list(const emu_request *req, emu_response *resp, void *ud)
{
    eightfold_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    long start = query_int(req, "start", 0), limit = query_int(req, "limit", 10);
    if (start < 0 || limit < 0)
        return error(resp, 400, "start and limit are non-negative integers");
    if (limit == 0 || limit > 100)
        limit = limit ? 100 : 10;
    pthread_mutex_lock(&e->lock);
    settle(e);
    json_t *data = json_array();
    size_t total = json_array_size(e->order);
    for (size_t i = (size_t)start; i < total && json_array_size(data) < (size_t)limit; i++) {
        json_t *p = json_object_get(e->candidates,
                                    json_string_value(json_array_get(e->order, i)));
        json_array_append_new(data, shown(p, NULL));
    }
    pthread_mutex_unlock(&e->lock);
    json_int_t page = (json_int_t)json_array_size(data);
    emu_resp_json(resp, 200, json_pack("{s:o, s:{s:I, s:I, s:I}}", "data", data, "meta",
                                       "totalCount", (json_int_t)total, "pageTotalCount", page,
                                       "pageStartIndex", (json_int_t)start));
}

/* ---- set-up ---- */

eightfold_emu *eightfold_emu_install(emu_server *srv, const eightfold_emu_config *cfg)
{
    eightfold_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->cfg = *cfg;
    e->client_id = strdup(cfg->client_id ? cfg->client_id : "");
    e->client_secret = strdup(cfg->client_secret ? cfg->client_secret : "");
    e->username = strdup(cfg->username ? cfg->username : "");
    e->password = strdup(cfg->password ? cfg->password : "");
    e->system_id = strdup(cfg->system_id ? cfg->system_id : "sandbox_ats");
    e->tokens = json_object();
    e->candidates = json_object();
    e->order = json_array();
    e->transactions = json_object();
    if (!e->client_id || !e->client_secret || !e->username || !e->password || !e->system_id ||
        !e->tokens || !e->candidates || !e->order || !e->transactions ||
        emu_route(srv, "POST", "/oauth/v1/authenticate", on_token, e) ||
        emu_route(srv, "GET", "/api/v2/core/transactions/:id", on_transaction, e) ||
        emu_route(srv, "POST", BASE, on_create, e) || emu_route(srv, "GET", BASE, on_list, e) ||
        emu_route(srv, "GET", BASE "/:id", on_get, e) ||
        emu_route(srv, "PUT", BASE "/:id", on_update, e) ||
        emu_route(srv, "PATCH", BASE "/:id", on_update, e)) {
        eightfold_emu_free(e);
        return NULL;
    }
    return e;
}

void eightfold_emu_free(eightfold_emu *e)
{
    if (!e)
        return;
    json_decref(e->tokens);
    json_decref(e->candidates);
    json_decref(e->order);
    json_decref(e->transactions);
    json_decref(e->last_write);
    free(e->last_token_body);
    free(e->client_id);
    free(e->client_secret);
    free(e->username);
    free(e->password);
    free(e->system_id);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

void eightfold_emu_revoke_tokens(eightfold_emu *e)
{
    pthread_mutex_lock(&e->lock);
    json_object_clear(e->tokens);
    pthread_mutex_unlock(&e->lock);
}

void eightfold_emu_set_delay(eightfold_emu *e, unsigned txn_delay_ms)
{
    pthread_mutex_lock(&e->lock);
    e->cfg.txn_delay_ms = txn_delay_ms;
    pthread_mutex_unlock(&e->lock);
}

void eightfold_emu_fail_next(eightfold_emu *e)
{
    pthread_mutex_lock(&e->lock);
    e->fail_next = true;
    pthread_mutex_unlock(&e->lock);
}

unsigned eightfold_emu_tokens_issued(eightfold_emu *e)
{
    pthread_mutex_lock(&e->lock);
    unsigned n = e->tokens_issued;
    pthread_mutex_unlock(&e->lock);
    return n;
}

char *eightfold_emu_last_token_body(eightfold_emu *e, bool *json)
{
    pthread_mutex_lock(&e->lock);
    char *copy = dup_or_null(e->last_token_body);
    if (json)
        *json = e->last_token_json;
    pthread_mutex_unlock(&e->lock);
    return copy;
}

size_t eightfold_emu_candidate_count(eightfold_emu *e)
{
    pthread_mutex_lock(&e->lock);
    settle(e);
    size_t n = json_object_size(e->candidates);
    pthread_mutex_unlock(&e->lock);
    return n;
}

json_t *eightfold_emu_candidate(eightfold_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    settle(e);
    json_t *c = json_object_get(e->candidates, id);
    json_t *copy = c ? json_deep_copy(c) : NULL;
    pthread_mutex_unlock(&e->lock);
    return copy;
}

json_t *eightfold_emu_last_write(eightfold_emu *e)
{
    pthread_mutex_lock(&e->lock);
    json_t *copy = e->last_write ? json_deep_copy(e->last_write) : NULL;
    pthread_mutex_unlock(&e->lock);
    return copy;
}

/* ---- uats-sandbox ---- */

#define SANDBOX_SYSTEM "sandbox_ats"

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    /* Eightfold documents no rate limit, so the sandbox enforces none. */
    eightfold_emu_config cfg = {EMU_SANDBOX_CLIENT, EMU_SANDBOX_SECRET, EMU_SANDBOX_USER,
                                EMU_SANDBOX_KEY, SANDBOX_SYSTEM, 0, 0, false, 0};
    (void)rate_limit;
    return eightfold_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    eightfold_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I}", "candidates", (json_int_t)eightfold_emu_candidate_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    (void)state;
    return emu_sandbox_write_json(
               dir, "eightfold",
               json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s}}", "connector", "eightfold",
                         "base_url", emu_base_url(srv), "credentials", "client_id",
                         EMU_SANDBOX_CLIENT, "client_secret", EMU_SANDBOX_SECRET, "username",
                         EMU_SANDBOX_USER, "password", EMU_SANDBOX_KEY, "options", "system_id",
                         SANDBOX_SYSTEM)) ||
           emu_sandbox_write_job(dir, "eightfold", EIGHTFOLD_EMU_JOB);
}

const emu_sandbox_vendor eightfold_sandbox = {"eightfold", "/api/v2", sandbox_install,
                                              sandbox_free, sandbox_state, sandbox_configs};
