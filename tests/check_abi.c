/*
 * tests/check_abi.c: the ABI guard. Fails when a change to the public
 * headers would break compiled connectors or hosts: a field of a versioned
 * table moved, resized or removed, a frozen struct resized, an entry symbol
 * or a frozen number changed. Appending a field at the end of a table is
 * allowed (add its row here); anything else needs an ABI major bump, which
 * the project has promised not to make. Offsets are those of LP64 (x86_64,
 * aarch64); on other data models the layout checks are skipped.
 */
#include <stddef.h>

#include <uats/connector.h>

#include "testutil.h"

typedef struct layout {
    const char *field;
    size_t actual, frozen;
} layout;

#define HOST(f, off) {#f, offsetof(uats_host_api, f), off}
#define DESC(f, off) {#f, offsetof(uats_connector, f), off}
#define ERR(f, off) {#f, offsetof(uats_error, f), off}

static const layout host_table[] = {
    HOST(struct_size, 0),
    HOST(abi_major, 8),
    HOST(abi_minor, 10),
    HOST(alloc, 16),
    HOST(free, 24),
    HOST(strdup, 32),
    HOST(log, 40),
    HOST(fail, 48),
    HOST(fail_vendor, 56),
    HOST(warn, 64),
    HOST(option, 72),
    HOST(credential, 80),
    HOST(base_url, 88),
    HOST(unpack, 96),
    HOST(time_from_epoch_ms, 104),
    HOST(base64_decode, 112),
    HOST(http_new, 120),
    HOST(http_query, 128),
    HOST(http_header, 136),
    HOST(http_json_body, 144),
    HOST(http_form_field, 152),
    HOST(http_form_file, 160),
    HOST(http_accept, 168),
    HOST(http_idempotent, 176),
    HOST(http_send, 184),
    HOST(http_status, 192),
    HOST(http_resp_header, 200),
    HOST(http_resp_body, 208),
    HOST(http_resp_json, 216),
    HOST(http_resp_free, 224),
    HOST(oauth_param, 232),
    HOST(http_req_free, 240),
    HOST(http_new_url, 248),
    HOST(http_new_download, 256),
    HOST(http_body, 264),
    HOST(set_base_url, 272),
    HOST(fail_field, 280),
    HOST(http_form_file_path, 288),
    HOST(oauth_token_url, 296), /* ABI 1.1 */
    HOST(time_normalize, 304),
    HOST(http_refused, 312),
};

static const layout descriptor[] = {
    DESC(struct_size, 0),
    DESC(abi_major, 8),
    DESC(abi_minor, 10),
    DESC(name, 16),
    DESC(version, 24),
    DESC(vendor, 32),
    DESC(description, 40),
    DESC(default_base_url, 48),
    DESC(caps, 56),
    DESC(options, 64),
    DESC(api_key_style, 72),
    DESC(api_key_name, 80),
    DESC(api_key_prefix, 88),
    DESC(oauth_token_url, 96),
    DESC(rate_per_sec, 104),
    DESC(rate_burst, 112),
    DESC(error_message_paths, 120),
    DESC(rate_limit_header_prefix, 128),
    DESC(open, 136),
    DESC(close, 144),
    DESC(create_candidate, 152),
    DESC(get_candidate, 160),
    DESC(add_attachment, 168),
    DESC(stored_fields, 176), /* ABI 1.1 */
    DESC(oauth_grant, 184),
    DESC(oauth_json_body, 188),
    DESC(oauth_token_path, 192),
};

static const layout error_record[] = {
    ERR(code, 0),
    ERR(http_status, 8),
    ERR(connector, 16),
    ERR(field, 48),
    ERR(text, 176),
    ERR(vendor_message, 432),
    ERR(retry_after, 688),
};

static void check(const layout *rows, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(rows[i].actual == rows[i].frozen,
                      "%s.%s moved from offset %zu to %zu: that breaks every compiled %s",
                      what, rows[i].field, rows[i].frozen, rows[i].actual,
                      strcmp(what, "uats_error") ? "connector" : "host");
}

static bool lp64(void)
{
    return sizeof(void *) == 8 && sizeof(long) == 8;
}

START_TEST(host_services_table_layout)
{
    if (!lp64())
        return;
    check(host_table, sizeof host_table / sizeof host_table[0], "uats_host_api");
    /* Only growth: the table may get longer, never shorter. */
    ck_assert_uint_ge(sizeof(uats_host_api), 320);
}
END_TEST

START_TEST(descriptor_layout)
{
    if (!lp64())
        return;
    check(descriptor, sizeof descriptor / sizeof descriptor[0], "uats_connector");
    ck_assert_uint_ge(sizeof(uats_connector), 200);
}
END_TEST

START_TEST(frozen_structs)
{
    if (!lp64())
        return;
    /* Used in arrays or allocated by callers: their size can never change. */
    ck_assert_uint_eq(sizeof(uats_option_spec), 24);
    ck_assert_uint_eq(sizeof(uats_error), 816);
    check(error_record, sizeof error_record / sizeof error_record[0], "uats_error");
}
END_TEST

START_TEST(names_and_numbers)
{
    ck_assert_int_eq(UATS_ABI_MAJOR, 1);
    ck_assert_str_eq(UATS_CONNECTOR_ENTRY_SYMBOL, "uats_connector_entry");
    ck_assert_uint_eq(UATS_CAP_CREATE_CANDIDATE, 1);
    ck_assert_uint_eq(UATS_CAP_GET_CANDIDATE, 2);
    ck_assert_uint_eq(UATS_CAP_ADD_ATTACHMENT, 4);
    ck_assert_uint_eq(UATS_OPTION_REQUIRED, 1);
    ck_assert_uint_eq(UATS_OPTION_SECRET, 2);
    ck_assert_int_eq(UATS_KEY_BASIC_USER, 0);
    ck_assert_int_eq(UATS_KEY_BEARER, 1);
    ck_assert_int_eq(UATS_KEY_HEADER, 2);
    ck_assert_int_eq(UATS_KEY_QUERY, 3);
    ck_assert_int_eq(UATS_OAUTH_CLIENT_CREDENTIALS, 0);
    ck_assert_int_eq(UATS_OAUTH_PASSWORD, 1);
    ck_assert_int_eq(UATS_LOG_ERROR, 0);
    ck_assert_int_eq(UATS_LOG_TRACE, 4);
    /* Field ids and type enums are ABI for hosts. */
    ck_assert_int_eq(UATS_F_FIRST_NAME, 0x100a);
    ck_assert_int_eq(UATS_F_EMAIL_ADDRESSES, 0x6001);
    ck_assert_int_eq(UATS_F_REMOTE_FIELDS, 0x700d);
    ck_assert_int_eq(UATS_URL_OTHER, 11);
    ck_assert_int_eq(UATS_ATTACHMENT_OTHER, 4);
    ck_assert_int_eq(UATS_KIND_ATTACHMENT_INPUT, 4);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, host_services_table_layout);
    tcase_add_test(tc, descriptor_layout);
    tcase_add_test(tc, frozen_structs);
    tcase_add_test(tc, names_and_numbers);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
