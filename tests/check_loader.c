/*
 * tests/check_loader.c: finding and checking connector modules. Every test
 * builds its own connector directory from the modules built in
 * tests/modules (symlinks), so each case controls exactly what is found.
 */
#include <stdarg.h>

#include "testutil.h"
#include <uats/connector.h>

static char module_path[1024];

/* The built module file for name (tests/modules/.libs/name.so). */
static const char *built(const char *name)
{
    snprintf(module_path, sizeof module_path, "%s/%s.so", test_env("UATS_TEST_MODULES"),
             name);
    ck_assert_msg(access(module_path, R_OK) == 0, "%s is not built", module_path);
    return module_path;
}

static uats_ctx *new_ctx(void)
{
    uats_ctx *ctx;
    uats_error err;
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    uats_ctx_only_explicit_dirs(ctx);
    return ctx;
}

/* Load dir alone; return the context. */
static uats_ctx *load_dir(const char *dir)
{
    uats_ctx *ctx = new_ctx();
    uats_error err;
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    return ctx;
}

/* The rejection recorded for a file whose name ends in suffix. */
static uats_code rejection(const uats_ctx *ctx, const char *suffix, const char **reason)
{
    for (size_t i = 0; i < uats_ctx_rejected_count(ctx); i++) {
        const char *path;
        uats_code code = uats_ctx_rejected(ctx, i, &path, reason);
        size_t lp = strlen(path), ls = strlen(suffix);
        if (lp >= ls && strcmp(path + lp - ls, suffix) == 0) {
            /* The reason must be usable alone: it never needs the path
             * repeated, but the listing pairs them. */
            ck_assert_ptr_nonnull(*reason);
            return code;
        }
    }
    ck_abort_msg("no rejection recorded for %s", suffix);
    return UATS_OK;
}

START_TEST(good_module_loads_with_its_identity)
{
    char *dir = make_temp_dir();
    link_into(dir, "testconn.so", built("testconn"));
    uats_ctx *ctx = load_dir(dir);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 1);
    ck_assert_uint_eq(uats_ctx_rejected_count(ctx), 0);
    const uats_module *m = uats_ctx_find(ctx, "testconn");
    ck_assert_ptr_eq(m, uats_ctx_module(ctx, 0));
    ck_assert_str_eq(uats_module_name(m), "testconn");
    ck_assert_str_eq(uats_module_version(m), "1.2.3");
    ck_assert_str_eq(uats_module_vendor(m), "Test Vendor");
    ck_assert_uint_eq(uats_module_caps(m), UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE);
    unsigned major, minor;
    uats_module_abi(m, &major, &minor);
    ck_assert_uint_eq(major, 1);
    ck_assert_uint_eq(minor, UATS_ABI_MINOR); /* built with these headers */
    ck_assert_ptr_nonnull(strstr(uats_module_path(m), "/testconn.so"));
    const char *name, *help;
    unsigned flags;
    ck_assert(uats_module_option(m, 0, &name, &help, &flags));
    ck_assert_str_eq(name, "account");
    ck_assert_uint_eq(flags, UATS_OPTION_REQUIRED);
    ck_assert(uats_module_option(m, 1, &name, &help, &flags));
    ck_assert_str_eq(name, "signing_key");
    ck_assert(!uats_module_option(m, 2, &name, &help, &flags));
    ck_assert_ptr_null(uats_ctx_find(ctx, "lever"));
    uats_ctx_free(ctx);
    rm_tree(dir);
}
END_TEST

/* Each broken module is refused with its reason while the good one in the
 * same directory still loads. */
