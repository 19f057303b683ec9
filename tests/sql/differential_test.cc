// The differential test: runs tests/sql/differential/queries.mjs on trailbook and on DuckDB
// over the same generated data and requires identical answers (differential.mjs does the
// work; see its header). Skips, saying why, only when Node or DuckDB's Node package is absent.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

// Runs `command` through the shell and returns its exit status (-1 when it did not exit),
// appending its standard output to `*output`.
int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output->append(buffer.data(), n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(DifferentialTest, TrailbookAndDuckDbAgree) {
  std::string ignored;
  if (RunCommand("node --version 2>/dev/null", &ignored) != 0) {
    GTEST_SKIP() << "differential test skipped: node is not installed";
  }
  std::filesystem::path work =
      std::filesystem::temp_directory_path() / ("tb_differential_" + std::to_string(::getpid()));
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  std::string output;
  int status = RunCommand("node tests/sql/differential/differential.mjs '" +
                              std::string(TB_CLI_PATH) + "' '" + work.string() + "' 20000 2>&1",
                          &output);
  std::filesystem::remove_all(work);
  if (status == 77) GTEST_SKIP() << "differential test skipped: " << output;
  EXPECT_EQ(status, 0) << output;
  std::printf("%s", output.c_str());
}

}  // namespace
