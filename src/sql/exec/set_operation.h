// File: sql/exec/set_operation.h
//
// SetOperationOperator: INTERSECT and EXCEPT, with DISTINCT or ALL semantics (rows compare
// as whole tuples; NULLs equal NULLs, as Trino's set operations do). The right input is
// hashed with a count per distinct row; the left input streams. UNION ALL is a
// ConcatOperator and UNION a concat followed by a DISTINCT aggregation (physical_planner.cc).
#pragma once

#include <memory>
#include <vector>

#include "sql/exec/group_table.h"
#include "sql/exec/physical_operator.h"
#include "sql/exec/query_context.h"
#include "sql/parser/ast.h"

namespace trailbook::sql {

class SetOperationOperator final : public PhysicalOperator {
 public:
  SetOperationOperator(OperatorPtr left, OperatorPtr right, SetOperator op, bool all,
                       std::vector<LogicalType> types, QueryContext* context);
  Status Next(DataChunk& out) override;

 private:
  Status Build();

  OperatorPtr left_;
  OperatorPtr right_;
  SetOperator op_;
  bool all_;
  QueryContext* context_;
  TrackedMemory memory_;
  GroupTable right_table_;
  GroupTable left_seen_;
  std::vector<int64_t> remaining_;  // per right group: rows not yet matched (ALL)
  bool built_ = false;
  DataChunk input_;
};

}  // namespace trailbook::sql
