// Date and time functions, all in UTC: date, date_trunc, date_add, date_diff,
// from_iso8601_timestamp, from_iso8601_date, to_iso8601, now, current_timestamp,
// current_date, localtimestamp, year, quarter, month, week, day, day_of_week, day_of_year,
// year_of_week, hour, minute, second, millisecond, last_day_of_month, date_format,
// date_parse, format_datetime, from_unixtime, to_unixtime, at_timezone.
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "base/timestamp.h"
#include "sql/functions/calendar.h"
#include "sql/functions/cast_functions.h"
#include "sql/functions/datetime_format.h"
#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/kernel_templates.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;
using SV = std::string_view;

// The unit argument of date_trunc/date_add/date_diff: parsed at bind time when constant.
class UnitSource {
 public:
  explicit UnitSource(const void* bind_data) : fixed_(static_cast<const TimeUnit*>(bind_data)) {}
  Result<TimeUnit> Get(SV text, bool date) {
    TimeUnit unit;
    if (fixed_ != nullptr) {
      unit = *fixed_;
    } else {
      TB_ASSIGN_OR_RETURN(unit, ParseTimeUnit(text));
    }
    if (date && !IsDateUnit(unit)) {
      return InvalidArgument("'" + std::string(text) + "' is not a valid DATE field");
    }
    return unit;
  }

 private:
  const TimeUnit* fixed_;
};

// Binds f(unit varchar, ...) via `signatures`, parsing a constant unit into bind_data and
// checking it against DATE arguments.
ScalarBind UnitBind(std::string name, std::vector<Signature> signatures) {
  ScalarBind by_signature = BindSignatures(std::move(name), std::move(signatures));
  return [by_signature](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_ASSIGN_OR_RETURN(BoundScalarFunction b, by_signature(in));
    const Value* unit = ConstantArg(in, 0);
    if (unit == nullptr) return b;
    if (unit->is_null()) {
      b.kernel = NullKernel();
      return b;
    }
    TB_ASSIGN_OR_RETURN(TimeUnit parsed, ParseTimeUnit(unit->string_value()));
    if (b.return_type.id() == TypeId::kDate && !IsDateUnit(parsed)) {
      return InvalidArgument("'" + unit->string_value() + "' is not a valid DATE field");
    }
    b.bind_data = std::make_shared<const TimeUnit>(parsed);
    return b;
  };
}

template <typename R, typename... A, typename Op>
ScalarKernel UnitKernel(bool date, Op op) {
  return [date, op](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                    const void* bind_data) -> Status {
    UnitSource units(bind_data);
    return MapRows<R, SV, A...>(args, rows, out, [&](SV unit_text, A... a) -> Result<R> {
      TB_ASSIGN_OR_RETURN(TimeUnit unit, units.Get(unit_text, date));
      return op(unit, a...);
    });
  };
}

// A field extractor over timestamps and dates.
template <typename F>
std::vector<Signature> FieldSignatures(F field, bool date_too = true) {
  std::vector<Signature> s = {
      {{T::Timestamp()}, T::Bigint(), RowKernel<int64_t, int64_t>([field](int64_t us) {
         return field(us);
       })}};
  if (date_too) {
    s.push_back({{T::Date()}, T::Bigint(), RowKernel<int64_t, int64_t>([field](int64_t d) {
                   return field(d * kMicrosPerDay);
                 })});
  }
  return s;
}

void RegisterField(FunctionRegistry& registry, std::initializer_list<const char*> names,
                   std::vector<Signature> signatures) {
  for (const char* name : names) registry.AddScalar(name, BindSignatures(name, signatures));
}

Result<int64_t> FromIso8601Timestamp(SV s) {
  std::optional<int64_t> us = ParseTimestamp(s);
  // ISO 8601 needs the 'T' (a space is the SQL form, which CAST accepts).
  if (!us || (s.size() > 10 && s[10] == ' ')) {
    return InvalidArgument("Invalid format: \"" + std::string(s) + "\"");
  }
  return *us;
}

Result<int64_t> FromIso8601Date(SV s) {
  std::optional<int64_t> us = s.size() == 10 ? ParseTimestamp(s) : std::nullopt;
  if (!us) return InvalidArgument("Invalid format: \"" + std::string(s) + "\"");
  return DayOf(*us);
}

Result<int64_t> FromUnixtime(double seconds) {
  double us = std::floor(seconds * 1e6 + 0.5);
  if (!std::isfinite(us) || us >= 9.2233720368547758e18 || us < -9.2233720368547758e18) {
    return InvalidArgument("timestamp out of range");
  }
  return static_cast<int64_t>(us);
}

