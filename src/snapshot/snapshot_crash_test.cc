// Crash safety: a process killed (SIGKILL) at a random moment while writing snapshots
// leaves, for each snapshot, either nothing, a complete snapshot that verifies, or a
// .tmp-* directory that is not listed (and verifies only if every file was complete before
// the kill). Never a partial <id> directory, and nothing partial that verifies.
//
// The default build runs a short loop; snapshot_crash_slow_test (label slow) a long one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "io/file.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/testing/snapshot_testing.h"

#ifndef TB_SNAPSHOT_CRASH_ITERATIONS
#define TB_SNAPSHOT_CRASH_ITERATIONS 12
#endif

namespace trailbook::snapshot {
namespace {

constexpr int kSnapshotsPerChild = 3;
constexpr uint64_t kRowsPerSnapshot = 10000;

// Forks a child that writes kSnapshotsPerChild snapshots; kills it after `delay` unless
// `delay` is negative. Returns the child's run time when it was not killed.
std::chrono::microseconds RunChild(const std::string& snapshots_dir, const SnapshotSigningKey& key,
                                   std::chrono::microseconds delay) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    SnapshotWriterOptions options;
    options.member_bytes = 64 << 10;  // many appends, so kills land mid-file
    for (int i = 0; i < kSnapshotsPerChild; ++i) {
      if (!testing::WriteTestSnapshot(snapshots_dir, key, kRowsPerSnapshot, options).ok()) _exit(3);
    }
    _exit(0);
  }
  EXPECT_GT(pid, 0);
  if (delay.count() >= 0) {
    std::this_thread::sleep_for(delay);
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (delay.count() < 0) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

TEST(SnapshotCrashTest, KillDuringWritingNeverLeavesAPartialSnapshotThatVerifies) {
  testing::ScratchDir dir;
  Result<testing::TestKeys> keys =
      testing::MakeKeyFiles(dir.path() + "/keys", auth::JwsAlgorithm::kEdDSA, "runner-1");
  ASSERT_TRUE(keys.ok());
  Result<SnapshotSigningKey> key = SnapshotSigningKey::LoadFile(keys->private_key_path);
  ASSERT_TRUE(key.ok());
  Result<auth::JwkSet> trusted = LoadTrustedSnapshotKeys(keys->jwks_path);
  ASSERT_TRUE(trusted.ok());
  std::string snapshots = dir.path() + "/snapshots";

  // Calibrate: how long an uninterrupted child takes on this machine.
  std::chrono::microseconds full = RunChild(dir.path() + "/calibration", *key,
                                            std::chrono::microseconds(-1));
  std::mt19937_64 rng(20261124);
  std::uniform_int_distribution<int64_t> pick(0, full.count());

  size_t complete = 0, partial = 0, unpublished = 0;
  for (int i = 0; i < TB_SNAPSHOT_CRASH_ITERATIONS; ++i) {
    RunChild(snapshots, *key, std::chrono::microseconds(pick(rng)));
  }
  Result<std::vector<std::string>> entries = io::ListDirectory(snapshots);
  ASSERT_TRUE(entries.ok());
  for (const std::string& name : *entries) {
    std::string path = snapshots + "/" + name;
    VerifyOptions options;
    if (ValidateSnapshotId(name).ok()) {
      options.expected_id = name;
      VerifyReport report = VerifySnapshot(path, *trusted, options);
      EXPECT_TRUE(report.ok()) << name << ": " << report.first_failure()->name << ": "
                               << report.first_failure()->detail;
      ++complete;
    } else {
      // An unpublished writer directory. It verifies only when every file was written and
      // synced (the kill fell between the last fsync and the rename); then it is complete,
      // just never published. Otherwise it must fail verification.
      ASSERT_EQ(name.rfind(".tmp-", 0), 0u) << name;
      VerifyReport report = VerifySnapshot(path, *trusted, options);
      if (report.ok()) {
        ++unpublished;
      } else {
        ++partial;
      }
    }
  }
  Result<std::vector<SnapshotSummary>> listed = ListSnapshots(snapshots);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), complete);
  for (const SnapshotSummary& s : *listed) {
    EXPECT_TRUE(s.error.empty()) << s.id << ": " << s.error;
    EXPECT_EQ(s.rows, kRowsPerSnapshot);
  }
  // The kills must actually have interrupted writers for the test to mean anything.
  EXPECT_GT(partial, 0u) << "no kill landed mid-write in " << TB_SNAPSHOT_CRASH_ITERATIONS
                         << " runs (complete: " << complete << ")";
  RecordProperty("complete_snapshots", static_cast<int>(complete));
  RecordProperty("interrupted_snapshots", static_cast<int>(partial));
  RecordProperty("complete_unpublished_snapshots", static_cast<int>(unpublished));
}

}  // namespace
}  // namespace trailbook::snapshot
