#include "monitor/monitor_daemon.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "io/file.h"
#include "snapshot/snapshot_writer.h"
#include "storage/store.h"

namespace trailbook::monitor {
namespace {

// Room for a few cycles' new text blocks: one 10 s cycle at 50,000 events/s holds about
// 18 MB of eventID text (36 bytes x 500,000 events).
constexpr size_t kDetectionTextCacheBytes = size_t{64} << 20;

// Builds the service token's verifier from the `auth:` settings (one issuer, one key set).
Status BuildVerifier(const AuthConfig& config, const Clock& clock,
                     std::shared_ptr<auth::JwksCache>* keys,
                     std::unique_ptr<auth::TokenVerifier>* verifier) {
  auth::KeySourceConfig source;
  (config.jwks.starts_with("https://") ? source.jwks_url : source.jwks_file) = config.jwks;
  source.https.ca_file = config.ca_file;
  source.cache.background_refresh = false;  // Monitor::RunPass calls Tick().
  TB_ASSIGN_OR_RETURN(*keys, auth::JwksCache::Open(source, clock));
  auth::IssuerConfig issuer;
  issuer.issuer = config.issuer;
  issuer.audiences = {config.audience};
  for (const std::string& name : config.algorithms) {
    std::optional<auth::JwsAlgorithm> alg = auth::ParseJwsAlgorithm(name);
    if (!alg) return InvalidArgument("auth.algorithms: unsupported algorithm " + name);
    issuer.allowed_algs.push_back(*alg);
  }
  if (issuer.allowed_algs.empty()) {
    for (const auth::Jwk& key : (*keys)->current()->keys()) {
      if (std::find(issuer.allowed_algs.begin(), issuer.allowed_algs.end(), key.alg()) ==
          issuer.allowed_algs.end()) {
        issuer.allowed_algs.push_back(key.alg());
      }
    }
  }
  issuer.keys = *keys;
  auth::VerifierConfig verifier_config;
  verifier_config.issuers.push_back(std::move(issuer));
  TB_ASSIGN_OR_RETURN(*verifier, auth::TokenVerifier::Create(std::move(verifier_config)));
  return Status::OK();
}

}  // namespace

Monitor::~Monitor() = default;

Result<std::unique_ptr<Monitor>> Monitor::Open(const MonitorConfig& config, const Clock& clock,
                                               StreamSink::Writer stdout_writer) {
  std::unique_ptr<Monitor> m(new Monitor(config, clock));
  TB_RETURN_IF_ERROR(io::CreateDirectories(config.state_dir));
  Result<std::unique_ptr<io::FileLock>> lock =
      io::FileLock::Acquire(config.state_dir + "/LOCK", /*wait=*/false);
  if (!lock.ok()) {
    return lock.status().WithContext("monitor state " + config.state_dir +
                                     " is in use by another monitor");
  }
  m->lock_ = std::move(lock).value();
  TB_ASSIGN_OR_RETURN(DetectionSet detections,
                      LoadDetectionRunbooks(config.runbooks, config.link_template));
  m->detections_ = std::make_unique<DetectionSet>(std::move(detections));
  TB_ASSIGN_OR_RETURN(m->store_,
                      storage::Store::Open(config.store, storage::Store::Mode::kReadWrite, clock));
  // Incremental detection reads each new segment once per rule within a cycle, so the
  // decoded-text cache only needs to hold one cycle's new blocks, not the default 256 MiB.
  sql::EngineOptions engine_options;
  engine_options.text_block_cache_bytes = kDetectionTextCacheBytes;
  // Segments keep arriving for as long as the monitor runs: their decoded dictionaries are
  // kept within a budget (LRU), in the store and in the engine.
  const size_t dictionary_bytes = size_t{config.dictionary_cache_mb} << 20;
  engine_options.dictionary_cache_bytes = dictionary_bytes;
  m->store_->dictionary_cache().set_capacity_bytes(dictionary_bytes);
  m->engine_ = std::make_unique<sql::QueryEngine>(*m->store_, engine_options);
  audit::AuditLogOptions audit_options;
  audit_options.clock = &clock;
  audit_options.digest_key_path = config.audit_digest_key;
  TB_ASSIGN_OR_RETURN(m->audit_, audit::AuditLog::Open(config.store, audit_options));
  Status auth = BuildVerifier(config.auth, clock, &m->keys_, &m->verifier_);
  if (!auth.ok()) return auth.WithContext("monitor auth");
  runbook::ExecutorOptions executor_options;
  executor_options.clock = &clock;
  executor_options.threads = 1;
  m->executor_ = std::make_unique<runbook::Executor>(m->detections_->library, *m->verifier_,
                                                     *m->engine_, *m->audit_, executor_options);
  m->token_ = std::make_unique<ServiceTokenFile>(config.token_file);
  EvidenceOptions evidence;
  if (!config.snapshot_key.empty()) {
    Result<snapshot::SnapshotSigningKey> key = snapshot::SnapshotSigningKey::LoadFile(config.snapshot_key);
    if (!key.ok()) return key.status().WithContext("snapshot_key " + config.snapshot_key);
    m->snapshot_key_.emplace(std::move(key).value());
    snapshot::SnapshotAccessOptions access_options;
    access_options.clock = &clock;
    m->snapshot_access_ = std::make_unique<snapshot::SnapshotAccess>(
        snapshot::SnapshotsDir(config.store), *m->verifier_, *m->audit_, access_options);
    evidence.key = &*m->snapshot_key_;
    evidence.access = m->snapshot_access_.get();
  }
  if (!config.audit_digest_key.empty()) {
    m->next_digest_us_ = clock.NowMicros() + config.audit_digest_interval_us;
  }
  m->source_ = std::make_unique<RunbookQuerySource>(*m->executor_, m->detections_->rules,
                                                    *m->token_, *m->store_, evidence, clock);
  std::vector<std::unique_ptr<AlertSink>> sinks;
  for (const DeliveryConfig& d : config.deliveries) {
    switch (d.type) {
      case DeliveryType::kStdout:
        sinks.push_back(std::make_unique<StreamSink>(d.name, stdout_writer));
        break;
      case DeliveryType::kFile: {
        TB_ASSIGN_OR_RETURN(std::unique_ptr<FileSink> sink, FileSink::Open(d.name, d.path));
        sinks.push_back(std::move(sink));
        break;
      }
      case DeliveryType::kWebhook: {
        TB_ASSIGN_OR_RETURN(std::unique_ptr<WebhookSink> sink,
                            WebhookSink::Create(d.name, d.webhook, clock));
        sinks.push_back(std::move(sink));
        break;
      }
    }
  }
  PipelineOptions options;
  options.state_path = config.state_dir + "/state.json";
  options.candidates_path = config.state_dir + "/candidates.ndjson";
  options.dead_letter_path = config.state_dir + "/dead-letter.ndjson";
  options.default_sinks = config.default_deliver;
  options.max_attempts = config.max_attempts;
  options.engine.lookback_us = config.lookback_us;
  options.engine.max_keys_per_rule = config.max_keys_per_rule;
  options.engine.max_cached_rows_per_rule = config.max_rows_per_rule;
  options.engine.max_time_counts_per_rule = config.max_counts_per_rule;
  TB_ASSIGN_OR_RETURN(m->pipeline_, AlertPipeline::Open(options, m->detections_->rules,
                                                        *m->source_, clock, std::move(sinks)));
  return m;
}

int64_t Monitor::NextDetection(int64_t after) const {
  if (config_.cron) return config_.cron->NextAfter(after);
  return after + config_.detect_interval_us;
}

Result<PassReport> Monitor::RunPass(bool force_detect) {
  PassReport report;
  if (!config_.watch.empty()) {
    ingest::IngestOptions options;
    options.threads = config_.ingest_threads;
    options.batch_bytes = size_t{64} << 20;
    // Everything the monitor ingests falls in the current day and hour: buckets of a minute
    // let the filter evict within them (ingest/dedup_index.h).
    options.dedup_limits.max_resident_keys = config_.dedup_keys;
    options.dedup_limits.bucket_us = config_.dedup_bucket_us;
    if (dedup_ == nullptr) {
      dedup_ = std::make_unique<ingest::DedupIndex>(*store_, options.dedup_limits);
    }
    options.dedup = dedup_.get();
    std::vector<std::string> present;
    for (const std::string& p : config_.watch) {
      if (io::Exists(p)) present.push_back(p);
    }
    if (!present.empty()) {
      TB_ASSIGN_OR_RETURN(report.ingest, ingest::Ingest(*store_, present, options, nullptr));
      report.ingested = true;
    }
  }
  const int64_t now = clock_.NowMicros();
  if (next_detection_us_ == 0) next_detection_us_ = now;  // detect on the first pass
  if (force_detect || now >= next_detection_us_) {
    keys_->Tick();
    // Deny by default: without a readable service token no detection runs (the token's
    // verification and authorization happen, and are audited, per query in the executor).
    Result<std::string> token = token_->Current();
    if (!token.ok()) {
      TB_ASSIGN_OR_RETURN(report.cycle, pipeline_->DeliverDue());
      report.cycle.rule_errors.push_back(Unauthenticated("no usable service token in " +
                                                         token_->path() + ": " +
                                                         token.status().ToString()));
    } else {
      TB_ASSIGN_OR_RETURN(report.cycle, pipeline_->RunCycle());
      report.detected = true;
      // Segments every rule has read are not needed again soon: drop their mapped pages, so
      // the RSS does not grow with every segment the monitor ever read.
      uint64_t read_by_all = UINT64_MAX;
      const AlertEngine& engine = pipeline_->engine();
      for (const AlertRule& rule : engine.rules()) {
        auto state = engine.state().rules.find(rule.runbook_id);
        read_by_all = std::min(read_by_all, state == engine.state().rules.end()
                                                ? uint64_t{0}
                                                : state->second.ingest_position);
      }
      if (read_by_all != UINT64_MAX) store_->ReleaseSegmentPages(read_by_all);
      next_detection_us_ = NextDetection(now);
      if (next_detection_us_ < 0) next_detection_us_ = INT64_MAX;
    }
  } else {
    TB_ASSIGN_OR_RETURN(report.cycle, pipeline_->DeliverDue());
  }
  if (next_digest_us_ != 0 && now >= next_digest_us_) {
    // A failed digest is reported, not fatal: the next one covers the same events.
    report.digest = audit_->WriteDigest();
    next_digest_us_ = now + config_.audit_digest_interval_us;
  }
  return report;
}

Status Monitor::Close() {
  if (next_digest_us_ == 0) return Status::OK();
  Result<audit::DigestReceipt> digest = audit_->WriteDigest();
  if (!digest.ok()) return digest.status().WithContext("final audit digest");
  return Status::OK();
}

Status Monitor::Run(const std::atomic<bool>& stop,
                    const std::function<void(const PassReport&)>& on_pass) {
  while (!stop.load()) {
    const int64_t started = clock_.MonotonicMicros();
    Result<PassReport> pass = RunPass(false);
    if (!pass.ok()) {
      (void)Close();  // Cover what was audited before the failure; the pass error wins.
      return pass.status();
    }
    const PassReport& report = *pass;
    if (on_pass) on_pass(report);
    const int64_t deadline = started + config_.poll_interval_us;
    while (!stop.load() && clock_.MonotonicMicros() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::clamp<int64_t>((deadline - clock_.MonotonicMicros()) / 1000, 1, 50)));
    }
  }
  return Close();
}

}  // namespace trailbook::monitor
