/*
 * tools/uatsd/seed_map.c: translation helpers shared by the routes that
 * speak the hosted APIs' shapes (routes_panora.c, routes_truto.c).
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "seed_map.h"

/* ---- paths ------------------------------------------------------------ */

/* Whether pattern matches the start of path; the indexes "[]" stood for go
 * to idx (up to max), their count to *n, and *rest to what follows. */
static bool path_match(const char *pattern, const char *path, const char **idx, size_t *len,
                       size_t max, size_t *n, const char **rest)
{
    *n = 0;
    while (*pattern) {
        if (pattern[0] == '[' && pattern[1] == ']') {
            if (*path != '[' || !isdigit((unsigned char)path[1]))
                return false;
            const char *start = ++path;
            while (isdigit((unsigned char)*path))
                path++;
            if (*path != ']' || *n == max)
                return false;
            idx[*n] = start;
            len[(*n)++] = (size_t)(path - start);
            path++;
            pattern += 2;
            continue;
        }
        if (*pattern++ != *path++)
            return false;
    }
    if (*path && *path != '.' && *path != '[')
        return false;
    *rest = path;
    return true;
}

void seed_path(const seed_rename *table, const char *unified_path, char *out, size_t size)
{
    enum { MAX_IDX = 4 };
    const char *idx[MAX_IDX], *rest = NULL;
    size_t len[MAX_IDX], n = 0;
    const seed_rename *hit = NULL;
    for (const seed_rename *t = table; t && t->unified; t++)
        if (path_match(t->unified, unified_path, idx, len, MAX_IDX, &n, &rest)) {
            hit = t;
            break;
        }
    if (!hit) {
        snprintf(out, size, "%s", unified_path);
        return;
    }
    /* Write the API's pattern, its "[]" filled with the indexes in order,
     * then the rest of the path. Each piece is cut to what still fits. */
    size_t o = 0, k = 0;
    out[0] = '\0';
    for (const char *p = hit->api; *p && o + 1 < size; p++) {
        if (p[0] == '[' && p[1] == ']' && k < n) {
            snprintf(out + o, size - o, "[%.*s]", (int)len[k], idx[k]);
            o += strlen(out + o);
            k++;
            p++;
            continue;
        }
        out[o++] = *p;
        out[o] = '\0';
    }
    snprintf(out + o, size - o, "%s", rest);
}

/* ---- the translation ---------------------------------------------------- */

int seed_tx_init(seed_tx *tx)
{
    memset(tx, 0, sizeof *tx);
    tx->unified = json_object();
    tx->warnings = json_array();
    if (!tx->unified || !tx->warnings) {
        seed_nomem(tx);
        return -1;
    }
    return 0;
}

void seed_tx_clear(seed_tx *tx)
{
    json_decref(tx->unified);
    json_decref(tx->warnings);
    tx->unified = tx->warnings = NULL;
}

bool seed_nomem(seed_tx *tx)
{
    if (tx->status == 0) {
        tx->status = 503;
        snprintf(tx->why, sizeof tx->why, "out of memory");
    }
    return false;
}

bool seed_refuse(seed_tx *tx, const char *fmt, ...)
{
    if (tx->status != 0)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tx->why, sizeof tx->why, fmt, ap);
    va_end(ap);
    tx->status = 400;
    return false;
}

bool seed_warn(seed_tx *tx, const char *field, const char *fmt, ...)
{
    if (tx->status != 0)
        return false;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *w = json_pack("{s:s, s:s}", "field", field, "message", msg);
    if (!w || json_array_append_new(tx->warnings, w) != 0)
        return seed_nomem(tx);
    return true;
}

bool seed_set(seed_tx *tx, json_t *obj, const char *key, json_t *value)
{
    if (!value)
        return seed_nomem(tx);
    if (json_object_set_new(obj ? obj : tx->unified, key, value) != 0)
        return seed_nomem(tx);
    return tx->status == 0;
}

bool seed_copy(seed_tx *tx, const json_t *src, const char *src_key, json_t *dst,
               const char *dst_key)
{
    json_t *v = json_object_get(src, src_key);
    if (!v || json_is_null(v))
        return tx->status == 0;
    return seed_set(tx, dst, dst_key, json_incref(v));
}

