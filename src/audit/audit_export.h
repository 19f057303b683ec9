// File: audit/audit_export.h
//
// Exports a store's audit events and digests as CloudTrail-format files in the S3 delivery
// layout, for a SIEM, a CloudTrail Lake channel, or another trailbook store (`trailbook
// ingest OUT` re-reads the events and skips the digests):
//   OUT/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
//       <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_seq<first>-<last>.json.gz
//       ({"Records":[...]}: the events of one UTC day and account/region, in sequence order,
//        at most 10,000 per file)
//   OUT/AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
//       <account>_CloudTrail-Digest_<region>_trailbook_<region>_<YYYYMMDDTHHmmssZ>.json.gz
//       (each signed digest, byte for byte, docs/format/audit.md)
// Events are exported from the journal, the evidence `audit verify` checks, so exported
// files carry the same chain fields and verify against the same digests.
//
//   TB_ASSIGN_OR_RETURN(AuditExportSummary s, ExportAuditTrail(store_dir, out_dir, {}));
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace trailbook::audit {

struct AuditExportOptions {
  std::optional<int64_t> from_us;  // Only events (and digests) in [from_us, to_us].
  std::optional<int64_t> to_us;
  size_t max_events_per_file = 10000;
};

struct AuditExportSummary {
  uint64_t events = 0;
  uint64_t event_files = 0;
  uint64_t digests = 0;
};

// Writes the files above under `out_dir` (created when missing; existing files with the
// same names are replaced atomically). Errors: kNotFound (no audit journal), kCorruption
// (a damaged journal or digest; run `audit verify`), kIOError.
Result<AuditExportSummary> ExportAuditTrail(const std::string& store_dir,
                                            const std::string& out_dir,
                                            const AuditExportOptions& options);

}  // namespace trailbook::audit
