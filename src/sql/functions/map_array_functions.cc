// Array, map and row functions over their JSON text (json_text.h): cardinality, contains,
// array_position, element_at, "$subscript", "$field", map_keys, map_values, map, transform,
// filter, any_match, all_match, none_match, array_join, slice, array_distinct, array_sort,
// array_max, array_min, reverse and concat for arrays, sequence, and the constructors "$array"
// (ARRAY[...]) and "$row" (ROW(...)).
//
// Stored values are read leniently (internal::JsonDecode::kLenient): an element that does not
// fit the declared type is NULL, and nested values read as varchar are their JSON text.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "json/json_writer.h"
#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/internal/array_binds.h"
#include "sql/functions/internal/json_reader.h"
#include "sql/functions/json_text.h"
#include "sql/functions/kernel_templates.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;
using SV = std::string_view;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using internal::JsonDecode;

// Arrays produced by sequence() are limited as in Trino.
constexpr int64_t kMaxSequence = 10000;

BoundScalarFunction Bound(std::vector<LogicalType> args, LogicalType result, ScalarKernel k) {
  BoundScalarFunction b;
  b.lambda_params.assign(args.size(), {});
  b.arg_types = std::move(args);
  b.return_type = std::move(result);
  b.kernel = std::move(k);
  return b;
}

bool IsArray(const LogicalType& t) { return t.id() == TypeId::kArray; }

bool EqualsIgnoreAsciiCase(SV a, SV b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}
bool IsMap(const LogicalType& t) { return t.id() == TypeId::kMap; }

// The element type of an array argument; a NULL literal counts as array(unknown).
LogicalType ArrayOrNull(const LogicalType& t) {
  return t.id() == TypeId::kUnknown ? T::Array(T::Unknown()) : t;
}

// The arrays of a batch, decoded into one flat vector of elements: row r's elements are
// elements[offsets[r] .. offsets[r + 1]); rows with a NULL or malformed array are marked null.
struct ExplodedArrays {
  Vector elements;
  std::vector<size_t> offsets;
  std::vector<uint8_t> null_rows;

  size_t begin(size_t r) const { return offsets[r]; }
  size_t end(size_t r) const { return offsets[r + 1]; }
};

