// Fuzzes the CloudTrail event normaliser (the parser of untrusted event JSON) together with
// the lossless round trip: any record the normaliser accepts must be stored, rebuilt into
// valid JSON, accepted again, and rebuilt to the same text (a fixed point).
#include <simdjson.h>

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "base/check.h"
#include "ingest/event_normalizer.h"
#include "storage/event_json.h"
#include "storage/segment_reader.h"
#include "storage/segment_writer.h"

namespace {

using trailbook::ingest::EventNormalizer;
using trailbook::storage::RowBatch;

std::string StoreAndRebuild(const RowBatch& batch) {
  trailbook::storage::ZstdCodec codec(1);
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  std::string bytes = trailbook::storage::EncodeSegment(1, 0, batch, rows, {}, codec);
  auto seg = trailbook::storage::SegmentReader::OpenBytes(std::move(bytes), "fuzz");
  TB_CHECK(seg.ok()) << seg.status().ToString();
  TB_CHECK((*seg)->VerifyAll().ok());
  trailbook::storage::SegmentRowValues values(**seg, 0);
  std::string json;
  trailbook::Status s = trailbook::storage::RebuildEventJson(values, &json);
  TB_CHECK(s.ok()) << s.ToString();
  return json;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  std::string padded(reinterpret_cast<const char*>(data), size);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  EventNormalizer norm;
  RowBatch batch;
  trailbook::Status s = norm.Normalize(std::string_view(padded.data(), size), &batch);
  // The normaliser validates JSON with its own walk: it must agree with simdjson's DOM parser
  // (JSON it accepts is valid; valid JSON is never rejected as invalid, except for nesting
  // deeper than kMaxJsonDepth inside a value kept as text).
  simdjson::dom::parser dom;
  simdjson::dom::element input;
  const bool valid = dom.parse(data, size).get(input) == simdjson::SUCCESS;
  if (!s.ok()) {
    TB_CHECK(batch.row_count() == 0) << "a rejected record left a row";
    TB_CHECK(!valid || s.message().rfind("invalid JSON", 0) != 0 ||
             s.message().find("nested deeper than") != std::string::npos)
        << "valid JSON rejected as invalid: " << s.ToString();
    return 0;
  }
  TB_CHECK(valid) << "invalid JSON accepted";
  TB_CHECK(batch.row_count() == 1);
  std::string first = StoreAndRebuild(batch);
  simdjson::dom::parser parser;
  simdjson::dom::element ignored;
  TB_CHECK(parser.parse(first).get(ignored) == simdjson::SUCCESS) << "rebuilt JSON is invalid: "
                                                                  << first;
  std::string again = first;
  again.append(simdjson::SIMDJSON_PADDING, '\0');
  RowBatch batch2;
  s = norm.Normalize(std::string_view(again.data(), first.size()), &batch2);
  TB_CHECK(s.ok()) << "rebuilt event rejected: " << s.ToString() << "\n" << first;
  std::string second = StoreAndRebuild(batch2);
  TB_CHECK(second == first) << "rebuild is not a fixed point:\n" << first << "\n" << second;
  return 0;
}
