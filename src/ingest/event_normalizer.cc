#include "ingest/event_normalizer.h"

#include <xxhash.h>

#ifdef __AVX2__
#include <immintrin.h>
#endif

#include <cstring>

#include "base/timestamp.h"
#include "ingest/dedup_index.h"
#include "storage/coding.h"
#include "storage/event_schema.h"

namespace trailbook::ingest {

using simdjson::ondemand::json_type;
using storage::EventSchema;
using storage::FieldKind;
using storage::RowBatch;
using storage::SchemaField;

namespace {

std::string_view TypeName(json_type t) {
  switch (t) {
    case json_type::array: return "array";
    case json_type::object: return "object";
    case json_type::number: return "number";
    case json_type::string: return "string";
    case json_type::boolean: return "boolean";
    case json_type::null: return "null";
  }
  return "unknown";
}

std::string_view ExpectedName(FieldKind k) {
  switch (k) {
    case FieldKind::kStruct:
    case FieldKind::kJsonObject: return "object";
    case FieldKind::kJsonArray: return "array";
    case FieldKind::kBool: return "boolean";
    case FieldKind::kString:
    case FieldKind::kTimestamp: return "string";
    case FieldKind::kJsonAny: return "any JSON value";
  }
  return "value";
}

Status JsonError(simdjson::error_code err, std::string_view where) {
  std::string msg = "invalid JSON";
  if (!where.empty()) {
    msg += " in '";
    msg += where;
    msg += "'";
  }
  msg += ": ";
  msg += simdjson::error_message(err);
  return InvalidArgument(std::move(msg));
}

Status BadLiteral(std::string_view where, std::string_view token) {
  return InvalidArgument("invalid JSON in '" + std::string(where) +
                         "': not true, false or null: '" + std::string(token.substr(0, 16)) + "'");
}

// Returns the raw (still escaped) text of a key given a pointer just past its opening quote.
// Sets `escaped` when the key contains a backslash escape.
std::string_view RawKey(const char* p, bool* escaped) {
  // The key is followed by its closing quote (simdjson validated the document structure).
  const char* q = p;
  *escaped = false;
  while (*q != '"') {
    if (*q == '\\') {
      *escaped = true;
      ++q;  // skip the escaped character, which may be a quote
    }
    ++q;
  }
  return std::string_view(p, static_cast<size_t>(q - p));
}

// Returns whether any byte of the word `w` is a backslash.
inline bool HasBackslashByte(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  const uint64_t x = w ^ (kOnes * '\\');
  return ((x - kOnes) & ~x & (kOnes * 0x80)) != 0;
}

// Returns whether the `n` bytes at `p` contain a backslash. Reads only those bytes.
inline bool HasBackslash(const char* p, size_t n) {
  size_t i = 0;
#ifdef __AVX2__
  // Strings such as user agents and ARNs are long enough for 32-byte steps to pay.
  if (n >= 32) {
    const __m256i backslash = _mm256_set1_epi8('\\');
    auto any = [&](const char* at) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
      return _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, backslash)) != 0;
    };
    for (; i + 32 <= n; i += 32) {
      if (any(p + i)) return true;
    }
    return i != n && any(p + n - 32);
  }
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (HasBackslashByte(w)) return true;
  }
  if (i == n) return false;
  if (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p + n - 8, 8);
    return HasBackslashByte(w);
  }
  for (; i < n; ++i) {
    if (p[i] == '\\') return true;
  }
  return false;
}

