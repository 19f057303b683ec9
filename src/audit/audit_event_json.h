// File: audit/audit_event_json.h
//
// Renders an AuditEvent as the CloudTrail-format JSON record the journal stores, and reads
// the chain fields back. The shape follows CloudTrail records and the eventData of Lake's
// PutAuditEvents (docs/format/audit.md): userIdentity {type "JWT", principalId, details},
// eventSource "trailbook.audit", eventType "ActivityAuditLog", additionalEventData holding
// the caller's verification steps plus the chain fields auditSequence and
// previousEventHash.
//
//   AuditStamp stamp{.sequence = 7, .previous_hash = head, .event_id = uuid, ...};
//   TB_ASSIGN_OR_RETURN(std::string json, RenderAuditEventJson(event, stamp));
//   TB_ASSIGN_OR_RETURN(std::string hash, HashAuditEventJson(json, &canonical));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "base/status.h"
#include "json/canonical_json.h"

namespace trailbook::audit {

// previousEventHash of sequence 1.
inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// What the log adds to a caller's event.
struct AuditStamp {
  uint64_t sequence = 0;
  std::string previous_hash;  // hex
  std::string event_id;       // UUID
  std::string request_id;     // used when the event has none
  int64_t event_time_us = 0;  // used when the event has none
  std::string account_id;
  std::string region;
};

// Returns the event's JSON (minified, keys in CloudTrail order). Errors: kInvalidArgument
// when a JSON-valued member is not a JSON object, or additionalEventData already holds
// auditSequence or previousEventHash (the message names the member).
Result<std::string> RenderAuditEventJson(const AuditEvent& event, const AuditStamp& stamp);

// Returns the hex SHA-256 of the canonical form of `json` (the chain link). `canonical`
// is scratch reused across calls. Errors: kInvalidArgument for invalid JSON.
Result<std::string> HashAuditEventJson(std::string_view json, json::CanonicalJson* canonical);

// The chain fields of a stored audit event.
struct AuditChainFields {
  uint64_t sequence = 0;
  std::string previous_hash;
  std::string event_id;
  int64_t event_time_us = 0;
};

// Reads the chain fields of an audit event's JSON. Errors: kInvalidArgument naming the
// missing or mistyped field.
Result<AuditChainFields> ReadAuditChainFields(std::string_view json);

}  // namespace trailbook::audit
