/*
 * uats/uats.h: the host API of libuats, for programs that load connectors
 * and work with candidates. Connector authors include uats/connector.h
 * instead.
 *
 * The shape, in five calls:
 *
 *     uats_ctx *ctx;
 *     uats_ctx_new(&ctx, &err);                 // a set of loaded connectors
 *     uats_ctx_load(ctx, &err);                 // search path -> modules
 *     uats_conn_open_str(ctx, "{\"connector\":\"lever\", ...}", &conn, &err);
 *     uats_candidate_get(conn, "abc", &cand, &err);
 *     ... uats_get_string(cand, UATS_F_FIRST_NAME) ...
 *     uats_object_free(cand); uats_conn_close(conn); uats_ctx_free(ctx);
 *
 * Conventions, for every function below:
 * - Ownership. "borrowed": the callee keeps ownership; the pointer is valid
 *   for as long as stated. "new": the caller owns the result and frees it
 *   with the function named. "taken": the callee takes over the argument,
 *   also when it fails. json_t follows jansson's reference counting.
 * - Errors. Functions that can fail return a uats_code and accept an
 *   optional uats_error * (NULL is fine) that receives the details. Outputs
 *   are set only on UATS_OK and are NULL otherwise.
 * - NULL. Every _free/_close accepts NULL.
 * - Threads. Distinct objects may be used from distinct threads freely. A
 *   uats_ctx is read-only once loading is done: open connections from any
 *   thread. A uats_conn may be used by several threads at once for
 *   operations. A uats_object must not be modified while another thread
 *   uses it.
 */
#ifndef UATS_UATS_H
#define UATS_UATS_H

#include <stdbool.h>
#include <jansson.h>
#include <uats/common.h>
#include <uats/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

#define UATS_ERROR_SIZE 256

/* The package version as a number for compile-time tests: 0xMMmmpp. */
#define UATS_VERSION_NUM 0x000100

/*
 * Details of one failure. Allocated by the caller (on the stack is fine);
 * every function taking one fills it on failure and clears it on success.
 * All strings are NUL-terminated, truncated to fit, and free of secrets.
 * This struct's size is part of the ABI and will never change.
 */
typedef struct uats_error {
    uats_code code;                       /* same as the return value */
    long http_status;                     /* vendor's HTTP status, or 0 */
    char connector[32];                   /* connector involved, or "" */
    char field[128];                      /* input field at fault (JSON path), or "" */
    char text[UATS_ERROR_SIZE];           /* what failed, for humans */
    char vendor_message[UATS_ERROR_SIZE]; /* the vendor's own error text, or "" */
    long retry_after;                     /* rate limited: seconds the vendor asked
                                             to wait (Retry-After), else 0 */
    char reserved_[120];                  /* room for future fields; zeroed */
} uats_error;

/* A fixed English sentence for code; never NULL (unknown codes included).
 * Borrowed: static storage. Thread-safe. */
const char *uats_strerror(uats_code code);

/* The stable identifier of code, e.g. "UATS_E_NOT_FOUND"; never NULL. */
const char *uats_code_name(uats_code code);

/* Version of the loaded library, e.g. "0.1.0". Borrowed: static. */
const char *uats_version(void);

/* Frees memory uats returned as "new" plain memory (strings). NULL is fine. */
void uats_free(void *ptr);

/*
 * Make libuats, its connectors' host->alloc, and jansson (through
 * json_set_alloc_funcs, which is process-wide) allocate with these
 * functions. Call it before any other uats or jansson call, from one
 * thread; memory allocated before must not be freed after. For hosts with
 * their own allocator, and for allocation-failure testing. libcurl and
 * libltdl keep their own allocators. UATS_E_INVALID_INPUT if one is NULL.
 */
uats_code uats_set_alloc_funcs(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                               void (*free_fn)(void *));

/* ------------------------------------------------------------------------
 * The unified model: objects and fields
 *
 * A uats_object is one record of the unified model (docs/model.md). Its
 * kind fixes which fields it has. All four kinds share one opaque type and
 * one set of typed accessors; the typedefs below only document intent.
 * Values are always valid: every setter and the JSON reader check types,
 * enums, dates and UTF-8 against the same schema, and refuse bad values
 * with UATS_E_INVALID_INPUT naming the field.
 * ------------------------------------------------------------------------ */

