/*
 * plugins/greenhouse/greenhouse_emu.c: Greenhouse's Harvest API as documented
 * (../shared/vendor-api/greenhouse.md for v1, greenhouse-v3.md for v3,
 * docs/vendors/greenhouse.md for our decisions), both versions on one server
 * over one store: the OAuth client-credentials token endpoint, Basic auth
 * with the API key and On-Behalf-Of on v1 writes, Bearer tokens bound to a
 * user (sub) on v3, integer ids, ISO 8601 times with milliseconds, v1
 * objects with every absent value null, v1 page/Link paging, v3 opaque
 * cursors, {message, errors} bodies, fixed-window rate limits with
 * X-RateLimit-* headers, attachments by base64 content or URL served back
 * from /files/{id}, and the v1 "still processing" window (not_ready_ms).
 *
 * Everything lives in one store of JSON records under one mutex; a record's
 * id is its array index plus a base, since nothing is ever deleted. Keys
 * starting with '_' are bookkeeping and never rendered.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "greenhouse_emu.h"

#define CAND_BASE 60000001LL
#define APP_BASE 91000001LL
#define ATT_BASE 73000001LL
#define EMPLOYMENT_BASE 9920001LL
#define FIRST_STAGE 3300160LL
#define FIRST_STAGE_NAME "Application Review"
#define DEFAULT_USER 4410087LL
#define URL_TTL_S (7 * 24 * 3600) /* Greenhouse's signed links expire after 7 days */
#define MAX_IDS 50
#define V1_WINDOW_S 10.0
#define V3_WINDOW_S 30.0

typedef struct window {
    bool open;
    double start; /* monotonic seconds */
    unsigned used;
} window;

struct greenhouse_emu {
    pthread_mutex_t lock;
    greenhouse_emu_config cfg; /* its pointers point at the copies below */
    char *api_key, *client_id, *client_secret;
    long long *users, *jobs;
    size_t nusers, njobs;
    json_t *cands, *apps, *atts; /* records, index = id - base */
    json_t *tokens;              /* token -> {sub, expires (monotonic s)} */
    size_t tokens_issued;
    long long last_actor;
    long long next_employment;
    uint64_t rng;
    window v1_window;   /* one API key, so one window */
    window *v3_windows; /* one per user (token sub), same order as users */
    char base_url[128];
};

/* ---- small helpers ---- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 2026-11-25T10:00:00.123Z */
static void iso(long long ms, char out[64])
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* splitmix64: tokens need only be unguessable enough for a test. Under lock. */
static uint64_t next_rand(greenhouse_emu *e)
{
    uint64_t z = (e->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

/* A borrowed member, or JSON null: renders never omit a key. */
static json_t *get(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return v ? v : json_null();
}

/* A private copy of a request value (or null) for the store: the kit frees
 * request bodies on its own threads, outside our lock, so the store must not
 * share even immutable values with them. */
static json_t *own(const json_t *v)
{
    return v ? json_deep_copy(v) : json_null();
}

static long long num(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A decimal id, digits only. */
static bool parse_id(const char *s, long long *out)
{
    if (!s || !*s || strlen(s) > 18)
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    *out = strtoll(s, NULL, 10);
    return true;
}

static bool known(const long long *set, size_t n, long long id)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == id)
            return true;
    return false;
}

/* The record with that id, or NULL. Under lock. */
static json_t *record(json_t *arr, long long base, long long id)
{
    if (id < base || id - base >= (long long)json_array_size(arr))
        return NULL;
    return json_array_get(arr, (size_t)(id - base));
}

static bool array_has_id(const json_t *arr, long long id)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
        if (json_integer_value(v) == id)
            return true;
    return false;
}

/* Renders share values with the store; a deep copy made under the lock lets
 * the kit dump it after the lock is released while other handlers write. */
static json_t *detach(json_t *shallow)
{
    json_t *copy = json_deep_copy(shallow);
    json_decref(shallow);
    return copy;
}

/* ---- base64 ---- */

static int b64_value(unsigned char c, bool url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

/* Decode base64 (standard or URL-safe alphabet; padding optional; line
 * breaks skipped). NULL when it is not base64. Caller frees. */
static unsigned char *b64_decode(const char *s, size_t len, bool url, size_t *out_len)
{
    unsigned char *out = malloc(len / 4 * 3 + 3);
    size_t n = 0, o = 0, pad = 0;
    unsigned long acc = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64_value(c, url);
        if (v < 0 || pad)
            goto bad;
        acc = acc << 6 | (unsigned long)v;
        if (++n % 4 == 0) {
            out[o++] = (unsigned char)(acc >> 16);
            out[o++] = (unsigned char)(acc >> 8);
            out[o++] = (unsigned char)acc;
            acc = 0;
        }
    }
    if (n % 4 == 1 || pad > 2 || (pad && (n % 4 + pad) % 4))
        goto bad;
    if (n % 4 == 2) {
        out[o++] = (unsigned char)(acc >> 4);
    } else if (n % 4 == 3) {
        out[o++] = (unsigned char)(acc >> 10);
        out[o++] = (unsigned char)(acc >> 2);
    }
    *out_len = o;
    return out;
bad:
    free(out);
    return NULL;
}

/* URL-safe base64 without padding (the cursor alphabet). Caller frees. */
static char *b64url_encode(const char *s, size_t len)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *out = malloc(len / 3 * 4 + 5), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        unsigned long v = (unsigned long)(unsigned char)s[i] << 16;
        if (i + 1 < len)
            v |= (unsigned long)(unsigned char)s[i + 1] << 8;
        if (i + 2 < len)
            v |= (unsigned char)s[i + 2];
        *p++ = abc[v >> 18 & 63];
        *p++ = abc[v >> 12 & 63];
        if (i + 1 < len)
            *p++ = abc[v >> 6 & 63];
        if (i + 2 < len)
            *p++ = abc[v & 63];
    }
    *p = '\0';
    return out;
}

/* ---- URLs and forms ---- */

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* x-www-form-urlencoded decoding: '+' is a space, %XX a byte. Caller frees. */
static char *form_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            *o++ = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

/* The decoded value of field `name` in a form body, or NULL. Caller frees. */
static char *form_value(const char *body, size_t len, const char *name)
{
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        char *key = form_decode(p, (size_t)((eq ? eq : stop) - p));
        bool match = key && strcmp(key, name) == 0;
        free(key);
        if (match)
            return eq ? form_decode(eq + 1, (size_t)(stop - eq - 1)) : strdup("");
        p = stop + 1;
    }
    return NULL;
}

/* Percent-encode a query value (unreserved characters kept). */
static void url_encode(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    for (; *s && o + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, cap - o, "%%%02X", c);
    }
    out[o] = '\0';
}

/* Whether the raw query has a parameter other than `cursor`. */
static bool other_params(const char *target)
{
    const char *q = strchr(target, '?');
    while (q && *q) {
        q++;
        size_t n = strcspn(q, "=&");
        if (n && !(n == 6 && strncmp(q, "cursor", 6) == 0))
            return true;
        q = strchr(q, '&');
    }
    return false;
}

/* "1,2,3" -> [1, 2, 3]; NULL (and *why) when malformed or too long. */
static json_t *id_list(const char *s, const char **why)
{
    json_t *out = json_array();
    const char *p = s;
    while (out) {
        size_t n = strcspn(p, ",");
        char item[24];
        long long id;
        snprintf(item, sizeof item, "%.*s", (int)(n < 23 ? n : 23), p);
        if (n > 18 || !parse_id(item, &id)) {
            *why = "must be a comma-separated list of integer ids";
            break;
        }
        json_array_append_new(out, json_integer(id));
        if (json_array_size(out) > MAX_IDS) {
            *why = "accepts at most 50 ids";
            break;
        }
        if (!p[n])
            return out;
        p += n + 1;
    }
    json_decref(out);
    return NULL;
}

/* ---- error bodies ---- */

static void v1_error(emu_response *resp, int status, const char *message)
{
    emu_resp_json(resp, status, json_pack("{s:s}", "message", message));
}

static void v3_error(emu_response *resp, int status, const char *message, const char *detail)
{
    json_t *body = json_pack("{s:s}", "message", message);
    if (detail)
        json_object_set_new(body, "errors", json_pack("[s]", detail));
    emu_resp_json(resp, status, body);
}

/* Validation problems are collected as v1's {message, field} items (field
 * may be absent) and turned into v3's strings when v3 answers. */
__attribute__((format(printf, 3, 4))) static void bad(json_t *errs, const char *field,
                                                      const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *item = json_pack("{s:s}", "message", msg);
    if (field)
        json_object_set_new(item, "field", json_string(field));
    json_array_append_new(errs, item);
}

static void v1_invalid(emu_response *resp, json_t *errs)
{
    emu_resp_json(resp, 422,
                  json_pack("{s:s, s:o}", "message", "Validation error", "errors", errs));
}

static void v3_invalid(emu_response *resp, json_t *errs)
{
    json_t *list = json_array(), *item;
    size_t i;
    json_array_foreach(errs, i, item) {
        const char *msg = str(item, "message"), *field = str(item, "field");
        char line[400];
        if (field && !strstr(msg, field))
            snprintf(line, sizeof line, "%s: %s", field, msg);
        else
            snprintf(line, sizeof line, "%s", msg);
        json_array_append_new(list, json_string(line));
    }
    json_decref(errs);
    emu_resp_json(resp, 422, json_pack("{s:s, s:o}", "message", "Unprocessable Content", "errors",
                                       list));
}

/* ---- auth and rate limits ---- */

static void header_num(emu_response *resp, const char *name, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    emu_resp_header(resp, name, buf);
}

/* Count one request in a fixed window that opens with the first request
 * after the last one closed; headers go on every answer while a limit is
 * set. False when the window is spent (the caller answers 429). */
