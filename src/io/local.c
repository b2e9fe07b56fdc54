/*
 * local.c -- the object store over the local file system.
 *
 * Objects are files addressed by plain paths or file:// URIs. Reads use
 * pread, so one open store serves many threads. Writes never expose a
 * half-written file: put writes a temporary file in the same directory and
 * renames it over the target; put_if_absent links the finished temporary file
 * to the target, which fails atomically when the name exists (the guarantee a
 * Delta commit needs); an upload streams into a temporary file renamed on
 * commit and removed on abort. Temporary files are named ".nl-tmp-*" and are
 * never listed. Parent directories are created as needed, since object keys
 * have no directories to create first.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "io/io_internal.h"
#include "io/store.h"
#include "io/uri.h"

#define LOCAL_TMP_MARK ".nl-tmp-"

static atomic_uint_fast64_t local_tmp_counter;

static nl_status local_errno(nl_error *err, int e, const char *what, const char *path) {
    nl_status code = (e == ENOENT || e == ENOTDIR) ? NL_ENOTFOUND
                     : e == EEXIST                ? NL_EEXISTS
                     : e == ENOMEM                ? NL_ENOMEM
                                                  : NL_EIO;
    return nl_error_set(err, code, "%s '%s': %s", what, path, strerror(e));
}

static nl_status local_path(const char *uri, char **out, nl_error *err) {
    *out = nl_uri_local_path(uri);
    if (!*out) {
        nl_uri u;
        nl_status st = nl_uri_parse(uri, &u, err);
        if (st != NL_OK) return st;
        nl_uri_free(&u);
        return nl_error_set(err, NL_EINVAL, "'%s' is not a local path", uri);
    }
    return NL_OK;
}

/* Reads exactly `length` bytes at `offset`; a file shorter than that is an error. */
static nl_status read_exact(int fd, const char *path, int64_t offset, int64_t length,
                            uint8_t *dst, nl_error *err) {
    int64_t done = 0;
    while (done < length) {
        ssize_t r = pread(fd, dst + done, (size_t)(length - done), (off_t)(offset + done));
        if (r < 0) {
            if (errno == EINTR) continue;
            return local_errno(err, errno, "reading", path);
        }
        if (r == 0)
            return nl_error_set(err, NL_EIO,
                                "short read of '%s': the file ended at byte %lld, %lld bytes "
                                "before the end of the range asked for",
                                path, (long long)(offset + done), (long long)(length - done));
        done += r;
    }
    return NL_OK;
}

static nl_status local_read(const char *uri, bool whole, int64_t offset, int64_t length,
                            nl_buffer **out, nl_error *err) {
    *out = NULL;
    char *path;
    NL_TRY(local_path(uri, &path, err));
    nl_status st = NL_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        st = local_errno(err, errno, "opening", path);
        nl_free(path);
        return st;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = local_errno(err, errno, "inspecting", path);
    } else if (S_ISDIR(sb.st_mode)) {
        st = nl_error_set(err, NL_EINVAL, "'%s' is a directory, not an object", path);
    } else {
        if (whole) {
            offset = 0;
            length = (int64_t)sb.st_size;
        } else if (offset > (int64_t)sb.st_size || length > (int64_t)sb.st_size - offset) {
            st = nl_error_set(err, NL_EINVAL,
                              "range [%lld, %lld) is past the end of '%s' (%lld bytes)",
                              (long long)offset, (long long)(offset + length), path,
                              (long long)sb.st_size);
        }
        if (st == NL_OK) {
            nl_buffer *buf = nl_buffer_new(length);
            if (!buf) {
                st = nl_error_set(err, NL_ENOMEM, "out of memory reading %lld bytes of '%s'",
                                  (long long)length, path);
            } else {
                st = read_exact(fd, path, offset, length, buf->data, err);
                if (st == NL_OK) {
                    buf->size = length;
                    *out = buf;
                } else {
                    nl_buffer_unref(buf);
                }
            }
        }
    }
    close(fd);
    nl_free(path);
    return st;
}

