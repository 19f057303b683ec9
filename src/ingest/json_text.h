// File: ingest/json_text.h
//
// Small facts about JSON text shared by the simdjson readers: JSON whitespace, trimming it,
// the padded view simdjson parses in place, and the names of JSON types for messages.
//
//   parser.iterate(PaddedView(TrimJsonSpace(line)));
#pragma once

#include <simdjson.h>

#include <string_view>

#include "ingest/padded_buffer.h"

namespace trailbook::ingest {

inline bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline std::string_view RightTrimJsonSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.front())) s.remove_prefix(1);
  return RightTrimJsonSpace(s);
}

// REQUIRES: kPadding readable bytes follow `s`.
inline simdjson::padded_string_view PaddedView(std::string_view s) {
  return simdjson::padded_string_view(s.data(), s.size(), s.size() + kPadding);
}

// Returns "an object", "a number", ... for messages such as "found a number".
inline std::string_view JsonTypeName(simdjson::ondemand::json_type type) {
  switch (type) {
    case simdjson::ondemand::json_type::array:
      return "an array";
    case simdjson::ondemand::json_type::object:
      return "an object";
    case simdjson::ondemand::json_type::number:
      return "a number";
    case simdjson::ondemand::json_type::string:
      return "a string";
    case simdjson::ondemand::json_type::boolean:
      return "a boolean";
    case simdjson::ondemand::json_type::null:
      return "null";
  }
  return "an unknown value";
}

// Returns the type name of `value` (a value or document), or "invalid JSON".
template <typename V>
std::string_view JsonTypeOf(V& value) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return "invalid JSON";
  return JsonTypeName(type);
}

}  // namespace trailbook::ingest
