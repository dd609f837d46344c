/*
 * tests/check_store.c: uatsd's store (tools/uatsd/store.h), the same cases
 * against each back end:
 *  - SQLite, always, on a file in a fresh temporary directory;
 *  - PostgreSQL when UATSD_TEST_PG holds a store URL (scripts/postgres.sh
 *    prints one), else those cases are skipped and the run says so. Each
 *    case gets a schema of its own (search_path in the URL's options), so
 *    runs never see each other's rows and the schema is created afresh.
 *
 * Cases: API keys (new, check, wrong, tampered, revoked), connections
 * (put, replace and its version, by token, version, delete, list),
 * STORE_EXISTS on a taken name and a taken token, two handles on one
 * database, eight threads at once; for PostgreSQL also a schema created by
 * eight instances starting together, connections the server ended, and
 * error texts that never carry the password.
 */
#define _GNU_SOURCE /* asprintf */

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store.h"
#include "testutil.h"

#define NTHREADS 8

/* The database of the running case: a URL for store_open. */
static char *g_url;
/* SQLite: the directory holding the file. PostgreSQL: the schema and the
 * application_name (to find this case's server sessions). */
static char *g_dir;
static char g_schema[64];

/* ------------------------------------------------------------------------ */
/* fixtures                                                                  */

static void setup_sqlite(void)
{
    g_dir = make_temp_dir();
    ck_assert_int_ge(asprintf(&g_url, "sqlite:%s/store.db", g_dir), 0);
}

static void teardown_sqlite(void)
{
    free(g_url);
    g_url = NULL;
    rm_tree(g_dir);
    g_dir = NULL;
}

/* A session on the test database for what the store does not offer. */
static PGconn *pg_admin(void)
{
    PGconn *c = PQconnectdb(getenv("UATSD_TEST_PG"));
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "cannot reach UATSD_TEST_PG");
    return c;
}

static void pg_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
                  "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
}

static void setup_pg(void)
{
    static unsigned counter;
    snprintf(g_schema, sizeof g_schema, "uatsd_check_%ld_%u", (long)getpid(), counter++);
    PGconn *c = pg_admin();
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", g_schema);
    pg_exec(c, sql);
    PQfinish(c);
    /* A URI parameter value is percent-decoded: %3D is '='. */
    const char *base = getenv("UATSD_TEST_PG");
    ck_assert_int_ge(asprintf(&g_url, "%s%coptions=-csearch_path%%3D%s&application_name=%s",
                              base, strchr(base, '?') ? '&' : '?', g_schema, g_schema),
                     0);
}

static void teardown_pg(void)
{
    PGconn *c = pg_admin();
    char sql[160];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", g_schema);
    PQsetNoticeProcessor(c, NULL, NULL);
    PGresult *r = PQexec(c, "SET client_min_messages = warning");
    PQclear(r);
    pg_exec(c, sql);
    PQfinish(c);
    free(g_url);
    g_url = NULL;
}

