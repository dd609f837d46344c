/*
 * core/validate.c: check JSON against a schema node and build its canonical
 * copy. Every error names the JSON path of the offending value, so a caller
 * sending 40 fields learns exactly which one is wrong.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "internal.h"

#define PATH_MAX_LEN 128

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    case JSON_NULL: return "null";
    }
    return "value";
}

static const char *expected_name(const schema_node *n)
{
    switch (n->type) {
    case N_STRING: return "a string";
    case N_DATE: return "a date string (YYYY-MM-DD)";
    case N_DATETIME: return "an ISO 8601 UTC time string (YYYY-MM-DDTHH:MM:SSZ)";
    case N_ENUM: return "a string";
    case N_COUNTRY: return "an ISO 3166-1 alpha-2 country code (e.g. \"DE\")";
    case N_CURRENCY: return "an ISO 4217 currency code (e.g. \"EUR\")";
    case N_BASE64: return "a base64 string";
    case N_BOOL: return "a boolean";
    case N_INT: return "an integer";
    case N_NUMBER: return "a number";
    case N_OBJECT:
    case N_MAP: return "an object";
    case N_LIST: return "an array";
    case N_ANY: return "a value";
    case N_UNION: return "one of the documented forms";
    }
    return "a value";
}

static uats_code fail_at(uats_error *err, const char *path, const char *fmt, ...)
    UATS_PRINTF(3, 4);

static uats_code fail_at(uats_error *err, const char *path, const char *fmt, ...)
{
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    uats__err_set(err, UATS_E_INVALID_INPUT, "%s: %s", *path ? path : "(document)",
                  detail);
    if (err)
        uats__copy_str(err->field, sizeof err->field, path);
    return UATS_E_INVALID_INPUT;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool valid_ymd(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' ||
        !all_digits(s + 8, 2))
        return false;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

bool uats__is_date(const char *s)
{
    return strlen(s) == 10 && valid_ymd(s);
}

bool uats__is_datetime(const char *s)
{
    size_t len = strlen(s);
    if (len < 20 || !valid_ymd(s) || s[10] != 'T' || !all_digits(s + 11, 2) ||
        s[13] != ':' || !all_digits(s + 14, 2) || s[16] != ':' ||
        !all_digits(s + 17, 2))
        return false;
    if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 60)
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        size_t digits = strspn(p + 1, "0123456789");
        if (digits < 1 || digits > 9)
            return false;
        p += 1 + digits;
    }
    return p[0] == 'Z' && p[1] == '\0';
}

static bool is_upper_code(const char *s, size_t len)
{
    if (strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

static uats_code check_enum(const schema_node *n, const char *s, const char *path,
                            uats_error *err)
{
    char allowed[160] = "";
    for (const char *const *e = n->enums; *e; e++) {
        if (strcmp(*e, s) == 0)
            return UATS_OK;
        size_t used = strlen(allowed);
        snprintf(allowed + used, sizeof allowed - used, "%s%s",
                 e == n->enums ? "" : ", ", *e);
    }
    return fail_at(err, path, "\"%.40s\" is not one of %s", s, allowed);
}

static uats_code check_string(const schema_node *n, const json_t *in,
                              const char *path, uats_error *err)
{
    const char *s = json_string_value(in);
    size_t len = json_string_length(in);
    if (strlen(s) != len)
        return fail_at(err, path, "contains a NUL character");
    switch (n->type) {
    case N_DATE:
        return uats__is_date(s) ? UATS_OK
                                : fail_at(err, path, "\"%.40s\" is not %s", s,
                                          expected_name(n));
    case N_DATETIME:
        return uats__is_datetime(s) ? UATS_OK
                                    : fail_at(err, path, "\"%.40s\" is not %s", s,
                                              expected_name(n));
    case N_COUNTRY:
        return is_upper_code(s, 2) ? UATS_OK
                                   : fail_at(err, path, "\"%.40s\" is not %s", s,
                                             expected_name(n));
    case N_CURRENCY:
        return is_upper_code(s, 3) ? UATS_OK
                                   : fail_at(err, path, "\"%.40s\" is not %s", s,
                                             expected_name(n));
    case N_BASE64:
        return uats__is_base64(s, len) ? UATS_OK
                                       : fail_at(err, path, "is not valid base64");
    case N_ENUM:
        return check_enum(n, s, path, err);
    default:
        return UATS_OK;
    }
}

/* path + "." + key, cut to fit (paths only name fields in messages). */
static void join_key(char *out, const char *path, const char *key)
{
    size_t lp = strlen(path), lk = strlen(key), n = 0;
    if (lp > PATH_MAX_LEN - 2)
        lp = PATH_MAX_LEN - 2;
    memcpy(out, path, lp);
    n = lp;
    if (lp)
        out[n++] = '.';
    if (lk > PATH_MAX_LEN - 1 - n)
        lk = PATH_MAX_LEN - 1 - n;
    memcpy(out + n, key, lk);
    out[n + lk] = '\0';
}

#define V_STRICT 1u /* required keys and rules across keys */
#define V_SHARE 2u  /* share leaves and passthrough values instead of copying */

static uats_code validate(const schema_node *n, const json_t *in, const char *path,
                          json_t **out, uats_error *err, unsigned flags);

