/*
 * plugins/jazzhr/jazzhr.c: the JazzHR connector: JazzHR's API v1
 * (applicants and their files). Mapping lives in jazzhr_map.c; this file
 * makes the calls, through the core's HTTP service. docs/vendors/jazzhr.md
 * says what of JazzHR's wire format is confirmed and why each choice is the
 * conservative one.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "jazzhr.h"

/* JazzHR's POSTs carry the key in the JSON body as well as in the query the
 * core adds: third-party clients send it in the body, and whether JazzHR
 * reads the query on a POST is not confirmed. The core redacts the key from
 * every line it prints, bodies included. */
static uats_code add_key(uats_call *call, json_t *body)
{
    const char *key = uats_host->credential(call, "api_key");
    if (!key)
        return uats_host->fail(call, UATS_E_CONFIG, "JazzHR needs credentials.api_key "
                               "(nothing was sent)");
    if (json_object_set_new(body, "apikey", json_string(key)) != 0)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    return UATS_OK;
}

/* Send req (consumed) with body and the key in it. */
static uats_code post(uats_call *call, uats_http_req *req, json_t *body, uats_http_resp **resp)
{
    uats_code rc = add_key(call, body);
    if (rc != UATS_OK) {
        uats_host->http_req_free(req);
        return rc;
    }
    uats_host->http_json_body(req, body);
    return uats_host->http_send(req, resp);
}

/* The applicant object of GET /applicants/{id}, a new reference. JazzHR's
 * answer for an id it does not know is not documented: an empty list or
 * object is read as "not found"; an error text as the vendor's error. */
static uats_code fetch_applicant(uats_call *call, const char *id, json_t **out)
{
    uats_http_resp *resp;
    *out = NULL;
    uats_code rc = uats_host->http_send(uats_host->http_new(call, "GET", "/applicants/%s", id),
                                        &resp);
    if (rc != UATS_OK)
        return rc;
    json_t *doc = uats_host->http_resp_json(resp);
    const json_t *app = jz_first(doc);
    const char *text = jz_error_text(doc);
    if (!doc)
        rc = UATS_E_VENDOR;
    else if ((json_is_array(doc) && !json_array_size(doc)) ||
             (json_is_object(doc) && !json_object_size(doc)))
        rc = uats_host->fail_vendor(call, UATS_E_NOT_FOUND, 200, NULL,
                                    "JazzHR has no applicant %s", id);
    else if (text && !json_object_get(app, "id"))
        rc = uats_host->fail_vendor(call, UATS_E_VENDOR, 200, text,
                                    "JazzHR answered GET /applicants/%s with an error text", id);
    else if (!app)
        rc = uats_host->fail(call, UATS_E_VENDOR, "JazzHR's answer to GET /applicants/%s is "
                             "not an applicant object", id);
    else
        *out = json_incref((json_t *)app);
    uats_host->http_resp_free(resp);
    return rc;
}

static bool has_file(const json_t *files, const char *id)
{
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
        if (strcmp(jz_file_id(f), id) == 0)
            return true;
    return false;
}

/* Every file object JazzHR lists for the applicant (appended to files),
 * following /page/N until a page brings nothing new: JazzHR's page size
 * is not confirmed, so a short page is no proof of the end, and a path
 * JazzHR might ignore must not repeat page 1 a hundred times. */
static uats_code list_files(uats_call *call, const char *id, json_t *files)
{
    for (unsigned page = 1; page <= 100; page++) {
        char number[16];
        uats_http_resp *resp;
        snprintf(number, sizeof number, "%u", page);
        uats_http_req *req = page == 1
            ? uats_host->http_new(call, "GET", "/files/applicant_id/%s", id)
            : uats_host->http_new(call, "GET", "/files/applicant_id/%s/page/%s", id, number);
        uats_code rc = uats_host->http_send(req, &resp);
        if (rc != UATS_OK)
            return rc;
        json_t *doc = uats_host->http_resp_json(resp), *row;
        size_t fresh = 0, i;
        const char *text = jz_error_text(doc);
        if (!doc) {
            rc = UATS_E_VENDOR;
        } else if (json_is_object(doc) && json_object_size(doc) && !jz_file_id(doc)) {
            rc = uats_host->fail_vendor(call, UATS_E_VENDOR, 200, text,
                                        "JazzHR's file list for %s is not a list of files", id);
        } else if (json_is_object(doc) || json_is_array(doc)) {
            /* One file may come as a bare object. */
            json_t *rows = json_is_array(doc) ? json_incref(doc)
                                              : json_object_size(doc) ? json_pack("[O]", doc)
                                                                      : json_array();
            json_array_foreach(rows, i, row) {
                if (!jz_file_id(row)) {
                    rc = uats_host->fail(call, UATS_E_VENDOR, "JazzHR listed a file of %s "
                                         "without an id", id);
                    break;
                }
                if (!has_file(files, jz_file_id(row))) {
                    json_array_append(files, row);
                    fresh++;
                }
            }
            json_decref(rows);
        } else {
            rc = uats_host->fail(call, UATS_E_VENDOR, "JazzHR's file list for %s is not a "
                                 "list", id);
        }
        uats_host->http_resp_free(resp);
        if (rc != UATS_OK || !fresh)
            return rc;
    }
    return uats_host->fail(call, UATS_E_VENDOR, "JazzHR's file list for %s did not end "
                           "after 100 pages", id);
}

