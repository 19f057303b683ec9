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
LogicalType ResourceType() {
  auto v = std::make_shared<const T>(T::Varchar());
  return T::Row({{"accountid", v}, {"type", v}, {"arn", v}});
}
Value Resources(std::string text) {
  return Value::FromText(T::Array(ResourceType()), std::move(text));
}

TestLambda Lambda(LogicalType body_type, std::function<Value(const Value&)> f) {
  return TestLambda{1, std::move(body_type), [f](std::span<const Value> p) { return f(p[0]); }};
}

TEST(ArrayFunctionsTest, TransformAndFilter) {
  Value a = A(T::Bigint(), "[1,2,null,4]");
  auto times10 = Lambda(T::Bigint(), [](const Value& x) {
    return x.is_null() ? Value::Null(T::Bigint()) : Value::Bigint(x.int_value() * 10);
  });
  EXPECT_EQ(Eval("transform", {a, times10}), "[10,20,null,40]");
  auto to_text = Lambda(T::Varchar(), [](const Value& x) { return Value::Varchar(x.ToString()); });
  Result<Value> t = EvalScalar("transform", {a, to_text});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->type().ToString(), "array(varchar)");
  EXPECT_EQ(t->ToString(), R"(["1","2","NULL","4"])");
  auto even = Lambda(T::Boolean(), [](const Value& x) {
    return x.is_null() ? Value::Null(T::Boolean()) : Value::Boolean(x.int_value() % 2 == 0);
  });
  EXPECT_EQ(Eval("filter", {a, even}), "[2,4]");
  EXPECT_EQ(Eval("any_match", {a, even}), "true");
  EXPECT_EQ(Eval("all_match", {a, even}), "false");
  EXPECT_EQ(Eval("none_match", {a, even}), "false");
  EXPECT_EQ(Eval("all_match", {A(T::Bigint(), "[2,null]"), even}), "NULL");
  EXPECT_EQ(Eval("any_match", {A(T::Bigint(), "[]"), even}), "false");
  EXPECT_EQ(Eval("all_match", {A(T::Bigint(), "[]"), even}), "true");
  EXPECT_EQ(Eval("transform", {A(T::Bigint(), "[]"), times10}), "[]");
  EXPECT_EQ(Eval("transform", {Value::Null(T::Array(T::Bigint())), times10}), "NULL");
  EXPECT_EQ(Eval("filter", {a, times10}),
            "error: the lambda of filter must return boolean, not bigint");
  EXPECT_EQ(Eval("transform", {a, a}),
            "error: Unexpected parameters (array(bigint), array(bigint)) for function transform. "
            "Expected: transform(array(T), function(T, U))");
  EXPECT_EQ(Eval("lower", {S("x"), to_text}).substr(0, 46),
            "error: function lower does not accept a lambda");
}

TEST(ArrayFunctionsTest, TransformOverManyElementsUsesSeveralLambdaCalls) {
  std::string big = "[";
  for (int i = 0; i < 5000; ++i) big += (i ? "," : "") + std::to_string(i);
  big += "]";
  auto plus1 = Lambda(T::Bigint(), [](const Value& x) { return Value::Bigint(x.int_value() + 1); });
  Result<Value> r = EvalScalar("transform", {A(T::Bigint(), big), plus1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ToString().substr(0, 10), "[1,2,3,4,5");
  EXPECT_EQ(r->ToString().substr(r->ToString().size() - 6), ",5000]");
}

TEST(ArrayFunctionsTest, TransformOfStoredRows) {
  Value resources = Resources(R"([{"ARN":"a1"},{"ARN":"a2","type":"t"}])");
  auto arn = TestLambda{1, T::Varchar(), [](std::span<const Value> p) {
                          // The element reaches the lambda as a canonical row.
                          return Value::Varchar(p[0].string_value());
                        }};
  EXPECT_EQ(Eval("transform", {resources, arn}),
            R"(["{\"accountid\":null,\"type\":null,\"arn\":\"a1\"}",)"
            R"("{\"accountid\":null,\"type\":\"t\",\"arn\":\"a2\"}"])");
}

TEST(ArrayFunctionsTest, ArrayJoin) {
  EXPECT_EQ(Eval("array_join", {A(T::Varchar(), R"(["a",null,"c"])"), S(", ")}), "a, c");
  EXPECT_EQ(Eval("array_join", {A(T::Varchar(), R"(["a",null,"c"])"), S(","), S("?")}), "a,?,c");
  EXPECT_EQ(Eval("array_join", {A(T::Bigint(), "[1,2]"), S("-")}), "1-2");
  EXPECT_EQ(Eval("array_join", {A(T::Varchar(), "[]"), S("-")}), "");
}

TEST(ArrayFunctionsTest, SliceDistinctSortMinMax) {
  Value a = A(T::Bigint(), "[5,3,null,3,1]");
  EXPECT_EQ(Eval("slice", {a, I(2), I(2)}), "[3,null]");
  EXPECT_EQ(Eval("slice", {a, I(-2), I(5)}), "[3,1]");
  EXPECT_EQ(Eval("slice", {a, I(9), I(1)}), "[]");
  EXPECT_EQ(Eval("slice", {a, I(0), I(1)}), "error: SQL array indices start at 1");
  EXPECT_EQ(Eval("slice", {a, I(1), I(-1)}), "error: length must be greater than or equal to 0");
  EXPECT_EQ(Eval("array_distinct", {a}), "[5,3,null,1]");
  EXPECT_EQ(Eval("array_sort", {a}), "[1,3,3,5,null]");
  EXPECT_EQ(Eval("array_sort", {A(T::Varchar(), R"(["b","B","a"])")}), R"(["B","a","b"])");
  EXPECT_EQ(Eval("array_max", {A(T::Bigint(), "[5,3,9]")}), "9");
  EXPECT_EQ(Eval("array_min", {A(T::Varchar(), R"(["b","a"])")}), "a");
  EXPECT_EQ(Eval("array_max", {a}), "NULL");
  EXPECT_EQ(Eval("array_max", {A(T::Bigint(), "[]")}), "NULL");
  EXPECT_EQ(Eval("array_sort", {A(T::Json(), "[1]")}),
            "error: array_sort cannot order elements of type json");
  EXPECT_EQ(Eval("reverse", {A(T::Bigint(), "[1,2,3]")}), "[3,2,1]");
}

TEST(ArrayFunctionsTest, ConcatArrays) {
  EXPECT_EQ(Eval("concat", {A(T::Bigint(), "[1]"), A(T::Bigint(), "[2,3]")}), "[1,2,3]");
  EXPECT_EQ(Eval("$concat", {A(T::Bigint(), "[1]"), I(2)}), "[1,2]");
  EXPECT_EQ(Eval("$concat", {I(0), A(T::Bigint(), "[1]")}), "[0,1]");
  EXPECT_EQ(Eval("concat", {A(T::Bigint(), "[1]"), A(T::Double(), "[2.5]")}), "[1,2.5]");
  EXPECT_EQ(Eval("concat", {A(T::Bigint(), "[1]"), Value::Null(T::Array(T::Bigint()))}), "NULL");
  EXPECT_EQ(Eval("concat", {A(T::Bigint(), "[1]"), A(T::Varchar(), "[\"a\"]")}),
            "error: Unexpected parameters (array(bigint), array(varchar)) for function concat. "
            "Expected: concat(array(T), ...), array(T) || T, T || array(T)");
}

}  // namespace
}  // namespace trailbook::sql
