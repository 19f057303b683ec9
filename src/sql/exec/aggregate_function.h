// File: sql/exec/aggregate_function.h
//
// The aggregate contract of the engine: an Accumulator holds the states of one aggregate
// call for every group of a hash aggregation (struct-of-arrays, indexed by group id),
// updated a batch at a time, combined across threads (two-phase aggregation) and finalized
// into a result vector.
//
//   TB_ASSIGN_OR_RETURN(auto acc, MakeAccumulator(spec));
//   acc->Resize(table.size());
//   TB_RETURN_IF_ERROR(acc->Update(groups, args, n));
//   TB_RETURN_IF_ERROR(acc->Finalize(0, table.size(), out));
//
// Functions: count(*), count, count_if, sum (bigint overflow is an error), avg, min, max,
// arbitrary, max_by, min_by, approx_distinct (exact: a 64-bit hash set per group), array_agg
// (optionally ordered), bool_and, bool_or, stddev_samp/pop, var_samp/pop; DISTINCT wraps any
// of them. NULL arguments are skipped except by count(*) and array_agg (which keeps NULLs,
// as Trino does).
//
// Thread safety: not thread-safe; one accumulator per aggregation thread.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "sql/types/vector.h"

namespace trailbook::sql {

struct AggregateSpec {
  std::string name;                    // Canonical name (sql/planner/aggregate_catalog.h).
  std::vector<LogicalType> arg_types;  // Arguments, then ORDER BY keys (array_agg).
  size_t order_keys = 0;               // Trailing arguments that are ORDER BY keys.
  std::vector<bool> order_descending;
  std::vector<bool> order_nulls_first;
  LogicalType result_type;
  bool distinct = false;
};

class Accumulator {
 public:
  virtual ~Accumulator() = default;
  // Makes room for `groups` groups (new groups start empty). Never shrinks.
  virtual void Resize(size_t groups) = 0;
  // Adds rows [0, n): row i belongs to groups[i]; args are flat vectors of n rows.
  // Errors: kInvalidArgument for arithmetic overflow.
  virtual Status Update(const uint32_t* groups, std::span<const Vector* const> args,
                        size_t n) = 0;
  // Folds group g of `other` (same spec) into group targets[g] of this, for every group g of
  // other.
  virtual Status Combine(Accumulator& other, const uint32_t* targets) = 0;
  // Writes the results of groups [begin, begin + n) into `out` (flat, n rows).
  virtual Status Finalize(size_t begin, size_t n, Vector& out) = 0;
  virtual size_t groups() const = 0;
  virtual size_t memory_bytes() const = 0;
};

// Errors: kInvalidArgument for an unknown aggregate or argument types it cannot take.
Result<std::unique_ptr<Accumulator>> MakeAccumulator(const AggregateSpec& spec);

}  // namespace trailbook::sql
