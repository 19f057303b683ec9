#include "auth/jwt/base64url.h"

#include <array>
#include <cstdint>
#include <string>

namespace trailbook::auth {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Maps a byte to its 6-bit value, or 0xFF when it is not in the base64url alphabet.
constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = 0xFF;
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

// Returns the offset of the first byte outside the alphabet, or text.size() when none is.
size_t FirstInvalid(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && kDecode[static_cast<unsigned char>(text[i])] != 0xFF) ++i;
  return i;
}

Status InvalidCharacter(size_t offset) {
  return InvalidArgument(std::string("base64url: character outside [A-Za-z0-9_-] at offset ") +
                         std::to_string(offset));
}

}  // namespace

bool IsBase64UrlAlphabet(std::string_view text) { return FirstInvalid(text) == text.size(); }

Result<std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  TB_RETURN_IF_ERROR(Base64UrlDecodeInto(text, &out));
  return out;
}

Status Base64UrlDecodeInto(std::string_view text, std::string* out_string) {
  std::string& out = *out_string;
  const size_t rem = text.size() % 4;
  if (rem == 1) {
    if (size_t bad = FirstInvalid(text); bad < text.size()) return InvalidCharacter(bad);
    return InvalidArgument(std::string("base64url: impossible length ") + std::to_string(text.size()));
  }
  const size_t full = text.size() / 4;
  out.resize(full * 3 + (rem == 0 ? 0 : rem - 1));
  // One pass decodes and validates: every table entry outside the alphabet is 0xFF, so OR-ing
  // the looked-up values sets bit 7 iff some byte was invalid (valid values are < 64).
  {
    char* dst = out.data();
    const auto* src = reinterpret_cast<const unsigned char*>(text.data());
    uint32_t bad = 0;
    for (size_t g = 0; g < full; ++g, src += 4, dst += 3) {
      const uint32_t a = kDecode[src[0]], b = kDecode[src[1]], c = kDecode[src[2]],
                     d = kDecode[src[3]];
      bad |= a | b | c | d;
      const uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
      dst[0] = static_cast<char>((v >> 16) & 0xFF);
      dst[1] = static_cast<char>((v >> 8) & 0xFF);
      dst[2] = static_cast<char>(v & 0xFF);
    }
    for (size_t i = 0; i < rem; ++i) bad |= kDecode[src[i]];
    if ((bad & 0x80) != 0) return InvalidCharacter(FirstInvalid(text));
  }
  char* dst = out.data() + full * 3;
  const auto* src = reinterpret_cast<const unsigned char*>(text.data()) + full * 4;
  if (rem == 2) {
    uint32_t a = kDecode[src[0]];
    uint32_t b = kDecode[src[1]];
    if ((b & 0x0F) != 0) {
      return InvalidArgument("base64url: non-zero trailing bits (non-canonical encoding)");
    }
    dst[0] = static_cast<char>(((a << 2) | (b >> 4)) & 0xFF);
  } else if (rem == 3) {
    uint32_t a = kDecode[src[0]];
    uint32_t b = kDecode[src[1]];
    uint32_t c = kDecode[src[2]];
    if ((c & 0x03) != 0) {
      return InvalidArgument("base64url: non-zero trailing bits (non-canonical encoding)");
    }
    dst[0] = static_cast<char>(((a << 2) | (b >> 4)) & 0xFF);
    dst[1] = static_cast<char>(((b << 4) | (c >> 2)) & 0xFF);
  }
  return Status::OK();
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (bytes.size() - i == 1) {
    uint32_t v = byte(i) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (bytes.size() - i == 2) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

}  // namespace trailbook::auth
