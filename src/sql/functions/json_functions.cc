// JSON functions: json_extract, json_extract_scalar, json_size, json_parse, json_format,
// json_array_get, json_array_length, json_array_contains, is_json_scalar.
// They accept json and varchar (as Trino), and also the nested types, whose values are JSON
// text. Malformed JSON gives NULL, except in json_parse and is_json_scalar (errors, as Trino).
#include <memory>
#include <optional>
#include <string>

#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/internal/json_reader.h"
#include "sql/functions/json_path.h"
#include "sql/functions/kernel_templates.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;
using SV = std::string_view;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;

// Moves one path step down from `v` into *out. Returns false when the member or element does
// not exist or the JSON on the way is malformed.
template <typename V>
bool Descend(V& v, const JsonPath::Step& step, od::value* out) {
  od::json_type t;
  if (v.type().get(t) != SUCCESS) return false;
  if (t == od::json_type::object) {
    od::object obj;
    if (v.get_object().get(obj) != SUCCESS) return false;
    for (auto f : obj) {
      od::field field;
      SV key;
      if (std::move(f).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS) {
        return false;
      }
      if (key == step.name) {
        *out = field.value();
        return true;
      }
    }
    return false;
  }
  if (t == od::json_type::array && step.index >= 0) {
    od::array arr;
    if (v.get_array().get(arr) != SUCCESS) return false;
    return arr.at(static_cast<size_t>(step.index)).get(*out) == SUCCESS;
  }
  return false;
}

// Calls f(value) with the value `path` selects in `doc` (the document itself for "$").
// Returns f's result, or false when the path selects nothing.
template <typename F>
bool AtPath(od::document& doc, const JsonPath& path, F&& f) {
  const auto& steps = path.steps();
  if (steps.empty()) return f(doc);
  od::value current;
  if (!Descend(doc, steps[0], &current)) return false;
  for (size_t i = 1; i < steps.size(); ++i) {
    od::value next;
    if (!Descend(current, steps[i], &next)) return false;
    current = next;
  }
  return f(current);
}

// The path of a call: parsed at bind time when constant, else per distinct path in a batch.
class PathSource {
 public:
  explicit PathSource(const void* bind_data) : fixed_(static_cast<const JsonPath*>(bind_data)) {}
  Result<const JsonPath*> Get(SV text) {
    if (fixed_ != nullptr) return fixed_;
    if (!last_ || text != last_text_) {
      TB_ASSIGN_OR_RETURN(JsonPath p, JsonPath::Parse(text));
      last_ = std::move(p);
      last_text_.assign(text);
    }
    return &*last_;
  }

 private:
  const JsonPath* fixed_;
  std::optional<JsonPath> last_;
  std::string last_text_;
};

// Appends a JSON scalar as json_extract_scalar returns it; false for objects, arrays, null.
template <typename V>
bool ScalarText(V& v, SV* out) {
  od::json_type t;
  if (v.type().get(t) != SUCCESS) return false;
  switch (t) {
    case od::json_type::string:
      return v.get_string().get(*out) == SUCCESS;
    case od::json_type::number: {
      *out = internal::TrimToken(v.raw_json_token());
      od::number n;
      return v.get_number().get(n) == SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (v.get_bool().get(b) != SUCCESS) return false;
      *out = b ? "true" : "false";
      return true;
    }
    default:
      return false;
  }
}

bool IsJsonInput(const LogicalType& t) {
  return t.id() == TypeId::kJson || t.id() == TypeId::kVarchar || t.IsNested() ||
         t.id() == TypeId::kUnknown;
}

// The input type a JSON function runs on: as given for text types; NULL becomes json.
LogicalType JsonInputType(const LogicalType& t) {
  return t.id() == TypeId::kUnknown ? T::Json() : t;
}

