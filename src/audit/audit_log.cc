#include "audit/audit_log.h"

#include <fcntl.h>
#include <pthread.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "audit/audit_digest.h"
#include "audit/audit_event_json.h"
#include "audit/audit_journal_io.h"
#include "auth/jwks/jwk_json.h"
#include "auth/jwks/key_files.h"
#include "base/check.h"
#include "base/timestamp.h"
#include "crypto/digest.h"
#include "io/file.h"
#include "storage/audit_journal.h"
#include "storage/row_batch.h"
#include "storage/segment_writer.h"
#include "storage/store.h"
#include "storage/zstd_codec.h"

namespace trailbook::audit {

static_assert(std::string_view(kAuditEventSource) == storage::kJournalEventSource,
              "queries skip journal segments by this source; the two must agree");

namespace {

// Sleeps while `word` holds `expected` (returns at once when it does not; may return
// spuriously). A bare futex: std::atomic::wait first spins with sched_yield, and on a busy
// machine each yield is a context switch more per waiting caller.
void FutexWait(std::atomic<uint32_t>& word, uint32_t expected) {
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr,
            nullptr, 0);
}

// Wakes the one thread sleeping on `word`, if any.
void FutexWake(std::atomic<uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr,
            nullptr, 0);
}

// The chain head as known from the journal.
struct Head {
  uint64_t end_offset = 0;  // Journal bytes read and validated.
  uint64_t sequence = 0;    // Last sequence (0: none).
  std::string hash = kGenesisHash;
};

// JournalAuditLog: the AuditLog over the store's audit journal.
//
// Every append is queued (with a ticket, in arrival order) for the log's writer thread,
// which takes everything queued (up to max_batch_events), commits it as one journal record
// under the cross-process journal lock (sequenced and chained, visible to queries), then
// fdatasyncs it and completes the batch: Append's callers are woken with their receipts
// (each sleeps on its own futex word), WhenDurable callbacks run with their outcomes.
// The events that arrive while the writer writes and syncs form its next batch (one sync
// per batch; each batch is a journal record every store handle reads and coalesces until
// the fold, so batches should not be tiny). AppendPending only queues a copy of the event and returns its
// ticket, so a server's handler thread never waits for the write or the sync. A failed
// write fails its batch's events; a failed fdatasync fails its batch and every later append
// of this log (the kernel may have dropped the dirty pages; reopen after checking the disk):
// no caller is told an event is durable that may not be.
class JournalAuditLog final : public AuditLog {
 public:
  JournalAuditLog(std::string store_dir, AuditLogOptions options, const Clock& clock)
      : store_dir_(std::move(store_dir)), options_(std::move(options)), clock_(clock) {}
  ~JournalAuditLog() override {
    StopWriter();
    if (fd_ >= 0) ::close(fd_);
  }

