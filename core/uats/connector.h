/*
 * uats/connector.h: the connector ABI. The only uats header a connector
 * module includes. Connectors never link against libuats: everything they
 * need from the core arrives in the uats_host_api table handed to their entry
 * point, so one module works with every libuats of the same ABI major.
 *
 * A connector is a libtool module (lever.la -> lever.so) that exports exactly
 * one symbol, <name>_LTX_uats_connector_entry, written for you by
 * UATS_CONNECTOR_DEFINE. Link it with
 *     -module -avoid-version -export-symbols-regex '_LTX_uats_connector_entry$'
 * The core calls the entry once per load with its services table and receives
 * a descriptor: identity, capabilities and hooks. See docs/abi.md.
 *
 * ---- ABI rules ---------------------------------------------------------------
 * 1. Versions. UATS_ABI_MAJOR changes only when an existing field or hook
 *    changes meaning or type; then nothing built for another major loads.
 *    UATS_ABI_MINOR grows when fields are appended. A descriptor's abi_minor
 *    is the oldest host minor the module needs: by default the minor of the
 *    headers it was built with, which is always safe. A module that uses
 *    only ABI 1.0 services (testing newer ones with UATS_HOST_HAS) may
 *    define UATS_ABI_REQUIRED_MINOR 0 before including this header, and
 *    then also loads into older 1.x cores. The core loads a module whose
 *    major equals its own and whose required minor is no newer than its
 *    own, and refuses the rest with UATS_E_ABI_MISMATCH naming both.
 * 2. Tables only grow. uats_host_api and uats_connector start with
 *    struct_size and the ABI version; fields are appended at the end under a
 *    comment naming the minor that added them, never reordered, retyped or
 *    removed (a retired field stays as a dead slot). The core copies a
 *    descriptor's first struct_size bytes into zeroed memory before looking
 *    at any of it, so hooks a module predates read as NULL and hooks the
 *    core predates are ignored, capability bits included.
 * 3. Sizes are checked before anything is called: a descriptor shorter than
 *    the ABI 1.0 layout is refused as UATS_E_BAD_MODULE.
 * 4. Capabilities match hooks: each UATS_CAP_* bit declared needs its hook and
 *    each hook needs its bit; otherwise the module is refused. A missing hook
 *    means "unsupported": the host gets UATS_E_UNSUPPORTED, never a crash.
 * 5. The descriptor is read once, at load; the core keeps its own copy. Later
 *    changes to it have no effect. It and every string it points to must live
 *    as long as the module is loaded (use static storage).
 * 6. Memory crosses the boundary only as documented per field: "borrowed"
 *    means the other side keeps ownership and the pointer is valid for the
 *    stated time; "new" means the receiver owns it and frees it as stated.
 *    json_t values follow jansson's reference counting: a json_t passed to a
 *    hook is borrowed; one returned through an out-parameter is a new
 *    reference that the core releases.
 *
 * ---- Threads ---------------------------------------------------------------
 * The entry point is called once, under the core's loader lock. open() and
 * close() run once per connection. Every other hook may run concurrently on
 * the same connection state from several threads: keep per-call data on the
 * stack and guard anything shared in the state. Host services are
 * thread-safe; a uats_call is used only by the thread running the hook.
 */
#ifndef UATS_CONNECTOR_H
#define UATS_CONNECTOR_H

#include <jansson.h>
#include <uats/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The connector ABI implemented by this header. Independent of the library's
 * soname and of the package version (see sdk/README.md). */
#define UATS_ABI_MAJOR 1
#define UATS_ABI_MINOR 1

/* The oldest host ABI minor this module needs (rule 1). */
#ifndef UATS_ABI_REQUIRED_MINOR
#define UATS_ABI_REQUIRED_MINOR UATS_ABI_MINOR
#endif

/* Whether a versioned table has a field: for host services newer than the
 * module's required minor, and for the core reading descriptors. */
