// `trailbook token mint` and `trailbook token inspect`: issue a short-lived investigation
// token with a local signing key, and show (and with keys, verify step by step) a token.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "auth/jwks/jwks_cache.h"
#include "auth/jwks/key_files.h"
#include "auth/jwt/base64url.h"
#include "auth/jwt/strict_json.h"
#include "auth/jwt/token_builder.h"
#include "auth/jwt/token_verifier.h"
#include "base/timestamp.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "io/file.h"
#include "json/json_writer.h"

namespace trailbook::cli {
namespace {

struct MintFlags {
  std::string key;
  std::string iss;
  std::vector<std::string> aud = {"trailbook"};
  std::string sub;
  std::vector<std::string> runbooks;
  std::string ttl = "15m";
  std::string max_lifetime;
  std::vector<std::string> accounts;
  std::vector<std::string> regions;
  std::string max_window;
  std::string event_time_after;
  std::string event_time_before;
  std::string scope = "runbook:run";
  std::string reason;
  std::string jti;
  std::string typ = "trailbook+jwt";
};

struct InspectFlags {
  std::string token;
  std::string jwks;
  std::string issuer;
  std::vector<std::string> audience = {"trailbook"};
  std::vector<std::string> typ;
  std::vector<std::string> algs;
  bool allow_hmac = false;
  std::string rsa_default_alg;
  std::string max_lifetime;
  std::string leeway = "30s";
  std::string ca_file;
  bool json = false;
};

int Usage(const char* command, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", command, message.c_str());
  return ToInt(ExitCode::kUsage);
}

int RunMint(const MintFlags& f) {
  const char* kCmd = "token mint";
  Result<int64_t> ttl = ParseDuration(f.ttl);
  if (!ttl.ok()) return Usage(kCmd, std::string("--ttl: ") + ttl.status().message());
  int64_t cap = auth::kDefaultMaxLifetimeUs;
  if (!f.max_lifetime.empty()) {
    Result<int64_t> parsed = ParseDuration(f.max_lifetime);
    if (!parsed.ok()) return Usage(kCmd, std::string("--max-lifetime: ") + parsed.status().message());
    cap = *parsed;
  }
  if (*ttl > cap) {
    return Usage(kCmd, std::string("--ttl ") + f.ttl + " exceeds the maximum token lifetime of " +
                           FormatDuration(cap) +
                           " (verifiers reject longer tokens; pass --max-lifetime if yours allows it)");
  }
  auth::TokenSpec spec;
  spec.typ = f.typ;
  spec.issuer = f.iss;
  spec.audiences = f.aud;
  spec.subject = f.sub;
  spec.runbooks = f.runbooks;
  spec.token_id = f.jti;
  spec.ttl_us = *ttl;
  spec.issued_at_us = SystemClock().NowMicros();
  if (!f.reason.empty()) spec.reason = f.reason;
  size_t start = 0;
  while (start < f.scope.size()) {
    size_t end = f.scope.find(' ', start);
    if (end == std::string::npos) end = f.scope.size();
    if (end > start) spec.scopes.push_back(f.scope.substr(start, end - start));
    start = end + 1;
  }
  spec.constraints.accounts = f.accounts;
  spec.constraints.regions = f.regions;
  if (!f.max_window.empty()) {
    Result<int64_t> window = ParseDuration(f.max_window);
    if (!window.ok()) return Usage(kCmd, std::string("--max-window: ") + window.status().message());
    spec.constraints.max_window_us = *window;
  }
  for (auto [flag, text, out] : {std::tuple{"--event-time-after", &f.event_time_after,
                                            &spec.constraints.event_time_after_us},
                                 std::tuple{"--event-time-before", &f.event_time_before,
                                            &spec.constraints.event_time_before_us}}) {
    if (text->empty()) continue;
    Result<int64_t> t = auth::ParseRfc3339(*text);
    if (!t.ok()) return Usage(kCmd, std::string(flag) + ": " + t.status().message());
    *out = *t;
  }
  Result<auth::Signer> signer = auth::LoadSigningKeyFile(f.key);
  if (!signer.ok()) {
    std::fprintf(stderr, "%s: %s\n", kCmd, signer.status().ToString().c_str());
    return signer.status().code() == StatusCode::kIOError ? ToInt(ExitCode::kFailure)
                                                         : ToInt(ExitCode::kUsage);
  }
  Result<std::string> token = auth::MintToken(spec, *signer);
  if (!token.ok()) {
    if (token.status().code() == StatusCode::kInvalidArgument) {
      return Usage(kCmd, token.status().message());
    }
    std::fprintf(stderr, "%s: %s\n", kCmd, token.status().ToString().c_str());
    return ToInt(ExitCode::kFailure);
  }
  std::printf("%s\n", token->c_str());
  return ToInt(ExitCode::kOk);
}

// Writes a parsed JSON value through `w` (for pretty-printing decoded token parts).
void WriteElement(json::JsonWriter& w, const simdjson::dom::element& e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      w.BeginObject();
      simdjson::dom::object object;
      if (e.get_object().get(object) == simdjson::SUCCESS) {
        for (simdjson::dom::key_value_pair field : object) {
          w.Key(field.key);
          WriteElement(w, field.value);
        }
      }
      w.EndObject();
      return;
    }
    case element_type::ARRAY: {
      w.BeginArray();
      simdjson::dom::array array;
      if (e.get_array().get(array) == simdjson::SUCCESS) {
        for (simdjson::dom::element item : array) WriteElement(w, item);
      }
      w.EndArray();
      return;
    }
    case element_type::STRING: {
      std::string_view s;
      (void)!e.get_string().get(s);
      w.String(s);
      return;
    }
    case element_type::INT64: {
      int64_t v = 0;
      (void)!e.get_int64().get(v);
      w.Int(v);
      return;
    }
    case element_type::UINT64: {
      uint64_t v = 0;
      (void)!e.get_uint64().get(v);
      w.UInt(v);
      return;
    }
    case element_type::DOUBLE: {
      double v = 0;
      (void)!e.get_double().get(v);
      w.Double(v);
      return;
    }
    case element_type::BOOL: {
      bool v = false;
      (void)!e.get_bool().get(v);
      w.Bool(v);
      return;
    }
    case element_type::NULL_VALUE:
      w.Null();
      return;
  }
}

