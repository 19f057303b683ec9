// File: gen/internal/file_layout.h
//
// How one hour of events becomes CloudTrail delivery files. Each (account, region) stream
// delivers a file about every five minutes: an event lands in the window of its time plus a
// delivery lag of up to 90 s, so consecutive files of a stream overlap slightly in time;
// within a file records are ordered by arrival (time plus up to 20 s of jitter), so they are
// roughly but not strictly time-ordered. Busy windows are split into several files, as
// CloudTrail does. Re-deliveries (duplicates) copy an event into a later file of its stream.
//
//   ChunkLayout layout;
//   LayOutChunk(events, start, duplicates, seed, &layout);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gen/internal/chunk_builder.h"

namespace trailbook::gen::internal {

struct LogFile {
  uint32_t account = 0;
  uint16_t region = 0;
  int64_t delivery_micros = 0;   // the time in the file name (end of its window)
  std::string suffix;            // 16 random alphanumerics of the object name
  std::vector<uint32_t> events;  // indices into ChunkEvents::events, in file order
  uint32_t duplicates = 0;       // how many of `events` are re-deliveries
};

struct ChunkLayout {
  std::vector<LogFile> files;  // ordered by (account, region, delivery time, suffix)
  uint64_t duplicates = 0;     // re-deliveries placed (may be fewer than requested)
};

// Lays out `chunk` (which starts at `chunk_start`) and places up to `duplicates`
// re-deliveries. Deterministic in (seed, chunk).
void LayOutChunk(const ChunkEvents& chunk, int64_t chunk_start, uint64_t duplicates, uint64_t seed,
                 ChunkLayout* out);

// Returns "AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_
// <YYYYMMDDTHHmmZ>_<suffix>.json.gz".
std::string LogFilePath(std::string_view account_id, const LogFile& file);

// Appends `{"Records":[...]}\n` for `file` to `out`.
void AppendRecordsDocument(const ChunkEvents& chunk, const LogFile& file, std::string* out);

// Returns the NDJSON order of `chunk`: every event once in time order, plus up to
// `duplicates` re-deliveries each placed at a random later position.
std::vector<uint32_t> NdjsonOrder(const ChunkEvents& chunk, uint64_t duplicates, uint64_t seed);

}  // namespace trailbook::gen::internal
