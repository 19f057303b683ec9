#include "server/query_slots.h"

#include <algorithm>
#include <string>

#include "base/check.h"

namespace trailbook::server {

QuerySlots::Ticket& QuerySlots::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    if (slots_ != nullptr) slots_->Release();
    slots_ = std::exchange(other.slots_, nullptr);
  }
  return *this;
}

QuerySlots::Ticket::~Ticket() {
  if (slots_ != nullptr) slots_->Release();
}

QuerySlots::QuerySlots(size_t concurrent, size_t queued, std::chrono::milliseconds wait)
    : concurrent_(concurrent), queued_(queued), wait_(wait) {
  TB_CHECK(concurrent > 0) << "QuerySlots needs at least one slot";
}

Result<QuerySlots::Ticket> QuerySlots::Acquire() {
  TB_RETURN_IF_ERROR(Enter());
  return Ticket(this);
}

std::optional<QuerySlots::Ticket> QuerySlots::TryAcquire() {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_ >= concurrent_ || !waiters_.empty()) return std::nullopt;
  ++running_;
  return Ticket(this);
}

Status QuerySlots::Enter() {
  std::unique_lock<std::mutex> lock(mu_);
  if (running_ < concurrent_ && waiters_.empty()) {
    ++running_;
    return Status::OK();
  }
  if (waiters_.size() >= queued_) {
    return ResourceExhausted("too many queries: " + std::to_string(running_) + " running and " +
                             std::to_string(waiters_.size()) + " queued; retry later");
  }
  Waiter self;
  waiters_.push_back(&self);
  if (!self.cv.wait_for(lock, wait_, [&self] { return self.granted; })) {
    // Not granted under mu_, so `self` is still queued: leave the queue.
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &self));
    return ResourceExhausted("too many queries: no slot within " + std::to_string(wait_.count()) +
                             " ms; retry later");
  }
  return Status::OK();  // Release counted the slot as running when it handed it over.
}

std::pair<size_t, size_t> QuerySlots::Counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {running_, waiters_.size()};
}

void QuerySlots::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  if (waiters_.empty()) {
    --running_;
    return;
  }
  // Hand the slot to the oldest waiter. Notified under mu_: the waiter (and its cv) cannot
  // leave Enter before mu_ is released.
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->granted = true;
  next->cv.notify_one();
}

}  // namespace trailbook::server
