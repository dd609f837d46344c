/*
 * tests/testutil.h: helpers shared by the Check tests.
 */
#ifndef UATS_TESTUTIL_H
#define UATS_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uats/uats.h>

/* An environment variable the test harness sets (tests/Makefile.am). */
static inline const char *test_env(const char *name)
{
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "%s is not set: run the tests with make check", name);
    return v;
}

/* A fresh temporary directory; the caller removes it with rm_tree. */
static inline char *make_temp_dir(void)
{
    char *tmpl = strdup("/tmp/uats-test-XXXXXX");
    ck_assert_ptr_nonnull(tmpl);
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    return tmpl;
}

/* Link dir/name to target. */
static inline void link_into(const char *dir, const char *name, const char *target)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ck_assert_msg(symlink(target, path) == 0, "symlink %s -> %s failed", path, target);
}

static inline void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static inline void rm_tree(char *dir)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

/* Run a suite; exit status for automake. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
