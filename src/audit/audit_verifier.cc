#include "audit/audit_verifier.h"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "audit/audit_digest.h"
#include "audit/audit_event_json.h"
#include "auth/jwks/jwk_json.h"
#include "crypto/digest.h"
#include "io/file.h"
#include "json/canonical_json.h"
#include "json/json_writer.h"
#include "storage/audit_journal.h"

namespace trailbook::audit {
namespace {

struct Digest {
  std::string name;
  AuditDigest digest;
};

class Verifier {
 public:
  Verifier(std::string store_dir, const AuditVerifyOptions& options)
      : dir_(std::move(store_dir)), options_(options) {}

  Result<AuditVerifyReport> Run();

 private:
  bool InWindow(int64_t t) const {
    return (!options_.from_us || t >= *options_.from_us) && (!options_.to_us || t <= *options_.to_us);
  }
  bool DigestInWindow(const AuditDigest& d) const {
    return (!options_.from_us || d.end_time_us >= *options_.from_us) &&
           (!options_.to_us || d.start_time_us <= *options_.to_us);
  }
  void Problem(uint64_t sequence, std::string kind, std::string detail) {
    report_.problems.push_back({sequence, std::move(kind), std::move(detail)});
  }
  Status LoadDigests();
  void WalkChain(const storage::JournalScan& scan);
  void CheckDigests(const storage::JournalScan& scan);

  std::string dir_;
  const AuditVerifyOptions& options_;
  AuditVerifyReport report_;
  std::vector<Digest> digests_;
  std::set<uint64_t> wanted_;                 // Sequences whose hash digests name.
  std::map<uint64_t, std::string> hashes_;    // Hashes of wanted_ sequences, as walked.
  std::optional<auth::JwkSet> keys_;
  std::string keys_error_;
};

Status Verifier::LoadDigests() {
  std::string ddir = dir_ + "/" + kDigestDirName;
  if (io::Exists(ddir)) {
    TB_ASSIGN_OR_RETURN(std::vector<std::string> names, io::ListDirectory(ddir));
    for (const std::string& name : names) {
      if (!name.starts_with("digest-") || !name.ends_with(".json")) continue;
      TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(ddir + "/" + name, 1 << 20));
      Result<AuditDigest> d = ParseDigestJson(text);
      if (!d.ok()) {
        Problem(0, "digest-invalid", name + ": " + d.status().message());
        continue;
      }
      wanted_.insert(d->last_sequence);
      if (d->first_sequence > 1) wanted_.insert(d->first_sequence - 1);
      digests_.push_back({name, std::move(*d)});
    }
  }
  std::sort(digests_.begin(), digests_.end(), [](const Digest& a, const Digest& b) {
    return a.digest.last_sequence < b.digest.last_sequence;
  });
  std::string jwks = options_.jwks_path.empty() ? dir_ + "/" + kDigestKeysName
                                                : options_.jwks_path;
  if (io::Exists(jwks)) {
    TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(jwks, auth::kMaxJwksBytes));
    Result<auth::ParsedJwks> parsed = auth::ParseJwks(text, {});
    if (!parsed.ok()) return parsed.status().WithContext(jwks);
    keys_.emplace(std::move(parsed->set));
  } else {
    keys_error_ = "no digest key set at " + jwks;
  }
  return Status::OK();
}

