// Expressions, literals and types: the expression half of internal::Parser.

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>
#include <utility>

#include "sql/parser/internal/parser_impl.h"
#include "sql/parser/lexer.h"

namespace trailbook::sql::internal {
namespace {

// Trino's DECIMAL has at most 38 digits.
constexpr size_t kMaxDecimalDigits = 38;

// EXTRACT fields; each is also the name of the function EXTRACT desugars to.
constexpr std::string_view kExtractFields[] = {
    "YEAR",
    "QUARTER",
    "MONTH",
    "WEEK",
    "DAY",
    "DAY_OF_MONTH",
    "DAY_OF_WEEK",
    "DOW",
    "DAY_OF_YEAR",
    "DOY",
    "YEAR_OF_WEEK",
    "YOW",
    "HOUR",
    "MINUTE",
    "SECOND",
    "TIMEZONE_HOUR",
    "TIMEZONE_MINUTE",
};

bool IsComparisonToken(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEqual:
    case TokenKind::kNotEqual:
    case TokenKind::kLess:
    case TokenKind::kLessEqual:
    case TokenKind::kGreater:
    case TokenKind::kGreaterEqual:
      return true;
    default:
      return false;
  }
}

BinaryOp ComparisonOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEqual:
      return BinaryOp::kEqual;
    case TokenKind::kNotEqual:
      return BinaryOp::kNotEqual;
    case TokenKind::kLess:
      return BinaryOp::kLess;
    case TokenKind::kLessEqual:
      return BinaryOp::kLessEqual;
    case TokenKind::kGreater:
      return BinaryOp::kGreater;
    default:
      return BinaryOp::kGreaterEqual;
  }
}

// Returns the binding strength and operator of an arithmetic or || token, or 0.
int ArithmeticPrecedence(TokenKind kind, BinaryOp* op) {
  switch (kind) {
    case TokenKind::kStar:
      *op = BinaryOp::kMultiply;
      return kPrecMultiplicative;
    case TokenKind::kSlash:
      *op = BinaryOp::kDivide;
      return kPrecMultiplicative;
    case TokenKind::kPercent:
      *op = BinaryOp::kModulo;
      return kPrecMultiplicative;
    case TokenKind::kPlus:
      *op = BinaryOp::kAdd;
      return kPrecAdditive;
    case TokenKind::kMinus:
      *op = BinaryOp::kSubtract;
      return kPrecAdditive;
    case TokenKind::kConcat:
      *op = BinaryOp::kConcat;
      return kPrecConcat;
    default:
      return 0;
  }
}

bool IsStringToken(const Token& t) {
  return t.kind == TokenKind::kString || t.kind == TokenKind::kUnicodeString;
}

IntervalField ToIntervalField(Keyword k) {
  switch (k) {
    case Keyword::kYear:
      return IntervalField::kYear;
    case Keyword::kMonth:
      return IntervalField::kMonth;
    case Keyword::kDay:
      return IntervalField::kDay;
    case Keyword::kHour:
      return IntervalField::kHour;
    case Keyword::kMinute:
      return IntervalField::kMinute;
    default:
      return IntervalField::kSecond;
  }
}

// Combines two operands of AND/OR into one flattened LogicalExpr.
ExprPtr MakeLogical(LogicalOp op, ExprPtr left, ExprPtr right) {
  std::unique_ptr<LogicalExpr> result;
  if (left->Is<LogicalExpr>() && left->As<LogicalExpr>().op == op) {
    result.reset(static_cast<LogicalExpr*>(left.release()));
  } else {
    result = std::make_unique<LogicalExpr>();
    result->op = op;
    result->location = left->location;
    result->terms.push_back(std::move(left));
  }
  if (right->Is<LogicalExpr>() && right->As<LogicalExpr>().op == op) {
    for (ExprPtr& term : right->As<LogicalExpr>().terms) result->terms.push_back(std::move(term));
  } else {
    result->terms.push_back(std::move(right));
  }
  return result;
}

// Counts the significant digits of a decimal literal (Trino's DECIMAL precision).
size_t DecimalPrecision(std::string_view text) {
  size_t point = text.find('.');
  std::string_view integer = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : text.substr(point + 1);
  size_t first = integer.find_first_not_of('0');
  size_t integer_digits = first == std::string_view::npos ? 0 : integer.size() - first;
  return integer_digits + fraction.size();
}

// Estimates the decimal exponent of a double literal's magnitude (to tell overflow from
// underflow when from_chars reports out of range).
long DoubleMagnitude(std::string_view text) {
  size_t e = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, e);
  long exponent = 0;
  std::string_view exp_text = text.substr(e + 1);
  bool negative = !exp_text.empty() && exp_text[0] == '-';
  if (!exp_text.empty() && (exp_text[0] == '+' || exp_text[0] == '-')) exp_text.remove_prefix(1);
  for (char c : exp_text) {
    exponent = std::min<long>(exponent * 10 + (c - '0'), 100000);
  }
  if (negative) exponent = -exponent;
  size_t point = mantissa.find('.');
  std::string_view integer = mantissa.substr(0, point);
  size_t first = integer.find_first_not_of('0');
  if (first != std::string_view::npos) {
    return exponent + static_cast<long>(integer.size() - first);
  }
  std::string_view fraction = point == std::string_view::npos ? "" : mantissa.substr(point + 1);
  size_t nonzero = fraction.find_first_not_of('0');
  if (nonzero == std::string_view::npos) return -100000;  // Zero.
  return exponent - static_cast<long>(nonzero);
}

}  // namespace

// ---- Expressions --------------------------------------------------------------------------

Result<ExprPtr> Parser::ParseExpr(int min_precedence) {
  NestingScope scope(&depth_);
  Token first = tokens_.Peek();
  TB_RETURN_IF_ERROR(CheckDepth(first.location));
  int left_precedence = kPrecPostfix;
  TB_ASSIGN_OR_RETURN(ExprPtr left, ParsePrefix(min_precedence, &left_precedence));
  return ParseInfix(std::move(left), left_precedence, min_precedence, first.location);
}

Status Parser::CannotFollow(const Token& t, int left_precedence) const {
  if (left_precedence == kPrecPredicate) {
    return Error(t.location, DescribeToken(t) +
                                 " cannot follow a comparison or other predicate; use AND, OR "
                                 "or parentheses");
  }
  return Error(t.location,
               DescribeToken(t) + " cannot apply to the expression before it; add parentheses");
}

