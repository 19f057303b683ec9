// File: sql/functions/kernel_templates.h
//
// Templates that turn a per-row operation into a vectorised kernel with Trino's default NULL
// handling (any NULL argument gives a NULL result). The operation sees C++ views of the
// arguments and returns the result in one of four shapes:
//   R                        always a value;
//   std::optional<R>         nullopt is NULL;
//   Result<R>                an error stops the kernel;
//   Result<std::optional<R>> both.
// Argument and result types are the views of the physical types: bool, int64_t, double and
// std::string_view (StringRef). String results are copied into the output vector's arena,
// unless the kernel says they are slices of its arguments (StringResult::kSliceOfArgs), in
// which case the output shares the arguments' buffers and nothing is copied.
//
//   registry.AddScalar("length", BindSignatures("length", {
//       {{LogicalType::Varchar()}, LogicalType::Bigint(),
//        RowKernel<int64_t, std::string_view>([](std::string_view s) {
//          return static_cast<int64_t>(Utf8Length(s));
//        })}}));
//
// The loop does no heap allocation per row; operations that build strings append to a
// scratch std::string they own (created once per batch) and return a view of it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "base/check.h"
#include "base/status.h"
#include "sql/functions/scalar_function.h"
#include "sql/types/vector.h"

namespace trailbook::sql {

// What a string-returning operation's result points to.
enum class StringResult : uint8_t {
  kCopy,         // Scratch memory or a constant: copied into the output's arena.
  kSliceOfArgs,  // Memory of an argument vector: referenced, not copied.
};

namespace kernel_internal {

template <typename T>
struct Storage;
template <>
struct Storage<bool> {
  using Type = uint8_t;
};
template <>
struct Storage<int64_t> {
  using Type = int64_t;
};
template <>
struct Storage<double> {
  using Type = double;
};
template <>
struct Storage<std::string_view> {
  using Type = StringRef;
};

// A read-only view of a flat argument vector as values of type T.
template <typename T>
class ArgView {
 public:
  explicit ArgView(const Vector& v)
      : nulls_(v.Nulls()), data_(v.template Data<typename Storage<T>::Type>()) {}
  bool IsNull(size_t i) const { return nulls_[i] != 0; }
  T Get(size_t i) const {
    if constexpr (std::is_same_v<T, std::string_view>) {
      return data_[i].view();
    } else if constexpr (std::is_same_v<T, bool>) {
      return data_[i] != 0;
    } else {
      return data_[i];
    }
  }

 private:
  const uint8_t* nulls_;
  const typename Storage<T>::Type* data_;
};

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};

}  // namespace kernel_internal

// Writes row `i` of a flat output vector of physical view type R.
template <typename R>
inline void SetResult(Vector& out, size_t i, R value, StringResult mode) {
  if constexpr (std::is_same_v<R, std::string_view>) {
    if (mode == StringResult::kSliceOfArgs) {
      out.SetStringRef(i, value);
    } else {
      out.SetString(i, value);
    }
  } else if constexpr (std::is_same_v<R, bool>) {
    (void)mode;
    out.Data<uint8_t>()[i] = value ? 1 : 0;
  } else {
    (void)mode;
    out.Data<R>()[i] = value;
  }
}

