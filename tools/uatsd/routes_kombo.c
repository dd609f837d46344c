/*
 * tools/uatsd/routes_kombo.c: Kombo-compatible routes (docs/api-kombo.md).
 *
 * A host written against Kombo's ATS API, or one of its SDKs, points its
 * base URL at uatsd and keeps its code: the same paths, the
 * X-Integration-Id header naming the connection, Kombo's request bodies,
 * and answers in Kombo's {status, data, warnings} envelope. Kombo's SDKs
 * validate every answer against Kombo's schema, so the answers carry every
 * key that schema requires: what uats does not know is null, never absent.
 *
 * Routes, each also under /v1 (the path of Kombo's own base URL):
 *   POST /ats/candidates                              create a candidate
 *   POST /ats/candidates/{candidate_id}/attachments   add a file
 *   GET  /ats/candidates?ids=...                      read candidates back
 *
 * What a Kombo body says that uats cannot carry becomes one of Kombo's
 * warnings ({message}), never a silent drop.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seed_map.h"

#define KB_HEADER "X-Integration-Id"

/* GET /ats/candidates reads one candidate per id given: the cap keeps one
 * request from fanning out into an unbounded number of vendor calls. It is
 * Kombo's default page size. */
#define KB_MAX_IDS 100

/* The status of a write whose outcome is unknown (the vendor may have
 * stored it). Not one of those the Kombo SDK retries (429, 500, 502, 503,
 * 504) when a host turns its retries on: a resent create could make the
 * candidate twice. The error code says what happened. */
#define KB_STATUS_OUTCOME_UNKNOWN 409

/* ------------------------------------------------------------------------
 * Errors: {status: "error", error: {code, title, message, log_url}}
 * ------------------------------------------------------------------------ */

typedef struct kb_code {
    const char *code;   /* one of Kombo's error codes, or NULL (Kombo's "no code") */
    const char *title;  /* a fixed label for the code */
} kb_code;

enum {
    KB_INPUT, KB_AUTH, KB_NO_INTEGRATION, KB_PLATFORM, KB_PLATFORM_RATE, KB_SETUP,
    KB_INT_AUTH, KB_PERMISSION, KB_NOT_AVAILABLE, KB_REMOTE_DOWN, KB_REMOTE_RATE,
    KB_REMOTE_INPUT, KB_REMOTE_UNKNOWN, KB_EXISTS, KB_NOT_FOUND, KB_NO_CODE, KB_NCODES
};

static const kb_code kb_codes[KB_NCODES] = {
    [KB_INPUT] = {"PLATFORM.INPUT_INVALID", "The request is not valid."},
    [KB_AUTH] = {"PLATFORM.AUTHENTICATION_INVALID", "The API key is not valid."},
    [KB_NO_INTEGRATION] = {"PLATFORM.INTEGRATION_NOT_FOUND", "No integration has this ID."},
    [KB_PLATFORM] = {"PLATFORM.UNKNOWN_ERROR", "The gateway failed."},
    [KB_PLATFORM_RATE] = {"PLATFORM.RATE_LIMIT_EXCEEDED", "Too many requests."},
    [KB_SETUP] = {"INTEGRATION.SETUP_INCOMPLETE", "The integration's configuration is not usable."},
    [KB_INT_AUTH] = {"INTEGRATION.AUTHENTICATION_INVALID",
                     "The ATS refused the integration's credentials."},
    [KB_PERMISSION] = {"INTEGRATION.PERMISSION_MISSING",
                       "The integration's credentials lack a permission."},
    [KB_NOT_AVAILABLE] = {"INTEGRATION.ACTION_NOT_AVAILABLE",
                          "This action is not available for this ATS."},
    [KB_REMOTE_DOWN] = {"REMOTE.SERVICE_UNAVAILABLE", "The ATS could not be reached or failed."},
    [KB_REMOTE_RATE] = {"REMOTE.RATE_LIMIT_EXCEEDED", "The ATS's rate limit was reached."},
    [KB_REMOTE_INPUT] = {"REMOTE.INPUT_INVALID", "The ATS refused the data."},
    [KB_REMOTE_UNKNOWN] = {"REMOTE.UNKNOWN_HTTP_ERROR",
                           "The ATS's answer was lost: the write may have taken effect."},
    [KB_EXISTS] = {"ATS.APPLICATION_ALREADY_EXISTS",
                   "The ATS already has this candidate or application."},
    [KB_NOT_FOUND] = {NULL, "Not found."},
    [KB_NO_CODE] = {NULL, NULL},
};

/* The gateway's own codes (server, connection store). */
static const struct {
    const char *name;
    int kb;
} kb_gateway_codes[] = {
    {"UNAUTHORIZED", KB_AUTH},
    {"UNKNOWN_CONNECTION", KB_NO_INTEGRATION},
    {"MISSING_CONNECTION_TOKEN", KB_INPUT},
    {"MALFORMED_JSON", KB_INPUT},
    {"BODY_TOO_LARGE", KB_INPUT},
    {"STORE_UNAVAILABLE", KB_PLATFORM},
    {"NOMEM", KB_PLATFORM},
    {"INTERNAL", KB_PLATFORM},
    {"CONFIG", KB_SETUP},
    {"NO_SUCH_ROUTE", KB_NOT_FOUND},
};

static int kb_for_core(uats_code code)
{
    switch (code) {
    case UATS_E_INVALID_INPUT: return KB_INPUT;
    case UATS_E_NOT_FOUND: return KB_NOT_FOUND;
    case UATS_E_AUTH: return KB_INT_AUTH;
    case UATS_E_FORBIDDEN: return KB_PERMISSION;
    case UATS_E_CONFLICT: return KB_EXISTS;
    case UATS_E_VALIDATION: return KB_REMOTE_INPUT;
    case UATS_E_RATE_LIMITED: return KB_REMOTE_RATE;
    /* Nothing was stored (the core reports a write that may have been
     * as OUTCOME_UNKNOWN), so these are the retryable ones. */
    case UATS_E_VENDOR:
    case UATS_E_TRANSPORT:
    case UATS_E_TIMEOUT: return KB_REMOTE_DOWN;
    case UATS_E_OUTCOME_UNKNOWN: return KB_REMOTE_UNKNOWN;
    case UATS_E_UNSUPPORTED: return KB_NOT_AVAILABLE;
    case UATS_E_TOO_LARGE: return KB_INPUT;
    case UATS_E_NO_CONNECTOR:
    case UATS_E_CONFIG:
    case UATS_E_ABI_MISMATCH:
    case UATS_E_BAD_MODULE: return KB_SETUP;
    default: return KB_PLATFORM;
    }
}

/* The Kombo code for a code string: one of Kombo's own (handlers here pass
 * those), a gateway code, or a core code's name (with or without its
 * UATS_E_ prefix). -1 when unknown. */
