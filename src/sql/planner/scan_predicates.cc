#include "sql/planner/scan_predicates.h"

#include <algorithm>

#include "base/timestamp.h"

namespace trailbook::sql {
namespace {

bool IsScanColumn(const BoundExpr& e, uint32_t table) {
  return e.kind == BoundExprKind::kColumnRef && e.binding.table == table;
}

bool IsConstantOf(const BoundExpr& e, TypeId type) {
  return e.kind == BoundExprKind::kConstant && !e.value.is_null() && e.value.type().id() == type;
}

// Folds `e` into the time range when it is `eventTime <op> constant` (either side).
bool TakeTimeBound(const BoundExpr& e, const TableCatalog& catalog, uint32_t table,
                   TimeRange* range) {
  if (e.kind != BoundExprKind::kCall || e.children.size() != 2) return false;
  std::string op = e.name;
  const BoundExpr* col = e.children[0].get();
  const BoundExpr* constant = e.children[1].get();
  if (!IsScanColumn(*col, table)) {
    std::swap(col, constant);
    if (op == "$lt") op = "$gt"; else if (op == "$gt") op = "$lt";
    else if (op == "$le") op = "$ge"; else if (op == "$ge") op = "$le";
  }
  if (!IsScanColumn(*col, table) || static_cast<int>(col->binding.column) != catalog.event_time_column() ||
      !IsConstantOf(*constant, TypeId::kTimestamp)) {
    return false;
  }
  int64_t c = constant->value.int_value();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (op == "$eq") {
    range->Intersect(c, c);
  } else if (op == "$ge") {
    range->Intersect(c, kMax);
  } else if (op == "$gt") {
    range->Intersect(c == kMax ? kMax : c + 1, c == kMax ? kMin : kMax);
  } else if (op == "$le") {
    range->Intersect(kMin, c);
  } else if (op == "$lt") {
    range->Intersect(c == kMin ? kMax : kMin, c == kMin ? kMin : c - 1);
  } else {
    return false;
  }
  return true;
}

bool TakeNeedle(const BoundExpr& e, const TableCatalog& catalog, uint32_t table,
                std::vector<NeedlePredicate>* out) {
  NeedlePredicate n;
  if (e.kind == BoundExprKind::kCall && e.name == "$eq" && e.children.size() == 2) {
    const BoundExpr* col = e.children[0].get();
    const BoundExpr* constant = e.children[1].get();
    if (!IsScanColumn(*col, table)) std::swap(col, constant);
    if (!IsScanColumn(*col, table) || !IsConstantOf(*constant, TypeId::kVarchar)) return false;
    n.column = static_cast<int>(col->binding.column);
    n.values.push_back(constant->value.string_value());
  } else if (e.kind == BoundExprKind::kInList && !e.negated &&
             IsScanColumn(*e.children[0], table)) {
    n.column = static_cast<int>(e.children[0]->binding.column);
    for (size_t i = 1; i < e.children.size(); ++i) {
      const BoundExpr& item = *e.children[i];
      if (item.kind != BoundExprKind::kConstant) return false;
      if (item.value.is_null()) continue;  // x IN (..., NULL) is never TRUE through the NULL.
      if (item.value.type().id() != TypeId::kVarchar) return false;
      n.values.push_back(item.value.string_value());
    }
  } else {
    return false;
  }
  if (!catalog.column(static_cast<size_t>(n.column)).needle) return false;
  std::sort(n.values.begin(), n.values.end());
  n.values.erase(std::unique(n.values.begin(), n.values.end()), n.values.end());
  out->push_back(std::move(n));
  return true;
}

}  // namespace

std::string TimeRange::ToString() const {
  if (empty()) return "(empty)";
  std::string lo = min == std::numeric_limits<int64_t>::min() ? "-inf" : FormatTimestamp(min);
  std::string hi = max == std::numeric_limits<int64_t>::max() ? "+inf" : FormatTimestamp(max);
  return "[" + lo + ", " + hi + "]";
}

std::string NeedlePredicate::ToString(const TableCatalog& catalog) const {
  std::string s = catalog.column(static_cast<size_t>(column)).name;
  if (values.size() == 1) return s + " = '" + values[0] + "'";
  s += " IN (";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", '" : "'") + values[i] + "'";
  return s + ")";
}

ScanPredicates ClassifyScanFilters(const TableCatalog& catalog, uint32_t scan_table,
                                   std::vector<BoundExprPtr> filters) {
  ScanPredicates p;
  for (BoundExprPtr& f : filters) {
    if (f->kind == BoundExprKind::kConstant) {
      if (f->value.is_null() || !f->value.bool_value()) p.always_false = true;
      continue;
    }
    if (TakeTimeBound(*f, catalog, scan_table, &p.time)) continue;
    if (TakeNeedle(*f, catalog, scan_table, &p.needles)) {
      if (p.needles.back().values.empty()) p.always_false = true;
      continue;
    }
    std::vector<ColumnBinding> refs;
    CollectBindings(*f, &refs);
    bool single = !refs.empty() && IsDeterministic(*f);
    for (const ColumnBinding& b : refs) single = single && b == refs[0];
    bool lambda_free = true;
    VisitExpr(*f, [&](const BoundExpr& n) {
      lambda_free = lambda_free && n.kind != BoundExprKind::kLambda;
    });
    if (single && lambda_free && refs[0].table == scan_table) {
      p.column_predicates.push_back(ColumnPredicate{static_cast<int>(refs[0].column), std::move(f)});
    } else {
      p.residual.push_back(std::move(f));
    }
  }
  if (p.time.empty()) p.always_false = true;
  return p;
}

}  // namespace trailbook::sql