#define UATS_HAS_FIELD(table, type, field) \
    ((table)->struct_size >= offsetof(type, field) + sizeof((table)->field))
#define UATS_HOST_HAS(host, field) UATS_HAS_FIELD(host, uats_host_api, field)

/* Room for a timestamp written by host->time_from_epoch_ms: "2026-01-02T03:04:05.123Z". */
#define UATS_TIME_SIZE 32

/*
 * One operation in progress (open, create, get, add attachment). Opaque and
 * owned by the core; valid only during the hook it is passed to, and only on
 * the thread running that hook. Host services take it to know which
 * connection, which error record and which warning list they act on.
 */
typedef struct uats_call uats_call;

/*
 * A vendor option the connector accepts in the connection's "options"
 * object. The core rejects a connection that sets an option the connector
 * does not list, or omits a required one, before open() is called. Options
 * are strings. This struct is frozen: it is used in arrays, so it can never
 * grow; a richer form would be a new descriptor field.
 */
typedef struct uats_option_spec {
    const char *name;  /* e.g. "perform_as"; NULL ends the array */
    unsigned flags;    /* UATS_OPTION_* */
    const char *help;  /* one line for `uats connectors` and docs */
} uats_option_spec;

/* UATS_OPTION_REQUIRED and UATS_OPTION_SECRET: see uats/common.h. */

/*
 * An HTTP request being built, and a response received. Opaque, owned by the
 * core. A request is consumed by host->http_send (also when it fails); a
 * response is released with host->http_resp_free. Both belong to the call
 * that created them and must not outlive it.
 */
typedef struct uats_http_req uats_http_req;
typedef struct uats_http_resp uats_http_resp;

/* How the "api_key" credential is sent (uats_connector.api_key_style). */
#define UATS_KEY_BASIC_USER 0 /* Basic auth, key as user, empty password (default) */
#define UATS_KEY_BEARER     1 /* Authorization: Bearer <key> */
#define UATS_KEY_HEADER     2 /* header api_key_name: <api_key_prefix><key> */
#define UATS_KEY_QUERY      3 /* query parameter api_key_name=<key> */

/*
 * Services the core offers to connectors: host -> connector, append-only.
 * Every service is thread-safe. Strings returned are borrowed unless a
 * comment says otherwise.
 */
