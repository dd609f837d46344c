/*
 * plugins/lever/lever.c: the Lever connector: Lever's Data API v1
 * (opportunities, their files and resumes). Mapping lives in lever_map.c;
 * this file makes the calls, through the core's HTTP service.
 */
#include <stdio.h>
#include <string.h>

#include "lever.h"

static const uats_option_spec options[] = {
    {"perform_as", 0, "Lever user id that writes are made as (required for creates and "
                      "uploads unless the input gives acting_user)"},
    {NULL, 0, NULL},
};

/* The user a write is made as: the input's acting_user, else the option. */
static const char *perform_as(uats_call *call, const json_t *input)
{
    const char *who = json_string_value(json_object_get(input, "acting_user"));
    return who ? who : uats_host->option(call, "perform_as");
}

/* {"data": {...}} -> the object inside (borrowed from resp). */
static json_t *data_of(uats_call *call, uats_http_resp *resp, const char *what)
{
    json_t *doc = uats_host->http_resp_json(resp), *data = NULL;
    if (doc && uats_host->unpack(call, doc, what, "{s:o}", "data", &data) == UATS_OK &&
        !json_is_object(data)) {
        uats_host->fail(call, UATS_E_VENDOR, "Lever's %s is not an object", what);
        data = NULL;
    }
    return data;
}

/* Append "name=value" form fields for a JSON value, with Lever's
 * conventions: repeated keys for lists of strings, brackets for objects. */
static void form_fields(uats_http_req *req, const char *name, const json_t *v)
{
    char key[256], text[64];
    if (json_is_string(v)) {
        uats_host->http_form_field(req, name, json_string_value(v));
    } else if (json_is_integer(v) || json_is_real(v) || json_is_boolean(v)) {
        if (json_is_integer(v))
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v))
            snprintf(text, sizeof text, "%.17g", json_real_value(v));
        else
            snprintf(text, sizeof text, "%s", json_is_true(v) ? "true" : "false");
        uats_host->http_form_field(req, name, text);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (json_is_object(item) || json_is_array(item)) {
                snprintf(key, sizeof key, "%s[%zu]", name, i);
                form_fields(req, key, item);
            } else {
                form_fields(req, name, item);
            }
        }
    } else if (json_is_object(v)) {
        const char *k;
        json_t *item;
        json_object_foreach((json_t *)v, k, item) {
            snprintf(key, sizeof key, "%s[%s]", name, k);
            form_fields(req, key, item);
        }
    }
}

/* Ids of every item of a paginated list under the opportunity, appended
 * to ids. */
static uats_code list_ids(uats_call *call, const char *opp_id, const char *what, json_t *ids)
{
    char *offset = NULL;
    uats_code rc = UATS_OK;
    for (int page = 0; page < 100; page++) {
        uats_http_resp *resp;
        uats_http_req *req = uats_host->http_new(call, "GET", "/opportunities/%s/%s", opp_id,
                                                 what);
        uats_host->http_query(req, "limit", "100");
        if (offset)
            uats_host->http_query(req, "offset", offset);
        uats_host->free(offset);
        offset = NULL;
        if ((rc = uats_host->http_send(req, &resp)) != UATS_OK)
            return rc;
        json_t *doc = uats_host->http_resp_json(resp), *data = NULL;
        int more = 0;
        const char *next = NULL;
        rc = doc ? uats_host->unpack(call, doc, what, "{s:o, s?b, s?s}", "data", &data,
                                     "hasNext", &more, "next", &next)
                 : UATS_E_VENDOR;
        if (rc == UATS_OK && !json_is_array(data))
            rc = uats_host->fail(call, UATS_E_VENDOR, "Lever's %s list is not an array", what);
        size_t i;
        json_t *item;
        json_array_foreach(rc == UATS_OK ? data : NULL, i, item) {
            json_t *id = json_object_get(item, "id");
            if (json_is_string(id))
                json_array_append(ids, id);
        }
        if (rc == UATS_OK && more && next)
            offset = uats_host->strdup(next);
        uats_host->http_resp_free(resp);
        if (rc != UATS_OK || !offset)
            return rc;
    }
    uats_host->free(offset);
    return uats_host->fail(call, UATS_E_VENDOR, "Lever's %s list did not end after 100 pages",
                           what);
}

static uats_code attachment_ids(uats_call *call, const char *opp_id, json_t **ids)
{
    *ids = json_array();
    uats_code rc = *ids ? list_ids(call, opp_id, "resumes", *ids)
                        : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    if (rc == UATS_OK)
        rc = list_ids(call, opp_id, "files", *ids);
    if (rc != UATS_OK) {
        json_decref(*ids);
        *ids = NULL;
    }
    return rc;
}

