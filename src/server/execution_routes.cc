// The executing routes of ApiHandler: POST /v1/query and POST /v1/runbooks/{id}/runs.
#include <simdjson.h>

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
constexpr size_t kMaxReasonBytes = 512;

// A request-body problem: the HTTP status, the offending member and the message.
struct BodyError {
  int status = 400;
  std::string field;
  std::string detail;
};

struct ExecutionBody {
  std::string sql;
  std::string params_json = "{}";                   // Minified object, for runbooks.
  std::map<std::string, sql::Value> query_params;   // Typed, for ad-hoc SQL.
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

// Checks one parameter value; `adhoc` values must be scalars and become typed SQL values.
std::optional<BodyError> CheckParam(std::string_view name, simdjson::dom::element value,
                                    const ServerLimits& limits, bool adhoc,
                                    std::map<std::string, sql::Value>* out) {
  std::string field = "params." + std::string(name);
  auto too_long = [&] {
    return BodyError{400, field,
                     field + ": longer than " + std::to_string(limits.max_param_bytes) + " bytes"};
  };
  switch (value.type()) {
    case simdjson::dom::element_type::STRING: {
      std::string_view s = value.get_string().value_unsafe();
      if (s.size() > limits.max_param_bytes) return too_long();
      if (adhoc) (*out)[std::string(name)] = sql::Value::Varchar(std::string(s));
      return std::nullopt;
    }
    case simdjson::dom::element_type::INT64:
      if (adhoc) (*out)[std::string(name)] = sql::Value::Bigint(value.get_int64().value_unsafe());
      return std::nullopt;
    case simdjson::dom::element_type::UINT64:
      return BodyError{400, field, field + ": integer out of range"};
    case simdjson::dom::element_type::DOUBLE:
      if (adhoc) (*out)[std::string(name)] = sql::Value::Double(value.get_double().value_unsafe());
      return std::nullopt;
    case simdjson::dom::element_type::BOOL:
      if (adhoc) (*out)[std::string(name)] = sql::Value::Boolean(value.get_bool().value_unsafe());
      return std::nullopt;
    case simdjson::dom::element_type::ARRAY: {
      if (adhoc) return BodyError{400, field, field + ": ad-hoc query parameters must be scalars"};
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
        if (t == simdjson::dom::element_type::STRING &&
            item.get_string().value_unsafe().size() > limits.max_param_bytes) {
          return too_long();
        }
      }
      return std::nullopt;
    }
    case simdjson::dom::element_type::NULL_VALUE:
    case simdjson::dom::element_type::OBJECT:
      return BodyError{400, field,
                       field + ": expected a string, number or boolean, got " +
                           std::string(auth::JsonTypeName(value))};
  }
  return BodyError{400, field, field + ": unsupported value"};
}

// Parses the body of a run (`adhoc` false) or an ad-hoc query (`adhoc` true).
std::optional<BodyError> ParseExecutionBody(const HttpRequest& request, const ServerLimits& limits,
                                            bool adhoc, ExecutionBody* out) {
  if (auto e = CheckContentType(request)) return e;
  if (request.body.empty()) return BodyError{400, "body", "body: expected a JSON object"};
  auth::StrictJsonParser parser;
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
    if (key == "params") {
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
        if (auto e = CheckParam(name, param, limits, adhoc, &out->query_params)) return e;
      }
      out->params_json = simdjson::to_string(value);
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
    } else if (key == "reason" && !adhoc) {
      if (type != simdjson::dom::element_type::STRING) {
        return BodyError{400, field, "reason: expected a string"};
      }
      std::string_view reason = value.get_string().value_unsafe();
      Status s = auth::ValidatePrintable("reason", reason, kMaxReasonBytes);
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

}  // namespace

