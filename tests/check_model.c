/*
 * tests/check_model.c: the unified model API of uats/uats.h (objects, typed
 * accessors, JSON reading and writing). One TCase per area:
 *
 *   roundtrip    every field of every kind survives JSON -> object -> JSON;
 *                every declared field is in a full fixture and is read and
 *                written by the accessor its type bits name
 *   accessors    typed getters and setters, lists, JSON fields, data,
 *                attachment inputs, unset, has, dup, to_text
 *   safety       wrong accessor type, another kind's field, bad index, NULL
 *   tables       enum names and field paths
 *   errors       bad JSON input and bad setter values name the field
 *   passthrough  custom_fields, remote_data and remote_fields keep anything
 *
 * Everything a test allocates is registered with keep*() and released by
 * the teardown, so nothing leaks even when an assertion fails (CK_FORK=no
 * under valgrind).
 */
#include <math.h>
#include <stdint.h>

#include "testutil.h"

#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must name tests/fixtures (tests/Makefile.am defines it)"
#endif

/* ------------------------------------------------------------------------
 * Ownership: everything a test allocates is freed by the teardown.
 * ------------------------------------------------------------------------ */

typedef enum owned_kind { OWN_OBJECT, OWN_JSON, OWN_UATS, OWN_LIBC } owned_kind;

typedef struct owned {
    owned_kind kind;
    void *ptr;
} owned;

#define MAX_OWNED 2048
static owned owned_list[MAX_OWNED];
static size_t owned_count;

static void *own(owned_kind kind, void *ptr)
{
    ck_assert_msg(owned_count < MAX_OWNED, "test arena is full");
    owned_list[owned_count].kind = kind;
    owned_list[owned_count].ptr = ptr;
    owned_count++;
    return ptr;
}

static uats_object *keep(uats_object *obj) { return own(OWN_OBJECT, obj); }
static json_t *keepj(json_t *json) { return own(OWN_JSON, json); }
static void *keepu(void *mem) { return own(OWN_UATS, mem); }  /* uats_free */
static void *keepc(void *mem) { return own(OWN_LIBC, mem); }  /* free */

/* Free one kept pointer now (to show that others do not depend on it). */
static void release(void *ptr)
{
    for (size_t i = owned_count; i-- > 0;) {
        if (owned_list[i].ptr == ptr) {
            owned_list[i].ptr = NULL;  /* every free function accepts NULL */
            switch (owned_list[i].kind) {
            case OWN_OBJECT: uats_object_free(ptr); break;
            case OWN_JSON: json_decref(ptr); break;
            case OWN_UATS: uats_free(ptr); break;
            case OWN_LIBC: free(ptr); break;
            }
            return;
        }
    }
    ck_abort_msg("release: %p was not kept", ptr);
}

static void setup(void)
{
    owned_count = 0;
}

static void teardown(void)
{
    while (owned_count > 0) {
        owned *o = &owned_list[--owned_count];
        switch (o->kind) {
        case OWN_OBJECT: uats_object_free(o->ptr); break;
        case OWN_JSON: json_decref(o->ptr); break;
        case OWN_UATS: uats_free(o->ptr); break;
        case OWN_LIBC: free(o->ptr); break;
        }
    }
}

/* ------------------------------------------------------------------------
 * The field ids of uats.h, every one of them.
 * ------------------------------------------------------------------------ */

typedef struct field_info {
    uats_field id;
    const char *name;
} field_info;

#define F(x) {x, #x}
static const field_info all_fields[] = {
    F(UATS_F_ID), F(UATS_F_REMOTE_ID), F(UATS_F_REMOTE_CREATED_AT),
    F(UATS_F_REMOTE_UPDATED_AT), F(UATS_F_LAST_INTERACTION_AT), F(UATS_F_MODIFIED_AT),
    F(UATS_F_FIRST_NAME), F(UATS_F_LAST_NAME), F(UATS_F_COMPANY), F(UATS_F_TITLE),
    F(UATS_F_AVATAR), F(UATS_F_GENDER), F(UATS_F_DATE_OF_BIRTH), F(UATS_F_SUMMARY),
    F(UATS_F_HIGHEST_EDUCATION_LEVEL), F(UATS_F_CONTACT_CONSENT),
    F(UATS_F_AVAILABILITY_DATE), F(UATS_F_LOCATION_CITY), F(UATS_F_LOCATION_REGION),
    F(UATS_F_LOCATION_COUNTRY), F(UATS_F_SALARY_CURRENCY), F(UATS_F_SALARY_PERIOD),
    F(UATS_F_JOB_ID), F(UATS_F_STAGE_ID), F(UATS_F_APPLICATION_SOURCE),
    F(UATS_F_ACTING_USER),
    F(UATS_F_CANDIDATE_ID), F(UATS_F_FILE_NAME), F(UATS_F_FILE_URL),
    F(UATS_F_CONTENT_TYPE), F(UATS_F_ATTACHMENT_TYPE), F(UATS_F_DATA), F(UATS_F_URL), F(UATS_F_APPLICATION_ID),
    F(UATS_F_IS_PRIVATE), F(UATS_F_CAN_EMAIL), F(UATS_F_VETERAN_STATUS),
    F(UATS_F_DISABILITY_STATUS), F(UATS_F_IS_INTERNAL), F(UATS_F_IS_ANONYMIZED),
    F(UATS_F_SIZE),
    F(UATS_F_SALARY_AMOUNT),
    F(UATS_F_LOCATIONS), F(UATS_F_TAGS), F(UATS_F_APPLICATION_IDS),
    F(UATS_F_ATTACHMENT_IDS), F(UATS_F_SKILLS), F(UATS_F_VISA_STATUSES), F(UATS_F_RACES),
    F(UATS_F_EMAIL_ADDRESSES), F(UATS_F_PHONE_NUMBERS), F(UATS_F_URLS),
    F(UATS_F_CUSTOM_FIELDS), F(UATS_F_REMOTE_DATA), F(UATS_F_ADDRESS), F(UATS_F_LOCATION),
    F(UATS_F_EDUCATION), F(UATS_F_EXPERIENCE), F(UATS_F_CERTIFICATIONS),
    F(UATS_F_SALARY_EXPECTATIONS), F(UATS_F_APPLICATION), F(UATS_F_SCREENING_ANSWERS),
    F(UATS_F_FORM_ANSWERS), F(UATS_F_ATTACHMENTS), F(UATS_F_REMOTE_FIELDS),
};
#undef F
#define NFIELDS (sizeof all_fields / sizeof all_fields[0])

static const uats_kind all_kinds[] = {UATS_KIND_CANDIDATE, UATS_KIND_CANDIDATE_INPUT,
                                      UATS_KIND_ATTACHMENT, UATS_KIND_ATTACHMENT_INPUT};
#define NKINDS (sizeof all_kinds / sizeof all_kinds[0])

static const char *kind_name(uats_kind kind)
{
    switch (kind) {
    case UATS_KIND_CANDIDATE: return "candidate";
    case UATS_KIND_CANDIDATE_INPUT: return "candidate input";
    case UATS_KIND_ATTACHMENT: return "attachment";
    case UATS_KIND_ATTACHMENT_INPUT: return "attachment input";
    }
    return "?";
}

static const field_info *field_by_id(uats_field id)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (all_fields[i].id == id)
            return &all_fields[i];
    return NULL;
}

/* ------------------------------------------------------------------------
 * Fixtures. The attachment input needs two: data and url exclude each other.
 * ------------------------------------------------------------------------ */

typedef struct fixture {
    uats_kind kind;
    const char *file;
} fixture;

static const fixture fixtures[] = {
    {UATS_KIND_CANDIDATE, "candidate-full.json"},
    {UATS_KIND_CANDIDATE_INPUT, "candidate-input-full.json"},
    {UATS_KIND_ATTACHMENT, "attachment-full.json"},
    {UATS_KIND_ATTACHMENT_INPUT, "attachment-input-full.json"},
    {UATS_KIND_ATTACHMENT_INPUT, "attachment-input-url.json"},
};
#define NFIXTURES ((int)(sizeof fixtures / sizeof fixtures[0]))

/* The whole file (kept), NUL-terminated; *len excludes the NUL. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *bigger = realloc(buf, cap);
            if (!bigger) {
                free(buf);
                fclose(f);
                ck_abort_msg("out of memory reading %s", path);
            }
            buf = bigger;
        }
        size_t n = fread(buf + size, 1, 4096, f);
        size += n;
        if (n < 4096)
            break;
    }
    fclose(f);
    buf[size] = '\0';
    *len = size;
    return keepc(buf);
}

static char *read_fixture(const char *file, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", FIXTURE_DIR, file);
    return read_file(path, len);
}

/* The fixture as jansson reads it (kept). */
static json_t *fixture_json(const char *file)
{
    size_t len;
    const char *text = read_fixture(file, &len);
    json_error_t jerr;
    json_t *doc = keepj(json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr));
    ck_assert_msg(doc != NULL, "%s: line %d: %s", file, jerr.line, jerr.text);
    return doc;
}

/* The fixture read by uats (kept). */
static uats_object *fixture_object(const fixture *fx)
{
    size_t len;
    const char *text = read_fixture(fx->file, &len);
    uats_object *obj = NULL;
    uats_error err = {0};
    uats_code rc = uats_object_from_text(fx->kind, text, len, &obj, &err);
    keep(obj);
    ck_assert_msg(rc == UATS_OK, "%s does not load: %s: %s [field \"%s\"]", fx->file,
                  uats_code_name(rc), err.text, err.field);
    ck_assert_ptr_nonnull(obj);
    return obj;
}

/* ------------------------------------------------------------------------
 * JSON helpers
 * ------------------------------------------------------------------------ */

/* Test JSON (kept). */
static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *j = keepj(json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr));
    ck_assert_msg(j != NULL, "test JSON does not parse (%s): %s", jerr.text, text);
    return j;
}

/* The value at a dotted path ("application.job_id"), or NULL. */
static const json_t *json_at(const json_t *doc, const char *path)
{
    char seg[64];
    while (doc && *path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        ck_assert_uint_lt(len, sizeof seg);
        memcpy(seg, path, len);
        seg[len] = '\0';
        doc = json_object_get(doc, seg);
        path = dot ? dot + 1 : path + len;
    }
    return doc;
}

/* Where a and b first differ, for failure messages. */
static bool json_diff(const json_t *a, const json_t *b, const char *path, char *out,
                      size_t size)
{
    char sub[256];
    if (json_equal(a, b))
        return false;
    if (a && b && json_typeof(a) == json_typeof(b)) {
        if (json_is_object(a)) {
            const char *key;
            json_t *v;
            json_object_foreach((json_t *)a, key, v) {
                snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
                if (json_diff(v, json_object_get(b, key), sub, out, size))
                    return true;
            }
            json_object_foreach((json_t *)b, key, v) {
                if (!json_object_get(a, key)) {
                    snprintf(out, size, "%s%s%s (missing on the left)", path,
                             *path ? "." : "", key);
                    return true;
                }
            }
        } else if (json_is_array(a) && json_array_size(a) == json_array_size(b)) {
            for (size_t i = 0; i < json_array_size(a); i++) {
                snprintf(sub, sizeof sub, "%s[%zu]", path, i);
                if (json_diff(json_array_get(a, i), json_array_get(b, i), sub, out, size))
                    return true;
            }
        }
    }
    snprintf(out, size, "%s", *path ? path : "(document)");
    return true;
}

static const char *dump(const json_t *j)
{
    if (!j)
        return "NULL";
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    return s ? keepc(s) : "(dump failed)";
}

static void assert_json_eq(const json_t *got, const json_t *want, const char *what)
{
    char where[300];
    if (got && want && json_equal(got, want))
        return;
    json_diff(got, want, "", where, sizeof where);
    ck_abort_msg("%s: differs at %s\n got: %.700s\nwant: %.700s", what, where, dump(got),
                 dump(want));
}

/* ------------------------------------------------------------------------
 * Error helpers
 * ------------------------------------------------------------------------ */

#define ASSERT_OK(call, err)                                                       \
    do {                                                                           \
        uats_code rc_ = (call);                                                    \
        ck_assert_msg(rc_ == UATS_OK, "%s: %s: %s [field \"%s\"]", #call,          \
                      uats_code_name(rc_), (err).text, (err).field);               \
    } while (0)

/* A refusal of invalid input that names field and mentions it in the text. */
static void expect_invalid_at(uats_code rc, const uats_error *err, const char *field,
                              const char *what)
{
    ck_assert_msg(rc == UATS_E_INVALID_INPUT, "%s: returned %s, want UATS_E_INVALID_INPUT",
                  what, uats_code_name(rc));
    ck_assert_msg(err->code == UATS_E_INVALID_INPUT, "%s: err.code is %s", what,
                  uats_code_name(err->code));
    ck_assert_msg(strcmp(err->field, field) == 0,
                  "%s: err.field is \"%s\", want \"%s\" (err.text: %s)", what, err->field,
                  field, err->text);
    ck_assert_msg(strstr(err->text, field) != NULL,
                  "%s: err.text \"%s\" does not mention \"%s\"", what, err->text, field);
}

/* The same, where the field is a list entry: err.field must start with
 * the list's path ("email_addresses" or "email_addresses[0].type"). */
static void expect_invalid_under(uats_code rc, const uats_error *err, const char *prefix,
                                 const char *what)
{
    ck_assert_msg(rc == UATS_E_INVALID_INPUT, "%s: returned %s, want UATS_E_INVALID_INPUT",
                  what, uats_code_name(rc));
    ck_assert_msg(err->code == UATS_E_INVALID_INPUT, "%s: err.code is %s", what,
                  uats_code_name(err->code));
    ck_assert_msg(strncmp(err->field, prefix, strlen(prefix)) == 0,
                  "%s: err.field is \"%s\", want \"%s...\" (err.text: %s)", what,
                  err->field, prefix, err->text);
    ck_assert_msg(strstr(err->text, err->field) != NULL,
                  "%s: err.text \"%s\" does not mention \"%s\"", what, err->text, err->field);
}

/* A refusal for the wrong kind or accessor: code only (no field to name). */
static void expect_refused(uats_code rc, const uats_error *err, const char *what)
{
    ck_assert_msg(rc == UATS_E_INVALID_INPUT, "%s: returned %s, want UATS_E_INVALID_INPUT",
                  what, uats_code_name(rc));
    ck_assert_msg(err->code == UATS_E_INVALID_INPUT, "%s: err.code is %s", what,
                  uats_code_name(err->code));
    ck_assert_msg(err->text[0] != '\0', "%s: err.text is empty", what);
}

static int not_an_object;
#define NOT_SET ((uats_object *)&not_an_object)

/* from_text; on failure *out must have been reset to NULL. */
static uats_code try_text(uats_kind kind, const char *text, size_t len, uats_error *err,
                          uats_object **out)
{
    uats_object *obj = NOT_SET;
    uats_code rc = uats_object_from_text(kind, text, len, &obj, err);
    ck_assert_msg(obj != NOT_SET, "from_text left *out untouched");
    keep(obj);
    if (rc != UATS_OK)
        ck_assert_msg(obj == NULL, "from_text failed but set *out");
    else
        ck_assert_msg(obj != NULL, "from_text succeeded with *out NULL");
    if (out)
        *out = obj;
    return rc;
}

static uats_object *text_ok(uats_kind kind, const char *text)
{
    uats_error err = {0};
    uats_object *obj;
    uats_code rc = try_text(kind, text, strlen(text), &err, &obj);
    ck_assert_msg(rc == UATS_OK, "%s: %s [field \"%s\"] for %s", uats_code_name(rc), err.text,
                  err.field, text);
    return obj;
}

static uats_object *new_obj(uats_kind kind)
{
    uats_object *obj = keep(uats_object_new(kind));
    ck_assert_ptr_nonnull(obj);
    ck_assert_int_eq(uats_object_kind(obj), kind);
    return obj;
}

/* A candidate with its required id, so that it can be written as JSON. */
static uats_object *new_candidate(void)
{
    uats_error err = {0};
    uats_object *c = new_obj(UATS_KIND_CANDIDATE);
    ASSERT_OK(uats_set_string(c, UATS_F_ID, "cand-1", &err), err);
    return c;
}

static json_t *to_json(const uats_object *obj, unsigned flags)
{
    json_t *j = keepj(uats_object_to_json(obj, flags));
    ck_assert_msg(j != NULL, "uats_object_to_json returned NULL");
    return j;
}

/* ========================================================================
 * roundtrip
 * ======================================================================== */

START_TEST(fixture_round_trips)
{
    const fixture *fx = &fixtures[_i];
    const json_t *doc = fixture_json(fx->file);
    uats_object *obj = fixture_object(fx);
    uats_error err = {0};

    ck_assert_int_eq(uats_object_kind(obj), fx->kind);
    json_t *full = to_json(obj, UATS_JSON_REMOTE_DATA);
    assert_json_eq(full, doc, fx->file);

    /* Without the flag only remote_data goes. */
    json_t *plain = to_json(obj, 0);
    ck_assert_ptr_null(json_object_get(plain, "remote_data"));
    json_t *want = keepj(json_deep_copy(doc));
    json_object_del(want, "remote_data");
    assert_json_eq(plain, want, "without UATS_JSON_REMOTE_DATA");
    if (uats_field_path(fx->kind, UATS_F_REMOTE_DATA)) {
        ck_assert_msg(json_object_get(doc, "remote_data") != NULL,
                      "%s must carry remote_data", fx->file);
        ck_assert_msg(!json_equal(plain, full), "remote_data was not omitted");
    }

    /* What uats writes, uats reads back to the same object. */
    uats_object *again = NULL;
    uats_code rc = uats_object_from_json(fx->kind, full, &again, &err);
    keep(again);
    ASSERT_OK(rc, err);
    assert_json_eq(to_json(again, UATS_JSON_REMOTE_DATA), doc, "second round trip");
}
END_TEST

/* Every field a kind has is set in one of its full fixtures, so a field
 * added to the schema without a fixture update fails here. */
START_TEST(fixtures_set_every_field)
{
    for (size_t k = 0; k < NKINDS; k++) {
        uats_object *objs[NFIXTURES];
        int n = 0;
        for (int x = 0; x < NFIXTURES; x++)
            if (fixtures[x].kind == all_kinds[k])
                objs[n++] = fixture_object(&fixtures[x]);
        ck_assert_msg(n > 0, "no fixture for the %s kind", kind_name(all_kinds[k]));
        size_t has_path = 0;
        for (size_t f = 0; f < NFIELDS; f++) {
            if (!uats_field_path(all_kinds[k], all_fields[f].id))
                continue;
            has_path++;
            bool found = false;
            for (int x = 0; x < n; x++)
                found = found || uats_has(objs[x], all_fields[f].id);
            ck_assert_msg(found, "%s (%s) is not set in any %s fixture", all_fields[f].name,
                          uats_field_path(all_kinds[k], all_fields[f].id),
                          kind_name(all_kinds[k]));
        }
        ck_assert_msg(has_path >= 5, "the %s kind has only %zu fields",
                      kind_name(all_kinds[k]), has_path);
    }
}
END_TEST