typedef struct uats_object uats_object;
typedef uats_object uats_candidate;          /* UATS_KIND_CANDIDATE */
typedef uats_object uats_candidate_input;    /* UATS_KIND_CANDIDATE_INPUT */
typedef uats_object uats_attachment;         /* UATS_KIND_ATTACHMENT */
typedef uats_object uats_attachment_input;   /* UATS_KIND_ATTACHMENT_INPUT */

typedef enum uats_kind {
    UATS_KIND_CANDIDATE = 1,        /* what get and create return */
    UATS_KIND_CANDIDATE_INPUT = 2,  /* what a host sends to create */
    UATS_KIND_ATTACHMENT = 3,       /* what add-attachment returns */
    UATS_KIND_ATTACHMENT_INPUT = 4  /* a file to attach */
} uats_kind;

/*
 * A field id carries its value type in its high bits (as curl's options do),
 * so an accessor of the wrong type is refused. Use the accessor named:
 *   STRING  uats_get_string / uats_set_string (also dates, times, enums)
 *   BOOL    uats_get_bool / uats_set_bool
 *   INT     uats_get_int / uats_set_int
 *   NUMBER  uats_get_number / uats_set_number
 *   STRINGS uats_list_count / uats_list_string / uats_list_add_string
 *   TYPED   uats_list_count / uats_list_typed / uats_list_add_typed
 *   JSON    uats_get_json / uats_set_json (structured values)
 */
#define UATS_FT_STRING  0x1000
#define UATS_FT_BOOL    0x2000
#define UATS_FT_INT     0x3000
#define UATS_FT_NUMBER  0x4000
#define UATS_FT_STRINGS 0x5000
#define UATS_FT_TYPED   0x6000
#define UATS_FT_JSON    0x7000
#define UATS_FT_MASK    0xf000

/* Fields, append-only. The JSON path each has in each kind is in
 * docs/model.md; uats_field_path() gives it at run time. */
