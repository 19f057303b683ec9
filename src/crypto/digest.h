// File: crypto/digest.h
//
// Hashing and randomness through OpenSSL 3: SHA-256 (one-shot and streaming), hex encoding,
// constant-time comparison and cryptographically secure random bytes. Nothing here is
// hand-written crypto; it is the one adapter over OpenSSL's EVP digest API.
//
//   std::string hex = ToHex(Sha256(bytes));
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);

// Streaming SHA-256. Thread safety: not thread-safe.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  // Returns the digest; the hasher is then reset for reuse.
  Sha256Digest Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Lower-case hex of `bytes`.
std::string ToHex(std::span<const uint8_t> bytes);
inline std::string ToHex(const Sha256Digest& d) { return ToHex(std::span<const uint8_t>(d)); }

// Compares in time independent of where the inputs differ (CRYPTO_memcmp); unequal lengths
// return false without comparing contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Fills `out` with `n` bytes from OpenSSL's CSPRNG.
Status RandomBytes(size_t n, std::string* out);

// Returns a random RFC 4122 version-4 UUID in lower case.
Result<std::string> RandomUuid();

}  // namespace trailbook::crypto
