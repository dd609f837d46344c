/*
 * plugins/smartrecruiters/smartrecruiters.c: the SmartRecruiters connector:
 * the Customer API's candidates and their attachments, with the API key in
 * the X-SmartToken header. Mapping lives in smartrecruiters_map.c; this
 * file makes the calls, through the core's HTTP service. The call sequences
 * and their counts are in plugins/smartrecruiters/README.md.
 */
#include <stdio.h>
#include <string.h>

#include "smartrecruiters.h"

/* The answer's JSON object (borrowed from resp), or NULL with UATS_E_VENDOR
 * recorded. */
static json_t *object_of(uats_call *call, uats_http_resp *resp, const char *what)
{
    json_t *doc = uats_host->http_resp_json(resp);
    if (doc && !json_is_object(doc)) {
        uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' %s is not a JSON object", what);
        return NULL;
    }
    return doc;
}

/* The bytes of an attachment input: its base64 data decoded, or the file
 * its url names, downloaded (SmartRecruiters takes only uploads). *bytes
 * is host->alloc'd. */
static uats_code file_bytes(uats_call *call, const json_t *input, void **bytes, size_t *len)
{
    const char *b64 = json_string_value(json_object_get(input, "data"));
    if (b64) {
        *bytes = uats_host->base64_decode(call, b64, len);
        return *bytes ? UATS_OK : UATS_E_INVALID_INPUT;
    }
    uats_http_resp *resp;
    const char *url = json_string_value(json_object_get(input, "url"));
    uats_code rc = uats_host->http_send(uats_host->http_new_download(call, url), &resp);
    if (rc != UATS_OK)
        return rc;
    const char *body = uats_host->http_resp_body(resp, len);
    *bytes = uats_host->alloc(*len + 1);
    if (*bytes)
        memcpy(*bytes, body, *len + 1);
    uats_host->http_resp_free(resp);
    return *bytes ? UATS_OK : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
}

/* POST /candidates/{id}/attachments: one multipart file and its type.
 * *answer is the vendor's attachment object (new). */
static uats_code upload(uats_call *call, const char *cand_id, const json_t *input,
                        const char *path, json_t **answer)
{
    void *bytes = NULL;
    size_t len = 0;
    uats_http_resp *resp;
    *answer = NULL;
    const char *type = sr_attachment_type(call, input, path);
    if (json_object_get(input, "application_id")) {
        char field[64];
        snprintf(field, sizeof field, "%s%sapplication_id", path, *path ? "." : "");
        uats_host->warn(call, field, "SmartRecruiters keeps files on the candidate, not on "
                        "one job's application: application_id was not used");
    }
    uats_code rc = file_bytes(call, input, &bytes, &len);
    if (rc != UATS_OK)
        return rc;
    const char *content_type = json_string_value(json_object_get(input, "content_type"));
    uats_http_req *req = uats_host->http_new(call, "POST", "/candidates/%s/attachments",
                                             cand_id);
    uats_host->http_form_field(req, "attachmentType", type);
    uats_host->http_form_file(req, "file", json_string_value(json_object_get(input, "file_name")),
                              content_type ? content_type : "application/octet-stream", bytes,
                              len);
    rc = uats_host->http_send(req, &resp);
    uats_host->free(bytes);
    if (rc != UATS_OK)
        return rc;
    json_t *att = object_of(call, resp, "attachment");
    *answer = json_incref(att);
    uats_host->http_resp_free(resp);
    return att ? UATS_OK : UATS_E_VENDOR;
}

/* ---- open ---- */

/* Only the API key's header is documented for customers' own
 * integrations; how an OAuth token is presented was not confirmed, so a
 * connection without the key is refused here rather than at the first
 * 401. */
static uats_code sr_open(uats_call *call, void **state)
{
    (void)state;
    if (!uats_host->credential(call, "api_key"))
        return uats_host->fail(call, UATS_E_CONFIG, "SmartRecruiters authenticates with an API "
                               "key sent as X-SmartToken: set credentials.api_key");
    return UATS_OK;
}

/* ---- create ---- */

/* Each file goes after the candidate exists; one that fails is a warning
 * naming it, since failing the create would invite the host to create the
 * candidate again. Returns the ids of the files stored (new). */
static json_t *create_uploads(uats_call *call, const char *cand_id, const json_t *input)
{
    json_t *ids = json_array();
    size_t i;
    json_t *att;
    json_array_foreach(json_object_get(input, "attachments"), i, att) {
        char path[48];
        json_t *answer;
        snprintf(path, sizeof path, "attachments[%zu]", i);
        uats_code up = upload(call, cand_id, att, path, &answer);
        if (up == UATS_OK && json_is_string(json_object_get(answer, "id"))) {
            json_array_append(ids, json_object_get(answer, "id"));
        } else if (up == UATS_OK || up == UATS_E_OUTCOME_UNKNOWN) {
            /* Taken (or maybe taken) without a usable answer: adding it
             * again blindly could make a twin. */
            uats_host->warn(call, path, "the candidate was created; SmartRecruiters may have "
                            "stored this file, but did not say so clearly: check the "
                            "candidate's attachments before adding it again");
        } else {
            uats_host->warn(call, path, "the candidate was created, but SmartRecruiters did "
                            "not store this file: add it again with an attachment call");
        }
        json_decref(answer);
    }
    return ids;
}

