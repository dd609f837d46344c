/*
 * tools/cli_connectors.c: `uats connectors`: what was found on the search
 * path, and what was refused and why.
 */
#include <config.h>

#include <getopt.h>
#include <string.h>

#include "cli.h"

static json_t *caps_json(unsigned caps)
{
    json_t *a = json_array();
    if (caps & UATS_CAP_CREATE_CANDIDATE)
        json_array_append_new(a, json_string("create_candidate"));
    if (caps & UATS_CAP_GET_CANDIDATE)
        json_array_append_new(a, json_string("get_candidate"));
    if (caps & UATS_CAP_ADD_ATTACHMENT)
        json_array_append_new(a, json_string("add_attachment"));
    return a;
}

int cmd_connectors(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    bool as_json = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'j')
            as_json = true;
        else if (opt == 'h') {
            printf("Usage: uats connectors [--json]\n\n"
                   "List the connectors found on the search path (--connector-dir, then\n"
                   "$UATS_CONNECTOR_PATH, then %s) with version, ABI,\n"
                   "capabilities and file, and the modules refused with their reasons.\n",
                   uats_connector_dir());
            return EXIT_OK;
        } else
            return EXIT_USAGE;
    }
    if (optind < argc)
        return cli_usage(c, "connectors takes no arguments");
    uats_ctx *ctx;
    int rc = cli_context(c, &ctx);
    if (rc != EXIT_OK)
        return rc;
    json_t *list = json_array(), *rejected = json_array();
    for (size_t i = 0; i < uats_ctx_module_count(ctx); i++) {
        const uats_module *m = uats_ctx_module(ctx, i);
        unsigned major, minor;
        char abi[16];
        uats_module_abi(m, &major, &minor);
        snprintf(abi, sizeof abi, "%u.%u", major, minor);
        json_t *options = json_array();
        const char *name, *help;
        unsigned flags;
        for (size_t k = 0; uats_module_option(m, k, &name, &help, &flags); k++)
            json_array_append_new(options, json_pack("{s:s, s:s?, s:b}", "name", name, "help",
                                                     help, "required",
                                                     (flags & UATS_OPTION_REQUIRED) != 0));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:o, s:o, s:s}",
                                              "name", uats_module_name(m), "version",
                                              uats_module_version(m), "vendor",
                                              uats_module_vendor(m), "description",
                                              uats_module_description(m), "abi", abi,
                                              "capabilities", caps_json(uats_module_caps(m)),
                                              "options", options, "file", uats_module_path(m)));
    }
    for (size_t i = 0; i < uats_ctx_rejected_count(ctx); i++) {
        const char *path, *reason;
        uats_code code = uats_ctx_rejected(ctx, i, &path, &reason);
        json_array_append_new(rejected, json_pack("{s:s, s:s, s:s}", "file", path, "code",
                                                  uats_code_name(code), "reason", reason));
    }
    if (as_json) {
        json_t *doc = json_pack("{s:o, s:o}", "connectors", list, "rejected", rejected);
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
        return EXIT_OK;
    }
    size_t i;
    json_t *m;
    if (json_array_size(list) == 0)
        printf("no connectors found\n");
    json_array_foreach(list, i, m) {
        char caps[64] = "";
        size_t k;
        json_t *cap;
        json_array_foreach(json_object_get(m, "capabilities"), k, cap) {
            size_t used = strlen(caps);
            snprintf(caps + used, sizeof caps - used, "%s%s", used ? "," : "",
                     strcmp(json_string_value(cap), "create_candidate") == 0 ? "create"
                     : strcmp(json_string_value(cap), "get_candidate") == 0 ? "get" : "attach");
        }
        printf("%-12s %-8s ABI %-5s %-18s %s\n", json_string_value(json_object_get(m, "name")),
               json_string_value(json_object_get(m, "version")),
               json_string_value(json_object_get(m, "abi")), caps,
               json_string_value(json_object_get(m, "file")));
    }
    json_array_foreach(rejected, i, m)
        printf("rejected     %s: %s\n", json_string_value(json_object_get(m, "file")),
               json_string_value(json_object_get(m, "reason")));
    json_decref(list);
    json_decref(rejected);
    return EXIT_OK;
}
