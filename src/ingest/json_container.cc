#include "ingest/json_container.h"

#ifdef __AVX2__
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "ingest/json_text.h"

namespace trailbook::ingest {

namespace ondemand = simdjson::ondemand;

namespace {

// Returns whether `text` is valid UTF-8 without a control byte (< 0x20) between its first
// and last non-whitespace byte. Of the errors simdjson's stage 1 reports, such a document
// can then have only an unclosed string (and a root that does not close, which
// ReadRecordsText checks first): the text walk finds both itself and falls back to the
// two-pass read, which runs stage 1. One pass over the bytes; simdjson's UTF-8 validator
// runs only when a byte is not ASCII.
bool IsPlainUtf8Document(std::string_view text) {
  const std::string_view inner = TrimJsonSpace(text);
  const char* p = inner.data();
  const char* const end = p + inner.size();
  bool ascii = true;
#ifdef __AVX2__
  const __m256i max_control = _mm256_set1_epi8(0x1f);
  __m256i high = _mm256_setzero_si256();
  for (; end - p >= 64; p += 64) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    // A byte is a control byte when it equals its minimum with 0x1f (unsigned).
    const __m256i control = _mm256_or_si256(
        _mm256_cmpeq_epi8(_mm256_min_epu8(a, max_control), a),
        _mm256_cmpeq_epi8(_mm256_min_epu8(b, max_control), b));
    if (_mm256_movemask_epi8(control) != 0) return false;
    high = _mm256_or_si256(high, _mm256_or_si256(a, b));
  }
  ascii = _mm256_movemask_epi8(high) == 0;
#endif
  for (; p < end; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20) return false;
    if (c >= 0x80) ascii = false;
  }
  return ascii || simdjson::validate_utf8(text.data(), text.size());
}

bool KeyIs(ondemand::raw_json_string key, std::string_view name) {
  return key.raw()[0] == name[0] && key.unsafe_is_equal(name);
}

// Top-level members that mark an object as a CloudTrail event.
bool IsEventKey(ondemand::raw_json_string key) {
  switch (key.raw()[0]) {
    case 'e':
      return key.unsafe_is_equal("eventVersion") || key.unsafe_is_equal("eventTime") ||
             key.unsafe_is_equal("eventName") || key.unsafe_is_equal("eventSource") ||
             key.unsafe_is_equal("eventID") || key.unsafe_is_equal("eventType");
    case 'u':
      return key.unsafe_is_equal("userIdentity");
    case 'a':
      return key.unsafe_is_equal("awsRegion");
    case 'r':
      return key.unsafe_is_equal("recipientAccountId") || key.unsafe_is_equal("requestParameters");
    case 's':
      return key.unsafe_is_equal("sourceIPAddress");
    default:
      return false;
  }
}

// Members of a CloudTrail digest file.
bool IsDigestKey(ondemand::raw_json_string key) {
  return KeyIs(key, "digestStartTime") || KeyIs(key, "digestEndTime") ||
         KeyIs(key, "digestS3Object") || KeyIs(key, "logFiles");
}

// Members of a CloudTrail Lake sign file (result_sign.json).
bool IsSignKey(ondemand::raw_json_string key) {
  return KeyIs(key, "hashSignature") || KeyIs(key, "queryCompleteTime");
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? static_cast<char>(x - 'A' + 'a') : x) == y;
         });
}

// Returns the raw text of `key` (without quotes, escapes left as they are), cut at 40 bytes.
std::string_view RawKeyText(ondemand::raw_json_string key) {
  const char* p = key.raw();
  size_t n = 0;
  while (n < 40 && p[n] != '"') {
    if (p[n] == '\\') ++n;
    ++n;
  }
  return std::string_view(p, n);
}

// Describes simdjson's INCOMPLETE_ARRAY_OR_OBJECT at the root: the text does not end with the
// bracket that closes its first value (simdjson checks this before reading anything).
std::string UnclosedRootMessage(std::string_view text, char close) {
  std::string_view tail = TrimJsonSpace(text);
  tail = tail.substr(tail.size() > 24 ? tail.size() - 24 : 0);
  std::string msg = "invalid JSON: the text does not end with the '";
  msg += close;
  msg +=
      "' that closes its first value (it is truncated, or more content follows); it ends "
      "with ";
  msg += Excerpt(tail);
  return msg;
}

}  // namespace

