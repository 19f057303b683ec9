// Parses every query in tests/sql/parser_corpus (realistic CloudTrail Lake and incident-response
// queries) and checks the print/parse round trip on each. Runs from the repository root.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sql/parser/ast_printer.h"
#include "sql/parser/parser.h"

namespace trailbook::sql {
namespace {

constexpr const char* kCorpusDir = "tests/sql/parser_corpus";

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpusDir)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(ParserCorpusTest, EveryQueryParsesAndRoundTrips) {
  std::vector<std::filesystem::path> files = CorpusFiles();
  ASSERT_GE(files.size(), 40u) << "corpus missing; tests run from the repository root";
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    std::string sql = ReadAll(path);
    Result<std::unique_ptr<Statement>> parsed = Parse(sql);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    Status verified = Verify(**parsed);
    EXPECT_TRUE(verified.ok()) << verified.message();
    std::string printed = PrintStatement(**parsed);
    Result<std::unique_ptr<Statement>> reparsed = Parse(printed);
    ASSERT_TRUE(reparsed.ok()) << printed << "\n" << reparsed.status().message();
    EXPECT_TRUE(Equal(**parsed, **reparsed)) << printed;
    // Printing is a fixed point: canonical text prints as itself.
    EXPECT_EQ(PrintStatement(**reparsed), printed);
  }
}

}  // namespace
}  // namespace trailbook::sql
