#include "audit/audit_verifier.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "audit/audit_digest.h"
#include "audit/audit_event_json.h"
#include "audit/audit_log.h"
#include "crypto/digest.h"
#include "json/canonical_json.h"
#include "auth/jwks/key_files.h"
#include "io/file.h"
#include "storage/audit_journal.h"

namespace trailbook::audit {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_auditv_XXXXXX";
  return ::mkdtemp(tmpl);
}

AuditEvent Event(int i) {
  AuditEvent e;
  e.event_name = "RunRunbook";
  e.principal_id = "user" + std::to_string(i);
  e.request_parameters_json = R"({"i":)" + std::to_string(i) + "}";
  return e;
}

// A store with events 1..n, a digest after every `per_digest` events.
struct Trail {
  std::string dir;
  std::string key;
};

Trail MakeTrail(int n, int per_digest, int max_batch = 1) {
  Trail t;
  t.dir = TempDir();
  auto files = auth::GenerateKeyFiles(t.dir + "/keys", auth::JwsAlgorithm::kEdDSA, "audit-1");
  EXPECT_TRUE(files.ok()) << files.status().ToString();
  t.key = files->private_key_path;
  AuditLogOptions options;
  options.digest_key_path = t.key;
  options.max_batch_events = static_cast<size_t>(max_batch);
  auto log = AuditLog::Open(t.dir, options);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  for (int i = 1; i <= n; ++i) {
    EXPECT_TRUE((*log)->Append(Event(i)).ok());
    if (i % per_digest == 0) {
      auto d = (*log)->WriteDigest();
      EXPECT_TRUE(d.ok()) << d.status().ToString();
      EXPECT_TRUE(d->written);
    }
  }
  return t;
}

AuditVerifyReport Verify(const std::string& dir, AuditVerifyOptions options = {}) {
  auto r = VerifyAuditTrail(dir, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : AuditVerifyReport{};
}

std::string Journal(const Trail& t) { return t.dir + "/" + storage::kAuditJournalName; }

// Rewrites the journal from its records, letting `edit` change the list of batches.
void RewriteJournal(const Trail& t,
                    const std::function<void(std::vector<storage::JournalRecord>&)>& edit) {
  auto bytes = io::ReadFile(Journal(t));
  ASSERT_TRUE(bytes.ok());
  storage::JournalScan scan = storage::ScanJournal(*bytes, 0);
  ASSERT_EQ(scan.end, storage::JournalEnd::kClean);
  edit(scan.records);
  std::string out;
  for (const auto& r : scan.records) {
    if (r.kind == storage::kJournalRecordDigest) {
      out += storage::EncodeJournalDigest(r.digest_json);
      continue;
    }
    std::vector<std::string> events(r.events.begin(), r.events.end());
    std::vector<std::string> segments(r.segments.begin(), r.segments.end());
    out += storage::EncodeJournalBatch(r.first_sequence, events, segments);
  }
  ASSERT_TRUE(io::WriteFileAtomic(Journal(t), out).ok());
}

// Returns the index in `records` of the batch holding sequence `seq` (one event per batch).
size_t BatchOf(const std::vector<storage::JournalRecord>& records, uint64_t seq) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].kind == storage::kJournalRecordBatch && records[i].first_sequence == seq) {
      return i;
    }
  }
  ADD_FAILURE() << "no batch for " << seq;
  return 0;
}

bool HasProblem(const AuditVerifyReport& r, const std::string& kind) {
  for (const auto& p : r.problems) {
    if (p.kind == kind) return true;
  }
  return false;
}

std::string Describe(const AuditVerifyReport& r) {
  std::string s;
  for (const auto& p : r.problems) s += std::to_string(p.sequence) + " " + p.kind + ": " + p.detail + "\n";
  return s;
}

