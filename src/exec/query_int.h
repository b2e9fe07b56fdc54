/*
 * query_int.h -- the session API inside the library: results as nl_table,
 * without the Arrow C stream bridge (the command, tests and the server use it).
 */
#ifndef NL_EXEC_QUERY_INT_H
#define NL_EXEC_QUERY_INT_H

#include "columnar/array.h"
#include "neuralake.h"

/* Like nl_session_execute, with the last result as a table (owned by the
 * caller; NULL out = discard it). */
nl_status nl_session_run(nl_session *session, const char *sql, nl_table **out, nl_error *err);

#endif