// Returns the raw text of the key of a member whose key starts at `key` (just past its
// opening quote) and whose value starts at `value`. In compact JSON the key's closing quote
// and the colon sit right before the value, which gives the key's end without scanning it;
// otherwise (whitespace around the colon, a backslash in the key) it falls back to RawKey.
inline std::string_view MemberKey(const char* key, const char* value, bool* escaped) {
  if (value[-1] == ':' && value[-2] == '"' && value - 2 >= key) {
    const size_t n = static_cast<size_t>(value - 2 - key);
    if (!HasBackslash(key, n)) {
      *escaped = false;
      return std::string_view(key, n);
    }
  }
  return RawKey(key, escaped);
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string FieldPath(int parent, std::string_view name) {
  if (parent == storage::kTopLevel) return std::string(name);
  return EventSchema::Get().field(parent).path + "." + std::string(name);
}

}  // namespace

EventNormalizer::EventNormalizer(NormalizerLimits limits) : limits_(limits) {}

Status EventNormalizer::Normalize(std::string_view json, RowBatch* batch) {
  size_t row = batch->row_count();
  Status s = NormalizeImpl(json, batch);
  if (!s.ok()) batch->TruncateRows(row);
  return s;
}

Status EventNormalizer::NormalizeImpl(std::string_view json, RowBatch* batch) {
  if (json.size() > limits_.max_record_bytes) return RecordTooLarge(json.size());
  simdjson::padded_string_view view(json.data(), json.size(),
                                    json.size() + simdjson::SIMDJSON_PADDING);
  simdjson::ondemand::document doc;
  if (auto err = parser_.iterate(view).get(doc)) return JsonError(err, "");
  simdjson::ondemand::object obj;
  if (auto err = doc.get_object().get(obj)) {
    json_type t;
    if (doc.type().get(t) == simdjson::SUCCESS && t != json_type::object) {
      return InvalidArgument(std::string("record is a JSON ") + std::string(TypeName(t)) +
                             ", not an object");
    }
    return JsonError(err, "");
  }
  TB_RETURN_IF_ERROR(WalkEvent(obj, batch));
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return InvalidArgument("invalid JSON: unexpected content after the event object");
  }
  TB_RETURN_IF_ERROR(CloseEvent(batch));
  EndEvent(json, batch);
  return Status::OK();
}

Status EventNormalizer::NormalizeParsed(simdjson::ondemand::object& object, RowBatch* batch) {
  size_t row = batch->row_count();
  Status s = WalkEvent(object, batch);
  if (s.ok()) s = CloseEvent(batch);
  if (!s.ok()) batch->TruncateRows(row);
  return s;
}

Status EventNormalizer::FinishParsed(std::string_view json, RowBatch* batch) {
  if (json.size() > limits_.max_record_bytes) {
    batch->AbandonRow();
    return RecordTooLarge(json.size());
  }
  EndEvent(json, batch);
  return Status::OK();
}

void EventNormalizer::AbandonParsed(RowBatch* batch) { batch->AbandonRow(); }

Status EventNormalizer::RecordTooLarge(size_t bytes) const {
  return InvalidArgument("record is " + std::to_string(bytes) + " bytes, over the limit of " +
                         std::to_string(limits_.max_record_bytes));
}

Status EventNormalizer::WalkEvent(simdjson::ondemand::object& obj, RowBatch* batch) {
  shape_.clear();
  residual_.clear();
  seen_[0] = seen_[1] = 0;
  has_event_time_ = false;
  has_logstash_timestamp_ = false;
  has_event_id_ = false;
  Status s = WalkStruct(obj, storage::kTopLevel, batch);
  if (s.ok()) {
    batch->ResolveDeferred();
  } else {
    batch->DiscardDeferred();
  }
  return s;
}

Status EventNormalizer::CloseEvent(RowBatch* batch) {
  const EventSchema& schema = schema_;
  if (!has_event_time_) {
    if (!has_logstash_timestamp_) {
      return InvalidArgument("record has no eventTime (and no Logstash @timestamp)");
    }
    std::optional<int64_t> t = ParseTimestamp(logstash_timestamp_);
    if (!t) {
      return InvalidArgument("record has no eventTime, and its @timestamp '" +
                             logstash_timestamp_ + "' is not an ISO-8601 timestamp");
    }
    batch->SetTimestamp(schema.event_time_column(), *t);
  }
  batch->SetString(schema.shape_column(), shape_);
  if (!residual_.empty()) batch->SetString(schema.residual_column(), residual_);
  return Status::OK();
}

