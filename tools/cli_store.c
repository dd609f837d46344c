/*
 * tools/cli_store.c: `uats store add|list|remove`: manage the connections
 * that uatsd serves, in its store (SQLite file or PostgreSQL).
 *
 * A connection in the store is the configuration the global options
 * describe (a connections-file entry, or --connector with its flags), a
 * unique name, and the token clients send to use it. Only the token's hash
 * is stored: a generated token is printed once, here.
 */
#include <config.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cli.h"

#ifdef WITH_GATEWAY
#include "uatsd/store.h"

static void store_help(void)
{
    printf("Usage: uats [GLOBAL OPTIONS] store add NAME [--client-token-env VAR] [--replace]\n"
           "       uats store list\n"
           "       uats store remove NAME\n"
           "Common option: --store URL (postgresql://... or an SQLite file; default: as\n"
           "uatsd: $UATSD_STORE, else its per-user or system file).\n\n"
           "add: store the connection the global options describe (--connection NAME,\n"
           "or --connector NAME with its flags) under NAME, after checking that it opens.\n"
           "Clients of uatsd name it with a token: read from VAR with\n"
           "--client-token-env, or generated and printed once. --replace overwrites an\n"
           "existing NAME (its token changes too). --no-check skips the opening check.\n"
           "list: the stored connections' names and versions (never their secrets).\n"
           "remove: delete NAME.\n");
}

static void print_row(const store_connection *c, void *ud)
{
    (void)ud;
    printf("%s\tversion %lld\n", c->name, (long long)c->version);
}

static int generated_token(char out[80])
{
    unsigned char b[24];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0)
            return -1;
        got += (size_t)n;
    }
    strcpy(out, "uconn_");
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 6 + 2 * i, 3, "%02x", b[i]);
    return 0;
}

static int store_command(cli *c, int argc, char **argv, char **url_copy)
{
    static const struct option longopts[] = {
        {"store", required_argument, NULL, 's'},
        {"client-token-env", required_argument, NULL, 'e'},
        {"replace", no_argument, NULL, 'r'},
        {"no-check", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *url = NULL, *token_env = NULL;
    int replace = 0, check = 1, opt;
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            store_help();
            return EXIT_OK;
        }
        return cli_usage(c, "store needs a subcommand: add, list or remove");
    }
    const char *sub = argv[1];
    argc--;
    argv++;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 's':
            free(*url_copy);
            url = *url_copy = strdup(optarg);
            if (!url)
                return EXIT_FAILURE_;
            store_hide_password(optarg);    /* ps(1) shows argv */
            break;
        case 'e': token_env = optarg; break;
        case 'r': replace = 1; break;
        case 'n': check = 0; break;
        case 'h': store_help(); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    int is_add = strcmp(sub, "add") == 0, is_list = strcmp(sub, "list") == 0,
        is_remove = strcmp(sub, "remove") == 0;
    if (!is_add && !is_list && !is_remove)
        return cli_usage(c, "unknown store subcommand '%s'", sub);
    if ((is_list && optind != argc) || (!is_list && optind != argc - 1))
        return cli_usage(c, is_list ? "store list takes no arguments"
                                    : "store %s needs one NAME", sub);
    const char *name = is_list ? NULL : argv[optind];
    if (name && (strlen(name) == 0 || strlen(name) > 63))
        return cli_usage(c, "a connection name has 1 to 63 characters");

    /* Build and check the configuration before touching the store. */
    json_t *cfg = NULL;
    char token[256];
    int rc;
    if (is_add) {
        if ((rc = cli_connection_config(c, &cfg)) != EXIT_OK)
            return rc;
        if (check) {
            uats_ctx *ctx;
            uats_conn *conn;
            uats_error err;
            if ((rc = cli_context(c, &ctx)) != EXIT_OK) {
                json_decref(cfg);
                return rc;
            }
            if (uats_conn_open(ctx, cfg, &conn, &err) != UATS_OK) {
                json_decref(cfg);
                return cli_fail(c, "checking the connection", &err);
            }
            uats_conn_close(conn);
        }
        if (token_env) {
            const char *v = getenv(token_env);
            if (!v || strlen(v) < 16 || strlen(v) >= sizeof token) {
                fprintf(stderr, "%s: --client-token-env %s: unset, or not 16 to 255 "
                        "characters\n", c->prog, token_env);
                json_decref(cfg);
                return EXIT_CONFIG;
            }
            snprintf(token, sizeof token, "%s", v);
        } else if (generated_token(token) != 0) {
            fprintf(stderr, "%s: no random bytes from the kernel\n", c->prog);
            json_decref(cfg);
            return EXIT_FAILURE_;
        }
    }

    char why[STORE_WHY];
    char *def = url ? NULL : store_default_url();
    store *s;
    if (store_open(url ? url : def, &s, why) != 0) {
        fprintf(stderr, "%s: store: %s\n", c->prog, why);
        free(def);
        json_decref(cfg);
        return EXIT_CONFIG;
    }
    free(def);
    if (is_list) {
        rc = store_conn_list(s, print_row, NULL, why) == 0 ? EXIT_OK : EXIT_FAILURE_;
        if (rc)
            fprintf(stderr, "%s: store: %s\n", c->prog, why);
    } else if (is_remove) {
        int r = store_conn_delete(s, name, why);
        rc = r == 0 ? EXIT_OK : r == STORE_NOT_FOUND ? EXIT_NOT_FOUND : EXIT_FAILURE_;
        if (r)
            fprintf(stderr, "%s: store remove %s: %s\n", c->prog, name,
                    r == STORE_NOT_FOUND ? "no such connection" : why);
    } else {
        char *text = json_dumps(cfg, JSON_COMPACT);
        int r = text ? store_conn_put(s, name, token, text, replace, why) : -1;
        if (r == 0) {
            if (!token_env)
                printf("%s\n", token);
            rc = EXIT_OK;
        } else {
            fprintf(stderr, "%s: store add %s: %s\n", c->prog, name,
                    r == STORE_EXISTS ? "a connection of that name or token exists "
                                        "(--replace overwrites a name)" : text ? why
                                                                            : "out of memory");
            rc = r == STORE_EXISTS ? EXIT_REJECTED : EXIT_FAILURE_;
        }
        if (text) {
            memset(text, 0, strlen(text));
            free(text);
        }
        memset(token, 0, sizeof token);
    }
    json_decref(cfg);
    store_close(s);
    return rc;
}

int cmd_store(cli *c, int argc, char **argv)
{
    char *url_copy = NULL;
    int rc = store_command(c, argc, argv, &url_copy);
    free(url_copy);
    return rc;
}
#else
int cmd_store(cli *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "%s: store: this uats was built without the gateway (--disable-gateway)\n",
            c->prog);
    return EXIT_UNSUPPORTED;
}
#endif
