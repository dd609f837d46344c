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
#include "sandbox.h"
/* Each enabled connector's emulator, with its sandbox entry (<name>_sandbox). */
#ifdef WITH_CONNECTOR_GREENHOUSE
#include "greenhouse_emu.h"
#endif
#ifdef WITH_CONNECTOR_LEVER
#include "lever_emu.h"
#endif
#ifdef WITH_CONNECTOR_RECRUITEE
#include "recruitee_emu.h"
#endif
#ifdef WITH_CONNECTOR_ASHBY
#include "ashby_emu.h"
#endif

#ifdef WITH_CONNECTOR_WORKABLE
#include "workable_emu.h"
#endif
#ifdef WITH_CONNECTOR_JAZZHR
#include "jazzhr_emu.h"
#endif
#ifdef WITH_CONNECTOR_SMARTRECRUITERS
#include "smartrecruiters_emu.h"
#endif
#ifdef WITH_CONNECTOR_TEAMTAILOR
#include "teamtailor_emu.h"
#endif
#ifdef WITH_CONNECTOR_EIGHTFOLD
#include "eightfold_emu.h"
#endif
/* The vendors this build emulates (configure --enable-connectors). */
static const emu_sandbox_vendor *const emulated[] = {
#ifdef WITH_CONNECTOR_LEVER
    &lever_sandbox,
#endif
#ifdef WITH_CONNECTOR_GREENHOUSE
    &greenhouse_sandbox,
#endif
#ifdef WITH_CONNECTOR_RECRUITEE
    &recruitee_sandbox,
#endif
#ifdef WITH_CONNECTOR_ASHBY
    &ashby_sandbox,
#endif
#ifdef WITH_CONNECTOR_WORKABLE
    &workable_sandbox,
#endif
#ifdef WITH_CONNECTOR_JAZZHR
    &jazzhr_sandbox,
#endif
#ifdef WITH_CONNECTOR_SMARTRECRUITERS
    &smartrecruiters_sandbox,
#endif
#ifdef WITH_CONNECTOR_TEAMTAILOR
    &teamtailor_sandbox,
#endif
#ifdef WITH_CONNECTOR_EIGHTFOLD
    &eightfold_sandbox,
#endif
    NULL,
};

/* One running vendor. */
typedef struct vendor {
    const emu_sandbox_vendor *v;
    emu_server *srv;
    void *state;
} vendor;

static volatile sig_atomic_t stop;

/* GET /_sandbox/state on a vendor's port: what the emulator holds, and how
 * many TCP connections it has accepted. */
static void state_route(const emu_request *req, emu_response *resp, void *ud)
{
    const vendor *v = ud;
    (void)req;
    json_t *state = v->v->state(v->state);
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

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: uats-sandbox [--port PORT] [--config-dir DIR] [--rate-limit] [--latency MS]\n"
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
            "  -l, --latency MS      wait MS milliseconds before every answer, like a\n"
            "                        vendor far away (default 0)\n"
            "  -h, --help            show this help\n"
            "\n"
            "Credentials the emulators accept: the API key or token \"%s\"; the\n"
            "OAuth client \"%s\" with secret \"%s\" (Greenhouse v3, token\n"
            "endpoint /token); a user id where a vendor needs one (\"%s\", or\n"
            "4410087 for Greenhouse). --config-dir writes each vendor's ready-made\n"
            "configuration, <vendor>.json, and <vendor>.job naming a job it has open\n"
            "(Greenhouse also greenhouse-v1.json), so these are rarely typed by hand.\n"
            "\n"
            "Exit status: 0 after a signal, 1 when a server cannot start, 2 on bad usage.\n",
            EMU_SANDBOX_KEY, EMU_SANDBOX_CLIENT, EMU_SANDBOX_SECRET, EMU_SANDBOX_USER);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {"config-dir", required_argument, NULL, 'c'},
        {"rate-limit", no_argument, NULL, 'r'},
        {"latency", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned long port = 0, latency = 0;
    const char *config_dir = NULL;
    int rate_limit = 0, c;
    while ((c = getopt_long(argc, argv, "p:c:rl:h", longopts, NULL)) != -1) {
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
        case 'l':
            latency = strtoul(optarg, &end, 10);
            if (*end || !*optarg || latency > 60000) {
                fprintf(stderr, "uats-sandbox: --latency needs milliseconds from 0 to 60000\n");
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }

    vendor vendors[sizeof emulated / sizeof emulated[0]];
    size_t n = 0;
    int status = 0;
    for (; emulated[n] && status == 0; n++) {
        vendor *v = &vendors[n];
        v->v = emulated[n];
        v->state = NULL;
        v->srv = port ? emu_start_port((unsigned)(port + n)) : emu_start();
        if (!v->srv) {
            status = 1;
            break;
        }
        emu_set_latency(v->srv, (unsigned)latency);
        v->state = v->v->install(v->srv, rate_limit);
        if (v->state &&
            (emu_route(v->srv, "GET", "/_sandbox/requests", requests_log, v->srv) ||
             emu_route(v->srv, "GET", "/_sandbox/state", state_route, v))) {
            v->v->free(v->state);
            v->state = NULL;
        }
        if (!v->state) {
            fprintf(stderr, "uats-sandbox: cannot set up the %s emulator\n", v->v->name);
            status = 1;
        } else if (config_dir && v->v->write_configs(v->state, v->srv, config_dir) != 0) {
            status = 1;
        } else {
            printf("%-12s %s%s\n", v->v->name, emu_base_url(v->srv), v->v->api_path);
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
            vendors[i].v->free(vendors[i].state);
    }
    return status;
}
