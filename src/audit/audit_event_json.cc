#include "audit/audit_event_json.h"

#include <simdjson.h>

#include <algorithm>
#include <bitset>
#include <optional>
#include <vector>

#include "base/timestamp.h"
#include "crypto/digest.h"
#include "ingest/dedup_index.h"
#include "ingest/event_normalizer.h"
#include "json/json_writer.h"
#include "storage/coding.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"

namespace trailbook::audit {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Validates that `text` is a JSON object and sets `*out` to it minified (canonical form),
// reusing `*out`'s buffer.
Status ObjectMember(std::string_view name, std::string_view text, json::CanonicalJson* canonical,
                    std::string* out) {
  Status s = canonical->Canonicalize(text, out);
  if (!s.ok()) return InvalidArgument("audit event " + std::string(name) + ": " + s.message());
  if (out->empty() || out->front() != '{') {
    return InvalidArgument("audit event " + std::string(name) + ": not a JSON object");
  }
  return Status::OK();
}

// The caller's JSON-valued members in canonical form, ready to be written verbatim. Reused
// across events by AuditEventRenderer, so its buffers are allocated once.
struct CanonicalMembers {
  std::string request_parameters;  // "" when absent
  std::string response_elements;   // "" when absent
  std::string additional;          // with the chain fields
  std::string chained;             // scratch: additionalEventData with the chain fields
  std::string checked;             // scratch: the reserved-name check
};

// Validates the event and canonicalises its JSON-valued members (the chain fields spliced
// into additionalEventData). Errors: as RenderAuditEventJson.
Status PrepareMembers(const AuditEvent& event, const AuditStamp& stamp,
                      json::CanonicalJson& canonical, CanonicalMembers* out) {
  if (event.event_name.empty()) return InvalidArgument("audit event has no eventName");
  std::string& request_parameters = out->request_parameters;
  std::string& response_elements = out->response_elements;
  request_parameters.clear();
  response_elements.clear();
  if (!event.request_parameters_json.empty()) {
    TB_RETURN_IF_ERROR(ObjectMember("requestParameters", event.request_parameters_json,
                                    &canonical, &request_parameters));
  }
  if (!event.response_elements_json.empty()) {
    TB_RETURN_IF_ERROR(ObjectMember("responseElements", event.response_elements_json,
                                    &canonical, &response_elements));
  }
  // additionalEventData gets the chain fields spliced in before its one canonicalising
  // pass, which puts them in key order and rejects the object if it is not one.
  std::string_view raw = event.additional_event_data_json;
  while (!raw.empty() && IsJsonSpace(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && IsJsonSpace(raw.back())) raw.remove_suffix(1);
  if (raw.empty()) raw = "{}";
  if (raw.size() < 2 || raw.front() != '{' || raw.back() != '}') {
    TB_RETURN_IF_ERROR(ObjectMember("additionalEventData", event.additional_event_data_json,
                                    &canonical, &out->checked));
    return InvalidArgument("audit event additionalEventData: not a JSON object");
  }
  // Checked precisely only when a reserved name occurs at all (rare), to keep appends cheap.
  // (An escaped spelling of one is caught below as a duplicate key.)
  if (raw.find("auditSequence") != std::string_view::npos ||
      raw.find("previousEventHash") != std::string_view::npos) {
    std::string& additional = out->checked;
    TB_RETURN_IF_ERROR(ObjectMember("additionalEventData", raw, &canonical, &additional));
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
  // Stops at the first non-space byte: an event's additionalEventData is kilobytes of steps.
  std::string_view inner = raw.substr(1, raw.size() - 2);
  const bool no_members = std::find_if_not(inner.begin(), inner.end(), IsJsonSpace) == inner.end();
  std::string& chained = out->chained;
  chained.clear();
  chained.reserve(raw.size() + 128);
  chained.append(raw.substr(0, raw.size() - 1));
  if (!no_members) chained.push_back(',');
  chained.append("\"auditSequence\":");
  chained.append(std::to_string(stamp.sequence));
  chained.append(",\"previousEventHash\":");
  json::AppendQuoted(&chained, stamp.previous_hash);
  chained.push_back('}');
  std::string& additional_canonical = out->additional;
  additional_canonical.clear();
  Status chain_ok = canonical.Canonicalize(chained, &additional_canonical);
  if (!chain_ok.ok()) {
    return InvalidArgument("audit event additionalEventData: " + chain_ok.message());
  }
  if (additional_canonical.empty() || additional_canonical.front() != '{') {
    return InvalidArgument("audit event additionalEventData: not a JSON object");
  }
  return Status::OK();
}

// Writes the event through `w` (a JsonWriter, or a sink with its interface that also
// builds the stored row), in canonical form.
template <typename Writer>
void WriteEvent(const AuditEvent& event, const AuditStamp& stamp,
                const CanonicalMembers& members, Writer& w) {
  int64_t time_us = event.event_time_us != 0 ? event.event_time_us : stamp.event_time_us;
  const std::string& additional_canonical = members.additional;
  const std::string& request_parameters = members.request_parameters;
  const std::string& response_elements = members.response_elements;

  // Written directly in canonical form (json/canonical_json.h), which makes the SHA-256 of
  // the stored bytes the chain hash without a canonicalising pass over the whole event:
  // members in byte order of their keys (the order below; RenderedEventIsCanonical in
  // audit_event_json_test.cc checks it), nested objects already canonical, and strings
  // escaped by JsonWriter exactly as the canonical form escapes them (invalid UTF-8 becomes
  // U+FFFD, which the canonical form keeps).
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
}


}  // namespace

Result<std::string> RenderAuditEventJson(const AuditEvent& event, const AuditStamp& stamp,
                                         json::CanonicalJson* scratch) {
  std::optional<json::CanonicalJson> local;
  json::CanonicalJson& canonical = scratch != nullptr ? *scratch : local.emplace();
  CanonicalMembers members;
  TB_RETURN_IF_ERROR(PrepareMembers(event, stamp, canonical, &members));
  json::JsonWriter w;
  WriteEvent(event, stamp, members, w);
  return std::move(w).Take();
}

namespace {

// Above these, events go through the normaliser, whose limits (record 1 MiB, field 512 KiB,
// nesting 256 levels) then decide exactly as at ingest. A rendered event within both cannot
// reach any of them: no field is longer than the event, and no value nests deeper than
// the event holds '{' and '[' bytes.
constexpr size_t kDirectMaxBytes = 64 << 10;
constexpr size_t kDirectMaxOpenBrackets = 200;

// A JsonWriter front that also builds the event's store row the way ingest::EventNormalizer
// does (ingest/event_normalizer.cc): known fields set their columns and add their shape
// token in member order, a struct's members are bracketed by its token and kShapeEnd, null
// known fields add token | kShapeNullFlag, unknown members go verbatim ("key":value) into
// the residual, and the dedup key is that of the eventID. Whatever it does not model
// exactly sets fallback(), and the caller normalises the JSON instead; the JSON is written
// in full either way. Keys passed to Key must outlive the sink.
class RowSink {
 public:
  RowSink(json::JsonWriter& w, storage::RowBatch& rows) : w_(w), rows_(rows) {}

  void BeginObject() {
    if (frames_.empty()) {
      w_.BeginObject();
      frames_.push_back({Frame::kStruct, storage::kTopLevel, nullptr, 0, {}});
      return;
    }
    if (InVerbatim()) {
      w_.BeginObject();
      frames_.push_back({Frame::kNested, 0, nullptr, 0, {}});
      return;
    }
    const storage::SchemaField* f = Member();
    size_t start = w_.str().size();
    w_.BeginObject();
    if (f != nullptr && f->kind == storage::FieldKind::kStruct) {
      shape_.push_back(static_cast<char>(f->token));
      frames_.push_back({Frame::kStruct, schema_.FieldIndex(*f), nullptr, 0, {}});
      return;
    }
    if (f != nullptr && f->kind != storage::FieldKind::kJsonObject &&
        f->kind != storage::FieldKind::kJsonAny) {
      fallback_ = true;  // A type mismatch: the normaliser names it.
    }
    frames_.push_back({Frame::kVerbatim, 0, f, start, key_});
  }

  void EndObject() {
    Frame frame = frames_.back();
    frames_.pop_back();
    w_.EndObject();
    switch (frame.kind) {
      case Frame::kStruct:
        if (frame.field != storage::kTopLevel) shape_.push_back(static_cast<char>(storage::kShapeEnd));
        break;
      case Frame::kVerbatim: {
        std::string_view text = std::string_view(w_.str()).substr(frame.start);
        if (frame.known == nullptr) {
          Residual(frame.key, text);
        } else {
          Column(*frame.known, text);
        }
        break;
      }
      case Frame::kNested: break;
    }
  }

  // REQUIRES: `key` outlives the sink.
  void Key(std::string_view key) {
    w_.Key(key);
    key_ = key;
  }

  void String(std::string_view value) {
    if (InVerbatim()) return w_.String(value);
    const storage::SchemaField* f = Member();
    size_t start = w_.str().size();
    w_.String(value);
    if (f == nullptr) return Residual(key_, std::string_view(w_.str()).substr(start));
    if (f->kind == storage::FieldKind::kString) {
      // JSON escaping round-trips valid UTF-8 exactly; invalid bytes became U+FFFD.
      if (!json::IsValidUtf8(value)) {
        fallback_ = true;
        return;
      }
      rows_.SetString(f->column, value);
      if (f->column == schema_.event_id_column()) {
        event_id_.assign(value);
        has_event_id_ = true;
      }
    } else if (f->kind == storage::FieldKind::kTimestamp) {
      std::optional<int64_t> t = ParseTimestamp(value);
      if (!t) {
        fallback_ = true;
        return;
      }
      rows_.SetTimestamp(f->column, *t);
      if (!IsCanonicalTimestampText(value, *t)) {
        rows_.SetString(schema_.event_time_text_column(), value);
      }
      has_event_time_ = true;
    } else {
      fallback_ = true;
      return;
    }
    shape_.push_back(static_cast<char>(f->token));
  }

  void Bool(bool value) {
    if (InVerbatim()) return w_.Bool(value);
    const storage::SchemaField* f = Member();
    size_t start = w_.str().size();
    w_.Bool(value);
    if (f == nullptr) return Residual(key_, std::string_view(w_.str()).substr(start));
    if (f->kind != storage::FieldKind::kBool) {
      fallback_ = true;
      return;
    }
    rows_.SetBool(f->column, value);
    shape_.push_back(static_cast<char>(f->token));
  }

  void Null() {
    if (InVerbatim()) return w_.Null();
    const storage::SchemaField* f = Member();
    size_t start = w_.str().size();
    w_.Null();
    if (f == nullptr) return Residual(key_, std::string_view(w_.str()).substr(start));
    shape_.push_back(static_cast<char>(f->token | storage::kShapeNullFlag));
  }

  // REQUIRES: `json` is a JSON object or array in canonical form (minified).
  void Raw(std::string_view json) {
    if (InVerbatim()) return w_.Raw(json);
    const storage::SchemaField* f = Member();
    w_.Raw(json);
    if (f == nullptr) return Residual(key_, json);
    Column(*f, json);
  }

  // Ends the row (REQUIRES: the event object is closed). Returns false, leaving the row
  // open for the caller to drop, when the row is not exactly the normaliser's.
  bool Finish() {
    if (fallback_ || !has_event_time_ || !has_event_id_) return false;
    rows_.SetString(schema_.shape_column(), shape_);
    if (!residual_.empty()) rows_.SetString(schema_.residual_column(), residual_);
    rows_.EndRow(ingest::DedupIndex::KeyOfEventId(event_id_));
    return true;
  }

 private:
  struct Frame {
    enum Kind { kStruct, kVerbatim, kNested } kind;
    int field;                             // kStruct: schema index of the struct, or kTopLevel
    const storage::SchemaField* known;     // kVerbatim: the JSON column, or nullptr: residual
    size_t start;                          // kVerbatim: offset of the object's text
    std::string_view key;                  // kVerbatim: its member key
  };

  bool InVerbatim() const {
    return frames_.back().kind != Frame::kStruct;
  }

  // Returns the schema field of the member whose key was just written (nullptr: unknown,
  // kept in the residual), and falls back on a key the normaliser treats specially.
  const storage::SchemaField* Member() {
    int parent = frames_.back().field;
    const storage::SchemaField* f = schema_.FindChild(parent, key_);
    if (f != nullptr) {
      uint8_t token = f->token;
      if (seen_[token]) fallback_ = true;  // A duplicate member; the normaliser rejects it.
      seen_[token] = true;
      return f;
    }
    // Residual keys are stored as their raw (escaped) JSON text, and "@timestamp" stands in
    // for a missing eventTime: both are left to the normaliser.
    for (char c : key_) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) fallback_ = true;
    }
    if (parent == storage::kTopLevel && key_ == "@timestamp") fallback_ = true;
    return nullptr;
  }

  // Sets a JSON-text column (kJsonObject/kJsonAny/kJsonArray) from the value's minified text.
  void Column(const storage::SchemaField& f, std::string_view text) {
    bool object = !text.empty() && text.front() == '{';
    bool array = !text.empty() && text.front() == '[';
    bool fits = (f.kind == storage::FieldKind::kJsonObject && object) ||
                (f.kind == storage::FieldKind::kJsonArray && array) ||
                (f.kind == storage::FieldKind::kJsonAny && (object || array));
    if (!fits) {
      fallback_ = true;
      return;
    }
    rows_.SetString(f.column, text);
    shape_.push_back(static_cast<char>(f.token));
  }

  void Residual(std::string_view key, std::string_view value_text) {
    member_.clear();
    member_.push_back('"');
    member_.append(key);
    member_.append("\":");
    member_.append(value_text);
    storage::PutLengthPrefixed(&residual_, member_);
    shape_.push_back(static_cast<char>(storage::kShapeResidual));
  }

  json::JsonWriter& w_;
  storage::RowBatch& rows_;
  const storage::EventSchema& schema_ = storage::EventSchema::Get();
  std::vector<Frame> frames_;
  std::string_view key_;
  std::string shape_;
  std::string residual_;
  std::string member_;
  std::string event_id_;
  std::bitset<256> seen_;
  bool has_event_id_ = false;
  bool has_event_time_ = false;
  bool fallback_ = false;
};

}  // namespace

