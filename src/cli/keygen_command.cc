// `trailbook keygen`: generates a token-signing key and publishes its public half in a JWKS.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "auth/jwks/key_files.h"
#include "cli/command.h"
#include "cli/exit_code.h"

namespace trailbook::cli {
namespace {

struct KeygenFlags {
  std::string alg;
  std::string kid;
  std::string out;
  int rsa_bits = 3072;
};

int RunKeygen(const KeygenFlags& flags) {
  std::optional<auth::JwsAlgorithm> alg = auth::ParseJwsAlgorithm(flags.alg);
  if (!alg) {
    std::fprintf(stderr, "keygen: unsupported --alg %s\n", flags.alg.c_str());
    return ToInt(ExitCode::kUsage);
  }
  Result<auth::KeyFiles> files = auth::GenerateKeyFiles(flags.out, *alg, flags.kid, flags.rsa_bits);
  if (!files.ok()) {
    std::fprintf(stderr, "keygen: %s\n", files.status().ToString().c_str());
    return files.status().code() == StatusCode::kInvalidArgument ? ToInt(ExitCode::kUsage)
                                                                  : ToInt(ExitCodeFor(files.status()));
  }
  const bool hmac = auth::IsHmac(*alg);
  std::printf("kid:         %s\n", flags.kid.c_str());
  std::printf("alg:         %s\n", flags.alg.c_str());
  std::printf("private key: %s (mode 0600; keep it secret)\n", files->private_key_path.c_str());
  std::printf("%s %s (%zu key%s)\n", hmac ? "secret jwks:" : "public jwks:",
              files->jwks_path.c_str(), files->keys_in_set, files->keys_in_set == 1 ? "" : "s");
  std::printf("thumbprint:  %s (RFC 7638)\n", files->thumbprint.c_str());
  if (hmac) {
    std::printf("note: HMAC keys are shared secrets; the verifier needs the secret JWKS and "
                "allow_hmac. Prefer ES256 or EdDSA.\n");
  }
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddKeygenCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<KeygenFlags>();
  CLI::App* cmd = app.add_subcommand(
      "keygen", "Generate a token-signing key: private PEM (0600) and public JWKS (rotation: "
                "run again with a new --kid and the same --out)");
  cmd->add_option("--alg", flags->alg, "Signing algorithm")
      ->required()
      ->check(CLI::IsMember({"ES256", "ES384", "ES512", "EdDSA", "RS256", "RS384", "RS512", "PS256",
                             "PS384", "PS512", "HS256", "HS384", "HS512"}));
  cmd->add_option("--kid", flags->kid, "Key id ([A-Za-z0-9._-], names the files)")->required();
  cmd->add_option("--out", flags->out, "Directory for the key files (created if missing)")->required();
  cmd->add_option("--rsa-bits", flags->rsa_bits, "RSA modulus size for RS*/PS*")
      ->check(CLI::Range(2048, 8192));
  cmd->callback([flags, &action] { action = [flags] { return RunKeygen(*flags); }; });
}

}  // namespace trailbook::cli