static bool take(greenhouse_emu *e, window *w, unsigned limit, double span, emu_response *resp)
{
    if (!limit)
        return true;
    pthread_mutex_lock(&e->lock);
    double t = mono();
    if (!w->open || t >= w->start + span) {
        w->open = true;
        w->start = t;
        w->used = 0;
    }
    bool ok = w->used < limit;
    if (ok)
        w->used++;
    unsigned remaining = limit - w->used;
    double left = w->start + span - t;
    pthread_mutex_unlock(&e->lock);
    header_num(resp, "X-RateLimit-Limit", limit);
    header_num(resp, "X-RateLimit-Remaining", remaining);
    header_num(resp, "X-RateLimit-Reset", (long long)ceil((double)now_ms() / 1000.0 + left));
    if (!ok)
        header_num(resp, "Retry-After", left < 1 ? 1 : (long long)ceil(left));
    return ok;
}

/* v1: Basic auth, the API key as user and an empty password; then the
 * 10 s window. False when answered. */
static bool admit_v1(greenhouse_emu *e, const emu_request *req, emu_response *resp)
{
    const char *user, *pass;
    if (!e->api_key || !emu_req_basic_auth(req, &user, &pass) || strcmp(user, e->api_key) != 0 ||
        pass[0] != '\0') {
        v1_error(resp, 401, "Invalid Basic Auth credentials");
        return false;
    }
    if (!take(e, &e->v1_window, e->cfg.v1_limit, V1_WINDOW_S, resp)) {
        v1_error(resp, 429, "Rate limit exceeded");
        return false;
    }
    return true;
}

/* v1 writes: On-Behalf-Of names the acting user. False when answered. */
static bool acting_user(greenhouse_emu *e, const emu_request *req, emu_response *resp,
                        long long *actor)
{
    const char *who = emu_req_header(req, "On-Behalf-Of");
    if (!who || !*who) {
        v1_error(resp, 403, "Missing On-Behalf-Of header");
        return false;
    }
    if (!parse_id(who, actor) || !known(e->users, e->nusers, *actor)) {
        v1_error(resp, 403, "You do not have access to that record");
        return false;
    }
    return true;
}

static size_t user_index(greenhouse_emu *e, long long id)
{
    for (size_t i = 0; i < e->nusers; i++)
        if (e->users[i] == id)
            return i;
    return 0; /* not reached: tokens are only issued to known users */
}

/* v3: a Bearer token issued here, unexpired and not revoked; then the 30 s
 * window of its user. *sub is the acting user. False when answered. */
static bool admit_v3(greenhouse_emu *e, const emu_request *req, emu_response *resp,
                     long long *sub)
{
    const char *token = emu_req_bearer(req);
    pthread_mutex_lock(&e->lock);
    json_t *t = token ? json_object_get(e->tokens, token) : NULL;
    bool ok = t && mono() < json_real_value(json_object_get(t, "expires"));
    *sub = ok ? json_integer_value(json_object_get(t, "sub")) : 0;
    window *w = ok ? &e->v3_windows[user_index(e, *sub)] : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!ok) {
        v3_error(resp, 401, "Unauthorized",
                 "Token could not be decoded. Please check that the token is correct and has "
                 "not expired.");
        return false;
    }
    if (!take(e, w, e->cfg.v3_limit, V3_WINDOW_S, resp)) {
        v3_error(resp, 429, "Too Many Requests", "Rate limit exceeded");
        return false;
    }
    return true;
}

/* ---- validation ---- */

typedef struct contact_kind {
    const char *key;
    const char *const *types; /* NULL: untyped */
    const char *listing;
} contact_kind;

static const char *const email_types[] = {"personal", "work", "other", NULL};
static const char *const phone_types[] = {"home", "work", "mobile", "skype", "other", NULL};
static const char *const address_types[] = {"home", "work", "other", NULL};
static const char *const website_types[] = {"personal", "company", "portfolio", "blog", "other",
                                            NULL};
static const contact_kind contacts[] = {
    {"phone_numbers", phone_types, "home, work, mobile, skype, other"},
    {"addresses", address_types, "home, work, other"},
    {"email_addresses", email_types, "personal, work, other"},
    {"website_addresses", website_types, "personal, company, portfolio, blog, other"},
    {"social_media_addresses", NULL, NULL},
};
#define NCONTACTS (sizeof contacts / sizeof contacts[0])

static bool absent(const json_t *v)
{
    return !v || json_is_null(v);
}

static void check_string(json_t *errs, const json_t *body, const char *key, bool required)
{
    json_t *v = json_object_get(body, key);
    if (absent(v) || (required && json_is_string(v) && !*json_string_value(v))) {
        if (required)
            bad(errs, key, "Missing required field: %s", key);
    } else if (!json_is_string(v)) {
        bad(errs, key, "Must be a string");
    }
}

static void check_bool(json_t *errs, const json_t *body, const char *key)
{
    json_t *v = json_object_get(body, key);
    if (!absent(v) && !json_is_boolean(v))
        bad(errs, key, "Must be a boolean");
}

static void check_contacts(json_t *errs, const json_t *body, const contact_kind *k)
{
    json_t *list = json_object_get(body, k->key), *item;
    size_t i;
    char field[96];
    if (absent(list))
        return;
    if (!json_is_array(list))
        return bad(errs, k->key, "Must be an array");
    json_array_foreach(list, i, item) {
        json_t *value = json_object_get(item, "value"), *type = json_object_get(item, "type");
        if (!json_is_object(item)) {
            snprintf(field, sizeof field, "%s[%zu]", k->key, i);
            bad(errs, field, "Must be an object");
            continue;
        }
        snprintf(field, sizeof field, "%s[%zu].value", k->key, i);
        if (!json_is_string(value) || !*json_string_value(value))
            bad(errs, field, "Must be a non-empty string");
        snprintf(field, sizeof field, "%s[%zu].type", k->key, i);
        if (k->types && !one_of(json_string_value(type), k->types))
            bad(errs, field, "Must be one of: %s", k->listing);
    }
}

static void check_tags(json_t *errs, const json_t *body)
{
    json_t *tags = json_object_get(body, "tags"), *t;
    size_t i;
    if (absent(tags))
        return;
    if (!json_is_array(tags))
        return bad(errs, "tags", "Must be an array of strings");
    json_array_foreach(tags, i, t)
        if (!json_is_string(t) || !*json_string_value(t))
            return bad(errs, "tags", "Must be an array of strings");
}

/* [{id | name_key, value}]: a null or empty value does not clear a field in
 * Greenhouse, it is refused; delete_value "true" clears. */
static void check_custom_fields(json_t *errs, const json_t *body)
{
    json_t *list = json_object_get(body, "custom_fields"), *item;
    size_t i;
    char field[64];
    if (absent(list))
        return;
    if (!json_is_array(list))
        return bad(errs, "custom_fields", "Must be an array");
    json_array_foreach(list, i, item) {
        json_t *value = json_object_get(item, "value");
        snprintf(field, sizeof field, "custom_fields[%zu]", i);
        if (!json_is_string(json_object_get(item, "name_key")) &&
            !json_is_integer(json_object_get(item, "id")))
            bad(errs, field, "Must have an id or a name_key");
        else if (json_is_string(json_object_get(item, "delete_value")) &&
                 strcmp(str(item, "delete_value"), "true") == 0)
            continue;
        else if (absent(value) || (json_is_string(value) && !*json_string_value(value)))
            bad(errs, field, "Must have a value");
    }
}

static void check_employments(json_t *errs, const json_t *body)
{
    static const char *const required[] = {"company_name", "title", "start_date"};
    json_t *list = json_object_get(body, "employments"), *item;
    size_t i;
    char field[64];
    if (absent(list))
        return;
    if (!json_is_array(list))
        return bad(errs, "employments", "Must be an array");
    json_array_foreach(list, i, item) {
        for (size_t k = 0; k < 3; k++) {
            json_t *v = json_object_get(item, required[k]);
            snprintf(field, sizeof field, "employments[%zu].%s", i, required[k]);
            if (!json_is_string(v) || !*json_string_value(v))
                bad(errs, field, "Missing required field: %s", required[k]);
        }
        json_t *end = json_object_get(item, "end_date");
        snprintf(field, sizeof field, "employments[%zu].end_date", i);
        if (!absent(end) && !json_is_string(end))
            bad(errs, field, "Must be a string");
    }
}

/* The person fields shared by every create. */
static void check_person(json_t *errs, const json_t *body, bool v1)
{
    check_string(errs, body, "first_name", true);
    check_string(errs, body, "last_name", true);
    check_string(errs, body, "company", false);
    check_string(errs, body, "title", false);
    check_bool(errs, body, "is_private");
    for (size_t i = 0; i < NCONTACTS; i++)
        check_contacts(errs, body, &contacts[i]);
    check_tags(errs, body);
    if (v1) {
        check_custom_fields(errs, body);
        check_employments(errs, body);
    } else {
        check_string(errs, body, "preferred_name", false);
        check_bool(errs, body, "can_email");
    }
}

static void check_job(greenhouse_emu *e, json_t *errs, const json_t *v, const char *field,
                      bool required)
{
    if (absent(v)) {
        if (required)
            bad(errs, field, "Missing required field: job_id");
    } else if (!json_is_integer(v)) {
        bad(errs, field, "Must be an integer");
    } else if (!known(e->jobs, e->njobs, json_integer_value(v))) {
        bad(errs, field, "Job %lld does not exist or is not open", json_integer_value(v));
    }
}

static void check_optional_int(json_t *errs, const json_t *o, const char *key, const char *prefix)
{
    json_t *v = json_object_get(o, key);
    char field[128];
    snprintf(field, sizeof field, "%s%s", prefix, key);
    if (!absent(v) && !json_is_integer(v))
        bad(errs, field, "Must be an integer");
}

/* What an attachment upload accepts, per endpoint. */
typedef struct attachment_rules {
    const char *const *types;
    const char *listing;
    const char *const *visibilities; /* NULL: no visibility field */
    bool v3;                         /* filename needs an extension; no content_type list */
} attachment_rules;

static const char *const cand_types[] = {"resume", "cover_letter", "admin_only", NULL};
static const char *const app_types[] = {"resume", "cover_letter", "other", "take_home_test",
                                        "offer_letter", "signed_offer_letter", NULL};
