// File: audit/audit_journal_io.h
//
// Reading the audit journal file of a store: where the unfolded part starts (the fold
// point recorded in the MANIFEST), and byte ranges of the journal.
//
//   TB_ASSIGN_OR_RETURN(JournalStart start, ReadJournalStart(store_dir));
#pragma once

#include <cstdint>
#include <string>

#include "audit/audit_event_json.h"
#include "base/status.h"

namespace trailbook::audit {

// The fold point: journal bytes before `offset` hold sequences 1..sequence, whose last
// event hash is `hash` (kGenesisHash when nothing was folded).
struct JournalStart {
  uint64_t offset = 0;
  uint64_t sequence = 0;
  std::string hash = kGenesisHash;
  std::string store_id;  // The store's id ("" before the store exists).
};

// Reads the fold point from `<store_dir>/MANIFEST` (the default when there is no store
// yet). Errors: kCorruption (damaged MANIFEST or fold properties), kIOError.
Result<JournalStart> ReadJournalStart(const std::string& store_dir);

// Reads bytes [from, to) of the open file `fd` (`path` names it in errors).
Result<std::string> ReadFileRange(int fd, const std::string& path, uint64_t from, uint64_t to);

}  // namespace trailbook::audit
