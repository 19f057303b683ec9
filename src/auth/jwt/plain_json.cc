#include "auth/jwt/plain_json.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace trailbook::auth {
namespace {

constexpr size_t kMaxPlainMembers = 16;
constexpr size_t kMaxPlainDigits = 18;       // < 10^18: no int64 overflow.
constexpr size_t kMaxPairwiseEntries = 32;   // As ExtractClaims' duplicate check.

// Bytes that may appear inside a plain string: printable ASCII except '"' and '\\'.
constexpr std::array<bool, 256> MakePlainStringBytes() {
  std::array<bool, 256> table{};
  for (int c = 0x20; c < 0x7F; ++c) table[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return table;
}
constexpr std::array<bool, 256> kPlainStringByte = MakePlainStringBytes();

// Member-name equality without a library call (names are short).
bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// A cursor over plain JSON. Every reading method returns false when the input at the cursor
// is not plain JSON or not valid JSON; the readers then give up (the general path decides).
class PlainCursor {
 public:
  explicit PlainCursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  // Consumes `c` after optional whitespace.
  bool Consume(char c) {
    SkipSpace();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    SkipSpace();
    return p_ == end_;
  }
  // The next non-space byte, or 0 at the end.
  char Next() {
    SkipSpace();
    return p_ < end_ ? *p_ : '\0';
  }

  // Reads a string of printable ASCII (0x20-0x7E) without escapes as a view into the text.
  // Since such a string has no control character, a claim value read here satisfies
  // ValidatePrintable as soon as it is non-empty and short enough (see PlainString).
  bool String(std::string_view* out) {
    if (!Consume('"')) return false;
    const char* start = p_;
    while (p_ < end_ && kPlainStringByte[static_cast<unsigned char>(*p_)]) ++p_;
    if (p_ == end_ || *p_ != '"') return false;  // The end, or a byte outside the subset.
    *out = std::string_view(start, static_cast<size_t>(p_ - start));
    ++p_;
    return true;
  }

  // Reads -?(0|[1-9][0-9]*) of at most kMaxPlainDigits digits, followed by a delimiter (a
  // fraction or exponent is not plain).
  bool Integer(int64_t* out) {
    SkipSpace();
    const bool negative = p_ < end_ && *p_ == '-';
    if (negative) ++p_;
    const char* start = p_;
    int64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      if (static_cast<size_t>(p_ - start) == kMaxPlainDigits) return false;
      v = v * 10 + (*p_ - '0');
      ++p_;
    }
    const auto digits = static_cast<size_t>(p_ - start);
    if (digits == 0 || (digits > 1 && *start == '0') || !AtDelimiter()) return false;
    *out = negative ? -v : v;
    return true;
  }

  // Reads any plain value; containers open at nesting `depth` (the root object is 1).
  bool Value(size_t depth, size_t max_depth) {
    switch (Next()) {
      case '"': {
        std::string_view ignored;
        return String(&ignored);
      }
      case '{':
        return Object(depth, max_depth,
                      [&](std::string_view) { return Value(depth + 1, max_depth); });
      case '[':
        return Array(depth, max_depth, [&] { return Value(depth + 1, max_depth); });
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default: {
        int64_t ignored = 0;
        return Integer(&ignored);
      }
    }
  }

  // Reads an object at nesting `depth`, calling member(name) with the cursor before each
  // member's value; member must consume the value. Rejects duplicate names and objects of
  // more than kMaxPlainMembers members (not plain).
  template <typename Member>
  bool Object(size_t depth, size_t max_depth, Member&& member) {
    if (depth > max_depth || !Consume('{')) return false;
    if (Consume('}')) return true;
    std::array<std::string_view, kMaxPlainMembers> names;
    size_t count = 0;
    while (true) {
      std::string_view name;
      if (count == names.size() || !String(&name)) return false;
      for (size_t i = 0; i < count; ++i) {
        if (SameName(names[i], name)) return false;
      }
      names[count++] = name;
      if (!Consume(':') || !member(name)) return false;
      if (Consume(',')) continue;
      return Consume('}');
    }
  }

  // Reads an array at nesting `depth`, calling element() with the cursor before each element.
  template <typename Element>
  bool Array(size_t depth, size_t max_depth, Element&& element) {
    if (depth > max_depth || !Consume('[')) return false;
    if (Consume(']')) return true;
    while (true) {
      if (!element()) return false;
      if (Consume(',')) continue;
      return Consume(']');
    }
  }

 private:
  bool AtDelimiter() const {
    if (p_ == end_) return true;
    switch (*p_) {
      case ' ': case '\n': case '\r': case '\t': case ',': case '}': case ']':
        return true;
      default:
        return false;
    }
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return AtDelimiter();
  }

  const char* p_;
  const char* end_;
};

// A plain string that ValidatePrintable accepts: String() admits no control character, so
// what remains of ValidatePrintable is the length.
bool PlainPrintable(PlainCursor& cur, size_t max_bytes, std::string_view* out) {
  return cur.String(out) && !out->empty() && out->size() <= max_bytes;
}

// A string claim as ExtractString accepts it.
bool PlainString(PlainCursor& cur, size_t max_bytes, Claim<std::string_view>* out) {
  std::string_view s;
  if (!PlainPrintable(cur, max_bytes, &s)) return false;
  out->present = true;
  out->value = s;
  return true;
}

// A NumericDate claim as ExtractNumericDate accepts it.
bool PlainDate(PlainCursor& cur, Claim<int64_t>* out) {
  int64_t v = 0;
  if (cur.Next() == '-' || !cur.Integer(&v) || v > kMaxNumericDate) return false;
  out->present = true;
  out->value = v;
  return true;
}

// A non-empty array of at most `max_entries` strings at nesting `depth`, each accepted by
// `valid`, appended to *out (as StringArray plus the claim's per-entry check).
template <typename Valid>
bool PlainStringArray(PlainCursor& cur, size_t depth, size_t max_entries,
                      std::vector<std::string_view>* out, Valid&& valid) {
  bool ok = cur.Array(depth, kMaxPayloadDepth, [&] {
    std::string_view s;
    if (out->size() == max_entries || !cur.String(&s) || !valid(s)) return false;
    out->push_back(s);
    return true;
  });
  return ok && !out->empty();
}

// A constraints list (accounts or regions) as ExtractConstraints accepts it.
template <typename Valid>
bool PlainConstraintList(PlainCursor& cur, std::vector<std::string_view>* list, Valid&& valid) {
  if (!PlainStringArray(cur, 3, kMaxConstraintEntries, list, valid)) return false;
  if (list->size() > kMaxPairwiseEntries) return false;  // Rare: the general path sorts.
  for (size_t i = 0; i < list->size(); ++i) {
    for (size_t j = i + 1; j < list->size(); ++j) {
      if ((*list)[i] == (*list)[j]) return false;
    }
  }
  return true;
}

// The constraints object as ExtractConstraints accepts it (every member known and valid).
bool PlainConstraints(PlainCursor& cur, RawConstraints* c) {
  bool ok = cur.Object(2, kMaxPayloadDepth, [&](std::string_view key) {
    if (key == "accounts") {
      return PlainConstraintList(cur, &c->accounts,
                                 [](std::string_view s) { return ValidateAccountId(s).ok(); });
    }
    if (key == "regions") {
      return PlainConstraintList(cur, &c->regions,
                                 [](std::string_view s) { return ValidateRegion(s).ok(); });
    }
    std::string_view text;
    std::optional<int64_t>* target = nullptr;
    if (key == "max_window") {
      target = &c->max_window_us;
    } else if (key == "event_time_after") {
      target = &c->event_time_after_us;
    } else if (key == "event_time_before") {
      target = &c->event_time_before_us;
    } else {
      return false;  // Unknown constraint: the general path denies it.
    }
    if (!cur.String(&text)) return false;
    Result<int64_t> parsed = target == &c->max_window_us ? ParseDuration(text) : ParseRfc3339(text);
    if (!parsed.ok()) return false;
    *target = *parsed;
    return true;
  });
  return ok && !(c->event_time_after_us && c->event_time_before_us &&
                 *c->event_time_after_us >= *c->event_time_before_us);
}

// One member of the claim set at the cursor (its value not yet read).
bool PlainClaim(PlainCursor& cur, std::string_view key, RawClaims& c) {
  switch (key.size()) {
    case 3:
      if (key == "iss") return PlainString(cur, kMaxIssuerBytes, &c.iss);
      if (key == "sub") return PlainString(cur, kMaxSubjectBytes, &c.sub);
      if (key == "jti") return PlainString(cur, kMaxJtiBytes, &c.jti);
      if (key == "exp") return PlainDate(cur, &c.exp);
      if (key == "iat") return PlainDate(cur, &c.iat);
      if (key == "nbf") return PlainDate(cur, &c.nbf);
      if (key == "aud") {
        c.aud.present = true;
        auto valid = [](std::string_view a) { return !a.empty() && a.size() <= kMaxIssuerBytes; };
        if (cur.Next() != '"') return PlainStringArray(cur, 2, kMaxAudiences, &c.aud.value, valid);
        std::string_view single;
        if (!PlainPrintable(cur, kMaxIssuerBytes, &single)) return false;
        c.aud.value.push_back(single);
        return true;
      }
      break;
    case 5:
      if (key == "scope") return PlainString(cur, 4096, &c.scope);
      break;
    case 6:
      if (key == "reason") return PlainString(cur, kMaxReasonBytes, &c.reason);
      break;
    case 8:
      if (key == "runbooks") {
        c.runbooks.present = true;
        return PlainStringArray(cur, 2, kMaxRunbookEntries, &c.runbooks.value,
                                [](std::string_view e) { return ValidateRunbookEntry(e).ok(); });
      }
      break;
    case 11:
      if (key == "constraints") {
        c.constraints.present = true;
        return PlainConstraints(cur, &c.constraints.value);
      }
      break;
    default:
      break;
  }
  return cur.Value(2, kMaxPayloadDepth);  // A claim trailbook does not use.
}

}  // namespace

