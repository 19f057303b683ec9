#include "sql/functions/internal/exploded_arrays.h"

#include <cmath>

#include "sql/functions/internal/json_reader.h"
#include "sql/functions/json_text.h"

namespace trailbook::sql::internal {

using simdjson::SUCCESS;
namespace od = simdjson::ondemand;

Status Explode(const Vector& arrays, size_t rows, const LogicalType& element_type,
               ExplodedArrays* out) {
  JsonReader reader;
  od::document doc;
  out->offsets.assign(rows + 1, 0);
  out->null_rows.assign(rows, 0);
  // First pass: count, so the element vector is sized once.
  size_t total = 0;
  for (size_t r = 0; r < rows; ++r) {
    out->offsets[r] = total;
    od::array arr;
    size_t n = 0;
    if (arrays.IsNull(r) || reader.Start(arrays.Data<StringRef>()[r].view(), &doc) != SUCCESS ||
        doc.get_array().get(arr) != SUCCESS || arr.count_elements().get(n) != SUCCESS) {
      out->null_rows[r] = 1;
      continue;
    }
    total += n;
  }
  out->offsets[rows] = total;
  out->elements.SetType(element_type);
  out->elements.Resize(total);
  std::string scratch;
  for (size_t r = 0; r < rows; ++r) {
    if (out->null_rows[r] != 0) continue;
    od::array arr;
    if (reader.Start(arrays.Data<StringRef>()[r].view(), &doc) != SUCCESS ||
        doc.get_array().get(arr) != SUCCESS) {
      return Internal("array changed between passes");
    }
    size_t k = out->offsets[r];
    bool malformed = false;
    for (auto child : arr) {
      od::value v;
      if (k >= out->offsets[r + 1] || child.get(v) != SUCCESS) {
        malformed = true;
        break;
      }
      TB_RETURN_IF_ERROR(DecodeJson(v, element_type, JsonDecode::kLenient, out->elements, k,
                                    &scratch, &malformed));
      ++k;
      if (malformed) break;
    }
    for (; k < out->offsets[r + 1]; ++k) out->elements.SetNull(k);
    // A malformed array reads as NULL, like one that does not parse at all.
    if (malformed) out->null_rows[r] = 1;
  }
  return Status::OK();
}

// Writes row r of `out` as the JSON array of elements[i] for i in `indexes`.
void EmitArray(const Vector& elements, std::span<const size_t> indexes, std::string& buf,
               Vector& out, size_t r) {
  buf.assign("[");
  for (size_t k = 0; k < indexes.size(); ++k) {
    if (k > 0) buf.push_back(',');
    AppendJsonEncoding(elements, indexes[k], &buf);
  }
  buf.push_back(']');
  out.SetString(r, buf);
}

// Compares two non-NULL elements of a flat vector by their physical values.
int CompareRows(const Vector& v, size_t a, size_t b) {
  switch (v.type().physical()) {
    case PhysicalType::kBool: {
      int x = v.Data<uint8_t>()[a], y = v.Data<uint8_t>()[b];
      return (x > y) - (x < y);
    }
    case PhysicalType::kInt64: {
      int64_t x = v.Data<int64_t>()[a], y = v.Data<int64_t>()[b];
      return (x > y) - (x < y);
    }
    case PhysicalType::kDouble: {
      double x = v.Data<double>()[a], y = v.Data<double>()[b];
      // NaN sorts after every number, as Trino orders it.
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
      return (x > y) - (x < y);
    }
    case PhysicalType::kString: {
      int c = v.Data<StringRef>()[a].view().compare(v.Data<StringRef>()[b].view());
      return (c > 0) - (c < 0);
    }
  }
  return 0;
}

bool RowsEqual(const Vector& a, size_t i, const Vector& b, size_t j) {
  switch (a.type().physical()) {
    case PhysicalType::kBool:
      return a.Data<uint8_t>()[i] == b.Data<uint8_t>()[j];
    case PhysicalType::kInt64:
      return a.Data<int64_t>()[i] == b.Data<int64_t>()[j];
    case PhysicalType::kDouble:
      return a.Data<double>()[i] == b.Data<double>()[j];
    case PhysicalType::kString:
      return a.Data<StringRef>()[i].view() == b.Data<StringRef>()[j].view();
  }
  return false;
}

bool IsOrderableElement(const LogicalType& t) { return !t.IsNested() && t.id() != TypeId::kJson; }

LogicalType ArrayOrNull(const LogicalType& t) {
  return t.id() == TypeId::kUnknown ? LogicalType::Array(LogicalType::Unknown()) : t;
}

}  // namespace trailbook::sql::internal
