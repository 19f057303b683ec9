// File: ingest/input_discovery.h
//
// Input discovery: expands the PATH arguments of `trailbook ingest` (files, directories read
// recursively, "-" for stdin) into the ordered list of inputs the readers then read. Files
// that hold no events (CloudTrail digest files, CloudTrail Lake sign files) and, inside
// directories, files whose names are not log names are listed as skipped with a reason, so
// the ingest summary can account for every file it saw.
//
//   TB_ASSIGN_OR_RETURN(std::vector<InputFile> inputs, DiscoverInputs(paths));
//   for (const InputFile& in : inputs) if (IsReadable(in.kind)) reader.Read(in, sink, &info);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::ingest {

enum class InputKind {
  kLog,           // A file to read (format detected from its content).
  kDigest,        // A CloudTrail digest file: skipped, never an error.
  kLakeSignFile,  // A CloudTrail Lake result_sign.json: skipped.
  kStdin,         // "-": standard input.
  kIgnored,       // Inside a directory: hidden, not a log file name, or not a regular file.
  kUnreadable,    // Could not be examined; `error` says why. Reading it returns `error`.
};

// Returns the stable lower-case name of `kind` ("log", "digest", ...).
std::string_view InputKindName(InputKind kind);

// Returns true for the kinds FileReader::Read reads (kLog, kStdin) or rejects (kUnreadable);
// the others are skipped.
bool IsReadable(InputKind kind);

struct InputFile {
  std::string path;      // As given, or joined below a directory argument; "-" for stdin.
  uint64_t size = 0;     // Bytes on disk; 0 for stdin and pipes.
  int64_t mtime_ns = 0;  // Modification time, ns since the epoch; 0 for stdin.
  InputKind kind = InputKind::kLog;
  std::string skip_reason;  // Non-empty for kDigest, kLakeSignFile and kIgnored.
  Status error;             // Non-OK exactly for kUnreadable; its message names the path.
};

// Expands `paths` in argument order. A directory is walked recursively and its files come out
// sorted by path, so the S3 delivery layout AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
// comes out in time order. Inside directories, names starting with '.' are ignored (e.g.
// macOS "._x.json.gz" files), directory symlinks are not followed, and files are read only
// when named *.json, *.jsonl, *.ndjson, *.csv or *.txt, each optionally followed by .gz, or
// *.gz. A file named explicitly is always read (unless it is a digest or sign file), as is a
// pipe such as /dev/fd/63. A path that does not exist or cannot be listed becomes a
// kUnreadable entry, so the rest of the ingest goes on. A path reached twice is listed once.
//
// Returns kInvalidArgument when `paths` is empty, a path is empty, or "-" appears twice.
Result<std::vector<InputFile>> DiscoverInputs(std::span<const std::string> paths);

// Classifies a file by its path alone: kDigest (a "/CloudTrail-Digest/" directory or a
// "_CloudTrail-Digest_" name), kLakeSignFile ("result_sign.json"), kLog, or kIgnored when
// `in_directory` and the name is not a log file name. Sets `*skip_reason` for skipped kinds.
InputKind ClassifyPath(std::string_view path, bool in_directory, std::string* skip_reason);

}  // namespace trailbook::ingest
