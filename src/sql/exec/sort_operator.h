// File: sql/exec/sort_operator.h
//
// SortOperator: ORDER BY over materialized input (ColumnStore), optionally keeping only the
// first `limit` rows (top-N: the buffer is compacted to the best rows as it grows, so
// ORDER BY ... LIMIT n holds O(n) rows). NULLs sort last by default, as in Trino.
//
//   auto op = std::make_unique<SortOperator>(std::move(child), keys, /*limit=*/10, context);
#pragma once

#include <optional>
#include <vector>

#include "sql/exec/column_store.h"
#include "sql/exec/physical_operator.h"
#include "sql/exec/query_context.h"

namespace trailbook::sql {

struct SortKey {
  size_t column = 0;  // Input column.
  bool descending = false;
  bool nulls_first = false;
};

class SortOperator final : public PhysicalOperator {
 public:
  SortOperator(OperatorPtr child, std::vector<SortKey> keys, std::optional<size_t> limit,
               QueryContext* context);
  Status Next(DataChunk& out) override;

 private:
  Status Build();
  // Returns the row order of `store` (only the first `limit` rows when limited).
  std::vector<uint32_t> Order(const ColumnStore& store) const;

  OperatorPtr child_;
  std::vector<SortKey> keys_;
  std::optional<size_t> limit_;
  QueryContext* context_;
  TrackedMemory memory_;
  std::unique_ptr<ColumnStore> store_;
  std::vector<uint32_t> order_;
  size_t next_ = 0;
  bool built_ = false;
};

// Returns a comparator-based ordering of rows [0, store.size()) by `keys` (stable).
std::vector<uint32_t> SortRows(const ColumnStore& store, const std::vector<SortKey>& keys,
                               std::optional<size_t> limit);

}  // namespace trailbook::sql
