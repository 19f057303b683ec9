// The executing routes of ApiHandler: POST /v1/query and POST /v1/runbooks/{id}/runs.
#include <simdjson.h>

#include <algorithm>
#include <optional>

#include "auth/jwt/strict_json.h"
#include "crypto/digest.h"
#include "json/json_writer.h"
#include "server/api_handler.h"
#include "server/api_handler_internal.h"
#include "server/problem.h"

namespace trailbook::server {
namespace {

constexpr size_t kMaxBodyDepth = 8;
constexpr size_t kMaxParams = 256;
constexpr size_t kMaxListItems = 1000;
constexpr size_t kReusedParserMaxBodyBytes = 16 << 10;

// A request-body problem: the HTTP status, the offending member and the message.
struct BodyError {
  int status = 400;
  std::string field;
  std::string detail;
};

struct ExecutionBody {
  std::string sql;
  std::map<std::string, std::string> params;   // Raw text per parameter, as the CLI passes.
  PageFormat format = PageFormat::kJson;
  std::optional<uint64_t> limit;
  std::string cursor;
  bool snapshot = false;
  std::string reason;
};

bool IsParamName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(alpha || (i > 0 && digit))) return false;
  }
  return true;
}

std::optional<BodyError> CheckContentType(const HttpRequest& request) {
  std::string_view type = request.Header("Content-Type");
  std::string_view media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (!EqualsIgnoreCase(media, "application/json")) {
    return BodyError{415, "Content-Type", "Content-Type must be application/json"};
  }
  size_t semi = type.find(';');
  if (semi != std::string_view::npos) {
    std::string_view parameter = type.substr(semi + 1);
    while (!parameter.empty() && parameter.front() == ' ') parameter.remove_prefix(1);
    if (!EqualsIgnoreCase(parameter, "charset=utf-8") &&
        !EqualsIgnoreCase(parameter, "charset=\"utf-8\"")) {
      return BodyError{415, "Content-Type", "the only accepted charset is utf-8"};
    }
  }
  return std::nullopt;
}

// Checks one parameter value and stores its raw text (strings as they are, numbers and
// booleans as JSON text, lists as a JSON array), which the runbook's typed parameters parse.
std::optional<BodyError> CheckParam(std::string_view name, simdjson::dom::element value,
                                    const ServerLimits& limits,
                                    std::map<std::string, std::string>* out) {
  std::string field = "params." + std::string(name);
  auto too_long = [&] {
    return BodyError{400, field,
                     field + ": longer than " + std::to_string(limits.max_param_bytes) + " bytes"};
  };
  switch (value.type()) {
    case simdjson::dom::element_type::STRING: {
      std::string_view s = value.get_string().value_unsafe();
      if (s.size() > limits.max_param_bytes) return too_long();
      (*out)[std::string(name)] = std::string(s);
      return std::nullopt;
    }
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::DOUBLE:
    case simdjson::dom::element_type::BOOL:
      (*out)[std::string(name)] = simdjson::to_string(value);
      return std::nullopt;
    case simdjson::dom::element_type::UINT64:
      return BodyError{400, field, field + ": integer out of range"};
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array items;
      if (value.get_array().get(items) != simdjson::SUCCESS) {
        return BodyError{400, field, field + ": expected a list"};
      }
      if (items.size() > kMaxListItems) {
        return BodyError{400, field, field + ": more than " + std::to_string(kMaxListItems) + " items"};
      }
      for (simdjson::dom::element item : items) {
        auto t = item.type();
        if (t == simdjson::dom::element_type::ARRAY || t == simdjson::dom::element_type::OBJECT ||
            t == simdjson::dom::element_type::NULL_VALUE) {
          return BodyError{400, field, field + ": list items must be scalars"};
        }
      }
      std::string text = simdjson::to_string(value);
      if (text.size() > limits.max_param_bytes) return too_long();
      (*out)[std::string(name)] = std::move(text);
      return std::nullopt;
    }
    case simdjson::dom::element_type::NULL_VALUE:
    case simdjson::dom::element_type::OBJECT:
      return BodyError{400, field,
                       field + ": expected a string, number, boolean or list, got " +
                           std::string(auth::JsonTypeName(value))};
  }
  return BodyError{400, field, field + ": unsupported value"};
}

