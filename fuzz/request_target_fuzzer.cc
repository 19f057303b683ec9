// Fuzzes ParseRequestTarget, the server's URL decoding of the raw request target: it must
// never crash, and what it accepts must satisfy its contract (the path starts with '/' and
// holds no control character; decoding never grows the text).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "server/request_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);
  trailbook::server::RequestTarget out;
  trailbook::Status status = trailbook::server::ParseRequestTarget(target, &out);
  if (!status.ok()) {
    TB_CHECK(status.code() == trailbook::StatusCode::kInvalidArgument) << status.ToString();
    return 0;
  }
  TB_CHECK(!out.path.empty() && out.path[0] == '/') << "path without '/'";
  TB_CHECK(out.path.size() <= target.size()) << "decoded path longer than the target";
  for (char c : out.path) {
    TB_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) << "control character in path";
  }
  size_t decoded = out.path.size();
  for (const auto& [key, value] : out.query) decoded += key.size() + value.size();
  TB_CHECK(decoded <= target.size()) << "decoding grew the target";
  return 0;
}
