// Expression binding: AST expressions -> BoundExpr, with types, casts and functions resolved.
#include <cmath>
#include <cstdlib>

#include "base/timestamp.h"
#include "sql/planner/aggregate_catalog.h"
#include "sql/planner/internal/binder_impl.h"
#include "sql/planner/name_matching.h"
#include "sql/planner/optimizer.h"
#include "sql/planner/type_binding.h"

namespace trailbook::sql::internal {
namespace {

std::string JoinParts(const std::vector<Identifier>& parts, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += '.';
    out += parts[i].name;
  }
  return out;
}

SourceLocation SpanOf(const std::vector<Identifier>& parts) {
  SourceLocation loc = parts.front().location;
  const SourceLocation& last = parts.back().location;
  if (loc.known() && last.known() && last.end() >= loc.offset) loc.length = last.end() - loc.offset;
  return loc;
}

bool IsAggregateCall(const Expr& e) {
  if (!e.Is<FunctionCall>()) return false;
  const auto& call = e.As<FunctionCall>();
  return call.over == nullptr && IsAggregateFunction(call.name.name);
}

bool IsComparisonFn(std::string_view fn) {
  return fn == "$eq" || fn == "$ne" || fn == "$lt" || fn == "$le" || fn == "$gt" || fn == "$ge";
}

std::string_view ComparisonFunction(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEqual: return "$eq";
    case BinaryOp::kNotEqual: return "$ne";
    case BinaryOp::kLess: return "$lt";
    case BinaryOp::kLessEqual: return "$le";
    case BinaryOp::kGreater: return "$gt";
    case BinaryOp::kGreaterEqual: return "$ge";
    case BinaryOp::kAdd: return "$add";
    case BinaryOp::kSubtract: return "$subtract";
    case BinaryOp::kMultiply: return "$multiply";
    case BinaryOp::kDivide: return "$divide";
    case BinaryOp::kModulo: return "$modulo";
    case BinaryOp::kConcat: return "$concat";
    default: return "";
  }
}

}  // namespace

bool ContainsAggregate(const Expr& expr) {
  if (IsAggregateCall(expr)) return true;
  bool found = false;
  ForEachChild(expr, [&](const Expr& c) { found = found || ContainsAggregate(c); });
  return found;
}

bool ContainsWindow(const Expr& expr) {
  if (expr.Is<FunctionCall>() && expr.As<FunctionCall>().over != nullptr) return true;
  bool found = false;
  ForEachChild(expr, [&](const Expr& c) { found = found || ContainsWindow(c); });
  return found;
}

Status Binder::Error(SourceLocation location, std::string_view head, std::string_view tail,
                     StatusCode code) const {
  return SourceError(code, ctx_.sql, location, head, tail);
}

Status Binder::Locate(const Status& status, SourceLocation location) const {
  if (status.ok()) return status;
  return SourceError(status.code(), ctx_.sql, location, status.message(), "");
}

Result<BoundExprPtr> Binder::BindCondition(const Expr& expr, ExprContext& ec) {
  TB_ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(expr, ec));
  if (e->type.id() == TypeId::kUnknown) return CastTo(std::move(e), LogicalType::Boolean());
  if (e->type.id() != TypeId::kBoolean) {
    return Error(expr.location,
                 std::string(ec.clause) + " condition must be boolean, got " + e->type.ToString());
  }
  return e;
}

Result<BoundExprPtr> Binder::ToBoolean(BoundExprPtr e, std::string_view what) {
  if (e->type.id() == TypeId::kBoolean) return e;
  if (e->type.id() == TypeId::kUnknown) return CastTo(std::move(e), LogicalType::Boolean());
  return Error(e->location, std::string(what) + " operand must be boolean, got " +
                                e->type.ToString());
}

Result<BoundExprPtr> Binder::CastTo(BoundExprPtr e, const LogicalType& target, bool try_cast) {
  if (e->type == target) return e;
  if (e->kind == BoundExprKind::kConstant && e->value.is_null()) {
    SourceLocation loc = e->location;
    return MakeConstant(Value::Null(target), loc);
  }
  SourceLocation loc = e->location;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(e));
  args.push_back(MakeConstant(Value::Varchar(target.ToString())));
  TB_ASSIGN_OR_RETURN(BoundExprPtr call,
                      BindScalarCall(try_cast ? "$try_cast" : "$cast", std::move(args), loc));
  if (call->type != target) {
    return Internal("cast bound to " + call->type.ToString() + " instead of " + target.ToString());
  }
  return call;
}

BoundExprPtr Binder::SlotConstant(PlanSlot::Kind kind, std::string_view name, Value value,
                                  SourceLocation location) {
  BoundExprPtr e = MakeConstant(std::move(value), location);
  if (!ctx_.tag_slots) return e;
  if (e->value.is_null()) {
    value_dependent_ = true;  // NULL's type is the caller's guess: bind it as it is
    return e;
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].kind == kind && slots_[i].name == name) {
      if (!(slots_[i].type == e->type)) value_dependent_ = true;
      e->slot = static_cast<int>(i);
      return e;
    }
  }
  slots_.push_back(PlanSlot{kind, std::string(name), e->type});
  e->slot = static_cast<int>(slots_.size() - 1);
  return e;
}

Result<BoundScalarFunction> Binder::BindWithSlots(const ScalarBind& bind, ScalarBindInput& input,
                                                  const std::vector<const BoundExpr*>& args) {
  bool tagged = false;
  for (const BoundExpr* a : args) tagged = tagged || (a->kind == BoundExprKind::kConstant && a->slot >= 0);
  if (!tagged) return bind(input);
  ScalarBindInput general_input = input;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i]->kind == BoundExprKind::kConstant && args[i]->slot >= 0) {
      general_input.constants[i] = nullptr;
    }
  }
  Result<BoundScalarFunction> general = bind(general_input);
  Result<BoundScalarFunction> specific = bind(input);
  if (general.ok() && specific.ok() && general->arg_types == specific->arg_types &&
      general->return_type == specific->return_type &&
      general->deterministic == specific->deterministic) {
    return general;
  }
  // The function's signature depends on the value (or only binds with it): keep the
  // specific bind and the plan for these values only.
  for (const BoundExpr* a : args) Pin(*a);
  return specific;
}

