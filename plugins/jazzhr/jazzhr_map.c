/*
 * plugins/jazzhr/jazzhr_map.c: JazzHR's applicant and file JSON <-> the
 * unified model. The rules are listed in plugins/jazzhr/README.md; the
 * wire format and what of it is confirmed in docs/vendors/jazzhr.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "jazzhr.h"

/* ---- unified -> JazzHR ---- */

/* Unified fields JazzHR's applicant create has no place for. */
static const char *const unstorable[] = {
    "company", "title", "locations", "is_private", "can_email", "tags", "avatar",
    "custom_fields", "gender", "date_of_birth", "summary", "skills", "education", "experience",
    "certifications", "visa_statuses", "veteran_status", "disability_status", "races",
    "highest_education_level", "contact_consent", "is_internal", "is_anonymized",
    "salary_expectations", "availability_date", "id", "acting_user", NULL};

static void warnf(uats_call *call, const char *list, size_t i, const char *tail,
                  const char *message)
{
    char path[96];
    snprintf(path, sizeof path, "%s[%zu]%s", list, i, tail);
    uats_host->warn(call, path, "%s", message);
}

/* JazzHR keeps one untyped value: the first goes, the rest are warned. */
static void first_value(uats_call *call, json_t *body, const json_t *input, const char *list,
                        const char *key, const char *what)
{
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(input, list), i, entry) {
        if (i == 0) {
            json_object_set(body, key, json_object_get(entry, "value"));
            if (json_object_get(entry, "type"))
                warnf(call, list, i, ".type", "JazzHR stores the applicant's one value "
                      "without a type");
        } else {
            char message[96];
            snprintf(message, sizeof message, "JazzHR keeps one %s per applicant", what);
            warnf(call, list, i, "", message);
        }
    }
}

static void put_part(uats_call *call, json_t *body, const char *key, const json_t *value,
                     const char *path)
{
    if (!value)
        return;
    if (json_object_get(body, key)) {
        uats_host->warn(call, path, "JazzHR keeps one %s per applicant; the address's was "
                        "used", key);
        return;
    }
    json_object_set(body, key, (json_t *)value);
}

static void urls_to(uats_call *call, json_t *body, const json_t *urls)
{
    size_t i;
    json_t *u;
    json_array_foreach(urls, i, u) {
        const char *type = json_string_value(json_object_get(u, "type"));
        const char *key = "website";
        if (type && strcmp(type, "LINKEDIN") == 0)
            key = "linkedin";
        else if (type && strcmp(type, "TWITTER") == 0)
            key = "twitter";
        if (json_object_get(body, key)) {
            char message[96];
            snprintf(message, sizeof message, "JazzHR keeps one %s address per applicant", key);
            warnf(call, "urls", i, "", message);
            continue;
        }
        json_object_set(body, key, json_object_get(u, "value"));
        if (strcmp(key, "website") == 0 && type && strcmp(type, "WEBSITE") != 0)
            warnf(call, "urls", i, ".type", "JazzHR has one website field; the link reads back "
                  "as WEBSITE");
    }
}

static void address_to(uats_call *call, json_t *body, const json_t *address)
{
    if (json_is_string(address)) {
        json_object_set(body, "address", (json_t *)address);
        return;
    }
    static const char *const parts[][2] = {{"street", "address"}, {"city", "city"},
                                           {"region", "state"}, {"postal_code", "postal"}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        json_t *v = json_object_get(address, parts[i][0]);
        if (v)
            json_object_set(body, parts[i][1], v);
    }
    if (json_object_get(address, "country"))
        uats_host->warn(call, "address.country", "JazzHR's applicant has no country");
}

static void application_to(uats_call *call, json_t *body, const json_t *app)
{
    json_t *job = json_object_get(app, "job_id");
    if (job)
        json_object_set(body, "job", job);
    if (json_object_get(app, "stage_id"))
        uats_host->warn(call, "application.stage_id", "JazzHR starts new applicants at the "
                        "job's first workflow step (setting another is not confirmed)");
    if (json_object_get(app, "source"))
        uats_host->warn(call, "application.source", "JazzHR's source is a free-text channel "
                        "name, not applied/lead; use remote_fields.source");
    if (json_object_get(app, "screening_answers"))
        uats_host->warn(call, "application.screening_answers", "JazzHR's applicant create "
                        "takes no questionnaire answers");
    if (json_object_get(app, "form_answers"))
        uats_host->warn(call, "application.form_answers", "JazzHR's applicant create takes "
                        "no form answers");
}

int jz_uploadable(const json_t *attachment)
{
    return json_is_string(json_object_get(attachment, "data"));
}

