// File: sql/functions/function_families.h
//
// One registration entry point per family of built-in scalar functions, each defined in its
// own file (string_functions.cc registers the string family, and so on).
// RegisterBuiltinScalarFunctions (builtin_functions.cc) calls them all; tests may register a
// single family into a private registry.
//
//   FunctionRegistry registry;
//   RegisterStringFunctions(registry);
#pragma once

#include "sql/functions/function_registry.h"

namespace trailbook::sql {

// $add $subtract $multiply $divide $modulo $negate, $eq $ne $lt $le $gt $ge, $concat, $like.
void RegisterOperators(FunctionRegistry& registry);
// abs, round, ceil, floor, sign, mod, power, sqrt, ln, log10, ...
void RegisterMathFunctions(FunctionRegistry& registry);
// coalesce, if, nullif, greatest, least.
void RegisterConditionalFunctions(FunctionRegistry& registry);
// lower, upper, substr, replace, split_part, strpos, concat, length, trim, lpad, ...,
// url_encode, url_decode.
void RegisterStringFunctions(FunctionRegistry& registry);
// regexp_like, regexp_extract, regexp_extract_all, regexp_replace, regexp_count.
void RegisterRegexFunctions(FunctionRegistry& registry);
// $cast, $try_cast.
void RegisterCastFunctions(FunctionRegistry& registry);
// json_extract, json_extract_scalar, json_parse, json_format, json_array_*, json_size.
void RegisterJsonFunctions(FunctionRegistry& registry);
// cardinality, contains, array_position, element_at, $subscript, $field, map_keys,
// map_values, map, $array, $row.
void RegisterMapArrayFunctions(FunctionRegistry& registry);
// transform, filter, any/all/none_match, array_join, slice, array_distinct, array_sort,
// array_max, array_min, sequence (concat and reverse of arrays dispatch here).
void RegisterArrayFunctions(FunctionRegistry& registry);
// date, date_trunc, date_add, date_diff, from_iso8601_*, to_iso8601, now, year, ...
void RegisterDatetimeFunctions(FunctionRegistry& registry);

}  // namespace trailbook::sql
