/*
 * fuzz/fuzz_lever.c: the Lever connector's mapping of vendor responses
 * (and of unified inputs into requests). Whatever Lever sends, the mapping
 * may refuse it but must not crash, and what it produces must be either
 * NULL or a candidate the core accepts or refuses cleanly.
 */
#include <stdint.h>
#include <stdlib.h>

#include <uats/uats.h>

#include "fakehost.h"
#include "lever.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uats_host = &fake_host;
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!doc)
        return 0;
    const json_t *opp = json_object_get(doc, "data") ? json_object_get(doc, "data") : doc;
    json_t *ids = json_object_get(doc, "ids");
    json_t *c = lever_to_candidate(NULL, opp, json_is_array(ids) ? ids : NULL);
    uats_object *obj;
    uats_error err;
    if (c && uats_object_from_json(UATS_KIND_CANDIDATE, c, &obj, &err) == UATS_OK)
        uats_object_free(obj);
    json_decref(c);
    json_t *a = lever_to_attachment(NULL, opp, "cand-1", "text/plain", "OTHER");
    json_decref(a);
    /* The same bytes as a unified create input, mapped to Lever's body. */
    if (uats_object_from_json(UATS_KIND_CANDIDATE_INPUT, doc, &obj, &err) == UATS_OK) {
        json_t *in = uats_object_to_json(obj, 0), *body = NULL;
        lever_upload *ups = NULL;
        size_t n = 0;
        if (lever_create_body(NULL, in, &body, &ups, &n) == UATS_OK)
            lever_uploads_free(ups, n);
        json_decref(body);
        json_decref(in);
        uats_object_free(obj);
    }
    json_decref(doc);
    return 0;
}
