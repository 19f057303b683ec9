// File: auth/jwt/verified_token_cache.h
//
// VerifiedTokenCache: an in-process, bounded map from the SHA-256 of a compact token to the
// result of its successful verification, valid until the token's exp. It lets a server that
// sees the same short-lived token on every request skip the JSON parsing and the signature
// check. Only successful verifications are stored; a hit is re-checked against the clock.
//
// Revocation note: an entry outlives a key removed from the JWKS until the token's exp
// (at most the issuer's max lifetime). Call Clear() when keys are revoked.
//
//   VerifiedTokenCache cache(10000);
//   if (auto hit = cache.Lookup(digest, now_us)) return hit->principal;
//
// Thread safety: thread-safe (one mutex; operations are O(1) except the expiry sweep when
// full, which is O(capacity)).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/jwt/claims.h"
#include "auth/jwt/compact_jws.h"
#include "auth/jwt/verification_steps.h"
#include "crypto/digest.h"

namespace trailbook::auth {

class VerifiedTokenCache {
 public:
  struct Entry {
    Principal principal;
    VerificationSteps steps;  // The steps of the original verification (never read here).
    int64_t verified_at_us = 0;
    int64_t valid_from_us = 0;   // nbf - leeway (or INT64_MIN when there is no nbf).
    int64_t valid_until_us = 0;  // exp + leeway.
  };

  // REQUIRES: capacity > 0.
  explicit VerifiedTokenCache(size_t capacity) : capacity_(capacity) {}
  VerifiedTokenCache(const VerifiedTokenCache&) = delete;
  VerifiedTokenCache& operator=(const VerifiedTokenCache&) = delete;

  // Returns the entry for `digest` when present and valid_from_us <= now_us < valid_until_us;
  // drops it when it has expired. Returns nullptr on a miss.
  std::shared_ptr<const Entry> Lookup(const crypto::Sha256Digest& digest, int64_t now_us);

  // Stores `entry`; when full, first drops expired entries, then the oldest.
  void Insert(const crypto::Sha256Digest& digest, std::shared_ptr<const Entry> entry,
              int64_t now_us);

  void Clear();
  size_t size() const;

 private:
  struct Slot {
    std::shared_ptr<const Entry> entry;
    uint64_t sequence = 0;
  };
  static std::string Key(const crypto::Sha256Digest& digest);

  const size_t capacity_;
  mutable std::mutex mu_;
  // Guarded by mu_ (base/ has no capability-annotated mutex for TB_GUARDED_BY).
  std::unordered_map<std::string, Slot> map_;
  std::deque<std::pair<std::string, uint64_t>> order_;  // Insertion order for eviction.
  uint64_t next_sequence_ = 0;
};

}  // namespace trailbook::auth
