#include "snapshot/testing/snapshot_testing.h"

#include <stdlib.h>

#include <filesystem>
#include <system_error>

#include "auth/jwks/key_files.h"
#include "base/check.h"
#include "sql/types/vector.h"

namespace trailbook::snapshot::testing {

ScratchDir::ScratchDir() {
  const char* tmp = getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/tb_snapshot_XXXXXX";
  TB_CHECK(mkdtemp(pattern.data()) != nullptr) << "mkdtemp failed";
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  // Snapshot files and directories may be read-only; make them writable to remove them.
  for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
  }
  std::filesystem::remove_all(path_, ec);
}

Result<TestKeys> MakeKeyFiles(const std::string& dir, auth::JwsAlgorithm alg,
                              const std::string& kid) {
  TB_ASSIGN_OR_RETURN(auth::KeyFiles files, auth::GenerateKeyFiles(dir, alg, kid));
  return TestKeys{files.private_key_path, files.jwks_path};
}

std::vector<std::string> TestColumnNames() {
  return {"eventName", "n", "ratio", "eventTime", "readOnly"};
}

std::vector<sql::LogicalType> TestColumnTypes() {
  return {sql::LogicalType::Varchar(), sql::LogicalType::Bigint(), sql::LogicalType::Double(),
          sql::LogicalType::Timestamp(), sql::LogicalType::Boolean()};
}

sql::DataChunk TestChunk(uint64_t first, size_t n) {
  static const char* const kNames[] = {"ConsoleLogin", "Put,Object", "say \"hi\"", "line\nbreak",
                                       "crlf\r\nend", "caf\xC3\xA9", "", "AssumeRole"};
  sql::DataChunk chunk;
  chunk.Initialize(TestColumnTypes());
  chunk.ResizeAll(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t row = first + i;
    if (row % 11 == 3) {
      chunk.columns[0].SetNull(i);
    } else {
      chunk.columns[0].SetString(i, kNames[row % 8]);
    }
    chunk.columns[1].Data<int64_t>()[i] = static_cast<int64_t>(row) * 7 - 100;
    chunk.columns[2].Data<double>()[i] = static_cast<double>(row) / 8.0;
    chunk.columns[3].Data<int64_t>()[i] =
        1767225600000000 + static_cast<int64_t>(row) * 1000001;  // 2026-01-01 onwards
    if (row % 5 == 0) {
      chunk.columns[4].SetNull(i);
    } else {
      chunk.columns[4].Data<uint8_t>()[i] = row % 2 == 0 ? 1 : 0;
    }
  }
  return chunk;
}

SnapshotRequest TestRequest() {
  SnapshotRequest r;
  r.runbook = {"ir.principal-activity", "3",
               "5f1c3a9e0b7d2c4e6a8f0b1d3c5e7a9f1b3d5c7e9a0b2c4d6e8f0a1b3c5d7e9f"};
  r.parameters["principal_arn"] = sql::Value::Varchar("arn:aws:iam::123456789012:user/alice");
  r.parameters["start"] = sql::Value::Timestamp(1767225600000000);
  r.parameters["limit"] = sql::Value::Bigint(500);
  r.principal = {"alice@example.com", "https://idp.example.com", "jti-7f3a"};
  r.constraints.accounts = std::vector<std::string>{"123456789012"};
  r.constraints.min_time = 1767225600000000;
  r.store.store_id = "0b6a3f0e-2f7c-4d8e-9a1b-3c5d7e9f0a1b";
  r.store.sequence = 42;
  r.store.segment_ids = {3, 4, 9};
  r.store.rows = 123456;
  r.store.min_event_time_us = 1767225600000000;
  r.store.max_event_time_us = 1767312000000000;
  return r;
}

Result<SnapshotInfo> WriteTestSnapshot(const std::string& snapshots_dir,
                                       const SnapshotSigningKey& key, uint64_t rows,
                                       const SnapshotWriterOptions& options) {
  TB_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotWriter> writer,
                      SnapshotWriter::Create(snapshots_dir, TestRequest(), TestColumnNames(),
                                             TestColumnTypes(), key, options));
  for (uint64_t first = 0; first < rows; first += sql::kBatchSize) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(sql::kBatchSize, rows - first));
    TB_RETURN_IF_ERROR(writer->Append(TestChunk(first, n)));
  }
  return writer->Commit();
}

}  // namespace trailbook::snapshot::testing
