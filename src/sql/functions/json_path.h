// File: sql/functions/json_path.h
//
// JsonPath: the JSONPath subset Trino's json_extract, json_extract_scalar and json_size accept:
//   $                 the whole document
//   .name             an object member (letters, digits, '_' and ':'; non-ASCII letters too)
//   ["name"]          an object member, any text (\" and \\ escape)
//   [n]  /  [name]    an array element (0-based) or, on an object, the member named "n"
// As in Trino, every step is a name that also selects an array element when it is a
// non-negative integer, so `$.0` and `$[0]` mean the same thing. Wildcards, filters, slices
// and recursive descent are not part of this subset.
//
//   TB_ASSIGN_OR_RETURN(JsonPath path, JsonPath::Parse("$.userIdentity.sessionContext"));
//
// Thread safety: immutable after Parse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::sql {

class JsonPath {
 public:
  struct Step {
    std::string name;    // The member name (unescaped).
    int64_t index = -1;  // name as an array index when it is a non-negative integer, else -1.
  };

  // Parses `path`. Errors: kInvalidArgument "Invalid JSON path: '<path>'".
  static Result<JsonPath> Parse(std::string_view path);

  const std::vector<Step>& steps() const { return steps_; }

 private:
  std::vector<Step> steps_;
};

}  // namespace trailbook::sql