Result<ExprPtr> Parser::ParseInfix(ExprPtr left, int left_precedence, int min_precedence,
                                   const SourceLocation& start) {
  NestingScope scope(&depth_, 0);  // Levels added by folds below end with this call.
  // Each operator of precedence P takes a left operand binding at least as tightly as P (for
  // predicates: a value expression); `left_precedence` tracks how tightly `left` binds.
  while (true) {
    Token t = tokens_.Peek();
    if (t.kind == TokenKind::kLeftBracket || t.kind == TokenKind::kDot) {
      if (left_precedence < kPrecPostfix) return CannotFollow(t, left_precedence);
      TB_ASSIGN_OR_RETURN(left, ParsePostfix(std::move(left)));
      continue;
    }
    if (t.kind == TokenKind::kDoubleColon) return Unexpected(t, "operator");
    if (t.Is(Keyword::kAt)) {
      if (kPrecAtTimeZone < min_precedence) break;
      if (left_precedence < kPrecAtTimeZone) return CannotFollow(t, left_precedence);
      tokens_.Next();
      TB_RETURN_IF_ERROR(Expect(Keyword::kTime));
      TB_RETURN_IF_ERROR(Expect(Keyword::kZone));
      ++depth_;
      TB_RETURN_IF_ERROR(CheckDepth(t.location));
      auto at = std::make_unique<AtTimeZoneExpr>();
      at->value = std::move(left);
      Token zone = tokens_.Peek();
      if (IsStringToken(zone)) {
        auto literal = std::make_unique<StringLiteral>();
        TB_ASSIGN_OR_RETURN(literal->value, ParseStringValue());
        literal->location = SpanFrom(zone.location);
        at->zone = std::move(literal);
      } else if (zone.Is(Keyword::kInterval)) {
        TB_ASSIGN_OR_RETURN(at->zone, ParseInterval());
      } else {
        return Unexpected(zone, "time zone string (such as 'UTC') or INTERVAL after AT TIME ZONE");
      }
      at->location = SpanFrom(start);
      left = std::move(at);
      left_precedence = kPrecAtTimeZone;
      continue;
    }
    BinaryOp op;
    if (int precedence = ArithmeticPrecedence(t.kind, &op); precedence != 0) {
      if (precedence < min_precedence) break;
      if (left_precedence < precedence) return CannotFollow(t, left_precedence);
      tokens_.Next();
      ++depth_;
      TB_RETURN_IF_ERROR(CheckDepth(t.location));
      auto binary = std::make_unique<BinaryExpr>();
      binary->op = op;
      binary->op_location = t.location;
      binary->left = std::move(left);
      TB_ASSIGN_OR_RETURN(binary->right, ParseExpr(precedence + 1));
      binary->location = SpanFrom(start);
      left = std::move(binary);
      left_precedence = precedence;
      continue;
    }
    bool negated_predicate = t.Is(Keyword::kNot) && (tokens_.Peek(1).Is(Keyword::kBetween) ||
                                                     tokens_.Peek(1).Is(Keyword::kIn) ||
                                                     tokens_.Peek(1).Is(Keyword::kLike));
    if (IsComparisonToken(t.kind) || t.Is(Keyword::kIs) || t.Is(Keyword::kBetween) ||
        t.Is(Keyword::kIn) || t.Is(Keyword::kLike) || negated_predicate) {
      if (kPrecPredicate < min_precedence) break;
      if (left_precedence < kPrecConcat) return CannotFollow(t, left_precedence);
      ++depth_;
      TB_RETURN_IF_ERROR(CheckDepth(t.location));
      TB_ASSIGN_OR_RETURN(left, ParsePredicate(std::move(left)));
      left->location = SpanFrom(start);
      left_precedence = kPrecPredicate;
      continue;
    }
    if (t.Is(Keyword::kAnd) || t.Is(Keyword::kOr)) {
      int precedence = t.Is(Keyword::kAnd) ? kPrecAnd : kPrecOr;
      if (precedence < min_precedence) break;
      tokens_.Next();
      TB_ASSIGN_OR_RETURN(ExprPtr right, ParseExpr(precedence + 1));
      left = MakeLogical(t.Is(Keyword::kAnd) ? LogicalOp::kAnd : LogicalOp::kOr, std::move(left),
                         std::move(right));
      left->location = SpanFrom(start);
      left_precedence = precedence;
      continue;
    }
    break;
  }
  return left;
}

Result<ExprPtr> Parser::ParsePrefix(int min_precedence, int* precedence) {
  Token t = tokens_.Peek();
  *precedence = kPrecPostfix;
  if (t.Is(Keyword::kNot)) {
    *precedence = kPrecNot;
    if (kPrecNot < min_precedence) {
      return Unexpected(t, "a value here (put NOT and its operand in parentheses)");
    }
    tokens_.Next();
    auto unary = std::make_unique<UnaryExpr>();
    unary->op = UnaryOp::kNot;
    TB_ASSIGN_OR_RETURN(unary->operand, ParseExpr(kPrecNot));
    unary->location = SpanFrom(t.location);
    return ExprPtr(std::move(unary));
  }
  if (t.kind == TokenKind::kMinus || t.kind == TokenKind::kPlus) {
    *precedence = kPrecUnary;
    tokens_.Next();
    auto unary = std::make_unique<UnaryExpr>();
    unary->op = t.kind == TokenKind::kMinus ? UnaryOp::kMinus : UnaryOp::kPlus;
    TB_ASSIGN_OR_RETURN(unary->operand, ParseExpr(kPrecUnary));
    unary->location = SpanFrom(t.location);
    return ExprPtr(std::move(unary));
  }
  return ParsePrimary();
}

Result<ExprPtr> Parser::ParsePostfix(ExprPtr left) {
  Token t = tokens_.Next();  // '[' or '.'
  if (t.kind == TokenKind::kLeftBracket) {
    ++depth_;
    TB_RETURN_IF_ERROR(CheckDepth(t.location));
    auto subscript = std::make_unique<Subscript>();
    subscript->location = left->location;
    subscript->base = std::move(left);
    TB_ASSIGN_OR_RETURN(subscript->index, ParseExpr(kPrecLowest));
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightBracket, "']'"));
    subscript->location = SpanFrom(subscript->location);
    return ExprPtr(std::move(subscript));
  }
  Token field = tokens_.Peek();
  if (field.kind == TokenKind::kStar) {
    return Error(field.location, "'.*' is only allowed in the SELECT list");
  }
  TB_ASSIGN_OR_RETURN(Identifier name, ExpectName("field name after '.'"));
  if (tokens_.Peek().kind == TokenKind::kLeftParen && left->Is<ColumnRef>()) {
    return Error(left->location, "qualified function names are not supported");
  }
  if (left->Is<ColumnRef>()) {
    left->As<ColumnRef>().parts.push_back(std::move(name));
    left->location = SpanFrom(left->location);
    return left;
  }
  ++depth_;
  TB_RETURN_IF_ERROR(CheckDepth(t.location));
  auto access = std::make_unique<FieldAccess>();
  access->location = left->location;
  access->base = std::move(left);
  access->field = std::move(name);
  access->location = SpanFrom(access->location);
  return ExprPtr(std::move(access));
}

