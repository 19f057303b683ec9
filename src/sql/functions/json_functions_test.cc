#include <gtest/gtest.h>

#include "sql/functions/json_path.h"
#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

Value S(std::string s) { return Value::Varchar(std::move(s)); }
Value J(std::string s) { return Value::FromText(T::Json(), std::move(s)); }
Value I(int64_t v) { return Value::Bigint(v); }

const char* kEvent = R"({"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser",
  "arn":"arn:aws:iam::1:user/alice","sessionContext":{"attributes":{"mfaAuthenticated":"false"}}},
  "additionalEventData":{"MFAUsed":"No"},"responseElements":{"ConsoleLogin":"Success"},
  "resources":[{"ARN":"arn:1","type":"AWS::S3::Bucket"},{"ARN":"arn:2"}],
  "count":12345678901234567890,"ratio":1.50,"ok":true,"none":null,"esc":"a\"b\u00e9",
  "weird key":1, "0":"zero"})";

TEST(JsonPathTest, Parse) {
  auto steps = [](std::string_view p) {
    Result<JsonPath> r = JsonPath::Parse(p);
    if (!r.ok()) return "error: " + r.status().message();
    std::string out;
    for (const auto& s : r->steps()) out += "<" + s.name + ":" + std::to_string(s.index) + ">";
    return out;
  };
  EXPECT_EQ(steps("$"), "");
  EXPECT_EQ(steps("$.a.b"), "<a:-1><b:-1>");
  EXPECT_EQ(steps("$.items[0].x"), "<items:-1><0:0><x:-1>");
  EXPECT_EQ(steps("$[\"weird key\"]"), "<weird key:-1>");
  EXPECT_EQ(steps("$[\"q\\\"b\\\\\"]"), "<q\"b\\:-1>");
  EXPECT_EQ(steps("$.a:b"), "<a:b:-1>");
  EXPECT_EQ(steps("$.é"), "<é:-1>");
  EXPECT_EQ(steps("$[12]"), "<12:12>");
  EXPECT_EQ(steps(""), "error: Invalid JSON path: ''");
  EXPECT_EQ(steps("a.b"), "error: Invalid JSON path: 'a.b'");
  EXPECT_EQ(steps("$."), "error: Invalid JSON path: '$.'");
  EXPECT_EQ(steps("$.a."), "error: Invalid JSON path: '$.a.'");
  EXPECT_EQ(steps("$[0"), "error: Invalid JSON path: '$[0'");
  EXPECT_EQ(steps("$[\"a]"), "error: Invalid JSON path: '$[\"a]'");
  EXPECT_EQ(steps("$[\"a\\n\"]"), "error: Invalid JSON path: '$[\"a\\n\"]'");
  EXPECT_EQ(steps("$.*"), "error: Invalid JSON path: '$.*'");
  EXPECT_EQ(steps("$[*]"), "error: Invalid JSON path: '$[*]'");
  EXPECT_EQ(steps("$..a"), "error: Invalid JSON path: '$..a'");
  EXPECT_EQ(steps("$.a b"), "error: Invalid JSON path: '$.a b'");
}

TEST(JsonFunctionsTest, ExtractScalar) {
  auto x = [](std::string path) { return Eval("json_extract_scalar", {S(kEvent), S(path)}); };
  EXPECT_EQ(x("$.eventName"), "ConsoleLogin");
  EXPECT_EQ(x("$.userIdentity.sessionContext.attributes.mfaAuthenticated"), "false");
  EXPECT_EQ(x("$.resources[1].ARN"), "arn:2");
  EXPECT_EQ(x("$.resources[2].ARN"), "NULL");
  EXPECT_EQ(x("$.count"), "12345678901234567890");  // Exact text, beyond int64.
  EXPECT_EQ(x("$.ratio"), "1.50");
  EXPECT_EQ(x("$.ok"), "true");
  EXPECT_EQ(x("$.none"), "NULL");
  EXPECT_EQ(x("$.esc"), "a\"bé");
  EXPECT_EQ(x("$[\"weird key\"]"), "1");
  EXPECT_EQ(x("$.0"), "zero");
  EXPECT_EQ(x("$.userIdentity"), "NULL");  // Objects are not scalars.
  EXPECT_EQ(x("$.resources"), "NULL");
  EXPECT_EQ(x("$.missing.deeper"), "NULL");
  EXPECT_EQ(x("$.eventName.length"), "NULL");
  EXPECT_EQ(x("$"), "NULL");
  EXPECT_EQ(x("$.bad path"), "error: Invalid JSON path: '$.bad path'");
  EXPECT_EQ(Eval("json_extract_scalar", {J("\"top\""), S("$")}), "top");
  EXPECT_EQ(Eval("json_extract_scalar", {S("[1,2,3]"), S("$[2]")}), "3");
  EXPECT_EQ(Eval("json_extract_scalar", {S("{\"a\":1}"), Value::Null(T::Varchar())}), "NULL");
  EXPECT_EQ(Eval("json_extract_scalar", {Value::Null(T::Varchar()), S("$.a")}), "NULL");
}

