/*
 * core/call.c: the services table handed to connectors, and the per-call
 * record (error, warnings) those services write to.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "http.h"

#define REDACTED "[REDACTED]"

void uats__call_init(uats_call *call, uats_conn *conn, uats_error *err)
{
    memset(call, 0, sizeof *call);
    call->conn = conn;
    call->module = conn ? conn->module : NULL;
    call->err = err;
    uats__err_clear(err);
}

static char *replace_all(char *out, const char *secret)
{
    size_t slen = strlen(secret), rlen = strlen(REDACTED), from = 0;
    char *hit;
    if (!slen)
        return out;
    while ((hit = strstr(out + from, secret)) != NULL) {
        size_t pos = (size_t)(hit - out), len = strlen(out);
        char *grown = uats__malloc(len - slen + rlen + 1);
        if (!grown) {
            uats__free_mem(out);
            return NULL;
        }
        memcpy(grown, out, pos);
        memcpy(grown + pos, REDACTED, rlen);
        memcpy(grown + pos + rlen, hit + slen, len - pos - slen + 1);
        uats__free_mem(out);
        out = grown;
        from = pos + rlen;
    }
    return out;
}

static int longer_first(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

char *uats__redact(const uats_conn *conn, const char *s)
{
    char *out = uats__strdup(s);
    if (!out || !conn)
        return out;
    uats_conn *c = (uats_conn *)conn; /* the lock is not part of the value */
    pthread_mutex_lock(&c->lock);
    /* Longest first: a secret that contains another (a password that
     * starts with the user name) must go whole. */
    size_t n = 0;
    char **all = uats__malloc((c->nsecrets + 2) * sizeof *all);
    if (all) {
        for (size_t i = 0; i < c->nsecrets; i++)
            all[n++] = c->secrets[i];
        for (size_t i = 0; i < 2; i++)
            if (c->slots[i])
                all[n++] = c->slots[i];
        qsort(all, n, sizeof *all, longer_first);
        for (size_t i = 0; out && i < n; i++)
            out = replace_all(out, all[i]);
    } else {
        uats__free_mem(out);
        out = NULL; /* cannot redact, so cannot show */
    }
    pthread_mutex_unlock(&c->lock);
    uats__free_mem(all);
    return out;
}

/* vsnprintf into new memory of the size needed: text is redacted before
 * anything cuts it, so no secret's head can survive a cut. */
static char *format(const char *fmt, va_list ap) UATS_PRINTF(1, 0);

static char *format(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *text = n >= 0 ? uats__malloc((size_t)n + 1) : NULL;
    if (text)
        vsnprintf(text, (size_t)n + 1, fmt, ap);
    return text;
}

void uats__logv(const uats_ctx *ctx, const uats_conn *conn, const char *connector,
                uats_log_level level, const char *fmt, va_list ap)
{
    if (!ctx || !ctx->log_fn || level > ctx->log_level)
        return;
    char *line = format(fmt, ap);
    char *clean = line ? uats__redact(conn, line) : NULL;
    uats__free_mem(line);
    /* If memory ran out we cannot redact, so we must not print. */
    if (clean) {
        ctx->log_fn(level, connector, clean, ctx->log_userdata);
        uats__free_mem(clean);
    }
}

void uats__log(const uats_ctx *ctx, const uats_conn *conn, const char *connector,
               uats_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uats__logv(ctx, conn, connector, level, fmt, ap);
    va_end(ap);
}

/* ---- services ---- */

static void *host_alloc(size_t size) { return uats__malloc(size); }
static void host_free(void *ptr) { uats__free_mem(ptr); }
static char *host_strdup(const char *s) { return uats__strdup(s); }

static const uats_ctx *ctx_of(const uats_call *call)
{
    return call && call->conn ? call->conn->ctx : NULL;
}

static const char *name_of(const uats_call *call)
{
    return call && call->module ? call->module->desc.name : NULL;
}

static void host_log(uats_call *call, uats_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uats__logv(ctx_of(call), call ? call->conn : NULL, name_of(call), level, fmt, ap);
    va_end(ap);
}

/* Store a redacted copy of text into a fixed buffer. */
static void put_redacted(const uats_call *call, char *dst, size_t size, const char *text)
{
    char *clean = uats__redact(call->conn, text);
    uats__copy_str(dst, size, clean ? clean : "(message withheld: out of memory)");
    uats__free_mem(clean);
}

static uats_code record_failure(uats_call *call, uats_code code, long http_status,
                                const char *vendor_message, const char *fmt, va_list ap)
{
    if (!call)
        return code;
    char *text = format(fmt, ap);
    if (!text)
        text = uats__strdup("(message lost: out of memory)");
    if (call->failed) {
        host_log(call, UATS_LOG_DEBUG, "later failure (not reported): %s", text ? text : "");
        uats__free_mem(text);
        return code;
    }
    call->failed = true;
    uats_error *err = call->err;
    err->code = code;
    err->http_status = http_status;
    put_redacted(call, err->text, sizeof err->text, text ? text : "");
    uats__free_mem(text);
    if (vendor_message)
        put_redacted(call, err->vendor_message, sizeof err->vendor_message,
                     vendor_message);
    uats__copy_str(err->connector, sizeof err->connector, name_of(call));
    return code;
}

static uats_code host_fail(uats_call *call, uats_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record_failure(call, code, 0, NULL, fmt, ap);
    va_end(ap);
    return code;
}

static uats_code host_fail_vendor(uats_call *call, uats_code code, long http_status,
                                  const char *vendor_message, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record_failure(call, code, http_status, vendor_message, fmt, ap);
    va_end(ap);
    return code;
}

