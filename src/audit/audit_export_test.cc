#include "audit/audit_export.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "audit/audit_verifier.h"
#include "audit/testing/audit_test_support.h"
#include "auth/jwks/key_files.h"
#include "base/clock.h"
#include "ingest/ingest_pipeline.h"
#include "io/file.h"
#include "storage/audit_journal.h"

namespace trailbook::audit {
namespace {

using testing::Counts;
using testing::Event;
using testing::TempDir;

TEST(AuditExportTest, WritesTheDeliveryLayoutAndReingests) {
  std::string dir = TempDir();
  auto keys = auth::GenerateKeyFiles(dir + "/keys", auth::JwsAlgorithm::kEdDSA, "k1");
  ASSERT_TRUE(keys.ok());
  // 2026-03-01T23:59:58Z: the events straddle midnight, so two day directories.
  FakeClock clock(1'772'409'598'000'000);
  AuditLogOptions options;
  options.clock = &clock;
  options.account_id = "123456789012";
  options.region = "eu-west-1";
  options.digest_key_path = keys->private_key_path;
  {
    auto log = AuditLog::Open(dir, options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    for (int i = 1; i <= 6; ++i) {
      ASSERT_TRUE((*log)->Append(Event(i)).ok());
      clock.Advance(1'000'000);
      if (i == 3 || i == 6) {
        ASSERT_TRUE((*log)->WriteDigest().ok());
      }
    }
  }
  std::string out = TempDir();
  AuditExportOptions export_options;
  export_options.max_events_per_file = 2;
  auto summary = ExportAuditTrail(dir, out, export_options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->events, 6u);
  EXPECT_EQ(summary->digests, 2u);
  EXPECT_EQ(summary->event_files, 3u);  // Day 1: 2 events (1 file); day 2: 4 (2 files).
  auto files = io::ListFilesRecursive(out);
  ASSERT_TRUE(files.ok());
  size_t logs = 0, digests = 0;
  for (const std::string& f : *files) {
    if (f.find("/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/03/0") != std::string::npos &&
        f.find("123456789012_CloudTrail_eu-west-1_") != std::string::npos) {
      ++logs;
    }
    if (f.find("/AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2026/03/02/") !=
        std::string::npos) {
      ++digests;
    }
  }
  EXPECT_EQ(logs, summary->event_files);
  EXPECT_EQ(digests, 2u);

  // The export is ordinary CloudTrail input: a fresh store ingests every event, skips digests.
  std::string copy = TempDir() + "/store";
  auto store = storage::Store::Open(copy, storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  std::vector<std::string> paths{out};
  auto ingested = ingest::Ingest(**store, paths, {}, nullptr);
  ASSERT_TRUE(ingested.ok()) << ingested.status().ToString();
  EXPECT_EQ(ingested->events_added, 6u);
  EXPECT_EQ(ingested->files_skipped, 2u);
  EXPECT_FALSE(ingested->anything_rejected());
  store->reset();
  EXPECT_EQ(Counts(copy), testing::Both(6));
}

TEST(AuditExportTest, TimeWindowSelectsEvents) {
  std::string dir = TempDir();
  FakeClock clock(1'772'409'598'000'000);
  AuditLogOptions options;
  options.clock = &clock;
  auto log = AuditLog::Open(dir, options);
  ASSERT_TRUE(log.ok());
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE((*log)->Append(Event(i)).ok());
    clock.Advance(1'000'000);
  }
  AuditExportOptions export_options;
  export_options.from_us = 1'772'409'600'000'000;  // Midnight: events 3 and 4.
  auto summary = ExportAuditTrail(dir, TempDir(), export_options);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->events, 2u);
}

TEST(AuditExportTest, RefusesADamagedJournal) {
  std::string dir = TempDir();
  {
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->Append(Event(1)).ok());
    ASSERT_TRUE((*log)->Append(Event(2)).ok());
  }
  std::string journal = dir + "/" + storage::kAuditJournalName;
  auto bytes = io::ReadFile(journal);
  ASSERT_TRUE(bytes.ok());
  std::string damaged = *bytes;
  damaged[30] = static_cast<char>(damaged[30] ^ 0x40);
  ASSERT_TRUE(io::WriteFileAtomic(journal, damaged).ok());
  auto summary = ExportAuditTrail(dir, TempDir(), {});
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kCorruption);
}

TEST(AuditExportTest, NoJournalIsNotFound) {
  auto summary = ExportAuditTrail(TempDir(), TempDir(), {});
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace trailbook::audit
