// File: server/backends.h
//
// The narrow interfaces through which the HTTP API reaches stores on disk: signed snapshots
// (SnapshotCatalog) and the audit chain verifier (AuditChainVerifier). Runbook runs and
// ad-hoc queries go through runbook::Executor directly (api_handler.h). The production
// implementations over a store directory are in server/store_backends.h; tests substitute
// their own.
//
// Thread safety: implementations must be safe to call from many request threads at once.
#pragma once

#include <string>
#include <string_view>

#include "auth/jwt/claims.h"
#include "base/status.h"
#include "runbook/executor.h"
#include "snapshot/snapshot_manifest.h"

namespace trailbook::server {

class SnapshotCatalog {
 public:
  virtual ~SnapshotCatalog() = default;
  // A JSON object {"snapshots":[...]} of the snapshots whose runbook `principal`'s runbooks
  // claim allows. Errors: kIOError.
  virtual Result<std::string> ListJson(const auth::Principal& principal) const = 0;
  // One snapshot's manifest as JSON. Errors: kNotFound when unknown or when its runbook is
  // outside `principal`'s claims (indistinguishable on purpose), kCorruption, kIOError.
  virtual Result<std::string> GetJson(std::string_view id,
                                      const auth::Principal& principal) const = 0;
  // Verifies a snapshot's signature and content; the report as a JSON object with "ok".
  // Errors: as GetJson.
  virtual Result<std::string> VerifyJson(std::string_view id,
                                         const auth::Principal& principal) const = 0;

  // Whether Create can sign snapshots (a signing key is configured).
  virtual bool can_create() const = 0;
  // The store state to record for a run that starts now (call right before running).
  virtual snapshot::StoreState CaptureStoreState() const = 0;
  // Freezes the result of the successful run `run` as a signed snapshot; returns its id.
  // Errors: kUnimplemented without a signing key, kIOError.
  virtual Result<std::string> Create(const runbook::RunOutcome& run,
                                     const snapshot::StoreState& state) const = 0;
};

class AuditChainVerifier {
 public:
  virtual ~AuditChainVerifier() = default;
  // Verifies the audit hash chain and digests of the store; the report as a JSON object
  // with "ok". Errors: kNotFound (no audit journal yet), kIOError.
  virtual Result<std::string> VerifyJson() const = 0;
};

}  // namespace trailbook::server
