/*
 * tools/cli_common.c: what the uats commands share: exit codes, error
 * messages, the context and the connection built from the global options,
 * file reading and output.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

int cli_exit_code(uats_code code)
{
    switch (code) {
    case UATS_OK: return EXIT_OK;
    case UATS_E_INVALID_INPUT: return EXIT_INPUT;
    case UATS_E_NOT_FOUND: return EXIT_NOT_FOUND;
    case UATS_E_AUTH:
    case UATS_E_FORBIDDEN: return EXIT_AUTH;
    case UATS_E_RATE_LIMITED: return EXIT_RATE_LIMITED;
    case UATS_E_VALIDATION:
    case UATS_E_CONFLICT:
    case UATS_E_TOO_LARGE: return EXIT_REJECTED;
    case UATS_E_VENDOR: return EXIT_VENDOR;
    case UATS_E_TRANSPORT:
    case UATS_E_TIMEOUT: return EXIT_TRANSPORT;
    case UATS_E_OUTCOME_UNKNOWN: return EXIT_UNKNOWN;
    case UATS_E_UNSUPPORTED: return EXIT_UNSUPPORTED;
    case UATS_E_CONFIG:
    case UATS_E_NO_CONNECTOR:
    case UATS_E_ABI_MISMATCH:
    case UATS_E_BAD_MODULE: return EXIT_CONFIG;
    default: return EXIT_FAILURE_;
    }
}

int cli_fail(const cli *c, const char *what, const uats_error *err)
{
    fprintf(stderr, "%s: %s: %s (%s)\n", c->prog, what, err->text[0] ? err->text :
            uats_strerror(err->code), uats_code_name(err->code));
    if (err->vendor_message[0])
        fprintf(stderr, "%s: the vendor said%s%.0ld%s: %s\n", c->prog,
                err->http_status ? " (HTTP " : "", err->http_status,
                err->http_status ? ")" : "", err->vendor_message);
    if (err->retry_after > 0)
        fprintf(stderr, "%s: the vendor asks to retry after %ld s\n", c->prog, err->retry_after);
    if (err->code == UATS_E_OUTCOME_UNKNOWN)
        fprintf(stderr, "%s: the request may have taken effect: check before retrying\n",
                c->prog);
    return cli_exit_code(err->code);
}

int cli_usage(const cli *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", c->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", c->prog);
    return EXIT_USAGE;
}

static void log_to_stderr(uats_log_level level, const char *connector, const char *message,
                          void *userdata)
{
    static const char *const names[] = {"error", "warn", "info", "debug", "trace"};
    (void)userdata;
    fprintf(stderr, "[%s]%s%s %s\n", names[level], connector ? " " : "",
            connector ? connector : "", message);
}

int cli_context(cli *c, uats_ctx **out)
{
    uats_error err;
    if (!c->ctx) {
        if (uats_ctx_new(&c->ctx, &err) != UATS_OK)
            return cli_fail(c, "starting", &err);
        if (c->verbosity)
            uats_ctx_set_log(c->ctx, c->verbosity > 1 ? UATS_LOG_TRACE : UATS_LOG_DEBUG,
                             log_to_stderr, NULL);
        else
            uats_ctx_set_log(c->ctx, UATS_LOG_ERROR, log_to_stderr, NULL);
        for (size_t i = 0; i < c->ndirs; i++)
            if (uats_ctx_add_dir(c->ctx, c->connector_dirs[i], &err) != UATS_OK)
                return cli_fail(c, "connector directory", &err);
        if (uats_ctx_load(c->ctx, &err) != UATS_OK)
            return cli_fail(c, "loading connectors", &err);
    }
    *out = c->ctx;
    return EXIT_OK;
}

static const char *env_value(const cli *c, const char *var, const char *flag, int *rc)
{
    const char *v = getenv(var);
    if (!v || !*v) {
        fprintf(stderr, "%s: %s %s: the environment variable %s is not set\n", c->prog, flag,
                var, var);
        *rc = EXIT_CONFIG;
    }
    return v;
}

static char *default_connections_file(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *path = malloc(4096);
    if (!path)
        return NULL;
    if (xdg && *xdg)
        snprintf(path, 4096, "%s/uats/connections.json", xdg);
    else
        snprintf(path, 4096, "%s/.config/uats/connections.json", home ? home : ".");
    return path;
}

int cli_connection_config(cli *c, json_t **out)
{
    int rc = EXIT_OK;
    json_t *cfg = NULL;
    *out = NULL;
    if (c->connection) {
        char *fallback = c->config_file ? NULL : default_connections_file();
        const char *file = c->config_file ? c->config_file : fallback;
        json_error_t jerr;
        json_t *all = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
        if (!all) {
            fprintf(stderr, "%s: connections file %s: %s\n", c->prog, file, jerr.text);
            free(fallback);
            return EXIT_CONFIG;
        }
        cfg = json_deep_copy(json_object_get(all, c->connection));
        json_decref(all);
        if (!json_is_object(cfg)) {
            fprintf(stderr, "%s: connections file %s has no connection \"%s\"\n", c->prog,
                    file, c->connection);
            json_decref(cfg);
            free(fallback);
            return EXIT_CONFIG;
        }
        free(fallback);
    } else if (c->connector) {
        cfg = json_pack("{s:s}", "connector", c->connector);
    } else {
        return cli_usage(c, "no connection: give --connection NAME or --connector NAME");
    }

    /* Command-line flags refine what the file says. */
    json_t *creds = json_object_get(cfg, "credentials");
    if (!creds)
        json_object_set_new(cfg, "credentials", creds = json_object());
    json_t *opts = json_object_get(cfg, "options");
    if (c->base_url)
        json_object_set_new(cfg, "base_url", json_string(c->base_url));
    if (c->api_key_env) {
        const char *v = env_value(c, c->api_key_env, "--api-key-env", &rc);
        if (v)
            json_object_set_new(creds, "api_key", json_string(v));
    }
    if (c->token_env) {
        const char *v = env_value(c, c->token_env, "--token-env", &rc);
        if (v)
            json_object_set_new(creds, "token", json_string(v));
    }
    if (c->client_id_env) {
        const char *v = env_value(c, c->client_id_env, "--client-id-env", &rc);
        if (v)
            json_object_set_new(creds, "client_id", json_string(v));
    }
    if (c->client_secret_env) {
        const char *v = env_value(c, c->client_secret_env, "--client-secret-env", &rc);
        if (v)
            json_object_set_new(creds, "client_secret", json_string(v));
    }
    for (size_t i = 0; i < c->nopts; i++) {
        /* token_url configures the transport, not the connector. */
        if (strcmp(c->opts[i].key, "token_url") == 0) {
            json_object_set_new(creds, "token_url", json_string(c->opts[i].value));
            continue;
        }
        if (!opts)
            json_object_set_new(cfg, "options", opts = json_object());
        json_object_set_new(opts, c->opts[i].key, json_string(c->opts[i].value));
    }
    if (json_object_size(creds) == 0)
        json_object_del(cfg, "credentials");
    if (c->timeout_s > 0) {
        json_t *t = json_object_get(cfg, "timeouts");
        if (!t)
            json_object_set_new(cfg, "timeouts", t = json_object());
        json_object_set_new(t, "total_ms", json_integer(c->timeout_s * 1000));
    }
    if (c->allow_insecure_http)
        json_object_set_new(cfg, "allow_insecure_http", json_true());
    if (rc != EXIT_OK) {
        json_decref(cfg);
        return rc;
    }
    *out = cfg;
    return EXIT_OK;
}

