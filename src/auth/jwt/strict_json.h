// File: auth/jwt/strict_json.h
//
// StrictJsonParser: the one JSON entry point for untrusted JOSE input (token headers, claim
// sets, JWKs and key sets). It wraps simdjson's DOM parser and adds the checks RFC 8725bis
// and RFC 7515 section 10.12 ask for and simdjson does not do itself: duplicate member
// names are rejected at every depth (after unescaping, so "a" and "\u0061" collide) and
// nesting deeper than a caller-given limit is rejected. UTF-8 validity (of the input and of
// every \u escape, including unpaired surrogates) is simdjson's own check; the tests pin it.
//
//   StrictJsonParser parser;
//   TB_ASSIGN_OR_RETURN(simdjson::dom::element root, parser.Parse(text, /*max_depth=*/4));
//
// Thread safety: not thread-safe; use one parser per thread. Elements returned by Parse are
// views into the parser and are invalidated by the next Parse on the same parser.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::auth {

class StrictJsonParser {
 public:
  StrictJsonParser() = default;
  StrictJsonParser(const StrictJsonParser&) = delete;
  StrictJsonParser& operator=(const StrictJsonParser&) = delete;

  // Parses `text` as exactly one JSON value. `max_depth` counts the root container as depth
  // 1 (so {"a":[1]} has depth 2). Returns kInvalidArgument for malformed JSON (with
  // simdjson's reason), invalid UTF-8, trailing content, a duplicate member name (naming it)
  // or nesting deeper than `max_depth`.
  Result<simdjson::dom::element> Parse(std::string_view text, size_t max_depth);

 private:
  simdjson::dom::parser parser_;
  std::string padded_;  // Reused copy of the input with SIMDJSON_PADDING spare bytes.
};

// Returns a JSON-type name for error messages ("object", "string", "integer", ...).
std::string_view JsonTypeName(const simdjson::dom::element& element);

// Returns `text` cut to at most `max_chars` bytes with "..." appended when cut, and with
// control characters replaced by '?', for quoting untrusted values in audit details.
std::string QuoteForDetail(std::string_view text, size_t max_chars = 64);

}  // namespace trailbook::auth