Status Explode(const Vector& arrays, size_t rows, const LogicalType& element_type,
               ExplodedArrays* out) {
  internal::JsonReader reader;
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
      TB_RETURN_IF_ERROR(internal::DecodeJson(v, element_type, JsonDecode::kLenient, out->elements,
                                              k, &scratch, &malformed));
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

bool IsOrderable(const LogicalType& t) { return !t.IsNested() && t.id() != TypeId::kJson; }

// ---- cardinality, contains, array_position ----

Result<BoundScalarFunction> BindCardinality(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  if (in.arg_types.size() != 1 || (!IsArray(in.arg_types[0]) && !IsMap(in.arg_types[0]))) {
    return UnexpectedParameters(in, "cardinality(array(T)), cardinality(map(K, V))");
  }
  bool map = IsMap(in.arg_types[0]);
  return Bound(
      {in.arg_types[0]}, T::Bigint(),
      [map](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
            const void*) -> Status {
        internal::JsonReader reader;
        od::document doc;
        return MapRows<int64_t, SV>(args, rows, out, [&](SV text) -> std::optional<int64_t> {
          size_t n;
          if (reader.Start(text, &doc) != SUCCESS) return std::nullopt;
          if (map) {
            od::object obj;
            if (doc.get_object().get(obj) != SUCCESS || obj.count_fields().get(n) != SUCCESS) {
              return std::nullopt;
            }
          } else {
            od::array arr;
            if (doc.get_array().get(arr) != SUCCESS || arr.count_elements().get(n) != SUCCESS) {
              return std::nullopt;
            }
          }
          return static_cast<int64_t>(n);
        });
      });
}

// contains(array(T), T) and array_position(array(T), T).
ScalarBind SearchBind(bool position) {
  return [position](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    std::string_view expected = position ? "array_position(array(T), T)" : "contains(array(T), T)";
    if (in.arg_types.size() != 2 ||
        (!IsArray(in.arg_types[0]) && in.arg_types[0].id() != TypeId::kUnknown)) {
      return UnexpectedParameters(in, expected);
    }
    LogicalType array = ArrayOrNull(in.arg_types[0]);
    LogicalType element = CommonSuperType(array.element(), in.arg_types[1]);
    if (element.id() == TypeId::kUnknown && in.arg_types[1].id() != TypeId::kUnknown &&
        array.element().id() != TypeId::kUnknown) {
      return UnexpectedParameters(in, expected);
    }
    return Bound({T::Array(element), element}, position ? T::Bigint() : T::Boolean(),
                 [position](std::span<Vector* const> args, size_t rows, Vector& out,
                            FunctionContext&, const void*) -> Status {
                   const Vector& needle = *args[1];
                   ExplodedArrays ex;
                   TB_RETURN_IF_ERROR(Explode(*args[0], rows, needle.type(), &ex));
                   out.Resize(rows);
                   for (size_t r = 0; r < rows; ++r) {
                     if (ex.null_rows[r] != 0 || needle.IsNull(r)) {
                       out.SetNull(r);
                       continue;
                     }
                     bool saw_null = false;
                     int64_t found = 0;
                     for (size_t k = ex.begin(r); k < ex.end(r) && found == 0; ++k) {
                       if (ex.elements.IsNull(k)) {
                         saw_null = true;
                       } else if (RowsEqual(ex.elements, k, needle, r)) {
                         found = static_cast<int64_t>(k - ex.begin(r)) + 1;
                       }
                     }
                     if (position) {
                       out.Data<int64_t>()[r] = found;
                     } else if (found == 0 && saw_null) {
                       out.SetNull(r);  // Indeterminate, as Trino.
                     } else {
                       out.Data<uint8_t>()[r] = found != 0 ? 1 : 0;
                     }
                   }
                   return Status::OK();
                 });
  };
}

// ---- element_at, $subscript ----

// Sets row r of `out` to element `index` (1-based; negative from the end) of a JSON array.
// `strict` turns out-of-range indexes into errors ($subscript) instead of NULL (element_at).
Status ArrayElement(internal::JsonReader& reader, SV text, int64_t index, bool strict, Vector& out,
                    size_t r, std::string& scratch) {
  od::document doc;
  od::array arr;
  if (reader.Start(text, &doc) != SUCCESS || doc.get_array().get(arr) != SUCCESS) {
    out.SetNull(r);
    return Status::OK();
  }
  if (index == 0) return InvalidArgument("SQL array indices start at 1");
  if (strict && index < 0) {
    return InvalidArgument("Array subscript is negative: " + std::to_string(index));
  }
  size_t n = 0;
  if (index < 0 || strict) {
    if (arr.count_elements().get(n) != SUCCESS) {
      out.SetNull(r);
      return Status::OK();
    }
  }
  if (strict && static_cast<uint64_t>(index) > n) {
    return InvalidArgument("Array subscript must be less than or equal to array length: " +
                           std::to_string(index) + " > " + std::to_string(n));
  }
  int64_t position = index > 0 ? index - 1 : static_cast<int64_t>(n) + index;
  od::value element;
  if (position < 0 || arr.at(static_cast<size_t>(position)).get(element) != SUCCESS) {
    out.SetNull(r);
    return Status::OK();
  }
  return internal::DecodeJson(element, out.type(), JsonDecode::kLenient, out, r, &scratch);
}

// The text a map key of `key_type` has as a JSON object key.
SV KeyText(const Vector& keys, size_t r, std::string& buf) {
  if (keys.type().id() == TypeId::kVarchar) return keys.Data<StringRef>()[r].view();
  buf.clear();
  AppendJsonEncoding(keys, r, &buf);
  if (buf.size() >= 2 && buf.front() == '"') {  // A string encoding: drop the quotes.
    buf = buf.substr(1, buf.size() - 2);
  }
  return buf;
}

// Sets row r of `out` to the value under `key` in a JSON object, NULL when absent.
Status MapValue(internal::JsonReader& reader, SV text, SV key, Vector& out, size_t r,
                std::string& scratch) {
  od::document doc;
  od::object obj;
  if (reader.Start(text, &doc) != SUCCESS || doc.get_object().get(obj) != SUCCESS) {
    out.SetNull(r);
    return Status::OK();
  }
  for (auto f : obj) {
    od::field field;
    SV k;
    if (std::move(f).get(field) != SUCCESS || field.unescaped_key().get(k) != SUCCESS) break;
    if (k == key) {
      od::value v = field.value();
      return internal::DecodeJson(v, out.type(), JsonDecode::kLenient, out, r, &scratch);
    }
  }
  out.SetNull(r);
  return Status::OK();
}

ScalarBind ElementAtBind(bool subscript) {
  return [subscript](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    std::string_view expected = subscript
                                    ? "array(T)[bigint], map(K, V)[K]"
                                    : "element_at(array(T), bigint), element_at(map(K, V), K)";
    if (in.arg_types.size() != 2) return UnexpectedParameters(in, expected);
    const LogicalType& c = in.arg_types[0];
    if (IsArray(c)) {
      if (!CanCoerce(in.arg_types[1], T::Bigint())) return UnexpectedParameters(in, expected);
      return Bound({c, T::Bigint()}, c.element(),
                   [subscript](std::span<Vector* const> args, size_t rows, Vector& out,
                               FunctionContext&, const void*) -> Status {
                     internal::JsonReader reader;
                     std::string scratch;
                     out.Resize(rows);
                     const Vector& arrays = *args[0];
                     const Vector& index = *args[1];
                     for (size_t r = 0; r < rows; ++r) {
                       if (arrays.IsNull(r) || index.IsNull(r)) {
                         out.SetNull(r);
                         continue;
                       }
                       TB_RETURN_IF_ERROR(ArrayElement(reader, arrays.Data<StringRef>()[r].view(),
                                                       index.Data<int64_t>()[r], subscript, out, r,
                                                       scratch));
                     }
                     return Status::OK();
                   });
    }
    if (IsMap(c)) {
      if (!CanCoerce(in.arg_types[1], c.key())) return UnexpectedParameters(in, expected);
      return Bound({c, c.key()}, c.value(),
                   [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                      const void*) -> Status {
                     internal::JsonReader reader;
                     std::string scratch, key_buf;
                     out.Resize(rows);
                     const Vector& maps = *args[0];
                     const Vector& keys = *args[1];
                     for (size_t r = 0; r < rows; ++r) {
                       if (maps.IsNull(r) || keys.IsNull(r)) {
                         out.SetNull(r);
                         continue;
                       }
                       TB_RETURN_IF_ERROR(MapValue(reader, maps.Data<StringRef>()[r].view(),
                                                   KeyText(keys, r, key_buf), out, r, scratch));
                     }
                     return Status::OK();
                   });
    }
    if (c.id() == TypeId::kUnknown) {
      return Bound({c, in.arg_types[1]}, T::Unknown(), NullKernel());
    }
    return UnexpectedParameters(in, expected);
  };
}

// ---- $field ----

struct FieldData {
  std::string name;  // As declared in the row type.
};

// $field(row, 'name'): the field of a row (JSON object) by name, ASCII case-insensitively
// (stored CloudTrail keys such as "ARN" answer to `.arn`). The first matching member wins.
Result<BoundScalarFunction> BindField(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  if (in.arg_types.size() != 2 || in.arg_types[0].id() != TypeId::kRow) {
    return UnexpectedParameters(in, "row.field");
  }
  TB_ASSIGN_OR_RETURN(std::string name, RequireConstantString(in, 1, "the field name"));
  const LogicalType& row = in.arg_types[0];
  int index = row.FindField(name);
  if (index < 0) {
    return InvalidArgument("Field '" + name + "' not found in " + row.ToString());
  }
  const RowField& field = row.fields()[static_cast<size_t>(index)];
  BoundScalarFunction b = Bound(
      {row, T::Varchar()}, *field.type,
      [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
         const void* data) -> Status {
        const std::string& wanted = static_cast<const FieldData*>(data)->name;
        internal::JsonReader reader;
        od::document doc;
        std::string scratch;
        out.Resize(rows);
        const Vector& rows_in = *args[0];
        for (size_t r = 0; r < rows; ++r) {
          od::object obj;
          out.SetNull(r);
          if (rows_in.IsNull(r) ||
              reader.Start(rows_in.Data<StringRef>()[r].view(), &doc) != SUCCESS ||
              doc.get_object().get(obj) != SUCCESS) {
            continue;
          }
          for (auto f : obj) {
            od::field member;
            SV key;
            if (std::move(f).get(member) != SUCCESS || member.unescaped_key().get(key) != SUCCESS) {
              break;
            }
            if (EqualsIgnoreAsciiCase(key, wanted)) {
              od::value v = member.value();
              TB_RETURN_IF_ERROR(
                  internal::DecodeJson(v, out.type(), JsonDecode::kLenient, out, r, &scratch));
              break;
            }
          }
        }
        return Status::OK();
      });
  b.bind_data = std::make_shared<const FieldData>(FieldData{field.name});
  return b;
}

// ---- map_keys, map_values, map ----

ScalarBind MapPartBind(bool keys) {
  return [keys](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (in.arg_types.size() != 1 || !IsMap(in.arg_types[0])) {
      return UnexpectedParameters(in, keys ? "map_keys(map(K, V))" : "map_values(map(K, V))");
    }
    const LogicalType& m = in.arg_types[0];
    LogicalType part = keys ? m.key() : m.value();
    return Bound(
        {m}, T::Array(part),
        [keys, part](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                     const void*) -> Status {
          internal::JsonReader reader;
          od::document doc;
          std::string buf;
          return MapRows<SV, SV>(args, rows, out, [&](SV text) -> Result<std::optional<SV>> {
            od::object obj;
            if (reader.Start(text, &doc) != SUCCESS || doc.get_object().get(obj) != SUCCESS) {
              return std::optional<SV>();
            }
            buf.assign("[");
            bool first = true;
            for (auto f : obj) {
              od::field field;
              SV key;
              if (std::move(f).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS) {
                return std::optional<SV>();
              }
              if (!first) buf.push_back(',');
              first = false;
              if (keys) {
                if (part.id() == TypeId::kVarchar || part.IsNested() ||
                    part.id() == TypeId::kJson) {
                  json::AppendQuoted(&buf, key);
                } else if (part.id() == TypeId::kBigint || part.id() == TypeId::kDouble ||
                           part.id() == TypeId::kBoolean) {
                  buf.append(key);  // Keys of these types are their literal text.
                } else {
                  json::AppendQuoted(&buf, key);
                }
              } else {
                od::value v = field.value();
                bool malformed = false;
                TB_RETURN_IF_ERROR(internal::TranscodeJson(v, part, JsonDecode::kLenient, false,
                                                           &buf, &malformed));
                if (malformed) return std::optional<SV>();
              }
            }
            buf.push_back(']');
            return std::optional<SV>(buf);
          });
        });
  };
}

// map(array(K), array(V)) -> map(K, V).
Result<BoundScalarFunction> BindMapFromArrays(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  if (in.arg_types.size() != 2 || !IsArray(in.arg_types[0]) || !IsArray(in.arg_types[1])) {
    return UnexpectedParameters(in, "map(array(K), array(V))");
  }
  LogicalType key = in.arg_types[0].element();
  LogicalType value = in.arg_types[1].element();
  return Bound({in.arg_types[0], in.arg_types[1]}, T::Map(key, value),
               [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                  const void*) -> Status {
                 ExplodedArrays keys, values;
                 TB_RETURN_IF_ERROR(Explode(*args[0], rows, args[0]->type().element(), &keys));
                 TB_RETURN_IF_ERROR(Explode(*args[1], rows, args[1]->type().element(), &values));
                 out.Resize(rows);
                 std::string buf, key_buf;
                 std::unordered_set<std::string> seen;
                 for (size_t r = 0; r < rows; ++r) {
                   if (keys.null_rows[r] != 0 || values.null_rows[r] != 0) {
                     out.SetNull(r);
                     continue;
                   }
                   size_t n = keys.end(r) - keys.begin(r);
                   if (n != values.end(r) - values.begin(r)) {
                     return InvalidArgument("Key and value arrays must be the same length");
                   }
                   buf.assign("{");
                   seen.clear();
                   for (size_t k = 0; k < n; ++k) {
                     size_t ki = keys.begin(r) + k;
                     if (keys.elements.IsNull(ki)) return InvalidArgument("map key cannot be null");
                     std::string text(KeyText(keys.elements, ki, key_buf));
                     if (!seen.insert(text).second) {
                       return InvalidArgument("Duplicate map keys (" + text + ") are not allowed");
                     }
                     if (k > 0) buf.push_back(',');
                     json::AppendQuoted(&buf, text);
                     buf.push_back(':');
                     AppendJsonEncoding(values.elements, values.begin(r) + k, &buf);
                   }
                   buf.push_back('}');
                   out.SetString(r, buf);
                 }
                 return Status::OK();
               });
}

// ---- lambdas: transform, filter, any/all/none_match ----

// Evaluates lambda argument 1 over every element of the batch's arrays, in pieces of at most
// kBatchSize elements, into `results` (one row per element).
Status EvaluateOverElements(FunctionContext& ctx, const ExplodedArrays& ex,
                            const LogicalType& result_type, Vector& results) {
  if (ctx.lambdas == nullptr) return Internal("lambda function called without an evaluator");
  const size_t total = ex.offsets.back();
  results.SetType(result_type);
  results.Resize(total);
  for (size_t begin = 0; begin < total; begin += kBatchSize) {
    size_t n = std::min(kBatchSize, total - begin);
    Vector input(ex.elements.type());
    input.Slice(ex.elements, begin, n);
    Vector output(result_type);
    Vector* inputs[] = {&input};
    TB_RETURN_IF_ERROR(ctx.lambdas->Evaluate(1, inputs, output));
    if (output.size() != n) return Internal("lambda returned the wrong number of rows");
    output.Flatten();
    results.ShareBuffers(output);
    for (size_t k = 0; k < n; ++k) CopyRowRef(output, k, results, begin + k);
  }
  return Status::OK();
}

enum class LambdaKind : uint8_t { kTransform, kFilter, kAnyMatch, kAllMatch, kNoneMatch };

ScalarBind LambdaBind(LambdaKind kind, std::string expected) {
  return [kind, expected](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    if (in.arg_types.size() != 2 ||
        (!IsArray(in.arg_types[0]) && in.arg_types[0].id() != TypeId::kUnknown) ||
        in.is_lambda.size() != 2 || in.is_lambda[0] || !in.is_lambda[1] ||
        in.lambda_arity[1] != 1) {
      return UnexpectedParameters(in, expected);
    }
    LogicalType array = ArrayOrNull(in.arg_types[0]);
    const LogicalType& body = in.arg_types[1];
    const bool first_pass = body.id() == TypeId::kUnknown;
    if (kind != LambdaKind::kTransform && !first_pass && body.id() != TypeId::kBoolean) {
      return InvalidArgument("the lambda of " + std::string(in.name) +
                             " must return boolean, not " + body.ToString());
    }
    LogicalType result;
    switch (kind) {
      case LambdaKind::kTransform:
        result = T::Array(body);
        break;
      case LambdaKind::kFilter:
        result = array;
        break;
      default:
        result = T::Boolean();
    }
    BoundScalarFunction b = Bound({array, body}, result, nullptr);
    b.lambda_params = {{}, {array.element()}};
    b.kernel = [kind, body](std::span<Vector* const> args, size_t rows, Vector& out,
                            FunctionContext& ctx, const void*) -> Status {
      ExplodedArrays ex;
      TB_RETURN_IF_ERROR(Explode(*args[0], rows, args[0]->type().element(), &ex));
      Vector results;
      LogicalType result_type = kind == LambdaKind::kTransform ? body : T::Boolean();
      TB_RETURN_IF_ERROR(EvaluateOverElements(ctx, ex, result_type, results));
      out.Resize(rows);
      std::string buf;
      std::vector<size_t> picked;
      for (size_t r = 0; r < rows; ++r) {
        if (ex.null_rows[r] != 0) {
          out.SetNull(r);
          continue;
        }
        picked.clear();
        bool any_true = false, any_false = false, any_null = false;
        for (size_t k = ex.begin(r); k < ex.end(r); ++k) {
          if (kind == LambdaKind::kTransform) {
            picked.push_back(k);
            continue;
          }
          bool is_null = results.IsNull(k);
          bool value = !is_null && results.Data<uint8_t>()[k] != 0;
          any_null = any_null || is_null;
          any_true = any_true || value;
          any_false = any_false || (!is_null && !value);
          if (value) picked.push_back(k);
        }
        switch (kind) {
          case LambdaKind::kTransform:
            EmitArray(results, picked, buf, out, r);
            break;
          case LambdaKind::kFilter:
            EmitArray(ex.elements, picked, buf, out, r);
            break;
          case LambdaKind::kAnyMatch:
            if (any_true) {
              out.Data<uint8_t>()[r] = 1;
            } else if (any_null) {
              out.SetNull(r);
            } else {
              out.Data<uint8_t>()[r] = 0;
            }
            break;
          case LambdaKind::kAllMatch:
            if (any_false) {
              out.Data<uint8_t>()[r] = 0;
            } else if (any_null) {
              out.SetNull(r);
            } else {
              out.Data<uint8_t>()[r] = 1;
            }
            break;
          case LambdaKind::kNoneMatch:
            if (any_true) {
              out.Data<uint8_t>()[r] = 0;
            } else if (any_null) {
              out.SetNull(r);
            } else {
              out.Data<uint8_t>()[r] = 1;
            }
            break;
        }
      }
      return Status::OK();
    };
    return b;
  };
}

// ---- whole-array functions over exploded elements ----

// Binds f(array(T)[, extra...]) -> result(T) whose kernel works on the exploded elements:
// op(ex, extra args, rows, out).
template <typename Op>
ScalarBind ArrayBind(std::string expected, std::vector<LogicalType> extra,
                     LogicalType (*result)(const LogicalType& array), bool needs_order, Op op) {
  return [=](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (in.arg_types.size() < 1 || in.arg_types.size() > extra.size() + 1 ||
        (!IsArray(in.arg_types[0]) && in.arg_types[0].id() != TypeId::kUnknown)) {
      return UnexpectedParameters(in, expected);
    }
    LogicalType array = ArrayOrNull(in.arg_types[0]);
    if (needs_order && !IsOrderable(array.element())) {
      return InvalidArgument(std::string(in.name) + " cannot order elements of type " +
                             array.element().ToString());
    }
    std::vector<LogicalType> args = {array};
    for (size_t i = 1; i < in.arg_types.size(); ++i) {
      if (!CanCoerce(in.arg_types[i], extra[i - 1])) return UnexpectedParameters(in, expected);
      args.push_back(extra[i - 1]);
    }
    return Bound(args, result(array),
                 [op](std::span<Vector* const> a, size_t rows, Vector& out, FunctionContext&,
                      const void*) -> Status {
                   ExplodedArrays ex;
                   TB_RETURN_IF_ERROR(Explode(*a[0], rows, a[0]->type().element(), &ex));
                   out.Resize(rows);
                   return op(ex, a, rows, out);
                 });
  };
}

LogicalType SameArray(const LogicalType& array) { return array; }
LogicalType ElementOf(const LogicalType& array) { return array.element(); }
LogicalType VarcharResult(const LogicalType&) { return T::Varchar(); }

Status ArrayJoin(const ExplodedArrays& ex, std::span<Vector* const> a, size_t rows, Vector& out) {
  const Vector& delim = *a[1];
  const Vector* null_replacement = a.size() > 2 ? a[2] : nullptr;
  // Elements as varchar: re-read through their encoding so every type joins as text.
  Vector text(T::Varchar());
  text.Resize(ex.elements.size());
  std::string scratch, buf;
  for (size_t k = 0; k < ex.elements.size(); ++k) {
    if (ex.elements.IsNull(k)) {
      text.SetNull(k);
    } else if (ex.elements.type().id() == TypeId::kVarchar) {
      text.SetStringRef(k, ex.elements.Data<StringRef>()[k].view());
    } else {
      Value v = ex.elements.GetValue(k);
      text.SetString(k, v.ToString());
    }
  }
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0 || delim.IsNull(r) ||
        (null_replacement != nullptr && null_replacement->IsNull(r))) {
      out.SetNull(r);
      continue;
    }
    buf.clear();
    bool first = true;
    for (size_t k = ex.begin(r); k < ex.end(r); ++k) {
      std::string_view piece;
      if (text.IsNull(k)) {
        if (null_replacement == nullptr) continue;
        piece = null_replacement->Data<StringRef>()[r].view();
      } else {
        piece = text.Data<StringRef>()[k].view();
      }
      if (!first) buf.append(delim.Data<StringRef>()[r].view());
      first = false;
      buf.append(piece);
    }
    out.SetString(r, buf);
  }
  return Status::OK();
}

