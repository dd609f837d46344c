/*
 * plugins/lever/lever_emu.c: Lever's Data API v1 as documented (README.md
 * here, ../shared/vendor-api/lever.md): Basic auth with the API key as user
 * and an empty password (or a Bearer token), {"data": ...} envelopes,
 * {code, message} errors, perform_as required on writes, contacts
 * de-duplicated by e-mail while every create makes a new opportunity, one
 * posting per create, files and resumes (multipart), opaque offset tokens,
 * epoch-millisecond times, and a token-bucket rate limit answering 429.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lever_emu.h"

struct lever_emu {
    pthread_mutex_t lock;
    lever_emu_config cfg;
    char *api_key, *bearer_token;
    json_t *opportunities;   /* id -> opportunity fields (no contact fields) */
    json_t *contacts;        /* id -> {id, name, headline, location, emails, phones, links} */
    json_t *by_email;        /* lower-cased email -> contact id */
    json_t *files;           /* file id -> {meta, opportunity, data (base64)} */
    json_t *order;           /* opportunity ids in creation order */
    unsigned long long counter;
    double tokens, refilled_at;
    char base_url[128];
};

/* ---- helpers ---- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A UUID-shaped id, unique in this emulator. Called under lock. */
static void new_id(lever_emu *e, char out[37])
{
    unsigned long long n = ++e->counter;
    unsigned long long r = (unsigned long long)rand() << 16 ^ (unsigned long long)rand();
    snprintf(out, 37, "%08llx-%04llx-4%03llx-8%03llx-%012llx", (r & 0xffffffffULL),
             (n >> 32) & 0xffff, (n >> 20) & 0xfff, (n >> 8) & 0xfff, n & 0xffffffffffffULL);
}

static void error(emu_response *resp, int status, const char *code, const char *message)
{
    emu_resp_json(resp, status, json_pack("{s:s, s:s}", "code", code, "message", message));
}

static bool authorised(lever_emu *e, const emu_request *req)
{
    const char *user, *pass, *bearer = emu_req_bearer(req);
    if (bearer)
        return e->bearer_token && strcmp(bearer, e->bearer_token) == 0;
    return emu_req_basic_auth(req, &user, &pass) && e->api_key &&
           strcmp(user, e->api_key) == 0 && pass[0] == '\0';
}

