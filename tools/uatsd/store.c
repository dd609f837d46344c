/*
 * tools/uatsd/store.c: the back-end-independent part of the store: which
 * back end a URL names, API key generation and checking, hashing.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/random.h>

#include <openssl/evp.h>

#include "store.h"

struct store {
    const store_ops *ops;
    void *state;
};

void store_connection_clear(store_connection *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->token_hash);
    if (c->config) {
        /* The configuration holds credentials: do not leave them in freed memory. */
        size_t n = strlen(c->config);
        volatile char *p = c->config;
        while (n--)
            *p++ = 0;
        free(c->config);
    }
    memset(c, 0, sizeof *c);
}

char *store_default_url(void)
{
    const char *env = getenv("UATSD_STORE");
    char path[PATH_MAX];
    if (env && *env)
        return strdup(env);
    if (geteuid() == 0) {
        mkdir("/var/lib/uatsd", 0700);
        return strdup("/var/lib/uatsd/uatsd.db");
    }
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (state && *state)
        snprintf(path, sizeof path, "%s/uatsd", state);
    else
        snprintf(path, sizeof path, "%s/.local/state/uatsd", home ? home : ".");
    /* Create the directories on the way, owner-only at the end. */
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    mkdir(path, 0700);
    size_t n = strlen(path);
    snprintf(path + n, sizeof path - n, "/uatsd.db");
    return strdup(path);
}

void store_hide_password(char *url)
{
    if (!url || (strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0))
        return;
    char *auth = strstr(url, "://") + 3;
    size_t authlen = strcspn(auth, "/?#");
    char *at = memchr(auth, '@', authlen);
    char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon)
        memset(colon + 1, 'x', (size_t)(at - colon - 1));
    for (char *p = strstr(url, "password="); p; p = strstr(p, "password=")) {
        if (p > url && p[-1] != '?' && p[-1] != '&') {
            p += 9;
            continue;
        }
        p += 9;
        size_t n = strcspn(p, "&#");
        memset(p, 'x', n);
        p += n;
    }
}

static const char *sqlite_path(const char *url)
{
    if (strncmp(url, "sqlite://", 9) == 0)
        return url + 9;
    if (strncmp(url, "sqlite:", 7) == 0)
        return url + 7;
    return url;
}

int store_open(const char *url, store **out, char *why)
{
    const store_ops *ops = &store_sqlite_ops;
    const char *arg = url;
    *out = NULL;
    if (!url || !*url) {
        snprintf(why, STORE_WHY, "no store given");
        return -1;
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        ops = &store_postgresql_ops;
    else if (strstr(url, "://") && strncmp(url, "sqlite://", 9) != 0) {
        snprintf(why, STORE_WHY, "unknown store scheme (postgresql://, sqlite:PATH or a file path)");
        return -1;
    } else
        arg = sqlite_path(url);
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(why, STORE_WHY, "out of memory");
        return -1;
    }
    s->ops = ops;
    if (ops->open(arg, &s->state, why) != 0) {
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void store_close(store *s)
{
    if (!s)
        return;
    s->ops->close(s->state);
    free(s);
}

const char *store_backend(const store *s)
{
    return s->ops->name;
}

void store_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    static const char hex[] = "0123456789abcdef";
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        /* Only out of memory gets here; an impossible hash matches nothing. */
        memset(out, 'x', 64);
        out[64] = 0;
        return;
    }
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = 0;
}

int store_equal_ct(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = na != nb;
    size_t n = na < nb ? na : nb;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

static int random_hex(char *out, size_t bytes)
{
    unsigned char buf[64];
    static const char hex[] = "0123456789abcdef";
    if (bytes > sizeof buf)
        return -1;
    size_t got = 0;
    while (got < bytes) {
        ssize_t n = getrandom(buf + got, bytes - got, 0);
        if (n < 0)
            return -1;
        got += (size_t)n;
    }
    for (size_t i = 0; i < bytes; i++) {
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 15];
    }
    out[2 * bytes] = 0;
    return 0;
}

/* A key is "uatsd_" + 8 hex digits of public id + "_" + 64 of secret. The
 * id finds the row without comparing secrets in an index; the whole key's
 * hash is then compared in constant time. */
