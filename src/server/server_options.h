// File: server/server_options.h
//
// ServerOptions: the server-only settings of `trailbook serve` (listen address, limits,
// trusted proxies, TLS, shutdown deadline) and their loading from the `server:` section of
// trailbook.yaml. Token verification settings (issuers, JWKS, audiences) are not here: they
// are shared with every token-taking command and loaded by the CLI.
//
//   ServerOptions options;
//   TB_RETURN_IF_ERROR(ApplyServerYaml(yaml_text, "trailbook.yaml", &options));
//   TB_RETURN_IF_ERROR(ParseListenAddress("127.0.0.1:8080", &options.host, &options.port));
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::server {

// Every limit is configurable (YAML `server.limits.<name>`, flag, or env var).
struct ServerLimits {
  size_t max_header_bytes = 16 * 1024;        // Sum of header names and values; 431 beyond.
  size_t max_body_bytes = 1 << 20;            // Request body; 413 beyond.
  size_t max_token_bytes = 8192;              // Bearer token; 401 beyond.
  size_t max_param_bytes = 64 * 1024;         // One parameter value; 400 beyond.
  size_t max_concurrent_queries = 4;          // Queries running at once.
  size_t max_queued_queries = 16;             // Waiting for a slot; 429 beyond.
  std::chrono::milliseconds queue_timeout{5000};   // Longest wait for a slot; then 429.
  std::chrono::milliseconds query_timeout{30000};  // Per query; the query is cancelled.
  size_t query_memory_bytes = size_t{512} << 20;   // Per query; the query is cancelled.
  size_t default_page_rows = 1000;            // Rows per page when the request gives no limit.
  size_t max_page_rows = 100000;              // Largest `limit` accepted.
  size_t max_page_bytes = size_t{64} << 20;   // A page ends early at this many result bytes.
  std::chrono::seconds read_timeout{5};       // Per socket read (slowloris).
  std::chrono::seconds write_timeout{5};      // Per socket write.
  std::chrono::seconds keep_alive_timeout{5};
  size_t worker_threads = 64;                 // Connections served at once.
  unsigned query_threads = 1;                 // Engine threads per query.
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  ServerLimits limits;
  // Peers whose X-Forwarded-For is believed (exact IPv4/IPv6 addresses or CIDR blocks).
  std::vector<std::string> trusted_proxies;
  std::string tls_cert_file;  // PEM; TLS is on when both files are given.
  std::string tls_key_file;
  std::chrono::milliseconds shutdown_deadline{10000};  // In-flight requests get this long.
  size_t token_cache_entries = 10000;                  // Verified-token cache; 0 disables.
  bool access_log = true;                              // JSON lines on stderr.
};

// Splits "host:port" or "[v6]:port" into `*host` and `*port`. Returns kInvalidArgument
// naming the text when it has no port, a bad port or an empty host.
Status ParseListenAddress(std::string_view text, std::string* host, uint16_t* port);

// Applies the `server:` mapping of a trailbook.yaml document to `*options` (keys absent in
// the file keep their current values). Unknown keys under `server:` are errors, so a typo
// never silently leaves a limit at its default. Returns kInvalidArgument naming `source`,
// the line and the key for malformed YAML, unknown keys and out-of-range values.
Status ApplyServerYaml(std::string_view yaml_text, std::string_view source,
                       ServerOptions* options);

// Checks cross-field rules (TLS needs both files, limits > 0, page rows <= max, proxies
// parse). Returns kInvalidArgument naming the field.
Status ValidateServerOptions(const ServerOptions& options);

}  // namespace trailbook::server