static store *open_store(void)
{
    char why[STORE_WHY] = "";
    store *s = NULL;
    ck_assert_msg(store_open(g_url, &s, why) == 0, "store_open: %s", why);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* ------------------------------------------------------------------------ */
/* helpers                                                                   */

/* The id of a key "uatsd_<id>_<secret>". */
static void key_id(const char *key, char *id, size_t size)
{
    ck_assert_msg(strncmp(key, "uatsd_", 6) == 0, "key without its prefix");
    const char *start = key + 6;
    const char *end = strchr(start, '_');
    ck_assert_ptr_nonnull(end);
    ck_assert_uint_lt((size_t)(end - start), size);
    memcpy(id, start, (size_t)(end - start));
    id[end - start] = '\0';
}

static void put_ok(store *s, const char *name, const char *token, const char *config,
                   int replace)
{
    char why[STORE_WHY] = "";
    int rc = store_conn_put(s, name, token, config, replace, why);
    ck_assert_msg(rc == 0, "put %s: %d %s", name, rc, why);
}

static int64_t version_of(store *s, const char *token)
{
    char hash[65], why[STORE_WHY] = "";
    store_sha256_hex(token, strlen(token), hash);
    int64_t v = -1;
    int rc = store_conn_version(s, hash, &v, why);
    ck_assert_msg(rc == 0, "version: %d %s", rc, why);
    return v;
}

static int version_rc(store *s, const char *token)
{
    char hash[65], why[STORE_WHY] = "";
    store_sha256_hex(token, strlen(token), hash);
    int64_t v;
    return store_conn_version(s, hash, &v, why);
}

/* The connection of token: its config must be config (NULL: absent). */
static int64_t expect_conn(store *s, const char *token, const char *name, const char *config)
{
    char why[STORE_WHY] = "";
    store_connection c = {0};
    int rc = store_conn_by_token(s, token, &c, why);
    if (!config) {
        ck_assert_int_eq(rc, STORE_NOT_FOUND);
        return -1;
    }
    ck_assert_msg(rc == 0, "by_token: %d %s", rc, why);
    char hash[65];
    store_sha256_hex(token, strlen(token), hash);
    ck_assert_str_eq(c.name, name);
    ck_assert_str_eq(c.token_hash, hash);
    ck_assert_str_eq(c.config, config);
    int64_t v = c.version;
    store_connection_clear(&c);
    return v;
}

typedef struct listing {
    char names[16][64];
    int64_t versions[16];
    int n;
    int config_seen;
} listing;

static void collect(const store_connection *c, void *ud)
{
    listing *l = ud;
    if (c->config)
        l->config_seen = 1;
    if (l->n < 16) {
        snprintf(l->names[l->n], sizeof l->names[l->n], "%s", c->name);
        l->versions[l->n] = c->version;
    }
    l->n++;
}

static listing list_of(store *s)
{
    listing l = {0};
    char why[STORE_WHY] = "";
    ck_assert_msg(store_conn_list(s, collect, &l, why) == 0, "list: %s", why);
    ck_assert_msg(!l.config_seen, "the list carries configurations");
    return l;
}

/* ------------------------------------------------------------------------ */
/* cases for every back end                                                  */

START_TEST(test_keys)
{
    store *s = open_store();
    char why[STORE_WHY] = "";
    char key[STORE_KEY_SIZE], other[STORE_KEY_SIZE];
    ck_assert_msg(store_key_new(s, "ci", key, why) == 0, "key_new: %s", why);
    ck_assert_msg(store_key_new(s, "", other, why) == 0, "key_new: %s", why);
    ck_assert_str_ne(key, other);
    ck_assert_int_eq(store_key_check(s, key, why), 1);
    ck_assert_int_eq(store_key_check(s, other, why), 1);

    /* Wrong: unknown id, no prefix, empty. */
    ck_assert_int_eq(store_key_check(s, "uatsd_nosuchid_secretsecretsecret", why), 0);
    ck_assert_int_eq(store_key_check(s, "not-a-key", why), 0);
    ck_assert_int_eq(store_key_check(s, "", why), 0);

    /* Tampered: last secret character changed, secret cut short, secret
     * longer, and one key's id with the other's secret. */
    char bad[2 * STORE_KEY_SIZE + 8];
    size_t len = strlen(key);
    snprintf(bad, sizeof bad, "%s", key);
    bad[len - 1] = bad[len - 1] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(store_key_check(s, bad, why), 0);
    snprintf(bad, sizeof bad, "%.*s", (int)(len - 1), key);
    ck_assert_int_eq(store_key_check(s, bad, why), 0);
    snprintf(bad, sizeof bad, "%sA", key);
    ck_assert_int_eq(store_key_check(s, bad, why), 0);
    char id[STORE_KEY_SIZE], other_id[STORE_KEY_SIZE];
    key_id(key, id, sizeof id);
    key_id(other, other_id, sizeof other_id);
    snprintf(bad, sizeof bad, "uatsd_%s%s", id, other + 6 + strlen(other_id));
    ck_assert_int_eq(store_key_check(s, bad, why), 0);

    /* Revoked: refused from then on; the other key still passes. */
    ck_assert_int_eq(store_key_revoke(s, id, why), 0);
    ck_assert_int_eq(store_key_check(s, key, why), 0);
    ck_assert_int_eq(store_key_check(s, other, why), 1);
    ck_assert_int_eq(store_key_revoke(s, "nosuchid", why), STORE_NOT_FOUND);
    store_close(s);
}
END_TEST

START_TEST(test_conn_put_replace)
{
    store *s = open_store();
    char why[STORE_WHY] = "";
    put_ok(s, "acme", "tok-acme", "{\"connector\":\"lever\",\"api_key\":\"k1\"}", 0);
    int64_t v1 = expect_conn(s, "tok-acme", "acme", "{\"connector\":\"lever\",\"api_key\":\"k1\"}");
    ck_assert_int_eq(version_of(s, "tok-acme"), v1);

    /* Replace: new configuration, version bumped, same token. */
    put_ok(s, "acme", "tok-acme", "{\"connector\":\"lever\",\"api_key\":\"k2\"}", 1);
    int64_t v2 = expect_conn(s, "tok-acme", "acme", "{\"connector\":\"lever\",\"api_key\":\"k2\"}");
    ck_assert_int_gt(v2, v1);
    ck_assert_int_eq(version_of(s, "tok-acme"), v2);

    /* Replace with a new token: the old one no longer names it. */
    put_ok(s, "acme", "tok-acme-2", "{\"connector\":\"lever\",\"api_key\":\"k3\"}", 1);
    expect_conn(s, "tok-acme", NULL, NULL);
    ck_assert_int_eq(version_rc(s, "tok-acme"), STORE_NOT_FOUND);
    int64_t v3 = expect_conn(s, "tok-acme-2", "acme", "{\"connector\":\"lever\",\"api_key\":\"k3\"}");
    ck_assert_int_gt(v3, v2);

    /* Replace of a name not there yet adds it. */
    put_ok(s, "beta", "tok-beta", "{}", 1);
    expect_conn(s, "tok-beta", "beta", "{}");
    (void)why;
    store_close(s);
}
END_TEST

/* store_conn_update: only over the version read, which it then moves on. */
START_TEST(test_conn_update)
{
    store *s = open_store();
    char why[STORE_WHY] = "";
    put_ok(s, "acme", "tok-acme", "{\"r\":1}", 0);
    int64_t v1 = version_of(s, "tok-acme"), v2 = -1, v3 = -1;
    ck_assert_msg(store_conn_update(s, "acme", v1, "{\"r\":2}", &v2, why) == 0, "%s", why);
    ck_assert_int_gt(v2, v1);
    ck_assert_int_eq(expect_conn(s, "tok-acme", "acme", "{\"r\":2}"), v2);
    /* Stale: the row moved on since v1 was read. Nothing written. */
    ck_assert_int_eq(store_conn_update(s, "acme", v1, "{\"r\":3}", &v3, why), STORE_NOT_FOUND);
    ck_assert_int_eq(v3, -1);
    expect_conn(s, "tok-acme", "acme", "{\"r\":2}");
    /* Replaced by someone else, then asked with the old version. */
    put_ok(s, "acme", "tok-acme", "{\"admin\":1}", 1);
    ck_assert_int_eq(store_conn_update(s, "acme", v2, "{\"r\":3}", &v3, why), STORE_NOT_FOUND);
    expect_conn(s, "tok-acme", "acme", "{\"admin\":1}");
    /* Gone, or never there. */
    int64_t v4 = version_of(s, "tok-acme");
    ck_assert_int_eq(store_conn_delete(s, "acme", why), 0);
    ck_assert_int_eq(store_conn_update(s, "acme", v4, "{}", &v3, why), STORE_NOT_FOUND);
    ck_assert_int_eq(store_conn_update(s, "nobody", 1, "{}", &v3, why), STORE_NOT_FOUND);
    store_close(s);
}
END_TEST

START_TEST(test_conn_exists)
{
    store *s = open_store();
    char why[STORE_WHY] = "";
    put_ok(s, "acme", "tok-acme", "{\"a\":1}", 0);
    /* The name taken. */
    ck_assert_int_eq(store_conn_put(s, "acme", "tok-other", "{}", 0, why), STORE_EXISTS);
    ck_assert_msg(!strstr(why, "tok-"), "why carries a token: %s", why);
    expect_conn(s, "tok-acme", "acme", "{\"a\":1}");
    expect_conn(s, "tok-other", NULL, NULL);
    /* The token taken, by add and by replace. */
    ck_assert_int_eq(store_conn_put(s, "beta", "tok-acme", "{}", 0, why), STORE_EXISTS);
    ck_assert_int_eq(store_conn_put(s, "beta", "tok-acme", "{}", 1, why), STORE_EXISTS);
    put_ok(s, "beta", "tok-beta", "{}", 0);
    ck_assert_int_eq(store_conn_put(s, "beta", "tok-acme", "{}", 1, why), STORE_EXISTS);
    expect_conn(s, "tok-acme", "acme", "{\"a\":1}");
    expect_conn(s, "tok-beta", "beta", "{}");
    listing l = list_of(s);
    ck_assert_int_eq(l.n, 2);
    store_close(s);
}
END_TEST

START_TEST(test_conn_delete_list)
{
    store *s = open_store();
    char why[STORE_WHY] = "";
    listing l = list_of(s);
    ck_assert_int_eq(l.n, 0);
    put_ok(s, "charlie", "tok-c", "{}", 0);
    put_ok(s, "alpha", "tok-a", "{}", 0);
    put_ok(s, "bravo", "tok-b", "{}", 0);
    l = list_of(s);
    ck_assert_int_eq(l.n, 3);
    ck_assert_str_eq(l.names[0], "alpha");
    ck_assert_str_eq(l.names[1], "bravo");
    ck_assert_str_eq(l.names[2], "charlie");
    ck_assert_int_eq(l.versions[0], version_of(s, "tok-a"));

    ck_assert_int_eq(store_conn_delete(s, "bravo", why), 0);
    ck_assert_int_eq(store_conn_delete(s, "bravo", why), STORE_NOT_FOUND);
    ck_assert_int_eq(store_conn_delete(s, "nosuch", why), STORE_NOT_FOUND);
    expect_conn(s, "tok-b", NULL, NULL);
    ck_assert_int_eq(version_rc(s, "tok-b"), STORE_NOT_FOUND);
    l = list_of(s);
    ck_assert_int_eq(l.n, 2);
    ck_assert_str_eq(l.names[0], "alpha");
    ck_assert_str_eq(l.names[1], "charlie");

    /* Deleted and added again under the same token: a version no one has
     * seen, or a cache holding the old configuration would trust it. */
    int64_t old = version_of(s, "tok-a");
    ck_assert_int_eq(store_conn_delete(s, "alpha", why), 0);
    put_ok(s, "alpha", "tok-a", "{\"new\":true}", 0);
    ck_assert_int_ne(version_of(s, "tok-a"), old);
    store_close(s);
}
END_TEST

START_TEST(test_idempotency)
{
    store *a = open_store();
    store *b = open_store();
    char why[STORE_WHY] = "";
    store_idem rec;
    /* Unique per run: PostgreSQL runs share tables across test programs. */
    char scope[65], k1[65];
    snprintf(scope, sizeof scope, "scope-%d-%ld", (int)getpid(), (long)time(NULL));
    store_sha256_hex("key-1", 5, k1);
    const char *h1 = "1111111111111111111111111111111111111111111111111111111111111111";

    ck_assert_msg(store_idem_claim(a, scope, k1, h1, &rec, why) == 0, "claim: %s", why);
    /* A second claim, from another handle, sees the running record. */
    ck_assert_int_eq(store_idem_claim(b, scope, k1, h1, &rec, why), STORE_EXISTS);
    ck_assert_int_eq(rec.done, 0);
    ck_assert_str_eq(rec.request_hash, h1);
    ck_assert_ptr_null(rec.body);
    /* Released (nothing was written): free for a retry. */
    ck_assert_int_eq(store_idem_release(b, scope, k1, why), 0);
    ck_assert_msg(store_idem_claim(b, scope, k1, h1, &rec, why) == 0, "reclaim: %s", why);
    /* Finished: the answer is what every later claim gets. */
    ck_assert_int_eq(store_idem_finish(b, scope, k1, 201, "{\"id\":\"x\"}", why), 0);
    ck_assert_int_eq(store_idem_claim(a, scope, k1, h1, &rec, why), STORE_EXISTS);
    ck_assert_int_eq(rec.done, 1);
    ck_assert_int_eq(rec.status, 201);
    ck_assert_str_eq(rec.body, "{\"id\":\"x\"}");
    free(rec.body);
    /* A finished record is not released by a late release. */
    ck_assert_int_eq(store_idem_release(a, scope, k1, why), 0);
    ck_assert_int_eq(store_idem_claim(a, scope, k1, h1, &rec, why), STORE_EXISTS);
    ck_assert_int_eq(rec.done, 1);
    free(rec.body);
    /* The same key in another scope is another record. */
    char scope2[80];
    snprintf(scope2, sizeof scope2, "%s-other", scope);
    ck_assert_int_eq(store_idem_claim(a, scope2, k1, h1, &rec, why), 0);
    store_close(b);
    store_close(a);
}
END_TEST

START_TEST(test_two_handles)
{
    store *a = open_store();
    store *b = open_store();
    char why[STORE_WHY] = "";
    char key[STORE_KEY_SIZE], id[STORE_KEY_SIZE];
    ck_assert_msg(store_key_new(a, "a", key, why) == 0, "key_new: %s", why);
    ck_assert_int_eq(store_key_check(b, key, why), 1);
    key_id(key, id, sizeof id);
    ck_assert_int_eq(store_key_revoke(b, id, why), 0);
    ck_assert_int_eq(store_key_check(a, key, why), 0);

    put_ok(a, "acme", "tok-acme", "{\"v\":1}", 0);
    int64_t v1 = expect_conn(b, "tok-acme", "acme", "{\"v\":1}");
    put_ok(b, "acme", "tok-acme", "{\"v\":2}", 1);
    ck_assert_int_gt(version_of(a, "tok-acme"), v1);
    expect_conn(a, "tok-acme", "acme", "{\"v\":2}");
    ck_assert_int_eq(store_conn_put(b, "acme", "tok-x", "{}", 0, why), STORE_EXISTS);
    ck_assert_int_eq(store_conn_delete(b, "acme", why), 0);
    expect_conn(a, "tok-acme", NULL, NULL);
    store_close(b);
    store_close(a);
}
END_TEST

typedef struct worker {
    store *s;
    int index;
    pthread_barrier_t *start;
    int shared_rc;      /* the put of the name every thread wants */
    char failure[STORE_WHY + 64];
} worker;

#define FAIL_IF(w, cond, ...)                                                    \
    do {                                                                         \
        if (cond) {                                                              \
            snprintf((w)->failure, sizeof (w)->failure, __VA_ARGS__);            \
            return NULL;                                                         \
        }                                                                        \
    } while (0)

/* Assertions abort only the main thread's case, so workers report. */
static void *work(void *arg)
{
    worker *w = arg;
    char why[STORE_WHY] = "";
    pthread_barrier_wait(w->start);
    /* All at once: one name, eight tokens; exactly one put may win. */
    char token[64];
    snprintf(token, sizeof token, "tok-shared-%d", w->index);
    w->shared_rc = store_conn_put(w->s, "shared", token, "{}", 0, why);
    for (int i = 0; i < 10; i++) {
        char name[64], key[STORE_KEY_SIZE];
        snprintf(name, sizeof name, "conn-%d-%d", w->index, i);
        snprintf(token, sizeof token, "tok-%d-%d", w->index, i);
        int rc = store_key_new(w->s, name, key, why);
        FAIL_IF(w, rc != 0, "key_new: %d %s", rc, why);
        rc = store_key_check(w->s, key, why);
        FAIL_IF(w, rc != 1, "key_check: %d %s", rc, why);
        rc = store_conn_put(w->s, name, token, "{\"n\":1}", 0, why);
        FAIL_IF(w, rc != 0, "put: %d %s", rc, why);
        rc = store_conn_put(w->s, name, token, "{\"n\":2}", 1, why);
        FAIL_IF(w, rc != 0, "replace: %d %s", rc, why);
        store_connection c = {0};
        rc = store_conn_by_token(w->s, token, &c, why);
        FAIL_IF(w, rc != 0, "by_token: %d %s", rc, why);
        int same = strcmp(c.name, name) == 0 && strcmp(c.config, "{\"n\":2}") == 0;
        store_connection_clear(&c);
        FAIL_IF(w, !same, "by_token gave another row");
        if (i % 2 == 0) {
            rc = store_conn_delete(w->s, name, why);
            FAIL_IF(w, rc != 0, "delete: %d %s", rc, why);
        }
    }
    return NULL;
}

START_TEST(test_threads)
{
    store *s = open_store();
    pthread_barrier_t start;
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, NTHREADS), 0);
    worker w[NTHREADS];
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (worker){.s = s, .index = i, .start = &start};
        ck_assert_int_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    int won = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(!w[i].failure[0], "thread %d: %s", i, w[i].failure);
        ck_assert_msg(w[i].shared_rc == 0 || w[i].shared_rc == STORE_EXISTS,
                      "thread %d: shared put answered %d", i, w[i].shared_rc);
        won += w[i].shared_rc == 0;
    }
    pthread_barrier_destroy(&start);
    ck_assert_int_eq(won, 1);
    /* "shared" plus the five odd-numbered connections of each thread. */
    listing l = list_of(s);
    ck_assert_int_eq(l.n, 1 + NTHREADS * 5);
    store_close(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* PostgreSQL only                                                           */

static void *open_close(void *arg)
{
    (void)arg;
    char why[STORE_WHY] = "";
    store *s = NULL;
    if (store_open(g_url, &s, why) != 0)
        return strdup(why[0] ? why : "store_open failed");
    store_close(s);
    return NULL;
}

/* Eight instances starting at once on an empty schema all succeed. */
START_TEST(test_pg_schema_race)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, open_close, NULL), 0);
    char *failure = NULL;
    for (int i = 0; i < NTHREADS; i++) {
        void *r = NULL;
        pthread_join(t[i], &r);
        if (r && !failure)
            failure = r;
        else
            free(r);
    }
    ck_assert_msg(!failure, "open: %s", failure ? failure : "");
    store *s = open_store();
    ck_assert_str_eq(store_backend(s), "postgresql");
    put_ok(s, "acme", "tok-acme", "{}", 0);
    store_close(s);
}
END_TEST

