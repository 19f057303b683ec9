#include "gen/dataset_writer.h"

#include <libdeflate.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "base/check.h"
#include "crypto/digest.h"
#include "gen/internal/chunk_builder.h"
#include "gen/internal/digest.h"
#include "gen/internal/file_layout.h"
#include "gen/internal/model.h"
#include "io/file.h"

namespace trailbook::gen {
namespace {

namespace gi = internal;

constexpr int kGzipLevel = 6;
constexpr uint64_t kSaltDigest = 0x64677374;

// The one adapter over libdeflate's gzip compressor. Thread safety: one per thread.
class GzipCompressor {
 public:
  GzipCompressor() : compressor_(libdeflate_alloc_compressor(kGzipLevel)) {
    TB_CHECK(compressor_ != nullptr) << "libdeflate_alloc_compressor failed";
  }
  ~GzipCompressor() { libdeflate_free_compressor(compressor_); }
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  // Replaces `out` with the gzip member of `in`.
  void Compress(std::string_view in, std::string* out) {
    out->resize(libdeflate_gzip_compress_bound(compressor_, in.size()));
    const size_t n = libdeflate_gzip_compress(compressor_, in.data(), in.size(), out->data(), out->size());
    TB_CHECK(n > 0) << "gzip output exceeded libdeflate's own bound";
    out->resize(n);
  }

 private:
  libdeflate_compressor* compressor_;
};

// Creates each directory once per worker.
class DirectoryCache {
 public:
  explicit DirectoryCache(std::string root) : root_(std::move(root)) {}
  Status WriteNew(const std::string& relative, std::string_view bytes) {
    const std::string path = root_ + "/" + relative;
    const std::string dir = path.substr(0, path.rfind('/'));
    if (created_.insert(dir).second) TB_RETURN_IF_ERROR(io::CreateDirectories(dir));
    TB_ASSIGN_OR_RETURN(std::unique_ptr<io::AppendFile> file, io::AppendFile::Open(path, 0644));
    if (file->size() != 0) return AlreadyExists(path + ": file already exists");
    return file->Append(bytes);
  }

 private:
  std::string root_;
  std::set<std::string> created_;
};

struct ChunkOutput {
  Status status;
  uint64_t files = 0;
  uint64_t records = 0;
  uint64_t distinct = 0;
  uint64_t duplicates = 0;
  uint64_t errors = 0;
  uint64_t json_bytes = 0;
  uint64_t gzip_bytes = 0;
  int64_t first = INT64_MAX;
  int64_t last = INT64_MIN;
  // Log files of digest-enabled streams: (stream key, file).
  std::vector<std::pair<uint32_t, gi::DeliveredFile>> delivered;
};

uint32_t StreamKey(uint32_t account, uint16_t region) { return account * 256 + region; }

class Worker {
 public:
  Worker(const gi::DatasetModel& model, const std::string& out_dir,
         const std::vector<uint64_t>& duplicate_targets)
      : model_(model), builder_(model), dirs_(out_dir), duplicate_targets_(duplicate_targets) {}

  void Run(size_t chunk, ChunkOutput* out) {
    builder_.Build(chunk, &events_);
    out->distinct = events_.events.size();
    for (const gi::ChunkEvent& e : events_.events) {
      out->first = std::min(out->first, e.time_micros);
      out->last = std::max(out->last, e.time_micros);
      if (e.failed) ++out->errors;
    }
    out->status = model_.options().format == OutputFormat::kS3 ? WriteS3(chunk, out)
                                                                : WriteNdjson(chunk, out);
  }

 private:
  bool DigestStream(uint32_t account, uint16_t region) const {
    const gi::Account& a = model_.pop().accounts[account];
    return a.digests && gi::Regions()[region].name == a.home_region;
  }

