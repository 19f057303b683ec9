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
// (also inside values kept as text, which are validated while they are minified, in the one
// simdjson pass over the record), JSON nested deeper than kMaxJsonDepth, a record or field
// over the size limits.
//
// Thread safety: not thread-safe; one normaliser per ingest worker.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

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

 private:
  Status NormalizeImpl(std::string_view json, storage::RowBatch* batch);
  // Resets the per-record state and walks the event's members into the open row.
  Status WalkEvent(simdjson::ondemand::object& obj, storage::RowBatch* batch);
  // Checks the event time (or its Logstash stand-in) and sets the shape and residual.
  Status CloseEvent(storage::RowBatch* batch);
  // Ends the row with the event's dedup key (eventID, else a hash of `json`).
  void EndEvent(std::string_view json, storage::RowBatch* batch);
  Status RecordTooLarge(size_t bytes) const;
  Status WalkStruct(simdjson::ondemand::object& obj, int parent, storage::RowBatch* batch);
  Status KnownField(const storage::SchemaField& f, simdjson::ondemand::value& value,
                    storage::RowBatch* batch);
  // Reads a string value (REQUIRES: its type is string) into `out`, which points into the
  // record when the string has no escapes and into the parser's buffer otherwise.
  Status GetString(simdjson::ondemand::value& value, std::string_view what,
                   std::string_view* out);
  Status ResidualMember(std::string_view raw_key, simdjson::ondemand::value& value, int parent);
  // Validates `value` in full (the on-demand walk skips what it does not read) and appends
  // its minified text to `out`, in the same pass; `what` names the field in errors.
  Status AppendMinified(simdjson::ondemand::value& value, std::string_view what, int depth,
                        std::string* out);

  NormalizerLimits limits_;
  // Held once: EventSchema::Get() is an out-of-line call with a guard check, and the walk
  // needs the schema for every struct and known field.
  const storage::EventSchema& schema_ = storage::EventSchema::Get();
  simdjson::ondemand::parser parser_;
  std::string shape_;
  std::string residual_;
  std::string member_;
  std::string scratch_;
  std::string padded_;
  uint64_t seen_[2];  // known field tokens seen in this record (duplicate detection)
  bool has_event_time_ = false;
  std::string logstash_timestamp_;
  bool has_logstash_timestamp_ = false;
  std::string event_id_;
  bool has_event_id_ = false;
};

}  // namespace trailbook::ingest