static void attachments_to(uats_call *call, const json_t *list)
{
    size_t i;
    json_t *att;
    json_array_foreach(list, i, att) {
        if (!jz_uploadable(att)) {
            warnf(call, "attachments", i, "", "JazzHR takes file contents; a file given by URL "
                  "was not sent (download it and pass data)");
            continue;
        }
        const char *type = json_string_value(json_object_get(att, "type"));
        if (type && strcmp(type, "OTHER") != 0)
            warnf(call, "attachments", i, ".type", "JazzHR keeps uploaded files without a "
                  "type; it reads back as OTHER");
        if (json_object_get(att, "application_id"))
            warnf(call, "attachments", i, ".application_id", "JazzHR keeps files on the "
                  "applicant");
    }
}

static bool missing(const json_t *v)
{
    return !json_is_string(v) || !*json_string_value(v);
}

uats_code jz_create_body(uats_call *call, const json_t *input, json_t **body)
{
    *body = NULL;
    const json_t *email = json_object_get(json_array_get(json_object_get(input,
                                                                         "email_addresses"), 0),
                                          "value");
    /* JazzHR requires these; asking without them could get a 2xx with an
     * error text, which would leave the create's outcome unknown. */
    if (missing(json_object_get(input, "first_name")))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "first_name", NULL,
                                     "JazzHR requires a first name (nothing was sent)");
    if (missing(json_object_get(input, "last_name")))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "last_name", NULL,
                                     "JazzHR requires a last name (nothing was sent)");
    if (missing(email))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "email_addresses", NULL,
                                     "JazzHR requires an e-mail address (nothing was sent)");
    json_t *b = json_object(), *v;
    if (!b)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    json_object_set(b, "first_name", json_object_get(input, "first_name"));
    json_object_set(b, "last_name", json_object_get(input, "last_name"));
    first_value(call, b, input, "email_addresses", "email", "e-mail address");
    first_value(call, b, input, "phone_numbers", "phone", "phone number");
    urls_to(call, b, json_object_get(input, "urls"));
    if ((v = json_object_get(input, "address")))
        address_to(call, b, v);
    if ((v = json_object_get(input, "location"))) {
        put_part(call, b, "city", json_object_get(v, "city"), "location.city");
        put_part(call, b, "state", json_object_get(v, "region"), "location.region");
        if (json_object_get(v, "country"))
            uats_host->warn(call, "location.country", "JazzHR's applicant has no country");
    }
    if ((v = json_object_get(input, "application")))
        application_to(call, b, v);
    attachments_to(call, json_object_get(input, "attachments"));
    for (const char *const *f = unstorable; *f; f++)
        if (json_object_get(input, *f))
            uats_host->warn(call, *f, "JazzHR's applicant has no field for %s", *f);
    /* Last: the host's explicit word wins. */
    json_t *extra = json_object_get(input, "remote_fields");
    if (extra && json_object_update(b, extra) != 0) {
        json_decref(b);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    *body = b;
    return UATS_OK;
}

json_t *jz_file_body(uats_call *call, const char *applicant_id, const json_t *attachment)
{
    /* The input's data is already standard base64, which file_data wants. */
    json_t *b = json_pack("{s:s, s:O, s:O}", "applicant_id", applicant_id, "filename",
                          json_object_get(attachment, "file_name"), "file_data",
                          json_object_get(attachment, "data"));
    if (!b)
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    return b;
}

/* ---- JazzHR -> unified ---- */

const json_t *jz_first(const json_t *doc)
{
    if (json_is_array(doc))
        doc = json_array_get(doc, 0);
    return json_is_object(doc) && json_object_size(doc) ? doc : NULL;
}

const char *jz_error_text(const json_t *doc)
{
    static const char *const keys[] = {"error", "message", "errors", NULL};
    if (!json_is_object(doc))
        return NULL;
    for (const char *const *k = keys; *k; k++) {
        json_t *v = json_object_get(doc, *k);
        if (json_is_object(v))
            v = json_object_get(v, "message");
        if (json_is_array(v))
            v = json_array_get(v, 0);
        if (json_is_string(v) && *json_string_value(v))
            return json_string_value(v);
    }
    return NULL;
}

const char *jz_created_id(uats_call *call, const json_t *doc)
{
    const char *id = json_string_value(json_object_get(doc, "prospect_id"));
    if (id && *id)
        return id;
    const char *text = jz_error_text(doc);
    uats_host->fail_vendor(call, UATS_E_VENDOR, 200, text,
                           text ? "JazzHR answered the create with an error text and no "
                                  "applicant id"
                                : "JazzHR's answer to the create has no applicant id");
    return NULL;
}

const char *jz_file_id(const json_t *doc)
{
    static const char *const keys[] = {"file_id", "id", NULL};
    for (const char *const *k = keys; *k; k++) {
        const char *id = json_string_value(json_object_get(doc, *k));
        if (id && *id)
            return id;
    }
    return NULL;
}