Status Slice(const ExplodedArrays& ex, std::span<Vector* const> a, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> picked;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0 || a[1]->IsNull(r) || a[2]->IsNull(r)) {
      out.SetNull(r);
      continue;
    }
    int64_t start = a[1]->Data<int64_t>()[r];
    int64_t length = a[2]->Data<int64_t>()[r];
    if (start == 0) return InvalidArgument("SQL array indices start at 1");
    if (length < 0) return InvalidArgument("length must be greater than or equal to 0");
    auto n = static_cast<int64_t>(ex.end(r) - ex.begin(r));
    int64_t from = start > 0 ? start - 1 : n + start;
    picked.clear();
    if (from >= 0) {
      for (int64_t k = from; k < n && k - from < length; ++k) {
        picked.push_back(ex.begin(r) + static_cast<size_t>(k));
      }
    }
    EmitArray(ex.elements, picked, buf, out, r);
  }
  return Status::OK();
}

Status Distinct(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> picked;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0) {
      out.SetNull(r);
      continue;
    }
    picked.clear();
    bool null_seen = false;
    for (size_t k = ex.begin(r); k < ex.end(r); ++k) {
      if (ex.elements.IsNull(k)) {
        if (!null_seen) picked.push_back(k);
        null_seen = true;
        continue;
      }
      bool duplicate = false;
      for (size_t p : picked) {
        if (!ex.elements.IsNull(p) && RowsEqual(ex.elements, p, ex.elements, k)) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate) picked.push_back(k);
    }
    EmitArray(ex.elements, picked, buf, out, r);
  }
  return Status::OK();
}

