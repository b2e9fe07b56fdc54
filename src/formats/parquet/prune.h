/*
 * prune.h -- deciding from column-chunk statistics that no row of a row group
 * can satisfy a filter set. Never wrong: anything it cannot judge (nested or
 * unknown columns, missing or untrustworthy statistics, operators it does not
 * model, incomparable types) keeps the row group.
 */
#ifndef NL_FORMATS_PARQUET_PRUNE_H
#define NL_FORMATS_PARQUET_PRUNE_H

#include "catalog/provider.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/schema.h"

/* True when row group `rg` may hold rows matching `filters`. */
bool pq_prune_row_group(const pq_file_meta *meta, const pq_schema_map *map, int32_t rg,
                        const nl_filter_set *filters);

/* The statistics value `b` of leaf `li` as a scalar of the leaf's Arrow type;
 * false when this leaf's statistics cannot be used for ordering. */
bool pq_stat_scalar(const pq_leaf_info *li, pq_bytes b, bool legacy, nl_scalar *out);

#endif
