/*
 * tools/uatsd/store_pg.c: the store's PostgreSQL back end (libpq).
 *
 * Design:
 *  - A pool of at most PG_POOL_MAX connections per store handle. A libpq
 *    connection must not be used by two threads at once, so a caller takes
 *    one from the pool for one statement and gives it back; when every
 *    connection is lent and the pool is full, callers wait. Connections are
 *    opened lazily, outside the pool's lock (connecting takes a round trip
 *    or a timeout, and must not stall the threads giving connections back).
 *  - Reconnection: an idle connection is probed (PQconsumeInput reads what
 *    the server sent while it was idle, which notices a closed socket, e.g.
 *    after a server restart) and reset when it is broken. A connection that
 *    breaks during a statement is dropped; reads are then run once more on
 *    another connection, writes are not (a write whose answer was lost may
 *    have been made: the caller is told so instead of a second attempt).
 *  - Every statement is a single parameterised one (PQexecParams), so that
 *    no value is ever part of the SQL text.
 *  - The schema is created at open if absent, in a transaction that first
 *    takes a transaction-scoped advisory lock: CREATE TABLE IF NOT EXISTS
 *    alone still fails when two sessions create the same table at the same
 *    moment (the second one's catalog insert collides), and several uatsd
 *    instances may start together on one database.
 *  - Versions come from a sequence, not from version + 1: a connection
 *    deleted and added again under the same token then still gets a version
 *    no cache has seen, so a cached older configuration is never trusted.
 *  - Secrets: libpq's own messages may echo parts of the connection string
 *    (a malformed URI is quoted whole), so every libpq message goes through
 *    scrub(), which blanks the URL and the password in each spelling it had.
 *    Server errors are reported by their primary message only (the DETAIL
 *    of a unique violation quotes the row's values).
 */
#define _GNU_SOURCE /* explicit_bzero */

#include <config.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store.h"

/* Connections per store handle. uatsd's workers each hold one only for the
 * length of one statement, so a few serve many threads; several instances
 * share the server's max_connections (100 by default). */
#define PG_POOL_MAX 8

/* Seconds libpq waits for a connection, unless the URL says otherwise. */
#define PG_CONNECT_TIMEOUT "10"

/* Key of the advisory lock held while the schema is created ("uats"). */
#define PG_SCHEMA_LOCK "1969386611"

/* SQLSTATE of a unique violation. */
#define PG_UNIQUE_VIOLATION "23505"

/* Spellings of secrets to blank in messages: the URL, the password as
 * written in it (percent-encoded or not, in the authority or the query),
 * and decoded. */
#define PG_MAX_SECRETS 4

typedef struct pg_state {
    char *url;
    char *secrets[PG_MAX_SECRETS];
    size_t nsecrets;
    pthread_mutex_t lock;
    pthread_cond_t returned;    /* signalled when a connection is given back */
    PGconn *idle[PG_POOL_MAX];
    size_t nidle;
    size_t nopen;               /* idle + lent + being opened */
} pg_state;

/* ------------------------------------------------------------------------ */
/* messages without secrets                                                  */

/* Copy msg into out (STORE_WHY bytes) after prefix, with every secret
 * replaced by "***" and line breaks turned into spaces (libpq ends its
 * messages with a newline and may span several lines). */
