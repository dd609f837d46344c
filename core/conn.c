/*
 * core/conn.c: connections: a loaded connector plus its configuration.
 * The configuration is checked completely here, before the connector sees
 * it, so connectors need not repeat checks for unknown or missing keys.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define ENV_PREFIX "$env:"

/* Credential names the core knows. Every value is treated as a secret
 * except those marked public (they configure, they do not authenticate). */
static const struct {
    const char *name;
    bool is_public;
} credential_names[] = {
    {"api_key", false},   {"token", false},        {"username", false},
    {"password", false},  {"client_id", false},    {"client_secret", false},
    {"refresh_token", false}, {"token_url", true}, {"scopes", true},
};

static const char *const top_level_keys[] = {
    "connector", "base_url", "credentials", "options", "timeouts", "retry", "rate",
    "max_response_bytes", "max_file_bytes", "allow_insecure_http", NULL};

static uats_code config_error(uats_error *err, const char *field, const char *fmt, ...)
    UATS_PRINTF(3, 4);

static uats_code config_error(uats_error *err, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uats__err_setv(err, UATS_E_CONFIG, fmt, ap);
    va_end(ap);
    if (err)
        uats__copy_str(err->field, sizeof err->field, field);
    return UATS_E_CONFIG;
}

/* Replace a "$env:NAME" string value in obj[key] by the variable's value. */
static uats_code resolve_env(json_t *obj, const char *key, const char *where,
                             uats_error *err)
{
    const char *v = json_string_value(json_object_get(obj, key));
    if (!v || strncmp(v, ENV_PREFIX, strlen(ENV_PREFIX)) != 0)
        return UATS_OK;
    const char *name = v + strlen(ENV_PREFIX);
    const char *value = *name ? getenv(name) : NULL;
    if (!value)
        return config_error(err, where, "%s: environment variable %s is not set", where,
                            *name ? name : "(empty name)");
    json_t *s = json_string(value);
    if (!s)
        return config_error(err, where, "%s: environment variable %s is not valid UTF-8",
                            where, name);
    if (json_object_set_new(obj, key, s) != 0)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    return UATS_OK;
}

static bool is_credential(const char *name, bool *is_public)
{
    for (size_t i = 0; i < sizeof credential_names / sizeof credential_names[0]; i++) {
        if (strcmp(credential_names[i].name, name) == 0) {
            *is_public = credential_names[i].is_public;
            return true;
        }
    }
    return false;
}

static const uats_option_spec *find_option(const uats_module *m, const char *name)
{
    for (const uats_option_spec *o = m->desc.options; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

static uats_code add_one_secret(uats_conn *conn, char *copy)
{
    if (!copy)
        return UATS_E_NOMEM;
    char **s = uats__realloc(conn->secrets, (conn->nsecrets + 1) * sizeof *s);
    if (!s) {
        uats__free_mem(copy);
        return UATS_E_NOMEM;
    }
    conn->secrets = s;
    s[conn->nsecrets++] = copy;
    return UATS_OK;
}

/* A secret appears in URLs percent-encoded (an API key in a query
 * string): the redactor must know that form too. New, or NULL when the
 * value has nothing to encode. */
char *uats__percent_encoded(const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t extra = 0;
    for (const char *p = value; *p; p++)
        if (!(isalnum((unsigned char)*p) || strchr("-._~", *p)))
            extra += 2;
    if (!extra)
        return NULL;
    char *out = uats__malloc(strlen(value) + extra + 1), *o = out;
    for (const char *p = value; out && *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) || strchr("-._~", ch)) {
            *o++ = (char)ch;
        } else {
            *o++ = '%';
            *o++ = hex[ch >> 4];
            *o++ = hex[ch & 15];
        }
    }
    if (out)
        *o = '\0';
    return out;
}

static uats_code add_secret(uats_conn *conn, const char *value)
{
    if (!value || !*value)
        return UATS_OK;
    uats_code rc = add_one_secret(conn, uats__strdup(value));
    char *encoded = rc == UATS_OK ? uats__percent_encoded(value) : NULL;
    return encoded ? add_one_secret(conn, encoded) : rc;
}

static void wipe(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        uats__free_mem(s);
    }
}

uats_code uats__conn_secret_slot(uats_conn *conn, int slot, const char *value)
{
    char *copy = value ? uats__strdup(value) : NULL;
    if (value && !copy)
        return UATS_E_NOMEM; /* an unredactable token must not be used */
    pthread_mutex_lock(&conn->lock);
    wipe(conn->slots[slot]);
    conn->slots[slot] = copy;
    pthread_mutex_unlock(&conn->lock);
    return UATS_OK;
}

