// File: ingest/format_detection.h
//
// Content sniffing for the input readers: the ContainerFormat vocabulary, and DetectLayout,
// which decides from the first bytes of a decoded input whether it is one JSON document, JSON
// lines, or CSV, or rejects it (empty, whitespace only, an archive, unrecognised). Formats are
// never taken from file names: CloudTrail files get renamed, and exports arrive as .json, .txt
// or no extension at all.
//
//   TB_ASSIGN_OR_RETURN(Layout layout, DetectLayout(text, /*complete=*/true));
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::ingest {

enum class ContainerFormat {
  kUnknown,           // Not determined (the input failed before its format was known).
  kRecords,           // {"Records":[...]}: S3 delivery files (also CloudTrail-Insight).
  kJsonArray,         // [event, ...].
  kNdjson,            // One event per line (or one {"Records":[...]} per line, as `zcat` makes).
  kSingleEvent,       // One event object.
  kLookupEvents,      // LookupEvents records (NDJSON lines, {"Events":[...]}, or an array)
                      // with the event as a JSON string in CloudTrailEvent.
  kLakeQueryResults,  // `aws cloudtrail get-query-results` JSON with an eventJson column.
  kLakeCsv,           // Saved CloudTrail Lake results CSV with an eventJson column.
  kDigest,            // A CloudTrail digest file, recognised by content: skipped.
  kLakeSignFile,      // A CloudTrail Lake sign file, recognised by content: skipped.
};

// Returns the stable lower-case name of `format` ("records", "ndjson", ...).
std::string_view ContainerFormatName(ContainerFormat format);

// How the bytes of a decoded input are read.
enum class Layout {
  kJsonDocument,  // One JSON value (object or array), read whole.
  kJsonLines,     // One JSON object per line, read line by line.
  kCsv,           // CSV with a header row.
};

// Returns the length of a UTF-8 byte order mark at the start of `text` (3), or 0.
size_t ByteOrderMarkSize(std::string_view text);

// Decides the layout of a decoded input from its start `head`; `complete` says whether `head`
// is the whole input. When it is not, `head` must hold at least the first two lines after the
// first non-blank byte, or be as large as the reader's line limit.
//
// An input starting with '[' is a document. One starting with '{' is read as JSON lines when
// more content follows its first line and that line (or, if it is broken, the next non-blank
// line) is a complete object on its own; otherwise it is a document (pretty-printed JSON, or
// a single line). An input whose first line is a plausible CSV header is CSV.
//
// Returns kInvalidArgument for an empty or whitespace-only input, an archive or compressed
// format trailbook does not read (ZIP, bzip2, xz, zstd, 7z, gzip inside gzip), and anything
// else ("unrecognised format ... starts with ..."). Messages do not name the input.
Result<Layout> DetectLayout(std::string_view head, bool complete);

// Returns true when `line` (trimmed of spaces) is a '{' ... '}' object whose braces and
// brackets, outside strings, balance exactly at its end. A cheap structural check used to
// choose a layout, not a validation.
bool LooksLikeCompleteObject(std::string_view line);

// Returns the first `max_bytes` bytes of `s` in double quotes for a message, with bytes that
// are not printable ASCII, quotes and backslashes as \xNN, and "..." when cut.
std::string Excerpt(std::string_view s, size_t max_bytes = 40);

}  // namespace trailbook::ingest