void EventNormalizer::EndEvent(std::string_view json, RowBatch* batch) {
  uint64_t key = has_event_id_ ? DedupIndex::KeyOfEventId(event_id_)
                               : XXH3_64bits_withSeed(json.data(), json.size(), 1);
  batch->EndRow(key);
}

Status EventNormalizer::WalkStruct(simdjson::ondemand::object& obj, int parent, RowBatch* batch) {
  const EventSchema& schema = schema_;
  for (auto field_result : obj) {
    // The field is used in place: copying it out of the result showed as a store-forwarding
    // stall in perf annotate (~4% of ingest CPU).
    if (auto err = field_result.error()) {
      return JsonError(err, parent == storage::kTopLevel ? "" : schema.field(parent).path);
    }
    simdjson::ondemand::field& field = field_result.value_unsafe();
    bool escaped;
    std::string_view raw_key =
        MemberKey(field.key().raw(), field.value().raw_json_token().data(), &escaped);
    std::string_view name = raw_key;
    if (escaped) {
      std::string_view unescaped;
      if (auto err = field.unescaped_key().get(unescaped)) return JsonError(err, raw_key);
      scratch_.assign(unescaped);
      name = scratch_;
    }
    const SchemaField* f = schema.FindChild(parent, name);
    if (f == nullptr) {
      TB_RETURN_IF_ERROR(ResidualMember(raw_key, field.value(), parent));
      continue;
    }
    uint64_t bit = uint64_t{1} << (f->token & 63);
    uint64_t& word = seen_[f->token >> 6];
    if ((word & bit) != 0) {
      return InvalidArgument("duplicate member '" + f->path + "'");
    }
    word |= bit;
    TB_RETURN_IF_ERROR(KnownField(*f, field.value(), batch));
  }
  return Status::OK();
}

Status EventNormalizer::GetString(simdjson::ondemand::value& value, std::string_view what,
                                  std::string_view* out) {
  // Most CloudTrail strings have no escapes: then the value is the text between the quotes
  // (stage 1 has checked UTF-8 and rejected raw control characters), and copying it through
  // simdjson's unescape buffer is wasted work.
  std::string_view raw = TrimRight(value.raw_json_token());
  if (raw.size() >= 2 && raw.back() == '"' && !HasBackslash(raw.data() + 1, raw.size() - 2)) {
    simdjson::ondemand::raw_json_string ignored;  // consumes the value
    if (auto err = value.get_raw_json_string().get(ignored)) return JsonError(err, what);
    *out = raw.substr(1, raw.size() - 2);
    return Status::OK();
  }
  if (auto err = value.get_string().get(*out)) return JsonError(err, what);
  return Status::OK();
}

