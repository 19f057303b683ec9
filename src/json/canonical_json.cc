#include "json/canonical_json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

namespace trailbook::json {
namespace {

constexpr int kMaxDepth = 256;

Status Append(const simdjson::dom::element& value, int depth, std::string* out) {
  if (depth > kMaxDepth) return InvalidArgument("JSON nesting deeper than 256 levels");
  switch (value.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return Internal("JSON object");
      std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
      members.reserve(object.size());
      for (simdjson::dom::key_value_pair member : object) {
        members.emplace_back(member.key, member.value);
      }
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) {
          if (members[i].first == members[i - 1].first) {
            return InvalidArgument("JSON object has a duplicate key: " +
                                   std::string(members[i].first));
          }
          out->push_back(',');
        }
        AppendCanonicalString(members[i].first, out);
        out->push_back(':');
        TB_RETURN_IF_ERROR(Append(members[i].second, depth + 1, out));
      }
      out->push_back('}');
      return Status::OK();
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return Internal("JSON array");
      out->push_back('[');
      bool first = true;
      for (simdjson::dom::element item : array) {
        if (!first) out->push_back(',');
        first = false;
        TB_RETURN_IF_ERROR(Append(item, depth + 1, out));
      }
      out->push_back(']');
      return Status::OK();
    }
    case simdjson::dom::element_type::STRING:
      AppendCanonicalString(value.get_string().value_unsafe(), out);
      return Status::OK();
    case simdjson::dom::element_type::INT64:
      out->append(std::to_string(value.get_int64().value_unsafe()));
      return Status::OK();
    case simdjson::dom::element_type::UINT64:
      out->append(std::to_string(value.get_uint64().value_unsafe()));
      return Status::OK();
    case simdjson::dom::element_type::DOUBLE: {
      double d = value.get_double().value_unsafe();
      if (d == 0) {
        out->push_back('0');
        return Status::OK();
      }
      if (std::fabs(d) < 9007199254740992.0 && std::trunc(d) == d) {
        out->append(std::to_string(static_cast<int64_t>(d)));
        return Status::OK();
      }
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof(buf), d);
      out->append(buf, res.ptr);
      return Status::OK();
    }
    case simdjson::dom::element_type::BOOL:
      out->append(value.get_bool().value_unsafe() ? "true" : "false");
      return Status::OK();
    case simdjson::dom::element_type::NULL_VALUE:
      out->append("null");
      return Status::OK();
  }
  return InvalidArgument("JSON value of unknown type");
}

}  // namespace

struct CanonicalJson::Impl {
  simdjson::dom::parser parser;
};

CanonicalJson::CanonicalJson() : impl_(std::make_unique<Impl>()) {}
CanonicalJson::~CanonicalJson() = default;

Status CanonicalJson::Canonicalize(std::string_view json, std::string* out) {
  out->clear();
  simdjson::dom::element root;
  auto error = impl_->parser.parse(json.data(), json.size()).get(root);
  if (error != simdjson::SUCCESS) {
    return InvalidArgument(std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  return Append(root, 0, out);
}

Result<std::string> CanonicalizeJson(std::string_view json) {
  CanonicalJson canonical;
  std::string out;
  TB_RETURN_IF_ERROR(canonical.Canonicalize(json, &out));
  return out;
}

void AppendCanonicalString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\f': out->append("\\f"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

}  // namespace trailbook::json
