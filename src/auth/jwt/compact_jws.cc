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

namespace {

// Why a token fails the format step before decoding (cold: out of the accepting path).
[[gnu::cold, gnu::noinline]] Status FormatError(std::string_view token, size_t max_token_bytes) {
  if (token.empty()) return InvalidArgument("empty token");
  if (token.size() > max_token_bytes) {
    return InvalidArgument(std::string("token is ") + std::to_string(token.size()) + " bytes; limit " +
                           std::to_string(max_token_bytes));
  }
  if (token.front() == '{') {
    return InvalidArgument("JWS JSON serialization is not accepted; compact form only");
  }
  const auto dots = static_cast<size_t>(std::count(token.begin(), token.end(), '.'));
  if (dots == 4) return InvalidArgument("5 segments: a JWE (encrypted token) is not accepted");
  if (dots != 2) {
    return InvalidArgument(std::to_string(dots + 1) + " segments; a compact JWS has exactly 3");
  }
  const size_t first = token.find('.');
  // An empty payload is a valid (empty) JWS payload; the claims step rejects it for JWTs.
  if (first == 0) return InvalidArgument("empty header segment");
  return InvalidArgument("empty signature segment");
}

[[gnu::cold, gnu::noinline]] Status SegmentError(const Status& decoded, size_t segment) {
  return decoded.WithContext(std::string(kSegmentNames[segment]) + " segment");
}

}  // namespace

Status ParseCompactJwsInto(std::string_view token, size_t max_token_bytes, CompactJws* out) {
  // The accepting path: 1..max bytes, not '{', exactly two dots, non-empty header and
  // signature. FormatError words every other case.
  const size_t first = token.empty() ? std::string_view::npos : token.find('.');
  const size_t second =
      first == std::string_view::npos ? std::string_view::npos : token.find('.', first + 1);
  if (token.size() > max_token_bytes || second == std::string_view::npos || first == 0 ||
      second + 1 == token.size() || token.front() == '{' ||
      token.find('.', second + 1) != std::string_view::npos) [[unlikely]] {
    return FormatError(token, max_token_bytes);
  }
  const std::array<std::string_view, 3> segments = {token.substr(0, first),
                                                    token.substr(first + 1, second - first - 1),
                                                    token.substr(second + 1)};
  out->signing_input = token.substr(0, second);
  std::array<std::string*, 3> outputs = {&out->header_json, &out->payload, &out->signature};
  for (size_t i = 0; i < 3; ++i) {
    Status decoded = Base64UrlDecodeInto(segments[i], outputs[i]);
    if (!decoded.ok()) [[unlikely]] return SegmentError(decoded, i);
  }
  return Status::OK();
}

namespace {

// Why CheckAlgorithm rejects `alg`: out of line and cold, so that the accepting path stays
// a few cache lines (it runs right after a signature verification has evicted it).
enum class AlgProblem { kNone, kUnsupported, kNotAllowed, kHmacOff };
[[gnu::cold, gnu::noinline]] Status AlgorithmError(AlgProblem problem, std::string_view alg,
                                                   const JwsPolicy& policy) {
  switch (problem) {
    case AlgProblem::kNone:
      return InvalidArgument(std::string("alg ") + QuoteForDetail(alg) +
                             " (unsecured JWS) is never accepted");
    case AlgProblem::kUnsupported:
      return InvalidArgument(std::string("alg ") + QuoteForDetail(alg) +
                             " is not a supported JWS algorithm (names are case-sensitive)");
    case AlgProblem::kNotAllowed:
      return InvalidArgument(std::string("alg ") + std::string(alg) + " is not in the allow-list [" +
                             JoinAlgorithmNames(policy.allowed_algs) + "]");
    case AlgProblem::kHmacOff:
      break;
  }
  return InvalidArgument(std::string("alg ") + std::string(alg) +
                         " (HMAC) is not enabled for this issuer");
}

// Why SelectKey rejects the key it found (cold, as AlgorithmError): a symmetric key while
// HMAC is off (checked first), else a key bound to another algorithm.
[[gnu::cold, gnu::noinline]] Status KeyError(const Jwk& key, JwsAlgorithm alg, bool hmac_off) {
  if (hmac_off) {
    return InvalidArgument(std::string("key ") + key.Describe() + " is symmetric; HMAC not enabled");
  }
  return InvalidArgument(std::string("key ") + key.Describe() + " is bound to " +
                         std::string(JwsAlgorithmName(key.alg())) + ", token says " +
                         std::string(JwsAlgorithmName(alg)));
}

}  // namespace

Result<JwsAlgorithm> CheckAlgorithm(std::string_view alg, const JwsPolicy& policy) {
  if (EqualsIgnoreAsciiCase(alg, "none")) [[unlikely]] {
    return AlgorithmError(AlgProblem::kNone, alg, policy);
  }
  std::optional<JwsAlgorithm> parsed = ParseJwsAlgorithm(alg);
  if (!parsed) [[unlikely]] return AlgorithmError(AlgProblem::kUnsupported, alg, policy);
  if (std::find(policy.allowed_algs.begin(), policy.allowed_algs.end(), *parsed) ==
      policy.allowed_algs.end()) [[unlikely]] {
    return AlgorithmError(AlgProblem::kNotAllowed, alg, policy);
  }
  if (IsHmac(*parsed) && !policy.allow_hmac) [[unlikely]] {
    return AlgorithmError(AlgProblem::kHmacOff, alg, policy);
  }
  return *parsed;
}

Result<KeyLookup> SelectKey(const KeyResolver& keys, const JoseHeader& header, JwsAlgorithm alg,
                            const JwsPolicy& policy, const Clock& clock) {
  std::optional<std::string_view> kid;
  if (header.kid) kid = *header.kid;
  KeyLookup lookup = keys.Find(kid, clock);
  if (lookup.key == nullptr) [[unlikely]] return InvalidArgument(lookup.detail);
  const bool hmac_off = lookup.key->is_symmetric() && !policy.allow_hmac;
  if (hmac_off || lookup.key->alg() != alg) [[unlikely]] return KeyError(*lookup.key, alg, hmac_off);
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