/* The nested keys docs/model.md documents are all present in the fixtures
 * (and therefore accepted and kept). */
START_TEST(fixtures_set_every_nested_key)
{
    static const struct {
        uats_kind kind;
        const char *path;      /* dotted path of an object or a list of objects */
        const char *keys[10];
    } nested[] = {
        {UATS_KIND_CANDIDATE, "address", {"street", "city", "region", "postal_code", "country"}},
        {UATS_KIND_CANDIDATE, "location", {"city", "region", "country"}},
        {UATS_KIND_CANDIDATE, "salary_expectations", {"amount", "currency", "period"}},
        {UATS_KIND_CANDIDATE, "education", {"school", "degree", "major", "location",
          "description", "start_date", "end_date", "is_current", "is_graduated"}},
        {UATS_KIND_CANDIDATE, "experience", {"company", "title", "department", "location",
          "description", "start_date", "end_date", "is_current", "is_internal"}},
        {UATS_KIND_CANDIDATE, "certifications", {"name", "issuer", "number", "issued_on",
          "expires_on"}},
        {UATS_KIND_CANDIDATE, "email_addresses", {"value", "type"}},
        {UATS_KIND_CANDIDATE, "phone_numbers", {"value", "type"}},
        {UATS_KIND_CANDIDATE, "urls", {"value", "type"}},
        {UATS_KIND_CANDIDATE_INPUT, "location", {"city", "region", "country"}},
        {UATS_KIND_CANDIDATE_INPUT, "salary_expectations", {"amount", "currency", "period"}},
        {UATS_KIND_CANDIDATE_INPUT, "education", {"school", "degree", "major", "location",
          "description", "start_date", "end_date", "is_current", "is_graduated"}},
        {UATS_KIND_CANDIDATE_INPUT, "experience", {"company", "title", "department",
          "location", "description", "start_date", "end_date", "is_current", "is_internal"}},
        {UATS_KIND_CANDIDATE_INPUT, "certifications", {"name", "issuer", "number",
          "issued_on", "expires_on"}},
        {UATS_KIND_CANDIDATE_INPUT, "application", {"job_id", "stage_id", "source",
          "screening_answers", "form_answers"}},
        {UATS_KIND_CANDIDATE_INPUT, "application.screening_answers", {"question_id", "answer"}},
        {UATS_KIND_CANDIDATE_INPUT, "application.form_answers", {"name", "value", "group_id"}},
        {UATS_KIND_CANDIDATE_INPUT, "attachments", {"file_name", "content_type", "type"}},
    };
    for (size_t i = 0; i < sizeof nested / sizeof nested[0]; i++) {
        const fixture *fx = nested[i].kind == UATS_KIND_CANDIDATE ? &fixtures[0] : &fixtures[1];
        const json_t *out = to_json(fixture_object(fx), 0);
        const json_t *v = json_at(out, nested[i].path);
        ck_assert_msg(v != NULL, "%s: no %s", fx->file, nested[i].path);
        for (const char *const *key = nested[i].keys; *key; key++) {
            bool found = false;
            if (json_is_object(v))
                found = json_object_get(v, *key) != NULL;
            for (size_t e = 0; json_is_array(v) && e < json_array_size(v); e++)
                found = found || json_object_get(json_array_get(v, e), *key) != NULL;
            ck_assert_msg(found, "%s: %s has no entry with \"%s\"", fx->file, nested[i].path,
                          *key);
        }
    }
    /* The variants: address as a string, both answer forms, both sources
     * of an attachment's content. */
    const json_t *in = to_json(fixture_object(&fixtures[1]), 0);
    ck_assert(json_is_string(json_object_get(in, "address")));
    ck_assert(json_is_object(json_at(to_json(fixture_object(&fixtures[0]), 0), "address")));
    const json_t *answers = json_at(in, "application.screening_answers");
    ck_assert(json_is_string(json_object_get(json_array_get(answers, 0), "answer")));
    ck_assert(json_is_array(json_object_get(json_array_get(answers, 1), "answer")));
    const json_t *atts = json_object_get(in, "attachments");
    ck_assert(json_is_string(json_object_get(json_array_get(atts, 0), "data")));
    ck_assert(json_is_string(json_object_get(json_array_get(atts, 1), "url")));
}
END_TEST

/* Each field's type bits name the accessor that reads it, that accessor
 * reads the fixture's value, and every other accessor refuses it. */
static void check_field_type(const uats_object *obj, const json_t *doc, const field_info *fi,
                             const char *file)
{
    const char *path = uats_field_path(uats_object_kind(obj), fi->id);
    const json_t *want = json_at(doc, path);
    unsigned type = fi->id & UATS_FT_MASK;
    bool b = false;
    int64_t i = 0;
    double d = 0;
    const char *s;

    ck_assert_msg(want != NULL, "%s: %s (%s) missing", file, fi->name, path);
    switch (type) {
    case UATS_FT_STRING:
        s = uats_get_string(obj, fi->id);
        ck_assert_msg(s != NULL && json_is_string(want) &&
                          strcmp(s, json_string_value(want)) == 0,
                      "%s: uats_get_string(%s) is %s", file, fi->name, s ? s : "NULL");
        break;
    case UATS_FT_BOOL:
        b = !json_is_true(want);
        ck_assert_msg(uats_get_bool(obj, fi->id, &b), "%s: uats_get_bool(%s)", file, fi->name);
        ck_assert_msg(json_is_boolean(want) && b == json_is_true(want), "%s: %s", file, fi->name);
        break;
    case UATS_FT_INT:
        ck_assert_msg(uats_get_int(obj, fi->id, &i), "%s: uats_get_int(%s)", file, fi->name);
        ck_assert_msg(json_is_integer(want) && i == (int64_t)json_integer_value(want),
                      "%s: %s is %lld", file, fi->name, (long long)i);
        break;
    case UATS_FT_NUMBER:
        ck_assert_msg(uats_get_number(obj, fi->id, &d), "%s: uats_get_number(%s)", file,
                      fi->name);
        ck_assert_msg(json_is_number(want) && d == json_number_value(want), "%s: %s is %g",
                      file, fi->name, d);
        break;
    case UATS_FT_STRINGS:
        ck_assert_msg(json_is_array(want) && json_array_size(want) > 0, "%s: %s", file,
                      fi->name);
        ck_assert_uint_eq(uats_list_count(obj, fi->id), json_array_size(want));
        for (size_t k = 0; k < json_array_size(want); k++) {
            s = uats_list_string(obj, fi->id, k);
            ck_assert_msg(s && strcmp(s, json_string_value(json_array_get(want, k))) == 0,
                          "%s: %s[%zu] is %s", file, fi->name, k, s ? s : "NULL");
        }
        ck_assert_ptr_null(uats_list_string(obj, fi->id, json_array_size(want)));
        break;
    case UATS_FT_TYPED:
        ck_assert_msg(json_is_array(want) && json_array_size(want) > 0, "%s: %s", file,
                      fi->name);
        ck_assert_uint_eq(uats_list_count(obj, fi->id), json_array_size(want));
        for (size_t k = 0; k < json_array_size(want); k++) {
            const json_t *entry = json_array_get(want, k);
            const char *tname = json_string_value(json_object_get(entry, "type"));
            s = NULL;
            int t = uats_list_typed(obj, fi->id, k, &s);
            ck_assert_msg(s && strcmp(s, json_string_value(json_object_get(entry, "value"))) == 0,
                          "%s: %s[%zu] value is %s", file, fi->name, k, s ? s : "NULL");
            if (tname) {
                ck_assert_msg(t > 0, "%s: %s[%zu] type %s read as %d", file, fi->name, k,
                              tname, t);
                ck_assert_pstr_eq(uats_type_name(fi->id, t), tname);
            } else {
                ck_assert_msg(t == 0, "%s: %s[%zu] has no type but reads as %d", file,
                              fi->name, k, t);
            }
        }
        break;
    case UATS_FT_JSON:
        assert_json_eq(uats_get_json(obj, fi->id), want, fi->name);
        break;
    default:
        ck_abort_msg("%s has type bits 0x%x, which no accessor serves", fi->name, type);
    }

    /* Every other accessor refuses the field and leaves *out alone. */
    if (type != UATS_FT_STRING)
        ck_assert_msg(uats_get_string(obj, fi->id) == NULL, "get_string(%s)", fi->name);
    if (type != UATS_FT_BOOL) {
        b = true;
        ck_assert_msg(!uats_get_bool(obj, fi->id, &b) && b, "get_bool(%s)", fi->name);
    }
    if (type != UATS_FT_INT) {
        i = 42;
        ck_assert_msg(!uats_get_int(obj, fi->id, &i) && i == 42, "get_int(%s)", fi->name);
    }
    if (type != UATS_FT_NUMBER) {
        d = 4.5;
        ck_assert_msg(!uats_get_number(obj, fi->id, &d) && d == 4.5, "get_number(%s)",
                      fi->name);
    }
    if (type != UATS_FT_STRINGS)
        ck_assert_msg(uats_list_string(obj, fi->id, 0) == NULL, "list_string(%s)", fi->name);
    if (type != UATS_FT_TYPED)
        ck_assert_msg(uats_list_typed(obj, fi->id, 0, NULL) == -1, "list_typed(%s)", fi->name);
    if (type != UATS_FT_STRINGS && type != UATS_FT_TYPED)
        ck_assert_msg(uats_list_count(obj, fi->id) == 0, "list_count(%s)", fi->name);
    if (type != UATS_FT_JSON)
        ck_assert_msg(uats_get_json(obj, fi->id) == NULL, "get_json(%s)", fi->name);
}

START_TEST(type_bits_agree_with_accessors)
{
    const fixture *fx = &fixtures[_i];
    const json_t *doc = fixture_json(fx->file);
    const uats_object *obj = fixture_object(fx);
    size_t checked = 0;
    for (size_t f = 0; f < NFIELDS; f++) {
        if (!uats_field_path(fx->kind, all_fields[f].id) || !uats_has(obj, all_fields[f].id))
            continue;
        check_field_type(obj, doc, &all_fields[f], fx->file);
        checked++;
    }
    ck_assert_uint_ge(checked, 4);  /* the smallest kind sets 4 per fixture */
}
END_TEST

/* Whether another field of kind lives under f's path (location, ...). */
static bool is_container(uats_kind kind, uats_field f)
{
    const char *p = uats_field_path(kind, f);
    size_t n = strlen(p);
    for (size_t g = 0; g < NFIELDS; g++) {
        const char *q = uats_field_path(kind, all_fields[g].id);
        if (q && strncmp(q, p, n) == 0 && q[n] == '.')
            return true;
    }
    return false;
}

/* Write the fixture's value of one field with the field's own setter. */
static void set_from_json(uats_object *obj, const field_info *fi, const json_t *v)
{
    uats_error err = {0};
    switch (fi->id & UATS_FT_MASK) {
    case UATS_FT_STRING:
        ASSERT_OK(uats_set_string(obj, fi->id, json_string_value(v), &err), err);
        break;
    case UATS_FT_BOOL:
        ASSERT_OK(uats_set_bool(obj, fi->id, json_is_true(v), &err), err);
        break;
    case UATS_FT_INT:
        ASSERT_OK(uats_set_int(obj, fi->id, (int64_t)json_integer_value(v), &err), err);
        break;
    case UATS_FT_NUMBER:
        ASSERT_OK(uats_set_number(obj, fi->id, json_number_value(v), &err), err);
        break;
    case UATS_FT_STRINGS:
        for (size_t k = 0; k < json_array_size(v); k++)
            ASSERT_OK(uats_list_add_string(obj, fi->id,
                                           json_string_value(json_array_get(v, k)), &err),
                      err);
        break;
    case UATS_FT_TYPED:
        for (size_t k = 0; k < json_array_size(v); k++) {
            const json_t *entry = json_array_get(v, k);
            const char *tname = json_string_value(json_object_get(entry, "type"));
            int t = tname ? uats_type_by_name(fi->id, tname) : 0;
            ck_assert_msg(t >= 0, "%s: unknown type %s", fi->name, tname);
            ASSERT_OK(uats_list_add_typed(obj, fi->id,
                                          json_string_value(json_object_get(entry, "value")),
                                          t, &err),
                      err);
        }
        break;
    case UATS_FT_JSON:
        ASSERT_OK(uats_set_json(obj, fi->id, v, &err), err);
        break;
    default:
        ck_abort_msg("%s: unknown type bits", fi->name);
    }
}

/* Build each fixture again with setters only: once from the leaf fields
 * (location.city, ...), once from the containers (location, ...). */
START_TEST(setters_rebuild_every_fixture)
{
    const fixture *fx = &fixtures[_i / 2];
    bool leaves = _i % 2 == 0;
    const json_t *doc = fixture_json(fx->file);
    uats_object *obj = new_obj(fx->kind);
    for (size_t f = 0; f < NFIELDS; f++) {
        const char *path = uats_field_path(fx->kind, all_fields[f].id);
        if (!path || !json_at(doc, path))
            continue;
        if (leaves ? is_container(fx->kind, all_fields[f].id) : strchr(path, '.') != NULL)
            continue;
        set_from_json(obj, &all_fields[f], json_at(doc, path));
    }
    /* uats_set_number writes a JSON real, also for a whole amount the
     * fixture gives as an integer (95000). */
    json_t *want = keepj(json_deep_copy(doc));
    for (size_t f = 0; leaves && f < NFIELDS; f++) {
        const char *path = uats_field_path(fx->kind, all_fields[f].id);
        const char *dot = path ? strrchr(path, '.') : NULL;
        const json_t *v = path ? json_at(want, path) : NULL;
        if ((all_fields[f].id & UATS_FT_MASK) != UATS_FT_NUMBER || !json_is_integer(v))
            continue;
        char parent[64];
        snprintf(parent, sizeof parent, "%.*s", dot ? (int)(dot - path) : 0, path);
        json_object_set_new((json_t *)(dot ? json_at(want, parent) : want),
                            dot ? dot + 1 : path, json_real(json_number_value(v)));
    }
    assert_json_eq(to_json(obj, UATS_JSON_REMOTE_DATA), want,
                   leaves ? "rebuilt from leaf fields" : "rebuilt from containers");
}
END_TEST

/* to_json lists keys in the documented (schema) order. */
START_TEST(output_keys_in_schema_order)
{
    static const char *const order[] = {
        "id", "remote_id", "first_name", "last_name", "company", "title", "locations",
        "is_private", "can_email", "email_addresses", "phone_numbers", "urls", "tags",
        "avatar", "custom_fields", "gender", "date_of_birth", "address", "location",
        "summary", "skills", "education", "experience", "certifications", "visa_statuses",
        "veteran_status", "disability_status", "races", "highest_education_level",
        "contact_consent", "is_internal", "is_anonymized", "salary_expectations",
        "availability_date", "applications", "attachments", "remote_created_at",
        "remote_updated_at", "last_interaction_at", "modified_at", "remote_data", NULL};
    json_t *out = to_json(fixture_object(&fixtures[0]), UATS_JSON_REMOTE_DATA);
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(out, key, v) {
        ck_assert_msg(order[n] != NULL, "extra key %s", key);
        ck_assert_str_eq(key, order[n]);
        n++;
    }
    ck_assert_ptr_null(order[n]);

    /* Whatever order the setters ran in. */
    uats_error err = {0};
    uats_object *c = new_obj(UATS_KIND_CANDIDATE);
    ASSERT_OK(uats_set_string(c, UATS_F_SALARY_PERIOD, "YEAR", &err), err);
    ASSERT_OK(uats_set_number(c, UATS_F_SALARY_AMOUNT, 10.5, &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_LAST_NAME, "Lovelace", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_FIRST_NAME, "Ada", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_ID, "c1", &err), err);
    char *text = keepu(uats_object_to_text(c, 0));
    ck_assert_pstr_eq(text, "{\"id\":\"c1\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                            "\"salary_expectations\":{\"amount\":10.5,\"period\":\"YEAR\"}}");
}
END_TEST

/* ========================================================================
 * accessors
 * ======================================================================== */

