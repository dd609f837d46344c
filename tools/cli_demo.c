/*
 * tools/cli_demo.c: `uats demo`: the whole product offline. Starts
 * uats-sandbox on loopback, and through each bundled connector that has an
 * emulator creates a candidate with a resume, adds a cover letter, reads
 * the candidate back and prints it; then stops the sandbox.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* uats-sandbox beside this program (build tree or bindir), else on PATH. */
static void sandbox_path(char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            /* libtool's build-tree wrapper runs .libs/lt-uats or .libs/uats */
            size_t l = strlen(self);
            if (l > 6 && strcmp(self + l - 6, "/.libs") == 0)
                self[l - 6] = '\0';
            if (strlen(self) + sizeof "/uats-sandbox" <= size) {
                memcpy(out, self, strlen(self));
                memcpy(out + strlen(self), "/uats-sandbox", sizeof "/uats-sandbox");
                if (access(out, X_OK) == 0)
                    return;
            }
        }
    }
    snprintf(out, size, "uats-sandbox");
}

static const char resume_text[] =
    "Ada Lovelace\nAnalyst, Analytical Engines Ltd\n\nNotes on the Analytical Engine (1843).\n";
static const char letter_text[] = "Dear team,\nI would like to join the engine project.\nAda\n";

static const char candidate_json[] =
    "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"title\": \"Analyst\","
    " \"company\": \"Analytical Engines Ltd\","
    " \"email_addresses\": [{\"value\": \"ada@example.com\", \"type\": \"PERSONAL\"}],"
    " \"phone_numbers\": [{\"value\": \"+44 20 5555 0100\", \"type\": \"MOBILE\"}],"
    " \"urls\": [{\"value\": \"https://github.com/ada\", \"type\": \"GITHUB\"}],"
    " \"locations\": [\"London\"], \"tags\": [\"mathematics\"],"
    " \"application\": {\"source\": \"applicant\"}}";

