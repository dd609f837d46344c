/*
 * plugins/greenhouse/greenhouse.c: the Greenhouse connector: Harvest v3
 * (OAuth 2.0 client credentials, the acting user bound into the token) and
 * Harvest v1 (Basic auth with the API key, On-Behalf-Of on writes), chosen
 * by the option api_version. Mapping lives in greenhouse_map.c; this file
 * makes the calls, through the core's HTTP service. The call sequences and
 * their counts are in plugins/greenhouse/README.md.
 */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "greenhouse.h"

static const uats_option_spec options[] = {
    {"api_version", 0, "Harvest API: v3 (default; OAuth client_id/client_secret) or v1 "
                       "(api_key)"},
    {"on_behalf_of", 0, "Greenhouse user id that acts: v3 the token's sub (required), v1 "
                        "the On-Behalf-Of header of writes"},
    {"token_url", 0, "v3 OAuth token endpoint (default https://auth.greenhouse.io/token)"},
    {"not_ready_wait_ms", 0, "how long a read right after a create waits for Greenhouse to "
                             "finish the record (default 30000)"},
    {NULL, 0, NULL},
};

/* Candidates this connection created lately: a 404 (v1) or an empty list
 * (v3) for one of them means "not readable yet", not "gone". */
#define RECENT_SLOTS 64
#define RECENT_SECONDS 600.0

typedef struct gh_state {
    gh_version v;
    const char *on_behalf_of;  /* borrowed option, digits, or NULL */
    long wait_ms;              /* budget for not-yet-readable records */
    pthread_mutex_t lock;      /* guards recent */
    struct {
        char id[24];
        double at;
    } recent[RECENT_SLOTS];
    size_t next;
} gh_state;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void remember(gh_state *st, const char *id)
{
    pthread_mutex_lock(&st->lock);
    snprintf(st->recent[st->next].id, sizeof st->recent[0].id, "%s", id);
    st->recent[st->next].at = now_s();
    st->next = (st->next + 1) % RECENT_SLOTS;
    pthread_mutex_unlock(&st->lock);
}

static bool is_recent(gh_state *st, const char *id)
{
    bool found = false;
    double now = now_s();
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < RECENT_SLOTS && !found; i++)
        found = st->recent[i].id[0] && strcmp(st->recent[i].id, id) == 0 &&
                now - st->recent[i].at < RECENT_SECONDS;
    pthread_mutex_unlock(&st->lock);
    return found;
}

/* Wait before asking again for a record Greenhouse is still building:
 * 250 ms doubling to 4 s, within the budget. False when it is spent. */
static bool wait_again(const gh_state *st, long *waited, long *step)
{
    if (*waited >= st->wait_ms)
        return false;
    long ms = *step < st->wait_ms - *waited ? *step : st->wait_ms - *waited;
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0)
        ;
    *waited += ms;
    *step = *step * 2 > 4000 ? 4000 : *step * 2;
    return true;
}

/* ---- open / close ---- */

/* A base URL given with the version ("https://harvest.greenhouse.io/v1")
 * loses it: paths carry their own. A version that contradicts api_version
 * is a configuration error. */
static uats_code trim_version(uats_call *call, gh_version v)
{
    const char *base = uats_host->base_url(call);
    size_t len = strlen(base);
    if (len < 3 || base[len - 3] != '/' || base[len - 2] != 'v' ||
        (base[len - 1] != '1' && base[len - 1] != '3'))
        return UATS_OK;
    if ((base[len - 1] == '1') != (v == GH_V1))
        return uats_host->fail(call, UATS_E_CONFIG, "base_url ends in /v%c but api_version "
                               "is v%d", base[len - 1], (int)v);
    char *root = uats_host->strdup(base);
    if (!root)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    root[len - 3] = '\0';
    uats_code rc = uats_host->set_base_url(call, root);
    uats_host->free(root);
    return rc;
}

static uats_code check_credentials(uats_call *call, gh_state *st)
{
    bool oauth = uats_host->credential(call, "client_id") &&
                 uats_host->credential(call, "client_secret");
    bool token = uats_host->credential(call, "token") != NULL;
    bool key = uats_host->credential(call, "api_key") != NULL;
    if (st->v == GH_V1 && !key)
        return uats_host->fail(call, UATS_E_CONFIG, "Harvest v1 authenticates with the API "
                               "key: set credentials.api_key");
    if (st->v == GH_V3 && !oauth && !token)
        return uats_host->fail(call, UATS_E_CONFIG,
                               key ? "Harvest v3 takes OAuth client credentials "
                                     "(credentials.client_id and client_secret); api_key "
                                     "is v1's: set options.api_version to v1 to use it"
                                   : "Harvest v3 takes OAuth client credentials: set "
                                     "credentials.client_id and client_secret");
    if (st->v == GH_V3 && oauth && !token && !st->on_behalf_of)
        return uats_host->fail(call, UATS_E_CONFIG, "Harvest v3 tokens act as a Greenhouse "
                               "user: set options.on_behalf_of to that user's id");
    return UATS_OK;
}

