/*
 * tools/cli_candidate.c: `uats candidate create|get|import`.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* FIELD=VALUE onto a create input; the value's form follows the field's
 * type (docs in uats(1)). */
static int apply_set(uats_object *in, const char *arg, char *why, size_t size)
{
    char path[128];
    const char *eq = strchr(arg, '=');
    uats_error err;
    uats_code rc = UATS_OK;
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof path) {
        snprintf(why, size, "--set needs FIELD=VALUE, got '%s'", arg);
        return EXIT_USAGE;
    }
    snprintf(path, sizeof path, "%.*s", (int)(eq - arg), arg);
    const char *value = eq + 1;
    uats_field f = uats_field_by_path(UATS_KIND_CANDIDATE_INPUT, path);
    if (!f) {
        snprintf(why, size, "--set %s: not a field of a candidate (see docs/model.md)", path);
        return EXIT_INPUT;
    }
    char *end;
    json_error_t jerr;
    json_t *j;
    switch (f & UATS_FT_MASK) {
    case UATS_FT_STRING:
        rc = uats_set_string(in, f, value, &err);
        break;
    case UATS_FT_BOOL:
        if (strcmp(value, "true") && strcmp(value, "false")) {
            snprintf(why, size, "--set %s: true or false, got '%s'", path, value);
            return EXIT_INPUT;
        }
        rc = uats_set_bool(in, f, strcmp(value, "true") == 0, &err);
        break;
    case UATS_FT_INT: {
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (*end || errno || end == value) {
            snprintf(why, size, "--set %s: an integer, got '%s'", path, value);
            return EXIT_INPUT;
        }
        rc = uats_set_int(in, f, v, &err);
        break;
    }
    case UATS_FT_NUMBER: {
        double v = strtod(value, &end);
        if (*end || end == value) {
            snprintf(why, size, "--set %s: a number, got '%s'", path, value);
            return EXIT_INPUT;
        }
        rc = uats_set_number(in, f, v, &err);
        break;
    }
    case UATS_FT_STRINGS:
        rc = uats_list_add_string(in, f, value, &err);
        break;
    case UATS_FT_TYPED:
        if (value[0] != '{') {
            rc = uats_list_add_typed(in, f, value, 0, &err);
            break;
        }
        /* {"value": ..., "type": ...} */
        j = json_loads(value, 0, &jerr);
        const char *v = json_string_value(json_object_get(j, "value"));
        const char *t = json_string_value(json_object_get(j, "type"));
        int type = t ? uats_type_by_name(f, t) : 0;
        if (!v || type < 0 || json_object_size(j) != (t ? 2u : 1u)) {
            snprintf(why, size, "--set %s: give a value, or {\"value\": ..., \"type\": ...} "
                     "with a type of this list", path);
            json_decref(j);
            return EXIT_INPUT;
        }
        rc = uats_list_add_typed(in, f, v, type, &err);
        json_decref(j);
        break;
    case UATS_FT_JSON:
        j = json_loads(value, JSON_DECODE_ANY, &jerr);
        if (!j) {
            snprintf(why, size, "--set %s: a JSON value, got '%s' (%s)", path, value, jerr.text);
            return EXIT_INPUT;
        }
        rc = uats_set_json(in, f, j, &err);
        json_decref(j);
        break;
    }
    if (rc != UATS_OK) {
        snprintf(why, size, "--set %s", err.text);
        return cli_exit_code(rc);
    }
    return EXIT_OK;
}

