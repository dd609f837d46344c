/*
 * plugins/eightfold/eightfold_map.c: Eightfold's ATS candidate JSON (API
 * v2: CreateATSProfileSchema, ATSProfileSchema) <-> the unified model. The
 * rules are listed in plugins/eightfold/README.md; the vendor facts behind
 * them, and which are confirmed, in docs/vendors/eightfold.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eightfold.h"

/* ---- helpers ---- */

static void warn_at(uats_call *call, const char *prefix, size_t i, const char *suffix,
                    const char *message)
{
    char path[96];
    snprintf(path, sizeof path, "%s[%zu]%s", prefix, i, suffix);
    uats_host->warn(call, path, "%s", message);
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
 * Hinnant's civil-date algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

bool ef_date_to_epoch(const char *s, int64_t *seconds)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > days[m - 1] + (m == 2 && leap))
        return false;
    *seconds = days_from_civil(y, m, d) * 86400;
    return true;
}

bool ef_epoch_to_date(int64_t seconds, char out[11])
{
    int64_t y;
    int m, d;
    /* Years 1..9999 only; also keeps -seconds from overflowing. */
    if (seconds < -62135596800LL || seconds > 253402300799LL)
        return false;
    int64_t day = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    civil_from_days(day, &y, &m, &d);
    if (y < 1 || y > 9999)
        return false;
    char text[32]; /* room for any int: the compiler cannot see m, d are small */
    snprintf(text, sizeof text, "%04d-%02d-%02d", (int)y, m, d);
    memcpy(out, text, 10);
    out[10] = '\0';
    return true;
}

void ef_hash_hex(char out[17], const char *const *parts, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; p && *p; p++) {
            h ^= *p;
            h *= 1099511628211ULL;
        }
        /* A separator, so that ("ab", "c") and ("a", "bc") differ. */
        h ^= 0x1f;
        h *= 1099511628211ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

