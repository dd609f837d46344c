/*
 * tests/modules/variant.c: connectors that break one ABI rule each, built
 * once per rule (tests/Makefile.am sets MODNAME and the rule's macro). The
 * loader must refuse every one with a reason naming the file, and keep
 * loading the others.
 */
#include <uats/connector.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static uats_code get(uats_call *call, void *state, const char *id, json_t **out)
{
    *out = json_pack("{s:s}", "id", id);
    return UATS_OK;
}

static const uats_connector variant = {
#if defined(TINY)
    .struct_size = sizeof(size_t) + 4, /* a descriptor cut short */
#else
    .struct_size = sizeof(uats_connector),
#endif
#if defined(ABI_MAJOR)
    .abi_major = UATS_ABI_MAJOR + 1,
#else
    .abi_major = UATS_ABI_MAJOR,
#endif
#if defined(ABI_NEWER)
    .abi_minor = UATS_ABI_MINOR + 1,
#else
    .abi_minor = UATS_ABI_MINOR,
#endif
#if defined(WRONG_NAME)
    .name = "someone_else",
#elif defined(NO_NAME)
    .name = NULL,
#else
    .name = STR(MODNAME),
#endif
    .version = "0.0.1",
#if defined(CAPS_MISMATCH)
    .caps = UATS_CAP_GET_CANDIDATE | UATS_CAP_CREATE_CANDIDATE, /* no create hook */
#else
    .caps = UATS_CAP_GET_CANDIDATE,
#endif
    .get_candidate = get,
#if defined(BAD_FIELDS)
    .stored_fields = (const char *const[]){"first_name", "frist_name", NULL},
#endif
};

#if defined(NULL_DESC)
const uats_host_api *uats_host;
UATS_EXPORT const uats_connector *null_desc_LTX_uats_connector_entry(const uats_host_api *host);
UATS_EXPORT const uats_connector *null_desc_LTX_uats_connector_entry(const uats_host_api *host)
{
    (void)variant;
    return NULL;
}
#else
UATS_CONNECTOR_DEFINE(MODNAME, variant)
#endif
