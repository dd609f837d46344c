/*
 * core/object.c: unified model objects and their typed accessors. An object
 * is a kind plus a JSON tree that is always valid for that kind: every
 * write goes through the same schema check as JSON input.
 */
#include <config.h>

#include <string.h>

#include "internal.h"

uats_object *uats__object_wrap(uats_kind kind, json_t *root, bool ordered)
{
    uats_object *obj = uats__malloc(sizeof *obj);
    if (!obj) {
        json_decref(root);
        return NULL;
    }
    obj->kind = kind;
    obj->root = root;
    obj->ordered = ordered;
    return obj;
}

uats_object *uats_object_new(uats_kind kind)
{
    if (!uats__schema_root(kind))
        return NULL;
    json_t *root = json_object();
    return root ? uats__object_wrap(kind, root, true) : NULL;
}

uats_object *uats_object_dup(const uats_object *obj)
{
    if (!obj)
        return NULL;
    json_t *root = json_deep_copy(obj->root);
    return root ? uats__object_wrap(obj->kind, root, obj->ordered) : NULL;
}

void uats_object_free(uats_object *obj)
{
    if (!obj)
        return;
    json_decref(obj->root);
    uats__free_mem(obj);
}

uats_kind uats_object_kind(const uats_object *obj)
{
    return obj ? obj->kind : 0;
}

uats_code uats_object_from_json(uats_kind kind, const json_t *json,
                                uats_object **out, uats_error *err)
{
    const schema_node *root = uats__schema_root(kind);
    json_t *copy;
    uats__err_clear(err);
    if (!out)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "out is NULL");
    *out = NULL;
    if (!root)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "unknown object kind %d",
                             (int)kind);
    uats_code rc = uats__validate(root, json, "", &copy, err);
    if (rc != UATS_OK)
        return rc;
    *out = uats__object_wrap(kind, copy, true);
    return *out ? UATS_OK : uats__err_set(err, UATS_E_NOMEM, "out of memory");
}

uats_code uats_object_from_text(uats_kind kind, const char *text, size_t len,
                                uats_object **out, uats_error *err)
{
    json_error_t jerr;
    uats__err_clear(err);
    if (out)
        *out = NULL;
    if (!text)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "no JSON text given");
    /* JSON_ALLOW_NUL: "\u0000" is valid JSON; the schema check then
     * refuses it naming the field, rather than a parser flag. */
    json_t *doc = uats__json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!doc) {
        if (uats__json_oom(&jerr))
            return uats__err_set(err, UATS_E_NOMEM, "out of memory");
        return uats__err_set(err, UATS_E_INVALID_INPUT,
                             "malformed JSON at line %d, column %d: %s", jerr.line,
                             jerr.column, jerr.text);
    }
    uats_code rc = uats_object_from_json(kind, doc, out, err);
    json_decref(doc);
    return rc;
}