typedef enum uats_field {
    /* identity and timestamps */
    UATS_F_ID                  = UATS_FT_STRING + 1,
    UATS_F_REMOTE_ID           = UATS_FT_STRING + 2,
    UATS_F_REMOTE_CREATED_AT   = UATS_FT_STRING + 3,   /* ISO 8601 UTC */
    UATS_F_REMOTE_UPDATED_AT   = UATS_FT_STRING + 4,
    UATS_F_LAST_INTERACTION_AT = UATS_FT_STRING + 5,
    UATS_F_MODIFIED_AT         = UATS_FT_STRING + 6,
    /* candidate */
    UATS_F_FIRST_NAME          = UATS_FT_STRING + 10,
    UATS_F_LAST_NAME           = UATS_FT_STRING + 11,
    UATS_F_COMPANY             = UATS_FT_STRING + 12,
    UATS_F_TITLE               = UATS_FT_STRING + 13,
    UATS_F_AVATAR              = UATS_FT_STRING + 14,
    UATS_F_GENDER              = UATS_FT_STRING + 15,
    UATS_F_DATE_OF_BIRTH       = UATS_FT_STRING + 16,  /* YYYY-MM-DD */
    UATS_F_SUMMARY             = UATS_FT_STRING + 17,
    UATS_F_HIGHEST_EDUCATION_LEVEL = UATS_FT_STRING + 18,
    UATS_F_CONTACT_CONSENT     = UATS_FT_STRING + 19,  /* applied_only|all|country_only */
    UATS_F_AVAILABILITY_DATE   = UATS_FT_STRING + 20,  /* YYYY-MM-DD */
    UATS_F_LOCATION_CITY       = UATS_FT_STRING + 21,  /* location.city */
    UATS_F_LOCATION_REGION     = UATS_FT_STRING + 22,  /* location.region */
    UATS_F_LOCATION_COUNTRY    = UATS_FT_STRING + 23,  /* location.country, ISO 3166-1 alpha-2 */
    UATS_F_SALARY_CURRENCY     = UATS_FT_STRING + 24,  /* salary_expectations.currency, ISO 4217 */
    UATS_F_SALARY_PERIOD       = UATS_FT_STRING + 25,  /* salary_expectations.period */
    /* create input */
    UATS_F_JOB_ID              = UATS_FT_STRING + 40,  /* application.job_id */
    UATS_F_STAGE_ID            = UATS_FT_STRING + 41,  /* application.stage_id */
    UATS_F_APPLICATION_SOURCE  = UATS_FT_STRING + 42,  /* application.source: applicant|lead */
    UATS_F_ACTING_USER         = UATS_FT_STRING + 43,
    /* attachment */
    UATS_F_CANDIDATE_ID        = UATS_FT_STRING + 60,
    UATS_F_FILE_NAME           = UATS_FT_STRING + 61,
    UATS_F_FILE_URL            = UATS_FT_STRING + 62,
    UATS_F_CONTENT_TYPE        = UATS_FT_STRING + 63,
    UATS_F_ATTACHMENT_TYPE     = UATS_FT_STRING + 64,  /* "type": RESUME|COVER_LETTER|OFFER_LETTER|OTHER */
    UATS_F_DATA                = UATS_FT_STRING + 65,  /* base64; see uats_set_data */
    UATS_F_URL                 = UATS_FT_STRING + 66,  /* input: fetch the file from here */
    UATS_F_APPLICATION_ID      = UATS_FT_STRING + 67,  /* the application a file belongs to */

    UATS_F_IS_PRIVATE          = UATS_FT_BOOL + 1,
    UATS_F_CAN_EMAIL           = UATS_FT_BOOL + 2,
    UATS_F_VETERAN_STATUS      = UATS_FT_BOOL + 3,
    UATS_F_DISABILITY_STATUS   = UATS_FT_BOOL + 4,
    UATS_F_IS_INTERNAL         = UATS_FT_BOOL + 5,
    UATS_F_IS_ANONYMIZED       = UATS_FT_BOOL + 6,

    UATS_F_SIZE                = UATS_FT_INT + 1,      /* attachment size in bytes */

    UATS_F_SALARY_AMOUNT       = UATS_FT_NUMBER + 1,   /* salary_expectations.amount */

    UATS_F_LOCATIONS           = UATS_FT_STRINGS + 1,
    UATS_F_TAGS                = UATS_FT_STRINGS + 2,
    UATS_F_APPLICATION_IDS     = UATS_FT_STRINGS + 3,  /* candidate "applications" */
    UATS_F_ATTACHMENT_IDS      = UATS_FT_STRINGS + 4,  /* candidate "attachments" */
    UATS_F_SKILLS              = UATS_FT_STRINGS + 5,
    UATS_F_VISA_STATUSES       = UATS_FT_STRINGS + 6,
    UATS_F_RACES               = UATS_FT_STRINGS + 7,

    UATS_F_EMAIL_ADDRESSES     = UATS_FT_TYPED + 1,    /* type: uats_email_type */
    UATS_F_PHONE_NUMBERS       = UATS_FT_TYPED + 2,    /* type: uats_phone_type */
    UATS_F_URLS                = UATS_FT_TYPED + 3,    /* type: uats_url_type */

    UATS_F_CUSTOM_FIELDS       = UATS_FT_JSON + 1,     /* object, by vendor key */
    UATS_F_REMOTE_DATA         = UATS_FT_JSON + 2,     /* the vendor's JSON */
    UATS_F_ADDRESS             = UATS_FT_JSON + 3,     /* string or object */
    UATS_F_LOCATION            = UATS_FT_JSON + 4,
    UATS_F_EDUCATION           = UATS_FT_JSON + 5,
    UATS_F_EXPERIENCE          = UATS_FT_JSON + 6,
    UATS_F_CERTIFICATIONS      = UATS_FT_JSON + 7,
    UATS_F_SALARY_EXPECTATIONS = UATS_FT_JSON + 8,
    UATS_F_APPLICATION         = UATS_FT_JSON + 9,     /* input: application */
    UATS_F_SCREENING_ANSWERS   = UATS_FT_JSON + 10,    /* application.screening_answers */
    UATS_F_FORM_ANSWERS        = UATS_FT_JSON + 11,    /* application.form_answers */
    UATS_F_ATTACHMENTS         = UATS_FT_JSON + 12,    /* input: attachment objects */
    UATS_F_REMOTE_FIELDS       = UATS_FT_JSON + 13     /* input: passed to the vendor */
} uats_field;

