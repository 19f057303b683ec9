// File: sql/exec/testing/ingest_for_test.h
//
// The SQL tests' store set-up: ingest one file (usually tests/data/sql_fixture/events.json)
// into a store directory with one thread and no fsync, so every test reads the same
// segments.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "ingest/ingest_pipeline.h"
#include "storage/store.h"

namespace trailbook::sql::testing {

inline constexpr char kSqlFixtureEvents[] = "tests/data/sql_fixture/events.json";

// Ingests `path` into the store at `store_dir` (created when missing). Returns the ingest's
// error, or kInvalidArgument naming `path` when any file or record of it was rejected.
inline Status IngestForTest(const std::string& store_dir, const std::string& path) {
  TB_ASSIGN_OR_RETURN(auto writer, storage::Store::Open(store_dir, storage::Store::Mode::kReadWrite));
  ingest::IngestOptions options;
  options.threads = 1;
  options.segment_options.sync = false;
  std::vector<std::string> paths{path};
  TB_ASSIGN_OR_RETURN(auto summary, ingest::Ingest(*writer, paths, options, nullptr));
  if (summary.anything_rejected()) return InvalidArgument(path + ": the test input was rejected");
  return Status();
}

}  // namespace trailbook::sql::testing