Result<ExprPtr> Parser::ParsePredicate(ExprPtr left) {
  Token t = tokens_.Next();
  if (IsComparisonToken(t.kind)) {
    Token q = tokens_.Peek();
    // "eventtime < ='2023-01-19'" appears in AWS's own Lake documentation.
    bool split = (t.kind == TokenKind::kLess || t.kind == TokenKind::kGreater) &&
                 (q.kind == TokenKind::kEqual ||
                  (t.kind == TokenKind::kLess && q.kind == TokenKind::kGreater));
    if (split) {
      return Error(t.location, "operators are written without spaces: write '" +
                                   std::string(t.text) + std::string(q.text) + "', not '" +
                                   std::string(t.text) + " " + std::string(q.text) + "'");
    }
    if ((q.Is(Keyword::kAll) || EqualsIgnoreCase(q.text, "ANY") ||
         EqualsIgnoreCase(q.text, "SOME")) &&
        q.kind == TokenKind::kIdentifier && tokens_.Peek(1).kind == TokenKind::kLeftParen &&
        QueryStartsAt(2)) {
      return Unsupported(q, "quantified comparison " + UpperAscii(q.text) + " (subquery)",
                         "use IN (subquery) or EXISTS");
    }
    auto binary = std::make_unique<BinaryExpr>();
    binary->op = ComparisonOp(t.kind);
    binary->op_location = t.location;
    binary->left = std::move(left);
    TB_ASSIGN_OR_RETURN(binary->right, ParseExpr(kPrecConcat));
    return ExprPtr(std::move(binary));
  }
  if (t.Is(Keyword::kIs)) {
    bool negated = Accept(Keyword::kNot);
    Token what = tokens_.Peek();
    if (Accept(Keyword::kNull)) {
      auto is_null = std::make_unique<IsNullExpr>();
      is_null->negated = negated;
      is_null->value = std::move(left);
      return ExprPtr(std::move(is_null));
    }
    if (Accept(Keyword::kDistinct)) {
      TB_RETURN_IF_ERROR(Expect(Keyword::kFrom));
      auto binary = std::make_unique<BinaryExpr>();
      binary->op = negated ? BinaryOp::kIsNotDistinctFrom : BinaryOp::kIsDistinctFrom;
      binary->op_location = SpanFrom(t.location);
      binary->left = std::move(left);
      TB_ASSIGN_OR_RETURN(binary->right, ParseExpr(kPrecConcat));
      return ExprPtr(std::move(binary));
    }
    if (what.Is(Keyword::kTrue) || what.Is(Keyword::kFalse)) {
      return Unsupported(what, "IS [NOT] " + UpperAscii(what.text),
                         "compare with = " + UpperAscii(what.text) +
                             " or use IS [NOT] DISTINCT FROM " + UpperAscii(what.text));
    }
    return Unexpected(what, "NULL or DISTINCT FROM after IS");
  }
  bool negated = false;
  Token op = t;
  if (t.Is(Keyword::kNot)) {
    negated = true;
    op = tokens_.Next();
  }
  if (op.Is(Keyword::kBetween)) {
    auto between = std::make_unique<BetweenExpr>();
    between->negated = negated;
    between->value = std::move(left);
    TB_ASSIGN_OR_RETURN(between->low, ParseExpr(kPrecConcat));
    TB_RETURN_IF_ERROR(Expect(Keyword::kAnd));
    TB_ASSIGN_OR_RETURN(between->high, ParseExpr(kPrecConcat));
    return ExprPtr(std::move(between));
  }
  if (op.Is(Keyword::kLike)) {
    auto like = std::make_unique<LikeExpr>();
    like->negated = negated;
    like->value = std::move(left);
    TB_ASSIGN_OR_RETURN(like->pattern, ParseExpr(kPrecConcat));
    if (Accept(Keyword::kEscape)) {
      TB_ASSIGN_OR_RETURN(like->escape, ParseExpr(kPrecConcat));
    }
    return ExprPtr(std::move(like));
  }
  // IN
  TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' after IN"));
  if (QueryStartsAt(0)) {
    auto in = std::make_unique<InSubqueryExpr>();
    in->negated = negated;
    in->value = std::move(left);
    TB_ASSIGN_OR_RETURN(in->query, ParseQuery());
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the IN subquery"));
    return ExprPtr(std::move(in));
  }
  auto in = std::make_unique<InListExpr>();
  in->negated = negated;
  in->value = std::move(left);
  TB_ASSIGN_OR_RETURN(in->list, ParseExprList(TokenKind::kRightParen, "IN list value"));
  if (in->list.empty()) return Error(op.location, "IN needs at least one value");
  return ExprPtr(std::move(in));
}

Result<std::vector<ExprPtr>> Parser::ParseExprList(TokenKind close, std::string_view what) {
  std::vector<ExprPtr> list;
  if (Accept(close)) return list;
  do {
    TB_ASSIGN_OR_RETURN(ExprPtr e, ParseExpr(kPrecLowest));
    list.push_back(std::move(e));
  } while (Accept(TokenKind::kComma));
  Token t = tokens_.Peek();
  if (t.kind != close) {
    return Unexpected(t, std::string("',' or ") + std::string(TokenKindName(close)) + " after " +
                             std::string(what));
  }
  tokens_.Next();
  return list;
}

