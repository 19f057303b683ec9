// File: sql/exec/basic_operators.h
//
// The streaming operators: Filter, Project, Limit, Values, Concat (UNION ALL), and
// ParallelGather, which runs copies of a pipeline on worker threads and hands their batches
// to one consumer.
//
//   auto filter = std::make_unique<FilterOperator>(std::move(child), predicate, context);
//   auto gather = std::make_unique<ParallelGatherOperator>(factory, types, 2, context);
//
// Expressions passed in are resolved against the child's columns and must outlive the
// operator (the physical planner keeps them in the plan). Thread safety: see
// physical_operator.h; ParallelGather owns its threads and joins them on destruction.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "base/thread_annotations.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/physical_operator.h"

namespace trailbook::sql {

class FilterOperator final : public PhysicalOperator {
 public:
  FilterOperator(OperatorPtr child, const BoundExpr& predicate, QueryContext* context);
  Status Next(DataChunk& out) override;

 private:
  OperatorPtr child_;
  ExpressionEvaluator predicate_;
  QueryContext* context_;
  DataChunk input_;
  std::vector<uint32_t> sel_;
};

class ProjectOperator final : public PhysicalOperator {
 public:
  ProjectOperator(OperatorPtr child, const std::vector<const BoundExpr*>& exprs,
                  QueryContext* context);
  Status Next(DataChunk& out) override;

 private:
  OperatorPtr child_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> exprs_;
  DataChunk input_;
};

class LimitOperator final : public PhysicalOperator {
 public:
  LimitOperator(OperatorPtr child, std::optional<int64_t> limit, int64_t offset);
  Status Next(DataChunk& out) override;

 private:
  OperatorPtr child_;
  std::optional<int64_t> limit_;
  int64_t to_skip_;
  int64_t emitted_ = 0;
  DataChunk input_;
};

// Constant rows. Every expression is row-independent.
class ValuesOperator final : public PhysicalOperator {
 public:
  ValuesOperator(std::vector<LogicalType> types, std::vector<std::vector<const BoundExpr*>> rows,
                 QueryContext* context);
  Status Next(DataChunk& out) override;

 private:
  std::vector<std::vector<const BoundExpr*>> rows_;
  QueryContext* context_;
  size_t next_ = 0;
};

// Every row of the first child, then every row of the second, ...
class ConcatOperator final : public PhysicalOperator {
 public:
  ConcatOperator(std::vector<LogicalType> types, std::vector<OperatorPtr> children);
  Status Next(DataChunk& out) override;

 private:
  std::vector<OperatorPtr> children_;
  size_t current_ = 0;
};

class ParallelGatherOperator final : public PhysicalOperator {
 public:
  ParallelGatherOperator(PipelineFactory factory, std::vector<LogicalType> types,
                         unsigned threads, QueryContext* context);
  ~ParallelGatherOperator() override;
  Status Next(DataChunk& out) override;

 private:
  void Work();
  void Start();

  PipelineFactory factory_;
  unsigned thread_count_;
  QueryContext* context_;
  std::vector<std::thread> threads_;
  bool started_ = false;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<DataChunk> queue_ TB_GUARDED_BY(mu_);
  unsigned active_ TB_GUARDED_BY(mu_) = 0;
  Status error_ TB_GUARDED_BY(mu_);
};

}  // namespace trailbook::sql
