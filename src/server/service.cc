#include "server/service.h"

#include <algorithm>

#include "auth/jwks/jwks_cache.h"
#include "snapshot/snapshot_verifier.h"

namespace trailbook::server {
namespace {

Result<std::unique_ptr<auth::TokenVerifier>> BuildVerifier(const ServeConfig& config) {
  auth::VerifierConfig out;
  out.cache_capacity = config.server.token_cache_entries;
  out.max_token_bytes = config.server.limits.max_token_bytes;
  for (const IssuerSettings& settings : config.issuers) {
    auth::KeySourceConfig source;
    bool is_url = settings.jwks.starts_with("https://") || settings.jwks.starts_with("http://");
    (is_url ? source.jwks_url : source.jwks_file) = settings.jwks;
    source.https.ca_file = config.jwks_ca_file;
    source.cache.background_refresh = true;  // A long-running server follows key rotation.
    Result<std::shared_ptr<auth::JwksCache>> keys = auth::JwksCache::Open(source, SystemClock());
    if (!keys.ok()) {
      return Status(keys.status().code(), "issuer " + settings.issuer + ": keys from " +
                                              settings.jwks + ": " + keys.status().message());
    }
    auth::IssuerConfig issuer;
    issuer.issuer = settings.issuer;
    issuer.audiences = settings.audiences.empty() ? std::vector<std::string>{"trailbook"}
                                                  : settings.audiences;
    if (!settings.typ.empty()) issuer.accepted_typ = settings.typ;
    for (const std::string& name : settings.algorithms) {
      std::optional<auth::JwsAlgorithm> alg = auth::ParseJwsAlgorithm(name);
      if (!alg) return InvalidArgument("issuer " + settings.issuer + ": unsupported algorithm " + name);
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
    issuer.keys = std::move(keys).value();
    out.issuers.push_back(std::move(issuer));
  }
  return auth::TokenVerifier::Create(std::move(out));
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Open(const ServeConfig& config) {
  TB_RETURN_IF_ERROR(ValidateServeConfig(config));
  std::unique_ptr<Service> s(new Service());
  s->config_ = config;
  TB_ASSIGN_OR_RETURN(s->store_, storage::Store::Open(config.store_dir, storage::Store::Mode::kReadOnly));
  audit::AuditLogOptions audit_options;
  audit_options.digest_key_path = config.audit_digest_key_file;
  TB_ASSIGN_OR_RETURN(s->audit_, audit::AuditLog::Open(config.store_dir, audit_options));
  Result<runbook::RunbookLibrary> library = runbook::RunbookLibrary::LoadDirectory(config.runbooks_dir);
  if (!library.ok()) {
    return Status(library.status().code(), "runbooks: " + library.status().message());
  }
  s->library_ = std::move(library).value();
  TB_ASSIGN_OR_RETURN(s->verifier_, BuildVerifier(config));
  s->engine_ = std::make_unique<sql::QueryEngine>(*s->store_);
  const ServerLimits& limits = config.server.limits;
  runbook::ExecutorOptions executor_options;
  executor_options.timeout = limits.query_timeout;
  executor_options.memory_limit_bytes = limits.query_memory_bytes;
  executor_options.max_result_bytes = limits.query_memory_bytes;
  executor_options.threads = limits.query_threads;
  executor_options.cancel = &s->cancel_;
  executor_options.plan_for_runs = false;  // responses carry no plan
  s->executor_ = std::make_unique<runbook::Executor>(s->library_, *s->verifier_, *s->engine_,
                                                     *s->audit_, executor_options);

  std::vector<auth::Jwk> trusted;
  if (!config.snapshot_key_file.empty()) {
    Result<snapshot::SnapshotSigningKey> key =
        snapshot::SnapshotSigningKey::LoadFile(config.snapshot_key_file);
    if (!key.ok()) return Status(key.status().code(), "snapshot_key: " + key.status().message());
    s->snapshot_key_ = std::move(key).value();
    const auth::Jwk& own = s->snapshot_key_->public_jwk();
    TB_ASSIGN_OR_RETURN(auth::Jwk copy, auth::Jwk::FromEvpPublicKey(own.pkey(), own.alg(), own.kid()));
    trusted.push_back(std::move(copy));
  }
  if (!config.snapshot_jwks_file.empty()) {
    TB_ASSIGN_OR_RETURN(auth::JwkSet retired,
                        snapshot::LoadTrustedSnapshotKeys(config.snapshot_jwks_file));
    for (const auth::Jwk& key : retired.keys()) {
      if (s->snapshot_key_ && key.kid() == s->snapshot_key_->key_id()) continue;
      TB_ASSIGN_OR_RETURN(auth::Jwk copy, auth::Jwk::FromEvpPublicKey(key.pkey(), key.alg(), key.kid()));
      trusted.push_back(std::move(copy));
    }
  }
  std::optional<auth::JwkSet> trusted_set;
  if (!trusted.empty()) {
    Result<auth::JwkSet> set = auth::JwkSet::Create(std::move(trusted));
    if (!set.ok()) return Status(set.status().code(), "snapshot keys: " + set.status().message());
    trusted_set = std::move(set).value();
  }
  s->snapshots_ = std::make_unique<StoreSnapshotCatalog>(
      config.store_dir, *s->store_, s->snapshot_key_ ? &*s->snapshot_key_ : nullptr,
      std::move(trusted_set), &SystemClock());
  s->audit_verifier_ = std::make_unique<StoreAuditVerifier>(config.store_dir, "");

  const storage::Store* store = s->store_.get();
  s->metrics_.set_ingest_lag_provider([store]() -> std::optional<double> {
    std::shared_ptr<const storage::StoreSnapshot> snap = store->Snapshot();
    if (snap->row_count() == 0) return std::nullopt;
    return static_cast<double>(SystemClock().NowMicros() - snap->max_time()) / 1e6;
  });

  ApiOptions api_options;
  api_options.limits = limits;
  TB_ASSIGN_OR_RETURN(api_options.trusted_proxies, AddressSet::Parse(config.server.trusted_proxies));
  ApiBackends backends;
  backends.verifier = s->verifier_.get();
  backends.audit = s->audit_.get();
  backends.metrics = &s->metrics_;
  backends.clock = &SystemClock();
  backends.executor = s->executor_.get();
  backends.cancel = &s->cancel_;
  backends.snapshots = s->snapshots_.get();
  backends.audit_verifier = s->audit_verifier_.get();
  s->handler_ = std::make_unique<ApiHandler>(std::move(api_options), backends);
  if (config.audit_fold_interval.count() > 0) {
    s->folder_ = std::make_unique<AuditFolder>(*s->store_, config.audit_fold_interval,
                                              config.audit_fold);
  }
  TB_ASSIGN_OR_RETURN(s->http_, HttpServer::Create(config.server, *s->handler_));
  return s;
}

Service::~Service() {
  Shutdown();
  if (folder_ != nullptr) folder_->Stop();
  if (digest_thread_.joinable()) digest_thread_.join();
}

Result<uint16_t> Service::Bind() { return http_->Bind(); }

void Service::DigestLoop() {
  std::unique_lock<std::mutex> lock(digest_mu_);
  while (!stopping_) {
    if (digest_cv_.wait_for(lock, config_.audit_digest_interval, [this] { return stopping_; })) break;
    lock.unlock();
    (void)audit_->WriteDigest();  // A failure shows in `audit verify`; the final one is reported.
    lock.lock();
  }
}

Status Service::Serve() {
  handler_->set_ready(true);
  if (!config_.audit_digest_key_file.empty()) digest_thread_ = std::thread([this] { DigestLoop(); });
  if (folder_ != nullptr) folder_->Start();
  Status served = http_->Serve();
  if (folder_ != nullptr) folder_->Stop();
  {
    std::lock_guard<std::mutex> lock(digest_mu_);
    stopping_ = true;
  }
  digest_cv_.notify_all();
  if (digest_thread_.joinable()) digest_thread_.join();
  if (!config_.audit_digest_key_file.empty()) {
    Result<audit::DigestReceipt> digest = audit_->WriteDigest();
    if (served.ok() && !digest.ok()) {
      return Status(digest.status().code(), "final audit digest: " + digest.status().message());
    }
  }
  return served;
}

void Service::Shutdown() {
  if (http_ != nullptr) http_->Shutdown();
}

}  // namespace trailbook::server