/* Auth and rate limit, shared by every route. False when answered. */
static bool admit(lever_emu *e, const emu_request *req, emu_response *resp)
{
    if (!authorised(e, req)) {
        error(resp, 401, "UnauthorizedError", "Invalid API key or access token");
        return false;
    }
    if (e->cfg.rate_per_sec > 0) {
        pthread_mutex_lock(&e->lock);
        double t = mono(), cap = e->cfg.burst ? e->cfg.burst : 1;
        e->tokens = fmin(cap, e->tokens + (t - e->refilled_at) * e->cfg.rate_per_sec);
        e->refilled_at = t;
        bool ok = e->tokens >= 1;
        if (ok)
            e->tokens -= 1;
        pthread_mutex_unlock(&e->lock);
        if (!ok) {
            error(resp, 429, "TooManyRequests", "Rate limit exceeded");
            return false;
        }
    }
    return true;
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* ---- rendering ---- */

/* The opportunity with its contact's shared fields, as Lever shows it. */
static json_t *render(lever_emu *e, const json_t *opp)
{
    json_t *out = json_deep_copy(opp);
    json_t *contact = json_object_get(e->contacts,
                                      json_string_value(json_object_get(opp, "contact")));
    static const char *const shared[] = {"name", "headline", "location", "emails", "phones",
                                         "links"};
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        json_object_set(out, shared[i], json_object_get(contact, shared[i]));
    return out;
}

/* ---- the create request, from JSON or multipart ---- */

typedef struct upload {
    const emu_part *part;
    bool resume;
} upload;

static const char *const origins[] = {"agency", "applied", "internal", "referred", "sourced",
                                      "university", NULL};
static const char *const phone_types[] = {"mobile", "home", "work", "skype", "other", NULL};

static bool one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

/* Multipart fields -> the JSON body Lever would have got (repeated keys for
 * lists, phones[i][value|type], archived[reason]). */
static json_t *body_from_form(const emu_request *req, upload *ups, size_t *nups, size_t max)
{
    json_t *b = json_object();
    static const char *const lists[] = {"emails", "links", "tags", "sources", "followers",
                                        "postings", NULL};
    for (size_t i = 0; i < emu_req_part_count(req); i++) {
        const emu_part *p = emu_req_part(req, i);
        char name[128];
        snprintf(name, sizeof name, "%s", p->name ? p->name : "");
        size_t n = strlen(name);
        if (n > 2 && strcmp(name + n - 2, "[]") == 0)
            name[n - 2] = '\0';
        if (p->file_name) {
            /* "resume" and "posting" are spellings one client uses. */
            bool resume = strcmp(name, "resumeFile") == 0 || strcmp(name, "resume") == 0;
            if ((resume || strcmp(name, "files") == 0) && *nups < max)
                ups[(*nups)++] = (upload){p, resume};
            continue;
        }
        unsigned idx;
        char key[32];
        if (sscanf(name, "phones[%u][%31[a-z]]", &idx, key) == 2) {
            json_t *phones = json_object_get(b, "phones");
            if (!phones)
                json_object_set_new(b, "phones", phones = json_array());
            while (json_array_size(phones) <= idx)
                json_array_append_new(phones, json_object());
            json_object_set_new(json_array_get(phones, idx), key, json_string(p->data));
        } else if (sscanf(name, "archived[%31[a-zA-Z]]", key) == 1) {
            json_t *a = json_object_get(b, "archived");
            if (!a)
                json_object_set_new(b, "archived", a = json_object());
            json_object_set_new(a, key, json_string(p->data));
        } else if (one_of(name, lists) || strcmp(name, "posting") == 0) {
            const char *list = strcmp(name, "posting") == 0 ? "postings" : name;
            json_t *arr = json_object_get(b, list);
            if (!arr)
                json_object_set_new(b, list, arr = json_array());
            json_array_append_new(arr, json_string(p->data));
        } else if (strcmp(name, "createdAt") == 0) {
            json_object_set_new(b, name, json_integer(strtoll(p->data, NULL, 10)));
        } else {
            json_object_set_new(b, name, json_string(p->data));
        }
    }
    return b;
}

/* Check the body's types as Lever documents them; NULL when fine. */
static const char *invalid(const json_t *b)
{
    static const char *const strings[] = {"name", "headline", "stage", "location", "origin",
                                          "owner", "contact", NULL};
    static const char *const lists[] = {"emails", "links", "tags", "sources", "followers",
                                        "postings", NULL};
    for (const char *const *k = strings; *k; k++) {
        json_t *v = json_object_get(b, *k);
        if (v && !json_is_string(v))
            return "a text field has a value that is not a string";
    }
    for (const char *const *k = lists; *k; k++) {
        json_t *v = json_object_get(b, *k), *item;
        size_t i;
        if (v && !json_is_array(v))
            return "a list field is not an array";
        json_array_foreach(v, i, item)
            if (!json_is_string(item))
                return "a list field holds a value that is not a string";
    }
    json_t *origin = json_object_get(b, "origin");
    if (origin && !one_of(json_string_value(origin), origins))
        return "origin must be one of agency, applied, internal, referred, sourced, university";
    json_t *phones = json_object_get(b, "phones"), *p;
    size_t i;
    if (phones && !json_is_array(phones))
        return "phones must be an array";
    json_array_foreach(phones, i, p) {
        json_t *t = json_object_get(p, "type");
        if (!json_is_string(json_object_get(p, "value")))
            return "every phone needs a string value";
        if (t && !json_is_null(t) && (!json_is_string(t) || !one_of(json_string_value(t), phone_types)))
            return "phone type must be one of mobile, home, work, skype, other";
    }
    if (json_array_size(json_object_get(b, "postings")) > 1)
        return "Only one posting may be applied per request";
    json_t *created = json_object_get(b, "createdAt");
    if (created && (!json_is_integer(created) || json_integer_value(created) > now_ms()))
        return "createdAt must be a time in milliseconds, not in the future";
    return NULL;
}

static json_t *file_object(lever_emu *e, const char *opp_id, const char *kind, const char *id,
                           const emu_part *p, long long when)
{
    char url[512];
    const char *name = p->file_name && *p->file_name ? p->file_name : "file";
    const char *dot = strrchr(name, '.');
    snprintf(url, sizeof url, "%s/v1/opportunities/%s/%s/%s/download", e->base_url, opp_id,
             kind, id);
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I}", "id", id, "downloadUrl", url, "ext",
                     dot ? dot + 1 : "", "name", name, "uploadedAt", (json_int_t)when, "status",
                     "processed", "size", (json_int_t)p->len);
}

