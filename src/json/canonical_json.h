// File: json/canonical_json.h
//
// Canonical JSON: one byte string per JSON value, so that a hash over it identifies the value
// regardless of key order, whitespace or string escapes. The audit hash chain and the signed
// digests hash this form (docs/format/audit.md). It follows RFC 8785 (JCS) for everything
// trailbook writes:
//   - objects: members sorted by key, compared as UTF-8 bytes (code point order; JCS sorts by
//     UTF-16 code units, which differs only between U+E000..U+FFFF and astral keys);
//   - no insignificant whitespace;
//   - strings: `"` and `\` escaped, U+0008/09/0A/0C/0D as \b \t \n \f \r, other control
//     characters as \u00xx (lower-case hex), every other character as raw UTF-8;
//   - numbers: integers (that fit int64/uint64) in plain decimal; other numbers in the
//     shortest form that round-trips (std::to_chars), with integral values below 2^53 in
//     magnitude printed without exponent or fraction and -0 printed as 0.
//   - literals true, false, null.
// Duplicate keys are rejected: they have no defined value.
//
//   TB_ASSIGN_OR_RETURN(std::string canonical, CanonicalizeJson(R"({"b":1, "a":"x"})"));
//   // canonical == R"({"a":"x","b":1})"
//
// Thread safety: CanonicalJson is not thread-safe (it reuses its parser); the free function is.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace simdjson::dom {
class element;
}  // namespace simdjson::dom

namespace trailbook::json {

// Reusable canonicaliser (keeps its parser buffers between calls).
class CanonicalJson {
 public:
  CanonicalJson();
  ~CanonicalJson();
  CanonicalJson(const CanonicalJson&) = delete;
  CanonicalJson& operator=(const CanonicalJson&) = delete;

  // Replaces `*out` with the canonical form of the JSON text `json`. Errors:
  // kInvalidArgument for invalid JSON, duplicate keys, integers beyond 64 bits, or nesting
  // deeper than 256 levels (the message names the problem).
  Status Canonicalize(std::string_view json, std::string* out);

  // Appends the canonical form of `value`, a value the caller already parsed (so a caller
  // that also reads fields parses once). Errors: as Canonicalize.
  Status AppendCanonical(const simdjson::dom::element& value, std::string* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot form of CanonicalJson::Canonicalize.
Result<std::string> CanonicalizeJson(std::string_view json);

// Appends `s` (valid UTF-8) as a canonical JSON string literal.
void AppendCanonicalString(std::string_view s, std::string* out);

}  // namespace trailbook::json
