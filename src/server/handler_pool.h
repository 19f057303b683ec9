// File: server/handler_pool.h
//
// HandlerPool: a fixed set of threads that run queued jobs in FIFO order. The HTTP
// transport reads requests on a few event-loop threads and hands each complete request to
// this pool, because the handler may block (query admission, the write stage of the audit
// group commit, long queries) and must never stall the event loop. FIFO order keeps the latency tail close to
// the mean: requests are served in arrival order instead of by whichever of many runnable
// connection threads the kernel picks. An idle thread is woken only when a job arrives and
// no thread is free, and the most recently idle one first, so a lightly loaded pool keeps
// reusing a few warm threads (and their malloc arenas) instead of cycling through all.
//
//   HandlerPool pool(64);
//   pool.Submit([] { ... });
//   pool.Stop();  // Runs what is queued, then joins.
//
// Thread safety: Submit and Stop may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/thread_annotations.h"

namespace trailbook::server {

class HandlerPool {
 public:
  using Job = std::function<void()>;

  // Starts `threads` threads (at least one).
  explicit HandlerPool(size_t threads);
  // Stops (running what is queued) and joins.
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // Queues `job`. Returns false (and drops the job) once Stop has been called.
  bool Submit(Job job);

  // Refuses new jobs, lets the threads finish every queued job, and joins them. Idempotent;
  // must not be called from a pool thread.
  void Stop();

  // Jobs queued and not yet started (for tests and metrics).
  size_t queued() const;

 private:
  // One thread's wake-up signal: Submit wakes a chosen idle thread, not any waiter.
  struct Worker {
    std::condition_variable cv;
    bool woken = false;  // Guarded by mu_.
  };

  void Work(Worker& self);

  mutable std::mutex mu_;
  std::deque<Job> jobs_ TB_GUARDED_BY(mu_);
  // Idle threads, most recently idle last (woken first: LIFO keeps few threads hot).
  std::vector<Worker*> idle_ TB_GUARDED_BY(mu_);
  bool stopping_ TB_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
};

}  // namespace trailbook::server
