#include "ingest/event_normalizer.h"

#include <xxhash.h>

#ifdef __AVX2__
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <span>

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

[[gnu::cold, gnu::noinline]] Status SyntaxError(std::string_view where, std::string_view what);

[[gnu::cold, gnu::noinline]] Status JsonError(simdjson::error_code err, std::string_view where) {
  return SyntaxError(where, simdjson::error_message(err));
}

[[gnu::cold, gnu::noinline]] Status BadLiteral(std::string_view where, std::string_view token) {
  return InvalidArgument("invalid JSON in '" + std::string(where) +
                         "': not true, false or null: '" + std::string(token.substr(0, 16)) + "'");
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

inline bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Returns whether `c` may follow a scalar token: JSON whitespace or a structural character
// (simdjson's rule for where numbers and literals end).
inline bool EndsScalar(char c) {
  return IsSpace(c) || c == ',' || c == '}' || c == ']' || c == ':' || c == '{' || c == '[';
}

inline const char* SkipSpace(const char* p, const char* end) {
  while (p < end && IsSpace(*p)) ++p;
  return p;
}

// Returns the closing quote of the string whose body starts at `p`, or nullptr when it does
// not close before `end`; sets `escaped` when the body has a backslash escape. Reads up to 31
// bytes past `end` (REQUIRES: SIMDJSON_PADDING readable bytes follow the record).
inline const char* FindStringEnd(const char* p, const char* end, bool* escaped) {
  *escaped = false;
#ifdef __AVX2__
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  while (p < end) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const uint32_t quotes = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, quote)));
    const uint32_t slashes =
        static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, backslash)));
    if ((quotes | slashes) == 0) {
      p += 32;
      continue;
    }
    // Only the lower of the two matters: a quote before any backslash ends the string; a
    // backslash first escapes the next byte, and the scan resumes after that byte.
    const uint32_t quote_at = quotes != 0 ? static_cast<uint32_t>(__builtin_ctz(quotes)) : 32u;
    const uint32_t slash_at = slashes != 0 ? static_cast<uint32_t>(__builtin_ctz(slashes)) : 32u;
    if (quote_at < slash_at) {
      const char* close = p + quote_at;
      return close < end ? close : nullptr;
    }
    *escaped = true;
    p += slash_at + 2;
  }
  return nullptr;
#else
  while (p < end) {
    if (*p == '"') return p;
    if (*p == '\\') {
      *escaped = true;
      ++p;
    }
    ++p;
  }
  return nullptr;
#endif
}

// Returns the scalar token at `p` (up to the next whitespace or structural character, at
// most 16 bytes) for messages.
std::string_view TokenAt(const char* p, const char* end) {
  const char* q = p;
  while (q < end && q - p < 16 && !EndsScalar(*q)) ++q;
  return std::string_view(p, static_cast<size_t>(q - p));
}

[[gnu::cold, gnu::noinline]] Status SyntaxError(std::string_view where, std::string_view what) {
  std::string msg = "invalid JSON";
  if (!where.empty()) {
    msg += " in '";
    msg += where;
    msg += "'";
  }
  msg += ": ";
  msg += what;
  return InvalidArgument(std::move(msg));
}

// Reads the literal `word` (true, false or null) at `p` and advances past it.
inline Status Literal(const char*& p, const char* end, std::string_view word,
                      std::string_view what) {
  const size_t n = word.size();
  if (static_cast<size_t>(end - p) < n || std::memcmp(p, word.data(), n) != 0 ||
      (p + n < end && !EndsScalar(p[n]))) {
    return BadLiteral(what, TokenAt(p, end));
  }
  p += n;
  return Status::OK();
}

// Returns the JSON type a value starting with `c` has, or false when no value starts so.
inline bool TypeOfFirstByte(char c, json_type* type) {
  switch (c) {
    case '{': *type = json_type::object; return true;
    case '[': *type = json_type::array; return true;
    case '"': *type = json_type::string; return true;
    case 't':
    case 'f': *type = json_type::boolean; return true;
    case 'n': *type = json_type::null; return true;
    default:
      if (c == '-' || IsDigit(c)) {
        *type = json_type::number;
        return true;
      }
      return false;
  }
}

[[gnu::cold, gnu::noinline]] Status UnexpectedByte(std::string_view where, const char* p,
                                                   const char* end) {
  return SyntaxError(where, "unexpected '" + std::string(TokenAt(p, end)) + "'");
}

