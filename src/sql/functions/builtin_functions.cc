#include "sql/functions/function_families.h"
#include "sql/functions/function_registry.h"

namespace trailbook::sql {

void RegisterBuiltinScalarFunctions(FunctionRegistry& registry) {
  RegisterOperators(registry);
  RegisterMathFunctions(registry);
  RegisterConditionalFunctions(registry);
  RegisterStringFunctions(registry);
  RegisterRegexFunctions(registry);
  RegisterCastFunctions(registry);
  RegisterJsonFunctions(registry);
  RegisterMapArrayFunctions(registry);
  RegisterArrayFunctions(registry);
  RegisterDatetimeFunctions(registry);
}

}  // namespace trailbook::sql