static int kb_for_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < KB_NCODES; i++)
        if (kb_codes[i].code && !strcmp(name, kb_codes[i].code))
            return i;
    for (size_t i = 0; i < sizeof kb_gateway_codes / sizeof *kb_gateway_codes; i++)
        if (!strcmp(name, kb_gateway_codes[i].name))
            return kb_gateway_codes[i].kb;
    for (int c = 1; c < UATS_E__LAST; c++)
        if (!strcmp(name, gw_code_name((uats_code)c)) ||
            !strcmp(name, uats_code_name((uats_code)c)))
            return kb_for_core((uats_code)c);
    return -1;
}

static int kb_for_status(int status)
{
    if (status == 400 || status == 413 || status == 422)
        return KB_INPUT;
    if (status == 401)
        return KB_AUTH;
    if (status == 404)
        return KB_NOT_FOUND;
    if (status == 429)
        return KB_PLATFORM_RATE;
    return status >= 500 ? KB_PLATFORM : KB_NO_CODE;
}

static json_t *kombo_error(int status, const char *code, const char *message,
                           const uats_error *err)
{
    char msg[UATS_ERROR_SIZE * 3];
    int k = kb_for_name(code);
    if (k < 0)
        k = err ? kb_for_core(err->code) : kb_for_status(status);
    /* The vendor's own words help whoever reads the error; they carry no
     * secret (the core strips them). */
    seed_error_text(message, err, msg, sizeof msg);
    json_t *e = json_pack("{s:s?, s:s?, s:s, s:n}", "code", kb_codes[k].code, "title",
                          kb_codes[k].title, "message", msg, "log_url");
    return e ? json_pack("{s:s, s:o}", "status", "error", "error", e) : NULL;
}

static const gw_family kombo_family = {"kombo", kombo_error};

/* ------------------------------------------------------------------------
 * Paths: the unified input field a core error or warning names, as the
 * Kombo request field it came from (for messages only)
 * ------------------------------------------------------------------------ */

/* Unified paths in Kombo's words. Emails and phones are not here: their
 * entry 0 is Kombo's primary field and the others its additional list,
 * one index lower (kb_contact_path). */
static const seed_rename kb_renames[] = {
    {"application.screening_answers", "screening_question_answers"},
    {"application", "application"},
    {"attachments[].file_name", "attachments[].name"},
    {"attachments[].url", "attachments[].data_url"},
    {"attachments", "attachments"},
    {"urls[].value", "candidate.social_links[].url"},
    {"urls", "candidate.social_links"},
    {"location.region", "candidate.location.state"},
    {"location", "candidate.location"},
    {"address.street", "candidate.location.street_1"},
    {"address.postal_code", "candidate.location.zip_code"},
    {"address.region", "candidate.location.state"},
    {"address", "candidate.location"},
    {"first_name", "candidate.first_name"},
    {"last_name", "candidate.last_name"},
    {"company", "candidate.company"},
    {"title", "candidate.title"},
    {"gender", "candidate.gender"},
    {"availability_date", "candidate.availability_date"},
    {"salary_expectations", "candidate.salary_expectations"},
    /* attachment input (the add-attachment route) */
    {"file_name", "attachment.name"},
    {"url", "attachment.data_url"},
    {"data", "attachment.data"},
    {"content_type", "attachment.content_type"},
    {"type", "attachment.type"},
    {NULL, NULL},
};

static int kb_contact_path(const char *path, const char *list, const char *kfield,
                           const char *klist, char *out, size_t n)
{
    size_t len = strlen(list);
    char *end;
    if (strncmp(path, list, len) || (path[len] && path[len] != '['))
        return 0;
    if (!path[len]) {
        snprintf(out, n, "candidate.%s", kfield);
        return 1;
    }
    unsigned long i = strtoul(path + len + 1, &end, 10);
    const char *rest = *end == ']' ? end + 1 : "";
    int value = !strcmp(rest, ".value");
    if (i == 0)
        snprintf(out, n, "candidate.%s%s", kfield, value ? "" : rest);
    else if (value)
        snprintf(out, n, "candidate.%s[%lu].%s", klist, i - 1, kfield);
    else
        snprintf(out, n, "candidate.%s[%lu]%s", klist, i - 1, rest);
    return 1;
}

static void kb_path(const char *path, const char *connector, char *out, size_t n)
{
    if (!path || !*path) {
        snprintf(out, n, "(request)");
        return;
    }
    if (kb_contact_path(path, "email_addresses", "email_address",
                        "additional_email_addresses", out, n) ||
        kb_contact_path(path, "phone_numbers", "phone_number", "additional_phone_numbers",
                        out, n))
        return;
    if (!strncmp(path, "remote_fields", 13))
        snprintf(out, n, "remote_fields.%s.candidate%s", connector, path + 13);
    else if (!strcmp(path, "acting_user"))
        snprintf(out, n, "remote_fields.%s (acting user)", connector);
    else
        seed_path(kb_renames, path, out, n);
}

/* ------------------------------------------------------------------------
 * Failing a request
 * ------------------------------------------------------------------------ */

/* A core call failed. write: the call may have changed the vendor's data. */
static void kb_fail_core(gw_req *r, gw_resp *out, const uats_error *err, int write,
                         const char *connector)
{
    char msg[UATS_ERROR_SIZE * 2 + 200], where[200];
    const char *text = err->text[0] ? err->text : uats_strerror(err->code);
    int status = gw_status_for(err->code);
    const char *lead = "";
    if (write && err->code == UATS_E_OUTCOME_UNKNOWN) {
        status = KB_STATUS_OUTCOME_UNKNOWN;
        lead = "the ATS may have stored this write; look it up before sending it again: ";
    }
    if (err->field[0]) {
        size_t fl = strlen(err->field);
        kb_path(err->field, connector ? connector : "", where, sizeof where);
        /* Core messages start with the field's path: show Kombo's instead. */
        if (!strncmp(text, err->field, fl) && text[fl] == ':')
            snprintf(msg, sizeof msg, "%s%s%s", lead, where, text + fl);
        else
            snprintf(msg, sizeof msg, "%s%s (%s)", lead, text, where);
    } else
        snprintf(msg, sizeof msg, "%s%s", lead, text);
    gw_fail(r, out, status, NULL, msg, err);
}

/* A write took effect but its answer could not be built (out of memory):
 * never a status a client retries, or it would write again. */
static void kb_fail_after_write(gw_req *r, gw_resp *out)
{
    gw_fail(r, out, KB_STATUS_OUTCOME_UNKNOWN, kb_codes[KB_REMOTE_UNKNOWN].code,
            "the ATS stored this write, but uatsd ran out of memory writing the answer: "
            "do not send it again",
            NULL);
}

/* ------------------------------------------------------------------------
 * Kombo request -> unified input
 * ------------------------------------------------------------------------ */

typedef struct kb_tr {
    json_t *warnings;        /* Kombo's [{message}] */
    const char *connector;   /* "lever": picks the remote_fields entry used */
    char why[400];           /* the 400's message when a step refuses */
    int nomem;               /* a step ran out of memory (then 503) */
} kb_tr;

static void kb_warn(kb_tr *t, const char *fmt, ...) UATS_PRINTF(2, 3);
static int kb_bad(kb_tr *t, const char *fmt, ...) UATS_PRINTF(2, 3);

