/*
 * table_csv.c -- CSV tables: the declaration's CSV options (delimiter, quote,
 * header, inference rows, null texts) handed to the CSV reader, over the text
 * file table machinery (table_text.c).
 */
#include "catalog/tables.h"
#include "formats/csv/csv.h"

static const char *const CSV_EXTS[] = {".csv", ".csv.gz", ".csv.zst", ".tsv", ".tsv.gz",
                                       ".tsv.zst", ".txt", NULL};

static nl_status csv_parse(const nl_table_def *def, const char *text, size_t len,
                           const nl_schema *types, const char *what, nl_table **out,
                           nl_error *err) {
    csv_options o;
    csv_options_init(&o);
    if (def->csv.delimiter) o.delimiter = def->csv.delimiter;
    if (def->csv.quote) o.quote = def->csv.quote;
    o.header = !def->csv.no_header;
    if (def->csv.infer_rows) o.infer_rows = def->csv.infer_rows;
    o.null_values = def->csv.null_values;
    /* Without a header, the declared columns name the fields in order. */
    const char *names[256];
    if (def->csv.no_header && def->columns) {
        size_t n = 0;
        while (n + 1 < sizeof names / sizeof names[0] && def->columns[n].name) {
            names[n] = def->columns[n].name;
            n++;
        }
        names[n] = NULL;
        o.names = names;
    }
    return csv_read(text, len, &o, types, what, out, err);
}

nl_status cat_csv_new(const nl_table_def *def, nl_provider **out, nl_error *err) {
    return cat_text_table_new(def, "csv", CSV_EXTS, csv_parse, out, err);
}
