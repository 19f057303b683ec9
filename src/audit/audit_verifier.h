// File: audit/audit_verifier.h
//
// Verifies a store's tamper-evident audit trail (docs/format/audit.md): walks the hash
// chain of the audit journal (dense sequences from 1, each previousEventHash equal to the
// hash of the event before) and the signed digests (signature with the published key of
// its kid, previousDigestSignature chaining, no gap between digest ranges, chain head at
// each digest's last sequence, a digest file for every digest the journal records).
// Reports deletion, insertion, modification and reordering of audit events, a missing or
// forged digest, a digest gap and a truncated chain, naming the first bad sequence.
//
//   TB_ASSIGN_OR_RETURN(AuditVerifyReport report, VerifyAuditTrail(store_dir, {}));
//   if (!report.ok()) ... report.problems[0] ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace trailbook::audit {

struct AuditVerifyOptions {
  // Only report problems of events with eventTime in [from_us, to_us] and of digests whose
  // time range overlaps it (the whole chain is still walked: links cross the window).
  std::optional<int64_t> from_us;
  std::optional<int64_t> to_us;
  // JWKS with the digest public keys. Empty: the store's audit/digest-keys.jwks. Pass an
  // independently kept copy to defend against an attacker who can also rewrite the store.
  std::string jwks_path;
  // Threads that hash events (0: one per core, at most 8). The chain walk itself is serial.
  unsigned threads = 0;
};

struct AuditProblem {
  uint64_t sequence = 0;  // The first audit sequence the problem concerns.
  std::string kind;       // e.g. "deleted", "inserted", "modified", "reordered",
                          // "digest-missing", "digest-forged", "digest-gap", "truncated",
                          // "journal-damaged", "digest-invalid"
  std::string detail;
};

struct AuditVerifyReport {
  uint64_t events = 0;          // Audit events in the journal.
  uint64_t last_sequence = 0;   // Last sequence in the journal.
  uint64_t digests = 0;         // Digest files checked.
  uint64_t covered_through = 0; // Last sequence covered by a valid digest.
  bool torn_tail = false;       // A crash left an unacknowledged partial record (harmless).
  std::vector<AuditProblem> problems;  // Sorted by sequence.

  bool ok() const { return problems.empty(); }
  // The first bad sequence (0 when ok()).
  uint64_t first_bad_sequence() const { return problems.empty() ? 0 : problems[0].sequence; }
};

// Verifies the audit trail of the store in `store_dir`. Problems found are in the report;
// the Status is an error only when verification could not run: kNotFound (no audit
// journal), kIOError, kInvalidArgument (an unreadable JWKS).
Result<AuditVerifyReport> VerifyAuditTrail(const std::string& store_dir,
                                           const AuditVerifyOptions& options);

// The report as one JSON object, the same for `trailbook audit verify --json` and
// GET /v1/audit/verify (docs/api/openapi.yaml, AuditVerifyReport): ok, events,
// last_sequence, digests, covered_through, torn_tail, first_bad_sequence and problems
// [{sequence, kind, detail}]. `pretty` indents it for a terminal.
std::string AuditVerifyReportJson(const AuditVerifyReport& report, bool pretty = false);

}  // namespace trailbook::audit
