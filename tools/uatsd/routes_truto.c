/*
 * tools/uatsd/routes_truto.c: Truto's unified ATS candidate routes.
 *
 *   POST /unified/ats/candidates?integrated_account_id=&job_id=&application_source=
 *   GET  /unified/ats/candidates/{id}?integrated_account_id=
 *
 * integrated_account_id is the connection's token. Truto's answers carry
 * remote_data unless truto_ignore_remote_data=true; truto_response_format
 * may be unified (the default), normalized (the same here) or raw (the
 * vendor's record alone). Errors are Truto's {statusCode, error, message},
 * with truto_is_remote_error and raw_response when the vendor refused, plus
 * our code. The mapping, and what it loses, is in docs/api-truto.md.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "seed_map.h"

#define TOKEN_PARAM "integrated_account_id"

static json_t *truto_error_body(int status, const char *code, const char *message,
                                const uats_error *err)
{
    char text[600];
    seed_error_text(message, err, text, sizeof text);
    json_t *o = json_pack("{s:i, s:s, s:s, s:s}", "statusCode", status,
                          "error", MHD_get_reason_phrase_for((unsigned)status),
                          "message", text, "code", seed_code(code));
    /* The vendor answered with an error of its own: Truto marks those, and
     * passes on what the vendor said (we keep its message, not its body). */
    if (o && err && err->http_status > 0) {
        json_object_set_new(o, "truto_is_remote_error", json_true());
        if (err->vendor_message[0])
            json_object_set_new(o, "raw_response", json_string(err->vendor_message));
    }
    return o;
}

static const gw_family truto_family = {"truto", truto_error_body};

/* Unified paths in Truto's words, for errors and warnings. */
static const seed_rename truto_names[] = {
    {"email_addresses[].value", "emails[].email"},
    {"email_addresses", "emails"},
    {"phone_numbers[].value", "phones[].number"},
    {"phone_numbers", "phones"},
    {"urls[].value", "links[].url"},
    {"urls", "links"},
    {"application.job_id", "job_id"},
    {"application.source", "application_source"},
    {"application.form_answers", "job_form_field_answers"},
    {"application", "job_id"},
    {"remote_fields", "remote_data"},
    {NULL, NULL}};

/* ---- Truto's input -> the unified create input ----------------------------- */

/* A value Truto takes in the query or in the body: the query's wins, and a
 * different one in the body is refused rather than guessed between. */
static bool query_or_body(seed_tx *tx, gw_req *r, const json_t *b, const char *key,
                          json_t *dst, const char *dst_key)
{
    const char *q = gw_query(r, key);
    json_t *v = json_object_get(b, key);
    if (!q)
        return seed_copy(tx, b, key, dst, dst_key);
    if (v && !json_is_null(v) &&
        !(json_is_string(v) && strcmp(json_string_value(v), q) == 0))
        return seed_refuse(tx, "%s: given in the query and in the body, with different "
                           "values", key);
    return seed_set(tx, dst, dst_key, json_string(q));
}

/* job_id, application_source and the job form's answers are the unified
 * application created with the candidate. */
static bool application_in(seed_tx *tx, gw_req *r, const json_t *b)
{
    json_t *app = json_object();
    if (!app)
        return seed_nomem(tx);
    bool ok = query_or_body(tx, r, b, "job_id", app, "job_id") &&
              query_or_body(tx, r, b, "application_source", app, "source") &&
              seed_copy(tx, b, "job_form_field_answers", app, "form_answers");
    if (ok && json_object_size(app) > 0)
        return seed_set(tx, NULL, "application", app);
    json_decref(app);
    return ok;
}

/* The file's type: attachment_type (resume, cover_letter, other) or, as
 * Truto's create documents, type "resume"; "" means no type. */
static bool attachment_type_in(seed_tx *tx, const json_t *item, const char *path,
                               json_t *entry)
{
    static const char *const keys[] = {"attachment_type", "type", NULL};
    for (size_t k = 0; keys[k]; k++) {
        const char *word = json_string_value(json_object_get(item, keys[k]));
        if (!word || !*word || json_object_get(entry, "type"))
            continue;
        const char *name = seed_known_type(UATS_F_ATTACHMENT_TYPE, word);
        if (name) {
            if (!seed_set(tx, entry, "type", json_string(name)))
                return false;
        } else {
            char tpath[96];
            snprintf(tpath, sizeof tpath, "%s.%s", path, keys[k]);
            if (!seed_warn(tx, tpath, "\"%.40s\" is not a file type uats knows; the file "
                           "is sent without a type", word))
                return false;
        }
    }
    return true;
}

/* One file, given by URL (url, else file_url): the unified input's url. A
 * different file_url beside url is a warning. */