typedef struct uats_host_api {
    size_t struct_size;   /* sizeof(uats_host_api) in the core that built it */
    uint16_t abi_major;   /* UATS_ABI_MAJOR of the core */
    uint16_t abi_minor;   /* UATS_ABI_MINOR of the core */

    /* ---- ABI 1.0 ---- */

    /* Memory. Anything a connector hands to the core for freeing (none in
     * ABI 1.0 except json_t, which jansson manages) must come from alloc.
     * alloc returns NULL when out of memory; free accepts NULL. strdup
     * returns a new copy owned by the caller (free with host->free). */
    void *(*alloc)(size_t size);
    void (*free)(void *ptr);
    char *(*strdup)(const char *s);

    /* Log a line through the host's log callback, prefixed with the
     * connector's name. Credentials and secret options are redacted. */
    void (*log)(uats_call *call, uats_log_level level, const char *fmt, ...)
        UATS_PRINTF(3, 4);

    /* Record why the call failed and return code, so a hook can write
     * `return host->fail(call, UATS_E_VALIDATION, "...")`. The message is
     * for humans; secrets are redacted. The first failure recorded in a call
     * wins; later ones are logged at debug level. */
    uats_code (*fail)(uats_call *call, uats_code code, const char *fmt, ...)
        UATS_PRINTF(3, 4);

    /* Same, for a vendor answer: the HTTP status and the vendor's own error
     * text (borrowed, may be NULL; copied and truncated to fit) are kept
     * apart from uats' message so hosts can show both. */
    uats_code (*fail_vendor)(uats_call *call, uats_code code, long http_status,
                             const char *vendor_message, const char *fmt, ...)
        UATS_PRINTF(5, 6);

    /* Report that an input field could not be stored by this vendor (or was
     * degraded): field is the unified JSON path, e.g. "phone_numbers[1].type".
     * Warnings reach the host with the result; nothing is dropped silently.
     * Returns UATS_E_NOMEM if the warning could not be recorded. */
    uats_code (*warn)(uats_call *call, const char *field, const char *fmt, ...)
        UATS_PRINTF(3, 4);

    /* The value of a vendor option declared in uats_connector.options, or
     * NULL if the connection does not set it. Borrowed: valid until the
     * connection is closed. */
    const char *(*option)(uats_call *call, const char *name);

    /* A credential of the connection, or NULL if absent. Names: "api_key",
     * "token" (OAuth/bearer access token), "username", "password",
     * "client_id", "client_secret", "refresh_token", and the non-secret
     * "token_url" and "scopes". "$env:NAME" references are already resolved. Borrowed: valid until the connection is closed.
     * Never log or copy these into messages: the core redacts them from
     * everything it prints, but only the core's copies. */
    const char *(*credential)(uats_call *call, const char *name);

    /* The base URL to use: the connection's "base_url" if set, else the
     * descriptor's default_base_url, or what open() gave set_base_url. No
     * trailing slash. Borrowed: valid until the connection is closed (or
     * set_base_url is called again). NULL in open() when the descriptor's
     * default_base_url is NULL and the connection sets no base_url. */
    const char *(*base_url)(uats_call *call);

    /* Check and extract a vendor JSON response with jansson's json_unpack
     * format (root borrowed; "o" results are borrowed from it). On mismatch,
     * records UATS_E_VENDOR with jansson's description and `what` (e.g.
     * "opportunity"), and returns it. */
    uats_code (*unpack)(uats_call *call, const json_t *root, const char *what,
                        const char *fmt, ...);

    /* Write the ISO 8601 UTC form of a Unix time given in milliseconds into
     * out (UATS_TIME_SIZE bytes): "2026-01-02T03:04:05Z", with ".mmm" only
     * when ms has a fraction. Returns UATS_E_INVALID_INPUT outside years
     * 0001..9999. */
    uats_code (*time_from_epoch_ms)(int64_t ms, char out[UATS_TIME_SIZE]);

    /* Decode standard base64 (as in attachment inputs' "data"). Returns new
     * memory (host->free) holding *len bytes plus a NUL, or NULL with
     * UATS_E_INVALID_INPUT or UATS_E_NOMEM recorded on the call. */
    void *(*base64_decode)(uats_call *call, const char *b64, size_t *len);

    /*
     * HTTP. Every request goes through the core's transport: base URL,
     * authentication from the connection's credentials, timeouts, retries
     * with backoff and Retry-After, pacing to the connector's declared rate,
     * size caps, TLS, redirects (same origin only), keep-alive and logging
     * with secrets redacted. Connectors never call libcurl.
     *
     * http_new starts a request: method ("GET", "POST", "PUT", "PATCH",
     * "DELETE") and a path below the base URL, in which each "%s" is
     * replaced by the next argument percent-encoded as one path segment.
     * Only %s and %% may appear, and no "?" or "#" (use http_query); any
     * other directive fails the request at once (UATS_E_INTERNAL, recorded)
     * although the compiler's printf check lets it pass. NULL only when out
     * of memory (recorded). Every request must be given to http_send or
     * http_req_free.
     */
    uats_http_req *(*http_new)(uats_call *call, const char *method,
                               const char *path, ...) UATS_PRINTF(3, 4);

    /* Add a query parameter (name and value copied, percent-encoded). */
    uats_code (*http_query)(uats_http_req *req, const char *name, const char *value);

    /* Add a request header (copied), or replace the core's default of the
     * same name (Accept: application/json, and Content-Type for bodies).
     * Authentication headers are the core's: setting Authorization fails. */
    uats_code (*http_header)(uats_http_req *req, const char *name, const char *value);

    /* Send body (borrowed, serialised now) as application/json. */
    uats_code (*http_json_body)(uats_http_req *req, const json_t *body);

    /* multipart/form-data: a plain field (copied), or a file part whose
     * bytes are borrowed until http_send returns (streamed, not copied). */
    uats_code (*http_form_field)(uats_http_req *req, const char *name, const char *value);
    uats_code (*http_form_file)(uats_http_req *req, const char *name,
                                const char *file_name, const char *content_type,
                                const void *data, size_t len);

    /* By default a status of 300 or more makes http_send fail with the
     * matching code (401 UATS_E_AUTH, 403 UATS_E_FORBIDDEN, 404 and 410
     * UATS_E_NOT_FOUND, 409 UATS_E_CONFLICT, 400/422 UATS_E_VALIDATION, 413
     * UATS_E_TOO_LARGE, 429 UATS_E_RATE_LIMITED, other UATS_E_VENDOR; a 5xx
     * other than 503 to a non-idempotent request is UATS_E_OUTCOME_UNKNOWN)
     * and the vendor's message. http_accept makes `status` an ordinary
     * answer the connector handles (up to 8 statuses per request). */
    void (*http_accept)(uats_http_req *req, long status);

    /* Whether the request may be repeated without harm. Defaults: GET, PUT,
     * DELETE yes; POST, PATCH no. An RPC-style read sent as POST may say yes;
     * a create must not. Non-idempotent requests are retried only when the
     * vendor certainly did not process them. */
    void (*http_idempotent)(uats_http_req *req, int idempotent);

    /* Send it (consuming req) and wait for the answer. UATS_OK sets *resp
     * (new: http_resp_free). Failures are recorded on the call:
     * UATS_E_TRANSPORT, UATS_E_TIMEOUT, UATS_E_OUTCOME_UNKNOWN (sent, no
     * answer: never retried for non-idempotent requests), UATS_E_TOO_LARGE,
     * the status codes above, UATS_E_CONFIG (plain http to a remote host). */
    uats_code (*http_send)(uats_http_req *req, uats_http_resp **resp);

    long (*http_status)(const uats_http_resp *resp);
    /* A response header (any case), borrowed from resp; NULL if absent. */
    const char *(*http_resp_header)(const uats_http_resp *resp, const char *name);
    /* The raw body, borrowed from resp (NUL-terminated; *len excludes it). */
    const char *(*http_resp_body)(const uats_http_resp *resp, size_t *len);
    /* The body as JSON, parsed on first use; borrowed from resp. NULL, with
     * UATS_E_VENDOR recorded, when it is not JSON (an HTML error page,
     * truncated or invalid UTF-8 text). */
    json_t *(*http_resp_json)(uats_http_resp *resp);
    void (*http_resp_free)(uats_http_resp *resp);

    /* Add a parameter to the OAuth 2.0 token request of this connection
     * (e.g. Greenhouse's "sub", the acting user). Only from open(). */
    uats_code (*oauth_param)(uats_call *call, const char *name, const char *value);

    /* Drop a request without sending it (a connector that fails between
     * http_new and http_send). NULL is fine. */
    void (*http_req_free)(uats_http_req *req);

    /* A request to an absolute URL on the same origin as the base URL (a
     * vendor's "next page" link), sent with the connection's credentials.
     * The URL is used as given (already encoded). Another origin fails the
     * request (UATS_E_VENDOR) so that credentials never leave the vendor. */
    uats_http_req *(*http_new_url)(uats_call *call, const char *method, const char *url);

    /* A GET of a file the caller pointed to (an attachment input's "url"):
     * any https host (http only to this machine), no credentials, the
     * connection's file size cap, retried like any GET. */
    uats_http_req *(*http_new_download)(uats_call *call, const char *url);

    /* A raw body of len bytes (copied) with its content type: JSON:API
     * documents, url-encoded forms, uploads. */
    uats_code (*http_body)(uats_http_req *req, const char *content_type, const void *data,
                           size_t len);

    /* Only from open(): use url (copied) as the connection's base URL, for
     * vendors whose address depends on the account (a subdomain, a company
     * id). Subject to the https-only rule. */
    uats_code (*set_base_url)(uats_call *call, const char *url);

    /* Like fail_vendor, also naming the unified input field at fault (its
     * JSON path, e.g. "email_addresses[0].value"), for vendors whose
     * validation errors name fields. field borrowed, copied. */
    uats_code (*fail_field)(uats_call *call, uats_code code, long http_status,
                            const char *field, const char *vendor_message,
                            const char *fmt, ...) UATS_PRINTF(6, 7);

    /* A multipart file part streamed from a file on disk (path copied; the
     * file is read when the request is sent, and again on a retry). A
     * missing or unreadable file fails the request (UATS_E_INVALID_INPUT). */
    uats_code (*http_form_file_path)(uats_http_req *req, const char *name,
                                     const char *file_name, const char *content_type,
                                     const char *path);

    /* ---- ABI 1.1 ---- */

    /* Only from open(): use url (copied) as this connection's OAuth 2.0
     * token endpoint instead of the descriptor's oauth_token_url, for a
     * vendor option that names it (Greenhouse's token_url, pointed at a
     * sandbox). A connection whose credentials.token_url is set keeps that
     * one, and one that does not use OAuth ignores the call; both return
     * UATS_OK. Subject to the https-only rule (UATS_E_CONFIG, recorded). */
    uats_code (*oauth_token_url)(uats_call *call, const char *url);

    /* Write a vendor's ISO 8601 / RFC 3339 date-time (any UTC offset, "Z",
     * an optional fraction) into out (UATS_TIME_SIZE bytes) in the unified
     * form, as time_from_epoch_ms does: "2026-01-02T03:04:05.123Z".
     * UATS_E_INVALID_INPUT (not recorded: the connector decides) when text
     * is NULL or not such a time; out is then "". */
    uats_code (*time_normalize)(const char *text, char out[UATS_TIME_SIZE]);

    /* The vendor answered resp's request with a 2xx but its body says the
     * request was refused and changed nothing (an RPC API's
     * {"success": false} on HTTP 200, as Ashby's). A 2xx to a write
     * otherwise marks the call as having taken effect, which turns any
     * failure recorded later into UATS_E_OUTCOME_UNKNOWN; this withdraws
     * that mark for resp alone (other writes of the call keep theirs).
     * Call it before recording the refusal. No effect on reads or non-2xx
     * answers; NULL is fine. */
    void (*http_refused)(uats_http_resp *resp);

    /* ---- ABI 1.2 fields go below this line ---- */
} uats_host_api;

