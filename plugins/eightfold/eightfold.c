/*
 * plugins/eightfold/eightfold.c: the Eightfold connector: Eightfold AI's ATS
 * Candidate API v2 at https://apiv2.{domain}.ai, bearer tokens from the
 * password grant, candidates keyed by the caller's id under an ATS system
 * id, and asynchronous writes that answer a transaction id to poll. Mapping
 * lives in eightfold_map.c; this file makes the calls, through the core's
 * HTTP service (docs/vendors/eightfold.md).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eightfold.h"

#define CANDIDATES "/api/v2/core/ats-systems/%s/ats-candidates"
#define CANDIDATE CANDIDATES "/%s"
/* Sections a GET leaves out unless named; the comma list is our reading
 * (the separator is not documented). Notes have no unified home. */
#define INCLUDE "applications,tags"

static const uats_option_spec options[] = {
    {"system_id", UATS_OPTION_REQUIRED, "the ATS system id the candidates belong to, as "
                                        "configured in the Eightfold tenant"},
    {"region", 0, "Eightfold's domain: eightfold (default, US), eightfold-eu, eightfold-gov, "
                  "eightfold-ca, eightfold-me, eightfold-wu, eightfold-ap"},
    {"transaction_wait_ms", 0, "how long a write waits for its transaction to PASS or FAIL "
                               "(default 60000)"},
    {NULL, 0, NULL},
};

typedef struct ef_state {
    long wait_ms;
    /* Adding a file is read-modify-write of the candidate's whole list:
     * two at once on one connection would erase each other's file. */
    pthread_mutex_t attach_lock;
} ef_state;

static uats_code ef_open(uats_call *call, void **state)
{
    const char *region = uats_host->option(call, "region");
    const char *wait = uats_host->option(call, "transaction_wait_ms");
    long wait_ms = 60000;
    char url[256];
    if (wait) {
        char *end;
        errno = 0;
        wait_ms = strtol(wait, &end, 10);
        if (errno || end == wait || *end || wait_ms < 0 || wait_ms > 3600000)
            return uats_host->fail(call, UATS_E_CONFIG, "options.transaction_wait_ms is a "
                                   "number of milliseconds from 0 to 3600000, not \"%s\"",
                                   wait);
    }
    if (!uats_host->credential(call, "token") &&
        !(uats_host->credential(call, "client_id") &&
          uats_host->credential(call, "client_secret")))
        return uats_host->fail(call, UATS_E_CONFIG, "Eightfold takes an OAuth token from "
                               "credentials client_id and client_secret (the region's Basic "
                               "pair), username (the API user's e-mail) and password (the API "
                               "key); or set credentials.token");
    if (region && !ef_valid_region(region))
        return uats_host->fail(call, UATS_E_CONFIG, "options.region is one of eightfold, "
                               "eightfold-eu, eightfold-gov, eightfold-ca, eightfold-me, "
                               "eightfold-wu, eightfold-ap; not \"%s\"", region);
    if (uats_host->base_url(call)) {
        /* A sandbox or proxy: the token endpoint sits beside the API. A
         * cut address would receive the credentials: refuse instead. */
        if ((size_t)snprintf(url, sizeof url, "%s/oauth/v1/authenticate",
                             uats_host->base_url(call)) >= sizeof url)
            return uats_host->fail(call, UATS_E_CONFIG, "base_url is too long for the token "
                                   "endpoint beside it (%zu characters at most)",
                                   sizeof url - 24);
    } else {
        snprintf(url, sizeof url, "https://apiv2.%s.ai", region ? region : "eightfold");
        if (uats_host->set_base_url(call, url) != UATS_OK)
            return UATS_E_CONFIG;
        snprintf(url, sizeof url, "https://apiv2.%s.ai/oauth/v1/authenticate",
                 region ? region : "eightfold");
    }
    if (uats_host->oauth_token_url(call, url) != UATS_OK)
        return UATS_E_CONFIG;
    ef_state *s = uats_host->alloc(sizeof *s);
    if (!s)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    s->wait_ms = wait_ms;
    pthread_mutex_init(&s->attach_lock, NULL);
    *state = s;
    return UATS_OK;
}