static uats_code validate_object(const schema_node *n, const json_t *in,
                                 const char *path, json_t **out, uats_error *err, unsigned flags)
{
    const char *key;
    json_t *value;
    char sub[PATH_MAX_LEN];

    /* Unknown keys first: a misspelt field is the likeliest mistake. */
    json_object_foreach((json_t *)in, key, value) {
        const schema_node *c = n->children;
        while (c->name && strcmp(c->name, key) != 0)
            c++;
        if (!c->name) {
            join_key(sub, path, key);
            return fail_at(err, sub, "unknown field (custom data goes under "
                                     "\"custom_fields\" or \"remote_fields\")");
        }
    }

    json_t *obj = json_object();
    if (!obj)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    for (const schema_node *c = n->children; c->name; c++) {
        const json_t *v = json_object_get(in, c->name);
        if (!v || json_is_null(v)) {
            if ((flags & V_STRICT) && (c->flags & NF_REQUIRED)) {
                json_decref(obj);
                join_key(sub, path, c->name);
                return fail_at(err, sub, "is required");
            }
            continue;
        }
        join_key(sub, path, c->name);
        json_t *copy;
        uats_code rc = validate(c, v, sub, &copy, err, flags);
        if (rc == UATS_OK && json_object_set_new(obj, c->name, copy) != 0)
            rc = uats__err_set(err, UATS_E_NOMEM, "out of memory");
        if (rc != UATS_OK) {
            json_decref(obj);
            return rc;
        }
    }
    if ((flags & V_STRICT) && n->rule) {
        uats_code rc = n->rule(obj, path, err);
        if (rc != UATS_OK) {
            json_decref(obj);
            return rc;
        }
    }
    *out = obj;
    return UATS_OK;
}

static uats_code validate_list(const schema_node *n, const json_t *in,
                               const char *path, json_t **out, uats_error *err, unsigned flags)
{
    char sub[PATH_MAX_LEN];
    json_t *arr = json_array();
    size_t i;
    json_t *v;
    if (!arr)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    json_array_foreach(in, i, v) {
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        if (json_is_null(v)) {
            json_decref(arr);
            return fail_at(err, sub, "null is not allowed in a list");
        }
        json_t *copy;
        uats_code rc = validate(&n->children[0], v, sub, &copy, err, flags);
        if (rc == UATS_OK && json_array_append_new(arr, copy) != 0)
            rc = uats__err_set(err, UATS_E_NOMEM, "out of memory");
        if (rc != UATS_OK) {
            json_decref(arr);
            return rc;
        }
    }
    *out = arr;
    return UATS_OK;
}

static bool type_matches(const schema_node *n, const json_t *in)
{
    switch (n->type) {
    case N_STRING: case N_DATE: case N_DATETIME: case N_ENUM:
    case N_COUNTRY: case N_CURRENCY: case N_BASE64:
        return json_is_string(in);
    case N_BOOL: return json_is_boolean(in);
    case N_INT: return json_is_integer(in);
    case N_NUMBER: return json_is_number(in);
    case N_OBJECT: case N_MAP: return json_is_object(in);
    case N_LIST: return json_is_array(in);
    case N_ANY: return !json_is_null(in);
    case N_UNION: return true;
    }
    return false;
}

/* Whether a passthrough value holds a string with a NUL character, which C
 * readers of json_string_value would silently cut short. */
static bool has_nul(const json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;
    switch (json_typeof(v)) {
    case JSON_STRING:
        return strlen(json_string_value(v)) != json_string_length(v);
    case JSON_ARRAY:
        json_array_foreach(v, i, item)
            if (has_nul(item))
                return true;
        return false;
    case JSON_OBJECT:
        json_object_foreach((json_t *)v, key, item)
            if (has_nul(item))
                return true;
        return false;
    default:
        return false;
    }
}

uats_code uats__validate(const schema_node *n, const json_t *in, const char *path,
                         json_t **out, uats_error *err)
{
    return validate(n, in, path, out, err, V_STRICT);
}

uats_code uats__validate_shared(const schema_node *n, const json_t *in, json_t **out,
                                uats_error *err)
{
    return validate(n, in, "", out, err, V_STRICT | V_SHARE);
}

uats_code uats__canonical(const schema_node *n, const json_t *in, json_t **out)
{
    return validate(n, in, "", out, NULL, 0);
}

static uats_code validate(const schema_node *n, const json_t *in, const char *path,
                          json_t **out, uats_error *err, unsigned flags)
{
    *out = NULL;
    if (!in)
        return fail_at(err, path, "missing value");
    if (!type_matches(n, in))
        return fail_at(err, path, "expected %s, got %s", expected_name(n),
                       json_type_name(in));
    switch (n->type) {
    case N_OBJECT:
        return validate_object(n, in, path, out, err, flags);
    case N_LIST:
        return validate_list(n, in, path, out, err, flags);
    case N_UNION:
        /* Unions have exactly two alternatives (schema.c). */
        for (int i = 0; i < 2; i++)
            if (type_matches(&n->children[i], in))
                return validate(&n->children[i], in, path, out, err, flags);
        return fail_at(err, path, "expected a string%s, got %s",
                       n->children[1].type == N_LIST ? " or an array of strings"
                                                     : " or an object",
                       json_type_name(in));
    case N_MAP:
    case N_ANY:
        if (has_nul(in))
            return fail_at(err, path, "contains a string with a NUL character");
        *out = flags & V_SHARE ? json_incref((json_t *)in) : json_deep_copy(in);
        return *out ? UATS_OK : uats__err_set(err, UATS_E_NOMEM, "out of memory");
    default: {
        uats_code rc = json_is_string(in) ? check_string(n, in, path, err) : UATS_OK;
        if (rc != UATS_OK)
            return rc;
        *out = flags & V_SHARE ? json_incref((json_t *)in) : json_deep_copy(in);
        return *out ? UATS_OK : uats__err_set(err, UATS_E_NOMEM, "out of memory");
    }
    }
}
