#include <gtest/gtest.h>

#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

Value S(std::string s) { return Value::Varchar(std::move(s)); }
Value I(int64_t v) { return Value::Bigint(v); }
Value A(LogicalType element, std::string text) {
  return Value::FromText(T::Array(std::move(element)), std::move(text));
}
Value M(std::string text) {
  return Value::FromText(T::Map(T::Varchar(), T::Varchar()), std::move(text));
}
LogicalType ResourceType() {
  auto v = std::make_shared<const T>(T::Varchar());
  return T::Row({{"accountid", v}, {"type", v}, {"arn", v}});
}
Value Resources(std::string text) {
  return Value::FromText(T::Array(ResourceType()), std::move(text));
}

// requestParameters as CloudTrail stores it: scalars, nested objects and arrays.
const char* kParams =
    R"({"bucketName":"logs","maxKeys":1000,"recursive":true,"acl":null,)"
    R"("ipPermissions":{"items":[{"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]},)"
    R"("tags":["a","b"],"big":12345678901234567890,"esc":"a\u0022b"})";

TEST(MapArrayFunctionsTest, ElementAtMapReturnsTextAndNullWhenAbsent) {
  EXPECT_EQ(Eval("element_at", {M(kParams), S("bucketName")}), "logs");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("maxKeys")}), "1000");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("recursive")}), "true");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("acl")}), "NULL");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("big")}), "12345678901234567890");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("esc")}), "a\"b");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("ipPermissions")}),
            R"({"items":[{"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]})");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("tags")}), R"(["a","b"])");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("missing")}), "NULL");
  EXPECT_EQ(Eval("element_at", {M(kParams), S("BUCKETNAME")}), "NULL");  // Keys are case-sensitive.
  EXPECT_EQ(Eval("element_at", {M(kParams), Value::Null(T::Varchar())}), "NULL");
  EXPECT_EQ(Eval("element_at", {Value::Null(T::Map(T::Varchar(), T::Varchar())), S("a")}), "NULL");
  EXPECT_EQ(Eval("element_at", {M("{}"), S("a")}), "NULL");
}

TEST(MapArrayFunctionsTest, MalformedStoredTextReadsAsNull) {
  EXPECT_EQ(Eval("element_at", {A(T::Bigint(), "[1,2"), I(1)}), "NULL");
  EXPECT_EQ(Eval("element_at", {M(R"({"a":"b")"), S("a")}), "NULL");
  EXPECT_EQ(Eval("cardinality", {A(T::Bigint(), "[1,")}), "NULL");
  EXPECT_EQ(Eval("map_values", {M(R"({"a":[1,}})")}), "NULL");
  EXPECT_EQ(Eval("array_sort", {A(T::Varchar(), R"(["b",{"x":]])")}), "NULL");
  EXPECT_EQ(Eval("contains", {A(T::Bigint(), "[1,tru]"), I(2)}), "NULL");
  EXPECT_EQ(Eval("element_at", {A(T::Bigint(), "[\"x\",2]"), I(1)}), "NULL");  // Not a bigint.
}

TEST(MapArrayFunctionsTest, SubscriptOnMapIsLenient) {
  // CloudTrail Lake queries write requestParameters['x'] for keys many events lack: NULL, not
  // Trino's "Key not present in map" error.
  EXPECT_EQ(Eval("$subscript", {M(kParams), S("bucketName")}), "logs");
  EXPECT_EQ(Eval("$subscript", {M(kParams), S("missing")}), "NULL");
}

TEST(MapArrayFunctionsTest, ElementAtArray) {
  Value a = A(T::Varchar(), R"(["a","b","c"])");
  EXPECT_EQ(Eval("element_at", {a, I(1)}), "a");
  EXPECT_EQ(Eval("element_at", {a, I(3)}), "c");
  EXPECT_EQ(Eval("element_at", {a, I(4)}), "NULL");
  EXPECT_EQ(Eval("element_at", {a, I(-1)}), "c");
  EXPECT_EQ(Eval("element_at", {a, I(-3)}), "a");
  EXPECT_EQ(Eval("element_at", {a, I(-4)}), "NULL");
  EXPECT_EQ(Eval("element_at", {a, I(0)}), "error: SQL array indices start at 1");
  EXPECT_EQ(Eval("element_at", {A(T::Bigint(), "[10,null,x]"), I(2)}), "NULL");
  EXPECT_EQ(Eval("element_at", {A(T::Bigint(), "[10,20]"), I(2)}), "20");
  EXPECT_EQ(Eval("element_at", {A(T::Varchar(), "[]"), I(1)}), "NULL");
  EXPECT_EQ(Eval("element_at", {a, S("x")}),
            "error: Unexpected parameters (array(varchar), varchar) for function element_at. "
            "Expected: element_at(array(T), bigint), element_at(map(K, V), K)");
}

TEST(MapArrayFunctionsTest, SubscriptOnArrayIsStrict) {
  Value a = A(T::Varchar(), R"(["a","b","c"])");
  EXPECT_EQ(Eval("$subscript", {a, I(2)}), "b");
  EXPECT_EQ(Eval("$subscript", {a, I(4)}),
            "error: Array subscript must be less than or equal to array length: 4 > 3");
  EXPECT_EQ(Eval("$subscript", {a, I(-1)}), "error: Array subscript is negative: -1");
  EXPECT_EQ(Eval("$subscript", {a, I(0)}), "error: SQL array indices start at 1");
  EXPECT_EQ(Eval("$subscript", {S("x"), I(1)}), "error: Cannot apply operator: varchar[bigint]");
}

