/*
 * plugins/workable/workable.c: the Workable connector: Workable's API v3
 * at https://{subdomain}.workable.com/spi/v3, Bearer access tokens,
 * candidates created under a job's shortcode (or in the talent pool).
 * Mapping lives in workable_map.c; this file makes the calls, through the
 * core's HTTP service. Workable has no call that adds a file to an existing
 * candidate, so the add_attachment hook is absent (docs/vendors/workable.md).
 */
#include <stdio.h>
#include <string.h>

#include "workable.h"

static const uats_option_spec options[] = {
    {"subdomain", 0, "the Workable account's subdomain (acme for acme.workable.com); "
                     "required unless base_url is set"},
    {NULL, 0, NULL},
};

static uats_code wk_open(uats_call *call, void **state)
{
    const char *sub = uats_host->option(call, "subdomain");
    (void)state;
    if (!uats_host->credential(call, "api_key") && !uats_host->credential(call, "token") &&
        !(uats_host->credential(call, "client_id") &&
          uats_host->credential(call, "client_secret")))
        return uats_host->fail(call, UATS_E_CONFIG, "Workable authenticates with an access "
                               "token: set credentials.api_key (or token)");
    if (uats_host->base_url(call))
        return UATS_OK; /* the connection's base_url wins (sandboxes, proxies) */
    if (!sub)
        return uats_host->fail(call, UATS_E_CONFIG, "Workable's API lives under the account's "
                               "subdomain: set options.subdomain (or base_url)");
    if (!wk_valid_subdomain(sub))
        return uats_host->fail(call, UATS_E_CONFIG, "options.subdomain is the account's "
                               "subdomain only, lower case (acme for acme.workable.com), "
                               "not \"%s\"", sub);
    char url[128];
    snprintf(url, sizeof url, "https://%s.workable.com/spi/v3", sub);
    return uats_host->set_base_url(call, url);
}

/* {"candidate": {...}} -> the object inside (borrowed from resp). */
static json_t *candidate_of(uats_call *call, uats_http_resp *resp)
{
    json_t *doc = uats_host->http_resp_json(resp), *cand = NULL;
    if (doc && uats_host->unpack(call, doc, "candidate", "{s:o}", "candidate", &cand) == UATS_OK &&
        !json_is_object(cand)) {
        uats_host->fail(call, UATS_E_VENDOR, "Workable's candidate is not an object");
        cand = NULL;
    }
    return cand;
}

/* Record a 422: {"error", "validation_errors": {key: [messages]}}, the
 * first key named as the unified input field. A duplicate e-mail within
 * the job is a conflict, not bad input. */
static uats_code refused(uats_call *call, uats_http_resp *resp)
{
    json_t *doc = uats_host->http_resp_json(resp);
    const char *error = json_string_value(json_object_get(doc, "error"));
    json_t *details = json_object_get(doc, "validation_errors");
    const char *key = NULL;
    json_t *msgs = NULL;
    void *it = json_object_iter(details);
    if (it) {
        key = json_object_iter_key(it);
        msgs = json_object_iter_value(it);
    }
    const char *first = json_string_value(json_is_array(msgs) ? json_array_get(msgs, 0) : msgs);
    bool duplicate = key && strcmp(key, "email") == 0 && first &&
                     strstr(first, "already exists") != NULL;
    return uats_host->fail_field(call, duplicate ? UATS_E_CONFLICT : UATS_E_VALIDATION, 422,
                                 wk_input_field(key), error ? error : first,
                                 "Workable refused the candidate%s%s%s%s",
                                 key ? ": " : "", key ? key : "", first ? " " : "",
                                 first ? first : "");
}

static uats_code wk_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    json_t *body;
    const char *shortcode;
    int resume_at;
    uats_http_resp *resp;
    (void)state;
    uats_code rc = wk_create_body(call, input, &body, &shortcode, &resume_at);
    if (rc != UATS_OK)
        return rc;
    uats_http_req *req = shortcode
                             ? uats_host->http_new(call, "POST", "/jobs/%s/candidates", shortcode)
                             : uats_host->http_new(call, "POST", "/talent_pool/candidates");
    uats_host->http_json_body(req, body);
    uats_host->http_accept(req, 422);
    rc = uats_host->http_send(req, &resp);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    if (uats_host->http_status(resp) == 422) {
        rc = refused(call, resp);
        uats_host->http_resp_free(resp);
        return rc;
    }
    json_t *cand = candidate_of(call, resp);
    *out = cand ? wk_to_candidate(call, cand) : NULL;
    /* A resume Workable did not take would otherwise pass unnoticed. */
    if (*out && resume_at >= 0 && !json_string_value(json_object_get(cand, "resume_url"))) {
        char path[48];
        snprintf(path, sizeof path, "attachments[%d]", resume_at);
        uats_host->warn(call, path, "Workable's answer shows no resume for the candidate");
    }
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code wk_get(uats_call *call, void *state, const char *id, json_t **out)
{
    uats_http_resp *resp;
    (void)state;
    uats_code rc = uats_host->http_send(uats_host->http_new(call, "GET", "/candidates/%s", id),
                                        &resp);
    if (rc != UATS_OK)
        return rc;
    json_t *cand = candidate_of(call, resp);
    *out = cand ? wk_to_candidate(call, cand) : NULL;
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* Workable answers {"error": "..."}; 422s add validation_errors. */
static const char *const error_paths[] = {"error", "message", "errors", NULL};

/* README.md's create table: what goes into Workable's candidate. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "company", "title", "email_addresses", "phone_numbers", "urls",
    "address", "summary", "tags", "skills", "education", "experience", "application.job_id",
    "application.source", "application.screening_answers", "attachments", "remote_fields",
    NULL};

static const uats_connector workable_connector = {
    UATS_CONNECTOR_INIT,
    .name = "workable",
    .version = "1.0.0",
    .vendor = "Workable",
    .description = "Workable API v3: candidates in jobs or the talent pool, with a resume",
    /* Every account has its own host: open() builds it from the subdomain. */
    .default_base_url = NULL,
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE,
    .options = options,
    .api_key_style = UATS_KEY_BEARER,
    /* Account tokens: 10 requests per fixed 10 s interval (OAuth and
     * partner tokens 50; docs/vendors/workable.md, Sources). A bucket of 3
     * refilled at 0.7/s sends at most 3 + 7 = 10 in any 10 s, whichever way
     * the vendor's intervals fall; X-Rate-Limit-* headers and 429s do the
     * rest. Connections with larger limits set "rate". */
    .rate_per_sec = 0.7,
    .rate_burst = 3,
    .error_message_paths = error_paths,
    .rate_limit_header_prefix = "X-Rate-Limit-",
    .stored_fields = stored_fields,
    .open = wk_open,
    .create_candidate = wk_create,
    .get_candidate = wk_get,
};

UATS_CONNECTOR_DEFINE(workable, workable_connector)
