// File: ingest/gzip.h
//
// The gzip adapter of the input readers. Two decoders over the same format (RFC 1952, any
// number of concatenated members, trailing zero padding tolerated, anything else after the
// last member rejected):
//  - GzipDecoder: whole-buffer decompression with libdeflate, the fast path for the typical
//    CloudTrail delivery file (a few KB to a few MB);
//  - GunzipStream: streaming decompression with zlib, for inputs too large to decode in one
//    buffer (big NDJSON or Lake CSV exports), and to diagnose data libdeflate rejected.
// Both enforce a decompressed-size cap; GunzipStream also a ratio cap (gzip bombs).
//
//   GzipDecoder decoder;
//   TB_RETURN_IF_ERROR(decoder.Decompress(file_bytes, limit, &text));
//
// Messages do not name the input; the caller adds it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "ingest/byte_stream.h"
#include "ingest/padded_buffer.h"

namespace trailbook::ingest {

// Returns true when `bytes` starts with the gzip magic bytes 1f 8b.
bool HasGzipMagic(std::string_view bytes);

// Returns the ISIZE field of the last gzip member (its uncompressed size modulo 2^32), or 0
// when `bytes` is too short. Only a hint: it ignores earlier members and wraps at 4 GiB.
uint64_t GzipSizeHint(std::string_view bytes);

// GzipDecoder: libdeflate whole-buffer gunzip. Reuse one per thread.
//
// Thread safety: not thread-safe.
class GzipDecoder {
 public:
  GzipDecoder();
  ~GzipDecoder();
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  // Decompresses every member of the gzip data `in` into `out`, replacing its contents.
  // REQUIRES: HasGzipMagic(in).
  // Returns kInvalidArgument for truncated or corrupt data or unexpected bytes after a member
  // (the message says which, names the member and its byte offset), kResourceExhausted
  // ("decompressed size exceeds <max_output> bytes") when the output would be larger than
  // `max_output` bytes or the size trailer of the last member says so (a damaged trailer can
  // claim that too: callers stream such input with GunzipStream, which has the last word);
  // `out` is then unspecified.
  Status Decompress(std::string_view in, uint64_t max_output, PaddedBuffer* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct GunzipLimits {
  uint64_t max_output = UINT64_MAX;  // Largest total decompressed size.
  uint64_t max_ratio = UINT64_MAX;   // Largest output/input ratio, checked ...
  uint64_t ratio_floor = 0;          // ... once more than this many bytes came out.
};

// GunzipStream: zlib streaming gunzip of another ByteStream (which must outlive it).
// Reads all members; stops at the end of the input.
//
// Errors of Read: kInvalidArgument for truncated or corrupt data or unexpected bytes after a
// member; kResourceExhausted when a GunzipLimits bound is crossed; errors of the source.
// Thread safety: not thread-safe.
class GunzipStream final : public ByteStream {
 public:
  GunzipStream(ByteStream& compressed, GunzipLimits limits);
  ~GunzipStream() override;
  GunzipStream(const GunzipStream&) = delete;
  GunzipStream& operator=(const GunzipStream&) = delete;

  Result<size_t> Read(char* dst, size_t n) override;

  // Compressed bytes consumed and decompressed bytes produced so far.
  uint64_t bytes_in() const;
  uint64_t bytes_out() const { return bytes_out_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint64_t bytes_out_ = 0;
};

}  // namespace trailbook::ingest
