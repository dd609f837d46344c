/*
 * uats/common.h: definitions shared by host applications (uats/uats.h) and
 * connector modules (uats/connector.h). Do not include it directly.
 *
 * Stability: every enum here is append-only. A value, once released, keeps
 * its number forever; a retired value becomes a placeholder and its name
 * stays as an alias, so programs compiled against an older header keep
 * working with a newer library and connector.
 */
#ifndef UATS_COMMON_H
#define UATS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define UATS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#  define UATS_WARN_UNUSED      __attribute__((warn_unused_result))
#  define UATS_EXPORT           __attribute__((visibility("default")))
#else
#  define UATS_PRINTF(fmt, args)
#  define UATS_WARN_UNUSED
#  define UATS_EXPORT
#endif

/*
 * Result codes. UATS_OK is 0; every failure is positive. Numbers are frozen.
 * uats_strerror() gives a fixed sentence for each; the details of one failure
 * (HTTP status, the vendor's message, the offending field) are in uats_error.
 */
typedef enum uats_code {
    UATS_OK = 0,
    UATS_E_INVALID_INPUT = 1,   /* caller's input is malformed: names the field */
    UATS_E_NOT_FOUND = 2,       /* the vendor has no such object (HTTP 404) */
    UATS_E_AUTH = 3,            /* credentials missing, wrong or expired (401) */
    UATS_E_FORBIDDEN = 4,       /* credentials lack the permission (403) */
    UATS_E_CONFLICT = 5,        /* vendor refused: conflict or duplicate (409) */
    UATS_E_VALIDATION = 6,      /* vendor rejected the data (400/422) */
    UATS_E_RATE_LIMITED = 7,    /* vendor's rate limit hit and retries exhausted */
    UATS_E_VENDOR = 8,          /* vendor failed (5xx) or answered nonsense */
    UATS_E_TRANSPORT = 9,       /* could not reach the vendor (DNS, TCP, TLS) */
    UATS_E_TIMEOUT = 10,        /* no answer in time, request certainly not sent */
    UATS_E_OUTCOME_UNKNOWN = 11,/* request sent, no answer: it may have taken effect */
    UATS_E_UNSUPPORTED = 12,    /* the connector has no such operation */
    UATS_E_ABI_MISMATCH = 13,   /* module built for an incompatible connector ABI */
    UATS_E_BAD_MODULE = 14,     /* not a uats connector, or it broke its contract */
    UATS_E_NOMEM = 15,          /* out of memory */
    UATS_E_NO_CONNECTOR = 16,   /* no connector of that name is loaded */
    UATS_E_CONFIG = 17,         /* connection configuration is invalid */
    UATS_E_TOO_LARGE = 18,      /* a body exceeded its size cap */
    UATS_E_INTERNAL = 19,       /* a bug in uats: please report it */
    UATS_E__LAST                /* never returned; for range checks only */
} uats_code;

/* Log levels, most severe first. A threshold of UATS_LOG_DEBUG shows
 * everything up to debug. Secrets are redacted at every level. */
typedef enum uats_log_level {
    UATS_LOG_ERROR = 0,
    UATS_LOG_WARN = 1,
    UATS_LOG_INFO = 2,
    UATS_LOG_DEBUG = 3,
    UATS_LOG_TRACE = 4
} uats_log_level;

/* Capability bits a connector declares; each has its hook (see connector.h). */
#define UATS_CAP_CREATE_CANDIDATE  (1u << 0)
#define UATS_CAP_GET_CANDIDATE     (1u << 1)
#define UATS_CAP_ADD_ATTACHMENT    (1u << 2)

/* Flags of a connector's vendor options (uats_option_spec, uats_module_option). */
#define UATS_OPTION_REQUIRED (1u << 0) /* a connection without it is UATS_E_CONFIG */
#define UATS_OPTION_SECRET   (1u << 1) /* its value is redacted like a credential */

#ifdef __cplusplus
}
#endif
#endif /* UATS_COMMON_H */
