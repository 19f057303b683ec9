// File: storage/store.h
//
// Store: the on-disk event store: a directory with a MANIFEST commit log, a LOCK file, and
// immutable segment files under segments/YYYY-MM-DD/ (docs/format/store.md). One process
// writes at a time (flock on LOCK); any number read. Readers work on an immutable
// StoreSnapshot, so a concurrent commit never changes what a running query sees.
//
//   TB_ASSIGN_OR_RETURN(auto store, Store::Open(dir, Store::Mode::kReadWrite));
//   uint64_t id = store->AllocateSegmentId();
//   ... WriteSegment(store->SegmentDirectory(day), id, ...) ...
//   TB_RETURN_IF_ERROR(store->Commit(std::move(commit)));   // all-or-nothing
//   std::shared_ptr<const StoreSnapshot> snap = store->Snapshot();
//
// Crash safety: segment files are fsynced before the commit record that names them is
// appended and fsynced; a torn last record is ignored; files no commit names are deleted
// by the next writer. See docs/format/manifest.md.
//
// Thread safety: Snapshot(), AllocateSegmentId() and the accessors are thread-safe;
// Commit() may be called from one thread at a time (the ingest committer).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "base/thread_annotations.h"
#include "io/file.h"
#include "storage/dictionary_cache.h"
#include "storage/journal_tail.h"
#include "storage/manifest.h"
#include "storage/segment_reader.h"

namespace trailbook::storage {

// An immutable view of the store at one commit, plus the audit journal's unfolded tail.
// The committed segments and the tail are two shared, immutable lists: a new snapshot
// shares the committed list of the commit it is taken at and the tail view of the journal
// records read so far, so taking one costs O(1), whatever the number of segments or
// unfolded audit batches.
class StoreSnapshot {
 public:
  // Committed segments, ordered by (min_time, id).
  const std::vector<std::shared_ptr<const SegmentReader>>& segments() const {
    return committed_->segments;
  }
  const std::vector<SegmentInfo>& infos() const { return committed_->infos; }
  // The journal tail's in-memory segments (audit events only, ids with kJournalSegmentIdBit),
  // ordered by (min_time, id): few, as batches are coalesced (storage/journal_tail.h).
  const std::vector<std::shared_ptr<const SegmentReader>>& journal_segments() const {
    return journal_->segments;
  }
  const std::vector<SegmentInfo>& journal_infos() const { return journal_->infos; }
  uint64_t sequence() const { return sequence_; }
  // Totals over the committed segments and the journal tail.
  uint64_t row_count() const { return committed_->rows + journal_->rows; }
  uint64_t bytes() const { return committed_->bytes + journal_->bytes; }
  // Smallest and largest eventTime (0 when empty).
  int64_t min_time() const;
  int64_t max_time() const;
  const std::string& store_id() const { return store_id_; }
  // The last audit sequence folded into committed segments (0: none).
  uint64_t audit_folded_sequence() const { return audit_folded_sequence_; }
  // Audit events shown from the journal tail (not yet folded), and the last sequence among
  // them (0 when none).
  uint64_t journal_rows() const { return journal_->rows; }
  uint64_t journal_last_sequence() const { return journal_->last_sequence; }
  // Batch records (group commits) in the journal tail; journal_segments() are fewer.
  uint64_t journal_batches() const { return journal_->batches; }

 private:
  friend class Store;
  std::shared_ptr<const SegmentSet> committed_;
  std::shared_ptr<const SegmentSet> journal_;
  uint64_t sequence_ = 0;
  std::string store_id_;
  uint64_t audit_folded_sequence_ = 0;
  uint64_t audit_folded_offset_ = 0;
};

class Store {
 public:
  enum class Mode {
    kReadOnly,   // The store must exist; no lock is taken.
    kReadWrite,  // Created when missing; takes the writer lock (fails if held).
  };

