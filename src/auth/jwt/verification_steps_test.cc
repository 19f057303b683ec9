#include "auth/jwt/verification_steps.h"

#include <gtest/gtest.h>

#include "auth/jwt/testing/token_factory.h"
#include "base/timestamp.h"

namespace trailbook::auth {
namespace {

using Detail = VerificationSteps::Detail;
using Outcome = VerificationStep::Outcome;

std::vector<std::string> Details(const VerificationSteps& steps) {
  std::vector<std::string> out;
  for (const VerificationStep& s : steps) out.push_back(s.detail);
  return out;
}

TEST(VerificationStepsTest, FormatsEveryDetailCode) {
  const int64_t now = 1'700'000'000 * kMicrosPerSecond;
  testing::TokenFactory factory(JwsAlgorithm::kES256, "k1");
  KeyLookup lookup = factory.resolver()->Find(std::string_view("k1"), SystemClock());
  ASSERT_NE(lookup.key, nullptr);
  VerificationSteps steps;
  steps.Add("a", Outcome::kFail, Detail::kText, 0, 0, "why \"x\"");
  steps.Add("b", Outcome::kPass, Detail::kBytes, 616);
  steps.Add("c", Outcome::kPass, Detail::kKidPresent);
  steps.Add("d", Outcome::kPass, Detail::kNoKid);
  steps.Add("e", Outcome::kPass, Detail::kConfigured);
  steps.Add("f", Outcome::kPass, Detail::kQuoted, 0, 0, std::string("a\nb"));
  steps.Add("g", Outcome::kPass, Detail::kAlgorithm, static_cast<int64_t>(JwsAlgorithm::kEdDSA));
  steps.SetKey(lookup.set, lookup.key);
  steps.Add("h", Outcome::kPass, Detail::kKey);
  steps.Add("i", Outcome::kPass, Detail::kValid);
  steps.Add("j", Outcome::kPass, Detail::kRelative, 1'700'000'590, now);
  steps.Add("k", Outcome::kPass, Detail::kRelative, 1'699'999'990, now);
  steps.Add("l", Outcome::kPass, Detail::kAbsent);
  steps.Add("m", Outcome::kPass, Detail::kLifetime, 600 * kMicrosPerSecond, 3600 * kMicrosPerSecond);
  steps.Add("n", Outcome::kPass, Detail::kPresent);
  steps.Add("o", Outcome::kPass, Detail::kEntries, 2);
  std::set<std::string, std::less<>> scopes = {"snapshot:read", "audit:read"};
  steps.Add("p", Outcome::kPass, Detail::kScope, VerificationSteps::ScopeMask(scopes), 0,
            "; ignored unknown [\"openid\"]");
  steps.Add("q", Outcome::kPass, Detail::kScope, 0, 0, "");
  steps.Add("r", Outcome::kPass, Detail::kNoScope);
  steps.SetConstraints(ConstraintSummary{1, 0, 3 * kMicrosPerDay, std::nullopt, now});
  steps.Add("s", Outcome::kPass, Detail::kConstraints);
  steps.Add("t", Outcome::kPass, Detail::kNoConstraints);
  steps.Add("u", Outcome::kPass, Detail::kCache, now - kMicrosPerSecond, now);
  steps.Add("v", Outcome::kSkipped, Detail::kNotEvaluated);
  EXPECT_EQ(Details(steps),
            (std::vector<std::string>{
                "why \"x\"", "616 bytes", "kid present", "no kid", "configured", "\"a?b\"", "EdDSA",
                "EC P-256 ES256 kid=\"k1\"", "valid", "in 590s", "10s ago", "absent",
                "600s <= 3600s", "present", "2 entries",
                "granted [audit:read snapshot:read]; ignored unknown [\"openid\"]", "granted []",
                "absent: no scope granted", "accounts=1; max_window=3d; before=2023-11-14T22:13:20Z",
                "absent: no restriction",
                "verified at 2023-11-14T22:13:19Z; still within nbf/exp at 2023-11-14T22:13:20Z",
                "not evaluated"}));
  EXPECT_EQ(steps[0].name, "a");
  EXPECT_EQ(steps[0].outcome, Outcome::kFail);
  EXPECT_EQ(steps.back().outcome, Outcome::kSkipped);
}

TEST(VerificationStepsTest, EmptyConstraintsSayNoRestriction) {
  VerificationSteps steps;
  steps.SetConstraints(ConstraintSummary{});
  steps.Add("constraints", Outcome::kPass, Detail::kConstraints);
  EXPECT_EQ(steps.front().detail, "empty (no restriction)");
}

TEST(VerificationStepsTest, StepsAddedAfterAReadAreFormattedToo) {
  VerificationSteps steps;
  steps.Add("format", Outcome::kPass, Detail::kBytes, 10);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps.front().detail, "10 bytes");
  steps.Add("header", Outcome::kFail, Detail::kText, 0, 0, "bad");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].detail, "bad");
  EXPECT_EQ(steps[0].detail, "10 bytes");
}

TEST(VerificationStepsTest, AppendKeepsTextsAndCopiesAreIndependent) {
  VerificationSteps original;
  original.Add("one", Outcome::kFail, Detail::kText, 0, 0, "first");
  original.Add("two", Outcome::kPass, Detail::kQuoted, 0, 0, "second");
  VerificationSteps combined;
  combined.Add("cache", Outcome::kFail, Detail::kText, 0, 0, "zero");
  combined.Append(original);
  EXPECT_EQ(Details(combined), (std::vector<std::string>{"zero", "first", "\"second\""}));
  VerificationSteps copy = combined;
  copy.Add("three", Outcome::kPass, Detail::kValid);
  EXPECT_EQ(combined.size(), 3u);
  EXPECT_EQ(copy.size(), 4u);
  std::vector<VerificationStep> moved = std::move(copy);
  ASSERT_EQ(moved.size(), 4u);
  EXPECT_EQ(moved[3].name, "three");
  EXPECT_EQ(moved[3].detail, "valid");
  std::vector<VerificationStep> copied = combined;
  EXPECT_EQ(copied.size(), 3u);
}

}  // namespace
}  // namespace trailbook::auth
