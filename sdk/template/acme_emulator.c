/*
 * acme_emulator.c: Acme ATS's API in memory, on 127.0.0.1, so that the
 * template connector can be tried and tested without a vendor. A real
 * connector's emulator follows its vendor's documented wire format just as
 * closely. Run: ./acme-emulator [KEY]  (prints its base URL, stops on SIGTERM).
 */
#include <microhttpd.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *api_key = "acme-test-key";
static json_t *candidates;   /* id -> candidate */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long next_id = 1;
static volatile sig_atomic_t stop;

typedef struct upload {
    char *data;
    size_t len;
} upload;

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text,
                                                             MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result error(struct MHD_Connection *c, unsigned status, const char *message)
{
    return answer(c, status, json_pack("{s:{s:s}}", "error", "message", message));
}

static size_t decoded_size(const char *b64)
{
    size_t n = strlen(b64);
    return n / 4 * 3 - (n && b64[n - 1] == '=') - (n > 1 && b64[n - 2] == '=');
}

static enum MHD_Result route(struct MHD_Connection *c, const char *method, const char *url,
                             json_t *body)
{
    const char *key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Acme-Key");
    char id[64], rest[64];
    if (!key || strcmp(key, api_key) != 0)
        return error(c, 401, "invalid API key");
    if (strcmp(method, "POST") == 0 && strcmp(url, "/v1/candidates") == 0) {
        if (!json_is_object(body))
            return error(c, 400, "body must be a JSON object");
        pthread_mutex_lock(&lock);
        snprintf(id, sizeof id, "acme-%lu", next_id++);
        json_t *cand = json_pack("{s:s, s:O*, s:O*, s:O*, s:[]}", "id", id, "first_name",
                                 json_object_get(body, "first_name"), "last_name",
                                 json_object_get(body, "last_name"), "emails",
                                 json_object_get(body, "emails"), "attachment_ids");
        json_object_set(candidates, id, cand);
        pthread_mutex_unlock(&lock);
        return answer(c, 201, json_pack("{s:o}", "candidate", cand));
    }
    int n = sscanf(url, "/v1/candidates/%63[^/]/%63s", id, rest);
    if (n < 1)
        return error(c, 404, "no such route");
    pthread_mutex_lock(&lock);
    json_t *cand = json_object_get(candidates, id);
    json_t *copy = cand ? json_deep_copy(cand) : NULL;
    if (cand && n == 2 && strcmp(rest, "attachments") == 0 && strcmp(method, "POST") == 0) {
        const char *b64 = json_string_value(json_object_get(body, "content_base64"));
        const char *name = json_string_value(json_object_get(body, "file_name"));
        json_decref(copy);
        copy = NULL;
        if (b64 && name) {
            char att_id[80];
            snprintf(att_id, sizeof att_id, "att-%lu", next_id++);
            json_array_append_new(json_object_get(cand, "attachment_ids"), json_string(att_id));
            copy = json_pack("{s:s, s:s, s:s, s:I}", "id", att_id, "candidate_id", id,
                             "file_name", name, "size", (json_int_t)decoded_size(b64));
        }
        pthread_mutex_unlock(&lock);
        return copy ? answer(c, 201, json_pack("{s:o}", "attachment", copy))
                    : error(c, 422, "file_name and content_base64 are required");
    }
    pthread_mutex_unlock(&lock);
    if (!copy)
        return error(c, 404, "no such candidate");
    if (n == 2 || strcmp(method, "GET") != 0) {
        json_decref(copy);
        return error(c, 404, "no such route");
    }
    return answer(c, 200, json_pack("{s:o}", "candidate", copy));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *data, size_t *size, void **state)
{
    upload *u = *state;
    (void)cls;
    (void)version;
    if (!u) {
        *state = calloc(1, sizeof *u);
        return *state ? MHD_YES : MHD_NO;
    }
    if (*size) {
        char *grown = realloc(u->data, u->len + *size + 1);
        if (!grown)
            return MHD_NO;
        u->data = grown;
        memcpy(u->data + u->len, data, *size);
        u->len += *size;
        u->data[u->len] = '\0';
        *size = 0;
        return MHD_YES;
    }
    json_t *body = u->len ? json_loadb(u->data, u->len, 0, NULL) : NULL;
    enum MHD_Result rc = route(c, method, url, body);
    json_decref(body);
    return rc;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode code)
{
    upload *u = *state;
    (void)cls;
    (void)c;
    (void)code;
    if (u)
        free(u->data);
    free(u);
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (argc > 1)
        api_key = argv[1];
    candidates = json_object();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) {
        fprintf(stderr, "acme-emulator: cannot listen on 127.0.0.1\n");
        return 1;
    }
    printf("http://127.0.0.1:%u/v1\n", (unsigned)info->port);
    fflush(stdout);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop)
        pause();
    MHD_stop_daemon(d);
    json_decref(candidates);
    return 0;
}
