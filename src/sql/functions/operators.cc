// Arithmetic, comparison and LIKE operators: "$add", "$subtract", "$multiply", "$divide",
// "$modulo", "$negate", "$eq", "$ne", "$lt", "$le", "$gt", "$ge", "$like".
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/timestamp.h"
#include "sql/functions/calendar.h"
#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/kernel_templates.h"
#include "sql/functions/like_pattern.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

// ---- bigint arithmetic (overflow is an error, with Trino's messages) ----

Status Overflow(std::string_view op, int64_t a, std::string_view symbol, int64_t b) {
  return InvalidArgument("bigint " + std::string(op) + " overflow: " + std::to_string(a) + " " +
                         std::string(symbol) + " " + std::to_string(b));
}

Result<int64_t> AddBigint(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return Overflow("addition", a, "+", b);
  return r;
}
Result<int64_t> SubtractBigint(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return Overflow("subtraction", a, "-", b);
  return r;
}
Result<int64_t> MultiplyBigint(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return Overflow("multiplication", a, "*", b);
  return r;
}
Result<int64_t> DivideBigint(int64_t a, int64_t b) {
  if (b == 0) return InvalidArgument("Division by zero");
  if (a == INT64_MIN && b == -1) return Overflow("division", a, "/", b);
  return a / b;  // Truncates toward zero, as Trino.
}
Result<int64_t> ModuloBigint(int64_t a, int64_t b) {
  if (b == 0) return InvalidArgument("Division by zero");
  if (b == -1) return int64_t{0};
  return a % b;  // Sign of the dividend, as Trino.
}
Result<int64_t> NegateBigint(int64_t a) {
  if (a == INT64_MIN) return InvalidArgument("bigint negation overflow: " + std::to_string(a));
  return -a;
}

// ---- time arithmetic ----

Status TimestampOutOfRange() { return InvalidArgument("timestamp out of range"); }

Result<int64_t> AddMicros(int64_t ts, int64_t delta) {
  int64_t r;
  if (__builtin_add_overflow(ts, delta, &r)) return TimestampOutOfRange();
  return r;
}
Result<int64_t> SubtractMicros(int64_t ts, int64_t delta) {
  int64_t r;
  if (__builtin_sub_overflow(ts, delta, &r)) return TimestampOutOfRange();
  return r;
}
Result<int64_t> DateAddDayTime(int64_t days, int64_t micros) {
  if (micros % kMicrosPerDay != 0) {
    return InvalidArgument("Cannot add hour, minute or second to a date");
  }
  int64_t r;
  if (__builtin_add_overflow(days, micros / kMicrosPerDay, &r)) return TimestampOutOfRange();
  return r;
}
Result<int64_t> DateAddMonths(int64_t days, int64_t months) {
  return AddToDate(days, TimeUnit::kMonth, months);
}
Result<int64_t> NegateInterval(int64_t a) {
  if (a == INT64_MIN) return InvalidArgument("interval negation overflow");
  return -a;
}
Result<int64_t> IntervalTimesDouble(int64_t a, double b) {
  double r = static_cast<double>(a) * b;
  if (!std::isfinite(r) || r >= 9.2233720368547758e18 || r < -9.2233720368547758e18) {
    return InvalidArgument("interval multiplication overflow");
  }
  return static_cast<int64_t>(std::llround(r));
}
Result<int64_t> IntervalDividedByDouble(int64_t a, double b) {
  if (b == 0) return InvalidArgument("Division by zero");
  return IntervalTimesDouble(a, 1.0 / b);
}

// Wraps an infallible or fallible binary operation on one physical type.
template <typename R, typename A, typename B, typename Op>
Signature Binary(LogicalType a, LogicalType b, LogicalType r, Op op) {
  return Signature{{std::move(a), std::move(b)}, std::move(r), RowKernel<R, A, B>(op)};
}

