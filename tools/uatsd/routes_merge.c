/*
 * tools/uatsd/routes_merge.c: Merge's and Bindbee's request shapes.
 *
 *   GET  /api/ats/v1/candidates/{id}   Merge (X-Account-Token,
 *                                      ?include_remote_data) or Bindbee
 *                                      (x-connector-token, ?include_raw_data)
 *   POST /api/ats/v1/candidates        Merge: {model, remote_user_id}
 *   POST /api/ats/v1/attachments       Merge: {model: {candidate, ...}, remote_user_id}
 *
 * Each handler translates the request into the unified model, makes one
 * core call and translates the answer back. What either direction loses is
 * listed in docs/api-merge.md; a create reports it as Merge-shaped warnings.
 *
 * Duplicates: Merge's Node client retries a POST that was answered 408,
 * 429 or 5xx. So a write whose outcome is unknown (the vendor may have
 * stored it) is answered 409, which it does not retry; every other failed
 * write certainly did not take effect, and a retry of it is harmless.
 * Merge's Python client retries nothing unless told to, and then a 409
 * too: Idempotency-Key (gw_idem) covers it.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"

#define POINTER_SIZE 256
/* Status for a write that may have taken effect: not one Merge's clients
 * retry (408, 429, 5xx), so that a retry cannot create a second record. */
#define STATUS_OUTCOME_UNKNOWN 409
#define DEFAULT_FILE_NAME "attachment"

/* ------------------------------------------------------------------------
 * Small JSON builders. Each records a failed allocation in *ok instead of
 * returning it, so that a builder reads as a list of fields and checks once.
 * ------------------------------------------------------------------------ */

/* Set key to value (taken, may be NULL after a failed allocation). */
static void put(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

static void append(json_t *arr, json_t *value, bool *ok)
{
    if (!value || json_array_append_new(arr, value) != 0)
        *ok = false;
}

/* u[key], or null: Merge and Bindbee list every key, null when unknown. */
static json_t *copy_or_null(const json_t *u, const char *key)
{
    json_t *v = json_object_get(u, key);
    return v ? json_incref(v) : json_null();
}

/* u[key] (an array), or an empty array. */
static json_t *list_or_empty(const json_t *u, const char *key)
{
    json_t *v = json_object_get(u, key);
    return v ? json_incref(v) : json_array();
}

/* ------------------------------------------------------------------------
 * Field paths: the unified model's ("email_addresses[1].type") as Merge's
 * pointers ("model/email_addresses/1/email_address_type").
 * ------------------------------------------------------------------------ */

typedef struct field_rename {
    const char *parent; /* the enclosing name ("" at the top) */
    const char *name;   /* unified */
    const char *merge;
} field_rename;

static const field_rename renames[] = {
    {"", "application", "applications/0"},
    {"", "remote_fields", "integration_params"},
    {"", "url", "file_url"},           /* attachment input (POST attachments) */
    {"", "data", "file_url"},          /* from a data: URL */
    {"", "type", "attachment_type"},
    {"application", "job_id", "job"},
    {"application", "stage_id", "current_stage"},
    {"application", "screening_answers", "screening_question_answers"},
    {"screening_answers", "question_id", "question"},
    {"email_addresses", "type", "email_address_type"},
    {"phone_numbers", "type", "phone_number_type"},
    {"urls", "type", "url_type"},
    {"attachments", "url", "file_url"},
    {"attachments", "data", "file_url"},
    {"attachments", "type", "attachment_type"},
};

static const char *merge_name(const char *parent, const char *name)
{
    for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++)
        if (strcmp(renames[i].parent, parent) == 0 && strcmp(renames[i].name, name) == 0)
            return renames[i].merge;
    return name;
}

/* Append s to the string in out (size bytes), cutting it to fit. */
static void add_str(char *out, size_t size, const char *s)
{
    size_t len = strlen(out), n = strlen(s);
    if (len + 1 >= size)
        return;
    if (n > size - len - 1)
        n = size - len - 1;
    memcpy(out + len, s, n);
    out[len + n] = '\0';
}

/*
 * Merge's pointer for a unified field path. A path that already holds a '/',
 * or is "model" or "remote_user_id", is one of ours, written in Merge's
 * terms while translating; unified paths are never such.
 */
static void merge_pointer(const char *path, char *out, size_t size)
{
    out[0] = '\0';
    if (strchr(path, '/') || strcmp(path, "model") == 0 || strcmp(path, "remote_user_id") == 0) {
        add_str(out, size, path);
        return;
    }
    if (strcmp(path, "acting_user") == 0) {
        add_str(out, size, "remote_user_id");  /* beside model, not in it */
        return;
    }
    add_str(out, size, "model");
    char parent[64] = "", name[64];
    const char *p = path;
    while (*p) {
        size_t n = strcspn(p, ".[");
        if (n > 0) {
            snprintf(name, sizeof name, "%.*s", (int)n, p);
            add_str(out, size, "/");
            add_str(out, size, merge_name(parent, name));
            snprintf(parent, sizeof parent, "%s", name);
        }
        p += n;
        if (*p == '[') {  /* an index: "[3]" -> "/3" */
            size_t d = strcspn(p + 1, "]");
            snprintf(name, sizeof name, "/%.*s", (int)d, p + 1);
            add_str(out, size, name);
            p += d + 1 + (p[d + 1] == ']');
        }
        if (*p == '.')
            p++;
    }
}

