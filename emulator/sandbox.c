/*
 * emulator/sandbox.c: the files uats-sandbox writes for each vendor.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sandbox.h"

int emu_sandbox_write_json(const char *dir, const char *file, json_t *config)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.json", dir, file);
    if (!config || json_dump_file(config, path, JSON_INDENT(2)) != 0) {
        fprintf(stderr, "uats-sandbox: cannot write %s: %s\n", path, strerror(errno));
        json_decref(config);
        return -1;
    }
    json_decref(config);
    return 0;
}

int emu_sandbox_write_job(const char *dir, const char *file, const char *job)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.job", dir, file);
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%s\n", job) < 0 || fclose(f) != 0) {
        fprintf(stderr, "uats-sandbox: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}
