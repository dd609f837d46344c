/*
 * plugins/ashby/ashby.c: the Ashby connector: Ashby's RPC-style public API
 * (every call a POST of a JSON body to /<object>.<verb>, Basic auth with
 * the API key as the user, answers in a {success, results | errorInfo}
 * envelope, often with HTTP 200 for a refusal). Mapping lives in
 * ashby_map.c; this file makes the calls, through the core's HTTP service.
 * The call sequences and their counts are in plugins/ashby/README.md.
 */
#include <stdio.h>
#include <string.h>

#include "ashby.h"

/* A 403 is Ashby's answer both to a wrong key and to a missing permission;
 * its code tells them apart (docs/vendors/ashby.md §3). */
static uats_code forbidden(uats_call *call, uats_http_resp *resp)
{
    size_t len;
    const char *text = uats_host->http_resp_body(resp, &len);
    /* Parsed here, not with http_resp_json, which would record an HTML page
     * as a vendor error before this one. */
    json_t *doc = json_loadb(text, len, 0, NULL);
    json_t *info = json_object_get(doc, "errorInfo");
    const char *code = json_string_value(json_object_get(info, "code"));
    const char *message = json_string_value(json_object_get(info, "message"));
    if (!code)
        code = json_string_value(json_array_get(json_object_get(doc, "errors"), 0));
    bool permission = code && strcmp(code, "missing_endpoint_permission") == 0;
    uats_code rc = uats_host->fail_vendor(call, permission ? UATS_E_FORBIDDEN : UATS_E_AUTH, 403,
                                          message ? message : code,
                                          permission ? "the Ashby API key lacks the permission "
                                                       "this call needs"
                                                     : "Ashby refused the API key (wrong or "
                                                       "deactivated)");
    json_decref(doc);
    return rc;
}

/* Send req (consumed) and read the envelope: *results is a new reference. */
static uats_code answer(uats_call *call, uats_http_req *req, const char *what, json_t **results)
{
    uats_http_resp *resp;
    json_t *r;
    *results = NULL;
    uats_host->http_accept(req, 403);
    uats_code rc = uats_host->http_send(req, &resp);
    if (rc != UATS_OK)
        return rc;
    long status = uats_host->http_status(resp);
    if (status == 403) {
        rc = forbidden(call, resp);
    } else {
        json_t *doc = uats_host->http_resp_json(resp);
        /* success:false on a 2xx is a refusal: nothing was written, which
         * the core must know before the failure is recorded. */
        if (doc && json_is_false(json_object_get(doc, "success")))
            uats_host->http_refused(resp);
        rc = doc ? ashby_envelope(call, doc, status, what, &r) : UATS_E_VENDOR;
        if (rc == UATS_OK)
            *results = json_incref(r);
    }
    uats_host->http_resp_free(resp);
    return rc;
}

/* One JSON call. Reads are marked idempotent so that the core retries them
 * as it would a GET; writes are not, so a create is never sent twice. */
static uats_code rpc(uats_call *call, const char *method, const json_t *body, bool read,
                     json_t **results)
{
    /* The method is one path segment ("candidate.info"): %s keeps it as is. */
    uats_http_req *req = uats_host->http_new(call, "POST", "/%s", method);
    if (!req)
        return UATS_E_NOMEM;
    uats_host->http_json_body(req, body);
    if (read)
        uats_host->http_idempotent(req, 1);
    return answer(call, req, method, results);
}

static uats_code candidate_info(uats_call *call, const char *id, json_t **cand)
{
    json_t *body = json_pack("{s:s}", "id", id);
    uats_code rc = rpc(call, "candidate.info", body, true, cand);
    json_decref(body);
    if (rc == UATS_OK && !json_is_object(*cand)) {
        json_decref(*cand);
        *cand = NULL;
        rc = uats_host->fail(call, UATS_E_VENDOR, "Ashby's candidate is not an object");
    }
    return rc;
}

/* ---- files ---- */

/* The bytes of an attachment input: decoded data, or the file behind url
 * fetched through the core (Ashby takes bytes only). *bytes is host->alloc'd. */
static uats_code file_bytes(uats_call *call, const json_t *att, void **bytes, size_t *len)
{
    const char *b64 = json_string_value(json_object_get(att, "data"));
    if (b64) {
        *bytes = uats_host->base64_decode(call, b64, len);
        return *bytes ? UATS_OK : UATS_E_INVALID_INPUT;
    }
    uats_http_resp *resp;
    uats_code rc = uats_host->http_send(
        uats_host->http_new_download(call, json_string_value(json_object_get(att, "url"))), &resp);
    if (rc != UATS_OK)
        return rc;
    const char *body = uats_host->http_resp_body(resp, len);
    *bytes = uats_host->alloc(*len + 1);
    if (*bytes)
        memcpy(*bytes, body, *len);
    uats_host->http_resp_free(resp);
    return *bytes ? UATS_OK : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
}

