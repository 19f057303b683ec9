// File: storage/coding.h
//
// Byte-level encoding primitives for the on-disk format: little-endian fixed-width integers,
// LEB128 varints, zigzag, length-prefixed strings, and a bounds-checked ByteReader that turns
// any overrun into a kCorruption Status instead of reading past the buffer.
//
//   std::string out;  PutVarint64(&out, n);  PutLengthPrefixed(&out, name);
//   ByteReader r(bytes);  uint64_t n;  TB_RETURN_IF_ERROR(r.ReadVarint64(&n));
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::storage {

inline void PutFixed32(std::string* out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);  // The format is little-endian; so are all supported targets.
  out->append(b, 4);
}
inline void PutFixed64(std::string* out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out->append(b, 8);
}
inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Byte by byte with push_back, which stays inline while the capacity suffices (append of a
// buffer is a library call per value; the segment writer puts a varint per row and value).
inline void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t ZigZagDecode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

inline void PutVarintSigned(std::string* out, int64_t v) { PutVarint64(out, ZigZagEncode(v)); }

inline void PutLengthPrefixed(std::string* out, std::string_view s) {
  PutVarint64(out, s.size());
  out->append(s);
}

// ByteReader reads primitives from a borrowed buffer (which must outlive it). Every read is
// bounds-checked; errors are kCorruption naming `what` (set by the caller for context).
class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool done() const { return pos_ == data_.size(); }

  Status ReadFixed32(uint32_t* v) {
    if (remaining() < 4) return Overrun();
    *v = DecodeFixed32(data_.data() + pos_);
    pos_ += 4;
    return Status::OK();
  }
  Status ReadFixed64(uint64_t* v) {
    if (remaining() < 8) return Overrun();
    *v = DecodeFixed64(data_.data() + pos_);
    pos_ += 8;
    return Status::OK();
  }
  Status ReadVarint64(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (pos_ >= data_.size()) return Overrun();
      uint8_t byte = static_cast<uint8_t>(data_[pos_++]);
      if (shift == 63 && byte > 1) return Corruption("varint overflows 64 bits");
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return Status::OK();
      }
    }
    return Corruption("varint too long");
  }
  Status ReadVarint32(uint32_t* v) {
    uint64_t x = 0;
    TB_RETURN_IF_ERROR(ReadVarint64(&x));
    if (x > UINT32_MAX) return Corruption("varint exceeds 32 bits");
    *v = static_cast<uint32_t>(x);
    return Status::OK();
  }
  Status ReadVarintSigned(int64_t* v) {
    uint64_t x = 0;
    TB_RETURN_IF_ERROR(ReadVarint64(&x));
    *v = ZigZagDecode(x);
    return Status::OK();
  }
  Status ReadByte(uint8_t* v) {
    if (remaining() < 1) return Overrun();
    *v = static_cast<uint8_t>(data_[pos_++]);
    return Status::OK();
  }
  Status ReadBytes(size_t n, std::string_view* out) {
    if (remaining() < n) return Overrun();
    *out = data_.substr(pos_, n);
    pos_ += n;
    return Status::OK();
  }
  Status ReadLengthPrefixed(std::string_view* out) {
    uint64_t n = 0;
    TB_RETURN_IF_ERROR(ReadVarint64(&n));
    if (n > remaining()) return Overrun();
    return ReadBytes(static_cast<size_t>(n), out);
  }

 private:
  Status Overrun() const { return Corruption("truncated data at byte " + std::to_string(pos_)); }

  std::string_view data_;
  size_t pos_ = 0;
};

// Returns the checksum used for every chunk, footer and manifest record (XXH3-64).
uint64_t Checksum(std::string_view data);

}  // namespace trailbook::storage