struct AuditEventRenderer::Impl {
  json::CanonicalJson canonical;
  CanonicalMembers members;
  json::JsonWriter writer;
  ingest::EventNormalizer normalizer;
  std::string padded;
  uint64_t direct_rows = 0;
  uint64_t normalized_rows = 0;
};

AuditEventRenderer::AuditEventRenderer() : impl_(std::make_unique<Impl>()) {}
AuditEventRenderer::~AuditEventRenderer() = default;

uint64_t AuditEventRenderer::direct_rows() const { return impl_->direct_rows; }
uint64_t AuditEventRenderer::normalized_rows() const { return impl_->normalized_rows; }

Status AuditEventRenderer::Render(const AuditEvent& event, const AuditStamp& stamp,
                                  std::string* json, storage::RowBatch* rows) {
  Impl& m = *impl_;
  TB_RETURN_IF_ERROR(PrepareMembers(event, stamp, m.canonical, &m.members));
  const size_t row = rows->row_count();
  m.writer.Clear();
  RowSink sink(m.writer, *rows);
  WriteEvent(event, stamp, m.members, sink);
  const std::string& text = m.writer.str();
  bool direct = sink.Finish() && text.size() <= kDirectMaxBytes;
  if (direct) {
    size_t open = 0;
    for (char c : text) open += (c == '{' || c == '[') ? 1u : 0u;
    direct = open <= kDirectMaxOpenBrackets;
  }
  json->assign(text);
  if (direct) {
    ++m.direct_rows;
    return Status::OK();
  }
  rows->TruncateRows(row);
  m.padded.assign(text);
  m.padded.append(simdjson::SIMDJSON_PADDING, '\0');
  TB_RETURN_IF_ERROR(m.normalizer.Normalize(std::string_view(m.padded.data(), text.size()), rows)
                         .WithContext("audit event"));
  ++m.normalized_rows;
  return Status::OK();
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
