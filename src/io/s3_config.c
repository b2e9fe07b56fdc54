/*
 * s3_config.c -- where S3 settings come from: explicit options, then the AWS
 * environment variables, then the profile in ~/.aws/credentials and
 * ~/.aws/config (see s3.h for the order). The INI reader is the small subset
 * those files use: [section], key = value, # and ; comments, and one level of
 * indented sub-keys (s3 =\n  addressing_style = path) read as "s3.key".
 */
#include "io/s3_config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "io/s3_sign.h"

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

char *s3_ini_get(const char *path, const char *section, const char *key) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char line[4096], parent[256] = "";
    bool in_section = false;
    char *found = NULL;
    while (!found && fgets(line, sizeof line, f)) {
        bool indented = line[0] == ' ' || line[0] == '\t';
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';') continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (!end) continue;
            *end = '\0';
            in_section = strcmp(trim(s + 1), section) == 0;
            parent[0] = '\0';
            continue;
        }
        if (!in_section) continue;
        char *eq = strchr(s, '=');
        if (!eq) continue;
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        if (!indented) {
            /* "s3 =" with nothing after opens a block of sub-keys */
            snprintf(parent, sizeof parent, "%s", *v ? "" : k);
            if (*v && strcmp(k, key) == 0) found = nl_strdup(v);
        } else if (parent[0]) {
            char full[600];
            snprintf(full, sizeof full, "%s.%s", parent, k);
            if (strcmp(full, key) == 0) found = nl_strdup(v);
        }
    }
    fclose(f);
    return found;
}

static const char *env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static char *home_file(const char *env_name, const char *rel) {
    const char *p = env(env_name);
    if (p) return nl_strdup(p);
    const char *home = env("HOME");
    return home ? nl_asprintf("%s/%s", home, rel) : NULL;
}

/* A value of the profile: credentials file first (for keys), then config. */
static char *profile_get(const char *profile, const char *key, bool credentials_too) {
    char *v = NULL;
    if (credentials_too) {
        char *cred = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
        if (cred) v = s3_ini_get(cred, profile, key);
        nl_free(cred);
        if (v) return v;
    }
    char *conf = home_file("AWS_CONFIG_FILE", ".aws/config");
    if (conf) {
        char *section = strcmp(profile, "default") == 0 ? nl_strdup("default")
                                                       : nl_asprintf("profile %s", profile);
        if (section) v = s3_ini_get(conf, section, key);
        nl_free(section);
    }
    nl_free(conf);
    return v;
}

static char *pick(const char *opt, const char *env1, const char *env2) {
    if (opt && *opt) return nl_strdup(opt);
    const char *e = env1 ? env(env1) : NULL;
    if (!e && env2) e = env(env2);
    return e ? nl_strdup(e) : NULL;
}