static void scrub(const pg_state *st, const char *prefix, const char *msg, char *out)
{
    size_t n = 0;
    for (const char *p = prefix; *p && n + 1 < STORE_WHY; p++)
        out[n++] = *p;
    const char *m = msg ? msg : "unknown error";
    while (*m && n + 1 < STORE_WHY) {
        size_t skip = 0;
        for (size_t i = 0; st && i < st->nsecrets && !skip; i++) {
            size_t len = strlen(st->secrets[i]);
            if (len && strncmp(m, st->secrets[i], len) == 0)
                skip = len;
        }
        if (skip) {
            for (const char *r = "***"; *r && n + 1 < STORE_WHY; r++)
                out[n++] = *r;
            m += skip;
            continue;
        }
        out[n++] = (*m == '\n' || *m == '\r' || *m == '\t') ? ' ' : *m;
        m++;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

/* Put prefix before the text in why, cutting its end if need be. */
static void prefix_why(char *why, const char *prefix)
{
    size_t p = strlen(prefix), n = strlen(why);
    if (p >= STORE_WHY)
        return;
    if (p + n >= STORE_WHY)
        n = STORE_WHY - 1 - p;
    memmove(why + p, why, n);
    memcpy(why, prefix, p);
    why[p + n] = '\0';
}

static int add_secret(pg_state *st, const char *s, size_t len)
{
    if (len == 0 || st->nsecrets == PG_MAX_SECRETS)
        return 0;
    char *copy = strndup(s, len);
    if (!copy)
        return -1;
    st->secrets[st->nsecrets++] = copy;
    return 0;
}

/* The password as written in the URL: "user:PASS@" in the authority and
 * "password=PASS" in the query. Found by hand because libpq only hands back
 * the decoded form, and a message may quote the URL's own text. */
static int add_raw_passwords(pg_state *st, const char *url)
{
    const char *auth = strstr(url, "://");
    if (!auth)
        return 0;
    auth += 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *at = NULL;
    for (size_t i = 0; i < auth_len; i++)
        if (auth[i] == '@')
            at = auth + i;   /* the last '@' ends the user information */
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon && add_secret(st, colon + 1, (size_t)(at - colon - 1)) != 0)
            return -1;
    }
    const char *q = strchr(url, '?');
    while (q) {
        q++;
        if (strncmp(q, "password=", 9) == 0 &&
            add_secret(st, q + 9, strcspn(q + 9, "&")) != 0)
            return -1;
        q = strchr(q, '&');
    }
    return 0;
}

/* Record the secrets of url; 0, or -1 with why set. */
static int collect_secrets(pg_state *st, const char *url, char *why)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &err);
    if (!opts) {
        /* The message may quote the URL: blank what can be found first. */
        if (add_secret(st, url, strlen(url)) == 0)
            (void)add_raw_passwords(st, url);
        scrub(st, "PostgreSQL store URL not understood: ", err, why);
        PQfreemem(err);
        return -1;
    }
    int rc = add_secret(st, url, strlen(url));
    if (rc == 0)
        rc = add_raw_passwords(st, url);
    for (PQconninfoOption *o = opts; rc == 0 && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val)
            rc = add_secret(st, o->val, strlen(o->val));
    PQconninfoFree(opts);
    if (rc != 0)
        snprintf(why, STORE_WHY, "out of memory");
    return rc;
}

/* ------------------------------------------------------------------------ */
/* the pool                                                                  */

/* libpq prints server notices on stderr by default ("relation already
 * exists, skipping" at every start): uatsd's output is its access log. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *connect_one(const pg_state *st, char *why)
{
    /* Entries before dbname are defaults that the URL's own fields
     * override (libpq processes the arrays in order, expanding dbname). */
    const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *const vals[] = {PG_CONNECT_TIMEOUT, "uatsd", st->url, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        snprintf(why, STORE_WHY, "PostgreSQL store: out of memory");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        scrub(st, "PostgreSQL store: cannot connect: ", PQerrorMessage(conn), why);
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    return conn;
}

/* Whether an idle connection still looks usable. The server says nothing
 * to an idle session except when it ends it: then an error message and the
 * end of the stream wait on the socket. libpq passes the message to the
 * notice processor and notices the end only on a further read, so read
 * while there is something to read (a few times at most: a chatty server
 * must not hold us here). */
static int idle_alive(PGconn *conn)
{
    for (int i = 0; i < 4; i++) {
        if (PQstatus(conn) != CONNECTION_OK)
            return 0;
        struct pollfd p = {.fd = PQsocket(conn), .events = POLLIN};
        if (p.fd < 0)
            return 0;
        if (poll(&p, 1, 0) <= 0)
            return 1;   /* nothing waiting (or poll failed: let the statement tell) */
        if (!PQconsumeInput(conn))
            return 0;
    }
    return PQstatus(conn) == CONNECTION_OK;
}

/* An idle connection, checked, or NULL when it is broken beyond a reset. */
static PGconn *revive(const pg_state *st, PGconn *conn, char *why)
{
    if (idle_alive(conn) && PQtransactionStatus(conn) == PQTRANS_IDLE)
        return conn;
    PQreset(conn);
    if (PQstatus(conn) == CONNECTION_OK) {
        PQsetNoticeProcessor(conn, ignore_notice, NULL);
        return conn;
    }
    scrub(st, "PostgreSQL store: cannot reconnect: ", PQerrorMessage(conn), why);
    PQfinish(conn);
    return NULL;
}

