// Benchmarks the audit log's per-event work of making the stored row: rendering the event
// and normalising the rendered JSON (the former path) against AuditEventRenderer, which
// builds the row from the event's fields while it renders. The event is shaped like the
// server's RunRunbook events (23 verification steps, bound parameters, result summary).
//
//   build/src/audit/audit_event_json_benchmark --benchmark_min_time=1

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <string>

#include "audit/audit_event_json.h"
#include "ingest/event_normalizer.h"
#include "json/canonical_json.h"
#include "json/json_writer.h"
#include "storage/row_batch.h"

namespace trailbook::audit {
namespace {

AuditEvent ServerEvent() {
  AuditEvent e;
  e.event_name = "RunRunbook";
  e.principal_id = "bench@example.com";
  e.issuer = "https://bench.trailbook.test/";
  e.token_id = "e92eee20-bc4c-4c3b-b69e-dc849c67a52d";
  e.token_sha256 = std::string(64, 'a');
  e.source_ip = "127.0.0.1";
  e.user_agent = "wrk";
  e.request_id = "fd2a6eec-a504-45a0-b911-e13c736c18bf";
  e.request_parameters_json =
      R"({"runbookId":"bench.needle","runbookVersion":"1.0.0","runbookHash":")" +
      std::string(64, 'b') +
      R"(","parameters":{"event_id":"1f4ad405-6ce3-4da7-bd13-272790138b5b"},"dryRun":false})";
  e.response_elements_json =
      R"({"rows":1,"bytesScanned":0,"eventsScanned":1,"durationMicros":1600,"resultSha256":")" +
      std::string(64, 'c') + R"("})";
  json::JsonWriter w;
  w.BeginObject();
  w.Key("verificationSteps");
  w.BeginArray();
  for (int i = 0; i < 23; ++i) {
    w.BeginObject();
    w.Key("name");
    w.String("step" + std::to_string(i));
    w.Key("outcome");
    w.String("pass");
    w.Key("detail");
    w.String("verified at 2026-11-25T11:00:42.808049Z; \"quoted\" detail " + std::to_string(i));
    w.EndObject();
  }
  w.EndArray();
  w.Key("decision");
  w.BeginObject();
  w.Key("allowed");
  w.Bool(true);
  w.Key("claim");
  w.String("runbooks+scope");
  w.EndObject();
  w.Key("injectedConstraints");
  w.String("eventSource NOT IN ('trailbook.audit')");
  w.EndObject();
  e.additional_event_data_json = std::move(w).Take();
  return e;
}

AuditStamp Stamp(uint64_t sequence) {
  AuditStamp stamp;
  stamp.sequence = sequence;
  stamp.previous_hash = std::string(64, 'd');
  stamp.event_id = "203fb929-ae92-4f9b-a1ce-e48314b5c330";
  stamp.event_time_us = 1'764'068'442'810'070;
  stamp.account_id = "000000000000";
  stamp.region = "local";
  return stamp;
}

void BM_RenderThenNormalize(benchmark::State& state) {
  AuditEvent event = ServerEvent();
  json::CanonicalJson canonical;
  ingest::EventNormalizer normalizer;
  storage::RowBatch rows;
  std::string padded;
  uint64_t sequence = 0;
  for (auto _ : state) {
    Result<std::string> json = RenderAuditEventJson(event, Stamp(++sequence), &canonical);
    padded.assign(*json);
    padded.append(simdjson::SIMDJSON_PADDING, '\0');
    Status s = normalizer.Normalize(std::string_view(padded.data(), json->size()), &rows);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    if (rows.row_count() == 1024) rows.Clear();
  }
}
BENCHMARK(BM_RenderThenNormalize);

void BM_RendererDirect(benchmark::State& state) {
  AuditEvent event = ServerEvent();
  AuditEventRenderer renderer;
  storage::RowBatch rows;
  std::string json;
  uint64_t sequence = 0;
  for (auto _ : state) {
    Status s = renderer.Render(event, Stamp(++sequence), &json, &rows);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    if (rows.row_count() == 1024) rows.Clear();
  }
  if (renderer.normalized_rows() != 0) state.SkipWithError("the renderer fell back");
}
BENCHMARK(BM_RendererDirect);

}  // namespace
}  // namespace trailbook::audit

BENCHMARK_MAIN();
