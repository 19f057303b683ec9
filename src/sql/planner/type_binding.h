// File: sql/planner/type_binding.h
//
// Turns the parser's type names and literal texts into LogicalTypes and Values: CAST targets,
// TIMESTAMP/DATE/INTERVAL literals, and the CloudTrail Lake coercion of string literals
// compared with timestamps ('2026-01-01', '2026-01-01 00:00:00.000', '2026-01-01T00:00:00Z').
//
//   TB_ASSIGN_OR_RETURN(LogicalType t, BindTypeName(cast.type));       // array(varchar)
//   std::optional<int64_t> us = ParseTimestampLiteral("2026-01-01 00:00:00");
//
// Errors are plain messages; the binder adds the location.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/status.h"
#include "sql/parser/ast.h"
#include "sql/types/logical_type.h"
#include "sql/types/value.h"

namespace trailbook::sql {

// Maps a parsed type to a LogicalType (Trino names; integer types are bigint, real and
// decimal are double, timestamp precision and time zones collapse to timestamp(6) UTC).
// Errors: kInvalidArgument "unknown type 'x'"; kUnimplemented for Trino types trailbook does
// not have (time, varbinary, uuid, ...).
Result<LogicalType> BindTypeName(const TypeName& type);

// Parses a timestamp literal as CloudTrail Lake accepts it: a date, or a date and time
// separated by a space or 'T', optional fraction, optional 'Z' or UTC offset.
std::optional<int64_t> ParseTimestampLiteral(std::string_view text);

// Parses 'YYYY-MM-DD' to days since the epoch.
std::optional<int64_t> ParseDateLiteral(std::string_view text);

// Returns the value of INTERVAL 'text' start [TO end] (negated when `negative`).
// Errors: kInvalidArgument "invalid interval literal '...'".
Result<Value> ParseIntervalLiteral(std::string_view text, IntervalField start,
                                   std::optional<IntervalField> end, bool negative);

}  // namespace trailbook::sql
