// File: server/service.h
//
// Service: `trailbook serve` assembled from a ServeConfig. It opens the store (read-only),
// its audit log, the runbook library and the verification key sets (JWKS files or URLs,
// refreshed in the background), the snapshot signing key, and wires them into the
// runbook::Executor, the ApiHandler and the HttpServer. It also writes a signed audit digest
// every audit_digest_interval and once more on shutdown (when a digest key is configured),
// and folds the audit journal into store segments every audit_fold_interval (AuditFolder).
//
//   TB_ASSIGN_OR_RETURN(auto service, Service::Open(config));
//   TB_ASSIGN_OR_RETURN(uint16_t port, service->Bind());
//   std::thread signals([&] { wait for SIGTERM; service->Shutdown(); });
//   Status served = service->Serve();   // returns after a graceful shutdown
//
// Thread safety: Shutdown may be called from any thread while Serve runs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "audit/audit_log.h"
#include "auth/jwt/token_verifier.h"
#include "base/status.h"
#include "runbook/executor.h"
#include "server/api_handler.h"
#include "server/audit_folder.h"
#include "server/http_server.h"
#include "server/serve_config.h"
#include "server/server_metrics.h"
#include "server/store_backends.h"
#include "snapshot/snapshot_key.h"
#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace trailbook::server {

class Service {
 public:
  // Opens everything `config` names. Errors: kInvalidArgument (bad config, keys, runbooks,
  // naming the file), kNotFound (no store), kIOError.
  static Result<std::unique_ptr<Service>> Open(const ServeConfig& config);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Binds the listening socket; returns the port (useful with port 0).
  Result<uint16_t> Bind();
  // Serves until Shutdown, then writes the final audit digest. Returns the first error of
  // serving or of that digest.
  Status Serve();
  // Starts a graceful shutdown (stop accepting; in-flight requests get the deadline).
  void Shutdown();

  const ApiHandler& handler() const { return *handler_; }

 private:
  Service() = default;
  void DigestLoop();

  ServeConfig config_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  runbook::RunbookLibrary library_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<sql::QueryEngine> engine_;
  std::atomic<bool> cancel_{false};
  std::unique_ptr<runbook::Executor> executor_;
  std::optional<snapshot::SnapshotSigningKey> snapshot_key_;
  std::unique_ptr<StoreSnapshotCatalog> snapshots_;
  std::unique_ptr<StoreAuditVerifier> audit_verifier_;
  ServerMetrics metrics_;
  std::unique_ptr<ApiHandler> handler_;
  std::unique_ptr<HttpServer> http_;

  std::mutex digest_mu_;
  std::condition_variable digest_cv_;
  bool stopping_ = false;  // Guarded by digest_mu_.
  std::thread digest_thread_;
  std::unique_ptr<AuditFolder> folder_;  // Null when audit_fold_interval is 0.
};

}  // namespace trailbook::server
