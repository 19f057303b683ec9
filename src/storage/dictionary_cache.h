// File: storage/dictionary_cache.h
//
// SegmentDictionaryCache: the decoded dictionaries of one store's segments that stay
// resident, bounded by bytes, least recently used first out (a base ByteLruCache keyed by
// segment id and column). A SegmentReader opened with a cache keeps only a weak reference to
// each dictionary it decodes and hands the strong one to the cache; a dictionary therefore
// lives while the cache or a reader of it (a query, a StringBlock) holds it, and a
// long-lived store whose segments keep arriving (the monitor) holds at most
// capacity_bytes() of them instead of every segment's.
//
//   auto cache = std::make_shared<SegmentDictionaryCache>(kDefaultSegmentDictionaryBytes);
//   TB_ASSIGN_OR_RETURN(auto seg, SegmentReader::Open(path, cache));
//
// A reader inserts with OnResident::kReplace: it holds the only other strong reference, so
// the dictionary it hands over is the one its weak reference points to.
//
// Thread safety: thread-safe (see ByteLruCache).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "base/byte_lru_cache.h"

namespace trailbook::storage {

class Dictionary;

// Default byte budget of a store's resident segment dictionaries.
inline constexpr size_t kDefaultSegmentDictionaryBytes = size_t{64} << 20;

// (segment id, column index).
using SegmentColumn = std::pair<uint64_t, int>;

using SegmentDictionaryCache = ByteLruCache<SegmentColumn, std::shared_ptr<const Dictionary>>;

}  // namespace trailbook::storage
