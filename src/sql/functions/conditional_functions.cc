// Conditional functions over any type: coalesce, if, nullif, greatest, least. The engine
// evaluates COALESCE and IF lazily itself when their arguments may fail; these kernels see
// arguments already evaluated, which gives the same results when no argument errors.
#include <functional>

#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/kernel_templates.h"

namespace trailbook::sql {
namespace {

// Returns the common super type of arguments [first, end), or kUnknown when there is none.
// `ok` is set to false when two arguments have no common type.
LogicalType CommonType(const std::vector<LogicalType>& types, size_t first, bool* ok) {
  LogicalType common = LogicalType::Unknown();
  *ok = true;
  for (size_t i = first; i < types.size(); ++i) {
    if (types[i].id() == TypeId::kUnknown) continue;
    if (common.id() == TypeId::kUnknown) {
      common = types[i];
      continue;
    }
    LogicalType next = CommonSuperType(common, types[i]);
    if (next.id() == TypeId::kUnknown) {
      *ok = false;
      return common;
    }
    common = next;
  }
  return common;
}

void ShareAll(std::span<Vector* const> args, size_t first, Vector& out) {
  if (out.type().physical() != PhysicalType::kString) return;
  for (size_t i = first; i < args.size(); ++i) out.ShareBuffers(*args[i]);
}

Status CoalesceKernel(std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                      const void*) {
  out.Resize(rows);
  ShareAll(args, 0, out);
  for (size_t r = 0; r < rows; ++r) {
    out.SetNull(r);
    for (Vector* a : args) {
      if (!a->IsNull(r)) {
        CopyRowRef(*a, r, out, r);
        break;
      }
    }
  }
  return Status::OK();
}

// if(condition, then[, else]): a NULL condition counts as false.
Status IfKernel(std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                const void*) {
  out.Resize(rows);
  ShareAll(args, 1, out);
  const Vector& cond = *args[0];
  const uint8_t* c = cond.Data<uint8_t>();
  for (size_t r = 0; r < rows; ++r) {
    if (!cond.IsNull(r) && c[r] != 0) {
      CopyRowRef(*args[1], r, out, r);
    } else if (args.size() == 3) {
      CopyRowRef(*args[2], r, out, r);
    } else {
      out.SetNull(r);
    }
  }
  return Status::OK();
}

template <typename V>
bool RowEquals(const Vector& a, const Vector& b, size_t r) {
  if constexpr (std::is_same_v<V, std::string_view>) {
    return a.Data<StringRef>()[r].view() == b.Data<StringRef>()[r].view();
  } else if constexpr (std::is_same_v<V, bool>) {
    return a.Data<uint8_t>()[r] == b.Data<uint8_t>()[r];
  } else {
    return a.Data<V>()[r] == b.Data<V>()[r];
  }
}

// nullif(a, b): NULL when a = b, else a.
Status NullIfKernel(std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                    const void*) {
  out.Resize(rows);
  ShareAll(args, 0, out);
  const Vector& a = *args[0];
  const Vector& b = *args[1];
  DispatchPhysical(a.type().physical(), [&]<typename V>() {
    for (size_t r = 0; r < rows; ++r) {
      if (!a.IsNull(r) && !b.IsNull(r) && RowEquals<V>(a, b, r)) {
        out.SetNull(r);
      } else {
        CopyRowRef(a, r, out, r);
      }
    }
  });
  return Status::OK();
}

// greatest/least: NULL when any argument is NULL (Trino).
template <typename Better>
ScalarKernel ExtremeKernel() {
  return [](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
            const void*) -> Status {
    out.Resize(rows);
    ShareAll(args, 0, out);
    DispatchPhysical(out.type().physical(), [&]<typename V>() {
      Better better;
      for (size_t r = 0; r < rows; ++r) {
        size_t best = 0;
        bool null = false;
        for (size_t k = 0; k < args.size() && !null; ++k) {
          null = args[k]->IsNull(r);
          if (null || k == 0) continue;
          if constexpr (std::is_same_v<V, std::string_view>) {
            if (better(args[k]->Data<StringRef>()[r].view(),
                       args[best]->Data<StringRef>()[r].view())) {
              best = k;
            }
          } else if constexpr (std::is_same_v<V, bool>) {
            if (better(args[k]->Data<uint8_t>()[r], args[best]->Data<uint8_t>()[r])) best = k;
          } else {
            if (better(args[k]->Data<V>()[r], args[best]->Data<V>()[r])) best = k;
          }
        }
        if (null) {
          out.SetNull(r);
        } else {
          CopyRowRef(*args[best], r, out, r);
        }
      }
    });
    return Status::OK();
  };
}

bool IsOrderable(const LogicalType& t) {
  switch (t.id()) {
    case TypeId::kBoolean:
    case TypeId::kBigint:
    case TypeId::kDouble:
    case TypeId::kVarchar:
    case TypeId::kTimestamp:
    case TypeId::kDate:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth:
    case TypeId::kUnknown:
      return true;
    default:
      return false;
  }
}

// Binds a function whose arguments from `first` on share one type, which is also the result.
ScalarBind SameTypeBind(std::string expected, size_t min_args, size_t max_args, size_t first,
                        bool orderable, ScalarKernel kernel) {
  return [=](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    const size_t n = in.arg_types.size();
    if (n < min_args || n > max_args) return UnexpectedParameters(in, expected);
    bool ok;
    LogicalType common = CommonType(in.arg_types, first, &ok);
    if (!ok || (orderable && !IsOrderable(common))) return UnexpectedParameters(in, expected);
    BoundScalarFunction b;
    for (size_t i = 0; i < n; ++i) b.arg_types.push_back(i < first ? in.arg_types[i] : common);
    if (first == 1) {
      if (in.arg_types[0].id() != TypeId::kBoolean && in.arg_types[0].id() != TypeId::kUnknown) {
        return UnexpectedParameters(in, expected);
      }
      b.arg_types[0] = LogicalType::Boolean();
    }
    b.return_type = common;
    b.kernel = kernel;
    b.lambda_params.assign(n, {});
    return b;
  };
}

}  // namespace

void RegisterConditionalFunctions(FunctionRegistry& registry) {
  registry.AddScalar("coalesce",
                     SameTypeBind("coalesce(T, T, ...)", 1, SIZE_MAX, 0, false, CoalesceKernel));
  registry.AddScalar("if", SameTypeBind("if(boolean, T[, T])", 2, 3, 1, false, IfKernel));
  registry.AddScalar("nullif", SameTypeBind("nullif(T, T)", 2, 2, 0, false, NullIfKernel));
  registry.AddScalar("greatest", SameTypeBind("greatest(T, T, ...)", 1, SIZE_MAX, 0, true,
                                              ExtremeKernel<std::greater<>>()));
  registry.AddScalar("least", SameTypeBind("least(T, T, ...)", 1, SIZE_MAX, 0, true,
                                           ExtremeKernel<std::less<>>()));
}

}  // namespace trailbook::sql
