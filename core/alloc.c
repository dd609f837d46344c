/*
 * core/alloc.c: the one place libuats allocates memory. Keeping every
 * allocation behind these wrappers lets a test build fail the Nth one
 * (the allocation-failure sweep) without touching the callers.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *uats__malloc(size_t n)
{
    return malloc(n ? n : 1);
}

void *uats__calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

void *uats__realloc(void *p, size_t n)
{
    return realloc(p, n ? n : 1);
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
    free(p);
}

void uats_free(void *ptr)
{
    uats__free_mem(ptr);
}
