#include "sql/exec/interim_operators.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "base/timestamp.h"
#include "sql/exec/value_ops.h"

namespace trailbook::sql {
namespace {

Status CannotApply(std::string_view op, const std::vector<LogicalType>& types) {
  std::string s = "Cannot apply operator: " + types[0].ToString() + " " + std::string(op);
  if (types.size() > 1) s += " " + types[1].ToString();
  return InvalidArgument(s);
}

std::string_view Spelling(std::string_view name) {
  if (name == "$eq") return "=";
  if (name == "$ne") return "<>";
  if (name == "$lt") return "<";
  if (name == "$le") return "<=";
  if (name == "$gt") return ">";
  if (name == "$ge") return ">=";
  if (name == "$add") return "+";
  if (name == "$subtract") return "-";
  if (name == "$multiply") return "*";
  if (name == "$divide") return "/";
  if (name == "$modulo") return "%";
  return name;
}

ScalarBind ComparisonBind(std::string name) {
  return [name](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    if (in.arg_types.size() != 2) return InvalidArgument(name + " takes two arguments");
    LogicalType t = CommonSuperType(in.arg_types[0], in.arg_types[1]);
    if (t.id() == TypeId::kUnknown) {
      if (in.arg_types[0].id() != TypeId::kUnknown || in.arg_types[1].id() != TypeId::kUnknown) {
        return CannotApply(Spelling(name), in.arg_types);
      }
    }
    bool ordering = name != "$eq" && name != "$ne";
    if (t.id() == TypeId::kMap || t.id() == TypeId::kJson || (ordering && t.IsNested())) {
      return CannotApply(Spelling(name), in.arg_types);
    }
    int op = name == "$eq" ? 0 : name == "$ne" ? 1 : name == "$lt" ? 2 : name == "$le" ? 3
             : name == "$gt" ? 4 : 5;
    BoundScalarFunction f;
    f.arg_types = {t, t};
    f.return_type = LogicalType::Boolean();
    f.kernel = [op](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                    const void*) -> Status {
      const Vector& a = *args[0];
      const Vector& b = *args[1];
      out.Resize(rows);
      uint8_t* d = out.Data<uint8_t>();
      uint8_t* nulls = out.Nulls();
      for (size_t i = 0; i < rows; ++i) {
        if (a.Nulls()[i] || b.Nulls()[i]) {
          nulls[i] = 1;
          continue;
        }
        int c = CompareRows(a, i, b, i);
        switch (op) {
          case 0: d[i] = c == 0; break;
          case 1: d[i] = c != 0; break;
          case 2: d[i] = c < 0; break;
          case 3: d[i] = c <= 0; break;
          case 4: d[i] = c > 0; break;
          default: d[i] = c >= 0; break;
        }
      }
      return Status::OK();
    };
    return f;
  };
}

enum class Arith { kAdd, kSub, kMul, kDiv, kMod };

Result<int64_t> IntOp(Arith op, int64_t x, int64_t y) {
  int64_t r = 0;
  switch (op) {
    case Arith::kAdd:
      if (__builtin_add_overflow(x, y, &r)) return InvalidArgument("bigint addition overflow");
      return r;
    case Arith::kSub:
      if (__builtin_sub_overflow(x, y, &r)) return InvalidArgument("bigint subtraction overflow");
      return r;
    case Arith::kMul:
      if (__builtin_mul_overflow(x, y, &r)) {
        return InvalidArgument("bigint multiplication overflow");
      }
      return r;
    case Arith::kDiv:
      if (y == 0) return InvalidArgument("division by zero");
      if (x == INT64_MIN && y == -1) return InvalidArgument("bigint division overflow");
      return x / y;
    case Arith::kMod:
      if (y == 0) return InvalidArgument("division by zero");
      if (y == -1) return int64_t{0};
      return x % y;
  }
  return r;
}

ScalarBind ArithmeticBind(std::string name, Arith op) {
  return [name, op](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    if (in.arg_types.size() != 2) return InvalidArgument(name + " takes two arguments");
    TypeId a = in.arg_types[0].id(), b = in.arg_types[1].id();
    BoundScalarFunction f;
    // timestamp +/- interval day to second; timestamp - timestamp
    bool ts_interval = (a == TypeId::kTimestamp && b == TypeId::kIntervalDayTime &&
                        (op == Arith::kAdd || op == Arith::kSub)) ||
                       (a == TypeId::kIntervalDayTime && b == TypeId::kTimestamp && op == Arith::kAdd);
    if (ts_interval) {
      f.arg_types = in.arg_types;
      f.return_type = LogicalType::Timestamp();
    } else if (a == TypeId::kTimestamp && b == TypeId::kTimestamp && op == Arith::kSub) {
      f.arg_types = in.arg_types;
      f.return_type = LogicalType::IntervalDayTime();
    } else {
      LogicalType t = CommonSuperType(in.arg_types[0], in.arg_types[1]);
      if (t.id() == TypeId::kUnknown &&
          (in.arg_types[0].id() == TypeId::kUnknown && in.arg_types[1].id() == TypeId::kUnknown)) {
        t = LogicalType::Bigint();
      }
      if (!t.IsNumeric()) return CannotApply(Spelling(name), in.arg_types);
      f.arg_types = {t, t};
      f.return_type = t;
    }
    bool is_double = f.return_type.id() == TypeId::kDouble;
    f.kernel = [op, is_double](std::span<Vector* const> args, size_t rows, Vector& out,
                               FunctionContext&, const void*) -> Status {
      const Vector& x = *args[0];
      const Vector& y = *args[1];
      out.Resize(rows);
      uint8_t* nulls = out.Nulls();
      for (size_t i = 0; i < rows; ++i) {
        if (x.Nulls()[i] || y.Nulls()[i]) {
          nulls[i] = 1;
          continue;
        }
        if (is_double) {
          double p = x.Data<double>()[i], q = y.Data<double>()[i], r = 0;
          switch (op) {
            case Arith::kAdd: r = p + q; break;
            case Arith::kSub: r = p - q; break;
            case Arith::kMul: r = p * q; break;
            case Arith::kDiv: r = p / q; break;
            case Arith::kMod: r = std::fmod(p, q); break;
          }
          out.Data<double>()[i] = r;
        } else {
          Result<int64_t> r = IntOp(op, x.Data<int64_t>()[i], y.Data<int64_t>()[i]);
          if (!r.ok()) return r.status();
          out.Data<int64_t>()[i] = *r;
        }
      }
      return Status::OK();
    };
    return f;
  };
}

BoundScalarFunction NegateFunction(const LogicalType& t) {
  BoundScalarFunction f;
  f.arg_types = {t};
  f.return_type = t;
  f.kernel = [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                const void*) -> Status {
    const Vector& x = *args[0];
    out.Resize(rows);
    for (size_t i = 0; i < rows; ++i) {
      if (x.Nulls()[i]) {
        out.Nulls()[i] = 1;
      } else if (x.type().id() == TypeId::kDouble) {
        out.Data<double>()[i] = -x.Data<double>()[i];
      } else {
        int64_t v = x.Data<int64_t>()[i];
        if (v == INT64_MIN) return InvalidArgument("bigint negation overflow");
        out.Data<int64_t>()[i] = -v;
      }
    }
    return Status::OK();
  };
  return f;
}

// LIKE: '%' any sequence, '_' one character (UTF-8 aware), escape makes the next literal.
bool LikeMatch(std::string_view s, std::string_view p, int escape) {
  size_t si = 0, pi = 0, star_p = std::string_view::npos, star_s = 0;
  auto char_len = [](std::string_view t, size_t i) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return std::min(n, t.size() - i);
  };
  while (si < s.size()) {
    if (pi < p.size() && escape >= 0 && p[pi] == static_cast<char>(escape) && pi + 1 < p.size()) {
      size_t l = char_len(p, pi + 1);
      if (s.compare(si, l, p.substr(pi + 1, l)) == 0) {
        si += l;
        pi += 1 + l;
        continue;
      }
    } else if (pi < p.size() && p[pi] == '%') {
      star_p = ++pi;
      star_s = si;
      continue;
    } else if (pi < p.size() && p[pi] == '_') {
      si += char_len(s, si);
      ++pi;
      continue;
    } else if (pi < p.size()) {
      size_t l = char_len(p, pi);
      if (s.compare(si, l, p.substr(pi, l)) == 0) {
        si += l;
        pi += l;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    star_s += char_len(s, star_s);
    si = star_s;
    pi = star_p;
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi == p.size();
}

Result<BoundScalarFunction> BindLike(const ScalarBindInput& in) {
  if (in.arg_types.size() < 2 || in.arg_types.size() > 3) {
    return InvalidArgument("LIKE takes a value, a pattern and an optional escape");
  }
  for (const LogicalType& t : in.arg_types) {
    if (t.id() != TypeId::kVarchar && t.id() != TypeId::kUnknown) {
      return InvalidArgument("LIKE needs varchar operands, got " + t.ToString());
    }
  }
  BoundScalarFunction f;
  f.arg_types.assign(in.arg_types.size(), LogicalType::Varchar());
  f.return_type = LogicalType::Boolean();
  f.kernel = [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                const void*) -> Status {
    out.Resize(rows);
    for (size_t i = 0; i < rows; ++i) {
      bool null = false;
      for (Vector* a : args) null = null || a->Nulls()[i];
      if (null) {
        out.Nulls()[i] = 1;
        continue;
      }
      int escape = -1;
      if (args.size() == 3) {
        std::string_view e = args[2]->Data<StringRef>()[i].view();
        if (e.size() != 1) return InvalidArgument("escape string must be a single character");
        escape = static_cast<unsigned char>(e[0]);
      }
      out.Data<uint8_t>()[i] = LikeMatch(args[0]->Data<StringRef>()[i].view(),
                                         args[1]->Data<StringRef>()[i].view(), escape);
    }
    return Status::OK();
  };
  return f;
}

Result<BoundScalarFunction> BindConcat(const ScalarBindInput& in) {
  if (in.arg_types.size() != 2) return InvalidArgument("|| takes two operands");
  for (const LogicalType& t : in.arg_types) {
    if (t.id() != TypeId::kVarchar && t.id() != TypeId::kUnknown) {
      return CannotApply("||", in.arg_types);
    }
  }
  BoundScalarFunction f;
  f.arg_types = {LogicalType::Varchar(), LogicalType::Varchar()};
  f.return_type = LogicalType::Varchar();
  f.kernel = [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                const void*) -> Status {
    out.Resize(rows);
    std::string buf;
    for (size_t i = 0; i < rows; ++i) {
      if (args[0]->Nulls()[i] || args[1]->Nulls()[i]) {
        out.Nulls()[i] = 1;
        continue;
      }
      buf.assign(args[0]->Data<StringRef>()[i].view());
      buf.append(args[1]->Data<StringRef>()[i].view());
      out.SetString(i, buf);
    }
    return Status::OK();
  };
  return f;
}

Result<LogicalType> TypeFromString(std::string_view s) {
  if (s == "varchar") return LogicalType::Varchar();
  if (s == "bigint") return LogicalType::Bigint();
  if (s == "double") return LogicalType::Double();
  if (s == "boolean") return LogicalType::Boolean();
  if (s == "timestamp(6)") return LogicalType::Timestamp();
  if (s == "date") return LogicalType::Date();
  if (s == "json") return LogicalType::Json();
  return Unimplemented("cast to " + std::string(s) + " is not available in this build");
}

Result<Value> CastValue(const Value& v, const LogicalType& to) {
  const LogicalType& from = v.type();
  if (v.is_null()) return Value::Null(to);
  auto bad = [&] {
    return InvalidArgument("Cannot cast '" + v.ToString() + "' to " + to.ToString());
  };
  switch (to.id()) {
    case TypeId::kVarchar: return Value::Varchar(v.ToString());
    case TypeId::kJson:
      if (from.IsTextual()) return Value::FromText(to, v.string_value());
      return bad();
    case TypeId::kBigint:
      if (from.id() == TypeId::kDouble) {
        double d = std::round(v.double_value());
        if (!std::isfinite(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18) {
          return bad();
        }
        return Value::Bigint(static_cast<int64_t>(d));
      }
      if (from.id() == TypeId::kBoolean) return Value::Bigint(v.bool_value() ? 1 : 0);
      if (from.id() == TypeId::kVarchar) {
        std::string_view s = v.string_value();
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
        int64_t x = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), x);
        if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return bad();
        return Value::Bigint(x);
      }
      return bad();
    case TypeId::kDouble:
      if (from.id() == TypeId::kBigint) return Value::Double(static_cast<double>(v.int_value()));
      if (from.id() == TypeId::kVarchar) {
        std::string s = v.string_value();
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size()) return bad();
        return Value::Double(d);
      }
      return bad();
    case TypeId::kBoolean:
      if (from.id() == TypeId::kVarchar) {
        std::string s = v.string_value();
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (s == "true") return Value::Boolean(true);
        if (s == "false") return Value::Boolean(false);
        return bad();
      }
      if (from.IsNumeric()) {
        return Value::Boolean(from.id() == TypeId::kBigint ? v.int_value() != 0
                                                           : v.double_value() != 0);
      }
      return bad();
    case TypeId::kTimestamp: {
      if (from.id() == TypeId::kDate) return Value::Timestamp(v.int_value() * kMicrosPerDay);
      if (from.id() == TypeId::kVarchar) {
        auto us = ParseTimestamp(v.string_value());
        if (!us) return bad();
        return Value::Timestamp(*us);
      }
      return bad();
    }
    case TypeId::kDate: {
      if (from.id() == TypeId::kTimestamp) return Value::Date(DayOf(v.int_value()));
      if (from.id() == TypeId::kVarchar) {
        auto us = ParseTimestamp(v.string_value());
        if (!us || v.string_value().size() != 10) return bad();
        return Value::Date(DayOf(*us));
      }
      return bad();
    }
    default: return bad();
  }
}

ScalarBind CastBind(bool try_cast) {
  return [try_cast](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    if (in.arg_types.size() != 2 || in.constants[1] == nullptr) {
      return Internal("$cast needs a constant target type");
    }
    TB_ASSIGN_OR_RETURN(LogicalType to, TypeFromString(in.constants[1]->string_value()));
    BoundScalarFunction f;
    f.arg_types = {in.arg_types[0], LogicalType::Varchar()};
    f.return_type = to;
    f.kernel = [to, try_cast](std::span<Vector* const> args, size_t rows, Vector& out,
                              FunctionContext&, const void*) -> Status {
      out.Resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        Result<Value> v = CastValue(args[0]->GetValue(i), to);
        if (!v.ok()) {
          if (!try_cast) return v.status();
          out.Nulls()[i] = 1;
          continue;
        }
        out.SetValue(i, *v);
      }
      return Status::OK();
    };
    return f;
  };
}

void AddIfMissing(FunctionRegistry& registry, std::string_view name, ScalarBind bind) {
  if (registry.FindScalar(name) == nullptr) registry.AddScalar(name, std::move(bind));
}

}  // namespace

