// Whole-array functions over exploded elements (internal/exploded_arrays.h): transform,
// filter, any_match, all_match, none_match (lambdas), array_join, slice, array_distinct,
// array_sort, array_max, array_min, reverse and concat for arrays, sequence.
#include <algorithm>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/internal/array_binds.h"
#include "sql/functions/internal/exploded_arrays.h"
#include "sql/functions/internal/json_reader.h"
#include "sql/functions/json_text.h"
#include "sql/functions/kernel_templates.h"

namespace trailbook::sql {
namespace {

// Arrays produced by sequence() are limited as in Trino.
constexpr int64_t kMaxSequence = 10000;

using T = LogicalType;
using SV = std::string_view;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using internal::ArrayOrNull;
using internal::ExplodedArrays;
using internal::JsonDecode;

bool IsArray(const LogicalType& t) { return t.id() == TypeId::kArray; }

// ---- lambdas: transform, filter, any/all/none_match ----

// Evaluates lambda argument 1 over every element of the batch's arrays, in pieces of at most
// kBatchSize elements, into `results` (one row per element).
Status EvaluateOverElements(FunctionContext& ctx, const ExplodedArrays& ex,
                            const LogicalType& result_type, Vector& results) {
  if (ctx.lambdas == nullptr) return Internal("lambda function called without an evaluator");
  const size_t total = ex.offsets.back();
  results.SetType(result_type);
  results.Resize(total);
  for (size_t begin = 0; begin < total; begin += kBatchSize) {
    size_t n = std::min(kBatchSize, total - begin);
    Vector input(ex.elements.type());
    input.Slice(ex.elements, begin, n);
    Vector output(result_type);
    Vector* inputs[] = {&input};
    TB_RETURN_IF_ERROR(ctx.lambdas->Evaluate(1, inputs, output));
    if (output.size() != n) return Internal("lambda returned the wrong number of rows");
    output.Flatten();
    results.ShareBuffers(output);
    for (size_t k = 0; k < n; ++k) CopyRowRef(output, k, results, begin + k);
  }
  return Status::OK();
}

enum class LambdaKind : uint8_t { kTransform, kFilter, kAnyMatch, kAllMatch, kNoneMatch };

ScalarBind LambdaBind(LambdaKind kind, std::string expected) {
  return [kind, expected](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    if (in.arg_types.size() != 2 ||
        (!IsArray(in.arg_types[0]) && in.arg_types[0].id() != TypeId::kUnknown) ||
        in.is_lambda.size() != 2 || in.is_lambda[0] || !in.is_lambda[1] ||
        in.lambda_arity[1] != 1) {
      return UnexpectedParameters(in, expected);
    }
    LogicalType array = ArrayOrNull(in.arg_types[0]);
    const LogicalType& body = in.arg_types[1];
    const bool first_pass = body.id() == TypeId::kUnknown;
    if (kind != LambdaKind::kTransform && !first_pass && body.id() != TypeId::kBoolean) {
      return InvalidArgument("the lambda of " + std::string(in.name) +
                             " must return boolean, not " + body.ToString());
    }
    LogicalType result;
    switch (kind) {
      case LambdaKind::kTransform:
        result = T::Array(body);
        break;
      case LambdaKind::kFilter:
        result = array;
        break;
      default:
        result = T::Boolean();
    }
    BoundScalarFunction b = MakeBound({array, body}, result, nullptr);
    b.lambda_params = {{}, {array.element()}};
    b.kernel = [kind, body](std::span<Vector* const> args, size_t rows, Vector& out,
                            FunctionContext& ctx, const void*) -> Status {
      ExplodedArrays ex;
      TB_RETURN_IF_ERROR(internal::Explode(*args[0], rows, args[0]->type().element(), &ex));
      Vector results;
      LogicalType result_type = kind == LambdaKind::kTransform ? body : T::Boolean();
      TB_RETURN_IF_ERROR(EvaluateOverElements(ctx, ex, result_type, results));
      out.Resize(rows);
      std::string buf;
      std::vector<size_t> picked;
      for (size_t r = 0; r < rows; ++r) {
        if (ex.null_rows[r] != 0) {
          out.SetNull(r);
          continue;
        }
        picked.clear();
        bool any_true = false, any_false = false, any_null = false;
        for (size_t k = ex.begin(r); k < ex.end(r); ++k) {
          if (kind == LambdaKind::kTransform) {
            picked.push_back(k);
            continue;
          }
          bool is_null = results.IsNull(k);
          bool value = !is_null && results.Data<uint8_t>()[k] != 0;
          any_null = any_null || is_null;
          any_true = any_true || value;
          any_false = any_false || (!is_null && !value);
          if (value) picked.push_back(k);
        }
        switch (kind) {
          case LambdaKind::kTransform:
            internal::EmitArray(results, picked, buf, out, r);
            break;
          case LambdaKind::kFilter:
            internal::EmitArray(ex.elements, picked, buf, out, r);
            break;
          case LambdaKind::kAnyMatch:
            if (any_true) {
              out.Data<uint8_t>()[r] = 1;
            } else if (any_null) {
              out.SetNull(r);
            } else {
              out.Data<uint8_t>()[r] = 0;
            }
            break;
          case LambdaKind::kAllMatch:
            if (any_false) {
              out.Data<uint8_t>()[r] = 0;
            } else if (any_null) {
              out.SetNull(r);
            } else {
              out.Data<uint8_t>()[r] = 1;
            }
            break;
          case LambdaKind::kNoneMatch:
            if (any_true) {
              out.Data<uint8_t>()[r] = 0;
            } else if (any_null) {
              out.SetNull(r);
            } else {
              out.Data<uint8_t>()[r] = 1;
            }
            break;
        }
      }
      return Status::OK();
    };
    return b;
  };
}

// ---- whole-array functions over exploded elements ----

// Binds f(array(T)[, extra...]) -> result(T) whose kernel works on the exploded elements:
// op(ex, extra args, rows, out).
template <typename Op>
ScalarBind ArrayBind(std::string expected, std::vector<LogicalType> extra,
                     LogicalType (*result)(const LogicalType& array), bool needs_order, Op op) {
  return [=](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (in.arg_types.size() < 1 || in.arg_types.size() > extra.size() + 1 ||
        (!IsArray(in.arg_types[0]) && in.arg_types[0].id() != TypeId::kUnknown)) {
      return UnexpectedParameters(in, expected);
    }
    LogicalType array = ArrayOrNull(in.arg_types[0]);
    if (needs_order && !internal::IsOrderableElement(array.element())) {
      return InvalidArgument(std::string(in.name) + " cannot order elements of type " +
                             array.element().ToString());
    }
    std::vector<LogicalType> args = {array};
    for (size_t i = 1; i < in.arg_types.size(); ++i) {
      if (!CanCoerce(in.arg_types[i], extra[i - 1])) return UnexpectedParameters(in, expected);
      args.push_back(extra[i - 1]);
    }
    return MakeBound(
        args, result(array),
        [op](std::span<Vector* const> a, size_t rows, Vector& out, FunctionContext&,
             const void*) -> Status {
          ExplodedArrays ex;
          TB_RETURN_IF_ERROR(internal::Explode(*a[0], rows, a[0]->type().element(), &ex));
          out.Resize(rows);
          return op(ex, a, rows, out);
        });
  };
}

LogicalType SameArray(const LogicalType& array) { return array; }
LogicalType ElementOf(const LogicalType& array) { return array.element(); }
LogicalType VarcharResult(const LogicalType&) { return T::Varchar(); }

Status ArrayJoin(const ExplodedArrays& ex, std::span<Vector* const> a, size_t rows, Vector& out) {
  const Vector& delim = *a[1];
  const Vector* null_replacement = a.size() > 2 ? a[2] : nullptr;
  // Elements as varchar: re-read through their encoding so every type joins as text.
  Vector text(T::Varchar());
  text.Resize(ex.elements.size());
  std::string scratch, buf;
  for (size_t k = 0; k < ex.elements.size(); ++k) {
    if (ex.elements.IsNull(k)) {
      text.SetNull(k);
    } else if (ex.elements.type().id() == TypeId::kVarchar) {
      text.SetStringRef(k, ex.elements.Data<StringRef>()[k].view());
    } else {
      Value v = ex.elements.GetValue(k);
      text.SetString(k, v.ToString());
    }
  }
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0 || delim.IsNull(r) ||
        (null_replacement != nullptr && null_replacement->IsNull(r))) {
      out.SetNull(r);
      continue;
    }
    buf.clear();
    bool first = true;
    for (size_t k = ex.begin(r); k < ex.end(r); ++k) {
      std::string_view piece;
      if (text.IsNull(k)) {
        if (null_replacement == nullptr) continue;
        piece = null_replacement->Data<StringRef>()[r].view();
      } else {
        piece = text.Data<StringRef>()[k].view();
      }
      if (!first) buf.append(delim.Data<StringRef>()[r].view());
      first = false;
      buf.append(piece);
    }
    out.SetString(r, buf);
  }
  return Status::OK();
}