  Status Init();
  Result<AuditReceipt> Append(const AuditEvent& event) override;
  Result<AuditReceipt> AppendPending(const AuditEvent& event) override;
  void WhenDurable(uint64_t ticket, DurableCallback done) override;
  Status Health() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return sync_failure_;
  }
  Result<DigestReceipt> WriteDigest() override;

 private:
  // Where a caller of Append sleeps until its event is durable (or failed). Owned by the
  // log (waiters_), not by the caller, because the writer wakes it after storing kDone,
  // when the caller may already have returned: the object outlives every such wake. The
  // caller gives its waiter back after reading kDone.
  struct Waiter {
    static constexpr uint32_t kWaiting = 0;
    static constexpr uint32_t kDone = 1;  // The caller's result is set.
    std::atomic<uint32_t> state{kWaiting};
  };

  // One queued event. Owned by the queue, then by the writer's batch.
  struct Pending {
    const AuditEvent* event = nullptr;  // `owned`, or Append's caller's (it waits).
    std::optional<AuditEvent> owned;     // AppendPending's copy.
    uint64_t ticket = 0;
    Waiter* waiter = nullptr;             // Append: woken once `*out` is set.
    Result<AuditReceipt>* out = nullptr;  // Append: the caller's result.
    Result<AuditReceipt> result = Status(StatusCode::kInternal, "audit event not committed");
  };

  Waiter* TakeWaiter();
  void ReturnWaiter(Waiter* w);
  // Queues `pending` for the writer and returns its ticket; the log's sticky failure if any.
  Result<uint64_t> Enqueue(std::unique_ptr<Pending> pending);
  // The writer thread: commits queued batches, syncs them, completes their callers.
  void WriteLoop();
  // Commits and syncs `batch`; returns the fdatasync failure (sticky), or OK (the events'
  // own outcomes are in their results).
  Status WriteBatch(std::vector<std::unique_ptr<Pending>>& batch);
  void StopWriter();

  // Commits `batch`. Sets each Pending's result.
  void CommitBatch(std::vector<Pending*>& batch) TB_REQUIRES(commit_mu_);
  Status CommitLocked(std::vector<Pending*>& batch) TB_REQUIRES(commit_mu_);
  // Reads records other processes appended; truncates a torn tail. REQUIRES: journal lock.
  Status SyncHead() TB_REQUIRES(commit_mu_);
  // Writes `bytes` at the end of the journal; with `sync`, fdatasyncs them too.
  Status WriteAll(std::string_view bytes, bool sync) TB_REQUIRES(commit_mu_);
  Result<DigestReceipt> WriteDigestLocked() TB_REQUIRES(commit_mu_);
  Status PublishKey() TB_REQUIRES(commit_mu_);
  // Reads the chain fields of sequence 1 (the journal's first record).
  Result<AuditChainFields> ReadFirstEvent() TB_REQUIRES(commit_mu_);

  const std::string store_dir_;
  const AuditLogOptions options_;
  const Clock& clock_;
  std::string journal_path_;
  std::string lock_path_;
  std::string store_id_;
  std::optional<auth::Signer> signer_;

  // The queue and the completion state. Invariant: durable_ticket_ <= next_ticket_; every
  // callback's ticket > durable_ticket_.
  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // The writer waits here for a queued event or stop_.
  std::deque<std::unique_ptr<Pending>> queue_ TB_GUARDED_BY(mu_);
  uint64_t next_ticket_ TB_GUARDED_BY(mu_) = 0;     // Last ticket given.
  uint64_t durable_ticket_ TB_GUARDED_BY(mu_) = 0;  // Every ticket up to here is settled.
  // Settled tickets of AppendPending events that failed, until WhenDurable reports them.
  std::map<uint64_t, Status> failed_ TB_GUARDED_BY(mu_);
  std::multimap<uint64_t, DurableCallback> callbacks_ TB_GUARDED_BY(mu_);
  Status sync_failure_ TB_GUARDED_BY(mu_);  // Set by a failed fdatasync; sticky.
  bool stop_ TB_GUARDED_BY(mu_) = false;
  std::thread writer_;

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Waiter>> waiters_ TB_GUARDED_BY(pool_mu_);  // Every one made.
  std::vector<Waiter*> free_waiters_ TB_GUARDED_BY(pool_mu_);

  // Held by the writer while committing, and by WriteDigest.
  std::mutex commit_mu_;
  int fd_ = -1;
  Head head_ TB_GUARDED_BY(commit_mu_);
  bool head_valid_ TB_GUARDED_BY(commit_mu_) = true;
  // Level 1: a batch's segments live only until the fold re-encodes their events (and are
  // read by audit:read queries alone), so compressing them harder is CPU for nothing.
  storage::ZstdCodec codec_ TB_GUARDED_BY(commit_mu_){1};
  crypto::Sha256Hasher hasher_ TB_GUARDED_BY(commit_mu_);  // The chain hash, reused.
  AuditEventRenderer renderer_ TB_GUARDED_BY(commit_mu_);
  json::CanonicalJson canonical_ TB_GUARDED_BY(commit_mu_);
};

