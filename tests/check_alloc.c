/*
 * tests/check_alloc.c: the allocation-failure sweep (as curl's torture
 * tests). Every allocation of libuats, of the connectors (host->alloc) and
 * of jansson goes through a counting allocator; a scenario (load, open,
 * create with a resume, get, add an attachment, get) is run once to count
 * its allocations, then once per allocation k with the k-th failing. Each
 * run must end with UATS_OK or a clean UATS_E_NOMEM (UATS_E_OUTCOME_UNKNOWN
 * when the failure comes after the vendor accepted a write), never crash,
 * and free every allocation it made.
 *
 * The memory connector runs in process; Lever runs against uats-sandbox in
 * a child process, so that the emulator's own allocations are not counted.
 */
#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"

static long counter, fail_at, live, failed_count;

static void *t_malloc(size_t n)
{
    if (++counter == fail_at) {
        failed_count++;
        return NULL;
    }
    void *p = malloc(n);
    if (p)
        live++;
    return p;
}

static void *t_realloc(void *p, size_t n)
{
    if (++counter == fail_at) {
        failed_count++;
        return NULL;
    }
    void *q = realloc(p, n);
    if (q && !p)
        live++;
    return q;
}

static void t_free(void *p)
{
    if (p)
        live--;
    free(p);
}

static char lever_config[4096];
static pid_t sandbox;
static char *workdir;

static bool acceptable(uats_code rc, bool write)
{
    return rc == UATS_OK || rc == UATS_E_NOMEM || (write && rc == UATS_E_OUTCOME_UNKNOWN);
}

/* One run of the scenario. Returns false (with why) on an unacceptable
 * outcome; stops at the first failing step, as a host would. */
static bool scenario(const char *config, char *why, size_t size)
{
    uats_ctx *ctx = NULL;
    uats_conn *conn = NULL;
    uats_object *in = NULL, *created = NULL, *got = NULL, *att_in = NULL, *att = NULL;
    uats_error err;
    uats_code rc;
    bool ok = true;
    char dir[1024];
    static const char doc[] =
        "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"tags\": [\"a\", \"b\"],"
        " \"email_addresses\": [{\"value\": \"ada@example.com\", \"type\": \"WORK\"}],"
        " \"application\": {\"job_id\": \"j1\", \"source\": \"applicant\"},"
        " \"attachments\": [{\"file_name\": \"cv.txt\", \"type\": \"RESUME\", \"data\": \"Q1Y=\"}]}";
#define STEP(call, write, what)                                                  \
    do {                                                                         \
        rc = (call);                                                             \
        if (!acceptable(rc, write)) {                                            \
            snprintf(why, size, "%s: %s (%s)", what, uats_code_name(rc), err.text); \
            ok = false;                                                          \
            goto out;                                                            \
        }                                                                        \
        if (rc != UATS_OK)                                                       \
            goto out;                                                            \
    } while (0)

    STEP(uats_ctx_new(&ctx, &err), false, "ctx_new");
    uats_ctx_only_explicit_dirs(ctx);
    snprintf(dir, sizeof dir, "%s/memory", test_env("UATS_TEST_PLUGINS"));
    STEP(uats_ctx_add_dir(ctx, dir, &err), false, "add_dir");
    snprintf(dir, sizeof dir, "%s/lever", test_env("UATS_TEST_PLUGINS"));
    STEP(uats_ctx_add_dir(ctx, dir, &err), false, "add_dir");
    STEP(uats_ctx_load(ctx, &err), false, "load");
    STEP(uats_conn_open_str(ctx, config, &conn, &err), false, "open");
    STEP(uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, doc, sizeof doc - 1, &in, &err), false,
         "from_text");
    STEP(uats_candidate_create(conn, in, &created, NULL, &err), true, "create");
    STEP(uats_candidate_get(conn, uats_get_string(created, UATS_F_ID), &got, &err), false, "get");
    att_in = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    STEP(att_in ? UATS_OK : UATS_E_NOMEM, false, "object_new");
    STEP(uats_set_string(att_in, UATS_F_FILE_NAME, "letter.txt", &err), false, "set_string");
    STEP(uats_set_data(att_in, "dear team", 9, &err), false, "set_data");
    STEP(uats_attachment_add(conn, uats_get_string(created, UATS_F_ID), att_in, &att, NULL, &err),
         true, "attach");
    uats_object_free(got);
    got = NULL;
    STEP(uats_candidate_get(conn, uats_get_string(created, UATS_F_ID), &got, &err), false, "get");
    char *text = uats_object_to_text(got, UATS_JSON_REMOTE_DATA);
    STEP(text ? UATS_OK : UATS_E_NOMEM, false, "to_text");
    uats_free(text);