// A decoded token segment for display: strict JSON (re-serialized) or the reason it is not.
struct DecodedPart {
  bool ok = false;
  std::string pretty;   // Pretty JSON when ok.
  std::string compact;  // Compact JSON when ok.
  std::string problem;  // Why it cannot be shown as JSON.
  std::string raw;      // The decoded bytes.
};

DecodedPart Decode(std::string_view segment) {
  DecodedPart part;
  Result<std::string> bytes = auth::Base64UrlDecode(segment);
  if (!bytes.ok()) {
    part.problem = bytes.status().message();
    return part;
  }
  part.raw = *bytes;
  auth::StrictJsonParser parser;
  Result<simdjson::dom::element> root = parser.Parse(part.raw, 16);
  if (!root.ok()) {
    part.problem = root.status().message();
    return part;
  }
  json::JsonWriter pretty(/*pretty=*/true);
  WriteElement(pretty, *root);
  json::JsonWriter compact;
  WriteElement(compact, *root);
  part.pretty = pretty.str();
  part.compact = compact.str();
  part.ok = true;
  return part;
}

std::string Indent(const std::string& text) {
  std::string out = "  ";
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += "  ";
  }
  return out;
}

// Reads the unverified "iss" of the payload (only to pick the issuer when --issuer is absent).
std::string UnverifiedIssuer(const DecodedPart& claims) {
  if (!claims.ok) return "";
  auth::StrictJsonParser parser;
  Result<simdjson::dom::element> root = parser.Parse(claims.raw, 16);
  std::string_view iss;
  if (!root.ok() || (*root)["iss"].get_string().get(iss) != simdjson::SUCCESS) return "";
  return std::string(iss);
}

