#include "auth/jwt/claims.h"

#include <algorithm>
#include <array>
#include <type_traits>

#include "base/timestamp.h"

namespace trailbook::auth {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsSegmentChar(char c) {
  return IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

constexpr std::array<std::string_view, 4> kKnownScopes = {kScopeRunbookRun, kScopeQueryAdhoc,
                                                          kScopeSnapshotRead, kScopeAuditRead};

std::string TypeProblem(std::string_view claim, const element& value, std::string_view want) {
  return std::string("\"") + std::string(claim) + "\" is a JSON " + std::string(JsonTypeName(value)) +
         ", not " + std::string(want);
}

void ExtractString(const element& value, std::string_view name, size_t max_bytes,
                   Claim<std::string_view>* out) {
  out->present = true;
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) {
    out->problem = TypeProblem(name, value, "a string");
    return;
  }
  Status valid = ValidatePrintable(name, s, max_bytes);
  if (!valid.ok()) {
    out->problem = valid.message();
    return;
  }
  out->value = s;
}

void ExtractNumericDate(const element& value, std::string_view name, Claim<int64_t>* out) {
  out->present = true;
  switch (value.type()) {
    case element_type::INT64: {
      int64_t v = value.get_int64().value_unsafe();
      if (v < 0 || v > kMaxNumericDate) {
        out->problem = std::string("\"") + std::string(name) + "\" " + std::to_string(v) +
                       " is outside [0, " + std::to_string(kMaxNumericDate) + "]";
        return;
      }
      out->value = v;
      return;
    }
    case element_type::UINT64:
      out->problem = std::string("\"") + std::string(name) + "\" is outside [0, " +
                     std::to_string(kMaxNumericDate) + "]";
      return;
    case element_type::DOUBLE:
      out->problem = std::string("\"") + std::string(name) + "\" is not an integer NumericDate";
      return;
    default:
      out->problem = TypeProblem(name, value, "a NumericDate");
      return;
  }
}

// Reads a JSON array of strings into *out; returns a problem or "".
std::string StringArray(const element& value, std::string_view name, size_t max_entries,
                        std::vector<std::string_view>* out) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return TypeProblem(name, value, "an array of strings");
  }
  if (array.size() == 0) return std::string("\"") + std::string(name) + "\" is an empty array";
  if (array.size() > max_entries) {
    return std::string("\"") + std::string(name) + "\" has more than " + std::to_string(max_entries) +
           " entries";
  }
  out->reserve(array.size());
  for (element item : array) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) {
      return std::string("\"") + std::string(name) + "\" has a " + std::string(JsonTypeName(item)) +
             " entry, not a string";
    }
    out->emplace_back(s);
  }
  return "";
}

