/*
 * core/loader.c: finding, loading and checking connector modules. The only
 * file that calls libltdl. A module becomes visible only after every check
 * has passed; any failure undoes what was done, closes the module, and
 * records the file and the reason, while the other modules still load.
 */
#include <config.h>

#include <dirent.h>
#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifndef UATS_CONNECTOR_DIR
#define UATS_CONNECTOR_DIR "/usr/local/lib/uats/connectors"
#endif

/* libltdl keeps global state (lt_dlinit count, lt_dlerror): one lock
 * serialises every use of it across contexts and threads. */
static pthread_mutex_t ltdl_lock = PTHREAD_MUTEX_INITIALIZER;

/* The size of the ABI 1.0 descriptor: anything shorter cannot be read. */
#define DESC_V1_0_SIZE \
    (offsetof(uats_connector, add_attachment) + sizeof(((uats_connector *)0)->add_attachment))

#define MAX_OPTIONS 64
#define MAX_STORED_FIELDS 128

const char *uats_connector_dir(void)
{
    return UATS_CONNECTOR_DIR;
}

uats_code uats_ctx_new(uats_ctx **out, uats_error *err)
{
    uats__err_clear(err);
    *out = NULL;
    uats_ctx *ctx = uats__calloc(1, sizeof *ctx);
    if (!ctx)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    pthread_mutex_lock(&ltdl_lock);
    int failed = lt_dlinit();
    const char *why = failed ? lt_dlerror() : NULL;
    pthread_mutex_unlock(&ltdl_lock);
    if (failed) {
        uats__free_mem(ctx);
        return uats__err_set(err, UATS_E_INTERNAL, "libltdl failed to initialise: %s",
                             why ? why : "unknown reason");
    }
    ctx->log_level = UATS_LOG_WARN;
    *out = ctx;
    return UATS_OK;
}

static void module_free(uats_module *m)
{
    if (!m)
        return;
    if (m->handle) {
        pthread_mutex_lock(&ltdl_lock);
        lt_dlclose((lt_dlhandle)m->handle);
        pthread_mutex_unlock(&ltdl_lock);
    }
    uats__free_mem(m->path);
    uats__free_mem(m);
}

void uats_ctx_free(uats_ctx *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->nmodules; i++)
        module_free(ctx->modules[i]);
    uats__free_mem(ctx->modules);
    for (size_t i = 0; i < ctx->nrejects; i++) {
        uats__free_mem(ctx->rejects[i].path);
        uats__free_mem(ctx->rejects[i].reason);
    }
    uats__free_mem(ctx->rejects);
    for (size_t i = 0; i < ctx->ndirs; i++)
        uats__free_mem(ctx->dirs[i]);
    uats__free_mem(ctx->dirs);
    pthread_mutex_lock(&ltdl_lock);
    lt_dlexit();
    pthread_mutex_unlock(&ltdl_lock);
    uats__free_mem(ctx);
}

void uats_ctx_set_token_callback(uats_ctx *ctx, uats_token_fn *fn, void *userdata)
{
    ctx->token_fn = fn;
    ctx->token_userdata = userdata;
}

void uats_ctx_set_log(uats_ctx *ctx, uats_log_level level, uats_log_fn *fn,
                      void *userdata)
{
    ctx->log_level = level;
    ctx->log_fn = fn;
    ctx->log_userdata = userdata;
}

uats_code uats_ctx_add_dir(uats_ctx *ctx, const char *dir, uats_error *err)
{
    uats__err_clear(err);
    if (!dir || !*dir)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "directory name is empty");
    char **dirs = uats__realloc(ctx->dirs, (ctx->ndirs + 1) * sizeof *dirs);
    if (!dirs)
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    ctx->dirs = dirs;
    if (!(dirs[ctx->ndirs] = uats__strdup(dir)))
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    ctx->ndirs++;
    return UATS_OK;
}

void uats_ctx_only_explicit_dirs(uats_ctx *ctx)
{
    ctx->only_explicit = true;
}

/* ---- rejection bookkeeping ---- */

static uats_code reject(uats_ctx *ctx, const char *path, uats_code code,
                        uats_error *err, const char *fmt, ...) UATS_PRINTF(5, 6);