Result<BoundExprPtr> Binder::BindScalarCall(std::string_view name, std::vector<BoundExprPtr> args,
                                            SourceLocation location) {
  const ScalarBind* bind = ctx_.functions->FindScalar(name);
  if (bind == nullptr) {
    if (!name.empty() && name[0] == '$') {
      return Error(location, "operator " + std::string(name.substr(1)) +
                                 " is not available in this build",
                   "", StatusCode::kUnimplemented);
    }
    return Error(location, "unknown function '" + std::string(name) + "'");
  }
  ScalarBindInput input;
  input.name = name;
  std::vector<const BoundExpr*> arg_nodes;
  for (const BoundExprPtr& a : args) {
    input.arg_types.push_back(a->type);
    input.is_lambda.push_back(false);
    input.lambda_arity.push_back(0);
    input.constants.push_back(a->kind == BoundExprKind::kConstant ? &a->value : nullptr);
    arg_nodes.push_back(a.get());
  }
  Result<BoundScalarFunction> bound = BindWithSlots(*bind, input, arg_nodes);
  if (!bound.ok()) return Locate(bound.status(), location);
  auto fn = std::make_shared<BoundScalarFunction>(std::move(bound).value());
  if (fn->arg_types.size() != args.size()) {
    return Internal("function " + std::string(name) + " bound to the wrong number of arguments");
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i]->type != fn->arg_types[i]) {
      // Casting to the cast target itself would recurse: $cast takes its input as is.
      if ((name == "$cast" || name == "$try_cast") && i == 0) continue;
      TB_ASSIGN_OR_RETURN(args[i], CastTo(std::move(args[i]), fn->arg_types[i]));
    }
  }
  return MakeCall(std::string(name), std::move(fn), std::move(args), location);
}

Result<BoundExprPtr> Binder::BindExpr(const Expr& expr, ExprContext& ec) {
  if (ec.aggregation != nullptr && !ec.in_aggregate_args) {
    if (IsAggregateCall(expr)) return BindAggregateCall(expr.As<FunctionCall>(), ec);
    if (!ContainsAggregate(expr) && !ContainsWindow(expr) && !expr.Is<LambdaExpr>()) {
      // Bind against the input and look for an identical GROUP BY expression.
      ExprContext plain;
      plain.scope = ec.aggregation->input_scope;
      plain.clause = ec.clause;
      plain.lambdas = ec.lambdas;
      TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExprImpl(expr, plain));
      const LogicalAggregate& agg = *ec.aggregation->aggregate;
      for (size_t i = 0; i < agg.groups.size(); ++i) {
        if (Equal(*b, *agg.groups[i])) {
          return MakeColumn(ColumnBinding{agg.group_table, static_cast<uint32_t>(i)}, b->type,
                            b->ToString(), expr.location);
        }
      }
      bool refers_to_columns = false;
      VisitExpr(*b, [&](const BoundExpr& n) {
        refers_to_columns = refers_to_columns || n.kind == BoundExprKind::kColumnRef;
      });
      if (!refers_to_columns) return b;
      if (expr.Is<ColumnRef>() || expr.Is<sql::FieldAccess>()) {
        return Error(expr.location, "'" + b->ToString() +
                                        "' must be an aggregate expression or appear in GROUP BY");
      }
    }
  }
  if (ec.window != nullptr && expr.Is<FunctionCall>() &&
      expr.As<FunctionCall>().over != nullptr) {
    return BindWindowCall(expr.As<FunctionCall>(), ec);
  }
  return BindExprImpl(expr, ec);
}

Status Binder::CoerceTemporalLiteral(const BoundExprPtr& other, BoundExprPtr& literal) {
  if (literal->kind != BoundExprKind::kConstant || literal->type.id() != TypeId::kVarchar ||
      literal->value.is_null()) {
    return Status::OK();
  }
  TypeId t = other->type.id();
  if (t == TypeId::kTimestamp || t == TypeId::kDate) Pin(*literal);  // parsed into the plan
  if (t == TypeId::kTimestamp) {
    std::optional<int64_t> us = ParseTimestampLiteral(literal->value.string_value());
    if (!us) {
      return Error(literal->location,
                   "invalid timestamp '" + literal->value.string_value() + "'",
                   "; expected 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS[.fff]' or ISO-8601");
    }
    literal = MakeConstant(Value::Timestamp(*us), literal->location);
  } else if (t == TypeId::kDate) {
    std::optional<int64_t> days = ParseDateLiteral(literal->value.string_value());
    if (!days) {
      return Error(literal->location, "invalid date '" + literal->value.string_value() + "'",
                   "; expected 'YYYY-MM-DD'");
    }
    literal = MakeConstant(Value::Date(*days), literal->location);
  }
  return Status::OK();
}

Result<BoundExprPtr> Binder::BindComparison(std::string_view fn, BoundExprPtr left,
                                            BoundExprPtr right, SourceLocation location) {
  TB_RETURN_IF_ERROR(CoerceTemporalLiteral(left, right));
  TB_RETURN_IF_ERROR(CoerceTemporalLiteral(right, left));
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return BindScalarCall(fn, std::move(args), location);
}

Result<std::vector<BoundExprPtr>> Binder::CoerceAll(std::vector<BoundExprPtr> exprs,
                                                    SourceLocation location,
                                                    std::string_view what, LogicalType* common) {
  LogicalType t = LogicalType::Unknown();
  for (const BoundExprPtr& e : exprs) {
    LogicalType next = CommonSuperType(t, e->type);
    if (next.id() == TypeId::kUnknown && e->type.id() != TypeId::kUnknown) {
      return Error(e->location, std::string(what) + " must have the same type: " + t.ToString() +
                                    " and " + e->type.ToString() + " are not compatible");
    }
    t = next;
  }
  (void)location;
  for (BoundExprPtr& e : exprs) {
    if (t.id() != TypeId::kUnknown) {
      TB_ASSIGN_OR_RETURN(e, CastTo(std::move(e), t));
    }
  }
  *common = t;
  return exprs;
}

Result<BoundExprPtr> Binder::BindFieldAccess(BoundExprPtr base, const Identifier& field,
                                         std::string_view base_text) {
  if (base->type.id() == TypeId::kMap) {
    return Error(field.location,
                 "'" + std::string(base_text) + "' is a map; its keys are not fields",
                 "; use element_at(" + std::string(base_text) + ", '" + field.name + "')");
  }
  if (base->type.id() != TypeId::kRow) {
    return Error(field.location, "'" + std::string(base_text) + "' of type " +
                                     base->type.ToString() + " has no field '" + field.name + "'");
  }
  if (base->type.FindField(field.name) < 0) {
    std::vector<std::string> names;
    for (const RowField& f : base->type.fields()) names.push_back(f.name);
    auto suggestion = SuggestName(field.name, names);
    return Error(field.location,
                 "unknown field '" + field.name + "' in '" + std::string(base_text) + "'",
                 suggestion ? "; did you mean '" + *suggestion + "'?" : "");
  }
  std::vector<BoundExprPtr> args;
  SourceLocation loc = base->location;
  if (loc.known() && field.location.known() && field.location.end() >= loc.offset) {
    loc.length = field.location.end() - loc.offset;
  }
  args.push_back(std::move(base));
  args.push_back(MakeConstant(Value::Varchar(field.name), field.location));
  return BindScalarCall("$field", std::move(args), loc);
}

