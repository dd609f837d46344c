/*
 * plugins/workable/workable_map.c: Workable's candidate JSON (API v3) <->
 * the unified model. The rules are listed in plugins/workable/README.md;
 * the vendor facts behind them, and which are confirmed, in
 * docs/vendors/workable.md.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "workable.h"

/* ---- helpers ---- */

static void warnf_path(uats_call *call, const char *prefix, size_t i, const char *suffix,
                       const char *message)
{
    char path[96];
    snprintf(path, sizeof path, "%s[%zu]%s", prefix, i, suffix);
    uats_host->warn(call, path, "%s", message);
}

bool wk_is_date(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

bool wk_valid_subdomain(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* ---- unified -> Workable ---- */

/* Unified fields Workable's candidate has no place for. */
static const char *const unstorable[] = {
    "locations", "location", "is_private", "can_email", "avatar", "custom_fields", "gender",
    "date_of_birth", "certifications", "visa_statuses", "veteran_status", "disability_status",
    "races", "highest_education_level", "contact_consent", "is_internal", "is_anonymized",
    "salary_expectations", "availability_date", "acting_user", "id", NULL};

/* The host of a URL, for inferring a profile's type when none is given. */
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

const char *wk_social_type(const json_t *url)
{
    const char *type = json_string_value(json_object_get(url, "type"));
    const char *value = json_string_value(json_object_get(url, "value"));
    /* Only the types the vendor's own example shows: others are not
     * confirmed, and a profile of an unknown type may be refused. */
    if (type ? strcmp(type, "LINKEDIN") == 0 : host_is(value, "linkedin.com"))
        return "linkedin";
    if (type ? strcmp(type, "TWITTER") == 0
             : host_is(value, "twitter.com") || host_is(value, "x.com"))
        return "twitter";
    return NULL;
}

const char *wk_url_type(const char *social_type)
{
    static const char *const map[][2] = {{"linkedin", "LINKEDIN"}, {"twitter", "TWITTER"},
                                         {"github", "GITHUB"},     {"facebook", "SOCIAL_MEDIA"},
                                         {"googleplus", "SOCIAL_MEDIA"}};
    for (size_t i = 0; social_type && i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(map[i][0], social_type) == 0)
            return map[i][1];
    return "OTHER";
}

const char *wk_input_field(const char *key)
{
    static const char *const map[][2] = {
        {"name", "first_name"},           {"firstname", "first_name"},
        {"lastname", "last_name"},        {"email", "email_addresses[0]"},
        {"phone", "phone_numbers[0]"},    {"headline", "title"},
        {"summary", "summary"},           {"address", "address"},
        {"social_profiles", "urls"},      {"tags", "tags"},
        {"skills", "skills"},             {"education_entries", "education"},
        {"experience_entries", "experience"}, {"answers", "application.screening_answers"},
        {"resume", "attachments"},        {"resume_url", "attachments"}};
    for (size_t i = 0; key && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], key) == 0)
            return map[i][1];
    return NULL;
}

/* The first entry's value of a typed list; the rest, and types, warned. */
static void first_value(uats_call *call, json_t *cand, const char *wk_key, const json_t *list,
                        const char *field, const char *what)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (i == 0) {
            json_object_set(cand, wk_key, json_object_get(e, "value"));
            if (json_object_get(e, "type"))
                warnf_path(call, field, 0, ".type", "Workable stores it without a type");
        } else {
            char msg[96];
            snprintf(msg, sizeof msg, "Workable keeps one %s per candidate", what);
            warnf_path(call, field, i, "", msg);
        }
    }
}

static char *headline_of(const json_t *input)
{
    const char *title = json_string_value(json_object_get(input, "title"));
    const char *company = json_string_value(json_object_get(input, "company"));
    if (!title && !company)
        return NULL;
    size_t n = (title ? strlen(title) : 0) + (company ? strlen(company) : 0) + 8;
    char *out = uats_host->alloc(n);
    if (out && title && company)
        snprintf(out, n, "%s at %s", title, company);
    else if (out)
        snprintf(out, n, "%s", title ? title : company);
    return out;
}

