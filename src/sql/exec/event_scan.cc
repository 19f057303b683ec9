#include "sql/exec/event_scan.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "base/byte_lru_cache.h"
#include "base/check.h"
#include "base/thread_annotations.h"
#include "base/timestamp.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/text_block_cache.h"
#include "sql/exec/value_ops.h"
#include "storage/audit_journal.h"
#include "storage/dictionary_cache.h"
#include "storage/event_json.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"
#include "storage/segment_reader.h"
#include "storage/store.h"

namespace trailbook::sql {
namespace {

using storage::ColumnEncoding;
using storage::EventSchema;
using storage::FieldKind;
using storage::SchemaField;

LogicalType TypeOfField(const EventSchema& schema, const SchemaField& f) {
  switch (f.kind) {
    case FieldKind::kString: return LogicalType::Varchar();
    case FieldKind::kBool: return LogicalType::Boolean();
    case FieldKind::kTimestamp: return LogicalType::Timestamp();
    case FieldKind::kJsonObject: return LogicalType::Map(LogicalType::Varchar(), LogicalType::Varchar());
    case FieldKind::kJsonArray: {
      std::vector<RowField> fields;
      for (const char* name : {"accountid", "type", "arn"}) {
        fields.push_back(RowField{name, std::make_shared<const LogicalType>(LogicalType::Varchar())});
      }
      return LogicalType::Array(LogicalType::Row(std::move(fields)));
    }
    case FieldKind::kJsonAny: return LogicalType::Json();
    case FieldKind::kStruct: {
      std::vector<RowField> fields;
      for (int child : f.children) {
        const SchemaField& c = schema.field(child);
        fields.push_back(RowField{std::string(c.name),
                                  std::make_shared<const LogicalType>(TypeOfField(schema, c))});
      }
      return LogicalType::Row(std::move(fields));
    }
  }
  return LogicalType::Varchar();
}

TableCatalog BuildCatalog() {
  const EventSchema& schema = EventSchema::Get();
  std::vector<CatalogColumn> columns;
  for (size_t i = 0; i < schema.fields().size(); ++i) {
    const SchemaField& f = schema.fields()[i];
    CatalogColumn c;
    c.name = f.path;
    c.type = TypeOfField(schema, f);
    c.top_level = f.parent == storage::kTopLevel;
    if (f.kind == FieldKind::kStruct) {
      c.source = ColumnSource::kStruct;
      c.storage_index = static_cast<int>(i);
    } else {
      c.source = ColumnSource::kStored;
      c.storage_index = f.column;
      const storage::ColumnSpec& spec = schema.column(f.column);
      c.dictionary = storage::BuilderKindFor(spec) == storage::BuilderKind::kInterned;
      c.needle = spec.needle_index;
      c.key = c.needle && (f.path == "eventID" || f.path == "requestID");
      c.event_time = f.column == schema.event_time_column();
    }
    columns.push_back(std::move(c));
  }
  CatalogColumn json;
  json.name = "eventJson";
  json.type = LogicalType::Varchar();
  json.source = ColumnSource::kEventJson;
  columns.push_back(std::move(json));
  return TableCatalog("events", std::move(columns));
}

std::string JoinValues(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", '" : "'") + v[i] + "'";
  return s;
}

// Returns whether the segment `id` may be scanned under the constraints' segment pin and
// segment range (both exclude audit-journal segments).
bool SegmentAdmitted(const ScanConstraints& c, uint64_t id) {
  if (c.segment_ids && !std::binary_search(c.segment_ids->begin(), c.segment_ids->end(), id)) {
    return false;
  }
  if (!c.after_segment_id && !c.through_segment_id) return true;
  if ((id & storage::kJournalSegmentIdBit) != 0) return false;
  if (c.after_segment_id && id <= *c.after_segment_id) return false;
  if (c.through_segment_id && id > *c.through_segment_id) return false;
  return true;
}

}  // namespace

const TableCatalog& EventTableCatalog() {
  static const TableCatalog catalog = BuildCatalog();
  return catalog;
}

namespace {

// "segment IN (3 ids: 1, 2, 7)", listing at most a few ids.
std::string DescribeSegmentPin(const std::vector<uint64_t>& ids) {
  constexpr size_t kShown = 8;
  std::string s = "segment IN (" + std::to_string(ids.size()) + (ids.size() == 1 ? " id" : " ids");
  for (size_t i = 0; i < ids.size() && i < kShown; ++i) {
    s += (i == 0 ? ": " : ", ") + std::to_string(ids[i]);
  }
  if (ids.size() > kShown) s += ", ...";
  return s + ")";
}

}  // namespace

std::string ScanConstraints::ToString() const {
  std::string s;
  auto add = [&](const std::string& part) { s += (s.empty() ? "" : " AND ") + part; };
  if (accounts) add("recipientAccountId IN (" + JoinValues(*accounts) + ")");
  if (regions) add("awsRegion IN (" + JoinValues(*regions) + ")");
  if (min_time) add("eventTime >= " + FormatTimestamp(*min_time));
  if (max_time) add("eventTime <= " + FormatTimestamp(*max_time));
  if (!hidden_event_sources.empty()) {
    add("eventSource NOT IN (" + JoinValues(hidden_event_sources) + ")");
  }
  if (segment_ids) add(DescribeSegmentPin(*segment_ids));
  if (after_segment_id) add("segmentId > " + std::to_string(*after_segment_id));
  if (through_segment_id) add("segmentId <= " + std::to_string(*through_segment_id));
  return s;
}