static void expect_rejected(const char *file, const char *module, uats_code code,
                            const char *reason_part)
{
    char *dir = make_temp_dir();
    link_into(dir, "testconn.so", built("testconn"));
    link_into(dir, file, built(module));
    uats_ctx *ctx = load_dir(dir);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 1);
    ck_assert_str_eq(uats_module_name(uats_ctx_module(ctx, 0)), "testconn");
    ck_assert_uint_eq(uats_ctx_rejected_count(ctx), 1);
    const char *reason;
    ck_assert_int_eq(rejection(ctx, file, &reason), code);
    ck_assert_msg(strstr(reason, reason_part), "reason \"%s\" lacks \"%s\"", reason,
                  reason_part);
    /* Loading the file alone reports the same, with the file named. */
    char path[1024];
    uats_error err;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    uats_ctx *alone = new_ctx();
    ck_assert_int_eq(uats_ctx_load_file(alone, path, &err), code);
    ck_assert_int_eq(err.code, code);
    ck_assert_msg(strstr(err.text, file), "error \"%s\" does not name %s", err.text, file);
    ck_assert_uint_eq(uats_ctx_module_count(alone), 0);
    uats_ctx_free(alone);
    uats_ctx_free(ctx);
    rm_tree(dir);
}

START_TEST(newer_abi_minor_is_refused)
{
    expect_rejected("abi_newer.so", "abi_newer", UATS_E_ABI_MISMATCH, "ABI 1.2");
}
END_TEST

START_TEST(other_abi_major_is_refused)
{
    expect_rejected("abi_major.so", "abi_major", UATS_E_ABI_MISMATCH, "ABI 2.");
}
END_TEST

START_TEST(short_descriptor_is_refused)
{
    expect_rejected("tiny.so", "tiny", UATS_E_BAD_MODULE, "smaller than the ABI 1.0 layout");
}
END_TEST

START_TEST(capability_without_hook_is_refused)
{
    expect_rejected("caps_mismatch.so", "caps_mismatch", UATS_E_BAD_MODULE,
                    "create_candidate is declared but its hook is missing");
}
END_TEST

START_TEST(stored_fields_must_be_model_fields)
{
    expect_rejected("bad_fields.so", "bad_fields", UATS_E_BAD_MODULE,
                    "stored_fields[1] \"frist_name\" is not a field of a create input");
}
END_TEST

START_TEST(name_must_match_file)
{
    expect_rejected("wrong_name.so", "wrong_name", UATS_E_BAD_MODULE,
                    "names connector 'someone_else' but the file is 'wrong_name'");
}
END_TEST

START_TEST(renamed_file_is_refused)
{
    /* libltdl looks for renamed_LTX_uats_connector_entry: not there. */
    expect_rejected("renamed.so", "testconn", UATS_E_BAD_MODULE, "no entry point");
}
END_TEST

START_TEST(descriptor_without_name_is_refused)
{
    expect_rejected("no_name.so", "no_name", UATS_E_BAD_MODULE, "descriptor name is missing");
}
END_TEST

START_TEST(entry_returning_null_is_refused)
{
    expect_rejected("null_desc.so", "null_desc", UATS_E_BAD_MODULE,
                    "entry point returned no descriptor");
}
END_TEST

START_TEST(module_without_entry_symbol_is_refused)
{
    expect_rejected("nosym.so", "nosym", UATS_E_BAD_MODULE,
                    "no entry point nosym_LTX_uats_connector_entry");
}
END_TEST

START_TEST(file_that_is_not_a_module_is_refused)
{
    char *dir = make_temp_dir();
    link_into(dir, "testconn.so", built("testconn"));
    write_file(dir, "junk.so", "this is not an ELF file\n");
    write_file(dir, "README", "ignored: not a module name\n");
    uats_ctx *ctx = load_dir(dir);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 1);
    ck_assert_uint_eq(uats_ctx_rejected_count(ctx), 1);
    const char *reason;
    ck_assert_int_eq(rejection(ctx, "/junk.so", &reason), UATS_E_BAD_MODULE);
    ck_assert_ptr_nonnull(strstr(reason, "cannot be loaded as a module"));
    uats_ctx_free(ctx);
    rm_tree(dir);
}
END_TEST

