#include "snapshot/snapshot_manifest.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <utility>

#include "auth/jwt/strict_json.h"
#include "base/status.h"
#include "base/timestamp.h"
#include "crypto/digest.h"
#include "json/json_writer.h"
#include "storage/audit_journal.h"
#include "storage/store.h"

namespace trailbook::snapshot {
namespace {

std::string Iso(int64_t micros) { return FormatTimestamp(micros, 6, 'T', true); }

void WriteStringList(json::JsonWriter& w, const std::optional<std::vector<std::string>>& list) {
  if (!list) {
    w.Null();
    return;
  }
  std::vector<std::string> sorted = *list;
  std::sort(sorted.begin(), sorted.end());
  w.BeginArray();
  for (const std::string& s : sorted) w.String(s);
  w.EndArray();
}

void WriteOptionalTime(json::JsonWriter& w, const std::optional<int64_t>& t) {
  if (t) {
    w.String(Iso(*t));
  } else {
    w.Null();
  }
}

// Reads members of one JSON object, checking each is present once with the right type and
// that no other member is there. Errors name the dotted path.
class ObjectReader {
 public:
  ObjectReader(simdjson::dom::element element, std::string path)
      : element_(element), path_(std::move(path)) {}

  Status Open(std::initializer_list<std::string_view> allowed) {
    simdjson::dom::object object;
    if (element_.get_object().get(object) != simdjson::SUCCESS) return Error("", "not an object");
    for (auto field : object) {
      if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
        return Error(field.key, "unknown member");
      }
    }
    object_ = object;
    return Status::OK();
  }

  Result<simdjson::dom::element> Get(std::string_view key) const {
    simdjson::dom::element value;
    if (object_.at_key(key).get(value) != simdjson::SUCCESS) return Error(key, "missing");
    return value;
  }
  Result<std::string> String(std::string_view key) const {
    TB_ASSIGN_OR_RETURN(simdjson::dom::element value, Get(key));
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) return Error(key, "not a string");
    return std::string(s);
  }
  Result<uint64_t> UInt(std::string_view key) const {
    TB_ASSIGN_OR_RETURN(simdjson::dom::element value, Get(key));
    uint64_t n = 0;
    if (!value.is_uint64() || value.get_uint64().get(n) != simdjson::SUCCESS) {
      return Error(key, "not a non-negative integer");
    }
    return n;
  }
  Result<int64_t> Time(std::string_view key) const {
    TB_ASSIGN_OR_RETURN(std::string text, String(key));
    std::optional<int64_t> t = ParseTimestamp(text);
    if (!t) return Error(key, "not a timestamp");
    return *t;
  }
  Result<std::string> Hex64(std::string_view key) const {
    TB_ASSIGN_OR_RETURN(std::string text, String(key));
    bool ok = text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
              });
    if (!ok) return Error(key, "not 64 lower-case hex digits");
    return text;
  }
  // The minified JSON of an object-valued member.
  Result<std::string> ObjectText(std::string_view key) const {
    TB_ASSIGN_OR_RETURN(simdjson::dom::element value, Get(key));
    if (!value.is_object()) return Error(key, "not an object");
    return simdjson::minify(value);
  }
  std::string Path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  Status Error(std::string_view key, std::string_view what) const {
    std::string where = key.empty() ? (path_.empty() ? "(root)" : path_) : Path(key);
    return Corruption(std::string(kManifestFile) + ": " + where + ": " + std::string(what));
  }

 private:
  simdjson::dom::element element_;
  std::string path_;
  simdjson::dom::object object_;
};

Status CheckConstraints(simdjson::dom::element element) {
  ObjectReader r(element, "constraints");
  TB_RETURN_IF_ERROR(r.Open({"accounts", "hiddenEventSources", "maxTime", "minTime", "regions"}));
  for (std::string_view key : {"accounts", "regions"}) {
    TB_ASSIGN_OR_RETURN(simdjson::dom::element v, r.Get(key));
    if (!v.is_null() && !v.is_array()) return r.Error(key, "not an array or null");
  }
  TB_ASSIGN_OR_RETURN(simdjson::dom::element hidden, r.Get("hiddenEventSources"));
  if (!hidden.is_array()) return r.Error("hiddenEventSources", "not an array");
  for (std::string_view key : {"maxTime", "minTime"}) {
    TB_ASSIGN_OR_RETURN(simdjson::dom::element v, r.Get(key));
    if (!v.is_null()) TB_RETURN_IF_ERROR(r.Time(key).status());
  }
  return Status::OK();
}

}  // namespace

