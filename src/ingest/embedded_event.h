// File: ingest/embedded_event.h
//
// EmbeddedEvent: an event that arrives as a value inside another record: the CloudTrailEvent
// of a LookupEvents record (a JSON string; an object when a tool such as jq decoded it), the
// eventJson cell of a CloudTrail Lake result row or CSV. It captures the value into a reused
// padded buffer (unescaping a string) and checks that it holds exactly one JSON object.
//
//   embedded.Capture(field.value(), "CloudTrailEvent");
//   Result<std::string_view> event = embedded.Decode();   // error = a record error
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/padded_buffer.h"

namespace trailbook::ingest {

// Thread safety: not thread-safe. Holds a simdjson parser and a buffer reused across records.
class EmbeddedEvent {
 public:
  explicit EmbeddedEvent(uint64_t max_record_bytes) : max_record_bytes_(max_record_bytes) {}
  EmbeddedEvent(const EmbeddedEvent&) = delete;
  EmbeddedEvent& operator=(const EmbeddedEvent&) = delete;

  // Captures `value`, a member of a document being iterated: a string is unescaped, an object
  // is taken as it stands, anything else is remembered as unusable. `what` names the member in
  // messages and must outlive the next Decode.
  void Capture(simdjson::ondemand::value value, std::string_view what);

  // Captures `text` as the event's JSON text (a CSV cell).
  void CaptureText(std::string_view text, std::string_view what);

  // Returns the captured event: the text of one JSON object, '{' to '}', followed by kPadding
  // zero bytes, valid until the next Capture. Returns kInvalidArgument saying why the value is
  // not a usable event (the caller reports a record error), kResourceExhausted when simdjson
  // cannot allocate.
  Result<std::string_view> Decode();

  // Single-pass form of Decode, for a reader whose sink walks the event itself: parses the
  // captured event and returns its root object, which the caller reads to its end and then
  // passes to FinishObject; the object is valid until the next Capture, Decode or
  // ParseObject. Returns nullptr for anything Decode would not accept at once (an unusable
  // value, an empty or oversized text, a parse error, not an object); Decode then says why.
  simdjson::ondemand::object* ParseObject();

  // After the object from ParseObject was read to its end: returns true and sets `*json` to
  // the event's text (what Decode returns) when nothing follows the object; false otherwise
  // (Decode then says why).
  bool FinishObject(std::string_view* json);

  // Frees memory beyond `keep_bytes`.
  void ShrinkTo(uint64_t keep_bytes);

 private:
  uint64_t max_record_bytes_;
  std::string_view what_;
  std::string error_;  // Why the captured value is unusable; empty when it may be usable.
  PaddedBuffer text_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;    // ParseObject's parse.
  simdjson::ondemand::object object_;   // Its root object.
  std::string_view parsed_text_;        // Its text, trimmed.
};

}  // namespace trailbook::ingest
