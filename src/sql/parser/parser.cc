#include "sql/parser/parser.h"

#include <string>
#include <utility>

#include "sql/parser/internal/parser_impl.h"
#include "sql/parser/lexer.h"

namespace trailbook::sql {
namespace internal {
namespace {

// Statement verbs that change data or state: rejected as "read-only".
constexpr std::string_view kMutatingVerbs[] = {
    "ALTER", "ANALYZE",  "CALL",   "COMMENT", "COPY",   "CREATE",  "DELETE", "DENY",
    "DROP",  "GRANT",    "INSERT", "MERGE",   "MSCK",   "REFRESH", "RESET",  "REVOKE",
    "SET",   "TRUNCATE", "UNLOAD", "UPDATE",  "UPSERT", "VACUUM",
};
// Other statements that are not queries.
constexpr std::string_view kOtherVerbs[] = {
    "BEGIN",   "COMMIT",  "DEALLOCATE", "DESC", "DESCRIBE", "EXECUTE",
    "EXPLAIN", "PREPARE", "ROLLBACK",   "SHOW", "START",    "USE",
};

bool IsVerbIn(const Token& t, const std::string_view* begin, const std::string_view* end) {
  if (t.kind != TokenKind::kIdentifier) return false;
  for (const std::string_view* v = begin; v != end; ++v) {
    if (EqualsIgnoreCase(t.text, *v)) return true;
  }
  return false;
}

bool IsMutatingVerb(const Token& t) {
  return IsVerbIn(t, std::begin(kMutatingVerbs), std::end(kMutatingVerbs));
}
bool IsOtherVerb(const Token& t) {
  return IsVerbIn(t, std::begin(kOtherVerbs), std::end(kOtherVerbs));
}

// Returns the id of an event data store ARN
// (arn:<partition>:cloudtrail:<region>:<account>:eventdatastore/<id>), or "" if `s` is not one.
std::string_view EventDataStoreArnId(std::string_view s) {
  constexpr std::string_view kResource = "eventdatastore/";
  std::string_view fields[6];
  size_t start = 0;
  for (size_t i = 0; i < 5; ++i) {
    size_t colon = s.find(':', start);
    if (colon == std::string_view::npos) return {};
    fields[i] = s.substr(start, colon - start);
    start = colon + 1;
  }
  fields[5] = s.substr(start);
  if (fields[0] != "arn" || fields[1].substr(0, 3) != "aws" || fields[2] != "cloudtrail") {
    return {};
  }
  if (fields[5].substr(0, kResource.size()) != kResource) return {};
  std::string_view id = fields[5].substr(kResource.size());
  if (id.empty()) return {};
  for (char c : id) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum && c != '-') return {};
  }
  return id;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string DescribeToken(const Token& token) {
  constexpr size_t kMaxShown = 40;
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kString:
    case TokenKind::kUnicodeString: {
      std::string_view t = token.text;
      if (t.size() > kMaxShown) return "string " + std::string(t.substr(0, kMaxShown)) + "...";
      return "string " + std::string(t);
    }
    default: {
      std::string_view t = token.text;
      if (t.size() > kMaxShown) return "'" + std::string(t.substr(0, kMaxShown)) + "...'";
      return "'" + std::string(t) + "'";
    }
  }
}

Parser::Parser(std::string_view source, const ParseOptions& options)
    : source_(source), options_(options), tokens_(source, options.max_tokens) {}

// ---- Token helpers ------------------------------------------------------------------------

bool Parser::Accept(TokenKind kind) {
  if (tokens_.Peek().kind != kind) return false;
  tokens_.Next();
  return true;
}

bool Parser::Accept(Keyword keyword) {
  if (!tokens_.Peek().Is(keyword)) return false;
  tokens_.Next();
  return true;
}

Status Parser::Expect(TokenKind kind, std::string_view what) {
  Token t = tokens_.Peek();
  if (t.kind != kind) return Unexpected(t, what);
  tokens_.Next();
  return Status::OK();
}

Status Parser::Expect(Keyword keyword) {
  Token t = tokens_.Peek();
  if (!t.Is(keyword)) return Unexpected(t, std::string(KeywordSpelling(keyword)));
  tokens_.Next();
  return Status::OK();
}

Identifier Parser::MakeIdentifier(const Token& token) const {
  Identifier id;
  id.location = token.location;
  if (token.kind == TokenKind::kQuotedIdentifier) {
    id.name = DecodeQuoted(token.text, '"');
    id.quoted = true;
  } else {
    id.name = std::string(token.text);
  }
  return id;
}

Result<Identifier> Parser::ExpectName(std::string_view what) {
  Token t = tokens_.Peek();
  if (!t.IsName()) return Unexpected(t, what, /*name_expected=*/true);
  tokens_.Next();
  return MakeIdentifier(t);
}

Status Parser::Error(const SourceLocation& at, std::string_view detail) const {
  return SyntaxError(source_, at, detail);
}

Status Parser::Unexpected(const Token& t, std::string_view expected, bool name_expected) const {
  switch (t.kind) {
    case TokenKind::kError:
      return tokens_.ErrorFor(t);
    case TokenKind::kDoubleColon:
      return Error(t.location,
                   "'::' casts are not Trino SQL; write CAST(value AS type) or TRY_CAST(...)");
    case TokenKind::kBacktickIdentifier:
      return Error(t.location, "backquoted identifiers are not supported; use double quotes");
    case TokenKind::kDigitIdentifier:
      return Error(t.location,
                   "identifiers must not start with a digit; surround the identifier with "
                   "double quotes");
    case TokenKind::kQuestion:
      return Error(t.location,
                   "positional parameters '?' are not supported; use named parameters (:name)");
    case TokenKind::kPlaceholder:
      return Error(t.location,
                   "placeholder " + DescribeToken(t) + " can only be used as a table name in FROM");
    case TokenKind::kEventDataStoreId:
      return Error(t.location, "an event data store id can only be used as a table name");
    default:
      break;
  }
  std::string detail = "expected ";
  detail.append(expected);
  detail += ", got ";
  detail += DescribeToken(t);
  if (name_expected && t.kind == TokenKind::kIdentifier && IsReserved(t.keyword)) {
    detail += " (a reserved word; write \"" + std::string(t.text) + "\" to use it as a name)";
  }
  return Error(t.location, detail);
}

Status Parser::Unsupported(const Token& t, std::string_view what, std::string_view hint) const {
  std::string detail(what);
  detail += " is not supported";
  if (!hint.empty()) {
    detail += "; ";
    detail.append(hint);
  }
  return Error(t.location, detail);
}

Status Parser::CheckDepth(const SourceLocation& at) const {
  if (depth_ <= options_.max_depth) return Status::OK();
  return SourceError(StatusCode::kResourceExhausted, source_, at, "query is nested too deeply",
                     " (the limit is " + std::to_string(options_.max_depth) + " levels)");
}

SourceLocation Parser::SpanFrom(const SourceLocation& start) const {
  SourceLocation out = start;
  uint32_t end = tokens_.previous_end();
  out.length = end > start.offset ? end - start.offset : 0;
  return out;
}

// ---- Statements ---------------------------------------------------------------------------

Status Parser::RejectNonQuery(const Token& verb, bool after_semicolon) {
  std::string word = UpperAscii(verb.text);
  if (IsMutatingVerb(verb)) {
    return SourceError(
        StatusCode::kInvalidArgument, source_, verb.location,
        "only SELECT queries are supported: trailbook stores are read-only (got " + word, ")");
  }
  if (after_semicolon) {
    return SourceError(StatusCode::kInvalidArgument, source_, verb.location,
                       "only one statement is allowed (found more after ';'", ")");
  }
  std::string hint;
  if (word == "EXPLAIN") hint = "; use `trailbook query --explain` to see the plan";
  return SourceError(StatusCode::kInvalidArgument, source_, verb.location,
                     "only SELECT queries are supported (got " + word, ")" + hint);
}

Result<std::unique_ptr<Statement>> Parser::ParseStatement() {
  Token first = tokens_.Peek();
  if (first.kind == TokenKind::kEnd || first.kind == TokenKind::kSemicolon) {
    return Error(first.location, "empty query; expected SELECT, WITH, VALUES or '('");
  }
  if (IsMutatingVerb(first) || IsOtherVerb(first)) return RejectNonQuery(first, false);
  auto statement = std::make_unique<Statement>();
  TB_ASSIGN_OR_RETURN(statement->query, ParseQuery());
  statement->location = SpanFrom(first.location);
  bool semicolon = Accept(TokenKind::kSemicolon);
  Token t = tokens_.Peek();
  if (t.kind == TokenKind::kEnd) return statement;
  if (semicolon) return RejectNonQuery(t, true);
  return Unexpected(t, "end of query");
}

Result<ExprPtr> Parser::ParseStandaloneExpression() {
  TB_ASSIGN_OR_RETURN(ExprPtr e, ParseExpr(kPrecLowest));
  Token t = tokens_.Peek();
  if (t.kind != TokenKind::kEnd) return Unexpected(t, "end of expression");
  return e;
}

// ---- Queries ------------------------------------------------------------------------------

bool Parser::ParenthesizedQueryFollows(size_t ahead) {
  Token open = tokens_.Peek(ahead);
  if (open.kind != TokenKind::kLeftParen) return false;
  if (auto it = parenthesized_query_.find(open.location.offset); it != parenthesized_query_.end()) {
    return it->second;
  }
  std::vector<uint32_t> unclosed;
  for (size_t k = ahead;; ++k) {
    Token t = tokens_.Peek(k);
    if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kError) {
      for (uint32_t offset : unclosed) parenthesized_query_[offset] = false;
      return false;
    }
    if (t.kind == TokenKind::kLeftParen) {
      unclosed.push_back(t.location.offset);
    } else if (t.kind == TokenKind::kRightParen && !unclosed.empty()) {
      Token after = tokens_.Peek(k + 1);
      bool query = after.Is(Keyword::kUnion) || after.Is(Keyword::kExcept) ||
                   after.Is(Keyword::kIntersect) || after.Is(Keyword::kOrder) ||
                   after.Is(Keyword::kLimit) || after.Is(Keyword::kOffset) ||
                   after.Is(Keyword::kFetch);
      parenthesized_query_[unclosed.back()] = query;
      unclosed.pop_back();
      if (unclosed.empty()) return query;
    }
  }
}

