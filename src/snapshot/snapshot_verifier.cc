#include "snapshot/snapshot_verifier.h"

#include <simdjson.h>

#include <algorithm>
#include <set>
#include <utility>

#include "auth/jwks/jwk_json.h"
#include "auth/jwt/strict_json.h"
#include "crypto/digest.h"
#include "ingest/gzip.h"
#include "ingest/padded_buffer.h"
#include "io/file.h"
#include "snapshot/snapshot_key.h"

namespace trailbook::snapshot {
namespace {

constexpr size_t kMaxSignatureFileBytes = 1 << 20;

struct SignatureFile {
  std::string key_id;
  std::string fingerprint;
  std::string signature_algorithm;
  std::string signature;  // decoded
  std::string snapshot_id;
  std::vector<std::pair<std::string, std::string>> files;  // name, hash
};

Result<SignatureFile> ParseSignatureFile(std::string_view text) {
  auto bad = [](std::string_view what) {
    return Corruption(std::string(kSignatureFile) + ": " + std::string(what));
  };
  auth::StrictJsonParser parser;
  Result<simdjson::dom::element> root = parser.Parse(text, 4);
  if (!root.ok()) return bad(root.status().message());
  simdjson::dom::object object;
  if (root->get_object().get(object) != simdjson::SUCCESS) return bad("not an object");
  SignatureFile sign;
  auto string_member = [&](std::string_view key, std::string* out) -> Status {
    std::string_view s;
    if (object.at_key(key).get_string().get(s) != simdjson::SUCCESS) {
      return bad(std::string(key) + ": missing or not a string");
    }
    *out = std::string(s);
    return Status::OK();
  };
  std::string hash_algorithm, signed_file, signature_b64;
  TB_RETURN_IF_ERROR(string_member("hashAlgorithm", &hash_algorithm));
  if (hash_algorithm != "SHA-256") return bad("hashAlgorithm: not SHA-256");
  TB_RETURN_IF_ERROR(string_member("signedFile", &signed_file));
  if (signed_file != kManifestFile) return bad("signedFile: not manifest.json");
  TB_RETURN_IF_ERROR(string_member("keyId", &sign.key_id));
  TB_RETURN_IF_ERROR(string_member("publicKeyFingerprint", &sign.fingerprint));
  TB_RETURN_IF_ERROR(string_member("signatureAlgorithm", &sign.signature_algorithm));
  TB_RETURN_IF_ERROR(string_member("snapshotId", &sign.snapshot_id));
  TB_RETURN_IF_ERROR(string_member("signature", &signature_b64));
  Result<std::string> signature = Base64Decode(signature_b64);
  if (!signature.ok()) return bad("signature: " + signature.status().message());
  sign.signature = std::move(*signature);
  int64_t version = 0;
  if (object.at_key("version").get_int64().get(version) != simdjson::SUCCESS ||
      version != kSnapshotFormatVersion) {
    return bad("version: missing or unsupported");
  }
  simdjson::dom::array files;
  if (object.at_key("files").get_array().get(files) != simdjson::SUCCESS) {
    return bad("files: missing or not an array");
  }
  for (simdjson::dom::element f : files) {
    std::string_view name, hash;
    if (f.at_key("fileName").get_string().get(name) != simdjson::SUCCESS ||
        f.at_key("fileHash").get_string().get(hash) != simdjson::SUCCESS) {
      return bad("files: an entry lacks fileName or fileHash");
    }
    sign.files.emplace_back(std::string(name), std::string(hash));
  }
  return sign;
}

class Checks {
 public:
  explicit Checks(VerifyReport* report) : report_(report) {}
  bool Add(std::string name, bool ok, std::string detail) {
    report_->checks.push_back(VerifyCheck{std::move(name), ok, std::move(detail)});
    return ok;
  }
  bool Fail(std::string name, const Status& status) {
    return Add(std::move(name), false, status.message());
  }

