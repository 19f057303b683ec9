#include <gtest/gtest.h>

#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

Value S(std::string s) { return Value::Varchar(std::move(s)); }
Value I(int64_t v) { return Value::Bigint(v); }
Value NullS() { return Value::Null(T::Varchar()); }

TEST(StringFunctionsTest, LowerUpper) {
  EXPECT_EQ(Eval("lower", {S("ConsoleLogin")}), "consolelogin");
  EXPECT_EQ(Eval("upper", {S("us-east-1")}), "US-EAST-1");
  EXPECT_EQ(Eval("lower", {S("ÀÉÎ ΣΑΣ Д")}), "àéî σασ д");
  EXPECT_EQ(Eval("upper", {S("straße")}), "STRAßE");  // Simple case mapping, as Trino.
  EXPECT_EQ(Eval("lower", {S("")}), "");
  EXPECT_EQ(Eval("lower", {NullS()}), "NULL");
  EXPECT_EQ(Eval("lower", {S("a\xff"
                             "B")}),
            "a\xff"
            "b");  // Invalid bytes pass through.
}

TEST(StringFunctionsTest, Length) {
  EXPECT_EQ(Eval("length", {S("héllo")}), "5");
  EXPECT_EQ(Eval("length", {S("")}), "0");
  EXPECT_EQ(Eval("length", {S("😀")}), "1");
  EXPECT_EQ(Eval("length", {I(5)}),
            "error: Unexpected parameters (bigint) for function length. Expected: "
            "length(varchar)");
}

TEST(StringFunctionsTest, Substr) {
  EXPECT_EQ(Eval("substr", {S("hello"), I(2)}), "ello");
  EXPECT_EQ(Eval("substr", {S("hello"), I(2), I(3)}), "ell");
  EXPECT_EQ(Eval("substring", {S("hello"), I(-3)}), "llo");
  EXPECT_EQ(Eval("substr", {S("hello"), I(-3), I(2)}), "ll");
  EXPECT_EQ(Eval("substr", {S("hello"), I(0)}), "");
  EXPECT_EQ(Eval("substr", {S("hello"), I(6)}), "");
  EXPECT_EQ(Eval("substr", {S("hello"), I(-6)}), "");
  EXPECT_EQ(Eval("substr", {S("hello"), I(1), I(0)}), "");
  EXPECT_EQ(Eval("substr", {S("hello"), I(1), I(-1)}), "");
  EXPECT_EQ(Eval("substr", {S("hello"), I(4), I(100)}), "lo");
  EXPECT_EQ(Eval("substr", {S("héllo wörld"), I(2), I(4)}), "éllo");
  EXPECT_EQ(Eval("substr", {S("héllo"), I(-4), I(1)}), "é");
  EXPECT_EQ(Eval("substr", {S(""), I(1)}), "");
  EXPECT_EQ(Eval("substr", {S("abc"), Value::Null(T::Bigint())}), "NULL");
  EXPECT_EQ(Eval("substr", {S("abc"), S("x")}),
            "error: Unexpected parameters (varchar, varchar) for function substr. Expected: "
            "substr(varchar, bigint), substr(varchar, bigint, bigint)");
}

TEST(StringFunctionsTest, Replace) {
  EXPECT_EQ(Eval("replace", {S("a.b.c"), S(".")}), "abc");
  EXPECT_EQ(Eval("replace", {S("a.b.c"), S("."), S("::")}), "a::b::c");
  EXPECT_EQ(Eval("replace", {S("aaa"), S("aa"), S("b")}), "ba");
  EXPECT_EQ(Eval("replace", {S("abc"), S(""), S("-")}), "-a-b-c-");
  EXPECT_EQ(Eval("replace", {S("é"), S(""), S("-")}), "-é-");
  EXPECT_EQ(Eval("replace", {S(""), S("x"), S("y")}), "");
}