bool Parser::QueryStartsAt(size_t ahead) {
  Token t = tokens_.Peek(ahead);
  if (t.Is(Keyword::kSelect) || t.Is(Keyword::kWith) || t.Is(Keyword::kValues)) return true;
  return t.kind == TokenKind::kLeftParen && ParenthesizedQueryFollows(ahead);
}

Result<QueryPtr> Parser::ParseQuery() {
  NestingScope scope(&depth_);
  Token first = tokens_.Peek();
  TB_RETURN_IF_ERROR(CheckDepth(first.location));
  auto query = std::make_unique<Query>();
  if (first.Is(Keyword::kWith)) TB_RETURN_IF_ERROR(ParseWith(query.get()));
  TB_ASSIGN_OR_RETURN(query->body, ParseQueryTerm(0));
  if (tokens_.Peek().Is(Keyword::kOrder)) {
    tokens_.Next();
    TB_RETURN_IF_ERROR(Expect(Keyword::kBy));
    TB_RETURN_IF_ERROR(ParseOrderBy(&query->order_by));
  }
  TB_RETURN_IF_ERROR(ParseLimitClauses(query.get()));
  query->location = SpanFrom(first.location);
  // Parentheses around a whole query add nothing: (SELECT 1) is SELECT 1.
  if (query->body->Is<NestedQueryBody>() && query->with.empty() && query->order_by.empty() &&
      query->offset == nullptr && query->limit == nullptr) {
    return std::move(query->body->As<NestedQueryBody>().query);
  }
  return query;
}