static const char *const v3_types[] = {"resume", "cover_letter", "take_home_test", "offer_packet",
                                       "offer_letter", "signed_offer_letter",
                                       "midfunnel_agreement", "automated_agreement",
                                       "form_attachment", "other", NULL};
static const char *const visibilities[] = {"public", "private", "admin_only", NULL};
static const attachment_rules cand_rules = {cand_types, "resume, cover_letter, admin_only", NULL,
                                            false};
static const attachment_rules app_rules = {
    app_types, "resume, cover_letter, other, take_home_test, offer_letter, signed_offer_letter",
    visibilities, false};
static const attachment_rules v3_rules = {
    v3_types,
    "resume, cover_letter, take_home_test, offer_packet, offer_letter, signed_offer_letter, "
    "midfunnel_agreement, automated_agreement, form_attachment, other",
    visibilities, true};

/* greenhouse.md §8: the MIME types Greenhouse takes with `content`. */
static const char *const mime_types[] = {
    "application/atom+xml", "application/javascript", "application/json", "application/msgpack",
    "application/msword", "application/pdf", "application/rss+xml", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-powerpoint", "application/xml", "application/x-www-form-urlencoded",
    "application/x-yaml", "application/zip", "multipart/form-data", "image/bmp", "image/gif",
    "image/jpeg", "image/png", "image/tiff", "text/calendar", "text/css", "text/csv",
    "text/html", "text/javascript", "text/plain", "text/vcard", "video/mpeg", NULL};

static void check_content(json_t *errs, const json_t *item, const char *prefix)
{
    json_t *content = json_object_get(item, "content");
    size_t n;
    unsigned char *bytes = NULL;
    char field[128];
    snprintf(field, sizeof field, "%scontent", prefix);
    if (json_is_string(content))
        bytes = b64_decode(json_string_value(content), json_string_length(content), false, &n);
    if (!bytes || n == 0)
        bad(errs, field, "Must be non-empty base64-encoded file content");
    free(bytes);
}

static void check_attachment(json_t *errs, const json_t *item, const char *prefix,
                             const attachment_rules *r)
{
    char field[128];
    const char *filename = str(item, "filename"), *type = str(item, "type");
    bool has_content = !absent(json_object_get(item, "content"));
    bool has_url = !absent(json_object_get(item, "url"));
    json_t *ct = json_object_get(item, "content_type"), *vis = json_object_get(item, "visibility");

    snprintf(field, sizeof field, "%sfilename", prefix);
    if (!filename || !*filename)
        bad(errs, field, "Missing required field: filename");
    else if (r->v3 && (!strrchr(filename, '.') || strrchr(filename, '.') == filename ||
                       !strrchr(filename, '.')[1]))
        bad(errs, field, "Must include a file extension");
    snprintf(field, sizeof field, "%stype", prefix);
    if (!type)
        bad(errs, field, "Missing required field: type");
    else if (!one_of(type, r->types))
        bad(errs, field, "Must be one of: %s", r->listing);
    snprintf(field, sizeof field, "%scontent", prefix);
    if (has_content == has_url)
        bad(errs, field, "Provide exactly one of content or url");
    else if (has_content)
        check_content(errs, item, prefix);
    else if (!json_is_string(json_object_get(item, "url")) ||
             (strncmp(str(item, "url"), "http://", 7) != 0 &&
              strncmp(str(item, "url"), "https://", 8) != 0)) {
        snprintf(field, sizeof field, "%surl", prefix);
        bad(errs, field, "Must be an http or https URL");
    }
    snprintf(field, sizeof field, "%scontent_type", prefix);
    if (!r->v3 && has_content && absent(ct))
        bad(errs, field, "Missing required field: content_type");
    else if (!absent(ct) && !json_is_string(ct))
        bad(errs, field, "Must be a string");
    else if (!r->v3 && json_is_string(ct) && !one_of(json_string_value(ct), mime_types))
        bad(errs, field, "Unsupported content_type: %s", json_string_value(ct));
    snprintf(field, sizeof field, "%svisibility", prefix);
    if (r->visibilities && !absent(vis) && !one_of(json_string_value(vis), r->visibilities))
        bad(errs, field, "Must be one of: public, private, admin_only");
}

static void check_attachment_list(json_t *errs, const json_t *list, const char *prefix)
{
    json_t *item;
    size_t i;
    char p[128];
    if (absent(list))
        return;
    if (!json_is_array(list)) {
        snprintf(p, sizeof p, "%sattachments", prefix);
        return bad(errs, p, "Must be an array");
    }
    json_array_foreach(list, i, item) {
        snprintf(p, sizeof p, "%sattachments[%zu].", prefix, i);
        check_attachment(errs, item, p, &cand_rules);
    }
}

/* v1 POST /candidates: applications[] is required, each with a job. */
static void check_v1_applications(greenhouse_emu *e, json_t *errs, const json_t *body)
{
    json_t *apps = json_object_get(body, "applications"), *app;
    size_t i;
    char prefix[64], field[96];
    if (!json_is_array(apps) || json_array_size(apps) == 0)
        return bad(errs, "applications", "Missing required field: applications");
    json_array_foreach(apps, i, app) {
        snprintf(prefix, sizeof prefix, "applications[%zu].", i);
        if (!json_is_object(app)) {
            snprintf(field, sizeof field, "applications[%zu]", i);
            bad(errs, field, "Must be an object");
            continue;
        }
        snprintf(field, sizeof field, "%sjob_id", prefix);
        check_job(e, errs, json_object_get(app, "job_id"), field, true);
        check_optional_int(errs, app, "source_id", prefix);
        check_optional_int(errs, app, "initial_stage_id", prefix);
        check_attachment_list(errs, json_object_get(app, "attachments"), prefix);
    }
}

/* v1 POST /prospects: an optional single application with job_ids[]. */
static void check_prospect_application(greenhouse_emu *e, json_t *errs, const json_t *body)
{
    json_t *app = json_object_get(body, "application"), *jobs, *job;
    size_t i;
    char field[64];
    if (absent(app))
        return;
    if (!json_is_object(app))
        return bad(errs, "application", "Must be an object");
    jobs = json_object_get(app, "job_ids");
    if (!absent(jobs) && !json_is_array(jobs))
        bad(errs, "application.job_ids", "Must be an array of integers");
    json_array_foreach(jobs, i, job) {
        snprintf(field, sizeof field, "application.job_ids[%zu]", i);
        check_job(e, errs, job, field, true);
    }
    check_optional_int(errs, app, "source_id", "application.");
    check_attachment_list(errs, json_object_get(app, "attachments"), "application.");
}

/* "prospect": true, or the string "true" that Greenhouse's own samples send. */
static bool is_prospect(const json_t *app)
{
    json_t *p = json_object_get(app, "prospect");
    return json_is_true(p) || (json_is_string(p) && strcmp(json_string_value(p), "true") == 0);
}

/* v3 application: {job_id} or {prospect: true, job_id?}. */
static void check_v3_application(greenhouse_emu *e, json_t *errs, const json_t *app,
                                 const char *prefix)
{
    char field[96];
    json_t *p = json_object_get(app, "prospect");
    if (!json_is_object(app))
        return bad(errs, *prefix ? "application" : NULL, "Application must be an object");
    snprintf(field, sizeof field, "%sprospect", prefix);
    if (!absent(p) && !json_is_boolean(p) && !is_prospect(app) &&
        !(json_is_string(p) && strcmp(json_string_value(p), "false") == 0))
        bad(errs, field, "Must be a boolean");
    snprintf(field, sizeof field, "%sjob_id", prefix);
    check_job(e, errs, json_object_get(app, "job_id"), field, !is_prospect(app));
    check_optional_int(errs, app, "source_id", prefix);
}

/* ---- the store (all under lock) ---- */

static json_t *contact_copy(const json_t *list, bool typed)
{
    json_t *out = json_array(), *item;
    size_t i;
    json_array_foreach(list, i, item) {
        json_t *c = json_pack("{s:o}", "value", own(json_object_get(item, "value")));
        if (typed)
            json_object_set_new(c, "type", own(json_object_get(item, "type")));
        json_array_append_new(out, c);
    }
    return out;
}

static json_t *tags_copy(const json_t *tags)
{
    json_t *out = json_array(), *t, *seen;
    size_t i, j;
    json_array_foreach(tags, i, t) {
        bool dup = false;
        json_array_foreach(out, j, seen)
            dup |= json_equal(seen, t);
        if (!dup)
            json_array_append_new(out, own(t));
    }
    return out;
}

/* Reads key custom fields by name_key (or by id when only an id was sent). */
static json_t *custom_fields_copy(const json_t *list)
{
    json_t *out = json_object(), *item;
    size_t i;
    json_array_foreach(list, i, item) {
        char key[32];
        const char *name = str(item, "name_key");
        if (!name) {
            snprintf(key, sizeof key, "%lld", num(item, "id"));
            name = key;
        }
        const char *del = str(item, "delete_value");
        json_object_set_new(out, name, del && strcmp(del, "true") == 0
                                           ? json_null()
                                           : own(json_object_get(item, "value")));
    }
    return out;
}

static json_t *employments_copy(greenhouse_emu *e, const json_t *list)
{
    json_t *out = json_array(), *item;
    size_t i;
    json_array_foreach(list, i, item)
        json_array_append_new(out, json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
                                             (json_int_t)e->next_employment++, "company_name",
                                             own(json_object_get(item, "company_name")), "title",
                                             own(json_object_get(item, "title")), "start_date",
                                             own(json_object_get(item, "start_date")), "end_date",
                                             own(json_object_get(item, "end_date"))));
    return out;
}

static void touch(json_t *rec, const char *activity_key, const char *ts)
{
    json_object_set_new(rec, "updated_at", json_string(ts));
    json_object_set_new(rec, activity_key, json_string(ts));
}

