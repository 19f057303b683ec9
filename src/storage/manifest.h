// File: storage/manifest.h
//
// The manifest is the store's commit log (docs/format/manifest.md): an append-only file of
// checksummed records. Each commit record adds segments, removes segments (compaction),
// adds source-file ledger entries and sets named properties, all at once. Replaying the
// valid prefix of the log gives the store state; a torn last record (crash mid-append) is
// ignored and truncated by the next writer, so every commit is all-or-nothing.
//
//   ManifestState state;
//   TB_RETURN_IF_ERROR(ReplayManifest(bytes, &state, &valid_bytes));
//   std::string rec = EncodeCommit(commit);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "storage/segment_writer.h"

namespace trailbook::storage {

// DO NOT CHANGE: stored in MANIFEST (docs/format/manifest.md).
inline constexpr uint32_t kStoreFormatVersion = 1;
inline constexpr uint8_t kRecordStoreCreated = 1;
inline constexpr uint8_t kRecordCommit = 2;
inline constexpr uint8_t kRecordSnapshot = 3;
// Commit / Snapshot whose segment_info entries end with varint flags (kSegment* bits).
// Written only when some segment has flags, so older stores keep types 2 and 3.
inline constexpr uint8_t kRecordCommitFlags = 4;
inline constexpr uint8_t kRecordSnapshotFlags = 5;
inline constexpr size_t kRecordHeaderSize = 12;  // u32 length + u64 checksum
inline constexpr uint32_t kMaxRecordSize = 256u << 20;

// One ingested source file.
struct LedgerEntry {
  std::string path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string sha256;        // hex of the file's bytes as stored
  uint64_t records = 0;      // records read
  uint64_t events = 0;       // events added to the store
  uint64_t duplicates = 0;   // records skipped as duplicates of stored events
  uint64_t rejected = 0;     // records rejected (bad input)
  int64_t ingested_at_us = 0;
};

struct Commit {
  uint64_t sequence = 0;
  int64_t time_us = 0;
  uint64_t next_segment_id = 0;
  std::vector<SegmentInfo> added;
  std::vector<uint64_t> removed;
  std::vector<LedgerEntry> ledger;
  std::vector<std::pair<std::string, std::string>> properties;
};

// The state a manifest replays to.
struct ManifestState {
  std::string store_id;         // the event data store id (UUID)
  int64_t created_us = 0;
  uint32_t format_version = 0;
  uint64_t last_sequence = 0;
  uint64_t next_segment_id = 1;
  std::map<uint64_t, SegmentInfo> segments;                 // live segments by id
  std::unordered_map<std::string, LedgerEntry> ledger;      // by path
  std::unordered_map<std::string, std::string> ledger_by_hash;  // sha256 -> path
  std::map<std::string, std::string> properties;
  uint64_t records = 0;         // valid records replayed

  void Apply(const Commit& commit);
};

// Frames a record payload: [u32 length][u64 checksum][payload].
std::string FrameRecord(std::string_view payload);

std::string EncodeStoreCreated(const std::string& store_id, int64_t created_us);
std::string EncodeCommit(const Commit& commit);
// Encodes the whole state as one record (used to rewrite a long log).
std::string EncodeSnapshot(const ManifestState& state);

// Replays framed records from `log`. Stops at the first incomplete or corrupt record and
// reports the byte length of the valid prefix in `valid_bytes` (a torn tail is expected
// after a crash). A corrupt record followed by valid data is reported as kCorruption,
// because it cannot come from a crash. Errors inside a valid frame are kCorruption.
Status ReplayManifest(std::string_view log, ManifestState* state, size_t* valid_bytes);

}  // namespace trailbook::storage