static void forget_one(pg_state *st)
{
    pthread_mutex_lock(&st->lock);
    st->nopen--;
    pthread_cond_signal(&st->returned);
    pthread_mutex_unlock(&st->lock);
}

/* A connection for the calling thread alone, or NULL with why set. */
static PGconn *take(pg_state *st, char *why)
{
    pthread_mutex_lock(&st->lock);
    while (st->nidle == 0 && st->nopen >= PG_POOL_MAX)
        pthread_cond_wait(&st->returned, &st->lock);
    PGconn *conn = st->nidle ? st->idle[--st->nidle] : NULL;
    if (!conn)
        st->nopen++;   /* reserve the place before connecting unlocked */
    pthread_mutex_unlock(&st->lock);

    conn = conn ? revive(st, conn, why) : connect_one(st, why);
    if (!conn)
        forget_one(st);
    return conn;
}

/* Give conn back; one that broke or was left inside a transaction is
 * closed rather than handed to the next caller. */
static void give(pg_state *st, PGconn *conn)
{
    if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE) {
        PQfinish(conn);
        forget_one(st);
        return;
    }
    pthread_mutex_lock(&st->lock);
    st->idle[st->nidle++] = conn;
    pthread_cond_signal(&st->returned);
    pthread_mutex_unlock(&st->lock);
}

/* ------------------------------------------------------------------------ */
/* statements                                                                */

enum { PG_READ, PG_WRITE };

/* Run one statement on conn. 0 with *res (PQclear) when its status is
 * want, STORE_EXISTS on a unique violation, else -1 with why set. */
static int exec_on(pg_state *st, PGconn *conn, const char *sql, int nparams,
                   const char *const *params, ExecStatusType want, PGresult **res,
                   char *why)
{
    PGresult *r = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    if (r && PQresultStatus(r) == want) {
        *res = r;
        return 0;
    }
    int rc = -1;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (state && strcmp(state, PG_UNIQUE_VIOLATION) == 0) {
        snprintf(why, STORE_WHY, "already taken");
        rc = STORE_EXISTS;
    } else if (PQstatus(conn) != CONNECTION_OK) {
        scrub(st, "PostgreSQL store: connection lost: ", PQerrorMessage(conn), why);
    } else {
        /* A server error (its primary message), or libpq's own (no result:
         * out of memory). */
        scrub(st, "PostgreSQL store: ", primary ? primary : PQerrorMessage(conn), why);
    }
    PQclear(r);
    return rc;
}

/* Run one statement on a pooled connection (see exec_on). A read whose
 * connection broke is run once more on another one. */
static int run(pg_state *st, int kind, const char *sql, int nparams,
               const char *const *params, ExecStatusType want, PGresult **res, char *why)
{
    for (int attempt = 0;; attempt++) {
        PGconn *conn = take(st, why);
        if (!conn)
            return -1;
        int rc = exec_on(st, conn, sql, nparams, params, want, res, why);
        int lost = PQstatus(conn) != CONNECTION_OK;
        give(st, conn);
        if (rc != -1 || !lost || attempt > 0)
            return rc;
        if (kind == PG_WRITE) {
            size_t n = strlen(why);
            snprintf(why + n, STORE_WHY - n, " (the change may or may not have been made)");
            return -1;
        }
    }
}

/* A statement that changes rows: 0, STORE_NOT_FOUND when none matched,
 * STORE_EXISTS, or -1. */
static int run_change(pg_state *st, const char *sql, int nparams,
                      const char *const *params, char *why)
{
    PGresult *res = NULL;
    int rc = run(st, PG_WRITE, sql, nparams, params, PGRES_COMMAND_OK, &res, why);
    if (rc != 0)
        return rc;
    rc = strcmp(PQcmdTuples(res), "0") == 0 ? STORE_NOT_FOUND : 0;
    PQclear(res);
    return rc;
}

/* A query expected to return at most one row: 0 with *res, or
 * STORE_NOT_FOUND (nothing kept), or -1. */
static int run_row(pg_state *st, const char *sql, int nparams, const char *const *params,
                   PGresult **res, char *why)
{
    int rc = run(st, PG_READ, sql, nparams, params, PGRES_TUPLES_OK, res, why);
    if (rc != 0)
        return rc;
    if (PQntuples(*res) == 0) {
        PQclear(*res);
        *res = NULL;
        return STORE_NOT_FOUND;
    }
    return 0;
}

