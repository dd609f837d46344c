/*
 * core/oauth.c: OAuth 2.0 access tokens for connections configured with a
 * client id and secret: the client-credentials grant (or the password grant
 * when the connector declares it), or the refresh grant when a refresh
 * token is configured. A token is fetched on first use,
 * shared by every thread of the connection, renewed shortly before it
 * expires and once after a 401, and handed to the redactor so that it never
 * appears in a log line or message. A rotated refresh token goes to the
 * host's callback so it can be persisted.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"

struct oauth_state {
    pthread_mutex_t lock;     /* one fetch at a time; others wait for it */
    const char *token_url;    /* borrowed from the configuration or descriptor, or = own_url */
    char *own_url;            /* set by the connector in open(); owned */
    bool url_from_config;     /* credentials.token_url: the connector may not replace it */
    const char *client_id, *client_secret, *scopes;
    const char *username, *password; /* the password grant's; borrowed */
    char *refresh_token;      /* current; owned */
    json_t *params;           /* extra form parameters from the connector */
    char *access_token;       /* owned */
    double renew_at;          /* monotonic seconds */
};

bool uats__oauth_wanted(const uats_conn *conn)
{
    json_t *creds = json_object_get(conn->config, "credentials");
    return json_object_get(creds, "client_id") && json_object_get(creds, "client_secret") &&
           !json_object_get(creds, "token");
}

static const char *cred(const uats_conn *conn, const char *name)
{
    return json_string_value(json_object_get(json_object_get(conn->config, "credentials"), name));
}

uats_code uats__oauth_init(uats_conn *conn, uats_error *err)
{
    oauth_state *o = uats__calloc(1, sizeof *o);
    if (!o)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    pthread_mutex_init(&o->lock, NULL);
    o->token_url = cred(conn, "token_url");
    o->url_from_config = o->token_url != NULL;
    if (!o->token_url)
        o->token_url = conn->module->desc.oauth_token_url;
    o->client_id = cred(conn, "client_id");
    o->client_secret = cred(conn, "client_secret");
    o->scopes = cred(conn, "scopes");
    o->username = cred(conn, "username");
    o->password = cred(conn, "password");
    o->params = json_object();
    if (cred(conn, "refresh_token"))
        o->refresh_token = uats__strdup(cred(conn, "refresh_token"));
    conn->http->oauth = o;
    if (!o->params || (cred(conn, "refresh_token") && !o->refresh_token))
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    if (conn->module->desc.oauth_grant == UATS_OAUTH_PASSWORD && !o->refresh_token &&
        (!o->username || !o->password)) {
        uats__err_set(err, UATS_E_CONFIG, "connector %s gets its OAuth token with the password "
                      "grant: set credentials.username and credentials.password",
                      conn->module->desc.name);
        if (err)
            uats__copy_str(err->field, sizeof err->field,
                           o->username ? "credentials.password" : "credentials.username");
        return UATS_E_CONFIG;
    }
    /* Without an endpoint yet, the connector's open() may still name one. */
    return o->token_url ? uats__http_check_url(o->token_url, &conn->http->policy, err)
                        : UATS_OK;
}

uats_code uats__oauth_check(uats_conn *conn, uats_error *err)
{
    oauth_state *o = conn->http ? conn->http->oauth : NULL;
    if (!o || o->token_url)
        return UATS_OK;
    uats__err_set(err, UATS_E_CONFIG, "connector %s has no OAuth token endpoint: set "
                  "credentials.token_url", conn->module->desc.name);
    if (err)
        uats__copy_str(err->field, sizeof err->field, "credentials.token_url");
    return UATS_E_CONFIG;
}

void uats__oauth_free(oauth_state *o)
{
    if (!o)
        return;
    json_decref(o->params);
    uats__free_mem(o->own_url);
    if (o->access_token)
        memset(o->access_token, 0, strlen(o->access_token));
    uats__free_mem(o->access_token);
    if (o->refresh_token)
        memset(o->refresh_token, 0, strlen(o->refresh_token));
    uats__free_mem(o->refresh_token);
    pthread_mutex_destroy(&o->lock);
    uats__free_mem(o);
}

uats_code uats__oauth_param(uats_call *call, const char *name, const char *value)
{
    oauth_state *o = call && call->conn ? call->conn->http->oauth : NULL;
    if (!o)
        return UATS_OK; /* this connection does not use OAuth: nothing to add */
    if (!name || !value)
        return uats__host_api.fail(call, UATS_E_INTERNAL, "oauth_param without name or value");
    pthread_mutex_lock(&o->lock);
    int failed = json_object_set_new(o->params, name, json_string(value));
    pthread_mutex_unlock(&o->lock);
    return failed ? uats__host_api.fail(call, UATS_E_NOMEM, "out of memory") : UATS_OK;
}