struct JsonContainerReader::Scope {
  RecordSink* sink;
  ContainerState* state;
  std::string_view text;  // The document, or the NDJSON line.
  ondemand::document* doc = nullptr;
  uint64_t line = 0;  // NDJSON line number; 0 inside a document.
  bool in_line = false;
  const char* counted_to = nullptr;  // LineAt's incremental newline count.
  uint64_t counted_lines = 1;
  // Offer Records elements to the sink as parsed objects (RecordSink::TryParsedRecord).
  bool single_pass = false;
  // Records elements handled by a single-pass read that was then restarted: skipped.
  uint64_t skip_records = 0;
  // Offer the event elements of a root array to the sink as parsed objects.
  bool single_pass_elements = false;
  // Root array elements handled by a single-pass read that was then restarted: skipped.
  uint64_t skip_elements = 0;
  // Offer a root event object (an NDJSON line, a single-event document) and embedded events
  // (CloudTrailEvent, eventJson) to the sink as parsed objects. Neither needs the document
  // to be read again when the sink declines: the record is then delivered from its text.
  bool single_pass_events = false;
};

enum class JsonContainerReader::ObjectKind {
  kUnknown,
  kEvent,
  kRecords,
  kEvents,
  kQueryResultRows,
  kLookupItem,
  kDigest,
  kSignFile,
};

struct JsonContainerReader::ObjectScan {
  ObjectKind wrapper = ObjectKind::kUnknown;  // Records / Events / QueryResultRows / LookupItem.
  bool event = false;
  bool digest = false;
  bool sign = false;
  std::string keys;  // The first keys, for messages (only when collect_keys).
  int key_count = 0;

  // An event member wins over digest and sign members: skipping an event silently would be
  // worse than rejecting a strange digest.
  ObjectKind kind() const {
    if (wrapper != ObjectKind::kUnknown) return wrapper;
    if (event) return ObjectKind::kEvent;
    if (digest) return ObjectKind::kDigest;
    if (sign) return ObjectKind::kSignFile;
    return ObjectKind::kUnknown;
  }
};

JsonContainerReader::JsonContainerReader(const ReaderLimits& limits)
    : limits_(limits), embedded_(limits.max_record_bytes) {}

void JsonContainerReader::ShrinkTo(uint64_t keep_bytes) {
  if (parser_.capacity() > keep_bytes) parser_ = ondemand::parser();
  embedded_.ShrinkTo(keep_bytes);
}

uint64_t JsonContainerReader::LineAt(Scope& scope, const char* position) {
  if (scope.in_line) return scope.line;
  const char* begin = scope.text.data();
  const char* end = begin + scope.text.size();
  if (position == nullptr || position < begin || position > end) return 0;
  if (scope.counted_to == nullptr || position < scope.counted_to) {
    scope.counted_to = begin;
    scope.counted_lines = 1;
  }
  scope.counted_lines += static_cast<uint64_t>(std::count(scope.counted_to, position, '\n'));
  scope.counted_to = position;
  return scope.counted_lines;
}

Status JsonContainerReader::JsonError(Scope& scope, simdjson::error_code error,
                                      std::string_view context) {
  if (error == simdjson::MEMALLOC) {
    return ResourceExhausted("out of memory parsing JSON (" + std::string(context) + ")");
  }
  std::string msg(context);
  msg += ": ";
  msg += simdjson::error_message(error);
  const char* location = nullptr;
  if (scope.doc != nullptr && scope.doc->current_location().get(location) == simdjson::SUCCESS &&
      location >= scope.text.data() && location <= scope.text.data() + scope.text.size()) {
    uint64_t offset = static_cast<uint64_t>(location - scope.text.data());
    if (scope.in_line) {
      msg += " (near column " + std::to_string(offset + 1) + ")";
    } else {
      msg += " (near byte offset " + std::to_string(offset) + ", line " +
             std::to_string(LineAt(scope, location)) + ")";
    }
  }
  return InvalidArgument(std::move(msg));
}

void JsonContainerReader::RecordError(Scope& scope, uint64_t line, std::string_view message) {
  uint64_t index = scope.state->next_index++;
  ++scope.state->record_errors;
  scope.sink->OnRecordError(index, line, message);
}

Status JsonContainerReader::Deliver(Scope& scope, std::string_view json, uint64_t error_line) {
  // On-demand skipping counts brackets without matching their kinds, so an object closed by
  // ']' comes out as "{...]": broken structure, which nothing after it can be trusted in.
  if (json.size() < 2 || json.front() != '{' || json.back() != '}') {
    std::string msg = "invalid JSON: mismatched brackets (an object closed by something else)";
    const char* begin = scope.text.data();
    if (!scope.in_line && json.data() >= begin && json.data() < begin + scope.text.size()) {
      msg += " in the record at byte offset " + std::to_string(json.data() - begin) + ", line " +
             std::to_string(LineAt(scope, json.data()));
    }
    return InvalidArgument(std::move(msg));
  }
  if (json.size() > limits_.max_record_bytes) {
    RecordError(scope, error_line,
                "record is " + std::to_string(json.size()) + " bytes, larger than the limit of " +
                    std::to_string(limits_.max_record_bytes) + " bytes");
    return Status::OK();
  }
  RecordRef record;
  record.index = scope.state->next_index++;
  record.line = scope.line;
  record.json = json;
  ++scope.state->records;
  Status s = scope.sink->OnRecord(record);
  if (!s.ok()) sink_stopped_ = true;
  return s;
}