/* A string field of the applicant: NULL when absent, null or empty; false
 * when it has another type. */
static bool text_of(const json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
    return !v || json_is_null(v) || json_is_string(v);
}

/* The value of the first of two spellings that is set. */
static bool text_either(const json_t *obj, const char *a, const char *b, const char **out)
{
    const char *second;
    bool ok = text_of(obj, a, out) & text_of(obj, b, &second);
    if (!*out)
        *out = second;
    return ok;
}

json_t *jz_to_candidate(uats_call *call, const json_t *app, const json_t *file_ids)
{
    const char *id, *first, *last, *email, *phone, *street, *city, *state, *postal, *linkedin,
        *twitter, *website, *applied;
    bool ok = text_of(app, "id", &id) & text_of(app, "first_name", &first) &
              text_of(app, "last_name", &last) & text_of(app, "email", &email) &
              text_of(app, "phone", &phone) & text_of(app, "address", &street) &
              text_of(app, "city", &city) & text_of(app, "state", &state) &
              text_either(app, "postal", "postal_code", &postal) &
              text_either(app, "linkedin_url", "linkedin", &linkedin) &
              text_either(app, "twitter_username", "twitter", &twitter) &
              text_of(app, "website", &website) & text_of(app, "apply_date", &applied);
    if (!ok || !id) {
        uats_host->fail(call, UATS_E_VENDOR, "JazzHR's applicant %s",
                        id ? "has a field of the wrong type" : "has no id");
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s}", "id", id, "remote_id", id);
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    if (first)
        json_object_set_new(out, "first_name", json_string(first));
    if (last)
        json_object_set_new(out, "last_name", json_string(last));
    if (email)
        json_object_set_new(out, "email_addresses", json_pack("[{s:s}]", "value", email));
    if (phone)
        json_object_set_new(out, "phone_numbers", json_pack("[{s:s}]", "value", phone));
    json_t *urls = json_array();
    if (linkedin)
        json_array_append_new(urls, json_pack("{s:s, s:s}", "value", linkedin, "type",
                                               "LINKEDIN"));
    if (twitter)
        json_array_append_new(urls, json_pack("{s:s, s:s}", "value", twitter, "type",
                                               "TWITTER"));
    if (website)
        json_array_append_new(urls, json_pack("{s:s, s:s}", "value", website, "type",
                                               "WEBSITE"));
    json_object_set_new(out, "urls", urls);
    if (street || city || state || postal) {
        json_t *a = json_object();
        if (street)
            json_object_set_new(a, "street", json_string(street));
        if (city)
            json_object_set_new(a, "city", json_string(city));
        if (state)
            json_object_set_new(a, "region", json_string(state));
        if (postal)
            json_object_set_new(a, "postal_code", json_string(postal));
        json_object_set_new(out, "address", a);
    }
    if (city || state) {
        json_t *l = json_object();
        if (city)
            json_object_set_new(l, "city", json_string(city));
        if (state)
            json_object_set_new(l, "region", json_string(state));
        json_object_set_new(out, "location", l);
    }
    /* JazzHR's own dates carry no UTC offset; only a full one is converted. */
    char when[UATS_TIME_SIZE];
    if (applied && uats_host->time_normalize(applied, when) == UATS_OK)
        json_object_set_new(out, "remote_created_at", json_string(when));
    if (file_ids)
        json_object_set_new(out, "attachments", json_deep_copy(file_ids));
    /* Shared, not copied: the unified object keeps the vendor's alive. */
    json_object_set(out, "remote_data", (json_t *)app);
    return out;
}

/* Bytes that standard padded base64 text decodes to. */
static json_int_t decoded_size(const char *b64)
{
    size_t n = strlen(b64), pad = 0;
    while (pad < 2 && n > pad && b64[n - 1 - pad] == '=')
        pad++;
    return (json_int_t)(n / 4 * 3 - pad);
}

json_t *jz_to_attachment(uats_call *call, const char *file_id, const char *applicant_id,
                         const json_t *file, const json_t *input)
{
    json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "id", file_id, "remote_id", file_id,
                            "candidate_id", applicant_id, "type", "OTHER");
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *name = json_string_value(json_object_get(file, "filename"));
    if (!name)
        name = json_string_value(json_object_get(input, "file_name"));
    if (name)
        json_object_set_new(out, "file_name", json_string(name));
    json_t *type = json_object_get(input, "content_type");
    if (json_is_string(type))
        json_object_set(out, "content_type", type);
    const char *data = json_string_value(json_object_get(input, "data"));
    if (data)
        json_object_set_new(out, "size", json_integer(decoded_size(data)));
    json_object_set_new(out, "remote_data", file ? json_deep_copy(file)
                                                 : json_pack("{s:s}", "id", file_id));
    return out;
}