json_t *uats_object_to_json(const uats_object *obj, unsigned flags)
{
    json_t *out;
    if (!obj)
        return NULL;
    if (obj->ordered) {
        /* Already in schema order (read or received, not reordered since):
         * a copy is all it takes, without remote_data unless asked. */
        const char *key;
        json_t *value;
        if (!(out = json_object()))
            return NULL;
        json_object_foreach(obj->root, key, value) {
            if (!(flags & UATS_JSON_REMOTE_DATA) && strcmp(key, "remote_data") == 0)
                continue;
            if (json_object_set_new(out, key, json_deep_copy(value)) != 0) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    /* Rebuilding yields the canonical key order whatever order the setters
     * ran in. Every value was checked when set, and an object still being
     * built may lack required keys, so only memory can make this fail. */
    if (uats__canonical(uats__schema_root(obj->kind), obj->root, &out) != UATS_OK)
        return NULL;
    if (!(flags & UATS_JSON_REMOTE_DATA))
        json_object_del(out, "remote_data");
    return out;
}

char *uats_object_to_text(const uats_object *obj, unsigned flags)
{
    json_t *j = uats_object_to_json(obj, flags);
    if (!j)
        return NULL;
    /* Dump into our own allocation so that uats_free is always the right
     * way to release it, whatever allocator jansson was given. */
    size_t size = json_dumpb(j, NULL, 0, JSON_COMPACT);
    char *text = size ? uats__malloc(size + 1) : NULL;
    if (text) {
        json_dumpb(j, text, size, JSON_COMPACT);
        text[size] = '\0';
    }
    json_decref(j);
    return text;
}

/* ---- locating fields ---- */

typedef struct located {
    const char *path;
    const schema_node *node;
} located;

static bool locate(const uats_object *obj, uats_field field, unsigned type_bits,
                   located *loc)
{
    if (!obj || (field & UATS_FT_MASK) != type_bits)
        return false;
    loc->path = uats_field_path(obj->kind, field);
    if (!loc->path)
        return false;
    loc->node = uats__schema_find(uats__schema_root(obj->kind), loc->path);
    return loc->node != NULL;
}

static uats_code bad_field(const uats_object *obj, uats_field field,
                           const char *accessor, uats_error *err)
{
    if (!obj)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "%s: object is NULL", accessor);
    return uats__err_set(err, UATS_E_INVALID_INPUT,
                         "%s: field 0x%x is not a field of this kind (%d) "
                         "or not of this accessor's type",
                         accessor, (unsigned)field, (int)obj->kind);
}

static json_t *get_at(json_t *root, const char *path)
{
    char seg[64];
    while (root && *path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        if (len >= sizeof seg)
            return NULL;
        memcpy(seg, path, len);
        seg[len] = '\0';
        root = json_object_get(root, seg);
        path = dot ? dot + 1 : path + len;
    }
    return root;
}

/* Store value (taken) at path, creating the objects on the way. */
static uats_code set_at(json_t *root, const char *path, json_t *value,
                        uats_error *err)
{
    char seg[64];
    for (;;) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        memcpy(seg, path, len);
        seg[len] = '\0';
        if (!dot) {
            if (json_object_set_new(root, seg, value) != 0)
                return uats__err_set(err, UATS_E_NOMEM, "out of memory");
            return UATS_OK;
        }
        json_t *next = json_object_get(root, seg);
        if (!next) {
            next = json_object();
            if (!next || json_object_set_new(root, seg, next) != 0) {
                json_decref(value);
                return uats__err_set(err, UATS_E_NOMEM, "out of memory");
            }
        }
        root = next;
        path = dot + 1;
    }
}

/* Remove path, and parents left empty by that (an empty "location" object
 * would otherwise read back as a set field). */
static void unset_at(json_t *root, const char *path)
{
    const char *dot = strchr(path, '.');
    if (!dot) {
        json_object_del(root, path);
        return;
    }
    char seg[64];
    size_t len = (size_t)(dot - path);
    memcpy(seg, path, len);
    seg[len] = '\0';
    json_t *child = json_object_get(root, seg);
    if (!child)
        return;
    unset_at(child, dot + 1);
    if (json_object_size(child) == 0)
        json_object_del(root, seg);
}

/* An error about the value at path: the code, the message, and the field. */
static uats_code value_error(uats_error *err, uats_code code, const char *path,
                             const char *what)
{
    uats__err_set(err, code, "%s: %s", path, what);
    if (err && code == UATS_E_INVALID_INPUT)
        uats__copy_str(err->field, sizeof err->field, path);
    return code;
}

/* A JSON string for value, telling invalid UTF-8 from lack of memory. */
static json_t *new_string(const char *value, uats_code *why)
{
    unsigned long before = uats__alloc_failures();
    json_t *s = json_string(value);
    if (!s)
        *why = uats__alloc_failures() != before ? UATS_E_NOMEM : UATS_E_INVALID_INPUT;
    return s;
}

/* Validate value (taken) against loc and store it. why: the reason value
 * is NULL, if it is. */
static uats_code store(uats_object *obj, const located *loc, json_t *value, uats_code why,
                       uats_error *err)
{
    json_t *copy;
    if (!value)
        return value_error(err, why, loc->path,
                           why == UATS_E_NOMEM ? "out of memory" : "not valid UTF-8");
    uats_code rc = uats__validate(loc->node, value, loc->path, &copy, err);
    json_decref(value);
    if (rc != UATS_OK)
        return rc;
    obj->ordered = false;   /* a new key goes last */
    return set_at(obj->root, loc->path, copy, err);
}

bool uats_has(const uats_object *obj, uats_field field)
{
    located loc;
    return locate(obj, field, field & UATS_FT_MASK, &loc) &&
           get_at(obj->root, loc.path) != NULL;
}

uats_code uats_unset(uats_object *obj, uats_field field)
{
    located loc;
    if (!locate(obj, field, field & UATS_FT_MASK, &loc))
        return bad_field(obj, field, "uats_unset", NULL);
    unset_at(obj->root, loc.path);
    return UATS_OK;
}

/* ---- scalars ---- */

const char *uats_get_string(const uats_object *obj, uats_field field)
{
    located loc;
    if (!locate(obj, field, UATS_FT_STRING, &loc))
        return NULL;
    return json_string_value(get_at(obj->root, loc.path));
}

