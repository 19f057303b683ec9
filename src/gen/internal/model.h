// File: gen/internal/model.h
//
// DatasetModel: the immutable description of one generated data set, built from the
// options: population, scenario plan, background timeline and per-persona action tables.
// Workers share one model read-only and generate hours ("chunks") independently from it.
//
//   auto model = DatasetModel::Build(options);   // options already validated
//   ChunkBuilder builder(*model);
//
// Thread safety: immutable after Build; safe to share across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/timestamp.h"
#include "gen/generator.h"
#include "gen/internal/actions.h"
#include "gen/internal/plan.h"
#include "gen/internal/population.h"
#include "gen/internal/timeline.h"

namespace trailbook::gen::internal {

inline constexpr int64_t kChunkMicros = 3600 * kMicrosPerSecond;

class DatasetModel {
 public:
  // REQUIRES: ValidateOptions(options).ok().
  static std::unique_ptr<DatasetModel> Build(const GeneratorOptions& options);

  const GeneratorOptions& options() const { return options_; }
  uint64_t seed() const { return options_.seed; }
  const Population& pop() const { return pop_; }
  const Plan& plan() const { return plan_; }
  const Timeline& timeline() const { return *timeline_; }
  // Returns a population persona or a persona created by a scenario.
  const Persona& persona(uint32_t id) const;

  int64_t start_micros() const { return span_.start_micros; }
  int64_t end_micros() const { return span_.end_micros; }
  size_t chunk_count() const { return chunk_count_; }
  int64_t chunk_start(size_t chunk) const;
  uint64_t background_events() const { return background_events_; }

  // The actions persona `id` draws from in background activity (indices into AllActions()).
  const WeightedTable& persona_actions(uint32_t id) const { return persona_actions_[id]; }
  const std::vector<uint16_t>& persona_action_ids(uint32_t id) const {
    return persona_action_ids_[id];
  }
  // aws-cli style operation name ("describe-instances") of an action.
  std::string_view cli_operation(uint16_t action) const { return cli_operations_[action]; }
  // eventVersion written for an action ("1.08".."1.11").
  std::string_view event_version(uint16_t action) const { return event_versions_[action]; }

 private:
  DatasetModel() = default;
  void BuildActionTables();

  GeneratorOptions options_;
  TimeSpan span_{};
  size_t chunk_count_ = 0;
  uint64_t background_events_ = 0;
  Population pop_;
  Plan plan_;
  std::unique_ptr<Timeline> timeline_;
  std::vector<WeightedTable> persona_actions_;
  std::vector<std::vector<uint16_t>> persona_action_ids_;
  std::vector<std::string> cli_operations_;
  std::vector<std::string_view> event_versions_;
};

}  // namespace trailbook::gen::internal
