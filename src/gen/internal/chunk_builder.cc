#include "gen/internal/chunk_builder.h"

#include <algorithm>

#include "base/check.h"
#include "gen/internal/error_model.h"
#include "gen/internal/event_writer.h"

namespace trailbook::gen::internal {
namespace {

constexpr uint64_t kSaltChunk = 0x63686e6b;

uint16_t RegionIndex(std::string_view name) {
  const auto regions = Regions();
  for (size_t i = 0; i < regions.size(); ++i) {
    if (regions[i].name == name) return static_cast<uint16_t>(i);
  }
  return 0;
}

}  // namespace

ChunkBuilder::ChunkBuilder(const DatasetModel& model) : model_(model), context_(model) {
  us_east_1_ = RegionIndex("us-east-1");
  for (const Account& a : model.pop().accounts) home_regions_.push_back(RegionIndex(a.home_region));
}

void ChunkBuilder::Build(size_t chunk, ChunkEvents* out) {
  TB_CHECK(chunk < model_.chunk_count());
  out->Clear();
  out->chunk = chunk;
  seeds_.clear();
  Rng rng(DeriveSeed(model_.seed(), kSaltChunk, chunk));
  const Timeline& timeline = model_.timeline();
  const int64_t start = model_.chunk_start(chunk);
  const size_t first_minute = chunk * 60;
  const auto accounts = static_cast<uint32_t>(model_.pop().accounts.size());
  for (size_t m = first_minute; m < first_minute + 60; ++m) {
    const uint32_t n = timeline.count(m);
    if (n == 0) continue;
    weights_.clear();
    for (uint32_t a = 0; a < accounts; ++a) {
      double human, machine;
      timeline.Weights(a, m, &human, &machine);
      weights_.push_back(human);
      weights_.push_back(machine);
    }
    WeightedTable table(weights_);
    const int64_t minute_start = start + static_cast<int64_t>(m - first_minute) * 60 * kMicrosPerSecond;
    for (uint32_t i = 0; i < n; ++i) {
      const size_t pick = table.Sample(rng);
      seeds_.push_back({minute_start + static_cast<int64_t>(rng.Below(60)) * kMicrosPerSecond,
                        static_cast<uint32_t>(pick / 2), static_cast<uint8_t>(pick % 2)});
    }
  }
  const auto& planned = model_.plan().events;
  auto it = std::lower_bound(planned.begin(), planned.end(), start,
                             [](const PlannedEvent& e, int64_t t) { return e.time_micros < t; });
  for (; it != planned.end() && it->time_micros < start + kChunkMicros; ++it) {
    seeds_.push_back({it->time_micros, static_cast<uint32_t>(it - planned.begin()), 2});
  }
  std::stable_sort(seeds_.begin(), seeds_.end(),
                   [](const Seed& a, const Seed& b) { return a.time_micros < b.time_micros; });
  out->events.reserve(seeds_.size());
  for (const Seed& seed : seeds_) {
    if (seed.kind == 2) {
      Planned(seed, rng, out);
    } else {
      Background(seed, rng, out);
    }
  }
}

void ChunkBuilder::Background(const Seed& seed, Rng& rng, ChunkEvents* out) {
  const Account& acct = model_.pop().accounts[seed.index];
  const bool human = seed.kind == 0;
  const WeightedTable& table =
      human && !acct.human_table.empty() ? acct.human_table : acct.machine_table;
  const auto& ids = &table == &acct.human_table ? acct.human_personas : acct.machine_personas;
  const Persona& persona = model_.persona(ids[table.Sample(rng)]);
  const auto& actions = model_.persona_action_ids(persona.index);
  const uint16_t action = actions[model_.persona_actions(persona.index).Sample(rng)];
  const ErrorClass error = DecideError(AllActions()[action], action, persona, rng);
  Emit(persona, action, home_regions_[seed.index], seed.time_micros, error, nullptr, 0,
       kNoOverride, kNoOverride, false, rng, out);
}

void ChunkBuilder::Planned(const Seed& seed, Rng& rng, ChunkEvents* out) {
  const PlannedEvent& e = model_.plan().events[seed.index];
  const Scenario& scenario = model_.plan().scenarios[e.scenario];
  const Persona& persona = model_.persona(e.persona);
  ErrorClass error = e.error;
  if (error == ErrorClass::kAuto) error = DecideError(AllActions()[e.action], e.action, persona, rng);
  Emit(persona, e.action, e.region, e.time_micros, error, &scenario, e.step,
       e.ip != kNoOverride ? e.ip : scenario.ip, scenario.ua, scenario.console, rng, out);
}

void ChunkBuilder::Emit(const Persona& persona, uint16_t action, uint16_t region, int64_t time,
                        ErrorClass error, const Scenario* scenario, uint8_t step, uint32_t ip,
                        uint32_t ua, bool console, Rng& rng, ChunkEvents* out) {
  const ActionSpec& spec = AllActions()[action];
  if (GetService(spec.service).global) region = us_east_1_;
  context_.Reset(&rng, persona.account, Regions()[region].name, time, action, persona, error,
                 scenario, step);
  ResolveCaller(context_, ip, ua, console);
  spec.build(context_);
  const size_t offset = out->text.size();
  WriteRecord(context_, &out->text);
  out->events.push_back({time, persona.account, region, static_cast<uint32_t>(offset),
                         static_cast<uint32_t>(out->text.size() - offset), context_.failed()});
}

}  // namespace trailbook::gen::internal
