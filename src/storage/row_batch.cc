#include "storage/row_batch.h"

#include "base/check.h"

namespace trailbook::storage {

BuilderKind BuilderKindFor(const ColumnSpec& column) {
  switch (column.type) {
    case ColumnType::kTimestamp: return BuilderKind::kTimestamp;
    case ColumnType::kBool: return BuilderKind::kBool;
    case ColumnType::kJson: return BuilderKind::kRaw;
    case ColumnType::kString: break;
  }
  // Unique identifiers and verbatim text would only bloat an interner.
  switch (column.id) {
    case 42:  // requestID
    case 43:  // eventID
    case 50:  // sharedEventID
    case 51:  // annotation
    case 58:  // addendum.originalRequestID
    case 59:  // addendum.originalEventID
    case kResidualColumn:
      return BuilderKind::kRaw;
    default:
      return BuilderKind::kInterned;
  }
}

size_t RowBatch::Column::size() const {
  switch (kind) {
    case BuilderKind::kTimestamp: return i64.size();
    case BuilderKind::kBool: return u8.size();
    case BuilderKind::kInterned: return ids.size();
    case BuilderKind::kRaw: return ends.size();
  }
  return 0;
}

RowBatch::RowBatch() {
  const EventSchema& schema = EventSchema::Get();
  columns_.resize(schema.columns().size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    columns_[i].kind = BuilderKindFor(schema.columns()[i]);
  }
  event_time_column_ = schema.event_time_column();
}

void RowBatch::PadTo(Column& c, size_t rows) {
  switch (c.kind) {
    case BuilderKind::kTimestamp: c.i64.resize(rows, kNullTimestamp); break;
    case BuilderKind::kBool: c.u8.resize(rows, 0); break;
    case BuilderKind::kInterned: c.ids.resize(rows, 0); break;
    case BuilderKind::kRaw:
      c.u8.resize(rows, 1);
      c.ends.resize(rows, c.bytes.size());
      break;
  }
}

void RowBatch::SetTimestamp(int column, int64_t micros) {
  Column& c = columns_[static_cast<size_t>(column)];
  TB_DCHECK(c.kind == BuilderKind::kTimestamp);
  if (c.i64.size() < row_count_) PadTo(c, row_count_);
  c.i64.push_back(micros);
}

void RowBatch::SetBool(int column, bool value) {
  Column& c = columns_[static_cast<size_t>(column)];
  TB_DCHECK(c.kind == BuilderKind::kBool);
  if (c.u8.size() < row_count_) PadTo(c, row_count_);
  c.u8.push_back(value ? 2 : 1);
}

void RowBatch::SetString(int column, std::string_view value) {
  Column& c = columns_[static_cast<size_t>(column)];
  if (c.kind == BuilderKind::kInterned) {
    if (c.ids.size() < row_count_) PadTo(c, row_count_);
    c.ids.push_back(c.interner.Intern(value));
  } else {
    TB_DCHECK(c.kind == BuilderKind::kRaw);
    if (c.ends.size() < row_count_) PadTo(c, row_count_);
    c.bytes.append(value);
    c.ends.push_back(c.bytes.size());
    c.u8.push_back(0);
  }
}

void RowBatch::SetStringDeferred(int column, std::string_view value) {
  Column& c = columns_[static_cast<size_t>(column)];
  if (c.kind != BuilderKind::kInterned) {
    SetString(column, value);
    return;
  }
  // A repeat of the column's previous value needs no lookup.
  const uint32_t repeat = c.interner.RepeatId(value);
  if (repeat != 0) {
    if (c.ids.size() < row_count_) PadTo(c, row_count_);
    c.ids.push_back(repeat);
    return;
  }
  deferred_.push_back(Deferred{column, c.interner.HashAndPrefetch(value), value});
}

void RowBatch::ResolveDeferred() {
  for (const Deferred& d : deferred_) {
    Column& c = columns_[static_cast<size_t>(d.column)];
    if (c.ids.size() < row_count_) PadTo(c, row_count_);
    c.ids.push_back(c.interner.InternHashed(d.value, d.hash));
  }
  deferred_.clear();
}

void RowBatch::EndRow(uint64_t dedup_key) {
  if (!deferred_.empty()) ResolveDeferred();
  dedup_keys_.push_back(dedup_key);
  ++row_count_;
}

void RowBatch::TruncateRows(size_t rows) {
  TB_CHECK(rows <= row_count_) << "truncate beyond end";
  deferred_.clear();
  for (Column& c : columns_) {
    if (c.size() <= rows) continue;
    switch (c.kind) {
      case BuilderKind::kTimestamp: c.i64.resize(rows); break;
      case BuilderKind::kBool: c.u8.resize(rows); break;
      case BuilderKind::kInterned: c.ids.resize(rows); break;
      case BuilderKind::kRaw:
        c.bytes.resize(rows == 0 ? 0 : c.ends[rows - 1]);
        c.ends.resize(rows);
        c.u8.resize(rows);
        break;
    }
  }
  dedup_keys_.resize(rows);
  row_count_ = rows;
}

void RowBatch::Clear() {
  for (Column& c : columns_) {
    c.i64.clear();
    c.u8.clear();
    c.ids.clear();
    c.interner.Clear();
    c.bytes.clear();
    c.ends.clear();
  }
  dedup_keys_.clear();
  deferred_.clear();
  row_count_ = 0;
}

size_t RowBatch::memory_bytes() const {
  size_t total = dedup_keys_.size() * 8;
  for (const Column& c : columns_) {
    total += c.i64.size() * 8 + c.u8.size() + c.ids.size() * 4 + c.bytes.size() +
             c.ends.size() * 8;
    if (c.kind == BuilderKind::kInterned) total += c.interner.memory_bytes();
  }
  return total;
}

}  // namespace trailbook::storage
