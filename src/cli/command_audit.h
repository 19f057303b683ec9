// File: cli/command_audit.h
//
// The audit log of a one-shot command (`run`, `query`, `snapshot ...`). Long-running
// processes (`serve`, `monitor`) write a signed digest at an interval and on shutdown; a
// store used only from the CLI gets its digests here instead: when $TRAILBOOK_AUDIT_DIGEST_KEY
// names a digest signing key (a `trailbook keygen` file, mode 0600), each command writes a
// digest as it ends if the newest one is older than $TRAILBOOK_AUDIT_DIGEST_INTERVAL seconds
// (default 300) or there is none, so digests follow CLI use at about that interval.
//
//   TB_ASSIGN_OR_RETURN(std::unique_ptr<CommandAuditLog> audit, CommandAuditLog::Open(dir));
//   runbook::Executor executor(..., audit->log(), ...);
//   ...                               // the digest (if due) is written when `audit` ends
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "base/status.h"

namespace trailbook::cli {

class CommandAuditLog {
 public:
  // Opens the audit log of the store in `store_dir`. Errors: the audit log's, and
  // kInvalidArgument naming the variable when the digest key or interval is unusable
  // (a key file looser than 0600, a non-positive interval), before anything runs.
  static Result<std::unique_ptr<CommandAuditLog>> Open(const std::string& store_dir);

  // Writes the digest when one is due (see above); a failure is printed as a warning and
  // does not change the command's result.
  ~CommandAuditLog();
  CommandAuditLog(const CommandAuditLog&) = delete;
  CommandAuditLog& operator=(const CommandAuditLog&) = delete;

  audit::AuditLog& log() { return *log_; }

  // True when a digest is due: none yet, or the newest was written `interval` or more ago.
  // Errors: kIOError / kCorruption reading the newest digest file.
  static Result<bool> DigestDue(const std::string& store_dir, std::chrono::seconds interval,
                                int64_t now_us);

 private:
  CommandAuditLog(std::string store_dir, std::unique_ptr<audit::AuditLog> log, bool sign,
                  std::chrono::seconds interval)
      : store_dir_(std::move(store_dir)), log_(std::move(log)), sign_(sign), interval_(interval) {}

  std::string store_dir_;
  std::unique_ptr<audit::AuditLog> log_;
  bool sign_ = false;
  std::chrono::seconds interval_{300};
};

}  // namespace trailbook::cli
