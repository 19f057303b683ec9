// Throughput of record generation (no file I/O, no gzip): events/s and JSON bytes/s.
#include <benchmark/benchmark.h>

#include "gen/generator.h"

namespace trailbook::gen {
namespace {

void BM_GenerateEvents(benchmark::State& state) {
  GeneratorOptions options;
  options.events = static_cast<uint64_t>(state.range(0));
  options.days = 7;
  uint64_t bytes = 0, events = 0;
  for (auto _ : state) {
    auto gen = EventGenerator::Create(options);
    if (!gen.ok()) {
      state.SkipWithError(gen.status().ToString().c_str());
      return;
    }
    while (const GeneratedEvent* e = (*gen)->Next()) {
      bytes += e->json.size();
      ++events;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(events));
}
BENCHMARK(BM_GenerateEvents)->Arg(50'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace trailbook::gen

BENCHMARK_MAIN();