static void ef_close(void *state)
{
    ef_state *s = state;
    pthread_mutex_destroy(&s->attach_lock);
    uats_host->free(s);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000 + (double)t.tv_nsec / 1e6;
}

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* The next pause of the polling: 0.25 s doubling to 4 s, never past the
 * deadline. 0 when the deadline has passed. */
static long next_pause(long *step, double deadline)
{
    double left = deadline - now_ms();
    if (left <= 0)
        return 0;
    long ms = *step < (long)left ? *step : (long)left + 1;
    *step = *step * 2 > 4000 ? 4000 : *step * 2;
    return ms;
}

/*
 * Wait for transaction txn of a write (whose answer is write, kept so that a
 * FAIL can withdraw its "took effect" mark) until PASS. FAIL is
 * UATS_E_VALIDATION; the deadline UATS_E_OUTCOME_UNKNOWN, since the write
 * may still pass.
 */
static uats_code wait_transaction(uats_call *call, const ef_state *s, const char *txn,
                                  uats_http_resp *write, const char *what)
{
    double deadline = now_ms() + (double)s->wait_ms;
    long step = 250, ms;
    for (;;) {
        uats_http_resp *resp;
        uats_code rc = uats_host->http_send(
            uats_host->http_new(call, "GET", "/api/v2/core/transactions/%s", txn), &resp);
        if (rc != UATS_OK)
            return rc;
        json_t *doc = uats_host->http_resp_json(resp);
        if (!doc) {
            uats_host->http_resp_free(resp);
            return UATS_E_VENDOR;
        }
        const json_t *data = json_object_get(doc, "data");
        const char *status = json_string_value(json_object_get(data, "status"));
        int state = ef_transaction_state(status);
        if (state > 0) {
            uats_host->http_resp_free(resp);
            return UATS_OK;
        }
        if (state < 0) {
            /* Nothing was written: the write did not take effect. */
            uats_host->http_refused(write);
            rc = uats_host->fail_vendor(call, UATS_E_VALIDATION, 200, status,
                                        "Eightfold refused the %s: transaction %s ended in "
                                        "FAIL (Eightfold gives no reason)", what, txn);
            uats_host->http_resp_free(resp);
            return rc;
        }
        uats_host->http_resp_free(resp);
        if (!(ms = next_pause(&step, deadline)))
            return uats_host->fail(call, UATS_E_OUTCOME_UNKNOWN,
                                   "Eightfold's transaction %s for the %s had not passed "
                                   "after %ld ms; it may still pass: look it up before "
                                   "sending the %s again", txn, what, s->wait_ms, what);
        pause_ms(ms);
    }
}

/* GET the candidate; its profile is borrowed from *resp (free it). With
 * wait set, a 404 is asked again until the deadline (a write whose
 * transaction cannot be followed); otherwise a 404 is UATS_E_NOT_FOUND. */
static uats_code fetch(uats_call *call, const ef_state *s, const char *id, bool wait,
                       const json_t *expect, uats_http_resp **resp, json_t **profile)
{
    const char *sys = uats_host->option(call, "system_id");
    double deadline = now_ms() + (double)(wait ? s->wait_ms : 0);
    long step = 250, ms;
    *profile = NULL;
    for (;;) {
        uats_http_req *req = uats_host->http_new(call, "GET", CANDIDATE, sys, id);
        uats_host->http_query(req, "include", INCLUDE);
        if (wait)
            uats_host->http_accept(req, 404);
        uats_code rc = uats_host->http_send(req, resp);
        if (rc != UATS_OK)
            return rc;
        if (uats_host->http_status(*resp) != 404) {
            json_t *doc = uats_host->http_resp_json(*resp);
            if (!doc)
                return UATS_E_VENDOR;
            if (!json_is_object(doc))
                return uats_host->fail(call, UATS_E_VENDOR, "Eightfold's ATS candidate is "
                                       "not an object");
            /* Waiting for our write: an older record under the same id is
             * not it (its lastActivityTs differs), so keep waiting. */
            if (!expect || ef_same_candidate(doc, expect)) {
                *profile = doc;
                return UATS_OK;
            }
        }
        uats_host->http_resp_free(*resp);
        *resp = NULL;
        if (!(ms = next_pause(&step, deadline)))
            return uats_host->fail(call, UATS_E_OUTCOME_UNKNOWN,
                                   "Eightfold accepted the write without a transaction id, "
                                   "and candidate %s did not appear within %ld ms", id,
                                   s->wait_ms);
        pause_ms(ms);
    }
}

