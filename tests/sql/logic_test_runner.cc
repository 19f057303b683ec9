// Runs the SQL behaviour tests: tests/sql/**/*.test, in the style of DuckDB's sqllogictest.
// Each file is one test case; each record inside is checked and every mismatch is reported
// with its file and line.
//
// Records (separated by blank lines; '#' starts a comment line):
//
//   query <types> [nosort|rowsort|valuesort]     types: one letter per column (T I R B)
//   SELECT ...                                   the SQL, one or more lines
//   ----
//   <expected rows, values separated by tabs>    NULL, (empty) for '', timestamps ISO-8601
//
//   statement ok | statement error               a query that must succeed / fail
//   SELECT ...
//   ----                                         (error only) expected message substring
//   unknown column 'evntName'
//
// Directives (one line each): `store fixture|datasets` (tests/data/sql_fixture or the real
// datasets), `param <name> <bigint|double|varchar|boolean|timestamp> <value>`,
// `clear params`, `constraint accounts|regions <a,b,...>`, `constraint time <min> <max>`,
// `clear constraints`, `set memory_limit <bytes>`, `set threads <n>`, `eds_id <id>`,
// `clear eds_ids`.
//
// The stores are built once per process by ingesting the committed fixtures into temporary
// directories; now() is 2024-03-03T00:00:00Z.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/clock.h"
#include "base/timestamp.h"
#include "ingest/ingest_pipeline.h"
#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace trailbook::sql {
namespace {

namespace fs = std::filesystem;

struct FixtureStore {
  ~FixtureStore() {
    engine.reset();
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string dir;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<QueryEngine> engine;
};

Result<FixtureStore*> GetStore(const std::string& name) {
  static std::map<std::string, std::unique_ptr<FixtureStore>> stores;
  auto it = stores.find(name);
  if (it != stores.end()) return it->second.get();
  std::string input;
  if (name == "fixture") {
    input = "tests/data/sql_fixture/events.json";
  } else if (name == "datasets") {
    input = "tests/data/datasets";
  } else {
    return InvalidArgument("unknown store '" + name + "'");
  }
  auto fx = std::make_unique<FixtureStore>();
  fx->dir = (fs::temp_directory_path() /
             ("tb_sql_" + name + "_" + std::to_string(::getpid()))).string();
  fs::remove_all(fx->dir);
  {
    TB_ASSIGN_OR_RETURN(auto writer, storage::Store::Open(fx->dir, storage::Store::Mode::kReadWrite));
    ingest::IngestOptions options;
    options.threads = 1;
    options.segment_options.sync = false;
    std::vector<std::string> paths{input};
    TB_ASSIGN_OR_RETURN(ingest::IngestSummary summary, ingest::Ingest(*writer, paths, options, nullptr));
    if (summary.anything_rejected()) return Internal("fixture ingest rejected input");
  }
  TB_ASSIGN_OR_RETURN(fx->store, storage::Store::Open(fx->dir, storage::Store::Mode::kReadOnly));
  fx->engine = std::make_unique<QueryEngine>(*fx->store);
  FixtureStore* raw = fx.get();
  stores.emplace(name, std::move(fx));
  return raw;
}

std::string FormatValue(const Vector& v, size_t row) {
  if (v.IsNull(row)) return "NULL";
  Value value = v.GetValue(row);
  std::string s;
  switch (value.type().id()) {
    case TypeId::kTimestamp: s = FormatTimestamp(value.int_value()); break;
    default: s = value.ToString(); break;
  }
  if (s.empty()) return "(empty)";
  std::string out;
  for (char c : s) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

struct Record {
  int line = 0;
  size_t expected_begin = 0;  // line index of the first expected line (after ----)
  size_t expected_end = 0;    // one past the last expected line
  bool has_separator = false;
  std::string kind;  // "query", "statement ok", "statement error", or a directive
  std::string types;
  std::string sort;
  std::string sql;
  std::vector<std::string> expected;
};

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) parts.push_back(cur);
  return parts;
}

std::vector<Record> ParseFile(const std::vector<std::string>& lines) {
  std::vector<Record> records;
  size_t i = 0;
  while (i < lines.size()) {
    const std::string& l = lines[i];
    if (l.empty() || l[0] == '#') {
      ++i;
      continue;
    }
    Record r;
    r.line = static_cast<int>(i + 1);
    std::vector<std::string> head = Split(l, ' ');
    if (head[0] == "query" || head[0] == "statement") {
      if (head[0] == "query") {
        r.kind = "query";
        r.types = head.size() > 1 ? head[1] : "";
        r.sort = head.size() > 2 ? head[2] : "nosort";
      } else {
        r.kind = "statement " + (head.size() > 1 ? head[1] : std::string("ok"));
      }
      ++i;
      while (i < lines.size() && !lines[i].empty() && lines[i] != "----") {
        r.sql += (r.sql.empty() ? "" : "\n") + lines[i];
        ++i;
      }
      r.expected_begin = r.expected_end = i;
      if (i < lines.size() && lines[i] == "----") {
        r.has_separator = true;
        ++i;
        r.expected_begin = i;
        while (i < lines.size() && !lines[i].empty()) r.expected.push_back(lines[i++]);
        r.expected_end = i;
      }
    } else {
      r.kind = l;
      ++i;
    }
    records.push_back(std::move(r));
  }
  return records;
}

struct Session {
  std::string store = "fixture";
  QueryOptions options;
  FakeClock clock{*ParseTimestamp("2024-03-03T00:00:00Z")};
};

// Applies a directive; returns an error message or "".
std::string ApplyDirective(const std::string& line, Session& s) {
  std::vector<std::string> w = Split(line, ' ');
  if (w[0] == "store" && w.size() == 2) {
    s.store = w[1];
  } else if (w[0] == "param" && w.size() >= 4) {
    std::string value = line.substr(line.find(w[2]) + w[2].size() + 1);
    const std::string& t = w[2];
    if (t == "bigint") {
      s.options.parameters[w[1]] = Value::Bigint(std::stoll(value));
    } else if (t == "double") {
      s.options.parameters[w[1]] = Value::Double(std::stod(value));
    } else if (t == "boolean") {
      s.options.parameters[w[1]] = Value::Boolean(value == "true");
    } else if (t == "timestamp") {
      s.options.parameters[w[1]] = Value::Timestamp(*ParseTimestamp(value));
    } else {
      s.options.parameters[w[1]] = Value::Varchar(value);
    }
  } else if (line == "clear params") {
    s.options.parameters.clear();
  } else if (w[0] == "constraint" && w.size() >= 3) {
    if (w[1] == "accounts") {
      s.options.constraints.accounts = w[2] == "-" ? std::vector<std::string>() : Split(w[2], ',');
    } else if (w[1] == "regions") {
      s.options.constraints.regions = w[2] == "-" ? std::vector<std::string>() : Split(w[2], ',');
    } else if (w[1] == "time" && w.size() == 4) {
      s.options.constraints.min_time = *ParseTimestamp(w[2]);
      s.options.constraints.max_time = *ParseTimestamp(w[3]);
    } else {
      return "bad constraint directive";
    }
  } else if (line == "clear constraints") {
    s.options.constraints = ScanConstraints();
  } else if (w[0] == "set" && w.size() == 3 && w[1] == "memory_limit") {
    s.options.memory_limit_bytes = std::stoull(w[2]);
  } else if (w[0] == "set" && w.size() == 3 && w[1] == "threads") {
    s.options.threads = static_cast<unsigned>(std::stoul(w[2]));
  } else if (w[0] == "eds_id" && w.size() == 2) {
    s.options.eds_ids.push_back(w[1]);
  } else if (line == "clear eds_ids") {
    s.options.eds_ids.clear();
  } else {
    return "unknown directive '" + line + "'";
  }
  return "";
}

// Runs the query; returns rows (each row a vector of formatted values) or the error.
Result<std::vector<std::vector<std::string>>> RunQuery(Session& s, const std::string& sql) {
  TB_ASSIGN_OR_RETURN(FixtureStore* fx, GetStore(s.store));
  QueryOptions options = s.options;
  options.clock = &s.clock;
  TB_ASSIGN_OR_RETURN(std::unique_ptr<QueryResult> result, fx->engine->Execute(sql, options));
  std::vector<std::vector<std::string>> rows;
  DataChunk chunk;
  while (true) {
    TB_ASSIGN_OR_RETURN(bool more, result->Next(&chunk));
    if (!more) break;
    for (size_t r = 0; r < chunk.size; ++r) {
      std::vector<std::string> row;
      for (const Vector& v : chunk.columns) row.push_back(FormatValue(v, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::vector<std::string> TestFiles() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator("tests/sql")) {
    if (e.is_regular_file() && e.path().extension() == ".test") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class LogicTest : public ::testing::TestWithParam<std::string> {};

// With TB_SQL_COMPLETE=1 the runner writes the actual results of every query (and the
// first line of every expected error) into the file instead of comparing: review the diff.
bool CompleteMode() {
  const char* v = std::getenv("TB_SQL_COMPLETE");
  return v != nullptr && std::string(v) == "1";
}

TEST_P(LogicTest, File) {
  const std::string path = GetParam();
  std::vector<std::string> lines = ReadLines(path);
  std::vector<Record> records = ParseFile(lines);
  // Replacement of expected sections in completion mode: (begin, end, separator?, lines).
  struct Patch {
    size_t begin, end;
    bool add_separator;
    std::vector<std::string> text;
  };
  std::vector<Patch> patches;
  Session session;
  int cases = 0;
  for (const Record& r : records) {
    std::string where = path + ":" + std::to_string(r.line);
    if (r.kind == "query" || r.kind.rfind("statement", 0) == 0) {
      ++cases;
      auto rows = RunQuery(session, r.sql);
      if (CompleteMode() && r.kind != "statement ok") {
        std::vector<std::string> actual;
        if (!rows.ok()) {
          std::string msg = rows.status().message();
          actual.push_back(msg.substr(0, msg.find('\n')));
        } else {
          for (const auto& row : *rows) {
            std::string line;
            for (size_t c = 0; c < row.size(); ++c) line += (c ? "\t" : "") + row[c];
            actual.push_back(line);
          }
          if (r.sort == "rowsort") std::sort(actual.begin(), actual.end());
        }
        patches.push_back(Patch{r.expected_begin, r.expected_end, !r.has_separator, actual});
        continue;
      }
      if (r.kind == "statement error") {
        if (rows.ok()) {
          ADD_FAILURE() << where << ": expected an error, the query succeeded\n" << r.sql;
          continue;
        }
        std::string want;
        for (const std::string& e : r.expected) want += (want.empty() ? "" : "\n") + e;
        EXPECT_NE(rows.status().message().find(want), std::string::npos)
            << where << ": error message mismatch\nwant substring: " << want
            << "\ngot: " << rows.status().message();
        continue;
      }
      if (!rows.ok()) {
        ADD_FAILURE() << where << ": query failed: " << rows.status().ToString() << "\n" << r.sql;
        continue;
      }
      if (r.kind == "statement ok") continue;
      std::vector<std::string> got;
      for (const auto& row : *rows) {
        if (!r.types.empty() && row.size() != r.types.size()) {
          ADD_FAILURE() << where << ": expected " << r.types.size() << " columns, got "
                        << row.size();
          break;
        }
        std::string line;
        for (size_t c = 0; c < row.size(); ++c) line += (c ? "\t" : "") + row[c];
        got.push_back(line);
      }
      std::vector<std::string> want = r.expected;
      if (r.sort == "rowsort") {
        std::sort(got.begin(), got.end());
        std::sort(want.begin(), want.end());
      } else if (r.sort == "valuesort") {
        auto flatten = [](const std::vector<std::string>& rows_text) {
          std::vector<std::string> v;
          for (const std::string& l : rows_text) {
            for (const std::string& x : Split(l, '\t')) v.push_back(x);
          }
          std::sort(v.begin(), v.end());
          return v;
        };
        got = flatten(got);
        want = flatten(want);
      }
      if (got != want) {
        std::string g, w;
        for (const std::string& x : got) g += x + "\n";
        for (const std::string& x : want) w += x + "\n";
        ADD_FAILURE() << where << ": result mismatch\n" << r.sql << "\n--- want:\n" << w
                      << "--- got:\n" << g;
      }
    } else {
      std::string err = ApplyDirective(r.kind, session);
      EXPECT_TRUE(err.empty()) << where << ": " << err;
    }
  }
  if (CompleteMode()) {
    std::vector<std::string> out;
    size_t at = 0;
    for (const Patch& p : patches) {
      while (at < p.begin) out.push_back(lines[at++]);
      if (p.add_separator) out.push_back("----");
      for (const std::string& l : p.text) out.push_back(l);
      at = p.end;
    }
    while (at < lines.size()) out.push_back(lines[at++]);
    std::ofstream f(path);
    for (const std::string& l : out) f << l << "\n";
  }
  RecordProperty("cases", cases);
  EXPECT_GT(cases, 0) << path << " has no test records";
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(std::string("tests/sql/").size());
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Sql, LogicTest, ::testing::ValuesIn(TestFiles()), TestName);

}  // namespace
}  // namespace trailbook::sql
