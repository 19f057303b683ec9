#include "sql/exec/hash_aggregate.h"

#include <thread>

#include "sql/exec/expression_evaluator.h"
#include "sql/exec/group_table.h"

namespace trailbook::sql {

struct HashAggregateOperator::Partial {
  Partial(const AggregatePlan& plan, QueryContext* context)
      : table([&] {
          std::vector<LogicalType> t;
          for (const auto& g : plan.groups) t.push_back(g->type);
          return t;
        }()),
        memory(context->memory()) {
    for (const auto& g : plan.groups) group_evals.push_back(std::make_unique<ExpressionEvaluator>(*g, context));
    for (const auto& a : plan.aggregates) {
      std::vector<std::unique_ptr<ExpressionEvaluator>> evals;
      for (const auto& arg : a.args) evals.push_back(std::make_unique<ExpressionEvaluator>(*arg, context));
      arg_evals.push_back(std::move(evals));
      filter_evals.push_back(a.filter ? std::make_unique<ExpressionEvaluator>(*a.filter, context)
                                      : nullptr);
    }
  }

  Status Init(const AggregatePlan& plan) {
    for (const auto& a : plan.aggregates) {
      TB_ASSIGN_OR_RETURN(auto acc, MakeAccumulator(a.spec));
      accumulators.push_back(std::move(acc));
    }
    if (plan.groups.empty()) {
      for (auto& acc : accumulators) acc->Resize(1);
    }
    return Status::OK();
  }

  size_t group_count(const AggregatePlan& plan) const {
    return plan.groups.empty() ? 1 : table.size();
  }

  Status Consume(const AggregatePlan& plan, const DataChunk& chunk) {
    size_t n = chunk.size;
    groups.resize(n);
    if (plan.groups.empty()) {
      std::fill(groups.begin(), groups.end(), 0u);
    } else {
      key_vectors.resize(plan.groups.size());
      std::vector<Vector*> keys;
      for (size_t k = 0; k < plan.groups.size(); ++k) {
        TB_ASSIGN_OR_RETURN(const Vector* v, group_evals[k]->Evaluate(chunk));
        key_vectors[k].SetType(v->type());
        if (v->mode() == VectorMode::kDictionary) {
          key_vectors[k].SetDictionary(v->dictionary_ptr(), v->dictionary_id(), v->codes(), n);
        } else {
          key_vectors[k].Slice(*v, 0, n);
        }
        keys.push_back(&key_vectors[k]);
      }
      table.FindOrAdd(keys, n, groups.data());
      for (auto& acc : accumulators) acc->Resize(table.size());
    }
    std::vector<uint32_t> sel(n);
    std::vector<uint32_t> sel_groups;
    for (size_t a = 0; a < plan.aggregates.size(); ++a) {
      std::vector<Vector> args;
      args.reserve(arg_evals[a].size());
      for (auto& e : arg_evals[a]) {
        TB_ASSIGN_OR_RETURN(const Vector* v, e->Evaluate(chunk));
        args.emplace_back(v->type());
        args.back().Slice(*v, 0, n);
      }
      const uint32_t* g = groups.data();
      size_t rows = n;
      if (filter_evals[a]) {
        TB_ASSIGN_OR_RETURN(rows, filter_evals[a]->Select(chunk, sel.data()));
        if (rows == 0) continue;
        if (rows < n) {
          sel_groups.resize(rows);
          for (size_t i = 0; i < rows; ++i) sel_groups[i] = groups[sel[i]];
          g = sel_groups.data();
          for (Vector& v : args) {
            Vector tmp(v.type());
            tmp.Gather(v, sel.data(), rows);
            v.Slice(tmp, 0, rows);
          }
        }
      }
      std::vector<const Vector*> ptrs;
      for (const Vector& v : args) ptrs.push_back(&v);
      TB_RETURN_IF_ERROR(accumulators[a]->Update(g, ptrs, rows));
    }
    size_t bytes = table.memory_bytes();
    for (const auto& acc : accumulators) bytes += acc->memory_bytes();
    return memory.Set(bytes);
  }