// Decoded dictionaries as SQL vectors (entry 0 is NULL, so stored codes index them
// directly), shared by every query of a process, by (segment id, column), least recently
// used first out once over `capacity_bytes` (each entry charged for its vector and its
// dictionary; the newest entry always stays). A store that keeps receiving segments (the
// monitor) would otherwise keep one entry per segment and column ever scanned.
class DictionaryCache {
 public:
  struct Entry {
    std::shared_ptr<const Vector> vector;
    uint64_t id = 0;
  };

  explicit DictionaryCache(size_t capacity_bytes) : cache_(capacity_bytes) {}

  Result<Entry> Get(const storage::SegmentReader& segment, int column) {
    const storage::SegmentColumn key(segment.id(), column);
    if (std::optional<Entry> hit = cache_.Find(key)) return *std::move(hit);
    TB_ASSIGN_OR_RETURN(std::shared_ptr<const storage::Dictionary> dict, segment.GetDictionary(column));
    auto v = std::make_shared<Vector>(LogicalType::Varchar());
    v->Resize(dict->size() + 1);
    v->SetNull(0);
    for (uint32_t code = 1; code <= dict->size(); ++code) v->SetStringRef(code, dict->entry(code));
    v->KeepAlive(dict);
    const size_t bytes =
        dict->memory_bytes() + (size_t{dict->size()} + 1) * (sizeof(StringRef) + 1) + 256;
    // Another scan thread may have been first: every query then uses its vector (and id).
    return cache_.Insert(key, Entry{std::move(v), NewDictionaryId()}, bytes, OnResident::kKeep);
  }

 private:
  ByteLruCache<storage::SegmentColumn, Entry> cache_;
};

EventTable::EventTable(const storage::Store& store, size_t text_cache_bytes,
                       size_t dictionary_cache_bytes)
    : store_(store),
      dictionaries_(std::make_unique<DictionaryCache>(dictionary_cache_bytes)),
      text_blocks_(std::make_unique<TextBlockCache>(text_cache_bytes)) {}
EventTable::~EventTable() = default;
const std::string& EventTable::store_id() const { return store_.store_id(); }
std::shared_ptr<const storage::StoreSnapshot> EventTable::Snapshot() const {
  return store_.Snapshot();
}

std::shared_ptr<const storage::StoreSnapshot> EventTable::Snapshot(
    const ScanConstraints& constraints) const {
  return constraints.reads_journal() ? store_.Snapshot() : store_.CommittedSnapshot();
}

bool ScanConstraints::hides_audit() const {
  return std::find(hidden_event_sources.begin(), hidden_event_sources.end(),
                   storage::kJournalEventSource) != hidden_event_sources.end();
}

bool ScanConstraints::reads_journal() const {
  return !hides_audit() && !segment_ids && !after_segment_id && !through_segment_id;
}

std::vector<std::string> DescribeEventScan(const EventScanPlan& plan) {
  const TableCatalog& cat = EventTableCatalog();
  std::vector<std::string> lines;
  std::string cols;
  for (size_t i = 0; i < plan.output_columns.size(); ++i) {
    cols += (i ? ", " : "") + cat.column(static_cast<size_t>(plan.output_columns[i])).name;
  }
  lines.push_back("columns: " + (cols.empty() ? std::string("(none)") : cols));
  if (plan.predicates.always_false) lines.push_back("always false: nothing is read");
  if (plan.predicates.time.bounded()) {
    lines.push_back("zone maps: eventTime in " + plan.predicates.time.ToString());
  }
  for (const NeedlePredicate& n : plan.predicates.needles) {
    lines.push_back("needle index: " + n.ToString(cat));
  }
  for (const ColumnPredicate& p : plan.predicates.column_predicates) {
    const CatalogColumn& c = cat.column(static_cast<size_t>(p.column));
    std::string how = c.dictionary ? "dictionary (once per distinct value): "
                      : c.type.id() == TypeId::kBoolean ? "dictionary (boolean codes): "
                                                        : "row filter on " + c.name + " only: ";
    lines.push_back(how + p.expr->ToString());
  }
  for (const BoundExprPtr& r : plan.predicates.residual) {
    lines.push_back("row filter: " + r->ToString());
  }
  if (plan.constraints.any()) lines.push_back("constraints: " + plan.constraints.ToString());
  return lines;
}

// ---------------------------------------------------------------------------------------
// The shared morsel source.

struct SegmentState {
  bool prepared = false;
  bool preparing = false;
  Status status;
  bool pruned = false;
  TimeRange time;                       // effective range
  std::vector<uint32_t> blocks;         // blocks to read
  bool has_needles = false;
  std::vector<uint32_t> needle_rows;    // segment rows, ascending
  // Per column predicate: code bitmap (dictionary or boolean codes), empty when the
  // predicate must be evaluated per row; `always` when it is TRUE for every row here.
  std::vector<std::vector<uint8_t>> bitmaps;
  std::vector<uint8_t> always;
  std::vector<uint8_t> account_bitmap, region_bitmap, source_bitmap;
};

