// `trailbook snapshot list|show|export|verify`: signed snapshots of runbook results
// (docs/format/snapshot.md). Reading a store's snapshots needs a token with scope
// snapshot:read and leaves an audit event (snapshot/snapshot_access.h).
//
//   trailbook snapshot list [--format table|json] [--token T ...]
//   trailbook snapshot show ID [--token T ...]
//   trailbook snapshot export ID DIR [--token T ...]
//   trailbook snapshot verify ID|DIR [--keys JWKS] [--format text|json] [--rerun] [--token T ...]
//
// `verify DIR` checks an exported copy with no token and no store (what a third party does);
// `--rerun` re-runs the runbook through the executor (runbook:run on the token) and compares
// the result digest.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "audit/audit_log.h"
#include "cli/command_audit.h"
#include "base/timestamp.h"
#include "cli/auth_flags.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/runbook_flags.h"
#include "cli/store_flags.h"
#include "io/file.h"
#include "json/json_writer.h"
#include "runbook/executor.h"
#include "snapshot/snapshot_access.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_manifest.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"
#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace trailbook::cli {
namespace {

struct SnapshotFlags {
  std::string store;
  std::string format;
  std::string id;        // ID (or ID|DIR for verify)
  std::string dest;      // export DIR
  std::string keys;      // trusted JWKS for verify
  std::string runbooks;  // for --rerun
  bool rerun = false;
  AuthFlags auth;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return ToInt(ExitCodeFor(status));
}

// What a token-checked command needs: the verifier, the store and its audit log.
struct Session {
  std::string store_dir;
  std::unique_ptr<auth::TokenVerifier> verifier;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<CommandAuditLog> audit_log;
  std::unique_ptr<snapshot::SnapshotAccess> access;
  snapshot::AccessRequest request;
};

// Opens a Session, or prints the error and returns the exit code.
std::variant<Session, int> OpenSession(const SnapshotFlags& flags) {
  Session s;
  Result<std::unique_ptr<auth::TokenVerifier>> verifier = BuildVerifier(flags.auth);
  if (!verifier.ok()) {
    PrintError(verifier.status().message());
    return ToInt(verifier.status().code() == StatusCode::kInvalidArgument ? ExitCode::kUsage
                                                                          : ExitCode::kFailure);
  }
  s.verifier = std::move(verifier).value();
  s.store_dir = ResolveStoreDir(flags.store);
  auto store = storage::Store::Open(s.store_dir, storage::Store::Mode::kReadOnly);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ToInt(ExitCode::kStoreError);
  }
  s.store = std::move(store).value();
  auto audit_log = CommandAuditLog::Open(s.store_dir);
  if (!audit_log.ok()) {
    PrintError("opening the audit log: " + audit_log.status().message());
    return ToInt(audit_log.status().code() == StatusCode::kInvalidArgument ? ExitCode::kUsage
                                                                           : ExitCode::kStoreError);
  }
  s.audit_log = std::move(audit_log).value();
  s.access = std::make_unique<snapshot::SnapshotAccess>(snapshot::SnapshotsDir(s.store_dir),
                                                        *s.verifier, s.audit_log->log(),
                                                        snapshot::SnapshotAccessOptions{});
  s.request.token = ResolveToken(flags.auth);
  s.request.origin.source_ip = "local";
  s.request.origin.user_agent = "trailbook-cli/0.1";
  return s;
}