bool uats_get_bool(const uats_object *obj, uats_field field, bool *out)
{
    located loc;
    json_t *v;
    if (!locate(obj, field, UATS_FT_BOOL, &loc) || !(v = get_at(obj->root, loc.path)))
        return false;
    *out = json_is_true(v);
    return true;
}

bool uats_get_int(const uats_object *obj, uats_field field, int64_t *out)
{
    located loc;
    json_t *v;
    if (!locate(obj, field, UATS_FT_INT, &loc) || !(v = get_at(obj->root, loc.path)))
        return false;
    *out = (int64_t)json_integer_value(v);
    return true;
}

bool uats_get_number(const uats_object *obj, uats_field field, double *out)
{
    located loc;
    json_t *v;
    if (!locate(obj, field, UATS_FT_NUMBER, &loc) ||
        !(v = get_at(obj->root, loc.path)))
        return false;
    *out = json_number_value(v);
    return true;
}

uats_code uats_set_string(uats_object *obj, uats_field field, const char *value,
                          uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, field, UATS_FT_STRING, &loc))
        return bad_field(obj, field, "uats_set_string", err);
    if (!value) {
        unset_at(obj->root, loc.path);
        return UATS_OK;
    }
    uats_code why = UATS_OK;
    json_t *s = new_string(value, &why);
    return store(obj, &loc, s, why, err);
}

uats_code uats_set_bool(uats_object *obj, uats_field field, bool value,
                        uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, field, UATS_FT_BOOL, &loc))
        return bad_field(obj, field, "uats_set_bool", err);
    return store(obj, &loc, json_boolean(value), UATS_E_NOMEM, err);
}

uats_code uats_set_int(uats_object *obj, uats_field field, int64_t value,
                       uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, field, UATS_FT_INT, &loc))
        return bad_field(obj, field, "uats_set_int", err);
    return store(obj, &loc, json_integer((json_int_t)value), UATS_E_NOMEM, err);
}

uats_code uats_set_number(uats_object *obj, uats_field field, double value,
                          uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, field, UATS_FT_NUMBER, &loc))
        return bad_field(obj, field, "uats_set_number", err);
    /* json_real refuses NaN and infinities, which JSON cannot carry. */
    if (value != value || value - value != 0) /* NaN or infinite */
        return value_error(err, UATS_E_INVALID_INPUT, loc.path, "not a finite number");
    return store(obj, &loc, json_real(value), UATS_E_NOMEM, err);
}

uats_code uats_set_data(uats_object *obj, const void *bytes, size_t len,
                        uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, UATS_F_DATA, UATS_FT_STRING, &loc))
        return bad_field(obj, UATS_F_DATA, "uats_set_data", err);
    if (!bytes && len)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "data: bytes is NULL");
    char *b64 = uats__base64_encode(bytes, len);
    if (!b64)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    json_t *v = json_string(b64);
    uats__free_mem(b64);
    if (!v)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    obj->ordered = false;
    if (set_at(obj->root, loc.path, v, err) != UATS_OK)
        return UATS_E_NOMEM;
    unset_at(obj->root, "url");
    return UATS_OK;
}

uats_code uats_get_data(const uats_object *obj, void **bytes, size_t *len,
                        uats_error *err)
{
    const char *b64 = uats_get_string(obj, UATS_F_DATA);
    uats__err_clear(err);
    *bytes = NULL;
    *len = 0;
    if (!b64)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "data: not set");
    *bytes = uats__base64_decode(b64, strlen(b64), len);
    /* The stored string was validated as base64, so only memory can fail. */
    return *bytes ? UATS_OK : uats__err_set(err, UATS_E_NOMEM, "out of memory");
}

/* ---- lists ---- */

static json_t *list_of(const uats_object *obj, uats_field field, located *loc)
{
    unsigned t = field & UATS_FT_MASK;
    if ((t != UATS_FT_STRINGS && t != UATS_FT_TYPED) || !locate(obj, field, t, loc))
        return NULL;
    return get_at(obj->root, loc->path);
}

size_t uats_list_count(const uats_object *obj, uats_field field)
{
    located loc;
    return json_array_size(list_of(obj, field, &loc));
}

const char *uats_list_string(const uats_object *obj, uats_field field, size_t i)
{
    located loc;
    if ((field & UATS_FT_MASK) != UATS_FT_STRINGS)
        return NULL;
    return json_string_value(json_array_get(list_of(obj, field, &loc), i));
}

