#include "ingest/format_detection.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace trailbook::ingest {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Returns the first line of `s` (without '\n').
std::string_view FirstLine(std::string_view s) {
  size_t nl = s.find('\n');
  return nl == std::string_view::npos ? s : s.substr(0, nl);
}

bool StartsWithBytes(std::string_view s, std::string_view magic) {
  return s.size() >= magic.size() && s.substr(0, magic.size()) == magic;
}

// Names archive and compression formats trailbook does not read, by their magic bytes at the
// start (none contains '\n', so a head that holds the first line holds the whole magic; tar,
// whose magic sits at byte 257, is left to the generic message).
const char* ArchiveName(std::string_view s) {
  using namespace std::string_view_literals;
  if (StartsWithBytes(s, "PK\x03\x04"sv)) return "a ZIP archive: extract it first";
  if (StartsWithBytes(s, "\x1f\x8b"sv)) {
    return "gzip data inside gzip: decompress the outer layer first";
  }
  if (StartsWithBytes(s, "BZh"sv)) return "bzip2 data: decompress it first";
  if (StartsWithBytes(s, "\xfd\x37\x7a\x58\x5a\x00"sv)) return "xz data: decompress it first";
  if (StartsWithBytes(s, "\x28\xb5\x2f\xfd"sv)) return "zstd data: decompress it first";
  if (StartsWithBytes(s, "\x37\x7a\xbc\xaf\x27\x1c"sv)) return "a 7z archive: extract it first";
  return nullptr;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  char c0 = s.front();
  if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 == '_')) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// A CSV header: comma-separated column names, each an identifier, optionally in double quotes;
// either several columns or a single eventJson column.
bool LooksLikeCsvHeader(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty() || line.size() > 64 * 1024) return false;
  size_t columns = 0;
  bool event_json = false;
  while (true) {
    size_t comma = line.find(',');
    std::string_view name = line.substr(0, comma);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    if (!IsIdentifier(name)) return false;
    ++columns;
    if (name.size() == 9) {
      std::string lower(name);
      for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      event_json = event_json || lower == "eventjson";
    }
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return columns >= 2 || event_json;
}

}  // namespace

std::string Excerpt(std::string_view s, size_t max_bytes) {
  std::string out = "\"";
  size_t n = std::min(s.size(), max_bytes);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  out += '"';
  if (s.size() > n) out += "...";
  return out;
}

std::string_view ContainerFormatName(ContainerFormat format) {
  switch (format) {
    case ContainerFormat::kUnknown:
      return "unknown";
    case ContainerFormat::kRecords:
      return "records";
    case ContainerFormat::kJsonArray:
      return "json-array";
    case ContainerFormat::kNdjson:
      return "ndjson";
    case ContainerFormat::kSingleEvent:
      return "single-event";
    case ContainerFormat::kLookupEvents:
      return "lookup-events";
    case ContainerFormat::kLakeQueryResults:
      return "lake-query-results";
    case ContainerFormat::kLakeCsv:
      return "lake-csv";
    case ContainerFormat::kDigest:
      return "digest";
    case ContainerFormat::kLakeSignFile:
      return "lake-sign-file";
  }
  return "unknown";
}

size_t ByteOrderMarkSize(std::string_view text) {
  return text.size() >= 3 && text.substr(0, 3) == "\xef\xbb\xbf" ? 3 : 0;
}

bool LooksLikeCompleteObject(std::string_view line) {
  line = Trim(line);
  if (line.size() < 2 || line.front() != '{' || line.back() != '}') return false;
  int64_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
      if (depth < 0) return false;
      if (depth == 0 && i + 1 != line.size()) return false;
    }
  }
  return depth == 0 && !in_string;
}

Result<Layout> DetectLayout(std::string_view head, bool complete) {
  head.remove_prefix(ByteOrderMarkSize(head));
  size_t first = 0;
  while (first < head.size() && IsJsonSpace(head[first])) ++first;
  if (first == head.size()) {
    if (head.empty()) return InvalidArgument("empty input (no bytes)");
    if (complete) {
      return InvalidArgument("input contains only whitespace (" + std::to_string(head.size()) +
                             " bytes)");
    }
    return InvalidArgument("unrecognised format: the input starts with more than " +
                           std::to_string(head.size()) + " bytes of whitespace");
  }
  std::string_view s = head.substr(first);
  if (s.front() == '[') return Layout::kJsonDocument;
  if (s.front() == '{') {
    size_t nl = s.find('\n');
    if (nl == std::string_view::npos) return Layout::kJsonDocument;
    size_t next = nl + 1;
    while (next < s.size() && IsJsonSpace(s[next])) ++next;
    if (next == s.size()) return Layout::kJsonDocument;
    std::string_view line1 = Trim(s.substr(0, nl));
    if (LooksLikeCompleteObject(line1)) return Layout::kJsonLines;
    // A broken first line of an NDJSON file, as opposed to the first line of pretty-printed
    // JSON, which ends with '{', '[', ',' or ':'.
    char last = line1.back();
    if (last != '{' && last != '[' && last != ',' && last != ':' &&
        LooksLikeCompleteObject(FirstLine(s.substr(next)))) {
      return Layout::kJsonLines;
    }
    return Layout::kJsonDocument;
  }
  if (const char* archive = ArchiveName(head)) {
    return InvalidArgument(std::string("unrecognised format: ") + archive);
  }
  if (LooksLikeCsvHeader(FirstLine(s))) return Layout::kCsv;
  return InvalidArgument(
      "unrecognised format: expected CloudTrail JSON ({\"Records\":[...]}, a JSON array, "
      "NDJSON, LookupEvents output) or a CloudTrail Lake export; the input starts with " +
      Excerpt(s));
}

}  // namespace trailbook::ingest
