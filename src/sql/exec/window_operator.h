// File: sql/exec/window_operator.h
//
// WindowOperator: window functions over the materialized input. For each function the rows
// are ordered by (PARTITION BY, ORDER BY); ranking functions (row_number, rank, dense_rank,
// percent_rank, cume_dist, ntile), navigation (lag, lead, first_value, last_value,
// nth_value) and aggregates over frames are computed per partition. Frames: the default
// (RANGE UNBOUNDED PRECEDING to CURRENT ROW, i.e. running with peers), the whole partition,
// and ROWS frames with offsets. Output: the input columns (in input order) followed by one
// column per function.
#pragma once

#include <memory>
#include <vector>

#include "sql/exec/aggregate_function.h"
#include "sql/exec/column_store.h"
#include "sql/exec/physical_operator.h"
#include "sql/exec/query_context.h"
#include "sql/planner/logical_plan.h"

namespace trailbook::sql {

struct WindowPlan {
  struct Function {
    std::string name;
    bool is_aggregate = false;
    AggregateSpec spec;                     // Aggregates.
    std::vector<BoundExprPtr> args;         // Resolved against the input.
    std::vector<BoundExprPtr> partition_by;
    std::vector<BoundOrder> order_by;
    BoundFrame frame;
    bool ignore_nulls = false;
    LogicalType type;
  };
  std::vector<Function> functions;
  std::vector<LogicalType> input_types;
};

class WindowOperator final : public PhysicalOperator {
 public:
  WindowOperator(OperatorPtr child, std::shared_ptr<const WindowPlan> plan, QueryContext* context);
  ~WindowOperator() override;
  Status Next(DataChunk& out) override;

 private:
  Status Build();
  Status Compute(size_t f);

  OperatorPtr child_;
  std::shared_ptr<const WindowPlan> plan_;
  QueryContext* context_;
  TrackedMemory memory_;
  std::unique_ptr<ColumnStore> store_;
  // Per function: store columns of its partition keys, order keys and arguments.
  std::vector<std::vector<size_t>> partition_cols_, order_cols_, arg_cols_;
  std::vector<Vector> results_;
  bool built_ = false;
  size_t next_ = 0;
};

}  // namespace trailbook::sql