static json_t *add_candidate(greenhouse_emu *e, const json_t *b, bool v1, const char *ts)
{
    long long id = CAND_BASE + (long long)json_array_size(e->cands);
    json_t *c = json_object();
    json_object_set_new(c, "id", json_integer(id));
    static const char *const names[] = {"first_name", "last_name", "preferred_name", "company",
                                        "title"};
    for (size_t i = 0; i < 5; i++)
        json_object_set_new(c, names[i], own(json_object_get(b, names[i])));
    json_object_set_new(c, "created_at", json_string(ts));
    json_object_set_new(c, "updated_at", json_string(ts));
    json_object_set_new(c, "last_activity", json_string(ts));
    json_object_set_new(c, "is_private",
                        json_boolean(json_is_true(json_object_get(b, "is_private"))));
    json_object_set_new(c, "can_email", /* Greenhouse's default */
                        json_boolean(!json_is_false(json_object_get(b, "can_email"))));
    for (size_t i = 0; i < NCONTACTS; i++)
        json_object_set_new(c, contacts[i].key,
                            contact_copy(json_object_get(b, contacts[i].key), contacts[i].types));
    json_object_set_new(c, "tags", tags_copy(json_object_get(b, "tags")));
    json_object_set_new(c, "employments",
                        v1 ? employments_copy(e, json_object_get(b, "employments")) : json_array());
    json_object_set_new(c, "custom_fields",
                        v1 ? custom_fields_copy(json_object_get(b, "custom_fields"))
                           : json_object());
    json_object_set_new(c, "linked_user_ids", json_array());
    json_object_set_new(c, "application_ids", json_array());
    json_object_set_new(c, "_attachments", json_array());
    json_object_set_new(c, "_ready", json_real(mono() + e->cfg.not_ready_ms / 1000.0));
    json_array_append_new(e->cands, c);
    return c;
}

static bool ready(const json_t *cand)
{
    return mono() >= json_real_value(json_object_get(cand, "_ready"));
}

typedef struct app_spec {
    bool prospect;
    const json_t *job_ids; /* array of integers, may be NULL */
    long long job_id;      /* or a single job; 0 = none */
    long long stage_id;    /* 0 = the first stage */
    long long source_id;   /* 0 = none */
} app_spec;

static json_t *job_ref(long long id)
{
    char name[40];
    snprintf(name, sizeof name, "Job %lld", id);
    return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name);
}

static json_t *add_application(greenhouse_emu *e, json_t *cand, const app_spec *s, const char *ts)
{
    long long id = APP_BASE + (long long)json_array_size(e->apps);
    json_t *a = json_object(), *jobs = json_array(), *j;
    size_t i;
    if (s->job_id)
        json_array_append_new(jobs, job_ref(s->job_id));
    json_array_foreach(s->job_ids, i, j)
        json_array_append_new(jobs, job_ref(json_integer_value(j)));
    json_object_set_new(a, "id", json_integer(id));
    json_object_set(a, "candidate_id", json_object_get(cand, "id"));
    json_object_set_new(a, "prospect", json_boolean(s->prospect));
    json_object_set_new(a, "applied_at", json_string(ts));
    json_object_set_new(a, "rejected_at", json_null());
    json_object_set_new(a, "last_activity_at", json_string(ts));
    json_object_set_new(a, "created_at", json_string(ts));
    json_object_set_new(a, "updated_at", json_string(ts));
    json_object_set_new(a, "status", json_string("active"));
    json_object_set_new(a, "jobs", jobs);
    if (s->prospect) { /* prospects sit in no job stage */
        json_object_set_new(a, "current_stage", json_null());
    } else {
        long long stage = s->stage_id ? s->stage_id : FIRST_STAGE;
        char name[40];
        snprintf(name, sizeof name, "Stage %lld", stage);
        json_object_set_new(a, "current_stage",
                            json_pack("{s:I, s:s}", "id", (json_int_t)stage, "name",
                                      stage == FIRST_STAGE ? FIRST_STAGE_NAME : name));
    }
    if (s->source_id) {
        char name[40];
        snprintf(name, sizeof name, "Source %lld", s->source_id);
        json_object_set_new(a, "source", json_pack("{s:I, s:s}", "id", (json_int_t)s->source_id,
                                                   "public_name", name));
    } else {
        json_object_set_new(a, "source", json_null());
    }
    json_object_set_new(a, "_attachments", json_array());
    json_array_append_new(e->apps, a);
    json_array_append_new(json_object_get(cand, "application_ids"), json_integer(id));
    touch(cand, "last_activity", ts);
    return a;
}

static const char *default_visibility(const char *type)
{
    static const char *const private_types[] = {"offer_packet", "offer_letter",
                                                "signed_offer_letter", NULL};
    if (strcmp(type, "other") == 0 || strcmp(type, "admin_only") == 0)
        return "admin_only";
    return one_of(type, private_types) ? "private" : "public";
}

/* Store an uploaded file on the candidate and, when given, its application.
 * The caller has validated item. */
static json_t *add_attachment(greenhouse_emu *e, json_t *cand, json_t *app, const json_t *item,
                              const char *visibility, long long t_ms, const char *ts)
{
    long long id = ATT_BASE + (long long)json_array_size(e->atts);
    char url[256];
    snprintf(url, sizeof url, "%s/files/%lld?expires=%lld", e->base_url, id,
             t_ms / 1000 + URL_TTL_S);
    json_t *a = json_pack("{s:I, s:O, s:O, s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "id",
                          (json_int_t)id, "candidate_id", json_object_get(cand, "id"),
                          "application_id", app ? json_object_get(app, "id") : json_null(),
                          "filename", str(item, "filename"), "type", str(item, "type"),
                          "visibility", visibility, "content_type",
                          own(json_object_get(item, "content_type")), "url", url, "created_at",
                          ts, "updated_at", ts);
    if (json_is_string(json_object_get(item, "content")))
        json_object_set_new(a, "_content", own(json_object_get(item, "content")));
    else
        json_object_set_new(a, "_source_url", own(json_object_get(item, "url")));
    json_array_append_new(e->atts, a);
    json_array_append_new(json_object_get(cand, "_attachments"), json_integer(id));
    touch(cand, "last_activity", ts);
    if (app) {
        json_array_append_new(json_object_get(app, "_attachments"), json_integer(id));
        touch(app, "last_activity_at", ts);
    }
    return a;
}

/* Attachments inside a v1 application item (create time). */
static void add_item_attachments(greenhouse_emu *e, json_t *cand, json_t *app, const json_t *list,
                                 long long t_ms, const char *ts)
{
    json_t *item;
    size_t i;
    json_array_foreach(list, i, item)
        add_attachment(e, cand, app, item, default_visibility(str(item, "type")), t_ms, ts);
}

/* v3: a new resume or cover letter turns the previous one into `other`. */
static void demote(greenhouse_emu *e, json_t *cand, const char *type, const char *ts)
{
    json_t *id;
    size_t i;
    if (strcmp(type, "resume") != 0 && strcmp(type, "cover_letter") != 0)
        return;
    json_array_foreach(json_object_get(cand, "_attachments"), i, id) {
        json_t *a = record(e->atts, ATT_BASE, json_integer_value(id));
        if (a && strcmp(str(a, "type"), type) == 0) {
            json_object_set_new(a, "type", json_string("other"));
            json_object_set_new(a, "updated_at", json_string(ts));
        }
    }
}

/* The candidate's newest application, or NULL. */
static json_t *latest_application(greenhouse_emu *e, const json_t *cand)
{
    json_t *ids = json_object_get(cand, "application_ids");
    size_t n = json_array_size(ids);
    return n ? record(e->apps, APP_BASE, json_integer_value(json_array_get(ids, n - 1))) : NULL;
}

/* ---- rendering (under lock; results share values until detached) ---- */

static json_t *render_att_v1(const json_t *a)
{
    return json_pack("{s:O, s:O, s:O, s:O}", "filename", get(a, "filename"), "url", get(a, "url"),
                     "type", get(a, "type"), "created_at", get(a, "created_at"));
}

static json_t *render_atts_v1(greenhouse_emu *e, const json_t *owner)
{
    json_t *out = json_array(), *id;
    size_t i;
    json_array_foreach(json_object_get(owner, "_attachments"), i, id)
        json_array_append_new(out,
                              render_att_v1(record(e->atts, ATT_BASE, json_integer_value(id))));
    return out;
}

static void set_nulls(json_t *out, const char *const *keys)
{
    for (; *keys; keys++)
        json_object_set_new(out, *keys, json_null());
}

/* greenhouse.md §6 Application, in the fixtures' key order. */
static json_t *render_app_v1(greenhouse_emu *e, const json_t *a)
{
    static const char *const people[] = {"location", "source", "credited_to", "recruiter",
                                         "coordinator", "rejection_reason", "rejection_details",
                                         NULL};
    static const char *const prospective[] = {"prospective_office", "prospective_department",
                                              NULL};
    json_t *out = json_object();
    static const char *const head[] = {"id", "candidate_id", "prospect", "applied_at",
                                       "rejected_at", "last_activity_at", NULL};
    for (const char *const *k = head; *k; k++)
        json_object_set(out, *k, get(a, *k));
    set_nulls(out, people);
    json_object_set(out, "source", get(a, "source"));
    json_object_set(out, "jobs", get(a, "jobs"));
    json_object_set_new(out, "job_post_id", json_null());
    json_object_set(out, "status", get(a, "status"));
    json_object_set(out, "current_stage", get(a, "current_stage"));
    json_object_set_new(out, "answers", json_array());
    set_nulls(out, prospective);
    json_object_set_new(out, "prospect_detail",
                        json_pack("{s:n, s:n, s:n}", "prospect_pool", "prospect_stage",
                                  "prospect_owner"));
    json_object_set_new(out, "custom_fields", json_object());
    json_object_set_new(out, "keyed_custom_fields", json_object());
    json_object_set_new(out, "attachments", render_atts_v1(e, a));
    return out;
}

