// File: server/api_handler_internal.h
//
// Per-request state shared by the two halves of ApiHandler (api_handler.cc: routing,
// authentication, metadata routes; execution_routes.cc: queries and runbook runs).
// Private to server/.
#pragma once

#include <optional>
#include <string>

#include "auth/jwt/token_verifier.h"
#include "server/api_handler.h"

namespace trailbook::server {

struct ApiHandler::Context {
  explicit Context(const HttpRequest& r) : request(r) {}
  const HttpRequest& request;
  std::string client_address;
  std::string user_agent;
  int64_t now_us = 0;
  std::string route;
  std::string token;  // The compact bearer token, once Authenticate accepted its shape.
  std::optional<auth::Verification> verification;  // Set by Authenticate.
  const auth::Principal* principal = nullptr;      // Set when the token verified.
  // HandlePending: the request's first audit event is appended with AppendPending (its
  // ticket is kept here; later events of the request are appended durably).
  bool defer_audit_durability = false;
  uint64_t audit_ticket = 0;  // The deferred event's ticket (0: none).
  // HandleInline: the request runs on a thread that must never wait. A route that might
  // wait (a token not in the verified cache, a query that is not a key lookup or finds no
  // free slot, snapshot and audit-chain reads) sets `needs_worker` and returns before it
  // appends an audit event or records a metric.
  bool inline_only = false;
  bool needs_worker = false;
};

namespace internal {

// Appends the verification steps as a JSON array value to `w`'s current position.
std::string VerificationJson(const auth::Verification* verification, const HttpRequest& request,
                             std::string_view route);

}  // namespace internal
}  // namespace trailbook::server
