// Runs the third-party verification recipe of docs/format/snapshot.md, exactly as written
// there, with the real openssl, sha256sum and gunzip binaries, on real snapshots: it must
// accept an intact snapshot (Ed25519 and ES256) and reject tampered ones.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "snapshot/snapshot_key.h"
#include "snapshot/snapshot_manifest.h"
#include "snapshot/testing/snapshot_testing.h"

namespace trailbook::snapshot {
namespace {

using testing::ScratchDir;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(const std::string& path, const std::string& bytes, mode_t mode = 0644) {
  chmod(path.c_str(), 0644);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  chmod(path.c_str(), mode);
}

// The shell block between the verify-recipe markers of the format document.
std::string RecipeFromDocs() {
  std::string doc = Read("docs/format/snapshot.md");
  size_t begin = doc.find("<!-- verify-recipe:begin -->");
  size_t end = doc.find("<!-- verify-recipe:end -->");
  if (begin == std::string::npos || end == std::string::npos) return "";
  std::string block = doc.substr(begin, end - begin);
  size_t code = block.find("```sh\n");
  size_t close = block.rfind("```");
  if (code == std::string::npos || close <= code) return "";
  return block.substr(code + 6, close - code - 6);
}

class SnapshotRecipeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    script_ = scratch_.path() + "/recipe.sh";
    std::string recipe = RecipeFromDocs();
    ASSERT_FALSE(recipe.empty()) << "no verify recipe in docs/format/snapshot.md (run from the repo root)";
    Write(script_, recipe);
  }

  // Runs the recipe; returns its exit status.
  int RunRecipe(const std::string& snap, const std::string& id, const std::string& pubkey) {
    std::string log = scratch_.path() + "/recipe.log";
    std::string command = "SNAP='" + snap + "' ID='" + id + "' PUBKEY='" + pubkey + "' bash '" +
                          script_ + "' > '" + log + "' 2>&1";
    int rc = std::system(command.c_str());
    last_log_ = Read(log);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
  }

  SnapshotInfo MakeSnapshot(auth::JwsAlgorithm alg, const std::string& kid, std::string* pubkey) {
    Result<testing::TestKeys> keys = testing::MakeKeyFiles(scratch_.path() + "/keys-" + kid, alg, kid);
    EXPECT_TRUE(keys.ok());
    Result<SnapshotSigningKey> key = SnapshotSigningKey::LoadFile(keys->private_key_path);
    EXPECT_TRUE(key.ok());
    *pubkey = scratch_.path() + "/" + kid + ".pub.pem";
    Write(*pubkey, key->public_key_pem());
    Result<SnapshotInfo> info =
        testing::WriteTestSnapshot(scratch_.path() + "/snapshots", *key, 2500);
    EXPECT_TRUE(info.ok());
    return *info;
  }

  ScratchDir scratch_;
  std::string script_;
  std::string last_log_;
};

TEST_F(SnapshotRecipeTest, VerifiesIntactSnapshotsWithOpensslAndSha256sum) {
  for (auto [alg, kid] : {std::pair{auth::JwsAlgorithm::kEdDSA, "ed"},
                          std::pair{auth::JwsAlgorithm::kES256, "ec"}}) {
    std::string pubkey;
    SnapshotInfo info = MakeSnapshot(alg, kid, &pubkey);
    EXPECT_EQ(RunRecipe(info.dir, info.id, pubkey), 0) << last_log_;
    EXPECT_NE(last_log_.find("verified: 2500 rows"), std::string::npos) << last_log_;
    // The key shipped inside the snapshot has the same fingerprint.
    EXPECT_EQ(RunRecipe(info.dir, info.id, info.dir + "/" + kPublicKeyFile), 0) << last_log_;
  }
}

TEST_F(SnapshotRecipeTest, RejectsTamperedSnapshots) {
  std::string pubkey;
  SnapshotInfo info = MakeSnapshot(auth::JwsAlgorithm::kEdDSA, "ed", &pubkey);
  ASSERT_EQ(RunRecipe(info.dir, info.id, pubkey), 0) << last_log_;

  // A flipped byte in a result file.
  std::string csv = Read(info.dir + "/" + kCsvFile);
  std::string flipped = csv;
  flipped[flipped.size() / 3] = static_cast<char>(flipped[flipped.size() / 3] ^ 0x20);
  Write(info.dir + "/" + kCsvFile, flipped, 0444);
  EXPECT_NE(RunRecipe(info.dir, info.id, pubkey), 0) << last_log_;
  EXPECT_NE(last_log_.find("FAILED"), std::string::npos) << last_log_;
  Write(info.dir + "/" + kCsvFile, csv, 0444);
  ASSERT_EQ(RunRecipe(info.dir, info.id, pubkey), 0) << last_log_;

  // An edited manifest.
  std::string manifest = Read(info.dir + "/" + kManifestFile);
  std::string edited = manifest;
  edited.replace(edited.find("alice"), 5, "bobby");
  Write(info.dir + "/" + kManifestFile, edited, 0444);
  EXPECT_NE(RunRecipe(info.dir, info.id, pubkey), 0) << last_log_;
  Write(info.dir + "/" + kManifestFile, manifest, 0444);

  // Another key.
  std::string other_pubkey;
  MakeSnapshot(auth::JwsAlgorithm::kEdDSA, "other", &other_pubkey);
  EXPECT_NE(RunRecipe(info.dir, info.id, other_pubkey), 0) << last_log_;

  // Another snapshot's id.
  EXPECT_NE(RunRecipe(info.dir, "20260101T000000.000000Z-0000000000000000", pubkey), 0) << last_log_;
  ASSERT_EQ(RunRecipe(info.dir, info.id, pubkey), 0) << last_log_;
}

}  // namespace
}  // namespace trailbook::snapshot