void Verifier::WalkChain(const storage::JournalScan& scan) {
  struct Item {
    uint64_t record_offset = 0;
    std::string_view json;
  };
  // What one event's parse yields; computed in parallel, then walked in order.
  struct Checked {
    Status status;
    AuditChainFields fields;
    std::string hash;
  };
  std::vector<Item> items;
  for (const storage::JournalRecord& record : scan.records) {
    if (record.kind != storage::kJournalRecordBatch) continue;
    for (std::string_view json : record.events) items.push_back({record.offset, json});
  }
  unsigned threads = options_.threads;
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  constexpr size_t kChunk = 16384;
  threads = static_cast<unsigned>(std::min<size_t>(threads, (items.size() + 1023) / 1024));
  threads = std::max(threads, 1u);
  std::vector<AuditEventReader> readers(threads);
  std::vector<Checked> checked(std::min(kChunk, items.size()));

  std::vector<uint64_t> seen;                          // Every readable sequence.
  std::vector<std::pair<uint64_t, uint64_t>> gaps;     // Sequences skipped: [from, to].
  std::vector<std::pair<uint64_t, uint64_t>> early;    // (sequence, the one it followed).
  uint64_t expected = 1;
  std::string previous = kGenesisHash;  // SHA-256 of the previous event's bytes.
  std::string_view previous_json;       // Empty before sequence 1.
  std::string canonical_hash;
  for (size_t chunk = 0; chunk < items.size(); chunk += kChunk) {
    size_t n = std::min(kChunk, items.size() - chunk);
    auto work = [&](unsigned t) {
      for (size_t i = t; i < n; i += threads) {
        Checked& c = checked[i];
        c.status = readers[t].Read(items[chunk + i].json, &c.fields, &c.hash);
      }
    };
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work, t);
    work(0);
    for (std::thread& h : helpers) h.join();

    for (size_t i = 0; i < n; ++i) {
      const Checked& c = checked[i];
      if (!c.status.ok()) {
        Problem(expected, "modified",
                "audit event at journal byte " + std::to_string(items[chunk + i].record_offset) +
                    " is unreadable: " + c.status.message());
        ++expected;
        continue;
      }
      uint64_t seq = c.fields.sequence;
      bool report = InWindow(c.fields.event_time_us);
      seen.push_back(seq);
      if (seq < expected) {
        // Out of place (a copy, or reordered): outside the walk, which continues from the
        // event before it. Classified once every sequence is known.
        if (report) early.push_back({seq, expected - 1});
        ++report_.events;
        continue;
      }
      if (seq > expected) {
        if (report) gaps.push_back({expected, seq - 1});
      } else if (c.fields.previous_hash != previous &&
                 !(!previous_json.empty() &&
                   readers[0].CanonicalHash(previous_json, &canonical_hash).ok() &&
                   canonical_hash == c.fields.previous_hash)) {
        // Neither the stored bytes nor their canonical form hash to the link.
        if (report) {
          Problem(seq - 1 == 0 ? seq : seq - 1, "modified",
                  "previousEventHash of sequence " + std::to_string(seq) +
                      " does not match the hash of sequence " + std::to_string(seq - 1) +
                      " (that event was modified, or events were reordered)");
        }
      }
      if (wanted_.count(seq) != 0 && hashes_.count(seq) == 0) {
        // Digests sign the canonical hash (equal to c.hash for events stored canonical).
        bool ok = readers[0].CanonicalHash(items[chunk + i].json, &canonical_hash).ok();
        hashes_[seq] = ok ? canonical_hash : c.hash;
      }
      previous = c.hash;
      previous_json = items[chunk + i].json;
      expected = seq + 1;
      ++report_.events;
      report_.last_sequence = std::max(report_.last_sequence, seq);
    }
  }
  // A skipped sequence found elsewhere in the journal was moved, not deleted; a sequence
  // seen twice was inserted (copied).
  std::sort(seen.begin(), seen.end());
  auto occurrences = [&](uint64_t s) {
    auto [lo, hi] = std::equal_range(seen.begin(), seen.end(), s);
    return hi - lo;
  };
  for (auto [from, to] : gaps) {
    bool moved = to - from < seen.size();
    for (uint64_t s = from; moved && s <= to; ++s) moved = occurrences(s) > 0;
    std::string range = std::to_string(from) + ".." + std::to_string(to);
    if (moved) {
      Problem(from, "reordered",
              "sequences " + range + " are out of order (they appear later in the journal)");
    } else {
      Problem(from, "deleted",
              "sequences " + range + " are missing (next event found is " +
                  std::to_string(to + 1) + ")");
    }
  }
  for (auto [seq, after] : early) {
    if (occurrences(seq) > 1) {
      Problem(seq, "inserted",
              "sequence " + std::to_string(seq) + " appears again after sequence " +
                  std::to_string(after) + " (an inserted copy)");
    } else {
      Problem(seq, "reordered",
              "sequence " + std::to_string(seq) + " appears after sequence " +
                  std::to_string(after) + " (out of order)");
    }
  }
}

