/*
 * tools/uats-conformance.c: the standard behaviour suite for any connector,
 * run against its vendor emulator. The kit puts a fault-injecting proxy on
 * 127.0.0.1 between the connector and the emulator, so that it can make
 * any vendor answer 401, 429, an HTML 502 or broken JSON, and count what
 * reached the vendor.
 */
#include <config.h>

#include <curl/curl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <uats/uats.h>

#include "emu.h"

static char upstream[512];   /* scheme://host:port of the real emulator */
static const char *job_id;   /* --job-id: a job the emulator has open, or NULL */
static bool caller_ids;      /* the connector stores "id": the caller names candidates */
static int failures, passes;

/* ---- the proxy ---- */

typedef struct answer {
    char *body;
    size_t len;
    struct curl_slist *keep;  /* response headers worth passing on */
} answer;

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    answer *a = ud;
    char *grown = realloc(a->body, a->len + size * n + 1);
    if (!grown)
        return 0;
    a->body = grown;
    memcpy(a->body + a->len, data, size * n);
    a->len += size * n;
    a->body[a->len] = '\0';
    return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    answer *a = ud;
    static const char *const pass[] = {"content-type:", "retry-after:", "x-ratelimit-",
                                       "x-rate-limit-", "location:", "link:"};
    for (size_t i = 0; i < sizeof pass / sizeof pass[0]; i++) {
        if (strncasecmp(data, pass[i], strlen(pass[i])) == 0) {
            char line[1024];
            size_t len = size * n < sizeof line - 1 ? size * n : sizeof line - 1;
            memcpy(line, data, len);
            while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
                len--;
            line[len] = '\0';
            a->keep = curl_slist_append(a->keep, line);
        }
    }
    return size * n;
}

/* Forward the request to the emulator as it came, and its answer back. */
static void forward(const emu_request *req, emu_response *resp, void *ud)
{
    (void)ud;
    CURL *h = curl_easy_init();
    answer a = {0};
    struct curl_slist *headers = NULL;
    char url[2048];
    snprintf(url, sizeof url, "%s%s", upstream, emu_req_target(req));
    const char *name, *value;
    for (size_t i = 0; emu_req_header_at(req, i, &name, &value); i++) {
        if (strcasecmp(name, "Host") == 0 || strcasecmp(name, "Content-Length") == 0 ||
            strcasecmp(name, "Connection") == 0 || strcasecmp(name, "Transfer-Encoding") == 0 ||
            strcasecmp(name, "Accept-Encoding") == 0)
            continue;
        char line[2048];
        snprintf(line, sizeof line, "%s: %s", name, value);
        headers = curl_slist_append(headers, line);
    }
    headers = curl_slist_append(headers, "Expect:");
    size_t len;
    const char *body = emu_req_body(req, &len);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, emu_req_method(req));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (len || strcmp(emu_req_method(req), "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &a);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    long status = 502;
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    const char *type = "application/json";
    for (struct curl_slist *l = a.keep; l; l = l->next) {
        char *colon = strchr(l->data, ':');
        if (!colon)
            continue;
        *colon = '\0';
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        if (strcasecmp(l->data, "Content-Type") == 0)
            type = v;
        else
            emu_resp_header(resp, l->data, v);
    }
    emu_resp_body(resp, (int)status, type, a.body ? a.body : "", a.len);
    curl_slist_free_all(a.keep);
    curl_slist_free_all(headers);
    free(a.body);
    curl_easy_cleanup(h);
}

/* ---- checks ---- */

static void result(bool ok, const char *what, const char *detail)
{
    printf("%s  %s%s%s\n", ok ? "PASS" : "FAIL", what, detail && *detail ? ": " : "",
           detail ? detail : "");
    fflush(stdout);
    if (ok)
        passes++;
    else
        failures++;
}

/* The standard input: a candidate with the fields every ATS has a home
 * for, and a few that most do not (they must come back as warnings). */
static const char standard_input[] =
    "{\"first_name\": \"Conformance\", \"last_name\": \"Check\","
    " \"title\": \"Engineer\", \"company\": \"Kit Ltd\","
    " \"email_addresses\": [{\"value\": \"conformance@example.com\", \"type\": \"PERSONAL\"}],"
    " \"phone_numbers\": [{\"value\": \"+1 555 0100\", \"type\": \"MOBILE\"}],"
    " \"urls\": [{\"value\": \"https://www.linkedin.com/in/conformance\", \"type\": \"LINKEDIN\"}],"
    " \"locations\": [\"Berlin\"], \"tags\": [\"conformance\"],"
    " \"gender\": \"unspecified\", \"summary\": \"written by uats-conformance\","
    " \"skills\": [\"C\"], \"availability_date\": \"2030-01-01\"}";

/* The standard input, applying to --job-id's job when given (vendors that
 * keep files on applications need one). */
static uats_code standard(uats_object **in, uats_error *err)
{
    uats_code rc = uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, standard_input,
                                         strlen(standard_input), in, err);
    if (rc == UATS_OK && job_id && (rc = uats_set_string(*in, UATS_F_JOB_ID, job_id, err))) {
        uats_object_free(*in);
        *in = NULL;
    }
    /* Vendors keyed by the caller's id (Eightfold) need one, new each time
     * so that no check meets an earlier one's candidate. */
    static unsigned serial;
    char id[64];
    snprintf(id, sizeof id, "uats-conformance-%ld-%u", (long)getpid(), ++serial);
    if (rc == UATS_OK && caller_ids && (rc = uats_set_string(*in, UATS_F_ID, id, err))) {
        uats_object_free(*in);
        *in = NULL;
    }
    return rc;
}