Result<BoundExprPtr> Binder::ResolveColumn(const std::vector<Identifier>& parts,
                                           SourceLocation location, const BindScope& scope) {
  struct Match {
    const ScopeRelation* relation;
    size_t first;  // first part naming the column
    size_t used;   // parts consumed by the column name
    int catalog_index = -1;
    const ScopeColumn* column = nullptr;
  };
  auto match_in = [&](const ScopeRelation& rel, size_t first, std::vector<Match>* out) {
    if (rel.scan != nullptr) {
      const TableCatalog& cat = *rel.scan->catalog;
      for (size_t end = parts.size(); end > first; --end) {
        int c = cat.FindColumn(JoinParts(parts, first, end));
        if (c >= 0) {
          out->push_back(Match{&rel, first, end - first, c, nullptr});
          return;
        }
      }
      return;
    }
    for (const ScopeColumn& col : rel.columns) {
      if (parts[first].Matches(col.name)) {
        out->push_back(Match{&rel, first, 1, -1, &col});
        return;
      }
    }
  };
  std::vector<Match> matches;
  if (parts.size() >= 2) {
    for (const ScopeRelation& rel : scope.relations) {
      if (!rel.alias.empty() && parts[0].Matches(rel.alias)) match_in(rel, 1, &matches);
    }
  }
  if (matches.empty()) {
    for (const ScopeRelation& rel : scope.relations) match_in(rel, 0, &matches);
  }
  std::string text = JoinParts(parts, 0, parts.size());
  if (matches.size() > 1) {
    // The same catalog column through two relations is still ambiguous (self joins).
    return Error(location, "column '" + text + "' is ambiguous",
                 "; qualify it with a table alias");
  }
  if (matches.empty()) {
    for (const BindScope* outer = scope.outer; outer != nullptr; outer = outer->outer) {
      Result<BoundExprPtr> r = ResolveColumn(parts, location, BindScope{outer->relations, nullptr});
      if (r.ok()) {
        return Error(location, "correlated subqueries are not supported: '" + text +
                                   "' refers to the enclosing query",
                     "", StatusCode::kUnimplemented);
      }
    }
    std::vector<std::string> candidates;
    for (const ScopeRelation& rel : scope.relations) {
      if (rel.scan != nullptr) {
        for (const CatalogColumn& c : rel.scan->catalog->columns()) candidates.push_back(c.name);
      } else {
        for (const ScopeColumn& c : rel.columns) candidates.push_back(c.name);
      }
    }
    std::string probe = text;
    if (parts.size() >= 2) {
      for (const ScopeRelation& rel : scope.relations) {
        if (!rel.alias.empty() && parts[0].Matches(rel.alias)) probe = JoinParts(parts, 1, parts.size());
      }
    }
    auto suggestion = SuggestName(probe, candidates);
    if (scope.relations.empty()) {
      return Error(location, "unknown column '" + text + "'", "; the query has no FROM clause");
    }
    return Error(location, "unknown column '" + text + "'",
                 suggestion ? "; did you mean '" + *suggestion + "'?" : "");
  }
  const Match& m = matches[0];
  size_t next = m.first + m.used;
  SourceLocation col_loc = SpanOf(std::vector<Identifier>(parts.begin(), parts.begin() + static_cast<long>(next)));
  BoundExprPtr e;
  if (m.catalog_index >= 0) {
    ColumnBinding b = m.relation->scan->EnsureColumn(m.catalog_index);
    const CatalogColumn& c = m.relation->scan->catalog->column(static_cast<size_t>(m.catalog_index));
    e = MakeColumn(b, c.type, c.name, col_loc);
  } else {
    e = MakeColumn(m.column->binding, m.column->type, m.column->name, col_loc);
  }
  for (size_t i = next; i < parts.size(); ++i) {
    std::string base_text = JoinParts(parts, 0, i);
    TB_ASSIGN_OR_RETURN(e, BindFieldAccess(std::move(e), parts[i], base_text));
  }
  return e;
}

Result<BoundExprPtr> Binder::BindColumnRef(const ColumnRef& ref, ExprContext& ec) {
  // Lambda parameters shadow columns.
  for (auto it = ec.lambdas.rbegin(); it != ec.lambdas.rend(); ++it) {
    if (ref.parts[0].Matches(it->name)) {
      auto e = std::make_unique<BoundExpr>();
      e->kind = BoundExprKind::kLambdaParam;
      e->type = it->type;
      e->index = it->slot;
      e->name = ref.parts[0].name;
      e->location = ref.parts[0].location;
      for (size_t i = 1; i < ref.parts.size(); ++i) {
        TB_ASSIGN_OR_RETURN(e, BindFieldAccess(std::move(e), ref.parts[i], JoinParts(ref.parts, 0, i)));
      }
      return e;
    }
  }
  if (!ec.lambdas.empty()) {
    Result<BoundExprPtr> r = ResolveColumn(ref.parts, ref.location, *ec.scope);
    if (r.ok()) {
      return Error(ref.location, "a lambda expression may only refer to its parameters, not to '" +
                                     JoinParts(ref.parts, 0, ref.parts.size()) + "'",
                   "", StatusCode::kUnimplemented);
    }
    return r.status();
  }
  return ResolveColumn(ref.parts, ref.location, *ec.scope);
}

