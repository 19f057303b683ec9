#include "cli/auth_flags.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>

#include "auth/jwks/jwks_cache.h"
#include "io/file.h"
#include "server/serve_config.h"

namespace trailbook::cli {
namespace {

struct VerifierSettings {
  std::string jwks, issuer, audience;
  std::vector<std::string> algs;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// Reads trailbook.yaml with the server's reader (server/serve_config.h), so `serve`, `run`
// and `query` accept the same file and keys; a command verifies against the first issuer
// (the top-level jwks/issuer shorthand when present) and ignores the server-only settings.
Status ReadConfig(const std::string& path, VerifierSettings* out) {
  TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path, 1 << 20));
  server::ServeConfig config;
  TB_RETURN_IF_ERROR(server::ApplyServeYaml(text, path, &config));
  if (config.issuers.empty()) return Status::OK();
  const server::IssuerSettings& first = config.issuers.front();
  out->jwks = first.jwks;
  out->issuer = first.issuer;
  if (!first.audiences.empty()) out->audience = first.audiences.front();
  out->algs = first.algorithms;
  return Status::OK();
}

}  // namespace

void AddAuthFlags(CLI::App* cmd, AuthFlags* flags) {
  cmd->add_option("--token", flags->token, "Access token (default: $TRAILBOOK_TOKEN)");
  cmd->add_option("--config", flags->config, "trailbook.yaml with jwks, issuer, audience, algorithms");
  cmd->add_option("--jwks", flags->jwks, "Verification keys: JWKS file or https:// URL ($TRAILBOOK_JWKS)");
  cmd->add_option("--issuer", flags->issuer, "The issuer the keys belong to ($TRAILBOOK_ISSUER)");
  cmd->add_option("--audience", flags->audience,
                  "Accepted audience ($TRAILBOOK_AUDIENCE; default trailbook)");
  cmd->add_option("--alg", flags->algs, "Allowed algorithms (default: those of the keys)")->delimiter(',');
  cmd->add_option("--ca-file", flags->ca_file, "PEM CA bundle for an https:// JWKS");
  cmd->add_flag("--allow-hmac", flags->allow_hmac, "Accept HS* tokens with a secret JWKS file");
}

std::string ResolveToken(const AuthFlags& flags) {
  std::string token = flags.token.empty() ? Env("TRAILBOOK_TOKEN") : flags.token;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  return token;
}

Result<std::unique_ptr<auth::TokenVerifier>> BuildVerifier(const AuthFlags& flags) {
  VerifierSettings config;
  if (!flags.config.empty()) TB_RETURN_IF_ERROR(ReadConfig(flags.config, &config));
  auto pick = [](const std::string& flag, const char* env, const std::string& from_config) {
    if (!flag.empty()) return flag;
    std::string e = Env(env);
    return e.empty() ? from_config : e;
  };
  VerifierSettings s;
  s.jwks = pick(flags.jwks, "TRAILBOOK_JWKS", config.jwks);
  s.issuer = pick(flags.issuer, "TRAILBOOK_ISSUER", config.issuer);
  s.audience = pick(flags.audience, "TRAILBOOK_AUDIENCE", config.audience);
  if (s.audience.empty()) s.audience = "trailbook";
  s.algs = flags.algs.empty() ? config.algs : flags.algs;
  if (s.jwks.empty() || s.issuer.empty()) {
    return InvalidArgument(
        "token verification needs a key set and its issuer: pass --jwks FILE|URL and --issuer "
        "ISS, set TRAILBOOK_JWKS and TRAILBOOK_ISSUER, or use --config trailbook.yaml");
  }
  auth::KeySourceConfig source;
  bool is_url = s.jwks.rfind("https://", 0) == 0 || s.jwks.rfind("http://", 0) == 0;
  (is_url ? source.jwks_url : source.jwks_file) = s.jwks;
  source.https.ca_file = flags.ca_file;
  source.cache.background_refresh = false;
  source.cache.parse.allow_symmetric = flags.allow_hmac;
  TB_ASSIGN_OR_RETURN(std::shared_ptr<auth::JwksCache> keys, auth::JwksCache::Open(source, SystemClock()));
  auth::IssuerConfig issuer;
  issuer.issuer = s.issuer;
  issuer.audiences = {s.audience};
  issuer.allow_hmac = flags.allow_hmac;
  for (const std::string& name : s.algs) {
    std::optional<auth::JwsAlgorithm> alg = auth::ParseJwsAlgorithm(name);
    if (!alg) return InvalidArgument("--alg: unsupported algorithm " + name);
    issuer.allowed_algs.push_back(*alg);
  }
  if (issuer.allowed_algs.empty()) {
    for (const auth::Jwk& key : keys->current()->keys()) {
      if (std::find(issuer.allowed_algs.begin(), issuer.allowed_algs.end(), key.alg()) ==
          issuer.allowed_algs.end()) {
        issuer.allowed_algs.push_back(key.alg());
      }
    }
  }
  issuer.keys = std::move(keys);
  auth::VerifierConfig config_out;
  config_out.issuers.push_back(std::move(issuer));
  return auth::TokenVerifier::Create(std::move(config_out));
}

}  // namespace trailbook::cli