TEST(AuditVerifierTest, ReportJsonHasTheDocumentedKeysAndEscapesDetails) {
  AuditVerifyReport report;
  report.events = 7;
  report.last_sequence = 7;
  report.digests = 1;
  report.covered_through = 5;
  report.torn_tail = true;
  EXPECT_EQ(AuditVerifyReportJson(report),
            R"({"ok":true,"events":7,"last_sequence":7,"digests":1,"covered_through":5,)"
            R"("torn_tail":true,"first_bad_sequence":0,"problems":[]})");
  report.problems.push_back({4, "modified", "event \"x\"\n"});
  std::string json = AuditVerifyReportJson(report);
  EXPECT_NE(json.find(R"("ok":false)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("first_bad_sequence":4)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"({"sequence":4,"kind":"modified","detail":"event \"x\"\n"})"),
            std::string::npos)
      << json;
}

TEST(AuditVerifierTest, IntactTrailVerifies) {
  Trail t = MakeTrail(10, 4);
  AuditVerifyReport r = Verify(t.dir);
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.events, 10u);
  EXPECT_EQ(r.last_sequence, 10u);
  EXPECT_EQ(r.digests, 2u);
  EXPECT_EQ(r.covered_through, 8u);
}

TEST(AuditVerifierTest, GroupCommittedBatchesVerify) {
  Trail t = MakeTrail(20, 20, 64);
  AuditVerifyReport r = Verify(t.dir);
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.covered_through, 20u);
}

TEST(AuditVerifierTest, DetectsDeletedEvent) {
  Trail t = MakeTrail(10, 5);
  RewriteJournal(t, [](auto& recs) { recs.erase(recs.begin() + static_cast<long>(BatchOf(recs, 3))); });
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_sequence(), 3u) << Describe(r);
  EXPECT_TRUE(HasProblem(r, "deleted")) << Describe(r);
  EXPECT_FALSE(HasProblem(r, "reordered")) << Describe(r);
}

TEST(AuditVerifierTest, DetectsModifiedEvent) {
  Trail t = MakeTrail(10, 5);
  std::string edited;
  RewriteJournal(t, [&](auto& recs) {
    auto& rec = recs[BatchOf(recs, 4)];
    edited = std::string(rec.events[0]);
    size_t at = edited.find("user4");
    ASSERT_NE(at, std::string::npos);
    edited.replace(at, 5, "userX");
    rec.events[0] = edited;
  });
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_sequence(), 4u) << Describe(r);
  EXPECT_TRUE(HasProblem(r, "modified"));
}

TEST(AuditVerifierTest, DetectsModifiedLastEventThroughTheDigest) {
  Trail t = MakeTrail(5, 5);
  std::string edited;
  RewriteJournal(t, [&](auto& recs) {
    auto& rec = recs[BatchOf(recs, 5)];
    edited = std::string(rec.events[0]);
    edited.replace(edited.find("user5"), 5, "userY");
    rec.events[0] = edited;
  });
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_sequence(), 5u) << Describe(r);
}

TEST(AuditVerifierTest, DetectsInsertedEvent) {
  Trail t = MakeTrail(6, 6);
  RewriteJournal(t, [](auto& recs) {
    storage::JournalRecord copy = recs[BatchOf(recs, 2)];
    recs.insert(recs.begin() + static_cast<long>(BatchOf(recs, 4)), copy);
  });
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, "inserted")) << Describe(r);
  EXPECT_EQ(r.first_bad_sequence(), 2u) << Describe(r);
}

TEST(AuditVerifierTest, DetectsReorderedEvents) {
  Trail t = MakeTrail(6, 6);
  RewriteJournal(t, [](auto& recs) { std::swap(recs[BatchOf(recs, 3)], recs[BatchOf(recs, 4)]); });
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_sequence(), 3u) << Describe(r);
  // Named as a reordering, not as a deletion or an inserted copy.
  EXPECT_TRUE(HasProblem(r, "reordered")) << Describe(r);
  EXPECT_FALSE(HasProblem(r, "deleted")) << Describe(r);
  EXPECT_FALSE(HasProblem(r, "inserted")) << Describe(r);
  EXPECT_FALSE(HasProblem(r, "modified")) << Describe(r);
}