Result<BoundExprPtr> Binder::BindLiteral(const Expr& expr) {
  SourceLocation loc = expr.location;
  switch (expr.kind) {
    case ExprKind::kNullLiteral: return MakeConstant(Value::Null(), loc);
    case ExprKind::kBooleanLiteral:
      return MakeConstant(Value::Boolean(expr.As<BooleanLiteral>().value), loc);
    case ExprKind::kIntegerLiteral:
      return MakeConstant(Value::Bigint(expr.As<IntegerLiteral>().value), loc);
    case ExprKind::kDecimalLiteral:
      return MakeConstant(Value::Double(std::strtod(expr.As<DecimalLiteral>().text.c_str(), nullptr)),
                          loc);
    case ExprKind::kDoubleLiteral:
      return MakeConstant(Value::Double(expr.As<DoubleLiteral>().value), loc);
    case ExprKind::kStringLiteral:
      return MakeConstant(Value::Varchar(expr.As<StringLiteral>().value), loc);
    case ExprKind::kTypedLiteral: {
      const auto& t = expr.As<TypedLiteral>();
      if (t.type.Matches("timestamp")) {
        auto us = ParseTimestampLiteral(t.value);
        if (!us) return Error(loc, "invalid timestamp literal '" + t.value + "'");
        return MakeConstant(Value::Timestamp(*us), loc);
      }
      if (t.type.Matches("date")) {
        auto days = ParseDateLiteral(t.value);
        if (!days) return Error(loc, "invalid date literal '" + t.value + "'");
        return MakeConstant(Value::Date(*days), loc);
      }
      if (t.type.Matches("json")) return MakeConstant(Value::FromText(LogicalType::Json(), t.value), loc);
      TypeName tn;
      tn.name = AsciiLower(t.type.name);
      Result<LogicalType> type = BindTypeName(tn);
      if (!type.ok()) return Locate(type.status(), loc);
      return CastTo(MakeConstant(Value::Varchar(t.value), loc), *type);
    }
    case ExprKind::kIntervalLiteral: {
      const auto& i = expr.As<IntervalLiteral>();
      Result<Value> v = ParseIntervalLiteral(i.value, i.start, i.end, i.negative);
      if (!v.ok()) return Locate(v.status(), loc);
      return MakeConstant(std::move(v).value(), loc);
    }
    default: return Internal("not a literal");
  }
}

Result<BoundExprPtr> Binder::BindCase(const CaseExpr& c, ExprContext& ec) {
  std::vector<BoundExprPtr> conditions;
  std::vector<BoundExprPtr> results;
  BoundExprPtr operand;
  if (c.operand) {
    TB_ASSIGN_OR_RETURN(operand, BindExpr(*c.operand, ec));
  }
  for (const WhenClause& w : c.whens) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr cond, BindExpr(*w.condition, ec));
    if (operand) {
      TB_ASSIGN_OR_RETURN(cond, BindComparison("$eq", operand->Clone(), std::move(cond),
                                               w.condition->location));
    } else {
      TB_ASSIGN_OR_RETURN(cond, ToBoolean(std::move(cond), "WHEN"));
    }
    conditions.push_back(std::move(cond));
    TB_ASSIGN_OR_RETURN(BoundExprPtr r, BindExpr(*w.result, ec));
    results.push_back(std::move(r));
  }
  if (c.else_result) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr r, BindExpr(*c.else_result, ec));
    results.push_back(std::move(r));
  }
  LogicalType type;
  TB_ASSIGN_OR_RETURN(results, CoerceAll(std::move(results), c.location, "CASE results", &type));
  std::vector<BoundExprPtr> children;
  for (size_t i = 0; i < conditions.size(); ++i) {
    children.push_back(std::move(conditions[i]));
    children.push_back(std::move(results[i]));
  }
  bool has_else = c.else_result != nullptr;
  if (has_else) children.push_back(std::move(results.back()));
  BoundExprPtr e = MakeNode(BoundExprKind::kCase, type, std::move(children), c.location);
  e->has_else = has_else;
  return e;
}

Result<BoundExprPtr> Binder::BindInList(const InListExpr& in, ExprContext& ec) {
  TB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*in.value, ec));
  std::vector<BoundExprPtr> items;
  for (const ExprPtr& item : in.list) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*item, ec));
    TB_RETURN_IF_ERROR(CoerceTemporalLiteral(value, b));
    items.push_back(std::move(b));
  }
  std::vector<BoundExprPtr> all;
  all.push_back(std::move(value));
  for (BoundExprPtr& i : items) all.push_back(std::move(i));
  LogicalType type;
  TB_ASSIGN_OR_RETURN(all, CoerceAll(std::move(all), in.location, "IN list values", &type));
  BoundExprPtr e = MakeNode(BoundExprKind::kInList, LogicalType::Boolean(), std::move(all),
                            in.location);
  e->negated = in.negated;
  return e;
}

Result<BoundExprPtr> Binder::BindSubquery(const Query& query, SubqueryKind kind,
                                          BoundExprPtr value, bool negated,
                                          SourceLocation location, ExprContext& ec) {
  TB_ASSIGN_OR_RETURN(BoundRelation rel, BindQuery(query, ec.scope));
  if (kind != SubqueryKind::kExists && rel.columns.size() != 1) {
    return Error(location, "subquery must return one column, it returns " +
                               std::to_string(rel.columns.size()));
  }
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kSubquery;
  e->subquery_kind = kind;
  e->location = location;
  e->negated = negated;
  if (kind == SubqueryKind::kScalar) {
    e->type = rel.columns[0].type;
  } else {
    e->type = LogicalType::Boolean();
  }
  if (kind == SubqueryKind::kIn) {
    LogicalType common = CommonSuperType(value->type, rel.columns[0].type);
    if (common.id() == TypeId::kUnknown && value->type.id() != TypeId::kUnknown &&
        rel.columns[0].type.id() != TypeId::kUnknown) {
      return Error(location, "IN subquery returns " + rel.columns[0].type.ToString() +
                                 ", which cannot be compared with " + value->type.ToString());
    }
    if (common.id() != TypeId::kUnknown) {
      TB_ASSIGN_OR_RETURN(value, CastTo(std::move(value), common));
      if (rel.columns[0].type != common) {
        // Cast the subquery's column with a projection on top.
        auto project = std::make_unique<LogicalProject>();
        project->table = NextTable();
        TB_ASSIGN_OR_RETURN(BoundExprPtr col,
                            CastTo(MakeColumn(rel.columns[0].binding, rel.columns[0].type,
                                              rel.columns[0].name),
                                   common));
        project->exprs.push_back(std::move(col));
        project->children.push_back(std::move(rel.op));
        rel.op = std::move(project);
      }
    }
    e->children.push_back(std::move(value));
  }
  Optimize(rel.op);
  e->subquery = std::shared_ptr<const LogicalOperator>(std::move(rel.op));
  return e;
}

