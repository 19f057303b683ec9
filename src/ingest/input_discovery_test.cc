#include "ingest/input_discovery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "io/file.h"

namespace trailbook::ingest {
namespace {

using ::testing::HasSubstr;

std::string TempDir() {
  char tmpl[] = "/tmp/tb_discovery_test_XXXXXX";
  char* d = ::mkdtemp(tmpl);
  EXPECT_NE(d, nullptr);
  return d;
}

void Touch(const std::string& path, std::string_view bytes = "{}") {
  ASSERT_TRUE(io::CreateDirectories(path.substr(0, path.find_last_of('/'))).ok());
  ASSERT_TRUE(io::WriteFileAtomic(path, bytes).ok());
}

std::vector<std::string> Paths(const std::vector<InputFile>& inputs, InputKind kind) {
  std::vector<std::string> out;
  for (const InputFile& f : inputs) {
    if (f.kind == kind) out.push_back(f.path);
  }
  return out;
}

TEST(InputDiscoveryTest, S3LayoutComesOutInTimeOrderWithDigestsSkipped) {
  std::string root = TempDir();
  std::string trail = root + "/AWSLogs/111122223333/CloudTrail/us-east-1/2024/";
  std::string digest =
      root +
      "/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/02/"
      "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240102T010000Z.json.gz";
  Touch(trail + "02/01/111122223333_CloudTrail_us-east-1_20240201T0000Z_b.json.gz");
  Touch(trail + "01/02/111122223333_CloudTrail_us-east-1_20240102T0100Z_a.json.gz");
  Touch(trail + "01/02/111122223333_CloudTrail_us-east-1_20240102T0005Z_z.json.gz", "x");
  Touch(digest);
  Touch(root + "/AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/01/02/i.json.gz");
  Touch(root + "/AWSLogs/111122223333/CloudTrail-Lake/Query/2024/01/02/q1/result_1.csv.gz");
  Touch(root + "/AWSLogs/111122223333/CloudTrail-Lake/Query/2024/01/02/q1/result_sign.json");
  Touch(root + "/AWSLogs/._hidden.json.gz");
  Touch(root + "/README.md");
  Result<std::vector<InputFile>> r = DiscoverInputs(std::vector<std::string>{root});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Paths(*r, InputKind::kLog),
            (std::vector<std::string>{
                root + "/AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/01/02/i.json.gz",
                root + "/AWSLogs/111122223333/CloudTrail-Lake/Query/2024/01/02/q1/result_1.csv.gz",
                trail + "01/02/111122223333_CloudTrail_us-east-1_20240102T0005Z_z.json.gz",
                trail + "01/02/111122223333_CloudTrail_us-east-1_20240102T0100Z_a.json.gz",
                trail + "02/01/111122223333_CloudTrail_us-east-1_20240201T0000Z_b.json.gz"}));
  EXPECT_EQ(Paths(*r, InputKind::kDigest), (std::vector<std::string>{digest}));
  EXPECT_EQ(Paths(*r, InputKind::kLakeSignFile).size(), 1u);
  EXPECT_EQ(Paths(*r, InputKind::kIgnored),
            (std::vector<std::string>{root + "/AWSLogs/._hidden.json.gz", root + "/README.md"}));
  for (const InputFile& f : *r) {
    if (f.kind == InputKind::kLog) {
      EXPECT_GT(f.mtime_ns, 0);
      EXPECT_TRUE(f.skip_reason.empty());
      EXPECT_TRUE(f.error.ok());
    } else {
      EXPECT_FALSE(f.skip_reason.empty()) << f.path;
    }
  }
  // Sizes come from stat.
  for (const InputFile& f : *r) {
    if (f.path.ends_with("_z.json.gz")) {
      EXPECT_EQ(f.size, 1u);
    }
  }
}

TEST(InputDiscoveryTest, ExplicitFilesStdinAndMissingPaths) {
  std::string root = TempDir();
  Touch(root + "/notes.md");
  Touch(root + "/x_CloudTrail-Digest_y.json.gz");
  std::vector<std::string> args = {root + "/notes.md", "-", root + "/missing.json",
                                   root + "/x_CloudTrail-Digest_y.json.gz", root + "/notes.md"};
  Result<std::vector<InputFile>> r = DiscoverInputs(args);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);                  // The repeated path is listed once.
  EXPECT_EQ((*r)[0].kind, InputKind::kLog);  // Named explicitly: read whatever its name.
  EXPECT_EQ((*r)[1].kind, InputKind::kStdin);
  EXPECT_EQ((*r)[1].path, "-");
  EXPECT_EQ((*r)[2].kind, InputKind::kUnreadable);
  EXPECT_EQ((*r)[2].error.code(), StatusCode::kNotFound);
  EXPECT_THAT((*r)[2].error.message(), HasSubstr(root + "/missing.json"));
  EXPECT_EQ((*r)[3].kind, InputKind::kDigest);
}

TEST(InputDiscoveryTest, BadArguments) {
  EXPECT_EQ(DiscoverInputs(std::vector<std::string>{}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DiscoverInputs(std::vector<std::string>{""}).status().code(),
            StatusCode::kInvalidArgument);
  Result<std::vector<InputFile>> twice = DiscoverInputs(std::vector<std::string>{"-", "-"});
  EXPECT_EQ(twice.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.status().message(), HasSubstr("more than once"));
}

TEST(InputDiscoveryTest, UnreadableEntriesDoNotStopTheWalk) {
  std::string root = TempDir();
  Touch(root + "/a/1.json");
  Touch(root + "/c/3.json");
  ASSERT_EQ(::symlink((root + "/nowhere").c_str(), (root + "/b.json").c_str()), 0);
  ASSERT_EQ(::symlink((root + "/c").c_str(), (root + "/d").c_str()), 0);
  ASSERT_EQ(::mkfifo((root + "/e.json").c_str(), 0600), 0);
  Result<std::vector<InputFile>> r = DiscoverInputs(std::vector<std::string>{root});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Paths(*r, InputKind::kLog),
            (std::vector<std::string>{root + "/a/1.json", root + "/c/3.json"}));
  EXPECT_EQ(Paths(*r, InputKind::kUnreadable), (std::vector<std::string>{root + "/b.json"}));
  EXPECT_EQ(Paths(*r, InputKind::kIgnored),
            (std::vector<std::string>{root + "/d", root + "/e.json"}));
}

TEST(InputDiscoveryTest, ClassifyPath) {
  std::string why;
  EXPECT_EQ(ClassifyPath("AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/01/d.json.gz", true, &why),
            InputKind::kDigest);
  EXPECT_EQ(ClassifyPath("x/result_sign.json", false, &why), InputKind::kLakeSignFile);
  EXPECT_EQ(ClassifyPath("x/y.JSON.GZ", true, &why), InputKind::kLog);
  EXPECT_EQ(ClassifyPath("x/y.jsonl", true, &why), InputKind::kLog);
  EXPECT_EQ(ClassifyPath("x/y.md", true, &why), InputKind::kIgnored);
  EXPECT_THAT(why, HasSubstr("not a log file name"));
  EXPECT_EQ(ClassifyPath("x/y.md", false, &why), InputKind::kLog);
  EXPECT_EQ(InputKindName(InputKind::kLakeSignFile), "lake-sign-file");
  EXPECT_TRUE(IsReadable(InputKind::kUnreadable));
  EXPECT_FALSE(IsReadable(InputKind::kDigest));
}

}  // namespace
}  // namespace trailbook::ingest