static nl_status local_get_range(nl_store *s, const char *uri, int64_t offset, int64_t length,
                                 nl_buffer **out, nl_error *err) {
    (void)s;
    if (offset < 0 || length < 0 || length > INT64_MAX - offset)
        return nl_error_set(err, NL_EINVAL, "bad range offset %lld length %lld of '%s'",
                            (long long)offset, (long long)length, uri);
    return local_read(uri, false, offset, length, out, err);
}

static nl_status local_get(nl_store *s, const char *uri, nl_buffer **out, nl_error *err) {
    (void)s;
    return local_read(uri, true, 0, 0, out, err);
}

static nl_status local_head(nl_store *s, const char *uri, nl_object_info *out, nl_error *err) {
    (void)s;
    memset(out, 0, sizeof *out);
    char *path;
    NL_TRY(local_path(uri, &path, err));
    struct stat sb;
    nl_status st = NL_OK;
    if (stat(path, &sb) != 0) {
        st = local_errno(err, errno, "no object", path);
    } else if (S_ISDIR(sb.st_mode)) {
        st = nl_error_set(err, NL_ENOTFOUND, "'%s' is a directory, not an object", path);
    } else {
        out->uri = nl_strdup(uri);
        if (!out->uri) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        out->size = (int64_t)sb.st_size;
        out->mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
    }
    nl_free(path);
    return st;
}

/* ---- listing ------------------------------------------------------------ */

typedef struct list_ctx {
    const char *head;   /* "file://" or "" -- listed URIs take the prefix's form */
    const char *prefix; /* the path prefix */
    bool by_slash;      /* delimiter "/": stop at directories that match */
    nl_object_list *out;
} list_ctx;

static nl_status list_add_path(list_ctx *c, const char *path, const struct stat *sb,
                               bool is_prefix, nl_error *err) {
    char *uri = nl_asprintf("%s%s%s", c->head, path, is_prefix ? "/" : "");
    int64_t mtime = sb ? (int64_t)sb->st_mtim.tv_sec * 1000 + sb->st_mtim.tv_nsec / 1000000 : 0;
    return io_list_add(c->out, uri, sb && !is_prefix ? (int64_t)sb->st_size : 0, mtime, is_prefix,
                       err);
}

/* Walks `dir` ("" for the working directory, else ending in '/'). */
static nl_status list_walk(list_ctx *c, const char *dir, int depth, nl_error *err) {
    if (depth > 64) return nl_error_set(err, NL_EIO, "directories nested too deep under '%s'", dir);
    DIR *d = opendir(*dir ? dir : ".");
    if (!d) {
        if (errno == ENOENT || errno == ENOTDIR) return NL_OK; /* nothing under the prefix */
        return local_errno(err, errno, "listing", dir);
    }
    nl_status st = NL_OK;
    struct dirent *e;
    while (st == NL_OK && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
        if (io_starts_with(name, LOCAL_TMP_MARK)) continue;
        char *child = nl_asprintf("%s%s", dir, name);
        if (!child) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory listing '%s'", dir);
            break;
        }
        struct stat sb;
        if (stat(child, &sb) != 0) { /* vanished, or a dangling link */
            nl_free(child);
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            char *child_dir = nl_asprintf("%s/", child);
            if (!child_dir) {
                st = nl_error_set(err, NL_ENOMEM, "out of memory listing '%s'", dir);
            } else if (io_starts_with(child_dir, c->prefix)) {
                st = c->by_slash ? list_add_path(c, child, &sb, true, err)
                                 : list_walk(c, child_dir, depth + 1, err);
            } else if (io_starts_with(c->prefix, child_dir)) {
                st = list_walk(c, child_dir, depth + 1, err);
            }
            nl_free(child_dir);
        } else if (S_ISREG(sb.st_mode) && io_starts_with(child, c->prefix)) {
            st = list_add_path(c, child, &sb, false, err);
        }
        nl_free(child);
    }
    closedir(d);
    return st;
}