/* Store a file's bytes for the download route. Called under lock. */
static void keep_file(lever_emu *e, const char *id, const char *opp_id, const char *kind,
                      json_t *meta, const emu_part *p)
{
    json_t *bytes = json_stringn_nocheck(p->data, p->len); /* opaque, never dumped */
    json_object_set_new(e->files, id, json_pack("{s:O, s:s, s:s, s:o}", "meta", meta,
                                                "opportunity", opp_id, "kind", kind,
                                                "bytes", bytes));
}

static void on_create(const emu_request *req, emu_response *resp, void *ud)
{
    lever_emu *e = ud;
    upload ups[16];
    size_t nups = 0;
    if (!admit(e, req, resp))
        return;
    const char *who = emu_req_query(req, "perform_as");
    if (!who || !*who)
        return error(resp, 400, "BadRequestError", "perform_as query parameter is required");
    const char *type = emu_req_header(req, "Content-Type");
    json_t *body;
    if (type && strncasecmp(type, "multipart/form-data", 19) == 0) {
        body = body_from_form(req, ups, &nups, sizeof ups / sizeof ups[0]);
    } else {
        json_t *j = emu_req_json(req);
        if (!json_is_object(j))
            return error(resp, 400, "BadRequestError", "Request body must be a JSON object");
        body = json_deep_copy(j);
    }
    const char *why = invalid(body);
    if (why) {
        json_decref(body);
        return error(resp, 400, "BadRequestError", why);
    }

    pthread_mutex_lock(&e->lock);
    long long t = now_ms();
    char opp_id[37], contact_id[37];
    /* Contacts are matched by e-mail (or given); opportunities never are. */
    const char *given = json_string_value(json_object_get(body, "contact"));
    json_t *contact = given ? json_object_get(e->contacts, given) : NULL;
    size_t i;
    json_t *email;
    json_array_foreach(json_object_get(body, "emails"), i, email) {
        char key[256];
        snprintf(key, sizeof key, "%s", json_string_value(email));
        lower(key);
        const char *known = json_string_value(json_object_get(e->by_email, key));
        if (!contact && known)
            contact = json_object_get(e->contacts, known);
    }
    if (!contact) {
        new_id(e, contact_id);
        contact = json_pack("{s:s, s:[], s:[], s:[]}", "id", contact_id, "emails", "phones",
                            "links");
        static const char *const fields[] = {"name", "headline", "location"};
        for (size_t k = 0; k < 3; k++)
            json_object_set(contact, fields[k], json_object_get(body, fields[k]) ?
                                                    json_object_get(body, fields[k]) : json_null());
        json_object_set_new(e->contacts, contact_id, contact);
    } else {
        snprintf(contact_id, sizeof contact_id, "%s", json_string_value(json_object_get(contact, "id")));
    }
    /* The existing contact's data wins; new e-mails, phones, links add up. */
    static const char *const adds[] = {"emails", "phones", "links"};
    for (size_t k = 0; k < 3; k++) {
        json_t *have = json_object_get(contact, adds[k]), *item;
        json_array_foreach(json_object_get(body, adds[k]), i, item) {
            bool dup = false;
            size_t j;
            json_t *h;
            json_array_foreach(have, j, h)
                dup |= json_equal(h, item);
            if (!dup)
                json_array_append(have, item);
        }
    }
    json_array_foreach(json_object_get(body, "emails"), i, email) {
        char key[256];
        snprintf(key, sizeof key, "%s", json_string_value(email));
        lower(key);
        json_object_set_new(e->by_email, key, json_string(contact_id));
    }

    if (!json_object_get(body, "tags"))
        json_object_set_new(body, "tags", json_array());
    if (!json_object_get(body, "sources"))
        json_object_set_new(body, "sources", json_array());
    new_id(e, opp_id);
    json_t *created = json_object_get(body, "createdAt");
    long long created_at = created ? (long long)json_integer_value(created) : t;
    const char *stage = json_string_value(json_object_get(body, "stage"));
    json_t *apps = json_array();
    if (json_array_size(json_object_get(body, "postings"))) {
        char app_id[37];
        new_id(e, app_id);
        json_array_append_new(apps, json_string(app_id));
    }
    json_t *followers = json_array();
    json_array_append_new(followers, json_string(who));
    json_array_foreach(json_object_get(body, "followers"), i, email)
        if (strcmp(json_string_value(email), who) != 0)
            json_array_append(followers, email);
    char show[256];
    snprintf(show, sizeof show, "https://hire.lever.co/candidates/%s", opp_id);
    json_t *opp = json_pack(
        "{s:s, s:s, s:s, s:n, s:I, s:I, s:I, s:I, s:n, s:s, s:[{s:s, s:i, s:s, s:I}], s:s,"
        " s:O, s:O, s:s, s:s, s:o, s:n, s:o, s:{s:s, s:s}, s:n, s:b, s:s}",
        "id", opp_id, "contact", contact_id, "confidentiality", "non-confidential", "archived",
        "createdAt", (json_int_t)created_at, "updatedAt", (json_int_t)t, "lastInteractionAt",
        (json_int_t)t, "lastAdvancedAt", (json_int_t)created_at, "snoozedUntil", "stage",
        stage ? stage : "lead-new", "stageChanges", "toStageId", stage ? stage : "lead-new",
        "toStageIndex", 0, "userId", who, "updatedAt", (json_int_t)created_at, "owner",
        json_string_value(json_object_get(body, "owner")) ? json_string_value(json_object_get(body, "owner")) : who,
        "tags", json_object_get(body, "tags"), "sources", json_object_get(body, "sources"),
        "origin", json_string_value(json_object_get(body, "origin")) ? json_string_value(json_object_get(body, "origin")) : "sourced",
        "sourcedBy", who, "applications", apps, "resume", "followers", followers, "urls",
        "list", "https://hire.lever.co/candidates", "show", show, "dataProtection",
        "isAnonymized", 0, "opportunityLocation",
        json_string_value(json_object_get(body, "location")) ? json_string_value(json_object_get(body, "location")) : "unspecified");
    /* Bookkeeping of ours, removed before the object is shown. */
    json_object_set_new(opp, "resumes", json_array());
    json_object_set_new(opp, "fileIds", json_array());
    for (size_t k = 0; k < nups; k++) {
        char fid[37];
        new_id(e, fid);
        const char *kind = ups[k].resume ? "resumes" : "files";
        json_t *meta = file_object(e, opp_id, kind, fid, ups[k].part, t);
        if (ups[k].resume) {
            json_t *resume = json_pack("{s:s, s:I, s:O, s:{s:[], s:[]}}", "id", fid, "createdAt",
                                       (json_int_t)t, "file", meta, "parsedData", "positions",
                                       "schools");
            json_object_del(json_object_get(resume, "file"), "id");
            json_array_append_new(json_object_get(opp, "resumes"), resume);
        } else {
            json_array_append_new(json_object_get(opp, "fileIds"), json_string(fid));
        }
        keep_file(e, fid, opp_id, kind, meta, ups[k].part);
        json_decref(meta);
    }
    json_object_set(e->opportunities, opp_id, opp);
    json_array_append_new(e->order, json_string(opp_id));
    json_t *shown = render(e, opp);
    json_decref(opp);
    pthread_mutex_unlock(&e->lock);
    json_decref(body);
    /* Private bookkeeping is not part of Lever's object. */
    json_object_del(shown, "resumes");
    json_object_del(shown, "fileIds");
    emu_resp_json(resp, 200, json_pack("{s:o}", "data", shown));
}

