/*
 * neuralake/query.h -- the public query API (a section of neuralake.h; include that).
 * Not yet declared: this section is filled in by the query work.
 */
#ifndef NEURALAKE_QUERY_H
#define NEURALAKE_QUERY_H
#endif
