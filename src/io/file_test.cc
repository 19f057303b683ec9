#include "io/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace trailbook::io {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_io_test_XXXXXX";
  char* d = ::mkdtemp(tmpl);
  EXPECT_NE(d, nullptr);
  return d;
}

TEST(FileTest, AtomicWriteThenRead) {
  std::string dir = TempDir();
  std::string path = dir + "/a.txt";
  ASSERT_TRUE(WriteFileAtomic(path, "hello", 0600).ok());
  Result<std::string> r = ReadFile(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(*FileMode(path), 0600u);
  ASSERT_TRUE(WriteFileAtomic(path, "world").ok());
  EXPECT_EQ(*ReadFile(path), "world");
}

TEST(FileTest, ReadMissingNamesPath) {
  Result<std::string> r = ReadFile("/nonexistent/tb/file");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/tb/file"), std::string::npos);
}

TEST(FileTest, ReadRespectsLimit) {
  std::string dir = TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/big", std::string(100, 'x')).ok());
  EXPECT_EQ(ReadFile(dir + "/big", 10).status().code(), StatusCode::kResourceExhausted);
}

TEST(FileTest, RecursiveListingIsSorted) {
  std::string dir = TempDir();
  ASSERT_TRUE(CreateDirectories(dir + "/b/c").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/b/c/2.json", "x").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/a.json", "x").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/b/1.json", "x").ok());
  Result<std::vector<std::string>> r = ListFilesRecursive(dir);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0], dir + "/a.json");
  EXPECT_EQ((*r)[1], dir + "/b/1.json");
  EXPECT_EQ((*r)[2], dir + "/b/c/2.json");
}

TEST(FileTest, MappedFileSeesContents) {
  std::string dir = TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/m", "mapped bytes").ok());
  auto m = MappedFile::Open(dir + "/m");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->data(), "mapped bytes");
  ASSERT_TRUE(WriteFileAtomic(dir + "/empty", "").ok());
  auto e = MappedFile::Open(dir + "/empty");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->size(), 0u);
}

TEST(FileTest, AppendAndTruncate) {
  std::string dir = TempDir();
  auto f = AppendFile::Open(dir + "/log");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Append("abc").ok());
  ASSERT_TRUE((*f)->Append("def").ok());
  ASSERT_TRUE((*f)->Sync().ok());
  EXPECT_EQ((*f)->size(), 6u);
  ASSERT_TRUE((*f)->Truncate(4).ok());
  EXPECT_EQ(*ReadFile(dir + "/log"), "abcd");
}

TEST(FileTest, CreateStartsEmpty) {
  std::string dir = TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/seg", "stale bytes from a crashed writer").ok());
  auto f = AppendFile::Create(dir + "/seg");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ((*f)->size(), 0u);
  ASSERT_TRUE((*f)->Append("new").ok());
  ASSERT_TRUE((*f)->Sync().ok());
  EXPECT_EQ(*ReadFile(dir + "/seg"), "new");
  auto g = AppendFile::Create(dir + "/fresh");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(*ReadFile(dir + "/fresh"), "");
  auto bad = AppendFile::Create(dir + "/missing/seg");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);  // ENOENT: no such directory
}

TEST(FileTest, LockIsExclusive) {
  std::string dir = TempDir();
  auto a = FileLock::Acquire(dir + "/LOCK", false);
  ASSERT_TRUE(a.ok());
  // flock locks belong to the open file description, so a second open in the same process
  // conflicts just like another process would.
  auto b = FileLock::Acquire(dir + "/LOCK", false);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace trailbook::io