/* The transaction id of a write's answer (borrowed from resp), or NULL
 * when Eightfold gave none (allowed by its schema). */
static uats_code transaction_of(uats_call *call, uats_http_resp *resp, const char **txn)
{
    json_t *doc = uats_host->http_resp_json(resp);
    *txn = NULL;
    if (!doc)
        return UATS_E_VENDOR;
    if (!json_is_object(doc))
        return uats_host->fail(call, UATS_E_VENDOR, "Eightfold's answer to a write is not "
                               "an object");
    const json_t *t = json_object_get(doc, "transactionId");
    if (t && !json_is_null(t) && !json_is_string(t))
        return uats_host->fail(call, UATS_E_VENDOR, "Eightfold's transactionId is not a "
                               "string");
    *txn = json_string_value(t);
    if (*txn && !**txn)
        *txn = NULL;
    return UATS_OK;
}

/* The content of a URL attachment, fetched by the core (Eightfold takes
 * files inline only), as base64 (new: host->free). */
static uats_code download(uats_call *call, const char *url, char **b64)
{
    uats_http_resp *resp;
    size_t len;
    *b64 = NULL;
    uats_code rc = uats_host->http_send(uats_host->http_new_download(call, url), &resp);
    if (rc != UATS_OK)
        return rc;
    const char *bytes = uats_host->http_resp_body(resp, &len);
    *b64 = ef_base64(bytes, len);
    uats_host->http_resp_free(resp);
    return *b64 ? UATS_OK : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
}

/* After a create whose answer was lost: whether the candidate is there as
 * sent. Looked up once; never a second POST. */
static json_t *already_created(uats_call *call, const json_t *body, const char *id)
{
    const char *sys = uats_host->option(call, "system_id");
    uats_http_resp *resp;
    json_t *out = NULL;
    uats_http_req *req = uats_host->http_new(call, "GET", CANDIDATE, sys, id);
    uats_host->http_query(req, "include", INCLUDE);
    uats_host->http_accept(req, 404);
    if (uats_host->http_send(req, &resp) != UATS_OK)
        return NULL;
    json_t *doc = uats_host->http_status(resp) == 200 ? uats_host->http_resp_json(resp) : NULL;
    if (json_is_object(doc) && ef_same_candidate(doc, body))
        out = ef_to_candidate(call, doc);
    uats_host->http_resp_free(resp);
    return out;
}

static uats_code ef_create(uats_call *call, void *state, const json_t *input, json_t **out)
{
    const ef_state *s = state;
    const char *sys = uats_host->option(call, "system_id");
    const json_t *atts = json_object_get(input, "attachments");
    size_t n = json_array_size(atts);
    char **fetched = n ? uats_host->alloc(n * sizeof *fetched) : NULL;
    json_t *body = NULL;
    uats_http_resp *resp = NULL, *got = NULL;
    json_t *profile;
    const char *txn;
    uats_code rc = UATS_OK;
    if (n && !fetched)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        fetched[i] = NULL;
    for (size_t i = 0; i < n && rc == UATS_OK; i++) {
        const char *url = json_string_value(json_object_get(json_array_get(atts, i), "url"));
        if (url)
            rc = download(call, url, &fetched[i]);
    }
    if (rc == UATS_OK)
        rc = ef_create_body(call, input, sys, (int64_t)time(NULL),
                            (const char *const *)fetched, &body);
    for (size_t i = 0; i < n; i++)
        uats_host->free(fetched[i]);
    uats_host->free(fetched);
    if (rc != UATS_OK)
        return rc;
    const char *id = json_string_value(json_object_get(body, "candidateId"));
    uats_http_req *req = uats_host->http_new(call, "POST", CANDIDATES, sys);
    uats_host->http_json_body(req, body);
    rc = uats_host->http_send(req, &resp);
    if (rc == UATS_E_OUTCOME_UNKNOWN) {
        /* The caller's id makes the create checkable: if the candidate is
         * there as sent, the lost answer was a success. */
        *out = already_created(call, body, id);
        if (*out) {
            uats_host->log(call, UATS_LOG_WARN, "the answer to the create of candidate %s "
                           "was lost, but Eightfold has it as sent", id);
            rc = UATS_OK;
        }
        json_decref(body);
        return rc;
    }
    if (rc != UATS_OK) {
        json_decref(body);
        return rc;
    }
    rc = transaction_of(call, resp, &txn);
    if (rc == UATS_OK && txn)
        rc = wait_transaction(call, s, txn, resp, "create");
    if (rc == UATS_OK)
        rc = fetch(call, s, id, txn == NULL, txn == NULL ? body : NULL, &got, &profile);
    if (rc == UATS_OK && !(*out = ef_to_candidate(call, profile)))
        rc = UATS_E_VENDOR;
    uats_host->http_resp_free(got);
    uats_host->http_resp_free(resp);
    json_decref(body);
    return rc;
}