void RegisterArithmetic(FunctionRegistry& registry) {
  const T ids = T::IntervalDayTime();
  const T iym = T::IntervalYearMonth();
  auto swap = [](auto f) { return [f](auto a, auto b) { return f(b, a); }; };
  auto interval_times = [](int64_t a, int64_t b) -> Result<int64_t> {
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r))
      return InvalidArgument("interval multiplication overflow");
    return r;
  };
  auto interval_add = [](int64_t a, int64_t b) -> Result<int64_t> {
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) return InvalidArgument("interval addition overflow");
    return r;
  };
  auto interval_sub = [](int64_t a, int64_t b) -> Result<int64_t> {
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) return InvalidArgument("interval subtraction overflow");
    return r;
  };

  registry.AddScalar(
      "$add",
      BindSignatures(
          "$add",
          {Binary<int64_t, int64_t, int64_t>(T::Bigint(), T::Bigint(), T::Bigint(), AddBigint),
           Binary<double, double, double>(T::Double(), T::Double(), T::Double(),
                                          [](double a, double b) { return a + b; }),
           Binary<int64_t, int64_t, int64_t>(T::Timestamp(), ids, T::Timestamp(), AddMicros),
           Binary<int64_t, int64_t, int64_t>(ids, T::Timestamp(), T::Timestamp(), swap(AddMicros)),
           Binary<int64_t, int64_t, int64_t>(T::Timestamp(), iym, T::Timestamp(), AddMonths),
           Binary<int64_t, int64_t, int64_t>(iym, T::Timestamp(), T::Timestamp(), swap(AddMonths)),
           Binary<int64_t, int64_t, int64_t>(T::Date(), ids, T::Date(), DateAddDayTime),
           Binary<int64_t, int64_t, int64_t>(ids, T::Date(), T::Date(), swap(DateAddDayTime)),
           Binary<int64_t, int64_t, int64_t>(T::Date(), iym, T::Date(), DateAddMonths),
           Binary<int64_t, int64_t, int64_t>(iym, T::Date(), T::Date(), swap(DateAddMonths)),
           Binary<int64_t, int64_t, int64_t>(ids, ids, ids, interval_add),
           Binary<int64_t, int64_t, int64_t>(iym, iym, iym, interval_add)}));

  auto date_sub_day_time = [](int64_t d, int64_t us) -> Result<int64_t> {
    if (us == INT64_MIN) return TimestampOutOfRange();
    return DateAddDayTime(d, -us);
  };
  auto date_sub_months = [](int64_t d, int64_t m) -> Result<int64_t> {
    if (m == INT64_MIN) return TimestampOutOfRange();
    return DateAddMonths(d, -m);
  };
  auto ts_sub_months = [](int64_t ts, int64_t m) -> Result<int64_t> {
    if (m == INT64_MIN) return TimestampOutOfRange();
    return AddMonths(ts, -m);
  };
  registry.AddScalar(
      "$subtract",
      BindSignatures(
          "$subtract",
          {Binary<int64_t, int64_t, int64_t>(T::Bigint(), T::Bigint(), T::Bigint(), SubtractBigint),
           Binary<double, double, double>(T::Double(), T::Double(), T::Double(),
                                          [](double a, double b) { return a - b; }),
           Binary<int64_t, int64_t, int64_t>(T::Timestamp(), ids, T::Timestamp(), SubtractMicros),
           Binary<int64_t, int64_t, int64_t>(T::Timestamp(), iym, T::Timestamp(), ts_sub_months),
           Binary<int64_t, int64_t, int64_t>(T::Timestamp(), T::Timestamp(), ids,
                                             [](int64_t a, int64_t b) -> Result<int64_t> {
                                               int64_t r;
                                               if (__builtin_sub_overflow(a, b, &r)) {
                                                 return InvalidArgument(
                                                     "interval day to second overflow");
                                               }
                                               return r;
                                             }),
           Binary<int64_t, int64_t, int64_t>(T::Date(), ids, T::Date(), date_sub_day_time),
           Binary<int64_t, int64_t, int64_t>(T::Date(), iym, T::Date(), date_sub_months),
           Binary<int64_t, int64_t, int64_t>(ids, ids, ids, interval_sub),
           Binary<int64_t, int64_t, int64_t>(iym, iym, iym, interval_sub)}));

  registry.AddScalar(
      "$multiply",
      BindSignatures(
          "$multiply",
          {Binary<int64_t, int64_t, int64_t>(T::Bigint(), T::Bigint(), T::Bigint(), MultiplyBigint),
           Binary<double, double, double>(T::Double(), T::Double(), T::Double(),
                                          [](double a, double b) { return a * b; }),
           Binary<int64_t, int64_t, int64_t>(ids, T::Bigint(), ids, interval_times),
           Binary<int64_t, int64_t, int64_t>(T::Bigint(), ids, ids, swap(interval_times)),
           Binary<int64_t, int64_t, int64_t>(iym, T::Bigint(), iym, interval_times),
           Binary<int64_t, int64_t, int64_t>(T::Bigint(), iym, iym, swap(interval_times)),
           Binary<int64_t, int64_t, double>(ids, T::Double(), ids, IntervalTimesDouble),
           Binary<int64_t, double, int64_t>(T::Double(), ids, ids, swap(IntervalTimesDouble)),
           Binary<int64_t, int64_t, double>(iym, T::Double(), iym, IntervalTimesDouble),
           Binary<int64_t, double, int64_t>(T::Double(), iym, iym, swap(IntervalTimesDouble))}));

  registry.AddScalar(
      "$divide",
      BindSignatures(
          "$divide",
          {Binary<int64_t, int64_t, int64_t>(T::Bigint(), T::Bigint(), T::Bigint(), DivideBigint),
           Binary<double, double, double>(T::Double(), T::Double(), T::Double(),
                                          [](double a, double b) { return a / b; }),
           Binary<int64_t, int64_t, double>(ids, T::Double(), ids, IntervalDividedByDouble),
           Binary<int64_t, int64_t, double>(iym, T::Double(), iym, IntervalDividedByDouble)}));

  registry.AddScalar(
      "$modulo",
      BindSignatures(
          "$modulo",
          {Binary<int64_t, int64_t, int64_t>(T::Bigint(), T::Bigint(), T::Bigint(), ModuloBigint),
           Binary<double, double, double>(T::Double(), T::Double(), T::Double(),
                                          [](double a, double b) { return std::fmod(a, b); })}));

  registry.AddScalar(
      "$negate",
      BindSignatures(
          "$negate",
          {{{T::Bigint()}, T::Bigint(), RowKernel<int64_t, int64_t>(NegateBigint)},
           {{T::Double()}, T::Double(), RowKernel<double, double>([](double a) { return -a; })},
           {{ids}, ids, RowKernel<int64_t, int64_t>(NegateInterval)},
           {{iym}, iym, RowKernel<int64_t, int64_t>(NegateInterval)}}));
}