static int create(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"set", required_argument, NULL, 's'},
        {"json-warnings", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *sets[64];
    size_t nsets = 0;
    bool envelope = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 's':
            if (nsets == sizeof sets / sizeof sets[0])
                return cli_usage(c, "too many --set");
            sets[nsets++] = optarg;
            break;
        case 'w': envelope = true; break;
        case 'h':
            printf("Usage: uats [GLOBAL OPTIONS] candidate create [FILE|-] [--set FIELD=VALUE]...\n"
                   "                                [--json-warnings]\n\n"
                   "Create a candidate from a unified candidate JSON document (FILE, or - for\n"
                   "stdin) and/or --set flags, and print the candidate as the vendor stored it.\n"
                   "FIELD is a path of docs/model.md (first_name, application.job_id, ...).\n"
                   "Lists add one entry per --set (--set tags=a --set tags=b); typed lists take\n"
                   "a plain value or {\"value\": ..., \"type\": ...}; structured fields take JSON.\n"
                   "Fields the vendor cannot store are warnings on stderr, or, with\n"
                   "--json-warnings, printed as {\"candidate\": ..., \"warnings\": [...]}.\n");
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (argc - optind > 1)
        return cli_usage(c, "candidate create takes at most one file");
    if (optind == argc && nsets == 0)
        return cli_usage(c, "candidate create needs a FILE (or -) or --set flags");

    uats_object *in = NULL;
    uats_error err;
    if (optind < argc) {
        size_t len;
        char *text = cli_read_file(argv[optind], &len);
        if (!text) {
            fprintf(stderr, "%s: %s: %s\n", c->prog, argv[optind], strerror(errno));
            return EXIT_INPUT;
        }
        uats_code rc = uats_object_from_text(UATS_KIND_CANDIDATE_INPUT, text, len, &in, &err);
        free(text);
        if (rc != UATS_OK)
            return cli_fail(c, argv[optind], &err);
    } else if (!(in = uats_object_new(UATS_KIND_CANDIDATE_INPUT))) {
        fprintf(stderr, "%s: out of memory\n", c->prog);
        return EXIT_FAILURE_;
    }
    for (size_t i = 0; i < nsets; i++) {
        char why[512];
        int rc = apply_set(in, sets[i], why, sizeof why);
        if (rc != EXIT_OK) {
            fprintf(stderr, "%s: %s\n", c->prog, why);
            uats_object_free(in);
            return rc;
        }
    }
    uats_conn *conn;
    int rc = cli_connection(c, &conn);
    if (rc != EXIT_OK) {
        uats_object_free(in);
        return rc;
    }
    uats_object *out;
    uats_warnings *w;
    uats_code code = uats_candidate_create(conn, in, &out, &w, &err);
    uats_object_free(in);
    if (code != UATS_OK)
        return cli_fail(c, "creating the candidate", &err);
    rc = cli_print_object(out, 0, w, envelope);
    uats_warnings_free(w);
    uats_object_free(out);
    return rc;
}

static int get(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"raw", no_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    bool raw = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'r')
            raw = true;
        else if (opt == 'h') {
            printf("Usage: uats [GLOBAL OPTIONS] candidate get ID [--raw]\n\n"
                   "Print the candidate with the vendor's id ID as one unified JSON object;\n"
                   "--raw adds remote_data, the vendor's own record.\n");
            return EXIT_OK;
        } else
            return EXIT_USAGE;
    }
    if (argc - optind != 1)
        return cli_usage(c, "candidate get needs exactly one ID");
    uats_conn *conn;
    int rc = cli_connection(c, &conn);
    if (rc != EXIT_OK)
        return rc;
    uats_object *out;
    uats_error err;
    if (uats_candidate_get(conn, argv[optind], &out, &err) != UATS_OK)
        return cli_fail(c, "getting the candidate", &err);
    rc = cli_print_object(out, raw ? UATS_JSON_REMOTE_DATA : 0, NULL, false);
    uats_object_free(out);
    return rc;
}

int cmd_candidate(cli *c, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(argc < 2 ? stderr : stdout,
                "Usage: uats [GLOBAL OPTIONS] candidate create|get|import ...\n"
                "Run 'uats candidate SUBCOMMAND --help' for details.\n");
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "create") == 0)
        return create(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "get") == 0)
        return get(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "import") == 0)
        return cmd_import(c, argc - 1, argv + 1);
    return cli_usage(c, "unknown candidate subcommand '%s'", argv[1]);
}
