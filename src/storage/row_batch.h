// File: storage/row_batch.h
//
// RowBatch: events being ingested, held column by column in memory until they are sorted,
// partitioned by day and encoded into segments. Ingest's normaliser appends one row at a
// time; the segment writer reads rows back by column.
//
//   RowBatch batch;
//   batch.SetTimestamp(schema.event_time_column(), t);
//   batch.SetString(col, "ConsoleLogin");
//   batch.EndRow(dedup_key);
//
// Columns that are never set in a row read back as NULL (lazy null padding: untouched
// columns cost nothing). Low-cardinality string columns are interned as they arrive, so a
// batch's memory is dominated by the free-form JSON and unique ids.
//
// Thread safety: not thread-safe; one batch per ingest worker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/event_schema.h"
#include "storage/string_interner.h"

namespace trailbook::storage {

// How a column is held in a RowBatch.
enum class BuilderKind : uint8_t {
  kTimestamp,  // int64 values, kNullTimestamp for NULL.
  kBool,       // 0 = NULL, 1 = false, 2 = true.
  kInterned,   // ids into a per-column StringInterner, 0 = NULL.
  kRaw,        // bytes + offsets (unique ids, JSON text, residual).
};

inline constexpr int64_t kNullTimestamp = INT64_MIN;

// Returns how the schema column `column` is held (fixed per column).
BuilderKind BuilderKindFor(const ColumnSpec& column);

class RowBatch {
 public:
  RowBatch();
  RowBatch(const RowBatch&) = delete;
  RowBatch& operator=(const RowBatch&) = delete;
  RowBatch(RowBatch&&) = default;
  RowBatch& operator=(RowBatch&&) = default;

  size_t row_count() const { return row_count_; }

  // Setters for the row being built (row index row_count()). Each column may be set at most
  // once per row. REQUIRES: the column's BuilderKind matches.
  void SetTimestamp(int column, int64_t micros);
  void SetBool(int column, bool value);
  void SetString(int column, std::string_view value);

  // Sets a string column like SetString, but an interned column's table lookup may be
  // deferred: the value is hashed and its table slot prefetched now, and it is interned by
  // ResolveDeferred (or EndRow), so the cache miss overlaps the caller's work on the rest
  // of the row. REQUIRES: the bytes of `value` stay valid and unchanged until
  // ResolveDeferred, DiscardDeferred, EndRow, AbandonRow or TruncateRows.
  void SetStringDeferred(int column, std::string_view value);
  // Interns the deferred values of the current row.
  void ResolveDeferred();
  // Drops the deferred values of the current row (a record rejected half-way).
  void DiscardDeferred() { deferred_.clear(); }

  // Finishes the row. `dedup_key` identifies the event for deduplication (hash of eventID).
  void EndRow(uint64_t dedup_key);

  // Drops the current unfinished row's values (a record rejected half-way).
  void AbandonRow() { TruncateRows(row_count_); }

  // Drops rows >= `rows` (a file rejected after some of its records were appended).
  void TruncateRows(size_t rows);

  void Clear();

  // Readers. Rows past a column's end are NULL. Inline: the segment writer calls them for
  // every row of every column.
  int64_t timestamp(int column, size_t row) const {
    const Column& c = columns_[static_cast<size_t>(column)];
    return row < c.i64.size() ? c.i64[row] : kNullTimestamp;
  }
  // Returns 0 = NULL, 1 = false, 2 = true.
  uint8_t bool_code(int column, size_t row) const {
    const Column& c = columns_[static_cast<size_t>(column)];
    return row < c.u8.size() ? c.u8[row] : 0;
  }
  // Returns the interned id (0 = NULL) of an interned column.
  uint32_t interned_id(int column, size_t row) const {
    const Column& c = columns_[static_cast<size_t>(column)];
    return row < c.ids.size() ? c.ids[row] : 0;
  }
  const StringInterner& interner(int column) const {
    return columns_[static_cast<size_t>(column)].interner;
  }
  // Returns the value of any string/JSON column, or nullopt for NULL.
  std::optional<std::string_view> string(int column, size_t row) const {
    const Column& c = columns_[static_cast<size_t>(column)];
    if (c.kind == BuilderKind::kInterned) {
      uint32_t id = row < c.ids.size() ? c.ids[row] : 0;
      if (id == 0) return std::nullopt;
      return c.interner.Get(id);
    }
    if (row >= c.ends.size() || c.u8[row] != 0) return std::nullopt;
    uint64_t begin = row == 0 ? 0 : c.ends[row - 1];
    return std::string_view(c.bytes.data() + begin, c.ends[row] - begin);
  }

  uint64_t dedup_key(size_t row) const { return dedup_keys_[row]; }
  int64_t event_time(size_t row) const { return timestamp(event_time_column_, row); }

  // Approximate bytes of data in the batch (sizes, not capacities): what a flush frees for
  // new rows, so this is what ingest compares against its batch budget.
  size_t memory_bytes() const;

 private:
  // Cache-line aligned, with what an interned value needs (kind, ids, the interner's memo
  // and bytes) in the first line: the normaliser touches ~40 columns per event, and the
  // column records fell out of L1 between events.
  struct alignas(64) Column {
    BuilderKind kind;
    std::vector<uint32_t> ids;     // kInterned
    StringInterner interner;       // kInterned
    std::vector<int64_t> i64;      // kTimestamp
    std::vector<uint8_t> u8;       // kBool; kRaw null flags (1 = null)
    std::string bytes;             // kRaw
    std::vector<uint64_t> ends;    // kRaw: end offset of each row in `bytes`
    size_t size() const;
  };
  void PadTo(Column& c, size_t rows);

  // A value of the current row waiting for its interner lookup (SetStringDeferred).
  struct Deferred {
    int column;
    uint64_t hash;
    std::string_view value;
  };

  std::vector<Column> columns_;
  std::vector<Deferred> deferred_;
  std::vector<uint64_t> dedup_keys_;
  size_t row_count_ = 0;
  int event_time_column_;
};

}  // namespace trailbook::storage
