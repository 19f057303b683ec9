// File: ingest/json_container.h
//
// JsonContainerReader: the simdjson on-demand layer of the input readers. Given decoded JSON
// text it finds the events inside whatever container holds them and hands each event's raw
// text to a RecordSink:
//   {"Records":[...]}             each element (S3 delivery files, CloudTrail-Insight files)
//   [ ... ]                       each element: an event, a LookupEvents record, a wrapper
//   {"Events":[...]}              LookupEvents output: the string in each CloudTrailEvent
//   {"QueryResultRows":[[...]]}   Lake GetQueryResults output: each row's eventJson cell
//   {"CloudTrailEvent":"..."}     one LookupEvents record
//   {"eventVersion":...}          one event
//   digest / Lake sign objects    recognised and skipped
// A whole document is read with ReadDocument; JSON lines one at a time with ReadLine, where
// each line may be any of the objects above.
//
// A sink that takes record text (RecordSink::AcceptsRecordText) gets the elements of a root
// {"Records":[...]} document (CloudTrail's S3 delivery files) as text positions: the reader
// walks the array's text itself, the sink walking each element, so no on-demand iteration
// skips over the records again; anything unexpected restarts the read the two-pass way from
// that element on. simdjson's stage 1 runs first only when a cheaper scan of the document
// (valid UTF-8, no control byte inside it) does not pass; then only an unclosed string is
// left for stage 1 to find, and the walk finds it itself (records before it have then been
// delivered when the restarted read fails).
// A sink that accepts parsed records (RecordSink::AcceptsParsedRecords) gets each record as an
// on-demand object inside a parse this reader makes anyway, so the record's bytes go through
// simdjson stage 1 once: elements of a root {"Records":[...]} or root array (if the sink
// declines one, the document is read again the two-pass way from that element on), the
// object of an NDJSON line or single-event document (scanned once to classify it, then
// rewound; a declined one is delivered from its text), and the event parsed out of a
// CloudTrailEvent / eventJson value (the parse that checks it is one object; a declined one
// is decoded again and delivered from its text).
// Elements of Records are delivered as they stand in the input (no copy, no allocation); a
// CloudTrailEvent or eventJson value goes through EmbeddedEvent (unescaped into a reused
// padded buffer and checked to be one JSON object) before it is delivered.
//
//   JsonContainerReader json(limits);
//   ContainerState state;
//   TB_RETURN_IF_ERROR(json.ReadDocument(text, sink, &state));
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/embedded_event.h"
#include "ingest/format_detection.h"
#include "ingest/padded_buffer.h"
#include "ingest/reader_limits.h"
#include "ingest/record_sink.h"

namespace trailbook::ingest {

// What a reader learned about one input while reading it.
struct ContainerState {
  ContainerFormat format = ContainerFormat::kUnknown;
  uint64_t next_index = 0;     // Index the next record (delivered or not) gets.
  uint64_t records = 0;        // Records delivered to the sink.
  uint64_t record_errors = 0;  // Records reported with OnRecordError.
  std::string skip_reason;     // Set when the content is a digest or sign file.
};

// Thread safety: not thread-safe; one per reading thread. Holds two simdjson parsers (one in
// EmbeddedEvent) and a padded buffer, reused across inputs.
class JsonContainerReader {
 public:
  explicit JsonContainerReader(const ReaderLimits& limits);
  JsonContainerReader(const JsonContainerReader&) = delete;
  JsonContainerReader& operator=(const JsonContainerReader&) = delete;

  // Reads the JSON document `text` (an object or an array, after any byte order mark and
  // whitespace). REQUIRES: kPadding readable bytes follow `text`.
  // Record-level problems go to sink.OnRecordError and reading goes on. Returns the sink's
  // Status when it stops the read; kInvalidArgument for a broken container (invalid JSON,
  // "Records is not an array", trailing content, an object that is not CloudTrail data), with
  // the byte offset and line where it makes sense; kResourceExhausted when simdjson cannot
  // allocate.
  Status ReadDocument(std::string_view text, RecordSink& sink, ContainerState* state);

  // Reads one line of a JSON-lines input. Blank lines are ignored. Every problem of the line
  // is a record error carrying `line_number`; returns non-OK only when the sink stops the read.
  // REQUIRES: kPadding readable bytes follow `line`.
  Status ReadLine(std::string_view line, uint64_t line_number, RecordSink& sink,
                  ContainerState* state);

