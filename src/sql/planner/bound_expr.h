// File: sql/planner/bound_expr.h
//
// BoundExpr: an expression after binding: names resolved to column bindings, types known,
// functions resolved to kernels, implicit casts inserted. The logical plan (logical_plan.h)
// holds BoundExprs; the executor evaluates them over DataChunks (sql/exec/expression_evaluator.h).
//
//   BoundExprPtr e = MakeCall("$eq", fn, {MakeColumn(binding, type, "eventName"),
//                                         MakeConstant(Value::Varchar("ConsoleLogin"))});
//   e->ToString();   // "eventName = 'ConsoleLogin'"
//
// Column references name a ColumnBinding {table, column}: `table` identifies the plan
// operator that produced the column and `column` the column within it, so plans can be
// rearranged without renumbering. The physical planner resolves bindings to positions in the
// input chunk (`index`).
//
// The special forms the engine owns (they are lazy or three-valued) are node kinds; every
// other operator and function is a kCall of the function library's contract
// (sql/functions/scalar_function.h).
//
// Ownership: a node owns its children. Subquery plans and function kernels are shared
// read-only (shared_ptr: copies of an expression made by Clone() share them).
// Thread safety: immutable once built; may be read from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sql/functions/scalar_function.h"
#include "sql/parser/source_location.h"
#include "sql/types/logical_type.h"
#include "sql/types/value.h"

namespace trailbook::sql {

struct LogicalOperator;

// A column produced by a plan operator.
struct ColumnBinding {
  uint32_t table = 0;
  uint32_t column = 0;
  bool operator==(const ColumnBinding&) const = default;
  bool operator<(const ColumnBinding& o) const {
    return table != o.table ? table < o.table : column < o.column;
  }
};

enum class BoundExprKind : uint8_t {
  kConstant,
  kColumnRef,
  kLambdaParam,      // A lambda parameter; `index` is its slot.
  kLambda,           // A lambda argument of a kCall; children[0] is the body.
  kCall,             // A scalar function or operator.
  kAnd,              // Three-valued, lazy: two or more children.
  kOr,
  kNot,
  kIsNull,           // negated: IS NOT NULL
  kIsDistinctFrom,   // negated: IS NOT DISTINCT FROM
  kInList,           // children[0] IN (children[1..]); negated: NOT IN. Three-valued.
  kCase,             // children: when0, then0, when1, then1, ..., [else] (has_else).
  kCoalesce,         // Lazy: the first non-NULL child.
  kSubquery,         // An uncorrelated subquery; replaced by constants before execution.
};

enum class SubqueryKind : uint8_t {
  kScalar,  // (SELECT x ...): the single value, NULL for no rows, error for several.
  kExists,  // EXISTS (SELECT ...)
  kIn,      // children[0] [NOT] IN (SELECT x ...)
};

struct BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  LogicalType type;
  SourceLocation location;

  Value value;                    // kConstant
  // kConstant: the index of the PlanSlot (logical_plan.h) this value was bound from (a
  // :name parameter or now()), when the binder tagged slots; -1 for every other constant.
  // A plan whose slots are tagged is re-executed with other slot values (QueryEngine's
  // plan cache), so nothing may be derived from a tagged value at bind time.
  int slot = -1;
  ColumnBinding binding;          // kColumnRef
  int index = -1;                 // kColumnRef: position in the input (after resolution);
                                  // kLambdaParam: slot; kLambda: first parameter slot.
  std::string name;               // kCall: function name; kColumnRef: column name.
  std::shared_ptr<const BoundScalarFunction> function;  // kCall
  std::vector<BoundExprPtr> children;
  bool negated = false;           // kIsNull, kIsDistinctFrom, kInList, kSubquery (IN)
  bool has_else = false;          // kCase
  size_t lambda_arity = 0;        // kLambda: number of parameters.
  SubqueryKind subquery_kind = SubqueryKind::kScalar;
  std::shared_ptr<const LogicalOperator> subquery;  // kSubquery

  // Returns a deep copy (kernels and subquery plans are shared).
  BoundExprPtr Clone() const;
  // Returns a readable SQL-like rendering, for EXPLAIN and messages.
  std::string ToString() const;
};

BoundExprPtr MakeConstant(Value value, SourceLocation location = {});
BoundExprPtr MakeColumn(ColumnBinding binding, LogicalType type, std::string name,
                        SourceLocation location = {});
BoundExprPtr MakeCall(std::string name, std::shared_ptr<const BoundScalarFunction> function,
                      std::vector<BoundExprPtr> args, SourceLocation location = {});
// Builds kAnd/kOr from `terms`, flattening nested nodes of the same kind; a single term is
// returned as is. REQUIRES: terms is not empty.
BoundExprPtr MakeConjunction(BoundExprKind kind, std::vector<BoundExprPtr> terms);
BoundExprPtr MakeNode(BoundExprKind kind, LogicalType type, std::vector<BoundExprPtr> children,
                      SourceLocation location = {});

// Structural equality (ignores locations): the test GROUP BY matching uses.
bool Equal(const BoundExpr& a, const BoundExpr& b);

// Calls `fn` on `e` and every node below it (parents first). Does not enter subquery plans.
void VisitExpr(const BoundExpr& e, const std::function<void(const BoundExpr&)>& fn);
void VisitExprMutable(BoundExpr& e, const std::function<void(BoundExpr&)>& fn);

// Returns true when no node below `e` is a column reference or lambda parameter (subquery
// plans are independent of the row), i.e. the value is the same for every row.
bool IsRowIndependent(const BoundExpr& e);
// Returns true when every function below `e` is deterministic and there is no subquery.
bool IsDeterministic(const BoundExpr& e);
// Collects the column bindings `e` refers to.
void CollectBindings(const BoundExpr& e, std::vector<ColumnBinding>* out);
// Returns true when every column `e` refers to belongs to one of `tables`.
bool ReferencesOnly(const BoundExpr& e, const std::vector<uint32_t>& tables);

// Splits an AND tree into its conjuncts (moving them out of `e`).
void SplitConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out);

// Returns the SQL spelling of an operator function ("$eq" -> "="), or "" for other names.
std::string_view OperatorSpelling(std::string_view function_name);

}  // namespace trailbook::sql