HttpResponse ApiHandler::Query(Context& ctx) const {
  if (!ctx.principal->HasScope(auth::kScopeQueryAdhoc)) {
    return Deny(ctx, 403, "QueryAdhoc", "scope", "the token lacks scope query:adhoc");
  }
  ExecutionBody body;
  if (auto e = ParseExecutionBody(ctx.request, options_.limits, /*adhoc=*/true, &body)) {
    return Problem(e->status, e->detail, ctx.request, e->field);
  }
  std::string fingerprint =
      Fingerprint(ctx.route, *ctx.principal, body.sql, body.params_json, body.format);
  PageRequest page;
  page.format = body.format;
  page.limit = body.limit ? static_cast<size_t>(*body.limit) : options_.limits.default_page_rows;
  page.max_bytes = options_.limits.max_page_bytes;
  if (!body.cursor.empty()) {
    Result<uint64_t> offset = DecodeCursor(body.cursor, fingerprint);
    if (!offset.ok()) return Problem(400, offset.status().message(), ctx.request, "cursor");
    page.offset = *offset;
  }
  sql::QueryOptions options;
  options.parameters = std::move(body.query_params);
  options.constraints = ConstraintsFor(ctx.principal->constraints, ctx.now_us);
  json::JsonWriter params;
  params.BeginObject();
  params.Key("sql");
  params.String(body.sql);
  params.Key("params");
  params.Raw(body.params_json);
  params.Key("offset");
  params.UInt(page.offset);
  params.Key("limit");
  params.UInt(page.limit);
  params.EndObject();
  return Execute(ctx, "QueryAdhoc", body.sql, std::move(options), page, fingerprint,
                 std::move(params).Take(), nullptr);
}

HttpResponse ApiHandler::RunRunbook(Context& ctx, std::string_view id) const {
  if (id.size() > 128 || !auth::ValidateRunbookId(id).ok()) {
    return Problem(400, "id: a runbook id is dot-separated segments of [A-Za-z0-9_-]",
                   ctx.request, "id");
  }
  if (!ctx.principal->HasScope(auth::kScopeRunbookRun)) {
    return Deny(ctx, 403, "RunRunbook", "scope", "the token lacks scope runbook:run");
  }
  if (!ctx.principal->AllowsRunbook(id)) {
    return Deny(ctx, 403, "RunRunbook", "runbook_not_allowed",
                "the token's runbooks claim does not allow runbook " + std::string(id));
  }
  ExecutionBody body;
  if (auto e = ParseExecutionBody(ctx.request, options_.limits, /*adhoc=*/false, &body)) {
    return Problem(e->status, e->detail, ctx.request, e->field);
  }
  if (backends_.runbooks == nullptr) {
    return Problem(501, "no runbook library is configured on this server", ctx.request);
  }
  if (body.snapshot) {
    return Problem(501, "snapshot: signed snapshots are not available on this server",
                   ctx.request, "snapshot");
  }
  Result<BoundRunbook> bound =
      backends_.runbooks->Bind(id, body.params_json, *ctx.principal, ctx.now_us);
  if (!bound.ok()) {
    const Status& s = bound.status();
    if (s.code() == StatusCode::kPermissionDenied) {
      return Deny(ctx, 403, "RunRunbook", "constraints", s.message());
    }
    // The field is the message's leading "params.x" when the catalog named one.
    std::string field;
    if (s.message().rfind("params.", 0) == 0) field = s.message().substr(0, s.message().find(':'));
    json::JsonWriter params;
    params.BeginObject();
    params.Key("runbook_id");
    params.String(id);
    params.Key("params");
    params.Raw(body.params_json);
    params.EndObject();
    HttpResponse failure;
    if (!Audit(ctx, "RunRunbook", std::move(params).Take(), "", StatusCodeName(s.code()),
               s.message(), &failure)) {
      return failure;
    }
    return ProblemFromStatus(s, StatusOrigin::kRequest, ctx.request,
                             field.empty() && s.code() == StatusCode::kNotFound ? "id" : field);
  }
  std::string reason = body.reason;
  if (reason.empty() && ctx.principal->reason) reason = *ctx.principal->reason;
  std::string fingerprint = Fingerprint(ctx.route, *ctx.principal, bound->runbook.content_sha256,
                                        bound->bound_params_json, body.format);
  PageRequest page;
  page.format = body.format;
  page.limit = body.limit ? static_cast<size_t>(*body.limit) : options_.limits.default_page_rows;
  page.max_bytes = options_.limits.max_page_bytes;
  if (!body.cursor.empty()) {
    Result<uint64_t> offset = DecodeCursor(body.cursor, fingerprint);
    if (!offset.ok()) return Problem(400, offset.status().message(), ctx.request, "cursor");
    page.offset = *offset;
  }
  sql::QueryOptions options;
  options.parameters = std::move(bound->parameters);
  options.constraints = bound->constraints;
  json::JsonWriter params;
  params.BeginObject();
  params.Key("runbook_id");
  params.String(bound->runbook.id);
  params.Key("runbook_version");
  params.String(bound->runbook.version);
  params.Key("runbook_sha256");
  params.String(bound->runbook.content_sha256);
  params.Key("params");
  params.Raw(bound->bound_params_json.empty() ? std::string_view("{}") : bound->bound_params_json);
  if (!reason.empty()) {
    params.Key("reason");
    params.String(reason);
  }
  params.Key("offset");
  params.UInt(page.offset);
  params.Key("limit");
  params.UInt(page.limit);
  params.EndObject();
  return Execute(ctx, "RunRunbook", bound->sql, std::move(options), page, fingerprint,
                 std::move(params).Take(), &bound->runbook);
}

