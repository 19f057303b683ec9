#include "audit/audit_digest.h"

#include <simdjson.h>

#include <cstdio>

#include "auth/jwt/signature.h"
#include "base/timestamp.h"
#include "crypto/digest.h"
#include "io/file.h"
#include "json/canonical_json.h"
#include "json/json_writer.h"

namespace trailbook::audit {
namespace {

// Writes the members in sorted key order, so the output is already canonical.
std::string Render(const AuditDigest& d, bool with_signature) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("awsAccountId");
  w.String(d.account_id);
  w.Key("awsRegion");
  w.String(d.region);
  w.Key("chainHeadHash");
  w.String(d.head_hash);
  w.Key("digestEndTime");
  w.String(FormatTimestamp(d.end_time_us));
  w.Key("digestFirstSequence");
  w.UInt(d.first_sequence);
  w.Key("digestLastSequence");
  w.UInt(d.last_sequence);
  w.Key("digestPublicKeyId");
  w.String(d.key_id);
  if (with_signature) {
    w.Key("digestSignature");
    w.String(d.signature);
  }
  w.Key("digestSignatureAlgorithm");
  w.String(d.signature_algorithm);
  w.Key("digestStartTime");
  w.String(FormatTimestamp(d.start_time_us));
  w.Key("digestStoreId");
  w.String(d.store_id);
  w.Key("digestVersion");
  w.String(kDigestVersion);
  w.Key("firstEventPreviousHash");
  w.String(d.first_previous_hash);
  w.Key("previousDigestLastSequence");
  w.UInt(d.previous_last_sequence);
  w.Key("previousDigestSignature");
  if (d.previous_digest_signature.empty()) {
    w.Null();
  } else {
    w.String(d.previous_digest_signature);
  }
  w.EndObject();
  return std::move(w).Take();
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgument("odd-length hex");
  std::string out;
  out.reserve(hex.size() / 2);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgument("not lower-case hex");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

std::string DigestSigningInput(const AuditDigest& digest) { return Render(digest, false); }

std::string DigestToJson(const AuditDigest& digest) { return Render(digest, true); }

Result<AuditDigest> ParseDigestJson(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("digest is not a JSON object");
  }
  AuditDigest d;
  auto str = [&](const char* key, std::string* out) -> Status {
    std::string_view v;
    if (root[key].get(v) != simdjson::SUCCESS) {
      return InvalidArgument(std::string("digest field ") + key + " is missing or not a string");
    }
    *out = std::string(v);
    return Status::OK();
  };
  auto u64 = [&](const char* key, uint64_t* out) -> Status {
    if (root[key].get(*out) != simdjson::SUCCESS) {
      return InvalidArgument(std::string("digest field ") + key +
                             " is missing or not a non-negative integer");
    }
    return Status::OK();
  };
  auto time = [&](const char* key, int64_t* out) -> Status {
    std::string v;
    TB_RETURN_IF_ERROR(str(key, &v));
    std::optional<int64_t> t = ParseTimestamp(v);
    if (!t) return InvalidArgument(std::string("digest field ") + key + " is not a timestamp");
    *out = *t;
    return Status::OK();
  };
  std::string version;
  TB_RETURN_IF_ERROR(str("digestVersion", &version));
  if (version != kDigestVersion) return InvalidArgument("digest version " + version + " unknown");
  TB_RETURN_IF_ERROR(str("awsAccountId", &d.account_id));
  TB_RETURN_IF_ERROR(str("awsRegion", &d.region));
  TB_RETURN_IF_ERROR(str("chainHeadHash", &d.head_hash));
  TB_RETURN_IF_ERROR(time("digestEndTime", &d.end_time_us));
  TB_RETURN_IF_ERROR(u64("digestFirstSequence", &d.first_sequence));
  TB_RETURN_IF_ERROR(u64("digestLastSequence", &d.last_sequence));
  TB_RETURN_IF_ERROR(str("digestPublicKeyId", &d.key_id));
  TB_RETURN_IF_ERROR(str("digestSignature", &d.signature));
  TB_RETURN_IF_ERROR(str("digestSignatureAlgorithm", &d.signature_algorithm));
  TB_RETURN_IF_ERROR(time("digestStartTime", &d.start_time_us));
  TB_RETURN_IF_ERROR(str("digestStoreId", &d.store_id));
  TB_RETURN_IF_ERROR(str("firstEventPreviousHash", &d.first_previous_hash));
  TB_RETURN_IF_ERROR(u64("previousDigestLastSequence", &d.previous_last_sequence));
  simdjson::dom::element prev;
  if (root["previousDigestSignature"].get(prev) != simdjson::SUCCESS) {
    return InvalidArgument("digest field previousDigestSignature is missing");
  }
  if (!prev.is_null()) TB_RETURN_IF_ERROR(str("previousDigestSignature",
                                              &d.previous_digest_signature));
  if (d.first_sequence == 0 || d.last_sequence < d.first_sequence) {
    return InvalidArgument("digest sequence range is empty or starts at 0");
  }
  return d;
}

Status SignDigest(const auth::Signer& signer, AuditDigest* digest) {
  TB_RETURN_IF_ERROR(ValidateDigestSigner(signer));
  digest->signature_algorithm = std::string(auth::JwsAlgorithmName(signer.alg()));
  digest->key_id = *signer.kid();
  TB_ASSIGN_OR_RETURN(std::string sig, signer.Sign(DigestSigningInput(*digest)));
  digest->signature = crypto::ToHex(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
  return Status::OK();
}

Status ValidateDigestSigner(const auth::Signer& signer) {
  if (auth::IsHmac(signer.alg())) {
    return InvalidArgument("digest key must be a public-key algorithm (EdDSA or ES256), not " +
                           std::string(auth::JwsAlgorithmName(signer.alg())));
  }
  if (!signer.kid() || signer.kid()->empty()) {
    return InvalidArgument("digest key has no kid (create it with `trailbook keygen`)");
  }
  return Status::OK();
}

Status VerifyDigestSignature(const AuditDigest& digest, const auth::JwkSet& keys) {
  std::string why;
  const auth::Jwk* key = keys.Find(digest.key_id, &why);
  if (key == nullptr) {
    return Status(StatusCode::kUnauthenticated,
                  "no published key for digest key id '" + digest.key_id + "'");
  }
  std::optional<auth::JwsAlgorithm> alg = auth::ParseJwsAlgorithm(digest.signature_algorithm);
  if (!alg || auth::IsHmac(*alg)) {
    return Status(StatusCode::kUnauthenticated,
                  "digest signature algorithm '" + digest.signature_algorithm + "' not allowed");
  }
  Result<std::string> raw = HexDecode(digest.signature);
  if (!raw.ok()) {
    return Status(StatusCode::kUnauthenticated, "digest signature is not hex");
  }
  return auth::VerifyJwsSignature(*key, *alg, DigestSigningInput(digest), *raw);
}

std::string DigestFileName(uint64_t last_sequence) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "digest-%020llu.json",
                static_cast<unsigned long long>(last_sequence));
  return buf;
}

Result<std::optional<AuditDigest>> ReadLatestDigest(const std::string& dir) {
  if (!io::Exists(dir)) return std::optional<AuditDigest>();
  TB_ASSIGN_OR_RETURN(std::vector<std::string> names, io::ListDirectory(dir));
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (!it->starts_with("digest-") || !it->ends_with(".json")) continue;
    TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(dir + "/" + *it, 1 << 20));
    Result<AuditDigest> d = ParseDigestJson(text);
    if (!d.ok()) return Corruption(dir + "/" + *it + ": " + d.status().message());
    return std::optional<AuditDigest>(std::move(*d));
  }
  return std::optional<AuditDigest>();
}

}  // namespace trailbook::audit
