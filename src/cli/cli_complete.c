/*
 * cli_complete.c -- tab completion for 'neuralake shell' (see
 * cli_complete.h). Candidates are SQL keywords and functions, dot commands,
 * the session's and the catalog's tables ("db.table", and bare names in the
 * default database), and the columns of the tables the statement being typed
 * names (learnt with a LIMIT 0 query, kept until the next statement runs).
 * "alias.co<TAB>" completes columns after any qualifier. Keywords come back
 * in the case the word was started in.
 *
 * Strings handed to readline are its to free, so they come from malloc.
 */
#include "cli/cli_complete.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <editline/readline.h>

#include "base/alloc.h"
#include "exec/query_int.h"

static const char *const KEYWORDS[] = {
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "JOIN",
    "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "SEMI", "ANTI", "ON", "USING", "AS",
    "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "BETWEEN", "EXISTS", "CASE",
    "WHEN", "THEN", "ELSE", "END", "DISTINCT", "ALL", "UNION", "INTERSECT", "EXCEPT", "WITH",
    "RECURSIVE", "ASC", "DESC", "NULLS", "FIRST", "LAST", "TRUE", "FALSE", "CAST", "TRY_CAST",
    "INTERVAL", "DATE", "TIMESTAMP", "OVER", "PARTITION", "ROWS", "RANGE", "CREATE", "TABLE",
    "VIEW", "REPLACE", "IF", "DROP", "INSERT", "INTO", "VALUES",
    "EXPLAIN", "ANALYZE", "SET", "BIGINT", "INTEGER", "DOUBLE", "VARCHAR", "BOOLEAN",
    "DECIMAL", "EXTRACT", "YEAR", "MONTH", "DAY",
    /* functions */
    "count", "sum", "avg", "min", "max", "stddev", "variance", "median", "string_agg",
    "count_distinct", "coalesce", "nullif", "abs", "round", "floor", "ceil", "sqrt", "power",
    "ln", "log10", "exp", "length", "lower", "upper", "substring", "trim", "ltrim", "rtrim",
    "replace", "concat", "starts_with", "ends_with", "contains", "regexp_matches",
    "regexp_replace", "strftime", "date_trunc", "date_part", "row_number", "rank",
    "dense_rank", "lag", "lead", "read_parquet", "read_csv", "read_csv_auto", "read_ndjson",
    "read_json", NULL,
};

static const char *const DOT_COMMANDS[] = {
    ".help", ".tables", ".schema", ".describe", ".mode", ".timer", ".maxrows", ".maxcols",
    ".read", ".quit", ".exit", NULL,
};

static const char *const MODES[] = {"table", "csv", "json", "ndjson", "markdown", NULL};

static nl_session *g_session;
static nl_catalog *g_catalog;
static const char *(*g_pending)(void);

/* The columns learnt of each table named so far. */
typedef struct known_table {
    char *name;
    char **cols;
    int32_t n;
} known_table;
static known_table *g_known;
static int32_t g_n_known, g_cap_known;

void cli_complete_forget(void) {
    for (int32_t i = 0; i < g_n_known; i++) {
        nl_free(g_known[i].name);
        for (int32_t c = 0; c < g_known[i].n; c++) nl_free(g_known[i].cols[c]);
        nl_free(g_known[i].cols);
    }
    g_n_known = 0;
}

static void free_matches(void);

void cli_complete_free(void) {
    free_matches();
    cli_complete_forget();
    nl_free(g_known);
    g_known = NULL;
    g_cap_known = 0;
}

/* ---- table names ---- */

typedef struct name_list {
    char **v;
    int32_t n, cap;
} name_list;

static void list_add(name_list *l, const char *s) {
    if (l->n == l->cap) {
        int32_t cap = l->cap ? l->cap * 2 : 32;
        char **nv = nl_realloc(l->v, sizeof(char *) * (size_t)cap);
        if (!nv) return;
        l->v = nv;
        l->cap = cap;
    }
    char *c = nl_strdup(s);
    if (c) l->v[l->n++] = c;
}

static void list_free(name_list *l) {
    for (int32_t i = 0; i < l->n; i++) nl_free(l->v[i]);
    nl_free(l->v);
    memset(l, 0, sizeof *l);
}

static void add_session_name(const char *name, void *ctx) { list_add(ctx, name); }

