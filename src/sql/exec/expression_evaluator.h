// File: sql/exec/expression_evaluator.h
//
// ExpressionEvaluator: evaluates one bound expression over DataChunks, a column at a time.
//
//   ExpressionEvaluator eval(*expr, &context);
//   TB_ASSIGN_OR_RETURN(const Vector* v, eval.Evaluate(chunk));     // valid until next call
//   TB_ASSIGN_OR_RETURN(size_t n, eval.Select(chunk, sel));         // rows where TRUE
//
// Semantics owned here (the rest are library kernels, sql/functions/scalar_function.h):
//   - AND, OR, NOT with three-valued logic; AND/OR, CASE, IF and COALESCE are lazy: an
//     operand is evaluated only on the rows whose result it can still change, so
//     `x <> 0 AND 10 / x > 1` never divides by zero;
//   - IS [NOT] NULL, IS [NOT] DISTINCT FROM, [NOT] IN lists (NULL when no match and the
//     list holds a NULL);
//   - lambdas: kernels call back through LambdaEvaluator with vectors of parameter values.
// A function whose only non-constant argument is a dictionary vector is evaluated once per
// dictionary entry and cached by dictionary id (deterministic functions only; on an error the
// rows are evaluated one by one, so a failing entry that no row uses raises nothing).
// Kernel errors are reported with the expression's line, column and snippet.
//
// REQUIRES: column references are resolved to input positions, subqueries replaced by
// constants (the physical planner does both). The expression and context must outlive the
// evaluator.
// Thread safety: not thread-safe; one evaluator per operator instance.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/status.h"
#include "sql/exec/query_context.h"
#include "sql/planner/bound_expr.h"
#include "sql/types/data_chunk.h"

namespace trailbook::sql {

class ExpressionEvaluator {
 public:
  ExpressionEvaluator(const BoundExpr& expr, QueryContext* context);
  ~ExpressionEvaluator();
  ExpressionEvaluator(const ExpressionEvaluator&) = delete;
  ExpressionEvaluator& operator=(const ExpressionEvaluator&) = delete;

  // Evaluates over every row of `input`. The returned vector (any mode, input.size rows) is
  // owned by the evaluator and valid until the next call.
  Result<const Vector*> Evaluate(const DataChunk& input);
  // Evaluates a boolean expression and writes the rows where it is TRUE to `sel` (room for
  // input.size entries), returning their count.
  Result<size_t> Select(const DataChunk& input, uint32_t* sel);

  const BoundExpr& expr() const { return expr_; }

  struct Node;

 private:
  class Lambdas;
  Status Eval(Node& node, const DataChunk& input, size_t rows);
  Status EvalSubset(Node& node, const DataChunk& input, size_t rows, const uint32_t* sel,
                    size_t count);
  Status EvalCall(Node& node, const DataChunk& input, size_t rows);
  Status EvalLogical(Node& node, const DataChunk& input, size_t rows, bool is_and);
  Status EvalCase(Node& node, const DataChunk& input, size_t rows);
  Status EvalCoalesce(Node& node, const DataChunk& input, size_t rows);
  Status EvalInList(Node& node, const DataChunk& input, size_t rows);
  Status EvalDistinct(Node& node, const DataChunk& input, size_t rows);
  Status EvalLambdaBody(Node& call, size_t arg, std::span<Vector* const> inputs, Vector& out);
  Status Locate(const Status& status, const BoundExpr& e) const;

  const BoundExpr& expr_;
  QueryContext* context_;
  std::unique_ptr<Node> root_;
  std::vector<Vector*> lambda_slots_;
};

}  // namespace trailbook::sql
