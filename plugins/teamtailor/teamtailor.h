/*
 * plugins/teamtailor/teamtailor.h: the Teamtailor connector's parts
 * (internal to the module). Mapping between Teamtailor's JSON:API
 * documents and the unified model lives in teamtailor_map.c, apart from the
 * HTTP calls in teamtailor.c, so that tests can feed it the documented
 * payloads (fixtures/). The rules are in plugins/teamtailor/README.md and
 * docs/vendors/teamtailor.md.
 */
#ifndef UATS_TEAMTAILOR_H
#define UATS_TEAMTAILOR_H

#include <stdbool.h>

#include <uats/connector.h>

/* The media type of every document sent and expected (JSON:API). */
#define TT_MEDIA_TYPE "application/vnd.api+json"

/* The X-Api-Version sent when the connection does not choose one. */
#define TT_DEFAULT_API_VERSION "20240404"

/* Whether text is a dated API version Teamtailor could know: YYYYMMDD, a
 * real calendar day, not before the first public version (20161108). */
bool tt_valid_api_version(const char *text);

/*
 * The document of POST /v1/candidates for a unified create input
 * (borrowed): {"data": {"type": "candidates", "attributes": {...}}}. *doc
 * is new. Every input field Teamtailor cannot hold on the candidate is
 * reported with host->warn. The job application and the files are not in
 * the document (they are resources of their own, sent after the candidate
 * exists); the application's unsendable parts are warned about here, the
 * files' by tt_upload_document. *lead tells whether the input marks the
 * person as sourced (application.source "lead").
 */
uats_code tt_create_document(uats_call *call, const json_t *input, json_t **doc, bool *lead);

/* The document of POST /v1/job-applications linking a candidate and a job
 * (both Teamtailor ids). New. */
json_t *tt_job_application_document(const char *candidate_id, const char *job_id, bool lead);

/*
 * The document of POST /v1/uploads for a unified attachment input
 * (borrowed), at JSON path `path` ("" for the add-attachment input,
 * "attachments[1]" inside a create) for warnings. Teamtailor fetches files
 * from a public URL and takes no bytes: an input with "data" fails with
 * UATS_E_UNSUPPORTED (recorded only when record is true, so that a create
 * can turn it into a warning). *doc is new.
 */
uats_code tt_upload_document(uats_call *call, const char *candidate_id, const json_t *att,
                             const char *path, bool record, json_t **doc);

/*
 * A unified candidate (new reference) from a Teamtailor candidate resource
 * object (borrowed: the "data" member of GET /v1/candidates/{id}), with the
 * candidate's job-application and upload resources (borrowed arrays, or
 * NULL when not read). NULL with UATS_E_VENDOR recorded when the resource
 * is not a candidate with a string id.
 */
json_t *tt_to_candidate(uats_call *call, const json_t *resource, const json_t *applications,
                        const json_t *uploads);

/* A unified attachment (new) from an upload resource object (borrowed).
 * candidate_id may be NULL. NULL with UATS_E_VENDOR recorded when it is not
 * an upload with a string id. */
json_t *tt_to_attachment(uats_call *call, const json_t *resource, const char *candidate_id);

/*
 * The first error of a JSON:API error document (borrowed): its detail
 * (else its title) and its source.pointer, or NULL. Also reads the
 * {"errors": {...}} object form Teamtailor uses for a refused API version.
 */
const char *tt_error_text(const json_t *doc, const char **pointer);

/*
 * The unified input path for a JSON:API source.pointer of a refused
 * document ("/data/attributes/first-name" -> "first_name"), written into
 * out; NULL when it names nothing of the input. kind says which document
 * was sent: 'c' a candidate, 'u' an upload (whose input sits at prefix: ""
 * or "attachments[1]"), 'a' a job application.
 */
const char *tt_input_field(const char *pointer, char kind, const char *prefix, char *out,
                           size_t size);

#endif