Status Slice(const ExplodedArrays& ex, std::span<Vector* const> a, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> picked;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0 || a[1]->IsNull(r) || a[2]->IsNull(r)) {
      out.SetNull(r);
      continue;
    }
    int64_t start = a[1]->Data<int64_t>()[r];
    int64_t length = a[2]->Data<int64_t>()[r];
    if (start == 0) return InvalidArgument("SQL array indices start at 1");
    if (length < 0) return InvalidArgument("length must be greater than or equal to 0");
    auto n = static_cast<int64_t>(ex.end(r) - ex.begin(r));
    int64_t from = start > 0 ? start - 1 : n + start;
    picked.clear();
    if (from >= 0) {
      for (int64_t k = from; k < n && k - from < length; ++k) {
        picked.push_back(ex.begin(r) + static_cast<size_t>(k));
      }
    }
    internal::EmitArray(ex.elements, picked, buf, out, r);
  }
  return Status::OK();
}

Status Distinct(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> picked;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0) {
      out.SetNull(r);
      continue;
    }
    picked.clear();
    bool null_seen = false;
    for (size_t k = ex.begin(r); k < ex.end(r); ++k) {
      if (ex.elements.IsNull(k)) {
        if (!null_seen) picked.push_back(k);
        null_seen = true;
        continue;
      }
      bool duplicate = false;
      for (size_t p : picked) {
        if (!ex.elements.IsNull(p) && internal::RowsEqual(ex.elements, p, ex.elements, k)) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate) picked.push_back(k);
    }
    internal::EmitArray(ex.elements, picked, buf, out, r);
  }
  return Status::OK();
}

