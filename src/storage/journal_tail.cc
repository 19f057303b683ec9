#include "storage/journal_tail.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <numeric>
#include <string>

#include "storage/audit_journal.h"
#include "storage/row_batch.h"
#include "storage/segment_compaction.h"

namespace trailbook::storage {
namespace {

std::atomic<uint64_t> next_merged_id{1};

// Appended batches are merged only into runs of this level: the merge runs under the store's
// journal lock on the query that first sees the batch, so it must stay small (fanout
// batches). With merges up to level 2 (64 batches) every concurrent query waited for them:
// HTTP p99 40-61 ms against 24-32 ms with level 1 only (bench/http/ab.sh, alternating runs).
// A day of N appended batches keeps about N / fanout runs until the fold (256 batches).
constexpr int kIncrementalMaxLevel = 1;

}  // namespace

void FinishSegmentSet(SegmentSet* set) {
  std::vector<size_t> order(set->infos.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const SegmentInfo& x = set->infos[a];
    const SegmentInfo& y = set->infos[b];
    return x.min_time != y.min_time ? x.min_time < y.min_time : x.id < y.id;
  });
  std::vector<std::shared_ptr<const SegmentReader>> segments;
  std::vector<SegmentInfo> infos;
  segments.reserve(order.size());
  infos.reserve(order.size());
  set->rows = 0;
  set->bytes = 0;
  set->min_time = 0;
  set->max_time = 0;
  for (size_t i : order) {
    const SegmentInfo& info = set->infos[i];
    if (infos.empty() || info.min_time < set->min_time) set->min_time = info.min_time;
    if (infos.empty() || info.max_time > set->max_time) set->max_time = info.max_time;
    set->rows += info.rows;
    set->bytes += info.bytes;
    infos.push_back(info);
    segments.push_back(std::move(set->segments[i]));
  }
  set->infos = std::move(infos);
  set->segments = std::move(segments);
}

void JournalTail::Add(JournalBatch batch) {
  std::vector<JournalBatch> one;
  one.push_back(std::move(batch));
  AddAll(std::move(one));
}

void JournalTail::AddAll(std::vector<JournalBatch> batches) {
  if (batches.empty()) return;
  std::map<int64_t, std::vector<Run>> fresh;  // Per day, in sequence order.
  for (JournalBatch& batch : batches) {
    for (size_t i = 0; i < batch.readers.size(); ++i) {
      Run run;
      run.first_sequence = batch.first_sequence;
      run.last_sequence = batch.last_sequence;
      run.info = batch.infos[i];
      run.reader = batch.readers[i];
      fresh[run.info.day].push_back(std::move(run));
    }
    batches_.push_back(std::move(batch));
  }
  for (auto& [day, runs] : fresh) {
    std::vector<Run>& stack = runs_[day];
    // Many new runs at once (a handle reading a long tail for the first time): merge them in
    // chunks of fanout^L runs straight into level-L runs, so each row is re-encoded once,
    // not once per level.
    size_t i = 0;
    while (i < runs.size()) {
      // Levels must not grow towards the newest run, or older runs below a bigger one would
      // never merge again: a chunk's level is at most that of the day's newest run.
      const int max_level = stack.empty() ? kJournalTailMaxBulkLevel
                                          : std::min(kJournalTailMaxBulkLevel, stack.back().level);
      size_t chunk = 1;
      int level = 0;
      while (level < max_level && chunk * kJournalTailFanout <= runs.size() - i) {
        chunk *= kJournalTailFanout;
        ++level;
      }
      auto chunk_rows = [&] {
        uint64_t n = 0;
        for (size_t k = i; k < i + chunk; ++k) n += runs[k].info.rows;
        return n;
      };
      while (level > 0 && chunk_rows() > kJournalTailMaxMergeRows) {
        chunk /= kJournalTailFanout;
        --level;
      }
      Run merged;
      if (level > 0 && Merge(std::span<const Run>(runs).subspan(i, chunk), day, level, &merged)) {
        stack.push_back(std::move(merged));
        i += chunk;
      } else {
        stack.push_back(std::move(runs[i]));
        ++i;
      }
      Coalesce(&stack, day);
    }
  }
  view_ = nullptr;
}