Status Sort(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> order;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0) {
      out.SetNull(r);
      continue;
    }
    order.resize(ex.end(r) - ex.begin(r));
    std::iota(order.begin(), order.end(), ex.begin(r));
    // Ascending, NULLs last, stable.
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      bool nx = ex.elements.IsNull(x), ny = ex.elements.IsNull(y);
      if (nx || ny) return !nx && ny;
      return CompareRows(ex.elements, x, y) < 0;
    });
    EmitArray(ex.elements, order, buf, out, r);
  }
  return Status::OK();
}

template <bool kMax>
Status Extreme(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  out.ShareBuffers(ex.elements);
  for (size_t r = 0; r < rows; ++r) {
    out.SetNull(r);
    if (ex.null_rows[r] != 0 || ex.begin(r) == ex.end(r)) continue;
    size_t best = ex.begin(r);
    bool null = false;
    for (size_t k = ex.begin(r); k < ex.end(r) && !null; ++k) {
      null = ex.elements.IsNull(k);
      if (null) break;
      int c = CompareRows(ex.elements, k, best);
      if (kMax ? c > 0 : c < 0) best = k;
    }
    if (!null) CopyRowRef(ex.elements, best, out, r);
  }
  return Status::OK();
}

Status ReverseArrays(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> order;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0) {
      out.SetNull(r);
      continue;
    }
    order.clear();
    for (size_t k = ex.end(r); k > ex.begin(r); --k) order.push_back(k - 1);
    EmitArray(ex.elements, order, buf, out, r);
  }
  return Status::OK();
}