class EventScanSource {
 public:
  EventScanSource(const EventTable& table, std::shared_ptr<const storage::StoreSnapshot> snapshot,
                  std::shared_ptr<const EventScanPlan> plan, QueryContext* context)
      : table_(table), snapshot_(std::move(snapshot)), plan_(std::move(plan)), context_(context) {
    const auto& committed = snapshot_->segments();
    const auto& journal = snapshot_->journal_segments();
    committed_count_ = committed.size();
    range_ = plan_->predicates.time;
    if (plan_->constraints.min_time || plan_->constraints.max_time) {
      range_.Intersect(plan_->constraints.min_time.value_or(std::numeric_limits<int64_t>::min()),
                       plan_->constraints.max_time.value_or(std::numeric_limits<int64_t>::max()));
    }
    text_query_id_ = table_.text_blocks().NewQueryId();
    // Needle values hashed (and parsed as UUIDs) once per query, not once per segment.
    for (const NeedlePredicate& n : plan_->predicates.needles) {
      std::vector<storage::NeedleKey>& keys = needle_keys_.emplace_back();
      keys.reserve(n.values.size());
      for (const std::string& v : n.values) keys.emplace_back(v);
    }
    // Segments of audit events alone (the journal's in-memory ones, and folded ones whose
    // manifest entry says kSegmentAuditOnly) are skipped here for a caller that may not see
    // audit events: a long-running server has thousands of folds, and checking each one's
    // eventSource dictionary in Prepare would open them all on every query. The journal
    // tail is skipped whole, without looking at its segments (deny by default: only a scan
    // that does not hide the audit source reads it), and so is it for pinned and
    // incremental reads, which never read journal segments.
    const ScanConstraints& cons = plan_->constraints;
    const bool hide_audit = cons.hides_audit();
    const bool read_journal = cons.reads_journal();
    const size_t total = committed.size() + (read_journal ? journal.size() : 0);
    states_.resize(total);
    ScanCounters& c = context_->scan_counters();
    c.segments_total += committed.size() + journal.size();
    if (!read_journal) c.segments_pruned += journal.size();
    for (size_t s = 0; s < total; ++s) {
      const storage::SegmentInfo& info = this->info(s);
      const auto& seg = segment(s);
      c.blocks_total += seg.num_blocks();
      bool out = plan_->predicates.always_false || range_.empty() ||
                 seg.footer().max_time < range_.min || seg.footer().min_time > range_.max ||
                 seg.row_count() == 0 || !SegmentAdmitted(cons, seg.id()) ||
                 (hide_audit && ((seg.id() & storage::kJournalSegmentIdBit) != 0 ||
                                 (info.flags & storage::kSegmentAuditOnly) != 0));
      if (out) {
        c.segments_pruned += 1;
      } else {
        candidates_.push_back(s);
      }
    }
    // Visit committed and journal segments in one (min_time, id) order, as one list would.
    auto tail_begin = std::lower_bound(candidates_.begin(), candidates_.end(), committed_count_);
    if (tail_begin != candidates_.end() && tail_begin != candidates_.begin()) {
      std::inplace_merge(candidates_.begin(), tail_begin, candidates_.end(),
                         [&](size_t a, size_t b) {
                           const storage::SegmentInfo& x = this->info(a);
                           const storage::SegmentInfo& y = this->info(b);
                           return x.min_time != y.min_time ? x.min_time < y.min_time : x.id < y.id;
                         });
    }
  }

  struct Morsel {
    size_t segment;
    uint32_t block;
  };