Status JournalAuditLog::Init() {
  if (!io::Exists(store_dir_ + "/MANIFEST")) {
    // The audit log lives in a store; create it (unless another process is doing so).
    auto store = storage::Store::Open(store_dir_, storage::Store::Mode::kReadWrite, clock_);
    if (!store.ok() && store.status().code() != StatusCode::kResourceExhausted) {
      return store.status();
    }
  }
  TB_RETURN_IF_ERROR(io::CreateDirectories(store_dir_ + "/" + storage::kAuditDirName));
  journal_path_ = store_dir_ + "/" + storage::kAuditJournalName;
  lock_path_ = store_dir_ + "/" + storage::kAuditJournalLockName;
  bool existed = io::Exists(journal_path_);
  fd_ = ::open(journal_path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return io::ErrnoError("open audit journal", journal_path_, errno);
  if (!existed) TB_RETURN_IF_ERROR(io::SyncDirectory(store_dir_ + "/" + storage::kAuditDirName));
  if (!options_.digest_key_path.empty()) {
    Result<auth::Signer> signer = auth::LoadSigningKeyFile(options_.digest_key_path);
    if (!signer.ok()) return signer.status().WithContext("audit digest key");
    TB_RETURN_IF_ERROR(ValidateDigestSigner(*signer).WithContext(options_.digest_key_path));
    signer_.emplace(std::move(*signer));
  }
  std::lock_guard<std::mutex> lock(commit_mu_);
  TB_ASSIGN_OR_RETURN(JournalStart start, ReadJournalStart(store_dir_));
  head_.end_offset = start.offset;
  head_.sequence = start.sequence;
  head_.hash = start.hash;
  store_id_ = start.store_id;
  TB_ASSIGN_OR_RETURN(auto file_lock, io::FileLock::Acquire(lock_path_, /*wait=*/true));
  TB_RETURN_IF_ERROR(SyncHead());
  writer_ = std::thread([this] { WriteLoop(); });
  return Status::OK();
}

void JournalAuditLog::StopWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void JournalAuditLog::WriteLoop() {
  pthread_setname_np(pthread_self(), "tb-audit-write");
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // Stopping with nothing left to write.
    std::vector<std::unique_ptr<Pending>> batch;
    const size_t n = std::min(queue_.size(), options_.max_batch_events);
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    Status failure = sync_failure_;
    lock.unlock();
    if (failure.ok()) failure = WriteBatch(batch);
    lock.lock();
    if (!failure.ok() && sync_failure_.ok()) sync_failure_ = failure;
    std::vector<Waiter*> woken;
    for (const std::unique_ptr<Pending>& p : batch) {
      if (!failure.ok()) p->result = failure;
      if (p->waiter != nullptr) {
        *p->out = std::move(p->result);
        woken.push_back(p->waiter);
      } else if (!p->result.ok()) {
        failed_.emplace(p->ticket, p->result.status());
      }
    }
    durable_ticket_ = batch.back()->ticket;
    std::vector<std::pair<DurableCallback, Status>> ready;
    auto end = callbacks_.upper_bound(durable_ticket_);
    for (auto it = callbacks_.begin(); it != end; ++it) {
      Status status;
      if (auto f = failed_.find(it->first); f != failed_.end()) {
        status = f->second;
        failed_.erase(f);
      }
      ready.emplace_back(std::move(it->second), std::move(status));
    }
    callbacks_.erase(callbacks_.begin(), end);
    lock.unlock();
    for (Waiter* w : woken) {
      w->state.store(Waiter::kDone, std::memory_order_release);
      FutexWake(w->state);
    }
    for (auto& [done, status] : ready) done(status);
    ready.clear();
    batch.clear();  // Frees the copies outside the lock.
    lock.lock();
  }
  // Only callbacks for tickets never given remain (a caller broke WhenDurable's contract).
  std::multimap<uint64_t, DurableCallback> orphans = std::move(callbacks_);
  callbacks_.clear();
  lock.unlock();
  for (auto& [ticket, done] : orphans) {
    done(Status(StatusCode::kInternal, "audit log closed before ticket " +
                                           std::to_string(ticket) + " was written"));
  }
}

