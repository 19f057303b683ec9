// File: base/status.h
//
// Internal companion of trailbook/status.h: the propagation macros used everywhere.
//
//   TB_RETURN_IF_ERROR(file.Sync());
//   TB_ASSIGN_OR_RETURN(auto seg, SegmentReader::Open(path));
#pragma once

#include "trailbook/status.h"

#define TB_STATUS_CONCAT_INNER_(a, b) a##b
#define TB_STATUS_CONCAT_(a, b) TB_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Status); returns it from the enclosing function when not OK.
#define TB_RETURN_IF_ERROR(expr)                              \
  do {                                                        \
    ::trailbook::Status tb_status_ = (expr);                  \
    if (!tb_status_.ok()) return tb_status_;                  \
  } while (false)

// Evaluates `rexpr` (a Result<T>); on error returns its Status, else moves the value into `lhs`.
#define TB_ASSIGN_OR_RETURN(lhs, rexpr) \
  TB_ASSIGN_OR_RETURN_IMPL_(TB_STATUS_CONCAT_(tb_result_, __LINE__), lhs, rexpr)
#define TB_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                              \
  if (!result.ok()) return result.status();           \
  lhs = std::move(result).value()
