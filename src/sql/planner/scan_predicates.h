// File: sql/planner/scan_predicates.h
//
// Sorts the filter conjuncts pushed into a scan by how the store can answer them:
//   - time range: eventTime compared with constants (including coerced string literals and
//     BETWEEN) -> pruning by segment time range and block zone maps, then an int64 range
//     check per row only in blocks that straddle a bound;
//   - needles: `col = 'v'` / `col IN ('a', 'b')` on needle-indexed columns -> the segment's
//     postings or row hash index; only the matching rows are read;
//   - column predicates: conjuncts over one column -> evaluated once per dictionary entry
//     for dictionary-encoded columns (a segment with no passing entry is skipped), else on
//     that column alone before any other column is decoded;
//   - residual: the rest, evaluated on the rows that passed everything above.
//
//   ScanPredicates p = ClassifyScanFilters(scan.catalog, std::move(filters));
//
// REQUIRES: subqueries are already replaced by constants and constants folded (the executor
// does both before classifying), so constant conjuncts are literals.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/catalog.h"

namespace trailbook::sql {

// An inclusive range of eventTime in microseconds.
struct TimeRange {
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
  bool bounded() const {
    return min != std::numeric_limits<int64_t>::min() || max != std::numeric_limits<int64_t>::max();
  }
  bool empty() const { return min > max; }
  bool Contains(int64_t t) const { return t >= min && t <= max; }
  // Intersects with [lo, hi].
  void Intersect(int64_t lo, int64_t hi) {
    if (lo > min) min = lo;
    if (hi < max) max = hi;
  }
  std::string ToString() const;
};

struct NeedlePredicate {
  int column = -1;                  // Catalog column.
  std::vector<std::string> values;  // Any of these values.
  std::string ToString(const TableCatalog& catalog) const;
};

struct ColumnPredicate {
  int column = -1;     // Catalog column.
  BoundExprPtr expr;   // Refers to that column only.
};

struct ScanPredicates {
  TimeRange time;
  std::vector<NeedlePredicate> needles;
  std::vector<ColumnPredicate> column_predicates;
  std::vector<BoundExprPtr> residual;
  bool always_false = false;  // A conjunct is the constant FALSE or NULL.
};

// Classifies `filters` (conjuncts over the scan's bindings) of a scan of `catalog`.
ScanPredicates ClassifyScanFilters(const TableCatalog& catalog, uint32_t scan_table,
                                   std::vector<BoundExprPtr> filters);

}  // namespace trailbook::sql
