#include "sql/functions/like_pattern.h"

#include "base/utf8.h"

namespace trailbook::sql {
namespace {

// Advances `pos` over `n` code points of `s`; returns false when `s` is too short.
bool SkipCodePoints(std::string_view s, size_t* pos, size_t n) {
  size_t i = *pos;
  for (size_t k = 0; k < n; ++k) {
    if (i >= s.size()) return false;
    ++i;
    while (i < s.size() && IsUtf8Continuation(static_cast<unsigned char>(s[i]))) ++i;
  }
  *pos = i;
  return true;
}

}  // namespace

Result<LikePattern> LikePattern::Compile(std::string_view pattern,
                                         std::optional<std::string_view> escape) {
  std::string_view esc;
  if (escape.has_value()) {
    if (escape->empty() || Utf8Length(*escape) != 1) {
      return InvalidArgument("Escape string must be a single character");
    }
    esc = *escape;
  }
  LikePattern p;
  auto literal = [&]() -> std::string& {
    if (p.elements_.empty() || p.elements_.back().type != Element::Type::kLiteral) {
      p.elements_.push_back({Element::Type::kLiteral, {}, 0});
    }
    return p.elements_.back().text;
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (!esc.empty() && pattern.substr(i).starts_with(esc)) {
      size_t next = i + esc.size();
      if (next < pattern.size() && (pattern[next] == '%' || pattern[next] == '_')) {
        literal().push_back(pattern[next]);
        i = next;
      } else if (pattern.substr(next).starts_with(esc)) {
        literal().append(esc);
        i = next + esc.size() - 1;
      } else {
        return InvalidArgument(
            "Escape character must be followed by '%', '_' or the escape character");
      }
    } else if (c == '%') {
      if (p.elements_.empty() || p.elements_.back().type != Element::Type::kAnyMany) {
        p.elements_.push_back({Element::Type::kAnyMany, {}, 0});
      }
    } else if (c == '_') {
      if (!p.elements_.empty() && p.elements_.back().type == Element::Type::kAnyOne) {
        ++p.elements_.back().count;
      } else {
        p.elements_.push_back({Element::Type::kAnyOne, {}, 1});
      }
    } else {
      literal().push_back(c);
    }
  }
  using T = Element::Type;
  const auto& e = p.elements_;
  auto is = [&](size_t i, T t) { return i < e.size() && e[i].type == t; };
  if (e.empty()) {
    p.kind_ = Kind::kExact;
  } else if (e.size() == 1 && is(0, T::kLiteral)) {
    p.kind_ = Kind::kExact;
    p.literal_ = e[0].text;
  } else if (e.size() == 1 && is(0, T::kAnyMany)) {
    p.kind_ = Kind::kAny;
  } else if (e.size() == 2 && is(0, T::kLiteral) && is(1, T::kAnyMany)) {
    p.kind_ = Kind::kPrefix;
    p.literal_ = e[0].text;
  } else if (e.size() == 2 && is(0, T::kAnyMany) && is(1, T::kLiteral)) {
    p.kind_ = Kind::kSuffix;
    p.literal_ = e[1].text;
  } else if (e.size() == 3 && is(0, T::kAnyMany) && is(1, T::kLiteral) && is(2, T::kAnyMany)) {
    p.kind_ = Kind::kContains;
    p.literal_ = e[1].text;
  }
  return p;
}

bool LikePattern::Matches(std::string_view s) const {
  switch (kind_) {
    case Kind::kExact:
      return s == literal_;
    case Kind::kPrefix:
      return s.starts_with(literal_);
    case Kind::kSuffix:
      return s.ends_with(literal_);
    case Kind::kContains:
      return s.find(literal_) != std::string_view::npos;
    case Kind::kAny:
      return true;
    case Kind::kGeneral:
      return MatchGeneral(s);
  }
  return false;
}

// The classic wildcard match that backtracks only to the last '%': '%' absorbs one more code
// point on each mismatch, which is enough because an earlier '%' could only absorb what the
// later one can. A literal after '%' is searched for directly.
bool LikePattern::MatchGeneral(std::string_view s) const {
  const size_t n = elements_.size();
  size_t p = 0;
  size_t i = 0;
  bool have_star = false;
  size_t star_p = 0;
  size_t star_i = 0;
  while (true) {
    bool advanced = false;
    if (p < n) {
      const Element& el = elements_[p];
      switch (el.type) {
        case Element::Type::kAnyMany:
          have_star = true;
          star_p = p;
          star_i = i;
          ++p;
          advanced = true;
          break;
        case Element::Type::kLiteral:
          if (have_star && star_p + 1 == p && i == star_i) {
            // First attempt after '%': jump to the next occurrence of the literal.
            size_t found = s.find(el.text, i);
            if (found == std::string_view::npos) return false;
            star_i = found;
            i = found + el.text.size();
            ++p;
            advanced = true;
          } else if (s.substr(i).starts_with(el.text)) {
            i += el.text.size();
            ++p;
            advanced = true;
          }
          break;
        case Element::Type::kAnyOne: {
          size_t j = i;
          if (SkipCodePoints(s, &j, el.count)) {
            i = j;
            ++p;
            advanced = true;
          }
          break;
        }
      }
    } else if (i == s.size()) {
      return true;
    }
    if (advanced) continue;
    if (!have_star) return false;
    // Let the last '%' absorb one more code point and retry what follows it.
    if (!SkipCodePoints(s, &star_i, 1)) return false;
    i = star_i;
    p = star_p + 1;
    if (p < n && elements_[p].type == Element::Type::kLiteral) {
      size_t found = s.find(elements_[p].text, i);
      if (found == std::string_view::npos) return false;
      star_i = found;
      i = found + elements_[p].text.size();
      ++p;
    }
  }
}

}  // namespace trailbook::sql
