#include "ingest/ingest_pipeline.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "base/clock.h"
#include "base/thread_annotations.h"
#include "base/timestamp.h"
#include "ingest/dedup_index.h"
#include "ingest/file_reader.h"
#include "ingest/input_discovery.h"
#include "ingest/record_sink.h"
#include "storage/event_schema.h"
#include "storage/zstd_codec.h"

namespace trailbook::ingest {

std::string DeliveryDateOf(std::string_view path) {
  for (std::string_view marker : {"/CloudTrail/", "/CloudTrail-Insight/"}) {
    size_t at = path.find(marker);
    if (at == std::string_view::npos) continue;
    std::string_view rest = path.substr(at + marker.size());
    size_t region_end = rest.find('/');
    if (region_end == std::string_view::npos) continue;
    rest = rest.substr(region_end + 1);
    // YYYY/MM/DD/
    if (rest.size() < 11 || rest[4] != '/' || rest[7] != '/' || rest[10] != '/') continue;
    return std::string(rest.substr(0, 10));
  }
  return "";
}

namespace {

constexpr size_t kMaxSegmentRows = size_t{1} << 20;

// The rows of one input inside a worker's batch, and what becomes its ledger entry.
struct FileSpan {
  size_t begin = 0;
  size_t end = 0;
  bool has_ledger = false;  // false while a spilled file is still being read
  storage::LedgerEntry entry;
};

// What one worker flush hands to the committer: segment files written but not yet synced,
// the ledger entries of the files whose rows they hold, and the flush's counts.
struct PendingCommit {
  std::vector<storage::UnsyncedSegment> segments;
  std::vector<storage::LedgerEntry> ledger;
  std::unordered_map<int64_t, size_t> dedup_pending;  // fresh eventID keys per dedup bucket
  uint64_t events_added = 0;
  uint64_t duplicates = 0;
};

class Shared;

// Makes flushed segments durable and commits them, on its own thread, so a worker goes back
// to reading while the disk syncs (fdatasync of each segment, the directory syncs and the
// manifest sync of Store::Commit were ~0.15 s of blocked worker time per 200K events, a core
// left idle). Jobs queued while a commit runs are taken together: their segments are synced
// one after another and committed in one Store::Commit, in submission order, so a spilled
// file's ledger entry still follows the segments holding its rows. Submit blocks while
// `max_in_flight` jobs are queued or being committed, which bounds the files held open and
// the eventID keys pending in the dedup index: with one worker per job slot, at most two
// batches per worker are uncommitted (the one it is flushing and one in flight).
// Thread safety: Submit from any worker; Close once, after the workers stop.
class Committer {
 public:
  Committer(Shared& shared, size_t max_in_flight)
      : shared_(shared), max_in_flight_(max_in_flight), thread_([this] { Loop(); }) {}
  ~Committer() { Close(); }
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  void Submit(PendingCommit job) {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return in_flight_ < max_in_flight_ || stopped_; });
    if (stopped_) return;  // after a failure: the files stay orphans the store removes
    ++in_flight_;
    queue_.push_back(std::move(job));
    ready_.notify_one();
  }

  // Commits what is queued and stops the thread.
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closing_) return;
      closing_ = true;
      ready_.notify_one();
    }
    thread_.join();
  }

 private:
  void Loop();
  Status CommitJobs(std::vector<PendingCommit>& jobs);

  Shared& shared_;
  const size_t max_in_flight_;
  std::mutex mu_;
  std::condition_variable ready_;  // a job was queued or Close was called
  std::condition_variable space_;  // a commit finished
  std::vector<PendingCommit> queue_ TB_GUARDED_BY(mu_);
  size_t in_flight_ TB_GUARDED_BY(mu_) = 0;  // jobs queued or being committed
  bool closing_ TB_GUARDED_BY(mu_) = false;
  bool stopped_ TB_GUARDED_BY(mu_) = false;  // a commit failed: later jobs are dropped
  std::thread thread_;
};

class Shared {
 public:
  Shared(storage::Store& s, const IngestOptions& o, IngestProgress* p, std::vector<InputFile> in)
      : store(s),
        options(o),
        progress(p),
        inputs(std::move(in)),
        own_dedup(s, o.dedup_limits),
        dedup(o.dedup != nullptr ? *o.dedup : own_dedup) {}

