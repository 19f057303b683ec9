#include "auth/jwt/token_verifier.h"

#include <algorithm>
#include <array>
#include <limits>
#include <set>

#include <openssl/evp.h>

#include "auth/jwt/plain_json.h"
#include "auth/jwt/signature.h"
#include "crypto/digest.h"

namespace trailbook::auth {
namespace {

using Outcome = VerificationStep::Outcome;

constexpr std::array<std::string_view, 19> kStepNames = {
    "format", "header", "payload", "issuer", "typ",      "alg",         "key",
    "signature", "exp", "nbf",     "iat",    "lifetime", "aud",         "sub",
    "jti",    "runbooks", "scope", "constraints", "reason"};

using Detail = VerificationSteps::Detail;

// Records steps in the fixed order of kStepNames and the first failure as the deny reason.
// Passing steps are recorded as detail codes (formatted when the steps are read); failures
// are formatted at once because the deny reason needs the text.
class StepTrail {
 public:
  explicit StepTrail(Verification* v) : v_(v) {}

  void Pass(Detail detail, int64_t a = 0, int64_t b = 0) {
    v_->steps.Add(kStepNames[next_++], Outcome::kPass, detail, a, b);
  }
  void Pass(Detail detail, int64_t a, int64_t b, std::string text) {
    Add(Outcome::kPass, detail, a, b, std::move(text));
  }
  // Failures and skips are the unlikely path: kept out of line (and out of the hot code's
  // cache lines) like every failure branch of Verify.
  [[gnu::cold, gnu::noinline]] void Skip(std::string detail) { Add(Outcome::kSkipped, Detail::kText, 0, 0, std::move(detail)); }
  [[gnu::cold, gnu::noinline]] void Fail(std::string detail) {
    if (v_->deny_reason.empty()) {
      v_->deny_reason = std::string(kStepNames[next_]) + ": " + detail;
    }
    Add(Outcome::kFail, Detail::kText, 0, 0, std::move(detail));
  }
  // Fails the current step and marks every later step as skipped.
  [[gnu::cold, gnu::noinline]] void FailAndStop(std::string detail) {
    Fail(std::move(detail));
    while (next_ < kStepNames.size()) {
      v_->steps.Add(kStepNames[next_++], Outcome::kSkipped, Detail::kNotEvaluated);
    }
  }
  bool failed() const { return !v_->deny_reason.empty(); }

