// File: sql/exec/query_engine.h
//
// QueryEngine: runs CloudTrail Lake SQL against a store, read-only. The one entry point of
// the SQL engine for the CLI today and runbooks / the HTTP server later.
//
//   QueryEngine engine(*store);                         // store must outlive the engine
//   QueryOptions options;
//   options.parameters["user"] = Value::Varchar("alice");
//   TB_ASSIGN_OR_RETURN(std::unique_ptr<QueryResult> result, engine.Execute(sql, options));
//   DataChunk chunk;
//   while (true) {
//     TB_ASSIGN_OR_RETURN(bool more, result->Next(&chunk));
//     if (!more) break;
//     ... chunk.columns[i] (result->column_types()[i]) ...
//   }
//
// Execute parses, binds (names, types, parameters), optimizes and plans the query, running
// uncorrelated subqueries; rows are then produced as Next() is called (streaming). A query
// reads one snapshot of the store, so concurrent ingests do not change its answer.
//
// Errors (from Execute or Next): kInvalidArgument for bad SQL, unknown names, type errors,
// unbound parameters and runtime errors such as division by zero or bigint overflow (each
// with line, column and a caret snippet); kUnimplemented for unsupported features;
// kResourceExhausted when the query exceeds its memory limit; kCancelled when cancelled or
// past its timeout; kCorruption / kIOError from the store.
//
// Thread safety: a QueryEngine may run any number of queries concurrently; a QueryResult is
// used by one thread at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "base/thread_annotations.h"
#include "sql/exec/event_scan.h"
#include "sql/functions/function_registry.h"
#include "sql/types/data_chunk.h"
#include "sql/types/value.h"

namespace trailbook::storage {
class Store;
}  // namespace trailbook::storage

namespace trailbook::sql {

struct Statement;

struct QueryOptions {
  // Values of `:name` parameters, bound as typed constants (never spliced into the text).
  std::map<std::string, Value> parameters;
  // Row restrictions no part of the query can lift (runbook scopes). See event_scan.h.
  ScanConstraints constraints;
  // Event data store ids (or EDS ARNs) that also name this store, e.g. the Lake id a query
  // was written for. $EDS_ID / <EDS ID> placeholders always name the store.
  std::vector<std::string> eds_ids;
  size_t memory_limit_bytes = size_t{2} << 30;
  std::chrono::milliseconds timeout{0};         // 0: none
  const std::atomic<bool>* cancel = nullptr;    // Nullable; must outlive the QueryResult.
  unsigned threads = 0;                         // 0: every hardware thread
  const Clock* clock = nullptr;                 // now(); nullptr: the system clock
  // With false, QueryResult::Explain() gives the operator tree without predicates and
  // expressions (they are not rendered while planning), for callers that never show it.
  // Only executions with false use the plan cache (an explained plan is always bound afresh,
  // so its text shows this execution's values).
  bool explain = true;
};

// What a query did, for EXPLAIN and logs. Final once Next() has returned false.
struct QueryStats {
  uint64_t segments_total = 0;
  uint64_t segments_pruned = 0;
  // Segments the scans opened for pruning (dictionaries, needle indexes); the rest of the
  // pruned ones were dropped from manifest data alone.
  uint64_t segments_prepared = 0;
  uint64_t blocks_total = 0;
  uint64_t blocks_read = 0;
  uint64_t rows_examined = 0;   // rows the scans looked at after index lookups
  uint64_t rows_matched = 0;    // rows the scans produced
  uint64_t bytes_read = 0;      // column chunk bytes decoded
  uint64_t text_frames_read = 0;    // text frames decompressed
  uint64_t text_frames_cached = 0;  // text frames served by the decoded-text cache
  uint64_t rows_returned = 0;
  size_t peak_memory_bytes = 0;
  double seconds = 0;
  // The bound and optimized plan came from the engine's plan cache (bound before for the
  // same text, parameter names and types; this execution's values substituted).
  bool plan_cached = false;
};

class QueryResult {
 public:
  ~QueryResult();
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;

