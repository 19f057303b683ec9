// trailbook audit verify [--store DIR] [--from T] [--to T] [--jwks FILE] [--json]
// trailbook audit digest [--store DIR] --key FILE [--account ID] [--region R]
// trailbook audit export [--store DIR] [--from T] [--to T] OUT
// trailbook audit compact [--store DIR] [--min-segments N]
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "audit/audit_export.h"
#include "audit/audit_fold.h"
#include "audit/audit_log.h"
#include "audit/audit_verifier.h"
#include "base/timestamp.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "server/audit_folder.h"
#include "storage/segment_compaction.h"
#include "storage/store.h"

namespace trailbook::cli {
namespace {

struct AuditFlags {
  std::string store;
  std::string from;
  std::string to;
  std::string jwks;
  bool json = false;
  std::string key;
  std::string account = "000000000000";
  std::string region = "local";
  std::string out;
  size_t min_segments = 2;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return ToInt(ExitCodeFor(status));
}

// Parses --from/--to into `from_us`/`to_us`; prints the error and returns false when one
// is not a timestamp.
bool ParseWindow(const AuditFlags& flags, std::optional<int64_t>* from_us,
                 std::optional<int64_t>* to_us) {
  for (auto [text, out] : {std::pair{&flags.from, from_us}, std::pair{&flags.to, to_us}}) {
    if (text->empty()) continue;
    std::optional<int64_t> t = ParseTimestamp(*text);
    if (!t) {
      PrintError("--from/--to: not a timestamp: " + *text);
      return false;
    }
    *out = *t;
  }
  return true;
}

int RunVerify(const AuditFlags& flags) {
  audit::AuditVerifyOptions options;
  options.jwks_path = flags.jwks;
  if (!ParseWindow(flags, &options.from_us, &options.to_us)) return ToInt(ExitCode::kUsage);
  std::string dir = ResolveStoreDir(flags.store);
  auto report = audit::VerifyAuditTrail(dir, options);
  if (!report.ok()) return Fail(report.status());
  if (flags.json) {
    std::printf("%s\n", audit::AuditVerifyReportJson(*report, /*pretty=*/true).c_str());
  } else {
    std::printf("audit events: %llu (sequences 1..%llu), digests: %llu, signed through %llu\n",
                static_cast<unsigned long long>(report->events),
                static_cast<unsigned long long>(report->last_sequence),
                static_cast<unsigned long long>(report->digests),
                static_cast<unsigned long long>(report->covered_through));
    if (report->torn_tail) {
      std::printf("note: a partial record from an interrupted write was ignored\n");
    }
    if (report->covered_through < report->last_sequence) {
      std::printf("note: sequences %llu..%llu are not covered by a digest yet\n",
                  static_cast<unsigned long long>(report->covered_through + 1),
                  static_cast<unsigned long long>(report->last_sequence));
    }
    for (const auto& p : report->problems) {
      std::printf("FAIL sequence %llu: %s: %s\n", static_cast<unsigned long long>(p.sequence),
                  p.kind.c_str(), p.detail.c_str());
    }
    if (report->ok()) {
      std::printf("OK\n");
    } else {
      std::printf("audit trail verification FAILED; first bad sequence: %llu\n",
                  static_cast<unsigned long long>(report->first_bad_sequence()));
    }
  }
  std::fflush(stdout);
  return report->ok() ? 0 : ToInt(ExitCode::kVerifyFailed);
}

int RunDigest(const AuditFlags& flags) {
  audit::AuditLogOptions options;
  options.digest_key_path = flags.key;
  options.account_id = flags.account;
  options.region = flags.region;
  auto log = audit::AuditLog::Open(ResolveStoreDir(flags.store), options);
  if (!log.ok()) return Fail(log.status());
  auto receipt = (*log)->WriteDigest();
  if (!receipt.ok()) return Fail(receipt.status());
  if (!receipt->written) {
    std::printf("no audit event since the last digest; nothing written\n");
  } else {
    std::printf("wrote %s covering sequences %llu..%llu\n", receipt->path.c_str(),
                static_cast<unsigned long long>(receipt->first_sequence),
                static_cast<unsigned long long>(receipt->last_sequence));
  }
  return 0;
}

int RunExport(const AuditFlags& flags) {
  audit::AuditExportOptions options;
  if (!ParseWindow(flags, &options.from_us, &options.to_us)) return ToInt(ExitCode::kUsage);
  auto summary = audit::ExportAuditTrail(ResolveStoreDir(flags.store), flags.out, options);
  if (!summary.ok()) return Fail(summary.status());
  std::printf("exported %llu audit events in %llu files and %llu digests to %s\n",
              static_cast<unsigned long long>(summary->events),
              static_cast<unsigned long long>(summary->event_files),
              static_cast<unsigned long long>(summary->digests), flags.out.c_str());
  return 0;
}

// Folds the journal, then merges the small audit-only segments of each UTC day.
int RunCompact(const AuditFlags& flags) {
  // A server folding audit events holds the writer lock for milliseconds at a time.
  auto store = storage::Store::Open(ResolveStoreDir(flags.store), storage::Store::Mode::kReadWrite,
                                    SystemClock(), std::chrono::seconds(10));
  if (!store.ok()) return Fail(store.status());
  auto folded = audit::FoldAuditJournal(**store);
  if (!folded.ok()) return Fail(folded.status().WithContext("folding the audit journal"));
  storage::SegmentCompactionOptions options;
  options.min_segments = flags.min_segments;
  auto pinned = server::SnapshotPinnedSegments((*store)->dir());
  if (!pinned.ok()) return Fail(pinned.status());
  options.keep = std::move(pinned).value();
  auto compacted = storage::CompactSegments(**store, options);
  if (!compacted.ok()) return Fail(compacted.status());
  std::printf("folded %llu audit events; merged %llu small audit segments into %llu (%llu events)\n",
              static_cast<unsigned long long>(folded->events),
              static_cast<unsigned long long>(compacted->segments_removed),
              static_cast<unsigned long long>(compacted->segments_added),
              static_cast<unsigned long long>(compacted->rows));
  return 0;
}

}  // namespace

void AddAuditCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<AuditFlags>();
  CLI::App* cmd = app.add_subcommand("audit", "Verify and sign the tamper-evident audit trail");
  cmd->require_subcommand(1);

