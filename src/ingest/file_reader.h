// File: ingest/file_reader.h
//
// FileReader: turns one input (a file found by DiscoverInputs, stdin, or bytes in memory) into
// the stream of event JSON texts it holds, calling a RecordSink per event. It detects gzip by
// magic bytes (any number of members) and the container by content:
//   {"Records":[...]} (S3 delivery, CloudTrail-Insight), a JSON array of events, NDJSON (one
//   event, LookupEvents record or {"Records":[...]} per line; CRLF ok), one event object,
//   LookupEvents output ({"Events":[...]} or lines, event in the CloudTrailEvent string),
//   CloudTrail Lake GetQueryResults JSON and saved result CSVs (eventJson column); digest and
//   Lake sign files are recognised and skipped.
// Inputs up to ReaderLimits::whole_buffer_bytes are read and gunzipped (libdeflate) in one
// reused buffer; larger ones stream (zlib) through a bounded window, so memory is bounded by the
// limits, not by the input. A problem with one record is reported to the sink and reading goes
// on; a problem with the input as a whole fails Read with a Status naming the input.
//
//   FileReader reader(ReaderLimits{});                  // one per worker thread
//   FileInfo info;
//   Status s = reader.Read(input, sink, &info);
//   if (!s.ok()) { /* reject the input; drop what the sink got from it */ }
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/format_detection.h"
#include "ingest/input_discovery.h"
#include "ingest/reader_limits.h"
#include "ingest/record_sink.h"

namespace trailbook::ingest {

// What Read learned about an input. Filled as far as reading got, also on failure.
struct FileInfo {
  ContainerFormat format = ContainerFormat::kUnknown;
  bool gzip = false;
  uint64_t compressed_bytes = 0;  // Raw bytes read (as stored; equal to json_bytes unless gzip).
  uint64_t json_bytes = 0;        // Decoded bytes.
  std::string sha256_hex;         // SHA-256 of the raw bytes; set once the input was read whole.
  uint64_t records = 0;           // Records delivered to the sink.
  uint64_t record_errors = 0;     // Records reported with OnRecordError.
  std::string skip_reason;        // Non-empty when the input was skipped (by name or content).
};

// Thread safety: not thread-safe. Use one FileReader per thread; it reuses its buffers and
// parsers across inputs (after an input larger than whole_buffer_bytes it frees the excess).
class FileReader {
 public:
  // REQUIRES: limits.Validate().ok().
  explicit FileReader(ReaderLimits limits);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Reads `input` and calls `sink` for each of its records, in input order. Inputs of kind
  // kDigest, kLakeSignFile and kIgnored are not opened: Read returns OK with
  // info->skip_reason set. For kUnreadable it returns input.error. kStdin reads stdin (up to
  // max_stdin_bytes) and continues as ReadBytes("stdin", ...).
  //
  // Returns OK when the input was read to its end, even if some records were rejected
  // (info->record_errors counts them), and also when the content is a digest or sign file
  // (info->skip_reason). Otherwise the returned Status names the input (and the byte offset,
  // line or gzip member where it makes sense) and the caller must discard what the sink got:
  //   kInvalidArgument   empty or whitespace-only input, truncated or corrupt gzip, invalid
  //                      JSON container, "Records is not an array", unrecognised format,
  //                      Lake CSV without an eventJson column or with broken quoting;
  //   kResourceExhausted a document over max_document_bytes, a gzip bomb (ratio or size cap),
  //                      stdin over max_stdin_bytes;
  //   kNotFound, kIOError the input cannot be opened or read;
  //   the sink's Status, unchanged, when OnRecord returned it.
  Status Read(const InputFile& input, RecordSink& sink, FileInfo* info);

  // Same as Read for bytes in memory (stdin, tests, fuzzing); `name` names the input in
  // messages. `bytes` need no padding.
  Status ReadBytes(std::string_view name, std::string_view bytes, RecordSink& sink, FileInfo* info);

  const ReaderLimits& limits() const { return limits_; }

 private:
  class Impl;
  ReaderLimits limits_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailbook::ingest
