// File: server/request_target.h
//
// ParseRequestTarget: splits an HTTP/1.1 origin-form request target ("/path?k=v&k2=v2")
// into the percent-decoded path and the decoded query parameters the ApiHandler routes on.
// The transport (http_server.cc) calls it for every request; it is the only URL decoding of
// untrusted input in the server and has a fuzz target (fuzz/request_target_fuzzer.cc).
//
//   RequestTarget t;
//   TB_RETURN_IF_ERROR(ParseRequestTarget("/v1/runbooks/a%2Eb?limit=10", &t));
//   // t.path == "/v1/runbooks/a.b", t.query == {{"limit", "10"}}
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace trailbook::server {

struct RequestTarget {
  std::string path;  // Percent-decoded; '+' stays '+'.
  std::vector<std::pair<std::string, std::string>> query;  // In order; '+' decoded as ' '.
};

// Parses `target` into `*out`. The path must start with '/' (origin form; absolute and
// asterisk forms are refused), every '%' must be followed by two hex digits, and no decoded
// byte may be NUL or a control character in the path. Query parameters are split on '&'
// (empty pieces skipped); a piece without '=' is a parameter with an empty value.
// Returns kInvalidArgument naming the problem and its byte offset in the target.
Status ParseRequestTarget(std::string_view target, RequestTarget* out);

}  // namespace trailbook::server