// Parses the body of a run (`adhoc` false) or an ad-hoc query (`adhoc` true).
std::optional<BodyError> ParseExecutionBody(const HttpRequest& request, const ServerLimits& limits,
                                            bool adhoc, ExecutionBody* out) {
  if (auto e = CheckContentType(request)) return e;
  if (request.body.empty()) return BodyError{400, "body", "body: expected a JSON object"};
  // Bodies are small (parameters): each thread keeps one parser for them, so a request
  // does not allocate and free the parser's buffers. A large body gets a parser of its own,
  // so no thread keeps buffers the size of the largest body it ever saw.
  thread_local auth::StrictJsonParser small_body_parser;
  std::optional<auth::StrictJsonParser> large_body_parser;
  auth::StrictJsonParser& parser = request.body.size() <= kReusedParserMaxBodyBytes
                                       ? small_body_parser
                                       : large_body_parser.emplace();
  Result<simdjson::dom::element> root = parser.Parse(request.body, kMaxBodyDepth);
  if (!root.ok()) return BodyError{400, "body", "body: " + root.status().message()};
  if (root->type() != simdjson::dom::element_type::OBJECT) {
    return BodyError{400, "body", "body: expected a JSON object"};
  }
  bool have_sql = false;
  simdjson::dom::object members;
  if (root->get_object().get(members) != simdjson::SUCCESS) {
    return BodyError{400, "body", "body: expected a JSON object"};
  }
  for (auto [key, value] : members) {
    std::string field(key);
    auto type = value.type();
    if (key == "params" && !adhoc) {
      if (type != simdjson::dom::element_type::OBJECT) {
        return BodyError{400, field, "params: expected an object"};
      }
      simdjson::dom::object params;
      if (value.get_object().get(params) != simdjson::SUCCESS) {
        return BodyError{400, field, "params: expected an object"};
      }
      if (params.size() > kMaxParams) {
        return BodyError{400, field, "params: more than " + std::to_string(kMaxParams) + " parameters"};
      }
      for (auto [name, param] : params) {
        if (!IsParamName(name)) {
          return BodyError{400, "params", "params: '" + auth::QuoteForDetail(name) +
                                              "' is not a parameter name ([A-Za-z_][A-Za-z0-9_]*)"};
        }
        if (auto e = CheckParam(name, param, limits, &out->params)) return e;
      }
    } else if (key == "format") {
      if (type != simdjson::dom::element_type::STRING) {
        return BodyError{400, field, "format: expected \"json\", \"ndjson\" or \"csv\""};
      }
      auto format = ParsePageFormat(value.get_string().value_unsafe());
      if (!format) return BodyError{400, field, "format: expected \"json\", \"ndjson\" or \"csv\""};
      out->format = *format;
    } else if (key == "limit") {
      if (type != simdjson::dom::element_type::INT64 || value.get_int64().value_unsafe() < 1 ||
          static_cast<uint64_t>(value.get_int64().value_unsafe()) > limits.max_page_rows) {
        return BodyError{400, field,
                         "limit: expected an integer from 1 to " + std::to_string(limits.max_page_rows)};
      }
      out->limit = static_cast<uint64_t>(value.get_int64().value_unsafe());
    } else if (key == "cursor") {
      if (type != simdjson::dom::element_type::STRING) {
        return BodyError{400, field, "cursor: expected a string"};
      }
      out->cursor = std::string(value.get_string().value_unsafe());
    } else if (key == "sql" && adhoc) {
      if (type != simdjson::dom::element_type::STRING) {
        return BodyError{400, field, "sql: expected a string"};
      }
      out->sql = std::string(value.get_string().value_unsafe());
      have_sql = true;
    } else if (key == "snapshot" && !adhoc) {
      if (type != simdjson::dom::element_type::BOOL) {
        return BodyError{400, field, "snapshot: expected true or false"};
      }
      out->snapshot = value.get_bool().value_unsafe();
    } else if (key == "reason") {
      if (type != simdjson::dom::element_type::STRING) {
        return BodyError{400, field, "reason: expected a string"};
      }
      std::string_view reason = value.get_string().value_unsafe();
      Status s = auth::ValidatePrintable("reason", reason, auth::kMaxReasonBytes);
      if (!s.ok()) return BodyError{400, field, s.message()};
      out->reason = std::string(reason);
    } else {
      return BodyError{400, field, "'" + auth::QuoteForDetail(key) + "' is not a known member"};
    }
  }
  if (adhoc && (!have_sql || out->sql.empty())) return BodyError{400, "sql", "sql: required"};
  return std::nullopt;
}

