/*
 * tools/uatsd/store_sqlite.c: the store in an SQLite database file, the
 * embedded default. One handle, one mutex: the gateway caches what it
 * reads, so the store is off the hot path and simplicity wins.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store.h"

/* STORE_IDEM_TTL_S as SQL text. */
#define STORE_IDEM_TTL_SQL "86400"
_Static_assert(STORE_IDEM_TTL_S == 86400, "STORE_IDEM_TTL_SQL must follow STORE_IDEM_TTL_S");

typedef struct sq {
    sqlite3 *db;
    pthread_mutex_t lock;
} sq;

static const char schema[] =
    "BEGIN IMMEDIATE;"
    "CREATE TABLE IF NOT EXISTS uatsd_keys ("
    " id TEXT PRIMARY KEY,"
    " hash TEXT NOT NULL,"
    " label TEXT NOT NULL DEFAULT '',"
    " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    " revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS uatsd_connections ("
    " name TEXT PRIMARY KEY,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " config TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
    /* Versions from a counter that never goes back, set by triggers in the
     * writing statement's own transaction: a connection deleted and added
     * again under the same token must not get a version a cache has seen
     * (version + 1 would start again at 1). */
    "CREATE TABLE IF NOT EXISTS uatsd_version_counter (n INTEGER NOT NULL);"
    "INSERT INTO uatsd_version_counter (n)"
    " SELECT COALESCE((SELECT MAX(version) FROM uatsd_connections), 0)"
    " WHERE NOT EXISTS (SELECT 1 FROM uatsd_version_counter);"
    "CREATE TRIGGER IF NOT EXISTS uatsd_connection_added"
    " AFTER INSERT ON uatsd_connections BEGIN"
    " UPDATE uatsd_version_counter SET n = n + 1;"
    " UPDATE uatsd_connections SET version = (SELECT n FROM uatsd_version_counter)"
    " WHERE name = NEW.name; END;"
    "CREATE TRIGGER IF NOT EXISTS uatsd_connection_changed"
    " AFTER UPDATE OF token_hash, config ON uatsd_connections BEGIN"
    " UPDATE uatsd_version_counter SET n = n + 1;"
    " UPDATE uatsd_connections SET version = (SELECT n FROM uatsd_version_counter)"
    " WHERE name = NEW.name; END;"
    "CREATE TABLE IF NOT EXISTS uatsd_idempotency ("
    " scope TEXT NOT NULL,"
    " key_hash TEXT NOT NULL,"
    " request_hash TEXT NOT NULL,"
    " done INTEGER NOT NULL DEFAULT 0,"
    " status INTEGER NOT NULL DEFAULT 0,"
    " body TEXT,"
    " created_at INTEGER NOT NULL,"
    " PRIMARY KEY (scope, key_hash));"
    "COMMIT;";

static int fail(sq *s, char *why, const char *what)
{
    snprintf(why, STORE_WHY, "SQLite store: %s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

static int sq_open(const char *path, void **state, char *why)
{
    sq *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(why, STORE_WHY, "out of memory");
        return -1;
    }
    /* The file holds credentials: only its owner may read it. */
    mode_t old = umask(077);
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    umask(old);
    if (rc != SQLITE_OK) {
        snprintf(why, STORE_WHY, "SQLite store %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    /* Another process (uats adding a connection, a second uatsd) may hold
     * the write lock for a moment. */
    sqlite3_busy_timeout(s->db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL) != SQLITE_OK
        || sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(why, STORE_WHY, "SQLite store %s: %s", path,
                 msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    pthread_mutex_init(&s->lock, NULL);
    *state = s;
    return 0;
}

static void sq_close(void *state)
{
    sq *s = state;
    if (!s)
        return;
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Prepare sql and bind the strings (NULL-terminated list). */
static sqlite3_stmt *prepare(sq *s, const char *sql, const char *const *args, char *why)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(s, why, "prepare");
        return NULL;
    }
    for (int i = 0; args && args[i]; i++)
        if (sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT) != SQLITE_OK) {
            fail(s, why, "bind");
            sqlite3_finalize(st);
            return NULL;
        }
    return st;
}

/* Run a statement that returns no rows. */
static int run(sq *s, const char *sql, const char *const *args, int *changes, char *why)
{
    sqlite3_stmt *st = prepare(s, sql, args, why);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT) {
        snprintf(why, STORE_WHY, "already exists");
        return STORE_EXISTS;
    }
    if (rc != SQLITE_DONE)
        return fail(s, why, "write");
    if (changes)
        *changes = sqlite3_changes(s->db);
    return 0;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strdup(t ? (const char *)t : "");
}

static int sq_key_add(void *state, const char *id, const char *hash, const char *label,
                      char *why)
{
    sq *s = state;
    const char *args[] = {id, hash, label, NULL};
    pthread_mutex_lock(&s->lock);
    int rc = run(s, "INSERT INTO uatsd_keys(id, hash, label) VALUES (?, ?, ?)", args, NULL, why);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_key_hash(void *state, const char *id, char **hash, char *why)
{
    sq *s = state;
    const char *args[] = {id, NULL};
    int rc;
    *hash = NULL;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prepare(s, "SELECT hash FROM uatsd_keys WHERE id = ? AND revoked = 0",
                               args, why);
    if (!st)
        rc = -1;
    else {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            *hash = column_dup(st, 0);
            rc = *hash ? 0 : -1;
        } else if (step == SQLITE_DONE)
            rc = STORE_NOT_FOUND;
        else
            rc = fail(s, why, "read");
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_key_revoke(void *state, const char *id, char *why)
{
    sq *s = state;
    const char *args[] = {id, NULL};
    int changes = 0;
    pthread_mutex_lock(&s->lock);
    int rc = run(s, "UPDATE uatsd_keys SET revoked = 1 WHERE id = ?", args, &changes, why);
    pthread_mutex_unlock(&s->lock);
    return rc == 0 && changes == 0 ? STORE_NOT_FOUND : rc;
}

static int sq_conn_put(void *state, const store_connection *c, int replace, char *why)
{
    sq *s = state;
    const char *args[] = {c->name, c->token_hash, c->config, NULL};
    pthread_mutex_lock(&s->lock);
    int rc = replace
        ? run(s, "INSERT INTO uatsd_connections(name, token_hash, config, version)"
                 " VALUES (?1, ?2, ?3, 1) ON CONFLICT(name) DO UPDATE SET"
                 " token_hash = excluded.token_hash, config = excluded.config,"
                 " version = version + 1,"
                 " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')", args, NULL, why)
        : run(s, "INSERT INTO uatsd_connections(name, token_hash, config, version)"
                 " VALUES (?, ?, ?, 1)", args, NULL, why);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_conn_by_token(void *state, const char *token_hash, store_connection *out,
                            char *why)
{
    sq *s = state;
    const char *args[] = {token_hash, NULL};
    int rc;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prepare(s, "SELECT name, token_hash, config, version"
                                  " FROM uatsd_connections WHERE token_hash = ?", args, why);
    if (!st)
        rc = -1;
    else {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            out->name = column_dup(st, 0);
            out->token_hash = column_dup(st, 1);
            out->config = column_dup(st, 2);
            out->version = sqlite3_column_int64(st, 3);
            rc = out->name && out->token_hash && out->config ? 0 : -1;
            if (rc)
                snprintf(why, STORE_WHY, "out of memory");
        } else if (step == SQLITE_DONE)
            rc = STORE_NOT_FOUND;
        else
            rc = fail(s, why, "read");
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->lock);
    if (rc)
        store_connection_clear(out);
    return rc;
}

static int sq_conn_version(void *state, const char *token_hash, int64_t *version, char *why)
{
    sq *s = state;
    const char *args[] = {token_hash, NULL};
    int rc;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prepare(s, "SELECT version FROM uatsd_connections WHERE token_hash = ?",
                               args, why);
    if (!st)
        rc = -1;
    else {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            *version = sqlite3_column_int64(st, 0);
            rc = 0;
        } else
            rc = step == SQLITE_DONE ? STORE_NOT_FOUND : fail(s, why, "read");
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_conn_update(void *state, const char *name, int64_t version, const char *config,
                          int64_t *new_version, char *why)
{
    sq *s = state;
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)version);
    const char *args[] = {config, name, v, NULL};
    const char *key[] = {name, NULL};
    int rc, changes = 0;
    pthread_mutex_lock(&s->lock);
    /* One transaction, so that the version read back is the one the
     * trigger gave this update, not another process's. */
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = fail(s, why, "begin");
        pthread_mutex_unlock(&s->lock);
        return rc;
    }
    rc = run(s, "UPDATE uatsd_connections SET config = ?,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                " WHERE name = ? AND version = CAST(? AS INTEGER)", args, &changes, why);
    if (rc == 0 && changes == 0)
        rc = STORE_NOT_FOUND;
    if (rc == 0) {
        sqlite3_stmt *st = prepare(s, "SELECT version FROM uatsd_connections WHERE name = ?",
                                   key, why);
        if (!st)
            rc = -1;
        else {
            if (sqlite3_step(st) == SQLITE_ROW)
                *new_version = sqlite3_column_int64(st, 0);
            else
                rc = fail(s, why, "read");
            sqlite3_finalize(st);
        }
    }
    if (rc == 0 && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(s, why, "commit");
    if (rc != 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_conn_delete(void *state, const char *name, char *why)
{
    sq *s = state;
    const char *args[] = {name, NULL};
    int changes = 0;
    pthread_mutex_lock(&s->lock);
    int rc = run(s, "DELETE FROM uatsd_connections WHERE name = ?", args, &changes, why);
    pthread_mutex_unlock(&s->lock);
    return rc == 0 && changes == 0 ? STORE_NOT_FOUND : rc;
}

static int sq_conn_list(void *state, void (*fn)(const store_connection *c, void *ud), void *ud,
                        char *why)
{
    sq *s = state;
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prepare(s, "SELECT name, version FROM uatsd_connections ORDER BY name",
                               NULL, why);
    if (!st)
        rc = -1;
    else {
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            store_connection c = {(char *)sqlite3_column_text(st, 0), NULL, NULL,
                                  sqlite3_column_int64(st, 1)};
            fn(&c, ud);
        }
        if (step != SQLITE_DONE)
            rc = fail(s, why, "read");
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_idem_claim(void *state, const char *scope, const char *key_hash,
                         const char *request_hash, store_idem *out, char *why)
{
    sq *s = state;
    const char *args[] = {scope, key_hash, request_hash, NULL};
    const char *key[] = {scope, key_hash, NULL};
    int rc, changes = 0;
    pthread_mutex_lock(&s->lock);
    /* An expired record of this key does not count. */
    rc = run(s, "DELETE FROM uatsd_idempotency WHERE scope = ? AND key_hash = ?"
                " AND created_at < CAST(strftime('%s','now') AS INTEGER) - "
                STORE_IDEM_TTL_SQL, key, NULL, why);
    if (rc == 0)
        rc = run(s, "INSERT OR IGNORE INTO uatsd_idempotency(scope, key_hash, request_hash,"
                    " created_at) VALUES (?, ?, ?, CAST(strftime('%s','now') AS INTEGER))",
                 args, &changes, why);
    if (rc == 0 && changes == 0) {
        sqlite3_stmt *st = prepare(s, "SELECT done, request_hash, status, body FROM"
                                      " uatsd_idempotency WHERE scope = ? AND key_hash = ?",
                                   key, why);
        if (!st)
            rc = -1;
        else {
            int step = sqlite3_step(st);
            if (step == SQLITE_ROW) {
                const unsigned char *h = sqlite3_column_text(st, 1);
                const unsigned char *b = sqlite3_column_text(st, 3);
                out->done = sqlite3_column_int(st, 0);
                snprintf(out->request_hash, sizeof out->request_hash, "%s",
                         h ? (const char *)h : "");
                out->status = sqlite3_column_int(st, 2);
                out->body = b ? strdup((const char *)b) : NULL;
                rc = b && !out->body ? -1 : STORE_EXISTS;
                if (rc < 0)
                    snprintf(why, STORE_WHY, "out of memory");
            } else
                rc = fail(s, why, "read");
            sqlite3_finalize(st);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_idem_finish(void *state, const char *scope, const char *key_hash, int status,
                          const char *body, char *why)
{
    sq *s = state;
    char st[16];
    snprintf(st, sizeof st, "%d", status);
    const char *args[] = {st, body ? body : "", scope, key_hash, NULL};
    pthread_mutex_lock(&s->lock);
    int rc = run(s, "UPDATE uatsd_idempotency SET done = 1, status = CAST(? AS INTEGER),"
                    " body = ? WHERE scope = ? AND key_hash = ?", args, NULL, why);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_idem_release(void *state, const char *scope, const char *key_hash, char *why)
{
    sq *s = state;
    const char *args[] = {scope, key_hash, NULL};
    pthread_mutex_lock(&s->lock);
    int rc = run(s, "DELETE FROM uatsd_idempotency WHERE scope = ? AND key_hash = ?"
                    " AND done = 0", args, NULL, why);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

const store_ops store_sqlite_ops = {
    "sqlite", sq_open, sq_close, sq_key_add, sq_key_hash, sq_key_revoke,
    sq_conn_put, sq_conn_by_token, sq_conn_version, sq_conn_update, sq_conn_delete,
    sq_conn_list,
    sq_idem_claim, sq_idem_finish, sq_idem_release,
};
