// File: sql/planner/aggregate_catalog.h
//
// The aggregate and window functions the binder knows, and their typing rules. Their
// implementations live in the executor (sql/exec/aggregate_function.h, window operator);
// scalar functions come from the function library (sql/functions).
//
//   if (IsAggregateFunction("count")) {
//     TB_ASSIGN_OR_RETURN(AggregateSignature sig, ResolveAggregate("sum", {LogicalType::Bigint()}));
//   }
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/types/logical_type.h"

namespace trailbook::sql {

struct AggregateSignature {
  std::string name;                   // Canonical name (aliases resolved).
  std::vector<LogicalType> arg_types;  // The binder casts arguments to these.
  LogicalType return_type;
};

// Returns true for aggregate names (count, sum, ..., any case).
bool IsAggregateFunction(std::string_view name);
// Returns true for functions that exist only as window functions (rank, row_number, ...).
bool IsWindowOnlyFunction(std::string_view name);

// Types an aggregate call; `star` is count(*). Errors: kInvalidArgument naming the function
// and the argument types it cannot take.
Result<AggregateSignature> ResolveAggregate(std::string_view name,
                                            const std::vector<LogicalType>& args, bool star);
// Types a window-only function. Errors as ResolveAggregate.
Result<AggregateSignature> ResolveWindowFunction(std::string_view name,
                                                 const std::vector<LogicalType>& args);

// Names of every aggregate and window function, for suggestions.
std::vector<std::string> AggregateAndWindowNames();

// Returns true when values of `type` can be ordered (ORDER BY, min, max, comparisons).
bool IsOrderable(const LogicalType& type);

}  // namespace trailbook::sql
