/*
 * plugins/greenhouse/greenhouse_emu.h: a stateful emulator of Greenhouse's
 * Harvest API, v1 and v3 side by side on one server, with the OAuth token
 * endpoint of auth.greenhouse.io, on the emulator kit. It follows
 * ../shared/vendor-api/greenhouse.md (v1), greenhouse-v3.md (v3) and
 * docs/vendors/greenhouse.md. Used by uats-sandbox and the tests; never by
 * the connector.
 *
 * Routes (all below the server's root):
 *   POST /token                               client credentials grant (v3)
 *   GET  /v1/candidates                       list: page/per_page, email,
 *                                             candidate_ids; Link next/prev/last
 *   GET  /v1/candidates/:id
 *   POST /v1/candidates                       applications[] required (>= 1)
 *   POST /v1/prospects                        optional single application
 *   POST /v1/candidates/:id/attachments       resume | cover_letter | admin_only
 *   POST /v1/applications/:id/attachments     resume | cover_letter | other | ...
 *   GET  /v3/candidates                       ids, email, per_page, cursor
 *   POST /v3/candidates                       {candidate, application} envelope
 *   GET  /v3/applications                     candidate_ids, ids, per_page, cursor
 *   POST /v3/applications                     {candidate_id, job_id} or prospect
 *   GET  /v3/attachments                      candidate_ids, application_ids,
 *                                             type, per_page, cursor
 *   POST /v3/attachments                      application_id, content | url
 *   GET  /files/:id                           a stored file's bytes (the
 *                                             "signed" attachment URL; no auth)
 */
#ifndef UATS_GREENHOUSE_EMU_H
#define UATS_GREENHOUSE_EMU_H

#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

/* How the token endpoint states a token's lifetime: Greenhouse's own sources
 * disagree (docs/vendors/greenhouse.md §2.1). */
typedef enum greenhouse_emu_expiry {
    GREENHOUSE_EMU_EXPIRES_IN = 0, /* "expires_in": seconds (default) */
    GREENHOUSE_EMU_EXPIRES_AT,     /* "expires_at": ISO 8601 time */
    GREENHOUSE_EMU_EXPIRES_BOTH
} greenhouse_emu_expiry;

typedef struct greenhouse_emu_config {
    const char *api_key;        /* v1: Basic user, empty password; NULL = v1 refuses all */
    const char *client_id;      /* v3: token endpoint Basic credentials; NULL = no v3 */
    const char *client_secret;
    const long long *user_ids;  /* Greenhouse users that exist (On-Behalf-Of, sub); */
    size_t nuser_ids;           /* 0 = the single user 4410087 */
    const long long *job_ids;   /* open jobs; 0 = jobs 4001 and 4002 */
    size_t njob_ids;
    unsigned token_lifetime_s;  /* 0 = 3600 */
    greenhouse_emu_expiry expiry;
    unsigned v1_limit;          /* requests per 10 s window per API key; 0 = none (Greenhouse: 50) */
    unsigned v3_limit;          /* requests per 30 s window per token sub; 0 = none (50) */
    /* v1 "still processing": a create answers only {id, application_ids}
     * and GET /v1/candidates/{id} answers 404 until this many ms have
     * passed since the create; v3: the candidate is missing from
     * GET /v3/candidates?ids= for the same time. 0 = readable at once. */
    unsigned not_ready_ms;
} greenhouse_emu_config;

typedef struct greenhouse_emu greenhouse_emu;

/* Add the routes above to srv. cfg is copied (arrays too). NULL when out of
 * memory. Free with greenhouse_emu_free after emu_stop(srv). */
greenhouse_emu *greenhouse_emu_install(emu_server *srv, const greenhouse_emu_config *cfg);
void greenhouse_emu_free(greenhouse_emu *emu);

/* Invalidate every access token issued so far: the next v3 request with one
 * gets 401 (a revoked or rotated credential). */
void greenhouse_emu_revoke_tokens(greenhouse_emu *emu);

/* What the emulator holds, for tests. */
size_t greenhouse_emu_candidate_count(greenhouse_emu *emu);
size_t greenhouse_emu_application_count(greenhouse_emu *emu);
size_t greenhouse_emu_attachment_count(greenhouse_emu *emu);
size_t greenhouse_emu_tokens_issued(greenhouse_emu *emu);
/* The user id recorded as the actor of the last write (On-Behalf-Of in v1,
 * the token's sub in v3), or 0. */
long long greenhouse_emu_last_actor(greenhouse_emu *emu);
/* A copy of the stored candidate as GET /v1/candidates/{id} renders it
 * (new reference), or NULL. Ignores not_ready_ms. */
json_t *greenhouse_emu_candidate(greenhouse_emu *emu, long long id);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor greenhouse_sandbox;

#endif