 private:
  VerifyReport* report_;
};

// Checks one result file's size and hash against the manifest; returns its bytes when they
// match.
std::optional<std::string> CheckFile(const std::string& dir, const FileEntry& entry,
                                     Checks& checks) {
  std::string name = "file " + entry.name;
  Result<std::string> bytes = io::ReadFile(dir + "/" + entry.name);
  if (!bytes.ok()) {
    checks.Fail(name, bytes.status());
    return std::nullopt;
  }
  if (bytes->size() != entry.bytes) {
    checks.Add(name, false,
               entry.name + ": size " + std::to_string(bytes->size()) +
                   " bytes, manifest says " + std::to_string(entry.bytes));
    return std::nullopt;
  }
  std::string hash = crypto::ToHex(crypto::Sha256(*bytes));
  if (!crypto::ConstantTimeEquals(hash, entry.sha256)) {
    checks.Add(name, false,
               entry.name + ": SHA-256 " + hash + " does not match the manifest's " + entry.sha256);
    return std::nullopt;
  }
  checks.Add(name, true, entry.name + ": " + std::to_string(entry.bytes) + " bytes, SHA-256 " + hash);
  return std::move(*bytes);
}

void CheckRows(const FileEntry& entry, std::string_view compressed, const SnapshotManifest& m,
               const VerifyOptions& options, Checks& checks) {
  std::string name = "rows " + entry.name;
  ingest::PaddedBuffer text;
  if (!ingest::HasGzipMagic(compressed)) {
    checks.Add(name, false, entry.name + ": not gzip data");
    return;
  }
  ingest::GzipDecoder decoder;
  Status status = decoder.Decompress(compressed, options.max_result_bytes, &text);
  if (!status.ok()) {
    checks.Add(name, false, entry.name + ": " + status.message());
    return;
  }
  std::string_view view = text.view();
  if (entry.format == "ndjson") {
    uint64_t lines = static_cast<uint64_t>(std::count(view.begin(), view.end(), '\n'));
    if (!view.empty() && view.back() != '\n') {
      checks.Add(name, false, entry.name + ": last row is not terminated by a newline");
      return;
    }
    if (lines != m.rows) {
      checks.Add(name, false,
                 entry.name + ": " + std::to_string(lines) + " rows, manifest says " +
                     std::to_string(m.rows));
      return;
    }
    std::string digest = crypto::ToHex(crypto::Sha256(view));
    if (!crypto::ConstantTimeEquals(digest, m.result_sha256)) {
      checks.Add(name, false, entry.name + ": result digest " + digest +
                                  " does not match the manifest's result.sha256");
      return;
    }
    checks.Add(name, true, entry.name + ": " + std::to_string(lines) + " rows, digest " + digest);
  } else if (entry.format == "csv") {
    Result<uint64_t> records = CountCsvRecords(view);
    if (!records.ok()) {
      checks.Add(name, false, entry.name + ": " + records.status().message());
      return;
    }
    if (*records != m.rows + 1) {
      checks.Add(name, false,
                 entry.name + ": " + std::to_string(*records) +
                     " records (header included), manifest says " + std::to_string(m.rows) +
                     " rows plus a header");
      return;
    }
    checks.Add(name, true, entry.name + ": header + " + std::to_string(m.rows) + " rows");
  } else {
    checks.Add(name, false, entry.name + ": unknown format \"" + entry.format + "\"");
  }
}

}  // namespace

bool VerifyReport::ok() const { return !checks.empty() && first_failure() == nullptr; }

const VerifyCheck* VerifyReport::first_failure() const {
  for (const VerifyCheck& c : checks) {
    if (!c.ok) return &c;
  }
  return nullptr;
}

Result<auth::JwkSet> LoadTrustedSnapshotKeys(const std::string& jwks_path) {
  TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(jwks_path, auth::kMaxJwksBytes));
  Result<auth::ParsedJwks> parsed = auth::ParseJwks(text, auth::JwkParseOptions{});
  if (!parsed.ok()) return parsed.status().WithContext(jwks_path);
  return std::move(parsed->set);
}

Result<uint64_t> CountCsvRecords(std::string_view csv) {
  uint64_t records = 0;
  bool in_quotes = false;
  bool record_open = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    char c = csv[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          ++i;
        } else {
          in_quotes = false;
        }
      }
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      record_open = true;
    } else if (c == '\n') {
      ++records;
      record_open = false;
    } else if (c != '\r') {
      record_open = true;
    }
  }
  if (in_quotes) return Corruption("unterminated quoted field");
  if (record_open) ++records;
  return records;
}