// json_extract / json_extract_scalar / json_size: (json, path).
template <typename R, typename Op>
ScalarBind PathFunctionBind(std::string expected, LogicalType result, Op op) {
  return [expected, result, op](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (in.arg_types.size() != 2 || !IsJsonInput(in.arg_types[0]) ||
        (in.arg_types[1].id() != TypeId::kVarchar && in.arg_types[1].id() != TypeId::kUnknown)) {
      return UnexpectedParameters(in, expected);
    }
    BoundScalarFunction b;
    b.arg_types = {JsonInputType(in.arg_types[0]), T::Varchar()};
    b.return_type = result;
    b.lambda_params.assign(2, {});
    if (const Value* path = ConstantArg(in, 1); path != nullptr) {
      if (path->is_null()) {
        b.kernel = NullKernel();
        return b;
      }
      TB_ASSIGN_OR_RETURN(JsonPath parsed, JsonPath::Parse(path->string_value()));
      b.bind_data = std::make_shared<const JsonPath>(std::move(parsed));
    }
    b.kernel = [op](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                    const void* bind_data) -> Status {
      PathSource paths(bind_data);
      internal::JsonReader reader;
      od::document doc;
      std::string buf;
      return MapRows<R, SV, SV>(args, rows, out,
                                [&](SV json, SV path_text) -> Result<std::optional<R>> {
                                  TB_ASSIGN_OR_RETURN(const JsonPath* path, paths.Get(path_text));
                                  if (reader.Start(json, &doc) != SUCCESS) {
                                    return std::optional<R>();
                                  }
                                  return op(doc, *path, buf);
                                });
    };
    return b;
  };
}

std::optional<SV> JsonExtract(od::document& doc, const JsonPath& path, std::string& buf) {
  buf.clear();
  bool found = AtPath(
      doc, path, [&](auto& v) { return internal::AppendCanonicalJson(v, false, &buf) == SUCCESS; });
  if (found && path.steps().empty() && internal::CheckFullyRead(doc) != SUCCESS) found = false;
  return found ? std::optional<SV>(buf) : std::nullopt;
}

// The result points into the parser's buffers, which stay valid until the next row starts;
// MapRows copies it before that.
std::optional<SV> JsonExtractScalar(od::document& doc, const JsonPath& path, std::string&) {
  SV text;
  if (!AtPath(doc, path, [&](auto& v) { return ScalarText(v, &text); })) return std::nullopt;
  return text;
}

std::optional<int64_t> JsonSize(od::document& doc, const JsonPath& path, std::string&) {
  int64_t size = 0;
  bool found = AtPath(doc, path, [&](auto& v) {
    od::json_type t;
    if (v.type().get(t) != SUCCESS) return false;
    size_t n = 0;
    if (t == od::json_type::object) {
      od::object obj;
      if (v.get_object().get(obj) != SUCCESS || obj.count_fields().get(n) != SUCCESS) {
        return false;
      }
    } else if (t == od::json_type::array) {
      od::array arr;
      if (v.get_array().get(arr) != SUCCESS || arr.count_elements().get(n) != SUCCESS) {
        return false;
      }
    }
    size = static_cast<int64_t>(n);
    return true;
  });
  return found ? std::optional<int64_t>(size) : std::nullopt;
}

// Binds a function of (json[, extra]) with fixed extra argument types.
ScalarBind JsonFunctionBind(std::string expected, std::vector<LogicalType> extra,
                            LogicalType result, ScalarKernel kernel, bool nested_inputs = true) {
  return [=](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (in.arg_types.size() != extra.size() + 1 || !IsJsonInput(in.arg_types[0]) ||
        (!nested_inputs && in.arg_types[0].IsNested())) {
      return UnexpectedParameters(in, expected);
    }
    BoundScalarFunction b;
    b.arg_types = {JsonInputType(in.arg_types[0])};
    for (size_t i = 0; i < extra.size(); ++i) {
      if (!CanCoerce(in.arg_types[i + 1], extra[i])) return UnexpectedParameters(in, expected);
      b.arg_types.push_back(extra[i]);
    }
    b.return_type = result;
    b.kernel = kernel;
    b.lambda_params.assign(b.arg_types.size(), {});
    return b;
  };
}