/* Types of typed-list entries and attachments. 0 means "not given". The
 * numbering follows the order in docs/model.md and is frozen. */
typedef enum uats_email_type {
    UATS_EMAIL_UNSET = 0, UATS_EMAIL_PERSONAL, UATS_EMAIL_WORK, UATS_EMAIL_OTHER
} uats_email_type;

typedef enum uats_phone_type {
    UATS_PHONE_UNSET = 0, UATS_PHONE_HOME, UATS_PHONE_WORK, UATS_PHONE_MOBILE,
    UATS_PHONE_SKYPE, UATS_PHONE_OTHER
} uats_phone_type;

typedef enum uats_url_type {
    UATS_URL_UNSET = 0, UATS_URL_WEBSITE, UATS_URL_PERSONAL, UATS_URL_COMPANY,
    UATS_URL_PORTFOLIO, UATS_URL_BLOG, UATS_URL_SOCIAL_MEDIA, UATS_URL_LINKEDIN,
    UATS_URL_GITHUB, UATS_URL_TWITTER, UATS_URL_JOB_POSTING, UATS_URL_OTHER
} uats_url_type;

typedef enum uats_attachment_type {
    UATS_ATTACHMENT_UNSET = 0, UATS_ATTACHMENT_RESUME,
    UATS_ATTACHMENT_COVER_LETTER, UATS_ATTACHMENT_OFFER_LETTER,
    UATS_ATTACHMENT_OTHER
} uats_attachment_type;

/* An empty object of kind. New: free with uats_object_free. NULL when out
 * of memory or kind is unknown. */
UATS_WARN_UNUSED uats_object *uats_object_new(uats_kind kind);

/* Deep copy. New: free with uats_object_free. NULL when out of memory. */
UATS_WARN_UNUSED uats_object *uats_object_dup(const uats_object *obj);

void uats_object_free(uats_object *obj);

uats_kind uats_object_kind(const uats_object *obj);

/*
 * Read a unified JSON document (borrowed) into a new object of kind (*out,
 * new: uats_object_free). Keys not in the schema are UATS_E_INVALID_INPUT,
 * except under the passthrough keys custom_fields, remote_data and
 * remote_fields, whose content is kept as is. A wrong type, bad enum, bad
 * date or missing required key is UATS_E_INVALID_INPUT with err->field
 * set to its JSON path ("email_addresses[2].type"). JSON null reads as
 * "not set". The JSON is copied: later changes to it do not affect *out.
 */
uats_code uats_object_from_json(uats_kind kind, const json_t *json,
                                uats_object **out, uats_error *err);

/* Same, from JSON text of len bytes (need not be NUL-terminated). Malformed
 * JSON or invalid UTF-8 is UATS_E_INVALID_INPUT with line and column in the
 * message. */
uats_code uats_object_from_text(uats_kind kind, const char *text, size_t len,
                                uats_object **out, uats_error *err);

#define UATS_JSON_REMOTE_DATA 0x1  /* include remote_data (omitted otherwise) */

/* The object as unified JSON: a new reference (json_decref it), keys in
 * schema order, unset fields omitted. NULL only when out of memory. */
UATS_WARN_UNUSED json_t *uats_object_to_json(const uats_object *obj, unsigned flags);

/* The same as compact JSON text. New: free with uats_free. */
UATS_WARN_UNUSED char *uats_object_to_text(const uats_object *obj, unsigned flags);

/* Whether field has a value in obj (false for fields the kind lacks). */
bool uats_has(const uats_object *obj, uats_field field);

/* Remove field's value. UATS_E_INVALID_INPUT if the kind lacks the field. */
uats_code uats_unset(uats_object *obj, uats_field field);

/* Scalar getters. Strings are borrowed: valid until the field is changed or
 * the object freed. get_string returns NULL when unset or when field is not
 * a STRING field of this kind. The others return false in those cases and
 * leave *out alone. */
