/*
 * plugins/teamtailor/teamtailor_emu.h: a stateful emulator of Teamtailor's
 * public API v1 on the emulator kit, following docs/vendors/teamtailor.md
 * (JSON:API documents, "Authorization: Token token=<key>", the required
 * X-Api-Version, X-Rate-Limit-* headers). Used by uats-sandbox and the
 * tests; never by the connector.
 *
 * Routes (below the server's root):
 *   POST /v1/candidates                       email unique (merge), or sourced
 *   GET  /v1/candidates/:id
 *   GET  /v1/candidates/:id/job-applications  page[size] (<= 30), page[number]
 *   GET  /v1/candidates/:id/uploads           same paging, links.next
 *   POST /v1/job-applications                 relationships candidate, job
 *   POST /v1/uploads                          attributes url, file-name;
 *                                             relationship candidate
 */
#ifndef UATS_TEAMTAILOR_EMU_H
#define UATS_TEAMTAILOR_EMU_H

#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

typedef struct teamtailor_emu_config {
    const char *api_key;          /* accepted as "Authorization: Token token=<key>" */
    const char *const *job_ids;   /* open jobs; NULL = "4711" and "4712" */
    size_t njob_ids;
    unsigned limit;               /* requests per window per key; 0 = none enforced */
    unsigned window_s;            /* the window; 0 = 10 s */
} teamtailor_emu_config;

typedef struct teamtailor_emu teamtailor_emu;

/* Add the routes above to srv. cfg is copied. NULL when out of memory.
 * Free with teamtailor_emu_free after emu_stop(srv). */
teamtailor_emu *teamtailor_emu_install(emu_server *srv, const teamtailor_emu_config *cfg);
void teamtailor_emu_free(teamtailor_emu *emu);

/* What the emulator holds, for tests. */
size_t teamtailor_emu_candidate_count(teamtailor_emu *emu);
size_t teamtailor_emu_application_count(teamtailor_emu *emu);
size_t teamtailor_emu_upload_count(teamtailor_emu *emu);
/* A copy of the stored candidate as GET renders its "data" (new), or NULL. */
json_t *teamtailor_emu_candidate(teamtailor_emu *emu, const char *id);
/* A copy of the stored upload's resource object (new), or NULL. */
json_t *teamtailor_emu_upload(teamtailor_emu *emu, const char *id);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor teamtailor_sandbox;

#endif
