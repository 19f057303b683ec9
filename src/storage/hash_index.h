// File: storage/hash_index.h
//
// The row hash index of a segment column (IndexKind::kHash, docs/format/segment.md): for
// every non-NULL row, a 12-bit fingerprint of the value's XXH3-64 hash and the row number,
// grouped into hash buckets of about 4-8 entries with a directory of bucket offsets. A needle
// lookup reads one directory slot and one bucket (one or two cache lines) and gets the few
// rows that can hold the value (all true matches, and a false one with probability about
// bucket size / 4,096), which the caller then checks against the column. It replaces the
// per-block Bloom filters of unique-id columns (eventID, requestID), where each filter hit,
// true or false, cost a scan of an 8,192-row block.
//
//   HashIndexBuilder b;  b.Add(hash, row) ...;  std::string chunk = b.Finish();
//   TB_ASSIGN_OR_RETURN(HashIndexView v, HashIndexView::Parse(chunk, segment_rows));
//   v.Candidates(hash, &rows);   // then compare each row's value
//
// Thread safety: a builder is used by one thread; a view is immutable and borrows its chunk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::storage {

// What the writer chooses. Neither is a format constant: each chunk records its bucket and
// fingerprint bits, and readers accept any valid combination.
// Fingerprint bits per entry: a lookup meets a false candidate with probability about
// (entries per bucket) / 2^12 per segment, ~0.15%: one extra row compare per ~700 segments
// searched. 12 bits instead of 16 save half a byte per row per indexed column (eventID,
// requestID: ~1% of the store); segments written with 16 remain readable and exact.
inline constexpr uint32_t kHashIndexFingerprintBits = 12;
// Maximum average entries per bucket: the writer takes the fewest buckets, a power of two,
// that keep the average at or under this (so between 4 and 8).
inline constexpr uint64_t kHashIndexBucketEntries = 8;

// Collects (hash, row) pairs of one column of one segment and encodes the index chunk.
class HashIndexBuilder {
 public:
  // REQUIRES: rows are added in ascending order (so equal fingerprints keep row order).
  void Add(uint64_t hash, uint32_t row) { entries_.push_back(Entry{hash, row}); }
  size_t size() const { return entries_.size(); }
  // Returns the chunk bytes (layout in docs/format/segment.md). Consumes the entries.
  std::string Finish();

 private:
  struct Entry {
    uint64_t hash;
    uint32_t row;
  };
  std::vector<Entry> entries_;
};

// A parsed index chunk. Parse checks that the header is consistent and that the chunk holds
// exactly the directory and entries it declares; lookups check each offset and row they
// read, so a damaged chunk yields kCorruption, never an out-of-bounds read.
class HashIndexView {
 public:
  // Parses `chunk` (borrowed: must outlive the view) of a segment of `segment_rows` rows.
  // Errors: kCorruption naming what is inconsistent.
  static Result<HashIndexView> Parse(std::string_view chunk, uint64_t segment_rows);

  // Appends to `rows` (ascending among the appended, for a chunk the writer built) every row whose entry has the bucket
  // and fingerprint of `hash`: all rows holding a value with this hash, possibly plus rows
  // whose value only shares the fingerprint. Errors: kCorruption (offsets or rows out of
  // range).
  Status Candidates(uint64_t hash, std::vector<uint32_t>* rows) const;

  uint64_t entries() const { return entries_; }

 private:
  HashIndexView() = default;
  const char* directory_ = nullptr;
  const char* table_ = nullptr;
  uint64_t entries_ = 0;
  uint64_t segment_rows_ = 0;
  uint32_t bucket_bits_ = 0;
  uint32_t fp_bits_ = 0;
  uint32_t row_width_ = 0;
  uint32_t offset_width_ = 0;
};

}  // namespace trailbook::storage