START_TEST(strings_top_level_and_nested)
{
    uats_error err = {0};
    uats_object *c = new_candidate();

    ck_assert(!uats_has(c, UATS_F_FIRST_NAME));
    ck_assert_ptr_null(uats_get_string(c, UATS_F_FIRST_NAME));
    ASSERT_OK(uats_set_string(c, UATS_F_FIRST_NAME, "Ada", &err), err);
    ck_assert(uats_has(c, UATS_F_FIRST_NAME));
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_FIRST_NAME), "Ada");
    ASSERT_OK(uats_set_string(c, UATS_F_FIRST_NAME, "Augusta Ada", &err), err);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_FIRST_NAME), "Augusta Ada");
    ASSERT_OK(uats_set_string(c, UATS_F_TITLE, "", &err), err);  /* empty is a value */
    ck_assert(uats_has(c, UATS_F_TITLE));
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_TITLE), "");

    /* Nested: the parent object appears with the first leaf. */
    ck_assert(!uats_has(c, UATS_F_LOCATION));
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_CITY, "Zürich – 李", &err), err);
    ck_assert(uats_has(c, UATS_F_LOCATION));
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_REGION, "ZH", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_COUNTRY, "CH", &err), err);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_LOCATION_COUNTRY), "CH");
    assert_json_eq(uats_get_json(c, UATS_F_LOCATION),
                   parse("{\"city\":\"Zürich – 李\",\"region\":\"ZH\",\"country\":\"CH\"}"),
                   "location");
    ASSERT_OK(uats_set_string(c, UATS_F_SALARY_CURRENCY, "EUR", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_SALARY_PERIOD, "HOUR", &err), err);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_SALARY_CURRENCY), "EUR");
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_SALARY_PERIOD), "HOUR");
    assert_json_eq(uats_get_json(c, UATS_F_SALARY_EXPECTATIONS),
                   parse("{\"currency\":\"EUR\",\"period\":\"HOUR\"}"), "salary");

    /* Formats that are valid. */
    static const char *const periods[] = {"YEAR", "MONTH", "WEEK", "DAY", "HOUR"};
    for (size_t i = 0; i < 5; i++) {
        ASSERT_OK(uats_set_string(c, UATS_F_SALARY_PERIOD, periods[i], &err), err);
        ck_assert_pstr_eq(uats_get_string(c, UATS_F_SALARY_PERIOD), periods[i]);
    }
    static const char *const consents[] = {"applied_only", "all", "country_only"};
    for (size_t i = 0; i < 3; i++) {
        ASSERT_OK(uats_set_string(c, UATS_F_CONTACT_CONSENT, consents[i], &err), err);
        ck_assert_pstr_eq(uats_get_string(c, UATS_F_CONTACT_CONSENT), consents[i]);
    }
    ASSERT_OK(uats_set_string(c, UATS_F_DATE_OF_BIRTH, "1815-12-10", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_AVAILABILITY_DATE, "2024-02-29", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_REMOTE_CREATED_AT, "2024-01-02T03:04:05Z", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_REMOTE_UPDATED_AT, "2024-01-02T03:04:05.123456789Z",
                              &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_LAST_INTERACTION_AT, "2000-02-29T23:59:59Z", &err),
              err);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_AVAILABILITY_DATE), "2024-02-29");
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_REMOTE_UPDATED_AT),
                      "2024-01-02T03:04:05.123456789Z");

    /* NULL unsets. */
    ASSERT_OK(uats_set_string(c, UATS_F_FIRST_NAME, NULL, &err), err);
    ck_assert(!uats_has(c, UATS_F_FIRST_NAME));
    ck_assert_ptr_null(uats_get_string(c, UATS_F_FIRST_NAME));

    /* Create input: application.* */
    uats_object *in = new_obj(UATS_KIND_CANDIDATE_INPUT);
    ASSERT_OK(uats_set_string(in, UATS_F_JOB_ID, "job-1", &err), err);
    assert_json_eq(uats_get_json(in, UATS_F_APPLICATION), parse("{\"job_id\":\"job-1\"}"),
                   "application");
    ASSERT_OK(uats_set_string(in, UATS_F_STAGE_ID, "stage-2", &err), err);
    ASSERT_OK(uats_set_string(in, UATS_F_APPLICATION_SOURCE, "lead", &err), err);
    ASSERT_OK(uats_set_string(in, UATS_F_APPLICATION_SOURCE, "applicant", &err), err);
    ASSERT_OK(uats_set_string(in, UATS_F_ACTING_USER, "user-9", &err), err);
    ck_assert_pstr_eq(uats_get_string(in, UATS_F_JOB_ID), "job-1");
    ck_assert_pstr_eq(uats_get_string(in, UATS_F_STAGE_ID), "stage-2");
    ck_assert_pstr_eq(uats_get_string(in, UATS_F_APPLICATION_SOURCE), "applicant");
    assert_json_eq(to_json(in, 0),
                   parse("{\"application\":{\"job_id\":\"job-1\",\"stage_id\":\"stage-2\","
                         "\"source\":\"applicant\"},\"acting_user\":\"user-9\"}"),
                   "input");

    /* Attachment: every type name. */
    uats_object *a = new_obj(UATS_KIND_ATTACHMENT);
    static const char *const types[] = {"RESUME", "COVER_LETTER", "OFFER_LETTER", "OTHER"};
    for (size_t i = 0; i < 4; i++) {
        ASSERT_OK(uats_set_string(a, UATS_F_ATTACHMENT_TYPE, types[i], &err), err);
        ck_assert_pstr_eq(uats_get_string(a, UATS_F_ATTACHMENT_TYPE), types[i]);
    }
    ASSERT_OK(uats_set_string(a, UATS_F_ID, "att-1", &err), err);
    ASSERT_OK(uats_set_string(a, UATS_F_CANDIDATE_ID, "cand-1", &err), err);
    ASSERT_OK(uats_set_string(a, UATS_F_FILE_URL, "https://files.example/x", &err), err);
    assert_json_eq(to_json(a, 0),
                   parse("{\"id\":\"att-1\",\"candidate_id\":\"cand-1\","
                         "\"file_url\":\"https://files.example/x\",\"type\":\"OTHER\"}"),
                   "attachment");
}
END_TEST

START_TEST(booleans)
{
    static const uats_field bools[] = {UATS_F_IS_PRIVATE, UATS_F_CAN_EMAIL,
                                       UATS_F_VETERAN_STATUS, UATS_F_DISABILITY_STATUS,
                                       UATS_F_IS_INTERNAL, UATS_F_IS_ANONYMIZED};
    uats_error err = {0};
    uats_object *c = new_candidate();
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
        const char *name = field_by_id(bools[i])->name;
        bool b = true;
        ck_assert_msg(!uats_get_bool(c, bools[i], &b) && b, "%s unset", name);
        b = false;
        ck_assert_msg(!uats_get_bool(c, bools[i], &b) && !b, "%s unset", name);
        ASSERT_OK(uats_set_bool(c, bools[i], true, &err), err);
        ck_assert_msg(uats_get_bool(c, bools[i], &b) && b, "%s true", name);
        ASSERT_OK(uats_set_bool(c, bools[i], false, &err), err);
        b = true;
        ck_assert_msg(uats_get_bool(c, bools[i], &b) && !b, "%s false", name);
        ck_assert_msg(uats_has(c, bools[i]), "false is a value: %s", name);
    }
    /* false is written out, not dropped. */
    assert_json_eq(to_json(c, 0),
                   parse("{\"id\":\"cand-1\",\"is_private\":false,\"can_email\":false,"
                         "\"veteran_status\":false,\"disability_status\":false,"
                         "\"is_internal\":false,\"is_anonymized\":false}"),
                   "booleans");
    ASSERT_OK(uats_unset(c, UATS_F_CAN_EMAIL), err);
    bool b = true;
    ck_assert(!uats_get_bool(c, UATS_F_CAN_EMAIL, &b) && b);
}
END_TEST

START_TEST(integers)
{
    uats_error err = {0};
    uats_object *a = new_obj(UATS_KIND_ATTACHMENT);
    ASSERT_OK(uats_set_string(a, UATS_F_ID, "att-1", &err), err);
    int64_t v = 77;
    ck_assert(!uats_get_int(a, UATS_F_SIZE, &v));
    ck_assert_int_eq(v, 77);
    static const int64_t values[] = {0, 1, 3221225472LL, INT64_MAX};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        ASSERT_OK(uats_set_int(a, UATS_F_SIZE, values[i], &err), err);
        v = -1;
        ck_assert(uats_get_int(a, UATS_F_SIZE, &v));
        ck_assert_int_eq(v, values[i]);
        const json_t *size = json_object_get(to_json(a, 0), "size");
        ck_assert(json_is_integer(size));
        ck_assert_int_eq(json_integer_value(size), values[i]);
    }
    ASSERT_OK(uats_unset(a, UATS_F_SIZE), err);
    ck_assert(!uats_has(a, UATS_F_SIZE));
}
END_TEST

START_TEST(numbers)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    double d = 9.75;
    ck_assert(!uats_get_number(c, UATS_F_SALARY_AMOUNT, &d));
    ck_assert_double_eq(d, 9.75);
    static const double values[] = {1234.5, 0.1, 0.0, -7.25, 1e300};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        ASSERT_OK(uats_set_number(c, UATS_F_SALARY_AMOUNT, values[i], &err), err);
        ck_assert(uats_get_number(c, UATS_F_SALARY_AMOUNT, &d));
        ck_assert_double_eq(d, values[i]);
    }
    ck_assert(uats_has(c, UATS_F_SALARY_EXPECTATIONS));
    const json_t *amount = json_at(to_json(c, 0), "salary_expectations.amount");
    ck_assert(json_is_number(amount));
    ck_assert_double_eq(json_number_value(amount), 1e300);

    /* A JSON integer is a number too. */
    uats_object *c2 = text_ok(UATS_KIND_CANDIDATE,
                              "{\"id\":\"c\",\"salary_expectations\":{\"amount\":95000}}");
    ck_assert(uats_get_number(c2, UATS_F_SALARY_AMOUNT, &d));
    ck_assert_double_eq(d, 95000.0);
}
END_TEST

START_TEST(string_lists)
{
    static const uats_field lists[] = {UATS_F_LOCATIONS, UATS_F_TAGS, UATS_F_APPLICATION_IDS,
                                       UATS_F_ATTACHMENT_IDS, UATS_F_SKILLS,
                                       UATS_F_VISA_STATUSES, UATS_F_RACES};
    static const char *const values[] = {"first", "", "ç ✓ 李"};
    uats_error err = {0};
    uats_object *c = new_candidate();
    json_t *want = keepj(json_object());
    json_object_set_new(want, "id", json_string("cand-1"));
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        const char *name = field_by_id(lists[l])->name;
        ck_assert_uint_eq(uats_list_count(c, lists[l]), 0);
        ck_assert_ptr_null(uats_list_string(c, lists[l], 0));
        json_t *arr = json_array();
        for (size_t i = 0; i < 3; i++) {
            ASSERT_OK(uats_list_add_string(c, lists[l], values[i], &err), err);
            json_array_append_new(arr, json_string(values[i]));
            ck_assert_msg(uats_list_count(c, lists[l]) == i + 1, "%s count", name);
        }
        for (size_t i = 0; i < 3; i++)
            ck_assert_pstr_eq(uats_list_string(c, lists[l], i), values[i]);
        ck_assert_ptr_null(uats_list_string(c, lists[l], 3));
        ck_assert_ptr_null(uats_list_string(c, lists[l], SIZE_MAX));
        json_object_set_new(want, uats_field_path(UATS_KIND_CANDIDATE, lists[l]), arr);
    }
    assert_json_eq(to_json(c, 0), want, "string lists");
    ck_assert_ptr_nonnull(json_object_get(want, "applications"));
    ck_assert_ptr_nonnull(json_object_get(want, "attachments"));

    /* NULL is not an entry. */
    uats_code rc = uats_list_add_string(c, UATS_F_TAGS, NULL, &err);
    expect_refused(rc, &err, "add NULL");
    ck_assert_uint_eq(uats_list_count(c, UATS_F_TAGS), 3);

    ASSERT_OK(uats_unset(c, UATS_F_TAGS), err);
    ck_assert_uint_eq(uats_list_count(c, UATS_F_TAGS), 0);
    ck_assert(!uats_has(c, UATS_F_TAGS));

    /* The create input has the profile lists too. */
    uats_object *in = new_obj(UATS_KIND_CANDIDATE_INPUT);
    ASSERT_OK(uats_list_add_string(in, UATS_F_SKILLS, "COBOL", &err), err);
    ck_assert_pstr_eq(uats_list_string(in, UATS_F_SKILLS, 0), "COBOL");
}
END_TEST

START_TEST(typed_lists)
{
    static const struct {
        uats_field field;
        int max;
    } lists[] = {{UATS_F_EMAIL_ADDRESSES, UATS_EMAIL_OTHER},
                 {UATS_F_PHONE_NUMBERS, UATS_PHONE_OTHER},
                 {UATS_F_URLS, UATS_URL_OTHER}};
    uats_error err = {0};
    for (size_t l = 0; l < 3; l++) {
        uats_field f = lists[l].field;
        const char *name = field_by_id(f)->name;
        uats_object *c = new_candidate();
        char value[32];
        /* Type 0 (not given) first, then every type. */
        for (int t = 0; t <= lists[l].max; t++) {
            snprintf(value, sizeof value, "value-%d", t);
            ASSERT_OK(uats_list_add_typed(c, f, value, t, &err), err);
        }
        ck_assert_uint_eq(uats_list_count(c, f), (size_t)lists[l].max + 1);
        for (int t = 0; t <= lists[l].max; t++) {
            const char *v = NULL;
            snprintf(value, sizeof value, "value-%d", t);
            ck_assert_msg(uats_list_typed(c, f, (size_t)t, &v) == t, "%s[%d]", name, t);
            ck_assert_pstr_eq(v, value);
            ck_assert_int_eq(uats_list_typed(c, f, (size_t)t, NULL), t);  /* value optional */
        }
        /* In JSON: type 0 is an entry without "type". */
        const json_t *arr = json_object_get(to_json(c, 0), uats_field_path(UATS_KIND_CANDIDATE, f));
        ck_assert_uint_eq(json_array_size(arr), (size_t)lists[l].max + 1);
        const json_t *untyped = json_array_get(arr, 0);
        ck_assert_uint_eq(json_object_size(untyped), 1);
        ck_assert_pstr_eq(json_string_value(json_object_get(untyped, "value")), "value-0");
        ck_assert_ptr_null(json_object_get(untyped, "type"));
        for (int t = 1; t <= lists[l].max; t++) {
            const json_t *entry = json_array_get(arr, (size_t)t);
            ck_assert_uint_eq(json_object_size(entry), 2);
            ck_assert_pstr_eq(json_string_value(json_object_get(entry, "type")),
                              uats_type_name(f, t));
        }
        /* And back: type 0 stays 0. */
        char *text = keepu(uats_object_to_text(c, 0));
        ck_assert_ptr_nonnull(text);
        uats_object *back = text_ok(UATS_KIND_CANDIDATE, text);
        const char *v = NULL;
        ck_assert_int_eq(uats_list_typed(back, f, 0, &v), 0);
        ck_assert_pstr_eq(v, "value-0");
        ck_assert_int_eq(uats_list_typed(back, f, (size_t)lists[l].max, &v), lists[l].max);
    }

    /* The documented example: a LinkedIn URL. */
    uats_object *c = new_candidate();
    ASSERT_OK(uats_list_add_typed(c, UATS_F_URLS, "https://www.linkedin.com/in/ada",
                                  UATS_URL_LINKEDIN, &err), err);
    ASSERT_OK(uats_list_add_typed(c, UATS_F_EMAIL_ADDRESSES, "ada@example.com",
                                  UATS_EMAIL_WORK, &err), err);
    ASSERT_OK(uats_list_add_typed(c, UATS_F_PHONE_NUMBERS, "ada.l", UATS_PHONE_SKYPE, &err),
              err);
    assert_json_eq(to_json(c, 0),
                   parse("{\"id\":\"cand-1\","
                         "\"email_addresses\":[{\"value\":\"ada@example.com\",\"type\":\"WORK\"}],"
                         "\"phone_numbers\":[{\"value\":\"ada.l\",\"type\":\"SKYPE\"}],"
                         "\"urls\":[{\"value\":\"https://www.linkedin.com/in/ada\","
                         "\"type\":\"LINKEDIN\"}]}"),
                   "typed example");
    expect_refused(uats_list_add_typed(c, UATS_F_URLS, NULL, UATS_URL_BLOG, &err), &err,
                   "NULL value");
    ck_assert_uint_eq(uats_list_count(c, UATS_F_URLS), 1);
}
END_TEST

START_TEST(json_fields)
{
    uats_error err = {0};
    uats_object *c = new_candidate();

    /* address: a string or an object. */
    json_t *addr = parse("\"1 Main St, Springfield\"");
    ASSERT_OK(uats_set_json(c, UATS_F_ADDRESS, addr, &err), err);
    assert_json_eq(uats_get_json(c, UATS_F_ADDRESS), addr, "address string");
    addr = parse("{\"street\":\"1 Main St\",\"city\":\"Springfield\",\"region\":\"IL\","
                 "\"postal_code\":\"62701\",\"country\":\"US\"}");
    ASSERT_OK(uats_set_json(c, UATS_F_ADDRESS, addr, &err), err);
    assert_json_eq(uats_get_json(c, UATS_F_ADDRESS), addr, "address object");

    /* The value is copied: changing it afterwards changes nothing. */
    json_object_set_new(addr, "city", json_string("Shelbyville"));
    ck_assert_pstr_eq(json_string_value(json_object_get(uats_get_json(c, UATS_F_ADDRESS), "city")),
                      "Springfield");

    /* A container and its leaves are two views of one value. */
    json_t *loc = parse("{\"city\":\"Berlin\",\"country\":\"DE\"}");
    ASSERT_OK(uats_set_json(c, UATS_F_LOCATION, loc, &err), err);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_LOCATION_CITY), "Berlin");
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_LOCATION_COUNTRY), "DE");
    ck_assert(!uats_has(c, UATS_F_LOCATION_REGION));
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_CITY, "Hamburg", &err), err);
    assert_json_eq(uats_get_json(c, UATS_F_LOCATION),
                   parse("{\"city\":\"Hamburg\",\"country\":\"DE\"}"), "location");
    json_t *salary = parse("{\"amount\":5.5,\"currency\":\"JPY\",\"period\":\"DAY\"}");
    ASSERT_OK(uats_set_json(c, UATS_F_SALARY_EXPECTATIONS, salary, &err), err);
    double d = 0;
    ck_assert(uats_get_number(c, UATS_F_SALARY_AMOUNT, &d));
    ck_assert_double_eq(d, 5.5);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_SALARY_CURRENCY), "JPY");

    /* Lists of objects. */
    json_t *edu = parse("[{\"school\":\"MIT\",\"start_date\":\"2001-09-01\",\"is_current\":true},"
                        "{\"degree\":\"BSc\"}]");
    json_t *work = parse("[{\"company\":\"ACME\",\"is_internal\":false}]");
    json_t *certs = parse("[{\"name\":\"CKA\",\"expires_on\":\"2027-01-31\"}]");
    ASSERT_OK(uats_set_json(c, UATS_F_EDUCATION, edu, &err), err);
    ASSERT_OK(uats_set_json(c, UATS_F_EXPERIENCE, work, &err), err);
    ASSERT_OK(uats_set_json(c, UATS_F_CERTIFICATIONS, certs, &err), err);
    assert_json_eq(uats_get_json(c, UATS_F_EDUCATION), edu, "education");
    assert_json_eq(uats_get_json(c, UATS_F_EXPERIENCE), work, "experience");
    assert_json_eq(uats_get_json(c, UATS_F_CERTIFICATIONS), certs, "certifications");

    /* A refused value leaves the old one. */
    uats_code rc = uats_set_json(c, UATS_F_EDUCATION, parse("[{\"school\":1}]"), &err);
    expect_invalid_at(rc, &err, "education[0].school", "set_json bad education");
    assert_json_eq(uats_get_json(c, UATS_F_EDUCATION), edu, "education kept");
    rc = uats_set_json(c, UATS_F_CERTIFICATIONS, parse("[{\"issuer\":\"x\"}]"), &err);
    expect_invalid_at(rc, &err, "certifications[0].name", "set_json certification without name");
    rc = uats_set_json(c, UATS_F_LOCATION, parse("\"Berlin\""), &err);
    expect_invalid_at(rc, &err, "location", "set_json location string");

    /* NULL and JSON null unset. */
    ASSERT_OK(uats_set_json(c, UATS_F_ADDRESS, NULL, &err), err);
    ck_assert(!uats_has(c, UATS_F_ADDRESS));
    ck_assert_ptr_null(uats_get_json(c, UATS_F_ADDRESS));
    ASSERT_OK(uats_set_json(c, UATS_F_LOCATION, json_null(), &err), err);
    ck_assert(!uats_has(c, UATS_F_LOCATION));
    ck_assert(!uats_has(c, UATS_F_LOCATION_CITY));
    ck_assert_ptr_null(uats_get_string(c, UATS_F_LOCATION_CITY));

    /* Create input: application and its lists. */
    uats_object *in = new_obj(UATS_KIND_CANDIDATE_INPUT);
    json_t *answers = parse("[{\"question_id\":\"q1\",\"answer\":\"Yes\"},"
                            "{\"question_id\":\"q2\",\"answer\":[\"a\",\"b\"]}]");
    json_t *forms = parse("[{\"name\":\"n\",\"value\":{\"any\":[1,null]},\"group_id\":\"g\"},"
                          "{\"name\":\"m\",\"value\":false}]");
    ASSERT_OK(uats_set_json(in, UATS_F_SCREENING_ANSWERS, answers, &err), err);
    ASSERT_OK(uats_set_json(in, UATS_F_FORM_ANSWERS, forms, &err), err);
    ASSERT_OK(uats_set_string(in, UATS_F_JOB_ID, "job-7", &err), err);
    assert_json_eq(uats_get_json(in, UATS_F_SCREENING_ANSWERS), answers, "screening");
    assert_json_eq(uats_get_json(in, UATS_F_FORM_ANSWERS), forms, "forms");
    const json_t *app = uats_get_json(in, UATS_F_APPLICATION);
    ck_assert_uint_eq(json_object_size(app), 3);
    assert_json_eq(json_object_get(app, "screening_answers"), answers, "application view");

    json_t *whole = parse("{\"job_id\":\"j\",\"stage_id\":\"s\",\"source\":\"lead\"}");
    ASSERT_OK(uats_set_json(in, UATS_F_APPLICATION, whole, &err), err);
    ck_assert_pstr_eq(uats_get_string(in, UATS_F_STAGE_ID), "s");
    ck_assert_ptr_null(uats_get_json(in, UATS_F_SCREENING_ANSWERS));
    ASSERT_OK(uats_set_json(in, UATS_F_APPLICATION, NULL, &err), err);
    ck_assert(!uats_has(in, UATS_F_JOB_ID));

    json_t *atts = parse("[{\"file_name\":\"a.txt\",\"url\":\"https://x.example/a\"},"
                         "{\"file_name\":\"b.txt\",\"data\":\"Yg==\",\"type\":\"OTHER\"}]");
    ASSERT_OK(uats_set_json(in, UATS_F_ATTACHMENTS, atts, &err), err);
    assert_json_eq(uats_get_json(in, UATS_F_ATTACHMENTS), atts, "attachments");
}
END_TEST

