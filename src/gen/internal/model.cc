#include "gen/internal/model.h"

#include "base/check.h"

namespace trailbook::gen::internal {
namespace {

constexpr uint64_t kSaltActions = 0x616374;

// "DescribeInstances" -> "describe-instances"; Lambda's version suffix is dropped.
std::string CliOperation(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char ch = name[i];
    if (ch >= '0' && ch <= '9') break;
    if (ch >= 'A' && ch <= 'Z') {
      const bool prev_lower = i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z';
      const bool next_lower = i + 1 < name.size() && name[i + 1] >= 'a' && name[i + 1] <= 'z';
      const bool prev_upper = i > 0 && name[i - 1] >= 'A' && name[i - 1] <= 'Z';
      if (i > 0 && (prev_lower || (prev_upper && next_lower))) out.push_back('-');
      out.push_back(static_cast<char>(ch - 'A' + 'a'));
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace

std::unique_ptr<DatasetModel> DatasetModel::Build(const GeneratorOptions& options) {
  std::unique_ptr<DatasetModel> m(new DatasetModel());
  m->options_ = options;
  m->span_ = {options.end_micros - static_cast<int64_t>(options.days) * kMicrosPerDay,
              options.end_micros};
  m->chunk_count_ = static_cast<size_t>(options.days) * 24;
  m->pop_ = BuildPopulation(options.events, options.accounts, options.seed);
  m->BuildActionTables();
  const DatasetModel* self = m.get();
  ActionSampler sampler = [self](uint32_t persona, Rng& rng) -> uint16_t {
    const auto& ids = self->persona_action_ids_[persona];
    return ids[self->persona_actions_[persona].Sample(rng)];
  };
  m->plan_ = BuildPlan(options.events, m->pop_, m->span_, options.seed, sampler);
  TB_CHECK(m->plan_.events.size() <= options.events);
  m->background_events_ = options.events - m->plan_.events.size();
  m->timeline_ = std::make_unique<Timeline>(m->pop_, m->span_, m->background_events_, options.seed);
  return m;
}

const Persona& DatasetModel::persona(uint32_t id) const {
  if (id < pop_.personas.size()) return pop_.personas[id];
  return plan_.extras[id - pop_.personas.size()];
}

int64_t DatasetModel::chunk_start(size_t chunk) const {
  return span_.start_micros + static_cast<int64_t>(chunk) * kChunkMicros;
}

void DatasetModel::BuildActionTables() {
  const auto actions = AllActions();
  cli_operations_.reserve(actions.size());
  event_versions_.reserve(actions.size());
  static constexpr std::string_view kVersions[] = {"1.08", "1.09", "1.09", "1.10", "1.10", "1.11"};
  for (const ActionSpec& spec : actions) {
    cli_operations_.push_back(CliOperation(spec.name));
    uint64_t h = 1469598103934665603ULL;  // FNV-1a over the event name: stable per action
    for (char ch : spec.name) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
    event_versions_.push_back(kVersions[h % std::size(kVersions)]);
  }
  Rng rng(DeriveSeed(options_.seed, kSaltActions));
  persona_actions_.resize(pop_.personas.size());
  persona_action_ids_.resize(pop_.personas.size());
  std::vector<double> weights;
  for (Persona& p : pop_.personas) {
    weights.clear();
    auto& ids = persona_action_ids_[p.index];
    for (size_t i = 0; i < actions.size(); ++i) {
      const ActionSpec& spec = actions[i];
      if (spec.kinds != 0 && (spec.kinds & KindBit(p.kind)) == 0) continue;
      double w = spec.mix.For(p.mix);
      if (w <= 0) continue;
      for (uint8_t s : p.services) {
        if (s == static_cast<uint8_t>(spec.service)) w *= 5;
      }
      ids.push_back(static_cast<uint16_t>(i));
      weights.push_back(w);
    }
    TB_CHECK(!ids.empty()) << "persona " << p.name << " has no actions";
    persona_actions_[p.index].Assign(weights);
    // A few principals keep calling something they are not allowed to.
    if ((p.mix == MixClass::kWorkload || p.mix == MixClass::kAutomation) && rng.Chance(0.08)) {
      p.denied_action = ids[persona_actions_[p.index].Sample(rng)];
    }
  }
}

}  // namespace trailbook::gen::internal
