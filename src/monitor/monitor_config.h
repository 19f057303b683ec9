// File: monitor/monitor_config.h
//
// MonitorConfig: the monitor's YAML configuration (monitor.yaml): the store, the state
// directory, watched log directories, poll and detection schedules, detection runbooks,
// the service token file and the deliveries. Documented in docs/monitor.md.
//
//   TB_ASSIGN_OR_RETURN(MonitorConfig config, LoadMonitorConfig("monitor.yaml"));
//
// Relative paths are resolved against the directory of the configuration file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "monitor/alert_sink.h"
#include "monitor/cron_schedule.h"

namespace trailbook::monitor {

enum class DeliveryType : uint8_t { kStdout, kFile, kWebhook };

struct DeliveryConfig {
  std::string name;
  DeliveryType type = DeliveryType::kStdout;
  std::string path;         // kFile
  WebhookOptions webhook;   // kWebhook (secret read from secret_file)
};

// How the service token is verified (as `trailbook run --config trailbook.yaml` does).
struct AuthConfig {
  std::string jwks;      // JWK Set file or https:// URL of the issuer's keys.
  std::string issuer;    // Exact "iss".
  std::string audience = "trailbook";
  std::vector<std::string> algorithms;  // Empty: the algorithms of the loaded keys.
  std::string ca_file;   // For an https:// jwks ("" = system CAs).
};

struct MonitorConfig {
  std::string store;
  std::string state_dir;
  std::vector<std::string> watch;     // Log directories (or files) ingested as they change.
  int64_t poll_interval_us = 1'000'000;
  int64_t detect_interval_us = 10'000'000;  // Used when `cron` is not set.
  std::optional<CronSchedule> cron;
  int64_t lookback_us = 15LL * 60 * 1'000'000;
  std::vector<std::string> runbooks;  // Detection runbook files or directories.
  std::string token_file;             // Service token (required; re-read when it changes).
  AuthConfig auth;                    // Required: no verified token, no detection.
  std::string snapshot_key;           // Signs evidence snapshots; "" = alerts carry none.
  // Signs audit digests (docs/format/audit.md), written every audit_digest_interval and on
  // shutdown; "" = the monitor writes none (`trailbook audit digest` still can).
  std::string audit_digest_key;
  int64_t audit_digest_interval_us = 300'000'000;
  std::string link_template;          // Default for rules without alert.link.
  std::vector<std::string> default_deliver;
  std::vector<DeliveryConfig> deliveries;
  uint32_t max_attempts = 8;
  unsigned ingest_threads = 0;
  // Memory bounds of the long-running process (docs/monitor.md, "Memory"). The duplicate
  // filter holds at most dedup_keys eventID keys (16-32 bytes each) in buckets of
  // dedup_bucket_us of eventTime, evicted least recently used and reloaded from the store
  // when touched again; the store's decoded segment dictionaries and the SQL engine's
  // dictionary vectors each take at most dictionary_cache_mb MiB. dedup_keys should cover
  // rate x (lateness + bucket), or evicted buckets are reloaded on every poll (memory stays
  // bounded, CPU grows).
  uint32_t dedup_keys = 8u << 20;
  int64_t dedup_bucket_us = 60'000'000;
  uint32_t dictionary_cache_mb = 32;
  // Each rule remembers its matching rows for lookback + 2 x window, for at most
  // max_keys_per_rule group_by keys (the coldest are forgotten, counted and reported), and
  // keeps the evidence (row id and cells) of at most max_rows_per_rule of them: older rows
  // are kept as counts per time, which changes no alert, only the evidence rows it carries.
  // See EngineOptions in monitor/alert_engine.h.
  uint32_t max_keys_per_rule = 20'000;
  uint32_t max_rows_per_rule = 20'000;
  // Counts per (key, time) each rule keeps for rows without evidence (16 B each); above it the
  // coldest keys are forgotten as at max_keys_per_rule.
  uint32_t max_counts_per_rule = 200'000;
};

// Parses a configuration; `base_dir` resolves relative paths, `source` names the file in
// errors. Errors: kInvalidArgument naming the field (and line), e.g.
// "monitor.yaml: deliveries.pager.url: must be https://".
Result<MonitorConfig> ParseMonitorConfig(std::string_view yaml_text, std::string_view source,
                                         const std::string& base_dir);

// Reads and parses `path`. Errors as ParseMonitorConfig, plus kNotFound / kIOError, and
// kPermissionDenied when a webhook secret file is readable by group or others.
Result<MonitorConfig> LoadMonitorConfig(const std::string& path);

}  // namespace trailbook::monitor