/*
 * The connector's descriptor: connector -> host, append-only. Define it as a
 * static const object and export it with UATS_CONNECTOR_DEFINE.
 */
typedef struct uats_connector {
    size_t struct_size;   /* sizeof(uats_connector): set by UATS_CONNECTOR_INIT */
    uint16_t abi_major;   /* UATS_ABI_MAJOR the module was built with */
    uint16_t abi_minor;   /* the oldest host minor it needs: UATS_ABI_REQUIRED_MINOR */

    /* ---- ABI 1.0 ---- */

    /* Identity. name is [a-z0-9_]+, does not start with "lib", and must
     * equal the module's file name without extension ("lever" for
     * lever.so); it is how hosts pick the connector. version is the connector's own version string. vendor is
     * the product's display name ("Lever"). description: one line. */
    const char *name;
    const char *version;
    const char *vendor;
    const char *description;

    /* Where the vendor's API lives (https://...), used unless the connection
     * sets "base_url". May be NULL when every account has its own host; then
     * open() builds the address (from an option, with set_base_url) when the
     * connection sets no base_url, and a connection left without one, or
     * whose connector has no open(), is refused (UATS_E_CONFIG, field
     * "base_url"). */
    const char *default_base_url;

    uint32_t caps;                    /* UATS_CAP_* bits, matching the hooks */
    const uats_option_spec *options;  /* ends with a NULL name; NULL = none */

    /* Authentication. The core picks it from the connection's credentials:
     * "token" is sent as a Bearer token; "client_id" and "client_secret"
     * get an OAuth 2.0 access token (client credentials grant, or refresh
     * grant when "refresh_token" is set) from credentials.token_url or
     * oauth_token_url; "api_key" is sent as api_key_style says;
     * "username"/"password" as Basic. */
    uint32_t api_key_style;           /* UATS_KEY_* */
    const char *api_key_name;         /* header or query name for HEADER, QUERY */
    const char *api_key_prefix;       /* HEADER: text before the key, e.g. "Token token=" */
    const char *oauth_token_url;      /* default token endpoint, or NULL */

    /* The vendor's documented request rate: the core paces every
     * connection to it (a token bucket shared by the connection's threads).
     * 0 means not documented: no pacing beyond rate-limit headers. */
    double rate_per_sec;
    uint32_t rate_burst;              /* bucket size; 0 means 1 */

    /* Where the vendor's error bodies keep their message: dotted JSON paths
     * tried in order ("message", "errors.0.message"); a path ending at an
     * array of strings joins them. NULL-terminated; NULL uses "message",
     * "error_description", "error.message", "error", "errors". */
    const char *const *error_message_paths;

    /* The vendor's rate-limit headers: this prefix followed by "Limit",
     * "Remaining" and "Reset" ("X-Rate-Limit-" for Workable). NULL means
     * "X-RateLimit-". */
    const char *rate_limit_header_prefix;

    /* Called once when a host opens a connection, after the core has checked
     * the configuration against `options`. May check options and credentials,
     * call set_base_url and oauth_param, and set *state (any pointer, or left
     * NULL); return UATS_OK or a failure recorded with host->fail. On failure
     * close() is not called: release what open() took. Optional. */
    uats_code (*open)(uats_call *call, void **state);

    /* Releases what open() set up. Called once, after every call on the
     * connection has returned. Optional. */
    void (*close)(void *state);

    /* Every hook below reports failure by recording it (host->fail, or a
     * host service that failed, such as http_send) and returning a code
     * other than UATS_OK; when something was recorded, the host gets the
     * recorded code, so `if (rc != UATS_OK) return rc;` is always right.
     * A result (*out) is never modified by the core, and the connector
     * gives it up: it must not keep, share or modify it (or its parts)
     * after returning it, since the core keeps its parts.
     *
     * Create a candidate. input is the validated unified create input in
     * canonical JSON (docs/model.md), borrowed for the duration of the call.
     * On success set *out to a new reference to the unified Candidate as the
     * vendor stored it (with "remote_data"); the core validates it and takes
     * the reference. Report each input field the vendor cannot hold with
     * host->warn. Never retry a create yourself. If the vendor accepted the
     * create (a 2xx) and a later step fails, the host is told
     * UATS_E_OUTCOME_UNKNOWN, since the candidate exists. */
    uats_code (*create_candidate)(uats_call *call, void *state,
                                  const json_t *input, json_t **out);

    /* Fetch one candidate by the vendor's id (borrowed). On success *out is a
     * new reference to the unified Candidate (with "remote_data"). A missing
     * candidate is UATS_E_NOT_FOUND. Warnings are not reported for gets. */
    uats_code (*get_candidate)(uats_call *call, void *state, const char *id,
                               json_t **out);

    /* Attach a file to a candidate. input is the validated unified
     * attachment input (file_name, content_type, type, and data as base64 or
     * url), borrowed. On success *out is a new reference to the unified
     * Attachment. */
    uats_code (*add_attachment)(uats_call *call, void *state,
                                const char *candidate_id, const json_t *input,
                                json_t **out);

    /* ---- ABI 1.1 ---- */

    /* The unified create-input fields the connector stores at the vendor,
     * as paths of docs/model.md ("first_name", "email_addresses",
     * "application.job_id", "attachments"), NULL-terminated; every other
     * field a create gives is reported with host->warn. It documents the
     * connector (`uats connectors`, docs/connectors.md) and lets hosts pick a
     * vendor; a name that is not a create-input field gets the module
     * refused. NULL: not stated. */
    const char *const *stored_fields;

    /* The OAuth 2.0 token request, for vendors that depart from the
     * client-credentials form the core sends by default. oauth_grant:
     * UATS_OAUTH_CLIENT_CREDENTIALS (0), or UATS_OAUTH_PASSWORD, the
     * resource-owner password grant (RFC 6749 4.3) with the connection's
     * credentials.username and .password (both then required, and both
     * redacted like every credential) while client_id and client_secret
     * still go as Basic. A refresh_token credential still selects the
     * refresh grant. oauth_json_body nonzero: the same parameters are sent
     * as one JSON object instead of a form. oauth_token_path: the dotted
     * path of the access token in the answer ("data.access_token"); its
     * siblings give expires_in/expires_at and refresh_token. NULL:
     * "access_token" at the top level. */
    uint32_t oauth_grant;
    uint32_t oauth_json_body;
    const char *oauth_token_path;

    /* ---- ABI 1.2 fields go below this line ---- */
} uats_connector;

