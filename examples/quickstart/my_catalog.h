/*
 * my_catalog.h -- the quickstart's catalog: the tables declared in
 * my_tables.c, unified by my_catalog.c.
 */
#ifndef MY_CATALOG_H
#define MY_CATALOG_H

#include <neuralake.h>

/* The tables of the "tpch" database, ending with {0}. */
extern const nl_table_def MY_TABLES[];

/* A new catalog holding every database of the quickstart; NULL (after saying
 * why on stderr) when a declaration is wrong. Free with nl_catalog_free. */
nl_catalog *my_catalog_new(void);

#endif