std::string ExtractConstraints(const element& value, RawConstraints* c) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return TypeProblem("constraints", value, "an object");
  }
  for (simdjson::dom::key_value_pair field : object) {
    std::string_view key = field.key;
    if (key == "accounts" || key == "regions") {
      std::vector<std::string_view>* list = key == "accounts" ? &c->accounts : &c->regions;
      // A literal name: StringArray uses it only in error messages.
      std::string problem = StringArray(field.value, key == "accounts" ? "constraints.accounts"
                                                                       : "constraints.regions",
                                        kMaxConstraintEntries, list);
      if (!problem.empty()) return problem;
      for (std::string_view entry : *list) {
        Status s = key == "accounts" ? ValidateAccountId(entry) : ValidateRegion(entry);
        if (!s.ok()) return s.message();
      }
      if (list->size() <= 32) {  // Usual case: pairwise, no allocation.
        for (size_t i = 0; i < list->size(); ++i) {
          for (size_t j = i + 1; j < list->size(); ++j) {
            if ((*list)[i] == (*list)[j]) {
              return std::string("constraints.") + std::string(key) + " lists " +
                     QuoteForDetail((*list)[i]) + " twice";
            }
          }
        }
      } else {
        std::vector<std::string_view> sorted(list->begin(), list->end());
        std::sort(sorted.begin(), sorted.end());
        auto dup = std::adjacent_find(sorted.begin(), sorted.end());
        if (dup != sorted.end()) {
          return std::string("constraints.") + std::string(key) + " lists " +
                 QuoteForDetail(*dup) + " twice";
        }
      }
      continue;
    }
    if (key == "max_window" || key == "event_time_after" || key == "event_time_before") {
      std::string_view text;
      if (field.value.get_string().get(text) != simdjson::SUCCESS) {
        return TypeProblem(std::string("constraints.") + std::string(key), field.value, "a string");
      }
      Result<int64_t> parsed = key == "max_window" ? ParseDuration(text) : ParseRfc3339(text);
      if (!parsed.ok()) return std::string("constraints.") + std::string(key) + ": " + parsed.status().message();
      if (key == "max_window") {
        c->max_window_us = *parsed;
      } else if (key == "event_time_after") {
        c->event_time_after_us = *parsed;
      } else {
        c->event_time_before_us = *parsed;
      }
      continue;
    }
    // An unknown constraint may be a restriction this version cannot enforce: deny.
    return std::string("unknown constraint ") + QuoteForDetail(key) + " (deny by default)";
  }
  if (c->event_time_after_us && c->event_time_before_us &&
      *c->event_time_after_us >= *c->event_time_before_us) {
    return "constraints.event_time_after is not before constraints.event_time_before";
  }
  return "";
}

}  // namespace

bool Principal::AllowsRunbook(std::string_view runbook_id) const {
  for (const std::string& entry : runbooks) {
    std::string_view e = entry;
    if (e.size() >= 2 && e.substr(e.size() - 2) == ".*") {
      std::string_view prefix = e.substr(0, e.size() - 1);  // Keeps the dot: "ns."
      if (runbook_id.size() > prefix.size() && runbook_id.substr(0, prefix.size()) == prefix) {
        return true;
      }
    } else if (e == runbook_id) {
      return true;
    }
  }
  return false;
}

bool Principal::HasScope(std::string_view scope) const { return scopes.find(scope) != scopes.end(); }

Status ValidateRunbookId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRunbookIdBytes) {
    return InvalidArgument(std::string("runbook id ") + QuoteForDetail(id) + " must be 1.." +
                           std::to_string(kMaxRunbookIdBytes) + " bytes");
  }
  bool segment_start = true;
  for (char c : id) {
    if (c == '.') {
      if (segment_start) break;
      segment_start = true;
      continue;
    }
    if (!IsSegmentChar(c)) {
      return InvalidArgument(std::string("runbook id ") + QuoteForDetail(id) +
                             " has a character outside [A-Za-z0-9_.-]");
    }
    segment_start = false;
  }
  if (segment_start) {
    return InvalidArgument(std::string("runbook id ") + QuoteForDetail(id) + " has an empty dot segment");
  }
  return Status::OK();
}

Status ValidateRunbookEntry(std::string_view entry) {
  if (entry.size() >= 2 && entry.substr(entry.size() - 2) == ".*") {
    Status ns = ValidateRunbookId(entry.substr(0, entry.size() - 2));
    if (!ns.ok()) {
      return InvalidArgument(std::string("runbook pattern ") + QuoteForDetail(entry) +
                             " must be <namespace>.* with a valid namespace");
    }
    return Status::OK();
  }
  if (entry.find('*') != std::string_view::npos) {
    return InvalidArgument(std::string("runbook entry ") + QuoteForDetail(entry) +
                           ": '*' is only allowed as a final \".*\"");
  }
  return ValidateRunbookId(entry);
}

Status ValidateAccountId(std::string_view account) {
  if (account.size() != 12 || !std::all_of(account.begin(), account.end(), IsDigit)) {
    return InvalidArgument(std::string("account ") + QuoteForDetail(account) + " is not 12 digits");
  }
  return Status::OK();
}

