#include "sql/types/logical_type.h"

#include <cctype>

namespace trailbook::sql {

LogicalType LogicalType::Array(LogicalType element) {
  LogicalType t(TypeId::kArray);
  t.children_.push_back(std::make_shared<const LogicalType>(std::move(element)));
  return t;
}

LogicalType LogicalType::Map(LogicalType key, LogicalType value) {
  LogicalType t(TypeId::kMap);
  t.children_.push_back(std::make_shared<const LogicalType>(std::move(key)));
  t.children_.push_back(std::make_shared<const LogicalType>(std::move(value)));
  return t;
}

LogicalType LogicalType::Row(std::vector<RowField> fields) {
  LogicalType t(TypeId::kRow);
  t.fields_ = std::move(fields);
  return t;
}

PhysicalType LogicalType::physical() const {
  switch (id_) {
    case TypeId::kBoolean: return PhysicalType::kBool;
    case TypeId::kUnknown:
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kDate:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: return PhysicalType::kInt64;
    case TypeId::kDouble: return PhysicalType::kDouble;
    case TypeId::kVarchar:
    case TypeId::kJson:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: return PhysicalType::kString;
  }
  return PhysicalType::kInt64;
}

int LogicalType::FindField(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    const std::string& f = fields_[i].name;
    if (f.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < f.size() && same; ++k) {
      same = std::tolower(static_cast<unsigned char>(f[k])) ==
             std::tolower(static_cast<unsigned char>(name[k]));
    }
    if (same) return static_cast<int>(i);
  }
  return -1;
}

std::string LogicalType::ToString() const {
  switch (id_) {
    case TypeId::kUnknown: return "unknown";
    case TypeId::kBoolean: return "boolean";
    case TypeId::kBigint: return "bigint";
    case TypeId::kDouble: return "double";
    case TypeId::kVarchar: return "varchar";
    case TypeId::kTimestamp: return "timestamp(6)";
    case TypeId::kDate: return "date";
    case TypeId::kIntervalDayTime: return "interval day to second";
    case TypeId::kIntervalYearMonth: return "interval year to month";
    case TypeId::kJson: return "json";
    case TypeId::kArray: return "array(" + element().ToString() + ")";
    case TypeId::kMap: return "map(" + key().ToString() + ", " + value().ToString() + ")";
    case TypeId::kRow: {
      std::string s = "row(";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) s += ", ";
        s += fields_[i].name + " " + fields_[i].type->ToString();
      }
      return s + ")";
    }
  }
  return "unknown";
}

bool LogicalType::operator==(const LogicalType& other) const {
  if (id_ != other.id_) return false;
  if (children_.size() != other.children_.size() || fields_.size() != other.fields_.size()) {
    return false;
  }
  for (size_t i = 0; i < children_.size(); ++i) {
    if (!(*children_[i] == *other.children_[i])) return false;
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name != other.fields_[i].name || !(*fields_[i].type == *other.fields_[i].type)) {
      return false;
    }
  }
  return true;
}

}  // namespace trailbook::sql
