#include "sql/exec/query_engine.h"

#include <optional>
#include <thread>

#include "base/timestamp.h"

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
  bool plan_cached = false;
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
  st.plan_cached = state_->plan_cached;
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

struct QueryEngine::PlanTemplate {
  BoundQuery query;  // Optimized; read-only, shared by concurrent executions.
  // What the latest execution's physical plan was (PhysicalPlanner::key_lookup), for
  // IsKeyLookup: kShapeUnknown until one was planned.
  static constexpr uint8_t kShapeUnknown = 0;
  static constexpr uint8_t kShapeKeyLookup = 1;
  static constexpr uint8_t kShapeOther = 2;
  mutable std::atomic<uint8_t> shape{kShapeUnknown};
};

namespace {

// What binding depends on besides the text: the names that alias the store, and each
// parameter's name, type and nullness (values are substituted per execution).
std::string BindingSignature(const QueryOptions& options) {
  std::string sig;
  for (const std::string& id : options.eds_ids) {
    sig += id;
    sig += '\x1f';
  }
  sig += '\x1e';
  for (const auto& [name, value] : options.parameters) {
    sig += name;
    sig += '\x1f';
    sig += value.type().ToString();
    sig += value.is_null() ? "\x1fnull" : "";
    sig += '\x1e';
  }
  return sig;
}

// Returns whether every tagged constant of `q` is still an untouched slot value: a constant
// of its slot's type. Anything else (a rewrite that kept the tag on a changed node) makes
// the plan specific to the values it was bound with.
bool SlotsIntact(const BoundQuery& q) {
  bool intact = true;
  VisitPlanExpressions(*q.root, [&](const BoundExpr& root) {
    VisitExpr(root, [&](const BoundExpr& e) {
      if (e.slot < 0) return;
      const size_t slot = static_cast<size_t>(e.slot);
      if (e.kind != BoundExprKind::kConstant || slot >= q.slots.size() || e.value.is_null() ||
          !(e.type == q.slots[slot].type) || !(e.value.type() == q.slots[slot].type)) {
        intact = false;
      }
    });
  });
  return intact;
}

// Returns this execution's slot values, or nullopt when `options` does not supply every
// parameter slot with a non-NULL value of the slot's type (then the plan is not used).
std::optional<std::vector<Value>> SlotValues(const std::vector<PlanSlot>& slots,
                                             const QueryOptions& options, int64_t now_us) {
  std::vector<Value> values;
  values.reserve(slots.size());
  for (const PlanSlot& slot : slots) {
    switch (slot.kind) {
      case PlanSlot::Kind::kParameter: {
        auto it = options.parameters.find(slot.name);
        if (it == options.parameters.end() || it->second.is_null() ||
            !(it->second.type() == slot.type)) {
          return std::nullopt;
        }
        values.push_back(it->second);
        break;
      }
      case PlanSlot::Kind::kNow: values.push_back(Value::Timestamp(now_us)); break;
      case PlanSlot::Kind::kCurrentDate: values.push_back(Value::Date(DayOf(now_us))); break;
    }
    if (!(values.back().type() == slot.type)) return std::nullopt;
  }
  return values;
}

}  // namespace

Result<std::shared_ptr<const Statement>> QueryEngine::ParseCached(
    std::string_view sql, const std::string* signature,
    std::shared_ptr<const PlanTemplate>* plan) const {
  if (plan != nullptr) plan->reset();
  const bool cacheable = sql.size() <= kMaxCachedStatementBytes;
  std::string key;
  if (cacheable) {
    key.assign(sql);
    std::lock_guard<std::mutex> lock(statements_mu_);
    auto it = statements_.find(key);
    if (it != statements_.end()) {
      if (signature != nullptr && plan != nullptr) {
        for (const auto& [sig, cached] : it->second.plans) {
          if (sig == *signature) *plan = cached;
        }
      }
      return it->second.statement;
    }
  }
  TB_ASSIGN_OR_RETURN(std::unique_ptr<Statement> parsed, Parse(sql));
  std::shared_ptr<const Statement> statement(std::move(parsed));
  if (cacheable) {
    std::lock_guard<std::mutex> lock(statements_mu_);
    if (statements_.size() >= kMaxCachedStatements) statements_.clear();
    CachedStatement& entry = statements_[std::move(key)];
    if (entry.statement == nullptr) entry.statement = statement;
  }
  return statement;
}

