#include "sql/parser/ast.h"

#include <cstddef>
#include <string>

namespace trailbook::sql {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// ---- Structural equality ----------------------------------------------------------------

bool Eq(const Identifier& a, const Identifier& b) {
  return a.name == b.name && a.quoted == b.quoted;
}

bool Eq(const std::vector<Identifier>& a, const std::vector<Identifier>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Eq(a[i], b[i])) return false;
  }
  return true;
}

bool Eq(const std::optional<Identifier>& a, const std::optional<Identifier>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || Eq(*a, *b);
}

bool Eq(const ExprPtr& a, const ExprPtr& b) {
  if (a == nullptr || b == nullptr) return a == nullptr && b == nullptr;
  return Equal(*a, *b);
}

bool Eq(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Eq(a[i], b[i])) return false;
  }
  return true;
}

bool Eq(const QueryPtr& a, const QueryPtr& b) {
  if (a == nullptr || b == nullptr) return a == nullptr && b == nullptr;
  return Equal(*a, *b);
}

bool Eq(const OrderItem& a, const OrderItem& b) {
  return Eq(a.expr, b.expr) && a.descending == b.descending && a.nulls == b.nulls;
}

bool Eq(const std::vector<OrderItem>& a, const std::vector<OrderItem>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Eq(a[i], b[i])) return false;
  }
  return true;
}

bool Eq(const FrameBound& a, const FrameBound& b) {
  return a.kind == b.kind && Eq(a.offset, b.offset);
}

bool Eq(const std::optional<WindowFrame>& a, const std::optional<WindowFrame>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a.has_value()) return true;
  if (a->unit != b->unit || !Eq(a->start, b->start)) return false;
  if (a->end.has_value() != b->end.has_value()) return false;
  return !a->end.has_value() || Eq(*a->end, *b->end);
}

bool Eq(const WindowSpec& a, const WindowSpec& b) {
  return Eq(a.existing_window, b.existing_window) && Eq(a.partition_by, b.partition_by) &&
         Eq(a.order_by, b.order_by) && Eq(a.frame, b.frame);
}

bool Eq(const std::unique_ptr<WindowSpec>& a, const std::unique_ptr<WindowSpec>& b) {
  if (a == nullptr || b == nullptr) return a == nullptr && b == nullptr;
  return Eq(*a, *b);
}

bool Eq(const std::optional<TableAlias>& a, const std::optional<TableAlias>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || (Eq(a->name, b->name) && Eq(a->columns, b->columns));
}

bool Eq(const TableName& a, const TableName& b) {
  return a.kind == b.kind && Eq(a.parts, b.parts) && a.text == b.text &&
         a.event_data_store_id == b.event_data_store_id;
}

bool Eq(const RelationPtr& a, const RelationPtr& b);

bool EqRelation(const Relation& a, const Relation& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case RelationKind::kTable: {
      const auto& x = a.As<TableRelation>();
      const auto& y = b.As<TableRelation>();
      return Eq(x.name, y.name) && Eq(x.alias, y.alias);
    }
    case RelationKind::kSubquery: {
      const auto& x = a.As<SubqueryRelation>();
      const auto& y = b.As<SubqueryRelation>();
      return Eq(x.query, y.query) && Eq(x.alias, y.alias);
    }
    case RelationKind::kUnnest: {
      const auto& x = a.As<UnnestRelation>();
      const auto& y = b.As<UnnestRelation>();
      return Eq(x.args, y.args) && x.with_ordinality == y.with_ordinality && Eq(x.alias, y.alias);
    }
    case RelationKind::kJoin: {
      const auto& x = a.As<JoinRelation>();
      const auto& y = b.As<JoinRelation>();
      return x.type == y.type && Eq(x.left, y.left) && Eq(x.right, y.right) && Eq(x.on, y.on) &&
             Eq(x.using_columns, y.using_columns);
    }
  }
  return false;
}

bool Eq(const RelationPtr& a, const RelationPtr& b) {
  if (a == nullptr || b == nullptr) return a == nullptr && b == nullptr;
  return EqRelation(*a, *b);
}