Result<BoundExprPtr> Binder::BindAggregateCall(const FunctionCall& call, ExprContext& ec) {
  AggregationState& st = *ec.aggregation;
  ExprContext args_ctx;
  args_ctx.scope = st.input_scope;
  args_ctx.clause = ec.clause;
  args_ctx.in_aggregate_args = true;
  std::vector<BoundExprPtr> args;
  std::vector<LogicalType> types;
  for (const ExprPtr& a : call.args) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*a, args_ctx));
    types.push_back(b->type);
    args.push_back(std::move(b));
  }
  Result<AggregateSignature> sig = ResolveAggregate(call.name.name, types, call.star);
  if (!sig.ok()) return Locate(sig.status(), call.location);
  BoundAggregate agg;
  agg.name = sig->name;
  agg.distinct = call.distinct;
  agg.type = sig->return_type;
  agg.location = call.location;
  for (size_t i = 0; i < args.size(); ++i) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr a, CastTo(std::move(args[i]), sig->arg_types[i]));
    agg.args.push_back(std::move(a));
  }
  if (call.filter) {
    ExprContext fctx = args_ctx;
    fctx.clause = "FILTER";
    TB_ASSIGN_OR_RETURN(agg.filter, BindCondition(*call.filter, fctx));
  }
  for (const OrderItem& o : call.order_by) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr k, BindExpr(*o.expr, args_ctx));
    if (!IsOrderable(k->type)) {
      return Error(o.location, "cannot order by a value of type " + k->type.ToString());
    }
    agg.order_by.push_back(BoundOrder{std::move(k), o.descending, o.nulls == NullOrdering::kFirst});
  }
  if (call.null_treatment != NullTreatment::kUnspecified) {
    return Error(call.location, "IGNORE/RESPECT NULLS applies only to window functions");
  }
  LogicalAggregate& node = *st.aggregate;
  for (size_t i = 0; i < node.aggregates.size(); ++i) {
    const BoundAggregate& other = node.aggregates[i];
    bool same = other.name == agg.name && other.distinct == agg.distinct &&
                other.args.size() == agg.args.size() && other.order_by.empty() &&
                agg.order_by.empty() && (other.filter == nullptr) == (agg.filter == nullptr) &&
                (agg.filter == nullptr || Equal(*other.filter, *agg.filter));
    for (size_t k = 0; same && k < agg.args.size(); ++k) same = Equal(*other.args[k], *agg.args[k]);
    if (same) {
      return MakeColumn(ColumnBinding{node.aggregate_table, static_cast<uint32_t>(i)}, agg.type,
                        agg.ToString(), call.location);
    }
  }
  std::string text = agg.ToString();
  LogicalType type = agg.type;
  node.aggregates.push_back(std::move(agg));
  return MakeColumn(
      ColumnBinding{node.aggregate_table, static_cast<uint32_t>(node.aggregates.size() - 1)},
      type, text, call.location);
}

Result<BoundExprPtr> Binder::BindWindowCall(const FunctionCall& call, ExprContext& ec) {
  WindowState& ws = *ec.window;
  ExprContext inner = ec;
  inner.window = nullptr;
  inner.clause = "window function arguments";
  // Merge `OVER w` with the named window.
  const WindowSpec* spec = call.over.get();
  const WindowSpec* base = nullptr;
  if (spec->existing_window) {
    if (ws.named != nullptr) {
      for (const NamedWindow& nw : *ws.named) {
        if (nw.name.Matches(spec->existing_window->name)) base = &nw.spec;
      }
    }
    if (base == nullptr) {
      return Error(spec->existing_window->location,
                   "unknown window '" + spec->existing_window->name + "'");
    }
  }
  const auto& partition = !spec->partition_by.empty() || base == nullptr ? spec->partition_by
                                                                        : base->partition_by;
  const auto& order = !spec->order_by.empty() || base == nullptr ? spec->order_by : base->order_by;
  const std::optional<WindowFrame>& frame =
      spec->frame.has_value() || base == nullptr ? spec->frame : base->frame;

  BoundWindowFunction wf;
  wf.location = call.location;
  wf.ignore_nulls = call.null_treatment == NullTreatment::kIgnoreNulls;
  std::vector<LogicalType> types;
  for (const ExprPtr& a : call.args) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*a, inner));
    types.push_back(b->type);
    wf.args.push_back(std::move(b));
  }
  if (call.distinct) return Error(call.location, "DISTINCT is not supported in window functions",
                                  "", StatusCode::kUnimplemented);
  if (call.filter) return Error(call.location, "FILTER is not supported in window functions", "",
                                StatusCode::kUnimplemented);
  Result<AggregateSignature> sig = Internal("unresolved window function");
  if (IsAggregateFunction(call.name.name)) {
    wf.is_aggregate = true;
    sig = ResolveAggregate(call.name.name, types, call.star);
  } else if (IsWindowOnlyFunction(call.name.name)) {
    sig = ResolveWindowFunction(call.name.name, types);
  } else {
    return Error(call.name.location, "'" + call.name.name + "' is not a window function");
  }
  if (!sig.ok()) return Locate(sig.status(), call.location);
  wf.name = sig->name;
  wf.type = sig->return_type;
  for (size_t i = 0; i < wf.args.size(); ++i) {
    TB_ASSIGN_OR_RETURN(wf.args[i], CastTo(std::move(wf.args[i]), sig->arg_types[i]));
  }
  for (const ExprPtr& p : partition) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*p, inner));
    wf.partition_by.push_back(std::move(b));
  }
  for (const OrderItem& o : order) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*o.expr, inner));
    if (!IsOrderable(b->type)) {
      return Error(o.location, "cannot order by a value of type " + b->type.ToString());
    }
    wf.order_by.push_back(BoundOrder{std::move(b), o.descending, o.nulls == NullOrdering::kFirst});
  }
  if (frame) {
    if (frame->unit == FrameUnit::kGroups) {
      return Error(frame->location, "GROUPS frames are not supported", "",
                   StatusCode::kUnimplemented);
    }
    wf.frame.rows = frame->unit == FrameUnit::kRows;
    auto bound = [&](const FrameBound& fb, FrameEdge* edge, int64_t* offset) -> Status {
      switch (fb.kind) {
        case FrameBoundKind::kUnboundedPreceding: *edge = FrameEdge::kUnboundedPreceding; break;
        case FrameBoundKind::kCurrentRow: *edge = FrameEdge::kCurrentRow; break;
        case FrameBoundKind::kUnboundedFollowing: *edge = FrameEdge::kUnboundedFollowing; break;
        case FrameBoundKind::kPreceding:
        case FrameBoundKind::kFollowing:
          *edge = fb.kind == FrameBoundKind::kPreceding ? FrameEdge::kPreceding
                                                         : FrameEdge::kFollowing;
          if (!wf.frame.rows) {
            return Error(fb.location, "RANGE frames with offsets are not supported", "",
                         StatusCode::kUnimplemented);
          }
          if (fb.offset == nullptr || !fb.offset->Is<IntegerLiteral>()) {
            return Error(fb.location, "frame offsets must be non-negative integer literals");
          }
          *offset = fb.offset->As<IntegerLiteral>().value;
          break;
      }
      return Status::OK();
    };
    TB_RETURN_IF_ERROR(bound(frame->start, &wf.frame.start, &wf.frame.start_offset));
    if (frame->end) {
      TB_RETURN_IF_ERROR(bound(*frame->end, &wf.frame.end, &wf.frame.end_offset));
    } else {
      wf.frame.end = FrameEdge::kCurrentRow;
    }
    if (wf.frame.start == FrameEdge::kUnboundedFollowing ||
        wf.frame.end == FrameEdge::kUnboundedPreceding) {
      return Error(frame->location, "invalid window frame");
    }
  }
  std::string text = wf.ToString();
  LogicalType type = wf.type;
  ws.window->functions.push_back(std::move(wf));
  return MakeColumn(
      ColumnBinding{ws.window->table, static_cast<uint32_t>(ws.window->functions.size() - 1)},
      type, text, call.location);
}

