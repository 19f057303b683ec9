// File: sql/parser/ast.h
//
// The abstract syntax tree of a CloudTrail Lake (Trino-style) query, as produced by Parse()
// (parser.h) and printed back by ast_printer.h. Names are not resolved: a column path such as
// `userIdentity.sessionContext.sessionIssuer.arn` is a ColumnRef with four parts and the binder
// decides which prefix (if any) names a table. Every node carries the SourceLocation of the text
// it came from, for located errors (source_location.h).
//
//   const Query& q = *statement->query;
//   const auto& select = q.body->As<SelectBody>();
//   for (const SelectItem& item : select.items) { ... item.expr->kind ... }
//
// Shape:
//   Statement -> Query { WITH ctes; QueryBody body; ORDER BY; OFFSET; LIMIT }
//   QueryBody = SelectBody | SetOperationBody | ValuesBody | NestedQueryBody
//   Relation  = TableRelation | SubqueryRelation | UnnestRelation | JoinRelation
//   Expr      = one struct per ExprKind (literals, ColumnRef, BinaryExpr, FunctionCall, ...)
//
// Ownership: each node owns its children through std::unique_ptr (a parent outlives its
// children; moving a subtree out is allowed). Nodes own their strings, so an AST does not
// refer to the query text. Nodes are not copyable.
//
// Invariants (of trees built by Parse):
//   - Pointer fields documented as "nullable" may be null; every other pointer is non-null.
//   - LogicalExpr has at least two terms and none of its terms is a LogicalExpr with the same
//     operator (AND/OR chains are flattened, as associativity allows).
//   - A FieldAccess never has a ColumnRef base (`(a).b` is the ColumnRef a.b).
//   - Tree height is bounded by ParseOptions::max_depth times a small constant, so recursive
//     walks over a parsed tree cannot exhaust the stack.
//
// Thread safety: immutable trees may be read from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "base/status.h"
#include "sql/parser/source_location.h"

namespace trailbook::sql {

struct Expr;
struct Query;
struct QueryBody;
struct Relation;
struct TypeName;

using ExprPtr = std::unique_ptr<Expr>;
using QueryPtr = std::unique_ptr<Query>;
using QueryBodyPtr = std::unique_ptr<QueryBody>;
using RelationPtr = std::unique_ptr<Relation>;

// A name as written. Trino compares identifiers case-insensitively (quoted ones too), so use
// Matches()/Canonical() for lookups and `name` for output column names and messages.
struct Identifier {
  std::string name;     // Unescaped: "a""b" is stored as a"b.
  bool quoted = false;  // Written in double quotes.
  SourceLocation location;

