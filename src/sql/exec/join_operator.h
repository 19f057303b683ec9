// File: sql/exec/join_operator.h
//
// JoinOperator: INNER, LEFT, RIGHT, FULL and CROSS joins. The right input is materialized
// (the build side); the left input streams. With equality keys the build side is hashed and
// each left row visits only its hash chain; without keys every pair is considered (nested
// loop, for CROSS JOIN and non-equality conditions). The residual condition (ON conjuncts
// other than the keys) is evaluated on candidate pairs, so outer joins see it as part of the
// match. NULL keys never match. Output: left columns, then right columns.
//
//   auto op = std::make_unique<JoinOperator>(std::move(left), std::move(right), plan, context);
#pragma once

#include <memory>
#include <vector>

#include "sql/exec/column_store.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/physical_operator.h"
#include "sql/planner/logical_plan.h"

namespace trailbook::sql {

struct JoinPlan {
  LogicalJoinType type = LogicalJoinType::kInner;
  std::vector<BoundExprPtr> left_keys;   // Resolved against the left input.
  std::vector<BoundExprPtr> right_keys;  // Resolved against the right input.
  BoundExprPtr residual;                 // Nullable; resolved against left ++ right.
  std::vector<LogicalType> left_types;
  std::vector<LogicalType> right_types;
};

class JoinOperator final : public PhysicalOperator {
 public:
  JoinOperator(OperatorPtr left, OperatorPtr right, std::shared_ptr<const JoinPlan> plan,
               QueryContext* context);
  ~JoinOperator() override;
  Status Next(DataChunk& out) override;

 private:
  Status Build();
  Status NextLeftChunk();
  // Collects up to kBatchSize candidate pairs from the current left chunk.
  void CollectPairs();
  Status EmitPairs(DataChunk& out);
  void EmitUnmatchedLeft(DataChunk& out);
  bool EmitUnmatchedRight(DataChunk& out);

  OperatorPtr left_;
  OperatorPtr right_;
  std::shared_ptr<const JoinPlan> plan_;
  QueryContext* context_;
  TrackedMemory memory_;
  bool hashed_;
  bool built_ = false;

  std::unique_ptr<ColumnStore> build_;  // right columns, then key columns
  std::vector<uint64_t> build_hashes_;
  std::vector<uint32_t> heads_;  // bucket -> build row + 1
  std::vector<uint32_t> next_;   // build row -> next row + 1 in its chain
  uint64_t mask_ = 0;
  std::vector<uint8_t> build_matched_;

  std::vector<std::unique_ptr<ExpressionEvaluator>> left_key_evals_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> right_key_evals_;
  std::unique_ptr<ExpressionEvaluator> residual_;

  DataChunk left_chunk_;
  std::vector<Vector> left_keys_;
  std::vector<uint64_t> left_hashes_;
  std::vector<uint8_t> left_matched_;
  bool left_done_ = false;
  size_t probe_row_ = 0;
  uint32_t chain_ = 0;     // next build row + 1 to visit for probe_row_ (0: start chain)
  bool chain_started_ = false;
  bool pending_unmatched_left_ = false;
  std::vector<uint32_t> pair_left_, pair_right_;
  size_t right_cursor_ = 0;  // for emitting unmatched build rows
};

}  // namespace trailbook::sql
