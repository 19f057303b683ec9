// Measures what the audit fold cadence costs queries, in two parts (run from the source
// root, which holds tests/data):
//   segments: N audited requests, one per (simulated) second, each one small batch; "old"
//     folds after every request (the former 1 s fold of a server with steady traffic),
//     "new" runs AuditFolder::RunRound with the default policy and a FakeClock advanced 1 s
//     per request. Prints committed segments and MANIFEST bytes, then the median latency of
//     a needle query over the ingested dataset, with and without audit:read, and of opening
//     the store, alternating old and new runs.
//   tail: the same needle query, with audit:read and without (on a handle that has read the
//     tail), and a fresh handle's first Store::Snapshot(), while the unfolded journal tail
//     holds N batches.
//   queries (only when asked): Q needle queries over a tail of N batches, nothing timed: for
//     instruction counts, e.g. valgrind --tool=callgrind
//     --toggle-collect='trailbook::server::(anonymous namespace)::Query*' ... queries 256 100 1
//
//   build/src/server/audit_folder_benchmark [requests=10000] [runs=15]
//   appends (only when asked): N times one appended batch, then one needle query, for
//     instruction counts with the same --toggle-collect as queries.
//
//   build/src/server/audit_folder_benchmark queries <batches> <queries> <audit_read 0|1>
//   build/src/server/audit_folder_benchmark appends <batches> <audit_read 0|1>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "audit/audit_fold.h"
#include "audit/audit_log.h"
#include "base/clock.h"
#include "ingest/ingest_pipeline.h"
#include "server/audit_folder.h"
#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace trailbook::server {
namespace {

constexpr char kNeedle[] = "SELECT eventID FROM events WHERE eventName = 'GetObject'";

std::string TempDir() {
  char tmpl[] = "/tmp/tb_foldbench_XXXXXX";
  return ::mkdtemp(tmpl);
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

audit::AuditEvent Event(int i) {
  audit::AuditEvent e;
  e.event_name = "RunRunbook";
  e.principal_id = "user" + std::to_string(i % 17);
  e.request_parameters_json = R"({"i":)" + std::to_string(i) + "}";
  return e;
}

std::string IngestedStore() {
  std::string dir = TempDir();
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
  Check(store.status(), "open");
  ingest::IngestProgress progress;
  std::vector<std::string> paths = {"tests/data/datasets/otrf-ec2-proxy-s3-exfil"};
  auto ingested = ingest::Ingest(**store, paths, {}, &progress);
  Check(ingested.status(), "ingest");
  return dir;
}

double Millis(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void Query(const storage::Store& store, bool audit_read) {
  sql::QueryEngine engine(store);
  sql::QueryOptions options;
  if (!audit_read) options.constraints.hidden_event_sources.push_back("trailbook.audit");
  auto result = engine.Execute(kNeedle, options);
  Check(result.status(), "query");
  sql::DataChunk chunk;
  while (true) {
    auto more = (*result)->Next(&chunk);
    Check(more.status(), "next");
    if (!*more) break;
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

void Segments(int requests, int runs) {
  std::string old_dir = IngestedStore();
  std::string new_dir = IngestedStore();
  {
    auto log = audit::AuditLog::Open(old_dir, {});
    Check(log.status(), "log");
    auto writer = storage::Store::Open(old_dir, storage::Store::Mode::kReadWrite);
    Check(writer.status(), "writer");
    for (int i = 0; i < requests; ++i) {
      Check((*log)->Append(Event(i)).status(), "append");
      Check(audit::FoldAuditJournal(**writer).status(), "fold");
    }
  }
  {
    auto log = audit::AuditLog::Open(new_dir, {});
    Check(log.status(), "log");
    auto reader = storage::Store::Open(new_dir, storage::Store::Mode::kReadOnly);
    Check(reader.status(), "reader");
    FakeClock clock(1'000'000'000'000);
    AuditFolder folder(**reader, std::chrono::seconds(1), AuditFoldPolicy{}, clock);
    for (int i = 0; i < requests; ++i) {
      Check((*log)->Append(Event(i)).status(), "append");
      clock.Advance(1'000'000);
      Check(folder.RunRound().status(), "round");
    }
    Check(folder.FoldOnce().status(), "final fold");
  }
  std::vector<double> q[2][2], open[2];
  std::shared_ptr<const storage::StoreSnapshot> snaps[2];
  for (int r = 0; r < runs; ++r) {
    for (int which = 0; which < 2; ++which) {
      const std::string& dir = which == 0 ? old_dir : new_dir;
      std::unique_ptr<storage::Store> store;
      open[which].push_back(Millis([&] {
        auto s = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
        Check(s.status(), "open");
        store = std::move(s).value();
      }));
      snaps[which] = store->Snapshot();
      for (int audit_read = 0; audit_read < 2; ++audit_read) {
        q[which][audit_read].push_back(Millis([&] { Query(*store, audit_read == 1); }));
      }
    }
  }
  for (int which = 0; which < 2; ++which) {
    std::printf("%s: %zu committed segments (%llu rows), MANIFEST %llu bytes; median of %d: "
                "Store::Open %.2f ms, needle query %.2f ms (audit:read) / %.2f ms (audit hidden)\n",
                which == 0 ? "old (fold per request)" : "new (default policy)",
                snaps[which]->infos().size(),
                static_cast<unsigned long long>(snaps[which]->row_count()),
                static_cast<unsigned long long>(FileSize((which == 0 ? old_dir : new_dir) + "/MANIFEST")),
                runs, Median(open[which]), Median(q[which][1]), Median(q[which][0]));
  }
}

void Tail(int runs) {
  std::string dir = IngestedStore();
  auto log = audit::AuditLog::Open(dir, {});
  Check(log.status(), "log");
  int appended = 0;
  for (int batches : {0, 64, 256, 1024, 4096}) {
    for (; appended < batches; ++appended) Check((*log)->Append(Event(appended)).status(), "append");
    std::vector<double> cold, query, hidden;
    for (int r = 0; r < runs; ++r) {
      auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
      Check(store.status(), "open");
      cold.push_back(Millis([&] { (void)(*store)->Snapshot(); }));
      query.push_back(Millis([&] { Query(**store, true); }));
      hidden.push_back(Millis([&] { Query(**store, false); }));
    }
    std::printf("tail of %4d batches: first Snapshot() %.2f ms, needle query %.2f ms (audit:read) "
                "/ %.2f ms (audit hidden) (medians of %d)\n",
                batches, Median(cold), Median(query), Median(hidden), runs);
  }
}

void Queries(int batches, int queries, bool audit_read) {
  std::string dir = IngestedStore();
  auto log = audit::AuditLog::Open(dir, {});
  Check(log.status(), "log");
  for (int i = 0; i < batches; ++i) Check((*log)->Append(Event(i)).status(), "append");
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  Check(store.status(), "open");
  (void)(*store)->Snapshot();
  for (int q = 0; q < queries; ++q) Query(**store, audit_read);
}

// One appended batch before each needle query, as on a server where queries keep finding
// new group commits: counts what a query pays for the journal tail (nothing timed).
void Appends(int batches, bool audit_read) {
  std::string dir = IngestedStore();
  auto log = audit::AuditLog::Open(dir, {});
  Check(log.status(), "log");
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  Check(store.status(), "open");
  for (int i = 0; i < batches; ++i) {
    Check((*log)->Append(Event(i)).status(), "append");
    Query(**store, audit_read);
  }
}

}  // namespace
}  // namespace trailbook::server

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "appends") {
    trailbook::server::Appends(std::atoi(argv[2]), std::atoi(argv[3]) != 0);
    return 0;
  }
  if (argc == 5 && std::string(argv[1]) == "queries") {
    trailbook::server::Queries(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]) != 0);
    return 0;
  }
  int requests = argc > 1 ? std::atoi(argv[1]) : 10000;
  int runs = argc > 2 ? std::atoi(argv[2]) : 15;
  trailbook::server::Tail(runs);
  trailbook::server::Segments(requests, runs);
  return 0;
}
