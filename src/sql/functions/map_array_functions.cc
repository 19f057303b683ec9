// Element access and maps over JSON text (json_text.h): cardinality, contains,
// array_position, element_at, "$subscript", "$field", map_keys, map_values, map, and the
// constructors "$array" (ARRAY[...]) and "$row" (ROW(...)). Whole-array functions and lambdas
// are in array_functions.cc.
//
// Stored values are read leniently (internal::JsonDecode::kLenient): an element that does not
// fit the declared type is NULL, and nested values read as varchar are their JSON text.
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "json/json_writer.h"
#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/internal/exploded_arrays.h"
#include "sql/functions/internal/json_reader.h"
#include "sql/functions/json_text.h"
#include "sql/functions/kernel_templates.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;
using SV = std::string_view;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using internal::ArrayOrNull;
using internal::ExplodedArrays;
using internal::JsonDecode;

bool IsArray(const LogicalType& t) { return t.id() == TypeId::kArray; }
bool IsMap(const LogicalType& t) { return t.id() == TypeId::kMap; }

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

// ---- cardinality, contains, array_position ----

Result<BoundScalarFunction> BindCardinality(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  if (in.arg_types.size() != 1 || (!IsArray(in.arg_types[0]) && !IsMap(in.arg_types[0]))) {
    return UnexpectedParameters(in, "cardinality(array(T)), cardinality(map(K, V))");
  }
  bool map = IsMap(in.arg_types[0]);
  return MakeBound(
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
    return MakeBound({T::Array(element), element}, position ? T::Bigint() : T::Boolean(),
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
                           } else if (internal::RowsEqual(ex.elements, k, needle, r)) {
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
      return MakeBound({c, T::Bigint()}, c.element(),
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
                           TB_RETURN_IF_ERROR(
                               ArrayElement(reader, arrays.Data<StringRef>()[r].view(),
                                            index.Data<int64_t>()[r], subscript, out, r, scratch));
                         }
                         return Status::OK();
                       });
    }
    if (IsMap(c)) {
      if (!CanCoerce(in.arg_types[1], c.key())) return UnexpectedParameters(in, expected);
      return MakeBound({c, c.key()}, c.value(),
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
      return MakeBound({c, in.arg_types[1]}, T::Unknown(), NullKernel());
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
  BoundScalarFunction b = MakeBound(
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
    return MakeBound(
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
  return MakeBound(
      {in.arg_types[0], in.arg_types[1]}, T::Map(key, value),
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

// ---- $array, $row ----

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
  return MakeBound(args, T::Array(element),
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
  return MakeBound(in.arg_types, row,
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

}  // namespace

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
  registry.AddScalar("$array", BindArrayConstructor);
  registry.AddScalar("$row", BindRowConstructor);
}

}  // namespace trailbook::sql
