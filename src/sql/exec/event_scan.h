// File: sql/exec/event_scan.h
//
// The events table: the only part of the SQL engine that reads the store (this header
// forward-declares the storage types; event_scan.cc and text_block_cache.cc are the files
// that include storage headers). It provides
//   - EventTableCatalog(): the Lake schema as a TableCatalog (leaf columns typed from the
//     store's EventSchema, struct columns as ROW, maps as map(varchar, varchar), resources as
//     array(row(accountid, type, arn)), eventJson);
//   - EventTable: a store handle with the dictionary cache shared by the store's queries;
//   - the parallel scan: an EventScanSource (shared morsel queue over segment blocks) and one
//     scan operator per worker thread.
//
//   EventTable table(store);
//   auto source = MakeEventScanSource(table, plan, &context);
//   OperatorPtr scan = MakeEventScanOperator(*source, &context);   // per thread
//
// The scan prunes segments by time range, blocks by zone maps, reads only needle-matching
// rows for needle predicates, evaluates single-column predicates once per dictionary entry,
// decodes the remaining columns only for rows that pass (late materialization), and exposes
// dictionary-encoded columns as dictionary vectors. Constraints (ScanConstraints) are
// applied to every row before anything else sees it; no query text can lift them.
//
// Thread safety: EventTable and EventScanSource are thread-safe; scan operators are not.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "sql/exec/physical_operator.h"
#include "sql/exec/query_context.h"
#include "sql/planner/catalog.h"
#include "sql/planner/scan_predicates.h"

namespace trailbook::storage {
class Store;
class StoreSnapshot;
}  // namespace trailbook::storage

namespace trailbook::sql {

// The catalog of the events table (built once).
const TableCatalog& EventTableCatalog();

// Row restrictions imposed by the caller (a runbook's scope), applied inside the scan.
// nullopt means unrestricted; an empty list admits nothing (deny by default).
struct ScanConstraints {
  std::optional<std::vector<std::string>> accounts;  // recipientAccountId
  std::optional<std::vector<std::string>> regions;   // awsRegion
  std::optional<int64_t> min_time;                   // eventTime >= min_time (microseconds)
  std::optional<int64_t> max_time;                   // eventTime <= max_time
  // Rows whose eventSource is one of these are dropped (e.g. "trailbook.audit" for a caller
  // without the audit:read scope). Empty: nothing hidden.
  std::vector<std::string> hidden_event_sources;
  // Incremental reads (the monitor): only regular segments with after_segment_id < id <=
  // through_segment_id are scanned, and never the audit journal's in-memory segments
  // (storage::kJournalSegmentIdBit). Segment ids grow with each commit and segments are
  // immutable, so (after, through] is exactly what was committed in between.
  std::optional<uint64_t> after_segment_id;
  std::optional<uint64_t> through_segment_id;
  // Segment pinning: only the regular segments with these ids (ascending) are read, and no
  // audit-journal segment. A snapshot re-run pins the segments its snapshot ran over, so
  // events ingested since then cannot change the answer. nullopt: every segment.
  std::optional<std::vector<uint64_t>> segment_ids;
  bool any() const {
    return accounts || regions || min_time || max_time || !hidden_event_sources.empty() ||
           segment_ids || after_segment_id || through_segment_id;
  }
  // Whether audit events (storage::kJournalEventSource) are hidden from the scan.
  bool hides_audit() const;
  // False when a scan under these constraints never reads the audit journal's in-memory
  // segments: audit events hidden, or only pinned or incremental segment ids read.
  bool reads_journal() const;
  std::string ToString() const;
};

class DictionaryCache;
class TextBlockCache;

// Default budget of the decoded text-block cache shared by a table's queries.
inline constexpr size_t kDefaultTextBlockCacheBytes = size_t{256} << 20;
// Default budget of the dictionary cache (segment dictionaries as SQL vectors) shared by a
// table's queries.
inline constexpr size_t kDefaultDictionaryCacheBytes = size_t{64} << 20;

// A store as the SQL engine sees it. `store` must outlive the table. It keeps the segment
// dictionaries its scans decoded as SQL vectors, at most `dictionary_cache_bytes` (LRU), and
// the table keeps recently decompressed text (the JSON columns and free-text strings:
// requestParameters, additionalEventData, userAgent, ...) in a TextBlockCache of at most
// `text_cache_bytes` (text_block_cache.h: per frame, only the rows scans asked for when they
// were few, scan-resistant LRU), so repeated queries over the same columns skip zstd; 0
// disables it.
class EventTable {
 public:
  explicit EventTable(const storage::Store& store,
                      size_t text_cache_bytes = kDefaultTextBlockCacheBytes,
                      size_t dictionary_cache_bytes = kDefaultDictionaryCacheBytes);
  ~EventTable();
  EventTable(const EventTable&) = delete;
  EventTable& operator=(const EventTable&) = delete;

  const std::string& store_id() const;
  // The store's current state; a query reads one snapshot from start to end.
  std::shared_ptr<const storage::StoreSnapshot> Snapshot() const;
  // The snapshot a scan under `constraints` reads: without the audit journal's tail when
  // it would not read it (storage::Store::CommittedSnapshot: no journal read or lock).
  std::shared_ptr<const storage::StoreSnapshot> Snapshot(const ScanConstraints& constraints) const;
  DictionaryCache& dictionaries() const { return *dictionaries_; }
  TextBlockCache& text_blocks() const { return *text_blocks_; }

 private:
  const storage::Store& store_;
  std::unique_ptr<DictionaryCache> dictionaries_;
  std::unique_ptr<TextBlockCache> text_blocks_;
};

// What one scan reads; built by the physical planner, shared by the scan threads.
struct EventScanPlan {
  std::vector<int> output_columns;  // Catalog columns, in output order.
  ScanPredicates predicates;        // Column predicates resolved to a one-column chunk
                                    // (index 0); residual resolved to residual_columns.
  std::vector<int> residual_columns;
  ScanConstraints constraints;
  std::vector<LogicalType> output_types;
};

class EventScanSource;

// Prepares a scan of `snapshot`. Errors: none at this point (segments are read lazily).
std::shared_ptr<EventScanSource> MakeEventScanSource(
    const EventTable& table, std::shared_ptr<const storage::StoreSnapshot> snapshot,
    std::shared_ptr<const EventScanPlan> plan, QueryContext* context);
// Creates a scan operator (one per worker thread) pulling morsels from `source`.
OperatorPtr MakeEventScanOperator(std::shared_ptr<EventScanSource> source, QueryContext* context);
// Returns the number of segments and blocks the scan may read (for choosing parallelism).
size_t EventScanMorselEstimate(const EventScanSource& source);

// Lines describing the scan for EXPLAIN: columns, time range, needles, dictionary and row
// predicates, constraints.
std::vector<std::string> DescribeEventScan(const EventScanPlan& plan);

}  // namespace trailbook::sql