[[gnu::cold, gnu::noinline]] Status BadNumber(std::string_view where, const char* start,
                                              const char* end) {
  return SyntaxError(where, "bad number '" + std::string(TokenAt(start, end)) + "'");
}

[[gnu::cold, gnu::noinline]] Status TypeMismatch(std::string_view path, FieldKind kind,
                                                 json_type type) {
  return InvalidArgument("field '" + std::string(path) + "': expected " +
                         std::string(ExpectedName(kind)) + ", got " + std::string(TypeName(type)));
}

[[gnu::cold, gnu::noinline]] Status BadTimestamp(std::string_view path, std::string_view text) {
  return InvalidArgument("field '" + std::string(path) + "': '" + std::string(text.substr(0, 64)) +
                         "' is not an ISO-8601 timestamp");
}

// Appends `text`, a valid JSON value, to `out` without the whitespace between its tokens.
void AppendWithoutSpace(std::string_view text, std::string* out) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      bool escaped;
      const char* close = FindStringEnd(p + 1, end, &escaped);  // valid: the value was scanned
      out->append(p, static_cast<size_t>(close + 1 - p));
      p = close + 1;
    } else {
      if (!IsSpace(c)) out->push_back(c);
      ++p;
    }
  }
}

std::string FieldPath(int parent, std::string_view name) {
  if (parent == storage::kTopLevel) return std::string(name);
  return EventSchema::Get().field(parent).path + "." + std::string(name);
}

[[gnu::cold, gnu::noinline]] Status FieldTooLarge(std::string_view path, size_t bytes,
                                                    size_t limit) {
  return InvalidArgument("field '" + std::string(path) + "' is " + std::to_string(bytes) +
                         " bytes, over the limit of " + std::to_string(limit));
}

// Sets the first and last eight bytes of a member name as MemberInfo holds them. Reads eight
// bytes at `s` even when the name is shorter (REQUIRES: they are readable).
inline void NameWords(const char* s, size_t n, uint64_t* head, uint64_t* tail) {
  if (n >= 8) {
    std::memcpy(head, s, 8);
    std::memcpy(tail, s + n - 8, 8);
  } else {
    uint64_t w;
    std::memcpy(&w, s, 8);
    *head = n == 0 ? 0 : w & (~uint64_t{0} >> (64 - 8 * n));
    *tail = 0;
  }
}

}  // namespace

EventNormalizer::EventNormalizer(NormalizerLimits limits) : limits_(limits) {
  const std::span<const SchemaField> fields = schema_.fields();
  members_.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const SchemaField& f = fields[i];
    MemberInfo& m = members_[i];
    char padded[16] = {};
    std::memcpy(padded, f.name.data(), std::min(f.name.size(), sizeof(padded)));
    NameWords(f.name.size() >= 8 ? f.name.data() : padded, f.name.size(), &m.head, &m.tail);
    m.name = f.name.data();
    m.length = static_cast<uint8_t>(std::min<size_t>(f.name.size(), 255));
    m.token = f.token;
    m.kind = f.kind;
    m.column = static_cast<int16_t>(f.column);
  }
  next_member_.assign(2 * fields.size() + 1, -1);
}

inline int EventNormalizer::FindMember(int parent, const char* name, size_t length,
                                       uint64_t head, uint64_t tail, int context) {
  const int16_t predicted = next_member_[static_cast<size_t>(context)];
  if (predicted >= 0) {
    const MemberInfo& m = members_[static_cast<size_t>(predicted)];
    if (m.head == head && m.tail == tail && m.length == length &&
        (length <= 16 || storage::BytesEqual(name + 8, m.name + 8, length - 16))) {
      return predicted;
    }
  }
  return FindMemberSlow(parent, name, length, context);
}

inline bool EventNormalizer::PredictedMember(const char*& p, const char* end, int context,
                                             int* field) {
  const int16_t predicted = next_member_[static_cast<size_t>(context)];
  if (predicted < 0) return false;
  const MemberInfo& m = members_[static_cast<size_t>(predicted)];
  const size_t n = m.length;
  // The quotes, the name and the colon must lie inside the record: a record cut short by
  // `end` is read by the general path, which reports it.
  if (static_cast<size_t>(end - p) < n + 3) return false;
  const char* name = p + 1;
  uint64_t head, tail;
  NameWords(name, n, &head, &tail);
  if (head != m.head || tail != m.tail || name[n] != '"' || name[n + 1] != ':' ||
      (n > 16 && !storage::BytesEqual(name + 8, m.name + 8, n - 16))) {
    return false;
  }
  p = name + n + 2;
  *field = predicted;
  return true;
}

