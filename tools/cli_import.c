/*
 * tools/cli_import.c: `uats candidate import FILE.jsonl`: bulk create that
 * never creates a candidate twice, even across crashes.
 *
 * Every line is identified by a hash of its text. Before a create is sent,
 * "S <hash>" is appended to the state file and flushed to disk; after it,
 * "C <hash> <id>" (created), "F <hash> <code>" (certainly not created:
 * safe to try again) or "U <hash> <code>" (sent, outcome unknown). A rerun
 * skips created lines, retries failed ones, and leaves lines whose outcome
 * is unknown (including a dangling "S" from a crash) alone unless told
 * --retry-unknown, because the vendor may have created them.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli.h"

#define STATE_MAGIC "uats-import-state 1"

typedef enum line_state {
    ST_NEW, ST_STARTED, ST_CREATED, ST_FAILED, ST_UNKNOWN, ST_DUPLICATE
} line_state;

typedef struct item {
    char *text;          /* the line */
    size_t lineno;
    uint64_t hash;
    line_state before;   /* from the state file, or ST_DUPLICATE */
    size_t dup_of;       /* ST_DUPLICATE: the line it repeats */
    char *result;        /* id or reason, for the summary */
    int outcome;         /* 0 pending, 1 created, 2 failed, 3 skipped-done, 4 skipped-unknown,
                            5 skipped-duplicate, 6 unknown now */
} item;

typedef struct import {
    cli *c;
    uats_conn *conn;
    item *items;
    size_t n, next;
    FILE *state;
    const char *dir;     /* of the input file, for attachment paths */
    bool tty, retry_unknown;
    pthread_mutex_t lock;
    size_t created, failed, skipped, unknown, done;
} import;

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Certainly not created: the vendor refused or was never reached. */
static bool certainly_not_created(uats_code code)
{
    switch (code) {
    case UATS_E_INVALID_INPUT: case UATS_E_NOT_FOUND: case UATS_E_AUTH:
    case UATS_E_FORBIDDEN: case UATS_E_CONFLICT: case UATS_E_VALIDATION:
    case UATS_E_RATE_LIMITED: case UATS_E_TRANSPORT: case UATS_E_TIMEOUT:
    case UATS_E_UNSUPPORTED: case UATS_E_CONFIG: case UATS_E_NO_CONNECTOR:
    case UATS_E_TOO_LARGE:
        return true;
    default:
        return false; /* UATS_E_OUTCOME_UNKNOWN, UATS_E_VENDOR (a 5xx may follow a create) */
    }
}

/* Append a record and get it to disk before going on. */
static int record(import *im, char kind, const item *it, const char *extra)
{
    int rc = 0;
    pthread_mutex_lock(&im->lock);
    if (fprintf(im->state, "%c %016llx %zu%s%s\n", kind, (unsigned long long)it->hash,
                it->lineno, extra ? " " : "", extra ? extra : "") < 0 ||
        fflush(im->state) != 0 || fsync(fileno(im->state)) != 0)
        rc = -1;
    pthread_mutex_unlock(&im->lock);
    return rc;
}

static void progress(import *im, const item *it, const char *what, const char *detail)
{
    /* Called with im->lock held. */
    if (im->tty) {
        size_t width = 30, filled = im->n ? im->done * width / im->n : width;
        fprintf(stderr, "\r[");
        for (size_t i = 0; i < width; i++)
            fputc(i < filled ? '#' : '.', stderr);
        fprintf(stderr, "] %zu/%zu  created %zu  failed %zu  skipped %zu ", im->done, im->n,
                im->created, im->failed, im->skipped + im->unknown);
        if (strcmp(what, "failed") == 0 || strcmp(what, "unknown") == 0)
            fprintf(stderr, "\nline %zu: %s: %s\n", it->lineno, what, detail ? detail : "");
    } else {
        printf("line %zu: %s%s%s\n", it->lineno, what, detail ? ": " : "", detail ? detail : "");
        fflush(stdout);
    }
}

static void finish(import *im, item *it, int outcome, const char *what, const char *detail)
{
    pthread_mutex_lock(&im->lock);
    it->outcome = outcome;
    free(it->result);
    it->result = detail ? strdup(detail) : NULL;
    im->done++;
    switch (outcome) {
    case 1: im->created++; break;
    case 2: im->failed++; break;
    case 6: case 4: im->unknown++; break;
    default: im->skipped++; break;
    }
    progress(im, it, what, detail);
    pthread_mutex_unlock(&im->lock);
}