bool JsonContainerReader::DeliverableAsIs(std::string_view json) const {
  return json.size() >= 2 && json.front() == '{' && json.back() == '}' &&
         json.size() <= limits_.max_record_bytes;
}

Status JsonContainerReader::CommitParsed(Scope& scope, std::string_view json) {
  RecordRef record;
  record.index = scope.state->next_index++;
  record.line = scope.line;
  record.json = json;
  ++scope.state->records;
  Status s = scope.sink->CommitParsedRecord(record);
  if (!s.ok()) sink_stopped_ = true;
  return s;
}

Status JsonContainerReader::DeliverParsed(Scope& scope, ondemand::object& object,
                                          const char* start) {
  auto restart = [this]() {
    restart_ = true;
    return Internal("the single-pass read of the document restarts");
  };
  if (!scope.sink->TryParsedRecord(object)) return restart();
  const char* end = nullptr;
  if (scope.doc->current_location().get(end) != simdjson::SUCCESS || end < start) {
    scope.sink->AbandonParsedRecord();
    return restart();
  }
  std::string_view json =
      RightTrimJsonSpace(std::string_view(start, static_cast<size_t>(end - start)));
  // What Deliver would reject or report goes through the two-pass read, which words it.
  if (!DeliverableAsIs(json)) {
    scope.sink->AbandonParsedRecord();
    return restart();
  }
  return CommitParsed(scope, json);
}

Status JsonContainerReader::DeliverParsedElement(Scope& scope, ondemand::object& object,
                                                 std::string_view json) {
  auto restart = [this]() {
    restart_ = true;
    return Internal("the single-pass read of the document restarts");
  };
  // ScanObject has read the element to its end: go back to its first member.
  bool not_empty = false;
  if (object.reset().get(not_empty) != simdjson::SUCCESS) return restart();
  if (!scope.sink->TryParsedRecord(object)) return restart();
  // The sink must have left the iterator where the scan did, right after the element.
  const char* end = nullptr;
  if (scope.doc->current_location().get(end) != simdjson::SUCCESS ||
      end < json.data() + json.size()) {
    scope.sink->AbandonParsedRecord();
    return restart();
  }
  return CommitParsed(scope, json);
}

Status JsonContainerReader::DeliverRootEvent(Scope& scope, ondemand::object& object,
                                             std::string_view json) {
  if (scope.single_pass_events && DeliverableAsIs(json)) {
    // ScanObject has read the object to its end: go back to its first member. Nothing
    // after it is read any more, so a record the sink declines is simply delivered from
    // its text.
    bool not_empty = false;
    if (object.reset().get(not_empty) == simdjson::SUCCESS &&
        scope.sink->TryParsedRecord(object)) {
      return CommitParsed(scope, json);
    }
  }
  return Deliver(scope, json, scope.line);
}

Status JsonContainerReader::DeliverEmbedded(Scope& scope, uint64_t error_line) {
  if (scope.single_pass_events) {
    // One parse of the embedded event for both the check that it is one JSON object and the
    // sink. Anything that does not go through cleanly (a bad event, a record the sink
    // declines) is decoded again the two-pass way below, which words its error.
    simdjson::ondemand::object* object = embedded_.ParseObject();
    if (object != nullptr && scope.sink->TryParsedRecord(*object)) {
      std::string_view json;
      if (embedded_.FinishObject(&json) && DeliverableAsIs(json)) {
        return CommitParsed(scope, json);
      }
      scope.sink->AbandonParsedRecord();
    }
  }
  Result<std::string_view> event = embedded_.Decode();
  if (!event.ok()) {
    if (event.status().code() == StatusCode::kResourceExhausted) return event.status();
    RecordError(scope, error_line, event.status().message());
    return Status::OK();
  }
  return Deliver(scope, *event, error_line);
}

