/*
 * plugins/workable/workable_emu.h: a stateful emulator of Workable's API v3
 * (docs/vendors/workable.md) on the emulator kit, served under /spi/v3 as
 * if the server were {subdomain}.workable.com. Used by uats-sandbox and the
 * tests; never by the connector.
 */
#ifndef UATS_WORKABLE_EMU_H
#define UATS_WORKABLE_EMU_H

#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

typedef struct workable_emu_config {
    const char *token;      /* accepted as "Authorization: Bearer <token>" */
    const char *subdomain;  /* the account's, shown in candidates ("sandbox") */
    unsigned rate_limit;    /* requests per fixed 10 s interval; 0 = no limit (Workable: 10) */
} workable_emu_config;

typedef struct workable_emu workable_emu;

/* The jobs every emulator starts with: a published one and a closed one. */
#define WORKABLE_EMU_JOB "GROOV001"
#define WORKABLE_EMU_CLOSED_JOB "GROOV002"

/* Add Workable's routes under /spi/v3 to srv. cfg is copied. NULL when out
 * of memory. Free with workable_emu_free after emu_stop(srv). */
workable_emu *workable_emu_install(emu_server *srv, const workable_emu_config *cfg);
void workable_emu_free(workable_emu *emu);

/* What the emulator holds, for tests. */
size_t workable_emu_candidate_count(workable_emu *emu);
/* A copy of the stored candidate as GET shows it (new), or NULL. */
json_t *workable_emu_candidate(workable_emu *emu, const char *id);
/* The body of the last create request (new), or NULL. */
json_t *workable_emu_last_create(workable_emu *emu);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor workable_sandbox;

#endif
