#include "runbook/param.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/timestamp.h"

namespace trailbook::runbook {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'772'366'400'000'000;  // 2026-03-01T12:00:00Z

ParamSpec Spec(std::string_view type) {
  ParamSpec spec;
  spec.name = "p";
  auto t = ParseParamType(type);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (t.ok()) spec.type = *t;
  return spec;
}

std::string Error(const ParamSpec& spec, std::string_view text) {
  Result<sql::Value> v = ParseParamValue(spec, text, kNow);
  EXPECT_FALSE(v.ok()) << "accepted '" << text << "'";
  if (v.ok()) return "";
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  return v.status().message();
}

TEST(ParamTest, TypeNames) {
  EXPECT_EQ(Spec("list<account_id>").type.ToString(), "list<account_id>");
  EXPECT_TRUE(Spec("list<int>").type.list);
  EXPECT_EQ(Spec("list<int>").type.kind, ParamKind::kInt);
  EXPECT_THAT(ParseParamType("strng").status().message(), HasSubstr("unknown parameter type 'strng'"));
  EXPECT_THAT(ParseParamType("list<timestamp>").status().message(), HasSubstr("not supported"));
  EXPECT_FALSE(ParseParamType("list<string").ok());
}

TEST(ParamTest, StringsAreKeptLiterallyAndLimited) {
  ParamSpec s = Spec("string");
  auto v = ParseParamValue(s, "' OR 1=1 --", kNow);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->string_value(), "' OR 1=1 --");
  EXPECT_THAT(Error(s, std::string(2000, 'a')), HasSubstr("longer than the limit 1024"));
  EXPECT_THAT(Error(s, std::string(1 << 20, 'a')), HasSubstr("longer than the limit 65536"));
  EXPECT_THAT(Error(s, "a\nb"), HasSubstr("control characters"));
  s.max = 3;
  EXPECT_THAT(Error(s, "abcd"), HasSubstr("longer than the limit 3"));
  s.pattern = "[a-z]+";
  EXPECT_THAT(Error(s, "ab1"), HasSubstr("does not match the pattern"));
  EXPECT_TRUE(ParseParamValue(s, "abc", kNow).ok());
}

TEST(ParamTest, ErrorsNameTheParameterAndTruncateTheValue) {
  ParamSpec s = Spec("int");
  std::string msg = Error(s, std::string(500, '9') + "x");
  EXPECT_THAT(msg, HasSubstr("parameter 'p'"));
  EXPECT_LT(msg.size(), 200u);
}

TEST(ParamTest, Integers) {
  ParamSpec s = Spec("int");
  s.min = 1;
  s.max = 10;
  EXPECT_EQ(ParseParamValue(s, "7", kNow)->int_value(), 7);
  EXPECT_THAT(Error(s, "0"), HasSubstr("below the minimum 1"));
  EXPECT_THAT(Error(s, "11"), HasSubstr("above the maximum 10"));
  EXPECT_THAT(Error(s, "1.5"), HasSubstr("not an integer"));
  EXPECT_THAT(Error(s, "1; DROP"), HasSubstr("not an integer"));
  EXPECT_THAT(Error(s, ""), HasSubstr("not an integer"));
  EXPECT_THAT(Error(s, "99999999999999999999"), HasSubstr("not an integer"));
}

TEST(ParamTest, Bools) {
  ParamSpec s = Spec("bool");
  EXPECT_TRUE(ParseParamValue(s, "true", kNow)->bool_value());
  EXPECT_THAT(Error(s, "yes"), HasSubstr("not a bool"));
}

