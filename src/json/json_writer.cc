#include "json/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace trailbook::json {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = s.size();
  if (c >= 0xC2 && c <= 0xDF) {
    return (i + 1 < n && (b(i + 1) & 0xC0) == 0x80) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (i + 2 >= n || (b(i + 1) & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (i + 3 >= n || (b(i + 1) & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80 ||
        (b(i + 3) & 0xC0) != 0x80) {
      return 0;
    }
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// Returns true when a byte of `word` is a control character, '"', '\\' or >= 0x80: a byte
// AppendQuoted must look at (SWAR: a byte below k sets its high bit in (b - k) & ~b, exact
// for k <= 0x80; bytes >= 0x80 have it set already).
inline bool NeedsAttention(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t quote = word ^ (kOnes * '"');
  uint64_t backslash = word ^ (kOnes * '\\');
  uint64_t found = word | ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) |
                   ((backslash - kOnes) & ~backslash);
  return (found & kHigh) != 0;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  size_t i = 0;
  size_t run_start = 0;
  while (i < s.size()) {
    // Plain ASCII needing no escape goes eight bytes at a time.
    if (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (!NeedsAttention(word)) {
        i += 8;
        continue;
      }
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t len = Utf8SequenceLength(s, i);
      if (len > 0) {
        i += len;
        continue;
      }
      out->append(s.data() + run_start, i - run_start);
      out->append("\xEF\xBF\xBD");  // U+FFFD
      ++i;
      run_start = i;
      continue;
    }
    out->append(s.data() + run_start, i - run_start);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default: {
        char esc[7] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15], 0};
        out->append(esc, 6);
      }
    }
    ++i;
    run_start = i;
  }
  out->append(s.data() + run_start, s.size() - run_start);
  out->push_back('"');
}

std::string Prettify(std::string_view json) {
  std::string out;
  out.reserve(json.size() * 2);
  int depth = 0;
  bool in_string = false;
  auto newline = [&] {
    out.push_back('\n');
    out.append(static_cast<size_t>(depth) * 2, ' ');
  };
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < json.size()) {
        out.push_back(json[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out.push_back(c);
        break;
      case '{':
      case '[':
        out.push_back(c);
        if (i + 1 < json.size() && (json[i + 1] == '}' || json[i + 1] == ']')) {
          out.push_back(json[++i]);
        } else {
          ++depth;
          newline();
        }
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        newline();
        break;
      case ':':
        out.append(": ");
        break;
      case ' ':
      case '\n':
      case '\r':
      case '\t':
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

void JsonWriter::Newline() {
  out_.push_back('\n');
  out_.append(stack_.size() * 2, ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (need_comma_) out_.push_back(',');
  if (pretty_ && !stack_.empty()) Newline();
  need_comma_ = true;
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  stack_.push_back('{');
  need_comma_ = false;
}

void JsonWriter::EndObject() {
  bool had_members = need_comma_;
  stack_.pop_back();
  if (pretty_ && had_members) Newline();
  out_.push_back('}');
  need_comma_ = true;
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  stack_.push_back('[');
  need_comma_ = false;
}

void JsonWriter::EndArray() {
  bool had_members = need_comma_;
  stack_.pop_back();
  if (pretty_ && had_members) Newline();
  out_.push_back(']');
  need_comma_ = true;
}

void JsonWriter::Key(std::string_view key) {
  if (need_comma_) out_.push_back(',');
  if (pretty_) Newline();
  AppendQuoted(&out_, key);
  out_.push_back(':');
  if (pretty_) out_.push_back(' ');
  need_comma_ = true;
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendQuoted(&out_, value);
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_.append(buf, r.ptr);
}

void JsonWriter::UInt(uint64_t value) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_.append(buf, r.ptr);
}

void JsonWriter::Double(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    out_.append("null");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_.append(buf, r.ptr);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
}

}  // namespace trailbook::json
