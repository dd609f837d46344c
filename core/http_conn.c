/*
 * core/http_conn.c: a connection's transport settings and state: the
 * policy read from its configuration, the https-only rule, and setting up
 * and tearing down the handle pool, pacer and OAuth state.
 */
#include <config.h>

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result;
static char libcurl_version[32];

static void init_curl(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
    /* Once: curl_version_info writes static data as it answers. */
    if (curl_init_result == CURLE_OK)
        snprintf(libcurl_version, sizeof libcurl_version, "%s",
                 curl_version_info(CURLVERSION_NOW)->version);
}

static uats_code key_error(uats_error *err, const char *field, const char *what)
{
    uats__err_set(err, UATS_E_CONFIG, "%s must be %s", field, what);
    if (err)
        uats__copy_str(err->field, sizeof err->field, field);
    return UATS_E_CONFIG;
}

/* Read an integer in [min, max] at obj.key into *out when present. */
static uats_code read_int(const json_t *obj, const char *key, const char *field,
                          long min, long max, long *out, uats_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return UATS_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        char what[64];
        snprintf(what, sizeof what, "an integer from %ld to %ld", min, max);
        return key_error(err, field, what);
    }
    *out = (long)json_integer_value(v);
    return UATS_OK;
}

static uats_code only_keys(const json_t *obj, const char *field, const char *const *keys,
                           uats_error *err)
{
    const char *key;
    json_t *v;
    if (!obj)
        return UATS_OK;
    if (!json_is_object(obj))
        return key_error(err, field, "an object");
    json_object_foreach((json_t *)obj, key, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], key) != 0)
            i++;
        if (!keys[i]) {
            char path[96];
            snprintf(path, sizeof path, "%s.%s", field, key);
            uats__err_set(err, UATS_E_CONFIG, "unknown configuration key \"%s\"", path);
            if (err)
                uats__copy_str(err->field, sizeof err->field, path);
            return UATS_E_CONFIG;
        }
    }
    return UATS_OK;
}

uats_code uats__http_policy(const json_t *config, const uats_connector *desc,
                            http_policy *p, uats_error *err)
{
    static const char *const timeout_keys[] = {"connect_ms", "total_ms", NULL};
    static const char *const retry_keys[] = {"max_attempts", "max_wait_ms", "base_delay_ms",
                                             NULL};
    static const char *const rate_keys[] = {"per_sec", "burst", NULL};
    const json_t *t = json_object_get(config, "timeouts");
    const json_t *r = json_object_get(config, "retry");
    const json_t *rate = json_object_get(config, "rate");
    long attempts = 4, max_body = 8L << 20, max_file = 64L << 20, burst;
    uats_code rc;

    p->connect_ms = 10000;
    p->total_ms = 60000;
    p->max_wait_ms = 30000;
    p->base_delay_ms = 500;
    p->rate_per_sec = desc->rate_per_sec > 0 && isfinite(desc->rate_per_sec)
                          ? desc->rate_per_sec : 0;
    burst = desc->rate_burst ? (long)desc->rate_burst : 1;

    if ((rc = only_keys(t, "timeouts", timeout_keys, err)) != UATS_OK ||
        (rc = read_int(t, "connect_ms", "timeouts.connect_ms", 1, 600000, &p->connect_ms, err)) ||
        (rc = read_int(t, "total_ms", "timeouts.total_ms", 1, 3600000, &p->total_ms, err)) ||
        (rc = only_keys(r, "retry", retry_keys, err)) != UATS_OK ||
        (rc = read_int(r, "max_attempts", "retry.max_attempts", 1, 20, &attempts, err)) ||
        (rc = read_int(r, "max_wait_ms", "retry.max_wait_ms", 0, 3600000, &p->max_wait_ms, err)) ||
        (rc = read_int(r, "base_delay_ms", "retry.base_delay_ms", 1, 60000, &p->base_delay_ms,
                       err)) ||
        (rc = read_int(config, "max_response_bytes", "max_response_bytes", 1024,
                       1L << 30, &max_body, err)) ||
        (rc = read_int(config, "max_file_bytes", "max_file_bytes", 1024, 1L << 31, &max_file,
                       err)) ||
        (rc = only_keys(rate, "rate", rate_keys, err)) != UATS_OK ||
        (rc = read_int(rate, "burst", "rate.burst", 1, 10000, &burst, err)))
        return rc;
    const json_t *per_sec = json_object_get(rate, "per_sec");
    if (per_sec) {
        if (!json_is_number(per_sec) || json_number_value(per_sec) < 0)
            return key_error(err, "rate.per_sec", "a number of requests per second (0: unpaced)");
        p->rate_per_sec = json_number_value(per_sec);
    }
    const json_t *insecure = json_object_get(config, "allow_insecure_http");
    if (insecure && !json_is_boolean(insecure))
        return key_error(err, "allow_insecure_http", "true or false");
    p->allow_insecure_http = json_is_true(insecure);
    p->max_attempts = (unsigned)attempts;
    p->max_body_bytes = (size_t)max_body;
    p->max_file_bytes = (size_t)max_file;
    p->rate_burst = (unsigned)burst;
    return UATS_OK;
}

