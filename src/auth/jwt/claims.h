// File: auth/jwt/claims.h
//
// The trailbook claim set (docs/tokens.md): the verified Principal handed to the runbook,
// server and audit code, its Constraints, the claim syntax validators shared by the
// verifier and by `token mint`, and the extraction of claims from a token payload.
//
// Extraction (ExtractClaims) never fails on a bad claim: it records, per claim, whether it
// was absent, malformed (with the reason) or present, so that each claim's problem is
// reported by that claim's own verification step after the signature has been checked.
//
//   Principal p = ...;
//   if (!p.AllowsRunbook("ir.principal-activity") || !p.HasScope(kScopeRunbookRun)) deny();
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/strict_json.h"
#include "base/duration.h"  // ParseDuration, FormatDuration (max_window, lifetimes)
#include "base/status.h"

namespace trailbook::auth {

// The scopes trailbook understands. Any other scope token is ignored (grants nothing).
inline constexpr std::string_view kScopeRunbookRun = "runbook:run";
inline constexpr std::string_view kScopeQueryAdhoc = "query:adhoc";
inline constexpr std::string_view kScopeSnapshotRead = "snapshot:read";
inline constexpr std::string_view kScopeAuditRead = "audit:read";

// Restrictions the engine applies as row filters to every query the token runs. An empty
// vector / nullopt means "not restricted by this token".
struct Constraints {
  std::vector<std::string> accounts;  // 12-digit AWS account ids.
  std::vector<std::string> regions;   // AWS region names, e.g. "us-east-1".
  std::optional<int64_t> max_window_us;         // Longest eventTime range a query may span.
  std::optional<int64_t> event_time_after_us;   // Rows must have eventTime >= this.
  std::optional<int64_t> event_time_before_us;  // Rows must have eventTime < this.

  bool empty() const {
    return accounts.empty() && regions.empty() && !max_window_us && !event_time_after_us &&
           !event_time_before_us;
  }
};

// A verified caller. Built only by TokenVerifier from a token that passed every check.
struct Principal {
  std::string subject;
  std::string issuer;
  std::string token_id;                   // jti
  std::vector<std::string> audiences;     // aud, as received
  std::vector<std::string> runbooks;      // Exact ids and "ns.*" patterns.
  std::set<std::string, std::less<>> scopes;  // Only the known scopes above.
  Constraints constraints;
  int64_t issued_at_us = 0;
  int64_t expires_at_us = 0;
  std::optional<int64_t> not_before_us;
  std::optional<std::string> reason;
  std::string key_id;        // kid of the verifying key ("" when the key has none).
  std::string alg;           // e.g. "ES256".
  std::string token_sha256;  // Lower-case hex SHA-256 of the compact token.

  // Returns true when `runbook_id` equals an entry, or an entry "ns.*" names a namespace
  // that `runbook_id` is inside at a dot boundary ("detect.*" matches "detect.x" and
  // "detect.x.y", not "detect" nor "detection.x"). No other glob, no case folding.
  bool AllowsRunbook(std::string_view runbook_id) const;

  // Returns true when the token granted `scope`.
  bool HasScope(std::string_view scope) const;
};

// Limits on claim values (bytes unless noted).
inline constexpr size_t kMaxPayloadDepth = 8;
inline constexpr size_t kMaxSubjectBytes = 256;
inline constexpr size_t kMaxIssuerBytes = 512;
inline constexpr size_t kMaxJtiBytes = 128;
inline constexpr size_t kMaxReasonBytes = 512;
inline constexpr size_t kMaxRunbookEntries = 256;
inline constexpr size_t kMaxRunbookIdBytes = 128;
inline constexpr size_t kMaxAudiences = 32;
inline constexpr size_t kMaxConstraintEntries = 1000;
// Largest NumericDate accepted: 9999-12-31T23:59:59Z.
inline constexpr int64_t kMaxNumericDate = 253402300799;

// Syntax validators; each returns kInvalidArgument naming the value when it fails.
// Runbook entry: id = seg ("." seg)*, seg = [A-Za-z0-9_-]+; or a namespace pattern id ".*".
Status ValidateRunbookEntry(std::string_view entry);
// A runbook id as the engine uses it (no pattern).
Status ValidateRunbookId(std::string_view id);
// Exactly 12 ASCII digits.
Status ValidateAccountId(std::string_view account);
// AWS region syntax: [a-z]{2}(-[a-z]+)+-[0-9]{1,2}, e.g. "us-east-1", "us-gov-west-1".
Status ValidateRegion(std::string_view region);
// Non-empty text without control characters, at most `max_bytes`.
Status ValidatePrintable(std::string_view what, std::string_view value, size_t max_bytes);

// Parses a strict RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
Result<int64_t> ParseRfc3339(std::string_view text);

// Parses a scope claim (RFC 6749 3.3 syntax: tokens separated by single spaces). Known
// scopes are returned; unknown ones are appended to *ignored.
Result<std::set<std::string, std::less<>>> ParseScope(std::string_view scope,
                                                      std::vector<std::string>* ignored);

// One claim as extracted from the payload.
template <typename T>
struct Claim {
  bool present = false;
  std::string problem;  // Non-empty when present but malformed.
  T value{};
  bool ok() const { return present && problem.empty(); }
};

// The "constraints" claim as extracted: like Constraints, with the lists as views into the
// parsed payload (see RawClaims for their lifetime).
struct RawConstraints {
  std::vector<std::string_view> accounts;
  std::vector<std::string_view> regions;
  std::optional<int64_t> max_window_us;
  std::optional<int64_t> event_time_after_us;
  std::optional<int64_t> event_time_before_us;

  // Returns an owning copy for the Principal.
  Constraints ToConstraints() const;
};

// The registered and trailbook claims of a payload. Strings are views into the document of
// the StrictJsonParser that parsed the payload: they stay valid until that parser's next
// Parse. Keeping views (not copies) until the Principal is built lets the verifier extract
// and check every claim without allocating (it reuses one RawClaims per thread).
struct RawClaims {
  Claim<std::string_view> iss, sub, jti, scope, reason;
  Claim<std::vector<std::string_view>> aud;
  Claim<int64_t> exp, nbf, iat;
  Claim<std::vector<std::string_view>> runbooks;
  Claim<RawConstraints> constraints;

  // Resets every claim to absent, keeping the capacity of the vectors and problem strings.
  void Clear();
};

// Extracts the claims from a payload whose root is a JSON object into *out (cleared first;
// its capacity is reused). Type and syntax problems are recorded in each Claim (never
// returned as errors). Unknown claims are ignored.
void ExtractClaims(const simdjson::dom::object& payload, RawClaims* out);

// As above, into a new RawClaims.
RawClaims ExtractClaims(const simdjson::dom::object& payload);

}  // namespace trailbook::auth