static void kb_warn(kb_tr *t, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *w = json_pack("{s:s}", "message", msg);
    if (!w || json_array_append_new(t->warnings, w))
        t->nomem = 1;
}

/* Refuse the request (400) with this message; returns -1. */
static int kb_bad(kb_tr *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->why, sizeof t->why, fmt, ap);
    va_end(ap);
    return -1;
}

/* Set key of o to v (taken); -1 when out of memory. */
static int kb_put(kb_tr *t, json_t *o, const char *key, json_t *v)
{
    if (!v || json_object_set_new(o, key, v)) {
        t->nomem = 1;
        return -1;
    }
    return 0;
}

static int kb_put_str(kb_tr *t, json_t *o, const char *key, const char *s)
{
    return s ? kb_put(t, o, key, json_string(s)) : 0;
}

static int kb_append(kb_tr *t, json_t *a, json_t *v)
{
    if (!v || json_array_append_new(a, v)) {
        t->nomem = 1;
        return -1;
    }
    return 0;
}

static int kb_in(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return (int)i;
    return -1;
}

/* The string at key of obj, or NULL when absent or null. A value of
 * another type, or a required one missing, refuses the request. */
static int kb_str(kb_tr *t, const json_t *obj, const char *key, const char *where,
                  int required, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? kb_bad(t, "%s.%s is required", where, key) : 0;
    if (!json_is_string(v))
        return kb_bad(t, "%s.%s must be a string", where, key);
    *out = json_string_value(v);
    return 0;
}

/* A value that must be of type (named, for the message) when present:
 * NULL when absent or null. */
static int kb_typed(kb_tr *t, const json_t *obj, const char *key, const char *where,
                    json_type type, const char *type_name, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_typeof(v) != type)
        return kb_bad(t, "%s%s%s must be %s", where, *where ? "." : "", key, type_name);
    *out = v;
    return 0;
}

static int kb_obj(kb_tr *t, const json_t *obj, const char *key, const char *where,
                  json_t **out)
{
    return kb_typed(t, obj, key, where, JSON_OBJECT, "an object", out);
}

static int kb_arr(kb_tr *t, const json_t *obj, const char *key, const char *where,
                  json_t **out)
{
    return kb_typed(t, obj, key, where, JSON_ARRAY, "an array", out);
}

/* Keys Kombo's schema does not have are ignored with a warning. */
static void kb_warn_unknown(kb_tr *t, const json_t *obj, const char *where,
                            const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (!json_is_null(v) && kb_in(known, key) < 0)
            kb_warn(t, "%s%s%s: not a field of Kombo's request; ignored", where,
                    *where ? "." : "", key);
    }
}

/* Kombo documents dates as YYYY-MM-DD, and its SDK sends a full ISO 8601
 * time (it serialises a JavaScript Date). The unified field is a date:
 * keep the date part, which the core then checks. */
static int kb_date(kb_tr *t, const char *v, const char *where, char out[11])
{
    if (strlen(v) < 10 || (v[10] && v[10] != 'T'))
        return kb_bad(t, "%s must be a date (YYYY-MM-DD) or an ISO 8601 time", where);
    memcpy(out, v, 10);
    out[10] = '\0';
    return 0;
}

/* Emails and phones: Kombo's primary value plus a typed additional list. */
typedef struct kb_contact {
    const char *primary;   /* "email_address" */
    const char *extra;     /* "additional_email_addresses" */
    const char *unified;   /* "email_addresses" */
    int required;
    const char *const *types;   /* Kombo's type names, NULL-ended */
    const char *const *utypes;  /* the unified type each becomes */
} kb_contact;

static const char *const kb_contact_types[] = {"PERSONAL", "WORK", "OTHER", NULL};
/* Kombo's phone types are personal/work/other; a personal number is the
 * unified HOME, the counterpart of WORK. */
static const char *const kb_phone_utypes[] = {"HOME", "WORK", "OTHER", NULL};

static const kb_contact kb_emails = {"email_address", "additional_email_addresses",
                                     "email_addresses", 1, kb_contact_types,
                                     kb_contact_types};
static const kb_contact kb_phones = {"phone_number", "additional_phone_numbers",
                                     "phone_numbers", 0, kb_contact_types, kb_phone_utypes};

static int tr_contacts(kb_tr *t, const json_t *c, json_t *u, const kb_contact *k)
{
    const char *v, *type;
    json_t *extra, *e;
    size_t i;
    char where[80];
    if (kb_str(t, c, k->primary, "candidate", k->required, &v) ||
        kb_arr(t, c, k->extra, "candidate", &extra))
        return -1;
    if (!v && !(extra && json_array_size(extra)))
        return 0;
    json_t *list = json_array();
    if (kb_put(t, u, k->unified, list))
        return -1;
    if (v && kb_append(t, list, json_pack("{s:s}", "value", v)))
        return -1;
    json_array_foreach(extra, i, e) {
        snprintf(where, sizeof where, "candidate.%s[%zu]", k->extra, i);
        if (!json_is_object(e))
            return kb_bad(t, "%s must be an object", where);
        if (kb_str(t, e, k->primary, where, 1, &v) || kb_str(t, e, "type", where, 1, &type))
            return -1;
        int ti = kb_in(k->types, type);
        if (ti < 0)
            return kb_bad(t, "%s.type must be one of PERSONAL, WORK, OTHER", where);
        if (kb_append(t, list, json_pack("{s:s, s:s}", "value", v, "type", k->utypes[ti])))
            return -1;
    }
    return 0;
}

static const char *const kb_location_keys[] = {"city", "country", "state", "street_1",
                                               "zip_code", NULL};

/* Kombo's location holds both a place and a street address: the place
 * becomes the unified location, a street or zip code the address too. */
static int tr_location(kb_tr *t, const json_t *c, json_t *u)
{
    json_t *l;
    const char *city, *country, *state, *street, *zip;
    const char *w = "candidate.location";
    if (kb_obj(t, c, "location", "candidate", &l))
        return -1;
    if (!l)
        return 0;
    if (kb_str(t, l, "city", w, 0, &city) || kb_str(t, l, "country", w, 1, &country) ||
        kb_str(t, l, "state", w, 0, &state) || kb_str(t, l, "street_1", w, 0, &street) ||
        kb_str(t, l, "zip_code", w, 0, &zip))
        return -1;
    json_t *loc = json_object();
    if (kb_put(t, u, "location", loc) || kb_put_str(t, loc, "city", city) ||
        kb_put_str(t, loc, "region", state) || kb_put_str(t, loc, "country", country))
        return -1;
    if (street || zip) {
        json_t *a = json_object();
        if (kb_put(t, u, "address", a) || kb_put_str(t, a, "street", street) ||
            kb_put_str(t, a, "city", city) || kb_put_str(t, a, "region", state) ||
            kb_put_str(t, a, "postal_code", zip) || kb_put_str(t, a, "country", country))
            return -1;
    }
    kb_warn_unknown(t, l, w, kb_location_keys);
    return 0;
}

