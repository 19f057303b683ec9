#include "snapshot/snapshot_access.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "auth/jwt/claims.h"
#include "base/timestamp.h"
#include "crypto/digest.h"
#include "io/file.h"
#include "json/json_writer.h"

namespace trailbook::snapshot {
namespace {

std::string RequestParameters(const std::string& action, const std::string& id,
                              const std::string& extra_key, const std::string& extra_value) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("action");
  w.String(action);
  if (!id.empty()) {
    w.Key("snapshotId");
    w.String(id.substr(0, 128));
  }
  if (!extra_key.empty()) {
    w.Key(extra_key);
    w.String(extra_value);
  }
  w.EndObject();
  return std::move(w).Take();
}

// Parses a day-time interval as Value::ToString renders it ("[-]D HH:MM:SS.mmm").
std::optional<int64_t> ParseIntervalText(std::string_view text) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  long long days = 0, h = 0, m = 0, s = 0, ms = 0;
  std::string copy(text);
  char tail = 0;
  if (std::sscanf(copy.c_str(), "%lld %lld:%lld:%lld.%lld%c", &days, &h, &m, &s, &ms, &tail) != 5) {
    return std::nullopt;
  }
  int64_t us = ((((days * 24 + h) * 60 + m) * 60 + s) * 1000 + ms) * 1000;
  return negative ? -us : us;
}

// The snapshot's segments that `now` no longer holds (segments are immutable and never
// removed, so this is empty unless the store was replaced or damaged).
std::vector<uint64_t> MissingSegments(const StoreState& then, const StoreState& now) {
  std::vector<uint64_t> missing;
  std::set_difference(then.segment_ids.begin(), then.segment_ids.end(), now.segment_ids.begin(),
                      now.segment_ids.end(), std::back_inserter(missing));
  return missing;
}

std::string DescribeStoreCheck(const StoreState& then, const StoreState& now,
                               const std::vector<uint64_t>& missing) {
  if (then.store_id != now.store_id) {
    return "a different store (" + now.store_id + "; the snapshot ran over " + then.store_id + ")";
  }
  if (!missing.empty()) {
    std::string ids;
    for (size_t i = 0; i < missing.size() && i < 8; ++i) {
      ids += (i == 0 ? "" : ", ") + std::to_string(missing[i]);
    }
    if (missing.size() > 8) ids += ", ...";
    return std::to_string(missing.size()) + " of the snapshot's " +
           std::to_string(then.segment_ids.size()) + " segment(s) are gone (" + ids +
           "); the re-run cannot read the same data";
  }
  size_t added = now.segment_ids.size() - then.segment_ids.size();
  return std::to_string(then.segment_ids.size()) + " segment(s) pinned, as in the snapshot" +
         (added == 0 ? std::string()
                     : " (" + std::to_string(added) + " segment(s) ingested since are not read)");
}

}  // namespace

struct SnapshotAccess::Grant {
  std::string event_name;
  std::string action;
  std::string id;
  runbook::RequestOrigin origin;
  std::string request_id;
  auth::Principal principal;
  std::vector<auth::VerificationStep> steps;
  std::string request_parameters;
};

SnapshotAccess::SnapshotAccess(std::string snapshots_dir, const auth::TokenVerifier& verifier,
                               audit::AuditLog& audit_log, SnapshotAccessOptions options)
    : snapshots_dir_(std::move(snapshots_dir)),
      verifier_(verifier),
      audit_log_(audit_log),
      clock_(options.clock != nullptr ? *options.clock : SystemClock()) {}

