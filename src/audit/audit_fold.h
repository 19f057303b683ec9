// File: audit/audit_fold.h
//
// Folding: moving audit events from the journal into regular store segments, so queries do
// not rebuild the journal tail in memory forever. The store writer (ingest, monitor, or
// `trailbook audit fold`) calls it; the new segments and the new fold point
// (audit.folded_sequence / _offset / _hash manifest properties) are one manifest commit, so a
// crash leaves either the old state (the segments are orphans, deleted on the next open) or
// the new one, and no event is lost or shown twice. The journal itself is never changed: it
// stays the evidence `audit verify` checks.
//
//   TB_ASSIGN_OR_RETURN(auto store, storage::Store::Open(dir, storage::Store::Mode::kReadWrite));
//   TB_ASSIGN_OR_RETURN(FoldResult folded, FoldAuditJournal(*store));
#pragma once

#include <cstdint>

#include "base/status.h"
#include "storage/store.h"

namespace trailbook::audit {

struct FoldResult {
  uint64_t events = 0;          // Events folded by this call.
  uint64_t segments = 0;        // Segments written.
  uint64_t folded_sequence = 0; // The fold point after the call.
};

// Folds every complete journal batch after the store's fold point. REQUIRES: `store` is
// writable. Errors: kCorruption (journal records out of sequence or unreadable after the
// fold point), kIOError, and the store's commit errors.
Result<FoldResult> FoldAuditJournal(storage::Store& store);

// The journal byte offset just past the last folded record (the manifest's
// audit.folded_offset; 0 when nothing was folded), as `store` last read it.
uint64_t AuditFoldedOffset(const storage::Store& store);

}  // namespace trailbook::audit