static void check_data(uats_object *a, const void *bytes, size_t len, const char *b64)
{
    uats_error err = {0};
    ASSERT_OK(uats_set_data(a, bytes, len, &err), err);
    ck_assert_pstr_eq(uats_get_string(a, UATS_F_DATA), b64);
    void *out = NULL;
    size_t out_len = 12345;
    uats_code rc = uats_get_data(a, &out, &out_len, &err);
    keepu(out);
    ASSERT_OK(rc, err);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(out_len, len);
    if (len)
        ck_assert_mem_eq(out, bytes, len);
}

START_TEST(binary_data)
{
    uats_error err = {0};
    uats_object *a = new_obj(UATS_KIND_ATTACHMENT_INPUT);

    /* RFC 4648 section 10: every padding case. */
    check_data(a, "", 0, "");
    check_data(a, "f", 1, "Zg==");
    check_data(a, "fo", 2, "Zm8=");
    check_data(a, "foo", 3, "Zm9v");
    check_data(a, "foob", 4, "Zm9vYg==");
    check_data(a, "fooba", 5, "Zm9vYmE=");
    check_data(a, "foobar", 6, "Zm9vYmFy");
    /* NUL bytes in every position, and 1/2/3 byte lengths of them. */
    check_data(a, "\0", 1, "AA==");
    check_data(a, "\0\0", 2, "AAA=");
    check_data(a, "\0\0\0", 3, "AAAA");
    static const unsigned char bin[] = {0x00, 0x01, 0xff, 0x00};
    check_data(a, bin, sizeof bin, "AAH/AA==");
    check_data(a, NULL, 0, "");

    /* set_data replaces a url. */
    ASSERT_OK(uats_set_string(a, UATS_F_URL, "https://files.example/x", &err), err);
    ck_assert(uats_has(a, UATS_F_URL));
    ASSERT_OK(uats_set_data(a, "x", 1, &err), err);
    ck_assert(!uats_has(a, UATS_F_URL));
    ck_assert_pstr_eq(uats_get_string(a, UATS_F_DATA), "eA==");

    /* NULL bytes with a length are refused and change nothing. */
    expect_refused(uats_set_data(a, NULL, 3, &err), &err, "NULL bytes");
    ck_assert_pstr_eq(uats_get_string(a, UATS_F_DATA), "eA==");

    /* Unset: refused, outputs reset. */
    ASSERT_OK(uats_unset(a, UATS_F_DATA), err);
    void *out = (void *)&err;
    size_t out_len = 99;
    expect_refused(uats_get_data(a, &out, &out_len, &err), &err, "get_data unset");
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(out_len, 0);

    /* Only attachment inputs carry data. */
    expect_refused(uats_set_data(new_candidate(), "x", 1, &err), &err, "candidate");
    expect_refused(uats_set_data(new_obj(UATS_KIND_ATTACHMENT), "x", 1, &err), &err,
                   "attachment");
    expect_refused(uats_set_data(new_obj(UATS_KIND_CANDIDATE_INPUT), "x", 1, &err), &err,
                   "input");

    /* The fixture's data decodes to its bytes. */
    uats_object *fx = fixture_object(&fixtures[3]);
    out = NULL;
    uats_code rc = uats_get_data(fx, &out, &out_len, &err);
    keepu(out);
    ASSERT_OK(rc, err);
    ck_assert_uint_eq(out_len, 15);
    ck_assert_mem_eq(out, "PK\x03\x04\0\0\x08\0uats\0\xff\xfe", 15);
}
END_TEST

/* All lengths, checked against a reference encoder. */
static void reference_base64(const unsigned char *in, size_t len, char *out)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len) v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len) v |= in[i + 2];
        out[o++] = abc[v >> 18];
        out[o++] = abc[(v >> 12) & 63];
        out[o++] = i + 1 < len ? abc[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? abc[v & 63] : '=';
    }
    out[o] = '\0';
}

START_TEST(binary_data_every_length)
{
    uats_object *a = new_obj(UATS_KIND_ATTACHMENT_INPUT);
    unsigned char bytes[300];
    char b64[404];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7 + (i % 3 == 0 ? 0 : 128));
    for (size_t len = 0; len <= sizeof bytes; len++) {
        reference_base64(bytes, len, b64);
        check_data(a, bytes, len, b64);
    }
}
END_TEST

START_TEST(attachment_inputs_are_taken)
{
    uats_error err = {0};
    uats_object *in = new_obj(UATS_KIND_CANDIDATE_INPUT);

    uats_object *a1 = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);  /* given away below */
    ck_assert_ptr_nonnull(a1);
    ck_assert_int_eq(uats_set_string(a1, UATS_F_FILE_NAME, "cv.pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(a1, UATS_F_CONTENT_TYPE, "application/pdf", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(a1, UATS_F_ATTACHMENT_TYPE, "RESUME", &err), UATS_OK);
    ck_assert_int_eq(uats_set_data(a1, "%PDF", 4, &err), UATS_OK);
    ASSERT_OK(uats_add_attachment_input(in, a1, &err), err);

    uats_object *a2 = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_ptr_nonnull(a2);
    ck_assert_int_eq(uats_set_string(a2, UATS_F_FILE_NAME, "letter.txt", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(a2, UATS_F_URL, "https://files.example/l", &err), UATS_OK);
    ASSERT_OK(uats_add_attachment_input(in, a2, &err), err);

    json_t *want = parse("[{\"file_name\":\"cv.pdf\",\"content_type\":\"application/pdf\","
                         "\"type\":\"RESUME\",\"data\":\"JVBERg==\"},"
                         "{\"file_name\":\"letter.txt\",\"url\":\"https://files.example/l\"}]");
    assert_json_eq(uats_get_json(in, UATS_F_ATTACHMENTS), want, "attachments");

    /* Failures: the attachment is still taken (valgrind sees a leak or a
     * double free otherwise), and the list is unchanged. */
    uats_object *a3 = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_ptr_nonnull(a3);
    ck_assert_int_eq(uats_set_string(a3, UATS_F_FILE_NAME, "nothing.bin", &err), UATS_OK);
    uats_code rc = uats_add_attachment_input(in, a3, &err);
    expect_invalid_at(rc, &err, "attachments[2]", "neither data nor url");

    uats_object *a4 = uats_object_new(UATS_KIND_CANDIDATE);
    ck_assert_ptr_nonnull(a4);
    expect_refused(uats_add_attachment_input(in, a4, &err), &err, "wrong kind");
    expect_refused(uats_add_attachment_input(in, NULL, &err), &err, "NULL attachment");

    uats_object *cand = new_candidate();
    uats_object *a5 = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_ptr_nonnull(a5);
    ck_assert_int_eq(uats_set_string(a5, UATS_F_FILE_NAME, "x", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(a5, UATS_F_URL, "https://x.example", &err), UATS_OK);
    expect_refused(uats_add_attachment_input(cand, a5, &err), &err, "into a candidate");
    ck_assert(!uats_has(cand, UATS_F_ATTACHMENT_IDS));

    uats_object *a6 = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    ck_assert_ptr_nonnull(a6);
    expect_refused(uats_add_attachment_input(NULL, a6, &err), &err, "into NULL");

    assert_json_eq(uats_get_json(in, UATS_F_ATTACHMENTS), want, "unchanged by failures");
    assert_json_eq(to_json(in, 0), keepj(json_pack("{s:O}", "attachments", want)), "input");
}
END_TEST

START_TEST(unset_removes_empty_parents)
{
    uats_error err = {0};
    uats_object *c = new_candidate();

    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_CITY, "Paris", &err), err);
    ASSERT_OK(uats_unset(c, UATS_F_LOCATION_CITY), err);
    ck_assert(!uats_has(c, UATS_F_LOCATION));
    ck_assert_ptr_null(json_object_get(to_json(c, 0), "location"));

    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_CITY, "Paris", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_COUNTRY, "FR", &err), err);
    ASSERT_OK(uats_unset(c, UATS_F_LOCATION_CITY), err);
    assert_json_eq(uats_get_json(c, UATS_F_LOCATION), parse("{\"country\":\"FR\"}"),
                   "location keeps country");
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_COUNTRY, NULL, &err), err);
    ck_assert(!uats_has(c, UATS_F_LOCATION));

    ASSERT_OK(uats_set_number(c, UATS_F_SALARY_AMOUNT, 1, &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_SALARY_CURRENCY, "CHF", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_SALARY_PERIOD, "WEEK", &err), err);
    ASSERT_OK(uats_unset(c, UATS_F_SALARY_PERIOD), err);
    ASSERT_OK(uats_unset(c, UATS_F_SALARY_AMOUNT), err);
    ck_assert(uats_has(c, UATS_F_SALARY_EXPECTATIONS));
    ASSERT_OK(uats_unset(c, UATS_F_SALARY_CURRENCY), err);
    ck_assert(!uats_has(c, UATS_F_SALARY_EXPECTATIONS));

    /* Unsetting a container takes its leaves. */
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_REGION, "IDF", &err), err);
    ASSERT_OK(uats_unset(c, UATS_F_LOCATION), err);
    ck_assert(!uats_has(c, UATS_F_LOCATION_REGION));

    /* Unsetting what is not set is fine. */
    ASSERT_OK(uats_unset(c, UATS_F_SUMMARY), err);
    ASSERT_OK(uats_unset(c, UATS_F_LOCATION_CITY), err);
    ck_assert(!uats_has(c, UATS_F_LOCATION));
    assert_json_eq(to_json(c, 0), parse("{\"id\":\"cand-1\"}"), "all gone");

    /* application.* in the create input. */
    uats_object *in = new_obj(UATS_KIND_CANDIDATE_INPUT);
    ASSERT_OK(uats_set_string(in, UATS_F_JOB_ID, "j", &err), err);
    ASSERT_OK(uats_unset(in, UATS_F_JOB_ID), err);
    ck_assert(!uats_has(in, UATS_F_APPLICATION));
    ASSERT_OK(uats_set_string(in, UATS_F_JOB_ID, "j", &err), err);
    ASSERT_OK(uats_set_json(in, UATS_F_SCREENING_ANSWERS,
                            parse("[{\"question_id\":\"q\",\"answer\":\"a\"}]"), &err), err);
    ASSERT_OK(uats_unset(in, UATS_F_JOB_ID), err);
    ck_assert(uats_has(in, UATS_F_APPLICATION));
    ASSERT_OK(uats_set_json(in, UATS_F_SCREENING_ANSWERS, NULL, &err), err);
    ck_assert(!uats_has(in, UATS_F_APPLICATION));

    /* Every field of the full fixture unsets, leaving nothing. */
    uats_object *full = fixture_object(&fixtures[0]);
    for (size_t f = 0; f < NFIELDS; f++) {
        if (!uats_field_path(UATS_KIND_CANDIDATE, all_fields[f].id) ||
            all_fields[f].id == UATS_F_ID)
            continue;
        ASSERT_OK(uats_unset(full, all_fields[f].id), err);
        ck_assert_msg(!uats_has(full, all_fields[f].id), "%s still set", all_fields[f].name);
    }
    assert_json_eq(to_json(full, UATS_JSON_REMOTE_DATA), parse("{\"id\":\"cand-1001\"}"),
                   "everything unset");

    /* A field the kind lacks cannot be unset. */
    ck_assert_int_eq(uats_unset(c, UATS_F_JOB_ID), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_unset(c, UATS_F_SIZE), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_unset(in, UATS_F_REMOTE_DATA), UATS_E_INVALID_INPUT);
}
END_TEST

START_TEST(dup_is_independent)
{
    uats_error err = {0};
    const json_t *doc = fixture_json(fixtures[0].file);
    uats_object *orig = keep(uats_object_dup(fixture_object(&fixtures[0])));
    ck_assert_ptr_nonnull(orig);

    uats_object *copy = keep(uats_object_dup(orig));
    ck_assert_ptr_nonnull(copy);
    ck_assert_int_eq(uats_object_kind(copy), UATS_KIND_CANDIDATE);
    assert_json_eq(to_json(copy, UATS_JSON_REMOTE_DATA), doc, "dup");

    ASSERT_OK(uats_set_string(copy, UATS_F_FIRST_NAME, "Copy", &err), err);
    ASSERT_OK(uats_list_add_string(copy, UATS_F_TAGS, "copied", &err), err);
    ASSERT_OK(uats_unset(copy, UATS_F_LOCATION), err);
    ASSERT_OK(uats_set_json(copy, UATS_F_CUSTOM_FIELDS, parse("{}"), &err), err);
    ASSERT_OK(uats_set_string(orig, UATS_F_LAST_NAME, "Original", &err), err);

    json_t *want = keepj(json_deep_copy(doc));
    json_object_set_new(want, "last_name", json_string("Original"));
    json_t *orig_json = keepj(uats_object_to_json(orig, UATS_JSON_REMOTE_DATA));
    release(orig);  /* the copy must not depend on it */
    assert_json_eq(orig_json, want, "original after changes to the copy");

    ck_assert_pstr_eq(uats_get_string(copy, UATS_F_FIRST_NAME), "Copy");
    ck_assert_pstr_eq(uats_get_string(copy, UATS_F_LAST_NAME), "Lovelace-Byron");
    ck_assert_uint_eq(uats_list_count(copy, UATS_F_TAGS), 4);
    ck_assert(!uats_has(copy, UATS_F_LOCATION));
    ck_assert_uint_eq(json_object_size(uats_get_json(copy, UATS_F_CUSTOM_FIELDS)), 0);
    assert_json_eq(uats_get_json(copy, UATS_F_REMOTE_DATA), json_object_get(doc, "remote_data"),
                   "remote_data of the copy");

    /* Every kind. */
    for (int x = 1; x < NFIXTURES; x++) {
        uats_object *d = keep(uats_object_dup(fixture_object(&fixtures[x])));
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(uats_object_kind(d), fixtures[x].kind);
        assert_json_eq(to_json(d, UATS_JSON_REMOTE_DATA), fixture_json(fixtures[x].file),
                       fixtures[x].file);
    }
    /* An empty object too. */
    uats_object *e = keep(uats_object_dup(new_obj(UATS_KIND_ATTACHMENT_INPUT)));
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(uats_object_kind(e), UATS_KIND_ATTACHMENT_INPUT);
}
END_TEST

START_TEST(to_text_matches_to_json)
{
    static const unsigned flags[] = {0, UATS_JSON_REMOTE_DATA};
    for (int x = 0; x < NFIXTURES; x++) {
        uats_object *obj = fixture_object(&fixtures[x]);
        for (size_t f = 0; f < 2; f++) {
            json_t *j = to_json(obj, flags[f]);
            char *text = keepu(uats_object_to_text(obj, flags[f]));
            ck_assert_msg(text != NULL, "%s: to_text NULL", fixtures[x].file);
            char *dumped = keepc(json_dumps(j, JSON_COMPACT));
            ck_assert_ptr_nonnull(dumped);
            ck_assert_str_eq(text, dumped);
            json_error_t jerr;
            json_t *back = keepj(json_loads(text, JSON_REJECT_DUPLICATES, &jerr));
            ck_assert_msg(back != NULL, "to_text is not JSON: %s", jerr.text);
            assert_json_eq(back, j, fixtures[x].file);
            ck_assert_msg(strchr(text, '\n') == NULL, "to_text is not compact");
            ck_assert_msg((strstr(text, "\"remote_data\"") != NULL) ==
                              (flags[f] && uats_field_path(fixtures[x].kind,
                                                           UATS_F_REMOTE_DATA)),
                          "%s: remote_data with flags %u", fixtures[x].file, flags[f]);
        }
    }
}
END_TEST

/* The documented promise: to_json fails only when memory runs out. An
 * object being built with setters is not complete yet, and must still be
 * writable (for logs, for debugging, for uats_object_to_text). */
START_TEST(to_json_of_objects_being_built)
{
    uats_error err = {0};
    uats_object *c = new_obj(UATS_KIND_CANDIDATE);
    json_t *j = keepj(uats_object_to_json(c, 0));
    ck_assert_msg(j != NULL, "to_json of an empty candidate is NULL");
    assert_json_eq(j, parse("{}"), "empty candidate");

    ASSERT_OK(uats_set_string(c, UATS_F_FIRST_NAME, "Ada", &err), err);
    j = keepj(uats_object_to_json(c, 0));
    ck_assert_msg(j != NULL, "to_json of a candidate without id is NULL");
    assert_json_eq(j, parse("{\"first_name\":\"Ada\"}"), "candidate without id");
    char *text = keepu(uats_object_to_text(c, 0));
    ck_assert_pstr_eq(text, "{\"first_name\":\"Ada\"}");

    uats_object *a = new_obj(UATS_KIND_ATTACHMENT_INPUT);
    ASSERT_OK(uats_set_string(a, UATS_F_FILE_NAME, "cv.pdf", &err), err);
    j = keepj(uats_object_to_json(a, 0));
    ck_assert_msg(j != NULL, "to_json of an attachment input without data or url is NULL");
    assert_json_eq(j, parse("{\"file_name\":\"cv.pdf\"}"), "attachment input");

    uats_object *att = new_obj(UATS_KIND_ATTACHMENT);
    ASSERT_OK(uats_set_int(att, UATS_F_SIZE, 10, &err), err);
    j = keepj(uats_object_to_json(att, 0));
    ck_assert_msg(j != NULL, "to_json of an attachment without id is NULL");
}
END_TEST