static json_t *ids_of(const json_t *files)
{
    json_t *ids = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
        json_array_append_new(ids, json_string(jz_file_id(f)));
    return ids;
}

/* The unified candidate of applicant id, with its file ids. */
static uats_code read_candidate(uats_call *call, const char *id, json_t **out)
{
    json_t *app, *files = json_array();
    uats_code rc = files ? fetch_applicant(call, id, &app)
                         : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    if (rc == UATS_OK) {
        if ((rc = list_files(call, id, files)) == UATS_OK) {
            json_t *ids = ids_of(files);
            *out = jz_to_candidate(call, app, ids);
            json_decref(ids);
            rc = *out ? UATS_OK : UATS_E_VENDOR;
        }
        json_decref(app);
    }
    json_decref(files);
    return rc;
}

static bool listed(const json_t *ids, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
        if (strcmp(json_string_value(v), id) == 0)
            return true;
    return false;
}

/* POST /files; *id_out new (host->free) and *file_out the listed object
 * (new, or NULL when the answer carried the id). before: the ids of the
 * applicant's files before this upload. */
static uats_code upload(uats_call *call, const char *applicant_id, const json_t *att,
                        const json_t *before, char **id_out, json_t **file_out)
{
    uats_http_resp *resp;
    *id_out = NULL;
    *file_out = NULL;
    json_t *body = jz_file_body(call, applicant_id, att);
    if (!body)
        return UATS_E_NOMEM;
    uats_code rc = post(call, uats_host->http_new(call, "POST", "/files"), body, &resp);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    json_t *doc = uats_host->http_resp_json(resp);
    const char *id = doc ? jz_file_id(doc) : NULL, *text = jz_error_text(doc);
    if (id)
        *id_out = uats_host->strdup(id);
    else if (!doc)
        rc = UATS_E_VENDOR;
    else if (text)
        rc = uats_host->fail_vendor(call, UATS_E_VENDOR, 200, text,
                                    "JazzHR answered the file upload with an error text");
    else if (!json_is_object(doc) || json_object_get(doc, "file_id") || json_object_get(doc, "id"))
        rc = uats_host->fail(call, UATS_E_VENDOR, "JazzHR's answer to the file upload is "
                             "not a file object");
    uats_host->http_resp_free(resp);
    if (rc != UATS_OK || *id_out)
        return rc;
    /* No id in the answer (its shape is not confirmed): the one file of
     * that name that was not there before is the one just sent. */
    json_t *files = json_array();
    const char *name = json_string_value(json_object_get(att, "file_name"));
    if ((rc = list_files(call, applicant_id, files)) == UATS_OK) {
        size_t i, found = 0;
        json_t *f;
        json_array_foreach(files, i, f) {
            const char *fname = json_string_value(json_object_get(f, "filename"));
            if (name && fname && strcmp(fname, name) == 0 && !listed(before, jz_file_id(f))) {
                found++;
                json_decref(*file_out);
                *file_out = json_incref(f);
            }
        }
        if (found == 1) {
            *id_out = uats_host->strdup(jz_file_id(*file_out));
        } else {
            json_decref(*file_out);
            *file_out = NULL;
            rc = uats_host->fail(call, UATS_E_VENDOR, "JazzHR took the file but answered "
                                 "without its id, and %s new file of that name is listed on "
                                 "applicant %s", found ? "more than one" : "no", applicant_id);
        }
    }
    json_decref(files);
    return rc;
}

