#include "sql/exec/sort_operator.h"

#include <algorithm>
#include <numeric>

namespace trailbook::sql {

std::vector<uint32_t> SortRows(const ColumnStore& store, const std::vector<SortKey>& keys,
                               std::optional<size_t> limit) {
  std::vector<uint32_t> order(store.size());
  std::iota(order.begin(), order.end(), 0u);
  auto less = [&](uint32_t a, uint32_t b) {
    for (const SortKey& k : keys) {
      bool an = store.IsNull(k.column, a), bn = store.IsNull(k.column, b);
      if (an || bn) {
        if (an && bn) continue;
        return an == k.nulls_first;
      }
      int c = store.Compare(k.column, a, b);
      if (c != 0) return k.descending ? c > 0 : c < 0;
    }
    return a < b;  // stable
  };
  if (limit && *limit < order.size()) {
    std::partial_sort(order.begin(), order.begin() + static_cast<long>(*limit), order.end(), less);
    order.resize(*limit);
  } else {
    std::sort(order.begin(), order.end(), less);
  }
  return order;
}

SortOperator::SortOperator(OperatorPtr child, std::vector<SortKey> keys,
                           std::optional<size_t> limit, QueryContext* context)
    : PhysicalOperator(child->types()),
      child_(std::move(child)),
      keys_(std::move(keys)),
      limit_(limit),
      context_(context),
      memory_(context->memory()) {}

std::vector<uint32_t> SortOperator::Order(const ColumnStore& store) const {
  return SortRows(store, keys_, limit_);
}

Status SortOperator::Build() {
  store_ = std::make_unique<ColumnStore>(types());
  while (true) {
    DataChunk chunk;
    TB_RETURN_IF_ERROR(child_->Next(chunk));
    if (chunk.size == 0) break;
    TB_RETURN_IF_ERROR(context_->CheckInterrupt());
    store_->AppendChunk(std::move(chunk));
    if (limit_ && store_->size() > 2 * *limit_ + kBatchSize) {
      // Keep only the best `limit` rows so far.
      std::vector<uint32_t> best = Order(*store_);
      auto compact = std::make_unique<ColumnStore>(types());
      for (size_t begin = 0; begin < best.size(); begin += kBatchSize) {
        size_t n = std::min(kBatchSize, best.size() - begin);
        DataChunk part;
        part.Initialize(types());
        store_->Gather(best.data() + begin, n, part, 0);
        part.size = n;
        compact->AppendChunk(std::move(part));
      }
      store_ = std::move(compact);
    }
    TB_RETURN_IF_ERROR(memory_.Set(store_->memory_bytes()));
  }
  child_.reset();
  order_ = Order(*store_);
  return Status::OK();
}

Status SortOperator::Next(DataChunk& out) {
  if (!built_) {
    built_ = true;
    TB_RETURN_IF_ERROR(Build());
  }
  PrepareOutput(out);
  if (next_ >= order_.size()) return Status::OK();
  size_t n = std::min(kBatchSize, order_.size() - next_);
  store_->Gather(order_.data() + next_, n, out, 0);
  out.size = n;
  next_ += n;
  return Status::OK();
}

}  // namespace trailbook::sql
