// File: storage/segment_reader.h
//
// SegmentReader: read access to one immutable segment file through a memory map. It
// verifies the trailer and footer on open, verifies each chunk's checksum the first time it
// is read, decodes blocks of a column, reads single rows in O(1) for dictionary, boolean,
// timestamp and UUID columns, and answers needle lookups from the segment's indexes.
//
//   TB_ASSIGN_OR_RETURN(auto seg, SegmentReader::Open(path));
//   std::vector<uint32_t> codes(seg->block(b).row_count);
//   TB_RETURN_IF_ERROR(seg->ReadCodes(col, b, codes.data()));
//   TB_ASSIGN_OR_RETURN(auto dict, seg->GetDictionary(col));
//
// Column arguments are schema column indexes (EventSchema::columns()). A column the segment
// does not contain (written before the column existed) reads as all NULL.
//
// Thread safety: all methods are const and thread-safe; caches are internally synchronized.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/thread_annotations.h"
#include "io/file.h"
#include "storage/dictionary_cache.h"
#include "storage/segment_format.h"

namespace trailbook::storage {

// A decoded segment dictionary: entry(code) for codes 1..size(); sorted ascending.
class Dictionary {
 public:
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }
  // REQUIRES: 1 <= code <= size().
  std::string_view entry(uint32_t code) const { return entries_[code - 1]; }
  // Returns the code of `value`, or 0 when absent (binary search).
  uint32_t Find(std::string_view value) const;
  // Returns the first code whose entry is >= `value` (size()+1 when none), for range scans.
  uint32_t LowerBound(std::string_view value) const;
  // Heap bytes held (what a SegmentDictionaryCache charges for it).
  size_t memory_bytes() const {
    return sizeof(Dictionary) + buffer_.capacity() + entries_.capacity() * sizeof(std::string_view);
  }

 private:
  friend class SegmentReader;
  std::string buffer_;
  std::vector<std::string_view> entries_;
};

// Strings of one block, materialized: value(i) is nullopt for NULL. Views stay valid while
// the StringBlock lives (it owns decompressed bytes and, for dictionaries, the dictionary).
class StringBlock {
 public:
  size_t size() const { return values_.size(); }
  std::optional<std::string_view> value(size_t i) const {
    return nulls_[i] ? std::nullopt : std::optional<std::string_view>(values_[i]);
  }
  bool is_null(size_t i) const { return nulls_[i] != 0; }
  std::string_view view(size_t i) const { return values_[i]; }

 private:
  friend class SegmentReader;
  // Makes the buffer `n` bytes of uninitialized memory (the decoder overwrites all of it;
  // zero-filling it first cost 5% of a cold text scan).
  char* ResizeBuffer(size_t n) {
    buffer_ = std::make_unique_for_overwrite<char[]>(n);
    return buffer_.get();
  }
  std::unique_ptr<char[]> buffer_;
  std::shared_ptr<const Dictionary> dictionary_;
  std::vector<std::string_view> values_;
  std::vector<uint8_t> nulls_;
};

// A needle for a kUuid column, parsed once: its 16 bytes and which stored kinds can equal
// it as text. SQL equality on such a column is exact text equality, so a canonical
// lowercase needle matches only rows stored as lowercase UUIDs, an uppercase one only
// uppercase rows, an all-digit one both, and a mixed-case or non-UUID needle only the
// verbatim exceptions. Borrows `value`, which must outlive the needle.
class UuidNeedle {
 public:
  explicit UuidNeedle(std::string_view value);
  std::string_view text() const { return text_; }
  const uint8_t* binary() const { return binary_; }
  bool matches_lower() const { return matches_lower_; }
  bool matches_upper() const { return matches_upper_; }

 private:
  std::string_view text_;
  uint8_t binary_[16] = {};
  bool matches_lower_ = false;
  bool matches_upper_ = false;
};

