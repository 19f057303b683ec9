// The writer and the verifier together, and the tamper suite: every way of altering a
// snapshot must be caught and named.
#include <gtest/gtest.h>
#include <libdeflate.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/jwks/key_files.h"
#include "crypto/digest.h"
#include "ingest/gzip.h"
#include "ingest/padded_buffer.h"
#include "io/file.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_key.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"
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

// Replaces a (read-only) snapshot file, as an attacker with file access would.
void Overwrite(const std::string& path, const std::string& bytes) {
  chmod(path.c_str(), 0644);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

std::string Gunzip(const std::string& gz) {
  ingest::GzipDecoder decoder;
  ingest::PaddedBuffer out;
  EXPECT_TRUE(decoder.Decompress(gz, 1 << 30, &out).ok());
  return std::string(out.view());
}

std::string Gzip(const std::string& text) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  std::string out(libdeflate_gzip_compress_bound(c, text.size()), '\0');
  out.resize(libdeflate_gzip_compress(c, text.data(), text.size(), out.data(), out.size()));
  libdeflate_free_compressor(c);
  return out;
}

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<testing::TestKeys> keys =
        testing::MakeKeyFiles(dir_.path() + "/keys", auth::JwsAlgorithm::kEdDSA, "runner-1");
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = *keys;
    Result<SnapshotSigningKey> key = SnapshotSigningKey::LoadFile(keys_.private_key_path);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    key_.emplace(std::move(*key));
    snapshots_ = dir_.path() + "/store/snapshots";
  }

  auth::JwkSet Trusted() {
    Result<auth::JwkSet> set = LoadTrustedSnapshotKeys(keys_.jwks_path);
    EXPECT_TRUE(set.ok()) << set.status().ToString();
    return std::move(*set);
  }

  SnapshotInfo Write(uint64_t rows, const SnapshotWriterOptions& options = {}) {
    Result<SnapshotInfo> info = testing::WriteTestSnapshot(snapshots_, *key_, rows, options);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? *info : SnapshotInfo{};
  }

  VerifyReport Verify(const SnapshotInfo& info, VerifyOptions options = {}) {
    if (!options.expected_id) options.expected_id = info.id;
    return VerifySnapshot(info.dir, Trusted(), options);
  }

  // Expects verification to fail, with `check` the first failed check.
  void ExpectCaught(const VerifyReport& report, const std::string& check,
                    const std::string& detail_part = "") {
    ASSERT_FALSE(report.ok());
    const VerifyCheck* failure = report.first_failure();
    ASSERT_NE(failure, nullptr);
    EXPECT_EQ(failure->name, check) << failure->detail;
    EXPECT_NE(failure->detail.find(detail_part), std::string::npos) << failure->detail;
  }

  ScratchDir dir_;
  testing::TestKeys keys_;
  std::optional<SnapshotSigningKey> key_;
  std::string snapshots_;
};

TEST_F(SnapshotTest, WritesAVerifiableSnapshot) {
  SnapshotInfo info = Write(5000);
  EXPECT_EQ(info.rows, 5000u);
  EXPECT_EQ(info.dir, snapshots_ + "/" + info.id);
  VerifyReport report = Verify(info);
  for (const VerifyCheck& c : report.checks) EXPECT_TRUE(c.ok) << c.name << ": " << c.detail;
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.checks.size(), 11u);
  ASSERT_TRUE(report.manifest.has_value());
  EXPECT_EQ(report.manifest->result_sha256, info.result_sha256);
  EXPECT_EQ(report.manifest->principal.subject, "alice@example.com");
  EXPECT_EQ(report.manifest->store.segment_ids, (std::vector<uint64_t>{3, 4, 9}));

  // The files are what the manifest says they are.
  std::string ndjson = Gunzip(Read(info.dir + "/" + kNdjsonFile));
  EXPECT_EQ(crypto::ToHex(crypto::Sha256(ndjson)), info.result_sha256);
  EXPECT_EQ(ndjson.substr(0, ndjson.find('\n')),
            "{\"eventName\":\"ConsoleLogin\",\"n\":-100,\"ratio\":0,"
            "\"eventTime\":\"2026-01-01T00:00:00Z\",\"readOnly\":null}");
  std::string csv = Gunzip(Read(info.dir + "/" + kCsvFile));
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1), "eventName,n,ratio,eventTime,readOnly\r\n");
  EXPECT_NE(csv.find("\"say \"\"hi\"\"\""), std::string::npos);
  Result<uint64_t> records = CountCsvRecords(csv);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(*records, 5001u);

  // Read-only evidence, no temporary directory left behind.
  struct stat st;
  ASSERT_EQ(stat((info.dir + "/" + kManifestFile).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  Result<std::vector<std::string>> entries = io::ListDirectory(snapshots_);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, std::vector<std::string>{info.id});
}

