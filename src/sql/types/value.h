// File: sql/types/value.h
//
// Value: one SQL value of any type, boxed. Used for literals, bound runbook parameters,
// constants and tests; the hot path works on Vectors, never on Values.
//
//   Value v = Value::Varchar("ConsoleLogin");
//   Value t = Value::Timestamp(micros);
//   v.ToString();   // "ConsoleLogin"
//
// Nested values (array, map, row, json) hold their JSON text as the string.
#pragma once

#include <cstdint>
#include <string>

#include "sql/types/logical_type.h"

namespace trailbook::sql {

class Value {
 public:
  Value() = default;  // NULL of unknown type
  static Value Null(LogicalType type = LogicalType::Unknown());
  static Value Boolean(bool v);
  static Value Bigint(int64_t v);
  static Value Double(double v);
  static Value Varchar(std::string v);
  static Value Timestamp(int64_t micros);
  static Value Date(int64_t days);
  static Value IntervalDayTime(int64_t micros);
  static Value IntervalYearMonth(int64_t months);
  // A value of an int64-held type (bigint, timestamp, date, intervals).
  static Value FromInt(LogicalType type, int64_t v);
  // A value of a text-held type (varchar, json, array, map, row).
  static Value FromText(LogicalType type, std::string text);

  const LogicalType& type() const { return type_; }
  bool is_null() const { return is_null_; }
  // REQUIRES: !is_null() and the matching physical type.
  bool bool_value() const { return int_ != 0; }
  int64_t int_value() const { return int_; }
  double double_value() const { return double_; }
  const std::string& string_value() const { return string_; }

  // The SQL display form: NULL, true, 42, 1.5, text as is, timestamps as
  // "YYYY-MM-DD HH:MM:SS.ffffff" trimmed to milliseconds when possible, JSON text for nested.
  std::string ToString() const;

  bool operator==(const Value& other) const;

 private:
  LogicalType type_;
  bool is_null_ = true;
  int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
};

}  // namespace trailbook::sql
