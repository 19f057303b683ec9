// File: server/query_slots.h
//
// QuerySlots: admission control for queries. At most `concurrent` queries run at once; up
// to `queued` more wait (each at most `wait`) for a slot; beyond that a request is refused
// at once (HTTP 429), so a burst never piles up unbounded work or threads. Waiters are
// served first come, first served: a released slot is handed to the oldest waiter, and a new
// arrival never takes a slot while others wait (no barging, so no request starves in the
// queue while later ones overtake it).
//
//   TB_ASSIGN_OR_RETURN(QuerySlots::Ticket ticket, slots.Acquire());  // released on scope exit
//
// Thread safety: thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "base/status.h"
#include "runbook/executor.h"

namespace trailbook::server {

// Also the runbook::QueryAdmission of the server's runs and queries (Enter/Leave).
class QuerySlots final : public runbook::QueryAdmission {
 public:
  // Holds one slot until destroyed. Movable.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept : slots_(std::exchange(other.slots_, nullptr)) {}
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket();

   private:
    friend class QuerySlots;
    explicit Ticket(QuerySlots* slots) : slots_(slots) {}
    QuerySlots* slots_ = nullptr;
  };

  // REQUIRES: concurrent > 0.
  QuerySlots(size_t concurrent, size_t queued, std::chrono::milliseconds wait);
  QuerySlots(const QuerySlots&) = delete;
  QuerySlots& operator=(const QuerySlots&) = delete;

  // Takes a slot, waiting in the queue when all are busy. Returns kResourceExhausted when
  // the queue is full or the wait expired. The QuerySlots must outlive the Ticket.
  Result<Ticket> Acquire();

  // Takes a slot only when one is free and nobody waits; never waits or queues. Returns
  // nullopt otherwise. The QuerySlots must outlive the Ticket.
  std::optional<Ticket> TryAcquire();

  // Acquire and the Ticket's release as runbook::QueryAdmission.
  Status Enter() override;
  void Leave() override { Release(); }

  // Returns (running, waiting).
  std::pair<size_t, size_t> Counts() const;

 private:
  // One queued caller; lives on its stack while it waits in Enter.
  struct Waiter {
    std::condition_variable cv;
    bool granted = false;  // Guarded by mu_: Release handed this waiter a slot.
  };

  void Release();

  const size_t concurrent_;
  const size_t queued_;
  const std::chrono::milliseconds wait_;
  mutable std::mutex mu_;
  size_t running_ = 0;             // Guarded by mu_. Includes slots handed to waiters.
  std::deque<Waiter*> waiters_;    // Guarded by mu_. Oldest first.
};

// The runbook::QueryAdmission of a query whose slot was taken beforehand (TryAcquire): Enter
// admits at once; Leave, or destruction when the query never entered, gives the slot back.
class AdmittedSlot final : public runbook::QueryAdmission {
 public:
  explicit AdmittedSlot(QuerySlots::Ticket ticket) : ticket_(std::move(ticket)) {}
  Status Enter() override { return Status::OK(); }
  void Leave() override { ticket_ = QuerySlots::Ticket(); }

 private:
  QuerySlots::Ticket ticket_;
};

}  // namespace trailbook::server