  storage::Store& store;
  const IngestOptions& options;
  IngestProgress* progress;
  std::vector<InputFile> inputs;
  std::atomic<size_t> next{0};

  std::mutex dedup_mu;
  DedupIndex own_dedup;  // used unless the caller keeps one across ingests
  DedupIndex& dedup;     // guarded by dedup_mu

  std::mutex commit_mu;  // serializes Store::Commit and ledger lookups
  // Content hashes read in this run (guarded by commit_mu): a second file with the same
  // bytes is recognised before the first one is committed.
  std::unordered_map<std::string, std::string> run_hashes;

  std::mutex summary_mu;
  IngestSummary summary;  // guarded by summary_mu

  std::atomic<bool> failed{false};
  Status failure;  // guarded by summary_mu

  void Fail(const Status& s) {
    std::lock_guard<std::mutex> lock(summary_mu);
    if (!failed.exchange(true)) failure = s;
  }

  void RejectFile(const std::string& path, const std::string& reason) {
    std::lock_guard<std::mutex> lock(summary_mu);
    ++summary.files_rejected;
    summary.rejected_files.push_back({path, reason});
  }

  Committer* committer = nullptr;  // set before the workers start; outlives them
};

void Committer::Loop() {
  for (;;) {
    std::vector<PendingCommit> jobs;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, nothing left
      jobs.swap(queue_);
    }
    Status s = CommitJobs(jobs);
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_ -= jobs.size();
    space_.notify_all();
    if (!s.ok()) {
      shared_.Fail(s);
      stopped_ = true;
      queue_.clear();
      return;
    }
  }
}

Status Committer::CommitJobs(std::vector<PendingCommit>& jobs) {
  const storage::SegmentWriteOptions& options = shared_.options.segment_options;
  storage::Commit commit;
  uint64_t segment_bytes = 0;
  for (PendingCommit& job : jobs) {
    for (storage::UnsyncedSegment& segment : job.segments) {
      TB_RETURN_IF_ERROR(storage::FinishSegment(segment, options));
      segment_bytes += segment.info.bytes;
      commit.added.push_back(segment.info);
    }
    for (storage::LedgerEntry& entry : job.ledger) commit.ledger.push_back(std::move(entry));
  }
  if (!commit.added.empty() || !commit.ledger.empty()) {
    std::lock_guard<std::mutex> lock(shared_.commit_mu);
    TB_RETURN_IF_ERROR(shared_.store.Commit(commit));
  }
  uint64_t events = 0;
  {
    std::lock_guard<std::mutex> lock(shared_.dedup_mu);
    for (const PendingCommit& job : jobs) {
      for (const auto& [bucket, count] : job.dedup_pending) shared_.dedup.Committed(bucket, count);
    }
  }
  {
    std::lock_guard<std::mutex> lock(shared_.summary_mu);
    for (const PendingCommit& job : jobs) {
      shared_.summary.events_added += job.events_added;
      shared_.summary.duplicates += job.duplicates;
      events += job.events_added;
    }
    shared_.summary.segments_written += commit.added.size();
    shared_.summary.segment_bytes += segment_bytes;
    if (!commit.added.empty() || !commit.ledger.empty()) ++shared_.summary.commits;
  }
  if (shared_.progress != nullptr) shared_.progress->events_added.fetch_add(events);
  return Status::OK();
}

class Worker final : public RecordSink {
 public:
  Worker(Shared& shared, size_t batch_budget)
      : shared_(shared),
        reader_(shared.options.reader_limits),
        normalizer_(shared.options.normalizer_limits),
        codec_(shared.options.zstd_level),
        budget_(batch_budget) {}

  void Run() {
    for (;;) {
      if (shared_.failed.load()) return;
      size_t i = shared_.next.fetch_add(1);
      if (i >= shared_.inputs.size()) break;
      ProcessInput(shared_.inputs[i]);
      if (shared_.progress != nullptr) shared_.progress->files_done.fetch_add(1);
      if (batch_.memory_bytes() >= budget_) {
        Status s = Flush();
        if (!s.ok()) return shared_.Fail(s);
      }
    }
    Status s = Flush();
    if (!s.ok()) shared_.Fail(s);
  }

  Status OnRecord(const RecordRef& record) override {
    return Normalized(record, normalizer_.Normalize(record.json, &batch_));
  }