static int attachment(const char *name, const char *type, const char *text, uats_object **out)
{
    uats_error err;
    *out = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    if (!*out || uats_set_string(*out, UATS_F_FILE_NAME, name, &err) != UATS_OK ||
        uats_set_string(*out, UATS_F_CONTENT_TYPE, "text/plain", &err) != UATS_OK ||
        uats_set_string(*out, UATS_F_ATTACHMENT_TYPE, type, &err) != UATS_OK ||
        uats_set_data(*out, text, strlen(text), &err) != UATS_OK) {
        uats_object_free(*out);
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

/* The job the sandbox says this vendor has open (<config>.job beside the
 * configuration), or NULL: then the demo applies to none. */
static char *demo_job(const char *config_path)
{
    char path[PATH_MAX];
    size_t len = strlen(config_path);
    snprintf(path, sizeof path, "%.*s.job", (int)(len > 5 ? len - 5 : len), config_path);
    char *job = cli_read_file(path, &len);
    if (job)
        job[strcspn(job, "\r\n")] = '\0';
    return job;
}

/* Whether the connector stores "id": its vendor keys candidates by the
 * caller's id (Eightfold), so the demo names one. */
static bool demo_wants_id(uats_conn *conn)
{
    const char *f;
    for (size_t i = 0; (f = uats_module_stored_field(uats_conn_module(conn), i)); i++)
        if (strcmp(f, "id") == 0)
            return true;
    return false;
}

static uats_code set_demo_id(uats_object *in, uats_error *err)
{
    char id[64];
    snprintf(id, sizeof id, "uats-demo-%ld-%ld", (long)time(NULL), (long)getpid());
    return uats_set_string(in, UATS_F_ID, id, err);
}

/* run_one's answer for a configuration whose connector is not installed. */
#define EXIT_SKIPPED (-1)

static int run_one(cli *c, uats_ctx *ctx, const char *config_path)
{
    size_t len;
    char *config = cli_read_file(config_path, &len), *job = demo_job(config_path);
    uats_conn *conn = NULL;
    uats_object *in = NULL, *created = NULL, *cover = NULL, *att = NULL, *got = NULL;
    uats_warnings *w = NULL;
    uats_error err;
    int rc = EXIT_FAILURE_;
    if (!config)
        return EXIT_CONFIG;
    /* The sandbox emulates every vendor it was built with; show only the
     * connectors installed here (packagers ship each one separately). */
    json_t *doc = json_loads(config, 0, NULL);
    const char *wanted = json_string_value(json_object_get(doc, "connector"));
    bool installed = wanted && uats_ctx_find(ctx, wanted);
    json_decref(doc);
    if (!installed) {
        free(config);
        free(job);
        return EXIT_SKIPPED;
    }
    if (uats_conn_open_str(ctx, config, &conn, &err) != UATS_OK) {
        rc = cli_fail(c, config_path, &err);
        goto out;
    }
    const char *name = uats_module_name(uats_conn_module(conn));
    /* One connector may have several configurations (Greenhouse v3, v1). */
    const char *file = strrchr(config_path, '/') ? strrchr(config_path, '/') + 1 : config_path;
    size_t flen = strlen(file) > 5 ? strlen(file) - 5 : strlen(file);
    if (strncmp(file, name, flen) == 0 && strlen(name) == flen)
        printf("== %s (%s)\n", name, uats_module_vendor(uats_conn_module(conn)));
    else
        printf("== %s (%s, %.*s)\n", name, uats_module_vendor(uats_conn_module(conn)),
               (int)flen, file);
    uats_object *resume;
    if (uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, candidate_json, strlen(candidate_json),
                              &in, &err) != UATS_OK ||
        (job && uats_set_string(in, UATS_F_JOB_ID, job, &err) != UATS_OK) ||
        (demo_wants_id(conn) && set_demo_id(in, &err) != UATS_OK) ||
        attachment("ada-resume.txt", "RESUME", resume_text, &resume) != EXIT_OK ||
        uats_add_attachment_input(in, resume, &err) != UATS_OK)
        goto out;
    if (uats_candidate_create(conn, in, &created, &w, &err) != UATS_OK) {
        rc = cli_fail(c, "creating the candidate", &err);
        goto out;
    }
    const char *id = uats_get_string(created, UATS_F_ID);
    printf("created candidate %s with a resume\n", id);
    cli_print_warnings(w);
    uats_warnings_free(w);
    w = NULL;
    if (attachment("cover-letter.txt", "COVER_LETTER", letter_text, &cover) != EXIT_OK)
        goto out;
    uats_code added = uats_attachment_add(conn, id, cover, &att, &w, &err);
    if (added == UATS_E_UNSUPPORTED) {
        /* A vendor without the call (Workable): the rest still shows. */
        printf("no cover letter: %s\n", err.text);
    } else if (added != UATS_OK) {
        rc = cli_fail(c, "adding the cover letter", &err);
        goto out;
    } else {
        printf("added cover letter %s\n", uats_get_string(att, UATS_F_ID));
        cli_print_warnings(w);
    }
    if (uats_candidate_get(conn, id, &got, &err) != UATS_OK) {
        rc = cli_fail(c, "reading the candidate back", &err);
        goto out;
    }
    printf("the candidate as %s stores it, in the unified model:\n", name);
    rc = cli_print_object(got, 0, NULL, false);
out:
    uats_warnings_free(w);
    uats_object_free(got);
    uats_object_free(att);
    uats_object_free(cover);
    uats_object_free(created);
    uats_object_free(in);
    uats_conn_close(conn);
    free(config);
    free(job);
    return rc;
}

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_demo(cli *c, int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            printf("Usage: uats demo\n\n"
                   "Start uats-sandbox on loopback and, through every bundled connector with\n"
                   "an emulator, create a candidate with a resume, add a cover letter, and\n"
                   "print the candidate read back. No credentials, no network.\n");
            return EXIT_OK;
        }
        return cli_usage(c, "demo takes no arguments");
    }
    uats_ctx *ctx;
    int rc = cli_context(c, &ctx);
    if (rc != EXIT_OK)
        return rc;

    char dir[] = "/tmp/uats-demo-XXXXXX", sandbox[PATH_MAX], urls[PATH_MAX + 16];
    if (!mkdtemp(dir)) {
        fprintf(stderr, "%s: cannot make a temporary directory: %s\n", c->prog, strerror(errno));
        return EXIT_FAILURE_;
    }
    sandbox_path(sandbox, sizeof sandbox);
    snprintf(urls, sizeof urls, "%s/urls", dir);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