int RunList(const SnapshotFlags& flags) {
  auto opened = OpenSession(flags);
  if (int* code = std::get_if<int>(&opened)) return *code;
  Session& s = std::get<Session>(opened);
  Result<std::vector<snapshot::SnapshotSummary>> list = s.access->List(s.request);
  if (!list.ok()) return Fail(list.status());
  if (flags.format == "json") {
    json::JsonWriter w;
    w.BeginArray();
    for (const snapshot::SnapshotSummary& e : *list) {
      w.BeginObject();
      w.Key("id");
      w.String(e.id);
      if (!e.error.empty()) {
        w.Key("error");
        w.String(e.error);
      } else {
        w.Key("runbook");
        w.String(e.runbook_id);
        w.Key("version");
        w.String(e.runbook_version);
        w.Key("created");
        w.String(FormatTimestamp(e.created_us));
        w.Key("rows");
        w.UInt(e.rows);
        w.Key("subject");
        w.String(e.subject);
      }
      w.EndObject();
    }
    w.EndArray();
    std::printf("%s\n", json::Prettify(w.str()).c_str());
    return ToInt(ExitCode::kOk);
  }
  std::printf("%-40s  %-24s  %-20s  %10s  %s\n", "ID", "RUNBOOK", "CREATED", "ROWS", "SUBJECT");
  for (const snapshot::SnapshotSummary& e : *list) {
    if (!e.error.empty()) {
      std::printf("%-40s  (unreadable: %s)\n", e.id.c_str(), e.error.c_str());
      continue;
    }
    std::printf("%-40s  %-24s  %-20s  %10llu  %s\n", e.id.c_str(),
                (e.runbook_id + " v" + e.runbook_version).c_str(),
                FormatTimestamp(e.created_us, 0, 'T', true).c_str(),
                static_cast<unsigned long long>(e.rows), e.subject.c_str());
  }
  std::printf("(%zu snapshot%s; listed from manifests, not verified)\n", list->size(),
              list->size() == 1 ? "" : "s");
  return ToInt(ExitCode::kOk);
}

int RunShow(const SnapshotFlags& flags) {
  auto opened = OpenSession(flags);
  if (int* code = std::get_if<int>(&opened)) return *code;
  Session& s = std::get<Session>(opened);
  Result<snapshot::ManifestView> view = s.access->Show(s.request, flags.id);
  if (!view.ok()) return Fail(view.status());
  std::printf("%s\n", json::Prettify(view->json).c_str());
  std::fprintf(stderr, "(manifest of %s, not verified; run `trailbook snapshot verify %s`)\n",
               view->dir.c_str(), flags.id.c_str());
  return ToInt(ExitCode::kOk);
}

int RunExport(const SnapshotFlags& flags) {
  auto opened = OpenSession(flags);
  if (int* code = std::get_if<int>(&opened)) return *code;
  Session& s = std::get<Session>(opened);
  Status exported = s.access->Export(s.request, flags.id, flags.dest);
  if (!exported.ok()) return Fail(exported);
  std::printf("exported snapshot %s to %s (verify it with docs/format/snapshot.md)\n",
              flags.id.c_str(), flags.dest.c_str());
  return ToInt(ExitCode::kOk);
}

