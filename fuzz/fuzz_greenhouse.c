/*
 * fuzz/fuzz_greenhouse.c: the Greenhouse connector's mapping, both Harvest
 * versions. Whatever Greenhouse sends, the mapping may refuse it, but what
 * it produces must be a candidate or attachment the core accepts: a
 * mapped object the core refused would reach hosts as UATS_E_BAD_MODULE.
 * Unified inputs (the same bytes) are mapped to request bodies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <uats/uats.h>

#include "fakehost.h"
#include "greenhouse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_be_valid(uats_kind kind, json_t *doc)
{
    uats_object *obj;
    uats_error err;
    if (!doc)
        return;
    if (uats_object_from_json(kind, doc, &obj, &err) != UATS_OK) {
        fprintf(stderr, "mapped object refused by the core: %s\n", err.text);
        abort();
    }
    uats_object_free(obj);
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uats_host = &fake_host;
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!doc)
        return 0;
    const json_t *cand = json_object_get(doc, "candidate") ? json_object_get(doc, "candidate")
                                                           : doc;
    json_t *apps = json_object_get(doc, "applications");
    json_t *atts = json_object_get(doc, "attachments");
    must_be_valid(UATS_KIND_CANDIDATE, gh_to_candidate(NULL, GH_V1, cand, NULL, NULL));
    must_be_valid(UATS_KIND_CANDIDATE,
                  gh_to_candidate(NULL, GH_V3, cand, json_is_array(apps) ? apps : NULL,
                                  json_is_array(atts) ? atts : NULL));
    size_t i;
    json_t *item;
    json_array_foreach(json_is_array(atts) ? atts : NULL, i, item) {
        must_be_valid(UATS_KIND_ATTACHMENT, gh_v3_to_attachment(NULL, item));
        must_be_valid(UATS_KIND_ATTACHMENT, gh_v1_to_attachment(NULL, "42", item, NULL));
    }
    (void)gh_pick_application(apps);
    /* The same bytes as a unified create input and attachment input. */
    uats_object *obj;
    uats_error err;
    if (uats_object_from_json(UATS_KIND_CANDIDATE_INPUT, doc, &obj, &err) == UATS_OK) {
        json_t *in = uats_object_to_json(obj, 0), *body = NULL;
        bool prospect;
        for (int v = 1; v <= 3; v += 2) {
            if (gh_create_body(NULL, (gh_version)v, in, &body, &prospect) == UATS_OK)
                json_decref(body);
            json_t *att;
            json_array_foreach(json_object_get(in, "attachments"), i, att) {
                gh_target target;
                if (gh_attachment_body(NULL, (gh_version)v, att, "attachments[0]", i % 2, &body,
                                       &target) == UATS_OK)
                    json_decref(body);
            }
        }
        json_decref(in);
        uats_object_free(obj);
    }
    json_decref(doc);
    return 0;
}
