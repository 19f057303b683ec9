#include "storage/manifest.h"

#include "storage/coding.h"

namespace trailbook::storage {
namespace {

// `with_flags`: the record is a kRecordCommitFlags / kRecordSnapshotFlags one, whose
// segment_info ends with varint flags.
void PutSegment(std::string* out, const SegmentInfo& s, bool with_flags) {
  PutVarint64(out, s.id);
  PutVarintSigned(out, s.day);
  PutVarint64(out, s.rows);
  PutVarintSigned(out, s.min_time);
  PutVarintSigned(out, s.max_time);
  PutVarint64(out, s.bytes);
  if (with_flags) PutVarint64(out, s.flags);
}

Status ReadSegment(ByteReader& r, SegmentInfo* s, bool with_flags) {
  TB_RETURN_IF_ERROR(r.ReadVarint64(&s->id));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&s->day));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&s->rows));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&s->min_time));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&s->max_time));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&s->bytes));
  // Unknown bits (a newer writer's) are kept but mean nothing here: every flag only narrows
  // what a scan reads for some callers, so ignoring one never shows a hidden row.
  s->flags = 0;
  if (with_flags) TB_RETURN_IF_ERROR(r.ReadVarint64(&s->flags));
  return Status::OK();
}

void PutLedger(std::string* out, const LedgerEntry& e) {
  PutLengthPrefixed(out, e.path);
  PutVarint64(out, e.size);
  PutVarintSigned(out, e.mtime_ns);
  PutLengthPrefixed(out, e.sha256);
  PutVarint64(out, e.records);
  PutVarint64(out, e.events);
  PutVarint64(out, e.duplicates);
  PutVarint64(out, e.rejected);
  PutVarintSigned(out, e.ingested_at_us);
}

Status ReadLedger(ByteReader& r, LedgerEntry* e) {
  std::string_view path, sha;
  TB_RETURN_IF_ERROR(r.ReadLengthPrefixed(&path));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&e->size));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&e->mtime_ns));
  TB_RETURN_IF_ERROR(r.ReadLengthPrefixed(&sha));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&e->records));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&e->events));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&e->duplicates));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&e->rejected));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&e->ingested_at_us));
  e->path = path;
  e->sha256 = sha;
  return Status::OK();
}

template <typename T, typename F>
Status ReadList(ByteReader& r, std::vector<T>* out, F read_one) {
  uint64_t n = 0;
  TB_RETURN_IF_ERROR(r.ReadVarint64(&n));
  if (n > r.remaining()) return Corruption("list length exceeds record size");
  out->resize(n);
  for (T& item : *out) TB_RETURN_IF_ERROR(read_one(r, &item));
  return Status::OK();
}

Status DecodeCommitBody(ByteReader& r, Commit* c, bool with_flags) {
  TB_RETURN_IF_ERROR(r.ReadVarint64(&c->sequence));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&c->time_us));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&c->next_segment_id));
  TB_RETURN_IF_ERROR(ReadList(r, &c->added, [with_flags](ByteReader& br, SegmentInfo* s) {
    return ReadSegment(br, s, with_flags);
  }));
  TB_RETURN_IF_ERROR(ReadList(r, &c->removed, [](ByteReader& br, uint64_t* id) {
    return br.ReadVarint64(id);
  }));
  TB_RETURN_IF_ERROR(ReadList(r, &c->ledger, ReadLedger));
  return ReadList(r, &c->properties,
                  [](ByteReader& br, std::pair<std::string, std::string>* kv) {
                    std::string_view k, v;
                    TB_RETURN_IF_ERROR(br.ReadLengthPrefixed(&k));
                    TB_RETURN_IF_ERROR(br.ReadLengthPrefixed(&v));
                    kv->first = k;
                    kv->second = v;
                    return Status::OK();
                  });
}

void EncodeCommitBody(const Commit& c, std::string* out, bool with_flags) {
  PutVarint64(out, c.sequence);
  PutVarintSigned(out, c.time_us);
  PutVarint64(out, c.next_segment_id);
  PutVarint64(out, c.added.size());
  for (const SegmentInfo& s : c.added) PutSegment(out, s, with_flags);
  PutVarint64(out, c.removed.size());
  for (uint64_t id : c.removed) PutVarint64(out, id);
  PutVarint64(out, c.ledger.size());
  for (const LedgerEntry& e : c.ledger) PutLedger(out, e);
  PutVarint64(out, c.properties.size());
  for (const auto& [k, v] : c.properties) {
    PutLengthPrefixed(out, k);
    PutLengthPrefixed(out, v);
  }
}

// Records without segment flags keep the original format, so a store that never held a
// flagged segment stays readable by builds that predate the flags.
bool AnyFlags(const std::vector<SegmentInfo>& segments) {
  for (const SegmentInfo& s : segments) {
    if (s.flags != 0) return true;
  }
  return false;
}

}  // namespace

