// File: cli/exit_code.h
//
// The process exit codes of the trailbook CLI, and the one place that maps a Status to
// an exit code. DO NOT CHANGE the values: CI pipelines depend on them (docs/cli.md).
#pragma once

#include "base/status.h"

namespace trailbook::cli {

enum class ExitCode : int {
  kOk = 0,               // Ran; results (if any) follow.
  kFailure = 1,          // Any other failure.
  kUsage = 2,            // Bad command line.
  kUnauthenticated = 3,  // The token did not verify.
  kPermissionDenied = 4, // The token verified but does not allow the request.
  kRunbookError = 5,     // Bad parameters, invalid runbook or query, query failed.
  kStoreError = 6,       // The store could not be opened, read or written.
  kInputRejected = 7,    // Ingest finished but rejected some files or records.
  kRowsFound = 8,        // `run --fail-on-rows` found rows.
  kVerifyFailed = 9,     // A snapshot or audit verification found tampering.
};

// Maps a Status to an exit code. kInvalidArgument maps to kRunbookError since it means
// the request (SQL, parameters) was bad; I/O and corruption map to kStoreError.
ExitCode ExitCodeFor(const Status& status);

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

}  // namespace trailbook::cli