Result<ExprPtr> Parser::ParsePrimary() {
  Token t = tokens_.Peek();
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kDouble:
      tokens_.Next();
      return ParseNumber(t);
    case TokenKind::kString:
    case TokenKind::kUnicodeString: {
      auto literal = std::make_unique<StringLiteral>();
      TB_ASSIGN_OR_RETURN(literal->value, ParseStringValue());
      literal->location = SpanFrom(t.location);
      return ExprPtr(std::move(literal));
    }
    case TokenKind::kParameter: {
      tokens_.Next();
      auto p = std::make_unique<Parameter>();
      p->name = std::string(t.text.substr(1));
      p->location = t.location;
      return ExprPtr(std::move(p));
    }
    case TokenKind::kLeftParen:
      return ParseParenthesized();
    case TokenKind::kQuotedIdentifier:
      return ParseNameOrCall();
    case TokenKind::kIdentifier:
      break;
    default:
      return Unexpected(t, "expression");
  }
  if (IsReserved(t.keyword)) return ParseSpecialForm(t);
  Token next = tokens_.Peek(1);
  switch (t.keyword) {
    case Keyword::kArray:
      if (next.kind == TokenKind::kLeftBracket) {
        tokens_.Next();
        tokens_.Next();
        auto array = std::make_unique<ArrayExpr>();
        TB_ASSIGN_OR_RETURN(array->elements,
                            ParseExprList(TokenKind::kRightBracket, "array element"));
        array->location = SpanFrom(t.location);
        return ExprPtr(std::move(array));
      }
      break;
    case Keyword::kRow:
      if (next.kind == TokenKind::kLeftParen) {
        tokens_.Next();
        tokens_.Next();
        auto row = std::make_unique<RowExpr>();
        TB_ASSIGN_OR_RETURN(row->fields, ParseExprList(TokenKind::kRightParen, "row field"));
        if (row->fields.empty()) return Error(t.location, "ROW needs at least one field");
        row->location = SpanFrom(t.location);
        return ExprPtr(std::move(row));
      }
      break;
    case Keyword::kInterval:
      if (IsStringToken(next) ||
          ((next.kind == TokenKind::kMinus || next.kind == TokenKind::kPlus) &&
           IsStringToken(tokens_.Peek(2)))) {
        return ParseInterval();
      }
      break;
    case Keyword::kTryCast:
      if (next.kind == TokenKind::kLeftParen) return ParseCast(true);
      break;
    case Keyword::kSubstring:
    case Keyword::kPosition:
      if (next.kind == TokenKind::kLeftParen) return ParseSubstringOrPosition(t);
      break;
    default:
      break;
  }
  if (IsStringToken(next)) {
    // <type> 'value': TIMESTAMP '...', DATE '...', JSON '...'.
    tokens_.Next();
    auto literal = std::make_unique<TypedLiteral>();
    literal->type = MakeIdentifier(t);
    TB_ASSIGN_OR_RETURN(literal->value, ParseStringValue());
    literal->location = SpanFrom(t.location);
    return ExprPtr(std::move(literal));
  }
  return ParseNameOrCall();
}

Result<ExprPtr> Parser::ParseSpecialForm(const Token& t) {
  switch (t.keyword) {
    case Keyword::kNull: {
      tokens_.Next();
      auto literal = std::make_unique<NullLiteral>();
      literal->location = t.location;
      return ExprPtr(std::move(literal));
    }
    case Keyword::kTrue:
    case Keyword::kFalse: {
      tokens_.Next();
      auto literal = std::make_unique<BooleanLiteral>();
      literal->value = t.keyword == Keyword::kTrue;
      literal->location = t.location;
      return ExprPtr(std::move(literal));
    }
    case Keyword::kCase:
      return ParseCase();
    case Keyword::kCast:
      return ParseCast(false);
    case Keyword::kExists: {
      tokens_.Next();
      TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' after EXISTS"));
      auto exists = std::make_unique<ExistsExpr>();
      TB_ASSIGN_OR_RETURN(exists->query, ParseQuery());
      TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the EXISTS subquery"));
      exists->location = SpanFrom(t.location);
      return ExprPtr(std::move(exists));
    }
    case Keyword::kExtract:
      return ParseExtract();
    case Keyword::kTrim:
      return ParseTrim();
    case Keyword::kCurrentDate:
    case Keyword::kCurrentTime:
    case Keyword::kCurrentTimestamp:
    case Keyword::kLocaltime:
    case Keyword::kLocaltimestamp:
      return ParseCurrentTime(t);
    case Keyword::kCurrentUser:
    case Keyword::kCurrentCatalog:
    case Keyword::kCurrentSchema:
    case Keyword::kCurrentPath:
    case Keyword::kCurrentRole:
      return Unsupported(t, UpperAscii(t.text));
    case Keyword::kJsonArray:
    case Keyword::kJsonExists:
    case Keyword::kJsonObject:
    case Keyword::kJsonQuery:
    case Keyword::kJsonTable:
    case Keyword::kJsonValue:
      return Unsupported(t, UpperAscii(t.text),
                         "use json_extract, json_extract_scalar or json_parse");
    case Keyword::kListagg:
      return Unsupported(t, "LISTAGG", "use array_join(array_agg(x), ',')");
    case Keyword::kNormalize:
      return Unsupported(t, "NORMALIZE");
    case Keyword::kGrouping:
      return Unsupported(t, "GROUPING");
    default:
      return Unexpected(t, "expression");
  }
}

Result<ExprPtr> Parser::ParseNameOrCall() {
  Token t = tokens_.Next();
  Identifier name = MakeIdentifier(t);
  Token next = tokens_.Peek();
  if (next.kind == TokenKind::kLeftParen) return ParseFunctionCall(std::move(name));
  if (next.kind == TokenKind::kArrow) {
    return Error(next.location, "lambda expressions are only allowed as function arguments");
  }
  auto ref = std::make_unique<ColumnRef>();
  ref->location = t.location;
  ref->parts.push_back(std::move(name));
  return ExprPtr(std::move(ref));
}

Result<ExprPtr> Parser::ParseParenthesized() {
  Token open = tokens_.Next();
  if (QueryStartsAt(0)) {
    auto subquery = std::make_unique<ScalarSubquery>();
    TB_ASSIGN_OR_RETURN(subquery->query, ParseQuery());
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the subquery"));
    subquery->location = SpanFrom(open.location);
    return ExprPtr(std::move(subquery));
  }
  TB_ASSIGN_OR_RETURN(ExprPtr first, ParseExpr(kPrecLowest));
  if (tokens_.Peek().kind == TokenKind::kComma) {
    auto row = std::make_unique<RowExpr>();
    row->fields.push_back(std::move(first));
    while (Accept(TokenKind::kComma)) {
      TB_ASSIGN_OR_RETURN(ExprPtr e, ParseExpr(kPrecLowest));
      row->fields.push_back(std::move(e));
    }
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "',' or ')'"));
    row->location = SpanFrom(open.location);
    return ExprPtr(std::move(row));
  }
  TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
  return first;
}