Status Parser::ParseWith(Query* query) {
  tokens_.Next();  // WITH
  Token t = tokens_.Peek();
  if (t.Is(Keyword::kRecursive)) return Unsupported(t, "WITH RECURSIVE");
  do {
    CommonTableExpr cte;
    SourceLocation start = tokens_.Peek().location;
    TB_ASSIGN_OR_RETURN(cte.name, ExpectName("name of the WITH query"));
    if (tokens_.Peek().kind == TokenKind::kLeftParen && QueryStartsAt(1)) {
      return Unexpected(tokens_.Peek(), "AS before the WITH query");
    }
    if (tokens_.Peek().kind == TokenKind::kLeftParen) {
      TB_ASSIGN_OR_RETURN(cte.columns, ParseIdentifierList("column name"));
    }
    TB_RETURN_IF_ERROR(Expect(Keyword::kAs));
    TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' before the WITH query"));
    TB_ASSIGN_OR_RETURN(cte.query, ParseQuery());
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the WITH query"));
    cte.location = SpanFrom(start);
    query->with.push_back(std::move(cte));
  } while (Accept(TokenKind::kComma));
  return Status::OK();
}

Result<QueryBodyPtr> Parser::ParseQueryTerm(int min_precedence) {
  NestingScope scope(&depth_);
  SourceLocation start = tokens_.Peek().location;
  TB_RETURN_IF_ERROR(CheckDepth(start));
  TB_ASSIGN_OR_RETURN(QueryBodyPtr left, ParseQueryPrimary());
  while (true) {
    Token t = tokens_.Peek();
    SetOperator op;
    int precedence;
    if (t.Is(Keyword::kUnion)) {
      op = SetOperator::kUnion;
      precedence = 1;
    } else if (t.Is(Keyword::kExcept)) {
      op = SetOperator::kExcept;
      precedence = 1;
    } else if (t.Is(Keyword::kIntersect)) {
      op = SetOperator::kIntersect;
      precedence = 2;
    } else {
      break;
    }
    if (precedence < min_precedence) break;
    tokens_.Next();
    ++depth_;  // Each set operator in a chain is one more level of the tree.
    TB_RETURN_IF_ERROR(CheckDepth(t.location));
    auto set = std::make_unique<SetOperationBody>();
    set->op = op;
    if (Accept(Keyword::kAll)) {
      set->all = true;
    } else {
      Accept(Keyword::kDistinct);
    }
    set->left = std::move(left);
    TB_ASSIGN_OR_RETURN(set->right, ParseQueryTerm(precedence + 1));
    set->location = SpanFrom(start);
    left = std::move(set);
  }
  return left;
}

