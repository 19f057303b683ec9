#include "sql/functions/internal/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

#include "json/json_writer.h"
#include "sql/functions/cast_functions.h"
#include "sql/functions/json_text.h"

namespace trailbook::sql::internal {
namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;

// Encodes every JSON number the way it is written, so exact text survives (CloudTrail's
// numbers can exceed double precision).
template <typename V>
error_code AppendNumberToken(V& v, std::string* out) {
  std::string_view token = TrimToken(v.raw_json_token());
  // Validate: the on-demand API only checks a number when it is read.
  od::number n;
  if (error_code e = v.get_number().get(n); e != SUCCESS) return e;
  out->append(token);
  return SUCCESS;
}

Status CannotCast(std::string_view json_text, const LogicalType& type) {
  std::string shown(json_text.substr(0, 200));
  if (json_text.size() > 200) shown += "...";
  return InvalidArgument("Cannot cast JSON '" + shown + "' to " + type.ToString());
}

// Returns the raw text of `v` for error messages (it may consume `v`).
template <typename V>
std::string_view RawForMessage(V& v) {
  std::string_view raw;
  od::json_type t;
  if (v.type().get(t) != SUCCESS) return "<invalid>";
  if (t == od::json_type::object) {
    od::object o;
    if (v.get_object().get(o) == SUCCESS && o.raw_json().get(raw) == SUCCESS) return raw;
    return "<invalid>";
  }
  if (t == od::json_type::array) {
    od::array a;
    if (v.get_array().get(a) == SUCCESS && a.raw_json().get(raw) == SUCCESS) return raw;
    return "<invalid>";
  }
  return TrimToken(v.raw_json_token());
}

// A conversion failure: null in lenient mode, an error in strict mode.
template <typename V>
Status Fail(V& v, const LogicalType& type, JsonDecode mode, std::string* out) {
  if (mode == JsonDecode::kLenient) {
    out->append("null");
    return Status::OK();
  }
  return CannotCast(RawForMessage(v), type);
}

// Reads a scalar JSON value as the int64-held, double or bool SQL type `type`.
template <typename V>
Status ReadBigint(V& v, od::json_type jt, int64_t* out, bool* ok) {
  *ok = false;
  switch (jt) {
    case od::json_type::number: {
      od::number_type nt;
      if (v.get_number_type().get(nt) != SUCCESS) return Status::OK();
      if (nt == od::number_type::floating_point_number) {
        double d;
        if (v.get_double().get(d) != SUCCESS) return Status::OK();
        Result<int64_t> r = CastDoubleToBigint(d);
        if (!r.ok()) return Status::OK();
        *out = *r;
      } else {
        if (v.get_int64().get(*out) != SUCCESS) return Status::OK();
      }
      *ok = true;
      return Status::OK();
    }
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s) != SUCCESS) return Status::OK();
      Result<int64_t> r = CastVarcharToBigint(s);
      if (r.ok()) {
        *out = *r;
        *ok = true;
      }
      return Status::OK();
    }
    case od::json_type::boolean: {
      bool b;
      if (v.get_bool().get(b) != SUCCESS) return Status::OK();
      *out = b ? 1 : 0;
      *ok = true;
      return Status::OK();
    }
    default: return Status::OK();
  }
}

template <typename V>
void ReadDouble(V& v, od::json_type jt, double* out, bool* ok) {
  *ok = false;
  if (jt == od::json_type::number) {
    *ok = v.get_double().get(*out) == SUCCESS;
  } else if (jt == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s) != SUCCESS) return;
    Result<double> r = CastVarcharToDouble(s);
    if (r.ok()) {
      *out = *r;
      *ok = true;
    }
  } else if (jt == od::json_type::boolean) {
    bool b;
    if (v.get_bool().get(b) != SUCCESS) return;
    *out = b ? 1.0 : 0.0;
    *ok = true;
  }
}

template <typename V>
void ReadBoolean(V& v, od::json_type jt, bool* out, bool* ok) {
  *ok = false;
  if (jt == od::json_type::boolean) {
    *ok = v.get_bool().get(*out) == SUCCESS;
  } else if (jt == od::json_type::number) {
    double d;
    if (v.get_double().get(d) != SUCCESS) return;
    *out = d != 0;
    *ok = true;
  } else if (jt == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s) != SUCCESS) return;
    Result<bool> r = CastVarcharToBoolean(s);
    if (r.ok()) {
      *out = *r;
      *ok = true;
    }
  }
}

