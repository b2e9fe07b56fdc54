/*
 * neuralake/catalog.h -- the public catalog API (a section of neuralake.h; include that).
 * Not yet declared: this section is filled in by the catalog work.
 */
#ifndef NEURALAKE_CATALOG_H
#define NEURALAKE_CATALOG_H
#endif
