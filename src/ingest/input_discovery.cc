#include "ingest/input_discovery.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "io/file.h"

namespace trailbook::ingest {
namespace {

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  std::string_view tail = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < suffix.size(); ++i) {
    char a = tail[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != suffix[i]) return false;
  }
  return true;
}

bool IsLogFileName(std::string_view name) {
  if (EndsWithIgnoreCase(name, ".gz")) return true;
  for (std::string_view ext : {".json", ".jsonl", ".ndjson", ".csv", ".txt"}) {
    if (EndsWithIgnoreCase(name, ext)) return true;
  }
  return false;
}

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
         static_cast<int64_t>(st.st_mtim.tv_nsec);
}

InputFile Unreadable(std::string path, Status error) {
  InputFile f;
  f.path = std::move(path);
  f.kind = InputKind::kUnreadable;
  f.error = std::move(error);
  return f;
}

InputFile Ignored(std::string path, std::string reason) {
  InputFile f;
  f.path = std::move(path);
  f.kind = InputKind::kIgnored;
  f.skip_reason = std::move(reason);
  return f;
}

InputFile FromStat(std::string path, const struct stat& st, bool in_directory) {
  InputFile f;
  f.kind = ClassifyPath(path, in_directory, &f.skip_reason);
  f.path = std::move(path);
  f.size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  f.mtime_ns = MtimeNs(st);
  return f;
}

std::string Join(const std::string& dir, std::string_view name) {
  std::string out = dir;
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

// Appends the inputs under directory `dir`, unsorted.
void Walk(const std::string& dir, std::vector<InputFile>* out) {
  std::vector<std::string> pending{dir};
  while (!pending.empty()) {
    std::string current = std::move(pending.back());
    pending.pop_back();
    DIR* d = ::opendir(current.c_str());
    if (d == nullptr) {
      out->push_back(Unreadable(current, io::ErrnoError("open directory", current, errno)));
      continue;
    }
    for (;;) {
      errno = 0;
      struct dirent* e = ::readdir(d);
      if (e == nullptr) break;
      std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      std::string path = Join(current, name);
      if (name.front() == '.') {
        out->push_back(Ignored(std::move(path), "hidden file or directory"));
        continue;
      }
      // Relative to the open directory: the kernel does not walk the whole path again for
      // each of the thousands of files of an S3 layout.
      struct stat st;
      if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        out->push_back(Unreadable(path, io::ErrnoError("stat", path, errno)));
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        pending.push_back(std::move(path));
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        if (::stat(path.c_str(), &st) != 0) {
          out->push_back(
              Unreadable(path, io::ErrnoError("stat (symbolic link target)", path, errno)));
          continue;
        }
        if (S_ISDIR(st.st_mode)) {
          out->push_back(Ignored(std::move(path), "symbolic link to a directory (not followed)"));
          continue;
        }
      }
      if (!S_ISREG(st.st_mode)) {
        out->push_back(Ignored(std::move(path), "not a regular file"));
        continue;
      }
      out->push_back(FromStat(std::move(path), st, /*in_directory=*/true));
    }
    int err = errno;
    ::closedir(d);
    if (err != 0) {
      out->push_back(Unreadable(current, io::ErrnoError("read directory", current, err)));
    }
  }
}

}  // namespace

std::string_view InputKindName(InputKind kind) {
  switch (kind) {
    case InputKind::kLog:
      return "log";
    case InputKind::kDigest:
      return "digest";
    case InputKind::kLakeSignFile:
      return "lake-sign-file";
    case InputKind::kStdin:
      return "stdin";
    case InputKind::kIgnored:
      return "ignored";
    case InputKind::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

bool IsReadable(InputKind kind) {
  return kind == InputKind::kLog || kind == InputKind::kStdin || kind == InputKind::kUnreadable;
}

InputKind ClassifyPath(std::string_view path, bool in_directory, std::string* skip_reason) {
  std::string_view name = BaseName(path);
  if (path.find("/CloudTrail-Digest/") != std::string_view::npos ||
      path.starts_with("CloudTrail-Digest/") ||
      name.find("_CloudTrail-Digest_") != std::string_view::npos) {
    *skip_reason = "CloudTrail digest file (holds hashes of log files, not events)";
    return InputKind::kDigest;
  }
  if (name == "result_sign.json") {
    *skip_reason = "CloudTrail Lake sign file (holds hashes of result files, not events)";
    return InputKind::kLakeSignFile;
  }
  if (in_directory && !IsLogFileName(name)) {
    *skip_reason =
        "not a log file name (expected *.json, *.jsonl, *.ndjson, *.csv or *.txt, optionally "
        ".gz)";
    return InputKind::kIgnored;
  }
  return InputKind::kLog;
}

Result<std::vector<InputFile>> DiscoverInputs(std::span<const std::string> paths) {
  if (paths.empty()) return InvalidArgument("no input paths given");
  std::vector<InputFile> out;
  std::unordered_set<std::string> seen;
  bool stdin_seen = false;
  auto add = [&](InputFile f) {
    if (seen.insert(f.path).second) out.push_back(std::move(f));
  };
  for (const std::string& path : paths) {
    if (path.empty()) return InvalidArgument("empty input path");
    if (path == "-") {
      if (stdin_seen) return InvalidArgument("stdin (\"-\") given more than once");
      stdin_seen = true;
      InputFile f;
      f.path = "-";
      f.kind = InputKind::kStdin;
      add(std::move(f));
      continue;
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      add(Unreadable(path, io::ErrnoError("stat", path, errno)));
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      add(FromStat(path, st, /*in_directory=*/false));
      continue;
    }
    std::vector<InputFile> found;
    Walk(path, &found);
    std::sort(found.begin(), found.end(),
              [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    for (InputFile& f : found) add(std::move(f));
  }
  return out;
}

}  // namespace trailbook::ingest