  // Returns the next block to scan, or nullopt when done.
  Result<std::optional<Morsel>> Next() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (cursor_ >= candidates_.size()) return std::optional<Morsel>();
      SegmentState& cur = states_[candidates_[cursor_]];
      if (cur.prepared) {
        if (!cur.status.ok()) return cur.status;
        if (cur.pruned || block_cursor_ >= cur.blocks.size()) {
          ++cursor_;
          block_cursor_ = 0;
          continue;
        }
        return std::optional<Morsel>(Morsel{candidates_[cursor_], cur.blocks[block_cursor_++]});
      }
      // Prepare the first segment nobody is preparing (the current one, or one ahead).
      size_t pick = SIZE_MAX;
      for (size_t k = cursor_; k < candidates_.size() && k < cursor_ + 4; ++k) {
        const SegmentState& st = states_[candidates_[k]];
        if (!st.prepared && !st.preparing) {
          pick = k;
          break;
        }
      }
      if (pick == SIZE_MAX) {
        prepared_.wait(lock);
        continue;
      }
      size_t s = candidates_[pick];
      states_[s].preparing = true;
      lock.unlock();
      SegmentState fresh;
      Status status = Prepare(s, &fresh);
      if (!status.ok()) fresh.status = status;
      lock.lock();
      fresh.prepared = true;
      states_[s] = std::move(fresh);
      prepared_.notify_all();
    }
  }

  // Segment s: the committed ones first, then the journal tail's.
  const storage::SegmentReader& segment(size_t s) const {
    return s < committed_count_ ? *snapshot_->segments()[s]
                                : *snapshot_->journal_segments()[s - committed_count_];
  }
  const storage::SegmentInfo& info(size_t s) const {
    return s < committed_count_ ? snapshot_->infos()[s]
                                : snapshot_->journal_infos()[s - committed_count_];
  }
  const SegmentState& state(size_t s) const {
    // Prepared states are immutable and only read after Next() returned their blocks.
    return states_[s];
  }
  const EventScanPlan& plan() const { return *plan_; }
  const TimeRange& range() const { return range_; }
  DictionaryCache& dictionaries() const { return table_.dictionaries(); }
  TextBlockCache& text_blocks() const { return table_.text_blocks(); }
  uint64_t text_query_id() const { return text_query_id_; }
  QueryContext* context() const { return context_; }
  size_t candidate_count() const { return candidates_.size(); }

 private:
  // Builds a code bitmap for a column of a dictionary or boolean encoding: bitmap[code] is 1
  // when `accept(value)` holds.
  Status Prepare(size_t s, SegmentState* st) {
    TB_RETURN_IF_ERROR(context_->CheckInterrupt());
    const storage::SegmentReader& seg = segment(s);
    const EventScanPlan& plan = *plan_;
    const TableCatalog& cat = EventTableCatalog();
    const EventSchema& schema = EventSchema::Get();
    ScanCounters& counters = context_->scan_counters();
    counters.segments_prepared += 1;
    auto prune = [&] {
      st->pruned = true;
      counters.segments_pruned += 1;
      return Status::OK();
    };
    // Needle lookups first: they are exact and cheap (an index probe), and a needle query
    // finds its rows in few segments, so the others are pruned before any dictionary is
    // read for the constraints and predicates below.
    for (size_t k = 0; k < plan.predicates.needles.size(); ++k) {
      const NeedlePredicate& n = plan.predicates.needles[k];
      int col = cat.column(static_cast<size_t>(n.column)).storage_index;
      TB_ASSIGN_OR_RETURN(std::vector<uint32_t> rows, seg.LookupRowsAny(col, needle_keys_[k]));
      if (!st->has_needles) {
        st->needle_rows = std::move(rows);
        st->has_needles = true;
      } else {
        std::vector<uint32_t> both;
        std::set_intersection(st->needle_rows.begin(), st->needle_rows.end(), rows.begin(),
                              rows.end(), std::back_inserter(both));
        st->needle_rows = std::move(both);
      }
      if (st->needle_rows.empty()) return prune();
    }
    // Constraints on accounts and regions.
    auto constraint_bitmap = [&](const std::vector<std::string>& allowed, const char* path,
                                 std::vector<uint8_t>* bitmap) -> Status {
      int col = schema.ColumnByPath(path);
      if (seg.encoding(col) != ColumnEncoding::kDictionary) {
        bitmap->assign(1, 0);  // all NULL: nothing passes
        return Status::OK();
      }
      TB_ASSIGN_OR_RETURN(auto dict, seg.GetDictionary(col));
      bitmap->assign(dict->size() + 1, 0);
      for (const std::string& a : allowed) {
        uint32_t code = dict->Find(a);
        if (code != 0) (*bitmap)[code] = 1;
      }
      return Status::OK();
    };
    auto any_set = [](const std::vector<uint8_t>& b) {
      return std::find(b.begin(), b.end(), uint8_t{1}) != b.end();
    };
    if (plan.constraints.accounts) {
      TB_RETURN_IF_ERROR(constraint_bitmap(*plan.constraints.accounts, "recipientAccountId",
                                           &st->account_bitmap));
      if (!any_set(st->account_bitmap)) return prune();
    }
    if (plan.constraints.regions) {
      TB_RETURN_IF_ERROR(constraint_bitmap(*plan.constraints.regions, "awsRegion", &st->region_bitmap));
      if (!any_set(st->region_bitmap)) return prune();
    }
    if (!plan.constraints.hidden_event_sources.empty()) {
      // eventSource is always dictionary-encoded or all NULL (NULL is never hidden); any other
      // encoding hides the whole segment rather than risk showing a hidden row.
      int col = schema.ColumnByPath("eventSource");
      if (seg.encoding(col) == ColumnEncoding::kDictionary) {
        TB_ASSIGN_OR_RETURN(auto dict, seg.GetDictionary(col));
        st->source_bitmap.assign(dict->size() + 1, 1);
        bool hides_any = false;
        for (const std::string& hidden : plan.constraints.hidden_event_sources) {
          uint32_t code = dict->Find(hidden);
          if (code != 0) {
            st->source_bitmap[code] = 0;
            hides_any = true;
          }
        }
        if (!hides_any) st->source_bitmap.clear();
        // Slot 0 (NULL, never hidden) keeps the segment only when it has NULL eventSources:
        // a segment of audit events alone (journal batches, folded audit segments) is pruned
        // here instead of being searched and filtered row by row.
        const storage::ColumnMeta* source_meta = seg.column(col);
        bool has_null_source = source_meta != nullptr && source_meta->null_count > 0;
        if (hides_any && !any_set(st->source_bitmap)) return prune();
        if (hides_any && !has_null_source &&
            std::find(st->source_bitmap.begin() + 1, st->source_bitmap.end(), uint8_t{1}) ==
                st->source_bitmap.end()) {
          return prune();
        }
      } else if (seg.encoding(col) != ColumnEncoding::kAllNull) {
        return prune();
      }
    }
    // Column predicates evaluated once per code.
    const auto& preds = plan.predicates.column_predicates;
    st->bitmaps.resize(preds.size());
    st->always.assign(preds.size(), 0);
    for (size_t p = 0; p < preds.size(); ++p) {
      const CatalogColumn& cc = cat.column(static_cast<size_t>(preds[p].column));
      if (cc.source != ColumnSource::kStored) continue;
      ColumnEncoding enc = seg.encoding(cc.storage_index);
      Vector values(cc.type);
      if (enc == ColumnEncoding::kDictionary) {
        TB_ASSIGN_OR_RETURN(DictionaryCache::Entry e, dictionaries().Get(seg, cc.storage_index));
        values.Slice(*e.vector, 0, e.vector->size());
      } else if (enc == ColumnEncoding::kBoolCodes) {
        values.Resize(3);
        values.SetNull(0);
        values.Data<uint8_t>()[1] = 0;
        values.Data<uint8_t>()[2] = 1;
      } else if (enc == ColumnEncoding::kAllNull) {
        values.Resize(1);
        values.SetNull(0);
      } else {
        continue;  // evaluated per row
      }
      DataChunk chunk;
      chunk.columns.push_back(std::move(values));
      chunk.size = chunk.columns[0].size();
      ExpressionEvaluator eval(*preds[p].expr, context_);
      std::vector<uint32_t> sel(chunk.size);
      TB_ASSIGN_OR_RETURN(size_t n, eval.Select(chunk, sel.data()));
      std::vector<uint8_t> bitmap(chunk.size, 0);
      for (size_t i = 0; i < n; ++i) bitmap[sel[i]] = 1;
      if (n == 0) return prune();
      if (enc == ColumnEncoding::kAllNull || n == chunk.size) {
        st->always[p] = 1;  // TRUE for every value present
      } else {
        st->bitmaps[p] = std::move(bitmap);
      }
    }
    // Blocks: zone maps, then needle rows.
    for (uint32_t b = 0; b < seg.num_blocks(); ++b) {
      const storage::BlockMeta& m = seg.block(b);
      if (m.max_time < range_.min || m.min_time > range_.max) continue;
      if (st->has_needles) {
        auto lo = std::lower_bound(st->needle_rows.begin(), st->needle_rows.end(), m.row_start);
        if (lo == st->needle_rows.end() || *lo >= m.row_start + m.row_count) continue;
      }
      st->blocks.push_back(b);
    }
    if (st->blocks.empty()) return prune();
    return Status::OK();
  }

  const EventTable& table_;
  std::shared_ptr<const storage::StoreSnapshot> snapshot_;
  std::shared_ptr<const EventScanPlan> plan_;
  // Per needle predicate, its values prepared for lookups; borrows plan_'s strings.
  std::vector<std::vector<storage::NeedleKey>> needle_keys_;
  QueryContext* context_;
  TimeRange range_;
  size_t committed_count_ = 0;      // segment(s) for s >= this is a journal segment
  std::vector<size_t> candidates_;  // segments not pruned by time
  uint64_t text_query_id_ = 0;      // this scan's id in the TextBlockCache

  std::mutex mu_;
  std::condition_variable prepared_;
  std::vector<SegmentState> states_;  // guarded by mu_ until prepared, then immutable
  size_t cursor_ = 0;
  uint32_t block_cursor_ = 0;
};