Status JournalAuditLog::WriteBatch(std::vector<std::unique_ptr<Pending>>& batch) {
  std::vector<Pending*> pending;
  pending.reserve(batch.size());
  for (const std::unique_ptr<Pending>& p : batch) pending.push_back(p.get());
  {
    std::lock_guard<std::mutex> commit(commit_mu_);
    CommitBatch(pending);
  }
  bool written = std::any_of(pending.begin(), pending.end(),
                             [](const Pending* p) { return p->result.ok(); });
  if (!written) return Status::OK();
  // Syncs every record written before this call, including other processes' (same file).
  if (::fdatasync(fd_) != 0) return io::ErrnoError("fdatasync", journal_path_, errno);
  return Status::OK();
}

void JournalAuditLog::WhenDurable(uint64_t ticket, DurableCallback done) {
  Status status;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ticket > durable_ticket_) {
      callbacks_.emplace(ticket, std::move(done));
      return;
    }
    if (auto f = failed_.find(ticket); f != failed_.end()) {
      status = f->second;
      failed_.erase(f);
    }
  }
  done(status);
}

Status JournalAuditLog::SyncHead() {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return io::ErrnoError("fstat", journal_path_, errno);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size < head_.end_offset) {
    head_valid_ = false;
    return Corruption(journal_path_ + ": audit journal is shorter (" + std::to_string(size) +
                      " bytes) than its acknowledged records (" +
                      std::to_string(head_.end_offset) + "); run `trailbook audit verify`");
  }
  if (size == head_.end_offset) {
    head_valid_ = true;
    return Status::OK();
  }
  TB_ASSIGN_OR_RETURN(std::string bytes,
                      ReadFileRange(fd_, journal_path_, head_.end_offset, size));
  storage::JournalScan scan = storage::ScanJournal(bytes, head_.end_offset);
  const storage::JournalRecord* last_batch = nullptr;
  for (const storage::JournalRecord& r : scan.records) {
    if (r.kind != storage::kJournalRecordBatch) continue;
    if (r.first_sequence != head_.sequence + 1) {
      head_valid_ = false;
      return Corruption(journal_path_ + ": audit journal record at byte " +
                        std::to_string(r.offset) + " starts at sequence " +
                        std::to_string(r.first_sequence) + ", expected " +
                        std::to_string(head_.sequence + 1) + "; run `trailbook audit verify`");
    }
    head_.sequence = r.last_sequence();
    last_batch = &r;
  }
  if (last_batch != nullptr) {
    Result<std::string> hash = HashAuditEventJson(last_batch->events.back(), &canonical_);
    if (!hash.ok()) {
      head_valid_ = false;
      return Corruption(journal_path_ + ": audit event " + std::to_string(head_.sequence) +
                        " is not valid JSON");
    }
    head_.hash = *hash;
  }
  head_.end_offset += scan.valid_bytes;
  if (scan.end == storage::JournalEnd::kCorrupt) {
    head_valid_ = false;
    return Corruption(journal_path_ + ": audit journal damaged: " + scan.problem +
                      "; run `trailbook audit verify`");
  }
  if (scan.end == storage::JournalEnd::kIncomplete) {
    // A writer died mid-record while holding the lock we now hold; its record was never
    // acknowledged. Drop it so the next record follows the last valid one.
    if (::ftruncate(fd_, static_cast<off_t>(head_.end_offset)) != 0) {
      head_valid_ = false;
      return io::ErrnoError("ftruncate torn audit record", journal_path_, errno);
    }
    if (::fdatasync(fd_) != 0) {
      head_valid_ = false;
      return io::ErrnoError("fdatasync", journal_path_, errno);
    }
  }
  head_valid_ = true;
  return Status::OK();
}

