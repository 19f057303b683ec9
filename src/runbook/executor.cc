#include "runbook/executor.h"

#include "base/timestamp.h"
#include "crypto/digest.h"
#include "json/json_writer.h"
#include "sql/exec/result_writer.h"

namespace trailbook::runbook {
namespace {

constexpr size_t kMaxAuditedSqlBytes = 16 * 1024;
// Ad-hoc parameter values are not length-checked like runbook ones; the audit keeps a prefix.
constexpr size_t kMaxAuditedParamBytes = 1024;

// Deny with the generic caller-facing message; the detail stays in the decision.
void SetDenied(RunOutcome* out) {
  out->status = PermissionDenied("not allowed");
  out->error_code = "AccessDenied";
}

}  // namespace

Executor::Executor(const RunbookLibrary& library, const auth::TokenVerifier& verifier,
                   const sql::QueryEngine& engine, audit::AuditLog& audit_log,
                   ExecutorOptions options)
    : library_(library),
      verifier_(verifier),
      engine_(engine),
      audit_log_(audit_log),
      options_(options),
      clock_(options.clock ? *options.clock : SystemClock()) {}

bool Executor::VerifyToken(const std::string& token, const auth::Verification* verified,
                           const RequestOrigin& origin, RunOutcome* out) const {
  out->request_id = origin.request_id;
  if (out->request_id.empty()) {
    Result<std::string> id = crypto::RandomUuid();
    if (id.ok()) out->request_id = std::move(id).value();
  }
  auto deny = [&](const std::string& reason) {
    out->status = Unauthenticated("invalid token");
    out->error_code = "InvalidToken";
    out->decision.claim = "token";
    out->decision.detail = reason;
    return false;
  };
  if (verified != nullptr) {
    out->token_steps = verified->steps;
    if (!verified->principal) return deny(verified->deny_reason);
    out->token_verified = true;
    out->principal = verified->principal;
    return true;
  }
  auth::RequestContext ctx;
  ctx.clock = &clock_;
  ctx.caller_address = origin.source_ip;
  auth::Verification v = verifier_.Verify(token, ctx);
  out->token_steps = std::move(v.steps);
  if (!v.principal) return deny(v.deny_reason);
  out->token_verified = true;
  out->principal = std::move(v.principal);
  return true;
}

bool Executor::IsKeyLookup(std::string_view runbook_id) const {
  const Runbook* runbook = library_.Find(runbook_id);
  return runbook != nullptr && engine_.IsKeyLookup(runbook->query);
}

RunOutcome Executor::Run(const RunRequest& request) const {
  RunOutcome out;
  out.event_name = request.dry_run ? kEventDryRunRunbook : kEventRunRunbook;
  out.runbook_id = request.runbook_id.substr(0, auth::kMaxRunbookIdBytes);
  const int64_t now_us = clock_.NowMicros();
  const Runbook* runbook = nullptr;
  std::string sql;
  [&] {
    if (!VerifyToken(request.token, request.verification, request.origin, &out)) return;
    const auth::Principal& p = *out.principal;
    // The runbooks claim is checked before the library, so a caller learns nothing about
    // runbooks it may not run.
    if (!p.AllowsRunbook(request.runbook_id)) {
      Runbook stub;
      stub.id = out.runbook_id;
      BoundParams none;
      out.decision = Authorize(p, Action::kRunRunbook, &stub, &none, now_us);
      SetDenied(&out);
      return;
    }
    runbook = library_.Find(request.runbook_id);
    if (runbook == nullptr) {
      out.status = NotFound("runbook " + out.runbook_id + " not found");
      out.error_code = "RunbookNotFound";
      out.decision.detail = out.status.message();
      return;
    }
    out.runbook_version = runbook->version;
    out.runbook_hash = runbook->hash;
    out.reason = !request.reason.empty() ? request.reason : p.reason.value_or("");
    if (!out.reason.empty()) {
      if (Status s = auth::ValidatePrintable("reason", out.reason, auth::kMaxReasonBytes); !s.ok()) {
        out.status = s;
        out.error_code = "InvalidReason";
        out.reason = out.reason.substr(0, auth::kMaxReasonBytes);
        return;
      }
    } else if (runbook->require_reason) {
      out.status = InvalidArgument("runbook " + runbook->id +
                                   " requires a reason: pass --reason \"INC-1234: ...\" or use a "
                                   "token with a reason claim");
      out.error_code = "ReasonRequired";
      return;
    }
    Result<BoundParams> bound = BindParams(*runbook, request.params, now_us);
    if (!bound.ok()) {
      // The runbook claim and scope must allow the request before parameter errors are shown.
      BoundParams none;
      Decision pre = Authorize(p, Action::kRunRunbook, runbook, &none, now_us);
      if (!pre.allowed) {
        out.decision = std::move(pre);
        SetDenied(&out);
        return;
      }
      out.status = bound.status();
      out.error_code = "InvalidParameter";
      out.decision.detail = bound.status().message();
      return;
    }
    out.params = std::move(bound).value();
    out.decision = Authorize(p, Action::kRunRunbook, runbook, &out.params, now_us);
    if (!out.decision.allowed) {
      SetDenied(&out);
      return;
    }
    out.constraints = ConstraintsFor(p, WindowOf(*runbook, out.params), now_us);
    out.constraints.after_segment_id = request.after_segment_id;
    out.constraints.through_segment_id = request.through_segment_id;
    out.constraints.segment_ids = request.segment_ids;
    sql = runbook->query;
    Execute(sql, request.dry_run, {}, request.admission, &out);
  }();
  Audit(request.origin, "", &out);
  return out;
}

RunOutcome Executor::Query(const QueryRequest& request) const {
  RunOutcome out;
  out.event_name = request.dry_run ? kEventDryRunQuery : kEventQueryAdhoc;
  const int64_t now_us = clock_.NowMicros();
  [&] {
    if (!VerifyToken(request.token, request.verification, request.origin, &out)) return;
    const auth::Principal& p = *out.principal;
    out.decision = Authorize(p, Action::kQueryAdhoc, nullptr, nullptr, now_us);
    if (!out.decision.allowed) {
      SetDenied(&out);
      return;
    }
    out.reason = !request.reason.empty() ? request.reason : p.reason.value_or("");
    if (!out.reason.empty()) {
      if (Status s = auth::ValidatePrintable("reason", out.reason, auth::kMaxReasonBytes); !s.ok()) {
        out.status = s;
        out.error_code = "InvalidReason";
        out.reason = out.reason.substr(0, auth::kMaxReasonBytes);
        return;
      }
    }
    if (request.sql.size() > options_.max_sql_bytes) {
      out.status = InvalidArgument("query is longer than " + std::to_string(options_.max_sql_bytes) + " bytes");
      out.error_code = "InvalidQuery";
      return;
    }
    out.constraints = ConstraintsFor(p, std::nullopt, now_us);
    out.params.values = request.parameters;
    for (const auto& [name, value] : request.parameters) {
      std::string text = value.ToString();
      if (text.size() > kMaxAuditedParamBytes) text = text.substr(0, kMaxAuditedParamBytes) + "...";
      out.params.display[name] = std::move(text);
    }
    Execute(request.sql, request.dry_run, request.eds_ids, request.admission, &out);
  }();
  Audit(request.origin, request.sql, &out);
  return out;
}

void Executor::Execute(std::string_view sql, bool dry_run, const std::vector<std::string>& eds_ids,
                       QueryAdmission* admission, RunOutcome* out) const {
  if (admission != nullptr) {
    if (Status s = admission->Enter(); !s.ok()) {
      out->status = s;
      out->error_code = "Throttled";
      return;
    }
  }
  // Leaves on every return below: the place is held while results are drained.
  struct Admitted {
    QueryAdmission* admission;
    ~Admitted() {
      if (admission != nullptr) admission->Leave();
    }
  } admitted{admission};
  sql::QueryOptions options;
  options.parameters = out->params.values;
  options.constraints = out->constraints;
  options.eds_ids = eds_ids;
  options.memory_limit_bytes = options_.memory_limit_bytes;
  options.timeout = options_.timeout;
  options.cancel = options_.cancel;
  options.threads = options_.threads;
  options.clock = &clock_;
  options.explain = dry_run || options_.plan_for_runs;
  const int64_t start = clock_.MonotonicMicros();
  auto fail = [&](const Status& s) {
    out->status = s;
    out->error_code = "QueryFailed";
    out->chunks.clear();
    out->rows = 0;
  };
  Result<std::unique_ptr<sql::QueryResult>> result = engine_.Execute(sql, options);
  if (!result.ok()) return fail(result.status());
  sql::QueryResult& r = **result;
  out->column_names = r.column_names();
  out->column_types = r.column_types();
  if (dry_run) {
    out->plan = r.Explain();
    out->duration_us = clock_.MonotonicMicros() - start;
    return;
  }
  sql::ResultWriter ndjson(sql::ResultFormat::kNdjson, r.column_names(), r.column_types());
  crypto::Sha256Hasher hasher;
  std::string text;
  size_t bytes = 0;
  while (true) {
    sql::DataChunk chunk;
    Result<bool> more = r.Next(&chunk);
    if (!more.ok()) return fail(more.status());
    if (!*more) break;
    if (chunk.size == 0) continue;
    text.clear();
    ndjson.Write(chunk, &text);
    hasher.Update(text);
    bytes += chunk.memory_bytes();
    if (bytes > options_.max_result_bytes) {
      return fail(ResourceExhausted("result is larger than " + std::to_string(options_.max_result_bytes) +
                                    " bytes; narrow the query or add LIMIT"));
    }
    out->rows += chunk.size;
    out->chunks.push_back(std::move(chunk));
  }
  text.clear();
  ndjson.Finish(&text);
  hasher.Update(text);
  out->result_sha256 = crypto::ToHex(hasher.Finish());
  out->stats = r.stats();
  if (options_.plan_for_runs) out->plan = r.Explain();
  out->duration_us = clock_.MonotonicMicros() - start;
}

void Executor::Audit(const RequestOrigin& origin, const std::string& query_text,
                     RunOutcome* out) const {
  audit::AuditEvent e;
  e.event_name = out->event_name;
  e.read_only = true;
  e.source_ip = origin.source_ip;
  e.user_agent = origin.user_agent;
  e.request_id = out->request_id;
  if (out->principal) {
    e.principal_id = out->principal->subject;
    e.issuer = out->principal->issuer;
    e.token_id = out->principal->token_id;
    e.token_sha256 = out->principal->token_sha256;
  }
  {
    json::JsonWriter w;
    w.BeginObject();
    if (!out->runbook_id.empty()) {
      w.Key("runbookId");
      w.String(out->runbook_id);
      if (!out->runbook_version.empty()) {
        w.Key("runbookVersion");
        w.String(out->runbook_version);
        w.Key("runbookHash");
        w.String(out->runbook_hash);
      }
    }
    if (!out->runbook_id.empty() || !out->params.display.empty()) {
      w.Key("parameters");
      w.BeginObject();
      for (const auto& [name, text] : out->params.display) {
        w.Key(name);
        w.String(text);
      }
      w.EndObject();
      if (!out->params.defaulted.empty()) {
        w.Key("defaulted");
        w.BeginArray();
        for (const std::string& n : out->params.defaulted) w.String(n);
        w.EndArray();
      }
    }
    if (!query_text.empty()) {
      w.Key("query");
      w.String(query_text.substr(0, kMaxAuditedSqlBytes));
      w.Key("querySha256");
      w.String(crypto::ToHex(crypto::Sha256(query_text)));
    }
    if (!out->reason.empty()) {
      w.Key("reason");
      w.String(out->reason);
    }
    w.Key("dryRun");
    w.Bool(out->event_name == kEventDryRunRunbook || out->event_name == kEventDryRunQuery);
    w.EndObject();
    e.request_parameters_json = std::move(w).Take();
  }
  if (out->status.ok()) {
    json::JsonWriter w;
    w.BeginObject();
    w.Key("rows");
    w.UInt(out->rows);
    w.Key("bytesScanned");
    w.UInt(out->stats.bytes_read);
    w.Key("eventsScanned");
    w.UInt(out->stats.rows_examined);
    w.Key("durationMicros");
    w.Int(out->duration_us);
    if (!out->result_sha256.empty()) {
      w.Key("resultSha256");
      w.String(out->result_sha256);
    }
    w.EndObject();
    e.response_elements_json = std::move(w).Take();
  }
  {
    json::JsonWriter w;
    w.BeginObject();
    w.Key("verificationSteps");
    // The token's steps and the decision's, as one array; the token's are borrowed (moved
    // out and back) rather than copied string by string.
    std::vector<auth::VerificationStep> all = std::move(out->token_steps);
    const size_t token_step_count = all.size();
    all.insert(all.end(), out->decision.steps.begin(), out->decision.steps.end());
    auth::WriteStepsJson(all, &w);
    all.resize(token_step_count);
    out->token_steps = std::move(all);
    w.Key("decision");
    w.BeginObject();
    w.Key("allowed");
    w.Bool(out->decision.allowed);
    w.Key("claim");
    w.String(out->decision.claim);
    w.EndObject();
    if (out->constraints.any()) {
      w.Key("injectedConstraints");
      w.String(out->constraints.ToString());
    }
    w.EndObject();
    e.additional_event_data_json = std::move(w).Take();
  }
  if (!out->status.ok()) {
    e.error_code = out->error_code;
    e.error_message = !out->decision.detail.empty() && !out->decision.allowed
                          ? out->decision.detail
                          : out->status.message();
  }
  Result<audit::AuditReceipt> receipt =
      origin.defer_audit_durability ? audit_log_.AppendPending(e) : audit_log_.Append(e);
  if (!receipt.ok()) {
    // Fail closed: nothing is returned without its audit record.
    out->status = Status(receipt.status().code(), "audit log write failed; no result returned: " +
                                                      receipt.status().message());
    out->error_code = "AuditWriteFailed";
    out->chunks.clear();
    out->rows = 0;
    out->result_sha256.clear();
    return;
  }
  out->receipt = std::move(receipt).value();
}

}  // namespace trailbook::runbook
