// File: sql/exec/hash_aggregate.h
//
// HashAggregateOperator: GROUP BY (and DISTINCT, and global aggregates) in two phases: each
// worker thread aggregates the batches of its own copy of the input pipeline into a private
// GroupTable and accumulators (partial aggregation); the partial results are then merged and
// finalized. Group keys that arrive as dictionary vectors are resolved once per code.
//
//   auto plan = std::make_shared<AggregatePlan>(...);
//   auto op = std::make_unique<HashAggregateOperator>(plan, factory, threads, context);
//
// Memory held by the tables and states counts against the query's limit.
#pragma once

#include <memory>
#include <vector>

#include "sql/exec/aggregate_function.h"
#include "sql/exec/physical_operator.h"
#include "sql/exec/query_context.h"
#include "sql/planner/bound_expr.h"

namespace trailbook::sql {

// What to compute; shared read-only by the worker threads.
struct AggregatePlan {
  struct Aggregate {
    AggregateSpec spec;
    std::vector<BoundExprPtr> args;  // Arguments then ORDER BY keys, resolved to the input.
    BoundExprPtr filter;             // Nullable.
  };
  std::vector<BoundExprPtr> groups;
  std::vector<Aggregate> aggregates;
  std::vector<LogicalType> output_types;  // Groups, then aggregates.
};

class HashAggregateOperator final : public PhysicalOperator {
 public:
  // Runs `threads` copies of `input` (threads == 1: one copy on the calling thread).
  HashAggregateOperator(std::shared_ptr<const AggregatePlan> plan, PipelineFactory input,
                        unsigned threads, QueryContext* context);
  ~HashAggregateOperator() override;
  Status Next(DataChunk& out) override;

 private:
  struct Partial;
  Status Build();

  std::shared_ptr<const AggregatePlan> plan_;
  PipelineFactory input_;
  unsigned threads_;
  QueryContext* context_;
  std::unique_ptr<Partial> result_;
  bool built_ = false;
  size_t next_group_ = 0;
};

}  // namespace trailbook::sql
