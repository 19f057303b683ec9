// Audit trail throughput, end to end through the real AuditLog and verifier (issue 6):
//   1. Append: N events (default 1M, runbook-run sized, ~1 KB each) from T threads through
//      AuditLog::Append (group commit: one journal record and one fdatasync per batch);
//      events/s, CPU µs per event, events per commit.
//   2. Latency: one thread appending alone (every Append waits for its own fdatasync).
//   3. Verify: a signed digest over the trail, then VerifyAuditTrail (chain + digests);
//      events/s. Target: 1M events verified in < 5 s.
// Prints wall and process CPU time for each phase; on a shared machine the CPU figures
// (and the CPU µs per event) are the comparable ones.
//
//   build/bench/audit/audit_benchmark [--events N] [--threads T] [--dir DIR] [--keep]
//   build/bench/audit/audit_benchmark --verify-only STORE [--runs N]
// --keep leaves DIR (with DIR/store) in place; --verify-only then repeats phase 3 alone on
// it, e.g. once a shared machine is quiet.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "audit/audit_verifier.h"
#include "auth/jwks/key_files.h"
#include "io/file.h"
#include "storage/audit_journal.h"

namespace trailbook::audit {
namespace {

struct Options {
  uint64_t events = 1'000'000;
  unsigned threads = 32;
  std::string dir;
  bool keep = false;
  std::string verify_only;  // a kept store: only verify it, `runs` times
  int runs = 3;
};

double CpuSeconds() {
  rusage u;
  ::getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A RunRunbook event the size of a real one (bound parameters, result stats, five ordered
// verification steps).
AuditEvent MakeEvent(uint64_t i) {
  AuditEvent e;
  e.event_name = i % 10 == 0 ? "QueryAdhoc" : "RunRunbook";
  e.principal_id = "analyst" + std::to_string(i % 37) + "@example.com";
  e.issuer = "https://idp.example.com/";
  e.token_id = "jti-" + std::to_string(i / 50);
  e.token_sha256 = std::string(64, static_cast<char>('a' + i % 6));
  e.source_ip = "10.0." + std::to_string(i % 250) + "." + std::to_string(i % 199);
  e.user_agent = "trailbook-cli/0.1";
  e.request_parameters_json =
      R"({"runbook":"ir.principal-activity","version":3,"runbookSha256":")" +
      std::string(64, 'f') + R"(","params":{"principal":"arn:aws:iam::111122223333:user/u)" +
      std::to_string(i % 1000) +
      R"(","start":"2026-10-01T00:00:00Z","end":"2026-10-08T00:00:00Z"},"reason":"INC-)" +
      std::to_string(1000 + i % 300) + R"("})";
  e.response_elements_json = R"({"rows":)" + std::to_string(i % 500) +
                             R"(,"eventsScanned":)" + std::to_string(100000 + i) +
                             R"(,"bytesScanned":)" + std::to_string(5'000'000 + i * 7) +
                             R"(,"durationMs":)" + std::to_string(3 + i % 40) +
                             R"(,"resultSha256":")" + std::string(64, '0') + R"("})";
  e.additional_event_data_json =
      R"({"steps":[{"step":"parse","outcome":"ok"},{"step":"signature","outcome":"ok","kid":"idp-2026"},)"
      R"({"step":"claims","outcome":"ok"},{"step":"scope","outcome":"ok","scope":"runbook:run"},)"
      R"({"step":"constraints","outcome":"ok","accounts":["111122223333"]}]})";
  if (i % 50 == 7) {
    e.error_code = "AccessDenied";
    e.error_message = "runbook not in the token's runbooks claim";
  }
  return e;
}

// Verifies the audit trail of `store` (chain and digests) and prints the figures.
bool Verify(const std::string& store) {
  double cpu0 = CpuSeconds();
  double wall0 = WallSeconds();
  auto report = VerifyAuditTrail(store, {});
  double verify_wall = WallSeconds() - wall0, verify_cpu = CpuSeconds() - cpu0;
  if (!report.ok()) {
    std::fprintf(stderr, "verify: %s\n", report.status().ToString().c_str());
    return false;
  }
  double verified = static_cast<double>(report->events);
  std::printf("verify: %llu events, %llu digests, %s; %.2f s wall, %.2f s CPU; "
              "%.0f events/s wall, %.2f CPU us/event; 1M events in %.2f s wall (target < 5 s)\n",
              static_cast<unsigned long long>(report->events),
              static_cast<unsigned long long>(report->digests), report->ok() ? "OK" : "FAILED",
              verify_wall, verify_cpu, verified / verify_wall, verify_cpu * 1e6 / verified,
              verify_wall * 1e6 / verified);
  return report->ok();
}

int Run(const Options& options) {
  std::string root = options.dir;
  if (root.empty()) {
    char tmpl[] = "/tmp/tb_audit_bench_XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::fprintf(stderr, "cannot create a temporary directory\n");
      return 1;
    }
    root = tmpl;
  }
  std::string store = root + "/store";
  auto keys = auth::GenerateKeyFiles(root + "/keys", auth::JwsAlgorithm::kEdDSA, "bench");
  if (!keys.ok()) {
    std::fprintf(stderr, "keygen: %s\n", keys.status().ToString().c_str());
    return 1;
  }
  AuditLogOptions log_options;
  log_options.digest_key_path = keys->private_key_path;
  auto log = AuditLog::Open(store, log_options);
  if (!log.ok()) {
    std::fprintf(stderr, "open: %s\n", log.status().ToString().c_str());
    return 1;
  }
  std::printf("store %s, %llu events, %u appending threads\n", store.c_str(),
              static_cast<unsigned long long>(options.events), options.threads);