void ManifestState::Apply(const Commit& c) {
  last_sequence = c.sequence;
  if (c.next_segment_id > next_segment_id) next_segment_id = c.next_segment_id;
  for (uint64_t id : c.removed) segments.erase(id);
  for (const SegmentInfo& s : c.added) segments[s.id] = s;
  for (const LedgerEntry& e : c.ledger) {
    ledger[e.path] = e;
    ledger_by_hash[e.sha256] = e.path;
  }
  for (const auto& [k, v] : c.properties) properties[k] = v;
}

std::string FrameRecord(std::string_view payload) {
  std::string out;
  PutFixed32(&out, static_cast<uint32_t>(payload.size()));
  PutFixed64(&out, Checksum(payload));
  out.append(payload);
  return out;
}

std::string EncodeStoreCreated(const std::string& store_id, int64_t created_us) {
  std::string p;
  p.push_back(static_cast<char>(kRecordStoreCreated));
  PutVarint64(&p, kStoreFormatVersion);
  PutLengthPrefixed(&p, store_id);
  PutVarintSigned(&p, created_us);
  return FrameRecord(p);
}

std::string EncodeCommit(const Commit& c) {
  std::string p;
  bool flags = AnyFlags(c.added);
  p.push_back(static_cast<char>(flags ? kRecordCommitFlags : kRecordCommit));
  EncodeCommitBody(c, &p, flags);
  return FrameRecord(p);
}

std::string EncodeSnapshot(const ManifestState& s) {
  Commit c;
  c.sequence = s.last_sequence;
  c.next_segment_id = s.next_segment_id;
  for (const auto& [id, seg] : s.segments) c.added.push_back(seg);
  for (const auto& [path, e] : s.ledger) c.ledger.push_back(e);
  for (const auto& [k, v] : s.properties) c.properties.emplace_back(k, v);
  bool flags = AnyFlags(c.added);
  std::string p;
  p.push_back(static_cast<char>(flags ? kRecordSnapshotFlags : kRecordSnapshot));
  PutVarint64(&p, s.format_version);
  PutLengthPrefixed(&p, s.store_id);
  PutVarintSigned(&p, s.created_us);
  EncodeCommitBody(c, &p, flags);
  return FrameRecord(p);
}

Status ReplayManifest(std::string_view log, ManifestState* state, size_t* valid_bytes) {
  size_t pos = 0;
  *valid_bytes = 0;
  while (pos < log.size()) {
    if (log.size() - pos < kRecordHeaderSize) break;  // torn header
    uint32_t len = DecodeFixed32(log.data() + pos);
    uint64_t sum = DecodeFixed64(log.data() + pos + 4);
    if (len > kMaxRecordSize || log.size() - pos - kRecordHeaderSize < len) break;  // torn
    std::string_view payload = log.substr(pos + kRecordHeaderSize, len);
    if (Checksum(payload) != sum) {
      // A crash can only tear the last record. Bad bytes with a complete record after them
      // mean the file was damaged, and silently dropping commits would lose events.
      if (pos + kRecordHeaderSize + len < log.size()) {
        return Corruption("MANIFEST: checksum mismatch in record at byte " + std::to_string(pos) +
                          " followed by more records");
      }
      break;
    }
    ByteReader r(payload);
    uint8_t type = 0;
    TB_RETURN_IF_ERROR(r.ReadByte(&type));
    std::string where = "MANIFEST record at byte " + std::to_string(pos);
    const bool snapshot = type == kRecordSnapshot || type == kRecordSnapshotFlags;
    const bool with_flags = type == kRecordCommitFlags || type == kRecordSnapshotFlags;
    if (type == kRecordStoreCreated || snapshot) {
      uint32_t version = 0;
      std::string_view id;
      Status s = r.ReadVarint32(&version);
      if (s.ok()) s = r.ReadLengthPrefixed(&id);
      if (s.ok()) s = r.ReadVarintSigned(&state->created_us);
      if (!s.ok()) return s.WithContext(where);
      if (version != kStoreFormatVersion) {
        return Corruption("unsupported store format version " + std::to_string(version));
      }
      state->format_version = version;
      state->store_id = id;
      if (snapshot) {
        Commit c;
        s = DecodeCommitBody(r, &c, with_flags);
        if (!s.ok()) return s.WithContext(where);
        ManifestState fresh;
        fresh.store_id = state->store_id;
        fresh.created_us = state->created_us;
        fresh.format_version = version;
        *state = std::move(fresh);
        state->Apply(c);
      }
    } else if (type == kRecordCommit || type == kRecordCommitFlags) {
      if (state->store_id.empty()) return Corruption(where + ": commit before store header");
      Commit c;
      Status s = DecodeCommitBody(r, &c, with_flags);
      if (!s.ok()) return s.WithContext(where);
      state->Apply(c);
    } else {
      return Corruption(where + ": unknown record type " + std::to_string(type));
    }
    if (!r.done()) return Corruption(where + ": trailing bytes in record");
    ++state->records;
    pos += kRecordHeaderSize + len;
    *valid_bytes = pos;
  }
  return Status::OK();
}

}  // namespace trailbook::storage