StoreState StoreState::From(const storage::StoreSnapshot& snapshot) {
  StoreState state;
  state.store_id = snapshot.store_id();
  state.sequence = snapshot.sequence();
  // Only committed segments: audit events still in the journal tail show up as in-memory
  // segments whose ids carry kJournalSegmentIdBit, and they change with every audited
  // request (the run being frozen included).
  bool first = true;
  for (const storage::SegmentInfo& info : snapshot.infos()) {
    if ((info.id & storage::kJournalSegmentIdBit) != 0) continue;
    state.segment_ids.push_back(info.id);
    state.rows += info.rows;
    if (first || info.min_time < state.min_event_time_us) state.min_event_time_us = info.min_time;
    if (first || info.max_time > state.max_event_time_us) state.max_event_time_us = info.max_time;
    first = false;
  }
  std::sort(state.segment_ids.begin(), state.segment_ids.end());
  return state;
}

std::string RenderParameters(const std::map<std::string, sql::Value>& parameters) {
  json::JsonWriter w;
  w.BeginObject();
  for (const auto& [name, value] : parameters) {
    w.Key(name);
    w.BeginObject();
    w.Key("type");
    w.String(value.type().ToString());
    w.Key("value");
    if (value.is_null()) {
      w.Null();
    } else {
      switch (value.type().id()) {
        case sql::TypeId::kBoolean: w.Bool(value.bool_value()); break;
        case sql::TypeId::kBigint: w.Int(value.int_value()); break;
        case sql::TypeId::kDouble: w.Double(value.double_value()); break;
        case sql::TypeId::kTimestamp: w.String(Iso(value.int_value())); break;
        default: w.String(value.ToString()); break;
      }
    }
    w.EndObject();
  }
  w.EndObject();
  return std::move(w).Take();
}

std::string RenderConstraints(const sql::ScanConstraints& constraints) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("accounts");
  WriteStringList(w, constraints.accounts);
  w.Key("hiddenEventSources");
  WriteStringList(w, constraints.hidden_event_sources);
  w.Key("maxTime");
  WriteOptionalTime(w, constraints.max_time);
  w.Key("minTime");
  WriteOptionalTime(w, constraints.min_time);
  w.Key("regions");
  WriteStringList(w, constraints.regions);
  w.EndObject();
  return std::move(w).Take();
}

std::string RenderManifest(const SnapshotManifest& m) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("constraints");
  w.Raw(m.constraints_json.empty() ? RenderConstraints({}) : m.constraints_json);
  w.Key("createdAt");
  w.String(Iso(m.created_us));
  w.Key("files");
  w.BeginArray();
  for (const FileEntry& f : m.files) {
    w.BeginObject();
    w.Key("bytes");
    w.UInt(f.bytes);
    w.Key("compression");
    w.String(f.compression);
    w.Key("format");
    w.String(f.format);
    w.Key("name");
    w.String(f.name);
    w.Key("sha256");
    w.String(f.sha256);
    w.EndObject();
  }
  w.EndArray();
  w.Key("formatVersion");
  w.Int(kSnapshotFormatVersion);
  w.Key("parameters");
  w.Raw(m.parameters_json.empty() ? "{}" : m.parameters_json);
  w.Key("principal");
  w.BeginObject();
  w.Key("issuer");
  w.String(m.principal.issuer);
  w.Key("subject");
  w.String(m.principal.subject);
  w.Key("tokenId");
  w.String(m.principal.token_id);
  w.EndObject();
  w.Key("result");
  w.BeginObject();
  w.Key("columns");
  w.BeginArray();
  for (const ColumnInfo& c : m.columns) {
    w.BeginObject();
    w.Key("name");
    w.String(c.name);
    w.Key("type");
    w.String(c.type);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rows");
  w.UInt(m.rows);
  w.Key("sha256");
  w.String(m.result_sha256);
  w.EndObject();
  w.Key("runbook");
  w.BeginObject();
  w.Key("contentHash");
  w.String(m.runbook.content_hash);
  w.Key("id");
  w.String(m.runbook.id);
  w.Key("version");
  w.String(m.runbook.version);
  w.EndObject();
  w.Key("signing");
  w.BeginObject();
  w.Key("alg");
  w.String(m.signing.alg);
  w.Key("keyId");
  w.String(m.signing.key_id);
  w.Key("publicKeySha256");
  w.String(m.signing.public_key_sha256);
  w.EndObject();
  w.Key("snapshotId");
  w.String(m.snapshot_id);
  w.Key("store");
  w.BeginObject();
  w.Key("maxEventTime");
  w.String(Iso(m.store.max_event_time_us));
  w.Key("minEventTime");
  w.String(Iso(m.store.min_event_time_us));
  w.Key("rows");
  w.UInt(m.store.rows);
  w.Key("segmentIds");
  w.BeginArray();
  for (uint64_t id : m.store.segment_ids) w.UInt(id);
  w.EndArray();
  w.Key("sequence");
  w.UInt(m.store.sequence);
  w.Key("storeId");
  w.String(m.store.store_id);
  w.EndObject();
  w.Key("type");
  w.String(kSnapshotType);
  w.EndObject();
  return std::move(w).Take();
}

