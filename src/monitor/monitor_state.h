// File: monitor/monitor_state.h
//
// MonitorState: everything the monitor keeps across restarts (the alert engine's state,
// the delivery outbox, the ids already delivered and the ingest poll watermark), and its
// crash-safe file: written whole with io::WriteFileAtomic (temp, fsync, rename, fsync dir),
// so a crash leaves the previous or the new state, never a mix.
//
//   TB_ASSIGN_OR_RETURN(MonitorState state, LoadMonitorState(path));  // missing: empty
//   ...
//   TB_RETURN_IF_ERROR(SaveMonitorState(path, state));
//
// The JSON layout is documented in docs/monitor.md ("State file").
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "monitor/alert_engine.h"

namespace trailbook::monitor {

// An alert accepted for delivery and not yet delivered to every sink it goes to.
struct OutboxEntry {
  std::string alert_id;  // Alert::id, plus ":resolved" for resolutions.
  std::string payload;   // The alert as JSON (see AlertToJson).
  std::vector<std::string> pending_sinks;
  uint32_t attempts = 0;
  int64_t next_attempt_us = 0;
};

struct MonitorState {
  EngineState engine;
  std::vector<OutboxEntry> outbox;
  std::deque<std::string> delivered;  // Recently delivered outbox ids (bounded), oldest first.
  uint64_t runs = 0;
};

// DO NOT CHANGE: stored in the state file (docs/monitor.md). Version 2 keeps remembered
// rows compactly (schemas, rows by group key, derived cells left out); version 3 adds the
// rows kept as counts (TimeTally) to a group; version 1 and 2 files are still read.
inline constexpr int kMonitorStateVersion = 3;

// Returns the state as JSON.
std::string EncodeMonitorState(const MonitorState& state);

// Parses EncodeMonitorState's output. Errors: kCorruption naming the bad field.
Result<MonitorState> DecodeMonitorState(std::string_view json);

// Reads the state file; a missing file yields an empty state. Errors: kCorruption, kIOError.
Result<MonitorState> LoadMonitorState(const std::string& path);

// Writes the state file atomically and durably (mode 0600). Errors: kIOError.
Status SaveMonitorState(const std::string& path, const MonitorState& state);

// Returns the alert as one line of JSON (no newline): the delivery payload.
std::string AlertToJson(const Alert& alert);

}  // namespace trailbook::monitor
