// File: snapshot/snapshot_manifest.h
//
// SnapshotManifest: what a snapshot claims (which runbook, run by whom, with which
// parameters and constraints, over which store state, producing which files and rows), and
// its one canonical JSON form, manifest.json, whose exact bytes are signed. The manifest
// binds the snapshot id and the SHA-256 of every result file, so a file or a manifest moved
// between snapshots is detected. Layout: docs/format/snapshot.md.
//
//   std::string json = RenderManifest(manifest);            // canonical bytes
//   TB_ASSIGN_OR_RETURN(SnapshotManifest back, ParseManifest(json));
//
// Canonical form: minified JSON, object members in byte order of their names, no
// insignificant whitespace; RenderManifest(ParseManifest(x)) == x for every manifest the
// writer produces.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/exec/event_scan.h"
#include "sql/types/value.h"

namespace trailbook::storage {
class StoreSnapshot;
}  // namespace trailbook::storage

namespace trailbook::snapshot {

// DO NOT CHANGE: stored in snapshots (docs/format/snapshot.md).
inline constexpr int64_t kSnapshotFormatVersion = 1;
inline constexpr char kSnapshotType[] = "trailbook.snapshot";
inline constexpr char kManifestFile[] = "manifest.json";
inline constexpr char kSignatureFile[] = "result_sign.json";
inline constexpr char kNdjsonFile[] = "result.ndjson.gz";
inline constexpr char kCsvFile[] = "result.csv.gz";
inline constexpr char kPublicKeyFile[] = "public_key.pem";

inline constexpr size_t kMaxManifestBytes = size_t{16} << 20;

struct RunbookRef {
  std::string id;
  std::string version;
  std::string content_hash;  // hex SHA-256 of the canonical runbook
};

struct PrincipalRef {
  std::string subject;   // sub
  std::string issuer;    // iss
  std::string token_id;  // jti
};

// The store state a query ran over: which segments, and how far ingestion had got.
struct StoreState {
  std::string store_id;
  uint64_t sequence = 0;              // store MANIFEST commit sequence
  std::vector<uint64_t> segment_ids;  // committed segments, ascending
  uint64_t rows = 0;                  // events in those segments
  int64_t min_event_time_us = 0;      // event watermark: eventTime range held (0 when empty)
  int64_t max_event_time_us = 0;

  // Captures the committed segments of `snapshot` (take it right before running the query).
  // Audit events still in the journal tail are left out: every audited request adds one.
  static StoreState From(const storage::StoreSnapshot& snapshot);
};

struct ColumnInfo {
  std::string name;
  std::string type;  // Trino spelling, e.g. "varchar", "timestamp(6)"
};

struct FileEntry {
  std::string name;         // kNdjsonFile or kCsvFile
  std::string format;       // "ndjson" or "csv"
  std::string compression;  // "gzip"
  uint64_t bytes = 0;       // size of the file as stored
  std::string sha256;       // hex SHA-256 of the file as stored
};

struct SigningInfo {
  std::string alg;                // JOSE name: "EdDSA" or "ES256"
  std::string key_id;             // kid in the published JWKS
  std::string public_key_sha256;  // hex SHA-256 of the DER SubjectPublicKeyInfo
};

struct SnapshotManifest {
  std::string snapshot_id;
  int64_t created_us = 0;
  RunbookRef runbook;
  // Bound parameters by name: each rendered {"type":"<sql type>","value":<json>} (canonical).
  std::string parameters_json = "{}";
  PrincipalRef principal;
  // Applied constraints {"accounts":[..]|null,"hiddenEventSources":[..],"maxTime":..|null,
  // "minTime":..|null,"regions":..}.
  std::string constraints_json;
  StoreState store;
  std::vector<ColumnInfo> columns;
  uint64_t rows = 0;
  std::string result_sha256;  // hex SHA-256 of the uncompressed NDJSON rows (result digest)
  std::vector<FileEntry> files;  // sorted by name
  SigningInfo signing;
};

// Returns the canonical JSON object of bound parameters.
std::string RenderParameters(const std::map<std::string, sql::Value>& parameters);

// Returns the canonical JSON object of applied constraints.
std::string RenderConstraints(const sql::ScanConstraints& constraints);

// Returns the canonical manifest.json bytes.
std::string RenderManifest(const SnapshotManifest& manifest);

// Parses manifest.json. Returns kCorruption naming the first missing, mistyped, duplicate or
// unknown member ("manifest.json: store.sequence: missing"), and for a type or
// formatVersion this code does not read.
Result<SnapshotManifest> ParseManifest(std::string_view json);

// Returns kInvalidArgument unless `id` looks like a snapshot id (see NewSnapshotId): this
// keeps ids given on the command line from naming paths outside the snapshots directory.
Status ValidateSnapshotId(std::string_view id);

// Returns a new snapshot id for `now_us`: "YYYYMMDDTHHMMSS.ffffffZ-" + 16 random hex digits.
// Ids sort by creation time and are unique without coordination.
Result<std::string> NewSnapshotId(int64_t now_us);

}  // namespace trailbook::snapshot
