#include "server/server_metrics.h"

#include <fmt/format.h>

namespace trailbook::server {
namespace {

// Escapes a label value per the exposition format (backslash, quote, newline).
std::string Label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void ServerMetrics::RecordRequest(std::string_view route, int status, std::string_view denial,
                                  double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(route), status, std::string(denial)}];
  Histogram& h = latency_[std::string(route)];
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void ServerMetrics::RecordTokenVerification(bool cache_hit) {
  (cache_hit ? cache_hits_ : cache_misses_).fetch_add(1, std::memory_order_relaxed);
}

void ServerMetrics::set_ingest_lag_provider(std::function<std::optional<double>()> provider) {
  std::lock_guard<std::mutex> lock(mu_);
  ingest_lag_ = std::move(provider);
}

void ServerMetrics::set_query_gauge_provider(
    std::function<std::pair<size_t, size_t>()> running_and_queued) {
  std::lock_guard<std::mutex> lock(mu_);
  query_gauges_ = std::move(running_and_queued);
}

uint64_t ServerMetrics::RequestCount(std::string_view route, int status,
                                     std::string_view denial) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = requests_.find({std::string(route), status, std::string(denial)});
  return it == requests_.end() ? 0 : it->second;
}

std::string ServerMetrics::RenderPrometheus() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  out += "# HELP trailbook_http_requests_total HTTP requests by route, status and denial reason.\n";
  out += "# TYPE trailbook_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += fmt::format("trailbook_http_requests_total{{route=\"{}\",status=\"{}\",denial=\"{}\"}} {}\n",
                       Label(std::get<0>(key)), std::get<1>(key), Label(std::get<2>(key)), count);
  }
  out += "# HELP trailbook_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE trailbook_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string r = Label(route);
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      out += fmt::format("trailbook_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         r, kLatencyBuckets[i], h.buckets[i]);
    }
    out += fmt::format("trailbook_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       r, h.count);
    out += fmt::format("trailbook_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
    out += fmt::format("trailbook_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r, h.count);
  }
  out += "# HELP trailbook_token_verifications_total Token verifications by cache outcome.\n";
  out += "# TYPE trailbook_token_verifications_total counter\n";
  out += fmt::format("trailbook_token_verifications_total{{cache=\"hit\"}} {}\n",
                     cache_hits_.load(std::memory_order_relaxed));
  out += fmt::format("trailbook_token_verifications_total{{cache=\"miss\"}} {}\n",
                     cache_misses_.load(std::memory_order_relaxed));
  out += "# HELP trailbook_rows_scanned_total Rows examined by queries.\n";
  out += "# TYPE trailbook_rows_scanned_total counter\n";
  out += fmt::format("trailbook_rows_scanned_total {}\n", rows_scanned_.load(std::memory_order_relaxed));
  out += "# HELP trailbook_rows_returned_total Rows returned to clients.\n";
  out += "# TYPE trailbook_rows_returned_total counter\n";
  out += fmt::format("trailbook_rows_returned_total {}\n", rows_returned_.load(std::memory_order_relaxed));
  out += "# HELP trailbook_audit_events_total Audit events appended by the server.\n";
  out += "# TYPE trailbook_audit_events_total counter\n";
  out += fmt::format("trailbook_audit_events_total {}\n", audit_events_.load(std::memory_order_relaxed));
  if (query_gauges_) {
    auto [running, queued] = query_gauges_();
    out += "# HELP trailbook_queries_running Queries running now.\n";
    out += "# TYPE trailbook_queries_running gauge\n";
    out += fmt::format("trailbook_queries_running {}\n", running);
    out += "# HELP trailbook_queries_queued Queries waiting for a slot.\n";
    out += "# TYPE trailbook_queries_queued gauge\n";
    out += fmt::format("trailbook_queries_queued {}\n", queued);
  }
  if (ingest_lag_) {
    if (std::optional<double> lag = ingest_lag_()) {
      out += "# HELP trailbook_ingest_lag_seconds Now minus the newest eventTime in the store.\n";
      out += "# TYPE trailbook_ingest_lag_seconds gauge\n";
      out += fmt::format("trailbook_ingest_lag_seconds {}\n", *lag);
    }
  }
  return out;
}

}  // namespace trailbook::server
