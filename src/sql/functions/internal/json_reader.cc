#include "sql/functions/internal/json_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
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

// Rules for reading with simdjson on-demand, which these functions follow: a value is read
// once; after any error the document (or the value) is not touched again, because simdjson
// may have abandoned its iterator; text shown in error messages is taken before reading.

// Returns true when `s` is a JSON number (RFC 8259). Numbers are validated here rather than
// by simdjson's number parser, which rejects valid numbers beyond 64 bits (CloudTrail has
// such numbers, and they are kept as written).
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digit = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

bool IsIntegerToken(std::string_view s) { return s.find_first_of(".eE") == std::string_view::npos; }

// Appends a number token after checking it. A root number is also consumed, so the document
// can be checked for trailing text.
template <typename V>
error_code AppendNumber(V& v, std::string* out) {
  std::string_view token = TrimToken(v.raw_json_token());
  if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
  if constexpr (std::is_same_v<V, od::document>) {
    double ignored;
    if (error_code e = v.get_double().get(ignored); e != SUCCESS) return e;
  }
  out->append(token);
  return SUCCESS;
}

std::string Excerpt(std::string_view json_text) {
  std::string shown(json_text.substr(0, 200));
  if (json_text.size() > 200) shown += "...";
  return shown;
}

Status CannotCast(std::string_view json_text, const LogicalType& type) {
  return InvalidArgument("Cannot cast JSON '" + Excerpt(json_text) + "' to " + type.ToString());
}

Status Malformed(const LogicalType& type) {
  return InvalidArgument("Cannot cast malformed JSON to " + type.ToString());
}

// The outcome of converting one JSON value.
enum class Step : uint8_t {
  kOk,         // converted
  kMismatch,   // the value does not fit the type (strict mode only; the error is recorded)
  kMalformed,  // simdjson reported an error: stop reading the document
};

// Converts JSON values to the canonical encoding of SQL types (json_text.h). In lenient mode
// a value that does not fit becomes null and conversion goes on; in strict mode the first
// such value stops it, with `error` saying why.
class Transcoder {
 public:
  Transcoder(JsonDecode mode, bool positional_rows)
      : mode_(mode), positional_rows_(positional_rows) {}

  const Status& error() const { return error_; }

  template <typename V>
  Step Value(V& v, const LogicalType& type, std::string* out) {
    od::json_type jt;
    if (v.type().get(jt) != SUCCESS) return Step::kMalformed;
    if (jt == od::json_type::null) {
      bool is_null = false;
      if (v.is_null().get(is_null) != SUCCESS || !is_null) return Step::kMalformed;
      out->append("null");
      return Step::kOk;
    }
    const bool container = jt == od::json_type::object || jt == od::json_type::array;
    // What a strict error shows: the token, or for a container (not read yet) its text.
    auto mismatch = [&](Status why = Status()) -> Step {
      if (mode_ == JsonDecode::kLenient) {
        out->append("null");
        return Step::kOk;
      }
      if (!why.ok()) {
        error_ = std::move(why);
        return Step::kMismatch;
      }
      std::string_view shown;
      if (container) {
        if (!RawContainer(v, jt, &shown)) return Step::kMalformed;
      } else {
        shown = TrimToken(v.raw_json_token());
      }
      error_ = CannotCast(shown, type);
      return Step::kMismatch;
    };
    switch (type.id()) {
      case TypeId::kUnknown:
        out->append("null");
        return Step::kOk;
      case TypeId::kBoolean:
      case TypeId::kBigint:
      case TypeId::kDouble:
      case TypeId::kTimestamp:
      case TypeId::kDate:
      case TypeId::kIntervalDayTime:
      case TypeId::kIntervalYearMonth: {
        if (container) return mismatch();
        ScalarValue x;
        Step s = Scalar(v, jt, type.id(), &x);
        if (s != Step::kOk) return s == Step::kMismatch ? mismatch(std::move(x.why)) : s;
        switch (type.id()) {
          case TypeId::kBoolean:
            out->append(x.b ? "true" : "false");
            break;
          case TypeId::kBigint:
            out->append(std::to_string(x.i));
            break;
          case TypeId::kDouble:
            AppendJsonDouble(x.d, out);
            break;
          default:
            AppendJsonEncoding(sql::Value::FromInt(type, x.i), out);
        }
        return Step::kOk;
      }
      case TypeId::kVarchar: {
        std::string_view s;
        if (container) {
          if (mode_ == JsonDecode::kStrict) return mismatch();
          std::string nested;
          if (AppendCanonicalJson(v, false, &nested) != SUCCESS) return Step::kMalformed;
          json::AppendQuoted(out, nested);
          return Step::kOk;
        }
        Step st = Text(v, jt, &s);
        if (st != Step::kOk) return st;
        json::AppendQuoted(out, s);
        return Step::kOk;
      }
      case TypeId::kJson:
        return AppendCanonicalJson(v, false, out) == SUCCESS ? Step::kOk : Step::kMalformed;
      case TypeId::kArray:
        if (jt != od::json_type::array) return mismatch();
        return Array(v, type, out);
      case TypeId::kMap:
        if (jt != od::json_type::object) return mismatch();
        return Map(v, type, out);
      case TypeId::kRow:
        if (!container) return mismatch();
        return Row(v, jt, type, out);
    }
    return mismatch();
  }

