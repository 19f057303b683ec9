#include "sql/parser/ast_printer.h"

#include <cstdio>
#include <string>

#include "sql/parser/internal/precedence.h"
#include "sql/parser/lexer.h"
#include "sql/parser/token.h"

namespace trailbook::sql {
namespace {

using internal::kPrecAdditive;
using internal::kPrecAnd;
using internal::kPrecAtTimeZone;
using internal::kPrecConcat;
using internal::kPrecLowest;
using internal::kPrecMultiplicative;
using internal::kPrecNot;
using internal::kPrecOr;
using internal::kPrecPostfix;
using internal::kPrecPredicate;
using internal::kPrecUnary;

bool IsSimpleName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0))) return false;
  }
  return true;
}

std::string Quote(std::string_view name, char quote) {
  std::string out(1, quote);
  for (char c : name) {
    out.push_back(c);
    if (c == quote) out.push_back(quote);
  }
  out.push_back(quote);
  return out;
}

// Binding strength of an expression's top operator (kPrecPostfix for primaries).
int PrecedenceOf(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLogical:
      return e.As<LogicalExpr>().op == LogicalOp::kAnd ? kPrecAnd : kPrecOr;
    case ExprKind::kUnary:
      return e.As<UnaryExpr>().op == UnaryOp::kNot ? kPrecNot : kPrecUnary;
    case ExprKind::kBinary:
      switch (e.As<BinaryExpr>().op) {
        case BinaryOp::kConcat:
          return kPrecConcat;
        case BinaryOp::kAdd:
        case BinaryOp::kSubtract:
          return kPrecAdditive;
        case BinaryOp::kMultiply:
        case BinaryOp::kDivide:
        case BinaryOp::kModulo:
          return kPrecMultiplicative;
        default:
          return kPrecPredicate;
      }
    case ExprKind::kBetween:
    case ExprKind::kInList:
    case ExprKind::kInSubquery:
    case ExprKind::kLike:
    case ExprKind::kIsNull:
      return kPrecPredicate;
    case ExprKind::kAtTimeZone:
      return kPrecAtTimeZone;
    case ExprKind::kLambda:
      return kPrecLowest;
    default:
      return kPrecPostfix;
  }
}

int SetOperatorPrecedence(SetOperator op) { return op == SetOperator::kIntersect ? 2 : 1; }

std::string_view CurrentTimeSpelling(CurrentTimeFunction f) {
  switch (f) {
    case CurrentTimeFunction::kCurrentDate:
      return "CURRENT_DATE";
    case CurrentTimeFunction::kCurrentTime:
      return "CURRENT_TIME";
    case CurrentTimeFunction::kCurrentTimestamp:
      return "CURRENT_TIMESTAMP";
    case CurrentTimeFunction::kLocalTime:
      return "LOCALTIME";
    case CurrentTimeFunction::kLocalTimestamp:
      return "LOCALTIMESTAMP";
  }
  return "CURRENT_TIMESTAMP";
}

// Appends SQL text for AST nodes to one string.
class Printer {
 public:
  std::string Take() { return std::move(out_); }

  void AppendStatement(const sql::Statement& s) { AppendQuery(*s.query); }

  void AppendQuery(const sql::Query& q) {
    if (!q.with.empty()) {
      out_ += "WITH ";
      for (size_t i = 0; i < q.with.size(); ++i) {
        if (i > 0) out_ += ", ";
        const CommonTableExpr& cte = q.with[i];
        AppendName(cte.name);
        if (!cte.columns.empty()) AppendNameList(cte.columns);
        out_ += " AS (";
        AppendQuery(*cte.query);
        out_ += ")";
      }
      out_ += " ";
    }
    AppendBody(*q.body);
    if (!q.order_by.empty()) {
      out_ += " ORDER BY ";
      AppendOrderItems(q.order_by);
    }
    if (q.offset != nullptr) {
      out_ += " OFFSET ";
      AppendExpr(*q.offset, kPrecLowest);
    }
    if (q.limit != nullptr) {
      out_ += q.limit_with_ties ? " FETCH FIRST " : " LIMIT ";
      AppendExpr(*q.limit, kPrecLowest);
      if (q.limit_with_ties) out_ += " ROWS WITH TIES";
    }
  }

