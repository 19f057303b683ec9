#include "server/handler_pool.h"

#include <utility>

namespace trailbook::server {

HandlerPool::HandlerPool(size_t threads) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

HandlerPool::~HandlerPool() { Stop(); }

bool HandlerPool::Submit(Job job) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return false;
  jobs_.push_back(std::move(job));
  // Wake a thread only when one is waiting: a busy pool picks the job up when a thread
  // finishes its current one, without a futex wake per request.
  bool wake = idle_ > 0;
  lock.unlock();
  if (wake) cv_.notify_one();
  return true;
}

void HandlerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

size_t HandlerPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

void HandlerPool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (jobs_.empty()) {
      if (stopping_) return;
      ++idle_;
      cv_.wait(lock, [this] { return !jobs_.empty() || stopping_; });
      --idle_;
      continue;
    }
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // Release what the job holds before waiting for the next one.
    lock.lock();
  }
}

}  // namespace trailbook::server