/*
 * Upload one file (multipart: the documented, if deprecated, form; the
 * presigned alternative puts bytes on another host, which the core's
 * same-origin rule rightly forbids). A resume goes to uploadResume, other
 * files to uploadFile. *cand is the candidate Ashby answers with (new).
 */
static uats_code upload(uats_call *call, const char *cand_id, const json_t *att, bool resume,
                        json_t **cand)
{
    void *bytes;
    size_t len;
    *cand = NULL;
    uats_code rc = file_bytes(call, att, &bytes, &len);
    if (rc != UATS_OK)
        return rc;
    uats_http_req *req = resume ? uats_host->http_new(call, "POST", "/candidate.uploadResume")
                                : uats_host->http_new(call, "POST", "/candidate.uploadFile");
    uats_host->http_form_field(req, "candidateId", cand_id);
    uats_host->http_form_file(req, resume ? "resume" : "file",
                              json_string_value(json_object_get(att, "file_name")),
                              json_string_value(json_object_get(att, "content_type")), bytes,
                              len);
    rc = answer(call, req, resume ? "candidate.uploadResume" : "candidate.uploadFile", cand);
    uats_host->free(bytes);
    if (rc == UATS_OK && !json_is_object(*cand)) {
        json_decref(*cand);
        *cand = NULL;
        rc = uats_host->fail(call, UATS_E_VENDOR, "Ashby's answer to the upload is not a "
                             "candidate");
    }
    return rc;
}

static bool is_resume(const json_t *att)
{
    const char *type = json_string_value(json_object_get(att, "type"));
    return type && strcmp(type, "RESUME") == 0;
}

/* The unified type the file reads back as, warning when it differs. */
static const char *file_type(uats_call *call, const json_t *att, const char *path)
{
    const char *type = json_string_value(json_object_get(att, "type"));
    if (is_resume(att))
        return "RESUME";
    if (type && strcmp(type, "OTHER") != 0) {
        char p[64];
        snprintf(p, sizeof p, "%s%stype", path, *path ? "." : "");
        uats_host->warn(call, p, "Ashby keeps the resume apart; other files have no type and "
                        "read back as OTHER");
    }
    return "OTHER";
}

/* ---- hooks ---- */