std::string Fingerprint(std::string_view route, const auth::Principal& principal,
                        std::string_view what, std::string_view params_json, PageFormat format) {
  crypto::Sha256Hasher h;
  for (std::string_view part : {route, std::string_view(principal.subject), what, params_json}) {
    h.Update(std::to_string(part.size()));
    h.Update(":");
    h.Update(part);
  }
  h.Update(std::to_string(static_cast<int>(format)));
  return crypto::ToHex(h.Finish());
}

// The problem field of an executor error: "params.<name>" for a parameter, "reason", "sql".
std::string FieldFor(const runbook::RunOutcome& out) {
  const std::string& code = out.error_code;
  if (code == "InvalidParameter") {
    const std::string& m = out.status.message();
    constexpr std::string_view kPrefix = "parameter '";
    if (m.rfind(kPrefix, 0) == 0) {
      size_t end = m.find('\'', kPrefix.size());
      if (end != std::string::npos) return "params." + m.substr(kPrefix.size(), end - kPrefix.size());
    }
    return "params";
  }
  if (code == "InvalidReason" || code == "ReasonRequired") return "reason";
  if (code == "RunbookNotFound") return "id";
  if (code == "InvalidQuery" || (code == "QueryFailed" && out.runbook_id.empty() &&
                                 out.status.code() == StatusCode::kInvalidArgument)) {
    return "sql";
  }
  return "";
}