bool IsUtcZone(SV zone) {
  for (SV utc : {"UTC", "utc", "Z", "GMT", "gmt", "+00:00", "-00:00", "Etc/UTC", "UCT", "Etc/GMT",
                 "Universal", "Zulu"}) {
    if (zone == utc) return true;
  }
  return false;
}

}  // namespace

void RegisterDatetimeFunctions(FunctionRegistry& registry) {
  const T ts = T::Timestamp();
  const T date = T::Date();
  const T v = T::Varchar();
  const T bigint = T::Bigint();

  registry.AddScalar(
      "date",
      BindSignatures(
          "date", {{{v}, date, RowKernel<int64_t, SV>(CastVarcharToDate)},
                   {{ts}, date, RowKernel<int64_t, int64_t>([](int64_t us) { return DayOf(us); })},
                   {{date}, date, RowKernel<int64_t, int64_t>([](int64_t d) { return d; })}}));

  registry.AddScalar(
      "date_trunc",
      UnitBind("date_trunc",
               {{{v, ts},
                 ts,
                 UnitKernel<int64_t, int64_t>(false,
                                              [](TimeUnit u, int64_t us) {
                                                return Result<int64_t>(TruncateTimestamp(us, u));
                                              })},
                {{v, date}, date, UnitKernel<int64_t, int64_t>(true, [](TimeUnit u, int64_t d) {
                   return Result<int64_t>(TruncateDate(d, u));
                 })}}));

  registry.AddScalar(
      "date_add",
      UnitBind(
          "date_add",
          {{{v, bigint, ts},
            ts,
            UnitKernel<int64_t, int64_t, int64_t>(
                false, [](TimeUnit u, int64_t n, int64_t us) { return AddToTimestamp(us, u, n); })},
           {{v, bigint, date},
            date,
            UnitKernel<int64_t, int64_t, int64_t>(
                true, [](TimeUnit u, int64_t n, int64_t d) { return AddToDate(d, u, n); })}}));

  registry.AddScalar(
      "date_diff",
      UnitBind("date_diff",
               {{{v, ts, ts},
                 bigint,
                 UnitKernel<int64_t, int64_t, int64_t>(
                     false, [](TimeUnit u, int64_t a,
                               int64_t b) { return Result<int64_t>(TimestampDiff(u, a, b)); })},
                {{v, date, date},
                 bigint,
                 UnitKernel<int64_t, int64_t, int64_t>(true, [](TimeUnit u, int64_t a, int64_t b) {
                   return Result<int64_t>(TimestampDiff(u, a * kMicrosPerDay, b * kMicrosPerDay));
                 })}}));

  registry.AddScalar("from_iso8601_timestamp",
                     BindSignatures("from_iso8601_timestamp",
                                    {{{v}, ts, RowKernel<int64_t, SV>(FromIso8601Timestamp)}}));
  registry.AddScalar(
      "from_iso8601_date",
      BindSignatures("from_iso8601_date", {{{v}, date, RowKernel<int64_t, SV>(FromIso8601Date)}}));
  registry.AddScalar(
      "to_iso8601",
      BindSignatures("to_iso8601",
                     {{{ts}, v, BatchKernel<SV, int64_t>([] {
                         return [buf = std::string()](int64_t us) mutable {
                           int64_t frac = FloorMod(us, kMicrosPerSecond);
                           buf = FormatTimestamp(us, frac % 1000 == 0 ? 3 : 6, 'T', true);
                           return SV(buf);
                         };
                       })},
                      {{date}, v, BatchKernel<SV, int64_t>([] {
                         return [buf = std::string()](int64_t d) mutable {
                           buf = FormatTimestamp(d * kMicrosPerDay, 0, 'T', false).substr(0, 10);
                           return SV(buf);
                         };
                       })}}));

  // now() is the query's start time, the same for every row and call in a query.
  auto now_kernel = [](bool as_date) -> ScalarKernel {
    return [as_date](std::span<Vector* const>, size_t rows, Vector& out, FunctionContext& ctx,
                     const void*) -> Status {
      out.Resize(rows);
      int64_t value = as_date ? DayOf(ctx.now_us) : ctx.now_us;
      for (size_t r = 0; r < rows; ++r) out.Data<int64_t>()[r] = value;
      return Status::OK();
    };
  };
  for (const char* name : {"now", "current_timestamp", "localtimestamp"}) {
    registry.AddScalar(name, BindSignatures(name, {{{}, ts, now_kernel(false), false, false}}));
  }
  registry.AddScalar("current_date",
                     BindSignatures("current_date", {{{}, date, now_kernel(true), false, false}}));

  RegisterField(registry, {"year"}, FieldSignatures([](int64_t us) { return ToCivil(us).year; }));
  RegisterField(registry, {"quarter"}, FieldSignatures([](int64_t us) {
                  return static_cast<int64_t>((ToCivil(us).month - 1) / 3 + 1);
                }));
  RegisterField(registry, {"month"}, FieldSignatures([](int64_t us) {
                  return static_cast<int64_t>(ToCivil(us).month);
                }));
  RegisterField(registry, {"week", "week_of_year"}, FieldSignatures([](int64_t us) {
                  return IsoWeekOfYear(FloorDiv(us, kMicrosPerDay));
                }));
  RegisterField(registry, {"year_of_week", "yow"}, FieldSignatures([](int64_t us) {
                  int64_t week_year;
                  IsoWeekOfYear(FloorDiv(us, kMicrosPerDay), &week_year);
                  return week_year;
                }));
  RegisterField(registry, {"day", "day_of_month"},
                FieldSignatures([](int64_t us) { return static_cast<int64_t>(ToCivil(us).day); }));
  RegisterField(registry, {"day_of_week", "dow"}, FieldSignatures([](int64_t us) {
                  return IsoDayOfWeek(FloorDiv(us, kMicrosPerDay));
                }));
  RegisterField(registry, {"day_of_year", "doy"},
                FieldSignatures([](int64_t us) { return DayOfYear(FloorDiv(us, kMicrosPerDay)); }));
  RegisterField(
      registry, {"hour"},
      FieldSignatures([](int64_t us) { return static_cast<int64_t>(ToCivil(us).hour); }, false));
  RegisterField(
      registry, {"minute"},
      FieldSignatures([](int64_t us) { return static_cast<int64_t>(ToCivil(us).minute); }, false));
  RegisterField(
      registry, {"second"},
      FieldSignatures([](int64_t us) { return static_cast<int64_t>(ToCivil(us).second); }, false));
  RegisterField(registry, {"millisecond"},
                FieldSignatures([](int64_t us) { return ToCivil(us).micros / 1000; }, false));

  registry.AddScalar(
      "last_day_of_month",
      BindSignatures("last_day_of_month",
                     {{{ts}, date, RowKernel<int64_t, int64_t>([](int64_t us) {
                         CivilTime t = ToCivil(us);
                         return DaysFromCivil(t.year, t.month, DaysInMonth(t.year, t.month));
                       })},
                      {{date}, date, RowKernel<int64_t, int64_t>([](int64_t d) {
                         CivilTime t = ToCivil(d * kMicrosPerDay);
                         return DaysFromCivil(t.year, t.month, DaysInMonth(t.year, t.month));
                       })}}));

  registry.AddScalar(
      "date_format",
      BindSignatures("date_format", {{{ts, v}, v, BatchKernel<SV, int64_t, SV>([] {
                                        return [buf = std::string()](int64_t us,
                                                                     SV f) mutable -> Result<SV> {
                                          buf.clear();
                                          TB_RETURN_IF_ERROR(FormatMysql(us, f, &buf));
                                          return SV(buf);
                                        };
                                      })}}));
  registry.AddScalar(
      "date_parse",
      BindSignatures("date_parse", {{{v, v}, ts, RowKernel<int64_t, SV, SV>(ParseMysql)}}));
  registry.AddScalar(
      "format_datetime",
      BindSignatures("format_datetime", {{{ts, v}, v, BatchKernel<SV, int64_t, SV>([] {
                                            return [buf = std::string()](
                                                       int64_t us, SV f) mutable -> Result<SV> {
                                              buf.clear();
                                              TB_RETURN_IF_ERROR(FormatJoda(us, f, &buf));
                                              return SV(buf);
                                            };
                                          })}}));

  registry.AddScalar(
      "from_unixtime",
      BindSignatures("from_unixtime",
                     {{{T::Double()}, ts, RowKernel<int64_t, double>(FromUnixtime)}}));
  registry.AddScalar(
      "to_unixtime",
      BindSignatures("to_unixtime", {{{ts}, T::Double(), RowKernel<double, int64_t>([](int64_t us) {
                                        return static_cast<double>(us) / 1e6;
                                      })}}));

  // at_timezone(ts, zone) and `ts AT TIME ZONE zone`: trailbook computes in UTC, so only UTC
  // (and its aliases) is accepted; any other zone is an error rather than a silent shift.
  registry.AddScalar(
      "at_timezone",
      BindSignatures("at_timezone",
                     {{{ts, v},
                       ts,
                       RowKernel<int64_t, int64_t, SV>([](int64_t us, SV zone) -> Result<int64_t> {
                         if (!IsUtcZone(zone)) {
                           return Unimplemented("Time zone '" + std::string(zone) +
                                                "' is not supported: trailbook "
                                                "computes all times in UTC");
                         }
                         return us;
                       })}}));
}

}  // namespace trailbook::sql
