#include <gtest/gtest.h>

#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

Value S(std::string s) { return Value::Varchar(std::move(s)); }
Value I(int64_t v) { return Value::Bigint(v); }

TEST(RegexFunctionsTest, Like) {
  EXPECT_EQ(Eval("regexp_like", {S("AKIAIOSFODNN7EXAMPLE"), S("^AKIA[0-9A-Z]{16}$")}), "true");
  EXPECT_EQ(Eval("regexp_like", {S("ASIAxyz"), S("^AKIA")}), "false");
  EXPECT_EQ(Eval("regexp_like", {S("1.2.3.4"), S("\\d+\\.\\d+")}), "true");  // Partial match.
  EXPECT_EQ(Eval("regexp_like", {S("Hello"), S("(?i)hello")}), "true");
  EXPECT_EQ(Eval("regexp_like", {S(""), S("")}), "true");
  EXPECT_EQ(Eval("regexp_like", {Value::Null(T::Varchar()), S("a")}), "NULL");
  EXPECT_EQ(Eval("regexp_like", {S("a"), Value::Null(T::Varchar())}), "NULL");
}

TEST(RegexFunctionsTest, InvalidPatterns) {
  EXPECT_EQ(Eval("regexp_like", {S("a"), S("(")}),
            "error: Invalid regular expression '(': missing ): (");
  // Backreferences and lookaround are not available in RE2.
  EXPECT_EQ(Eval("regexp_like", {S("aa"), S("(a)\\1")}).substr(0, 33),
            "error: Invalid regular expression");
  EXPECT_EQ(Eval("regexp_like", {S("a"), S("a(?=b)")}).substr(0, 33),
            "error: Invalid regular expression");
}

TEST(RegexFunctionsTest, Extract) {
  Value arn = S("arn:aws:iam::123456789012:role/Admin");
  EXPECT_EQ(Eval("regexp_extract", {arn, S("\\d{12}")}), "123456789012");
  EXPECT_EQ(Eval("regexp_extract", {arn, S("role/(\\w+)"), I(1)}), "Admin");
  EXPECT_EQ(Eval("regexp_extract", {arn, S("user/(\\w+)"), I(1)}), "NULL");
  EXPECT_EQ(Eval("regexp_extract", {arn, S("(x)?role"), I(1)}), "NULL");
  EXPECT_EQ(Eval("regexp_extract", {arn, S("role/(\\w+)"), I(2)}),
            "error: Pattern has 1 groups. Cannot access group 2");
  EXPECT_EQ(Eval("regexp_extract", {arn, S("role"), I(-1)}),
            "error: Pattern has 0 groups. Cannot access group -1");
  EXPECT_EQ(Eval("regexp_extract", {S("ab12"), S("(?<digits>\\d+)"), I(1)}), "12");
}

TEST(RegexFunctionsTest, ExtractAll) {
  EXPECT_EQ(Eval("regexp_extract_all", {S("1a 2b 14m"), S("\\d+")}), R"(["1","2","14"])");
  EXPECT_EQ(Eval("regexp_extract_all", {S("1a 2b 14m"), S("(\\d+)([a-z]+)"), I(2)}),
            R"(["a","b","m"])");
  EXPECT_EQ(Eval("regexp_extract_all", {S("abc"), S("x")}), "[]");
  // Empty matches advance by one code point.
  EXPECT_EQ(Eval("regexp_extract_all", {S("aé"), S("")}), R"(["","",""])");
  EXPECT_EQ(BindResultType("regexp_extract_all", {T::Varchar(), T::Varchar()})->ToString(),
            "array(varchar)");
}

TEST(RegexFunctionsTest, Replace) {
  EXPECT_EQ(Eval("regexp_replace", {S("1a 2b 14m"), S("\\d+[ab] ")}), "14m");
  EXPECT_EQ(Eval("regexp_replace", {S("1a 2b 14m"), S("(\\d+)([ab]) "), S("3c$2 ")}),
            "3ca 3cb 14m");
  EXPECT_EQ(Eval("regexp_replace", {S("new york"), S("(\\w)(\\w*)"), S("$2$1")}), "ewn orky");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("(?<x>b)"), S("[${x}]")}), "a[b]c");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("b"), S("\\$")}), "a$c");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S(""), S("-")}), "-a-b-c-");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("(b)"), S("$12")}), "ab2c");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("b"), S("$1")}), "error: No group 1");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("b"), S("$x")}), "error: Illegal group reference");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("b"), S("${nope}")}),
            "error: No group with name {nope}");
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("b"), S("x\\")}),
            "error: Illegal replacement: character to be escaped is missing");
  // Not matching: the replacement is never parsed, so it cannot fail.
  EXPECT_EQ(Eval("regexp_replace", {S("abc"), S("z"), S("$9")}), "abc");
}

TEST(RegexFunctionsTest, CountAndSplit) {
  EXPECT_EQ(Eval("regexp_count", {S("a1b22c333"), S("\\d+")}), "3");
  EXPECT_EQ(Eval("regexp_count", {S("abc"), S("")}), "4");
  EXPECT_EQ(Eval("regexp_split", {S("a1b22c"), S("\\d+")}), R"(["a","b","c"])");
  EXPECT_EQ(Eval("regexp_split", {S("1a"), S("\\d")}), R"(["","a"])");
}

TEST(RegexFunctionsTest, PatternsPerRow) {
  Result<std::vector<Value>> r =
      EvalColumns("regexp_like", {{S("abc"), S("abc"), S("xyz")}, {S("^a"), S("^b"), S("(")}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "Invalid regular expression '(': missing ): (");
  r = EvalColumns("regexp_like", {{S("abc"), S("abc"), S("xyz")}, {S("^a"), S("^b"), S("z$")}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].ToString(), "true");
  EXPECT_EQ((*r)[1].ToString(), "false");
  EXPECT_EQ((*r)[2].ToString(), "true");
}

TEST(RegexFunctionsTest, HugeInputIsLinear) {
  // A pattern that backtracks exponentially in Java/Perl engines.
  std::string input(100000, 'a');
  EXPECT_EQ(Eval("regexp_like", {S(input), S("^(a+)+b$")}), "false");
}

}  // namespace
}  // namespace trailbook::sql