  // Reports a line longer than ReaderLimits::max_line_bytes as a record error.
  void RejectLongLine(uint64_t length, uint64_t line_number, RecordSink& sink,
                      ContainerState* state);

  // Checks that `text` (e.g. a Lake CSV eventJson cell, `what` names it in messages) is one
  // JSON object and delivers it as the record `state->next_index` at `line`; otherwise reports
  // a record error. Returns non-OK only when the sink stops the read.
  Status ReadEmbeddedEvent(std::string_view text, std::string_view what, uint64_t line,
                           RecordSink& sink, ContainerState* state);

  // Reports a record error for the next record index (used by the CSV reader for rows it
  // cannot use).
  void RejectRecord(uint64_t line, std::string_view message, RecordSink& sink,
                    ContainerState* state);

  // Frees parser and buffer memory beyond `keep_bytes` (after an unusually large input).
  void ShrinkTo(uint64_t keep_bytes);

 private:
  struct Scope;
  enum class ObjectKind;
  struct ObjectScan;

  Status ReadTopObject(simdjson::ondemand::document& doc, Scope& scope);
  Status ReadTopArray(simdjson::ondemand::document& doc, Scope& scope);
  Status ScanObject(simdjson::ondemand::object& object, Scope& scope, bool collect_keys,
                    ObjectScan* scan);
  Status ReadRecordsArray(simdjson::ondemand::value value, Scope& scope);
  Status ReadEventsArray(simdjson::ondemand::value value, Scope& scope);
  Status ReadQueryResultRows(simdjson::ondemand::value value, Scope& scope);
  Status DeliverEmbedded(Scope& scope, uint64_t error_line);
  Status Deliver(Scope& scope, std::string_view json, uint64_t line);
  // True when Deliver would deliver `json` as it stands (no error to word).
  bool DeliverableAsIs(std::string_view json) const;
  // Delivers `json` through RecordSink::CommitParsedRecord (the sink holds it pending).
  Status CommitParsed(Scope& scope, std::string_view json);
  // Offers a Records element to the sink as a parsed object (RecordSink::TryParsedRecord);
  // sets restart_ when the document must be read again the two-pass way from this element.
  Status DeliverParsed(Scope& scope, simdjson::ondemand::object& object, const char* start);
  // Offers a root array element that ScanObject has read and classified as an event, with
  // text `json` (DeliverableAsIs), rewound to its start; sets restart_ as DeliverParsed.
  Status DeliverParsedElement(Scope& scope, simdjson::ondemand::object& object,
                              std::string_view json);
  // Delivers the root object of a line or document, classified as an event with text
  // `json`: offered as a parsed object (rewound to its start) when single_pass_events,
  // delivered from its text when the sink declines it or Deliver has something to report.
  Status DeliverRootEvent(Scope& scope, simdjson::ondemand::object& object,
                          std::string_view json);
  // Reads a root {"Records":[...]} document by walking its text and handing each element to
  // RecordSink::TryRecordText, without simdjson's on-demand iteration (which would skip over
  // every record the sink has already walked). Returns false, having delivered nothing, when
  // the document does not start with a Records member; otherwise true with the outcome in
  // `*status`, where restart_ (and restart_skip_) is set when the document must be read again
  // the two-pass way from an element on (anything the walk does not expect).
  bool ReadRecordsText(Scope& scope, Status* status);
  // Reads the document; with `single_pass`, Records elements and root array elements are
  // offered to the sink parsed. Skips the first `skip` of them (a restarted read).
  Status ReadDocumentPass(std::string_view text, RecordSink& sink, ContainerState* state,
                          bool single_pass, uint64_t skip);
  void RecordError(Scope& scope, uint64_t line, std::string_view message);
  Status JsonError(Scope& scope, simdjson::error_code error, std::string_view context);
  uint64_t LineAt(Scope& scope, const char* position);

  ReaderLimits limits_;
  simdjson::ondemand::parser parser_;
  EmbeddedEvent embedded_;     // The CloudTrailEvent / eventJson being read.
  bool sink_stopped_ = false;  // The last error Status came from the sink.
  bool restart_ = false;       // The single-pass read of a document must start over.
  uint64_t restart_skip_ = 0;  // Records / root array elements it handled before that.
};

}  // namespace trailbook::ingest
