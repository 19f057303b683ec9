#include "storage/journal_tail.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/timestamp.h"
#include "storage/audit_journal.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"

namespace trailbook::storage {
namespace {

std::string EventId(uint64_t sequence) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012llu",
                static_cast<unsigned long long>(sequence));
  return buf;
}

// A batch of events first..last as the audit log encodes it: one segment per UTC day, the
// event of sequence q on day days[q - first].
JournalBatch MakeBatch(uint64_t first, const std::vector<int64_t>& days, ZstdCodec& codec) {
  const EventSchema& schema = EventSchema::Get();
  RowBatch rows;
  for (size_t i = 0; i < days.size(); ++i) {
    const uint64_t q = first + i;
    // Times not in sequence order within a day, so merges must sort.
    rows.SetTimestamp(schema.event_time_column(),
                      days[i] * kMicrosPerDay + static_cast<int64_t>((q * 7919) % 86400) *
                                                    kMicrosPerSecond);
    rows.SetString(schema.event_id_column(), EventId(q));
    rows.SetString(schema.ColumnByPath("eventSource"), kJournalEventSource);
    rows.SetString(schema.ColumnByPath("eventName"), "RunRunbook");
    rows.EndRow(0);
  }
  std::map<int64_t, std::vector<uint32_t>> by_day;
  for (uint32_t r = 0; r < rows.row_count(); ++r) by_day[days[r]].push_back(r);
  JournalBatch batch;
  batch.first_sequence = first;
  batch.last_sequence = first + days.size() - 1;
  for (auto& [day, day_rows] : by_day) {
    std::stable_sort(day_rows.begin(), day_rows.end(), [&](uint32_t a, uint32_t b) {
      return rows.event_time(a) < rows.event_time(b);
    });
    const uint64_t id = kJournalSegmentIdBit | (first + batch.readers.size());
    std::string bytes = EncodeSegment(id, day, rows, day_rows, {}, codec);
    const uint64_t size = bytes.size();
    auto reader = SegmentReader::OpenBytes(std::move(bytes), "batch");
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    SegmentInfo info;
    info.id = id;
    info.day = day;
    info.rows = (*reader)->row_count();
    info.min_time = (*reader)->footer().min_time;
    info.max_time = (*reader)->footer().max_time;
    info.bytes = size;
    info.flags = kSegmentAuditOnly;
    batch.infos.push_back(info);
    batch.readers.push_back(std::move(reader).value());
  }
  return batch;
}

// Checks that `view` holds exactly the events of sequences in `expected` (each once, found
// through the eventID index as a needle query finds them), ordered and sorted as a
// snapshot's segments must be.
void ExpectHolds(const SegmentSet& view, const std::set<uint64_t>& expected,
                 uint64_t last_sequence, uint64_t up_to) {
  const int id_column = EventSchema::Get().event_id_column();
  ASSERT_EQ(view.segments.size(), view.infos.size());
  EXPECT_EQ(view.rows, expected.size());
  EXPECT_EQ(view.last_sequence, expected.empty() ? 0 : last_sequence);
  std::set<uint64_t> ids;
  for (size_t i = 0; i < view.infos.size(); ++i) {
    const SegmentInfo& info = view.infos[i];
    EXPECT_NE(info.id & kJournalSegmentIdBit, 0u);
    EXPECT_EQ(info.flags, kSegmentAuditOnly);
    EXPECT_EQ(info.id, view.segments[i]->id());
    EXPECT_EQ(info.rows, view.segments[i]->row_count());
    EXPECT_TRUE(ids.insert(info.id).second) << "duplicate segment id " << info.id;
    if (i > 0) {
      const SegmentInfo& prev = view.infos[i - 1];
      EXPECT_TRUE(prev.min_time < info.min_time ||
                  (prev.min_time == info.min_time && prev.id < info.id));
    }
  }
  for (uint64_t q = 1; q <= up_to; ++q) {
    size_t found = 0;
    for (const auto& seg : view.segments) {
      auto rows = seg->LookupRows(id_column, EventId(q));
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      found += rows->size();
    }
    EXPECT_EQ(found, expected.count(q)) << "event " << q;
  }
}

TEST(JournalTailTest, CoalescesBatchesIntoFewSegments) {
  ZstdCodec codec;
  JournalTail tail;
  for (uint64_t q = 1; q <= 1024; ++q) tail.Add(MakeBatch(q, {20000}, codec));
  auto view = tail.View();
  // Appended batches merge only into runs of level 1 (each merge stays small: it runs on
  // the query that first sees the batch): 1024 / 8 runs. Without coalescing: 1024.
  EXPECT_EQ(view->segments.size(), 1024u / kJournalTailFanout);
  std::set<uint64_t> all;
  for (uint64_t q = 1; q <= 1024; ++q) all.insert(q);
  ExpectHolds(*view, all, 1024, 1024);
  EXPECT_EQ(tail.View(), view);  // Unchanged: the same object.
}