const char *seed_known_type(uats_field field, const char *word)
{
    char up[40];
    size_t n = strlen(word);
    if (n == 0 || n >= sizeof up)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)word[i]);
    int type = uats_type_by_name(field, up);
    return type > 0 ? uats_type_name(field, type) : NULL;
}

/* One entry of an API's typed list, as a unified {value, type} entry. */
static bool typed_entry(seed_tx *tx, const json_t *item, const char *path,
                        const char *value_key, const char *type_key, uats_field field,
                        json_t *entry)
{
    if (!seed_copy(tx, item, value_key, entry, "value"))
        return false;
    const json_t *t = json_object_get(item, type_key);
    if (json_is_string(t)) {
        const char *name = seed_known_type(field, json_string_value(t));
        if (name)
            return seed_set(tx, entry, "type", json_string(name));
        char tpath[160];
        snprintf(tpath, sizeof tpath, "%s.%s", path, type_key);
        return seed_warn(tx, tpath, "\"%.40s\" is not a type uats knows; the %s is kept "
                         "without a type", json_string_value(t), value_key);
    }
    /* Anything else but null: the schema check names the field. */
    if (!seed_copy(tx, item, type_key, entry, "type"))
        return false;
    const char *const known[] = {value_key, type_key, NULL};
    return seed_warn_unknown(tx, item, known, path, "uats has no place for it");
}

bool seed_typed_in(seed_tx *tx, const json_t *src, const char *src_key, const char *value_key,
                   const char *type_key, uats_field field, const char *dst_key,
                   bool strings_ok)
{
    json_t *list = json_object_get(src, src_key);
    if (!list || json_is_null(list))
        return tx->status == 0;
    if (!json_is_array(list))
        return seed_refuse(tx, "%s: is not an array", src_key);
    json_t *dst = json_array();
    if (!seed_set(tx, NULL, dst_key, dst))
        return false;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        char path[128];
        snprintf(path, sizeof path, "%s[%zu]", src_key, i);
        json_t *entry = json_object();
        if (!entry || json_array_append_new(dst, entry) != 0)
            return seed_nomem(tx);
        if (strings_ok && json_is_string(item)) {
            if (!seed_set(tx, entry, "value", json_incref(item)))
                return false;
            continue;
        }
        if (!json_is_object(item))
            return seed_refuse(tx, "%s: is not an object", path);
        if (!typed_entry(tx, item, path, value_key, type_key, field, entry))
            return false;
    }
    return true;
}

json_t *seed_typed_out(const json_t *list, const char *value_key, const char *type_key,
                       bool lower)
{
    json_t *arr = json_array();
    size_t i;
    json_t *entry;
    json_array_foreach((json_t *)list, i, entry) {
        const char *type = json_string_value(json_object_get(entry, "type"));
        json_t *t = json_null();
        if (type) {
            char word[40];
            snprintf(word, sizeof word, "%s", type);
            for (char *c = word; lower && *c; c++)
                *c = (char)tolower((unsigned char)*c);
            t = json_string(word);
        }
        json_t *value = json_object_get(entry, "value");
        json_t *o = json_pack("{s:O?, s:o?}", value_key, value, type_key, t);
        if (!arr || !o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

bool seed_warn_unknown(seed_tx *tx, const json_t *src, const char *const known[],
                       const char *prefix, const char *why)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)src, key, v) {
        bool found = false;
        for (size_t k = 0; known[k] && !found; k++)
            found = strcmp(known[k], key) == 0;
        if (found)
            continue;
        char path[160];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (!seed_warn(tx, path, "%s", why))
            return false;
    }
    return tx->status == 0;
}

/* The last path segment of url (without query or fragment), else
 * "attachment". New string or NULL. */
static char *file_name_from_url(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t end = strcspn(p, "?#");
    const char *slash = NULL;
    for (const char *c = p; c < p + end; c++)
        if (*c == '/')
            slash = c;
    /* No path after the host, or a path ending in '/': no name to take. */
    if (!slash || slash + 1 == p + end)
        return strdup("attachment");
    return strndup(slash + 1, (size_t)(p + end - slash - 1));
}

bool seed_file_name_in(seed_tx *tx, const json_t *item, const char *url, json_t *entry)
{
    json_t *name = json_object_get(item, "file_name");
    if ((name && !json_is_null(name)) || !url)
        return seed_copy(tx, item, "file_name", entry, "file_name");
    char *derived = file_name_from_url(url);
    bool ok = derived && seed_set(tx, entry, "file_name", json_string(derived));
    free(derived);
    return ok || seed_nomem(tx);
}

