#include "sql/functions/function_binding.h"

#include <limits>
#include <memory>
#include <utility>

namespace trailbook::sql {
namespace {

struct OperatorName {
  std::string_view name;
  std::string_view symbol;
};

constexpr OperatorName kOperators[] = {
    {"$add", "+"},     {"$subtract", "-"}, {"$multiply", "*"},
    {"$divide", "/"},  {"$modulo", "%"},   {"$negate", "-"},
    {"$eq", "="},      {"$ne", "<>"},      {"$lt", "<"},
    {"$le", "<="},     {"$gt", ">"},       {"$ge", ">="},
    {"$concat", "||"}, {"$like", "LIKE"},  {"$subscript", "[]"},
    {"$field", "."},   {"$cast", "CAST"},  {"$try_cast", "TRY_CAST"},
};

// Returns the cost of coercing `from` to `to`: 0 when equal or from NULL, 1 per implicit
// cast, or -1 when impossible.
int CoercionCost(const LogicalType& from, const LogicalType& to) {
  if (from == to || from.id() == TypeId::kUnknown) return 0;
  return CanCoerce(from, to) ? 1 : -1;
}

std::string FormatSignature(std::string_view name, const Signature& s) {
  std::string out(name);
  out += '(';
  for (size_t i = 0; i < s.args.size(); ++i) {
    if (i > 0) out += ", ";
    out += s.args[i].ToString();
  }
  if (s.variadic) out += ", ...";
  out += ')';
  return out;
}

}  // namespace

std::string_view DisplayName(std::string_view name) {
  for (const OperatorName& op : kOperators) {
    if (op.name == name) return op.symbol;
  }
  return name;
}

std::string FormatArgTypes(const std::vector<LogicalType>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += ", ";
    out += types[i].ToString();
  }
  return out;
}

Status UnexpectedParameters(const ScalarBindInput& input, std::string_view expected) {
  const std::vector<LogicalType>& t = input.arg_types;
  std::string_view name = input.name;
  if (!name.empty() && name[0] == '$') {
    std::string_view symbol = DisplayName(name);
    if (name == "$negate" && t.size() == 1) {
      return InvalidArgument("Cannot apply operator: -" + t[0].ToString());
    }
    if (name == "$subscript" && t.size() == 2) {
      return InvalidArgument("Cannot apply operator: " + t[0].ToString() + "[" + t[1].ToString() +
                             "]");
    }
    if (t.size() == 2 && name != "$cast" && name != "$try_cast") {
      return InvalidArgument("Cannot apply operator: " + t[0].ToString() + " " +
                             std::string(symbol) + " " + t[1].ToString());
    }
    return InvalidArgument("Cannot apply operator " + std::string(symbol) + " to (" +
                           FormatArgTypes(t) + ")");
  }
  return InvalidArgument("Unexpected parameters (" + FormatArgTypes(t) + ") for function " +
                         std::string(name) + ". Expected: " + std::string(expected));
}

Status ExpectArity(const ScalarBindInput& input, size_t n, std::string_view expected) {
  if (input.arg_types.size() != n) return UnexpectedParameters(input, expected);
  return Status::OK();
}

Status RejectLambdas(const ScalarBindInput& input) {
  for (size_t i = 0; i < input.is_lambda.size(); ++i) {
    if (input.is_lambda[i]) {
      return InvalidArgument("function " + std::string(DisplayName(input.name)) +
                             " does not accept a lambda expression (argument " +
                             std::to_string(i + 1) + ")");
    }
  }
  return Status::OK();
}

const Value* ConstantArg(const ScalarBindInput& input, size_t i) {
  return i < input.constants.size() ? input.constants[i] : nullptr;
}

Result<std::string> RequireConstantString(const ScalarBindInput& input, size_t i,
                                          std::string_view what) {
  const Value* v = ConstantArg(input, i);
  if (v == nullptr || v->is_null() || !v->type().IsTextual()) {
    return InvalidArgument(std::string(what) + " must be a constant string");
  }
  return v->string_value();
}

BoundScalarFunction MakeBound(std::vector<LogicalType> args, LogicalType result,
                              ScalarKernel kernel) {
  BoundScalarFunction b;
  b.lambda_params.assign(args.size(), {});
  b.arg_types = std::move(args);
  b.return_type = std::move(result);
  b.kernel = std::move(kernel);
  return b;
}

ScalarKernel NullKernel() {
  return [](std::span<Vector* const>, size_t rows, Vector& out, FunctionContext&,
            const void*) -> Status {
    out.Resize(rows);
    for (size_t i = 0; i < rows; ++i) out.SetNull(i);
    return Status::OK();
  };
}

ScalarBind BindSignatures(std::string name, std::vector<Signature> signatures) {
  auto sigs = std::make_shared<const std::vector<Signature>>(std::move(signatures));
  return [name = std::move(name), sigs](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    const Signature* best = nullptr;
    std::vector<LogicalType> best_args;
    int best_cost = std::numeric_limits<int>::max();
    for (const Signature& s : *sigs) {
      const size_t fixed = s.variadic ? s.args.size() - 1 : s.args.size();
      if (s.variadic ? in.arg_types.size() < fixed : in.arg_types.size() != fixed) continue;
      std::vector<LogicalType> want;
      int cost = 0;
      for (size_t i = 0; i < in.arg_types.size() && cost >= 0; ++i) {
        const LogicalType& target = i < s.args.size() ? s.args[i] : s.args.back();
        int c = CoercionCost(in.arg_types[i], target);
        cost = c < 0 ? -1 : cost + c;
        want.push_back(target);
      }
      if (cost >= 0 && cost < best_cost) {
        best = &s;
        best_cost = cost;
        best_args = std::move(want);
      }
    }
    if (best == nullptr) {
      std::string expected;
      for (const Signature& s : *sigs) {
        if (!expected.empty()) expected += ", ";
        expected += FormatSignature(name, s);
      }
      return UnexpectedParameters(in, expected);
    }
    BoundScalarFunction bound;
    bound.arg_types = std::move(best_args);
    bound.return_type = best->result;
    bound.kernel = best->kernel;
    bound.lambda_params.assign(bound.arg_types.size(), {});
    bound.deterministic = best->deterministic;
    return bound;
  };
}

}  // namespace trailbook::sql
