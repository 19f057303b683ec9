// File: ingest/event_normalizer.h
//
// EventNormalizer turns the JSON text of one CloudTrail event into one row of a RowBatch:
// known fields go to their typed columns (strings, booleans, eventTime), free-form objects
// (requestParameters, ...) are validated and kept as minified JSON text, and everything else
// is kept verbatim in the residual; the shape records field order and nulls. Together they
// rebuild the event exactly (storage/event_json.h). This is the hot loop of ingest.
//
//   EventNormalizer norm;
//   Status s = norm.Normalize(json, &batch);   // json: padded by SIMDJSON_PADDING bytes
//   if (!s.ok()) report(file, index, s);        // the batch is unchanged on error
//
// Bad records are rejected with kInvalidArgument naming the field: wrong types for known
// fields (e.g. readOnly "true" as a string), an unparseable or missing eventTime (a Logstash
// "@timestamp" is used when eventTime is absent), duplicate known members, invalid JSON
// (also inside values kept as text), JSON nested deeper than kMaxJsonDepth, a record or field
// over the size limits.
//
// How it reads: simdjson's stage 1 (the caller's parse, or Normalize's own) checks UTF-8 and
// strings; the normaliser then walks the record's text itself and validates the rest as it
// goes, accepting exactly what simdjson accepts (numbers with an exponent or many digits go to
// simdjson's number parser, strings with a backslash to its unescaper). Free-form values are
// copied as one span when compact. Known members are matched first against the member that
// followed the previous one in the last record (CloudTrail keeps member order).
//
// Thread safety: not thread-safe; one normaliser per ingest worker.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"

namespace trailbook::ingest {

// Nesting depth allowed inside a value kept as JSON text. The single-pass walk recurses per
// level, so the limit keeps it far from the end of a worker's stack, also under ASan (~8 KiB
// per level there). CloudTrail's own values nest fewer than 20 levels; simdjson's DOM
// validator, used before, allowed 1024.
inline constexpr int kMaxJsonDepth = 256;

struct NormalizerLimits {
  size_t max_record_bytes = 1 << 20;   // CloudTrail's own events are at most 256 KiB.
  size_t max_field_bytes = 512 << 10;  // One string or JSON object value.
};

class EventNormalizer {
 public:
  explicit EventNormalizer(NormalizerLimits limits = {});

  // Appends the event in `json` to `batch`. REQUIRES: simdjson::SIMDJSON_PADDING readable
  // bytes follow `json`. Errors: kInvalidArgument (bad record); the batch is unchanged.
  Status Normalize(std::string_view json, storage::RowBatch* batch);

  // Single-pass form of Normalize for a record that is an on-demand object inside a parse the
  // caller owns (a Records element of the container's document), so its bytes are not run
  // through simdjson stage 1 again. NormalizeParsed reads `object` to its end and, when the
  // record is good, leaves its row open; the caller then ends it with FinishParsed, passing
  // the record's text (the same text Normalize would get: it keys events without an eventID
  // and is checked against max_record_bytes), or drops it with AbandonParsed.
  // Errors: as Normalize, with the batch unchanged; the object's iterator must not be used
  // after an error. FinishParsed's only error is the record size (the row is then dropped).
  // For any record, NormalizeParsed + FinishParsed accept exactly what Normalize accepts and
  // store the same row.
  Status NormalizeParsed(simdjson::ondemand::object& object, storage::RowBatch* batch);
  Status FinishParsed(std::string_view json, storage::RowBatch* batch);
  void AbandonParsed(storage::RowBatch* batch);

  // Text form of NormalizeParsed for a record inside a larger text that is checked to be
  // valid UTF-8 without raw control characters in strings (a Records element the container
  // walks itself, RecordSink::TryRecordText; unterminated strings are found by the walk):
  // walks the object at `*p` (REQUIRES: **p == '{'; SIMDJSON_PADDING readable bytes follow
  // `end`), which must end before `end`, and when the record is good leaves its row open and
  // sets `*p` just past its closing '}'. Then FinishParsed or AbandonParsed as above.
  // Errors: as Normalize, with the batch unchanged (`*p` is then unspecified).
  Status NormalizeInText(const char** p, const char* end, storage::RowBatch* batch);

 private:
  Status NormalizeImpl(std::string_view json, storage::RowBatch* batch);
  // Resets the per-record state and walks the event object at `p` (after JSON whitespace)
  // up to its closing brace, leaving `p` after it; `end` bounds the record. Deferred strings
  // are neither resolved nor discarded (the caller does either).
  Status WalkObject(const char*& p, const char* end, storage::RowBatch* batch);
  // Walks the event object whose text `span` the caller's simdjson parse has run through
  // stage 1 (so it is valid UTF-8 with no raw control characters in strings) into the open
  // row, after resetting the per-record state. `span` may end in JSON whitespace.
  // REQUIRES: SIMDJSON_PADDING readable bytes follow `span`.
  Status WalkEvent(std::string_view span, storage::RowBatch* batch);
  // Checks the event time (or its Logstash stand-in) and sets the shape and residual.
  Status CloseEvent(storage::RowBatch* batch);
  // Ends the row with the event's dedup key (eventID, else a hash of `json`).
  void EndEvent(std::string_view json, storage::RowBatch* batch);
  Status RecordTooLarge(size_t bytes) const;

