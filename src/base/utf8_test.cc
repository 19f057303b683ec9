#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace trailbook {
namespace {

std::vector<int32_t> DecodeAll(std::string_view s) {
  std::vector<int32_t> out;
  size_t pos = 0;
  while (pos < s.size()) out.push_back(DecodeUtf8(s, &pos));
  return out;
}

TEST(Utf8Test, CountsAndOffsetsInCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("h\xC3\xA9llo"), 5u);          // héllo
  EXPECT_EQ(Utf8Length("\xF0\x9F\x94\x91"), 1u);      // U+1F511, four bytes
  EXPECT_EQ(Utf8Offset("h\xC3\xA9llo", 2), 3u);
  EXPECT_EQ(Utf8Offset("h\xC3\xA9llo", 0), 0u);
  EXPECT_EQ(Utf8Offset("ab", 5), 2u);                  // past the end: the size
  // An invalid byte counts as one code point.
  EXPECT_EQ(Utf8Length("a\xFF" "b"), 3u);
}

TEST(Utf8Test, DecodesEachSequenceLength) {
  EXPECT_EQ(DecodeAll("A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x91"),
            (std::vector<int32_t>{0x41, 0xE9, 0x20AC, 0x1F511}));
}

TEST(Utf8Test, RejectsInvalidSequencesOneByteAtATime) {
  // Overlong "/" (C0 AF), a lone continuation, a truncated sequence, an encoded surrogate
  // (ED A0 80), above U+10FFFF (F4 90 80 80): each bad lead byte yields -1 and advances one.
  EXPECT_EQ(DecodeAll("\xC0\xAF"), (std::vector<int32_t>{-1, -1}));
  EXPECT_EQ(DecodeAll("\x80"), (std::vector<int32_t>{-1}));
  EXPECT_EQ(DecodeAll("\xE2\x82"), (std::vector<int32_t>{-1, -1}));
  EXPECT_EQ(DecodeAll("\xED\xA0\x80"), (std::vector<int32_t>{-1, -1, -1}));
  EXPECT_EQ(DecodeAll("\xF4\x90\x80\x80"), (std::vector<int32_t>{-1, -1, -1, -1}));
  // A bad continuation does not swallow the valid character after it.
  EXPECT_EQ(DecodeAll("\xC3" "A"), (std::vector<int32_t>{-1, 0x41}));
}

TEST(Utf8Test, EncodeRoundTripsAtEveryLengthBoundary) {
  for (int32_t cp : {0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF}) {
    std::string s;
    AppendUtf8(&s, cp);
    const size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    EXPECT_EQ(s.size(), want) << cp;
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(s, &pos), cp);
    EXPECT_EQ(pos, s.size());
  }
}

}  // namespace
}  // namespace trailbook
