// File: sql/functions/json_text.h
//
// The JSON text encoding of SQL values, which is how trailbook holds nested values (arrays,
// maps, rows) and JSON (see sql/types/logical_type.h). Every value of a nested type is the
// canonical encoding of its elements:
//   boolean   true / false             bigint     42
//   double    shortest round-trip number; NaN and infinities as "NaN", "Infinity", "-Infinity"
//   varchar   a JSON string            json       the JSON text itself
//   timestamp "2020-09-14 00:44:23.000" (the SQL display form); date "2020-09-14"
//   intervals their display form as a string ("1 01:00:00.000", "1-2")
//   array     [e, ...]   map {"key": v, ...}   row {"field": v, ...} in declared field order
//   NULL      null
// Canonical text is compact (no whitespace). Text read from the event store is kept as
// stored (CloudTrail's own compact JSON), so its numbers keep their exact text.
//
//   std::string text;
//   AppendJsonEncoding(Value::Varchar("a\"b"), &text);   // "\"a\\\"b\""
#pragma once

#include <string>
#include <string_view>

#include "sql/types/value.h"
#include "sql/types/vector.h"

namespace trailbook::sql {

// Appends the canonical encoding of row `row` of flat vector `v` to *out (NULL -> null).
void AppendJsonEncoding(const Vector& v, size_t row, std::string* out);
// Appends the canonical encoding of `v` to *out.
void AppendJsonEncoding(const Value& v, std::string* out);
// Appends a double as a JSON number, or "NaN" / "Infinity" / "-Infinity" as strings.
void AppendJsonDouble(double d, std::string* out);

// Formats a double as Java's Double.toString does, which is what Trino's
// CAST(double AS varchar) prints: "1.0", "0.001", "1.0E7", "1.0E-4", "NaN", "Infinity".
std::string FormatDoubleJava(double d);

}  // namespace trailbook::sql