// ---- sequence, $array, $row ----

Result<std::optional<SV>> Sequence(int64_t start, int64_t stop, int64_t step, std::string& buf) {
  if (step == 0) return InvalidArgument("step must not be zero");
  if ((step > 0 && stop < start) || (step < 0 && stop > start)) {
    return InvalidArgument(
        "sequence stop value should be greater than or equal to start value if step is "
        "greater than zero otherwise stop should be less than or equal to start");
  }
  // Count with unsigned arithmetic: stop - start may overflow int64.
  uint64_t span = step > 0 ? static_cast<uint64_t>(stop) - static_cast<uint64_t>(start)
                           : static_cast<uint64_t>(start) - static_cast<uint64_t>(stop);
  uint64_t magnitude = step > 0 ? static_cast<uint64_t>(step) : 0 - static_cast<uint64_t>(step);
  if (span / magnitude >= static_cast<uint64_t>(kMaxSequence)) {
    return InvalidArgument("result of sequence function must not have more than " +
                           std::to_string(kMaxSequence) + " entries");
  }
  uint64_t count = span / magnitude + 1;
  buf.assign("[");
  int64_t v = start;
  for (uint64_t i = 0; i < count; ++i) {
    if (i > 0) {
      buf.push_back(',');
      v += step;  // Stays within [start, stop], so it cannot overflow.
    }
    buf.append(std::to_string(v));
  }
  buf.push_back(']');
  return std::optional<SV>(buf);
}