nl_status s3_config_resolve(const nl_s3_options *opts, s3_config *out, nl_error *err) {
    static const nl_s3_options none = {0};
    if (!opts) opts = &none;
    memset(out, 0, sizeof *out);
    const char *profile = opts->profile && *opts->profile ? opts->profile : env("AWS_PROFILE");
    bool explicit_profile = profile != NULL;
    if (!profile) profile = "default";

    /* Keys: a pair from one source, never half from one and half from another. */
    if (opts->access_key_id && opts->secret_access_key) {
        out->access_key = nl_strdup(opts->access_key_id);
        out->secret_key = nl_strdup(opts->secret_access_key);
        out->session_token = opts->session_token ? nl_strdup(opts->session_token) : NULL;
        out->key_source = nl_strdup("the table's S3 options");
    } else if (!explicit_profile && env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) {
        out->access_key = nl_strdup(env("AWS_ACCESS_KEY_ID"));
        out->secret_key = nl_strdup(env("AWS_SECRET_ACCESS_KEY"));
        out->session_token = env("AWS_SESSION_TOKEN") ? nl_strdup(env("AWS_SESSION_TOKEN")) : NULL;
        out->key_source = nl_strdup("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
    } else {
        out->access_key = profile_get(profile, "aws_access_key_id", true);
        out->secret_key = profile_get(profile, "aws_secret_access_key", true);
        out->session_token = profile_get(profile, "aws_session_token", true);
        if (out->access_key && out->secret_key) {
            out->key_source = nl_asprintf("profile '%s' in ~/.aws", profile);
        } else if (explicit_profile && env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) {
            nl_free(out->access_key);
            nl_free(out->secret_key);
            nl_free(out->session_token);
            out->access_key = nl_strdup(env("AWS_ACCESS_KEY_ID"));
            out->secret_key = nl_strdup(env("AWS_SECRET_ACCESS_KEY"));
            out->session_token =
                env("AWS_SESSION_TOKEN") ? nl_strdup(env("AWS_SESSION_TOKEN")) : NULL;
            out->key_source = nl_strdup("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        } else {
            nl_free(out->access_key);
            nl_free(out->secret_key);
            nl_free(out->session_token);
            out->access_key = out->secret_key = out->session_token = NULL;
            out->key_source = nl_strdup("no credentials (anonymous requests)");
        }
    }

    out->region = pick(opts->region, "AWS_REGION", "AWS_DEFAULT_REGION");
    if (!out->region) out->region = profile_get(profile, "region", false);
    if (!out->region) out->region = nl_strdup("us-east-1");

    out->endpoint = pick(opts->endpoint, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
    if (!out->endpoint) out->endpoint = profile_get(profile, "s3.endpoint_url", false);
    if (!out->endpoint) out->endpoint = profile_get(profile, "endpoint_url", false);
    out->custom_endpoint = out->endpoint != NULL;
    if (!out->endpoint) out->endpoint = nl_asprintf("https://s3.%s.amazonaws.com", out->region);
    if (out->endpoint) {
        size_t n = strlen(out->endpoint);
        while (n > 0 && out->endpoint[n - 1] == '/') out->endpoint[--n] = '\0';
    }

    out->addressing = opts->addressing;
    if (out->addressing == NL_S3_ADDRESSING_AUTO) {
        const char *style = env("NEURALAKE_S3_ADDRESSING_STYLE");
        char *conf_style = style ? NULL : profile_get(profile, "s3.addressing_style", false);
        const char *s = style ? style : conf_style;
        if (s && strcmp(s, "path") == 0) out->addressing = NL_S3_ADDRESSING_PATH;
        if (s && strcmp(s, "virtual") == 0) out->addressing = NL_S3_ADDRESSING_VIRTUAL;
        nl_free(conf_style);
        if (out->addressing == NL_S3_ADDRESSING_AUTO && out->custom_endpoint)
            out->addressing = NL_S3_ADDRESSING_PATH;
    }
    if (!out->region || !out->endpoint || !out->key_source) {
        s3_config_free(out);
        return nl_error_set(err, NL_ENOMEM, "out of memory reading S3 settings");
    }
    if (strncmp(out->endpoint, "http://", 7) != 0 && strncmp(out->endpoint, "https://", 8) != 0) {
        nl_status st = nl_error_set(err, NL_EINVAL,
                                    "S3 endpoint '%s' must start with http:// or https://",
                                    out->endpoint);
        s3_config_free(out);
        return st;
    }
    return NL_OK;
}

void s3_config_free(s3_config *c) {
    if (!c) return;
    if (c->secret_key) memset(c->secret_key, 0, strlen(c->secret_key));
    nl_free(c->access_key);
    nl_free(c->secret_key);
    nl_free(c->session_token);
    nl_free(c->region);
    nl_free(c->endpoint);
    nl_free(c->key_source);
    memset(c, 0, sizeof *c);
}

nl_status s3_address_build(const s3_config *cfg, const char *bucket, const char *key,
                           const char *query, s3_address *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    const char *ep = cfg->endpoint;
    const char *host_start = strstr(ep, "://");
    if (!host_start) return nl_error_set(err, NL_EINVAL, "bad S3 endpoint '%s'", ep);
    host_start += 3;
    const char *host_end = host_start + strcspn(host_start, "/");
    const char *prefix = host_end; /* "" or "/path" */
    int hlen = (int)(host_end - host_start);
    bool vh = cfg->addressing == NL_S3_ADDRESSING_VIRTUAL ||
              (cfg->addressing == NL_S3_ADDRESSING_AUTO && strchr(bucket, '.') == NULL);
    char *enc_key = s3_uri_encode(key, 1);
    char *enc_bucket = s3_uri_encode(bucket, 0);
    if (enc_key && enc_bucket) {
        out->host = vh ? nl_asprintf("%s.%.*s", bucket, hlen, host_start)
                       : nl_asprintf("%.*s", hlen, host_start);
        out->path = vh ? nl_asprintf("%s/%s", prefix, enc_key)
                       : nl_asprintf("%s/%s/%s", prefix, enc_bucket, enc_key);
        if (out->host && out->path)
            out->url = nl_asprintf("%.*s%s%s%s%s", (int)(host_start - ep), ep, out->host,
                                   out->path, *query ? "?" : "", query);
    }
    nl_free(enc_key);
    nl_free(enc_bucket);
    if (!out->url) {
        s3_address_free(out);
        return nl_error_set(err, NL_ENOMEM, "out of memory building an S3 request");
    }
    return NL_OK;
}

void s3_address_free(s3_address *a) {
    nl_free(a->host);
    nl_free(a->path);
    nl_free(a->url);
    memset(a, 0, sizeof *a);
}