Result<ExprPtr> Parser::ParseFunctionCall(Identifier name) {
  tokens_.Next();  // '('
  auto call = std::make_unique<FunctionCall>();
  SourceLocation start = name.location;
  call->name = std::move(name);
  if (tokens_.Peek().kind == TokenKind::kStar) {
    tokens_.Next();
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after '*'"));
    call->star = true;
  } else if (!Accept(TokenKind::kRightParen)) {
    if (Accept(Keyword::kDistinct)) {
      call->distinct = true;
    } else {
      Accept(Keyword::kAll);
    }
    do {
      TB_ASSIGN_OR_RETURN(ExprPtr arg, ParseArgument());
      call->args.push_back(std::move(arg));
    } while (Accept(TokenKind::kComma));
    if (tokens_.Peek().Is(Keyword::kOrder)) {
      tokens_.Next();
      TB_RETURN_IF_ERROR(Expect(Keyword::kBy));
      TB_RETURN_IF_ERROR(ParseOrderBy(&call->order_by));
    }
    Token close = tokens_.Peek();
    if (close.kind != TokenKind::kRightParen) {
      return Unexpected(close, "',' or ')' after function argument");
    }
    tokens_.Next();
  }
  TB_RETURN_IF_ERROR(ParseCallSuffixes(call.get()));
  call->location = SpanFrom(start);
  return ExprPtr(std::move(call));
}

