/*
 * load.c -- catalogs compiled into shared objects: dlopen the object, call
 * its one entry point (NL_CATALOG_ENTRY_POINT), and keep the object loaded
 * for as long as the catalog it returned (its functions live there).
 */
#include <dlfcn.h>
#include <string.h>

#include "base/error.h"
#include "catalog/catalog_impl.h"

void cat_unload(void *handle) {
    if (handle) dlclose(handle);
}

nl_status nl_catalog_load(const char *path, nl_catalog **out, nl_error *err) {
    *out = NULL;
    if (!path || !*path) return nl_error_set(err, NL_EINVAL, "no catalog path");
    /* A bare name would make dlopen search the library path; a catalog is a
     * file the user names, so read "libx.so" as "./libx.so". */
    char buf[4096];
    if (!strchr(path, '/')) {
        if (snprintf(buf, sizeof buf, "./%s", path) >= (int)sizeof buf)
            return nl_error_set(err, NL_EINVAL, "catalog path too long");
        path = buf;
    }
    dlerror();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return nl_error_set(err, NL_EIO, "cannot load catalog '%s': %s", path, why ? why : "unknown error");
    }
    void *sym = dlsym(h, NL_CATALOG_ENTRY_POINT);
    if (!sym) {
        dlclose(h);
        return nl_error_set(err, NL_ENOTFOUND,
                            "'%s' is not a catalog: it does not export %s() (see docs/catalog.md)",
                            path, NL_CATALOG_ENTRY_POINT);
    }
    nl_catalog_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer, as POSIX allows */
    nl_catalog *cat = entry();
    if (!cat) {
        dlclose(h);
        return nl_error_set(err, NL_EINVAL, "catalog '%s': %s() returned no catalog", path,
                            NL_CATALOG_ENTRY_POINT);
    }
    if (cat->dl_handle) cat_unload(cat->dl_handle);
    cat->dl_handle = h;
    *out = cat;
    return NL_OK;
}