TEST_F(SnapshotTest, EmptyResultAndManyGzipMembersVerify) {
  SnapshotInfo empty = Write(0);
  EXPECT_TRUE(Verify(empty).ok());
  EXPECT_EQ(Gunzip(Read(empty.dir + "/" + kNdjsonFile)), "");
  SnapshotWriterOptions options;
  options.member_bytes = 1000;  // dozens of members per file
  SnapshotInfo multi = Write(3000, options);
  VerifyReport report = Verify(multi);
  EXPECT_TRUE(report.ok()) << (report.first_failure() ? report.first_failure()->detail : "");
  SnapshotInfo single = Write(3000);
  EXPECT_EQ(multi.result_sha256, single.result_sha256);
}

TEST_F(SnapshotTest, Es256SnapshotsVerify) {
  Result<testing::TestKeys> keys =
      testing::MakeKeyFiles(dir_.path() + "/ec", auth::JwsAlgorithm::kES256, "runner-ec");
  ASSERT_TRUE(keys.ok());
  Result<SnapshotSigningKey> key = SnapshotSigningKey::LoadFile(keys->private_key_path);
  ASSERT_TRUE(key.ok());
  Result<SnapshotInfo> info = testing::WriteTestSnapshot(snapshots_, *key, 100);
  ASSERT_TRUE(info.ok());
  Result<auth::JwkSet> trusted = LoadTrustedSnapshotKeys(keys->jwks_path);
  ASSERT_TRUE(trusted.ok());
  EXPECT_TRUE(VerifySnapshot(info->dir, *trusted, {}).ok());
  // The Ed25519 key set does not vouch for it.
  ExpectCaught(VerifySnapshot(info->dir, Trusted(), {}), "key", "runner-ec");
}

TEST_F(SnapshotTest, FlippedByteInAResultFileIsCaught) {
  for (const char* file : {kCsvFile, kNdjsonFile}) {
    SnapshotInfo info = Write(1000);
    std::string path = info.dir + "/" + file;
    std::string bytes = Read(path);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    Overwrite(path, bytes);
    ExpectCaught(Verify(info), std::string("file ") + file, "does not match the manifest");
  }
}

TEST_F(SnapshotTest, DeletedRowIsCaught) {
  SnapshotInfo info = Write(1000);
  std::string path = info.dir + "/" + kNdjsonFile;
  std::string text = Gunzip(Read(path));
  size_t second = text.find('\n') + 1;
  text.erase(second, text.find('\n', second) + 1 - second);  // drop row 2
  Overwrite(path, Gzip(text));
  ExpectCaught(Verify(info), std::string("file ") + kNdjsonFile);

  // Also after "fixing" the file size and hash in the manifest: then the signature breaks.
  SnapshotInfo other = Write(1000);
  std::string ndjson_path = other.dir + "/" + kNdjsonFile;
  std::string old_gz = Read(ndjson_path);
  std::string rows = Gunzip(old_gz);
  rows.erase(0, rows.find('\n') + 1);
  std::string new_gz = Gzip(rows);
  Overwrite(ndjson_path, new_gz);
  std::string manifest = Read(other.dir + "/" + kManifestFile);
  auto replace = [&manifest](const std::string& from, const std::string& to) {
    size_t at = manifest.find(from);
    ASSERT_NE(at, std::string::npos);
    manifest.replace(at, from.size(), to);
  };
  replace(crypto::ToHex(crypto::Sha256(old_gz)), crypto::ToHex(crypto::Sha256(new_gz)));
  replace("\"bytes\":" + std::to_string(old_gz.size()) + ",\"compression\":\"gzip\",\"format\":\"ndjson\"",
          "\"bytes\":" + std::to_string(new_gz.size()) + ",\"compression\":\"gzip\",\"format\":\"ndjson\"");
  Overwrite(other.dir + "/" + kManifestFile, manifest);
  VerifyReport report = Verify(other);
  ExpectCaught(report, "signature", "does not verify");
  // The row count check names the file too.
  bool rows_caught = false;
  for (const VerifyCheck& c : report.checks) {
    if (c.name == std::string("rows ") + kNdjsonFile && !c.ok) rows_caught = true;
  }
  EXPECT_TRUE(rows_caught);
}

