// File: base/hex.h
//
// Hex digits as text formats use them (percent escapes, \u escapes, hex literals).
//
//   int v = HexDigitValue('b');  // 11; -1 for a byte that is not a hex digit
#pragma once

namespace trailbook {

// Returns the value of the hex digit `c` (0-9, a-f, A-F), or -1 when `c` is not one.
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace trailbook
