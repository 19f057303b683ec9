// File: sql/functions/internal/exploded_arrays.h
//
// ExplodedArrays: the arrays of one batch decoded into a single flat vector of elements, which
// is how the array functions work on elements vectorised (lambdas evaluate over all of them
// at once) instead of parsing JSON per element access.
//
//   internal::ExplodedArrays ex;
//   TB_RETURN_IF_ERROR(internal::Explode(arrays, rows, element_type, &ex));
//   for (size_t k = ex.begin(r); k < ex.end(r); ++k) ... ex.elements ...
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "sql/types/vector.h"

namespace trailbook::sql::internal {

// Row r's elements are elements[begin(r) .. end(r)); rows whose array is NULL or malformed
// have null_rows[r] set (and no elements).
struct ExplodedArrays {
  Vector elements;
  std::vector<size_t> offsets;  // rows + 1 entries
  std::vector<uint8_t> null_rows;

  size_t begin(size_t r) const { return offsets[r]; }
  size_t end(size_t r) const { return offsets[r + 1]; }
};

// Decodes rows [0, rows) of `arrays` (flat, JSON array text) leniently as `element_type`
// (internal::JsonDecode::kLenient) into *out.
Status Explode(const Vector& arrays, size_t rows, const LogicalType& element_type,
               ExplodedArrays* out);

// Sets row r of `out` to the JSON array of elements[i] for i in `indexes` (canonical encoding;
// `buf` is scratch).
void EmitArray(const Vector& elements, std::span<const size_t> indexes, std::string& buf,
               Vector& out, size_t r);

// Compares two non-NULL rows of one flat vector by value (strings by bytes; NaN last).
int CompareRows(const Vector& v, size_t a, size_t b);
// Returns whether row i of `a` equals row j of `b` (same physical type, both non-NULL).
bool RowsEqual(const Vector& a, size_t i, const Vector& b, size_t j);
// Returns true for element types array_sort, array_max and array_min can order.
bool IsOrderableElement(const LogicalType& t);
// The type of an array argument; a NULL literal counts as array(unknown).
LogicalType ArrayOrNull(const LogicalType& t);

}  // namespace trailbook::sql::internal