  // A scalar read from JSON as one of the non-text SQL types.
  struct ScalarValue {
    bool b = false;
    int64_t i = 0;
    double d = 0;
    Status why;  // For a mismatch with a specific message (a timestamp that does not parse).
  };

  // Reads scalar `v` (of JSON type jt, not a container) as SQL type `id`: numbers, strings
  // that parse, and booleans convert as Trino's casts from JSON do.
  template <typename V>
  Step Scalar(V& v, od::json_type jt, TypeId id, ScalarValue* x) {
    std::string_view s;
    bool b = false;
    std::string_view number;
    // Decide a mismatch before reading, so the caller can still show the token.
    const bool temporal = id == TypeId::kTimestamp || id == TypeId::kDate ||
                          id == TypeId::kIntervalDayTime || id == TypeId::kIntervalYearMonth;
    if (temporal && jt != od::json_type::string) return Step::kMismatch;
    switch (jt) {
      case od::json_type::string:
        if (v.get_string().get(s) != SUCCESS) return Step::kMalformed;
        break;
      case od::json_type::boolean:
        if (v.get_bool().get(b) != SUCCESS) return Step::kMalformed;
        break;
      case od::json_type::number:
        number = TrimToken(v.raw_json_token());
        if (!IsJsonNumber(number)) return Step::kMalformed;
        break;
      default:
        return Step::kMismatch;
    }
    auto from = [&](auto result, auto* target) -> Step {
      if (!result.ok()) {
        x->why = result.status();
        return Step::kMismatch;
      }
      *target = *result;
      return Step::kOk;
    };
    switch (id) {
      case TypeId::kBoolean:
        if (jt == od::json_type::boolean) {
          x->b = b;
          return Step::kOk;
        }
        if (jt == od::json_type::number) {
          x->b = std::strtod(std::string(number).c_str(), nullptr) != 0;
          return Step::kOk;
        }
        return from(CastVarcharToBoolean(s), &x->b);
      case TypeId::kBigint:
        if (jt == od::json_type::boolean) {
          x->i = b ? 1 : 0;
          return Step::kOk;
        }
        if (jt == od::json_type::number) {
          if (IsIntegerToken(number)) return from(CastVarcharToBigint(number), &x->i);
          return from(CastDoubleToBigint(std::strtod(std::string(number).c_str(), nullptr)), &x->i);
        }
        return from(CastVarcharToBigint(s), &x->i);
      case TypeId::kDouble:
        if (jt == od::json_type::boolean) {
          x->d = b ? 1.0 : 0.0;
          return Step::kOk;
        }
        if (jt == od::json_type::number) {
          x->d = std::strtod(std::string(number).c_str(), nullptr);
          return Step::kOk;
        }
        return from(CastVarcharToDouble(s), &x->d);
      case TypeId::kTimestamp:
        return from(CastVarcharToTimestamp(s), &x->i);
      case TypeId::kDate:
        return from(CastVarcharToDate(s), &x->i);
      case TypeId::kIntervalDayTime:
        return from(CastVarcharToIntervalDayTime(s), &x->i);
      case TypeId::kIntervalYearMonth:
        return from(CastVarcharToIntervalYearMonth(s), &x->i);
      default:
        return Step::kMismatch;
    }
  }

  // Reads scalar `v` as varchar: strings unescaped, numbers as written, booleans as words.
  template <typename V>
  Step Text(V& v, od::json_type jt, std::string_view* out) {
    switch (jt) {
      case od::json_type::string:
        return v.get_string().get(*out) == SUCCESS ? Step::kOk : Step::kMalformed;
      case od::json_type::number:
        *out = TrimToken(v.raw_json_token());
        return IsJsonNumber(*out) ? Step::kOk : Step::kMalformed;
      case od::json_type::boolean: {
        bool b;
        if (v.get_bool().get(b) != SUCCESS) return Step::kMalformed;
        *out = b ? "true" : "false";
        return Step::kOk;
      }
      default:
        return Step::kMalformed;
    }
  }