TEST(AuditVerifierTest, DeletedAndInsertedAreNotReportedAsReordered) {
  Trail t = MakeTrail(6, 6);
  RewriteJournal(t, [](auto& recs) {
    storage::JournalRecord copy = recs[BatchOf(recs, 2)];
    recs.erase(recs.begin() + static_cast<long>(BatchOf(recs, 5)));
    recs.insert(recs.begin() + static_cast<long>(BatchOf(recs, 4)), copy);
  });
  AuditVerifyReport r = Verify(t.dir);
  EXPECT_TRUE(HasProblem(r, "inserted")) << Describe(r);
  EXPECT_TRUE(HasProblem(r, "deleted")) << Describe(r);
  EXPECT_FALSE(HasProblem(r, "reordered")) << Describe(r);
  EXPECT_EQ(r.first_bad_sequence(), 2u) << Describe(r);
}

TEST(AuditVerifierTest, DetectsDeletedDigest) {
  Trail t = MakeTrail(9, 3);
  ASSERT_TRUE(io::RemoveFile(t.dir + "/" + kDigestDirName + "/" + DigestFileName(6)).ok());
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, "digest-missing")) << Describe(r);
  EXPECT_TRUE(HasProblem(r, "digest-gap")) << Describe(r);
  EXPECT_EQ(r.first_bad_sequence(), 4u) << Describe(r);
}

TEST(AuditVerifierTest, DetectsDeletedLatestDigestFromTheJournalRecord) {
  Trail t = MakeTrail(6, 3);
  ASSERT_TRUE(io::RemoveFile(t.dir + "/" + kDigestDirName + "/" + DigestFileName(6)).ok());
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, "digest-missing")) << Describe(r);
  EXPECT_EQ(r.first_bad_sequence(), 4u);
}

TEST(AuditVerifierTest, DetectsDigestForgedWithAnotherKey) {
  Trail t = MakeTrail(6, 3);
  std::string path = t.dir + "/" + kDigestDirName + "/" + DigestFileName(6);
  auto text = io::ReadFile(path);
  ASSERT_TRUE(text.ok());
  auto digest = ParseDigestJson(*text);
  ASSERT_TRUE(digest.ok());
  // The attacker's own key, claiming the published kid.
  auto other = auth::Signer::Generate(auth::JwsAlgorithm::kEdDSA, "audit-1");
  ASSERT_TRUE(other.ok());
  digest->head_hash = std::string(64, 'f');
  ASSERT_TRUE(SignDigest(*other, &*digest).ok());
  ASSERT_TRUE(io::WriteFileAtomic(path, DigestToJson(*digest)).ok());
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, "digest-forged")) << Describe(r);
  EXPECT_EQ(r.first_bad_sequence(), 4u) << Describe(r);

  // And with a kid nobody published.
  auto stranger = auth::Signer::Generate(auth::JwsAlgorithm::kEdDSA, "attacker");
  ASSERT_TRUE(stranger.ok());
  ASSERT_TRUE(SignDigest(*stranger, &*digest).ok());
  ASSERT_TRUE(io::WriteFileAtomic(path, DigestToJson(*digest)).ok());
  r = Verify(t.dir);
  EXPECT_TRUE(HasProblem(r, "digest-forged")) << Describe(r);
}

TEST(AuditVerifierTest, DetectsTruncatedChain) {
  Trail t = MakeTrail(6, 6);
  RewriteJournal(t, [](auto& recs) {
    // Drop the last two events and the journal's copy of the digest: only the digest
    // file still remembers them.
    recs.erase(recs.begin() + static_cast<long>(BatchOf(recs, 5)), recs.end());
  });
  AuditVerifyReport r = Verify(t.dir);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, "truncated")) << Describe(r);
  EXPECT_EQ(r.first_bad_sequence(), 5u);
}

