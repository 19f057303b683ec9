#include "auth/jwks/key_files.h"

#include <openssl/crypto.h>

#include <cstdio>
#include <vector>

#include "auth/jwks/jwk_json.h"
#include "io/file.h"

namespace trailbook::auth {
namespace {

std::string Octal(uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04o", mode & 07777u);
  return buf;
}

// Reads `path` after checking that only its owner can access it.
Result<std::string> ReadSecretFile(const std::string& path) {
  TB_ASSIGN_OR_RETURN(uint32_t mode, io::FileMode(path));
  if ((mode & 077) != 0) {
    return InvalidArgument(path + ": private key file has mode " + Octal(mode) +
                           "; it must be 0600 or stricter (chmod 600 " + path + ")");
  }
  return io::ReadFile(path, 1 << 20);
}

// Returns the value of a "name: value" line before the PEM block, or "".
std::string PemAttribute(std::string_view text, std::string_view name) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.rfind("-----BEGIN", 0) == 0) break;
    if (line.size() > name.size() + 1 && line.substr(0, name.size()) == name &&
        line[name.size()] == ':') {
      std::string_view value = line.substr(name.size() + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
    pos = end + 1;
  }
  return "";
}

// Loads the existing set at `path` (if any) for appending, checking the new kid is unique.
Result<std::vector<Jwk>> ExistingKeys(const std::string& path, bool secret, const std::string& kid) {
  std::vector<Jwk> keys;
  if (!io::Exists(path)) return keys;
  TB_ASSIGN_OR_RETURN(std::string text, secret ? ReadSecretFile(path) : io::ReadFile(path, kMaxJwksBytes));
  JwkParseOptions options;
  options.allow_symmetric = secret;
  Result<ParsedJwks> parsed = ParseJwks(text, options);
  if (!parsed.ok()) return parsed.status().WithContext(std::string("existing ") + path);
  for (const Jwk& key : parsed->set.keys()) {
    if (key.kid() && *key.kid() == kid) {
      return AlreadyExists(path + " already has a key with kid \"" + kid + "\"");
    }
  }
  // JwkSet is immutable; rebuild the keys by re-parsing each one.
  for (const Jwk& key : parsed->set.keys()) {
    TB_ASSIGN_OR_RETURN(Jwk copy, ParseJwkDocument(JwkToJson(key, /*include_secret=*/true), options));
    keys.push_back(std::move(copy));
  }
  return keys;
}

}  // namespace

Status ValidateKeyId(std::string_view kid) {
  if (kid.empty() || kid.size() > 128 || kid.front() == '.') {
    return InvalidArgument("kid must be 1..128 characters and not start with '.'");
  }
  for (char c : kid) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return InvalidArgument(std::string("kid ") + QuoteForDetail(kid) + " has a character outside [A-Za-z0-9._-]");
  }
  return Status::OK();
}

Result<KeyFiles> GenerateKeyFiles(const std::string& dir, JwsAlgorithm alg, const std::string& kid,
                                  int rsa_bits) {
  TB_RETURN_IF_ERROR(ValidateKeyId(kid));
  TB_RETURN_IF_ERROR(io::CreateDirectories(dir));
  const bool hmac = IsHmac(alg);
  KeyFiles files;
  files.private_key_path = dir + "/" + kid + (hmac ? ".key.jwk" : ".key.pem");
  files.jwks_path = dir + (hmac ? "/hmac-jwks.json" : "/jwks.json");
  if (io::Exists(files.private_key_path)) {
    return AlreadyExists(files.private_key_path + " already exists; pick another --kid");
  }
  TB_ASSIGN_OR_RETURN(std::vector<Jwk> keys, ExistingKeys(files.jwks_path, hmac, kid));
  TB_ASSIGN_OR_RETURN(Signer signer, Signer::Generate(alg, kid, rsa_bits));

  std::string private_text;
  if (hmac) {
    private_text = JwkToJson(signer.verification_key(), /*include_secret=*/true) + "\n";
  } else {
    TB_ASSIGN_OR_RETURN(std::string pem, signer.PrivateKeyPem());
    private_text = std::string("kid: ") + kid + "\nalg: " + std::string(JwsAlgorithmName(alg)) + "\n" + pem;
    OPENSSL_cleanse(pem.data(), pem.size());
  }
  Status written = io::WriteFileAtomic(files.private_key_path, private_text, 0600);
  OPENSSL_cleanse(private_text.data(), private_text.size());
  TB_RETURN_IF_ERROR(written);

  JwkParseOptions options;
  options.allow_symmetric = hmac;
  TB_ASSIGN_OR_RETURN(Jwk public_key,
                      ParseJwkDocument(JwkToJson(signer.verification_key(), true), options));
  files.thumbprint = JwkThumbprint(public_key);
  keys.push_back(std::move(public_key));
  std::vector<const Jwk*> pointers;
  for (const Jwk& k : keys) pointers.push_back(&k);
  files.keys_in_set = pointers.size();
  std::string jwks = JwksToJson(pointers, /*include_secret=*/hmac);
  Status jwks_written = io::WriteFileAtomic(files.jwks_path, jwks, hmac ? 0600 : 0644);
  if (hmac) OPENSSL_cleanse(jwks.data(), jwks.size());
  TB_RETURN_IF_ERROR(jwks_written);
  return files;
}

Result<Signer> LoadSigningKeyFile(const std::string& path) {
  TB_ASSIGN_OR_RETURN(std::string text, ReadSecretFile(path));
  size_t first = text.find_first_not_of(" \t\r\n");
  Result<Signer> signer = InvalidArgument("empty key file");
  if (first != std::string::npos && text[first] == '{') {
    JwkParseOptions options;
    options.allow_symmetric = true;
    Result<Jwk> key = ParseJwkDocument(text, options);
    if (!key.ok()) {
      signer = key.status();
    } else if (!key->is_symmetric()) {
      signer = InvalidArgument("a JWK key file must hold an HMAC (oct) secret; use PEM otherwise");
    } else {
      signer = Signer::FromHmacSecret(key->k(), key->alg(), key->kid());
    }
  } else if (first != std::string::npos) {
    std::string kid = PemAttribute(text, "kid");
    std::string alg_name = PemAttribute(text, "alg");
    std::optional<JwsAlgorithm> alg = ParseJwsAlgorithm(alg_name);
    if (!alg) {
      signer = InvalidArgument("missing or unsupported \"alg:\" line before the PEM block");
    } else {
      signer = Signer::FromPrivateKeyPem(
          text, *alg, kid.empty() ? std::nullopt : std::optional<std::string>(kid));
    }
  }
  OPENSSL_cleanse(text.data(), text.size());
  if (!signer.ok()) return signer.status().WithContext(path);
  return signer;
}

}  // namespace trailbook::auth
