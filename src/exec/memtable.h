/*
 * memtable.h -- an in-memory table as a provider: the tables of CREATE TABLE,
 * CREATE TABLE AS and INSERT in a session. Each batch is a scan part, so
 * scans run in parallel; projection is zero-copy. Not safe to append while
 * a scan runs (a session runs one statement at a time).
 */
#ifndef NL_EXEC_MEMTABLE_H
#define NL_EXEC_MEMTABLE_H

#include "catalog/provider.h"

/* A new empty table with `schema` (a reference is taken). */
nl_status exec_memtable_new(nl_schema *schema, nl_provider **out, nl_error *err);
/* Appends a batch (same column types, any names); the table keeps a reference. */
nl_status exec_memtable_append(nl_provider *p, nl_batch *batch, nl_error *err);
int64_t exec_memtable_rows(const nl_provider *p);
bool exec_is_memtable(const nl_provider *p);

#endif
