#include "sql/exec/group_table.h"

#include "sql/exec/value_ops.h"

namespace trailbook::sql {
namespace {

constexpr uint64_t kMaxDenseCodes = uint64_t{1} << 14;

}  // namespace

GroupTable::GroupTable(std::vector<LogicalType> key_types)
    : key_types_(key_types), keys_(std::move(key_types)) {
  slots_.assign(1024, 0);
  mask_ = slots_.size() - 1;
}

uint32_t GroupTable::FindSlot(uint64_t hash, std::span<Vector* const> keys, size_t row) const {
  uint64_t pos = hash & mask_;
  while (true) {
    uint32_t s = slots_[pos];
    if (s == 0) return static_cast<uint32_t>(pos) | 0x80000000u;  // empty slot marker
    uint32_t g = s - 1;
    if (hashes_[g] == hash) {
      bool equal = true;
      for (size_t k = 0; k < keys.size() && equal; ++k) equal = keys_.Equals(k, g, *keys[k], row);
      if (equal) return g;
    }
    pos = (pos + 1) & mask_;
  }
}

void GroupTable::Grow() {
  slots_.assign(slots_.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (size_t g = 0; g < hashes_.size(); ++g) {
    uint64_t pos = hashes_[g] & mask_;
    while (slots_[pos] != 0) pos = (pos + 1) & mask_;
    slots_[pos] = static_cast<uint32_t>(g + 1);
  }
}

uint32_t GroupTable::AddGroup(uint64_t hash, std::span<Vector* const> keys, size_t row) {
  uint32_t g = static_cast<uint32_t>(hashes_.size());
  std::vector<const Vector*> cols(keys.begin(), keys.end());
  keys_.AppendRow(cols, row);
  hashes_.push_back(hash);
  uint64_t pos = hash & mask_;
  while (slots_[pos] != 0) pos = (pos + 1) & mask_;
  slots_[pos] = g + 1;
  if (hashes_.size() * 2 > slots_.size()) Grow();
  return g;
}

void GroupTable::FindOrAddFlat(std::span<Vector* const> keys, size_t n, uint32_t* groups) {
  scratch_hashes_.resize(n);
  for (size_t k = 0; k < keys.size(); ++k) {
    keys[k]->Flatten();
    HashColumn(*keys[k], n, scratch_hashes_.data(), k > 0);
  }
  if (keys.empty()) std::fill(scratch_hashes_.begin(), scratch_hashes_.end(), 0);
  for (size_t i = 0; i < n; ++i) {
    uint32_t s = FindSlot(scratch_hashes_[i], keys, i);
    groups[i] = (s & 0x80000000u) ? AddGroup(scratch_hashes_[i], keys, i) : s;
  }
}

uint32_t* GroupTable::CodeMap::Find(uint64_t code) {
  if (keys.empty()) return nullptr;
  uint64_t mask = keys.size() - 1;
  uint64_t pos = (code * 0x9e3779b97f4a7c15ULL) >> 20 & mask;
  while (keys[pos] != 0) {
    if (keys[pos] == code + 1) return &values[pos];
    pos = (pos + 1) & mask;
  }
  return nullptr;
}

void GroupTable::CodeMap::Insert(uint64_t code, uint32_t group_plus_one) {
  if ((used + 1) * 2 > keys.size()) {
    std::vector<uint64_t> old_keys = std::move(keys);
    std::vector<uint32_t> old_values = std::move(values);
    keys.assign(std::max<size_t>(1024, old_keys.size() * 2), 0);
    values.assign(keys.size(), 0);
    used = 0;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] != 0) Insert(old_keys[i] - 1, old_values[i]);
    }
  }
  uint64_t mask = keys.size() - 1;
  uint64_t pos = (code * 0x9e3779b97f4a7c15ULL) >> 20 & mask;
  while (keys[pos] != 0) pos = (pos + 1) & mask;
  keys[pos] = code + 1;
  values[pos] = group_plus_one;
  ++used;
}