/* Every table name a statement may use. */
static void table_names(name_list *out) {
    if (g_session) nl_session_names(g_session, add_session_name, out);
    if (!g_catalog) return;
    const char *dflt = nl_catalog_default_database(g_catalog);
    for (int32_t d = 0; d < nl_catalog_database_count(g_catalog); d++) {
        const char *db = nl_catalog_database_name(g_catalog, d);
        bool is_default = dflt && strcmp(db, dflt) == 0;
        for (int32_t t = 0; t < nl_catalog_table_count(g_catalog, d); t++) {
            const nl_table_def *def = nl_catalog_table(g_catalog, d, t);
            char buf[512];
            snprintf(buf, sizeof buf, "%s.%s", db, def->name);
            list_add(out, buf);
            if (is_default) list_add(out, def->name);
        }
    }
}

/* ---- columns of the tables a statement names ---- */

static known_table *learn(const char *table) {
    for (int32_t i = 0; i < g_n_known; i++)
        if (strcasecmp(g_known[i].name, table) == 0) return &g_known[i];
    if (g_n_known == g_cap_known) {
        int32_t cap = g_cap_known ? g_cap_known * 2 : 8;
        known_table *nk = nl_realloc(g_known, sizeof(known_table) * (size_t)cap);
        if (!nk) return NULL;
        g_known = nk;
        g_cap_known = cap;
    }
    known_table *k = &g_known[g_n_known];
    memset(k, 0, sizeof *k);
    k->name = nl_strdup(table);
    if (!k->name) return NULL;
    g_n_known++;
    /* "db"."table": quoted, so any name works */
    char sql[1200];
    const char *dot = strchr(table, '.');
    if (dot)
        snprintf(sql, sizeof sql, "SELECT * FROM \"%.*s\".\"%s\" LIMIT 0", (int)(dot - table), table,
                 dot + 1);
    else
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" LIMIT 0", table);
    nl_error err = {0};
    nl_table *t = NULL;
    if (nl_session_run(g_session, sql, &t, &err) != NL_OK) return k; /* no columns then */
    k->cols = nl_calloc((size_t)t->schema->n_fields + 1, sizeof(char *));
    for (int32_t c = 0; k->cols && c < t->schema->n_fields; c++) {
        k->cols[k->n] = nl_strdup(t->schema->fields[c].name);
        if (k->cols[k->n]) k->n++;
    }
    nl_table_free(t);
    return k;
}

/* Calls fn for each column of each table named in `text`. */
static void columns_named_in(const char *text, const name_list *tables, void (*fn)(const char *, void *),
                             void *ctx) {
    const char *p = text;
    while (*p) {
        if (!(isalnum((unsigned char)*p) || *p == '_')) {
            p++;
            continue;
        }
        const char *s = p;
        while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') p++;
        size_t len = (size_t)(p - s);
        for (int32_t i = 0; i < tables->n; i++) {
            if (strlen(tables->v[i]) != len || strncasecmp(tables->v[i], s, len) != 0) continue;
            known_table *k = learn(tables->v[i]);
            for (int32_t c = 0; k && c < k->n; c++) fn(k->cols[c], ctx);
            break;
        }
    }
}

/* ---- candidates ---- */

typedef struct cand_ctx {
    const char *text;
    size_t len;
    const char *qualifier; /* "alias." before a column, or NULL */
    size_t qlen;
    bool lower; /* the word was started in lower case */
    void (*fn)(const char *, void *);
    void *ctx;
    int count;
    name_list seen;
} cand_ctx;

static void offer(cand_ctx *c, const char *cand) {
    if (strncasecmp(cand, c->text, c->len) != 0) return;
    for (int32_t i = 0; i < c->seen.n; i++)
        if (strcmp(c->seen.v[i], cand) == 0) return;
    list_add(&c->seen, cand);
    c->fn(cand, c->ctx);
    c->count++;
}

static void offer_keyword(cand_ctx *c, const char *kw) {
    char buf[64];
    size_t n = strlen(kw);
    if (n >= sizeof buf) return;
    for (size_t i = 0; i <= n; i++)
        buf[i] = c->lower ? (char)tolower((unsigned char)kw[i]) : kw[i];
    offer(c, buf);
}

