// File: server/audit_folder.h
//
// AuditFolder: keeps the server's view of the store current while it serves. Every
// interval it folds the audit journal into regular store segments (audit::FoldAuditJournal)
// and refreshes the server's read-only Store handle, so that
//   - queries do not pay for an ever-growing journal tail (each group commit adds one
//     in-memory segment that every later query snapshot carries until a fold), and
//   - events ingested by another process since the last round become visible.
//
//   AuditFolder folder(store, std::chrono::seconds(2));
//   folder.Start();  ...  folder.Stop();
//
// The fold needs the store's writer lock. The folder takes it only for the fold itself and
// never waits for it: when another writer (an ingest) holds it, the round only refreshes.
// It folds through `store` itself (Store::BeginWrite/EndWrite), not a second handle, so a
// round does not reload the MANIFEST or remap the segments.
// While the folder holds it (one fold, typically milliseconds), a writer that starts fails
// with kResourceExhausted, as with any other writer.
//
// Thread safety: Start, Stop and FoldOnce are called by the owner; the background thread is
// the only other caller of FoldOnce. `store` is refreshed and written only by this class.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "base/status.h"
#include "base/thread_annotations.h"
#include "storage/store.h"

namespace trailbook::server {

// What one round did.
struct FoldRound {
  bool writer_busy = false;  // Another process held the store writer lock: nothing folded.
  uint64_t events = 0;       // Audit events folded.
};

class AuditFolder {
 public:
  // `store` is the server's read-only handle; it must outlive the folder. `interval` > 0.
  AuditFolder(storage::Store& store, std::chrono::milliseconds interval);
  ~AuditFolder();
  AuditFolder(const AuditFolder&) = delete;
  AuditFolder& operator=(const AuditFolder&) = delete;

  // Starts the background rounds. Idempotent.
  void Start();
  // Stops them and joins the thread. Idempotent.
  void Stop();

  // Runs one round now: fold when the journal tail holds events and the writer lock is
  // free, then refresh `store`. Errors: the fold's (kCorruption for a damaged journal,
  // kIOError) and the refresh's; the store handle keeps its previous state then.
  Result<FoldRound> FoldOnce();

 private:
  void Loop();
  // Returns the audit journal's size when it holds bytes past the committed fold point (one
  // stat, no store snapshot), else 0; also 0 when the journal has not grown since a fold
  // found no event past that point (digest records alone), so such rounds do not reopen
  // the store writer.
  uint64_t JournalSizeToFold() const;

  storage::Store& store_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ TB_GUARDED_BY(mu_) = false;
  std::thread thread_;
  uint64_t journal_size_without_events_ = 0;  // Touched only by FoldOnce's caller.
};

}  // namespace trailbook::server