// ARRAY[a, b, ...]: elements coerced to their common type.
Result<BoundScalarFunction> BindArrayConstructor(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  LogicalType element = T::Unknown();
  for (const LogicalType& t : in.arg_types) {
    if (t.id() == TypeId::kUnknown) continue;
    LogicalType common = element.id() == TypeId::kUnknown ? t : CommonSuperType(element, t);
    if (common.id() == TypeId::kUnknown) {
      return InvalidArgument("All ARRAY elements must be the same type: " +
                             FormatArgTypes(in.arg_types));
    }
    element = common;
  }
  std::vector<LogicalType> args(in.arg_types.size(), element);
  return Bound(args, T::Array(element),
               [](std::span<Vector* const> a, size_t rows, Vector& out, FunctionContext&,
                  const void*) -> Status {
                 out.Resize(rows);
                 std::string buf;
                 for (size_t r = 0; r < rows; ++r) {
                   buf.assign("[");
                   for (size_t k = 0; k < a.size(); ++k) {
                     if (k > 0) buf.push_back(',');
                     AppendJsonEncoding(*a[k], r, &buf);
                   }
                   buf.push_back(']');
                   out.SetString(r, buf);
                 }
                 return Status::OK();
               });
}

// ROW(a, b, ...): fields named field0, field1, ... (see type_name.h).
Result<BoundScalarFunction> BindRowConstructor(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  if (in.arg_types.empty()) return InvalidArgument("ROW needs at least one field");
  std::vector<RowField> fields;
  for (size_t i = 0; i < in.arg_types.size(); ++i) {
    fields.push_back({"field" + std::to_string(i), std::make_shared<const T>(in.arg_types[i])});
  }
  LogicalType row = T::Row(fields);
  return Bound(in.arg_types, row,
               [row](std::span<Vector* const> a, size_t rows, Vector& out, FunctionContext&,
                     const void*) -> Status {
                 out.Resize(rows);
                 std::string buf;
                 for (size_t r = 0; r < rows; ++r) {
                   buf.assign("{");
                   for (size_t k = 0; k < a.size(); ++k) {
                     if (k > 0) buf.push_back(',');
                     json::AppendQuoted(&buf, row.fields()[k].name);
                     buf.push_back(':');
                     AppendJsonEncoding(*a[k], r, &buf);
                   }
                   buf.push_back('}');
                   out.SetString(r, buf);
                 }
                 return Status::OK();
               });
}

