// File: sql/parser/internal/parser_impl.h
//
// Parser: the recursive-descent parser behind Parse() and ParseExpression(). Statements,
// queries and relations are parsed in parser.cc; expressions (a Pratt parser over Trino's
// precedence levels), literals and types in expr_parser.cc. One class because the grammar is
// mutually recursive (expressions contain subqueries, queries contain expressions).
//
// Every recursive entry point takes a NestingScope and each operator folded into a chain
// counts one more level, so input nested beyond ParseOptions::max_depth fails cleanly with
// kResourceExhausted instead of overflowing the stack, and the produced AST has bounded height.
//
// Thread safety: not thread-safe; one Parser per parse.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "sql/parser/ast.h"
#include "sql/parser/internal/precedence.h"
#include "sql/parser/internal/token_stream.h"
#include "sql/parser/parser.h"

namespace trailbook::sql::internal {

class Parser {
 public:
  // `source` and `options` must outlive the Parser. REQUIRES: `source` is valid UTF-8 and
  // within options.max_query_bytes (Parse checks both first).
  Parser(std::string_view source, const ParseOptions& options);

  // Parses one query and an optional ';' (see Parse in parser.h for the errors).
  Result<std::unique_ptr<Statement>> ParseStatement();
  // Parses one expression filling the whole source.
  Result<ExprPtr> ParseStandaloneExpression();

 private:
  // Adds `levels` to the nesting depth and restores it (undoing any folds counted meanwhile)
  // when the parse function returns.
  class NestingScope {
   public:
    explicit NestingScope(uint32_t* depth, uint32_t levels = 1) : depth_(depth), saved_(*depth) {
      *depth_ += levels;
    }
    ~NestingScope() { *depth_ = saved_; }
    NestingScope(const NestingScope&) = delete;
    NestingScope& operator=(const NestingScope&) = delete;

   private:
    uint32_t* depth_;
    uint32_t saved_;
  };

  // ---- parser.cc: statements, queries, relations.
  Status RejectNonQuery(const Token& verb, bool after_semicolon);
  Result<QueryPtr> ParseQuery();
  Result<QueryBodyPtr> ParseQueryTerm(int min_precedence);
  Result<QueryBodyPtr> ParseQueryPrimary();
  Result<QueryBodyPtr> ParseSelect();
  Result<QueryBodyPtr> ParseValues();
  Status ParseWith(Query* query);
  Status ParseSelectItem(SelectItem* item);
  Status ParseGroupBy(SelectBody* select);
  Status ParseWindowClause(SelectBody* select);
  Status ParseOrderBy(std::vector<OrderItem>* items);
  Status ParseLimitClauses(Query* query);
  Result<ExprPtr> ParseRowCount(std::string_view clause);
  Result<RelationPtr> ParseFrom();
  Result<RelationPtr> ParseJoinChain();
  Result<RelationPtr> ParseAliasedRelation();
  Result<RelationPtr> ParseRelationPrimary(bool* parenthesized);
  Result<RelationPtr> ParseTableRelation();
  Result<RelationPtr> ParseUnnest();
  Status ParseOptionalAlias(std::optional<TableAlias>* alias);
  Result<std::vector<Identifier>> ParseIdentifierList(std::string_view what);
  // True when the '(' at Peek(ahead) opens a parenthesized query (its matching ')' is
  // followed by a set operator, ORDER BY, OFFSET, LIMIT or FETCH). Answers for every '('
  // met while scanning are memoized, so nested parentheses cost linear time overall.
  bool ParenthesizedQueryFollows(size_t ahead);
  // True when Peek(ahead) starts a query: SELECT, WITH, VALUES, or a parenthesized query.
  bool QueryStartsAt(size_t ahead);

