#include "server/audit_folder.h"

#include <sys/stat.h>

#include <charconv>

#include "audit/audit_fold.h"
#include "base/check.h"
#include "storage/audit_journal.h"

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

uint64_t AuditFolder::JournalSizeToFold() const {
  struct stat st;
  std::string path = store_.dir() + "/" + storage::kAuditJournalName;
  if (::stat(path.c_str(), &st) != 0) return 0;  // No journal yet (or unreadable: the fold says).
  auto size = static_cast<uint64_t>(st.st_size);
  std::string property = store_.Property(storage::kAuditFoldedOffsetProperty);
  uint64_t folded = 0;
  std::from_chars(property.data(), property.data() + property.size(), folded);
  if (size <= folded || size == journal_size_without_events_) return 0;
  return size;
}

Result<FoldRound> AuditFolder::FoldOnce() {
  FoldRound round;
  if (uint64_t journal_size = JournalSizeToFold(); journal_size > 0) {
    // The server's own handle turns writer for the fold: reopening the store each round
    // would replay the whole MANIFEST and map every segment again (tens of ms on a large
    // store), and closing it would free all of that again.
    Status began = store_.BeginWrite();
    if (began.ok()) {
      Result<audit::FoldResult> folded = audit::FoldAuditJournal(store_);
      store_.EndWrite();
      if (!folded.ok()) return folded.status().WithContext("folding the audit journal");
      round.events = folded->events;
      // Only digest records (or a record still being written) past the fold point: do not
      // take the writer lock for them every round, only once the journal grows again.
      journal_size_without_events_ = folded->events == 0 ? journal_size : 0;
    } else if (began.code() == StatusCode::kResourceExhausted) {
      round.writer_busy = true;
    } else {
      return began.WithContext("taking the store writer lock to fold the audit journal");
    }
  }
  TB_RETURN_IF_ERROR(store_.Refresh().WithContext("refreshing the store"));
  return round;
}

}  // namespace trailbook::server