/* uats_connector.oauth_grant */
#define UATS_OAUTH_CLIENT_CREDENTIALS 0
#define UATS_OAUTH_PASSWORD 1

/* Initializer for the header fields of a uats_connector. Designated
 * initializers: C99, or C++20. */
#define UATS_CONNECTOR_INIT \
    .struct_size = sizeof(uats_connector), \
    .abi_major = UATS_ABI_MAJOR, \
    .abi_minor = UATS_ABI_REQUIRED_MINOR

/* The entry point's type. Returns the descriptor (borrowed: static storage)
 * or NULL if the module cannot work with this host. */
typedef const uats_connector *uats_connector_entry_fn(const uats_host_api *host);

/* The symbol the core looks up (libltdl tries "<module>_LTX_" + this first). */
#define UATS_CONNECTOR_ENTRY_SYMBOL "uats_connector_entry"

/*
 * The host's services table, set by the entry point before any hook runs
 * (every core passes the same table, so setting it again is harmless).
 * Hidden, so that modules never see each other's copy. One connector per
 * shared module: two connectors linked into one object would both define it.
 */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((visibility("hidden")))
#endif
extern const uats_host_api *uats_host;

/*
 * UATS_CONNECTOR_DEFINE(modname, descriptor): put this in exactly one source
 * file of the module. modname is the module's file name without extension
 * (lever), descriptor a static const uats_connector. It defines uats_host
 * and the exported entry point modname_LTX_uats_connector_entry (libltdl's
 * naming, which keeps entry points distinct), with C linkage from C++ too.
 */
#define UATS_CONNECTOR_DEFINE(modname, descriptor) \
    UATS_CONNECTOR_DEFINE_(modname, descriptor)

/* The indirection lets modname be a macro (-DMODNAME=lever) that expands
 * before it is pasted into the symbol name. */
#ifdef __cplusplus
#define UATS_C_LINKAGE extern "C"
#else
#define UATS_C_LINKAGE
#endif
#define UATS_CONNECTOR_DEFINE_(modname, descriptor)                           \
    const uats_host_api *uats_host;                                           \
    UATS_C_LINKAGE UATS_EXPORT const uats_connector *                         \
    modname##_LTX_uats_connector_entry(const uats_host_api *host);            \
    UATS_C_LINKAGE UATS_EXPORT const uats_connector *                         \
    modname##_LTX_uats_connector_entry(const uats_host_api *host)             \
    {                                                                         \
        uats_host = host; /* the core checks the versions */                  \
        return &(descriptor);                                                 \
    }

#ifdef __cplusplus
}
#endif
#endif /* UATS_CONNECTOR_H */