static const char *const kb_periods[] = {"MONTH", "YEAR", NULL};
static const char *const kb_salary_keys[] = {"period", "amount", NULL};

static int tr_salary(kb_tr *t, const json_t *c, json_t *u)
{
    json_t *s, *amount;
    const char *period;
    const char *w = "candidate.salary_expectations";
    if (kb_obj(t, c, "salary_expectations", "candidate", &s))
        return -1;
    if (!s)
        return 0;
    if (kb_str(t, s, "period", w, 1, &period))
        return -1;
    if (kb_in(kb_periods, period) < 0)
        return kb_bad(t, "%s.period must be one of MONTH, YEAR", w);
    amount = json_object_get(s, "amount");
    if (!json_is_number(amount))
        return kb_bad(t, "%s.amount is required: a number", w);
    kb_warn_unknown(t, s, w, kb_salary_keys);
    return kb_put(t, u, "salary_expectations",
                  json_pack("{s:f, s:s}", "amount", json_number_value(amount), "period",
                            period));
}

/* Whether host is domain or one of its subdomains (case aside). */
static int kb_host_is(const char *host, size_t len, const char *domain)
{
    size_t d = strlen(domain);
    if (len < d || strncasecmp(host + len - d, domain, d))
        return 0;
    return len == d || host[len - d - 1] == '.';
}

/* Kombo's social links carry no type: the link's host gives one. */
static const char *kb_link_type(const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t len = strcspn(h, "/:?#");
    if (kb_host_is(h, len, "linkedin.com"))
        return "LINKEDIN";
    if (kb_host_is(h, len, "github.com"))
        return "GITHUB";
    if (kb_host_is(h, len, "twitter.com") || kb_host_is(h, len, "x.com"))
        return "TWITTER";
    return "SOCIAL_MEDIA";
}

static const char *const kb_link_keys[] = {"url", NULL};

static int tr_links(kb_tr *t, const json_t *c, json_t *u)
{
    json_t *links, *e;
    size_t i;
    const char *url;
    char where[64];
    if (kb_arr(t, c, "social_links", "candidate", &links))
        return -1;
    if (!links || !json_array_size(links))
        return 0;
    json_t *list = json_array();
    if (kb_put(t, u, "urls", list))
        return -1;
    json_array_foreach(links, i, e) {
        snprintf(where, sizeof where, "candidate.social_links[%zu]", i);
        if (!json_is_object(e))
            return kb_bad(t, "%s must be an object", where);
        if (kb_str(t, e, "url", where, 1, &url))
            return -1;
        kb_warn_unknown(t, e, where, kb_link_keys);
        if (kb_append(t, list, json_pack("{s:s, s:s}", "value", url, "type", kb_link_type(url))))
            return -1;
    }
    return 0;
}

static const char *const kb_candidate_keys[] = {
    "first_name", "last_name", "email_address", "additional_email_addresses", "company",
    "title", "phone_number", "additional_phone_numbers", "location", "gender",
    "availability_date", "salary_expectations", "social_links", NULL};
static const char *const kb_genders[] = {"MALE", "FEMALE", "OTHER", NULL};
static const char *const kb_plain_fields[] = {"first_name", "last_name", "company", "title",
                                              NULL};

static int tr_candidate(kb_tr *t, const json_t *c, json_t *u)
{
    const char *v, *gender, *avail;
    char date[11];
    if (!json_is_object(c))
        return kb_bad(t, "candidate is required: an object");
    for (size_t i = 0; kb_plain_fields[i]; i++) {
        /* Kombo requires both names. */
        if (kb_str(t, c, kb_plain_fields[i], "candidate", i < 2, &v) ||
            kb_put_str(t, u, kb_plain_fields[i], v))
            return -1;
    }
    if (kb_str(t, c, "gender", "candidate", 0, &gender) ||
        kb_str(t, c, "availability_date", "candidate", 0, &avail))
        return -1;
    if (gender && kb_in(kb_genders, gender) < 0)
        return kb_bad(t, "candidate.gender must be one of MALE, FEMALE, OTHER");
    if (kb_put_str(t, u, "gender", gender))
        return -1;
    if (avail && (kb_date(t, avail, "candidate.availability_date", date) ||
                  kb_put_str(t, u, "availability_date", date)))
        return -1;
    if (tr_contacts(t, c, u, &kb_emails) || tr_contacts(t, c, u, &kb_phones) ||
        tr_location(t, c, u) || tr_salary(t, c, u) || tr_links(t, c, u))
        return -1;
    kb_warn_unknown(t, c, "candidate", kb_candidate_keys);
    return 0;
}

static const char *const kb_application_keys[] = {"job_id", "stage_id", NULL};

static int tr_application(kb_tr *t, const json_t *a, json_t *app)
{
    const char *job, *stage;
    if (!json_is_object(a))
        return kb_bad(t, "application is required: an object with job_id");
    if (kb_str(t, a, "job_id", "application", 1, &job) ||
        kb_str(t, a, "stage_id", "application", 0, &stage) ||
        kb_put_str(t, app, "job_id", job) || kb_put_str(t, app, "stage_id", stage))
        return -1;
    kb_warn_unknown(t, a, "application", kb_application_keys);
    return 0;
}

/* One screening answer as a unified answer (a string or string[]), or
 * NULL with *skip set when uats cannot carry it. */
static json_t *tr_answer_value(kb_tr *t, json_t *v, const char *where, int *skip)
{
    size_t i;
    json_t *e;
    *skip = 0;
    if (json_is_string(v))
        return json_incref(v);
    if (json_is_boolean(v))
        return json_string(json_is_true(v) ? "true" : "false");
    if (json_is_number(v)) {
        char *s = json_dumps(v, JSON_ENCODE_ANY);
        json_t *n = s ? json_string(s) : NULL;
        free(s);
        if (!n)
            t->nomem = 1;
        return n;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            if (!json_is_string(e)) {
                kb_bad(t, "%s.answer[%zu] must be a string", where, i);
                return NULL;
            }
        }
        return json_incref(v);
    }
    if (json_is_object(v)) {
        /* A file answer: the unified answer is text only. */
        kb_warn(t, "%s: a file answer is not passed on: uats carries answers as text only",
                where);
        *skip = 1;
        return NULL;
    }
    kb_bad(t, "%s.answer is required: a string, boolean, number, string array or file", where);
    return NULL;
}

static const char *const kb_answer_keys[] = {"question_id", "answer", NULL};

static int tr_answers(kb_tr *t, const json_t *body, json_t *app)
{
    json_t *arr, *e;
    size_t i;
    const char *qid;
    char where[64];
    int skip;
    if (kb_arr(t, body, "screening_question_answers", "", &arr))
        return -1;
    if (!arr || !json_array_size(arr))
        return 0;
    json_t *list = json_array();
    if (kb_put(t, app, "screening_answers", list))
        return -1;
    json_array_foreach(arr, i, e) {
        snprintf(where, sizeof where, "screening_question_answers[%zu]", i);
        if (!json_is_object(e))
            return kb_bad(t, "%s must be an object", where);
        if (kb_str(t, e, "question_id", where, 1, &qid))
            return -1;
        kb_warn_unknown(t, e, where, kb_answer_keys);
        json_t *v = tr_answer_value(t, json_object_get(e, "answer"), where, &skip);
        if (skip)
            continue;
        if (!v)
            return -1;
        if (kb_append(t, list, json_pack("{s:s, s:o}", "question_id", qid, "answer", v)))
            return -1;
    }
    if (!json_array_size(list))
        json_object_del(app, "screening_answers");
    return 0;
}

