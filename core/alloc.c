/*
 * core/alloc.c: the one place libuats allocates memory. Every allocation
 * goes through the functions a host may set with uats_set_alloc_funcs (the
 * C library's by default), which jansson then uses too, so that a test can
 * fail the Nth allocation anywhere along an operation (tests/check_alloc.c).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void *(*do_malloc)(size_t) = malloc;
static void *(*do_realloc)(void *, size_t) = realloc;
static void (*do_free)(void *) = free;

/* Allocation failures on this thread, by the core, connectors' host->alloc
 * and jansson. jansson 2.14 carries on after some of them (a token silently
 * cut short while parsing), and connectors rarely check every
 * json_object_set; so an operation or a parse that met one is reported as
 * out of memory whatever else it returned. */
static __thread unsigned long failures;

static void *counted(void *p)
{
    if (!p)
        failures++;
    return p;
}

static void *jansson_malloc(size_t n)
{
    return counted(do_malloc(n));
}

static void jansson_free(void *p)
{
    do_free(p);
}

static pthread_once_t jansson_once = PTHREAD_ONCE_INIT;

static void hook_jansson(void)
{
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    /* Only if nobody else set jansson's allocator (we keep theirs). */
    if (m == malloc && f == free)
        json_set_alloc_funcs(jansson_malloc, jansson_free);
}

unsigned long uats__alloc_failures(void)
{
    pthread_once(&jansson_once, hook_jansson);
    return failures;
}

uats_code uats_set_alloc_funcs(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                               void (*free_fn)(void *))
{
    if (!malloc_fn || !realloc_fn || !free_fn)
        return UATS_E_INVALID_INPUT;
    do_malloc = malloc_fn;
    do_realloc = realloc_fn;
    do_free = free_fn;
    /* uats objects are jansson values freed on both sides of the connector
     * boundary: jansson must use the same allocator (through the counting
     * wrappers above). */
    pthread_once(&jansson_once, hook_jansson);
    json_set_alloc_funcs(jansson_malloc, jansson_free);
    return UATS_OK;
}

void *uats__malloc(size_t n)
{
    return counted(do_malloc(n ? n : 1));
}

void *uats__calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t total = n * size;
    void *p = counted(do_malloc(total ? total : 1));
    if (p)
        memset(p, 0, total ? total : 1);
    return p;
}

void *uats__realloc(void *p, size_t n)
{
    return counted(do_realloc(p, n ? n : 1));
}

char *uats__strndup(const char *s, size_t n)
{
    char *copy = uats__malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

char *uats__strdup(const char *s)
{
    return s ? uats__strndup(s, strlen(s)) : NULL;
}

void uats__free_mem(void *p)
{
    do_free(p);
}

void uats_free(void *ptr)
{
    uats__free_mem(ptr);
}