static void set_address(json_t *cand, const json_t *addr)
{
    if (json_is_string(addr)) {
        json_object_set(cand, "address", (json_t *)addr);
        return;
    }
    /* Workable keeps the address as one line of text: the parts, in
     * postal order. */
    static const char *const parts[] = {"street", "city", "region", "postal_code", "country"};
    char text[512] = "";
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const char *p = json_string_value(json_object_get(addr, parts[i]));
        size_t used = strlen(text);
        if (p && *p)
            snprintf(text + used, sizeof text - used, "%s%s", used ? ", " : "", p);
    }
    if (*text)
        json_object_set_new(cand, "address", json_string(text));
}

static json_t *social_profiles(uats_call *call, const json_t *urls)
{
    json_t *out = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(urls, i, u) {
        const char *type = wk_social_type(u);
        if (!type) {
            warnf_path(call, "urls", i, "", "Workable keeps LinkedIn and Twitter profiles "
                       "only (the types its documentation shows); not sent");
            continue;
        }
        json_array_append_new(out, json_pack("{s:s, s:O}", "type", type, "url",
                                             json_object_get(u, "value")));
    }
    return out;
}

static json_t *education_entries(uats_call *call, const json_t *list)
{
    static const char *const unkept[] = {"location", "description", "is_current",
                                         "is_graduated", NULL};
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (!json_is_string(json_object_get(e, "school"))) {
            warnf_path(call, "education", i, "", "Workable requires a school for an "
                       "education entry; not sent");
            continue;
        }
        json_t *w = json_pack("{s:O}", "school", json_object_get(e, "school"));
        static const char *const pairs[][2] = {{"degree", "degree"},
                                               {"major", "field_of_study"},
                                               {"start_date", "start_date"},
                                               {"end_date", "end_date"}};
        for (size_t k = 0; k < 4; k++)
            if (json_object_get(e, pairs[k][0]))
                json_object_set(w, pairs[k][1], json_object_get(e, pairs[k][0]));
        for (const char *const *f = unkept; *f; f++)
            if (json_object_get(e, *f)) {
                char suffix[32];
                snprintf(suffix, sizeof suffix, ".%s", *f);
                warnf_path(call, "education", i, suffix,
                           "Workable's education entry has no such field");
            }
        json_array_append_new(out, w);
    }
    return out;
}

static json_t *experience_entries(uats_call *call, const json_t *list)
{
    static const char *const unkept[] = {"department", "location", "is_internal", NULL};
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (!json_is_string(json_object_get(e, "title"))) {
            warnf_path(call, "experience", i, "", "Workable requires a title for an "
                       "experience entry; not sent");
            continue;
        }
        json_t *w = json_pack("{s:O}", "title", json_object_get(e, "title"));
        static const char *const pairs[][2] = {{"company", "company"},
                                               {"description", "summary"},
                                               {"start_date", "start_date"},
                                               {"end_date", "end_date"},
                                               {"is_current", "current"}};
        for (size_t k = 0; k < 5; k++)
            if (json_object_get(e, pairs[k][0]))
                json_object_set(w, pairs[k][1], json_object_get(e, pairs[k][0]));
        for (const char *const *f = unkept; *f; f++)
            if (json_object_get(e, *f)) {
                char suffix[32];
                snprintf(suffix, sizeof suffix, ".%s", *f);
                warnf_path(call, "experience", i, suffix,
                           "Workable's experience entry has no such field");
            }
        json_array_append_new(out, w);
    }
    return out;
}

/* Screening answers: text as the answer's body, a list as the keys of the
 * chosen options (the two shapes of the vendor's example). */
static json_t *answers(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a) {
        json_t *answer = json_object_get(a, "answer");
        json_array_append_new(out, json_pack("{s:O, s:O}", "question_key",
                                             json_object_get(a, "question_id"),
                                             json_is_string(answer) ? "body" : "choices",
                                             answer));
    }
    return out;
}

/* The resume: the first attachment typed RESUME, else the first untyped
 * one. Workable keeps no other files on a candidate. */