TEST(JsonFunctionsTest, InvalidJsonIsNull) {
  EXPECT_EQ(Eval("json_extract_scalar", {S("{not json"), S("$.a")}), "NULL");
  EXPECT_EQ(Eval("json_extract_scalar", {S(""), S("$.a")}), "NULL");
  EXPECT_EQ(Eval("json_extract", {S("[1,2"), S("$[5]")}), "NULL");
  EXPECT_EQ(Eval("json_array_length", {S("[1,")}), "NULL");
  EXPECT_EQ(Eval("json_size", {S("{\"a\":"), S("$.a")}), "NULL");
  // As Trino's streaming extractor, text after the value found is not read...
  EXPECT_EQ(Eval("json_extract_scalar", {S("{\"a\":1, \"b\": tru}"), S("$.a")}), "1");
  // ...but the root object or array must be closed (simdjson checks that up front).
  EXPECT_EQ(Eval("json_extract_scalar", {S("{\"a\":1, \"b\": tru"), S("$.a")}), "NULL");
}

TEST(JsonFunctionsTest, Extract) {
  auto x = [](std::string path) { return Eval("json_extract", {S(kEvent), S(path)}); };
  EXPECT_EQ(x("$.additionalEventData"), R"({"MFAUsed":"No"})");
  EXPECT_EQ(x("$.resources[0]"), R"({"ARN":"arn:1","type":"AWS::S3::Bucket"})");
  EXPECT_EQ(x("$.eventName"), R"("ConsoleLogin")");
  EXPECT_EQ(x("$.esc"), R"("a\"bé")");
  EXPECT_EQ(x("$.none"), "null");
  EXPECT_EQ(x("$.count"), "12345678901234567890");
  EXPECT_EQ(x("$.nope"), "NULL");
  EXPECT_EQ(Eval("json_extract", {J("{ \"a\" : [ 1 , { \"b\" : 2 } ] }"), S("$")}),
            R"({"a":[1,{"b":2}]})");
  EXPECT_EQ(Eval("json_extract", {S("{\"a\":1} x"), S("$")}), "NULL");
  Result<Value> v = EvalScalar("json_extract", {S(kEvent), S("$.ok")});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->type(), T::Json());
}

TEST(JsonFunctionsTest, AcceptsNestedTypesAsJsonText) {
  Value map = Value::FromText(T::Map(T::Varchar(), T::Varchar()),
                              R"({"bucketName":"logs","policy":{"a":[1]}})");
  EXPECT_EQ(Eval("json_extract_scalar", {map, S("$.bucketName")}), "logs");
  EXPECT_EQ(Eval("json_extract", {map, S("$.policy.a")}), "[1]");
  EXPECT_EQ(Eval("json_extract", {I(1), S("$.a")}),
            "error: Unexpected parameters (bigint, varchar) for function json_extract. "
            "Expected: json_extract(json, varchar)");
}

TEST(JsonFunctionsTest, Size) {
  EXPECT_EQ(Eval("json_size", {S(kEvent), S("$.userIdentity")}), "3");
  EXPECT_EQ(Eval("json_size", {S(kEvent), S("$.resources")}), "2");
  EXPECT_EQ(Eval("json_size", {S(kEvent), S("$.eventName")}), "0");
  EXPECT_EQ(Eval("json_size", {S(kEvent), S("$.nope")}), "NULL");
}

