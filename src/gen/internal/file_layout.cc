#include "gen/internal/file_layout.h"

#include <algorithm>
#include <tuple>

#include "base/timestamp.h"
#include "gen/internal/catalog.h"
#include "gen/internal/identifiers.h"

namespace trailbook::gen::internal {
namespace {

constexpr uint64_t kSaltLayout = 0x6c61796f;
constexpr uint64_t kSaltNdjson = 0x6e646a73;
constexpr int64_t kWindow = 300 * kMicrosPerSecond;
constexpr int64_t kWindows = 12;  // per hour

// Records per file in a busy window: CloudTrail splits large deliveries.
constexpr int64_t kMinFileRecords = 150;
constexpr int64_t kMaxFileRecords = 500;

struct Placed {
  uint32_t account;
  uint16_t region;
  int64_t window;
  int64_t arrival;
  uint32_t event;
};

}  // namespace

void LayOutChunk(const ChunkEvents& chunk, int64_t chunk_start, uint64_t duplicates, uint64_t seed,
                 ChunkLayout* out) {
  out->files.clear();
  out->duplicates = 0;
  Rng rng(DeriveSeed(seed, kSaltLayout, chunk.chunk));
  std::vector<Placed> placed;
  placed.reserve(chunk.events.size());
  for (uint32_t i = 0; i < chunk.events.size(); ++i) {
    const ChunkEvent& e = chunk.events[i];
    const int64_t lag = static_cast<int64_t>(rng.Below(91)) * kMicrosPerSecond;
    const int64_t window = std::min(kWindows - 1, (e.time_micros - chunk_start + lag) / kWindow);
    const int64_t arrival = e.time_micros + static_cast<int64_t>(rng.Below(21)) * kMicrosPerSecond;
    placed.push_back({e.account, e.region, window, arrival, i});
  }
  std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    return std::tie(a.account, a.region, a.window, a.arrival) <
           std::tie(b.account, b.region, b.window, b.arrival);
  });
  for (size_t begin = 0; begin < placed.size();) {
    size_t end = begin;
    while (end < placed.size() && placed[end].account == placed[begin].account &&
           placed[end].region == placed[begin].region && placed[end].window == placed[begin].window) {
      ++end;
    }
    const auto n = static_cast<int64_t>(end - begin);
    const int64_t cap = rng.Between(kMinFileRecords, kMaxFileRecords);
    const int64_t files = std::max<int64_t>(1, (n + cap - 1) / cap);
    const size_t first = out->files.size();
    for (int64_t f = 0; f < files; ++f) {
      LogFile file;
      file.account = placed[begin].account;
      file.region = placed[begin].region;
      file.delivery_micros = chunk_start + (placed[begin].window + 1) * kWindow;
      AppendRandom(rng, kAlnum, 16, &file.suffix);
      out->files.push_back(std::move(file));
    }
    for (size_t i = begin; i < end; ++i) {
      out->files[first + (files == 1 ? 0 : rng.Index(static_cast<size_t>(files)))].events.push_back(placed[i].event);
    }
    // A split never leaves an empty file behind.
    out->files.erase(std::remove_if(out->files.begin() + static_cast<std::ptrdiff_t>(first), out->files.end(),
                                    [](const LogFile& f) { return f.events.empty(); }),
                     out->files.end());
    begin = end;
  }
  std::stable_sort(out->files.begin(), out->files.end(), [](const LogFile& a, const LogFile& b) {
    return std::tie(a.account, a.region, a.delivery_micros, a.suffix) <
           std::tie(b.account, b.region, b.delivery_micros, b.suffix);
  });
  if (duplicates == 0) return;
  // Events eligible for re-delivery: those whose stream has a later file in this hour.
  struct Candidate {
    uint32_t event;
    size_t file;
    size_t last_file;  // last file of the same stream
  };
  std::vector<Candidate> candidates;
  for (size_t f = 0; f < out->files.size(); ++f) {
    size_t last = f;
    while (last + 1 < out->files.size() && out->files[last + 1].account == out->files[f].account &&
           out->files[last + 1].region == out->files[f].region) {
      ++last;
    }
    if (last == f) continue;
    for (uint32_t e : out->files[f].events) candidates.push_back({e, f, last});
  }
  const size_t take = std::min<size_t>(candidates.size(), static_cast<size_t>(duplicates));
  for (size_t i = 0; i < take; ++i) {
    std::swap(candidates[i], candidates[i + rng.Index(candidates.size() - i)]);
    const Candidate& c = candidates[i];
    LogFile& target = out->files[c.file + 1 + rng.Index(c.last_file - c.file)];
    const size_t pos = rng.Index(target.events.size() + 1);
    target.events.insert(target.events.begin() + static_cast<std::ptrdiff_t>(pos), c.event);
    ++target.duplicates;
  }
  out->duplicates = take;
}

std::string LogFilePath(std::string_view account_id, const LogFile& file) {
  const std::string_view region = Regions()[file.region].name;
  std::string path = "AWSLogs/";
  path.append(account_id).append("/CloudTrail/").append(region).append("/");
  AppendDatePath(file.delivery_micros, &path);
  path.push_back('/');
  path.append(account_id).append("_CloudTrail_").append(region).append("_");
  AppendCompactTime(file.delivery_micros, false, &path);
  path.push_back('_');
  path.append(file.suffix).append(".json.gz");
  return path;
}

void AppendRecordsDocument(const ChunkEvents& chunk, const LogFile& file, std::string* out) {
  out->append("{\"Records\":[");
  for (size_t i = 0; i < file.events.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(chunk.json(chunk.events[file.events[i]]));
  }
  out->append("]}\n");
}

std::vector<uint32_t> NdjsonOrder(const ChunkEvents& chunk, uint64_t duplicates, uint64_t seed) {
  std::vector<uint32_t> order(chunk.events.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  if (order.size() < 2 || duplicates == 0) return order;
  Rng rng(DeriveSeed(seed, kSaltNdjson, chunk.chunk));
  const size_t take = std::min<size_t>(static_cast<size_t>(duplicates), order.size() - 1);
  // Each duplicate of event e goes somewhere after e's first occurrence.
  std::vector<std::pair<size_t, uint32_t>> inserts;  // (position after which to insert, event)
  for (size_t i = 0; i < take; ++i) {
    const auto e = static_cast<uint32_t>(rng.Index(order.size() - 1));
    inserts.emplace_back(e + 1 + rng.Index(order.size() - 1 - e), e);
  }
  std::stable_sort(inserts.begin(), inserts.end());
  std::vector<uint32_t> result;
  result.reserve(order.size() + take);
  size_t next = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    result.push_back(order[i]);
    while (next < inserts.size() && inserts[next].first == i) result.push_back(inserts[next++].second);
  }
  return result;
}

}  // namespace trailbook::gen::internal