static bool attachment_in(seed_tx *tx, const json_t *item, const char *path, json_t *dst)
{
    static const char *const known[] = {"url", "file_url", "file_name", "type",
                                        "attachment_type", NULL};
    json_t *url = json_object_get(item, "url");
    json_t *file_url = json_object_get(item, "file_url");
    if (!url || json_is_null(url))
        url = file_url;
    if (!json_is_string(url))
        return seed_refuse(tx, "%s: give the file's url (a string)", path);
    if (file_url && !json_is_null(file_url) && !json_equal(file_url, url)) {
        char fpath[96];
        snprintf(fpath, sizeof fpath, "%s.file_url", path);
        if (!seed_warn(tx, fpath, "url was used; this second address is ignored"))
            return false;
    }
    json_t *entry = json_object();
    if (!entry || json_array_append_new(dst, entry) != 0)
        return seed_nomem(tx);
    if (!seed_set(tx, entry, "url", json_incref(url)))
        return false;
    return seed_file_name_in(tx, item, json_string_value(url), entry) &&
           attachment_type_in(tx, item, path, entry) &&
           seed_warn_unknown(tx, item, known, path, "uats has no place for it on a new file");
}

static bool attachments_in(seed_tx *tx, const json_t *b)
{
    json_t *list = json_object_get(b, "attachments");
    if (!list || json_is_null(list))
        return true;
    if (!json_is_array(list))
        return seed_refuse(tx, "attachments: is not an array");
    json_t *dst = json_array();
    if (!seed_set(tx, NULL, "attachments", dst))
        return false;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        char path[64];
        snprintf(path, sizeof path, "attachments[%zu]", i);
        if (!json_is_object(item))
            return seed_refuse(tx, "%s: is not an object", path);
        if (!attachment_in(tx, item, path, dst))
            return false;
    }
    return true;
}

static bool truto_input(seed_tx *tx, gw_req *r, const json_t *b)
{
    static const char *const fields[] = {
        "first_name", "last_name", "title", "company", "locations", "phones", "emails",
        "links", "tags", "attachments", "job_form_field_answers", "remote_data", "job_id",
        "application_source", NULL};
    static const char *const same[] = {"first_name", "last_name", "title", "company",
                                       "locations", "tags", NULL};
    for (size_t i = 0; same[i]; i++)
        if (!seed_copy(tx, b, same[i], NULL, same[i]))
            return false;
    return seed_typed_in(tx, b, "phones", "number", "type", UATS_F_PHONE_NUMBERS,
                         "phone_numbers", false) &&
           seed_typed_in(tx, b, "emails", "email", "type", UATS_F_EMAIL_ADDRESSES,
                         "email_addresses", false) &&
           seed_typed_in(tx, b, "links", "url", "type", UATS_F_URLS, "urls", true) &&
           application_in(tx, r, b) && attachments_in(tx, b) &&
           /* "Passed as is to the remote API": the unified remote_fields. */
           seed_copy(tx, b, "remote_data", NULL, "remote_fields") &&
           seed_warn_unknown(tx, b, fields, "", "not a field of Truto's candidate; ignored");
}

/* ---- the unified candidate -> Truto's output ------------------------------- */

