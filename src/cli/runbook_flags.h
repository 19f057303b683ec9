// File: cli/runbook_flags.h
//
// The --runbooks flag of the commands that load runbooks, the directory it resolves to
// (the flag, else $TRAILBOOK_RUNBOOKS, else the built-in library: <exe>/../runbooks or
// <exe>/../share/trailbook/runbooks, else the source tree's runbooks/ compiled in), and the
// printing of a runbook outcome shared by `run` and `query`.
#pragma once

#include <string>

#include "runbook/executor.h"

namespace CLI {
class App;
}  // namespace CLI

namespace trailbook::cli {

// Adds --runbooks DIR to `cmd`, bound to `*dir`.
void AddRunbooksFlag(CLI::App* cmd, std::string* dir);

// Returns the runbook directory to use given the flag's value (empty when not given).
std::string ResolveRunbooksDir(const std::string& flag_value);

// Prints the rows of `outcome` in `format` (table, json, ndjson, csv) to stdout.
// REQUIRES: format was checked with ValidOutputFormat.
void PrintRows(const std::string& format, const runbook::RunOutcome& outcome);
bool ValidOutputFormat(const std::string& format);

// Prints what a dry run decided: the decision and the claim behind it, each verification
// and authorization step, bound parameters, injected constraints, the plan, the audit event.
void PrintDryRun(const runbook::RunOutcome& outcome);

// Prints the error of a failed request ("not allowed", "invalid token", ...) with its request
// id, and returns the exit code for it.
int ReportFailure(const runbook::RunOutcome& outcome);

}  // namespace trailbook::cli
