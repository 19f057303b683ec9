// File: ingest/padded_buffer.h
//
// PaddedBuffer: a growable byte buffer that always keeps kPadding readable bytes after its
// contents, so that any view ending inside it can be handed to simdjson's on-demand parser in
// place. The readers reuse one per role (raw file bytes, decompressed text, stream window)
// across files, so the hot path allocates only when an input is larger than any before it.
//
//   PaddedBuffer buf;
//   buf.Resize(n);                 // n bytes, uninitialised
//   std::memcpy(buf.data(), src, n);
//   parser.iterate(simdjson::padded_string_view(buf.data(), buf.size(), buf.size() + kPadding));
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace trailbook::ingest {

// Bytes that stay readable after the end of every record text the readers hand out.
inline constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;

// Thread safety: not thread-safe. Not copyable (views into it must stay stable).
//
// Invariants: data() points at capacity() + kPadding allocated bytes (or is null when
// capacity() == 0); size() <= capacity(); the kPadding bytes after size() are readable and
// zero after every mutation. Zero, not just readable: on malformed input simdjson's result
// depends on the byte at the end of the text, and a reader must give the same answer for the
// same bytes whatever the buffer held before.
class PaddedBuffer {
 public:
  PaddedBuffer() = default;
  PaddedBuffer(const PaddedBuffer&) = delete;
  PaddedBuffer& operator=(const PaddedBuffer&) = delete;
  PaddedBuffer(PaddedBuffer&&) = default;
  PaddedBuffer& operator=(PaddedBuffer&&) = default;

  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }

  // Ensures capacity() >= n, keeping the current contents. Grows geometrically.
  void Reserve(size_t n) {
    if (n <= capacity_) return;
    size_t cap = std::max(n, capacity_ + capacity_ / 2);
    cap = std::max<size_t>(cap, 4096);
    auto fresh = std::make_unique_for_overwrite<char[]>(cap + kPadding);
    if (size_ > 0) std::memcpy(fresh.get(), data_.get(), size_);
    // Zero the tail once so that no byte the parser may read is uninitialised.
    std::memset(fresh.get() + size_, 0, cap + kPadding - size_);
    data_ = std::move(fresh);
    capacity_ = cap;
  }

  // Sets size() to n (growing when needed); bytes beyond the old size are unspecified.
  void Resize(size_t n) {
    Reserve(n);
    size_ = n;
    ZeroPadding();
  }

  void Clear() { Resize(0); }

  void Append(std::string_view bytes) {
    Reserve(size_ + bytes.size());
    if (!bytes.empty()) std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
    ZeroPadding();
  }

  // Removes the first n bytes, moving the rest to the front.
  void Consume(size_t n) {
    n = std::min(n, size_);
    if (n == 0) return;
    std::memmove(data_.get(), data_.get() + n, size_ - n);
    size_ -= n;
    ZeroPadding();
  }

  // Frees the memory when more than `keep_bytes` is held (after an unusually large input).
  void ShrinkTo(size_t keep_bytes) {
    if (capacity_ <= keep_bytes) return;
    data_.reset();
    size_ = 0;
    capacity_ = 0;
  }

 private:
  void ZeroPadding() {
    if (data_) std::memset(data_.get() + size_, 0, kPadding);
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace trailbook::ingest