bool Eq(const QueryBodyPtr& a, const QueryBodyPtr& b) {
  if (a == nullptr || b == nullptr) return a == nullptr && b == nullptr;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case QueryBodyKind::kSelect: {
      const auto& x = a->As<SelectBody>();
      const auto& y = b->As<SelectBody>();
      if (x.distinct != y.distinct || x.items.size() != y.items.size()) return false;
      for (size_t i = 0; i < x.items.size(); ++i) {
        const SelectItem& p = x.items[i];
        const SelectItem& q = y.items[i];
        if (p.kind != q.kind || !Eq(p.expr, q.expr) || !Eq(p.alias, q.alias) ||
            !Eq(p.qualifier, q.qualifier)) {
          return false;
        }
      }
      if (x.windows.size() != y.windows.size()) return false;
      for (size_t i = 0; i < x.windows.size(); ++i) {
        if (!Eq(x.windows[i].name, y.windows[i].name) ||
            !Eq(x.windows[i].spec, y.windows[i].spec)) {
          return false;
        }
      }
      return Eq(x.from, y.from) && Eq(x.where, y.where) && Eq(x.group_by, y.group_by) &&
             Eq(x.having, y.having);
    }
    case QueryBodyKind::kSetOperation: {
      const auto& x = a->As<SetOperationBody>();
      const auto& y = b->As<SetOperationBody>();
      return x.op == y.op && x.all == y.all && Eq(x.left, y.left) && Eq(x.right, y.right);
    }
    case QueryBodyKind::kValues:
      return Eq(a->As<ValuesBody>().rows, b->As<ValuesBody>().rows);
    case QueryBodyKind::kNested:
      return Eq(a->As<NestedQueryBody>().query, b->As<NestedQueryBody>().query);
  }
  return false;
}

// ---- Traversal --------------------------------------------------------------------------

void VisitOrderItems(const std::vector<OrderItem>& items,
                     const std::function<void(const Expr&)>& fn) {
  for (const OrderItem& item : items) fn(*item.expr);
}

void VisitWindowSpec(const WindowSpec& spec, const std::function<void(const Expr&)>& fn) {
  for (const ExprPtr& e : spec.partition_by) fn(*e);
  VisitOrderItems(spec.order_by, fn);
  if (spec.frame.has_value()) {
    if (spec.frame->start.offset != nullptr) fn(*spec.frame->start.offset);
    if (spec.frame->end.has_value() && spec.frame->end->offset != nullptr) {
      fn(*spec.frame->end->offset);
    }
  }
}

// Walks every expression of a statement in all scopes (VisitAllExpressions).
class AllExpressionsWalker {
 public:
  explicit AllExpressionsWalker(const std::function<void(const Expr&)>& fn) : fn_(fn) {}

  void WalkQuery(const Query& q) {
    for (const CommonTableExpr& cte : q.with) WalkQuery(*cte.query);
    WalkBody(*q.body);
    for (const OrderItem& item : q.order_by) WalkExpr(*item.expr);
    if (q.offset != nullptr) WalkExpr(*q.offset);
    if (q.limit != nullptr) WalkExpr(*q.limit);
  }

 private:
  void WalkBody(const QueryBody& body) {
    switch (body.kind) {
      case QueryBodyKind::kSelect: {
        const auto& s = body.As<SelectBody>();
        for (const SelectItem& item : s.items) {
          if (item.expr != nullptr) WalkExpr(*item.expr);
        }
        if (s.from != nullptr) WalkRelation(*s.from);
        if (s.where != nullptr) WalkExpr(*s.where);
        for (const ExprPtr& e : s.group_by) WalkExpr(*e);
        if (s.having != nullptr) WalkExpr(*s.having);
        for (const NamedWindow& w : s.windows) {
          VisitWindowSpec(w.spec, [this](const Expr& e) { WalkExpr(e); });
        }
        return;
      }
      case QueryBodyKind::kSetOperation: {
        const auto& s = body.As<SetOperationBody>();
        WalkBody(*s.left);
        WalkBody(*s.right);
        return;
      }
      case QueryBodyKind::kValues:
        for (const ExprPtr& row : body.As<ValuesBody>().rows) WalkExpr(*row);
        return;
      case QueryBodyKind::kNested:
        WalkQuery(*body.As<NestedQueryBody>().query);
        return;
    }
  }

  void WalkRelation(const Relation& r) {
    switch (r.kind) {
      case RelationKind::kTable:
        return;
      case RelationKind::kSubquery:
        WalkQuery(*r.As<SubqueryRelation>().query);
        return;
      case RelationKind::kUnnest:
        for (const ExprPtr& e : r.As<UnnestRelation>().args) WalkExpr(*e);
        return;
      case RelationKind::kJoin: {
        const auto& j = r.As<JoinRelation>();
        WalkRelation(*j.left);
        WalkRelation(*j.right);
        if (j.on != nullptr) WalkExpr(*j.on);
        return;
      }
    }
  }