  // Records elements are normalised straight from the reader's parse (one simdjson stage-1
  // pass per record); a record that does not go through cleanly is read again by OnRecord.
  bool AcceptsParsedRecords() const override { return true; }
  bool TryParsedRecord(simdjson::ondemand::object& object) override {
    return normalizer_.NormalizeParsed(object, &batch_).ok();
  }
  Status CommitParsedRecord(const RecordRef& record) override {
    return Normalized(record, normalizer_.FinishParsed(record.json, &batch_));
  }
  void AbandonParsedRecord() override { normalizer_.AbandonParsed(&batch_); }
  // Records elements of S3 delivery files are walked from the document's text.
  bool AcceptsRecordText() const override { return true; }
  bool TryRecordText(const char** p, const char* end) override {
    return normalizer_.NormalizeInText(p, end, &batch_).ok();
  }

  void OnRecordError(uint64_t index, uint64_t line, std::string_view message) override {
    ++file_records_;
    ReportRecord(index, line, message);
  }

 private:
  // Accounts for a record the normaliser took (`normalized` OK) or rejected.
  Status Normalized(const RecordRef& record, const Status& normalized) {
    ++file_records_;
    if (shared_.progress != nullptr) shared_.progress->records.fetch_add(1, std::memory_order_relaxed);
    if (!normalized.ok()) {
      ReportRecord(record.index, record.line, normalized.message());
      return Status::OK();
    }
    if ((file_records_ & 63) == 0 && batch_.memory_bytes() >= 2 * budget_) {
      // One huge input (a multi-GB NDJSON file): commit what it gave so far, without its
      // ledger entry, so memory stays bounded. If the file fails later, those events stay.
      TB_RETURN_IF_ERROR(Flush());
      spilled_ = true;
    }
    return Status::OK();
  }

  void ReportRecord(uint64_t index, uint64_t line, std::string_view message) {
    ++file_rejected_;
    std::lock_guard<std::mutex> lock(shared_.summary_mu);
    ++shared_.summary.records_rejected;
    if (shared_.summary.rejected_records.size() < shared_.options.max_reported_records) {
      shared_.summary.rejected_records.push_back(
          FormatRecordError(current_path_, index, line, message));
    }
  }

  void ProcessInput(const InputFile& input) {
    if (!IsReadable(input.kind)) {
      std::lock_guard<std::mutex> lock(shared_.summary_mu);
      ++shared_.summary.files_skipped;
      return;
    }
    current_path_ = input.path;
    file_start_ = batch_.row_count();
    file_records_ = 0;
    file_rejected_ = 0;
    spilled_ = false;
    FileInfo info;
    Status s = reader_.Read(input, *this, &info);
    if (shared_.progress != nullptr) shared_.progress->bytes_read.fetch_add(info.compressed_bytes);
    if (shared_.failed.load()) return;
    if (!s.ok()) {
      if (file_start_ <= batch_.row_count()) batch_.TruncateRows(file_start_);
      std::string reason = s.message();
      if (spilled_) reason += " (events read before this point were already stored)";
      shared_.RejectFile(input.path, reason);
      return;
    }
    if (!info.skip_reason.empty()) {
      std::lock_guard<std::mutex> lock(shared_.summary_mu);
      ++shared_.summary.files_skipped;
      return;
    }
    {
      std::lock_guard<std::mutex> lock(shared_.summary_mu);
      ++shared_.summary.files_read;
      shared_.summary.records += file_records_;
      shared_.summary.bytes_read += info.compressed_bytes;
      shared_.summary.json_bytes += info.json_bytes;
    }
    FileSpan span;
    span.begin = file_start_;
    span.end = batch_.row_count();
    span.has_ledger = input.kind != InputKind::kStdin && !info.sha256_hex.empty();
    span.entry.path = input.path;
    span.entry.size = input.size;
    span.entry.mtime_ns = input.mtime_ns;
    span.entry.sha256 = info.sha256_hex;
    span.entry.records = file_records_;
    span.entry.rejected = file_rejected_;
    span.entry.ingested_at_us = SystemClock().NowMicros();
    if (span.has_ledger && !spilled_) {
      std::lock_guard<std::mutex> lock(shared_.commit_mu);
      bool same = shared_.store.LedgerByHash(info.sha256_hex) != nullptr ||
                  !shared_.run_hashes.emplace(info.sha256_hex, input.path).second;
      if (same) {
        // Already ingested under another path (a copy or a moved file): remember this path
        // too so the next run skips it without reading, but store nothing twice.
        batch_.TruncateRows(file_start_);
        span.end = span.begin;
        span.entry.records = 0;
        span.entry.rejected = 0;
        std::lock_guard<std::mutex> slock(shared_.summary_mu);
        ++shared_.summary.files_same_content;
        --shared_.summary.files_read;
      }
    }
    spans_.push_back(std::move(span));
  }