Result<QueryBodyPtr> Parser::ParseQueryPrimary() {
  Token t = tokens_.Peek();
  if (t.Is(Keyword::kSelect)) return ParseSelect();
  if (t.Is(Keyword::kValues)) return ParseValues();
  if (t.kind == TokenKind::kLeftParen) {
    tokens_.Next();
    auto nested = std::make_unique<NestedQueryBody>();
    TB_ASSIGN_OR_RETURN(nested->query, ParseQuery());
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
    nested->location = SpanFrom(t.location);
    return nested;
  }
  if (t.Is(Keyword::kTable)) return Unsupported(t, "TABLE <name>", "write SELECT * FROM <name>");
  if (IsMutatingVerb(t)) return RejectNonQuery(t, false);
  return Unexpected(t, "SELECT, WITH, VALUES or '('");
}

Result<QueryBodyPtr> Parser::ParseValues() {
  Token values = tokens_.Next();
  auto body = std::make_unique<ValuesBody>();
  do {
    TB_ASSIGN_OR_RETURN(ExprPtr row, ParseExpr(kPrecLowest));
    body->rows.push_back(std::move(row));
  } while (Accept(TokenKind::kComma));
  body->location = SpanFrom(values.location);
  return body;
}

Result<QueryBodyPtr> Parser::ParseSelect() {
  Token select_token = tokens_.Next();
  auto select = std::make_unique<SelectBody>();
  if (Accept(Keyword::kDistinct)) {
    select->distinct = true;
  } else {
    Accept(Keyword::kAll);
  }
  do {
    SelectItem item;
    TB_RETURN_IF_ERROR(ParseSelectItem(&item));
    select->items.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));

  if (Accept(Keyword::kFrom)) {
    TB_ASSIGN_OR_RETURN(select->from, ParseFrom());
  }
  if (Accept(Keyword::kWhere)) {
    TB_ASSIGN_OR_RETURN(select->where, ParseExpr(kPrecLowest));
  }
  if (tokens_.Peek().Is(Keyword::kGroup)) TB_RETURN_IF_ERROR(ParseGroupBy(select.get()));
  if (Accept(Keyword::kHaving)) {
    TB_ASSIGN_OR_RETURN(select->having, ParseExpr(kPrecLowest));
  }
  if (tokens_.Peek().Is(Keyword::kWindow)) TB_RETURN_IF_ERROR(ParseWindowClause(select.get()));
  select->location = SpanFrom(select_token.location);
  return select;
}