static uats_code gh_open(uats_call *call, void **state)
{
    const char *version = uats_host->option(call, "api_version");
    const char *who = uats_host->option(call, "on_behalf_of");
    const char *token_url = uats_host->option(call, "token_url");
    const char *wait = uats_host->option(call, "not_ready_wait_ms");
    gh_version v;
    if (!version || strcmp(version, "v3") == 0)
        v = GH_V3;
    else if (strcmp(version, "v1") == 0)
        v = GH_V1;
    else
        return uats_host->fail(call, UATS_E_CONFIG, "options.api_version is \"%s\"; Greenhouse "
                               "Harvest is v3 or v1", version);
    if (who && !gh_digits_only(who))
        return uats_host->fail(call, UATS_E_CONFIG, "options.on_behalf_of is a Greenhouse "
                               "user id (a number), not \"%s\"", who);
    char *end = NULL;
    long wait_ms = wait ? strtol(wait, &end, 10) : 30000;
    if (wait && (*end || wait_ms < 0 || wait_ms > 600000))
        return uats_host->fail(call, UATS_E_CONFIG, "options.not_ready_wait_ms needs a "
                               "number of milliseconds from 0 to 600000");
    gh_state *st = uats_host->alloc(sizeof *st);
    if (!st)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    memset(st, 0, sizeof *st);
    st->v = v;
    st->on_behalf_of = who;
    st->wait_ms = wait_ms;
    pthread_mutex_init(&st->lock, NULL);
    uats_code rc = check_credentials(call, st);
    if (rc == UATS_OK)
        rc = trim_version(call, v);
    if (rc == UATS_OK && v == GH_V3 && token_url)
        rc = uats_host->oauth_token_url(call, token_url);
    if (rc == UATS_OK && v == GH_V3 && who)
        rc = uats_host->oauth_param(call, "sub", who);
    if (rc != UATS_OK) {
        pthread_mutex_destroy(&st->lock);
        uats_host->free(st);
        return rc;
    }
    *state = st;
    return UATS_OK;
}

static void gh_close(void *state)
{
    gh_state *st = state;
    pthread_mutex_destroy(&st->lock);
    uats_host->free(st);
}

/* ---- requests ---- */

/* The acting user of a write: v1 the input's acting_user, else the option;
 * v3 the token's user, which acting_user may only repeat. */
static uats_code acting_user(uats_call *call, const gh_state *st, const json_t *input,
                             const char **who)
{
    const char *asked = json_string_value(json_object_get(input, "acting_user"));
    *who = st->on_behalf_of;
    if (st->v == GH_V3) {
        if (asked && (!st->on_behalf_of || strcmp(asked, st->on_behalf_of) != 0))
            return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "acting_user", NULL,
                                         "Harvest v3 writes act as the token's user (%s); "
                                         "open a connection with on_behalf_of %s to act as "
                                         "that user (nothing was sent)",
                                         st->on_behalf_of ? st->on_behalf_of : "unset", asked);
        return UATS_OK;
    }
    if (asked)
        *who = asked;
    if (!*who)
        return uats_host->fail(call, UATS_E_CONFIG, "Greenhouse records every write as a user: "
                               "set options.on_behalf_of on the connection or acting_user on "
                               "the input (nothing was sent)");
    if (!gh_digits_only(*who))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "acting_user", NULL,
                                     "acting_user is a Greenhouse user id (a number), not "
                                     "\"%s\"", *who);
    return UATS_OK;
}

/* A v1 write: JSON body (borrowed), On-Behalf-Of, and 422 answers read
 * here so the field Greenhouse names becomes the unified input field. */
static uats_http_req *v1_write(uats_call *call, const char *who, const json_t *body,
                               uats_http_req *req)
{
    uats_host->http_header(req, "On-Behalf-Of", who);
    uats_host->http_json_body(req, body);
    uats_host->http_accept(req, 422);
    return req;
}

