#include "sql/functions/cast_functions.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "base/timestamp.h"
#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/internal/json_reader.h"
#include "sql/functions/json_text.h"
#include "sql/functions/kernel_templates.h"
#include "sql/functions/type_name.h"

namespace trailbook::sql {
namespace {

// Java's String.trim(): strips characters <= ' ' at both ends.
std::string_view JavaTrim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

bool IsScalarCastType(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kBigint:
    case TypeId::kDouble:
    case TypeId::kVarchar:
      return true;
    default:
      return false;
  }
}

bool IsTemporal(TypeId id) {
  return id == TypeId::kTimestamp || id == TypeId::kDate || id == TypeId::kIntervalDayTime ||
         id == TypeId::kIntervalYearMonth;
}

// Converts one flat vector through `op` (A -> Result<R>); with `try_cast` an InvalidArgument
// from `op` becomes NULL.
template <typename R, typename A, typename Op>
Status Convert(const Vector& in, size_t rows, Vector& out, bool try_cast, Op op,
               StringResult mode = StringResult::kCopy) {
  // MapRows only reads its arguments.
  Vector* args[] = {const_cast<Vector*>(&in)};
  return MapRows<R, A>(
      args, rows, out,
      [&](A a) -> Result<std::optional<R>> {
        Result<R> r = op(a);
        if (!r.ok()) {
          if (try_cast && r.status().code() == StatusCode::kInvalidArgument) {
            return std::optional<R>();
          }
          return r.status();
        }
        return std::optional<R>(*r);
      },
      mode);
}

Status CastFromJson(const Vector& in, size_t rows, const LogicalType& to, bool try_cast,
                    bool positional_rows, Vector& out) {
  out.Resize(rows);
  internal::JsonReader reader;
  simdjson::ondemand::document doc;
  std::string scratch;
  const bool nested_source = in.type().IsNested();
  for (size_t i = 0; i < rows; ++i) {
    if (in.IsNull(i)) {
      out.SetNull(i);
      continue;
    }
    std::string_view text = in.Data<StringRef>()[i].view();
    Status s;
    if (reader.Start(text, &doc) != simdjson::SUCCESS) {
      s = InvalidArgument("Cannot cast malformed JSON to " + to.ToString());
    } else if (nested_source) {
      scratch.clear();
      s = internal::TranscodeJson(doc, to, internal::JsonDecode::kStrict, positional_rows,
                                  &scratch);
      if (s.ok()) {
        if (scratch == "null") {
          out.SetNull(i);
        } else {
          out.SetString(i, scratch);
        }
      }
    } else {
      s = internal::DecodeJson(doc, to, internal::JsonDecode::kStrict, out, i, &scratch);
    }
    if (!s.ok()) {
      if (try_cast && s.code() == StatusCode::kInvalidArgument) {
        out.SetNull(i);
        continue;
      }
      return s;
    }
  }
  return Status::OK();
}

Status CastToJson(const Vector& in, size_t rows, Vector& out) {
  out.Resize(rows);
  std::string scratch;
  for (size_t i = 0; i < rows; ++i) {
    if (in.IsNull(i)) {
      out.SetNull(i);
      continue;
    }
    scratch.clear();
    AppendJsonEncoding(in, i, &scratch);
    out.SetString(i, scratch);
  }
  return Status::OK();
}

Status CastToVarchar(const Vector& in, size_t rows, bool try_cast, Vector& out) {
  std::string scratch;
  switch (in.type().id()) {
    case TypeId::kBigint:
      return Convert<std::string_view, int64_t>(in, rows, out, try_cast,
                                                [&](int64_t x) -> Result<std::string_view> {
                                                  char buf[24];
                                                  auto r = std::to_chars(buf, buf + 24, x);
                                                  scratch.assign(buf, r.ptr);
                                                  return std::string_view(scratch);
                                                });
    case TypeId::kDouble:
      return Convert<std::string_view, double>(in, rows, out, try_cast,
                                               [&](double x) -> Result<std::string_view> {
                                                 scratch = FormatDoubleJava(x);
                                                 return std::string_view(scratch);
                                               });
    case TypeId::kBoolean:
      return Convert<std::string_view, bool>(in, rows, out, try_cast,
                                             [](bool b) -> Result<std::string_view> {
                                               return std::string_view(b ? "true" : "false");
                                             });
    case TypeId::kTimestamp:
    case TypeId::kDate:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: {
      const LogicalType& t = in.type();
      return Convert<std::string_view, int64_t>(in, rows, out, try_cast,
                                                [&](int64_t x) -> Result<std::string_view> {
                                                  scratch = Value::FromInt(t, x).ToString();
                                                  return std::string_view(scratch);
                                                });
    }
    case TypeId::kJson:
      return CastFromJson(in, rows, LogicalType::Varchar(), try_cast, false, out);
    default:
      return Internal("unsupported cast to varchar from " + in.type().ToString());
  }
}

Status CastFromVarchar(const Vector& in, size_t rows, const LogicalType& to, bool try_cast,
                       Vector& out) {
  switch (to.id()) {
    case TypeId::kBigint:
      return Convert<int64_t, std::string_view>(in, rows, out, try_cast, CastVarcharToBigint);
    case TypeId::kDouble:
      return Convert<double, std::string_view>(in, rows, out, try_cast, CastVarcharToDouble);
    case TypeId::kBoolean:
      return Convert<bool, std::string_view>(in, rows, out, try_cast, CastVarcharToBoolean);
    case TypeId::kTimestamp:
      return Convert<int64_t, std::string_view>(in, rows, out, try_cast, CastVarcharToTimestamp);
    case TypeId::kDate:
      return Convert<int64_t, std::string_view>(in, rows, out, try_cast, CastVarcharToDate);
    case TypeId::kJson:
      return CastToJson(in, rows, out);
    default:
      return Internal("unsupported cast from varchar to " + to.ToString());
  }
}

}  // namespace