TEST_F(SnapshotTest, EditedManifestIsCaught) {
  SnapshotInfo info = Write(10);
  std::string path = info.dir + "/" + kManifestFile;
  std::string manifest = Read(path);
  size_t at = manifest.find("alice@example.com");
  ASSERT_NE(at, std::string::npos);
  manifest.replace(at, 5, "mallo");
  Overwrite(path, manifest);
  ExpectCaught(Verify(info), "signature", "manifest.json: signature does not verify");

  // A whitespace-only change is an edit too.
  SnapshotInfo other = Write(10);
  Overwrite(other.dir + "/" + kManifestFile, Read(other.dir + "/" + kManifestFile) + "\n");
  ExpectCaught(Verify(other), "signature");
}

TEST_F(SnapshotTest, SwappedManifestsAreCaught) {
  SnapshotInfo a = Write(10);
  SnapshotInfo b = Write(20);
  // Swap manifest and signature file together: each signature still verifies, but the
  // manifest names another snapshot and other file hashes.
  for (const char* f : {kManifestFile, kSignatureFile}) {
    std::string fa = Read(a.dir + "/" + f);
    std::string fb = Read(b.dir + "/" + f);
    Overwrite(a.dir + "/" + f, fb);
    Overwrite(b.dir + "/" + f, fa);
  }
  VerifyReport report = Verify(a);
  ExpectCaught(report, "binding", "is not " + a.id);
  bool hash_caught = false;
  for (const VerifyCheck& c : report.checks) {
    if (c.name.rfind("file result", 0) == 0 && !c.ok) hash_caught = true;
  }
  EXPECT_TRUE(hash_caught);
  // An exported copy (no expected id) is still caught by the file hashes.
  VerifyReport exported = VerifySnapshot(b.dir, Trusted(), {});
  ExpectCaught(exported, std::string("file ") + kCsvFile);

  // Swapping only the manifest breaks the signature.
  SnapshotInfo c = Write(10);
  SnapshotInfo d = Write(10);
  std::string mc = Read(c.dir + "/" + kManifestFile);
  Overwrite(c.dir + "/" + kManifestFile, Read(d.dir + "/" + kManifestFile));
  Overwrite(d.dir + "/" + kManifestFile, mc);
  ExpectCaught(Verify(c), "signature");
}

TEST_F(SnapshotTest, WrongKeyAndForgedSignatureAreCaught) {
  SnapshotInfo info = Write(10);
  // A trusted set holding a different key under the same kid.
  ScratchDir other;
  Result<testing::TestKeys> impostor =
      testing::MakeKeyFiles(other.path(), auth::JwsAlgorithm::kEdDSA, "runner-1");
  ASSERT_TRUE(impostor.ok());
  Result<auth::JwkSet> impostor_set = LoadTrustedSnapshotKeys(impostor->jwks_path);
  ASSERT_TRUE(impostor_set.ok());
  ExpectCaught(VerifySnapshot(info.dir, *impostor_set, {}), "key", "fingerprint differs");

  // A forger re-signs an edited manifest with their own key and claims the trusted kid.
  Result<SnapshotSigningKey> forger = SnapshotSigningKey::LoadFile(impostor->private_key_path);
  ASSERT_TRUE(forger.ok());
  std::string manifest = Read(info.dir + "/" + kManifestFile);
  manifest.replace(manifest.find("alice"), 5, "bobby");
  Result<std::string> forged = forger->Sign(manifest);
  ASSERT_TRUE(forged.ok());
  std::string sign = Read(info.dir + "/" + kSignatureFile);
  size_t start = sign.find("\"signature\":\"") + 13;
  sign.replace(start, sign.find('"', start) - start, Base64Encode(*forged));
  Overwrite(info.dir + "/" + kManifestFile, manifest);
  Overwrite(info.dir + "/" + kSignatureFile, sign);
  ExpectCaught(Verify(info), "signature", "does not verify");

  // ... and also swaps in their key's fingerprint: the trusted key's fingerprint differs.
  size_t fp = sign.find("\"publicKeyFingerprint\":\"") + 24;
  sign.replace(fp, 64, forger->public_key_sha256());
  Overwrite(info.dir + "/" + kSignatureFile, sign);
  ExpectCaught(Verify(info), "key", "fingerprint differs");

  // An unknown kid.
  SnapshotInfo fresh = Write(10);
  std::string fresh_sign = Read(fresh.dir + "/" + kSignatureFile);
  fresh_sign.replace(fresh_sign.find("\"keyId\":\"runner-1\""), 18, "\"keyId\":\"runner-9\"");
  Overwrite(fresh.dir + "/" + kSignatureFile, fresh_sign);
  ExpectCaught(Verify(fresh), "key", "runner-9");
}