char *ef_base64(const void *data, size_t len)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *in = data;
    char *out = uats_host->alloc((len + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        *o++ = abc[(v >> 18) & 63];
        *o++ = abc[(v >> 12) & 63];
        *o++ = i + 1 < len ? abc[(v >> 6) & 63] : '=';
        *o++ = i + 2 < len ? abc[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

bool ef_valid_region(const char *region)
{
    static const char *const known[] = {"eightfold",    "eightfold-eu", "eightfold-gov",
                                        "eightfold-ca", "eightfold-me", "eightfold-wu",
                                        "eightfold-ap"};
    for (size_t i = 0; region && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(region, known[i]) == 0)
            return true;
    return false;
}

int ef_transaction_state(const char *status)
{
    if (status && strcasecmp(status, "PASS") == 0)
        return 1;
    if (status && strcasecmp(status, "FAIL") == 0)
        return -1;
    return 0;
}

const char *ef_attachment_type(const char *unified)
{
    if (unified && strcmp(unified, "RESUME") == 0)
        return "resume";
    if (unified && strcmp(unified, "COVER_LETTER") == 0)
        return "cover_letter";
    return "others";
}

const char *ef_unified_attachment_type(const char *ef)
{
    if (ef && strcasecmp(ef, "resume") == 0)
        return "RESUME";
    if (ef && strcasecmp(ef, "cover_letter") == 0)
        return "COVER_LETTER";
    return "OTHER"; /* others, photo, and anything newer */
}

/* The MIME type a file name's extension implies, or NULL. Eightfold keeps
 * no content type, so this is all a read can offer. */
static const char *type_of_name(const char *name)
{
    static const char *const map[][2] = {
        {"pdf", "application/pdf"},
        {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"rtf", "application/rtf"},
        {"txt", "text/plain"},
        {"html", "text/html"},
        {"htm", "text/html"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"}};
    const char *dot = name ? strrchr(name, '.') : NULL;
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(dot + 1, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* The bytes standard base64 text decodes to. */
static size_t b64_size(const char *b64)
{
    size_t n = 0, pad = 0;
    for (const char *p = b64; *p; p++) {
        if (*p == '=')
            pad++;
        else if (*p != '\n' && *p != '\r')
            n++;
    }
    (void)pad;
    return n * 3 / 4;
}

/* ---- unified -> Eightfold ---- */

/* Unified fields Eightfold's ATS candidate has no place for. */
static const char *const unstorable[][2] = {
    {"is_private", "Eightfold's ATS candidate has no privacy flag"},
    {"can_email", "Eightfold keeps contact consent (contact_consent), not an e-mail flag"},
    {"avatar", "Eightfold takes a photo only as inline content, not a URL"},
    {"salary_expectations", "Eightfold's ATS candidate has no salary expectations"},
    {"availability_date", "Eightfold's ATS candidate has no availability date"},
    {"acting_user", "Eightfold's API has no way to act for a user"},
};

/* Unified key -> Eightfold key, values copied as they are. */
static const char *const same_values[][2] = {
    {"last_name", "lastName"},
    {"title", "title"},
    {"summary", "summary"},
    {"gender", "gender"},
    {"date_of_birth", "dateOfBirth"},
    {"visa_statuses", "visaStatuses"},
    {"veteran_status", "veteranStatus"},
    {"disability_status", "disabilityStatus"},
    {"races", "races"},
    {"highest_education_level", "highestEducationLevel"},
    {"contact_consent", "contactConsent"},
    {"is_internal", "isInternal"},
    {"is_anonymized", "isAnonymized"},
    {"skills", "skills"},
    {"tags", "tags"},
    {"custom_fields", "customInfo"},
};

/* A date field as epoch seconds, or null (Eightfold's required keys are
 * sent even when unknown). */
static json_t *ts_of(uats_call *call, const json_t *entry, const char *key, const char *list,
                     size_t i)
{
    int64_t s;
    const char *date = json_string_value(json_object_get(entry, key));
    if (!date || !ef_date_to_epoch(date, &s))
        return json_null();
    /* Eightfold's times are int32 seconds: 1901-12-13 to 2038-01-19. */
    if (s < INT32_MIN || s > INT32_MAX) {
        char suffix[40];
        snprintf(suffix, sizeof suffix, ".%s", key);
        warn_at(call, list, i, suffix, "Eightfold's dates are 32-bit epoch seconds "
                "(1901-12-14 to 2038-01-19); not sent");
        return json_null();
    }
    return json_integer(s);
}

static json_t *value_or_null(const json_t *entry, const char *key)
{
    json_t *v = json_object_get(entry, key);
    return v ? json_incref(v) : json_null();
}

static json_t *education(uats_call *call, const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_t *x = json_object();
        static const char *const keys[] = {"school", "degree", "major", "location",
                                           "description"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            json_object_set_new(x, keys[k], value_or_null(e, keys[k]));
        json_object_set_new(x, "startTs", ts_of(call, e, "start_date", "education", i));
        if (json_object_get(e, "end_date"))
            json_object_set_new(x, "endTs", ts_of(call, e, "end_date", "education", i));
        if (json_object_get(e, "is_current"))
            json_object_set(x, "isCurrent", json_object_get(e, "is_current"));
        if (json_object_get(e, "is_graduated"))
            json_object_set(x, "isGraduated", json_object_get(e, "is_graduated"));
        json_array_append_new(out, x);
    }
    return out;
}

static json_t *experience(uats_call *call, const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_t *x = json_object();
        static const char *const keys[] = {"company", "title", "location"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            json_object_set_new(x, keys[k], value_or_null(e, keys[k]));
        json_object_set_new(x, "isCurrent", value_or_null(e, "is_current"));
        json_object_set_new(x, "isInternal", value_or_null(e, "is_internal"));
        json_object_set_new(x, "startTs", ts_of(call, e, "start_date", "experience", i));
        if (json_object_get(e, "end_date"))
            json_object_set_new(x, "endTs", ts_of(call, e, "end_date", "experience", i));
        if (json_object_get(e, "department"))
            json_object_set(x, "department", json_object_get(e, "department"));
        if (json_object_get(e, "description"))
            json_object_set(x, "description", json_object_get(e, "description"));
        json_array_append_new(out, x);
    }
    return out;
}

static json_t *certifications(uats_call *call, const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_t *x = json_pack("{s:O}", "certificateName", json_object_get(e, "name"));
        if (json_object_get(e, "issuer"))
            json_object_set(x, "issuingAuthority", json_object_get(e, "issuer"));
        if (json_object_get(e, "number"))
            json_object_set(x, "licenseNo", json_object_get(e, "number"));
        if (json_object_get(e, "issued_on"))
            json_object_set_new(x, "validFromTs", ts_of(call, e, "issued_on", "certifications", i));
        if (json_object_get(e, "expires_on"))
            json_object_set_new(x, "validToTs", ts_of(call, e, "expires_on", "certifications", i));
        json_array_append_new(out, x);
    }
    return out;
}

/* The address as Eightfold's one line of text. */
static json_t *address_text(uats_call *call, const json_t *addr)
{
    if (json_is_string(addr))
        return json_incref((json_t *)addr);
    static const char *const parts[] = {"street", "city", "region", "postal_code", "country"};
    char text[512] = "";
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const char *p = json_string_value(json_object_get(addr, parts[i]));
        size_t used = strlen(text);
        if (p && *p)
            snprintf(text + used, sizeof text - used, "%s%s", used ? ", " : "", p);
    }
    uats_host->warn(call, "address", "Eightfold keeps the address as one line of text; it "
                    "reads back as a string");
    return *text ? json_string(text) : NULL;
}

static void emails(uats_call *call, json_t *body, const json_t *list)
{
    size_t i, pick = 0;
    json_t *e;
    /* One address only: the personal one when there is one. */
    json_array_foreach(list, i, e) {
        const char *type = json_string_value(json_object_get(e, "type"));
        if (type && strcmp(type, "PERSONAL") == 0) {
            pick = i;
            break;
        }
    }
    json_array_foreach(list, i, e) {
        if (i == pick) {
            json_object_set(body, "emails", json_object_get(e, "value"));
            if (json_object_get(e, "type"))
                warn_at(call, "email_addresses", i, ".type", "Eightfold stores the address "
                        "without a type");
        } else {
            warn_at(call, "email_addresses", i, "", "Eightfold keeps one e-mail address per "
                    "ATS candidate");
        }
    }
}

static void phones(uats_call *call, json_t *body, const json_t *list)
{
    size_t i;
    json_t *e;
    char *joined = NULL;
    size_t used = 0;
    json_array_foreach(list, i, e) {
        const char *v = json_string_value(json_object_get(e, "value"));
        if (strchr(v, ',')) {
            warn_at(call, "phone_numbers", i, "", "Eightfold separates numbers with commas, "
                    "so a number holding one cannot be stored; not sent");
            continue;
        }
        if (json_object_get(e, "type"))
            warn_at(call, "phone_numbers", i, ".type", "Eightfold stores numbers without a "
                    "type");
        size_t n = strlen(v);
        char *grown = realloc(joined, used + n + 2);
        if (!grown)
            break;
        joined = grown;
        if (used)
            joined[used++] = ',';
        memcpy(joined + used, v, n + 1);
        used += n;
    }
    if (joined)
        json_object_set_new(body, "phones", json_string(joined));
    free(joined);
}

static const char *url_type_of(const char *url);

static void urls(uats_call *call, json_t *body, const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *value = json_string_value(json_object_get(e, "value"));
        const char *type = json_string_value(json_object_get(e, "type"));
        json_array_append(out, json_object_get(e, "value"));
        /* Read back, the type is guessed from the host: warn only when
         * that guess would differ. */
        if (type && strcmp(type, url_type_of(value)) != 0)
            warn_at(call, "urls", i, ".type", "Eightfold stores URLs without a type");
    }
    json_object_set_new(body, "urls", out);
}

static void locations(uats_call *call, json_t *body, const json_t *input)
{
    const json_t *list = json_object_get(input, "locations");
    const json_t *loc = json_object_get(input, "location");
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (i == 0)
            json_object_set(body, "location", e);
        else
            warn_at(call, "locations", i, "", "Eightfold keeps one location per ATS candidate");
    }
    if (!loc)
        return;
    if (json_object_get(loc, "country"))
        json_object_set(body, "locationCountry", json_object_get(loc, "country"));
    const char *city = json_string_value(json_object_get(loc, "city"));
    const char *region = json_string_value(json_object_get(loc, "region"));
    if (!city && !region)
        return;
    if (json_array_size(list)) {
        if (city)
            uats_host->warn(call, "location.city", "Eightfold keeps one location text, "
                            "taken by locations[0]");
        if (region)
            uats_host->warn(call, "location.region", "Eightfold keeps one location text, "
                            "taken by locations[0]");
        return;
    }
    char text[512];
    const char *country = json_string_value(json_object_get(loc, "country"));
    snprintf(text, sizeof text, "%s%s%s%s%s", city ? city : "", city && region ? ", " : "",
             region ? region : "", country ? ", " : "", country ? country : "");
    json_object_set_new(body, "location", json_string(text));
    if (city)
        uats_host->warn(call, "location.city", "Eightfold keeps the location as text: it "
                        "reads back under locations");
    if (region)
        uats_host->warn(call, "location.region", "Eightfold keeps the location as text: it "
                        "reads back under locations");
}

/* company has no place of its own: it is kept when an experience entry
 * names it as the current employer. */
static void company(uats_call *call, const json_t *input)
{
    const char *name = json_string_value(json_object_get(input, "company"));
    size_t i;
    json_t *e;
    if (!name)
        return;
    json_array_foreach(json_object_get(input, "experience"), i, e) {
        const char *c = json_string_value(json_object_get(e, "company"));
        if (c && strcmp(c, name) == 0 && json_is_true(json_object_get(e, "is_current")))
            return;
    }
    uats_host->warn(call, "company", "Eightfold has no company field; it keeps employers "
                    "in experience entries (send one with is_current)");
}

json_t *ef_attachment(uats_call *call, const json_t *input, const char *candidate_id,
                      const char *b64, const char *application_id, const char *field,
                      int64_t now)
{
    const char *name = json_string_value(json_object_get(input, "file_name"));
    const char *type = json_string_value(json_object_get(input, "type"));
    const char *ctype = json_string_value(json_object_get(input, "content_type"));
    const char *parts[] = {candidate_id, name, b64};
    char hash[17], id[24], path[96];
    ef_hash_hex(hash, parts, 3);
    snprintf(id, sizeof id, "att-%s", hash);
    json_t *att = json_pack("{s:s, s:s, s:s, s:b, s:s, s:I}", "attachmentId", id, "fileName",
                            name, "attachmentType", ef_attachment_type(type), "isBase64", 1,
                            "attachmentContent", b64, "lastModifiedTs", (json_int_t)now);
    if (att && application_id)
        json_object_set_new(att, "applicationMetadata",
                            json_pack("[{s:s}]", "applicationId", application_id));
    if (type && strcmp(type, "OFFER_LETTER") == 0) {
        snprintf(path, sizeof path, "%s%stype", field, *field ? "." : "");
        uats_host->warn(call, path, "Eightfold has no offer letter type: stored as others, "
                        "read back as OTHER");
    }
    if (ctype) {
        const char *guess = type_of_name(name);
        if (!guess || strcasecmp(guess, ctype) != 0) {
            snprintf(path, sizeof path, "%s%scontent_type", field, *field ? "." : "");
            uats_host->warn(call, path, "Eightfold keeps no content type; reads guess it "
                            "from the file name");
        }
    }
    return att;
}

static json_t *application(uats_call *call, const json_t *app, const char *candidate_id,
                           const char *system_id, int64_t now, char app_id[24])
{
    const char *job = json_string_value(json_object_get(app, "job_id"));
    const char *source = json_string_value(json_object_get(app, "source"));
    const char *parts[] = {candidate_id, job ? job : ""};
    char hash[17];
    ef_hash_hex(hash, parts, 2);
    snprintf(app_id, 24, "app-%s", hash);
    json_t *a = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "applicationId", app_id,
                          "candidateId", candidate_id, "systemId", system_id, "applicationTs",
                          (json_int_t)now, "lastModifiedTs", (json_int_t)now, "status",
                          "active");
    if (job)
        json_object_set_new(a, "jobs", json_pack("[{s:s}]", "atsJobId", job));
    if (source)
        json_object_set_new(a, "isProspect", json_boolean(strcmp(source, "lead") == 0));
    const json_t *answers = json_object_get(app, "screening_answers");
    if (answers) {
        json_t *qs = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(answers, i, e) {
            json_t *ans = json_object_get(e, "answer");
            json_array_append_new(qs, json_pack("{s:O, s:o}", "questionId",
                                                json_object_get(e, "question_id"), "answer",
                                                json_is_array(ans) ? json_incref(ans)
                                                                   : json_pack("[O]", ans)));
        }
        json_object_set_new(a, "questions", qs);
    }
    if (json_object_get(app, "stage_id"))
        uats_host->warn(call, "application.stage_id", "Eightfold's stage needs a workflow "
                        "stage, sub-stage, reason and user that a stage id does not give");
    if (json_object_get(app, "form_answers"))
        uats_host->warn(call, "application.form_answers", "Eightfold's application has no "
                        "form answers (screening_answers are kept)");
    return a;
}

uats_code ef_create_body(uats_call *call, const json_t *input, const char *system_id,
                         int64_t now, const char *const *downloaded, json_t **body)
{
    const char *id = json_string_value(json_object_get(input, "id"));
    *body = NULL;
    if (!id || !*id)
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "id", NULL,
                                     "Eightfold's ATS candidates are keyed by the caller's id: "
                                     "set id (the candidate's id in your ATS)");
    if (!json_string_value(json_object_get(input, "first_name")))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "first_name", NULL,
                                     "Eightfold requires a first name");
    if (!json_array_size(json_object_get(input, "email_addresses")))
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "email_addresses", NULL,
                                     "Eightfold requires an e-mail address");
    json_t *b = json_pack("{s:s, s:s, s:O, s:I}", "candidateId", id, "systemId", system_id,
                          "firstName", json_object_get(input, "first_name"), "lastActivityTs",
                          (json_int_t)now);
    if (!b)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    for (size_t i = 0; i < sizeof same_values / sizeof same_values[0]; i++) {
        json_t *v = json_object_get(input, same_values[i][0]);
        if (v)
            json_object_set(b, same_values[i][1], v);
    }
    for (size_t i = 0; i < sizeof unstorable / sizeof unstorable[0]; i++)
        if (json_object_get(input, unstorable[i][0]))
            uats_host->warn(call, unstorable[i][0], "%s", unstorable[i][1]);
    company(call, input);
    emails(call, b, json_object_get(input, "email_addresses"));
    if (json_object_get(input, "phone_numbers"))
        phones(call, b, json_object_get(input, "phone_numbers"));
    if (json_object_get(input, "urls"))
        urls(call, b, json_object_get(input, "urls"));
    locations(call, b, input);
    if (json_object_get(input, "address")) {
        json_t *a = address_text(call, json_object_get(input, "address"));
        if (a)
            json_object_set_new(b, "address", a);
    }
    if (json_object_get(input, "education"))
        json_object_set_new(b, "education", education(call, json_object_get(input, "education")));
    if (json_object_get(input, "experience"))
        json_object_set_new(b, "experience", experience(call, json_object_get(input, "experience")));
    if (json_object_get(input, "certifications"))
        json_object_set_new(b, "certifications",
                            certifications(call, json_object_get(input, "certifications")));
    char app_id[24] = "";
    const json_t *app = json_object_get(input, "application");
    if (app)
        json_object_set_new(b, "applications",
                            json_pack("[o]", application(call, app, id, system_id, now,
                                                         app_id)));
    size_t i;
    json_t *e;
    json_t *atts = json_array();
    json_array_foreach(json_object_get(input, "attachments"), i, e) {
        char field[48];
        snprintf(field, sizeof field, "attachments[%zu]", i);
        const char *b64 = downloaded && downloaded[i]
                              ? downloaded[i]
                              : json_string_value(json_object_get(e, "data"));
        /* A file is linked to the application it names, else to the one
         * made with it. */
        const char *link = json_string_value(json_object_get(e, "application_id"));
        json_array_append_new(atts, ef_attachment(call, e, id, b64 ? b64 : "",
                                                  link ? link : *app_id ? app_id : NULL, field,
                                                  now));
    }
    if (json_array_size(atts))
        json_object_set(b, "attachments", atts);
    json_decref(atts);
    /* The caller's own vendor keys go in last, over the mapping. */
    const json_t *extra = json_object_get(input, "remote_fields");
    if (json_is_true(json_object_get(extra, "autoGenerateCandidateId"))) {
        json_decref(b);
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0,
                                     "remote_fields.autoGenerateCandidateId", NULL,
                                     "Eightfold-made ids would make every retried create a new "
                                     "candidate: set id instead");
    }
    if (json_is_object(extra))
        json_object_update(b, (json_t *)extra);
    /* The keys the safe retry rests on stay ours. */
    json_object_set_new(b, "candidateId", json_string(id));
    json_object_set_new(b, "systemId", json_string(system_id));
    *body = b;
    return UATS_OK;
}