Status JsonContainerReader::ScanObject(ondemand::object& object, Scope& scope, bool collect_keys,
                                       ObjectScan* scan) {
  auto set_wrapper = [&](ObjectKind kind, std::string_view name) -> Status {
    if (scan->wrapper != ObjectKind::kUnknown) {
      return InvalidArgument(
          "ambiguous JSON object: it has more than one of Records, Events, "
          "QueryResultRows and CloudTrailEvent (second: " +
          std::string(name) + ")");
    }
    scan->wrapper = kind;
    return Status::OK();
  };
  for (auto member : object) {
    ondemand::field field;
    if (auto error = std::move(member).get(field)) return JsonError(scope, error, "invalid JSON");
    ondemand::raw_json_string key = field.key();
    if (KeyIs(key, "Records")) {
      TB_RETURN_IF_ERROR(set_wrapper(ObjectKind::kRecords, "Records"));
      TB_RETURN_IF_ERROR(ReadRecordsArray(field.value(), scope));
    } else if (KeyIs(key, "Events")) {
      TB_RETURN_IF_ERROR(set_wrapper(ObjectKind::kEvents, "Events"));
      TB_RETURN_IF_ERROR(ReadEventsArray(field.value(), scope));
    } else if (KeyIs(key, "QueryResultRows")) {
      TB_RETURN_IF_ERROR(set_wrapper(ObjectKind::kQueryResultRows, "QueryResultRows"));
      TB_RETURN_IF_ERROR(ReadQueryResultRows(field.value(), scope));
    } else if (KeyIs(key, "CloudTrailEvent")) {
      TB_RETURN_IF_ERROR(set_wrapper(ObjectKind::kLookupItem, "CloudTrailEvent"));
      embedded_.Capture(field.value(), "CloudTrailEvent");
    } else if (!scan->event && IsEventKey(key)) {
      scan->event = true;
    } else if (!scan->event && IsDigestKey(key)) {
      scan->digest = true;
    } else if (!scan->event && IsSignKey(key)) {
      scan->sign = true;
    }
    if (collect_keys && scan->key_count < 5) {
      if (scan->key_count > 0) scan->keys += ", ";
      scan->keys += '"';
      scan->keys.append(RawKeyText(key));
      scan->keys += '"';
    }
    ++scan->key_count;
  }
  return Status::OK();
}

Status JsonContainerReader::ReadRecordsArray(ondemand::value value, Scope& scope) {
  if (scope.state->format == ContainerFormat::kUnknown) {
    scope.state->format = scope.in_line ? ContainerFormat::kNdjson : ContainerFormat::kRecords;
  }
  ondemand::array records;
  simdjson::error_code error = value.get_array().get(records);
  if (error == simdjson::INCORRECT_TYPE) {
    return InvalidArgument("Records is not an array (found " + std::string(JsonTypeOf(value)) +
                           ")");
  }
  if (error) return JsonError(scope, error, "invalid JSON in Records");
  uint64_t i = 0;
  for (auto element : records) {
    ondemand::value record;
    if (auto e = element.get(record)) {
      return JsonError(scope, e, "invalid JSON in Records[" + std::to_string(i) + "]");
    }
    if (i < scope.skip_records) {
      ++i;
      continue;
    }
    const char* start = nullptr;
    if (scope.single_pass && record.current_location().get(start) != simdjson::SUCCESS) {
      start = nullptr;
    }
    ondemand::object object;
    error = record.get_object().get(object);
    if (error == simdjson::INCORRECT_TYPE) {
      const char* at = nullptr;
      if (record.current_location().get(at) != simdjson::SUCCESS) at = nullptr;
      RecordError(scope, LineAt(scope, at),
                  "record is not a JSON object (found " + std::string(JsonTypeOf(record)) + ")");
      ++i;
      continue;
    }
    if (scope.single_pass && error == simdjson::SUCCESS && start != nullptr) {
      Status s = DeliverParsed(scope, object, start);
      if (restart_) restart_skip_ = i;
      TB_RETURN_IF_ERROR(s);
      ++i;
      continue;
    }
    std::string_view raw;
    if (error == simdjson::SUCCESS) error = object.raw_json().get(raw);
    if (error) return JsonError(scope, error, "invalid JSON in Records[" + std::to_string(i) + "]");
    raw = RightTrimJsonSpace(raw);
    uint64_t error_line = raw.size() > limits_.max_record_bytes ? LineAt(scope, raw.data()) : 0;
    TB_RETURN_IF_ERROR(Deliver(scope, raw, error_line));
    ++i;
  }
  return Status::OK();
}

