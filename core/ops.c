/*
 * core/ops.c: the operations hosts call. Each one checks its input against
 * the unified schema, runs the connector's hook with a fresh call record,
 * and checks what the connector returned before the host sees it: a
 * connector bug becomes UATS_E_BAD_MODULE naming the field, never a crash
 * in the host.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct op {
    unsigned long alloc_failures; /* uats__alloc_failures() when it began */
    uats_conn *conn;
    const char *verb;     /* "create a candidate": for messages */
    uats_error local;     /* used when the caller passed no uats_error */
    uats_error *err;
    uats_call call;
} op;

static void op_begin(op *o, uats_conn *conn, const char *verb, uats_error *err)
{
    o->alloc_failures = uats__alloc_failures();
    o->conn = conn;
    o->verb = verb;
    o->err = err ? err : &o->local;
    uats__call_init(&o->call, conn, o->err);
}

/* Record the outcome on the connection and return it. */
static uats_code op_end(op *o, uats_code rc)
{
    if (rc == UATS_OK) {
        uats__err_clear(o->err);
        return rc;
    }
    if (o->conn) {
        pthread_mutex_lock(&o->conn->lock);
        o->conn->last_error = *o->err;
        pthread_mutex_unlock(&o->conn->lock);
        uats__log(o->conn->ctx, o->conn, o->conn->module->desc.name, UATS_LOG_DEBUG,
                  "%s failed: %s: %s", o->verb, uats_code_name(rc), o->err->text);
    }
    return rc;
}

static uats_code op_fail(op *o, uats_code code, const char *fmt, ...) UATS_PRINTF(3, 4);

static uats_code op_fail(op *o, uats_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uats__err_setv(o->err, code, fmt, ap);
    va_end(ap);
    if (o->conn)
        uats__copy_str(o->err->connector, sizeof o->err->connector,
                       o->conn->module->desc.name);
    return op_end(o, code);
}

/* Shared checks before a hook runs. */
static uats_code op_check(op *o, bool has_hook, const uats_object *input,
                          uats_kind input_kind, json_t **canonical)
{
    if (!o->conn)
        return op_fail(o, UATS_E_INVALID_INPUT, "connection is NULL");
    const uats_connector *d = &o->conn->module->desc;
    if (!has_hook)
        return op_fail(o, UATS_E_UNSUPPORTED, "connector %s (%s) cannot %s", d->name,
                       d->vendor ? d->vendor : d->name, o->verb);
    if (!input_kind)
        return UATS_OK;
    if (!input || input->kind != input_kind)
        return op_fail(o, UATS_E_INVALID_INPUT, "%s needs an input object of kind %d",
                       o->verb, (int)input_kind);
    /* Setters check each value but not rules across fields ("data or url"),
     * and this also gives the connector canonical JSON. */
    uats_code rc = uats__validate_shared(uats__schema_root(input_kind), input->root,
                                         canonical, o->err);
    return rc == UATS_OK ? UATS_OK : op_end(o, rc);
}

/* Turn the hook's result into the host's, checking the connector kept its
 * side of the contract. result is taken. */
static uats_code op_finish(op *o, uats_code rc, json_t *result, uats_kind kind,
                           uats_object **out)
{
    const char *name = o->conn->module->desc.name;
    bool ran_out = uats__alloc_failures() != o->alloc_failures;
    if (ran_out && rc != UATS_E_OUTCOME_UNKNOWN && o->err->code == UATS_E_OUTCOME_UNKNOWN) {
        /* A write whose outcome is unknown stays so, whatever the hook
         * made of it after memory ran out. */
        json_decref(result);
        result = NULL;
        rc = UATS_E_OUTCOME_UNKNOWN;
    } else if (ran_out && rc != UATS_E_OUTCOME_UNKNOWN) {
        /* Memory ran out somewhere along the way: whatever the hook made
         * of it (a missing field, a "bad" result), it is out of memory. */
        o->call.failed = false;
        uats__err_clear(o->err);
        json_decref(result);
        result = NULL;
        rc = op_fail(o, UATS_E_NOMEM, "out of memory while the connector ran");
    }
    if (rc == UATS_OK && !result)
        rc = op_fail(o, UATS_E_BAD_MODULE,
                     "connector %s reported success but returned nothing from %s",
                     name, o->verb);
    json_t *copy = NULL;
    if (rc == UATS_OK) {
        /* Validate into our own copy: the connector's object is its own
         * (it may be shared) and is never modified. */
        uats_error why;
        uats__err_clear(&why);
        rc = uats__validate_shared(uats__schema_root(kind), result, &copy, &why);
        if (rc == UATS_E_NOMEM)
            op_fail(o, rc, "out of memory");
        else if (rc != UATS_OK)
            rc = op_fail(o, UATS_E_BAD_MODULE, "connector %s returned an invalid %s: %s",
                         name, kind == UATS_KIND_CANDIDATE ? "candidate" : "attachment",
                         why.text);
    }
    json_decref(result);
    if (rc != UATS_OK) {
        json_decref(copy);
        if (rc < 0 || rc >= UATS_E__LAST) {
            o->call.failed = false;
            uats__err_clear(o->err);
            rc = op_fail(o, UATS_E_BAD_MODULE, "connector %s returned unknown code %d from %s",
                         name, (int)rc, o->verb);
        } else if (!o->call.failed && !o->err->code) {
            rc = op_fail(o, rc, "connector %s could not %s: %s", name, o->verb,
                         uats_strerror(rc));
        } else {
            /* What was recorded is what happened; the hook's return value
             * only says that something failed. */
            rc = o->err->code;
        }
        if (o->call.committed && rc != UATS_E_OUTCOME_UNKNOWN) {
            /* The vendor accepted the write; only reading it back failed.
             * Saying so keeps the host from creating it again. */
            char why[UATS_ERROR_SIZE];
            uats__copy_str(why, sizeof why, o->err->text);
            rc = uats__err_set(o->err, UATS_E_OUTCOME_UNKNOWN,
                               "%s accepted the request, so it took effect, but then: %s",
                               o->conn->module->desc.vendor ? o->conn->module->desc.vendor
                                                            : name, why);
        }
        return op_end(o, rc);
    }
    char stamp[UATS_TIME_SIZE];
    uats__now_iso(stamp);
    /* modified_at comes just before remote_data in both kinds' schema: set
     * it, then move remote_data behind it, and the copy stays in schema
     * order (uats_object_to_json then only copies it). */
    json_t *remote = json_incref(json_object_get(copy, "remote_data"));
    if (remote)
        json_object_del(copy, "remote_data");
    if (json_object_set_new(copy, "modified_at", json_string(stamp)) != 0) {
        json_decref(remote);
        json_decref(copy);
        return op_fail(o, UATS_E_NOMEM, "out of memory");
    }
    /* set_new takes remote, also when it fails. */
    if (remote && json_object_set_new(copy, "remote_data", remote) != 0) {
        json_decref(copy);
        return op_fail(o, UATS_E_NOMEM, "out of memory");
    }
    *out = uats__object_wrap(kind, copy, true);
    if (!*out)
        return op_fail(o, UATS_E_NOMEM, "out of memory");
    return op_end(o, UATS_OK);
}

