// File: sql/parser/parser.h
//
// Entry point of the SQL parser: CloudTrail Lake (Trino-style) query text -> AST (ast.h).
// Only queries parse; anything that could change data is rejected, because trailbook stores
// are read-only. The dialect is listed in docs/sql.md.
//
//   TB_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, Parse(sql, ParseOptions{}));
//   const Query& query = *stmt->query;
//
// Errors are kInvalidArgument with the line, column and a caret snippet:
//
//   syntax error at 1:14: expected expression, got 'FROM'
//     SELECT a, b, FROM events
//                  ^
//
// Thread safety: Parse is thread-safe (it keeps no state between calls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "sql/parser/ast.h"

namespace trailbook::sql {

// Limits that keep hostile or generated input from exhausting memory or the stack.
struct ParseOptions {
  // Longest accepted query text, in bytes.
  size_t max_query_bytes = 1 << 20;
  // Most tokens in one query (a token costs about 48 bytes while parsing).
  size_t max_tokens = 200'000;
  // Deepest nesting of queries, relations, expressions and types, counting each operator of
  // a non-AND/OR chain (`a + b + c` is two levels) as a level, so the AST's height stays
  // bounded and recursive walks of it are safe.
  uint32_t max_depth = 256;
};

// Parses one query, optionally followed by a single ';'.
// Errors:
//   kInvalidArgument   - syntax errors, invalid UTF-8, anything but a query (INSERT, DROP,
//                        SET, ...), or more than one statement; the message names line and
//                        column and shows the offending line with a caret.
//   kResourceExhausted - the query text, token count or nesting depth exceeds `options`.
Result<std::unique_ptr<Statement>> Parse(std::string_view sql, const ParseOptions& options = {});

// Parses a single expression (no trailing ';'), e.g. a runbook's filter. Errors as Parse.
Result<ExprPtr> ParseExpression(std::string_view sql, const ParseOptions& options = {});

}  // namespace trailbook::sql