  // Returns true when `other` names the same thing (ASCII case-insensitive).
  bool Matches(std::string_view other) const;
  // Returns the ASCII-lower-cased name, the key for case-insensitive maps.
  std::string Canonical() const;
};

// ----------------------------------------------------------------------------------------
// Types (CAST targets). Names are not validated by the parser.

struct TypeParameter {
  enum class Kind : uint8_t { kNumber, kType };
  Kind kind = Kind::kNumber;
  int64_t number = 0;                    // kNumber: varchar(10), decimal(10, 2).
  std::optional<Identifier> field_name;  // kType inside row(...): row(a varchar).
  std::unique_ptr<TypeName> type;        // kType: array(varchar), map(varchar, bigint).
};

// A type such as `varchar`, `varchar(10)`, `timestamp(3) with time zone`, `array(varchar)`,
// `map(varchar, varchar)`, `row(a varchar, b bigint)`, `decimal(10, 2)`.
struct TypeName {
  // Lower-case base name. Multi-word types use one space: "timestamp with time zone",
  // "time with time zone", "interval day to second"; "double precision" is "double";
  // `array<T>` and `map<K, V>` are "array" and "map".
  std::string name;
  std::vector<TypeParameter> parameters;  // Precision, length, element and field types.
  SourceLocation location;
};

// ----------------------------------------------------------------------------------------
// Expressions.

enum class ExprKind : uint8_t {
  kNullLiteral,      // NULL
  kBooleanLiteral,   // TRUE, FALSE
  kIntegerLiteral,   // 42 (fits in int64)
  kDecimalLiteral,   // 1.50, and integers beyond int64 (up to 38 digits), as Trino's DECIMAL
  kDoubleLiteral,    // 1e3
  kStringLiteral,    // 'text', U&'text'
  kTypedLiteral,     // TIMESTAMP '2026-01-01 00:00:00', DATE '...', JSON '...', <type> '...'
  kIntervalLiteral,  // INTERVAL '7' DAY
  kColumnRef,        // eventName, userIdentity.arn, t.col.field
  kParameter,        // :name
  kFieldAccess,      // <expr>.field where <expr> is not a name path: element_at(r, 1).arn
  kSubscript,        // a[1], m['key']
  kUnary,            // NOT x, -x, +x
  kBinary,           // comparisons, IS [NOT] DISTINCT FROM, + - * / %, ||
  kLogical,          // AND / OR over two or more terms
  kBetween,          // x [NOT] BETWEEN a AND b
  kInList,           // x [NOT] IN (a, b)
  kInSubquery,       // x [NOT] IN (SELECT ...)
  kLike,             // x [NOT] LIKE p [ESCAPE e]
  kIsNull,           // x IS [NOT] NULL
  kExists,           // EXISTS (SELECT ...)
  kScalarSubquery,   // (SELECT ...)
  kFunctionCall,     // f(...), aggregates, window functions
  kCast,             // CAST(x AS t), TRY_CAST(x AS t)
  kCase,             // CASE [x] WHEN ... THEN ... [ELSE ...] END
  kArray,            // ARRAY[a, b]
  kRow,              // ROW(a, b), (a, b)
  kLambda,           // x -> e, (x, y) -> e  (only as function arguments)
  kCurrentTime,      // CURRENT_DATE, CURRENT_TIMESTAMP[(p)], LOCALTIMESTAMP, ...
  kAtTimeZone,       // x AT TIME ZONE 'UTC'
};

// Returns the enumerator's name without the k, e.g. "FunctionCall".
std::string_view ExprKindName(ExprKind kind);

// Base of all expression nodes. Use `kind` (or Is<T>()) then As<T>() to reach the node.
struct Expr {
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  template <typename T>
  bool Is() const {
    return kind == T::kKind;
  }
  // REQUIRES: Is<T>().
  template <typename T>
  const T& As() const {
    TB_DCHECK(kind == T::kKind) << "Expr is " << ExprKindName(kind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    TB_DCHECK(kind == T::kKind) << "Expr is " << ExprKindName(kind);
    return static_cast<T&>(*this);
  }

  const ExprKind kind;
  SourceLocation location;  // The whole expression's text.
};

struct NullLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kNullLiteral;
  NullLiteral() : Expr(kKind) {}
};

struct BooleanLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kBooleanLiteral;
  BooleanLiteral() : Expr(kKind) {}
  bool value = false;
};

// A non-negative integer literal that fits in int64 (a leading minus is a UnaryExpr).
struct IntegerLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kIntegerLiteral;
  IntegerLiteral() : Expr(kKind) {}
  int64_t value = 0;
};

// A DECIMAL literal kept as written ("1.50", ".5", "5."), or an integer literal too large for
// int64 (at most 38 digits), as Trino types such literals DECIMAL.
struct DecimalLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kDecimalLiteral;
  DecimalLiteral() : Expr(kKind) {}
  std::string text;
};

// A DOUBLE literal (it has an exponent). `value` is finite.
struct DoubleLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kDoubleLiteral;
  DoubleLiteral() : Expr(kKind) {}
  double value = 0;
  std::string text;  // As written, e.g. "1E3".
};

struct StringLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kStringLiteral;
  StringLiteral() : Expr(kKind) {}
  std::string value;  // Unescaped UTF-8.
};

// `<type> 'value'`: TIMESTAMP '2026-01-01 00:00:00.000', DATE '2026-01-01', TIME '...',
// JSON '{}', DECIMAL '1.5', ... The value is not validated by the parser.
struct TypedLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kTypedLiteral;
  TypedLiteral() : Expr(kKind) {}
  Identifier type;  // As written; compare with Matches("timestamp").
  std::string value;
};

