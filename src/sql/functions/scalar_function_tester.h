// File: sql/functions/scalar_function_tester.h
//
// Test support (linked into tests only): binds a registered scalar function by name with
// argument Values and runs its kernel, the way the engine does: bind callback, implicit casts
// of the arguments through "$cast", kernel over flat vectors.
//
//   Result<Value> v = EvalScalar("substr", {Value::Varchar("hello"), Value::Bigint(-3)});
//   EXPECT_EQ(v->ToString(), "llo");
//
// EvalScalar evaluates every call twice: with the arguments passed as constants (so bind time
// work such as compiling a regex runs) and as two-row columns (so the per-row paths run); it
// returns an Internal error when the two disagree, so each test checks both paths.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/functions/function_registry.h"

namespace trailbook::sql {

// A lambda argument for tests: its body as a C++ function of the parameter values.
struct TestLambda {
  size_t arity = 1;
  LogicalType body_type;
  std::function<Value(std::span<const Value>)> body;
};

// An argument: a value or a lambda.
struct TestArg {
  TestArg(Value v) : value(std::move(v)) {}        // NOLINT: implicit for brevity in tests
  TestArg(TestLambda l) : lambda(std::move(l)) {}  // NOLINT
  Value value;
  std::optional<TestLambda> lambda;
};

struct EvalOptions {
  int64_t now_us = 1'700'000'000'000'000;      // 2023-11-14 22:13:20 UTC
  const FunctionRegistry* registry = nullptr;  // nullptr: FunctionRegistry::Builtin()
};

// Binds `name` with `args` and evaluates one row (see the file comment). Returns the bind or
// kernel error unchanged.
Result<Value> EvalScalar(std::string_view name, std::vector<TestArg> args,
                         const EvalOptions& options = {});

// Binds `name` with non-constant arguments of the given types and returns the result type.
Result<LogicalType> BindResultType(std::string_view name, std::vector<LogicalType> arg_types,
                                   const EvalOptions& options = {});

// Evaluates `name` over columns (each args[i] holds one value per row; all the same length)
// with non-constant arguments, and returns one value per row.
Result<std::vector<Value>> EvalColumns(std::string_view name,
                                       std::vector<std::vector<Value>> columns,
                                       const EvalOptions& options = {});

// Returns the display form of a result for compact assertions: the value's ToString() ("NULL"
// for NULL), or "error: <message>" (any code).
std::string ShowResult(const Result<Value>& result);

// EvalScalar followed by ShowResult.
std::string Eval(std::string_view name, std::vector<TestArg> args, const EvalOptions& options = {});

}  // namespace trailbook::sql
