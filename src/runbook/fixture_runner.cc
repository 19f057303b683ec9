#include "runbook/fixture_runner.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "base/clock.h"
#include "base/timestamp.h"
#include "ingest/ingest_pipeline.h"
#include "io/file.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"
#include "storage/store.h"

namespace trailbook::runbook {
namespace {

// A temporary directory removed on destruction.
class ScratchDir {
 public:
  static Result<ScratchDir> Create() {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string templ = (base / "trailbook-runbook-test-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) return IOError("cannot create a temporary directory in " + base.string());
    return ScratchDir(templ);
  }
  ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDir(const ScratchDir&) = delete;
  ~ScratchDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Status IngestFiles(const std::string& dir, const std::vector<std::string>& inputs) {
  TB_ASSIGN_OR_RETURN(auto store, storage::Store::Open(dir, storage::Store::Mode::kReadWrite));
  ingest::IngestOptions options;
  options.threads = 1;
  options.batch_bytes = size_t{16} << 20;
  TB_ASSIGN_OR_RETURN(ingest::IngestSummary summary, ingest::Ingest(*store, inputs, options, nullptr));
  if (summary.anything_rejected()) {
    std::string why;
    for (const auto& f : summary.rejected_files) why = f.path + ": " + f.reason;
    for (const auto& r : summary.rejected_records) why = r;
    return InvalidArgument("fixture events rejected by ingest: " + why);
  }
  return Status::OK();
}

std::string RowText(const std::vector<std::string>& row) {
  std::string s = "[";
  for (size_t i = 0; i < row.size(); ++i) s += (i ? ", " : "") + row[i];
  return s + "]";
}

FixtureResult RunCase(const Runbook& rb, const RunbookTestCase& tc) {
  FixtureResult result;
  result.test_name = tc.name;
  result.line = tc.line;
  auto fail = [&](std::string message) {
    result.message = std::move(message);
    return result;
  };
  Result<ScratchDir> scratch = ScratchDir::Create();
  if (!scratch.ok()) return fail(scratch.status().message());
  std::string store_dir = scratch->path() + "/store";
  Status built;
  if (!tc.events_file.empty()) {
    std::filesystem::path file = tc.events_file;
    if (file.is_relative()) file = std::filesystem::path(rb.source_path).parent_path() / file;
    built = IngestFiles(store_dir, {file.string()});
  } else {
    built = BuildStoreFromEvents(store_dir, tc.events_json);
  }
  if (!built.ok()) return fail(built.message());
  int64_t now_us = SystemClock().NowMicros();
  if (!tc.now.empty()) {
    std::optional<int64_t> t = ParseTimestamp(tc.now);
    if (!t) return fail("now: not a timestamp: " + tc.now);
    now_us = *t;
  }
  FakeClock clock(now_us);
  Result<BoundParams> bound = BindParams(rb, tc.params, now_us);
  if (!bound.ok()) return fail(bound.status().message());
  auto store = storage::Store::Open(store_dir, storage::Store::Mode::kReadOnly);
  if (!store.ok()) return fail(store.status().message());
  sql::QueryEngine engine(**store);
  sql::QueryOptions options;
  options.parameters = bound->values;
  options.clock = &clock;
  options.threads = 1;
  auto query = engine.Execute(rb.query, options);
  if (!query.ok()) return fail("query: " + query.status().message());
  std::vector<std::vector<std::string>> rows;
  sql::DataChunk chunk;
  while (true) {
    Result<bool> more = (*query)->Next(&chunk);
    if (!more.ok()) return fail("query: " + more.status().message());
    if (!*more) break;
    for (size_t r = 0; r < chunk.size; ++r) {
      std::vector<std::string> row;
      for (const sql::Vector& v : chunk.columns) row.push_back(sql::ResultWriter::Text(v, r));
      rows.push_back(std::move(row));
    }
  }
  if (tc.expect_count && rows.size() != *tc.expect_count) {
    return fail("expected " + std::to_string(*tc.expect_count) + " rows, got " + std::to_string(rows.size()));
  }
  if (tc.expect_rows) {
    const auto& want = *tc.expect_rows;
    for (size_t i = 0; i < std::max(want.size(), rows.size()); ++i) {
      if (i >= rows.size()) return fail("row " + std::to_string(i + 1) + ": expected " + RowText(want[i]) + ", got no row");
      if (i >= want.size()) return fail("row " + std::to_string(i + 1) + ": unexpected " + RowText(rows[i]));
      if (rows[i] != want[i]) {
        return fail("row " + std::to_string(i + 1) + ": expected " + RowText(want[i]) + ", got " + RowText(rows[i]));
      }
    }
  }
  result.passed = true;
  return result;
}

}  // namespace

Status BuildStoreFromEvents(const std::string& dir, const std::vector<std::string>& events_json) {
  std::string records = "{\"Records\":[";
  for (size_t i = 0; i < events_json.size(); ++i) {
    if (i) records += ",";
    records += events_json[i];
  }
  records += "]}";
  TB_RETURN_IF_ERROR(io::CreateDirectories(dir + ".input"));
  std::string input = dir + ".input/events.json";
  TB_RETURN_IF_ERROR(io::WriteFileAtomic(input, records, 0600));
  return IngestFiles(dir, {input});
}

Status CheckQueryBinds(const Runbook& runbook) {
  TB_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::Create());
  TB_ASSIGN_OR_RETURN(auto store, storage::Store::Open(scratch.path() + "/store", storage::Store::Mode::kReadWrite));
  sql::QueryEngine engine(*store);
  sql::QueryOptions options;
  options.threads = 1;
  const int64_t now_us = SystemClock().NowMicros();
  for (const ParamSpec& p : runbook.params) {
    Result<sql::Value> v = p.default_value ? ParseParamValue(p, *p.default_value, now_us)
                                           : Result<sql::Value>(sql::Value::Null(p.type.SqlType()));
    if (!v.ok()) return v.status();
    options.parameters[p.name] = std::move(v).value();
  }
  auto result = engine.Execute(runbook.query, options);
  if (!result.ok()) {
    return Status(result.status().code(),
                  runbook.source_path + ":" + std::to_string(std::max(runbook.query_line, 1)) +
                      ": query: " + result.status().message() +
                      (runbook.query_line > 0 ? " (query line 1 is file line " +
                                                    std::to_string(runbook.query_line) + ")"
                                              : ""));
  }
  return Status::OK();
}

Result<std::vector<FixtureResult>> RunFixtureTests(const Runbook& runbook) {
  std::vector<FixtureResult> results;
  for (const RunbookTestCase& tc : runbook.tests) results.push_back(RunCase(runbook, tc));
  return results;
}

}  // namespace trailbook::runbook