enum class IntervalField : uint8_t { kYear, kMonth, kDay, kHour, kMinute, kSecond };
std::string_view IntervalFieldName(IntervalField field);  // "DAY"

// INTERVAL [+|-] 'value' start [TO end]. The value text is not validated by the parser.
struct IntervalLiteral final : Expr {
  static constexpr ExprKind kKind = ExprKind::kIntervalLiteral;
  IntervalLiteral() : Expr(kKind) {}
  bool negative = false;
  std::string value;
  IntervalField start = IntervalField::kDay;
  std::optional<IntervalField> end;
};

// A dotted name path, unresolved: [eventName], [userIdentity, arn], [t, resources].
struct ColumnRef final : Expr {
  static constexpr ExprKind kKind = ExprKind::kColumnRef;
  ColumnRef() : Expr(kKind) {}
  std::vector<Identifier> parts;  // At least one.
};

// A runbook parameter `:name`; bound by the runbook layer, never spliced as text.
struct Parameter final : Expr {
  static constexpr ExprKind kKind = ExprKind::kParameter;
  Parameter() : Expr(kKind) {}
  std::string name;  // Without the colon, as written.
};

// `base.field` where base is not a name path, e.g. element_at(resources, 1).arn or a[1].b.
struct FieldAccess final : Expr {
  static constexpr ExprKind kKind = ExprKind::kFieldAccess;
  FieldAccess() : Expr(kKind) {}
  ExprPtr base;
  Identifier field;
};

// `base[index]`: 1-based array element or map value by key.
struct Subscript final : Expr {
  static constexpr ExprKind kKind = ExprKind::kSubscript;
  Subscript() : Expr(kKind) {}
  ExprPtr base;
  ExprPtr index;
};

enum class UnaryOp : uint8_t { kNot, kMinus, kPlus };

struct UnaryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryExpr() : Expr(kKind) {}
  UnaryOp op = UnaryOp::kNot;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  kEqual,
  kNotEqual,  // <> and !=
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kIsDistinctFrom,
  kIsNotDistinctFrom,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kConcat,  // ||
};

// Returns true for = <> < <= > >= and IS [NOT] DISTINCT FROM.
bool IsComparison(BinaryOp op);
// Returns the SQL spelling: "=", "<>", "IS DISTINCT FROM", "||", ...
std::string_view BinaryOpSpelling(BinaryOp op);

struct BinaryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryExpr() : Expr(kKind) {}
  BinaryOp op = BinaryOp::kEqual;
  ExprPtr left;
  ExprPtr right;
  SourceLocation op_location;  // The operator token(s), for type errors.
};

enum class LogicalOp : uint8_t { kAnd, kOr };

// `t1 AND t2 AND ...` or `t1 OR t2 OR ...` (flattened; see the invariants above).
struct LogicalExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kLogical;
  LogicalExpr() : Expr(kKind) {}
  LogicalOp op = LogicalOp::kAnd;
  std::vector<ExprPtr> terms;  // Two or more.
};

struct BetweenExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kBetween;
  BetweenExpr() : Expr(kKind) {}
  bool negated = false;
  ExprPtr value;
  ExprPtr low;
  ExprPtr high;
};

struct InListExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kInList;
  InListExpr() : Expr(kKind) {}
  bool negated = false;
  ExprPtr value;
  std::vector<ExprPtr> list;  // One or more.
};

struct InSubqueryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kInSubquery;
  InSubqueryExpr() : Expr(kKind) {}
  bool negated = false;
  ExprPtr value;
  QueryPtr query;
};

struct LikeExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kLike;
  LikeExpr() : Expr(kKind) {}
  bool negated = false;
  ExprPtr value;
  ExprPtr pattern;
  ExprPtr escape;  // Nullable.
};

struct IsNullExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kIsNull;
  IsNullExpr() : Expr(kKind) {}
  bool negated = false;  // IS NOT NULL.
  ExprPtr value;
};

struct ExistsExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kExists;
  ExistsExpr() : Expr(kKind) {}
  QueryPtr query;
};

struct ScalarSubquery final : Expr {
  static constexpr ExprKind kKind = ExprKind::kScalarSubquery;
  ScalarSubquery() : Expr(kKind) {}
  QueryPtr query;
};

