#include "audit/audit_event_json.h"

#include <simdjson.h>

#include <optional>

#include "base/timestamp.h"
#include "crypto/digest.h"
#include "json/json_writer.h"

namespace trailbook::audit {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Validates that `text` is a JSON object and returns it minified (canonical form).
Result<std::string> ObjectMember(std::string_view name, std::string_view text,
                                 json::CanonicalJson* canonical) {
  std::string out;
  Status s = canonical->Canonicalize(text, &out);
  if (!s.ok()) return InvalidArgument("audit event " + std::string(name) + ": " + s.message());
  if (out.empty() || out.front() != '{') {
    return InvalidArgument("audit event " + std::string(name) + ": not a JSON object");
  }
  return out;
}

}  // namespace

Result<std::string> RenderAuditEventJson(const AuditEvent& event, const AuditStamp& stamp,
                                         json::CanonicalJson* scratch) {
  if (event.event_name.empty()) return InvalidArgument("audit event has no eventName");
  std::optional<json::CanonicalJson> local;
  json::CanonicalJson& canonical = scratch != nullptr ? *scratch : local.emplace();
  std::string request_parameters, response_elements;
  if (!event.request_parameters_json.empty()) {
    TB_ASSIGN_OR_RETURN(request_parameters, ObjectMember("requestParameters",
                                                         event.request_parameters_json,
                                                         &canonical));
  }
  if (!event.response_elements_json.empty()) {
    TB_ASSIGN_OR_RETURN(response_elements, ObjectMember("responseElements",
                                                        event.response_elements_json,
                                                        &canonical));
  }
  // additionalEventData gets the chain fields spliced in before its one canonicalising
  // pass, which puts them in key order and rejects the object if it is not one.
  std::string_view raw = event.additional_event_data_json;
  while (!raw.empty() && IsJsonSpace(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && IsJsonSpace(raw.back())) raw.remove_suffix(1);
  if (raw.empty()) raw = "{}";
  if (raw.size() < 2 || raw.front() != '{' || raw.back() != '}') {
    TB_RETURN_IF_ERROR(
        ObjectMember("additionalEventData", event.additional_event_data_json, &canonical)
            .status());
    return InvalidArgument("audit event additionalEventData: not a JSON object");
  }
  // Checked precisely only when a reserved name occurs at all (rare), to keep appends cheap.
  // (An escaped spelling of one is caught below as a duplicate key.)
  if (raw.find("auditSequence") != std::string_view::npos ||
      raw.find("previousEventHash") != std::string_view::npos) {
    TB_ASSIGN_OR_RETURN(std::string additional,
                        ObjectMember("additionalEventData", raw, &canonical));
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    if (parser.parse(additional).get(object) != simdjson::SUCCESS) {
      return InvalidArgument("audit event additionalEventData: not a JSON object");
    }
    for (const char* reserved : {"auditSequence", "previousEventHash"}) {
      if (object[reserved].error() == simdjson::SUCCESS) {
        return InvalidArgument(std::string("audit event additionalEventData: member ") +
                               reserved + " is reserved for the audit chain");
      }
    }
  }
  std::string_view members = raw.substr(1, raw.size() - 2);
  bool no_members = true;
  for (char c : members) no_members = no_members && IsJsonSpace(c);
  std::string chained;
  chained.reserve(raw.size() + 128);
  chained.append(raw.substr(0, raw.size() - 1));
  if (!no_members) chained.push_back(',');
  chained.append("\"auditSequence\":" + std::to_string(stamp.sequence) +
                 ",\"previousEventHash\":");
  json::AppendQuoted(&chained, stamp.previous_hash);
  chained.push_back('}');
  std::string additional_canonical;
  Status chain_ok = canonical.Canonicalize(chained, &additional_canonical);
  if (!chain_ok.ok()) {
    return InvalidArgument("audit event additionalEventData: " + chain_ok.message());
  }
  if (additional_canonical.empty() || additional_canonical.front() != '{') {
    return InvalidArgument("audit event additionalEventData: not a JSON object");
  }
  int64_t time_us = event.event_time_us != 0 ? event.event_time_us : stamp.event_time_us;

  // Written directly in canonical form (json/canonical_json.h), which makes the SHA-256 of
  // the stored bytes the chain hash without a canonicalising pass over the whole event:
  // members in byte order of their keys (the order below; RenderedEventIsCanonical in
  // audit_event_json_test.cc checks it), nested objects already canonical, and strings
  // escaped by JsonWriter exactly as the canonical form escapes them (invalid UTF-8 becomes
  // U+FFFD, which the canonical form keeps).
  json::JsonWriter w;
  w.BeginObject();
  w.Key("additionalEventData");
  w.Raw(additional_canonical);
  w.Key("awsRegion");
  w.String(stamp.region);
  if (!event.error_code.empty()) {
    w.Key("errorCode");
    w.String(event.error_code);
  }
  if (!event.error_message.empty()) {
    w.Key("errorMessage");
    w.String(event.error_message);
  }
  w.Key("eventCategory");
  w.String("Management");
  w.Key("eventID");
  w.String(stamp.event_id);
  w.Key("eventName");
  w.String(event.event_name);
  w.Key("eventSource");
  w.String(kAuditEventSource);
  w.Key("eventTime");
  w.String(FormatTimestamp(time_us));
  w.Key("eventType");
  w.String("ActivityAuditLog");
  w.Key("eventVersion");
  w.String("1.09");
  w.Key("managementEvent");
  w.Bool(true);
  w.Key("readOnly");
  w.Bool(event.read_only);
  w.Key("recipientAccountId");
  w.String(stamp.account_id);
  w.Key("requestID");
  w.String(event.request_id.empty() ? stamp.request_id : event.request_id);
  w.Key("requestParameters");
  if (request_parameters.empty()) {
    w.Null();
  } else {
    w.Raw(request_parameters);
  }
  w.Key("responseElements");
  if (response_elements.empty()) {
    w.Null();
  } else {
    w.Raw(response_elements);
  }
  w.Key("sourceIPAddress");
  w.String(event.source_ip);
  w.Key("userAgent");
  w.String(event.user_agent);
  w.Key("userIdentity");
  w.BeginObject();
  w.Key("details");
  w.BeginObject();
  w.Key("issuer");
  w.String(event.issuer);
  w.Key("tokenId");
  w.String(event.token_id);
  w.Key("tokenSha256");
  w.String(event.token_sha256);
  w.EndObject();
  w.Key("principalId");
  w.String(event.principal_id);
  w.Key("type");
  w.String("JWT");
  w.EndObject();
  w.EndObject();
  std::string out = std::move(w).Take();
  return out;
}

Result<std::string> HashAuditEventJson(std::string_view json, json::CanonicalJson* canonical) {
  std::string out;
  TB_RETURN_IF_ERROR(canonical->Canonicalize(json, &out));
  return crypto::ToHex(crypto::Sha256(out));
}

namespace {

Status ReadFields(const simdjson::dom::element& root, AuditChainFields* f) {
  std::string_view s;
  if (root["eventID"].get(s) != simdjson::SUCCESS) {
    return InvalidArgument("audit event has no string eventID");
  }
  f->event_id.assign(s);
  if (root["eventTime"].get(s) != simdjson::SUCCESS) {
    return InvalidArgument("audit event has no string eventTime");
  }
  std::optional<int64_t> t = ParseTimestamp(s);
  if (!t) return InvalidArgument("audit event has an unparseable eventTime");
  f->event_time_us = *t;
  simdjson::dom::element additional;
  if (root["additionalEventData"].get(additional) != simdjson::SUCCESS) {
    return InvalidArgument("audit event has no additionalEventData");
  }
  uint64_t seq = 0;
  if (additional["auditSequence"].get(seq) != simdjson::SUCCESS || seq == 0) {
    return InvalidArgument("audit event has no positive integer additionalEventData.auditSequence");
  }
  f->sequence = seq;
  if (additional["previousEventHash"].get(s) != simdjson::SUCCESS) {
    return InvalidArgument("audit event has no string additionalEventData.previousEventHash");
  }
  f->previous_hash.assign(s);
  return Status::OK();
}

}  // namespace

Result<AuditChainFields> ReadAuditChainFields(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("audit event is not valid JSON");
  }
  AuditChainFields f;
  TB_RETURN_IF_ERROR(ReadFields(root, &f));
  return f;
}

struct AuditEventReader::Impl {
  simdjson::dom::parser parser;
  json::CanonicalJson canonical;
  std::string canonical_text;
};

AuditEventReader::AuditEventReader() : impl_(std::make_unique<Impl>()) {}
AuditEventReader::~AuditEventReader() = default;

Status AuditEventReader::Read(std::string_view json, AuditChainFields* fields,
                              std::string* hash_hex) {
  simdjson::dom::element root;
  if (impl_->parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("audit event is not valid JSON");
  }
  TB_RETURN_IF_ERROR(ReadFields(root, fields));
  *hash_hex = crypto::ToHex(crypto::Sha256(json));
  return Status::OK();
}

Status AuditEventReader::CanonicalHash(std::string_view json, std::string* hash_hex) {
  TB_RETURN_IF_ERROR(impl_->canonical.Canonicalize(json, &impl_->canonical_text));
  *hash_hex = crypto::ToHex(crypto::Sha256(impl_->canonical_text));
  return Status::OK();
}

}  // namespace trailbook::audit