static int parse_version(const char *text, int64_t *out, char *why)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end) {
        snprintf(why, STORE_WHY, "PostgreSQL store: a connection version is not a number");
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* schema                                                                    */

static const char *const schema_sql[] = {
    "BEGIN",
    "SELECT pg_advisory_xact_lock(" PG_SCHEMA_LOCK ")",
    "CREATE TABLE IF NOT EXISTS uatsd_keys ("
    " id TEXT PRIMARY KEY,"
    " hash TEXT NOT NULL,"
    " label TEXT NOT NULL DEFAULT '',"
    " created_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
    " revoked BOOLEAN NOT NULL DEFAULT false)",
    "CREATE TABLE IF NOT EXISTS uatsd_connections ("
    " name TEXT PRIMARY KEY,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " config TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " updated_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    "CREATE SEQUENCE IF NOT EXISTS uatsd_connection_version",
    "CREATE TABLE IF NOT EXISTS uatsd_idempotency ("
    " scope TEXT NOT NULL,"
    " key_hash TEXT NOT NULL,"
    " request_hash TEXT NOT NULL,"
    " done BOOLEAN NOT NULL DEFAULT false,"
    " status INTEGER NOT NULL DEFAULT 0,"
    " body TEXT,"
    " created_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
    " PRIMARY KEY (scope, key_hash))",
    "COMMIT",
};

/* Create the schema on conn; a failure leaves conn inside the failed
 * transaction, which give() then closes (rolling it back). */
static int create_schema(pg_state *st, PGconn *conn, char *why)
{
    for (size_t i = 0; i < sizeof schema_sql / sizeof *schema_sql; i++) {
        ExecStatusType want = i == 1 ? PGRES_TUPLES_OK : PGRES_COMMAND_OK;
        PGresult *res = NULL;
        if (exec_on(st, conn, schema_sql[i], 0, NULL, want, &res, why) != 0) {
            prefix_why(why, "cannot create the schema: ");
            return -1;
        }
        PQclear(res);
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* operations                                                                */

static void pg_close(void *state)
{
    pg_state *st = state;
    if (!st)
        return;
    /* Every connection is idle by now: closing a store in use is a bug. */
    for (size_t i = 0; i < st->nidle; i++)
        PQfinish(st->idle[i]);
    for (size_t i = 0; i < st->nsecrets; i++) {
        explicit_bzero(st->secrets[i], strlen(st->secrets[i]));
        free(st->secrets[i]);
    }
    if (st->url) {
        explicit_bzero(st->url, strlen(st->url));
        free(st->url);
    }
    pthread_cond_destroy(&st->returned);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

static int pg_open(const char *url, void **state, char *why)
{
    *state = NULL;
    if (!PQisthreadsafe()) {
        snprintf(why, STORE_WHY, "PostgreSQL store: this libpq is not thread-safe");
        return -1;
    }
    pg_state *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(why, STORE_WHY, "out of memory");
        return -1;
    }
    if (pthread_mutex_init(&st->lock, NULL) != 0) {
        free(st);
        snprintf(why, STORE_WHY, "PostgreSQL store: cannot create a mutex");
        return -1;
    }
    if (pthread_cond_init(&st->returned, NULL) != 0) {
        pthread_mutex_destroy(&st->lock);
        free(st);
        snprintf(why, STORE_WHY, "PostgreSQL store: cannot create a condition variable");
        return -1;
    }
    if (collect_secrets(st, url, why) != 0) {
        pg_close(st);
        return -1;
    }
    st->url = strdup(url);
    if (!st->url) {
        snprintf(why, STORE_WHY, "out of memory");
        pg_close(st);
        return -1;
    }
    PGconn *conn = take(st, why);
    if (!conn) {
        pg_close(st);
        return -1;
    }
    int rc = create_schema(st, conn, why);
    give(st, conn);
    if (rc != 0) {
        pg_close(st);
        return -1;
    }
    *state = st;
    return 0;
}

static int pg_key_add(void *state, const char *id, const char *hash, const char *label,
                      char *why)
{
    const char *params[] = {id, hash, label ? label : ""};
    int rc = run_change(state,
                        "INSERT INTO uatsd_keys (id, hash, label) VALUES ($1, $2, $3)",
                        3, params, why);
    if (rc == STORE_EXISTS)
        snprintf(why, STORE_WHY, "an API key with this id exists");
    return rc;
}

static int pg_key_hash(void *state, const char *id, char **hash, char *why)
{
    *hash = NULL;
    const char *params[] = {id};
    PGresult *res = NULL;
    int rc = run_row(state, "SELECT hash FROM uatsd_keys WHERE id = $1 AND NOT revoked",
                     1, params, &res, why);
    if (rc != 0)
        return rc;
    *hash = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!*hash) {
        snprintf(why, STORE_WHY, "out of memory");
        return -1;
    }
    return 0;
}

static int pg_key_revoke(void *state, const char *id, char *why)
{
    const char *params[] = {id};
    return run_change(state, "UPDATE uatsd_keys SET revoked = true WHERE id = $1", 1,
                      params, why);
}

static int pg_conn_put(void *state, const store_connection *c, int replace, char *why)
{
    /* A replace is an upsert on the name; the token's own uniqueness is
     * not an arbiter, so a token taken by another row still fails. */
    static const char add[] =
        "INSERT INTO uatsd_connections (name, token_hash, config, version)"
        " VALUES ($1, $2, $3, nextval('uatsd_connection_version'))";
    static const char put[] =
        "INSERT INTO uatsd_connections (name, token_hash, config, version)"
        " VALUES ($1, $2, $3, nextval('uatsd_connection_version'))"
        " ON CONFLICT (name) DO UPDATE SET token_hash = EXCLUDED.token_hash,"
        " config = EXCLUDED.config, version = EXCLUDED.version, updated_at = now()";
    const char *params[] = {c->name, c->token_hash, c->config};
    int rc = run_change(state, replace ? put : add, 3, params, why);
    if (rc == STORE_EXISTS)
        snprintf(why, STORE_WHY, "a connection with this name or token exists");
    return rc;
}

static int pg_conn_by_token(void *state, const char *token_hash, store_connection *out,
                            char *why)
{
    const char *params[] = {token_hash};
    PGresult *res = NULL;
    int rc = run_row(state,
                     "SELECT name, token_hash, config, version FROM uatsd_connections"
                     " WHERE token_hash = $1",
                     1, params, &res, why);
    if (rc != 0)
        return rc;
    store_connection c = {0};
    rc = parse_version(PQgetvalue(res, 0, 3), &c.version, why);
    if (rc == 0) {
        c.name = strdup(PQgetvalue(res, 0, 0));
        c.token_hash = strdup(PQgetvalue(res, 0, 1));
        c.config = strdup(PQgetvalue(res, 0, 2));
        if (!c.name || !c.token_hash || !c.config) {
            snprintf(why, STORE_WHY, "out of memory");
            rc = -1;
        }
    }
    /* The configuration holds credentials: wipe libpq's copy too. */
    explicit_bzero(PQgetvalue(res, 0, 2), (size_t)PQgetlength(res, 0, 2));
    PQclear(res);
    if (rc != 0) {
        store_connection_clear(&c);
        return rc;
    }
    *out = c;
    return 0;
}

static int pg_conn_version(void *state, const char *token_hash, int64_t *version, char *why)
{
    const char *params[] = {token_hash};
    PGresult *res = NULL;
    int rc = run_row(state, "SELECT version FROM uatsd_connections WHERE token_hash = $1",
                     1, params, &res, why);
    if (rc != 0)
        return rc;
    rc = parse_version(PQgetvalue(res, 0, 0), version, why);
    PQclear(res);
    return rc;
}

static int pg_conn_update(void *state, const char *name, int64_t version, const char *config,
                          int64_t *new_version, char *why)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)version);
    const char *params[] = {name, v, config};
    PGresult *res = NULL;
    int rc = run(state, PG_WRITE,
                 "UPDATE uatsd_connections SET config = $3,"
                 " version = nextval('uatsd_connection_version'), updated_at = now()"
                 " WHERE name = $1 AND version = $2::bigint RETURNING version",
                 3, params, PGRES_TUPLES_OK, &res, why);
    if (rc != 0)
        return rc;
    rc = PQntuples(res) == 0 ? STORE_NOT_FOUND
                             : parse_version(PQgetvalue(res, 0, 0), new_version, why);
    PQclear(res);
    return rc;
}