static uats_code reject(uats_ctx *ctx, const char *path, uats_code code,
                        uats_error *err, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);

    uats__err_set(err, code, "%s: %s", path, reason);
    rejected *r = uats__realloc(ctx->rejects, (ctx->nrejects + 1) * sizeof *r);
    if (!r)
        return code; /* the error still reaches the caller through err */
    ctx->rejects = r;
    r[ctx->nrejects].path = uats__strdup(path);
    r[ctx->nrejects].reason = uats__strdup(reason);
    r[ctx->nrejects].code = code;
    if (r[ctx->nrejects].path && r[ctx->nrejects].reason)
        ctx->nrejects++;
    else {
        uats__free_mem(r[ctx->nrejects].path);
        uats__free_mem(r[ctx->nrejects].reason);
    }
    return code;
}

/* Log rejections recorded since the last call. Called without ltdl_lock
 * held, so that a log callback may call back into uats. */
static void flush_rejections(uats_ctx *ctx)
{
    for (; ctx->nlogged < ctx->nrejects; ctx->nlogged++)
        uats__log(ctx, NULL, NULL, UATS_LOG_WARN, "rejected %s: %s",
                  ctx->rejects[ctx->nlogged].path, ctx->rejects[ctx->nlogged].reason);
}

/* ---- checks on a descriptor ---- */

static bool valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 31)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* The module's name as libltdl sees it: the file name without directory,
 * a "lib" prefix or the extension. */