// ---- comparisons ----

// Comparison signatures over every comparable scalar type, for one comparator.
template <typename Cmp>
std::vector<Signature> ComparisonSignatures(Cmp cmp, bool ordering) {
  auto sig = [&]<typename V>(LogicalType t) {
    return Signature{
        {t, t}, T::Boolean(), RowKernel<bool, V, V>([cmp](V a, V b) { return cmp(a, b); })};
  };
  std::vector<Signature> s = {
      sig.template operator()<int64_t>(T::Bigint()),
      sig.template operator()<double>(T::Double()),
      sig.template operator()<std::string_view>(T::Varchar()),
      sig.template operator()<bool>(T::Boolean()),
      sig.template operator()<int64_t>(T::Timestamp()),
      sig.template operator()<int64_t>(T::Date()),
      sig.template operator()<int64_t>(T::IntervalDayTime()),
      sig.template operator()<int64_t>(T::IntervalYearMonth()),
  };
  if (!ordering) s.push_back(sig.template operator()<std::string_view>(T::Json()));
  return s;
}

// Binds a comparison: scalars through their signatures; for "$eq"/"$ne", two nested values of
// compatible types compare by their canonical JSON text.
template <typename Cmp>
ScalarBind ComparisonBind(std::string name, Cmp cmp, bool ordering) {
  ScalarBind scalar = BindSignatures(name, ComparisonSignatures(cmp, ordering));
  return [scalar, cmp, ordering](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    if (!ordering && in.arg_types.size() == 2 &&
        (in.arg_types[0].IsNested() || in.arg_types[1].IsNested())) {
      TB_RETURN_IF_ERROR(RejectLambdas(in));
      LogicalType common = CommonSuperType(in.arg_types[0], in.arg_types[1]);
      if (!common.IsNested()) return UnexpectedParameters(in, "");
      BoundScalarFunction b;
      b.arg_types = {common, common};
      b.return_type = T::Boolean();
      b.kernel = RowKernel<bool, std::string_view, std::string_view>(
          [cmp](std::string_view a, std::string_view c) { return cmp(a, c); });
      b.lambda_params.assign(2, {});
      return b;
    }
    return scalar(in);
  };
}