Status JsonContainerReader::ReadEventsArray(ondemand::value value, Scope& scope) {
  if (scope.state->format == ContainerFormat::kUnknown) {
    scope.state->format = ContainerFormat::kLookupEvents;
  }
  ondemand::array events;
  simdjson::error_code error = value.get_array().get(events);
  if (error == simdjson::INCORRECT_TYPE) {
    return InvalidArgument("Events is not an array (found " + std::string(JsonTypeOf(value)) + ")");
  }
  if (error) return JsonError(scope, error, "invalid JSON in Events");
  uint64_t i = 0;
  for (auto element : events) {
    ondemand::value item;
    if (auto e = element.get(item)) {
      return JsonError(scope, e, "invalid JSON in Events[" + std::to_string(i) + "]");
    }
    const char* at = nullptr;
    if (item.current_location().get(at) != simdjson::SUCCESS) at = nullptr;
    ondemand::object object;
    error = item.get_object().get(object);
    if (error == simdjson::INCORRECT_TYPE) {
      RecordError(
          scope, LineAt(scope, at),
          "LookupEvents record is not a JSON object (found " + std::string(JsonTypeOf(item)) + ")");
      ++i;
      continue;
    }
    if (error) return JsonError(scope, error, "invalid JSON in Events[" + std::to_string(i) + "]");
    bool found = false;
    for (auto member : object) {
      ondemand::field field;
      if (auto e = std::move(member).get(field)) {
        return JsonError(scope, e, "invalid JSON in Events[" + std::to_string(i) + "]");
      }
      if (!found && KeyIs(field.key(), "CloudTrailEvent")) {
        found = true;
        embedded_.Capture(field.value(), "CloudTrailEvent");
      }
    }
    if (!found) {
      RecordError(scope, LineAt(scope, at), "LookupEvents record without a CloudTrailEvent member");
    } else {
      TB_RETURN_IF_ERROR(DeliverEmbedded(scope, LineAt(scope, at)));
    }
    ++i;
  }
  return Status::OK();
}

Status JsonContainerReader::ReadQueryResultRows(ondemand::value value, Scope& scope) {
  if (scope.state->format == ContainerFormat::kUnknown) {
    scope.state->format = ContainerFormat::kLakeQueryResults;
  }
  ondemand::array rows;
  simdjson::error_code error = value.get_array().get(rows);
  if (error == simdjson::INCORRECT_TYPE) {
    return InvalidArgument("QueryResultRows is not an array (found " +
                           std::string(JsonTypeOf(value)) + ")");
  }
  if (error) return JsonError(scope, error, "invalid JSON in QueryResultRows");
  uint64_t r = 0;
  for (auto element : rows) {
    std::string context = "invalid JSON in QueryResultRows[" + std::to_string(r) + "]";
    ondemand::value row_value;
    if (auto e = element.get(row_value)) return JsonError(scope, e, context);
    const char* at = nullptr;
    if (row_value.current_location().get(at) != simdjson::SUCCESS) at = nullptr;
    ondemand::array row;
    error = row_value.get_array().get(row);
    if (error == simdjson::INCORRECT_TYPE) {
      RecordError(
          scope, LineAt(scope, at),
          "query result row is not an array (found " + std::string(JsonTypeOf(row_value)) + ")");
      ++r;
      continue;
    }
    if (error) return JsonError(scope, error, context);
    bool found = false;
    std::string columns;
    for (auto cell_element : row) {
      ondemand::value cell_value;
      if (auto e = cell_element.get(cell_value)) return JsonError(scope, e, context);
      ondemand::object cell;
      error = cell_value.get_object().get(cell);
      if (error == simdjson::INCORRECT_TYPE) continue;  // Not a {column: value} cell.
      if (error) return JsonError(scope, error, context);
      for (auto member : cell) {
        ondemand::field field;
        if (auto e = std::move(member).get(field)) return JsonError(scope, e, context);
        std::string_view name = RawKeyText(field.key());
        if (!found && EqualsIgnoreCase(name, "eventjson")) {
          found = true;
          embedded_.Capture(field.value(), "eventJson");
        } else if (r == 0 && columns.size() < 200) {
          if (!columns.empty()) columns += ", ";
          columns.append(name);
        }
      }
    }
    if (!found) {
      if (r == 0) {
        return InvalidArgument(
            "CloudTrail Lake query results without an eventJson column (columns: " + columns +
            "); trailbook needs whole events: run the query with SELECT eventJson FROM <event "
            "data store> ...");
      }
      RecordError(scope, LineAt(scope, at), "query result row without an eventJson cell");
    } else {
      TB_RETURN_IF_ERROR(DeliverEmbedded(scope, LineAt(scope, at)));
    }
    ++r;
  }
  return Status::OK();
}

