// File: storage/event_json.h
//
// Rebuilds an event's JSON text from its stored parts: the shape (which fields appeared, in
// which order, which were null, where unknown members sat), the typed columns, and the
// residual (unknown members, verbatim). The result has exactly the JSON values, keys and key
// order of the ingested record; only insignificant whitespace and string escapes may differ.
// This is what `trailbook cat` prints and what the SQL column `eventJson` holds.
//
//   SegmentRowValues values(segment, row);
//   std::string json;
//   TB_RETURN_IF_ERROR(RebuildEventJson(values, &json));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/segment_reader.h"

namespace trailbook::storage {

// Supplies the stored values of one event. Views returned stay valid until the next call.
class EventValues {
 public:
  virtual ~EventValues() = default;
  // Any string or JSON column (including the internal $shape, $residual, $eventTimeText).
  virtual Result<std::optional<std::string_view>> String(int column) = 0;
  virtual Result<int64_t> Timestamp(int column) = 0;
  // 0 = NULL, 1 = false, 2 = true.
  virtual Result<uint8_t> Bool(int column) = 0;
};

// Appends the event's JSON to `out`. Errors: kCorruption when the shape, residual and
// columns disagree (e.g. a shape names a field whose column is NULL).
Status RebuildEventJson(EventValues& values, std::string* out);

// Appends the JSON object of the struct field `field` (an EventSchema field index of kind
// kStruct, e.g. userIdentity or userIdentity.sessionContext) as it appears in the event: the
// same members, order and unknown members as the ingested record. Returns false, appending
// nothing, when the event lacks the struct or holds null for it. Errors as RebuildEventJson.
Result<bool> RebuildStructJson(EventValues& values, int field, std::string* out);

// EventValues over one row of a segment, using O(1) random access where the encoding allows.
class SegmentRowValues final : public EventValues {
 public:
  // `segment` must outlive this object.
  SegmentRowValues(const SegmentReader& segment, uint64_t row) : segment_(segment), row_(row) {}
  Result<std::optional<std::string_view>> String(int column) override;
  Result<int64_t> Timestamp(int column) override;
  Result<uint8_t> Bool(int column) override;

 private:
  const SegmentReader& segment_;
  uint64_t row_;
  std::optional<std::string> scratch_;
};

}  // namespace trailbook::storage