Status ValidateRegion(std::string_view region) {
  // [a-z]{2} ( "-" [a-z]+ )+ "-" [0-9]{1,2}
  auto bad = [&] { return InvalidArgument(std::string("region ") + QuoteForDetail(region) + " is not an AWS region name"); };
  if (region.size() < 6 || region.size() > 32) return bad();
  if (!IsLower(region[0]) || !IsLower(region[1]) || region[2] != '-') return bad();
  size_t last_dash = region.rfind('-');
  std::string_view number = region.substr(last_dash + 1);
  if (number.empty() || number.size() > 2 || !std::all_of(number.begin(), number.end(), IsDigit)) {
    return bad();
  }
  std::string_view middle = region.substr(3, last_dash - 3);  // e.g. "gov-west"
  if (middle.empty()) return bad();
  bool word_start = true;
  for (char c : middle) {
    if (c == '-') {
      if (word_start) return bad();
      word_start = true;
    } else if (IsLower(c)) {
      word_start = false;
    } else {
      return bad();
    }
  }
  if (word_start) return bad();
  return Status::OK();
}

Status ValidatePrintable(std::string_view what, std::string_view value, size_t max_bytes) {
  if (value.empty()) return InvalidArgument(std::string("\"") + std::string(what) + "\" is empty");
  if (value.size() > max_bytes) {
    return InvalidArgument(std::string("\"") + std::string(what) + "\" is longer than " +
                           std::to_string(max_bytes) + " bytes");
  }
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      return InvalidArgument(std::string("\"") + std::string(what) + "\" contains a control character");
    }
  }
  return Status::OK();
}

Result<int64_t> ParseRfc3339(std::string_view text) {
  auto bad = [&] {
    return InvalidArgument(std::string("time ") + QuoteForDetail(text) +
                           " is not RFC 3339 (YYYY-MM-DDTHH:MM:SS[.f](Z|+HH:MM))");
  };
  // Fixed part: YYYY-MM-DDTHH:MM:SS
  if (text.size() < 20) return bad();
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  for (size_t i = 0; i < kShape.size(); ++i) {
    char c = text[i];
    if (kShape[i] == 'd') {
      if (!IsDigit(c)) return bad();
    } else if (kShape[i] == 'T') {
      if (c != 'T' && c != 't') return bad();
    } else if (c != kShape[i]) {
      return bad();
    }
  }
  size_t i = kShape.size();
  if (text[i] == '.') {
    size_t start = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == start || i - start > 9) return bad();
  }
  std::string_view zone = text.substr(i);
  if (zone != "Z" && zone != "z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !IsDigit(zone[1]) ||
        !IsDigit(zone[2]) || zone[3] != ':' || !IsDigit(zone[4]) || !IsDigit(zone[5])) {
      return bad();
    }
  }
  std::optional<int64_t> parsed = ParseTimestamp(text);
  if (!parsed) return bad();
  return *parsed;
}

Result<std::set<std::string, std::less<>>> ParseScope(std::string_view scope,
                                                      std::vector<std::string>* ignored) {
  std::set<std::string, std::less<>> known;
  if (scope.empty()) return InvalidArgument("\"scope\" is empty");
  size_t start = 0;
  while (true) {
    size_t end = scope.find(' ', start);
    std::string_view token = scope.substr(start, end == std::string_view::npos ? end : end - start);
    if (token.empty()) {
      return InvalidArgument("\"scope\" has an empty token (leading, trailing or double space)");
    }
    for (char c : token) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x21 || u > 0x7E || u == 0x22 || u == 0x5C) {
        return InvalidArgument(std::string("\"scope\" token ") + QuoteForDetail(token) +
                               " has a character outside RFC 6749 scope-token syntax");
      }
    }
    if (std::find(kKnownScopes.begin(), kKnownScopes.end(), token) != kKnownScopes.end()) {
      known.emplace(token);
    } else if (ignored != nullptr) {
      ignored->emplace_back(token);
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return known;
}

