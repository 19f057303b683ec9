// File: ingest/line_reader.h
//
// LineReader: splits decoded input into lines for the NDJSON readers, either over a complete
// text in memory (no copying) or over a ByteStream through a bounded window (streaming), so
// a multi-gigabyte NDJSON file needs only chunk_bytes + max_line_bytes of memory. Lines end at
// '\n'; a '\r' before it is dropped (CRLF files); the last line needs no terminator. A line
// longer than the limit is reported as too long and skipped without being buffered.
//
//   LineReader lines(text, limits.max_line_bytes);
//   Line line;
//   while (true) { TB_ASSIGN_OR_RETURN(bool more, lines.Next(&line)); if (!more) break; ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "ingest/byte_stream.h"
#include "ingest/padded_buffer.h"

namespace trailbook::ingest {

struct Line {
  // The line without its terminator. kPadding readable bytes follow it. Empty when too_long.
  std::string_view text;
  uint64_t number = 0;  // 1-based.
  uint64_t length = 0;  // Bytes in the line (also for a too-long line).
  bool too_long = false;
};

// Thread safety: not thread-safe.
class LineReader {
 public:
  // Reads the lines of `text`, which must be followed by kPadding readable bytes and outlive
  // the reader.
  LineReader(std::string_view text, uint64_t max_line_bytes);

  // Reads the lines of `buffer`'s current contents followed by the rest of `stream`, reading
  // `chunk_bytes` at a time into `buffer`. Both must outlive the reader.
  LineReader(PaddedBuffer* buffer, ByteStream* stream, uint64_t chunk_bytes,
             uint64_t max_line_bytes);

  // Stores the next line in `*line` and returns true, or returns false at the end of input.
  // `line->text` stays valid until the next call. Returns errors of the stream.
  Result<bool> Next(Line* line);

 private:
  Result<bool> NextStreaming(Line* line);
  void Emit(size_t begin, size_t end, Line* line);

  std::string_view text_;
  PaddedBuffer* buffer_ = nullptr;
  ByteStream* stream_ = nullptr;
  size_t chunk_bytes_ = 0;
  uint64_t max_line_bytes_;
  size_t start_ = 0;  // Start of the current line (in text_ or buffer_).
  size_t scan_ = 0;   // Where the search for '\n' resumes.
  bool eof_ = false;
  uint64_t number_ = 0;
  uint64_t discarded_ = 0;  // Bytes already dropped of a too-long line.
  bool discarding_ = false;
};

}  // namespace trailbook::ingest