const char *uats_get_string(const uats_object *obj, uats_field field);
bool uats_get_bool(const uats_object *obj, uats_field field, bool *out);
bool uats_get_int(const uats_object *obj, uats_field field, int64_t *out);
bool uats_get_number(const uats_object *obj, uats_field field, double *out);

/* Scalar setters: value is copied and checked (UTF-8, enum, date format).
 * set_string(NULL) unsets. Failures: UATS_E_INVALID_INPUT (wrong field type
 * or kind, bad value: details in err), UATS_E_NOMEM. */
uats_code uats_set_string(uats_object *obj, uats_field field, const char *value,
                          uats_error *err);
uats_code uats_set_bool(uats_object *obj, uats_field field, bool value,
                        uats_error *err);
uats_code uats_set_int(uats_object *obj, uats_field field, int64_t value,
                       uats_error *err);
uats_code uats_set_number(uats_object *obj, uats_field field, double value,
                          uats_error *err);

/* Attachment input content: encodes len bytes (borrowed, copied) as base64
 * into UATS_F_DATA and unsets UATS_F_URL. */
uats_code uats_set_data(uats_object *obj, const void *bytes, size_t len,
                        uats_error *err);

/* Decode UATS_F_DATA. *bytes is new (uats_free), *len its length.
 * UATS_E_INVALID_INPUT when unset. */
uats_code uats_get_data(const uats_object *obj, void **bytes, size_t *len,
                        uats_error *err);

/* Lists (STRINGS and TYPED fields). count is 0 when unset. Entries are
 * borrowed like strings above; NULL / -1 for a bad index or field. */
size_t uats_list_count(const uats_object *obj, uats_field field);
const char *uats_list_string(const uats_object *obj, uats_field field, size_t i);
/* Returns the entry's type (a uats_*_type value, 0 when not given) and sets
 * *value (borrowed) to its value; -1 on bad index or field. */
int uats_list_typed(const uats_object *obj, uats_field field, size_t i,
                    const char **value);
uats_code uats_list_add_string(uats_object *obj, uats_field field,
                               const char *value, uats_error *err);
/* type: the field's uats_*_type, or 0 for "not given". */
uats_code uats_list_add_typed(uats_object *obj, uats_field field,
                              const char *value, int type, uats_error *err);

/* Structured fields (JSON type). get_json returns a borrowed reference
 * (valid until the field changes; do not modify it) or NULL when unset.
 * set_json checks value (borrowed) against the field's schema and stores a
 * copy; NULL unsets. */
const json_t *uats_get_json(const uats_object *obj, uats_field field);
uats_code uats_set_json(uats_object *obj, uats_field field, const json_t *value,
                        uats_error *err);

/* Append an attachment input (taken, also on failure) to a candidate
 * input's attachments. */
uats_code uats_add_attachment_input(uats_object *candidate_input,
                                    uats_object *attachment_input,
                                    uats_error *err);

/* The field's JSON path in kind ("application.job_id"), or NULL when the
 * kind lacks it. Borrowed: static. */
const char *uats_field_path(uats_kind kind, uats_field field);

/* The field at JSON path in kind, or 0 when there is none. For config
 * files and command lines (`--set application.job_id=123`). */
uats_field uats_field_by_path(uats_kind kind, const char *path);

/* Name of a typed entry's type ("LINKEDIN" for UATS_F_URLS, 7), or NULL.
 * For UATS_F_ATTACHMENT_TYPE, the attachment types. Borrowed: static. */
const char *uats_type_name(uats_field field, int type);

/* The inverse: the type for name, or -1. */
int uats_type_by_name(uats_field field, const char *name);

/* ------------------------------------------------------------------------
 * Warnings: input fields a connector could not store
 * ------------------------------------------------------------------------ */

typedef struct uats_warnings uats_warnings;

size_t uats_warnings_count(const uats_warnings *w);
/* JSON path of the input field, and the connector's explanation. Borrowed:
 * valid until uats_warnings_free. NULL on a bad index. */
const char *uats_warning_field(const uats_warnings *w, size_t i);
const char *uats_warning_message(const uats_warnings *w, size_t i);
/* As a JSON array of {field, message}: new reference. */
json_t *uats_warnings_to_json(const uats_warnings *w);
void uats_warnings_free(uats_warnings *w);