Status Parser::ParseSelectItem(SelectItem* item) {
  Token first = tokens_.Peek();
  if (first.kind == TokenKind::kStar) {
    tokens_.Next();
    item->kind = SelectItemKind::kAllColumns;
    item->location = first.location;
    return Status::OK();
  }
  // qualifier.*: name (. name)* . *
  if (first.IsName()) {
    size_t k = 1;
    while (tokens_.Peek(k).kind == TokenKind::kDot && tokens_.Peek(k + 1).IsName()) k += 2;
    if (tokens_.Peek(k).kind == TokenKind::kDot && tokens_.Peek(k + 1).kind == TokenKind::kStar) {
      item->kind = SelectItemKind::kAllColumns;
      for (size_t i = 0; i < k; i += 2) {
        item->qualifier.push_back(MakeIdentifier(tokens_.Next()));
        tokens_.Next();  // '.'
      }
      tokens_.Next();  // '*'
      item->location = SpanFrom(first.location);
      return Status::OK();
    }
  }
  item->kind = SelectItemKind::kExpr;
  TB_ASSIGN_OR_RETURN(item->expr, ParseExpr(kPrecLowest));
  Token t = tokens_.Peek();
  if (t.Is(Keyword::kAs)) {
    tokens_.Next();
    TB_ASSIGN_OR_RETURN(item->alias, ExpectName("column alias after AS"));
  } else if (t.IsName() && !t.Is(Keyword::kLimit) && !t.Is(Keyword::kOffset) &&
             !t.Is(Keyword::kFetch) && !t.Is(Keyword::kWindow)) {
    tokens_.Next();
    item->alias = MakeIdentifier(t);
  }
  item->location = SpanFrom(first.location);
  return Status::OK();
}

Status Parser::ParseGroupBy(SelectBody* select) {
  tokens_.Next();  // GROUP
  TB_RETURN_IF_ERROR(Expect(Keyword::kBy));
  Token t = tokens_.Peek();
  if (t.Is(Keyword::kAll) || t.Is(Keyword::kDistinct)) {
    return Unsupported(t, "GROUP BY " + UpperAscii(t.text));
  }
  do {
    t = tokens_.Peek();
    if (t.Is(Keyword::kRollup) || t.Is(Keyword::kCube)) {
      return Unsupported(t, UpperAscii(t.text) + " grouping");
    }
    if (t.Is(Keyword::kGrouping) && tokens_.Peek(1).Is(Keyword::kSets)) {
      return Unsupported(t, "GROUPING SETS");
    }
    TB_ASSIGN_OR_RETURN(ExprPtr e, ParseExpr(kPrecLowest));
    select->group_by.push_back(std::move(e));
  } while (Accept(TokenKind::kComma));
  return Status::OK();
}

Status Parser::ParseWindowClause(SelectBody* select) {
  tokens_.Next();  // WINDOW
  do {
    NamedWindow window;
    SourceLocation start = tokens_.Peek().location;
    TB_ASSIGN_OR_RETURN(window.name, ExpectName("window name"));
    TB_RETURN_IF_ERROR(Expect(Keyword::kAs));
    TB_ASSIGN_OR_RETURN(std::unique_ptr<WindowSpec> spec, ParseWindowSpec());
    window.spec = std::move(*spec);
    window.location = SpanFrom(start);
    select->windows.push_back(std::move(window));
  } while (Accept(TokenKind::kComma));
  return Status::OK();
}

