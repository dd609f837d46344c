/*
 * tools/uatsd/links.c: open connections by token, cached.
 *
 * A client names a connection by a token; the store maps the token's hash
 * to a configuration. Opening a uats connection costs a configuration
 * parse and the connector's open hook (maybe an OAuth token), so open
 * connections are kept and shared by every request using the token (a
 * uats_conn is safe for concurrent operations). Each entry is trusted for
 * cache_ttl seconds, then its version in the store is checked: a changed
 * row is reopened, a deleted one dropped. An entry being replaced is
 * closed only when the last request using it releases it.
 *
 * A refresh token that the vendor rotated is written back to the row the
 * entry was opened from, only if that row is unchanged since, and the
 * entry takes the version of its own write: reopening for it would fetch
 * a token again, which such a vendor answers with yet another refresh
 * token, written again, and so on at every cache check.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "server.h"

struct gw_link {
    gw_link *next;
    char token_hash[65];
    char name[64];
    char connector[32];
    int64_t version;
    long long checked_ms;
    uats_conn *conn;
    json_t *config;         /* kept to persist a rotated refresh token */
    unsigned refs;          /* the cache's own reference counts as one */
    gw_links *owner;
};

struct gw_links {
    gw *g;
    pthread_mutex_t lock;       /* the list, refs, and each entry's version and config */
    pthread_mutex_t token_lock; /* one rotated refresh token written at a time */
    gw_link *head;
};

static void link_destroy(gw_link *l)
{
    uats_conn_close(l->conn);
    json_decref(l->config);
    free(l);
}

/* A connector rotated the refresh token: write it back to the store, or the
 * connection stops working when uatsd restarts. Registered on each open
 * connection with its entry: the operation that renewed the token holds a
 * reference to the entry, so it outlives this call even if the entry is
 * retired meanwhile. */
static void on_token(uats_conn *conn, const char *refresh_token, void *userdata)
{
    gw_link *l = userdata;
    gw_links *links = l->owner;
    char why[STORE_WHY];
    char *text = NULL;
    int64_t version, written = 0;
    (void)conn;
    pthread_mutex_lock(&links->token_lock);
    pthread_mutex_lock(&links->lock);
    json_t *creds = json_object_get(l->config, "credentials");
    if (json_is_object(creds) &&
        json_object_set_new(creds, "refresh_token", json_string(refresh_token)) == 0)
        text = json_dumps(l->config, JSON_COMPACT);
    version = l->version;
    pthread_mutex_unlock(&links->lock);
    /* The store is written outside the cache's lock: a slow store must not
     * hold up every request's lookup. */
    int rc = text ? store_conn_update(links->g->store, l->name, version, text, &written, why)
                  : -1;
    if (rc == 0) {
        pthread_mutex_lock(&links->lock);
        if (l->version == version)
            l->version = written;   /* our own change: nothing to reopen for */
        pthread_mutex_unlock(&links->lock);
    } else if (rc == STORE_NOT_FOUND)
        fprintf(stderr, "uatsd: connection %s: changed or removed in the store while its "
                "OAuth token was renewed; the rotated refresh token is not written over "
                "that change\n", l->name);
    else
        fprintf(stderr, "uatsd: connection %s: could not store the rotated refresh "
                "token: %s\n", l->name, text ? why : "out of memory");
    pthread_mutex_unlock(&links->token_lock);
    if (text) {
        memset(text, 0, strlen(text));
        free(text);
    }
}

/* A rotation with no entry to write it to: during a connector's open(),
 * before the connection has its entry (no connector renews a token there
 * today). Said rather than lost silently. */
static void on_token_unowned(uats_conn *conn, const char *refresh_token, void *userdata)
{
    (void)refresh_token;
    (void)userdata;
    fprintf(stderr, "uatsd: a %s connection rotated its refresh token while opening; the "
            "new one is not stored\n", uats_module_name(uats_conn_module(conn)));
}

gw_links *gw_links_new(gw *g)
{
    gw_links *links = calloc(1, sizeof *links);
    if (!links)
        return NULL;
    links->g = g;
    pthread_mutex_init(&links->lock, NULL);
    pthread_mutex_init(&links->token_lock, NULL);
    uats_ctx_set_token_callback(g->ctx, on_token_unowned, links);
    return links;
}

void gw_links_free(gw_links *links)
{
    if (!links)
        return;
    gw_link *l = links->head;
    while (l) {
        gw_link *next = l->next;
        link_destroy(l);
        l = next;
    }
    pthread_mutex_destroy(&links->lock);
    pthread_mutex_destroy(&links->token_lock);
    free(links);
}

/* Under the lock. */
static gw_link *find(gw_links *links, const char *hash)
{
    for (gw_link *l = links->head; l; l = l->next)
        if (strcmp(l->token_hash, hash) == 0)
            return l;
    return NULL;
}

/* Under the lock: take l out of the cache; freed once unused. */
static void retire(gw_links *links, gw_link *l)
{
    for (gw_link **p = &links->head; *p; p = &(*p)->next)
        if (*p == l) {
            *p = l->next;
            break;
        }
    if (--l->refs == 0)
        link_destroy(l);
}

