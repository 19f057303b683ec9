#include "sql/exec/basic_operators.h"

#include "sql/exec/value_ops.h"

namespace trailbook::sql {
namespace {

constexpr size_t kGatherQueueDepth = 8;

}  // namespace

FilterOperator::FilterOperator(OperatorPtr child, const BoundExpr& predicate,
                               QueryContext* context)
    : PhysicalOperator(child->types()),
      child_(std::move(child)),
      predicate_(predicate, context),
      context_(context) {}

Status FilterOperator::Next(DataChunk& out) {
  while (true) {
    TB_RETURN_IF_ERROR(child_->Next(input_));
    if (input_.size == 0) {
      PrepareOutput(out);
      return Status::OK();
    }
    TB_RETURN_IF_ERROR(context_->CheckInterrupt());
    sel_.resize(input_.size);
    TB_ASSIGN_OR_RETURN(size_t n, predicate_.Select(input_, sel_.data()));
    if (n == 0) continue;
    PrepareOutput(out);
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      if (n == input_.size) {
        ReferenceVector(input_.columns[c], out.columns[c]);
      } else {
        SelectRows(input_.columns[c], sel_.data(), n, out.columns[c]);
      }
    }
    out.size = n;
    return Status::OK();
  }
}

ProjectOperator::ProjectOperator(OperatorPtr child, const std::vector<const BoundExpr*>& exprs,
                                 QueryContext* context)
    : PhysicalOperator([&] {
        std::vector<LogicalType> t;
        for (const BoundExpr* e : exprs) t.push_back(e->type);
        return t;
      }()),
      child_(std::move(child)) {
  for (const BoundExpr* e : exprs) exprs_.push_back(std::make_unique<ExpressionEvaluator>(*e, context));
}

Status ProjectOperator::Next(DataChunk& out) {
  TB_RETURN_IF_ERROR(child_->Next(input_));
  PrepareOutput(out);
  if (input_.size == 0) return Status::OK();
  for (size_t i = 0; i < exprs_.size(); ++i) {
    TB_ASSIGN_OR_RETURN(const Vector* v, exprs_[i]->Evaluate(input_));
    ReferenceVector(*v, out.columns[i]);
  }
  out.size = input_.size;
  return Status::OK();
}

LimitOperator::LimitOperator(OperatorPtr child, std::optional<int64_t> limit, int64_t offset)
    : PhysicalOperator(child->types()), child_(std::move(child)), limit_(limit), to_skip_(offset) {}

Status LimitOperator::Next(DataChunk& out) {
  while (true) {
    PrepareOutput(out);
    if (limit_ && emitted_ >= *limit_) {
      child_.reset();  // stops parallel producers early
      return Status::OK();
    }
    if (child_ == nullptr) return Status::OK();
    TB_RETURN_IF_ERROR(child_->Next(input_));
    if (input_.size == 0) return Status::OK();
    size_t begin = 0;
    if (to_skip_ > 0) {
      size_t skip = static_cast<size_t>(std::min<int64_t>(to_skip_, static_cast<int64_t>(input_.size)));
      to_skip_ -= static_cast<int64_t>(skip);
      begin = skip;
    }
    size_t n = input_.size - begin;
    if (limit_) n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n), *limit_ - emitted_));
    if (n == 0) continue;
    std::vector<uint32_t> sel(n);
    for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(begin + i);
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      SelectRows(input_.columns[c], sel.data(), n, out.columns[c]);
    }
    out.size = n;
    emitted_ += static_cast<int64_t>(n);
    return Status::OK();
  }
}

ValuesOperator::ValuesOperator(std::vector<LogicalType> types,
                               std::vector<std::vector<const BoundExpr*>> rows,
                               QueryContext* context)
    : PhysicalOperator(std::move(types)), rows_(std::move(rows)), context_(context) {}

Status ValuesOperator::Next(DataChunk& out) {
  PrepareOutput(out);
  if (next_ >= rows_.size()) return Status::OK();
  size_t n = std::min(kBatchSize, rows_.size() - next_);
  for (Vector& v : out.columns) v.Resize(n);
  DataChunk one;
  one.size = 1;
  for (size_t r = 0; r < n; ++r) {
    const auto& row = rows_[next_ + r];
    for (size_t c = 0; c < row.size(); ++c) {
      ExpressionEvaluator eval(*row[c], context_);
      TB_ASSIGN_OR_RETURN(const Vector* v, eval.Evaluate(one));
      out.columns[c].SetValue(r, v->GetValue(0));
    }
  }
  out.size = n;
  next_ += n;
  return Status::OK();
}

ConcatOperator::ConcatOperator(std::vector<LogicalType> types, std::vector<OperatorPtr> children)
    : PhysicalOperator(std::move(types)), children_(std::move(children)) {}

Status ConcatOperator::Next(DataChunk& out) {
  while (current_ < children_.size()) {
    TB_RETURN_IF_ERROR(children_[current_]->Next(out));
    if (out.size > 0) return Status::OK();
    children_[current_].reset();
    ++current_;
  }
  PrepareOutput(out);
  return Status::OK();
}

ParallelGatherOperator::ParallelGatherOperator(PipelineFactory factory,
                                               std::vector<LogicalType> types, unsigned threads,
                                               QueryContext* context)
    : PhysicalOperator(std::move(types)),
      factory_(std::move(factory)),
      thread_count_(threads == 0 ? 1 : threads),
      context_(context) {}

ParallelGatherOperator::~ParallelGatherOperator() {
  stop_.store(true);
  {
    std::lock_guard<std::mutex> lock(mu_);
    not_full_.notify_all();
  }
  for (std::thread& t : threads_) t.join();
}

void ParallelGatherOperator::Start() {
  started_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    active_ = thread_count_;
  }
  for (unsigned i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { Work(); });
}

void ParallelGatherOperator::Work() {
  Status status;
  Result<OperatorPtr> pipeline = factory_();
  if (!pipeline.ok()) {
    status = pipeline.status();
  } else {
    OperatorPtr op = std::move(pipeline).value();
    while (!stop_.load()) {
      DataChunk chunk;
      status = op->Next(chunk);
      if (!status.ok() || chunk.size == 0) break;
      std::unique_lock<std::mutex> lock(mu_);
      not_full_.wait(lock, [&] { return stop_.load() || queue_.size() < kGatherQueueDepth; });
      if (stop_.load()) break;
      queue_.push_back(std::move(chunk));
      not_empty_.notify_one();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!status.ok() && error_.ok()) {
    error_ = status;
    stop_.store(true);
    not_full_.notify_all();
  }
  --active_;
  not_empty_.notify_all();
}

Status ParallelGatherOperator::Next(DataChunk& out) {
  if (!started_) Start();
  std::unique_lock<std::mutex> lock(mu_);
  not_empty_.wait(lock, [&] { return !error_.ok() || !queue_.empty() || active_ == 0; });
  if (!error_.ok()) return error_;
  if (queue_.empty()) {
    lock.unlock();
    PrepareOutput(out);
    return Status::OK();
  }
  out = std::move(queue_.front());
  queue_.pop_front();
  not_full_.notify_one();
  return Status::OK();
}

}  // namespace trailbook::sql