bool ef_same_candidate(const json_t *stored, const json_t *body)
{
    /* lastActivityTs is this attempt's own stamp: an older record under the
     * same id (an earlier import) does not pass for the write just sent. */
    static const char *const keys[] = {"candidateId", "firstName", "lastName", "emails",
                                       "lastActivityTs"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const json_t *a = json_object_get(stored, keys[i]), *b = json_object_get(body, keys[i]);
        if (json_is_null(a))
            a = NULL;
        if (json_is_null(b))
            b = NULL;
        if (!(a == b || (a && b && json_equal(a, b))))
            return false;
    }
    return true;
}

/* ---- Eightfold -> unified ---- */

static bool host_is(const char *url, const char *domain)
{
    const char *host = url ? strstr(url, "://") : NULL;
    if (!host)
        return false;
    host += 3;
    size_t len = strcspn(host, "/:?#"), k = strlen(domain);
    return len >= k && strncasecmp(host + len - k, domain, k) == 0 &&
           (len == k || host[len - k - 1] == '.');
}

static const char *url_type_of(const char *url)
{
    if (host_is(url, "linkedin.com"))
        return "LINKEDIN";
    if (host_is(url, "github.com"))
        return "GITHUB";
    if (host_is(url, "twitter.com") || host_is(url, "x.com"))
        return "TWITTER";
    return "OTHER";
}

