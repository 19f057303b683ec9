#include "server/audit_folder.h"

#include "audit/audit_fold.h"
#include "base/check.h"

namespace trailbook::server {

AuditFolder::AuditFolder(storage::Store& store, std::chrono::milliseconds interval)
    : store_(store), interval_(interval) {
  TB_CHECK(interval.count() > 0) << "AuditFolder needs a positive interval";
}

AuditFolder::~AuditFolder() { Stop(); }

void AuditFolder::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void AuditFolder::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AuditFolder::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (cv_.wait_for(lock, interval_, [this] { return stopping_; })) break;
    lock.unlock();
    // A failed round leaves the journal as it is (still queryable as the tail); the next
    // round retries, and `audit verify` reports a damaged journal.
    (void)FoldOnce();
    lock.lock();
  }
}

Result<FoldRound> AuditFolder::FoldOnce() {
  FoldRound round;
  if (store_.Snapshot()->journal_rows() > 0) {
    Result<std::unique_ptr<storage::Store>> writer =
        storage::Store::Open(store_.dir(), storage::Store::Mode::kReadWrite);
    if (writer.ok()) {
      Result<audit::FoldResult> folded = audit::FoldAuditJournal(**writer);
      if (!folded.ok()) return folded.status().WithContext("folding the audit journal");
      round.events = folded->events;
    } else if (writer.status().code() == StatusCode::kResourceExhausted) {
      round.writer_busy = true;
    } else {
      return writer.status().WithContext("opening the store writer to fold the audit journal");
    }
  }
  TB_RETURN_IF_ERROR(store_.Refresh().WithContext("refreshing the store"));
  return round;
}

}  // namespace trailbook::server
