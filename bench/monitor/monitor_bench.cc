// monitor_bench: end-to-end benchmarks of `trailbook monitor` (issue 8), in-process with the
// real daemon (ingest, runbook::Executor with a service token, audit log, state file,
// deliveries) on the system clock, in a fresh temporary directory.
//
//   monitor_bench latency    [--iterations 20] [--poll 1s]
//       A log file with a login-failure burst from a new IP appears (atomic rename); the time
//       until its alert is delivered. Target: p50 < 1 s with a 1 s poll.
//   monitor_bench throughput [--seconds 60] [--rate 50000] [--rules 20] [--file-events 5000]
//                            [--window 10m] [--lookback 15m] [--report-every 5] [--backlog 0]
//       A producer thread drops files at `rate` events/s while `rules` detection runbooks run
//       every 10 s; ingested events/s, detection pass times and peak RSS. Target: >= 50,000
//       events/s, bounded memory. Progress (RSS, anonymous and file) every --report-every
//       seconds on stderr; input files are deleted once ingested. --backlog S: S seconds of
//       events wait before the monitor starts, so its first pass drains a backlog. The rules
//       keep at most max_rows_per_rule rows with evidence (default 20,000 each, full within
//       a few minutes here) and older rows as counts per (key, second) for lookback +
//       2 * window (monitor/alert_engine.h); progress reports the rows kept as counts.
//
// Prints one JSON line of results (and progress on stderr); throughput also reports what the
// detection runs scanned (rows examined per ingested event per rule: about 1 when each run
// reads only what was ingested since the previous one) and the load average. The machine is shared: the
// numbers are only comparable within one run; the lead runs the final ones.
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "auth/jwks/key_files.h"
#include "auth/jwt/token_builder.h"
#include "base/timestamp.h"
#include "io/file.h"
#include "monitor/monitor_daemon.h"

namespace {

using namespace trailbook;  // NOLINT(google-build-using-namespace): a benchmark driver.
using Steady = std::chrono::steady_clock;

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// A field of /proc/self/status in kB ("VmRSS", "RssAnon", "RssFile"), or -1.
long StatusKb(const char* field) {
  Result<std::string> status = io::ReadFile("/proc/self/status");
  if (!status.ok()) return -1;
  std::string key = std::string(field) + ":";
  size_t at = status->find(key);
  return at == std::string::npos ? -1 : std::atol(status->c_str() + at + key.size());
}

long CurrentRssKb() { return StatusKb("VmRSS"); }

// The size of a file in bytes, or 0 when it cannot be read.
long long FileBytes(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : 0;
}

// The 1-minute load average (the machine is shared; see the header comment).
double LoadAverage() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

[[noreturn]] void Die(const Status& s) {
  std::fprintf(stderr, "monitor_bench: %s\n", s.ToString().c_str());
  std::exit(1);
}

template <typename T>
T Check(Result<T> r) {
  if (!r.ok()) Die(r.status());
  return std::move(r).value();
}

void Check(const Status& s) {
  if (!s.ok()) Die(s);
}

constexpr const char* kEventNames[] = {"GetObject", "AssumeRole", "DescribeInstances",
                                       "ListBuckets", "PutObject", "GetCallerIdentity",
                                       "CreateUser", "AttachRolePolicy", "StopLogging",
                                       "ConsoleLogin"};

// Appends one CloudTrail record. `failure` makes it a failed console login from `ip`.
void AppendEvent(std::string* json, uint64_t id, int64_t time_us, const std::string& ip,
                 const char* event_name, bool failure, uint64_t user) {
  char event_id[40];
  std::snprintf(event_id, sizeof(event_id), "00000000-0000-4000-8000-%012llu",
                static_cast<unsigned long long>(id % 1'000'000'000'000ULL));
  *json += R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA)";
  *json += std::to_string(user);
  *json += R"(","arn":"arn:aws:iam::111122223333:user/u)";
  *json += std::to_string(user);
  *json += R"(","accountId":"111122223333","userName":"u)";
  *json += std::to_string(user);
  *json += R"("},"eventTime":")";
  *json += FormatTimestamp(time_us);
  *json += R"(","eventSource":")";
  *json += failure || std::string_view(event_name) == "ConsoleLogin" ? "signin.amazonaws.com"
                                                                     : "s3.amazonaws.com";
  *json += R"(","eventName":")";
  *json += failure ? "ConsoleLogin" : event_name;
  *json += R"(","awsRegion":"us-east-1","sourceIPAddress":")";
  *json += ip;
  *json += R"(","userAgent":"aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64",)";
  if (failure) *json += R"("errorMessage":"Failed authentication",)";
  *json += R"("requestParameters":{"bucketName":"logs-111122223333","key":"a/b/c.json"},)";
  *json += R"("responseElements":null,"requestID":"REQ)";
  *json += std::to_string(id);
  *json += R"(","eventID":")";
  *json += event_id;
  *json += R"(","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,)";
  *json += R"("recipientAccountId":"111122223333","eventCategory":"Management"})";
}

