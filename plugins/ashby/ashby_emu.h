/*
 * plugins/ashby/ashby_emu.h: a stateful emulator of Ashby's public API as
 * docs/vendors/ashby.md describes it, on the emulator kit. Used by
 * uats-sandbox and the tests; never by the connector.
 *
 * Routes (all POST, below the server's root, like https://api.ashbyhq.com):
 *   /candidate.create         JSON; name required
 *   /candidate.info           JSON {id}
 *   /candidate.list           JSON {limit, cursor}: nextCursor, moreDataAvailable
 *   /candidate.uploadResume   multipart {candidateId, resume}
 *   /candidate.uploadFile     multipart {candidateId, file}
 *   /application.create       JSON {candidateId, jobId, interviewStageId}
 *   /job.list                 JSON {limit, cursor}
 *   /_files/:id               a stored file's bytes (GET, no auth)
 * Answers: {"success": true, "results": ...}; refusals HTTP 200 with
 * {"success": false, "errors": [code], "errorInfo": {code, message,
 * requestId}}; no key 401, a wrong key 403, a key without write permission
 * 403 missing_endpoint_permission; over the rate 429 with Retry-After.
 */
#ifndef UATS_ASHBY_EMU_H
#define UATS_ASHBY_EMU_H

#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

typedef struct ashby_emu_config {
    const char *api_key;       /* full access: the Basic user, empty password */
    const char *read_only_key; /* a key with read permissions only, or NULL */
    double rate_per_sec;       /* token bucket per key; 0 = no limit */
    unsigned burst;            /* bucket size */
} ashby_emu_config;

typedef struct ashby_emu ashby_emu;

/* The open jobs every emulator has (ids). */
#define ASHBY_EMU_JOB "2c6991c5-c9e2-4af8-879e-29c5a9d26509"
#define ASHBY_EMU_JOB_2 "7b1e0d3a-5f4c-4e2b-9a18-3c6d5e4f7a80"

/* Add the routes above to srv. cfg is copied. NULL when out of memory.
 * Free with ashby_emu_free after emu_stop(srv). */
ashby_emu *ashby_emu_install(emu_server *srv, const ashby_emu_config *cfg);
void ashby_emu_free(ashby_emu *emu);

/* What the emulator holds, for tests. */
size_t ashby_emu_candidate_count(ashby_emu *emu);
size_t ashby_emu_application_count(ashby_emu *emu);
size_t ashby_emu_file_count(ashby_emu *emu);
/* Requests refused with 429 so far. */
size_t ashby_emu_throttled(ashby_emu *emu);
/* A copy of the stored candidate as candidate.info renders it (new), or NULL. */
json_t *ashby_emu_candidate(ashby_emu *emu, const char *id);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor ashby_sandbox;

#endif