TEST_F(SnapshotTest, RotatedKeysKeepOldSnapshotsVerifiable) {
  SnapshotInfo old_snapshot = Write(10);
  // Rotate: a second key in the same key directory, added to the same JWKS.
  Result<testing::TestKeys> next =
      testing::MakeKeyFiles(dir_.path() + "/keys", auth::JwsAlgorithm::kES256, "runner-2");
  ASSERT_TRUE(next.ok());
  Result<SnapshotSigningKey> next_key = SnapshotSigningKey::LoadFile(next->private_key_path);
  ASSERT_TRUE(next_key.ok());
  Result<SnapshotInfo> new_snapshot = testing::WriteTestSnapshot(snapshots_, *next_key, 10);
  ASSERT_TRUE(new_snapshot.ok());
  auth::JwkSet trusted = Trusted();
  EXPECT_EQ(trusted.size(), 2u);
  EXPECT_TRUE(VerifySnapshot(old_snapshot.dir, trusted, {}).ok());
  EXPECT_TRUE(VerifySnapshot(new_snapshot->dir, trusted, {}).ok());
}

TEST_F(SnapshotTest, MissingAndExtraFilesAreCaught) {
  SnapshotInfo info = Write(10);
  ASSERT_TRUE(io::RemoveFile(info.dir + "/" + kCsvFile).ok());
  ExpectCaught(Verify(info), "file set", "missing result.csv.gz");

  SnapshotInfo extra = Write(10);
  Overwrite(extra.dir + "/result_2.csv.gz", "x");
  ExpectCaught(Verify(extra), "file set", "unexpected result_2.csv.gz");

  SnapshotInfo unsigned_snapshot = Write(10);
  ASSERT_TRUE(io::RemoveFile(unsigned_snapshot.dir + "/" + kSignatureFile).ok());
  ExpectCaught(Verify(unsigned_snapshot), "file set", "missing result_sign.json");
}

TEST_F(SnapshotTest, RerunDigestIsCompared) {
  SnapshotInfo info = Write(100);
  VerifyOptions same;
  same.rerun_digest = info.result_sha256;
  EXPECT_TRUE(Verify(info, same).ok());
  VerifyOptions different;
  different.rerun_digest = std::string(64, '0');
  ExpectCaught(Verify(info, different), "rerun", "differs");
}

TEST_F(SnapshotTest, AbandonedWriterLeavesNothing) {
  {
    Result<std::unique_ptr<SnapshotWriter>> writer =
        SnapshotWriter::Create(snapshots_, testing::TestRequest(), testing::TestColumnNames(),
                               testing::TestColumnTypes(), *key_, {});
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(testing::TestChunk(0, 100)).ok());
  }
  Result<std::vector<std::string>> entries = io::ListDirectory(snapshots_);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST_F(SnapshotTest, CatalogListsShowsAndExports) {
  SnapshotInfo a = Write(3);
  SnapshotInfo b = Write(4);
  ASSERT_TRUE(io::CreateDirectories(snapshots_ + "/.tmp-20990101T000000.000000Z-0000000000000000").ok());
  Result<std::vector<SnapshotSummary>> list = ListSnapshots(snapshots_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, std::min(a.id, b.id));
  EXPECT_EQ((*list)[0].runbook_id, "ir.principal-activity");
  EXPECT_EQ((*list)[0].subject, "alice@example.com");
  EXPECT_EQ((*list)[0].rows + (*list)[1].rows, 7u);

  EXPECT_EQ(FindSnapshot(snapshots_, "../keys").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FindSnapshot(snapshots_, "20990101T000000.000000Z-0000000000000001").status().code(),
            StatusCode::kNotFound);
  Result<std::string> found = FindSnapshot(snapshots_, a.id);
  ASSERT_TRUE(found.ok());

  std::string dest = dir_.path() + "/export/evidence";
  ASSERT_TRUE(ExportSnapshot(*found, dest).ok());
  VerifyOptions options;
  options.expected_id = a.id;
  EXPECT_TRUE(VerifySnapshot(dest, Trusted(), options).ok());
  EXPECT_EQ(ExportSnapshot(*found, dest).code(), StatusCode::kAlreadyExists);
}

TEST(SnapshotCsvTest, CountsRfc4180Records) {
  auto count = [](std::string_view s) {
    Result<uint64_t> n = CountCsvRecords(s);
    return n.ok() ? static_cast<int64_t>(*n) : -1;
  };
  EXPECT_EQ(count(""), 0);
  EXPECT_EQ(count("a,b\r\n"), 1);
  EXPECT_EQ(count("a,b\r\n1,2"), 2);
  EXPECT_EQ(count("a\r\n\"x\r\ny\",\"q\"\"\"\r\n"), 2);
  EXPECT_EQ(count("a\r\n\"open\r\n"), -1);
}

}  // namespace
}  // namespace trailbook::snapshot