Result<int64_t> CastVarcharToBigint(std::string_view s) {
  std::string_view body = JavaTrim(s);
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  uint64_t magnitude = 0;
  auto r = std::from_chars(body.data(), body.data() + body.size(), magnitude);
  bool digits_only = !body.empty() && std::isdigit(static_cast<unsigned char>(body[0]));
  if (digits_only && r.ec == std::errc() && r.ptr == body.data() + body.size()) {
    constexpr uint64_t kMaxPositive = static_cast<uint64_t>(INT64_MAX);
    if (!negative && magnitude <= kMaxPositive) return static_cast<int64_t>(magnitude);
    if (negative && magnitude <= kMaxPositive + 1) {
      return magnitude == kMaxPositive + 1 ? INT64_MIN : -static_cast<int64_t>(magnitude);
    }
  }
  return InvalidArgument("Cannot cast '" + std::string(s) + "' to BIGINT");
}

Result<double> CastVarcharToDouble(std::string_view s) {
  std::string_view t = JavaTrim(s);
  std::string_view body = t;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "NaN") return std::nan("");
  if (body == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  // Java accepts digits, '.' and an exponent; strtod would also take hex, "inf" and "nan".
  bool plain = !body.empty() && (std::isdigit(static_cast<unsigned char>(body[0])) ||
                                 (body[0] == '.' && body.size() > 1));
  for (char c : body) {
    plain = plain && (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' ||
                      c == 'E' || c == '+' || c == '-');
  }
  if (plain) {
    // strtod rounds overflow to infinity and underflow to zero, as Java does.
    std::string copy(t);
    char* end = nullptr;
    double v = std::strtod(copy.c_str(), &end);
    if (end == copy.c_str() + copy.size()) return v;
  }
  return InvalidArgument("Cannot cast '" + std::string(s) + "' to DOUBLE");
}

Result<bool> CastVarcharToBoolean(std::string_view s) {
  if (EqualsIgnoreCase(s, "true") || EqualsIgnoreCase(s, "t") || s == "1") return true;
  if (EqualsIgnoreCase(s, "false") || EqualsIgnoreCase(s, "f") || s == "0") return false;
  return InvalidArgument("Cannot cast '" + std::string(s) + "' to BOOLEAN");
}

Result<int64_t> CastVarcharToTimestamp(std::string_view s) {
  std::string_view t = JavaTrim(s);
  // Trino also accepts a trailing zone name; only UTC is meaningful here.
  if (t.size() > 4 && EqualsIgnoreCase(t.substr(t.size() - 4), " UTC")) {
    t = JavaTrim(t.substr(0, t.size() - 4));
  }
  std::optional<int64_t> us = ParseTimestamp(t);
  if (!us) return InvalidArgument("Value cannot be cast to timestamp: " + std::string(s));
  return *us;
}

Result<int64_t> CastVarcharToDate(std::string_view s) {
  std::string_view t = JavaTrim(s);
  std::optional<int64_t> us = t.size() == 10 ? ParseTimestamp(t) : std::nullopt;
  if (!us) return InvalidArgument("Value cannot be cast to date: " + std::string(s));
  return DayOf(*us);
}

Result<int64_t> CastDoubleToBigint(double d) {
  double r = std::round(d);  // Half away from zero.
  if (std::isnan(d) || r >= 9.2233720368547758e18 || r < -9.2233720368547758e18) {
    return InvalidArgument("Out of range for bigint: " + FormatDoubleJava(d));
  }
  return static_cast<int64_t>(r);
}