// Runs op(doc, extra...) on each row whose JSON starts parsing; malformed JSON gives NULL.
template <typename R, typename... Extra, typename Op>
ScalarKernel JsonKernel(Op op) {
  return [op](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
              const void*) -> Status {
    internal::JsonReader reader;
    od::document doc;
    std::string buf;
    return MapRows<R, SV, Extra...>(args, rows, out,
                                    [&](SV json, Extra... extra) -> Result<std::optional<R>> {
                                      if (reader.Start(json, &doc) != SUCCESS) {
                                        return std::optional<R>();
                                      }
                                      return op(doc, extra..., buf);
                                    });
  };
}

std::optional<int64_t> ArrayLength(od::document& doc, std::string&) {
  od::array arr;
  size_t n;
  if (doc.get_array().get(arr) != SUCCESS || arr.count_elements().get(n) != SUCCESS) {
    return std::nullopt;
  }
  return static_cast<int64_t>(n);
}

std::optional<SV> ArrayGet(od::document& doc, int64_t index, std::string& buf) {
  od::array arr;
  if (doc.get_array().get(arr) != SUCCESS) return std::nullopt;
  if (index < 0) {
    size_t n;
    if (arr.count_elements().get(n) != SUCCESS) return std::nullopt;
    index += static_cast<int64_t>(n);
    if (index < 0) return std::nullopt;
  }
  od::value element;
  if (arr.at(static_cast<size_t>(index)).get(element) != SUCCESS) return std::nullopt;
  buf.clear();
  if (internal::AppendCanonicalJson(element, false, &buf) != SUCCESS) return std::nullopt;
  return SV(buf);
}

// json_array_contains: calls match(element, type) on each element until it returns true.
template <typename Match>
std::optional<bool> ArrayContains(od::document& doc, Match match) {
  od::array arr;
  if (doc.get_array().get(arr) != SUCCESS) return std::nullopt;
  for (auto child : arr) {
    od::value element;
    od::json_type t;
    if (child.get(element) != SUCCESS || element.type().get(t) != SUCCESS) return std::nullopt;
    if (match(element, t)) return true;
  }
  return false;
}

Status JsonParseKernel(std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                       const void*) {
  internal::JsonReader reader;
  std::string buf;
  return MapRows<SV, SV>(args, rows, out, [&](SV text) -> Result<SV> {
    buf.clear();
    if (reader.Canonicalize(text, true, &buf) != SUCCESS) {
      std::string shown(text.substr(0, 200));
      return InvalidArgument("Cannot convert value to JSON: '" + shown +
                             (text.size() > 200 ? "...'" : "'"));
    }
    return SV(buf);
  });
}

Status IsJsonScalarKernel(std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                          const void*) {
  internal::JsonReader reader;
  std::string buf;
  return MapRows<bool, SV>(args, rows, out, [&](SV text) -> Result<bool> {
    buf.clear();
    if (reader.Canonicalize(text, false, &buf) != SUCCESS) {
      return InvalidArgument("Invalid JSON value: " + std::string(text.substr(0, 200)));
    }
    return buf[0] != '{' && buf[0] != '[';
  });
}

}  // namespace

