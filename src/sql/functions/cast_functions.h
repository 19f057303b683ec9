// File: sql/functions/cast_functions.h
//
// CAST and TRY_CAST with Trino's semantics, as vector operations ("$cast"/"$try_cast" are
// registered on top of CastVector) and as the scalar conversions other functions and the
// binder reuse (coercing a string literal to a timestamp, for example).
//
//   Vector out(LogicalType::Bigint());
//   TB_RETURN_IF_ERROR(CastVector(in, rows, LogicalType::Bigint(), /*try_cast=*/false, out));
//   TB_ASSIGN_OR_RETURN(int64_t ts, CastVarcharToTimestamp("2026-01-01 00:00:00"));
//
// Supported casts (anything else is rejected at bind time by CanCast):
//   unknown -> any; T -> T; bigint, double, boolean, varchar among each other;
//   varchar -> timestamp, date; timestamp <-> date; timestamp, date, intervals -> varchar;
//   any scalar -> json (varchar becomes a JSON string; use json_parse to parse text);
//   json -> bigint, double, boolean, varchar, timestamp, date, array, map, row;
//   array, map, row -> json; array -> array, map -> map, row -> row (element-wise; rows by
//   position).
// Errors are kInvalidArgument with Trino's messages, e.g. "Cannot cast 'abc' to BIGINT",
// "Value cannot be cast to timestamp: abc", "Out of range for bigint: 1.0E20".
#pragma once

#include <string_view>

#include "base/status.h"
#include "sql/types/logical_type.h"
#include "sql/types/value.h"
#include "sql/types/vector.h"

namespace trailbook::sql {

// Returns true when CAST(from AS to) is supported.
bool CanCast(const LogicalType& from, const LogicalType& to);

// Casts rows [0, rows) of flat `in` to `to` into `out` (resized; its type must be `to`). With
// `try_cast`, a value that cannot be converted becomes NULL instead of failing the batch.
// REQUIRES: CanCast(in.type(), to).
Status CastVector(const Vector& in, size_t rows, const LogicalType& to, bool try_cast, Vector& out);

// Casts one value (slow path for constants and tests). Errors as CastVector.
Result<Value> CastValue(const Value& value, const LogicalType& to);

// Scalar conversions (Trino's rules and messages).
// Parses a decimal integer, surrounding whitespace allowed: "Cannot cast 'x' to BIGINT".
Result<int64_t> CastVarcharToBigint(std::string_view s);
// Parses a decimal or exponent number, NaN, Infinity: "Cannot cast 'x' to DOUBLE".
Result<double> CastVarcharToDouble(std::string_view s);
// Accepts true/false/t/f/1/0 in any case: "Cannot cast 'x' to BOOLEAN".
Result<bool> CastVarcharToBoolean(std::string_view s);
// Accepts the CloudTrail Lake forms: "2026-01-01 00:00:00[.fff]", ISO-8601 with T and Z or an
// offset, and a date alone (midnight UTC): "Value cannot be cast to timestamp: x".
Result<int64_t> CastVarcharToTimestamp(std::string_view s);
// Accepts YYYY-MM-DD: "Value cannot be cast to date: x".
Result<int64_t> CastVarcharToDate(std::string_view s);
// Rounds half away from zero: "Out of range for bigint: 1.0E20".
Result<int64_t> CastDoubleToBigint(double d);
// Parses the display forms of intervals ("1 02:03:04.005", "-0 00:00:01.000"; "1-2").
Result<int64_t> CastVarcharToIntervalDayTime(std::string_view s);
Result<int64_t> CastVarcharToIntervalYearMonth(std::string_view s);

}  // namespace trailbook::sql
