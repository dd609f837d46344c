/*
 * tools/uats-sandbox.c: serve the emulators of every bundled connector on
 * 127.0.0.1, so that connectors, host programs and the README demo can run
 * without a network or an account. Each vendor gets its own port.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"
#ifdef WITH_CONNECTOR_GREENHOUSE
#include "greenhouse_emu.h"
#endif
#ifdef WITH_CONNECTOR_LEVER
#include "lever_emu.h"
#endif

#define SANDBOX_KEY "sandbox-api-key"
#define SANDBOX_USER "sandbox-user-0001"
#define SANDBOX_CLIENT "sandbox-client"
#define SANDBOX_SECRET "sandbox-client-secret"
#define SANDBOX_GH_USER "4410087" /* Greenhouse user ids are numbers */

typedef struct vendor vendor;

/* One emulated vendor: how to set it up on its server, what to report
 * as its state, and the connection configurations that reach it. */
struct vendor {
    const char *name;
    void *(*install)(emu_server *srv, int rate_limit);
    void (*free)(void *state);
    json_t *(*state_of)(const vendor *v);
    int (*write_configs)(const char *dir, const vendor *v);
    const char *path;      /* the API's root below the server, for the URL line */
    emu_server *srv;
    void *state;
};

#ifdef WITH_CONNECTOR_LEVER
/* ---- Lever ---- */

static void *lever_install(emu_server *srv, int rate_limit)
{
    lever_emu_config cfg = {SANDBOX_KEY, NULL, rate_limit ? 10 : 0, 20};
    return lever_emu_install(srv, &cfg);
}

static void lever_free(void *state)
{
    lever_emu_free(state);
}

static json_t *lever_state(const vendor *v)
{
    return json_pack("{s:I, s:I}", "opportunities",
                     (json_int_t)lever_emu_opportunity_count(v->state), "contacts",
                     (json_int_t)lever_emu_contact_count(v->state));
}

#endif

#ifdef WITH_CONNECTOR_GREENHOUSE
/* ---- Greenhouse: v3 and v1 on one server, with the token endpoint ---- */

static void *greenhouse_install(emu_server *srv, int rate_limit)
{
    greenhouse_emu_config cfg = {
        .api_key = SANDBOX_KEY, .client_id = SANDBOX_CLIENT, .client_secret = SANDBOX_SECRET,
        .v1_limit = rate_limit ? 50 : 0, .v3_limit = rate_limit ? 50 : 0};
    return greenhouse_emu_install(srv, &cfg);
}

static void greenhouse_free(void *state)
{
    greenhouse_emu_free(state);
}

static json_t *greenhouse_state(const vendor *v)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "candidates",
                     (json_int_t)greenhouse_emu_candidate_count(v->state), "applications",
                     (json_int_t)greenhouse_emu_application_count(v->state), "attachments",
                     (json_int_t)greenhouse_emu_attachment_count(v->state), "tokens_issued",
                     (json_int_t)greenhouse_emu_tokens_issued(v->state));
}

#endif

static volatile sig_atomic_t stop;

/* GET /_sandbox/state on a vendor's port: what the emulator holds, and how
 * many TCP connections it has accepted. */
static void state_route(const emu_request *req, emu_response *resp, void *ud)
{
    const vendor *v = ud;
    (void)req;
    json_t *state = v->state_of(v);
    json_object_set_new(state, "connections", json_integer((json_int_t)emu_connections(v->srv)));
    emu_resp_json(resp, 200, state);
}

/* GET /_sandbox/requests: every request this server received, for tests
 * and for curious users: [{"method": ..., "target": ...}, ...]. */
static void requests_log(const emu_request *req, emu_response *resp, void *ud)
{
    emu_server *srv = ud;
    json_t *list = json_array();
    (void)req;
    for (size_t i = 0; i < emu_log_count(srv); i++) {
        char *method = emu_log_method(srv, i), *target = emu_log_target(srv, i);
        json_array_append_new(list, json_pack("{s:s?, s:s?}", "method", method, "target", target));
        free(method);
        free(target);
    }
    emu_resp_json(resp, 200, list);
}

/* Write dir/<file>.json holding config (taken). Unused in a build with no
 * emulated vendor (configure --enable-connectors=memory). */
__attribute__((unused)) static int write_json(const char *dir, const char *file, json_t *config)
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

/* dir/<file>.job: an open job of the emulator, which `uats demo` applies to
 * (vendors' job ids have vendor shapes). */
__attribute__((unused)) static int write_job(const char *dir, const char *file,
                                             const char *job)
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

#ifdef WITH_CONNECTOR_LEVER
static int lever_configs(const char *dir, const vendor *v)
{
    char url[256];
    snprintf(url, sizeof url, "%s/v1", emu_base_url(v->srv));
    return write_json(dir, "lever",
                      json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "connector", "lever",
                                "base_url", url, "credentials", "api_key", SANDBOX_KEY,
                                "options", "perform_as", SANDBOX_USER)) ||
           write_job(dir, "lever", "demo-posting");
}

#endif

