#include "sql/types/vector.h"

#include <algorithm>

#include "base/check.h"

namespace trailbook::sql {

size_t PhysicalSize(PhysicalType type) {
  switch (type) {
    case PhysicalType::kBool: return 1;
    case PhysicalType::kInt64: return 8;
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kString: return sizeof(StringRef);
  }
  return 8;
}

Vector::Vector(LogicalType type)
    : type_(std::move(type)), element_size_(PhysicalSize(type_.physical())) {}

void Vector::SetType(LogicalType type) {
  type_ = std::move(type);
  element_size_ = PhysicalSize(type_.physical());
  capacity_ = 0;
  data_.reset();
  Reset();
}

void Vector::EnsureCapacity(size_t n) {
  if (n <= capacity_) return;
  size_t cap = std::max<size_t>(n, std::max<size_t>(capacity_ * 2, 16));
  auto fresh = std::make_unique<uint8_t[]>(cap * element_size_);
  if (data_ && size_ > 0 && mode_ == VectorMode::kFlat) {
    std::memcpy(fresh.get(), data_.get(), std::min(size_, capacity_) * element_size_);
  }
  data_ = std::move(fresh);
  capacity_ = cap;
}

void Vector::Resize(size_t size) {
  if (mode_ != VectorMode::kFlat) {
    mode_ = VectorMode::kFlat;
    dictionary_.reset();
    codes_.clear();
  }
  EnsureCapacity(size);
  nulls_.assign(size, 0);
  size_ = size;
}

void Vector::Reset() {
  mode_ = VectorMode::kFlat;
  size_ = 0;
  nulls_.clear();
  if (arena_) arena_ = std::make_shared<Arena>();
  keep_alive_.clear();
  dictionary_.reset();
  codes_.clear();
}

bool Vector::MayHaveNulls() const {
  switch (mode_) {
    case VectorMode::kFlat:
      return std::find(nulls_.begin(), nulls_.begin() + static_cast<long>(size_), 1) !=
             nulls_.begin() + static_cast<long>(size_);
    case VectorMode::kConstant: return nulls_[0] != 0;
    case VectorMode::kDictionary: return dictionary_->MayHaveNulls();
  }
  return true;
}

StringRef Vector::AddString(std::string_view s) {
  if (!arena_) arena_ = std::make_shared<Arena>();
  std::string_view copy = arena_->CopyString(s);
  return StringRef{copy.data(), static_cast<uint32_t>(copy.size())};
}

void Vector::KeepAlive(std::shared_ptr<const void> buffer) {
  if (buffer) keep_alive_.push_back(std::move(buffer));
}

void Vector::ShareBuffers(const Vector& other) {
  if (other.arena_) keep_alive_.push_back(other.arena_);
  for (const auto& k : other.keep_alive_) keep_alive_.push_back(k);
  if (other.dictionary_) keep_alive_.push_back(other.dictionary_);
  // Bound the list: many gathers from the same sources would otherwise grow it.
  if (keep_alive_.size() > 64) {
    std::sort(keep_alive_.begin(), keep_alive_.end());
    keep_alive_.erase(std::unique(keep_alive_.begin(), keep_alive_.end()), keep_alive_.end());
  }
}

void Vector::SetConstant(const Value& value, size_t size) {
  dictionary_.reset();
  codes_.clear();
  mode_ = VectorMode::kFlat;
  EnsureCapacity(1);
  nulls_.assign(1, 0);
  size_ = 1;
  if (value.is_null()) {
    nulls_[0] = 1;
  } else {
    SetValue(0, value);
  }
  mode_ = VectorMode::kConstant;
  size_ = size;
}

void Vector::SetDictionary(std::shared_ptr<const Vector> dictionary, uint64_t dictionary_id,
                           const uint32_t* codes, size_t size) {
  TB_DCHECK(dictionary->mode() == VectorMode::kFlat);
  mode_ = VectorMode::kDictionary;
  dictionary_ = std::move(dictionary);
  dictionary_id_ = dictionary_id;
  codes_.assign(codes, codes + size);
  size_ = size;
}

void Vector::Flatten() {
  if (mode_ == VectorMode::kFlat) return;
  if (mode_ == VectorMode::kConstant) {
    size_t n = size_;
    uint8_t null = nulls_[0];
    std::vector<uint8_t> slot(element_size_);
    std::memcpy(slot.data(), data_.get(), element_size_);
    mode_ = VectorMode::kFlat;
    size_ = 1;
    EnsureCapacity(n);
    for (size_t i = 0; i < n; ++i) std::memcpy(data_.get() + i * element_size_, slot.data(), element_size_);
    nulls_.assign(n, null);
    size_ = n;
    return;
  }
  std::shared_ptr<const Vector> dict = dictionary_;
  std::vector<uint32_t> codes = std::move(codes_);
  size_t n = size_;
  mode_ = VectorMode::kFlat;
  dictionary_.reset();
  size_ = 0;
  Gather(*dict, codes.data(), n);
}

void Vector::Gather(const Vector& source, const uint32_t* sel, size_t n) {
  TB_DCHECK(source.type().physical() == type_.physical());
  if (&source == this) {
    // Gathering from ourselves: go through a temporary.
    Vector tmp(type_);
    tmp.Gather(source, sel, n);
    *this = std::move(tmp);
    return;
  }
  std::vector<std::shared_ptr<const void>> keep;
  if (type_.physical() == PhysicalType::kString) {
    // Keep what the source keeps; our own previous strings are no longer referenced.
    keep_alive_.clear();
    ShareBuffers(source);
  }
  mode_ = VectorMode::kFlat;
  dictionary_.reset();
  codes_.clear();
  EnsureCapacity(n);
  nulls_.resize(n);
  size_ = n;
  const Vector* src = &source;
  std::vector<uint32_t> mapped;
  if (source.mode() == VectorMode::kDictionary) {
    mapped.resize(n);
    for (size_t i = 0; i < n; ++i) mapped[i] = source.codes_[sel[i]];
    src = source.dictionary_.get();
    sel = mapped.data();
  }
  const uint8_t* sdata = src->data_.get();
  uint8_t* ddata = data_.get();
  const size_t es = element_size_;
  if (src->mode() == VectorMode::kConstant) {
    for (size_t i = 0; i < n; ++i) {
      std::memcpy(ddata + i * es, sdata, es);
      nulls_[i] = src->nulls_[0];
    }
    return;
  }
  switch (es) {
    case 1:
      for (size_t i = 0; i < n; ++i) ddata[i] = sdata[sel[i]];
      break;
    case 8: {
      auto* d = reinterpret_cast<uint64_t*>(ddata);
      const auto* s = reinterpret_cast<const uint64_t*>(sdata);
      for (size_t i = 0; i < n; ++i) d[i] = s[sel[i]];
      break;
    }
    default:
      for (size_t i = 0; i < n; ++i) std::memcpy(ddata + i * es, sdata + sel[i] * es, es);
  }
  for (size_t i = 0; i < n; ++i) nulls_[i] = src->nulls_[sel[i]];
}

void Vector::Slice(const Vector& source, size_t begin, size_t n) {
  std::vector<uint32_t> sel(n);
  for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(begin + i);
  Gather(source, sel.data(), n);
}

void Vector::Append(const Vector& source, size_t i) {
  TB_DCHECK(mode_ == VectorMode::kFlat);
  size_t at = size_;
  EnsureCapacity(at + 1);
  nulls_.push_back(0);
  size_ = at + 1;
  Value v = source.GetValue(i);
  if (v.is_null()) {
    nulls_[at] = 1;
  } else {
    SetValue(at, v);
  }
}

Value Vector::GetValue(size_t i) const {
  const Vector* v = this;
  size_t row = i;
  if (mode_ == VectorMode::kConstant) row = 0;
  if (mode_ == VectorMode::kDictionary) {
    v = dictionary_.get();
    row = codes_[i];
  }
  if (v->nulls_[row] != 0) return Value::Null(type_);
  switch (type_.physical()) {
    case PhysicalType::kBool: return Value::Boolean(v->data_[row] != 0);
    case PhysicalType::kInt64:
      return Value::FromInt(type_, reinterpret_cast<const int64_t*>(v->data_.get())[row]);
    case PhysicalType::kDouble:
      return Value::Double(reinterpret_cast<const double*>(v->data_.get())[row]);
    case PhysicalType::kString:
      return Value::FromText(type_,
                             std::string(reinterpret_cast<const StringRef*>(v->data_.get())[row].view()));
  }
  return Value::Null(type_);
}

void Vector::SetValue(size_t i, const Value& value) {
  if (value.is_null()) {
    nulls_[i] = 1;
    return;
  }
  nulls_[i] = 0;
  switch (type_.physical()) {
    case PhysicalType::kBool: data_[i] = value.bool_value() ? 1 : 0; break;
    case PhysicalType::kInt64: Data<int64_t>()[i] = value.int_value(); break;
    case PhysicalType::kDouble: Data<double>()[i] = value.double_value(); break;
    case PhysicalType::kString: Data<StringRef>()[i] = AddString(value.string_value()); break;
  }
}

size_t Vector::memory_bytes() const {
  return capacity_ * element_size_ + nulls_.capacity() + codes_.capacity() * 4 +
         (arena_ ? arena_->bytes_reserved() : 0);
}

}  // namespace trailbook::sql
