/*
 * plugins/teamtailor/teamtailor.c: the Teamtailor connector: Teamtailor's
 * public API v1, JSON:API documents, "Authorization: Token token=<key>"
 * (the core's API-key header) and the dated X-Api-Version every request
 * must carry (the option api_version). Mapping lives in teamtailor_map.c;
 * this file makes the calls, through the core's HTTP service. The call
 * sequences are in plugins/teamtailor/README.md.
 */
#include <stdio.h>
#include <string.h>

#include "teamtailor.h"

static const uats_option_spec options[] = {
    {"api_version", 0, "X-Api-Version sent with every request, a date YYYYMMDD (default "
                       TT_DEFAULT_API_VERSION ")"},
    {NULL, 0, NULL},
};

typedef struct tt_state {
    char version[16];
} tt_state;

/* Teamtailor's answers list 30 resources at most per page; a candidate
 * with more than 3000 applications or files is not one to read whole. */
#define PAGE_SIZE "30"
#define MAX_PAGES 100

/* ---- open / close ---- */

/* Paths are below /v1; a base URL given without it (the NA host as
 * "https://api.na.teamtailor.com") gets it. */
static uats_code add_v1(uats_call *call)
{
    const char *base = uats_host->base_url(call);
    size_t len = strlen(base);
    if (len >= 3 && strcmp(base + len - 3, "/v1") == 0)
        return UATS_OK;
    char url[1024];
    if ((size_t)snprintf(url, sizeof url, "%s/v1", base) >= sizeof url)
        return uats_host->fail(call, UATS_E_CONFIG, "base_url is too long");
    return uats_host->set_base_url(call, url);
}

static uats_code tt_open(uats_call *call, void **state)
{
    const char *version = uats_host->option(call, "api_version");
    if (version && !tt_valid_api_version(version))
        return uats_host->fail(call, UATS_E_CONFIG, "options.api_version is \"%s\"; Teamtailor "
                               "versions are dates YYYYMMDD from 20161108 on", version);
    if (!uats_host->credential(call, "api_key"))
        return uats_host->fail(call, UATS_E_CONFIG, "Teamtailor authenticates with an API key "
                               "(Authorization: Token token=...): set credentials.api_key");
    uats_code rc = add_v1(call);
    if (rc != UATS_OK)
        return rc;
    tt_state *st = uats_host->alloc(sizeof *st);
    if (!st)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    snprintf(st->version, sizeof st->version, "%s", version ? version : TT_DEFAULT_API_VERSION);
    *state = st;
    return UATS_OK;
}

static void tt_close(void *state)
{
    uats_host->free(state);
}

/* ---- requests ---- */

/* What every request carries: the API version Teamtailor requires, and
 * JSON:API's media type. A refused version (406) is read here. */
static uats_http_req *prepare(const tt_state *st, uats_http_req *req)
{
    uats_host->http_header(req, "X-Api-Version", st->version);
    uats_host->http_header(req, "Accept", TT_MEDIA_TYPE);
    uats_host->http_accept(req, 406);
    return req;
}