VerifyReport VerifySnapshot(const std::string& dir, const auth::JwkSet& trusted_keys,
                            const VerifyOptions& options) {
  VerifyReport report;
  report.dir = dir;
  Checks checks(&report);

  // 1. The file set: exactly the files a snapshot holds.
  const std::set<std::string> expected = {kManifestFile, kSignatureFile, kNdjsonFile, kCsvFile,
                                          kPublicKeyFile};
  Result<std::vector<std::string>> entries = io::ListDirectory(dir);
  if (!entries.ok()) {
    checks.Fail("file set", entries.status());
    return report;
  }
  std::string problems;
  for (const std::string& e : *entries) {
    if (!expected.count(e)) problems += " unexpected " + e + ";";
  }
  for (const std::string& e : expected) {
    if (std::find(entries->begin(), entries->end(), e) == entries->end()) {
      problems += " missing " + e + ";";
    }
  }
  checks.Add("file set", problems.empty(),
             problems.empty() ? "the five snapshot files, nothing else" : dir + ":" + problems);

  // 2. The signature file and the key it names.
  Result<std::string> manifest_bytes = io::ReadFile(dir + "/" + kManifestFile, kMaxManifestBytes);
  Result<std::string> sign_bytes = io::ReadFile(dir + "/" + kSignatureFile, kMaxSignatureFileBytes);
  std::optional<SignatureFile> sign;
  if (!sign_bytes.ok()) {
    checks.Fail("signature file", sign_bytes.status());
  } else {
    Result<SignatureFile> parsed = ParseSignatureFile(*sign_bytes);
    if (!parsed.ok()) {
      checks.Fail("signature file", parsed.status());
    } else {
      sign = std::move(*parsed);
      checks.Add("signature file", true, std::string(kSignatureFile) + ": kid \"" + sign->key_id +
                                             "\", " + sign->signature_algorithm);
    }
  }
  const auth::Jwk* key = nullptr;
  if (sign) {
    std::string why;
    key = trusted_keys.Find(sign->key_id, &why);
    if (key == nullptr) {
      checks.Add("key", false, "kid \"" + sign->key_id + "\" is not in the trusted key set: " + why);
    } else if (!IsSnapshotAlgorithm(key->alg()) ||
               SignatureAlgorithmName(key->alg()) != sign->signature_algorithm) {
      checks.Add("key", false, "kid \"" + sign->key_id + "\" is a " +
                                   std::string(auth::JwsAlgorithmName(key->alg())) +
                                   " key; the signature file says " + sign->signature_algorithm);
      key = nullptr;
    } else {
      Result<std::string> fp = PublicKeySha256(*key);
      if (!fp.ok() || *fp != sign->fingerprint) {
        checks.Add("key", false, "kid \"" + sign->key_id +
                                     "\": the trusted key's fingerprint differs from the "
                                     "signature file's publicKeyFingerprint");
        key = nullptr;
      } else {
        checks.Add("key", true, "kid \"" + sign->key_id + "\" in the trusted set, fingerprint " + *fp);
      }
    }
  }

  // 3. The signature over the exact manifest bytes.
  if (!manifest_bytes.ok()) {
    checks.Fail("signature", manifest_bytes.status());
  } else if (sign && key != nullptr) {
    Status verified = VerifySnapshotSignature(*key, *manifest_bytes, sign->signature);
    checks.Add("signature", verified.ok(),
               verified.ok() ? "manifest.json is signed by kid \"" + sign->key_id + "\""
                             : "manifest.json: " + verified.message());
  } else {
    checks.Add("signature", false, "not checked: no trusted key for the signature file");
  }

  // 4. The manifest: complete, and bound to this snapshot and key.
  if (!manifest_bytes.ok()) return report;
  Result<SnapshotManifest> manifest = ParseManifest(*manifest_bytes);
  if (!manifest.ok()) {
    checks.Fail("manifest", manifest.status());
    return report;
  }
  report.manifest = *manifest;
  const SnapshotManifest& m = *report.manifest;
  checks.Add("manifest", true,
             "complete: runbook " + m.runbook.id + " v" + m.runbook.version + ", " +
                 std::to_string(m.rows) + " rows, subject \"" + m.principal.subject + "\"");
  std::string binding;
  if (options.expected_id && m.snapshot_id != *options.expected_id) {
    binding += " manifest snapshotId " + m.snapshot_id + " is not " + *options.expected_id + ";";
  }
  if (sign) {
    if (sign->snapshot_id != m.snapshot_id) {
      binding += " result_sign.json snapshotId " + sign->snapshot_id + " differs from the manifest's;";
    }
    if (sign->key_id != m.signing.key_id) binding += " signing kid differs from the manifest's;";
    if (sign->fingerprint != m.signing.public_key_sha256) {
      binding += " publicKeyFingerprint differs from the manifest's;";
    }
    std::string manifest_hash = crypto::ToHex(crypto::Sha256(*manifest_bytes));
    bool listed = false;
    for (const auto& [name, hash] : sign->files) {
      if (name == kManifestFile) listed = hash == manifest_hash;
    }
    if (!listed) binding += " result_sign.json does not list this manifest's SHA-256;";
  }
  if (key != nullptr && std::string(auth::JwsAlgorithmName(key->alg())) != m.signing.alg) {
    binding += " manifest signing.alg differs from the key's;";
  }
  checks.Add("binding", binding.empty(),
             binding.empty() ? "snapshot id " + m.snapshot_id + ", kid and fingerprint agree"
                             : std::string(kManifestFile) + ":" + binding);

  // 5. The result files: listed exactly, sizes and hashes, row counts and result digest.
  std::vector<std::string> names;
  for (const FileEntry& f : m.files) names.push_back(f.name);
  std::vector<std::string> want = {kCsvFile, kNdjsonFile};
  checks.Add("file list", names == want,
             names == want ? "result.csv.gz and result.ndjson.gz"
                           : "manifest.json: files must list exactly result.csv.gz and "
                             "result.ndjson.gz");
  for (const FileEntry& f : m.files) {
    if (std::find(want.begin(), want.end(), f.name) == want.end()) continue;
    std::optional<std::string> bytes = CheckFile(dir, f, checks);
    if (bytes) CheckRows(f, *bytes, m, options, checks);
  }

  if (options.rerun_digest) {
    bool same = crypto::ConstantTimeEquals(*options.rerun_digest, m.result_sha256);
    checks.Add("rerun", same,
               same ? "the re-run produced the same result digest " + m.result_sha256
                    : "the re-run's result digest " + *options.rerun_digest +
                          " differs from the snapshot's " + m.result_sha256);
  }
  return report;
}

}  // namespace trailbook::snapshot
