/*
 * plugins/recruitee/recruitee.c: the Recruitee connector: Recruitee's ATS
 * API under https://api.recruitee.com/c/{company_id}, a personal API token
 * sent as Bearer. Mapping lives in recruitee_map.c; this file makes the
 * calls, through the core's HTTP service. The call sequences are in
 * plugins/recruitee/README.md, the wire format in docs/vendors/recruitee.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recruitee.h"

static const uats_option_spec options[] = {
    {"company_id", UATS_OPTION_REQUIRED,
     "Recruitee company id (Settings > Apps and plugins > Personal API tokens); the API "
     "lives under /c/{company_id}"},
    {NULL, 0, NULL},
};

/* ---- open ---- */

static bool company_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

/*
 * The company is part of every path. A base URL that already ends in
 * /c/<company> (a sandbox, a proxy) is used as given, provided it names the
 * same company: a token sent to another company's path would act there.
 * Any other base URL gets /c/<company_id> appended.
 */
static uats_code rt_open(uats_call *call, void **state)
{
    const char *company = uats_host->option(call, "company_id");
    const char *base = uats_host->base_url(call);
    (void)state;
    if (!company || !company_ok(company))
        return uats_host->fail(call, UATS_E_CONFIG, "options.company_id is Recruitee's company "
                               "id (letters, digits, - or _), not \"%s\"",
                               company ? company : "");
    if (!uats_host->credential(call, "api_key") && !uats_host->credential(call, "token"))
        return uats_host->fail(call, UATS_E_CONFIG, "Recruitee authenticates with a personal "
                               "API token: set credentials.api_key");
    const char *c = strstr(base, "/c/");
    for (const char *next = c; next; next = strstr(next + 1, "/c/"))
        c = next;
    if (c && c[3] && !strchr(c + 3, '/')) {
        if (strcmp(c + 3, company) != 0)
            return uats_host->fail(call, UATS_E_CONFIG, "base_url addresses company %s but "
                                   "options.company_id is %s", c + 3, company);
        return UATS_OK;
    }
    size_t n = strlen(base) + strlen(company) + 4;
    char *url = uats_host->alloc(n);
    if (!url)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    snprintf(url, n, "%s/c/%s", base, company);
    uats_code rc = uats_host->set_base_url(call, url);
    uats_host->free(url);
    return rc;
}

/* ---- answers ---- */

/* "error" as a string, or its strings joined; else the other documented
 * places. Written into out (empty when there is none). */
static void error_text(const json_t *doc, char *out, size_t size)
{
    json_t *e = json_object_get(doc, "error"), *v;
    size_t i;
    out[0] = '\0';
    if (json_is_string(e)) {
        snprintf(out, size, "%s", json_string_value(e));
        return;
    }
    json_array_foreach(e, i, v) {
        size_t used = strlen(out);
        if (json_is_string(v))
            snprintf(out + used, size - used, "%s%s", used ? "; " : "", json_string_value(v));
    }
    if (!out[0]) {
        const char *m = json_string_value(
            json_object_get(json_array_get(json_object_get(doc, "errors"), 0), "message"));
        if (!m)
            m = json_string_value(json_object_get(doc, "message"));
        if (m)
            snprintf(out, size, "%s", m);
    }
}

/*
 * A 400 or 422 answer, read here so that the field Recruitee names becomes
 * the unified input field, and a refused token is an authentication error
 * whatever status it came with. prefix is the input path of an upload, or
 * NULL for a candidate body.
 */
static uats_code refused(uats_call *call, uats_http_resp *resp, const char *prefix)
{
    size_t len;
    long status = uats_host->http_status(resp);
    const char *text = uats_host->http_resp_body(resp, &len);
    /* Parsed here: http_resp_json would record a failure of its own. */
    json_t *doc = json_loadb(text, len, 0, NULL);
    char message[512];
    error_text(doc, message, sizeof message);
    const char *code = json_string_value(json_object_get(doc, "error_code"));
    uats_code rc;
    if (code && strcmp(code, "invalid_token") == 0) {
        rc = uats_host->fail_vendor(call, UATS_E_AUTH, status, message[0] ? message : NULL,
                                    "Recruitee refused the API token");
    } else {
        const char *key = NULL;
        json_t *fields = json_object_get(doc, "error_fields");
        if (json_is_object(fields) && json_object_size(fields))
            key = json_object_iter_key(json_object_iter(fields));
        const char *field = prefix ? (*prefix ? prefix : NULL) : rt_input_field(key);
        rc = uats_host->fail_field(call, UATS_E_VALIDATION, status, field,
                                   message[0] ? message : NULL, "Recruitee refused the %s%s%s",
                                   prefix ? "file" : "candidate", key ? ": field " : "",
                                   key ? key : "");
    }
    json_decref(doc);
    return rc;
}

