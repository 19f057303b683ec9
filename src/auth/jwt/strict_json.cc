#include "auth/jwt/strict_json.h"

#include <algorithm>
#include <vector>

#include "json/json_writer.h"

namespace trailbook::auth {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Walks `value` (at nesting `depth`, root container = 1) checking depth, duplicate names and
// UTF-8. Recursion is bounded by `max_depth` because it stops before descending further.
Status CheckValue(const element& value, size_t depth, size_t max_depth) {
  switch (value.type()) {
    case element_type::OBJECT: {
      if (depth > max_depth) {
        return InvalidArgument(std::string("JSON nesting deeper than ") + std::to_string(max_depth));
      }
      simdjson::dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return Internal("JSON object");
      std::vector<std::string_view> keys;
      keys.reserve(object.size());
      for (simdjson::dom::key_value_pair field : object) {
        if (!json::IsValidUtf8(field.key)) {
          return InvalidArgument("JSON member name is not valid UTF-8");
        }
        keys.push_back(field.key);
        TB_RETURN_IF_ERROR(CheckValue(field.value, depth + 1, max_depth));
      }
      std::sort(keys.begin(), keys.end());
      auto dup = std::adjacent_find(keys.begin(), keys.end());
      if (dup != keys.end()) {
        return InvalidArgument(std::string("duplicate JSON member name ") + QuoteForDetail(*dup));
      }
      return Status::OK();
    }
    case element_type::ARRAY: {
      if (depth > max_depth) {
        return InvalidArgument(std::string("JSON nesting deeper than ") + std::to_string(max_depth));
      }
      simdjson::dom::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return Internal("JSON array");
      for (element item : array) {
        TB_RETURN_IF_ERROR(CheckValue(item, depth + 1, max_depth));
      }
      return Status::OK();
    }
    case element_type::STRING: {
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS || !json::IsValidUtf8(text)) {
        return InvalidArgument("JSON string is not valid UTF-8 (unpaired surrogate escape?)");
      }
      return Status::OK();
    }
    default:
      return Status::OK();
  }
}

}  // namespace

Result<element> StrictJsonParser::Parse(std::string_view text, size_t max_depth) {
  element root;
  auto error = parser_.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root);
  if (error != simdjson::SUCCESS) {
    return InvalidArgument(std::string("malformed JSON: ") + simdjson::error_message(error));
  }
  TB_RETURN_IF_ERROR(CheckValue(root, 1, max_depth));
  return root;
}

std::string_view JsonTypeName(const element& value) {
  switch (value.type()) {
    case element_type::OBJECT: return "object";
    case element_type::ARRAY: return "array";
    case element_type::STRING: return "string";
    case element_type::INT64:
    case element_type::UINT64: return "integer";
    case element_type::DOUBLE: return "number";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

std::string QuoteForDetail(std::string_view text, size_t max_chars) {
  std::string out = "\"";
  size_t n = std::min(text.size(), max_chars);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c));
  }
  if (text.size() > max_chars) out += "...";
  out.push_back('"');
  return out;
}

}  // namespace trailbook::auth
