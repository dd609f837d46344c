/*
 * bench/bench_calls.c: per-call cost of uats against the client a C
 * programmer would otherwise write: libcurl + jansson sending the identical
 * HTTP requests to the same emulator over one kept-alive connection, and
 * parsing the answers. Both run in this process against uats-sandbox
 * (another process), alternating rounds; the median of each is printed.
 *
 *   bench_calls BASE_URL [calls per round] [rounds] [uats|raw] [get|create]
 *
 * With a mode and an operation, it runs just that, instrumented for
 * callgrind (instructions between CALLGRIND_START/STOP only).
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include <uats/uats.h>

#define KEY "sandbox-api-key"
#define USER "sandbox-user-0001"

static const char *base;   /* http://127.0.0.1:PORT/v1 */
static char opp_id[128];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the raw client ---- */

typedef struct buffer {
    char *data;
    size_t len;
} buffer;

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    buffer *b = ud;
    char *grown = realloc(b->data, b->len + size * n + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, p, size * n);
    b->data = grown;
    b->len += size * n;
    b->data[b->len] = '\0';
    return size * n;
}

static CURL *raw;
static struct curl_slist *raw_headers;

static json_t *raw_request(const char *method, const char *url, const char *body)
{
    buffer b = {0};
    curl_easy_setopt(raw, CURLOPT_URL, url);
    curl_easy_setopt(raw, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(raw, CURLOPT_HTTPGET, body ? 0L : 1L);
    if (body)
        curl_easy_setopt(raw, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(raw, CURLOPT_WRITEDATA, &b);
    json_t *doc = NULL;
    long status = 0;
    if (curl_easy_perform(raw) == CURLE_OK &&
        curl_easy_getinfo(raw, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status < 300)
        doc = json_loadb(b.data, b.len, 0, NULL);
    free(b.data);
    return doc;
}

static void raw_init(void)
{
    raw = curl_easy_init();
    raw_headers = curl_slist_append(NULL, "Accept: application/json");
    raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
    curl_easy_setopt(raw, CURLOPT_HTTPHEADER, raw_headers);
    curl_easy_setopt(raw, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(raw, CURLOPT_USERNAME, KEY);
    curl_easy_setopt(raw, CURLOPT_PASSWORD, "");
    curl_easy_setopt(raw, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(raw, CURLOPT_WRITEFUNCTION, collect);
}

/* What Lever's get is: the opportunity, its resumes and its files. */
static int raw_get(void)
{
    char url[512];
    const char *parts[] = {"", "/resumes?limit=100", "/files?limit=100"};
    for (int i = 0; i < 3; i++) {
        snprintf(url, sizeof url, "%s/opportunities/%s%s", base, opp_id, parts[i]);
        json_t *doc = raw_request("GET", url, NULL);
        if (!doc)
            return -1;
        const char *name = NULL;
        json_unpack(doc, "{s:{s?s}}", "data", "name", &name);
        json_decref(doc);
    }
    return 0;
}

static int raw_create(void)
{
    char url[512];
    snprintf(url, sizeof url, "%s/opportunities?perform_as=%s", base, USER);
    json_t *doc = raw_request("POST", url,
                              "{\"name\":\"Ada Lovelace\",\"headline\":\"Analyst at Engines\","
                              "\"emails\":[\"ada@example.com\"],\"tags\":[\"bench\"]}");
    if (!doc)
        return -1;
    json_decref(doc);
    return 0;
}

/* ---- uats ---- */

static uats_ctx *ctx;
static uats_conn *conn;
static uats_object *create_input;

static void uats_init(const char *plugins)
{
    uats_error err;
    char dir[1024], config[1024];
    if (uats_ctx_new(&ctx, &err) != UATS_OK)
        exit(1);
    uats_ctx_only_explicit_dirs(ctx);
    snprintf(dir, sizeof dir, "%s/lever", plugins);
    uats_ctx_add_dir(ctx, dir, &err);
    uats_ctx_load(ctx, &err);
    snprintf(config, sizeof config,
             "{\"connector\": \"lever\", \"base_url\": \"%s\", \"credentials\": {\"api_key\": \""
             KEY "\"}, \"options\": {\"perform_as\": \"" USER "\"}, \"rate\": {\"per_sec\": 0}}",
             base);
    if (uats_conn_open_str(ctx, config, &conn, &err) != UATS_OK) {
        fprintf(stderr, "bench: %s\n", err.text);
        exit(1);
    }
    static const char in[] = "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
                             " \"title\": \"Analyst\", \"company\": \"Engines\","
                             " \"email_addresses\": [{\"value\": \"ada@example.com\"}],"
                             " \"tags\": [\"bench\"]}";
    if (uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, in, sizeof in - 1, &create_input, &err))
        exit(1);
}

static int uats_get(void)
{
    uats_object *out;
    uats_error err;
    if (uats_candidate_get(conn, opp_id, &out, &err) != UATS_OK)
        return -1;
    uats_object_free(out);
    return 0;
}

static int uats_create(void)
{
    uats_object *out;
    uats_error err;
    if (uats_candidate_create(conn, create_input, &out, NULL, &err) != UATS_OK)
        return -1;
    uats_object_free(out);
    return 0;
}

/* ---- measuring ---- */

static double rate(int (*call)(void), int n)
{
    double t0 = now();
    for (int i = 0; i < n; i++)
        if (call() != 0) {
            fprintf(stderr, "bench: a call failed\n");
            exit(1);
        }
    return n / (now() - t0);
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_calls BASE_URL [calls] [rounds] [uats|raw get|create]\n");
        return 2;
    }
    base = argv[1];
    int calls = argc > 2 ? atoi(argv[2]) : 2000, rounds = argc > 3 ? atoi(argv[3]) : 5;
    const char *plugins = getenv("UATS_BENCH_PLUGINS") ? getenv("UATS_BENCH_PLUGINS") : "plugins";
    curl_global_init(CURL_GLOBAL_DEFAULT);
    raw_init();
    uats_init(plugins);
    /* One opportunity to read, made through the raw client. */
    char url[512];
    snprintf(url, sizeof url, "%s/opportunities?perform_as=%s", base, USER);
    json_t *doc = raw_request("POST", url, "{\"name\":\"Bench Mark\",\"emails\":[\"b@example.com\"]}");
    const char *id = NULL;
    if (!doc || json_unpack(doc, "{s:{s:s}}", "data", "id", &id) != 0) {
        fprintf(stderr, "bench: cannot reach %s\n", base);
        return 1;
    }
    snprintf(opp_id, sizeof opp_id, "%s", id);
    json_decref(doc);

    if (argc > 5) {
        /* One instrumented run, for callgrind. */
        bool use_uats = strcmp(argv[4], "uats") == 0, get = strcmp(argv[5], "get") == 0;
        int (*call)(void) = use_uats ? (get ? uats_get : uats_create) : (get ? raw_get : raw_create);
        call(); /* warm: the connection, lazy initialisations */
        CALLGRIND_START_INSTRUMENTATION;
        for (int i = 0; i < calls; i++)
            call();
        CALLGRIND_STOP_INSTRUMENTATION;
        return 0;
    }

    struct { const char *name; int (*uats)(void); int (*raw)(void); } ops[] = {
        {"get candidate (3 requests)", uats_get, raw_get},
        {"create candidate", uats_create, raw_create},
    };
    for (size_t o = 0; o < 2; o++) {
        double u[64], r[64];
        ops[o].uats();
        ops[o].raw();
        for (int i = 0; i < rounds && i < 64; i++) {
            r[i] = rate(ops[o].raw, calls);
            u[i] = rate(ops[o].uats, calls);
        }
        double mu = median(u, rounds), mr = median(r, rounds);
        printf("%-28s uats %8.0f calls/s   raw libcurl+jansson %8.0f calls/s   ratio %.3f\n",
               ops[o].name, mu, mr, mu / mr);
    }
    uats_object_free(create_input);
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    curl_slist_free_all(raw_headers);
    curl_easy_cleanup(raw);
    return 0;
}
