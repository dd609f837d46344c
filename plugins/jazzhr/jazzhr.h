/*
 * plugins/jazzhr/jazzhr.h: the JazzHR connector's parts (internal to the
 * module): mapping between JazzHR's JSON and the unified model, kept apart
 * from the HTTP calls so that tests can feed it the payloads documented in
 * docs/vendors/jazzhr.md.
 */
#ifndef UATS_JAZZHR_H
#define UATS_JAZZHR_H

#include <uats/connector.h>

/* The body of POST /applicants for a unified create input (borrowed), *body
 * new, without the API key (the caller adds it). Fields JazzHR cannot hold
 * are reported with host->warn; a missing first name, last name or e-mail
 * (JazzHR requires them) fails with UATS_E_INVALID_INPUT before anything is
 * sent. Files are not part of it: see jz_file_body. */
uats_code jz_create_body(uats_call *call, const json_t *input, json_t **body);

/* Whether attachment i of a create input goes up after the create (it has
 * data); the others were warned about by jz_create_body. */
int jz_uploadable(const json_t *attachment);

/* The body of POST /files (new, without the API key) for a unified
 * attachment input (borrowed), or NULL (recorded) when out of memory. */
json_t *jz_file_body(uats_call *call, const char *applicant_id, const json_t *attachment);

/* The one object of a JazzHR answer that may be an object or an array
 * (JazzHR's lists): borrowed from doc; NULL when there is none. */
const json_t *jz_first(const json_t *doc);

/* The error text of a JazzHR answer that is an error object ({"error":
 * "..."} and the like, which JazzHR may send with a 2xx), or NULL. Borrowed. */
const char *jz_error_text(const json_t *doc);

/* The id of a 2xx answer to POST /applicants ({"prospect_id": "..."}), or
 * NULL with UATS_E_VENDOR recorded (the vendor's text kept when it sent one). */
const char *jz_created_id(uats_call *call, const json_t *doc);

/* The id of a 2xx answer to POST /files, or NULL (not recorded: the caller
 * looks the file up instead). */
const char *jz_file_id(const json_t *doc);

/* A unified candidate (new reference) from an applicant object (borrowed)
 * and the ids of its files (borrowed array, or NULL). NULL (recorded) when
 * the applicant has no string id. */
json_t *jz_to_candidate(uats_call *call, const json_t *applicant, const json_t *file_ids);

/* A unified attachment (new) for the file id on applicant_id, from the file
 * object JazzHR listed (borrowed, or NULL) and the input that made it
 * (borrowed, or NULL). */
json_t *jz_to_attachment(uats_call *call, const char *file_id, const char *applicant_id,
                         const json_t *file, const json_t *input);

#endif