/* Runs after op_finish: hand warnings over only on success. */
static void give_warnings(uats_code rc, uats_warnings *w, uats_warnings **out)
{
    if (out && rc == UATS_OK)
        *out = w;
    else
        uats_warnings_free(w);
}

uats_code uats_candidate_create(uats_conn *conn, const uats_object *input,
                                uats_object **out, uats_warnings **warnings,
                                uats_error *err)
{
    op o;
    json_t *in = NULL, *result = NULL;
    if (out) *out = NULL;
    if (warnings) *warnings = NULL;
    op_begin(&o, conn, "create a candidate", err);
    if (!out)
        return op_fail(&o, UATS_E_INVALID_INPUT, "out is NULL");
    uats_code rc = op_check(&o, conn && conn->module->desc.create_candidate, input,
                            UATS_KIND_CANDIDATE_INPUT, &in);
    if (rc != UATS_OK)
        return rc;
    if (!(o.call.warnings = uats__warnings_new())) {
        json_decref(in);
        return op_fail(&o, UATS_E_NOMEM, "out of memory");
    }
    rc = conn->module->desc.create_candidate(&o.call, conn->state, in, &result);
    json_decref(in);
    rc = op_finish(&o, rc, result, UATS_KIND_CANDIDATE, out);
    give_warnings(rc, o.call.warnings, warnings);
    return rc;
}

uats_code uats_candidate_get(uats_conn *conn, const char *id, uats_object **out,
                             uats_error *err)
{
    op o;
    json_t *result = NULL;
    if (out) *out = NULL;
    op_begin(&o, conn, "get a candidate", err);
    if (!out)
        return op_fail(&o, UATS_E_INVALID_INPUT, "out is NULL");
    uats_code rc = op_check(&o, conn && conn->module->desc.get_candidate, NULL, 0, NULL);
    if (rc != UATS_OK)
        return rc;
    if (!id || !*id)
        return op_fail(&o, UATS_E_INVALID_INPUT, "candidate id is empty");
    rc = conn->module->desc.get_candidate(&o.call, conn->state, id, &result);
    return op_finish(&o, rc, result, UATS_KIND_CANDIDATE, out);
}

uats_code uats_attachment_add(uats_conn *conn, const char *candidate_id,
                              const uats_object *input, uats_object **out,
                              uats_warnings **warnings, uats_error *err)
{
    op o;
    json_t *in = NULL, *result = NULL;
    if (out) *out = NULL;
    if (warnings) *warnings = NULL;
    op_begin(&o, conn, "add an attachment", err);
    if (!out)
        return op_fail(&o, UATS_E_INVALID_INPUT, "out is NULL");
    if (!candidate_id || !*candidate_id)
        return op_fail(&o, UATS_E_INVALID_INPUT, "candidate id is empty");
    uats_code rc = op_check(&o, conn && conn->module->desc.add_attachment, input,
                            UATS_KIND_ATTACHMENT_INPUT, &in);
    if (rc != UATS_OK)
        return rc;
    if (!(o.call.warnings = uats__warnings_new())) {
        json_decref(in);
        return op_fail(&o, UATS_E_NOMEM, "out of memory");
    }
    rc = conn->module->desc.add_attachment(&o.call, conn->state, candidate_id, in,
                                           &result);
    json_decref(in);
    rc = op_finish(&o, rc, result, UATS_KIND_ATTACHMENT, out);
    give_warnings(rc, o.call.warnings, warnings);
    return rc;
}