void GroupTable::FindOrAdd(std::span<Vector* const> keys, size_t n, uint32_t* groups) {
  bool all_dict = !keys.empty();
  uint64_t composite = 1;
  std::vector<uint64_t> dict_key;
  for (Vector* k : keys) {
    if (k->mode() != VectorMode::kDictionary) {
      all_dict = false;
      break;
    }
    uint64_t size = k->dictionary().size();
    // Fall back to hashing whole keys when the composite code would not fit in 62 bits.
    if (size != 0 && composite > (uint64_t{1} << 62) / size) {
      all_dict = false;
      break;
    }
    composite *= size;
    dict_key.push_back(k->dictionary_id());
  }
  if (!all_dict) {
    FindOrAddFlat(keys, n, groups);
    return;
  }
  CodeMap& map = code_groups_[dict_key];
  bool dense = composite <= kMaxDenseCodes;
  if (dense && map.dense.size() != composite) map.dense.assign(composite, 0);
  scratch_codes_.assign(n, 0);
  uint64_t* codes = scratch_codes_.data();
  for (size_t k = 0; k < keys.size(); ++k) {
    const uint32_t* c = keys[k]->codes();
    uint64_t size = keys[k]->dictionary().size();
    for (size_t i = 0; i < n; ++i) codes[i] = codes[i] * size + c[i];
  }
  std::vector<uint32_t> missing;
  for (size_t i = 0; i < n; ++i) {
    uint32_t g = 0;
    if (dense) {
      g = map.dense[codes[i]];
    } else if (uint32_t* found = map.Find(codes[i])) {
      g = *found;
    }
    if (g == 0) {
      missing.push_back(static_cast<uint32_t>(i));
    } else {
      groups[i] = g - 1;
    }
  }
  if (missing.empty()) return;
  // Resolve each new code once through the flat path (rows with the same new code in this
  // batch find the group the first one added).
  std::vector<Vector> flat;
  flat.reserve(keys.size());
  for (Vector* k : keys) {
    flat.emplace_back(k->type());
    flat.back().Gather(*k, missing.data(), missing.size());
  }
  std::vector<Vector*> ptrs;
  for (Vector& f : flat) ptrs.push_back(&f);
  std::vector<uint32_t> found(missing.size());
  FindOrAddFlat(ptrs, missing.size(), found.data());
  for (size_t m = 0; m < missing.size(); ++m) {
    groups[missing[m]] = found[m];
    uint64_t code = codes[missing[m]];
    if (dense) {
      map.dense[code] = found[m] + 1;
    } else if (map.Find(code) == nullptr) {
      map.Insert(code, found[m] + 1);
    }
  }
  if (code_groups_.size() > 256) code_groups_.clear();
}

void GroupTable::Find(std::span<Vector* const> keys, size_t n, uint32_t* groups) const {
  std::vector<uint64_t> hashes(n, 0);
  for (size_t k = 0; k < keys.size(); ++k) {
    keys[k]->Flatten();
    HashColumn(*keys[k], n, hashes.data(), k > 0);
  }
  for (size_t i = 0; i < n; ++i) {
    uint32_t s = FindSlot(hashes[i], keys, i);
    groups[i] = (s & 0x80000000u) ? kNotFound : s;
  }
}

void GroupTable::GatherKeys(size_t begin, size_t n, DataChunk& out, size_t first) const {
  std::vector<uint32_t> rows(n);
  for (size_t i = 0; i < n; ++i) rows[i] = static_cast<uint32_t>(begin + i);
  keys_.Gather(rows.data(), n, out, first);
}

void GroupTable::Merge(const GroupTable& other, std::vector<uint32_t>* mapping) {
  mapping->resize(other.size());
  std::vector<Vector> key_vectors;
  for (const LogicalType& t : key_types_) key_vectors.emplace_back(t);
  for (size_t begin = 0; begin < other.size(); begin += kBatchSize) {
    size_t n = std::min(kBatchSize, other.size() - begin);
    std::vector<uint32_t> rows(n);
    for (size_t i = 0; i < n; ++i) rows[i] = static_cast<uint32_t>(begin + i);
    std::vector<Vector*> ptrs;
    for (size_t k = 0; k < key_vectors.size(); ++k) {
      other.keys_.GatherColumn(k, rows.data(), n, key_vectors[k]);
      ptrs.push_back(&key_vectors[k]);
    }
    for (size_t i = 0; i < n; ++i) {
      uint64_t h = other.hashes_[begin + i];
      uint32_t s = FindSlot(h, ptrs, i);
      (*mapping)[begin + i] = (s & 0x80000000u) ? AddGroup(h, ptrs, i) : s;
    }
  }
}

size_t GroupTable::memory_bytes() const {
  size_t total = keys_.memory_bytes() + hashes_.capacity() * 8 + slots_.capacity() * 4;
  for (const auto& [id, map] : code_groups_) {
    total += map.dense.capacity() * 4 + map.keys.capacity() * 12;
  }
  return total;
}

}  // namespace trailbook::sql
