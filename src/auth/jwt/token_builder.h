// File: auth/jwt/token_builder.h
//
// MintToken: builds and signs a trailbook JWT (compact JWS) from a TokenSpec. It applies the
// same claim syntax rules as the verifier, so it cannot produce a token the verifier would
// reject for its shape. Used by `trailbook token mint` and by tests.
//
//   TokenSpec spec;
//   spec.issuer = "https://trailbook.example/"; spec.audiences = {"trailbook"};
//   spec.subject = "alice@example.com"; spec.runbooks = {"ir.principal-activity"};
//   spec.issued_at_us = clock.NowMicros(); spec.ttl_us = 15 * 60 * kMicrosPerSecond;
//   TB_ASSIGN_OR_RETURN(std::string token, MintToken(spec, signer));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/jwt/claims.h"
#include "auth/jwt/signer.h"
#include "base/status.h"

namespace trailbook::auth {

struct TokenSpec {
  std::string typ = "trailbook+jwt";
  std::string issuer;
  std::vector<std::string> audiences;  // Written as a string when there is one.
  std::string subject;
  std::vector<std::string> runbooks;
  std::vector<std::string> scopes;     // Written space-delimited; empty = no "scope" claim.
  std::optional<std::string> reason;
  Constraints constraints;             // Empty = no "constraints" claim.
  int64_t issued_at_us = 0;            // iat (truncated to seconds).
  int64_t ttl_us = 0;                  // exp = iat + ttl.
  std::optional<int64_t> not_before_us;
  std::string token_id;                // jti; empty = a random UUID.
};

// Returns the compact JWS "header.payload.signature". The header is
// {"alg":...,"typ":...,"kid":...} (kid omitted when the signer has none).
// Returns kInvalidArgument naming the first field that breaks a claim rule (empty issuer,
// audience, subject or runbooks, bad runbook entry, account, region, scope token, ttl <= 0,
// event_time_after >= event_time_before), and errors of Signer::Sign.
Result<std::string> MintToken(const TokenSpec& spec, const Signer& signer);

}  // namespace trailbook::auth