  void AppendBody(const QueryBody& body) {
    switch (body.kind) {
      case QueryBodyKind::kSelect:
        AppendSelect(body.As<SelectBody>());
        return;
      case QueryBodyKind::kSetOperation: {
        const auto& set = body.As<SetOperationBody>();
        int precedence = SetOperatorPrecedence(set.op);
        AppendSetOperand(*set.left, precedence);
        out_ += " ";
        out_ += SetOperatorName(set.op);
        if (set.all) out_ += " ALL";
        out_ += " ";
        AppendSetOperand(*set.right, precedence + 1);
        return;
      }
      case QueryBodyKind::kValues: {
        out_ += "VALUES ";
        AppendExprList(body.As<ValuesBody>().rows);
        return;
      }
      case QueryBodyKind::kNested:
        out_ += "(";
        AppendQuery(*body.As<NestedQueryBody>().query);
        out_ += ")";
        return;
    }
  }

  void AppendSetOperand(const QueryBody& body, int min_precedence) {
    bool wrap = body.Is<SetOperationBody>() &&
                SetOperatorPrecedence(body.As<SetOperationBody>().op) < min_precedence;
    if (wrap) out_ += "(";
    AppendBody(body);
    if (wrap) out_ += ")";
  }

  void AppendSelect(const SelectBody& s) {
    out_ += s.distinct ? "SELECT DISTINCT " : "SELECT ";
    for (size_t i = 0; i < s.items.size(); ++i) {
      if (i > 0) out_ += ", ";
      const SelectItem& item = s.items[i];
      if (item.kind == SelectItemKind::kAllColumns) {
        for (const Identifier& part : item.qualifier) {
          AppendName(part);
          out_ += ".";
        }
        out_ += "*";
        continue;
      }
      AppendExpr(*item.expr, kPrecLowest);
      if (item.alias.has_value()) {
        out_ += " AS ";
        AppendName(*item.alias);
      }
    }
    if (s.from != nullptr) {
      out_ += " FROM ";
      AppendRelation(*s.from);
    }
    if (s.where != nullptr) {
      out_ += " WHERE ";
      AppendExpr(*s.where, kPrecLowest);
    }
    if (!s.group_by.empty()) {
      out_ += " GROUP BY ";
      AppendExprList(s.group_by);
    }
    if (s.having != nullptr) {
      out_ += " HAVING ";
      AppendExpr(*s.having, kPrecLowest);
    }
    if (!s.windows.empty()) {
      out_ += " WINDOW ";
      for (size_t i = 0; i < s.windows.size(); ++i) {
        if (i > 0) out_ += ", ";
        AppendName(s.windows[i].name);
        out_ += " AS ";
        AppendWindow(s.windows[i].spec);
      }
    }
  }

  void AppendRelation(const sql::Relation& r) {
    switch (r.kind) {
      case RelationKind::kTable: {
        const auto& t = r.As<TableRelation>();
        switch (t.name.kind) {
          case TableNameKind::kQualified:
            for (size_t i = 0; i < t.name.parts.size(); ++i) {
              if (i > 0) out_ += ".";
              AppendName(t.name.parts[i]);
            }
            break;
          case TableNameKind::kEventDataStore:
            out_ += IsUuid(t.name.text) ? t.name.text : Quote(t.name.text, '"');
            break;
          case TableNameKind::kPlaceholder:
            out_ += t.name.text;
            break;
        }
        AppendAlias(t.alias);
        return;
      }
      case RelationKind::kSubquery: {
        const auto& s = r.As<SubqueryRelation>();
        out_ += "(";
        AppendQuery(*s.query);
        out_ += ")";
        AppendAlias(s.alias);
        return;
      }
      case RelationKind::kUnnest: {
        const auto& u = r.As<UnnestRelation>();
        out_ += "UNNEST(";
        AppendExprList(u.args);
        out_ += ")";
        if (u.with_ordinality) out_ += " WITH ORDINALITY";
        AppendAlias(u.alias);
        return;
      }
      case RelationKind::kJoin: {
        const auto& j = r.As<JoinRelation>();
        AppendRelation(*j.left);
        if (j.type == JoinType::kImplicit) {
          out_ += ", ";
        } else {
          out_ += " ";
          out_ += JoinTypeName(j.type);
          out_ += " ";
        }
        bool wrap = j.right->Is<JoinRelation>() && j.type != JoinType::kImplicit;
        if (wrap) out_ += "(";
        AppendRelation(*j.right);
        if (wrap) out_ += ")";
        if (j.on != nullptr) {
          out_ += " ON ";
          AppendExpr(*j.on, kPrecLowest);
        } else if (!j.using_columns.empty()) {
          out_ += " USING ";
          AppendNameList(j.using_columns);
        }
        return;
      }
    }
  }