START_TEST(duplicate_name_is_refused_first_wins)
{
    char *a = make_temp_dir(), *b = make_temp_dir();
    link_into(a, "testconn.so", built("testconn"));
    link_into(b, "testconn.so", built("testconn"));
    uats_ctx *ctx = new_ctx();
    uats_error err;
    ck_assert_int_eq(uats_ctx_add_dir(ctx, a, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_add_dir(ctx, b, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 1);
    ck_assert_ptr_nonnull(strstr(uats_module_path(uats_ctx_module(ctx, 0)), a));
    const char *path, *reason;
    ck_assert_int_eq(uats_ctx_rejected(ctx, 0, &path, &reason), UATS_E_BAD_MODULE);
    ck_assert_ptr_nonnull(strstr(path, b));
    ck_assert_ptr_nonnull(strstr(reason, "duplicate connector name 'testconn'"));
    ck_assert_ptr_nonnull(strstr(reason, a));
    uats_ctx_free(ctx);
    rm_tree(a);
    rm_tree(b);
}
END_TEST

START_TEST(every_failure_at_once)
{
    /* One directory with all the bad modules: each is refused on its own
     * merits and the good one loads. */
    static const char *const bad[] = {"abi_newer", "abi_major", "tiny", "caps_mismatch",
                                      "wrong_name", "null_desc", "no_name", "nosym",
                                      "bad_fields"};
    char *dir = make_temp_dir();
    char file[64];
    link_into(dir, "testconn.so", built("testconn"));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(file, sizeof file, "%s.so", bad[i]);
        link_into(dir, file, built(bad[i]));
    }
    write_file(dir, "junk.so", "\x7f" "ELF but not really");
    uats_ctx *ctx = load_dir(dir);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 1);
    ck_assert_uint_eq(uats_ctx_rejected_count(ctx), sizeof bad / sizeof bad[0] + 1);
    /* Loading again neither duplicates nor re-rejects the loaded one. */
    uats_error err;
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_uint_eq(uats_ctx_module_count(ctx), 1);
    uats_ctx_free(ctx);
    rm_tree(dir);
}
END_TEST