// Runs `op` over `rows` rows of the flat vectors `args` (one per type in A) into `out`,
// which it resizes. Rows where any argument is NULL are NULL without calling `op`.
// Returns the first error `op` returns.
template <typename R, typename... A, typename Op>
Status MapRows(std::span<Vector* const> args, size_t rows, Vector& out, Op&& op,
               StringResult mode = StringResult::kCopy) {
  TB_DCHECK(args.size() == sizeof...(A)) << "kernel arity";
  return [&]<size_t... I>(std::index_sequence<I...>)->Status {
    out.Resize(rows);
    if constexpr (std::is_same_v<R, std::string_view>) {
      if (mode == StringResult::kSliceOfArgs) (out.ShareBuffers(*args[I]), ...);
    }
    std::tuple<kernel_internal::ArgView<A>...> views{kernel_internal::ArgView<A>{*args[I]}...};
    for (size_t i = 0; i < rows; ++i) {
      if ((std::get<I>(views).IsNull(i) || ...)) {
        out.SetNull(i);
        continue;
      }
      auto r = op(std::get<I>(views).Get(i)...);
      using Ret = decltype(r);
      if constexpr (kernel_internal::IsResult<Ret>::value) {
        if (!r.ok()) return r.status();
        auto& v = r.value();
        if constexpr (kernel_internal::IsOptional<std::decay_t<decltype(v)>>::value) {
          if (!v.has_value()) {
            out.SetNull(i);
          } else {
            SetResult<R>(out, i, *v, mode);
          }
        } else {
          SetResult<R>(out, i, v, mode);
        }
      } else if constexpr (kernel_internal::IsOptional<Ret>::value) {
        if (!r.has_value()) {
          out.SetNull(i);
        } else {
          SetResult<R>(out, i, *r, mode);
        }
      } else {
        SetResult<R>(out, i, r, mode);
      }
    }
    return Status::OK();
  }
  (std::index_sequence_for<A...>{});
}

// Wraps MapRows into a ScalarKernel. `make_op` is called once per batch and returns the
// per-row operation, so the operation may own scratch buffers without sharing them between
// threads: `[] { return [buf = std::string()](std::string_view s) mutable {...}; }`.
template <typename R, typename... A, typename MakeOp>
ScalarKernel BatchKernel(MakeOp make_op, StringResult mode = StringResult::kCopy) {
  return [make_op, mode](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                         const void*) -> Status {
    auto op = make_op();
    return MapRows<R, A...>(args, rows, out, op, mode);
  };
}

// Wraps a stateless per-row operation into a ScalarKernel.
template <typename R, typename... A, typename Op>
ScalarKernel RowKernel(Op op, StringResult mode = StringResult::kCopy) {
  return [op, mode](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                    const void*) -> Status { return MapRows<R, A...>(args, rows, out, op, mode); };
}

// Wraps a per-row operation that reads the call's bind data (of type D, set by the bind
// callback) into a ScalarKernel: op(const D&, args...).
template <typename D, typename R, typename... A, typename Op>
ScalarKernel BindDataKernel(Op op, StringResult mode = StringResult::kCopy) {
  return [op, mode](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                    const void* bind_data) -> Status {
    const D& data = *static_cast<const D*>(bind_data);
    return MapRows<R, A...>(
        args, rows, out, [&](auto... a) { return op(data, a...); }, mode);
  };
}

// Calls f.template operator()<V>() with V the view type of physical type `p` (bool, int64_t,
// double or std::string_view), for kernels generic over their argument type.
template <typename F>
decltype(auto) DispatchPhysical(PhysicalType p, F&& f) {
  switch (p) {
    case PhysicalType::kBool:
      return f.template operator()<bool>();
    case PhysicalType::kInt64:
      return f.template operator()<int64_t>();
    case PhysicalType::kDouble:
      return f.template operator()<double>();
    case PhysicalType::kString:
      break;
  }
  return f.template operator()<std::string_view>();
}

// Sets row `j` of flat `out` to row `i` of flat `src` (same physical type), NULL included.
// Strings are referenced, not copied: REQUIRES out.ShareBuffers(src) was called.
inline void CopyRowRef(const Vector& src, size_t i, Vector& out, size_t j) {
  if (src.IsNull(i)) {
    out.SetNull(j);
    return;
  }
  out.Nulls()[j] = 0;
  switch (src.type().physical()) {
    case PhysicalType::kBool:
      out.Data<uint8_t>()[j] = src.Data<uint8_t>()[i];
      break;
    case PhysicalType::kInt64:
      out.Data<int64_t>()[j] = src.Data<int64_t>()[i];
      break;
    case PhysicalType::kDouble:
      out.Data<double>()[j] = src.Data<double>()[i];
      break;
    case PhysicalType::kString:
      out.Data<StringRef>()[j] = src.Data<StringRef>()[i];
      break;
  }
}

}  // namespace trailbook::sql