// Writes `json` to dir/name by rename, so the monitor never sees a partial file.
void Drop(const std::string& dir, const std::string& name, const std::string& json) {
  Check(io::WriteFileAtomic(dir + "/" + name, json));
}

std::string DetectionRunbook(int i, uint64_t min_rows, const std::string& window) {
  // Rule 0 is the login-failure burst; the others count other event names per source IP,
  // with thresholds the benchmark traffic rarely reaches (they cost queries, not alerts).
  const std::string id = "detect.bench-" + std::to_string(i);
  std::string filter = i == 0 ? "eventName = 'ConsoleLogin' AND errorMessage = 'Failed authentication'"
                              : "eventName = '" + std::string(kEventNames[i % 9]) + "' AND userIdentity.userName = 'u" + std::to_string(i) + "'";
  return "id: " + id + "\nversion: \"1\"\ntitle: bench rule " + std::to_string(i) +
         "\nparams:\n  start: {type: timestamp, required: true}\n  end: {type: timestamp, "
         "required: true}\nquery: |\n  SELECT eventID, eventTime, sourceIPAddress AS source_ip\n"
         "  FROM events WHERE " + filter + "\n    AND eventTime BETWEEN :start AND :end\n"
         "alert:\n  severity: high\n  threshold: {min_rows: " + std::to_string(min_rows) +
         ", group_by: [source_ip], window: " + window + "}\n  suppress_for: 1h\n";
}

struct Setup {
  std::string dir;
  std::string logs;
};

Setup MakeMonitorDir(int rules, const std::string& poll, const std::string& schedule,
                     const std::string& window = "10m", const std::string& lookback = "15m") {
  char tmpl[] = "/tmp/tb_monitor_bench_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die(IOError("mkdtemp failed"));
  Setup s{tmpl, std::string(tmpl) + "/logs"};
  Check(io::CreateDirectories(s.logs));
  Check(io::CreateDirectories(s.dir + "/detections"));
  for (int i = 0; i < rules; ++i) {
    Check(io::WriteFileAtomic(s.dir + "/detections/r" + std::to_string(i) + ".yaml",
                              DetectionRunbook(i, i == 0 ? 5 : 1'000'000, window)));
  }
  auth::KeyFiles keys = Check(auth::GenerateKeyFiles(s.dir + "/keys", auth::JwsAlgorithm::kES256, "svc"));
  auth::Signer signer = Check(auth::LoadSigningKeyFile(keys.private_key_path));
  auth::TokenSpec spec;
  spec.issuer = "https://bench.local/";
  spec.audiences = {"trailbook"};
  spec.subject = "svc:monitor-bench";
  spec.runbooks = {"detect.*"};
  spec.scopes = {"runbook:run"};
  spec.issued_at_us = SystemClock().NowMicros();
  spec.ttl_us = 3600LL * 1'000'000;
  std::string token = Check(auth::MintToken(spec, signer));
  Check(io::WriteFileAtomic(s.dir + "/monitor.token", token, 0600));
  Check(io::WriteFileAtomic(
      s.dir + "/monitor.yaml",
      "store: store\nstate_dir: state\nwatch: [logs]\npoll_interval: " + poll + "\nschedule: " +
          schedule + "\nlookback: " + lookback + "\nrunbooks: [detections]\ntoken_file: monitor.token\n"
          "auth: {jwks: keys/jwks.json, issuer: 'https://bench.local/'}\n"
          "deliveries: {out: {type: stdout}}\n"));
  return s;
}

