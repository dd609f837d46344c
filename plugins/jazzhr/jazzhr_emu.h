/*
 * plugins/jazzhr/jazzhr_emu.h: a stateful emulator of JazzHR's API v1
 * (applicants and files) as docs/vendors/jazzhr.md describes it, on the
 * emulator kit. Used by uats-sandbox and the tests; never by the connector.
 */
#ifndef UATS_JAZZHR_EMU_H
#define UATS_JAZZHR_EMU_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "emu.h"
#include "sandbox.h"

/* The job every emulator has open, for creates that apply to a job. */
#define JAZZHR_EMU_JOB "job_20260105090000_QJ8ZK2M4W6Y8A1C3"

typedef struct jazzhr_emu_config {
    const char *api_key;       /* accepted as ?apikey= and, on POSTs, as "apikey" in the body */
    unsigned per_minute;       /* requests a minute per key (JazzHR: 80); 0 = no limit */
    unsigned burst;            /* bucket size; 0 = per_minute */
    bool file_answer_without_id; /* answer POST /files with {"status": ...} and no id */
} jazzhr_emu_config;

typedef struct jazzhr_emu jazzhr_emu;

/* Add JazzHR's routes under /v1 to srv. cfg is copied. NULL when out of
 * memory. Free with jazzhr_emu_free after emu_stop(srv). */
jazzhr_emu *jazzhr_emu_install(emu_server *srv, const jazzhr_emu_config *cfg);
void jazzhr_emu_free(jazzhr_emu *emu);

/* What the emulator holds, for tests. */
size_t jazzhr_emu_applicant_count(jazzhr_emu *emu);
size_t jazzhr_emu_file_count(jazzhr_emu *emu);
/* A copy of the stored file's bytes (new, free()), or NULL. */
char *jazzhr_emu_file_bytes(jazzhr_emu *emu, const char *file_id, size_t *len);

/* For uats-sandbox (emulator/sandbox.h). */
extern const emu_sandbox_vendor jazzhr_sandbox;

#endif
