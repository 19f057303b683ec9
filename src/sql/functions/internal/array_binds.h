// File: sql/functions/internal/array_binds.h
//
// Bind callbacks of the array family that other families dispatch to when one SQL name
// covers both strings and arrays: concat / "||" and reverse.
#pragma once

#include "sql/functions/scalar_function.h"

namespace trailbook::sql::internal {

// Returns true when any argument is an array (so concat/|| means array concatenation).
bool AnyArrayArgument(const ScalarBindInput& input);
// concat(array(T), ...), array || array, array || T, T || array.
Result<BoundScalarFunction> BindArrayConcat(const ScalarBindInput& input);
// reverse(array(T)).
Result<BoundScalarFunction> BindArrayReverse(const ScalarBindInput& input);

}  // namespace trailbook::sql::internal