/* ------------------------------------------------------------------------
 * Errors in Merge's shape. Merge answers a failed write with {errors,
 * warnings} whose entries are {problem_type, title, detail, source.pointer},
 * and other failures with {detail}; this body carries both, so that a host
 * reading either finds it. Bindbee's routes answer the same way.
 * ------------------------------------------------------------------------ */

typedef struct problem {
    const char *type;
    const char *title;
} problem;

static problem problem_for(const uats_error *err)
{
    if (!err)
        return (problem){"ERROR", "Error"};
    switch (err->code) {
    case UATS_E_INVALID_INPUT:
        /* The core's messages say "required" for a missing key. */
        if (strstr(err->text, "required"))
            return (problem){"MISSING_REQUIRED_FIELD", "Missing Required Field"};
        if (strstr(err->text, "is not one of"))
            return (problem){"INVALID_FIELD_CHOICE", "Invalid Field Choice"};
        return (problem){"INCORRECT_FIELD_TYPE", "Incorrect Field Type"};
    case UATS_E_CONFLICT:
        return (problem){"DUPLICATE_MODEL_EXISTS", "Duplicate Model Exists"};
    case UATS_E_VALIDATION: case UATS_E_AUTH: case UATS_E_FORBIDDEN: case UATS_E_NOT_FOUND:
    case UATS_E_RATE_LIMITED: case UATS_E_VENDOR: case UATS_E_TRANSPORT: case UATS_E_TIMEOUT:
    case UATS_E_UNSUPPORTED:
        return (problem){"PROVIDER_ERROR", "Provider Error"};
    case UATS_E_OUTCOME_UNKNOWN:
        return (problem){"ERROR", "Outcome Unknown"};
    default:
        return (problem){"ERROR", "Error"};
    }
}

static json_t *merge_error_body(int status, const char *code, const char *message,
                                const uats_error *err)
{
    (void)status;
    (void)code;
    problem p = problem_for(err);
    const char *text = message && *message ? message : "request failed";
    json_t *e = json_pack("{s:s, s:s, s:s}", "problem_type", p.type, "title", p.title,
                          "detail", text);
    if (!e)
        return NULL;
    bool ok = true;
    if (err && err->field[0]) {
        char pointer[POINTER_SIZE];
        merge_pointer(err->field, pointer, sizeof pointer);
        put(e, "source", json_pack("{s:s}", "pointer", pointer), &ok);
    }
    if (err && err->vendor_message[0])
        put(e, "raw_error", json_string(err->vendor_message), &ok);
    json_t *body = json_pack("{s:s, s:[o], s:[]}", "detail", text, "errors", e, "warnings");
    if (!ok) {
        json_decref(body);
        return NULL;
    }
    return body;
}

static const gw_family merge_family = {"merge", merge_error_body};

/* A 400 naming a Merge pointer, for requests refused before any core call. */
static void fail_input(gw_req *r, gw_resp *out, const char *pointer, const char *detail)
{
    uats_error err;
    memset(&err, 0, sizeof err);
    err.code = UATS_E_INVALID_INPUT;
    /* Both are cut to fit: they label, and a cut label still says where. */
    add_str(err.field, sizeof err.field, pointer);
    add_str(err.text, sizeof err.text, pointer);
    add_str(err.text, sizeof err.text, ": ");
    add_str(err.text, sizeof err.text, detail);
    gw_fail(r, out, 400, uats_code_name(err.code), err.text, &err);
}

/* The status for a failed core call. Merge answers 400 when the vendor
 * does not support a request; the gateway's 501 would also be retried. */
static int merge_status(uats_code code)
{
    return code == UATS_E_UNSUPPORTED ? 400 : gw_status_for(code);
}

static void fail_read(gw_req *r, gw_resp *out, const uats_error *err)
{
    gw_fail(r, out, merge_status(err->code), NULL, NULL, err);
}

/* A failed core write: see the head of this file for the status. */
static void fail_write(gw_req *r, gw_resp *out, const uats_error *err, const char *what)
{
    if (err->code != UATS_E_OUTCOME_UNKNOWN) {
        fail_read(r, out, err);
        return;
    }
    char text[UATS_ERROR_SIZE + 160];
    size_t len = strlen(err->text);
    snprintf(text, sizeof text, "%s%s The %s may have been created: look for it before "
             "sending this request again.", err->text,
             len && err->text[len - 1] == '.' ? "" : ".", what);
    gw_fail(r, out, STATUS_OUTCOME_UNKNOWN, uats_code_name(err->code), text, err);
}

/* The write succeeded but its answer could not be built (out of memory):
 * still 201 with the id when possible, never a status a client retries. */
static void created_without_body(gw_resp *out, const char *id)
{
    out->status = 201;
    out->body = json_pack("{s:{s:s?}, s:[], s:[]}", "model", "id", id, "warnings", "errors");
}

/* ------------------------------------------------------------------------
 * Unified -> Merge and Bindbee
 * ------------------------------------------------------------------------ */

/* Merge has no WEBSITE, LINKEDIN, GITHUB or TWITTER url types. */
static const char *merge_url_type(const char *t)
{
    if (strcmp(t, "LINKEDIN") == 0 || strcmp(t, "GITHUB") == 0 || strcmp(t, "TWITTER") == 0)
        return "SOCIAL_MEDIA";
    if (strcmp(t, "WEBSITE") == 0)
        return "OTHER";
    return t;
}

