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
//
// The audit log stores each event both as this JSON (the chain) and as a store row
// (queries); AuditEventRenderer makes both in one pass:
//
//   AuditEventRenderer renderer;
//   TB_RETURN_IF_ERROR(renderer.Render(event, stamp, &json, &rows));
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "base/status.h"
#include "json/canonical_json.h"

namespace trailbook::storage {
class RowBatch;
}  // namespace trailbook::storage

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

// Returns the event's JSON in canonical form (json/canonical_json.h: keys sorted, no
// whitespace), so its chain hash is the SHA-256 of these bytes. Errors: kInvalidArgument
// when a JSON-valued member is not a JSON object, additionalEventData already holds
// auditSequence or previousEventHash (the message names the member), or a string is not
// valid UTF-8. `scratch` (nullable) is a canonicaliser reused across calls to save its
// allocations.
Result<std::string> RenderAuditEventJson(const AuditEvent& event, const AuditStamp& stamp,
                                         json::CanonicalJson* scratch = nullptr);

// Returns the hex SHA-256 of the canonical form of `json` (the chain link). `canonical`
// is scratch reused across calls. Errors: kInvalidArgument for invalid JSON.
Result<std::string> HashAuditEventJson(std::string_view json, json::CanonicalJson* canonical);

// Renders audit events and builds their store rows from the event's own fields, without
// parsing the rendered text back: the row is the one ingest::EventNormalizer::Normalize
// (default limits) makes of the rendered JSON, every column and the dedup key equal, so
// queries, folds and `audit verify` see the same data either way. Events the direct build
// does not model exactly (invalid UTF-8 text, which the JSON carries as U+FFFD; rendered
// events over 64 KiB or with deep nesting, where the normaliser's limits apply) are
// normalised from the rendered JSON instead.
//
// Thread safety: not thread-safe; one renderer per thread (the audit log's committer).
class AuditEventRenderer {
 public:
  AuditEventRenderer();
  ~AuditEventRenderer();
  AuditEventRenderer(const AuditEventRenderer&) = delete;
  AuditEventRenderer& operator=(const AuditEventRenderer&) = delete;

  // Sets `*json` to RenderAuditEventJson(event, stamp) and appends the event's row to
  // `rows`. Errors: those of RenderAuditEventJson, and kInvalidArgument from the normaliser
  // for an event it rejects (over its size or nesting limits); `rows` is unchanged on error.
  Status Render(const AuditEvent& event, const AuditStamp& stamp, std::string* json,
                storage::RowBatch* rows);

  // Rows built directly, and rows normalised from the JSON (counters for tests).
  uint64_t direct_rows() const;
  uint64_t normalized_rows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

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

// Reads stored audit events for verification, reusing its buffers across events (the
// verifier's hot path). Events are stored canonical (RenderAuditEventJson), so Read hashes
// the bytes as stored without canonicalising; when that hash does not match a chain link,
// the verifier falls back to CanonicalHash (events of older writers, or read back through
// another serialiser). Accepting a match of the raw hash is sound: SHA-256 of the stored
// bytes equal to the link means the bytes are the canonical bytes the writer hashed.
//
// Thread safety: not thread-safe; use one reader per thread.
class AuditEventReader {
 public:
  AuditEventReader();
  ~AuditEventReader();
  AuditEventReader(const AuditEventReader&) = delete;
  AuditEventReader& operator=(const AuditEventReader&) = delete;

  // Sets `*fields` (as ReadAuditChainFields) and `*raw_hash_hex` to the hex SHA-256 of
  // `json` as it is. Errors: kInvalidArgument for invalid JSON or a missing or mistyped
  // chain field (the message names it).
  Status Read(std::string_view json, AuditChainFields* fields, std::string* raw_hash_hex);

  // Sets `*hash_hex` as HashAuditEventJson does. Errors: kInvalidArgument (invalid JSON,
  // duplicate key).
  Status CanonicalHash(std::string_view json, std::string* hash_hex);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailbook::audit