Status JsonContainerReader::ReadTopObject(ondemand::document& doc, Scope& scope) {
  ondemand::object object;
  if (auto error = doc.get_object().get(object)) {
    if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      return InvalidArgument(UnclosedRootMessage(scope.text, '}'));
    }
    return JsonError(scope, error, "invalid JSON");
  }
  ObjectScan scan;
  TB_RETURN_IF_ERROR(ScanObject(object, scope, /*collect_keys=*/!scope.in_line, &scan));
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    uint64_t offset = static_cast<uint64_t>(trailing - scope.text.data());
    if (scope.in_line) {
      return InvalidArgument("unexpected content after the JSON object (at column " +
                             std::to_string(offset + 1) + ")");
    }
    return InvalidArgument("unexpected content after the JSON document (at byte offset " +
                           std::to_string(offset) + ", line " +
                           std::to_string(LineAt(scope, trailing)) + ")");
  }
  ContainerState& state = *scope.state;
  switch (scan.kind()) {
    case ObjectKind::kRecords:
    case ObjectKind::kEvents:
    case ObjectKind::kQueryResultRows:
      return Status::OK();
    case ObjectKind::kLookupItem:
      if (state.format == ContainerFormat::kUnknown) state.format = ContainerFormat::kLookupEvents;
      return DeliverEmbedded(scope, scope.line);
    case ObjectKind::kDigest:
      if (scope.in_line) return InvalidArgument("a CloudTrail digest object, not an event");
      state.format = ContainerFormat::kDigest;
      state.skip_reason = "CloudTrail digest file (recognised by content; holds no events)";
      return Status::OK();
    case ObjectKind::kSignFile:
      if (scope.in_line) return InvalidArgument("a CloudTrail Lake sign object, not an event");
      state.format = ContainerFormat::kLakeSignFile;
      state.skip_reason = "CloudTrail Lake sign file (recognised by content; holds no events)";
      return Status::OK();
    case ObjectKind::kEvent:
      if (state.format == ContainerFormat::kUnknown) {
        state.format = scope.in_line ? ContainerFormat::kNdjson : ContainerFormat::kSingleEvent;
      }
      return DeliverRootEvent(scope, object, TrimJsonSpace(scope.text));
    case ObjectKind::kUnknown:
      break;
  }
  if (scope.in_line) {
    return InvalidArgument(
        "JSON object without CloudTrail event members (eventVersion, eventTime, eventName, "
        "eventSource, eventID, ...)");
  }
  return InvalidArgument(
      "unrecognised format: a JSON object without Records, Events, QueryResultRows, "
      "CloudTrailEvent or CloudTrail event members (its keys: " +
      (scan.keys.empty() ? std::string("none") : scan.keys) + ")");
}

Status JsonContainerReader::ReadTopArray(ondemand::document& doc, Scope& scope) {
  ondemand::array array;
  if (auto error = doc.get_array().get(array)) {
    if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      return InvalidArgument(UnclosedRootMessage(scope.text, ']'));
    }
    return JsonError(scope, error, "invalid JSON");
  }
  ContainerState& state = *scope.state;
  uint64_t i = 0;
  for (auto element : array) {
    std::string context = "invalid JSON in array element " + std::to_string(i);
    ondemand::value item;
    if (auto e = element.get(item)) return JsonError(scope, e, context);
    if (i < scope.skip_elements) {
      ++i;
      continue;
    }
    const char* start = nullptr;
    if (item.current_location().get(start) != simdjson::SUCCESS) start = nullptr;
    ondemand::object object;
    simdjson::error_code error = item.get_object().get(object);
    if (error == simdjson::INCORRECT_TYPE) {
      if (state.format == ContainerFormat::kUnknown) state.format = ContainerFormat::kJsonArray;
      RecordError(
          scope, LineAt(scope, start),
          "array element is not a JSON object (found " + std::string(JsonTypeOf(item)) + ")");
      ++i;
      continue;
    }
    if (error) return JsonError(scope, error, context);
    ObjectScan scan;
    TB_RETURN_IF_ERROR(ScanObject(object, scope, /*collect_keys=*/false, &scan));
    const char* end = nullptr;
    if (doc.current_location().get(end) != simdjson::SUCCESS) {
      end = scope.text.data() + scope.text.size();
    }
    switch (scan.kind()) {
      case ObjectKind::kRecords:
      case ObjectKind::kEvents:
      case ObjectKind::kQueryResultRows:
        break;
      case ObjectKind::kLookupItem:
        if (state.format == ContainerFormat::kUnknown) {
          state.format = ContainerFormat::kLookupEvents;
        }
        TB_RETURN_IF_ERROR(DeliverEmbedded(scope, LineAt(scope, start)));
        break;
      case ObjectKind::kEvent: {
        if (state.format == ContainerFormat::kUnknown) state.format = ContainerFormat::kJsonArray;
        std::string_view text(start, static_cast<size_t>(end - start));
        text = RightTrimJsonSpace(text);
        if (scope.single_pass_elements && DeliverableAsIs(text)) {
          Status s = DeliverParsedElement(scope, object, text);
          if (restart_) restart_skip_ = i;
          TB_RETURN_IF_ERROR(s);
          break;
        }
        uint64_t error_line = text.size() > limits_.max_record_bytes ? LineAt(scope, start) : 0;
        TB_RETURN_IF_ERROR(Deliver(scope, text, error_line));
        break;
      }
      case ObjectKind::kDigest:
      case ObjectKind::kSignFile:
      case ObjectKind::kUnknown:
        if (state.format == ContainerFormat::kUnknown) state.format = ContainerFormat::kJsonArray;
        RecordError(scope, LineAt(scope, start),
                    "array element is not a CloudTrail event (no eventVersion, eventTime, "
                    "eventName, eventSource, eventID, ... member)");
        break;
    }
    ++i;
  }
  if (state.format == ContainerFormat::kUnknown) state.format = ContainerFormat::kJsonArray;
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return InvalidArgument("unexpected content after the JSON document (at byte offset " +
                           std::to_string(trailing - scope.text.data()) + ", line " +
                           std::to_string(LineAt(scope, trailing)) + ")");
  }
  return Status::OK();
}

