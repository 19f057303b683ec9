#include "gen/internal/identifiers.h"

#include <charconv>

#include "base/timestamp.h"

namespace trailbook::gen::internal {
namespace {

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second;
};

Civil ToCivil(int64_t micros) {
  int64_t seconds = micros / kMicrosPerSecond;
  if (micros % kMicrosPerSecond < 0) --seconds;
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c{};
  CivilFromDays(days, &c.year, &c.month, &c.day);
  c.hour = static_cast<unsigned>(rem / 3600);
  c.minute = static_cast<unsigned>(rem / 60 % 60);
  c.second = static_cast<unsigned>(rem % 60);
  return c;
}

void AppendPadded(int64_t v, int width, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  for (int i = static_cast<int>(r.ptr - buf); i < width; ++i) out->push_back('0');
  out->append(buf, r.ptr);
}

}  // namespace

void AppendRandom(Rng& rng, std::string_view alphabet, size_t n, std::string* out) {
  const size_t base = out->size();
  out->resize(base + n);
  char* p = out->data() + base;
  for (size_t i = 0; i < n; ++i) p[i] = alphabet[rng.Index(alphabet.size())];
}

void AppendUuid(Rng& rng, std::string* out) {
  const uint64_t hi = rng.Next();
  const uint64_t lo = rng.Next();
  char buf[36];
  int pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) buf[pos++] = '-';
    unsigned nibble;
    if (i == 12) {
      nibble = 4;  // version 4
    } else if (i == 16) {
      nibble = 8 | static_cast<unsigned>((lo >> 60) & 3);  // RFC 4122 variant
    } else {
      const uint64_t word = i < 16 ? hi : lo;
      nibble = static_cast<unsigned>((word >> (4 * (i % 16))) & 15);
    }
    buf[pos++] = kLowerHex[nibble];
  }
  out->append(buf, sizeof(buf));
}

void AppendAwsId(Rng& rng, std::string_view prefix, size_t n, std::string* out) {
  out->append(prefix);
  AppendRandom(rng, kBase32, n, out);
}

void AppendBase64(Rng& rng, size_t n, std::string* out) {
  AppendRandom(rng, kBase64, n, out);
  while (n % 4 != 0) {
    out->push_back('=');
    ++n;
  }
}

void AppendSessionToken(Rng& rng, std::string* out) {
  out->append("IQoJb3JpZ2luX2Vj");
  const size_t n = static_cast<size_t>(rng.Between(684, 984));
  AppendRandom(rng, kBase64, n, out);
}

void AppendHexId(Rng& rng, std::string_view prefix, size_t n, std::string* out) {
  out->append(prefix);
  AppendRandom(rng, kLowerHex, n, out);
}

void AppendIpv4(uint32_t address, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    AppendInt((address >> shift) & 0xff, out);
    if (shift != 0) out->push_back('.');
  }
}

void AppendIpv6(const uint16_t (&groups)[8], std::string* out) {
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out->append("::");
      i += best_len - 1;
      continue;
    }
    if (i > 0 && i != best_start + best_len) out->push_back(':');
    char buf[8];
    auto r = std::to_chars(buf, buf + sizeof(buf), static_cast<unsigned>(groups[i]), 16);
    out->append(buf, r.ptr);
  }
}

void AppendIsoTime(int64_t micros, std::string* out) {
  const Civil c = ToCivil(micros);
  AppendPadded(c.year, 4, out);
  out->push_back('-');
  AppendPadded(c.month, 2, out);
  out->push_back('-');
  AppendPadded(c.day, 2, out);
  out->push_back('T');
  AppendPadded(c.hour, 2, out);
  out->push_back(':');
  AppendPadded(c.minute, 2, out);
  out->push_back(':');
  AppendPadded(c.second, 2, out);
  out->push_back('Z');
}

void AppendJavaTime(int64_t micros, std::string* out) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Civil c = ToCivil(micros);
  out->append(kMonths[c.month - 1]);
  out->push_back(' ');
  AppendInt(c.day, out);
  out->append(", ");
  AppendInt(c.year, out);
  out->append(", ");
  const unsigned hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  AppendInt(hour12, out);
  out->push_back(':');
  AppendPadded(c.minute, 2, out);
  out->push_back(':');
  AppendPadded(c.second, 2, out);
  out->append(c.hour < 12 ? " AM" : " PM");
}

void AppendCompactTime(int64_t micros, bool seconds, std::string* out) {
  const Civil c = ToCivil(micros);
  AppendPadded(c.year, 4, out);
  AppendPadded(c.month, 2, out);
  AppendPadded(c.day, 2, out);
  out->push_back('T');
  AppendPadded(c.hour, 2, out);
  AppendPadded(c.minute, 2, out);
  if (seconds) AppendPadded(c.second, 2, out);
  out->push_back('Z');
}

void AppendDatePath(int64_t micros, std::string* out) {
  const Civil c = ToCivil(micros);
  AppendPadded(c.year, 4, out);
  out->push_back('/');
  AppendPadded(c.month, 2, out);
  out->push_back('/');
  AppendPadded(c.day, 2, out);
}

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

void AppendTenths(int64_t tenths, std::string* out) {
  if (tenths < 0) {
    out->push_back('-');
    tenths = -tenths;
  }
  AppendInt(tenths / 10, out);
  out->push_back('.');
  out->push_back(static_cast<char>('0' + tenths % 10));
}

}  // namespace trailbook::gen::internal
