/*
 * cli_s3.c -- the 'neuralake s3' command: list, copy and remove objects in
 * S3-compatible stores (and, through the same store interface, local files).
 *
 *   neuralake s3 ls [-r] [-l] URI_PREFIX
 *   neuralake s3 cp [-q] SRC DST        (either side a path or s3:// URI)
 *   neuralake s3 rm [-r] URI...
 *
 * Copies stream through the store interface in 8 MiB pieces (ranged reads
 * from the source, a multipart upload into the destination), so a file
 * larger than memory copies too; progress goes to stderr when it is a
 * terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "cli/commands.h"
#include "io/store.h"

#define CP_CHUNK ((int64_t)8 << 20)

static void s3_usage(FILE *out) {
    fprintf(out,
            "usage: neuralake s3 ls [-r] URI_PREFIX   list objects (-r: everything under the\n"
            "                                         prefix, not just the next level)\n"
            "       neuralake s3 cp [-q] SRC DST      copy a file or object; SRC and DST are\n"
            "                                         local paths or s3://bucket/key (a DST\n"
            "                                         ending in '/' takes SRC's name)\n"
            "       neuralake s3 rm [-r] URI...       remove objects (-r: all under a prefix)\n"
            "\n"
            "Settings come from the environment as for the AWS tools: AWS_ACCESS_KEY_ID,\n"
            "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL,\n"
            "AWS_PROFILE (~/.aws/credentials and ~/.aws/config). For the local test server:\n"
            "  eval \"$(scripts/s3-server.sh start)\"\n"
            "\n"
            "Exit status: 0 done, 1 the operation failed, 2 usage error.\n");
}

static int fail(const char *what, const nl_error *err) {
    fprintf(stderr, "neuralake s3 %s: %s\n", what, err->message);
    return CLI_EXIT_FAILURE;
}

static nl_status open_for(const char *uri, nl_store **s, nl_error *err) {
    return nl_store_open(uri, s, err);
}

/* ---- ls ---- */

static void format_time(int64_t ms, char out[24]) {
    if (ms <= 0) {
        snprintf(out, 24, "%19s", "");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%d %H:%M:%S", &tm);
}

static int cmd_ls(int argc, char **argv) {
    bool recursive = false;
    const char *prefix = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--recursive") == 0)
            recursive = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "neuralake s3 ls: unknown option '%s'\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else if (prefix) {
            fprintf(stderr, "neuralake s3 ls: one prefix at a time\n");
            return CLI_EXIT_USAGE;
        } else
            prefix = argv[i];
    }
    if (!prefix) {
        fprintf(stderr, "neuralake s3 ls: which prefix? (e.g. s3://bucket/dir/)\n");
        return CLI_EXIT_USAGE;
    }
    nl_error err = {0};
    nl_store *s;
    if (open_for(prefix, &s, &err) != NL_OK) return fail("ls", &err);
    nl_object_list list;
    nl_status st = nl_store_list(s, prefix, recursive ? NULL : "/", &list, &err);
    nl_store_close(s);
    if (st != NL_OK) return fail("ls", &err);
    for (int64_t i = 0; i < list.count; i++) {
        const nl_object_info *it = &list.items[i];
        char when[24];
        format_time(it->mtime_ms, when);
        if (it->is_prefix)
            printf("%19s  %12s  %s\n", "", "PRE", it->uri);
        else
            printf("%s  %12lld  %s\n", when, (long long)it->size, it->uri);
    }
    nl_object_list_free(&list);
    return CLI_EXIT_OK;
}

/* ---- cp ---- */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(int64_t done, int64_t total, double t0, bool final) {
    double el = now_s() - t0;
    double rate = el > 0 ? (double)done / 1e6 / el : 0;
    fprintf(stderr, "\r  %8.1f MB / %.1f MB  %3d%%  %7.1f MB/s%s", (double)done / 1e6,
            (double)total / 1e6, total > 0 ? (int)(done * 100 / total) : 100, rate,
            final ? "\n" : "");
    fflush(stderr);
}