/* Record a v1 validation answer {message, errors: [{message, field}]}. */
static uats_code v1_refused(uats_call *call, uats_http_resp *resp, bool attachment,
                            const char *prefix)
{
    json_t *doc = uats_host->http_resp_json(resp);
    json_t *first = json_array_get(json_object_get(doc, "errors"), 0);
    const char *message = json_string_value(json_object_get(first, "message"));
    const char *gh_field = json_string_value(json_object_get(first, "field"));
    char path[128];
    if (!message)
        message = json_string_value(json_object_get(doc, "message"));
    const char *field = gh_input_field(gh_field, attachment, prefix, path, sizeof path);
    return uats_host->fail_field(call, UATS_E_VALIDATION, 422, field, message,
                                 "Greenhouse refused the %s%s%s", attachment ? "file" : "candidate",
                                 gh_field ? ": field " : "", gh_field ? gh_field : "");
}

/* Follow a "Link: <url>; rel=\"next\"" header into out; false at the end. */
static bool next_link(const char *link, char *out, size_t size)
{
    for (const char *p = link; p && *p;) {
        const char *open = strchr(p, '<'), *close = open ? strchr(open, '>') : NULL;
        if (!close)
            return false;
        const char *end = strchr(close, ',');
        size_t params = end ? (size_t)(end - close) : strlen(close);
        if (memmem(close, params, "rel=\"next\"", 10) || memmem(close, params, "rel=next", 8)) {
            size_t len = (size_t)(close - open - 1);
            if (len == 0 || len >= size)
                return false;
            memcpy(out, open + 1, len);
            out[len] = '\0';
            return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

/* Every row of a v3 list filtered by one parameter, across its cursor
 * pages (each page a bare array). *rows is new. */
static uats_code v3_list(uats_call *call, const char *resource, const char *filter,
                         const char *value, json_t **rows)
{
    char next[4096];
    uats_http_req *req = uats_host->http_new(call, "GET", "/v3/%s", resource);
    uats_host->http_query(req, filter, value);
    uats_host->http_query(req, "per_page", "500");
    *rows = json_array();
    if (!*rows) {
        uats_host->http_req_free(req);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    for (int page = 0; page < 100; page++) {
        uats_http_resp *resp;
        uats_code rc = uats_host->http_send(req, &resp);
        if (rc != UATS_OK)
            goto fail;
        json_t *doc = uats_host->http_resp_json(resp);
        if (!json_is_array(doc)) {
            uats_host->http_resp_free(resp);
            rc = doc ? uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's %s list is not an "
                                       "array", resource)
                     : UATS_E_VENDOR;
            goto fail;
        }
        json_array_extend(*rows, doc);
        /* Only the cursor URL, verbatim: Greenhouse refuses a cursor with
         * any other parameter. */
        bool more = next_link(uats_host->http_resp_header(resp, "Link"), next, sizeof next);
        uats_host->http_resp_free(resp);
        if (!more)
            return UATS_OK;
        if (!(req = uats_host->http_new_url(call, "GET", next))) {
            rc = UATS_E_NOMEM;
            goto fail;
        }
        continue;
    fail:
        json_decref(*rows);
        *rows = NULL;
        return rc;
    }
    json_decref(*rows);
    *rows = NULL;
    return uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's %s list did not end after 100 "
                           "pages", resource);
}

/* One v3 candidate row by id. *row is new. settle: the id was created
 * lately, so an empty answer means "not yet" and is asked again. */
static uats_code v3_candidate(uats_call *call, gh_state *st, const char *id, bool settle,
                              json_t **row)
{
    long waited = 0, step = 250;
    *row = NULL;
    for (;;) {
        uats_http_resp *resp;
        uats_http_req *req = uats_host->http_new(call, "GET", "/v3/candidates");
        uats_host->http_query(req, "ids", id);
        uats_code rc = uats_host->http_send(req, &resp);
        if (rc != UATS_OK)
            return rc;
        json_t *doc = uats_host->http_resp_json(resp);
        if (!doc) {
            uats_host->http_resp_free(resp);
            return UATS_E_VENDOR;
        }
        /* A {message} object instead of the list: still processing. */
        bool processing = json_is_object(doc) && json_object_get(doc, "message");
        if (json_is_array(doc) && json_array_size(doc) > 0) {
            json_t *first = json_array_get(doc, 0);
            char got[32];
            json_t *idv = json_object_get(first, "id");
            snprintf(got, sizeof got, "%lld",
                     json_is_integer(idv) ? (long long)json_integer_value(idv) : -1LL);
            if (json_array_size(doc) != 1 || strcmp(got, id) != 0) {
                uats_host->http_resp_free(resp);
                return uats_host->fail(call, UATS_E_VENDOR, "Greenhouse answered ids=%s with "
                                       "another candidate", id);
            }
            *row = json_incref(first);
            uats_host->http_resp_free(resp);
            return UATS_OK;
        }
        if (!json_is_array(doc) && !processing) {
            uats_host->http_resp_free(resp);
            return uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's candidate list is not "
                                   "an array");
        }
        char message[256];
        snprintf(message, sizeof message, "%s",
                 processing ? json_string_value(json_object_get(doc, "message")) : "");
        uats_host->http_resp_free(resp);
        if (settle && wait_again(st, &waited, &step))
            continue;
        if (processing)
            return uats_host->fail_vendor(call, UATS_E_VENDOR, 200, message, "Greenhouse is "
                                          "still processing candidate %s", id);
        return uats_host->fail_vendor(call, UATS_E_NOT_FOUND, 200, NULL,
                                      "Greenhouse has no candidate %s", id);
    }
}

/* GET /v1/candidates/{id}, asked again while a lately created record is
 * still being built (Greenhouse's advice). *resp is new. */
static uats_code v1_candidate(uats_call *call, gh_state *st, const char *id, bool settle,
                              uats_http_resp **resp)
{
    long waited = 0, step = 250;
    for (;;) {
        uats_http_req *req = uats_host->http_new(call, "GET", "/v1/candidates/%s", id);
        if (settle)
            uats_host->http_accept(req, 404);
        uats_code rc = uats_host->http_send(req, resp);
        if (rc != UATS_OK)
            return rc;
        if (uats_host->http_status(*resp) != 404)
            break;
        uats_host->http_resp_free(*resp);
        *resp = NULL;
        if (!wait_again(st, &waited, &step))
            return uats_host->fail_vendor(call, UATS_E_NOT_FOUND, 404, NULL,
                                          "Greenhouse has not made candidate %s readable "
                                          "after %ld ms", id, waited);
    }
    if (!json_is_object(uats_host->http_resp_json(*resp))) {
        uats_host->http_resp_free(*resp);
        *resp = NULL;
        return uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's candidate is not an object");
    }
    return UATS_OK;
}

/* ---- get ---- */

static uats_code v3_get(uats_call *call, gh_state *st, const char *id, json_t **out)
{
    json_t *row, *apps = NULL, *atts = NULL;
    uats_code rc = v3_candidate(call, st, id, is_recent(st, id), &row);
    if (rc == UATS_OK)
        rc = v3_list(call, "applications", "candidate_ids", id, &apps);
    if (rc == UATS_OK)
        rc = v3_list(call, "attachments", "candidate_ids", id, &atts);
    if (rc == UATS_OK)
        rc = (*out = gh_to_candidate(call, GH_V3, row, apps, atts)) ? UATS_OK : UATS_E_VENDOR;
    json_decref(row);
    json_decref(apps);
    json_decref(atts);
    return rc;
}

static uats_code gh_get(uats_call *call, void *state, const char *id, json_t **out)
{
    gh_state *st = state;
    uats_http_resp *resp;
    if (!gh_digits_only(id))
        return uats_host->fail(call, UATS_E_NOT_FOUND, "Greenhouse candidate ids are numbers; "
                               "there is no candidate \"%s\"", id);
    if (st->v == GH_V3)
        return v3_get(call, st, id, out);
    uats_code rc = v1_candidate(call, st, id, is_recent(st, id), &resp);
    if (rc != UATS_OK)
        return rc;
    *out = gh_to_candidate(call, GH_V1, uats_host->http_resp_json(resp), NULL, NULL);
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* ---- attachments ---- */

/* Statuses an upload inside a create reports itself, so the file's own
 * failure becomes a warning and the created candidate is still returned. */
static void accept_refusals(uats_http_req *req)
{
    static const long refusals[] = {400, 403, 404, 413, 422};
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
        uats_host->http_accept(req, refusals[i]);
}

/* The vendor's words for a refused upload, for a warning. */
static void refusal_text(uats_http_resp *resp, char *out, size_t size)
{
    json_t *doc = uats_host->http_resp_json(resp);
    json_t *errors = json_object_get(doc, "errors"), *first = json_array_get(errors, 0);
    const char *text = json_is_string(first) ? json_string_value(first)
                                              : json_string_value(json_object_get(first, "message"));
    if (!text)
        text = json_string_value(json_object_get(doc, "message"));
    snprintf(out, size, "HTTP %ld: %s", uats_host->http_status(resp), text ? text : "refused");
}

/*
 * Send one upload. v1: to the candidate or the application (target);
 * v3: to the application. in_create: a refusal is a warning at path and
 * *answer stays NULL. *answer is new: the vendor's JSON answer.
 */
static uats_code upload(uats_call *call, gh_state *st, const char *who, const char *cand_id,
                        const char *app_id, const json_t *body, gh_target target,
                        bool in_create, const char *path, json_t **answer)
{
    uats_http_req *req;
    uats_http_resp *resp;
    *answer = NULL;
    if (st->v == GH_V3) {
        json_t *b = json_deep_copy(body);
        json_object_set_new(b, "application_id", json_integer(strtoll(app_id, NULL, 10)));
        req = uats_host->http_new(call, "POST", "/v3/attachments");
        uats_host->http_json_body(req, b);
        json_decref(b);
    } else {
        req = target == GH_ON_APPLICATION
                  ? uats_host->http_new(call, "POST", "/v1/applications/%s/attachments", app_id)
                  : uats_host->http_new(call, "POST", "/v1/candidates/%s/attachments", cand_id);
        v1_write(call, who, body, req);
    }
    if (in_create)
        accept_refusals(req);
    uats_code rc = uats_host->http_send(req, &resp);
    if (rc != UATS_OK) {
        if (in_create)
            uats_host->warn(call, path, "the upload failed after the candidate was created "
                            "(see the log); the file may or may not be stored");
        return in_create ? UATS_OK : rc;
    }
    long status = uats_host->http_status(resp);
    if (status >= 300) {
        char why[600];
        if (!in_create) {
            rc = v1_refused(call, resp, true, "");
        } else {
            refusal_text(resp, why, sizeof why);
            uats_host->warn(call, path, "Greenhouse refused the file: %s", why);
        }
        uats_host->http_resp_free(resp);
        return in_create ? UATS_OK : rc;
    }
    json_t *doc = uats_host->http_resp_json(resp);
    *answer = json_is_object(doc) ? json_incref(doc) : NULL;
    uats_host->http_resp_free(resp);
    if (*answer)
        return UATS_OK;
    if (in_create) {
        uats_host->warn(call, path, "Greenhouse took the file but its answer was unreadable");
        return UATS_OK;
    }
    return doc ? uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's answer to the upload is "
                                 "not an object")
               : UATS_E_VENDOR;
}

/* The entry of a v1 candidate's attachments that an upload made: the
 * newest with its URL, else with its file name and type. */
static const json_t *v1_find_upload(const json_t *cand, const json_t *answer)
{
    const char *url = json_string_value(json_object_get(answer, "url"));
    const char *name = json_string_value(json_object_get(answer, "filename"));
    const char *type = json_string_value(json_object_get(answer, "type"));
    const json_t *best = NULL;
    size_t i;
    json_t *e;
    for (int pass = 0; pass < 2 && !best; pass++) {
        json_array_foreach(json_object_get(cand, "attachments"), i, e) {
            const char *eu = json_string_value(json_object_get(e, "url"));
            const char *en = json_string_value(json_object_get(e, "filename"));
            const char *et = json_string_value(json_object_get(e, "type"));
            bool match = pass == 0 ? url && eu && strcmp(url, eu) == 0
                                   : name && en && strcmp(name, en) == 0 &&
                                         (!type || (et && strcmp(type, et) == 0));
            const char *when = json_string_value(json_object_get(e, "created_at"));
            const char *best_when = json_string_value(json_object_get(best, "created_at"));
            if (match && when && (!best_when || strcmp(when, best_when) > 0))
                best = e;
        }
    }
    return best;
}

static uats_code v1_attach(uats_call *call, gh_state *st, const char *cand_id,
                           const json_t *input, json_t **out)
{
    const char *who, *type = json_string_value(json_object_get(input, "type"));
    const char *wanted = json_string_value(json_object_get(input, "application_id"));
    uats_http_resp *resp = NULL;
    char app_id[32] = "";
    uats_code rc = acting_user(call, st, NULL, &who);
    if (rc != UATS_OK)
        return rc;
    bool on_candidate = type && (strcmp(type, "RESUME") == 0 || strcmp(type, "COVER_LETTER") == 0);
    if (!on_candidate || wanted) {
        /* Other files go on an application: read which ones exist. */
        if ((rc = v1_candidate(call, st, cand_id, is_recent(st, cand_id), &resp)) != UATS_OK)
            return rc;
        json_t *apps = json_object_get(uats_host->http_resp_json(resp), "applications");
        const json_t *pick = NULL;
        size_t i;
        json_t *app;
        json_array_foreach(apps, i, app) {
            json_t *idv = json_object_get(app, "id");
            char text[32];
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(idv));
            if (wanted && strcmp(text, wanted) == 0)
                pick = app;
        }
        if (wanted && !pick) {
            uats_host->http_resp_free(resp);
            return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "application_id", NULL,
                                         "candidate %s has no application %s", cand_id, wanted);
        }
        if (!pick)
            pick = gh_pick_application(apps);
        if (pick)
            snprintf(app_id, sizeof app_id, "%lld",
                     (long long)json_integer_value(json_object_get(pick, "id")));
        uats_host->http_resp_free(resp);
    }
    json_t *body, *answer;
    gh_target target;
    if ((rc = gh_attachment_body(call, GH_V1, input, "", app_id[0] != '\0', &body, &target)))
        return rc;
    if (wanted && target == GH_ON_CANDIDATE)
        target = GH_ON_APPLICATION; /* the caller named it: resumes too */
    rc = upload(call, st, who, cand_id, app_id, body, target, false, "", &answer);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    /* v1 answers without an id or a time: read the candidate back to
     * find the entry, whose time makes the id. */
    if ((rc = v1_candidate(call, st, cand_id, true, &resp)) == UATS_OK) {
        const json_t *entry = v1_find_upload(uats_host->http_resp_json(resp), answer);
        const char *ct = json_string_value(json_object_get(answer, "content_type"));
        *out = entry ? gh_v1_to_attachment(call, cand_id, entry, ct) : NULL;
        if (!entry)
            uats_host->fail(call, UATS_E_VENDOR, "Greenhouse stored the file, but it is not "
                            "among candidate %s's attachments", cand_id);
        rc = *out ? UATS_OK : UATS_E_VENDOR;
        uats_host->http_resp_free(resp);
    }
    json_decref(answer);
    return rc;
}