bool JsonContainerReader::ReadRecordsText(Scope& scope, Status* status) {
  const char* p = scope.text.data();
  const char* const end = p + scope.text.size();
  auto skip_space = [end](const char* q) {
    while (q < end && IsJsonSpace(*q)) ++q;
    return q;
  };
  // {"Records":[ exactly as CloudTrail writes it (whitespace aside); anything else, e.g. a
  // BOM, an escaped key or another member first, takes the on-demand read.
  static constexpr std::string_view kRecordsKey = "\"Records\"";
  // simdjson checks first that the document ends with the '}' that closes it, and reports an
  // unclosed root before any record is read: so does the on-demand read here.
  if (!RightTrimJsonSpace(scope.text).ends_with('}')) return false;
  p = skip_space(p);
  if (p == end || *p != '{') return false;
  p = skip_space(p + 1);
  if (static_cast<size_t>(end - p) < kRecordsKey.size() ||
      std::memcmp(p, kRecordsKey.data(), kRecordsKey.size()) != 0) {
    return false;
  }
  p = skip_space(p + kRecordsKey.size());
  if (p == end || *p != ':') return false;
  p = skip_space(p + 1);
  if (p == end || *p != '[') return false;
  p = skip_space(p + 1);

  if (scope.state->format == ContainerFormat::kUnknown) {
    scope.state->format = ContainerFormat::kRecords;
  }
  uint64_t i = 0;
  auto fall_back = [&]() {
    restart_ = true;
    restart_skip_ = i;
    *status = Internal("the single-pass read of the document restarts");
    return true;
  };
  if (p < end && *p == ']') {
    p = skip_space(p + 1);
  } else {
    for (;;) {
      if (p == end || *p != '{') return fall_back();
      const char* const start = p;
      // A record over the limit ends beyond `bound`: the walk fails and the two-pass read
      // reports it.
      const char* const bound =
          start + std::min<uint64_t>(static_cast<uint64_t>(end - start), limits_.max_record_bytes);
      if (!scope.sink->TryRecordText(&p, bound)) return fall_back();
      std::string_view json(start, static_cast<size_t>(p - start));
      if (p > bound || !DeliverableAsIs(json)) {
        scope.sink->AbandonParsedRecord();
        return fall_back();
      }
      *status = CommitParsed(scope, json);
      if (!status->ok()) return true;
      ++i;
      p = skip_space(p);
      if (p < end && *p == ',') {
        p = skip_space(p + 1);
        continue;
      }
      if (p < end && *p == ']') {
        p = skip_space(p + 1);
        break;
      }
      return fall_back();
    }
  }
  // The document must end here: "}" and whitespace. Anything else (more members, trailing
  // content) is read the two-pass way after the records, which words its errors.
  if (p == end || *p != '}') return fall_back();
  if (skip_space(p + 1) != end) return fall_back();
  *status = Status::OK();
  return true;
}

Status JsonContainerReader::ReadDocument(std::string_view text, RecordSink& sink,
                                         ContainerState* state) {
  restart_ = false;
  Status s = ReadDocumentPass(text, sink, state, sink.AcceptsParsedRecords(), 0);
  if (restart_) {
    // A Records or root array element the single-pass read could not take as it stood: read
    // the document again the two-pass way from that element on, so it is reported (or
    // accepted) exactly as before and its neighbours are kept.
    restart_ = false;
    s = ReadDocumentPass(text, sink, state, /*single_pass=*/false, restart_skip_);
  }
  return s;
}