enum class NullOrdering : uint8_t { kUnspecified, kFirst, kLast };

// One ORDER BY key. Trino's defaults apply when unspecified: ascending, NULLS LAST.
struct OrderItem {
  ExprPtr expr;  // May be an integer ordinal or an output alias; the binder decides.
  bool descending = false;
  NullOrdering nulls = NullOrdering::kUnspecified;
  SourceLocation location;
};

enum class FrameUnit : uint8_t { kRows, kRange, kGroups };
enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  // <offset> PRECEDING
  kCurrentRow,
  kFollowing,  // <offset> FOLLOWING
  kUnboundedFollowing,
};

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  ExprPtr offset;  // Nullable; set for kPreceding and kFollowing.
  SourceLocation location;
};

// ROWS|RANGE|GROUPS start, or ROWS|RANGE|GROUPS BETWEEN start AND end.
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRows;
  FrameBound start;
  std::optional<FrameBound> end;
  SourceLocation location;
};

// OVER (...) or a WINDOW clause definition. `OVER w` is a spec with only existing_window.
struct WindowSpec {
  std::optional<Identifier> existing_window;
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  std::optional<WindowFrame> frame;
  SourceLocation location;
};

enum class NullTreatment : uint8_t { kUnspecified, kIgnoreNulls, kRespectNulls };

// A function, aggregate or window function call. The special syntaxes are desugared into
// plain calls: EXTRACT(f FROM x) is f(x) (year, hour, day_of_week, ...), SUBSTRING(s FROM a
// FOR b) is substring(s, a, b), POSITION(a IN b) is strpos(b, a), TRIM([BOTH|LEADING|TRAILING]
// [c] FROM s) is trim/ltrim/rtrim(s[, c]).
struct FunctionCall final : Expr {
  static constexpr ExprKind kKind = ExprKind::kFunctionCall;
  FunctionCall() : Expr(kKind) {}
  Identifier name;
  bool distinct = false;  // f(DISTINCT x)
  bool star = false;      // f(*), as in count(*); args is then empty.
  std::vector<ExprPtr> args;
  std::vector<OrderItem> order_by;  // array_agg(x ORDER BY y)
  ExprPtr filter;                   // Nullable: FILTER (WHERE ...).
  NullTreatment null_treatment = NullTreatment::kUnspecified;
  std::unique_ptr<WindowSpec> over;  // Nullable: OVER (...).
};

struct CastExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kCast;
  CastExpr() : Expr(kKind) {}
  bool try_cast = false;
  ExprPtr value;
  TypeName type;
};

struct WhenClause {
  ExprPtr condition;  // The compared value for a simple CASE.
  ExprPtr result;
  SourceLocation location;
};

// Simple (`CASE x WHEN 1 THEN ...`) when operand is set, searched otherwise.
struct CaseExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kCase;
  CaseExpr() : Expr(kKind) {}
  ExprPtr operand;                // Nullable.
  std::vector<WhenClause> whens;  // One or more.
  ExprPtr else_result;            // Nullable.
};

struct ArrayExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kArray;
  ArrayExpr() : Expr(kKind) {}
  std::vector<ExprPtr> elements;  // May be empty: ARRAY[].
};

struct RowExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kRow;
  RowExpr() : Expr(kKind) {}
  std::vector<ExprPtr> fields;  // One or more.
};

struct LambdaExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kLambda;
  LambdaExpr() : Expr(kKind) {}
  std::vector<Identifier> params;  // May be empty: () -> 1.
  ExprPtr body;
};

enum class CurrentTimeFunction : uint8_t {
  kCurrentDate,
  kCurrentTime,
  kCurrentTimestamp,
  kLocalTime,
  kLocalTimestamp,
};

// The niladic datetime functions written without parentheses. `now()` is a FunctionCall.
struct CurrentTimeExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kCurrentTime;
  CurrentTimeExpr() : Expr(kKind) {}
  CurrentTimeFunction function = CurrentTimeFunction::kCurrentTimestamp;
  std::optional<int64_t> precision;  // CURRENT_TIMESTAMP(3).
};

