/*
 * plugins/greenhouse/greenhouse.h: the Greenhouse connector's parts
 * (internal to the module). Mapping between Greenhouse's JSON, Harvest v1
 * and v3, and the unified model lives in greenhouse_map.c, apart from the
 * HTTP calls in greenhouse.c, so that tests can feed it Greenhouse's
 * documented payloads. The rules are in plugins/greenhouse/README.md.
 */
#ifndef UATS_GREENHOUSE_H
#define UATS_GREENHOUSE_H

#include <stdbool.h>

#include <uats/connector.h>

/* Which Harvest API a connection speaks: the option api_version. */
typedef enum gh_version { GH_V1 = 1, GH_V3 = 3 } gh_version;

/*
 * The body of a create for a unified create input (borrowed): v1
 * POST /v1/candidates (or /v1/prospects when the input names no job:
 * *prospect set), v3 POST /v3/candidates. *body is new. Fields Greenhouse
 * cannot hold are reported with host->warn; attachments are not in the
 * body (they are sent one by one after the create). Fails with
 * UATS_E_INVALID_INPUT, naming the field, when a value cannot be sent
 * (a job id that is not a Greenhouse id).
 */
uats_code gh_create_body(uats_call *call, gh_version v, const json_t *input, json_t **body,
                         bool *prospect);

/* Where a file goes. */
typedef enum gh_target {
    GH_ON_CANDIDATE,   /* v1 POST /v1/candidates/{id}/attachments */
    GH_ON_APPLICATION  /* v1 POST /v1/applications/{id}/attachments, v3 POST /v3/attachments */
} gh_target;

/*
 * The body of an attachment upload for a unified attachment input
 * (borrowed). path is the input's JSON path for warnings and errors ("" for
 * the add-attachment input, "attachments[2]" inside a create). has_app says
 * whether an application is available to carry the file: v1 puts resumes
 * and cover letters on the candidate and other files on the application
 * (else on the candidate as admin_only, with a warning). *target says
 * which. *body is new; v3's lacks application_id (the caller adds it).
 * Fails with UATS_E_UNSUPPORTED for a file Greenhouse must not be sent (an
 * offer letter, which would restart offer approvals) and
 * UATS_E_INVALID_INPUT for v1 content whose type Greenhouse does not take.
 */
uats_code gh_attachment_body(uats_call *call, gh_version v, const json_t *input,
                             const char *path, bool has_app, json_t **body,
                             gh_target *target);

/*
 * A unified candidate (new reference) from a Greenhouse candidate
 * (borrowed): v1, the object of GET /v1/candidates/{id} (applications and
 * attachments inside it; applications and attachments arguments NULL); v3,
 * a row of GET /v3/candidates with the candidate's applications and
 * attachments as listed by their own endpoints (borrowed arrays, or NULL
 * when not read). NULL with UATS_E_VENDOR recorded when cand has no id.
 */
json_t *gh_to_candidate(uats_call *call, gh_version v, const json_t *cand,
                        const json_t *applications, const json_t *attachments);

/* A unified attachment (new) from a v3 attachment object (borrowed). */
json_t *gh_v3_to_attachment(uats_call *call, const json_t *att);

/*
 * v1 attachments have no ids: the unified id is synthesized from what is
 * stable, "<candidate id>:<created_at>:<filename>". Written into out;
 * false when the entry lacks a field or out is too small.
 */
bool gh_v1_attachment_id(const char *candidate_id, const json_t *entry, char *out,
                         size_t size);

/* A unified attachment (new) from an entry of a v1 candidate's
 * "attachments" (borrowed). */
json_t *gh_v1_to_attachment(uats_call *call, const char *candidate_id, const json_t *entry,
                            const char *content_type);

/* The unified input path for a field Greenhouse names in a validation error
 * ("email_addresses[1].type", "applications[0].job_id"), written into out;
 * NULL when there is none. attachment says the body sent was an upload,
 * whose input sits at prefix ("" or "attachments[1]"). */
const char *gh_input_field(const char *gh_field, bool attachment, const char *prefix,
                           char *out, size_t size);

/* Whether s is a Greenhouse id: 1 to 18 digits (ids are integers; unified
 * ids are their decimal strings). */
bool gh_digits_only(const char *s);

/* The application a file goes on, among a candidate's applications
 * (borrowed v1 or v3 application objects): the newest active one, else the
 * newest. NULL when there is none. */
const json_t *gh_pick_application(const json_t *applications);

#endif
