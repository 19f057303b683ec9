#include "sql/planner/type_binding.h"

#include <charconv>
#include <cstdlib>

#include "base/status.h"
#include "base/timestamp.h"

namespace trailbook::sql {
namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  if (!IsDigits(s) || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Parses "SS" or "SS.ffffff" into microseconds.
std::optional<int64_t> ParseSeconds(std::string_view s) {
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  auto w = ParseInt(whole);
  if (!w) return std::nullopt;
  int64_t micros = *w * kMicrosPerSecond;
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (!IsDigits(frac) || frac.size() > 9) return std::nullopt;
    int64_t f = 0;
    for (size_t i = 0; i < 6; ++i) f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    micros += f;
  }
  return micros;
}

int64_t FieldMicros(IntervalField f) {
  switch (f) {
    case IntervalField::kDay: return kMicrosPerDay;
    case IntervalField::kHour: return 3600 * kMicrosPerSecond;
    case IntervalField::kMinute: return 60 * kMicrosPerSecond;
    default: return kMicrosPerSecond;
  }
}

}  // namespace

Result<LogicalType> BindTypeName(const TypeName& type) {
  const std::string& n = type.name;
  auto param_type = [&](size_t i) -> Result<LogicalType> {
    if (i >= type.parameters.size() || type.parameters[i].kind != TypeParameter::Kind::kType ||
        type.parameters[i].type == nullptr) {
      return InvalidArgument("type " + n + " needs a type parameter");
    }
    return BindTypeName(*type.parameters[i].type);
  };
  if (n == "varchar" || n == "char" || n == "string") return LogicalType::Varchar();
  if (n == "bigint" || n == "integer" || n == "int" || n == "smallint" || n == "tinyint") {
    return LogicalType::Bigint();
  }
  if (n == "double" || n == "real" || n == "float" || n == "decimal" || n == "numeric") {
    return LogicalType::Double();
  }
  if (n == "boolean") return LogicalType::Boolean();
  if (n == "date") return LogicalType::Date();
  if (n == "timestamp" || n == "timestamp with time zone" ||
      n == "timestamp without time zone") {
    return LogicalType::Timestamp();
  }
  if (n == "interval day to second") return LogicalType::IntervalDayTime();
  if (n == "interval year to month") return LogicalType::IntervalYearMonth();
  if (n == "json") return LogicalType::Json();
  if (n == "array") {
    if (type.parameters.size() != 1) return InvalidArgument("array takes one element type");
    TB_ASSIGN_OR_RETURN(LogicalType e, param_type(0));
    return LogicalType::Array(std::move(e));
  }
  if (n == "map") {
    if (type.parameters.size() != 2) return InvalidArgument("map takes a key and a value type");
    TB_ASSIGN_OR_RETURN(LogicalType k, param_type(0));
    TB_ASSIGN_OR_RETURN(LogicalType v, param_type(1));
    return LogicalType::Map(std::move(k), std::move(v));
  }
  if (n == "row") {
    std::vector<RowField> fields;
    for (size_t i = 0; i < type.parameters.size(); ++i) {
      TB_ASSIGN_OR_RETURN(LogicalType f, param_type(i));
      const auto& name = type.parameters[i].field_name;
      fields.push_back(RowField{name ? name->name : "field" + std::to_string(i),
                                std::make_shared<const LogicalType>(std::move(f))});
    }
    if (fields.empty()) return InvalidArgument("row needs at least one field");
    return LogicalType::Row(std::move(fields));
  }
  if (n == "time" || n == "time with time zone" || n == "varbinary" || n == "uuid" ||
      n == "ipaddress" || n == "ipprefix" || n == "hyperloglog" || n == "qdigest") {
    return Unimplemented("type " + n + " is not supported");
  }
  return InvalidArgument("unknown type '" + n + "'");
}

std::optional<int64_t> ParseTimestampLiteral(std::string_view text) {
  // Trim surrounding spaces, as Lake does for pasted literals.
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.size() < 10) return std::nullopt;
  return ParseTimestamp(text);
}

std::optional<int64_t> ParseDateLiteral(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto us = ParseTimestamp(text);
  if (!us) return std::nullopt;
  return DayOf(*us);
}

Result<Value> ParseIntervalLiteral(std::string_view text, IntervalField start,
                                   std::optional<IntervalField> end, bool negative) {
  std::string_view t = text;
  bool neg = negative;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    if (t[0] == '-') neg = !neg;
    t.remove_prefix(1);
  }
  auto bad = [&] { return InvalidArgument("invalid interval literal '" + std::string(text) + "'"); };
  if (start == IntervalField::kYear || start == IntervalField::kMonth) {
    int64_t months = 0;
    if (end && *end == IntervalField::kMonth && start == IntervalField::kYear) {
      size_t dash = t.find('-');
      if (dash == std::string_view::npos) return bad();
      auto y = ParseInt(t.substr(0, dash));
      auto m = ParseInt(t.substr(dash + 1));
      if (!y || !m) return bad();
      months = *y * 12 + *m;
    } else if (!end) {
      auto v = ParseInt(t);
      if (!v) return bad();
      months = start == IntervalField::kYear ? *v * 12 : *v;
    } else {
      return bad();
    }
    return Value::IntervalYearMonth(neg ? -months : months);
  }
  int64_t micros = 0;
  if (!end) {
    if (start == IntervalField::kSecond) {
      auto s = ParseSeconds(t);
      if (!s) return bad();
      micros = *s;
    } else {
      auto v = ParseInt(t);
      if (!v || *v > INT64_MAX / FieldMicros(start)) return bad();
      micros = *v * FieldMicros(start);
    }
  } else {
    // 'd hh:mm:ss.fff' style, from `start` down to `end`.
    std::string_view rest = t;
    static constexpr IntervalField kOrder[] = {IntervalField::kDay, IntervalField::kHour,
                                               IntervalField::kMinute, IntervalField::kSecond};
    bool started = false;
    for (IntervalField f : kOrder) {
      if (f == start) started = true;
      if (!started) continue;
      bool last = f == *end;
      char sep = f == IntervalField::kDay ? ' ' : ':';
      size_t pos = last ? std::string_view::npos : rest.find(sep);
      if (!last && pos == std::string_view::npos) return bad();
      std::string_view part = rest.substr(0, pos);
      if (f == IntervalField::kSecond) {
        auto s = ParseSeconds(part);
        if (!s) return bad();
        micros += *s;
      } else {
        auto v = ParseInt(part);
        if (!v) return bad();
        micros += *v * FieldMicros(f);
      }
      if (last) break;
      rest = rest.substr(pos + 1);
    }
    if (!started) return bad();
  }
  return Value::IntervalDayTime(neg ? -micros : micros);
}

}  // namespace trailbook::sql
