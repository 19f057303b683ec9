// File: sql/functions/type_name.h
//
// ParseTypeName: the SQL spelling of a type back into a LogicalType. "$cast" and "$try_cast"
// take their target type as a constant varchar argument; the binder writes it either as
// LogicalType::ToString() or as the type the parser read (TypeName's name and parameters
// printed in SQL syntax), and this parser accepts both.
//
//   TB_ASSIGN_OR_RETURN(LogicalType t, ParseTypeName("array(row(arn varchar, type varchar))"));
//
// Accepted (case-insensitive; whitespace anywhere between tokens):
//   varchar[(n)] char[(n)]                      -> varchar (lengths are not enforced)
//   bigint integer int smallint tinyint         -> bigint
//   double [precision] real float decimal[(p[, s])] numeric[(p[, s])] -> double
//   boolean date json unknown
//   timestamp[(p)] [with[out] time zone]        -> timestamp(6), UTC
//   interval day to second, interval year to month
//   array(T) array<T>  map(K, V) map<K, V>  row([name] T, ...) with "quoted" names allowed;
//   unnamed row fields are called field0, field1, ...
// Errors: kInvalidArgument "Unknown type: <text>" for names that are not types or malformed
// text; kUnimplemented "type <name> is not supported" for Trino types trailbook does not have
// (varbinary, time, uuid, ipaddress, ...).
#pragma once

#include <string_view>

#include "base/status.h"
#include "sql/types/logical_type.h"

namespace trailbook::sql {

Result<LogicalType> ParseTypeName(std::string_view text);

}  // namespace trailbook::sql