 private:
  void Add(Outcome outcome, Detail detail, int64_t a, int64_t b, std::string text) {
    v_->steps.Add(kStepNames[next_], outcome, detail, a, b, std::move(text));
    ++next_;
  }
  Verification* v_;
  size_t next_ = 0;
};

[[gnu::cold]] std::string Time(int64_t us) { return FormatTimestamp(us); }

// SHA-256 of the token with the digest implementation fetched once: EVP_sha256() makes
// OpenSSL 3 look the implementation up again on every call, which shows on this path.
crypto::Sha256Digest TokenDigest(std::string_view token) {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  crypto::Sha256Digest out{};
  unsigned int len = 0;
  if (kSha256 == nullptr || !ctx || EVP_DigestInit_ex2(ctx.get(), kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), token.data(), token.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    return crypto::Sha256(token);
  }
  return out;
}

[[gnu::cold]] std::string Seconds(int64_t us) { return std::to_string(us / kMicrosPerSecond) + "s"; }

template <typename Strings>
[[gnu::cold]] std::string JoinQuoted(const Strings& values) {
  std::string out;
  for (std::string_view v : values) {
    if (!out.empty()) out += ", ";
    out += QuoteForDetail(v);
  }
  return out;
}

// Checks a required claim's presence and syntax; on failure records it and returns false.
template <typename T>
bool RequiredOk(const Claim<T>& claim, std::string_view name, StepTrail* trail) {
  if (!claim.present) [[unlikely]] {
    trail->Fail(std::string("missing required claim \"") + std::string(name) + "\"");
    return false;
  }
  if (!claim.problem.empty()) [[unlikely]] {
    trail->Fail(claim.problem);
    return false;
  }
  return true;
}

// One JSON parser per thread: Verify runs concurrently and simdjson parsers are not
// thread-safe. The buffer is reused across tokens on the same thread.
StrictJsonParser& ThreadParser() {
  thread_local StrictJsonParser parser;
  return parser;
}

// The claims of the token being verified on this thread, reused so that extraction keeps
// the capacity of its vectors (its views point into ThreadParser's document).
RawClaims& ThreadClaims() {
  thread_local RawClaims claims;
  return claims;
}

// Reads a scope claim made only of known scopes separated by single spaces (the usual
// claim) into *scopes and their VerificationSteps::kScopeBits mask; returns false for any
// other claim, which ScopeSlow then handles (unknown scopes, syntax errors).
bool KnownScopesOnly(std::string_view scope, std::set<std::string, std::less<>>* scopes,
                     int64_t* mask) {
  const auto& bits = VerificationSteps::kScopeBits;
  int64_t found = 0;
  size_t start = 0;
  while (true) {
    size_t end = scope.find(' ', start);
    std::string_view token = scope.substr(start, end == std::string_view::npos ? end : end - start);
    size_t i = 0;
    while (i < bits.size() && bits[i] != token) ++i;
    if (i == bits.size()) return false;  // Unknown or empty: the general path reports it.
    found |= int64_t{1} << i;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  for (size_t i = 0; i < bits.size(); ++i) {  // Ascending = the set's order: hinted inserts.
    if ((found & (int64_t{1} << i)) != 0) scopes->emplace_hint(scopes->end(), bits[i]);
  }
  *mask = found;
  return true;
}

// The general path of the scope step: ParseScope, recording unknown scopes or the error.
[[gnu::cold, gnu::noinline]] void ScopeSlow(std::string_view scope,
                                            std::set<std::string, std::less<>>* scopes,
                                            StepTrail* trail) {
  std::vector<std::string> ignored;
  Result<std::set<std::string, std::less<>>> parsed = ParseScope(scope, &ignored);
  if (!parsed.ok()) {
    trail->Fail(parsed.status().message());
    return;
  }
  *scopes = std::move(parsed).value();
  trail->Pass(Detail::kScope, VerificationSteps::ScopeMask(*scopes), 0,
              ignored.empty() ? std::string()
                              : std::string("; ignored unknown [") + JoinQuoted(ignored) + "]");
}

// The general path of the header step: StrictJsonParser and ParseJoseHeader. On failure
// records it (and skips every later step) and returns false.
[[gnu::cold, gnu::noinline]] bool ParseHeaderSlow(std::string_view json, JoseHeader* out,
                                                  StepTrail* trail) {
  Result<JoseHeader> header = ParseJoseHeader(json, ThreadParser());
  if (!header.ok()) {
    trail->FailAndStop(header.status().message());
    return false;
  }
  *out = std::move(header).value();
  return true;
}

// The general path of the payload step: StrictJsonParser and ExtractClaims into *claims
// (views into ThreadParser's document). On failure records it and returns false.
[[gnu::cold, gnu::noinline]] bool ExtractClaimsSlow(std::string_view json, RawClaims* claims,
                                                    StepTrail* trail) {
  Result<simdjson::dom::element> root = ThreadParser().Parse(json, kMaxPayloadDepth);
  if (!root.ok()) {
    trail->FailAndStop(std::string("claims: ") + root.status().message());
    return false;
  }
  simdjson::dom::object payload;
  if (root->get_object().get(payload) != simdjson::SUCCESS) {
    trail->FailAndStop(std::string("claims are a JSON ") + std::string(JsonTypeName(*root)) +
                       ", not an object");
    return false;
  }
  ExtractClaims(payload, claims);
  return true;
}

}  // namespace

Result<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(VerifierConfig config) {
  if (config.issuers.empty()) return InvalidArgument("verifier: no issuer configured");
  if (config.max_token_bytes == 0 || config.max_token_bytes > 64 * 1024) {
    return InvalidArgument("verifier: max_token_bytes must be in [1, 65536]");
  }
  std::set<std::string_view> seen;
  for (const IssuerConfig& issuer : config.issuers) {
    std::string where = std::string("verifier: issuer ") + QuoteForDetail(issuer.issuer, 128) + ": ";
    if (issuer.issuer.empty()) return InvalidArgument("verifier: issuer with an empty name");
    if (!seen.insert(issuer.issuer).second) return InvalidArgument(where + "configured twice");
    if (issuer.audiences.empty()) return InvalidArgument(where + "no audience configured");
    if (issuer.accepted_typ.empty()) return InvalidArgument(where + "no accepted typ");
    if (issuer.allowed_algs.empty()) return InvalidArgument(where + "allowed_algs is empty");
    for (JwsAlgorithm alg : issuer.allowed_algs) {
      if (IsHmac(alg) && !issuer.allow_hmac) {
        return InvalidArgument(where + std::string(JwsAlgorithmName(alg)) +
                               " is listed but allow_hmac is off");
      }
    }
    if (issuer.leeway_us < 0 || issuer.leeway_us > kMaxLeewayUs) {
      return InvalidArgument(where + "leeway must be between 0 and 60 s");
    }
    if (issuer.max_lifetime_us <= 0) return InvalidArgument(where + "max lifetime must be > 0");
    if (!issuer.keys) return InvalidArgument(where + "no key source");
  }
  return std::unique_ptr<TokenVerifier>(new TokenVerifier(std::move(config)));
}

TokenVerifier::TokenVerifier(VerifierConfig config) : max_token_bytes_(config.max_token_bytes) {
  for (IssuerConfig& issuer : config.issuers) {
    JwsPolicy policy;
    policy.allowed_algs = issuer.allowed_algs;
    policy.allow_hmac = issuer.allow_hmac;
    policy.max_token_bytes = config.max_token_bytes;
    issuers_.push_back(Issuer{std::move(issuer), std::move(policy)});
  }
  if (config.cache_capacity > 0) {
    cache_ = std::make_unique<VerifiedTokenCache>(config.cache_capacity);
  }
}

const TokenVerifier::Issuer* TokenVerifier::FindIssuer(std::string_view iss) const {
  for (const Issuer& issuer : issuers_) {
    if (issuer.config.issuer == iss) return &issuer;
  }
  return nullptr;
}

void TokenVerifier::ClearCache() const {
  if (cache_) cache_->Clear();
}

bool TokenVerifier::FromCache(std::string_view token, int64_t now, crypto::Sha256Digest* digest,
                              Verification* v) const {
  const bool hashable = !token.empty() && token.size() <= max_token_bytes_;
  if (!hashable) return false;
  *digest = TokenDigest(token);
  v->token_sha256 = crypto::ToHex(*digest);
  if (!cache_) return false;
  std::shared_ptr<const VerifiedTokenCache::Entry> hit = cache_->Lookup(*digest, now);
  if (!hit) return false;
  v->principal = hit->principal;
  v->status = Status::OK();
  v->key_id = hit->principal.key_id;
  v->alg = hit->principal.alg;
  v->issuer = hit->principal.issuer;
  v->from_cache = true;
  v->steps.Reserve(hit->steps.size() + 1);
  v->steps.Add("cache", Outcome::kPass, Detail::kCache, hit->verified_at_us, now);
  v->steps.Append(hit->steps);
  return true;
}

std::optional<Verification> TokenVerifier::VerifyCached(std::string_view token,
                                                        const RequestContext& ctx) const {
  Verification v;
  crypto::Sha256Digest digest{};
  if (!FromCache(token, ctx.clock->NowMicros(), &digest, &v)) return std::nullopt;
  return v;
}

Verification TokenVerifier::Verify(std::string_view token, const RequestContext& ctx) const {
  const Clock& clock = *ctx.clock;
  const int64_t now = clock.NowMicros();
  Verification v;
  v.status = Unauthenticated("invalid token");

  crypto::Sha256Digest digest{};
  const bool hashable = !token.empty() && token.size() <= max_token_bytes_;
  if (FromCache(token, now, &digest, &v)) return v;

  v.steps.Reserve(kStepNames.size());
  StepTrail trail(&v);

  // format (decoded into this thread's buffers, reused across tokens)
  thread_local CompactJws thread_jws;
  CompactJws* jws = &thread_jws;
  if (Status format = ParseCompactJwsInto(token, max_token_bytes_, jws); !format.ok()) [[unlikely]] {
    trail.FailAndStop(format.message());
    return v;
  }
  trail.Pass(Detail::kBytes, static_cast<int64_t>(token.size()));

  // header: the plain-JSON reader decides the usual header in one pass; anything else
  // (including every header that is rejected) takes the general strict parser.
  thread_local JoseHeader thread_header;
  JoseHeader* header = &thread_header;
  if (!ReadPlainJoseHeader(jws->header_json, header)) [[unlikely]] {
    if (!ParseHeaderSlow(jws->header_json, header, &trail)) return v;
  }
  v.alg = header->alg.substr(0, 32);
  if (header->kid) v.key_id = *header->kid;
  trail.Pass(header->kid ? Detail::kKidPresent : Detail::kNoKid);  // alg, kid: Verification.

  // payload (as the header: plain JSON in one pass, else the general path)
  RawClaims& claims = ThreadClaims();
  if (!ReadPlainClaims(jws->payload, &claims)) [[unlikely]] {
    if (!ExtractClaimsSlow(jws->payload, &claims, &trail)) return v;
  }
  trail.Pass(Detail::kBytes, static_cast<int64_t>(jws->payload.size()));

  // issuer (chosen from the not yet verified "iss"; confirmed by the issuer's key below)
  if (!claims.iss.present) [[unlikely]] {
    trail.FailAndStop("missing required claim \"iss\"");
    return v;
  }
  if (!claims.iss.problem.empty()) [[unlikely]] {
    trail.FailAndStop(claims.iss.problem);
    return v;
  }
  v.issuer = claims.iss.value;
  const Issuer* issuer = FindIssuer(claims.iss.value);
  if (issuer == nullptr) [[unlikely]] {
    trail.FailAndStop(std::string("issuer ") + QuoteForDetail(claims.iss.value, 128) + " is not configured");
    return v;
  }
  trail.Pass(Detail::kConfigured);  // The issuer is in Verification::issuer.
  const IssuerConfig& config = issuer->config;

  // typ
  if (!header->typ) [[unlikely]] {
    trail.FailAndStop(std::string("header has no \"typ\"; accepted: ") + JoinQuoted(config.accepted_typ));
    return v;
  }
  bool typ_ok = std::any_of(config.accepted_typ.begin(), config.accepted_typ.end(),
                            [&](const std::string& t) { return TypMatches(*header->typ, t); });
  if (!typ_ok) [[unlikely]] {
    trail.FailAndStop(std::string("typ ") + QuoteForDetail(*header->typ) + " is not accepted; accepted: " +
                      JoinQuoted(config.accepted_typ));
    return v;
  }
  trail.Pass(Detail::kQuoted, 0, 0, *header->typ);

  // alg
  Result<JwsAlgorithm> alg = CheckAlgorithm(header->alg, issuer->policy);
  if (!alg.ok()) [[unlikely]] {
    trail.FailAndStop(alg.status().message());
    return v;
  }
  trail.Pass(Detail::kAlgorithm, static_cast<int64_t>(*alg));

  // key
  Result<KeyLookup> key = SelectKey(*config.keys, *header, *alg, issuer->policy, clock);
  if (!key.ok()) [[unlikely]] {
    trail.FailAndStop(key.status().message());
    return v;
  }
  v.steps.SetKey(key->set, key->key);
  trail.Pass(Detail::kKey);

  // signature
  Status signature = VerifyJwsSignature(*key->key, *alg, jws->signing_input, jws->signature);
  if (!signature.ok()) [[unlikely]] {
    trail.FailAndStop(signature.message());
    return v;
  }
  trail.Pass(Detail::kValid);

  // Claims: every step is evaluated so the audit record shows all problems.
  const int64_t leeway = config.leeway_us;
  if (RequiredOk(claims.exp, "exp", &trail)) {
    int64_t exp_us = claims.exp.value * kMicrosPerSecond;
    if (now >= exp_us + leeway) [[unlikely]] {
      trail.Fail(std::string("expired at ") + Time(exp_us) + " (now " + Time(now) + ", leeway " +
                 Seconds(leeway) + ")");
    } else {
      trail.Pass(Detail::kRelative, claims.exp.value, now);
    }
  }
  if (!claims.nbf.present) {
    trail.Pass(Detail::kAbsent);
  } else if (!claims.nbf.problem.empty()) [[unlikely]] {
    trail.Fail(claims.nbf.problem);
  } else if (claims.nbf.value * kMicrosPerSecond > now + leeway) [[unlikely]] {
    trail.Fail(std::string("not valid before ") + Time(claims.nbf.value * kMicrosPerSecond) + " (now " +
               Time(now) + ", leeway " + Seconds(leeway) + ")");
  } else {
    trail.Pass(Detail::kRelative, claims.nbf.value, now);
  }
  if (RequiredOk(claims.iat, "iat", &trail)) {
    int64_t iat_us = claims.iat.value * kMicrosPerSecond;
    if (iat_us > now + leeway) [[unlikely]] {
      trail.Fail(std::string("issued in the future at ") + Time(iat_us) + " (now " + Time(now) + ", leeway " +
                 Seconds(leeway) + ")");
    } else {
      trail.Pass(Detail::kRelative, claims.iat.value, now);
    }
  }
  if (!claims.exp.ok() || !claims.iat.ok()) [[unlikely]] {
    trail.Skip("needs valid exp and iat");
  } else {
    int64_t lifetime = (claims.exp.value - claims.iat.value) * kMicrosPerSecond;
    if (lifetime <= 0) [[unlikely]] {
      trail.Fail("exp is not after iat");
    } else if (lifetime > config.max_lifetime_us) [[unlikely]] {
      trail.Fail(std::string("lifetime ") + Seconds(lifetime) + " exceeds the cap of " +
                 Seconds(config.max_lifetime_us));
    } else {
      trail.Pass(Detail::kLifetime, lifetime, config.max_lifetime_us);
    }
  }
  if (RequiredOk(claims.aud, "aud", &trail)) {
    auto match = std::find_first_of(claims.aud.value.begin(), claims.aud.value.end(),
                                    config.audiences.begin(), config.audiences.end());
    if (match == claims.aud.value.end()) [[unlikely]] {
      trail.Fail(std::string("aud [") + JoinQuoted(claims.aud.value) + "] contains none of [" +
                 JoinQuoted(config.audiences) + "]");
    } else {
      trail.Pass(Detail::kQuoted, 0, 0, std::string(*match));
    }
  }
  // Values of passing identity claims are in the Principal; the details stay short.
  if (RequiredOk(claims.sub, "sub", &trail)) trail.Pass(Detail::kPresent);
  if (RequiredOk(claims.jti, "jti", &trail)) trail.Pass(Detail::kPresent);
  if (RequiredOk(claims.runbooks, "runbooks", &trail)) {
    trail.Pass(Detail::kEntries, static_cast<int64_t>(claims.runbooks.value.size()));
  }
  std::set<std::string, std::less<>> scopes;
  if (!claims.scope.present) {
    trail.Pass(Detail::kNoScope);
  } else if (!claims.scope.problem.empty()) [[unlikely]] {
    trail.Fail(claims.scope.problem);
  } else if (int64_t mask = 0; KnownScopesOnly(claims.scope.value, &scopes, &mask)) [[likely]] {
    trail.Pass(Detail::kScope, mask, 0, std::string());
  } else {
    ScopeSlow(claims.scope.value, &scopes, &trail);
  }
  if (!claims.constraints.present) {
    trail.Pass(Detail::kNoConstraints);
  } else if (!claims.constraints.problem.empty()) [[unlikely]] {
    trail.Fail(claims.constraints.problem);
  } else {
    const RawConstraints& c = claims.constraints.value;
    v.steps.SetConstraints(ConstraintSummary{c.accounts.size(), c.regions.size(), c.max_window_us,
                                             c.event_time_after_us, c.event_time_before_us});
    trail.Pass(Detail::kConstraints);
  }
  if (!claims.reason.present) {
    trail.Pass(Detail::kAbsent);
  } else if (!claims.reason.problem.empty()) [[unlikely]] {
    trail.Fail(claims.reason.problem);
  } else {
    trail.Pass(Detail::kPresent);
  }
  if (trail.failed()) [[unlikely]] return v;

  // Built in place: the Principal is large and moving it costs a pass over all its members.
  Principal& p = v.principal.emplace();
  p.subject = claims.sub.value;
  p.issuer = config.issuer;
  p.token_id = claims.jti.value;
  p.audiences.assign(claims.aud.value.begin(), claims.aud.value.end());
  p.runbooks.assign(claims.runbooks.value.begin(), claims.runbooks.value.end());
  p.scopes = std::move(scopes);
  p.constraints = claims.constraints.value.ToConstraints();
  p.issued_at_us = claims.iat.value * kMicrosPerSecond;
  p.expires_at_us = claims.exp.value * kMicrosPerSecond;
  if (claims.nbf.present) p.not_before_us = claims.nbf.value * kMicrosPerSecond;
  if (claims.reason.present) p.reason = std::string(claims.reason.value);
  p.key_id = key->key->kid().value_or("");
  p.alg = std::string(JwsAlgorithmName(*alg));
  p.token_sha256 = v.token_sha256;
  v.status = Status::OK();

  if (cache_ && hashable) {
    auto entry = std::make_shared<VerifiedTokenCache::Entry>();
    entry->principal = *v.principal;
    entry->steps = v.steps;
    entry->verified_at_us = now;
    entry->valid_from_us = entry->principal.not_before_us
                               ? *entry->principal.not_before_us - leeway
                               : std::numeric_limits<int64_t>::min();
    entry->valid_until_us = entry->principal.expires_at_us + leeway;
    cache_->Insert(digest, std::move(entry), now);
  }
  return v;
}

}  // namespace trailbook::auth