Status Parser::ParseCallSuffixes(FunctionCall* call) {
  if (tokens_.Peek().Is(Keyword::kFilter) && tokens_.Peek(1).kind == TokenKind::kLeftParen &&
      tokens_.Peek(2).Is(Keyword::kWhere)) {
    tokens_.Next();
    tokens_.Next();
    tokens_.Next();
    TB_ASSIGN_OR_RETURN(call->filter, ParseExpr(kPrecLowest));
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after FILTER (WHERE ..."));
  }
  Token t = tokens_.Peek();
  if ((t.Is(Keyword::kIgnore) || t.Is(Keyword::kRespect)) && tokens_.Peek(1).Is(Keyword::kNulls)) {
    tokens_.Next();
    tokens_.Next();
    call->null_treatment =
        t.Is(Keyword::kIgnore) ? NullTreatment::kIgnoreNulls : NullTreatment::kRespectNulls;
    if (!tokens_.Peek().Is(Keyword::kOver)) {
      return Unexpected(tokens_.Peek(), "OVER after " + UpperAscii(t.text) + " NULLS");
    }
  }
  if (!tokens_.Peek().Is(Keyword::kOver)) return Status::OK();
  tokens_.Next();
  if (tokens_.Peek().kind == TokenKind::kLeftParen) {
    TB_ASSIGN_OR_RETURN(call->over, ParseWindowSpec());
    return Status::OK();
  }
  SourceLocation start = tokens_.Peek().location;
  TB_ASSIGN_OR_RETURN(Identifier window, ExpectName("window name or '(' after OVER"));
  call->over = std::make_unique<WindowSpec>();
  call->over->existing_window = std::move(window);
  call->over->location = SpanFrom(start);
  return Status::OK();
}

bool Parser::LambdaFollows() {
  Token t = tokens_.Peek();
  if (t.IsName()) return tokens_.Peek(1).kind == TokenKind::kArrow;
  if (t.kind != TokenKind::kLeftParen) return false;
  if (tokens_.Peek(1).kind == TokenKind::kRightParen) {
    return tokens_.Peek(2).kind == TokenKind::kArrow;
  }
  for (size_t k = 1;; k += 2) {
    if (!tokens_.Peek(k).IsName()) return false;
    Token after = tokens_.Peek(k + 1);
    if (after.kind == TokenKind::kRightParen) return tokens_.Peek(k + 2).kind == TokenKind::kArrow;
    if (after.kind != TokenKind::kComma) return false;
  }
}

Result<ExprPtr> Parser::ParseArgument() {
  if (LambdaFollows()) return ParseLambda();
  return ParseExpr(kPrecLowest);
}

Result<ExprPtr> Parser::ParseLambda() {
  NestingScope scope(&depth_);
  Token start = tokens_.Peek();
  TB_RETURN_IF_ERROR(CheckDepth(start.location));
  auto lambda = std::make_unique<LambdaExpr>();
  if (start.kind == TokenKind::kLeftParen) {
    tokens_.Next();
    if (!Accept(TokenKind::kRightParen)) {
      do {
        TB_ASSIGN_OR_RETURN(Identifier param, ExpectName("lambda parameter"));
        lambda->params.push_back(std::move(param));
      } while (Accept(TokenKind::kComma));
      TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
    }
  } else {
    TB_ASSIGN_OR_RETURN(Identifier param, ExpectName("lambda parameter"));
    lambda->params.push_back(std::move(param));
  }
  TB_RETURN_IF_ERROR(Expect(TokenKind::kArrow, "'->'"));
  TB_ASSIGN_OR_RETURN(lambda->body, ParseExpr(kPrecLowest));
  lambda->location = SpanFrom(start.location);
  return ExprPtr(std::move(lambda));
}

Result<ExprPtr> Parser::ParseCast(bool try_cast) {
  Token keyword = tokens_.Next();
  TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' after " + UpperAscii(keyword.text)));
  auto cast = std::make_unique<CastExpr>();
  cast->try_cast = try_cast;
  TB_ASSIGN_OR_RETURN(cast->value, ParseExpr(kPrecLowest));
  TB_RETURN_IF_ERROR(Expect(Keyword::kAs));
  TB_ASSIGN_OR_RETURN(cast->type, ParseType());
  TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the type"));
  cast->location = SpanFrom(keyword.location);
  return ExprPtr(std::move(cast));
}

Result<ExprPtr> Parser::ParseCase() {
  Token keyword = tokens_.Next();
  auto expr = std::make_unique<CaseExpr>();
  Token first = tokens_.Peek();
  if (first.Is(Keyword::kEnd) || first.Is(Keyword::kElse)) return Unexpected(first, "WHEN");
  if (!first.Is(Keyword::kWhen)) {
    TB_ASSIGN_OR_RETURN(expr->operand, ParseExpr(kPrecLowest));
  }
  while (tokens_.Peek().Is(Keyword::kWhen)) {
    WhenClause when;
    SourceLocation start = tokens_.Next().location;
    TB_ASSIGN_OR_RETURN(when.condition, ParseExpr(kPrecLowest));
    TB_RETURN_IF_ERROR(Expect(Keyword::kThen));
    TB_ASSIGN_OR_RETURN(when.result, ParseExpr(kPrecLowest));
    when.location = SpanFrom(start);
    expr->whens.push_back(std::move(when));
  }
  if (expr->whens.empty()) return Unexpected(tokens_.Peek(), "WHEN");
  if (Accept(Keyword::kElse)) {
    TB_ASSIGN_OR_RETURN(expr->else_result, ParseExpr(kPrecLowest));
  }
  Token end = tokens_.Peek();
  if (!Accept(Keyword::kEnd)) return Unexpected(end, "WHEN, ELSE or END in CASE");
  expr->location = SpanFrom(keyword.location);
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Parser::ParseExtract() {
  Token keyword = tokens_.Next();
  TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' after EXTRACT"));
  Token field = tokens_.Peek();
  bool valid = false;
  if (field.kind == TokenKind::kIdentifier) {
    for (std::string_view f : kExtractFields) valid = valid || EqualsIgnoreCase(field.text, f);
  }
  if (!valid) {
    return Unexpected(field,
                      "EXTRACT field (YEAR, QUARTER, MONTH, WEEK, DAY, DAY_OF_WEEK, "
                      "DAY_OF_YEAR, HOUR, MINUTE, SECOND, ...)");
  }
  tokens_.Next();
  TB_RETURN_IF_ERROR(Expect(Keyword::kFrom));
  auto call = std::make_unique<FunctionCall>();
  call->name = MakeIdentifier(field);
  TB_ASSIGN_OR_RETURN(ExprPtr value, ParseExpr(kPrecLowest));
  call->args.push_back(std::move(value));
  TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
  call->location = SpanFrom(keyword.location);
  return ExprPtr(std::move(call));
}

Result<ExprPtr> Parser::ParseTrim() {
  Token keyword = tokens_.Next();
  TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' after TRIM"));
  std::string name = "trim";
  bool has_specification = false;
  Token spec = tokens_.Peek();
  if (spec.Is(Keyword::kBoth) || spec.Is(Keyword::kLeading) || spec.Is(Keyword::kTrailing)) {
    tokens_.Next();
    has_specification = true;
    if (spec.Is(Keyword::kLeading)) name = "ltrim";
    if (spec.Is(Keyword::kTrailing)) name = "rtrim";
  }
  ExprPtr source;
  ExprPtr characters;
  if (has_specification) {
    if (!Accept(Keyword::kFrom)) {
      TB_ASSIGN_OR_RETURN(characters, ParseExpr(kPrecLowest));
      TB_RETURN_IF_ERROR(Expect(Keyword::kFrom));
    }
    TB_ASSIGN_OR_RETURN(source, ParseExpr(kPrecLowest));
  } else {
    TB_ASSIGN_OR_RETURN(ExprPtr first, ParseExpr(kPrecLowest));
    if (Accept(Keyword::kFrom)) {
      characters = std::move(first);
      TB_ASSIGN_OR_RETURN(source, ParseExpr(kPrecLowest));
    } else if (Accept(TokenKind::kComma)) {
      source = std::move(first);
      TB_ASSIGN_OR_RETURN(characters, ParseExpr(kPrecLowest));
    } else {
      source = std::move(first);
    }
  }
  TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after TRIM arguments"));
  auto call = std::make_unique<FunctionCall>();
  call->name.name = name;
  call->name.location = keyword.location;
  call->args.push_back(std::move(source));
  if (characters != nullptr) call->args.push_back(std::move(characters));
  call->location = SpanFrom(keyword.location);
  return ExprPtr(std::move(call));
}

Result<ExprPtr> Parser::ParseSubstringOrPosition(const Token& keyword) {
  tokens_.Next();
  tokens_.Next();  // '('
  bool position = keyword.Is(Keyword::kPosition);
  auto call = std::make_unique<FunctionCall>();
  call->name = MakeIdentifier(keyword);
  // POSITION's needle is a value expression so that its IN is not taken as a predicate.
  SourceLocation first_start = tokens_.Peek().location;
  TB_ASSIGN_OR_RETURN(ExprPtr first, ParseExpr(position ? kPrecConcat : kPrecLowest));
  if (position && Accept(Keyword::kIn)) {
    // POSITION(needle IN haystack) is strpos(haystack, needle).
    TB_ASSIGN_OR_RETURN(ExprPtr haystack, ParseExpr(kPrecLowest));
    call->name = Identifier{"strpos", false, keyword.location};
    call->args.push_back(std::move(haystack));
    call->args.push_back(std::move(first));
  } else if (!position && Accept(Keyword::kFrom)) {
    // SUBSTRING(s FROM start [FOR length]) is substring(s, start[, length]).
    call->args.push_back(std::move(first));
    TB_ASSIGN_OR_RETURN(ExprPtr start, ParseExpr(kPrecLowest));
    call->args.push_back(std::move(start));
    if (Accept(Keyword::kFor)) {
      TB_ASSIGN_OR_RETURN(ExprPtr length, ParseExpr(kPrecLowest));
      call->args.push_back(std::move(length));
    }
  } else {
    // An ordinary call, e.g. substring(s, 1, 3).
    if (position) {
      TB_ASSIGN_OR_RETURN(first,
                          ParseInfix(std::move(first), kPrecConcat, kPrecLowest, first_start));
    }
    call->args.push_back(std::move(first));
    while (Accept(TokenKind::kComma)) {
      TB_ASSIGN_OR_RETURN(ExprPtr arg, ParseArgument());
      call->args.push_back(std::move(arg));
    }
  }
  TB_RETURN_IF_ERROR(
      Expect(TokenKind::kRightParen, "')' after " + UpperAscii(keyword.text) + " arguments"));
  call->location = SpanFrom(keyword.location);
  return ExprPtr(std::move(call));
}

Result<ExprPtr> Parser::ParseCurrentTime(const Token& keyword) {
  tokens_.Next();
  auto expr = std::make_unique<CurrentTimeExpr>();
  switch (keyword.keyword) {
    case Keyword::kCurrentDate:
      expr->function = CurrentTimeFunction::kCurrentDate;
      break;
    case Keyword::kCurrentTime:
      expr->function = CurrentTimeFunction::kCurrentTime;
      break;
    case Keyword::kLocaltime:
      expr->function = CurrentTimeFunction::kLocalTime;
      break;
    case Keyword::kLocaltimestamp:
      expr->function = CurrentTimeFunction::kLocalTimestamp;
      break;
    default:
      expr->function = CurrentTimeFunction::kCurrentTimestamp;
      break;
  }
  if (keyword.keyword != Keyword::kCurrentDate && Accept(TokenKind::kLeftParen)) {
    Token p = tokens_.Peek();
    if (p.kind != TokenKind::kInteger) return Unexpected(p, "precision (an integer)");
    TB_ASSIGN_OR_RETURN(ExprPtr precision, ParseNumber(tokens_.Next()));
    if (!precision->Is<IntegerLiteral>()) return Error(p.location, "precision is too large");
    expr->precision = precision->As<IntegerLiteral>().value;
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
  }
  expr->location = SpanFrom(keyword.location);
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Parser::ParseInterval() {
  Token keyword = tokens_.Next();
  auto interval = std::make_unique<IntervalLiteral>();
  if (Accept(TokenKind::kMinus)) {
    interval->negative = true;
  } else {
    Accept(TokenKind::kPlus);
  }
  Token value = tokens_.Peek();
  if (!IsStringToken(value)) return Unexpected(value, "interval value as a string, e.g. '7'");
  TB_ASSIGN_OR_RETURN(interval->value, ParseStringValue());
  auto parse_field = [&](IntervalField* out) -> Status {
    Token f = tokens_.Peek();
    if (f.kind == TokenKind::kIdentifier && IsIntervalField(f.keyword)) {
      tokens_.Next();
      *out = ToIntervalField(f.keyword);
      return Status::OK();
    }
    std::string upper = UpperAscii(f.text);
    for (std::string_view plural : {"YEARS", "MONTHS", "DAYS", "HOURS", "MINUTES", "SECONDS"}) {
      if (f.kind == TokenKind::kIdentifier && upper == plural) {
        return Error(f.location, "interval fields are singular: write " +
                                     upper.substr(0, upper.size() - 1) + ", not " + upper);
      }
    }
    return Unexpected(f, "interval field (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)");
  };
  TB_RETURN_IF_ERROR(parse_field(&interval->start));
  if (Accept(Keyword::kTo)) {
    IntervalField end;
    TB_RETURN_IF_ERROR(parse_field(&end));
    interval->end = end;
  }
  interval->location = SpanFrom(keyword.location);
  return ExprPtr(std::move(interval));
}

Result<ExprPtr> Parser::ParseNumber(const Token& t) {
  std::string_view text = t.text;
  if (t.kind == TokenKind::kInteger) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) {
      auto literal = std::make_unique<IntegerLiteral>();
      literal->value = value;
      literal->location = t.location;
      return ExprPtr(std::move(literal));
    }
    if (DecimalPrecision(text) > kMaxDecimalDigits) {
      return Error(t.location, "integer literal is too large (more than 38 digits)");
    }
    // Beyond int64 Trino types an integer literal DECIMAL.
    auto literal = std::make_unique<DecimalLiteral>();
    literal->text = std::string(text);
    literal->location = t.location;
    return ExprPtr(std::move(literal));
  }
  if (t.kind == TokenKind::kDecimal) {
    if (DecimalPrecision(text) > kMaxDecimalDigits) {
      return Error(t.location, "decimal literal has more than 38 digits");
    }
    auto literal = std::make_unique<DecimalLiteral>();
    literal->text = std::string(text);
    literal->location = t.location;
    return ExprPtr(std::move(literal));
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    if (DoubleMagnitude(text) > 0) {
      return Error(t.location, "double literal is out of range");
    }
    value = 0;  // Underflow rounds to zero, as in Trino.
  } else if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return Error(t.location, "invalid double literal");
  }
  auto literal = std::make_unique<DoubleLiteral>();
  literal->value = value;
  literal->text = std::string(text);
  literal->location = t.location;
  return ExprPtr(std::move(literal));
}