#ifdef __linux__
        /* If uats dies before it can stop the sandbox (killed, or a closed
         * pipe: `uats demo | head`), the sandbox goes too. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
            _exit(0);
#endif
        FILE *o = freopen(urls, "w", stdout);
        (void)o;
        execlp(sandbox, "uats-sandbox", "--config-dir", dir, (char *)NULL);
        fprintf(stderr, "uats: cannot run %s: %s\n", sandbox, strerror(errno));
        _exit(127);
    }
    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", c->prog, strerror(errno));
        return EXIT_FAILURE_;
    }

    /* Wait for the sandbox to write its configurations (5 s at most). */
    char **configs = NULL;
    size_t n = 0;
    for (int tries = 0; tries < 100 && n == 0; tries++) {
        struct timespec pause = {0, 50 * 1000000L};
        nanosleep(&pause, NULL);
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "%s: uats-sandbox exited before it was ready\n", c->prog);
            pid = -1;
            break;
        }
        size_t len;
        char *text = cli_read_file(urls, &len);
        if (text && len && text[len - 1] == '\n') {
            DIR *d = opendir(dir);
            struct dirent *e;
            while (d && (e = readdir(d)) != NULL) {
                size_t l = strlen(e->d_name);
                if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
                    char **grown = realloc(configs, (n + 1) * sizeof *grown);
                    if (!grown)
                        break;
                    configs = grown;
                    configs[n] = malloc(strlen(dir) + l + 2);
                    sprintf(configs[n], "%s/%s", dir, e->d_name);
                    n++;
                }
            }
            if (d)
                closedir(d);
        }
        free(text);
    }
    /* Connectors that need no vendor at all (the in-memory one) join in. */
    if (n > 0 && uats_ctx_find(ctx, "memory")) {
        char *path = malloc(strlen(dir) + 16);
        FILE *f = path ? (sprintf(path, "%s/memory.json", dir), fopen(path, "w")) : NULL;
        char **grown = f ? realloc(configs, (n + 1) * sizeof *grown) : NULL;
        if (grown) {
            fputs("{\"connector\": \"memory\"}\n", f);
            configs = grown;
            configs[n++] = path;
            path = NULL;
        }
        if (f)
            fclose(f);
        free(path);
    }
    if (n == 0) {
        rc = EXIT_CONFIG;
        if (pid > 0)
            fprintf(stderr, "%s: uats-sandbox did not start in time\n", c->prog);
    } else {
        qsort(configs, n, sizeof *configs, compare);
        printf("uats-sandbox is serving the vendor emulators on 127.0.0.1; here is each "
               "installed connector at work\n\n");
        rc = EXIT_OK;
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
            int one = run_one(c, ctx, configs[i]);
            if (one == EXIT_SKIPPED)
                continue;
            shown++;
            if (one != EXIT_OK && rc == EXIT_OK)
                rc = one;
            printf("\n");
        }
        if (shown == 0) {
            fprintf(stderr, "%s: none of the sandbox's vendors has its connector installed\n",
                    c->prog);
            rc = EXIT_CONFIG;
        }
    }
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    for (size_t i = 0; i < n; i++) {
        unlink(configs[i]);
        size_t l = strlen(configs[i]);
        if (l > 5) {
            strcpy(configs[i] + l - 5, ".job");
            unlink(configs[i]);
        }
        free(configs[i]);
    }
    free(configs);
    unlink(urls);
    rmdir(dir);
    return rc;
}
