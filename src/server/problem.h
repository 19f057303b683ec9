// File: server/problem.h
//
// The only map from trailbook::Status to HTTP: status codes and RFC 9457 problem details
// ("application/problem+json"). Every error response of the API is built here, so clients
// see one shape: {"type","title","status","detail","instance","request_id"[,"field"]}.
//
//   HttpResponse r = ProblemResponse(InvalidArgument("..."), request, "params.start");
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "server/http_exchange.h"

namespace trailbook::server {

// Where a Status came from; query execution maps resource limits differently.
enum class StatusOrigin {
  kRequest,  // Parsing and checking the request: kResourceExhausted is 413 (too large).
  kQueue,    // Waiting for a query slot: kResourceExhausted is 429.
  kQuery,    // Running a query: kResourceExhausted (memory limit) is 422, kCancelled 504.
};

// Returns the HTTP status for `status` (not OK): kInvalidArgument 400, kUnauthenticated 401,
// kPermissionDenied 403, kNotFound 404, kAlreadyExists 409, kUnimplemented 501,
// kResourceExhausted / kCancelled by origin (above; kCancelled outside a query is 503),
// everything else (kCorruption, kIOError, kInternal) 500.
int HttpStatusFor(const Status& status, StatusOrigin origin);

// Returns the problem "type" URI path segment for an HTTP status, e.g. "bad-request".
std::string_view ProblemSlug(int http_status);

// Builds a problem response. `detail` is shown to the client; for 5xx responses the
// message of an internal error is replaced by a generic text (details go to the log).
// `field` (may be empty) names the offending request member, e.g. "params.start".
HttpResponse Problem(int http_status, std::string_view detail, const HttpRequest& request,
                     std::string_view field = {});
HttpResponse ProblemFromStatus(const Status& status, StatusOrigin origin,
                               const HttpRequest& request, std::string_view field = {});

}  // namespace trailbook::server
