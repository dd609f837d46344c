/*
 * emulator/sandbox.h: how an emulator joins uats-sandbox. Each vendor's
 * emulator (plugins/<vendor>/<vendor>_emu.c) defines one emu_sandbox_vendor
 * named <vendor>_sandbox; tools/uats-sandbox.c lists those of the
 * connectors configure enabled. The sandbox starts one server per vendor,
 * installs the emulator with the sandbox credentials below, serves
 * /_sandbox/requests and /_sandbox/state, and, with --config-dir, asks the
 * vendor to write its connection configurations there.
 */
#ifndef UATS_EMU_SANDBOX_H
#define UATS_EMU_SANDBOX_H

#include <jansson.h>

#include "emu.h"

/* Credentials every sandbox emulator accepts (documented in uats-sandbox(1)). */
#define EMU_SANDBOX_KEY "sandbox-api-key"
#define EMU_SANDBOX_USER "sandbox-user-0001"
#define EMU_SANDBOX_CLIENT "sandbox-client"
#define EMU_SANDBOX_SECRET "sandbox-client-secret"

typedef struct emu_sandbox_vendor {
    const char *name;      /* the connector's name: "lever" */
    const char *api_path;  /* the API's root below the server ("/v1"), for the URL line */
    /* Install the emulator on srv with the sandbox credentials; rate_limit
     * says whether to enforce the vendor's documented limits. Returns its
     * state, or NULL when out of memory. */
    void *(*install)(emu_server *srv, int rate_limit);
    void (*free)(void *state);
    /* What the emulator holds, for GET /_sandbox/state (new object). */
    json_t *(*state)(void *state);
    /* Write dir/<name>.json (a uats connection configuration reaching srv)
     * and, when the vendor has jobs, dir/<name>.job (an open job's id, which
     * `uats demo` and uats-conformance --job-id use); more files when one
     * connector has several configurations (greenhouse-v1.json). 0 or -1
     * (reason on stderr). */
    int (*write_configs)(void *state, emu_server *srv, const char *dir);
} emu_sandbox_vendor;

/* Write dir/<file>.json holding config (taken). 0 or -1 (reason on stderr). */
int emu_sandbox_write_json(const char *dir, const char *file, json_t *config);

/* Write dir/<file>.job holding job. 0 or -1 (reason on stderr). */
int emu_sandbox_write_job(const char *dir, const char *file, const char *job);

#endif
