#include "sql/exec/join_operator.h"

#include "sql/exec/value_ops.h"

namespace trailbook::sql {
namespace {

std::vector<LogicalType> Concat(const std::vector<LogicalType>& a, const std::vector<LogicalType>& b) {
  std::vector<LogicalType> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace

JoinOperator::JoinOperator(OperatorPtr left, OperatorPtr right,
                           std::shared_ptr<const JoinPlan> plan, QueryContext* context)
    : PhysicalOperator(Concat(plan->left_types, plan->right_types)),
      left_(std::move(left)),
      right_(std::move(right)),
      plan_(std::move(plan)),
      context_(context),
      memory_(context->memory()),
      hashed_(!plan_->left_keys.empty()) {
  for (const auto& k : plan_->left_keys) {
    left_key_evals_.push_back(std::make_unique<ExpressionEvaluator>(*k, context));
  }
  for (const auto& k : plan_->right_keys) {
    right_key_evals_.push_back(std::make_unique<ExpressionEvaluator>(*k, context));
  }
  if (plan_->residual) residual_ = std::make_unique<ExpressionEvaluator>(*plan_->residual, context);
}

JoinOperator::~JoinOperator() = default;

Status JoinOperator::Build() {
  std::vector<LogicalType> types = plan_->right_types;
  for (const auto& k : plan_->right_keys) types.push_back(k->type);
  build_ = std::make_unique<ColumnStore>(types);
  while (true) {
    DataChunk chunk;
    TB_RETURN_IF_ERROR(right_->Next(chunk));
    if (chunk.size == 0) break;
    TB_RETURN_IF_ERROR(context_->CheckInterrupt());
    size_t n = chunk.size;
    std::vector<uint64_t> hashes(n, 0);
    for (size_t k = 0; k < right_key_evals_.size(); ++k) {
      TB_ASSIGN_OR_RETURN(const Vector* v, right_key_evals_[k]->Evaluate(chunk));
      Vector key(v->type());
      key.Slice(*v, 0, n);
      HashColumn(key, n, hashes.data(), k > 0);
      for (size_t i = 0; i < n; ++i) {
        if (key.Nulls()[i]) hashes[i] = UINT64_MAX;  // never matches
      }
      chunk.columns.push_back(std::move(key));
    }
    chunk.size = n;
    for (size_t i = 0; i < n; ++i) {
      bool null_key = false;
      for (size_t k = 0; k < right_key_evals_.size(); ++k) {
        null_key = null_key || chunk.columns[plan_->right_types.size() + k].Nulls()[i];
      }
      build_hashes_.push_back(null_key ? UINT64_MAX : hashes[i]);
    }
    build_->AppendChunk(std::move(chunk));
    TB_RETURN_IF_ERROR(memory_.Set(build_->memory_bytes() + build_hashes_.capacity() * 16));
  }
  right_.reset();
  size_t rows = build_->size();
  if (hashed_) {
    size_t buckets = 16;
    while (buckets < rows * 2) buckets *= 2;
    heads_.assign(buckets, 0);
    next_.assign(rows, 0);
    mask_ = buckets - 1;
    for (size_t r = rows; r-- > 0;) {
      if (build_hashes_[r] == UINT64_MAX) continue;
      uint64_t b = build_hashes_[r] & mask_;
      next_[r] = heads_[b];
      heads_[b] = static_cast<uint32_t>(r + 1);
    }
  }
  if (plan_->type == LogicalJoinType::kRight || plan_->type == LogicalJoinType::kFull) {
    build_matched_.assign(rows, 0);
  }
  return memory_.Set(build_->memory_bytes() + build_hashes_.capacity() * 8 + heads_.capacity() * 4 +
                     next_.capacity() * 4);
}

Status JoinOperator::NextLeftChunk() {
  TB_RETURN_IF_ERROR(left_->Next(left_chunk_));
  if (left_chunk_.size == 0) {
    left_done_ = true;
    return Status::OK();
  }
  TB_RETURN_IF_ERROR(context_->CheckInterrupt());
  size_t n = left_chunk_.size;
  left_keys_.clear();
  left_hashes_.assign(n, 0);
  for (size_t k = 0; k < left_key_evals_.size(); ++k) {
    TB_ASSIGN_OR_RETURN(const Vector* v, left_key_evals_[k]->Evaluate(left_chunk_));
    left_keys_.emplace_back(v->type());
    left_keys_.back().Slice(*v, 0, n);
    HashColumn(left_keys_.back(), n, left_hashes_.data(), k > 0);
  }
  for (size_t i = 0; i < n; ++i) {
    for (const Vector& key : left_keys_) {
      if (key.Nulls()[i]) left_hashes_[i] = UINT64_MAX;
    }
  }
  left_matched_.assign(n, 0);
  probe_row_ = 0;
  chain_started_ = false;
  chain_ = 0;
  pending_unmatched_left_ =
      plan_->type == LogicalJoinType::kLeft || plan_->type == LogicalJoinType::kFull;
  return Status::OK();
}

void JoinOperator::CollectPairs() {
  pair_left_.clear();
  pair_right_.clear();
  size_t n = left_chunk_.size;
  size_t rows = build_->size();
  while (probe_row_ < n && pair_left_.size() < kBatchSize) {
    if (hashed_) {
      uint64_t h = left_hashes_[probe_row_];
      if (h == UINT64_MAX) {
        ++probe_row_;
        continue;
      }
      if (!chain_started_) {
        chain_ = heads_[h & mask_];
        chain_started_ = true;
      }
      while (chain_ != 0 && pair_left_.size() < kBatchSize) {
        uint32_t r = chain_ - 1;
        chain_ = next_[r];
        if (build_hashes_[r] != h) continue;
        bool equal = true;
        for (size_t k = 0; k < left_keys_.size() && equal; ++k) {
          equal = build_->Equals(plan_->right_types.size() + k, r, left_keys_[k], probe_row_);
        }
        if (!equal) continue;
        pair_left_.push_back(static_cast<uint32_t>(probe_row_));
        pair_right_.push_back(r);
      }
      if (chain_ == 0) {
        ++probe_row_;
        chain_started_ = false;
      }
    } else {
      if (!chain_started_) {
        chain_ = 0;
        chain_started_ = true;
      }
      while (chain_ < rows && pair_left_.size() < kBatchSize) {
        pair_left_.push_back(static_cast<uint32_t>(probe_row_));
        pair_right_.push_back(chain_++);
      }
      if (chain_ >= rows) {
        ++probe_row_;
        chain_started_ = false;
      }
    }
  }
}

Status JoinOperator::EmitPairs(DataChunk& out) {
  size_t n = pair_left_.size();
  size_t lc = plan_->left_types.size();
  for (size_t c = 0; c < lc; ++c) SelectRows(left_chunk_.columns[c], pair_left_.data(), n, out.columns[c]);
  for (size_t c = 0; c < plan_->right_types.size(); ++c) {
    build_->GatherColumn(c, pair_right_.data(), n, out.columns[lc + c]);
  }
  out.size = n;
  if (residual_) {
    std::vector<uint32_t> sel(n);
    TB_ASSIGN_OR_RETURN(size_t kept, residual_->Select(out, sel.data()));
    if (kept < n) {
      for (Vector& v : out.columns) {
        Vector tmp(v.type());
        SelectRows(v, sel.data(), kept, tmp);
        ReferenceVector(tmp, v);
      }
      for (size_t i = 0; i < kept; ++i) {
        pair_left_[i] = pair_left_[sel[i]];
        pair_right_[i] = pair_right_[sel[i]];
      }
      pair_left_.resize(kept);
      pair_right_.resize(kept);
      out.size = kept;
    }
  }
  for (uint32_t l : pair_left_) left_matched_[l] = 1;
  if (!build_matched_.empty()) {
    for (uint32_t r : pair_right_) build_matched_[r] = 1;
  }
  return Status::OK();
}

void JoinOperator::EmitUnmatchedLeft(DataChunk& out) {
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < left_chunk_.size; ++i) {
    if (!left_matched_[i]) rows.push_back(static_cast<uint32_t>(i));
  }
  size_t n = rows.size();
  size_t lc = plan_->left_types.size();
  for (size_t c = 0; c < lc; ++c) SelectRows(left_chunk_.columns[c], rows.data(), n, out.columns[c]);
  for (size_t c = 0; c < plan_->right_types.size(); ++c) {
    Vector& v = out.columns[lc + c];
    v.SetConstant(Value::Null(plan_->right_types[c]), n);
  }
  out.size = n;
}

bool JoinOperator::EmitUnmatchedRight(DataChunk& out) {
  std::vector<uint32_t> rows;
  while (right_cursor_ < build_matched_.size() && rows.size() < kBatchSize) {
    if (!build_matched_[right_cursor_]) rows.push_back(static_cast<uint32_t>(right_cursor_));
    ++right_cursor_;
  }
  if (rows.empty()) return false;
  size_t n = rows.size();
  size_t lc = plan_->left_types.size();
  for (size_t c = 0; c < lc; ++c) out.columns[c].SetConstant(Value::Null(plan_->left_types[c]), n);
  for (size_t c = 0; c < plan_->right_types.size(); ++c) {
    build_->GatherColumn(c, rows.data(), n, out.columns[lc + c]);
  }
  out.size = n;
  return true;
}

Status JoinOperator::Next(DataChunk& out) {
  if (!built_) {
    built_ = true;
    TB_RETURN_IF_ERROR(Build());
  }
  while (true) {
    PrepareOutput(out);
    if (left_done_) {
      if (!build_matched_.empty() && EmitUnmatchedRight(out)) return Status::OK();
      left_.reset();
      return Status::OK();
    }
    if (left_chunk_.size == 0 || (probe_row_ >= left_chunk_.size && !pending_unmatched_left_)) {
      TB_RETURN_IF_ERROR(NextLeftChunk());
      continue;
    }
    if (probe_row_ < left_chunk_.size) {
      CollectPairs();
      if (pair_left_.empty()) continue;
      TB_RETURN_IF_ERROR(EmitPairs(out));
      if (out.size > 0) return Status::OK();
      continue;
    }
    // Every pair of this chunk is out: the left rows that matched nothing.
    pending_unmatched_left_ = false;
    EmitUnmatchedLeft(out);
    left_chunk_.size = 0;
    if (out.size > 0) return Status::OK();
  }
}

}  // namespace trailbook::sql