#define KEY_PREFIX "uatsd_"
#define KEY_ID_HEX 8
#define KEY_SECRET_HEX 64

int store_key_new(store *s, const char *label, char key[STORE_KEY_SIZE], char *why)
{
    char id[KEY_ID_HEX + 1], secret[KEY_SECRET_HEX + 1], hash[65];
    if (random_hex(id, KEY_ID_HEX / 2) != 0 || random_hex(secret, KEY_SECRET_HEX / 2) != 0) {
        snprintf(why, STORE_WHY, "no random bytes from the kernel");
        return -1;
    }
    snprintf(key, STORE_KEY_SIZE, KEY_PREFIX "%s_%s", id, secret);
    store_sha256_hex(key, strlen(key), hash);
    int rc = s->ops->key_add(s->state, id, hash, label ? label : "", why);
    if (rc != 0)
        memset(key, 0, STORE_KEY_SIZE);
    return rc;
}

/* The id part of a well-formed key, else 0. */
static int key_id(const char *key, char id[KEY_ID_HEX + 1])
{
    size_t plen = strlen(KEY_PREFIX);
    if (strlen(key) != plen + KEY_ID_HEX + 1 + KEY_SECRET_HEX || strncmp(key, KEY_PREFIX, plen) != 0
        || key[plen + KEY_ID_HEX] != '_')
        return 0;
    for (size_t i = 0; i < KEY_ID_HEX; i++) {
        char c = key[plen + i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    memcpy(id, key + plen, KEY_ID_HEX);
    id[KEY_ID_HEX] = 0;
    return 1;
}

int store_key_check(store *s, const char *key, char *why)
{
    char id[KEY_ID_HEX + 1], hash[65];
    char *stored = NULL;
    if (!key || !key_id(key, id))
        return 0;
    store_sha256_hex(key, strlen(key), hash);
    int rc = s->ops->key_hash(s->state, id, &stored, why);
    if (rc == STORE_NOT_FOUND)
        return 0;
    if (rc != 0)
        return -1;
    int ok = store_equal_ct(hash, stored);
    free(stored);
    return ok;
}

int store_key_revoke(store *s, const char *key_id_, char *why)
{
    char id[KEY_ID_HEX + 1];
    /* Accept the id or a whole key. */
    if (key_id(key_id_, id))
        key_id_ = id;
    return s->ops->key_revoke(s->state, key_id_, why);
}

int store_conn_put(store *s, const char *name, const char *token, const char *config,
                   int replace, char *why)
{
    char hash[65];
    store_sha256_hex(token, strlen(token), hash);
    store_connection c = {(char *)name, hash, (char *)config, 0};
    return s->ops->conn_put(s->state, &c, replace, why);
}

int store_conn_update(store *s, const char *name, int64_t version, const char *config,
                      int64_t *new_version, char *why)
{
    return s->ops->conn_update(s->state, name, version, config, new_version, why);
}

int store_conn_by_token(store *s, const char *token, store_connection *out, char *why)
{
    char hash[65];
    memset(out, 0, sizeof *out);
    store_sha256_hex(token, strlen(token), hash);
    return s->ops->conn_by_token(s->state, hash, out, why);
}

int store_conn_version(store *s, const char *token_hash, int64_t *version, char *why)
{
    return s->ops->conn_version(s->state, token_hash, version, why);
}

int store_conn_delete(store *s, const char *name, char *why)
{
    return s->ops->conn_delete(s->state, name, why);
}

int store_conn_list(store *s, void (*fn)(const store_connection *c, void *ud), void *ud,
                    char *why)
{
    return s->ops->conn_list(s->state, fn, ud, why);
}

int store_idem_claim(store *s, const char *scope, const char *key_hash,
                     const char *request_hash, store_idem *out, char *why)
{
    memset(out, 0, sizeof *out);
    return s->ops->idem_claim(s->state, scope, key_hash, request_hash, out, why);
}

int store_idem_finish(store *s, const char *scope, const char *key_hash, int status,
                      const char *body, char *why)
{
    return s->ops->idem_finish(s->state, scope, key_hash, status, body, why);
}

int store_idem_release(store *s, const char *scope, const char *key_hash, char *why)
{
    return s->ops->idem_release(s->state, scope, key_hash, why);
}
