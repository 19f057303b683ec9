// File: cli/command.h
//
// How CLI commands plug into main: each command file provides an Add*Command function that
// adds a CLI11 subcommand to the app and, when that subcommand is selected, stores the
// action to run. main() parses, runs the action and exits with its code.
//
//   void AddIngestCommand(CLI::App& app, CommandAction& action);
#pragma once

#include <functional>

namespace CLI {
class App;
}  // namespace CLI

namespace trailbook::cli {

// The selected command's body; returns the process exit code.
using CommandAction = std::function<int()>;

void AddVersionCommand(CLI::App& app, CommandAction& action);
void AddIngestCommand(CLI::App& app, CommandAction& action);
void AddStatsCommand(CLI::App& app, CommandAction& action);
void AddCatCommand(CLI::App& app, CommandAction& action);
void AddDemoCommand(CLI::App& app, CommandAction& action);
void AddGenCommand(CLI::App& app, CommandAction& action);
void AddKeygenCommand(CLI::App& app, CommandAction& action);
void AddTokenCommand(CLI::App& app, CommandAction& action);
void AddQueryCommand(CLI::App& app, CommandAction& action);
void AddSnapshotCommand(CLI::App& app, CommandAction& action);
void AddRunbookCommand(CLI::App& app, CommandAction& action);
void AddRunCommand(CLI::App& app, CommandAction& action);
void AddServeCommand(CLI::App& app, CommandAction& action);
void AddMonitorCommand(CLI::App& app, CommandAction& action);
void AddAuditCommand(CLI::App& app, CommandAction& action);

}  // namespace trailbook::cli
