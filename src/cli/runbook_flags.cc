#include "cli/runbook_flags.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/timestamp.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "sql/exec/result_writer.h"

namespace trailbook::cli {

void AddRunbooksFlag(CLI::App* cmd, std::string* dir) {
  cmd->add_option("--runbooks", *dir,
                  "Runbook directory (default: $TRAILBOOK_RUNBOOKS, else the built-in library)");
}

std::string ResolveRunbooksDir(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("TRAILBOOK_RUNBOOKS"); env && *env) return env;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const char* rel : {"../runbooks", "../share/trailbook/runbooks"}) {
      std::filesystem::path candidate = exe.parent_path() / rel;
      if (std::filesystem::is_directory(candidate, ec)) return candidate.lexically_normal().string();
    }
  }
#ifdef TB_SOURCE_RUNBOOKS_DIR
  return TB_SOURCE_RUNBOOKS_DIR;
#else
  return "runbooks";
#endif
}

bool ValidOutputFormat(const std::string& format) {
  return format == "table" || format == "json" || format == "ndjson" || format == "csv";
}

void PrintRows(const std::string& format, const runbook::RunOutcome& outcome) {
  sql::ResultFormat f = format == "json"     ? sql::ResultFormat::kJson
                        : format == "ndjson" ? sql::ResultFormat::kNdjson
                        : format == "csv"    ? sql::ResultFormat::kCsv
                                             : sql::ResultFormat::kTable;
  sql::ResultWriter writer(f, outcome.column_names, outcome.column_types);
  std::string out;
  for (const sql::DataChunk& chunk : outcome.chunks) {
    writer.Write(chunk, &out);
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  }
  writer.Finish(&out);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

void PrintDryRun(const runbook::RunOutcome& o) {
  std::printf("dry run: nothing was executed\n");
  std::printf("request:     %s\n", o.request_id.c_str());
  if (!o.runbook_id.empty()) {
    std::printf("runbook:     %s", o.runbook_id.c_str());
    if (!o.runbook_version.empty()) {
      std::printf(" version %s sha256 %s", o.runbook_version.c_str(), o.runbook_hash.c_str());
    }
    std::printf("\n");
  }
  if (!o.token_verified) {
    std::printf("decision:    DENIED: invalid token (the failing step is in the audit log, "
                "request %s; `trailbook token inspect --jwks ...` shows it)\n",
                o.request_id.c_str());
    return;
  }
  const auth::Principal& p = *o.principal;
  std::printf("principal:   %s (issuer %s, token %s, expires %s)\n", p.subject.c_str(),
              p.issuer.c_str(), p.token_id.c_str(), FormatTimestamp(p.expires_at_us).c_str());
  if (o.decision.allowed && o.status.ok()) {
    std::printf("decision:    ALLOWED by claims %s\n", o.decision.claim.c_str());
  } else if (!o.decision.allowed && !o.decision.claim.empty()) {
    std::printf("decision:    DENIED by claim '%s': %s\n", o.decision.claim.c_str(),
                o.decision.detail.c_str());
  } else {
    std::printf("decision:    FAILED: %s\n", o.status.message().c_str());
  }
  std::printf("steps:\n");
  for (const auth::VerificationStep& s : o.token_steps) {
    std::printf("  %-12s %-7s %s\n", s.name.c_str(), std::string(auth::OutcomeName(s.outcome)).c_str(),
                s.detail.c_str());
  }
  for (const auth::VerificationStep& s : o.decision.steps) {
    std::printf("  %-12s %-7s %s\n", s.name.c_str(), std::string(auth::OutcomeName(s.outcome)).c_str(),
                s.detail.c_str());
  }
  if (!o.reason.empty()) std::printf("reason:      %s\n", o.reason.c_str());
  if (!o.params.display.empty()) {
    std::printf("parameters:\n");
    for (const auto& [name, text] : o.params.display) {
      bool defaulted = std::find(o.params.defaulted.begin(), o.params.defaulted.end(), name) !=
                       o.params.defaulted.end();
      std::printf("  :%s = %s%s\n", name.c_str(), text.c_str(), defaulted ? "  (default)" : "");
    }
  }
  std::printf("constraints: %s\n",
              o.constraints.any() ? o.constraints.ToString().c_str() : "none");
  if (!o.plan.empty()) std::printf("plan:\n%s", o.plan.c_str());
  if (!o.plan.empty() && o.plan.back() != '\n') std::printf("\n");
  if (o.receipt) {
    std::printf("audit:       event %s (sequence %llu)\n", o.receipt->event_id.c_str(),
                static_cast<unsigned long long>(o.receipt->sequence));
  }
  std::fflush(stdout);
}

int ReportFailure(const runbook::RunOutcome& o) {
  PrintError(o.status.message() + (o.request_id.empty() ? "" : " (request " + o.request_id + ")"));
  return ToInt(ExitCodeFor(o.status));
}

}  // namespace trailbook::cli
