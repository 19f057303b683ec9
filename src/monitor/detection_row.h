// File: monitor/detection_row.h
//
// The rows a detection query produces, as the alert engine sees them: a small typed cell
// (null, bool, int, double, string, timestamp) per named column. The engine never touches
// SQL types, so it stays pure logic; the daemon converts query results into these rows.
//
//   DetectionRow row;
//   row.Set("sourceIPAddress", Cell::String("203.0.113.7"));
//   row.Set("eventTime", Cell::Timestamp(ts));
//   const Cell* ip = row.Find("sourceIPAddress");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace trailbook::monitor {

// DO NOT CHANGE the numeric values: stored in the monitor state file (docs/monitor.md).
enum class CellType : uint8_t {
  kNull = 0,
  kBool = 1,
  kInt = 2,
  kDouble = 3,
  kString = 4,
  kTimestamp = 5,  // Microseconds since the epoch, UTC.
};

// One value. Ints, bools and timestamps are held in int_value, doubles in double_value,
// strings in text.
struct Cell {
  CellType type = CellType::kNull;
  int64_t int_value = 0;
  double double_value = 0;
  std::string text;

  static Cell Null() { return Cell{}; }
  static Cell Bool(bool v) { return Cell{CellType::kBool, v ? 1 : 0, 0, {}}; }
  static Cell Int(int64_t v) { return Cell{CellType::kInt, v, 0, {}}; }
  static Cell Double(double v) { return Cell{CellType::kDouble, 0, v, {}}; }
  static Cell String(std::string v) { return Cell{CellType::kString, 0, 0, std::move(v)}; }
  static Cell Timestamp(int64_t micros) { return Cell{CellType::kTimestamp, micros, 0, {}}; }

  // Returns the display form used in dedup keys and alerts: "" for NULL, "true"/"false",
  // decimal numbers, text as is, timestamps as RFC 3339 ("2024-01-02T03:04:05Z").
  std::string ToString() const;

  bool operator==(const Cell& other) const = default;
};

// A row: named cells in query output order. Column names are unique within a row.
struct DetectionRow {
  std::vector<std::pair<std::string, Cell>> fields;

  // Returns the cell named `name`, or nullptr.
  const Cell* Find(std::string_view name) const;
  // Replaces the cell named `name`, or appends it.
  void Set(std::string name, Cell cell);

  bool operator==(const DetectionRow& other) const = default;
};

}  // namespace trailbook::monitor
