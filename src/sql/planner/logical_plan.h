// File: sql/planner/logical_plan.h
//
// The logical plan: a tree of relational operators the binder builds from a query and the
// optimizer rewrites (optimizer.h); the executor's physical planner turns it into operators.
//
//   TB_ASSIGN_OR_RETURN(BoundQuery q, Bind(statement, context));
//   std::string text = PlanToString(*q.root);
//
//   Project  <- Filter <- Scan(events)       (children[0] is the input)
//
// Every operator outputs an ordered list of columns, each named by a ColumnBinding (see
// bound_expr.h): operators that compute columns (Scan, Project, Aggregate, Window, Unnest,
// Values, SetOperation) own a table index; Filter, Sort, Limit and Join pass their inputs'
// bindings through.
//
// Ownership: an operator owns its children. Thread safety: immutable once optimized.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/parser/ast.h"
#include "sql/planner/bound_expr.h"
#include "sql/planner/catalog.h"

namespace trailbook::sql {

enum class LogicalOperatorKind : uint8_t {
  kScan,
  kValues,
  kFilter,
  kProject,
  kAggregate,
  kWindow,
  kSort,
  kLimit,
  kJoin,
  kUnnest,
  kSetOperation,
};

struct BoundOrder {
  BoundExprPtr expr;
  bool descending = false;
  bool nulls_first = false;  // Trino's default: NULLS LAST for both directions.
  BoundOrder Clone() const { return BoundOrder{expr->Clone(), descending, nulls_first}; }
};

// An aggregate call: count(*), sum(x), count(DISTINCT x) FILTER (WHERE ...), ...
struct BoundAggregate {
  std::string name;                 // Lower case, aliases resolved (any_value -> arbitrary).
  std::vector<BoundExprPtr> args;   // Empty for count(*).
  bool distinct = false;
  BoundExprPtr filter;              // Nullable.
  std::vector<BoundOrder> order_by;  // array_agg(x ORDER BY y).
  LogicalType type;                 // Result type.
  SourceLocation location;
  std::string ToString() const;
};

enum class FrameEdge : uint8_t {
  kUnboundedPreceding,
  kPreceding,
  kCurrentRow,
  kFollowing,
  kUnboundedFollowing,
};

struct BoundFrame {
  bool rows = false;  // ROWS (physical offsets) rather than RANGE (peers).
  FrameEdge start = FrameEdge::kUnboundedPreceding;
  FrameEdge end = FrameEdge::kCurrentRow;
  int64_t start_offset = 0;
  int64_t end_offset = 0;
};

// A window function call: rank() OVER (PARTITION BY a ORDER BY b), sum(x) OVER (...).
struct BoundWindowFunction {
  std::string name;  // Lower case.
  std::vector<BoundExprPtr> args;
  std::vector<BoundExprPtr> partition_by;
  std::vector<BoundOrder> order_by;
  BoundFrame frame;
  bool is_aggregate = false;  // An aggregate used as a window function.
  bool ignore_nulls = false;
  LogicalType type;
  SourceLocation location;
  std::string ToString() const;
};

struct LogicalOperator {
  explicit LogicalOperator(LogicalOperatorKind k) : kind(k) {}
  virtual ~LogicalOperator() = default;
  LogicalOperator(const LogicalOperator&) = delete;
  LogicalOperator& operator=(const LogicalOperator&) = delete;

  // The operator's output columns, in order, and their types.
  virtual std::vector<ColumnBinding> OutputBindings() const = 0;
  virtual std::vector<LogicalType> OutputTypes() const = 0;

  template <typename T>
  const T& As() const {
    TB_DCHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    TB_DCHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }

  const LogicalOperatorKind kind;
  std::vector<std::unique_ptr<LogicalOperator>> children;
};

using LogicalOperatorPtr = std::unique_ptr<LogicalOperator>;

// Reads the events table. Columns are added on demand as the binder resolves names
// (projection pushdown by construction); `filters` are conjuncts the optimizer pushed down.
struct LogicalScan final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kScan;
  LogicalScan() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;
  // Returns the binding of catalog column `catalog_index`, adding it to the output.
  ColumnBinding EnsureColumn(int catalog_index);

  uint32_t table = 0;
  const TableCatalog* catalog = nullptr;  // Must outlive the plan.
  std::vector<int> columns;               // Catalog indexes; binding column = catalog index.
  std::vector<BoundExprPtr> filters;      // Conjuncts over this scan's bindings.
};

// Constant rows (VALUES, or the single empty row of `SELECT 1`).
struct LogicalValues final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kValues;
  LogicalValues() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override { return types; }

  uint32_t table = 0;
  std::vector<LogicalType> types;
  std::vector<std::vector<BoundExprPtr>> rows;  // Row-independent expressions.
};

struct LogicalFilter final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kFilter;
  LogicalFilter() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  std::vector<BoundExprPtr> conditions;  // Conjuncts; a row passes when all are true.
};