static uats_code sr_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    json_t *body;
    const char *job;
    uats_http_resp *resp;
    (void)state;
    uats_code rc = sr_create_body(call, input, &body, &job);
    if (rc != UATS_OK)
        return rc;
    /* With a job the candidate is assigned to it; without, to the
     * account's Talent Pool. */
    uats_http_req *req = job ? uats_host->http_new(call, "POST", "/jobs/%s/candidates", job)
                             : uats_host->http_new(call, "POST", "/candidates");
    uats_host->http_json_body(req, body);
    rc = uats_host->http_send(req, &resp);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    json_t *cand = json_incref(object_of(call, resp, "candidate"));
    uats_host->http_resp_free(resp);
    const char *id = json_string_value(json_object_get(cand, "id"));
    if (!id || !*id) {
        json_decref(cand);
        return cand ? uats_host->fail(call, UATS_E_VENDOR, "SmartRecruiters' create answer "
                                      "has no candidate id")
                    : UATS_E_VENDOR;
    }
    json_t *ids = create_uploads(call, id, input);
    *out = sr_to_candidate(call, cand, ids, NULL);
    json_decref(ids);
    json_decref(cand);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* ---- get ---- */

static uats_code sr_get(uats_call *call, void *state, const char *id, json_t **out)
{
    uats_http_resp *resp, *list;
    (void)state;
    uats_code rc = uats_host->http_send(uats_host->http_new(call, "GET", "/candidates/%s", id),
                                        &resp);
    if (rc != UATS_OK)
        return rc;
    json_t *cand = object_of(call, resp, "candidate");
    if (!cand) {
        uats_host->http_resp_free(resp);
        return UATS_E_VENDOR;
    }
    /* The candidate does not list its files: their own list does, whole
     * (no paging is documented for it). */
    rc = uats_host->http_send(uats_host->http_new(call, "GET", "/candidates/%s/attachments", id),
                              &list);
    if (rc != UATS_OK) {
        uats_host->http_resp_free(resp);
        return rc;
    }
    json_t *files = object_of(call, list, "attachment list");
    json_t *ids = files ? sr_attachment_ids(call, files) : NULL;
    *out = ids ? sr_to_candidate(call, cand, ids, files) : NULL;
    json_decref(ids);
    uats_host->http_resp_free(list);
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* ---- add attachment ---- */

static uats_code sr_attach(uats_call *call, void *state, const char *candidate_id,
                           const json_t *input, json_t **out)
{
    json_t *answer;
    (void)state;
    uats_code rc = upload(call, candidate_id, input, "", &answer);
    if (rc != UATS_OK)
        return rc;
    *out = sr_to_attachment(call, answer, candidate_id);
    json_decref(answer);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* The Customer API answers {message, errors: [{code, message}]}; the older
 * Marketplace shape is {code, message}. */
static const char *const error_paths[] = {"errors.0.message", "message", NULL};

/* README.md's create table: what goes into the SmartRecruiters candidate. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "email_addresses", "phone_numbers", "urls", "location", "tags",
    "is_internal", "education", "experience", "application.job_id", "attachments",
    "remote_fields", NULL};

static const uats_connector smartrecruiters_connector = {
    UATS_CONNECTOR_INIT,
    .name = "smartrecruiters",
    .version = "1.0.0",
    .vendor = "SmartRecruiters",
    .description = "SmartRecruiters Customer API: candidates (Talent Pool or a job) and "
                   "their attachments",
    .default_base_url = "https://api.smartrecruiters.com",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .api_key_style = UATS_KEY_HEADER,
    .api_key_name = "X-SmartToken",
    /* "Rate Limiting" (developers.smartrecruiters.com): 10 requests per
     * second per credential, counted within a second. A bucket of 2 that
     * refills at 8/s never puts more than 10 into any one second, however
     * the vendor aligns its windows; X-RateLimit-Limit/Remaining (no Reset
     * is sent) and 429 cover the rest. */
    .rate_per_sec = 8,
    .rate_burst = 2,
    .error_message_paths = error_paths,
    .stored_fields = stored_fields,
    .open = sr_open,
    .create_candidate = sr_create,
    .get_candidate = sr_get,
    .add_attachment = sr_attach,
};

UATS_CONNECTOR_DEFINE(smartrecruiters, smartrecruiters_connector)