Status JournalAuditLog::WriteAll(std::string_view bytes, bool sync) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io::ErrnoError("write audit journal", journal_path_, errno);
    done += static_cast<size_t>(n);
  }
  if (sync && ::fdatasync(fd_) != 0) return io::ErrnoError("fdatasync", journal_path_, errno);
  return Status::OK();
}

JournalAuditLog::Waiter* JournalAuditLog::TakeWaiter() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (free_waiters_.empty()) {
    waiters_.push_back(std::make_unique<Waiter>());
    return waiters_.back().get();
  }
  Waiter* w = free_waiters_.back();
  free_waiters_.pop_back();
  return w;
}

void JournalAuditLog::ReturnWaiter(Waiter* w) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  free_waiters_.push_back(w);
}

Result<uint64_t> JournalAuditLog::Enqueue(std::unique_ptr<Pending> pending) {
  bool wake;
  uint64_t ticket;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!sync_failure_.ok()) return sync_failure_;
    ticket = ++next_ticket_;
    pending->ticket = ticket;
    // The writer waits only on an empty queue; otherwise it takes this event next round.
    wake = queue_.empty();
    queue_.push_back(std::move(pending));
  }
  if (wake) work_cv_.notify_one();
  return ticket;
}

Result<AuditReceipt> JournalAuditLog::Append(const AuditEvent& event) {
  Result<AuditReceipt> out = Status(StatusCode::kInternal, "audit event not committed");
  Waiter* waiter = TakeWaiter();
  waiter->state.store(Waiter::kWaiting, std::memory_order_relaxed);
  auto pending = std::make_unique<Pending>();
  pending->event = &event;
  pending->waiter = waiter;
  pending->out = &out;
  Result<uint64_t> ticket = Enqueue(std::move(pending));
  if (!ticket.ok()) {
    ReturnWaiter(waiter);
    return ticket.status();
  }
  while (waiter->state.load(std::memory_order_acquire) != Waiter::kDone) {
    FutexWait(waiter->state, Waiter::kWaiting);
  }
  ReturnWaiter(waiter);
  if (out.ok()) out->ticket = *ticket;
  return out;
}

Result<AuditReceipt> JournalAuditLog::AppendPending(const AuditEvent& event) {
  auto pending = std::make_unique<Pending>();
  pending->owned.emplace(event);
  pending->event = &*pending->owned;
  TB_ASSIGN_OR_RETURN(uint64_t ticket, Enqueue(std::move(pending)));
  AuditReceipt receipt;
  receipt.ticket = ticket;
  return receipt;
}

void JournalAuditLog::CommitBatch(std::vector<Pending*>& batch) {
  Status s = CommitLocked(batch);
  if (!s.ok()) {
    for (Pending* p : batch) {
      if (p->result.ok()) p->result = s;
    }
  }
}

