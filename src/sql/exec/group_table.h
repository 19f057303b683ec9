// File: sql/exec/group_table.h
//
// GroupTable: the hash table behind GROUP BY, DISTINCT and set operations: it maps each
// distinct key (a tuple of values; NULLs equal NULLs) to a dense group id 0, 1, 2, ...
// Keys are copied into the table's ColumnStore.
//
//   GroupTable table(key_types);
//   TB_RETURN_IF_ERROR(table.FindOrAdd(keys, n, group_ids));
//
// Keys arriving as dictionary vectors (columns read from segment dictionaries) are looked up
// once per distinct code and dictionary, so grouping by eventName costs an array lookup per
// row rather than a string hash.
//
// Invariants: slots_ has a power-of-two size at least twice the group count; slot value 0 is
// empty, else group id + 1; hashes_[g] is the hash of group g's key.
// Thread safety: not thread-safe (parallel aggregation uses one table per thread and Merge).
#pragma once

#include <cstdint>
#include <span>
#include <map>
#include <vector>

#include "base/status.h"
#include "sql/exec/column_store.h"

namespace trailbook::sql {

class GroupTable {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  explicit GroupTable(std::vector<LogicalType> key_types);

  // Writes the group id of each of the n rows of `keys` (one vector per key column, any
  // mode; flattened in place when needed) into groups[0..n), adding new groups.
  void FindOrAdd(std::span<Vector* const> keys, size_t n, uint32_t* groups);
  // Like FindOrAdd without adding: kNotFound for keys not in the table.
  void Find(std::span<Vector* const> keys, size_t n, uint32_t* groups) const;

  size_t size() const { return keys_.size(); }
  const ColumnStore& keys() const { return keys_; }
  uint64_t group_hash(size_t g) const { return hashes_[g]; }
  // Writes the keys of groups [begin, begin + n) into columns [first, ...) of out.
  void GatherKeys(size_t begin, size_t n, DataChunk& out, size_t first) const;
  // Adds every group of `other`, writing the id each has here into mapping[0..other.size()).
  void Merge(const GroupTable& other, std::vector<uint32_t>* mapping);

  size_t memory_bytes() const;

 private:
  uint32_t FindSlot(uint64_t hash, std::span<Vector* const> keys, size_t row) const;
  uint32_t AddGroup(uint64_t hash, std::span<Vector* const> keys, size_t row);
  void Grow();
  void FindOrAddFlat(std::span<Vector* const> keys, size_t n, uint32_t* groups);

  std::vector<LogicalType> key_types_;
  ColumnStore keys_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> slots_;
  uint64_t mask_ = 0;
  // Dictionary fast path, per tuple of dictionary ids: group id + 1 per composite code,
  // in a dense array when the code space is small, else in a hash table.
  struct CodeMap {
    std::vector<uint32_t> dense;
    std::vector<uint64_t> keys;    // hashed: composite code + 1, 0 = empty
    std::vector<uint32_t> values;  // hashed: group id + 1
    size_t used = 0;
    uint32_t* Find(uint64_t code);          // nullptr when absent (hashed)
    void Insert(uint64_t code, uint32_t group_plus_one);
  };
  std::map<std::vector<uint64_t>, CodeMap> code_groups_;
  std::vector<uint64_t> scratch_hashes_;
  std::vector<uint64_t> scratch_codes_;
};

}  // namespace trailbook::sql