/* ------------------------------------------------------------------------
 * Context: loaded connectors
 * ------------------------------------------------------------------------ */

typedef struct uats_ctx uats_ctx;
typedef struct uats_module uats_module;

/* Log callback: level, the connector's name or NULL for the core, the
 * message (borrowed for the call, no trailing newline, secrets redacted),
 * and the user data given to uats_ctx_set_log. May be called from any
 * thread that runs an operation; it must be thread-safe. */
typedef void uats_log_fn(uats_log_level level, const char *connector,
                         const char *message, void *userdata);

/* A new context with no connectors (*out, new: uats_ctx_free). Fails only
 * with UATS_E_NOMEM or when libltdl cannot initialize (UATS_E_INTERNAL). */
uats_code uats_ctx_new(uats_ctx **out, uats_error *err);

/* Unloads every module. All connections must be closed first. */
void uats_ctx_free(uats_ctx *ctx);

/* Deliver log lines at level or more severe to fn (NULL: no logging, the
 * default). Call before loading; not thread-safe with other calls. */
void uats_ctx_set_log(uats_ctx *ctx, uats_log_level level, uats_log_fn *fn,
                      void *userdata);

/* Add dir (copied) to the front of the search path used by uats_ctx_load;
 * later calls go after earlier ones. The search path is: these directories,
 * then each of $UATS_CONNECTOR_PATH (colon-separated), then the installed
 * connector directory (uats_connector_dir()). */
uats_code uats_ctx_add_dir(uats_ctx *ctx, const char *dir, uats_error *err);

/* Do not search $UATS_CONNECTOR_PATH and the installed directory: only
 * directories given with uats_ctx_add_dir. For tests and sandboxes. */
void uats_ctx_only_explicit_dirs(uats_ctx *ctx);

/* The installed connector directory. Borrowed: static. */
const char *uats_connector_dir(void);

/*
 * Load every module on the search path. The first module of a name wins; a
 * later one of the same name is rejected as a duplicate. Each file that
 * fails (not a module, no entry point, wrong ABI, broken descriptor) is
 * rejected with its reason and the rest still load. Returns UATS_OK even
 * when some were rejected (see uats_ctx_rejected_*); fails only on
 * UATS_E_NOMEM. Calling it again loads only modules not yet loaded.
 */
uats_code uats_ctx_load(uats_ctx *ctx, uats_error *err);

/* Load one module file (a .la, .so, or a name libltdl completes). On
 * failure returns the reason (UATS_E_BAD_MODULE, UATS_E_ABI_MISMATCH) with
 * err naming the file, and also records it as rejected. */
uats_code uats_ctx_load_file(uats_ctx *ctx, const char *path, uats_error *err);

/* Loaded connectors, in load order. Borrowed: valid until uats_ctx_free. */
size_t uats_ctx_module_count(const uats_ctx *ctx);
const uats_module *uats_ctx_module(const uats_ctx *ctx, size_t i);
const uats_module *uats_ctx_find(const uats_ctx *ctx, const char *name);

/* A loaded connector's identity. Strings borrowed: valid until ctx_free. */
const char *uats_module_name(const uats_module *m);
const char *uats_module_version(const uats_module *m);
const char *uats_module_vendor(const uats_module *m);
const char *uats_module_description(const uats_module *m);
const char *uats_module_path(const uats_module *m);
unsigned uats_module_caps(const uats_module *m);            /* UATS_CAP_* */
void uats_module_abi(const uats_module *m, unsigned *major, unsigned *minor);
/* Option i the connector accepts (name, help, UATS_OPTION_* flags), or
 * false past the end. */
bool uats_module_option(const uats_module *m, size_t i, const char **name,
                        const char **help, unsigned *flags);
/* Unified create-input field i (a path of docs/model.md) that the connector
 * stores at its vendor, or NULL past the end or when the connector does not
 * say (ABI 1.0 modules). Borrowed: valid until uats_ctx_free. */
const char *uats_module_stored_field(const uats_module *m, size_t i);

/* Rejected files, in the order met. path and reason are borrowed: valid
 * until uats_ctx_free. Returns the code, or UATS_OK past the end. */
