// File: json/json_writer.h
//
// JsonWriter: a streaming JSON serializer into a std::string. It inserts commas and colons,
// escapes strings per RFC 8259 (control characters, quote, backslash; invalid UTF-8 becomes
// U+FFFD so output is always valid JSON), and formats numbers exactly.
//
//   JsonWriter w;
//   w.BeginObject();
//   w.Key("events"); w.Int(42);
//   w.EndObject();
//   std::string text = std::move(w).Take();
//
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trailbook::json {

// Appends `s` as a quoted, escaped JSON string to `out`.
void AppendQuoted(std::string* out, std::string_view s);

// Returns `json` (valid, minified JSON text) indented by two spaces per level. Only layout
// changes: strings and numbers are copied byte for byte.
std::string Prettify(std::string_view json);

// Returns true when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

class JsonWriter {
 public:
  // When `pretty` is set, members are indented by two spaces per level.
  explicit JsonWriter(bool pretty = false) : pretty_(pretty) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // REQUIRES: inside an object, and the previous call was not Key().
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void UInt(uint64_t value);
  // Writes a finite double with the shortest round-trip form; NaN/Inf become null.
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Writes `json` verbatim as one value. REQUIRES: `json` is a valid JSON value.
  void Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() && { return std::move(out_); }
  void Clear() {
    out_.clear();
    stack_.clear();
    need_comma_ = false;
    after_key_ = false;
  }

 private:
  void BeforeValue();
  void Newline();

  std::string out_;
  std::vector<char> stack_;  // '{' or '['
  bool need_comma_ = false;
  bool after_key_ = false;
  bool pretty_;
};

}  // namespace trailbook::json
