// File: sql/functions/scalar_function.h
//
// The contract between the SQL engine and scalar functions (and operators, which are scalar
// functions with reserved names such as "$add" or "$eq"). A function is registered by name with
// a bind callback. At plan time the binder calls it with the argument types (and the values of
// constant arguments); the callback checks and coerces the types and returns a
// BoundScalarFunction: the argument types it wants (the binder inserts casts), the result type,
// and the kernel. At run time the engine calls the kernel on flat vectors, one batch at a time.
//
//   registry.AddScalar("lower", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
//     TB_RETURN_IF_ERROR(ExpectArity(in, 1, "lower(varchar)"));  // function_binding.h
//     return BoundScalarFunction{{LogicalType::Varchar()}, LogicalType::Varchar(), LowerKernel};
//   });
//
// Kernels: every input vector is flat (the engine flattens constants and dictionaries, or
// calls the kernel on a dictionary's distinct values and maps the result back), `rows` rows.
// `out` arrives with the bound return type; the kernel must resize it to `rows` and set every
// row, including NULLs. With the default null handling the engine has already pruned nothing:
// kernels check argument nulls themselves (the templates in kernel_templates.h do this).
// String results live in `out`'s arena or, for results that are slices of an argument, in the
// argument's buffers, which `out` keeps alive (Vector::ShareBuffers). Both grow with every
// batch written into the same vector, so the engine calls out.Reset() before reusing an output
// vector for the next batch. Arguments are only read (the span holds non-const pointers for
// the engine's convenience).
// Errors a user can cause (division by zero, overflow, bad cast, invalid regex) are
// kInvalidArgument with a fixed message first ("division by zero"); the engine prefixes the
// expression's line and column.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/types/logical_type.h"
#include "sql/types/value.h"
#include "sql/types/vector.h"

namespace trailbook::sql {

// Evaluates lambda arguments of higher-order functions (transform, filter, ...). The engine
// implements it; kernels receive it in FunctionContext.
class LambdaEvaluator {
 public:
  virtual ~LambdaEvaluator() = default;
  // Evaluates the lambda that is argument `arg_index` of the call being executed, over
  // `inputs` (one vector per lambda parameter, all of the same size), into `out` (resized to
  // that size, of the lambda body's type).
  virtual Status Evaluate(size_t arg_index, std::span<Vector* const> inputs, Vector& out) = 0;
};

// What a kernel may use besides its arguments.
struct FunctionContext {
  int64_t now_us = 0;                       // The query's start: now() is constant in a query.
  LambdaEvaluator* lambdas = nullptr;       // Set for calls with lambda arguments.
  const std::atomic<bool>* cancelled = nullptr;  // Long kernels may poll it.
};

// Kernel signature. `bind_data` is BoundScalarFunction::bind_data (e.g. a compiled regex).
using ScalarKernel = std::function<Status(std::span<Vector* const> args, size_t rows, Vector& out,
                                          FunctionContext& context, const void* bind_data)>;

struct BoundScalarFunction {
  // The types the arguments must have when the kernel runs; the binder casts as needed. For a
  // lambda argument, its body's result type.
  std::vector<LogicalType> arg_types;
  LogicalType return_type;
  ScalarKernel kernel;
  // Parameter types of each lambda argument (empty for other arguments), e.g. the element
  // type of the array for transform(array, x -> ...).
  std::vector<std::vector<LogicalType>> lambda_params;
  bool deterministic = true;  // false for now(), random(): never constant-folded or cached.
  std::shared_ptr<const void> bind_data;
};

struct ScalarBindInput {
  std::string_view name;                  // As registered (lower case).
  std::vector<LogicalType> arg_types;     // Lambda arguments: the body type, or kUnknown in
                                          // the first bind call (see lambda binding below).
  std::vector<bool> is_lambda;            // Per argument.
  std::vector<size_t> lambda_arity;       // Per argument: number of lambda parameters.
  std::vector<const Value*> constants;    // Per argument: the value when constant, else null.
};

// Lambda binding: for a call with lambda arguments the binder calls the bind callback twice:
// first with the lambda arguments' types kUnknown, to learn `lambda_params`; then, after
// binding the lambda bodies with those parameter types, with their body types, to get the
// final BoundScalarFunction.
using ScalarBind = std::function<Result<BoundScalarFunction>(const ScalarBindInput& input)>;

// Implicit coercion (Trino's rules, plus CloudTrail Lake's string-to-timestamp comparison,
// which the binder applies to literals): returns the common type both sides can be cast to,
// or kUnknown when there is none. unknown -> anything; bigint -> double; date -> timestamp;
// varchar -> json is NOT implicit.
LogicalType CommonSuperType(const LogicalType& a, const LogicalType& b);
// Returns true when a value of `from` may be implicitly cast to `to`.
bool CanCoerce(const LogicalType& from, const LogicalType& to);

}  // namespace trailbook::sql