Status EventNormalizer::KnownField(const SchemaField& f, simdjson::ondemand::value& value,
                                   RowBatch* batch) {
  json_type type;
  if (auto err = value.type().get(type)) return JsonError(err, f.path);
  if (type == json_type::null) {
    if (auto err = value.is_null().error()) return JsonError(err, f.path);
    shape_.push_back(static_cast<char>(f.token | storage::kShapeNullFlag));
    return Status::OK();
  }
  auto mismatch = [&]() {
    return InvalidArgument("field '" + f.path + "': expected " +
                           std::string(ExpectedName(f.kind)) + ", got " +
                           std::string(TypeName(type)));
  };
  const EventSchema& schema = schema_;
  switch (f.kind) {
    case FieldKind::kString: {
      if (type != json_type::string) return mismatch();
      std::string_view s;
      TB_RETURN_IF_ERROR(GetString(value, f.path, &s));
      if (s.size() > limits_.max_field_bytes) {
        return InvalidArgument("field '" + f.path + "' is " + std::to_string(s.size()) +
                               " bytes, over the limit of " +
                               std::to_string(limits_.max_field_bytes));
      }
      // `s` points into the record or the parser's string buffer, both valid until the
      // walk ends, where WalkEvent resolves the deferred lookups.
      batch->SetStringDeferred(f.column, s);
      if (f.column == schema.event_id_column()) {
        event_id_.assign(s);
        has_event_id_ = true;
      }
      break;
    }
    case FieldKind::kBool: {
      if (type != json_type::boolean) return mismatch();
      bool b;
      if (auto err = value.get_bool().get(b)) return JsonError(err, f.path);
      batch->SetBool(f.column, b);
      break;
    }
    case FieldKind::kTimestamp: {
      if (type != json_type::string) return mismatch();
      std::string_view s;
      TB_RETURN_IF_ERROR(GetString(value, f.path, &s));
      std::optional<int64_t> t = ParseTimestamp(s);
      if (!t) {
        std::string shown(s.substr(0, 64));
        return InvalidArgument("field '" + f.path + "': '" + shown +
                               "' is not an ISO-8601 timestamp");
      }
      batch->SetTimestamp(f.column, *t);
      if (!IsCanonicalTimestampText(s, *t)) batch->SetString(schema.event_time_text_column(), s);
      has_event_time_ = true;
      break;
    }
    case FieldKind::kStruct: {
      if (type != json_type::object) return mismatch();
      simdjson::ondemand::object child;
      if (auto err = value.get_object().get(child)) return JsonError(err, f.path);
      shape_.push_back(static_cast<char>(f.token));
      TB_RETURN_IF_ERROR(WalkStruct(child, schema.FieldIndex(f), batch));
      shape_.push_back(static_cast<char>(storage::kShapeEnd));
      return Status::OK();
    }
    case FieldKind::kJsonObject:
    case FieldKind::kJsonArray:
    case FieldKind::kJsonAny: {
      if ((type == json_type::object && f.kind == FieldKind::kJsonArray) ||
          (type == json_type::array && f.kind == FieldKind::kJsonObject) ||
          (type != json_type::object && type != json_type::array &&
           f.kind != FieldKind::kJsonAny)) {
        return mismatch();
      }
      scratch_.clear();
      TB_RETURN_IF_ERROR(AppendMinified(value, f.path, 0, &scratch_));
      if (scratch_.size() > limits_.max_field_bytes) {
        return InvalidArgument("field '" + f.path + "' is " + std::to_string(scratch_.size()) +
                               " bytes, over the limit of " +
                               std::to_string(limits_.max_field_bytes));
      }
      batch->SetString(f.column, scratch_);
      break;
    }
  }
  shape_.push_back(static_cast<char>(f.token));
  return Status::OK();
}

Status EventNormalizer::ResidualMember(std::string_view raw_key, simdjson::ondemand::value& value,
                                       int parent) {
  json_type type;
  if (auto err = value.type().get(type)) return JsonError(err, FieldPath(parent, raw_key));
  if (parent == storage::kTopLevel && raw_key == "@timestamp" && type == json_type::string) {
    std::string_view s;
    if (auto err = value.get_string().get(s)) return JsonError(err, raw_key);
    logstash_timestamp_.assign(s);
    has_logstash_timestamp_ = true;
    // get_string consumed the value; its raw token is still in the record.
    member_.clear();
    member_.push_back('"');
    member_.append(raw_key);
    member_.append("\":");
    member_.append(TrimRight(value.raw_json_token()));
  } else {
    member_.clear();
    member_.push_back('"');
    member_.append(raw_key);
    member_.append("\":");
    const size_t start = member_.size();
    std::string nested_path;  // only members of structs need their parent's path
    if (parent != storage::kTopLevel) nested_path = FieldPath(parent, raw_key);
    TB_RETURN_IF_ERROR(AppendMinified(
        value, parent == storage::kTopLevel ? raw_key : std::string_view(nested_path), 0,
        &member_));
    if (member_.size() - start > limits_.max_field_bytes) {
      return InvalidArgument("field '" + FieldPath(parent, raw_key) + "' is " +
                             std::to_string(member_.size() - start) +
                             " bytes, over the limit of " +
                             std::to_string(limits_.max_field_bytes));
    }
  }
  storage::PutLengthPrefixed(&residual_, member_);
  shape_.push_back(static_cast<char>(storage::kShapeResidual));
  return Status::OK();
}