struct LogicalProject final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kProject;
  LogicalProject() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  uint32_t table = 0;
  std::vector<BoundExprPtr> exprs;
};

// GROUP BY (groups may be empty: one global group) and aggregates. Outputs the groups
// (group_table) then the aggregates (aggregate_table). Also used for DISTINCT.
struct LogicalAggregate final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kAggregate;
  LogicalAggregate() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  uint32_t group_table = 0;
  uint32_t aggregate_table = 0;
  std::vector<BoundExprPtr> groups;
  std::vector<BoundAggregate> aggregates;
};

// Window functions: outputs the input columns followed by one column per function.
struct LogicalWindow final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kWindow;
  LogicalWindow() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  uint32_t table = 0;
  std::vector<BoundWindowFunction> functions;
};

struct LogicalSort final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kSort;
  LogicalSort() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  std::vector<BoundOrder> orders;
};

struct LogicalLimit final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kLimit;
  LogicalLimit() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  std::optional<int64_t> limit;  // nullopt: no limit (OFFSET only).
  int64_t offset = 0;
};

enum class LogicalJoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross };
std::string_view LogicalJoinTypeName(LogicalJoinType type);

// Outputs the left input's columns followed by the right input's.
struct LogicalJoin final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kJoin;
  LogicalJoin() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  LogicalJoinType type = LogicalJoinType::kInner;
  std::vector<BoundExprPtr> conditions;  // Conjuncts of ON (and pushed WHERE terms).
};

// How one UNNEST argument turns into columns.
enum class UnnestMode : uint8_t {
  kElements,   // array(T): one column of T.
  kRowFields,  // array(row(...)): one column per row field.
  kMapEntries  // map(K, V): key and value columns.
};

// CROSS JOIN UNNEST(...): for each input row, one output row per element (arguments of
// different lengths are padded with NULLs), plus the ordinality when requested.
struct LogicalUnnest final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kUnnest;
  LogicalUnnest() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override;

  uint32_t table = 0;
  std::vector<BoundExprPtr> args;
  std::vector<UnnestMode> modes;            // Per argument.
  std::vector<LogicalType> column_types;    // All produced columns (ordinality last).
  bool with_ordinality = false;
};

// UNION / INTERSECT / EXCEPT [ALL] of two inputs whose output types equal `types`.
struct LogicalSetOperation final : LogicalOperator {
  static constexpr LogicalOperatorKind kKind = LogicalOperatorKind::kSetOperation;
  LogicalSetOperation() : LogicalOperator(kKind) {}
  std::vector<ColumnBinding> OutputBindings() const override;
  std::vector<LogicalType> OutputTypes() const override { return types; }

  uint32_t table = 0;
  SetOperator op = SetOperator::kUnion;
  bool all = false;
  std::vector<LogicalType> types;
};

// A per-execution input of a plan bound with tagged slots (BinderContext::tag_slots): the
// constants tagged with the slot's index (BoundExpr::slot) take its value at each execution.
struct PlanSlot {
  enum class Kind : uint8_t {
    kParameter,    // :name
    kNow,          // now(), current_timestamp, localtimestamp: Value::Timestamp(now)
    kCurrentDate,  // current_date: Value::Date(day of now)
  };
  Kind kind = Kind::kParameter;
  std::string name;  // kParameter: the parameter's name.
  LogicalType type;  // The type every value of the slot must have.
};

// A bound query: the plan and the names of its output columns.
struct BoundQuery {
  LogicalOperatorPtr root;
  std::vector<std::string> names;
  // With tagged slots: the slots, and whether the plan holds for any non-NULL slot values
  // of the slots' types. False when binding read a tagged value (a parameter coerced to a
  // timestamp, LIMIT :n, a function specialised on a constant argument, ...): such a plan
  // is only valid for the values it was bound with.
  std::vector<PlanSlot> slots;
  bool reusable = false;
};

// Returns an indented rendering of the plan (one operator per line), for tests and EXPLAIN.
std::string PlanToString(const LogicalOperator& root);

// Calls `fn` on each expression root `op` itself holds: scan filters, VALUES rows, filter
// conditions, projections, groups, aggregate arguments, filters and orders, window function
// arguments, partitions and orders, sort orders, join conditions, UNNEST arguments. Not
// its children's, nor those inside subquery plans.
void ForEachOperatorExpression(const LogicalOperator& op,
                               const std::function<void(const BoundExpr&)>& fn);

// Calls `fn` on every expression root of `op` and of the operators below it (filters,
// projections, groups, aggregate arguments and filters, orders, window functions, join
// conditions, UNNEST arguments, VALUES rows), including those of subquery plans (kSubquery
// nodes), each subquery plan once.
void VisitPlanExpressions(const LogicalOperator& op, const std::function<void(const BoundExpr&)>& fn);

}  // namespace trailbook::sql
