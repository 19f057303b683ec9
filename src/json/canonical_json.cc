#include "json/canonical_json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace trailbook::json {
namespace {

constexpr int kMaxDepth = 256;

using Member = std::pair<std::string_view, simdjson::dom::element>;

// Returns true when a byte of `word` is a control character, '"' or '\\' (SWAR: a byte
// below k sets its high bit in (b - k) & ~b; exact for k <= 0x80).
inline bool NeedsEscape(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t quote = word ^ (kOnes * '"');
  uint64_t backslash = word ^ (kOnes * '\\');
  uint64_t found = ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) |
                   ((backslash - kOnes) & ~backslash);
  return (found & kHigh) != 0;
}

void AppendInteger(auto v, std::string* out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr);
}

// Appends the canonical form of `value`. `members` is a stack of object members shared by
// every nesting level (each level sorts its own slice), so objects allocate nothing once it
// has grown.
Status Append(const simdjson::dom::element& value, int depth, std::vector<Member>& members,
              std::string* out) {
  if (depth > kMaxDepth) return InvalidArgument("JSON nesting deeper than 256 levels");
  switch (value.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return Internal("JSON object");
      size_t base = members.size();
      for (simdjson::dom::key_value_pair member : object) {
        members.emplace_back(member.key, member.value);
      }
      size_t end = members.size();
      std::sort(members.begin() + static_cast<ptrdiff_t>(base),
                members.begin() + static_cast<ptrdiff_t>(end),
                [](const Member& a, const Member& b) { return a.first < b.first; });
      out->push_back('{');
      Status status = Status::OK();
      for (size_t i = base; i < end; ++i) {
        if (i > base) {
          if (members[i].first == members[i - 1].first) {
            status = InvalidArgument("JSON object has a duplicate key: " +
                                     std::string(members[i].first));
            break;
          }
          out->push_back(',');
        }
        AppendCanonicalString(members[i].first, out);
        out->push_back(':');
        // Copied: the recursion may grow (and move) `members`.
        simdjson::dom::element child = members[i].second;
        status = Append(child, depth + 1, members, out);
        if (!status.ok()) break;
      }
      members.resize(base);
      if (!status.ok()) return status;
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
        TB_RETURN_IF_ERROR(Append(item, depth + 1, members, out));
      }
      out->push_back(']');
      return Status::OK();
    }
    case simdjson::dom::element_type::STRING:
      AppendCanonicalString(value.get_string().value_unsafe(), out);
      return Status::OK();
    case simdjson::dom::element_type::INT64:
      AppendInteger(value.get_int64().value_unsafe(), out);
      return Status::OK();
    case simdjson::dom::element_type::UINT64:
      AppendInteger(value.get_uint64().value_unsafe(), out);
      return Status::OK();
    case simdjson::dom::element_type::DOUBLE: {
      double d = value.get_double().value_unsafe();
      if (d == 0) {
        out->push_back('0');
        return Status::OK();
      }
      if (std::fabs(d) < 9007199254740992.0 && std::trunc(d) == d) {
        AppendInteger(static_cast<int64_t>(d), out);
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
  std::vector<Member> members;
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
  return Append(root, 0, impl_->members, out);
}

Status CanonicalJson::AppendCanonical(const simdjson::dom::element& value, std::string* out) {
  impl_->members.clear();
  return Append(value, 0, impl_->members, out);
}

Result<std::string> CanonicalizeJson(std::string_view json) {
  CanonicalJson canonical;
  std::string out;
  TB_RETURN_IF_ERROR(canonical.Canonicalize(json, &out));
  return out;
}

void AppendCanonicalString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* p = s.data();
  const size_t n = s.size();
  out->push_back('"');
  size_t run = 0;  // Start of the pending run of characters copied as they are.
  size_t i = 0;
  while (i < n) {
    // Skips 8 bytes at a time while none needs escaping (the common case).
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (NeedsEscape(word)) break;
      i += 8;
    }
    for (size_t stop = std::min(n, i + 8); i < stop; ++i) {
      auto c = static_cast<unsigned char>(p[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out->append(p + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\b': out->append("\\b"); break;
        case '\t': out->append("\\t"); break;
        case '\n': out->append("\\n"); break;
        case '\f': out->append("\\f"); break;
        case '\r': out->append("\\r"); break;
        default:
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
      }
    }
  }
  out->append(p + run, n - run);
  out->push_back('"');
}

}  // namespace trailbook::json