/* Parse a line into a create input, reading its attachment files. */
static int build_input(import *im, const item *it, uats_object **out, char *why, size_t size)
{
    json_error_t jerr;
    uats_error err;
    *out = NULL;
    json_t *doc = json_loads(it->text, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(doc)) {
        snprintf(why, size, "not a JSON object%s%s", doc ? "" : ": ", doc ? "" : jerr.text);
        json_decref(doc);
        return EXIT_INPUT;
    }
    json_t *files = json_incref(json_object_get(doc, "attachment_files"));
    json_object_del(doc, "attachment_files");
    uats_code rc = uats_object_from_json(UATS_KIND_CANDIDATE_INPUT, doc, out, &err);
    json_decref(doc);
    if (rc != UATS_OK) {
        snprintf(why, size, "%s", err.text);
        json_decref(files);
        return cli_exit_code(rc);
    }
    if (files && !json_is_array(files)) {
        snprintf(why, size, "attachment_files must be an array");
        rc = UATS_E_INVALID_INPUT;
    }
    size_t i;
    json_t *f;
    json_array_foreach(rc == UATS_OK ? files : NULL, i, f) {
        const char *p = json_is_string(f) ? json_string_value(f)
                                          : json_string_value(json_object_get(f, "path"));
        const char *type = json_string_value(json_object_get(f, "type"));
        const char *ct = json_string_value(json_object_get(f, "content_type"));
        char path[4096];
        if (!p) {
            snprintf(why, size, "attachment_files[%zu]: a path string or {path, type, "
                     "content_type}", i);
            rc = UATS_E_INVALID_INPUT;
            break;
        }
        snprintf(path, sizeof path, "%s%s%s", p[0] == '/' ? "" : im->dir,
                 p[0] == '/' ? "" : "/", p);
        uats_object *att;
        if (cli_attachment_from_file(path, type, ct, &att, why, size) != EXIT_OK ||
            uats_add_attachment_input(*out, att, &err) != UATS_OK) {
            rc = UATS_E_INVALID_INPUT;
            break;
        }
    }
    json_decref(files);
    if (rc != UATS_OK) {
        uats_object_free(*out);
        *out = NULL;
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

static void process(import *im, item *it)
{
    char why[600];
    uats_object *in;
    if (it->before == ST_DUPLICATE) {
        snprintf(why, sizeof why, "same as line %zu", it->dup_of);
        return finish(im, it, 5, "skipped", why);
    }
    if (it->before == ST_CREATED)
        return finish(im, it, 3, "skipped", "created in an earlier run");
    if ((it->before == ST_STARTED || it->before == ST_UNKNOWN) && !im->retry_unknown)
        return finish(im, it, 4, "unknown",
                      "an earlier run sent it without learning the outcome; check the vendor, "
                      "then rerun with --retry-unknown if it is not there");
    if (build_input(im, it, &in, why, sizeof why) != EXIT_OK) {
        record(im, 'F', it, "UATS_E_INVALID_INPUT");
        return finish(im, it, 2, "failed", why);
    }
    if (record(im, 'S', it, NULL) != 0) {
        uats_object_free(in);
        return finish(im, it, 2, "failed", "cannot write the state file: not sent");
    }
    uats_object *out;
    uats_error err;
    uats_code rc = uats_candidate_create(im->conn, in, &out, NULL, &err);
    uats_object_free(in);
    if (rc == UATS_OK) {
        const char *id = uats_get_string(out, UATS_F_ID);
        record(im, 'C', it, id);
        finish(im, it, 1, "created", id);
        uats_object_free(out);
        return;
    }
    snprintf(why, sizeof why, "%s: %s%s%s", uats_code_name(rc), err.text,
             err.vendor_message[0] ? " | vendor: " : "", err.vendor_message);
    if (certainly_not_created(rc)) {
        record(im, 'F', it, uats_code_name(rc));
        finish(im, it, 2, "failed", why);
    } else {
        record(im, 'U', it, uats_code_name(rc));
        finish(im, it, 6, "unknown", why);
    }
}

static void *worker(void *arg)
{
    import *im = arg;
    for (;;) {
        pthread_mutex_lock(&im->lock);
        size_t i = interrupted ? im->n : im->next++;
        pthread_mutex_unlock(&im->lock);
        if (i >= im->n)
            return NULL;
        process(im, &im->items[i]);
    }
}

/* Read the state file (open, locked) into the items' `before`. Returns -1
 * if it has content that is not ours. */
static int load_state(import *im, FILE *f)
{
    char line[512];
    rewind(f);
    if (!fgets(line, sizeof line, f))
        return 0; /* empty: a new state file */
    if (strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) != 0)
        return -1;
    while (fgets(line, sizeof line, f)) {
        char kind;
        unsigned long long hash;
        if (sscanf(line, "%c %llx", &kind, &hash) != 2)
            continue; /* a torn last line after a crash */
        line_state st = kind == 'S' ? ST_STARTED : kind == 'C' ? ST_CREATED
                        : kind == 'F' ? ST_FAILED : kind == 'U' ? ST_UNKNOWN : ST_NEW;
        for (size_t i = 0; i < im->n; i++)
            if (im->items[i].hash == hash && im->items[i].before != ST_CREATED)
                im->items[i].before = st;
    }
    return 1;
}

int cmd_import(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"state", required_argument, NULL, 's'},
        {"retry-unknown", no_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long jobs = 1;
    const char *state_path = NULL;
    bool retry_unknown = false;
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "j:h", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 64)
                return cli_usage(c, "-j needs a number from 1 to 64");
            break;
        case 's': state_path = optarg; break;
        case 'u': retry_unknown = true; break;
        case 'h':
            printf("Usage: uats [GLOBAL OPTIONS] candidate import FILE.jsonl [-j N] [--state FILE]\n"
                   "                                [--retry-unknown]\n\n"
                   "Create one candidate per line of FILE.jsonl: a unified candidate JSON object,\n"
                   "optionally with \"attachment_files\": [\"cv.pdf\", {\"path\": ..., \"type\":\n"
                   "\"RESUME\", \"content_type\": ...}] (paths relative to the file).\n\n"
                   "  -j, --jobs N      parallel workers sharing the connection and its rate\n"
                   "                    limit (default 1)\n"
                   "  --state FILE      progress record (default FILE.jsonl.state); a rerun\n"
                   "                    skips created lines and retries failed ones\n"
                   "  --retry-unknown   also resend lines whose earlier outcome is unknown\n"
                   "                    (only after checking the vendor does not have them)\n\n"
                   "A progress bar on a terminal, a line per candidate otherwise, and a summary.\n"
                   "Exit status 0 when every line is created, 13 when some are not, 130 when\n"
                   "interrupted (rerun to continue).\n");
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (argc - optind != 1)
        return cli_usage(c, "candidate import needs one FILE.jsonl");
    const char *path = argv[optind];
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
        return EXIT_INPUT;
    }

    import im;
    memset(&im, 0, sizeof im);
    im.c = c;
    im.retry_unknown = retry_unknown;
    im.tty = isatty(STDERR_FILENO) && isatty(STDOUT_FILENO);
    pthread_mutex_init(&im.lock, NULL);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    im.dir = dir;

    /* Split into lines; identical lines are one candidate. */
    size_t lineno = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++; /* strtok_r skips empty lines: numbers count non-empty ones */
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (!n)
            continue;
        item *grown = realloc(im.items, (im.n + 1) * sizeof *grown);
        if (!grown) {
            free(text);
            return EXIT_FAILURE_;
        }
        im.items = grown;
        im.items[im.n] = (item){.text = line, .lineno = lineno, .hash = fnv1a(line, n)};
        im.n++;
    }

    char default_state[4200];
    if (!state_path) {
        snprintf(default_state, sizeof default_state, "%s.state", path);
        state_path = default_state;
    }
    /* One import per state file at a time: two would both send the lines
     * neither has recorded yet. The lock goes with the process, even on
     * kill -9. */
    im.state = fopen(state_path, "a+");
    if (!im.state) {
        fprintf(stderr, "%s: cannot write %s: %s\n", c->prog, state_path, strerror(errno));
        free(im.items);
        free(text);
        return EXIT_INPUT;
    }
    int loaded = -1;
    if (flock(fileno(im.state), LOCK_EX | LOCK_NB) != 0)
        fprintf(stderr, "%s: %s is in use by another import of the same file\n", c->prog,
                state_path);
    else if ((loaded = load_state(&im, im.state)) < 0)
        fprintf(stderr, "%s: %s exists but is not a uats import state file\n", c->prog,
                state_path);
    int rc = loaded < 0 ? EXIT_INPUT : cli_connection(c, &im.conn);
    if (rc != EXIT_OK) {
        fclose(im.state);
        free(im.items);
        free(text);
        return rc;
    }
    if (loaded == 0)
        fprintf(im.state, "%s\n", STATE_MAGIC);

    /* A duplicate line would be the same candidate twice. */
    for (size_t i = 0; i < im.n; i++)
        for (size_t k = 0; k < i; k++)
            if (im.items[k].hash == im.items[i].hash) {
                im.items[i].before = ST_DUPLICATE;
                im.items[i].dup_of = im.items[k].lineno;
                break;
            }

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    pthread_t threads[64];
    long started = 0;
    for (long t = 0; t < jobs; t++)
        if (pthread_create(&threads[t], NULL, worker, &im) == 0)
            started++;
    for (long t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (im.tty)
        fputc('\n', stderr);

    fprintf(stdout, "import %s: %zu lines: created %zu, failed %zu, skipped %zu, "
            "outcome unknown %zu%s\n", path, im.n, im.created, im.failed, im.skipped, im.unknown,
            interrupted ? " (interrupted: rerun to continue)" : "");
    size_t shown = 0;
    for (size_t i = 0; i < im.n && shown < 20; i++)
        if (im.items[i].outcome == 2 || im.items[i].outcome == 6) {
            fprintf(stderr, "  line %zu: %s\n", im.items[i].lineno,
                    im.items[i].result ? im.items[i].result : "");
            shown++;
        }
    fclose(im.state);
    for (size_t i = 0; i < im.n; i++)
        free(im.items[i].result);
    free(im.items);
    free(text);
    pthread_mutex_destroy(&im.lock);
    if (interrupted)
        return 130;
    return im.failed || im.unknown ? EXIT_PARTIAL : EXIT_OK;
}
