// File: snapshot/snapshot_verifier.h
//
// VerifySnapshot: checks a snapshot directory against a trusted JWKS of snapshot-signing
// public keys (the runner's published keys; rotation keeps old kids in the set): the
// signature over manifest.json, that the manifest is complete and bound to this snapshot,
// every file's size and SHA-256, that both result files hold exactly the manifest's row
// count, and the result digest. Optionally compares the digest of a re-run.
//
//   TB_ASSIGN_OR_RETURN(auth::JwkSet keys, LoadTrustedSnapshotKeys("keys/jwks.json"));
//   VerifyReport report = VerifySnapshot(dir, keys, {});
//   if (!report.ok()) ... report.first_failure()->name ...
//
// A third party can do the same checks with openssl and sha256sum (docs/format/snapshot.md).
//
// Thread safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/jwt/jwk.h"
#include "base/status.h"
#include "snapshot/snapshot_manifest.h"

namespace trailbook::snapshot {

struct VerifyCheck {
  std::string name;    // e.g. "signature", "file result.csv.gz", "rows result.ndjson.gz"
  bool ok = false;
  std::string detail;  // what was found; names the file and field on failure
};

struct VerifyReport {
  std::string dir;
  std::vector<VerifyCheck> checks;  // in the order performed
  std::optional<SnapshotManifest> manifest;  // when manifest.json parsed

  bool ok() const;
  // Returns the first failed check, or nullptr when every check passed.
  const VerifyCheck* first_failure() const;
};

struct VerifyOptions {
  // The id the snapshot must carry (the directory name under <store>/snapshots); nullopt
  // for an exported copy, whose directory may be named anything.
  std::optional<std::string> expected_id;
  // The result digest of a re-run (ComputeResultDigest), compared with the manifest's.
  std::optional<std::string> rerun_digest;
  // Largest decompressed size of one result file read for the row-count checks.
  uint64_t max_result_bytes = uint64_t{16} << 30;
};

// Loads a JWKS file of snapshot verification keys (public keys only). Errors: kIOError,
// kInvalidArgument naming the file.
Result<auth::JwkSet> LoadTrustedSnapshotKeys(const std::string& jwks_path);

// Verifies the snapshot in `dir`. Never returns early on a failed check that later checks do
// not depend on, so the report lists every problem found.
VerifyReport VerifySnapshot(const std::string& dir, const auth::JwkSet& trusted_keys,
                            const VerifyOptions& options);

// Returns the number of RFC 4180 records in `csv` (CRLF or LF line ends, quoted fields may
// hold line breaks). Returns kCorruption for an unterminated quoted field.
Result<uint64_t> CountCsvRecords(std::string_view csv);

}  // namespace trailbook::snapshot
