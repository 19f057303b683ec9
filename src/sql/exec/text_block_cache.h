// File: sql/exec/text_block_cache.h
//
// TextBlockCache: decoded text of the store's string columns (the JSON columns and free-text
// strings: requestParameters, additionalEventData, userAgent, ...) shared by the queries of
// one EventTable, so repeated scans skip zstd. The unit is a frame: plain text blocks are
// stored as independently compressed frames (SegmentReader::StringFrameRows), and any other
// encoding is one frame per block. The scan asks for the rows it needs of one frame (it
// reads a text column only for rows that passed the cheaper predicates); the cache decodes
// that frame alone and keeps either all of it or, when few of its rows were asked for, only
// those rows. A selective scan's footprint is thus proportional to the rows it reads, not to
// the column, and stays cached as the store grows.
//
//   TextBlockCache cache(256 << 20);
//   uint64_t query = cache.NewQueryId();
//   TB_ASSIGN_OR_RETURN(auto frame, cache.Get(segment, column, block, f, rows, query, &counters));
//   std::optional<std::string_view> v = frame->Value(rows[0]);
//
// Replacement is least recently used, made scan-resistant: a query never evicts an entry it
// has used itself. A scan larger than the budget therefore keeps the part that fits (the next
// run hits it) instead of flushing the cache in a cycle that never hits, which is what plain
// LRU does under a repeated scan larger than the cache.
//
// Thread safety: TextBlockCache is thread-safe; a TextFrame is immutable once built.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/thread_annotations.h"
#include "sql/exec/query_context.h"

namespace trailbook::storage {
class SegmentReader;
class StringBlock;
}  // namespace trailbook::storage

namespace trailbook::sql {

// Decoded values of some rows of one frame. Rows are frame-relative (0 = the frame's first).
// Invariants: a dense frame holds every row; a sparse one holds rows_ (ascending, distinct),
// value i being buffer_[offsets_[i], offsets_[i + 1]) unless nulls_[i].
class TextFrame {
 public:
  // Holds every row of `decoded` (a frame from SegmentReader::ReadStringFrame), sharing it.
  static std::shared_ptr<const TextFrame> Dense(std::shared_ptr<const storage::StringBlock> decoded);
  // Holds copies of `rows` of `decoded`. REQUIRES: rows ascending, distinct, < decoded.size().
  static std::shared_ptr<const TextFrame> Sparse(const storage::StringBlock& decoded,
                                                 std::span<const uint32_t> rows);

  bool dense() const { return dense_ != nullptr; }
  // Returns the number of rows held (the frame's row count when dense).
  size_t held_rows() const;
  // Returns true when every row of `rows` (ascending) is held.
  bool HasAll(std::span<const uint32_t> rows) const;
  // Appends the held rows of a sparse frame to `out` (ascending).
  void AppendHeldRows(std::vector<uint32_t>* out) const;
  // Returns the value of `row`, nullopt for NULL; the view lives as long as the frame.
  // REQUIRES: the row is held (HasAll({row})).
  std::optional<std::string_view> Value(uint32_t row) const;
  // Returns the memory the frame holds, as charged against the cache budget.
  size_t bytes() const { return bytes_; }

 private:
  TextFrame() = default;
  std::shared_ptr<const storage::StringBlock> dense_;
  std::vector<uint32_t> rows_;
  std::vector<uint32_t> offsets_;
  std::vector<uint8_t> nulls_;
  std::string buffer_;
  size_t bytes_ = 0;
};

// Recently decoded text frames keyed by (segment id, block, column, frame), within a byte
// budget. Segments are immutable, so an entry never goes stale. See the file comment for the
// replacement rule.
class TextBlockCache {
 public:
  // A frame is kept sparse (only the asked-for rows) while at most 1 / kSparseFraction of
  // its rows have been asked for.
  static constexpr size_t kSparseFraction = 8;

  // `budget_bytes` of 0 disables caching (every Get decodes).
  explicit TextBlockCache(size_t budget_bytes) : budget_(budget_bytes) {}
  TextBlockCache(const TextBlockCache&) = delete;
  TextBlockCache& operator=(const TextBlockCache&) = delete;

  // Returns a fresh id for one query (one scan); Get tags the entries it uses with it.
  uint64_t NewQueryId() { return next_query_id_.fetch_add(1) + 1; }

  // Returns frame `frame` of string column `column` in block `block` of `segment`, holding
  // at least `rows` (frame-relative, ascending, distinct), decoding the frame on a miss.
  // Counts frames read, cache hits and stored bytes read in `counters`.
  // Errors: those of SegmentReader::ReadStringFrame; kInternal when a row is outside the
  // decoded frame.
  Result<std::shared_ptr<const TextFrame>> Get(const storage::SegmentReader& segment, int column,
                                               uint32_t block, uint32_t frame,
                                               std::span<const uint32_t> rows, uint64_t query_id,
                                               ScanCounters* counters);

  // Returns the bytes currently charged against the budget (tests and stats).
  size_t used_bytes() const;
  // Checks the invariants: used_ is the sum of the entries' bytes and at most the budget,
  // and the index and the LRU list hold the same entries. Errors: kInternal naming the
  // broken one.
  Status Verify() const;

 private:
  struct Key {
    uint64_t segment;
    uint32_t block;
    uint32_t frame;
    int column;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct Entry {
    Key key;
    std::shared_ptr<const TextFrame> frame;
    size_t bytes;
    uint64_t last_query;  // the last query that used the entry
  };

  // Inserts or replaces `key`'s entry, evicting least recently used entries of other
  // queries; gives up (leaves the cache as is for `key`) when the only entries left to evict
  // are the query's own.
  void Admit(const Key& key, std::shared_ptr<const TextFrame> frame, uint64_t query_id);

  const size_t budget_;
  std::atomic<uint64_t> next_query_id_{0};
  mutable std::mutex mu_;
  std::list<Entry> lru_ TB_GUARDED_BY(mu_);  // most recently used first
  std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_ TB_GUARDED_BY(mu_);
  size_t used_ TB_GUARDED_BY(mu_) = 0;
};

}  // namespace trailbook::sql