static int pick_resume(const json_t *atts)
{
    size_t i;
    json_t *a;
    int untyped = -1;
    json_array_foreach(atts, i, a) {
        const char *type = json_string_value(json_object_get(a, "type"));
        if (type && strcmp(type, "RESUME") == 0)
            return (int)i;
        if (!type && untyped < 0)
            untyped = (int)i;
    }
    return untyped;
}

static void set_resume(uats_call *call, json_t *cand, const json_t *atts, int *resume_at)
{
    size_t i;
    json_t *a;
    *resume_at = pick_resume(atts);
    json_array_foreach(atts, i, a) {
        if ((int)i != *resume_at) {
            warnf_path(call, "attachments", i, "", "Workable keeps one resume per candidate "
                       "and no other files; not sent");
            continue;
        }
        if (json_object_get(a, "application_id"))
            warnf_path(call, "attachments", i, ".application_id",
                       "the resume goes on the candidate being created");
        json_t *url = json_object_get(a, "url");
        if (url)
            json_object_set(cand, "resume_url", url);
        else
            json_object_set_new(cand, "resume",
                                json_pack("{s:O, s:O}", "name", json_object_get(a, "file_name"),
                                          "data", json_object_get(a, "data")));
    }
}

uats_code wk_create_body(uats_call *call, const json_t *input, json_t **body,
                         const char **shortcode, int *resume_at)
{
    json_t *cand = json_object(), *v;
    *body = NULL;
    *shortcode = NULL;
    *resume_at = -1;
    if (!cand)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");

    const char *first = json_string_value(json_object_get(input, "first_name"));
    const char *last = json_string_value(json_object_get(input, "last_name"));
    if (!first && !last) {
        json_decref(cand);
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "first_name", NULL,
                                     "Workable requires the candidate's name: set first_name "
                                     "and last_name (nothing was sent)");
    }
    if (!json_array_size(json_object_get(input, "email_addresses"))) {
        json_decref(cand);
        return uats_host->fail_field(call, UATS_E_INVALID_INPUT, 0, "email_addresses", NULL,
                                     "Workable requires the candidate's e-mail address "
                                     "(nothing was sent)");
    }
    /* name is required unless both parts are given. */
    if (!first || !last)
        json_object_set_new(cand, "name", json_string(first ? first : last));
    if (first)
        json_object_set_new(cand, "firstname", json_string(first));
    if (last)
        json_object_set_new(cand, "lastname", json_string(last));
    first_value(call, cand, "email", json_object_get(input, "email_addresses"),
                "email_addresses", "e-mail address");
    first_value(call, cand, "phone", json_object_get(input, "phone_numbers"), "phone_numbers",
                "phone number");
    char *headline = headline_of(input);
    if (headline) {
        json_object_set_new(cand, "headline", json_string(headline));
        uats_host->free(headline);
    }
    if ((v = json_object_get(input, "summary")))
        json_object_set(cand, "summary", v);
    if ((v = json_object_get(input, "address")))
        set_address(cand, v);
    if ((v = json_object_get(input, "urls")))
        json_object_set_new(cand, "social_profiles", social_profiles(call, v));
    if ((v = json_object_get(input, "tags")))
        json_object_set(cand, "tags", v);
    if ((v = json_object_get(input, "skills")))
        json_object_set(cand, "skills", v);
    if ((v = json_object_get(input, "education")))
        json_object_set_new(cand, "education_entries", education_entries(call, v));
    if ((v = json_object_get(input, "experience")))
        json_object_set_new(cand, "experience_entries", experience_entries(call, v));
    if ((v = json_object_get(input, "attachments")))
        set_resume(call, cand, v, resume_at);
    for (const char *const *f = unstorable; *f; f++)
        if (json_object_get(input, *f))
            uats_host->warn(call, *f, "Workable's candidate has no field for %s", *f);

    json_t *b = json_pack("{s:o}", "candidate", cand);
    if (!b) /* jansson has released cand */
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    json_t *app = json_object_get(input, "application");
    *shortcode = json_string_value(json_object_get(app, "job_id"));
    const char *source = json_string_value(json_object_get(app, "source"));
    if (source)
        json_object_set_new(b, "sourced", json_boolean(strcmp(source, "lead") == 0));
    if ((v = json_object_get(app, "screening_answers"))) {
        if (*shortcode)
            json_object_set_new(cand, "answers", answers(v));
        else
            uats_host->warn(call, "application.screening_answers", "answers belong to a "
                            "job's questions, and no job was given; not sent");
    }
    if (json_object_get(app, "stage_id"))
        uats_host->warn(call, "application.stage_id", "Workable puts new candidates in the "
                        "job's first stage (sourced or applied); the stage was not set");
    if (json_object_get(app, "form_answers"))
        uats_host->warn(call, "application.form_answers",
                        "Workable's create call takes no form answers");

    /* remote_fields last, so the host's explicit word wins: "sourced" is
     * the body's, the rest the candidate's. */
    const char *key;
    json_object_foreach(json_object_get(input, "remote_fields"), key, v)
        json_object_set(strcmp(key, "sourced") == 0 ? b : cand, key, v);
    *body = b;
    return UATS_OK;
}