Status EventNormalizer::AppendMinified(simdjson::ondemand::value& value, std::string_view what,
                                       int depth, std::string* out) {
  if (depth >= kMaxJsonDepth) {
    return InvalidArgument("invalid JSON in '" + std::string(what) + "': nested deeper than " +
                           std::to_string(kMaxJsonDepth) + " levels");
  }
  json_type type;
  if (auto err = value.type().get(type)) return JsonError(err, what);
  switch (type) {
    case json_type::object: {
      simdjson::ondemand::object obj;
      if (auto err = value.get_object().get(obj)) return JsonError(err, what);
      out->push_back('{');
      bool first = true;
      for (auto field_result : obj) {
        if (auto err = field_result.error()) return JsonError(err, what);
        simdjson::ondemand::field& field = field_result.value_unsafe();
        if (!first) out->push_back(',');
        first = false;
        bool escaped;
        std::string_view raw_key =
            MemberKey(field.key().raw(), field.value().raw_json_token().data(), &escaped);
        if (escaped) {
          std::string_view unescaped;  // checks the escapes
          if (auto err = field.unescaped_key().get(unescaped)) return JsonError(err, what);
        }
        out->push_back('"');
        out->append(raw_key);
        out->append("\":");
        TB_RETURN_IF_ERROR(AppendMinified(field.value(), what, depth + 1, out));
      }
      out->push_back('}');
      return Status::OK();
    }
    case json_type::array: {
      simdjson::ondemand::array arr;
      if (auto err = value.get_array().get(arr)) return JsonError(err, what);
      out->push_back('[');
      bool first = true;
      for (auto element_result : arr) {
        if (auto err = element_result.error()) return JsonError(err, what);
        simdjson::ondemand::value& element = element_result.value_unsafe();
        if (!first) out->push_back(',');
        first = false;
        TB_RETURN_IF_ERROR(AppendMinified(element, what, depth + 1, out));
      }
      out->push_back(']');
      return Status::OK();
    }
    case json_type::string: {
      std::string_view raw = TrimRight(value.raw_json_token());
      if (HasBackslash(raw.data(), raw.size())) {
        std::string_view unescaped;  // checks the escapes
        if (auto err = value.get_string().get(unescaped)) return JsonError(err, what);
      } else {
        simdjson::ondemand::raw_json_string ignored;
        if (auto err = value.get_raw_json_string().get(ignored)) return JsonError(err, what);
      }
      out->append(raw);
      return Status::OK();
    }
    case json_type::number: {
      std::string_view raw = TrimRight(value.raw_json_token());
      simdjson::ondemand::number ignored;
      if (auto err = value.get_number().get(ignored)) return JsonError(err, what);
      out->append(raw);
      return Status::OK();
    }
    case json_type::boolean: {
      std::string_view raw = TrimRight(value.raw_json_token());
      bool ignored;
      if (value.get_bool().get(ignored) != simdjson::SUCCESS) return BadLiteral(what, raw);
      out->append(raw);
      return Status::OK();
    }
    case json_type::null: {
      std::string_view raw = TrimRight(value.raw_json_token());
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
        return BadLiteral(what, raw);
      }
      out->append(raw);
      return Status::OK();
    }
  }
  return JsonError(simdjson::INCORRECT_TYPE, what);
}

}  // namespace trailbook::ingest