  Status Absorb(const AggregatePlan& plan, Partial& other) {
    std::vector<uint32_t> mapping;
    if (plan.groups.empty()) {
      mapping.assign(1, 0);
    } else {
      table.Merge(other.table, &mapping);
    }
    for (size_t a = 0; a < accumulators.size(); ++a) {
      accumulators[a]->Resize(group_count(plan));
      TB_RETURN_IF_ERROR(accumulators[a]->Combine(*other.accumulators[a], mapping.data()));
    }
    size_t bytes = table.memory_bytes();
    for (const auto& acc : accumulators) bytes += acc->memory_bytes();
    return memory.Set(bytes);
  }

  GroupTable table;
  std::vector<std::unique_ptr<Accumulator>> accumulators;
  std::vector<std::unique_ptr<ExpressionEvaluator>> group_evals;
  std::vector<std::vector<std::unique_ptr<ExpressionEvaluator>>> arg_evals;
  std::vector<std::unique_ptr<ExpressionEvaluator>> filter_evals;
  std::vector<Vector> key_vectors;
  std::vector<uint32_t> groups;
  TrackedMemory memory;
};

HashAggregateOperator::HashAggregateOperator(std::shared_ptr<const AggregatePlan> plan,
                                             PipelineFactory input, unsigned threads,
                                             QueryContext* context)
    : PhysicalOperator(plan->output_types),
      plan_(std::move(plan)),
      input_(std::move(input)),
      threads_(threads == 0 ? 1 : threads),
      context_(context) {}

HashAggregateOperator::~HashAggregateOperator() = default;

Status HashAggregateOperator::Build() {
  std::vector<std::unique_ptr<Partial>> partials;
  std::vector<Status> statuses(threads_);
  for (unsigned t = 0; t < threads_; ++t) {
    partials.push_back(std::make_unique<Partial>(*plan_, context_));
    TB_RETURN_IF_ERROR(partials.back()->Init(*plan_));
  }
  std::atomic<bool> failed{false};
  auto run = [&](unsigned t) {
    Status s = [&]() -> Status {
      TB_ASSIGN_OR_RETURN(OperatorPtr op, input_());
      DataChunk chunk;
      while (!failed.load()) {
        TB_RETURN_IF_ERROR(op->Next(chunk));
        if (chunk.size == 0) break;
        TB_RETURN_IF_ERROR(context_->CheckInterrupt());
        TB_RETURN_IF_ERROR(partials[t]->Consume(*plan_, chunk));
      }
      return Status::OK();
    }();
    if (!s.ok()) failed.store(true);
    statuses[t] = s;
  };
  if (threads_ == 1) {
    run(0);
  } else {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads_; ++t) workers.emplace_back(run, t);
    for (std::thread& w : workers) w.join();
  }
  for (const Status& s : statuses) TB_RETURN_IF_ERROR(s);
  for (unsigned t = 1; t < threads_; ++t) {
    TB_RETURN_IF_ERROR(partials[0]->Absorb(*plan_, *partials[t]));
    partials[t].reset();
  }
  result_ = std::move(partials[0]);
  return Status::OK();
}

Status HashAggregateOperator::Next(DataChunk& out) {
  if (!built_) {
    built_ = true;
    TB_RETURN_IF_ERROR(Build());
  }
  PrepareOutput(out);
  if (result_ == nullptr) return Status::OK();
  size_t total = result_->group_count(*plan_);
  if (next_group_ >= total) {
    result_.reset();
    return Status::OK();
  }
  size_t n = std::min(kBatchSize, total - next_group_);
  size_t keys = plan_->groups.size();
  if (keys > 0) result_->table.GatherKeys(next_group_, n, out, 0);
  for (size_t a = 0; a < plan_->aggregates.size(); ++a) {
    TB_RETURN_IF_ERROR(result_->accumulators[a]->Finalize(next_group_, n, out.columns[keys + a]));
  }
  out.size = n;
  next_group_ += n;
  return Status::OK();
}

}  // namespace trailbook::sql
