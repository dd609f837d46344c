/*
 * tools/uatsd/main.c: uatsd, the unified ATS gateway: options, the store,
 * the connectors, serving until SIGTERM or SIGINT.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"

enum { EXIT_USAGE = 2, EXIT_STORE = 3, EXIT_LISTEN = 4, EXIT_CONNECTORS = 5 };

static void usage(FILE *f)
{
    fputs(
"Usage: uatsd [OPTION]...\n"
"Serve the unified ATS candidate API over HTTP: the native API (/ats/v1) and\n"
"the request shapes of Panora, Kombo, Truto, Bindbee and Merge, on the\n"
"connectors installed for uats.\n"
"\n"
"Store (API keys and connections):\n"
"  -s, --store URL          postgresql://USER:PASS@HOST/DB, or an SQLite file\n"
"                           (sqlite:PATH or PATH), created on first use\n"
"                           [$UATSD_STORE, else /var/lib/uatsd/uatsd.db for root,\n"
"                           else ~/.local/state/uatsd/uatsd.db]\n"
"      --init               create the store if needed and a new API key, print\n"
"                           the key (shown only this once) and exit\n"
"      --label TEXT         with --init: a note kept with the key\n"
"      --revoke-key ID      revoke an API key (its id, or the whole key) and exit\n"
"\n"
"Serving:\n"
"  -l, --listen ADDR:PORT   address to listen on [127.0.0.1:8080]; port 0 picks one\n"
"      --port-file FILE     write the port listened on to FILE once serving\n"
"  -t, --threads N          worker threads, each with its own epoll loop [8]\n"
"      --thread-per-connection\n"
"                           one thread per client connection instead\n"
"      --max-body BYTES     largest request body accepted [33554432]\n"
"      --timeout SECONDS    close connections idle this long [60]\n"
"      --shutdown-timeout SECONDS\n"
"                           on SIGTERM/SIGINT, how long in-flight requests may\n"
"                           take before uatsd stops anyway [30]\n"
"      --cache-ttl SECONDS  how long a key or connection read from the store is\n"
"                           trusted before it is checked again [5]\n"
"      --access-log FILE    one JSON line per request ('-': stdout, 'off') [-];\n"
"                           SIGHUP reopens FILE (log rotation)\n"
"      --connector-dir DIR  look for connectors in DIR first (repeatable)\n"
"  -v, --verbose            log the core's debug messages on stderr (secrets\n"
"                           redacted)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Clients authenticate with 'Authorization: Bearer KEY' (a key from --init) and\n"
"name a connection with the token header of the API they speak\n"
"(X-Connection-Token, x-connection-token, X-Integration-Id,\n"
"integrated_account_id, X-Account-Token, x-connector-token). Add connections\n"
"with 'uats store add'. See uatsd(8) and docs/api.md.\n"
"\n"
"Exit status: 0 stopped cleanly, 2 usage, 3 store, 4 cannot listen,\n"
"5 connectors, 1 other failure.\n", f);
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static void log_stderr(uats_log_level level, const char *connector, const char *message,
                       void *userdata)
{
    static const char *const names[] = {"error", "warn", "info", "debug", "trace"};
    (void)userdata;
    fprintf(stderr, "uatsd: [%s]%s%s %s\n", names[level], connector ? " " : "",
            connector ? connector : "", message);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"store", required_argument, NULL, 's'},
        {"init", no_argument, NULL, 'I'},
        {"label", required_argument, NULL, 'L'},
        {"revoke-key", required_argument, NULL, 'R'},
        {"listen", required_argument, NULL, 'l'},
        {"port-file", required_argument, NULL, 'P'},
        {"threads", required_argument, NULL, 't'},
        {"thread-per-connection", no_argument, NULL, 'T'},
        {"max-body", required_argument, NULL, 'B'},
        {"timeout", required_argument, NULL, 'O'},
        {"shutdown-timeout", required_argument, NULL, 'S'},
        {"cache-ttl", required_argument, NULL, 'C'},
        {"access-log", required_argument, NULL, 'A'},
        {"connector-dir", required_argument, NULL, 'D'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    gw g;
    memset(&g, 0, sizeof g);
    g.opt = (gw_options){"127.0.0.1", 8080, 8, 32u << 20, 60, 30, 5};
    const char *store_url = NULL, *label = NULL, *revoke = NULL, *port_file = NULL;
    const char *access_path = "-";
    const char *dirs[16];
    size_t ndirs = 0;
    int init = 0, verbose = 0;
    char listen_host[64];
    unsigned long long v;
    int c;

    while ((c = getopt_long(argc, argv, "s:l:t:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 's': store_url = optarg; break;
        case 'I': init = 1; break;
        case 'L': label = optarg; break;
        case 'R': revoke = optarg; break;
        case 'l': {
            const char *colon = strrchr(optarg, ':');
            size_t hl = colon ? (size_t)(colon - optarg) : 0;
            if (!colon || hl == 0 || hl >= sizeof listen_host
                || parse_uint(colon + 1, 65535, &v) != 0) {
                fprintf(stderr, "uatsd: --listen: expected ADDR:PORT, got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            /* [::1]:8080 */
            const char *h = optarg;
            if (h[0] == '[' && colon[-1] == ']') {
                h++;
                hl -= 2;
            }
            memcpy(listen_host, h, hl);
            listen_host[hl] = 0;
            g.opt.listen_host = listen_host;
            g.opt.port = (unsigned)v;
            break;
        }
        case 'P': port_file = optarg; break;
        case 't':
            if (parse_uint(optarg, 1024, &v) != 0 || v == 0) {
                fprintf(stderr, "uatsd: --threads: expected 1 to 1024\n");
                return EXIT_USAGE;
            }
            g.opt.threads = (unsigned)v;
            break;
        case 'T': g.opt.threads = 0; break;
        case 'B':
            if (parse_uint(optarg, (unsigned long long)1 << 34, &v) != 0 || v == 0) {
                fprintf(stderr, "uatsd: --max-body: expected a number of bytes\n");
                return EXIT_USAGE;
            }
            g.opt.max_body = (size_t)v;
            break;
        case 'O': case 'S': case 'C':
            if (parse_uint(optarg, 86400, &v) != 0) {
                fprintf(stderr, "uatsd: %s: expected seconds (0 to 86400)\n",
                        c == 'O' ? "--timeout" : c == 'S' ? "--shutdown-timeout" : "--cache-ttl");
                return EXIT_USAGE;
            }
            if (c == 'O')
                g.opt.timeout_s = (unsigned)v;
            else if (c == 'S')
                g.opt.shutdown_s = (unsigned)v;
            else
                g.opt.cache_ttl_s = (unsigned)v;
            break;
        case 'A': access_path = optarg; break;
        case 'D':
            if (ndirs == sizeof dirs / sizeof *dirs) {
                fprintf(stderr, "uatsd: too many --connector-dir\n");
                return EXIT_USAGE;
            }
            dirs[ndirs++] = optarg;
            break;
        case 'v': verbose = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("uatsd (uats) %s\n", PACKAGE_VERSION); return 0;
        default:
            fputs("Try 'uatsd --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "uatsd: unexpected argument '%s'\nTry 'uatsd --help'.\n", argv[optind]);
        return EXIT_USAGE;
    }

    char why[STORE_WHY];
    char *url = store_url ? strdup(store_url) : store_default_url();
    /* ps(1) shows argv: the password stays only in our copy. */
    if (store_url)
        store_hide_password((char *)store_url);
    if (!url) {
        fputs("uatsd: out of memory\n", stderr);
        return 1;
    }
    if (store_open(url, &g.store, why) != 0) {
        fprintf(stderr, "uatsd: store: %s\n", why);
        free(url);
        return EXIT_STORE;
    }
    free(url);
    if (init || revoke) {
        int rc = 0;
        if (revoke) {
            rc = store_key_revoke(g.store, revoke, why);
            if (rc)
                fprintf(stderr, "uatsd: --revoke-key: %s\n",
                        rc == STORE_NOT_FOUND ? "no such key" : why);
        }
        if (init && rc == 0) {
            char key[STORE_KEY_SIZE];
            rc = store_key_new(g.store, label, key, why);
            if (rc)
                fprintf(stderr, "uatsd: --init: %s\n", why);
            else
                printf("%s\n", key);
            memset(key, 0, sizeof key);
        }
        store_close(g.store);
        return rc ? EXIT_STORE : 0;
    }

    uats_error err;
    if (uats_ctx_new(&g.ctx, &err) != UATS_OK) {
        fprintf(stderr, "uatsd: %s\n", err.text);
        store_close(g.store);
        return EXIT_CONNECTORS;
    }
    uats_ctx_set_log(g.ctx, verbose ? UATS_LOG_DEBUG : UATS_LOG_WARN, log_stderr, NULL);
    for (size_t i = 0; i < ndirs; i++)
        if (uats_ctx_add_dir(g.ctx, dirs[i], &err) != UATS_OK) {
            fprintf(stderr, "uatsd: --connector-dir %s: %s\n", dirs[i], err.text);
            return EXIT_CONNECTORS;
        }
    if (uats_ctx_load(g.ctx, &err) != UATS_OK) {
        fprintf(stderr, "uatsd: loading connectors: %s\n", err.text);
        return EXIT_CONNECTORS;
    }
    for (size_t i = 0; i < uats_ctx_rejected_count(g.ctx); i++) {
        const char *path, *reason;
        uats_ctx_rejected(g.ctx, i, &path, &reason);
        fprintf(stderr, "uatsd: connector %s not loaded: %s\n", path, reason);
    }

    if (strcmp(access_path, "off") == 0)
        g.access_log = NULL;
    else if (strcmp(access_path, "-") == 0)
        g.access_log = stdout;
    else if (!(g.access_log = fopen(access_path, "a"))) {
        fprintf(stderr, "uatsd: --access-log %s: %s\n", access_path, strerror(errno));
        return 1;
    } else
        g.access_path = access_path;
    unsigned char rnd[4];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        memset(rnd, 0, sizeof rnd);
    snprintf(g.instance_id, sizeof g.instance_id, "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
             rnd[3]);
    pthread_mutex_init(&g.log_lock, NULL);
    pthread_mutex_init(&g.key_lock, NULL);
    g.links = gw_links_new(&g);
    if (!g.links) {
        fputs("uatsd: out of memory\n", stderr);
        return 1;
    }

    /* Signals go to this thread only: block them before MHD starts its
     * threads, which inherit the mask, then wait for them here. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (gw_server_start(&g) != 0)
        return EXIT_LISTEN;
    fprintf(stderr, "uatsd: serving on %s port %u (%zu connectors, store: %s)\n",
            g.opt.listen_host, g.bound_port, uats_ctx_module_count(g.ctx),
            store_backend(g.store));
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (!f || fprintf(f, "%u\n", g.bound_port) < 0 || fclose(f) != 0) {
            fprintf(stderr, "uatsd: --port-file %s: %s\n", port_file, strerror(errno));
            gw_server_stop(&g);
            return 1;
        }
    }
    int sig = 0;
    /* SIGHUP: reopen the access log (rotation); the store needs no reload,
     * it is read as requests come. */
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
        if (gw_reopen_access_log(&g) != 0)
            fprintf(stderr, "uatsd: SIGHUP: cannot reopen %s: %s\n", g.access_path,
                    strerror(errno));
    fprintf(stderr, "uatsd: %s: finishing in-flight requests\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    gw_server_stop(&g);

    gw_links_free(g.links);
    uats_ctx_free(g.ctx);
    store_close(g.store);
    if (g.access_log && g.access_log != stdout)
        fclose(g.access_log);
    pthread_mutex_destroy(&g.log_lock);
    pthread_mutex_destroy(&g.key_lock);
    fputs("uatsd: stopped\n", stderr);
    return 0;
}
