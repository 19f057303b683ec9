#include "snapshot/snapshot_catalog.h"

#include <algorithm>

#include "io/file.h"

namespace trailbook::snapshot {

Result<std::vector<SnapshotSummary>> ListSnapshots(const std::string& snapshots_dir) {
  std::vector<SnapshotSummary> out;
  if (!io::Exists(snapshots_dir)) return out;
  TB_ASSIGN_OR_RETURN(std::vector<std::string> names, io::ListDirectory(snapshots_dir));
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (!ValidateSnapshotId(name).ok()) continue;  // .tmp-* and anything foreign
    SnapshotSummary summary;
    summary.id = name;
    Result<SnapshotManifest> m = ReadManifest(snapshots_dir + "/" + name);
    if (!m.ok()) {
      summary.error = m.status().message();
    } else {
      summary.runbook_id = m->runbook.id;
      summary.runbook_version = m->runbook.version;
      summary.created_us = m->created_us;
      summary.rows = m->rows;
      summary.subject = m->principal.subject;
    }
    out.push_back(std::move(summary));
  }
  return out;
}

Result<std::string> FindSnapshot(const std::string& snapshots_dir, const std::string& id) {
  TB_RETURN_IF_ERROR(ValidateSnapshotId(id));
  std::string dir = snapshots_dir + "/" + id;
  if (!io::Exists(dir)) return NotFound("no snapshot " + id + " in " + snapshots_dir);
  return dir;
}

Result<SnapshotManifest> ReadManifest(const std::string& dir) {
  TB_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(dir + "/" + kManifestFile, kMaxManifestBytes));
  Result<SnapshotManifest> m = ParseManifest(bytes);
  if (!m.ok()) return m.status().WithContext(dir);
  return m;
}

Status ExportSnapshot(const std::string& snapshot_dir, const std::string& dest_dir) {
  const std::string files[] = {kManifestFile, kSignatureFile, kNdjsonFile, kCsvFile, kPublicKeyFile};
  TB_RETURN_IF_ERROR(io::CreateDirectories(dest_dir));
  for (const std::string& f : files) {
    if (io::Exists(dest_dir + "/" + f)) {
      return AlreadyExists(dest_dir + "/" + f + " already exists; export into an empty directory");
    }
  }
  for (const std::string& f : files) {
    TB_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(snapshot_dir + "/" + f));
    TB_RETURN_IF_ERROR(io::WriteFileAtomic(dest_dir + "/" + f, bytes, 0444));
  }
  return io::SyncDirectory(dest_dir);
}

}  // namespace trailbook::snapshot
