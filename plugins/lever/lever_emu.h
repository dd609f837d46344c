/*
 * plugins/lever/lever_emu.h: a stateful emulator of Lever's Data API v1
 * (plugins/lever/README.md, from ../shared/vendor-api/lever.md), on the
 * emulator kit. Used by uats-sandbox and the tests; never by the connector.
 */
#ifndef UATS_LEVER_EMU_H
#define UATS_LEVER_EMU_H

#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

typedef struct lever_emu_config {
    const char *api_key;      /* accepted as the Basic user with an empty password */
    const char *bearer_token; /* accepted as "Authorization: Bearer" (OAuth), or NULL */
    double rate_per_sec;      /* token bucket per credential; 0 = no limit (Lever: 10) */
    unsigned burst;           /* bucket size (Lever: 20) */
} lever_emu_config;

typedef struct lever_emu lever_emu;

/* Add Lever's routes under /v1 to srv. cfg is copied. NULL when out of
 * memory. Free with lever_emu_free after emu_stop(srv). */
lever_emu *lever_emu_install(emu_server *srv, const lever_emu_config *cfg);
void lever_emu_free(lever_emu *emu);

/* What the emulator holds, for tests. */
size_t lever_emu_opportunity_count(lever_emu *emu);
size_t lever_emu_contact_count(lever_emu *emu);
/* A copy of the stored opportunity as GET would render it (new), or NULL. */
json_t *lever_emu_opportunity(lever_emu *emu, const char *id);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor lever_sandbox;

#endif