/* This machine: localhost, 127.0.0.0/8 or ::1, as addresses, not names
 * that merely start like one ("127.example.com"). */
static bool is_loopback(const char *host)
{
    struct in_addr v4;
    struct in6_addr v6;
    char bare[64];
    if (strcasecmp(host, "localhost") == 0)
        return true;
    if (inet_pton(AF_INET, host, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    size_t n = strlen(host);
    if (n >= 2 && n < sizeof bare + 2 && host[0] == '[' && host[n - 1] == ']') {
        memcpy(bare, host + 1, n - 2);
        bare[n - 2] = '\0';
        host = bare;
    }
    return inet_pton(AF_INET6, host, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

uats_code uats__http_check_url(const char *url, const http_policy *policy, uats_error *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    uats_code rc = UATS_OK;
    if (!u)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        rc = uats__err_set(err, UATS_E_CONFIG, "\"%.100s\" is not a valid URL", url);
    } else if (strcasecmp(scheme, "https") == 0) {
        rc = UATS_OK;
    } else if (strcasecmp(scheme, "http") != 0) {
        rc = uats__err_set(err, UATS_E_CONFIG, "%s: only https:// (and http:// to this "
                           "machine) is supported", url);
    } else if (!is_loopback(host) && !policy->allow_insecure_http) {
        rc = uats__err_set(err, UATS_E_CONFIG, "%s: plain http is only allowed to this "
                           "machine; use https, or set allow_insecure_http", url);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    if (rc == UATS_E_CONFIG && err)
        uats__copy_str(err->field, sizeof err->field, "base_url");
    return rc;
}

uats_code uats__http_conn_init(uats_conn *conn, uats_error *err)
{
    pthread_once(&curl_once, init_curl);
    if (curl_init_result != CURLE_OK)
        return uats__err_set(err, UATS_E_INTERNAL, "libcurl failed to initialise: %s",
                             curl_easy_strerror(curl_init_result));
    conn_http *ch = uats__calloc(1, sizeof *ch);
    if (!ch)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    conn->http = ch;
    snprintf(ch->user_agent, sizeof ch->user_agent, "uats/%s (%s/%s) libcurl/%s",
             PACKAGE_VERSION, conn->module->desc.name, conn->module->desc.version, libcurl_version);
    pthread_mutex_init(&ch->pool_lock, NULL);
    uats__pace_init(&ch->pace, 0, 1);
    ch->rng = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)conn;
    uats_code rc = uats__http_policy(conn->config, &conn->module->desc, &ch->policy, err);
    if (rc != UATS_OK)
        return rc;
    ch->pace.tokens = ch->policy.rate_burst; /* a full bucket to start */
    if (conn->base_url && strncmp(conn->base_url, "http", 4) == 0 &&
        (rc = uats__http_check_url(conn->base_url, &ch->policy, err)) != UATS_OK)
        return rc;
    if (uats__oauth_wanted(conn))
        rc = uats__oauth_init(conn, err);
    return rc;
}

void uats__http_conn_free(uats_conn *conn)
{
    conn_http *ch = conn->http;
    if (!ch)
        return;
    for (size_t i = 0; i < ch->nidle; i++)
        curl_easy_cleanup(ch->idle[i]);
    uats__free_mem(ch->idle);
    uats__oauth_free(ch->oauth);
    pthread_mutex_destroy(&ch->pool_lock);
    pthread_mutex_destroy(&ch->pace.lock);
    uats__free_mem(ch);
    conn->http = NULL;
}

void uats_conn_rate_limit(uats_conn *conn, long *limit, long *remaining, long *reset)
{
    pacer *p = conn && conn->http ? &conn->http->pace : NULL;
    if (p)
        pthread_mutex_lock(&p->lock);
    if (limit) *limit = p ? p->limit : -1;
    if (remaining) *remaining = p ? p->remaining : -1;
    if (reset) *reset = p ? p->reset : -1;
    if (p)
        pthread_mutex_unlock(&p->lock);
}
