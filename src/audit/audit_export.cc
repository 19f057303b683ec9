#include "audit/audit_export.h"

#include <libdeflate.h>
#include <simdjson.h>

#include <cstdio>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "audit/audit_digest.h"
#include "audit/audit_event_json.h"
#include "base/timestamp.h"
#include "io/file.h"
#include "storage/audit_journal.h"

namespace trailbook::audit {
namespace {

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

Result<std::string> Gzip(std::string_view data) {
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> c(libdeflate_alloc_compressor(6));
  if (!c) return ResourceExhausted("cannot allocate a gzip compressor");
  std::string out(libdeflate_gzip_compress_bound(c.get(), data.size()), '\0');
  size_t n = libdeflate_gzip_compress(c.get(), data.data(), data.size(), out.data(), out.size());
  if (n == 0) return Internal("gzip compression failed");
  out.resize(n);
  return out;
}

// "YYYY/MM/DD" and the compact stamps of the CloudTrail file names.
struct TimeParts {
  std::string day_path;
  std::string minute;  // YYYYMMDDTHHmmZ
  std::string second;  // YYYYMMDDTHHmmssZ
};

TimeParts PartsOf(int64_t us) {
  std::string t = FormatTimestamp(us, 0, 'T', true);  // YYYY-MM-DDTHH:MM:SSZ
  TimeParts p;
  p.day_path = t.substr(0, 4) + "/" + t.substr(5, 2) + "/" + t.substr(8, 2);
  std::string compact = t.substr(0, 4) + t.substr(5, 2) + t.substr(8, 2) + "T" + t.substr(11, 2) +
                        t.substr(14, 2);
  p.minute = compact + "Z";
  p.second = compact + t.substr(17, 2) + "Z";
  return p;
}

// Keeps only characters safe in a path component.
std::string PathSafe(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || out == "." || out == "..") out = "unknown";
  return out;
}

struct Group {
  std::vector<std::pair<uint64_t, std::string_view>> events;  // (sequence, JSON)
  int64_t first_time = 0;
};

}  // namespace

Result<AuditExportSummary> ExportAuditTrail(const std::string& store_dir,
                                            const std::string& out_dir,
                                            const AuditExportOptions& options) {
  std::string path = store_dir + "/" + storage::kAuditJournalName;
  if (!io::Exists(path)) return NotFound(store_dir + ": no audit journal (no audit event yet)");
  if (options.max_events_per_file == 0) return InvalidArgument("max_events_per_file must be > 0");
  TB_ASSIGN_OR_RETURN(auto file, io::MappedFile::Open(path));
  storage::JournalScan scan = storage::ScanJournal(file->data(), 0);
  if (scan.end == storage::JournalEnd::kCorrupt) {
    return Corruption(path + ": " + scan.problem + "; run `trailbook audit verify`");
  }
  auto in_window = [&](int64_t t) {
    return (!options.from_us || t >= *options.from_us) && (!options.to_us || t <= *options.to_us);
  };
  AuditExportSummary summary;
  // (account, region, day) -> events.
  std::map<std::tuple<std::string, std::string, int64_t>, Group> groups;
  simdjson::dom::parser parser;
  for (const storage::JournalRecord& record : scan.records) {
    if (record.kind != storage::kJournalRecordBatch) continue;
    for (std::string_view json : record.events) {
      TB_ASSIGN_OR_RETURN(AuditChainFields fields, ReadAuditChainFields(json));
      if (!in_window(fields.event_time_us)) continue;
      simdjson::dom::element root;
      if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
        return Corruption(path + ": audit event " + std::to_string(fields.sequence) +
                          " is not valid JSON");
      }
      std::string_view account = "unknown", region = "unknown";
      if (root["recipientAccountId"].get(account) != simdjson::SUCCESS) account = "unknown";
      if (root["awsRegion"].get(region) != simdjson::SUCCESS) region = "unknown";
      Group& g = groups[{PathSafe(account), PathSafe(region), DayOf(fields.event_time_us)}];
      if (g.events.empty()) g.first_time = fields.event_time_us;
      g.events.emplace_back(fields.sequence, json);
    }
  }
  for (const auto& [key, group] : groups) {
    const auto& [account, region, day] = key;
    TimeParts parts = PartsOf(group.first_time);
    std::string dir = out_dir + "/AWSLogs/" + account + "/CloudTrail/" + region + "/" +
                      parts.day_path;
    TB_RETURN_IF_ERROR(io::CreateDirectories(dir));
    for (size_t start = 0; start < group.events.size(); start += options.max_events_per_file) {
      size_t end = std::min(group.events.size(), start + options.max_events_per_file);
      std::string body = "{\"Records\":[";
      for (size_t i = start; i < end; ++i) {
        if (i > start) body.push_back(',');
        body.append(group.events[i].second);
      }
      body.append("]}");
      TB_ASSIGN_OR_RETURN(std::string gz, Gzip(body));
      std::string name = account + "_CloudTrail_" + region + "_" + parts.minute + "_seq" +
                         std::to_string(group.events[start].first) + "-" +
                         std::to_string(group.events[end - 1].first) + ".json.gz";
      TB_RETURN_IF_ERROR(io::WriteFileAtomic(dir + "/" + name, gz, 0644));
      summary.events += end - start;
      ++summary.event_files;
    }
  }
  std::string ddir = store_dir + "/" + kDigestDirName;
  if (io::Exists(ddir)) {
    TB_ASSIGN_OR_RETURN(std::vector<std::string> names, io::ListDirectory(ddir));
    for (const std::string& name : names) {
      if (!name.starts_with("digest-") || !name.ends_with(".json")) continue;
      TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(ddir + "/" + name, 1 << 20));
      Result<AuditDigest> d = ParseDigestJson(text);
      if (!d.ok()) return Corruption(ddir + "/" + name + ": " + d.status().message());
      if (options.from_us && d->end_time_us < *options.from_us) continue;
      if (options.to_us && d->start_time_us > *options.to_us) continue;
      TimeParts parts = PartsOf(d->end_time_us);
      std::string account = PathSafe(d->account_id), region = PathSafe(d->region);
      std::string dir = out_dir + "/AWSLogs/" + account + "/CloudTrail-Digest/" + region + "/" +
                        parts.day_path;
      TB_RETURN_IF_ERROR(io::CreateDirectories(dir));
      TB_ASSIGN_OR_RETURN(std::string gz, Gzip(text));
      // The sequence keeps names unique when two digests fall in the same second.
      std::string out_name = account + "_CloudTrail-Digest_" + region + "_trailbook_" + region +
                             "_" + parts.second + "_seq" + std::to_string(d->last_sequence) +
                             ".json.gz";
      TB_RETURN_IF_ERROR(io::WriteFileAtomic(dir + "/" + out_name, gz, 0644));
      ++summary.digests;
    }
  }
  return summary;
}

}  // namespace trailbook::audit
