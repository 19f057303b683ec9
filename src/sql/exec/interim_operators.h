// File: sql/exec/interim_operators.h
//
// A minimal set of operator kernels ($eq $ne $lt $le $gt $ge $add $subtract $multiply
// $divide $modulo $negate $concat $like $cast $try_cast) that the engine registers ONLY for
// names the function library (sql/functions, branch sqlfunc) has not registered, so the
// engine can run and be tested before the library is merged. Once the library provides these
// names, nothing here is used; delete this file then (TODO(#3): remove after the sqlfunc merge).
//
//   FunctionRegistry registry;
//   RegisterBuiltinScalarFunctions(registry);
//   RegisterInterimOperators(registry);   // fills gaps only
#pragma once

#include "sql/functions/function_registry.h"

namespace trailbook::sql {

// Adds the operators above that `registry` lacks.
void RegisterInterimOperators(FunctionRegistry& registry);

}  // namespace trailbook::sql
