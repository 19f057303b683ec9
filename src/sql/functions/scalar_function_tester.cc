#include "sql/functions/scalar_function_tester.h"

#include <memory>
#include <string>

namespace trailbook::sql {
namespace {

// Evaluates lambdas row by row through their C++ bodies.
class TestLambdaEvaluator : public LambdaEvaluator {
 public:
  explicit TestLambdaEvaluator(const std::vector<TestArg>& args) : args_(args) {}

  Status Evaluate(size_t arg_index, std::span<Vector* const> inputs, Vector& out) override {
    if (arg_index >= args_.size() || !args_[arg_index].lambda) {
      return Internal("argument " + std::to_string(arg_index) + " is not a lambda");
    }
    const TestLambda& l = *args_[arg_index].lambda;
    if (inputs.size() != l.arity) return Internal("lambda called with the wrong arity");
    size_t n = inputs.empty() ? 0 : inputs[0]->size();
    out.Resize(n);
    std::vector<Value> params(inputs.size());
    for (size_t row = 0; row < n; ++row) {
      for (size_t k = 0; k < inputs.size(); ++k) {
        if (inputs[k]->size() != n) return Internal("lambda inputs of different sizes");
        params[k] = inputs[k]->GetValue(row);
      }
      Value v = l.body(params);
      if (!v.is_null() && v.type().physical() != out.type().physical()) {
        return Internal("lambda body returned " + v.type().ToString() + ", expected " +
                        out.type().ToString());
      }
      out.SetValue(row, v);
    }
    return Status::OK();
  }

 private:
  const std::vector<TestArg>& args_;
};

const FunctionRegistry& RegistryOf(const EvalOptions& options) {
  return options.registry != nullptr ? *options.registry : FunctionRegistry::Builtin();
}

Result<BoundScalarFunction> Bind(const FunctionRegistry& registry, std::string_view name,
                                 const std::vector<TestArg>& args, bool constants) {
  const ScalarBind* bind = registry.FindScalar(name);
  if (bind == nullptr) return NotFound("no function " + std::string(name));
  ScalarBindInput in;
  in.name = name;
  bool has_lambda = false;
  for (const TestArg& a : args) {
    in.arg_types.push_back(a.lambda ? LogicalType::Unknown() : a.value.type());
    in.is_lambda.push_back(a.lambda.has_value());
    in.lambda_arity.push_back(a.lambda ? a.lambda->arity : 0);
    in.constants.push_back(constants && !a.lambda ? &a.value : nullptr);
    has_lambda = has_lambda || a.lambda.has_value();
  }
  TB_ASSIGN_OR_RETURN(BoundScalarFunction bound, (*bind)(in));
  if (!has_lambda) return bound;
  // Second pass with the lambda bodies' types, as the binder does.
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i].lambda) continue;
    if (i >= bound.lambda_params.size() || bound.lambda_params[i].size() != args[i].lambda->arity) {
      return Internal("bind did not report the parameters of lambda argument " + std::to_string(i));
    }
    in.arg_types[i] = args[i].lambda->body_type;
  }
  return (*bind)(in);
}

// Casts `v` (rows of its own type) to `to` through the registry's "$cast".
Status CastColumn(const FunctionRegistry& registry, Vector& v, const LogicalType& to) {
  const ScalarBind* cast = registry.FindScalar("$cast");
  if (cast == nullptr) return Internal("no $cast registered");
  Value type_name = Value::Varchar(to.ToString());
  ScalarBindInput in;
  in.name = "$cast";
  in.arg_types = {v.type(), LogicalType::Varchar()};
  in.is_lambda = {false, false};
  in.lambda_arity = {0, 0};
  in.constants = {nullptr, &type_name};
  TB_ASSIGN_OR_RETURN(BoundScalarFunction bound, (*cast)(in));
  Vector type_column(LogicalType::Varchar());
  type_column.Resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) type_column.SetString(i, type_name.string_value());
  Vector* cast_args[] = {&v, &type_column};
  Vector out(bound.return_type);
  FunctionContext ctx;
  TB_RETURN_IF_ERROR(bound.kernel(cast_args, v.size(), out, ctx, bound.bind_data.get()));
  v = std::move(out);
  return Status::OK();
}

