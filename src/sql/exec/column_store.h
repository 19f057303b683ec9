// File: sql/exec/column_store.h
//
// ColumnStore: rows materialized column by column in contiguous arrays, for the operators
// that must hold their input (sort, window, join build side, set operations) and for the
// keys of GROUP BY hash tables. Strings either stay in the chunks they came in (AppendChunk
// keeps the chunks alive) or are copied into the store's arena (AppendRow).
//
//   ColumnStore store(types);
//   store.AppendChunk(std::move(chunk));
//   store.Gather(rows.data(), rows.size(), out, /*first_column=*/0);
//
// Invariants: every column holds size() rows; a StringRef points into a chunk in `chunks_`
// or into `arena_`, both alive as long as the store (or a vector gathered from it).
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/arena.h"
#include "sql/types/data_chunk.h"

namespace trailbook::sql {

class ColumnStore {
 public:
  explicit ColumnStore(std::vector<LogicalType> types);
  ColumnStore(const ColumnStore&) = delete;
  ColumnStore& operator=(const ColumnStore&) = delete;

  const std::vector<LogicalType>& types() const { return types_; }
  size_t size() const { return size_; }
  size_t column_count() const { return columns_.size(); }

  // Appends all rows of `chunk` (whose columns match types()); takes the chunk over.
  void AppendChunk(DataChunk&& chunk);
  // Appends row `row` of the flat vectors `values` (one per column), copying strings.
  void AppendRow(std::span<const Vector* const> values, size_t row);

  // Writes rows[0..n) into columns [first_column, first_column + column_count()) of `out`
  // (flat; strings shared). REQUIRES: out has those columns with matching types.
  void Gather(const uint32_t* rows, size_t n, DataChunk& out, size_t first_column) const;
  // Writes rows[0..n) of one column into `out` (flat).
  void GatherColumn(size_t column, const uint32_t* rows, size_t n, Vector& out) const;
  // Writes `n` NULLs into the columns of `out` that Gather would fill.
  void FillNulls(size_t n, DataChunk& out, size_t first_column) const;

  bool IsNull(size_t column, size_t row) const { return columns_[column].nulls[row] != 0; }
  // Orders non-NULL rows a and b of one column.
  int Compare(size_t column, size_t a, size_t b) const;
  uint64_t Hash(size_t column, size_t row) const;
  // Returns true when row `row` of `column` equals row i of flat `v` (NULLs equal NULLs).
  bool Equals(size_t column, size_t row, const Vector& v, size_t i) const;
  Value GetValue(size_t column, size_t row) const;

  size_t memory_bytes() const;

 private:
  struct Column {
    PhysicalType physical;
    size_t width;
    std::vector<uint8_t> data;
    std::vector<uint8_t> nulls;
  };
  template <typename T>
  const T* Data(size_t column) const {
    return reinterpret_cast<const T*>(columns_[column].data.data());
  }

  std::vector<LogicalType> types_;
  std::vector<Column> columns_;
  size_t size_ = 0;
  // Chunks whose strings columns refer to; shared with vectors gathered from the store.
  std::shared_ptr<std::vector<DataChunk>> chunks_;
  std::shared_ptr<Arena> arena_;
  size_t chunk_bytes_ = 0;
};

}  // namespace trailbook::sql
