/*
 * tests/fakehost.c: a stand-in for the core's services table, for code of a
 * connector compiled straight into a test or fuzzer (its mapping), without
 * a core or a network. Warnings are collected in fake_warnings; the last
 * failure's code in fake_failure.
 */
#define _GNU_SOURCE /* strptime, timegm */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fakehost.h"

const uats_host_api *uats_host;
json_t *fake_warnings;
uats_code fake_failure;
char fake_field[128];

static void *t_alloc(size_t n) { return malloc(n); }
static void t_free(void *p) { free(p); }
static char *t_strdup(const char *s) { return strdup(s); }

static uats_code t_fail(uats_call *call, uats_code code, const char *fmt, ...)
{
    (void)call;
    (void)fmt;
    fake_failure = code;
    return code;
}

static uats_code t_fail_field(uats_call *call, uats_code code, long status, const char *field,
                              const char *vendor_message, const char *fmt, ...)
{
    (void)call;
    (void)status;
    (void)vendor_message;
    (void)fmt;
    snprintf(fake_field, sizeof fake_field, "%s", field ? field : "");
    fake_failure = code;
    return code;
}

static uats_code t_fail_vendor(uats_call *call, uats_code code, long status,
                               const char *vendor_message, const char *fmt, ...)
{
    (void)call;
    (void)status;
    (void)vendor_message;
    (void)fmt;
    fake_failure = code;
    return code;
}

static uats_code t_warn(uats_call *call, const char *field, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    (void)call;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (fake_warnings)
        json_object_set_new(fake_warnings, field, json_string(text));
    return UATS_OK;
}

static uats_code t_unpack(uats_call *call, const json_t *root, const char *what,
                          const char *fmt, ...)
{
    va_list ap;
    (void)what;
    va_start(ap, fmt);
    int rc = json_vunpack_ex((json_t *)root, NULL, 0, fmt, ap);
    va_end(ap);
    return rc == 0 ? UATS_OK : t_fail(call, UATS_E_VENDOR, "unpack");
}

static uats_code t_time(int64_t ms, char out[UATS_TIME_SIZE])
{
    /* Years 1..9999 only, as the core's. */
    if (ms < -62135596800000LL || ms > 253402300799999LL) {
        out[0] = '\0';
        return UATS_E_INVALID_INPUT;
    }
    int64_t secs = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        secs--;
    }
    time_t s = (time_t)secs;
    struct tm tm;
    gmtime_r(&s, &tm);
    int n = snprintf(out, UATS_TIME_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(out + n, UATS_TIME_SIZE - (size_t)n, frac ? ".%03dZ" : "Z", (int)frac);
    return UATS_OK;
}

/* The core's rule in small: "Z" or a +hh:mm offset, fraction to ms. */
static uats_code t_normalize(const char *text, char out[UATS_TIME_SIZE])
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    out[0] = '\0';
    const char *p = text ? strptime(text, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!p || !text || strlen(text) < 20)
        return UATS_E_INVALID_INPUT;
    int64_t ms = 0;
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 3)
                ms = ms * 10 + (*p - '0');
        for (; digits < 3; digits++)
            ms *= 10;
    }
    int64_t offset = 0;
    if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':')
        offset = (*p == '-' ? -1 : 1) * (atoi(p + 1) * 3600 + atoi(p + 4) * 60);
    else if (strcmp(p, "Z") != 0)
        return UATS_E_INVALID_INPUT;
    return t_time(((int64_t)timegm(&tm) - offset) * 1000 + ms, out);
}

static void *t_base64(uats_call *call, const char *b64, size_t *len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = b64 ? strlen(b64) : 0, out_len = 0;
    unsigned char *out = malloc(n + 1);
    unsigned acc = 0;
    int bits = 0;
    (void)call;
    for (size_t i = 0; out && i < n && b64[i] != '='; i++) {
        const char *p = strchr(alphabet, b64[i]);
        if (!p || !*p) {
            free(out);
            return NULL;
        }
        acc = acc << 6 | (unsigned)(p - alphabet);
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[out_len++] = (unsigned char)(acc >> bits);
        }
    }
    if (out)
        *len = out_len;
    return out;
}

const uats_host_api fake_host = {
    .struct_size = sizeof(uats_host_api),
    .abi_major = UATS_ABI_MAJOR,
    .abi_minor = UATS_ABI_MINOR,
    .alloc = t_alloc,
    .free = t_free,
    .strdup = t_strdup,
    .fail = t_fail,
    .fail_vendor = t_fail_vendor,
    .warn = t_warn,
    .unpack = t_unpack,
    .time_from_epoch_ms = t_time,
    .base64_decode = t_base64,
    .time_normalize = t_normalize,
    .fail_field = t_fail_field,
};
