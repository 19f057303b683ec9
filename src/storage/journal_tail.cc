#include "storage/journal_tail.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <string>

#include "storage/audit_journal.h"
#include "storage/row_batch.h"
#include "storage/segment_compaction.h"

namespace trailbook::storage {
namespace {

std::atomic<uint64_t> next_merged_id{1};

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
  for (size_t i = 0; i < batch.readers.size(); ++i) {
    Run run;
    run.first_sequence = batch.first_sequence;
    run.last_sequence = batch.last_sequence;
    run.info = batch.infos[i];
    run.reader = batch.readers[i];
    std::vector<Run>& day = runs_[run.info.day];
    day.push_back(std::move(run));
    Coalesce(&day, batch.infos[i].day);
  }
  batches_.push_back(std::move(batch));
  view_ = nullptr;
}

void JournalTail::Coalesce(std::vector<Run>* runs, int64_t day) {
  while (runs->size() >= kJournalTailFanout) {
    const size_t first = runs->size() - kJournalTailFanout;
    const int level = runs->back().level;
    bool same = true;
    for (size_t i = first; i < runs->size(); ++i) {
      const Run& r = (*runs)[i];
      if (r.level != level || r.info.rows >= kJournalTailMaxMergeRows) same = false;
    }
    if (!same) return;
    RowBatch rows;
    for (size_t i = first; i < runs->size(); ++i) {
      // Segments the audit log encoded always decode; should one not, keep the runs as they
      // are (still correct, only not coalesced).
      if (!AppendSegmentRows(*(*runs)[i].reader, &rows).ok()) return;
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
    if (!reader.ok()) return;
    Run merged;
    merged.first_sequence = (*runs)[first].first_sequence;
    merged.last_sequence = runs->back().last_sequence;
    merged.level = level + 1;
    const SegmentFooter& f = (*reader)->footer();
    merged.info.id = id;
    merged.info.day = f.day;
    merged.info.rows = f.row_count;
    merged.info.min_time = f.min_time;
    merged.info.max_time = f.max_time;
    merged.info.bytes = size;
    merged.info.flags = kSegmentAuditOnly;
    merged.reader = std::move(reader).value();
    runs->resize(first);
    runs->push_back(std::move(merged));
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
  view_ = std::move(set);
  return view_;
}

}  // namespace trailbook::storage
