// File: ingest/gzip_testing.h
//
// Test and benchmark support: makes gzip data (one member per call) with libdeflate, so tests
// can build compressed inputs, multi-member files and bombs in memory. Not used by the library.
//
//   std::string gz = GzipForTesting(json) + GzipForTesting(more_json);   // two members
#pragma once

#include <libdeflate.h>

#include <string>
#include <string_view>

namespace trailbook::ingest {

// Returns `data` compressed as one gzip member at `level` (1-12).
inline std::string GzipForTesting(std::string_view data, int level = 6) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(level);
  std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
  size_t n = libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size());
  libdeflate_free_compressor(c);
  out.resize(n);
  return out;
}

}  // namespace trailbook::ingest