TEST(StringFunctionsTest, SplitPart) {
  EXPECT_EQ(Eval("split_part", {S("arn:aws:iam::123:role/x"), S(":"), I(5)}), "123");
  EXPECT_EQ(Eval("split_part", {S("a,b,c"), S(","), I(1)}), "a");
  EXPECT_EQ(Eval("split_part", {S("a,b,c"), S(","), I(3)}), "c");
  EXPECT_EQ(Eval("split_part", {S("a,b,c"), S(","), I(4)}), "NULL");
  EXPECT_EQ(Eval("split_part", {S("a,,c"), S(","), I(2)}), "");
  EXPECT_EQ(Eval("split_part", {S("abc"), S("::"), I(1)}), "abc");
  EXPECT_EQ(Eval("split_part", {S("héllo"), S(""), I(2)}), "é");
  EXPECT_EQ(Eval("split_part", {S("abc"), S(""), I(4)}), "NULL");
  EXPECT_EQ(Eval("split_part", {S("a,b"), S(","), I(0)}), "error: Index must be greater than zero");
  EXPECT_EQ(Eval("split_part", {S("a,b"), S(","), I(-1)}),
            "error: Index must be greater than zero");
}

TEST(StringFunctionsTest, Split) {
  EXPECT_EQ(Eval("split", {S("a,b,,c"), S(",")}), R"(["a","b","","c"])");
  EXPECT_EQ(Eval("split", {S("a,b,c"), S(","), I(2)}), R"(["a","b,c"])");
  EXPECT_EQ(Eval("split", {S(""), S(",")}), R"([""])");
  EXPECT_EQ(Eval("split", {S("a\"b"), S(",")}), R"(["a\"b"])");
  EXPECT_EQ(BindResultType("split", {T::Varchar(), T::Varchar()})->ToString(), "array(varchar)");
  EXPECT_EQ(Eval("split", {S("abc"), S("")}), "error: The delimiter may not be the empty string");
  EXPECT_EQ(Eval("split", {S("abc"), S(","), I(0)}), "error: Limit must be positive");
}

TEST(StringFunctionsTest, Strpos) {
  EXPECT_EQ(Eval("strpos", {S("héllo"), S("l")}), "3");
  EXPECT_EQ(Eval("strpos", {S("hello"), S("x")}), "0");
  EXPECT_EQ(Eval("strpos", {S("hello"), S("")}), "1");
  EXPECT_EQ(Eval("strpos", {S("abcabc"), S("bc"), I(2)}), "5");
  EXPECT_EQ(Eval("strpos", {S("abcabc"), S("bc"), I(3)}), "0");
  EXPECT_EQ(Eval("strpos", {S("abcabc"), S("bc"), I(-1)}), "5");
  EXPECT_EQ(Eval("strpos", {S("abcabc"), S("bc"), I(-2)}), "2");
  EXPECT_EQ(Eval("strpos", {S("aaa"), S("aa"), I(2)}), "2");
  EXPECT_EQ(Eval("strpos", {S("abc"), S("b"), I(0)}),
            "error: 'instance' must be a positive or negative number.");
}

TEST(StringFunctionsTest, StartsWithAndConcat) {
  EXPECT_EQ(Eval("starts_with", {S("AssumeRole"), S("Assume")}), "true");
  EXPECT_EQ(Eval("starts_with", {S("AssumeRole"), S("")}), "true");
  EXPECT_EQ(Eval("starts_with", {S("A"), S("AB")}), "false");
  EXPECT_EQ(Eval("concat", {S("a"), S("b"), S("c")}), "abc");
  EXPECT_EQ(Eval("concat", {S("a"), NullS()}), "NULL");
  EXPECT_EQ(Eval("$concat", {S("a"), S("")}), "a");
  EXPECT_EQ(Eval("concat", {S("a")}), "error: There must be two or more concatenation arguments");
  EXPECT_EQ(Eval("$concat", {S("a"), I(1)}), "error: Cannot apply operator: varchar || bigint");
}

