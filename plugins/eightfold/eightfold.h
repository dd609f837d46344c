/*
 * plugins/eightfold/eightfold.h: the Eightfold connector's parts (internal
 * to the module). Mapping between Eightfold's ATS candidate JSON (API v2)
 * and the unified model lives in eightfold_map.c, apart from the HTTP calls
 * in eightfold.c, so that tests can feed it the documented payloads. The
 * rules are in plugins/eightfold/README.md, the vendor facts behind them in
 * docs/vendors/eightfold.md.
 */
#ifndef UATS_EIGHTFOLD_H
#define UATS_EIGHTFOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uats/connector.h>

/*
 * The body of POST .../ats-candidates (CreateATSProfileSchema) for a unified
 * create input (borrowed); *body is new. system_id goes into the body as
 * well as the path. now is the current Unix time in seconds (for
 * lastActivityTs and the application's times). Files given by URL must have
 * been fetched already: downloaded[i] holds attachment i's base64 content
 * (or NULL to use its "data"). Fields Eightfold cannot hold are reported
 * with host->warn. Fails with UATS_E_INVALID_INPUT, naming the field, when
 * Eightfold would refuse the input for certain (no id, first name or
 * e-mail address): nothing is sent then.
 */
uats_code ef_create_body(uats_call *call, const json_t *input, const char *system_id,
                         int64_t now, const char *const *downloaded, json_t **body);

/*
 * An AtsAttachment (new) for a unified attachment input (borrowed) of
 * candidate candidate_id, whose content is b64 (standard base64, borrowed).
 * Its attachmentId is derived from the candidate, file name and content, so
 * that sending the same file again names the same attachment. field is the
 * input's JSON path prefix for warnings ("attachments[0]", or "" for an
 * add-attachment input). application_id, when not NULL, links the file to
 * that application.
 */
json_t *ef_attachment(uats_call *call, const json_t *input, const char *candidate_id,
                      const char *b64, const char *application_id, const char *field,
                      int64_t now);

/*
 * A unified candidate (new reference) from an ATSProfileSchema (borrowed):
 * GET .../ats-candidates/{id}, or a list row. NULL with UATS_E_VENDOR
 * recorded when it has no candidateId or firstName is not a string.
 */
json_t *ef_to_candidate(uats_call *call, const json_t *profile);

/* A unified Attachment (new) from an AtsAttachment (borrowed). NULL with
 * UATS_E_VENDOR recorded when it has no attachmentId. */
json_t *ef_to_attachment(uats_call *call, const json_t *att, const char *candidate_id);

/* Whether a stored profile (borrowed) is the one body (borrowed) would
 * create: same candidateId, firstName, lastName and emails. Used after a
 * create whose answer was lost. */
bool ef_same_candidate(const json_t *stored, const json_t *body);

/* The unified attachment type for Eightfold's attachmentType, and back. */
const char *ef_unified_attachment_type(const char *ef_type);
const char *ef_attachment_type(const char *unified_type);

/* A date "YYYY-MM-DD" as Unix seconds at 00:00 UTC; false when it is not a
 * real calendar day. And back: false outside years 0001..9999. */
bool ef_date_to_epoch(const char *date, int64_t *seconds);
bool ef_epoch_to_date(int64_t seconds, char out[11]);

/* A 64-bit FNV-1a hash of the strings (NULLs skipped), as 16 hex digits. */
void ef_hash_hex(char out[17], const char *const *parts, size_t n);

/* Standard padded base64 of len bytes (new: host->free), or NULL. */
char *ef_base64(const void *data, size_t len);

/* Whether text is one of Eightfold's domains (eightfold, eightfold-eu...). */
bool ef_valid_region(const char *region);

/* Whether a transaction status means done: 1 PASS, -1 FAIL, 0 otherwise
 * (IN PROGRESS, unknown or missing), compared without regard to case. */
int ef_transaction_state(const char *status);

#endif