/* ---- Workable -> unified ---- */

static uats_code wrong(uats_call *call, const char *key)
{
    return uats_host->fail(call, UATS_E_VENDOR, "Workable's candidate has a %s of the wrong "
                           "type", key);
}

/* A text key: absent and null are fine, another type is not. */
static bool text(uats_call *call, const json_t *cand, const char *key, const char **out)
{
    json_t *v = json_object_get(cand, key);
    *out = json_string_value(v);
    if (v && !json_is_null(v) && !json_is_string(v)) {
        wrong(call, key);
        return false;
    }
    return true;
}

static bool list(uats_call *call, const json_t *cand, const char *key, json_t **out)
{
    json_t *v = json_object_get(cand, key);
    *out = json_is_array(v) ? v : NULL;
    if (v && !json_is_null(v) && !json_is_array(v)) {
        wrong(call, key);
        return false;
    }
    return true;
}

static void set_text(json_t *out, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(out, key, json_string(value));
}

static void set_time(json_t *out, const char *key, const char *when)
{
    char norm[UATS_TIME_SIZE];
    if (when && uats_host->time_normalize(when, norm) == UATS_OK)
        json_object_set_new(out, key, json_string(norm));
}

static void set_date(json_t *out, const char *key, const json_t *v)
{
    if (wk_is_date(json_string_value(v)))
        json_object_set(out, key, (json_t *)v);
}

/* "Engineer at Kit Ltd" -> title and company, split at the last " at ". */
static void headline_to(json_t *out, const char *headline)
{
    const char *at = NULL;
    for (const char *p = headline; (p = strstr(p, " at ")) != NULL; p += 4)
        at = p;
    if (at && at > headline && at[4]) {
        json_object_set_new(out, "title", json_stringn(headline, (size_t)(at - headline)));
        json_object_set_new(out, "company", json_string(at + 4));
    } else {
        json_object_set_new(out, "title", json_string(headline));
    }
}

static json_t *education_to(const json_t *entries)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        json_t *u = json_object();
        set_text(u, "school", json_string_value(json_object_get(e, "school")));
        set_text(u, "degree", json_string_value(json_object_get(e, "degree")));
        set_text(u, "major", json_string_value(json_object_get(e, "field_of_study")));
        set_date(u, "start_date", json_object_get(e, "start_date"));
        set_date(u, "end_date", json_object_get(e, "end_date"));
        json_array_append_new(out, u);
    }
    return out;
}

static json_t *experience_to(const json_t *entries)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        json_t *u = json_object();
        set_text(u, "company", json_string_value(json_object_get(e, "company")));
        set_text(u, "title", json_string_value(json_object_get(e, "title")));
        set_text(u, "description", json_string_value(json_object_get(e, "summary")));
        set_date(u, "start_date", json_object_get(e, "start_date"));
        set_date(u, "end_date", json_object_get(e, "end_date"));
        if (json_is_boolean(json_object_get(e, "current")))
            json_object_set(u, "is_current", json_object_get(e, "current"));
        json_array_append_new(out, u);
    }
    return out;
}

