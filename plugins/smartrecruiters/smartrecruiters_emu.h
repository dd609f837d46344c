/*
 * plugins/smartrecruiters/smartrecruiters_emu.h: a stateful emulator of
 * SmartRecruiters' Customer API (candidates and their attachments), on the
 * emulator kit, following docs/vendors/smartrecruiters.md. Used by
 * uats-sandbox and the tests; never by the connector.
 *
 * Routes (below the server's root, as below https://api.smartrecruiters.com):
 *   POST /candidates                          create, Talent Pool
 *   POST /jobs/:job/candidates                create, assigned to a job
 *   GET  /candidates/:id
 *   GET  /candidates/:id/attachments          {totalFound, content}
 *   POST /candidates/:id/attachments          multipart: attachmentType, file
 *   GET  /candidates/:id/attachments/:att     the file's bytes
 * Every route wants the X-SmartToken header; every answer carries
 * X-RateLimit-Limit and X-RateLimit-Remaining.
 */
#ifndef UATS_SMARTRECRUITERS_EMU_H
#define UATS_SMARTRECRUITERS_EMU_H

#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

typedef struct smartrecruiters_emu_config {
    const char *api_key;            /* the X-SmartToken accepted */
    unsigned rate_limit;            /* requests in any 1 s per key; 0 = none (SmartRecruiters: 10) */
    const char *const *job_ids;     /* open jobs; NULL = the two of SMARTRECRUITERS_EMU_JOB */
    size_t njob_ids;
} smartrecruiters_emu_config;

/* The first of the default jobs (the sandbox's .job). */
#define SMARTRECRUITERS_EMU_JOB "7c1e2f8a-0d4b-4c3e-9a51-2b6f0e8d4a10"

typedef struct smartrecruiters_emu smartrecruiters_emu;

/* Add the routes above to srv. cfg is copied. NULL when out of memory.
 * Free with smartrecruiters_emu_free after emu_stop(srv). */
smartrecruiters_emu *smartrecruiters_emu_install(emu_server *srv,
                                                 const smartrecruiters_emu_config *cfg);
void smartrecruiters_emu_free(smartrecruiters_emu *emu);

/* What the emulator holds, for tests. */
size_t smartrecruiters_emu_candidate_count(smartrecruiters_emu *emu);
size_t smartrecruiters_emu_attachment_count(smartrecruiters_emu *emu);
/* Requests refused with 429 so far. */
size_t smartrecruiters_emu_throttled(smartrecruiters_emu *emu);
/* A copy of the stored candidate as GET shows it (new), or NULL. */
json_t *smartrecruiters_emu_candidate(smartrecruiters_emu *emu, const char *id);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor smartrecruiters_sandbox;

#endif