static void stem_of(const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    size_t len = dot ? (size_t)(dot - base) : strlen(base);
    if (len >= size)
        len = size - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

typedef struct cap_hook {
    unsigned cap;
    const char *what;
    size_t offset;
} cap_hook;

static const cap_hook cap_hooks[] = {
    {UATS_CAP_CREATE_CANDIDATE, "create_candidate", offsetof(uats_connector, create_candidate)},
    {UATS_CAP_GET_CANDIDATE, "get_candidate", offsetof(uats_connector, get_candidate)},
    {UATS_CAP_ADD_ATTACHMENT, "add_attachment", offsetof(uats_connector, add_attachment)},
};

static uats_code check_descriptor(uats_ctx *ctx, const char *path,
                                  const uats_connector *d, const char *stem,
                                  uats_error *err)
{
    if (d->abi_major != UATS_ABI_MAJOR || d->abi_minor > UATS_ABI_MINOR)
        return reject(ctx, path, UATS_E_ABI_MISMATCH,
                      err, "needs connector ABI %u.%u; this uats %s provides %d.%d (modules "
                      "needing %d.0 to %d.%d load)",
                      (unsigned)d->abi_major, (unsigned)d->abi_minor, PACKAGE_VERSION,
                      UATS_ABI_MAJOR, UATS_ABI_MINOR, UATS_ABI_MAJOR, UATS_ABI_MAJOR,
                      UATS_ABI_MINOR);
    if (d->struct_size < DESC_V1_0_SIZE)
        return reject(ctx, path, UATS_E_BAD_MODULE, err,
                      "descriptor is %zu bytes, smaller than the ABI 1.0 layout (%zu)",
                      d->struct_size, (size_t)DESC_V1_0_SIZE);
    if (!valid_name(d->name) || strncmp(d->name, "lib", 3) == 0)
        return reject(ctx, path, UATS_E_BAD_MODULE, err,
                      "descriptor name is missing, not [a-z0-9_]{1,31}, or starts with \"lib\"");
    if (strcmp(d->name, stem) != 0)
        return reject(ctx, path, UATS_E_BAD_MODULE, err,
                      "descriptor names connector '%s' but the file is '%s'",
                      d->name, stem);
    if (!d->version || !*d->version)
        return reject(ctx, path, UATS_E_BAD_MODULE, err, "descriptor has no version");
    for (size_t i = 0; i < sizeof cap_hooks / sizeof cap_hooks[0]; i++) {
        void *hook;
        memcpy(&hook, (const char *)d + cap_hooks[i].offset, sizeof hook);
        bool has_cap = d->caps & cap_hooks[i].cap;
        if (has_cap != (hook != NULL))
            return reject(ctx, path, UATS_E_BAD_MODULE, err,
                          "capability %s is %s but its hook is %s", cap_hooks[i].what,
                          has_cap ? "declared" : "not declared",
                          hook ? "present" : "missing");
    }
    if (d->api_key_style > UATS_KEY_QUERY ||
        ((d->api_key_style == UATS_KEY_HEADER || d->api_key_style == UATS_KEY_QUERY) &&
         (!d->api_key_name || !*d->api_key_name)))
        return reject(ctx, path, UATS_E_BAD_MODULE, err,
                      "api_key_style %u is unknown or lacks api_key_name",
                      (unsigned)d->api_key_style);
    if (d->oauth_grant > UATS_OAUTH_PASSWORD)
        return reject(ctx, path, UATS_E_BAD_MODULE, err, "oauth_grant %u is unknown",
                      (unsigned)d->oauth_grant);
    if (!(d->rate_per_sec >= 0 && d->rate_per_sec < 1e6))
        return reject(ctx, path, UATS_E_BAD_MODULE, err,
                      "rate_per_sec must be a number from 0 (unpaced) to 1e6");
    size_t n = 0;
    for (; d->options && d->options[n].name; n++) {
        if (n == MAX_OPTIONS || !valid_name(d->options[n].name))
            return reject(ctx, path, UATS_E_BAD_MODULE, err,
                          "option %zu: bad name, or more than %d options", n, MAX_OPTIONS);
    }
    for (n = 0; d->stored_fields && d->stored_fields[n]; n++) {
        if (n == MAX_STORED_FIELDS ||
            !uats_field_by_path(UATS_KIND_CANDIDATE_INPUT, d->stored_fields[n]))
            return reject(ctx, path, UATS_E_BAD_MODULE, err,
                          "stored_fields[%zu] \"%.64s\" is not a field of a create input, or "
                          "the list has more than %d entries", n, d->stored_fields[n],
                          MAX_STORED_FIELDS);
    }
    return UATS_OK;
}

static const uats_module *find_by(const uats_ctx *ctx, const char *name,
                                  const char *path)
{
    for (size_t i = 0; i < ctx->nmodules; i++) {
        const uats_module *m = ctx->modules[i];
        if ((name && strcmp(m->desc.name, name) == 0) ||
            (path && strcmp(m->path, path) == 0))
            return m;
    }
    return NULL;
}

const uats_module *uats_ctx_find(const uats_ctx *ctx, const char *name)
{
    return ctx && name ? find_by(ctx, name, NULL) : NULL;
}

/* Open the file and run its entry point; NULL with a rejection recorded on
 * failure. Called with ltdl_lock held. */
static lt_dlhandle open_module(uats_ctx *ctx, const char *path, const char *stem,
                               const uats_connector **desc, uats_error *err)
{
    lt_dladvise advise;
    lt_dlhandle h = NULL;
    if (lt_dladvise_init(&advise) == 0) {
        /* ext: a name without extension finds name.la, then name.so.
         * local: modules must not resolve each other's symbols. */
        lt_dladvise_ext(&advise);
        lt_dladvise_local(&advise);
        h = lt_dlopenadvise(path, advise);
        lt_dladvise_destroy(&advise);
    }
    if (!h) {
        const char *why = lt_dlerror();
        reject(ctx, path, UATS_E_BAD_MODULE, err,
               "cannot be loaded as a module (%s); if it is a connector, check "
               "its dependencies with ldd", why ? why : "unknown reason");
        return NULL;
    }
    uats_connector_entry_fn *entry;
    void *sym = lt_dlsym(h, UATS_CONNECTOR_ENTRY_SYMBOL);
    memcpy(&entry, &sym, sizeof entry); /* object pointer -> function pointer */
    if (!entry) {
        reject(ctx, path, UATS_E_BAD_MODULE, err,
               "no entry point %s_LTX_%s (not a uats connector?)", stem,
               UATS_CONNECTOR_ENTRY_SYMBOL);
        lt_dlclose(h);
        return NULL;
    }
    *desc = entry(&uats__host_api);
    if (!*desc) {
        reject(ctx, path, UATS_E_BAD_MODULE, err, "entry point returned no descriptor");
        lt_dlclose(h);
        return NULL;
    }
    return h;
}

uats_code uats_ctx_load_file(uats_ctx *ctx, const char *path, uats_error *err)
{
    char stem[64];
    const uats_connector *desc = NULL;
    uats__err_clear(err);
    if (!path || !*path)
        return uats__err_set(err, UATS_E_INVALID_INPUT, "module path is empty");
    if (find_by(ctx, NULL, path))
        return UATS_OK;
    stem_of(path, stem, sizeof stem);
    const uats_module *twin = find_by(ctx, stem, NULL);
    if (twin) {
        reject(ctx, path, UATS_E_BAD_MODULE, err,
               "duplicate connector name '%s' (already loaded from %s)", stem, twin->path);
        flush_rejections(ctx);
        return UATS_E_BAD_MODULE;
    }

    uats_module *m = uats__calloc(1, sizeof *m);
    char *copy = uats__strdup(path);
    uats_module **list = uats__realloc(ctx->modules, (ctx->nmodules + 1) * sizeof *list);
    if (list)
        ctx->modules = list;
    if (!m || !copy || !list) {
        uats__free_mem(m);
        uats__free_mem(copy);
        return uats__err_set(err, UATS_E_NOMEM, "out of memory");
    }

    pthread_mutex_lock(&ltdl_lock);
    lt_dlhandle h = open_module(ctx, path, stem, &desc, err);
    uats_code rc = UATS_E_BAD_MODULE;
    if (h) {
        /* Only struct_size is read in place; everything else is checked on
         * our zero-extended copy, so a descriptor shorter than ours is
         * never read past its end. Capabilities this core does not know
         * belong to hooks it does not have: they are dropped. */
        size_t n = desc->struct_size < sizeof m->desc ? desc->struct_size : sizeof m->desc;
        memcpy(&m->desc, desc, n);
        m->desc.caps &= UATS_CAP_CREATE_CANDIDATE | UATS_CAP_GET_CANDIDATE |
                        UATS_CAP_ADD_ATTACHMENT;
        rc = check_descriptor(ctx, path, &m->desc, stem, err);
        if (rc != UATS_OK)
            lt_dlclose(h);
    }
    pthread_mutex_unlock(&ltdl_lock);
    flush_rejections(ctx);
    if (rc != UATS_OK) {
        uats__free_mem(m);
        uats__free_mem(copy);
        return rc;
    }

    m->path = copy;
    m->handle = h;
    m->ctx = ctx;
    ctx->modules[ctx->nmodules++] = m;
    uats__log(ctx, NULL, NULL, UATS_LOG_INFO, "loaded connector %s %s (ABI %u.%u) from %s",
              m->desc.name, m->desc.version, (unsigned)m->desc.abi_major,
              (unsigned)m->desc.abi_minor, path);
    return UATS_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every module file in dir, in name order (so results do not depend
 * on the file system's order). A name that has a .la beside its .so is
 * opened through the .la, which knows where libtool put the real file. */
static uats_code load_dir(uats_ctx *ctx, const char *dir, uats_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        uats__log(ctx, NULL, NULL, UATS_LOG_DEBUG, "connector directory %s: skipped (%s)",
                  dir, "cannot be opened");
        return UATS_OK;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    uats_code rc = UATS_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *dot = strrchr(e->d_name, '.');
        /* Connector names never start with "lib": such files are helper
         * libraries that happen to share the directory. */
        if (!dot || e->d_name[0] == '.' || strncmp(e->d_name, "lib", 3) == 0 ||
            (strcmp(dot, ".la") && strcmp(dot, ".so")))
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = uats__realloc(names, cap * sizeof *names);
            if (!grown) {
                rc = UATS_E_NOMEM;
                break;
            }
            names = grown;
        }
        if (!(names[count] = uats__strdup(e->d_name))) {
            rc = UATS_E_NOMEM;
            break;
        }
        count++;
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count && rc == UATS_OK; i++) {
        size_t len = strlen(names[i]);
        bool is_so = strcmp(names[i] + len - 3, ".so") == 0;
        /* "x.la" sorts before "x.so": skip the .so when its .la was seen. */
        if (is_so && i > 0 && strlen(names[i - 1]) == len &&
            strncmp(names[i - 1], names[i], len - 3) == 0)
            continue;
        char *path = uats__malloc(strlen(dir) + len + 2);
        if (!path) {
            rc = UATS_E_NOMEM;
            break;
        }
        sprintf(path, "%s/%s", dir, names[i]);
        uats_error one;
        if (uats_ctx_load_file(ctx, path, &one) == UATS_E_NOMEM)
            rc = UATS_E_NOMEM;
        uats__free_mem(path);
    }
    for (size_t i = 0; i < count; i++)
        uats__free_mem(names[i]);
    uats__free_mem(names);
    return rc == UATS_OK ? UATS_OK : uats__err_set(err, rc, "out of memory");
}

uats_code uats_ctx_load(uats_ctx *ctx, uats_error *err)
{
    uats_code rc = UATS_OK;
    uats__err_clear(err);
    for (size_t i = 0; i < ctx->ndirs && rc == UATS_OK; i++)
        rc = load_dir(ctx, ctx->dirs[i], err);
    if (ctx->only_explicit || rc != UATS_OK)
        return rc;
    const char *env = getenv("UATS_CONNECTOR_PATH");
    if (env && *env) {
        char *list = uats__strdup(env), *save = NULL;
        if (!list)
            return uats__err_set(err, UATS_E_NOMEM, "out of memory");
        for (char *dir = strtok_r(list, ":", &save); dir && rc == UATS_OK;
             dir = strtok_r(NULL, ":", &save))
            rc = load_dir(ctx, dir, err);
        uats__free_mem(list);
    }
    return rc == UATS_OK ? load_dir(ctx, UATS_CONNECTOR_DIR, err) : rc;
}

/* ---- listing ---- */

size_t uats_ctx_module_count(const uats_ctx *ctx)
{
    return ctx ? ctx->nmodules : 0;
}

const uats_module *uats_ctx_module(const uats_ctx *ctx, size_t i)
{
    return ctx && i < ctx->nmodules ? ctx->modules[i] : NULL;
}

size_t uats_ctx_rejected_count(const uats_ctx *ctx)
{
    return ctx ? ctx->nrejects : 0;
}

uats_code uats_ctx_rejected(const uats_ctx *ctx, size_t i, const char **path,
                            const char **reason)
{
    if (!ctx || i >= ctx->nrejects)
        return UATS_OK;
    if (path)
        *path = ctx->rejects[i].path;
    if (reason)
        *reason = ctx->rejects[i].reason;
    return ctx->rejects[i].code;
}

const char *uats_module_name(const uats_module *m) { return m ? m->desc.name : NULL; }
const char *uats_module_version(const uats_module *m) { return m ? m->desc.version : NULL; }
const char *uats_module_vendor(const uats_module *m) { return m ? m->desc.vendor : NULL; }
const char *uats_module_description(const uats_module *m) { return m ? m->desc.description : NULL; }
const char *uats_module_path(const uats_module *m) { return m ? m->path : NULL; }
unsigned uats_module_caps(const uats_module *m) { return m ? m->desc.caps : 0; }

void uats_module_abi(const uats_module *m, unsigned *major, unsigned *minor)
{
    if (major)
        *major = m ? m->desc.abi_major : 0;
    if (minor)
        *minor = m ? m->desc.abi_minor : 0;
}

const char *uats_module_stored_field(const uats_module *m, size_t i)
{
    const char *const *f = m ? m->desc.stored_fields : NULL;
    for (size_t k = 0; f && f[k]; k++)
        if (k == i)
            return f[k];
    return NULL;
}

bool uats_module_option(const uats_module *m, size_t i, const char **name,
                        const char **help, unsigned *flags)
{
    const uats_option_spec *o = m ? m->desc.options : NULL;
    for (size_t k = 0; o && o[k].name; k++) {
        if (k == i) {
            if (name) *name = o[k].name;
            if (help) *help = o[k].help;
            if (flags) *flags = o[k].flags;
            return true;
        }
    }
    return false;
}
