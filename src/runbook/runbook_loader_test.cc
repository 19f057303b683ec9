#include "runbook/runbook_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "io/file.h"

namespace trailbook::runbook {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kGood[] = R"(id: ir.example
version: 1.2.0
title: Example
description: An example.
tags: [T1078]
params:
  user: {type: string, required: true, max: 64}
  start: {type: timestamp, default: -24h}
  end: {type: timestamp, default: now}
query: |
  SELECT eventName FROM events
  WHERE userIdentity.userName = :user AND eventTime BETWEEN :start AND :end
output: [eventName]
tests:
  - name: one
    params: {user: alice}
    events:
      - {eventTime: "2026-01-01T00:00:00Z", eventName: X}
    expect_count: 1
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string Error(const std::string& text) {
  Result<Runbook> rb = ParseRunbookYaml(text, "rb/x.yaml");
  EXPECT_FALSE(rb.ok());
  if (rb.ok()) return "";
  EXPECT_EQ(rb.status().code(), StatusCode::kInvalidArgument);
  return rb.status().message();
}

TEST(RunbookLoaderTest, ParsesEveryField) {
  Result<Runbook> rb = ParseRunbookYaml(kGood, "rb/x.yaml");
  ASSERT_TRUE(rb.ok()) << rb.status().ToString();
  EXPECT_EQ(rb->id, "ir.example");
  EXPECT_EQ(rb->version, "1.2.0");
  EXPECT_EQ(rb->tags, std::vector<std::string>{"T1078"});
  ASSERT_EQ(rb->params.size(), 3u);
  EXPECT_TRUE(rb->params[0].required);
  EXPECT_EQ(rb->params[0].max, 64);
  EXPECT_EQ(*rb->params[1].default_value, "-24h");
  ASSERT_EQ(rb->output.size(), 1u);
  ASSERT_EQ(rb->tests.size(), 1u);
  EXPECT_EQ(rb->tests[0].line, 15);
  EXPECT_EQ(rb->tests[0].params.at("user"), "alice");
  EXPECT_EQ(rb->query_line, 11);
  EXPECT_EQ(rb->hash.size(), 64u);
  EXPECT_FALSE(rb->is_audit());
}

TEST(RunbookLoaderTest, HashIgnoresLayoutAndTestsButNotTheQuery) {
  Result<Runbook> a = ParseRunbookYaml(kGood, "a.yaml");
  Result<Runbook> b = ParseRunbookYaml(
      Replace(Replace(kGood, "expect_count: 1", "expect_count: 2"), "tags: [T1078]",
              "# a comment\ntags:\n  - T1078"),
      "b.yaml");
  Result<Runbook> c = ParseRunbookYaml(Replace(kGood, "SELECT eventName", "SELECT eventID"), "c.yaml");
  Result<Runbook> d = ParseRunbookYaml(Replace(kGood, "max: 64", "max: 65"), "d.yaml");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(a->hash, b->hash);
  EXPECT_NE(a->hash, c->hash);
  EXPECT_NE(a->hash, d->hash);
  EXPECT_EQ(a->CanonicalJson(), b->CanonicalJson());
}

TEST(RunbookLoaderTest, AcceptsTheMonitorsAlertSectionAsAMapping) {
  // Detection runbooks carry an `alert:` section the monitor parses; `run` and `validate`
  // must accept them. Its content is the monitor's, so it does not change the identity hash.
  std::string detection = std::string(kGood) + "alert:\n  severity: high\n  threshold: {min_rows: 5}\n";
  Result<Runbook> a = ParseRunbookYaml(kGood, "a.yaml");
  Result<Runbook> b = ParseRunbookYaml(detection, "b.yaml");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->hash, b->hash);
  EXPECT_THAT(Error(std::string(kGood) + "alert: loud\n"),
              HasSubstr("alert: must be a mapping"));
}