void RegisterInterimOperators(FunctionRegistry& registry) {
  for (const char* name : {"$eq", "$ne", "$lt", "$le", "$gt", "$ge"}) {
    AddIfMissing(registry, name, ComparisonBind(name));
  }
  AddIfMissing(registry, "$add", ArithmeticBind("$add", Arith::kAdd));
  AddIfMissing(registry, "$subtract", ArithmeticBind("$subtract", Arith::kSub));
  AddIfMissing(registry, "$multiply", ArithmeticBind("$multiply", Arith::kMul));
  AddIfMissing(registry, "$divide", ArithmeticBind("$divide", Arith::kDiv));
  AddIfMissing(registry, "$modulo", ArithmeticBind("$modulo", Arith::kMod));
  AddIfMissing(registry, "$negate", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    if (in.arg_types.size() != 1 || !in.arg_types[0].IsNumeric()) {
      return InvalidArgument("Cannot negate " +
                             (in.arg_types.empty() ? std::string("nothing") : in.arg_types[0].ToString()));
    }
    return NegateFunction(in.arg_types[0]);
  });
  AddIfMissing(registry, "$concat", BindConcat);
  AddIfMissing(registry, "$like", BindLike);
  AddIfMissing(registry, "$cast", CastBind(false));
  AddIfMissing(registry, "$try_cast", CastBind(true));
}

}  // namespace trailbook::sql