uats_code uats__oauth_set_token_url(uats_call *call, const char *url)
{
    uats_error why;
    if (!call || !call->in_open)
        return uats__host_api.fail(call, UATS_E_INTERNAL,
                                   "oauth_token_url is only allowed in open()");
    oauth_state *o = call->conn->http->oauth;
    if (!o || o->url_from_config)
        return UATS_OK; /* no OAuth here, or the connection named its endpoint */
    if (!url || uats__http_check_url(url, &call->conn->http->policy, &why) != UATS_OK)
        return uats__host_api.fail(call, UATS_E_CONFIG, "OAuth token endpoint: %s",
                                   url ? why.text : "URL is NULL");
    char *copy = uats__strdup(url);
    if (!copy)
        return uats__host_api.fail(call, UATS_E_NOMEM, "out of memory");
    pthread_mutex_lock(&o->lock);
    uats__free_mem(o->own_url);
    o->token_url = o->own_url = copy;
    pthread_mutex_unlock(&o->lock);
    return UATS_OK;
}

/* A token's lifetime in seconds from the token endpoint's answer: RFC 6749's
 * optional expires_in (some servers send it as text), else an absolute
 * expires_at (Greenhouse's own client reads that), else an hour. */
static double lifetime(uats_call *call, const json_t *doc)
{
    const json_t *in = json_object_get(doc, "expires_in");
    const char *at = json_string_value(json_object_get(doc, "expires_at"));
    int64_t when;
    if (json_is_integer(in))
        return (double)json_integer_value(in);
    if (json_is_string(in))
        return strtod(json_string_value(in), NULL);
    if (at && uats__time_parse(at, &when)) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        double left = (double)(when / 1000 - (int64_t)now.tv_sec);
        if (left > 0)
            return left;
        /* Already past by our clock: the clocks disagree. Use the token
         * and renew soon rather than fetch one per request. */
        uats__log(call->conn->ctx, call->conn, call->module->desc.name, UATS_LOG_WARN,
                  "the OAuth token endpoint says the new token expired at %s; this "
                  "machine's clock may be wrong", at);
        return 120;
    }
    return 3600;
}

/* The object holding the token in the endpoint's answer: the answer itself,
 * or the one the connector's oauth_token_path leads to ("data" for
 * "data.access_token"); *leaf is the token's key. NULL if absent. */
static const json_t *token_holder(const json_t *doc, const char *path, const char **leaf)
{
    if (!path || !*path)
        path = "access_token";
    for (const char *dot; (dot = strchr(path, '.')) != NULL; path = dot + 1) {
        char key[64];
        size_t n = (size_t)(dot - path);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        doc = json_object_get(doc, key);
    }
    *leaf = path;
    return json_is_object(doc) ? doc : NULL;
}

typedef struct token_param {
    const char *name, *value;
} token_param;