/* The application a v3 upload goes on: the one named (checked to be the
 * candidate's), else the newest active one, else the newest. */
static uats_code v3_application_for(uats_call *call, gh_state *st, const char *cand_id,
                                    const char *wanted, char *app_id, size_t size)
{
    json_t *apps;
    uats_code rc = wanted ? v3_list(call, "applications", "ids", wanted, &apps)
                          : v3_list(call, "applications", "candidate_ids", cand_id, &apps);
    if (rc != UATS_OK)
        return rc;
    const json_t *pick = gh_pick_application(apps);
    char owner[32] = "";
    json_t *ov = json_object_get(pick, "candidate_id");
    if (json_is_integer(ov))
        snprintf(owner, sizeof owner, "%lld", (long long)json_integer_value(ov));
    if (pick)
        snprintf(app_id, size, "%lld", (long long)json_integer_value(json_object_get(pick, "id")));
    json_decref(apps);
    if (wanted && (!pick || strcmp(owner, cand_id) != 0))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "application_id", NULL,
                                     "candidate %s has no application %s", cand_id, wanted);
    if (pick)
        return UATS_OK;
    /* No application: tell a missing candidate from one without jobs. */
    json_t *row;
    if ((rc = v3_candidate(call, st, cand_id, is_recent(st, cand_id), &row)) != UATS_OK)
        return rc;
    json_decref(row);
    return uats_host->fail(call, UATS_E_UNSUPPORTED, "Harvest v3 keeps files on applications "
                           "and candidate %s has none (a prospect application would be "
                           "needed; how to create one in v3 is not documented)", cand_id);
}

