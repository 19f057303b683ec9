// runbook_bench: the overhead of the `run` path (runbook::Executor::Run: token verification,
// authorization, parameter binding, constraint injection, result hashing and the audit
// append) over the bare query, for a needle runbook (ir.source-ip-activity) on a store.
// In-process and interleaved (bare, run, bare, run, ...) so both see the same machine state;
// reports median wall and process CPU time of each and their difference. Each run uses a
// freshly minted token (minted outside the timed region), so verification is never a cache
// hit. Audit events go to a scratch store's audit log on the same file system as --scratch,
// so the benchmark store is not modified; the append (with its fsync) is part of the timing.
//
//   runbook_bench --store /tmp/store1m [--ip 195.3.134.181] [--runs 50] [--threads 2]
//                 [--runbooks runbooks] [--scratch /tmp]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/jwks/jwks_cache.h"
#include "auth/jwks/key_files.h"
#include "auth/jwt/token_builder.h"
#include "auth/jwt/token_verifier.h"
#include "base/timestamp.h"
#include "runbook/executor.h"
#include "runbook/runbook_loader.h"
#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace {

using namespace trailbook;  // NOLINT(google-build-using-namespace): a benchmark main.

double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double WallMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "runbook_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

constexpr char kIssuer[] = "https://bench.trailbook/";

}  // namespace

