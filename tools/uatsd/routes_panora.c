/*
 * tools/uatsd/routes_panora.c: Panora's ATS candidate routes.
 *
 *   POST /ats/candidate[s]        create   x-connection-token, ?remote_data=true
 *   GET  /ats/candidate[s]/{id}   retrieve x-connection-token, ?remote_data=true
 *
 * Panora's reference names the singular path; its newer releases serve the
 * plural one, so both are routed. Bodies are Panora's UnifiedCandidate
 * input and output; errors are the body of Panora's exception filter,
 * {statusCode, timestamp, path, message}, plus our code. The mapping, and
 * what it loses, is in docs/api-panora.md.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "seed_map.h"

#define TOKEN_HEADER "x-connection-token"

static json_t *panora_error_body(int status, const char *code, const char *message,
                                 const uats_error *err)
{
    char ts[32], text[600];
    seed_now_iso(ts);
    seed_error_text(message, err, text, sizeof text);
    return json_pack("{s:i, s:s, s:s, s:s}", "statusCode", status, "timestamp", ts,
                     "message", text, "code", seed_code(code));
}

static const gw_family panora_family = {"panora", panora_error_body};

/* Unified paths in Panora's words, for errors and warnings. */
static const seed_rename panora_names[] = {
    {"email_addresses[].value", "email_addresses[].email_address"},
    {"email_addresses[].type", "email_addresses[].email_address_type"},
    {"phone_numbers[].value", "phone_numbers[].phone_number"},
    {"phone_numbers[].type", "phone_numbers[].phone_type"},
    {"urls[].value", "urls[].url"},
    {"urls[].type", "urls[].url_type"},
    {"can_email", "email_reachable"},
    {"custom_fields", "field_mappings"},
    {"locations[]", "locations"},
    {"application.job_id", "applications[0].job_id"},
    {"application.stage_id", "applications[0].current_stage"},
    {"application", "applications[0]"},
    {"attachments[].url", "attachments[].file_url"},
    {"attachments[].type", "attachments[].attachment_type"},
    {NULL, NULL}};

/* ---- Panora's input -> the unified create input ---------------------------- */

/* Panora has one free-text location; the unified model a list. */
static bool locations_in(seed_tx *tx, const json_t *b)
{
    json_t *v = json_object_get(b, "locations");
    if (json_is_string(v))
        return seed_set(tx, NULL, "locations", json_pack("[O]", v));
    return seed_copy(tx, b, "locations", NULL, "locations");
}

/* Panora's custom fields are the unified custom_fields. The empty object
 * that Panora's clients send (the field is required) means "none". */
static bool field_mappings_in(seed_tx *tx, const json_t *b)
{
    json_t *v = json_object_get(b, "field_mappings");
    if (json_is_object(v) && json_object_size(v) == 0)
        return true;
    return seed_copy(tx, b, "field_mappings", NULL, "custom_fields");
}

/* Dates the ATS sets itself: readable in uats, never writable. */
static bool read_only_in(seed_tx *tx, const json_t *b)
{
    static const char *const keys[] = {"remote_created_at", "remote_modified_at",
                                       "last_interaction_at", NULL};
    for (size_t i = 0; keys[i]; i++) {
        json_t *v = json_object_get(b, keys[i]);
        if (v && !json_is_null(v) &&
            !seed_warn(tx, keys[i], "the ATS sets this date itself; uats cannot write it"))
            return false;
    }
    return true;
}

/* One file given as an object: file_url is the unified input's url. */
static bool attachment_in(seed_tx *tx, const json_t *item, const char *path, json_t *dst)
{
    static const char *const known[] = {"file_url", "file_name", "attachment_type", NULL};
    json_t *entry = json_object();
    if (!entry || json_array_append_new(dst, entry) != 0)
        return seed_nomem(tx);
    if (!seed_copy(tx, item, "file_url", entry, "url") ||
        !seed_copy(tx, item, "attachment_type", entry, "type"))
        return false;
    const char *url = json_string_value(json_object_get(item, "file_url"));
    return seed_file_name_in(tx, item, url, entry) &&
           seed_warn_unknown(tx, item, known, path, "uats has no place for it on a new file");
}

/* Panora takes either ids of attachments it stored, or new files. uats
 * stores no attachments of its own, so ids are warnings. */
static bool attachments_in(seed_tx *tx, const json_t *b)
{
    json_t *list = json_object_get(b, "attachments");
    if (!list || json_is_null(list))
        return true;
    if (!json_is_array(list))
        return seed_refuse(tx, "attachments: is not an array");
    bool ids = json_is_string(json_array_get(list, 0));
    json_t *dst = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        char path[64];
        snprintf(path, sizeof path, "attachments[%zu]", i);
        if (ids ? !json_is_string(item) : !json_is_object(item))
            return seed_refuse(tx, "%s: give either attachment ids or attachment objects, "
                               "not both", path);
        if (ids) {
            if (!seed_warn(tx, path, "uats keeps no attachments of its own to link by id; "
                           "give the file (file_url, file_name) instead"))
                return false;
            continue;
        }
        if (!dst && !seed_set(tx, NULL, "attachments", dst = json_array()))
            return false;
        if (!attachment_in(tx, item, path, dst))
            return false;
    }
    return true;
}

