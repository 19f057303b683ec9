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
// A table slot carries the hash, length and offset of its string, so a lookup touches the
// slot and then only the bytes of a candidate whose hash and length match (one cache miss
// fewer per lookup than going through the entry list). Clear keeps the table's size, so a
// batch that interns as many distinct values as the last one does not rehash while it grows.
//
// Invariants: table_.size() is a power of two, at least twice size(); every id 1..size()
// has exactly one slot.
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/bytes_equal.h"

namespace trailbook::storage {

class StringInterner {
 public:
  StringInterner();

  // Returns the id of `s` (>= 1), adding it when new. A value equal to the previous one
  // (consecutive events often repeat a principal, agent or region) is answered from a memo
  // of the last id, offset and length held in the interner itself, without hashing and
  // without touching the entry list.
  uint32_t Intern(std::string_view s) {
    const uint32_t repeat = RepeatId(s);
    return repeat != 0 ? repeat : InternNew(s);
  }
  // The same split in steps, so a caller can start the table's cache miss early and do other
  // work before the lookup: RepeatId answers from the memo (0 = no hit), HashAndPrefetch
  // returns the hash of `s` and prefetches its table slot, InternHashed(s, hash) is Intern
  // without the memo and with the hash given.
  uint32_t RepeatId(std::string_view s) const {
    if (last_id_ != 0 && s.size() == last_length_ &&
        BytesEqual(bytes_.data() + last_offset_, s.data(), s.size())) {
      return last_id_;
    }
    return 0;
  }
  uint64_t HashAndPrefetch(std::string_view s) const;
  uint32_t InternHashed(std::string_view s, uint64_t hash);

  // Returns the id of `s`, or 0 when absent.
  uint32_t Find(std::string_view s) const;
  // REQUIRES: 1 <= id <= size().
  std::string_view Get(uint32_t id) const {
    const Entry& e = entries_[id - 1];
    return {bytes_.data() + e.offset, static_cast<size_t>(e.length)};
  }
  // Number of distinct strings.
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }
  // Bytes of strings and entries held (for batch accounting).
  size_t memory_bytes() const {
    return bytes_.size() + entries_.size() * sizeof(Entry) + table_.size() * sizeof(Slot);
  }
  void Clear();

 private:
  struct Entry {
    uint64_t offset;
    uint64_t length;
  };
  struct Slot {
    uint64_t hash;
    uint64_t offset;
    uint32_t length;
    uint32_t id;  // 0 = empty
  };
  // Returns the slot holding `s` (hash `h`), or the empty slot where it would go.
  const Slot& Probe(std::string_view s, uint64_t h) const;
  // Intern without the memo; updates the memo.
  uint32_t InternNew(std::string_view s);
  void Grow();

  // The memo and the string bytes come first: a repeated value touches only the interner's
  // first 40 bytes (RowBatch keeps them in one cache line with the column's ids).
  uint32_t last_id_ = 0;  // memo of the last Intern: its id (0 = no memo), length, offset
  uint32_t last_length_ = 0;
  uint64_t last_offset_ = 0;
  std::string bytes_;
  uint64_t mask_;
  std::vector<Slot> table_;
  std::vector<Entry> entries_;
};

}  // namespace trailbook::storage
