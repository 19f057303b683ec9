// File: sql/planner/internal/binder_impl.h
//
// The binder's internals, shared by query_binder.cc (queries, relations, SELECT) and
// expression_binder.cc (expressions). Not part of the planner's interface: use binder.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/planner/binder.h"

namespace trailbook::sql::internal {

struct ScopeColumn {
  std::string name;
  ColumnBinding binding;
  LogicalType type;
};

// One relation of a FROM clause, as names see it.
struct ScopeRelation {
  std::string alias;             // As written; empty when the relation has no name.
  LogicalScan* scan = nullptr;   // The events table: columns resolve through the catalog.
  std::vector<ScopeColumn> columns;  // Other relations.
};

// The names visible to an expression: the FROM relations of its query, and the enclosing
// queries (only to report correlated references, which are not supported).
struct BindScope {
  std::vector<ScopeRelation> relations;
  const BindScope* outer = nullptr;
};

// State of a query with GROUP BY or aggregates while its SELECT/HAVING/ORDER BY bind.
struct AggregationState {
  LogicalAggregate* aggregate = nullptr;
  const BindScope* input_scope = nullptr;
};

struct WindowState {
  LogicalWindow* window = nullptr;
  const std::vector<NamedWindow>* named = nullptr;
};

struct LambdaParam {
  std::string name;
  int slot;
  LogicalType type;
};

struct ExprContext {
  const BindScope* scope = nullptr;
  std::string_view clause;                  // "WHERE", "SELECT", ... for messages.
  AggregationState* aggregation = nullptr;  // Set: aggregates allowed, columns must be grouped.
  WindowState* window = nullptr;            // Set: window functions allowed.
  bool in_aggregate_args = false;
  std::vector<LambdaParam> lambdas;         // Innermost last.
};

// A bound relation (FROM item or query) and the names of its columns.
struct BoundRelation {
  LogicalOperatorPtr op;
  std::vector<ScopeColumn> columns;
};

class Binder {
 public:
  explicit Binder(const BinderContext& context) : ctx_(context) {}

  Result<BoundQuery> BindStatement(const Statement& statement);

  // Queries (query_binder.cc).
  Result<BoundRelation> BindQuery(const Query& query, const BindScope* outer);

  // Expressions (expression_binder.cc).
  Result<BoundExprPtr> BindExpr(const Expr& expr, ExprContext& ec);
  // Binds a boolean condition (WHERE, ON, HAVING, FILTER).
  Result<BoundExprPtr> BindCondition(const Expr& expr, ExprContext& ec);
  // Returns `e` cast to `target` (no-op when equal; NULL literals are retyped).
  Result<BoundExprPtr> CastTo(BoundExprPtr e, const LogicalType& target, bool try_cast = false);
  // Binds a call of a registered scalar function over bound arguments (no lambdas).
  Result<BoundExprPtr> BindScalarCall(std::string_view name, std::vector<BoundExprPtr> args,
                                      SourceLocation location);
  // Resolves a column reference path in a scope (without lambda parameters).
  Result<BoundExprPtr> ResolveColumn(const std::vector<Identifier>& parts,
                                     SourceLocation location, const BindScope& scope);

  // Returns an error at `location`: "<head> at L:C<tail>" with the snippet.
  Status Error(SourceLocation location, std::string_view head, std::string_view tail = {},
               StatusCode code = StatusCode::kInvalidArgument) const;
  // Adds `location` (and the snippet) to a message-only status from a callee.
  Status Locate(const Status& status, SourceLocation location) const;

  uint32_t NextTable() { return next_table_++; }
  const BinderContext& context() const { return ctx_; }

  // Returns a constant of `value`, tagged with its slot when the context tags slots.
  BoundExprPtr SlotConstant(PlanSlot::Kind kind, std::string_view name, Value value,
                            SourceLocation location);
  // Records that binding depended on the value of `e` (the plan is not reusable) when `e`
  // is a tagged constant.
  void Pin(const BoundExpr& e) {
    if (e.kind == BoundExprKind::kConstant && e.slot >= 0) value_dependent_ = true;
  }
  // Calls `bind` with `input`; when tagged constants are among its constants, binds without
  // them (as for column arguments) so the function cannot specialise on a per-execution
  // value, and pins them when that changes the signature or fails.
  Result<BoundScalarFunction> BindWithSlots(const ScalarBind& bind, ScalarBindInput& input,
                                            const std::vector<const BoundExpr*>& args);