/* req (a POST) carrying doc; NULL when out of memory (recorded). */
static uats_http_req *write_req(uats_call *call, const tt_state *st, uats_http_req *req,
                                const json_t *doc)
{
    prepare(st, req);
    /* Serialised into our own buffer: jansson's allocator is the host's. */
    size_t len = json_dumpb(doc, NULL, 0, JSON_COMPACT);
    char *text = len ? uats_host->alloc(len) : NULL;
    if (!text || json_dumpb(doc, text, len, JSON_COMPACT) != len) {
        uats_host->free(text);
        uats_host->http_req_free(req);
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    uats_host->http_body(req, TT_MEDIA_TYPE, text, len);
    uats_host->free(text);
    /* Validation answers name the attribute at fault: read them here. */
    uats_host->http_accept(req, 422);
    return req;
}

/* Record a 406 or 422 answer with Teamtailor's words; kind and prefix as
 * for tt_input_field. Always returns a failure. */
static uats_code refused(uats_call *call, const tt_state *st, uats_http_resp *resp, char kind,
                         const char *prefix)
{
    const char *pointer = NULL;
    long status = uats_host->http_status(resp);
    const char *text = tt_error_text(uats_host->http_resp_json(resp), &pointer);
    char path[128];
    if (status == 406)
        return uats_host->fail_vendor(call, UATS_E_CONFIG, status, text, "Teamtailor refused "
                                      "X-Api-Version %s: set options.api_version to a version "
                                      "it serves", st->version);
    if (kind != 'c' && pointer && strcmp(pointer, "/data/relationships/candidate") == 0)
        return uats_host->fail_vendor(call, UATS_E_NOT_FOUND, status, text, "Teamtailor has no "
                                      "such candidate");
    const char *field = tt_input_field(pointer, kind, prefix, path, sizeof path);
    /* An e-mail another candidate has: the record exists, which is a
     * conflict (as Workable's "candidate already exists"), not bad input. */
    bool taken = kind == 'c' && pointer && strcmp(pointer, "/data/attributes/email") == 0 &&
                 text && strstr(text, "taken");
    return uats_host->fail_field(call, taken ? UATS_E_CONFLICT : UATS_E_VALIDATION, status,
                                 field, text,
                                 "Teamtailor refused the %s%s%s",
                                 kind == 'c' ? "candidate" : kind == 'u' ? "upload"
                                                                         : "job application",
                                 pointer ? " at " : "", pointer ? pointer : "");
}

/* Send req; answers other than 2xx are recorded as failures. On success
 * *data is the document's "data" (borrowed from *resp, new). */
static uats_code send(uats_call *call, const tt_state *st, uats_http_req *req, char kind,
                      const char *prefix, uats_http_resp **resp, json_t **data)
{
    *data = NULL;
    uats_code rc = uats_host->http_send(req, resp);
    if (rc != UATS_OK)
        return rc;
    long status = uats_host->http_status(*resp);
    if (status == 406 || status == 422) {
        rc = refused(call, st, *resp, kind, prefix);
    } else {
        json_t *doc = uats_host->http_resp_json(*resp);
        if (!doc)
            rc = UATS_E_VENDOR; /* recorded by http_resp_json */
        else if (!json_is_object(doc) || !(*data = json_object_get(doc, "data")))
            rc = uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's answer is not a JSON:API "
                                 "document with data");
    }
    if (rc != UATS_OK) {
        uats_host->http_resp_free(*resp);
        *resp = NULL;
        *data = NULL;
    }
    return rc;
}

/* Every resource of a candidate's to-many relationship (the documented
 * related link /candidates/{id}/<what>), following links.next. New. */
static uats_code related(uats_call *call, const tt_state *st, const char *cand_id,
                         const char *what, json_t **out)
{
    char *next = NULL;
    *out = json_array();
    if (!*out)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    for (int page = 0; page < MAX_PAGES; page++) {
        uats_http_req *req;
        if (next) {
            req = uats_host->http_new_url(call, "GET", next);
        } else {
            req = uats_host->http_new(call, "GET", "/candidates/%s/%s", cand_id, what);
            uats_host->http_query(req, "page[size]", PAGE_SIZE);
        }
        uats_host->free(next);
        next = NULL;
        uats_http_resp *resp;
        json_t *data;
        uats_code rc = send(call, st, prepare(st, req), 'c', "", &resp, &data);
        if (rc == UATS_OK && !json_is_array(data))
            rc = uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's %s list is not an array",
                                 what);
        if (rc != UATS_OK) {
            uats_host->http_resp_free(resp);
            json_decref(*out);
            *out = NULL;
            return rc;
        }
        json_array_extend(*out, data);
        const char *link = json_string_value(
            json_object_get(json_object_get(uats_host->http_resp_json(resp), "links"), "next"));
        if (link && *link)
            next = uats_host->strdup(link);
        uats_host->http_resp_free(resp);
        if (!next)
            return UATS_OK;
    }
    uats_host->free(next);
    json_decref(*out);
    *out = NULL;
    return uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's %s list did not end after %d "
                           "pages", what, MAX_PAGES);
}

/* ---- get ---- */

