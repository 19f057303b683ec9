#include "auth/jwt/testing/token_factory.h"

#include "auth/jwt/base64url.h"
#include "base/check.h"

namespace trailbook::auth::testing {

ClaimSet ClaimSet::Valid(int64_t now_s) {
  ClaimSet c;
  c.Set("iss", std::string("\"") + std::string(kTestIssuer) + "\"");
  c.Set("aud", std::string("\"") + std::string(kTestAudience) + "\"");
  c.Set("sub", "\"alice@example.com\"");
  c.Set("jti", "\"0f8fad5b-d9cb-469f-a165-70867728950e\"");
  c.Set("iat", std::to_string(now_s));
  c.Set("exp", std::to_string(now_s + 600));
  c.Set("runbooks", "[\"ir.principal-activity\",\"detect.*\"]");
  c.Set("scope", "\"runbook:run snapshot:read\"");
  return c;
}

ClaimSet& ClaimSet::Set(std::string_view name, std::string_view raw_json) {
  for (auto& [n, v] : members_) {
    if (n == name) {
      v = std::string(raw_json);
      return *this;
    }
  }
  return Append(name, raw_json);
}

ClaimSet& ClaimSet::Append(std::string_view name, std::string_view raw_json) {
  members_.emplace_back(std::string(name), std::string(raw_json));
  return *this;
}

ClaimSet& ClaimSet::Remove(std::string_view name) {
  std::erase_if(members_, [&](const auto& m) { return m.first == name; });
  return *this;
}

std::string ClaimSet::ToJson() const {
  std::string out = "{";
  for (const auto& [name, value] : members_) {
    if (out.size() > 1) out += ",";
    out += std::string("\"") + name + "\":" + value;
  }
  return out + "}";
}

namespace {
Signer MustGenerate(JwsAlgorithm alg, std::string kid) {
  Result<Signer> signer = Signer::Generate(alg, std::move(kid), 2048);
  TB_CHECK(signer.ok()) << signer.status().ToString();
  return std::move(signer).value();
}
}  // namespace

TokenFactory::TokenFactory(JwsAlgorithm alg, std::string kid)
    : signer_(MustGenerate(alg, std::move(kid))) {
  Result<Jwk> key = IsHmac(alg) ? Jwk::FromOct(signer_.verification_key().k(), alg, signer_.kid())
                                : Jwk::FromEvpPublicKey(signer_.verification_key().pkey(), alg,
                                                        signer_.kid());
  TB_CHECK(key.ok()) << key.status().ToString();
  std::vector<Jwk> keys;
  keys.push_back(std::move(key).value());
  Result<JwkSet> set = JwkSet::Create(std::move(keys));
  TB_CHECK(set.ok()) << set.status().ToString();
  resolver_ = std::make_shared<StaticKeyResolver>(std::move(set).value());
}

std::string TokenFactory::Header() const {
  return std::string("{\"alg\":\"") + std::string(JwsAlgorithmName(signer_.alg())) +
         "\",\"typ\":\"trailbook+jwt\",\"kid\":\"" + signer_.kid().value_or("") + "\"}";
}

std::string TokenFactory::Sign(std::string_view header_json, std::string_view payload_json) const {
  std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  Result<std::string> sig = signer_.Sign(input);
  TB_CHECK(sig.ok()) << sig.status().ToString();
  return input + "." + Base64UrlEncode(*sig);
}

std::string TokenFactory::WithSignature(std::string_view token, std::string_view signature) {
  size_t dot = token.rfind('.');
  return std::string(token.substr(0, dot + 1)) + Base64UrlEncode(signature);
}

IssuerConfig TestIssuerConfig(std::shared_ptr<const KeyResolver> keys, JwsAlgorithm alg) {
  IssuerConfig config;
  config.issuer = std::string(kTestIssuer);
  config.audiences = {std::string(kTestAudience)};
  config.allowed_algs = {alg};
  config.allow_hmac = IsHmac(alg);
  config.keys = std::move(keys);
  return config;
}

std::string FailedStep(const Verification& v) {
  for (const VerificationStep& step : v.steps) {
    if (step.outcome == VerificationStep::Outcome::kFail) return step.name;
  }
  return "";
}

}  // namespace trailbook::auth::testing