Status JournalAuditLog::CommitLocked(std::vector<Pending*>& batch) {
  for (Pending* p : batch) p->result = Status(StatusCode::kInternal, "audit event not committed");
  TB_ASSIGN_OR_RETURN(auto file_lock, io::FileLock::Acquire(lock_path_, /*wait=*/true));
  TB_RETURN_IF_ERROR(SyncHead());

  int64_t now = clock_.NowMicros();
  std::vector<std::string> events;
  std::vector<Pending*> accepted;
  std::vector<AuditReceipt> receipts;
  uint64_t sequence = head_.sequence;
  std::string previous = head_.hash;
  storage::RowBatch rows;
  for (Pending* p : batch) {
    AuditStamp stamp;
    stamp.sequence = sequence + 1;
    stamp.previous_hash = previous;
    TB_ASSIGN_OR_RETURN(stamp.event_id, crypto::RandomUuid());
    // The event's own request id wins (RenderAuditEventJson); make one only when it has none.
    if (p->event->request_id.empty()) {
      TB_ASSIGN_OR_RETURN(stamp.request_id, crypto::RandomUuid());
    }
    stamp.event_time_us = now;
    stamp.account_id = options_.account_id;
    stamp.region = options_.region;
    // The row is built from the event's fields, not parsed back from the JSON.
    std::string json;
    Status rendered = renderer_.Render(*p->event, stamp, &json, &rows);
    if (!rendered.ok()) {
      p->result = rendered;  // The caller's bad input; the rest of the batch goes on.
      continue;
    }
    // Rendered canonical: the chain hash is over the bytes as stored.
    hasher_.Update(json);
    std::string hash = crypto::ToHex(hasher_.Finish());
    sequence = stamp.sequence;
    previous = hash;
    AuditReceipt receipt;
    receipt.sequence = sequence;
    receipt.event_id = stamp.event_id;
    receipt.event_hash = std::move(hash);
    receipts.push_back(std::move(receipt));
    accepted.push_back(p);
    events.push_back(std::move(json));
  }
  if (accepted.empty()) return Status::OK();

  // One segment per UTC day, rows in eventTime order, as every segment requires.
  std::map<int64_t, std::vector<uint32_t>> by_day;
  for (uint32_t r = 0; r < rows.row_count(); ++r) by_day[DayOf(rows.event_time(r))].push_back(r);
  std::vector<std::string> segments;
  storage::SegmentWriteOptions write_options;
  uint64_t first = head_.sequence + 1;
  for (auto& [day, day_rows] : by_day) {
    std::stable_sort(day_rows.begin(), day_rows.end(), [&](uint32_t a, uint32_t b) {
      return rows.event_time(a) < rows.event_time(b);
    });
    uint64_t id = storage::kJournalSegmentIdBit | (first + segments.size());
    segments.push_back(
        storage::EncodeSegment(id, day, rows, day_rows, write_options, codec_));
  }
  std::string record = storage::EncodeJournalBatch(first, events, segments);
  if (record.size() > storage::kMaxJournalRecordSize + storage::kRecordHeaderSize) {
    return ResourceExhausted("audit batch of " + std::to_string(events.size()) +
                             " events exceeds the journal record limit");
  }
  Status written = WriteAll(record, /*sync=*/false);
  if (!written.ok()) {
    // Whatever reached the file is a torn record; the next SyncHead drops it.
    head_valid_ = false;
    return written;
  }
  head_.end_offset += record.size();
  head_.sequence = sequence;
  head_.hash = previous;
  for (size_t i = 0; i < accepted.size(); ++i) accepted[i]->result = std::move(receipts[i]);
  return Status::OK();
}

Result<DigestReceipt> JournalAuditLog::WriteDigest() {
  if (!signer_) {
    return InvalidArgument("no audit digest key configured (set the digest key file, "
                           "created by `trailbook keygen`)");
  }
  std::lock_guard<std::mutex> commit(commit_mu_);
  return WriteDigestLocked();
}

Status JournalAuditLog::PublishKey() {
  std::string path = store_dir_ + "/" + kDigestKeysName;
  std::optional<auth::ParsedJwks> parsed;
  std::vector<const auth::Jwk*> keys;
  if (io::Exists(path)) {
    TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path, auth::kMaxJwksBytes));
    Result<auth::ParsedJwks> p = auth::ParseJwks(text, {});
    if (!p.ok()) return p.status().WithContext(path);
    parsed.emplace(std::move(*p));
    for (const auth::Jwk& k : parsed->set.keys()) keys.push_back(&k);
  }
  const auth::Jwk& mine = signer_->verification_key();
  for (const auth::Jwk* k : keys) {
    if (k->kid() == mine.kid()) {
      if (auth::JwkThumbprint(*k) == auth::JwkThumbprint(mine)) return Status::OK();
      return InvalidArgument(path + ": key id '" + *mine.kid() +
                             "' is already published for another key; give the new digest "
                             "key a new kid");
    }
  }
  keys.push_back(&mine);
  return io::WriteFileAtomic(path, auth::JwksToJson(keys, false), 0644);
}

