// File: sql/functions/datetime_format.h
//
// Timestamp formatting and parsing with the two pattern languages Trino offers:
//   MySQL specifiers (date_format, date_parse): %Y-%m-%d %H:%i:%s, ...
//   Joda-Time patterns (format_datetime): yyyy-MM-dd HH:mm:ss.SSS, ...
// All in UTC.
//
//   std::string out;
//   TB_RETURN_IF_ERROR(FormatMysql(ts, "%Y-%m-%d", &out));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::sql {

// Appends `micros` formatted with MySQL specifiers to *out. Supported (as Trino): %a %b %c %d
// %e %f %H %h %I %i %j %k %l %M %m %p %r %S %s %T %v %W %Y %y %%; any other character after
// '%' is copied. Errors: kInvalidArgument "%D not supported in date format string" for the
// specifiers Trino rejects (%D %U %u %V %w %X %x).
Status FormatMysql(int64_t micros, std::string_view format, std::string* out);

// Parses `text` with MySQL specifiers (%Y %y %m %c %d %e %H %k %h %I %l %i %S %s %f %p %T %r
// %b %M %j and literals) into a UTC timestamp. Unset fields default to 1970-01-01 00:00:00.
// Errors: kInvalidArgument "Invalid format: '<text>'" (with the reason appended).
Result<int64_t> ParseMysql(std::string_view text, std::string_view format);

// Appends `micros` formatted with a Joda-Time pattern to *out. Supported letters: G y Y x M d
// D E e a H k K h m s S Z z, quoted literals ('...', '' for a quote) and any non-letter.
// Errors: kInvalidArgument "Illegal pattern component: <letter>".
Status FormatJoda(int64_t micros, std::string_view pattern, std::string* out);

}  // namespace trailbook::sql