TEST(JsonFunctionsTest, ParseAndFormat) {
  EXPECT_EQ(Eval("json_parse", {S("{\"b\": 1, \"a\": [true, null, \"x\"]}")}),
            R"({"a":[true,null,"x"],"b":1})");
  EXPECT_EQ(Eval("json_parse", {S("{\"a\":1,\"a\":2}")}), R"({"a":2})");
  EXPECT_EQ(Eval("json_parse", {S(" 12 ")}), "12");
  EXPECT_EQ(Eval("json_parse", {S("\"\\u00e9\"")}), "\"é\"");
  EXPECT_EQ(Eval("json_parse", {S("{\"a\":1} x")}),
            "error: Cannot convert value to JSON: '{\"a\":1} x'");
  EXPECT_EQ(Eval("json_parse", {S("[1,]")}), "error: Cannot convert value to JSON: '[1,]'");
  EXPECT_EQ(Eval("json_parse", {S("")}), "error: Cannot convert value to JSON: ''");
  EXPECT_EQ(Eval("json_parse", {S("{\"a\":tru}")}),
            "error: Cannot convert value to JSON: '{\"a\":tru}'");
  EXPECT_EQ(Eval("json_format", {J(R"({"a":1})")}), R"({"a":1})");
  Result<Value> f = EvalScalar("json_format", {J("[1]")});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->type(), T::Varchar());
  EXPECT_EQ(Eval("json_format", {S("x")}),
            "error: Unexpected parameters (varchar) for function json_format. Expected: "
            "json_format(json)");
  EXPECT_EQ(Eval("is_json_scalar", {S("1")}), "true");
  EXPECT_EQ(Eval("is_json_scalar", {S("[1]")}), "false");
  EXPECT_EQ(Eval("is_json_scalar", {S("[1")}), "error: Invalid JSON value: [1");
}

TEST(JsonFunctionsTest, DeepNestingIsRejectedNotOverflowed) {
  std::string deep(100000, '[');
  EXPECT_EQ(Eval("json_parse", {S(deep)}).substr(0, 36), "error: Cannot convert value to JSON:");
  EXPECT_EQ(Eval("json_extract", {S(deep), S("$[0][0]")}), "NULL");
}

TEST(JsonFunctionsTest, ArrayFunctions) {
  EXPECT_EQ(Eval("json_array_length", {S("[1, [2, 3], {\"a\": 4}]")}), "3");
  EXPECT_EQ(Eval("json_array_length", {S("[]")}), "0");
  EXPECT_EQ(Eval("json_array_length", {S("{\"a\":1}")}), "NULL");
  EXPECT_EQ(Eval("json_array_get", {S("[\"a\", [3, 9], \"c\"]"), I(0)}), "\"a\"");
  EXPECT_EQ(Eval("json_array_get", {S("[\"a\", [3, 9], \"c\"]"), I(1)}), "[3,9]");
  EXPECT_EQ(Eval("json_array_get", {S("[\"a\", [3, 9], \"c\"]"), I(-1)}), "\"c\"");
  EXPECT_EQ(Eval("json_array_get", {S("[\"a\", [3, 9], \"c\"]"), I(3)}), "NULL");
  EXPECT_EQ(Eval("json_array_get", {S("[\"a\", [3, 9], \"c\"]"), I(-4)}), "NULL");
  EXPECT_EQ(Eval("json_array_get", {S("{}"), I(0)}), "NULL");
}

TEST(JsonFunctionsTest, ArrayContains) {
  const std::string a = R"([1, 2.5, "x", true, null, [3]])";
  EXPECT_EQ(Eval("json_array_contains", {S(a), I(1)}), "true");
  EXPECT_EQ(Eval("json_array_contains", {S(a), I(3)}), "false");
  EXPECT_EQ(Eval("json_array_contains", {S(a), Value::Double(2.5)}), "true");
  EXPECT_EQ(Eval("json_array_contains", {S(a), Value::Double(1.0)}), "false");
  EXPECT_EQ(Eval("json_array_contains", {S(a), S("x")}), "true");
  EXPECT_EQ(Eval("json_array_contains", {S(a), S("1")}), "false");
  EXPECT_EQ(Eval("json_array_contains", {S(a), Value::Boolean(true)}), "true");
  EXPECT_EQ(Eval("json_array_contains", {S(a), Value::Boolean(false)}), "false");
  EXPECT_EQ(Eval("json_array_contains", {S("{}"), I(1)}), "NULL");
  EXPECT_EQ(Eval("json_array_contains", {S("[1,"), I(2)}), "NULL");
}

}  // namespace
}  // namespace trailbook::sql