TEST(MapArrayFunctionsTest, RowFieldsAreCaseInsensitive) {
  Value resources =
      Resources(R"([{"accountId":"111","type":"AWS::IAM::Role","ARN":"arn:aws:iam::111:role/x"}])");
  Result<Value> first = EvalScalar("element_at", {resources, I(1)});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->type(), ResourceType());
  EXPECT_EQ(Eval("$field", {*first, S("arn")}), "arn:aws:iam::111:role/x");
  EXPECT_EQ(Eval("$field", {*first, S("ARN")}), "arn:aws:iam::111:role/x");
  EXPECT_EQ(Eval("$field", {*first, S("accountid")}), "111");
  // A row read straight from the store, keys as CloudTrail wrote them.
  Value stored = Value::FromText(ResourceType(), R"({"ARN":"arn:x","accountId":"9"})");
  EXPECT_EQ(Eval("$field", {stored, S("arn")}), "arn:x");
  EXPECT_EQ(Eval("$field", {stored, S("type")}), "NULL");
  EXPECT_EQ(Eval("$field", {stored, S("nope")}),
            "error: Field 'nope' not found in row(accountid varchar, type varchar, arn varchar)");
  EXPECT_EQ(Eval("$field", {Value::Null(ResourceType()), S("arn")}), "NULL");
  EXPECT_EQ(BindResultType("$field", {ResourceType(), T::Varchar()}).status().message(),
            "the field name must be a constant string");
}

TEST(MapArrayFunctionsTest, Cardinality) {
  EXPECT_EQ(Eval("cardinality", {A(T::Bigint(), "[1,2,3]")}), "3");
  EXPECT_EQ(Eval("cardinality", {A(T::Bigint(), "[]")}), "0");
  EXPECT_EQ(Eval("cardinality", {M(kParams)}), "8");
  EXPECT_EQ(Eval("cardinality", {S("[1]")}),
            "error: Unexpected parameters (varchar) for function cardinality. Expected: "
            "cardinality(array(T)), cardinality(map(K, V))");
}

TEST(MapArrayFunctionsTest, ContainsAndPosition) {
  Value a = A(T::Varchar(), R"(["s3.amazonaws.com","ec2.amazonaws.com"])");
  EXPECT_EQ(Eval("contains", {a, S("ec2.amazonaws.com")}), "true");
  EXPECT_EQ(Eval("contains", {a, S("iam.amazonaws.com")}), "false");
  EXPECT_EQ(Eval("contains", {A(T::Varchar(), R"(["a",null])"), S("b")}), "NULL");
  EXPECT_EQ(Eval("contains", {A(T::Varchar(), R"(["a",null])"), S("a")}), "true");
  EXPECT_EQ(Eval("contains", {A(T::Bigint(), "[1,2]"), Value::Double(2.0)}), "true");
  EXPECT_EQ(Eval("contains", {a, Value::Null(T::Varchar())}), "NULL");
  EXPECT_EQ(Eval("array_position", {a, S("ec2.amazonaws.com")}), "2");
  EXPECT_EQ(Eval("array_position", {a, S("x")}), "0");
}

TEST(MapArrayFunctionsTest, MapKeysValues) {
  EXPECT_EQ(Eval("map_keys", {M(R"({"a":"1","b":{"c":2}})")}), R"(["a","b"])");
  EXPECT_EQ(Eval("map_values", {M(R"({"a":"1","b":{"c":2},"d":3,"e":null})")}),
            R"(["1","{\"c\":2}","3",null])");
  EXPECT_EQ(Eval("map_keys", {M("{}")}), "[]");
  EXPECT_EQ(Eval("map", {A(T::Varchar(), R"(["a","b"])"), A(T::Bigint(), "[1,2]")}),
            R"({"a":1,"b":2})");
  EXPECT_EQ(Eval("map", {A(T::Varchar(), R"(["a","a"])"), A(T::Bigint(), "[1,2]")}),
            "error: Duplicate map keys (a) are not allowed");
  EXPECT_EQ(Eval("map", {A(T::Varchar(), R"(["a"])"), A(T::Bigint(), "[1,2]")}),
            "error: Key and value arrays must be the same length");
  EXPECT_EQ(Eval("map", {A(T::Varchar(), R"([null])"), A(T::Bigint(), "[1]")}),
            "error: map key cannot be null");
}

TEST(MapArrayFunctionsTest, SequenceAndConstructors) {
  EXPECT_EQ(Eval("sequence", {I(1), I(5)}), "[1,2,3,4,5]");
  EXPECT_EQ(Eval("sequence", {I(5), I(1), I(-2)}), "[5,3,1]");
  EXPECT_EQ(Eval("sequence", {I(3), I(1)}), "[3,2,1]");
  EXPECT_EQ(Eval("sequence", {I(1), I(5), I(0)}), "error: step must not be zero");
  EXPECT_EQ(Eval("sequence", {I(0), I(20000)}),
            "error: result of sequence function must not have more than 10000 entries");
  EXPECT_EQ(Eval("sequence", {I(INT64_MIN), I(INT64_MAX)}),
            "error: result of sequence function must not have more than 10000 entries");
  EXPECT_EQ(Eval("$array", {I(1), Value::Double(2.5), Value::Null(T::Bigint())}), "[1,2.5,null]");
  EXPECT_EQ(Eval("$array", {S("a\"")}), R"(["a\""])");
  EXPECT_EQ(Eval("$array", {}), "[]");
  EXPECT_EQ(Eval("$array", {I(1), S("a")}),
            "error: All ARRAY elements must be the same type: bigint, varchar");
  Result<Value> row = EvalScalar("$row", {I(1), S("x")});
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->type().ToString(), "row(field0 bigint, field1 varchar)");
  EXPECT_EQ(row->ToString(), R"({"field0":1,"field1":"x"})");
}

}  // namespace
}  // namespace trailbook::sql