TEST(JournalTailTest, AddAllMergesALongTailOnce) {
  ZstdCodec codec;
  JournalTail tail;
  std::vector<JournalBatch> batches;
  std::set<uint64_t> all;
  for (uint64_t q = 1; q <= 600; ++q) {
    batches.push_back(MakeBatch(q, {20000}, codec));
    all.insert(q);
  }
  tail.AddAll(std::move(batches));
  auto view = tail.View();
  // 600 = 512 + 64 + 3 * 8: one run of level 3, one of level 2 and three of level 1 (each a
  // single merge of its batches).
  EXPECT_EQ(view->segments.size(), 5u);
  ExpectHolds(*view, all, 600, 600);
}

TEST(JournalTailTest, OlderViewDoesNotChange) {
  ZstdCodec codec;
  JournalTail tail;
  std::set<uint64_t> first;
  for (uint64_t q = 1; q <= 7; ++q) {
    tail.Add(MakeBatch(q, {20000}, codec));
    first.insert(q);
  }
  auto old_view = tail.View();
  // The eighth batch merges the seven runs the old view holds.
  tail.Add(MakeBatch(8, {20000}, codec));
  tail.DropFolded(3);
  ExpectHolds(*old_view, first, 7, 8);
  ExpectHolds(*tail.View(), {4, 5, 6, 7, 8}, 8, 8);
}

// Property: whatever the batch sizes, days and fold points, the view shows every unfolded
// event exactly once and no folded one, in few segments.
TEST(JournalTailTest, ViewMatchesUnfoldedBatchesUnderRandomFolds) {
  ZstdCodec codec;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    JournalTail tail;
    std::vector<std::pair<uint64_t, uint64_t>> batches;  // (first, last)
    std::vector<size_t> batch_days;                       // distinct days of each batch
    uint64_t next = 1;
    uint64_t folded = 0;
    for (int step = 0; step < 300; ++step) {
      // One batch, or now and then many read at once (AddAll, as a fresh handle reads).
      const size_t group = rng() % 10 == 0 ? 1 + rng() % 80 : 1;
      std::vector<JournalBatch> added;
      for (size_t g = 0; g < group; ++g) {
        std::vector<int64_t> days(1 + rng() % 4);
        for (int64_t& d : days) d = 20000 + (rng() % 5 == 0 ? 1 : 0);
        added.push_back(MakeBatch(next, days, codec));
        batches.emplace_back(next, next + days.size() - 1);
        batch_days.push_back(std::set<int64_t>(days.begin(), days.end()).size());
        next += days.size();
      }
      if (group == 1) {
        tail.Add(std::move(added[0]));
      } else {
        tail.AddAll(std::move(added));
      }
      if (rng() % 23 == 0 && !batches.empty()) {
        // A fold commits the batches up to a random one (folds move forward).
        size_t k = rng() % batches.size();
        folded = std::max(folded, batches[k].second);
        tail.DropFolded(folded);
      }
      if (step % 50 == 49 || step == 299) {
        std::set<uint64_t> expected;
        for (uint64_t q = folded + 1; q < next; ++q) expected.insert(q);
        SCOPED_TRACE("seed " + std::to_string(seed) + " step " + std::to_string(step));
        auto view = tail.View();
        ExpectHolds(*view, expected, next - 1, next - 1);
        // Far fewer segments than unfolded batch segments (one per batch and day): about
        // one per fanout of them, plus per day fewer than fanout level-0 runs and the
        // remaining batches of runs a fold cut.
        size_t unfolded = 0;
        for (size_t b = 0; b < batches.size(); ++b) {
          if (batches[b].second > folded) unfolded += batch_days[b];
        }
        EXPECT_LE(view->segments.size(), unfolded / kJournalTailFanout + 40) << unfolded;
      }
    }
  }
}

TEST(JournalTailTest, FoldOfEverythingEmpties) {
  ZstdCodec codec;
  JournalTail tail;
  for (uint64_t q = 1; q <= 20; ++q) tail.Add(MakeBatch(q, {20000}, codec));
  tail.DropFolded(20);
  EXPECT_TRUE(tail.empty());
  EXPECT_TRUE(tail.View()->segments.empty());
  EXPECT_EQ(tail.View()->rows, 0u);
}

}  // namespace
}  // namespace trailbook::storage
