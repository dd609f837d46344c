/*
 * core/warnings.c: the list of input fields a connector could not store.
 */
#include <config.h>

#include "internal.h"

typedef struct warning {
    char *field;
    char *message;
} warning;

struct uats_warnings {
    warning *items;
    size_t count;
    size_t cap;
    pthread_mutex_t lock; /* a hook may warn from helper threads it starts */
};

uats_warnings *uats__warnings_new(void)
{
    uats_warnings *w = uats__calloc(1, sizeof *w);
    if (w)
        pthread_mutex_init(&w->lock, NULL);
    return w;
}

uats_code uats__warnings_add(uats_warnings *w, const char *field, const char *msg)
{
    uats_code rc = UATS_OK;
    pthread_mutex_lock(&w->lock);
    if (w->count == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        warning *items = uats__realloc(w->items, cap * sizeof *items);
        if (!items) {
            rc = UATS_E_NOMEM;
            goto out;
        }
        w->items = items;
        w->cap = cap;
    }
    warning *it = &w->items[w->count];
    it->field = uats__strdup(field ? field : "");
    it->message = uats__strdup(msg ? msg : "");
    if (!it->field || !it->message) {
        uats__free_mem(it->field);
        uats__free_mem(it->message);
        rc = UATS_E_NOMEM;
        goto out;
    }
    w->count++;
out:
    pthread_mutex_unlock(&w->lock);
    return rc;
}

size_t uats_warnings_count(const uats_warnings *w)
{
    return w ? w->count : 0;
}

const char *uats_warning_field(const uats_warnings *w, size_t i)
{
    return w && i < w->count ? w->items[i].field : NULL;
}

const char *uats_warning_message(const uats_warnings *w, size_t i)
{
    return w && i < w->count ? w->items[i].message : NULL;
}

json_t *uats_warnings_to_json(const uats_warnings *w)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && w && i < w->count; i++) {
        json_t *item = json_pack("{s:s, s:s}", "field", w->items[i].field,
                                 "message", w->items[i].message);
        if (!item || json_array_append_new(arr, item) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

void uats_warnings_free(uats_warnings *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++) {
        uats__free_mem(w->items[i].field);
        uats__free_mem(w->items[i].message);
    }
    uats__free_mem(w->items);
    pthread_mutex_destroy(&w->lock);
    uats__free_mem(w);
}
