// Fuzzes runbook parameter parsing (runbook/param.h): the raw text a caller sends for a
// typed parameter (CLI --param, HTTP request bodies). The first input byte picks the
// declared type; the rest is the value. Checks that errors are kInvalidArgument naming the
// parameter without echoing much of the value, and that accepted strings are kept verbatim.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runbook/param.h"

namespace {

using namespace trailbook;           // NOLINT(google-build-using-namespace): fuzz entry point.
using namespace trailbook::runbook;  // NOLINT(google-build-using-namespace)

constexpr int64_t kNow = 1'772'366'400'000'000;  // 2026-03-01T12:00:00Z

const std::vector<ParamSpec>& Specs() {
  static const std::vector<ParamSpec>* specs = [] {
    auto* out = new std::vector<ParamSpec>;
    for (const char* type : {"string", "int", "bool", "timestamp", "duration", "account_id",
                             "region", "arn", "ip", "cidr", "enum", "list<string>", "list<int>",
                             "list<account_id>", "list<ip>", "list<cidr>", "list<enum>"}) {
      ParamSpec spec;
      spec.name = "p";
      Result<ParamType> t = ParseParamType(type);
      if (!t.ok()) __builtin_trap();
      spec.type = *t;
      if (spec.type.kind == ParamKind::kEnum) spec.values = {"minute", "hour", "day"};
      if (spec.type.kind == ParamKind::kInt) {
        spec.min = -1000;
        spec.max = 1'000'000;
      }
      out->push_back(spec);
    }
    ParamSpec patterned;
    patterned.name = "key";
    patterned.pattern = "(AKIA|ASIA)[A-Z0-9]{16}";
    out->push_back(patterned);
    return out;
  }();
  return *specs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ParamSpec& spec = Specs()[data[0] % Specs().size()];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  Result<sql::Value> v = ParseParamValue(spec, text, kNow);
  if (!v.ok()) {
    if (v.status().code() != StatusCode::kInvalidArgument) __builtin_trap();
    const std::string& msg = v.status().message();
    if (msg.rfind("parameter '" + spec.name + "': ", 0) != 0) __builtin_trap();
    if (msg.size() > 512) __builtin_trap();  // values are excerpted, never echoed whole
    return 0;
  }
  if (!spec.type.list && (spec.type.kind == ParamKind::kString || spec.type.kind == ParamKind::kArn) &&
      v->string_value() != text) {
    __builtin_trap();
  }
  return 0;
}
