// File: server/server_metrics.h
//
// ServerMetrics: the counters behind GET /metrics, rendered in the Prometheus text
// exposition format (version 0.0.4): requests by route, status and denial reason, latency
// histograms by route, token verifications by cache outcome, rows scanned and returned,
// queries running and queued, and the ingest lag of the store.
//
//   metrics.RecordRequest("/v1/query", 200, "", 0.004);
//   std::string text = metrics.RenderPrometheus();
//
// Thread safety: thread-safe; the request path takes one short mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace trailbook::server {

class ServerMetrics {
 public:
  // Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  ServerMetrics() = default;
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  void RecordRequest(std::string_view route, int status, std::string_view denial, double seconds);
  void RecordTokenVerification(bool cache_hit);
  void AddRowsScanned(uint64_t rows) { rows_scanned_.fetch_add(rows, std::memory_order_relaxed); }
  void AddRowsReturned(uint64_t rows) { rows_returned_.fetch_add(rows, std::memory_order_relaxed); }
  void AddAuditEvents(uint64_t n) { audit_events_.fetch_add(n, std::memory_order_relaxed); }

  // Gauges read at render time (each may be empty). The providers must be thread-safe.
  void set_ingest_lag_provider(std::function<std::optional<double>()> provider);
  void set_query_gauge_provider(std::function<std::pair<size_t, size_t>()> running_and_queued);

  std::string RenderPrometheus() const;

  // Returns the count of requests with these labels (for tests).
  uint64_t RequestCount(std::string_view route, int status, std::string_view denial) const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mu_;
  // Guarded by mu_.
  std::map<std::tuple<std::string, int, std::string>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::function<std::optional<double>()> ingest_lag_;
  std::function<std::pair<size_t, size_t>()> query_gauges_;

  std::atomic<uint64_t> cache_hits_{0};
  std::atomic<uint64_t> cache_misses_{0};
  std::atomic<uint64_t> rows_scanned_{0};
  std::atomic<uint64_t> rows_returned_{0};
  std::atomic<uint64_t> audit_events_{0};
};

}  // namespace trailbook::server
