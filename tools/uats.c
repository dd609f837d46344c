/*
 * tools/uats.c: the uats command-line tool: global options and commands.
 * Each command lives in its own file (cli_*.c).
 */
#include <config.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
    fprintf(out,
"Usage: uats [GLOBAL OPTIONS] COMMAND [ARGS]\n"
"\n"
"Work with candidates in any applicant tracking system through one model.\n"
"\n"
"Commands:\n"
"  connectors [--json]                 list connectors found, and rejected modules\n"
"  candidate create [FILE|-] [--set FIELD=VALUE]... [--json-warnings]\n"
"                                      create a candidate from unified JSON\n"
"  candidate get ID [--raw]            print a candidate as unified JSON\n"
"  candidate import FILE.jsonl [-j N] [--state FILE]\n"
"                                      create many, resumably, never twice\n"
"  attachment add CANDIDATE_ID FILE [--type TYPE] [--content-type MIME]\n"
"                                      attach a file to a candidate\n"
"  store add NAME | list | remove NAME  the connections uatsd serves, in its\n"
"                                      store (--store URL)\n"
"  demo                                run every bundled connector against\n"
"                                      uats-sandbox (no network, no account)\n"
"Run 'uats COMMAND --help' for a command's options.\n"
"\n"
"Connection (global options):\n"
"  --connection NAME       a connection from the connections file\n"
"  --config FILE           the connections file (default:\n"
"                          $XDG_CONFIG_HOME/uats/connections.json)\n"
"  --connector NAME        an ad hoc connection to this connector, with:\n"
"  --base-url URL          the vendor API's address (plain http:// only to\n"
"                          this machine unless --allow-insecure-http)\n"
"  --api-key-env VAR       read the API key from environment variable VAR\n"
"  --token-env VAR         read a bearer access token from VAR\n"
"  --client-id-env VAR     OAuth 2.0 client id from VAR\n"
"  --client-secret-env VAR OAuth 2.0 client secret from VAR\n"
"  --opt KEY=VALUE         a connector option (repeatable), e.g.\n"
"                          --opt perform_as=USER_ID (Lever); token_url=URL sets\n"
"                          the OAuth token endpoint\n"
"  --timeout SECONDS       limit for each request\n"
"  --allow-insecure-http   allow plain http:// to other hosts\n"
"  --connector-dir DIR     also load connectors from DIR (repeatable)\n"
"  -v, -vv                 log requests, retries and timings (and headers) on\n"
"                          stderr; secrets are always redacted\n"
"  -h, --help              show this help;  --version  show the version\n"
"\n"
"Secrets are read from the environment or the connections file, never from\n"
"the command line, and never printed.\n"
"\n"
"Exit status:\n"
"   0  success                        7  the vendor rejected the data\n"
"   1  other failure                  8  the vendor failed or answered nonsense\n"
"   2  usage error                    9  could not reach the vendor\n"
"   3  bad input (file, JSON, field) 10  sent, no answer: outcome unknown\n"
"   4  not found                     11  not supported by the connector\n"
"   5  authentication or permission  12  connection or connector setup\n"
"   6  rate limited                  13  import: some candidates failed\n"
"                                    130  import interrupted (rerun to continue)\n");
}

enum {
    OPT_CONNECTION = 256, OPT_CONFIG, OPT_CONNECTOR, OPT_BASE_URL, OPT_API_KEY_ENV,
    OPT_TOKEN_ENV, OPT_CLIENT_ID_ENV, OPT_CLIENT_SECRET_ENV, OPT_OPT, OPT_TIMEOUT,
    OPT_INSECURE, OPT_CONNECTOR_DIR, OPT_VERSION
};

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"connection", required_argument, NULL, OPT_CONNECTION},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"connector", required_argument, NULL, OPT_CONNECTOR},
        {"base-url", required_argument, NULL, OPT_BASE_URL},
        {"api-key-env", required_argument, NULL, OPT_API_KEY_ENV},
        {"token-env", required_argument, NULL, OPT_TOKEN_ENV},
        {"client-id-env", required_argument, NULL, OPT_CLIENT_ID_ENV},
        {"client-secret-env", required_argument, NULL, OPT_CLIENT_SECRET_ENV},
        {"opt", required_argument, NULL, OPT_OPT},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"allow-insecure-http", no_argument, NULL, OPT_INSECURE},
        {"connector-dir", required_argument, NULL, OPT_CONNECTOR_DIR},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    cli c;
    int opt;
    memset(&c, 0, sizeof c);
    c.prog = "uats";
    /* Line-buffered, so that warnings on stderr interleave in order. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* "+": stop at the command; what follows is the command's. */
    while ((opt = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_CONNECTION: c.connection = optarg; break;
        case OPT_CONFIG: c.config_file = optarg; break;
        case OPT_CONNECTOR: c.connector = optarg; break;
        case OPT_BASE_URL: c.base_url = optarg; break;
        case OPT_API_KEY_ENV: c.api_key_env = optarg; break;
        case OPT_TOKEN_ENV: c.token_env = optarg; break;
        case OPT_CLIENT_ID_ENV: c.client_id_env = optarg; break;
        case OPT_CLIENT_SECRET_ENV: c.client_secret_env = optarg; break;
        case OPT_OPT: {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return cli_usage(&c, "--opt needs KEY=VALUE, got '%s'", optarg);
            if (c.nopts == sizeof c.opts / sizeof c.opts[0])
                return cli_usage(&c, "too many --opt");
            *eq = '\0';
            c.opts[c.nopts++] = (opt_pair){optarg, eq + 1};
            break;
        }
        case OPT_TIMEOUT: {
            char *end;
            c.timeout_s = strtol(optarg, &end, 10);
            if (*end || c.timeout_s <= 0 || c.timeout_s > 3600)
                return cli_usage(&c, "--timeout needs seconds from 1 to 3600");
            break;
        }
        case OPT_INSECURE: c.allow_insecure_http = true; break;
        case OPT_CONNECTOR_DIR:
            if (c.ndirs == sizeof c.connector_dirs / sizeof c.connector_dirs[0])
                return cli_usage(&c, "too many --connector-dir");
            c.connector_dirs[c.ndirs++] = optarg;
            break;
        case 'v': c.verbosity++; break;
        case 'h': usage(stdout); return EXIT_OK;
        case OPT_VERSION: printf("uats %s (library %s)\n", UATS_VERSION, uats_version()); return EXIT_OK;
        default: fprintf(stderr, "Try 'uats --help'.\n"); return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage(&c, "no command given");
    const char *cmd = argv[optind];
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    int rc;
    optind = 0; /* let the command parse its own options from the start */
    if (strcmp(cmd, "connectors") == 0)
        rc = cmd_connectors(&c, sub_argc, sub_argv);
    else if (strcmp(cmd, "candidate") == 0)
        rc = cmd_candidate(&c, sub_argc, sub_argv);
    else if (strcmp(cmd, "attachment") == 0)
        rc = cmd_attachment(&c, sub_argc, sub_argv);
    else if (strcmp(cmd, "store") == 0)
        rc = cmd_store(&c, sub_argc, sub_argv);
    else if (strcmp(cmd, "demo") == 0)
        rc = cmd_demo(&c, sub_argc, sub_argv);
    else if (strcmp(cmd, "help") == 0) {
        usage(stdout);
        rc = EXIT_OK;
    } else
        rc = cli_usage(&c, "unknown command '%s'", cmd);
    uats_conn_close(c.conn);
    uats_ctx_free(c.ctx);
    return rc;
}