/* Ask the token endpoint. Called with o->lock held. */
static uats_code fetch(uats_call *call, oauth_state *o, char **rotated)
{
    uats_http_req *req = uats__http_new_internal(call, "POST", o->token_url);
    uats_http_resp *resp = NULL;
    const char *key;
    json_t *value;
    if (!req)
        return UATS_E_NOMEM;
    /* RFC 6749 2.3.1: id and secret are form-urlencoded, then Basic. */
    char *id = uats__percent_encoded(o->client_id);
    char *secret = uats__percent_encoded(o->client_secret);
    uats__http_basic(req, id ? id : o->client_id, secret ? secret : o->client_secret);
    if (secret)
        memset(secret, 0, strlen(secret));
    uats__free_mem(id);
    uats__free_mem(secret);
    const uats_connector *d = &call->module->desc;
    /* The parameters in order; sent as a form, or as one JSON object for
     * vendors that want that. */
    json_t *body = d->oauth_json_body ? json_object() : NULL;
    token_param fixed[4];
    size_t n = 0;
    if (o->refresh_token) {
        fixed[n++] = (token_param){"grant_type", "refresh_token"};
        fixed[n++] = (token_param){"refresh_token", o->refresh_token};
    } else if (d->oauth_grant == UATS_OAUTH_PASSWORD) {
        fixed[n++] = (token_param){"grant_type", "password"};
        fixed[n++] = (token_param){"username", o->username};
        fixed[n++] = (token_param){"password", o->password};
    } else {
        fixed[n++] = (token_param){"grant_type", "client_credentials"};
    }
    if (o->scopes)
        fixed[n++] = (token_param){"scope", o->scopes};
    bool built = !d->oauth_json_body || body;
    for (size_t i = 0; i < n; i++) {
        if (body)
            built = built && json_object_set_new(body, fixed[i].name,
                                                 json_string(fixed[i].value)) == 0;
        else
            uats__http_form_urlencoded(req, fixed[i].name, fixed[i].value);
    }
    json_object_foreach(o->params, key, value) {
        if (body)
            built = built && json_object_set(body, key, value) == 0;
        else
            uats__http_form_urlencoded(req, key, json_string_value(value));
    }
    if (body && built)
        uats__http_json_body(req, body);
    json_decref(body); /* serialised into the request, which wipes it when freed */
    if (!built) {
        uats__http_req_free(req);
        return uats__host_api.fail(call, UATS_E_NOMEM, "out of memory");
    }
    /* A client-credentials grant may be asked again after a lost answer;
     * a refresh token may not be replayed (servers that rotate them can
     * revoke the whole family on reuse). */
    if (!o->refresh_token)
        uats__http_idempotent(req, 1);
    /* Relabel only this request's own failure: one recorded earlier in the
     * call (a create whose outcome is unknown, then a token renewal for a
     * read) must reach the host as it was. */
    bool first = !call->failed;
    uats_code rc = uats__http_send(req, &resp);
    if (rc != UATS_OK) {
        if (rc == UATS_E_VALIDATION || rc == UATS_E_AUTH || rc == UATS_E_FORBIDDEN)
            rc = UATS_E_AUTH; /* a refused grant is an auth failure */
        else if (rc == UATS_E_OUTCOME_UNKNOWN)
            rc = UATS_E_TRANSPORT; /* the host's own request never left */
        if (first)
            call->err->code = rc;
        return rc;
    }
    json_t *doc = uats__http_resp_json(resp);
    const char *access = NULL, *refresh = NULL, *leaf = "access_token";
    const json_t *holder = doc ? token_holder(doc, d->oauth_token_path, &leaf) : NULL;
    if (!holder || json_unpack((json_t *)holder, "{s:s, s?s}", leaf, &access, "refresh_token",
                               &refresh) != 0 || !*access) {
        if (doc)
            uats__host_api.fail(call, UATS_E_AUTH, "the token endpoint's answer has no %s",
                                d->oauth_token_path ? d->oauth_token_path : "access_token");
        uats__http_resp_free(resp);
        return UATS_E_AUTH;
    }
    /* The password grant renews with the password: a refresh token it
     * hands out is not followed (its expiry would lock the connection out
     * while the password still works), unless the connection gave one. */
    if (d->oauth_grant == UATS_OAUTH_PASSWORD && !o->refresh_token)
        refresh = NULL;
    double expires = lifetime(call, holder);
    /* Everything borrowed from the answer is copied before it is freed. */
    bool rotated_now = refresh && (!o->refresh_token || strcmp(refresh, o->refresh_token) != 0);
    char *copy = uats__strdup(access);
    char *new_refresh = rotated_now ? uats__strdup(refresh) : NULL;
    uats__http_resp_free(resp);
    if (!copy || (rotated_now && !new_refresh) ||
        uats__conn_secret_slot(call->conn, 0, copy) != UATS_OK ||
        (new_refresh && uats__conn_secret_slot(call->conn, 1, new_refresh) != UATS_OK) ||
        (new_refresh && !(*rotated = uats__strdup(new_refresh)))) {
        uats__free_mem(copy);
        uats__free_mem(new_refresh);
        return uats__host_api.fail(call, UATS_E_NOMEM, "out of memory");
    }
    if (o->access_token)
        memset(o->access_token, 0, strlen(o->access_token));
    uats__free_mem(o->access_token);
    o->access_token = copy;
    /* Renew a minute early, or halfway for short-lived tokens. */
    double life = expires > 0 ? expires : 3600;
    o->renew_at = uats__monotonic() + (life > 120 ? life - 60 : life / 2);
    if (new_refresh) {
        uats__free_mem(o->refresh_token);
        o->refresh_token = new_refresh;
    }
    uats__log(call->conn->ctx, call->conn, call->module->desc.name, UATS_LOG_DEBUG,
              "obtained an OAuth access token valid for %.0f s", expires);
    return UATS_OK;
}

uats_code uats__oauth_token(uats_call *call, const char *refused, char **token)
{
    oauth_state *o = call->conn->http->oauth;
    char *rotated = NULL;
    uats_code rc = UATS_OK;
    *token = NULL;
    pthread_mutex_lock(&o->lock);
    /* After a 401, renew only if no other thread has renewed since: many
     * threads refused at once must not each fetch (and revoke) a token. */
    bool stale = refused && o->access_token && strcmp(refused, o->access_token) == 0;
    if (stale || !o->access_token || uats__monotonic() >= o->renew_at)
        rc = fetch(call, o, &rotated);
    if (rc == UATS_OK && !(*token = uats__strdup(o->access_token)))
        rc = uats__host_api.fail(call, UATS_E_NOMEM, "out of memory");
    pthread_mutex_unlock(&o->lock);
    if (rotated) {
        uats__conn_token_rotated(call->conn, rotated);
        memset(rotated, 0, strlen(rotated));
        uats__free_mem(rotated);
    }
    return rc;
}