/* [{value, type}] -> [{value, <type_key>}], types through map when given. */
static json_t *typed_list(const json_t *u, const char *key, const char *type_key,
                          const char *(*map)(const char *))
{
    json_t *out = json_array();
    const json_t *in = json_object_get(u, key);
    bool ok = out != NULL;
    for (size_t i = 0; ok && i < json_array_size(in); i++) {
        const json_t *e = json_array_get(in, i);
        const char *type = json_string_value(json_object_get(e, "type"));
        if (type && map)
            type = map(type);
        append(out, json_pack("{s:O?, s:s?}", "value", json_object_get(e, "value"),
                              type_key, type), &ok);
    }
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* Bindbee lists phone numbers and e-mail addresses as plain strings. */
static json_t *value_list(const json_t *u, const char *key)
{
    json_t *out = json_array();
    const json_t *in = json_object_get(u, key);
    bool ok = out != NULL;
    for (size_t i = 0; ok && i < json_array_size(in); i++)
        append(out, copy_or_null(json_array_get(in, i), "value"), &ok);
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The vendor's custom fields are what Merge calls field mappings. */
static json_t *field_mappings(const json_t *u)
{
    json_t *custom = json_object_get(u, "custom_fields");
    if (!custom)
        return json_null();
    return json_pack("{s:{}, s:O}", "organization_defined_targets",
                     "linked_account_defined_targets", custom);
}

/* Merge's remote_data: one entry, named after the connector (uats does not
 * record which vendor endpoints the record came from). */
static json_t *remote_data_list(const json_t *u, const char *connector)
{
    json_t *data = json_object_get(u, "remote_data");
    if (!data)
        return json_array();
    return json_pack("[{s:s, s:O}]", "path", connector, "data", data);
}

static const char *const merge_plain_keys[] = {
    "first_name", "last_name", "company", "title", "remote_created_at",
    "remote_updated_at", "last_interaction_at", "is_private", "can_email"};

/* Merge's Candidate. remote_data: NULL for null, else the connector's name. */
static json_t *merge_candidate(const json_t *u, const char *remote_data)
{
    json_t *m = json_object();
    if (!m)
        return NULL;
    bool ok = true;
    put(m, "id", copy_or_null(u, "id"), &ok);
    put(m, "remote_id", copy_or_null(u, "remote_id"), &ok);
    put(m, "created_at", json_null(), &ok);  /* uats stores nothing, so creates nothing */
    put(m, "modified_at", copy_or_null(u, "modified_at"), &ok);
    for (size_t i = 0; i < sizeof merge_plain_keys / sizeof merge_plain_keys[0]; i++)
        put(m, merge_plain_keys[i], copy_or_null(u, merge_plain_keys[i]), &ok);
    put(m, "locations", list_or_empty(u, "locations"), &ok);
    put(m, "phone_numbers", typed_list(u, "phone_numbers", "phone_number_type", NULL), &ok);
    put(m, "email_addresses", typed_list(u, "email_addresses", "email_address_type", NULL),
        &ok);
    put(m, "urls", typed_list(u, "urls", "url_type", merge_url_type), &ok);
    put(m, "tags", list_or_empty(u, "tags"), &ok);
    put(m, "applications", list_or_empty(u, "applications"), &ok);
    put(m, "attachments", list_or_empty(u, "attachments"), &ok);
    /* Read live from the vendor: a deleted candidate is a 404, not a flag. */
    put(m, "remote_was_deleted", json_false(), &ok);
    put(m, "field_mappings", field_mappings(u), &ok);
    put(m, "remote_data", remote_data ? remote_data_list(u, remote_data) : json_null(), &ok);
    if (!ok) {
        json_decref(m);
        return NULL;
    }
    return m;
}

/* Bindbee's candidate (seeds/bindbee-get-ats-candidate.txt): every key is
 * required, null when unknown; raw_data only when asked for. */
static json_t *bindbee_candidate(const json_t *u, bool raw_data)
{
    static const char *const plain[] = {"first_name", "last_name", "company", "title",
                                        "last_interaction_at", "is_private", "can_email"};
    json_t *b = json_object();
    if (!b)
        return NULL;
    bool ok = true;
    put(b, "id", copy_or_null(u, "id"), &ok);
    put(b, "remote_id", copy_or_null(u, "remote_id"), &ok);
    put(b, "modified_at", copy_or_null(u, "modified_at"), &ok);
    if (raw_data)
        put(b, "raw_data", copy_or_null(u, "remote_data"), &ok);
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        put(b, plain[i], copy_or_null(u, plain[i]), &ok);
    put(b, "locations", list_or_empty(u, "locations"), &ok);
    put(b, "phone_numbers", value_list(u, "phone_numbers"), &ok);
    put(b, "email_addresses", value_list(u, "email_addresses"), &ok);
    put(b, "urls", typed_list(u, "urls", "url_type", merge_url_type), &ok);
    put(b, "tags", list_or_empty(u, "tags"), &ok);
    put(b, "applications", list_or_empty(u, "applications"), &ok);
    put(b, "attachments", list_or_empty(u, "attachments"), &ok);
    put(b, "remote_created_at", copy_or_null(u, "remote_created_at"), &ok);
    put(b, "remote_updated_at", copy_or_null(u, "remote_updated_at"), &ok);
    put(b, "avatar", copy_or_null(u, "avatar"), &ok);
    if (!ok) {
        json_decref(b);
        return NULL;
    }
    return b;
}

/* Merge's Attachment. */
static json_t *merge_attachment(const json_t *u)
{
    json_t *m = json_object();
    if (!m)
        return NULL;
    bool ok = true;
    put(m, "id", copy_or_null(u, "id"), &ok);
    put(m, "remote_id", copy_or_null(u, "remote_id"), &ok);
    put(m, "created_at", json_null(), &ok);
    put(m, "modified_at", copy_or_null(u, "modified_at"), &ok);
    put(m, "file_name", copy_or_null(u, "file_name"), &ok);
    put(m, "file_url", copy_or_null(u, "file_url"), &ok);
    put(m, "candidate", copy_or_null(u, "candidate_id"), &ok);
    put(m, "attachment_type", copy_or_null(u, "type"), &ok);
    put(m, "remote_was_deleted", json_false(), &ok);
    put(m, "field_mappings", json_null(), &ok);
    put(m, "remote_data", json_null(), &ok);
    if (!ok) {
        json_decref(m);
        return NULL;
    }
    return m;
}

/* ------------------------------------------------------------------------
 * Merge -> unified. Fields the unified model has no home for become
 * warnings (Merge's UNSUPPORTED_FIELD; unknown keys UNRECOGNIZED_FIELD, as
 * Merge itself answers them); values of the wrong type are passed on so
 * that the core's reader refuses them naming the field. Requests that
 * cannot be read at all stop at the first bad pointer.
 * ------------------------------------------------------------------------ */

typedef struct xlate {
    json_t *warnings;            /* Merge-shaped warnings */
    bool ok;                     /* false once an allocation failed */
    char bad[POINTER_SIZE];      /* the first unreadable field, or "" */
    char bad_detail[160];
    /* Ids in Merge's lists are dropped, so unified list indexes differ from
     * the client's: where each unified attachment and the application came
     * from, to name them as sent. */
    size_t *file_at, nfiles;
    size_t application_at;
} xlate;

static void xlate_clear(xlate *x)
{
    json_decref(x->warnings);
    free(x->file_at);
}

/* The pointer, in the client's terms, for a unified path of this request. */
static void request_pointer(const xlate *x, const char *path, char *out, size_t size)
{
    static const char files[] = "model/attachments/", app[] = "model/applications/0";
    char p[POINTER_SIZE], index[24];
    merge_pointer(path, p, sizeof p);
    const char *rest = NULL, *list = NULL;
    size_t at = 0;
    if (strncmp(p, files, sizeof files - 1) == 0) {
        char *end;
        unsigned long n = strtoul(p + sizeof files - 1, &end, 10);
        if (end != p + sizeof files - 1 && n < x->nfiles) {
            at = x->file_at[n];
            rest = end;
            list = files;
        }
    } else if (strncmp(p, app, sizeof app - 1) == 0) {
        at = x->application_at;
        rest = p + sizeof app - 1;
        list = "model/applications/";
    }
    if (!rest) {
        snprintf(out, size, "%s", p);
        return;
    }
    snprintf(index, sizeof index, "%zu", at);
    out[0] = '\0';
    add_str(out, size, list);
    add_str(out, size, index);
    add_str(out, size, rest);
}

/* err->field (a unified path) as the client's pointer, for the error body. */
static void request_field(const xlate *x, uats_error *err)
{
    char pointer[POINTER_SIZE];
    if (!err->field[0])
        return;
    request_pointer(x, err->field, pointer, sizeof pointer);
    err->field[0] = '\0';
    add_str(err->field, sizeof err->field, pointer);  /* cut if deeper than it holds */
}

/* An empty object, or NULL with the failure recorded. */
static json_t *new_object(xlate *x)
{
    json_t *o = json_object();
    if (!o)
        x->ok = false;
    return o;
}

static void warn(xlate *x, bool unrecognized, const char *pointer, const char *fmt, ...)
    UATS_PRINTF(4, 5);

static void warn(xlate *x, bool unrecognized, const char *pointer, const char *fmt, ...)
{
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    append(x->warnings,
           json_pack("{s:s, s:s, s:s, s:{s:s}}", "problem_type",
                     unrecognized ? "UNRECOGNIZED_FIELD" : "UNSUPPORTED_FIELD", "title",
                     unrecognized ? "Unrecognized Field" : "Unsupported Field", "detail",
                     detail, "source", "pointer", pointer),
           &x->ok);
}

static void refuse(xlate *x, const char *pointer, const char *detail)
{
    if (x->bad[0])
        return;
    snprintf(x->bad, sizeof x->bad, "%s", pointer);
    snprintf(x->bad_detail, sizeof x->bad_detail, "%s", detail);
}

static void warn_unrecognized(xlate *x, const char *pointer, const char *key)
{
    warn(x, true, pointer, "An unrecognized field, %s, was passed in with request data and "
         "ignored.", key);
}

/* A list entry's pointer, e.g. "model/email_addresses/2", and a key's.
 * Pointers only label messages: a deep one is cut at POINTER_SIZE. */
static void entry_pointer(char *out, size_t size, const char *list, size_t i)
{
    char index[24];
    snprintf(index, sizeof index, "/%zu", i);
    out[0] = '\0';
    add_str(out, size, list);
    add_str(out, size, index);
}

static void key_pointer(char *out, size_t size, const char *base, const char *key)
{
    out[0] = '\0';
    add_str(out, size, base);
    add_str(out, size, "/");
    add_str(out, size, key);
}

/* Merge's {value, <type_key>, integration_params, ...} entries as unified
 * {value, type}. */
static json_t *typed_in(xlate *x, json_t *list, const char *type_key, const char *pointer)
{
    if (!json_is_array(list))
        return json_incref(list);
    json_t *out = json_array();
    if (!out) {
        x->ok = false;
        return NULL;
    }
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (!json_is_object(e)) {
            append(out, json_incref(e), &x->ok);
            continue;
        }
        char at[POINTER_SIZE], kp[POINTER_SIZE];
        entry_pointer(at, sizeof at, pointer, i);
        json_t *u = json_object();
        bool ok = u != NULL;
        const char *key;
        json_t *v;
        json_object_foreach(e, key, v) {
            key_pointer(kp, sizeof kp, at, key);
            if (json_is_null(v))
                continue;
            if (strcmp(key, "value") == 0)
                put(u, "value", json_incref(v), &ok);
            else if (strcmp(key, type_key) == 0)
                put(u, "type", json_incref(v), &ok);
            else if (strcmp(key, "integration_params") == 0 ||
                     strcmp(key, "linked_account_params") == 0)
                warn(x, false, kp, "%s on a list entry is not sent: uats passes "
                     "integration_params only for the whole candidate.", key);
            else
                warn_unrecognized(x, kp, key);
        }
        if (!ok) {
            json_decref(u);
            u = NULL;
        }
        append(out, u, &x->ok);
    }
    return out;
}

/* An id given as a string or as an object with an "id". */
static json_t *id_of(const json_t *v)
{
    if (json_is_string(v))
        return json_incref((json_t *)v);
    const json_t *id = json_object_get(v, "id");
    return json_is_string(id) ? json_incref((json_t *)id) : NULL;
}

/* The file name at the end of a URL's path ("cv.pdf"); one that does not
 * fit is not cut (that could split a UTF-8 character): the default name. */
static void name_from_url(const char *url, char *out, size_t size)
{
    const char *end = url + strcspn(url, "?#");
    const char *start = end;
    while (start > url && start[-1] != '/')
        start--;
    if (end == start || (size_t)(end - start) >= size || strncmp(url, "data:", 5) == 0)
        snprintf(out, size, "%s", DEFAULT_FILE_NAME);
    else
        snprintf(out, size, "%.*s", (int)(end - start), start);
}

/*
 * Merge fetches file_url itself; uats passes a URL on to the connector
 * (vendors that take URLs fetch it). A data: URL (RFC 2397) carries the
 * file in the request: it becomes the unified data and content_type, so
 * that files reach vendors that take only contents, with no fetching here.
 */
static void file_url_in(xlate *x, json_t *u, json_t *url, const char *pointer)
{
    const char *s = json_string_value(url);
    if (!s || strncmp(s, "data:", 5) != 0) {
        put(u, "url", json_incref(url), &x->ok);
        return;
    }
    const char *comma = strchr(s, ',');
    const char *b64 = comma ? strstr(s, ";base64,") : NULL;
    if (!comma || !b64 || b64 + 7 != comma) {
        refuse(x, pointer, "a data: URL must be base64 (data:<type>;base64,<data>)");
        return;
    }
    size_t type_len = strcspn(s + 5, ";,");
    if (type_len > 0 && type_len < 128) {
        char type[128];
        snprintf(type, sizeof type, "%.*s", (int)type_len, s + 5);
        put(u, "content_type", json_string(type), &x->ok);
    }
    put(u, "data", json_string(comma + 1), &x->ok);
}

/* Merge's AttachmentRequest (or an Attachment nested in a candidate) as a
 * unified attachment input; "candidate" is the caller's business. */
static json_t *attachment_in(xlate *x, json_t *m, const char *pointer)
{
    json_t *u = new_object(x);
    if (!u)
        return NULL;
    char kp[POINTER_SIZE];
    const char *key;
    json_t *v;
    json_object_foreach(m, key, v) {
        key_pointer(kp, sizeof kp, pointer, key);
        if (json_is_null(v) || strcmp(key, "candidate") == 0)
            continue;
        if (strcmp(key, "file_name") == 0)
            put(u, "file_name", json_incref(v), &x->ok);
        else if (strcmp(key, "file_url") == 0)
            file_url_in(x, u, v, kp);
        else if (strcmp(key, "attachment_type") == 0)
            put(u, "type", json_incref(v), &x->ok);
        else if (strcmp(key, "integration_params") == 0 ||
                 strcmp(key, "linked_account_params") == 0)
            warn(x, false, kp, "%s is not sent: uats has no vendor passthrough for files.",
                 key);
        else
            warn_unrecognized(x, kp, key);
    }
    /* Merge does not require a file name; the unified model does. */
    const char *url = json_string_value(json_object_get(m, "file_url"));
    if (!json_object_get(u, "file_name") && url) {
        char name[256];
        name_from_url(url, name, sizeof name);
        put(u, "file_name", json_string(name), &x->ok);
    }
    return u;
}

/* Merge's screening_question_answers [{question, answer}] as unified
 * screening_answers [{question_id, answer}]. */
static json_t *answers_in(xlate *x, json_t *list, const char *pointer)
{
    if (!json_is_array(list)) {
        refuse(x, pointer, "must be an array");
        return NULL;
    }
    json_t *out = json_array();
    bool ok = out != NULL;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        char at[POINTER_SIZE];
        entry_pointer(at, sizeof at, pointer, i);
        json_t *question = id_of(json_object_get(e, "question"));
        if (!question) {
            refuse(x, at, "question must be an id or an object with an id");
            break;
        }
        append(out, json_pack("{s:o, s:O?}", "question_id", question, "answer",
                              json_object_get(e, "answer")), &ok);
        if (!ok)
            break;
    }
    if (!ok)
        x->ok = false;
    if (!ok || x->bad[0]) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* One Merge ApplicationRequest as the unified application. */
static json_t *application_in(xlate *x, json_t *m, const char *pointer)
{
    json_t *u = new_object(x);
    if (!u)
        return NULL;
    char kp[POINTER_SIZE];
    const char *key;
    json_t *v;
    json_object_foreach(m, key, v) {
        key_pointer(kp, sizeof kp, pointer, key);
        if (json_is_null(v))
            continue;
        if (strcmp(key, "job") == 0 || strcmp(key, "current_stage") == 0) {
            json_t *id = id_of(v);
            if (!id)
                refuse(x, kp, "must be an id or an object with an id");
            else
                put(u, strcmp(key, "job") == 0 ? "job_id" : "stage_id", id, &x->ok);
        } else if (strcmp(key, "screening_question_answers") == 0) {
            json_t *answers = answers_in(x, v, kp);
            if (answers)
                put(u, "screening_answers", answers, &x->ok);
        } else if (strcmp(key, "source") == 0 && json_is_string(v) &&
                   (strcmp(json_string_value(v), "applicant") == 0 ||
                    strcmp(json_string_value(v), "lead") == 0)) {
            put(u, "source", json_incref(v), &x->ok);
        } else if (strcmp(key, "source") == 0) {
            warn(x, false, kp, "source is not stored: uats keeps only \"applicant\" (applied) "
                 "or \"lead\" (added by a user), not a free-text source.");
        } else if (strcmp(key, "candidate") != 0) {
            /* applied_at, offers, credited_to, reject_reason, ... */
            warn(x, false, kp, "%s is not stored: the unified application carries job, "
                 "stage, source (applicant or lead) and screening answers only.", key);
        }
    }
    return u;
}

static void applications_in(xlate *x, json_t *u, json_t *list)
{
    if (!json_is_array(list)) {
        refuse(x, "model/applications", "must be an array");
        return;
    }
    bool have = false;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        char at[POINTER_SIZE];
        entry_pointer(at, sizeof at, "model/applications", i);
        if (json_is_string(e)) {
            warn(x, false, at, "An existing application (%s) cannot be linked: uats creates "
                 "the candidate with a new application.", json_string_value(e));
        } else if (!json_is_object(e)) {
            refuse(x, at, "must be an id or an application object");
        } else if (have) {
            warn(x, false, at, "Only the first application is created with the candidate.");
        } else {
            put(u, "application", application_in(x, e, at), &x->ok);
            x->application_at = i;
            have = true;
        }
    }
}

