// File: sql/exec/physical_planner.h
//
// PhysicalPlanner: turns an optimized logical plan into operators. On the way it
//   - runs uncorrelated subqueries once and replaces them by constants (scalar, EXISTS) or
//     constant IN lists (so `x IN (SELECT ...)` on a needle column becomes an index lookup);
//   - folds row-independent expressions into constants;
//   - classifies scan filters (scan_predicates.h) into zone-map, needle, dictionary and row
//     predicates and prunes scan columns no operator reads;
//   - resolves column bindings to positions;
//   - builds parallel pipelines: Scan -> Filter -> Project -> Unnest chains are instantiated
//     once per worker thread, feeding a two-phase HashAggregate or a ParallelGather;
//   - records an EXPLAIN tree.
//
//   PhysicalPlanner planner(table, snapshot, constraints, &context);
//   TB_ASSIGN_OR_RETURN(OperatorPtr root, planner.Plan(*query.root));
//   std::string text = planner.Explain();
//
// The planner must outlive the operators it returns (they refer to expressions it owns).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "sql/exec/event_scan.h"
#include "sql/exec/physical_operator.h"
#include "sql/exec/query_context.h"
#include "sql/planner/logical_plan.h"

namespace trailbook::sql {

// A line of EXPLAIN output and its inputs.
struct ExplainNode {
  std::string title;
  std::vector<std::string> details;
  std::vector<ExplainNode> children;
};

// Renders an explain tree, two spaces per level, details indented under their operator.
std::string RenderExplain(const ExplainNode& node);

class PhysicalPlanner {
 public:
  // `table`, `context` must outlive the planner.
  PhysicalPlanner(const EventTable& table, std::shared_ptr<const storage::StoreSnapshot> snapshot,
                  ScanConstraints constraints, QueryContext* context);
  ~PhysicalPlanner();

  // Sets this execution's values of the plan's slots (BoundQuery::slots): every constant
  // tagged with a slot (BoundExpr::slot) takes its value when the planner prepares it.
  // REQUIRES: values[i] is non-NULL and has slots[i]'s type.
  void set_slot_values(std::vector<Value> values) { slot_values_ = std::move(values); }
  // With false, the EXPLAIN tree keeps operator titles only: no predicate, expression or
  // scan details are rendered while planning (callers that never show the plan).
  void set_explain_details(bool on) { explain_details_ = on; }

  // Errors: those of subqueries run while planning; kInternal for malformed plans (and a
  // tagged constant without a slot value when slot values were set).
  Result<OperatorPtr> Plan(const LogicalOperator& root);
  const ExplainNode& explain() const { return explain_; }
  // After Plan: whether every scan planned (subqueries' too) reads only rows found through
  // a needle on a key column (CatalogColumn::key) with at most kMaxKeyLookupValues values,
  // so the query's work does not grow with the store. False when nothing was scanned.
  bool key_lookup() const { return scans_ > 0 && key_lookup_scans_ == scans_; }
  static constexpr size_t kMaxKeyLookupValues = 64;

  struct Planned;

 private:
  Result<Planned> PlanNode(const LogicalOperator& op);
  Result<Planned> PlanScan(const LogicalScan& scan);
  Result<Planned> PlanAggregate(const LogicalOperator& op);
  Result<Planned> PlanSort(const LogicalSort& sort, std::optional<size_t> limit);
  Result<Planned> PlanJoin(const LogicalJoin& join);
  Result<Planned> PlanSetOperation(const LogicalSetOperation& set);
  Result<OperatorPtr> ToOperator(Planned node);

  // Clones `e`, runs its subqueries, folds constants; resolution is separate.
  Result<BoundExprPtr> Prepare(const BoundExpr& e);
  // Resolves column bindings of `e` to positions in `layout`.
  Status Resolve(BoundExpr& e, const std::vector<ColumnBinding>& layout) const;
  Result<BoundExprPtr> PrepareResolved(const BoundExpr& e, const std::vector<ColumnBinding>& layout);
  Status ReplaceSubqueries(BoundExprPtr& e);
  void Fold(BoundExprPtr& e);
  Result<std::vector<Value>> RunSubquery(const LogicalOperator& plan, size_t max_rows);

  // Keeps an object alive as long as the planner (operators refer into it).
  template <typename T>
  const T* Keep(std::shared_ptr<T> object) {
    keep_.push_back(object);
    return object.get();
  }

  const EventTable& table_;
  std::shared_ptr<const storage::StoreSnapshot> snapshot_;
  ScanConstraints constraints_;
  QueryContext* context_;
  std::vector<Value> slot_values_;  // Empty: tagged constants keep their bound values.
  bool explain_details_ = true;
  std::vector<std::shared_ptr<const void>> keep_;
  std::vector<ColumnBinding> referenced_;  // bindings some operator reads (sorted)
  std::vector<std::pair<const LogicalOperator*, std::vector<Value>>> subquery_results_;
  ExplainNode explain_;
  size_t scans_ = 0;
  size_t key_lookup_scans_ = 0;
};

}  // namespace trailbook::sql
