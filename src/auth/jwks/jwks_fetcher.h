// File: auth/jwks/jwks_fetcher.h
//
// Where a JWK Set comes from: a local file or an HTTPS URL (libcurl). JwksCache owns one
// fetcher and calls it on start, on its refresh timer and on an unknown kid; tests inject
// their own implementation of the interface.
//
//   TB_ASSIGN_OR_RETURN(auto fetcher, HttpsJwksFetcher::Create(url, HttpsFetchOptions{}));
//   TB_ASSIGN_OR_RETURN(std::string body, fetcher->Fetch());
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"

namespace trailbook::auth {

// Thread safety: Fetch may be called from any thread, but JwksCache never runs two at once.
class JwksFetcher {
 public:
  virtual ~JwksFetcher() = default;
  // Returns the JWKS document bytes. Errors carry the source ("https://...: HTTP 503").
  virtual Result<std::string> Fetch() = 0;
  // Returns the source for messages, e.g. the path or URL.
  virtual std::string Describe() const = 0;
};

// Reads a JWKS file. With `secret` set (a file holding HMAC keys), the file must not be
// readable or writable by group or others (mode & 077 == 0).
class FileJwksFetcher : public JwksFetcher {
 public:
  FileJwksFetcher(std::string path, bool secret) : path_(std::move(path)), secret_(secret) {}
  // Returns kIOError (unreadable), kResourceExhausted (over kMaxJwksBytes) or
  // kInvalidArgument (secret file with loose permissions).
  Result<std::string> Fetch() override;
  std::string Describe() const override { return path_; }

 private:
  std::string path_;
  bool secret_;
};

struct HttpsFetchOptions {
  std::string ca_file;          // PEM CA bundle; empty = the system trust store.
  int64_t timeout_ms = 5000;    // Whole transfer, connection included.
  size_t max_bytes = 1 << 20;   // Larger bodies are refused.
};

// Fetches a JWKS over HTTPS only: TLS >= 1.2 with peer and host verification, no redirects,
// no proxies from the environment, a size cap and a timeout. Success means HTTP 200.
class HttpsJwksFetcher : public JwksFetcher {
 public:
  // Returns kInvalidArgument when `url` is not an https:// URL.
  static Result<std::unique_ptr<HttpsJwksFetcher>> Create(std::string url, HttpsFetchOptions options);
  // Returns kIOError naming the URL and curl's reason, or the HTTP status.
  Result<std::string> Fetch() override;
  std::string Describe() const override { return url_; }

 private:
  HttpsJwksFetcher(std::string url, HttpsFetchOptions options)
      : url_(std::move(url)), options_(std::move(options)) {}
  std::string url_;
  HttpsFetchOptions options_;
};

}  // namespace trailbook::auth