  Status WriteS3(size_t chunk, ChunkOutput* out) {
    gi::LayOutChunk(events_, model_.chunk_start(chunk), duplicate_targets_[chunk], model_.seed(), &layout_);
    out->duplicates = layout_.duplicates;
    for (const gi::LogFile& file : layout_.files) {
      text_.clear();
      gi::AppendRecordsDocument(events_, file, &text_);
      gzip_.Compress(text_, &compressed_);
      const std::string& account_id = model_.pop().accounts[file.account].id;
      const std::string path = gi::LogFilePath(account_id, file);
      TB_RETURN_IF_ERROR(dirs_.WriteNew(path, compressed_));
      ++out->files;
      out->records += file.events.size();
      out->json_bytes += text_.size();
      out->gzip_bytes += compressed_.size();
      if (DigestStream(file.account, file.region)) {
        gi::DeliveredFile delivered;
        delivered.s3_object = path;
        delivered.sha256_hex = crypto::ToHex(crypto::Sha256(text_));
        delivered.oldest_micros = INT64_MAX;
        delivered.newest_micros = INT64_MIN;
        for (uint32_t e : file.events) {
          delivered.oldest_micros = std::min(delivered.oldest_micros, events_.events[e].time_micros);
          delivered.newest_micros = std::max(delivered.newest_micros, events_.events[e].time_micros);
        }
        out->delivered.emplace_back(StreamKey(file.account, file.region), std::move(delivered));
      }
    }
    return Status::OK();
  }

  Status WriteNdjson(size_t chunk, ChunkOutput* out) {
    if (events_.events.empty()) return Status::OK();
    const std::vector<uint32_t> order = gi::NdjsonOrder(events_, duplicate_targets_[chunk], model_.seed());
    text_.clear();
    for (uint32_t e : order) {
      text_.append(events_.json(events_.events[e]));
      text_.push_back('\n');
    }
    std::string name = std::to_string(chunk);
    name.insert(0, name.size() < 5 ? 5 - name.size() : 0, '0');
    TB_RETURN_IF_ERROR(dirs_.WriteNew("events-" + name + ".ndjson", text_));
    out->files = 1;
    out->records = order.size();
    out->duplicates = order.size() - events_.events.size();
    out->json_bytes = text_.size();
    out->gzip_bytes = text_.size();
    return Status::OK();
  }