Status Sort(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> order;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0) {
      out.SetNull(r);
      continue;
    }
    order.resize(ex.end(r) - ex.begin(r));
    std::iota(order.begin(), order.end(), ex.begin(r));
    // Ascending, NULLs last, stable.
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      bool nx = ex.elements.IsNull(x), ny = ex.elements.IsNull(y);
      if (nx || ny) return !nx && ny;
      return internal::CompareRows(ex.elements, x, y) < 0;
    });
    internal::EmitArray(ex.elements, order, buf, out, r);
  }
  return Status::OK();
}

template <bool kMax>
Status Extreme(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  out.ShareBuffers(ex.elements);
  for (size_t r = 0; r < rows; ++r) {
    out.SetNull(r);
    if (ex.null_rows[r] != 0 || ex.begin(r) == ex.end(r)) continue;
    size_t best = ex.begin(r);
    bool null = false;
    for (size_t k = ex.begin(r); k < ex.end(r) && !null; ++k) {
      null = ex.elements.IsNull(k);
      if (null) break;
      int c = internal::CompareRows(ex.elements, k, best);
      if (kMax ? c > 0 : c < 0) best = k;
    }
    if (!null) CopyRowRef(ex.elements, best, out, r);
  }
  return Status::OK();
}

Status ReverseArrays(const ExplodedArrays& ex, std::span<Vector* const>, size_t rows, Vector& out) {
  std::string buf;
  std::vector<size_t> order;
  for (size_t r = 0; r < rows; ++r) {
    if (ex.null_rows[r] != 0) {
      out.SetNull(r);
      continue;
    }
    order.clear();
    for (size_t k = ex.end(r); k > ex.begin(r); --k) order.push_back(k - 1);
    internal::EmitArray(ex.elements, order, buf, out, r);
  }
  return Status::OK();
}

