#include "cli/command_audit.h"

#include <cerrno>
#include <cstdlib>
#include <string>

#include "audit/audit_digest.h"
#include "base/clock.h"
#include "cli/store_flags.h"

namespace trailbook::cli {

constexpr char kDigestKeyVariable[] = "TRAILBOOK_AUDIT_DIGEST_KEY";
constexpr char kDigestIntervalVariable[] = "TRAILBOOK_AUDIT_DIGEST_INTERVAL";

Result<std::unique_ptr<CommandAuditLog>> CommandAuditLog::Open(const std::string& store_dir) {
  audit::AuditLogOptions options;
  const char* key = std::getenv(kDigestKeyVariable);
  if (key != nullptr) options.digest_key_path = key;
  std::chrono::seconds interval{300};
  if (const char* text = std::getenv(kDigestIntervalVariable); text != nullptr) {
    char* end = nullptr;
    errno = 0;
    long long seconds = std::strtoll(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || seconds <= 0) {
      return InvalidArgument(std::string(kDigestIntervalVariable) +
                             ": wants a positive number of seconds, got '" + text + "'");
    }
    interval = std::chrono::seconds(seconds);
  }
  Result<std::unique_ptr<audit::AuditLog>> log = audit::AuditLog::Open(store_dir, options);
  if (!log.ok()) {
    if (!options.digest_key_path.empty() && log.status().code() == StatusCode::kInvalidArgument) {
      return log.status().WithContext(kDigestKeyVariable);
    }
    return log.status();
  }
  return std::unique_ptr<CommandAuditLog>(new CommandAuditLog(
      store_dir, std::move(log).value(), !options.digest_key_path.empty(), interval));
}

Result<bool> CommandAuditLog::DigestDue(const std::string& store_dir,
                                        std::chrono::seconds interval, int64_t now_us) {
  TB_ASSIGN_OR_RETURN(std::optional<audit::AuditDigest> newest,
                      audit::ReadLatestDigest(store_dir + "/" + audit::kDigestDirName));
  if (!newest) return true;
  return now_us - newest->end_time_us >=
         std::chrono::duration_cast<std::chrono::microseconds>(interval).count();
}

CommandAuditLog::~CommandAuditLog() {
  if (!sign_) return;
  Result<bool> due = DigestDue(store_dir_, interval_, SystemClock().NowMicros());
  if (due.ok() && !*due) return;
  Status status = due.status();
  if (status.ok()) {
    Result<audit::DigestReceipt> receipt = log_->WriteDigest();
    status = receipt.status();
  }
  if (!status.ok()) PrintError("warning: audit digest not written: " + status.message());
}

}  // namespace trailbook::cli