#ifdef WITH_CONNECTOR_GREENHOUSE
static int greenhouse_configs(const char *dir, const vendor *v)
{
    char token_url[256];
    const char *base = emu_base_url(v->srv);
    snprintf(token_url, sizeof token_url, "%s/token", base);
    return write_json(dir, "greenhouse",
                      json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "connector",
                                "greenhouse", "base_url", base, "credentials", "client_id",
                                SANDBOX_CLIENT, "client_secret", SANDBOX_SECRET, "options",
                                "on_behalf_of", SANDBOX_GH_USER, "token_url", token_url)) ||
           write_json(dir, "greenhouse-v1",
                      json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s}}", "connector", "greenhouse",
                                "base_url", base, "credentials", "api_key", SANDBOX_KEY,
                                "options", "api_version", "v1", "on_behalf_of",
                                SANDBOX_GH_USER)) ||
           write_job(dir, "greenhouse", "4001") || write_job(dir, "greenhouse-v1", "4001");
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: uats-sandbox [--port PORT] [--config-dir DIR] [--rate-limit]\n"
            "\n"
            "Serve emulators of the bundled connectors' vendor APIs on 127.0.0.1, print\n"
            "one line per vendor (name, base URL), and run until SIGINT or SIGTERM.\n"
            "The emulators keep their data in memory and follow each vendor's documented\n"
            "wire format, including its error bodies. On a vendor's port,\n"
            "GET /_sandbox/requests lists every request that emulator received and\n"
            "GET /_sandbox/state says what it holds.\n"
            "\n"
            "  -p, --port PORT       first port to use (one per vendor, counting up);\n"
            "                        default: ports the kernel picks\n"
            "  -c, --config-dir DIR  write DIR/<vendor>.json, a uats connection\n"
            "                        configuration for each emulator\n"
            "  -r, --rate-limit      enforce the vendors' documented rate limits (off by\n"
            "                        default so that demos and imports run at full speed)\n"
            "  -h, --help            show this help\n"
            "\n"
            "Credentials the emulators accept: API key \"%s\"; Lever writes\n"
            "need a perform_as user id (any non-empty value, e.g. \"%s\").\n"
            "Greenhouse serves Harvest v3 (OAuth client \"%s\", secret \"%s\", token\n"
            "endpoint /token) and v1 (the API key) on one port; its only user is %s.\n"
            "--config-dir writes greenhouse.json (v3) and greenhouse-v1.json.\n"
            "\n"
            "Exit status: 0 after a signal, 1 when a server cannot start, 2 on bad usage.\n",
            SANDBOX_KEY, SANDBOX_USER, SANDBOX_CLIENT, SANDBOX_SECRET, SANDBOX_GH_USER);
}
#endif

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {"config-dir", required_argument, NULL, 'c'},
        {"rate-limit", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned long port = 0;
    const char *config_dir = NULL;
    int rate_limit = 0, c;
    while ((c = getopt_long(argc, argv, "p:c:rh", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'p':
            port = strtoul(optarg, &end, 10);
            if (*end || port == 0 || port > 65000) {
                fprintf(stderr, "uats-sandbox: --port needs a number from 1 to 65000\n");
                return 2;
            }
            break;
        case 'c': config_dir = optarg; break;
        case 'r': rate_limit = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }

    /* The emulators of the connectors this build has (configure). */
    vendor vendors[] = {
#ifdef WITH_CONNECTOR_LEVER
        {"lever", lever_install, lever_free, lever_state, lever_configs, "/v1", NULL, NULL},
#endif
#ifdef WITH_CONNECTOR_GREENHOUSE
        {"greenhouse", greenhouse_install, greenhouse_free, greenhouse_state,
         greenhouse_configs, "", NULL, NULL},
#endif
        {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    };
    size_t n = sizeof vendors / sizeof vendors[0] - 1;
    int status = 0;
    for (size_t i = 0; i < n && status == 0; i++) {
        vendor *v = &vendors[i];
        v->srv = port ? emu_start_port((unsigned)(port + i)) : emu_start();
        if (!v->srv) {
            status = 1;
            break;
        }
        v->state = v->install(v->srv, rate_limit);
        if (v->state &&
            (emu_route(v->srv, "GET", "/_sandbox/requests", requests_log, v->srv) ||
             emu_route(v->srv, "GET", "/_sandbox/state", state_route, v))) {
            v->free(v->state);
            v->state = NULL;
        }
        if (!v->state) {
            fprintf(stderr, "uats-sandbox: cannot set up the %s emulator\n", v->name);
            status = 1;
        } else if (config_dir && v->write_configs(config_dir, v) != 0) {
            status = 1;
        } else {
            printf("%-12s %s%s\n", v->name, emu_base_url(v->srv), v->path);
        }
    }
    if (n == 0 && status == 0)
        printf("(this build has no vendor emulators)\n");
    fflush(stdout);

    if (status == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        while (!stop)
            pause();
    }
    for (size_t i = 0; i < n; i++) {
        emu_stop(vendors[i].srv);
        if (vendors[i].state)
            vendors[i].free(vendors[i].state);
    }
    return status;
}
