// File: sql/exec/unnest_operator.h
//
// UnnestOperator: CROSS JOIN UNNEST(...) [WITH ORDINALITY]. For each input row it parses the
// array or map arguments (JSON text, see sql/types/logical_type.h) and emits one row per
// element: the input columns followed by the element columns (array elements; the fields of
// array(row(...)) elements, matched by name case-insensitively; or map keys and values), then
// the 1-based ordinality. Arguments of different lengths are padded with NULLs; a NULL or
// empty argument contributes no rows.
#pragma once

#include <memory>
#include <vector>

#include "sql/exec/expression_evaluator.h"
#include "sql/exec/physical_operator.h"
#include "sql/planner/logical_plan.h"

namespace trailbook::sql {

struct UnnestPlan {
  std::vector<BoundExprPtr> args;  // Resolved against the input.
  std::vector<UnnestMode> modes;
  std::vector<LogicalType> column_types;
  bool with_ordinality = false;
  std::vector<LogicalType> input_types;
};

class UnnestOperator final : public PhysicalOperator {
 public:
  UnnestOperator(OperatorPtr child, std::shared_ptr<const UnnestPlan> plan, QueryContext* context);
  ~UnnestOperator() override;
  Status Next(DataChunk& out) override;

 private:
  // Parses the arguments of input row `row` into row_values_.
  Status Expand(size_t row);

  OperatorPtr child_;
  std::shared_ptr<const UnnestPlan> plan_;
  QueryContext* context_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> evals_;
  DataChunk input_;
  std::vector<Vector> arg_values_;
  size_t row_ = 0;           // next input row to expand
  size_t element_ = 0;       // next element of the expanded row
  bool expanded_ = false;
  size_t row_length_ = 0;
  std::vector<std::vector<Value>> row_values_;  // per element column
  bool done_ = false;
};

}  // namespace trailbook::sql
