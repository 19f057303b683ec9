#include "server/handler_pool.h"

#include <pthread.h>

#include <utility>

namespace trailbook::server {

HandlerPool::HandlerPool(size_t threads) {
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this, w = workers_[i].get()] { Work(*w); });
  }
}

HandlerPool::~HandlerPool() { Stop(); }

bool HandlerPool::Submit(Job job) {
  Worker* wake = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    jobs_.push_back(std::move(job));
    // Wake the most recently idle thread (its stack and cache are warm), and only when one
    // is idle: a busy pool picks the job up when a thread finishes its current one.
    if (!idle_.empty()) {
      wake = idle_.back();
      idle_.pop_back();
      wake->woken = true;
    }
  }
  if (wake != nullptr) wake->cv.notify_one();
  return true;
}

void HandlerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (Worker* w : idle_) {
      w->woken = true;
      w->cv.notify_one();
    }
    idle_.clear();
  }
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

size_t HandlerPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

void HandlerPool::Work(Worker& self) {
  // Named for top -H and perf (at most 15 characters).
  pthread_setname_np(pthread_self(), "tb-handler");
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (jobs_.empty()) {
      if (stopping_) return;
      self.woken = false;
      idle_.push_back(&self);
      self.cv.wait(lock, [&self] { return self.woken; });
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
