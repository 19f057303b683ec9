// File: base/utf8.h
//
// UTF-8 primitives: code point decoding and encoding, counting and offsets, used by the SQL
// lexer (U&'' escapes) and the string functions. Trino measures and indexes strings in code points, so length(), substr(), strpos()
// and lpad() count with these. Invalid bytes count as one code point each (as Trino's
// countCodePoints does), so every function stays total on arbitrary bytes.
//
//   size_t n = Utf8Length("héllo");               // 5
//   size_t at = Utf8Offset("héllo", 2);           // 3: byte offset of the third code point
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trailbook {

// Returns true for the bytes that continue a multi-byte UTF-8 sequence.
inline bool IsUtf8Continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Returns the number of code points in `s` (bytes that do not continue a sequence).
inline size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsUtf8Continuation(static_cast<unsigned char>(c)) ? 0u : 1u;
  return n;
}

// Returns the byte offset of code point `index` (0-based) in `s`, or s.size() when `s` has
// at most `index` code points.
inline size_t Utf8Offset(std::string_view s, size_t index) {
  size_t pos = 0;
  while (pos < s.size() && index > 0) {
    ++pos;
    while (pos < s.size() && IsUtf8Continuation(static_cast<unsigned char>(s[pos]))) ++pos;
    --index;
  }
  return pos;
}

// Decodes the code point starting at s[*pos] and advances *pos past it. Returns -1 (and
// advances by one byte) for an invalid or truncated sequence.
inline int32_t DecodeUtf8(std::string_view s, size_t* pos) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const size_t i = *pos;
  const unsigned char c = b(i);
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  size_t len = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
    min = 0x10000;
  } else {
    *pos = i + 1;
    return -1;
  }
  if (i + len > s.size()) {
    *pos = i + 1;
    return -1;
  }
  for (size_t k = 1; k < len; ++k) {
    if (!IsUtf8Continuation(b(i + k))) {
      *pos = i + 1;
      return -1;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return -1;
  }
  *pos = i + len;
  return cp;
}

// Appends the UTF-8 encoding of `cp`. REQUIRES: 0 <= cp <= 0x10FFFF and not a surrogate.
inline void AppendUtf8(std::string* out, int32_t cp) {
  const auto u = static_cast<uint32_t>(cp);
  if (u < 0x80) {
    out->push_back(static_cast<char>(u));
  } else if (u < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (u >> 6)));
    out->push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else if (u < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (u >> 12)));
    out->push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (u >> 18)));
    out->push_back(static_cast<char>(0x80 | ((u >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (u & 0x3F)));
  }
}

}  // namespace trailbook
