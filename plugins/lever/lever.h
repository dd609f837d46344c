/*
 * plugins/lever/lever.h: the Lever connector's parts (internal to the
 * module): mapping between Lever's JSON and the unified model, kept apart
 * from the HTTP calls so that tests can feed it Lever's documented payloads.
 */
#ifndef UATS_LEVER_H
#define UATS_LEVER_H

#include <uats/connector.h>

/* A file to send with a create: which multipart part, and its bytes. */
typedef struct lever_upload {
    const char *part;          /* "resumeFile" or "files" */
    const char *file_name;
    const char *content_type;
    void *data;                /* decoded; host->free */
    size_t len;
} lever_upload;

/* The body of POST /opportunities for a unified create input (borrowed):
 * *body is new; *uploads (host->alloc'd array of *nuploads, data decoded)
 * holds the files to send as multipart. Fields Lever cannot hold are
 * reported with host->warn. */
uats_code lever_create_body(uats_call *call, const json_t *input, json_t **body,
                            lever_upload **uploads, size_t *nuploads);
void lever_uploads_free(lever_upload *uploads, size_t n);

/* A unified candidate (new reference) from an opportunity object
 * (borrowed) and the ids of its files and resumes (borrowed array, or NULL). */
json_t *lever_to_candidate(uats_call *call, const json_t *opportunity,
                           const json_t *attachment_ids);

/* A unified attachment (new) from a Lever file object (borrowed). */
json_t *lever_to_attachment(uats_call *call, const json_t *file, const char *candidate_id,
                            const char *content_type, const char *type);

/* The unified url type of a link, inferred from its host. */
const char *lever_url_type(const char *url);

/* Split Lever's single name into first and last (documented in README.md):
 * writes into the buffers; last may come back empty. */
void lever_split_name(const char *name, char *first, size_t first_size, char *last,
                      size_t last_size);

#endif
