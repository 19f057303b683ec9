#include "server/api_handler.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "base/check.h"
#include "json/json_writer.h"
#include "server/api_handler_internal.h"
#include "server/problem.h"
#include "server/runbook_schema.h"

namespace trailbook::server {
namespace {

constexpr size_t kMaxUserAgentBytes = 256;
constexpr size_t kMaxIdBytes = 128;

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

// Snapshot ids: [A-Za-z0-9_.-]{1,128}, not starting with '.', so no path can be formed.
Status ValidateSnapshotId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes || id.front() == '.') {
    return InvalidArgument("id: a snapshot id is 1 to 128 characters [A-Za-z0-9_.-]");
  }
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return InvalidArgument("id: a snapshot id is 1 to 128 characters [A-Za-z0-9_.-]");
  }
  return Status::OK();
}

std::string Printable(std::string_view text, size_t max_bytes) {
  std::string out;
  for (char c : text.substr(0, max_bytes)) {
    auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  return out;
}

size_t HeaderBytes(const HttpRequest& request) {
  size_t total = 0;
  for (const auto& [name, value] : request.headers) total += name.size() + value.size() + 4;
  return total;
}

HttpResponse JsonResponse(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

HttpResponse MethodNotAllowed(const HttpRequest& request, std::string_view allow) {
  HttpResponse r = Problem(405, "method " + Printable(request.method, 16) + " is not allowed here",
                           request);
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

}  // namespace

namespace internal {

std::string VerificationJson(const auth::Verification* verification, const HttpRequest& request,
                             std::string_view route) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("http");
  w.BeginObject();
  w.Key("method");
  w.String(request.method);
  w.Key("route");
  w.String(route);
  w.EndObject();
  w.Key("verification");
  w.BeginArray();
  if (verification != nullptr) {
    for (const auth::VerificationStep& step : verification->steps) {
      w.BeginObject();
      w.Key("step");
      w.String(step.name);
      w.Key("outcome");
      w.String(auth::OutcomeName(step.outcome));
      if (!step.detail.empty()) {
        w.Key("detail");
        w.String(step.detail);
      }
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace internal

ApiHandler::ApiHandler(ApiOptions options, ApiBackends backends)
    : options_(std::move(options)),
      backends_(backends),
      slots_(options_.limits.max_concurrent_queries, options_.limits.max_queued_queries,
             options_.limits.queue_timeout) {
  TB_CHECK(backends_.verifier != nullptr && backends_.audit != nullptr &&
           backends_.metrics != nullptr && backends_.clock != nullptr)
      << "ApiHandler needs a verifier, an audit log, metrics and a clock";
  TB_CHECK(backends_.executor == nullptr || backends_.cancel != nullptr)
      << "ApiHandler needs the executor's cancel flag";
  backends_.metrics->set_query_gauge_provider([this] { return slots_.Counts(); });
}

HttpResponse ApiHandler::Handle(const HttpRequest& request) const {
  Context ctx(request);  // Appends with AuditLog::Append: durable before it returns.
  return HandleWith(ctx);
}

HttpResponse ApiHandler::HandlePending(const HttpRequest& request,
                                       uint64_t* audit_ticket) const {
  Context ctx(request);
  ctx.defer_audit_durability = true;
  HttpResponse response = HandleWith(ctx);
  *audit_ticket = ctx.audit_ticket;
  return response;
}

std::optional<HttpResponse> ApiHandler::HandleInline(const HttpRequest& request,
                                                     uint64_t* audit_ticket) const {
  Context ctx(request);
  ctx.defer_audit_durability = true;
  ctx.inline_only = true;
  HttpResponse response = HandleWith(ctx);
  *audit_ticket = ctx.audit_ticket;
  if (ctx.needs_worker) return std::nullopt;
  return response;
}

void ApiHandler::WhenAuditDurable(uint64_t audit_ticket,
                                  std::function<void(const Status&)> done) const {
  backends_.audit->WhenDurable(audit_ticket, std::move(done));
}

HttpResponse ApiHandler::AuditFailure(const HttpRequest& request, std::string_view route) const {
  HttpResponse r = Problem(503, "the audit log could not record this request; nothing was returned",
                           request);
  r.denial = "audit_unavailable";
  r.route = route.empty() ? "unmatched" : std::string(route);
  if (!request.request_id.empty()) r.headers.emplace_back("X-Request-Id", request.request_id);
  return r;
}

HttpResponse ApiHandler::HandleWith(Context& ctx) const {
  const HttpRequest& request = ctx.request;
  auto start = std::chrono::steady_clock::now();
  ctx.now_us = backends_.clock->NowMicros();
  ctx.client_address = ResolveClientAddress(request.peer_address,
                                            request.Header("X-Forwarded-For"),
                                            options_.trusted_proxies);
  ctx.user_agent = Printable(request.Header("User-Agent"), kMaxUserAgentBytes);
  if (ctx.user_agent.empty()) ctx.user_agent = options_.user_agent_fallback;
  HttpResponse response = Route(ctx);
  if (ctx.needs_worker) return response;
  if (ctx.verification) backends_.metrics->RecordTokenVerification(ctx.verification->from_cache);
  response.route = ctx.route.empty() ? "unmatched" : ctx.route;
  if (ctx.principal != nullptr) response.subject = ctx.principal->subject;
  if (!request.request_id.empty()) response.headers.emplace_back("X-Request-Id", request.request_id);
  // A response held for audit durability is recorded by the transport as it is sent
  // (RecordHeldResponse): it may yet become the fail-closed 503.
  if (ctx.defer_audit_durability && ctx.audit_ticket != 0) return response;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  backends_.metrics->RecordRequest(response.route, response.status, response.denial, seconds);
  return response;
}

void ApiHandler::RecordHeldResponse(const HttpResponse& response, double seconds) const {
  backends_.metrics->RecordRequest(response.route, response.status, response.denial, seconds);
}

HttpResponse ApiHandler::Route(Context& ctx) const {
  const HttpRequest& request = ctx.request;
  if (HeaderBytes(request) > options_.limits.max_header_bytes) {
    ctx.route = "unmatched";
    return Problem(431, "request headers exceed " + std::to_string(options_.limits.max_header_bytes) +
                            " bytes", request);
  }
  if (request.body.size() > options_.limits.max_body_bytes) {
    ctx.route = "unmatched";
    return Problem(413, "request body exceeds " + std::to_string(options_.limits.max_body_bytes) +
                            " bytes", request, "body");
  }
  std::vector<std::string_view> parts = SplitPath(request.path);
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool post = request.method == "POST";

  if (parts.size() == 1 && parts[0] == "healthz") {
    ctx.route = "/healthz";
    if (!get) return MethodNotAllowed(request, "GET");
    return JsonResponse(R"({"status":"ok"})");
  }
  if (parts.size() == 1 && parts[0] == "readyz") {
    ctx.route = "/readyz";
    if (!get) return MethodNotAllowed(request, "GET");
    bool ready = ready_.load() && backends_.executor != nullptr && !cancel_.load();
    if (!ready) return Problem(503, "not ready: the store is not open or keys are not loaded", request);
    if (backends_.audit != nullptr && !backends_.audit->Health().ok()) {
      return Problem(503, "not ready: the audit log cannot record events", request);
    }
    return JsonResponse(R"({"status":"ready"})");
  }
  if (parts.size() == 1 && parts[0] == "metrics") {
    ctx.route = "/metrics";
    if (!get) return MethodNotAllowed(request, "GET");
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = backends_.metrics->RenderPrometheus();
    return r;
  }
  if (parts.empty() || parts[0] != "v1" || parts.size() < 2) {
    return Problem(404, "no such route", request);
  }

  // Match the route before authenticating, so 404 and 405 do not depend on the token.
  enum class Op { kNone, kListRunbooks, kGetRunbook, kRun, kQuery, kListSnapshots,
                  kGetSnapshot, kVerifySnapshot, kVerifyAudit };
  Op op = Op::kNone;
  std::string_view id;
  std::string_view allow = "GET";
  bool method_ok = get;
  if (parts[1] == "runbooks" && parts.size() == 2) {
    ctx.route = "/v1/runbooks";
    op = Op::kListRunbooks;
  } else if (parts[1] == "runbooks" && parts.size() == 3) {
    ctx.route = "/v1/runbooks/{id}";
    op = Op::kGetRunbook;
    id = parts[2];
  } else if (parts[1] == "runbooks" && parts.size() == 4 && parts[3] == "runs") {
    ctx.route = "/v1/runbooks/{id}/runs";
    op = Op::kRun;
    id = parts[2];
    allow = "POST";
    method_ok = post;
  } else if (parts[1] == "query" && parts.size() == 2) {
    ctx.route = "/v1/query";
    op = Op::kQuery;
    allow = "POST";
    method_ok = post;
  } else if (parts[1] == "snapshots" && parts.size() == 2) {
    ctx.route = "/v1/snapshots";
    op = Op::kListSnapshots;
  } else if (parts[1] == "snapshots" && parts.size() == 3) {
    ctx.route = "/v1/snapshots/{id}";
    op = Op::kGetSnapshot;
    id = parts[2];
  } else if (parts[1] == "snapshots" && parts.size() == 4 && parts[3] == "verify") {
    ctx.route = "/v1/snapshots/{id}/verify";
    op = Op::kVerifySnapshot;
    id = parts[2];
  } else if (parts[1] == "audit" && parts.size() == 3 && parts[2] == "verify") {
    ctx.route = "/v1/audit/verify";
    op = Op::kVerifyAudit;
  }
  if (op == Op::kNone) return Problem(404, "no such route", request);
  if (!method_ok) return MethodNotAllowed(request, allow);
  if (!ready_.load() || cancel_.load()) {
    HttpResponse r = Problem(503, "not ready: the server is starting or shutting down", request);
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }

  HttpResponse denial;
  if (!Authenticate(ctx, &denial)) return denial;

  switch (op) {
    case Op::kListRunbooks: return ListRunbooks(ctx);
    case Op::kGetRunbook: return GetRunbook(ctx, id);
    case Op::kRun: return RunRunbook(ctx, id);
    case Op::kQuery: return Query(ctx);
    case Op::kListSnapshots: return Snapshots(ctx, {}, false);
    case Op::kGetSnapshot: return Snapshots(ctx, id, false);
    case Op::kVerifySnapshot: return Snapshots(ctx, id, true);
    case Op::kVerifyAudit: return VerifyAudit(ctx);
    case Op::kNone: break;
  }
  return Problem(404, "no such route", request);
}

bool ApiHandler::Authenticate(Context& ctx, HttpResponse* denial) const {
  const HttpRequest& request = ctx.request;
  size_t count = request.HeaderCount("Authorization");
  std::string_view value = request.Header("Authorization");
  std::string_view token;
  std::string problem;
  if (count == 0) {
    problem = "no Authorization header";
  } else if (count > 1) {
    problem = "more than one Authorization header";
  } else if (value.size() < 7 || !EqualsIgnoreCase(value.substr(0, 7), "Bearer ")) {
    problem = "Authorization is not a Bearer token";
  } else {
    token = value.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (token.empty()) problem = "empty Bearer token";
    if (token.size() > options_.limits.max_token_bytes) {
      problem = "token exceeds " + std::to_string(options_.limits.max_token_bytes) + " bytes";
    }
  }
  if (!problem.empty()) {
    *denial = Deny(ctx, 401, "VerifyToken", "invalid_token", problem);
    return false;
  }
  auth::RequestContext rc;
  rc.clock = backends_.clock;
  rc.caller_address = ctx.client_address;
  if (ctx.inline_only) {
    // Verifying a token not in the cache may fetch keys: that waits.
    ctx.verification = backends_.verifier->VerifyCached(token, rc);
    if (!ctx.verification) {
      ctx.needs_worker = true;
      return false;
    }
  } else {
    ctx.verification = backends_.verifier->Verify(token, rc);
  }
  if (!ctx.verification->principal) {
    *denial = Deny(ctx, 401, "VerifyToken", "invalid_token", ctx.verification->deny_reason);
    return false;
  }
  ctx.principal = &*ctx.verification->principal;
  ctx.token = std::string(token);
  return true;
}

HttpResponse ApiHandler::Deny(Context& ctx, int http_status, std::string_view action,
                              std::string_view denial, std::string_view detail) const {
  json::JsonWriter params;
  params.BeginObject();
  params.Key("method");
  params.String(ctx.request.method);
  params.Key("path");
  params.String(Printable(ctx.request.path, 512));
  params.EndObject();
  HttpResponse failure;
  std::string_view code = http_status == 401 ? "InvalidToken" : "AccessDenied";
  bool audited = Audit(ctx, action, std::move(params).Take(), "", code, detail, &failure);
  // The reason goes to the audit event only; the client learns that it was denied.
  HttpResponse r = http_status == 401
                       ? Problem(401, "invalid token", ctx.request)
                       : Problem(http_status, "the token does not allow this request", ctx.request);
  if (!audited) r = std::move(failure);
  r.denial = std::string(denial);
  return r;
}

bool ApiHandler::Audit(Context& ctx, std::string_view action, std::string request_parameters_json,
                       std::string response_elements_json, std::string_view error_code,
                       std::string_view error_message, HttpResponse* failure,
                       bool read_only) const {
  audit::AuditEvent event;
  event.event_name = std::string(action);
  event.event_time_us = backends_.clock->NowMicros();
  event.read_only = read_only;
  const auth::Verification* v = ctx.verification ? &*ctx.verification : nullptr;
  if (ctx.principal != nullptr) {
    event.principal_id = ctx.principal->subject;
    event.issuer = ctx.principal->issuer;
    event.token_id = ctx.principal->token_id;
    event.token_sha256 = ctx.principal->token_sha256;
  } else if (v != nullptr) {
    event.issuer = Printable(v->issuer, 512);
    event.token_sha256 = v->token_sha256;
  }
  event.source_ip = ctx.client_address;
  event.user_agent = ctx.user_agent;
  event.request_id = ctx.request.request_id;
  event.request_parameters_json = std::move(request_parameters_json);
  event.response_elements_json = std::move(response_elements_json);
  event.additional_event_data_json = internal::VerificationJson(v, ctx.request, ctx.route);
  event.error_code = std::string(error_code);
  event.error_message = std::string(error_message);
  // Only the request's first event is deferred (its ticket is the one the transport waits
  // for); any later one is appended durably, so one ticket covers the request.
  const bool defer = ctx.defer_audit_durability && ctx.audit_ticket == 0;
  Result<audit::AuditReceipt> receipt =
      defer ? backends_.audit->AppendPending(event) : backends_.audit->Append(event);
  if (receipt.ok() && defer) ctx.audit_ticket = receipt->ticket;
  if (!receipt.ok()) {
    *failure = Problem(503, "the audit log could not record this request; nothing was returned",
                       ctx.request);
    failure->denial = "audit_unavailable";
    return false;
  }
  backends_.metrics->AddAuditEvents(1);
  return true;
}

HttpResponse ApiHandler::ListRunbooks(Context& ctx) const {
  if (backends_.executor == nullptr) return Problem(503, "the store is not open", ctx.request);
  json::JsonWriter w;
  w.BeginObject();
  w.Key("runbooks");
  w.BeginArray();
  for (const runbook::Runbook& rb : backends_.executor->library().runbooks()) {
    if (!ctx.principal->AllowsRunbook(rb.id)) continue;
    if (rb.is_audit() && !ctx.principal->HasScope(auth::kScopeAuditRead)) continue;
    WriteRunbookSummary(rb, &w);
  }
  w.EndArray();
  w.EndObject();
  return JsonResponse(std::move(w).Take());
}

HttpResponse ApiHandler::GetRunbook(Context& ctx, std::string_view id) const {
  if (id.size() > auth::kMaxRunbookIdBytes || !auth::ValidateRunbookId(id).ok()) {
    return Problem(400, "id: a runbook id is dot-separated segments of [A-Za-z0-9_-]",
                   ctx.request, "id");
  }
  if (!ctx.principal->AllowsRunbook(id)) {
    return Deny(ctx, 403, "GetRunbook", "runbooks",
                "the token's runbooks claim does not allow runbook " + std::string(id));
  }
  if (backends_.executor == nullptr) return Problem(503, "the store is not open", ctx.request);
  const runbook::Runbook* rb = backends_.executor->library().Find(id);
  if (rb == nullptr) {
    return Problem(404, "runbook " + std::string(id) + " not found", ctx.request, "id");
  }
  json::JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.String(rb->id);
  w.Key("version");
  w.String(rb->version);
  w.Key("title");
  w.String(rb->title);
  w.Key("description");
  w.String(rb->description);
  w.Key("tags");
  w.BeginArray();
  for (const std::string& tag : rb->tags) w.String(tag);
  w.EndArray();
  w.Key("sha256");
  w.String(rb->hash);
  w.Key("require_reason");
  w.Bool(rb->require_reason);
  w.Key("params");
  w.Raw(ParamsJsonSchema(*rb));
  w.Key("output");
  w.BeginArray();
  for (const runbook::OutputColumn& c : rb->output) {
    w.BeginObject();
    w.Key("name");
    w.String(c.name);
    if (!c.description.empty()) {
      w.Key("description");
      w.String(c.description);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return JsonResponse(std::move(w).Take());
}

HttpResponse ApiHandler::Snapshots(Context& ctx, std::string_view id, bool verify) const {
  std::string_view action = id.empty() ? "ListSnapshots" : verify ? "VerifySnapshot" : "ReadSnapshot";
  if (!id.empty()) {
    Status s = ValidateSnapshotId(id);
    if (!s.ok()) return ProblemFromStatus(s, StatusOrigin::kRequest, ctx.request, "id");
  }
  if (!ctx.principal->HasScope(auth::kScopeSnapshotRead)) {
    return Deny(ctx, 403, action, "scope", "the token lacks scope snapshot:read");
  }
  if (backends_.snapshots == nullptr) {
    return Problem(501, "snapshots are not available on this server", ctx.request);
  }
  if (ctx.inline_only) {  // Reads snapshot files.
    ctx.needs_worker = true;
    return {};
  }
  Result<std::string> body = id.empty() ? backends_.snapshots->ListJson(*ctx.principal)
                             : verify   ? backends_.snapshots->VerifyJson(id, *ctx.principal)
                                        : backends_.snapshots->GetJson(id, *ctx.principal);
  HttpResponse failure;
  json::JsonWriter params;
  params.BeginObject();
  params.Key("snapshot_id");
  params.String(id);
  params.EndObject();
  if (!body.ok()) {
    if (!Audit(ctx, action, std::move(params).Take(), "", StatusCodeName(body.status().code()),
               body.status().message(), &failure)) {
      return failure;
    }
    return ProblemFromStatus(body.status(), StatusOrigin::kRequest, ctx.request, "id");
  }
  if (!Audit(ctx, action, std::move(params).Take(), "", "", "", &failure)) return failure;
  return JsonResponse(std::move(body).value());
}

HttpResponse ApiHandler::VerifyAudit(Context& ctx) const {
  if (!ctx.principal->HasScope(auth::kScopeAuditRead)) {
    return Deny(ctx, 403, "VerifyAudit", "scope", "the token lacks scope audit:read");
  }
  if (backends_.audit_verifier == nullptr) {
    return Problem(501, "audit verification is not available on this server", ctx.request);
  }
  if (ctx.inline_only) {  // Reads the whole journal.
    ctx.needs_worker = true;
    return {};
  }
  Result<std::string> report = backends_.audit_verifier->VerifyJson();
  HttpResponse failure;
  if (!Audit(ctx, "VerifyAudit", "{}", "",
             report.ok() ? "" : StatusCodeName(report.status().code()),
             report.ok() ? "" : report.status().message(), &failure)) {
    return failure;
  }
  if (!report.ok()) return ProblemFromStatus(report.status(), StatusOrigin::kRequest, ctx.request);
  return JsonResponse(std::move(report).value());
}

}  // namespace trailbook::server