// Runs `bound` over columns; args[i] supplies column i (lambda columns are placeholders).
Result<std::vector<Value>> Run(const FunctionRegistry& registry, const BoundScalarFunction& bound,
                               const std::vector<TestArg>& args,
                               const std::vector<std::vector<Value>>& columns, size_t rows,
                               const EvalOptions& options) {
  std::vector<Vector> vectors;
  vectors.reserve(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    LogicalType type = args[c].lambda ? bound.arg_types[c] : args[c].value.type();
    Vector v(type);
    v.Resize(rows);
    for (size_t r = 0; r < rows; ++r) {
      if (args[c].lambda) {
        v.SetNull(r);
      } else {
        v.SetValue(r, columns[c][r]);
      }
    }
    if (!args[c].lambda && v.type() != bound.arg_types[c]) {
      TB_RETURN_IF_ERROR(CastColumn(registry, v, bound.arg_types[c]));
    }
    vectors.push_back(std::move(v));
  }
  std::vector<Vector*> ptrs;
  for (Vector& v : vectors) ptrs.push_back(&v);
  Vector out(bound.return_type);
  // Leave garbage in the output to catch kernels that skip rows.
  out.Resize(rows + 3);
  for (size_t r = 0; r < rows + 3; ++r) out.SetNull(r);
  TestLambdaEvaluator lambdas(args);
  FunctionContext ctx;
  ctx.now_us = options.now_us;
  ctx.lambdas = &lambdas;
  TB_RETURN_IF_ERROR(bound.kernel(ptrs, rows, out, ctx, bound.bind_data.get()));
  if (out.size() != rows) {
    return Internal("kernel left " + std::to_string(out.size()) + " rows, expected " +
                    std::to_string(rows));
  }
  if (out.type() != bound.return_type) {
    return Internal("kernel changed the output type to " + out.type().ToString());
  }
  std::vector<Value> result;
  for (size_t r = 0; r < rows; ++r) result.push_back(out.GetValue(r));
  return result;
}

std::string Describe(const Result<Value>& r) {
  if (!r.ok()) return r.status().ToString();
  return r->type().ToString() + " " + r->ToString();
}

}  // namespace

Result<Value> EvalScalar(std::string_view name, std::vector<TestArg> args,
                         const EvalOptions& options) {
  const FunctionRegistry& registry = RegistryOf(options);
  TB_ASSIGN_OR_RETURN(BoundScalarFunction bound, Bind(registry, name, args, true));
  std::vector<std::vector<Value>> one_row;
  for (const TestArg& a : args) one_row.push_back({a.value});
  Result<Value> constant_result = [&]() -> Result<Value> {
    TB_ASSIGN_OR_RETURN(std::vector<Value> values, Run(registry, bound, args, one_row, 1, options));
    return values[0];
  }();

  // The same call with the arguments as two-row columns.
  Result<BoundScalarFunction> column_bound = Bind(registry, name, args, false);
  if (!column_bound.ok()) return constant_result;  // Functions that need constant arguments.
  if (column_bound->return_type != bound.return_type) {
    return Internal("constant and column binding give different types: " +
                    bound.return_type.ToString() + " vs " + column_bound->return_type.ToString());
  }
  std::vector<std::vector<Value>> two_rows;
  for (const TestArg& a : args) two_rows.push_back({a.value, a.value});
  Result<std::vector<Value>> column_values =
      Run(registry, *column_bound, args, two_rows, 2, options);
  Result<Value> column_result =
      column_values.ok() ? Result<Value>(column_values->at(0)) : column_values.status();
  if (column_values.ok() && Describe(column_values->at(1)) != Describe(column_result)) {
    return Internal("rows of a column evaluation differ");
  }
  if (Describe(column_result) != Describe(constant_result)) {
    return Internal("constant and column evaluation differ: " + Describe(constant_result) + " vs " +
                    Describe(column_result));
  }
  return constant_result;
}

Result<LogicalType> BindResultType(std::string_view name, std::vector<LogicalType> arg_types,
                                   const EvalOptions& options) {
  std::vector<TestArg> args;
  for (LogicalType& t : arg_types) args.emplace_back(Value::Null(std::move(t)));
  TB_ASSIGN_OR_RETURN(BoundScalarFunction bound, Bind(RegistryOf(options), name, args, false));
  return bound.return_type;
}

Result<std::vector<Value>> EvalColumns(std::string_view name,
                                       std::vector<std::vector<Value>> columns,
                                       const EvalOptions& options) {
  const FunctionRegistry& registry = RegistryOf(options);
  std::vector<TestArg> args;
  size_t rows = columns.empty() ? 0 : columns[0].size();
  for (const std::vector<Value>& c : columns) {
    if (c.size() != rows) return InvalidArgument("columns of different lengths");
    // The column's type is that of its first non-NULL value.
    Value typed = c.empty() ? Value() : c[0];
    for (const Value& v : c) {
      if (!v.is_null()) {
        typed = v;
        break;
      }
    }
    args.emplace_back(std::move(typed));
  }
  TB_ASSIGN_OR_RETURN(BoundScalarFunction bound, Bind(registry, name, args, false));
  return Run(registry, bound, args, columns, rows, options);
}

std::string ShowResult(const Result<Value>& result) {
  if (!result.ok()) return "error: " + result.status().message();
  return result->ToString();
}

std::string Eval(std::string_view name, std::vector<TestArg> args, const EvalOptions& options) {
  return ShowResult(EvalScalar(name, std::move(args), options));
}

}  // namespace trailbook::sql
