// File: io/file.h
//
// File-system access used by storage, ingest, auth and audit: whole-file reads, read-only
// memory maps, crash-safe atomic writes (write temp, fsync, rename, fsync directory),
// appendable files with explicit sync, and an advisory lock for single-writer stores.
//
//   TB_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
//   TB_RETURN_IF_ERROR(WriteFileAtomic(path, contents));
//
// Every error names the path and the failing system call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::io {

// Reads the whole file. Fails with kResourceExhausted when it is larger than `max_bytes`.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = SIZE_MAX);

// Reads all of stdin.
Result<std::string> ReadStdin(size_t max_bytes = SIZE_MAX);

// Writes `contents` to `path` atomically: a reader sees the old file or the new one, never a
// mix, and after return the new file survives a crash. `mode` is the permission of the file.
Status WriteFileAtomic(const std::string& path, std::string_view contents, uint32_t mode = 0644);

// Creates `path` and missing parents (like mkdir -p).
Status CreateDirectories(const std::string& path);

// fsyncs a directory so that renames and creations in it are durable.
Status SyncDirectory(const std::string& path);

// Returns true when `path` exists.
bool Exists(const std::string& path);

// Lists regular files under `root` recursively, sorted by path (symlinks are followed for
// files, not for directories). A file `root` yields itself.
Result<std::vector<std::string>> ListFilesRecursive(const std::string& root);

// Lists the names (not paths) of entries directly in `dir`, sorted.
Result<std::vector<std::string>> ListDirectory(const std::string& dir);

Status RemoveFile(const std::string& path);
Status RenameFile(const std::string& from, const std::string& to);

// Returns the file's size in bytes.
Result<uint64_t> FileSize(const std::string& path);

// Returns the permission bits (mode & 07777) of `path`.
Result<uint32_t> FileMode(const std::string& path);

// MappedFile: a read-only memory map of a whole file. Empty files map to an empty span.
//
// Thread safety: immutable after Open; safe to share across threads.
class MappedFile {
 public:
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view data() const { return {data_, size_}; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Drops the process's resident pages of the map (they stop counting in its RSS); reading
  // them again faults them back in from the page cache or the file. Contents are unchanged,
  // so this is safe while other threads read. Best effort: errors are ignored.
  void ReleasePages() const;

 private:
  MappedFile(std::string path, const char* data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  const char* data_;
  size_t size_;
};

// AppendFile: an append-only file with explicit durability (for logs such as the manifest).
//
// Thread safety: not thread-safe; callers serialize appends.
class AppendFile {
 public:
  // Opens `path` for appending, creating it when missing.
  static Result<std::unique_ptr<AppendFile>> Open(const std::string& path, uint32_t mode = 0644);
  // Opens `path` empty: created when missing, truncated to 0 bytes at open (O_TRUNC) when
  // present, without a sync (Truncate(0) after Open costs an fdatasync, which on ext4 waits
  // for the journal and other writers' syncs).
  static Result<std::unique_ptr<AppendFile>> Create(const std::string& path, uint32_t mode = 0644);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  Status Append(std::string_view bytes);
  // Flushes to stable storage (fdatasync).
  Status Sync();
  // Truncates the file to `size` bytes (used to drop a torn tail record).
  Status Truncate(uint64_t size);
  uint64_t size() const { return size_; }

 private:
  AppendFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
};

// FileLock: an exclusive advisory lock (flock) held until destruction.
class FileLock {
 public:
  // Takes the lock on `path` (created if missing). Fails with kResourceExhausted
  // ("store is locked by another process") when another process holds it and `wait` is false.
  static Result<std::unique_ptr<FileLock>> Acquire(const std::string& path, bool wait);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// Returns "path: <what>: <strerror(errno)>" as an IOError.
Status ErrnoError(std::string_view what, const std::string& path, int err);

}  // namespace trailbook::io