void Verifier::CheckDigests(const storage::JournalScan& scan) {
  const AuditDigest* prev = nullptr;
  std::map<uint64_t, const AuditDigest*> by_last;
  for (const Digest& entry : digests_) {
    const AuditDigest& d = entry.digest;
    by_last[d.last_sequence] = &d;
    ++report_.digests;
    bool report = DigestInWindow(d);
    bool valid = true;
    if (!keys_) {
      if (report) Problem(d.first_sequence, "digest-forged", entry.name + ": " + keys_error_);
      valid = false;
    } else if (Status s = VerifyDigestSignature(d, *keys_); !s.ok()) {
      if (report) {
        Problem(d.first_sequence, "digest-forged",
                entry.name + ": signature does not verify: " + s.message());
      }
      valid = false;
    }
    uint64_t expected_first = prev ? prev->last_sequence + 1 : 1;
    if (d.first_sequence != expected_first && report) {
      Problem(std::min(expected_first, d.first_sequence), "digest-gap",
              entry.name + ": covers " + std::to_string(d.first_sequence) + ".." +
                  std::to_string(d.last_sequence) + " but the previous digest ends at " +
                  std::to_string(expected_first - 1) + " (a digest is missing or overlaps)");
      valid = false;
    }
    std::string expected_prev_sig = prev ? prev->signature : "";
    if (d.previous_digest_signature != expected_prev_sig && report) {
      Problem(d.first_sequence, "digest-missing",
              entry.name + ": previousDigestSignature does not match the previous digest " +
                  "file (a digest was deleted or replaced)");
      valid = false;
    }
    if (d.last_sequence > report_.last_sequence) {
      if (report) {
        Problem(report_.last_sequence + 1, "truncated",
                entry.name + ": covers events through sequence " +
                    std::to_string(d.last_sequence) + " but the journal ends at " +
                    std::to_string(report_.last_sequence));
      }
      valid = false;
    } else {
      auto head = hashes_.find(d.last_sequence);
      if (head == hashes_.end() || head->second != d.head_hash) {
        if (report) {
          Problem(d.last_sequence, "modified",
                  entry.name + ": chain head hash at sequence " +
                      std::to_string(d.last_sequence) +
                      " differs from the signed one (events up to it were changed)");
        }
        valid = false;
      }
      std::string before = d.first_sequence == 1 ? kGenesisHash : "";
      if (d.first_sequence > 1) {
        auto it = hashes_.find(d.first_sequence - 1);
        if (it != hashes_.end()) before = it->second;
      }
      if (before != d.first_previous_hash && report) {
        Problem(d.first_sequence, "modified",
                entry.name + ": firstEventPreviousHash differs from the chain");
        valid = false;
      }
    }
    if (valid && (!prev || report_.covered_through == prev->last_sequence)) {
      report_.covered_through = d.last_sequence;
    }
    prev = &d;
  }
  // Every digest the journal recorded must still exist as a file, unchanged.
  for (const storage::JournalRecord& record : scan.records) {
    if (record.kind != storage::kJournalRecordDigest) continue;
    Result<AuditDigest> mark = ParseDigestJson(record.digest_json);
    if (!mark.ok()) {
      Problem(0, "journal-damaged", "digest record at journal byte " +
                                        std::to_string(record.offset) + " is unreadable");
      continue;
    }
    if (!DigestInWindow(*mark)) continue;
    auto it = by_last.find(mark->last_sequence);
    if (it == by_last.end()) {
      Problem(mark->first_sequence, "digest-missing",
              "the digest for sequences " + std::to_string(mark->first_sequence) + ".." +
                  std::to_string(mark->last_sequence) + " (" +
                  DigestFileName(mark->last_sequence) + ") was deleted");
    } else if (it->second->signature != mark->signature) {
      Problem(mark->first_sequence, "digest-forged",
              DigestFileName(mark->last_sequence) +
                  " differs from the digest the journal recorded (replaced)");
    }
  }
}

Result<AuditVerifyReport> Verifier::Run() {
  std::string path = dir_ + "/" + storage::kAuditJournalName;
  if (!io::Exists(path)) return NotFound(dir_ + ": no audit journal (no audit event yet)");
  TB_ASSIGN_OR_RETURN(auto file, io::MappedFile::Open(path));
  TB_RETURN_IF_ERROR(LoadDigests());
  storage::JournalScan scan = storage::ScanJournal(file->data(), 0);
  WalkChain(scan);
  if (scan.end == storage::JournalEnd::kCorrupt) {
    Problem(report_.last_sequence + 1, "journal-damaged",
            path + ": " + scan.problem + " (records after it are unreadable)");
  } else if (scan.end == storage::JournalEnd::kIncomplete) {
    report_.torn_tail = true;
  }
  CheckDigests(scan);
  std::stable_sort(report_.problems.begin(), report_.problems.end(),
                   [](const AuditProblem& a, const AuditProblem& b) {
                     return a.sequence < b.sequence;
                   });
  return std::move(report_);
}

}  // namespace

Result<AuditVerifyReport> VerifyAuditTrail(const std::string& store_dir,
                                           const AuditVerifyOptions& options) {
  Verifier verifier(store_dir, options);
  return verifier.Run();
}

std::string AuditVerifyReportJson(const AuditVerifyReport& report, bool pretty) {
  json::JsonWriter w(pretty);
  w.BeginObject();
  w.Key("ok");
  w.Bool(report.ok());
  w.Key("events");
  w.UInt(report.events);
  w.Key("last_sequence");
  w.UInt(report.last_sequence);
  w.Key("digests");
  w.UInt(report.digests);
  w.Key("covered_through");
  w.UInt(report.covered_through);
  w.Key("torn_tail");
  w.Bool(report.torn_tail);
  w.Key("first_bad_sequence");
  w.UInt(report.first_bad_sequence());
  w.Key("problems");
  w.BeginArray();
  for (const AuditProblem& p : report.problems) {
    w.BeginObject();
    w.Key("sequence");
    w.UInt(p.sequence);
    w.Key("kind");
    w.String(p.kind);
    w.Key("detail");
    w.String(p.detail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace trailbook::audit