/* greenhouse.md §6 Candidate, mirroring candidate-get-response.json. */
static json_t *render_cand_v1(greenhouse_emu *e, const json_t *c)
{
    json_t *out = json_object(), *apps = json_array(), *id;
    size_t i;
    static const char *const head[] = {"id", "first_name", "last_name", "company", "title",
                                       "created_at", "updated_at", "last_activity", "is_private",
                                       NULL};
    for (const char *const *k = head; *k; k++)
        json_object_set(out, *k, get(c, *k));
    json_object_set_new(out, "photo_url", json_null());
    json_object_set_new(out, "attachments", render_atts_v1(e, c));
    json_object_set_new(out, "application_ids", json_deep_copy(get(c, "application_ids")));
    for (size_t k = 0; k < NCONTACTS; k++) /* already in the fixture's order */
        json_object_set(out, contacts[k].key, get(c, contacts[k].key));
    json_object_set_new(out, "recruiter", json_null());
    json_object_set_new(out, "coordinator", json_null());
    json_object_set(out, "can_email", get(c, "can_email"));
    json_object_set(out, "tags", get(c, "tags"));
    json_array_foreach(json_object_get(c, "application_ids"), i, id)
        json_array_append_new(apps, render_app_v1(e, record(e->apps, APP_BASE,
                                                             json_integer_value(id))));
    json_object_set_new(out, "applications", apps);
    json_object_set_new(out, "educations", json_array());
    json_object_set(out, "employments", get(c, "employments"));
    json_object_set(out, "linked_user_ids", get(c, "linked_user_ids"));
    json_object_set(out, "custom_fields", get(c, "custom_fields"));
    json_object_set_new(out, "keyed_custom_fields", json_object());
    return out;
}

/* A v3 row: flat, no applications or attachments (those have their own lists). */
static json_t *render_cand_v3(const json_t *c)
{
    json_t *out = json_object();
    static const char *const head[] = {"id", "first_name", "last_name", "preferred_name",
                                       "company", "title", "created_at", "updated_at", NULL};
    static const char *const tail[] = {"is_private", "can_email", "email_addresses",
                                       "phone_numbers", "addresses", "website_addresses",
                                       "social_media_addresses", "tags", "linked_user_ids",
                                       "custom_fields", NULL};
    for (const char *const *k = head; *k; k++)
        json_object_set(out, *k, get(c, *k));
    json_object_set(out, "last_activity_at", get(c, "last_activity"));
    for (const char *const *k = tail; *k; k++)
        json_object_set(out, *k, get(c, *k));
    json_object_set_new(out, "time_zone", json_null());
    return out;
}

static json_t *render_app_v3(const json_t *a)
{
    json_t *job = json_array_get(json_object_get(a, "jobs"), 0);
    json_t *stage = json_object_get(a, "current_stage"), *source = json_object_get(a, "source");
    const char *status = str(a, "status");
    return json_pack("{s:O, s:O, s:O, s:O, s:s, s:O, s:O, s:O, s:n, s:n, s:n, s:O, s:O, s:O,"
                     " s:O, s:O}",
                     "id", get(a, "id"), "candidate_id", get(a, "candidate_id"), "job_id",
                     get(job, "id"), "prospect", get(a, "prospect"), "status",
                     strcmp(status, "active") == 0 ? "in_process" : status, "stage_id",
                     get(stage, "id"), "stage_name", get(stage, "name"), "source_id",
                     get(source, "id"), "referrer_id", "recruiter_id", "coordinator_id",
                     "applied_at", get(a, "applied_at"), "rejected_at", get(a, "rejected_at"),
                     "last_activity_at", get(a, "last_activity_at"), "created_at",
                     get(a, "created_at"), "updated_at", get(a, "updated_at"));
}

static json_t *render_att_v3(const json_t *a)
{
    json_t *out = json_object();
    static const char *const keys[] = {"id", "application_id", "candidate_id", "filename",
                                       "type", "visibility", "url", "created_at", "updated_at",
                                       NULL};
    for (const char *const *k = keys; *k; k++)
        json_object_set(out, *k, get(a, *k));
    return out;
}

/* ---- POST /token ---- */

/* The form field, or the query parameter (Greenhouse's PHP client sends
 * grant_type in the query). Caller frees. */
static char *token_param(const emu_request *req, const char *name)
{
    size_t len;
    const char *body = emu_req_body(req, &len);
    char *v = form_value(body, len, name);
    const char *q = emu_req_query(req, name);
    return v ? v : q ? strdup(q) : NULL;
}

static void token_error(emu_response *resp, int status, const char *error, const char *why)
{
    json_t *b = json_pack("{s:s}", "error", error);
    if (why)
        json_object_set_new(b, "error_description", json_string(why));
    emu_resp_json(resp, status, b);
}

static void on_token(const emu_request *req, emu_response *resp, void *ud)
{
    greenhouse_emu *e = ud;
    const char *user, *pass;
    if (!e->client_id || !emu_req_basic_auth(req, &user, &pass) ||
        strcmp(user, e->client_id) != 0 || strcmp(pass, e->client_secret) != 0)
        return token_error(resp, 401, "invalid_client", NULL);
    char *grant = token_param(req, "grant_type"), *sub_s = token_param(req, "sub");
    long long sub = 0;
    bool grant_ok = grant && strcmp(grant, "client_credentials") == 0;
    bool sub_ok = sub_s && parse_id(sub_s, &sub) && known(e->users, e->nusers, sub);
    bool had_sub = sub_s && *sub_s;
    free(grant);
    free(sub_s);
    if (!grant_ok)
        return token_error(resp, 400, "unsupported_grant_type", NULL);
    if (!sub_ok)
        return token_error(resp, 400, "invalid_request",
                           had_sub ? "sub must be the id of a Greenhouse user"
                                   : "sub is required: the id of the Greenhouse user to act as");

    unsigned life = e->cfg.token_lifetime_s ? e->cfg.token_lifetime_s : 3600;
    char token[80], expires_at[64];
    pthread_mutex_lock(&e->lock);
    uint64_t a = next_rand(e), b = next_rand(e);
    snprintf(token, sizeof token, "ghv3_%016llx%016llx%zx", (unsigned long long)a,
             (unsigned long long)b, e->tokens_issued);
    json_object_set_new(e->tokens, token, json_pack("{s:I, s:f}", "sub", (json_int_t)sub,
                                                    "expires", mono() + life));
    e->tokens_issued++;
    pthread_mutex_unlock(&e->lock);
    iso(now_ms() + (long long)life * 1000, expires_at);
    json_t *out = json_pack("{s:s, s:s}", "access_token", token, "token_type", "Bearer");
    if (e->cfg.expiry != GREENHOUSE_EMU_EXPIRES_AT)
        json_object_set_new(out, "expires_in", json_integer(life));
    if (e->cfg.expiry != GREENHOUSE_EMU_EXPIRES_IN)
        json_object_set_new(out, "expires_at", json_string(expires_at));
    emu_resp_json(resp, 200, out);
}

/* ---- v1 ---- */

static const json_t *v1_body(const emu_request *req, emu_response *resp)
{
    json_t *b = emu_req_json(req);
    if (!json_is_object(b))
        v1_error(resp, 400, "Invalid JSON");
    return json_is_object(b) ? b : NULL;
}

static void on_v1_get(const emu_request *req, emu_response *resp, void *ud)
{
    greenhouse_emu *e = ud;
    long long id;
    if (!admit_v1(e, req, resp))
        return;
    json_t *out = NULL;
    pthread_mutex_lock(&e->lock);
    json_t *c = parse_id(emu_req_param(req, "id"), &id) ? record(e->cands, CAND_BASE, id) : NULL;
    /* While "still processing" Greenhouse answers 404 (greenhouse.md §7). */
    if (c && ready(c))
        out = detach(render_cand_v1(e, c));
    pthread_mutex_unlock(&e->lock);
    if (out)
        emu_resp_json(resp, 200, out);
    else
        v1_error(resp, 404, "Resource not found");
}

static bool email_matches(const json_t *c, const char *email)
{
    json_t *item;
    size_t i;
    json_array_foreach(json_object_get(c, "email_addresses"), i, item)
        if (strcasecmp(str(item, "value"), email) == 0)
            return true;
    return false;
}

static bool has_job(greenhouse_emu *e, const json_t *c, long long job, bool prospects)
{
    json_t *id, *j;
    size_t i, k;
    json_array_foreach(json_object_get(c, "application_ids"), i, id) {
        json_t *a = record(e->apps, APP_BASE, json_integer_value(id));
        if (!prospects && json_is_true(json_object_get(a, "prospect")))
            continue;
        json_array_foreach(json_object_get(a, "jobs"), k, j)
            if (json_integer_value(json_object_get(j, "id")) == job)
                return true;
    }
    return false;
}

typedef struct v1_query {
    long per_page, page;
    bool skip_count;
    const char *email;
    json_t *ids; /* NULL: no filter */
    long long job_id;
    char link_filters[2048]; /* "&email=..." kept on every Link URL */
} v1_query;

static bool v1_list_query(const emu_request *req, v1_query *q, json_t *errs)
{
    const char *s;
    char *end, enc[1024];
    memset(q, 0, sizeof *q);
    q->per_page = 100;
    q->page = 1;
    if ((s = emu_req_query(req, "per_page"))) {
        q->per_page = strtol(s, &end, 10);
        if (!*s || *end || q->per_page < 1 || q->per_page > 500)
            bad(errs, "per_page", "Must be an integer between 1 and 500");
    }
    if ((s = emu_req_query(req, "page"))) {
        q->page = strtol(s, &end, 10);
        if (!*s || *end || q->page < 1 || q->page > 1000000)
            bad(errs, "page", "Must be a positive integer");
    }
    q->skip_count = (s = emu_req_query(req, "skip_count")) && strcmp(s, "true") == 0;
    q->email = emu_req_query(req, "email");
    if (q->email) {
        url_encode(enc, sizeof enc, q->email);
        snprintf(q->link_filters, sizeof q->link_filters, "&email=%s", enc);
    } else if ((s = emu_req_query(req, "candidate_ids"))) { /* email wins (greenhouse.md §4) */
        const char *why = NULL;
        q->ids = id_list(s, &why);
        if (!q->ids)
            bad(errs, "candidate_ids", "Must be a comma-separated list of at most 50 ids");
        url_encode(enc, sizeof enc, s);
        snprintf(q->link_filters, sizeof q->link_filters, "&candidate_ids=%s", enc);
    }
    if ((s = emu_req_query(req, "job_id"))) {
        if (!parse_id(s, &q->job_id))
            bad(errs, "job_id", "Must be an integer");
        size_t n = strlen(q->link_filters);
        snprintf(q->link_filters + n, sizeof q->link_filters - n, "&job_id=%lld", q->job_id);
    }
    if (q->skip_count) {
        size_t n = strlen(q->link_filters);
        snprintf(q->link_filters + n, sizeof q->link_filters - n, "&skip_count=true");
    }
    return json_array_size(errs) == 0;
}

