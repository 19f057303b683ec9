#include "storage/audit_journal.h"

#include "storage/coding.h"
#include "storage/manifest.h"

namespace trailbook::storage {
namespace {

Status DecodePayload(std::string_view payload, JournalRecord* record) {
  ByteReader d(payload);
  TB_RETURN_IF_ERROR(d.ReadByte(&record->kind));
  if (record->kind == kJournalRecordBatch) {
    TB_RETURN_IF_ERROR(d.ReadVarint64(&record->first_sequence));
    uint64_t events = 0;
    TB_RETURN_IF_ERROR(d.ReadVarint64(&events));
    if (record->first_sequence == 0 || events == 0 || events > payload.size()) {
      return Corruption("batch record with bad sequence or event count");
    }
    for (uint64_t i = 0; i < events; ++i) {
      std::string_view e;
      TB_RETURN_IF_ERROR(d.ReadLengthPrefixed(&e));
      record->events.push_back(e);
    }
    uint64_t segments = 0;
    TB_RETURN_IF_ERROR(d.ReadVarint64(&segments));
    if (segments == 0 || segments > events) {
      return Corruption("batch record with bad segment count");
    }
    for (uint64_t i = 0; i < segments; ++i) {
      std::string_view s;
      TB_RETURN_IF_ERROR(d.ReadLengthPrefixed(&s));
      record->segments.push_back(s);
    }
  } else if (record->kind == kJournalRecordDigest) {
    TB_RETURN_IF_ERROR(d.ReadLengthPrefixed(&record->digest_json));
  } else {
    return Corruption("unknown record kind " + std::to_string(record->kind));
  }
  if (d.remaining() != 0) return Corruption("trailing bytes in record");
  return Status::OK();
}

}  // namespace

std::string EncodeJournalBatch(uint64_t first_sequence, std::span<const std::string> events,
                               std::span<const std::string> segments) {
  std::string p;
  p.push_back(static_cast<char>(kJournalRecordBatch));
  PutVarint64(&p, first_sequence);
  PutVarint64(&p, events.size());
  for (const std::string& e : events) PutLengthPrefixed(&p, e);
  PutVarint64(&p, segments.size());
  for (const std::string& s : segments) PutLengthPrefixed(&p, s);
  return FrameRecord(p);
}

std::string EncodeJournalDigest(std::string_view digest_json) {
  std::string p;
  p.push_back(static_cast<char>(kJournalRecordDigest));
  PutLengthPrefixed(&p, digest_json);
  return FrameRecord(p);
}

JournalScan ScanJournal(std::string_view bytes, uint64_t base_offset) {
  JournalScan scan;
  size_t pos = 0;
  while (pos < bytes.size()) {
    uint64_t at = base_offset + pos;
    size_t left = bytes.size() - pos;
    if (left < kRecordHeaderSize) {
      scan.end = JournalEnd::kIncomplete;
      scan.problem = "torn record header at byte " + std::to_string(at);
      break;
    }
    ByteReader header(bytes.substr(pos, kRecordHeaderSize));
    uint32_t length = 0;
    uint64_t checksum = 0;
    (void)header.ReadFixed32(&length);
    (void)header.ReadFixed64(&checksum);
    if (length > kMaxJournalRecordSize) {
      scan.end = left > kRecordHeaderSize + kMaxJournalRecordSize ? JournalEnd::kCorrupt
                                                                  : JournalEnd::kIncomplete;
      scan.problem = "record length " + std::to_string(length) + " too large at byte " +
                     std::to_string(at);
      break;
    }
    size_t frame = kRecordHeaderSize + length;
    if (left < frame) {
      scan.end = JournalEnd::kIncomplete;
      scan.problem = "torn record at byte " + std::to_string(at);
      break;
    }
    std::string_view payload = bytes.substr(pos + kRecordHeaderSize, length);
    if (Checksum(payload) != checksum) {
      // A torn write can leave a full-length frame with stale bytes only at the very end.
      scan.end = left == frame ? JournalEnd::kIncomplete : JournalEnd::kCorrupt;
      scan.problem = "record checksum mismatch at byte " + std::to_string(at);
      break;
    }
    JournalRecord record;
    record.offset = at;
    record.size = frame;
    Status s = DecodePayload(payload, &record);
    if (!s.ok()) {
      scan.end = JournalEnd::kCorrupt;
      scan.problem = "malformed record at byte " + std::to_string(at) + ": " + s.message();
      break;
    }
    scan.records.push_back(std::move(record));
    pos += frame;
  }
  scan.valid_bytes = pos;
  // `pos` only advances past whole valid records.
  return scan;
}

}  // namespace trailbook::storage