// Reads a JSON string as one of the types held as int64 that parse from text.
Result<int64_t> ParseTemporal(TypeId id, std::string_view s) {
  switch (id) {
    case TypeId::kTimestamp: return CastVarcharToTimestamp(s);
    case TypeId::kDate: return CastVarcharToDate(s);
    case TypeId::kIntervalDayTime: return CastVarcharToIntervalDayTime(s);
    default: return CastVarcharToIntervalYearMonth(s);
  }
}

// Appends a JSON scalar read as varchar: strings unescaped, numbers as written, booleans as
// true/false. Returns false for objects/arrays (handled by the caller) and bad tokens.
template <typename V>
bool ReadVarchar(V& v, od::json_type jt, std::string_view* out) {
  switch (jt) {
    case od::json_type::string: return v.get_string().get(*out) == SUCCESS;
    case od::json_type::number: {
      *out = TrimToken(v.raw_json_token());
      od::number n;
      return v.get_number().get(n) == SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (v.get_bool().get(b) != SUCCESS) return false;
      *out = b ? "true" : "false";
      return true;
    }
    default: return false;
  }
}

template <typename V>
Status TranscodeArray(V& v, const LogicalType& type, JsonDecode mode, bool positional,
                      std::string* out) {
  od::array arr;
  if (v.get_array().get(arr) != SUCCESS) return Fail(v, type, mode, out);
  size_t start = out->size();
  out->push_back('[');
  bool first = true;
  for (auto child : arr) {
    od::value cv;
    if (child.get(cv) != SUCCESS) {
      out->resize(start);
      if (mode == JsonDecode::kLenient) {
        out->append("null");
        return Status::OK();
      }
      return InvalidArgument("Cannot cast malformed JSON to " + type.ToString());
    }
    if (!first) out->push_back(',');
    first = false;
    TB_RETURN_IF_ERROR(TranscodeJson(cv, type.element(), mode, positional, out));
  }
  out->push_back(']');
  return Status::OK();
}

template <typename V>
Status TranscodeMap(V& v, const LogicalType& type, JsonDecode mode, bool positional,
                    std::string* out) {
  od::object obj;
  if (v.get_object().get(obj) != SUCCESS) return Fail(v, type, mode, out);
  size_t start = out->size();
  out->push_back('{');
  bool first = true;
  for (auto f : obj) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS) {
      out->resize(start);
      if (mode == JsonDecode::kLenient) {
        out->append("null");
        return Status::OK();
      }
      return InvalidArgument("Cannot cast malformed JSON to " + type.ToString());
    }
    if (!first) out->push_back(',');
    first = false;
    // Keys are strings in JSON; a non-varchar key type must parse from the key text.
    if (type.key().id() == TypeId::kBigint) {
      Result<int64_t> k = CastVarcharToBigint(key);
      if (!k.ok()) {
        if (mode == JsonDecode::kStrict) return k.status();
        out->resize(start);
        out->append("null");
        return Status::OK();
      }
      json::AppendQuoted(out, std::to_string(*k));
    } else {
      json::AppendQuoted(out, key);
    }
    out->push_back(':');
    od::value fv = field.value();
    TB_RETURN_IF_ERROR(TranscodeJson(fv, type.value(), mode, positional, out));
  }
  out->push_back('}');
  return Status::OK();
}

