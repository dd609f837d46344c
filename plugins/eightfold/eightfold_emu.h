/*
 * plugins/eightfold/eightfold_emu.h: a stateful emulator of Eightfold's ATS
 * Candidate API v2 (docs/vendors/eightfold.md) on the emulator kit, served
 * at the server's root as if it were https://apiv2.eightfold.ai: the token
 * endpoint, ATS candidates under /api/v2/core/ats-systems/{systemId}, and
 * the transactions every write answers with. Used by uats-sandbox and the
 * tests; never by the connector.
 */
#ifndef UATS_EIGHTFOLD_EMU_H
#define UATS_EIGHTFOLD_EMU_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

typedef struct eightfold_emu_config {
    const char *client_id, *client_secret; /* the Basic pair of the token call */
    const char *username, *password;       /* the API user's e-mail and API key */
    const char *system_id;   /* the one ATS system the user may use; others get 403 */
    unsigned token_lifetime; /* seconds; 0 = 8640, Eightfold's */
    unsigned txn_delay_ms;   /* how long a write stays IN PROGRESS (0: passes at once) */
    bool duplicate_fails;    /* a create of an existing candidateId FAILs (default: upsert) */
    unsigned rate_limit;     /* requests per fixed 1 s interval, then 429; 0 = none */
} eightfold_emu_config;

typedef struct eightfold_emu eightfold_emu;

/* The position the sandbox announces (eightfold.job). Eightfold mirrors the
 * ATS's jobs and, as far as documented, does not check atsJobId. */
#define EIGHTFOLD_EMU_JOB "job-3307"

/* Add Eightfold's routes to srv. cfg is copied. NULL when out of memory.
 * Free with eightfold_emu_free after emu_stop(srv). */
eightfold_emu *eightfold_emu_install(emu_server *srv, const eightfold_emu_config *cfg);
void eightfold_emu_free(eightfold_emu *emu);

/* Forget every token issued (as an administrator revoking the key would). */
void eightfold_emu_revoke_tokens(eightfold_emu *emu);
/* Change how long later writes stay IN PROGRESS. */
void eightfold_emu_set_delay(eightfold_emu *emu, unsigned txn_delay_ms);
/* Make the next write's transaction FAIL whatever its body. */
void eightfold_emu_fail_next(eightfold_emu *emu);
/* Tokens issued so far. */
unsigned eightfold_emu_tokens_issued(eightfold_emu *emu);
/* The last token request's body as received, and whether it was JSON. */
char *eightfold_emu_last_token_body(eightfold_emu *emu, bool *json);

/* What the emulator holds, for tests. */
size_t eightfold_emu_candidate_count(eightfold_emu *emu);
/* A copy of the stored candidate (new), or NULL. */
json_t *eightfold_emu_candidate(eightfold_emu *emu, const char *candidate_id);
/* The body of the last write (POST, PUT or PATCH) (new), or NULL. */
json_t *eightfold_emu_last_write(eightfold_emu *emu);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor eightfold_sandbox;

#endif