std::string JoinedParams(const std::map<std::string, std::string>& params) {
  json::JsonWriter w;
  w.BeginObject();
  for (const auto& [name, value] : params) {
    w.Key(name);
    w.String(value);
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace

runbook::RequestOrigin ApiHandler::Origin(const Context& ctx) {
  runbook::RequestOrigin origin;
  origin.source_ip = ctx.client_address;
  origin.user_agent = ctx.user_agent;
  origin.request_id = ctx.request.request_id;
  // Only the request's first audit event is deferred (see Audit).
  origin.defer_audit_durability = ctx.defer_audit_durability && ctx.audit_ticket == 0;
  return origin;
}

bool ApiHandler::PreparePage(Context& ctx, const std::optional<uint64_t>& limit,
                             const std::string& cursor, PageFormat format,
                             const FingerprintFn& fingerprint, PageRequest* page,
                             HttpResponse* problem) const {
  page->format = format;
  page->limit = limit ? static_cast<size_t>(*limit) : options_.limits.default_page_rows;
  page->max_bytes = options_.limits.max_page_bytes;
  if (cursor.empty()) return true;
  Result<uint64_t> offset = DecodeCursor(cursor, fingerprint());
  if (!offset.ok()) {
    *problem = Problem(400, offset.status().message(), ctx.request, "cursor");
    return false;
  }
  page->offset = *offset;
  return true;
}

HttpResponse ApiHandler::Query(Context& ctx) const {
  ExecutionBody body;
  if (auto e = ParseExecutionBody(ctx.request, options_.limits, /*adhoc=*/true, &body)) {
    return Problem(e->status, e->detail, ctx.request, e->field);
  }
  if (backends_.executor == nullptr) return Problem(503, "the store is not open", ctx.request);
  if (ctx.inline_only) {  // Ad-hoc SQL may scan the whole store.
    ctx.needs_worker = true;
    return {};
  }
  runbook::QueryRequest request;
  request.token = ctx.token;
  request.verification = ctx.verification ? &*ctx.verification : nullptr;  // Not verified twice.
  request.sql = std::move(body.sql);
  request.reason = std::move(body.reason);
  request.origin = Origin(ctx);
  request.admission = &slots_;
  FingerprintFn fingerprint = [&ctx, &request, format = body.format] {
    return Fingerprint(ctx.route, *ctx.principal, request.sql, "", format);
  };
  PageRequest page;
  HttpResponse problem;
  if (!PreparePage(ctx, body.limit, body.cursor, body.format, fingerprint, &page, &problem)) {
    return problem;
  }
  runbook::RunOutcome outcome = backends_.executor->Query(request);
  return Respond(ctx, outcome, page, fingerprint, "");
}

HttpResponse ApiHandler::RunRunbook(Context& ctx, std::string_view id) const {
  if (id.size() > auth::kMaxRunbookIdBytes || !auth::ValidateRunbookId(id).ok()) {
    return Problem(400, "id: a runbook id is dot-separated segments of [A-Za-z0-9_-]",
                   ctx.request, "id");
  }
  ExecutionBody body;
  if (auto e = ParseExecutionBody(ctx.request, options_.limits, /*adhoc=*/false, &body)) {
    return Problem(e->status, e->detail, ctx.request, e->field);
  }
  if (backends_.executor == nullptr) return Problem(503, "the store is not open", ctx.request);
  if (body.snapshot && (backends_.snapshots == nullptr || !backends_.snapshots->can_create())) {
    return Problem(501, "snapshot: no snapshot signing key is configured on this server",
                   ctx.request, "snapshot");
  }
  // Inline (HandleInline), only a key lookup runs, and only with a slot free now: a run
  // never waits in the queue on a thread that must not wait. A run the executor refuses
  // before executing anything (runbooks claim, scope, unknown runbook: the checks Run makes
  // first) needs no slot and is answered inline whatever its plan.
  std::optional<AdmittedSlot> admitted;
  if (ctx.inline_only) {
    const bool refused = !ctx.principal->AllowsRunbook(id) ||
                         !ctx.principal->HasScope(auth::kScopeRunbookRun) ||
                         backends_.executor->library().Find(id) == nullptr;
    if (!refused) {
      std::optional<QuerySlots::Ticket> slot;
      if (!body.snapshot && backends_.executor->IsKeyLookup(id)) slot = slots_.TryAcquire();
      if (!slot) {
        ctx.needs_worker = true;
        return {};
      }
      admitted.emplace(std::move(*slot));
    }
  }
  runbook::RunRequest request;
  request.token = ctx.token;
  request.verification = ctx.verification ? &*ctx.verification : nullptr;  // Not verified twice.
  request.runbook_id = std::string(id);
  request.params = std::move(body.params);
  request.reason = std::move(body.reason);
  request.origin = Origin(ctx);
  // A snapshot is stored from the run's result: the run's event must be durable first.
  if (body.snapshot) request.origin.defer_audit_durability = false;
  request.admission = admitted ? static_cast<runbook::QueryAdmission*>(&*admitted) : &slots_;
  FingerprintFn fingerprint = [&ctx, &request, format = body.format] {
    return Fingerprint(ctx.route, *ctx.principal, request.runbook_id, JoinedParams(request.params),
                       format);
  };
  PageRequest page;
  HttpResponse problem;
  if (!PreparePage(ctx, body.limit, body.cursor, body.format, fingerprint, &page, &problem)) {
    return problem;
  }
  std::optional<snapshot::StoreState> state;
  if (body.snapshot) state = backends_.snapshots->CaptureStoreState();
  runbook::RunOutcome outcome = backends_.executor->Run(request);
  std::string snapshot_id;
  if (outcome.status.ok() && state) {
    backends_.metrics->AddAuditEvents(1);  // The run's own event, written by the executor.
    outcome.receipt.reset();
    Result<std::string> created = backends_.snapshots->Create(outcome, *state);
    json::JsonWriter params;
    params.BeginObject();
    params.Key("runbookId");
    params.String(outcome.runbook_id);
    params.Key("runRequestId");
    params.String(outcome.request_id);
    params.EndObject();
    json::JsonWriter response;
    response.BeginObject();
    if (created.ok()) {
      response.Key("snapshotId");
      response.String(*created);
    }
    response.EndObject();
    HttpResponse failure;
    if (!Audit(ctx, "CreateSnapshot", std::move(params).Take(), std::move(response).Take(),
               created.ok() ? "" : StatusCodeName(created.status().code()),
               created.ok() ? "" : created.status().message(), &failure, /*read_only=*/false)) {
      return failure;
    }
    if (!created.ok()) {
      return ProblemFromStatus(created.status(), StatusOrigin::kRequest, ctx.request, "snapshot");
    }
    snapshot_id = std::move(created).value();
  }
  return Respond(ctx, outcome, page, fingerprint, snapshot_id);
}

HttpResponse ApiHandler::Respond(Context& ctx, runbook::RunOutcome& outcome,
                                 const PageRequest& page, const FingerprintFn& fingerprint,
                                 const std::string& snapshot_id) const {
  if (outcome.receipt) {
    backends_.metrics->AddAuditEvents(1);
    // Deferred (Origin set it so under the same condition): the transport waits for it.
    if (ctx.defer_audit_durability && ctx.audit_ticket == 0) {
      ctx.audit_ticket = outcome.receipt->ticket;
    }
  }
  backends_.metrics->AddRowsScanned(outcome.stats.rows_examined);
  if (!outcome.status.ok()) {
    const Status& s = outcome.status;
    if (outcome.error_code == "AuditWriteFailed") {
      HttpResponse r = Problem(503, "the audit log could not record this request; nothing was returned",
                               ctx.request);
      r.denial = "audit_unavailable";
      return r;
    }
    if (outcome.error_code == "Throttled") {
      HttpResponse r = ProblemFromStatus(s, StatusOrigin::kQueue, ctx.request);
      r.headers.emplace_back("Retry-After", "1");
      r.denial = "throttled";
      return r;
    }
    if (s.code() == StatusCode::kUnauthenticated) {
      HttpResponse r = Problem(401, "invalid token", ctx.request);
      r.denial = "invalid_token";
      return r;
    }
    if (s.code() == StatusCode::kPermissionDenied) {
      // The claim that failed goes to the audit event and the metrics, never to the client.
      HttpResponse r = Problem(403, "the token does not allow this request", ctx.request);
      r.denial = outcome.decision.claim.empty() ? "denied" : outcome.decision.claim;
      return r;
    }
    return ProblemFromStatus(s, StatusOrigin::kQuery, ctx.request, FieldFor(outcome));
  }
  QueryPage p = RenderPage(outcome.column_names, outcome.column_types, outcome.chunks, page);
  backends_.metrics->AddRowsReturned(p.rows);
  std::string next = p.next_offset ? EncodeCursor(*p.next_offset, fingerprint()) : "";
  json::JsonWriter stats;
  stats.BeginObject();
  stats.Key("rows");
  stats.UInt(p.rows);
  stats.Key("total_rows");
  stats.UInt(outcome.rows);
  stats.Key("events_scanned");
  stats.UInt(outcome.stats.rows_examined);
  stats.Key("bytes_scanned");
  stats.UInt(outcome.stats.bytes_read);
  stats.Key("duration_ms");
  stats.Double(static_cast<double>(outcome.duration_us) / 1000.0);
  stats.Key("result_sha256");
  stats.String(outcome.result_sha256);
  stats.Key("page_sha256");
  stats.String(p.page_sha256);
  stats.Key("more");
  stats.Bool(p.next_offset.has_value());
  stats.EndObject();
  HttpResponse r;
  r.content_type = std::string(PageContentType(page.format));
  r.headers.emplace_back("X-Result-Sha256", outcome.result_sha256);
  r.headers.emplace_back("X-Row-Count", std::to_string(p.rows));
  if (!next.empty()) r.headers.emplace_back("X-Next-Cursor", next);
  if (!snapshot_id.empty()) r.headers.emplace_back("X-Snapshot-Id", snapshot_id);
  if (page.format != PageFormat::kJson) {
    r.body = std::move(p.body);
    return r;
  }
  json::JsonWriter w;
  w.BeginObject();
  if (!outcome.runbook_id.empty()) {
    w.Key("runbook");
    w.BeginObject();
    w.Key("id");
    w.String(outcome.runbook_id);
    w.Key("version");
    w.String(outcome.runbook_version);
    w.Key("sha256");
    w.String(outcome.runbook_hash);
    w.EndObject();
  }
  w.Key("request_id");
  w.String(outcome.request_id);
  w.Key("columns");
  w.Raw(p.columns_json);
  w.Key("rows");
  w.Raw(p.body);
  w.Key("row_count");
  w.UInt(p.rows);
  w.Key("next");
  if (next.empty()) {
    w.Null();
  } else {
    w.String(next);
  }
  if (!snapshot_id.empty()) {
    w.Key("snapshot_id");
    w.String(snapshot_id);
  }
  w.Key("stats");
  w.Raw(std::move(stats).Take());
  w.EndObject();
  r.body = std::move(w).Take();
  return r;
}

}  // namespace trailbook::server