void uats_conn_set_token_callback(uats_conn *conn, uats_token_fn *fn, void *userdata)
{
    pthread_mutex_lock(&conn->lock);
    conn->token_fn = fn;
    conn->token_userdata = userdata;
    pthread_mutex_unlock(&conn->lock);
}

void uats__conn_token_rotated(uats_conn *conn, const char *refresh_token)
{
    pthread_mutex_lock(&conn->lock);
    uats_token_fn *fn = conn->token_fn ? conn->token_fn : conn->ctx->token_fn;
    void *userdata = conn->token_fn ? conn->token_userdata : conn->ctx->token_userdata;
    pthread_mutex_unlock(&conn->lock);
    uats__log(conn->ctx, conn, conn->module->desc.name, UATS_LOG_INFO,
              "the vendor rotated the refresh token%s",
              fn ? "" : "; no token callback is set, so the new one is not persisted");
    if (fn)
        fn(conn, refresh_token, userdata);
}

static uats_code no_base_url(const uats_conn *conn, uats_error *err)
{
    return config_error(err, "base_url", "connector %s has no default API address: "
                        "set base_url", conn->module->desc.name);
}

/* Check conn->config in place (resolving $env: references) and collect the
 * secrets to redact. */
static uats_code check_config(uats_conn *conn, uats_error *err)
{
    json_t *cfg = conn->config;
    const char *key;
    json_t *value;
    char where[96];

    json_object_foreach(cfg, key, value) {
        size_t i = 0;
        while (top_level_keys[i] && strcmp(top_level_keys[i], key) != 0)
            i++;
        if (!top_level_keys[i])
            return config_error(err, key, "unknown configuration key \"%s\" (known: "
                                "connector, base_url, credentials, options, timeouts, "
                                "retry, rate, max_response_bytes, max_file_bytes, allow_insecure_http)", key);
    }
    json_t *base = json_object_get(cfg, "base_url");
    if (base) {
        const char *b = json_string_value(base);
        if (!b || (strncmp(b, "https://", 8) != 0 && strncmp(b, "http://", 7) != 0))
            return config_error(err, "base_url",
                                "base_url must be a string starting with https:// or http://");
    }

    json_t *creds = json_object_get(cfg, "credentials");
    if (creds && !json_is_object(creds))
        return config_error(err, "credentials", "credentials must be an object");
    json_object_foreach(creds, key, value) {
        bool is_public = false;
        snprintf(where, sizeof where, "credentials.%s", key);
        if (!is_credential(key, &is_public))
            return config_error(err, where, "unknown credential \"%s\" (known: api_key, "
                                "token, username, password, client_id, client_secret, "
                                "refresh_token, token_url, scopes)", key);
        if (!json_is_string(value))
            return config_error(err, where, "%s must be a string", where);
        uats_code rc = resolve_env(creds, key, where, err);
        if (rc != UATS_OK)
            return rc;
    }
    /* Collect secrets after resolution: the values are now stable. */
    json_object_foreach(creds, key, value) {
        bool is_public = false;
        is_credential(key, &is_public);
        if (!is_public && add_secret(conn, json_string_value(value)) != UATS_OK)
            return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    }

    json_t *opts = json_object_get(cfg, "options");
    if (opts && !json_is_object(opts))
        return config_error(err, "options", "options must be an object");
    json_object_foreach(opts, key, value) {
        snprintf(where, sizeof where, "options.%s", key);
        if (!find_option(conn->module, key))
            return config_error(err, where, "connector %s has no option \"%s\"",
                                conn->module->desc.name, key);
        if (!json_is_string(value))
            return config_error(err, where, "%s must be a string", where);
        uats_code rc = resolve_env(opts, key, where, err);
        if (rc != UATS_OK)
            return rc;
    }
    for (const uats_option_spec *o = conn->module->desc.options; o && o->name; o++) {
        const char *v = json_string_value(json_object_get(opts, o->name));
        if ((o->flags & UATS_OPTION_REQUIRED) && !v)
            return config_error(err, o->name, "connector %s requires option \"%s\" (%s)",
                                conn->module->desc.name, o->name, o->help ? o->help : "");
        if ((o->flags & UATS_OPTION_SECRET) && add_secret(conn, v) != UATS_OK)
            return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    }

    const char *url = base ? json_string_value(base) : conn->module->desc.default_base_url;
    /* A connector with open() may build the address from its options
     * (set_base_url); whether one exists is checked after open(). */
    if (!url && conn->module->desc.open)
        return UATS_OK;
    if (!url)
        return no_base_url(conn, err);
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    conn->base_url = uats__strndup(url, len);
    return conn->base_url ? UATS_OK : uats__err_set(err, UATS_E_NOMEM, "out of memory");
}