  // ---- expr_parser.cc: expressions, literals, types.
  Result<ExprPtr> ParseExpr(int min_precedence);
  // Continues an expression whose first operand `left` (starting at `start`, binding with
  // `left_precedence`: kPrecPostfix for a primary) is already parsed.
  Result<ExprPtr> ParseInfix(ExprPtr left, int left_precedence, int min_precedence,
                             const SourceLocation& start);
  // Parses NOT, a sign or a primary; sets *precedence to how tightly the result binds.
  Result<ExprPtr> ParsePrefix(int min_precedence, int* precedence);
  Result<ExprPtr> ParsePrimary();
  Result<ExprPtr> ParsePredicate(ExprPtr left);
  Result<ExprPtr> ParsePostfix(ExprPtr left);
  Result<ExprPtr> ParseNameOrCall();
  Result<ExprPtr> ParseParenthesized();
  Result<ExprPtr> ParseFunctionCall(Identifier name);
  Status ParseCallSuffixes(FunctionCall* call);
  Result<ExprPtr> ParseArgument();
  bool LambdaFollows();
  Result<ExprPtr> ParseLambda();
  Result<ExprPtr> ParseSpecialForm(const Token& keyword);
  Result<ExprPtr> ParseCast(bool try_cast);
  Result<ExprPtr> ParseCase();
  Result<ExprPtr> ParseExtract();
  Result<ExprPtr> ParseTrim();
  Result<ExprPtr> ParseSubstringOrPosition(const Token& keyword);
  Result<ExprPtr> ParseCurrentTime(const Token& keyword);
  Result<ExprPtr> ParseInterval();
  Result<ExprPtr> ParseNumber(const Token& token);
  Result<std::string> ParseStringValue();
  Result<std::unique_ptr<WindowSpec>> ParseWindowSpec();
  Result<FrameBound> ParseFrameBound();
  Result<TypeName> ParseType();
  Status ParseRowTypeFields(TypeName* type);
  Result<std::vector<ExprPtr>> ParseExprList(TokenKind close, std::string_view what);

  // ---- Token helpers (parser.cc).
  bool Accept(TokenKind kind);
  bool Accept(Keyword keyword);
  Status Expect(TokenKind kind, std::string_view what);
  Status Expect(Keyword keyword);
  // Consumes a name (unquoted non-reserved word or "quoted"); `what` names it in errors.
  Result<Identifier> ExpectName(std::string_view what);
  Identifier MakeIdentifier(const Token& token) const;
  // Returns the error for an unexpected `token` where `expected` was needed, with hints for
  // the usual mistakes (reserved words, `::` casts, backquotes, `?`, smart quotes).
  // `name_expected` adds a hint on quoting when `token` is a reserved word.
  Status Unexpected(const Token& token, std::string_view expected,
                    bool name_expected = false) const;
  // Returns "<what> is not supported[; <hint>]" located at `token`.
  Status Unsupported(const Token& token, std::string_view what, std::string_view hint = "") const;
  Status Error(const SourceLocation& at, std::string_view detail) const;
  // Returns the error for operator `token` whose left operand binds too loosely for it.
  Status CannotFollow(const Token& token, int left_precedence) const;
  // Fails with kResourceExhausted when the nesting depth is over the limit.
  Status CheckDepth(const SourceLocation& at) const;
  // Returns the span from `start` to the end of the last consumed token.
  SourceLocation SpanFrom(const SourceLocation& start) const;

  std::string_view source_;
  const ParseOptions& options_;
  TokenStream tokens_;
  uint32_t depth_ = 0;
  // ParenthesizedQueryFollows answers by the byte offset of the '(' (offsets, unlike token
  // indices, do not change when the current token is re-lexed as a table name).
  std::unordered_map<uint32_t, bool> parenthesized_query_;
};

// Returns a short quoted description of `token` for messages: 'FROM', end of input, ...
std::string DescribeToken(const Token& token);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string UpperAscii(std::string_view s);
std::string LowerAscii(std::string_view s);

}  // namespace trailbook::sql::internal