size_t uats_ctx_rejected_count(const uats_ctx *ctx);
uats_code uats_ctx_rejected(const uats_ctx *ctx, size_t i, const char **path,
                            const char **reason);

/* ------------------------------------------------------------------------
 * Connections: a connector plus its configuration
 * ------------------------------------------------------------------------ */

typedef struct uats_conn uats_conn;

/*
 * Open a connection from a JSON configuration (borrowed):
 *   {
 *     "connector": "lever",                      required
 *     "base_url": "https://api.lever.co/v1",     optional override
 *     "credentials": { "api_key": "$env:LEVER_API_KEY" },
 *     "options": { "perform_as": "user-id" }
 *   }
 * Credentials: api_key, token, username, password, client_id,
 * client_secret, refresh_token. A value "$env:NAME" is read from the
 * environment at open time (UATS_E_CONFIG when NAME is unset). Unknown keys,
 * options the connector does not declare and missing required options are
 * UATS_E_CONFIG; an unknown connector is UATS_E_NO_CONNECTOR. See
 * docs/connections.md. *out is new: uats_conn_close.
 */
uats_code uats_conn_open(uats_ctx *ctx, const json_t *config, uats_conn **out,
                         uats_error *err);

/* Same, from JSON text (NUL-terminated). */
uats_code uats_conn_open_str(uats_ctx *ctx, const char *config, uats_conn **out,
                             uats_error *err);

/* Close: calls the connector's close hook. No operation may be running. */
void uats_conn_close(uats_conn *conn);

/* The connection's connector. Borrowed: valid until uats_ctx_free. */
const uats_module *uats_conn_module(const uats_conn *conn);

/* The detail of the last failed operation on conn from any thread, copied
 * into *err (for callers that passed no uats_error). Returns its code. */
uats_code uats_conn_last_error(uats_conn *conn, uats_error *err);

/* What the vendor's rate-limit headers (X-RateLimit-Limit, -Remaining,
 * -Reset) said on the connection's latest answer; -1 where unknown. The
 * core already paces requests by them. */
void uats_conn_rate_limit(uats_conn *conn, long *limit, long *remaining, long *reset);

/* Called when an OAuth 2.0 token answer carries a new refresh token (the
 * vendor rotated it): persist it, or the connection cannot be reopened
 * later. refresh_token is borrowed for the call. Runs on the thread of the
 * operation that renewed the token; must be thread-safe. */
typedef void uats_token_fn(uats_conn *conn, const char *refresh_token, void *userdata);
void uats_conn_set_token_callback(uats_conn *conn, uats_token_fn *fn, void *userdata);

/* The same for every connection of ctx that sets none of its own; set it
 * before opening connections, so that a rotation during a connector's
 * open() is not lost. Not thread-safe with other calls on ctx. */
void uats_ctx_set_token_callback(uats_ctx *ctx, uats_token_fn *fn, void *userdata);

/* ------------------------------------------------------------------------
 * Operations
 * ------------------------------------------------------------------------ */

/*
 * Create a candidate from a UATS_KIND_CANDIDATE_INPUT (borrowed). On success
 * *out (new: uats_object_free) is the candidate as the vendor stored it, and
 * *warnings (new: uats_warnings_free; pass NULL to ignore) lists input fields
 * the vendor could not store. UATS_E_OUTCOME_UNKNOWN means the request was
 * sent and no answer came: the candidate may exist; do not blindly retry.
 */
uats_code uats_candidate_create(uats_conn *conn, const uats_object *input,
                                uats_object **out, uats_warnings **warnings,
                                uats_error *err);

/* Fetch a candidate by the vendor's id (borrowed). *out is new. */
uats_code uats_candidate_get(uats_conn *conn, const char *id, uats_object **out,
                             uats_error *err);

/* Attach a file (UATS_KIND_ATTACHMENT_INPUT, borrowed) to a candidate.
 * *out is new (UATS_KIND_ATTACHMENT); warnings as for create. */
uats_code uats_attachment_add(uats_conn *conn, const char *candidate_id,
                              const uats_object *input, uats_object **out,
                              uats_warnings **warnings, uats_error *err);

#ifdef __cplusplus
}
#endif
#endif /* UATS_UATS_H */