  const gi::DatasetModel& model_;
  gi::ChunkBuilder builder_;
  DirectoryCache dirs_;
  const std::vector<uint64_t>& duplicate_targets_;
  gi::ChunkEvents events_;
  gi::ChunkLayout layout_;
  GzipCompressor gzip_;
  std::string text_;
  std::string compressed_;
};

// Re-deliveries per chunk: cumulative rounding of rate x events so the total is exact.
std::vector<uint64_t> DuplicateTargets(const gi::DatasetModel& model) {
  std::vector<uint64_t> targets(model.chunk_count(), 0);
  const double rate = model.options().duplicate_rate;
  if (rate <= 0) return targets;
  const auto& planned = model.plan().events;
  uint64_t cumulative = 0;
  uint64_t emitted = 0;
  size_t p = 0;
  for (size_t c = 0; c < model.chunk_count(); ++c) {
    for (size_t m = c * 60; m < c * 60 + 60; ++m) cumulative += model.timeline().count(m);
    const int64_t end = model.chunk_start(c) + gi::kChunkMicros;
    while (p < planned.size() && planned[p].time_micros < end) {
      ++cumulative;
      ++p;
    }
    const auto upto = static_cast<uint64_t>(std::floor(rate * static_cast<double>(cumulative) + 0.5));
    targets[c] = upto - emitted;
    emitted = upto;
  }
  return targets;
}

Status WriteDigests(const gi::DatasetModel& model, const std::vector<ChunkOutput>& chunks,
                    const std::string& out_dir, GenerationSummary* summary) {
  std::map<uint32_t, std::vector<std::vector<const gi::DeliveredFile*>>> streams;
  for (size_t c = 0; c < chunks.size(); ++c) {
    for (const auto& [key, file] : chunks[c].delivered) {
      auto& per_chunk = streams[key];
      per_chunk.resize(chunks.size());
      per_chunk[c].push_back(&file);
    }
  }
  DirectoryCache dirs(out_dir);
  GzipCompressor gzip;
  std::string compressed;
  const std::string& bucket = model.pop().accounts[0].trail_bucket;
  for (const auto& [key, per_chunk] : streams) {
    const gi::Account& account = model.pop().accounts[key / 256];
    const std::string_view region = gi::Regions()[key % 256].name;
    gi::Rng rng(gi::DeriveSeed(model.seed(), kSaltDigest, key));
    std::string fingerprint;
    gi::AppendRandom(rng, gi::kLowerHex, 32, &fingerprint);
    std::string previous_object, previous_hash, previous_signature, signature;
    for (size_t c = 0; c < per_chunk.size(); ++c) {
      gi::DigestInput in;
      in.account_id = account.id;
      in.region = region;
      in.trail = account.trail_name;
      in.bucket = bucket;
      in.fingerprint = fingerprint;
      in.start_micros = model.chunk_start(c) + account.digest_phase * kMicrosPerSecond;
      in.end_micros = in.start_micros + gi::kChunkMicros;
      in.files = per_chunk[c];
      in.previous_object = previous_object;
      in.previous_hash_hex = previous_hash;
      in.previous_signature = previous_signature;
      const std::string json = gi::DigestDocument(in, rng, &signature);
      const std::string path = gi::DigestPath(account.id, region, account.trail_name, in.end_micros);
      gzip.Compress(json, &compressed);
      TB_RETURN_IF_ERROR(dirs.WriteNew(path, compressed));
      ++summary->digest_files;
      summary->digest_bytes += compressed.size();
      previous_object = path;
      previous_hash = crypto::ToHex(crypto::Sha256(json));
      previous_signature = signature;
    }
  }
  return Status::OK();
}

Status PrepareOutputDirectory(const std::string& out_dir) {
  if (out_dir.empty()) return InvalidArgument("the output directory must not be empty");
  if (io::Exists(out_dir)) {
    Result<std::vector<std::string>> entries = io::ListDirectory(out_dir);
    if (!entries.ok()) return entries.status().WithContext("opening output directory");
    if (!entries->empty()) {
      return AlreadyExists("output directory " + out_dir +
                           " is not empty; choose a new or empty directory");
    }
    return Status::OK();
  }
  return io::CreateDirectories(out_dir);
}

}  // namespace

Result<GenerationSummary> WriteDataset(const GeneratorOptions& options, const std::string& out_dir) {
  TB_RETURN_IF_ERROR(ValidateOptions(options));
  TB_RETURN_IF_ERROR(PrepareOutputDirectory(out_dir));
  const std::unique_ptr<gi::DatasetModel> model = gi::DatasetModel::Build(options);
  const std::vector<uint64_t> duplicate_targets = DuplicateTargets(*model);
  std::vector<ChunkOutput> chunks(model->chunk_count());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    Worker worker(*model, out_dir, duplicate_targets);
    for (;;) {
      const size_t c = next.fetch_add(1);
      if (c >= chunks.size() || failed.load()) return;
      worker.Run(c, &chunks[c]);
      if (!chunks[c].status.ok()) failed.store(true);
    }
  };
  const size_t threads = std::min<size_t>(options.threads, chunks.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  GenerationSummary summary;
  summary.first_event_micros = INT64_MAX;
  summary.last_event_micros = INT64_MIN;
  for (const ChunkOutput& c : chunks) {
    if (!c.status.ok()) return c.status;
    summary.files += c.files;
    summary.records += c.records;
    summary.distinct_events += c.distinct;
    summary.duplicates += c.duplicates;
    summary.error_events += c.errors;
    summary.json_bytes += c.json_bytes;
    summary.gzip_bytes += c.gzip_bytes;
    summary.first_event_micros = std::min(summary.first_event_micros, c.first);
    summary.last_event_micros = std::max(summary.last_event_micros, c.last);
  }
  if (options.format == OutputFormat::kS3) {
    TB_RETURN_IF_ERROR(WriteDigests(*model, chunks, out_dir, &summary));
  }
  for (size_t k = 0; k < static_cast<size_t>(gi::ScenarioKind::kCount); ++k) {
    summary.scenarios.emplace_back(std::string(gi::ScenarioName(static_cast<gi::ScenarioKind>(k))),
                                   model->plan().scenario_counts[k]);
  }
  return summary;
}

}  // namespace trailbook::gen