static uats_code tt_get(uats_call *call, void *state, const char *id, json_t **out)
{
    const tt_state *st = state;
    uats_http_resp *resp;
    json_t *data, *apps = NULL, *uploads = NULL;
    uats_code rc = send(call, st, prepare(st, uats_host->http_new(call, "GET", "/candidates/%s",
                                                                  id)),
                        'c', "", &resp, &data);
    if (rc != UATS_OK)
        return rc;
    json_t *cand = json_incref(data);
    uats_host->http_resp_free(resp);
    if (!json_is_object(cand))
        rc = uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's candidate is not an object");
    if (rc == UATS_OK)
        rc = related(call, st, id, "job-applications", &apps);
    if (rc == UATS_OK)
        rc = related(call, st, id, "uploads", &uploads);
    if (rc == UATS_OK)
        rc = (*out = tt_to_candidate(call, cand, apps, uploads)) ? UATS_OK : UATS_E_VENDOR;
    json_decref(cand);
    json_decref(apps);
    json_decref(uploads);
    return rc;
}

/* ---- add attachment ---- */

static uats_code tt_attach(uats_call *call, void *state, const char *candidate_id,
                           const json_t *input, json_t **out)
{
    const tt_state *st = state;
    json_t *doc, *data;
    uats_http_resp *resp;
    uats_code rc = tt_upload_document(call, candidate_id, input, "", true, &doc);
    if (rc != UATS_OK)
        return rc;
    uats_http_req *req = write_req(call, st, uats_host->http_new(call, "POST", "/uploads"), doc);
    json_decref(doc);
    if (!req)
        return UATS_E_NOMEM;
    if ((rc = send(call, st, req, 'u', "", &resp, &data)) != UATS_OK)
        return rc;
    *out = tt_to_attachment(call, data, candidate_id);
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* ---- create ---- */

/* A write made after the candidate exists (its job application, its
 * files): whatever goes wrong is a warning at path, since failing the
 * create would invite the host to create the candidate again. Returns the
 * created resource (new), or NULL. */
static json_t *later_write(uats_call *call, const tt_state *st, uats_http_req *req,
                           const json_t *doc, const char *warn_path, const char *what)
{
    static const long refusals[] = {400, 403, 404, 409, 413, 415};
    uats_http_resp *resp;
    json_t *data;
    if (!(req = write_req(call, st, req, doc))) {
        uats_host->warn(call, warn_path, "%s was not sent: out of memory", what);
        return NULL;
    }
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
        uats_host->http_accept(req, refusals[i]);
    uats_code rc = uats_host->http_send(req, &resp);
    if (rc != UATS_OK) {
        if (rc == UATS_E_OUTCOME_UNKNOWN)
            uats_host->warn(call, warn_path, "%s was sent after the candidate was created, "
                            "without a usable answer: it may or may not exist at Teamtailor",
                            what);
        else
            uats_host->warn(call, warn_path, "%s could not be sent after the candidate was "
                            "created (code %d; see the log)", what, (int)rc);
        return NULL;
    }
    long status = uats_host->http_status(resp);
    const char *text = tt_error_text(uats_host->http_resp_json(resp), NULL);
    json_t *doc_in = uats_host->http_resp_json(resp);
    data = status < 300 ? json_object_get(doc_in, "data") : NULL;
    if (status >= 300)
        uats_host->warn(call, warn_path, "Teamtailor refused %s (HTTP %ld): %s", what, status,
                        text ? text : "no reason given");
    else if (!json_is_object(data) || !json_is_string(json_object_get(data, "id")))
        uats_host->warn(call, warn_path, "Teamtailor accepted %s but its answer names no "
                        "resource", what);
    json_t *kept = json_is_object(data) && json_is_string(json_object_get(data, "id"))
                       ? json_incref(data) : NULL;
    uats_host->http_resp_free(resp);
    return kept;
}

static uats_code tt_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    const tt_state *st = state;
    json_t *doc, *data;
    bool lead;
    uats_http_resp *resp;
    uats_code rc = tt_create_document(call, input, &doc, &lead);
    if (rc != UATS_OK)
        return rc;
    uats_http_req *req = write_req(call, st, uats_host->http_new(call, "POST", "/candidates"),
                                   doc);
    json_decref(doc);
    if (!req)
        return UATS_E_NOMEM;
    if ((rc = send(call, st, req, 'c', "", &resp, &data)) != UATS_OK)
        return rc;
    const char *id = json_string_value(json_object_get(data, "id"));
    if (!json_is_object(data) || !id || !*id) {
        uats_host->http_resp_free(resp);
        return uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's create answer names no "
                               "candidate id");
    }
    json_t *cand = json_incref(data);
    uats_host->http_resp_free(resp);
    char cand_id[64];
    if ((size_t)snprintf(cand_id, sizeof cand_id, "%s", id) >= sizeof cand_id) {
        /* The candidate exists (a 2xx): the host hears OUTCOME_UNKNOWN. */
        json_decref(cand);
        return uats_host->fail(call, UATS_E_VENDOR, "Teamtailor's candidate id is longer than "
                               "%zu characters", sizeof cand_id - 1);
    }

    json_t *apps = NULL, *uploads = NULL;
    const char *job = json_string_value(json_object_get(json_object_get(input, "application"),
                                                        "job_id"));
    if (job) {
        json_t *app_doc = tt_job_application_document(cand_id, job, lead), *app;
        apps = json_array();
        app = app_doc ? later_write(call, st,
                                    uats_host->http_new(call, "POST", "/job-applications"),
                                    app_doc, "application.job_id", "the job application")
                      : NULL;
        if (app)
            json_array_append_new(apps, app);
        json_decref(app_doc);
    }
    const json_t *files = json_object_get(input, "attachments");
    size_t i;
    json_t *att;
    if (json_array_size(files))
        uploads = json_array();
    json_array_foreach(files, i, att) {
        char path[48];
        json_t *up_doc, *up;
        snprintf(path, sizeof path, "attachments[%zu]", i);
        if (tt_upload_document(call, cand_id, att, path, false, &up_doc) != UATS_OK) {
            uats_host->warn(call, path, "not sent: Teamtailor fetches files from a public URL "
                            "and takes no file contents");
            continue;
        }
        if ((up = later_write(call, st, uats_host->http_new(call, "POST", "/uploads"), up_doc,
                              path, "the file")))
            json_array_append_new(uploads, up);
        json_decref(up_doc);
    }
    *out = tt_to_candidate(call, cand, apps, uploads);
    json_decref(cand);
    json_decref(apps);
    json_decref(uploads);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* JSON:API errors: [{status, title, detail, source: {pointer}}]; a refused
 * API version answers one error object instead of a list. */