  Status Flush() {
    if (batch_.row_count() == 0 && spans_.empty()) return Status::OK();
    const size_t n = batch_.row_count();
    std::vector<uint8_t> keep(n, 0);
    // Fresh eventID keys per dedup bucket: pending in the dedup index until the commit below.
    std::unordered_map<int64_t, size_t> pending;
    const int id_col = storage::EventSchema::Get().event_id_column();
    {
      std::lock_guard<std::mutex> lock(shared_.dedup_mu);
      for (size_t r = 0; r < n; ++r) {
        const int64_t bucket = shared_.dedup.BucketOf(batch_.event_time(r));
        const bool has_id = batch_.string(id_col, r).has_value();
        TB_ASSIGN_OR_RETURN(bool fresh, shared_.dedup.Insert(bucket, batch_.dedup_key(r), has_id));
        keep[r] = fresh ? 1 : 0;
        if (fresh && has_id) ++pending[bucket];
      }
    }
    // Rows of a file spilled by an earlier flush precede any span in this batch.
    uint64_t dups_total = 0;
    for (FileSpan& span : spans_) {
      for (size_t r = span.begin; r < span.end; ++r) {
        if (keep[r]) {
          ++span.entry.events;
        } else {
          ++span.entry.duplicates;
        }
      }
    }
    std::vector<uint32_t> rows;
    rows.reserve(n);
    for (size_t r = 0; r < n; ++r) {
      if (keep[r]) {
        rows.push_back(static_cast<uint32_t>(r));
      } else {
        ++dups_total;
      }
    }
    // Order rows by day (one segment per day), then by hour, then cluster by event source
    // and name within the hour, then by time. Blocks span hours either way, so zone maps
    // prune as well as with pure time order, while similar events sit together: their JSON
    // compresses better and their name/source codes form runs.
    // The sort keys sit beside each row id, so comparisons read one contiguous record
    // instead of three arrays and the batch's time column at random rows.
    struct SortKey {
      int64_t hour;   // day * 24 + hour of the day: orders as (day, hour) in one compare
      uint64_t kind;  // eventSource id << 32 | eventName id
      int64_t time;
      uint32_t row;
    };
    std::vector<int64_t> days(n);
    std::vector<SortKey> keys;
    keys.reserve(rows.size());
    const storage::EventSchema& schema = storage::EventSchema::Get();
    const int source_col = schema.ColumnByPath("eventSource");
    const int name_col = schema.ColumnByPath("eventName");
    for (uint32_t r : rows) {
      int64_t t = batch_.event_time(r);
      days[r] = DayOf(t);
      keys.push_back(SortKey{
          days[r] * 24 + (t - days[r] * kMicrosPerDay) / (3600 * kMicrosPerSecond),
          uint64_t{batch_.interned_id(source_col, r)} << 32 | batch_.interned_id(name_col, r),
          t, r});
    }
    std::sort(keys.begin(), keys.end(), [](const SortKey& a, const SortKey& b) {
      if (a.hour != b.hour) return a.hour < b.hour;
      if (a.kind != b.kind) return a.kind < b.kind;
      return a.time != b.time ? a.time < b.time : a.row < b.row;
    });
    for (size_t i = 0; i < keys.size(); ++i) rows[i] = keys[i].row;
    PendingCommit job;
    for (size_t start = 0; start < rows.size();) {
      int64_t day = days[rows[start]];
      size_t end = start;
      while (end < rows.size() && days[rows[end]] == day && end - start < kMaxSegmentRows) ++end;
      TB_ASSIGN_OR_RETURN(std::string dir, shared_.store.SegmentDirectory(day));
      TB_ASSIGN_OR_RETURN(
          storage::UnsyncedSegment segment,
          storage::WriteSegmentUnsynced(dir, shared_.store.AllocateSegmentId(), day, batch_,
                                        std::span<const uint32_t>(rows).subspan(start, end - start),
                                        shared_.options.segment_options, codec_));
      job.segments.push_back(std::move(segment));
      start = end;
    }
    for (FileSpan& span : spans_) {
      if (span.has_ledger) job.ledger.push_back(std::move(span.entry));
    }
    job.dedup_pending = std::move(pending);
    job.events_added = rows.size();
    job.duplicates = dups_total;
    shared_.committer->Submit(std::move(job));
    batch_.Clear();
    spans_.clear();
    file_start_ = 0;
    return Status::OK();
  }