int EventNormalizer::FindMemberSlow(int parent, const char* name, size_t length, int context) {
  const SchemaField* f = schema_.FindChild(parent, std::string_view(name, length));
  if (f == nullptr) return -1;
  const int index = schema_.FieldIndex(*f);
  next_member_[static_cast<size_t>(context)] = static_cast<int16_t>(index);
  return index;
}

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
  // Stage 1 has checked UTF-8 and the strings; the walk reads the object from the text and
  // validates everything else, so the ondemand iterator is not used beyond this check.
  const char* first = SkipSpace(json.data(), json.data() + json.size());
  if (first == json.data() + json.size() || *first != '{') {
    json_type t;
    if (auto err = doc.type().get(t)) return JsonError(err, "");
    return InvalidArgument(std::string("record is a JSON ") + std::string(TypeName(t)) +
                           ", not an object");
  }
  TB_RETURN_IF_ERROR(WalkEvent(json, batch));
  TB_RETURN_IF_ERROR(CloseEvent(batch));
  EndEvent(json, batch);
  return Status::OK();
}

Status EventNormalizer::NormalizeParsed(simdjson::ondemand::object& object, RowBatch* batch) {
  size_t row = batch->row_count();
  std::string_view span;
  if (auto err = object.raw_json().get(span)) return JsonError(err, "");
  Status s = WalkEvent(span, batch);
  if (s.ok()) s = CloseEvent(batch);
  if (!s.ok()) batch->TruncateRows(row);
  return s;
}

