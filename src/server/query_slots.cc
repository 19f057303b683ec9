#include "server/query_slots.h"

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

Status QuerySlots::Enter() {
  std::unique_lock<std::mutex> lock(mu_);
  if (running_ < concurrent_) {
    ++running_;
    return Status::OK();
  }
  if (waiting_ >= queued_) {
    return ResourceExhausted("too many queries: " + std::to_string(running_) + " running and " +
                             std::to_string(waiting_) + " queued; retry later");
  }
  ++waiting_;
  bool got = cv_.wait_for(lock, wait_, [this] { return running_ < concurrent_; });
  --waiting_;
  if (!got) {
    return ResourceExhausted("too many queries: no slot within " + std::to_string(wait_.count()) +
                             " ms; retry later");
  }
  ++running_;
  return Status::OK();
}

std::pair<size_t, size_t> QuerySlots::Counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {running_, waiting_};
}

void QuerySlots::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
  }
  cv_.notify_one();
}

}  // namespace trailbook::server
