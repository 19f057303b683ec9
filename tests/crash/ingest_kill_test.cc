// Crash safety of ingest: runs `trailbook ingest` as a child process, kills it with SIGKILL
// at random moments, and checks after each kill that the store opens, every segment verifies,
// no event is stored twice, and re-running the ingest ends with exactly the right count.
//
// The short form runs in the default suite; the long form (label `slow`) kills many more
// times. TB_KILL_SEED reproduces a failing run.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "io/file.h"
#include "storage/event_schema.h"
#include "storage/store.h"

#ifndef TB_CLI_PATH
#error "TB_CLI_PATH must point at the trailbook binary"
#endif

namespace trailbook {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_kill_test_XXXXXX";
  return ::mkdtemp(tmpl);
}

// Writes `files` NDJSON files of `per_file` events over several days; every 7th file also
// repeats 20 events of the previous file (CloudTrail-style duplicates). Returns the number of
// distinct events.
uint64_t WriteInputs(const std::string& dir, int files, int per_file) {
  EXPECT_TRUE(io::CreateDirectories(dir).ok());
  uint64_t distinct = 0;
  std::string previous;
  for (int f = 0; f < files; ++f) {
    std::string text;
    for (int i = 0; i < per_file; ++i) {
      int n = f * per_file + i;
      char buf[512];
      std::snprintf(buf, sizeof(buf),
                    R"({"eventVersion":"1.08","eventTime":"2026-10-%02dT%02d:%02d:%02dZ",)"
                    R"("eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1",)"
                    R"("sourceIPAddress":"198.51.100.%d","eventID":"00000000-0000-4000-8000-%012d",)"
                    R"("requestParameters":{"bucketName":"b%d","key":"k/%d"},"readOnly":true})"
                    "\n",
                    1 + n % 9, n % 24, n % 60, (n / 60) % 60, n % 250, n, n % 13, n);
      text += buf;
      ++distinct;
    }
    if (f % 7 == 6) {
      size_t end = 0;
      for (int k = 0; k < 20 && end != std::string::npos; ++k) end = previous.find('\n', end + 1);
      if (end != std::string::npos) text += previous.substr(0, end + 1);
    }
    char name[64];
    std::snprintf(name, sizeof(name), "/part-%04d.ndjson", f);
    EXPECT_TRUE(io::WriteFileAtomic(dir + name, text).ok());
    previous = text;
  }
  return distinct;
}

// Runs ingest; kills it after `kill_after_ms` (< 0: let it finish). Returns the wait status.
int RunIngest(const std::string& store, const std::string& input, int kill_after_ms) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(TB_CLI_PATH, TB_CLI_PATH, "ingest", "--store", store.c_str(), "--no-progress",
            "--batch-mb", "1", input.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (kill_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::microseconds(kill_after_ms * 1000));
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// Opens the store read-only and checks its invariants; returns the event count.
uint64_t CheckStore(const std::string& dir) {
  if (!io::Exists(dir + "/MANIFEST")) return 0;
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return 0;
  auto snap = (*store)->Snapshot();
  std::set<std::string> ids;
  int id_col = storage::EventSchema::Get().event_id_column();
  for (const auto& seg : snap->segments()) {
    EXPECT_TRUE(seg->VerifyAll().ok()) << seg->path();
    for (uint32_t b = 0; b < seg->num_blocks(); ++b) {
      storage::StringBlock block;
      EXPECT_TRUE(seg->ReadStrings(id_col, b, &block).ok());
      for (size_t i = 0; i < block.size(); ++i) {
        EXPECT_TRUE(ids.insert(std::string(block.view(i))).second)
            << "event stored twice: " << block.view(i);
      }
    }
  }
  EXPECT_EQ(ids.size(), snap->row_count());
  return snap->row_count();
}

// Returns how many kills left a partially ingested store (0 < count < expected), i.e. really
// interrupted an ingest in the middle.
int KillLoop(int rounds, int files, int per_file) {
  int partial = 0;
  unsigned seed = static_cast<unsigned>(std::time(nullptr));
  if (const char* s = std::getenv("TB_KILL_SEED")) seed = static_cast<unsigned>(std::atoi(s));
  std::mt19937 rng(seed);
  SCOPED_TRACE("TB_KILL_SEED=" + std::to_string(seed));
  std::string root = TempDir();
  uint64_t expected = WriteInputs(root + "/in", files, per_file);
  // Calibrate: how long does a full ingest take here?
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(WEXITSTATUS(RunIngest(root + "/calibrate", root + "/in", -1)), 0);
  int full_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - t0)
                                     .count());
  EXPECT_EQ(CheckStore(root + "/calibrate"), expected);
  for (int round = 0; round < rounds; ++round) {
    std::string store = root + "/store" + std::to_string(round);
    // Up to three kills at random points, then a run to completion, then a no-op re-run.
    int kills = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < kills; ++k) {
      int at = static_cast<int>(rng() % static_cast<unsigned>(std::max(full_ms, 2)));
      RunIngest(store, root + "/in", at);
      uint64_t count = CheckStore(store);
      EXPECT_LE(count, expected) << "round " << round << " kill " << k;
      if (count > 0 && count < expected) ++partial;
    }
    int status = RunIngest(store, root + "/in", -1);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round;
    EXPECT_EQ(CheckStore(store), expected) << "round " << round;
    RunIngest(store, root + "/in", -1);
    EXPECT_EQ(CheckStore(store), expected) << "round " << round << " (re-run)";
  }
  std::printf("kill test: %d rounds, %d kills interrupted an ingest half-way (full run %d ms)\n",
              rounds, partial, full_ms);
  return partial;
}

TEST(IngestKillTest, Short) { KillLoop(4, 24, 400); }

TEST(IngestKillTest, Long) {
  // With ~100 random kills, some must land mid-ingest, or the test is not testing anything.
  EXPECT_GT(KillLoop(40, 60, 500), 5);
}

}  // namespace
}  // namespace trailbook