std::string Flag(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == name) return argv[i + 1];
  }
  return fallback;
}

int Latency(int argc, char** argv) {
  const int iterations = std::atoi(Flag(argc, argv, "--iterations", "20").c_str());
  const std::string poll = Flag(argc, argv, "--poll", "1s");
  Setup s = MakeMonitorDir(1, poll, poll);
  monitor::MonitorConfig config = Check(monitor::LoadMonitorConfig(s.dir + "/monitor.yaml"));
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, Steady::time_point> delivered;  // dedup key -> time
  auto writer = [&](std::string_view alert) {
    const std::string marker = R"("dedup_key":")";
    size_t at = alert.find(marker);
    if (at != std::string_view::npos) {
      size_t end = alert.find('"', at + marker.size());
      std::lock_guard<std::mutex> lock(mu);
      delivered.emplace(std::string(alert.substr(at + marker.size(), end - at - marker.size())),
                        Steady::now());
      cv.notify_all();
    }
    return Status::OK();
  };
  std::unique_ptr<monitor::Monitor> m = Check(monitor::Monitor::Open(config, SystemClock(), writer));
  std::atomic<bool> stop{false};
  Status run_status;
  std::thread loop([&] { run_status = m->Run(stop, nullptr); });
  std::mt19937_64 rng(42);
  std::vector<double> latencies;
  for (int i = 0; i < iterations; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250 + rng() % 1000));  // desync from the poll
    const std::string ip = "198.51.100." + std::to_string(i + 1);
    std::string json = "{\"Records\":[";
    const int64_t now = SystemClock().NowMicros();
    for (int e = 0; e < 6; ++e) {
      if (e > 0) json += ",";
      AppendEvent(&json, static_cast<uint64_t>(i) * 100 + static_cast<uint64_t>(e), now - (6 - e) * 1'000'000LL,
                  ip, "ConsoleLogin", true, 7);
    }
    json += "]}";
    const Steady::time_point written = Steady::now();
    Drop(s.logs, "burst-" + std::to_string(i) + ".json", json);
    std::unique_lock<std::mutex> lock(mu);
    bool ok = cv.wait_for(lock, std::chrono::seconds(30), [&] { return delivered.count(ip) > 0; });
    if (!ok) {
      std::fprintf(stderr, "monitor_bench: no alert for %s within 30 s\n", ip.c_str());
      break;
    }
    latencies.push_back(Seconds(delivered[ip] - written));
    std::fprintf(stderr, "iteration %d: %.3f s\n", i, latencies.back());
  }
  stop = true;
  loop.join();
  if (!run_status.ok()) Die(run_status);
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty() ? -1.0 : latencies[static_cast<size_t>(p * static_cast<double>(latencies.size() - 1))];
  };
  std::printf(
      "{\"benchmark\":\"monitor_latency\",\"poll\":\"%s\",\"alerts\":%zu,\"p50_s\":%.3f,"
      "\"p95_s\":%.3f,\"max_s\":%.3f,\"peak_rss_mb\":%.1f}\n",
      poll.c_str(), latencies.size(), pct(0.5), pct(0.95), pct(1.0),
      static_cast<double>(PeakRssKb()) / 1024.0);
  std::system(("rm -rf " + s.dir).c_str());
  return latencies.size() == static_cast<size_t>(iterations) ? 0 : 1;
}

