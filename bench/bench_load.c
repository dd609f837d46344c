/*
 * bench/bench_load.c: start-up and memory. Time to create a context, load
 * every bundled connector and open one connection each (median of many
 * runs), and the resident memory each further open connection costs.
 *
 *   bench_load PLUGINS_DIR LEVER_BASE_URL
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uats/uats.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void config_for(const char *name, const char *lever_url, char *out, size_t size)
{
    if (strcmp(name, "lever") == 0)
        snprintf(out, size, "{\"connector\": \"lever\", \"base_url\": \"%s\", \"credentials\": "
                 "{\"api_key\": \"k\"}, \"options\": {\"perform_as\": \"u\"}}", lever_url);
    else
        snprintf(out, size, "{\"connector\": \"%s\"}", name);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_load PLUGINS_DIR LEVER_BASE_URL\n");
        return 2;
    }
    const char *plugins = argv[1], *lever_url = argv[2];
    static const char *const bundled[] = {"lever", "memory"};
    double t[101];
    char dir[1024], config[1024];
    uats_error err;
    for (int run = 0; run < 101; run++) {
        double t0 = now();
        uats_ctx *ctx;
        uats_conn *conns[2];
        uats_ctx_new(&ctx, &err);
        uats_ctx_only_explicit_dirs(ctx);
        for (size_t i = 0; i < 2; i++) {
            snprintf(dir, sizeof dir, "%s/%s", plugins, bundled[i]);
            uats_ctx_add_dir(ctx, dir, &err);
        }
        uats_ctx_load(ctx, &err);
        for (size_t i = 0; i < 2; i++) {
            config_for(bundled[i], lever_url, config, sizeof config);
            if (uats_conn_open_str(ctx, config, &conns[i], &err) != UATS_OK) {
                fprintf(stderr, "bench_load: %s\n", err.text);
                return 1;
            }
        }
        t[run] = now() - t0;
        for (size_t i = 0; i < 2; i++)
            uats_conn_close(conns[i]);
        uats_ctx_free(ctx);
    }
    qsort(t, 101, sizeof t[0], compare);
    printf("load %zu connectors and open one connection each: median %.2f ms (min %.2f)\n",
           sizeof bundled / sizeof bundled[0], t[50] * 1e3, t[0] * 1e3);

    /* Memory per open connection: 1000 Lever connections, each having made
     * one request (so that its HTTP handle and TCP connection exist). */
    uats_ctx *ctx;
    uats_ctx_new(&ctx, &err);
    uats_ctx_only_explicit_dirs(ctx);
    snprintf(dir, sizeof dir, "%s/lever", plugins);
    uats_ctx_add_dir(ctx, dir, &err);
    uats_ctx_load(ctx, &err);
    enum { N = 1000 };
    static uats_conn *conns[N];
    /* Unpaced: 1000 connections each making a request at once is the point. */
    snprintf(config, sizeof config, "{\"connector\": \"lever\", \"base_url\": \"%s\", "
             "\"credentials\": {\"api_key\": \"sandbox-api-key\"}, \"options\": "
             "{\"perform_as\": \"u\"}, \"rate\": {\"per_sec\": 0}}", lever_url);
    long before = rss_kib();
    for (int i = 0; i < N; i++)
        uats_conn_open_str(ctx, config, &conns[i], &err);
    long opened = rss_kib();
    int used = 0;
    for (int i = 0; i < N; i++) {
        uats_object *out;
        uats_code rc = uats_candidate_get(conns[i], "no-such-id", &out, &err);
        if (rc == UATS_E_NOT_FOUND)
            used++;
        else if (i == 0)
            fprintf(stderr, "bench_load: %s\n", err.text);
    }
    long after = rss_kib();
    printf("RSS per open connection: %.1f KiB idle, %.1f KiB after one request each "
           "(%d connections, %d answered)\n",
           (double)(opened - before) / N, (double)(after - before) / N, N, used);
    for (int i = 0; i < N; i++)
        uats_conn_close(conns[i]);
    uats_ctx_free(ctx);
    return 0;
}