static const char *const kb_att_types[] = {"CV", "COVER_LETTER", "OTHER", NULL};
static const char *const kb_att_utypes[] = {"RESUME", "COVER_LETTER", "OTHER", NULL};
static const char *const kb_att_keys[] = {"name", "content_type", "data_url", "data", "type",
                                          NULL};

/* One Kombo attachment as a unified attachment input (new), or NULL. */
static json_t *tr_attachment(kb_tr *t, const json_t *a, const char *where)
{
    const char *name, *ctype, *url, *data, *type;
    if (!json_is_object(a)) {
        kb_bad(t, "%s must be an object", where);
        return NULL;
    }
    if (kb_str(t, a, "name", where, 1, &name) ||
        kb_str(t, a, "content_type", where, 0, &ctype) ||
        kb_str(t, a, "data_url", where, 0, &url) || kb_str(t, a, "data", where, 0, &data) ||
        kb_str(t, a, "type", where, 1, &type))
        return NULL;
    int ti = kb_in(kb_att_types, type);
    if (ti < 0) {
        kb_bad(t, "%s.type must be one of CV, COVER_LETTER, OTHER", where);
        return NULL;
    }
    if (!url == !data) {
        kb_bad(t, "%s: give exactly one of data (base64) and data_url", where);
        return NULL;
    }
    json_t *u = json_object();
    if (kb_put_str(t, u, "file_name", name) || kb_put_str(t, u, "content_type", ctype) ||
        kb_put_str(t, u, "type", kb_att_utypes[ti]) || kb_put_str(t, u, "data", data) ||
        kb_put_str(t, u, "url", url)) {
        json_decref(u);
        return NULL;
    }
    kb_warn_unknown(t, a, where, kb_att_keys);
    return u;
}

static int tr_attachments(kb_tr *t, const json_t *body, json_t *u)
{
    json_t *arr, *e;
    size_t i;
    char where[48];
    if (kb_arr(t, body, "attachments", "", &arr))
        return -1;
    if (!arr || !json_array_size(arr))
        return 0;
    json_t *list = json_array();
    if (kb_put(t, u, "attachments", list))
        return -1;
    json_array_foreach(arr, i, e) {
        snprintf(where, sizeof where, "attachments[%zu]", i);
        json_t *a = tr_attachment(t, e, where);
        if (!a || kb_append(t, list, a))
            return -1;
    }
    return 0;
}

/* The acting user in Kombo's Greenhouse (On-Behalf-Of header) and
 * Workable (on_behalf_of_user_remote_id) entries. */
static int tr_acting_user(kb_tr *t, const char *key, json_t *v, const char *where, json_t *u)
{
    const char *user = NULL;
    if (!strcmp(key, "on_behalf_of_user_remote_id") && json_is_string(v))
        user = json_string_value(v);
    else if (!strcmp(key, "post_headers") && json_is_object(v)) {
        const char *hk;
        json_t *hv;
        json_object_foreach(v, hk, hv) {
            if (!strcmp(hk, "on_behalf_of") && json_is_string(hv))
                user = json_string_value(hv);
            else if (!json_is_null(hv))
                kb_warn(t, "%s.post_headers.%s: not passed on: uats sends no extra headers",
                        where, hk);
        }
        if (!user)
            return 0;
    } else
        return 1;
    return kb_put_str(t, u, "acting_user", user);
}

/*
 * Kombo's remote_fields hold one entry per ATS; only the entry of this
 * connection's connector applies (Kombo too applies each only to its own
 * tool), so the others are ignored. In it, "candidate" is merged into the
 * vendor's create body (the unified remote_fields) and the acting-user
 * keys set acting_user; anything else is reported. candidate_input: false
 * for an attachment, which has neither.
 */
static int tr_remote_fields(kb_tr *t, const json_t *body, json_t *u, int candidate_input)
{
    json_t *rf, *entry, *v;
    const char *key;
    char where[96];
    if (kb_obj(t, body, "remote_fields", "", &rf))
        return -1;
    if (!rf || !t->connector)
        return 0;
    snprintf(where, sizeof where, "remote_fields.%s", t->connector);
    if (kb_obj(t, rf, t->connector, "remote_fields", &entry))
        return -1;
    if (!entry)
        return 0;
    json_object_foreach(entry, key, v) {
        if (json_is_null(v))
            continue;
        if (candidate_input && !strcmp(key, "candidate") && json_is_object(v)) {
            if (kb_put(t, u, "remote_fields", json_incref(v)))
                return -1;
            continue;
        }
        int rc = candidate_input ? tr_acting_user(t, key, v, where, u) : 1;
        if (rc < 0)
            return -1;
        if (rc > 0)
            kb_warn(t, "%s.%s: not passed on: uats has no place for it here", where, key);
    }
    return 0;
}

static const char *const kb_create_keys[] = {
    "candidate", "application", "screening_question_answers", "attachments", "source",
    "sourced_by", "gdpr_consent", "remote_fields", NULL};

/* Parts of Kombo's create body that no unified field carries. */
static void tr_unexpressed(kb_tr *t, const json_t *body)
{
    static const struct {
        const char *key, *why;
    } lost[] = {
        {"source", "uats has no field for a hiring source (an ATS's own source field can "
                   "go in remote_fields.<tool>.candidate)"},
        {"sourced_by", "uats has no field for the user who sourced a candidate"},
        {"gdpr_consent", "uats has no field for a GDPR consent and its expiry"},
    };
    for (size_t i = 0; i < sizeof lost / sizeof *lost; i++) {
        json_t *v = json_object_get(body, lost[i].key);
        if (v && !json_is_null(v))
            kb_warn(t, "%s: not passed on: %s", lost[i].key, lost[i].why);
    }
}

/* Kombo's create body as a unified create input document (new), or NULL
 * (t->why says why, or t->nomem). */
static json_t *tr_create(kb_tr *t, const json_t *body)
{
    json_t *u = json_object(), *app = json_object();
    if (!u || !app) {
        json_decref(u);
        json_decref(app);
        t->nomem = 1;
        return NULL;
    }
    if (kb_put(t, u, "application", app))   /* app stays borrowed, held by u */
        goto fail;
    if (tr_candidate(t, json_object_get(body, "candidate"), u) ||
        tr_application(t, json_object_get(body, "application"), app) ||
        tr_answers(t, body, app) || tr_attachments(t, body, u) ||
        tr_remote_fields(t, body, u, 1))
        goto fail;
    tr_unexpressed(t, body);
    kb_warn_unknown(t, body, "", kb_create_keys);
    if (t->nomem)
        goto fail;
    return u;
fail:
    json_decref(u);
    return NULL;
}

