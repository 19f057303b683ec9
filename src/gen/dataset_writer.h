// File: gen/dataset_writer.h
//
// WriteDataset: writes a generated data set to disk as CloudTrail delivers it to S3
// (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_
// <YYYYMMDDTHHmmZ>_<16 alnum>.json.gz, one {"Records":[...]} object per file, gzip level 6,
// plus hourly digest files under CloudTrail-Digest/ for the accounts with log file
// validation), or as NDJSON for tests. Work is split by hour; `threads` only changes speed.
//
//   GeneratorOptions options;
//   options.events = 1'000'000;
//   options.threads = 2;
//   TB_ASSIGN_OR_RETURN(GenerationSummary s, WriteDataset(options, "/tmp/ct"));
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "gen/generator.h"

namespace trailbook::gen {

struct GenerationSummary {
  uint64_t files = 0;            // log files written (.json.gz, or .ndjson)
  uint64_t digest_files = 0;     // CloudTrail-Digest files written (S3 format only)
  uint64_t records = 0;          // records in the log files, duplicates included
  uint64_t distinct_events = 0;  // distinct eventIDs (== options.events)
  uint64_t duplicates = 0;       // records - distinct_events
  uint64_t error_events = 0;     // distinct events with an errorCode or errorMessage
  uint64_t json_bytes = 0;       // uncompressed bytes of the log files
  uint64_t gzip_bytes = 0;       // bytes on disk of the log files (== json_bytes for NDJSON)
  uint64_t digest_bytes = 0;     // bytes on disk of the digest files
  int64_t first_event_micros = 0;
  int64_t last_event_micros = 0;
  // Scenario instances planned, by name ("console_brute_force", ...), in a fixed order.
  std::vector<std::pair<std::string, uint64_t>> scenarios;
};

// Generates the data set described by `options` into `out_dir`, which must not exist or be
// an empty directory. Returns kInvalidArgument for bad options, kAlreadyExists when
// `out_dir` is not empty, kIOError (naming the path) when a file cannot be written.
// After an error, files already written stay in `out_dir`.
Result<GenerationSummary> WriteDataset(const GeneratorOptions& options, const std::string& out_dir);

}  // namespace trailbook::gen