/* The opportunity for the route's :id, under lock, or NULL (answered 404). */
static json_t *find(lever_emu *e, const emu_request *req, emu_response *resp)
{
    json_t *opp = json_object_get(e->opportunities, emu_req_param(req, "id"));
    if (!opp)
        error(resp, 404, "ResourceNotFound", "Opportunity not found");
    return opp;
}

static void on_get(const emu_request *req, emu_response *resp, void *ud)
{
    lever_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *opp = find(e, req, resp);
    json_t *shown = opp ? render(e, opp) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (!shown)
        return;
    json_object_del(shown, "resumes");
    json_object_del(shown, "fileIds");
    emu_resp_json(resp, 200, json_pack("{s:o}", "data", shown));
}

/* A page of items: offset tokens are opaque ("o<N>"), limit 1..100. */
static void page(const emu_request *req, emu_response *resp, json_t *items)
{
    const char *limit_s = emu_req_query(req, "limit"), *offset = emu_req_query(req, "offset");
    long limit = limit_s ? strtol(limit_s, NULL, 10) : 100;
    size_t start = 0;
    if (limit < 1 || limit > 100) {
        json_decref(items);
        return error(resp, 400, "BadRequestError", "limit must be between 1 and 100");
    }
    if (offset) {
        char *end;
        if (offset[0] != 'o' || (start = strtoul(offset + 1, &end, 10), *end) ||
            start > json_array_size(items)) {
            json_decref(items);
            return error(resp, 400, "BadRequestError",
                         "Invalid offset token: Offset token is invalid for sort");
        }
    }
    json_t *data = json_array();
    for (size_t i = start; i < json_array_size(items) && i < start + (size_t)limit; i++)
        json_array_append(data, json_array_get(items, i));
    bool more = start + (size_t)limit < json_array_size(items);
    json_t *out = json_pack("{s:o, s:b}", "data", data, "hasNext", more);
    if (more) {
        char next[32];
        snprintf(next, sizeof next, "o%zu", start + (size_t)limit);
        json_object_set_new(out, "next", json_string(next));
    }
    json_decref(items);
    emu_resp_json(resp, 200, out);
}