Result<SnapshotAccess::Grant> SnapshotAccess::Authorize(const AccessRequest& request,
                                                        const std::string& event_name,
                                                        const std::string& action,
                                                        const std::string& id) const {
  Grant grant;
  grant.event_name = event_name;
  grant.action = action;
  grant.id = id;
  grant.origin = request.origin;
  grant.request_id = request.origin.request_id;
  if (grant.request_id.empty()) {
    Result<std::string> uuid = crypto::RandomUuid();
    if (uuid.ok()) grant.request_id = std::move(uuid).value();
  }
  grant.request_parameters = RequestParameters(action, id, "", "");

  auth::RequestContext ctx;
  ctx.clock = &clock_;
  ctx.caller_address = request.origin.source_ip;
  auth::Verification v = verifier_.Verify(request.token, ctx);
  grant.steps = std::move(v.steps);

  audit::AuditEvent e;
  e.event_name = event_name;
  e.read_only = true;
  e.source_ip = request.origin.source_ip;
  e.user_agent = request.origin.user_agent;
  e.request_id = grant.request_id;
  e.token_sha256 = v.token_sha256;
  e.request_parameters_json = grant.request_parameters;
  Status denial;
  std::string claim;
  if (!v.principal) {
    denial = Unauthenticated("invalid token");
    e.error_code = "InvalidToken";
    e.error_message = v.deny_reason;
    claim = "token";
  } else if (!v.principal->HasScope(auth::kScopeSnapshotRead)) {
    denial = PermissionDenied("not allowed");
    e.error_code = "AccessDenied";
    e.error_message = "scope: the token does not grant " + std::string(auth::kScopeSnapshotRead);
    claim = "scope";
    e.principal_id = v.principal->subject;
    e.issuer = v.principal->issuer;
    e.token_id = v.principal->token_id;
  }
  if (denial.ok()) {
    grant.principal = std::move(*v.principal);
    return grant;
  }
  json::JsonWriter w;
  w.BeginObject();
  w.Key("verificationSteps");
  auth::WriteStepsJson(grant.steps, &w);
  w.Key("decision");
  w.BeginObject();
  w.Key("allowed");
  w.Bool(false);
  w.Key("claim");
  w.String(claim);
  w.EndObject();
  w.EndObject();
  e.additional_event_data_json = std::move(w).Take();
  Result<audit::AuditReceipt> receipt = audit_log_.Append(e);
  if (!receipt.ok()) {
    return Status(receipt.status().code(),
                  "audit log write failed: " + receipt.status().message());
  }
  return denial;
}

Status SnapshotAccess::Record(const Grant& grant, const Status& outcome,
                              const std::string& response_json) const {
  audit::AuditEvent e;
  e.event_name = grant.event_name;
  e.read_only = grant.event_name != kEventCreateSnapshot;
  e.principal_id = grant.principal.subject;
  e.issuer = grant.principal.issuer;
  e.token_id = grant.principal.token_id;
  e.token_sha256 = grant.principal.token_sha256;
  e.source_ip = grant.origin.source_ip;
  e.user_agent = grant.origin.user_agent;
  e.request_id = grant.request_id;
  e.request_parameters_json = grant.request_parameters;
  if (outcome.ok()) {
    e.response_elements_json = response_json;
  } else {
    e.error_code = outcome.code() == StatusCode::kNotFound ? "SnapshotNotFound" : "SnapshotError";
    e.error_message = outcome.message();
  }
  json::JsonWriter w;
  w.BeginObject();
  if (!grant.steps.empty()) {
    w.Key("verificationSteps");
    auth::WriteStepsJson(grant.steps, &w);
  }
  w.Key("decision");
  w.BeginObject();
  w.Key("allowed");
  w.Bool(true);
  w.Key("claim");
  w.String(grant.event_name == kEventCreateSnapshot ? "run"
                                                    : std::string(auth::kScopeSnapshotRead));
  w.EndObject();
  w.EndObject();
  e.additional_event_data_json = std::move(w).Take();
  Result<audit::AuditReceipt> receipt = audit_log_.Append(e);
  if (!receipt.ok()) {
    return Status(receipt.status().code(),
                  "audit log write failed; nothing returned: " + receipt.status().message());
  }
  return Status::OK();
}

Result<std::vector<SnapshotSummary>> SnapshotAccess::List(const AccessRequest& request) const {
  TB_ASSIGN_OR_RETURN(Grant grant, Authorize(request, kEventListSnapshots, "list", ""));
  Result<std::vector<SnapshotSummary>> list = ListSnapshots(snapshots_dir_);
  std::string response;
  if (list.ok()) {
    json::JsonWriter w;
    w.BeginObject();
    w.Key("snapshots");
    w.UInt(list->size());
    w.EndObject();
    response = std::move(w).Take();
  }
  TB_RETURN_IF_ERROR(Record(grant, list.status(), response));
  return list;
}

Result<ManifestView> SnapshotAccess::Show(const AccessRequest& request,
                                          const std::string& id) const {
  TB_ASSIGN_OR_RETURN(Grant grant, Authorize(request, kEventReadSnapshot, "show", id));
  Result<ManifestView> view = [&]() -> Result<ManifestView> {
    ManifestView v;
    TB_ASSIGN_OR_RETURN(v.dir, FindSnapshot(snapshots_dir_, id));
    TB_ASSIGN_OR_RETURN(v.json, io::ReadFile(v.dir + "/" + kManifestFile, kMaxManifestBytes));
    TB_ASSIGN_OR_RETURN(v.manifest, ParseManifest(v.json));
    return v;
  }();
  std::string response;
  if (view.ok()) {
    json::JsonWriter w;
    w.BeginObject();
    w.Key("runbookId");
    w.String(view->manifest.runbook.id);
    w.Key("rows");
    w.UInt(view->manifest.rows);
    w.EndObject();
    response = std::move(w).Take();
  }
  TB_RETURN_IF_ERROR(Record(grant, view.status(), response));
  return view;
}