/* ========================================================================
 * safety
 * ======================================================================== */

START_TEST(wrong_accessor_type_is_refused)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    ASSERT_OK(uats_set_string(c, UATS_F_FIRST_NAME, "Ada", &err), err);
    ASSERT_OK(uats_set_bool(c, UATS_F_IS_PRIVATE, true, &err), err);
    ASSERT_OK(uats_set_number(c, UATS_F_SALARY_AMOUNT, 2.5, &err), err);
    ASSERT_OK(uats_list_add_string(c, UATS_F_TAGS, "t", &err), err);
    ASSERT_OK(uats_list_add_typed(c, UATS_F_EMAIL_ADDRESSES, "a@b.example", 0, &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_LOCATION_CITY, "Rome", &err), err);
    json_t *before = keepj(json_deep_copy(to_json(c, 0)));

    /* STRING accessor, BOOL field. */
    ck_assert_ptr_null(uats_get_string(c, UATS_F_IS_PRIVATE));
    expect_refused(uats_set_string(c, UATS_F_IS_PRIVATE, "true", &err), &err,
                   "set_string(IS_PRIVATE)");
    expect_refused(uats_set_string(c, UATS_F_IS_PRIVATE, NULL, &err), &err,
                   "set_string(IS_PRIVATE, NULL)");
    /* BOOL accessor, STRING field. */
    bool b = false;
    ck_assert(!uats_get_bool(c, UATS_F_FIRST_NAME, &b));
    ck_assert(!b);
    expect_refused(uats_set_bool(c, UATS_F_FIRST_NAME, true, &err), &err, "set_bool");
    /* INT and NUMBER swapped. */
    int64_t i = 5;
    ck_assert(!uats_get_int(c, UATS_F_SALARY_AMOUNT, &i));
    ck_assert_int_eq(i, 5);
    expect_refused(uats_set_int(c, UATS_F_SALARY_AMOUNT, 5, &err), &err, "set_int(amount)");
    uats_object *a = new_obj(UATS_KIND_ATTACHMENT);
    expect_refused(uats_set_number(a, UATS_F_SIZE, 1.0, &err), &err, "set_number(SIZE)");
    expect_refused(uats_set_string(a, UATS_F_SIZE, "1", &err), &err, "set_string(SIZE)");
    /* Lists. */
    expect_refused(uats_list_add_string(c, UATS_F_EMAIL_ADDRESSES, "x", &err), &err,
                   "add_string(EMAILS)");
    expect_refused(uats_list_add_typed(c, UATS_F_TAGS, "x", 0, &err), &err, "add_typed(TAGS)");
    expect_refused(uats_list_add_string(c, UATS_F_FIRST_NAME, "x", &err), &err,
                   "add_string(FIRST_NAME)");
    expect_refused(uats_set_string(c, UATS_F_TAGS, "x", &err), &err, "set_string(TAGS)");
    ck_assert_ptr_null(uats_list_string(c, UATS_F_EMAIL_ADDRESSES, 0));
    ck_assert_int_eq(uats_list_typed(c, UATS_F_TAGS, 0, NULL), -1);
    ck_assert_uint_eq(uats_list_count(c, UATS_F_FIRST_NAME), 0);
    /* JSON. */
    expect_refused(uats_set_json(c, UATS_F_FIRST_NAME, parse("\"x\""), &err), &err,
                   "set_json(FIRST_NAME)");
    expect_refused(uats_set_json(c, UATS_F_TAGS, parse("[\"x\"]"), &err), &err,
                   "set_json(TAGS)");
    ck_assert_ptr_null(uats_get_json(c, UATS_F_FIRST_NAME));
    ck_assert_ptr_null(uats_get_json(c, UATS_F_TAGS));
    ck_assert_ptr_null(uats_get_string(c, UATS_F_LOCATION));
    expect_refused(uats_set_string(c, UATS_F_LOCATION, "Rome", &err), &err,
                   "set_string(LOCATION)");
    /* Ids that are no field: right number, wrong type bits; no type bits. */
    uats_field forged = (uats_field)(UATS_FT_BOOL | (UATS_F_FIRST_NAME & ~UATS_FT_MASK));
    ck_assert(!uats_has(c, forged));
    ck_assert(!uats_get_bool(c, forged, &b));
    expect_refused(uats_set_bool(c, forged, true, &err), &err, "forged id");
    ck_assert(!uats_has(c, (uats_field)0));
    ck_assert_ptr_null(uats_get_string(c, (uats_field)0));
    ck_assert_ptr_null(uats_get_string(c, (uats_field)(UATS_F_FIRST_NAME & ~UATS_FT_MASK)));
    ck_assert_int_eq(uats_unset(c, (uats_field)0), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_unset(c, (uats_field)0x8001), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_unset(c, (uats_field)(UATS_FT_STRING + 0xfff)), UATS_E_INVALID_INPUT);

    assert_json_eq(to_json(c, 0), before, "nothing changed");
}
END_TEST

START_TEST(fields_of_other_kinds_are_refused)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    uats_object *in = new_obj(UATS_KIND_CANDIDATE_INPUT);
    uats_object *a = new_obj(UATS_KIND_ATTACHMENT);
    uats_object *ai = new_obj(UATS_KIND_ATTACHMENT_INPUT);
    int64_t i = 0;

    /* Candidate: no create-input or attachment fields. */
    ck_assert_ptr_null(uats_get_string(c, UATS_F_JOB_ID));
    expect_refused(uats_set_string(c, UATS_F_JOB_ID, "job-1", &err), &err, "JOB_ID on candidate");
    ck_assert(!uats_has(c, UATS_F_JOB_ID));
    ck_assert_int_eq(uats_unset(c, UATS_F_JOB_ID), UATS_E_INVALID_INPUT);
    expect_refused(uats_set_string(c, UATS_F_ACTING_USER, "u", &err), &err, "ACTING_USER");
    expect_refused(uats_set_int(c, UATS_F_SIZE, 1, &err), &err, "SIZE on candidate");
    ck_assert(!uats_get_int(c, UATS_F_SIZE, &i));
    expect_refused(uats_set_json(c, UATS_F_REMOTE_FIELDS, parse("{}"), &err), &err,
                   "REMOTE_FIELDS on candidate");
    expect_refused(uats_set_json(c, UATS_F_APPLICATION, parse("{}"), &err), &err,
                   "APPLICATION on candidate");
    expect_refused(uats_set_json(c, UATS_F_ATTACHMENTS, parse("[]"), &err), &err,
                   "ATTACHMENTS on candidate");
    expect_refused(uats_set_string(c, UATS_F_FILE_NAME, "f", &err), &err, "FILE_NAME");
    expect_refused(uats_set_string(c, UATS_F_URL, "https://x", &err), &err, "URL");
    assert_json_eq(to_json(c, UATS_JSON_REMOTE_DATA), parse("{\"id\":\"cand-1\"}"),
                   "candidate unchanged");

    /* Create input: no result-only fields. */
    expect_refused(uats_set_json(in, UATS_F_REMOTE_DATA, parse("{}"), &err), &err,
                   "REMOTE_DATA on input");
    expect_refused(uats_set_string(in, UATS_F_REMOTE_ID, "r", &err), &err, "REMOTE_ID on input");
    expect_refused(uats_set_string(in, UATS_F_MODIFIED_AT, "2024-01-01T00:00:00Z", &err), &err,
                   "MODIFIED_AT on input");
    expect_refused(uats_list_add_string(in, UATS_F_ATTACHMENT_IDS, "a", &err), &err,
                   "ATTACHMENT_IDS on input");
    expect_refused(uats_list_add_string(in, UATS_F_APPLICATION_IDS, "a", &err), &err,
                   "APPLICATION_IDS on input");
    ck_assert_uint_eq(json_object_size(to_json(in, 0)), 0);

    /* Attachment: no candidate fields, no input content. */
    expect_refused(uats_set_string(a, UATS_F_FIRST_NAME, "Ada", &err), &err, "FIRST_NAME");
    expect_refused(uats_set_string(a, UATS_F_DATA, "Zg==", &err), &err, "DATA on attachment");
    expect_refused(uats_set_string(a, UATS_F_URL, "https://x", &err), &err, "URL on attachment");
    expect_refused(uats_set_json(a, UATS_F_CUSTOM_FIELDS, parse("{}"), &err), &err,
                   "CUSTOM_FIELDS on attachment");
    ck_assert(!uats_has(a, UATS_F_FIRST_NAME));

    /* Attachment input: only its five fields. */
    expect_refused(uats_set_string(ai, UATS_F_ID, "x", &err), &err, "ID on attachment input");
    expect_refused(uats_set_int(ai, UATS_F_SIZE, 1, &err), &err, "SIZE on attachment input");
    expect_refused(uats_set_json(ai, UATS_F_REMOTE_DATA, parse("{}"), &err), &err,
                   "REMOTE_DATA on attachment input");
    expect_refused(uats_set_string(ai, UATS_F_CANDIDATE_ID, "c", &err), &err,
                   "CANDIDATE_ID on attachment input");
    ck_assert(!uats_has(ai, UATS_F_ID));
}
END_TEST

START_TEST(bad_index_and_unset_lists)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    ASSERT_OK(uats_list_add_typed(c, UATS_F_EMAIL_ADDRESSES, "a@x.example", UATS_EMAIL_WORK,
                                  &err), err);
    ASSERT_OK(uats_list_add_typed(c, UATS_F_EMAIL_ADDRESSES, "b@x.example", 0, &err), err);
    ASSERT_OK(uats_list_add_string(c, UATS_F_TAGS, "t", &err), err);

    const char *v = "untouched";
    ck_assert_int_eq(uats_list_typed(c, UATS_F_EMAIL_ADDRESSES, 2, &v), -1);
    ck_assert_str_eq(v, "untouched");
    ck_assert_int_eq(uats_list_typed(c, UATS_F_EMAIL_ADDRESSES, SIZE_MAX, &v), -1);
    ck_assert_int_eq(uats_list_typed(c, UATS_F_PHONE_NUMBERS, 0, &v), -1);  /* unset */
    ck_assert_str_eq(v, "untouched");
    ck_assert_int_eq(uats_list_typed(c, UATS_F_EMAIL_ADDRESSES, 1, &v), 0);
    ck_assert_str_eq(v, "b@x.example");
    ck_assert_ptr_null(uats_list_string(c, UATS_F_TAGS, 1));
    ck_assert_ptr_null(uats_list_string(c, UATS_F_SKILLS, 0));
    ck_assert_uint_eq(uats_list_count(c, UATS_F_SKILLS), 0);
    ck_assert_uint_eq(uats_list_count(c, UATS_F_PHONE_NUMBERS), 0);
    ck_assert_uint_eq(uats_list_count(c, UATS_F_EMAIL_ADDRESSES), 2);
    /* A list field of another kind. */
    ck_assert_int_eq(uats_list_typed(new_obj(UATS_KIND_ATTACHMENT), UATS_F_URLS, 0, &v), -1);
    ck_assert_uint_eq(uats_list_count(new_obj(UATS_KIND_ATTACHMENT), UATS_F_TAGS), 0);
}
END_TEST