/* ------------------------------------------------------------------------
 * Unified results -> Kombo's answers
 * ------------------------------------------------------------------------ */

/* Builds objects and records whether any allocation failed, so that a
 * long run of sets is checked once. */
typedef struct kb_b {
    int bad;
} kb_b;

static void kb_set(kb_b *b, json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v)) {
        json_decref(v);
        b->bad = 1;
    }
}

static void kb_add(kb_b *b, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v)) {
        json_decref(v);
        b->bad = 1;
    }
}

static json_t *kb_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The unified type name as Kombo shows it; HOME goes back to PERSONAL,
 * the name it came in as. */
static json_t *kb_type_json(uats_field field, int type)
{
    const char *name = type > 0 ? uats_type_name(field, type) : NULL;
    if (name && field == UATS_F_PHONE_NUMBERS && !strcmp(name, "HOME"))
        name = "PERSONAL";
    return kb_str_or_null(name);
}

/* Emails, phones, links: [{<value_key>: v, type}] (Kombo's links add a
 * username, which uats does not have). */
static json_t *kb_typed_list(kb_b *b, const uats_object *c, uats_field field,
                             const char *value_key)
{
    json_t *list = json_array();
    size_t n = uats_list_count(c, field);
    for (size_t i = 0; i < n; i++) {
        const char *v = NULL;
        int type = uats_list_typed(c, field, i, &v);
        json_t *e = json_object();
        kb_set(b, e, value_key, kb_str_or_null(v));
        kb_set(b, e, "type", kb_type_json(field, type));
        if (field == UATS_F_URLS)
            kb_set(b, e, "username", json_null());
        kb_add(b, list, e);
    }
    if (!list)
        b->bad = 1;
    return list;
}

static const char *kb_json_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Kombo's location from the unified location (a place) and address; raw
 * is the address as text, else the first free-text location (Lever
 * keeps only that). */
static json_t *kb_location_json(kb_b *b, const uats_object *c)
{
    const json_t *loc = uats_get_json(c, UATS_F_LOCATION);
    const json_t *addr = uats_get_json(c, UATS_F_ADDRESS);
    const char *raw = json_string_value(addr);
    if (!raw && uats_list_count(c, UATS_F_LOCATIONS))
        raw = uats_list_string(c, UATS_F_LOCATIONS, 0);
    if (!loc && !addr && !raw)
        return json_null();
    const json_t *a = json_is_object(addr) ? addr : NULL;
    const char *city = kb_json_str(loc, "city"), *state = kb_json_str(loc, "region");
    const char *country = kb_json_str(loc, "country");
    if (!city)
        city = kb_json_str(a, "city");
    if (!state)
        state = kb_json_str(a, "region");
    if (!country)
        country = kb_json_str(a, "country");
    json_t *l = json_object();
    kb_set(b, l, "city", kb_str_or_null(city));
    kb_set(b, l, "country", kb_str_or_null(country));
    kb_set(b, l, "raw", kb_str_or_null(raw));
    kb_set(b, l, "state", kb_str_or_null(state));
    kb_set(b, l, "street_1", kb_str_or_null(kb_json_str(a, "street")));
    kb_set(b, l, "street_2", json_null());
    kb_set(b, l, "zip_code", kb_str_or_null(kb_json_str(a, "postal_code")));
    if (!l)
        b->bad = 1;
    return l;
}

/* What the create input said of the application, shown on the one the
 * vendor made (a read knows only the application ids). */
typedef struct kb_app_hint {
    const char *job_id;
    const char *stage_id;
} kb_app_hint;

static json_t *kb_ref(kb_b *b, const char *id, int with_index)
{
    json_t *o = json_pack("{s:s, s:n, s:s}", "id", id, "name", "remote_id", id);
    if (with_index)
        kb_set(b, o, "index", json_null());
    if (!o)
        b->bad = 1;
    return o;
}

static json_t *kb_applications(kb_b *b, const uats_object *c, const kb_app_hint *h,
                               const char *changed_at)
{
    static const char *const nulls[] = {"outcome", "rejection_reason_name", "rejected_at",
                                        "remote_url", "remote_created_at",
                                        "remote_updated_at", NULL};
    json_t *list = json_array();
    size_t n = uats_list_count(c, UATS_F_APPLICATION_IDS);
    /* The hint belongs to an application only when there is just one. */
    int hinted = n == 1 && h;
    for (size_t i = 0; i < n; i++) {
        const char *id = uats_list_string(c, UATS_F_APPLICATION_IDS, i);
        json_t *a = json_object();
        kb_set(b, a, "id", kb_str_or_null(id));
        kb_set(b, a, "remote_id", kb_str_or_null(id));
        for (size_t k = 0; nulls[k]; k++)
            kb_set(b, a, nulls[k], json_null());
        kb_set(b, a, "changed_at", json_string(changed_at));
        kb_set(b, a, "current_stage", hinted && h->stage_id ? kb_ref(b, h->stage_id, 1)
                                                            : json_null());
        kb_set(b, a, "job", hinted && h->job_id ? kb_ref(b, h->job_id, 0) : json_null());
        kb_add(b, list, a);
    }
    if (!list)
        b->bad = 1;
    return list;
}

/* Tags have no ids in uats: the name serves as one. */
static json_t *kb_tags(kb_b *b, const uats_object *c)
{
    json_t *list = json_array();
    size_t n = uats_list_count(c, UATS_F_TAGS);
    for (size_t i = 0; i < n; i++) {
        const char *name = uats_list_string(c, UATS_F_TAGS, i);
        kb_add(b, list, json_pack("{s:s, s:s, s:n}", "id", name ? name : "", "name",
                                  name ? name : "", "remote_id"));
    }
    if (!list)
        b->bad = 1;
    return list;
}

/* Kombo's changed_at is required: when uats made the object, else the
 * vendor's last change, else now. */
static const char *kb_changed_at(const uats_object *c, char buf[32])
{
    const char *s = uats_get_string(c, UATS_F_MODIFIED_AT);
    if (!s)
        s = uats_get_string(c, UATS_F_REMOTE_UPDATED_AT);
    if (s)
        return s;
    seed_now_iso(buf);
    return buf;
}

/* A unified candidate in Kombo's candidate shape (new), or NULL when out
 * of memory. */
