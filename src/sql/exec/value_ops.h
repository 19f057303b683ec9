// File: sql/exec/value_ops.h
//
// Typed row operations the engine's own operators need (grouping, joins, sorting, DISTINCT,
// IN lists, array_agg): hashing, equality, ordering and JSON encoding of vector rows. The
// SQL comparison operators themselves are library functions ($eq, $lt, ...); these implement
// the engine's orderings with Trino's rules: strings by UTF-8 bytes (code points), NaN
// above every other double, -0.0 equal to 0.0, nested values by their JSON text.
//
//   HashColumn(vector, n, hashes, /*combine=*/true);
//   int c = CompareRows(a, i, b, j);
//
// REQUIRES for every function: flat vectors (call Vector::Flatten first) of matching
// physical types.
#pragma once

#include <cstdint>
#include <string>

#include "sql/types/vector.h"

namespace trailbook::sql {

// Hashes rows [0, n) of `v` into `hashes` (or mixes into them when `combine`). NULLs hash to
// a fixed value, so NULL keys group together.
void HashColumn(const Vector& v, size_t n, uint64_t* hashes, bool combine);
// Hashes one row.
uint64_t HashRow(const Vector& v, size_t i);
// Returns true when row i of a equals row j of b; two NULLs are equal (grouping semantics).
bool RowsEqual(const Vector& a, size_t i, const Vector& b, size_t j);
// Orders non-NULL row i of a against non-NULL row j of b: <0, 0, >0.
int CompareRows(const Vector& a, size_t i, const Vector& b, size_t j);
// Appends row i as a JSON value (strings quoted, numbers bare, nested values verbatim,
// timestamps as 'YYYY-MM-DD HH:MM:SS.fff' strings, NULL as null).
void AppendJsonValue(const Vector& v, size_t i, std::string* out);

// Copies rows sel[0..n) of flat `src` into rows at[0..n) of flat `dst` (same type), sharing
// string buffers. REQUIRES: dst has at least max(at)+1 rows.
void ScatterRows(const Vector& src, const uint32_t* at, size_t n, Vector& dst);

// Makes `dst` refer to the rows of `src` without copying dictionaries (dictionary and
// constant modes are kept; flat vectors are copied by reference).
void ReferenceVector(const Vector& src, Vector& dst);

// Returns a fresh process-wide id for a derived dictionary (see Vector::SetDictionary).
uint64_t NewDictionaryId();

}  // namespace trailbook::sql