  void WalkExpr(const Expr& e) {
    fn_(e);
    switch (e.kind) {
      case ExprKind::kInSubquery:
        WalkExpr(*e.As<InSubqueryExpr>().value);
        WalkQuery(*e.As<InSubqueryExpr>().query);
        return;
      case ExprKind::kExists:
        WalkQuery(*e.As<ExistsExpr>().query);
        return;
      case ExprKind::kScalarSubquery:
        WalkQuery(*e.As<ScalarSubquery>().query);
        return;
      default:
        ForEachChild(e, [this](const Expr& child) { WalkExpr(child); });
        return;
    }
  }

  const std::function<void(const Expr&)>& fn_;
};

// Checks AST invariants (see Verify in ast.h), stopping at the first violation.
class Verifier {
 public:
  Status Check(const Statement& s) {
    Require(s.query != nullptr, "Statement.query is null");
    if (ok()) CheckQuery(*s.query);
    return status_;
  }

 private:
  bool ok() const { return status_.ok(); }
  void Require(bool condition, std::string_view what) {
    if (!condition && ok()) status_ = Internal("AST invariant violated: " + std::string(what));
  }
  bool Present(const void* p, std::string_view what) {
    Require(p != nullptr, std::string(what) + " is null");
    return ok();
  }

  void CheckQuery(const Query& q) {
    for (const CommonTableExpr& cte : q.with) {
      if (Present(cte.query.get(), "CommonTableExpr.query")) CheckQuery(*cte.query);
    }
    if (!Present(q.body.get(), "Query.body")) return;
    CheckBody(*q.body);
    Require(!q.body->Is<NestedQueryBody>() || !q.with.empty() || !q.order_by.empty() ||
                q.offset != nullptr || q.limit != nullptr,
            "Query with only a NestedQueryBody (redundant parentheses)");
    CheckOrderItems(q.order_by);
    for (const ExprPtr* count : {&q.offset, &q.limit}) {
      if (*count == nullptr) continue;
      Require((*count)->Is<IntegerLiteral>() || (*count)->Is<Parameter>(),
              "OFFSET/LIMIT is not an integer or a parameter");
      CheckExpr(**count);
    }
    Require(!q.limit_with_ties || q.limit != nullptr, "WITH TIES without a limit");
  }

  void CheckBody(const QueryBody& body) {
    switch (body.kind) {
      case QueryBodyKind::kSelect: {
        const auto& s = body.As<SelectBody>();
        Require(!s.items.empty(), "SELECT without items");
        for (const SelectItem& item : s.items) {
          if (item.kind == SelectItemKind::kExpr) {
            if (Present(item.expr.get(), "SelectItem.expr")) CheckExpr(*item.expr);
          } else {
            Require(item.expr == nullptr && !item.alias.has_value(), "'*' item with expr/alias");
          }
        }
        if (s.from != nullptr) CheckRelation(*s.from);
        if (s.where != nullptr) CheckExpr(*s.where);
        for (const ExprPtr& e : s.group_by) {
          if (Present(e.get(), "GROUP BY item")) CheckExpr(*e);
        }
        if (s.having != nullptr) CheckExpr(*s.having);
        for (const NamedWindow& w : s.windows) CheckWindow(w.spec);
        return;
      }
      case QueryBodyKind::kSetOperation: {
        const auto& s = body.As<SetOperationBody>();
        if (Present(s.left.get(), "SetOperationBody.left")) CheckBody(*s.left);
        if (Present(s.right.get(), "SetOperationBody.right")) CheckBody(*s.right);
        return;
      }
      case QueryBodyKind::kValues:
        Require(!body.As<ValuesBody>().rows.empty(), "VALUES without rows");
        CheckExprs(body.As<ValuesBody>().rows, "VALUES row");
        return;
      case QueryBodyKind::kNested:
        if (Present(body.As<NestedQueryBody>().query.get(), "NestedQueryBody.query")) {
          CheckQuery(*body.As<NestedQueryBody>().query);
        }
        return;
    }
  }

  void CheckRelation(const Relation& r) {
    switch (r.kind) {
      case RelationKind::kTable: {
        const TableName& n = r.As<TableRelation>().name;
        Require(n.kind == TableNameKind::kQualified ? !n.parts.empty() : !n.text.empty(),
                "TableName without parts or text");
        Require(n.kind != TableNameKind::kEventDataStore || !n.event_data_store_id.empty(),
                "event data store TableName without an id");
        return;
      }
      case RelationKind::kSubquery:
        if (Present(r.As<SubqueryRelation>().query.get(), "SubqueryRelation.query")) {
          CheckQuery(*r.As<SubqueryRelation>().query);
        }
        return;
      case RelationKind::kUnnest:
        Require(!r.As<UnnestRelation>().args.empty(), "UNNEST without arguments");
        CheckExprs(r.As<UnnestRelation>().args, "UNNEST argument");
        return;
      case RelationKind::kJoin: {
        const auto& j = r.As<JoinRelation>();
        if (Present(j.left.get(), "JoinRelation.left")) CheckRelation(*j.left);
        if (Present(j.right.get(), "JoinRelation.right")) CheckRelation(*j.right);
        bool criteria = j.on != nullptr || !j.using_columns.empty();
        bool needs_criteria = j.type != JoinType::kCross && j.type != JoinType::kImplicit;
        Require(criteria == needs_criteria, "join criteria do not match the join type");
        Require(j.on == nullptr || j.using_columns.empty(), "join with both ON and USING");
        if (j.on != nullptr) CheckExpr(*j.on);
        return;
      }
    }
  }