static void on_list_files(const emu_request *req, emu_response *resp, void *ud)
{
    lever_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *opp = find(e, req, resp), *items = NULL;
    if (opp) {
        items = json_array();
        size_t i;
        json_t *id;
        json_array_foreach(json_object_get(opp, "fileIds"), i, id)
            json_array_append(items, json_object_get(json_object_get(e->files,
                                                                     json_string_value(id)), "meta"));
    }
    pthread_mutex_unlock(&e->lock);
    if (items)
        page(req, resp, items);
}

static void on_list_resumes(const emu_request *req, emu_response *resp, void *ud)
{
    lever_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *opp = find(e, req, resp);
    json_t *items = opp ? json_deep_copy(json_object_get(opp, "resumes")) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (items)
        page(req, resp, items);
}

static void on_upload(const emu_request *req, emu_response *resp, void *ud)
{
    lever_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    const char *who = emu_req_query(req, "perform_as");
    if (!who || !*who)
        return error(resp, 400, "BadRequestError", "perform_as query parameter is required");
    const emu_part *file = NULL;
    for (size_t i = 0; i < emu_req_part_count(req) && !file; i++)
        if (emu_req_part(req, i)->file_name)
            file = emu_req_part(req, i);
    if (!file)
        return error(resp, 400, "BadRequestError", "A file is required (multipart/form-data)");
    if (file->len > 30u * 1024 * 1024)
        return error(resp, 413, "RequestEntityTooLarge", "Files are limited to 30 MB");
    pthread_mutex_lock(&e->lock);
    json_t *opp = find(e, req, resp), *meta = NULL;
    if (opp) {
        char fid[37];
        const char *opp_id = emu_req_param(req, "id");
        new_id(e, fid);
        meta = file_object(e, opp_id, "files", fid, file, now_ms());
        keep_file(e, fid, opp_id, "files", meta, file);
        json_array_append_new(json_object_get(opp, "fileIds"), json_string(fid));
        json_object_set_new(opp, "updatedAt", json_integer(now_ms()));
    }
    pthread_mutex_unlock(&e->lock);
    if (meta)
        emu_resp_json(resp, 200, json_pack("{s:o}", "data", meta));
}

static void on_download(const emu_request *req, emu_response *resp, void *ud)
{
    lever_emu *e = ud;
    if (!admit(e, req, resp))
        return;
    pthread_mutex_lock(&e->lock);
    json_t *f = json_object_get(e->files, emu_req_param(req, "file"));
    const char *opp = json_string_value(json_object_get(f, "opportunity"));
    bool ok = f && opp && strcmp(opp, emu_req_param(req, "id")) == 0;
    if (ok) {
        json_t *bytes = json_object_get(f, "bytes");
        emu_resp_body(resp, 200, "application/octet-stream", json_string_value(bytes),
                      json_string_length(bytes));
    }
    pthread_mutex_unlock(&e->lock);
    if (!ok)
        error(resp, 404, "ResourceNotFound", "File not found");
}

