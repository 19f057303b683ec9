#include "sql/exec/query_context.h"

namespace trailbook::sql {

Status MemoryTracker::Reserve(size_t bytes) {
  size_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (now > limit_) {
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    return ResourceExhausted("query exceeded its memory limit of " +
                             std::to_string(limit_ >> 20) + " MiB");
  }
  size_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return Status::OK();
}

Status TrackedMemory::Set(size_t bytes) {
  if (tracker_ == nullptr) return Status::OK();
  if (bytes > bytes_) {
    TB_RETURN_IF_ERROR(tracker_->Reserve(bytes - bytes_));
  } else {
    tracker_->Release(bytes_ - bytes);
  }
  bytes_ = bytes;
  return Status::OK();
}

QueryContext::QueryContext(std::string sql, int64_t now_us, size_t memory_limit_bytes,
                           std::chrono::milliseconds timeout, const std::atomic<bool>* cancel,
                           unsigned threads)
    : sql_(std::move(sql)),
      now_us_(now_us),
      memory_(memory_limit_bytes),
      deadline_(std::chrono::steady_clock::now() + timeout),
      has_deadline_(timeout.count() > 0),
      timeout_(timeout),
      cancel_(cancel),
      threads_(threads == 0 ? 1 : threads) {}

Status QueryContext::CheckInterrupt() const {
  if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) {
    return Cancelled("query cancelled");
  }
  if (has_deadline_ && std::chrono::steady_clock::now() > deadline_) {
    int64_t ms = timeout_.count();
    std::string text = std::to_string(ms / 1000);
    if (ms % 1000 != 0) {
      std::string frac = std::to_string(1000 + ms % 1000).substr(1);
      while (frac.back() == '0') frac.pop_back();
      text += "." + frac;
    }
    return Cancelled("query exceeded its timeout of " + text + " s");
  }
  return Status::OK();
}

}  // namespace trailbook::sql