  // Checks a WINDOW clause definition and its expressions.
  void CheckWindow(const WindowSpec& w) {
    CheckWindowShape(w);
    if (ok()) VisitWindowSpec(w, [this](const Expr& e) { CheckExpr(e); });
  }

  // Checks the pointers of a window spec without entering its expressions.
  void CheckWindowShape(const WindowSpec& w) {
    for (const ExprPtr& e : w.partition_by) Present(e.get(), "PARTITION BY item");
    for (const OrderItem& o : w.order_by) Present(o.expr.get(), "window ORDER BY item");
    if (!w.frame.has_value()) return;
    CheckBoundShape(w.frame->start);
    if (w.frame->end.has_value()) CheckBoundShape(*w.frame->end);
  }

  void CheckBoundShape(const FrameBound& b) {
    bool offset = b.kind == FrameBoundKind::kPreceding || b.kind == FrameBoundKind::kFollowing;
    Require((b.offset != nullptr) == offset, "frame bound offset does not match its kind");
  }

  void CheckOrderItems(const std::vector<OrderItem>& items) {
    for (const OrderItem& item : items) {
      if (Present(item.expr.get(), "OrderItem.expr")) CheckExpr(*item.expr);
    }
  }

  void CheckExprs(const std::vector<ExprPtr>& list, std::string_view what) {
    for (const ExprPtr& e : list) {
      if (Present(e.get(), what)) CheckExpr(*e);
    }
  }

