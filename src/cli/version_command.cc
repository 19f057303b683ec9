#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"

namespace trailbook::cli {

void AddVersionCommand(CLI::App& app, CommandAction& action) {
  CLI::App* cmd = app.add_subcommand("version", "Print the trailbook version");
  cmd->callback([&action] {
    action = [] {
      std::printf("trailbook 0.1.0\n");
      return 0;
    };
  });
}

}  // namespace trailbook::cli
