// File: sql/planner/catalog.h
//
// TableCatalog: what the binder knows about the one table a store exposes, `events` (the
// CloudTrail Lake schema). It is a plain description, so the planner never includes storage
// headers: the executor's event scan (sql/exec/event_scan.h) builds it from the store's
// EventSchema and is the only code that maps catalog columns back to stored columns.
//
//   const TableCatalog& catalog = EventTableCatalog();   // sql/exec/event_scan.h
//   int c = catalog.FindColumn("useridentity.ARN");      // case-insensitive
//
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/types/logical_type.h"

namespace trailbook::sql {

// How the scan produces a column.
enum class ColumnSource : uint8_t {
  kStored,     // A stored leaf column (eventName, userIdentity.arn, requestParameters, ...).
  kStruct,     // A struct (userIdentity, tlsDetails, ...) rebuilt as ROW JSON text.
  kEventJson,  // The whole event, rebuilt as JSON text.
};

struct CatalogColumn {
  std::string name;  // Dotted path as in the Lake schema: "userIdentity.sessionContext".
  LogicalType type;
  ColumnSource source = ColumnSource::kStored;
  int storage_index = -1;     // kStored: stored column index; kStruct: schema field index.
  bool top_level = false;     // Part of SELECT *.
  bool dictionary = false;    // Stored with a segment dictionary: filters and GROUP BY work
                              // on codes, a predicate is evaluated once per distinct value.
  bool needle = false;        // Equality and IN use the segment's needle index.
  // With `needle`: a value names one event (eventID) or the few events of one API call
  // (requestID), so a needle on it matches a handful of rows however large the store.
  bool key = false;
  bool event_time = false;    // The column the zone maps describe.
};

class TableCatalog {
 public:
  TableCatalog() = default;
  TableCatalog(std::string name, std::vector<CatalogColumn> columns);

  const std::string& name() const { return name_; }
  const std::vector<CatalogColumn>& columns() const { return columns_; }
  const CatalogColumn& column(size_t i) const { return columns_[i]; }
  // Returns the index of the column whose dotted path equals `path` (ASCII
  // case-insensitive), or -1.
  int FindColumn(std::string_view path) const;
  // Returns the index of the event-time column, or -1.
  int event_time_column() const { return event_time_column_; }

 private:
  std::string name_;
  std::vector<CatalogColumn> columns_;
  int event_time_column_ = -1;
};

}  // namespace trailbook::sql
