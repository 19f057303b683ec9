#include "server/audit_folder.h"

#include <sys/stat.h>

#include <algorithm>

#include "audit/audit_fold.h"
#include "base/check.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_writer.h"
#include "storage/audit_journal.h"
#include "storage/segment_compaction.h"

namespace trailbook::server {

uint64_t JournalSegments(const storage::StoreSnapshot& snapshot) {
  return snapshot.journal_segments().size();
}

Result<std::vector<uint64_t>> SnapshotPinnedSegments(const std::string& store_dir) {
  const std::string dir = snapshot::SnapshotsDir(store_dir);
  TB_ASSIGN_OR_RETURN(std::vector<snapshot::SnapshotSummary> all, snapshot::ListSnapshots(dir));
  std::vector<uint64_t> ids;
  for (const snapshot::SnapshotSummary& summary : all) {
    Result<snapshot::SnapshotManifest> manifest = snapshot::ReadManifest(dir + "/" + summary.id);
    if (!manifest.ok()) {
      return manifest.status().WithContext("reading the segments snapshot " + summary.id + " pins");
    }
    ids.insert(ids.end(), manifest->store.segment_ids.begin(), manifest->store.segment_ids.end());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

AuditFolder::AuditFolder(storage::Store& store, std::chrono::milliseconds interval,
                         AuditFoldPolicy policy, const Clock& clock)
    : store_(store), interval_(interval), policy_(policy), clock_(clock) {
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
  if (!thread_.joinable()) return;
  thread_.join();
  // A fold at shutdown, so a restart does not begin with a tail to rebuild; on failure
  // the events stay in the journal (queryable as the tail, folded by the next writer).
  (void)FoldOnce();
}

void AuditFolder::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (cv_.wait_for(lock, interval_, [this] { return stopping_; })) break;
    lock.unlock();
    // A failed round leaves the journal as it is (still queryable as the tail); the next
    // round retries, and `audit verify` reports a damaged journal.
    (void)RunRound();
    lock.lock();
  }
}

uint64_t AuditFolder::UnfoldedJournalBytes(uint64_t* journal_size) const {
  *journal_size = 0;
  struct stat st;
  std::string path = store_.dir() + "/" + storage::kAuditJournalName;
  if (::stat(path.c_str(), &st) != 0) return 0;  // No journal yet (or unreadable: the fold says).
  auto size = static_cast<uint64_t>(st.st_size);
  *journal_size = size;
  const uint64_t folded = audit::AuditFoldedOffset(store_);
  if (size <= folded || size == journal_size_without_events_) return 0;
  return size - folded;
}

Result<FoldRound> AuditFolder::RunRound() { return Round(/*force=*/false); }

Result<FoldRound> AuditFolder::FoldOnce() { return Round(/*force=*/true); }

Result<FoldRound> AuditFolder::Round(bool force) {
  FoldRound round;
  uint64_t journal_size = 0;
  const uint64_t unfolded = UnfoldedJournalBytes(&journal_size);
  bool fold = false;
  if (unfolded == 0) {
    tail_seen_since_us_ = -1;
  } else {
    const int64_t now = clock_.MonotonicMicros();
    if (tail_seen_since_us_ < 0) tail_seen_since_us_ = now;
    const auto age = std::chrono::microseconds(now - tail_seen_since_us_);
    // Cheapest checks first: one stat and the clock; the batch count needs a snapshot (the
    // one a query would take anyway, cached while the journal does not grow). Batch
    // records, not segments: the snapshot coalesces them into few segments.
    fold = force || unfolded >= policy_.tail_bytes || age >= policy_.max_age ||
           store_.Snapshot()->journal_batches() >= policy_.tail_batches;
  }
  storage::SegmentCompactionOptions compaction;
  bool pins_read = false;
  // Counts without the snapshots' pins first (no file read); reads them only when that
  // count alone reaches the threshold. Committed segments only: the committed snapshot does
  // not read the journal, so a round that folds anyway never builds the tail it drops.
  auto compaction_due = [&]() -> Result<bool> {
    if (policy_.compact_segments == 0 ||
        storage::CountSmallSegments(*store_.CommittedSnapshot(), compaction) <
            policy_.compact_segments) {
      return false;
    }
    if (!pins_read) {
      TB_ASSIGN_OR_RETURN(compaction.keep, SnapshotPinnedSegments(store_.dir()));
      pins_read = true;
    }
    return storage::CountSmallSegments(*store_.CommittedSnapshot(), compaction) >=
           policy_.compact_segments;
  };
  // A snapshot manifest that cannot be read stops compaction (fail closed), never the fold.
  Status compaction_error;
  auto compact_now = [&] {
    Result<bool> due = compaction_due();
    if (!due.ok()) compaction_error = due.status();
    return due.ok() && *due;
  };
  bool compact = compact_now();
  if (fold || compact) {
    // The server's own handle turns writer for the session: reopening the store each round
    // would replay the whole MANIFEST and map every segment again (tens of ms on a large
    // store), and closing it would free all of that again.
    Status began = store_.BeginWrite();
    if (began.ok()) {
      Status s = [&]() -> Status {
        if (fold) {
          Result<audit::FoldResult> folded = audit::FoldAuditJournal(store_);
          if (!folded.ok()) return folded.status().WithContext("folding the audit journal");
          round.folded = true;
          round.events = folded->events;
          tail_seen_since_us_ = -1;
          // Only digest records (or a record still being written) past the fold point: do
          // not take the writer lock for them every round, only once the journal grows.
          journal_size_without_events_ = folded->events == 0 ? journal_size : 0;
        }
        if (fold && !compact) compact = compact_now();  // The fold added a segment.
        if (compact) {
          Result<storage::SegmentCompaction> compacted =
              storage::CompactSegments(store_, compaction);
          if (!compacted.ok()) {
            return compacted.status().WithContext("compacting audit segments");
          }
          round.segments_compacted = compacted->segments_removed;
        }
        return Status::OK();
      }();
      store_.EndWrite();
      TB_RETURN_IF_ERROR(s);
    } else if (began.code() == StatusCode::kResourceExhausted) {
      round.writer_busy = true;
    } else {
      return began.WithContext("taking the store writer lock to fold the audit journal");
    }
  }
  TB_RETURN_IF_ERROR(store_.Refresh().WithContext("refreshing the store"));
  TB_RETURN_IF_ERROR(compaction_error.WithContext("compacting audit segments"));
  return round;
}

}  // namespace trailbook::server