  void CheckExpr(const Expr& e) {
    if (!ok()) return;
    Require(e.location.known(), std::string(ExprKindName(e.kind)) + " without a location");
    switch (e.kind) {
      case ExprKind::kColumnRef:
        Require(!e.As<ColumnRef>().parts.empty(), "ColumnRef without parts");
        return;
      case ExprKind::kFieldAccess:
        if (Present(e.As<FieldAccess>().base.get(), "FieldAccess.base")) {
          Require(!e.As<FieldAccess>().base->Is<ColumnRef>(), "FieldAccess on a ColumnRef");
        }
        break;
      case ExprKind::kSubscript:
        Present(e.As<Subscript>().base.get(), "Subscript.base");
        Present(e.As<Subscript>().index.get(), "Subscript.index");
        break;
      case ExprKind::kUnary:
        Present(e.As<UnaryExpr>().operand.get(), "UnaryExpr.operand");
        break;
      case ExprKind::kBinary:
        Present(e.As<BinaryExpr>().left.get(), "BinaryExpr.left");
        Present(e.As<BinaryExpr>().right.get(), "BinaryExpr.right");
        break;
      case ExprKind::kLogical: {
        const auto& l = e.As<LogicalExpr>();
        Require(l.terms.size() >= 2, "LogicalExpr with fewer than two terms");
        for (const ExprPtr& t : l.terms) {
          if (!Present(t.get(), "LogicalExpr term")) return;
          Require(!t->Is<LogicalExpr>() || t->As<LogicalExpr>().op != l.op,
                  "LogicalExpr term with the same operator (not flattened)");
        }
        break;
      }
      case ExprKind::kBetween:
        Present(e.As<BetweenExpr>().value.get(), "BetweenExpr.value");
        Present(e.As<BetweenExpr>().low.get(), "BetweenExpr.low");
        Present(e.As<BetweenExpr>().high.get(), "BetweenExpr.high");
        break;
      case ExprKind::kInList:
        Present(e.As<InListExpr>().value.get(), "InListExpr.value");
        Require(!e.As<InListExpr>().list.empty(), "IN list without values");
        for (const ExprPtr& v : e.As<InListExpr>().list) Present(v.get(), "IN list value");
        break;
      case ExprKind::kInSubquery:
        if (Present(e.As<InSubqueryExpr>().value.get(), "InSubqueryExpr.value") &&
            Present(e.As<InSubqueryExpr>().query.get(), "InSubqueryExpr.query")) {
          CheckExpr(*e.As<InSubqueryExpr>().value);
          CheckQuery(*e.As<InSubqueryExpr>().query);
        }
        return;
      case ExprKind::kLike:
        Present(e.As<LikeExpr>().value.get(), "LikeExpr.value");
        Present(e.As<LikeExpr>().pattern.get(), "LikeExpr.pattern");
        break;
      case ExprKind::kIsNull:
        Present(e.As<IsNullExpr>().value.get(), "IsNullExpr.value");
        break;
      case ExprKind::kExists:
        if (Present(e.As<ExistsExpr>().query.get(), "ExistsExpr.query")) {
          CheckQuery(*e.As<ExistsExpr>().query);
        }
        return;
      case ExprKind::kScalarSubquery:
        if (Present(e.As<ScalarSubquery>().query.get(), "ScalarSubquery.query")) {
          CheckQuery(*e.As<ScalarSubquery>().query);
        }
        return;
      case ExprKind::kFunctionCall: {
        const auto& f = e.As<FunctionCall>();
        Require(!f.star || (f.args.empty() && !f.distinct), "f(*) with arguments or DISTINCT");
        for (const ExprPtr& a : f.args) Present(a.get(), "FunctionCall argument");
        for (const OrderItem& o : f.order_by) Present(o.expr.get(), "FunctionCall ORDER BY item");
        Require(f.null_treatment == NullTreatment::kUnspecified || f.over != nullptr,
                "IGNORE/RESPECT NULLS without OVER");
        if (f.over != nullptr) CheckWindowShape(*f.over);
        break;
      }
      case ExprKind::kCast:
        Present(e.As<CastExpr>().value.get(), "CastExpr.value");
        Require(!e.As<CastExpr>().type.name.empty(), "CastExpr without a type name");
        break;
      case ExprKind::kCase:
        Require(!e.As<CaseExpr>().whens.empty(), "CASE without WHEN");
        for (const WhenClause& w : e.As<CaseExpr>().whens) {
          Present(w.condition.get(), "WhenClause.condition");
          Present(w.result.get(), "WhenClause.result");
        }
        break;
      case ExprKind::kRow:
        Require(!e.As<RowExpr>().fields.empty(), "ROW without fields");
        for (const ExprPtr& f : e.As<RowExpr>().fields) Present(f.get(), "ROW field");
        break;
      case ExprKind::kArray:
        for (const ExprPtr& x : e.As<ArrayExpr>().elements) Present(x.get(), "ARRAY element");
        break;
      case ExprKind::kLambda:
        Present(e.As<LambdaExpr>().body.get(), "LambdaExpr.body");
        break;
      case ExprKind::kAtTimeZone: {
        const auto& a = e.As<AtTimeZoneExpr>();
        if (Present(a.value.get(), "AtTimeZoneExpr.value") &&
            Present(a.zone.get(), "AtTimeZoneExpr.zone")) {
          Require(a.zone->Is<StringLiteral>() || a.zone->Is<IntervalLiteral>(),
                  "AT TIME ZONE zone is not a string or interval literal");
        }
        break;
      }
      default:
        break;
    }
    if (ok()) ForEachChild(e, [this](const Expr& child) { CheckExpr(child); });
  }

  Status status_;
};

}  // namespace

Status Verify(const Statement& statement) { return Verifier().Check(statement); }

bool Identifier::Matches(std::string_view other) const {
  if (other.size() != name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (AsciiLower(name[i]) != AsciiLower(other[i])) return false;
  }
  return true;
}