/* End this case's server sessions, as a server restart would. */
static int terminate_sessions(void)
{
    PGconn *c = pg_admin();
    const char *params[] = {g_schema};
    PGresult *r = PQexecParams(c,
                               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                               " WHERE application_name = $1",
                               1, NULL, params, NULL, NULL, 0);
    ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
    int n = PQntuples(r);
    PQclear(r);
    /* Wait until the sessions have ended (their sockets are closed then),
     * up to 10 s. */
    for (int i = 0; i < 200; i++) {
        r = PQexecParams(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                         1, NULL, params, NULL, NULL, 0);
        ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
        int left = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
        if (left == 0)
            break;
        usleep(50 * 1000);
    }
    PQfinish(c);
    usleep(20 * 1000);   /* and the ends have reached the client's sockets */
    return n;
}

START_TEST(test_pg_reconnect)
{
    store *s = open_store();
    char why[STORE_WHY] = "";
    put_ok(s, "acme", "tok-acme", "{\"v\":1}", 0);
    ck_assert_int_ge(terminate_sessions(), 1);
    /* A read and a write after the end: both on new sessions. */
    expect_conn(s, "tok-acme", "acme", "{\"v\":1}");
    ck_assert_int_ge(terminate_sessions(), 1);
    put_ok(s, "acme", "tok-acme", "{\"v\":2}", 1);
    ck_assert_int_ge(terminate_sessions(), 1);
    ck_assert_int_eq(store_conn_delete(s, "acme", why), 0);
    expect_conn(s, "tok-acme", NULL, NULL);
    store_close(s);
}
END_TEST

