#include "server/audit_folder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>

#include <memory>
#include <string>
#include <thread>

#include "audit/audit_log.h"
#include "storage/store.h"

namespace trailbook::server {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_folder_XXXXXX";
  return ::mkdtemp(tmpl);
}

void Append(audit::AuditLog& log, int n) {
  for (int i = 0; i < n; ++i) {
    audit::AuditEvent e;
    e.event_name = "RunRunbook";
    e.principal_id = "alice";
    e.token_sha256 = std::string(64, 'a');
    e.source_ip = "127.0.0.1";
    auto receipt = log.Append(e);
    ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  }
}

TEST(AuditFolderTest, FoldsTheJournalTailIntoSegmentsWithoutLosingEvents) {
  std::string dir = TempDir();
  auto log = audit::AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Append(**log, 3);
  EXPECT_EQ((*store)->Snapshot()->journal_rows(), 3u);

  AuditFolder folder(**store, std::chrono::seconds(60));
  auto round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->writer_busy);
  EXPECT_EQ(round->events, 3u);
  auto snap = (*store)->Snapshot();
  EXPECT_EQ(snap->journal_rows(), 0u);
  EXPECT_EQ(snap->audit_folded_sequence(), 3u);
  EXPECT_EQ(snap->row_count(), 3u);

  // Later events show from the tail again, beside the folded ones, each exactly once.
  Append(**log, 2);
  snap = (*store)->Snapshot();
  EXPECT_EQ(snap->journal_rows(), 2u);
  EXPECT_EQ(snap->row_count(), 5u);
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 2u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 5u);
  EXPECT_EQ((*store)->Snapshot()->journal_rows(), 0u);

  // Nothing new: nothing folded.
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 0u);
}

TEST(AuditFolderTest, SkipsTheFoldWhileAnotherWriterHoldsTheStore) {
  std::string dir = TempDir();
  auto log = audit::AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Append(**log, 4);
  AuditFolder folder(**store, std::chrono::seconds(60));
  {
    auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    auto round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_TRUE(round->writer_busy);
    EXPECT_EQ(round->events, 0u);
    EXPECT_EQ((*store)->Snapshot()->journal_rows(), 4u);
  }
  auto round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->writer_busy);
  EXPECT_EQ(round->events, 4u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 4u);
}

TEST(AuditFolderTest, ReopensTheWriterOnlyWhenTheJournalGrowsPastAFoldWithNoEvent) {
  std::string dir = TempDir();
  auto log = audit::AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  AuditFolder folder(**store, std::chrono::seconds(60));
  // No journal yet: nothing to fold, and no writer is opened.
  {
    auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    auto round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_FALSE(round->writer_busy);
  }
  Append(**log, 2);
  auto round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 2u);
  // A torn frame past the fold point (a writer killed mid-record): one fold finds no event...
  std::string journal = dir + "/" + "audit/journal.log";
  FILE* f = std::fopen(journal.c_str(), "ab");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite("\x40\x00\x00", 1, 3, f), 3u);
  std::fclose(f);
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->writer_busy);
  EXPECT_EQ(round->events, 0u);
  {
    // ...and later rounds do not try the writer again while the journal stays as it is.
    auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_FALSE(round->writer_busy);
    // The next append (which drops the torn frame) makes the journal fold again.
    Append(**log, 1);
    round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_TRUE(round->writer_busy);
  }
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 1u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 3u);
  EXPECT_EQ((*store)->Snapshot()->journal_rows(), 0u);
}

TEST(AuditFolderTest, BackgroundRoundsFoldUntilStopped) {
  std::string dir = TempDir();
  auto log = audit::AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  AuditFolder folder(**store, std::chrono::milliseconds(20));
  folder.Start();
  Append(**log, 5);
  for (int i = 0; i < 500 && (*store)->Snapshot()->journal_rows() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  folder.Stop();
  EXPECT_EQ((*store)->Snapshot()->journal_rows(), 0u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 5u);
}

}  // namespace
}  // namespace trailbook::server
