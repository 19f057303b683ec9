// File: gen/internal/chunk_builder.h
//
// ChunkBuilder: generates the events of one hour ("chunk") of the span, in eventTime order:
// the timeline's background events for each minute of the hour plus the planned scenario
// events that fall in it. A chunk depends only on the model and its index, so chunks can be
// generated in any order and on any thread with identical results.
//
//   ChunkBuilder builder(model);
//   ChunkEvents events;
//   builder.Build(chunk, &events);
//
// Thread safety: not thread-safe; use one builder per thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gen/internal/event_context.h"
#include "gen/internal/model.h"

namespace trailbook::gen::internal {

struct ChunkEvent {
  int64_t time_micros;
  uint32_t account;
  uint16_t region;  // index into Regions()
  uint32_t offset;  // of the JSON text in ChunkEvents::text
  uint32_t length;
  bool failed;      // the record carries an error
};

struct ChunkEvents {
  size_t chunk = 0;
  std::vector<ChunkEvent> events;  // sorted by time_micros
  std::string text;                // the events' JSON, back to back

  std::string_view json(const ChunkEvent& e) const { return {text.data() + e.offset, e.length}; }
  void Clear() {
    events.clear();
    text.clear();
  }
};

class ChunkBuilder {
 public:
  // `model` must outlive the builder.
  explicit ChunkBuilder(const DatasetModel& model);

  // Replaces `out` with the events of `chunk`. REQUIRES: chunk < model.chunk_count().
  void Build(size_t chunk, ChunkEvents* out);

 private:
  struct Seed {
    int64_t time_micros;
    uint32_t index;   // account (background) or planned-event index
    uint8_t kind;     // 0 = background person, 1 = background machine, 2 = planned
  };

  void Background(const Seed& seed, Rng& rng, ChunkEvents* out);
  void Planned(const Seed& seed, Rng& rng, ChunkEvents* out);
  void Emit(const Persona& persona, uint16_t action, uint16_t region, int64_t time,
            ErrorClass error, const Scenario* scenario, uint8_t step, uint32_t ip, uint32_t ua,
            bool console, Rng& rng, ChunkEvents* out);

  const DatasetModel& model_;
  EventContext context_;
  std::vector<Seed> seeds_;
  std::vector<double> weights_;
  uint16_t us_east_1_ = 0;
  std::vector<uint16_t> home_regions_;
};

}  // namespace trailbook::gen::internal