static void offer_column(const char *col, void *ctx) {
    cand_ctx *c = ctx;
    if (!c->qualifier) {
        offer(c, col);
        return;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s%s", (int)c->qlen, c->qualifier, col);
    offer(c, buf);
}

int cli_complete_candidates(const char *line, const char *text, int start,
                            void (*fn)(const char *, void *), void *ctx) {
    cand_ctx c = {.text = text, .len = strlen(text), .fn = fn, .ctx = ctx};
    c.lower = c.len > 0 && islower((unsigned char)text[0]);
    const char *pending = g_pending ? g_pending() : NULL;
    bool fresh = !pending || !*pending;
    /* skip blanks before the word to see whether it starts the line */
    int first = 0;
    while (line[first] == ' ' || line[first] == '\t') first++;
    if (fresh && line[first] == '.') {
        if (start <= first) {
            for (int i = 0; DOT_COMMANDS[i]; i++) offer(&c, DOT_COMMANDS[i]);
        } else if (strncmp(line + first, ".mode", 5) == 0) {
            for (int i = 0; MODES[i]; i++) offer(&c, MODES[i]);
        } else if (strncmp(line + first, ".timer", 6) == 0) {
            offer(&c, "on");
            offer(&c, "off");
        } else if (strncmp(line + first, ".schema", 7) == 0 || strncmp(line + first, ".describe", 9) == 0) {
            name_list tables = {0};
            table_names(&tables);
            for (int32_t i = 0; i < tables.n; i++) offer(&c, tables.v[i]);
            list_free(&tables);
        }
        list_free(&c.seen);
        return c.count;
    }
    name_list tables = {0};
    table_names(&tables);
    for (int32_t i = 0; i < tables.n; i++) offer(&c, tables.v[i]);
    const char *dot = strrchr(text, '.');
    if (dot) {
        c.qualifier = text;
        c.qlen = (size_t)(dot - text) + 1;
    }
    /* columns of the tables this statement names, earlier lines included */
    if (pending && *pending) columns_named_in(pending, &tables, offer_column, &c);
    columns_named_in(line, &tables, offer_column, &c);
    if (!dot)
        for (int i = 0; KEYWORDS[i]; i++) offer_keyword(&c, KEYWORDS[i]);
    list_free(&tables);
    list_free(&c.seen);
    return c.count;
}

/* ---- readline's side ---- */

typedef struct match_list {
    char **v;
    int n, cap, next;
} match_list;
static match_list g_matches;

static void collect(const char *cand, void *ctx) {
    match_list *m = ctx;
    if (m->n == m->cap) {
        int cap = m->cap ? m->cap * 2 : 32;
        char **nv = realloc(m->v, sizeof(char *) * (size_t)cap); /* readline's memory */
        if (!nv) return;
        m->v = nv;
        m->cap = cap;
    }
    char *s = strdup(cand);
    if (s) m->v[m->n++] = s;
}

static void free_matches(void) {
    for (int i = g_matches.next; i < g_matches.n; i++) free(g_matches.v[i]);
    free(g_matches.v);
    memset(&g_matches, 0, sizeof g_matches);
}

static char *generator(const char *text, int state) {
    (void)text;
    if (state == 0) g_matches.next = 0;
    if (g_matches.next < g_matches.n) {
        char *s = g_matches.v[g_matches.next];
        g_matches.v[g_matches.next++] = NULL;
        return s;
    }
    return NULL;
}

static char **complete(const char *text, int start, int end) {
    (void)end;
    rl_attempted_completion_over = 1; /* no file names */
    for (int i = g_matches.next; i < g_matches.n; i++) free(g_matches.v[i]);
    g_matches.n = g_matches.next = 0;
    cli_complete_candidates(rl_line_buffer ? rl_line_buffer : "", text, start, collect, &g_matches);
    if (g_matches.n == 0) return NULL;
    return rl_completion_matches(text, generator);
}

void cli_complete_install(nl_session *session, nl_catalog *catalog, const char *(*pending)(void)) {
    g_session = session;
    g_catalog = catalog;
    g_pending = pending;
    rl_attempted_completion_function = complete;
    /* '.' stays in the word: db.table and alias.column complete whole */
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(),+-*/%";
    rl_completer_word_break_characters = (char *)rl_basic_word_break_characters;
}
