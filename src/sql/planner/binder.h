// File: sql/planner/binder.h
//
// Bind: resolves a parsed query (sql/parser/ast.h) against the catalog and the function
// registry into a logical plan (logical_plan.h): names to column bindings (case-insensitive;
// dotted paths such as userIdentity.sessionContext.sessionIssuer.arn bind to stored leaf
// columns), types checked and implicit casts inserted (CloudTrail Lake's string-literal to
// timestamp coercion included), functions resolved, runbook parameters bound as typed values,
// aggregates, windows, subqueries, CTEs and set operations planned.
//
//   BinderContext ctx{sql, &catalog, store_id, {}, &registry, &params, now_us};
//   TB_ASSIGN_OR_RETURN(BoundQuery q, Bind(*statement, ctx));
//
// Errors are kInvalidArgument (kUnimplemented for unsupported features) with the line, column
// and a caret snippet, e.g.
//   unknown column 'evntName' at 1:8; did you mean 'eventName'?
//     SELECT evntName FROM events
//            ^
// Thread safety: Bind is reentrant; the context's pointees must outlive the call (the
// catalog must outlive the returned plan).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/functions/function_registry.h"
#include "sql/parser/ast.h"
#include "sql/planner/catalog.h"
#include "sql/planner/logical_plan.h"
#include "sql/types/value.h"

namespace trailbook::sql {

struct BinderContext {
  std::string_view sql;                 // The query text, for error snippets.
  const TableCatalog* catalog = nullptr;
  // The store's event-data-store id: `FROM <id>` (bare, quoted, or as an EDS ARN) names it.
  std::string store_id;
  // More ids that name the store (`--eds-id`: the id a query was written for in Lake).
  std::vector<std::string> store_aliases;
  const FunctionRegistry* functions = nullptr;
  const std::map<std::string, Value>* parameters = nullptr;  // Nullable: no parameters.
  int64_t now_us = 0;                   // now() and current_timestamp for this query.
  // Tags the constants bound from parameters and now() with PlanSlots (BoundExpr::slot,
  // BoundQuery::slots) so the plan can be re-executed with other values, and binds so that
  // the plan does not depend on those values where it can (function binds do not see them;
  // -:n is not folded); BoundQuery::reusable says whether it succeeded. Parameter values
  // must then be non-NULL.
  bool tag_slots = false;
};

Result<BoundQuery> Bind(const Statement& statement, const BinderContext& context);

}  // namespace trailbook::sql
