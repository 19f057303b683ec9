// File: auth/jwt/verification_steps.h
//
// VerificationSteps: the ordered verification steps of one token verification (the list the
// audit log records), stored compactly and formatted when first read. The verifier records
// each passing step as a code plus the numbers it needs ("in 590s" is kRelative with the
// exp and now); failures carry their text, formatted at once. Reading the list (iterating,
// indexing, converting to std::vector<VerificationStep>) formats every step once and gives
// exactly the text an eager formatter would. Callers that never read the steps (a request
// that only needs the Principal) never pay for the strings.
//
//   for (const VerificationStep& s : verification.steps) audit.Add(s.name, s.outcome, s.detail);
//   std::vector<VerificationStep> copy = std::move(verification.steps);
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/compact_jws.h"
#include "auth/jwt/jwk.h"

namespace trailbook::auth {

// A summary of a token's constraints for the "constraints" step detail.
struct ConstraintSummary {
  size_t accounts = 0;
  size_t regions = 0;
  std::optional<int64_t> max_window_us;
  std::optional<int64_t> after_us;
  std::optional<int64_t> before_us;
};

// Thread safety: like a std::vector for writers. The first read formats into a member, so
// concurrent first reads of one object need external synchronisation; copies are
// independent. Objects shared across threads (the verified-token cache) are only copied.
class VerificationSteps {
 public:
  // What a step's detail says. Each code names the exact text it formats to.
  enum class Detail : uint8_t {
    kText,                 // `text` verbatim.
    kBytes,                // "<a> bytes".
    kKidPresent,           // "kid present".
    kNoKid,                // "no kid".
    kConfigured,           // "configured".
    kQuoted,               // QuoteForDetail(text).
    kAlgorithm,            // JwsAlgorithmName(a).
    kKey,                  // The key's Describe().
    kValid,                // "valid".
    kRelative,             // NumericDate a relative to now b (us): "in 5s" / "5s ago".
    kAbsent,               // "absent".
    kLifetime,             // "<a/1e6>s <= <b/1e6>s".
    kPresent,              // "present".
    kEntries,              // "<a> entries".
    kScope,                // "granted [<known scopes in mask a>]" + text (the ignored part).
    kNoScope,              // "absent: no scope granted".
    kConstraints,          // The ConstraintSummary, or "empty (no restriction)".
    kNoConstraints,        // "absent: no restriction".
    kCache,                // "verified at <a>; still within nbf/exp at <b>".
    kNotEvaluated,         // "not evaluated".
  };

  VerificationSteps() = default;

  // The known scopes of claims.h in std::set order: bit i of a kScope mask is kScopeBits[i].
  static constexpr std::array<std::string_view, 4> kScopeBits = {
      "audit:read", "query:adhoc", "runbook:run", "snapshot:read"};

  // Returns the kScope mask of `scopes` (only the known scopes of claims.h have bits).
  static int64_t ScopeMask(const std::set<std::string, std::less<>>& scopes);

  // Appends a step. `name` must be a string literal or otherwise outlive this object (the
  // verifier passes its fixed step names). The second form stores `text` for kText, kQuoted
  // and kScope.
  void Add(std::string_view name, VerificationStep::Outcome outcome, Detail detail,
           int64_t a = 0, int64_t b = 0);
  void Add(std::string_view name, VerificationStep::Outcome outcome, Detail detail, int64_t a,
           int64_t b, std::string text);
  // Keeps the key described by kKey steps alive (`set` owns `key`).
  void SetKey(std::shared_ptr<const JwkSet> set, const Jwk* key);
  void SetConstraints(const ConstraintSummary& summary) { constraints_ = summary; }
  // Appends every step of `other` (with its key and constraints).
  void Append(const VerificationSteps& other);
  void Reserve(size_t n) { records_.reserve(n); }

  // Reading: formats the steps not yet formatted (all of them on first use).
  const std::vector<VerificationStep>& formatted() const;
  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  std::vector<VerificationStep>::const_iterator begin() const { return formatted().begin(); }
  std::vector<VerificationStep>::const_iterator end() const { return formatted().end(); }
  const VerificationStep& operator[](size_t i) const { return formatted()[i]; }
  const VerificationStep& front() const { return formatted().front(); }
  const VerificationStep& back() const { return formatted().back(); }
  operator std::vector<VerificationStep>() const& { return formatted(); }  // NOLINT
  operator std::vector<VerificationStep>() &&;                              // NOLINT

 private:
  // Trivially copyable, so recording a step is a few stores.
  struct Record {
    std::string_view name;
    VerificationStep::Outcome outcome;
    Detail detail;
    uint32_t text;       // Offset of the text in texts_, or kNoText.
    uint32_t text_size;  // Bytes of the text in texts_.
    int64_t a;
    int64_t b;
  };
  static constexpr uint32_t kNoText = UINT32_MAX;
  std::string Format(const Record& r) const;

  std::vector<Record> records_;
  // The texts of the records that have one, back to back: one buffer (usually within the
  // string's inline capacity) instead of one string per text.
  std::string texts_;
  std::shared_ptr<const JwkSet> key_set_;  // Owns key_; shared with the key resolver.
  const Jwk* key_ = nullptr;
  ConstraintSummary constraints_;
  mutable std::vector<VerificationStep> formatted_;  // Filled on first read.
};

}  // namespace trailbook::auth
