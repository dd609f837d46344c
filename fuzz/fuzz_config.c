/*
 * fuzz/fuzz_config.c: the connection-configuration reader, with the
 * memory and Lever connectors loaded. Any bytes: a connection opens or is
 * refused with a code; nothing crashes, nothing leaks, no secret is echoed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uats/uats.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uats_ctx *ctx;

static void load(void)
{
    uats_error err;
    const char *plugins = getenv("UATS_FUZZ_PLUGINS");
    char dir[4096];
    if (uats_ctx_new(&ctx, &err) != UATS_OK)
        abort();
    uats_ctx_only_explicit_dirs(ctx);
    snprintf(dir, sizeof dir, "%s/memory", plugins ? plugins : "plugins");
    uats_ctx_add_dir(ctx, dir, &err);
    snprintf(dir, sizeof dir, "%s/lever", plugins ? plugins : "plugins");
    uats_ctx_add_dir(ctx, dir, &err);
    uats_ctx_load(ctx, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        load();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    uats_conn *conn;
    uats_error err;
    uats_code rc = uats_conn_open_str(ctx, text, &conn, &err);
    if (rc == UATS_OK)
        uats_conn_close(conn);
    else if (rc != err.code || rc <= 0 || rc >= UATS_E__LAST)
        abort();
    free(text);
    return 0;
}