out:
    uats_object_free(att);
    uats_object_free(att_in);
    uats_object_free(got);
    uats_object_free(created);
    uats_object_free(in);
    uats_conn_close(conn);
    uats_ctx_free(ctx);
    return ok;
#undef STEP
}

/* Count, then fail each allocation in turn. */
static void sweep(const char *config, const char *name)
{
    char why[600];
    counter = live = failed_count = 0;
    fail_at = -1;
    ck_assert_msg(scenario(config, why, sizeof why), "%s without failures: %s", name, why);
    ck_assert_msg(live == 0, "%s leaked %ld allocations", name, live);
    long total = counter;
    ck_assert_int_gt(total, 100);
    /* UATS_SWEEP_STRIDE=n tries every n-th point only (for slow runs under
     * valgrind), as curl's --shallow does; 1, the default, tries them all. */
    const char *stride_env = getenv("UATS_SWEEP_STRIDE");
    long stride = stride_env ? atol(stride_env) : 1;
    if (stride < 1)
        stride = 1;
    long nomem_runs = 0, tried = 0;
    for (long k = 1; k <= total; k += stride) {
        tried++;
        counter = live = failed_count = 0;
        fail_at = k;
        bool ok = scenario(config, why, sizeof why);
        ck_assert_msg(ok, "%s, allocation %ld of %ld failing: %s", name, k, total, why);
        ck_assert_msg(live == 0, "%s, allocation %ld failing: %ld allocations leaked", name, k,
                      live);
        nomem_runs += failed_count > 0;
    }
    fail_at = -1;
    printf("%s: %ld of %ld allocation points swept, each failing cleanly\n", name, tried, total);
    ck_assert_int_eq(nomem_runs, tried);
}

static void start_sandbox(void)
{
    char urls[1100], path[1100], sandbox_bin[1024];
    workdir = make_temp_dir();
    snprintf(sandbox_bin, sizeof sandbox_bin, "%s/tools/uats-sandbox", test_env("UATS_BUILDDIR"));
    snprintf(urls, sizeof urls, "%s/urls", workdir);
    sandbox = fork();
    if (sandbox == 0) {
        if (!freopen(urls, "w", stdout))
            _exit(126);
        execl(sandbox_bin, "uats-sandbox", "--config-dir", workdir, (char *)NULL);
        _exit(127);
    }
    snprintf(path, sizeof path, "%s/lever.json", workdir);
    for (int i = 0; i < 100 && access(path, R_OK) != 0; i++)
        usleep(50000);
    usleep(50000);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(lever_config, 1, sizeof lever_config - 1, f);
    lever_config[n] = '\0';
    fclose(f);
}

static void stop_sandbox(void)
{
    if (sandbox > 0) {
        kill(sandbox, SIGTERM);
        waitpid(sandbox, NULL, 0);
    }
    rm_tree(workdir);
}

START_TEST(memory_connector_sweep)
{
    sweep("{\"connector\": \"memory\"}", "memory connector");
}
END_TEST

START_TEST(lever_connector_sweep)
{
    const char *built = getenv("UATS_TEST_CONNECTORS");
    if (built && !strstr(built, "lever"))
        return; /* configure --disable-connector-lever */
    start_sandbox();
    sweep(lever_config, "lever connector (HTTP)");
    stop_sandbox();
}
END_TEST

int main(void)
{
    /* Before anything allocates. */
    if (uats_set_alloc_funcs(t_malloc, t_realloc, t_free) != UATS_OK)
        return EXIT_FAILURE;
    Suite *s = suite_create("allocation failures");
    TCase *tc = tcase_create("sweep");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, memory_connector_sweep);
    tcase_add_test(tc, lever_connector_sweep);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
