// File: ingest/reader_limits.h
//
// ReaderLimits: the size bounds that keep the input readers' memory and time bounded whatever
// the input holds (huge files, huge records, gzip bombs). Every limit is configurable; the
// defaults suit real CloudTrail data.
//
//   ReaderLimits limits;
//   limits.max_record_bytes = 2 << 20;
//   TB_RETURN_IF_ERROR(limits.Validate());
//   FileReader reader(limits);
#pragma once

#include <cstdint>

#include "base/status.h"

namespace trailbook::ingest {

struct ReaderLimits {
  // Largest decompressed JSON document that is not line-oriented ({"Records":[...]}, a JSON
  // array, LookupEvents or Lake GetQueryResults output). Larger ones are rejected
  // (kResourceExhausted); NDJSON and Lake CSV inputs stream and have no such limit.
  uint64_t max_document_bytes = uint64_t{256} << 20;
  // Largest text of one event; a larger record is a record error.
  uint64_t max_record_bytes = uint64_t{1} << 20;
  // Largest NDJSON line or CSV row. A line may hold a whole {"Records":[...]} file (as made by
  // `zcat *.json.gz > all.json`), hence larger than max_record_bytes. A longer line is a
  // record error and is skipped without being buffered.
  uint64_t max_line_bytes = uint64_t{64} << 20;
  // Inputs up to this size (raw, and decompressed) are read and decoded in one buffer; larger
  // ones are streamed through chunk_bytes windows. Also the buffer size kept between files.
  uint64_t whole_buffer_bytes = uint64_t{64} << 20;
  // Read size of the streaming path.
  uint64_t chunk_bytes = uint64_t{4} << 20;
  // Largest decompressed size of one gzip input (time bound for streamed gzip).
  uint64_t max_decompressed_bytes = uint64_t{64} << 30;
  // Largest decompressed/compressed ratio of a gzip input, checked once more than
  // gzip_ratio_floor_bytes came out (real CloudTrail JSON compresses 8-30x; bombs ~1000x).
  uint64_t max_gzip_ratio = 200;
  uint64_t gzip_ratio_floor_bytes = uint64_t{16} << 20;
  // Largest input read from stdin (stdin is read into memory first).
  uint64_t max_stdin_bytes = uint64_t{1} << 30;

  // Returns kInvalidArgument naming the field when a limit is zero or inconsistent
  // (max_record_bytes <= max_line_bytes <= max_document_bytes, whole_buffer_bytes <=
  // max_document_bytes).
  Status Validate() const;
};

}  // namespace trailbook::ingest