  Shared& shared_;
  FileReader reader_;
  EventNormalizer normalizer_;
  storage::ZstdCodec codec_;
  storage::RowBatch batch_;
  std::vector<FileSpan> spans_;
  size_t budget_;
  std::string current_path_;
  size_t file_start_ = 0;
  uint64_t file_records_ = 0;
  uint64_t file_rejected_ = 0;
  bool spilled_ = false;
};

}  // namespace

Result<IngestSummary> Ingest(storage::Store& store, std::span<const std::string> paths,
                             const IngestOptions& options, IngestProgress* progress) {
  if (!store.writable()) return InvalidArgument("ingest needs a store opened for writing");
  TB_RETURN_IF_ERROR(options.reader_limits.Validate());
  const int64_t start = SystemClock().MonotonicMicros();
  TB_ASSIGN_OR_RETURN(std::vector<InputFile> found, DiscoverInputs(paths));
  IngestSummary pre;
  pre.files_seen = found.size();
  // Skip files the ledger already has, unchanged, without reading them.
  std::vector<InputFile> inputs;
  for (InputFile& in : found) {
    if (in.kind == InputKind::kLog) {
      const storage::LedgerEntry* e = store.LedgerByPath(in.path);
      if (e != nullptr && e->size == in.size && e->mtime_ns == in.mtime_ns) {
        ++pre.files_unchanged;
        continue;
      }
    }
    if (in.kind == InputKind::kUnreadable) {
      ++pre.files_rejected;
      pre.rejected_files.push_back({in.path, in.error.message()});
      continue;
    }
    inputs.push_back(std::move(in));
  }
  // Read S3 delivery files day by day across accounts and regions, so each batch covers few
  // days and segments are large; other inputs keep their order, first.
  std::vector<std::string> dates(inputs.size());
  std::vector<size_t> order(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    dates[i] = DeliveryDateOf(inputs[i].path);
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return dates[a] < dates[b]; });
  std::vector<InputFile> ordered;
  ordered.reserve(inputs.size());
  for (size_t i : order) ordered.push_back(std::move(inputs[i]));

  if (progress != nullptr) progress->files_total.store(ordered.size());
  unsigned threads = options.threads != 0 ? options.threads
                                          : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, ordered.size())));
  // A caller's index is valid only if nobody committed since its last ingest; otherwise
  // (another writer, an audit fold) it starts over from the store.
  if (options.dedup != nullptr &&
      options.dedup->synced_sequence() != std::optional<uint64_t>(store.Snapshot()->sequence())) {
    options.dedup->Reset();
  }
  Shared shared(store, options, progress, std::move(ordered));
  shared.summary = std::move(pre);
  Committer committer(shared, threads);
  shared.committer = &committer;
  size_t budget = std::max<size_t>(options.batch_bytes / threads, 1);
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned t = 0; t < threads; ++t) workers.push_back(std::make_unique<Worker>(shared, budget));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back([&, t] { workers[t]->Run(); });
  workers[0]->Run();
  for (std::thread& th : pool) th.join();
  committer.Close();
  if (shared.failed.load()) {
    // Keys of rows that were never committed may be pending in it: drop it.
    if (options.dedup != nullptr) options.dedup->Reset();
    return shared.failure;
  }
  if (options.dedup != nullptr) options.dedup->set_synced_sequence(store.Snapshot()->sequence());
  shared.summary.dedup_peak_keys = shared.dedup.peak_resident_keys();
  shared.summary.dedup_day_loads = shared.dedup.bucket_loads();
  shared.summary.dedup_evictions = shared.dedup.evictions();
  shared.summary.dedup_text_keys_dropped = shared.dedup.text_keys_dropped();
  shared.summary.seconds =
      static_cast<double>(SystemClock().MonotonicMicros() - start) / 1e6;
  return std::move(shared.summary);
}

}  // namespace trailbook::ingest