std::string Identifier::Canonical() const {
  std::string out = name;
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::string_view ExprKindName(ExprKind kind) {
  switch (kind) {
    case ExprKind::kNullLiteral:
      return "NullLiteral";
    case ExprKind::kBooleanLiteral:
      return "BooleanLiteral";
    case ExprKind::kIntegerLiteral:
      return "IntegerLiteral";
    case ExprKind::kDecimalLiteral:
      return "DecimalLiteral";
    case ExprKind::kDoubleLiteral:
      return "DoubleLiteral";
    case ExprKind::kStringLiteral:
      return "StringLiteral";
    case ExprKind::kTypedLiteral:
      return "TypedLiteral";
    case ExprKind::kIntervalLiteral:
      return "IntervalLiteral";
    case ExprKind::kColumnRef:
      return "ColumnRef";
    case ExprKind::kParameter:
      return "Parameter";
    case ExprKind::kFieldAccess:
      return "FieldAccess";
    case ExprKind::kSubscript:
      return "Subscript";
    case ExprKind::kUnary:
      return "Unary";
    case ExprKind::kBinary:
      return "Binary";
    case ExprKind::kLogical:
      return "Logical";
    case ExprKind::kBetween:
      return "Between";
    case ExprKind::kInList:
      return "InList";
    case ExprKind::kInSubquery:
      return "InSubquery";
    case ExprKind::kLike:
      return "Like";
    case ExprKind::kIsNull:
      return "IsNull";
    case ExprKind::kExists:
      return "Exists";
    case ExprKind::kScalarSubquery:
      return "ScalarSubquery";
    case ExprKind::kFunctionCall:
      return "FunctionCall";
    case ExprKind::kCast:
      return "Cast";
    case ExprKind::kCase:
      return "Case";
    case ExprKind::kArray:
      return "Array";
    case ExprKind::kRow:
      return "Row";
    case ExprKind::kLambda:
      return "Lambda";
    case ExprKind::kCurrentTime:
      return "CurrentTime";
    case ExprKind::kAtTimeZone:
      return "AtTimeZone";
  }
  return "Unknown";
}

std::string_view IntervalFieldName(IntervalField field) {
  switch (field) {
    case IntervalField::kYear:
      return "YEAR";
    case IntervalField::kMonth:
      return "MONTH";
    case IntervalField::kDay:
      return "DAY";
    case IntervalField::kHour:
      return "HOUR";
    case IntervalField::kMinute:
      return "MINUTE";
    case IntervalField::kSecond:
      return "SECOND";
  }
  return "?";
}

bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
    case BinaryOp::kIsDistinctFrom:
    case BinaryOp::kIsNotDistinctFrom:
      return true;
    default:
      return false;
  }
}

std::string_view BinaryOpSpelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEqual:
      return "=";
    case BinaryOp::kNotEqual:
      return "<>";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEqual:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEqual:
      return ">=";
    case BinaryOp::kIsDistinctFrom:
      return "IS DISTINCT FROM";
    case BinaryOp::kIsNotDistinctFrom:
      return "IS NOT DISTINCT FROM";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kModulo:
      return "%";
    case BinaryOp::kConcat:
      return "||";
  }
  return "?";
}

std::string_view JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "JOIN";
    case JoinType::kLeft:
      return "LEFT JOIN";
    case JoinType::kRight:
      return "RIGHT JOIN";
    case JoinType::kFull:
      return "FULL JOIN";
    case JoinType::kCross:
      return "CROSS JOIN";
    case JoinType::kImplicit:
      return ",";
  }
  return "?";
}

std::string_view SetOperatorName(SetOperator op) {
  switch (op) {
    case SetOperator::kUnion:
      return "UNION";
    case SetOperator::kExcept:
      return "EXCEPT";
    case SetOperator::kIntersect:
      return "INTERSECT";
  }
  return "?";
}

bool Equal(const TypeName& a, const TypeName& b) {
  if (a.name != b.name || a.parameters.size() != b.parameters.size()) return false;
  for (size_t i = 0; i < a.parameters.size(); ++i) {
    const TypeParameter& p = a.parameters[i];
    const TypeParameter& q = b.parameters[i];
    if (p.kind != q.kind || p.number != q.number || !Eq(p.field_name, q.field_name)) return false;
    if ((p.type == nullptr) != (q.type == nullptr)) return false;
    if (p.type != nullptr && !Equal(*p.type, *q.type)) return false;
  }
  return true;
}