Result<AuditChainFields> JournalAuditLog::ReadFirstEvent() {
  uint64_t to = std::min<uint64_t>(head_.end_offset, storage::kMaxJournalRecordSize +
                                                         storage::kRecordHeaderSize);
  TB_ASSIGN_OR_RETURN(std::string bytes, ReadFileRange(fd_, journal_path_, 0, to));
  storage::JournalScan scan = storage::ScanJournal(bytes, 0);
  for (const storage::JournalRecord& r : scan.records) {
    if (r.kind != storage::kJournalRecordBatch) continue;
    if (r.first_sequence != 1) break;
    return ReadAuditChainFields(r.events.front());
  }
  return Corruption(journal_path_ + ": the first audit journal record is not sequence 1");
}

Result<DigestReceipt> JournalAuditLog::WriteDigestLocked() {
  TB_ASSIGN_OR_RETURN(auto file_lock, io::FileLock::Acquire(lock_path_, /*wait=*/true));
  TB_RETURN_IF_ERROR(SyncHead());
  std::string dir = store_dir_ + "/" + kDigestDirName;
  TB_RETURN_IF_ERROR(io::CreateDirectories(dir));
  TB_ASSIGN_OR_RETURN(std::optional<AuditDigest> previous, ReadLatestDigest(dir));
  DigestReceipt receipt;
  uint64_t covered = previous ? previous->last_sequence : 0;
  if (covered > head_.sequence) {
    return Corruption("the latest audit digest covers sequence " + std::to_string(covered) +
                      " but the journal ends at " + std::to_string(head_.sequence) +
                      "; run `trailbook audit verify`");
  }
  if (covered == head_.sequence) return receipt;

  AuditDigest digest;
  if (previous) {
    // The chain links the previous digest's head to the first event covered now.
    digest.start_time_us = previous->end_time_us;
    digest.first_previous_hash = previous->head_hash;
  } else {
    TB_ASSIGN_OR_RETURN(AuditChainFields first, ReadFirstEvent());
    digest.start_time_us = first.event_time_us;
    digest.first_previous_hash = first.previous_hash;
  }
  digest.store_id = store_id_;
  digest.account_id = options_.account_id;
  digest.region = options_.region;
  digest.end_time_us = std::max(clock_.NowMicros(), digest.start_time_us);
  digest.first_sequence = covered + 1;
  digest.last_sequence = head_.sequence;
  digest.head_hash = head_.hash;
  if (previous) {
    digest.previous_last_sequence = previous->last_sequence;
    digest.previous_digest_signature = previous->signature;
  }
  TB_RETURN_IF_ERROR(SignDigest(*signer_, &digest));
  TB_RETURN_IF_ERROR(PublishKey());
  std::string text = DigestToJson(digest);
  receipt.path = dir + "/" + DigestFileName(digest.last_sequence);
  TB_RETURN_IF_ERROR(io::WriteFileAtomic(receipt.path, text, 0644));
  // The journal keeps a copy, so deleting the file is detectable (and vice versa).
  std::string record = storage::EncodeJournalDigest(text);
  Status written = WriteAll(record, /*sync=*/true);
  if (!written.ok()) {
    head_valid_ = false;
    return written;
  }
  head_.end_offset += record.size();
  receipt.written = true;
  receipt.first_sequence = digest.first_sequence;
  receipt.last_sequence = digest.last_sequence;
  receipt.signature = digest.signature;
  return receipt;
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& store_dir,
                                                 const AuditLogOptions& options) {
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock();
  if (options.max_batch_events == 0) return InvalidArgument("max_batch_events must be > 0");
  auto log = std::make_unique<JournalAuditLog>(store_dir, options, clock);
  TB_RETURN_IF_ERROR(log->Init().WithContext("opening audit log in " + store_dir));
  return std::unique_ptr<AuditLog>(std::move(log));
}

}  // namespace trailbook::audit