/* "a@x.org, b@y.org" -> [{value}], split on the separators given. */
static json_t *split_values(const char *text, const char *seps)
{
    json_t *out = json_array();
    const char *p = text;
    while (p && *p) {
        size_t n = strcspn(p, seps);
        const char *s = p, *end = p + n;
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end > s) {
            json_t *v = json_stringn(s, (size_t)(end - s));
            if (v)
                json_array_append_new(out, json_pack("{s:o}", "value", v));
        }
        p += n;
        if (*p)
            p++;
    }
    return out;
}

static void set_string(json_t *out, const char *key, const json_t *v)
{
    if (json_is_string(v) && *json_string_value(v))
        json_object_set(out, key, (json_t *)v);
}

static void set_bool(json_t *out, const char *key, const json_t *v)
{
    if (json_is_boolean(v))
        json_object_set(out, key, (json_t *)v);
}

static void set_strings(json_t *out, const char *key, const json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v) || !json_array_size(v))
        return;
    json_t *list = json_array();
    json_array_foreach(v, i, e)
        if (json_is_string(e))
            json_array_append(list, e);
    if (json_array_size(list))
        json_object_set(out, key, list);
    json_decref(list);
}

static void set_date(json_t *out, const char *key, const json_t *ts)
{
    char date[11];
    if (json_is_integer(ts) && ef_epoch_to_date(json_integer_value(ts), date))
        json_object_set_new(out, key, json_string(date));
}