Status SnapshotAccess::Export(const AccessRequest& request, const std::string& id,
                              const std::string& dest_dir) const {
  TB_ASSIGN_OR_RETURN(Grant grant, Authorize(request, kEventReadSnapshot, "export", id));
  grant.request_parameters = RequestParameters("export", id, "destination", dest_dir);
  Status exported = [&]() -> Status {
    TB_ASSIGN_OR_RETURN(std::string dir, FindSnapshot(snapshots_dir_, id));
    return ExportSnapshot(dir, dest_dir);
  }();
  Status recorded = Record(grant, exported, "{}");
  if (!recorded.ok() && exported.ok()) {
    for (const char* f : {kManifestFile, kSignatureFile, kNdjsonFile, kCsvFile, kPublicKeyFile}) {
      std::error_code ec;
      std::filesystem::remove(dest_dir + "/" + f, ec);
    }
  }
  TB_RETURN_IF_ERROR(recorded);
  return exported;
}

Result<VerifyReport> SnapshotAccess::Verify(const AccessRequest& request, const std::string& id,
                                            const auth::JwkSet& trusted_keys,
                                            VerifyOptions options) const {
  TB_ASSIGN_OR_RETURN(Grant grant, Authorize(request, kEventReadSnapshot, "verify", id));
  Result<std::string> dir = FindSnapshot(snapshots_dir_, id);
  std::string response;
  std::optional<VerifyReport> report;
  if (dir.ok()) {
    options.expected_id = id;
    report = VerifySnapshot(*dir, trusted_keys, options);
    const VerifyCheck* failure = report->first_failure();
    json::JsonWriter w;
    w.BeginObject();
    w.Key("verified");
    w.Bool(report->ok());
    if (failure != nullptr) {
      w.Key("firstFailure");
      w.String(failure->name + ": " + failure->detail);
    }
    w.EndObject();
    response = std::move(w).Take();
  }
  TB_RETURN_IF_ERROR(Record(grant, dir.status(), response));
  if (!dir.ok()) return dir.status();
  return std::move(*report);
}

Result<SnapshotInfo> SnapshotAccess::Create(const runbook::RunOutcome& run,
                                            const runbook::RequestOrigin& origin,
                                            const StoreState& store,
                                            const SnapshotSigningKey& key,
                                            const SnapshotWriterOptions& options) const {
  if (!run.status.ok() || !run.principal || run.event_name != runbook::kEventRunRunbook ||
      !run.receipt) {
    return InvalidArgument(
        "only a successful, audited runbook run can be frozen as a snapshot (not a dry run, "
        "an ad-hoc query or a failed run)");
  }
  SnapshotRequest req;
  req.runbook.id = run.runbook_id;
  req.runbook.version = run.runbook_version;
  req.runbook.content_hash = run.runbook_hash;
  req.parameters = run.params.values;
  req.principal.subject = run.principal->subject;
  req.principal.issuer = run.principal->issuer;
  req.principal.token_id = run.principal->token_id;
  req.constraints = run.constraints;
  req.store = store;

  TB_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotWriter> writer,
                      SnapshotWriter::Create(snapshots_dir_, std::move(req), run.column_names,
                                             run.column_types, key, options));
  for (const sql::DataChunk& chunk : run.chunks) TB_RETURN_IF_ERROR(writer->Append(chunk));
  // Sealed but not yet visible: the CreateSnapshot audit event is written first, so no
  // snapshot is ever published without one (a crash in between leaves an audit event for a
  // snapshot that never appeared, and an ignored .tmp- directory).
  TB_ASSIGN_OR_RETURN(SnapshotInfo info, writer->Seal());

  Grant grant;
  grant.event_name = kEventCreateSnapshot;
  grant.action = "create";
  grant.id = info.id;
  grant.request_id = run.request_id;
  grant.principal = *run.principal;
  grant.origin = origin;
  {
    json::JsonWriter w;
    w.BeginObject();
    w.Key("action");
    w.String("create");
    w.Key("runEventId");
    w.String(run.receipt->event_id);
    w.Key("runbookId");
    w.String(run.runbook_id);
    w.Key("runbookVersion");
    w.String(run.runbook_version);
    w.Key("snapshotId");
    w.String(info.id);
    w.EndObject();
    grant.request_parameters = std::move(w).Take();
  }
  json::JsonWriter w;
  w.BeginObject();
  w.Key("keyId");
  w.String(key.key_id());
  w.Key("resultSha256");
  w.String(info.result_sha256);
  w.Key("rows");
  w.UInt(info.rows);
  w.EndObject();
  // When the audit event cannot be written, the writer's destructor removes the sealed files.
  TB_RETURN_IF_ERROR(Record(grant, Status::OK(), std::move(w).Take()));
  return writer->Publish();
}