Status Parser::ParseOrderBy(std::vector<OrderItem>* items) {
  do {
    OrderItem item;
    SourceLocation start = tokens_.Peek().location;
    TB_ASSIGN_OR_RETURN(item.expr, ParseExpr(kPrecLowest));
    if (Accept(Keyword::kDesc)) {
      item.descending = true;
    } else {
      Accept(Keyword::kAsc);
    }
    if (Accept(Keyword::kNulls)) {
      Token t = tokens_.Peek();
      if (t.Is(Keyword::kFirst)) {
        item.nulls = NullOrdering::kFirst;
      } else if (t.Is(Keyword::kLast)) {
        item.nulls = NullOrdering::kLast;
      } else {
        return Unexpected(t, "FIRST or LAST after NULLS");
      }
      tokens_.Next();
    }
    item.location = SpanFrom(start);
    items->push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  return Status::OK();
}

Result<ExprPtr> Parser::ParseRowCount(std::string_view clause) {
  Token t = tokens_.Peek();
  if (t.kind == TokenKind::kInteger) {
    tokens_.Next();
    return ParseNumber(t);
  }
  if (t.kind == TokenKind::kParameter) {
    tokens_.Next();
    auto p = std::make_unique<Parameter>();
    p->name = std::string(t.text.substr(1));
    p->location = t.location;
    return ExprPtr(std::move(p));
  }
  return Unexpected(t, std::string(clause) + " row count (a non-negative integer or :parameter)");
}

Status Parser::ParseLimitClauses(Query* query) {
  bool seen_offset = false;
  bool seen_limit = false;
  while (true) {
    Token t = tokens_.Peek();
    if (t.Is(Keyword::kOffset) && !seen_offset) {
      tokens_.Next();
      seen_offset = true;
      TB_ASSIGN_OR_RETURN(query->offset, ParseRowCount("OFFSET"));
      if (!Accept(Keyword::kRows)) Accept(Keyword::kRow);
    } else if (t.Is(Keyword::kLimit) && !seen_limit) {
      tokens_.Next();
      seen_limit = true;
      if (!Accept(Keyword::kAll)) {
        TB_ASSIGN_OR_RETURN(query->limit, ParseRowCount("LIMIT"));
      }
    } else if (t.Is(Keyword::kFetch) && !seen_limit) {
      tokens_.Next();
      seen_limit = true;
      Token which = tokens_.Peek();
      if (!Accept(Keyword::kFirst) && !Accept(Keyword::kNext)) {
        return Unexpected(which, "FIRST or NEXT after FETCH");
      }
      Token count = tokens_.Peek();
      if (count.Is(Keyword::kRow) || count.Is(Keyword::kRows)) {
        auto one = std::make_unique<IntegerLiteral>();
        one->value = 1;
        one->location = count.location;
        query->limit = std::move(one);
      } else {
        TB_ASSIGN_OR_RETURN(query->limit, ParseRowCount("FETCH"));
      }
      Token rows = tokens_.Peek();
      if (!Accept(Keyword::kRows) && !Accept(Keyword::kRow)) {
        return Unexpected(rows, "ROWS");
      }
      Token tail = tokens_.Peek();
      if (Accept(Keyword::kOnly)) continue;
      if (tail.Is(Keyword::kWith) && tokens_.Peek(1).Is(Keyword::kTies)) {
        tokens_.Next();
        tokens_.Next();
        query->limit_with_ties = true;
        continue;
      }
      return Unexpected(tail, "ONLY or WITH TIES");
    } else {
      return Status::OK();
    }
  }
}

// ---- Relations ----------------------------------------------------------------------------

Result<RelationPtr> Parser::ParseFrom() {
  SourceLocation start = tokens_.Peek().location;
  TB_ASSIGN_OR_RETURN(RelationPtr left, ParseJoinChain());
  NestingScope scope(&depth_, 0);  // Restores the levels the commas add.
  while (tokens_.Peek().kind == TokenKind::kComma) {
    Token comma = tokens_.Next();
    ++depth_;
    TB_RETURN_IF_ERROR(CheckDepth(comma.location));
    auto join = std::make_unique<JoinRelation>();
    join->type = JoinType::kImplicit;
    join->left = std::move(left);
    TB_ASSIGN_OR_RETURN(join->right, ParseJoinChain());
    join->location = SpanFrom(start);
    left = std::move(join);
  }
  return left;
}

Result<RelationPtr> Parser::ParseJoinChain() {
  NestingScope scope(&depth_);
  SourceLocation start = tokens_.Peek().location;
  TB_RETURN_IF_ERROR(CheckDepth(start));
  TB_ASSIGN_OR_RETURN(RelationPtr left, ParseAliasedRelation());
  while (true) {
    Token t = tokens_.Peek();
    JoinType type;
    if (t.Is(Keyword::kCross)) {
      tokens_.Next();
      type = JoinType::kCross;
    } else if (t.Is(Keyword::kJoin)) {
      type = JoinType::kInner;
    } else if (t.Is(Keyword::kInner)) {
      tokens_.Next();
      type = JoinType::kInner;
    } else if (t.Is(Keyword::kLeft) || t.Is(Keyword::kRight) || t.Is(Keyword::kFull)) {
      tokens_.Next();
      type = t.Is(Keyword::kLeft)    ? JoinType::kLeft
             : t.Is(Keyword::kRight) ? JoinType::kRight
                                     : JoinType::kFull;
      Accept(Keyword::kOuter);
    } else if (t.Is(Keyword::kNatural)) {
      return Unsupported(t, "NATURAL JOIN", "use JOIN ... USING (...)");
    } else {
      break;
    }
    TB_RETURN_IF_ERROR(Expect(Keyword::kJoin));
    ++depth_;
    TB_RETURN_IF_ERROR(CheckDepth(t.location));
    auto join = std::make_unique<JoinRelation>();
    join->type = type;
    join->left = std::move(left);
    TB_ASSIGN_OR_RETURN(join->right, ParseAliasedRelation());
    if (type != JoinType::kCross) {
      Token criteria = tokens_.Peek();
      if (Accept(Keyword::kOn)) {
        TB_ASSIGN_OR_RETURN(join->on, ParseExpr(kPrecLowest));
      } else if (Accept(Keyword::kUsing)) {
        TB_ASSIGN_OR_RETURN(join->using_columns, ParseIdentifierList("column name"));
      } else {
        return Unexpected(criteria, "ON or USING after " + std::string(JoinTypeName(type)));
      }
    }
    join->location = SpanFrom(start);
    left = std::move(join);
  }
  return left;
}

Result<RelationPtr> Parser::ParseAliasedRelation() {
  SourceLocation start = tokens_.Peek().location;
  bool parenthesized = false;
  TB_ASSIGN_OR_RETURN(RelationPtr relation, ParseRelationPrimary(&parenthesized));
  Token t = tokens_.Peek();
  if (t.Is(Keyword::kTablesample)) return Unsupported(t, "TABLESAMPLE");
  if (t.Is(Keyword::kMatchRecognize)) return Unsupported(t, "MATCH_RECOGNIZE");
  std::optional<TableAlias> alias;
  TB_RETURN_IF_ERROR(ParseOptionalAlias(&alias));
  if (!alias.has_value()) return relation;
  std::optional<TableAlias>* target = nullptr;
  switch (relation->kind) {
    case RelationKind::kTable:
      target = &relation->As<TableRelation>().alias;
      break;
    case RelationKind::kSubquery:
      target = &relation->As<SubqueryRelation>().alias;
      break;
    case RelationKind::kUnnest:
      target = &relation->As<UnnestRelation>().alias;
      break;
    case RelationKind::kJoin:
      break;
  }
  if (target == nullptr || target->has_value()) {
    return Error(alias->name.location, parenthesized && relation->kind == RelationKind::kJoin
                                           ? "an alias on a parenthesized join is not supported"
                                           : "this relation already has an alias");
  }
  *target = std::move(alias);
  relation->location = SpanFrom(start);
  return relation;
}

Status Parser::ParseOptionalAlias(std::optional<TableAlias>* alias) {
  Token t = tokens_.Peek();
  if (t.Is(Keyword::kAs)) {
    tokens_.Next();
    TableAlias a;
    TB_ASSIGN_OR_RETURN(a.name, ExpectName("alias after AS"));
    *alias = std::move(a);
  } else if (t.IsName() && !t.Is(Keyword::kLimit) && !t.Is(Keyword::kOffset) &&
             !t.Is(Keyword::kFetch) && !t.Is(Keyword::kWindow) && !t.Is(Keyword::kTablesample) &&
             !t.Is(Keyword::kMatchRecognize)) {
    tokens_.Next();
    *alias = TableAlias{MakeIdentifier(t), {}};
  } else {
    return Status::OK();
  }
  if (tokens_.Peek().kind == TokenKind::kLeftParen) {
    TB_ASSIGN_OR_RETURN((*alias)->columns, ParseIdentifierList("column alias"));
  }
  return Status::OK();
}

Result<std::vector<Identifier>> Parser::ParseIdentifierList(std::string_view what) {
  TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'('"));
  std::vector<Identifier> names;
  do {
    TB_ASSIGN_OR_RETURN(Identifier name, ExpectName(what));
    names.push_back(std::move(name));
  } while (Accept(TokenKind::kComma));
  TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "',' or ')'"));
  return names;
}