START_TEST(null_objects)
{
    uats_error err = {0};
    bool b = true;
    int64_t i = 3;
    double d = 1.5;
    const char *v = "untouched";

    uats_object_free(NULL);
    ck_assert_ptr_null(uats_object_dup(NULL));
    ck_assert_int_eq(uats_object_kind(NULL), 0);
    ck_assert_ptr_null(uats_object_to_json(NULL, 0));
    ck_assert_ptr_null(uats_object_to_text(NULL, UATS_JSON_REMOTE_DATA));
    ck_assert(!uats_has(NULL, UATS_F_ID));
    ck_assert_int_eq(uats_unset(NULL, UATS_F_ID), UATS_E_INVALID_INPUT);
    ck_assert_ptr_null(uats_get_string(NULL, UATS_F_ID));
    ck_assert(!uats_get_bool(NULL, UATS_F_IS_PRIVATE, &b) && b);
    ck_assert(!uats_get_int(NULL, UATS_F_SIZE, &i) && i == 3);
    ck_assert(!uats_get_number(NULL, UATS_F_SALARY_AMOUNT, &d) && d == 1.5);
    ck_assert_uint_eq(uats_list_count(NULL, UATS_F_TAGS), 0);
    ck_assert_ptr_null(uats_list_string(NULL, UATS_F_TAGS, 0));
    ck_assert_int_eq(uats_list_typed(NULL, UATS_F_URLS, 0, &v), -1);
    ck_assert_str_eq(v, "untouched");
    ck_assert_ptr_null(uats_get_json(NULL, UATS_F_CUSTOM_FIELDS));

    expect_refused(uats_set_string(NULL, UATS_F_ID, "x", &err), &err, "set_string");
    ck_assert_ptr_nonnull(strstr(err.text, "NULL"));
    expect_refused(uats_set_bool(NULL, UATS_F_IS_PRIVATE, true, &err), &err, "set_bool");
    expect_refused(uats_set_int(NULL, UATS_F_SIZE, 1, &err), &err, "set_int");
    expect_refused(uats_set_number(NULL, UATS_F_SALARY_AMOUNT, 1, &err), &err, "set_number");
    expect_refused(uats_set_json(NULL, UATS_F_CUSTOM_FIELDS, NULL, &err), &err, "set_json");
    expect_refused(uats_list_add_string(NULL, UATS_F_TAGS, "x", &err), &err, "add_string");
    expect_refused(uats_list_add_typed(NULL, UATS_F_URLS, "x", 0, &err), &err, "add_typed");
    expect_refused(uats_set_data(NULL, "x", 1, &err), &err, "set_data");
    void *bytes = &err;
    size_t len = 7;
    expect_refused(uats_get_data(NULL, &bytes, &len, &err), &err, "get_data");
    ck_assert_ptr_null(bytes);
    ck_assert_uint_eq(len, 0);
    expect_refused(uats_add_attachment_input(NULL, NULL, &err), &err, "add_attachment_input");

    /* NULL JSON, NULL text, NULL out. */
    uats_object *out = NOT_SET;
    expect_refused(uats_object_from_json(UATS_KIND_CANDIDATE, NULL, &out, &err), &err,
                   "from_json(NULL)");
    ck_assert_ptr_null(out);
    expect_refused(uats_object_from_json(UATS_KIND_CANDIDATE, parse("{\"id\":\"c\"}"), NULL,
                                         &err), &err, "from_json(out NULL)");
    out = NOT_SET;
    expect_refused(uats_object_from_text(UATS_KIND_CANDIDATE, NULL, 0, &out, &err), &err,
                   "from_text(NULL)");
    ck_assert_ptr_null(out);
    expect_refused(uats_object_from_text(UATS_KIND_CANDIDATE, "{\"id\":\"c\"}", 10, NULL, &err),
                   &err, "from_text(out NULL)");

    /* A NULL error record is always fine. */
    uats_object *c = new_candidate();
    ck_assert_int_eq(uats_set_string(c, UATS_F_DATE_OF_BIRTH, "soon", NULL), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_set_string(c, UATS_F_JOB_ID, "j", NULL), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_set_number(c, UATS_F_SALARY_AMOUNT, NAN, NULL), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_object_from_text(UATS_KIND_CANDIDATE, "{", 1, &out, NULL),
                     UATS_E_INVALID_INPUT);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(uats_object_from_text(UATS_KIND_CANDIDATE, "{}", 2, &out, NULL),
                     UATS_E_INVALID_INPUT);
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(unknown_kinds)
{
    uats_error err = {0};
    ck_assert_ptr_null(uats_object_new((uats_kind)0));
    ck_assert_ptr_null(uats_object_new((uats_kind)5));
    ck_assert_ptr_null(uats_object_new((uats_kind)-1));
    uats_object *out = NOT_SET;
    expect_refused(uats_object_from_json((uats_kind)0, parse("{}"), &out, &err), &err,
                   "from_json kind 0");
    ck_assert_ptr_null(out);
    out = NOT_SET;
    expect_refused(uats_object_from_text((uats_kind)9, "{}", 2, &out, &err), &err,
                   "from_text kind 9");
    ck_assert_ptr_null(out);
    ck_assert_ptr_null(uats_field_path((uats_kind)0, UATS_F_ID));
    ck_assert_ptr_null(uats_field_path((uats_kind)5, UATS_F_ID));
    ck_assert_int_eq(uats_field_by_path((uats_kind)5, "id"), 0);
    /* A document of one kind is not one of another. */
    size_t len;
    const char *text = read_fixture("candidate-input-full.json", &len);
    ck_assert_int_eq(try_text(UATS_KIND_CANDIDATE, text, len, &err, NULL), UATS_E_INVALID_INPUT);
    text = read_fixture("candidate-full.json", &len);
    ck_assert_int_eq(try_text(UATS_KIND_ATTACHMENT, text, len, &err, NULL), UATS_E_INVALID_INPUT);
}
END_TEST

/* ========================================================================
 * tables
 * ======================================================================== */

typedef struct enum_name {
    int value;
    const char *name;
} enum_name;

static const enum_name email_names[] = {
    {UATS_EMAIL_PERSONAL, "PERSONAL"}, {UATS_EMAIL_WORK, "WORK"}, {UATS_EMAIL_OTHER, "OTHER"},
    {0, NULL}};
static const enum_name phone_names[] = {
    {UATS_PHONE_HOME, "HOME"}, {UATS_PHONE_WORK, "WORK"}, {UATS_PHONE_MOBILE, "MOBILE"},
    {UATS_PHONE_SKYPE, "SKYPE"}, {UATS_PHONE_OTHER, "OTHER"}, {0, NULL}};
static const enum_name url_names[] = {
    {UATS_URL_WEBSITE, "WEBSITE"}, {UATS_URL_PERSONAL, "PERSONAL"},
    {UATS_URL_COMPANY, "COMPANY"}, {UATS_URL_PORTFOLIO, "PORTFOLIO"},
    {UATS_URL_BLOG, "BLOG"}, {UATS_URL_SOCIAL_MEDIA, "SOCIAL_MEDIA"},
    {UATS_URL_LINKEDIN, "LINKEDIN"}, {UATS_URL_GITHUB, "GITHUB"},
    {UATS_URL_TWITTER, "TWITTER"}, {UATS_URL_JOB_POSTING, "JOB_POSTING"},
    {UATS_URL_OTHER, "OTHER"}, {0, NULL}};
static const enum_name attachment_names[] = {
    {UATS_ATTACHMENT_RESUME, "RESUME"}, {UATS_ATTACHMENT_COVER_LETTER, "COVER_LETTER"},
    {UATS_ATTACHMENT_OFFER_LETTER, "OFFER_LETTER"}, {UATS_ATTACHMENT_OTHER, "OTHER"},
    {0, NULL}};

START_TEST(enum_names_in_order)
{
    static const struct {
        uats_field field;
        const enum_name *names;
    } tables[] = {{UATS_F_EMAIL_ADDRESSES, email_names},
                  {UATS_F_PHONE_NUMBERS, phone_names},
                  {UATS_F_URLS, url_names},
                  {UATS_F_ATTACHMENT_TYPE, attachment_names}};
    for (size_t t = 0; t < 4; t++) {
        uats_field f = tables[t].field;
        const char *fname = field_by_id(f)->name;
        int n = 0;
        for (const enum_name *e = tables[t].names; e->name; e++) {
            n++;
            /* The C values are 1, 2, 3... in documented order. */
            ck_assert_msg(e->value == n, "%s: %s is %d, want %d", fname, e->name, e->value, n);
            ck_assert_pstr_eq(uats_type_name(f, e->value), e->name);
            ck_assert_msg(uats_type_by_name(f, e->name) == e->value, "%s: by_name(%s)", fname,
                          e->name);
        }
        ck_assert_ptr_null(uats_type_name(f, 0));   /* not given */
        ck_assert_ptr_null(uats_type_name(f, n + 1));
        ck_assert_ptr_null(uats_type_name(f, -1));
        ck_assert_int_eq(uats_type_by_name(f, ""), -1);
        ck_assert_int_eq(uats_type_by_name(f, NULL), -1);
        ck_assert_int_eq(uats_type_by_name(f, "NOT_A_TYPE"), -1);
        ck_assert_int_eq(uats_type_by_name(f, "other"), -1);  /* case matters */
        ck_assert_int_eq(uats_type_by_name(f, "OTHER "), -1);
    }
    ck_assert_int_eq(UATS_EMAIL_UNSET, 0);
    ck_assert_int_eq(UATS_PHONE_UNSET, 0);
    ck_assert_int_eq(UATS_URL_UNSET, 0);
    ck_assert_int_eq(UATS_ATTACHMENT_UNSET, 0);
    ck_assert_pstr_eq(uats_type_name(UATS_F_URLS, UATS_URL_LINKEDIN), "LINKEDIN");
    ck_assert_int_eq(UATS_URL_LINKEDIN, 7);  /* the header's example; frozen */
    ck_assert_int_eq(uats_type_by_name(UATS_F_PHONE_NUMBERS, "WORK"), UATS_PHONE_WORK);
    ck_assert_int_eq(uats_type_by_name(UATS_F_EMAIL_ADDRESSES, "WORK"), UATS_EMAIL_WORK);
    /* Same names, different numbers per list. */
    ck_assert_int_eq(uats_type_by_name(UATS_F_EMAIL_ADDRESSES, "HOME"), -1);
    ck_assert_int_eq(uats_type_by_name(UATS_F_URLS, "OTHER"), UATS_URL_OTHER);
    ck_assert_int_eq(uats_type_by_name(UATS_F_ATTACHMENT_TYPE, "OTHER"), UATS_ATTACHMENT_OTHER);
    /* Fields without a C enum. */
    ck_assert_ptr_null(uats_type_name(UATS_F_TAGS, 1));
    ck_assert_ptr_null(uats_type_name(UATS_F_FIRST_NAME, 1));
    ck_assert_ptr_null(uats_type_name((uats_field)0, 1));
    ck_assert_int_eq(uats_type_by_name(UATS_F_TAGS, "OTHER"), -1);
}
END_TEST

START_TEST(field_paths_are_inverse)
{
    size_t with_path = 0;
    for (size_t k = 0; k < NKINDS; k++) {
        uats_kind kind = all_kinds[k];
        for (size_t f = 0; f < NFIELDS; f++) {
            const char *path = uats_field_path(kind, all_fields[f].id);
            if (!path)
                continue;
            with_path++;
            ck_assert_msg(*path != '\0', "%s: empty path", all_fields[f].name);
            ck_assert_msg(uats_field_by_path(kind, path) == all_fields[f].id,
                          "%s: by_path(%s) is 0x%x, want %s", kind_name(kind), path,
                          (unsigned)uats_field_by_path(kind, path), all_fields[f].name);
            /* The same path through a copy, not the static pointer. */
            char copy[128];
            snprintf(copy, sizeof copy, "%s", path);
            ck_assert_int_eq(uats_field_by_path(kind, copy), all_fields[f].id);
        }
        ck_assert_int_eq(uats_field_by_path(kind, NULL), 0);
        ck_assert_int_eq(uats_field_by_path(kind, ""), 0);
        ck_assert_int_eq(uats_field_by_path(kind, "nope"), 0);
        ck_assert_int_eq(uats_field_by_path(kind, "location.planet"), 0);
        ck_assert_int_eq(uats_field_by_path(kind, "ID"), 0);
    }
    ck_assert_uint_ge(with_path, NFIELDS);

    /* Every declared field lives in at least one kind. */
    for (size_t f = 0; f < NFIELDS; f++) {
        bool somewhere = false;
        for (size_t k = 0; k < NKINDS; k++)
            somewhere = somewhere || uats_field_path(all_kinds[k], all_fields[f].id);
        ck_assert_msg(somewhere, "%s is in no kind", all_fields[f].name);
    }

    /* The documented paths (docs/model.md). */
    static const struct {
        uats_kind kind;
        uats_field field;
        const char *path;
    } doc_paths[] = {
        {UATS_KIND_CANDIDATE, UATS_F_ID, "id"},
        {UATS_KIND_CANDIDATE, UATS_F_LOCATION_CITY, "location.city"},
        {UATS_KIND_CANDIDATE, UATS_F_LOCATION_REGION, "location.region"},
        {UATS_KIND_CANDIDATE, UATS_F_LOCATION_COUNTRY, "location.country"},
        {UATS_KIND_CANDIDATE, UATS_F_SALARY_AMOUNT, "salary_expectations.amount"},
        {UATS_KIND_CANDIDATE, UATS_F_SALARY_CURRENCY, "salary_expectations.currency"},
        {UATS_KIND_CANDIDATE, UATS_F_SALARY_PERIOD, "salary_expectations.period"},
        {UATS_KIND_CANDIDATE, UATS_F_APPLICATION_IDS, "applications"},
        {UATS_KIND_CANDIDATE, UATS_F_ATTACHMENT_IDS, "attachments"},
        {UATS_KIND_CANDIDATE, UATS_F_REMOTE_DATA, "remote_data"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_JOB_ID, "application.job_id"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_STAGE_ID, "application.stage_id"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_APPLICATION_SOURCE, "application.source"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_SCREENING_ANSWERS, "application.screening_answers"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_FORM_ANSWERS, "application.form_answers"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_APPLICATION, "application"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_ATTACHMENTS, "attachments"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_ACTING_USER, "acting_user"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_REMOTE_FIELDS, "remote_fields"},
        {UATS_KIND_CANDIDATE_INPUT, UATS_F_ID, "id"},
        {UATS_KIND_ATTACHMENT, UATS_F_ATTACHMENT_TYPE, "type"},
        {UATS_KIND_ATTACHMENT, UATS_F_SIZE, "size"},
        {UATS_KIND_ATTACHMENT, UATS_F_REMOTE_DATA, "remote_data"},
        {UATS_KIND_ATTACHMENT_INPUT, UATS_F_DATA, "data"},
        {UATS_KIND_ATTACHMENT_INPUT, UATS_F_URL, "url"},
        {UATS_KIND_ATTACHMENT_INPUT, UATS_F_ATTACHMENT_TYPE, "type"},
    };
    for (size_t i = 0; i < sizeof doc_paths / sizeof doc_paths[0]; i++)
        ck_assert_pstr_eq(uats_field_path(doc_paths[i].kind, doc_paths[i].field),
                          doc_paths[i].path);
    /* And the documented absences. */
    ck_assert_ptr_null(uats_field_path(UATS_KIND_CANDIDATE, UATS_F_JOB_ID));
    ck_assert_ptr_null(uats_field_path(UATS_KIND_CANDIDATE, UATS_F_REMOTE_FIELDS));
    ck_assert_ptr_null(uats_field_path(UATS_KIND_CANDIDATE_INPUT, UATS_F_REMOTE_DATA));
    ck_assert_ptr_null(uats_field_path(UATS_KIND_CANDIDATE_INPUT, UATS_F_MODIFIED_AT));
    ck_assert_ptr_null(uats_field_path(UATS_KIND_ATTACHMENT, UATS_F_CUSTOM_FIELDS));
    ck_assert_ptr_null(uats_field_path(UATS_KIND_ATTACHMENT_INPUT, UATS_F_ID));
    ck_assert_ptr_null(uats_field_path(UATS_KIND_ATTACHMENT_INPUT, UATS_F_SIZE));
}
END_TEST

static unsigned ft_bits(const char *name)
{
    static const struct {
        const char *name;
        unsigned bits;
    } types[] = {{"STRING", UATS_FT_STRING}, {"BOOL", UATS_FT_BOOL}, {"INT", UATS_FT_INT},
                 {"NUMBER", UATS_FT_NUMBER}, {"STRINGS", UATS_FT_STRINGS},
                 {"TYPED", UATS_FT_TYPED}, {"JSON", UATS_FT_JSON}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, name) == 0)
            return types[i].bits;
    ck_abort_msg("unknown field type UATS_FT_%s in uats.h", name);
    return 0;
}

/* The list in this file is the header's list: a field added to uats.h
 * and not here fails, and so does a schema field without a C name here. */
START_TEST(every_declared_field_is_listed)
{
    size_t len;
    const char *header = read_file(FIXTURE_DIR "/../../core/uats/uats.h", &len);
    size_t declared = 0;
    for (const char *line = header; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char buf[256], name[64], ft[16];
        int num;
        if (n < sizeof buf) {
            memcpy(buf, line, n);
            buf[n] = '\0';
            if (sscanf(buf, " UATS_F_%63[A-Z0-9_] = UATS_FT_%15[A-Z] + %d", name, ft, &num) == 3) {
                uats_field id = (uats_field)(ft_bits(ft) + (unsigned)num);
                const field_info *fi = field_by_id(id);
                ck_assert_msg(fi != NULL, "UATS_F_%s (0x%x) is not in all_fields", name,
                              (unsigned)id);
                ck_assert_msg(strcmp(fi->name + 7, name) == 0, "0x%x is %s here, UATS_F_%s there",
                              (unsigned)id, fi->name, name);
                declared++;
            }
        }
        line = end ? end + 1 : NULL;
    }
    ck_assert_uint_eq(declared, NFIELDS);

    /* Every id any kind knows (whatever its number) is one of ours. */
    for (unsigned t = 1; t <= 7; t++)
        for (unsigned n = 0; n < 0x1000; n++) {
            uats_field id = (uats_field)(t << 12 | n);
            for (size_t k = 0; k < NKINDS; k++)
                ck_assert_msg(!uats_field_path(all_kinds[k], id) || field_by_id(id),
                              "field 0x%x (%s of %s) is not in all_fields", (unsigned)id,
                              uats_field_path(all_kinds[k], id), kind_name(all_kinds[k]));
        }
}
END_TEST

/* ========================================================================
 * errors
 * ======================================================================== */

typedef struct bad_input {
    const char *name;
    uats_kind kind;
    const char *json;
    const char *field;    /* err.field; err.text must mention it */
    const char *mention;  /* another part of err.text, or NULL */
} bad_input;

#define CAND UATS_KIND_CANDIDATE
#define INPUT UATS_KIND_CANDIDATE_INPUT
#define ATT UATS_KIND_ATTACHMENT
#define ATT_IN UATS_KIND_ATTACHMENT_INPUT

static const bad_input bad_inputs[] = {
    /* unknown keys */
    {"unknown top-level key", CAND, "{\"id\":\"c\",\"frist_name\":\"Ada\"}", "frist_name",
     "unknown"},
    {"unknown nested key", CAND, "{\"id\":\"c\",\"location\":{\"city\":\"X\",\"planet\":\"Mars\"}}",
     "location.planet", "unknown"},
    {"unknown key in a list entry", CAND,
     "{\"id\":\"c\",\"email_addresses\":[{\"value\":\"a@b\",\"kind\":\"WORK\"}]}",
     "email_addresses[0].kind", NULL},
    {"unknown key in an education entry", INPUT,
     "{\"education\":[{\"school\":\"s\"},{\"gpa\":4}]}", "education[1].gpa", NULL},
    {"unknown key in the application", INPUT, "{\"application\":{\"job\":\"1\"}}",
     "application.job", NULL},
    {"unknown key in an attachment input", ATT_IN,
     "{\"file_name\":\"f\",\"url\":\"https://x\",\"bytes\":\"\"}", "bytes", NULL},
    {"remote_fields on a candidate", CAND, "{\"id\":\"c\",\"remote_fields\":{}}",
     "remote_fields", NULL},
    {"remote_data on a create input", INPUT, "{\"remote_data\":{}}", "remote_data", NULL},
    {"custom_fields on an attachment", ATT, "{\"id\":\"a\",\"custom_fields\":{}}",
     "custom_fields", NULL},
    {"application on a candidate", CAND, "{\"id\":\"c\",\"application\":{}}", "application",
     NULL},
    /* wrong types */
    {"string given a number", CAND, "{\"id\":\"c\",\"first_name\":5}", "first_name",
     "expected a string"},
    {"id given a number", CAND, "{\"id\":1001}", "id", "expected a string"},
    {"bool given a string", CAND, "{\"id\":\"c\",\"is_private\":\"yes\"}", "is_private",
     "boolean"},
    {"bool given 0", INPUT, "{\"can_email\":0}", "can_email", "boolean"},
    {"int given a fraction", ATT, "{\"id\":\"a\",\"size\":1.5}", "size", "integer"},
    {"int given a string", ATT, "{\"id\":\"a\",\"size\":\"10\"}", "size", "integer"},
    {"number given a string", CAND,
     "{\"id\":\"c\",\"salary_expectations\":{\"amount\":\"100\"}}", "salary_expectations.amount",
     "number"},
    {"list given a string", CAND, "{\"id\":\"c\",\"tags\":\"a,b\"}", "tags", "array"},
    {"list entry not a string", CAND, "{\"id\":\"c\",\"skills\":[\"a\",7]}", "skills[1]", NULL},
    {"typed entry not an object", CAND, "{\"id\":\"c\",\"urls\":[\"https://x\"]}", "urls[0]",
     "object"},
    {"object given an array", CAND, "{\"id\":\"c\",\"location\":[]}", "location", "object"},
    {"passthrough given an array", CAND, "{\"id\":\"c\",\"custom_fields\":[1]}", "custom_fields",
     "object"},
    {"remote_fields given a string", INPUT, "{\"remote_fields\":\"x\"}", "remote_fields",
     "object"},
    {"address given a number", CAND, "{\"id\":\"c\",\"address\":5}", "address", NULL},
    {"answer given an object", INPUT,
     "{\"application\":{\"screening_answers\":[{\"question_id\":\"q\",\"answer\":{}}]}}",
     "application.screening_answers[0].answer", NULL},
    {"answer list with a number", INPUT,
     "{\"application\":{\"screening_answers\":[{\"question_id\":\"q\",\"answer\":[\"a\",1]}]}}",
     "application.screening_answers[0].answer[1]", NULL},
    {"nested bool in experience", CAND,
     "{\"id\":\"c\",\"experience\":[{\"is_current\":\"no\"}]}", "experience[0].is_current", NULL},
    /* enums */
    {"bad email type in a list", CAND,
     "{\"id\":\"c\",\"email_addresses\":[{\"value\":\"a@b\",\"type\":\"WORK\"},"
     "{\"value\":\"c@d\",\"type\":\"HOME\"}]}",
     "email_addresses[1].type", "HOME"},
    {"bad phone type", INPUT, "{\"phone_numbers\":[{\"value\":\"1\",\"type\":\"FAX\"}]}",
     "phone_numbers[0].type", "FAX"},
    {"bad url type", CAND, "{\"id\":\"c\",\"urls\":[{\"value\":\"x\",\"type\":\"linkedin\"}]}",
     "urls[0].type", "linkedin"},
    {"bad contact consent", CAND, "{\"id\":\"c\",\"contact_consent\":\"some\"}",
     "contact_consent", "applied_only"},
    {"bad salary period", CAND,
     "{\"id\":\"c\",\"salary_expectations\":{\"period\":\"YEARLY\"}}",
     "salary_expectations.period", "YEARLY"},
    {"bad application source", INPUT, "{\"application\":{\"source\":\"referral\"}}",
     "application.source", "referral"},
    {"bad attachment type", ATT, "{\"id\":\"a\",\"type\":\"CV\"}", "type", "RESUME"},
    {"bad attachment input type", INPUT,
     "{\"attachments\":[{\"file_name\":\"f\",\"url\":\"u\",\"type\":\"resume\"}]}",
     "attachments[0].type", NULL},
    /* dates */
    {"February 30th", CAND, "{\"id\":\"c\",\"date_of_birth\":\"2023-02-30\"}", "date_of_birth",
     "2023-02-30"},
    {"February 29th of a common year", CAND, "{\"id\":\"c\",\"date_of_birth\":\"2023-02-29\"}",
     "date_of_birth", NULL},
    {"February 29th of 1900", CAND, "{\"id\":\"c\",\"date_of_birth\":\"1900-02-29\"}",
     "date_of_birth", NULL},
    {"April 31st", INPUT, "{\"availability_date\":\"2024-04-31\"}", "availability_date", NULL},
    {"month 13", CAND, "{\"id\":\"c\",\"availability_date\":\"2024-13-01\"}",
     "availability_date", NULL},
    {"day 0", CAND, "{\"id\":\"c\",\"date_of_birth\":\"2024-01-00\"}", "date_of_birth", NULL},
    {"unpadded date", CAND, "{\"id\":\"c\",\"date_of_birth\":\"2024-2-1\"}", "date_of_birth",
     NULL},
    {"year 0", CAND, "{\"id\":\"c\",\"date_of_birth\":\"0000-01-01\"}", "date_of_birth", NULL},
    {"a time for a date", CAND, "{\"id\":\"c\",\"date_of_birth\":\"2024-01-01T00:00:00Z\"}",
     "date_of_birth", NULL},
    {"words for a date", CAND, "{\"id\":\"c\",\"date_of_birth\":\"yesterday\"}",
     "date_of_birth", NULL},
    {"bad date in education", CAND,
     "{\"id\":\"c\",\"education\":[{\"start_date\":\"2020-06-31\"}]}",
     "education[0].start_date", NULL},
    {"bad date in a certification", INPUT,
     "{\"certifications\":[{\"name\":\"n\",\"expires_on\":\"31/12/2030\"}]}",
     "certifications[0].expires_on", NULL},
    /* times */
    {"time without Z", CAND, "{\"id\":\"c\",\"remote_created_at\":\"2024-01-02T03:04:05\"}",
     "remote_created_at", NULL},
    {"hour 24", CAND, "{\"id\":\"c\",\"remote_updated_at\":\"2024-01-02T24:00:00Z\"}",
     "remote_updated_at", NULL},
    {"minute 60", CAND, "{\"id\":\"c\",\"last_interaction_at\":\"2024-01-02T03:60:00Z\"}",
     "last_interaction_at", NULL},
    {"time with an offset", CAND, "{\"id\":\"c\",\"modified_at\":\"2024-01-02T03:04:05+00:00\"}",
     "modified_at", NULL},
    {"time with an empty fraction", ATT,
     "{\"id\":\"a\",\"remote_created_at\":\"2024-01-02T03:04:05.Z\"}", "remote_created_at", NULL},
    {"time with a bad date", ATT, "{\"id\":\"a\",\"modified_at\":\"2023-02-29T00:00:00Z\"}",
     "modified_at", NULL},
    {"date for a time", CAND, "{\"id\":\"c\",\"remote_created_at\":\"2024-01-02\"}",
     "remote_created_at", NULL},
    /* codes */
    {"lower-case country", CAND, "{\"id\":\"c\",\"location\":{\"country\":\"de\"}}",
     "location.country", "de"},
    {"alpha-3 country", CAND, "{\"id\":\"c\",\"address\":{\"country\":\"DEU\"}}",
     "address.country", NULL},
    {"country name", INPUT, "{\"location\":{\"country\":\"Germany\"}}", "location.country",
     NULL},
    {"lower-case currency", CAND,
     "{\"id\":\"c\",\"salary_expectations\":{\"currency\":\"eur\"}}",
     "salary_expectations.currency", "eur"},
    {"currency symbol", INPUT, "{\"salary_expectations\":{\"currency\":\"€\"}}",
     "salary_expectations.currency", NULL},
    {"four-letter currency", CAND,
     "{\"id\":\"c\",\"salary_expectations\":{\"currency\":\"EURO\"}}",
     "salary_expectations.currency", NULL},
    /* base64 */
    {"base64 of bad length", ATT_IN, "{\"file_name\":\"f\",\"data\":\"abc\"}", "data", "base64"},
    {"base64 with a bad character", ATT_IN, "{\"file_name\":\"f\",\"data\":\"Zm9v!A==\"}",
     "data", "base64"},
    {"base64 with inner padding", ATT_IN, "{\"file_name\":\"f\",\"data\":\"Zg==Zg==\"}", "data",
     "base64"},
    {"base64 with a newline", ATT_IN, "{\"file_name\":\"f\",\"data\":\"Zm9v\\nZm9v\"}", "data",
     NULL},
    {"url-safe base64", INPUT, "{\"attachments\":[{\"file_name\":\"f\",\"data\":\"_-8=\"}]}",
     "attachments[0].data", "base64"},
    /* data xor url */
    {"attachment input with data and url", ATT_IN,
     "{\"file_name\":\"f\",\"data\":\"Zm9v\",\"url\":\"https://x.example/f\"}", "data", "url"},
    {"attachment input with neither", ATT_IN, "{\"file_name\":\"f\",\"type\":\"RESUME\"}",
     "data", "url"},
    {"attachment input with null data and null url", ATT_IN,
     "{\"file_name\":\"f\",\"data\":null,\"url\":null}", "data", "url"},
    {"attachment in an input with both", INPUT,
     "{\"attachments\":[{\"file_name\":\"a\",\"url\":\"u\"},"
     "{\"file_name\":\"b\",\"data\":\"Zg==\",\"url\":\"u\"}]}",
     "attachments[1]", "url"},
    {"attachment in an input with neither", INPUT, "{\"attachments\":[{\"file_name\":\"a\"}]}",
     "attachments[0]", "url"},
    /* required keys */
    {"candidate without id", CAND, "{\"first_name\":\"Ada\"}", "id", "required"},
    {"candidate with null id", CAND, "{\"id\":null,\"first_name\":\"Ada\"}", "id", "required"},
    {"empty candidate", CAND, "{}", "id", "required"},
    {"attachment without id", ATT, "{\"file_name\":\"f\"}", "id", "required"},
    {"attachment input without file_name", ATT_IN, "{\"data\":\"Zm9v\"}", "file_name",
     "required"},
    {"input attachment without file_name", INPUT, "{\"attachments\":[{\"url\":\"u\"}]}",
     "attachments[0].file_name", "required"},
    {"certification without name", CAND,
     "{\"id\":\"c\",\"certifications\":[{\"name\":\"a\"},{\"issuer\":\"Royal Society\"}]}",
     "certifications[1].name", "required"},
    {"screening answer without answer", INPUT,
     "{\"application\":{\"screening_answers\":[{\"question_id\":\"q1\"}]}}",
     "application.screening_answers[0].answer", "required"},
    {"screening answer with null answer", INPUT,
     "{\"application\":{\"screening_answers\":[{\"question_id\":\"q1\",\"answer\":null}]}}",
     "application.screening_answers[0].answer", "required"},
    {"screening answer without question", INPUT,
     "{\"application\":{\"screening_answers\":[{\"answer\":\"Yes\"}]}}",
     "application.screening_answers[0].question_id", "required"},
    {"form answer without value", INPUT,
     "{\"application\":{\"form_answers\":[{\"name\":\"n\"}]}}",
     "application.form_answers[0].value", "required"},
    {"form answer without name", INPUT,
     "{\"application\":{\"form_answers\":[{\"value\":1}]}}",
     "application.form_answers[0].name", "required"},
    {"typed entry without value", CAND, "{\"id\":\"c\",\"phone_numbers\":[{\"type\":\"HOME\"}]}",
     "phone_numbers[0].value", "required"},
    /* nulls in lists */
    {"null in a string list", CAND, "{\"id\":\"c\",\"tags\":[\"a\",null]}", "tags[1]", "null"},
    {"null in a typed list", CAND, "{\"id\":\"c\",\"urls\":[null]}", "urls[0]", "null"},
    {"null in an answer list", INPUT,
     "{\"application\":{\"screening_answers\":[{\"question_id\":\"q\",\"answer\":[null]}]}}",
     "application.screening_answers[0].answer[0]", "null"},
    {"null in the attachments", INPUT, "{\"attachments\":[null]}", "attachments[0]", "null"},
};
#define NBAD ((int)(sizeof bad_inputs / sizeof bad_inputs[0]))