  // Opens the store in `dir`. A writer whose lock is held by another process retries for up
  // to `lock_wait` (short-lived writers such as the server's audit fold hold it for
  // milliseconds). Errors: kNotFound (read-only, no store), kResourceExhausted (another
  // writer still holds the lock), kCorruption (damaged MANIFEST or segment), kIOError.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, Mode mode,
                                             const Clock& clock = SystemClock(),
                                             std::chrono::milliseconds lock_wait = {});
  ~Store();

  const std::string& dir() const { return dir_; }
  const std::string& store_id() const { return store_id_; }
  bool writable() const { return lock_ != nullptr; }

  // Returns the current state: the committed segments plus the audit events appended to
  // the audit journal (docs/format/audit.md) and not yet folded, as in-memory segments
  // (coalesced, storage/journal_tail.h). The journal is checked on every call (one fstat;
  // new records are read, parsed and coalesced once, by the first call that sees them), so
  // an audit event is visible to any snapshot taken after its Append returned. When
  // nothing changed the call returns the same snapshot object (no copy). A journal that
  // cannot be read leaves its unread part out (audit verify reports damage).
  std::shared_ptr<const StoreSnapshot> Snapshot() const TB_EXCLUDES(mu_, journal_mu_);

  // Returns the committed segments alone, without the audit journal's unfolded tail
  // (journal_segments() empty, journal_rows() 0): for readers that never show the tail's
  // events, such as a scan that hides audit events or reads pinned or incremental segment
  // ids. Costs one mutex and touches no file, so such readers neither read the journal
  // nor wait while another reader reads and coalesces it. Thread-safe.
  std::shared_ptr<const StoreSnapshot> CommittedSnapshot() const TB_EXCLUDES(mu_);

  // Re-reads the MANIFEST if another process committed since (read-only handles): only the
  // records appended since the last read, unless a writer replaced the file. Not to be
  // called concurrently with itself (one refreshing thread per handle).
  Status Refresh() TB_EXCLUDES(mu_);

  // Makes a read-only handle the store's writer for a short session (the server's audit
  // folder: one fold per round) without reopening the store: takes the writer lock without
  // waiting, reads the MANIFEST records committed since the handle last read it (dropping a
  // torn tail a dead writer left, as Open does), and removes orphan segment files. Until
  // EndWrite, writable() is true and Commit works as on a kReadWrite handle; snapshots keep
  // serving readers throughout. REQUIRES: a kReadOnly handle not in a session; Refresh,
  // BeginWrite, Commit and EndWrite are called from one thread. Errors: kResourceExhausted
  // (another writer holds the lock), kIOError, kCorruption; the handle stays read-only then.
  Status BeginWrite() TB_EXCLUDES(mu_);
  // Ends the session: releases the writer lock (the handle reads the MANIFEST again on its
  // next Refresh, from where its session left it). No-op outside a session.
  void EndWrite();

  // Returns a new segment id (writer only).
  uint64_t AllocateSegmentId() { return next_segment_id_.fetch_add(1); }

  // Returns (creating it) the directory for segments of UTC day `day`. Thread-safe.
  Result<std::string> SegmentDirectory(int64_t day);

  // Returns the path of a segment file.
  std::string SegmentPath(const SegmentInfo& info) const;

  // Durably commits `commit` (its sequence, time and next_segment_id are filled in):
  // syncs the directories of the added segments, appends the record, fsyncs, then publishes a new
  // snapshot. On error nothing is published, and the store must be reopened before the
  // next commit. Writer only.
  Status Commit(Commit commit) TB_EXCLUDES(mu_);

  // Looks up a ledger entry by path, or by content hash. Writer thread only.
  const LedgerEntry* LedgerByPath(const std::string& path) const;
  const LedgerEntry* LedgerByHash(const std::string& sha256) const;
  size_t ledger_size() const { return state_.ledger.size(); }

  // Returns a manifest property (e.g. audit chain head), or "" when unset.
  std::string Property(const std::string& key) const TB_EXCLUDES(mu_);