static uats_code v3_attach(uats_call *call, gh_state *st, const char *cand_id,
                           const json_t *input, json_t **out)
{
    char app_id[32];
    json_t *body, *answer;
    gh_target target;
    uats_code rc = gh_attachment_body(call, GH_V3, input, "", true, &body, &target);
    if (rc != UATS_OK)
        return rc;
    rc = v3_application_for(call, st, cand_id,
                            json_string_value(json_object_get(input, "application_id")), app_id,
                            sizeof app_id);
    if (rc == UATS_OK)
        rc = upload(call, st, NULL, cand_id, app_id, body, target, false, "", &answer);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    *out = gh_v3_to_attachment(call, answer);
    json_decref(answer);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code gh_attach(uats_call *call, void *state, const char *candidate_id,
                           const json_t *input, json_t **out)
{
    gh_state *st = state;
    if (!gh_digits_only(candidate_id))
        return uats_host->fail(call, UATS_E_NOT_FOUND, "Greenhouse candidate ids are numbers; "
                               "there is no candidate \"%s\"", candidate_id);
    return st->v == GH_V3 ? v3_attach(call, st, candidate_id, input, out)
                          : v1_attach(call, st, candidate_id, input, out);
}

/* ---- create ---- */

/* The files of a create, each sent after the candidate exists; a file
 * that fails is a warning, since failing the create would invite the
 * host to create the candidate again. Returns the v3 answers (new). */
static json_t *create_uploads(uats_call *call, gh_state *st, const char *who,
                              const char *cand_id, const char *app_id, const json_t *input)
{
    json_t *answers = json_array();
    size_t i;
    json_t *att;
    json_array_foreach(json_object_get(input, "attachments"), i, att) {
        char path[48];
        json_t *body, *answer;
        gh_target target;
        snprintf(path, sizeof path, "attachments[%zu]", i);
        if (st->v == GH_V3 && !*app_id) {
            uats_host->warn(call, path, "Harvest v3 keeps files on applications and this "
                            "candidate has none (no job was given): not sent");
            continue;
        }
        if (gh_attachment_body(call, st->v, att, path, *app_id != '\0', &body, &target) !=
            UATS_OK) {
            /* Refused before sending: say so and go on with the others. */
            uats_host->warn(call, path, "not sent: Greenhouse cannot take this file as given");
            continue;
        }
        upload(call, st, who, cand_id, app_id, body, target, true, path, &answer);
        json_decref(body);
        if (answer)
            json_array_append_new(answers, answer);
    }
    return answers;
}

/* Fields sent whose echo is missing from v3's answer are warned about
 * rather than claimed as stored: the create body is not documented. */
static void echo_check(uats_call *call, const json_t *sent, const json_t *cand)
{
    static const char *const checked[][2] = {
        {"tags", "tags"}, {"is_private", "is_private"}, {"can_email", "can_email"},
        {"email_addresses", "email_addresses"}, {"phone_numbers", "phone_numbers"}};
    for (size_t i = 0; i < sizeof checked / sizeof checked[0]; i++) {
        json_t *want = json_object_get(sent, checked[i][0]);
        json_t *got = json_object_get(cand, checked[i][0]);
        if (!got && strcmp(checked[i][0], "is_private") == 0)
            got = json_object_get(cand, "private");
        if (want && !json_equal(want, got))
            uats_host->warn(call, checked[i][1], "Greenhouse's answer does not show %s as sent",
                            checked[i][1]);
    }
}

static uats_code v3_create(uats_call *call, gh_state *st, const json_t *input, json_t **out)
{
    const char *who;
    json_t *body, *apps = NULL;
    bool prospect;
    uats_http_resp *resp;
    uats_code rc = acting_user(call, st, input, &who);
    if (rc != UATS_OK || (rc = gh_create_body(call, GH_V3, input, &body, &prospect)))
        return rc;
    uats_http_req *req = uats_host->http_new(call, "POST", "/v3/candidates");
    uats_host->http_json_body(req, body);
    if ((rc = uats_host->http_send(req, &resp)) != UATS_OK) {
        json_decref(body);
        return rc;
    }
    /* Either {candidate, application} or the candidate itself. */
    json_t *doc = uats_host->http_resp_json(resp);
    json_t *cand = json_object_get(doc, "candidate");
    json_t *app = json_object_get(doc, "application");
    if (!json_is_object(cand))
        cand = json_is_integer(json_object_get(doc, "id")) ? doc : NULL;
    char id[32] = "", app_id[32] = "";
    if (cand)
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(cand, "id")));
    if (!cand || !json_is_integer(json_object_get(cand, "id"))) {
        json_decref(body);
        uats_host->http_resp_free(resp);
        return uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's create answer has no "
                               "candidate id");
    }
    json_incref(cand);
    remember(st, id);
    echo_check(call, body, cand);
    if (json_is_object(app) && json_is_integer(json_object_get(app, "id"))) {
        apps = json_pack("[O]", app);
    } else if (!prospect) {
        /* A job was given but the answer has no application: list them. */
        if (v3_list(call, "applications", "candidate_ids", id, &apps) != UATS_OK)
            apps = NULL;
    }
    uats_host->http_resp_free(resp);
    json_decref(body);
    const json_t *pick = gh_pick_application(apps);
    if (pick)
        snprintf(app_id, sizeof app_id, "%lld",
                 (long long)json_integer_value(json_object_get(pick, "id")));
    json_t *files = create_uploads(call, st, who, id, app_id, input);
    if (!apps)
        apps = json_array();
    *out = gh_to_candidate(call, GH_V3, cand, apps, files);
    json_decref(cand);
    json_decref(apps);
    json_decref(files);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code v1_create(uats_call *call, gh_state *st, const json_t *input, json_t **out)
{
    const char *who;
    json_t *body;
    bool prospect;
    uats_http_resp *resp;
    uats_code rc = acting_user(call, st, input, &who);
    if (rc != UATS_OK || (rc = gh_create_body(call, GH_V1, input, &body, &prospect)))
        return rc;
    /* Without a job the person is a prospect: /v1/candidates needs one. */
    uats_http_req *req = uats_host->http_new(call, "POST", prospect ? "/v1/prospects"
                                                                    : "/v1/candidates");
    rc = uats_host->http_send(v1_write(call, who, body, req), &resp);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    if (uats_host->http_status(resp) == 422) {
        rc = v1_refused(call, resp, false, "");
        uats_host->http_resp_free(resp);
        return rc;
    }
    json_t *cand = json_incref(uats_host->http_resp_json(resp));
    uats_host->http_resp_free(resp);
    char id[32], app_id[32] = "";
    if (!json_is_integer(json_object_get(cand, "id"))) {
        json_decref(cand);
        return uats_host->fail(call, UATS_E_VENDOR, "Greenhouse's create answer has no "
                               "candidate id");
    }
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(cand, "id")));
    remember(st, id);
    json_t *app_ids = json_object_get(cand, "application_ids");
    if (json_is_integer(json_array_get(app_ids, 0)))
        snprintf(app_id, sizeof app_id, "%lld",
                 (long long)json_integer_value(json_array_get(app_ids, 0)));
    /* Greenhouse may answer with only the ids while it builds the record. */
    bool truncated = !json_object_get(cand, "first_name");
    size_t nfiles = json_array_size(json_object_get(input, "attachments"));
    json_t *files = nfiles ? create_uploads(call, st, who, id, app_id, input) : NULL;
    json_decref(files);
    if (truncated || nfiles) {
        /* Read the stored record: it has the files and their times. */
        if (v1_candidate(call, st, id, true, &resp) == UATS_OK) {
            json_decref(cand);
            cand = json_incref(uats_host->http_resp_json(resp));
            uats_host->http_resp_free(resp);
        } else if (truncated) {
            uats_host->warn(call, "id", "Greenhouse is still processing the record: only the "
                            "ids are known yet; get the candidate later");
        } else {
            uats_host->warn(call, "attachments", "the files were sent, but the candidate "
                            "could not be read back to list them");
        }
    }
    *out = gh_to_candidate(call, GH_V1, cand, NULL, NULL);
    json_decref(cand);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code gh_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    gh_state *st = state;
    return st->v == GH_V3 ? v3_create(call, st, input, out) : v1_create(call, st, input, out);
}

