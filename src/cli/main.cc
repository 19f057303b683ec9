// The trailbook command-line tool: parses the command line and runs one command.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"
#include "cli/exit_code.h"

int main(int argc, char** argv) {
  using trailbook::cli::ExitCode;
  CLI::App app{"trailbook: who did what, from where, and was it allowed? (AWS CloudTrail)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trailbook 0.1.0");
  trailbook::cli::CommandAction action;
  trailbook::cli::AddVersionCommand(app, action);
  trailbook::cli::AddKeygenCommand(app, action);
  trailbook::cli::AddTokenCommand(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : trailbook::cli::ToInt(ExitCode::kUsage);
  }
  if (!action) return trailbook::cli::ToInt(ExitCode::kUsage);
  return action();
}