Result<BoundExprPtr> Binder::BindLambdaCall(const FunctionCall& call, ExprContext& ec) {
  const ScalarBind* bind = ctx_.functions->FindScalar(call.name.name);
  if (bind == nullptr) return Error(call.name.location, "unknown function '" + call.name.name + "'");
  std::vector<BoundExprPtr> args(call.args.size());
  ScalarBindInput input;
  std::string lname = AsciiLower(call.name.name);
  input.name = lname;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const Expr& a = *call.args[i];
    if (a.Is<LambdaExpr>()) {
      input.arg_types.push_back(LogicalType::Unknown());
      input.is_lambda.push_back(true);
      input.lambda_arity.push_back(a.As<LambdaExpr>().params.size());
      input.constants.push_back(nullptr);
    } else {
      TB_ASSIGN_OR_RETURN(args[i], BindExpr(a, ec));
      input.arg_types.push_back(args[i]->type);
      input.is_lambda.push_back(false);
      input.lambda_arity.push_back(0);
      input.constants.push_back(args[i]->kind == BoundExprKind::kConstant ? &args[i]->value
                                                                          : nullptr);
      Pin(*args[i]);  // lambda calls bind with their constants
    }
  }
  Result<BoundScalarFunction> first = (*bind)(input);
  if (!first.ok()) return Locate(first.status(), call.location);
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (!input.is_lambda[i]) continue;
    const auto& lambda = call.args[i]->As<LambdaExpr>();
    if (i >= first->lambda_params.size() ||
        first->lambda_params[i].size() != lambda.params.size()) {
      return Error(lambda.location, "function " + lname + " expects a lambda with " +
                                        std::to_string(i < first->lambda_params.size()
                                                           ? first->lambda_params[i].size()
                                                           : 0) +
                                        " parameter(s)");
    }
    ExprContext body_ctx = ec;
    body_ctx.aggregation = nullptr;
    body_ctx.window = nullptr;
    int first_slot = next_lambda_slot_;
    for (size_t p = 0; p < lambda.params.size(); ++p) {
      body_ctx.lambdas.push_back(
          LambdaParam{lambda.params[p].name, next_lambda_slot_++, first->lambda_params[i][p]});
    }
    TB_ASSIGN_OR_RETURN(BoundExprPtr body, BindExpr(*lambda.body, body_ctx));
    auto node = std::make_unique<BoundExpr>();
    node->kind = BoundExprKind::kLambda;
    node->type = body->type;
    node->index = first_slot;
    node->lambda_arity = lambda.params.size();
    node->location = lambda.location;
    node->children.push_back(std::move(body));
    input.arg_types[i] = node->type;
    args[i] = std::move(node);
  }
  Result<BoundScalarFunction> second = (*bind)(input);
  if (!second.ok()) return Locate(second.status(), call.location);
  auto fn = std::make_shared<BoundScalarFunction>(std::move(second).value());
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i]->type == fn->arg_types[i]) continue;
    if (args[i]->kind == BoundExprKind::kLambda) {
      TB_ASSIGN_OR_RETURN(args[i]->children[0],
                          CastTo(std::move(args[i]->children[0]), fn->arg_types[i]));
      args[i]->type = fn->arg_types[i];
    } else {
      TB_ASSIGN_OR_RETURN(args[i], CastTo(std::move(args[i]), fn->arg_types[i]));
    }
  }
  return MakeCall(lname, std::move(fn), std::move(args), call.location);
}

Result<BoundExprPtr> Binder::BindFunctionCall(const FunctionCall& call, ExprContext& ec) {
  std::string name = AsciiLower(call.name.name);
  if (call.over != nullptr) {
    return Error(call.location, "window functions are not allowed in " + std::string(ec.clause));
  }
  if (IsAggregateFunction(name)) {
    if (ec.in_aggregate_args) {
      return Error(call.location, "aggregate function calls cannot be nested");
    }
    return Error(call.location, "aggregate functions are not allowed in " + std::string(ec.clause));
  }
  if (IsWindowOnlyFunction(name)) {
    return Error(call.location, "window function '" + name + "' requires an OVER clause");
  }
  if (call.distinct || call.star || call.filter || !call.order_by.empty()) {
    return Error(call.location, "'" + name + "' is not an aggregate function");
  }
  bool has_lambda = false;
  for (const ExprPtr& a : call.args) has_lambda = has_lambda || a->Is<LambdaExpr>();
  if (has_lambda) return BindLambdaCall(call, ec);

  // Special forms the engine evaluates lazily.
  if (name == "coalesce") {
    if (call.args.empty()) return Error(call.location, "coalesce needs at least one argument");
    std::vector<BoundExprPtr> args;
    for (const ExprPtr& a : call.args) {
      TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*a, ec));
      args.push_back(std::move(b));
    }
    if (args.size() == 1) return std::move(args[0]);
    LogicalType type;
    TB_ASSIGN_OR_RETURN(args, CoerceAll(std::move(args), call.location, "coalesce arguments", &type));
    return MakeNode(BoundExprKind::kCoalesce, type, std::move(args), call.location);
  }
  if (name == "if") {
    if (call.args.size() != 2 && call.args.size() != 3) {
      return Error(call.location, "if takes 2 or 3 arguments, got " + std::to_string(call.args.size()));
    }
    TB_ASSIGN_OR_RETURN(BoundExprPtr cond, BindExpr(*call.args[0], ec));
    TB_ASSIGN_OR_RETURN(cond, ToBoolean(std::move(cond), "if condition"));
    std::vector<BoundExprPtr> results;
    for (size_t i = 1; i < call.args.size(); ++i) {
      TB_ASSIGN_OR_RETURN(BoundExprPtr r, BindExpr(*call.args[i], ec));
      results.push_back(std::move(r));
    }
    LogicalType type;
    TB_ASSIGN_OR_RETURN(results, CoerceAll(std::move(results), call.location, "if results", &type));
    std::vector<BoundExprPtr> children;
    children.push_back(std::move(cond));
    children.push_back(std::move(results[0]));
    bool has_else = results.size() == 2;
    if (has_else) children.push_back(std::move(results[1]));
    BoundExprPtr e = MakeNode(BoundExprKind::kCase, type, std::move(children), call.location);
    e->has_else = has_else;
    return e;
  }
  if ((name == "now" || name == "current_timestamp" || name == "localtimestamp") &&
      call.args.empty()) {
    return SlotConstant(PlanSlot::Kind::kNow, "", Value::Timestamp(ctx_.now_us), call.location);
  }
  if (name == "current_date" && call.args.empty()) {
    return SlotConstant(PlanSlot::Kind::kCurrentDate, "", Value::Date(DayOf(ctx_.now_us)),
                        call.location);
  }
  if (ctx_.functions->FindScalar(name) == nullptr) {
    std::vector<std::string> names = ctx_.functions->ScalarNames();
    for (const std::string& n : AggregateAndWindowNames()) names.push_back(n);
    for (const char* n : {"coalesce", "if", "now", "current_date"}) names.emplace_back(n);
    auto suggestion = SuggestName(name, names);
    return Error(call.name.location, "unknown function '" + call.name.name + "'",
                 suggestion ? "; did you mean '" + *suggestion + "'?" : "");
  }
  std::vector<BoundExprPtr> args;
  for (const ExprPtr& a : call.args) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*a, ec));
    args.push_back(std::move(b));
  }
  return BindScalarCall(name, std::move(args), call.location);
}

