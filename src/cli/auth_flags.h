// File: cli/auth_flags.h
//
// The token and verification flags shared by every command that takes a token (`run`,
// `query`, and later snapshot/audit commands):
//   --token T            else $TRAILBOOK_TOKEN
//   --config FILE        trailbook.yaml with jwks/issuer/audience/algorithms (below)
//   --jwks FILE|URL      else $TRAILBOOK_JWKS, else the config's `jwks`
//   --issuer ISS         else $TRAILBOOK_ISSUER, else the config's `issuer`
//   --audience AUD       else $TRAILBOOK_AUDIENCE, else the config's `audience`, else "trailbook"
//   --alg A[,B]          else the config's `algorithms`, else the algorithms of the loaded keys
// A key set is always bound to one issuer. The config file is the one `trailbook serve`
// reads (server/serve_config.h); commands use its first issuer (the top-level shorthand
// when present) and its first audience:
//   jwks: keys/jwks.json
//   issuer: https://trailbook.example/
//   audience: trailbook
//   algorithms: [ES256]
//
//   AuthFlags flags;  AddAuthFlags(cmd, &flags);
//   TB_ASSIGN_OR_RETURN(auto verifier, BuildVerifier(flags));   // in the command body
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/jwt/token_verifier.h"
#include "base/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace trailbook::cli {

struct AuthFlags {
  std::string token;
  std::string config;
  std::string jwks;
  std::string issuer;
  std::string audience;
  std::vector<std::string> algs;
  std::string ca_file;
  bool allow_hmac = false;
};

// Adds the flags above to `cmd`, bound to `*flags`.
void AddAuthFlags(CLI::App* cmd, AuthFlags* flags);

// Returns the token: --token, else $TRAILBOOK_TOKEN, else "" (which then fails verification
// and is audited like any other invalid token).
std::string ResolveToken(const AuthFlags& flags);

// Builds the verifier from flags, environment and config file (keys loaded once, no
// background refresh). Errors: kInvalidArgument when jwks or issuer is missing or the
// config is malformed (exit code 2 at the caller), the key source's errors.
Result<std::unique_ptr<auth::TokenVerifier>> BuildVerifier(const AuthFlags& flags);

}  // namespace trailbook::cli
