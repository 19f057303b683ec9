// File: server/store_backends.h
//
// The production implementations of the server's backends over a store directory:
// StoreSnapshotCatalog (signed snapshots under <store>/snapshots, via the snapshot
// library) and StoreAuditVerifier (the store's audit chain and digests, via
// audit::VerifyAuditTrail). `trailbook serve` wires them; tests may too.
//
//   StoreSnapshotCatalog snapshots(store_dir, store, &key, std::move(trusted), clock);
//   StoreAuditVerifier audit_verifier(store_dir, "");
//
// Thread safety: both are immutable after construction and safe to share between threads.
#pragma once

#include <optional>
#include <string>

#include "auth/jwt/jwk.h"
#include "base/clock.h"
#include "server/backends.h"
#include "snapshot/snapshot_key.h"
#include "storage/store.h"

namespace trailbook::server {

class StoreSnapshotCatalog : public SnapshotCatalog {
 public:
  // `store` and `signing_key` (nullable: no snapshots are created) must outlive the catalog.
  // `trusted_keys` verify snapshots (the signing key's public half and any retired keys);
  // without them VerifyJson returns kUnimplemented.
  StoreSnapshotCatalog(std::string store_dir, const storage::Store& store,
                       const snapshot::SnapshotSigningKey* signing_key,
                       std::optional<auth::JwkSet> trusted_keys, const Clock* clock);

  Result<std::string> ListJson(const auth::Principal& principal) const override;
  Result<std::string> GetJson(std::string_view id, const auth::Principal& principal) const override;
  Result<std::string> VerifyJson(std::string_view id,
                                 const auth::Principal& principal) const override;
  bool can_create() const override { return signing_key_ != nullptr; }
  snapshot::StoreState CaptureStoreState() const override;
  Result<std::string> Create(const runbook::RunOutcome& run,
                             const snapshot::StoreState& state) const override;

 private:
  // The directory of snapshot `id` when `principal` may see it; kNotFound otherwise.
  Result<std::string> Visible(std::string_view id, const auth::Principal& principal) const;

  std::string snapshots_dir_;
  const storage::Store& store_;
  const snapshot::SnapshotSigningKey* signing_key_;
  std::optional<auth::JwkSet> trusted_keys_;
  const Clock* clock_;
};

class StoreAuditVerifier : public AuditChainVerifier {
 public:
  // `jwks_path`: an independently kept copy of the digest public keys ("" = the store's).
  StoreAuditVerifier(std::string store_dir, std::string jwks_path);
  Result<std::string> VerifyJson() const override;

 private:
  std::string store_dir_;
  std::string jwks_path_;
};

}  // namespace trailbook::server