/* The object under key in a 2xx answer (borrowed from resp), or NULL with
 * UATS_E_VENDOR recorded. */
static json_t *inside(uats_call *call, uats_http_resp *resp, const char *key)
{
    json_t *doc = uats_host->http_resp_json(resp), *obj = NULL;
    if (doc && uats_host->unpack(call, doc, key, "{s:o}", key, &obj) == UATS_OK &&
        !json_is_object(obj)) {
        uats_host->fail(call, UATS_E_VENDOR, "Recruitee's %s is not an object", key);
        obj = NULL;
    }
    return obj;
}

/* Send req, reading 400 and 422 answers with refused() (prefix as there):
 * UATS_OK leaves a 2xx (or another accepted status) in *resp. */
static uats_code send(uats_call *call, uats_http_req *req, const char *prefix,
                      uats_http_resp **resp)
{
    uats_host->http_accept(req, 400);
    uats_host->http_accept(req, 422);
    uats_code rc = uats_host->http_send(req, resp);
    if (rc != UATS_OK)
        return rc;
    long status = uats_host->http_status(*resp);
    if (status == 400 || status == 422) {
        rc = refused(call, *resp, prefix);
        uats_host->http_resp_free(*resp);
        *resp = NULL;
    }
    return rc;
}

/* ---- uploads ---- */

/*
 * Upload one attachment input (borrowed) to candidate cand_id:
 * POST /attachments, multipart attachment[candidate_id] and
 * attachment[file]. A file given by URL is downloaded first (Recruitee's
 * ATS upload takes bytes). *att is the answer's attachment object (new).
 */
static uats_code upload(uats_call *call, const char *cand_id, const json_t *input,
                        const char *prefix, json_t **att)
{
    const char *b64 = json_string_value(json_object_get(input, "data"));
    const char *url = json_string_value(json_object_get(input, "url"));
    const char *name = json_string_value(json_object_get(input, "file_name"));
    const char *type = json_string_value(json_object_get(input, "content_type"));
    uats_http_resp *download = NULL, *resp;
    void *bytes = NULL;
    const void *data;
    size_t len;
    uats_code rc;
    *att = NULL;
    if (b64) {
        if (!(bytes = uats_host->base64_decode(call, b64, &len)))
            return UATS_E_INVALID_INPUT;
        data = bytes;
    } else {
        if ((rc = uats_host->http_send(uats_host->http_new_download(call, url), &download)))
            return rc;
        data = uats_host->http_resp_body(download, &len);
        if (!type)
            type = uats_host->http_resp_header(download, "Content-Type");
    }
    uats_http_req *req = uats_host->http_new(call, "POST", "/attachments");
    uats_host->http_form_field(req, "attachment[candidate_id]", cand_id);
    uats_host->http_form_file(req, "attachment[file]", name,
                              type ? type : "application/octet-stream", data, len);
    rc = send(call, req, prefix, &resp);
    uats_host->free(bytes);
    uats_host->http_resp_free(download);
    if (rc != UATS_OK)
        return rc;
    json_t *obj = inside(call, resp, "attachment");
    *att = json_incref(obj);
    uats_host->http_resp_free(resp);
    return obj ? UATS_OK : UATS_E_VENDOR;
}

/* ---- hooks ---- */

