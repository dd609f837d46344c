/*
 * tests/modules/testconn.c: a connector for the core's own tests. It does
 * not talk to a vendor; its behaviour is steered by the input so that tests
 * can reach every path of the core's operation code:
 *   - first_name "fail-<code>": fail with that uats code, echoing the
 *     connection's api_key in the vendor message (the core must redact it);
 *   - first_name "bad-output": return a candidate that breaks the schema;
 *   - first_name "no-output": return UATS_OK without a result;
 *   - first_name "silent-<code>": return the code without calling fail;
 *   - races: not storable here, so they come back as a warning.
 * It requires the option "account" and checks credentials.api_key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uats/connector.h>

static const uats_option_spec options[] = {
    {"account", UATS_OPTION_REQUIRED, "the test account's name"},
    {"signing_key", UATS_OPTION_SECRET, "a secret option, redacted like credentials"},
    {NULL, 0, NULL},
};

static uats_code test_open(uats_call *call, void **state)
{
    const char *key = uats_host->credential(call, "api_key");
    if (!key)
        return uats_host->fail(call, UATS_E_AUTH, "credentials.api_key is required");
    if (strcmp(uats_host->option(call, "account"), "refuse") == 0)
        return uats_host->fail(call, UATS_E_CONFIG, "account %s refused",
                               uats_host->option(call, "account"));
    *state = uats_host->strdup(uats_host->option(call, "account"));
    uats_host->log(call, UATS_LOG_DEBUG, "open with key %s", key);
    return *state ? UATS_OK : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
}

static void test_close(void *state)
{
    uats_host->free(state);
}

static uats_code test_create(uats_call *call, void *state, const json_t *input,
                             json_t **out)
{
    const char *first = json_string_value(json_object_get(input, "first_name"));
    const char *key = uats_host->credential(call, "api_key");
    if (first && strncmp(first, "fail-", 5) == 0) {
        char vendor[1024];
        /* "-long": the key after 240 characters, where a 256-byte buffer
         * would cut it. */
        snprintf(vendor, sizeof vendor, "%sinvalid request (key %s)",
                 strstr(first, "-long") ? "................................................"
                                          "................................................"
                                          "................................................"
                                          "................................................"
                                          "................................................" : "",
                 key);
        return uats_host->fail_vendor(call, (uats_code)atoi(first + 5), 422, vendor,
                                      "vendor refused the candidate with key %s", key);
    }
    if (first && strcmp(first, "field-error") == 0)
        return uats_host->fail_field(call, UATS_E_VALIDATION, 422, "email_addresses[0].value",
                                     "email is invalid", "the vendor refused an e-mail");
    if (first && strncmp(first, "silent-", 7) == 0)
        return (uats_code)atoi(first + 7);
    if (first && strcmp(first, "no-output") == 0)
        return UATS_OK;
    uats_host->log(call, UATS_LOG_DEBUG, "creating with key %s and signing key %s", key,
                   uats_host->option(call, "signing_key") ? uats_host->option(call, "signing_key") : "-");
    if (json_object_get(input, "races"))
        uats_host->warn(call, "races", "the test vendor has no field for races");
    json_t *cand = json_deep_copy(input);
    json_object_del(cand, "races");
    json_object_del(cand, "application");
    json_object_del(cand, "attachments");
    json_object_del(cand, "acting_user");
    json_object_del(cand, "remote_fields");
    json_object_set_new(cand, "id", json_string("t-1"));
    json_object_set_new(cand, "remote_data",
                        json_pack("{s:s, s:s, s:s}", "account", (const char *)state, "id", "t-1",
                                  "base_url", uats_host->base_url(call)));
    if (first && strcmp(first, "bad-output") == 0)
        json_object_set_new(cand, "email_addresses",
                            json_pack("[{s:s, s:s}]", "value", "x@example.com", "type",
                                      "CARRIER_PIGEON"));
    *out = cand;
    return UATS_OK;
}

static uats_code test_get(uats_call *call, void *state, const char *id, json_t **out)
{
    char when[UATS_TIME_SIZE];
    if (strcmp(id, "missing") == 0)
        return uats_host->fail_vendor(call, UATS_E_NOT_FOUND, 404, "Not Found",
                                      "candidate %s does not exist", id);
    /* A vendor-shaped record mapped with the host's helpers. */
    json_t *vendor = json_pack("{s:s, s:s, s:I}", "name", "Grace Hopper", "id", id,
                               "createdAt", (json_int_t)1700000000123LL);
    const char *name;
    json_int_t created;
    uats_code rc = uats_host->unpack(call, vendor, "candidate", "{s:s, s:I}", "name",
                                     &name, "createdAt", &created);
    if (rc == UATS_OK && strcmp(id, "malformed") == 0)
        rc = uats_host->unpack(call, vendor, "candidate", "{s:i}", "name", &created);
    if (rc != UATS_OK) {
        json_decref(vendor);
        return rc;
    }
    uats_host->time_from_epoch_ms(created, when);
    /* A vendor time with an offset and a long fraction, normalized; and
     * one that is not a time, refused without a recorded failure. */
    char updated[UATS_TIME_SIZE], junk[UATS_TIME_SIZE];
    if (uats_host->time_normalize("2023-11-15T00:43:20.1239+02:30", updated) != UATS_OK ||
        uats_host->time_normalize("2023-11-15 yesterday", junk) != UATS_E_INVALID_INPUT ||
        junk[0] || uats_host->time_normalize(NULL, junk) != UATS_E_INVALID_INPUT ||
        /* Real calendar days only: no quiet 02-30 -> 03-02. */
        uats_host->time_normalize("2019-02-29T00:00:00Z", junk) != UATS_E_INVALID_INPUT ||
        uats_host->time_normalize("2020-04-31T00:00:00Z", junk) != UATS_E_INVALID_INPUT ||
        uats_host->time_normalize("2020-02-29T00:00:00Z", junk) != UATS_OK) {
        json_decref(vendor);
        return uats_host->fail(call, UATS_E_INTERNAL, "time_normalize misbehaved");
    }
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "id", id, "first_name", "Grace",
                     "last_name", "Hopper", "remote_created_at", when, "remote_updated_at",
                     updated, "remote_data", vendor);
    json_decref(vendor);
    return *out ? UATS_OK : uats_host->fail(call, UATS_E_NOMEM, "out of memory");
}

static const uats_connector testconn = {
    UATS_CONNECTOR_INIT,
    .name = "testconn",
    .version = "1.2.3",
    .vendor = "Test Vendor",
    .description = "steerable connector for the core's tests",
    .default_base_url = "https://api.test.invalid/v1/",
    .caps = UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE,
    .options = options,
    .open = test_open,
    .close = test_close,
    .create_candidate = test_create,
    .get_candidate = test_get,
};

UATS_CONNECTOR_DEFINE(testconn, testconn)