json_t *wk_to_candidate(uats_call *call, const json_t *cand)
{
    const char *id = json_string_value(json_object_get(cand, "id"));
    const char *first, *last, *name, *headline, *summary, *address, *email, *phone, *image;
    const char *created, *updated, *resume;
    json_t *socials, *tags, *skills, *education, *experience;
    if (!json_is_object(cand) || !id || !*id) {
        uats_host->fail(call, UATS_E_VENDOR, "Workable's candidate has no id");
        return NULL;
    }
    if (!text(call, cand, "firstname", &first) || !text(call, cand, "lastname", &last) ||
        !text(call, cand, "name", &name) || !text(call, cand, "headline", &headline) ||
        !text(call, cand, "summary", &summary) || !text(call, cand, "address", &address) ||
        !text(call, cand, "email", &email) || !text(call, cand, "phone", &phone) ||
        !text(call, cand, "image_url", &image) || !text(call, cand, "created_at", &created) ||
        !text(call, cand, "updated_at", &updated) || !text(call, cand, "resume_url", &resume) ||
        !list(call, cand, "social_profiles", &socials) || !list(call, cand, "tags", &tags) ||
        !list(call, cand, "skills", &skills) ||
        !list(call, cand, "education_entries", &education) ||
        !list(call, cand, "experience_entries", &experience))
        return NULL;

    json_t *out = json_pack("{s:s, s:s}", "id", id, "remote_id", id);
    if (!out) {
        uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        return NULL;
    }
    if (first || last) {
        set_text(out, "first_name", first);
        set_text(out, "last_name", last);
    } else if (name && *name) {
        /* Only the full name: the first word, then the rest. */
        size_t n = strcspn(name, " ");
        json_object_set_new(out, "first_name", json_stringn(name, n));
        if (name[n] && name[n + 1])
            json_object_set_new(out, "last_name", json_string(name + n + 1));
    }
    if (headline && *headline)
        headline_to(out, headline);
    set_text(out, "summary", summary);
    set_text(out, "address", address);
    set_text(out, "avatar", image);
    json_object_set_new(out, "email_addresses",
                        email && *email ? json_pack("[{s:s}]", "value", email) : json_array());
    json_object_set_new(out, "phone_numbers",
                        phone && *phone ? json_pack("[{s:s}]", "value", phone) : json_array());

    json_t *urls = json_array(), *v;
    size_t i;
    json_array_foreach(socials, i, v) {
        const char *url = json_string_value(json_object_get(v, "url"));
        if (url && *url)
            json_array_append_new(urls, json_pack("{s:s, s:s}", "value", url, "type",
                                                  wk_url_type(json_string_value(
                                                      json_object_get(v, "type")))));
    }
    json_object_set_new(out, "urls", urls);
    json_t *t = json_array();
    json_array_foreach(tags, i, v)
        if (json_is_string(v))
            json_array_append(t, v);
    json_object_set_new(out, "tags", t);
    /* Skills are written as strings and read back as {"name": ...}. */
    json_t *s = json_array();
    json_array_foreach(skills, i, v) {
        json_t *n = json_is_object(v) ? json_object_get(v, "name") : v;
        if (json_is_string(n))
            json_array_append(s, n);
    }
    json_object_set_new(out, "skills", s);
    if (education)
        json_object_set_new(out, "education", education_to(education));
    if (experience)
        json_object_set_new(out, "experience", experience_to(experience));
    /* The resume has no id of its own: it is the candidate's. */
    json_t *files = json_array();
    if (resume && *resume) {
        char att_id[256];
        snprintf(att_id, sizeof att_id, "%s:resume", id);
        json_array_append_new(files, json_string(att_id));
    }
    json_object_set_new(out, "attachments", files);
    set_time(out, "remote_created_at", created);
    set_time(out, "remote_updated_at", updated);
    /* Shared, not copied: the vendor's object outlives the answer. */
    json_object_set(out, "remote_data", (json_t *)cand);
    return out;
}
