#include <gtest/gtest.h>

#include <cmath>

#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

TEST(MathFunctionsTest, Abs) {
  EXPECT_EQ(Eval("abs", {Value::Bigint(-5)}), "5");
  EXPECT_EQ(Eval("abs", {Value::Double(-1.5)}), "1.5");
  EXPECT_EQ(Eval("abs", {Value::Bigint(INT64_MIN)}),
            "error: Value -9223372036854775808 is out of range for abs(bigint)");
  EXPECT_EQ(Eval("abs", {Value::Null(T::Bigint())}), "NULL");
  EXPECT_EQ(Eval("abs", {Value::Varchar("x")}),
            "error: Unexpected parameters (varchar) for function abs. Expected: abs(bigint), "
            "abs(double)");
}

TEST(MathFunctionsTest, Round) {
  EXPECT_EQ(Eval("round", {Value::Double(2.5)}), "3");
  EXPECT_EQ(Eval("round", {Value::Double(-2.5)}), "-3");  // Half away from zero.
  EXPECT_EQ(Eval("round", {Value::Double(1.2345), Value::Bigint(2)}), "1.23");
  EXPECT_EQ(Eval("round", {Value::Double(1234.5), Value::Bigint(-2)}), "1200");
  EXPECT_EQ(Eval("round", {Value::Bigint(1250), Value::Bigint(-2)}), "1300");
  EXPECT_EQ(Eval("round", {Value::Bigint(-1250), Value::Bigint(-2)}), "-1300");
  EXPECT_EQ(Eval("round", {Value::Bigint(1249), Value::Bigint(-2)}), "1200");
  EXPECT_EQ(Eval("round", {Value::Bigint(7), Value::Bigint(3)}), "7");
  EXPECT_EQ(Eval("round", {Value::Bigint(INT64_MAX), Value::Bigint(-1)}),
            "error: bigint overflow in round: 9223372036854775807");
  EXPECT_EQ(Eval("round", {Value::Double(std::nan(""))}), "NaN");
  EXPECT_EQ(Eval("round", {Value::Double(1e300), Value::Bigint(2)}), "1e+300");
}

TEST(MathFunctionsTest, CeilFloorTruncateSign) {
  EXPECT_EQ(Eval("ceil", {Value::Double(1.2)}), "2");
  EXPECT_EQ(Eval("ceiling", {Value::Double(-1.2)}), "-1");
  EXPECT_EQ(Eval("floor", {Value::Double(-1.2)}), "-2");
  EXPECT_EQ(Eval("floor", {Value::Bigint(3)}), "3");
  EXPECT_EQ(Eval("truncate", {Value::Double(-1.7)}), "-1");
  EXPECT_EQ(Eval("sign", {Value::Bigint(-9)}), "-1");
  EXPECT_EQ(Eval("sign", {Value::Double(0)}), "0");
  EXPECT_EQ(Eval("sign", {Value::Double(2.5)}), "1");
}

TEST(MathFunctionsTest, ModPowerRootsLogs) {
  EXPECT_EQ(Eval("mod", {Value::Bigint(-7), Value::Bigint(3)}), "-1");
  EXPECT_EQ(Eval("mod", {Value::Bigint(7), Value::Bigint(0)}), "error: Division by zero");
  EXPECT_EQ(Eval("mod", {Value::Double(7.5), Value::Double(2)}), "1.5");
  EXPECT_EQ(Eval("power", {Value::Bigint(2), Value::Bigint(10)}), "1024");
  EXPECT_EQ(Eval("pow", {Value::Double(4), Value::Double(0.5)}), "2");
  EXPECT_EQ(Eval("sqrt", {Value::Bigint(16)}), "4");
  EXPECT_EQ(Eval("sqrt", {Value::Double(-1)}), "NaN");
  EXPECT_NEAR(EvalScalar("cbrt", {Value::Double(27)})->double_value(), 3.0, 1e-12);
  EXPECT_EQ(Eval("ln", {Value::Double(1)}), "0");
  EXPECT_EQ(Eval("ln", {Value::Double(0)}), "-Infinity");
  EXPECT_EQ(Eval("log10", {Value::Double(1000)}), "3");
  EXPECT_EQ(Eval("log2", {Value::Double(8)}), "3");
  EXPECT_EQ(Eval("log", {Value::Double(2), Value::Double(4)}), "2");
  EXPECT_EQ(Eval("exp", {Value::Double(0)}), "1");
}

TEST(MathFunctionsTest, Constants) {
  EXPECT_EQ(Eval("pi", {}), "3.141592653589793");
  EXPECT_EQ(Eval("e", {}), "2.718281828459045");
  EXPECT_EQ(Eval("infinity", {}), "Infinity");
  EXPECT_EQ(Eval("nan", {}), "NaN");
  EXPECT_EQ(Eval("is_nan", {Value::Double(std::nan(""))}), "true");
  EXPECT_EQ(Eval("is_finite", {Value::Double(1)}), "true");
  EXPECT_EQ(Eval("is_infinite", {Value::Double(HUGE_VAL)}), "true");
}

TEST(MathFunctionsTest, RandomIsInRange) {
  Result<std::vector<Value>> r =
      EvalColumns("random", {std::vector<Value>(100, Value::Bigint(10))});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const Value& v : *r) {
    EXPECT_GE(v.int_value(), 0);
    EXPECT_LT(v.int_value(), 10);
  }
  EXPECT_EQ(Eval("random", {Value::Bigint(0)}), "error: bound must be positive");
  EXPECT_EQ(BindResultType("rand", {})->ToString(), "double");
}

}  // namespace
}  // namespace trailbook::sql
