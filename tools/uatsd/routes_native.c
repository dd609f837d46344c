/*
 * tools/uatsd/routes_native.c: the native API, /ats/v1: the unified model
 * as JSON in and out (docs/api.md). The connection token travels in
 * X-Connection-Token.
 */
#include <config.h>

#include <string.h>

#include "gw.h"

#define TOKEN_HEADER "X-Connection-Token"

static json_t *native_error(int status, const char *code, const char *message,
                            const uats_error *err)
{
    json_t *e = json_pack("{s:s, s:s, s:i, s:n}", "code", code, "message", message,
                          "http_status", status, "vendor_message");
    if (!e)
        return NULL;
    if (err) {
        if (err->vendor_message[0])
            json_object_set_new(e, "vendor_message", json_string(err->vendor_message));
        if (err->http_status)
            json_object_set_new(e, "vendor_http_status", json_integer(err->http_status));
        if (err->field[0])
            json_object_set_new(e, "field", json_string(err->field));
        if (err->connector[0])
            json_object_set_new(e, "connector", json_string(err->connector));
        if (err->retry_after > 0)
            json_object_set_new(e, "retry_after", json_integer(err->retry_after));
    }
    return json_pack("{s:o}", "error", e);
}

const gw_family gw_native_family = {"native", native_error};

/* {model, warnings}: what every native write answers. */
static json_t *model_and_warnings(const uats_object *obj, const uats_warnings *w)
{
    json_t *warnings = uats_warnings_to_json(w);
    return json_pack("{s:o, s:o}", "model", gw_unified_json(obj, false),
                     "warnings", warnings ? warnings : json_array());
}

/* A write: the body as an input of kind, the core operation, the answer
 * {model, warnings} with 201. Both writes honour Idempotency-Key. */
typedef uats_code write_op(gw_req *r, uats_conn *conn, const uats_object *input,
                           uats_object **out, uats_warnings **w, uats_error *err);

static void native_write(gw_req *r, gw_resp *out, uats_kind kind, write_op *op)
{
    uats_error err;
    uats_object *input = NULL, *result = NULL;
    uats_warnings *w = NULL;
    json_t *body = gw_body_json(r, out);
    if (!body)
        return;
    uats_code code = uats_object_from_json(kind, body, &input, &err);
    json_decref(body);
    if (code != UATS_OK) {
        gw_fail(r, out, 400, NULL, NULL, &err);
        return;
    }
    gw_link *l = gw_link_get(r, gw_header(r, TOKEN_HEADER), TOKEN_HEADER, out);
    gw_idem idem;
    if (l && gw_idem_begin(r, l, &idem, out)) {
        code = op(r, gw_link_conn(l), input, &result, &w, &err);
        if (code != UATS_OK)
            gw_fail(r, out, 0, NULL, NULL, &err);
        else {
            out->status = 201;
            out->body = model_and_warnings(result, w);
            const char *id = uats_get_string(result, UATS_F_ID);
            if (kind == UATS_KIND_CANDIDATE_INPUT && id && strlen(id) < 200)
                snprintf(out->location, sizeof out->location, "/ats/v1/candidates/%s", id);
        }
        gw_idem_end(r, &idem, code, out);
    }
    gw_link_release(l);
    uats_object_free(input);
    uats_object_free(result);
    uats_warnings_free(w);
}

static uats_code create_op(gw_req *r, uats_conn *conn, const uats_object *input,
                           uats_object **out, uats_warnings **w, uats_error *err)
{
    (void)r;
    return uats_candidate_create(conn, input, out, w, err);
}

static uats_code attach_op(gw_req *r, uats_conn *conn, const uats_object *input,
                           uats_object **out, uats_warnings **w, uats_error *err)
{
    return uats_attachment_add(conn, r->params[0], input, out, w, err);
}

static void create_candidate(gw_req *r, gw_resp *out)
{
    native_write(r, out, UATS_KIND_CANDIDATE_INPUT, create_op);
}

static void add_attachment(gw_req *r, gw_resp *out)
{
    native_write(r, out, UATS_KIND_ATTACHMENT_INPUT, attach_op);
}

static void get_candidate(gw_req *r, gw_resp *out)
{
    uats_error err;
    uats_object *cand = NULL;
    gw_link *l = gw_link_get(r, gw_header(r, TOKEN_HEADER), TOKEN_HEADER, out);
    if (!l)
        return;
    if (uats_candidate_get(gw_link_conn(l), r->params[0], &cand, &err) != UATS_OK)
        gw_fail(r, out, 0, NULL, NULL, &err);
    else {
        out->status = 200;
        out->body = gw_unified_json(cand, gw_query_flag(r, "include_raw_data"));
    }
    gw_link_release(l);
    uats_object_free(cand);
}

const gw_route gw_native_routes[] = {
    {"POST", "/ats/v1/candidates", create_candidate, &gw_native_family},
    {"GET", "/ats/v1/candidates/{}", get_candidate, &gw_native_family},
    {"POST", "/ats/v1/candidates/{}/attachments", add_attachment, &gw_native_family},
    {NULL, NULL, NULL, NULL},
};
