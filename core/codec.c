/*
 * core/codec.c: base64 (RFC 4648, standard alphabet, padded) and the ISO
 * 8601 timestamps of the unified model.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

char *uats__base64_encode(const void *data, size_t len)
{
    const unsigned char *in = data;
    if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
        return NULL;
    char *out = uats__malloc((len + 2) / 3 * 4 + 1), *p = out;
    if (!out)
        return NULL;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        *p++ = alphabet[v >> 18];
        *p++ = alphabet[(v >> 12) & 63];
        *p++ = alphabet[(v >> 6) & 63];
        *p++ = alphabet[v & 63];
    }
    if (i < len) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < len ? (unsigned)in[i + 1] << 8 : 0);
        *p++ = alphabet[v >> 18];
        *p++ = alphabet[(v >> 12) & 63];
        *p++ = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        *p++ = '=';
    }
    *p = '\0';
    return out;
}

bool uats__is_base64(const char *s, size_t len)
{
    if (len % 4 != 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (sextet((unsigned char)s[i]) >= 0)
            continue;
        /* '=' only as the last one or two characters. */
        if (s[i] == '=' && (i == len - 1 || (i == len - 2 && s[len - 1] == '=')))
            continue;
        return false;
    }
    return true;
}

void *uats__base64_decode(const char *s, size_t slen, size_t *len)
{
    if (!uats__is_base64(s, slen))
        return NULL;
    size_t pad = slen && s[slen - 1] == '=' ? (slen > 1 && s[slen - 2] == '=' ? 2 : 1) : 0;
    size_t n = slen / 4 * 3 - pad;
    unsigned char *out = uats__malloc(n + 1), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < slen; i += 4) {
        unsigned v = 0;
        for (size_t k = 0; k < 4; k++) {
            int x = sextet((unsigned char)s[i + k]);
            v = v << 6 | (unsigned)(x < 0 ? 0 : x);
        }
        size_t take = (size_t)(out + n - p) < 3 ? (size_t)(out + n - p) : 3;
        if (take > 0) *p++ = (unsigned char)(v >> 16);
        if (take > 1) *p++ = (unsigned char)(v >> 8);
        if (take > 2) *p++ = (unsigned char)v;
    }
    out[n] = '\0';
    *len = n;
    return out;
}

uats_code uats__time_from_epoch_ms(int64_t ms, char out[UATS_TIME_SIZE])
{
    /* Years 0001..9999, the range ISO 8601 basic strings can show. */
    const int64_t min_ms = -62135596800000LL, max_ms = 253402300799999LL;
    if (ms < min_ms || ms > max_ms) {
        out[0] = '\0';
        return UATS_E_INVALID_INPUT;
    }
    int64_t secs = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        secs -= 1;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        out[0] = '\0';
        return UATS_E_INVALID_INPUT;
    }
    /* Not strftime: glibc's %Y does not pad years below 1000. */
    int n = snprintf(out, UATS_TIME_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
    if (frac)
        snprintf(out + n, UATS_TIME_SIZE - (size_t)n, ".%03dZ", (int)frac);
    else
        snprintf(out + n, UATS_TIME_SIZE - (size_t)n, "Z");
    return UATS_OK;
}

/* Two digits at s, or -1. */
static int two_digits(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
               ? (s[0] - '0') * 10 + (s[1] - '0')
               : -1;
}

bool uats__time_parse(const char *s, int64_t *epoch_ms)
{
    if (strlen(s) < 20)
        return false;
    int year = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        year = year * 10 + (s[i] - '0');
    }
    int mon = two_digits(s + 5), day = two_digits(s + 8), hour = two_digits(s + 11),
        min = two_digits(s + 14), sec = two_digits(s + 17);
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':' || mon < 1 || mon > 12 || day < 1 ||
        day > month_days[mon - 1] || hour < 0 || hour > 23 || min < 0 || min > 59 || sec < 0 ||
        sec > 60)
        return false;
    /* A real calendar day: timegm would quietly turn 02-30 into 03-02. */
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (mon == 2 && day == 29 && !leap)
        return false;
    const char *p = s + 19;
    int64_t ms = 0;
    if (*p == '.') {
        size_t digits = strspn(p + 1, "0123456789");
        if (digits == 0)
            return false;
        for (size_t i = 0; i < 3; i++)
            ms = ms * 10 + (i < digits ? p[1 + i] - '0' : 0);
        p += 1 + digits;
    }
    int64_t offset = 0;
    if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') {
        offset = 0;
    } else if ((p[0] == '+' || p[0] == '-') && p[3] == ':' && p[6] == '\0') {
        int oh = two_digits(p + 1), om = two_digits(p + 4);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return false;
        offset = (p[0] == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
    } else {
        return false;
    }
    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 && !(year == 1969 && mon == 12 && day == 31))
        return false;
    *epoch_ms = ((int64_t)t - offset) * 1000 + ms;
    return true;
}

uats_code uats__time_normalize(const char *text, char out[UATS_TIME_SIZE])
{
    int64_t ms;
    out[0] = '\0';
    if (!text || !uats__time_parse(text, &ms))
        return UATS_E_INVALID_INPUT;
    return uats__time_from_epoch_ms(ms, out);
}

void uats__now_iso(char out[UATS_TIME_SIZE])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* Whole seconds: modified_at is a stamp, not a measurement. */
    uats__time_from_epoch_ms((int64_t)ts.tv_sec * 1000, out);
}
