// File: snapshot/testing/snapshot_testing.h
//
// Test-only support shared by the snapshot tests, the crash test and the benchmark: a
// scratch directory, a key directory made by the keygen code path, a result with awkward
// values (CSV quoting, NULLs, newlines, Unicode), and a one-call snapshot writer.
#pragma once

#include <string>
#include <vector>

#include "auth/jwt/jwk.h"
#include "base/status.h"
#include "snapshot/snapshot_key.h"
#include "snapshot/snapshot_writer.h"
#include "sql/types/data_chunk.h"

namespace trailbook::snapshot::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Keys written by auth::GenerateKeyFiles (the `trailbook keygen` path) into `dir`.
struct TestKeys {
  std::string private_key_path;
  std::string jwks_path;
};
Result<TestKeys> MakeKeyFiles(const std::string& dir, auth::JwsAlgorithm alg, const std::string& kid);

// The column names and types of TestChunk.
std::vector<std::string> TestColumnNames();
std::vector<sql::LogicalType> TestColumnTypes();

// Rows [first, first + n) of a deterministic result: varchar (with commas, quotes,
// newlines, Unicode, NULLs), bigint, double, timestamp and boolean columns.
sql::DataChunk TestChunk(uint64_t first, size_t n);

// A request with a runbook, parameters, principal, constraints and store state filled in.
SnapshotRequest TestRequest();

// Writes a snapshot of `rows` TestChunk rows (in chunks of up to 2048) under `snapshots_dir`.
Result<SnapshotInfo> WriteTestSnapshot(const std::string& snapshots_dir,
                                       const SnapshotSigningKey& key, uint64_t rows,
                                       const SnapshotWriterOptions& options = {});

}  // namespace trailbook::snapshot::testing
