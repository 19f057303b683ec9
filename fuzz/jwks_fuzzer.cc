// Fuzzes JWK Set parsing (strict JSON, key rules, OpenSSL key import) and checks that every
// accepted key survives a serialize/parse round trip with the same thumbprint and algorithm.
#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/jwks/jwk_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trailbook::auth;  // NOLINT(google-build-using-namespace): fuzz entry point.
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool symmetric : {false, true}) {
    JwkParseOptions options;
    options.allow_symmetric = symmetric;
    options.default_rsa_alg = symmetric ? std::nullopt : std::optional(JwsAlgorithm::kRS256);
    trailbook::Result<ParsedJwks> parsed = ParseJwks(input, options);
    if (!parsed.ok()) continue;
    if (parsed->set.size() == 0) __builtin_trap();
    if (parsed->set.symmetric() && !symmetric) __builtin_trap();
    for (const Jwk& key : parsed->set.keys()) {
      trailbook::Result<Jwk> again = ParseJwkDocument(JwkToJson(key, true), options);
      if (!again.ok()) __builtin_trap();
      if (again->alg() != key.alg() || again->kid() != key.kid()) __builtin_trap();
      if (JwkThumbprint(*again) != JwkThumbprint(key)) __builtin_trap();
    }
  }
  (void)ParseJwkDocument(input, JwkParseOptions{}).ok();
  return 0;
}