bool QueryEngine::IsKeyLookup(std::string_view sql) const {
  if (sql.size() > kMaxCachedStatementBytes) return false;
  std::lock_guard<std::mutex> lock(statements_mu_);
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end() || it->second.plans.empty()) return false;
  for (const auto& [sig, plan] : it->second.plans) {
    if (plan->shape.load(std::memory_order_relaxed) != PlanTemplate::kShapeKeyLookup) return false;
  }
  return true;
}

void QueryEngine::StorePlan(std::string_view sql, const std::string& signature,
                            std::shared_ptr<const PlanTemplate> plan) const {
  if (sql.size() > kMaxCachedStatementBytes) return;
  std::lock_guard<std::mutex> lock(statements_mu_);
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) return;  // The statement was evicted meanwhile.
  auto& plans = it->second.plans;
  for (auto& [sig, existing] : plans) {
    if (sig == signature) {
      existing = std::move(plan);
      return;
    }
  }
  if (plans.size() >= kMaxPlansPerStatement) plans.clear();
  plans.emplace_back(signature, std::move(plan));
}

Result<std::unique_ptr<QueryResult>> QueryEngine::Execute(std::string_view sql,
                                                          const QueryOptions& options) const {
  auto start = std::chrono::steady_clock::now();
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

  // A plan bound before for this text and signature is reused with this execution's
  // parameter values and now(); the token's constraints are never part of it (the physical
  // planner applies them below). On any doubt the query is bound afresh.
  // EXPLAIN renders some expressions (aggregates, window functions) from the bound plan
  // itself, so a cached plan would show the first execution's values there: a caller that
  // wants the plan text (dry runs, the CLI) binds afresh and leaves the cache alone.
  const std::string signature = BindingSignature(options);
  std::shared_ptr<const PlanTemplate> plan;
  TB_ASSIGN_OR_RETURN(std::shared_ptr<const Statement> statement,
                      ParseCached(sql, options.explain ? nullptr : &signature, &plan));
  bool cached = plan != nullptr;
  if (plan == nullptr && !options.explain) {
    BinderContext tagged = bc;
    tagged.tag_slots = true;
    Result<BoundQuery> bound = Bind(*statement, tagged);
    auto fresh = std::make_shared<PlanTemplate>();
    if (bound.ok()) {
      fresh->query = std::move(bound).value();
      Optimize(fresh->query.root);
      fresh->query.reusable = fresh->query.reusable && SlotsIntact(fresh->query);
    }
    // A failed tagged bind is not cached as reusable; the untagged bind below reports it.
    plan = std::move(fresh);
    StorePlan(sql, signature, plan);
  }
  std::optional<std::vector<Value>> slot_values;
  if (plan != nullptr && plan->query.reusable) {
    slot_values = SlotValues(plan->query.slots, options, now_us);
  }
  BoundQuery own;
  const BoundQuery* query = nullptr;
  if (slot_values) {
    query = &plan->query;
  } else {
    cached = false;
    TB_ASSIGN_OR_RETURN(own, Bind(*statement, bc));
    Optimize(own.root);
    query = &own;
  }
  unsigned threads = options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<QueryResult> result(new QueryResult());
  QueryResult::State& s = *result->state_;
  s.start = start;
  s.plan_cached = cached;
  s.context = std::make_unique<QueryContext>(std::string(sql), now_us, options.memory_limit_bytes,
                                             options.timeout, options.cancel, threads);
  s.planner = std::make_unique<PhysicalPlanner>(table_, table_.Snapshot(options.constraints),
                                                options.constraints,
                                                s.context.get());
  if (slot_values) s.planner->set_slot_values(std::move(*slot_values));
  s.planner->set_explain_details(options.explain);
  TB_ASSIGN_OR_RETURN(s.root, s.planner->Plan(*query->root));
  if (plan != nullptr) {
    plan->shape.store(s.planner->key_lookup() ? PlanTemplate::kShapeKeyLookup
                                              : PlanTemplate::kShapeOther,
                      std::memory_order_relaxed);
  }
  result->names_ = query->names;
  result->types_ = s.root->types();
  return result;
}

}  // namespace trailbook::sql
