/*
 * tests/modules/httpconn.c: a connector that speaks HTTP through the core's
 * service, for the transport tests (check_http). Its "vendor" is the
 * emulator those tests start: JSON records {id, name, email} under /v1.
 * Built three times (tests/Makefile.am), once per API-key placement:
 * httpconn (Basic, key as user), hdrconn (X-Api-Key header) and qryconn
 * (apikey query parameter); pwdconn is httpconn getting its OAuth token
 * with the password grant (JSON body, token under "data").
 */
#include <stdio.h>
#include <string.h>

#include <uats/connector.h>

#define STR_(x) #x
#define STR(x) STR_(x)

#ifndef KEY_STYLE
#define KEY_STYLE UATS_KEY_BASIC_USER
#define KEY_NAME NULL
#endif

static const uats_option_spec options[] = {
    {"sub", 0, "acting user for the OAuth token (like Greenhouse's)"},
    {"token_url", 0, "OAuth token endpoint (like Greenhouse's option)"},
    {"host", 0, "host[:port] the base URL http://HOST is built from when the connection "
                "sets no base_url (like Workable's subdomain)"},
    {NULL, 0, NULL},
};

static uats_code http_open(uats_call *call, void **state)
{
    const char *sub = uats_host->option(call, "sub");
    const char *token_url = uats_host->option(call, "token_url");
    const char *host = uats_host->option(call, "host");
    (void)state;
    if (token_url && uats_host->oauth_token_url(call, token_url) != UATS_OK)
        return UATS_E_CONFIG;
    /* No default address: one comes from base_url or from this option. */
    if (host && !uats_host->base_url(call)) {
        char url[256];
        snprintf(url, sizeof url, "http://%s", host);
        if (uats_host->set_base_url(call, url) != UATS_OK)
            return UATS_E_CONFIG;
    }
    return sub ? uats_host->oauth_param(call, "sub", sub) : UATS_OK;
}

/* {"data": {"id", "name", "email"}} -> unified candidate. */
static uats_code to_unified(uats_call *call, uats_http_resp *resp, json_t **out)
{
    json_t *doc = uats_host->http_resp_json(resp), *data;
    const char *id, *name, *email = NULL;
    if (!doc)
        return UATS_E_VENDOR;
    uats_code rc = uats_host->unpack(call, doc, "candidate", "{s:o}", "data", &data);
    if (rc == UATS_OK)
        rc = uats_host->unpack(call, data, "candidate", "{s:s, s:s, s?s}", "id", &id, "name",
                               &name, "email", &email);
    if (rc != UATS_OK)
        return rc;
    *out = json_pack("{s:s, s:s, s:O}", "id", id, "first_name", name, "remote_data", data);
    if (*out && email)
        json_object_set_new(*out, "email_addresses",
                            json_pack("[{s:s}]", "value", email));
    return *out ? UATS_OK : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
}

static uats_code http_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    uats_http_resp *resp;
    (void)state;
    json_t *body = json_pack("{s:s?, s:s?}", "name",
                             json_string_value(json_object_get(input, "first_name")), "email",
                             json_string_value(json_object_get(
                                 json_array_get(json_object_get(input, "email_addresses"), 0),
                                 "value")));
    uats_http_req *req = uats_host->http_new(call, "POST", "/v1/candidates");
    if (body)
        uats_host->http_json_body(req, body);
    json_decref(body);
    uats_code rc = uats_host->http_send(req, &resp);
    if (rc != UATS_OK)
        return rc;
    rc = to_unified(call, resp, out);
    uats_host->http_resp_free(resp);
    return rc;
}

static uats_code http_get(uats_call *call, void *state, const char *id, json_t **out)
{
    uats_http_resp *resp;
    (void)state;
    uats_http_req *req = uats_host->http_new(call, "GET", "/v1/candidates/%s", id);
    uats_host->http_query(req, "expand", "files & more");
    uats_code rc = uats_host->http_send(req, &resp);
    if (rc != UATS_OK)
        return rc;
    rc = to_unified(call, resp, out);
    uats_host->http_resp_free(resp);
    return rc;
}

static uats_code http_attach(uats_call *call, void *state, const char *candidate_id,
                             const json_t *input, json_t **out)
{
    uats_http_resp *resp;
    size_t len = 0;
    (void)state;
    const char *b64 = json_string_value(json_object_get(input, "data"));
    const char *url = json_string_value(json_object_get(input, "url"));
    void *bytes = NULL;
    /* file:// URLs (this test vendor only) exercise streaming from disk. */
    if (!b64 && !(url && strncmp(url, "file://", 7) == 0))
        return uats_host->fail(call, UATS_E_UNSUPPORTED, "this vendor takes file contents only");
    if (b64 && !(bytes = uats_host->base64_decode(call, b64, &len)))
        return UATS_E_INVALID_INPUT;
    uats_http_req *req = uats_host->http_new(call, "POST", "/v1/candidates/%s/files",
                                             candidate_id);
    const char *type = json_string_value(json_object_get(input, "type"));
    uats_host->http_form_field(req, "kind", type ? type : "OTHER");
    if (bytes)
        uats_host->http_form_file(req, "file",
                                  json_string_value(json_object_get(input, "file_name")),
                                  json_string_value(json_object_get(input, "content_type")),
                                  bytes, len);
    else
        uats_host->http_form_file_path(req, "file",
                                       json_string_value(json_object_get(input, "file_name")),
                                       json_string_value(json_object_get(input, "content_type")),
                                       url + 7);
    uats_code rc = uats_host->http_send(req, &resp);
    uats_host->free(bytes);
    if (rc != UATS_OK)
        return rc;
    json_t *doc = uats_host->http_resp_json(resp), *data = NULL;
    const char *id = NULL;
    json_int_t size = 0;
    rc = doc ? uats_host->unpack(call, doc, "file", "{s:{s:s, s:I}}", "data", "id", &id, "size",
                                 &size)
             : UATS_E_VENDOR;
    if (rc == UATS_OK) {
        data = json_object_get(doc, "data");
        *out = json_pack("{s:s, s:s, s:I, s:O}", "id", id, "candidate_id", candidate_id,
                         "size", size, "remote_data", data);
        if (!*out)
            rc = uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    uats_host->http_resp_free(resp);
    return rc;
}

static const char *const error_paths[] = {"message", "errors", NULL};

static const uats_connector connector = {
    UATS_CONNECTOR_INIT,
    .name = STR(MODNAME),
    .version = "0.1.0",
    .vendor = "HTTP Test Vendor",
    .description = "speaks HTTP to the check_http emulator",
    .default_base_url = NULL,
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = options,
    .api_key_style = KEY_STYLE,
    .api_key_name = KEY_NAME,
    .api_key_prefix = NULL,
    .oauth_token_url = NULL,
    .rate_per_sec = 0,
    .rate_burst = 0,
    .error_message_paths = error_paths,
#ifdef OAUTH_PASSWORD
    /* Eightfold's style: password grant, JSON body, token in an envelope. */
    .oauth_grant = UATS_OAUTH_PASSWORD,
    .oauth_json_body = 1,
    .oauth_token_path = "data.access_token",
#endif
    .open = http_open,
    .create_candidate = http_create,
    .get_candidate = http_get,
    .add_attachment = http_attach,
};

UATS_CONNECTOR_DEFINE(MODNAME, connector)