namespace {

// Decoded columns of the block being scanned, by stored column index.
class BlockCache {
 public:
  // `text_blocks` must outlive the cache; `query_id` is the scan's TextBlockCache id.
  BlockCache(TextBlockCache& text_blocks, uint64_t query_id)
      : text_blocks_(text_blocks), query_id_(query_id) {}

  // The decoded rows of one text column in the current block, frame by frame.
  struct TextRows {
    int column = 0;
    bool valid = false;       // frame_rows and frames are this block's
    uint32_t frame_rows = 0;
    std::vector<std::shared_ptr<const TextFrame>> frames;  // null: not read yet
    // REQUIRES: the row was loaded by Text().
    std::optional<std::string_view> Value(uint32_t row) const {
      return frames[row / frame_rows]->Value(row % frame_rows);
    }
  };

  void Reset(const storage::SegmentReader* seg, uint32_t block, bool sparse, ScanCounters* counters) {
    seg_ = seg;
    block_ = block;
    sparse_ = sparse;
    counters_ = counters;
    for (Slot<uint32_t>& s : codes_) s.valid = false;
    for (Slot<int64_t>& s : times_) s.valid = false;
    for (TextRows& t : texts_) t.valid = false;
  }
  bool sparse() const { return sparse_; }
  uint64_t row_start() const { return seg_->block(block_).row_start; }
  uint32_t rows() const { return seg_->block(block_).row_count; }

  Status Codes(int col, const uint32_t* rows, size_t n, uint32_t* out) {
    // Few rows of a block not yet decoded for this column (a needle, or rows left by a
    // selective filter): read just those codes.
    if ((sparse_ || n * 16 < this->rows()) && !Find(codes_, col)->valid) {
      return seg_->ReadCodesAt(col, block_, rows, n, out);
    }
    TB_ASSIGN_OR_RETURN(const uint32_t* all, BlockCodes(col));
    for (size_t i = 0; i < n; ++i) out[i] = all[rows[i]];
    return Status::OK();
  }
  // Returns the codes of every row of the block (rows() entries), decoding them once.
  Result<const uint32_t*> BlockCodes(int col) {
    Slot<uint32_t>* slot = Find(codes_, col);
    if (!slot->valid) {
      if (slot->data.size() < rows()) slot->data.resize(rows());
      TB_RETURN_IF_ERROR(seg_->ReadCodes(col, block_, slot->data.data()));
      CountBytes(col);
      slot->valid = true;
    }
    return slot->data.data();
  }
  Status Times(int col, const uint32_t* rows, size_t n, int64_t* out) {
    Slot<int64_t>* slot = Find(times_, col);
    if (sparse_ && !slot->valid) {
      for (size_t i = 0; i < n; ++i) {
        TB_ASSIGN_OR_RETURN(out[i], seg_->TimestampAt(col, row_start() + rows[i]));
      }
      return Status::OK();
    }
    if (!slot->valid) {
      if (slot->data.size() < this->rows()) slot->data.resize(this->rows());
      TB_RETURN_IF_ERROR(seg_->ReadTimestamps(col, block_, slot->data.data()));
      CountBytes(col);
      slot->valid = true;
    }
    for (size_t i = 0; i < n; ++i) out[i] = slot->data[rows[i]];
    return Status::OK();
  }
  // Loads rows[0..n) of string column `col` (any order) and returns the column's rows of
  // this block; only the frames holding those rows are decoded (or taken from the cache).
  Result<const TextRows*> Text(int col, const uint32_t* rows, size_t n) {
    TextRows* t = nullptr;
    for (TextRows& x : texts_) {
      if (x.column == col) t = &x;
    }
    if (t == nullptr) {
      texts_.emplace_back();
      t = &texts_.back();
      t->column = col;
    }
    if (!t->valid) {
      TB_ASSIGN_OR_RETURN(t->frame_rows, seg_->StringFrameRows(col, block_));
      t->frames.assign((this->rows() + t->frame_rows - 1) / t->frame_rows, nullptr);
      t->valid = true;
    }
    wanted_.assign(rows, rows + n);
    if (!std::is_sorted(wanted_.begin(), wanted_.end())) std::sort(wanted_.begin(), wanted_.end());
    wanted_.erase(std::unique(wanted_.begin(), wanted_.end()), wanted_.end());
    for (size_t i = 0; i < wanted_.size();) {
      const uint32_t frame = wanted_[i] / t->frame_rows;
      const uint32_t base = frame * t->frame_rows;
      size_t j = i;
      for (; j < wanted_.size() && wanted_[j] / t->frame_rows == frame; ++j) wanted_[j] -= base;
      std::span<const uint32_t> in_frame(wanted_.data() + i, j - i);
      i = j;
      if (frame >= t->frames.size()) return Internal("text row outside the block");
      std::shared_ptr<const TextFrame>& slot = t->frames[frame];
      if (slot != nullptr && slot->HasAll(in_frame)) continue;
      TB_ASSIGN_OR_RETURN(slot, text_blocks_.Get(*seg_, col, block_, frame, in_frame, query_id_,
                                                 counters_));
    }
    return t;
  }

