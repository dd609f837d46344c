/*
 * plugins/memory/memory.c: the "memory" connector, an ATS that lives in the
 * connection. Candidates and attachments are kept in memory until the
 * connection closes. It needs no network and no credentials, which makes it
 * the connector to try uats with and to test host programs against.
 *
 * It stores every unified field. Inputs that only a real vendor would act
 * on (acting_user, remote_fields, screening and form answers) are kept in
 * the candidate's remote_data, as a vendor would keep them in its record.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <uats/connector.h>

typedef struct store {
    pthread_mutex_t lock;  /* hooks run concurrently on one connection */
    json_t *candidates;    /* id -> unified candidate (with remote_data) */
    json_t *attachments;   /* id -> unified attachment */
    unsigned long next_id;
} store;

static uats_code memory_open(uats_call *call, void **state)
{
    store *s = uats_host->alloc(sizeof *s);
    if (!s)
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    s->candidates = json_object();
    s->attachments = json_object();
    s->next_id = 1;
    if (!s->candidates || !s->attachments) {
        json_decref(s->candidates);
        json_decref(s->attachments);
        uats_host->free(s);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    pthread_mutex_init(&s->lock, NULL);
    *state = s;
    return UATS_OK;
}

static void memory_close(void *state)
{
    store *s = state;
    json_decref(s->candidates);
    json_decref(s->attachments);
    pthread_mutex_destroy(&s->lock);
    uats_host->free(s);
}

/* Ids look like a vendor's: a prefix and a number. Called under lock. */
static void new_id(store *s, const char *prefix, char *out, size_t size)
{
    snprintf(out, size, "%s-%lu", prefix, s->next_id++);
}

static json_t *attachment_record(store *s, const char *candidate_id,
                                 const json_t *input)
{
    char id[32];
    new_id(s, "att", id, sizeof id);
    const char *data = json_string_value(json_object_get(input, "data"));
    const char *url = json_string_value(json_object_get(input, "url"));
    json_t *rec = json_pack("{s:s, s:s, s:s, s:O*, s:O*}", "id", id, "remote_id", id,
                            "candidate_id", candidate_id,
                            "file_name", json_object_get(input, "file_name"),
                            "content_type", json_object_get(input, "content_type"));
    if (!rec)
        return NULL;
    json_t *type = json_object_get(input, "type");
    if (type)
        json_object_set(rec, "type", type);
    if (data) {
        /* Decoded size from the base64 length and its padding. */
        size_t len = strlen(data), pad = 0;
        if (len && data[len - 1] == '=') pad++;
        if (len > 1 && data[len - 2] == '=') pad++;
        json_object_set_new(rec, "size", json_integer((json_int_t)(len / 4 * 3 - pad)));
        char file_url[64];
        snprintf(file_url, sizeof file_url, "memory://attachments/%s", id);
        json_object_set_new(rec, "file_url", json_string(file_url));
    } else if (url) {
        json_object_set_new(rec, "file_url", json_string(url));
    }
    json_object_set_new(rec, "remote_data", json_deep_copy(input));
    return rec;
}

/* The answer the host gets: a copy, so later changes to the store do not
 * reach objects already handed out. */
static uats_code answer(uats_call *call, const json_t *rec, json_t **out)
{
    *out = json_deep_copy(rec);
    return *out ? UATS_OK : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
}

static uats_code memory_create(uats_call *call, void *state, const json_t *input,
                               json_t **out)
{
    store *s = state;
    char id[32];
    uats_code rc = UATS_OK;
    json_t *cand = json_deep_copy(input);
    json_t *raw = json_object();
    if (!cand || !raw) {
        json_decref(cand);
        json_decref(raw);
        return uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    }
    /* Move what only a vendor acts on from the input into remote_data. */
    static const char *const vendor_side[] = {"application", "acting_user",
                                              "remote_fields"};
    for (size_t i = 0; i < sizeof vendor_side / sizeof vendor_side[0]; i++) {
        json_t *v = json_object_get(cand, vendor_side[i]);
        if (v) {
            json_object_set(raw, vendor_side[i], v);
            json_object_del(cand, vendor_side[i]);
        }
    }

    pthread_mutex_lock(&s->lock);
    const char *given = json_string_value(json_object_get(input, "id"));
    if (given && json_object_get(s->candidates, given)) {
        rc = uats_host->fail_vendor(call, UATS_E_CONFLICT, 409, "candidate id already exists",
                                    "a candidate with id %s already exists", given);
        goto out;
    }
    if (given)
        snprintf(id, sizeof id, "%.31s", given);
    else
        new_id(s, "cand", id, sizeof id);
    json_object_set_new(cand, "id", json_string(id));
    json_object_set_new(cand, "remote_id", json_string(id));

    json_t *app = json_object_get(input, "application");
    json_t *apps = json_array();
    if (app && apps) {
        char app_id[32];
        new_id(s, "app", app_id, sizeof app_id);
        json_array_append_new(apps, json_string(app_id));
    }
    json_object_set_new(cand, "applications", apps);

    json_t *att_ids = json_array();
    size_t i;
    json_t *att;
    json_array_foreach(json_object_get(input, "attachments"), i, att) {
        json_t *rec = attachment_record(s, id, att);
        if (!rec || !att_ids) {
            json_decref(rec);
            rc = uats_host->fail(call, UATS_E_NOMEM, "out of memory");
            json_decref(att_ids);
            goto out;
        }
        json_array_append(att_ids, json_object_get(rec, "id"));
        json_object_set_new(s->attachments, json_string_value(json_object_get(rec, "id")),
                            rec);
    }
    json_object_set_new(cand, "attachments", att_ids);

    /* The store's clock: when the vendor "created" the record. */
    char now[UATS_TIME_SIZE];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uats_host->time_from_epoch_ms((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, now);
    json_object_set_new(cand, "remote_created_at", json_string(now));
    json_object_set_new(cand, "remote_updated_at", json_string(now));
    json_object_set_new(raw, "id", json_string(id));
    json_object_set(cand, "remote_data", raw);

    if (json_object_set(s->candidates, id, cand) != 0)
        rc = uats_host->fail(call, UATS_E_NOMEM, "out of memory");
    else
        rc = answer(call, cand, out);
out:
    pthread_mutex_unlock(&s->lock);
    json_decref(cand);
    json_decref(raw);
    return rc;
}

static uats_code memory_get(uats_call *call, void *state, const char *id, json_t **out)
{
    store *s = state;
    uats_code rc;
    pthread_mutex_lock(&s->lock);
    json_t *cand = json_object_get(s->candidates, id);
    if (cand)
        rc = answer(call, cand, out);
    else
        rc = uats_host->fail_vendor(call, UATS_E_NOT_FOUND, 404, "no such candidate",
                                    "candidate %s not found", id);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static uats_code memory_attach(uats_call *call, void *state, const char *candidate_id,
                               const json_t *input, json_t **out)
{
    store *s = state;
    uats_code rc;
    pthread_mutex_lock(&s->lock);
    json_t *cand = json_object_get(s->candidates, candidate_id);
    if (!cand) {
        rc = uats_host->fail_vendor(call, UATS_E_NOT_FOUND, 404, "no such candidate",
                                    "candidate %s not found", candidate_id);
        goto out;
    }
    json_t *rec = attachment_record(s, candidate_id, input);
    json_t *ids = json_object_get(cand, "attachments");
    if (!rec || json_array_append(ids, json_object_get(rec, "id")) != 0 ||
        json_object_set(s->attachments, json_string_value(json_object_get(rec, "id")),
                        rec) != 0) {
        json_decref(rec);
        rc = uats_host->fail(call, UATS_E_NOMEM, "out of memory");
        goto out;
    }
    rc = answer(call, rec, out);
    json_decref(rec);
out:
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Everything: the store keeps the input as given. */
static const char *const stored_fields[] = {
    "id", "first_name", "last_name", "company", "title", "locations", "is_private",
    "can_email", "email_addresses", "phone_numbers", "urls", "tags", "avatar", "custom_fields",
    "gender", "date_of_birth", "address", "location", "summary", "skills", "education",
    "experience", "certifications", "visa_statuses", "veteran_status", "disability_status",
    "races", "highest_education_level", "contact_consent", "is_internal", "is_anonymized",
    "salary_expectations", "availability_date", "application.job_id", "application.stage_id",
    "application.source", "application.screening_answers", "application.form_answers",
    "attachments", "acting_user", "remote_fields", NULL};

static const uats_connector memory_connector = {
    UATS_CONNECTOR_INIT,
    .name = "memory",
    .version = "1.0.0",
    .vendor = "In-memory ATS",
    .description = "an ATS kept in the connection's memory, for trying uats and testing hosts",
    .default_base_url = "memory://local",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE | UATS_CAP_ADD_ATTACHMENT,
    .options = NULL,
    .open = memory_open,
    .close = memory_close,
    .stored_fields = stored_fields,
    .create_candidate = memory_create,
    .get_candidate = memory_get,
    .add_attachment = memory_attach,
};

UATS_CONNECTOR_DEFINE(memory, memory_connector)
