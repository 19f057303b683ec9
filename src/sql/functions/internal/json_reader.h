// File: sql/functions/internal/json_reader.h
//
// The one place the function library reads JSON: a reusable simdjson on-demand parser with a
// padded input buffer, and the conversions from a JSON value to SQL values (json_text.h has
// the encoding). On-demand parsing reads only what a function asks for, like Trino's
// streaming extractors: json_extract_scalar stops at the value it wants, and text after it is
// not validated.
//
// Included only by .cc files of sql/functions (it pulls in simdjson.h).
//
//   internal::JsonReader reader;                 // one per kernel call (per batch)
//   simdjson::ondemand::document doc;
//   if (reader.Start(text, &doc) == simdjson::SUCCESS) { ... }
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "base/status.h"
#include "sql/types/logical_type.h"
#include "sql/types/vector.h"

namespace trailbook::sql::internal {

// Owns a simdjson on-demand parser and a padded copy of the current input. Reusing one reader
// for a batch keeps allocation per batch, not per row.
//
// Thread safety: not thread-safe; one reader per kernel invocation.
class JsonReader {
 public:
  // JSON nested deeper than this is malformed for our purposes. It bounds the recursion of
  // the functions below; CloudTrail records nest fewer than 20 levels.
  static constexpr size_t kMaxDepth = 256;

  JsonReader();

  // Copies `text` into the padded buffer and starts a document over it. The document and any
  // string_view it returns stay valid until the next Start().
  simdjson::error_code Start(std::string_view text, simdjson::ondemand::document* doc);

  // Reads all of `text` and appends its canonical form (AppendCanonicalJson) to *out. Fails
  // on malformed JSON anywhere, including text after the value.
  simdjson::error_code Canonicalize(std::string_view text, bool sort_keys, std::string* out);

 private:
  simdjson::ondemand::parser parser_;
  std::string buffer_;
};

// How strictly JSON is converted to a SQL type.
enum class JsonDecode : uint8_t {
  // Reading stored nested values (element_at, map_values, $field, ...): a JSON value that does
  // not fit the declared type is NULL; objects and arrays read as varchar give their JSON text
  // (CloudTrail Lake's "nested values are JSON text").
  kLenient,
  // CAST(json AS T): a value that does not fit is an error ("Cannot cast ...").
  kStrict,
};

// Appends the canonical (compact) JSON text of `v` to *out, reading all of it, so malformed
// JSON anywhere inside is reported. With `sort_keys`, object members are sorted by key and a
// repeated key keeps its last value (json_parse, as Trino). Returns simdjson's error code.
// V is simdjson::ondemand::value or simdjson::ondemand::document.
template <typename V>
simdjson::error_code AppendCanonicalJson(V& v, bool sort_keys, std::string* out);

// Appends to *out the canonical encoding (json_text.h) of JSON value `v` read as SQL `type`.
// `positional_rows` matches row fields to object members by position instead of by name (for
// CAST(row AS row)). Lenient: a value that does not fit encodes null. Strict: it is
// kInvalidArgument "Cannot cast JSON '<json>' to <type>" (or the conversion's own message).
// Malformed JSON is null (lenient) or "Cannot cast malformed JSON to <type>" (strict), and
// sets *malformed (when given): the caller must then stop reading the document, whose
// iterator simdjson may have abandoned.
template <typename V>
Status TranscodeJson(V& v, const LogicalType& type, JsonDecode mode, bool positional_rows,
                     std::string* out, bool* malformed = nullptr);

// Sets row `row` of flat `out` (of type `type`) from JSON value `v`, with the same rules as
// TranscodeJson; JSON null is SQL NULL. `scratch` is reused to build nested values.
template <typename V>
Status DecodeJson(V& v, const LogicalType& type, JsonDecode mode, Vector& out, size_t row,
                  std::string* scratch, bool* malformed = nullptr);

// Returns SUCCESS when `doc` has been read to its end, TRAILING_CONTENT otherwise. Call after
// reading the whole root value.
simdjson::error_code CheckFullyRead(simdjson::ondemand::document& doc);

// Returns `token` (simdjson's raw_json_token) without the whitespace that follows it.
std::string_view TrimToken(std::string_view token);

}  // namespace trailbook::sql::internal
