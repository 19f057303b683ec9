// Fuzzes token verification end to end (format, strict base64url, header and claims JSON,
// key selection, signature and claim checks) against a fixed key set, and checks
// invariants of the result. The seed corpus in fuzz/corpus/jwt was minted with the
// private halves of the keys below (discarded afterwards) at about kNow.
#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/jwt/base64url.h"
#include "auth/jwt/compact_jws.h"
#include "auth/jwt/jwk.h"
#include "auth/jwt/token_verifier.h"

namespace {

using namespace trailbook;        // NOLINT(google-build-using-namespace): fuzz entry point.
using namespace trailbook::auth;  // NOLINT(google-build-using-namespace)

constexpr int64_t kNow = 1795533300;

std::string Decode(std::string_view b64) { return *Base64UrlDecode(b64); }

std::shared_ptr<const KeyResolver> Keys(std::vector<Jwk> keys) {
  Result<JwkSet> set = JwkSet::Create(std::move(keys));
  if (!set.ok()) __builtin_trap();
  return std::make_shared<StaticKeyResolver>(std::move(set).value());
}

const TokenVerifier& Verifier() {
  static const TokenVerifier* verifier = [] {
    std::vector<Jwk> public_keys;
    public_keys.push_back(std::move(Jwk::FromEc("P-256", Decode("j_n15BpFHX3IvE_iIduoLET0QwE27ieltp_51jEZ-iU"),
                                                Decode("Zgd9ts4ocEvZbA_9k5qUz3GFw-fk9FHn7bhATc5AOI0"),
                                                JwsAlgorithm::kES256, "fuzz-es256")).value());
    public_keys.push_back(std::move(Jwk::FromOkp("Ed25519", Decode("CzTGArM746L-4lr5teNb1obOrwG2x8s-RDSNucP7bJo"),
                                                 JwsAlgorithm::kEdDSA, "fuzz-ed25519")).value());
    std::vector<Jwk> secret;
    secret.push_back(std::move(Jwk::FromOct(Decode("ge2R89UwaRkRxDrjp-CJWKWEgBUqgOQafipks3bXCNs"),
                                            JwsAlgorithm::kHS256, "fuzz-hs256")).value());
    VerifierConfig config;
    IssuerConfig idp;
    idp.issuer = "https://idp.fuzz/";
    idp.audiences = {"trailbook"};
    idp.accepted_typ = {"trailbook+jwt", "at+jwt"};
    idp.allowed_algs = {JwsAlgorithm::kES256, JwsAlgorithm::kEdDSA};
    idp.keys = Keys(std::move(public_keys));
    IssuerConfig hmac;
    hmac.issuer = "https://hmac.fuzz/";
    hmac.audiences = {"trailbook"};
    hmac.allowed_algs = {JwsAlgorithm::kHS256};
    hmac.allow_hmac = true;
    hmac.keys = Keys(std::move(secret));
    config.issuers = {idp, hmac};
    config.cache_capacity = 64;
    return std::move(TokenVerifier::Create(config)).value().release();
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static FakeClock clock(kNow * kMicrosPerSecond);
  RequestContext ctx;
  ctx.clock = &clock;
  Verification v = Verifier().Verify(input, ctx);
  // Invariants: a principal exactly when the status is OK; the caller-facing status is
  // generic; a denial names a failed step; success means every step passed.
  if (v.principal.has_value() != v.status.ok()) __builtin_trap();
  if (!v.status.ok() && v.status.message() != "invalid token") __builtin_trap();
  if (!v.principal && v.deny_reason.empty()) __builtin_trap();
  if (v.steps.size() != 19 && !(v.from_cache && v.steps.size() == 20)) __builtin_trap();
  if (v.principal) {
    for (const VerificationStep& s : v.steps) {
      if (s.outcome != VerificationStep::Outcome::kPass) __builtin_trap();
    }
    if (v.principal->expires_at_us <= v.principal->issued_at_us) __builtin_trap();
    if (v.principal->runbooks.empty() || v.principal->subject.empty()) __builtin_trap();
  }
  // Strict base64url is canonical: whatever decodes re-encodes to the same text.
  Result<std::string> decoded = Base64UrlDecode(input);
  if (decoded.ok() && Base64UrlEncode(*decoded) != input) __builtin_trap();
  return 0;
}
