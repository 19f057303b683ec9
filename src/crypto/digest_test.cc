#include "crypto/digest.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace trailbook::crypto {
namespace {

TEST(DigestTest, Sha256KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, StreamingMatchesOneShot) {
  Sha256Hasher h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
  h.Update("abc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));  // reset after Finish
}

TEST(DigestTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(DigestTest, RandomUuidShape) {
  Result<std::string> a = RandomUuid();
  Result<std::string> b = RandomUuid();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 36u);
  EXPECT_EQ((*a)[14], '4');
  EXPECT_NE(*a, *b);
}

// Ids come from a per-thread pool refilled 64 at a time: across many refills and threads
// every id is well formed and distinct.
TEST(DigestTest, RandomUuidsAreDistinctAcrossPoolRefillsAndThreads) {
  constexpr int kThreads = 4, kPerThread = 1000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Result<std::string> id = RandomUuid();
        ASSERT_TRUE(id.ok());
        ids[static_cast<size_t>(t)].push_back(*id);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : ids) {
    for (const std::string& id : v) {
      ASSERT_EQ(id.size(), 36u) << id;
      EXPECT_EQ(id[8], '-');
      EXPECT_EQ(id[13], '-');
      EXPECT_EQ(id[18], '-');
      EXPECT_EQ(id[23], '-');
      EXPECT_EQ(id[14], '4') << id;
      EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
      EXPECT_TRUE(all.insert(id).second) << "duplicate " << id;
    }
  }
  EXPECT_EQ(all.size(), size_t{kThreads * kPerThread});
}

// A forked child must not hand out the ids its parent has pooled but not yet used.
TEST(DigestTest, ForkedChildDoesNotRepeatTheParentsPooledIds) {
  ASSERT_TRUE(RandomUuid().ok());  // The pool now holds unused ids.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    Result<std::string> id = RandomUuid();
    std::string text = id.ok() ? *id : std::string(36, '!');
    ssize_t n = ::write(pipe_fds[1], text.data(), text.size());
    ::_exit(n == 36 ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  Result<std::string> parent = RandomUuid();
  char buf[36];
  size_t got = 0;
  while (got < sizeof(buf)) {
    ssize_t n = ::read(pipe_fds[0], buf + got, sizeof(buf) - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(got, 36u);
  ASSERT_TRUE(parent.ok());
  EXPECT_NE(std::string(buf, 36), *parent) << "the child reused the parent's pooled id";
}

}  // namespace
}  // namespace trailbook::crypto