Result<std::string> Parser::ParseStringValue() {
  Token t = tokens_.Next();
  if (t.kind == TokenKind::kString) return DecodeQuoted(t.text, '\'');
  std::string body = DecodeQuoted(t.text, '\'', 2);
  char escape = '\\';
  if (Accept(Keyword::kUescape)) {
    Token e = tokens_.Peek();
    if (e.kind != TokenKind::kString) return Unexpected(e, "escape character string after UESCAPE");
    tokens_.Next();
    std::string chars = DecodeQuoted(e.text, '\'');
    if (chars.size() != 1 || std::string_view("0123456789abcdefABCDEF+'\" \t\r\n").find(chars[0]) !=
                                 std::string_view::npos) {
      return Error(e.location,
                   "UESCAPE needs one character that is not a hex digit, '+', a quote or space");
    }
    escape = chars[0];
  }
  std::string value;
  std::string error;
  if (!DecodeUnicodeEscapes(body, escape, &value, &error)) return Error(t.location, error);
  return value;
}

// ---- Windows ------------------------------------------------------------------------------

Result<std::unique_ptr<WindowSpec>> Parser::ParseWindowSpec() {
  NestingScope scope(&depth_);
  Token open = tokens_.Peek();
  TB_RETURN_IF_ERROR(CheckDepth(open.location));
  TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'('"));
  auto spec = std::make_unique<WindowSpec>();
  Token t = tokens_.Peek();
  if (t.IsName() && !t.Is(Keyword::kPartition) && !t.Is(Keyword::kRows) && !t.Is(Keyword::kRange) &&
      !t.Is(Keyword::kGroups)) {
    tokens_.Next();
    spec->existing_window = MakeIdentifier(t);
  }
  if (Accept(Keyword::kPartition)) {
    TB_RETURN_IF_ERROR(Expect(Keyword::kBy));
    do {
      TB_ASSIGN_OR_RETURN(ExprPtr e, ParseExpr(kPrecLowest));
      spec->partition_by.push_back(std::move(e));
    } while (Accept(TokenKind::kComma));
  }
  if (Accept(Keyword::kOrder)) {
    TB_RETURN_IF_ERROR(Expect(Keyword::kBy));
    TB_RETURN_IF_ERROR(ParseOrderBy(&spec->order_by));
  }
  t = tokens_.Peek();
  if (t.Is(Keyword::kRows) || t.Is(Keyword::kRange) || t.Is(Keyword::kGroups)) {
    tokens_.Next();
    WindowFrame frame;
    frame.unit = t.Is(Keyword::kRows)    ? FrameUnit::kRows
                 : t.Is(Keyword::kRange) ? FrameUnit::kRange
                                         : FrameUnit::kGroups;
    if (Accept(Keyword::kBetween)) {
      TB_ASSIGN_OR_RETURN(frame.start, ParseFrameBound());
      TB_RETURN_IF_ERROR(Expect(Keyword::kAnd));
      TB_ASSIGN_OR_RETURN(FrameBound end, ParseFrameBound());
      frame.end = std::move(end);
    } else {
      TB_ASSIGN_OR_RETURN(frame.start, ParseFrameBound());
    }
    frame.location = SpanFrom(t.location);
    spec->frame = std::move(frame);
  }
  Token close = tokens_.Peek();
  if (close.kind != TokenKind::kRightParen) {
    return Unexpected(close, "PARTITION BY, ORDER BY, ROWS, RANGE, GROUPS or ')' in window");
  }
  tokens_.Next();
  spec->location = SpanFrom(open.location);
  return spec;
}