/* applications[0], when an object, is the application created with the
 * candidate (as Panora itself does); ids of stored applications and further
 * entries are warnings. */
static bool applications_in(seed_tx *tx, const json_t *b)
{
    static const char *const known[] = {"job_id", "current_stage", "source", NULL};
    json_t *list = json_object_get(b, "applications");
    if (!list || json_is_null(list))
        return true;
    if (!json_is_array(list))
        return seed_refuse(tx, "applications: is not an array");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        char path[64];
        snprintf(path, sizeof path, "applications[%zu]", i);
        if (i > 0) {
            if (!seed_warn(tx, path, "uats creates one application with the candidate: "
                           "applications[0]"))
                return false;
        } else if (json_is_string(item)) {
            if (!seed_warn(tx, path, "an existing application cannot be moved to a new "
                           "candidate; give {job_id, current_stage} instead"))
                return false;
        } else if (!json_is_object(item)) {
            return seed_refuse(tx, "%s: is neither an id nor an object", path);
        } else {
            json_t *app = json_object();
            if (!seed_set(tx, NULL, "application", app) ||
                !seed_copy(tx, item, "job_id", app, "job_id") ||
                !seed_copy(tx, item, "current_stage", app, "stage_id"))
                return false;
            const char *source = json_string_value(json_object_get(item, "source"));
            if (source && strcmp(source, "applicant") != 0 && strcmp(source, "lead") != 0) {
                if (!seed_warn(tx, "applications[0].source", "uats knows the sources "
                               "\"applicant\" and \"lead\" only"))
                    return false;
            } else if (!seed_copy(tx, item, "source", app, "source")) {
                return false;
            }
            if (!seed_warn_unknown(tx, item, known, path, "uats has no place for it on a "
                                   "new application"))
                return false;
        }
    }
    return true;
}

static bool panora_input(seed_tx *tx, const json_t *b)
{
    static const char *const fields[] = {
        "first_name", "last_name", "company", "title", "locations", "is_private",
        "email_reachable", "remote_created_at", "remote_modified_at",
        "last_interaction_at", "attachments", "applications", "tags", "urls",
        "phone_numbers", "email_addresses", "field_mappings", NULL};
    static const char *const same[] = {"first_name", "last_name", "company", "title",
                                       "is_private", "tags", NULL};
    for (size_t i = 0; same[i]; i++)
        if (!seed_copy(tx, b, same[i], NULL, same[i]))
            return false;
    return seed_copy(tx, b, "email_reachable", NULL, "can_email") &&
           locations_in(tx, b) &&
           seed_typed_in(tx, b, "email_addresses", "email_address", "email_address_type",
                         UATS_F_EMAIL_ADDRESSES, "email_addresses", false) &&
           seed_typed_in(tx, b, "phone_numbers", "phone_number", "phone_type",
                         UATS_F_PHONE_NUMBERS, "phone_numbers", false) &&
           seed_typed_in(tx, b, "urls", "url", "url_type", UATS_F_URLS, "urls", false) &&
           field_mappings_in(tx, b) && attachments_in(tx, b) && applications_in(tx, b) &&
           read_only_in(tx, b) &&
           seed_warn_unknown(tx, b, fields, "", "not a field of Panora's candidate; ignored");
}

/* ---- the unified candidate -> Panora's output ------------------------------ */

static json_t *or_null(const json_t *u, const char *key)
{
    json_t *v = json_object_get(u, key);
    return v ? json_incref(v) : json_null();
}

static json_t *or_empty_list(const json_t *u, const char *key)
{
    json_t *v = json_object_get(u, key);
    return v ? json_incref(v) : json_array();
}

/* Panora's single location string: the unified list joined with "; ". */
static json_t *locations_out(const json_t *u)
{
    json_t *list = json_object_get(u, "locations");
    if (json_array_size(list) == 0)
        return json_null();
    size_t len = 1, i;
    json_t *v;
    json_array_foreach(list, i, v)
        len += strlen(json_string_value(v) ? json_string_value(v) : "") + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    json_array_foreach(list, i, v) {
        if (i > 0)
            strcat(s, "; ");
        strcat(s, json_string_value(v) ? json_string_value(v) : "");
    }
    json_t *out = json_string(s);
    free(s);
    return out;
}

/* Every key Panora documents is present (null when unknown), as Panora
 * answers. u is the unified candidate's JSON. */
