/*
 * fuzz_parquet.c -- libFuzzer target for the Parquet reader: the input is a
 * whole file, put in an in-memory object store, opened, pruned against a
 * filter and read in full. Any crash, hang, leak or sanitizer report is a bug;
 * errors are the expected outcome for most inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/parquet/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nl_store *store = nl_store_memory_new();
    if (!store) return 0;
    nl_error err = {0};
    const char *uri = "memory://fuzz.parquet";
    if (nl_store_put(store, uri, data, (int64_t)size, &err) == NL_OK) {
        pq_options opt;
        pq_options_init(&opt);
        opt.parallel = false; /* reproducible */
        pq_file *f = NULL;
        if (pq_file_open(store, uri, &opt, &f, &err) == NL_OK) {
            nl_filter flt = {.column = (char *)"a", .op = NL_OP_GT, .value = nl_scalar_int64(3)};
            nl_filter_and and = {.n = 1, .filters = &flt};
            nl_filter_set set = {.n = 1, .ands = &and};
            for (int32_t rg = 0; rg < pq_file_num_row_groups(f); rg++) {
                (void)pq_row_group_may_match(f, rg, &set);
                nl_batch *b = NULL;
                if (pq_read_row_group(f, rg, NULL, -1, &b, &err) == NL_OK) nl_batch_unref(b);
            }
            pq_file_close(f);
        }
    }
    nl_store_close(store);
    return 0;
}