int RunInspect(const InspectFlags& f) {
  const char* kCmd = "token inspect";
  std::string token = f.token;
  if (token == "-") {
    Result<std::string> in = io::ReadStdin(64 * 1024);
    if (!in.ok()) return Usage(kCmd, in.status().message());
    token = *in;
  }
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  std::vector<std::string_view> segments;
  size_t start = 0;
  for (size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    segments.push_back(std::string_view(token).substr(start, dot - start));
  }
  segments.push_back(std::string_view(token).substr(start));
  DecodedPart header = segments.size() >= 1 ? Decode(segments[0]) : DecodedPart{};
  DecodedPart claims = segments.size() >= 2 ? Decode(segments[1]) : DecodedPart{};

  std::optional<auth::Verification> verdict;
  std::string issuer_note;
  if (!f.jwks.empty()) {
    auth::KeySourceConfig source;
    bool is_url = f.jwks.rfind("https://", 0) == 0 || f.jwks.rfind("http://", 0) == 0;
    (is_url ? source.jwks_url : source.jwks_file) = f.jwks;
    source.https.ca_file = f.ca_file;
    source.cache.background_refresh = false;
    source.cache.parse.allow_symmetric = f.allow_hmac;
    if (!f.rsa_default_alg.empty()) {
      source.cache.parse.default_rsa_alg = auth::ParseJwsAlgorithm(f.rsa_default_alg);
      if (!source.cache.parse.default_rsa_alg) return Usage(kCmd, "--rsa-default-alg: unknown algorithm");
    }
    Result<std::shared_ptr<auth::JwksCache>> keys = auth::JwksCache::Open(source, SystemClock());
    if (!keys.ok()) {
      bool symmetric = keys.status().message().find("symmetric") != std::string::npos;
      std::fprintf(stderr, "%s: %s%s\n", kCmd, keys.status().ToString().c_str(),
                   symmetric && !f.allow_hmac ? " (for an HMAC secret JWKS pass --allow-hmac)" : "");
      return ToInt(ExitCode::kFailure);
    }
    auth::IssuerConfig issuer;
    issuer.issuer = f.issuer;
    if (issuer.issuer.empty()) {
      issuer.issuer = UnverifiedIssuer(claims);
      issuer_note = "issuer taken from the token itself; pass --issuer to pin it";
      if (issuer.issuer.empty()) issuer.issuer = "(none)";
    }
    issuer.audiences = f.audience;
    if (!f.typ.empty()) issuer.accepted_typ = f.typ;
    issuer.allow_hmac = f.allow_hmac;
    for (const std::string& name : f.algs) {
      std::optional<auth::JwsAlgorithm> alg = auth::ParseJwsAlgorithm(name);
      if (!alg) return Usage(kCmd, std::string("--alg: unsupported algorithm ") + name);
      issuer.allowed_algs.push_back(*alg);
    }
    if (issuer.allowed_algs.empty()) {  // Default: the algorithms the loaded keys are bound to.
      for (const auth::Jwk& key : (*keys)->current()->keys()) {
        if (std::find(issuer.allowed_algs.begin(), issuer.allowed_algs.end(), key.alg()) ==
            issuer.allowed_algs.end()) {
          issuer.allowed_algs.push_back(key.alg());
        }
      }
    }
    if (!f.max_lifetime.empty()) {
      Result<int64_t> cap = ParseDuration(f.max_lifetime);
      if (!cap.ok()) return Usage(kCmd, std::string("--max-lifetime: ") + cap.status().message());
      issuer.max_lifetime_us = *cap;
    }
    Result<int64_t> leeway = ParseDuration(f.leeway);
    if (!leeway.ok()) return Usage(kCmd, std::string("--leeway: ") + leeway.status().message());
    issuer.leeway_us = *leeway;
    issuer.keys = *keys;
    auth::VerifierConfig config;
    config.issuers.push_back(std::move(issuer));
    Result<std::unique_ptr<auth::TokenVerifier>> verifier = auth::TokenVerifier::Create(config);
    if (!verifier.ok()) return Usage(kCmd, verifier.status().message());
    verdict = (*verifier)->Verify(token, auth::RequestContext{});
  }

  if (f.json) {
    json::JsonWriter w(/*pretty=*/true);
    w.BeginObject();
    for (auto [name, part] : {std::pair{"header", &header}, std::pair{"claims", &claims}}) {
      w.Key(name);
      if (part->ok) {
        w.Raw(part->compact);
      } else {
        w.Null();
      }
    }
    if (verdict) {
      w.Key("verification");
      w.BeginObject();
      w.Key("valid");
      w.Bool(verdict->principal.has_value());
      w.Key("issuer");
      w.String(verdict->issuer);
      if (!issuer_note.empty()) {
        w.Key("note");
        w.String(issuer_note);
      }
      w.Key("deny_reason");
      w.String(verdict->deny_reason);
      w.Key("token_sha256");
      w.String(verdict->token_sha256);
      w.Key("steps");
      w.BeginArray();
      for (const auth::VerificationStep& s : verdict->steps) {
        w.BeginObject();
        w.Key("name");
        w.String(s.name);
        w.Key("outcome");
        w.String(auth::OutcomeName(s.outcome));
        w.Key("detail");
        w.String(s.detail);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndObject();
    std::printf("%s\n", w.str().c_str());
  } else {
    for (auto [name, part] : {std::pair{"header", &header}, std::pair{"claims", &claims}}) {
      if (part->ok) {
        std::printf("%s:\n%s\n", name, Indent(part->pretty).c_str());
      } else {
        std::printf("%s: (not shown: %s)\n", name, part->problem.empty() ? "missing" : part->problem.c_str());
      }
    }
    if (!verdict) {
      std::printf("signature: NOT VERIFIED (pass --jwks FILE|URL to verify)\n");
    } else {
      std::printf("verification:%s%s\n", issuer_note.empty() ? "" : "  # ", issuer_note.c_str());
      for (const auth::VerificationStep& s : verdict->steps) {
        std::printf("  %-8s %-12s %s\n", std::string(auth::OutcomeName(s.outcome)).c_str(),
                    s.name.c_str(), s.detail.c_str());
      }
      if (verdict->principal) {
        const auth::Principal& p = *verdict->principal;
        std::printf("verdict: VALID  sub=%s  expires=%s  token_sha256=%s\n", p.subject.c_str(),
                    FormatTimestamp(p.expires_at_us).c_str(), p.token_sha256.c_str());
      } else {
        std::printf("verdict: INVALID  %s\n", verdict->deny_reason.c_str());
      }
    }
  }
  if (!verdict) return (header.ok && claims.ok) ? ToInt(ExitCode::kOk) : ToInt(ExitCode::kUnauthenticated);
  return verdict->principal ? ToInt(ExitCode::kOk) : ToInt(ExitCodeFor(verdict->status));
}

}  // namespace

void AddTokenCommand(CLI::App& app, CommandAction& action) {
  CLI::App* token = app.add_subcommand("token", "Mint and inspect access tokens");
  token->require_subcommand(1);

  auto mint = std::make_shared<MintFlags>();
  CLI::App* m = token->add_subcommand("mint", "Sign a short-lived token with a local key (prints the compact JWS)");
  m->add_option("--key", mint->key, "Private key file from `trailbook keygen` (mode 0600)")->required();
  m->add_option("--iss", mint->iss, "Issuer (iss), e.g. https://trailbook.example.com/")->required();
  m->add_option("--aud", mint->aud, "Audience(s) (aud), comma-separated")->delimiter(',')->capture_default_str();
  m->add_option("--sub", mint->sub, "Subject (sub), e.g. alice@example.com")->required();
  m->add_option("--runbooks", mint->runbooks, "Allowed runbooks: ids or ns.* namespaces, comma-separated")
      ->delimiter(',')->required();
  m->add_option("--ttl", mint->ttl, "Lifetime: <n>s|m|h|d")->capture_default_str();
  m->add_option("--max-lifetime", mint->max_lifetime, "Raise the 1h lifetime cap (must match the verifier)");
  m->add_option("--accounts", mint->accounts, "Constrain to 12-digit account ids, comma-separated")->delimiter(',');
  m->add_option("--regions", mint->regions, "Constrain to regions, comma-separated")->delimiter(',');
  m->add_option("--max-window", mint->max_window, "Longest eventTime range per query, e.g. 7d");
  m->add_option("--event-time-after", mint->event_time_after, "Only rows with eventTime >= this (RFC 3339)");
  m->add_option("--event-time-before", mint->event_time_before, "Only rows with eventTime < this (RFC 3339)");
  m->add_option("--scope", mint->scope, "Space-separated scopes: runbook:run query:adhoc snapshot:read audit:read")
      ->capture_default_str();
  m->add_option("--reason", mint->reason, "Why the token exists, e.g. INC-1234 (recorded in audit)");
  m->add_option("--jti", mint->jti, "Token id (default: random UUID)");
  m->add_option("--typ", mint->typ, "Header typ")->capture_default_str();
  m->callback([mint, &action] { action = [mint] { return RunMint(*mint); }; });

  auto inspect = std::make_shared<InspectFlags>();
  CLI::App* i = token->add_subcommand(
      "inspect", "Show a token's header and claims; with --jwks, verify it step by step "
                 "(exit 0 valid, 3 invalid)");
  i->add_option("token", inspect->token, "The compact token, or - to read stdin")->required();
  i->add_option("--jwks", inspect->jwks, "Key set: a JWKS file or an https:// URL");
  i->add_option("--issuer", inspect->issuer, "Expected issuer (default: the token's own iss)");
  i->add_option("--audience", inspect->audience, "Accepted audience(s)")->delimiter(',')->capture_default_str();
  i->add_option("--typ", inspect->typ, "Accepted typ values (default trailbook+jwt)")->delimiter(',');
  i->add_option("--alg", inspect->algs, "Allowed algorithms (default: those of the keys)")->delimiter(',');
  i->add_flag("--allow-hmac", inspect->allow_hmac, "Accept HS* with a secret JWKS file");
  i->add_option("--rsa-default-alg", inspect->rsa_default_alg, "Algorithm for RSA keys without alg");
  i->add_option("--max-lifetime", inspect->max_lifetime, "Lifetime cap (default 1h)");
  i->add_option("--leeway", inspect->leeway, "Clock skew allowance, at most 60s")->capture_default_str();
  i->add_option("--ca-file", inspect->ca_file, "PEM CA bundle for an https:// JWKS");
  i->add_flag("--json", inspect->json, "Print JSON instead of text");
  i->callback([inspect, &action] { action = [inspect] { return RunInspect(*inspect); }; });
}

}  // namespace trailbook::cli