Result<RelationPtr> Parser::ParseRelationPrimary(bool* parenthesized) {
  NestingScope scope(&depth_);
  // Bare event-data-store ids and <EDS ID> placeholders are only tokens in this position.
  tokens_.Relex(LexMode::kTableName);
  Token t = tokens_.Peek();
  TB_RETURN_IF_ERROR(CheckDepth(t.location));
  if (t.kind == TokenKind::kLeftParen) {
    if (QueryStartsAt(1)) {
      tokens_.Next();
      auto sub = std::make_unique<SubqueryRelation>();
      TB_ASSIGN_OR_RETURN(sub->query, ParseQuery());
      TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the subquery"));
      sub->location = SpanFrom(t.location);
      return RelationPtr(std::move(sub));
    }
    tokens_.Next();
    *parenthesized = true;
    TB_ASSIGN_OR_RETURN(RelationPtr inner, ParseJoinChain());
    TB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
    return inner;
  }
  if (t.Is(Keyword::kUnnest)) return ParseUnnest();
  if (t.Is(Keyword::kLateral)) return Unsupported(t, "LATERAL");
  if (t.kind == TokenKind::kString) {
    return Error(t.location,
                 "a table name cannot be a string literal; write the event data store id bare "
                 "or in double quotes");
  }
  return ParseTableRelation();
}