static int pg_conn_delete(void *state, const char *name, char *why)
{
    const char *params[] = {name};
    return run_change(state, "DELETE FROM uatsd_connections WHERE name = $1", 1, params,
                      why);
}

static int pg_conn_list(void *state, void (*fn)(const store_connection *c, void *ud),
                        void *ud, char *why)
{
    PGresult *res = NULL;
    int rc = run(state, PG_READ,
                 "SELECT name, token_hash, version FROM uatsd_connections ORDER BY name", 0,
                 NULL, PGRES_TUPLES_OK, &res, why);
    if (rc != 0)
        return rc;
    /* The connection is back in the pool already, so fn may use the store. */
    int n = PQntuples(res);
    for (int i = 0; i < n && rc == 0; i++) {
        store_connection c = {.name = PQgetvalue(res, i, 0),
                              .token_hash = PQgetvalue(res, i, 1)};
        rc = parse_version(PQgetvalue(res, i, 2), &c.version, why);
        if (rc == 0)
            fn(&c, ud);
    }
    PQclear(res);
    return rc;
}

/* STORE_IDEM_TTL_S as SQL text. */
#define PG_IDEM_TTL "86400"
_Static_assert(STORE_IDEM_TTL_S == 86400, "PG_IDEM_TTL must follow STORE_IDEM_TTL_S");

