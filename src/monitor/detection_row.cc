#include "monitor/detection_row.h"

#include <cstdio>

#include "base/timestamp.h"

namespace trailbook::monitor {

std::string Cell::ToString() const {
  switch (type) {
    case CellType::kNull:
      return "";
    case CellType::kBool:
      return int_value != 0 ? "true" : "false";
    case CellType::kInt:
      return std::to_string(int_value);
    case CellType::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.17g", double_value);
      return buf;
    }
    case CellType::kString:
      return text;
    case CellType::kTimestamp:
      return FormatTimestamp(int_value);
  }
  return "";
}

const Cell* DetectionRow::Find(std::string_view name) const {
  for (const auto& [key, cell] : fields) {
    if (key == name) return &cell;
  }
  return nullptr;
}

void DetectionRow::Set(std::string name, Cell cell) {
  for (auto& [key, existing] : fields) {
    if (key == name) {
      existing = std::move(cell);
      return;
    }
  }
  fields.emplace_back(std::move(name), std::move(cell));
}

}  // namespace trailbook::monitor
