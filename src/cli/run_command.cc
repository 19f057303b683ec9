// trailbook run ID [--param k=v ...] [--token T] [--format table|json|ndjson|csv]
//               [--reason TEXT] [--dry-run] [--fail-on-rows] [--store DIR] [--runbooks DIR]
//               [--config FILE | --jwks FILE|URL --issuer ISS --audience AUD]
//               [--snapshot [--snapshot-key FILE]]
//
// Runs a runbook on behalf of the token holder: verify, authorize, execute with the token's
// constraints injected, audit (fail closed). Exit codes: docs/runbooks.md.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "audit/audit_log.h"
#include "cli/command_audit.h"
#include "cli/auth_flags.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/runbook_flags.h"
#include "cli/store_flags.h"
#include "runbook/executor.h"
#include "snapshot/snapshot_access.h"
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
  bool snapshot = false;
  std::string snapshot_key;  // else $TRAILBOOK_SNAPSHOT_KEY
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
  auto audit_log = CommandAuditLog::Open(store_dir);
  if (!audit_log.ok()) {
    PrintError("opening the audit log: " + audit_log.status().message());
    return ToInt(audit_log.status().code() == StatusCode::kInvalidArgument ? ExitCode::kUsage
                                                                           : ExitCode::kStoreError);
  }
  std::optional<snapshot::SnapshotSigningKey> snapshot_key;
  if (flags.snapshot) {
    if (flags.dry_run) return Usage("--snapshot freezes a result; a --dry-run has none");
    std::string path = flags.snapshot_key;
    if (path.empty() && std::getenv("TRAILBOOK_SNAPSHOT_KEY") != nullptr) {
      path = std::getenv("TRAILBOOK_SNAPSHOT_KEY");
    }
    if (path.empty()) {
      return Usage("--snapshot needs the runner's signing key: --snapshot-key FILE or "
                   "$TRAILBOOK_SNAPSHOT_KEY (`trailbook keygen`; never the token issuer's key)");
    }
    Result<snapshot::SnapshotSigningKey> key = snapshot::SnapshotSigningKey::LoadFile(path);
    if (!key.ok()) return Usage(key.status().message());
    if (!flags.auth.jwks.empty() && !flags.auth.jwks.starts_with("http")) {
      Result<auth::JwkSet> issuer_keys = snapshot::LoadTrustedSnapshotKeys(flags.auth.jwks);
      if (issuer_keys.ok()) {
        if (Status own = key->CheckNotIssuerKey(*issuer_keys); !own.ok()) {
          return Usage(path + ": " + own.message());
        }
      }
    }
    snapshot_key.emplace(std::move(key).value());
  }
  // What the query runs over, taken before it runs (ingest only ever adds segments).
  const snapshot::StoreState store_state = snapshot::StoreState::From(*(*store)->Snapshot());
  sql::QueryEngine engine(**store, sql::EngineOptions{.text_block_cache_bytes = 0});
  runbook::ExecutorOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_s * 1000));
  options.threads = flags.threads;
  runbook::Executor executor(*library, **verifier, engine, (*audit_log)->log(), options);
  runbook::RunOutcome outcome = executor.Run(request);
  if (flags.dry_run) {
    PrintDryRun(outcome);
    return outcome.status.ok() ? ToInt(ExitCode::kOk) : ToInt(ExitCodeFor(outcome.status));
  }
  if (!outcome.status.ok()) return ReportFailure(outcome);
  PrintRows(flags.format, outcome);
  if (snapshot_key) {
    snapshot::SnapshotAccess access(snapshot::SnapshotsDir(store_dir), **verifier, (*audit_log)->log(),
                                    {});
    Result<snapshot::SnapshotInfo> info =
        access.Create(outcome, request.origin, store_state, *snapshot_key, {});
    if (!info.ok()) {
      PrintError("the result was NOT snapshotted: " + info.status().message());
      return ToInt(ExitCodeFor(info.status()));
    }
    std::fflush(stdout);
    std::fprintf(stderr, "snapshot %s (%llu rows, result sha256 %s) in %s\n", info->id.c_str(),
                 static_cast<unsigned long long>(info->rows), info->result_sha256.c_str(),
                 info->dir.c_str());
  }
  if (flags.fail_on_rows && outcome.rows > 0) return ToInt(ExitCode::kRowsFound);
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddRunCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a runbook with a token: verified, authorized, constrained and audited");
  cmd->add_option("id", flags->id, "Runbook id, e.g. ir.principal-activity")->required();
  cmd->add_option("--param,-p", flags->params, "Parameter name=value (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--format", flags->format, "table, json, ndjson or csv (default table)");
  cmd->add_option("--reason", flags->reason,
                  "Justification recorded in the audit event, e.g. \"INC-1234: ...\"");
  cmd->add_flag("--dry-run", flags->dry_run,
                "Run nothing: print the decision, bound parameters, constraints and plan");
  cmd->add_flag("--fail-on-rows", flags->fail_on_rows, "Exit 8 when the runbook returns rows");
  cmd->add_option("--timeout", flags->timeout_s, "Cancel the query after this many seconds");
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  cmd->add_flag("--snapshot", flags->snapshot,
                "Also freeze the result as a signed snapshot under <store>/snapshots");
  cmd->add_option("--snapshot-key", flags->snapshot_key,
                  "The runner's snapshot signing key (0600; default $TRAILBOOK_SNAPSHOT_KEY)");
  AddStoreFlag(cmd, &flags->store);
  AddRunbooksFlag(cmd, &flags->runbooks);
  AddAuthFlags(cmd, &flags->auth);
  cmd->callback([flags, &action] { action = [flags] { return RunRunbook(*flags); }; });
}

}  // namespace trailbook::cli
