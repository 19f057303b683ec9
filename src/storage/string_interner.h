// File: storage/string_interner.h
//
// StringInterner: maps strings to dense ids 1..n (0 is reserved for NULL) with an
// open-addressing table over XXH3 hashes. Bytes are copied into an internal buffer, so
// callers may pass views into short-lived parser memory.
//
//   StringInterner in;
//   uint32_t id = in.Intern("ConsoleLogin");   // same id for the same bytes
//   std::string_view s = in.Get(id);
//
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trailbook::storage {

class StringInterner {
 public:
  StringInterner();

  // Returns the id of `s` (>= 1), adding it when new.
  uint32_t Intern(std::string_view s);
  // Returns the id of `s`, or 0 when absent.
  uint32_t Find(std::string_view s) const;
  // REQUIRES: 1 <= id <= size().
  std::string_view Get(uint32_t id) const {
    const Entry& e = entries_[id - 1];
    return {bytes_.data() + e.offset, e.length};
  }
  // Number of distinct strings.
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }
  // Bytes of strings and entries held (for batch accounting).
  size_t memory_bytes() const {
    return bytes_.size() + entries_.size() * sizeof(Entry) + table_.size() * sizeof(uint32_t);
  }
  void Clear();

 private:
  struct Entry {
    uint64_t hash;
    uint64_t offset;
    uint32_t length;
  };
  void Grow();

  std::string bytes_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> table_;  // 0 = empty, else entry index + 1
  uint64_t mask_;
};

}  // namespace trailbook::storage
