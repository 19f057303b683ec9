// File: storage/audit_journal.h
//
// The audit journal's on-disk format (docs/format/audit.md): an append-only file
// `<store>/audit/journal.log` of framed, checksummed records, written by audit::AuditLog
// under a short-held flock on `<store>/audit/journal.lock` and read lock-free by
// Store::Snapshot(), which shows the events not yet folded into regular segments.
//
// A batch record holds the events of one group commit: their CloudTrail JSON (the evidence
// the hash chain covers) and the same events encoded as one in-memory segment per UTC day
// (what queries read until the store writer folds them). A digest record holds a copy of a
// signed audit digest, so that deleting a digest file is detectable.
//
//   JournalScan scan = ScanJournal(bytes, /*base_offset=*/0);
//   for (const JournalRecord& r : scan.records) ...
//
// This layer knows the framing and the fields, not what the events mean (audit/ does).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::storage {

// DO NOT CHANGE: stored in the store directory (docs/format/audit.md).
inline constexpr char kAuditDirName[] = "audit";
inline constexpr char kAuditJournalName[] = "audit/journal.log";
inline constexpr char kAuditJournalLockName[] = "audit/journal.lock";
inline constexpr uint8_t kJournalRecordBatch = 1;
inline constexpr uint8_t kJournalRecordDigest = 2;
// Manifest properties set by the fold commit: the last audit sequence folded into regular
// segments, and the journal byte offset just past that record.
inline constexpr char kAuditFoldedSequenceProperty[] = "audit.folded_sequence";
inline constexpr char kAuditFoldedOffsetProperty[] = "audit.folded_offset";
inline constexpr char kAuditFoldedHashProperty[] = "audit.folded_hash";
// Segments built from the journal carry ids with this bit set (never allocated by the
// store), so they never collide with committed segments.
inline constexpr uint64_t kJournalSegmentIdBit = uint64_t{1} << 62;
// The eventSource of every event in the journal: only the audit log writes it, and it
// writes only audit events (audit::kAuditEventSource, asserted equal in audit_log.cc). A
// scan that hides this source skips journal segments without reading them.
inline constexpr char kJournalEventSource[] = "trailbook.audit";
inline constexpr uint32_t kMaxJournalRecordSize = 64u << 20;

// One parsed record; the views point into the scanned bytes.
struct JournalRecord {
  uint8_t kind = 0;
  uint64_t offset = 0;  // File offset of the frame.
  uint64_t size = 0;    // Frame size in bytes (header included).
  // kJournalRecordBatch:
  uint64_t first_sequence = 0;
  std::vector<std::string_view> events;    // Event JSON, sequences first_sequence...
  std::vector<std::string_view> segments;  // Encoded segments of the same events.
  // kJournalRecordDigest:
  std::string_view digest_json;

  uint64_t last_sequence() const { return first_sequence + events.size() - 1; }
};

// How a scan ended.
enum class JournalEnd {
  kClean,       // Every byte belongs to a valid record.
  kIncomplete,  // The last frame is torn (a crash or a write in progress): not an error.
  kCorrupt,     // A bad frame followed by more data, or a malformed record: tampering or
                // media damage, never a crash.
};

struct JournalScan {
  std::vector<JournalRecord> records;
  uint64_t valid_bytes = 0;  // Bytes of the valid prefix (from the scan's start).
  JournalEnd end = JournalEnd::kClean;
  std::string problem;       // Why the scan stopped early ("" when clean).
};

// Frames a batch of events with sequences first_sequence.. (REQUIRES: events non-empty).
std::string EncodeJournalBatch(uint64_t first_sequence, std::span<const std::string> events,
                               std::span<const std::string> segments);
// Frames a digest record.
std::string EncodeJournalDigest(std::string_view digest_json);

// Parses the records in `bytes`, which start at file offset `base_offset` on a record
// boundary. Stops at the first bad frame (see JournalEnd). Never fails: the outcome is in
// the result.
JournalScan ScanJournal(std::string_view bytes, uint64_t base_offset);

}  // namespace trailbook::storage