  void AppendAlias(const std::optional<TableAlias>& alias) {
    if (!alias.has_value()) return;
    out_ += " AS ";
    AppendName(alias->name);
    if (!alias->columns.empty()) AppendNameList(alias->columns);
  }

  void AppendWindow(const WindowSpec& w) {
    out_ += "(";
    bool space = false;
    auto separate = [&] {
      if (space) out_ += " ";
      space = true;
    };
    if (w.existing_window.has_value()) {
      separate();
      AppendName(*w.existing_window);
    }
    if (!w.partition_by.empty()) {
      separate();
      out_ += "PARTITION BY ";
      AppendExprList(w.partition_by);
    }
    if (!w.order_by.empty()) {
      separate();
      out_ += "ORDER BY ";
      AppendOrderItems(w.order_by);
    }
    if (w.frame.has_value()) {
      separate();
      const WindowFrame& f = *w.frame;
      out_ += f.unit == FrameUnit::kRows    ? "ROWS "
              : f.unit == FrameUnit::kRange ? "RANGE "
                                            : "GROUPS ";
      if (f.end.has_value()) {
        out_ += "BETWEEN ";
        AppendBound(f.start);
        out_ += " AND ";
        AppendBound(*f.end);
      } else {
        AppendBound(f.start);
      }
    }
    out_ += ")";
  }

  void AppendBound(const FrameBound& b) {
    switch (b.kind) {
      case FrameBoundKind::kUnboundedPreceding:
        out_ += "UNBOUNDED PRECEDING";
        return;
      case FrameBoundKind::kUnboundedFollowing:
        out_ += "UNBOUNDED FOLLOWING";
        return;
      case FrameBoundKind::kCurrentRow:
        out_ += "CURRENT ROW";
        return;
      case FrameBoundKind::kPreceding:
      case FrameBoundKind::kFollowing:
        AppendExpr(*b.offset, kPrecLowest);
        out_ += b.kind == FrameBoundKind::kPreceding ? " PRECEDING" : " FOLLOWING";
        return;
    }
  }