  // Drops the resident file pages (io::MappedFile::ReleasePages) of the committed segments
  // with ids in (the previous call's bound, through_segment_id]: a long-lived reader that has
  // finished with them (the monitor after a detection cycle) keeps its RSS from growing with
  // every segment it ever read. Later reads fault pages in again. Thread-safe.
  void ReleaseSegmentPages(uint64_t through_segment_id) TB_EXCLUDES(mu_);

  // The decoded segment dictionaries kept resident for this store's readers, at most
  // kDefaultSegmentDictionaryBytes unless changed with set_capacity_bytes (thread-safe).
  SegmentDictionaryCache& dictionary_cache() const { return *dictionary_cache_; }

 private:
  Store(std::string dir, const Clock& clock) : dir_(std::move(dir)), clock_(clock) {}
  Status Load(bool writable);
  Status PublishSnapshot() TB_EXCLUDES(mu_);
  // Brings state_ up to the MANIFEST on disk: replays only the records appended since the
  // last read when it is still the same file (device, inode), else the whole file, and
  // publishes a snapshot when anything changed. After an error the next call reads the
  // whole file.
  Status CatchUpWithManifest() TB_EXCLUDES(mu_);
  Status RemoveOrphans();
  Status MaybeRewriteManifest();
  // Reads journal records appended since the last call into journal_.
  void RefreshJournalTail() const TB_REQUIRES(journal_mu_);

  struct JournalState {
    // The journal, opened on first use and kept open: the file is append-only and never
    // replaced (docs/format/audit.md), so each Snapshot costs one fstat, not open+close.
    int fd = -1;
    uint64_t read_offset = 0;  // File offset up to which records were read.
    bool started = false;      // read_offset initialised from the fold offset.
    JournalTail tail;          // The batches read since the fold point, coalesced.
    // The last composed snapshot and what it was built from.
    std::shared_ptr<const StoreSnapshot> base;
    std::shared_ptr<const SegmentSet> view;
    std::shared_ptr<const StoreSnapshot> composed;
  };

  std::string dir_;
  const Clock& clock_;
  std::string store_id_;
  std::unique_ptr<io::FileLock> lock_;
  std::unique_ptr<io::AppendFile> manifest_;
  size_t manifest_valid_bytes_ = 0;
  ManifestState state_;  // writer thread (and Load); read-only handles: Refresh
  // Read-only handles: the MANIFEST file state_ was read from (device, inode; 0 = unknown,
  // read it whole) and its bytes replayed so far (complete records only).
  struct ReadManifest {
    uint64_t device = 0;
    uint64_t inode = 0;
    uint64_t valid_bytes = 0;
  };
  ReadManifest read_manifest_;
  bool write_session_ = false;  // Between BeginWrite and EndWrite.
  std::atomic<uint64_t> next_segment_id_{1};
  bool broken_ = false;
  // Shared with every reader this store opens (they may outlive the store in a snapshot).
  std::shared_ptr<SegmentDictionaryCache> dictionary_cache_ =
      std::make_shared<SegmentDictionaryCache>(kDefaultSegmentDictionaryBytes);

  mutable std::mutex mu_;
  std::shared_ptr<const StoreSnapshot> snapshot_ TB_GUARDED_BY(mu_);
  // Open readers by segment id, reused across snapshots.
  std::map<uint64_t, std::shared_ptr<const SegmentReader>> readers_ TB_GUARDED_BY(mu_);
  std::map<std::string, std::string> properties_ TB_GUARDED_BY(mu_);
  uint64_t pages_released_through_ TB_GUARDED_BY(mu_) = 0;

  mutable std::mutex journal_mu_;
  mutable JournalState journal_ TB_GUARDED_BY(journal_mu_);
};

// Returns "YYYY-MM-DD" for a UTC day number.
std::string DayName(int64_t day);

}  // namespace trailbook::storage