static void attachments_in(xlate *x, json_t *u, json_t *list)
{
    if (!json_is_array(list)) {
        refuse(x, "model/attachments", "must be an array");
        return;
    }
    json_t *files = json_array();
    x->file_at = calloc(json_array_size(list) + 1, sizeof *x->file_at);
    bool ok = files != NULL && x->file_at != NULL;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        char at[POINTER_SIZE];
        entry_pointer(at, sizeof at, "model/attachments", i);
        if (json_is_string(e))
            warn(x, false, at, "An existing attachment (%s) cannot be linked: send the file "
                 "(file_url) instead.", json_string_value(e));
        else if (!json_is_object(e))
            refuse(x, at, "must be an id or an attachment object");
        else if (ok) {
            append(files, attachment_in(x, e, at), &ok);
            x->file_at[x->nfiles++] = i;
        }
    }
    if (!ok) {
        x->ok = false;
        json_decref(files);
    } else if (json_array_size(files) > 0) {
        put(u, "attachments", files, &x->ok);
    } else {
        json_decref(files);
    }
}

/* integration_params and linked_account_params, merged (the latter wins)
 * into remote_fields: both are vendor-specific values for the request. */
static void params_in(xlate *x, json_t *u, const char *key, json_t *v)
{
    char pointer[POINTER_SIZE];
    key_pointer(pointer, sizeof pointer, "model", key);
    if (!json_is_object(v)) {
        refuse(x, pointer, "must be an object");
        return;
    }
    json_t *rf = json_object_get(u, "remote_fields");
    if (!rf) {
        put(u, "remote_fields", json_deep_copy(v), &x->ok);
        return;
    }
    if (json_object_update(rf, v) != 0)
        x->ok = false;
}

