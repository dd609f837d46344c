/*
 * plugins/ashby/ashby.h: the Ashby connector's parts (internal to the
 * module). Mapping between Ashby's JSON and the unified model, and the
 * reading of Ashby's answer envelope, live in ashby_map.c, apart from the
 * HTTP calls in ashby.c, so that tests can feed them Ashby's documented
 * payloads. The rules are in plugins/ashby/README.md and the facts behind
 * them in docs/vendors/ashby.md.
 */
#ifndef UATS_ASHBY_H
#define UATS_ASHBY_H

#include <stdbool.h>

#include <uats/connector.h>

/*
 * The body of POST /candidate.create for a unified create input (borrowed).
 * *body is new. *application is new too: the body of the
 * POST /application.create that follows (candidateId still to be added), or
 * NULL when the input names no job. Fields Ashby cannot hold are reported
 * with host->warn; attachments are not in either body (each is uploaded
 * after the create). Fails with UATS_E_INVALID_INPUT, naming the field,
 * when the input has no name (Ashby requires one).
 */
uats_code ashby_create_body(uats_call *call, const json_t *input, json_t **body,
                            json_t **application);

/*
 * Read Ashby's envelope (doc borrowed): {"success": true, "results": ...}
 * sets *results (borrowed from doc). {"success": false, "errorInfo":
 * {code, message}} (or the older "errors": [...]) is recorded with the
 * uats code ashby_error_code gives and Ashby's message, keeping status.
 * Anything else is UATS_E_VENDOR. what names the call for messages.
 */
uats_code ashby_envelope(uats_call *call, const json_t *doc, long status, const char *what,
                         json_t **results);

/* The uats code for an Ashby error code ("candidate_not_found"). */
uats_code ashby_error_code(const char *code);

/* A unified candidate (new reference) from an Ashby candidate (borrowed),
 * as candidate.info, candidate.create and the uploads answer it. NULL with
 * UATS_E_VENDOR recorded when it has no id. */
json_t *ashby_to_candidate(uats_call *call, const json_t *cand);

/* The ids of a candidate's files: fileHandles[].id and resumeFileHandle.id,
 * without repeats (new array). */
json_t *ashby_file_ids(const json_t *cand);

/* The file handle an upload added: resume, the candidate's
 * resumeFileHandle when new; otherwise the first of fileHandles whose id is
 * not in before (borrowed array of ids). Borrowed from cand, or NULL. */
const json_t *ashby_new_file(const json_t *cand, const json_t *before, bool resume);

/* A unified attachment (new) from an Ashby file handle {id, name, handle}
 * (borrowed). type is the unified type it was sent as. */
json_t *ashby_to_attachment(uats_call *call, const json_t *handle, const char *candidate_id,
                            const char *content_type, const char *type);

/* Whether text has the shape of an Ashby id (a UUID). */
bool ashby_is_id(const char *text);

/* Split Ashby's single name into first and last: first word, then the rest. */
void ashby_split_name(const char *name, char *first, size_t first_size, char *last,
                      size_t last_size);

#endif