 private:
  // The raw text of an unread object or array, for messages.
  template <typename V>
  static bool RawContainer(V& v, od::json_type jt, std::string_view* raw) {
    if (jt == od::json_type::object) {
      od::object o;
      return v.get_object().get(o) == SUCCESS && o.raw_json().get(*raw) == SUCCESS;
    }
    od::array a;
    return v.get_array().get(a) == SUCCESS && a.raw_json().get(*raw) == SUCCESS;
  }

  template <typename V>
  Step Array(V& v, const LogicalType& type, std::string* out) {
    od::array arr;
    if (v.get_array().get(arr) != SUCCESS) return Step::kMalformed;
    out->push_back('[');
    bool first = true;
    for (auto child : arr) {
      od::value cv;
      if (child.get(cv) != SUCCESS) return Step::kMalformed;
      if (!first) out->push_back(',');
      first = false;
      Step s = Value(cv, type.element(), out);
      if (s != Step::kOk) return s;
    }
    out->push_back(']');
    return Step::kOk;
  }

  template <typename V>
  Step Map(V& v, const LogicalType& type, std::string* out) {
    od::object obj;
    if (v.get_object().get(obj) != SUCCESS) return Step::kMalformed;
    out->push_back('{');
    bool first = true;
    for (auto f : obj) {
      od::field field;
      std::string_view key;
      if (std::move(f).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS) {
        return Step::kMalformed;
      }
      std::string key_text(key);
      // JSON keys are strings; a bigint key type needs keys that parse as numbers.
      if (type.key().id() == TypeId::kBigint) {
        Result<int64_t> k = CastVarcharToBigint(key);
        if (!k.ok()) {
          if (mode_ == JsonDecode::kStrict) {
            error_ = k.status();
            return Step::kMismatch;
          }
          continue;  // Lenient: a key that does not fit drops its entry.
        }
        key_text = std::to_string(*k);
      }
      if (!first) out->push_back(',');
      first = false;
      json::AppendQuoted(out, key_text);
      out->push_back(':');
      od::value fv = field.value();
      Step s = Value(fv, type.value(), out);
      if (s != Step::kOk) return s;
    }
    out->push_back('}');
    return Step::kOk;
  }

  // Rows come from objects (members matched to fields by name, case-insensitively, or by
  // position for row-to-row casts) or from arrays (by position).
  template <typename V>
  Step Row(V& v, od::json_type jt, const LogicalType& type, std::string* out) {
    const std::vector<RowField>& fields = type.fields();
    std::vector<std::string> encoded(fields.size());
    size_t index = 0;
    auto take = [&](od::value& cv, size_t at) -> Step {
      if (at >= fields.size()) {
        if (mode_ == JsonDecode::kStrict) {
          error_ = InvalidArgument("Cannot cast to " + type.ToString() + ": too many fields");
          return Step::kMismatch;
        }
        return Step::kOk;
      }
      if (!encoded[at].empty()) return Step::kOk;  // A repeated key: the first one wins.
      return Value(cv, *fields[at].type, &encoded[at]);
    };
    if (jt == od::json_type::object) {
      od::object obj;
      if (v.get_object().get(obj) != SUCCESS) return Step::kMalformed;
      for (auto f : obj) {
        od::field field;
        std::string_view key;
        if (std::move(f).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS) {
          return Step::kMalformed;
        }
        od::value fv = field.value();
        if (positional_rows_) {
          Step s = take(fv, index++);
          if (s != Step::kOk) return s;
          continue;
        }
        int at = type.FindField(key);
        if (at < 0) continue;
        Step s = take(fv, static_cast<size_t>(at));
        if (s != Step::kOk) return s;
      }
    } else {
      od::array arr;
      if (v.get_array().get(arr) != SUCCESS) return Step::kMalformed;
      for (auto child : arr) {
        od::value cv;
        if (child.get(cv) != SUCCESS) return Step::kMalformed;
        Step s = take(cv, index++);
        if (s != Step::kOk) return s;
      }
    }
    if (mode_ == JsonDecode::kStrict && (jt == od::json_type::array || positional_rows_) &&
        index != fields.size()) {
      error_ =
          InvalidArgument("Cannot cast to " + type.ToString() + ": expected " +
                          std::to_string(fields.size()) + " fields, got " + std::to_string(index));
      return Step::kMismatch;
    }
    out->push_back('{');
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out->push_back(',');
      json::AppendQuoted(out, fields[i].name);
      out->push_back(':');
      out->append(encoded[i].empty() ? std::string_view("null") : std::string_view(encoded[i]));
    }
    out->push_back('}');
    return Step::kOk;
  }

  JsonDecode mode_;
  bool positional_rows_;
  Status error_;
};

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
    case od::json_type::number:
      return AppendNumber(v, out);
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
                     std::string* out, bool* malformed) {
  if (malformed != nullptr) *malformed = false;
  Transcoder t(mode, positional_rows);
  const size_t start = out->size();
  Step s = t.Value(v, type, out);
  if (s == Step::kOk) return Status::OK();
  out->resize(start);
  if (s == Step::kMismatch) return t.error();
  if (malformed != nullptr) *malformed = true;
  if (mode == JsonDecode::kStrict) return Malformed(type);
  out->append("null");
  return Status::OK();
}