  // 1. Group-committed appends.
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  double cpu0 = CpuSeconds(), wall0 = WallSeconds();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < options.threads; ++t) {
    threads.emplace_back([&] {
      for (uint64_t i = next++; i < options.events && !failed; i = next++) {
        AuditEvent e = MakeEvent(i);
        if (!(*log)->Append(e).ok()) failed = true;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  double append_wall = WallSeconds() - wall0, append_cpu = CpuSeconds() - cpu0;
  if (failed) {
    std::fprintf(stderr, "an Append failed\n");
    return 1;
  }
  std::string journal = store + "/" + storage::kAuditJournalName;
  uint64_t commits = 0, journal_bytes = 0;
  {
    auto file = io::MappedFile::Open(journal);
    if (!file.ok()) return 1;
    journal_bytes = (*file)->data().size();
    storage::JournalScan scan = storage::ScanJournal((*file)->data(), 0);
    for (const auto& r : scan.records) commits += r.kind == storage::kJournalRecordBatch;
  }
  double n = static_cast<double>(options.events);
  std::printf("append: %.2f s wall, %.2f s CPU; %.0f events/s wall, %.1f CPU us/event; "
              "%llu commits (%.0f events per fdatasync); journal %.1f MB (%.0f B/event)\n",
              append_wall, append_cpu, n / append_wall, append_cpu * 1e6 / n,
              static_cast<unsigned long long>(commits), n / static_cast<double>(commits),
              static_cast<double>(journal_bytes) / 1e6, static_cast<double>(journal_bytes) / n);

  // 2. One thread alone: the latency of a durable Append.
  std::vector<double> latencies;
  for (uint64_t i = 0; i < 200; ++i) {
    AuditEvent e = MakeEvent(i);
    double t0 = WallSeconds();
    if (!(*log)->Append(e).ok()) return 1;
    latencies.push_back((WallSeconds() - t0) * 1e3);
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf("single-thread append latency: p50 %.2f ms, p99 %.2f ms (one fdatasync each)\n",
              latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100]);

  // 3. Digest, then verification of the whole trail.
  auto digest = (*log)->WriteDigest();
  if (!digest.ok() || !digest->written) {
    std::fprintf(stderr, "digest failed\n");
    return 1;
  }
  bool ok = Verify(store);
  if (!options.keep) {
    std::string command = "rm -rf '" + root + "'";
    if (std::system(command.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", root.c_str());
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace trailbook::audit

int main(int argc, char** argv) {
  trailbook::audit::Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--events") {
      options.events = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--threads") {
      options.threads = static_cast<unsigned>(std::strtoul(value().c_str(), nullptr, 10));
    } else if (arg == "--dir") {
      options.dir = value();
    } else if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--verify-only") {
      options.verify_only = value();
    } else if (arg == "--runs") {
      options.runs = std::atoi(value().c_str());
    } else {
      std::fprintf(stderr,
                   "usage: audit_benchmark [--events N] [--threads T] [--dir DIR] [--keep]\n"
                   "       audit_benchmark --verify-only STORE [--runs N]\n");
      return 2;
    }
  }
  if (!options.verify_only.empty()) {
    bool ok = true;
    for (int r = 0; r < std::max(options.runs, 1); ++r) {
      ok = trailbook::audit::Verify(options.verify_only) && ok;
    }
    return ok ? 0 : 1;
  }
  if (options.events == 0 || options.threads == 0) {
    std::fprintf(stderr, "--events and --threads must be > 0\n");
    return 2;
  }
  return trailbook::audit::Run(options);
}