TEST(StringFunctionsTest, Trim) {
  EXPECT_EQ(Eval("trim", {S("  a b \t\n")}), "a b");
  EXPECT_EQ(Eval("ltrim", {S("  a ")}), "a ");
  EXPECT_EQ(Eval("rtrim", {S("  a ")}), "  a");
  EXPECT_EQ(Eval("trim", {S("\xE3\x80\x80x\xE3\x80\x80")}), "x");  // Ideographic space.
  EXPECT_EQ(Eval("trim", {S("\xC2\xA0x")}), "\xC2\xA0x");          // No-break space is kept (Java).
  EXPECT_EQ(Eval("trim", {S("xxaxx"), S("x")}), "a");
  EXPECT_EQ(Eval("ltrim", {S("ééaé"), S("é")}), "aé");
  EXPECT_EQ(Eval("rtrim", {S("abcba"), S("ab")}), "abc");
  EXPECT_EQ(Eval("trim", {S("   ")}), "");
  EXPECT_EQ(Eval("trim", {S("")}), "");
}

TEST(StringFunctionsTest, Pad) {
  EXPECT_EQ(Eval("lpad", {S("7"), I(3), S("0")}), "007");
  EXPECT_EQ(Eval("rpad", {S("ab"), I(5), S("xy")}), "abxyx");
  EXPECT_EQ(Eval("lpad", {S("hello"), I(3), S("x")}), "hel");
  EXPECT_EQ(Eval("lpad", {S("é"), I(3), S("ü")}), "üüé");
  EXPECT_EQ(Eval("rpad", {S("a"), I(0), S("x")}), "");
  EXPECT_EQ(Eval("lpad", {S("a"), I(3), S("")}), "error: Padding string must not be empty");
  EXPECT_EQ(Eval("lpad", {S("a"), I(-1), S("x")}),
            "error: Target length must be in the range [0..1048576]");
  EXPECT_EQ(Eval("lpad", {S("a"), I(1LL << 40), S("x")}),
            "error: Target length must be in the range [0..1048576]");
}

TEST(StringFunctionsTest, ReverseChrCodepoint) {
  EXPECT_EQ(Eval("reverse", {S("abc")}), "cba");
  EXPECT_EQ(Eval("reverse", {S("héllo")}), "olléh");
  EXPECT_EQ(Eval("reverse", {S("")}), "");
  EXPECT_EQ(Eval("chr", {I(65)}), "A");
  EXPECT_EQ(Eval("chr", {I(0x1F600)}), "😀");
  EXPECT_EQ(Eval("chr", {I(0xD800)}), "error: Not a valid Unicode code point: 55296");
  EXPECT_EQ(Eval("chr", {I(-1)}), "error: Not a valid Unicode code point: -1");
  EXPECT_EQ(Eval("codepoint", {S("é")}), "233");
  EXPECT_EQ(Eval("codepoint", {S("ab")}), "error: Input string must be a single character string");
  EXPECT_EQ(Eval("codepoint", {S("")}), "error: Input string must be a single character string");
}

TEST(StringFunctionsTest, UrlEncoding) {
  // IAM policy documents in CloudTrail are URL-encoded.
  EXPECT_EQ(Eval("url_decode", {S("%7B%22Version%22%3A%222012-10-17%22%7D")}),
            R"({"Version":"2012-10-17"})");
  EXPECT_EQ(Eval("url_decode", {S("a+b%20c")}), "a b c");
  EXPECT_EQ(Eval("url_decode", {S("%C3%A9")}), "é");
  EXPECT_EQ(Eval("url_decode", {S("100%")}), "error: Incomplete trailing escape (%) pattern");
  EXPECT_EQ(Eval("url_decode", {S("%4")}), "error: Incomplete trailing escape (%) pattern");
  EXPECT_EQ(Eval("url_decode", {S("%zz")}),
            "error: Illegal hex characters in escape (%) pattern: %zz");
  EXPECT_EQ(Eval("url_encode", {S("a b/é*~")}), "a+b%2F%C3%A9*%7E");
  EXPECT_EQ(Eval("url_encode", {S("")}), "");
}

TEST(StringFunctionsTest, SliceResultsSurviveTheirInputs) {
  // substr returns slices of its input; the output keeps the input's buffers alive.
  Result<std::vector<Value>> r =
      EvalColumns("substr", {{S(std::string(100, 'x') + "tail"), S("short")}, {I(101), I(2)}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].ToString(), "tail");
  EXPECT_EQ((*r)[1].ToString(), "hort");
}

}  // namespace
}  // namespace trailbook::sql
