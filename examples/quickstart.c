/*
 * examples/quickstart.c: the whole host API in one page. Loads the
 * connectors on the search path, lists them (and any it refused), opens a
 * connection, creates a candidate with a resume, reads it back and prints
 * it as unified JSON.
 *
 *   UATS_CONNECTOR_PATH=plugins/memory ./quickstart [connection.json]
 *
 * Without an argument it uses the "memory" connector, which needs no
 * network or credentials.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uats/uats.h>

static int die(const char *what, const uats_error *err)
{
    fprintf(stderr, "quickstart: %s: %s (%s)\n", what, err->text,
            uats_code_name(err->code));
    if (err->vendor_message[0])
        fprintf(stderr, "  vendor said (HTTP %ld): %s\n", err->http_status,
                err->vendor_message);
    return 1;
}

static void list_connectors(const uats_ctx *ctx)
{
    printf("connectors:\n");
    for (size_t i = 0; i < uats_ctx_module_count(ctx); i++) {
        const uats_module *m = uats_ctx_module(ctx, i);
        unsigned major, minor;
        uats_module_abi(m, &major, &minor);
        printf("  %-12s %-8s ABI %u.%u  %s\n", uats_module_name(m),
               uats_module_version(m), major, minor, uats_module_path(m));
    }
    for (size_t i = 0; i < uats_ctx_rejected_count(ctx); i++) {
        const char *path, *reason;
        uats_ctx_rejected(ctx, i, &path, &reason);
        printf("  rejected %s: %s\n", path, reason);
    }
}

static const char *const candidate_json =
    "{"
    "\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
    "\"title\": \"Analyst\", \"company\": \"Analytical Engines Ltd\","
    "\"email_addresses\": [{\"value\": \"ada@example.com\", \"type\": \"PERSONAL\"}],"
    "\"urls\": [{\"value\": \"https://github.com/ada\", \"type\": \"GITHUB\"}],"
    "\"tags\": [\"mathematics\"],"
    "\"application\": {\"job_id\": \"job-1\", \"source\": \"applicant\"}"
    "}";

int main(int argc, char **argv)
{
    uats_error err;
    uats_ctx *ctx;
    uats_conn *conn;
    uats_object *input, *created, *fetched, *attachment = NULL;
    uats_warnings *warnings;
    int status = 1;

    /* Line-buffered, so that warnings on stderr interleave in order. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (uats_ctx_new(&ctx, &err) != UATS_OK)
        return die("starting", &err);
    if (uats_ctx_load(ctx, &err) != UATS_OK)
        return die("loading connectors", &err);
    list_connectors(ctx);

    const char *config = "{\"connector\": \"memory\"}";
    char *file_config = NULL;
    if (argc > 1) {
        FILE *f = fopen(argv[1], "r");
        long size = -1;
        if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0)
            rewind(f);
        if (!f || size < 0 || !(file_config = calloc(1, (size_t)size + 1)) ||
            fread(file_config, 1, (size_t)size, f) != (size_t)size) {
            fprintf(stderr, "quickstart: cannot read %s\n", argv[1]);
            return 1;
        }
        fclose(f);
        config = file_config;
    }
    if (uats_conn_open_str(ctx, config, &conn, &err) != UATS_OK) {
        status = die("opening the connection", &err);
        goto out_ctx;
    }

    if (uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, candidate_json,
                              strlen(candidate_json), &input, &err) != UATS_OK) {
        status = die("reading the candidate", &err);
        goto out_conn;
    }
    /* Typed setters work as well as JSON. */
    uats_object *resume = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    static const char text[] = "Ada Lovelace: notes on the Analytical Engine.\n";
    if (!resume ||
        uats_set_string(resume, UATS_F_FILE_NAME, "resume.txt", &err) != UATS_OK ||
        uats_set_string(resume, UATS_F_CONTENT_TYPE, "text/plain", &err) != UATS_OK ||
        uats_set_string(resume, UATS_F_ATTACHMENT_TYPE, "RESUME", &err) != UATS_OK ||
        uats_set_data(resume, text, sizeof text - 1, &err) != UATS_OK ||
        uats_add_attachment_input(input, resume, &err) != UATS_OK) {
        status = die("building the resume", &err);
        uats_object_free(input);
        goto out_conn;
    }

    uats_code rc = uats_candidate_create(conn, input, &created, &warnings, &err);
    uats_object_free(input);
    if (rc != UATS_OK) {
        status = die("creating the candidate", &err);
        goto out_conn;
    }
    for (size_t i = 0; i < uats_warnings_count(warnings); i++)
        fprintf(stderr, "warning: %s: %s\n", uats_warning_field(warnings, i),
                uats_warning_message(warnings, i));
    uats_warnings_free(warnings);

    const char *id = uats_get_string(created, UATS_F_ID);
    printf("created candidate %s (%s %s)\n", id,
           uats_get_string(created, UATS_F_FIRST_NAME),
           uats_get_string(created, UATS_F_LAST_NAME));

    uats_object *cover = uats_object_new(UATS_KIND_ATTACHMENT_INPUT);
    static const char letter[] = "Dear team, I would like to join the engine project.\n";
    if (!cover ||
        uats_set_string(cover, UATS_F_FILE_NAME, "cover-letter.txt", &err) != UATS_OK ||
        uats_set_string(cover, UATS_F_CONTENT_TYPE, "text/plain", &err) != UATS_OK ||
        uats_set_data(cover, letter, sizeof letter - 1, &err) != UATS_OK ||
        uats_attachment_add(conn, id, cover, &attachment, &warnings, &err) != UATS_OK) {
        status = die("adding a cover letter", &err);
        uats_object_free(cover);
        uats_object_free(created);
        goto out_conn;
    }
    for (size_t i = 0; i < uats_warnings_count(warnings); i++)
        fprintf(stderr, "warning: %s: %s\n", uats_warning_field(warnings, i),
                uats_warning_message(warnings, i));
    uats_warnings_free(warnings);
    uats_object_free(cover);
    printf("added attachment %s\n", uats_get_string(attachment, UATS_F_ID));

    if (uats_candidate_get(conn, id, &fetched, &err) != UATS_OK) {
        status = die("reading the candidate back", &err);
    } else {
        json_t *doc = uats_object_to_json(fetched, 0);
        char *json = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
        printf("candidate as unified JSON:\n%s\n", json ? json : "(out of memory)");
        json_decref(doc);
        const char *email;
        int type = uats_list_typed(fetched, UATS_F_EMAIL_ADDRESSES, 0, &email);
        printf("first email: %s (type %s)\n", email,
               type > 0 ? uats_type_name(UATS_F_EMAIL_ADDRESSES, type) : "not given");
        free(json);
        uats_object_free(fetched);
        status = 0;
    }
    uats_object_free(attachment);
    uats_object_free(created);
out_conn:
    uats_conn_close(conn);
out_ctx:
    uats_ctx_free(ctx);
    free(file_config);
    return status;
}