lever_emu *lever_emu_install(emu_server *srv, const lever_emu_config *cfg)
{
    lever_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->lock, NULL);
    e->cfg = *cfg;
    e->api_key = cfg->api_key ? strdup(cfg->api_key) : NULL;
    e->bearer_token = cfg->bearer_token ? strdup(cfg->bearer_token) : NULL;
    e->opportunities = json_object();
    e->contacts = json_object();
    e->by_email = json_object();
    e->files = json_object();
    e->order = json_array();
    e->tokens = cfg->burst ? cfg->burst : 1;
    e->refilled_at = mono();
    snprintf(e->base_url, sizeof e->base_url, "%s", emu_base_url(srv));
    if (!e->opportunities || !e->contacts || !e->by_email || !e->files || !e->order ||
        emu_route(srv, "POST", "/v1/opportunities", on_create, e) ||
        emu_route(srv, "GET", "/v1/opportunities/:id", on_get, e) ||
        emu_route(srv, "GET", "/v1/opportunities/:id/files", on_list_files, e) ||
        emu_route(srv, "POST", "/v1/opportunities/:id/files", on_upload, e) ||
        emu_route(srv, "GET", "/v1/opportunities/:id/resumes", on_list_resumes, e) ||
        emu_route(srv, "GET", "/v1/opportunities/:id/files/:file/download", on_download, e) ||
        emu_route(srv, "GET", "/v1/opportunities/:id/resumes/:file/download", on_download, e)) {
        lever_emu_free(e);
        return NULL;
    }
    return e;
}

void lever_emu_free(lever_emu *e)
{
    if (!e)
        return;
    json_decref(e->opportunities);
    json_decref(e->contacts);
    json_decref(e->by_email);
    json_decref(e->files);
    json_decref(e->order);
    free(e->api_key);
    free(e->bearer_token);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

size_t lever_emu_opportunity_count(lever_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->opportunities);
    pthread_mutex_unlock(&e->lock);
    return n;
}

size_t lever_emu_contact_count(lever_emu *e)
{
    pthread_mutex_lock(&e->lock);
    size_t n = json_object_size(e->contacts);
    pthread_mutex_unlock(&e->lock);
    return n;
}

json_t *lever_emu_opportunity(lever_emu *e, const char *id)
{
    pthread_mutex_lock(&e->lock);
    json_t *opp = json_object_get(e->opportunities, id);
    json_t *shown = opp ? render(e, opp) : NULL;
    pthread_mutex_unlock(&e->lock);
    if (shown) {
        json_object_del(shown, "resumes");
        json_object_del(shown, "fileIds");
    }
    return shown;
}

/* ---- uats-sandbox ---- */

static void *sandbox_install(emu_server *srv, int rate_limit)
{
    lever_emu_config cfg = {EMU_SANDBOX_KEY, NULL, rate_limit ? 10 : 0, 20};
    return lever_emu_install(srv, &cfg);
}

static void sandbox_free(void *state)
{
    lever_emu_free(state);
}

static json_t *sandbox_state(void *state)
{
    return json_pack("{s:I, s:I}", "opportunities",
                     (json_int_t)lever_emu_opportunity_count(state), "contacts",
                     (json_int_t)lever_emu_contact_count(state));
}

static int sandbox_configs(void *state, emu_server *srv, const char *dir)
{
    char url[256];
    (void)state;
    snprintf(url, sizeof url, "%s/v1", emu_base_url(srv));
    return emu_sandbox_write_json(dir, "lever",
                                  json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "connector",
                                            "lever", "base_url", url, "credentials", "api_key",
                                            EMU_SANDBOX_KEY, "options", "perform_as",
                                            EMU_SANDBOX_USER)) ||
           emu_sandbox_write_job(dir, "lever", "demo-posting");
}

const emu_sandbox_vendor lever_sandbox = {"lever", "/v1", sandbox_install, sandbox_free,
                                          sandbox_state, sandbox_configs};
