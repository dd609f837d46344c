/*
 * plugins/recruitee/recruitee.h: the Recruitee connector's parts (internal
 * to the module). Mapping between Recruitee's JSON and the unified model
 * lives in recruitee_map.c, apart from the HTTP calls in recruitee.c, so
 * that tests can feed it the documented payloads. The rules are in
 * plugins/recruitee/README.md; the wire format in docs/vendors/recruitee.md.
 */
#ifndef UATS_RECRUITEE_H
#define UATS_RECRUITEE_H

#include <stdbool.h>
#include <stddef.h>

#include <uats/connector.h>

/*
 * The body of POST /c/{company}/candidates for a unified create input
 * (borrowed): {"candidate": {...}, "offers": [id]}. *body is new. Fields
 * Recruitee cannot hold are reported with host->warn; attachments are not
 * in the body (they are uploaded one by one once the candidate exists).
 * Fails with UATS_E_INVALID_INPUT, naming the field, when nothing is sent
 * because a value cannot be (no name, a job id that is not a number).
 */
uats_code rt_create_body(uats_call *call, const json_t *input, json_t **body);

/* Warnings for an attachment input (borrowed) at path ("" for the add
 * attachment input, "attachments[1]" inside a create): what Recruitee does
 * not keep of it (its type, its application). */
void rt_attachment_warnings(uats_call *call, const json_t *input, const char *path);

/*
 * A unified candidate (new reference) from the object inside GET or POST
 * /candidates' {"candidate": ...} (borrowed), with the ids of its
 * attachments (borrowed array of attachment objects, or NULL when not
 * read). NULL with UATS_E_VENDOR recorded when cand has no integer id.
 */
json_t *rt_to_candidate(uats_call *call, const json_t *cand, const json_t *attachments);

/* A unified attachment (new) from the object inside POST /attachments'
 * {"attachment": ...} (borrowed). input is the attachment input that was
 * sent (borrowed, for the name and type Recruitee does not echo), or NULL.
 * NULL with UATS_E_VENDOR recorded when att has no integer id. */
json_t *rt_to_attachment(uats_call *call, const json_t *att, const char *candidate_id,
                         const json_t *input);

/* The unified input path for a key of Recruitee's error_fields ("emails",
 * "name", "offers"), or NULL when there is none. */
const char *rt_input_field(const char *rt_field);

/* The unified url type of a link, inferred from its host; social says it
 * came from social_links (unknown hosts are then SOCIAL_MEDIA, else OTHER). */
const char *rt_url_type(const char *url, bool social);

/* Whether s is a Recruitee id: 1 to 18 decimal digits. */
bool rt_is_id(const char *s);

#endif