static json_t *education_of(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_t *u = json_object();
        static const char *const keys[] = {"school", "degree", "major", "location",
                                           "description"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            set_string(u, keys[k], json_object_get(e, keys[k]));
        set_date(u, "start_date", json_object_get(e, "startTs"));
        set_date(u, "end_date", json_object_get(e, "endTs"));
        set_bool(u, "is_current", json_object_get(e, "isCurrent"));
        set_bool(u, "is_graduated", json_object_get(e, "isGraduated"));
        json_array_append_new(out, u);
    }
    return out;
}

static json_t *experience_of(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_t *u = json_object();
        static const char *const keys[] = {"company", "title", "department", "location",
                                           "description"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            set_string(u, keys[k], json_object_get(e, keys[k]));
        set_date(u, "start_date", json_object_get(e, "startTs"));
        set_date(u, "end_date", json_object_get(e, "endTs"));
        set_bool(u, "is_current", json_object_get(e, "isCurrent"));
        set_bool(u, "is_internal", json_object_get(e, "isInternal"));
        json_array_append_new(out, u);
    }
    return out;
}

static json_t *certifications_of(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const json_t *name = json_object_get(e, "certificateName");
        if (!json_is_string(name) || !*json_string_value(name))
            continue; /* the unified entry needs a name */
        json_t *u = json_pack("{s:O}", "name", name);
        set_string(u, "issuer", json_object_get(e, "issuingAuthority"));
        set_string(u, "number", json_object_get(e, "licenseNo"));
        set_date(u, "issued_on", json_object_get(e, "validFromTs"));
        set_date(u, "expires_on", json_object_get(e, "validToTs"));
        json_array_append_new(out, u);
    }
    return out;
}