  const std::vector<std::string>& column_names() const { return names_; }
  const std::vector<LogicalType>& column_types() const { return types_; }

  // Fills `chunk` with the next rows (at most kBatchSize) and returns true; returns false
  // (chunk empty) at the end. Errors as Execute.
  Result<bool> Next(DataChunk* chunk);

  QueryStats stats() const;
  // The plan: operators, pushed predicates (zone maps, needle indexes, dictionary and row
  // filters, constraints); after the last row, also the scan statistics.
  std::string Explain() const;

 private:
  friend class QueryEngine;
  struct State;
  QueryResult();
  std::unique_ptr<State> state_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
};

// How an engine is set up; fixed for its lifetime.
struct EngineOptions {
  // Budget of the decoded text-block cache shared by the engine's queries (see EventTable).
  // Long-lived engines (server, monitor, benchmarks) keep the default; a process that runs
  // one query passes 0, since the cache would only hold memory it never reuses.
  size_t text_block_cache_bytes = kDefaultTextBlockCacheBytes;
  // Budget of the segment dictionaries kept as SQL vectors (see EventTable).
  size_t dictionary_cache_bytes = kDefaultDictionaryCacheBytes;
};

class QueryEngine {
 public:
  // `store` must outlive the engine.
  explicit QueryEngine(const storage::Store& store, EngineOptions options = {});
  ~QueryEngine();
  QueryEngine(const QueryEngine&) = delete;
  QueryEngine& operator=(const QueryEngine&) = delete;

  Result<std::unique_ptr<QueryResult>> Execute(std::string_view sql,
                                               const QueryOptions& options) const;

  // Whether `sql`, as its cached plans were last executed (QueryOptions::explain false),
  // reads only rows found through key needles (e.g. `eventID = :id`), so one execution
  // costs about the same however large the store is: callers may run it where a long scan
  // must not run (an event-loop thread). False when no plan of `sql` has executed yet, or
  // when any cached plan of it scans otherwise. Cheap: one cache lookup.
  bool IsKeyLookup(std::string_view sql) const;

  const std::string& store_id() const { return table_.store_id(); }
  const FunctionRegistry& functions() const { return functions_; }

 private:
  // A statement bound and optimized once with tagged slots (BinderContext::tag_slots) for
  // one binding signature; `query.reusable` false means every execution binds afresh.
  struct PlanTemplate;

  // Returns the parsed form of `sql`, from the statement cache when the same text was parsed
  // before. Parsing depends on the text alone (parameters, constraints and now() are bound
  // later, per execution), and parsed trees are immutable, so one tree serves every
  // execution of a runbook's query. With `signature`, also sets *plan, in the same cache
  // lookup, to the plan cached for that binding signature (null when none). Errors: as
  // Parse (failures are not cached).
  Result<std::shared_ptr<const Statement>> ParseCached(
      std::string_view sql, const std::string* signature = nullptr,
      std::shared_ptr<const PlanTemplate>* plan = nullptr) const;

  void StorePlan(std::string_view sql, const std::string& signature,
                 std::shared_ptr<const PlanTemplate> plan) const;

  struct CachedStatement {
    std::shared_ptr<const Statement> statement;
    // Bound plans by binding signature (EDS aliases, parameter names and types); at most
    // kMaxPlansPerStatement (cleared when full).
    std::vector<std::pair<std::string, std::shared_ptr<const PlanTemplate>>> plans;
  };

  EventTable table_;
  FunctionRegistry functions_;
  // Parsed statements by query text; at most kMaxCachedStatements (cleared when full).
  static constexpr size_t kMaxCachedStatements = 256;
  static constexpr size_t kMaxCachedStatementBytes = 64 * 1024;  // Longer texts: not cached.
  static constexpr size_t kMaxPlansPerStatement = 8;
  mutable std::mutex statements_mu_;
  mutable std::unordered_map<std::string, CachedStatement> statements_
      TB_GUARDED_BY(statements_mu_);
};

}  // namespace trailbook::sql
