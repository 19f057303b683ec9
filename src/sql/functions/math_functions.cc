// Math functions: abs, round, ceil/ceiling, floor, truncate, sign, mod, power/pow, sqrt, cbrt,
// exp, ln, log2, log10, log, pi, e, infinity, nan, is_nan, is_finite, is_infinite, random/rand.
#include <cmath>
#include <numbers>
#include <random>

#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/kernel_templates.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

Signature DoubleToDouble(double (*f)(double)) {
  return {{T::Double()}, T::Double(), RowKernel<double, double>(f)};
}

// Trino's round(x, d) for doubles: half away from zero at the d-th decimal.
double RoundDouble(double x, int64_t digits) {
  if (!std::isfinite(x)) return x;
  if (digits > 308) return x;
  if (digits < -308) return 0.0 * x;
  double factor = std::pow(10.0, static_cast<double>(digits));
  double scaled = x * factor;
  // Beyond 2^52 a double has no fractional part: nothing to round.
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 4503599627370496.0) return x;
  double r = std::round(scaled) / factor;
  return r == 0 ? 0.0 * x : r;  // Keep the sign of -0.4 -> -0.0 as Java does.
}

Result<int64_t> RoundBigint(int64_t x, int64_t digits) {
  if (digits >= 0) return x;
  if (digits < -18) return int64_t{0};
  int64_t factor = 1;
  for (int64_t i = 0; i < -digits; ++i) factor *= 10;
  int64_t rem = x % factor;  // Has the sign of x.
  int64_t base = x - rem;
  int64_t magnitude = rem < 0 ? -rem : rem;
  if (2 * magnitude < factor) return base;
  int64_t r;
  if (__builtin_add_overflow(base, rem < 0 ? -factor : factor, &r)) {
    return InvalidArgument("bigint overflow in round: " + std::to_string(x));
  }
  return r;
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& registry) {
  registry.AddScalar(
      "abs",
      BindSignatures("abs", {{{T::Bigint()},
                              T::Bigint(),
                              RowKernel<int64_t, int64_t>([](int64_t x) -> Result<int64_t> {
                                if (x == INT64_MIN) {
                                  return InvalidArgument(
                                      "Value -9223372036854775808 is out of range for abs(bigint)");
                                }
                                return x < 0 ? -x : x;
                              })},
                             DoubleToDouble([](double x) { return std::fabs(x); })}));

  registry.AddScalar(
      "round",
      BindSignatures(
          "round",
          {{{T::Bigint()}, T::Bigint(), RowKernel<int64_t, int64_t>([](int64_t x) { return x; })},
           DoubleToDouble([](double x) { return RoundDouble(x, 0); }),
           {{T::Bigint(), T::Bigint()},
            T::Bigint(),
            RowKernel<int64_t, int64_t, int64_t>(RoundBigint)},
           {{T::Double(), T::Bigint()},
            T::Double(),
            RowKernel<double, double, int64_t>(RoundDouble)}}));

  for (const char* name : {"ceil", "ceiling"}) {
    registry.AddScalar(
        name,
        BindSignatures(
            name,
            {{{T::Bigint()}, T::Bigint(), RowKernel<int64_t, int64_t>([](int64_t x) { return x; })},
             DoubleToDouble([](double x) { return std::ceil(x); })}));
  }
  registry.AddScalar(
      "floor",
      BindSignatures(
          "floor",
          {{{T::Bigint()}, T::Bigint(), RowKernel<int64_t, int64_t>([](int64_t x) { return x; })},
           DoubleToDouble([](double x) { return std::floor(x); })}));
  registry.AddScalar(
      "truncate",
      BindSignatures("truncate", {DoubleToDouble([](double x) { return std::trunc(x); })}));

  registry.AddScalar(
      "sign", BindSignatures(
                  "sign", {{{T::Bigint()}, T::Bigint(), RowKernel<int64_t, int64_t>([](int64_t x) {
                              return int64_t{(x > 0) - (x < 0)};
                            })},
                           DoubleToDouble([](double x) {
                             if (std::isnan(x)) return x;
                             return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
                           })}));

  registry.AddScalar(
      "mod", BindSignatures("mod", {{{T::Bigint(), T::Bigint()},
                                     T::Bigint(),
                                     RowKernel<int64_t, int64_t, int64_t>(
                                         [](int64_t a, int64_t b) -> Result<int64_t> {
                                           if (b == 0) return InvalidArgument("Division by zero");
                                           if (b == -1) return int64_t{0};
                                           return a % b;
                                         })},
                                    {{T::Double(), T::Double()},
                                     T::Double(),
                                     RowKernel<double, double, double>(
                                         [](double a, double b) { return std::fmod(a, b); })}}));

  for (const char* name : {"power", "pow"}) {
    registry.AddScalar(
        name, BindSignatures(name, {{{T::Double(), T::Double()},
                                     T::Double(),
                                     RowKernel<double, double, double>(
                                         [](double a, double b) { return std::pow(a, b); })}}));
  }
  registry.AddScalar(
      "sqrt", BindSignatures("sqrt", {DoubleToDouble([](double x) { return std::sqrt(x); })}));
  registry.AddScalar(
      "cbrt", BindSignatures("cbrt", {DoubleToDouble([](double x) { return std::cbrt(x); })}));
  registry.AddScalar("exp",
                     BindSignatures("exp", {DoubleToDouble([](double x) { return std::exp(x); })}));
  registry.AddScalar("ln",
                     BindSignatures("ln", {DoubleToDouble([](double x) { return std::log(x); })}));
  registry.AddScalar(
      "log2", BindSignatures("log2", {DoubleToDouble([](double x) { return std::log2(x); })}));
  registry.AddScalar(
      "log10", BindSignatures("log10", {DoubleToDouble([](double x) { return std::log10(x); })}));
  registry.AddScalar(
      "log", BindSignatures("log", {{{T::Double(), T::Double()},
                                     T::Double(),
                                     RowKernel<double, double, double>([](double base, double x) {
                                       return std::log(x) / std::log(base);
                                     })}}));

  auto constant = [](double v) {
    return Signature{{}, T::Double(), RowKernel<double>([v]() { return v; })};
  };
  registry.AddScalar("pi", BindSignatures("pi", {constant(std::numbers::pi)}));
  registry.AddScalar("e", BindSignatures("e", {constant(std::numbers::e)}));
  registry.AddScalar("infinity", BindSignatures("infinity", {constant(HUGE_VAL)}));
  registry.AddScalar("nan", BindSignatures("nan", {constant(std::nan(""))}));
  registry.AddScalar(
      "is_nan",
      BindSignatures("is_nan", {{{T::Double()}, T::Boolean(), RowKernel<bool, double>([](double x) {
                                   return static_cast<bool>(std::isnan(x));
                                 })}}));
  registry.AddScalar(
      "is_finite",
      BindSignatures("is_finite",
                     {{{T::Double()}, T::Boolean(), RowKernel<bool, double>([](double x) {
                         return static_cast<bool>(std::isfinite(x));
                       })}}));
  registry.AddScalar(
      "is_infinite",
      BindSignatures("is_infinite",
                     {{{T::Double()}, T::Boolean(), RowKernel<bool, double>([](double x) {
                         return static_cast<bool>(std::isinf(x));
                       })}}));

  // random() in [0, 1) and random(n) in [0, n); a generator per batch, seeded from the OS.
  for (const char* name : {"random", "rand"}) {
    Signature unit{{},
                   T::Double(),
                   BatchKernel<double>([] {
                     return [gen = std::mt19937_64(std::random_device()()),
                             dist = std::uniform_real_distribution<double>(0.0, 1.0)]() mutable {
                       return dist(gen);
                     };
                   }),
                   false,
                   false};
    Signature bounded{{T::Bigint()},
                      T::Bigint(),
                      BatchKernel<int64_t, int64_t>([] {
                        return [gen = std::mt19937_64(std::random_device()())](
                                   int64_t n) mutable -> Result<int64_t> {
                          if (n <= 0) return InvalidArgument("bound must be positive");
                          return static_cast<int64_t>(gen() % static_cast<uint64_t>(n));
                        };
                      }),
                      false,
                      false};
    registry.AddScalar(name, BindSignatures(name, {unit, bounded}));
  }
}

}  // namespace trailbook::sql