TEST(AuditVerifierTest, UsesAnIndependentKeySetWhenGiven) {
  Trail t = MakeTrail(3, 3);
  AuditVerifyOptions options;
  options.jwks_path = t.dir + "/keys/jwks.json";
  EXPECT_TRUE(Verify(t.dir, options).ok());
  auto other = auth::GenerateKeyFiles(t.dir + "/other", auth::JwsAlgorithm::kEdDSA, "audit-1");
  ASSERT_TRUE(other.ok());
  options.jwks_path = other->jwks_path;
  AuditVerifyReport r = Verify(t.dir, options);
  EXPECT_TRUE(HasProblem(r, "digest-forged")) << Describe(r);
}

TEST(AuditVerifierTest, OldDigestsVerifyAfterKeyRotation) {
  Trail t = MakeTrail(3, 3);
  auto next = auth::GenerateKeyFiles(t.dir + "/keys", auth::JwsAlgorithm::kES256, "audit-2");
  ASSERT_TRUE(next.ok());
  AuditLogOptions options;
  options.digest_key_path = next->private_key_path;
  auto log = AuditLog::Open(t.dir, options);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append(Event(4)).ok());
  auto d = (*log)->WriteDigest();
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  AuditVerifyReport r = Verify(t.dir);
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.covered_through, 4u);
}

TEST(AuditVerifierTest, WriteDigestWithNothingNewWritesNothing) {
  Trail t = MakeTrail(3, 3);
  AuditLogOptions options;
  options.digest_key_path = t.key;
  auto log = AuditLog::Open(t.dir, options);
  ASSERT_TRUE(log.ok());
  auto d = (*log)->WriteDigest();
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->written);
}

TEST(AuditVerifierTest, RefusesAKeyFileReadableByOthers) {
  Trail t = MakeTrail(1, 100);
  ASSERT_EQ(::chmod(t.key.c_str(), 0644), 0);
  AuditLogOptions options;
  options.digest_key_path = t.key;
  auto log = AuditLog::Open(t.dir, options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(log.status().message().find("0644"), std::string::npos) << log.status().ToString();
}

TEST(AuditVerifierTest, WriteDigestWithoutKeyFails) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append(Event(1)).ok());
  auto d = (*log)->WriteDigest();
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
}

TEST(AuditVerifierTest, NoJournalIsNotFound) {
  auto r = VerifyAuditTrail(TempDir(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(AuditVerifierTest, TimeWindowLimitsWhatIsReported) {
  Trail t = MakeTrail(4, 100);
  RewriteJournal(t, [](auto& recs) { recs.erase(recs.begin() + static_cast<long>(BatchOf(recs, 2))); });
  AuditVerifyOptions options;
  options.to_us = 1;  // Before every event.
  EXPECT_TRUE(Verify(t.dir, options).ok());
  EXPECT_FALSE(Verify(t.dir).ok());
}

TEST(AuditVerifierTest, StoresEventsCanonicalSoTheirBytesHashToTheChain) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok());
  AuditEvent e = Event(1);
  e.request_parameters_json = R"({"z":1,"a":{"y":"\u00e9\n","b":[2,1]}})";
  auto receipt = (*log)->Append(e);
  ASSERT_TRUE(receipt.ok());
  auto bytes = io::ReadFile(dir + "/" + storage::kAuditJournalName);
  ASSERT_TRUE(bytes.ok());
  storage::JournalScan scan = storage::ScanJournal(*bytes, 0);
  ASSERT_EQ(scan.records.size(), 1u);
  std::string stored(scan.records[0].events[0]);
  auto canonical = json::CanonicalizeJson(stored);
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(stored, *canonical);
  EXPECT_EQ(crypto::ToHex(crypto::Sha256(stored)), receipt->event_hash);
}

// Events stored in another byte form of the same value (an older writer, or a re-serialised
// copy) still verify through their canonical hash, and tampering is still found.
TEST(AuditVerifierTest, VerifiesEventsStoredInNonCanonicalForm) {
  Trail t = MakeTrail(6, 3);
  auto spaced = [](std::string_view json) {
    std::string out;
    for (char c : json) {
      out.push_back(c);
      if (c == ',') out.push_back(' ');  // Safe here: no event string holds a comma.
    }
    return out;
  };
  std::vector<std::string> keep;
  keep.reserve(6);
  RewriteJournal(t, [&](auto& recs) {
    for (auto& rec : recs) {
      if (rec.kind != storage::kJournalRecordBatch) continue;
      keep.push_back(spaced(rec.events[0]));
      rec.events[0] = keep.back();
    }
  });
  AuditVerifyReport r = Verify(t.dir);
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.covered_through, 6u);

  RewriteJournal(t, [&](auto& recs) {
    auto& rec = recs[BatchOf(recs, 2)];
    keep.push_back(std::string(rec.events[0]));
    keep.back().replace(keep.back().find("user2"), 5, "userZ");
    rec.events[0] = keep.back();
  });
  r = Verify(t.dir);
  EXPECT_EQ(r.first_bad_sequence(), 2u) << Describe(r);
  EXPECT_TRUE(HasProblem(r, "modified")) << Describe(r);
}