 private:
  struct CteEntry {
    std::string name;  // canonical
    const CommonTableExpr* cte;
    size_t visible;    // number of entries visible to its own query
  };

  Result<BoundRelation> BindQueryBody(const QueryBody& body, const Query* clauses,
                                      const BindScope* outer);
  Result<BoundRelation> BindSelect(const SelectBody& select, const Query* clauses,
                                   const BindScope* outer);
  Result<BoundRelation> BindSetOperation(const SetOperationBody& body, const BindScope* outer);
  Result<BoundRelation> BindValues(const ValuesBody& body, const BindScope* outer);
  Result<LogicalOperatorPtr> BindFrom(const Relation& relation, BindScope* scope);
  Result<LogicalOperatorPtr> BindTable(const TableRelation& table, BindScope* scope);
  Result<LogicalOperatorPtr> BindUnnest(const UnnestRelation& unnest, LogicalOperatorPtr input,
                                        BindScope* scope);
  // Applies ORDER BY / OFFSET / LIMIT of `clauses` over a relation whose output columns are
  // `rel.columns` (set operations, VALUES).
  Result<BoundRelation> ApplyOuterClauses(BoundRelation rel, const Query& clauses,
                                          const BindScope* outer);
  Result<std::optional<int64_t>> BindCount(const Expr* expr, std::string_view what);

  // Expressions.
  Result<BoundExprPtr> BindExprImpl(const Expr& expr, ExprContext& ec);
  Result<BoundExprPtr> BindColumnRef(const ColumnRef& ref, ExprContext& ec);
  Result<BoundExprPtr> BindFunctionCall(const FunctionCall& call, ExprContext& ec);
  Result<BoundExprPtr> BindAggregateCall(const FunctionCall& call, ExprContext& ec);
  Result<BoundExprPtr> BindWindowCall(const FunctionCall& call, ExprContext& ec);
  Result<BoundExprPtr> BindLambdaCall(const FunctionCall& call, ExprContext& ec);
  Result<BoundExprPtr> BindComparison(std::string_view fn, BoundExprPtr left, BoundExprPtr right,
                                      SourceLocation location);
  Result<BoundExprPtr> BindCase(const CaseExpr& expr, ExprContext& ec);
  Result<BoundExprPtr> BindInList(const InListExpr& expr, ExprContext& ec);
  Result<BoundExprPtr> BindSubquery(const Query& query, SubqueryKind kind, BoundExprPtr value,
                                    bool negated, SourceLocation location, ExprContext& ec);
  Result<BoundExprPtr> BindLiteral(const Expr& expr);
  Result<BoundExprPtr> BindFieldAccess(BoundExprPtr base, const Identifier& field,
                                   std::string_view base_text);
  // Coerces a varchar constant compared with a timestamp or date (CloudTrail Lake).
  Status CoerceTemporalLiteral(const BoundExprPtr& other, BoundExprPtr& literal);
  Result<BoundExprPtr> ToBoolean(BoundExprPtr e, std::string_view what);
  Result<std::vector<BoundExprPtr>> CoerceAll(std::vector<BoundExprPtr> exprs,
                                              SourceLocation location, std::string_view what,
                                              LogicalType* common);

  const BinderContext& ctx_;
  std::vector<PlanSlot> slots_;
  bool value_dependent_ = false;  // A tagged value was read: see BoundQuery::reusable.
  uint32_t next_table_ = 1;
  int next_lambda_slot_ = 0;
  std::vector<CteEntry> ctes_;
};

// Returns true when `expr` contains an aggregate call (not inside a subquery or OVER).
bool ContainsAggregate(const Expr& expr);
// Returns true when `expr` contains a window function call (not inside a subquery).
bool ContainsWindow(const Expr& expr);

}  // namespace trailbook::sql::internal
