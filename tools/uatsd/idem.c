/*
 * tools/uatsd/idem.c: Idempotency-Key for writes through the gateway.
 *
 * The core never repeats a create on its own; this covers the hop before
 * it: a client whose answer from uatsd was lost retries with the same key
 * and gets the first answer back, not a second candidate. The record lives
 * in the store, so the retry may reach another instance.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "server.h"

#define IDEM_HEADER "Idempotency-Key"

static bool key_ok(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n > 255)
        return false;
    for (size_t i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e)
            return false;
    return true;
}

/* What the request was: a retry must be the same request. */
static void request_hash(const gw_req *r, char out[65])
{
    size_t ml = strlen(r->method), pl = strlen(r->path);
    char *buf = malloc(ml + pl + r->body_len + 2);
    if (!buf) {
        memset(out, 'x', 64);
        out[64] = 0;
        return;
    }
    memcpy(buf, r->method, ml);
    buf[ml] = '\n';
    memcpy(buf + ml + 1, r->path, pl);
    buf[ml + 1 + pl] = '\n';
    memcpy(buf + ml + pl + 2, r->body, r->body_len);
    store_sha256_hex(buf, ml + pl + 2 + r->body_len, out);
    free(buf);
}

bool gw_idem_begin(gw_req *r, const gw_link *l, gw_idem *idem, gw_resp *out)
{
    const char *key = gw_header(r, IDEM_HEADER);
    char why[STORE_WHY], hash[65];
    memset(idem, 0, sizeof *idem);
    if (!key)
        return true;
    if (!key_ok(key)) {
        gw_fail(r, out, 400, "BAD_IDEMPOTENCY_KEY",
                "Idempotency-Key: 1 to 255 printable ASCII characters", NULL);
        return false;
    }
    snprintf(idem->scope, sizeof idem->scope, "%s", gw_link_token_hash(l));
    store_sha256_hex(key, strlen(key), idem->key_hash);
    request_hash(r, hash);
    store_idem rec;
    int rc = store_idem_claim(r->gw->store, idem->scope, idem->key_hash, hash, &rec, why);
    if (rc == 0) {
        idem->active = true;
        return true;
    }
    if (rc != STORE_EXISTS) {
        fprintf(stderr, "uatsd: store: %s\n", why);
        gw_fail(r, out, 503, "STORE_UNAVAILABLE", "the idempotency record cannot be read",
                NULL);
        return false;
    }
    if (strcmp(rec.request_hash, hash) != 0)
        gw_fail(r, out, 422, "IDEMPOTENCY_KEY_REUSED",
                "this Idempotency-Key was used for a different request", NULL);
    else if (!rec.done)
        gw_fail(r, out, 409, "IDEMPOTENCY_KEY_IN_USE",
                "a request with this Idempotency-Key is still running; retry later", NULL);
    else {
        json_error_t jerr;
        out->status = rec.status;
        out->body = rec.body ? json_loads(rec.body, 0, &jerr) : NULL;
        out->replayed = true;
    }
    free(rec.body);
    return false;
}

void gw_idem_end(gw_req *r, gw_idem *idem, uats_code code, const gw_resp *out)
{
    char why[STORE_WHY];
    if (!idem->active)
        return;
    int rc;
    /* Every failure but an unknown outcome means nothing was written: the
     * key is free for a retry. */
    if (code != UATS_OK && code != UATS_E_OUTCOME_UNKNOWN)
        rc = store_idem_release(r->gw->store, idem->scope, idem->key_hash, why);
    else {
        char *text = out->body ? json_dumps(out->body, JSON_COMPACT) : NULL;
        rc = store_idem_finish(r->gw->store, idem->scope, idem->key_hash, out->status, text,
                               why);
        free(text);
    }
    if (rc != 0)
        fprintf(stderr, "uatsd: store: idempotency record: %s\n", why);
    idem->active = false;
}
