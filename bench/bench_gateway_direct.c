/*
 * bench/bench_gateway_direct.c: the gateway benchmark's in-process side.
 * The same read that `GET /ats/v1/candidates/{id}` makes through uatsd,
 * called directly through libuats: THREADS threads share one uats_conn
 * (as uatsd's workers share one cached connection) and call
 * uats_candidate_get for SECONDS seconds. Prints calls/s and the p50 and
 * p99 latency of one call.
 *
 *   bench_gateway_direct BASE_URL CANDIDATE_ID [threads] [seconds] [get|json]
 *
 * "json" also turns each result into the JSON text uatsd would send
 * (uats_object_to_json + json_dumps), so that the gap between this and
 * the gateway is the HTTP server, routing, auth and the access log.
 * UATS_BENCH_PLUGINS names the plugins directory (as for bench_calls).
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uats/uats.h>

#define KEY "sandbox-api-key"
#define USER "sandbox-user-0001"
#define MAX_SAMPLES (1u << 22)

static uats_conn *conn;
static const char *cand_id;
static int with_json;
static double deadline;

typedef struct worker {
    pthread_t th;
    double *lat;            /* seconds per call */
    size_t n, cap;
    int failed;
} worker;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int one_call(void)
{
    uats_object *out;
    uats_error err;
    if (uats_candidate_get(conn, cand_id, &out, &err) != UATS_OK) {
        fprintf(stderr, "bench_gateway_direct: %s\n", err.text);
        return -1;
    }
    if (with_json) {
        json_t *j = uats_object_to_json(out, 0);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (!text) {
            uats_object_free(out);
            return -1;
        }
        free(text);
    }
    uats_object_free(out);
    return 0;
}

static void *run(void *arg)
{
    worker *w = arg;
    for (;;) {
        double t0 = now();
        if (t0 >= deadline)
            break;
        if (one_call() != 0) {
            w->failed = 1;
            break;
        }
        if (w->n < w->cap)
            w->lat[w->n++] = now() - t0;
    }
    return NULL;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile of sorted v: the smallest value with at least p% of
 * the samples at or below it. */
static double percentile(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p / 100.0 * (double)n + 0.999999);
    return v[i ? i - 1 : 0];
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_gateway_direct BASE_URL CANDIDATE_ID [threads] [seconds] "
                        "[get|json]\n");
        return 2;
    }
    const char *base = argv[1];
    cand_id = argv[2];
    int threads = argc > 3 ? atoi(argv[3]) : 8;
    double seconds = argc > 4 ? atof(argv[4]) : 10;
    with_json = argc > 5 && strcmp(argv[5], "json") == 0;
    if (threads < 1 || threads > 256 || seconds <= 0) {
        fprintf(stderr, "bench_gateway_direct: threads 1 to 256, seconds > 0\n");
        return 2;
    }
    const char *plugins = getenv("UATS_BENCH_PLUGINS") ? getenv("UATS_BENCH_PLUGINS") : "plugins";

    uats_ctx *ctx;
    uats_error err;
    char dir[1024], config[1024];
    if (uats_ctx_new(&ctx, &err) != UATS_OK)
        return 1;
    uats_ctx_only_explicit_dirs(ctx);
    snprintf(dir, sizeof dir, "%s/lever", plugins);
    if (uats_ctx_add_dir(ctx, dir, &err) != UATS_OK || uats_ctx_load(ctx, &err) != UATS_OK) {
        fprintf(stderr, "bench_gateway_direct: %s\n", err.text);
        return 1;
    }
    /* The configuration the gateway's stored connection has: Lever's
     * documented pace lifted, or this would measure the pacer. */
    snprintf(config, sizeof config,
             "{\"connector\": \"lever\", \"base_url\": \"%s\", \"credentials\": {\"api_key\": \""
             KEY "\"}, \"options\": {\"perform_as\": \"" USER "\"}, \"rate\": {\"per_sec\": 0}}",
             base);
    if (uats_conn_open_str(ctx, config, &conn, &err) != UATS_OK) {
        fprintf(stderr, "bench_gateway_direct: %s\n", err.text);
        return 1;
    }
    /* Warm up: one call per thread's worth of kept-alive connections. */
    for (int i = 0; i < threads; i++)
        if (one_call() != 0)
            return 1;

    worker *w = calloc((size_t)threads, sizeof *w);
    if (!w)
        return 1;
    size_t per = MAX_SAMPLES / (size_t)threads;
    double t0 = now();
    deadline = t0 + seconds;
    for (int i = 0; i < threads; i++) {
        w[i].cap = per;
        w[i].lat = malloc(per * sizeof *w[i].lat);
        if (!w[i].lat || pthread_create(&w[i].th, NULL, run, &w[i]) != 0)
            return 1;
    }
    size_t total = 0;
    int failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].th, NULL);
        total += w[i].n;
        failed |= w[i].failed;
    }
    double elapsed = now() - t0;
    if (failed || total == 0)
        return 1;
    double *all = malloc(total * sizeof *all);
    if (!all)
        return 1;
    size_t k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + k, w[i].lat, w[i].n * sizeof *all);
        k += w[i].n;
        free(w[i].lat);
    }
    qsort(all, total, sizeof *all, compare);
    /* One line, fields by name, for gateway.sh to pick up. */
    printf("calls=%zu seconds=%.2f rate=%.0f p50_ms=%.3f p99_ms=%.3f\n", total, elapsed,
           (double)total / elapsed, percentile(all, total, 50) * 1e3,
           percentile(all, total, 99) * 1e3);
    free(all);
    free(w);
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    return 0;
}