static json_t *kb_candidate_json(const uats_object *c, const kb_app_hint *h)
{
    static const struct {
        const char *key;
        uats_field field;
    } strs[] = {
        {"first_name", UATS_F_FIRST_NAME}, {"last_name", UATS_F_LAST_NAME},
        {"company", UATS_F_COMPANY}, {"title", UATS_F_TITLE},
    };
    kb_b b = {0};
    char now[32];
    const char *id = uats_get_string(c, UATS_F_ID);
    const char *remote_id = uats_get_string(c, UATS_F_REMOTE_ID);
    const char *changed_at = kb_changed_at(c, now);
    const json_t *custom = uats_get_json(c, UATS_F_CUSTOM_FIELDS);
    bool priv;
    json_t *d = json_object();
    /* Kombo has its own ids beside the vendor's; uats only the vendor's. */
    kb_set(&b, d, "id", json_string(id ? id : ""));
    kb_set(&b, d, "remote_id", json_string(remote_id ? remote_id : id ? id : ""));
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        kb_set(&b, d, strs[i].key, kb_str_or_null(uats_get_string(c, strs[i].field)));
    kb_set(&b, d, "confidential",
           uats_get_bool(c, UATS_F_IS_PRIVATE, &priv) ? json_boolean(priv) : json_null());
    kb_set(&b, d, "source", json_null());
    kb_set(&b, d, "phone_numbers", kb_typed_list(&b, c, UATS_F_PHONE_NUMBERS, "phone_number"));
    kb_set(&b, d, "email_addresses",
           kb_typed_list(&b, c, UATS_F_EMAIL_ADDRESSES, "email_address"));
    kb_set(&b, d, "social_media", kb_typed_list(&b, c, UATS_F_URLS, "link"));
    kb_set(&b, d, "location", kb_location_json(&b, c));
    kb_set(&b, d, "custom_fields", json_is_object(custom) ? json_deep_copy(custom)
                                                           : json_object());
    kb_set(&b, d, "remote_url", json_null());
    kb_set(&b, d, "remote_created_at",
           kb_str_or_null(uats_get_string(c, UATS_F_REMOTE_CREATED_AT)));
    kb_set(&b, d, "remote_updated_at",
           kb_str_or_null(uats_get_string(c, UATS_F_REMOTE_UPDATED_AT)));
    kb_set(&b, d, "changed_at", json_string(changed_at));
    kb_set(&b, d, "remote_deleted_at", json_null());
    kb_set(&b, d, "applications", kb_applications(&b, c, h, changed_at));
    kb_set(&b, d, "tags", kb_tags(&b, c));
    if (b.bad) {
        json_decref(d);
        return NULL;
    }
    return d;
}

/* The connector's warnings (unified paths) appended as Kombo's. */
static void kb_core_warnings(kb_tr *t, const uats_warnings *w)
{
    char where[200];
    size_t n = uats_warnings_count(w);
    for (size_t i = 0; i < n; i++) {
        kb_path(uats_warning_field(w, i), t->connector, where, sizeof where);
        kb_warn(t, "%s: %s", where, uats_warning_message(w, i));
    }
}

/* {status: "success", data, warnings}: data and warnings taken. */
static json_t *kb_success(json_t *data, json_t *warnings)
{
    if (!data || !warnings) {
        json_decref(data);
        json_decref(warnings);
        return NULL;
    }
    return json_pack("{s:s, s:o, s:o}", "status", "success", "data", data, "warnings",
                     warnings);
}

/* ------------------------------------------------------------------------
 * Handlers
 * ------------------------------------------------------------------------ */

/* A translation step refused the request or ran out of memory. */
static void kb_fail_tr(gw_req *r, gw_resp *out, const kb_tr *t)
{
    if (t->nomem)
        gw_fail(r, out, 503, kb_codes[KB_PLATFORM].code, "out of memory", NULL);
    else
        gw_fail(r, out, 400, kb_codes[KB_INPUT].code, t->why, NULL);
}

/* Panora's newer releases create at POST /ats/candidates too: a request
 * naming its connection in Panora's header and not in Kombo's is
 * Panora's, and goes to Panora's route of the same path. */
static const gw_route *kb_panora_route(const gw_req *r)
{
    if (gw_header(r, KB_HEADER) || !gw_header(r, "x-connection-token"))
        return NULL;
    for (const gw_route *rt = gw_panora_routes; rt->method; rt++)
        if (!strcmp(rt->method, r->method) && !strcmp(rt->pattern, "/ats/candidates"))
            return rt;
    return NULL;
}

/* POST /ats/candidates */
static void kb_create(gw_req *r, gw_resp *out)
{
    const gw_route *panora = kb_panora_route(r);
    if (panora) {
        r->family = panora->family;
        panora->handler(r, out);
        return;
    }

    uats_error err;
    uats_object *input = NULL, *cand = NULL;
    uats_warnings *w = NULL;
    json_t *doc = NULL;
    gw_link *l = NULL;
    kb_tr t = {0};
    kb_app_hint hint;
    json_t *body = gw_body_json(r, out);
    if (!body)
        return;
    if (!(l = gw_link_get(r, gw_header(r, KB_HEADER), KB_HEADER, out)))
        goto done;
    t.connector = gw_link_connector(l);
    t.warnings = json_array();
    if (!t.warnings)
        t.nomem = 1;
    if (t.nomem || !(doc = tr_create(&t, body))) {
        kb_fail_tr(r, out, &t);
        goto done;
    }
    if (uats_object_from_json(UATS_KIND_CANDIDATE_INPUT, doc, &input, &err) != UATS_OK) {
        kb_fail_core(r, out, &err, 0, t.connector);
        goto done;
    }
    /* Idempotency-Key as on the native API: the SDK, with retries on,
     * resends after a lost answer or a connection error too. */
    gw_idem idem;
    if (!gw_idem_begin(r, l, &idem, out))
        goto done;
    uats_code code = uats_candidate_create(gw_link_conn(l), input, &cand, &w, &err);
    if (code != UATS_OK) {
        kb_fail_core(r, out, &err, 1, t.connector);
    } else {
        kb_core_warnings(&t, w);
        hint.job_id = kb_json_str(json_object_get(doc, "application"), "job_id");
        hint.stage_id = kb_json_str(json_object_get(doc, "application"), "stage_id");
        out->body = t.nomem ? NULL : kb_success(kb_candidate_json(cand, &hint),
                                                json_incref(t.warnings));
        if (!out->body)
            kb_fail_after_write(r, out);
        else
            out->status = 200;   /* Kombo answers a create with 200, and its SDK wants it */
    }
    gw_idem_end(r, &idem, code, out);
done:
    gw_link_release(l);
    json_decref(body);
    json_decref(doc);
    json_decref(t.warnings);
    uats_object_free(input);
    uats_object_free(cand);
    uats_warnings_free(w);
}

static const char *const kb_add_keys[] = {"attachment", "remote_fields", NULL};