static int pg_idem_claim(void *state, const char *scope, const char *key_hash,
                         const char *request_hash, store_idem *out, char *why)
{
    const char *params[] = {scope, key_hash, request_hash};
    /* Forget an expired record of this key, then claim it; the primary key
     * makes the claim atomic across instances. */
    int rc = run_change(state, "DELETE FROM uatsd_idempotency WHERE scope = $1 AND"
                        " key_hash = $2 AND created_at < now() - interval '" PG_IDEM_TTL
                        " seconds'", 2, params, why);
    if (rc != 0 && rc != STORE_NOT_FOUND)
        return rc;
    rc = run_change(state, "INSERT INTO uatsd_idempotency (scope, key_hash, request_hash)"
                    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", 3, params, why);
    if (rc != STORE_NOT_FOUND)
        return rc;      /* 0: claimed; -1: failed */
    PGresult *res = NULL;
    rc = run_row(state, "SELECT done, request_hash, status, body FROM uatsd_idempotency"
                 " WHERE scope = $1 AND key_hash = $2", 2, params, &res, why);
    if (rc == STORE_NOT_FOUND) {
        /* Released between our insert and our read: the caller may retry. */
        snprintf(why, STORE_WHY, "PostgreSQL store: the idempotency record changed meanwhile");
        return -1;
    }
    if (rc != 0)
        return rc;
    out->done = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    snprintf(out->request_hash, sizeof out->request_hash, "%s", PQgetvalue(res, 0, 1));
    out->status = atoi(PQgetvalue(res, 0, 2));
    rc = STORE_EXISTS;
    if (!PQgetisnull(res, 0, 3) && !(out->body = strdup(PQgetvalue(res, 0, 3)))) {
        snprintf(why, STORE_WHY, "out of memory");
        rc = -1;
    }
    PQclear(res);
    return rc;
}

static int pg_idem_finish(void *state, const char *scope, const char *key_hash, int status,
                          const char *body, char *why)
{
    char st[16];
    snprintf(st, sizeof st, "%d", status);
    const char *params[] = {scope, key_hash, st, body};
    return run_change(state, "UPDATE uatsd_idempotency SET done = true, status = $3::integer,"
                      " body = $4 WHERE scope = $1 AND key_hash = $2", 4, params, why);
}

static int pg_idem_release(void *state, const char *scope, const char *key_hash, char *why)
{
    const char *params[] = {scope, key_hash};
    int rc = run_change(state, "DELETE FROM uatsd_idempotency WHERE scope = $1 AND"
                        " key_hash = $2 AND NOT done", 2, params, why);
    return rc == STORE_NOT_FOUND ? 0 : rc;
}

const store_ops store_postgresql_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .key_add = pg_key_add,
    .key_hash = pg_key_hash,
    .key_revoke = pg_key_revoke,
    .conn_put = pg_conn_put,
    .conn_by_token = pg_conn_by_token,
    .conn_version = pg_conn_version,
    .conn_update = pg_conn_update,
    .conn_delete = pg_conn_delete,
    .conn_list = pg_conn_list,
    .idem_claim = pg_idem_claim,
    .idem_finish = pg_idem_finish,
    .idem_release = pg_idem_release,
};
