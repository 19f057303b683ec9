#include "cli/auth_flags.h"

#include <CLI/CLI.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>

#include "auth/jwks/jwks_cache.h"
#include "io/file.h"

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

// Reads the config file (the yaml-cpp adapter: exceptions become Status).
Status ReadConfig(const std::string& path, VerifierSettings* out) {
  TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path, 1 << 20));
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return InvalidArgument(path + ": the config is a YAML mapping");
    for (auto it = root.begin(); it != root.end(); ++it) {
      std::string key = it->first.as<std::string>();
      int line = it->first.Mark().line + 1;
      auto where = path + ":" + std::to_string(line) + ": " + key;
      if (key == "jwks" || key == "issuer" || key == "audience") {
        if (!it->second.IsScalar()) return InvalidArgument(where + ": must be text");
        (key == "jwks" ? out->jwks : key == "issuer" ? out->issuer : out->audience) = it->second.Scalar();
      } else if (key == "algorithms") {
        if (!it->second.IsSequence()) return InvalidArgument(where + ": must be a list");
        for (const YAML::Node& a : it->second) out->algs.push_back(a.as<std::string>());
      } else if (key == "store" || key == "runbooks") {
        // Read by other commands' flags; accepted here.
      } else {
        return InvalidArgument(where + ": unknown setting (jwks, issuer, audience, algorithms)");
      }
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
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
