// trailbook demo [--dir DIR] [--events N]
//
// The README's "main job": generates a realistic CloudTrail data set in the S3 delivery
// layout, ingests it into a store, shows what the store holds, re-runs the ingest to show
// that nothing is read twice, and prints an event back losslessly. Then the runbook loop:
// creates a key pair, mints a short-lived token, runs two runbooks with it, shows a denied
// request's dry run, and reads back the audit events those requests wrote.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "audit/audit_log.h"
#include "auth/jwks/key_files.h"
#include "auth/jwt/token_builder.h"
#include "base/timestamp.h"
#include "cli/auth_flags.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/runbook_flags.h"
#include "cli/store_flags.h"
#include "gen/dataset_writer.h"
#include "gen/generator.h"
#include "ingest/ingest_pipeline.h"
#include "io/file.h"
#include "json/json_writer.h"
#include "runbook/executor.h"
#include "sql/exec/query_engine.h"
#include "storage/event_json.h"
#include "storage/store.h"
#include "storage/store_stats.h"

namespace trailbook::cli {
namespace {

struct DemoFlags {
  std::string dir = "trailbook-demo";
  uint64_t events = 200'000;
  std::string runbooks;
};

int Fail(const Status& s) {
  PrintError(s.message());
  return ToInt(ExitCodeFor(s));
}

void Step(const char* title) { std::printf("\n== %s\n", title); }

constexpr char kDemoIssuer[] = "https://trailbook.demo/";

// Mints a 15-minute demo token signed with the key in `keys_dir` (created on first use).
Result<std::string> MintDemoToken(const std::string& keys_dir, std::vector<std::string> runbooks,
                                  std::vector<std::string> scopes) {
  const std::string key_path = keys_dir + "/demo.key.pem";
  if (!io::Exists(key_path)) {
    TB_ASSIGN_OR_RETURN(auth::KeyFiles files,
                        auth::GenerateKeyFiles(keys_dir, auth::JwsAlgorithm::kES256, "demo"));
    std::printf("$ trailbook keygen --alg ES256 --kid demo --out %s\nprivate key %s (0600), "
                "public keys %s\n",
                keys_dir.c_str(), files.private_key_path.c_str(), files.jwks_path.c_str());
  }
  TB_ASSIGN_OR_RETURN(auth::Signer signer, auth::LoadSigningKeyFile(key_path));
  auth::TokenSpec spec;
  spec.issuer = kDemoIssuer;
  spec.audiences = {"trailbook"};
  spec.subject = "responder@example.com";
  spec.runbooks = std::move(runbooks);
  spec.scopes = std::move(scopes);
  spec.reason = "DEMO-1: walkthrough";
  spec.issued_at_us = SystemClock().NowMicros();
  spec.ttl_us = 15 * 60 * kMicrosPerSecond;
  return auth::MintToken(spec, signer);
}

// Runs one request through the executor and prints it the way `trailbook run` would.
void ShowRun(const runbook::Executor& executor, const std::string& token, const std::string& id,
             const std::map<std::string, std::string>& params, bool dry_run) {
  std::string command = "$ trailbook run " + id;
  for (const auto& [k, v] : params) command += " --param " + k + "=" + v;
  std::printf("%s%s\n", command.c_str(), dry_run ? " --dry-run" : "");
  runbook::RunRequest request;
  request.token = token;
  request.runbook_id = id;
  request.params = params;
  request.dry_run = dry_run;
  request.origin.user_agent = "trailbook-demo";
  runbook::RunOutcome outcome = executor.Run(request);
  if (dry_run) {
    PrintDryRun(outcome);
    return;
  }
  if (!outcome.status.ok()) {
    std::fflush(stdout);  // Keep the error (stderr) after the command line it belongs to.
    int code = ReportFailure(outcome);
    std::printf("(exit code %d)\n", code);
    return;
  }
  PrintRows("table", outcome);
  std::printf("%llu rows, %llu events scanned, result sha256 %s, audit event #%llu\n",
              static_cast<unsigned long long>(outcome.rows),
              static_cast<unsigned long long>(outcome.stats.rows_examined),
              outcome.result_sha256.c_str(),
              static_cast<unsigned long long>(outcome.receipt ? outcome.receipt->sequence : 0));
}

// Steps 6-9: keys, a token, two runbooks, a denied request, and the audit trail of them all.
int RunRunbookDemo(const DemoFlags& flags, storage::Store& store, int64_t first_us, int64_t last_us) {
  const std::string keys_dir = flags.dir + "/keys";
  const std::string store_dir = flags.dir + "/store";
  Step("6. A signing key and a short-lived token for an investigation");
  Result<std::string> token =
      MintDemoToken(keys_dir, {"ir.*", "audit.*"}, {"runbook:run", "audit:read"});
  if (!token.ok()) return Fail(token.status());
  std::printf("$ export TRAILBOOK_TOKEN=$(trailbook token mint --key %s/demo.key.pem --iss %s "
              "--sub responder@example.com --runbooks 'ir.*,audit.*' "
              "--scope 'runbook:run audit:read' --reason DEMO-1 --ttl 15m)\n",
              keys_dir.c_str(), kDemoIssuer);
  std::printf("$ export TRAILBOOK_JWKS=%s/jwks.json TRAILBOOK_ISSUER=%s\n", keys_dir.c_str(),
              kDemoIssuer);

  AuthFlags auth;
  auth.jwks = keys_dir + "/jwks.json";
  auth.issuer = kDemoIssuer;
  Result<std::unique_ptr<auth::TokenVerifier>> verifier = BuildVerifier(auth);
  if (!verifier.ok()) return Fail(verifier.status());
  const std::string runbooks_dir = ResolveRunbooksDir(flags.runbooks);
  Result<runbook::RunbookLibrary> library = runbook::RunbookLibrary::LoadDirectory(runbooks_dir);
  if (!library.ok()) return Fail(library.status());
  Result<std::unique_ptr<audit::AuditLog>> audit_log = audit::AuditLog::Open(store_dir, {});
  if (!audit_log.ok()) return Fail(audit_log.status());
  sql::QueryEngine engine(store);
  runbook::ExecutorOptions options;
  runbook::Executor executor(*library, **verifier, engine, **audit_log, options);
  std::printf("%zu runbooks in %s ($ trailbook runbook list)\n", library->runbooks().size(),
              runbooks_dir.c_str());

  // The generated data lies in the past: ask for its whole time range.
  const std::string start = FormatTimestamp(first_us);
  const std::string end = FormatTimestamp(last_us);
  Step("7. Run two runbooks: verified, authorized, constrained, audited");
  ShowRun(executor, *token, "ir.console-logins",
          {{"start", start}, {"end", end}, {"max_rows", "8"}}, false);
  std::printf("\n");
  ShowRun(executor, *token, "ir.access-denied-bursts",
          {{"start", start}, {"end", end}, {"min_count", "3"}, {"max_rows", "8"}}, false);

  Step("8. A token limited to one runbook is refused another; --dry-run shows why");
  Result<std::string> narrow = MintDemoToken(keys_dir, {"ir.console-logins"}, {"runbook:run"});
  if (!narrow.ok()) return Fail(narrow.status());
  ShowRun(executor, *narrow, "ir.control-plane-changes", {{"start", start}, {"end", end}}, false);
  std::printf("\n");
  ShowRun(executor, *narrow, "ir.control-plane-changes", {{"start", start}, {"end", end}}, true);

  Step("9. Every request above is an audit event in the same store");
  ShowRun(executor, *token, "audit.who-ran-what", {{"start", "-1h"}, {"max_rows", "20"}}, false);
  std::printf("\nNext: trailbook runbook list; trailbook run ir.principal-activity --param "
              "principal_arn=... --store %s\n", store_dir.c_str());
  return 0;
}

int RunDemo(const DemoFlags& flags) {
  const std::string logs = flags.dir + "/logs";
  const std::string store_dir = flags.dir + "/store";
  Step("1. Generate CloudTrail logs (S3 delivery layout, deterministic)");
  if (io::Exists(logs)) {
    std::printf("reusing %s (delete %s to start over)\n", logs.c_str(), flags.dir.c_str());
  } else {
    gen::GeneratorOptions options;
    options.events = flags.events;
    options.seed = 1;
    options.threads = 2;
    Result<gen::GenerationSummary> g = gen::WriteDataset(options, logs);
    if (!g.ok()) return Fail(g.status());
    std::printf("wrote %llu events in %llu files (%.1f MB gzipped) under %s/AWSLogs/\n",
                static_cast<unsigned long long>(g->records),
                static_cast<unsigned long long>(g->files),
                static_cast<double>(g->gzip_bytes) / 1e6, logs.c_str());
  }

  auto store = storage::Store::Open(store_dir, storage::Store::Mode::kReadWrite);
  if (!store.ok()) return Fail(store.status());
  ingest::IngestOptions options;
  std::vector<std::string> paths{logs};
  for (int run = 1; run <= 2; ++run) {
    Step(run == 1 ? "2. Ingest them into the event store"
                  : "3. Ingest again: the ledger skips what is already stored");
    Result<ingest::IngestSummary> s = ingest::Ingest(**store, paths, options, nullptr);
    if (!s.ok()) return Fail(s.status());
    std::printf("$ trailbook ingest --store %s %s\n", store_dir.c_str(), logs.c_str());
    std::printf("files: %llu read, %llu unchanged, %llu digest files skipped; events added: %llu, "
                "duplicates: %llu, rejected: %llu; %.2f s\n",
                static_cast<unsigned long long>(s->files_read),
                static_cast<unsigned long long>(s->files_unchanged),
                static_cast<unsigned long long>(s->files_skipped),
                static_cast<unsigned long long>(s->events_added),
                static_cast<unsigned long long>(s->duplicates),
                static_cast<unsigned long long>(s->records_rejected), s->seconds);
  }

  Step("4. What the store holds");
  auto snapshot = (*store)->Snapshot();
  Result<storage::StoreStats> stats = storage::ComputeStoreStats(*snapshot);
  if (!stats.ok()) return Fail(stats.status());
  std::printf("$ trailbook stats --store %s\n", store_dir.c_str());
  std::printf("eds id      %s\nevents      %llu\ntime range  %s .. %s\naccounts    %zu\n"
              "regions     %zu\nsegments    %llu (%.1f MB)\n",
              stats->eds_id.c_str(), static_cast<unsigned long long>(stats->events),
              FormatTimestamp(stats->first_event_time).c_str(),
              FormatTimestamp(stats->last_event_time).c_str(), stats->accounts.size(),
              stats->regions.size(), static_cast<unsigned long long>(stats->segments),
              static_cast<double>(stats->bytes) / 1e6);

  Step("5. Any event comes back exactly as ingested");
  if (!snapshot->segments().empty()) {
    const auto& seg = snapshot->segments().front();
    storage::SegmentRowValues values(*seg, 0);
    std::string json;
    Status s = storage::RebuildEventJson(values, &json);
    if (!s.ok()) return Fail(s);
    auto id = seg->StringAt(storage::EventSchema::Get().event_id_column(), 0);
    if (!id.ok()) return Fail(id.status());
    std::printf("$ trailbook cat --store %s --event-id %s --pretty\n%s\n", store_dir.c_str(),
                id->value_or("?").c_str(), json::Prettify(json).c_str());
  }
  return RunRunbookDemo(flags, **store, stats->first_event_time, stats->last_event_time);
}

}  // namespace

void AddDemoCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Generate CloudTrail logs, ingest them and show the store (built-in demo data)");
  cmd->add_option("--dir", flags->dir, "Working directory (default ./trailbook-demo)");
  cmd->add_option("--events", flags->events, "Events to generate (default 200000)")
      ->check(CLI::Range(uint64_t{1000}, uint64_t{100'000'000}));
  AddRunbooksFlag(cmd, &flags->runbooks);
  cmd->callback([flags, &action] { action = [flags] { return RunDemo(*flags); }; });
}

}  // namespace trailbook::cli
