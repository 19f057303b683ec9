#include "sql/planner/bound_expr.h"

#include <algorithm>

#include "base/check.h"

namespace trailbook::sql {
namespace {

std::string QuoteString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string ConstantToString(const Value& v) {
  if (v.is_null()) return "NULL";
  switch (v.type().id()) {
    case TypeId::kVarchar: return QuoteString(v.string_value());
    case TypeId::kTimestamp: return "TIMESTAMP '" + v.ToString() + "'";
    case TypeId::kDate: return "DATE '" + v.ToString() + "'";
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: return "INTERVAL '" + v.ToString() + "'";
    case TypeId::kJson: return "JSON " + QuoteString(v.string_value());
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: return "CAST(" + QuoteString(v.string_value()) + " AS " +
                              v.type().ToString() + ")";
    default: return v.ToString();
  }
}

std::string JoinChildren(const std::vector<BoundExprPtr>& children, size_t from,
                         std::string_view sep) {
  std::string out;
  for (size_t i = from; i < children.size(); ++i) {
    if (i > from) out += sep;
    out += children[i]->ToString();
  }
  return out;
}

}  // namespace

std::string_view OperatorSpelling(std::string_view name) {
  if (name == "$eq") return "=";
  if (name == "$ne") return "<>";
  if (name == "$lt") return "<";
  if (name == "$le") return "<=";
  if (name == "$gt") return ">";
  if (name == "$ge") return ">=";
  if (name == "$add") return "+";
  if (name == "$subtract") return "-";
  if (name == "$multiply") return "*";
  if (name == "$divide") return "/";
  if (name == "$modulo") return "%";
  if (name == "$concat") return "||";
  return "";
}

BoundExprPtr BoundExpr::Clone() const {
  auto e = std::make_unique<BoundExpr>();
  e->kind = kind;
  e->type = type;
  e->location = location;
  e->value = value;
  e->slot = slot;
  e->binding = binding;
  e->index = index;
  e->name = name;
  e->function = function;
  e->children.reserve(children.size());
  for (const BoundExprPtr& c : children) e->children.push_back(c->Clone());
  e->negated = negated;
  e->has_else = has_else;
  e->lambda_arity = lambda_arity;
  e->subquery_kind = subquery_kind;
  e->subquery = subquery;
  return e;
}

std::string BoundExpr::ToString() const {
  switch (kind) {
    case BoundExprKind::kConstant: return ConstantToString(value);
    case BoundExprKind::kColumnRef: return name;
    case BoundExprKind::kLambdaParam: return name.empty() ? "$" + std::to_string(index) : name;
    case BoundExprKind::kLambda: return "(lambda) -> " + children[0]->ToString();
    case BoundExprKind::kCall: {
      std::string_view op = OperatorSpelling(name);
      if (!op.empty() && children.size() == 2) {
        return "(" + children[0]->ToString() + " " + std::string(op) + " " +
               children[1]->ToString() + ")";
      }
      if (name == "$negate") return "-" + children[0]->ToString();
      if (name == "$like") {
        std::string s = "(" + children[0]->ToString() + " LIKE " + children[1]->ToString();
        if (children.size() > 2) s += " ESCAPE " + children[2]->ToString();
        return s + ")";
      }
      if ((name == "$cast" || name == "$try_cast") && !children.empty()) {
        return std::string(name == "$cast" ? "CAST(" : "TRY_CAST(") + children[0]->ToString() +
               " AS " + type.ToString() + ")";
      }
      return name + "(" + JoinChildren(children, 0, ", ") + ")";
    }
    case BoundExprKind::kAnd: return "(" + JoinChildren(children, 0, " AND ") + ")";
    case BoundExprKind::kOr: return "(" + JoinChildren(children, 0, " OR ") + ")";
    case BoundExprKind::kNot: return "(NOT " + children[0]->ToString() + ")";
    case BoundExprKind::kIsNull:
      return "(" + children[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
    case BoundExprKind::kIsDistinctFrom:
      return "(" + children[0]->ToString() +
             (negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
             children[1]->ToString() + ")";
    case BoundExprKind::kInList:
      return "(" + children[0]->ToString() + (negated ? " NOT IN (" : " IN (") +
             JoinChildren(children, 1, ", ") + "))";
    case BoundExprKind::kCase: {
      std::string s = "CASE";
      size_t pairs = (children.size() - (has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        s += " WHEN " + children[2 * i]->ToString() + " THEN " + children[2 * i + 1]->ToString();
      }
      if (has_else) s += " ELSE " + children.back()->ToString();
      return s + " END";
    }
    case BoundExprKind::kCoalesce: return "coalesce(" + JoinChildren(children, 0, ", ") + ")";
    case BoundExprKind::kSubquery:
      switch (subquery_kind) {
        case SubqueryKind::kScalar: return "(subquery)";
        case SubqueryKind::kExists: return "EXISTS (subquery)";
        case SubqueryKind::kIn:
          return "(" + children[0]->ToString() + (negated ? " NOT IN " : " IN ") + "(subquery))";
      }
  }
  return "?";
}

BoundExprPtr MakeConstant(Value value, SourceLocation location) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kConstant;
  e->type = value.type();
  e->value = std::move(value);
  e->location = location;
  return e;
}

BoundExprPtr MakeColumn(ColumnBinding binding, LogicalType type, std::string name,
                        SourceLocation location) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kColumnRef;
  e->type = std::move(type);
  e->binding = binding;
  e->name = std::move(name);
  e->location = location;
  return e;
}

BoundExprPtr MakeCall(std::string name, std::shared_ptr<const BoundScalarFunction> function,
                      std::vector<BoundExprPtr> args, SourceLocation location) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kCall;
  e->type = function->return_type;
  e->name = std::move(name);
  e->function = std::move(function);
  e->children = std::move(args);
  e->location = location;
  return e;
}

BoundExprPtr MakeNode(BoundExprKind kind, LogicalType type, std::vector<BoundExprPtr> children,
                      SourceLocation location) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = kind;
  e->type = std::move(type);
  e->children = std::move(children);
  e->location = location;
  return e;
}

