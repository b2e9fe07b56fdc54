/*
 * file_table.h -- tables read straight from files in a query: FROM
 * 'x.parquet' and read_parquet() over a path or a glob. Each (file, row group) that
 * survives statistics pruning is one scan part.
 */
#ifndef NL_EXEC_FILE_TABLE_H
#define NL_EXEC_FILE_TABLE_H

#include "catalog/provider.h"

/* Opens the files matching `pattern` (a path or a glob). */
nl_status exec_parquet_provider(const char *pattern, nl_provider **out, nl_error *err);

#endif