/* Ids as Truto's objects: [{id}]. */
static json_t *ids_out(const json_t *ids)
{
    json_t *arr = json_array();
    size_t i;
    json_t *id;
    json_array_foreach((json_t *)ids, i, id) {
        if (!arr || json_array_append_new(arr, json_pack("{s:O}", "id", id)) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* "first last", or whichever is known. */
static json_t *name_out(const json_t *u)
{
    const char *first = json_string_value(json_object_get(u, "first_name"));
    const char *last = json_string_value(json_object_get(u, "last_name"));
    if (!first || !last)
        return first || last ? json_string(first ? first : last) : json_null();
    size_t n = strlen(first) + strlen(last) + 2;
    char *s = malloc(n);
    if (!s)
        return NULL;
    snprintf(s, n, "%s %s", first, last);
    json_t *out = json_string(s);
    free(s);
    return out;
}

/* Truto leaves out what is unknown. u is the unified candidate's JSON. */
static json_t *truto_candidate(const json_t *u, bool remote_data)
{
    static const struct {
        const char *truto, *unified;
    } same[] = {
        {"id", "id"}, {"first_name", "first_name"}, {"last_name", "last_name"},
        {"company", "company"}, {"title", "title"},
        {"last_interaction_at", "last_interaction_at"}, {"is_private", "is_private"},
        {"can_email", "can_email"}, {"locations", "locations"}, {"tags", "tags"},
        {"created_at", "remote_created_at"}, {"updated_at", "remote_updated_at"}};
    json_t *c = json_object();
    bool ok = c != NULL;
    for (size_t i = 0; ok && i < sizeof same / sizeof same[0]; i++) {
        json_t *v = json_object_get(u, same[i].unified);
        ok = !v || json_object_set(c, same[i].truto, v) == 0;
    }
    struct {
        const char *key, *unified;
        json_t *(*make)(const json_t *list);
    } lists[] = {{"applications", "applications", ids_out},
                 {"attachments", "attachments", ids_out}};
    for (size_t i = 0; ok && i < sizeof lists / sizeof lists[0]; i++) {
        json_t *v = json_object_get(u, lists[i].unified);
        ok = !v || json_object_set_new(c, lists[i].key, lists[i].make(v)) == 0;
    }
    json_t *phones = json_object_get(u, "phone_numbers");
    json_t *emails = json_object_get(u, "email_addresses");
    json_t *urls = json_object_get(u, "urls");
    json_t *remote = json_object_get(u, "remote_data");
    ok = ok && json_object_set_new(c, "name", name_out(u)) == 0 &&
         (!phones || json_object_set_new(c, "phones",
                                         seed_typed_out(phones, "number", "type", true)) == 0) &&
         (!emails || json_object_set_new(c, "emails",
                                         seed_typed_out(emails, "email", "type", true)) == 0) &&
         (!urls || json_object_set_new(c, "urls",
                                       seed_typed_out(urls, "url", "type", true)) == 0) &&
         (!remote_data || !remote || json_object_set(c, "remote_data", remote) == 0);
    if (!ok) {
        json_decref(c);
        return NULL;
    }
    return c;
}

/* ---- handlers ------------------------------------------------------------- */

typedef enum { FORMAT_UNIFIED, FORMAT_RAW } truto_format;

/* truto_response_format: false after filling out with a 400 for a format
 * the gateway does not produce. */
static bool format_of(gw_req *r, gw_resp *out, truto_format *f)
{
    const char *v = gw_query(r, "truto_response_format");
    *f = FORMAT_UNIFIED;
    if (!v || strcmp(v, "unified") == 0 || strcmp(v, "normalized") == 0)
        return true;
    if (strcmp(v, "raw") == 0) {
        *f = FORMAT_RAW;
        return true;
    }
    gw_fail(r, out, 400, "INVALID_INPUT", "truto_response_format: uatsd answers unified, "
            "normalized or raw", NULL);
    return false;
}

static void answer(gw_req *r, gw_resp *out, int status, truto_format f,
                   const uats_object *cand, const json_t *warnings)
{
    bool remote_data = f == FORMAT_RAW || !gw_query_flag(r, "truto_ignore_remote_data");
    json_t *u = gw_unified_json(cand, remote_data);
    json_t *body = NULL;
    if (u && f == FORMAT_RAW) {
        /* The vendor's record alone, as Truto's raw format returns it. */
        json_t *raw = json_object_get(u, "remote_data");
        body = raw ? json_incref(raw) : json_object();
    } else if (u) {
        body = truto_candidate(u, remote_data);
    }
    json_decref(u);
    seed_answer(r, out, status, body, json_is_object(body) ? warnings : NULL);
}

static void create_with(gw_req *r, gw_resp *out, gw_link *l, truto_format f,
                        const json_t *body)
{
    seed_tx tx;
    if (seed_tx_init(&tx) != 0 || !truto_input(&tx, r, body)) {
        seed_fail(r, out, &tx);
    } else {
        /* A retry with the same Idempotency-Key gets this answer again
         * instead of a second candidate (idem.c). */
        gw_idem idem;
        if (gw_idem_begin(r, l, &idem, out)) {
            uats_code code = UATS_E_INTERNAL;
            uats_object *cand = seed_create(r, out, l, &tx, &code, truto_names);
            if (cand)
                answer(r, out, 201, f, cand, tx.warnings);
            uats_object_free(cand);
            gw_idem_end(r, &idem, code, out);
        }
    }
    seed_tx_clear(&tx);
}

static void truto_create(gw_req *r, gw_resp *out)
{
    truto_format f;
    if (!format_of(r, out, &f))
        return;
    json_t *body = gw_body_json(r, out);
    if (!body)
        return;
    gw_link *l = gw_link_get(r, gw_query(r, TOKEN_PARAM), TOKEN_PARAM, out);
    if (l)
        create_with(r, out, l, f, body);
    gw_link_release(l);
    json_decref(body);
}

static void truto_get(gw_req *r, gw_resp *out)
{
    truto_format f;
    if (!format_of(r, out, &f))
        return;
    gw_link *l = gw_link_get(r, gw_query(r, TOKEN_PARAM), TOKEN_PARAM, out);
    if (!l)
        return;
    uats_object *cand = seed_get(r, out, l, r->params[0]);
    if (cand)
        answer(r, out, 200, f, cand, NULL);
    uats_object_free(cand);
    gw_link_release(l);
}

const gw_route gw_truto_routes[] = {
    {"POST", "/unified/ats/candidates", truto_create, &truto_family},
    {"GET", "/unified/ats/candidates/{}", truto_get, &truto_family},
    {NULL, NULL, NULL, NULL}};
