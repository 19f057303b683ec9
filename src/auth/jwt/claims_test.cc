#include "auth/jwt/claims.h"

#include <gtest/gtest.h>

#include "base/timestamp.h"

namespace trailbook::auth {
namespace {

Principal WithRunbooks(std::vector<std::string> runbooks) {
  Principal p;
  p.runbooks = std::move(runbooks);
  return p;
}

TEST(ClaimsTest, RunbookMatchingIsExactOrNamespaceAtDotBoundary) {
  Principal p = WithRunbooks({"ir.principal-activity", "detect.*"});
  EXPECT_TRUE(p.AllowsRunbook("ir.principal-activity"));
  EXPECT_FALSE(p.AllowsRunbook("ir.principal-activity2"));
  EXPECT_FALSE(p.AllowsRunbook("IR.principal-activity"));
  EXPECT_FALSE(p.AllowsRunbook("ir"));
  EXPECT_FALSE(p.AllowsRunbook("ir.other"));
  EXPECT_TRUE(p.AllowsRunbook("detect.root-login"));
  EXPECT_TRUE(p.AllowsRunbook("detect.s3.public-bucket"));
  EXPECT_FALSE(p.AllowsRunbook("detect"));
  EXPECT_FALSE(p.AllowsRunbook("detect."));
  EXPECT_FALSE(p.AllowsRunbook("detection.x"));
  EXPECT_FALSE(p.AllowsRunbook("DETECT.x"));
  EXPECT_FALSE(p.AllowsRunbook(""));
}

TEST(ClaimsTest, RunbookEntrySyntax) {
  for (const char* ok : {"ir.principal-activity", "detect.*", "a", "a.b.c.*", "A_b-1.x"}) {
    EXPECT_TRUE(ValidateRunbookEntry(ok).ok()) << ok;
  }
  for (const char* bad : {"*", ".*", "ir*", "ir.*.x", "i*r", "ir.", ".ir", "ir..x", "ir x",
                          "ir/x", "ir.**", ""}) {
    EXPECT_FALSE(ValidateRunbookEntry(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateRunbookId("detect.*").ok());
}

TEST(ClaimsTest, AccountsAndRegions) {
  EXPECT_TRUE(ValidateAccountId("111122223333").ok());
  EXPECT_FALSE(ValidateAccountId("11112222333").ok());
  EXPECT_FALSE(ValidateAccountId("1111222233334").ok());
  EXPECT_FALSE(ValidateAccountId("11112222333a").ok());
  for (const char* ok : {"us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-3",
                         "us-iso-east-1", "il-central-1"}) {
    EXPECT_TRUE(ValidateRegion(ok).ok()) << ok;
  }
  for (const char* bad : {"us-east", "US-EAST-1", "useast-1", "us--east-1", "us-east-123",
                          "u-east-1", "us-east-1 ", "*", "us-east-", "us-1"}) {
    EXPECT_FALSE(ValidateRegion(bad).ok()) << bad;
  }
}

TEST(ClaimsTest, Rfc3339IsStrict) {
  EXPECT_EQ(*ParseRfc3339("2024-01-02T03:04:05Z"), *ParseTimestamp("2024-01-02T03:04:05Z"));
  EXPECT_TRUE(ParseRfc3339("2024-01-02T03:04:05.123456+02:00").ok());
  for (const char* bad : {"2024-01-02", "2024-01-02T03:04Z", "2024-01-02 03:04:05Z",
                          "2024-01-02T03:04:05", "2024-13-02T03:04:05Z", "2024-01-02T03:04:05+0200",
                          "2024-01-02T03:04:05.Z", "x"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

TEST(ClaimsTest, ScopeSyntaxAndKnownScopes) {
  std::vector<std::string> ignored;
  auto scopes = ParseScope("runbook:run openid audit:read", &ignored);
  ASSERT_TRUE(scopes.ok());
  EXPECT_EQ(scopes->size(), 2u);
  EXPECT_EQ(ignored, std::vector<std::string>{"openid"});
  for (const char* bad : {"", " runbook:run", "runbook:run ", "a  b", "a\tb", "a\"b"}) {
    EXPECT_FALSE(ParseScope(bad, nullptr).ok()) << bad;
  }
  Principal p;
  p.scopes = *scopes;
  EXPECT_TRUE(p.HasScope(kScopeRunbookRun));
  EXPECT_FALSE(p.HasScope(kScopeQueryAdhoc));
  EXPECT_FALSE(p.HasScope("openid"));
}

RawClaims Extract(std::string_view json) {
  static StrictJsonParser parser;
  auto root = parser.Parse(json, kMaxPayloadDepth);
  EXPECT_TRUE(root.ok()) << root.status().ToString();
  simdjson::dom::object object;
  EXPECT_EQ(root->get_object().get(object), simdjson::SUCCESS);
  return ExtractClaims(object);
}

TEST(ClaimsTest, ExtractRecordsTypeProblemsPerClaim) {
  RawClaims c = Extract(R"({"iss":1,"exp":1.5,"iat":-1,"nbf":"x","aud":[],"sub":"",)"
                        R"("runbooks":["a",2],"constraints":{"accounts":["1"]},"jti":"j"})");
  EXPECT_NE(c.iss.problem.find("not a string"), std::string::npos);
  EXPECT_NE(c.exp.problem.find("not an integer"), std::string::npos);
  EXPECT_NE(c.iat.problem.find("outside"), std::string::npos);
  EXPECT_FALSE(c.nbf.problem.empty());
  EXPECT_NE(c.aud.problem.find("empty array"), std::string::npos);
  EXPECT_NE(c.sub.problem.find("empty"), std::string::npos);
  EXPECT_FALSE(c.runbooks.problem.empty());
  EXPECT_NE(c.constraints.problem.find("not 12 digits"), std::string::npos);
  EXPECT_TRUE(c.jti.ok());
  EXPECT_FALSE(c.scope.present);
}

TEST(ClaimsTest, ExtractConstraints) {
  RawClaims c = Extract(R"({"constraints":{"accounts":["111122223333"],"regions":["us-east-1"],)"
                        R"("max_window":"7d","event_time_after":"2024-01-01T00:00:00Z",)"
                        R"("event_time_before":"2024-02-01T00:00:00Z"}})");
  ASSERT_TRUE(c.constraints.ok()) << c.constraints.problem;
  EXPECT_EQ(c.constraints.value.accounts, std::vector<std::string_view>{"111122223333"});
  EXPECT_EQ(*c.constraints.value.max_window_us, 7 * kMicrosPerDay);
  for (const char* bad : {R"({"constraints":{"tenant":"x"}})",
                          R"({"constraints":{"accounts":"111122223333"}})",
                          R"({"constraints":{"accounts":["111122223333","111122223333"]}})",
                          R"({"constraints":{"regions":["mars-1"]}})",
                          R"({"constraints":{"max_window":7}})",
                          R"({"constraints":{"event_time_after":"2024-02-01T00:00:00Z","event_time_before":"2024-01-01T00:00:00Z"}})",
                          R"({"constraints":[]})"}) {
    EXPECT_FALSE(Extract(bad).constraints.problem.empty()) << bad;
  }
}

TEST(ClaimsTest, ExtractIntoReusedClaimsForgetsThePreviousPayload) {
  StrictJsonParser parser;
  RawClaims claims;
  auto extract = [&](std::string_view json) {
    auto root = parser.Parse(json, kMaxPayloadDepth);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    simdjson::dom::object object;
    ASSERT_EQ(root->get_object().get(object), simdjson::SUCCESS);
    ExtractClaims(object, &claims);
  };
  extract(R"({"sub":"alice","aud":["a","b"],"runbooks":["x.*"],"exp":5,"scope":"bad  scope",)"
          R"("constraints":{"accounts":["111122223333"],"max_window":"1d"},"nbf":"x"})");
  ASSERT_TRUE(claims.sub.ok());
  EXPECT_EQ(claims.aud.value.size(), 2u);
  EXPECT_FALSE(claims.nbf.problem.empty());
  extract(R"({"sub":"bob","aud":"c","runbooks":["y"]})");
  EXPECT_EQ(claims.sub.value, "bob");
  EXPECT_EQ(claims.aud.value, std::vector<std::string_view>{"c"});
  EXPECT_EQ(claims.runbooks.value, std::vector<std::string_view>{"y"});
  EXPECT_FALSE(claims.exp.present);
  EXPECT_FALSE(claims.nbf.present);
  EXPECT_TRUE(claims.nbf.problem.empty());
  EXPECT_FALSE(claims.scope.present);
  EXPECT_FALSE(claims.constraints.present);
  EXPECT_TRUE(claims.constraints.value.accounts.empty());
  EXPECT_FALSE(claims.constraints.value.max_window_us.has_value());
}

TEST(ClaimsTest, RawConstraintsToConstraintsCopiesEveryField) {
  RawConstraints raw;
  raw.accounts = {"111122223333"};
  raw.regions = {"us-east-1", "eu-west-1"};
  raw.max_window_us = 7;
  raw.event_time_after_us = 1;
  raw.event_time_before_us = 2;
  Constraints c = raw.ToConstraints();
  EXPECT_EQ(c.accounts, std::vector<std::string>{"111122223333"});
  EXPECT_EQ(c.regions, (std::vector<std::string>{"us-east-1", "eu-west-1"}));
  EXPECT_EQ(c.max_window_us, 7);
  EXPECT_EQ(c.event_time_after_us, 1);
  EXPECT_EQ(c.event_time_before_us, 2);
}

}  // namespace
}  // namespace trailbook::auth
