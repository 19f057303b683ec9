// Benchmarks of GroupTable::FindOrAdd, the GROUP BY / DISTINCT hot loop, in the shapes the
// event scan produces: dictionary-coded keys with a small code space (GROUP BY eventName),
// two dictionary keys with a large code space (count(DISTINCT sourceIPAddress) per access
// key, bench/queries q6), and flat varchar keys (keys computed by expressions).
//
//   build/src/sql/exec/group_table_benchmark
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sql/exec/group_table.h"

namespace trailbook::sql {
namespace {

// A dictionary vector of `size` entries ("prefix0", "prefix1", ...); entry 0 is NULL, as in
// segment dictionaries.
std::shared_ptr<const Vector> MakeDictionary(const std::string& prefix, size_t size) {
  auto dict = std::make_shared<Vector>(LogicalType::Varchar());
  dict->Resize(size + 1);
  dict->SetNull(0);
  for (size_t i = 1; i <= size; ++i) dict->SetString(i, prefix + std::to_string(i));
  return dict;
}

// Codes with a skewed (roughly Zipf) distribution over [1, size], like CloudTrail values.
std::vector<uint32_t> SkewedCodes(size_t n, size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<double> weights(size);
  for (size_t i = 0; i < size; ++i) weights[i] = 1.0 / static_cast<double>(i + 1);
  std::discrete_distribution<uint32_t> pick(weights.begin(), weights.end());
  std::vector<uint32_t> codes(n);
  for (uint32_t& c : codes) c = pick(rng) + 1;
  return codes;
}

// One "segment" of rows per iteration, grouped batch by batch into a fresh table, with
// `segments` distinct dictionary ids in turn (each segment has its own dictionaries).
void RunDictionaryKeys(benchmark::State& state, const std::vector<size_t>& dict_sizes) {
  constexpr size_t kRows = 16 * kBatchSize;
  constexpr uint64_t kSegments = 8;
  std::vector<std::shared_ptr<const Vector>> dicts;
  std::vector<std::vector<uint32_t>> codes;
  for (size_t k = 0; k < dict_sizes.size(); ++k) {
    dicts.push_back(MakeDictionary("value-" + std::to_string(k) + "-", dict_sizes[k]));
    codes.push_back(SkewedCodes(kRows, dict_sizes[k], static_cast<uint32_t>(k + 1)));
  }
  std::vector<LogicalType> types(dict_sizes.size(), LogicalType::Varchar());
  std::vector<uint32_t> groups(kBatchSize);
  size_t total_groups = 0;
  for (auto _ : state) {
    GroupTable table(types);
    for (uint64_t segment = 0; segment < kSegments; ++segment) {
      for (size_t begin = 0; begin < kRows; begin += kBatchSize) {
        std::vector<Vector> keys;
        std::vector<Vector*> ptrs;
        keys.reserve(dict_sizes.size());
        for (size_t k = 0; k < dict_sizes.size(); ++k) {
          keys.emplace_back(LogicalType::Varchar());
          keys.back().SetDictionary(dicts[k], segment * 16 + k, codes[k].data() + begin,
                                    kBatchSize);
        }
        for (Vector& v : keys) ptrs.push_back(&v);
        table.FindOrAdd(ptrs, kBatchSize, groups.data());
        benchmark::DoNotOptimize(groups.data());
      }
    }
    total_groups = table.size();
  }
  state.counters["groups"] = static_cast<double>(total_groups);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kRows * kSegments));
}

void BM_GroupBySmallDictionary(benchmark::State& state) { RunDictionaryKeys(state, {400}); }
BENCHMARK(BM_GroupBySmallDictionary);

void BM_GroupByTwoLargeDictionaries(benchmark::State& state) {
  RunDictionaryKeys(state, {3000, 5000});
}
BENCHMARK(BM_GroupByTwoLargeDictionaries);

void BM_GroupByFlatStrings(benchmark::State& state) {
  constexpr size_t kRows = 16 * kBatchSize;
  std::vector<uint32_t> codes = SkewedCodes(kRows, 20000, 7);
  std::vector<std::string> text(kRows);
  for (size_t i = 0; i < kRows; ++i) {
    text[i] = "arn:aws:iam::123456789012:user/u" + std::to_string(codes[i]);
  }
  std::vector<uint32_t> groups(kBatchSize);
  for (auto _ : state) {
    GroupTable table({LogicalType::Varchar()});
    for (size_t begin = 0; begin < kRows; begin += kBatchSize) {
      Vector key(LogicalType::Varchar());
      key.Resize(kBatchSize);
      for (size_t i = 0; i < kBatchSize; ++i) key.SetStringRef(i, text[begin + i]);
      Vector* ptr = &key;
      table.FindOrAdd(std::span<Vector* const>(&ptr, 1), kBatchSize, groups.data());
      benchmark::DoNotOptimize(groups.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kRows));
}
BENCHMARK(BM_GroupByFlatStrings);

}  // namespace
}  // namespace trailbook::sql

BENCHMARK_MAIN();