// `value AT TIME ZONE zone`; zone is a StringLiteral or an IntervalLiteral.
struct AtTimeZoneExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kAtTimeZone;
  AtTimeZoneExpr() : Expr(kKind) {}
  ExprPtr value;
  ExprPtr zone;
};

// ----------------------------------------------------------------------------------------
// Relations (FROM).

enum class RelationKind : uint8_t { kTable, kSubquery, kUnnest, kJoin };

struct Relation {
  explicit Relation(RelationKind k) : kind(k) {}
  virtual ~Relation() = default;
  Relation(const Relation&) = delete;
  Relation& operator=(const Relation&) = delete;

  template <typename T>
  bool Is() const {
    return kind == T::kKind;
  }
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

  const RelationKind kind;
  SourceLocation location;
};

// `AS name (col, ...)`.
struct TableAlias {
  Identifier name;
  std::vector<Identifier> columns;  // Optional column aliases.
};

enum class TableNameKind : uint8_t {
  kQualified,       // events, "events", catalog.schema.table
  kEventDataStore,  // A bare event-data-store UUID, or a quoted UUID or EDS ARN.
  kPlaceholder,     // $EDS_ID, ${EDS_ID}, <EDS ID>: bound to the store by the binder.
};

struct TableName {
  TableNameKind kind = TableNameKind::kQualified;
  std::vector<Identifier> parts;  // kQualified only.
  // kEventDataStore: the UUID or ARN without quotes; kPlaceholder: the text as written,
  // delimiters included ("$EDS_ID", "<EDS ID>").
  std::string text;
  // kEventDataStore: the id part (the UUID, or what follows "eventdatastore/" in an ARN).
  std::string event_data_store_id;
  SourceLocation location;
};

struct TableRelation final : Relation {
  static constexpr RelationKind kKind = RelationKind::kTable;
  TableRelation() : Relation(kKind) {}
  TableName name;
  std::optional<TableAlias> alias;
};

struct SubqueryRelation final : Relation {
  static constexpr RelationKind kKind = RelationKind::kSubquery;
  SubqueryRelation() : Relation(kKind) {}
  QueryPtr query;
  std::optional<TableAlias> alias;
};

// UNNEST(e1, e2, ...) [WITH ORDINALITY] [AS t(c1, ...)], as in CROSS JOIN UNNEST(resources).
struct UnnestRelation final : Relation {
  static constexpr RelationKind kKind = RelationKind::kUnnest;
  UnnestRelation() : Relation(kKind) {}
  std::vector<ExprPtr> args;  // One or more.
  bool with_ordinality = false;
  std::optional<TableAlias> alias;
};

enum class JoinType : uint8_t {
  kInner,
  kLeft,
  kRight,
  kFull,
  kCross,
  kImplicit,  // FROM a, b
};
std::string_view JoinTypeName(JoinType type);  // "LEFT JOIN", "," for kImplicit

// Joins are left-deep: `a JOIN b ON x JOIN c ON y` is Join(Join(a, b), c).
struct JoinRelation final : Relation {
  static constexpr RelationKind kKind = RelationKind::kJoin;
  JoinRelation() : Relation(kKind) {}
  JoinType type = JoinType::kInner;
  RelationPtr left;
  RelationPtr right;
  ExprPtr on;                             // Nullable: set for ON.
  std::vector<Identifier> using_columns;  // Set for USING (...).
};

// ----------------------------------------------------------------------------------------
// Queries.

enum class SelectItemKind : uint8_t {
  kExpr,        // expr [AS alias]
  kAllColumns,  // * or qualifier.*
};

struct SelectItem {
  SelectItemKind kind = SelectItemKind::kExpr;
  ExprPtr expr;                       // kExpr only.
  std::optional<Identifier> alias;    // kExpr only.
  std::vector<Identifier> qualifier;  // kAllColumns: empty for *, [t] for t.*.
  SourceLocation location;
};

struct NamedWindow {
  Identifier name;
  WindowSpec spec;
  SourceLocation location;
};

enum class QueryBodyKind : uint8_t { kSelect, kSetOperation, kValues, kNested };

struct QueryBody {
  explicit QueryBody(QueryBodyKind k) : kind(k) {}
  virtual ~QueryBody() = default;
  QueryBody(const QueryBody&) = delete;
  QueryBody& operator=(const QueryBody&) = delete;