Result<SnapshotManifest> ParseManifest(std::string_view json) {
  if (json.size() > kMaxManifestBytes) {
    return Corruption(std::string(kManifestFile) + ": larger than " +
                      std::to_string(kMaxManifestBytes) + " bytes");
  }
  auth::StrictJsonParser parser;
  Result<simdjson::dom::element> root = parser.Parse(json, /*max_depth=*/16);
  if (!root.ok()) return Corruption(std::string(kManifestFile) + ": " + root.status().message());

  SnapshotManifest m;
  ObjectReader top(*root, "");
  TB_RETURN_IF_ERROR(top.Open({"constraints", "createdAt", "files", "formatVersion", "parameters",
                               "principal", "result", "runbook", "signing", "snapshotId", "store",
                               "type"}));
  TB_ASSIGN_OR_RETURN(std::string type, top.String("type"));
  if (type != kSnapshotType) return top.Error("type", "not \"" + std::string(kSnapshotType) + "\"");
  TB_ASSIGN_OR_RETURN(uint64_t version, top.UInt("formatVersion"));
  if (version != static_cast<uint64_t>(kSnapshotFormatVersion)) {
    return top.Error("formatVersion", "unsupported version " + std::to_string(version));
  }
  TB_ASSIGN_OR_RETURN(m.snapshot_id, top.String("snapshotId"));
  if (!ValidateSnapshotId(m.snapshot_id).ok()) return top.Error("snapshotId", "malformed id");
  TB_ASSIGN_OR_RETURN(m.created_us, top.Time("createdAt"));

  TB_ASSIGN_OR_RETURN(simdjson::dom::element constraints, top.Get("constraints"));
  TB_RETURN_IF_ERROR(CheckConstraints(constraints));
  m.constraints_json = simdjson::minify(constraints);
  TB_ASSIGN_OR_RETURN(m.parameters_json, top.ObjectText("parameters"));
  {
    TB_ASSIGN_OR_RETURN(simdjson::dom::element params, top.Get("parameters"));
    simdjson::dom::object params_object;
    if (params.get_object().get(params_object) != simdjson::SUCCESS) {
      return top.Error("parameters", "not an object");
    }
    for (auto field : params_object) {
      ObjectReader p(field.value, "parameters." + std::string(field.key));
      TB_RETURN_IF_ERROR(p.Open({"type", "value"}));
      TB_RETURN_IF_ERROR(p.String("type").status());
      TB_RETURN_IF_ERROR(p.Get("value").status());
    }
  }

  TB_ASSIGN_OR_RETURN(simdjson::dom::element principal_el, top.Get("principal"));
  ObjectReader principal(principal_el, "principal");
  TB_RETURN_IF_ERROR(principal.Open({"issuer", "subject", "tokenId"}));
  TB_ASSIGN_OR_RETURN(m.principal.issuer, principal.String("issuer"));
  TB_ASSIGN_OR_RETURN(m.principal.subject, principal.String("subject"));
  TB_ASSIGN_OR_RETURN(m.principal.token_id, principal.String("tokenId"));

  TB_ASSIGN_OR_RETURN(simdjson::dom::element runbook_el, top.Get("runbook"));
  ObjectReader runbook(runbook_el, "runbook");
  TB_RETURN_IF_ERROR(runbook.Open({"contentHash", "id", "version"}));
  TB_ASSIGN_OR_RETURN(m.runbook.content_hash, runbook.String("contentHash"));
  TB_ASSIGN_OR_RETURN(m.runbook.id, runbook.String("id"));
  TB_ASSIGN_OR_RETURN(m.runbook.version, runbook.String("version"));
  if (m.runbook.id.empty()) return runbook.Error("id", "empty");

  TB_ASSIGN_OR_RETURN(simdjson::dom::element signing_el, top.Get("signing"));
  ObjectReader signing(signing_el, "signing");
  TB_RETURN_IF_ERROR(signing.Open({"alg", "keyId", "publicKeySha256"}));
  TB_ASSIGN_OR_RETURN(m.signing.alg, signing.String("alg"));
  TB_ASSIGN_OR_RETURN(m.signing.key_id, signing.String("keyId"));
  TB_ASSIGN_OR_RETURN(m.signing.public_key_sha256, signing.Hex64("publicKeySha256"));

  TB_ASSIGN_OR_RETURN(simdjson::dom::element store_el, top.Get("store"));
  ObjectReader store(store_el, "store");
  TB_RETURN_IF_ERROR(store.Open(
      {"maxEventTime", "minEventTime", "rows", "segmentIds", "sequence", "storeId"}));
  TB_ASSIGN_OR_RETURN(m.store.max_event_time_us, store.Time("maxEventTime"));
  TB_ASSIGN_OR_RETURN(m.store.min_event_time_us, store.Time("minEventTime"));
  TB_ASSIGN_OR_RETURN(m.store.rows, store.UInt("rows"));
  TB_ASSIGN_OR_RETURN(m.store.sequence, store.UInt("sequence"));
  TB_ASSIGN_OR_RETURN(m.store.store_id, store.String("storeId"));
  TB_ASSIGN_OR_RETURN(simdjson::dom::element segment_ids, store.Get("segmentIds"));
  simdjson::dom::array segment_array;
  if (segment_ids.get_array().get(segment_array) != simdjson::SUCCESS) {
    return store.Error("segmentIds", "not an array");
  }
  for (simdjson::dom::element id : segment_array) {
    uint64_t n = 0;
    if (!id.is_uint64() || id.get_uint64().get(n) != simdjson::SUCCESS) {
      return store.Error("segmentIds", "holds a non-integer");
    }
    if (!m.store.segment_ids.empty() && n <= m.store.segment_ids.back()) {
      return store.Error("segmentIds", "not strictly ascending");
    }
    m.store.segment_ids.push_back(n);
  }

  TB_ASSIGN_OR_RETURN(simdjson::dom::element result_el, top.Get("result"));
  ObjectReader result(result_el, "result");
  TB_RETURN_IF_ERROR(result.Open({"columns", "rows", "sha256"}));
  TB_ASSIGN_OR_RETURN(m.rows, result.UInt("rows"));
  TB_ASSIGN_OR_RETURN(m.result_sha256, result.Hex64("sha256"));
  TB_ASSIGN_OR_RETURN(simdjson::dom::element columns, result.Get("columns"));
  simdjson::dom::array column_array;
  if (columns.get_array().get(column_array) != simdjson::SUCCESS) {
    return result.Error("columns", "not an array");
  }
  for (simdjson::dom::element c : column_array) {
    ObjectReader column(c, "result.columns[" + std::to_string(m.columns.size()) + "]");
    TB_RETURN_IF_ERROR(column.Open({"name", "type"}));
    ColumnInfo info;
    TB_ASSIGN_OR_RETURN(info.name, column.String("name"));
    TB_ASSIGN_OR_RETURN(info.type, column.String("type"));
    m.columns.push_back(std::move(info));
  }

  TB_ASSIGN_OR_RETURN(simdjson::dom::element files, top.Get("files"));
  simdjson::dom::array file_array;
  if (files.get_array().get(file_array) != simdjson::SUCCESS) {
    return top.Error("files", "not an array");
  }
  for (simdjson::dom::element f : file_array) {
    ObjectReader file(f, "files[" + std::to_string(m.files.size()) + "]");
    TB_RETURN_IF_ERROR(file.Open({"bytes", "compression", "format", "name", "sha256"}));
    FileEntry entry;
    TB_ASSIGN_OR_RETURN(entry.bytes, file.UInt("bytes"));
    TB_ASSIGN_OR_RETURN(entry.compression, file.String("compression"));
    TB_ASSIGN_OR_RETURN(entry.format, file.String("format"));
    TB_ASSIGN_OR_RETURN(entry.name, file.String("name"));
    TB_ASSIGN_OR_RETURN(entry.sha256, file.Hex64("sha256"));
    m.files.push_back(std::move(entry));
  }
  return m;
}

