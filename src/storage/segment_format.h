// File: storage/segment_format.h
//
// Constants and footer structures of the segment file format (docs/format/segment.md).
// A segment is an immutable file holding the events of one UTC day (or part of one), sorted
// by eventTime, split into blocks of rows; every column of every block is a separately
// checksummed chunk, so a query reads only the blocks and columns it needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace trailbook::storage {

// DO NOT CHANGE: stored in segment files (docs/format/segment.md).
inline constexpr char kSegmentMagic[9] = "TBSEG001";
inline constexpr char kSegmentTrailerMagic[9] = "TBSEGEND";
inline constexpr uint32_t kSegmentFormatVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 16;   // magic + version + reserved
inline constexpr size_t kSegmentTrailerSize = 28;  // footer offset, length, checksum, magic

// DO NOT CHANGE values: stored in segment footers.
enum class ColumnEncoding : uint8_t {
  kAllNull = 0,       // Every row is NULL; no chunks.
  kDictionary = 1,    // Segment dictionary (sorted) + per-block codes, 0 = NULL.
  kTimestampFor = 2,  // Per-block frame of reference: base + unit + bit-packed offsets.
  kBoolCodes = 3,     // Per-block codes 0 = NULL, 1 = false, 2 = true.
  kPlain = 4,         // Per-block frames of length-prefixed values, zstd-compressed.
  kUuid = 5,          // Per-block 16-byte binary UUIDs + kinds + verbatim exceptions.
};

// DO NOT CHANGE values: stored in chunks.
enum class Codec : uint8_t { kNone = 0, kZstd = 1 };

// DO NOT CHANGE values: stored in segment footers.
enum class IndexKind : uint8_t {
  kNone = 0,
  kPostings = 1,  // Dictionary columns: row ids per code.
  kBloom = 2,     // Plain/UUID columns: one split-block bloom filter per block (older
                  // segments; readers still use it).
  kHash = 3,      // Plain/UUID columns: one row hash index per segment (hash_index.h).
};

// Per-block code chunk kinds. DO NOT CHANGE.
inline constexpr uint8_t kCodesConstant = 0;
inline constexpr uint8_t kCodesPacked = 1;
inline constexpr uint8_t kCodesRle = 2;  // runs: packed values + packed run ends

// UUID kinds in a kUuid block. DO NOT CHANGE.
inline constexpr uint8_t kUuidNull = 0;
inline constexpr uint8_t kUuidLower = 1;
inline constexpr uint8_t kUuidUpper = 2;
inline constexpr uint8_t kUuidException = 3;

// Where a chunk lives in the file.
struct ChunkRef {
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t checksum = 0;
};

struct BlockMeta {
  uint32_t row_start = 0;
  uint32_t row_count = 0;
  int64_t min_time = 0;
  int64_t max_time = 0;
};

struct ColumnMeta {
  uint16_t column_id = 0;
  uint8_t type = 0;  // ColumnType
  ColumnEncoding encoding = ColumnEncoding::kAllNull;
  uint64_t null_count = 0;
  uint32_t dictionary_size = 0;   // kDictionary: entries (codes 1..size)
  ChunkRef dictionary;            // kDictionary
  std::vector<ChunkRef> blocks;   // one per block unless kAllNull
  IndexKind index = IndexKind::kNone;
  std::vector<ChunkRef> index_chunks;  // kPostings: one; kBloom: one per block
};

struct SegmentFooter {
  uint64_t segment_id = 0;
  int64_t day = 0;             // UTC day number (days since epoch) of every row
  uint64_t row_count = 0;
  int64_t min_time = 0;
  int64_t max_time = 0;
  uint32_t block_rows = 0;
  std::vector<BlockMeta> blocks;
  std::vector<ColumnMeta> columns;
};

// Serializes and parses a footer (the body between the data region and the trailer).
std::string EncodeFooter(const SegmentFooter& footer);
Status DecodeFooter(std::string_view bytes, SegmentFooter* footer);

// Returns the file name of a segment: "<16 hex digits>.tbs".
std::string SegmentFileName(uint64_t segment_id);

}  // namespace trailbook::storage