static nl_status local_list(nl_store *s, const char *prefix_uri, const char *delimiter,
                            nl_object_list *out, nl_error *err) {
    (void)s;
    memset(out, 0, sizeof *out);
    char *path;
    NL_TRY(local_path(prefix_uri, &path, err));
    bool is_file_uri = strncmp(prefix_uri, "file://", 7) == 0;
    /* The walk starts in the directory part of the prefix. */
    const char *slash = strrchr(path, '/');
    char *dir = nl_strndup(path, slash ? (size_t)(slash - path) + 1 : 0);
    if (!dir) {
        nl_free(path);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    list_ctx c = {is_file_uri ? "file://" : "", path, delimiter && strcmp(delimiter, "/") == 0,
                  out};
    nl_status st = list_walk(&c, dir, 0, err);
    if (st == NL_OK) {
        io_list_sort(out);
        if (delimiter && *delimiter && !c.by_slash) {
            char *uprefix = nl_asprintf("%s%s", c.head, path);
            st = uprefix ? io_list_group(out, uprefix, delimiter, err)
                         : nl_error_set(err, NL_ENOMEM, "out of memory");
            nl_free(uprefix);
        }
    }
    if (st != NL_OK) {
        nl_error_prefix(err, "listing '%s'", prefix_uri);
        nl_object_list_free(out);
    }
    nl_free(dir);
    nl_free(path);
    return st;
}

/* ---- writing ------------------------------------------------------------ */

/* Creates every missing directory above `path`. */
static nl_status make_parents(const char *path, nl_error *err) {
    char *p = nl_strdup(path);
    if (!p) return nl_error_set(err, NL_ENOMEM, "out of memory");
    nl_status st = NL_OK;
    for (char *q = p + 1; *q && st == NL_OK; q++) {
        if (*q != '/') continue;
        *q = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) st = local_errno(err, errno, "creating directory", p);
        *q = '/';
    }
    nl_free(p);
    return st;
}

/* A fresh temporary file beside `path`; returns its fd and name. */
static nl_status tmp_create(const char *path, int *fd_out, char **tmp_out, nl_error *err) {
    NL_TRY(make_parents(path, err));
    const char *slash = strrchr(path, '/');
    int dlen = slash ? (int)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long long n = (unsigned long long)atomic_fetch_add(&local_tmp_counter, 1);
        char *tmp = nl_asprintf("%.*s" LOCAL_TMP_MARK "%s.%ld.%llu", dlen, path, base,
                                (long)getpid(), n);
        if (!tmp) return nl_error_set(err, NL_ENOMEM, "out of memory");
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *fd_out = fd;
            *tmp_out = tmp;
            return NL_OK;
        }
        int e = errno;
        if (e != EEXIST) {
            nl_status st = local_errno(err, e, "creating temporary file", tmp);
            nl_free(tmp);
            return st;
        }
        nl_free(tmp);
    }
    return nl_error_set(err, NL_EIO, "could not create a temporary file beside '%s'", path);
}

static nl_status write_all(int fd, const char *path, const void *data, int64_t size,
                           nl_error *err) {
    const uint8_t *p = data;
    while (size > 0) {
        ssize_t w = write(fd, p, (size_t)size);
        if (w < 0) {
            if (errno == EINTR) continue;
            return local_errno(err, errno, "writing", path);
        }
        p += w;
        size -= w;
    }
    return NL_OK;
}

/* Flushes and closes a finished temporary file. */
static nl_status tmp_finish(int fd, const char *tmp, nl_error *err) {
    nl_status st = NL_OK;
    if (fsync(fd) != 0) st = local_errno(err, errno, "flushing", tmp);
    if (close(fd) != 0 && st == NL_OK) st = local_errno(err, errno, "closing", tmp);
    return st;
}

static nl_status local_write(const char *uri, const void *data, int64_t size, bool exclusive,
                             nl_error *err) {
    if (size < 0) return nl_error_set(err, NL_EINVAL, "negative size writing '%s'", uri);
    char *path;
    NL_TRY(local_path(uri, &path, err));
    int fd;
    char *tmp;
    nl_status st = tmp_create(path, &fd, &tmp, err);
    if (st != NL_OK) {
        nl_free(path);
        return st;
    }
    st = write_all(fd, tmp, data, size, err);
    if (st == NL_OK) {
        st = tmp_finish(fd, tmp, err);
    } else {
        close(fd);
    }
    if (st == NL_OK) {
        if (exclusive) {
            /* link(2) fails with EEXIST if the name is taken: an atomic create
             * of a complete file. */
            if (link(tmp, path) != 0) {
                int e = errno;
                st = e == EEXIST ? nl_error_set(err, NL_EEXISTS, "'%s' already exists", path)
                                 : local_errno(err, e, "creating", path);
            }
        } else if (rename(tmp, path) != 0) {
            st = local_errno(err, errno, "replacing", path);
        }
    }
    unlink(tmp); /* after link: drop the temporary name; after rename: a no-op */
    nl_free(tmp);
    nl_free(path);
    return st;
}

