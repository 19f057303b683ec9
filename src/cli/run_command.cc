// trailbook run ID [--param k=v ...] [--token T] [--format table|json|ndjson|csv]
//               [--reason TEXT] [--dry-run] [--fail-on-rows] [--store DIR] [--runbooks DIR]
//               [--config FILE | --jwks FILE|URL --issuer ISS --audience AUD]
//
// Runs a runbook on behalf of the token holder: verify, authorize, execute with the token's
// constraints injected, audit (fail closed). Exit codes: docs/runbooks.md.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "audit/audit_log.h"
#include "cli/auth_flags.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/runbook_flags.h"
#include "cli/store_flags.h"
#include "runbook/executor.h"
#include "storage/store.h"

namespace trailbook::cli {
namespace {

struct RunFlags {
  std::string id;
  std::vector<std::string> params;
  std::string format = "table";
  std::string reason;
  bool dry_run = false;
  bool fail_on_rows = false;
  std::string store;
  std::string runbooks;
  double timeout_s = 0;
  unsigned threads = 0;
  AuthFlags auth;
};

int Usage(const std::string& message) {
  PrintError(message);
  return ToInt(ExitCode::kUsage);
}

int RunRunbook(const RunFlags& flags) {
  if (!ValidOutputFormat(flags.format)) return Usage("--format must be table, json, ndjson or csv");
  runbook::RunRequest request;
  request.runbook_id = flags.id;
  for (const std::string& p : flags.params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) return Usage("--param wants name=value, got '" + p + "'");
    std::string name = p.substr(0, eq);
    if (request.params.count(name)) return Usage("--param " + name + " given twice");
    request.params[name] = p.substr(eq + 1);
  }
  request.token = ResolveToken(flags.auth);
  request.reason = flags.reason;
  request.dry_run = flags.dry_run;
  request.origin.source_ip = "local";
  request.origin.user_agent = "trailbook-cli/0.1";

  Result<runbook::RunbookLibrary> library =
      runbook::RunbookLibrary::LoadDirectory(ResolveRunbooksDir(flags.runbooks));
  if (!library.ok()) {
    PrintError(library.status().message());
    return ToInt(ExitCode::kRunbookError);
  }
  Result<std::unique_ptr<auth::TokenVerifier>> verifier = BuildVerifier(flags.auth);
  if (!verifier.ok()) {
    PrintError(verifier.status().message());
    return ToInt(verifier.status().code() == StatusCode::kInvalidArgument ? ExitCode::kUsage
                                                                          : ExitCode::kFailure);
  }
  const std::string store_dir = ResolveStoreDir(flags.store);
  auto store = storage::Store::Open(store_dir, storage::Store::Mode::kReadOnly);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ToInt(ExitCode::kStoreError);
  }
  auto audit_log = audit::AuditLog::Open(store_dir, audit::AuditLogOptions{});
  if (!audit_log.ok()) {
    PrintError("opening the audit log: " + audit_log.status().message());
    return ToInt(ExitCode::kStoreError);
  }
  sql::QueryEngine engine(**store);
  runbook::ExecutorOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_s * 1000));
  options.threads = flags.threads;
  runbook::Executor executor(*library, **verifier, engine, **audit_log, options);
  runbook::RunOutcome outcome = executor.Run(request);
  if (flags.dry_run) {
    PrintDryRun(outcome);
    return outcome.status.ok() ? ToInt(ExitCode::kOk) : ToInt(ExitCodeFor(outcome.status));
  }
  if (!outcome.status.ok()) return ReportFailure(outcome);
  PrintRows(flags.format, outcome);
  if (flags.fail_on_rows && outcome.rows > 0) return ToInt(ExitCode::kRowsFound);
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddRunCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a runbook with a token: verified, authorized, constrained and audited");
  cmd->add_option("id", flags->id, "Runbook id, e.g. ir.principal-activity")->required();
  cmd->add_option("--param,-p", flags->params, "Parameter name=value (repeatable)");
  cmd->add_option("--format", flags->format, "table, json, ndjson or csv (default table)");
  cmd->add_option("--reason", flags->reason,
                  "Justification recorded in the audit event, e.g. \"INC-1234: ...\"");
  cmd->add_flag("--dry-run", flags->dry_run,
                "Run nothing: print the decision, bound parameters, constraints and plan");
  cmd->add_flag("--fail-on-rows", flags->fail_on_rows, "Exit 8 when the runbook returns rows");
  cmd->add_option("--timeout", flags->timeout_s, "Cancel the query after this many seconds");
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  AddStoreFlag(cmd, &flags->store);
  AddRunbooksFlag(cmd, &flags->runbooks);
  AddAuthFlags(cmd, &flags->auth);
  cmd->callback([flags, &action] { action = [flags] { return RunRunbook(*flags); }; });
}

}  // namespace trailbook::cli
