#include "storage/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "base/timestamp.h"
#include "crypto/digest.h"
#include "storage/audit_journal.h"

namespace trailbook::storage {
namespace {

constexpr char kManifestName[] = "MANIFEST";
constexpr char kLockName[] = "LOCK";
constexpr char kSegmentsDir[] = "segments";
// Rewrite the log as one snapshot record once it is this large and mostly history.
constexpr size_t kManifestRewriteBytes = 8u << 20;

}  // namespace

void Store::ReleaseSegmentPages(uint64_t through_segment_id) {
  std::vector<std::shared_ptr<const SegmentReader>> release;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (through_segment_id <= pages_released_through_) return;
    for (auto it = readers_.upper_bound(pages_released_through_);
         it != readers_.end() && it->first <= through_segment_id; ++it) {
      release.push_back(it->second);
    }
    pages_released_through_ = through_segment_id;
  }
  for (const auto& reader : release) reader->ReleasePages();
}

std::string DayName(int64_t day) {
  int64_t y = 0;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, Mode mode,
                                           const Clock& clock,
                                           std::chrono::milliseconds lock_wait) {
  std::unique_ptr<Store> store(new Store(dir, clock));
  bool writable = mode == Mode::kReadWrite;
  if (writable) {
    TB_RETURN_IF_ERROR(io::CreateDirectories(dir));
    const auto deadline = std::chrono::steady_clock::now() + lock_wait;
    while (true) {
      Result<std::unique_ptr<io::FileLock>> lock =
          io::FileLock::Acquire(dir + "/" + kLockName, false);
      if (lock.ok()) {
        store->lock_ = std::move(lock).value();
        break;
      }
      if (lock.status().code() != StatusCode::kResourceExhausted ||
          std::chrono::steady_clock::now() >= deadline) {
        return lock.status();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  } else if (!io::Exists(dir + "/" + kManifestName)) {
    return NotFound(dir + ": no trailbook store here (no MANIFEST); run `trailbook ingest` first");
  }
  Status s = store->Load(writable);
  if (!s.ok()) return s;
  return store;
}

Store::~Store() {
  std::lock_guard<std::mutex> lock(journal_mu_);
  if (journal_.fd >= 0) ::close(journal_.fd);
}

namespace {

// Reads the file at `path` from byte `from` to its end through one descriptor, and reports
// which file that was (device and inode), so the bytes and the identity always agree even
// when a writer replaces the MANIFEST (MaybeRewriteManifest) meanwhile.
Status ReadManifestFrom(const std::string& path, uint64_t from, std::string* bytes,
                        uint64_t* device, uint64_t* inode) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io::ErrnoError("open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return io::ErrnoError("fstat", path, err);
  }
  *device = static_cast<uint64_t>(st.st_dev);
  *inode = static_cast<uint64_t>(st.st_ino);
  auto size = static_cast<uint64_t>(st.st_size);
  bytes->clear();
  if (size > from) bytes->resize(static_cast<size_t>(size - from));
  size_t got = 0;
  while (got < bytes->size()) {
    ssize_t n = ::pread(fd, bytes->data() + got, bytes->size() - got,
                        static_cast<off_t>(from + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return io::ErrnoError("read", path, err);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  bytes->resize(got);
  ::close(fd);
  return Status::OK();
}

}  // namespace

Status Store::Load(bool writable) {
  std::string path = dir_ + "/" + kManifestName;
  std::string log;
  uint64_t device = 0, inode = 0;
  if (io::Exists(path)) {
    TB_RETURN_IF_ERROR(ReadManifestFrom(path, 0, &log, &device, &inode));
  }
  ManifestState state;
  size_t valid = 0;
  Status s = ReplayManifest(log, &state, &valid);
  if (!s.ok()) return s.WithContext(dir_);
  if (writable) {
    if (state.store_id.empty()) {
      // A new store (or one whose creation was interrupted before its header was durable).
      // The MANIFEST appears atomically with its header record, so a reader never sees a
      // MANIFEST without a store id, whenever the writer is killed.
      TB_ASSIGN_OR_RETURN(std::string id, crypto::RandomUuid());
      std::string rec = EncodeStoreCreated(id, clock_.NowMicros());
      TB_RETURN_IF_ERROR(io::WriteFileAtomic(path, rec));
      size_t ignored;
      TB_RETURN_IF_ERROR(ReplayManifest(rec, &state, &ignored));
      log = rec;
      valid = rec.size();
    }
    TB_ASSIGN_OR_RETURN(manifest_, io::AppendFile::Open(path));
    if (valid < log.size()) {
      // A crash tore the last record; it was never acknowledged, so drop it.
      TB_RETURN_IF_ERROR(manifest_->Truncate(valid));
    }
    manifest_valid_bytes_ = manifest_->size();
  } else if (state.store_id.empty()) {
    return NotFound(dir_ + ": store has no valid MANIFEST header");
  } else {
    read_manifest_ = {device, inode, valid};
  }
  state_ = std::move(state);
  store_id_ = state_.store_id;
  next_segment_id_.store(state_.next_segment_id);
  if (writable) TB_RETURN_IF_ERROR(RemoveOrphans());
  return PublishSnapshot();
}

Status Store::RemoveOrphans() {
  std::string root = dir_ + "/" + kSegmentsDir;
  if (!io::Exists(root)) return Status::OK();
  TB_ASSIGN_OR_RETURN(std::vector<std::string> files, io::ListFilesRecursive(root));
  for (const std::string& f : files) {
    size_t slash = f.find_last_of('/');
    std::string name = f.substr(slash + 1);
    bool keep = false;
    if (name.size() == 20 && name.ends_with(".tbs")) {
      uint64_t id = std::strtoull(name.substr(0, 16).c_str(), nullptr, 16);
      auto it = state_.segments.find(id);
      keep = it != state_.segments.end() && SegmentPath(it->second) == f;
    }
    // Anything else under segments/ (temp files, segments of an interrupted or compacted
    // commit) is garbage from a previous writer: no committed state refers to it.
    if (!keep) TB_RETURN_IF_ERROR(io::RemoveFile(f));
  }
  return Status::OK();
}

std::string Store::SegmentPath(const SegmentInfo& info) const {
  return dir_ + "/" + kSegmentsDir + "/" + DayName(info.day) + "/" + SegmentFileName(info.id);
}

Result<std::string> Store::SegmentDirectory(int64_t day) {
  std::string d = dir_ + "/" + kSegmentsDir + "/" + DayName(day);
  TB_RETURN_IF_ERROR(io::CreateDirectories(d));
  return d;
}

namespace {

const std::shared_ptr<const SegmentSet>& EmptySegmentSet() {
  static const auto* empty = new std::shared_ptr<const SegmentSet>(std::make_shared<SegmentSet>());
  return *empty;
}

}  // namespace

int64_t StoreSnapshot::min_time() const {
  if (committed_->infos.empty()) return journal_->min_time;
  if (journal_->infos.empty()) return committed_->min_time;
  return std::min(committed_->min_time, journal_->min_time);
}

int64_t StoreSnapshot::max_time() const {
  if (committed_->infos.empty()) return journal_->max_time;
  if (journal_->infos.empty()) return committed_->max_time;
  return std::max(committed_->max_time, journal_->max_time);
}

Status Store::PublishSnapshot() {
  auto snap = std::make_shared<StoreSnapshot>();
  snap->sequence_ = state_.last_sequence;
  snap->store_id_ = state_.store_id;
  auto property = [&](const char* key) -> uint64_t {
    auto it = state_.properties.find(key);
    return it == state_.properties.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
  };
  snap->audit_folded_sequence_ = property(kAuditFoldedSequenceProperty);
  snap->audit_folded_offset_ = property(kAuditFoldedOffsetProperty);
  std::map<uint64_t, std::shared_ptr<const SegmentReader>> readers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    readers = readers_;
  }
  std::map<uint64_t, std::shared_ptr<const SegmentReader>> next;
  auto committed = std::make_shared<SegmentSet>();
  for (const auto& [id, info] : state_.segments) {
    auto it = readers.find(id);
    std::shared_ptr<const SegmentReader> reader;
    if (it != readers.end()) {
      reader = it->second;
    } else {
      TB_ASSIGN_OR_RETURN(reader, SegmentReader::Open(SegmentPath(info), dictionary_cache_));
      if (reader->id() != id || reader->row_count() != info.rows) {
        return Corruption(reader->path() + ": segment does not match its manifest entry");
      }
    }
    next[id] = reader;
    committed->infos.push_back(info);
    committed->segments.push_back(std::move(reader));
  }
  FinishSegmentSet(committed.get());
  snap->committed_ = std::move(committed);
  snap->journal_ = EmptySegmentSet();
  std::lock_guard<std::mutex> lock(mu_);
  readers_ = std::move(next);
  snapshot_ = std::move(snap);
  properties_ = state_.properties;
  return Status::OK();
}

std::shared_ptr<const StoreSnapshot> Store::CommittedSnapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

std::shared_ptr<const StoreSnapshot> Store::Snapshot() const {
  std::shared_ptr<const StoreSnapshot> base;
  {
    std::lock_guard<std::mutex> lock(mu_);
    base = snapshot_;
  }
  std::lock_guard<std::mutex> lock(journal_mu_);
  if (!journal_.started || base->audit_folded_offset_ > journal_.read_offset) {
    // First use, or a fold went past what was read: nothing before the fold point is needed.
    journal_.tail.Clear();
    journal_.read_offset = base->audit_folded_offset_;
    journal_.started = true;
  }
  RefreshJournalTail();
  // Drop batches the committed state already holds (folds only move forward).
  journal_.tail.DropFolded(base->audit_folded_sequence_);
  if (journal_.tail.empty()) {
    journal_.composed = nullptr;  // Let go of the folded tail's segments.
    journal_.base = nullptr;
    journal_.view = nullptr;
    return base;
  }
  std::shared_ptr<const SegmentSet> view = journal_.tail.View();
  if (journal_.composed != nullptr && journal_.base == base && journal_.view == view) {
    return journal_.composed;
  }
  // O(1): the committed list is shared with `base`, the tail view with the tail.
  auto snap = std::make_shared<StoreSnapshot>(*base);
  snap->journal_ = view;
  journal_.base = std::move(base);
  journal_.view = std::move(view);
  journal_.composed = snap;
  return snap;
}

void Store::RefreshJournalTail() const {
  std::string path = dir_ + "/" + kAuditJournalName;
  if (journal_.fd < 0) {
    journal_.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (journal_.fd < 0) return;  // No audit event yet.
  }
  const int fd = journal_.fd;
  struct stat st;
  if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) <= journal_.read_offset) return;
  std::string bytes(static_cast<size_t>(static_cast<uint64_t>(st.st_size) - journal_.read_offset),
                    '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::pread(fd, bytes.data() + got, bytes.size() - got,
                        static_cast<off_t>(journal_.read_offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  bytes.resize(got);
  JournalScan scan = ScanJournal(bytes, journal_.read_offset);
  std::vector<JournalBatch> batches;
  for (const JournalRecord& record : scan.records) {
    if (record.kind != kJournalRecordBatch) continue;
    JournalBatch batch;
    batch.first_sequence = record.first_sequence;
    batch.last_sequence = record.last_sequence();
    bool ok = true;
    for (size_t i = 0; i < record.segments.size(); ++i) {
      auto reader = SegmentReader::OpenBytes(
          std::string(record.segments[i]),
          path + "@" + std::to_string(record.offset) + "#" + std::to_string(i));
      if (!reader.ok()) {
        ok = false;
        break;
      }
      const SegmentFooter& f = (*reader)->footer();
      SegmentInfo info;
      info.id = f.segment_id;
      info.day = f.day;
      info.rows = f.row_count;
      info.min_time = f.min_time;
      info.max_time = f.max_time;
      info.bytes = record.segments[i].size();
      info.flags = kSegmentAuditOnly;
      batch.infos.push_back(info);
      batch.readers.push_back(std::move(*reader));
    }
    // A segment that does not decode is left out; audit verify reports the record.
    if (ok) batches.push_back(std::move(batch));
  }
  journal_.tail.AddAll(std::move(batches));
  journal_.read_offset += scan.valid_bytes;
}

std::string Store::Property(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = properties_.find(key);
  return it == properties_.end() ? "" : it->second;
}

Status Store::Refresh() {
  if (writable()) return Status::OK();
  return CatchUpWithManifest();
}

Status Store::CatchUpWithManifest() {
  std::string path = dir_ + "/" + kManifestName;
  if (read_manifest_.inode != 0) {
    // The MANIFEST is append-only until a writer replaces it whole: when it is the same file,
    // replay only the records appended since, onto the current state.
    std::string tail;
    uint64_t device = 0, inode = 0;
    TB_RETURN_IF_ERROR(ReadManifestFrom(path, read_manifest_.valid_bytes, &tail, &device, &inode));
    if (device == read_manifest_.device && inode == read_manifest_.inode) {
      if (tail.empty()) return Status::OK();
      size_t valid = 0;
      uint64_t records = state_.records;
      Status s = ReplayManifest(tail, &state_, &valid);
      if (s.ok()) {
        read_manifest_.valid_bytes += valid;
        if (state_.records == records) return Status::OK();  // Only a torn (in-progress) record.
        return PublishSnapshot();
      }
      // state_ may hold part of the tail: rebuild it from the whole file below, which also
      // reports the damage with its file offset.
    }
  }
  std::string log;
  uint64_t device = 0, inode = 0;
  TB_RETURN_IF_ERROR(ReadManifestFrom(path, 0, &log, &device, &inode));
  ManifestState state;
  size_t valid = 0;
  Status s = ReplayManifest(log, &state, &valid);
  if (!s.ok()) {
    read_manifest_ = {};  // The next call reads the whole file again.
    return s.WithContext(dir_);
  }
  read_manifest_ = {device, inode, valid};
  state_ = std::move(state);
  return PublishSnapshot();
}

Status Store::BeginWrite() {
  if (writable()) return Internal("BeginWrite on a store that is already writable");
  TB_ASSIGN_OR_RETURN(lock_, io::FileLock::Acquire(dir_ + "/" + kLockName, false));
  write_session_ = true;
  // Under the lock no other writer appends: catch up with everything committed, then make
  // the MANIFEST end exactly at the last complete record.
  Status s = [&]() -> Status {
    TB_RETURN_IF_ERROR(CatchUpWithManifest());
    std::string path = dir_ + "/" + kManifestName;
    TB_ASSIGN_OR_RETURN(manifest_, io::AppendFile::Open(path));
    if (manifest_->size() > read_manifest_.valid_bytes) {
      // A writer died mid-record; its record was never acknowledged, so drop it.
      TB_RETURN_IF_ERROR(manifest_->Truncate(read_manifest_.valid_bytes));
    }
    manifest_valid_bytes_ = manifest_->size();
    next_segment_id_.store(state_.next_segment_id);
    broken_ = false;
    return RemoveOrphans();
  }();
  if (!s.ok()) {
    read_manifest_ = {};  // Read the whole file on the next Refresh or session.
    EndWrite();
  }
  return s;
}

void Store::EndWrite() {
  if (!write_session_) return;
  if (manifest_ != nullptr && !broken_) {
    // Commits appended (or rewrote, MaybeRewriteManifest) the file: note where it ends now,
    // still under the lock, so the next Refresh reads only what later writers add.
    struct stat st;
    std::string path = dir_ + "/" + kManifestName;
    if (::stat(path.c_str(), &st) == 0 &&
        static_cast<uint64_t>(st.st_size) == manifest_valid_bytes_) {
      read_manifest_ = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                        manifest_valid_bytes_};
    } else {
      read_manifest_ = {};
    }
  } else {
    read_manifest_ = {};
  }
  manifest_.reset();
  broken_ = false;
  lock_.reset();
  write_session_ = false;
}

Status Store::Commit(storage::Commit commit) {
  if (!writable()) return Internal("commit on a read-only store");
  if (broken_) return Internal("store must be reopened after a failed commit");
  commit.sequence = state_.last_sequence + 1;
  commit.time_us = clock_.NowMicros();
  commit.next_segment_id = next_segment_id_.load();
  // Make the segment files (renamed into place by their writers) and any new day
  // directories durable before the record that names them.
  std::vector<int64_t> days;
  for (const SegmentInfo& info : commit.added) {
    if (std::find(days.begin(), days.end(), info.day) == days.end()) days.push_back(info.day);
  }
  for (int64_t day : days) {
    TB_RETURN_IF_ERROR(io::SyncDirectory(dir_ + "/" + kSegmentsDir + "/" + DayName(day)));
  }
  if (!days.empty()) {
    TB_RETURN_IF_ERROR(io::SyncDirectory(dir_ + "/" + kSegmentsDir));
    TB_RETURN_IF_ERROR(io::SyncDirectory(dir_));
  }
  std::string rec = EncodeCommit(commit);
  Status s = manifest_->Append(rec);
  if (s.ok()) s = manifest_->Sync();
  if (!s.ok()) {
    // The record may be partly on disk; truncating restores the last good state. If even
    // that fails, refuse further commits so nothing is appended after a torn record.
    if (!manifest_->Truncate(manifest_valid_bytes_).ok()) broken_ = true;
    return s.WithContext("committing to " + dir_);
  }
  manifest_valid_bytes_ = manifest_->size();
  std::vector<SegmentInfo> removed;
  for (uint64_t id : commit.removed) {
    auto it = state_.segments.find(id);
    if (it != state_.segments.end()) removed.push_back(it->second);
  }
  state_.Apply(commit);
  ++state_.records;
  TB_RETURN_IF_ERROR(PublishSnapshot());
  for (const SegmentInfo& info : removed) {
    // Readers holding an older snapshot keep their mapping; unlinking is safe.
    TB_RETURN_IF_ERROR(io::RemoveFile(SegmentPath(info)));
  }
  return MaybeRewriteManifest();
}

Status Store::MaybeRewriteManifest() {
  if (manifest_valid_bytes_ < kManifestRewriteBytes) return Status::OK();
  std::string snapshot = EncodeSnapshot(state_);
  if (snapshot.size() * 2 > manifest_valid_bytes_) return Status::OK();
  std::string path = dir_ + "/" + kManifestName;
  TB_RETURN_IF_ERROR(io::WriteFileAtomic(path, snapshot));
  TB_ASSIGN_OR_RETURN(manifest_, io::AppendFile::Open(path));
  manifest_valid_bytes_ = manifest_->size();
  return Status::OK();
}

const LedgerEntry* Store::LedgerByPath(const std::string& path) const {
  auto it = state_.ledger.find(path);
  return it == state_.ledger.end() ? nullptr : &it->second;
}

const LedgerEntry* Store::LedgerByHash(const std::string& sha256) const {
  auto it = state_.ledger_by_hash.find(sha256);
  if (it == state_.ledger_by_hash.end()) return nullptr;
  return LedgerByPath(it->second);
}

}  // namespace trailbook::storage
