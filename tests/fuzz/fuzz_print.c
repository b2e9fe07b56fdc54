/*
 * fuzz_print.c -- libFuzzer target for the table printer: arbitrary bytes
 * become the cells of a two-column table (text split at NUL bytes, so invalid
 * UTF-8, wide and zero-width characters, newlines and long words all occur),
 * printed at a fuzzed width, string limit and row limit in every format. The
 * layout must always finish without error or out-of-bounds access.
 *
 * Input: byte 0 the table width, byte 1 the string limit, byte 2 the row
 * limit, then the cells.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "columnar/builder.h"
#include "columnar/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3) return 0;
    nl_print_options o = nl_print_options_default();
    o.table_width = data[0] ? data[0] : 1;
    o.max_str_len = data[1] % 64;
    o.max_rows = data[2] % 16;
    o.max_cols = 8;
    data += 3;
    size -= 3;

    nl_builder *text = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 16);
    nl_type *list_type = nl_type_list(nl_type_get(NL_TYPE_UTF8), true);
    nl_builder *list = nl_builder_new(list_type, 16);
    size_t start = 0;
    int64_t rows = 0;
    for (size_t i = 0; i <= size && rows < 256; i++) {
        if (i < size && data[i] != 0) continue;
        nl_builder_append_string(text, (const char *)data + start, (int64_t)(i - start));
        nl_builder_list_begin(list);
        nl_builder_append_string(nl_builder_child(list, 0), (const char *)data + start,
                                 (int64_t)((i - start) / 2));
        nl_builder_list_end(list);
        rows++;
        start = i + 1;
    }
    nl_array *cols[2] = {NULL, NULL};
    nl_error err = {0};
    if (nl_builder_finish(text, &cols[0], &err) != NL_OK ||
        nl_builder_finish(list, &cols[1], &err) != NL_OK)
        __builtin_trap();
    nl_builder_free(text);
    nl_builder_free(list);
    nl_field fields[2] = {{"text", nl_type_get(NL_TYPE_UTF8), true}, {"list", list_type, true}};
    nl_schema *schema = nl_schema_new(fields, 2);
    nl_batch *batch = NULL;
    if (!schema || nl_batch_new(nl_schema_ref(schema), cols, rows, &batch, &err) != NL_OK)
        __builtin_trap();
    nl_table *table = nl_table_new(schema);
    if (!table || nl_table_append(table, batch, &err) != NL_OK) __builtin_trap();
    nl_batch_unref(batch);
    for (int fmt = NL_OUTPUT_TABLE; fmt <= NL_OUTPUT_MARKDOWN; fmt++) {
        char *out = NULL;
        if (nl_format_table(table, (nl_output_format)fmt, &o, &out, &err) != NL_OK) __builtin_trap();
        nl_free(out);
    }
    nl_table_free(table);
    return 0;
}