bool Equal(const Expr& a, const Expr& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ExprKind::kNullLiteral:
      return true;
    case ExprKind::kBooleanLiteral:
      return a.As<BooleanLiteral>().value == b.As<BooleanLiteral>().value;
    case ExprKind::kIntegerLiteral:
      return a.As<IntegerLiteral>().value == b.As<IntegerLiteral>().value;
    case ExprKind::kDecimalLiteral:
      return a.As<DecimalLiteral>().text == b.As<DecimalLiteral>().text;
    case ExprKind::kDoubleLiteral:
      return a.As<DoubleLiteral>().text == b.As<DoubleLiteral>().text;
    case ExprKind::kStringLiteral:
      return a.As<StringLiteral>().value == b.As<StringLiteral>().value;
    case ExprKind::kTypedLiteral: {
      const auto& x = a.As<TypedLiteral>();
      const auto& y = b.As<TypedLiteral>();
      return Eq(x.type, y.type) && x.value == y.value;
    }
    case ExprKind::kIntervalLiteral: {
      const auto& x = a.As<IntervalLiteral>();
      const auto& y = b.As<IntervalLiteral>();
      return x.negative == y.negative && x.value == y.value && x.start == y.start && x.end == y.end;
    }
    case ExprKind::kColumnRef:
      return Eq(a.As<ColumnRef>().parts, b.As<ColumnRef>().parts);
    case ExprKind::kParameter:
      return a.As<Parameter>().name == b.As<Parameter>().name;
    case ExprKind::kFieldAccess: {
      const auto& x = a.As<FieldAccess>();
      const auto& y = b.As<FieldAccess>();
      return Eq(x.base, y.base) && Eq(x.field, y.field);
    }
    case ExprKind::kSubscript: {
      const auto& x = a.As<Subscript>();
      const auto& y = b.As<Subscript>();
      return Eq(x.base, y.base) && Eq(x.index, y.index);
    }
    case ExprKind::kUnary: {
      const auto& x = a.As<UnaryExpr>();
      const auto& y = b.As<UnaryExpr>();
      return x.op == y.op && Eq(x.operand, y.operand);
    }
    case ExprKind::kBinary: {
      const auto& x = a.As<BinaryExpr>();
      const auto& y = b.As<BinaryExpr>();
      return x.op == y.op && Eq(x.left, y.left) && Eq(x.right, y.right);
    }
    case ExprKind::kLogical: {
      const auto& x = a.As<LogicalExpr>();
      const auto& y = b.As<LogicalExpr>();
      return x.op == y.op && Eq(x.terms, y.terms);
    }
    case ExprKind::kBetween: {
      const auto& x = a.As<BetweenExpr>();
      const auto& y = b.As<BetweenExpr>();
      return x.negated == y.negated && Eq(x.value, y.value) && Eq(x.low, y.low) &&
             Eq(x.high, y.high);
    }
    case ExprKind::kInList: {
      const auto& x = a.As<InListExpr>();
      const auto& y = b.As<InListExpr>();
      return x.negated == y.negated && Eq(x.value, y.value) && Eq(x.list, y.list);
    }
    case ExprKind::kInSubquery: {
      const auto& x = a.As<InSubqueryExpr>();
      const auto& y = b.As<InSubqueryExpr>();
      return x.negated == y.negated && Eq(x.value, y.value) && Eq(x.query, y.query);
    }
    case ExprKind::kLike: {
      const auto& x = a.As<LikeExpr>();
      const auto& y = b.As<LikeExpr>();
      return x.negated == y.negated && Eq(x.value, y.value) && Eq(x.pattern, y.pattern) &&
             Eq(x.escape, y.escape);
    }
    case ExprKind::kIsNull: {
      const auto& x = a.As<IsNullExpr>();
      const auto& y = b.As<IsNullExpr>();
      return x.negated == y.negated && Eq(x.value, y.value);
    }
    case ExprKind::kExists:
      return Eq(a.As<ExistsExpr>().query, b.As<ExistsExpr>().query);
    case ExprKind::kScalarSubquery:
      return Eq(a.As<ScalarSubquery>().query, b.As<ScalarSubquery>().query);
    case ExprKind::kFunctionCall: {
      const auto& x = a.As<FunctionCall>();
      const auto& y = b.As<FunctionCall>();
      return Eq(x.name, y.name) && x.distinct == y.distinct && x.star == y.star &&
             Eq(x.args, y.args) && Eq(x.order_by, y.order_by) && Eq(x.filter, y.filter) &&
             x.null_treatment == y.null_treatment && Eq(x.over, y.over);
    }
    case ExprKind::kCast: {
      const auto& x = a.As<CastExpr>();
      const auto& y = b.As<CastExpr>();
      return x.try_cast == y.try_cast && Eq(x.value, y.value) && Equal(x.type, y.type);
    }
    case ExprKind::kCase: {
      const auto& x = a.As<CaseExpr>();
      const auto& y = b.As<CaseExpr>();
      if (!Eq(x.operand, y.operand) || !Eq(x.else_result, y.else_result)) return false;
      if (x.whens.size() != y.whens.size()) return false;
      for (size_t i = 0; i < x.whens.size(); ++i) {
        if (!Eq(x.whens[i].condition, y.whens[i].condition) ||
            !Eq(x.whens[i].result, y.whens[i].result)) {
          return false;
        }
      }
      return true;
    }
    case ExprKind::kArray:
      return Eq(a.As<ArrayExpr>().elements, b.As<ArrayExpr>().elements);
    case ExprKind::kRow:
      return Eq(a.As<RowExpr>().fields, b.As<RowExpr>().fields);
    case ExprKind::kLambda: {
      const auto& x = a.As<LambdaExpr>();
      const auto& y = b.As<LambdaExpr>();
      return Eq(x.params, y.params) && Eq(x.body, y.body);
    }
    case ExprKind::kCurrentTime: {
      const auto& x = a.As<CurrentTimeExpr>();
      const auto& y = b.As<CurrentTimeExpr>();
      return x.function == y.function && x.precision == y.precision;
    }
    case ExprKind::kAtTimeZone: {
      const auto& x = a.As<AtTimeZoneExpr>();
      const auto& y = b.As<AtTimeZoneExpr>();
      return Eq(x.value, y.value) && Eq(x.zone, y.zone);
    }
  }
  return false;
}

