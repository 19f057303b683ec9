// File: sql/parser/ast_printer.h
//
// Prints an AST (ast.h) back to canonical SQL on one line: keywords upper case, names as
// written (quoted when they were, or when they must be), only the parentheses that Trino's
// precedence needs, `<>` for both inequality spellings, and desugared forms as calls
// (EXTRACT(hour FROM t) prints as hour(t)). For every tree Parse returns,
// Parse(PrintStatement(*s)) succeeds and is Equal to *s; the corpus tests and the fuzzer check it.
// Used for EXPLAIN output and error messages as well.
//
//   std::string sql = PrintStatement(*statement);
//   std::string where = PrintExpr(*select.where);   // "eventName = 'ConsoleLogin'"
//
// REQUIRES (all functions): a tree built by Parse, or one obeying the invariants in ast.h; its
// height bounds the printer's recursion.
// Thread safety: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "sql/parser/ast.h"

namespace trailbook::sql {

std::string PrintStatement(const Statement& statement);
std::string PrintQuery(const Query& query);
std::string PrintExpr(const Expr& expr);
std::string PrintType(const TypeName& type);

// Returns the name as SQL: bare when it was bare, otherwise in double quotes with "" escapes.
std::string PrintIdentifier(const Identifier& identifier);

// Returns `value` as a SQL string literal: '...' with '' escapes, or U&'...' with \XXXX escapes
// when it contains control characters (so the output stays on one line).
std::string PrintStringLiteral(std::string_view value);

}  // namespace trailbook::sql
