/*
 * plugins/smartrecruiters/smartrecruiters.h: the SmartRecruiters connector's
 * parts (internal to the module). Mapping between SmartRecruiters' Customer
 * API JSON and the unified model lives in smartrecruiters_map.c, apart from
 * the HTTP calls in smartrecruiters.c, so that tests can feed it the
 * documented payloads. The rules are in plugins/smartrecruiters/README.md;
 * the vendor facts behind them in docs/vendors/smartrecruiters.md.
 */
#ifndef UATS_SMARTRECRUITERS_H
#define UATS_SMARTRECRUITERS_H

#include <uats/connector.h>

/*
 * The body of a create (POST /candidates, or POST /jobs/{job}/candidates
 * when the input names a job) for a unified create input (borrowed). *body
 * is new; *job points into input (the job id, or NULL for the Talent Pool).
 * Fields SmartRecruiters cannot hold are reported with host->warn; files
 * are not in the body (they are uploaded one by one after the create).
 * Fails with UATS_E_INVALID_INPUT, naming the field and sending nothing,
 * when a field SmartRecruiters requires is missing (first name, last name,
 * an e-mail address).
 */
uats_code sr_create_body(uats_call *call, const json_t *input, json_t **body, const char **job);

/*
 * The multipart "attachmentType" for a unified attachment input (borrowed):
 * "RESUME" for a resume, "GENERIC_FILE" for everything else. path is the
 * input's JSON path for warnings ("" for the add-attachment input,
 * "attachments[2]" inside a create): a cover or offer letter is warned
 * about, since it goes as a generic file.
 */
const char *sr_attachment_type(uats_call *call, const json_t *input, const char *path);

/*
 * A unified candidate (new reference) from a SmartRecruiters candidate
 * (borrowed: the answer of a create or of GET /candidates/{id}) and the
 * ids of its attachments (a borrowed array of strings, or NULL when not
 * read). attachments_raw (borrowed, or NULL) is kept in remote_data beside
 * the candidate. NULL with UATS_E_VENDOR recorded when cand has no id.
 */
json_t *sr_to_candidate(uats_call *call, const json_t *cand, const json_t *attachment_ids,
                        const json_t *attachments_raw);

/* A unified attachment (new) from a SmartRecruiters attachment object
 * (borrowed). NULL with UATS_E_VENDOR recorded when it has no id. */
json_t *sr_to_attachment(uats_call *call, const json_t *att, const char *candidate_id);

/* The ids (new array of strings) of a {totalFound, content: [...]} list of
 * attachments (borrowed). NULL with UATS_E_VENDOR recorded when it is not
 * one. */
json_t *sr_attachment_ids(uats_call *call, const json_t *list);

#endif
