#include "sql/exec/column_store.h"

#include <xxhash.h>

#include <cmath>
#include <cstring>

#include "sql/exec/value_ops.h"

namespace trailbook::sql {

ColumnStore::ColumnStore(std::vector<LogicalType> types)
    : types_(std::move(types)),
      chunks_(std::make_shared<std::vector<DataChunk>>()),
      arena_(std::make_shared<Arena>()) {
  for (const LogicalType& t : types_) {
    columns_.push_back(Column{t.physical(), PhysicalSize(t.physical()), {}, {}});
  }
}

void ColumnStore::AppendChunk(DataChunk&& chunk) {
  size_t n = chunk.size;
  if (n == 0) return;
  for (size_t c = 0; c < columns_.size(); ++c) {
    Vector& v = chunk.columns[c];
    v.Flatten();
    Column& col = columns_[c];
    size_t at = col.data.size();
    col.data.resize(at + n * col.width);
    std::memcpy(col.data.data() + at, v.Data<uint8_t>(), n * col.width);
    col.nulls.insert(col.nulls.end(), v.Nulls(), v.Nulls() + n);
  }
  size_ += n;
  chunk_bytes_ += chunk.memory_bytes();
  chunks_->push_back(std::move(chunk));
}

void ColumnStore::AppendRow(std::span<const Vector* const> values, size_t row) {
  for (size_t c = 0; c < columns_.size(); ++c) {
    const Vector& v = *values[c];
    Column& col = columns_[c];
    size_t at = col.data.size();
    col.data.resize(at + col.width);
    bool null = v.Nulls()[row] != 0;
    col.nulls.push_back(null ? 1 : 0);
    if (col.physical == PhysicalType::kString) {
      StringRef s{};
      if (!null) {
        std::string_view copy = arena_->CopyString(v.Data<StringRef>()[row].view());
        s = StringRef{copy.data(), static_cast<uint32_t>(copy.size())};
      }
      std::memcpy(col.data.data() + at, &s, sizeof(s));
    } else {
      std::memcpy(col.data.data() + at, v.Data<uint8_t>() + row * col.width, col.width);
    }
  }
  ++size_;
}

void ColumnStore::GatherColumn(size_t c, const uint32_t* rows, size_t n, Vector& out) const {
  const Column& col = columns_[c];
  out.Reset();
  out.Resize(n);
  uint8_t* dst = out.Data<uint8_t>();
  uint8_t* nulls = out.Nulls();
  const uint8_t* src = col.data.data();
  switch (col.width) {
    case 1:
      for (size_t i = 0; i < n; ++i) dst[i] = src[rows[i]];
      break;
    case 8: {
      auto* d = reinterpret_cast<uint64_t*>(dst);
      const auto* s = reinterpret_cast<const uint64_t*>(src);
      for (size_t i = 0; i < n; ++i) d[i] = s[rows[i]];
      break;
    }
    default:
      for (size_t i = 0; i < n; ++i) std::memcpy(dst + i * col.width, src + rows[i] * col.width, col.width);
  }
  for (size_t i = 0; i < n; ++i) nulls[i] = col.nulls[rows[i]];
  if (col.physical == PhysicalType::kString) {
    out.KeepAlive(chunks_);
    out.KeepAlive(arena_);
  }
}

void ColumnStore::Gather(const uint32_t* rows, size_t n, DataChunk& out, size_t first) const {
  for (size_t c = 0; c < columns_.size(); ++c) GatherColumn(c, rows, n, out.columns[first + c]);
}

void ColumnStore::FillNulls(size_t n, DataChunk& out, size_t first) const {
  for (size_t c = 0; c < columns_.size(); ++c) {
    Vector& v = out.columns[first + c];
    v.Reset();
    v.Resize(n);
    std::memset(v.Nulls(), 1, n);
    std::memset(v.Data<uint8_t>(), 0, n * columns_[c].width);
  }
}

int ColumnStore::Compare(size_t c, size_t a, size_t b) const {
  switch (columns_[c].physical) {
    case PhysicalType::kBool: return Data<uint8_t>(c)[a] - Data<uint8_t>(c)[b];
    case PhysicalType::kInt64: {
      int64_t x = Data<int64_t>(c)[a], y = Data<int64_t>(c)[b];
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case PhysicalType::kDouble: {
      double x = Data<double>(c)[a], y = Data<double>(c)[b];
      bool xn = std::isnan(x), yn = std::isnan(y);
      if (xn || yn) return xn == yn ? 0 : xn ? 1 : -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case PhysicalType::kString: {
      int r = Data<StringRef>(c)[a].view().compare(Data<StringRef>(c)[b].view());
      return r < 0 ? -1 : r > 0 ? 1 : 0;
    }
  }
  return 0;
}

uint64_t ColumnStore::Hash(size_t c, size_t row) const {
  Vector tmp(types_[c]);
  uint32_t r = static_cast<uint32_t>(row);
  GatherColumn(c, &r, 1, tmp);
  return HashRow(tmp, 0);
}

bool ColumnStore::Equals(size_t c, size_t row, const Vector& v, size_t i) const {
  bool an = columns_[c].nulls[row] != 0, bn = v.Nulls()[i] != 0;
  if (an || bn) return an == bn;
  switch (columns_[c].physical) {
    case PhysicalType::kBool: return Data<uint8_t>(c)[row] == v.Data<uint8_t>()[i];
    case PhysicalType::kInt64: return Data<int64_t>(c)[row] == v.Data<int64_t>()[i];
    case PhysicalType::kDouble: {
      double x = Data<double>(c)[row], y = v.Data<double>()[i];
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    case PhysicalType::kString: return Data<StringRef>(c)[row].view() == v.Data<StringRef>()[i].view();
  }
  return false;
}

Value ColumnStore::GetValue(size_t c, size_t row) const {
  Vector tmp(types_[c]);
  uint32_t r = static_cast<uint32_t>(row);
  GatherColumn(c, &r, 1, tmp);
  return tmp.GetValue(0);
}

size_t ColumnStore::memory_bytes() const {
  size_t total = chunk_bytes_ + arena_->bytes_reserved();
  for (const Column& c : columns_) total += c.data.capacity() + c.nulls.capacity();
  return total;
}

}  // namespace trailbook::sql
