#include "sql/types/value.h"

#include <charconv>
#include <cmath>

#include "base/timestamp.h"

namespace trailbook::sql {

Value Value::Null(LogicalType type) {
  Value v;
  v.type_ = std::move(type);
  return v;
}

Value Value::Boolean(bool b) {
  Value v;
  v.type_ = LogicalType::Boolean();
  v.is_null_ = false;
  v.int_ = b ? 1 : 0;
  return v;
}

Value Value::FromInt(LogicalType type, int64_t x) {
  Value v;
  v.type_ = std::move(type);
  v.is_null_ = false;
  v.int_ = x;
  return v;
}

Value Value::Bigint(int64_t x) { return FromInt(LogicalType::Bigint(), x); }
Value Value::Timestamp(int64_t micros) { return FromInt(LogicalType::Timestamp(), micros); }
Value Value::Date(int64_t days) { return FromInt(LogicalType::Date(), days); }
Value Value::IntervalDayTime(int64_t micros) {
  return FromInt(LogicalType::IntervalDayTime(), micros);
}
Value Value::IntervalYearMonth(int64_t months) {
  return FromInt(LogicalType::IntervalYearMonth(), months);
}

Value Value::Double(double x) {
  Value v;
  v.type_ = LogicalType::Double();
  v.is_null_ = false;
  v.double_ = x;
  return v;
}

Value Value::FromText(LogicalType type, std::string text) {
  Value v;
  v.type_ = std::move(type);
  v.is_null_ = false;
  v.string_ = std::move(text);
  return v;
}

Value Value::Varchar(std::string s) { return FromText(LogicalType::Varchar(), std::move(s)); }

std::string Value::ToString() const {
  if (is_null_) return "NULL";
  switch (type_.id()) {
    case TypeId::kUnknown: return "NULL";
    case TypeId::kBoolean: return int_ != 0 ? "true" : "false";
    case TypeId::kBigint: return std::to_string(int_);
    case TypeId::kDouble: {
      if (std::isnan(double_)) return "NaN";
      if (std::isinf(double_)) return double_ > 0 ? "Infinity" : "-Infinity";
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof(buf), double_);
      return std::string(buf, r.ptr);
    }
    case TypeId::kTimestamp: {
      int64_t frac = int_ % kMicrosPerSecond;
      if (frac < 0) frac += kMicrosPerSecond;
      return FormatTimestamp(int_, frac % 1000 == 0 ? 3 : 6, ' ', false);
    }
    case TypeId::kDate: return FormatTimestamp(int_ * kMicrosPerDay, 0, ' ', false).substr(0, 10);
    case TypeId::kIntervalDayTime: {
      int64_t us = int_;
      std::string sign = us < 0 ? "-" : "";
      if (us < 0) us = -us;
      int64_t days = us / kMicrosPerDay;
      int64_t rem = us % kMicrosPerDay;
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%s%lld %02lld:%02lld:%02lld.%03lld", sign.c_str(),
                    static_cast<long long>(days), static_cast<long long>(rem / 3600000000),
                    static_cast<long long>(rem / 60000000 % 60),
                    static_cast<long long>(rem / 1000000 % 60),
                    static_cast<long long>(rem / 1000 % 1000));
      return buf;
    }
    case TypeId::kIntervalYearMonth: {
      int64_t m = int_;
      std::string sign = m < 0 ? "-" : "";
      if (m < 0) m = -m;
      return sign + std::to_string(m / 12) + "-" + std::to_string(m % 12);
    }
    case TypeId::kVarchar:
    case TypeId::kJson:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: return string_;
  }
  return "?";
}

bool Value::operator==(const Value& other) const {
  if (is_null_ || other.is_null_) return is_null_ == other.is_null_;
  if (type_.physical() != other.type_.physical()) return false;
  switch (type_.physical()) {
    case PhysicalType::kBool:
    case PhysicalType::kInt64: return int_ == other.int_;
    case PhysicalType::kDouble: return double_ == other.double_;
    case PhysicalType::kString: return string_ == other.string_;
  }
  return false;
}

}  // namespace trailbook::sql