static const char *const error_paths[] = {"errors.0.detail", "errors.0.title", "errors.detail",
                                          "errors.title", "error", "message", NULL};

/* README.md's create table: what goes into Teamtailor. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "email_addresses", "phone_numbers", "urls", "tags", "summary",
    "avatar", "can_email", "is_internal", "application.job_id", "application.source",
    "attachments", "remote_fields", NULL};

static const uats_connector teamtailor_connector = {
    UATS_CONNECTOR_INIT,
    .name = "teamtailor",
    .version = "1.0.0",
    .vendor = "Teamtailor",
    .description = "Teamtailor API v1 (JSON:API): candidates, job applications, uploads by URL",
    /* EU accounts; NA accounts set base_url https://api.na.teamtailor.com/v1. */
    .default_base_url = "https://api.teamtailor.com/v1",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = options,
    .api_key_style = UATS_KEY_HEADER,
    .api_key_name = "Authorization",
    .api_key_prefix = "Token token=",
    /* Teamtailor publishes no number: its docs name X-Rate-Limit-Limit,
     * -Remaining and -Reset (seconds left) and ask for "common sense"
     * (docs/vendors/teamtailor.md, Rate limits). Pace gently, 4/s with
     * bursts of 8; the headers and 429 Retry-After, which the core
     * reads, govern the rest. */
    .rate_per_sec = 4,
    .rate_burst = 8,
    .error_message_paths = error_paths,
    .rate_limit_header_prefix = "X-Rate-Limit-",
    .stored_fields = stored_fields,
    .open = tt_open,
    .close = tt_close,
    .create_candidate = tt_create,
    .get_candidate = tt_get,
    .add_attachment = tt_attach,
};

UATS_CONNECTOR_DEFINE(teamtailor, teamtailor_connector)