TEST(RunbookLoaderTest, ErrorsNameFileLineAndField) {
  EXPECT_EQ(Error(Replace(kGood, "type: string", "type: strng")),
            "rb/x.yaml:7: params.user.type: unknown parameter type 'strng' (string, int, bool, "
            "timestamp, duration, account_id, region, arn, ip, cidr, enum, list<...>)");
  EXPECT_THAT(Error(Replace(kGood, "title: Example", "titel: Example")),
              StartsWith("rb/x.yaml:3: titel: unknown field"));
  EXPECT_THAT(Error(Replace(kGood, "max: 64", "maximum: 64")),
              StartsWith("rb/x.yaml:7: params.user.maximum: unknown field"));
  EXPECT_THAT(Error(Replace(kGood, "max: 64", "max: lots")),
              HasSubstr("params.user.max: must be a 64-bit integer, got 'lots'"));
  EXPECT_THAT(Error(Replace(kGood, "max: 64", "max: 99999999999999999999")),
              HasSubstr("must be a 64-bit integer"));
  EXPECT_THAT(Error(Replace(kGood, "required: true", "required: yes please")),
              HasSubstr("params.user.required: must be true or false"));
  EXPECT_THAT(Error(Replace(kGood, "id: ir.example\n", "")), HasSubstr("id: missing"));
  EXPECT_THAT(Error(Replace(kGood, "version: 1.2.0", "version: 1 2")), HasSubstr("version:"));
  EXPECT_THAT(Error(Replace(kGood, "id: ir.example", "id: \"no spaces allowed\"")),
              StartsWith("rb/x.yaml:1: id:"));
  EXPECT_THAT(Error(Replace(kGood, ":user AND", ":usr AND")),
              HasSubstr("query: uses :usr but no parameter 'usr' is declared"));
  EXPECT_THAT(Error(Replace(kGood, "  end: {type: timestamp, default: now}\n",
                            "  end: {type: timestamp, default: now}\n  unused: {type: int}\n")),
              HasSubstr("'unused' is declared but the query never uses :unused"));
  EXPECT_THAT(Error(Replace(kGood, "default: -24h", "default: yesterday")),
              HasSubstr("params.start: default:"));
  EXPECT_THAT(Error(Replace(kGood, "    expect_count: 1\n", "")),
              HasSubstr("tests[0]: needs expect_rows or expect_count"));
  EXPECT_THAT(Error(Replace(kGood, "    events:\n      - {eventTime: \"2026-01-01T00:00:00Z\", eventName: X}\n", "")),
              HasSubstr("needs exactly one of events"));
  EXPECT_THAT(Error(Replace(kGood, "expect_count: 1", "expect_count: -1")),
              HasSubstr("tests[0].expect_count: must be >= 0"));
  EXPECT_THAT(Error(Replace(kGood, "tags: [T1078]", "tags: T1078")), HasSubstr("tags: must be a list"));
  EXPECT_THAT(Error(Replace(kGood, "output: [eventName]", "output: [{title: x}]")),
              HasSubstr("output[0].title: unknown field"));
}

TEST(RunbookLoaderTest, YamlSyntaxErrorsNameTheLine) {
  std::string msg = Error(Replace(kGood, "title: Example", "title: [unclosed"));
  EXPECT_THAT(msg, StartsWith("rb/x.yaml:"));
  EXPECT_THAT(Error("- just\n- a list\n"), HasSubstr("a runbook file is a YAML mapping"));
  EXPECT_THAT(Error(""), HasSubstr("rb/x.yaml"));
}

TEST(RunbookLoaderTest, DirectoryRejectsDuplicateIdsAndMissingDirs) {
  char templ[] = "/tmp/trailbook-loader-test-XXXXXX";
  ASSERT_NE(mkdtemp(templ), nullptr);
  std::string dir = templ;
  ASSERT_TRUE(io::CreateDirectories(dir + "/a").ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/a/one.yaml", kGood, 0644).ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/notes.txt", "not a runbook", 0644).ok());
  Result<RunbookLibrary> lib = RunbookLibrary::LoadDirectory(dir);
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  EXPECT_NE(lib->Find("ir.example"), nullptr);
  EXPECT_EQ(lib->Find("ir.other"), nullptr);

  ASSERT_TRUE(io::WriteFileAtomic(dir + "/two.yml", kGood, 0644).ok());
  lib = RunbookLibrary::LoadDirectory(dir);
  ASSERT_FALSE(lib.ok());
  EXPECT_THAT(lib.status().message(), HasSubstr("duplicate runbook id ir.example"));
  EXPECT_THAT(lib.status().message(), HasSubstr("two.yml"));

  ASSERT_TRUE(io::WriteFileAtomic(dir + "/two.yml", "id: [", 0644).ok());
  lib = RunbookLibrary::LoadDirectory(dir);
  ASSERT_FALSE(lib.ok());
  EXPECT_THAT(lib.status().message(), HasSubstr("two.yml:"));

  EXPECT_EQ(RunbookLibrary::LoadDirectory(dir + "/missing").status().code(), StatusCode::kNotFound);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace trailbook::runbook