 private:
  void CountBytes(int col) {
    const storage::ColumnMeta* m = seg_->column(col);
    if (m != nullptr && block_ < m->blocks.size()) counters_->bytes_read += m->blocks[block_].length;
  }
  TextBlockCache& text_blocks_;
  const uint64_t query_id_;
  const storage::SegmentReader* seg_ = nullptr;
  uint32_t block_ = 0;
  bool sparse_ = false;
  ScanCounters* counters_ = nullptr;
  // Decoded values of one column; the buffer is kept across blocks (valid: holds this
  // block's values) so a scan allocates it once per column, not once per block.
  template <typename T>
  struct Slot {
    int column;
    bool valid;
    std::vector<T> data;
  };
  template <typename T>
  static Slot<T>* Find(std::vector<Slot<T>>& slots, int col) {
    for (Slot<T>& s : slots) {
      if (s.column == col) return &s;
    }
    slots.push_back(Slot<T>{col, false, {}});
    return &slots.back();
  }
  std::vector<Slot<uint32_t>> codes_;
  std::vector<Slot<int64_t>> times_;
  std::deque<TextRows> texts_;    // kept across blocks, like the slots; Text() hands out
                                  // pointers, which a deque keeps valid as it grows
  std::vector<uint32_t> wanted_;  // scratch: rows asked of Text()
};

// EventValues over one row of the current block, reading through the block cache.
class BlockRowValues final : public storage::EventValues {
 public:
  // `rows[0..n)` are the rows about to be visited (set_row): text columns are loaded for
  // all of them at once, so a frame is decoded once rather than once per row.
  BlockRowValues(const storage::SegmentReader& seg, BlockCache& cache, DictionaryCache& dicts,
                 const uint32_t* rows, size_t n)
      : seg_(seg), cache_(cache), dicts_(dicts), rows_(rows), n_(n) {}
  void set_row(uint32_t row) { row_ = row; }

  Result<std::optional<std::string_view>> String(int column) override {
    switch (seg_.encoding(column)) {
      case ColumnEncoding::kAllNull: return std::optional<std::string_view>();
      case ColumnEncoding::kDictionary: {
        uint32_t code = 0;
        TB_RETURN_IF_ERROR(cache_.Codes(column, &row_, 1, &code));
        if (code == 0) return std::optional<std::string_view>();
        TB_ASSIGN_OR_RETURN(auto dict, seg_.GetDictionary(column));
        return std::optional<std::string_view>(dict->entry(code));
      }
      default: {
        TB_ASSIGN_OR_RETURN(const BlockCache::TextRows* text, cache_.Text(column, rows_, n_));
        return text->Value(row_);
      }
    }
  }
  Result<int64_t> Timestamp(int column) override {
    int64_t t = 0;
    TB_RETURN_IF_ERROR(cache_.Times(column, &row_, 1, &t));
    return t;
  }
  Result<uint8_t> Bool(int column) override {
    uint32_t code = 0;
    TB_RETURN_IF_ERROR(cache_.Codes(column, &row_, 1, &code));
    return static_cast<uint8_t>(code);
  }

 private:
  const storage::SegmentReader& seg_;
  BlockCache& cache_;
  DictionaryCache& dicts_;
  const uint32_t* rows_;
  size_t n_;
  uint32_t row_ = 0;
};

class EventScanOperator final : public PhysicalOperator {
 public:
  EventScanOperator(std::shared_ptr<EventScanSource> source, QueryContext* context)
      : PhysicalOperator(source->plan().output_types),
        source_(std::move(source)),
        context_(context),
        cache_(source_->text_blocks(), source_->text_query_id()) {
    const EventScanPlan& plan = source_->plan();
    for (const ColumnPredicate& p : plan.predicates.column_predicates) {
      predicate_evals_.push_back(std::make_unique<ExpressionEvaluator>(*p.expr, context));
    }
    for (const BoundExprPtr& r : plan.predicates.residual) {
      residual_evals_.push_back(std::make_unique<ExpressionEvaluator>(*r, context));
    }
  }

  Status Next(DataChunk& out) override {
    PrepareOutput(out);
    while (cursor_ >= selected_.size()) {
      TB_ASSIGN_OR_RETURN(std::optional<EventScanSource::Morsel> m, source_->Next());
      if (!m) return Status::OK();
      TB_RETURN_IF_ERROR(context_->CheckInterrupt());
      TB_RETURN_IF_ERROR(LoadMorsel(*m));
    }
    size_t n = std::min(kBatchSize, selected_.size() - cursor_);
    const uint32_t* rows = selected_.data() + cursor_;
    const EventScanPlan& plan = source_->plan();
    for (size_t c = 0; c < plan.output_columns.size(); ++c) {
      TB_RETURN_IF_ERROR(Materialize(plan.output_columns[c], rows, n, out.columns[c]));
    }
    out.size = n;
    cursor_ += n;
    context_->scan_counters().rows_matched += n;
    return Status::OK();
  }