TEST(ParamTest, Timestamps) {
  ParamSpec s = Spec("timestamp");
  EXPECT_EQ(ParseParamValue(s, "now", kNow)->int_value(), kNow);
  EXPECT_EQ(ParseParamValue(s, "-24h", kNow)->int_value(), kNow - 24 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(ParseParamValue(s, "-7d", kNow)->int_value(), kNow - 7 * 24 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(ParseParamValue(s, "2026-03-01T00:00:00Z", kNow)->int_value(),
            *ParseTimestamp("2026-03-01T00:00:00Z"));
  EXPECT_THAT(Error(s, "-24x"), HasSubstr("relative timestamp"));
  EXPECT_THAT(Error(s, "yesterday"), HasSubstr("not a timestamp"));
}

TEST(ParamTest, Durations) {
  ParamSpec s = Spec("duration");
  EXPECT_EQ(ParseParamValue(s, "15m", kNow)->int_value(), 15 * 60 * kMicrosPerSecond);
  EXPECT_THAT(Error(s, "fortnight"), HasSubstr("not a duration"));
  s.max = 3600 * kMicrosPerSecond;
  EXPECT_THAT(Error(s, "2h"), HasSubstr("above the maximum"));
}

TEST(ParamTest, AwsIdentifiers) {
  EXPECT_TRUE(ParseParamValue(Spec("account_id"), "123456789012", kNow).ok());
  EXPECT_THAT(Error(Spec("account_id"), "12345678901"), HasSubstr("12-digit"));
  EXPECT_THAT(Error(Spec("account_id"), "12345678901a"), HasSubstr("12-digit"));
  EXPECT_TRUE(ParseParamValue(Spec("region"), "eu-west-1", kNow).ok());
  EXPECT_THAT(Error(Spec("region"), "moon-1"), HasSubstr("region"));
  EXPECT_TRUE(ParseParamValue(Spec("arn"), "arn:aws:iam::123456789012:user/alice", kNow).ok());
  EXPECT_THAT(Error(Spec("arn"), "alice"), HasSubstr("not an ARN"));
}

TEST(ParamTest, AddressesAreCanonical) {
  EXPECT_EQ(ParseParamValue(Spec("ip"), "2001:0DB8:0:0:0:0:0:1", kNow)->string_value(), "2001:db8::1");
  EXPECT_EQ(ParseParamValue(Spec("ip"), "192.0.2.1", kNow)->string_value(), "192.0.2.1");
  EXPECT_THAT(Error(Spec("ip"), "192.0.2.300"), HasSubstr("not an IP address"));
  EXPECT_THAT(Error(Spec("ip"), "192.0.2.1' OR '1'='1"), HasSubstr("not an IP address"));
  EXPECT_EQ(ParseParamValue(Spec("cidr"), "10.0.0.0/8", kNow)->string_value(), "10.0.0.0/8");
  EXPECT_THAT(Error(Spec("cidr"), "10.0.0.0"), HasSubstr("not a CIDR"));
  EXPECT_THAT(Error(Spec("cidr"), "10.0.0.0/33"), HasSubstr("prefix above 32"));
  EXPECT_THAT(Error(Spec("cidr"), "10.0.0.0/x"), HasSubstr("bad CIDR prefix"));
}

TEST(ParamTest, Enums) {
  ParamSpec s = Spec("enum");
  s.values = {"minute", "hour"};
  EXPECT_TRUE(ParseParamValue(s, "hour", kNow).ok());
  EXPECT_THAT(Error(s, "day"), HasSubstr("is not one of: minute, hour"));
}

TEST(ParamTest, Lists) {
  ParamSpec s = Spec("list<account_id>");
  auto v = ParseParamValue(s, "111111111111, 222222222222", kNow);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto j = ParseParamValue(s, R"(["111111111111","222222222222"])", kNow);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_THAT(Error(s, "111111111111,bad"), HasSubstr("12-digit"));
  EXPECT_THAT(Error(s, "111111111111,,222222222222"), HasSubstr("empty item"));
  EXPECT_THAT(Error(s, R"(["111111111111")"), HasSubstr("does not end with ']'"));
  EXPECT_THAT(Error(s, R"(["111111111111])"), HasSubstr("unterminated string"));
  EXPECT_THAT(Error(s, R"(["111111111111",])"), HasSubstr("trailing ','"));
  s.max = 1;
  EXPECT_THAT(Error(s, "111111111111,222222222222"), HasSubstr("more than 1 items"));
  std::string many;
  for (int i = 0; i < 1001; ++i) many += (i ? "," : "") + std::string("1");
  EXPECT_THAT(Error(Spec("list<int>"), many), HasSubstr("more than 1000 items"));
}

TEST(ParamTest, SpecValidation) {
  ParamSpec s = Spec("string");
  s.name = "Bad-Name";
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("must match"));
  s = Spec("int");
  s.pattern = "[0-9]+";
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("pattern applies only"));
  s = Spec("string");
  s.pattern = "(";
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("does not compile"));
  s = Spec("enum");
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("non-empty 'values'"));
  s = Spec("string");
  s.values = {"a"};
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("only to enum"));
  s = Spec("int");
  s.min = 5;
  s.max = 1;
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("min is greater than max"));
  s = Spec("int");
  s.required = true;
  s.default_value = "1";
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("required parameter has no default"));
  s = Spec("int");
  s.default_value = "x";
  EXPECT_THAT(ValidateParamSpec(s).message(), HasSubstr("default:"));
}

}  // namespace
}  // namespace trailbook::runbook
