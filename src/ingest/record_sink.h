// File: ingest/record_sink.h
//
// RecordSink: how the input readers hand events to the rest of ingest. A reader calls
// OnRecord once per event of an input, in input order, with the event's JSON text, and
// OnRecordError for each record it could not deliver. The normaliser implements it; it also
// takes records straight from the reader's parse (TryParsedRecord and the calls after it),
// which saves a second simdjson pass over each record.
//
//   class CountingSink : public RecordSink {
//     Status OnRecord(const RecordRef& r) override { ++n; return Status::OK(); }
//     void OnRecordError(uint64_t index, uint64_t line, std::string_view msg) override {...}
//   };
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/padded_buffer.h"  // kPadding

namespace trailbook::ingest {

// One event as read from an input.
struct RecordRef {
  // 0-based position of the record within its input, counting every record the reader met,
  // delivered or not: the element index in Records / Events / a JSON array / Lake rows, the
  // ordinal of the non-blank NDJSON line, the data row of a CSV (header excluded).
  uint64_t index = 0;
  // 1-based line where the record starts for line-oriented inputs (NDJSON, CSV); 0 for records
  // inside one JSON document, where `index` locates them.
  uint64_t line = 0;
  // The text of one JSON object: the event itself (for LookupEvents and Lake exports, the
  // unescaped inner event). Never empty; starts with '{' and ends with '}'; valid UTF-8 with
  // terminated strings and balanced brackets. The reader walks records with simdjson on-demand
  // without parsing every value, so scalars (`tru`, `01`) and the kinds of nested brackets
  // (`[1}`) are not checked: the sink must treat a parse error anywhere in the text, including
  // values it would skip, as a record error. Valid until
  // OnRecord returns, and at least kPadding (= simdjson::SIMDJSON_PADDING) readable bytes
  // follow it, so the sink can parse it in place:
  //   parser.iterate(simdjson::padded_string_view(json.data(), json.size(),
  //                                               json.size() + kPadding));
  std::string_view json;
};

// Receives the records of one input. Thread safety: called from the reading thread only.
class RecordSink {
 public:
  virtual ~RecordSink() = default;

  // Receives one record. Returning a non-OK Status stops reading this input; the reader then
  // returns that same Status.
  virtual Status OnRecord(const RecordRef& record) = 0;

  // Reports a record that could not be delivered (not an object, invalid JSON on an NDJSON
  // line, a CloudTrailEvent that is neither a string nor an object, a record over the size
  // limit, ...). `index` and `line` are as in RecordRef (the reader computes `line` here even
  // inside JSON documents when it can). `message` describes the problem and does not name the
  // input; FormatRecordError adds it. The reader goes on with the next record.
  virtual void OnRecordError(uint64_t index, uint64_t line, std::string_view message) = 0;

  // Single-pass reading (optional; ingest's workers use it to avoid a second simdjson stage-1
  // pass over every record). When AcceptsParsedRecords() is true, the reader offers each
  // record first as the simdjson on-demand object inside a parse it has made anyway: an
  // element of a root {"Records":[...]} document or of a root JSON array, the object of an
  // NDJSON line or of a single-event document (these it has scanned once to classify them,
  // and rewinds), and the object it parses out of a CloudTrailEvent or eventJson value:
  //   - TryParsedRecord reads `object` to its end and returns true (the record is then
  //     pending), or returns false and leaves no trace of the record; the object's iterator
  //     must not be used afterwards (it may be in an error state).
  //   - After true, the reader calls exactly one of CommitParsedRecord, with the RecordRef
  //     that OnRecord would have received (its Status as OnRecord's), or AbandonParsedRecord,
  //     which must undo the pending record without a trace.
  // After false or AbandonParsedRecord the reader delivers this record through OnRecord or
  // OnRecordError as if the sink did not accept parsed records: for a Records or root array
  // element it reads the document again without this path from that element on (skipping
  // the records already handled); a line, single event or embedded event it delivers from
  // its text. So every record is handled exactly once and its errors read the same.
  virtual bool AcceptsParsedRecords() const { return false; }
  virtual bool TryParsedRecord(simdjson::ondemand::object& object) {
    (void)object;
    return false;
  }
  virtual Status CommitParsedRecord(const RecordRef& record) { return OnRecord(record); }
  virtual void AbandonParsedRecord() {}

  // Record text walking (optional; requires AcceptsParsedRecords). For a root
  // {"Records":[...]} document the reader does not iterate the elements with simdjson: it
  // walks the array's text itself and hands each element to TryRecordText, after checking
  // that the whole document is valid UTF-8 with no raw control characters in strings (a scan
  // for control bytes, or simdjson's stage 1); strings may still be unterminated:
  //   - TryRecordText reads one JSON object starting at `*p` (REQUIRES: **p == '{';
  //     kPadding readable bytes follow `end`) that must end before `end`, validating all of
  //     it; it returns true, with `*p` just past the object's closing '}' and the record
  //     pending, or false, leaving no trace of the record (`*p` unspecified).
  //   - After true, the reader calls CommitParsedRecord or AbandonParsedRecord as above.
  // After false, or anything else the text walk does not expect (a non-object element,
  // broken separators, members other than Records), the reader reads the document again
  // the two-pass way from that element on, as for TryParsedRecord.
  virtual bool AcceptsRecordText() const { return false; }
  virtual bool TryRecordText(const char** p, const char* end) {
    (void)p;
    (void)end;
    return false;
  }
};

// Returns "<input>: record <index> (line <line>): <message>", without the line part when
// `line` is 0: the form in which rejected records are reported to users.
std::string FormatRecordError(std::string_view input, uint64_t index, uint64_t line,
                              std::string_view message);

}  // namespace trailbook::ingest