 private:
  Status Filter(const std::vector<uint8_t>& bitmap, int col) {
    size_t kept = 0;
    const size_t bitmap_size = bitmap.size();
    if (cache_.sparse() || selected_.size() * 16 < cache_.rows()) {
      codes_.resize(selected_.size());
      TB_RETURN_IF_ERROR(cache_.Codes(col, selected_.data(), selected_.size(), codes_.data()));
      for (size_t i = 0; i < selected_.size(); ++i) {
        uint32_t c = codes_[i];
        if (c < bitmap_size && bitmap[c]) selected_[kept++] = selected_[i];
      }
    } else {
      TB_ASSIGN_OR_RETURN(const uint32_t* all, cache_.BlockCodes(col));
      // Branch-free: selective predicates make the branch unpredictable.
      for (size_t i = 0; i < selected_.size(); ++i) {
        uint32_t row = selected_[i];
        uint32_t c = all[row];
        selected_[kept] = row;
        kept += static_cast<size_t>(c < bitmap_size && bitmap[c] != 0);
      }
    }
    selected_.resize(kept);
    return Status::OK();
  }

  Status FilterByExpression(ExpressionEvaluator& eval, const std::vector<int>& columns) {
    for (size_t begin = 0; begin < selected_.size();) {
      size_t n = std::min(kBatchSize, selected_.size() - begin);
      DataChunk chunk;
      for (int c : columns) {
        chunk.columns.emplace_back(EventTableCatalog().column(static_cast<size_t>(c)).type);
        TB_RETURN_IF_ERROR(Materialize(c, selected_.data() + begin, n, chunk.columns.back()));
      }
      chunk.size = n;
      sel_.resize(n);
      TB_ASSIGN_OR_RETURN(size_t k, eval.Select(chunk, sel_.data()));
      for (size_t i = 0; i < k; ++i) filtered_.push_back(selected_[begin + sel_[i]]);
      begin += n;
    }
    selected_.swap(filtered_);
    filtered_.clear();
    return Status::OK();
  }

  Status LoadMorsel(const EventScanSource::Morsel& m) {
    const EventScanPlan& plan = source_->plan();
    const TableCatalog& cat = EventTableCatalog();
    const storage::SegmentReader& seg = source_->segment(m.segment);
    const SegmentState& st = source_->state(m.segment);
    const storage::BlockMeta& meta = seg.block(m.block);
    ScanCounters& counters = context_->scan_counters();
    counters.blocks_read += 1;
    segment_ = &seg;
    selected_.clear();
    cursor_ = 0;
    if (st.has_needles) {
      auto lo = std::lower_bound(st.needle_rows.begin(), st.needle_rows.end(), meta.row_start);
      auto hi = std::lower_bound(lo, st.needle_rows.end(), meta.row_start + meta.row_count);
      for (auto it = lo; it != hi; ++it) selected_.push_back(*it - meta.row_start);
    } else {
      selected_.resize(meta.row_count);
      std::iota(selected_.begin(), selected_.end(), 0u);
    }
    counters.rows_examined += selected_.size();
    cache_.Reset(&seg, m.block, selected_.size() * 16 < meta.row_count, &counters);
    // Time range, unless the whole block is inside it.
    const TimeRange& range = source_->range();
    if (range.bounded() && !(meta.min_time >= range.min && meta.max_time <= range.max)) {
      times_.resize(selected_.size());
      int col = EventSchema::Get().event_time_column();
      TB_RETURN_IF_ERROR(cache_.Times(col, selected_.data(), selected_.size(), times_.data()));
      size_t kept = 0;
      for (size_t i = 0; i < selected_.size(); ++i) {
        if (times_[i] != storage::kNullTimestamp && range.Contains(times_[i])) {
          selected_[kept++] = selected_[i];
        }
      }
      selected_.resize(kept);
    }
    const EventSchema& schema = EventSchema::Get();
    if (!st.account_bitmap.empty() && !selected_.empty()) {
      TB_RETURN_IF_ERROR(Filter(st.account_bitmap, schema.ColumnByPath("recipientAccountId")));
    }
    if (!st.region_bitmap.empty() && !selected_.empty()) {
      TB_RETURN_IF_ERROR(Filter(st.region_bitmap, schema.ColumnByPath("awsRegion")));
    }
    if (!st.source_bitmap.empty() && !selected_.empty()) {
      TB_RETURN_IF_ERROR(Filter(st.source_bitmap, schema.ColumnByPath("eventSource")));
    }
    const auto& preds = plan.predicates.column_predicates;
    // Code bitmaps first (cheap), then per-row predicates, then the residual.
    for (size_t p = 0; p < preds.size() && !selected_.empty(); ++p) {
      if (!st.bitmaps[p].empty()) {
        TB_RETURN_IF_ERROR(Filter(st.bitmaps[p], cat.column(static_cast<size_t>(preds[p].column)).storage_index));
      }
    }
    for (size_t p = 0; p < preds.size() && !selected_.empty(); ++p) {
      if (st.bitmaps[p].empty() && !st.always[p]) {
        TB_RETURN_IF_ERROR(FilterByExpression(*predicate_evals_[p], {preds[p].column}));
      }
    }
    for (size_t r = 0; r < residual_evals_.size() && !selected_.empty(); ++r) {
      TB_RETURN_IF_ERROR(FilterByExpression(*residual_evals_[r], plan.residual_columns));
    }
    return Status::OK();
  }