static uats_code rt_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    json_t *body;
    uats_http_resp *resp;
    (void)state;
    uats_code rc = rt_create_body(call, input, &body);
    if (rc != UATS_OK)
        return rc;
    uats_http_req *req = uats_host->http_new(call, "POST", "/candidates");
    uats_host->http_json_body(req, body);
    rc = send(call, req, NULL, &resp);
    json_decref(body);
    if (rc != UATS_OK)
        return rc;
    json_t *cand = json_incref(inside(call, resp, "candidate"));
    uats_host->http_resp_free(resp);
    char id[32] = "";
    json_t *idv = json_object_get(cand, "id");
    if (json_is_integer(idv))
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(idv));
    if (!id[0]) {
        json_decref(cand);
        /* Recorded by inside(), or here: the core reports it as unknown. */
        return uats_host->fail(call, UATS_E_VENDOR, "Recruitee's create answer has no "
                               "candidate id");
    }
    /* The files, each once the candidate exists. One that fails is a
     * warning: failing the create would invite the host to create the
     * candidate again. */
    json_t *files = json_array(), *att;
    size_t i;
    json_array_foreach(json_object_get(input, "attachments"), i, att) {
        char path[48];
        json_t *stored;
        snprintf(path, sizeof path, "attachments[%zu]", i);
        rt_attachment_warnings(call, att, path);
        uats_code up = upload(call, id, att, path, &stored);
        if (up == UATS_OK)
            json_array_append_new(files, stored);
        else
            uats_host->warn(call, path, up == UATS_E_OUTCOME_UNKNOWN
                                            ? "the candidate was created; this file was sent "
                                              "but its outcome is unknown: check the "
                                              "candidate's files before adding it again"
                                            : "the candidate was created, but this file could "
                                              "not be uploaded to Recruitee; add it again with "
                                              "add_attachment");
    }
    *out = rt_to_candidate(call, cand, files);
    json_decref(files);
    json_decref(cand);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code rt_get(uats_call *call, void *state, const char *id, json_t **out)
{
    uats_http_resp *resp, *list;
    (void)state;
    if (!rt_is_id(id))
        return uats_host->fail(call, UATS_E_NOT_FOUND, "Recruitee candidate ids are numbers; "
                               "there is no candidate \"%s\"", id);
    uats_code rc = send(call, uats_host->http_new(call, "GET", "/candidates/%s", id), NULL,
                        &resp);
    if (rc != UATS_OK)
        return rc;
    json_t *cand = inside(call, resp, "candidate");
    if (!cand) {
        uats_host->http_resp_free(resp);
        return UATS_E_VENDOR;
    }
    /* The candidate's files are a list of their own. Its path is known
     * from client code, not from the reference: a 404 there leaves the
     * attachments unknown rather than failing the read. */
    uats_http_req *req = uats_host->http_new(call, "GET", "/candidates/%s/attachments", id);
    uats_host->http_accept(req, 404);
    if ((rc = send(call, req, NULL, &list)) != UATS_OK) {
        uats_host->http_resp_free(resp);
        return rc;
    }
    json_t *files = NULL;
    if (uats_host->http_status(list) != 404) {
        json_t *doc = uats_host->http_resp_json(list);
        if (!doc || uats_host->unpack(call, doc, "attachments", "{s:o}", "attachments",
                                      &files) != UATS_OK)
            rc = UATS_E_VENDOR;
        else if (!json_is_array(files))
            rc = uats_host->fail(call, UATS_E_VENDOR, "Recruitee's attachments list is not "
                                 "an array");
    }
    *out = rc == UATS_OK ? rt_to_candidate(call, cand, files) : NULL;
    uats_host->http_resp_free(list);
    uats_host->http_resp_free(resp);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

static uats_code rt_attach(uats_call *call, void *state, const char *candidate_id,
                           const json_t *input, json_t **out)
{
    json_t *att;
    (void)state;
    if (!rt_is_id(candidate_id))
        return uats_host->fail(call, UATS_E_NOT_FOUND, "Recruitee candidate ids are numbers; "
                               "there is no candidate \"%s\"", candidate_id);
    rt_attachment_warnings(call, input, "");
    uats_code rc = upload(call, candidate_id, input, "", &att);
    if (rc != UATS_OK)
        return rc;
    *out = rt_to_attachment(call, att, candidate_id, input);
    json_decref(att);
    return *out ? UATS_OK : UATS_E_VENDOR;
}

/* Recruitee answers {"error": "..."} or {"error": ["...", ...]} (with
 * error_fields on validation); some endpoints {"errors": [{"message"}]}. */
static const char *const error_paths[] = {"error", "errors.0.message", "message", NULL};

/* README.md's create table: what goes into Recruitee's candidate. */
static const char *const stored_fields[] = {
    "first_name", "last_name", "email_addresses", "phone_numbers", "urls",
    "application.job_id", "attachments", "remote_fields", NULL};

static const uats_connector recruitee_connector = {
    UATS_CONNECTOR_INIT,
    .name = "recruitee",
    .version = "1.0.0",
    .vendor = "Recruitee",
    .description = "Recruitee ATS API: candidates on offers, attachments",
    /* open() appends /c/{company_id}. */
    .default_base_url = "https://api.recruitee.com",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = options,
    .api_key_style = UATS_KEY_BEARER, /* Authorization: Bearer <personal API token> */
    /* Recruitee publishes no request rate (docs/vendors/recruitee.md,
     * "Rate limits"); third parties report it throttles hard. Our own
     * conservative pace, not a vendor figure: 4/s with bursts of 10, and
     * 429 Retry-After, which the core honours, governs the rest. */
    .rate_per_sec = 4,
    .rate_burst = 10,
    .error_message_paths = error_paths,
    .stored_fields = stored_fields,
    .open = rt_open,
    .create_candidate = rt_create,
    .get_candidate = rt_get,
    .add_attachment = rt_attach,
};

UATS_CONNECTOR_DEFINE(recruitee, recruitee_connector)