Status ValidateSnapshotId(std::string_view id) {
  // YYYYMMDDTHHMMSS.ffffffZ-xxxxxxxxxxxxxxxx
  constexpr std::string_view kReal = "ddddddddTdddddd.ddddddZ-hhhhhhhhhhhhhhhh";
  bool ok = id.size() == kReal.size();
  for (size_t i = 0; ok && i < id.size(); ++i) {
    char c = id[i];
    switch (kReal[i]) {
      case 'd': ok = c >= '0' && c <= '9'; break;
      case 'h': ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); break;
      default: ok = c == kReal[i]; break;
    }
  }
  if (!ok) {
    return InvalidArgument("malformed snapshot id \"" + auth::QuoteForDetail(id) +
                           "\" (expected e.g. 20260101T120000.000000Z-0123456789abcdef)");
  }
  return Status::OK();
}

Result<std::string> NewSnapshotId(int64_t now_us) {
  std::string iso = Iso(now_us);  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  std::string compact;
  for (char c : iso) {
    if (c != '-' && c != ':') compact.push_back(c);
  }
  std::string random;
  TB_RETURN_IF_ERROR(crypto::RandomBytes(8, &random));
  std::string id = compact + "-" +
                   crypto::ToHex(std::span<const uint8_t>(
                       reinterpret_cast<const uint8_t*>(random.data()), random.size()));
  TB_RETURN_IF_ERROR(ValidateSnapshotId(id));
  return id;
}

}  // namespace trailbook::snapshot
