// trailbook query [--store DIR] [--format table|json|ndjson|csv] [--file q.sql] [--eds-id ID]
//                 [--param name=value] [--explain] [--max-memory MB] [--timeout S] ["SQL"]
//                 [--token T] [--config FILE | --jwks FILE|URL --issuer ISS] [--reason TEXT]
// Ad-hoc SQL needs a token with scope query:adhoc; it runs through runbook::Executor, so the
// token's constraints are injected and the request is audited (docs/runbooks.md).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "audit/audit_log.h"
#include "cli/command_audit.h"
#include "base/timestamp.h"
#include "cli/auth_flags.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "cli/runbook_flags.h"
#include "io/file.h"
#include "runbook/executor.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"
#include "storage/store.h"

namespace trailbook::cli {
namespace {

struct QueryFlags {
  std::string store;
  std::string format = "table";
  std::string file;
  std::string sql;
  std::vector<std::string> eds_ids;
  std::vector<std::string> params;
  bool explain = false;
  size_t max_memory_mb = 2048;
  double timeout_s = 0;
  unsigned threads = 0;
  std::string reason;
  AuthFlags auth;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return ToInt(ExitCodeFor(status));
}

// Parses --param name=value (varchar) or name:bigint=5 / name:double=1.5 / name:boolean=true /
// name:timestamp=2026-01-01T00:00:00Z.
Status ParseParam(const std::string& text, std::map<std::string, sql::Value>* out) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return InvalidArgument("--param wants name=value or name:type=value, got '" + text + "'");
  }
  std::string name = text.substr(0, eq);
  std::string value = text.substr(eq + 1);
  std::string type = "varchar";
  size_t colon = name.find(':');
  if (colon != std::string::npos) {
    type = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  if (type == "varchar") {
    (*out)[name] = sql::Value::Varchar(value);
  } else if (type == "bigint") {
    char* end = nullptr;
    long long v = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0') return InvalidArgument("--param " + name + ": not a bigint");
    (*out)[name] = sql::Value::Bigint(v);
  } else if (type == "double") {
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') return InvalidArgument("--param " + name + ": not a double");
    (*out)[name] = sql::Value::Double(v);
  } else if (type == "boolean") {
    if (value != "true" && value != "false") {
      return InvalidArgument("--param " + name + ": not a boolean");
    }
    (*out)[name] = sql::Value::Boolean(value == "true");
  } else if (type == "timestamp") {
    auto us = ParseTimestamp(value);
    if (!us) return InvalidArgument("--param " + name + ": not a timestamp");
    (*out)[name] = sql::Value::Timestamp(*us);
  } else {
    return InvalidArgument("--param " + name + ": unknown type '" + type +
                           "' (varchar, bigint, double, boolean, timestamp)");
  }
  return Status::OK();
}

int RunQuery(const QueryFlags& flags) {
  std::string sql = flags.sql;
  if (!flags.file.empty()) {
    if (!sql.empty()) return Fail(InvalidArgument("give the query as an argument or --file, not both"));
    auto text = flags.file == "-" ? io::ReadStdin(1 << 20) : io::ReadFile(flags.file, 1 << 20);
    if (!text.ok()) return Fail(text.status());
    sql = std::move(text).value();
  }
  if (sql.empty()) return Fail(InvalidArgument("no query: pass \"SQL\" or --file q.sql"));
  if (!ValidOutputFormat(flags.format)) {
    return Fail(InvalidArgument("--format must be table, json, ndjson or csv"));
  }
  sql::QueryOptions options;
  for (const std::string& p : flags.params) {
    Status s = ParseParam(p, &options.parameters);
    if (!s.ok()) return Fail(s);
  }
  options.eds_ids = flags.eds_ids;
  options.memory_limit_bytes = flags.max_memory_mb << 20;
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_s * 1000));
  options.threads = flags.threads;

  Result<std::unique_ptr<auth::TokenVerifier>> verifier = BuildVerifier(flags.auth);
  if (!verifier.ok()) {
    PrintError(verifier.status().message());
    return ToInt(verifier.status().code() == StatusCode::kInvalidArgument ? ExitCode::kUsage
                                                                          : ExitCode::kFailure);
  }
  const std::string store_dir = ResolveStoreDir(flags.store);
  auto store = storage::Store::Open(store_dir, storage::Store::Mode::kReadOnly);
  if (!store.ok()) return Fail(store.status());
  auto audit_log = CommandAuditLog::Open(store_dir);
  if (!audit_log.ok()) return Fail(audit_log.status());
  sql::QueryEngine engine(**store, sql::EngineOptions{.text_block_cache_bytes = 0});
  runbook::ExecutorOptions executor_options;
  executor_options.memory_limit_bytes = options.memory_limit_bytes;
  executor_options.timeout = options.timeout;
  executor_options.threads = options.threads;
  const runbook::RunbookLibrary no_runbooks;
  runbook::Executor executor(no_runbooks, **verifier, engine, (*audit_log)->log(), executor_options);
  runbook::QueryRequest request;
  request.token = ResolveToken(flags.auth);
  request.sql = std::move(sql);
  request.reason = flags.reason;
  request.eds_ids = options.eds_ids;
  request.parameters = std::move(options.parameters);
  request.origin.user_agent = "trailbook-cli/0.1";
  runbook::RunOutcome outcome = executor.Query(request);
  if (!outcome.status.ok()) return ReportFailure(outcome);
  if (flags.explain) {
    std::fwrite(outcome.plan.data(), 1, outcome.plan.size(), stdout);
    return 0;
  }
  PrintRows(flags.format, outcome);
  return 0;
}

}  // namespace

void AddQueryCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<QueryFlags>();
  CLI::App* cmd = app.add_subcommand("query", "Run a CloudTrail Lake SQL query against the store");
  AddStoreFlag(cmd, &flags->store);
  cmd->add_option("sql", flags->sql, "The query (or use --file)");
  cmd->add_option("--format", flags->format, "table, json, ndjson or csv (default table)");
  cmd->add_option("--file", flags->file, "Read the query from a file ('-' for stdin)");
  cmd->add_option("--eds-id", flags->eds_ids,
                  "An event data store id that names this store (repeatable), e.g. the Lake id "
                  "a query was written for")
      ->allow_extra_args(false);
  cmd->add_option("--param", flags->params,
                  "Bind :name (name=value, or name:bigint|double|boolean|timestamp=value)")
      ->allow_extra_args(false);
  cmd->add_flag("--explain", flags->explain,
                "Run the query and print its plan, pushed predicates and pruning instead of rows");
  cmd->add_option("--max-memory", flags->max_memory_mb, "Memory limit in MiB (default 2048)");
  cmd->add_option("--timeout", flags->timeout_s, "Cancel the query after this many seconds");
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  cmd->add_option("--reason", flags->reason, "Justification recorded in the audit event");
  AddAuthFlags(cmd, &flags->auth);
  cmd->callback([flags, &action] { action = [flags] { return RunQuery(*flags); }; });
}

}  // namespace trailbook::cli
