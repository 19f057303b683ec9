#include "sql/functions/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "json/json_writer.h"

namespace trailbook::sql {

void AppendJsonDouble(double d, std::string* out) {
  if (std::isnan(d)) {
    out->append("\"NaN\"");
  } else if (std::isinf(d)) {
    out->append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof(buf), d);
    out->append(buf, r.ptr);
  }
}

std::string FormatDoubleJava(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits and the decimal exponent: d = D.DDD x 10^exp.
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  std::string out;
  if (sci[0] == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  double magnitude = std::fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exp >= 0) {
      auto int_len = static_cast<size_t>(exp) + 1;
      while (digits.size() < int_len) digits.push_back('0');
      out.append(digits, 0, int_len);
      out.push_back('.');
      out.append(digits.size() > int_len ? digits.substr(int_len) : "0");
    } else {
      out.append("0.");
      out.append(static_cast<size_t>(-exp - 1), '0');
      out.append(digits);
    }
    return out;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  out.append(digits.size() > 1 ? digits.substr(1) : "0");
  out.push_back('E');
  out.append(std::to_string(exp));
  return out;
}

void AppendJsonEncoding(const Vector& v, size_t row, std::string* out) {
  if (v.IsNull(row)) {
    out->append("null");
    return;
  }
  switch (v.type().id()) {
    case TypeId::kUnknown:
      out->append("null");
      return;
    case TypeId::kBoolean:
      out->append(v.Data<uint8_t>()[row] != 0 ? "true" : "false");
      return;
    case TypeId::kBigint: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof(buf), v.Data<int64_t>()[row]);
      out->append(buf, r.ptr);
      return;
    }
    case TypeId::kDouble:
      AppendJsonDouble(v.Data<double>()[row], out);
      return;
    case TypeId::kVarchar:
      json::AppendQuoted(out, v.Data<StringRef>()[row].view());
      return;
    case TypeId::kJson:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow:
      out->append(v.Data<StringRef>()[row].view());
      return;
    case TypeId::kTimestamp:
    case TypeId::kDate:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth:
      json::AppendQuoted(out, v.GetValue(row).ToString());
      return;
  }
}

void AppendJsonEncoding(const Value& v, std::string* out) {
  if (v.is_null()) {
    out->append("null");
    return;
  }
  switch (v.type().id()) {
    case TypeId::kUnknown:
      out->append("null");
      return;
    case TypeId::kBoolean:
      out->append(v.bool_value() ? "true" : "false");
      return;
    case TypeId::kBigint:
      out->append(std::to_string(v.int_value()));
      return;
    case TypeId::kDouble:
      AppendJsonDouble(v.double_value(), out);
      return;
    case TypeId::kVarchar:
      json::AppendQuoted(out, v.string_value());
      return;
    case TypeId::kJson:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow:
      out->append(v.string_value());
      return;
    case TypeId::kTimestamp:
    case TypeId::kDate:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth:
      json::AppendQuoted(out, v.ToString());
      return;
  }
}

}  // namespace trailbook::sql
