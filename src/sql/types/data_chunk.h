// File: sql/types/data_chunk.h
//
// DataChunk: a batch of rows as one Vector per column, all of the same size (at most
// kBatchSize for chunks flowing between operators).
//
//   DataChunk chunk;
//   chunk.Initialize({LogicalType::Varchar(), LogicalType::Bigint()});
//   chunk.SetSize(n);
#pragma once

#include <vector>

#include "sql/types/vector.h"

namespace trailbook::sql {

struct DataChunk {
  std::vector<Vector> columns;
  size_t size = 0;

  // Creates one empty flat vector per type.
  void Initialize(const std::vector<LogicalType>& types) {
    columns.clear();
    for (const LogicalType& t : types) columns.emplace_back(t);
    size = 0;
  }
  // Resets every column to `n` flat rows (values unspecified) and sets the size.
  void ResizeAll(size_t n) {
    for (Vector& v : columns) v.Resize(n);
    size = n;
  }
  void SetSize(size_t n) { size = n; }
  size_t column_count() const { return columns.size(); }
  size_t memory_bytes() const {
    size_t total = 0;
    for (const Vector& v : columns) total += v.memory_bytes();
    return total;
  }
};

}  // namespace trailbook::sql