static void v1_link(greenhouse_emu *e, char *out, size_t cap, const v1_query *q, long page,
                    const char *rel)
{
    size_t n = strlen(out);
    snprintf(out + n, cap - n, "%s<%s/v1/candidates?page=%ld&per_page=%ld%s>; rel=\"%s\"",
             n ? ", " : "", e->base_url, page, q->per_page, q->link_filters, rel);
}

static void on_v1_list(const emu_request *req, emu_response *resp, void *ud)
{
    greenhouse_emu *e = ud;
    v1_query q;
    json_t *errs, *c, *rows;
    size_t i, total = 0;
    if (!admit_v1(e, req, resp))
        return;
    if (!v1_list_query(req, &q, errs = json_array())) {
        json_decref(q.ids);
        return v1_invalid(resp, errs);
    }
    json_decref(errs);
    rows = json_array();
    size_t first = (size_t)((q.page - 1) * q.per_page);
    pthread_mutex_lock(&e->lock);
    json_array_foreach(e->cands, i, c) { /* ascending ids */
        if (!ready(c) || (q.email && !email_matches(c, q.email)) ||
            (q.ids && !array_has_id(q.ids, json_integer_value(json_object_get(c, "id")))) ||
            (q.job_id && !has_job(e, c, q.job_id, false)))
            continue;
        if (total >= first && total < first + (size_t)q.per_page)
            json_array_append_new(rows, render_cand_v1(e, c));
        total++;
    }
    rows = detach(rows);
    pthread_mutex_unlock(&e->lock);
    json_decref(q.ids);

    long last = total ? (long)((total + (size_t)q.per_page - 1) / (size_t)q.per_page) : 1;
    bool more = first + (size_t)q.per_page < total;
    char link[8192] = "";
    if (more)
        v1_link(e, link, sizeof link, &q, q.page + 1, "next");
    if (q.page > 1)
        v1_link(e, link, sizeof link, &q, q.page - 1, "prev");
    if (*link && !q.skip_count) /* no header at all means a single page */
        v1_link(e, link, sizeof link, &q, last, "last");
    if (*link)
        emu_resp_header(resp, "Link", link);
    emu_resp_json(resp, 200, rows);
}

/* The record of a v1 create: candidate, applications, their files. */
static json_t *v1_store_candidate(greenhouse_emu *e, const json_t *b, bool prospect,
                                  long long actor)
{
    long long t = now_ms();
    char ts[64];
    json_t *item;
    size_t i;
    iso(t, ts);
    json_t *c = add_candidate(e, b, true, ts);
    if (prospect) {
        const json_t *app = json_object_get(b, "application");
        app_spec s = {true, json_object_get(app, "job_ids"), 0, 0,
                      json_integer_value(json_object_get(app, "source_id"))};
        json_t *a = add_application(e, c, &s, ts);
        add_item_attachments(e, c, a, json_object_get(app, "attachments"), t, ts);
    }
    json_array_foreach(prospect ? NULL : json_object_get(b, "applications"), i, item) {
        app_spec s = {false, NULL, json_integer_value(json_object_get(item, "job_id")),
                      json_integer_value(json_object_get(item, "initial_stage_id")),
                      json_integer_value(json_object_get(item, "source_id"))};
        json_t *a = add_application(e, c, &s, ts);
        add_item_attachments(e, c, a, json_object_get(item, "attachments"), t, ts);
    }
    e->last_actor = actor;
    return c;
}

static void v1_create(greenhouse_emu *e, const emu_request *req, emu_response *resp,
                      bool prospect)
{
    long long actor;
    const json_t *b;
    if (!admit_v1(e, req, resp) || !acting_user(e, req, resp, &actor) || !(b = v1_body(req, resp)))
        return;
    json_t *errs = json_array();
    check_person(errs, b, true);
    if (prospect)
        check_prospect_application(e, errs, b);
    else
        check_v1_applications(e, errs, b);
    if (json_array_size(errs))
        return v1_invalid(resp, errs);
    json_decref(errs);

    pthread_mutex_lock(&e->lock);
    json_t *c = v1_store_candidate(e, b, prospect, actor), *out;
    /* A record still being built answers with its ids only (greenhouse.md §7). */
    if (e->cfg.not_ready_ms)
        out = json_pack("{s:O, s:O}", "id", json_object_get(c, "id"), "application_ids",
                        json_object_get(c, "application_ids"));
    else
        out = render_cand_v1(e, c);
    out = detach(out);
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, out);
}

static void on_v1_create(const emu_request *req, emu_response *resp, void *ud)
{
    v1_create(ud, req, resp, false);
}

static void on_v1_prospect(const emu_request *req, emu_response *resp, void *ud)
{
    v1_create(ud, req, resp, true);
}

/* Both v1 upload routes; app_route: /applications/:id, else /candidates/:id. */
static void v1_attach(greenhouse_emu *e, const emu_request *req, emu_response *resp,
                      bool app_route)
{
    long long actor, id;
    const json_t *b;
    if (!admit_v1(e, req, resp) || !acting_user(e, req, resp, &actor) || !(b = v1_body(req, resp)))
        return;
    bool valid_id = parse_id(emu_req_param(req, "id"), &id);
    pthread_mutex_lock(&e->lock);
    bool found = valid_id && record(app_route ? e->apps : e->cands,
                                    app_route ? APP_BASE : CAND_BASE, id);
    pthread_mutex_unlock(&e->lock);
    if (!found) /* records are never deleted, so it stays found below */
        return v1_error(resp, 404, "Resource not found");
    json_t *errs = json_array();
    check_attachment(errs, b, "", app_route ? &app_rules : &cand_rules);
    if (json_array_size(errs))
        return v1_invalid(resp, errs);
    json_decref(errs);

    const char *type = str(b, "type"), *vis = default_visibility(type);
    /* visibility only applies to `other`; the rest have fixed visibility */
    if (app_route && strcmp(type, "other") == 0 && str(b, "visibility"))
        vis = str(b, "visibility");
    long long t = now_ms();
    char ts[64];
    iso(t, ts);
    pthread_mutex_lock(&e->lock);
    json_t *app = app_route ? record(e->apps, APP_BASE, id) : NULL;
    json_t *c = record(e->cands, CAND_BASE, app_route ? num(app, "candidate_id") : id);
    if (!app_route)
        app = latest_application(e, c);
    json_t *a = add_attachment(e, c, app, b, vis, t, ts);
    json_t *out = detach(json_pack("{s:O, s:O, s:O, s:O}", "filename", get(a, "filename"), "url",
                                   get(a, "url"), "type", get(a, "type"), "content_type",
                                   get(a, "content_type")));
    e->last_actor = actor;
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, out);
}

static void on_v1_candidate_attachment(const emu_request *req, emu_response *resp, void *ud)
{
    v1_attach(ud, req, resp, false);
}

static void on_v1_application_attachment(const emu_request *req, emu_response *resp, void *ud)
{
    v1_attach(ud, req, resp, true);
}

static void on_v1_unknown(const emu_request *req, emu_response *resp, void *ud)
{
    v1_error(resp, 404, "Resource not found");
}

/* ---- v3 lists ---- */

typedef enum v3_kind { V3_CANDIDATES, V3_APPLICATIONS, V3_ATTACHMENTS } v3_kind;

static const char *const kind_names[] = {"candidates", "applications", "attachments"};

/* The id-list filters each list takes (and one string filter). */
static const char *const cand_filters[] = {"ids", NULL};
static const char *const app_filters[] = {"ids", "candidate_ids", "job_ids", NULL};
static const char *const att_filters[] = {"candidate_ids", "application_ids", NULL};
static const char *const *const id_filters[] = {cand_filters, app_filters, att_filters};
static const char *const string_filter[] = {"email", NULL, "type"};

/* The list state from a first request: {r, p, f, b}; NULL and *why on a bad
 * parameter. b = 0: start from the newest record. */
static json_t *v3_first_state(const emu_request *req, v3_kind kind, char *why, size_t cap)
{
    const char *s;
    char *end;
    long per_page = 100;
    if ((s = emu_req_query(req, "per_page"))) {
        per_page = strtol(s, &end, 10);
        if (!*s || *end || per_page < 1 || per_page > 500) {
            snprintf(why, cap, "per_page must be an integer between 1 and 500");
            return NULL;
        }
    }
    json_t *f = json_object();
    for (const char *const *k = id_filters[kind]; *k; k++) {
        const char *problem = NULL;
        json_t *ids;
        if (!(s = emu_req_query(req, *k)))
            continue;
        if (!(ids = id_list(s, &problem))) {
            snprintf(why, cap, "%s %s", *k, problem);
            json_decref(f);
            return NULL;
        }
        json_object_set_new(f, *k, ids);
    }
    if (string_filter[kind] && (s = emu_req_query(req, string_filter[kind])))
        json_object_set_new(f, string_filter[kind], json_string(s));
    return json_pack("{s:s, s:i, s:o, s:I}", "r", kind_names[kind], "p", (int)per_page, "f", f,
                     "b", (json_int_t)0);
}

