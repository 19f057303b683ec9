// File: storage/zstd_codec.h
//
// ZstdCodec: the adapter over libzstd for chunk compression. It keeps its compression and
// decompression contexts, so one codec per thread avoids re-allocating them per chunk.
//
//   ZstdCodec codec(3);
//   std::string packed;  codec.Compress(raw, &packed);
//   TB_RETURN_IF_ERROR(codec.Decompress(packed, raw_size, &raw));
//
// Thread safety: not thread-safe; one codec per thread.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::storage {

class ZstdCodec {
 public:
  explicit ZstdCodec(int level = 3);
  ~ZstdCodec();
  ZstdCodec(const ZstdCodec&) = delete;
  ZstdCodec& operator=(const ZstdCodec&) = delete;

  // Appends the compressed form of `input` to `out`.
  void Compress(std::string_view input, std::string* out);
  // Replaces `out` with the decompression of `input`, which must be exactly `raw_size`
  // bytes; anything else is kCorruption.
  Status Decompress(std::string_view input, size_t raw_size, std::string* out);
  // Decompresses `input` into out[0..raw_size), which must be exactly its size; anything
  // else is kCorruption. Lets a reader decode straight into its final buffer.
  Status DecompressTo(std::string_view input, char* out, size_t raw_size);

 private:
  struct Contexts;
  Contexts* contexts_;
  int level_;
};

}  // namespace trailbook::storage
