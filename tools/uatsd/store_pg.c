/* tools/uatsd/store_pg.c: placeholder until the PostgreSQL back end lands. */
#include <config.h>

#include <stdio.h>

#include "store.h"

static int pg_open(const char *url, void **state, char *why)
{
    (void)url;
    (void)state;
    snprintf(why, STORE_WHY, "PostgreSQL store: not built yet");
    return -1;
}

const store_ops store_postgresql_ops = {"postgresql", pg_open, 0, 0, 0, 0, 0, 0, 0, 0, 0};