Status JsonContainerReader::ReadDocumentPass(std::string_view text, RecordSink& sink,
                                             ContainerState* state, bool single_pass,
                                             uint64_t skip) {
  sink_stopped_ = false;
  Scope scope;
  scope.sink = &sink;
  scope.state = state;
  scope.text = text;
  // Embedded events never need the document read again, so the restarted read keeps them.
  scope.single_pass_events = sink.AcceptsParsedRecords();
  Status s;
  // A Records document whose bytes cannot fail stage 1 (IsPlainUtf8Document; CloudTrail
  // writes its delivery files so) is walked without it: the walk validates the JSON and the
  // on-demand iteration is not used. Otherwise stage 1 checks the document first.
  bool walk_tried = false;
  if (single_pass && skip == 0 && sink.AcceptsRecordText() && IsPlainUtf8Document(text)) {
    walk_tried = true;
    if (ReadRecordsText(scope, &s)) return s;
  }
  ondemand::document doc;
  if (auto error = parser_.iterate(PaddedView(text)).get(doc)) {
    return JsonError(scope, error, "invalid JSON");
  }
  scope.doc = &doc;
  ondemand::json_type type;
  if (auto error = doc.type().get(type)) return JsonError(scope, error, "invalid JSON");
  if (type == ondemand::json_type::object) {
    if (single_pass && skip == 0 && sink.AcceptsRecordText() && !walk_tried &&
        ReadRecordsText(scope, &s)) {
      return s;
    }
    scope.single_pass = single_pass;
    scope.skip_records = skip;
    s = ReadTopObject(doc, scope);
  } else if (type == ondemand::json_type::array) {
    scope.single_pass_elements = single_pass;
    scope.skip_elements = skip;
    s = ReadTopArray(doc, scope);
  } else {
    s = InvalidArgument("unrecognised format: the JSON document is " +
                        std::string(JsonTypeName(type)) + ", not an object or array");
  }
  return s;
}

Status JsonContainerReader::ReadLine(std::string_view line, uint64_t line_number, RecordSink& sink,
                                     ContainerState* state) {
  std::string_view text = TrimJsonSpace(line);
  if (text.empty()) return Status::OK();
  sink_stopped_ = false;
  Scope scope;
  scope.sink = &sink;
  scope.state = state;
  scope.text = text;
  scope.line = line_number;
  scope.in_line = true;
  scope.single_pass_events = sink.AcceptsParsedRecords();
  ondemand::document doc;
  Status s;
  if (auto error = parser_.iterate(PaddedView(text)).get(doc)) {
    s = JsonError(scope, error, "invalid JSON");
  } else {
    scope.doc = &doc;
    ondemand::json_type type;
    if (auto e = doc.type().get(type)) {
      s = JsonError(scope, e, "invalid JSON");
    } else if (type != ondemand::json_type::object) {
      s = InvalidArgument("line is not a JSON object (found " + std::string(JsonTypeName(type)) +
                          ")");
    } else {
      s = ReadTopObject(doc, scope);
    }
  }
  if (s.ok() || sink_stopped_ || s.code() == StatusCode::kResourceExhausted) return s;
  RecordError(scope, line_number, s.message());
  return Status::OK();
}

void JsonContainerReader::RejectLongLine(uint64_t length, uint64_t line_number, RecordSink& sink,
                                         ContainerState* state) {
  Scope scope;
  scope.sink = &sink;
  scope.state = state;
  scope.line = line_number;
  scope.in_line = true;
  RecordError(scope, line_number,
              "line is " + std::to_string(length) + " bytes, longer than the limit of " +
                  std::to_string(limits_.max_line_bytes) + " bytes");
}

void JsonContainerReader::RejectRecord(uint64_t line, std::string_view message, RecordSink& sink,
                                       ContainerState* state) {
  Scope scope;
  scope.sink = &sink;
  scope.state = state;
  scope.line = line;
  scope.in_line = true;
  RecordError(scope, line, message);
}

Status JsonContainerReader::ReadEmbeddedEvent(std::string_view text, std::string_view what,
                                              uint64_t line, RecordSink& sink,
                                              ContainerState* state) {
  sink_stopped_ = false;
  Scope scope;
  scope.sink = &sink;
  scope.state = state;
  scope.line = line;
  scope.in_line = true;
  scope.single_pass_events = sink.AcceptsParsedRecords();
  embedded_.CaptureText(text, what);
  return DeliverEmbedded(scope, line);
}

}  // namespace trailbook::ingest
