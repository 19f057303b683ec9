// File: ingest/byte_stream.h
//
// ByteStream: the pull interface the streaming readers consume (plain bytes from memory or a
// file descriptor, or gunzipped bytes from another stream; see gzip.h). Inputs larger than
// ReaderLimits::whole_buffer_bytes flow through a ByteStream so that memory stays bounded by
// the chunk size, not by the input.
//
//   FileStream file(fd, &hasher);
//   GunzipStream gunzip(file, GunzipLimits{});
//   TB_ASSIGN_OR_RETURN(size_t n, gunzip.Read(buf, sizeof(buf)));   // 0 = end of stream
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::crypto {
class Sha256Hasher;
}  // namespace trailbook::crypto

namespace trailbook::ingest {

// A source of bytes read front to back. Thread safety: not thread-safe.
class ByteStream {
 public:
  virtual ~ByteStream() = default;

  // Reads up to `n` (> 0) bytes into `dst` and returns how many were read; 0 means the end
  // of the stream. Errors do not name the input (the reader adds it); after an error the stream
  // is unusable.
  virtual Result<size_t> Read(char* dst, size_t n) = 0;
};

// Reads `n` bytes or until the end of `stream`, whichever comes first; returns the count.
Result<size_t> ReadFully(ByteStream& stream, char* dst, size_t n);

// MemoryStream: a ByteStream over borrowed bytes (`bytes` must outlive the stream).
class MemoryStream final : public ByteStream {
 public:
  explicit MemoryStream(std::string_view bytes) : bytes_(bytes) {}
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

// FileStream: reads an open file descriptor (borrowed; the caller closes it), starting at its
// current offset, and feeds every byte read to `hasher` when it is not null (the hasher must
// outlive the stream). Errors are kIOError; like all stream errors they do not name the input.
class FileStream final : public ByteStream {
 public:
  FileStream(int fd, crypto::Sha256Hasher* hasher) : fd_(fd), hasher_(hasher) {}
  Result<size_t> Read(char* dst, size_t n) override;

  // Returns the bytes read so far.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  int fd_;
  crypto::Sha256Hasher* hasher_;
  uint64_t bytes_read_ = 0;
};

// ScopedFd: closes a file descriptor on destruction.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd();
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace trailbook::ingest
