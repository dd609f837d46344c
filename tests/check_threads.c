/*
 * tests/check_threads.c: many threads at once. Each thread has its own
 * connection (to Lever through its emulator, and to the memory connector)
 * and runs create, get and add-attachment; then several threads share one
 * connection, as `uats candidate import -j` does. Run under helgrind in CI
 * (tests/helgrind.supp lists the libraries' own reports).
 */
#include <pthread.h>

#include "emu.h"
#include "lever_emu.h"
#include "testutil.h"

#define THREADS 4
#define ROUNDS 10

static emu_server *emu;
static lever_emu *lever;
static uats_ctx *ctx;

typedef struct job {
    uats_conn *conn;
    int created, failures;
    char why[256];
} job;

static void *work(void *arg)
{
    job *j = arg;
    for (int r = 0; r < ROUNDS; r++) {
        uats_object *in = uats_object_new(UATS_KIND_CANDIDATE_INPUT), *out = NULL, *got = NULL;
        uats_object *att = uats_object_new(UATS_KIND_ATTACHMENT_INPUT), *added = NULL;
        uats_error err;
        char email[64];
        snprintf(email, sizeof email, "t%p-%d@example.com", (void *)j, r);
        if (uats_set_string(in, UATS_F_FIRST_NAME, "Thread", &err) != UATS_OK ||
            uats_list_add_typed(in, UATS_F_EMAIL_ADDRESSES, email, 0, &err) != UATS_OK ||
            uats_candidate_create(j->conn, in, &out, NULL, &err) != UATS_OK ||
            uats_candidate_get(j->conn, uats_get_string(out, UATS_F_ID), &got, &err) != UATS_OK ||
            uats_set_string(att, UATS_F_FILE_NAME, "t.txt", &err) != UATS_OK ||
            uats_set_data(att, "thread", 6, &err) != UATS_OK ||
            uats_attachment_add(j->conn, uats_get_string(out, UATS_F_ID), att, &added, NULL,
                                &err) != UATS_OK) {
            j->failures++;
            snprintf(j->why, sizeof j->why, "%s", err.text);
        } else {
            j->created++;
        }
        uats_object_free(added);
        uats_object_free(att);
        uats_object_free(got);
        uats_object_free(out);
        uats_object_free(in);
    }
    return NULL;
}

static uats_conn *open_conn(const char *connector)
{
    char config[512];
    uats_conn *conn;
    uats_error err;
    if (strcmp(connector, "memory") == 0)
        snprintf(config, sizeof config, "{\"connector\": \"memory\"}");
    else
        snprintf(config, sizeof config,
                 "{\"connector\": \"lever\", \"base_url\": \"%s/v1\", \"credentials\": "
                 "{\"api_key\": \"k\"}, \"options\": {\"perform_as\": \"u\"}}",
                 emu_base_url(emu));
    ck_assert_msg(uats_conn_open_str(ctx, config, &conn, &err) == UATS_OK, "%s", err.text);
    return conn;
}

static void setup(void)
{
    uats_error err;
    char dir[1024];
    emu = emu_start();
    lever_emu_config cfg = {"k", NULL, 0, 0};
    lever = lever_emu_install(emu, &cfg);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    snprintf(dir, sizeof dir, "%s/lever", test_env("UATS_TEST_PLUGINS"));
    uats_ctx_add_dir(ctx, dir, &err);
    snprintf(dir, sizeof dir, "%s/memory", test_env("UATS_TEST_PLUGINS"));
    uats_ctx_add_dir(ctx, dir, &err);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
}

static void teardown(void)
{
    uats_ctx_free(ctx);
    emu_stop(emu);
    lever_emu_free(lever);
}

static void run(job *jobs, int n)
{
    pthread_t t[THREADS * 2];
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, work, &jobs[i]), 0);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(jobs[i].failures == 0, "thread %d: %s", i, jobs[i].why);
        ck_assert_int_eq(jobs[i].created, ROUNDS);
    }
}

START_TEST(own_connection_per_thread)
{
    job jobs[THREADS * 2];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < THREADS * 2; i++)
        jobs[i].conn = open_conn(i % 2 ? "memory" : "lever");
    run(jobs, THREADS * 2);
    ck_assert_uint_eq(lever_emu_opportunity_count(lever), (size_t)THREADS * ROUNDS);
    for (int i = 0; i < THREADS * 2; i++)
        uats_conn_close(jobs[i].conn);
}
END_TEST

START_TEST(shared_connection)
{
    job jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    uats_conn *shared = open_conn("lever");
    for (int i = 0; i < THREADS; i++)
        jobs[i].conn = shared;
    run(jobs, THREADS);
    ck_assert_uint_eq(lever_emu_opportunity_count(lever), (size_t)THREADS * ROUNDS);
    uats_conn_close(shared);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("concurrent");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, own_connection_per_thread);
    tcase_add_test(tc, shared_connection);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
