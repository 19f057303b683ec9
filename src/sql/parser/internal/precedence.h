// File: sql/parser/internal/precedence.h
//
// Binding strength of expression operators, loosest first, following the order of Trino's
// SqlBase.g4. Shared by the parser (which operators an operand may contain) and the printer
// (which operands need parentheses).
#pragma once

namespace trailbook::sql::internal {

// Binding strength of expression operators, loosest first (Trino's SqlBase.g4 order).
enum Precedence : int {
  kPrecLowest = 0,
  kPrecOr = 1,
  kPrecAnd = 2,
  kPrecNot = 3,
  kPrecPredicate = 4,  // = <> < IS BETWEEN IN LIKE: operands are value expressions.
  kPrecConcat = 5,
  kPrecAdditive = 6,
  kPrecMultiplicative = 7,
  kPrecUnary = 8,
  kPrecAtTimeZone = 9,
  kPrecPostfix = 10,  // a[i], a.b
};

}  // namespace trailbook::sql::internal