int Throughput(int argc, char** argv) {
  const int seconds = std::atoi(Flag(argc, argv, "--seconds", "60").c_str());
  const uint64_t rate = std::strtoull(Flag(argc, argv, "--rate", "50000").c_str(), nullptr, 10);
  const int rules = std::atoi(Flag(argc, argv, "--rules", "20").c_str());
  const uint64_t file_events =
      std::strtoull(Flag(argc, argv, "--file-events", "5000").c_str(), nullptr, 10);
  Setup s = MakeMonitorDir(rules, "1s", "10s", Flag(argc, argv, "--window", "10m"),
                           Flag(argc, argv, "--lookback", "15m"));
  monitor::MonitorConfig config = Check(monitor::LoadMonitorConfig(s.dir + "/monitor.yaml"));
  std::atomic<uint64_t> alerts{0};
  auto writer = [&](std::string_view) {
    alerts.fetch_add(1);
    return Status::OK();
  };
  std::unique_ptr<monitor::Monitor> m = Check(monitor::Monitor::Open(config, SystemClock(), writer));
  // --backlog S: S seconds of events are waiting before the monitor starts (a restart after
  // an outage): its first pass drains them.
  const double backlog_s = std::atof(Flag(argc, argv, "--backlog", "0").c_str());

  // Producer: `rate` events/s in files of `file_events`, with a few bursts of failures.
  std::atomic<uint64_t> produced{0};
  std::atomic<uint64_t> files_dropped{0};  // Files f0 .. f(files_dropped - 1) are complete.
  std::atomic<bool> producing{true};
  double producer_cpu_s = 0;
  const double cpu_start = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  std::thread producer([&] {
    std::mt19937_64 rng(7);
    const Steady::time_point start = Steady::now();
    uint64_t file = 0;
    while (producing.load()) {
      const double due =
          static_cast<double>(produced.load()) / static_cast<double>(rate) - backlog_s;
      const double elapsed = Seconds(Steady::now() - start);
      // With a backlog, stop by count: writing the backlog may take longer than it covers.
      if (backlog_s > 0 ? static_cast<double>(produced.load()) >=
                              (backlog_s + seconds) * static_cast<double>(rate)
                        : elapsed >= seconds) {
        break;
      }
      if (elapsed < due) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      std::string json = "{\"Records\":[";
      json.reserve(file_events * 800);
      const int64_t now = SystemClock().NowMicros();
      for (uint64_t e = 0; e < file_events; ++e) {
        if (e > 0) json += ",";
        const uint64_t id = produced.load() + e;
        const std::string ip = "10." + std::to_string(rng() % 4) + "." +
                               std::to_string(rng() % 250) + "." + std::to_string(rng() % 250);
        AppendEvent(&json, id, now - static_cast<int64_t>(rng() % 120'000'000), ip,
                    kEventNames[rng() % 10], rng() % 5000 == 0, rng() % 50);
      }
      json += "]}";
      Drop(s.logs, "f" + std::to_string(file++) + ".json", json);
      produced.fetch_add(file_events);
      files_dropped.store(file);
    }
    producer_cpu_s = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  });

  while (backlog_s > 0 && static_cast<double>(produced.load()) < backlog_s * static_cast<double>(rate)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::atomic<uint64_t> ingested{0};
  std::atomic<uint64_t> dedup_loads{0}, dedup_evictions{0};
  std::atomic<uint64_t> evidence_dropped{0};
  std::vector<double> detect_pass_s;
  double max_pass_s = 0;
  long max_rss_kb = 0;
  Steady::time_point last_ingest = Steady::now();
  const Steady::time_point start = Steady::now();
  std::atomic<bool> stop{false};
  Status run_status;
  // Input files are deleted once ingested, so a long run needs disk only for the store: a
  // pass ingests every file present when it scanned, i.e. at least the files complete when
  // the previous pass ended.
  uint64_t files_deleted = 0;
  uint64_t files_before_pass = 0;
  std::thread loop([&] {
    Steady::time_point pass_start = Steady::now();
    run_status = m->Run(stop, [&](const monitor::PassReport& pass) {
      if (pass.ingested && pass.ingest.files_rejected == 0) {
        for (; files_deleted < files_before_pass; ++files_deleted) {
          std::remove((s.logs + "/f" + std::to_string(files_deleted) + ".json").c_str());
        }
      }
      files_before_pass = files_dropped.load();
      const double took = Seconds(Steady::now() - pass_start);
      max_pass_s = std::max(max_pass_s, took);
      if (pass.detected) detect_pass_s.push_back(took);
      if (pass.ingested) {
        dedup_loads = pass.ingest.dedup_day_loads;  // the kept index's running counters
        dedup_evictions = pass.ingest.dedup_evictions;
      }
      if (pass.ingest.events_added > 0) {
        ingested.fetch_add(pass.ingest.events_added);
        last_ingest = Steady::now();
      }
      evidence_dropped.fetch_add(pass.cycle.evidence_dropped);
      for (const Status& e : pass.cycle.rule_errors) {
        std::fprintf(stderr, "rule error: %s\n", e.ToString().c_str());
      }
      max_rss_kb = std::max(max_rss_kb, CurrentRssKb());
      pass_start = Steady::now();
    });
  });
  const int report_every = std::max(1, std::atoi(Flag(argc, argv, "--report-every", "5").c_str()));
  while (Seconds(Steady::now() - start) < seconds) {
    std::this_thread::sleep_for(std::chrono::seconds(report_every));
    std::fprintf(stderr,
                 "%5.0f s: produced %llu, ingested %llu, rss %ld MB (anon %ld, file %ld), "
                 "cpu %.1f s, dedup loads %llu evictions %llu, rows kept as counts %llu, "
                 "state.json %.1f MB\n",
                 Seconds(Steady::now() - start),
                 static_cast<unsigned long long>(produced.load()),
                 static_cast<unsigned long long>(ingested.load()), CurrentRssKb() / 1024,
                 StatusKb("RssAnon") / 1024, StatusKb("RssFile") / 1024,
                 CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start,
                 static_cast<unsigned long long>(dedup_loads.load()),
                 static_cast<unsigned long long>(dedup_evictions.load()),
                 static_cast<unsigned long long>(evidence_dropped.load()),
                 static_cast<double>(FileBytes(s.dir + "/state/state.json")) / 1e6);
  }
  producer.join();
  // Drain: wait until everything produced is ingested (at most 5 minutes).
  const Steady::time_point drain_start = Steady::now();
  while (ingested.load() < produced.load() && Seconds(Steady::now() - drain_start) < 300) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  loop.join();
  if (!run_status.ok()) Die(run_status);
  const double span = Seconds(last_ingest - start);
  // CPU of everything but the producer: ingest, detection, audit, state, deliveries.
  const double monitor_cpu_s = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start - producer_cpu_s;
  double detect_mean = 0;
  for (double d : detect_pass_s) detect_mean += d;
  if (!detect_pass_s.empty()) detect_mean /= static_cast<double>(detect_pass_s.size());
  std::printf(
      "{\"benchmark\":\"monitor_throughput\",\"rules\":%d,\"offered_events_per_s\":%llu,"
      "\"produced\":%llu,\"ingested\":%llu,\"ingest_span_s\":%.1f,\"events_per_s\":%.0f,"
      "\"detection_passes\":%zu,\"detection_pass_mean_s\":%.3f,\"max_pass_s\":%.3f,"
      "\"monitor_cpu_s\":%.1f,\"events_per_cpu_s\":%.0f,"
      "\"alerts\":%llu,\"max_rss_mb\":%.1f,\"peak_rss_mb\":%.1f,"
      "\"detection_segments_read\":%llu,\"detection_rows_examined\":%llu,"
      "\"rows_examined_per_event_per_rule\":%.2f,\"load_avg_1m\":%.2f}\n",
      rules, static_cast<unsigned long long>(rate),
      static_cast<unsigned long long>(produced.load()),
      static_cast<unsigned long long>(ingested.load()), span,
      span > 0 ? static_cast<double>(ingested.load()) / span : 0.0, detect_pass_s.size(),
      detect_mean, max_pass_s, monitor_cpu_s,
      monitor_cpu_s > 0 ? static_cast<double>(ingested.load()) / monitor_cpu_s : 0.0,
      static_cast<unsigned long long>(alerts.load()),
      static_cast<double>(max_rss_kb) / 1024.0, static_cast<double>(PeakRssKb()) / 1024.0,
      static_cast<unsigned long long>(m->source().detection_segments_read()),
      static_cast<unsigned long long>(m->source().detection_rows_examined()),
      ingested.load() > 0 ? static_cast<double>(m->source().detection_rows_examined()) /
                                static_cast<double>(ingested.load()) / rules
                          : 0.0,
      LoadAverage());
  std::system(("rm -rf " + s.dir).c_str());
  return ingested.load() == produced.load() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "latency") return Latency(argc, argv);
  if (mode == "throughput") return Throughput(argc, argv);
  std::fprintf(stderr,
               "usage: monitor_bench latency [--iterations N] [--poll 1s]\n"
               "       monitor_bench throughput [--seconds S] [--rate EVENTS_PER_S] [--rules N] "
               "[--file-events N]\n");
  return 2;
}