  CLI::App* verify = cmd->add_subcommand(
      "verify", "Walk the audit hash chain and the signed digests; exit 9 on tampering");
  AddStoreFlag(verify, &flags->store);
  verify->add_option("--from", flags->from, "Only report events/digests from this time");
  verify->add_option("--to", flags->to, "Only report events/digests up to this time");
  verify->add_option("--jwks", flags->jwks,
                     "Trusted JWKS with the digest public keys (default: the store's "
                     "audit/digest-keys.jwks)");
  verify->add_flag("--json", flags->json, "Print the report as JSON");
  verify->callback([flags, &action] { action = [flags] { return RunVerify(*flags); }; });

  CLI::App* digest = cmd->add_subcommand(
      "digest", "Write a signed digest of the audit events since the previous digest");
  AddStoreFlag(digest, &flags->store);
  digest->add_option("--key", flags->key,
                     "Private key file from `trailbook keygen` (mode 0600; EdDSA or ES256)")
      ->required();
  digest->add_option("--account", flags->account, "recipientAccountId (12 digits)");
  digest->add_option("--region", flags->region, "awsRegion of audit events (default local)");
  digest->callback([flags, &action] { action = [flags] { return RunDigest(*flags); }; });

  CLI::App* exp = cmd->add_subcommand(
      "export",
      "Write audit events and digests as CloudTrail files in the S3 delivery layout "
      "(OUT/AWSLogs/<account>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/*.json.gz)");
  AddStoreFlag(exp, &flags->store);
  exp->add_option("--from", flags->from, "Only events (and digests) from this time");
  exp->add_option("--to", flags->to, "Only events (and digests) up to this time");
  exp->add_option("out", flags->out, "Output directory")->required();
  exp->callback([flags, &action] { action = [flags] { return RunExport(*flags); }; });

  CLI::App* compact = cmd->add_subcommand(
      "compact",
      "Fold the audit journal, then merge each UTC day's small audit segments into one "
      "(lossless; one atomic commit; docs/format/audit.md)");
  AddStoreFlag(compact, &flags->store);
  compact->add_option("--min-segments", flags->min_segments,
                      "Merge a day only when it holds at least this many small segments "
                      "(default 2)")
      ->check(CLI::Range(size_t{2}, size_t{1000000}));
  compact->callback([flags, &action] { action = [flags] { return RunCompact(*flags); }; });
}

}  // namespace trailbook::cli