/* ---- core calls and their failures -------------------------------------- */

/* Fail out with a core error, the input field named in the API's words. */
static void fail_core(gw_req *r, gw_resp *out, uats_error *err, const seed_rename *table)
{
    if (err->field[0] && table) {
        char api[sizeof err->field], text[sizeof err->text];
        size_t flen = strlen(err->field);
        seed_path(table, err->field, api, sizeof api);
        /* The core's text starts with the field's path: rename it there too. */
        if (strncmp(err->text, err->field, flen) == 0 && err->text[flen] == ':') {
            snprintf(text, sizeof text, "%s%s", api, err->text + flen);
            snprintf(err->text, sizeof err->text, "%s", text);
        }
        snprintf(err->field, sizeof err->field, "%s", api);
    }
    gw_fail(r, out, 0, NULL, err->text, err);
}

/* Append the connector's warnings (fields renamed) to tx->warnings. */
static bool append_warnings(seed_tx *tx, const uats_warnings *w, const seed_rename *table)
{
    for (size_t i = 0; i < uats_warnings_count(w); i++) {
        char api[160];
        seed_path(table, uats_warning_field(w, i), api, sizeof api);
        if (!seed_warn(tx, api, "%s", uats_warning_message(w, i)))
            return false;
    }
    return true;
}

uats_object *seed_create(gw_req *r, gw_resp *out, gw_link *l, seed_tx *tx, uats_code *code,
                         const seed_rename *table)
{
    uats_error err;
    uats_object *input = NULL, *cand = NULL;
    uats_warnings *w = NULL;
    uats_code rc = uats_object_from_json(UATS_KIND_CANDIDATE_INPUT, tx->unified, &input, &err);
    if (rc == UATS_OK)
        rc = uats_candidate_create(gw_link_conn(l), input, &cand, &w, &err);
    *code = rc;
    uats_object_free(input);
    if (rc != UATS_OK) {
        fail_core(r, out, &err, table);
        return NULL;
    }
    bool ok = append_warnings(tx, w, table);
    uats_warnings_free(w);
    if (!ok) {
        /* The candidate exists: say so rather than hide it behind a 503. */
        gw_fail(r, out, 503, "NOMEM", "the candidate was created but the answer could not be "
                "built (out of memory)", NULL);
        uats_object_free(cand);
        return NULL;
    }
    return cand;
}

uats_object *seed_get(gw_req *r, gw_resp *out, gw_link *l, const char *id)
{
    uats_error err;
    uats_object *cand = NULL;
    if (uats_candidate_get(gw_link_conn(l), id, &cand, &err) != UATS_OK) {
        fail_core(r, out, &err, NULL);
        return NULL;
    }
    return cand;
}

void seed_fail(gw_req *r, gw_resp *out, const seed_tx *tx)
{
    if (tx->status == 400)
        gw_fail(r, out, 400, "INVALID_INPUT", tx->why, NULL);
    else
        gw_fail(r, out, 503, "NOMEM", tx->why[0] ? tx->why : "out of memory", NULL);
}

void seed_answer(gw_req *r, gw_resp *out, int status, json_t *body, const json_t *warnings)
{
    if (body && json_array_size(warnings) > 0 &&
        json_object_set(body, "warnings", (json_t *)warnings) != 0) {
        json_decref(body);
        body = NULL;
    }
    if (!body) {
        gw_fail(r, out, 503, "NOMEM", status == 201 ? "the candidate was created but the "
                "answer could not be built (out of memory)" : "out of memory", NULL);
        return;
    }
    out->status = status;
    out->body = body;
}

void seed_error_text(const char *message, const uats_error *err, char *out, size_t size)
{
    if (!message || !*message)
        message = err && err->text[0] ? err->text : "request failed";
    if (err && err->vendor_message[0] && !strstr(message, err->vendor_message))
        snprintf(out, size, "%s (%s said: %s)", message,
                 err->connector[0] ? err->connector : "the vendor", err->vendor_message);
    else
        snprintf(out, size, "%s", message);
}

const char *seed_code(const char *code)
{
    if (!code)
        return "ERROR";
    return strncmp(code, "UATS_E_", 7) == 0 ? code + 7 : code;
}

void seed_now_iso(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}