Result<FrameBound> Parser::ParseFrameBound() {
  FrameBound bound;
  Token t = tokens_.Peek();
  if (Accept(Keyword::kUnbounded)) {
    Token dir = tokens_.Peek();
    if (Accept(Keyword::kPreceding)) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
    } else if (Accept(Keyword::kFollowing)) {
      bound.kind = FrameBoundKind::kUnboundedFollowing;
    } else {
      return Unexpected(dir, "PRECEDING or FOLLOWING after UNBOUNDED");
    }
  } else if (t.Is(Keyword::kCurrent) && tokens_.Peek(1).Is(Keyword::kRow)) {
    tokens_.Next();
    tokens_.Next();
    bound.kind = FrameBoundKind::kCurrentRow;
  } else {
    TB_ASSIGN_OR_RETURN(bound.offset, ParseExpr(kPrecLowest));
    Token dir = tokens_.Peek();
    if (Accept(Keyword::kPreceding)) {
      bound.kind = FrameBoundKind::kPreceding;
    } else if (Accept(Keyword::kFollowing)) {
      bound.kind = FrameBoundKind::kFollowing;
    } else {
      return Unexpected(dir, "PRECEDING or FOLLOWING after the frame offset");
    }
  }
  bound.location = SpanFrom(t.location);
  return bound;
}

// ---- Types --------------------------------------------------------------------------------

Result<TypeName> Parser::ParseType() {
  NestingScope scope(&depth_);
  Token t = tokens_.Peek();
  TB_RETURN_IF_ERROR(CheckDepth(t.location));
  if (!t.IsName()) return Unexpected(t, "type name");
  tokens_.Next();
  TypeName type;
  bool quoted = t.kind == TokenKind::kQuotedIdentifier;
  type.name = LowerAscii(quoted ? DecodeQuoted(t.text, '"') : std::string(t.text));
  Token next = tokens_.Peek();
  if (!quoted && t.Is(Keyword::kRow) && next.kind == TokenKind::kLeftParen) {
    TB_RETURN_IF_ERROR(ParseRowTypeFields(&type));
  } else if (!quoted && t.Is(Keyword::kInterval)) {
    if (next.kind != TokenKind::kIdentifier || !IsIntervalField(next.keyword)) {
      return Unexpected(next, "interval field after INTERVAL (YEAR TO MONTH or DAY TO SECOND)");
    }
    tokens_.Next();
    type.name += " " + LowerAscii(next.text);
    if (Accept(Keyword::kTo)) {
      Token to = tokens_.Peek();
      if (to.kind != TokenKind::kIdentifier || !IsIntervalField(to.keyword)) {
        return Unexpected(to, "interval field after TO");
      }
      tokens_.Next();
      type.name += " to " + LowerAscii(to.text);
    }
  } else if (!quoted && (t.Is(Keyword::kTimestamp) || t.Is(Keyword::kTime))) {
    if (Accept(TokenKind::kLeftParen)) {
      Token p = tokens_.Peek();
      if (p.kind != TokenKind::kInteger) return Unexpected(p, "precision (an integer)");
      TB_ASSIGN_OR_RETURN(ExprPtr precision, ParseNumber(tokens_.Next()));
      if (!precision->Is<IntegerLiteral>()) return Error(p.location, "precision is too large");
      TypeParameter param;
      param.number = precision->As<IntegerLiteral>().value;
      type.parameters.push_back(std::move(param));
      TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
    }
    Token zone = tokens_.Peek();
    if (zone.Is(Keyword::kWith) && tokens_.Peek(1).Is(Keyword::kTime)) {
      tokens_.Next();
      tokens_.Next();
      TB_RETURN_IF_ERROR(Expect(Keyword::kZone));
      type.name += " with time zone";
    } else if (zone.Is(Keyword::kWithout)) {
      tokens_.Next();
      TB_RETURN_IF_ERROR(Expect(Keyword::kTime));
      TB_RETURN_IF_ERROR(Expect(Keyword::kZone));
    }
  } else if (!quoted && t.Is(Keyword::kDouble)) {
    Accept(Keyword::kPrecision);
  } else if (!quoted && next.kind == TokenKind::kLess &&
             (t.Is(Keyword::kArray) || EqualsIgnoreCase(t.text, "map"))) {
    // Legacy array<T> and map<K, V>.
    tokens_.Next();
    size_t arity = t.Is(Keyword::kArray) ? 1 : 2;
    for (size_t i = 0; i < arity; ++i) {
      if (i > 0) TB_RETURN_IF_ERROR(Expect(TokenKind::kComma, "','"));
      TypeParameter param;
      param.kind = TypeParameter::Kind::kType;
      TB_ASSIGN_OR_RETURN(TypeName element, ParseType());
      param.type = std::make_unique<TypeName>(std::move(element));
      type.parameters.push_back(std::move(param));
    }
    TB_RETURN_IF_ERROR(Expect(TokenKind::kGreater, "'>'"));
  } else if (Accept(TokenKind::kLeftParen)) {
    do {
      Token p = tokens_.Peek();
      TypeParameter param;
      if (p.kind == TokenKind::kInteger) {
        TB_ASSIGN_OR_RETURN(ExprPtr number, ParseNumber(tokens_.Next()));
        if (!number->Is<IntegerLiteral>()) return Error(p.location, "type parameter is too large");
        param.number = number->As<IntegerLiteral>().value;
      } else {
        param.kind = TypeParameter::Kind::kType;
        TB_ASSIGN_OR_RETURN(TypeName element, ParseType());
        param.type = std::make_unique<TypeName>(std::move(element));
      }
      type.parameters.push_back(std::move(param));
    } while (Accept(TokenKind::kComma));
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "',' or ')' in type parameters"));
  }
  type.location = SpanFrom(t.location);
  return type;
}

Status Parser::ParseRowTypeFields(TypeName* type) {
  tokens_.Next();  // '('
  do {
    TypeParameter param;
    param.kind = TypeParameter::Kind::kType;
    Token a = tokens_.Peek();
    Token b = tokens_.Peek(1);
    bool type_only = (a.Is(Keyword::kDouble) && b.Is(Keyword::kPrecision)) ||
                     (a.Is(Keyword::kInterval) && b.kind == TokenKind::kIdentifier &&
                      IsIntervalField(b.keyword));
    if (a.IsName() && b.IsName() && !type_only) {
      tokens_.Next();
      param.field_name = MakeIdentifier(a);
    }
    TB_ASSIGN_OR_RETURN(TypeName field, ParseType());
    param.type = std::make_unique<TypeName>(std::move(field));
    type->parameters.push_back(std::move(param));
  } while (Accept(TokenKind::kComma));
  return Expect(TokenKind::kRightParen, "',' or ')' in row type");
}

}  // namespace trailbook::sql::internal
