#include "sql/functions/function_registry.h"

namespace trailbook::sql {

// The function library registers its functions here (one Register* call per family).
void RegisterBuiltinScalarFunctions(FunctionRegistry& registry) { (void)registry; }

}  // namespace trailbook::sql