HttpResponse ApiHandler::Execute(Context& ctx, std::string_view action, std::string_view sql,
                                 sql::QueryOptions options, const PageRequest& page,
                                 std::string_view fingerprint,
                                 std::string request_parameters_json,
                                 const RunbookSummary* runbook) const {
  HttpResponse failure;
  if (backends_.engine == nullptr) {
    return Problem(503, "the store is not open", ctx.request);
  }
  Result<QuerySlots::Ticket> ticket = slots_.Acquire();
  if (!ticket.ok()) {
    if (!Audit(ctx, action, std::move(request_parameters_json), "", "Throttled",
               ticket.status().message(), &failure)) {
      return failure;
    }
    HttpResponse r = ProblemFromStatus(ticket.status(), StatusOrigin::kQueue, ctx.request);
    r.headers.emplace_back("Retry-After", "1");
    r.denial = "throttled";
    return r;
  }
  options.memory_limit_bytes = options_.limits.query_memory_bytes;
  options.timeout = options_.limits.query_timeout;
  options.cancel = &cancel_;
  options.threads = options_.limits.query_threads;
  options.clock = backends_.clock;
  Result<QueryPage> result = RunPage(*backends_.engine, sql, options, page);
  *ticket = QuerySlots::Ticket();  // Release the slot before the audit write.
  if (!result.ok()) {
    const Status& s = result.status();
    if (!Audit(ctx, action, std::move(request_parameters_json), "", StatusCodeName(s.code()),
               s.message(), &failure)) {
      return failure;
    }
    return ProblemFromStatus(s, StatusOrigin::kQuery, ctx.request,
                             s.code() == StatusCode::kInvalidArgument && runbook == nullptr ? "sql" : "");
  }
  QueryPage& p = *result;
  backends_.metrics->AddRowsScanned(p.stats.rows_examined);
  backends_.metrics->AddRowsReturned(p.rows);
  std::string next = p.next_offset ? EncodeCursor(*p.next_offset, fingerprint) : "";
  json::JsonWriter stats;
  stats.BeginObject();
  stats.Key("rows");
  stats.UInt(p.rows);
  stats.Key("events_scanned");
  stats.UInt(p.stats.rows_examined);
  stats.Key("bytes_scanned");
  stats.UInt(p.stats.bytes_read);
  stats.Key("duration_ms");
  stats.Double(p.stats.seconds * 1000.0);
  stats.Key("result_sha256");
  stats.String(p.result_sha256);
  stats.Key("more");
  stats.Bool(p.next_offset.has_value());
  stats.EndObject();
  std::string stats_json = std::move(stats).Take();
  if (!Audit(ctx, action, std::move(request_parameters_json), stats_json, "", "", &failure)) {
    return failure;
  }
  HttpResponse r;
  r.content_type = std::string(PageContentType(page.format));
  r.headers.emplace_back("X-Result-Sha256", p.result_sha256);
  r.headers.emplace_back("X-Row-Count", std::to_string(p.rows));
  if (!next.empty()) r.headers.emplace_back("X-Next-Cursor", next);
  if (page.format != PageFormat::kJson) {
    r.body = std::move(p.body);
    return r;
  }
  json::JsonWriter w;
  w.BeginObject();
  if (runbook != nullptr) {
    w.Key("runbook");
    w.BeginObject();
    w.Key("id");
    w.String(runbook->id);
    w.Key("version");
    w.String(runbook->version);
    w.Key("sha256");
    w.String(runbook->content_sha256);
    w.EndObject();
  }
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
  w.Key("stats");
  w.Raw(stats_json);
  w.EndObject();
  r.body = std::move(w).Take();
  return r;
}

}  // namespace trailbook::server
