#include "sql/exec/value_ops.h"

#include <xxhash.h>

#include <atomic>
#include <cmath>
#include <cstring>

#include "json/json_writer.h"

namespace trailbook::sql {
namespace {

constexpr uint64_t kNullHash = 0x9e3779b97f4a7c15ULL;

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

inline uint64_t Combine(uint64_t a, uint64_t b) { return Mix(a * 31 + b); }

inline double Normalize(double d) {
  if (d == 0) return 0.0;  // -0.0 == 0.0
  if (std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
  return d;
}

inline uint64_t HashDouble(double d) {
  d = Normalize(d);
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  return Mix(bits);
}

}  // namespace

uint64_t NewDictionaryId() {
  static std::atomic<uint64_t> next{uint64_t{1} << 40};
  return next.fetch_add(1, std::memory_order_relaxed);
}

void HashColumn(const Vector& v, size_t n, uint64_t* hashes, bool combine) {
  const uint8_t* nulls = v.Nulls();
  switch (v.type().physical()) {
    case PhysicalType::kBool: {
      const uint8_t* d = v.Data<uint8_t>();
      for (size_t i = 0; i < n; ++i) {
        uint64_t h = nulls[i] ? kNullHash : Mix(d[i] + 1);
        hashes[i] = combine ? Combine(hashes[i], h) : h;
      }
      break;
    }
    case PhysicalType::kInt64: {
      const int64_t* d = v.Data<int64_t>();
      for (size_t i = 0; i < n; ++i) {
        uint64_t h = nulls[i] ? kNullHash : Mix(static_cast<uint64_t>(d[i]));
        hashes[i] = combine ? Combine(hashes[i], h) : h;
      }
      break;
    }
    case PhysicalType::kDouble: {
      const double* d = v.Data<double>();
      for (size_t i = 0; i < n; ++i) {
        uint64_t h = nulls[i] ? kNullHash : HashDouble(d[i]);
        hashes[i] = combine ? Combine(hashes[i], h) : h;
      }
      break;
    }
    case PhysicalType::kString: {
      const StringRef* d = v.Data<StringRef>();
      for (size_t i = 0; i < n; ++i) {
        uint64_t h = nulls[i] ? kNullHash : XXH3_64bits(d[i].data, d[i].size);
        hashes[i] = combine ? Combine(hashes[i], h) : h;
      }
      break;
    }
  }
}

uint64_t HashRow(const Vector& v, size_t i) {
  if (v.Nulls()[i]) return kNullHash;
  switch (v.type().physical()) {
    case PhysicalType::kBool: return Mix(v.Data<uint8_t>()[i] + 1);
    case PhysicalType::kInt64: return Mix(static_cast<uint64_t>(v.Data<int64_t>()[i]));
    case PhysicalType::kDouble: return HashDouble(v.Data<double>()[i]);
    case PhysicalType::kString: {
      StringRef s = v.Data<StringRef>()[i];
      return XXH3_64bits(s.data, s.size);
    }
  }
  return 0;
}

bool RowsEqual(const Vector& a, size_t i, const Vector& b, size_t j) {
  bool an = a.Nulls()[i] != 0, bn = b.Nulls()[j] != 0;
  if (an || bn) return an == bn;
  switch (a.type().physical()) {
    case PhysicalType::kBool: return a.Data<uint8_t>()[i] == b.Data<uint8_t>()[j];
    case PhysicalType::kInt64: return a.Data<int64_t>()[i] == b.Data<int64_t>()[j];
    case PhysicalType::kDouble: {
      double x = a.Data<double>()[i], y = b.Data<double>()[j];
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    case PhysicalType::kString:
      return a.Data<StringRef>()[i].view() == b.Data<StringRef>()[j].view();
  }
  return false;
}

int CompareRows(const Vector& a, size_t i, const Vector& b, size_t j) {
  switch (a.type().physical()) {
    case PhysicalType::kBool: {
      int x = a.Data<uint8_t>()[i], y = b.Data<uint8_t>()[j];
      return x - y;
    }
    case PhysicalType::kInt64: {
      int64_t x = a.Data<int64_t>()[i], y = b.Data<int64_t>()[j];
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case PhysicalType::kDouble: {
      double x = a.Data<double>()[i], y = b.Data<double>()[j];
      bool xn = std::isnan(x), yn = std::isnan(y);
      if (xn || yn) return xn == yn ? 0 : xn ? 1 : -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case PhysicalType::kString: {
      int c = a.Data<StringRef>()[i].view().compare(b.Data<StringRef>()[j].view());
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
  }
  return 0;
}

void AppendJsonValue(const Vector& v, size_t i, std::string* out) {
  if (v.Nulls()[i]) {
    out->append("null");
    return;
  }
  switch (v.type().id()) {
    case TypeId::kBoolean: out->append(v.Data<uint8_t>()[i] ? "true" : "false"); return;
    case TypeId::kBigint: out->append(std::to_string(v.Data<int64_t>()[i])); return;
    case TypeId::kDouble: {
      double d = v.Data<double>()[i];
      if (!std::isfinite(d)) {
        json::AppendQuoted(out, Value::Double(d).ToString());
      } else {
        out->append(Value::Double(d).ToString());
      }
      return;
    }
    case TypeId::kVarchar: json::AppendQuoted(out, v.Data<StringRef>()[i].view()); return;
    case TypeId::kJson:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: out->append(v.Data<StringRef>()[i].view()); return;
    default: json::AppendQuoted(out, v.GetValue(i).ToString()); return;
  }
}

void ScatterRows(const Vector& src, const uint32_t* at, size_t n, Vector& dst) {
  const uint8_t* sn = src.Nulls();
  uint8_t* dn = dst.Nulls();
  switch (src.type().physical()) {
    case PhysicalType::kBool: {
      const uint8_t* s = src.Data<uint8_t>();
      uint8_t* d = dst.Data<uint8_t>();
      for (size_t i = 0; i < n; ++i) d[at[i]] = s[i];
      break;
    }
    case PhysicalType::kInt64: {
      const int64_t* s = src.Data<int64_t>();
      int64_t* d = dst.Data<int64_t>();
      for (size_t i = 0; i < n; ++i) d[at[i]] = s[i];
      break;
    }
    case PhysicalType::kDouble: {
      const double* s = src.Data<double>();
      double* d = dst.Data<double>();
      for (size_t i = 0; i < n; ++i) d[at[i]] = s[i];
      break;
    }
    case PhysicalType::kString: {
      dst.ShareBuffers(src);
      const StringRef* s = src.Data<StringRef>();
      StringRef* d = dst.Data<StringRef>();
      for (size_t i = 0; i < n; ++i) d[at[i]] = s[i];
      break;
    }
  }
  for (size_t i = 0; i < n; ++i) dn[at[i]] = sn[i];
}

void ReferenceVector(const Vector& src, Vector& dst) {
  if (dst.type() != src.type()) dst.SetType(src.type());
  switch (src.mode()) {
    case VectorMode::kDictionary:
      dst.SetDictionary(src.dictionary_ptr(), src.dictionary_id(), src.codes(), src.size());
      return;
    case VectorMode::kConstant: dst.SetConstant(src.GetValue(0), src.size()); return;
    case VectorMode::kFlat: dst.Slice(src, 0, src.size()); return;
  }
}

}  // namespace trailbook::sql
