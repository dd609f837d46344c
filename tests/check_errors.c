/*
 * tests/check_errors.c: result codes, their texts, and the error record.
 */
#include "testutil.h"

START_TEST(every_code_has_a_name_and_a_text)
{
    for (int c = 0; c < UATS_E__LAST; c++) {
        const char *text = uats_strerror((uats_code)c);
        const char *name = uats_code_name((uats_code)c);
        ck_assert_msg(strcmp(text, "unknown error code") != 0, "code %d has no text", c);
        ck_assert_msg(strncmp(name, c ? "UATS_E_" : "UATS_OK", 7) == 0,
                      "code %d is named %s", c, name);
        /* Texts are distinct, so a message identifies its code. */
        for (int d = 0; d < c; d++)
            ck_assert_str_ne(text, uats_strerror((uats_code)d));
    }
}
END_TEST

START_TEST(names_match_the_enum)
{
    ck_assert_str_eq(uats_code_name(UATS_OK), "UATS_OK");
    ck_assert_str_eq(uats_code_name(UATS_E_NOT_FOUND), "UATS_E_NOT_FOUND");
    ck_assert_str_eq(uats_code_name(UATS_E_OUTCOME_UNKNOWN), "UATS_E_OUTCOME_UNKNOWN");
    ck_assert_str_eq(uats_code_name(UATS_E_ABI_MISMATCH), "UATS_E_ABI_MISMATCH");
    ck_assert_str_eq(uats_code_name(UATS_E_INTERNAL), "UATS_E_INTERNAL");
}
END_TEST

START_TEST(unknown_codes_are_safe)
{
    ck_assert_str_eq(uats_strerror(UATS_E__LAST), "unknown error code");
    ck_assert_str_eq(uats_strerror((uats_code)-1), "unknown error code");
    ck_assert_str_eq(uats_strerror((uats_code)100000), "unknown error code");
    ck_assert_str_eq(uats_code_name((uats_code)-7), "UATS_E_UNKNOWN");
}
END_TEST

START_TEST(frozen_numbers)
{
    /* Codes are ABI: these numbers may never change. */
    ck_assert_int_eq(UATS_OK, 0);
    ck_assert_int_eq(UATS_E_INVALID_INPUT, 1);
    ck_assert_int_eq(UATS_E_RATE_LIMITED, 7);
    ck_assert_int_eq(UATS_E_OUTCOME_UNKNOWN, 11);
    ck_assert_int_eq(UATS_E_NOMEM, 15);
    ck_assert_int_eq(UATS_E_INTERNAL, 19);
}
END_TEST

START_TEST(error_record_layout_is_frozen)
{
    /* Callers allocate uats_error, so its size is ABI (LP64 layout). */
    if (sizeof(long) == 8)
        ck_assert_uint_eq(sizeof(uats_error), 816);
    ck_assert_uint_eq(sizeof(((uats_error *)0)->text), UATS_ERROR_SIZE);
}
END_TEST

START_TEST(version_matches_header)
{
    ck_assert_str_eq(uats_version(), UATS_VERSION);
}
END_TEST

START_TEST(error_is_cleared_on_success)
{
    uats_error err;
    memset(&err, 'x', sizeof err);
    uats_object *o = uats_object_new(UATS_KIND_CANDIDATE);
    ck_assert_int_eq(uats_set_string(o, UATS_F_FIRST_NAME, "Ada", &err), UATS_OK);
    ck_assert_int_eq(err.code, UATS_OK);
    ck_assert_str_eq(err.text, "");
    ck_assert_int_eq(uats_set_string(o, UATS_F_DATE_OF_BIRTH, "soon", &err),
                     UATS_E_INVALID_INPUT);
    ck_assert_int_eq(err.code, UATS_E_INVALID_INPUT);
    ck_assert_str_eq(err.field, "date_of_birth");
    /* NULL is always accepted for the error record. */
    ck_assert_int_eq(uats_set_string(o, UATS_F_DATE_OF_BIRTH, "soon", NULL),
                     UATS_E_INVALID_INPUT);
    uats_object_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("codes");
    tcase_add_test(tc, every_code_has_a_name_and_a_text);
    tcase_add_test(tc, names_match_the_enum);
    tcase_add_test(tc, unknown_codes_are_safe);
    tcase_add_test(tc, frozen_numbers);
    tcase_add_test(tc, error_record_layout_is_frozen);
    tcase_add_test(tc, version_matches_header);
    tcase_add_test(tc, error_is_cleared_on_success);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
