#include "sql/functions/function_families.h"
#include "sql/functions/function_registry.h"

namespace trailbook::sql {

void RegisterBuiltinScalarFunctions(FunctionRegistry& registry) {
  RegisterOperators(registry);
  RegisterMathFunctions(registry);
  RegisterConditionalFunctions(registry);
  RegisterCastFunctions(registry);
}

}  // namespace trailbook::sql