/* The current employer: the experience entry marked current, else the one
 * that started last. */
static const json_t *current_company(const json_t *list)
{
    const json_t *best = NULL;
    json_int_t best_start = 0;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const json_t *c = json_object_get(e, "company");
        if (!json_is_string(c) || !*json_string_value(c))
            continue;
        if (json_is_true(json_object_get(e, "isCurrent")))
            return c;
        json_int_t start = json_integer_value(json_object_get(e, "startTs"));
        if (!best || start > best_start) {
            best = c;
            best_start = start;
        }
    }
    return best;
}

static bool is_country(const char *s)
{
    return s && strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static bool is_consent(const char *s)
{
    return s && (strcmp(s, "applied_only") == 0 || strcmp(s, "all") == 0 ||
                 strcmp(s, "country_only") == 0);
}

static json_t *ids_of(const json_t *list, const char *key)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const json_t *id = json_object_get(e, key);
        if (json_is_string(id) && *json_string_value(id))
            json_array_append(out, (json_t *)id);
    }
    return out;
}

static void set_list(json_t *out, const char *key, json_t *list)
{
    if (json_array_size(list))
        json_object_set(out, key, list);
    json_decref(list);
}

json_t *ef_to_candidate(uats_call *call, const json_t *p)
{
    const json_t *id = json_object_get(p, "candidateId");
    if (!json_is_object(p) || !json_is_string(id) || !*json_string_value(id) ||
        !json_is_string(json_object_get(p, "firstName"))) {
        uats_host->fail(call, UATS_E_VENDOR, "Eightfold's ATS candidate has no candidateId or "
                        "firstName");
        return NULL;
    }
    json_t *c = json_pack("{s:O, s:O, s:O}", "id", id, "remote_id", id, "remote_data", p);
    if (!c) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    set_string(c, "first_name", json_object_get(p, "firstName"));
    set_string(c, "last_name", json_object_get(p, "lastName"));
    const json_t *company = current_company(json_object_get(p, "experience"));
    if (company)
        json_object_set(c, "company", (json_t *)company);
    set_string(c, "title", json_object_get(p, "title"));
    const char *loc = json_string_value(json_object_get(p, "location"));
    if (loc && *loc)
        json_object_set_new(c, "locations", json_pack("[s]", loc));
    const char *emails_text = json_string_value(json_object_get(p, "emails"));
    if (emails_text)
        set_list(c, "email_addresses", split_values(emails_text, ",;"));
    const char *phones_text = json_string_value(json_object_get(p, "phones"));
    if (phones_text)
        set_list(c, "phone_numbers", split_values(phones_text, ","));
    json_t *links = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(p, "urls"), i, e) {
        if (json_is_string(e) && *json_string_value(e))
            json_array_append_new(links, json_pack("{s:O, s:s}", "value", e, "type",
                                                   url_type_of(json_string_value(e))));
    }
    set_list(c, "urls", links);
    set_strings(c, "tags", json_object_get(p, "tags"));
    if (json_is_object(json_object_get(p, "customInfo")))
        json_object_set(c, "custom_fields", json_object_get(p, "customInfo"));
    set_string(c, "gender", json_object_get(p, "gender"));
    const char *dob = json_string_value(json_object_get(p, "dateOfBirth"));
    int64_t ignored;
    if (dob && ef_date_to_epoch(dob, &ignored))
        json_object_set_new(c, "date_of_birth", json_string(dob));
    set_string(c, "address", json_object_get(p, "address"));
    const char *country = json_string_value(json_object_get(p, "locationCountry"));
    if (is_country(country))
        json_object_set_new(c, "location", json_pack("{s:s}", "country", country));
    set_string(c, "summary", json_object_get(p, "summary"));
    set_strings(c, "skills", json_object_get(p, "skills"));
    if (!json_object_get(c, "skills")) {
        json_t *names = json_array();
        json_array_foreach(json_object_get(p, "skillDetails"), i, e)
            if (json_is_string(json_object_get(e, "skill")))
                json_array_append(names, json_object_get(e, "skill"));
        set_list(c, "skills", names);
    }
    if (json_is_array(json_object_get(p, "education")))
        set_list(c, "education", education_of(json_object_get(p, "education")));
    if (json_is_array(json_object_get(p, "experience")))
        set_list(c, "experience", experience_of(json_object_get(p, "experience")));
    if (json_is_array(json_object_get(p, "certifications")))
        set_list(c, "certifications", certifications_of(json_object_get(p, "certifications")));
    set_strings(c, "visa_statuses", json_object_get(p, "visaStatuses"));
    set_bool(c, "veteran_status", json_object_get(p, "veteranStatus"));
    set_bool(c, "disability_status", json_object_get(p, "disabilityStatus"));
    set_strings(c, "races", json_object_get(p, "races"));
    set_string(c, "highest_education_level", json_object_get(p, "highestEducationLevel"));
    const char *consent = json_string_value(json_object_get(p, "contactConsent"));
    if (is_consent(consent))
        json_object_set_new(c, "contact_consent", json_string(consent));
    set_bool(c, "is_internal", json_object_get(p, "isInternal"));
    set_bool(c, "is_anonymized", json_object_get(p, "isAnonymized"));
    set_list(c, "applications", ids_of(json_object_get(p, "applications"), "applicationId"));
    set_list(c, "attachments", ids_of(json_object_get(p, "attachments"), "attachmentId"));
    const json_t *ts = json_object_get(p, "lastActivityTs");
    char when[UATS_TIME_SIZE];
    /* Range first: a hostile value must not overflow the multiplication. */
    if (json_is_integer(ts) && json_integer_value(ts) >= -62135596800LL &&
        json_integer_value(ts) <= 253402300799LL &&
        uats_host->time_from_epoch_ms(json_integer_value(ts) * 1000, when) == UATS_OK) {
        json_object_set_new(c, "remote_updated_at", json_string(when));
        json_object_set_new(c, "last_interaction_at", json_string(when));
    }
    return c;
}