Result<std::map<std::string, std::string>> RerunParameters(std::string_view parameters_json) {
  simdjson::dom::parser parser;
  simdjson::dom::object params;
  if (parser.parse(parameters_json.data(), parameters_json.size()).get(params) !=
      simdjson::SUCCESS) {
    return Corruption("manifest.json: parameters: not a JSON object");
  }
  std::map<std::string, std::string> raw;
  for (auto field : params) {
    std::string name(field.key);
    auto bad = [&](std::string_view what) {
      return Corruption("manifest.json: parameters." + name + ": " + std::string(what));
    };
    std::string_view type;
    simdjson::dom::element value;
    if (field.value["type"].get(type) != simdjson::SUCCESS ||
        field.value["value"].get(value) != simdjson::SUCCESS) {
      return bad("needs a type and a value");
    }
    if (value.is_null()) continue;
    if (value.is_bool()) {
      raw[name] = value.get_bool().value_unsafe() ? "true" : "false";
    } else if (value.is_int64() || value.is_uint64() || value.is_double()) {
      raw[name] = simdjson::minify(value);
    } else if (value.is_string()) {
      std::string text(value.get_string().value_unsafe());
      if (type.starts_with("interval day")) {
        std::optional<int64_t> us = ParseIntervalText(text);
        if (!us || *us < 0 || *us % kMicrosPerSecond != 0) return bad("unreadable interval");
        raw[name] = std::to_string(*us / kMicrosPerSecond) + "s";
      } else {
        raw[name] = std::move(text);  // timestamps are RFC 3339; lists are JSON array text
      }
    } else {
      return bad("unsupported value");
    }
  }
  return raw;
}

void AppendRerunChecks(const runbook::Executor& executor, const runbook::RunRequest& request,
                       const StoreState& current, VerifyReport* report) {
  auto add = [&](std::string name, bool ok, std::string detail) {
    report->checks.push_back(VerifyCheck{std::move(name), ok, std::move(detail)});
  };
  if (!report->manifest || !report->ok()) {
    add("rerun", false, "not re-run: the snapshot itself does not verify");
    return;
  }
  const SnapshotManifest& m = *report->manifest;
  Result<std::map<std::string, std::string>> params = RerunParameters(m.parameters_json);
  if (!params.ok()) {
    add("rerun", false, params.status().message());
    return;
  }
  const runbook::Runbook* rb = executor.library().Find(m.runbook.id);
  if (rb == nullptr) {
    add("rerun runbook", false, "runbook " + m.runbook.id + " is not in the runbook library");
    return;
  }
  bool same_runbook = rb->hash == m.runbook.content_hash;
  add("rerun runbook", same_runbook,
      same_runbook ? m.runbook.id + " v" + rb->version + " (content hash " + rb->hash + ")"
                   : "runbook " + m.runbook.id + " changed: the library has v" + rb->version +
                         " (content hash " + rb->hash + "), the snapshot ran v" +
                         m.runbook.version + " (" + m.runbook.content_hash + ")");
  // The re-run reads exactly the snapshot's segments (pinned), so events ingested since do
  // not change its answer; it is only meaningless when some of them are gone.
  std::vector<uint64_t> missing = MissingSegments(m.store, current);
  bool same_store = m.store.store_id == current.store_id && missing.empty();
  add("rerun store", same_store, DescribeStoreCheck(m.store, current, missing));

  runbook::RunRequest req = request;
  req.runbook_id = m.runbook.id;
  req.params = std::move(params).value();
  req.dry_run = false;
  req.segment_ids = m.store.segment_ids;
  runbook::RunOutcome out = executor.Run(req);
  if (!out.status.ok()) {
    add("rerun run", false, "the re-run failed: " + out.status.message());
    return;
  }
  add("rerun run", true,
      std::to_string(out.rows) + " row(s); audit event " +
          (out.receipt ? out.receipt->event_id : std::string("?")));
  std::string constraints = RenderConstraints(out.constraints);
  bool same_constraints = constraints == m.constraints_json;
  add("rerun constraints", same_constraints,
      same_constraints ? constraints
                       : "the re-run's token injects " + constraints + ", the snapshot's " +
                             m.constraints_json);
  bool same = crypto::ConstantTimeEquals(out.result_sha256, m.result_sha256);
  add("rerun digest", same,
      same ? "the re-run's result digest matches (" + out.result_sha256 + ")"
           : "the re-run's result digest " + out.result_sha256 + " (" +
                 std::to_string(out.rows) + " rows) differs from the snapshot's " +
                 m.result_sha256 + " (" + std::to_string(m.rows) + " rows)");
}

}  // namespace trailbook::snapshot