// Appends the elements of JSON array text (without brackets) to `buf`, canonicalized.
bool AppendElements(internal::JsonReader& reader, SV text, bool* first, std::string& buf) {
  od::document doc;
  od::array arr;
  if (reader.Start(text, &doc) != SUCCESS || doc.get_array().get(arr) != SUCCESS) return false;
  for (auto child : arr) {
    od::value v;
    if (child.get(v) != SUCCESS) return false;
    if (!*first) buf.push_back(',');
    *first = false;
    if (internal::AppendCanonicalJson(v, false, &buf) != SUCCESS) return false;
  }
  return true;
}

}  // namespace

namespace internal {

bool AnyArrayArgument(const ScalarBindInput& input) {
  for (const LogicalType& t : input.arg_types) {
    if (IsArray(t)) return true;
  }
  return false;
}

// concat(array, array, ...) and ||: arrays and single elements, all coerced to one element type.
// NULL arrays make the result NULL (Trino's concat returns NULL when any argument is NULL).
Result<BoundScalarFunction> BindArrayConcat(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  LogicalType element = T::Unknown();
  for (const LogicalType& t : in.arg_types) {
    const LogicalType& e = IsArray(t) ? t.element() : t;
    if (e.id() == TypeId::kUnknown) continue;
    LogicalType common = element.id() == TypeId::kUnknown ? e : CommonSuperType(element, e);
    if (common.id() == TypeId::kUnknown) {
      return UnexpectedParameters(in, "concat(array(T), ...), array(T) || T, T || array(T)");
    }
    element = common;
  }
  std::vector<LogicalType> args;
  for (const LogicalType& t : in.arg_types)
    args.push_back(IsArray(t) ? T::Array(element) : element);
  return Bound(args, T::Array(element),
               [](std::span<Vector* const> a, size_t rows, Vector& out, FunctionContext&,
                  const void*) -> Status {
                 internal::JsonReader reader;
                 out.Resize(rows);
                 std::string buf;
                 for (size_t r = 0; r < rows; ++r) {
                   buf.assign("[");
                   bool first = true;
                   bool null = false;
                   for (Vector* v : a) {
                     if (v->type().id() != TypeId::kArray) {
                       if (!first) buf.push_back(',');
                       first = false;
                       AppendJsonEncoding(*v, r, &buf);
                       continue;
                     }
                     if (v->IsNull(r) ||
                         !AppendElements(reader, v->Data<StringRef>()[r].view(), &first, buf)) {
                       null = true;
                       break;
                     }
                   }
                   if (null) {
                     out.SetNull(r);
                     continue;
                   }
                   buf.push_back(']');
                   out.SetString(r, buf);
                 }
                 return Status::OK();
               });
}

Result<BoundScalarFunction> BindArrayReverse(const ScalarBindInput& in) {
  static const ScalarBind bind =
      ArrayBind("reverse(array(T))", {}, SameArray, false, ReverseArrays);
  return bind(in);
}

}  // namespace internal

