#include "sql/exec/query_engine.h"

#include <thread>

#include "sql/exec/physical_planner.h"
#include "sql/parser/parser.h"
#include "sql/planner/binder.h"
#include "sql/planner/optimizer.h"

namespace trailbook::sql {

struct QueryResult::State {
  std::unique_ptr<QueryContext> context;
  std::unique_ptr<PhysicalPlanner> planner;
  OperatorPtr root;
  std::chrono::steady_clock::time_point start;
  double seconds = 0;
  uint64_t rows = 0;
  bool done = false;
};

QueryResult::QueryResult() : state_(std::make_unique<State>()) {}

QueryResult::~QueryResult() {
  // Operators (and their threads) go before the planner and context they refer to.
  if (state_) state_->root.reset();
}

Result<bool> QueryResult::Next(DataChunk* chunk) {
  State& s = *state_;
  if (s.done) {
    chunk->columns.clear();
    chunk->size = 0;
    return false;
  }
  Status status = s.context->CheckInterrupt();
  if (status.ok()) status = s.root->Next(*chunk);
  if (!status.ok()) {
    s.done = true;
    s.root.reset();
    return status;
  }
  if (chunk->size == 0) {
    s.done = true;
    s.root.reset();
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s.start).count();
    return false;
  }
  s.rows += chunk->size;
  return true;
}

QueryStats QueryResult::stats() const {
  const ScanCounters& c = state_->context->scan_counters();
  QueryStats st;
  st.segments_total = c.segments_total.load();
  st.segments_pruned = c.segments_pruned.load();
  st.segments_prepared = c.segments_prepared.load();
  st.blocks_total = c.blocks_total.load();
  st.blocks_read = c.blocks_read.load();
  st.rows_examined = c.rows_examined.load();
  st.rows_matched = c.rows_matched.load();
  st.bytes_read = c.bytes_read.load();
  st.text_frames_read = c.text_frames_read.load();
  st.text_frames_cached = c.text_frames_cached.load();
  st.rows_returned = state_->rows;
  st.peak_memory_bytes = state_->context->memory()->peak();
  st.seconds = state_->done ? state_->seconds
                            : std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                            state_->start)
                                  .count();
  return st;
}

std::string QueryResult::Explain() const {
  std::string out = RenderExplain(state_->planner->explain());
  if (state_->done) {
    QueryStats s = stats();
    out += "segments: " + std::to_string(s.segments_total) + " total, " +
           std::to_string(s.segments_pruned) + " pruned; blocks: " +
           std::to_string(s.blocks_total) + " total, " +
           std::to_string(s.blocks_total - s.blocks_read) + " pruned, " +
           std::to_string(s.blocks_read) + " read\n";
    out += "rows: " + std::to_string(s.rows_examined) + " examined, " +
           std::to_string(s.rows_matched) + " matched, " + std::to_string(s.rows_returned) +
           " returned; " + std::to_string(s.bytes_read) + " bytes decoded; peak memory " +
           std::to_string(s.peak_memory_bytes) + " bytes; " +
           std::to_string(static_cast<int64_t>(s.seconds * 1e6)) + " us\n";
    out += "text frames: " + std::to_string(s.text_frames_read) + " decompressed, " +
           std::to_string(s.text_frames_cached) + " from cache\n";
  }
  return out;
}

QueryEngine::QueryEngine(const storage::Store& store, EngineOptions options)
    : table_(store, options.text_block_cache_bytes, options.dictionary_cache_bytes) {
  RegisterBuiltinScalarFunctions(functions_);
}

QueryEngine::~QueryEngine() = default;

Result<std::shared_ptr<const Statement>> QueryEngine::ParseCached(std::string_view sql) const {
  const bool cacheable = sql.size() <= kMaxCachedStatementBytes;
  std::string key;
  if (cacheable) {
    key.assign(sql);
    std::lock_guard<std::mutex> lock(statements_mu_);
    auto it = statements_.find(key);
    if (it != statements_.end()) return it->second;
  }
  TB_ASSIGN_OR_RETURN(std::unique_ptr<Statement> parsed, Parse(sql));
  std::shared_ptr<const Statement> statement(std::move(parsed));
  if (cacheable) {
    std::lock_guard<std::mutex> lock(statements_mu_);
    if (statements_.size() >= kMaxCachedStatements) statements_.clear();
    statements_.emplace(std::move(key), statement);
  }
  return statement;
}

Result<std::unique_ptr<QueryResult>> QueryEngine::Execute(std::string_view sql,
                                                          const QueryOptions& options) const {
  auto start = std::chrono::steady_clock::now();
  TB_ASSIGN_OR_RETURN(std::shared_ptr<const Statement> statement, ParseCached(sql));
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock();
  int64_t now_us = clock.NowMicros();
  BinderContext bc;
  bc.sql = sql;
  bc.catalog = &EventTableCatalog();
  bc.store_id = table_.store_id();
  bc.store_aliases = options.eds_ids;
  bc.functions = &functions_;
  bc.parameters = &options.parameters;
  bc.now_us = now_us;
  TB_ASSIGN_OR_RETURN(BoundQuery query, Bind(*statement, bc));
  Optimize(query.root);
  unsigned threads = options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<QueryResult> result(new QueryResult());
  QueryResult::State& s = *result->state_;
  s.start = start;
  s.context = std::make_unique<QueryContext>(std::string(sql), now_us, options.memory_limit_bytes,
                                             options.timeout, options.cancel, threads);
  s.planner = std::make_unique<PhysicalPlanner>(table_, table_.Snapshot(), options.constraints,
                                                s.context.get());
  TB_ASSIGN_OR_RETURN(s.root, s.planner->Plan(*query.root));
  result->names_ = std::move(query.names);
  result->types_ = s.root->types();
  return result;
}

}  // namespace trailbook::sql