int cli_connection(cli *c, uats_conn **out)
{
    uats_ctx *ctx;
    json_t *cfg;
    uats_error err;
    int rc;
    if (c->conn) {
        *out = c->conn;
        return EXIT_OK;
    }
    if ((rc = cli_context(c, &ctx)) != EXIT_OK || (rc = cli_connection_config(c, &cfg)) != EXIT_OK)
        return rc;
    uats_code code = uats_conn_open(ctx, cfg, &c->conn, &err);
    json_decref(cfg);
    if (code != UATS_OK)
        return cli_fail(c, "opening the connection", &err);
    *out = c->conn;
    return EXIT_OK;
}

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    if (f != stdin)
        fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

const char *cli_content_type(const char *name)
{
    static const char *const types[][2] = {
        {"pdf", "application/pdf"}, {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"odt", "application/vnd.oasis.opendocument.text"}, {"rtf", "application/rtf"},
        {"txt", "text/plain"}, {"md", "text/markdown"}, {"html", "text/html"},
        {"htm", "text/html"}, {"png", "image/png"}, {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"}, {"gif", "image/gif"}, {"zip", "application/zip"},
        {"json", "application/json"}, {"csv", "text/csv"},
    };
    const char *dot = name ? strrchr(name, '.') : NULL;
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot + 1, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

void cli_print_warnings(const uats_warnings *w)
{
    for (size_t i = 0; i < uats_warnings_count(w); i++)
        fprintf(stderr, "warning: %s: %s\n", uats_warning_field(w, i), uats_warning_message(w, i));
}

int cli_print_object(const uats_object *obj, unsigned flags, const uats_warnings *w,
                     bool envelope)
{
    json_t *doc = uats_object_to_json(obj, flags);
    if (doc && envelope) {
        json_t *wj = uats_warnings_to_json(w);
        json_t *env = json_pack("{s:o, s:o}", "candidate", doc, "warnings",
                                wj ? wj : json_array());
        doc = env;
    }
    if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2)) != 0) {
        json_decref(doc);
        fprintf(stderr, "uats: out of memory or cannot write the output\n");
        return EXIT_FAILURE_;
    }
    json_decref(doc);
    fputc('\n', stdout);
    if (!envelope)
        cli_print_warnings(w);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILURE_;
}

int cli_attachment_from_file(const char *path, const char *type, const char *content_type,
                             uats_object **out, char *why, size_t why_size)
{
    size_t len;
    uats_error err;
    *out = NULL;
    char *bytes = cli_read_file(path, &len);
    if (!bytes) {
        snprintf(why, why_size, "%s: %s", path, strerror(errno ? errno : EIO));
        return EXIT_INPUT;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    uats_object *a = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    int rc = EXIT_OK;
    char upper[32] = "";
    if (type) {
        size_t i = 0;
        for (; type[i] && i < sizeof upper - 1; i++)
            upper[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
        upper[i] = '\0';
    }
    if (!a || uats_set_string(a, UATS_F_FILE_NAME, base, &err) != UATS_OK ||
        uats_set_string(a, UATS_F_CONTENT_TYPE, content_type ? content_type
                                                              : cli_content_type(base), &err) != UATS_OK ||
        (type && uats_set_string(a, UATS_F_ATTACHMENT_TYPE, upper, &err) != UATS_OK) ||
        uats_set_data(a, bytes, len, &err) != UATS_OK) {
        snprintf(why, why_size, "%s: %s", path, a ? err.text : "out of memory");
        rc = a ? cli_exit_code(err.code) : EXIT_FAILURE_;
        uats_object_free(a);
        a = NULL;
    }
    free(bytes);
    *out = a;
    return rc;
}
