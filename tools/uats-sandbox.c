/*
 * tools/uats-sandbox.c: serve the emulators of every bundled connector on
 * 127.0.0.1, so that connectors, host programs and the README demo can run
 * without a network or an account. Each vendor gets its own port.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"
#include "lever_emu.h"

#define SANDBOX_KEY "sandbox-api-key"
#define SANDBOX_USER "sandbox-user-0001"

typedef struct vendor {
    const char *name;
    const char *path;      /* the API's root below the server */
    emu_server *srv;
    void *state;
} vendor;

static volatile sig_atomic_t stop;

static emu_server *lever_server;

/* GET /_sandbox/state on Lever's port: what the emulator holds, and how
 * many TCP connections it has accepted. */
static void lever_state(const emu_request *req, emu_response *resp, void *ud)
{
    (void)req;
    emu_resp_json(resp, 200, json_pack("{s:I, s:I, s:I}", "opportunities",
                                       (json_int_t)lever_emu_opportunity_count(ud), "contacts",
                                       (json_int_t)lever_emu_contact_count(ud), "connections",
                                       (json_int_t)emu_connections(lever_server)));
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
            "\n"
            "Exit status: 0 after a signal, 1 when a server cannot start, 2 on bad usage.\n",
            SANDBOX_KEY, SANDBOX_USER);
}

static int write_config(const char *dir, const vendor *v)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.json", dir, v->name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "uats-sandbox: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f,
            "{\n  \"connector\": \"%s\",\n  \"base_url\": \"%s%s\",\n"
            "  \"credentials\": {\"api_key\": \"%s\"},\n"
            "  \"options\": {\"perform_as\": \"%s\"}\n}\n",
            v->name, emu_base_url(v->srv), v->path, SANDBOX_KEY, SANDBOX_USER);
    return fclose(f) == 0 ? 0 : -1;
}

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

    vendor vendors[] = {{"lever", "/v1", NULL, NULL}};
    size_t n = sizeof vendors / sizeof vendors[0];
    int status = 0;
    for (size_t i = 0; i < n && status == 0; i++) {
        vendors[i].srv = port ? emu_start_port((unsigned)(port + i)) : emu_start();
        if (!vendors[i].srv) {
            status = 1;
            break;
        }
        if (strcmp(vendors[i].name, "lever") == 0) {
            lever_emu_config cfg = {SANDBOX_KEY, NULL, rate_limit ? 10 : 0, 20};
            vendors[i].state = lever_emu_install(vendors[i].srv, &cfg);
            lever_server = vendors[i].srv;
        }
        if (vendors[i].state &&
            (emu_route(vendors[i].srv, "GET", "/_sandbox/requests", requests_log, vendors[i].srv) ||
             emu_route(vendors[i].srv, "GET", "/_sandbox/state", lever_state, vendors[i].state))) {
            lever_emu_free(vendors[i].state);
            vendors[i].state = NULL;
        }
        if (!vendors[i].state) {
            fprintf(stderr, "uats-sandbox: cannot set up the %s emulator\n", vendors[i].name);
            status = 1;
        } else if (config_dir && write_config(config_dir, &vendors[i]) != 0) {
            status = 1;
        } else {
            printf("%-12s %s%s\n", vendors[i].name, emu_base_url(vendors[i].srv), vendors[i].path);
        }
    }
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
        if (strcmp(vendors[i].name, "lever") == 0)
            lever_emu_free(vendors[i].state);
    }
    return status;
}