static nl_status local_put(nl_store *s, const char *uri, const void *data, int64_t size,
                           nl_error *err) {
    (void)s;
    return local_write(uri, data, size, false, err);
}

static nl_status local_put_if_absent(nl_store *s, const char *uri, const void *data, int64_t size,
                                     nl_error *err) {
    (void)s;
    return local_write(uri, data, size, true, err);
}

/* Deleting a missing object succeeds, as on S3. */
static nl_status local_delete(nl_store *s, const char *uri, nl_error *err) {
    (void)s;
    char *path;
    NL_TRY(local_path(uri, &path, err));
    nl_status st = NL_OK;
    if (unlink(path) != 0 && errno != ENOENT) st = local_errno(err, errno, "deleting", path);
    nl_free(path);
    return st;
}

/* ---- streamed uploads --------------------------------------------------- */

typedef struct local_upload {
    nl_upload base;
    int fd;
    char *tmp;
    char *path;
} local_upload;

static void local_upload_free(local_upload *u) {
    if (u->fd >= 0) close(u->fd);
    if (u->tmp) unlink(u->tmp);
    nl_free(u->tmp);
    nl_free(u->path);
    nl_free(u);
}

static nl_status local_upload_write(nl_upload *up, const void *data, int64_t size, nl_error *err) {
    local_upload *u = up->impl;
    if (u->fd < 0) return nl_error_set(err, NL_EINVAL, "upload of '%s' is finished", u->path);
    if (size < 0) return nl_error_set(err, NL_EINVAL, "negative size writing '%s'", u->path);
    return write_all(u->fd, u->tmp, data, size, err);
}

/* Commits and frees the upload; on failure the temporary file is removed,
 * and the upload is freed all the same. */
static nl_status local_upload_commit(nl_upload *up, nl_error *err) {
    local_upload *u = up->impl;
    if (u->fd < 0) return nl_error_set(err, NL_EINVAL, "upload of '%s' is finished", u->path);
    int fd = u->fd;
    u->fd = -1;
    nl_status st = tmp_finish(fd, u->tmp, err);
    if (st == NL_OK && rename(u->tmp, u->path) != 0)
        st = local_errno(err, errno, "replacing", u->path);
    if (st == NL_OK) {
        nl_free(u->tmp);
        u->tmp = NULL;
    }
    local_upload_free(u);
    return st;
}

static void local_upload_abort(nl_upload *up) {
    if (up) local_upload_free(up->impl);
}

static nl_status local_upload_begin(nl_store *s, const char *uri, nl_upload **out, nl_error *err) {
    (void)s;
    *out = NULL;
    local_upload *u = nl_calloc(1, sizeof *u);
    if (!u) return nl_error_set(err, NL_ENOMEM, "out of memory");
    u->fd = -1;
    nl_status st = local_path(uri, &u->path, err);
    if (st == NL_OK) st = tmp_create(u->path, &u->fd, &u->tmp, err);
    if (st != NL_OK) {
        local_upload_free(u);
        return st;
    }
    u->base = (nl_upload){local_upload_write, local_upload_commit, local_upload_abort, u};
    *out = &u->base;
    return NL_OK;
}

static void local_close(nl_store *s) { nl_free(s); }

static const nl_store_vtable LOCAL_VTABLE = {
    .scheme = "file",
    .get_range = local_get_range,
    .get = local_get,
    .head = local_head,
    .list = local_list,
    .put = local_put,
    .put_if_absent = local_put_if_absent,
    .delete_object = local_delete,
    .upload_begin = local_upload_begin,
    .close = local_close,
};

nl_store *nl_store_local_new(void) {
    nl_store *s = nl_calloc(1, sizeof *s);
    if (s) s->vt = &LOCAL_VTABLE;
    return s;
}
