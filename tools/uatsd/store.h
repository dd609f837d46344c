/*
 * tools/uatsd/store.h: the gateway's store of API keys and connections.
 *
 * The store is all the state uatsd has, so that several instances can
 * serve behind one load balancer when they share it. Two back ends: an
 * SQLite file (the embedded default) and a PostgreSQL server.
 *
 * What is stored, and what never is:
 * - API keys: only their SHA-256 (hex) under a public key id; the key
 *   itself is shown once, by whoever created it.
 * - Connections: a unique name, the SHA-256 of the connection token that
 *   clients send (X-Account-Token, X-Integration-Id, ...), and the
 *   uats connection configuration (JSON text, credentials included). The
 *   configuration never leaves the store except into uats_conn_open().
 *
 * Threads: a store handle may be used by several threads at once; each
 * back end serialises what its client library needs serialised.
 * Errors: functions return 0 on success, STORE_NOT_FOUND when the row is
 * absent, STORE_EXISTS when a unique name or token is taken, -1 on any
 * other failure with a sentence in why (never containing a secret).
 */
#ifndef UATS_GATEWAY_STORE_H
#define UATS_GATEWAY_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_NOT_FOUND 1
#define STORE_EXISTS 2
#define STORE_WHY 256

typedef struct store store;

/* One connection row. Strings are new (store_connection_clear). */
typedef struct store_connection {
    char *name;
    char *token_hash;   /* 64 hex digits */
    char *config;       /* JSON text: the uats connection configuration */
    int64_t version;    /* bumped on every change of the row */
} store_connection;

void store_connection_clear(store_connection *c);

/*
 * An idempotency record: the first request made with a client's
 * Idempotency-Key, and once it finished, the answer it got, replayed to
 * any retry with the same key. Records are forgotten STORE_IDEM_TTL_S
 * seconds after they were made.
 */
#define STORE_IDEM_TTL_S (24 * 3600)
typedef struct store_idem {
    int done;               /* 0: the first request is still running */
    char request_hash[65];  /* what the first request was: a retry must match */
    int status;             /* done: the HTTP status answered */
    char *body;             /* done: the JSON text answered (new: free), or NULL */
} store_idem;

/* Back-end operations; every back end fills this table. */
typedef struct store_ops {
    const char *name;                       /* "sqlite", "postgresql" */
    /* Open (and create the schema if absent). url as given to store_open. */
    int (*open)(const char *url, void **state, char *why);
    void (*close)(void *state);
    int (*key_add)(void *state, const char *id, const char *hash, const char *label,
                   char *why);
    /* The hash of the key with this id, unless revoked. *hash is new (free). */
    int (*key_hash)(void *state, const char *id, char **hash, char *why);
    int (*key_revoke)(void *state, const char *id, char *why);
    /* Add, or with replace != 0 replace, the connection named c->name
     * (version is set by the store). */
    int (*conn_put)(void *state, const store_connection *c, int replace, char *why);
    int (*conn_by_token)(void *state, const char *token_hash, store_connection *out,
                         char *why);
    /* Only the version of the row with this token hash: the cheap check
     * a cache makes before trusting what it holds. */
    int (*conn_version)(void *state, const char *token_hash, int64_t *version, char *why);
    /* Replace the configuration of the row named name while its version is
     * still version, setting *new_version; STORE_NOT_FOUND when the row
     * changed or is gone meanwhile. */
    int (*conn_update)(void *state, const char *name, int64_t version, const char *config,
                       int64_t *new_version, char *why);
    int (*conn_delete)(void *state, const char *name, char *why);
    /* Call fn for every connection, by name (config left NULL). */
    int (*conn_list)(void *state, void (*fn)(const store_connection *c, void *ud),
                     void *ud, char *why);
    /* Claim (scope, key_hash) for a new request: 0 when this caller got it
     * (a record marked running now exists), STORE_EXISTS with *out filled
     * when a live record was there already. Atomic across instances. */
    int (*idem_claim)(void *state, const char *scope, const char *key_hash,
                      const char *request_hash, store_idem *out, char *why);
    /* Record the answer of the claimed request. */
    int (*idem_finish)(void *state, const char *scope, const char *key_hash, int status,
                       const char *body, char *why);
    /* Drop the claim: the request certainly had no effect, a retry may run. */
    int (*idem_release)(void *state, const char *scope, const char *key_hash, char *why);
} store_ops;

extern const store_ops store_sqlite_ops;
extern const store_ops store_postgresql_ops;

/*
 * Open the store named by url:
 *   postgresql://... or postgres://...   a PostgreSQL server (libpq URI)
 *   sqlite:PATH, sqlite://PATH or PATH   an SQLite database file, created
 *                                        with its schema when absent
 * *out is new: store_close.
 */
int store_open(const char *url, store **out, char *why);
/* The store used when none is named: $UATSD_STORE, else
 * /var/lib/uatsd/uatsd.db for root, else $XDG_STATE_HOME/uatsd/uatsd.db
 * (~/.local/state/...), creating the directory. New string (free); NULL
 * when out of memory. */
char *store_default_url(void);

/* Overwrite, in place, the password a PostgreSQL URL holds (user:PASSWORD@
 * or password=...) with 'x': for the copy of the URL in argv, which ps(1)
 * shows. Use the URL from a copy made first. */
void store_hide_password(char *url);
void store_close(store *s);
const char *store_backend(const store *s);

/* API keys. store_key_new makes a fresh key "uatsd_<id>_<secret>" (the
 * whole key in key[], which must hold STORE_KEY_SIZE bytes), stores its
 * hash and returns 0. store_key_check answers 1 when key is a stored,
 * unrevoked key, 0 when not, -1 when the store failed; the comparison
 * with the stored hash runs in constant time. */
#define STORE_KEY_SIZE 96
int store_key_new(store *s, const char *label, char key[STORE_KEY_SIZE], char *why);
int store_key_check(store *s, const char *key, char *why);
int store_key_revoke(store *s, const char *key_id, char *why);

int store_conn_put(store *s, const char *name, const char *token, const char *config,
                   int replace, char *why);
/* Replace the configuration of the connection named name, only if it is
 * still at version (nobody changed or removed it since it was read): 0
 * with *new_version set, STORE_NOT_FOUND when it changed or is gone, -1.
 * uatsd stores a rotated OAuth refresh token with it. */
int store_conn_update(store *s, const char *name, int64_t version, const char *config,
                      int64_t *new_version, char *why);
int store_conn_by_token(store *s, const char *token, store_connection *out, char *why);
int store_conn_version(store *s, const char *token_hash, int64_t *version, char *why);
int store_conn_delete(store *s, const char *name, char *why);
int store_conn_list(store *s, void (*fn)(const store_connection *c, void *ud), void *ud,
                    char *why);

/* Idempotency records: see store_ops. */
int store_idem_claim(store *s, const char *scope, const char *key_hash,
                     const char *request_hash, store_idem *out, char *why);
int store_idem_finish(store *s, const char *scope, const char *key_hash, int status,
                      const char *body, char *why);
int store_idem_release(store *s, const char *scope, const char *key_hash, char *why);

/* SHA-256 of len bytes as 64 lowercase hex digits and a NUL. */
void store_sha256_hex(const void *data, size_t len, char out[65]);
/* Compare two NUL-terminated strings of equal length in time that does
 * not depend on where they differ. */
int store_equal_ct(const char *a, const char *b);

#endif
