/*
 * cli_complete.h -- tab completion for 'neuralake shell' (libedit): SQL
 * keywords and functions, dot commands, table names (the session's and the
 * catalog's) and the columns of the tables the statement names.
 */
#ifndef NL_CLI_CLI_COMPLETE_H
#define NL_CLI_CLI_COMPLETE_H

#include "neuralake.h"

/* Installs the completion for readline() over `session` and `catalog`
 * (both borrowed; the catalog may be NULL). `pending` gives the lines of the
 * statement typed so far before the current line (may be NULL). */
void cli_complete_install(nl_session *session, nl_catalog *catalog, const char *(*pending)(void));

/* Forgets the columns learnt so far (after a statement may have changed
 * tables). */
void cli_complete_forget(void);

/* Frees what completion keeps. */
void cli_complete_free(void);

/* The candidates for completing `text` at the start of a line (start) or
 * inside it, given the whole line: for tests and for readline. Calls fn for
 * each; returns how many. */
int cli_complete_candidates(const char *line, const char *text, int start,
                            void (*fn)(const char *candidate, void *ctx), void *ctx);

#endif