// ---- sequence, $array, $row ----

Result<std::optional<SV>> Sequence(int64_t start, int64_t stop, int64_t step, std::string& buf) {
  if (step == 0) return InvalidArgument("step must not be zero");
  if ((step > 0 && stop < start) || (step < 0 && stop > start)) {
    return InvalidArgument(
        "sequence stop value should be greater than or equal to start value if step is "
        "greater than zero otherwise stop should be less than or equal to start");
  }
  // Count with unsigned arithmetic: stop - start may overflow int64.
  uint64_t span = step > 0 ? static_cast<uint64_t>(stop) - static_cast<uint64_t>(start)
                           : static_cast<uint64_t>(start) - static_cast<uint64_t>(stop);
  uint64_t magnitude = step > 0 ? static_cast<uint64_t>(step) : 0 - static_cast<uint64_t>(step);
  if (span / magnitude >= static_cast<uint64_t>(kMaxSequence)) {
    return InvalidArgument("result of sequence function must not have more than " +
                           std::to_string(kMaxSequence) + " entries");
  }
  uint64_t count = span / magnitude + 1;
  buf.assign("[");
  int64_t v = start;
  for (uint64_t i = 0; i < count; ++i) {
    if (i > 0) {
      buf.push_back(',');
      v += step;  // Stays within [start, stop], so it cannot overflow.
    }
    buf.append(std::to_string(v));
  }
  buf.push_back(']');
  return std::optional<SV>(buf);
}

// Appends the elements of JSON array text (without brackets) to `buf`, canonicalized.
bool AppendElements(internal::JsonReader& reader, SV text, bool* first, std::string& buf) {
  od::document doc;
  od::array arr;
  if (reader.Start(text, &doc) != SUCCESS || doc.get_array().get(arr) != SUCCESS) return false;
  for (auto child : arr) {
    od::value v;
    if (child.get(v) != SUCCESS) return false;
    if (!*first) buf.push_back(',');
    *first = false;
    if (internal::AppendCanonicalJson(v, false, &buf) != SUCCESS) return false;
  }
  return true;
}

}  // namespace