/* Keys of Merge's CandidateRequest that are the unified ones unchanged. */
static bool same_key(const char *key)
{
    static const char *const keys[] = {"first_name", "last_name", "company", "title",
                                       "is_private", "can_email", "locations", "tags"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

static void candidate_key_in(xlate *x, json_t *u, const char *key, json_t *v)
{
    char pointer[POINTER_SIZE];
    key_pointer(pointer, sizeof pointer, "model", key);
    if (same_key(key))
        put(u, key, json_incref(v), &x->ok);
    else if (strcmp(key, "email_addresses") == 0)
        put(u, key, typed_in(x, v, "email_address_type", pointer), &x->ok);
    else if (strcmp(key, "phone_numbers") == 0)
        put(u, key, typed_in(x, v, "phone_number_type", pointer), &x->ok);
    else if (strcmp(key, "urls") == 0)
        put(u, key, typed_in(x, v, "url_type", pointer), &x->ok);
    else if (strcmp(key, "applications") == 0)
        applications_in(x, u, v);
    else if (strcmp(key, "attachments") == 0)
        attachments_in(x, u, v);
    else if (strcmp(key, "integration_params") == 0 ||
             strcmp(key, "linked_account_params") == 0)
        return;  /* after the other keys, in a fixed order */
    else if (strcmp(key, "last_interaction_at") == 0)
        warn(x, false, pointer, "last_interaction_at is not written: the vendor sets it.");
    else if (strcmp(key, "remote_template_id") == 0)
        warn(x, false, pointer, "remote_template_id is not used: uats does not create "
             "candidates from vendor templates.");
    else
        warn_unrecognized(x, pointer, key);
}

/* {model, remote_user_id} -> the unified candidate input (JSON). */
static json_t *candidate_request_in(xlate *x, json_t *body)
{
    json_t *model = json_object_get(body, "model");
    json_t *user = json_object_get(body, "remote_user_id");
    if (!json_is_object(model)) {
        refuse(x, "model", model ? "must be an object" : "is required");
        return NULL;
    }
    if (user && !json_is_null(user) && !json_is_string(user)) {
        refuse(x, "remote_user_id", "must be a string");
        return NULL;
    }
    json_t *u = new_object(x);
    if (!u)
        return NULL;
    const char *key;
    json_t *v;
    json_object_foreach(model, key, v)
        if (!json_is_null(v))
            candidate_key_in(x, u, key, v);
    static const char *const params[] = {"integration_params", "linked_account_params"};
    for (size_t i = 0; i < 2; i++)
        if ((v = json_object_get(model, params[i])) && !json_is_null(v))
            params_in(x, u, params[i], v);
    if (json_is_string(user))
        put(u, "acting_user", json_incref(user), &x->ok);
    return u;
}

/* Connector warnings (unified paths) after the translation's own. */
static void add_core_warnings(xlate *x, const uats_warnings *w)
{
    for (size_t i = 0; i < uats_warnings_count(w); i++) {
        char pointer[POINTER_SIZE];
        request_pointer(x, uats_warning_field(w, i), pointer, sizeof pointer);
        warn(x, false, pointer, "%s", uats_warning_message(w, i));
    }
}

/* ------------------------------------------------------------------------
 * Handlers
 * ------------------------------------------------------------------------ */

/* The request body read by the translation; NULL after answering. */
static json_t *request_in(gw_req *r, gw_resp *out, xlate *x, json_t *(*fn)(xlate *, json_t *),
                          json_t **body)
{
    *body = gw_body_json(r, out);
    if (!*body)
        return NULL;
    x->warnings = json_array();
    x->ok = x->warnings != NULL;
    json_t *u = x->ok ? fn(x, *body) : NULL;
    if (x->bad[0]) {
        fail_input(r, out, x->bad, x->bad_detail);
    } else if (!x->ok || !u) {
        gw_fail(r, out, gw_status_for(UATS_E_NOMEM), uats_code_name(UATS_E_NOMEM),
                "out of memory", NULL);
    } else {
        return u;
    }
    json_decref(u);
    return NULL;
}

/* A unified input object from its JSON; false after answering 400. */
static bool object_in(gw_req *r, gw_resp *out, const xlate *x, uats_kind kind,
                      const json_t *u, uats_object **obj)
{
    uats_error err;
    if (uats_object_from_json(kind, u, obj, &err) == UATS_OK)
        return true;
    request_field(x, &err);
    gw_fail(r, out, err.code == UATS_E_NOMEM ? gw_status_for(err.code) : 400, NULL, NULL, &err);
    return false;
}

/* The answer to a successful write: {model, warnings, errors}. */
static void created(gw_resp *out, xlate *x, json_t *model, const char *id)
{
    json_t *body = model ? json_pack("{s:o, s:O, s:[]}", "model", model, "warnings",
                                     x->warnings, "errors")
                         : NULL;
    if (!body || !x->ok) {
        json_decref(body);
        created_without_body(out, id);
        return;
    }
    out->status = 201;
    out->body = body;
}

/* {model: {candidate, file_name, file_url, attachment_type}, remote_user_id}
 * -> the unified attachment input (JSON). */
static json_t *attachment_request_in(xlate *x, json_t *body)
{
    json_t *model = json_object_get(body, "model");
    if (!json_is_object(model)) {
        refuse(x, "model", model ? "must be an object" : "is required");
        return NULL;
    }
    json_t *cand = json_object_get(model, "candidate");
    if (!json_is_string(cand) || !*json_string_value(cand)) {
        refuse(x, "model/candidate", cand ? "must be a candidate id" : "is required");
        return NULL;
    }
    json_t *user = json_object_get(body, "remote_user_id");
    if (user && !json_is_null(user))
        warn(x, false, "remote_user_id", "Files are added as the connection's configured "
             "user: uats takes no acting user for a file.");
    return attachment_in(x, model, "model");
}

/* The candidate id of an attachment request (checked by the translation). */
static const char *attachment_candidate(const json_t *body)
{
    return json_string_value(json_object_get(json_object_get(body, "model"), "candidate"));
}

static uats_code create_call(uats_conn *conn, const json_t *body, const uats_object *in,
                             uats_object **out, uats_warnings **w, uats_error *err)
{
    (void)body;
    return uats_candidate_create(conn, in, out, w, err);
}

static uats_code attach_call(uats_conn *conn, const json_t *body, const uats_object *in,
                             uats_object **out, uats_warnings **w, uats_error *err)
{
    return uats_attachment_add(conn, attachment_candidate(body), in, out, w, err);
}

static json_t *created_candidate(const json_t *u, const json_t *body)
{
    (void)body;
    return merge_candidate(u, NULL);
}

static json_t *created_attachment(const json_t *u, const json_t *body)
{
    json_t *model = merge_attachment(u);
    /* The unified result may leave the candidate out; Merge names it. */
    if (model && json_is_null(json_object_get(model, "candidate")) &&
        json_object_set_new(model, "candidate", json_string(attachment_candidate(body))) != 0) {
        json_decref(model);
        return NULL;
    }
    return model;
}

/* One of Merge's writes: what differs between them. */
typedef struct write_op {
    uats_kind kind;                                  /* of the unified input */
    json_t *(*in)(xlate *x, json_t *body);           /* Merge's body -> unified JSON */
    uats_code (*call)(uats_conn *conn, const json_t *body, const uats_object *in,
                      uats_object **out, uats_warnings **w, uats_error *err);
    json_t *(*model)(const json_t *unified, const json_t *body);  /* the answer's model */
    const char *what;                                /* for messages */
} write_op;

static const write_op create_op = {UATS_KIND_CANDIDATE_INPUT, candidate_request_in,
                                   create_call, created_candidate, "candidate"};
static const write_op attach_op = {UATS_KIND_ATTACHMENT_INPUT, attachment_request_in,
                                   attach_call, created_attachment, "attachment"};

/* Translate, make the core call once, answer {model, warnings, errors}.
 * An Idempotency-Key header is honoured as on the native API: Merge's
 * clients can send one (request options' extra headers), and their
 * Python client, when told to retry, retries a 409 too. */
static void merge_write(gw_req *r, gw_resp *out, const write_op *op)
{
    gw_link *link = gw_link_get(r, gw_header(r, "X-Account-Token"), "X-Account-Token", out);
    if (!link)
        return;
    xlate x = {0};
    json_t *body = NULL;
    uats_object *in = NULL;
    gw_idem idem;
    json_t *u = request_in(r, out, &x, op->in, &body);
    if (u && object_in(r, out, &x, op->kind, u, &in) && gw_idem_begin(r, link, &idem, out)) {
        uats_object *result;
        uats_warnings *w;
        uats_error err;
        uats_code code = op->call(gw_link_conn(link), body, in, &result, &w, &err);
        if (code != UATS_OK) {
            request_field(&x, &err);
            fail_write(r, out, &err, op->what);
        } else {
            add_core_warnings(&x, w);
            json_t *rj = uats_object_to_json(result, 0);
            created(out, &x, rj ? op->model(rj, body) : NULL,
                    uats_get_string(result, UATS_F_ID));
            json_decref(rj);
            uats_warnings_free(w);
            uats_object_free(result);
        }
        gw_idem_end(r, &idem, code, out);
    }
    uats_object_free(in);
    json_decref(u);
    json_decref(body);
    xlate_clear(&x);
    gw_link_release(link);
}

static void merge_create_candidate(gw_req *r, gw_resp *out)
{
    merge_write(r, out, &create_op);
}

static void merge_add_attachment(gw_req *r, gw_resp *out)
{
    merge_write(r, out, &attach_op);
}

/* The same path serves Merge (X-Account-Token) and Bindbee
 * (x-connector-token); the header says which shape to answer in. */
static void get_candidate(gw_req *r, gw_resp *out)
{
    const char *merge_token = gw_header(r, "X-Account-Token");
    const char *bindbee_token = gw_header(r, "x-connector-token");
    if (merge_token && bindbee_token) {
        gw_fail(r, out, 400, "AMBIGUOUS_CONNECTION",
                "send X-Account-Token (Merge) or x-connector-token (Bindbee), not both", NULL);
        return;
    }
    bool bindbee = bindbee_token != NULL;
    gw_link *link = gw_link_get(r, bindbee ? bindbee_token : merge_token,
                                bindbee ? "x-connector-token"
                                        : "X-Account-Token (or x-connector-token)", out);
    if (!link)
        return;
    uats_object *cand;
    uats_error err;
    if (uats_candidate_get(gw_link_conn(link), r->params[0], &cand, &err) != UATS_OK) {
        fail_read(r, out, &err);
        gw_link_release(link);
        return;
    }
    bool remote = gw_query_flag(r, bindbee ? "include_raw_data" : "include_remote_data");
    json_t *u = uats_object_to_json(cand, remote ? UATS_JSON_REMOTE_DATA : 0);
    json_t *body = NULL;
    if (u)
        body = bindbee ? bindbee_candidate(u, remote)
                       : merge_candidate(u, remote ? gw_link_connector(link) : NULL);
    if (body) {
        out->status = 200;
        out->body = body;
    } else {
        gw_fail(r, out, gw_status_for(UATS_E_NOMEM), uats_code_name(UATS_E_NOMEM),
                "out of memory", NULL);
    }
    json_decref(u);
    uats_object_free(cand);
    gw_link_release(link);
}

const gw_route gw_merge_routes[] = {
    {"GET", "/api/ats/v1/candidates/{}", get_candidate, &merge_family},
    {"POST", "/api/ats/v1/candidates", merge_create_candidate, &merge_family},
    {"POST", "/api/ats/v1/attachments", merge_add_attachment, &merge_family},
    {NULL, NULL, NULL, NULL},
};
