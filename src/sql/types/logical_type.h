// File: sql/types/logical_type.h
//
// LogicalType: the SQL types of trailbook's CloudTrail Lake dialect, and how each is held in a
// Vector. Scalars are held natively (BOOLEAN as uint8_t, BIGINT/TIMESTAMP/DATE/INTERVAL as
// int64_t, DOUBLE as double, VARCHAR as StringRef). Nested values (ARRAY, MAP, ROW) and JSON
// are held as canonical JSON text in a StringRef, with their element/field types tracked here:
// the event store keeps CloudTrail's free-form objects as JSON text, so maps and arrays read
// from it need no conversion, and functions parse them only when they need an element.
//
//   LogicalType t = LogicalType::Map(LogicalType::Varchar(), LogicalType::Varchar());
//   t.ToString();     // "map(varchar, varchar)"
//   t.physical();     // PhysicalType::kString
//
// Thread safety: immutable values; nested parts are shared read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trailbook::sql {

enum class TypeId : uint8_t {
  kUnknown,            // The type of a bare NULL; coerces to anything.
  kBoolean,
  kBigint,             // Trino's INTEGER, SMALLINT, TINYINT and BIGINT all map here.
  kDouble,             // Also REAL and DECIMAL (see docs/sql.md, "Differences from Trino").
  kVarchar,
  kTimestamp,          // Microseconds since the epoch, UTC (timestamp(6)).
  kDate,               // Days since the epoch.
  kIntervalDayTime,    // Microseconds.
  kIntervalYearMonth,  // Months.
  kJson,               // JSON text.
  kArray,              // JSON array text; element type in element().
  kMap,                // JSON object text; key() is always varchar for stored maps.
  kRow,                // JSON object text keyed by field name; fields().
};

// How values of a type sit in memory.
enum class PhysicalType : uint8_t {
  kBool,    // uint8_t, 0 or 1
  kInt64,   // int64_t
  kDouble,  // double
  kString,  // StringRef
};

class LogicalType;

struct RowField {
  std::string name;  // As declared; looked up case-insensitively.
  std::shared_ptr<const LogicalType> type;
};

class LogicalType {
 public:
  LogicalType() = default;  // kUnknown
  explicit LogicalType(TypeId id) : id_(id) {}

  static LogicalType Unknown() { return LogicalType(TypeId::kUnknown); }
  static LogicalType Boolean() { return LogicalType(TypeId::kBoolean); }
  static LogicalType Bigint() { return LogicalType(TypeId::kBigint); }
  static LogicalType Double() { return LogicalType(TypeId::kDouble); }
  static LogicalType Varchar() { return LogicalType(TypeId::kVarchar); }
  static LogicalType Timestamp() { return LogicalType(TypeId::kTimestamp); }
  static LogicalType Date() { return LogicalType(TypeId::kDate); }
  static LogicalType IntervalDayTime() { return LogicalType(TypeId::kIntervalDayTime); }
  static LogicalType IntervalYearMonth() { return LogicalType(TypeId::kIntervalYearMonth); }
  static LogicalType Json() { return LogicalType(TypeId::kJson); }
  static LogicalType Array(LogicalType element);
  static LogicalType Map(LogicalType key, LogicalType value);
  static LogicalType Row(std::vector<RowField> fields);

  TypeId id() const { return id_; }
  PhysicalType physical() const;

  // REQUIRES: id() == kArray.
  const LogicalType& element() const { return *children_[0]; }
  // REQUIRES: id() == kMap.
  const LogicalType& key() const { return *children_[0]; }
  const LogicalType& value() const { return *children_[1]; }
  // REQUIRES: id() == kRow.
  const std::vector<RowField>& fields() const { return fields_; }
  // Returns the index of the row field named `name` (ASCII case-insensitive), or -1.
  int FindField(std::string_view name) const;

  bool IsNumeric() const { return id_ == TypeId::kBigint || id_ == TypeId::kDouble; }
  bool IsNested() const {
    return id_ == TypeId::kArray || id_ == TypeId::kMap || id_ == TypeId::kRow;
  }
  // True for types held as text: varchar, json and the nested types.
  bool IsTextual() const { return physical() == PhysicalType::kString; }

  // Trino spelling: "bigint", "array(varchar)", "map(varchar, varchar)",
  // "row(arn varchar, type varchar)", "timestamp(6)", "interval day to second".
  std::string ToString() const;

  bool operator==(const LogicalType& other) const;
  bool operator!=(const LogicalType& other) const { return !(*this == other); }

 private:
  TypeId id_ = TypeId::kUnknown;
  std::vector<std::shared_ptr<const LogicalType>> children_;  // array element; map key, value
  std::vector<RowField> fields_;                               // row
};

}  // namespace trailbook::sql
