/*
 * plugins/workable/workable.h: the Workable connector's parts (internal to
 * the module). Mapping between Workable's JSON (API v3) and the unified
 * model lives in workable_map.c, apart from the HTTP calls in workable.c, so
 * that tests can feed it the documented payloads. The rules are in
 * plugins/workable/README.md.
 */
#ifndef UATS_WORKABLE_H
#define UATS_WORKABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <uats/connector.h>

/*
 * The body of a create, {"candidate": {...}, "sourced": bool}, for a
 * unified create input (borrowed). *body is new. *shortcode is the job the
 * candidate goes to (borrowed from input), or NULL for the talent pool.
 * *resume_at is the index of the attachment sent as the resume, or -1.
 * Fields Workable cannot hold are reported with host->warn. Fails with
 * UATS_E_INVALID_INPUT, naming the field, when Workable would refuse the
 * input for certain (no name, no e-mail address): nothing is sent then.
 */
uats_code wk_create_body(uats_call *call, const json_t *input, json_t **body,
                         const char **shortcode, int *resume_at);

/*
 * A unified candidate (new reference) from a Workable candidate object
 * (borrowed): the "candidate" of a create's answer or of GET
 * /candidates/{id}. NULL with UATS_E_VENDOR recorded when it has no id or
 * a field has the wrong type.
 */
json_t *wk_to_candidate(uats_call *call, const json_t *cand);

/* Workable's social profile type for a unified url entry (borrowed), or
 * NULL when Workable documents none for it. */
const char *wk_social_type(const json_t *url);

/* The unified url type of a Workable social profile type ("linkedin"). */
const char *wk_url_type(const char *social_type);

/* The unified input path for a key Workable names in validation_errors
 * ("email" -> "email_addresses[0]"), or NULL when there is none. */
const char *wk_input_field(const char *wk_key);

/* Whether text is a real calendar day written YYYY-MM-DD. */
bool wk_is_date(const char *text);

/* A subdomain as Workable issues them: a DNS label, lower case. */
bool wk_valid_subdomain(const char *subdomain);

#endif
