#include "auth/jwt/compact_jws.h"

#include <algorithm>
#include <array>

#include "auth/jwt/base64url.h"
#include "auth/jwt/signature.h"

namespace trailbook::auth {
namespace {

constexpr std::array<std::string_view, 3> kSegmentNames = {"header", "payload", "signature"};

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

void Add(std::vector<VerificationStep>* steps, std::string_view name,
         VerificationStep::Outcome outcome, std::string detail) {
  steps->push_back(VerificationStep{std::string(name), outcome, std::move(detail)});
}

}  // namespace

std::string_view OutcomeName(VerificationStep::Outcome outcome) {
  switch (outcome) {
    case VerificationStep::Outcome::kPass: return "pass";
    case VerificationStep::Outcome::kFail: return "fail";
    case VerificationStep::Outcome::kSkipped: return "skipped";
  }
  return "?";
}

void WriteStepsJson(std::span<const VerificationStep> steps, json::JsonWriter* w) {
  w->BeginArray();
  for (const VerificationStep& s : steps) {
    w->BeginObject();
    w->Key("name");
    w->String(s.name);
    w->Key("outcome");
    w->String(OutcomeName(s.outcome));
    if (!s.detail.empty()) {
      w->Key("detail");
      w->String(s.detail);
    }
    w->EndObject();
  }
  w->EndArray();
}

Result<CompactJws> ParseCompactJws(std::string_view token, size_t max_token_bytes) {
  CompactJws jws;
  TB_RETURN_IF_ERROR(ParseCompactJwsInto(token, max_token_bytes, &jws));
  return jws;
}

Status ParseCompactJwsInto(std::string_view token, size_t max_token_bytes, CompactJws* out) {
  if (token.empty()) return InvalidArgument("empty token");
  if (token.size() > max_token_bytes) {
    return InvalidArgument(std::string("token is ") + std::to_string(token.size()) + " bytes; limit " +
                           std::to_string(max_token_bytes));
  }
  if (token.front() == '{') {
    return InvalidArgument("JWS JSON serialization is not accepted; compact form only");
  }
  size_t dots = static_cast<size_t>(std::count(token.begin(), token.end(), '.'));
  if (dots == 4) {
    return InvalidArgument("5 segments: a JWE (encrypted token) is not accepted");
  }
  if (dots != 2) {
    return InvalidArgument(std::to_string(dots + 1) +
                           " segments; a compact JWS has exactly 3");
  }
  std::array<std::string_view, 3> segments;
  size_t start = 0;
  for (size_t i = 0; i < 3; ++i) {
    size_t end = i < 2 ? token.find('.', start) : token.size();
    segments[i] = token.substr(start, end - start);
    start = end + 1;
  }
  for (size_t i = 0; i < 3; ++i) {
    // An empty payload is a valid (empty) JWS payload; the claims step rejects it for JWTs.
    if (segments[i].empty() && i != 1) {
      return InvalidArgument(std::string("empty ") + std::string(kSegmentNames[i]) + " segment");
    }
  }
  out->signing_input = token.substr(0, segments[0].size() + 1 + segments[1].size());
  std::array<std::string*, 3> outputs = {&out->header_json, &out->payload, &out->signature};
  for (size_t i = 0; i < 3; ++i) {
    Status decoded = Base64UrlDecodeInto(segments[i], outputs[i]);
    if (!decoded.ok()) return decoded.WithContext(std::string(kSegmentNames[i]) + " segment");
  }
  return Status::OK();
}

Result<JwsAlgorithm> CheckAlgorithm(std::string_view alg, const JwsPolicy& policy) {
  if (EqualsIgnoreAsciiCase(alg, "none")) {
    return InvalidArgument(std::string("alg ") + QuoteForDetail(alg) + " (unsecured JWS) is never accepted");
  }
  std::optional<JwsAlgorithm> parsed = ParseJwsAlgorithm(alg);
  if (!parsed) {
    return InvalidArgument(std::string("alg ") + QuoteForDetail(alg) +
                           " is not a supported JWS algorithm (names are case-sensitive)");
  }
  if (std::find(policy.allowed_algs.begin(), policy.allowed_algs.end(), *parsed) ==
      policy.allowed_algs.end()) {
    return InvalidArgument(std::string("alg ") + std::string(alg) + " is not in the allow-list [" +
                           JoinAlgorithmNames(policy.allowed_algs) + "]");
  }
  if (IsHmac(*parsed) && !policy.allow_hmac) {
    return InvalidArgument(std::string("alg ") + std::string(alg) + " (HMAC) is not enabled for this issuer");
  }
  return *parsed;
}

Result<KeyLookup> SelectKey(const KeyResolver& keys, const JoseHeader& header, JwsAlgorithm alg,
                            const JwsPolicy& policy, const Clock& clock) {
  std::optional<std::string_view> kid;
  if (header.kid) kid = *header.kid;
  KeyLookup lookup = keys.Find(kid, clock);
  if (lookup.key == nullptr) return InvalidArgument(lookup.detail);
  if (lookup.key->is_symmetric() && !policy.allow_hmac) {
    return InvalidArgument(std::string("key ") + lookup.key->Describe() + " is symmetric; HMAC not enabled");
  }
  if (lookup.key->alg() != alg) {
    return InvalidArgument(std::string("key ") + lookup.key->Describe() + " is bound to " +
                           std::string(JwsAlgorithmName(lookup.key->alg())) + ", token says " +
                           std::string(JwsAlgorithmName(alg)));
  }
  return lookup;
}

Result<VerifiedJws> VerifyCompactJws(std::string_view token, const KeyResolver& keys,
                                     const JwsPolicy& policy, const Clock& clock,
                                     StrictJsonParser& parser,
                                     std::vector<VerificationStep>* steps) {
  using Outcome = VerificationStep::Outcome;
  static constexpr std::array<std::string_view, 5> kSteps = {"format", "header", "alg", "key",
                                                             "signature"};
  size_t done = 0;
  auto fail = [&](std::string detail) -> Status {
    Add(steps, kSteps[done], Outcome::kFail, std::move(detail));
    for (size_t i = done + 1; i < kSteps.size(); ++i) {
      Add(steps, kSteps[i], Outcome::kSkipped, "not evaluated");
    }
    return Unauthenticated("invalid signature");
  };
  auto pass = [&](std::string detail) { Add(steps, kSteps[done++], Outcome::kPass, std::move(detail)); };

  Result<CompactJws> jws = ParseCompactJws(token, policy.max_token_bytes);
  if (!jws.ok()) return fail(jws.status().message());
  pass(std::to_string(token.size()) + " bytes, 3 segments");
  Result<JoseHeader> header = ParseJoseHeader(jws->header_json, parser);
  if (!header.ok()) return fail(header.status().message());
  pass(std::string("alg=") + QuoteForDetail(header->alg));
  Result<JwsAlgorithm> alg = CheckAlgorithm(header->alg, policy);
  if (!alg.ok()) return fail(alg.status().message());
  pass(std::string(JwsAlgorithmName(*alg)));
  Result<KeyLookup> key = SelectKey(keys, *header, *alg, policy, clock);
  if (!key.ok()) return fail(key.status().message());
  pass(key->key->Describe());
  Status sig = VerifyJwsSignature(*key->key, *alg, jws->signing_input, jws->signature);
  if (!sig.ok()) return fail(sig.message());
  pass("valid");
  VerifiedJws out;
  out.header = std::move(header).value();
  out.alg = *alg;
  out.payload = std::move(jws->payload);
  out.key_description = key->key->Describe();
  return out;
}

}  // namespace trailbook::auth
