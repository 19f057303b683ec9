#include "audit/audit_fold.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <map>

#include "audit/audit_event_json.h"
#include "audit/audit_journal_io.h"
#include "base/timestamp.h"
#include "ingest/event_normalizer.h"
#include "io/file.h"
#include "storage/audit_journal.h"
#include "storage/row_batch.h"
#include "storage/segment_writer.h"
#include "storage/zstd_codec.h"

namespace trailbook::audit {
namespace {

constexpr size_t kMaxFoldSegmentRows = 1u << 20;

uint64_t PropertyNumber(const storage::Store& store, const char* key) {
  std::string v = store.Property(key);
  uint64_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

}  // namespace

uint64_t AuditFoldedOffset(const storage::Store& store) {
  return PropertyNumber(store, storage::kAuditFoldedOffsetProperty);
}

Result<FoldResult> FoldAuditJournal(storage::Store& store) {
  if (!store.writable()) return Internal("audit fold needs the store writer");
  FoldResult result;
  uint64_t folded_offset = AuditFoldedOffset(store);
  uint64_t folded_sequence = PropertyNumber(store, storage::kAuditFoldedSequenceProperty);
  result.folded_sequence = folded_sequence;
  std::string path = store.dir() + "/" + storage::kAuditJournalName;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return result;
    return io::ErrnoError("open audit journal", path, errno);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return io::ErrnoError("fstat", path, err);
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  Result<std::string> bytes = size > folded_offset
                                  ? ReadFileRange(fd, path, folded_offset, size)
                                  : Result<std::string>(std::string());
  ::close(fd);
  if (!bytes.ok()) return bytes.status();
  if (size < folded_offset) {
    return Corruption(path + ": audit journal is shorter than the folded offset " +
                      std::to_string(folded_offset));
  }
  // Only complete records fold; a torn or in-progress tail waits for the next fold.
  storage::JournalScan scan = storage::ScanJournal(*bytes, folded_offset);
  if (scan.end == storage::JournalEnd::kCorrupt) {
    return Corruption(path + ": audit journal damaged: " + scan.problem);
  }
  storage::RowBatch rows;
  ingest::EventNormalizer normalizer;
  json::CanonicalJson canonical;
  std::string padded;
  uint64_t next = folded_sequence + 1;
  uint64_t end_offset = folded_offset;
  std::string_view last_event;
  for (const storage::JournalRecord& record : scan.records) {
    end_offset = record.offset + record.size;
    if (record.kind != storage::kJournalRecordBatch) continue;
    if (record.first_sequence != next) {
      return Corruption(path + ": audit journal record at byte " + std::to_string(record.offset) +
                        " starts at sequence " + std::to_string(record.first_sequence) +
                        ", expected " + std::to_string(next));
    }
    for (std::string_view event : record.events) {
      padded.assign(event);
      padded.append(simdjson::SIMDJSON_PADDING, '\0');
      Status s = normalizer.Normalize(std::string_view(padded.data(), event.size()), &rows);
      if (!s.ok()) {
        return Corruption(path + ": audit event " + std::to_string(next) +
                          " does not normalise: " + s.message());
      }
      last_event = event;
      ++next;
    }
  }
  if (next == folded_sequence + 1) {
    return result;  // Nothing new (digest records alone are not worth a commit).
  }
  TB_ASSIGN_OR_RETURN(std::string head_hash, HashAuditEventJson(last_event, &canonical));

  std::map<int64_t, std::vector<uint32_t>> by_day;
  for (uint32_t r = 0; r < rows.row_count(); ++r) by_day[DayOf(rows.event_time(r))].push_back(r);
  storage::Commit commit;
  storage::ZstdCodec codec;
  storage::SegmentWriteOptions options;
  for (auto& [day, day_rows] : by_day) {
    std::stable_sort(day_rows.begin(), day_rows.end(), [&](uint32_t a, uint32_t b) {
      return rows.event_time(a) < rows.event_time(b);
    });
    TB_ASSIGN_OR_RETURN(std::string dir, store.SegmentDirectory(day));
    for (size_t start = 0; start < day_rows.size(); start += kMaxFoldSegmentRows) {
      size_t n = std::min(kMaxFoldSegmentRows, day_rows.size() - start);
      TB_ASSIGN_OR_RETURN(storage::SegmentInfo info,
                          storage::WriteSegment(dir, store.AllocateSegmentId(), day, rows,
                                                std::span<const uint32_t>(day_rows).subspan(start, n),
                                                options, codec));
      // The journal holds trailbook audit events alone (AuditLog writes nothing else).
      info.flags |= storage::kSegmentAuditOnly;
      commit.added.push_back(info);
    }
  }
  commit.properties.emplace_back(storage::kAuditFoldedSequenceProperty, std::to_string(next - 1));
  commit.properties.emplace_back(storage::kAuditFoldedOffsetProperty, std::to_string(end_offset));
  commit.properties.emplace_back(storage::kAuditFoldedHashProperty, head_hash);
  TB_RETURN_IF_ERROR(store.Commit(std::move(commit)).WithContext("committing audit fold"));
  result.events = next - 1 - folded_sequence;
  result.segments = by_day.size();
  result.folded_sequence = next - 1;
  return result;
}

}  // namespace trailbook::audit
