#include "audit/audit_journal_io.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "io/file.h"
#include "storage/audit_journal.h"
#include "storage/manifest.h"

namespace trailbook::audit {

Result<JournalStart> ReadJournalStart(const std::string& store_dir) {
  JournalStart start;
  std::string path = store_dir + "/MANIFEST";
  if (!io::Exists(path)) return start;
  TB_ASSIGN_OR_RETURN(std::string log, io::ReadFile(path));
  storage::ManifestState state;
  size_t valid = 0;
  Status s = storage::ReplayManifest(log, &state, &valid);
  if (!s.ok()) return s.WithContext(store_dir);
  start.store_id = state.store_id;
  auto number = [&](const char* key, uint64_t* out) -> Status {
    auto it = state.properties.find(key);
    if (it == state.properties.end()) return Status::OK();
    const std::string& v = it->second;
    auto res = std::from_chars(v.data(), v.data() + v.size(), *out);
    if (res.ec != std::errc() || res.ptr != v.data() + v.size()) {
      return Corruption(path + ": manifest property " + key + " is not a number: " + v);
    }
    return Status::OK();
  };
  TB_RETURN_IF_ERROR(number(storage::kAuditFoldedOffsetProperty, &start.offset));
  TB_RETURN_IF_ERROR(number(storage::kAuditFoldedSequenceProperty, &start.sequence));
  auto it = state.properties.find(storage::kAuditFoldedHashProperty);
  if (it != state.properties.end()) start.hash = it->second;
  if ((start.sequence == 0) != (start.offset == 0)) {
    return Corruption(path + ": audit fold properties disagree");
  }
  return start;
}

Result<std::string> ReadFileRange(int fd, const std::string& path, uint64_t from, uint64_t to) {
  std::string bytes(static_cast<size_t>(to - from), '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::pread(fd, bytes.data() + got, bytes.size() - got,
                        static_cast<off_t>(from + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io::ErrnoError("pread", path, errno);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

}  // namespace trailbook::audit