START_TEST(bad_json_input_names_the_field)
{
    const bad_input *bi = &bad_inputs[_i];
    uats_error err;
    memset(&err, 'x', sizeof err);
    uats_code rc = try_text(bi->kind, bi->json, strlen(bi->json), &err, NULL);
    ck_assert_msg(rc == UATS_E_INVALID_INPUT, "%s: returned %s for %s", bi->name,
                  uats_code_name(rc), bi->json);
    expect_invalid_at(rc, &err, bi->field, bi->name);
    if (bi->mention)
        ck_assert_msg(strstr(err.text, bi->mention) != NULL, "%s: err.text \"%s\" lacks \"%s\"",
                      bi->name, err.text, bi->mention);
    ck_assert_str_eq(err.connector, "");
    ck_assert_int_eq(err.http_status, 0);

    /* from_json says the same. */
    json_t *doc = parse(bi->json);
    uats_error err2 = {0};
    uats_object *out = NOT_SET;
    rc = uats_object_from_json(bi->kind, doc, &out, &err2);
    if (out != NOT_SET)
        keep(out);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(rc, UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err2.field, err.field);
    ck_assert_str_eq(err2.text, err.text);
}
END_TEST

/* The same values through the setters. */
START_TEST(setters_name_the_field)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    uats_code rc;

    ASSERT_OK(uats_set_string(c, UATS_F_DATE_OF_BIRTH, "1815-12-10", &err), err);
    rc = uats_set_string(c, UATS_F_DATE_OF_BIRTH, "yesterday", &err);
    expect_invalid_at(rc, &err, "date_of_birth", "set DATE_OF_BIRTH yesterday");
    ck_assert_ptr_nonnull(strstr(err.text, "yesterday"));
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_DATE_OF_BIRTH), "1815-12-10");
    rc = uats_set_string(c, UATS_F_DATE_OF_BIRTH, "2023-02-29", &err);
    expect_invalid_at(rc, &err, "date_of_birth", "set DATE_OF_BIRTH 2023-02-29");
    ASSERT_OK(uats_set_string(c, UATS_F_DATE_OF_BIRTH, "2024-02-29", &err), err);
    ASSERT_OK(uats_set_string(c, UATS_F_DATE_OF_BIRTH, "2000-02-29", &err), err);

    rc = uats_set_string(c, UATS_F_LOCATION_COUNTRY, "de", &err);
    expect_invalid_at(rc, &err, "location.country", "set LOCATION_COUNTRY de");
    ck_assert_msg(!uats_has(c, UATS_F_LOCATION), "a refused leaf created its parent");
    rc = uats_set_string(c, UATS_F_SALARY_CURRENCY, "usd", &err);
    expect_invalid_at(rc, &err, "salary_expectations.currency", "set SALARY_CURRENCY usd");
    ck_assert(!uats_has(c, UATS_F_SALARY_EXPECTATIONS));
    rc = uats_set_string(c, UATS_F_SALARY_PERIOD, "ANNUAL", &err);
    expect_invalid_at(rc, &err, "salary_expectations.period", "set SALARY_PERIOD");
    rc = uats_set_string(c, UATS_F_CONTACT_CONSENT, "ALL", &err);
    expect_invalid_at(rc, &err, "contact_consent", "set CONTACT_CONSENT");
    rc = uats_set_string(c, UATS_F_REMOTE_CREATED_AT, "2024-01-02 03:04:05Z", &err);
    expect_invalid_at(rc, &err, "remote_created_at", "set REMOTE_CREATED_AT");
    rc = uats_set_string(c, UATS_F_MODIFIED_AT, "2024-01-02T24:00:00Z", &err);
    expect_invalid_at(rc, &err, "modified_at", "set MODIFIED_AT");

    uats_object *in = new_obj(UATS_KIND_CANDIDATE_INPUT);
    rc = uats_set_string(in, UATS_F_APPLICATION_SOURCE, "referral", &err);
    expect_invalid_at(rc, &err, "application.source", "set APPLICATION_SOURCE");
    ck_assert(!uats_has(in, UATS_F_APPLICATION));
    rc = uats_set_json(in, UATS_F_SCREENING_ANSWERS, parse("[{\"question_id\":\"q\"}]"), &err);
    expect_invalid_at(rc, &err, "application.screening_answers[0].answer",
                      "set SCREENING_ANSWERS without answer");
    rc = uats_set_json(in, UATS_F_ATTACHMENTS,
                       parse("[{\"file_name\":\"f\",\"data\":\"Zg==\",\"url\":\"u\"}]"), &err);
    expect_invalid_at(rc, &err, "attachments[0]", "set ATTACHMENTS with data and url");
    rc = uats_set_json(in, UATS_F_REMOTE_FIELDS, parse("[]"), &err);
    expect_invalid_at(rc, &err, "remote_fields", "set REMOTE_FIELDS array");

    uats_object *ai = new_obj(UATS_KIND_ATTACHMENT_INPUT);
    rc = uats_set_string(ai, UATS_F_DATA, "abc", &err);
    expect_invalid_at(rc, &err, "data", "set DATA abc");
    rc = uats_set_string(ai, UATS_F_ATTACHMENT_TYPE, "CV", &err);
    expect_invalid_at(rc, &err, "type", "set ATTACHMENT_TYPE CV");
    ck_assert(!uats_has(ai, UATS_F_DATA));
    ck_assert(!uats_has(ai, UATS_F_ATTACHMENT_TYPE));
}
END_TEST

START_TEST(set_string_rejects_invalid_utf8)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    ASSERT_OK(uats_set_string(c, UATS_F_FIRST_NAME, "Ada", &err), err);
    uats_code rc = uats_set_string(c, UATS_F_FIRST_NAME, "Ad\xff", &err);
    ck_assert_int_eq(rc, UATS_E_INVALID_INPUT);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_FIRST_NAME), "Ada");
    expect_invalid_at(rc, &err, "first_name", "set_string(FIRST_NAME, invalid UTF-8)");
    rc = uats_set_string(c, UATS_F_LOCATION_CITY, "\xc0\xaf", &err);  /* overlong '/' */
    expect_invalid_at(rc, &err, "location.city", "set_string(LOCATION_CITY, overlong)");
    ck_assert(!uats_has(c, UATS_F_LOCATION));
}
END_TEST

START_TEST(list_adds_reject_invalid_utf8)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    uats_code rc = uats_list_add_string(c, UATS_F_TAGS, "\xed\xa0\x80", &err);  /* surrogate */
    expect_invalid_under(rc, &err, "tags", "list_add_string(TAGS, invalid UTF-8)");
    rc = uats_list_add_typed(c, UATS_F_EMAIL_ADDRESSES, "a\xfe@b", UATS_EMAIL_WORK, &err);
    expect_invalid_under(rc, &err, "email_addresses", "list_add_typed(invalid UTF-8)");
    ck_assert_uint_eq(uats_list_count(c, UATS_F_TAGS), 0);
    ck_assert_uint_eq(uats_list_count(c, UATS_F_EMAIL_ADDRESSES), 0);
}
END_TEST

START_TEST(set_number_rejects_nan)
{
    uats_error err = {0};
    uats_object *c = new_candidate();
    static const double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 3; i++) {
        uats_code rc = uats_set_number(c, UATS_F_SALARY_AMOUNT, bad[i], &err);
        ck_assert_int_eq(rc, UATS_E_INVALID_INPUT);
        ck_assert(!uats_has(c, UATS_F_SALARY_EXPECTATIONS));
        expect_invalid_at(rc, &err, "salary_expectations.amount", "set_number(NAN/INF)");
    }
}
END_TEST

START_TEST(add_typed_rejects_out_of_range_type)
{
    static const struct {
        uats_field field;
        int type;
        const char *path;
    } bad[] = {{UATS_F_EMAIL_ADDRESSES, UATS_EMAIL_OTHER + 1, "email_addresses"},
               {UATS_F_EMAIL_ADDRESSES, -1, "email_addresses"},
               {UATS_F_PHONE_NUMBERS, UATS_PHONE_OTHER + 1, "phone_numbers"},
               {UATS_F_URLS, UATS_URL_OTHER + 1, "urls"},
               {UATS_F_URLS, 1000, "urls"}};
    uats_error err = {0};
    uats_object *c = new_candidate();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uats_code rc = uats_list_add_typed(c, bad[i].field, "v", bad[i].type, &err);
        ck_assert_int_eq(rc, UATS_E_INVALID_INPUT);
        ck_assert_uint_eq(uats_list_count(c, bad[i].field), 0);
        expect_invalid_under(rc, &err, bad[i].path, "list_add_typed out-of-range type");
    }
}
END_TEST