Status EventNormalizer::NormalizeInText(const char** p, const char* end, RowBatch* batch) {
  size_t row = batch->row_count();
  const char* q = *p;
  Status s = WalkObject(q, end, batch);
  if (s.ok()) {
    batch->ResolveDeferred();
    s = CloseEvent(batch);
  } else {
    batch->DiscardDeferred();
  }
  if (!s.ok()) {
    batch->TruncateRows(row);
    return s;
  }
  *p = q;
  return Status::OK();
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

Status EventNormalizer::WalkObject(const char*& p, const char* end, RowBatch* batch) {
  shape_.clear();
  residual_.clear();
  seen_[0] = seen_[1] = 0;
  has_event_time_ = false;
  has_logstash_timestamp_ = false;
  has_event_id_ = false;
  const size_t need = static_cast<size_t>(end - p) + simdjson::SIMDJSON_PADDING;
  if (unescaped_capacity_ < need) {
    unescaped_capacity_ = std::max(need, 2 * unescaped_capacity_);
    unescaped_ = std::make_unique_for_overwrite<uint8_t[]>(unescaped_capacity_);
  }
  unescaped_used_ = 0;
  p = SkipSpace(p, end);
  if (p == end || *p != '{') return SyntaxError("", "expected an object");
  return WalkStruct(p, end, storage::kTopLevel, batch);
}

Status EventNormalizer::WalkEvent(std::string_view span, RowBatch* batch) {
  const char* p = span.data();
  const char* end = p + span.size();
  Status s = WalkObject(p, end, batch);
  if (s.ok() && SkipSpace(p, end) != end) {
    s = InvalidArgument("invalid JSON: unexpected content after the event object");
  }
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

Status EventNormalizer::Unescape(const char* body, std::string_view what, bool keep,
                                 std::string_view* out) {
  // The ondemand parser's unescaping needs its buffers, which exist once it has parsed a
  // document; a normaliser fed only by NormalizeParsed has not.
  if (parser_.capacity() == 0) {
    if (auto err = parser_.allocate(simdjson::SIMDJSON_PADDING)) return JsonError(err, what);
  }
  uint8_t* dst = unescaped_.get() + unescaped_used_;
  uint8_t* const start = dst;
  if (auto err = parser_.unescape(simdjson::ondemand::raw_json_string(
                                      reinterpret_cast<const uint8_t*>(body)),
                                  dst)
                     .get(*out)) {
    return JsonError(err, what);
  }
  if (keep) unescaped_used_ += static_cast<size_t>(dst - start);
  return Status::OK();
}

inline Status EventNormalizer::StringValue(const char*& p, const char* end, std::string_view what,
                                    std::string_view* out) {
  const char* body = p + 1;
  bool escaped;
  const char* close = FindStringEnd(body, end, &escaped);
  if (close == nullptr) return SyntaxError(what, "unterminated string");
  p = close + 1;
  // Most CloudTrail strings have no escapes: then the value is the text between the quotes
  // (stage 1 has checked UTF-8 and rejected raw control characters).
  if (!escaped) {
    *out = std::string_view(body, static_cast<size_t>(close - body));
    return Status::OK();
  }
  return Unescape(body, what, /*keep=*/true, out);
}

Status EventNormalizer::WalkStruct(const char*& p, const char* end, int parent, RowBatch* batch) {
  const EventSchema& schema = schema_;
  auto where = [&]() -> std::string_view {
    return parent == storage::kTopLevel ? std::string_view() : schema.field(parent).path;
  };
  p = SkipSpace(p + 1, end);
  if (p < end && *p == '}') {
    ++p;
    return Status::OK();
  }
  int context = static_cast<int>(members_.size()) + 1 + parent;
  while (true) {
    if (p == end || *p != '"') return SyntaxError(where(), "expected a member name");
    int field;
    std::string_view raw_key;  // set on the general path only (unknown members need it)
    if (!PredictedMember(p, end, context, &field)) {
      const char* key = p + 1;
      bool escaped;
      const char* close = FindStringEnd(key, end, &escaped);
      if (close == nullptr) return SyntaxError(where(), "unterminated member name");
      raw_key = std::string_view(key, static_cast<size_t>(close - key));
      std::string_view name = raw_key;
      if (escaped) TB_RETURN_IF_ERROR(Unescape(key, raw_key, /*keep=*/false, &name));
      uint64_t head, tail;
      NameWords(name.data(), name.size(), &head, &tail);
      p = SkipSpace(close + 1, end);
      if (p == end || *p != ':') return SyntaxError(where(), "expected ':' after a member name");
      p = SkipSpace(p + 1, end);
      if (p == end) return SyntaxError(where(), "missing a member value");
      field = FindMember(parent, name.data(), name.size(), head, tail, context);
    } else {
      p = SkipSpace(p, end);
      if (p == end) return SyntaxError(where(), "missing a member value");
    }
    if (field < 0) {
      TB_RETURN_IF_ERROR(ResidualMember(raw_key, p, end, parent));
    } else {
      context = field;
      const MemberInfo& info = members_[static_cast<size_t>(field)];
      uint64_t bit = uint64_t{1} << (info.token & 63);
      uint64_t& word = seen_[info.token >> 6];
      if ((word & bit) != 0) {
        return InvalidArgument("duplicate member '" + schema.field(field).path + "'");
      }
      word |= bit;
      TB_RETURN_IF_ERROR(KnownField(field, info, p, end, batch));
    }
    // Compact text: a comma and the next member's opening quote, with nothing to skip.
    if (end - p > 1 && p[0] == ',' && p[1] == '"') {
      ++p;
      continue;
    }
    p = SkipSpace(p, end);
    if (p < end && *p == ',') {
      p = SkipSpace(p + 1, end);
      continue;
    }
    if (p < end && *p == '}') {
      ++p;
      return Status::OK();
    }
    return SyntaxError(where(), "expected ',' or '}' after a member");
  }
}

inline Status EventNormalizer::KnownField(int field, const MemberInfo& f, const char*& p,
                                   const char* end, RowBatch* batch) {
  const EventSchema& schema = schema_;
  // The path is only needed for messages and free-form values.
  auto path = [&]() -> const std::string& { return schema.field(field).path; };
  json_type type;
  if (!TypeOfFirstByte(*p, &type)) return UnexpectedByte(path(), p, end);
  if (type == json_type::null) {
    TB_RETURN_IF_ERROR(Literal(p, end, "null", path()));
    shape_.push_back(static_cast<char>(f.token | storage::kShapeNullFlag));
    return Status::OK();
  }
  auto mismatch = [&]() { return TypeMismatch(path(), f.kind, type); };
  switch (f.kind) {
    case FieldKind::kString: {
      if (type != json_type::string) return mismatch();
      std::string_view s;
      TB_RETURN_IF_ERROR(StringValue(p, end, path(), &s));
      if (s.size() > limits_.max_field_bytes) {
        return FieldTooLarge(path(), s.size(), limits_.max_field_bytes);
      }
      // `s` points into the record or unescaped_, both valid until the walk ends, where
      // WalkEvent resolves the deferred lookups.
      batch->SetStringDeferred(f.column, s);
      if (f.column == schema.event_id_column()) {
        event_id_.assign(s);
        has_event_id_ = true;
      }
      break;
    }
    case FieldKind::kBool: {
      if (type != json_type::boolean) return mismatch();
      const bool b = *p == 't';
      TB_RETURN_IF_ERROR(Literal(p, end, b ? "true" : "false", path()));
      batch->SetBool(f.column, b);
      break;
    }
    case FieldKind::kTimestamp: {
      if (type != json_type::string) return mismatch();
      std::string_view s;
      TB_RETURN_IF_ERROR(StringValue(p, end, path(), &s));
      std::optional<int64_t> t = ParseTimestamp(s);
      if (!t) return BadTimestamp(path(), s);
      batch->SetTimestamp(f.column, *t);
      if (!IsCanonicalTimestampText(s, *t)) batch->SetString(schema.event_time_text_column(), s);
      has_event_time_ = true;
      break;
    }
    case FieldKind::kStruct: {
      if (type != json_type::object) return mismatch();
      shape_.push_back(static_cast<char>(f.token));
      TB_RETURN_IF_ERROR(WalkStruct(p, end, field, batch));
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
      const char* start = p;
      bool spaced = false;
      TB_RETURN_IF_ERROR(ScanValue(p, end, path(), &spaced));
      std::string_view text(start, static_cast<size_t>(p - start));
      if (spaced) {
        scratch_.clear();
        AppendWithoutSpace(text, &scratch_);
        text = scratch_;
      }
      if (text.size() > limits_.max_field_bytes) {
        return FieldTooLarge(path(), text.size(), limits_.max_field_bytes);
      }
      batch->SetString(f.column, text);
      break;
    }
  }
  shape_.push_back(static_cast<char>(f.token));
  return Status::OK();
}

Status EventNormalizer::ResidualMember(std::string_view raw_key, const char*& p, const char* end,
                                       int parent) {
  member_.clear();
  member_.push_back('"');
  member_.append(raw_key);
  member_.append("\":");
  if (parent == storage::kTopLevel && raw_key == "@timestamp" && *p == '"') {
    const char* start = p;
    std::string_view s;
    TB_RETURN_IF_ERROR(StringValue(p, end, raw_key, &s));
    logstash_timestamp_.assign(s);
    has_logstash_timestamp_ = true;
    member_.append(start, static_cast<size_t>(p - start));
  } else {
    std::string nested_path;  // only members of structs need their parent's path
    if (parent != storage::kTopLevel) nested_path = FieldPath(parent, raw_key);
    const std::string_view what =
        parent == storage::kTopLevel ? raw_key : std::string_view(nested_path);
    const char* start = p;
    bool spaced = false;
    TB_RETURN_IF_ERROR(ScanValue(p, end, what, &spaced));
    const std::string_view text(start, static_cast<size_t>(p - start));
    const size_t before = member_.size();
    if (spaced) {
      AppendWithoutSpace(text, &member_);
    } else {
      member_.append(text);
    }
    if (member_.size() - before > limits_.max_field_bytes) {
      return FieldTooLarge(FieldPath(parent, raw_key), member_.size() - before,
                           limits_.max_field_bytes);
    }
  }
  storage::PutLengthPrefixed(&residual_, member_);
  shape_.push_back(static_cast<char>(storage::kShapeResidual));
  return Status::OK();
}

Status EventNormalizer::CheckNumber(std::string_view token, std::string_view what) {
  // A root-level number needs a delimiter after it and padding after that.
  number_text_.assign(token);
  number_text_.push_back(' ');
  const size_t length = number_text_.size();
  number_text_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::ondemand::document doc;
  simdjson::ondemand::number ignored;
  if (number_parser_.iterate(number_text_.data(), length, number_text_.size()).get(doc) !=
          simdjson::SUCCESS ||
      doc.get_number().get(ignored) != simdjson::SUCCESS) {
    return SyntaxError(what, "bad number '" + std::string(token.substr(0, 32)) + "'");
  }
  return Status::OK();
}

Status EventNormalizer::ScanValue(const char*& p, const char* end, std::string_view what,
                                  bool* spaced) {
  // Iterative, with one bit per open container (1 = object), so nesting costs no stack.
  uint64_t kinds[(kMaxJsonDepth + 63) / 64] = {};
  int depth = 0;  // open containers inside this value
  auto skip = [&](const char* q) {
    const char* r = SkipSpace(q, end);
    if (r != q) *spaced = true;
    return r;
  };
  auto in_object = [&]() {
    const int i = depth - 1;
    return ((kinds[i >> 6] >> (i & 63)) & 1) != 0;
  };
  auto push = [&](bool object) {
    const int i = depth++;
    const uint64_t bit = uint64_t{1} << (i & 63);
    if (object) {
      kinds[i >> 6] |= bit;
    } else {
      kinds[i >> 6] &= ~bit;
    }
  };
  auto scan_string = [&]() -> Status {
    bool escaped;
    const char* close = FindStringEnd(p + 1, end, &escaped);
    if (close == nullptr) return SyntaxError(what, "unterminated string");
    if (escaped) {
      std::string_view ignored;
      TB_RETURN_IF_ERROR(Unescape(p + 1, what, /*keep=*/false, &ignored));
    }
    p = close + 1;
    return Status::OK();
  };
  while (true) {
    // A value starts at p.
    if (depth >= kMaxJsonDepth) {
      return InvalidArgument("invalid JSON in '" + std::string(what) + "': nested deeper than " +
                             std::to_string(kMaxJsonDepth) + " levels");
    }
    if (p == end) return SyntaxError(what, "missing a value");
    bool value_done = true;
    switch (*p) {
      case '{':
        push(true);
        p = skip(p + 1);
        if (p < end && *p == '}') {
          --depth;
          ++p;
        } else {
          // A member name, then its value.
          if (p == end || *p != '"') return SyntaxError(what, "expected a member name");
          TB_RETURN_IF_ERROR(scan_string());
          p = skip(p);
          if (p == end || *p != ':') return SyntaxError(what, "expected ':' after a member name");
          p = skip(p + 1);
          value_done = false;
        }
        break;
      case '[':
        push(false);
        p = skip(p + 1);
        if (p < end && *p == ']') {
          --depth;
          ++p;
        } else {
          value_done = false;
        }
        break;
      case '"':
        TB_RETURN_IF_ERROR(scan_string());
        break;
      case 't':
        TB_RETURN_IF_ERROR(Literal(p, end, "true", what));
        break;
      case 'f':
        TB_RETURN_IF_ERROR(Literal(p, end, "false", what));
        break;
      case 'n':
        TB_RETURN_IF_ERROR(Literal(p, end, "null", what));
        break;
      default: {
        const char* start = p;
        bool simple = true;
        if (*p == '-') ++p;
        if (p < end && *p == '0') {
          ++p;
        } else if (p < end && IsDigit(*p)) {
          while (p < end && IsDigit(*p)) ++p;
        } else {
          if (start == p) return UnexpectedByte(what, p, end);
          return BadNumber(what, start, end);
        }
        if (p < end && *p == '.') {
          ++p;
          if (p == end || !IsDigit(*p)) {
            return BadNumber(what, start, end);
          }
          while (p < end && IsDigit(*p)) ++p;
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
          simple = false;
          ++p;
          if (p < end && (*p == '+' || *p == '-')) ++p;
          if (p == end || !IsDigit(*p)) {
            return BadNumber(what, start, end);
          }
          while (p < end && IsDigit(*p)) ++p;
        }
        if (p < end && !EndsScalar(*p)) {
          return BadNumber(what, start, end);
        }
        // Up to 18 characters without an exponent is at most 17 significant digits: always a
        // finite double, which simdjson accepts. Anything else is settled by simdjson.
        if (!simple || p - start > 18) {
          TB_RETURN_IF_ERROR(CheckNumber(std::string_view(start, static_cast<size_t>(p - start)), what));
        }
        break;
      }
    }
    if (!value_done) continue;
    // After a value: close containers, or move to the next element or member.
    while (true) {
      if (depth == 0) return Status::OK();
      p = skip(p);
      if (p == end) return SyntaxError(what, "unterminated object or array");
      const bool object = in_object();
      if (*p == ',') {
        p = skip(p + 1);
        if (object) {
          if (p == end || *p != '"') return SyntaxError(what, "expected a member name");
          TB_RETURN_IF_ERROR(scan_string());
          p = skip(p);
          if (p == end || *p != ':') return SyntaxError(what, "expected ':' after a member name");
          p = skip(p + 1);
        }
        break;  // the next value
      }
      if (*p == (object ? '}' : ']')) {
        --depth;
        ++p;
        continue;
      }
      return SyntaxError(what, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
}

}  // namespace trailbook::ingest