template <typename V>
Status TranscodeRow(V& v, const LogicalType& type, JsonDecode mode, bool positional,
                    std::string* out) {
  const std::vector<RowField>& fields = type.fields();
  od::json_type jt;
  if (v.type().get(jt) != SUCCESS) return Fail(v, type, mode, out);
  // Each field's encoding, filled from the object or array, then written in field order.
  std::vector<std::string> encoded(fields.size());
  if (jt == od::json_type::object && !positional) {
    od::object obj;
    if (v.get_object().get(obj) != SUCCESS) return Fail(v, type, mode, out);
    for (auto f : obj) {
      od::field field;
      std::string_view key;
      if (std::move(f).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS) {
        if (mode == JsonDecode::kLenient) {
          out->append("null");
          return Status::OK();
        }
        return InvalidArgument("Cannot cast malformed JSON to " + type.ToString());
      }
      int index = type.FindField(key);
      if (index < 0 || !encoded[static_cast<size_t>(index)].empty()) continue;
      od::value fv = field.value();
      TB_RETURN_IF_ERROR(TranscodeJson(fv, *fields[static_cast<size_t>(index)].type, mode,
                                       positional, &encoded[static_cast<size_t>(index)]));
    }
  } else if (jt == od::json_type::array || (jt == od::json_type::object && positional)) {
    size_t index = 0;
    auto take = [&](od::value& cv) -> Status {
      if (index >= fields.size()) {
        if (mode == JsonDecode::kStrict) {
          return InvalidArgument("Cannot cast to " + type.ToString() + ": too many fields");
        }
        return Status::OK();
      }
      Status s = TranscodeJson(cv, *fields[index].type, mode, positional, &encoded[index]);
      ++index;
      return s;
    };
    if (jt == od::json_type::array) {
      od::array arr;
      if (v.get_array().get(arr) != SUCCESS) return Fail(v, type, mode, out);
      for (auto child : arr) {
        od::value cv;
        if (child.get(cv) != SUCCESS) return Fail(v, type, mode, out);
        TB_RETURN_IF_ERROR(take(cv));
      }
    } else {
      od::object obj;
      if (v.get_object().get(obj) != SUCCESS) return Fail(v, type, mode, out);
      for (auto f : obj) {
        od::field field;
        if (std::move(f).get(field) != SUCCESS) return Fail(v, type, mode, out);
        od::value fv = field.value();
        TB_RETURN_IF_ERROR(take(fv));
      }
    }
    if (mode == JsonDecode::kStrict && index != fields.size()) {
      return InvalidArgument("Cannot cast to " + type.ToString() + ": expected " +
                             std::to_string(fields.size()) + " fields, got " +
                             std::to_string(index));
    }
  } else {
    return Fail(v, type, mode, out);
  }
  out->push_back('{');
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    json::AppendQuoted(out, fields[i].name);
    out->push_back(':');
    out->append(encoded[i].empty() ? std::string_view("null") : std::string_view(encoded[i]));
  }
  out->push_back('}');
  return Status::OK();
}

// Canonical JSON of an object with members sorted by key (last duplicate wins).
template <typename O>
error_code AppendSortedObject(O& obj, std::string* out) {
  std::vector<std::pair<std::string, std::string>> members;
  for (auto f : obj) {
    od::field field;
    std::string_view key;
    if (error_code e = std::move(f).get(field); e != SUCCESS) return e;
    if (error_code e = field.unescaped_key().get(key); e != SUCCESS) return e;
    std::string value;
    od::value fv = field.value();
    if (error_code e = AppendCanonicalJson(fv, true, &value); e != SUCCESS) return e;
    members.emplace_back(std::string(key), std::move(value));
  }
  std::stable_sort(members.begin(), members.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out->push_back('{');
  bool first = true;
  for (size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
    if (!first) out->push_back(',');
    first = false;
    json::AppendQuoted(out, members[i].first);
    out->push_back(':');
    out->append(members[i].second);
  }
  out->push_back('}');
  return SUCCESS;
}

}  // namespace

std::string_view TrimToken(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  return token;
}

JsonReader::JsonReader() {
  // Reserves a small document and sets the depth limit; later inputs grow the capacity and
  // keep the limit. A failure here only leaves simdjson's default limit (1024) in place.
  simdjson::error_code e = parser_.allocate(4096, kMaxDepth);
  (void)e;
}

