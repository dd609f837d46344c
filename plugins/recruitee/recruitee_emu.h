/*
 * plugins/recruitee/recruitee_emu.h: a stateful emulator of Recruitee's ATS
 * API as docs/vendors/recruitee.md describes it, on the emulator kit. Used
 * by uats-sandbox and the tests; never by the connector.
 */
#ifndef UATS_RECRUITEE_EMU_H
#define UATS_RECRUITEE_EMU_H

#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

/* The offer (job) every emulator starts with, published. */
#define RECRUITEE_EMU_OFFER "1001"

typedef struct recruitee_emu_config {
    const char *token;      /* the personal API token accepted as Bearer */
    const char *company_id; /* the company served under /c/{company_id} */
    double rate_per_sec;    /* token bucket per server; 0 = no limit */
    unsigned burst;         /* bucket size */
} recruitee_emu_config;

typedef struct recruitee_emu recruitee_emu;

/* Add Recruitee's routes under /c/{company_id} to srv. cfg is copied. NULL
 * when out of memory. Free with recruitee_emu_free after emu_stop(srv). */
recruitee_emu *recruitee_emu_install(emu_server *srv, const recruitee_emu_config *cfg);
void recruitee_emu_free(recruitee_emu *emu);

/* What the emulator holds, for tests. */
size_t recruitee_emu_candidate_count(recruitee_emu *emu);
size_t recruitee_emu_attachment_count(recruitee_emu *emu);
/* A copy of the stored candidate as GET renders it (new), or NULL. */
json_t *recruitee_emu_candidate(recruitee_emu *emu, const char *id);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor recruitee_sandbox;

#endif