Result<int64_t> CastVarcharToIntervalDayTime(std::string_view s) {
  // [-]D HH:MM:SS[.fff]
  std::string_view t = JavaTrim(s);
  bool negative = !t.empty() && t[0] == '-';
  if (negative) t.remove_prefix(1);
  auto bad = [&] {
    return InvalidArgument("Value cannot be cast to interval day to second: " + std::string(s));
  };
  size_t space = t.find(' ');
  if (space == std::string_view::npos || t.size() < space + 9) return bad();
  int64_t days = 0, h = 0, m = 0, sec = 0, frac = 0;
  auto num = [](std::string_view x, int64_t* out) {
    auto r = std::from_chars(x.data(), x.data() + x.size(), *out);
    return r.ec == std::errc() && r.ptr == x.data() + x.size() && !x.empty() && x[0] != '-';
  };
  std::string_view clock = t.substr(space + 1);
  if (!num(t.substr(0, space), &days) || clock.size() < 8 || clock[2] != ':' || clock[5] != ':' ||
      !num(clock.substr(0, 2), &h) || !num(clock.substr(3, 2), &m) ||
      !num(clock.substr(6, 2), &sec) || h > 23 || m > 59 || sec > 59) {
    return bad();
  }
  if (clock.size() > 8) {
    std::string_view f = clock.substr(9);
    if (clock[8] != '.' || f.empty() || f.size() > 6 || !num(f, &frac)) return bad();
    for (size_t k = f.size(); k < 6; ++k) frac *= 10;
  }
  if (days > 100'000'000) return bad();
  int64_t us = days * kMicrosPerDay + ((h * 60 + m) * 60 + sec) * kMicrosPerSecond + frac;
  return negative ? -us : us;
}

Result<int64_t> CastVarcharToIntervalYearMonth(std::string_view s) {
  std::string_view t = JavaTrim(s);
  bool negative = !t.empty() && t[0] == '-';
  if (negative) t.remove_prefix(1);
  size_t dash = t.find('-');
  int64_t years = 0, months = 0;
  auto num = [](std::string_view x, int64_t* out) {
    auto r = std::from_chars(x.data(), x.data() + x.size(), *out);
    return r.ec == std::errc() && r.ptr == x.data() + x.size() && !x.empty() && x[0] != '-';
  };
  if (dash == std::string_view::npos || !num(t.substr(0, dash), &years) ||
      !num(t.substr(dash + 1), &months) || months > 11 || years > 100'000'000) {
    return InvalidArgument("Value cannot be cast to interval year to month: " + std::string(s));
  }
  int64_t total = years * 12 + months;
  return negative ? -total : total;
}

bool CanCast(const LogicalType& from, const LogicalType& to) {
  const TypeId f = from.id();
  const TypeId t = to.id();
  if (f == TypeId::kUnknown || from == to) return true;
  if (t == TypeId::kUnknown) return false;
  if (IsScalarCastType(f) && IsScalarCastType(t)) return true;
  if (f == TypeId::kVarchar && (t == TypeId::kTimestamp || t == TypeId::kDate)) return true;
  if ((f == TypeId::kTimestamp && t == TypeId::kDate) ||
      (f == TypeId::kDate && t == TypeId::kTimestamp)) {
    return true;
  }
  if (IsTemporal(f) && t == TypeId::kVarchar) return true;
  if (t == TypeId::kJson) return true;  // Every type encodes to JSON.
  if (f == TypeId::kJson) return t != TypeId::kIntervalDayTime && t != TypeId::kIntervalYearMonth;
  if (f == TypeId::kArray && t == TypeId::kArray) return CanCast(from.element(), to.element());
  if (f == TypeId::kMap && t == TypeId::kMap) {
    return CanCast(from.key(), to.key()) && CanCast(from.value(), to.value());
  }
  if (f == TypeId::kRow && t == TypeId::kRow) {
    if (from.fields().size() != to.fields().size()) return false;
    for (size_t i = 0; i < from.fields().size(); ++i) {
      if (!CanCast(*from.fields()[i].type, *to.fields()[i].type)) return false;
    }
    return true;
  }
  return false;
}