/* Input-only keys: nothing to find in the candidate read back. */
static bool input_only(const char *key)
{
    static const char *const keys[] = {"application", "attachments", "acting_user",
                                       "remote_fields", "id", NULL};
    for (const char *const *k = keys; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

/* A field is kept when the candidate read back has it equal, or the
 * create warned about it (the field or anything under it). */
static bool warned(const json_t *warnings, const char *field)
{
    size_t i, n = strlen(field);
    json_t *w;
    json_array_foreach(warnings, i, w) {
        const char *f = json_string_value(json_object_get(w, "field"));
        if (f && strncmp(f, field, n) == 0 && (f[n] == '\0' || f[n] == '.' || f[n] == '['))
            return true;
    }
    return false;
}

static bool same_values(const json_t *in, const json_t *out)
{
    /* Typed lists compare by value: a dropped type must have been warned. */
    if (json_is_array(in) && json_array_size(in) && json_is_object(json_array_get(in, 0))) {
        if (json_array_size(in) != json_array_size(out))
            return false;
        for (size_t i = 0; i < json_array_size(in); i++)
            if (!json_equal(json_object_get(json_array_get(in, i), "value"),
                            json_object_get(json_array_get(out, i), "value")))
                return false;
        return true;
    }
    return json_equal(in, out);
}

static bool declared(const uats_module *m, const char *field)
{
    const char *f;
    for (size_t i = 0; (f = uats_module_stored_field(m, i)) != NULL; i++)
        if (strcmp(f, field) == 0)
            return true;
    return false;
}

static bool warned_exactly(const json_t *warnings, const char *field)
{
    size_t i;
    json_t *w;
    json_array_foreach(warnings, i, w)
        if (strcmp(json_string_value(json_object_get(w, "field")), field) == 0)
            return true;
    return false;
}

/* The descriptor's stored_fields tell the truth: a field it lists is not
 * warned about as a whole, and a field it does not list is. */
static void check_stored_fields(uats_conn *conn, const json_t *input, const json_t *warnings)
{
    const uats_module *m = uats_conn_module(conn);
    char wrong[512] = "";
    const char *key;
    json_t *value;
    if (!uats_module_stored_field(m, 0)) {
        result(true, "stored_fields agree with the warnings (SKIP: the connector lists none)",
               NULL);
        return;
    }
    json_object_foreach((json_t *)input, key, value) {
        const char *k;
        json_t *sub;
        char path[128];
        json_t *one = json_pack("{s:O}", key, value), *parts = one;
        if (strcmp(key, "application") == 0)
            parts = value; /* its parts are listed one by one */
        json_object_foreach(parts, k, sub) {
            if (parts == value)
                snprintf(path, sizeof path, "application.%s", k);
            else
                snprintf(path, sizeof path, "%s", k);
            bool stored = declared(m, path), warn = warned(warnings, path);
            if ((stored && warned_exactly(warnings, path)) || (!stored && !warn)) {
                size_t used = strlen(wrong);
                snprintf(wrong + used, sizeof wrong - used, "%s%s (%s)", used ? ", " : "", path,
                         stored ? "listed, but warned" : "not listed, not warned");
            }
        }
        json_decref(one);
    }
    result(wrong[0] == '\0', "stored_fields agree with the warnings", wrong[0] ? wrong : NULL);
}

static void check_round_trip(uats_conn *conn, char *id, size_t idsize)
{
    uats_object *in, *created, *got;
    uats_warnings *w = NULL;
    uats_error err;
    id[0] = '\0';
    if (standard(&in, &err) != UATS_OK) {
        result(false, "standard input", err.text);
        return;
    }
    uats_code rc = uats_candidate_create(conn, in, &created, &w, &err);
    result(rc == UATS_OK, "create a candidate", rc ? err.text : NULL);
    if (rc != UATS_OK) {
        uats_object_free(in);
        return;
    }
    snprintf(id, idsize, "%s", uats_get_string(created, UATS_F_ID));
    rc = uats_candidate_get(conn, id, &got, &err);
    result(rc == UATS_OK, "get it back by id", rc ? err.text : NULL);
    if (rc == UATS_OK) {
        json_t *input = uats_object_to_json(in, 0), *back = uats_object_to_json(got, 0);
        json_t *warnings = uats_warnings_to_json(w);
        const char *key;
        json_t *value;
        char lost[512] = "";
        json_object_foreach(input, key, value) {
            if (!input_only(key) && !warned(warnings, key) &&
                !same_values(value, json_object_get(back, key))) {
                size_t used = strlen(lost);
                snprintf(lost + used, sizeof lost - used, "%s%s", used ? ", " : "", key);
            }
        }
        result(lost[0] == '\0', "every field is kept or warned about",
               lost[0] ? lost : NULL);
        check_stored_fields(conn, input, warnings);
        json_decref(input);
        json_decref(back);
        json_decref(warnings);
        uats_object_free(got);
    }
    uats_warnings_free(w);
    uats_object_free(created);
    uats_object_free(in);
}

static void check_attachment(uats_conn *conn, const char *id)
{
    static const char bytes[] = "uats conformance attachment\n\x01\x02\x03 binary tail";
    uats_object *in = uats_object_new(UATS_KIND_ATTACHMENT_INPUT), *out, *got;
    uats_error err;
    if (uats_set_string(in, UATS_F_FILE_NAME, "conformance.txt", &err) != UATS_OK ||
        uats_set_string(in, UATS_F_CONTENT_TYPE, "text/plain", &err) != UATS_OK ||
        uats_set_data(in, bytes, sizeof bytes - 1, &err) != UATS_OK) {
        result(false, "attachment input", err.text);
        uats_object_free(in);
        return;
    }
    uats_code rc = uats_attachment_add(conn, id, in, &out, NULL, &err);
    uats_object_free(in);
    if (rc == UATS_E_UNSUPPORTED) {
        result(true, "add an attachment (not supported by this connector)", NULL);
        return;
    }
    result(rc == UATS_OK, "add an attachment", rc ? err.text : NULL);
    if (rc != UATS_OK)
        return;
    int64_t size;
    bool has_size = uats_get_int(out, UATS_F_SIZE, &size);
    char detail[128];
    snprintf(detail, sizeof detail, "vendor reports %lld bytes, sent %zu", has_size ? (long long)size : -1LL,
             sizeof bytes - 1);
    result(!has_size || size == (int64_t)(sizeof bytes - 1), "attachment content arrives whole",
           has_size && size != (int64_t)(sizeof bytes - 1) ? detail : NULL);
    bool listed = false;
    if (uats_candidate_get(conn, id, &got, &err) == UATS_OK) {
        for (size_t i = 0; i < uats_list_count(got, UATS_F_ATTACHMENT_IDS); i++)
            listed |= strcmp(uats_list_string(got, UATS_F_ATTACHMENT_IDS, i),
                             uats_get_string(out, UATS_F_ID)) == 0;
        uats_object_free(got);
    }
    result(listed, "the candidate lists the attachment", NULL);
    uats_object_free(out);
}

static void fault(emu_server *proxy, const char *method, emu_fault f)
{
    emu_fault_push(proxy, method, "/*", &f);
}

/* The method of the last request a get sent through the proxy: "GET", or
 * "POST" for RPC-style vendors (Ashby) whose reads are POSTs marked
 * idempotent. The read faults below go to that method. */
static const char *read_method(uats_conn *conn, emu_server *proxy, const char *id)
{
    static char method[16];
    uats_object *out = NULL;
    uats_error err;
    snprintf(method, sizeof method, "GET");
    emu_reset_log(proxy);
    uats_candidate_get(conn, id, &out, &err);
    uats_object_free(out);
    size_t n = emu_log_count(proxy);
    char *last = n ? emu_log_method(proxy, n - 1) : NULL;
    if (last)
        snprintf(method, sizeof method, "%s", last);
    free(last);
    emu_reset_log(proxy);
    return method;
}

static void check_faults(uats_ctx *ctx, json_t *config, emu_server *proxy, const char *id)
{
    uats_conn *conn;
    uats_error err;
    uats_object *out = NULL;
    /* One attempt, so that each fault shows as what the host would see. */
    json_t *once = json_deep_copy(config);
    json_object_set_new(once, "retry", json_pack("{s:i, s:i}", "max_attempts", 1,
                                                 "base_delay_ms", 10));
    if (uats_conn_open(ctx, once, &conn, &err) != UATS_OK) {
        result(false, "open a connection through the proxy", err.text);
        json_decref(once);
        return;
    }
    const char *get = read_method(conn, proxy, id);
    /* Twice: an OAuth connection renews its token once after a 401. */
    for (int i = 0; i < 2; i++)
        fault(proxy, get, (emu_fault){.kind = EMU_FAULT_STATUS, .status = 401,
                                        .body = "{\"message\": \"bad key\"}"});
    uats_code rc = uats_candidate_get(conn, id, &out, &err);
    result(rc == UATS_E_AUTH, "401 is an authentication error", uats_code_name(rc));
    uats_object_free(out);
    emu_fault_clear(proxy);

    rc = uats_candidate_get(conn, "uats-conformance-no-such-candidate", &out, &err);
    result(rc == UATS_E_NOT_FOUND, "an unknown id is not found", uats_code_name(rc));
    uats_object_free(out);

    fault(proxy, get, (emu_fault){.kind = EMU_FAULT_HTML, .status = 502});
    rc = uats_candidate_get(conn, id, &out, &err);
    result(rc == UATS_E_VENDOR, "an HTML 502 is a vendor error", uats_code_name(rc));
    uats_object_free(out);

    fault(proxy, get, (emu_fault){.kind = EMU_FAULT_INVALID_JSON});
    rc = uats_candidate_get(conn, id, &out, &err);
    result(rc == UATS_E_VENDOR, "malformed JSON is a vendor error", uats_code_name(rc));
    uats_object_free(out);
    emu_fault_clear(proxy);
    uats_conn_close(conn);
    json_decref(once);

    /* With retries: a 429 with Retry-After is waited out and retried. */
    if (uats_conn_open(ctx, config, &conn, &err) != UATS_OK) {
        result(false, "open a connection through the proxy", err.text);
        return;
    }
    emu_reset_log(proxy);
    fault(proxy, get, (emu_fault){.kind = EMU_FAULT_STATUS, .status = 429, .retry_after = "1",
                                  .body = "{\"message\": \"slow down\"}"});
    rc = uats_candidate_get(conn, id, &out, &err);
    result(rc == UATS_OK, "429 with Retry-After is retried, then succeeds", uats_code_name(rc));
    uats_object_free(out);
    emu_fault_clear(proxy);

    /* A create that may have been processed is never sent twice. */
    uats_object *in;
    if (standard(&in, &err) != UATS_OK) {
        result(false, "standard input", err.text);
        uats_conn_close(conn);
        return;
    }
    size_t before = emu_count(proxy, "POST", "/*");
    fault(proxy, "POST", (emu_fault){.kind = EMU_FAULT_HTML, .status = 502});
    rc = uats_candidate_create(conn, in, &out, NULL, &err);
    size_t posts = emu_count(proxy, "POST", "/*") - before;
    char detail[96];
    snprintf(detail, sizeof detail, "%s, %zu POST%s", uats_code_name(rc), posts,
             posts == 1 ? "" : "s");
    result(rc == UATS_E_OUTCOME_UNKNOWN && posts == 1,
           "a create answered 502 is reported as possibly done, not resent", detail);
    uats_object_free(out);
    before = emu_count(proxy, "POST", "/*");
    fault(proxy, "POST", (emu_fault){.kind = EMU_FAULT_DROP});
    rc = uats_candidate_create(conn, in, &out, NULL, &err);
    posts = emu_count(proxy, "POST", "/*") - before;
    snprintf(detail, sizeof detail, "%s, %zu POST%s", uats_code_name(rc), posts,
             posts == 1 ? "" : "s");
    result(rc == UATS_E_OUTCOME_UNKNOWN && posts == 1,
           "a create whose connection dropped is not resent", detail);
    uats_object_free(out);
    uats_object_free(in);
    uats_conn_close(conn);
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: uats-conformance [--connector-dir DIR] [--job-id ID] CONFIG.json\n"
            "\n"
            "Run the standard behaviour suite against the connection CONFIG.json\n"
            "describes (a uats connection configuration whose base_url is the vendor\n"
            "emulator's): create then get keeps every field or warns about it; an\n"
            "attachment arrives whole and is listed; 401, 404, an HTML 502 and\n"
            "malformed JSON give the right errors; a 429 with Retry-After is retried;\n"
            "a create that may have been processed is never sent twice. A fault-\n"
            "injecting proxy on 127.0.0.1 sits between the connector and the emulator.\n"
            "\n"
            "  -d, --connector-dir DIR  load connectors from DIR (repeatable)\n"
            "  -j, --job-id ID          apply the candidate to this job of the emulator\n"
            "                           (vendors that keep files on applications need one)\n"
            "\n"
            "Exit status: 0 when every check passes, 1 when one fails, 2 on bad usage.\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"connector-dir", required_argument, NULL, 'd'},
        {"job-id", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dirs[8];
    size_t ndirs = 0;
    int opt;
    setvbuf(stdout, NULL, _IOLBF, 0);
    while ((opt = getopt_long(argc, argv, "d:j:h", longopts, NULL)) != -1) {
        if (opt == 'd' && ndirs < 8)
            dirs[ndirs++] = optarg;
        else if (opt == 'j')
            job_id = optarg;
        else if (opt == 'h') {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind != 1) {
        usage(stderr);
        return 2;
    }
    json_error_t jerr;
    json_t *config = json_load_file(argv[optind], JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(config)) {
        fprintf(stderr, "uats-conformance: %s: %s\n", argv[optind], jerr.text);
        return 2;
    }
    uats_ctx *ctx;
    uats_error err;
    if (uats_ctx_new(&ctx, &err) != UATS_OK)
        return 1;
    for (size_t i = 0; i < ndirs; i++)
        uats_ctx_add_dir(ctx, dirs[i], &err);
    uats_ctx_load(ctx, &err);
    curl_global_init(CURL_GLOBAL_DEFAULT);

    /* The emulator's origin, and the proxy in front of it. */
    const char *base = json_string_value(json_object_get(config, "base_url"));
    emu_server *proxy = NULL;
    bool http = base && strncmp(base, "http", 4) == 0;
    if (http) {
        const char *after = strstr(base, "://");
        const char *path = after ? strchr(after + 3, '/') : NULL;
        size_t origin_len = path ? (size_t)(path - base) : strlen(base);
        snprintf(upstream, sizeof upstream, "%.*s", (int)origin_len, base);
        proxy = emu_start();
        if (!proxy || emu_route(proxy, "POST", "/*", forward, NULL) ||
            emu_route(proxy, "GET", "/*", forward, NULL) ||
            emu_route(proxy, "*", "/*", forward, NULL)) {
            fprintf(stderr, "uats-conformance: cannot start the proxy\n");
            return 1;
        }
        char proxied[1024];
        snprintf(proxied, sizeof proxied, "%s%s", emu_base_url(proxy), path ? path : "");
        json_object_set_new(config, "base_url", json_string(proxied));
    }
    const char *name = json_string_value(json_object_get(config, "connector"));
    printf("uats-conformance: connector %s, vendor %s\n", name ? name : "?",
           http ? upstream : "(none: no HTTP)");

    uats_conn *conn;
    if (uats_conn_open(ctx, config, &conn, &err) != UATS_OK) {
        result(false, "open the connection", err.text);
    } else {
        char id[256];
        for (size_t i = 0; uats_module_stored_field(uats_conn_module(conn), i); i++)
            caller_ids |= strcmp(uats_module_stored_field(uats_conn_module(conn), i), "id") == 0;
        check_round_trip(conn, id, sizeof id);
        if (id[0])
            check_attachment(conn, id);
        uats_conn_close(conn);
        if (http && id[0])
            check_faults(ctx, config, proxy, id);
        else if (!http)
            printf("SKIP  fault checks: the connector talks to no HTTP vendor\n");
    }
    printf("%d passed, %d failed\n", passes, failures);
    emu_stop(proxy);
    json_decref(config);
    uats_ctx_free(ctx);
    curl_global_cleanup();
    return failures ? 1 : 0;
}
