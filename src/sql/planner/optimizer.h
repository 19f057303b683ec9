// File: sql/planner/optimizer.h
//
// Logical rewrites applied after binding:
//   - predicate pushdown: WHERE/HAVING/ON conjuncts move down through projections (by
//     substitution), sorts, inner/cross joins (to the side they refer to), the preserved side
//     of outer joins, aggregates (conjuncts on grouping columns) and UNNEST, until they reach
//     a scan, where they become the scan's filters (zone maps, needle indexes, dictionary
//     predicates: see scan_predicates.h);
//   - a cross join with an equality conjunct over both sides becomes an inner join.
// Subquery plans inside expressions are optimized when they are bound into constants by the
// executor, not here.
//
//   Optimize(query.root);
#pragma once

#include "sql/planner/logical_plan.h"

namespace trailbook::sql {

// Rewrites the plan in place. Never fails: every rewrite is optional.
void Optimize(LogicalOperatorPtr& root);

}  // namespace trailbook::sql