void gw_link_release(gw_link *l)
{
    if (!l)
        return;
    gw_links *links = l->owner;
    pthread_mutex_lock(&links->lock);
    int last = --l->refs == 0;
    pthread_mutex_unlock(&links->lock);
    if (last)
        link_destroy(l);
}

uats_conn *gw_link_conn(const gw_link *l) { return l->conn; }
const char *gw_link_token_hash(const gw_link *l) { return l->token_hash; }
const char *gw_link_connector(const gw_link *l) { return l->connector; }

/* Open the connection the row describes. NULL after filling out. */
static gw_link *open_link(gw_req *r, store_connection *row, gw_resp *out)
{
    gw_link *l = calloc(1, sizeof *l);
    json_error_t jerr;
    uats_error err;
    if (!l) {
        gw_fail(r, out, 503, "NOMEM", "out of memory", NULL);
        return NULL;
    }
    l->config = json_loads(row->config, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(l->config)) {
        gw_fail(r, out, 500, "CONFIG", "the connection's stored configuration is not a "
                "JSON object", NULL);
        link_destroy(l);
        return NULL;
    }
    if (uats_conn_open(r->gw->ctx, l->config, &l->conn, &err) != UATS_OK) {
        /* The reason may name a configuration key but never a secret. */
        gw_fail(r, out, 500, gw_code_name(err.code), err.text, NULL);
        link_destroy(l);
        return NULL;
    }
    snprintf(l->token_hash, sizeof l->token_hash, "%s", row->token_hash);
    snprintf(l->name, sizeof l->name, "%s", row->name);
    snprintf(l->connector, sizeof l->connector, "%s",
             uats_module_name(uats_conn_module(l->conn)));
    l->version = row->version;
    l->checked_ms = gw_now_ms();
    l->refs = 1;
    l->owner = r->gw->links;
    uats_conn_set_token_callback(l->conn, on_token, l);
    return l;
}

gw_link *gw_link_get(gw_req *r, const char *token, const char *header, gw_resp *out)
{
    gw *g = r->gw;
    gw_links *links = g->links;
    char hash[65], why[STORE_WHY], msg[160];
    if (!token || !*token) {
        snprintf(msg, sizeof msg, "missing %s: it names the connection to use", header);
        gw_fail(r, out, 400, "MISSING_CONNECTION_TOKEN", msg, NULL);
        return NULL;
    }
    store_sha256_hex(token, strlen(token), hash);
    long long now = gw_now_ms();

    pthread_mutex_lock(&links->lock);
    gw_link *l = find(links, hash);
    if (l && now - l->checked_ms < (long long)g->opt.cache_ttl_s * 1000) {
        l->refs++;
        pthread_mutex_unlock(&links->lock);
        snprintf(r->connection, sizeof r->connection, "%s", l->name);
        return l;
    }
    int64_t cached_version = l ? l->version : -1;
    pthread_mutex_unlock(&links->lock);

    /* Stale or absent: ask the store, outside the lock. */
    int rc;
    if (cached_version >= 0) {
        int64_t version = 0;
        rc = store_conn_version(g->store, hash, &version, why);
        if (rc == 0 && version == cached_version) {
            pthread_mutex_lock(&links->lock);
            l = find(links, hash);
            if (l) {
                l->checked_ms = now;
                l->refs++;
                snprintf(r->connection, sizeof r->connection, "%s", l->name);
            }
            pthread_mutex_unlock(&links->lock);
            if (l)
                return l;
        }
    }
    store_connection row;
    rc = store_conn_by_token(g->store, token, &row, why);
    if (rc == STORE_NOT_FOUND) {
        pthread_mutex_lock(&links->lock);
        if ((l = find(links, hash)))
            retire(links, l);   /* deleted from the store */
        pthread_mutex_unlock(&links->lock);
        snprintf(msg, sizeof msg, "no connection has the token given in %s", header);
        gw_fail(r, out, 401, "UNKNOWN_CONNECTION", msg, NULL);
        return NULL;
    }
    if (rc != 0) {
        fprintf(stderr, "uatsd: store: %s\n", why);
        gw_fail(r, out, 503, "STORE_UNAVAILABLE", "the connection store cannot be read", NULL);
        return NULL;
    }
    gw_link *fresh = open_link(r, &row, out);
    store_connection_clear(&row);
    if (!fresh)
        return NULL;

    pthread_mutex_lock(&links->lock);
    l = find(links, hash);
    if (l && l->version >= fresh->version) {
        /* Another request opened it meanwhile: use theirs. */
        l->checked_ms = now;
        l->refs++;
        pthread_mutex_unlock(&links->lock);
        link_destroy(fresh);
        snprintf(r->connection, sizeof r->connection, "%s", l->name);
        return l;
    }
    if (l)
        retire(links, l);
    fresh->next = links->head;
    links->head = fresh;
    fresh->refs++;              /* the caller's */
    pthread_mutex_unlock(&links->lock);
    snprintf(r->connection, sizeof r->connection, "%s", fresh->name);
    return fresh;
}
