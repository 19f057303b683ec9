#include "auth/jwks/jwks_fetcher.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "auth/jwks/jwk_json.h"
#include "io/file.h"

namespace trailbook::auth {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

struct Body {
  std::string data;
  size_t max_bytes = 0;
  bool too_large = false;
};

size_t WriteBody(char* ptr, size_t size, size_t nmemb, void* userdata) {
  auto* body = static_cast<Body*>(userdata);
  size_t n = size * nmemb;
  if (body->data.size() + n > body->max_bytes) {
    body->too_large = true;
    return 0;  // Aborts the transfer.
  }
  body->data.append(ptr, n);
  return n;
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Result<std::string> FileJwksFetcher::Fetch() {
  if (secret_) {
    TB_ASSIGN_OR_RETURN(uint32_t mode, io::FileMode(path_));
    if ((mode & 077) != 0) {
      char octal[16];
      std::snprintf(octal, sizeof(octal), "%04o", mode & 07777u);
      return InvalidArgument(path_ + ": secret key file has mode " + octal +
                             "; it must be 0600 or stricter (chmod 600 " + path_ + ")");
    }
  }
  return io::ReadFile(path_, kMaxJwksBytes);
}

Result<std::unique_ptr<HttpsJwksFetcher>> HttpsJwksFetcher::Create(std::string url,
                                                                   HttpsFetchOptions options) {
  if (url.rfind("https://", 0) != 0) {
    return InvalidArgument(std::string("JWKS URL must use https://: ") + url);
  }
  if (options.timeout_ms <= 0 || options.max_bytes == 0) {
    return InvalidArgument("JWKS fetch: timeout and size limit must be positive");
  }
  GlobalInitOnce();
  return std::unique_ptr<HttpsJwksFetcher>(new HttpsJwksFetcher(std::move(url), std::move(options)));
}

Result<std::string> HttpsJwksFetcher::Fetch() {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Internal("curl_easy_init failed");
  Body body;
  body.max_bytes = options_.max_bytes;
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  bool setup_ok =
      curl_easy_setopt(c, CURLOPT_URL, url_.c_str()) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_PROXY, "") == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms)) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(options_.max_bytes)) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_WRITEDATA, &body) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_USERAGENT, "trailbook-jwks/0.1") == CURLE_OK;
  if (!options_.ca_file.empty()) {
    setup_ok = setup_ok && curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str()) == CURLE_OK;
  }
  if (!setup_ok) return Internal(std::string("curl: cannot configure the request for ") + url_);
  CURLcode rc = curl_easy_perform(c);
  if (body.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return ResourceExhausted(url_ + ": JWKS larger than " + std::to_string(options_.max_bytes) +
                             " bytes");
  }
  if (rc != CURLE_OK) {
    return IOError(url_ + ": " + (error[0] != '\0' ? std::string(error) : curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return IOError(url_ + ": HTTP " + std::to_string(status));
  return std::move(body.data);
}

}  // namespace trailbook::auth
