#include "sql/planner/aggregate_catalog.h"

#include "sql/planner/name_matching.h"

namespace trailbook::sql {
namespace {

constexpr std::string_view kAggregates[] = {
    "count",   "count_if", "sum",      "avg",    "min",     "max",       "arbitrary",
    "any_value", "max_by", "min_by",   "approx_distinct", "array_agg", "bool_and",
    "bool_or", "every",    "stddev",   "stddev_samp", "stddev_pop", "variance",
    "var_samp", "var_pop"};

constexpr std::string_view kWindowOnly[] = {"row_number", "rank",        "dense_rank",
                                            "percent_rank", "cume_dist", "ntile",
                                            "lag",        "lead",        "first_value",
                                            "last_value", "nth_value"};

Status BadArgs(std::string_view name, const std::vector<LogicalType>& args) {
  std::string s = "function " + std::string(name) + " cannot take (";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) s += ", ";
    s += args[i].ToString();
  }
  return InvalidArgument(s + ")");
}

Status Arity(std::string_view name, size_t want, size_t got) {
  return InvalidArgument("function " + std::string(name) + " takes " + std::to_string(want) +
                         " argument" + (want == 1 ? "" : "s") + ", got " + std::to_string(got));
}

bool IsNumericOrUnknown(const LogicalType& t) {
  return t.IsNumeric() || t.id() == TypeId::kUnknown;
}

}  // namespace

bool IsOrderable(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kMap:
    case TypeId::kJson: return false;
    default: return true;
  }
}

bool IsAggregateFunction(std::string_view name) {
  std::string n = AsciiLower(name);
  for (std::string_view a : kAggregates) {
    if (a == n) return true;
  }
  return false;
}

bool IsWindowOnlyFunction(std::string_view name) {
  std::string n = AsciiLower(name);
  for (std::string_view w : kWindowOnly) {
    if (w == n) return true;
  }
  return false;
}

std::vector<std::string> AggregateAndWindowNames() {
  std::vector<std::string> out;
  for (std::string_view a : kAggregates) out.emplace_back(a);
  for (std::string_view w : kWindowOnly) out.emplace_back(w);
  return out;
}

Result<AggregateSignature> ResolveAggregate(std::string_view raw_name,
                                            const std::vector<LogicalType>& args, bool star) {
  std::string name = AsciiLower(raw_name);
  if (name == "any_value") name = "arbitrary";
  if (name == "every") name = "bool_and";
  if (name == "stddev") name = "stddev_samp";
  if (name == "variance") name = "var_samp";
  AggregateSignature sig{name, args, LogicalType::Unknown()};
  auto unknown_to = [](LogicalType t, LogicalType to) {
    return t.id() == TypeId::kUnknown ? to : t;
  };
  if (star) {
    if (name != "count") return InvalidArgument(name + "(*) is not a valid aggregate");
    sig.return_type = LogicalType::Bigint();
    return sig;
  }
  if (name == "count") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    sig.return_type = LogicalType::Bigint();
    return sig;
  }
  if (name == "approx_distinct") {
    if (args.size() != 1 && args.size() != 2) return Arity(name, 1, args.size());
    if (args.size() == 2 && !IsNumericOrUnknown(args[1])) return BadArgs(name, args);
    sig.return_type = LogicalType::Bigint();
    return sig;
  }
  if (name == "count_if" || name == "bool_and" || name == "bool_or") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    if (args[0].id() != TypeId::kBoolean && args[0].id() != TypeId::kUnknown) {
      return BadArgs(name, args);
    }
    sig.arg_types[0] = LogicalType::Boolean();
    sig.return_type = name == "count_if" ? LogicalType::Bigint() : LogicalType::Boolean();
    return sig;
  }
  if (name == "sum") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    if (!IsNumericOrUnknown(args[0]) && args[0].id() != TypeId::kIntervalDayTime) {
      return BadArgs(name, args);
    }
    sig.arg_types[0] = unknown_to(args[0], LogicalType::Bigint());
    sig.return_type = sig.arg_types[0];
    return sig;
  }
  if (name == "avg" || name == "stddev_samp" || name == "stddev_pop" || name == "var_samp" ||
      name == "var_pop") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    if (!IsNumericOrUnknown(args[0])) return BadArgs(name, args);
    sig.arg_types[0] = LogicalType::Double();
    sig.return_type = LogicalType::Double();
    return sig;
  }
  if (name == "min" || name == "max") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    if (!IsOrderable(args[0])) return BadArgs(name, args);
    sig.return_type = args[0];
    return sig;
  }
  if (name == "arbitrary") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    sig.return_type = args[0];
    return sig;
  }
  if (name == "max_by" || name == "min_by") {
    if (args.size() != 2) return Arity(name, 2, args.size());
    if (!IsOrderable(args[1])) return BadArgs(name, args);
    sig.return_type = args[0];
    return sig;
  }
  if (name == "array_agg") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    sig.arg_types[0] = unknown_to(args[0], LogicalType::Varchar());
    sig.return_type = LogicalType::Array(sig.arg_types[0]);
    return sig;
  }
  return InvalidArgument("unknown aggregate function '" + name + "'");
}

Result<AggregateSignature> ResolveWindowFunction(std::string_view raw_name,
                                                 const std::vector<LogicalType>& args) {
  std::string name = AsciiLower(raw_name);
  AggregateSignature sig{name, args, LogicalType::Unknown()};
  if (name == "row_number" || name == "rank" || name == "dense_rank") {
    if (!args.empty()) return Arity(name, 0, args.size());
    sig.return_type = LogicalType::Bigint();
    return sig;
  }
  if (name == "percent_rank" || name == "cume_dist") {
    if (!args.empty()) return Arity(name, 0, args.size());
    sig.return_type = LogicalType::Double();
    return sig;
  }
  if (name == "ntile") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    if (args[0].id() != TypeId::kBigint) return BadArgs(name, args);
    sig.return_type = LogicalType::Bigint();
    return sig;
  }
  if (name == "lag" || name == "lead") {
    if (args.empty() || args.size() > 3) return Arity(name, 1, args.size());
    if (args.size() >= 2 && args[1].id() != TypeId::kBigint) return BadArgs(name, args);
    sig.return_type = args[0];
    if (args.size() == 3) sig.arg_types[2] = args[0];
    return sig;
  }
  if (name == "first_value" || name == "last_value") {
    if (args.size() != 1) return Arity(name, 1, args.size());
    sig.return_type = args[0];
    return sig;
  }
  if (name == "nth_value") {
    if (args.size() != 2) return Arity(name, 2, args.size());
    if (args[1].id() != TypeId::kBigint) return BadArgs(name, args);
    sig.return_type = args[0];
    return sig;
  }
  return InvalidArgument("unknown window function '" + name + "'");
}

}  // namespace trailbook::sql
