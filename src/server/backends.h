// File: server/backends.h
//
// The narrow interfaces through which the HTTP API reaches components built elsewhere:
// the runbook library (RunbookCatalog), signed snapshots (SnapshotCatalog) and the audit
// chain verifier (AuditChainVerifier). The server authenticates, authorizes by scope and
// runbook claim, limits, runs the bound query, audits and renders; these interfaces only
// describe and bind runbooks, and read snapshots and the audit chain.
//
// Thread safety: implementations must be safe to call from many request threads at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/claims.h"
#include "base/status.h"
#include "sql/exec/event_scan.h"
#include "sql/types/value.h"

namespace trailbook::server {

struct RunbookSummary {
  std::string id;
  std::string version;
  std::string title;
  std::string description;
  std::vector<std::string> tags;
  std::string content_sha256;     // Hex SHA-256 of the canonical runbook (its identity).
  std::string params_schema_json; // A JSON Schema object for the `params` member.
};

// A runbook with its parameters bound, ready to execute.
struct BoundRunbook {
  RunbookSummary runbook;
  std::string sql;
  std::map<std::string, sql::Value> parameters;  // Typed values for the :name parameters.
  // Row restrictions from the token's constraints, which the runbook may narrow further.
  sql::ScanConstraints constraints;
  std::string bound_params_json;  // The bound parameters as a JSON object (for audit).
};

class RunbookCatalog {
 public:
  virtual ~RunbookCatalog() = default;
  // Every loaded runbook, ordered by id.
  virtual std::vector<RunbookSummary> List() const = 0;
  // Returns kNotFound for an unknown id.
  virtual Result<RunbookSummary> Get(std::string_view id) const = 0;
  // Validates and binds `params_json` (a JSON object) for runbook `id` as `principal`, at
  // `now_us` (for relative times). Returns kInvalidArgument naming the parameter
  // ("params.start: ..."), kPermissionDenied when a value lies outside the token's
  // constraints, kNotFound for an unknown id.
  virtual Result<BoundRunbook> Bind(std::string_view id, std::string_view params_json,
                                    const auth::Principal& principal, int64_t now_us) const = 0;
};

class SnapshotCatalog {
 public:
  virtual ~SnapshotCatalog() = default;
  // A JSON array of snapshot summaries visible to `principal`.
  virtual Result<std::string> ListJson(const auth::Principal& principal) const = 0;
  // One snapshot's manifest as JSON; kNotFound when unknown.
  virtual Result<std::string> GetJson(std::string_view id, const auth::Principal& principal) const = 0;
  // Verifies a snapshot's signature and content; the report as JSON.
  virtual Result<std::string> VerifyJson(std::string_view id,
                                         const auth::Principal& principal) const = 0;
};

class AuditChainVerifier {
 public:
  virtual ~AuditChainVerifier() = default;
  // Verifies the audit hash chain of the store; the report as a JSON object.
  virtual Result<std::string> VerifyJson() const = 0;
};

}  // namespace trailbook::server