BoundExprPtr MakeConjunction(BoundExprKind kind, std::vector<BoundExprPtr> terms) {
  TB_CHECK(!terms.empty()) << "empty conjunction";
  if (terms.size() == 1) return std::move(terms[0]);
  std::vector<BoundExprPtr> flat;
  for (BoundExprPtr& t : terms) {
    if (t->kind == kind) {
      for (BoundExprPtr& c : t->children) flat.push_back(std::move(c));
    } else {
      flat.push_back(std::move(t));
    }
  }
  return MakeNode(kind, LogicalType::Boolean(), std::move(flat));
}

bool Equal(const BoundExpr& a, const BoundExpr& b) {
  if (a.kind != b.kind || a.type != b.type || a.children.size() != b.children.size() ||
      a.negated != b.negated || a.has_else != b.has_else) {
    return false;
  }
  switch (a.kind) {
    case BoundExprKind::kConstant:
      // A tagged constant only equals the same slot: its value changes per execution.
      if (a.slot != b.slot) return false;
      if (a.value.is_null() != b.value.is_null() || !(a.value == b.value)) return false;
      break;
    case BoundExprKind::kColumnRef:
      if (!(a.binding == b.binding)) return false;
      break;
    case BoundExprKind::kLambdaParam:
    case BoundExprKind::kLambda:
      if (a.index != b.index || a.lambda_arity != b.lambda_arity) return false;
      break;
    case BoundExprKind::kCall:
      if (a.name != b.name) return false;
      break;
    case BoundExprKind::kSubquery:
      if (a.subquery != b.subquery || a.subquery_kind != b.subquery_kind) return false;
      break;
    default: break;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!Equal(*a.children[i], *b.children[i])) return false;
  }
  return true;
}

void VisitExpr(const BoundExpr& e, const std::function<void(const BoundExpr&)>& fn) {
  fn(e);
  for (const BoundExprPtr& c : e.children) VisitExpr(*c, fn);
}

void VisitExprMutable(BoundExpr& e, const std::function<void(BoundExpr&)>& fn) {
  fn(e);
  for (BoundExprPtr& c : e.children) VisitExprMutable(*c, fn);
}

bool IsRowIndependent(const BoundExpr& e) {
  bool independent = true;
  VisitExpr(e, [&](const BoundExpr& n) {
    if (n.kind == BoundExprKind::kColumnRef || n.kind == BoundExprKind::kLambdaParam) {
      independent = false;
    }
  });
  return independent;
}

bool IsDeterministic(const BoundExpr& e) {
  bool deterministic = true;
  VisitExpr(e, [&](const BoundExpr& n) {
    if (n.kind == BoundExprKind::kSubquery) deterministic = false;
    if (n.kind == BoundExprKind::kCall && n.function && !n.function->deterministic) {
      deterministic = false;
    }
  });
  return deterministic;
}

void CollectBindings(const BoundExpr& e, std::vector<ColumnBinding>* out) {
  VisitExpr(e, [&](const BoundExpr& n) {
    if (n.kind == BoundExprKind::kColumnRef) out->push_back(n.binding);
  });
}

bool ReferencesOnly(const BoundExpr& e, const std::vector<uint32_t>& tables) {
  bool only = true;
  VisitExpr(e, [&](const BoundExpr& n) {
    if (n.kind == BoundExprKind::kColumnRef &&
        std::find(tables.begin(), tables.end(), n.binding.table) == tables.end()) {
      only = false;
    }
  });
  return only;
}

void SplitConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out) {
  if (e->kind == BoundExprKind::kAnd) {
    for (BoundExprPtr& c : e->children) SplitConjuncts(std::move(c), out);
    return;
  }
  out->push_back(std::move(e));
}

}  // namespace trailbook::sql