json_t *ef_to_attachment(uats_call *call, const json_t *att, const char *candidate_id)
{
    const json_t *id = json_object_get(att, "attachmentId");
    if (!json_is_string(id) || !*json_string_value(id)) {
        uats_host->fail(call, UATS_E_VENDOR, "Eightfold's attachment has no attachmentId");
        return NULL;
    }
    json_t *a = json_pack("{s:O, s:O, s:s, s:s, s:O}", "id", id, "remote_id", id,
                          "candidate_id", candidate_id, "type",
                          ef_unified_attachment_type(
                              json_string_value(json_object_get(att, "attachmentType"))),
                          "remote_data", att);
    if (!a) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *name = json_string_value(json_object_get(att, "fileName"));
    set_string(a, "file_name", json_object_get(att, "fileName"));
    if (type_of_name(name))
        json_object_set_new(a, "content_type", json_string(type_of_name(name)));
    const char *content = json_string_value(json_object_get(att, "attachmentContent"));
    if (content && json_is_true(json_object_get(att, "isBase64")))
        json_object_set_new(a, "size", json_integer((json_int_t)b64_size(content)));
    const json_t *link = json_array_get(json_object_get(att, "applicationMetadata"), 0);
    set_string(a, "application_id", json_object_get(link, "applicationId"));
    return a;
}