// A journal larger than one verification chunk (16384 events), hashed on several threads:
// a modification in the second chunk and a deletion at the chunk boundary are found.
TEST(AuditVerifierTest, ParallelVerificationFindsTamperingInEveryChunk) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir + "/" + storage::kAuditDirName).ok());
  constexpr uint64_t kEvents = 20000;
  std::vector<std::vector<std::string>> batches;
  std::string previous = kGenesisHash;
  for (uint64_t seq = 1; seq <= kEvents; ++seq) {
    if ((seq - 1) % 1000 == 0) batches.emplace_back();
    AuditStamp stamp;
    stamp.sequence = seq;
    stamp.previous_hash = previous;
    stamp.event_id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + seq);
    stamp.request_id = stamp.event_id;
    stamp.event_time_us = 1'700'000'000'000'000 + static_cast<int64_t>(seq);
    stamp.account_id = "000000000000";
    stamp.region = "local";
    auto json = RenderAuditEventJson(Event(static_cast<int>(seq)), stamp);
    ASSERT_TRUE(json.ok());
    previous = crypto::ToHex(crypto::Sha256(*json));
    batches.back().push_back(std::move(*json));
  }
  const std::vector<std::string> segment{"segment"};
  auto write = [&](uint64_t skip, uint64_t modify) {
    std::string journal;
    for (size_t b = 0; b < batches.size(); ++b) {
      std::vector<std::string> events;
      for (size_t i = 0; i < batches[b].size(); ++i) {
        uint64_t seq = b * 1000 + i + 1;
        if (seq == skip) continue;
        events.push_back(batches[b][i]);
        if (seq == modify) {
          std::string& e = events.back();
          e.replace(e.find("\"user"), 5, "\"USER");
        }
      }
      // The verifier reads events, not the segments (which only serve queries).
      journal += storage::EncodeJournalBatch(b * 1000 + 1, events, segment);
    }
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/" + storage::kAuditJournalName, journal).ok());
  };
  AuditVerifyOptions options;
  options.threads = 3;
  write(0, 0);
  AuditVerifyReport r = Verify(dir, options);
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.events, kEvents);

  write(0, 17001);
  r = Verify(dir, options);
  EXPECT_EQ(r.first_bad_sequence(), 17001u) << Describe(r);
  EXPECT_TRUE(HasProblem(r, "modified")) << Describe(r);
  options.threads = 1;
  EXPECT_EQ(Verify(dir, options).first_bad_sequence(), 17001u);

  options.threads = 4;
  write(16385, 0);
  r = Verify(dir, options);
  EXPECT_EQ(r.first_bad_sequence(), 16385u) << Describe(r);
  EXPECT_TRUE(HasProblem(r, "deleted")) << Describe(r);
}

}  // namespace
}  // namespace trailbook::audit
