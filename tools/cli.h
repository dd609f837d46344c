/*
 * tools/cli.h: the parts of the uats command-line tool. One file per
 * command; this header holds what they share: the global options, the
 * lazily opened context and connection, exit codes and messages.
 */
#ifndef UATS_CLI_H
#define UATS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <uats/uats.h>

/* Exit codes, documented in `uats --help` and uats(1). Frozen. */
enum {
    EXIT_OK = 0,
    EXIT_FAILURE_ = 1,      /* anything not listed below */
    EXIT_USAGE = 2,         /* bad command line */
    EXIT_INPUT = 3,         /* a bad input file, JSON or field */
    EXIT_NOT_FOUND = 4,
    EXIT_AUTH = 5,          /* credentials refused or lacking permission */
    EXIT_RATE_LIMITED = 6,
    EXIT_REJECTED = 7,      /* the vendor rejected the data (validation, conflict) */
    EXIT_VENDOR = 8,        /* the vendor failed or answered nonsense */
    EXIT_TRANSPORT = 9,     /* could not reach the vendor, or timed out unsent */
    EXIT_UNKNOWN = 10,      /* sent, no answer: the outcome is unknown */
    EXIT_UNSUPPORTED = 11,
    EXIT_CONFIG = 12,       /* connection, connector or module setup */
    EXIT_PARTIAL = 13       /* import: some candidates failed */
};

typedef struct opt_pair {
    const char *key, *value;
} opt_pair;

typedef struct cli {
    const char *prog;
    int verbosity;                 /* -v: 1, -vv: 2 */
    const char *connection;        /* --connection NAME */
    const char *config_file;       /* --config FILE */
    const char *connector;         /* --connector NAME (ad hoc) */
    const char *base_url;
    const char *api_key_env, *token_env, *client_id_env, *client_secret_env;
    opt_pair opts[32];
    size_t nopts;
    long timeout_s;
    bool allow_insecure_http;
    const char *connector_dirs[8];
    size_t ndirs;

    uats_ctx *ctx;                 /* loaded on first use */
    uats_conn *conn;               /* opened on first use */
} cli;

int cli_exit_code(uats_code code);
/* "uats: WHAT: message (CODE)" and the vendor's words on stderr; returns
 * the exit code for err. */
int cli_fail(const cli *c, const char *what, const uats_error *err);
/* A usage error: message, hint, EXIT_USAGE. */
int cli_usage(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The context with every connector on the search path loaded. */
int cli_context(cli *c, uats_ctx **ctx);
/* The connection the global options select. */
int cli_connection(cli *c, uats_conn **conn);
/* Build the connection configuration the global options describe (new). */
int cli_connection_config(cli *c, json_t **config);

/* Read a whole file ("-": stdin). New buffer (free), NUL-terminated. */
char *cli_read_file(const char *path, size_t *len);
/* MIME type from a file name's extension; "application/octet-stream" if unknown. */
const char *cli_content_type(const char *file_name);
/* Print obj as unified JSON on stdout (one object, indented). */
int cli_print_object(const uats_object *obj, unsigned flags, const uats_warnings *w,
                     bool envelope);
void cli_print_warnings(const uats_warnings *w);

int cmd_connectors(cli *c, int argc, char **argv);
int cmd_candidate(cli *c, int argc, char **argv);
int cmd_attachment(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);
int cmd_store(cli *c, int argc, char **argv);

/* Build an attachment input from a file on disk: name, bytes, content
 * type (given or guessed), type (a uats_attachment_type name or NULL). */
int cli_attachment_from_file(const char *path, const char *type, const char *content_type,
                             uats_object **out, char *why, size_t why_size);

#endif