int uats_list_typed(const uats_object *obj, uats_field field, size_t i,
                    const char **value)
{
    located loc;
    if ((field & UATS_FT_MASK) != UATS_FT_TYPED)
        return -1;
    json_t *entry = json_array_get(list_of(obj, field, &loc), i);
    if (!entry)
        return -1;
    if (value)
        *value = json_string_value(json_object_get(entry, "value"));
    const char *type = json_string_value(json_object_get(entry, "type"));
    return type ? uats_type_by_name(field, type) : 0;
}

static uats_code append(uats_object *obj, const located *loc, json_t *item, uats_code why,
                        uats_error *err)
{
    json_t *copy;
    json_t *arr = get_at(obj->root, loc->path);
    char path[160];
    snprintf(path, sizeof path, "%s[%zu]", loc->path, json_array_size(arr));
    if (!item)
        return value_error(err, why, path,
                           why == UATS_E_NOMEM ? "out of memory" : "not valid UTF-8");
    uats_code rc = uats__validate(&loc->node->children[0], item, path, &copy, err);
    json_decref(item);
    if (rc != UATS_OK)
        return rc;
    if (!arr) {
        arr = json_array();
        if (!arr) {
            json_decref(copy);
            return uats__err_set(err, UATS_E_NOMEM, "out of memory");
        }
        obj->ordered = false;
        if ((rc = set_at(obj->root, loc->path, arr, err)) != UATS_OK) {
            json_decref(copy);
            return rc;
        }
    }
    if (json_array_append_new(arr, copy) != 0)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    return UATS_OK;
}

uats_code uats_list_add_string(uats_object *obj, uats_field field,
                               const char *value, uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, field, UATS_FT_STRINGS, &loc))
        return bad_field(obj, field, "uats_list_add_string", err);
    if (!value)
        return value_error(err, UATS_E_INVALID_INPUT, loc.path, "value is NULL");
    uats_code why = UATS_OK;
    json_t *s = new_string(value, &why);
    return append(obj, &loc, s, why, err);
}

uats_code uats_list_add_typed(uats_object *obj, uats_field field,
                              const char *value, int type, uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, field, UATS_FT_TYPED, &loc))
        return bad_field(obj, field, "uats_list_add_typed", err);
    if (!value)
        return value_error(err, UATS_E_INVALID_INPUT, loc.path, "value is NULL");
    const char *type_name = NULL;
    if (type != 0 && !(type_name = uats_type_name(field, type))) {
        char what[64];
        snprintf(what, sizeof what, "%d is not a type of this list", type);
        return value_error(err, UATS_E_INVALID_INPUT, loc.path, what);
    }
    uats_code why = UATS_OK;
    json_t *v = new_string(value, &why);
    if (!v)
        return value_error(err, why, loc.path,
                           why == UATS_E_NOMEM ? "out of memory" : "value is not valid UTF-8");
    json_t *item = json_object();
    if (!item || json_object_set_new(item, "value", v) != 0 ||
        (type_name && json_object_set_new(item, "type", json_string(type_name)) != 0)) {
        if (!item)
            json_decref(v);
        json_decref(item);
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    }
    return append(obj, &loc, item, UATS_E_NOMEM, err);
}

/* ---- structured ---- */

const json_t *uats_get_json(const uats_object *obj, uats_field field)
{
    located loc;
    if (!locate(obj, field, UATS_FT_JSON, &loc))
        return NULL;
    return get_at(obj->root, loc.path);
}

uats_code uats_set_json(uats_object *obj, uats_field field, const json_t *value,
                        uats_error *err)
{
    located loc;
    uats__err_clear(err);
    if (!locate(obj, field, UATS_FT_JSON, &loc))
        return bad_field(obj, field, "uats_set_json", err);
    if (!value || json_is_null(value)) {
        unset_at(obj->root, loc.path);
        return UATS_OK;
    }
    return store(obj, &loc, json_incref((json_t *)value), UATS_E_NOMEM, err);
}

uats_code uats_add_attachment_input(uats_object *input, uats_object *attachment,
                                    uats_error *err)
{
    located loc;
    uats_code rc;
    uats__err_clear(err);
    if (!attachment || attachment->kind != UATS_KIND_ATTACHMENT_INPUT)
        rc = uats__err_set(err, UATS_E_INVALID_INPUT,
                           "attachments: expected an attachment input object");
    else if (!locate(input, UATS_F_ATTACHMENTS, UATS_FT_JSON, &loc))
        rc = bad_field(input, UATS_F_ATTACHMENTS, "uats_add_attachment_input", err);
    else
        rc = append(input, &loc, json_incref(attachment->root), UATS_E_NOMEM, err);
    uats_object_free(attachment);
    return rc;
}