Result<BoundExprPtr> Binder::BindExprImpl(const Expr& expr, ExprContext& ec) {
  SourceLocation loc = expr.location;
  switch (expr.kind) {
    case ExprKind::kNullLiteral:
    case ExprKind::kBooleanLiteral:
    case ExprKind::kIntegerLiteral:
    case ExprKind::kDecimalLiteral:
    case ExprKind::kDoubleLiteral:
    case ExprKind::kStringLiteral:
    case ExprKind::kTypedLiteral:
    case ExprKind::kIntervalLiteral: return BindLiteral(expr);
    case ExprKind::kColumnRef: return BindColumnRef(expr.As<ColumnRef>(), ec);
    case ExprKind::kParameter: {
      const std::string& name = expr.As<Parameter>().name;
      if (ctx_.parameters != nullptr) {
        auto it = ctx_.parameters->find(name);
        if (it != ctx_.parameters->end()) {
          return SlotConstant(PlanSlot::Kind::kParameter, name, it->second, loc);
        }
      }
      return Error(loc, "parameter ':" + name + "' is not bound", "; pass a value for it");
    }
    case ExprKind::kFieldAccess: {
      const auto& f = expr.As<sql::FieldAccess>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr base, BindExpr(*f.base, ec));
      std::string text = base->ToString();
      return BindFieldAccess(std::move(base), f.field, text);
    }
    case ExprKind::kSubscript: {
      const auto& s = expr.As<Subscript>();
      std::vector<BoundExprPtr> args;
      TB_ASSIGN_OR_RETURN(BoundExprPtr base, BindExpr(*s.base, ec));
      TB_ASSIGN_OR_RETURN(BoundExprPtr index, BindExpr(*s.index, ec));
      args.push_back(std::move(base));
      args.push_back(std::move(index));
      return BindScalarCall("$subscript", std::move(args), loc);
    }
    case ExprKind::kUnary: {
      const auto& u = expr.As<UnaryExpr>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr operand, BindExpr(*u.operand, ec));
      switch (u.op) {
        case UnaryOp::kNot: {
          TB_ASSIGN_OR_RETURN(operand, ToBoolean(std::move(operand), "NOT"));
          std::vector<BoundExprPtr> c;
          c.push_back(std::move(operand));
          return MakeNode(BoundExprKind::kNot, LogicalType::Boolean(), std::move(c), loc);
        }
        case UnaryOp::kPlus:
          if (!operand->type.IsNumeric() && operand->type.id() != TypeId::kUnknown &&
              operand->type.id() != TypeId::kIntervalDayTime &&
              operand->type.id() != TypeId::kIntervalYearMonth) {
            return Error(loc, "unary + needs a number, got " + operand->type.ToString());
          }
          return operand;
        case UnaryOp::kMinus: {
          // A tagged value is negated per execution (the physical planner folds it).
          if (operand->kind == BoundExprKind::kConstant && !operand->value.is_null() &&
              operand->slot < 0) {
            const Value& v = operand->value;
            if (v.type().id() == TypeId::kDouble) return MakeConstant(Value::Double(-v.double_value()), loc);
            if (v.type().id() == TypeId::kBigint && v.int_value() != INT64_MIN) {
              return MakeConstant(Value::Bigint(-v.int_value()), loc);
            }
          }
          std::vector<BoundExprPtr> c;
          c.push_back(std::move(operand));
          return BindScalarCall("$negate", std::move(c), loc);
        }
      }
      return Internal("bad unary operator");
    }
    case ExprKind::kBinary: {
      const auto& b = expr.As<BinaryExpr>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr left, BindExpr(*b.left, ec));
      TB_ASSIGN_OR_RETURN(BoundExprPtr right, BindExpr(*b.right, ec));
      if (b.op == BinaryOp::kIsDistinctFrom || b.op == BinaryOp::kIsNotDistinctFrom) {
        TB_RETURN_IF_ERROR(CoerceTemporalLiteral(left, right));
        TB_RETURN_IF_ERROR(CoerceTemporalLiteral(right, left));
        std::vector<BoundExprPtr> both;
        both.push_back(std::move(left));
        both.push_back(std::move(right));
        LogicalType type;
        TB_ASSIGN_OR_RETURN(both, CoerceAll(std::move(both), loc, "IS DISTINCT FROM operands", &type));
        BoundExprPtr e = MakeNode(BoundExprKind::kIsDistinctFrom, LogicalType::Boolean(),
                                  std::move(both), loc);
        e->negated = b.op == BinaryOp::kIsNotDistinctFrom;
        return e;
      }
      std::string_view fn = ComparisonFunction(b.op);
      if (IsComparisonFn(fn)) return BindComparison(fn, std::move(left), std::move(right), loc);
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(left));
      args.push_back(std::move(right));
      return BindScalarCall(fn, std::move(args), loc);
    }
    case ExprKind::kLogical: {
      const auto& l = expr.As<LogicalExpr>();
      std::vector<BoundExprPtr> terms;
      std::string_view what = l.op == LogicalOp::kAnd ? "AND" : "OR";
      for (const ExprPtr& t : l.terms) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*t, ec));
        TB_ASSIGN_OR_RETURN(b, ToBoolean(std::move(b), what));
        terms.push_back(std::move(b));
      }
      BoundExprPtr e = MakeConjunction(
          l.op == LogicalOp::kAnd ? BoundExprKind::kAnd : BoundExprKind::kOr, std::move(terms));
      e->location = loc;
      return e;
    }
    case ExprKind::kBetween: {
      const auto& b = expr.As<BetweenExpr>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*b.value, ec));
      TB_ASSIGN_OR_RETURN(BoundExprPtr low, BindExpr(*b.low, ec));
      TB_ASSIGN_OR_RETURN(BoundExprPtr high, BindExpr(*b.high, ec));
      TB_ASSIGN_OR_RETURN(BoundExprPtr ge, BindComparison("$ge", value->Clone(), std::move(low), loc));
      TB_ASSIGN_OR_RETURN(BoundExprPtr le, BindComparison("$le", std::move(value), std::move(high), loc));
      std::vector<BoundExprPtr> terms;
      terms.push_back(std::move(ge));
      terms.push_back(std::move(le));
      BoundExprPtr e = MakeConjunction(BoundExprKind::kAnd, std::move(terms));
      e->location = loc;
      if (!b.negated) return e;
      std::vector<BoundExprPtr> c;
      c.push_back(std::move(e));
      return MakeNode(BoundExprKind::kNot, LogicalType::Boolean(), std::move(c), loc);
    }
    case ExprKind::kInList: return BindInList(expr.As<InListExpr>(), ec);
    case ExprKind::kInSubquery: {
      const auto& in = expr.As<InSubqueryExpr>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*in.value, ec));
      return BindSubquery(*in.query, SubqueryKind::kIn, std::move(value), in.negated, loc, ec);
    }
    case ExprKind::kLike: {
      const auto& l = expr.As<LikeExpr>();
      std::vector<BoundExprPtr> args;
      TB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*l.value, ec));
      TB_ASSIGN_OR_RETURN(BoundExprPtr pattern, BindExpr(*l.pattern, ec));
      args.push_back(std::move(value));
      args.push_back(std::move(pattern));
      if (l.escape) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr escape, BindExpr(*l.escape, ec));
        args.push_back(std::move(escape));
      }
      TB_ASSIGN_OR_RETURN(BoundExprPtr like, BindScalarCall("$like", std::move(args), loc));
      if (!l.negated) return like;
      std::vector<BoundExprPtr> c;
      c.push_back(std::move(like));
      return MakeNode(BoundExprKind::kNot, LogicalType::Boolean(), std::move(c), loc);
    }
    case ExprKind::kIsNull: {
      const auto& n = expr.As<IsNullExpr>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*n.value, ec));
      std::vector<BoundExprPtr> c;
      c.push_back(std::move(value));
      BoundExprPtr e = MakeNode(BoundExprKind::kIsNull, LogicalType::Boolean(), std::move(c), loc);
      e->negated = n.negated;
      return e;
    }
    case ExprKind::kExists:
      return BindSubquery(*expr.As<ExistsExpr>().query, SubqueryKind::kExists, nullptr, false,
                          loc, ec);
    case ExprKind::kScalarSubquery:
      return BindSubquery(*expr.As<ScalarSubquery>().query, SubqueryKind::kScalar, nullptr,
                          false, loc, ec);
    case ExprKind::kFunctionCall: return BindFunctionCall(expr.As<FunctionCall>(), ec);
    case ExprKind::kCast: {
      const auto& c = expr.As<CastExpr>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*c.value, ec));
      Result<LogicalType> type = BindTypeName(c.type);
      if (!type.ok()) return Locate(type.status(), c.type.location);
      if (value->type == *type) return value;
      if (value->kind == BoundExprKind::kConstant && value->value.is_null()) {
        return MakeConstant(Value::Null(*type), loc);
      }
      // The call carries the CAST's location, so cast failures point at it.
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(value));
      args.push_back(MakeConstant(Value::Varchar(type->ToString())));
      return BindScalarCall(c.try_cast ? "$try_cast" : "$cast", std::move(args), loc);
    }
    case ExprKind::kCase: return BindCase(expr.As<CaseExpr>(), ec);
    case ExprKind::kArray: {
      const auto& a = expr.As<ArrayExpr>();
      std::vector<BoundExprPtr> elements;
      for (const ExprPtr& e : a.elements) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*e, ec));
        elements.push_back(std::move(b));
      }
      LogicalType type;
      TB_ASSIGN_OR_RETURN(elements, CoerceAll(std::move(elements), loc, "ARRAY elements", &type));
      return BindScalarCall("$array", std::move(elements), loc);
    }
    case ExprKind::kRow: {
      std::vector<BoundExprPtr> fields;
      for (const ExprPtr& e : expr.As<RowExpr>().fields) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*e, ec));
        fields.push_back(std::move(b));
      }
      return BindScalarCall("$row", std::move(fields), loc);
    }
    case ExprKind::kLambda:
      return Error(loc, "a lambda expression is only allowed as a function argument");
    case ExprKind::kCurrentTime: {
      const auto& c = expr.As<CurrentTimeExpr>();
      switch (c.function) {
        case CurrentTimeFunction::kCurrentTimestamp:
        case CurrentTimeFunction::kLocalTimestamp:
          return SlotConstant(PlanSlot::Kind::kNow, "", Value::Timestamp(ctx_.now_us), loc);
        case CurrentTimeFunction::kCurrentDate:
          return SlotConstant(PlanSlot::Kind::kCurrentDate, "", Value::Date(DayOf(ctx_.now_us)), loc);
        default:
          return Error(loc, "the TIME type is not supported", "", StatusCode::kUnimplemented);
      }
    }
    case ExprKind::kAtTimeZone: {
      const auto& a = expr.As<AtTimeZoneExpr>();
      TB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*a.value, ec));
      TB_ASSIGN_OR_RETURN(BoundExprPtr zone, BindExpr(*a.zone, ec));
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(value));
      args.push_back(std::move(zone));
      return BindScalarCall("at_timezone", std::move(args), loc);
    }
  }
  return Internal("unhandled expression kind");
}

}  // namespace trailbook::sql::internal
