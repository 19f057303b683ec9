#include "snapshot/snapshot_manifest.h"

#include <gtest/gtest.h>

#include "snapshot/testing/snapshot_testing.h"

namespace trailbook::snapshot {
namespace {

SnapshotManifest SampleManifest() {
  SnapshotRequest r = testing::TestRequest();
  SnapshotManifest m;
  m.snapshot_id = "20260101T120000.000000Z-0123456789abcdef";
  m.created_us = 1767268800000000;
  m.runbook = r.runbook;
  m.parameters_json = RenderParameters(r.parameters);
  m.principal = r.principal;
  m.constraints_json = RenderConstraints(r.constraints);
  m.store = r.store;
  m.columns = {{"eventName", "varchar"}, {"n", "bigint"}};
  m.rows = 7;
  m.result_sha256 = std::string(64, 'a');
  m.files = {{kCsvFile, "csv", "gzip", 10, std::string(64, 'b')},
             {kNdjsonFile, "ndjson", "gzip", 11, std::string(64, 'c')}};
  m.signing = {"EdDSA", "k1", std::string(64, 'd')};
  return m;
}

TEST(SnapshotManifestTest, RendersCanonicalJsonThatRoundTrips) {
  std::string json = RenderManifest(SampleManifest());
  EXPECT_EQ(json.find(' '), std::string::npos);  // this sample has no spaces in values
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_EQ(json.rfind("{\"constraints\":{\"accounts\":[\"123456789012\"],"
                       "\"hiddenEventSources\":[],\"maxTime\":null,",
                       0),
            0u)
      << json;
  EXPECT_NE(json.find("\"parameters\":{\"limit\":{\"type\":\"bigint\",\"value\":500},"
                      "\"principal_arn\":{\"type\":\"varchar\",\"value\":\"arn:aws:iam::"
                      "123456789012:user/alice\"},\"start\":{\"type\":\"timestamp(6)\",\"value\":"
                      "\"2026-01-01T00:00:00.000000Z\"}}"),
            std::string::npos)
      << json;
  Result<SnapshotManifest> back = ParseManifest(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(RenderManifest(*back), json);
  EXPECT_EQ(back->store.segment_ids, (std::vector<uint64_t>{3, 4, 9}));
  EXPECT_EQ(back->principal.token_id, "jti-7f3a");
  EXPECT_EQ(back->rows, 7u);
}

void ExpectCorrupt(const std::string& json, const std::string& needle) {
  Result<SnapshotManifest> m = ParseManifest(json);
  ASSERT_FALSE(m.ok()) << json;
  EXPECT_EQ(m.status().code(), StatusCode::kCorruption);
  EXPECT_NE(m.status().message().find(needle), std::string::npos) << m.status().message();
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(SnapshotManifestTest, RejectsIncompleteOrMalformedManifests) {
  std::string json = RenderManifest(SampleManifest());
  ExpectCorrupt(Replace(json, "\"tokenId\":\"jti-7f3a\"", "\"tokenIdX\":\"jti-7f3a\""),
                "principal.tokenIdX: unknown member");
  ExpectCorrupt(Replace(json, ",\"sequence\":42", ""), "store.sequence: missing");
  ExpectCorrupt(Replace(json, "\"rows\":7", "\"rows\":-7"), "result.rows: not a non-negative integer");
  ExpectCorrupt(Replace(json, "\"segmentIds\":[3,4,9]", "\"segmentIds\":[3,9,4]"),
                "store.segmentIds: not strictly ascending");
  ExpectCorrupt(Replace(json, "\"formatVersion\":1", "\"formatVersion\":2"), "unsupported version");
  ExpectCorrupt(Replace(json, "\"type\":\"trailbook.snapshot\"", "\"type\":\"other\""), "type");
  ExpectCorrupt(Replace(json, "0123456789abcdef", "../../etc/passwd"), "snapshotId: malformed id");
  ExpectCorrupt(Replace(json, std::string(64, 'a'), "abc"), "result.sha256");
  ExpectCorrupt(Replace(json, "\"createdAt\":\"2026", "\"createdAt\":\"x026"), "createdAt");
  ExpectCorrupt(json.substr(0, json.size() - 1), "manifest.json");
  // A duplicated member could be read differently by different parsers: refused.
  ExpectCorrupt(Replace(json, "\"formatVersion\":1", "\"formatVersion\":1,\"formatVersion\":1"),
                "formatVersion");
  ExpectCorrupt("[]", "(root): not an object");
}

TEST(SnapshotManifestTest, SnapshotIdsAreSortableUniqueAndValidated) {
  Result<std::string> a = NewSnapshotId(1767268800000000);
  Result<std::string> b = NewSnapshotId(1767268800000000);
  Result<std::string> c = NewSnapshotId(1767268800000001);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->substr(0, 24), "20260101T120000.000000Z-");
  EXPECT_NE(*a, *b);
  EXPECT_LT(a->substr(0, 23), c->substr(0, 23));
  EXPECT_TRUE(ValidateSnapshotId(*a).ok());
  for (std::string bad : {"", "..", "../x", ".tmp-20260101T120000.000000Z-0123456789abcdef",
                          "20260101T120000.000000Z-0123456789ABCDEF",
                          "20260101T120000.000000Z-0123456789abcde/"}) {
    EXPECT_EQ(ValidateSnapshotId(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace trailbook::snapshot
