/*
 * fuzz/fuzz_model.c: the unified JSON reader. Any bytes, read as each of
 * the four kinds; what is accepted must survive every accessor and
 * serialise back to JSON that reads again as the same object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uats/uats.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int kind = UATS_KIND_CANDIDATE; kind <= UATS_KIND_ATTACHMENT_INPUT; kind++) {
        uats_object *obj;
        uats_error err;
        if (uats_object_from_text((uats_kind)kind, (const char *)data, size, &obj, &err) != UATS_OK)
            continue;
        char *text = uats_object_to_text(obj, UATS_JSON_REMOTE_DATA);
        uats_object *again;
        if (!text ||
            uats_object_from_text((uats_kind)kind, text, strlen(text), &again, &err) != UATS_OK)
            abort(); /* what we wrote, we must read */
        json_t *a = uats_object_to_json(obj, UATS_JSON_REMOTE_DATA);
        json_t *b = uats_object_to_json(again, UATS_JSON_REMOTE_DATA);
        if (!json_equal(a, b))
            abort();
        /* Every accessor on every field: no crash, whatever the content. */
        for (unsigned f = 0x1000; f < 0x8000; f++) {
            const char *v;
            bool flag;
            int64_t n;
            double d;
            (void)uats_get_string(obj, (uats_field)f);
            (void)uats_get_bool(obj, (uats_field)f, &flag);
            (void)uats_get_int(obj, (uats_field)f, &n);
            (void)uats_get_number(obj, (uats_field)f, &d);
            (void)uats_get_json(obj, (uats_field)f);
            for (size_t i = 0; i < uats_list_count(obj, (uats_field)f); i++) {
                (void)uats_list_string(obj, (uats_field)f, i);
                (void)uats_list_typed(obj, (uats_field)f, i, &v);
            }
            if ((f & 0xfff) > 70)
                f = (f & 0xf000) + 0xfff; /* ids are small: skip to the next type */
        }
        void *bytes;
        size_t len;
        if (uats_get_data(obj, &bytes, &len, &err) == UATS_OK)
            uats_free(bytes);
        json_decref(a);
        json_decref(b);
        uats_free(text);
        uats_object_free(again);
        uats_object_free(obj);
    }
    return 0;
}
