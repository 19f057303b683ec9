// File: sql/types/vector.h
//
// Vector: one column of a batch of up to kBatchSize rows, the unit every SQL operator and
// function kernel works on (column at a time, as DuckDB and Velox). A vector is in one of
// three modes:
//   kFlat       - a value slot and a null flag per row;
//   kConstant   - one value (or NULL) for every row;
//   kDictionary - a code per row indexing a shared dictionary vector (segment dictionaries
//                 are exposed this way, so filters and GROUP BY can work on codes and
//                 evaluate functions once per distinct value).
// Strings are StringRefs into memory the vector keeps alive: its own arena (AddString) or
// buffers it shares with other vectors (KeepAlive, Gather, Flatten).
//
//   Vector v(LogicalType::Varchar());
//   v.Resize(3);
//   v.SetString(0, "a");  v.SetNull(1);  v.SetString(2, "c");
//   std::string_view s = v.Data<StringRef>()[2].view();
//
// Kernels usually call Flatten() (or read through GetValue in slow paths).
// Thread safety: not thread-safe; a vector belongs to one operator instance at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "sql/types/logical_type.h"
#include "sql/types/value.h"

namespace trailbook::sql {

inline constexpr size_t kBatchSize = 2048;

// A string slice held by a Vector (or its keep-alive buffers).
struct StringRef {
  const char* data = nullptr;
  uint32_t size = 0;
  std::string_view view() const { return {data, size}; }
};

enum class VectorMode : uint8_t { kFlat, kConstant, kDictionary };

class Vector {
 public:
  explicit Vector(LogicalType type = LogicalType::Unknown());
  Vector(Vector&&) = default;
  Vector& operator=(Vector&&) = default;
  Vector(const Vector&) = delete;
  Vector& operator=(const Vector&) = delete;

  const LogicalType& type() const { return type_; }
  size_t size() const { return size_; }
  VectorMode mode() const { return mode_; }

  // Makes the vector flat with `size` rows, all non-NULL, values unspecified. Keeps its
  // arena contents (call Reset() to drop them).
  void Resize(size_t size);
  // Like Resize(0) but also drops owned strings and keep-alive references.
  void Reset();
  // Changes the type; the vector must then be refilled (used when reusing output vectors).
  void SetType(LogicalType type);

  // Flat access. REQUIRES: mode() == kFlat (or kConstant for row 0), T matching physical():
  // uint8_t for kBool, int64_t for kInt64, double for kDouble, StringRef for kString.
  template <typename T>
  T* Data() {
    return reinterpret_cast<T*>(data_.get());
  }
  template <typename T>
  const T* Data() const {
    return reinterpret_cast<const T*>(data_.get());
  }
  uint8_t* Nulls() { return nulls_.data(); }
  const uint8_t* Nulls() const { return nulls_.data(); }

  // Returns whether row i is NULL, in any mode.
  bool IsNull(size_t i) const {
    switch (mode_) {
      case VectorMode::kFlat: return nulls_[i] != 0;
      case VectorMode::kConstant: return nulls_[0] != 0;
      case VectorMode::kDictionary: return dictionary_->IsNull(codes_[i]);
    }
    return false;
  }
  void SetNull(size_t i) { nulls_[i] = 1; }
  // Returns true when any of the first size() rows may be NULL (flat: exact).
  bool MayHaveNulls() const;

  // Copies `s` into the vector's arena and returns a reference to the copy.
  StringRef AddString(std::string_view s);
  // Sets row i (flat) to a copy of `s`.
  void SetString(size_t i, std::string_view s) {
    Data<StringRef>()[i] = AddString(s);
    nulls_[i] = 0;
  }
  // Sets row i to a reference to `s`, whose memory the caller keeps alive (see KeepAlive).
  void SetStringRef(size_t i, std::string_view s) {
    Data<StringRef>()[i] = StringRef{s.data(), static_cast<uint32_t>(s.size())};
    nulls_[i] = 0;
  }
  // Keeps `buffer` alive as long as this vector (or vectors gathered from it) refers to it.
  void KeepAlive(std::shared_ptr<const void> buffer);
  // Keeps alive every buffer the strings of `other` live in (its arena, keep-alives and
  // dictionary), so rows of this vector may reference other's strings with SetStringRef.
  // Kernels whose results are slices of an argument (substr, trim, coalesce, ...) use it
  // instead of copying each string.
  void ShareBuffers(const Vector& other);

  // Constant mode: every one of `size` rows is `value` (which may be NULL).
  void SetConstant(const Value& value, size_t size);
  // Dictionary mode: row i is dictionary[codes[i]]. `dictionary_id` identifies the dictionary
  // (equal ids mean equal dictionaries), so per-dictionary results can be cached.
  void SetDictionary(std::shared_ptr<const Vector> dictionary, uint64_t dictionary_id,
                     const uint32_t* codes, size_t size);
  // REQUIRES: mode() == kDictionary.
  const Vector& dictionary() const { return *dictionary_; }
  const std::shared_ptr<const Vector>& dictionary_ptr() const { return dictionary_; }
  uint64_t dictionary_id() const { return dictionary_id_; }
  const uint32_t* codes() const { return codes_.data(); }

  // Converts constant and dictionary vectors to flat (strings keep pointing into the
  // dictionary, which is kept alive).
  void Flatten();

  // Makes this vector flat with rows source[sel[0..n)] (any source mode). Strings are
  // shared, not copied. REQUIRES: source.type() has the same physical type.
  void Gather(const Vector& source, const uint32_t* sel, size_t n);
  // Makes this vector a flat copy-by-reference of source rows [begin, begin + n).
  void Slice(const Vector& source, size_t begin, size_t n);
  // Appends row i of `source` at the end (flat; strings copied into the arena).
  void Append(const Vector& source, size_t i);

  // Slow path for generic code and tests.
  Value GetValue(size_t i) const;
  // REQUIRES: flat. Copies strings.
  void SetValue(size_t i, const Value& value);

  // Bytes held (data, nulls, arena), for memory accounting.
  size_t memory_bytes() const;

 private:
  void EnsureCapacity(size_t n);

  LogicalType type_;
  size_t element_size_;
  VectorMode mode_ = VectorMode::kFlat;
  size_t size_ = 0;
  size_t capacity_ = 0;
  std::unique_ptr<uint8_t[]> data_;
  std::vector<uint8_t> nulls_;
  std::shared_ptr<Arena> arena_;
  std::vector<std::shared_ptr<const void>> keep_alive_;
  std::shared_ptr<const Vector> dictionary_;
  uint64_t dictionary_id_ = 0;
  std::vector<uint32_t> codes_;
};

// Returns the size in bytes of one value of `type` in a flat vector.
size_t PhysicalSize(PhysicalType type);

}  // namespace trailbook::sql