static json_t *panora_candidate(const json_t *u, bool remote_data)
{
    json_t *c = json_object();
    if (!c)
        return NULL;
    json_t *id = json_object_get(u, "id");
    json_t *remote_id = json_object_get(u, "remote_id");
    json_t *custom = json_object_get(u, "custom_fields");
    json_t *remote = json_object_get(u, "remote_data");
    struct {
        const char *key;
        json_t *value;
    } kv[] = {
        {"id", json_incref(id)},
        {"remote_id", json_incref(remote_id ? remote_id : id)},
        {"first_name", or_null(u, "first_name")},
        {"last_name", or_null(u, "last_name")},
        {"company", or_null(u, "company")},
        {"title", or_null(u, "title")},
        {"locations", locations_out(u)},
        {"is_private", or_null(u, "is_private")},
        {"email_reachable", or_null(u, "can_email")},
        {"remote_created_at", or_null(u, "remote_created_at")},
        {"remote_modified_at", or_null(u, "remote_updated_at")},
        {"last_interaction_at", or_null(u, "last_interaction_at")},
        {"attachments", or_empty_list(u, "attachments")},
        {"applications", or_empty_list(u, "applications")},
        {"tags", or_empty_list(u, "tags")},
        {"urls", seed_typed_out(json_object_get(u, "urls"), "url", "url_type", false)},
        {"phone_numbers", seed_typed_out(json_object_get(u, "phone_numbers"), "phone_number",
                                         "phone_type", false)},
        {"email_addresses", seed_typed_out(json_object_get(u, "email_addresses"),
                                           "email_address", "email_address_type", false)},
        {"field_mappings", custom ? json_incref(custom) : json_object()},
        {"remote_data", remote_data && remote ? json_incref(remote) : json_null()},
        /* The gateway keeps no copy of its own: both are this answer's time. */
        {"created_at", or_null(u, "modified_at")},
        {"modified_at", or_null(u, "modified_at")},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        ok = json_object_set_new(c, kv[i].key, kv[i].value) == 0 && ok;
    if (!ok) {
        json_decref(c);
        return NULL;
    }
    return c;
}

/* ---- handlers ------------------------------------------------------------- */

/* Panora's error bodies carry the request path; add it to errors of ours
 * (the server's own, before a route runs, go without). */
static void panora_finish(gw_req *r, gw_resp *out)
{
    if (out->status >= 400 && json_is_object(out->body) &&
        !json_object_get(out->body, "path"))
        json_object_set_new(out->body, "path", json_string(r->path));
}

static void answer(gw_req *r, gw_resp *out, int status, const uats_object *cand,
                   const json_t *warnings)
{
    bool remote_data = gw_query_flag(r, "remote_data");
    json_t *u = gw_unified_json(cand, remote_data);
    json_t *body = u ? panora_candidate(u, remote_data) : NULL;
    json_decref(u);
    seed_answer(r, out, status, body, warnings);
}

static void create_with(gw_req *r, gw_resp *out, gw_link *l, const json_t *body)
{
    seed_tx tx;
    if (seed_tx_init(&tx) != 0 || !panora_input(&tx, body)) {
        seed_fail(r, out, &tx);
    } else {
        /* A retry with the same Idempotency-Key gets this answer again
         * instead of a second candidate (idem.c). */
        gw_idem idem;
        if (gw_idem_begin(r, l, &idem, out)) {
            uats_code code = UATS_E_INTERNAL;
            uats_object *cand = seed_create(r, out, l, &tx, &code, panora_names);
            if (cand)
                answer(r, out, 201, cand, tx.warnings);
            uats_object_free(cand);
            gw_idem_end(r, &idem, code, out);
        }
    }
    seed_tx_clear(&tx);
}

static void panora_create(gw_req *r, gw_resp *out)
{
    json_t *body = gw_body_json(r, out);
    if (body) {
        gw_link *l = gw_link_get(r, gw_header(r, TOKEN_HEADER), TOKEN_HEADER, out);
        if (l)
            create_with(r, out, l, body);
        gw_link_release(l);
        json_decref(body);
    }
    panora_finish(r, out);
}

static void panora_retrieve(gw_req *r, gw_resp *out)
{
    gw_link *l = gw_link_get(r, gw_header(r, TOKEN_HEADER), TOKEN_HEADER, out);
    if (l) {
        uats_object *cand = seed_get(r, out, l, r->params[0]);
        if (cand)
            answer(r, out, 200, cand, NULL);
        uats_object_free(cand);
        gw_link_release(l);
    }
    panora_finish(r, out);
}

const gw_route gw_panora_routes[] = {
    {"POST", "/ats/candidate", panora_create, &panora_family},
    {"GET", "/ats/candidate/{}", panora_retrieve, &panora_family},
    {"POST", "/ats/candidates", panora_create, &panora_family},
    {"GET", "/ats/candidates/{}", panora_retrieve, &panora_family},
    {NULL, NULL, NULL, NULL}};