bool ReadPlainJoseHeader(std::string_view json, JoseHeader* out) {
  PlainCursor cur(json);
  bool have_alg = false;
  out->kid.reset();
  out->typ.reset();
  bool ok = cur.Object(1, kMaxHeaderDepth, [&](std::string_view key) {
    if (key.size() == 4 && key == "crit") return false;
    if (key.size() != 3) return cur.Value(2, kMaxHeaderDepth);
    std::string_view value;
    if (key == "alg") {
      if (!cur.String(&value)) return false;
      out->alg.assign(value);
      have_alg = true;
      return true;
    }
    if (key == "typ") {
      if (!cur.String(&value)) return false;
      out->typ.emplace(value);
      return true;
    }
    if (key == "kid") {
      if (!cur.String(&value) || value.size() > kMaxKidBytes) return false;
      out->kid.emplace(value);
      return true;
    }
    // Every other three-letter member ParseJoseHeader forbids (jku, jwk, x5u, x5c, cty, b64,
    // enc, zip) is left to it, for its reason.
    for (std::string_view forbidden : {"jku", "jwk", "x5u", "x5c", "cty", "b64", "enc", "zip"}) {
      if (key == forbidden) return false;
    }
    return cur.Value(2, kMaxHeaderDepth);
  });
  return ok && have_alg && cur.AtEnd();
}

bool ReadPlainClaims(std::string_view json, RawClaims* out) {
  out->Clear();
  PlainCursor cur(json);
  bool ok = cur.Object(1, kMaxPayloadDepth,
                       [&](std::string_view key) { return PlainClaim(cur, key, *out); });
  return ok && cur.AtEnd();
}

}  // namespace trailbook::auth