simdjson::error_code JsonReader::Start(std::string_view text, simdjson::ondemand::document* doc) {
  if (buffer_.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    buffer_.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  std::copy(text.begin(), text.end(), buffer_.begin());
  // Zero the padding the parser may read, so stale bytes never look like input.
  std::fill_n(buffer_.begin() + static_cast<std::ptrdiff_t>(text.size()),
              simdjson::SIMDJSON_PADDING, '\0');
  return parser_.iterate(buffer_.data(), text.size(), buffer_.size()).get(*doc);
}

simdjson::error_code CheckFullyRead(simdjson::ondemand::document& doc) {
  const char* location = nullptr;
  error_code e = doc.current_location().get(location);
  return e == simdjson::OUT_OF_BOUNDS ? SUCCESS : simdjson::TRAILING_CONTENT;
}

simdjson::error_code JsonReader::Canonicalize(std::string_view text, bool sort_keys,
                                              std::string* out) {
  od::document doc;
  if (error_code e = Start(text, &doc); e != SUCCESS) return e;
  size_t start = out->size();
  error_code e = AppendCanonicalJson(doc, sort_keys, out);
  if (e == SUCCESS) e = CheckFullyRead(doc);
  if (e != SUCCESS) out->resize(start);
  return e;
}

template <typename V>
simdjson::error_code AppendCanonicalJson(V& v, bool sort_keys, std::string* out) {
  od::json_type jt;
  if (error_code e = v.type().get(jt); e != SUCCESS) return e;
  switch (jt) {
    case od::json_type::object: {
      od::object obj;
      if (error_code e = v.get_object().get(obj); e != SUCCESS) return e;
      if (sort_keys) return AppendSortedObject(obj, out);
      out->push_back('{');
      bool first = true;
      for (auto f : obj) {
        od::field field;
        std::string_view key;
        if (error_code e = std::move(f).get(field); e != SUCCESS) return e;
        if (error_code e = field.unescaped_key().get(key); e != SUCCESS) return e;
        if (!first) out->push_back(',');
        first = false;
        json::AppendQuoted(out, key);
        out->push_back(':');
        od::value fv = field.value();
        if (error_code e = AppendCanonicalJson(fv, sort_keys, out); e != SUCCESS) return e;
      }
      out->push_back('}');
      return SUCCESS;
    }
    case od::json_type::array: {
      od::array arr;
      if (error_code e = v.get_array().get(arr); e != SUCCESS) return e;
      out->push_back('[');
      bool first = true;
      for (auto child : arr) {
        od::value cv;
        if (error_code e = child.get(cv); e != SUCCESS) return e;
        if (!first) out->push_back(',');
        first = false;
        if (error_code e = AppendCanonicalJson(cv, sort_keys, out); e != SUCCESS) return e;
      }
      out->push_back(']');
      return SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      if (error_code e = v.get_string().get(s); e != SUCCESS) return e;
      json::AppendQuoted(out, s);
      return SUCCESS;
    }
    case od::json_type::number: return AppendNumberToken(v, out);
    case od::json_type::boolean: {
      bool b;
      if (error_code e = v.get_bool().get(b); e != SUCCESS) return e;
      out->append(b ? "true" : "false");
      return SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (error_code e = v.is_null().get(is_null); e != SUCCESS) return e;
      if (!is_null) return simdjson::INCORRECT_TYPE;
      out->append("null");
      return SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

template <typename V>
Status TranscodeJson(V& v, const LogicalType& type, JsonDecode mode, bool positional_rows,
                     std::string* out) {
  od::json_type jt;
  if (v.type().get(jt) != SUCCESS) {
    if (mode == JsonDecode::kLenient) {
      out->append("null");
      return Status::OK();
    }
    return InvalidArgument("Cannot cast malformed JSON to " + type.ToString());
  }
  if (jt == od::json_type::null) {
    bool is_null = false;
    if (v.is_null().get(is_null) != SUCCESS || !is_null) return Fail(v, type, mode, out);
    out->append("null");
    return Status::OK();
  }
  switch (type.id()) {
    case TypeId::kUnknown: out->append("null"); return Status::OK();
    case TypeId::kBoolean: {
      bool b, ok;
      ReadBoolean(v, jt, &b, &ok);
      if (!ok) return Fail(v, type, mode, out);
      out->append(b ? "true" : "false");
      return Status::OK();
    }
    case TypeId::kBigint: {
      int64_t x;
      bool ok;
      TB_RETURN_IF_ERROR(ReadBigint(v, jt, &x, &ok));
      if (!ok) return Fail(v, type, mode, out);
      out->append(std::to_string(x));
      return Status::OK();
    }
    case TypeId::kDouble: {
      double d;
      bool ok;
      ReadDouble(v, jt, &d, &ok);
      if (!ok) return Fail(v, type, mode, out);
      AppendJsonDouble(d, out);
      return Status::OK();
    }
    case TypeId::kVarchar: {
      std::string_view s;
      if (jt == od::json_type::object || jt == od::json_type::array) {
        if (mode == JsonDecode::kStrict) return CannotCast(RawForMessage(v), type);
        std::string nested;
        if (AppendCanonicalJson(v, false, &nested) != SUCCESS) {
          out->append("null");
          return Status::OK();
        }
        json::AppendQuoted(out, nested);
        return Status::OK();
      }
      if (!ReadVarchar(v, jt, &s)) return Fail(v, type, mode, out);
      json::AppendQuoted(out, s);
      return Status::OK();
    }
    case TypeId::kTimestamp:
    case TypeId::kDate:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: {
      std::string_view s;
      if (jt != od::json_type::string || v.get_string().get(s) != SUCCESS) {
        return Fail(v, type, mode, out);
      }
      Result<int64_t> r = ParseTemporal(type.id(), s);
      if (!r.ok()) {
        if (mode == JsonDecode::kStrict) return r.status();
        out->append("null");
        return Status::OK();
      }
      AppendJsonEncoding(Value::FromInt(type, *r), out);
      return Status::OK();
    }
    case TypeId::kJson: {
      size_t start = out->size();
      if (AppendCanonicalJson(v, false, out) != SUCCESS) {
        out->resize(start);
        if (mode == JsonDecode::kStrict) {
          return InvalidArgument("Cannot cast malformed JSON to json");
        }
        out->append("null");
      }
      return Status::OK();
    }
    case TypeId::kArray: return TranscodeArray(v, type, mode, positional_rows, out);
    case TypeId::kMap: return TranscodeMap(v, type, mode, positional_rows, out);
    case TypeId::kRow: return TranscodeRow(v, type, mode, positional_rows, out);
  }
  return Fail(v, type, mode, out);
}

template <typename V>
Status DecodeJson(V& v, const LogicalType& type, JsonDecode mode, Vector& out, size_t row,
                  std::string* scratch) {
  od::json_type jt;
  if (v.type().get(jt) != SUCCESS) {
    if (mode == JsonDecode::kStrict) {
      return InvalidArgument("Cannot cast malformed JSON to " + type.ToString());
    }
    out.SetNull(row);
    return Status::OK();
  }
  if (jt == od::json_type::null) {
    out.SetNull(row);
    return Status::OK();
  }
  auto mismatch = [&]() -> Status {
    if (mode == JsonDecode::kLenient) {
      out.SetNull(row);
      return Status::OK();
    }
    return CannotCast(RawForMessage(v), type);
  };
  out.Nulls()[row] = 0;
  switch (type.id()) {
    case TypeId::kUnknown: out.SetNull(row); return Status::OK();
    case TypeId::kBoolean: {
      bool b, ok;
      ReadBoolean(v, jt, &b, &ok);
      if (!ok) return mismatch();
      out.Data<uint8_t>()[row] = b ? 1 : 0;
      return Status::OK();
    }
    case TypeId::kBigint: {
      bool ok;
      TB_RETURN_IF_ERROR(ReadBigint(v, jt, &out.Data<int64_t>()[row], &ok));
      return ok ? Status::OK() : mismatch();
    }
    case TypeId::kDouble: {
      bool ok;
      ReadDouble(v, jt, &out.Data<double>()[row], &ok);
      return ok ? Status::OK() : mismatch();
    }
    case TypeId::kVarchar: {
      std::string_view s;
      if (jt == od::json_type::object || jt == od::json_type::array) {
        if (mode == JsonDecode::kStrict) return mismatch();
        scratch->clear();
        if (AppendCanonicalJson(v, false, scratch) != SUCCESS) {
          out.SetNull(row);
          return Status::OK();
        }
        out.SetString(row, *scratch);
        return Status::OK();
      }
      if (!ReadVarchar(v, jt, &s)) return mismatch();
      out.SetString(row, s);
      return Status::OK();
    }
    case TypeId::kTimestamp:
    case TypeId::kDate:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: {
      std::string_view s;
      if (jt != od::json_type::string || v.get_string().get(s) != SUCCESS) return mismatch();
      Result<int64_t> r = ParseTemporal(type.id(), s);
      if (!r.ok()) {
        if (mode == JsonDecode::kStrict) return r.status();
        out.SetNull(row);
        return Status::OK();
      }
      out.Data<int64_t>()[row] = *r;
      return Status::OK();
    }
    case TypeId::kJson:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: {
      scratch->clear();
      TB_RETURN_IF_ERROR(TranscodeJson(v, type, mode, false, scratch));
      if (*scratch == "null") {
        out.SetNull(row);
      } else {
        out.SetString(row, *scratch);
      }
      return Status::OK();
    }
  }
  return mismatch();
}

template simdjson::error_code AppendCanonicalJson(od::value&, bool, std::string*);
template simdjson::error_code AppendCanonicalJson(od::document&, bool, std::string*);
template Status TranscodeJson(od::value&, const LogicalType&, JsonDecode, bool, std::string*);
template Status TranscodeJson(od::document&, const LogicalType&, JsonDecode, bool,
                              std::string*);
template Status DecodeJson(od::value&, const LogicalType&, JsonDecode, Vector&, size_t,
                           std::string*);
template Status DecodeJson(od::document&, const LogicalType&, JsonDecode, Vector&, size_t,
                           std::string*);

}  // namespace trailbook::sql::internal