/* v1 errors carry {message, errors: [{message, field}]}; v3 {message,
 * errors: ["..."]}; the token host RFC 6749's {error, error_description}. */
static const char *const error_paths[] = {"errors.0.message", "errors", "message",
                                          "error_description", "error", NULL};

/* What both Harvest versions store (README.md). v1 also stores
 * custom_fields, experience and application.stage_id, and v3 can_email;
 * listed here is what every connection stores, whichever version. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "company", "title", "is_private", "email_addresses",
    "phone_numbers", "urls", "address", "tags", "application.job_id", "attachments",
    "acting_user", "remote_fields", NULL};

static const uats_connector greenhouse_connector = {
    UATS_CONNECTOR_INIT,
    .name = "greenhouse",
    .version = "1.0.0",
    .vendor = "Greenhouse",
    .description = "Greenhouse Harvest v3 (OAuth) and v1 (API key): candidates, "
                   "applications, attachments",
    /* Paths carry the version (/v3/..., /v1/...). */
    .default_base_url = "https://harvest.greenhouse.io",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = options,
    .api_key_style = UATS_KEY_BASIC_USER, /* v1: the key as user, empty password */
    .oauth_token_url = "https://auth.greenhouse.io/token",
    /* v3: a fixed 30 s window, 50 in Greenhouse's examples (third parties
     * only; v1: per 10 s). Pace under 50/30 s; X-RateLimit-* and 429
     * Retry-After, which the core reads, govern the rest. */
    .rate_per_sec = 1.5,
    .rate_burst = 10,
    .error_message_paths = error_paths,
    .stored_fields = stored_fields,
    .open = gh_open,
    .close = gh_close,
    .create_candidate = gh_create,
    .get_candidate = gh_get,
    .add_attachment = gh_attach,
};

UATS_CONNECTOR_DEFINE(greenhouse, greenhouse_connector)