// A needle value prepared once for lookups in many segments: its XXH3-64 hash (what the
// needle indexes store) and its UUID form. Borrows `value`, which must outlive the key.
class NeedleKey {
 public:
  explicit NeedleKey(std::string_view value);
  std::string_view value() const { return uuid_.text(); }
  uint64_t hash() const { return hash_; }
  const UuidNeedle& uuid() const { return uuid_; }

 private:
  UuidNeedle uuid_;
  uint64_t hash_;
};

class SegmentReader {
 public:
  // Maps and validates the segment at `path`. Errors: kNotFound, kIOError, kCorruption
  // (bad magic, version, footer checksum or structure), each naming the file. With
  // `dictionaries` (shared by the readers of one store and the store itself), decoded
  // dictionaries stay resident only while that cache or a caller holds them; without it the
  // reader keeps each dictionary it decoded for its own lifetime.
  static Result<std::shared_ptr<const SegmentReader>> Open(
      const std::string& path, std::shared_ptr<SegmentDictionaryCache> dictionaries = nullptr);
  // Same over bytes in memory (tests, fuzzing); `name` stands for the path in messages.
  static Result<std::shared_ptr<const SegmentReader>> OpenBytes(std::string bytes,
                                                                std::string name);

  const SegmentFooter& footer() const { return footer_; }
  const std::string& path() const { return path_; }
  uint64_t id() const { return footer_.segment_id; }
  uint64_t row_count() const { return footer_.row_count; }
  uint32_t num_blocks() const { return static_cast<uint32_t>(footer_.blocks.size()); }
  const BlockMeta& block(uint32_t b) const { return footer_.blocks[b]; }
  size_t file_bytes() const { return data_.size(); }

  // Returns the column's metadata, or nullptr when the segment lacks it (all NULL).
  const ColumnMeta* column(int schema_column) const;
  ColumnEncoding encoding(int schema_column) const;

  // Decodes codes of a dictionary or boolean column for every row of block `b` into `out`
  // (block(b).row_count entries; 0 = NULL). All-NULL columns yield zeros.
  Status ReadCodes(int column, uint32_t b, uint32_t* out) const;
  // Decodes the codes of `n` rows of block `b` (`rows`: row indexes within the block, any
  // order) into out[0..n), reading the block's chunk header once: what a needle scan uses
  // when a few rows of a block match (CodeAt per row re-validates run-length chunks).
  // Errors as ReadCodes; kInvalidArgument for a row outside the block.
  Status ReadCodesAt(int column, uint32_t b, const uint32_t* rows, size_t n, uint32_t* out) const;
  // Decodes a timestamp column for block `b` (kNullTimestamp for NULL).
  Status ReadTimestamps(int column, uint32_t b, int64_t* out) const;
  // Materializes the strings (any string or JSON column) of block `b`.
  Status ReadStrings(int column, uint32_t b, StringBlock* out) const;
  // Returns the rows per independently decodable frame of string column `column` in block
  // `b`: plain text blocks are stored as frames of this many rows (the last one may be
  // shorter), so a reader that needs a few rows decompresses only their frames; any other
  // encoding is one frame of the whole block. Errors: kCorruption (bad block header).
  Result<uint32_t> StringFrameRows(int column, uint32_t b) const;
  // Materializes frame `frame` of block `b`: out->size() is the frame's row count and
  // value(i) is block row frame * StringFrameRows(column, b) + i. Sets `*stored_bytes`
  // (nullable) to the bytes read from the file. Errors: kInvalidArgument for a frame outside
  // the block; kCorruption as ReadStrings.
  Status ReadStringFrame(int column, uint32_t b, uint32_t frame, StringBlock* out,
                         uint64_t* stored_bytes = nullptr) const;

  // Single-row access; `row` is the row index within the segment.
  Result<uint32_t> CodeAt(int column, uint64_t row) const;
  Result<int64_t> TimestampAt(int column, uint64_t row) const;
  // Returns the value of any string or JSON column at `row` (nullopt for NULL).
  Result<std::optional<std::string>> StringAt(int column, uint64_t row) const;