  // The walk reads the record text with a cursor `p` that it advances past what it reads;
  // `end` bounds the record. Each function validates what it reads.
  // Reads the members of the object at `p` (REQUIRES: *p == '{') under `parent`.
  Status WalkStruct(const char*& p, const char* end, int parent, storage::RowBatch* batch);
  // What the walk needs of a known field, in 32 bytes: the name's first and last eight
  // bytes (zero-filled when shorter) for the match, then the field's facts, so the common
  // path touches no SchemaField.
  struct MemberInfo {
    uint64_t head = 0;
    uint64_t tail = 0;
    const char* name = nullptr;
    uint8_t length = 0;
    uint8_t token = 0;
    storage::FieldKind kind = storage::FieldKind::kString;
    int16_t column = -1;
  };
  // Returns the known field named `name` (`length` bytes; `head`/`tail` as in MemberInfo)
  // under `parent`, or -1, where `context` is the struct's previous known member (see
  // next_member_). CloudTrail writes the members of an event type in a fixed order, so the
  // field that followed the previous one last time is tried first, then
  // EventSchema::FindChild (which updates the prediction). Plain values in and out: a
  // string_view or pointer argument made the compiler keep them on the stack, and the
  // reload stalled on store forwarding.
  int FindMember(int parent, const char* name, size_t length, uint64_t head, uint64_t tail,
                 int context);
  // The common case of a member name, before any scan for the end of the key string: when
  // the text at `p` (REQUIRES: *p == '"') is exactly `"<name>":` for the member predicted in
  // `context` (compact JSON, the name unescaped: CloudTrail's own output), sets `*field` to
  // it, moves `p` past the colon and returns true. Otherwise returns false with `p`
  // unchanged, and the general path (FindStringEnd, unescaping, FindMember) reads the name;
  // both give the same field for the same text.
  [[gnu::always_inline]] bool PredictedMember(const char*& p, const char* end, int context,
                                              int* field);
  [[gnu::noinline]] int FindMemberSlow(int parent, const char* name, size_t length,
                                       int context);
  // Reads the value at `p` (not whitespace) of the known field `field` (an EventSchema index).
  [[gnu::always_inline]] Status KnownField(int field, const MemberInfo& info, const char*& p, const char* end,
                    storage::RowBatch* batch);
  // Reads the string at `p` (REQUIRES: *p == '"') into `out`, which points into the record
  // when the string has no escapes and into unescaped_ otherwise (valid until the walk ends).
  [[gnu::always_inline]] Status StringValue(const char*& p, const char* end, std::string_view what,
                     std::string_view* out);
  // Unescapes the string whose body starts at `body` (just past its opening quote) into
  // unescaped_ and points `out` at it; `keep` false lets the next call reuse the space (the
  // string is only validated). Errors name `what`.
  Status Unescape(const char* body, std::string_view what, bool keep, std::string_view* out);
  // Keeps an unknown member verbatim in the residual (its value minified).
  Status ResidualMember(std::string_view raw_key, const char*& p, const char* end, int parent);
  // Validates the JSON value at `p` (not whitespace) in full and advances past it; sets
  // `spaced` when the value's text contains whitespace between tokens (so it is not minified
  // as it stands). Nesting deeper than kMaxJsonDepth is an error. `what` names the field.
  Status ScanValue(const char*& p, const char* end, std::string_view what, bool* spaced);
  // Checks a number token that the fast grammar check cannot settle (an exponent or many
  // digits) with simdjson's own number parser, so the accepted set is simdjson's.
  Status CheckNumber(std::string_view token, std::string_view what);

  NormalizerLimits limits_;
  // Held once: EventSchema::Get() is an out-of-line call with a guard check, and the walk
  // needs the schema for every struct and known field.
  const storage::EventSchema& schema_ = storage::EventSchema::Get();
  std::vector<MemberInfo> members_;  // by EventSchema field index
  // Predicted next field index (or -1) per context: a field index for "after that member",
  // members_.size() + 1 + parent for "first member of `parent`" (kTopLevel is -1).
  std::vector<int16_t> next_member_;
  simdjson::ondemand::parser parser_;         // the record's stage 1 (Normalize) and unescaping
  simdjson::ondemand::parser number_parser_;  // CheckNumber only
  std::string number_text_;
  // Unescaped strings of the current record. Sized per record to its text plus
  // SIMDJSON_PADDING before the walk and never grown during it (unescaped text is never
  // longer than the escaped text), so views into it stay valid until the walk ends.
  std::unique_ptr<uint8_t[]> unescaped_;
  size_t unescaped_capacity_ = 0;
  size_t unescaped_used_ = 0;
  std::string shape_;
  std::string residual_;
  std::string member_;
  std::string scratch_;
  uint64_t seen_[2];  // known field tokens seen in this record (duplicate detection)
  bool has_event_time_ = false;
  std::string logstash_timestamp_;
  bool has_logstash_timestamp_ = false;
  std::string event_id_;
  bool has_event_id_ = false;
};

}  // namespace trailbook::ingest
