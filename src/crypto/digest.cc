#include "crypto/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cstdio>

#include "base/check.h"

namespace trailbook::crypto {

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out;
  unsigned int len = 0;
  int ok = EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  TB_CHECK(ok == 1 && len == out.size()) << "EVP_Digest(sha256) failed";
  return out;
}

struct Sha256Hasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  TB_CHECK(impl_->ctx != nullptr && EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) == 1)
      << "EVP_DigestInit_ex failed";
}

Sha256Hasher::~Sha256Hasher() { EVP_MD_CTX_free(impl_->ctx); }

void Sha256Hasher::Update(std::string_view data) {
  TB_CHECK(EVP_DigestUpdate(impl_->ctx, data.data(), data.size()) == 1) << "EVP_DigestUpdate";
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  unsigned int len = 0;
  TB_CHECK(EVP_DigestFinal_ex(impl_->ctx, out.data(), &len) == 1) << "EVP_DigestFinal_ex";
  TB_CHECK(EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) == 1) << "EVP_DigestInit_ex";
  return out;
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status RandomBytes(size_t n, std::string* out) {
  out->resize(n);
  if (n == 0) return Status::OK();
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out->data()), static_cast<int>(n)) != 1) {
    return Internal("RAND_bytes failed");
  }
  return Status::OK();
}

Result<std::string> RandomUuid() {
  // Each RAND_bytes call pays the DRBG's per-call work (reseed check, state update) whatever
  // its size, which dominated a 16-byte draw (~4 us under load; the server makes one or two
  // ids per request). Ids come from a per-thread pool of CSPRNG output instead, refilled
  // 64 ids at a time and never reused; a forked child starts a new pool (its parent's
  // unused bytes would otherwise give both processes the same ids).
  struct Pool {
    unsigned char bytes[1024];
    size_t used = sizeof(bytes);
    pid_t pid = 0;
  };
  thread_local Pool pool;
  pid_t pid = ::getpid();
  if (pool.used + 16 > sizeof(pool.bytes) || pool.pid != pid) {
    if (RAND_bytes(pool.bytes, static_cast<int>(sizeof(pool.bytes))) != 1) {
      return Internal("RAND_bytes failed");
    }
    pool.used = 0;
    pool.pid = pid;
  }
  unsigned char* b = pool.bytes + pool.used;
  pool.used += 16;
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0F]);
  }
  OPENSSL_cleanse(b, 16);  // Handed out: the pool keeps no copy.
  return out;
}

}  // namespace trailbook::crypto
