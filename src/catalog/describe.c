/*
 * describe.c -- a table's schema and documentation as text: what `neuralake
 * describe` prints, and what a reader of the catalog wants to know before
 * querying a table (what it is, its key, a typical filter, where the data
 * comes from, how fresh it is, whether it is deprecated).
 */
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "catalog/catalog_impl.h"
#include "columnar/cast.h"

static void put_value(nl_strbuf *sb, const nl_value *v) {
    switch (v->kind) {
    case NL_VALUE_NONE: break;
    case NL_VALUE_NULL: nl_strbuf_puts(sb, "NULL"); break;
    case NL_VALUE_BOOL: nl_strbuf_puts(sb, v->b ? "true" : "false"); break;
    case NL_VALUE_INT: nl_strbuf_printf(sb, "%lld", (long long)v->i); break;
    case NL_VALUE_DOUBLE: {
        char buf[64];
        nl_format_double(v->d, buf, sizeof buf);
        nl_strbuf_puts(sb, buf);
        break;
    }
    case NL_VALUE_STRING: nl_strbuf_printf(sb, "'%s'", v->s ? v->s : ""); break;
    case NL_VALUE_LIST:
        nl_strbuf_putc(sb, '(');
        for (int32_t i = 0; i < v->n_items; i++) {
            if (i) nl_strbuf_puts(sb, ", ");
            put_value(sb, &v->items[i]);
        }
        nl_strbuf_putc(sb, ')');
        break;
    }
}

/* Filter terms as text: "a = 1 AND b in ('x', 'y') OR c contains 'z'". */
void cat_format_terms(nl_strbuf *sb, const nl_filter_term *terms) {
    bool first = true;
    for (const nl_filter_term *t = terms; t && (t->column || t->op); t++) {
        if (!t->column) {
            nl_strbuf_puts(sb, " OR ");
            first = true;
            continue;
        }
        if (!first) nl_strbuf_puts(sb, " AND ");
        first = false;
        nl_strbuf_printf(sb, "%s %s", t->column, t->op ? t->op : "?");
        if (t->value.kind != NL_VALUE_NONE) {
            nl_strbuf_putc(sb, ' ');
            put_value(sb, &t->value);
        }
    }
}

static void put_names(nl_strbuf *sb, const char *label, const char *const *names) {
    if (!names || !names[0]) return;
    nl_strbuf_printf(sb, "%-18s", label);
    for (size_t i = 0; names[i]; i++) nl_strbuf_printf(sb, "%s%s", i ? ", " : "", names[i]);
    nl_strbuf_putc(sb, '\n');
}

static void put_line(nl_strbuf *sb, const char *label, const char *text) {
    if (text && *text) nl_strbuf_printf(sb, "%-18s%s\n", label, text);
}

static const char *column_doc(const nl_table_def *def, const char *name) {
    for (size_t i = 0; def->columns && def->columns[i].name; i++)
        if (strcasecmp(def->columns[i].name, name) == 0) return def->columns[i].description;
    for (size_t i = 0; def->partition_columns && def->partition_columns[i].name; i++)
        if (strcasecmp(def->partition_columns[i].name, name) == 0)
            return def->partition_columns[i].description;
    return NULL;
}

static const char *column_role(const nl_table_def *def, const char *name) {
    for (size_t i = 0; def->partition_columns && def->partition_columns[i].name; i++)
        if (strcasecmp(def->partition_columns[i].name, name) == 0) return "partition";
    for (size_t i = 0; def->extra_columns && def->extra_columns[i].name; i++)
        if (strcasecmp(def->extra_columns[i].name, name) == 0) return "computed";
    for (size_t i = 0; def->unique_columns && def->unique_columns[i]; i++)
        if (strcasecmp(def->unique_columns[i], name) == 0) return "unique";
    return "";
}

nl_status cat_describe_text(nl_catalog *cat, const char *name, char **out, nl_error *err) {
    *out = NULL;
    cat_table *t = NULL;
    NL_TRY(cat_resolve_name(cat, name, &t, err));
    const nl_table_def *def = &t->def;
    nl_provider *p = NULL;
    nl_error perr = {0};
    nl_status pst = cat_table_provider(cat, t, &p, &perr);
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_printf(&sb, "%s.%s (%s table)%s\n", t->db, def->name, cat_kind_name(def->kind),
                     def->deprecated ? " -- DEPRECATED" : "");
    if (def->description) nl_strbuf_printf(&sb, "\n%s\n", def->description);
    if (def->deprecated)
        nl_strbuf_printf(&sb, "\nDeprecated: %s\n",
                         def->deprecation_message ? def->deprecation_message : "do not use in new code");
    nl_strbuf_puts(&sb, "\n");
    put_line(&sb, "uri:", def->uri);
    if (def->partitioning)
        put_line(&sb, "partitioning:", def->partitioning == NL_PARTITION_HIVE ? "hive (key=value)" : "directory");
    put_names(&sb, "unique columns:", def->unique_columns);
    if (def->deduplicate) put_line(&sb, "deduplicated:", "yes, on the unique columns");
    put_names(&sb, "selected columns:", def->selected_columns);
    if (def->example_filters && (def->example_filters[0].column || def->example_filters[0].op)) {
        nl_strbuf_printf(&sb, "%-18s", "example filters:");
        cat_format_terms(&sb, def->example_filters);
        nl_strbuf_putc(&sb, '\n');
    }
    put_line(&sb, "data input:", def->data_input);
    put_line(&sb, "latency:", def->latency_info);
    put_line(&sb, "example:", def->example_link);
    put_line(&sb, "owner:", def->owner);
    nl_strbuf_puts(&sb, "\ncolumns:\n");
    if (pst != NL_OK) {
        nl_strbuf_printf(&sb, "  (schema unavailable: %s)\n", perr.message);
    } else {
        size_t w = 4;
        for (int32_t i = 0; i < p->schema->n_fields; i++)
            if (strlen(p->schema->fields[i].name) > w) w = strlen(p->schema->fields[i].name);
        for (int32_t i = 0; i < p->schema->n_fields; i++) {
            const nl_field *f = &p->schema->fields[i];
            char tn[64];
            const char *doc = column_doc(def, f->name);
            const char *role = column_role(def, f->name);
            char rb[32];
            snprintf(rb, sizeof rb, *role ? "[%s]" : "%s", role);
            nl_strbuf_printf(&sb, "  %-*s  %-14s  %-11s  %s", (int)w, f->name,
                             nl_type_polars_name(f->type, tn, sizeof tn), rb, doc ? doc : "");
            /* no trailing spaces */
            while (sb.len > 0 && sb.data[sb.len - 1] == ' ') sb.data[--sb.len] = '\0';
            nl_strbuf_putc(&sb, '\n');
        }
    }
    char *text = nl_strbuf_take(&sb);
    NL_CHECK_ALLOC(text, err);
    *out = text;
    return NL_OK;
}

nl_status nl_catalog_describe(nl_catalog *cat, const char *name, FILE *out, nl_error *err) {
    char *text = NULL;
    NL_TRY(cat_describe_text(cat, name, &text, err));
    fputs(text, out);
    nl_free(text);
    return NL_OK;
}