int main(int argc, char** argv) {
  std::string store_dir, ip = "195.3.134.181", runbooks_dir = "runbooks", scratch_base = "/tmp";
  int runs = 50;
  unsigned threads = 2;
  bool bad_flag = false;
  for (int i = 1; i < argc && !bad_flag; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--store") store_dir = next();
    else if (a == "--ip") ip = next();
    else if (a == "--runs") runs = std::max(3, std::atoi(next().c_str()));
    else if (a == "--threads") threads = static_cast<unsigned>(std::atoi(next().c_str()));
    else if (a == "--runbooks") runbooks_dir = next();
    else if (a == "--scratch") scratch_base = next();
    else bad_flag = true;
  }
  if (store_dir.empty() || bad_flag) {
    std::fprintf(stderr, "usage: runbook_bench --store DIR [--ip IP] [--runs N] [--threads N] "
                         "[--runbooks DIR] [--scratch DIR]\n");
    return 2;
  }
  std::string scratch = scratch_base + "/runbook-bench-XXXXXX";
  if (mkdtemp(scratch.data()) == nullptr) return Die("scratch", IOError(scratch));

  auto store = storage::Store::Open(store_dir, storage::Store::Mode::kReadOnly);
  if (!store.ok()) return Die("store", store.status());
  sql::QueryEngine engine(**store);
  auto library = runbook::RunbookLibrary::LoadDirectory(runbooks_dir);
  if (!library.ok()) return Die("runbooks", library.status());
  const runbook::Runbook* rb = library->Find("ir.source-ip-activity");
  if (rb == nullptr) return Die("runbooks", NotFound("ir.source-ip-activity"));

  auto keys = auth::GenerateKeyFiles(scratch + "/keys", auth::JwsAlgorithm::kES256, "bench");
  if (!keys.ok()) return Die("keygen", keys.status());
  auto signer = auth::LoadSigningKeyFile(keys->private_key_path);
  if (!signer.ok()) return Die("key", signer.status());
  auth::KeySourceConfig source;
  source.jwks_file = keys->jwks_path;
  source.cache.background_refresh = false;
  auto jwks = auth::JwksCache::Open(source, SystemClock());
  if (!jwks.ok()) return Die("jwks", jwks.status());
  auth::VerifierConfig vc;
  auth::IssuerConfig issuer;
  issuer.issuer = kIssuer;
  issuer.audiences = {"trailbook"};
  issuer.allowed_algs = {auth::JwsAlgorithm::kES256};
  issuer.keys = *jwks;
  vc.issuers.push_back(std::move(issuer));
  auto verifier = auth::TokenVerifier::Create(std::move(vc));
  if (!verifier.ok()) return Die("verifier", verifier.status());

  auto audit_log = audit::AuditLog::Open(scratch + "/audit-store", {});
  if (!audit_log.ok()) return Die("audit log", audit_log.status());
  runbook::ExecutorOptions options;
  options.threads = threads;
  runbook::Executor executor(*library, **verifier, engine, **audit_log, options);

  const std::map<std::string, std::string> raw = {
      {"ip", ip}, {"start", "2000-01-01T00:00:00Z"}, {"end", "now"}, {"max_rows", "100000"}};
  auto bound = runbook::BindParams(*rb, raw, SystemClock().NowMicros());
  if (!bound.ok()) return Die("params", bound.status());

  auto mint = [&]() -> Result<std::string> {
    auth::TokenSpec spec;
    spec.issuer = kIssuer;
    spec.audiences = {"trailbook"};
    spec.subject = "bench@example.com";
    spec.runbooks = {"ir.*"};
    spec.scopes = {"runbook:run"};
    spec.issued_at_us = SystemClock().NowMicros();
    spec.ttl_us = 15 * 60 * kMicrosPerSecond;
    return auth::MintToken(spec, *signer);
  };

  std::vector<double> bare_wall, bare_cpu, run_wall, run_cpu;
  uint64_t bare_rows = 0, run_rows = 0;
  for (int i = 0; i <= runs; ++i) {  // iteration 0 warms caches and is not counted
    // Bare: the same SQL and typed parameters straight into the engine, rows drained.
    double w0 = WallMs(), c0 = CpuMs();
    sql::QueryOptions qo;
    qo.parameters = bound->values;
    qo.threads = threads;
    auto result = engine.Execute(rb->query, qo);
    if (!result.ok()) return Die("bare query", result.status());
    uint64_t rows = 0;
    sql::DataChunk chunk;
    while (true) {
      auto more = (*result)->Next(&chunk);
      if (!more.ok()) return Die("bare query", more.status());
      if (!*more) break;
      rows += chunk.size;
    }
    double w1 = WallMs(), c1 = CpuMs();
    auto token = mint();
    if (!token.ok()) return Die("mint", token.status());
    runbook::RunRequest req;
    req.token = *token;
    req.runbook_id = rb->id;
    req.params = raw;
    double w2 = WallMs(), c2 = CpuMs();
    runbook::RunOutcome out = executor.Run(req);
    double w3 = WallMs(), c3 = CpuMs();
    if (!out.status.ok()) return Die("run", out.status);
    if (i == 0) continue;
    bare_wall.push_back(w1 - w0);
    bare_cpu.push_back(c1 - c0);
    run_wall.push_back(w3 - w2);
    run_cpu.push_back(c3 - c2);
    bare_rows = rows;
    run_rows = out.rows;
  }
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);

  std::printf("needle runbook ir.source-ip-activity ip=%s, %d runs, %u threads\n", ip.c_str(),
              runs, threads);
  std::printf("%-8s %10s %12s %12s\n", "path", "rows", "wall ms p50", "cpu ms p50");
  std::printf("%-8s %10llu %12.3f %12.3f\n", "bare", static_cast<unsigned long long>(bare_rows),
              Median(bare_wall), Median(bare_cpu));
  std::printf("%-8s %10llu %12.3f %12.3f\n", "run", static_cast<unsigned long long>(run_rows),
              Median(run_wall), Median(run_cpu));
  std::vector<double> dw, dc;
  for (size_t i = 0; i < run_wall.size(); ++i) {
    dw.push_back(run_wall[i] - bare_wall[i]);
    dc.push_back(run_cpu[i] - bare_cpu[i]);
  }
  std::printf("overhead p50 (paired): wall %.3f ms, cpu %.3f ms (target < 5 ms)\n", Median(dw),
              Median(dc));
  return bare_rows == run_rows ? 0 : 1;
}