/* A cursor back to its state; NULL when it is not one of ours for this list. */
static json_t *v3_cursor_state(const char *cursor, v3_kind kind)
{
    size_t n;
    unsigned char *raw = b64_decode(cursor, strlen(cursor), true, &n);
    json_t *st = raw ? json_loadb((const char *)raw, n, 0, NULL) : NULL;
    free(raw);
    json_int_t p = json_integer_value(json_object_get(st, "p"));
    if (!json_is_object(st) || !str(st, "r") || strcmp(str(st, "r"), kind_names[kind]) != 0 ||
        p < 1 || p > 500 || !json_is_object(json_object_get(st, "f")) ||
        !json_is_integer(json_object_get(st, "b"))) {
        json_decref(st);
        return NULL;
    }
    return st;
}

static bool v3_match(greenhouse_emu *e, v3_kind kind, const json_t *rec, const json_t *f)
{
    long long id = json_integer_value(json_object_get(rec, "id"));
    json_t *ids = json_object_get(f, "ids"), *cands = json_object_get(f, "candidate_ids");
    long long cand = json_integer_value(json_object_get(rec, "candidate_id"));
    if (ids && !array_has_id(ids, id))
        return false;
    switch (kind) {
    case V3_CANDIDATES: /* a record still being built is not listed yet */
        return ready(rec) && (!str(f, "email") || email_matches(rec, str(f, "email")));
    case V3_APPLICATIONS: {
        json_t *jobs = json_object_get(f, "job_ids"), *j;
        size_t i;
        bool job_ok = !jobs;
        json_array_foreach(json_object_get(rec, "jobs"), i, j)
            job_ok |= array_has_id(jobs, json_integer_value(json_object_get(j, "id")));
        return job_ok && (!cands || array_has_id(cands, cand));
    }
    case V3_ATTACHMENTS: {
        json_t *apps = json_object_get(f, "application_ids");
        const char *type = str(f, "type");
        return (!cands || array_has_id(cands, cand)) &&
               (!apps || array_has_id(apps, num(rec, "application_id"))) &&
               (!type || strcmp(type, str(rec, "type")) == 0);
    }
    }
    return false;
}

static json_t *v3_render(v3_kind kind, const json_t *rec)
{
    return kind == V3_CANDIDATES ? render_cand_v3(rec)
         : kind == V3_APPLICATIONS ? render_app_v3(rec) : render_att_v3(rec);
}

/* One page, newest first, below id st.b; *next_b is the last id shown when
 * more rows match, else 0. Under lock. */
static json_t *v3_page(greenhouse_emu *e, v3_kind kind, const json_t *st, long long *next_b)
{
    json_t *arr = kind == V3_CANDIDATES ? e->cands : kind == V3_APPLICATIONS ? e->apps : e->atts;
    long long base = kind == V3_CANDIDATES ? CAND_BASE : kind == V3_APPLICATIONS ? APP_BASE
                                                                              : ATT_BASE;
    long long below = json_integer_value(json_object_get(st, "b"));
    size_t per_page = (size_t)json_integer_value(json_object_get(st, "p"));
    const json_t *f = json_object_get(st, "f");
    json_t *rows = json_array();
    size_t n = json_array_size(arr);
    if (below && below - base < (long long)n)
        n = below > base ? (size_t)(below - base) : 0;
    *next_b = 0;
    for (size_t i = n; i-- > 0;) {
        json_t *rec = json_array_get(arr, i);
        if (!v3_match(e, kind, rec, f))
            continue;
        if (json_array_size(rows) == per_page) {
            json_t *last = json_array_get(rows, per_page - 1);
            *next_b = json_integer_value(json_object_get(last, "id"));
            break;
        }
        json_array_append_new(rows, v3_render(kind, rec));
    }
    return rows;
}

static void v3_list(greenhouse_emu *e, const emu_request *req, emu_response *resp, v3_kind kind)
{
    long long sub, next_b;
    char why[160];
    json_t *st;
    if (!admit_v3(e, req, resp, &sub))
        return;
    const char *cursor = emu_req_query(req, "cursor");
    if (cursor && other_params(emu_req_target(req)))
        return v3_error(resp, 422, "Unprocessable Content",
                        "When passing a cursor, do not include other query params.");
    if (cursor && !(st = v3_cursor_state(cursor, kind)))
        return v3_error(resp, 422, "Unprocessable Content", "Invalid cursor");
    if (!cursor && !(st = v3_first_state(req, kind, why, sizeof why)))
        return v3_error(resp, 422, "Unprocessable Content", why);

    pthread_mutex_lock(&e->lock);
    json_t *rows = detach(v3_page(e, kind, st, &next_b));
    pthread_mutex_unlock(&e->lock);
    if (next_b) {
        json_object_set_new(st, "b", json_integer(next_b));
        char *text = json_dumps(st, JSON_COMPACT);
        char *token = text ? b64url_encode(text, strlen(text)) : NULL;
        char link[1024];
        if (token) {
            snprintf(link, sizeof link, "<%s/v3/%s?cursor=%s>; rel=\"next\"", e->base_url,
                     kind_names[kind], token);
            emu_resp_header(resp, "Link", link);
        }
        free(text);
        free(token);
    }
    json_decref(st);
    emu_resp_json(resp, 200, rows);
}

static void on_v3_candidates(const emu_request *req, emu_response *resp, void *ud)
{
    v3_list(ud, req, resp, V3_CANDIDATES);
}

static void on_v3_applications(const emu_request *req, emu_response *resp, void *ud)
{
    v3_list(ud, req, resp, V3_APPLICATIONS);
}

static void on_v3_attachments(const emu_request *req, emu_response *resp, void *ud)
{
    v3_list(ud, req, resp, V3_ATTACHMENTS);
}

/* ---- v3 writes ---- */

static const json_t *v3_body(const emu_request *req, emu_response *resp)
{
    json_t *b = emu_req_json(req);
    if (!json_is_object(b))
        v3_error(resp, 400, "Bad Request", "Invalid JSON");
    return json_is_object(b) ? b : NULL;
}

static app_spec v3_spec(const json_t *app)
{
    app_spec s = {is_prospect(app), NULL, json_integer_value(json_object_get(app, "job_id")), 0,
                  json_integer_value(json_object_get(app, "source_id"))};
    return s;
}

/* The single application of a v3 create, from `application` or a
 * one-element `applications`; NULL when none. */
static const json_t *v3_create_application(greenhouse_emu *e, json_t *errs, const json_t *b)
{
    const json_t *one = json_object_get(b, "application");
    const json_t *many = json_object_get(b, "applications");
    if (!absent(many) && !json_is_array(many)) {
        bad(errs, "applications", "Must be an array");
        many = NULL;
    }
    size_t n = (absent(one) ? 0 : 1) + json_array_size(many);
    if (n > 1) {
        bad(errs, NULL, "Only one application can be created with a candidate");
        return NULL;
    }
    const json_t *app = !absent(one) ? one : json_array_get(many, 0);
    if (app)
        check_v3_application(e, errs, app, !absent(one) ? "application." : "applications[0].");
    return app;
}

static void on_v3_create_candidate(const emu_request *req, emu_response *resp, void *ud)
{
    greenhouse_emu *e = ud;
    long long sub;
    const json_t *b;
    if (!admit_v3(e, req, resp, &sub) || !(b = v3_body(req, resp)))
        return;
    json_t *errs = json_array();
    check_person(errs, b, false);
    const json_t *app = v3_create_application(e, errs, b);
    if (json_array_size(errs))
        return v3_invalid(resp, errs);
    json_decref(errs);

    char ts[64];
    iso(now_ms(), ts);
    pthread_mutex_lock(&e->lock);
    json_t *c = add_candidate(e, b, false, ts), *a = NULL;
    if (app) {
        app_spec s = v3_spec(app);
        a = add_application(e, c, &s, ts);
    }
    e->last_actor = sub;
    json_t *out = detach(json_pack("{s:o, s:o}", "candidate", render_cand_v3(c), "application",
                                   a ? render_app_v3(a) : json_null()));
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, out);
}

static void on_v3_create_application(const emu_request *req, emu_response *resp, void *ud)
{
    greenhouse_emu *e = ud;
    long long sub;
    const json_t *b;
    if (!admit_v3(e, req, resp, &sub) || !(b = v3_body(req, resp)))
        return;
    json_t *errs = json_array(), *cid = json_object_get(b, "candidate_id");
    if (absent(cid))
        bad(errs, "candidate_id", "Missing required field: candidate_id");
    else if (!json_is_integer(cid))
        bad(errs, "candidate_id", "Must be an integer");
    check_v3_application(e, errs, b, "");
    if (json_array_size(errs))
        return v3_invalid(resp, errs);

    char ts[64];
    iso(now_ms(), ts);
    pthread_mutex_lock(&e->lock);
    json_t *c = record(e->cands, CAND_BASE, json_integer_value(cid)), *out = NULL;
    if (c) {
        app_spec s = v3_spec(b);
        out = detach(render_app_v3(add_application(e, c, &s, ts)));
        e->last_actor = sub;
    }
    pthread_mutex_unlock(&e->lock);
    if (!c) {
        bad(errs, "candidate_id", "Candidate %lld does not exist",
            (long long)json_integer_value(cid));
        return v3_invalid(resp, errs);
    }
    json_decref(errs);
    emu_resp_json(resp, 201, out);
}

static void on_v3_create_attachment(const emu_request *req, emu_response *resp, void *ud)
{
    greenhouse_emu *e = ud;
    long long sub;
    const json_t *b;
    if (!admit_v3(e, req, resp, &sub) || !(b = v3_body(req, resp)))
        return;
    json_t *errs = json_array(), *aid = json_object_get(b, "application_id");
    bool exists = false;
    if (json_is_integer(aid)) {
        pthread_mutex_lock(&e->lock);
        exists = record(e->apps, APP_BASE, json_integer_value(aid)) != NULL;
        pthread_mutex_unlock(&e->lock);
    }
    if (absent(aid))
        bad(errs, "application_id", "Missing required field: application_id");
    else if (!json_is_integer(aid))
        bad(errs, "application_id", "Must be an integer");
    else if (!exists)
        bad(errs, "application_id", "Application %lld does not exist",
            (long long)json_integer_value(aid));
    check_attachment(errs, b, "", &v3_rules);
    if (json_array_size(errs))
        return v3_invalid(resp, errs);
    json_decref(errs);

    const char *type = str(b, "type");
    const char *vis = str(b, "visibility") ? str(b, "visibility") : default_visibility(type);
    long long t = now_ms();
    char ts[64];
    iso(t, ts);
    pthread_mutex_lock(&e->lock);
    json_t *app = record(e->apps, APP_BASE, json_integer_value(aid));
    json_t *c = record(e->cands, CAND_BASE, num(app, "candidate_id"));
    demote(e, c, type, ts);
    json_t *out = detach(render_att_v3(add_attachment(e, c, app, b, vis, t, ts)));
    e->last_actor = sub;
    pthread_mutex_unlock(&e->lock);
    emu_resp_json(resp, 201, out);
}