static uats_code jz_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    json_t *body;
    uats_http_resp *resp;
    (void)state;
    uats_code rc = jz_create_body(call, input, &body);
    if (rc != UATS_OK)
        return rc;
    if ((rc = post(call, uats_host->http_new(call, "POST", "/applicants"), body, &resp)) != UATS_OK) {
        json_decref(body);
        return rc;
    }
    json_t *doc = uats_host->http_resp_json(resp);
    const char *given = doc ? jz_created_id(call, doc) : NULL;
    char *id = given ? uats_host->strdup(given) : NULL;
    uats_host->http_resp_free(resp);
    if (!id) {
        json_decref(body);
        return given ? uats_host->fail(call, UATS_E_NOMEM, "out of memory") : UATS_E_VENDOR;
    }
    /* The applicant exists from here on: a failure below is a warning, or
     * the host would create it again. */
    size_t i;
    json_t *att, *sent = json_array(); /* a new applicant has no other files */
    json_array_foreach(json_object_get(input, "attachments"), i, att) {
        char *file_id;
        json_t *file;
        if (!jz_uploadable(att))
            continue;
        uats_code up = upload(call, id, att, sent, &file_id, &file);
        if (up == UATS_OK) {
            json_array_append_new(sent, json_string(file_id));
        } else {
            char path[64];
            snprintf(path, sizeof path, "attachments[%zu]", i);
            /* Sent without a clear answer, the file may be there: adding
             * it again blindly would make a twin. */
            uats_host->warn(call, path, up == UATS_E_OUTCOME_UNKNOWN
                                            ? "the applicant was created; this file was sent "
                                              "but its outcome is unknown: check the "
                                              "applicant's files before adding it again"
                                            : "the applicant was created, but JazzHR did not "
                                              "take this file; add it with add attachment");
        }
        uats_host->free(file_id);
        json_decref(file);
    }
    json_decref(sent);
    if (read_candidate(call, id, out) != UATS_OK) {
        /* What was sent, minus the key, stands in for what JazzHR stored. */
        json_object_del(body, "apikey");
        json_object_set_new(body, "id", json_string(id));
        *out = jz_to_candidate(call, body, NULL);
        uats_host->warn(call, "id", "the applicant was created, but could not be read back "
                        "from JazzHR; the result shows what was sent");
    }
    uats_host->free(id);
    json_decref(body);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code jz_get(uats_call *call, void *state, const char *id, json_t **out)
{
    (void)state;
    return read_candidate(call, id, out);
}

static uats_code jz_attach(uats_call *call, void *state, const char *candidate_id,
                           const json_t *input, json_t **out)
{
    json_t *app, *file, *files;
    char *file_id;
    (void)state;
    if (!jz_uploadable(input))
        return uats_host->fail(call, UATS_E_UNSUPPORTED, "JazzHR takes file contents, not "
                               "URLs: download the file and pass its data");
    if (json_object_get(input, "application_id"))
        uats_host->warn(call, "application_id", "JazzHR keeps files on the applicant; "
                        "application_id was not used");
    const char *type = json_string_value(json_object_get(input, "type"));
    if (type && strcmp(type, "OTHER") != 0)
        uats_host->warn(call, "type", "JazzHR keeps uploaded files without a type; it reads "
                        "back as OTHER");
    /* JazzHR's answer to a file for an unknown applicant is not documented:
     * ask first, so that "not found" is certain and nothing is sent. */
    uats_code rc = fetch_applicant(call, candidate_id, &app);
    if (rc != UATS_OK)
        return rc;
    json_decref(app);
    /* What is there already, to tell the new file apart should JazzHR
     * answer without its id. */
    if (!(files = json_array()))
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    if ((rc = list_files(call, candidate_id, files)) != UATS_OK) {
        json_decref(files);
        return rc;
    }
    json_t *before = ids_of(files);
    json_decref(files);
    rc = upload(call, candidate_id, input, before, &file_id, &file);
    json_decref(before);
    if (rc != UATS_OK)
        return rc;
    *out = jz_to_attachment(call, file_id, candidate_id, file, input);
    uats_host->free(file_id);
    json_decref(file);
    return *out ? UATS_OK : UATS_E_NOMEM;
}

/* Where JazzHR's error bodies keep their text (docs/vendors/jazzhr.md §5). */
static const char *const error_paths[] = {"error", "error.message", "message", "errors", NULL};

/* README.md's create table: what goes into JazzHR's applicant. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "email_addresses", "phone_numbers", "urls", "address",
    "location", "application.job_id", "attachments", "remote_fields", NULL};

static const uats_connector jazzhr_connector = {
    UATS_CONNECTOR_INIT,
    .name = "jazzhr",
    .version = "1.0.0",
    .vendor = "JazzHR",
    .description = "JazzHR API v1: applicants and their files",
    .default_base_url = "https://api.resumatorapi.com/v1",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = NULL,
    /* ?apikey=<key> on every request; the core redacts it, raw and
     * percent-encoded, from every log line and error. */
    .api_key_style = UATS_KEY_QUERY,
    .api_key_name = "apikey",
    /* 80 requests a minute per key, as third-party clients state it
     * (docs/vendors/jazzhr.md §6; JazzHR's own page was not readable). Pace
     * 10% under it, in bursts of at most 8, since a 429 costs more than the
     * margin. */
    .rate_per_sec = 1.2,
    .rate_burst = 8,
    .error_message_paths = error_paths,
    .rate_limit_header_prefix = NULL, /* none documented: the X-RateLimit- default */
    .stored_fields = stored_fields,
    .create_candidate = jz_create,
    .get_candidate = jz_get,
    .add_attachment = jz_attach,
};

UATS_CONNECTOR_DEFINE(jazzhr, jazzhr_connector)
