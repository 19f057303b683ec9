// File: snapshot/snapshot_catalog.h
//
// The snapshots of a store, <store>/snapshots/<id>/: listing them (newest last), reading one
// manifest, and exporting one to a directory a third party can take away.
//
//   TB_ASSIGN_OR_RETURN(std::vector<SnapshotSummary> all, ListSnapshots(SnapshotsDir(store)));
//
// Listing reads manifests without verifying them; `trailbook snapshot verify` does that.
//
// Thread safety: stateless functions; safe with concurrent writers (in-progress snapshots
// live in .tmp-* directories, which are skipped).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "snapshot/snapshot_manifest.h"

namespace trailbook::snapshot {

struct SnapshotSummary {
  std::string id;
  std::string runbook_id;
  std::string runbook_version;
  int64_t created_us = 0;
  uint64_t rows = 0;
  std::string subject;
  std::string error;  // non-empty when the manifest could not be read (other fields empty)
};

// Lists the snapshots under `snapshots_dir`, sorted by id (creation time). A missing
// directory is an empty list. Errors: kIOError.
Result<std::vector<SnapshotSummary>> ListSnapshots(const std::string& snapshots_dir);

// Returns the directory of snapshot `id`. Errors: kInvalidArgument for a malformed id,
// kNotFound when there is no such snapshot.
Result<std::string> FindSnapshot(const std::string& snapshots_dir, const std::string& id);

// Reads and parses <dir>/manifest.json (unverified). Errors: kIOError, kCorruption.
Result<SnapshotManifest> ReadManifest(const std::string& dir);

// Copies the snapshot files of `snapshot_dir` into `dest_dir`, created if missing and
// required to hold none of them already (kAlreadyExists). Files are copied byte for byte
// and fsynced. Errors: kIOError.
Status ExportSnapshot(const std::string& snapshot_dir, const std::string& dest_dir);

}  // namespace trailbook::snapshot