  // Returns the segment dictionary of a kDictionary column (cached after first use: for the
  // reader's lifetime, or, with a SegmentDictionaryCache, while it is resident there or held
  // by a caller; an evicted dictionary is decoded again).
  Result<std::shared_ptr<const Dictionary>> GetDictionary(int column) const;

  // Needle lookup: rows whose value equals `key.value()`. Every answer is exact: kPostings
  // lists the rows; kHash gives a few candidate rows, each compared with the needle; for
  // kBloom (older segments) and columns without an index, candidate blocks are scanned.
  // Rows are ascending. Errors: kCorruption (bad index or column chunks).
  Result<std::vector<uint32_t>> LookupRows(int column, const NeedleKey& key) const;
  Result<std::vector<uint32_t>> LookupRows(int column, std::string_view value) const {
    return LookupRows(column, NeedleKey(value));
  }
  // Like LookupRows for several values (IN lists); rows ascending, deduplicated.
  Result<std::vector<uint32_t>> LookupRowsAny(int column, std::span<const NeedleKey> keys) const;
  Result<std::vector<uint32_t>> LookupRowsAny(int column,
                                              std::span<const std::string> values) const;
  // Returns true when the column has a needle index in this segment.
  bool HasNeedleIndex(int column) const;

  // Returns the block containing segment row `row`.
  uint32_t BlockOfRow(uint64_t row) const {
    return static_cast<uint32_t>(row / footer_.block_rows);
  }

  // Drops the resident pages of the segment's file map (io::MappedFile::ReleasePages); no-op
  // for in-memory segments. Thread-safe.
  void ReleasePages() const {
    if (file_ != nullptr) file_->ReleasePages();
  }

  // Verifies every chunk checksum (for `trailbook verify` and tests).
  Status VerifyAll() const;

 private:
  SegmentReader() = default;
  static Result<std::shared_ptr<const SegmentReader>> Init(std::shared_ptr<SegmentReader> seg);
  Result<std::string_view> Chunk(int column, const ChunkRef& ref, size_t ordinal) const;
  Result<std::string_view> BlockChunk(int column, uint32_t b) const;
  size_t ChunkOrdinalBase(int column) const { return chunk_base_[static_cast<size_t>(column)]; }
  Status ScanBlockForValue(int column, uint32_t b, std::string_view value,
                           std::vector<uint32_t>* rows) const;
  // ScanBlockForValue for a kUuid block: compares 16-byte binaries (and exception text)
  // instead of formatting every row.
  Status ScanUuidBlockForValue(int column, uint32_t b, const UuidNeedle& needle,
                               std::vector<uint32_t>* rows) const;
  // Returns whether segment row `row` of a string column holds exactly `key.value()` (O(1)
  // for kUuid; kPlain decodes the row's frame).
  Result<bool> RowEquals(int column, uint32_t row, const NeedleKey& key) const;
  Status Error(std::string_view what) const;

  std::unique_ptr<io::MappedFile> file_;  // null for OpenBytes
  std::string owned_;                     // OpenBytes only
  std::string_view data_;
  std::string path_;
  SegmentFooter footer_;
  std::vector<int> column_meta_;     // schema column -> index into footer_.columns, or -1
  std::vector<size_t> chunk_base_;   // schema column -> first chunk ordinal
  mutable std::unique_ptr<std::atomic<uint8_t>[]> verified_;
  size_t num_chunks_ = 0;
  mutable std::mutex mu_;
  // Without a cache: every decoded dictionary, by schema column. With one: weak references,
  // the cache holding the strong ones.
  mutable std::vector<std::shared_ptr<const Dictionary>> dictionaries_ TB_GUARDED_BY(mu_);
  mutable std::vector<std::weak_ptr<const Dictionary>> weak_dictionaries_ TB_GUARDED_BY(mu_);
  std::shared_ptr<SegmentDictionaryCache> dictionary_cache_;  // nullable
};

}  // namespace trailbook::storage
