#include "server/store_backends.h"

#include "audit/audit_verifier.h"
#include "json/json_writer.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"

namespace trailbook::server {
namespace {

bool MayRead(const auth::Principal& principal, std::string_view runbook_id) {
  if (!principal.AllowsRunbook(runbook_id)) return false;
  return !runbook_id.starts_with("audit.") || principal.HasScope(auth::kScopeAuditRead);
}

}  // namespace

StoreSnapshotCatalog::StoreSnapshotCatalog(std::string store_dir, const storage::Store& store,
                                           const snapshot::SnapshotSigningKey* signing_key,
                                           std::optional<auth::JwkSet> trusted_keys,
                                           const Clock* clock)
    : snapshots_dir_(snapshot::SnapshotsDir(store_dir)),
      store_(store),
      signing_key_(signing_key),
      trusted_keys_(std::move(trusted_keys)),
      clock_(clock) {}

Result<std::string> StoreSnapshotCatalog::ListJson(const auth::Principal& principal) const {
  TB_ASSIGN_OR_RETURN(std::vector<snapshot::SnapshotSummary> all,
                      snapshot::ListSnapshots(snapshots_dir_));
  json::JsonWriter w;
  w.BeginObject();
  w.Key("snapshots");
  w.BeginArray();
  for (const snapshot::SnapshotSummary& s : all) {
    // A snapshot whose manifest does not read has no runbook to check; it is not listed.
    if (!s.error.empty() || !MayRead(principal, s.runbook_id)) continue;
    w.BeginObject();
    w.Key("id");
    w.String(s.id);
    w.Key("runbook_id");
    w.String(s.runbook_id);
    w.Key("runbook_version");
    w.String(s.runbook_version);
    w.Key("created_us");
    w.Int(s.created_us);
    w.Key("rows");
    w.UInt(s.rows);
    w.Key("subject");
    w.String(s.subject);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

Result<std::string> StoreSnapshotCatalog::Visible(std::string_view id,
                                                  const auth::Principal& principal) const {
  TB_ASSIGN_OR_RETURN(std::string dir, snapshot::FindSnapshot(snapshots_dir_, std::string(id)));
  TB_ASSIGN_OR_RETURN(snapshot::SnapshotManifest manifest, snapshot::ReadManifest(dir));
  if (!MayRead(principal, manifest.runbook.id)) {
    return NotFound("snapshot " + std::string(id) + " not found");
  }
  return dir;
}

Result<std::string> StoreSnapshotCatalog::GetJson(std::string_view id,
                                                   const auth::Principal& principal) const {
  TB_ASSIGN_OR_RETURN(std::string dir, Visible(id, principal));
  TB_ASSIGN_OR_RETURN(snapshot::SnapshotManifest manifest, snapshot::ReadManifest(dir));
  return snapshot::RenderManifest(manifest);
}

Result<std::string> StoreSnapshotCatalog::VerifyJson(std::string_view id,
                                                     const auth::Principal& principal) const {
  TB_ASSIGN_OR_RETURN(std::string dir, Visible(id, principal));
  if (!trusted_keys_) {
    return Status(StatusCode::kUnimplemented,
                  "no snapshot verification keys are configured (snapshot_key or snapshot_jwks)");
  }
  snapshot::VerifyOptions options;
  options.expected_id = std::string(id);
  snapshot::VerifyReport report = snapshot::VerifySnapshot(dir, *trusted_keys_, options);
  json::JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.String(id);
  w.Key("ok");
  w.Bool(report.ok());
  w.Key("checks");
  w.BeginArray();
  for (const snapshot::VerifyCheck& check : report.checks) {
    w.BeginObject();
    w.Key("name");
    w.String(check.name);
    w.Key("ok");
    w.Bool(check.ok);
    if (!check.detail.empty()) {
      w.Key("detail");
      w.String(check.detail);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

snapshot::StoreState StoreSnapshotCatalog::CaptureStoreState() const {
  return snapshot::StoreState::From(*store_.Snapshot());
}

Result<std::string> StoreSnapshotCatalog::Create(const runbook::RunOutcome& run,
                                                 const snapshot::StoreState& state) const {
  if (signing_key_ == nullptr) {
    return Status(StatusCode::kUnimplemented, "no snapshot signing key is configured");
  }
  snapshot::SnapshotRequest request;
  request.runbook.id = run.runbook_id;
  request.runbook.version = run.runbook_version;
  request.runbook.content_hash = run.runbook_hash;
  request.parameters = run.params.values;
  if (run.principal) {
    request.principal.subject = run.principal->subject;
    request.principal.issuer = run.principal->issuer;
    request.principal.token_id = run.principal->token_id;
  }
  request.constraints = run.constraints;
  request.store = state;
  snapshot::SnapshotWriterOptions options;
  options.clock = clock_;
  TB_ASSIGN_OR_RETURN(std::unique_ptr<snapshot::SnapshotWriter> writer,
                      snapshot::SnapshotWriter::Create(snapshots_dir_, std::move(request),
                                                       run.column_names, run.column_types,
                                                       *signing_key_, options));
  for (const sql::DataChunk& chunk : run.chunks) TB_RETURN_IF_ERROR(writer->Append(chunk));
  TB_ASSIGN_OR_RETURN(snapshot::SnapshotInfo info, writer->Commit());
  return info.id;
}

StoreAuditVerifier::StoreAuditVerifier(std::string store_dir, std::string jwks_path)
    : store_dir_(std::move(store_dir)), jwks_path_(std::move(jwks_path)) {}

Result<std::string> StoreAuditVerifier::VerifyJson() const {
  audit::AuditVerifyOptions options;
  options.jwks_path = jwks_path_;
  TB_ASSIGN_OR_RETURN(audit::AuditVerifyReport report, audit::VerifyAuditTrail(store_dir_, options));
  return audit::AuditVerifyReportJson(report);
}

}  // namespace trailbook::server