static uats_code ef_get(uats_call *call, void *state, const char *id, json_t **out)
{
    uats_http_resp *resp = NULL;
    json_t *profile;
    uats_code rc = fetch(call, state, id, false, NULL, &resp, &profile);
    if (rc == UATS_OK && !(*out = ef_to_candidate(call, profile)))
        rc = UATS_E_VENDOR;
    uats_host->http_resp_free(resp);
    return rc;
}

/* The entry of list whose attachmentId is id, or NULL. */
static json_t *find_attachment(const json_t *list, const char *id)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *a = json_string_value(json_object_get(e, "attachmentId"));
        if (a && strcmp(a, id) == 0)
            return e;
    }
    return NULL;
}

/*
 * Eightfold has no call for one file: its files are the candidate's
 * attachments[], changed with PATCH. Since whether a PATCH replaces or
 * merges that array is not documented, the PATCH sends the whole list, as
 * read, plus the new file; a file already there (the same id, from the
 * same content) is not sent again.
 */
static uats_code ef_attach(uats_call *call, void *state, const char *candidate_id,
                           const json_t *input, json_t **out)
{
    ef_state *s = state;
    const char *sys = uats_host->option(call, "system_id");
    uats_http_resp *before = NULL, *resp = NULL, *after = NULL;
    json_t *profile, *att = NULL, *list = NULL;
    char *b64 = NULL;
    const char *txn;
    pthread_mutex_lock(&s->attach_lock);
    uats_code rc = fetch(call, s, candidate_id, false, NULL, &before, &profile);
    if (rc != UATS_OK)
        goto done;
    const json_t *old = json_object_get(profile, "attachments");
    if (old && !json_is_null(old) && !json_is_array(old)) {
        rc = uats_host->fail(call, UATS_E_VENDOR, "Eightfold's candidate %s lists its files "
                             "as something other than an array; nothing sent", candidate_id);
        goto done;
    }
    size_t i;
    json_t *e;
    json_array_foreach(old, i, e) {
        if (!json_is_string(json_object_get(e, "attachmentContent"))) {
            rc = uats_host->fail(call, UATS_E_UNSUPPORTED,
                                 "Eightfold returned candidate %s's files without their "
                                 "content, so a PATCH adding one could erase them; not sent",
                                 candidate_id);
            goto done;
        }
    }
    const char *url = json_string_value(json_object_get(input, "url"));
    if (url && (rc = download(call, url, &b64)) != UATS_OK)
        goto done;
    att = ef_attachment(call, input, candidate_id,
                        b64 ? b64 : json_string_value(json_object_get(input, "data")),
                        json_string_value(json_object_get(input, "application_id")), "",
                        (int64_t)time(NULL));
    if (!att) {
        rc = uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        goto done;
    }
    const char *id = json_string_value(json_object_get(att, "attachmentId"));
    const json_t *there = find_attachment(old, id);
    if (there) {
        /* The same file was added before (a retry): nothing to send. */
        *out = ef_to_attachment(call, there, candidate_id);
        rc = *out ? UATS_OK : UATS_E_VENDOR;
        goto done;
    }
    list = json_is_array(old) ? json_deep_copy(old) : json_array();
    json_array_append(list, att);
    json_t *body = json_pack("{s:O}", "attachments", list);
    uats_http_req *req = uats_host->http_new(call, "PATCH", CANDIDATE, sys, candidate_id);
    uats_host->http_json_body(req, body);
    json_decref(body);
    if ((rc = uats_host->http_send(req, &resp)) != UATS_OK ||
        (rc = transaction_of(call, resp, &txn)) != UATS_OK)
        goto done;
    if (txn && (rc = wait_transaction(call, s, txn, resp, "attachment")) != UATS_OK)
        goto done;
    double deadline = now_ms() + (double)(txn ? 0 : s->wait_ms);
    long step = 250, ms;
    for (;;) {
        uats_host->http_resp_free(after);
        after = NULL;
        if ((rc = fetch(call, s, candidate_id, false, NULL, &after, &profile)) != UATS_OK)
            goto done;
        there = find_attachment(json_object_get(profile, "attachments"), id);
        if (there || !(ms = next_pause(&step, deadline)))
            break;
        pause_ms(ms);
    }
    if (!there) {
        rc = uats_host->fail(call, UATS_E_OUTCOME_UNKNOWN, "Eightfold accepted the update "
                             "but does not list file %s (a claimed profile may keep its "
                             "files)", id);
        goto done;
    }
    *out = ef_to_attachment(call, there, candidate_id);
    rc = *out ? UATS_OK : UATS_E_VENDOR;
done:
    json_decref(att);
    json_decref(list);
    uats_host->free(b64);
    uats_host->http_resp_free(before);
    uats_host->http_resp_free(resp);
    uats_host->http_resp_free(after);
    pthread_mutex_unlock(&s->attach_lock);
    return rc;
}

