/*
 * tests/fakehost.h: a stand-in services table for connector code compiled
 * into tests and fuzzers (tests/fakehost.c). Set uats_host = &fake_host.
 */
#ifndef UATS_FAKEHOST_H
#define UATS_FAKEHOST_H

#include <uats/connector.h>

extern const uats_host_api fake_host;
extern json_t *fake_warnings;   /* field -> message, when set to an object */
extern uats_code fake_failure;  /* the last code passed to fail or fail_field */
extern char fake_field[128];    /* the field named by the last fail_field */

#endif