/* The URL of UATSD_TEST_PG with its password replaced by pass. */
static char *with_password(const char *pass)
{
    const char *base = getenv("UATSD_TEST_PG");
    const char *auth = strstr(base, "://");
    ck_assert_ptr_nonnull(auth);
    auth += 3;
    const char *at = strchr(auth, '@');
    ck_assert_ptr_nonnull(at);
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    size_t user_end = (size_t)((colon ? colon : at) - base);
    char *url = NULL;
    ck_assert_int_ge(asprintf(&url, "%.*s:%s%s", (int)user_end, base, pass, at), 0);
    return url;
}

static void expect_refused_quietly(const char *url, const char *secret)
{
    char why[STORE_WHY] = "";
    store *s = NULL;
    ck_assert_int_eq(store_open(url, &s, why), -1);
    ck_assert_ptr_null(s);
    ck_assert_msg(why[0], "no reason given");
    ck_assert_msg(!strstr(why, secret), "the password is in: %s", why);
}

START_TEST(test_pg_secrets)
{
    /* Wrong password; one with an invalid percent escape, which libpq
     * quotes in its message; a password in the query and a bad port. */
    char *url = with_password("Wr0ngPassw0rd");
    expect_refused_quietly(url, "Wr0ngPassw0rd");
    free(url);
    url = with_password("Wr0ng%zzPassw0rd");
    expect_refused_quietly(url, "Passw0rd");
    free(url);
    expect_refused_quietly("postgresql://someone@127.0.0.1:1/db?password=Wr0ngPassw0rd"
                           "&connect_timeout=2",
                           "Wr0ngPassw0rd");
    expect_refused_quietly("postgresql://someone:Wr0ngPassw0rd@127.0.0.1:notaport/db",
                           "Wr0ngPassw0rd");
    /* The real password, when the database is wrong. */
    const char *base = getenv("UATSD_TEST_PG");
    const char *auth = strstr(base, "://") + 3;
    const char *at = strchr(auth, '@');
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (colon && at - colon > 1) {
        char *pass = strndup(colon + 1, (size_t)(at - colon - 1));
        ck_assert_ptr_nonnull(pass);
        int host_end = (int)(at - base) + (int)strcspn(at, "/?");
        char *bad = NULL;
        ck_assert_int_ge(asprintf(&bad, "%.*s/no_such_database_here", host_end, base), 0);
        expect_refused_quietly(bad, pass);
        free(bad);
        free(pass);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */

static void add_common(TCase *tc)
{
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_conn_put_replace);
    tcase_add_test(tc, test_conn_update);
    tcase_add_test(tc, test_conn_exists);
    tcase_add_test(tc, test_conn_delete_list);
    tcase_add_test(tc, test_two_handles);
    tcase_add_test(tc, test_idempotency);
    tcase_add_test(tc, test_threads);
}

static Suite *store_suite(int with_pg)
{
    Suite *s = suite_create("store");
    TCase *lite = tcase_create("sqlite");
    tcase_add_checked_fixture(lite, setup_sqlite, teardown_sqlite);
    tcase_set_timeout(lite, 120);
    add_common(lite);
    suite_add_tcase(s, lite);
    if (with_pg) {
        TCase *pg = tcase_create("postgresql");
        tcase_add_checked_fixture(pg, setup_pg, teardown_pg);
        tcase_set_timeout(pg, 120);
        add_common(pg);
        tcase_add_test(pg, test_pg_schema_race);
        tcase_add_test(pg, test_pg_reconnect);
        tcase_add_test(pg, test_pg_secrets);
        suite_add_tcase(s, pg);
    }
    return s;
}

int main(void)
{
    const char *pg = getenv("UATSD_TEST_PG");
    int with_pg = pg && *pg;
    if (!with_pg)
        printf("check_store: PostgreSQL cases skipped: UATSD_TEST_PG is not set "
               "(scripts/postgres.sh prints a URL for it)\n");
    return run_suite(store_suite(with_pg));
}
