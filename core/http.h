/*
 * core/http.h: the HTTP transport shared by every connector (internal).
 * http.c builds and sends requests with the retry policy; pace.c paces them;
 * oauth.c obtains access tokens; auth.c decides what credentials to send.
 */
#ifndef UATS_HTTP_H
#define UATS_HTTP_H

#include <curl/curl.h>

#include "internal.h"

/* Per-connection transport policy, from the connection's configuration
 * (docs/connections.md). */
typedef struct http_policy {
    long connect_ms;           /* TCP+TLS connect timeout */
    long total_ms;             /* whole exchange, per attempt */
    unsigned max_attempts;     /* 1 = no retries */
    long max_wait_ms;          /* total time spent waiting between attempts */
    long base_delay_ms;        /* first backoff step */
    size_t max_body_bytes;     /* response size cap */
    size_t max_file_bytes;     /* download size cap */
    bool allow_insecure_http;  /* plain http to a non-loopback host */
    double rate_per_sec;       /* pacing; 0 = none */
    unsigned rate_burst;
} http_policy;

/* The token bucket and what the vendor's rate-limit headers said. */
typedef struct pacer {
    pthread_mutex_t lock;
    double tokens;
    double refilled_at;   /* monotonic seconds */
    double not_before;    /* monotonic seconds: no request before this */
    long limit, remaining, reset;  /* last X-RateLimit-* seen, -1 unknown */
} pacer;

typedef struct oauth_state oauth_state;

typedef struct conn_http {
    http_policy policy;
    pacer pace;
    pthread_mutex_t pool_lock;  /* idle curl handles, for keep-alive reuse */
    CURL **idle;
    size_t nidle, cap;
    oauth_state *oauth;         /* NULL when the connection does not use OAuth */
    unsigned rng;               /* jitter */
    char user_agent[160];       /* built once: curl_version_info is not thread-safe */
} conn_http;

/* Parse the transport keys of a connection's configuration into policy
 * (defaults for absent keys). UATS_E_CONFIG names the key. */
uats_code uats__http_policy(const json_t *config, const uats_connector *desc,
                            http_policy *policy, uats_error *err);
/* Whether url's scheme and host are acceptable under policy. */
uats_code uats__http_check_url(const char *url, const http_policy *policy,
                               uats_error *err);

uats_code uats__http_conn_init(uats_conn *conn, uats_error *err);
void uats__http_conn_free(uats_conn *conn);

/* pace.c */
void uats__pace_init(pacer *p, double rate, unsigned burst);
void uats__pace_acquire(pacer *p, double rate, unsigned burst);
void uats__pace_observe(pacer *p, const char *limit, const char *remaining,
                        const char *reset);
double uats__monotonic(void);
void uats__sleep_ms(long ms);

/* oauth.c */
bool uats__oauth_wanted(const uats_conn *conn);
uats_code uats__oauth_init(uats_conn *conn, uats_error *err);
void uats__oauth_free(oauth_state *o);
/* A copy of a valid access token (new: uats__free_mem), fetched or renewed
 * as needed. refused: the token a 401 answered, to renew unless another
 * thread already has; NULL otherwise. */
uats_code uats__oauth_token(uats_call *call, const char *refused, char **token);
uats_code uats__oauth_param(uats_call *call, const char *name, const char *value);
uats_code uats__oauth_set_token_url(uats_call *call, const char *url);
/* After open(): a connection that uses OAuth has a token endpoint. */
uats_code uats__oauth_check(uats_conn *conn, uats_error *err);

/* Internal requests (the token endpoint) skip authentication and pacing
 * and take an absolute URL. */
uats_http_req *uats__http_new_internal(uats_call *call, const char *method,
                                       const char *url);
uats_http_req *uats__http_new_url(uats_call *call, const char *method, const char *url);
uats_http_req *uats__http_new_download(uats_call *call, const char *url);
uats_code uats__http_body(uats_http_req *req, const char *content_type, const void *data,
                          size_t len);
void uats__http_req_free(uats_http_req *req);

/* The services table's HTTP entries (http.c). */
uats_http_req *uats__http_new(uats_call *call, const char *method, const char *path, ...)
    UATS_PRINTF(3, 4);
uats_code uats__http_query(uats_http_req *req, const char *name, const char *value);
uats_code uats__http_header(uats_http_req *req, const char *name, const char *value);
uats_code uats__http_json_body(uats_http_req *req, const json_t *body);
uats_code uats__http_form_field(uats_http_req *req, const char *name, const char *value);
uats_code uats__http_form_file(uats_http_req *req, const char *name, const char *file_name,
                               const char *content_type, const void *data, size_t len);
uats_code uats__http_form_file_path(uats_http_req *req, const char *name, const char *file_name,
                                    const char *content_type, const char *path);
uats_code uats__http_form_urlencoded(uats_http_req *req, const char *name, const char *value);
void uats__http_accept(uats_http_req *req, long status);
void uats__http_idempotent(uats_http_req *req, int idempotent);
void uats__http_basic(uats_http_req *req, const char *user, const char *password);
uats_code uats__http_send(uats_http_req *req, uats_http_resp **resp);
long uats__http_status(const uats_http_resp *resp);
const char *uats__http_resp_header(const uats_http_resp *resp, const char *name);
const char *uats__http_resp_body(const uats_http_resp *resp, size_t *len);
json_t *uats__http_resp_json(uats_http_resp *resp);
void uats__http_resp_free(uats_http_resp *resp);
/* host->http_refused: withdraw resp's "took effect" mark from its call. */
void uats__http_refused(uats_http_resp *resp);

#endif