void RegisterComparisons(FunctionRegistry& registry) {
  registry.AddScalar("$eq", ComparisonBind("$eq", std::equal_to<>(), false));
  registry.AddScalar("$ne", ComparisonBind("$ne", std::not_equal_to<>(), false));
  registry.AddScalar("$lt", ComparisonBind("$lt", std::less<>(), true));
  registry.AddScalar("$le", ComparisonBind("$le", std::less_equal<>(), true));
  registry.AddScalar("$gt", ComparisonBind("$gt", std::greater<>(), true));
  registry.AddScalar("$ge", ComparisonBind("$ge", std::greater_equal<>(), true));
}

// ---- LIKE ----

// Compiles patterns met at run time, remembering the last one (patterns usually repeat).
class LikeCache {
 public:
  Result<const LikePattern*> Get(std::string_view pattern, std::optional<std::string_view> escape) {
    if (!compiled_ || pattern != pattern_ || escape.has_value() != has_escape_ ||
        (escape && *escape != escape_)) {
      TB_ASSIGN_OR_RETURN(LikePattern p, LikePattern::Compile(pattern, escape));
      compiled_ = std::move(p);
      pattern_.assign(pattern);
      has_escape_ = escape.has_value();
      escape_.assign(escape.value_or(""));
    }
    return &*compiled_;
  }

 private:
  std::optional<LikePattern> compiled_;
  std::string pattern_;
  bool has_escape_ = false;
  std::string escape_;
};

Result<BoundScalarFunction> BindLike(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  const size_t n = in.arg_types.size();
  auto textual = [](const LogicalType& t) {
    return t.id() == TypeId::kVarchar || t.id() == TypeId::kUnknown;
  };
  if ((n != 2 && n != 3) || !textual(in.arg_types[0]) || !textual(in.arg_types[1]) ||
      (n == 3 && !textual(in.arg_types[2]))) {
    return UnexpectedParameters(in, "");
  }
  BoundScalarFunction b;
  b.arg_types.assign(n, T::Varchar());
  b.return_type = T::Boolean();
  b.lambda_params.assign(n, {});
  const Value* pattern = ConstantArg(in, 1);
  const Value* escape = n == 3 ? ConstantArg(in, 2) : nullptr;
  if (pattern != nullptr && (n == 2 || escape != nullptr)) {
    if (pattern->is_null() || (escape != nullptr && escape->is_null())) {
      b.kernel = NullKernel();
      return b;
    }
    std::optional<std::string_view> esc;
    if (escape != nullptr) esc = escape->string_value();
    TB_ASSIGN_OR_RETURN(LikePattern compiled, LikePattern::Compile(pattern->string_value(), esc));
    b.bind_data = std::make_shared<const LikePattern>(std::move(compiled));
    b.kernel = [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                  const void* data) -> Status {
      const auto& p = *static_cast<const LikePattern*>(data);
      // Pattern and escape columns are constant here; only the value varies.
      Vector* value_only[] = {args[0]};
      return MapRows<bool, std::string_view>(value_only, rows, out,
                                             [&](std::string_view s) { return p.Matches(s); });
    };
    return b;
  }
  if (n == 2) {
    b.kernel = [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                  const void*) -> Status {
      LikeCache cache;
      return MapRows<bool, std::string_view, std::string_view>(
          args, rows, out, [&](std::string_view s, std::string_view p) -> Result<bool> {
            TB_ASSIGN_OR_RETURN(const LikePattern* compiled, cache.Get(p, std::nullopt));
            return compiled->Matches(s);
          });
    };
  } else {
    b.kernel = [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                  const void*) -> Status {
      LikeCache cache;
      return MapRows<bool, std::string_view, std::string_view, std::string_view>(
          args, rows, out,
          [&](std::string_view s, std::string_view p, std::string_view e) -> Result<bool> {
            TB_ASSIGN_OR_RETURN(const LikePattern* compiled, cache.Get(p, e));
            return compiled->Matches(s);
          });
    };
  }
  return b;
}

}  // namespace

void RegisterOperators(FunctionRegistry& registry) {
  RegisterArithmetic(registry);
  RegisterComparisons(registry);
  registry.AddScalar("$like", BindLike);
}

}  // namespace trailbook::sql
