#include "sql/planner/catalog.h"

#include "sql/planner/name_matching.h"

namespace trailbook::sql {

TableCatalog::TableCatalog(std::string name, std::vector<CatalogColumn> columns)
    : name_(std::move(name)), columns_(std::move(columns)) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].event_time) event_time_column_ = static_cast<int>(i);
  }
}

int TableCatalog::FindColumn(std::string_view path) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (EqualsIgnoreCase(columns_[i].name, path)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace trailbook::sql
