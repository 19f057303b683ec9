// File: server/http_exchange.h
//
// HttpRequest / HttpResponse: the transport-independent request and response the API
// handler works on. The transport (http_server.h) fills an HttpRequest from the socket and
// writes the HttpResponse back; tests and the fuzz target call the handler with
// these directly, without sockets.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trailbook::server {

struct HttpRequest {
  std::string method;   // "GET", "POST", ...
  std::string path;     // Percent-decoded path without the query string.
  std::vector<std::pair<std::string, std::string>> query;    // Decoded query parameters.
  std::vector<std::pair<std::string, std::string>> headers;  // Names as received.
  std::string body;
  std::string peer_address;  // TCP peer (before X-Forwarded-For).
  std::string request_id;    // Set by the transport; echoed in X-Request-Id.

  // Returns the first header named `name` (ASCII case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  // Returns the number of headers named `name`.
  size_t HeaderCount(std::string_view name) const;
  // Returns the first query parameter named `name` (exact), or nullptr.
  const std::string* QueryParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Labels for metrics and the access log (not sent).
  std::string route;   // Route template, e.g. "/v1/runbooks/{id}"; "unmatched" otherwise.
  std::string denial;  // Denial reason, e.g. "invalid_token", "forbidden"; "" when none.
  // For the access log: the verified subject, when any.
  std::string subject;
};

// Returns true when `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace trailbook::server