Result<RelationPtr> Parser::ParseTableRelation() {
  Token t = tokens_.Peek();
  auto table = std::make_unique<TableRelation>();
  TableName& name = table->name;
  name.location = t.location;
  bool quoted = t.kind == TokenKind::kQuotedIdentifier || t.kind == TokenKind::kBacktickIdentifier;
  std::string unquoted;
  if (quoted) unquoted = DecodeQuoted(t.text, t.text[0]);
  if (t.kind == TokenKind::kEventDataStoreId || t.kind == TokenKind::kPlaceholder) {
    tokens_.Next();
    name.kind = t.kind == TokenKind::kPlaceholder ? TableNameKind::kPlaceholder
                                                  : TableNameKind::kEventDataStore;
    name.text = std::string(t.text);
    if (name.kind == TableNameKind::kEventDataStore) name.event_data_store_id = name.text;
  } else if (quoted && tokens_.Peek(1).kind != TokenKind::kDot &&
             (IsUuid(unquoted) || !EventDataStoreArnId(unquoted).empty())) {
    tokens_.Next();
    name.kind = TableNameKind::kEventDataStore;
    name.event_data_store_id =
        IsUuid(unquoted) ? unquoted : std::string(EventDataStoreArnId(unquoted));
    name.text = std::move(unquoted);
  } else if (t.kind == TokenKind::kBacktickIdentifier) {
    return Error(t.location,
                 "backquoted identifiers are not supported; use double quotes (backquotes are "
                 "accepted only around an event data store id or ARN)");
  } else {
    do {
      TB_ASSIGN_OR_RETURN(Identifier part, ExpectName("table name"));
      name.parts.push_back(std::move(part));
    } while (tokens_.Peek().kind == TokenKind::kDot && tokens_.Peek(1).IsName() &&
             tokens_.Next().kind == TokenKind::kDot);
    name.kind = TableNameKind::kQualified;
  }
  name.location = SpanFrom(t.location);
  table->location = name.location;
  return RelationPtr(std::move(table));
}

Result<RelationPtr> Parser::ParseUnnest() {
  Token unnest = tokens_.Next();
  TB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' after UNNEST"));
  auto relation = std::make_unique<UnnestRelation>();
  TB_ASSIGN_OR_RETURN(relation->args, ParseExprList(TokenKind::kRightParen, "UNNEST argument"));
  if (relation->args.empty()) return Error(unnest.location, "UNNEST needs at least one argument");
  if (tokens_.Peek().Is(Keyword::kWith) && tokens_.Peek(1).Is(Keyword::kOrdinality)) {
    tokens_.Next();
    tokens_.Next();
    relation->with_ordinality = true;
  }
  relation->location = SpanFrom(unnest.location);
  return RelationPtr(std::move(relation));
}

}  // namespace internal

Result<std::unique_ptr<Statement>> Parse(std::string_view sql, const ParseOptions& options) {
  if (sql.size() > options.max_query_bytes) {
    return ResourceExhausted("query text is " + std::to_string(sql.size()) +
                             " bytes; the limit is " + std::to_string(options.max_query_bytes));
  }
  TB_RETURN_IF_ERROR(ValidateUtf8(sql));
  internal::Parser parser(sql, options);
  return parser.ParseStatement();
}

Result<ExprPtr> ParseExpression(std::string_view sql, const ParseOptions& options) {
  if (sql.size() > options.max_query_bytes) {
    return ResourceExhausted("expression text is " + std::to_string(sql.size()) +
                             " bytes; the limit is " + std::to_string(options.max_query_bytes));
  }
  TB_RETURN_IF_ERROR(ValidateUtf8(sql));
  internal::Parser parser(sql, options);
  return parser.ParseStandaloneExpression();
}

}  // namespace trailbook::sql