/* POST /ats/candidates/{candidate_id}/attachments */
static void kb_add_attachment(gw_req *r, gw_resp *out)
{
    uats_error err;
    uats_object *input = NULL, *att = NULL;
    uats_warnings *w = NULL;
    json_t *doc = NULL, *a;
    gw_link *l = NULL;
    kb_tr t = {0};
    json_t *body = gw_body_json(r, out);
    if (!body)
        return;
    if (!(l = gw_link_get(r, gw_header(r, KB_HEADER), KB_HEADER, out)))
        goto done;
    t.connector = gw_link_connector(l);
    t.warnings = json_array();
    if (!t.warnings)
        t.nomem = 1;
    a = json_object_get(body, "attachment");
    if (!t.nomem && !a)
        kb_bad(&t, "attachment is required: an object with name, type and data or data_url");
    else if (!t.nomem && (doc = tr_attachment(&t, a, "attachment"))) {
        kb_warn_unknown(&t, body, "", kb_add_keys);
        if (tr_remote_fields(&t, body, doc, 0)) {
            json_decref(doc);
            doc = NULL;
        }
    }
    if (!doc || t.nomem) {
        kb_fail_tr(r, out, &t);
        goto done;
    }
    if (uats_object_from_json(UATS_KIND_ATTACHMENT_INPUT, doc, &input, &err) != UATS_OK) {
        kb_fail_core(r, out, &err, 0, t.connector);
        goto done;
    }
    gw_idem idem;
    if (!gw_idem_begin(r, l, &idem, out))
        goto done;
    uats_code code = uats_attachment_add(gw_link_conn(l), r->params[0], input, &att, &w, &err);
    if (code != UATS_OK) {
        kb_fail_core(r, out, &err, 1, t.connector);
    } else {
        kb_core_warnings(&t, w);
        /* Kombo's answer has an empty data object. */
        out->body = t.nomem ? NULL : kb_success(json_object(), json_incref(t.warnings));
        if (!out->body)
            kb_fail_after_write(r, out);
        else
            out->status = 200;
    }
    gw_idem_end(r, &idem, code, out);
done:
    gw_link_release(l);
    json_decref(body);
    json_decref(doc);
    json_decref(t.warnings);
    uats_object_free(input);
    uats_object_free(att);
    uats_warnings_free(w);
}

/* Filters of GET /ats/candidates that uats cannot apply: it reads
 * candidates by id and has no listing. */
static const char *const kb_list_filters[] = {"email", "first_name", "last_name", "job_ids",
                                              "updated_after", NULL};

/* The ids of a comma-separated list (Kombo's form style) appended to ids
 * once each; -1 past KB_MAX_IDS. */
static int kb_split_ids(const char *list, json_t *ids)
{
    if (!list)
        return 0;
    while (*list) {
        size_t n = strcspn(list, ",");
        if (n) {
            json_t *id = json_stringn(list, n);
            size_t i;
            json_t *e;
            int seen = 0;
            json_array_foreach(ids, i, e) seen |= json_equal(e, id);
            if (!id || (!seen && json_array_append(ids, id))) {
                json_decref(id);
                return -2;
            }
            json_decref(id);
            if (json_array_size(ids) > KB_MAX_IDS)
                return -1;
        }
        list += n + (list[n] == ',');
    }
    return 0;
}

/* The candidates of ids, in Kombo's shape; ids the vendor does not have
 * are left out, as Kombo's filter does. NULL after filling out. */
static json_t *kb_read_ids(gw_req *r, gw_resp *out, gw_link *l, const json_t *ids)
{
    size_t i;
    json_t *id, *results = json_array();
    if (!results) {
        gw_fail(r, out, 503, kb_codes[KB_PLATFORM].code, "out of memory", NULL);
        return NULL;
    }
    json_array_foreach(ids, i, id) {
        uats_error err;
        uats_object *cand = NULL;
        uats_code rc = uats_candidate_get(gw_link_conn(l), json_string_value(id), &cand, &err);
        if (rc == UATS_E_NOT_FOUND)
            continue;
        if (rc != UATS_OK) {
            kb_fail_core(r, out, &err, 0, gw_link_connector(l));
            json_decref(results);
            return NULL;
        }
        json_t *c = kb_candidate_json(cand, NULL);
        uats_object_free(cand);
        if (!c || json_array_append_new(results, c)) {
            json_decref(results);
            gw_fail(r, out, 503, kb_codes[KB_PLATFORM].code, "out of memory", NULL);
            return NULL;
        }
    }
    return results;
}

/* GET /ats/candidates: only by ids or remote_ids (the same in uats). */
static void kb_get_candidates(gw_req *r, gw_resp *out)
{
    char msg[200];
    if (!gw_query_flag(r, "ignore_unsupported_filters")) {
        for (size_t i = 0; kb_list_filters[i]; i++) {
            const char *v = gw_query(r, kb_list_filters[i]);
            if (v && *v) {
                snprintf(msg, sizeof msg,
                         "the filter %s is not supported: uatsd reads candidates by ids or "
                         "remote_ids (ignore_unsupported_filters=true ignores it)",
                         kb_list_filters[i]);
                gw_fail(r, out, 400, kb_codes[KB_NOT_AVAILABLE].code, msg, NULL);
                return;
            }
        }
    }
    const char *cursor = gw_query(r, "cursor");
    if (cursor && *cursor) {
        /* uatsd answers in one page and never hands out a cursor. */
        gw_fail(r, out, 400, kb_codes[KB_INPUT].code, "unknown cursor", NULL);
        return;
    }
    json_t *ids = json_array();
    int rc = ids ? kb_split_ids(gw_query(r, "ids"), ids) : -2;
    if (!rc)
        rc = kb_split_ids(gw_query(r, "remote_ids"), ids);
    if (rc == -2 || (!rc && !json_array_size(ids))) {
        gw_fail(r, out, rc == -2 ? 503 : 400,
                kb_codes[rc == -2 ? KB_PLATFORM : KB_NOT_AVAILABLE].code,
                rc == -2 ? "out of memory"
                         : "listing all candidates is not supported: give ids or remote_ids",
                NULL);
        json_decref(ids);
        return;
    }
    if (rc == -1) {
        snprintf(msg, sizeof msg, "at most %d ids at once", KB_MAX_IDS);
        gw_fail(r, out, 400, kb_codes[KB_INPUT].code, msg, NULL);
        json_decref(ids);
        return;
    }
    gw_link *l = gw_link_get(r, gw_header(r, KB_HEADER), KB_HEADER, out);
    if (!l) {
        json_decref(ids);
        return;
    }
    json_t *results = kb_read_ids(r, out, l, ids);
    gw_link_release(l);
    json_decref(ids);
    if (!results)
        return;
    json_t *data = json_pack("{s:n, s:o}", "next", "results", results);
    out->body = data ? json_pack("{s:s, s:o}", "status", "success", "data", data) : NULL;
    if (!out->body)
        gw_fail(r, out, 503, kb_codes[KB_PLATFORM].code, "out of memory", NULL);
    else
        out->status = 200;
}

const gw_route gw_kombo_routes[] = {
    {"POST", "/ats/candidates", kb_create, &kombo_family},
    {"POST", "/ats/candidates/{}/attachments", kb_add_attachment, &kombo_family},
    {"GET", "/ats/candidates", kb_get_candidates, &kombo_family},
    /* Kombo's own base URL ends in /v1: a host that only swaps the host
     * name keeps it in its paths. */
    {"POST", "/v1/ats/candidates", kb_create, &kombo_family},
    {"POST", "/v1/ats/candidates/{}/attachments", kb_add_attachment, &kombo_family},
    {"GET", "/v1/ats/candidates", kb_get_candidates, &kombo_family},
    {NULL, NULL, NULL, NULL},
};
