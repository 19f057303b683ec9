#include "sql/planner/name_matching.h"

#include <algorithm>
#include <vector>

namespace trailbook::sql {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> SuggestName(std::string_view name,
                                       std::span<const std::string> candidates) {
  size_t limit = name.size() <= 4 ? 1 : std::max<size_t>(2, name.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    // A candidate that only differs in a dotted prefix ("arn" for "userIdentity.arn") is
    // also a good suggestion: compare against the last path part too.
    size_t d = EditDistance(name, c);
    size_t dot = c.rfind('.');
    if (dot != std::string::npos && name.find('.') == std::string_view::npos) {
      d = std::min(d, EditDistance(name, std::string_view(c).substr(dot + 1)) + 1);
    }
    if (d < best_distance && d > 0) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace trailbook::sql