static uats_code host_fail_field(uats_call *call, uats_code code, long http_status,
                                 const char *field, const char *vendor_message,
                                 const char *fmt, ...) UATS_PRINTF(6, 7);

static uats_code host_fail_field(uats_call *call, uats_code code, long http_status,
                                 const char *field, const char *vendor_message,
                                 const char *fmt, ...)
{
    va_list ap;
    bool first = call && !call->failed;
    va_start(ap, fmt);
    record_failure(call, code, http_status, vendor_message, fmt, ap);
    va_end(ap);
    if (first && field)
        uats__copy_str(call->err->field, sizeof call->err->field, field);
    return code;
}

static uats_code host_warn(uats_call *call, const char *field, const char *fmt, ...)
{
    va_list ap;
    if (!call || !call->warnings)
        return UATS_OK; /* this operation has nobody to warn */
    va_start(ap, fmt);
    char *text = format(fmt, ap);
    va_end(ap);
    char *clean = text ? uats__redact(call->conn, text) : NULL;
    uats__free_mem(text);
    if (!clean)
        return UATS_E_NOMEM;
    host_log(call, UATS_LOG_INFO, "warning: %s: %s", field ? field : "", clean);
    uats_code rc = uats__warnings_add(call->warnings, field, clean);
    uats__free_mem(clean);
    return rc;
}

static const char *host_option(uats_call *call, const char *name)
{
    if (!call || !call->conn || !name)
        return NULL;
    json_t *opts = json_object_get(call->conn->config, "options");
    return json_string_value(json_object_get(opts, name));
}

static const char *host_credential(uats_call *call, const char *name)
{
    if (!call || !call->conn || !name)
        return NULL;
    json_t *creds = json_object_get(call->conn->config, "credentials");
    return json_string_value(json_object_get(creds, name));
}

static const char *host_base_url(uats_call *call)
{
    return call && call->conn ? call->conn->base_url : NULL;
}

static uats_code host_unpack(uats_call *call, const json_t *root, const char *what,
                             const char *fmt, ...)
{
    json_error_t jerr;
    va_list ap;
    va_start(ap, fmt);
    /* json_vunpack_ex does not modify root; its prototype predates const. */
    int rc = json_vunpack_ex((json_t *)root, &jerr, 0, fmt, ap);
    va_end(ap);
    if (rc == 0)
        return UATS_OK;
    return host_fail(call, UATS_E_VENDOR, "unexpected %s in the vendor's response: %s",
                     what ? what : "data", jerr.text);
}

static void *host_base64_decode(uats_call *call, const char *b64, size_t *len)
{
    size_t n = 0;
    if (!b64 || !uats__is_base64(b64, strlen(b64))) {
        host_fail(call, UATS_E_INVALID_INPUT, "data is not valid base64");
        return NULL;
    }
    void *out = uats__base64_decode(b64, strlen(b64), &n);
    if (!out)
        host_fail(call, UATS_E_NOMEM, "out of memory");
    else if (len)
        *len = n;
    return out;
}

static uats_code host_set_base_url(uats_call *call, const char *url)
{
    uats_error why;
    if (!call || !call->in_open)
        return host_fail(call, UATS_E_INTERNAL, "set_base_url is only allowed in open()");
    if (!url || uats__http_check_url(url, &call->conn->http->policy, &why) != UATS_OK)
        return host_fail(call, UATS_E_CONFIG, "%s", url ? why.text : "base URL is NULL");
    size_t len = strlen(url);
    while (len && url[len - 1] == '/')
        len--;
    char *copy = uats__strndup(url, len);
    if (!copy)
        return host_fail(call, UATS_E_NOMEM, "out of memory");
    uats__free_mem(call->conn->base_url);
    call->conn->base_url = copy;
    return UATS_OK;
}

static uats_code host_time_from_epoch_ms(int64_t ms, char out[UATS_TIME_SIZE])
{
    return uats__time_from_epoch_ms(ms, out);
}

const uats_host_api uats__host_api = {
    .struct_size = sizeof(uats_host_api),
    .abi_major = UATS_ABI_MAJOR,
    .abi_minor = UATS_ABI_MINOR,
    .alloc = host_alloc,
    .free = host_free,
    .strdup = host_strdup,
    .log = host_log,
    .fail = host_fail,
    .fail_vendor = host_fail_vendor,
    .warn = host_warn,
    .option = host_option,
    .credential = host_credential,
    .base_url = host_base_url,
    .unpack = host_unpack,
    .time_from_epoch_ms = host_time_from_epoch_ms,
    .base64_decode = host_base64_decode,
    .http_new = uats__http_new,
    .http_query = uats__http_query,
    .http_header = uats__http_header,
    .http_json_body = uats__http_json_body,
    .http_form_field = uats__http_form_field,
    .http_form_file = uats__http_form_file,
    .http_accept = uats__http_accept,
    .http_idempotent = uats__http_idempotent,
    .http_send = uats__http_send,
    .http_status = uats__http_status,
    .http_resp_header = uats__http_resp_header,
    .http_resp_body = uats__http_resp_body,
    .http_resp_json = uats__http_resp_json,
    .http_resp_free = uats__http_resp_free,
    .oauth_param = uats__oauth_param,
    .http_req_free = uats__http_req_free,
    .http_new_url = uats__http_new_url,
    .http_new_download = uats__http_new_download,
    .http_body = uats__http_body,
    .set_base_url = host_set_base_url,
    .fail_field = host_fail_field,
    .http_form_file_path = uats__http_form_file_path,
    .oauth_token_url = uats__oauth_set_token_url,
    .time_normalize = uats__time_normalize,
    .http_refused = uats__http_refused,
};