  template <typename T>
  bool Is() const {
    return kind == T::kKind;
  }
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

  const QueryBodyKind kind;
  SourceLocation location;
};

struct SelectBody final : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kSelect;
  SelectBody() : QueryBody(kKind) {}
  bool distinct = false;
  std::vector<SelectItem> items;  // One or more.
  RelationPtr from;               // Nullable: SELECT 1.
  ExprPtr where;                  // Nullable.
  std::vector<ExprPtr> group_by;  // Expressions; integer ordinals allowed.
  ExprPtr having;                 // Nullable.
  std::vector<NamedWindow> windows;
};

enum class SetOperator : uint8_t { kUnion, kExcept, kIntersect };
std::string_view SetOperatorName(SetOperator op);  // "UNION"

// left op [ALL|DISTINCT] right. INTERSECT binds tighter than UNION and EXCEPT; all are
// left-associative.
struct SetOperationBody final : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kSetOperation;
  SetOperationBody() : QueryBody(kKind) {}
  SetOperator op = SetOperator::kUnion;
  bool all = false;  // UNION ALL; false means DISTINCT (the default).
  QueryBodyPtr left;
  QueryBodyPtr right;
};

// VALUES row, row, ...; a row is a RowExpr for several columns or any other expression for one.
struct ValuesBody final : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kValues;
  ValuesBody() : QueryBody(kKind) {}
  std::vector<ExprPtr> rows;
};

// A parenthesized query used as a set operand: `(SELECT ... ORDER BY ... LIMIT 5) UNION ...`.
struct NestedQueryBody final : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kNested;
  NestedQueryBody() : QueryBody(kKind) {}
  QueryPtr query;
};

struct CommonTableExpr {
  Identifier name;
  std::vector<Identifier> columns;  // WITH t(a, b) AS (...)
  QueryPtr query;
  SourceLocation location;
};

// A full query. LIMIT n, FETCH FIRST n ROWS ONLY and FETCH ... WITH TIES all set `limit`.
// Parse never returns a Query whose body is a NestedQueryBody without any clause of its own
// (redundant parentheses are dropped).
struct Query {
  std::vector<CommonTableExpr> with;
  QueryBodyPtr body;
  std::vector<OrderItem> order_by;
  ExprPtr offset;                // Nullable; an IntegerLiteral or a Parameter.
  ExprPtr limit;                 // Nullable (also for LIMIT ALL); an IntegerLiteral or a Parameter.
  bool limit_with_ties = false;  // FETCH FIRST n ROWS WITH TIES.
  SourceLocation location;
};

// The parsed statement: always a query, since trailbook stores are read-only.
struct Statement {
  QueryPtr query;
  SourceLocation location;
};

// ----------------------------------------------------------------------------------------
// Whole-tree helpers.

// Structural equality, ignoring source locations. Identifiers compare exactly (spelling and
// quoting), numbers by their text; this is the equality of `Parse(Print(Parse(q)))` round trips.
bool Equal(const Expr& a, const Expr& b);
bool Equal(const Query& a, const Query& b);
bool Equal(const Statement& a, const Statement& b);
bool Equal(const TypeName& a, const TypeName& b);

// Checks the invariants listed at the top of this file and the documented non-null fields of
// every node; returns kInternal naming the first violation. Parse only returns trees that pass;
// tests and the fuzzer call it on every parse, and code that builds or rewrites trees may too.
Status Verify(const Statement& statement);

// Calls `fn` on each direct child expression of `e` that is evaluated in the same query
// scope: operands, arguments, FILTER, window PARTITION BY/ORDER BY/frame offsets, CASE arms,
// lambda bodies. Subqueries (EXISTS, IN (SELECT), scalar) are not entered.
void ForEachChild(const Expr& e, const std::function<void(const Expr&)>& fn);

// Calls `fn` on every expression of `statement`, in every scope (subqueries, CTEs, joins,
// ORDER BY, LIMIT), parents before children. Useful to collect Parameters.
void VisitAllExpressions(const Statement& statement, const std::function<void(const Expr&)>& fn);

}  // namespace trailbook::sql
