// File: audit/audit_log.h
//
// The audit loop's write side: every token verification, runbook run, ad-hoc query, dry run
// and snapshot access is recorded as a CloudTrail-format event in the same store the queries
// read, so runbooks can query who ran what (eventSource "trailbook.audit").
//
// This header is the contract between the runbook/server/monitor code (callers) and the
// audit implementation. Callers build AuditEvents; the log stamps each one with its
// eventID, a per-store sequence number and the hash of the previous audit event (the
// tamper-evident chain, docs/format/audit.md), renders it as a CloudTrail event, and makes
// it durable and visible to queries before Append returns.
//
//   TB_ASSIGN_OR_RETURN(std::unique_ptr<AuditLog> log, AuditLog::Open(store_dir, {}));
//   AuditEvent event;
//   event.event_name = "RunRunbook";
//   ...
//   TB_ASSIGN_OR_RETURN(AuditReceipt receipt, log->Append(event));
//
// Fail closed: when Append fails, the caller must not return results for the request.
//
// A server that must not hold a thread per request while the event is written and synced
// uses the split form: AppendPending queues the event and returns at once with a ticket
// (the log sequences, chains and writes it later, in order); WhenDurable(receipt.ticket,
// done) calls `done` once the event is durable (or cannot be). Nothing that reveals
// results or claims success may leave before `done` reports OK.
//
// Thread safety: Append, AppendPending and WhenDurable may be called from any number of
// threads and processes at once (group commit inside a process, a file lock across
// processes); no event is lost, mangled or given a duplicate sequence number.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace trailbook::audit {

// The eventSource of every audit event. Never an AWS service name.
inline constexpr char kAuditEventSource[] = "trailbook.audit";

// One audit record as the caller knows it. JSON-valued members hold serialised JSON object
// text (valid, minified) or are empty (omitted from the event).
struct AuditEvent {
  std::string event_name;  // VerifyToken, RunRunbook, DryRunRunbook, QueryAdhoc,
                           // CreateSnapshot, ReadSnapshot, VerifyAudit, ...
  int64_t event_time_us = 0;  // 0: the log's clock at Append.
  bool read_only = true;

  // Who: from the verified token, or what the caller could read of a rejected one.
  std::string principal_id;  // sub ("" when the token did not verify)
  std::string issuer;        // iss
  std::string token_id;      // jti
  std::string token_sha256;  // hex SHA-256 of the compact token (always known)
  std::string source_ip;     // client address ("127.0.0.1" / "local" for the CLI)
  std::string user_agent;    // e.g. "trailbook-cli/0.1", or the HTTP User-Agent
  std::string request_id;    // the request's id (X-Request-Id); "" lets the log make one

  std::string request_parameters_json;   // runbook id, version, hash, bound params, reason
  std::string response_elements_json;    // rows, bytes/events scanned, duration, sha256
  std::string additional_event_data_json;  // ordered verification steps and outcomes
  std::string error_code;                // e.g. "AccessDenied", "InvalidToken"
  std::string error_message;             // the detailed (audit-only) reason
};

struct AuditReceipt {
  // Append: set. AppendPending: 0 and empty when the log writes the event later (the
  // journal log); only `ticket` is known then.
  uint64_t sequence = 0;  // 1-based, dense, per store
  std::string event_id;   // the CloudTrail eventID (UUID) given to the event
  std::string event_hash; // hex SHA-256 of the event's canonical form (the chain link)
  // What WhenDurable takes: per log (not per store), increasing in append order.
  uint64_t ticket = 0;
};

struct AuditLogOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock
  // recipientAccountId of every audit event and the account of the export layout
  // (12 digits). Default: "000000000000" (no AWS account; set it to ship to a real trail).
  std::string account_id = "000000000000";
  std::string region = "local";  // awsRegion of every audit event.
  // Private key file that signs digests (written by `trailbook keygen`, mode 0600; EdDSA or
  // ES256 recommended). Empty: WriteDigest fails with kInvalidArgument.
  std::string digest_key_path;
  size_t max_batch_events = 4096;  // Group commit: most events written by one fsync.
};

// What WriteDigest wrote.
struct DigestReceipt {
  bool written = false;         // false: no event since the previous digest.
  uint64_t first_sequence = 0;  // Sequences the digest covers.
  uint64_t last_sequence = 0;
  std::string path;             // The digest file.
  std::string signature;        // hex
};

class AuditLog {
 public:
  // Opens (creating when missing) the audit log of the store in `store_dir`.
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& store_dir,
                                                const AuditLogOptions& options);
  virtual ~AuditLog() = default;

  // Durably appends `event`; when this returns OK the event is on disk, chained, and visible
  // to queries that open a new store snapshot. Errors: kIOError, kResourceExhausted.
  virtual Result<AuditReceipt> Append(const AuditEvent& event) = 0;

  // Completion of a pending append's durability: OK, or why the event may not be durable.
  using DurableCallback = std::function<void(const Status&)>;

  // Appends a copy of `event` as Append does (sequenced, chained, written in append order,
  // then visible to queries) but returns without waiting for it to be written or durable:
  // the receipt may carry only its ticket. The caller must not reveal results or claim
  // success until WhenDurable(receipt.ticket) reports OK, and must call WhenDurable for
  // every ticket it gets. Errors (at once): a failed log's kIOError. Errors found while
  // writing (kIOError, kResourceExhausted, a bad event) come through WhenDurable. The
  // default (for logs whose Append is already durable) calls Append.
  virtual Result<AuditReceipt> AppendPending(const AuditEvent& event) {
    Result<AuditReceipt> receipt = Append(event);
    if (receipt.ok()) receipt->ticket = receipt->sequence;
    return receipt;
  }

  // Calls `done` exactly once: with OK when the event of `ticket` is durable, or with the
  // error when it cannot be (its write or fdatasync failed). May call it before returning
  // (already settled) or later from the log's writer thread, so `done` must be quick and
  // must not call back into this log. REQUIRES: `ticket` is from a receipt this log
  // returned. The default reports OK at once.
  virtual void WhenDurable(uint64_t ticket, DurableCallback done) {
    (void)ticket;
    done(Status::OK());
  }

  // OK while the log can make events durable; after a failed fdatasync (which fails every
  // later append of this log) the error, so a server reports itself not
  // ready instead of answering every audited request 503. The default: OK.
  virtual Status Health() const { return Status::OK(); }

  // Writes a signed digest covering the events since the previous digest (docs/format/
  // audit.md), chained to it by its signature; call at an interval and on shutdown.
  // Returns written=false when no event was appended since. Errors: kInvalidArgument (no
  // or unusable digest key, key file mode looser than 0600), kIOError, kCorruption
  // (damaged journal). Thread-safe; serialised with Append across processes.
  virtual Result<DigestReceipt> WriteDigest() {
    return Status(StatusCode::kUnimplemented, "this audit log writes no digests");
  }
};

}  // namespace trailbook::audit
