// File: sql/planner/name_matching.h
//
// Case-insensitive name comparison and the "did you mean" suggestions of binder errors.
//
//   std::optional<std::string> s = SuggestName("evntName", {"eventName", "eventTime"});
//   // s == "eventName"
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace trailbook::sql {

// ASCII case-insensitive equality (SQL identifiers).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Returns `s` with ASCII letters lower-cased.
std::string AsciiLower(std::string_view s);

// Returns the Levenshtein distance between `a` and `b`, compared case-insensitively.
size_t EditDistance(std::string_view a, std::string_view b);

// Returns the candidate closest to `name` when it is close enough to be a plausible typo
// (distance at most 1 for short names, about a third of the length for longer ones), else
// nullopt. Ties go to the earlier candidate.
std::optional<std::string> SuggestName(std::string_view name,
                                       std::span<const std::string> candidates);

}  // namespace trailbook::sql
