/*
 * tools/cli_attachment.c: `uats attachment add CANDIDATE_ID FILE`.
 */
#include <config.h>

#include <getopt.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

int cmd_attachment(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"type", required_argument, NULL, 't'},
        {"content-type", required_argument, NULL, 'c'},
        {"application", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *type = NULL, *content_type = NULL, *application = NULL;
    int opt;
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
            argv[1] = (char *)"add"; /* show add's help */
        else
            return cli_usage(c, "attachment needs the subcommand 'add'");
    }
    argc--;
    argv++;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 't': type = optarg; break;
        case 'c': content_type = optarg; break;
        case 'a': application = optarg; break;
        case 'h':
            printf("Usage: uats [GLOBAL OPTIONS] attachment add CANDIDATE_ID FILE\n"
                   "                       [--type resume|cover_letter|offer_letter|other]\n"
                   "                       [--content-type MIME] [--application ID]\n\n"
                   "Attach FILE to the candidate and print the attachment as unified JSON.\n"
                   "The content type is guessed from the file name unless given.\n"
                   "--application names which of the candidate's applications gets the\n"
                   "file, for vendors that keep files on applications (Greenhouse).\n");
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (argc - optind != 2)
        return cli_usage(c, "attachment add needs CANDIDATE_ID and FILE");
    if (type && strcasecmp(type, "resume") && strcasecmp(type, "cover_letter") &&
        strcasecmp(type, "offer_letter") && strcasecmp(type, "other"))
        return cli_usage(c, "--type must be resume, cover_letter, offer_letter or other");
    uats_object *in;
    char why[512];
    int rc = cli_attachment_from_file(argv[optind + 1], type, content_type, &in, why, sizeof why);
    if (rc != EXIT_OK) {
        fprintf(stderr, "%s: %s\n", c->prog, why);
        return rc;
    }
    uats_error err;
    if (application && uats_set_string(in, UATS_F_APPLICATION_ID, application, &err) != UATS_OK) {
        uats_object_free(in);
        return cli_fail(c, "--application", &err);
    }
    uats_conn *conn;
    if ((rc = cli_connection(c, &conn)) != EXIT_OK) {
        uats_object_free(in);
        return rc;
    }
    uats_object *out;
    uats_warnings *w;
    uats_code code = uats_attachment_add(conn, argv[optind], in, &out, &w, &err);
    uats_object_free(in);
    if (code != UATS_OK)
        return cli_fail(c, "adding the attachment", &err);
    rc = cli_print_object(out, 0, w, false);
    uats_warnings_free(w);
    uats_object_free(out);
    return rc;
}