static void conn_free(uats_conn *conn)
{
    uats__http_conn_free(conn);
    json_decref(conn->config);
    uats__free_mem(conn->base_url);
    for (size_t i = 0; i < conn->nsecrets; i++)
        wipe(conn->secrets[i]);
    uats__free_mem(conn->secrets);
    wipe(conn->slots[0]);
    wipe(conn->slots[1]);
    pthread_mutex_destroy(&conn->lock);
    uats__free_mem(conn);
}

uats_code uats_conn_open(uats_ctx *ctx, const json_t *config, uats_conn **out,
                         uats_error *err)
{
    uats__err_clear(err);
    if (!out)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "out is NULL");
    *out = NULL;
    if (!ctx || !json_is_object(config))
        return config_error(err, "", "the configuration must be a JSON object");
    const char *name = json_string_value(json_object_get(config, "connector"));
    if (!name)
        return config_error(err, "connector", "\"connector\" (a string) is required");
    const uats_module *m = uats_ctx_find(ctx, name);
    if (!m) {
        uats__err_set(err, UATS_E_NO_CONNECTOR, "no connector named \"%.40s\" is loaded",
                      name);
        if (err)
            uats__copy_str(err->field, sizeof err->field, "connector");
        return UATS_E_NO_CONNECTOR;
    }

    uats_conn *conn = uats__calloc(1, sizeof *conn);
    if (!conn)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    pthread_mutex_init(&conn->lock, NULL);
    conn->ctx = ctx;
    conn->module = m;
    conn->config = json_deep_copy(config);
    uats_code rc = conn->config ? check_config(conn, err)
                                : uats__err_set(err, UATS_E_NOMEM, "out of memory");
    if (rc == UATS_OK)
        rc = uats__http_conn_init(conn, err);
    if (rc == UATS_OK && m->desc.open) {
        uats_error local;
        uats_call call;
        uats__call_init(&call, conn, err ? err : &local);
        call.in_open = true;
        rc = m->desc.open(&call, &conn->state);
        if (rc != UATS_OK && !call.failed)
            uats__err_set(call.err, rc, "connector %s refused the connection: %s",
                          m->desc.name, uats_strerror(rc));
        if (rc == UATS_OK && !conn->base_url) {
            /* open() had the chance to set the address and did not. */
            if (m->desc.close)
                m->desc.close(conn->state);
            rc = no_base_url(conn, err);
        }
        if (rc != UATS_OK && err)
            uats__copy_str(err->connector, sizeof err->connector, m->desc.name);
        /* The connector may have named the token endpoint; now it must exist. */
        if (rc == UATS_OK && (rc = uats__oauth_check(conn, err)) != UATS_OK && m->desc.close)
            m->desc.close(conn->state);
    } else if (rc == UATS_OK) {
        rc = uats__oauth_check(conn, err);
    }
    if (rc != UATS_OK) {
        conn_free(conn);
        return rc;
    }
    uats__log(ctx, conn, NULL, UATS_LOG_DEBUG, "opened a %s connection to %s", name,
              conn->base_url);
    *out = conn;
    return UATS_OK;
}

uats_code uats_conn_open_str(uats_ctx *ctx, const char *config, uats_conn **out,
                             uats_error *err)
{
    json_error_t jerr;
    uats__err_clear(err);
    if (out)
        *out = NULL;
    json_t *doc = config ? uats__json_loadb(config, strlen(config), JSON_REJECT_DUPLICATES, &jerr)
                        : NULL;
    if (!doc && config && uats__json_oom(&jerr))
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    if (!doc)
        /* Position only: jansson's text quotes the input near the error,
         * which may be a secret. */
        return config_error(err, "", "configuration is not valid JSON (line %d, column %d)",
                            config ? jerr.line : 0, config ? jerr.column : 0);
    uats_code rc = uats_conn_open(ctx, doc, out, err);
    json_decref(doc);
    return rc;
}

void uats_conn_close(uats_conn *conn)
{
    if (!conn)
        return;
    if (conn->module->desc.close)
        conn->module->desc.close(conn->state);
    conn_free(conn);
}

const uats_module *uats_conn_module(const uats_conn *conn)
{
    return conn ? conn->module : NULL;
}

uats_code uats_conn_last_error(uats_conn *conn, uats_error *err)
{
    uats_code rc;
    pthread_mutex_lock(&conn->lock);
    if (err)
        *err = conn->last_error;
    rc = conn->last_error.code;
    pthread_mutex_unlock(&conn->lock);
    return rc;
}
