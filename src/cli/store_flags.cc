#include "cli/store_flags.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>

namespace trailbook::cli {

void AddStoreFlag(CLI::App* cmd, std::string* dir) {
  cmd->add_option("--store", *dir,
                  "Store directory (default: $TRAILBOOK_STORE, else ./trailbook-data)");
}

std::string ResolveStoreDir(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  const char* env = std::getenv("TRAILBOOK_STORE");
  if (env != nullptr && *env != '\0') return env;
  return "./trailbook-data";
}

void PrintError(const std::string& message) {
  std::fprintf(stderr, "trailbook: %s\n", message.c_str());
}

}  // namespace trailbook::cli