template <typename V>
Status DecodeJson(V& v, const LogicalType& type, JsonDecode mode, Vector& out, size_t row,
                  std::string* scratch, bool* malformed) {
  if (malformed != nullptr) *malformed = false;
  out.SetNull(row);
  od::json_type jt;
  if (v.type().get(jt) != SUCCESS) {
    if (malformed != nullptr) *malformed = true;
    return mode == JsonDecode::kStrict ? Malformed(type) : Status::OK();
  }
  // Scalars are decoded directly into the vector; everything else goes through the encoder.
  const bool container = jt == od::json_type::object || jt == od::json_type::array;
  Transcoder t(mode, false);
  Step s = Step::kOk;
  if (jt == od::json_type::null) {
    bool is_null = false;
    if (v.is_null().get(is_null) != SUCCESS || !is_null) s = Step::kMalformed;
  } else if (!container && type.id() == TypeId::kVarchar) {
    std::string_view text;
    s = t.Text(v, jt, &text);
    if (s == Step::kOk) out.SetString(row, text);
  } else if (container && type.id() == TypeId::kVarchar && mode == JsonDecode::kLenient) {
    // A nested value read as varchar is its JSON text (CloudTrail Lake's behaviour).
    scratch->clear();
    if (AppendCanonicalJson(v, false, scratch) == SUCCESS) {
      out.SetString(row, *scratch);
    } else {
      s = Step::kMalformed;
    }
  } else if (!container && type.physical() != PhysicalType::kString &&
             type.id() != TypeId::kUnknown) {
    Transcoder::ScalarValue x;
    s = t.Scalar(v, jt, type.id(), &x);
    if (s == Step::kOk) {
      out.Nulls()[row] = 0;
      switch (type.physical()) {
        case PhysicalType::kBool:
          out.Data<uint8_t>()[row] = x.b ? 1 : 0;
          break;
        case PhysicalType::kInt64:
          out.Data<int64_t>()[row] = x.i;
          break;
        case PhysicalType::kDouble:
          out.Data<double>()[row] = x.d;
          break;
        case PhysicalType::kString:
          break;
      }
    } else if (s == Step::kMismatch) {
      if (mode == JsonDecode::kLenient) return Status::OK();
      if (!x.why.ok()) return x.why;
      return CannotCast(TrimToken(v.raw_json_token()), type);
    }
  } else {
    scratch->clear();
    bool bad = false;
    TB_RETURN_IF_ERROR(TranscodeJson(v, type, mode, false, scratch, &bad));
    if (bad) s = Step::kMalformed;
    if (!bad && *scratch != "null") out.SetString(row, *scratch);
  }
  if (s == Step::kMalformed) {
    if (malformed != nullptr) *malformed = true;
    return mode == JsonDecode::kStrict ? Malformed(type) : Status::OK();
  }
  return Status::OK();
}

template simdjson::error_code AppendCanonicalJson(od::value&, bool, std::string*);
template simdjson::error_code AppendCanonicalJson(od::document&, bool, std::string*);
template Status TranscodeJson(od::value&, const LogicalType&, JsonDecode, bool, std::string*,
                              bool*);
template Status TranscodeJson(od::document&, const LogicalType&, JsonDecode, bool, std::string*,
                              bool*);
template Status DecodeJson(od::value&, const LogicalType&, JsonDecode, Vector&, size_t,
                           std::string*, bool*);
template Status DecodeJson(od::document&, const LogicalType&, JsonDecode, Vector&, size_t,
                           std::string*, bool*);

}  // namespace trailbook::sql::internal