/* Eightfold documents no error body; these cover the {"errors": [{"message"}]}
 * shape seen for other v2 entities and the usual single-message forms. */
static const char *const error_paths[] = {"errors.0.message", "message", "error_description",
                                          "error", NULL};

/* README.md's create table: what goes into the ATS candidate. */
static const char *const stored_fields[] = {
    "id", "first_name", "last_name", "title", "email_addresses", "phone_numbers", "urls",
    "tags", "locations", "location", "address", "summary", "gender", "date_of_birth",
    "skills", "education", "experience", "certifications", "visa_statuses", "veteran_status",
    "disability_status", "races", "highest_education_level", "contact_consent",
    "is_internal", "is_anonymized", "custom_fields", "application.job_id",
    "application.source", "application.screening_answers", "attachments", "remote_fields",
    NULL};

static const uats_connector eightfold_connector = {
    UATS_CONNECTOR_INIT,
    .name = "eightfold",
    .version = "1.0.0",
    .vendor = "Eightfold",
    .description = "Eightfold AI ATS Candidate API v2: full profiles keyed by the caller's id, "
                   "asynchronous writes",
    /* The host depends on the region: open() builds it. */
    .default_base_url = NULL,
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = options,
    .api_key_style = UATS_KEY_BEARER,
    .oauth_token_url = "https://apiv2.eightfold.ai/oauth/v1/authenticate",
    /* Eightfold documents no rate limit (docs/vendors/eightfold.md, Rate
     * limits): no pacing; 429 and Retry-After are honoured by the core. */
    .rate_per_sec = 0,
    .rate_burst = 0,
    .error_message_paths = error_paths,
    .stored_fields = stored_fields,
    /* Password grant, form-encoded as the clients seen calling
     * apiv2.eightfold.ai send it; the token comes under "data". */
    .oauth_grant = UATS_OAUTH_PASSWORD,
    .oauth_json_body = 0,
    .oauth_token_path = "data.access_token",
    .open = ef_open,
    .close = ef_close,
    .create_candidate = ef_create,
    .get_candidate = ef_get,
    .add_attachment = ef_attach,
};

UATS_CONNECTOR_DEFINE(eightfold, eightfold_connector)