static uats_code lever_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    json_t *body;
    lever_upload *uploads;
    size_t nuploads;
    uats_http_resp *resp;
    (void)state;
    const char *who = perform_as(call, input);
    if (!who)
        return uats_host->fail(call, UATS_E_CONFIG, "Lever records every write as a user: set "
                               "options.perform_as on the connection or acting_user on the "
                               "input (nothing was sent)");
    uats_code rc = lever_create_body(call, input, &body, &uploads, &nuploads);
    if (rc != UATS_OK)
        return rc;
    uats_http_req *req = uats_host->http_new(call, "POST", "/opportunities");
    uats_host->http_query(req, "perform_as", who);
    if (nuploads) {
        /* Lever takes files only as multipart; the other fields go along. */
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v)
            form_fields(req, key, v);
        for (size_t i = 0; i < nuploads; i++)
            uats_host->http_form_file(req, uploads[i].part, uploads[i].file_name,
                                      uploads[i].content_type, uploads[i].data, uploads[i].len);
    } else {
        uats_host->http_json_body(req, body);
    }
    rc = uats_host->http_send(req, &resp);
    lever_uploads_free(uploads, nuploads);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    json_t *opp = data_of(call, resp, "opportunity");
    json_t *ids = NULL;
    if (opp && nuploads) {
        /* The create is done: a failure to read the file ids back must not
         * look like a failed create, or the host would create it again. */
        const char *id = json_string_value(json_object_get(opp, "id"));
        if (!id || attachment_ids(call, id, &ids) != UATS_OK) {
            ids = NULL;
            uats_host->warn(call, "attachments", "the files were sent with the create, but "
                            "their ids could not be read back from Lever");
        }
    } else if (opp) {
        ids = json_array();
    }
    *out = opp ? lever_to_candidate(call, opp, ids) : NULL;
    json_decref(ids);
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code lever_get(uats_call *call, void *state, const char *id, json_t **out)
{
    uats_http_resp *resp;
    json_t *ids;
    (void)state;
    uats_code rc = uats_host->http_send(uats_host->http_new(call, "GET", "/opportunities/%s", id),
                                        &resp);
    if (rc != UATS_OK)
        return rc;
    json_t *opp = data_of(call, resp, "opportunity");
    if (!opp) {
        uats_host->http_resp_free(resp);
        return UATS_E_VENDOR;
    }
    if ((rc = attachment_ids(call, id, &ids)) == UATS_OK) {
        *out = lever_to_candidate(call, opp, ids);
        json_decref(ids);
        rc = *out ? UATS_OK : UATS_E_VENDOR;
    }
    uats_host->http_resp_free(resp);
    return rc;
}

static uats_code lever_attach(uats_call *call, void *state, const char *candidate_id,
                              const json_t *input, json_t **out)
{
    uats_http_resp *resp;
    size_t len;
    (void)state;
    const char *who = perform_as(call, input);
    if (!who)
        return uats_host->fail(call, UATS_E_CONFIG, "Lever records every upload as a user: set "
                               "options.perform_as on the connection (nothing was sent)");
    const char *b64 = json_string_value(json_object_get(input, "data"));
    if (!b64)
        return uats_host->fail(call, UATS_E_UNSUPPORTED, "Lever takes file contents, not URLs: "
                               "download the file and pass its data");
    if (json_object_get(input, "application_id"))
        uats_host->warn(call, "application_id", "Lever keeps files on the opportunity, "
                        "which is the candidate id here; application_id was not used");
    const char *type = json_string_value(json_object_get(input, "type"));
    if (type && strcmp(type, "OTHER") != 0)
        uats_host->warn(call, "type", "Lever keeps files added after creation as plain files "
                        "(type OTHER); a resume can only be sent with the create");
    void *bytes = uats_host->base64_decode(call, b64, &len);
    if (!bytes)
        return UATS_E_INVALID_INPUT;
    const char *content_type = json_string_value(json_object_get(input, "content_type"));
    uats_http_req *req = uats_host->http_new(call, "POST", "/opportunities/%s/files",
                                             candidate_id);
    uats_host->http_query(req, "perform_as", who);
    uats_host->http_form_file(req, "file", json_string_value(json_object_get(input, "file_name")),
                              content_type, bytes, len);
    uats_code rc = uats_host->http_send(req, &resp);
    uats_host->free(bytes);
    if (rc != UATS_OK)
        return rc;
    json_t *file = data_of(call, resp, "file");
    *out = file ? lever_to_attachment(call, file, candidate_id, content_type, "OTHER") : NULL;
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static const char *const error_paths[] = {"message", NULL};

/* README.md's create table: what goes into Lever's opportunity. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "company", "title", "email_addresses", "phone_numbers", "urls",
    "locations", "location", "tags", "application.job_id", "application.stage_id",
    "application.source", "attachments", "acting_user", "remote_fields", NULL};

static const uats_connector lever_connector = {
    UATS_CONNECTOR_INIT,
    .name = "lever",
    .version = "1.0.0",
    .vendor = "Lever",
    .description = "Lever Data API v1: opportunities, files and resumes",
    .default_base_url = "https://api.lever.co/v1",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = options,
    /* API key as the Basic user with an empty password; OAuth tokens
     * (partners) go as Bearer when the connection gives "token". */
    .api_key_style = UATS_KEY_BASIC_USER,
    .oauth_token_url = NULL, /* not confirmed in Lever's docs: hosts set token_url */
    /* Lever allows ~10 requests/s steady with bursts to ~20 (README.md,
     * Sources). Pace 10% under both: network jitter can bunch requests
     * that left evenly spaced, and a 429 costs more than the margin. */
    .rate_per_sec = 9,
    .rate_burst = 18,
    .error_message_paths = error_paths,
    .stored_fields = stored_fields,
    .create_candidate = lever_create,
    .get_candidate = lever_get,
    .add_attachment = lever_attach,
};

UATS_CONNECTOR_DEFINE(lever, lever_connector)
