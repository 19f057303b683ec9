// File: server/audit_folder.h
//
// AuditFolder: keeps the server's view of the store current while it serves. Every
// interval it refreshes the server's read-only Store handle (so events ingested by another
// process become visible) and checks, cheaply, whether the audit journal's unfolded tail is
// due for a fold into regular store segments (audit::FoldAuditJournal). A fold is due when
// the tail (the journal past the committed fold point)
//   - holds at least `tail_bytes` bytes, or
//   - holds at least `tail_batches` batch records (group commits; each store handle
//     coalesces their in-memory segments, but re-encodes and keeps them until the fold), or
//   - has held events for `max_age` (measured from the first round that saw them).
// Stop() folds whatever is left. Folding by size and age instead of every interval keeps
// the number of folded segments down; what folds still write is merged by compaction: once
// `compact_segments` small audit-only segments are committed, the round merges them per
// UTC day (storage::CompactSegments) in the same writer session.
//
//   AuditFolder folder(store, std::chrono::seconds(1), AuditFoldPolicy{});
//   folder.Start();  ...  folder.Stop();
//
// The fold needs the store's writer lock. The folder takes it only for the fold (and the
// compaction) itself and never waits for it: when another writer (an ingest) holds it, the
// round only refreshes and the next round tries again. It writes through `store` itself
// (Store::BeginWrite/EndWrite), not a second handle, so a round does not reload the
// MANIFEST or remap the segments. While the folder holds it (one fold, typically
// milliseconds; a compaction rewrites at most a few small segments' worth of rows), a
// writer that starts fails with kResourceExhausted, as with any other writer.
//
// Segments a snapshot pins (<store>/snapshots/*/manifest.json) are never compacted: a
// snapshot's re-run must read exactly the segments it names.
//
// Thread safety: Start, Stop, FoldOnce and RunRound are called by the owner; the
// background thread is the only other caller of RunRound. `store` is refreshed and written
// only by this class.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "base/thread_annotations.h"
#include "storage/store.h"

namespace trailbook::server {

// When a round folds and compacts (serve_config.h has the YAML keys and docs/server.md
// why these defaults).
struct AuditFoldPolicy {
  uint64_t tail_bytes = 8u << 20;       // Fold once the unfolded journal holds this many bytes,
  uint64_t tail_batches = 256;          // or this many batch records (group commits),
  std::chrono::seconds max_age{60};     // or has held events this long (0: every round).
  size_t compact_segments = 32;         // Compact at this many small audit segments (0: never).
};

// What one round did.
struct FoldRound {
  bool writer_busy = false;  // Another process held the store writer lock: nothing written.
  bool folded = false;       // A fold ran (it may have found only digest records).
  uint64_t events = 0;       // Audit events folded.
  uint64_t segments_compacted = 0;  // Small audit segments merged away (inputs removed).
};

// Returns the committed segment ids that the snapshots of the store in `store_dir` pin,
// sorted and unique (what compaction must keep). Fails closed: a snapshot whose manifest
// cannot be read is an error (kCorruption, kIOError naming it), so nothing it might pin is
// removed.
Result<std::vector<uint64_t>> SnapshotPinnedSegments(const std::string& store_dir);

// Returns how many of `snapshot`'s segments are the journal tail's in-memory ones (coalesced:
// fewer than its batch records, StoreSnapshot::journal_batches()).
uint64_t JournalSegments(const storage::StoreSnapshot& snapshot);

class AuditFolder {
 public:
  // `store` is the server's read-only handle and `clock` times the tail's age; both must
  // outlive the folder. `interval` > 0.
  AuditFolder(storage::Store& store, std::chrono::milliseconds interval,
              AuditFoldPolicy policy = {}, const Clock& clock = SystemClock());
  ~AuditFolder();
  AuditFolder(const AuditFolder&) = delete;
  AuditFolder& operator=(const AuditFolder&) = delete;

  // Starts the background rounds (RunRound every interval). Idempotent.
  void Start();
  // Stops them, joins the thread and, when they were running, folds what is left (a final
  // FoldOnce; its error is dropped: the events stay in the journal, queryable as the tail
  // and folded by the next writer). Idempotent.
  void Stop();

  // Runs one round now: folds when the policy says the tail is due and the writer lock is
  // free, compacts when enough small audit segments are committed, then refreshes `store`.
  // Errors: the fold's (kCorruption for a damaged journal, kIOError), the compaction's and
  // the refresh's; the store handle keeps its previous state then.
  Result<FoldRound> RunRound();
  // Like RunRound, but folds whenever the tail holds anything past the fold point,
  // whatever the policy (shutdown, tests).
  Result<FoldRound> FoldOnce();

 private:
  void Loop();
  Result<FoldRound> Round(bool force);
  // Returns the bytes of the audit journal past the committed fold point and sets
  // `*journal_size` to the whole file's (one stat, no
  // store snapshot), or 0 when there are none; also 0 when the journal has not grown since
  // a fold found no event past that point (digest records alone), so such rounds do not
  // reopen the store writer.
  uint64_t UnfoldedJournalBytes(uint64_t* journal_size) const;

  storage::Store& store_;
  const std::chrono::milliseconds interval_;
  const AuditFoldPolicy policy_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ TB_GUARDED_BY(mu_) = false;
  std::thread thread_;
  // Touched only by the rounds' caller (one at a time):
  uint64_t journal_size_without_events_ = 0;
  int64_t tail_seen_since_us_ = -1;  // Monotonic time a round first saw the tail; -1: empty.
};

}  // namespace trailbook::server
