// Differential fuzzing of the token fast path (auth/jwt/plain_json.h) against the general
// path (StrictJsonParser + ParseJoseHeader / ExtractClaims): whenever a plain reader accepts
// an input, the general path must accept it too, with no claim problem and the same values.
// The input is read both as a JOSE header and as a claim set.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/jwt/claims.h"
#include "auth/jwt/jose_header.h"
#include "auth/jwt/plain_json.h"
#include "auth/jwt/strict_json.h"

namespace {

using namespace trailbook;        // NOLINT(google-build-using-namespace): fuzz entry point.
using namespace trailbook::auth;  // NOLINT(google-build-using-namespace)

template <typename T>
void CheckSame(const Claim<T>& fast, const Claim<T>& general) {
  if (fast.present != general.present || !general.problem.empty() || !fast.problem.empty() ||
      !(fast.value == general.value)) {
    __builtin_trap();
  }
}

void CheckHeader(std::string_view json, StrictJsonParser& parser) {
  JoseHeader fast;
  if (!ReadPlainJoseHeader(json, &fast)) return;
  Result<JoseHeader> general = ParseJoseHeader(json, parser);
  if (!general.ok() || general->alg != fast.alg || general->kid != fast.kid ||
      general->typ != fast.typ) {
    __builtin_trap();
  }
}

void CheckClaims(std::string_view json, StrictJsonParser& parser) {
  RawClaims fast;
  if (!ReadPlainClaims(json, &fast)) return;
  Result<simdjson::dom::element> root = parser.Parse(json, kMaxPayloadDepth);
  simdjson::dom::object object;
  if (!root.ok() || root->get_object().get(object) != simdjson::SUCCESS) __builtin_trap();
  RawClaims general = ExtractClaims(object);
  CheckSame(fast.iss, general.iss);
  CheckSame(fast.sub, general.sub);
  CheckSame(fast.jti, general.jti);
  CheckSame(fast.scope, general.scope);
  CheckSame(fast.reason, general.reason);
  CheckSame(fast.aud, general.aud);
  CheckSame(fast.exp, general.exp);
  CheckSame(fast.nbf, general.nbf);
  CheckSame(fast.iat, general.iat);
  CheckSame(fast.runbooks, general.runbooks);
  const RawConstraints& f = fast.constraints.value;
  const RawConstraints& g = general.constraints.value;
  if (fast.constraints.present != general.constraints.present ||
      !general.constraints.problem.empty() || f.accounts != g.accounts ||
      f.regions != g.regions || f.max_window_us != g.max_window_us ||
      f.event_time_after_us != g.event_time_after_us ||
      f.event_time_before_us != g.event_time_before_us) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static StrictJsonParser* parser = new StrictJsonParser();
  CheckHeader(input, *parser);
  CheckClaims(input, *parser);
  return 0;
}
