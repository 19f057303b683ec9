// File: sql/functions/like_pattern.h
//
// LikePattern: a compiled SQL LIKE pattern ('%' any sequence, '_' one character, optional
// ESCAPE character), as Trino: case-sensitive, '_' matches one code point. The "$like"
// operator compiles a constant pattern once at bind time; the engine may use kind() and
// literal() to push simple patterns down (prefix ranges on sorted dictionaries).
//
//   TB_ASSIGN_OR_RETURN(LikePattern p, LikePattern::Compile("Describe%", std::nullopt));
//   p.Matches("DescribeInstances");  // true
//
// Thread safety: immutable after Compile; Matches may be called concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::sql {

class LikePattern {
 public:
  enum class Kind : uint8_t {
    kExact,     // no wildcards: equality with literal()
    kPrefix,    // literal%
    kSuffix,    // %literal
    kContains,  // %literal%
    kAny,       // % (matches every string)
    kGeneral,   // anything else
  };

  // Compiles `pattern`. `escape`, when given, must be one character.
  // Errors (kInvalidArgument, Trino's messages):
  //   "Escape string must be a single character"
  //   "Escape character must be followed by '%', '_' or the escape character"
  static Result<LikePattern> Compile(std::string_view pattern,
                                     std::optional<std::string_view> escape);

  // Returns whether `s` matches the whole pattern.
  bool Matches(std::string_view s) const;

  Kind kind() const { return kind_; }
  // The literal text of kExact, kPrefix, kSuffix and kContains patterns (escapes removed).
  const std::string& literal() const { return literal_; }

 private:
  struct Element {
    enum class Type : uint8_t { kLiteral, kAnyOne, kAnyMany } type;
    std::string text;  // kLiteral
    size_t count = 0;  // kAnyOne: number of characters
  };

  bool MatchGeneral(std::string_view s) const;

  Kind kind_ = Kind::kGeneral;
  std::string literal_;
  std::vector<Element> elements_;
};

}  // namespace trailbook::sql
