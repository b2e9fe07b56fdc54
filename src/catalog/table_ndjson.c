/*
 * table_ndjson.c -- NDJSON tables: the NDJSON reader over the text file
 * table machinery (table_text.c).
 */
#include "catalog/tables.h"
#include "formats/ndjson/ndjson.h"

static const char *const NDJSON_EXTS[] = {".ndjson", ".jsonl", ".json", ".ndjson.gz",
                                          ".jsonl.gz", ".json.gz", ".ndjson.zst",
                                          ".jsonl.zst", ".json.zst", NULL};

static nl_status ndjson_parse(const nl_table_def *def, const char *text, size_t len,
                              const nl_schema *types, const char *what, nl_table **out,
                              nl_error *err) {
    (void)def;
    return ndjson_read(text, len, types, what, out, err);
}

nl_status cat_ndjson_new(const nl_table_def *def, nl_provider **out, nl_error *err) {
    return cat_text_table_new(def, "ndjson", NDJSON_EXTS, ndjson_parse, out, err);
}
