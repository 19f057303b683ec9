// File: sql/functions/function_binding.h
//
// Building blocks for bind callbacks: overload resolution over fixed signatures (with Trino's
// implicit coercions), Trino-style "Unexpected parameters" errors, and access to constant
// arguments. Functions whose types are generic (array(T), map(K, V)) write their own bind
// callback with these pieces; all others register a list of Signatures.
//
//   registry.AddScalar("lower", BindSignatures("lower", {
//       {{LogicalType::Varchar()}, LogicalType::Varchar(), LowerKernel}}));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/functions/scalar_function.h"

namespace trailbook::sql {

// One overload of a function with fixed argument types.
struct Signature {
  std::vector<LogicalType> args;
  LogicalType result;
  ScalarKernel kernel;
  // When set, the last argument type may repeat: the call takes args.size() - 1 or more
  // arguments (concat(varchar, ...), coalesce-style functions).
  bool variadic = false;
  bool deterministic = true;
};

// Returns a bind callback that picks the best of `signatures` for the call's argument types:
// an exact match first, else the one needing the fewest implicit coercions (CanCoerce; a NULL
// literal coerces to anything for free); ties go to the earlier signature. Lambda arguments
// are rejected. Errors (kInvalidArgument): UnexpectedParameters.
ScalarBind BindSignatures(std::string name, std::vector<Signature> signatures);

// Returns the Trino spelling of a call's argument types: "varchar, bigint".
std::string FormatArgTypes(const std::vector<LogicalType>& types);

// Returns the display name of a function or operator: "lower", or "+" for "$add".
std::string_view DisplayName(std::string_view name);

// Returns Trino's error for arguments that match no signature:
//   "Unexpected parameters (varchar, bigint) for function lower. Expected: lower(varchar)"
// and for operators "Cannot apply operator: varchar + bigint".
Status UnexpectedParameters(const ScalarBindInput& input, std::string_view expected);

// Returns an error unless the call has exactly `n` arguments.
Status ExpectArity(const ScalarBindInput& input, size_t n, std::string_view expected);
// Returns an error when any argument is a lambda (for functions that take none).
Status RejectLambdas(const ScalarBindInput& input);

// Returns the constant value of argument `i`, or nullptr when it is not a constant.
const Value* ConstantArg(const ScalarBindInput& input, size_t i);
// Returns the non-NULL constant varchar argument `i`; errors name `what` ("the pattern of
// regexp_like must be a constant") when it is not a constant.
Result<std::string> RequireConstantString(const ScalarBindInput& input, size_t i,
                                          std::string_view what);

// Returns a BoundScalarFunction with the given argument types, result and kernel, and no
// lambda arguments.
BoundScalarFunction MakeBound(std::vector<LogicalType> args, LogicalType result,
                              ScalarKernel kernel);

// Returns a kernel that sets all `rows` of `out` to NULL, for calls whose result is known to
// be NULL at bind time (a NULL constant pattern, for instance).
ScalarKernel NullKernel();

}  // namespace trailbook::sql