void PrintReport(const SnapshotFlags& flags, const snapshot::VerifyReport& report,
                 const std::string& dir) {
  if (flags.format == "json") {
    json::JsonWriter w;
    w.BeginObject();
    w.Key("dir");
    w.String(dir);
    w.Key("id");
    if (report.manifest) {
      w.String(report.manifest->snapshot_id);
    } else {
      w.Null();
    }
    w.Key("ok");
    w.Bool(report.ok());
    w.Key("checks");
    w.BeginArray();
    for (const snapshot::VerifyCheck& c : report.checks) {
      w.BeginObject();
      w.Key("name");
      w.String(c.name);
      w.Key("ok");
      w.Bool(c.ok);
      w.Key("detail");
      w.String(c.detail);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    std::printf("%s\n", json::Prettify(w.str()).c_str());
    return;
  }
  for (const snapshot::VerifyCheck& c : report.checks) {
    std::printf("%-4s %-24s %s\n", c.ok ? "ok" : "FAIL", c.name.c_str(), c.detail.c_str());
  }
}

int RunVerify(const SnapshotFlags& flags) {
  std::string keys = flags.keys;
  if (keys.empty()) {
    const char* env = std::getenv("TRAILBOOK_SNAPSHOT_JWKS");
    if (env != nullptr) keys = env;
  }
  if (keys.empty()) {
    PrintError("snapshot verify needs the runner's published snapshot keys: --keys JWKS or "
               "$TRAILBOOK_SNAPSHOT_JWKS");
    return ToInt(ExitCode::kUsage);
  }
  Result<auth::JwkSet> trusted = snapshot::LoadTrustedSnapshotKeys(keys);
  if (!trusted.ok()) return Fail(trusted.status());

  const bool by_id = snapshot::ValidateSnapshotId(flags.id).ok();
  if (!by_id && !io::Exists(flags.id + "/" + snapshot::kManifestFile) &&
      !io::Exists(flags.id + "/" + snapshot::kSignatureFile)) {
    PrintError(flags.id + ": neither a snapshot id nor a snapshot directory");
    return ToInt(ExitCode::kUsage);
  }

  std::optional<Session> session;
  if (by_id || flags.rerun) {
    auto opened = OpenSession(flags);
    if (int* code = std::get_if<int>(&opened)) return *code;
    session.emplace(std::move(std::get<Session>(opened)));
  }
  snapshot::VerifyReport report;
  std::string dir = flags.id;
  if (by_id) {
    Result<snapshot::VerifyReport> verified =
        session->access->Verify(session->request, flags.id, *trusted, {});
    if (!verified.ok()) return Fail(verified.status());
    report = std::move(verified).value();
    dir = report.dir;
  } else {
    report = snapshot::VerifySnapshot(flags.id, *trusted, {});  // an exported copy
  }

  if (flags.rerun) {
    Result<runbook::RunbookLibrary> library =
        runbook::RunbookLibrary::LoadDirectory(ResolveRunbooksDir(flags.runbooks));
    if (!library.ok()) {
      PrintError(library.status().message());
      return ToInt(ExitCode::kRunbookError);
    }
    sql::QueryEngine engine(*session->store);
    runbook::Executor executor(*library, *session->verifier, engine, session->audit_log->log(), {});
    runbook::RunRequest rerun;
    rerun.token = session->request.token;
    rerun.origin = session->request.origin;
    snapshot::AppendRerunChecks(executor, rerun,
                                snapshot::StoreState::From(*session->store->Snapshot()), &report);
  }

  PrintReport(flags, report, dir);
  if (!report.ok()) {
    const snapshot::VerifyCheck* failure = report.first_failure();
    PrintError("snapshot " + dir + " does NOT verify: " +
               (failure != nullptr ? failure->name + ": " + failure->detail : "no checks ran"));
    return ToInt(ExitCode::kVerifyFailed);
  }
  std::printf("snapshot %s verified%s\n", dir.c_str(),
              flags.rerun ? " and re-run to the same result digest" : "");
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddSnapshotCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<SnapshotFlags>();
  CLI::App* cmd = app.add_subcommand(
      "snapshot", "Signed snapshots of runbook results (reading needs scope snapshot:read)");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "List the store's snapshots (oldest first)");
  AddStoreFlag(list, &flags->store);
  AddAuthFlags(list, &flags->auth);
  list->add_option("--format", flags->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  list->callback([flags, &action] { action = [flags] { return RunList(*flags); }; });

  CLI::App* show = cmd->add_subcommand("show", "Print a snapshot's manifest");
  AddStoreFlag(show, &flags->store);
  AddAuthFlags(show, &flags->auth);
  show->add_option("id", flags->id, "Snapshot id")->required();
  show->callback([flags, &action] { action = [flags] { return RunShow(*flags); }; });

  CLI::App* exp = cmd->add_subcommand("export", "Copy a snapshot's files into a directory");
  AddStoreFlag(exp, &flags->store);
  AddAuthFlags(exp, &flags->auth);
  exp->add_option("id", flags->id, "Snapshot id")->required();
  exp->add_option("dir", flags->dest, "Destination directory (created; must not hold a snapshot)")
      ->required();
  exp->callback([flags, &action] { action = [flags] { return RunExport(*flags); }; });

  CLI::App* verify = cmd->add_subcommand(
      "verify", "Verify a snapshot's signature, file hashes, completeness and row counts");
  AddStoreFlag(verify, &flags->store);
  AddAuthFlags(verify, &flags->auth);
  AddRunbooksFlag(verify, &flags->runbooks);
  verify->add_option("snapshot", flags->id,
                     "Snapshot id (needs a token), or the directory of an exported snapshot")
      ->required();
  verify->add_option("--keys", flags->keys,
                     "The runner's published snapshot JWKS (default: $TRAILBOOK_SNAPSHOT_JWKS)");
  verify->add_option("--format", flags->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  verify->add_flag("--rerun", flags->rerun,
                   "Also re-run the runbook (token with runbook:run) and compare the result "
                   "digest; the store must still hold exactly the snapshot's segments");
  verify->callback([flags, &action] { action = [flags] { return RunVerify(*flags); }; });
}

}  // namespace trailbook::cli
