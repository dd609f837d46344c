/*
 * core/errors.c: result codes, their fixed texts, and filling uats_error.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct code_text {
    const char *name;
    const char *text;
} code_text;

/* Indexed by uats_code; a test checks that every code has an entry. */
static const code_text codes[] = {
    [UATS_OK] = {"UATS_OK", "no error"},
    [UATS_E_INVALID_INPUT] = {"UATS_E_INVALID_INPUT", "invalid input"},
    [UATS_E_NOT_FOUND] = {"UATS_E_NOT_FOUND", "not found at the vendor"},
    [UATS_E_AUTH] = {"UATS_E_AUTH", "authentication failed: credentials missing, wrong or expired"},
    [UATS_E_FORBIDDEN] = {"UATS_E_FORBIDDEN", "forbidden: the credentials lack permission"},
    [UATS_E_CONFLICT] = {"UATS_E_CONFLICT", "the vendor reported a conflict"},
    [UATS_E_VALIDATION] = {"UATS_E_VALIDATION", "the vendor rejected the data"},
    [UATS_E_RATE_LIMITED] = {"UATS_E_RATE_LIMITED", "rate limited by the vendor"},
    [UATS_E_VENDOR] = {"UATS_E_VENDOR", "the vendor failed or sent an invalid response"},
    [UATS_E_TRANSPORT] = {"UATS_E_TRANSPORT", "could not reach the vendor"},
    [UATS_E_TIMEOUT] = {"UATS_E_TIMEOUT", "timed out before the request was sent"},
    [UATS_E_OUTCOME_UNKNOWN] = {"UATS_E_OUTCOME_UNKNOWN", "request sent but no answer: the outcome is unknown"},
    [UATS_E_UNSUPPORTED] = {"UATS_E_UNSUPPORTED", "operation not supported by this connector"},
    [UATS_E_ABI_MISMATCH] = {"UATS_E_ABI_MISMATCH", "connector built for an incompatible ABI"},
    [UATS_E_BAD_MODULE] = {"UATS_E_BAD_MODULE", "not a valid uats connector module"},
    [UATS_E_NOMEM] = {"UATS_E_NOMEM", "out of memory"},
    [UATS_E_NO_CONNECTOR] = {"UATS_E_NO_CONNECTOR", "no connector of that name is loaded"},
    [UATS_E_CONFIG] = {"UATS_E_CONFIG", "invalid connection configuration"},
    [UATS_E_TOO_LARGE] = {"UATS_E_TOO_LARGE", "body exceeds the size limit"},
    [UATS_E_INTERNAL] = {"UATS_E_INTERNAL", "internal error in uats"},
};

const char *uats_strerror(uats_code code)
{
    if ((unsigned)code < sizeof codes / sizeof codes[0] && codes[code].text)
        return codes[code].text;
    return "unknown error code";
}

const char *uats_code_name(uats_code code)
{
    if ((unsigned)code < sizeof codes / sizeof codes[0] && codes[code].name)
        return codes[code].name;
    return "UATS_E_UNKNOWN";
}

const char *uats_version(void)
{
    return PACKAGE_VERSION;
}

void uats__err_clear(uats_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void uats__copy_str(char *dst, size_t size, const char *src)
{
    size_t len;
    if (!size)
        return;
    if (!src)
        src = "";
    len = strlen(src);
    if (len >= size) {
        len = size - 1;
        /* Do not cut a UTF-8 sequence in half: back up to its lead byte. */
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

uats_code uats__err_setv(uats_error *err, uats_code code, const char *fmt, va_list ap)
{
    if (err) {
        char text[UATS_ERROR_SIZE * 2];
        err->code = code;
        vsnprintf(text, sizeof text, fmt, ap);
        uats__copy_str(err->text, sizeof err->text, text);
    }
    return code;
}

uats_code uats__err_set(uats_error *err, uats_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uats__err_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

bool uats__json_oom(const json_error_t *jerr)
{
    return jerr->text[0] == '\0' || json_error_code(jerr) == json_error_out_of_memory;
}

json_t *uats__json_loadb(const char *text, size_t len, size_t flags, json_error_t *jerr)
{
    /* jansson 2.14 does not always report allocation failures while
     * parsing: some become syntax errors, some a silently shortened
     * string. Any failure during the parse makes it an out-of-memory. */
    unsigned long before = uats__alloc_failures();
    memset(jerr, 0, sizeof *jerr); /* jansson leaves it unset on some early failures */
    json_t *doc = json_loadb(text, len, flags, jerr);
    if (uats__alloc_failures() != before) {
        json_decref(doc);
        jerr->text[0] = '\0'; /* read as out of memory by uats__json_oom */
        return NULL;
    }
    return doc;
}