void RegisterMapArrayFunctions(FunctionRegistry& registry) {
  registry.AddScalar("cardinality", BindCardinality);
  registry.AddScalar("contains", SearchBind(false));
  registry.AddScalar("array_position", SearchBind(true));
  registry.AddScalar("element_at", ElementAtBind(false));
  registry.AddScalar("$subscript", ElementAtBind(true));
  registry.AddScalar("$field", BindField);
  registry.AddScalar("map_keys", MapPartBind(true));
  registry.AddScalar("map_values", MapPartBind(false));
  registry.AddScalar("map", BindMapFromArrays);
  registry.AddScalar("transform",
                     LambdaBind(LambdaKind::kTransform, "transform(array(T), function(T, U))"));
  registry.AddScalar("filter",
                     LambdaBind(LambdaKind::kFilter, "filter(array(T), function(T, boolean))"));
  registry.AddScalar(
      "any_match", LambdaBind(LambdaKind::kAnyMatch, "any_match(array(T), function(T, boolean))"));
  registry.AddScalar(
      "all_match", LambdaBind(LambdaKind::kAllMatch, "all_match(array(T), function(T, boolean))"));
  registry.AddScalar("none_match", LambdaBind(LambdaKind::kNoneMatch,
                                              "none_match(array(T), function(T, boolean))"));
  registry.AddScalar("array_join",
                     ArrayBind("array_join(array(T), varchar[, varchar])",
                               {T::Varchar(), T::Varchar()}, VarcharResult, false, ArrayJoin));
  registry.AddScalar("slice", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    static const ScalarBind bind = ArrayBind("slice(array(T), bigint, bigint)",
                                             {T::Bigint(), T::Bigint()}, SameArray, false, Slice);
    if (in.arg_types.size() != 3)
      return UnexpectedParameters(in, "slice(array(T), bigint, bigint)");
    return bind(in);
  });
  registry.AddScalar("array_distinct",
                     ArrayBind("array_distinct(array(T))", {}, SameArray, false, Distinct));
  registry.AddScalar("array_sort", ArrayBind("array_sort(array(T))", {}, SameArray, true, Sort));
  registry.AddScalar("array_max",
                     ArrayBind("array_max(array(T))", {}, ElementOf, true, Extreme<true>));
  registry.AddScalar("array_min",
                     ArrayBind("array_min(array(T))", {}, ElementOf, true, Extreme<false>));
  registry.AddScalar(
      "sequence", BindSignatures("sequence", {{{T::Bigint(), T::Bigint()},
                                               T::Array(T::Bigint()),
                                               BatchKernel<SV, int64_t, int64_t>([] {
                                                 return [buf = std::string()](int64_t a,
                                                                              int64_t b) mutable {
                                                   return Sequence(a, b, a <= b ? 1 : -1, buf);
                                                 };
                                               })},
                                              {{T::Bigint(), T::Bigint(), T::Bigint()},
                                               T::Array(T::Bigint()),
                                               BatchKernel<SV, int64_t, int64_t, int64_t>([] {
                                                 return [buf = std::string()](int64_t a, int64_t b,
                                                                              int64_t s) mutable {
                                                   return Sequence(a, b, s, buf);
                                                 };
                                               })}}));
  registry.AddScalar("$array", BindArrayConstructor);
  registry.AddScalar("$row", BindRowConstructor);
}

}  // namespace trailbook::sql
