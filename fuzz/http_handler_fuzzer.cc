// Fuzzes the HTTP API handler directly (no sockets): the input is parsed into a request
//   "METHOD PATH\n" then "Name: value\n" header lines, an empty line, and the body,
// where "$TOKEN" in a header value is replaced by a valid token with every scope, so the
// fuzzer reaches the routes behind authentication. Every response must be a well-formed
// HTTP status with a body, and the handler must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "server/testing/api_test_env.h"

namespace {

using trailbook::server::HttpRequest;
using trailbook::server::HttpResponse;
using trailbook::server::testing::Env;

Env& SharedEnv() {
  static Env* env = [] {
    trailbook::server::ServerLimits limits;
    limits.query_timeout = std::chrono::milliseconds(200);
    limits.query_memory_bytes = size_t{64} << 20;
    limits.max_body_bytes = 64 * 1024;
    auto* e = new Env(limits);
    e->audit.set_retain(false);
    return e;
  }();
  return *env;
}

const std::string& Token() {
  static const std::string token = SharedEnv().Token(
      {"runbook:run", "query:adhoc", "snapshot:read", "audit:read"}, {"ir.*"});
  return token;
}

std::string_view NextLine(std::string_view* rest) {
  size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  *rest = nl == std::string_view::npos ? std::string_view() : rest->substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  HttpRequest request;
  std::string_view first = NextLine(&rest);
  size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  request.path = space == std::string_view::npos ? "/" : std::string(first.substr(space + 1));
  request.peer_address = "127.0.0.1";
  request.request_id = "fuzz";
  while (!rest.empty()) {
    std::string_view line = NextLine(&rest);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string value(line.substr(colon + 1));
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    size_t at = value.find("$TOKEN");
    if (at != std::string::npos) value.replace(at, 6, Token());
    request.headers.emplace_back(std::string(line.substr(0, colon)), value);
  }
  request.body = std::string(rest);
  HttpResponse response = SharedEnv().handler->Handle(request);
  TB_CHECK(response.status >= 200 && response.status <= 599) << "bad status " << response.status;
  TB_CHECK(!response.content_type.empty()) << "no content type";
  if (response.status >= 400) {
    TB_CHECK(response.content_type == "application/problem+json") << "error without a problem body";
  }
  return 0;
}