namespace internal {

bool AnyArrayArgument(const ScalarBindInput& input) {
  for (const LogicalType& t : input.arg_types) {
    if (IsArray(t)) return true;
  }
  return false;
}

// concat(array, array, ...) and ||: arrays and single elements, all coerced to one element type.
// NULL arrays make the result NULL (Trino's concat returns NULL when any argument is NULL).
Result<BoundScalarFunction> BindArrayConcat(const ScalarBindInput& in) {
  TB_RETURN_IF_ERROR(RejectLambdas(in));
  LogicalType element = T::Unknown();
  for (const LogicalType& t : in.arg_types) {
    const LogicalType& e = IsArray(t) ? t.element() : t;
    if (e.id() == TypeId::kUnknown) continue;
    LogicalType common = element.id() == TypeId::kUnknown ? e : CommonSuperType(element, e);
    if (common.id() == TypeId::kUnknown) {
      return UnexpectedParameters(in, "concat(array(T), ...), array(T) || T, T || array(T)");
    }
    element = common;
  }
  std::vector<LogicalType> args;
  for (const LogicalType& t : in.arg_types)
    args.push_back(IsArray(t) ? T::Array(element) : element);
  return MakeBound(args, T::Array(element),
                   [](std::span<Vector* const> a, size_t rows, Vector& out, FunctionContext&,
                      const void*) -> Status {
                     internal::JsonReader reader;
                     out.Resize(rows);
                     std::string buf;
                     for (size_t r = 0; r < rows; ++r) {
                       buf.assign("[");
                       bool first = true;
                       bool null = false;
                       for (Vector* v : a) {
                         if (v->type().id() != TypeId::kArray) {
                           if (!first) buf.push_back(',');
                           first = false;
                           AppendJsonEncoding(*v, r, &buf);
                           continue;
                         }
                         if (v->IsNull(r) ||
                             !AppendElements(reader, v->Data<StringRef>()[r].view(), &first, buf)) {
                           null = true;
                           break;
                         }
                       }
                       if (null) {
                         out.SetNull(r);
                         continue;
                       }
                       buf.push_back(']');
                       out.SetString(r, buf);
                     }
                     return Status::OK();
                   });
}

Result<BoundScalarFunction> BindArrayReverse(const ScalarBindInput& in) {
  static const ScalarBind bind =
      ArrayBind("reverse(array(T))", {}, SameArray, false, ReverseArrays);
  return bind(in);
}

}  // namespace internal

void RegisterArrayFunctions(FunctionRegistry& registry) {
  registry.AddScalar("transform",
                     LambdaBind(LambdaKind::kTransform, "transform(array(T), function(T, U))"));
  registry.AddScalar("filter",
                     LambdaBind(LambdaKind::kFilter, "filter(array(T), function(T, boolean))"));
  registry.AddScalar(
      "any_match", LambdaBind(LambdaKind::kAnyMatch, "any_match(array(T), function(T, boolean))"));
  registry.AddScalar(
      "all_match", LambdaBind(LambdaKind::kAllMatch, "all_match(array(T), function(T, boolean))"));
  registry.AddScalar("none_match", LambdaBind(LambdaKind::kNoneMatch,
                                              "none_match(array(T), function(T, boolean))"));
  registry.AddScalar("array_join",
                     ArrayBind("array_join(array(T), varchar[, varchar])",
                               {T::Varchar(), T::Varchar()}, VarcharResult, false, ArrayJoin));
  registry.AddScalar("slice", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    static const ScalarBind bind = ArrayBind("slice(array(T), bigint, bigint)",
                                             {T::Bigint(), T::Bigint()}, SameArray, false, Slice);
    if (in.arg_types.size() != 3)
      return UnexpectedParameters(in, "slice(array(T), bigint, bigint)");
    return bind(in);
  });
  registry.AddScalar("array_distinct",
                     ArrayBind("array_distinct(array(T))", {}, SameArray, false, Distinct));
  registry.AddScalar("array_sort", ArrayBind("array_sort(array(T))", {}, SameArray, true, Sort));
  registry.AddScalar("array_max",
                     ArrayBind("array_max(array(T))", {}, ElementOf, true, Extreme<true>));
  registry.AddScalar("array_min",
                     ArrayBind("array_min(array(T))", {}, ElementOf, true, Extreme<false>));
  registry.AddScalar(
      "sequence", BindSignatures("sequence", {{{T::Bigint(), T::Bigint()},
                                               T::Array(T::Bigint()),
                                               BatchKernel<SV, int64_t, int64_t>([] {
                                                 return [buf = std::string()](int64_t a,
                                                                              int64_t b) mutable {
                                                   return Sequence(a, b, a <= b ? 1 : -1, buf);
                                                 };
                                               })},
                                              {{T::Bigint(), T::Bigint(), T::Bigint()},
                                               T::Array(T::Bigint()),
                                               BatchKernel<SV, int64_t, int64_t, int64_t>([] {
                                                 return [buf = std::string()](int64_t a, int64_t b,
                                                                              int64_t s) mutable {
                                                   return Sequence(a, b, s, buf);
                                                 };
                                               })}}));
}

}  // namespace trailbook::sql
