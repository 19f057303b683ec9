#include "monitor/service_token.h"

#include <sys/stat.h>

#include <cerrno>

#include "io/file.h"

namespace trailbook::monitor {

Result<std::string> ServiceTokenFile::Current() {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) {
    if (errno == ENOENT) return NotFound("service token file " + path_ + " does not exist");
    return io::ErrnoError("stat", path_, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return PermissionDenied("service token file " + path_ + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return PermissionDenied("service token file " + path_ +
                            " must not be readable by group or others (chmod 600)");
  }
  const int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                           st.st_mtim.tv_nsec;
  if (loads_ > 0 && st.st_ino == inode_ && st.st_size == size_ && mtime_ns == mtime_ns_) {
    return token_;
  }
  Result<std::string> text = io::ReadFile(path_, 16 * 1024);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kResourceExhausted) {
      return Unauthenticated("service token file " + path_ + " is larger than 16 KiB");
    }
    return text.status();
  }
  std::string token = std::move(text).value();
  size_t begin = token.find_first_not_of(" \t\r\n");
  size_t end = token.find_last_not_of(" \t\r\n");
  token = begin == std::string::npos ? "" : token.substr(begin, end - begin + 1);
  if (token.empty()) return Unauthenticated("service token file " + path_ + " is empty");
  token_ = std::move(token);
  inode_ = st.st_ino;
  size_ = st.st_size;
  mtime_ns_ = mtime_ns;
  ++loads_;
  return token_;
}

}  // namespace trailbook::monitor