Constraints RawConstraints::ToConstraints() const {
  Constraints c;
  c.accounts.assign(accounts.begin(), accounts.end());
  c.regions.assign(regions.begin(), regions.end());
  c.max_window_us = max_window_us;
  c.event_time_after_us = event_time_after_us;
  c.event_time_before_us = event_time_before_us;
  return c;
}

namespace {

template <typename T>
void ClearClaim(Claim<T>* claim) {
  claim->present = false;
  claim->problem.clear();
  if constexpr (std::is_same_v<T, std::vector<std::string_view>>) {
    claim->value.clear();
  } else if constexpr (std::is_same_v<T, RawConstraints>) {
    claim->value.accounts.clear();
    claim->value.regions.clear();
    claim->value.max_window_us.reset();
    claim->value.event_time_after_us.reset();
    claim->value.event_time_before_us.reset();
  } else {
    claim->value = T{};
  }
}

}  // namespace

void RawClaims::Clear() {
  for (Claim<std::string_view>* c : {&iss, &sub, &jti, &scope, &reason}) ClearClaim(c);
  for (Claim<int64_t>* c : {&exp, &nbf, &iat}) ClearClaim(c);
  ClearClaim(&aud);
  ClearClaim(&runbooks);
  ClearClaim(&constraints);
}

RawClaims ExtractClaims(const simdjson::dom::object& payload) {
  RawClaims c;
  ExtractClaims(payload, &c);
  return c;
}

void ExtractClaims(const simdjson::dom::object& payload, RawClaims* out) {
  RawClaims& c = *out;
  c.Clear();
  for (simdjson::dom::key_value_pair field : payload) {
    std::string_view key = field.key;
    const element& value = field.value;
    if (key == "iss") {
      ExtractString(value, "iss", kMaxIssuerBytes, &c.iss);
    } else if (key == "sub") {
      ExtractString(value, "sub", kMaxSubjectBytes, &c.sub);
    } else if (key == "jti") {
      ExtractString(value, "jti", kMaxJtiBytes, &c.jti);
    } else if (key == "scope") {
      ExtractString(value, "scope", 4096, &c.scope);
    } else if (key == "reason") {
      ExtractString(value, "reason", kMaxReasonBytes, &c.reason);
    } else if (key == "exp") {
      ExtractNumericDate(value, "exp", &c.exp);
    } else if (key == "nbf") {
      ExtractNumericDate(value, "nbf", &c.nbf);
    } else if (key == "iat") {
      ExtractNumericDate(value, "iat", &c.iat);
    } else if (key == "aud") {
      c.aud.present = true;
      std::string_view single;
      if (value.get_string().get(single) == simdjson::SUCCESS) {
        c.aud.value.push_back(single);
      } else {
        c.aud.problem = StringArray(value, "aud", kMaxAudiences, &c.aud.value);
      }
      for (std::string_view a : c.aud.value) {
        if (!c.aud.problem.empty()) break;
        Status s = ValidatePrintable("aud", a, kMaxIssuerBytes);
        if (!s.ok()) c.aud.problem = s.message();
      }
    } else if (key == "runbooks") {
      c.runbooks.present = true;
      c.runbooks.problem = StringArray(value, "runbooks", kMaxRunbookEntries, &c.runbooks.value);
      for (std::string_view entry : c.runbooks.value) {
        if (!c.runbooks.problem.empty()) break;
        Status s = ValidateRunbookEntry(entry);
        if (!s.ok()) c.runbooks.problem = s.message();
      }
    } else if (key == "constraints") {
      c.constraints.present = true;
      c.constraints.problem = ExtractConstraints(value, &c.constraints.value);
    }
  }
}

}  // namespace trailbook::auth