START_TEST(search_path_order)
{
    /* Explicit directories come before $UATS_CONNECTOR_PATH. */
    char *mine = make_temp_dir(), *env = make_temp_dir();
    link_into(mine, "testconn.so", built("testconn"));
    link_into(env, "testconn.so", built("testconn"));
    link_into(env, "memory.so", built("testconn"));
    setenv("UATS_CONNECTOR_PATH", env, 1);
    uats_ctx *ctx;
    uats_error err;
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_add_dir(ctx, mine, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    const uats_module *m = uats_ctx_find(ctx, "testconn");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(strstr(uats_module_path(m), mine));
    /* env's testconn is a duplicate; env's memory.so is not a memory
     * connector (wrong entry), both refused by name. */
    const char *reason;
    ck_assert_int_eq(rejection(ctx, "/memory.so", &reason), UATS_E_BAD_MODULE);
    uats_ctx_free(ctx);

    /* only_explicit_dirs ignores the environment. */
    ctx = new_ctx();
    ck_assert_int_eq(uats_ctx_add_dir(ctx, mine, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_uint_eq(uats_ctx_rejected_count(ctx), 0);
    uats_ctx_free(ctx);

    /* A colon-separated list, with an empty and a missing entry. */
    char list[2100];
    snprintf(list, sizeof list, "/nonexistent/uats::%s", mine);
    setenv("UATS_CONNECTOR_PATH", list, 1);
    ck_assert_int_eq(uats_ctx_new(&ctx, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "testconn"));
    uats_ctx_free(ctx);
    unsetenv("UATS_CONNECTOR_PATH");
    rm_tree(mine);
    rm_tree(env);
}
END_TEST

START_TEST(libtool_archive_in_build_tree)
{
    /* The bundled memory connector, opened through its .la as libtool
     * leaves it in the build tree. */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/memory", test_env("UATS_TEST_PLUGINS"));
    uats_ctx *ctx = load_dir(dir);
    ck_assert_uint_eq(uats_ctx_rejected_count(ctx), 0);
    const uats_module *m = uats_ctx_find(ctx, "memory");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(strstr(uats_module_path(m), "memory.la"));
    ck_assert_uint_eq(uats_module_caps(m), UATS_CAP_CREATE_CANDIDATE |
                                               UATS_CAP_GET_CANDIDATE |
                                               UATS_CAP_ADD_ATTACHMENT);
    uats_ctx_free(ctx);

    /* A path without extension: libltdl tries .la, then .so. */
    char path[1100];
    uats_error err;
    snprintf(path, sizeof path, "%s/memory", dir);
    ctx = new_ctx();
    ck_assert_int_eq(uats_ctx_load_file(ctx, path, &err), UATS_OK);
    ck_assert_ptr_nonnull(uats_ctx_find(ctx, "memory"));
    uats_ctx_free(ctx);
}
END_TEST

static char logged[4096];

static void capture(uats_log_level level, const char *connector, const char *message,
                    void *userdata)
{
    (void)connector;
    int *count = userdata;
    if (level == UATS_LOG_WARN) {
        ++*count;
        strncat(logged, message, sizeof logged - strlen(logged) - 2);
        strcat(logged, "\n");
    }
}

START_TEST(rejections_are_logged)
{
    char *dir = make_temp_dir();
    link_into(dir, "abi_newer.so", built("abi_newer"));
    uats_ctx *ctx = new_ctx();
    int warnings = 0;
    uats_error err;
    logged[0] = '\0';
    uats_ctx_set_log(ctx, UATS_LOG_DEBUG, capture, &warnings);
    ck_assert_int_eq(uats_ctx_add_dir(ctx, dir, &err), UATS_OK);
    ck_assert_int_eq(uats_ctx_load(ctx, &err), UATS_OK);
    ck_assert_int_eq(warnings, 1);
    ck_assert_ptr_nonnull(strstr(logged, "abi_newer.so"));
    ck_assert_ptr_nonnull(strstr(logged, "ABI 1.2"));
    uats_ctx_free(ctx);
    rm_tree(dir);
}
END_TEST

START_TEST(bad_arguments)
{
    uats_ctx *ctx = new_ctx();
    uats_error err;
    ck_assert_int_eq(uats_ctx_add_dir(ctx, "", &err), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_ctx_load_file(ctx, "", &err), UATS_E_INVALID_INPUT);
    ck_assert_int_eq(uats_ctx_load_file(ctx, "/nonexistent/x.so", &err), UATS_E_BAD_MODULE);
    ck_assert_ptr_nonnull(strstr(err.text, "/nonexistent/x.so"));
    ck_assert_ptr_null(uats_ctx_module(ctx, 0));
    ck_assert_int_eq(uats_ctx_rejected(ctx, 99, NULL, NULL), UATS_OK);
    uats_ctx_free(ctx);
    uats_ctx_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("modules");
    tcase_add_test(tc, good_module_loads_with_its_identity);
    tcase_add_test(tc, newer_abi_minor_is_refused);
    tcase_add_test(tc, other_abi_major_is_refused);
    tcase_add_test(tc, short_descriptor_is_refused);
    tcase_add_test(tc, capability_without_hook_is_refused);
    tcase_add_test(tc, name_must_match_file);
    tcase_add_test(tc, stored_fields_must_be_model_fields);
    tcase_add_test(tc, renamed_file_is_refused);
    tcase_add_test(tc, entry_returning_null_is_refused);
    tcase_add_test(tc, descriptor_without_name_is_refused);
    tcase_add_test(tc, module_without_entry_symbol_is_refused);
    tcase_add_test(tc, file_that_is_not_a_module_is_refused);
    tcase_add_test(tc, duplicate_name_is_refused_first_wins);
    tcase_add_test(tc, every_failure_at_once);
    tcase_add_test(tc, search_path_order);
    tcase_add_test(tc, libtool_archive_in_build_tree);
    tcase_add_test(tc, rejections_are_logged);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
