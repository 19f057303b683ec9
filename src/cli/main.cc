// The trailbook command-line tool: parses the command line and runs one command.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"
#include "cli/exit_code.h"

int main(int argc, char** argv) {
  using trailbook::cli::ExitCode;
#if defined(TB_REQUIRE_X86_64_V3)
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2") ||
      !__builtin_cpu_supports("pclmul")) {
    std::fprintf(stderr,
                 "trailbook: this build needs an x86-64-v3 CPU (AVX2, BMI2, PCLMUL); rebuild "
                 "with -DTB_X86_64_V3=OFF for older CPUs\n");
    return trailbook::cli::ToInt(ExitCode::kFailure);
  }
#endif
  CLI::App app{"trailbook: who did what, from where, and was it allowed? (AWS CloudTrail)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trailbook 0.1.0");
  trailbook::cli::CommandAction action;
  trailbook::cli::AddVersionCommand(app, action);
  trailbook::cli::AddIngestCommand(app, action);
  trailbook::cli::AddStatsCommand(app, action);
  trailbook::cli::AddCatCommand(app, action);
  trailbook::cli::AddDemoCommand(app, action);
  trailbook::cli::AddGenCommand(app, action);
  trailbook::cli::AddKeygenCommand(app, action);
  trailbook::cli::AddTokenCommand(app, action);
  trailbook::cli::AddQueryCommand(app, action);
  trailbook::cli::AddSnapshotCommand(app, action);
  trailbook::cli::AddRunbookCommand(app, action);
  trailbook::cli::AddRunCommand(app, action);
  trailbook::cli::AddServeCommand(app, action);
  trailbook::cli::AddMonitorCommand(app, action);
  trailbook::cli::AddAuditCommand(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : trailbook::cli::ToInt(ExitCode::kUsage);
  }
  if (!action) return trailbook::cli::ToInt(ExitCode::kUsage);
  return action();
}
