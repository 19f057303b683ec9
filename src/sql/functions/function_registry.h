// File: sql/functions/function_registry.h
//
// FunctionRegistry: the catalog of functions the binder resolves names against. Names are
// case-insensitive (stored lower case). Scalar functions (incl. operators named "$add",
// "$eq", ... and casts "$cast"/"$try_cast") are registered here by the function library; the
// engine registers aggregates and window functions through its own tables and asks
// IsKnownName() for "did you mean" suggestions.
//
//   const FunctionRegistry& r = FunctionRegistry::Builtin();
//   const ScalarBind* bind = r.FindScalar("lower");
//
// Thread safety: Builtin() is built once and immutable afterwards.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sql/functions/scalar_function.h"

namespace trailbook::sql {

class FunctionRegistry {
 public:
  // The registry with every built-in scalar function.
  static const FunctionRegistry& Builtin();

  void AddScalar(std::string_view name, ScalarBind bind);
  // Returns the bind callback for `name` (any case), or nullptr.
  const ScalarBind* FindScalar(std::string_view name) const;
  // Names of all registered scalar functions (without the internal "$" ones), sorted.
  std::vector<std::string> ScalarNames() const;

 private:
  std::map<std::string, ScalarBind> scalars_;
};

// Registers every built-in scalar function and operator (defined by the function library).
void RegisterBuiltinScalarFunctions(FunctionRegistry& registry);

}  // namespace trailbook::sql
