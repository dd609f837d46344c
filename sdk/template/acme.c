/*
 * acme.c: a complete connector for "Acme ATS", the template to start a new
 * connector from. Copy this folder, rename acme to your vendor, and replace
 * the mapping. It builds against an installed uats with pkg-config only:
 *
 *     make && make install          (see Makefile and README.md)
 *
 * Acme's API (served by acme_emulator.c for trying it out):
 *   POST /v1/candidates                 {"first_name", "last_name", "emails": [..]}
 *   GET  /v1/candidates/{id}            -> {"candidate": {...}}
 *   POST /v1/candidates/{id}/attachments {"file_name", "kind", "content_base64"}
 *   authentication: header X-Acme-Key; errors: {"error": {"message": "..."}}
 */
#include <string.h>

#include <uats/connector.h>

/* Acme's candidate -> the unified model (docs/model.md). */
static json_t *to_unified(uats_call *call, const json_t *c)
{
    const char *id, *first = NULL, *last = NULL;
    json_t *emails = NULL;
    if (uats_host->unpack(call, c, "candidate", "{s:s, s?s, s?s, s?o}", "id", &id,
                          "first_name", &first, "last_name", &last, "emails", &emails) != UATS_OK)
        return NULL;
    json_t *out = json_pack("{s:s, s:s, s:O}", "id", id, "remote_id", id, "remote_data", c);
    if (!out)
        return NULL;
    if (first)
        json_object_set_new(out, "first_name", json_string(first));
    if (last)
        json_object_set_new(out, "last_name", json_string(last));
    json_t *list = json_array(), *e;
    size_t i;
    json_array_foreach(emails, i, e)
        if (json_is_string(e))
            json_array_append_new(list, json_pack("{s:O}", "value", e));
    json_object_set_new(out, "email_addresses", list);
    json_object_set(out, "attachments", json_object_get(c, "attachment_ids") ?
                                            json_object_get(c, "attachment_ids") : json_array());
    return out;
}

/* The unified create input -> Acme's body; what Acme cannot hold is a warning. */
static json_t *to_acme(uats_call *call, const json_t *input)
{
    json_t *body = json_object(), *emails = json_array(), *e;
    size_t i;
    const char *key;
    json_t *value;
    json_object_set(body, "first_name", json_object_get(input, "first_name"));
    json_object_set(body, "last_name", json_object_get(input, "last_name"));
    json_array_foreach(json_object_get(input, "email_addresses"), i, e)
        json_array_append(emails, json_object_get(e, "value"));
    json_object_set_new(body, "emails", emails);
    json_object_foreach((json_t *)input, key, value) {
        if (strcmp(key, "first_name") && strcmp(key, "last_name") &&
            strcmp(key, "email_addresses"))
            uats_host->warn(call, key, "Acme has no field for %s", key);
    }
    /* json_object_set with a NULL value fails harmlessly: drop the keys. */
    if (!json_object_get(input, "first_name"))
        json_object_del(body, "first_name");
    if (!json_object_get(input, "last_name"))
        json_object_del(body, "last_name");
    return body;
}

/* Send req and map the object under `key` of the answer with map. */
static uats_code exchange(uats_call *call, uats_http_req *req, const char *key,
                          json_t *(*map)(uats_call *, const json_t *), json_t **out)
{
    uats_http_resp *resp;
    uats_code rc = uats_host->http_send(req, &resp);
    if (rc != UATS_OK)
        return rc; /* recorded by the core, with Acme's message */
    json_t *doc = uats_host->http_resp_json(resp), *obj = NULL;
    if (doc)
        rc = uats_host->unpack(call, doc, key, "{s:o}", key, &obj);
    *out = doc && rc == UATS_OK ? map(call, obj) : NULL;
    uats_host->http_resp_free(resp);
    if (!*out)
        return rc != UATS_OK ? rc : uats_host->fail(call, UATS_E_VENDOR, "Acme's %s is unusable", key);
    return UATS_OK;
}

static uats_code acme_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    (void)state;
    json_t *body = to_acme(call, input);
    uats_http_req *req = uats_host->http_new(call, "POST", "/candidates");
    uats_host->http_json_body(req, body);
    json_decref(body);
    return exchange(call, req, "candidate", to_unified, out);
}

static uats_code acme_get(uats_call *call, void *state, const char *id, json_t **out)
{
    (void)state;
    return exchange(call, uats_host->http_new(call, "GET", "/candidates/%s", id), "candidate",
                    to_unified, out);
}

static json_t *attachment_to_unified(uats_call *call, const json_t *a)
{
    const char *id, *name;
    json_int_t size;
    if (uats_host->unpack(call, a, "attachment", "{s:s, s:s, s:I}", "id", &id, "file_name",
                          &name, "size", &size) != UATS_OK)
        return NULL;
    return json_pack("{s:s, s:s, s:s?, s:s, s:I, s:O}", "id", id, "remote_id", id,
                     "candidate_id", json_string_value(json_object_get(a, "candidate_id")),
                     "file_name", name, "size", size, "remote_data", a);
}

static uats_code acme_attach(uats_call *call, void *state, const char *candidate_id,
                             const json_t *input, json_t **out)
{
    (void)state;
    const char *data = json_string_value(json_object_get(input, "data"));
    if (!data)
        return uats_host->fail(call, UATS_E_UNSUPPORTED, "Acme takes file contents, not URLs");
    const char *type = json_string_value(json_object_get(input, "type"));
    json_t *body = json_pack("{s:O, s:s, s:s}", "file_name", json_object_get(input, "file_name"),
                             "kind", type && strcmp(type, "RESUME") == 0 ? "cv" : "document",
                             "content_base64", data);
    uats_http_req *req = uats_host->http_new(call, "POST", "/candidates/%s/attachments",
                                             candidate_id);
    if (!body) {
        uats_host->http_req_free(req);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    uats_host->http_json_body(req, body);
    json_decref(body);
    return exchange(call, req, "attachment", attachment_to_unified, out);
}

static const char *const error_paths[] = {"error.message", NULL};

/* What to_acme() sends; it warns about everything else. Keep the two in
 * step: uats-conformance checks them against each other. */
static const char *const stored_fields[] = {"first_name", "last_name", "email_addresses", NULL};

static const uats_connector acme = {
    UATS_CONNECTOR_INIT,
    .name = "acme",
    .version = "0.1.0",
    .vendor = "Acme ATS",
    .description = "template connector: copy it to write your own",
    .default_base_url = "https://api.acme-ats.example/v1",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .api_key_style = UATS_KEY_HEADER,
    .api_key_name = "X-Acme-Key",
    .rate_per_sec = 20,
    .rate_burst = 20,
    .error_message_paths = error_paths,
    .stored_fields = stored_fields,
    .create_candidate = acme_create,
    .get_candidate = acme_get,
    .add_attachment = acme_attach,
};

UATS_CONNECTOR_DEFINE(acme, acme)