bool Equal(const Query& a, const Query& b) {
  if (a.with.size() != b.with.size()) return false;
  for (size_t i = 0; i < a.with.size(); ++i) {
    if (!Eq(a.with[i].name, b.with[i].name) || !Eq(a.with[i].columns, b.with[i].columns) ||
        !Eq(a.with[i].query, b.with[i].query)) {
      return false;
    }
  }
  return Eq(a.body, b.body) && Eq(a.order_by, b.order_by) && Eq(a.offset, b.offset) &&
         Eq(a.limit, b.limit) && a.limit_with_ties == b.limit_with_ties;
}

bool Equal(const Statement& a, const Statement& b) { return Eq(a.query, b.query); }

void ForEachChild(const Expr& e, const std::function<void(const Expr&)>& fn) {
  auto visit = [&fn](const ExprPtr& p) {
    if (p != nullptr) fn(*p);
  };
  auto visit_all = [&visit](const std::vector<ExprPtr>& v) {
    for (const ExprPtr& p : v) visit(p);
  };
  switch (e.kind) {
    case ExprKind::kNullLiteral:
    case ExprKind::kBooleanLiteral:
    case ExprKind::kIntegerLiteral:
    case ExprKind::kDecimalLiteral:
    case ExprKind::kDoubleLiteral:
    case ExprKind::kStringLiteral:
    case ExprKind::kTypedLiteral:
    case ExprKind::kIntervalLiteral:
    case ExprKind::kColumnRef:
    case ExprKind::kParameter:
    case ExprKind::kExists:
    case ExprKind::kScalarSubquery:
    case ExprKind::kCurrentTime:
      return;
    case ExprKind::kFieldAccess:
      visit(e.As<FieldAccess>().base);
      return;
    case ExprKind::kSubscript:
      visit(e.As<Subscript>().base);
      visit(e.As<Subscript>().index);
      return;
    case ExprKind::kUnary:
      visit(e.As<UnaryExpr>().operand);
      return;
    case ExprKind::kBinary:
      visit(e.As<BinaryExpr>().left);
      visit(e.As<BinaryExpr>().right);
      return;
    case ExprKind::kLogical:
      visit_all(e.As<LogicalExpr>().terms);
      return;
    case ExprKind::kBetween: {
      const auto& b = e.As<BetweenExpr>();
      visit(b.value);
      visit(b.low);
      visit(b.high);
      return;
    }
    case ExprKind::kInList:
      visit(e.As<InListExpr>().value);
      visit_all(e.As<InListExpr>().list);
      return;
    case ExprKind::kInSubquery:
      visit(e.As<InSubqueryExpr>().value);
      return;
    case ExprKind::kLike: {
      const auto& l = e.As<LikeExpr>();
      visit(l.value);
      visit(l.pattern);
      visit(l.escape);
      return;
    }
    case ExprKind::kIsNull:
      visit(e.As<IsNullExpr>().value);
      return;
    case ExprKind::kFunctionCall: {
      const auto& f = e.As<FunctionCall>();
      visit_all(f.args);
      VisitOrderItems(f.order_by, fn);
      visit(f.filter);
      if (f.over != nullptr) VisitWindowSpec(*f.over, fn);
      return;
    }
    case ExprKind::kCast:
      visit(e.As<CastExpr>().value);
      return;
    case ExprKind::kCase: {
      const auto& c = e.As<CaseExpr>();
      visit(c.operand);
      for (const WhenClause& w : c.whens) {
        visit(w.condition);
        visit(w.result);
      }
      visit(c.else_result);
      return;
    }
    case ExprKind::kArray:
      visit_all(e.As<ArrayExpr>().elements);
      return;
    case ExprKind::kRow:
      visit_all(e.As<RowExpr>().fields);
      return;
    case ExprKind::kLambda:
      visit(e.As<LambdaExpr>().body);
      return;
    case ExprKind::kAtTimeZone:
      visit(e.As<AtTimeZoneExpr>().value);
      visit(e.As<AtTimeZoneExpr>().zone);
      return;
  }
}

void VisitAllExpressions(const Statement& statement, const std::function<void(const Expr&)>& fn) {
  AllExpressionsWalker walker(fn);
  walker.WalkQuery(*statement.query);
}

}  // namespace trailbook::sql
