#include "storage/manifest.h"

#include <gtest/gtest.h>

#include "storage/coding.h"

namespace trailbook::storage {
namespace {

Commit SampleCommit(uint64_t seq) {
  Commit c;
  c.sequence = seq;
  c.time_us = 123;
  c.next_segment_id = 10 + seq;
  c.added.push_back(SegmentInfo{seq, 19000, 100, 1, 2, 4096, 0});
  c.ledger.push_back(LedgerEntry{"/logs/a" + std::to_string(seq) + ".json.gz", 10, 20,
                                 "abc" + std::to_string(seq), 5, 4, 1, 0, 99});
  c.properties.emplace_back("k", "v" + std::to_string(seq));
  return c;
}

TEST(ManifestTest, SegmentFlagsRoundTripAndUnflaggedRecordsKeepTheOldFormat) {
  Commit plain = SampleCommit(1);
  std::string plain_rec = EncodeCommit(plain);
  EXPECT_EQ(static_cast<uint8_t>(plain_rec[kRecordHeaderSize]), kRecordCommit);
  Commit flagged = SampleCommit(2);
  flagged.added[0].flags = kSegmentAuditOnly;
  std::string flagged_rec = EncodeCommit(flagged);
  EXPECT_EQ(static_cast<uint8_t>(flagged_rec[kRecordHeaderSize]), kRecordCommitFlags);
  std::string log = EncodeStoreCreated("s", 1) + plain_rec + flagged_rec;
  ManifestState state;
  size_t valid = 0;
  ASSERT_TRUE(ReplayManifest(log, &state, &valid).ok());
  EXPECT_EQ(valid, log.size());
  EXPECT_EQ(state.segments.at(1).flags, 0u);
  EXPECT_EQ(state.segments.at(2).flags, kSegmentAuditOnly);
  // The snapshot record keeps them (and is the old type when nothing is flagged).
  std::string snap = EncodeSnapshot(state);
  EXPECT_EQ(static_cast<uint8_t>(snap[kRecordHeaderSize]), kRecordSnapshotFlags);
  ManifestState restored;
  ASSERT_TRUE(ReplayManifest(snap, &restored, &valid).ok());
  EXPECT_EQ(restored.segments.at(2).flags, kSegmentAuditOnly);
  EXPECT_EQ(restored.segments.at(1).flags, 0u);
  state.segments.at(2).flags = 0;
  EXPECT_EQ(static_cast<uint8_t>(EncodeSnapshot(state)[kRecordHeaderSize]), kRecordSnapshot);
}

TEST(ManifestTest, ReadsACommitWrittenBeforeSegmentFlags) {
  // Bytes as the version-1 writer laid them out before flags existed (docs/format/manifest.md).
  std::string p;
  p.push_back(static_cast<char>(kRecordCommit));
  PutVarint64(&p, 7);         // sequence
  PutVarintSigned(&p, 123);   // time_us
  PutVarint64(&p, 9);         // next_segment_id
  PutVarint64(&p, 1);         // added
  PutVarint64(&p, 8);
  PutVarintSigned(&p, 19000);
  PutVarint64(&p, 100);
  PutVarintSigned(&p, 1);
  PutVarintSigned(&p, 2);
  PutVarint64(&p, 4096);
  PutVarint64(&p, 0);         // removed
  PutVarint64(&p, 0);         // ledger
  PutVarint64(&p, 0);         // properties
  std::string log = EncodeStoreCreated("s", 1) + FrameRecord(p);
  ManifestState state;
  size_t valid = 0;
  ASSERT_TRUE(ReplayManifest(log, &state, &valid).ok());
  EXPECT_EQ(valid, log.size());
  const SegmentInfo& s = state.segments.at(8);
  EXPECT_EQ(s.rows, 100u);
  EXPECT_EQ(s.bytes, 4096u);
  EXPECT_EQ(s.flags, 0u);
  EXPECT_EQ(EncodeCommit(Commit{7, 123, 9, {s}, {}, {}, {}}), FrameRecord(p));
}

TEST(ManifestTest, FlaggedRecordCutBeforeItsFlagsIsCorrupt) {
  Commit c = SampleCommit(1);
  c.added[0].flags = kSegmentAuditOnly;
  c.ledger.clear();
  c.properties.clear();
  std::string payload = EncodeCommit(c).substr(kRecordHeaderSize);
  // Drop the flags varint and the three list counts after it, keep a valid checksum: the
  // record is complete as a frame but its body ends inside a segment_info.
  payload.resize(payload.size() - 4);
  ManifestState state;
  size_t valid = 0;
  Status s = ReplayManifest(EncodeStoreCreated("s", 1) + FrameRecord(payload), &state, &valid);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("MANIFEST record at byte"), std::string::npos) << s.ToString();
}

TEST(ManifestTest, ReplaysCommits) {
  std::string log = EncodeStoreCreated("store-1", 5);
  log += EncodeCommit(SampleCommit(1));
  Commit c2 = SampleCommit(2);
  c2.removed.push_back(1);
  log += EncodeCommit(c2);
  ManifestState state;
  size_t valid = 0;
  ASSERT_TRUE(ReplayManifest(log, &state, &valid).ok());
  EXPECT_EQ(valid, log.size());
  EXPECT_EQ(state.store_id, "store-1");
  EXPECT_EQ(state.last_sequence, 2u);
  EXPECT_EQ(state.segments.size(), 1u);
  EXPECT_EQ(state.segments.begin()->first, 2u);
  EXPECT_EQ(state.ledger.size(), 2u);
  EXPECT_EQ(state.ledger_by_hash.at("abc1"), "/logs/a1.json.gz");
  EXPECT_EQ(state.properties.at("k"), "v2");
  EXPECT_EQ(state.next_segment_id, 12u);
}

TEST(ManifestTest, TornTailIsIgnoredAtEveryCut) {
  std::string head = EncodeStoreCreated("s", 1) + EncodeCommit(SampleCommit(1));
  std::string tail = EncodeCommit(SampleCommit(2));
  for (size_t cut = 0; cut < tail.size(); ++cut) {
    std::string log = head + tail.substr(0, cut);
    ManifestState state;
    size_t valid = 0;
    ASSERT_TRUE(ReplayManifest(log, &state, &valid).ok()) << cut;
    EXPECT_EQ(valid, head.size()) << cut;
    EXPECT_EQ(state.last_sequence, 1u) << cut;
  }
}

TEST(ManifestTest, CorruptionInTheMiddleIsAnError) {
  std::string a = EncodeStoreCreated("s", 1);
  std::string b = EncodeCommit(SampleCommit(1));
  std::string c = EncodeCommit(SampleCommit(2));
  b[b.size() - 3] ^= 0x40;
  ManifestState state;
  size_t valid = 0;
  Status s = ReplayManifest(a + b + c, &state, &valid);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  // The same damage in the last record is a torn tail: the prefix stands.
  ManifestState state2;
  EXPECT_TRUE(ReplayManifest(a + b, &state2, &valid).ok());
  EXPECT_EQ(valid, a.size());
}

TEST(ManifestTest, SnapshotRecordRestoresState) {
  std::string log = EncodeStoreCreated("snap", 7) + EncodeCommit(SampleCommit(1)) +
                    EncodeCommit(SampleCommit(2));
  ManifestState state;
  size_t valid;
  ASSERT_TRUE(ReplayManifest(log, &state, &valid).ok());
  std::string rewritten = EncodeSnapshot(state);
  ManifestState again;
  ASSERT_TRUE(ReplayManifest(rewritten, &again, &valid).ok());
  EXPECT_EQ(again.store_id, "snap");
  EXPECT_EQ(again.segments.size(), state.segments.size());
  EXPECT_EQ(again.ledger.size(), state.ledger.size());
  EXPECT_EQ(again.last_sequence, state.last_sequence);
  EXPECT_EQ(again.next_segment_id, state.next_segment_id);
  EXPECT_EQ(again.properties, state.properties);
}

TEST(ManifestTest, CommitBeforeHeaderIsCorrupt) {
  ManifestState state;
  size_t valid;
  EXPECT_EQ(ReplayManifest(EncodeCommit(SampleCommit(1)), &state, &valid).code(),
            StatusCode::kCorruption);
}

}  // namespace
}  // namespace trailbook::storage