Status CastVector(const Vector& in, size_t rows, const LogicalType& to, bool try_cast,
                  Vector& out) {
  const TypeId f = in.type().id();
  const TypeId t = to.id();
  if (f == TypeId::kUnknown || (in.type() == to && !to.IsNested() && t != TypeId::kJson &&
                                to.physical() != PhysicalType::kString)) {
    out.Resize(rows);
    for (size_t i = 0; i < rows; ++i) {
      if (f == TypeId::kUnknown) {
        out.SetNull(i);
      } else {
        CopyRowRef(in, i, out, i);
      }
    }
    return Status::OK();
  }
  if (in.type() == to) {
    out.Resize(rows);
    out.ShareBuffers(in);
    for (size_t i = 0; i < rows; ++i) CopyRowRef(in, i, out, i);
    return Status::OK();
  }
  if (t == TypeId::kVarchar) return CastToVarchar(in, rows, try_cast, out);
  if (f == TypeId::kVarchar) return CastFromVarchar(in, rows, to, try_cast, out);
  if (f == TypeId::kJson) return CastFromJson(in, rows, to, try_cast, false, out);
  if (t == TypeId::kJson) {
    if (in.type().IsNested()) {
      // Nested values already are canonical JSON text.
      out.Resize(rows);
      out.ShareBuffers(in);
      for (size_t i = 0; i < rows; ++i) CopyRowRef(in, i, out, i);
      return Status::OK();
    }
    return CastToJson(in, rows, out);
  }
  if (in.type().IsNested() && to.IsNested()) {
    return CastFromJson(in, rows, to, try_cast, f == TypeId::kRow, out);
  }
  switch (f) {
    case TypeId::kBigint:
      if (t == TypeId::kDouble) {
        return Convert<double, int64_t>(in, rows, out, try_cast, [](int64_t x) -> Result<double> {
          return static_cast<double>(x);
        });
      }
      if (t == TypeId::kBoolean) {
        return Convert<bool, int64_t>(in, rows, out, try_cast,
                                      [](int64_t x) -> Result<bool> { return x != 0; });
      }
      break;
    case TypeId::kDouble:
      if (t == TypeId::kBigint) {
        return Convert<int64_t, double>(in, rows, out, try_cast, CastDoubleToBigint);
      }
      if (t == TypeId::kBoolean) {
        return Convert<bool, double>(in, rows, out, try_cast,
                                     [](double x) -> Result<bool> { return x != 0; });
      }
      break;
    case TypeId::kBoolean:
      if (t == TypeId::kBigint) {
        return Convert<int64_t, bool>(in, rows, out, try_cast,
                                      [](bool b) -> Result<int64_t> { return b ? 1 : 0; });
      }
      if (t == TypeId::kDouble) {
        return Convert<double, bool>(in, rows, out, try_cast,
                                     [](bool b) -> Result<double> { return b ? 1.0 : 0.0; });
      }
      break;
    case TypeId::kTimestamp:
      if (t == TypeId::kDate) {
        return Convert<int64_t, int64_t>(in, rows, out, try_cast,
                                         [](int64_t us) -> Result<int64_t> { return DayOf(us); });
      }
      break;
    case TypeId::kDate:
      if (t == TypeId::kTimestamp) {
        return Convert<int64_t, int64_t>(in, rows, out, try_cast, [](int64_t d) -> Result<int64_t> {
          int64_t us;
          if (__builtin_mul_overflow(d, kMicrosPerDay, &us)) {
            return InvalidArgument("timestamp out of range");
          }
          return us;
        });
      }
      break;
    default:
      break;
  }
  return InvalidArgument("Cannot cast " + in.type().ToString() + " to " + to.ToString());
}

Result<Value> CastValue(const Value& value, const LogicalType& to) {
  if (!CanCast(value.type(), to)) {
    return InvalidArgument("Cannot cast " + value.type().ToString() + " to " + to.ToString());
  }
  Vector in(value.type());
  in.Resize(1);
  in.SetValue(0, value);
  Vector out(to);
  TB_RETURN_IF_ERROR(CastVector(in, 1, to, false, out));
  return out.GetValue(0);
}

namespace {

ScalarBind CastBind(bool try_cast) {
  return [try_cast](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (in.arg_types.size() != 2) {
      return Internal(std::string(in.name) + " takes a value and a constant type name");
    }
    const Value* type_name = ConstantArg(in, 1);
    if (type_name == nullptr || type_name->is_null() || !type_name->type().IsTextual()) {
      return Internal(std::string(in.name) + " needs its target type as a constant string");
    }
    TB_ASSIGN_OR_RETURN(LogicalType to, ParseTypeName(type_name->string_value()));
    const LogicalType& from = in.arg_types[0];
    if (!CanCast(from, to)) {
      return InvalidArgument("Cannot cast " + from.ToString() + " to " + to.ToString());
    }
    BoundScalarFunction b;
    b.arg_types = {from, LogicalType::Varchar()};
    b.return_type = to;
    b.lambda_params.assign(2, {});
    auto target = std::make_shared<const LogicalType>(to);
    b.bind_data = target;
    b.kernel = [try_cast](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                          const void* data) -> Status {
      return CastVector(*args[0], rows, *static_cast<const LogicalType*>(data), try_cast, out);
    };
    return b;
  };
}

}  // namespace

void RegisterCastFunctions(FunctionRegistry& registry) {
  registry.AddScalar("$cast", CastBind(false));
  registry.AddScalar("$try_cast", CastBind(true));
}

}  // namespace trailbook::sql