  Status Materialize(int catalog_column, const uint32_t* rows, size_t n, Vector& out) {
    const CatalogColumn& cc = EventTableCatalog().column(static_cast<size_t>(catalog_column));
    const storage::SegmentReader& seg = *segment_;
    if (out.type() != cc.type) out.SetType(cc.type);
    if (cc.source != ColumnSource::kStored) return Rebuild(cc, rows, n, out);
    int col = cc.storage_index;
    switch (seg.encoding(col)) {
      case ColumnEncoding::kAllNull: out.SetConstant(Value::Null(cc.type), n); return Status::OK();
      case ColumnEncoding::kDictionary: {
        TB_ASSIGN_OR_RETURN(DictionaryCache::Entry e, source_->dictionaries().Get(seg, col));
        codes_.resize(n);
        TB_RETURN_IF_ERROR(cache_.Codes(col, rows, n, codes_.data()));
        if (cc.type.id() == TypeId::kVarchar) {
          out.SetDictionary(e.vector, e.id, codes_.data(), n);
        } else {
          // A dictionary-encoded column of another textual type: flat references.
          out.Resize(n);
          for (size_t i = 0; i < n; ++i) {
            if (codes_[i] == 0) {
              out.SetNull(i);
            } else {
              out.Data<StringRef>()[i] = e.vector->Data<StringRef>()[codes_[i]];
            }
          }
          out.KeepAlive(e.vector);
        }
        return Status::OK();
      }
      case ColumnEncoding::kBoolCodes: {
        codes_.resize(n);
        TB_RETURN_IF_ERROR(cache_.Codes(col, rows, n, codes_.data()));
        out.Resize(n);
        for (size_t i = 0; i < n; ++i) {
          out.Nulls()[i] = codes_[i] == 0;
          out.Data<uint8_t>()[i] = codes_[i] == 2;
        }
        return Status::OK();
      }
      case ColumnEncoding::kTimestampFor: {
        times_.resize(n);
        TB_RETURN_IF_ERROR(cache_.Times(col, rows, n, times_.data()));
        out.Resize(n);
        for (size_t i = 0; i < n; ++i) {
          bool null = times_[i] == storage::kNullTimestamp;
          out.Nulls()[i] = null;
          out.Data<int64_t>()[i] = null ? 0 : times_[i];
        }
        return Status::OK();
      }
      case ColumnEncoding::kPlain:
      case ColumnEncoding::kUuid: {
        out.Resize(n);
        if (cache_.sparse() && seg.encoding(col) == ColumnEncoding::kUuid) {
          // A UUID row decodes in O(1); a plain text row costs its frame either way.
          for (size_t i = 0; i < n; ++i) {
            TB_ASSIGN_OR_RETURN(std::optional<std::string> v, seg.StringAt(col, cache_.row_start() + rows[i]));
            if (v) {
              out.SetString(i, *v);
            } else {
              out.SetNull(i);
            }
          }
          return Status::OK();
        }
        TB_ASSIGN_OR_RETURN(const BlockCache::TextRows* text, cache_.Text(col, rows, n));
        for (size_t i = 0; i < n; ++i) {
          std::optional<std::string_view> v = text->Value(rows[i]);
          if (v) {
            out.SetStringRef(i, *v);
          } else {
            out.SetNull(i);
          }
        }
        for (const std::shared_ptr<const TextFrame>& frame : text->frames) {
          if (frame != nullptr) out.KeepAlive(frame);
        }
        return Status::OK();
      }
    }
    return Internal("unknown column encoding");
  }

  Status Rebuild(const CatalogColumn& cc, const uint32_t* rows, size_t n, Vector& out) {
    out.Resize(n);
    std::string json;
    BlockRowValues dense(*segment_, cache_, source_->dictionaries(), rows, n);
    for (size_t i = 0; i < n; ++i) {
      json.clear();
      storage::SegmentRowValues sparse(*segment_, cache_.row_start() + rows[i]);
      dense.set_row(rows[i]);
      storage::EventValues& values = cache_.sparse() ? static_cast<storage::EventValues&>(sparse)
                                                     : static_cast<storage::EventValues&>(dense);
      if (cc.source == ColumnSource::kEventJson) {
        Status s = storage::RebuildEventJson(values, &json);
        if (!s.ok()) return s.WithContext("rebuilding eventJson");
        out.SetString(i, json);
      } else {
        Result<bool> found = storage::RebuildStructJson(values, cc.storage_index, &json);
        if (!found.ok()) return found.status().WithContext("rebuilding " + cc.name);
        if (*found) {
          out.SetString(i, json);
        } else {
          out.SetNull(i);
        }
      }
    }
    return Status::OK();
  }

  std::shared_ptr<EventScanSource> source_;
  QueryContext* context_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> predicate_evals_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> residual_evals_;
  const storage::SegmentReader* segment_ = nullptr;
  BlockCache cache_;
  std::vector<uint32_t> selected_;  // rows of the current block (relative) still passing
  std::vector<uint32_t> filtered_;
  std::vector<uint32_t> sel_;
  std::vector<uint32_t> codes_;
  std::vector<int64_t> times_;
  size_t cursor_ = 0;
};

}  // namespace

std::shared_ptr<EventScanSource> MakeEventScanSource(
    const EventTable& table, std::shared_ptr<const storage::StoreSnapshot> snapshot,
    std::shared_ptr<const EventScanPlan> plan, QueryContext* context) {
  return std::make_shared<EventScanSource>(table, std::move(snapshot), std::move(plan), context);
}

OperatorPtr MakeEventScanOperator(std::shared_ptr<EventScanSource> source, QueryContext* context) {
  return std::make_unique<EventScanOperator>(std::move(source), context);
}

size_t EventScanMorselEstimate(const EventScanSource& source) { return source.candidate_count(); }

}  // namespace trailbook::sql
