// File: snapshot/snapshot_writer.h
//
// SnapshotWriter: freezes a query result as a signed snapshot directory
// <snapshots_dir>/<id>/ (docs/format/snapshot.md): the rows as gzip NDJSON and gzip RFC 4180
// CSV, the canonical manifest.json, result_sign.json (file hashes and the signature over
// the manifest) and the signing public key.
//
//   TB_ASSIGN_OR_RETURN(SnapshotInfo info,
//                       WriteSnapshot(SnapshotsDir(store_dir), request, *result, key, {}));
//
// Crash safety: everything is written into <snapshots_dir>/.tmp-<id>/, each file fsynced,
// the directory fsynced, then renamed to <id> and the parent fsynced. A crash at any point
// leaves either no <id> directory or a complete one; a leftover .tmp-* directory never
// verifies (its signature file is written last) and is ignored by ListSnapshots.
//
// Memory: rows are streamed; at most one gzip member (options.member_bytes of text) per
// format is buffered.
//
// Thread safety: a SnapshotWriter is used by one thread. Writers in different threads or
// processes never collide: ids carry 64 random bits.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "snapshot/snapshot_key.h"
#include "snapshot/snapshot_manifest.h"
#include "sql/exec/event_scan.h"
#include "sql/types/data_chunk.h"
#include "sql/types/value.h"

namespace trailbook::sql {
class QueryResult;
}  // namespace trailbook::sql

namespace trailbook::snapshot {

// What the caller knows about the run being frozen.
struct SnapshotRequest {
  RunbookRef runbook;
  std::map<std::string, sql::Value> parameters;  // bound parameters
  PrincipalRef principal;                        // from the verified token
  sql::ScanConstraints constraints;              // applied (injected) constraints
  StoreState store;                              // what the query ran over
};

struct SnapshotWriterOptions {
  const Clock* clock = nullptr;         // creation time; nullptr: the system clock
  size_t member_bytes = size_t{1} << 20;  // uncompressed text per gzip member
  int compression_level = 6;            // libdeflate level 1..12
};

struct SnapshotInfo {
  std::string id;
  std::string dir;            // the final snapshot directory
  uint64_t rows = 0;
  std::string result_sha256;  // the result digest (SHA-256 of the uncompressed NDJSON)
};

// Returns <store_dir>/snapshots.
std::string SnapshotsDir(const std::string& store_dir);

class SnapshotWriter {
 public:
  // Starts snapshot `request` of a result with columns `names` / `types` under
  // `snapshots_dir` (created if missing), signed by `key`, which must outlive the writer.
  // Errors: kIOError.
  static Result<std::unique_ptr<SnapshotWriter>> Create(const std::string& snapshots_dir,
                                                        SnapshotRequest request,
                                                        std::vector<std::string> names,
                                                        std::vector<sql::LogicalType> types,
                                                        const SnapshotSigningKey& key,
                                                        const SnapshotWriterOptions& options);
  // Removes the temporary directory unless the snapshot was published.
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  const std::string& id() const;

  // Appends the rows of `chunk`. Errors: kIOError, kInternal (compression).
  Status Append(const sql::DataChunk& chunk);

  // Finishes the files, writes and signs the manifest and publishes the snapshot (Seal,
  // then Publish). After an error the snapshot does not exist. Errors: kIOError, kInternal.
  Result<SnapshotInfo> Commit();

  // The two halves of Commit, for callers that must record the snapshot (its audit event)
  // after it is complete and before anyone can see it. Seal finishes, signs and syncs the
  // files in the temporary directory; the returned info is final, but nothing is visible
  // yet. Publish renames the sealed directory to its id. A writer destroyed between the two
  // removes the sealed directory. Errors: kIOError, kInternal (out of order).
  Result<SnapshotInfo> Seal();
  Result<SnapshotInfo> Publish();

 private:
  struct State;
  explicit SnapshotWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Streams every row of `result` into a new snapshot and commits it. Errors: those of the
// query (from Next) and of SnapshotWriter.
Result<SnapshotInfo> WriteSnapshot(const std::string& snapshots_dir, SnapshotRequest request,
                                   sql::QueryResult& result, const SnapshotSigningKey& key,
                                   const SnapshotWriterOptions& options);

// Returns the result digest of `result` (SHA-256 hex of its rows as NDJSON, as stored in a
// snapshot's result.sha256), consuming it. Used by `verify --rerun`.
Result<std::string> ComputeResultDigest(sql::QueryResult& result);

}  // namespace trailbook::snapshot