static void on_v3_unknown(const emu_request *req, emu_response *resp, void *ud)
{
    v3_error(resp, 404, "Not Found", NULL);
}

/* ---- the "signed" file URL ---- */

static void on_file(const emu_request *req, emu_response *resp, void *ud)
{
    greenhouse_emu *e = ud;
    long long id;
    char *content = NULL, *source = NULL, *type = NULL;
    pthread_mutex_lock(&e->lock);
    json_t *a = parse_id(emu_req_param(req, "id"), &id) ? record(e->atts, ATT_BASE, id) : NULL;
    if (a) {
        content = str(a, "_content") ? strdup(str(a, "_content")) : NULL;
        source = str(a, "_source_url") ? strdup(str(a, "_source_url")) : NULL;
        type = strdup(str(a, "content_type") ? str(a, "content_type") : "application/octet-stream");
    }
    pthread_mutex_unlock(&e->lock);
    if (!a) {
        v1_error(resp, 404, "Resource not found");
        return;
    }
    size_t n = 0;
    unsigned char *bytes = content ? b64_decode(content, strlen(content), false, &n) : NULL;
    /* A file sent by URL was never fetched: say where it would come from. */
    if (source)
        emu_resp_header(resp, "X-Source-Url", source);
    emu_resp_body(resp, 200, type, bytes ? (const char *)bytes : "", n);
    free(bytes);
    free(content);
    free(source);
    free(type);
}

/* ---- setup and accessors ---- */

static uint64_t seed(const void *salt)
{
    uint64_t s = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(&s, sizeof s, 1, f) != 1)
            s = 0;
        fclose(f);
    }
    return s ^ (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)salt;
}

static long long *copy_ids(const long long *ids, size_t n, const long long *dflt, size_t ndflt,
                           size_t *out_n)
{
    const long long *src = n ? ids : dflt;
    *out_n = n ? n : ndflt;
    long long *out = malloc(*out_n * sizeof *out);
    if (out)
        memcpy(out, src, *out_n * sizeof *out);
    return out;
}

static bool copy_config(greenhouse_emu *e, const greenhouse_emu_config *cfg)
{
    static const long long default_users[] = {DEFAULT_USER};
    static const long long default_jobs[] = {4001, 4002};
    e->cfg = *cfg;
    e->api_key = cfg->api_key ? strdup(cfg->api_key) : NULL;
    e->client_id = cfg->client_id ? strdup(cfg->client_id) : NULL;
    e->client_secret = strdup(cfg->client_secret ? cfg->client_secret : "");
    e->users = copy_ids(cfg->user_ids, cfg->nuser_ids, default_users, 1, &e->nusers);
    e->jobs = copy_ids(cfg->job_ids, cfg->njob_ids, default_jobs, 2, &e->njobs);
    e->v3_windows = calloc(e->nusers, sizeof *e->v3_windows);
    e->cfg.api_key = e->api_key;
    e->cfg.client_id = e->client_id;
    e->cfg.client_secret = e->client_secret;
    e->cfg.user_ids = e->users;
    e->cfg.nuser_ids = e->nusers;
    e->cfg.job_ids = e->jobs;
    e->cfg.njob_ids = e->njobs;
    return (!cfg->api_key || e->api_key) && (!cfg->client_id || e->client_id) &&
           e->client_secret && e->users && e->jobs && e->v3_windows;
}

static int add_routes(greenhouse_emu *e, emu_server *srv)
{
    /* Specific routes first; the kit tries them in order. */
    return emu_route(srv, "POST", "/token", on_token, e) ||
           emu_route(srv, "GET", "/v1/candidates", on_v1_list, e) ||
           emu_route(srv, "GET", "/v1/candidates/:id", on_v1_get, e) ||
           emu_route(srv, "POST", "/v1/candidates", on_v1_create, e) ||
           emu_route(srv, "POST", "/v1/prospects", on_v1_prospect, e) ||
           emu_route(srv, "POST", "/v1/candidates/:id/attachments", on_v1_candidate_attachment,
                     e) ||
           emu_route(srv, "POST", "/v1/applications/:id/attachments", on_v1_application_attachment,
                     e) ||
           emu_route(srv, "GET", "/v3/candidates", on_v3_candidates, e) ||
           emu_route(srv, "POST", "/v3/candidates", on_v3_create_candidate, e) ||
           emu_route(srv, "GET", "/v3/applications", on_v3_applications, e) ||
           emu_route(srv, "POST", "/v3/applications", on_v3_create_application, e) ||
           emu_route(srv, "GET", "/v3/attachments", on_v3_attachments, e) ||
           emu_route(srv, "POST", "/v3/attachments", on_v3_create_attachment, e) ||
           emu_route(srv, "GET", "/files/:id", on_file, e) ||
           /* v3 answers unknown routes before it authenticates (docs §2.7) */
           emu_route(srv, "*", "/v1/*", on_v1_unknown, e) ||
           emu_route(srv, "*", "/v3/*", on_v3_unknown, e);
}

greenhouse_emu *greenhouse_emu_install(emu_server *srv, const greenhouse_emu_config *cfg)
{
    greenhouse_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->cands = json_array();
    e->apps = json_array();
    e->atts = json_array();
    e->tokens = json_object();
    e->next_employment = EMPLOYMENT_BASE;
    e->rng = seed(e);
    snprintf(e->base_url, sizeof e->base_url, "%s", emu_base_url(srv));
    if (!copy_config(e, cfg) || !e->cands || !e->apps || !e->atts || !e->tokens ||
        add_routes(e, srv)) {
        greenhouse_emu_free(e);
        return NULL;
    }
    return e;
}

void greenhouse_emu_free(greenhouse_emu *e)
{
    if (!e)
        return;
    json_decref(e->cands);
    json_decref(e->apps);
    json_decref(e->atts);
    json_decref(e->tokens);
    free(e->api_key);
    free(e->client_id);
    free(e->client_secret);
    free(e->users);
    free(e->jobs);
    free(e->v3_windows);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

void greenhouse_emu_revoke_tokens(greenhouse_emu *e)
{
    pthread_mutex_lock(&e->lock);
    json_object_clear(e->tokens);
    pthread_mutex_unlock(&e->lock);
}

static size_t count(greenhouse_emu *e, const json_t *arr)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_array_size(arr);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t greenhouse_emu_candidate_count(greenhouse_emu *e)
{
    return count(e, e->cands);
}

size_t greenhouse_emu_application_count(greenhouse_emu *e)
{
    return count(e, e->apps);
}

size_t greenhouse_emu_attachment_count(greenhouse_emu *e)
{
    return count(e, e->atts);
}

size_t greenhouse_emu_tokens_issued(greenhouse_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = e->tokens_issued;
    pthread_mutex_unlock(&e->lock);
    return n;
}

long long greenhouse_emu_last_actor(greenhouse_emu *e)
{
    pthread_mutex_lock(&e->lock);
    long long id = e->last_actor;
    pthread_mutex_unlock(&e->lock);
    return id;
}

json_t *greenhouse_emu_candidate(greenhouse_emu *e, long long id)
{
    pthread_mutex_lock(&e->lock);
    json_t *c = record(e->cands, CAND_BASE, id);
    json_t *out = c ? detach(render_cand_v1(e, c)) : NULL;
    pthread_mutex_unlock(&e->lock);
    return out;
}

/* ---- uats-sandbox ---- */

#define SANDBOX_GH_USER "4410087" /* the emulator's default user; ids are numbers */

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    greenhouse_emu_config cfg = {
        .api_key = EMU_SANDBOX_KEY, .client_id = EMU_SANDBOX_CLIENT,
        .client_secret = EMU_SANDBOX_SECRET, .v1_limit = rate_limit ? 50 : 0,
        .v3_limit = rate_limit ? 50 : 0};
    return greenhouse_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    greenhouse_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "candidates",
                     (json_int_t)greenhouse_emu_candidate_count(state), "applications",
                     (json_int_t)greenhouse_emu_application_count(state), "attachments",
                     (json_int_t)greenhouse_emu_attachment_count(state), "tokens_issued",
                     (json_int_t)greenhouse_emu_tokens_issued(state));
}

/* Two configurations on one server: Harvest v3 (OAuth, with the token
 * endpoint here) and v1 (the API key). */
static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    char token_url[256];
    const char *base = emu_base_url(srv);
    (void)state;
    snprintf(token_url, sizeof token_url, "%s/token", base);
    return emu_sandbox_write_json(
               dir, "greenhouse",
               json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "connector", "greenhouse",
                         "base_url", base, "credentials", "client_id", EMU_SANDBOX_CLIENT,
                         "client_secret", EMU_SANDBOX_SECRET, "options", "on_behalf_of",
                         SANDBOX_GH_USER, "token_url", token_url)) ||
           emu_sandbox_write_json(
               dir, "greenhouse-v1",
               json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s}}", "connector", "greenhouse",
                         "base_url", base, "credentials", "api_key", EMU_SANDBOX_KEY,
                         "options", "api_version", "v1", "on_behalf_of", SANDBOX_GH_USER)) ||
           emu_sandbox_write_job(dir, "greenhouse", "4001") ||
           emu_sandbox_write_job(dir, "greenhouse-v1", "4001");
}

const emu_sandbox_vendor greenhouse_sandbox = {"greenhouse", "", sandbox_install, sandbox_free,
                                               sandbox_state, sandbox_configs};
