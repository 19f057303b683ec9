#include "auth/jwt/strict_json.h"

#include <algorithm>
#include <array>
#include <vector>


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
      // Duplicate detection: pairwise for small objects (no allocation), sorting otherwise.
      std::array<std::string_view, 16> small;
      std::vector<std::string_view> large;
      size_t count = 0;
      for (simdjson::dom::key_value_pair field : object) {
        if (count < small.size()) {
          for (size_t i = 0; i < count; ++i) {
            if (small[i] == field.key) {
              return InvalidArgument("duplicate JSON member name " + QuoteForDetail(field.key));
            }
          }
          small[count] = field.key;
        } else {
          if (large.empty()) large.assign(small.begin(), small.end());
          large.push_back(field.key);
        }
        ++count;
        TB_RETURN_IF_ERROR(CheckValue(field.value, depth + 1, max_depth));
      }
      if (!large.empty()) {
        std::sort(large.begin(), large.end());
        auto dup = std::adjacent_find(large.begin(), large.end());
        if (dup != large.end()) {
          return InvalidArgument("duplicate JSON member name " + QuoteForDetail(*dup));
        }
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
    default:
      return Status::OK();
  }
}

}  // namespace

Result<element> StrictJsonParser::Parse(std::string_view text, size_t max_depth) {
  element root;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; copy into a buffer we reuse
  // instead of letting it allocate a padded copy on every call.
  if (padded_.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    padded_.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  std::copy(text.begin(), text.end(), padded_.begin());
  auto error = parser_.parse(padded_.data(), text.size(), /*realloc_if_needed=*/false).get(root);
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
  const size_t n = std::min(text.size(), max_chars);
  std::string out;
  out.reserve(n + 5);
  out.push_back('"');
  out.append(text.data(), n);
  for (size_t i = 1; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (c < 0x20 || c == 0x7F) out[i] = '?';
  }
  if (text.size() > max_chars) out += "...";
  out.push_back('"');
  return out;
}

}  // namespace trailbook::auth
