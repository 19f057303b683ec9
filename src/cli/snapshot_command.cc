// `trailbook snapshot list|show|export|verify`: signed snapshots of runbook results
// (docs/format/snapshot.md).
//
//   trailbook snapshot list [--format table|json]
//   trailbook snapshot show ID
//   trailbook snapshot export ID DIR
//   trailbook snapshot verify ID|DIR --keys JWKS [--format text|json]
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "base/timestamp.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "io/file.h"
#include "json/json_writer.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_manifest.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"

namespace trailbook::cli {
namespace {

struct SnapshotFlags {
  std::string store;
  std::string format;
  std::string id;      // ID (or ID|DIR for verify)
  std::string dest;    // export DIR
  std::string keys;    // trusted JWKS for verify
  bool rerun = false;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return ToInt(ExitCodeFor(status));
}

std::string SnapshotsDirFor(const SnapshotFlags& flags) {
  return snapshot::SnapshotsDir(ResolveStoreDir(flags.store));
}

int RunList(const SnapshotFlags& flags) {
  Result<std::vector<snapshot::SnapshotSummary>> list = snapshot::ListSnapshots(SnapshotsDirFor(flags));
  if (!list.ok()) return Fail(list.status());
  if (flags.format == "json") {
    json::JsonWriter w;
    w.BeginArray();
    for (const snapshot::SnapshotSummary& s : *list) {
      w.BeginObject();
      w.Key("id");
      w.String(s.id);
      if (!s.error.empty()) {
        w.Key("error");
        w.String(s.error);
      } else {
        w.Key("runbook");
        w.String(s.runbook_id);
        w.Key("version");
        w.String(s.runbook_version);
        w.Key("created");
        w.String(FormatTimestamp(s.created_us));
        w.Key("rows");
        w.UInt(s.rows);
        w.Key("subject");
        w.String(s.subject);
      }
      w.EndObject();
    }
    w.EndArray();
    std::printf("%s\n", json::Prettify(w.str()).c_str());
    return ToInt(ExitCode::kOk);
  }
  std::printf("%-40s  %-24s  %-20s  %10s  %s\n", "ID", "RUNBOOK", "CREATED", "ROWS", "SUBJECT");
  for (const snapshot::SnapshotSummary& s : *list) {
    if (!s.error.empty()) {
      std::printf("%-40s  (unreadable: %s)\n", s.id.c_str(), s.error.c_str());
      continue;
    }
    std::printf("%-40s  %-24s  %-20s  %10llu  %s\n", s.id.c_str(),
                (s.runbook_id + " v" + s.runbook_version).c_str(),
                FormatTimestamp(s.created_us, 0, 'T', true).c_str(),
                static_cast<unsigned long long>(s.rows), s.subject.c_str());
  }
  std::printf("(%zu snapshot%s; listed from manifests, not verified)\n", list->size(),
              list->size() == 1 ? "" : "s");
  return ToInt(ExitCode::kOk);
}

int RunShow(const SnapshotFlags& flags) {
  Result<std::string> dir = snapshot::FindSnapshot(SnapshotsDirFor(flags), flags.id);
  if (!dir.ok()) return Fail(dir.status());
  Result<std::string> manifest = io::ReadFile(*dir + "/" + snapshot::kManifestFile,
                                              snapshot::kMaxManifestBytes);
  if (!manifest.ok()) return Fail(manifest.status());
  Result<snapshot::SnapshotManifest> parsed = snapshot::ParseManifest(*manifest);
  if (!parsed.ok()) return Fail(parsed.status());
  std::printf("%s\n", json::Prettify(*manifest).c_str());
  std::fprintf(stderr, "(manifest of %s, not verified; run `trailbook snapshot verify %s`)\n",
               dir->c_str(), flags.id.c_str());
  return ToInt(ExitCode::kOk);
}

int RunExport(const SnapshotFlags& flags) {
  Result<std::string> dir = snapshot::FindSnapshot(SnapshotsDirFor(flags), flags.id);
  if (!dir.ok()) return Fail(dir.status());
  Status exported = snapshot::ExportSnapshot(*dir, flags.dest);
  if (!exported.ok()) return Fail(exported);
  std::printf("exported snapshot %s to %s (verify it with docs/format/snapshot.md)\n",
              flags.id.c_str(), flags.dest.c_str());
  return ToInt(ExitCode::kOk);
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
  if (flags.rerun) {
    // TODO(#6): re-run through runbook::Executor once it is in main.
    PrintError("--rerun needs the runbook executor, which this build does not have yet");
    return ToInt(ExitCode::kUsage);
  }
  Result<auth::JwkSet> trusted = snapshot::LoadTrustedSnapshotKeys(keys);
  if (!trusted.ok()) return Fail(trusted.status());

  snapshot::VerifyOptions options;
  std::string dir;
  if (snapshot::ValidateSnapshotId(flags.id).ok()) {
    Result<std::string> found = snapshot::FindSnapshot(SnapshotsDirFor(flags), flags.id);
    if (!found.ok()) return Fail(found.status());
    dir = *found;
    options.expected_id = flags.id;
  } else if (io::Exists(flags.id + "/" + snapshot::kManifestFile) ||
             io::Exists(flags.id + "/" + snapshot::kSignatureFile)) {
    dir = flags.id;  // an exported copy
  } else {
    PrintError(flags.id + ": neither a snapshot id nor a snapshot directory");
    return ToInt(ExitCode::kUsage);
  }
  snapshot::VerifyReport report = snapshot::VerifySnapshot(dir, *trusted, options);
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
  } else {
    for (const snapshot::VerifyCheck& c : report.checks) {
      std::printf("%-4s %-24s %s\n", c.ok ? "ok" : "FAIL", c.name.c_str(), c.detail.c_str());
    }
  }
  if (!report.ok()) {
    const snapshot::VerifyCheck* failure = report.first_failure();
    PrintError("snapshot " + dir + " does NOT verify: " +
               (failure != nullptr ? failure->name + ": " + failure->detail : "no checks ran"));
    return ToInt(ExitCode::kVerifyFailed);
  }
  std::printf("snapshot %s verified\n", dir.c_str());
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddSnapshotCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<SnapshotFlags>();
  CLI::App* cmd = app.add_subcommand("snapshot", "Signed snapshots of runbook results");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "List the store's snapshots (oldest first)");
  AddStoreFlag(list, &flags->store);
  list->add_option("--format", flags->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  list->callback([flags, &action] { action = [flags] { return RunList(*flags); }; });

  CLI::App* show = cmd->add_subcommand("show", "Print a snapshot's manifest");
  AddStoreFlag(show, &flags->store);
  show->add_option("id", flags->id, "Snapshot id")->required();
  show->callback([flags, &action] { action = [flags] { return RunShow(*flags); }; });

  CLI::App* exp = cmd->add_subcommand("export", "Copy a snapshot's files into a directory");
  AddStoreFlag(exp, &flags->store);
  exp->add_option("id", flags->id, "Snapshot id")->required();
  exp->add_option("dir", flags->dest, "Destination directory (created; must not hold a snapshot)")
      ->required();
  exp->callback([flags, &action] { action = [flags] { return RunExport(*flags); }; });

  CLI::App* verify = cmd->add_subcommand(
      "verify", "Verify a snapshot's signature, file hashes, completeness and row counts");
  AddStoreFlag(verify, &flags->store);
  verify->add_option("snapshot", flags->id, "Snapshot id, or the directory of an exported snapshot")
      ->required();
  verify->add_option("--keys", flags->keys,
                     "The runner's published snapshot JWKS (default: $TRAILBOOK_SNAPSHOT_JWKS)");
  verify->add_option("--format", flags->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  verify->add_flag("--rerun", flags->rerun,
                   "Also re-run the runbook on the same segments and compare the result digest");
  verify->callback([flags, &action] { action = [flags] { return RunVerify(*flags); }; });
}

}  // namespace trailbook::cli