static bool is_local_dir(const char *uri) {
    if (strstr(uri, "://") && strncmp(uri, "file://", 7) != 0) return false;
    const char *p = strncmp(uri, "file://", 7) == 0 ? uri + 7 : uri;
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int cmd_cp(int argc, char **argv) {
    bool quiet = false;
    const char *args[2];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
            quiet = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "neuralake s3 cp: unknown option '%s'\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else if (n < 2)
            args[n++] = argv[i];
        else {
            fprintf(stderr, "neuralake s3 cp: copies one SRC to one DST\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (n != 2) {
        fprintf(stderr, "neuralake s3 cp: needs SRC and DST (try --help)\n");
        return CLI_EXIT_USAGE;
    }
    const char *src = args[0];
    char *dst = NULL;
    size_t dl = strlen(args[1]);
    if ((dl > 0 && args[1][dl - 1] == '/') || is_local_dir(args[1])) {
        const char *base = strrchr(src, '/');
        base = base ? base + 1 : src;
        if (!*base) {
            fprintf(stderr, "neuralake s3 cp: SRC '%s' names no object\n", src);
            return CLI_EXIT_USAGE;
        }
        dst = nl_asprintf("%s%s%s", args[1], args[1][dl - 1] == '/' ? "" : "/", base);
    } else {
        dst = nl_strdup(args[1]);
    }
    nl_error err = {0};
    nl_store *in = NULL, *out = NULL;
    nl_upload *up = NULL;
    int rc = CLI_EXIT_OK;
    nl_object_info info = {0};
    if (open_for(src, &in, &err) != NL_OK || open_for(dst, &out, &err) != NL_OK ||
        nl_store_head(in, src, &info, &err) != NL_OK ||
        nl_store_upload_begin(out, dst, &up, &err) != NL_OK) {
        rc = fail("cp", &err);
    } else {
        bool show = !quiet && isatty(STDERR_FILENO);
        double t0 = now_s(), last = 0;
        for (int64_t off = 0; off < info.size && rc == CLI_EXIT_OK;) {
            int64_t len = info.size - off < CP_CHUNK ? info.size - off : CP_CHUNK;
            nl_buffer *b = NULL;
            if (nl_store_get_range(in, src, off, len, &b, &err) != NL_OK ||
                up->write(up, b->data, b->size, &err) != NL_OK)
                rc = fail("cp", &err);
            nl_buffer_unref(b);
            off += len;
            if (show && now_s() - last > 0.2) {
                progress(off, info.size, t0, false);
                last = now_s();
            }
        }
        if (rc == CLI_EXIT_OK) {
            nl_upload *u = up;
            up = NULL;
            if (u->commit(u, &err) != NL_OK) rc = fail("cp", &err);
        }
        if (show && rc == CLI_EXIT_OK) progress(info.size, info.size, t0, true);
        if (rc == CLI_EXIT_OK && !quiet)
            fprintf(stderr, "copied %s -> %s (%lld bytes)\n", src, dst, (long long)info.size);
    }
    if (up) up->abort(up);
    nl_free(info.uri);
    nl_store_close(in);
    nl_store_close(out);
    nl_free(dst);
    return rc;
}

/* ---- rm ---- */

static int cmd_rm(int argc, char **argv) {
    bool recursive = false;
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--recursive") == 0)
            recursive = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "neuralake s3 rm: unknown option '%s'\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else
            n++;
    }
    if (n == 0) {
        fprintf(stderr, "neuralake s3 rm: which objects? (try --help)\n");
        return CLI_EXIT_USAGE;
    }
    int rc = CLI_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) continue;
        nl_error err = {0};
        nl_store *s;
        if (open_for(argv[i], &s, &err) != NL_OK) {
            rc = fail("rm", &err);
            continue;
        }
        if (!recursive) {
            nl_object_info info;
            /* Say so when there was nothing to remove (S3 itself would not). */
            if (nl_store_head(s, argv[i], &info, &err) != NL_OK ||
                nl_store_delete(s, argv[i], &err) != NL_OK)
                rc = fail("rm", &err);
            else {
                nl_free(info.uri);
                printf("removed %s\n", argv[i]);
            }
        } else {
            nl_object_list list;
            if (nl_store_list(s, argv[i], NULL, &list, &err) != NL_OK) {
                rc = fail("rm", &err);
            } else {
                for (int64_t k = 0; k < list.count; k++) {
                    if (nl_store_delete(s, list.items[k].uri, &err) != NL_OK)
                        rc = fail("rm", &err);
                    else
                        printf("removed %s\n", list.items[k].uri);
                }
                nl_object_list_free(&list);
            }
        }
        nl_store_close(s);
    }
    return rc;
}

int cli_s3(int argc, char **argv) {
    if (argc < 2 || cli_wants_help(argc, argv)) {
        s3_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "ls") == 0) return cmd_ls(argc - 1, argv + 1);
    if (strcmp(sub, "cp") == 0) return cmd_cp(argc - 1, argv + 1);
    if (strcmp(sub, "rm") == 0) return cmd_rm(argc - 1, argv + 1);
    fprintf(stderr, "neuralake s3: unknown subcommand '%s' (ls, cp, rm; try --help)\n", sub);
    return CLI_EXIT_USAGE;
}