  void AppendOrderItems(const std::vector<OrderItem>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out_ += ", ";
      AppendExpr(*items[i].expr, kPrecLowest);
      if (items[i].descending) out_ += " DESC";
      if (items[i].nulls == NullOrdering::kFirst) out_ += " NULLS FIRST";
      if (items[i].nulls == NullOrdering::kLast) out_ += " NULLS LAST";
    }
  }

  void AppendExprList(const std::vector<ExprPtr>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out_ += ", ";
      AppendExpr(*list[i], kPrecLowest);
    }
  }

  void AppendNameList(const std::vector<Identifier>& names) {
    out_ += "(";
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) out_ += ", ";
      AppendName(names[i]);
    }
    out_ += ")";
  }

  void AppendName(const Identifier& id) { out_ += PrintIdentifier(id); }

  void AppendParenthesizedNumber(int64_t n) {
    out_ += "(";
    out_ += std::to_string(n);
    out_ += ")";
  }

  void AppendType(const TypeName& t) {
    std::string_view name = t.name;
    bool zoned = name == "timestamp with time zone" || name == "time with time zone";
    if (name == "timestamp" || name == "time" || zoned) {
      out_ += zoned ? name.substr(0, name.find(' ')) : name;
      if (!t.parameters.empty()) {
        AppendParenthesizedNumber(t.parameters[0].number);
      }
      if (zoned) out_ += " with time zone";
      return;
    }
    if (name.substr(0, 9) == "interval ") {
      out_ += name;
      return;
    }
    bool bare = IsSimpleName(name) && !IsReserved(LookupKeyword(name));
    out_ += bare ? std::string(name) : Quote(name, '"');
    if (t.parameters.empty()) return;
    out_ += "(";
    for (size_t i = 0; i < t.parameters.size(); ++i) {
      if (i > 0) out_ += ", ";
      const TypeParameter& p = t.parameters[i];
      if (p.kind == TypeParameter::Kind::kNumber) {
        out_ += std::to_string(p.number);
        continue;
      }
      if (p.field_name.has_value()) {
        AppendName(*p.field_name);
        out_ += " ";
      }
      AppendType(*p.type);
    }
    out_ += ")";
  }

  // Prints `e`, in parentheses when it binds more loosely than `min_precedence`.
  void AppendExpr(const sql::Expr& e, int min_precedence) {
    bool wrap = PrecedenceOf(e) < min_precedence;
    if (wrap) out_ += "(";
    AppendExprBody(e);
    if (wrap) out_ += ")";
  }

  void AppendExprBody(const sql::Expr& e) {
    switch (e.kind) {
      case ExprKind::kNullLiteral:
        out_ += "NULL";
        return;
      case ExprKind::kBooleanLiteral:
        out_ += e.As<BooleanLiteral>().value ? "TRUE" : "FALSE";
        return;
      case ExprKind::kIntegerLiteral:
        out_ += std::to_string(e.As<IntegerLiteral>().value);
        return;
      case ExprKind::kDecimalLiteral:
        out_ += e.As<DecimalLiteral>().text;
        return;
      case ExprKind::kDoubleLiteral:
        out_ += e.As<DoubleLiteral>().text;
        return;
      case ExprKind::kStringLiteral:
        out_ += PrintStringLiteral(e.As<StringLiteral>().value);
        return;
      case ExprKind::kTypedLiteral: {
        const auto& t = e.As<TypedLiteral>();
        AppendName(t.type);
        out_ += " ";
        out_ += PrintStringLiteral(t.value);
        return;
      }
      case ExprKind::kIntervalLiteral: {
        const auto& i = e.As<IntervalLiteral>();
        out_ += i.negative ? "INTERVAL -" : "INTERVAL ";
        out_ += PrintStringLiteral(i.value);
        out_ += " ";
        out_ += IntervalFieldName(i.start);
        if (i.end.has_value()) {
          out_ += " TO ";
          out_ += IntervalFieldName(*i.end);
        }
        return;
      }
      case ExprKind::kColumnRef: {
        const auto& parts = e.As<ColumnRef>().parts;
        // A lone `array` or `interval` could be read back as ARRAY[...] or INTERVAL '...'.
        bool wrap = parts.size() == 1 && !parts[0].quoted &&
                    (parts[0].Matches("array") || parts[0].Matches("interval"));
        if (wrap) out_ += "(";
        for (size_t i = 0; i < parts.size(); ++i) {
          if (i > 0) out_ += ".";
          AppendName(parts[i]);
        }
        if (wrap) out_ += ")";
        return;
      }
      case ExprKind::kParameter:
        out_ += ":";
        out_ += e.As<Parameter>().name;
        return;
      case ExprKind::kFieldAccess: {
        const auto& f = e.As<FieldAccess>();
        // `1.x` would lex as the number 1. and a name; `(a).b` keeps a ColumnRef base apart.
        bool wrap = f.base->Is<IntegerLiteral>() || f.base->Is<DecimalLiteral>() ||
                    f.base->Is<DoubleLiteral>() || f.base->Is<ColumnRef>();
        if (wrap) {
          out_ += "(";
          AppendExprBody(*f.base);
          out_ += ")";
        } else {
          AppendExpr(*f.base, kPrecPostfix);
        }
        out_ += ".";
        AppendName(f.field);
        return;
      }
      case ExprKind::kSubscript: {
        const auto& s = e.As<Subscript>();
        AppendExpr(*s.base, kPrecPostfix);
        out_ += "[";
        AppendExpr(*s.index, kPrecLowest);
        out_ += "]";
        return;
      }
      case ExprKind::kUnary: {
        const auto& u = e.As<UnaryExpr>();
        if (u.op == UnaryOp::kNot) {
          out_ += "NOT ";
          AppendExpr(*u.operand, kPrecNot);
        } else {
          out_ += u.op == UnaryOp::kMinus ? "-" : "+";
          // Operands bind tighter than the sign, so "- -x" is printed "-(-x)" and never "--".
          AppendExpr(*u.operand, kPrecUnary + 1);
        }
        return;
      }
      case ExprKind::kBinary: {
        const auto& b = e.As<BinaryExpr>();
        int p = PrecedenceOf(e);
        bool comparison = p == kPrecPredicate;
        AppendExpr(*b.left, comparison ? kPrecConcat : p);
        out_ += " ";
        out_ += BinaryOpSpelling(b.op);
        out_ += " ";
        AppendExpr(*b.right, comparison ? kPrecConcat : p + 1);
        return;
      }
      case ExprKind::kLogical: {
        const auto& l = e.As<LogicalExpr>();
        int p = PrecedenceOf(e);
        for (size_t i = 0; i < l.terms.size(); ++i) {
          if (i > 0) out_ += l.op == LogicalOp::kAnd ? " AND " : " OR ";
          AppendExpr(*l.terms[i], p + 1);
        }
        return;
      }
      case ExprKind::kBetween: {
        const auto& b = e.As<BetweenExpr>();
        AppendExpr(*b.value, kPrecConcat);
        out_ += b.negated ? " NOT BETWEEN " : " BETWEEN ";
        AppendExpr(*b.low, kPrecConcat);
        out_ += " AND ";
        AppendExpr(*b.high, kPrecConcat);
        return;
      }
      case ExprKind::kInList: {
        const auto& in = e.As<InListExpr>();
        AppendExpr(*in.value, kPrecConcat);
        out_ += in.negated ? " NOT IN (" : " IN (";
        AppendExprList(in.list);
        out_ += ")";
        return;
      }
      case ExprKind::kInSubquery: {
        const auto& in = e.As<InSubqueryExpr>();
        AppendExpr(*in.value, kPrecConcat);
        out_ += in.negated ? " NOT IN (" : " IN (";
        AppendQuery(*in.query);
        out_ += ")";
        return;
      }
      case ExprKind::kLike: {
        const auto& l = e.As<LikeExpr>();
        AppendExpr(*l.value, kPrecConcat);
        out_ += l.negated ? " NOT LIKE " : " LIKE ";
        AppendExpr(*l.pattern, kPrecConcat);
        if (l.escape != nullptr) {
          out_ += " ESCAPE ";
          AppendExpr(*l.escape, kPrecConcat);
        }
        return;
      }
      case ExprKind::kIsNull: {
        const auto& n = e.As<IsNullExpr>();
        AppendExpr(*n.value, kPrecConcat);
        out_ += n.negated ? " IS NOT NULL" : " IS NULL";
        return;
      }
      case ExprKind::kExists:
        out_ += "EXISTS (";
        AppendQuery(*e.As<ExistsExpr>().query);
        out_ += ")";
        return;
      case ExprKind::kScalarSubquery:
        out_ += "(";
        AppendQuery(*e.As<ScalarSubquery>().query);
        out_ += ")";
        return;
      case ExprKind::kFunctionCall:
        AppendCall(e.As<FunctionCall>());
        return;
      case ExprKind::kCast: {
        const auto& c = e.As<CastExpr>();
        out_ += c.try_cast ? "TRY_CAST(" : "CAST(";
        AppendExpr(*c.value, kPrecLowest);
        out_ += " AS ";
        AppendType(c.type);
        out_ += ")";
        return;
      }
      case ExprKind::kCase: {
        const auto& c = e.As<CaseExpr>();
        out_ += "CASE";
        if (c.operand != nullptr) {
          out_ += " ";
          AppendExpr(*c.operand, kPrecLowest);
        }
        for (const WhenClause& w : c.whens) {
          out_ += " WHEN ";
          AppendExpr(*w.condition, kPrecLowest);
          out_ += " THEN ";
          AppendExpr(*w.result, kPrecLowest);
        }
        if (c.else_result != nullptr) {
          out_ += " ELSE ";
          AppendExpr(*c.else_result, kPrecLowest);
        }
        out_ += " END";
        return;
      }
      case ExprKind::kArray:
        out_ += "ARRAY[";
        AppendExprList(e.As<ArrayExpr>().elements);
        out_ += "]";
        return;
      case ExprKind::kRow:
        out_ += "ROW(";
        AppendExprList(e.As<RowExpr>().fields);
        out_ += ")";
        return;
      case ExprKind::kLambda: {
        const auto& l = e.As<LambdaExpr>();
        if (l.params.size() == 1) {
          AppendName(l.params[0]);
        } else {
          AppendNameList(l.params);
        }
        out_ += " -> ";
        AppendExpr(*l.body, kPrecLowest);
        return;
      }
      case ExprKind::kCurrentTime: {
        const auto& c = e.As<CurrentTimeExpr>();
        out_ += CurrentTimeSpelling(c.function);
        if (c.precision.has_value()) AppendParenthesizedNumber(*c.precision);
        return;
      }
      case ExprKind::kAtTimeZone: {
        const auto& a = e.As<AtTimeZoneExpr>();
        AppendExpr(*a.value, kPrecAtTimeZone);
        out_ += " AT TIME ZONE ";
        AppendExpr(*a.zone, kPrecLowest);
        return;
      }
    }
  }

  void AppendCall(const FunctionCall& f) {
    if (!f.name.quoted && f.name.Matches("trim")) {
      out_ += f.name.name;  // TRIM(...) desugars to an unquoted call of the reserved word.
    } else {
      AppendName(f.name);
    }
    out_ += "(";
    if (f.star) {
      out_ += "*";
    } else {
      if (f.distinct) out_ += "DISTINCT ";
      // POSITION(a IN b) is special syntax: keep a first argument's IN from being read so.
      bool position = !f.name.quoted && f.name.Matches("position");
      for (size_t i = 0; i < f.args.size(); ++i) {
        if (i > 0) out_ += ", ";
        AppendExpr(*f.args[i], position && i == 0 ? kPrecConcat : kPrecLowest);
      }
      if (!f.order_by.empty()) {
        out_ += " ORDER BY ";
        AppendOrderItems(f.order_by);
      }
    }
    out_ += ")";
    if (f.filter != nullptr) {
      out_ += " FILTER (WHERE ";
      AppendExpr(*f.filter, kPrecLowest);
      out_ += ")";
    }
    if (f.null_treatment == NullTreatment::kIgnoreNulls) out_ += " IGNORE NULLS";
    if (f.null_treatment == NullTreatment::kRespectNulls) out_ += " RESPECT NULLS";
    if (f.over != nullptr) {
      out_ += " OVER ";
      const WindowSpec& w = *f.over;
      if (w.existing_window.has_value() && w.partition_by.empty() && w.order_by.empty() &&
          !w.frame.has_value()) {
        // `OVER (rows)` would read ROWS as a frame; `OVER rows` always names a window.
        AppendName(*w.existing_window);
      } else {
        AppendWindow(w);
      }
    }
  }

 private:
  std::string out_;
};

}  // namespace

std::string PrintIdentifier(const Identifier& id) {
  if (!id.quoted && IsSimpleName(id.name) && !IsReserved(LookupKeyword(id.name))) return id.name;
  return Quote(id.name, '"');
}

std::string PrintStringLiteral(std::string_view value) {
  bool control = false;
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    control = control || u < 0x20 || u == 0x7F;
  }
  if (!control) return Quote(value, '\'');
  std::string out = "U&'";
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\%04X", static_cast<unsigned>(u));
      out += buf;
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\'') {
      out += "''";
    } else {
      out.push_back(c);
    }
  }
  out += "'";
  return out;
}

std::string PrintStatement(const Statement& statement) {
  Printer p;
  p.AppendStatement(statement);
  return p.Take();
}

std::string PrintQuery(const Query& query) {
  Printer p;
  p.AppendQuery(query);
  return p.Take();
}

std::string PrintExpr(const Expr& expr) {
  Printer p;
  p.AppendExpr(expr, kPrecLowest);
  return p.Take();
}

std::string PrintType(const TypeName& type) {
  Printer p;
  p.AppendType(type);
  return p.Take();
}

}  // namespace trailbook::sql