START_TEST(malformed_json_gives_line_and_column)
{
    static const struct {
        const char *text;
        const char *line;
    } bad[] = {
        {"{\n  \"id\": \"c\",\n  \"first_name\": }", "line 3"},
        {"{\"id\": \"c\",", "line 1"},
        {"{\"id\": \"c\",}", "line 1"},
        {"", "line 1"},
        {"{\"id\": 'c'}", "line 1"},
        {"{\"id\": \"c\"}\n\n{}", "line 3"},
        {"5", "line 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uats_error err = {0};
        uats_code rc = try_text(UATS_KIND_CANDIDATE, bad[i].text, strlen(bad[i].text), &err,
                                NULL);
        ck_assert_msg(rc == UATS_E_INVALID_INPUT, "%s: %s", bad[i].text, uats_code_name(rc));
        ck_assert_msg(strstr(err.text, bad[i].line) && strstr(err.text, "column"),
                      "no %s and column in \"%s\"", bad[i].line, err.text);
    }
    /* Only len bytes are read, and they need not end in NUL. */
    const char good[] = "{\"id\":\"c\"}garbage";
    char *exact = keepc(malloc(10));
    ck_assert_ptr_nonnull(exact);
    memcpy(exact, good, 10);
    uats_error err = {0};
    uats_object *o = NULL;
    ck_assert_int_eq(try_text(UATS_KIND_CANDIDATE, exact, 10, &err, &o), UATS_OK);
    ck_assert_pstr_eq(uats_get_string(o, UATS_F_ID), "c");
    ck_assert_int_eq(try_text(UATS_KIND_CANDIDATE, good, strlen(good), &err, NULL),
                     UATS_E_INVALID_INPUT);
    ck_assert_int_eq(try_text(UATS_KIND_CANDIDATE, good, 9, &err, NULL), UATS_E_INVALID_INPUT);
}
END_TEST

START_TEST(invalid_utf8_gives_line_and_column)
{
    static const char *const bad[] = {
        "{\"id\": \"c\",\n\"first_name\": \"Ad\xff\"}",
        "{\"id\": \"c\",\n\"first_name\": \"\xc0\xaf\"}",        /* overlong */
        "{\"id\": \"c\",\n\"first_name\": \"\xed\xa0\x80\"}",    /* surrogate */
        "{\"id\": \"c\",\n\"first_name\": \"\xe2\x82\"}",        /* truncated */
        "{\"id\": \"c\",\n\"custom_fields\": {\"k\xff\": 1}}",   /* in a key */
        "{\"id\": \"c\",\n\"remote_data\": [\"\x80\"]}",         /* in passthrough */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uats_error err = {0};
        uats_code rc = try_text(UATS_KIND_CANDIDATE, bad[i], strlen(bad[i]), &err, NULL);
        ck_assert_msg(rc == UATS_E_INVALID_INPUT, "case %zu: %s", i, uats_code_name(rc));
        ck_assert_msg(strstr(err.text, "line 2") && strstr(err.text, "column"),
                      "case %zu: no line 2 and column in \"%s\"", i, err.text);
    }
}
END_TEST

START_TEST(duplicate_keys_give_line_and_column)
{
    static const char *const bad[] = {
        "{\"id\": \"c\",\n\"id\": \"d\"}",
        "{\"id\": \"c\",\n\"location\": {\"city\": \"a\", \"city\": \"b\"}}",
        "{\"id\": \"c\",\n\"custom_fields\": {\"k\": 1, \"k\": 2}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uats_error err = {0};
        uats_code rc = try_text(UATS_KIND_CANDIDATE, bad[i], strlen(bad[i]), &err, NULL);
        ck_assert_msg(rc == UATS_E_INVALID_INPUT, "case %zu: %s", i, uats_code_name(rc));
        ck_assert_msg(strstr(err.text, "line 2") && strstr(err.text, "column"),
                      "case %zu: no line 2 and column in \"%s\"", i, err.text);
        ck_assert_msg(strstr(err.text, "duplicate"), "case %zu: \"%s\"", i, err.text);
    }
}
END_TEST

/* A NUL in a string is refused wherever it comes from, naming the field. */
START_TEST(nul_in_strings_is_refused)
{
    /* From JSON values. */
    static const struct {
        const char *doc;     /* the string "@" is replaced by "A\0B" below */
        const char *field;
    } cases[] = {
        {"{\"id\":\"c\",\"first_name\":\"@\"}", "first_name"},
        {"{\"id\":\"c\",\"location\":{\"city\":\"@\"}}", "location.city"},
        {"{\"id\":\"c\",\"tags\":[\"ok\",\"@\"]}", "tags[1]"},
        {"{\"id\":\"c\",\"urls\":[{\"value\":\"@\"}]}", "urls[0].value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *doc = parse(cases[i].doc);
        /* Replace the "@" string with one holding a NUL. */
        const char *f = cases[i].field;
        if (strncmp(f, "location.", 9) == 0)
            json_object_set_new(json_object_get(doc, "location"), "city",
                                json_stringn("A\0B", 3));
        else if (strncmp(f, "tags", 4) == 0)
            json_array_set_new(json_object_get(doc, "tags"), 1, json_stringn("A\0B", 3));
        else if (strncmp(f, "urls", 4) == 0)
            json_object_set_new(json_array_get(json_object_get(doc, "urls"), 0), "value",
                                json_stringn("A\0B", 3));
        else
            json_object_set_new(doc, "first_name", json_stringn("A\0B", 3));
        uats_error err = {0};
        uats_object *out = NOT_SET;
        uats_code rc = uats_object_from_json(UATS_KIND_CANDIDATE, doc, &out, &err);
        if (out != NOT_SET)
            keep(out);
        ck_assert_ptr_null(out);
        expect_invalid_at(rc, &err, cases[i].field, "NUL from JSON");
        ck_assert_ptr_nonnull(strstr(err.text, "NUL"));
    }
    /* Through set_json. */
    uats_error err = {0};
    uats_object *c = new_candidate();
    json_t *loc = parse("{}");
    json_object_set_new(loc, "region", json_stringn("x\0", 2));
    uats_code rc = uats_set_json(c, UATS_F_LOCATION, loc, &err);
    expect_invalid_at(rc, &err, "location.region", "NUL through set_json");
}
END_TEST

/* "\u0000" is well-formed JSON: its string is what is invalid, so the
 * error names the field, as for any other invalid value. */
START_TEST(escaped_nul_in_text_names_the_field)
{
    static const char text[] = "{\"id\":\"c\",\n\"first_name\":\"A\\u0000da\"}";
    uats_error err = {0};
    uats_code rc = try_text(UATS_KIND_CANDIDATE, text, strlen(text), &err, NULL);
    ck_assert_int_eq(rc, UATS_E_INVALID_INPUT);
    expect_invalid_at(rc, &err, "first_name", "\\u0000 in first_name");
}
END_TEST

START_TEST(null_reads_as_not_set)
{
    uats_object *c = text_ok(UATS_KIND_CANDIDATE,
                             "{\"id\":\"c\",\"first_name\":null,\"is_private\":null,"
                             "\"tags\":null,\"email_addresses\":null,\"location\":null,"
                             "\"salary_expectations\":{\"amount\":null,\"currency\":\"EUR\"},"
                             "\"custom_fields\":null,\"remote_data\":null,\"address\":null,"
                             "\"date_of_birth\":null}");
    static const uats_field unset[] = {UATS_F_FIRST_NAME, UATS_F_IS_PRIVATE, UATS_F_TAGS,
                                       UATS_F_EMAIL_ADDRESSES, UATS_F_LOCATION,
                                       UATS_F_LOCATION_CITY, UATS_F_SALARY_AMOUNT,
                                       UATS_F_CUSTOM_FIELDS, UATS_F_REMOTE_DATA,
                                       UATS_F_ADDRESS, UATS_F_DATE_OF_BIRTH};
    for (size_t i = 0; i < sizeof unset / sizeof unset[0]; i++)
        ck_assert_msg(!uats_has(c, unset[i]), "%s is set", field_by_id(unset[i])->name);
    bool b = true;
    ck_assert(!uats_get_bool(c, UATS_F_IS_PRIVATE, &b) && b);
    ck_assert_uint_eq(uats_list_count(c, UATS_F_TAGS), 0);
    ck_assert_pstr_eq(uats_get_string(c, UATS_F_SALARY_CURRENCY), "EUR");
    assert_json_eq(to_json(c, UATS_JSON_REMOTE_DATA),
                   parse("{\"id\":\"c\",\"salary_expectations\":{\"currency\":\"EUR\"}}"),
                   "nulls dropped");

    uats_object *in = text_ok(UATS_KIND_CANDIDATE_INPUT,
                              "{\"application\":{\"job_id\":null,\"stage_id\":\"s\"},"
                              "\"attachments\":null,\"acting_user\":null,\"remote_fields\":null}");
    ck_assert(!uats_has(in, UATS_F_JOB_ID));
    ck_assert(!uats_has(in, UATS_F_ATTACHMENTS));
    ck_assert(!uats_has(in, UATS_F_REMOTE_FIELDS));
    assert_json_eq(to_json(in, 0), parse("{\"application\":{\"stage_id\":\"s\"}}"), "input");

    /* Leap days and the edges of valid times are accepted. */
    uats_object *ok = text_ok(UATS_KIND_CANDIDATE,
                              "{\"id\":\"c\",\"date_of_birth\":\"2024-02-29\","
                              "\"availability_date\":\"2000-02-29\","
                              "\"remote_created_at\":\"2024-02-29T23:59:59.123456789Z\","
                              "\"remote_updated_at\":\"0001-01-01T00:00:00Z\","
                              "\"last_interaction_at\":\"9999-12-31T23:59:60Z\"}");
    ck_assert_pstr_eq(uats_get_string(ok, UATS_F_DATE_OF_BIRTH), "2024-02-29");
    ck_assert_pstr_eq(uats_get_string(ok, UATS_F_AVAILABILITY_DATE), "2000-02-29");
}
END_TEST

START_TEST(top_level_must_be_an_object)
{
    static const char *const docs[] = {"[]", "[{\"id\":\"c\"}]", "\"c\"", "null"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        json_t *doc = parse(docs[i]);
        uats_error err = {0};
        uats_object *out = NOT_SET;
        uats_code rc = uats_object_from_json(UATS_KIND_CANDIDATE, doc, &out, &err);
        if (out != NOT_SET)
            keep(out);
        ck_assert_ptr_null(out);
        ck_assert_msg(rc == UATS_E_INVALID_INPUT, "%s: %s", docs[i], uats_code_name(rc));
        ck_assert_msg(strstr(err.text, "object"), "%s: \"%s\"", docs[i], err.text);
    }
}
END_TEST

/* ========================================================================
 * passthrough
 * ======================================================================== */

/* Keys that look like schema keys, deep nesting, nulls, empties, numbers
 * of every JSON kind and non-ASCII keys. */
#define ANYTHING                                                                     \
    "{\"id\":5,\"first_name\":{\"x\":[]},\"location\":\"Mars\",\"frist_name\":true,"    \
    "\"deep\":{\"a\":{\"b\":{\"c\":[1,[2,[3,{\"d\":null}]]]}}},\"null\":null,"           \
    "\"empty_object\":{},\"empty_array\":[],\"int\":-9007199254740993,"              \
    "\"real\":1.25e-7,\"zero\":0,\"false\":false,\"ünïcödé kéy\":\"✓ 李\","            \
    "\"date\":\"not-a-date\",\"type\":\"HOME\",\"data\":\"!!not base64!!\"}"

START_TEST(custom_fields_keep_anything)
{
    json_t *anything = parse(ANYTHING);
    uats_object *c = text_ok(UATS_KIND_CANDIDATE, "{\"id\":\"c\",\"custom_fields\":" ANYTHING "}");
    assert_json_eq(uats_get_json(c, UATS_F_CUSTOM_FIELDS), anything, "candidate custom_fields");
    assert_json_eq(json_object_get(to_json(c, 0), "custom_fields"), anything, "written");

    uats_object *in = text_ok(UATS_KIND_CANDIDATE_INPUT, "{\"custom_fields\":" ANYTHING "}");
    assert_json_eq(uats_get_json(in, UATS_F_CUSTOM_FIELDS), anything, "input custom_fields");
    assert_json_eq(to_json(in, 0), parse("{\"custom_fields\":" ANYTHING "}"), "input written");

    /* Through the setter, and the value is copied. */
    uats_error err = {0};
    uats_object *c2 = new_candidate();
    json_t *mine = keepj(json_deep_copy(anything));
    ASSERT_OK(uats_set_json(c2, UATS_F_CUSTOM_FIELDS, mine, &err), err);
    json_object_set_new(mine, "added", json_true());
    json_object_del(mine, "deep");
    assert_json_eq(uats_get_json(c2, UATS_F_CUSTOM_FIELDS), anything, "set_json copy");
    uats_code rc = uats_set_json(c2, UATS_F_CUSTOM_FIELDS, parse("[1,2]"), &err);
    expect_invalid_at(rc, &err, "custom_fields", "custom_fields array");
    assert_json_eq(uats_get_json(c2, UATS_F_CUSTOM_FIELDS), anything, "kept after refusal");
}
END_TEST

START_TEST(remote_data_keeps_anything)
{
    static const char *const values[] = {ANYTHING, "[1,null,{\"x\":[]}]", "\"text\"", "42",
                                         "false", "{}"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        json_t *want = parse(values[i]);
        char doc[1024];
        snprintf(doc, sizeof doc, "{\"id\":\"c\",\"remote_data\":%s}", values[i]);
        uats_object *c = text_ok(UATS_KIND_CANDIDATE, doc);
        assert_json_eq(uats_get_json(c, UATS_F_REMOTE_DATA), want, "candidate remote_data");
        assert_json_eq(to_json(c, UATS_JSON_REMOTE_DATA), parse(doc), "candidate written");
        ck_assert_ptr_null(json_object_get(to_json(c, 0), "remote_data"));
        /* Still there after a write without it. */
        assert_json_eq(uats_get_json(c, UATS_F_REMOTE_DATA), want, "kept");

        uats_object *a = text_ok(UATS_KIND_ATTACHMENT, doc);
        assert_json_eq(to_json(a, UATS_JSON_REMOTE_DATA), parse(doc), "attachment written");
        ck_assert_ptr_null(json_object_get(to_json(a, 0), "remote_data"));

        uats_error err = {0};
        uats_object *c2 = new_candidate();
        ASSERT_OK(uats_set_json(c2, UATS_F_REMOTE_DATA, want, &err), err);
        assert_json_eq(uats_get_json(c2, UATS_F_REMOTE_DATA), want, "set_json remote_data");
    }
}
END_TEST

START_TEST(remote_fields_keep_anything)
{
    json_t *anything = parse(ANYTHING);
    uats_object *in = text_ok(UATS_KIND_CANDIDATE_INPUT,
                              "{\"first_name\":\"G\",\"remote_fields\":" ANYTHING "}");
    assert_json_eq(uats_get_json(in, UATS_F_REMOTE_FIELDS), anything, "remote_fields");
    assert_json_eq(to_json(in, 0),
                   parse("{\"first_name\":\"G\",\"remote_fields\":" ANYTHING "}"), "written");
    uats_error err = {0};
    uats_object *in2 = new_obj(UATS_KIND_CANDIDATE_INPUT);
    ASSERT_OK(uats_set_json(in2, UATS_F_REMOTE_FIELDS, anything, &err), err);
    assert_json_eq(uats_get_json(in2, UATS_F_REMOTE_FIELDS), anything, "set_json");
    /* Form answer values are any JSON too. */
    uats_object *in3 = text_ok(UATS_KIND_CANDIDATE_INPUT,
                               "{\"application\":{\"form_answers\":[{\"name\":\"n\","
                               "\"value\":" ANYTHING "}]}}");
    assert_json_eq(json_object_get(json_array_get(uats_get_json(in3, UATS_F_FORM_ANSWERS), 0),
                                   "value"),
                   anything, "form answer value");
}
END_TEST

/* The object owns a copy of what it read. */
START_TEST(input_json_is_copied)
{
    json_t *doc = keepj(json_deep_copy(fixture_json("candidate-full.json")));
    uats_error err = {0};
    uats_object *c = NULL;
    uats_code rc = uats_object_from_json(UATS_KIND_CANDIDATE, doc, &c, &err);
    keep(c);
    ASSERT_OK(rc, err);
    json_object_set_new(doc, "first_name", json_string("Changed"));
    json_object_set_new(json_object_get(doc, "custom_fields"), "new", json_true());
    json_array_clear(json_object_get(doc, "tags"));
    json_object_set_new(json_object_get(doc, "remote_data"), "id", json_null());
    json_object_set_new(json_object_get(doc, "location"), "city", json_string("Paris"));
    assert_json_eq(to_json(c, UATS_JSON_REMOTE_DATA), fixture_json("candidate-full.json"),
                   "unchanged by changes to the input");
}
END_TEST

/* Keys come out in schema order however the object was made: read from
 * JSON in another order, or built by setters in another order (the copy
 * path of uats_object_to_json and the rebuilding path must agree). */
static void assert_keys(json_t *j, const char *const *want)
{
    const char *key;
    json_t *v;
    size_t i = 0;
    json_object_foreach(j, key, v) {
        (void)v;
        ck_assert_msg(want[i], "extra key %s", key);
        ck_assert_str_eq(key, want[i]);
        i++;
    }
    ck_assert_ptr_null(want[i]);
    json_decref(j);
}

START_TEST(keys_come_out_in_schema_order)
{
    static const char *const order[] = {"id", "first_name", "last_name", "tags",
                                        "modified_at", NULL};
    static const char *const with_remote[] = {"id", "first_name", "last_name", "tags",
                                              "modified_at", "remote_data", NULL};
    uats_error err = {0};
    uats_object *c = NULL;
    const char *text = "{\"remote_data\": {\"x\": 1}, \"modified_at\": \"2026-01-01T00:00:00Z\","
                       " \"tags\": [\"a\"], \"last_name\": \"L\", \"first_name\": \"F\","
                       " \"id\": \"1\"}";
    uats_code rc = uats_object_from_text(UATS_KIND_CANDIDATE, text, strlen(text), &c, &err);
    keep(c);
    ASSERT_OK(rc, err);
    assert_keys(uats_object_to_json(c, 0), order);
    assert_keys(uats_object_to_json(c, UATS_JSON_REMOTE_DATA), with_remote);
    uats_object *d = keep(uats_object_dup(c));
    assert_keys(uats_object_to_json(d, UATS_JSON_REMOTE_DATA), with_remote);

    uats_object *b = keep(uats_object_new(UATS_KIND_CANDIDATE));
    ck_assert_int_eq(uats_set_string(b, UATS_F_MODIFIED_AT, "2026-01-01T00:00:00Z", &err), UATS_OK);
    ck_assert_int_eq(uats_list_add_string(b, UATS_F_TAGS, "a", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(b, UATS_F_LAST_NAME, "L", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(b, UATS_F_FIRST_NAME, "F", &err), UATS_OK);
    ck_assert_int_eq(uats_set_string(b, UATS_F_ID, "1", &err), UATS_OK);
    assert_keys(uats_object_to_json(b, 0), order);
    /* A setter on an object read in order: a new key must not go last. */
    ck_assert_int_eq(uats_unset(c, UATS_F_FIRST_NAME), UATS_OK);
    ck_assert_int_eq(uats_set_string(c, UATS_F_FIRST_NAME, "G", &err), UATS_OK);
    assert_keys(uats_object_to_json(c, 0), order);
}
END_TEST

/* ======================================================================== */

static TCase *tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc;

    tc = tcase(s, "roundtrip");
    tcase_add_loop_test(tc, fixture_round_trips, 0, NFIXTURES);
    tcase_add_test(tc, fixtures_set_every_field);
    tcase_add_test(tc, fixtures_set_every_nested_key);
    tcase_add_loop_test(tc, type_bits_agree_with_accessors, 0, NFIXTURES);
    tcase_add_loop_test(tc, setters_rebuild_every_fixture, 0, 2 * NFIXTURES);
    tcase_add_test(tc, output_keys_in_schema_order);

    tc = tcase(s, "accessors");
    tcase_add_test(tc, strings_top_level_and_nested);
    tcase_add_test(tc, booleans);
    tcase_add_test(tc, integers);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, string_lists);
    tcase_add_test(tc, typed_lists);
    tcase_add_test(tc, json_fields);
    tcase_add_test(tc, binary_data);
    tcase_add_test(tc, binary_data_every_length);
    tcase_add_test(tc, attachment_inputs_are_taken);
    tcase_add_test(tc, unset_removes_empty_parents);
    tcase_add_test(tc, dup_is_independent);
    tcase_add_test(tc, to_text_matches_to_json);
    tcase_add_test(tc, to_json_of_objects_being_built);

    tc = tcase(s, "safety");
    tcase_add_test(tc, wrong_accessor_type_is_refused);
    tcase_add_test(tc, fields_of_other_kinds_are_refused);
    tcase_add_test(tc, bad_index_and_unset_lists);
    tcase_add_test(tc, null_objects);
    tcase_add_test(tc, unknown_kinds);

    tc = tcase(s, "tables");
    tcase_add_test(tc, enum_names_in_order);
    tcase_add_test(tc, field_paths_are_inverse);
    tcase_add_test(tc, every_declared_field_is_listed);

    tc = tcase(s, "errors");
    tcase_add_loop_test(tc, bad_json_input_names_the_field, 0, NBAD);
    tcase_add_test(tc, setters_name_the_field);
    tcase_add_test(tc, set_string_rejects_invalid_utf8);
    tcase_add_test(tc, list_adds_reject_invalid_utf8);
    tcase_add_test(tc, set_number_rejects_nan);
    tcase_add_test(tc, add_typed_rejects_out_of_range_type);
    tcase_add_test(tc, malformed_json_gives_line_and_column);
    tcase_add_test(tc, invalid_utf8_gives_line_and_column);
    tcase_add_test(tc, duplicate_keys_give_line_and_column);
    tcase_add_test(tc, nul_in_strings_is_refused);
    tcase_add_test(tc, escaped_nul_in_text_names_the_field);
    tcase_add_test(tc, null_reads_as_not_set);
    tcase_add_test(tc, top_level_must_be_an_object);

    tc = tcase(s, "passthrough");
    tcase_add_test(tc, custom_fields_keep_anything);
    tcase_add_test(tc, remote_data_keeps_anything);
    tcase_add_test(tc, remote_fields_keep_anything);
    tcase_add_test(tc, input_json_is_copied);
    tcase_add_test(tc, keys_come_out_in_schema_order);

    return run_suite(s);
}
