#include <gtest/gtest.h>

#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

TEST(ConditionalFunctionsTest, Coalesce) {
  EXPECT_EQ(Eval("coalesce", {Value::Null(T::Varchar()), Value::Varchar("b"), Value::Varchar("c")}),
            "b");
  EXPECT_EQ(Eval("coalesce", {Value(), Value()}), "NULL");
  EXPECT_EQ(Eval("coalesce", {Value::Varchar("")}), "");
  EXPECT_EQ(Eval("coalesce", {Value::Null(T::Bigint()), Value::Double(1.5)}), "1.5");
  EXPECT_EQ(BindResultType("coalesce", {T::Bigint(), T::Double()})->ToString(), "double");
  EXPECT_EQ(Eval("coalesce", {Value::Varchar("a"), Value::Bigint(1)}),
            "error: Unexpected parameters (varchar, bigint) for function coalesce. Expected: "
            "coalesce(T, T, ...)");
  EXPECT_EQ(Eval("coalesce", {}),
            "error: Unexpected parameters () for function coalesce. Expected: coalesce(T, T, ...)");
}

TEST(ConditionalFunctionsTest, CoalesceOverColumns) {
  Result<std::vector<Value>> r =
      EvalColumns("coalesce", {{Value::Null(T::Varchar()), Value::Varchar("x")},
                               {Value::Varchar("y"), Value::Varchar("z")}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].ToString(), "y");
  EXPECT_EQ((*r)[1].ToString(), "x");
}

TEST(ConditionalFunctionsTest, If) {
  EXPECT_EQ(Eval("if", {Value::Boolean(true), Value::Bigint(1), Value::Bigint(2)}), "1");
  EXPECT_EQ(Eval("if", {Value::Boolean(false), Value::Bigint(1), Value::Bigint(2)}), "2");
  EXPECT_EQ(Eval("if", {Value::Null(T::Boolean()), Value::Bigint(1), Value::Bigint(2)}), "2");
  EXPECT_EQ(Eval("if", {Value::Boolean(false), Value::Varchar("a")}), "NULL");
  EXPECT_EQ(Eval("if", {Value::Boolean(true), Value::Varchar("a")}), "a");
  EXPECT_EQ(Eval("if", {Value::Boolean(true), Value::Bigint(1), Value::Double(2.5)}), "1");
  EXPECT_EQ(BindResultType("if", {T::Boolean(), T::Bigint(), T::Double()})->ToString(), "double");
  EXPECT_EQ(Eval("if", {Value::Bigint(1), Value::Bigint(1)}),
            "error: Unexpected parameters (bigint, bigint) for function if. Expected: if(boolean, "
            "T[, T])");
}

TEST(ConditionalFunctionsTest, NullIf) {
  EXPECT_EQ(Eval("nullif", {Value::Varchar("a"), Value::Varchar("a")}), "NULL");
  EXPECT_EQ(Eval("nullif", {Value::Varchar("a"), Value::Varchar("b")}), "a");
  EXPECT_EQ(Eval("nullif", {Value::Varchar("a"), Value::Null(T::Varchar())}), "a");
  EXPECT_EQ(Eval("nullif", {Value::Null(T::Bigint()), Value::Bigint(1)}), "NULL");
  EXPECT_EQ(Eval("nullif", {Value::Bigint(1), Value::Double(1.0)}), "NULL");
}

TEST(ConditionalFunctionsTest, GreatestLeast) {
  EXPECT_EQ(Eval("greatest", {Value::Bigint(1), Value::Bigint(5), Value::Bigint(3)}), "5");
  EXPECT_EQ(Eval("least", {Value::Bigint(1), Value::Bigint(5), Value::Bigint(3)}), "1");
  EXPECT_EQ(Eval("greatest", {Value::Varchar("apple"), Value::Varchar("banana")}), "banana");
  EXPECT_EQ(Eval("least", {Value::Bigint(2), Value::Double(1.5)}), "1.5");
  EXPECT_EQ(Eval("greatest", {Value::Bigint(1), Value::Null(T::Bigint())}), "NULL");
  EXPECT_EQ(Eval("greatest", {Value::FromText(T::Json(), "1"), Value::FromText(T::Json(), "2")}),
            "error: Unexpected parameters (json, json) for function greatest. Expected: "
            "greatest(T, T, ...)");
}

}  // namespace
}  // namespace trailbook::sql
