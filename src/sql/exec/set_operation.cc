#include "sql/exec/set_operation.h"

namespace trailbook::sql {

SetOperationOperator::SetOperationOperator(OperatorPtr left, OperatorPtr right, SetOperator op,
                                           bool all, std::vector<LogicalType> types,
                                           QueryContext* context)
    : PhysicalOperator(types),
      left_(std::move(left)),
      right_(std::move(right)),
      op_(op),
      all_(all),
      context_(context),
      memory_(context->memory()),
      right_table_(types),
      left_seen_(types) {}

Status SetOperationOperator::Build() {
  std::vector<uint32_t> groups;
  while (true) {
    DataChunk chunk;
    TB_RETURN_IF_ERROR(right_->Next(chunk));
    if (chunk.size == 0) break;
    TB_RETURN_IF_ERROR(context_->CheckInterrupt());
    groups.resize(chunk.size);
    std::vector<Vector*> keys;
    for (Vector& v : chunk.columns) keys.push_back(&v);
    right_table_.FindOrAdd(keys, chunk.size, groups.data());
    remaining_.resize(right_table_.size(), 0);
    for (size_t i = 0; i < chunk.size; ++i) ++remaining_[groups[i]];
    TB_RETURN_IF_ERROR(memory_.Set(right_table_.memory_bytes() + remaining_.capacity() * 8));
  }
  right_.reset();
  return Status::OK();
}

Status SetOperationOperator::Next(DataChunk& out) {
  if (!built_) {
    built_ = true;
    TB_RETURN_IF_ERROR(Build());
  }
  while (true) {
    PrepareOutput(out);
    if (left_ == nullptr) return Status::OK();
    TB_RETURN_IF_ERROR(left_->Next(input_));
    if (input_.size == 0) {
      left_.reset();
      return Status::OK();
    }
    size_t n = input_.size;
    std::vector<Vector*> keys;
    for (Vector& v : input_.columns) {
      v.Flatten();
      keys.push_back(&v);
    }
    std::vector<uint32_t> in_right(n), seen(n);
    right_table_.Find(keys, n, in_right.data());
    size_t before = left_seen_.size();
    if (!all_) left_seen_.FindOrAdd(keys, n, seen.data());
    std::vector<uint32_t> sel;
    std::vector<uint8_t> first(n, 0);
    if (!all_) {
      // A row is new when its group was created by this batch at this row.
      std::vector<uint8_t> created(left_seen_.size() - before, 0);
      for (size_t i = 0; i < n; ++i) {
        if (seen[i] >= before && !created[seen[i] - before]) {
          created[seen[i] - before] = 1;
          first[i] = 1;
        }
      }
    }
    for (size_t i = 0; i < n; ++i) {
      bool found = in_right[i] != GroupTable::kNotFound;
      bool keep;
      if (!all_) {
        keep = first[i] && (op_ == SetOperator::kIntersect ? found : !found);
      } else if (op_ == SetOperator::kIntersect) {
        keep = found && remaining_[in_right[i]] > 0;
        if (keep) --remaining_[in_right[i]];
      } else {
        keep = !(found && remaining_[in_right[i]] > 0);
        if (!keep) --remaining_[in_right[i]];
      }
      if (keep) sel.push_back(static_cast<uint32_t>(i));
    }
    TB_RETURN_IF_ERROR(memory_.Set(right_table_.memory_bytes() + left_seen_.memory_bytes()));
    if (sel.empty()) continue;
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      out.columns[c].Gather(input_.columns[c], sel.data(), sel.size());
    }
    out.size = sel.size();
    return Status::OK();
  }
}

}  // namespace trailbook::sql