void RegisterJsonFunctions(FunctionRegistry& registry) {
  registry.AddScalar("json_extract",
                     PathFunctionBind<SV>("json_extract(json, varchar)", T::Json(), JsonExtract));
  registry.AddScalar(
      "json_extract_scalar",
      PathFunctionBind<SV>("json_extract_scalar(json, varchar)", T::Varchar(), JsonExtractScalar));
  registry.AddScalar("json_size",
                     PathFunctionBind<int64_t>("json_size(json, varchar)", T::Bigint(), JsonSize));

  registry.AddScalar("json_parse",
                     BindSignatures("json_parse", {{{T::Varchar()}, T::Json(), JsonParseKernel}}));
  registry.AddScalar("json_format", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (in.arg_types.size() != 1 ||
        (in.arg_types[0].id() != TypeId::kJson && !in.arg_types[0].IsNested() &&
         in.arg_types[0].id() != TypeId::kUnknown)) {
      return UnexpectedParameters(in, "json_format(json)");
    }
    BoundScalarFunction b;
    b.arg_types = {JsonInputType(in.arg_types[0])};
    b.return_type = T::Varchar();
    b.kernel = RowKernel<SV, SV>([](SV s) { return s; }, StringResult::kSliceOfArgs);
    b.lambda_params.assign(1, {});
    return b;
  });
  registry.AddScalar("is_json_scalar", JsonFunctionBind("is_json_scalar(json)", {}, T::Boolean(),
                                                        IsJsonScalarKernel, false));

  registry.AddScalar("json_array_length",
                     JsonFunctionBind("json_array_length(json)", {}, T::Bigint(),
                                      JsonKernel<int64_t>(ArrayLength)));
  registry.AddScalar("json_array_get",
                     JsonFunctionBind("json_array_get(json, bigint)", {T::Bigint()}, T::Json(),
                                      JsonKernel<SV, int64_t>(ArrayGet)));

  // json_array_contains(json, value) for boolean, bigint, double and varchar values, matching
  // only JSON elements of the same kind (Trino: 1 does not match 1.0 or "1").
  ScalarBind contains_bool = JsonFunctionBind(
      "json_array_contains(json, T)", {T::Boolean()}, T::Boolean(),
      JsonKernel<bool, bool>([](od::document& doc, bool needle, std::string&) {
        return ArrayContains(doc, [needle](od::value& e, od::json_type t) {
          bool b;
          return t == od::json_type::boolean && e.get_bool().get(b) == SUCCESS && b == needle;
        });
      }));
  ScalarBind contains_bigint = JsonFunctionBind(
      "json_array_contains(json, T)", {T::Bigint()}, T::Boolean(),
      JsonKernel<bool, int64_t>([](od::document& doc, int64_t needle, std::string&) {
        return ArrayContains(doc, [needle](od::value& e, od::json_type t) {
          od::number_type nt;
          int64_t x;
          return t == od::json_type::number && e.get_number_type().get(nt) == SUCCESS &&
                 nt != od::number_type::floating_point_number && e.get_int64().get(x) == SUCCESS &&
                 x == needle;
        });
      }));
  ScalarBind contains_double = JsonFunctionBind(
      "json_array_contains(json, T)", {T::Double()}, T::Boolean(),
      JsonKernel<bool, double>([](od::document& doc, double needle, std::string&) {
        return ArrayContains(doc, [needle](od::value& e, od::json_type t) {
          od::number_type nt;
          double x;
          return t == od::json_type::number && e.get_number_type().get(nt) == SUCCESS &&
                 nt == od::number_type::floating_point_number && e.get_double().get(x) == SUCCESS &&
                 x == needle;
        });
      }));
  ScalarBind contains_varchar = JsonFunctionBind(
      "json_array_contains(json, T)", {T::Varchar()}, T::Boolean(),
      JsonKernel<bool, SV>([](od::document& doc, SV needle, std::string&) {
        return ArrayContains(doc, [needle](od::value& e, od::json_type t) {
          SV s;
          return t == od::json_type::string && e.get_string().get(s) == SUCCESS && s == needle;
        });
      }));
  registry.AddScalar("json_array_contains", [=](const ScalarBindInput& in) {
    TypeId needle = in.arg_types.size() == 2 ? in.arg_types[1].id() : TypeId::kUnknown;
    switch (needle) {
      case TypeId::kBoolean:
        return contains_bool(in);
      case TypeId::kBigint:
        return contains_bigint(in);
      case TypeId::kDouble:
        return contains_double(in);
      default:
        return contains_varchar(in);
    }
  });
}

}  // namespace trailbook::sql