static uats_code ashby_get(uats_call *call, void *state, const char *id, json_t **out)
{
    json_t *cand;
    (void)state;
    if (!ashby_is_id(id))
        return uats_host->fail(call, UATS_E_NOT_FOUND, "Ashby candidate ids are UUIDs; there is "
                               "no candidate \"%s\"", id);
    uats_code rc = candidate_info(call, id, &cand);
    if (rc != UATS_OK)
        return rc;
    *out = ashby_to_candidate(call, cand);
    json_decref(cand);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code ashby_attach(uats_call *call, void *state, const char *candidate_id,
                              const json_t *input, json_t **out)
{
    json_t *cand, *after;
    (void)state;
    if (!ashby_is_id(candidate_id))
        return uats_host->fail(call, UATS_E_NOT_FOUND, "Ashby candidate ids are UUIDs; there is "
                               "no candidate \"%s\"", candidate_id);
    if (json_object_get(input, "application_id"))
        uats_host->warn(call, "application_id", "Ashby keeps files on the candidate; "
                        "application_id was not used");
    const char *type = file_type(call, input, "");
    /* The upload answers with the whole candidate: the files it had before
     * tell the new one apart. This read also fails an unknown id before
     * any bytes are sent. */
    uats_code rc = candidate_info(call, candidate_id, &cand);
    if (rc != UATS_OK)
        return rc;
    json_t *before = ashby_file_ids(cand);
    json_decref(cand);
    rc = upload(call, candidate_id, input, is_resume(input), &after);
    if (rc == UATS_OK) {
        const json_t *file = ashby_new_file(after, before, is_resume(input));
        *out = file ? ashby_to_attachment(call, file, candidate_id,
                                          json_string_value(json_object_get(input,
                                                                            "content_type")),
                                          type)
                    : NULL;
        if (!file)
            uats_host->fail(call, UATS_E_VENDOR, "Ashby took the file, but its answer lists no "
                            "new file for candidate %s", candidate_id);
        rc = *out ? UATS_OK : UATS_E_VENDOR;
        json_decref(after);
    }
    json_decref(before);
    return rc;
}

/* The steps after candidate.create: the application, then each file. A
 * step that fails is a warning naming it, and the created candidate is
 * still returned: failing the create would invite the host to make the
 * candidate again. *cand is replaced by the newest copy Ashby sent. */
static void after_create(uats_call *call, json_t **cand, json_t *application,
                         const json_t *input)
{
    /* Our own reference: *cand is replaced by each upload's answer. */
    json_t *idv = json_incref(json_object_get(*cand, "id"));
    const char *id = json_string_value(idv);
    json_t *app;
    if (application) {
        json_object_set_new(application, "candidateId", json_string(id));
        if (rpc(call, "application.create", application, false, &app) == UATS_OK) {
            json_t *ids = json_object_get(*cand, "applicationIds");
            if (!json_is_array(ids))
                json_object_set_new(*cand, "applicationIds", ids = json_array());
            if (json_is_string(json_object_get(app, "id")))
                json_array_append(ids, json_object_get(app, "id"));
            json_decref(app);
        } else {
            uats_host->warn(call, "application.job_id", "the candidate was created, but Ashby "
                            "did not make the application (see the log)");
        }
    }
    size_t i;
    json_t *att;
    json_array_foreach(json_object_get(input, "attachments"), i, att) {
        char path[48];
        json_t *fresh;
        snprintf(path, sizeof path, "attachments[%zu]", i);
        if (json_object_get(att, "application_id")) {
            char p[80];
            snprintf(p, sizeof p, "%s.application_id", path);
            uats_host->warn(call, p, "Ashby keeps files on the candidate");
        }
        file_type(call, att, path);
        if (upload(call, id, att, is_resume(att), &fresh) != UATS_OK) {
            uats_host->warn(call, path, "the candidate was created, but the upload failed "
                            "(see the log); the file may or may not be stored");
            continue;
        }
        /* An answer without our application (not documented either way)
         * must not lose it. */
        json_t *had = json_object_get(*cand, "applicationIds"), *v;
        size_t k;
        json_array_foreach(had, k, v) {
            json_t *now = json_object_get(fresh, "applicationIds");
            bool seen = false;
            size_t j;
            json_t *w;
            json_array_foreach(now, j, w)
                seen |= json_equal(v, w);
            if (!seen && json_is_array(now))
                json_array_append(now, v);
        }
        json_decref(*cand);
        *cand = fresh;
    }
    json_decref(idv);
}

static uats_code ashby_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    json_t *body, *application, *cand;
    (void)state;
    uats_code rc = ashby_create_body(call, input, &body, &application);
    if (rc != UATS_OK)
        return rc;
    rc = rpc(call, "candidate.create", body, false, &cand);
    json_decref(body);
    if (rc == UATS_OK && !json_is_string(json_object_get(cand, "id")))
        rc = uats_host->fail(call, UATS_E_VENDOR, "Ashby's create answer has no candidate id");
    if (rc != UATS_OK) {
        json_decref(cand);
        json_decref(application);
        return rc;
    }
    after_create(call, &cand, application, input);
    json_decref(application);
    *out = ashby_to_candidate(call, cand);
    json_decref(cand);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* errorInfo.message first; the deprecated list of codes as a fallback. */
static const char *const error_paths[] = {"errorInfo.message", "errorInfo.code", "errors",
                                          "message", NULL};

/* README.md's create table: what goes into candidate.create,
 * application.create and the uploads. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "email_addresses", "phone_numbers", "urls", "location",
    "application.job_id", "application.stage_id", "attachments", "remote_fields", NULL};

static const uats_connector ashby_connector = {
    UATS_CONNECTOR_INIT,
    .name = "ashby",
    .version = "1.0.0",
    .vendor = "Ashby",
    .description = "Ashby public API (RPC style): candidates, applications, resumes and files",
    .default_base_url = "https://api.ashbyhq.com",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = NULL,
    .api_key_style = UATS_KEY_BASIC_USER, /* the key as user, empty password */
    /* Ashby documents per-key limits and 429s but publishes no figure for
     * these endpoints (docs/vendors/ashby.md §5; only report.* state 15 per
     * minute). Pace at a modest 5/s, bursts of 10: the core still obeys
     * Retry-After and X-RateLimit-* on every answer. */
    .rate_per_sec = 5,
    .rate_burst = 10,
    .error_message_paths = error_paths,
    .rate_limit_header_prefix = NULL, /* none documented; the core's default */
    .stored_fields = stored_fields,
    .create_candidate = ashby_create,
    .get_candidate = ashby_get,
    .add_attachment = ashby_attach,
};

UATS_CONNECTOR_DEFINE(ashby, ashby_connector)
