// File: storage/segment_writer.h
//
// Writes one immutable segment file from rows of a RowBatch (docs/format/segment.md).
// The file is written to a temporary name, fsynced and renamed, so a crash leaves either
// no file or a complete one; the store's manifest commit makes it visible.
//
//   std::vector<uint32_t> rows = ...;   // rows of one UTC day, sorted by eventTime
//   TB_ASSIGN_OR_RETURN(SegmentInfo info, WriteSegment(dir, id, day, batch, rows, options, codec));
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/status.h"
#include "io/file.h"
#include "storage/row_batch.h"
#include "storage/zstd_codec.h"

namespace trailbook::storage {

struct SegmentWriteOptions {
  uint32_t block_rows = 8192;  // Rows per block: the unit of zone maps and chunk reads.
  uint32_t frame_rows = 2048;  // Rows per compressed frame of plain text columns.
  bool sync = true;            // fsync the file before renaming it into place.
};

// SegmentInfo::flags bits (stored in MANIFEST, docs/format/manifest.md; DO NOT CHANGE).
// kSegmentAuditOnly: every row is a trailbook audit event (eventSource trailbook.audit);
// set by the audit fold only, so a scan that hides audit events drops the segment from its
// list without reading it.
inline constexpr uint64_t kSegmentAuditOnly = 1;

// What the manifest records about a segment.
struct SegmentInfo {
  uint64_t id = 0;
  int64_t day = 0;
  uint64_t rows = 0;
  int64_t min_time = 0;
  int64_t max_time = 0;
  uint64_t bytes = 0;
  uint64_t flags = 0;  // kSegment* bits; 0 in stores written before flags existed
};

// Writes rows `rows` of `batch` (all in UTC day `day`, sorted by eventTime) as segment `id`
// in directory `dir`. `codec` must be owned by the calling thread.
// Errors: kIOError / kResourceExhausted from the file system.
Result<SegmentInfo> WriteSegment(const std::string& dir, uint64_t id, int64_t day,
                                 const RowBatch& batch, std::span<const uint32_t> rows,
                                 const SegmentWriteOptions& options, ZstdCodec& codec);

// A segment file written under its temporary name but not yet synced nor renamed into
// place: the first half of WriteSegment, so a pipeline can encode and write the next batch
// while another thread waits for the disk (FinishSegment). Holds the open file.
struct UnsyncedSegment {
  SegmentInfo info;
  std::string tmp_path;
  std::string path;
  std::unique_ptr<io::AppendFile> file;
};

// Encodes and writes rows `rows` of `batch` as WriteSegment does, to `<path>.tmp`, without
// syncing or renaming it. Nothing refers to the file until FinishSegment renames it and the
// store commits it; an ingest that stops before that leaves an orphan the store removes.
// Errors: kIOError / kResourceExhausted from the file system.
Result<UnsyncedSegment> WriteSegmentUnsynced(const std::string& dir, uint64_t id, int64_t day,
                                             const RowBatch& batch,
                                             std::span<const uint32_t> rows,
                                             const SegmentWriteOptions& options,
                                             ZstdCodec& codec);

// Makes `segment` durable (fdatasync when options.sync) and renames it into place, then
// closes it. May run on another thread than WriteSegmentUnsynced. Errors: kIOError.
Status FinishSegment(UnsyncedSegment& segment, const SegmentWriteOptions& options);

// Encodes the same segment into memory (used by WriteSegment and by tests).
std::string EncodeSegment(uint64_t id, int64_t day, const RowBatch& batch,
                          std::span<const uint32_t> rows, const SegmentWriteOptions& options,
                          ZstdCodec& codec);

// Returns true and fills 16 bytes when `s` is a canonical UUID (8-4-4-4-12 hex); `upper`
// tells whether its letters are upper case. Mixed case is not canonical.
bool ParseUuid(std::string_view s, uint8_t out[16], bool* upper);

// Formats 16 bytes as a UUID in lower or upper case.
void FormatUuid(const uint8_t bytes[16], bool upper, char out[36]);

}  // namespace trailbook::storage