bool JournalTail::Merge(std::span<const Run> inputs, int64_t day, int level, Run* out) {
  RowBatch rows;
  for (const Run& run : inputs) {
    // Segments the audit log encoded always decode; should one not, the caller keeps the
    // runs as they are (still correct, only not coalesced).
    if (!AppendSegmentRows(*run.reader, &rows).ok()) return false;
  }
  std::vector<uint32_t> order(rows.row_count());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return rows.event_time(a) < rows.event_time(b);
  });
  const uint64_t id = kJournalSegmentIdBit | kJournalMergedIdBit | next_merged_id.fetch_add(1);
  std::string bytes = EncodeSegment(id, day, rows, order, SegmentWriteOptions(), codec_);
  const uint64_t size = bytes.size();
  auto reader = SegmentReader::OpenBytes(
      std::move(bytes), "audit journal tail (merged segment " + std::to_string(id) + ")");
  if (!reader.ok()) return false;
  out->first_sequence = inputs.front().first_sequence;
  out->last_sequence = inputs.back().last_sequence;
  out->level = level;
  const SegmentFooter& f = (*reader)->footer();
  out->info.id = id;
  out->info.day = f.day;
  out->info.rows = f.row_count;
  out->info.min_time = f.min_time;
  out->info.max_time = f.max_time;
  out->info.bytes = size;
  out->info.flags = kSegmentAuditOnly;
  out->reader = std::move(reader).value();
  return true;
}

void JournalTail::Coalesce(std::vector<Run>* runs, int64_t day) {
  // Merge the newest window of kJournalTailFanout adjacent level-0 runs, until none is left
  // (usually the top of the stack; after a fold cut a merged run, its remaining batches sit
  // below newer runs and merge there).
  while (runs->size() >= kJournalTailFanout) {
    size_t found = SIZE_MAX;
    for (size_t first = runs->size() - kJournalTailFanout + 1; first-- > 0;) {
      const int level = (*runs)[first].level;
      if (level >= kIncrementalMaxLevel) continue;
      bool same = true;
      for (size_t i = first; i < first + kJournalTailFanout && same; ++i) {
        const Run& r = (*runs)[i];
        same = r.level == level && r.info.rows < kJournalTailMaxMergeRows;
      }
      if (same) {
        found = first;
        break;
      }
    }
    if (found == SIZE_MAX) return;
    Run merged;
    auto inputs = std::span<const Run>(*runs).subspan(found, kJournalTailFanout);
    if (!Merge(inputs, day, inputs.front().level + 1, &merged)) return;
    (*runs)[found] = std::move(merged);
    runs->erase(runs->begin() + static_cast<std::ptrdiff_t>(found) + 1,
                runs->begin() + static_cast<std::ptrdiff_t>(found + kJournalTailFanout));
  }
}

void JournalTail::DropFolded(uint64_t folded_sequence) {
  if (batches_.empty() || batches_.front().last_sequence > folded_sequence) return;
  for (auto day = runs_.begin(); day != runs_.end();) {
    std::vector<Run> kept;
    for (Run& run : day->second) {
      if (run.last_sequence <= folded_sequence) continue;
      if (run.first_sequence > folded_sequence) {
        kept.push_back(std::move(run));
        continue;
      }
      // The fold committed part of this merged run: show the rest from its batches' own
      // segments of this day.
      for (const JournalBatch& batch : batches_) {
        if (batch.last_sequence <= folded_sequence) continue;
        if (batch.first_sequence > run.last_sequence) break;
        for (size_t i = 0; i < batch.readers.size(); ++i) {
          if (batch.infos[i].day != day->first) continue;
          Run raw;
          raw.first_sequence = batch.first_sequence;
          raw.last_sequence = batch.last_sequence;
          raw.info = batch.infos[i];
          raw.reader = batch.readers[i];
          kept.push_back(std::move(raw));
        }
      }
    }
    if (kept.empty()) {
      day = runs_.erase(day);
    } else {
      day->second = std::move(kept);
      Coalesce(&day->second, day->first);
      ++day;
    }
  }
  auto end = std::find_if(batches_.begin(), batches_.end(), [&](const JournalBatch& b) {
    return b.last_sequence > folded_sequence;
  });
  batches_.erase(batches_.begin(), end);
  view_ = nullptr;
}

void JournalTail::Clear() {
  batches_.clear();
  runs_.clear();
  view_ = nullptr;
}

std::shared_ptr<const SegmentSet> JournalTail::View() {
  if (view_ != nullptr) return view_;
  auto set = std::make_shared<SegmentSet>();
  for (const auto& [day, runs] : runs_) {
    for (const Run& run : runs) {
      set->infos.push_back(run.info);
      set->segments.push_back(run.reader);
    }
  }
  FinishSegmentSet(set.get());
  if (!batches_.empty()) set->last_sequence = batches_.back().last_sequence;
  set->batches = batches_.size();
  view_ = std::move(set);
  return view_;
}

}  // namespace trailbook::storage
