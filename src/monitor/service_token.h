// File: monitor/service_token.h
//
// ServiceTokenFile: the monitor's service token, read from a file that an external agent
// rotates (short-lived tokens). The file is re-read whenever its inode, size or mtime
// changes, so a rename-into-place or an in-place rewrite is picked up on the next use.
//
//   ServiceTokenFile token("/run/trailbook/monitor.token");
//   TB_ASSIGN_OR_RETURN(std::string jwt, token.Current());
//
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace trailbook::monitor {

class ServiceTokenFile {
 public:
  explicit ServiceTokenFile(std::string path) : path_(std::move(path)) {}

  // Returns the token (surrounding whitespace removed), re-reading the file if it changed.
  // Errors: kNotFound (no file), kPermissionDenied (readable by group or others, or not a
  // regular file), kUnauthenticated (empty or larger than 16 KiB), kIOError.
  Result<std::string> Current();

  // Number of times the file was (re)read.
  uint64_t loads() const { return loads_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string token_;
  uint64_t inode_ = 0;
  int64_t size_ = -1;
  int64_t mtime_ns_ = -1;
  uint64_t loads_ = 0;
};

}  // namespace trailbook::monitor
