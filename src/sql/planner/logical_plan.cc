#include "sql/planner/logical_plan.h"

#include <algorithm>

namespace trailbook::sql {
namespace {

std::string JoinExprs(const std::vector<BoundExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->ToString();
  }
  return out;
}

std::string OrdersToString(const std::vector<BoundOrder>& orders) {
  std::string out;
  for (size_t i = 0; i < orders.size(); ++i) {
    if (i > 0) out += ", ";
    out += orders[i].expr->ToString();
    out += orders[i].descending ? " DESC" : " ASC";
    out += orders[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return out;
}

std::vector<ColumnBinding> TableBindings(uint32_t table, size_t n) {
  std::vector<ColumnBinding> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = ColumnBinding{table, static_cast<uint32_t>(i)};
  return out;
}

void Append(std::vector<ColumnBinding>* a, const std::vector<ColumnBinding>& b) {
  a->insert(a->end(), b.begin(), b.end());
}

void Append(std::vector<LogicalType>* a, const std::vector<LogicalType>& b) {
  a->insert(a->end(), b.begin(), b.end());
}

void Print(const LogicalOperator& op, int depth, std::string* out) {
  std::string line(static_cast<size_t>(depth) * 2, ' ');
  switch (op.kind) {
    case LogicalOperatorKind::kScan: {
      const auto& s = op.As<LogicalScan>();
      line += "Scan " + s.catalog->name() + " [";
      for (size_t i = 0; i < s.columns.size(); ++i) {
        if (i > 0) line += ", ";
        line += s.catalog->column(static_cast<size_t>(s.columns[i])).name;
      }
      line += "]";
      if (!s.filters.empty()) line += " filters: " + JoinExprs(s.filters);
      break;
    }
    case LogicalOperatorKind::kValues:
      line += "Values (" + std::to_string(op.As<LogicalValues>().rows.size()) + " rows)";
      break;
    case LogicalOperatorKind::kFilter:
      line += "Filter " + JoinExprs(op.As<LogicalFilter>().conditions);
      break;
    case LogicalOperatorKind::kProject:
      line += "Project " + JoinExprs(op.As<LogicalProject>().exprs);
      break;
    case LogicalOperatorKind::kAggregate: {
      const auto& a = op.As<LogicalAggregate>();
      line += "Aggregate groups: [" + JoinExprs(a.groups) + "] aggregates: [";
      for (size_t i = 0; i < a.aggregates.size(); ++i) {
        if (i > 0) line += ", ";
        line += a.aggregates[i].ToString();
      }
      line += "]";
      break;
    }
    case LogicalOperatorKind::kWindow: {
      const auto& w = op.As<LogicalWindow>();
      line += "Window ";
      for (size_t i = 0; i < w.functions.size(); ++i) {
        if (i > 0) line += ", ";
        line += w.functions[i].ToString();
      }
      break;
    }
    case LogicalOperatorKind::kSort:
      line += "Sort " + OrdersToString(op.As<LogicalSort>().orders);
      break;
    case LogicalOperatorKind::kLimit: {
      const auto& l = op.As<LogicalLimit>();
      line += "Limit " + (l.limit ? std::to_string(*l.limit) : std::string("ALL"));
      if (l.offset > 0) line += " OFFSET " + std::to_string(l.offset);
      break;
    }
    case LogicalOperatorKind::kJoin: {
      const auto& j = op.As<LogicalJoin>();
      line += std::string(LogicalJoinTypeName(j.type));
      if (!j.conditions.empty()) line += " ON " + JoinExprs(j.conditions);
      break;
    }
    case LogicalOperatorKind::kUnnest:
      line += "Unnest " + JoinExprs(op.As<LogicalUnnest>().args);
      if (op.As<LogicalUnnest>().with_ordinality) line += " WITH ORDINALITY";
      break;
    case LogicalOperatorKind::kSetOperation: {
      const auto& s = op.As<LogicalSetOperation>();
      line += std::string(SetOperatorName(s.op)) + (s.all ? " ALL" : "");
      break;
    }
  }
  *out += line + "\n";
  for (const auto& c : op.children) Print(*c, depth + 1, out);
}

}  // namespace

std::string BoundAggregate::ToString() const {
  std::string s = name + "(";
  if (distinct) s += "DISTINCT ";
  if (args.empty() && name == "count") s += "*";
  s += JoinExprs(args);
  if (!order_by.empty()) s += " ORDER BY " + OrdersToString(order_by);
  s += ")";
  if (filter) s += " FILTER (WHERE " + filter->ToString() + ")";
  return s;
}

std::string BoundWindowFunction::ToString() const {
  std::string s = name + "(" + JoinExprs(args) + ") OVER (";
  if (!partition_by.empty()) s += "PARTITION BY " + JoinExprs(partition_by);
  if (!order_by.empty()) {
    if (!partition_by.empty()) s += " ";
    s += "ORDER BY " + OrdersToString(order_by);
  }
  return s + ")";
}

std::string_view LogicalJoinTypeName(LogicalJoinType type) {
  switch (type) {
    case LogicalJoinType::kInner: return "InnerJoin";
    case LogicalJoinType::kLeft: return "LeftJoin";
    case LogicalJoinType::kRight: return "RightJoin";
    case LogicalJoinType::kFull: return "FullJoin";
    case LogicalJoinType::kCross: return "CrossJoin";
  }
  return "Join";
}

std::vector<ColumnBinding> LogicalScan::OutputBindings() const {
  std::vector<ColumnBinding> out;
  for (int c : columns) out.push_back(ColumnBinding{table, static_cast<uint32_t>(c)});
  return out;
}

std::vector<LogicalType> LogicalScan::OutputTypes() const {
  std::vector<LogicalType> out;
  for (int c : columns) out.push_back(catalog->column(static_cast<size_t>(c)).type);
  return out;
}

ColumnBinding LogicalScan::EnsureColumn(int catalog_index) {
  bool present = false;
  for (int c : columns) present = present || c == catalog_index;
  if (!present) columns.push_back(catalog_index);
  return ColumnBinding{table, static_cast<uint32_t>(catalog_index)};
}

std::vector<ColumnBinding> LogicalValues::OutputBindings() const {
  return TableBindings(table, types.size());
}

std::vector<ColumnBinding> LogicalFilter::OutputBindings() const {
  return children[0]->OutputBindings();
}
std::vector<LogicalType> LogicalFilter::OutputTypes() const { return children[0]->OutputTypes(); }

std::vector<ColumnBinding> LogicalProject::OutputBindings() const {
  return TableBindings(table, exprs.size());
}
std::vector<LogicalType> LogicalProject::OutputTypes() const {
  std::vector<LogicalType> out;
  for (const auto& e : exprs) out.push_back(e->type);
  return out;
}

std::vector<ColumnBinding> LogicalAggregate::OutputBindings() const {
  std::vector<ColumnBinding> out = TableBindings(group_table, groups.size());
  Append(&out, TableBindings(aggregate_table, aggregates.size()));
  return out;
}
std::vector<LogicalType> LogicalAggregate::OutputTypes() const {
  std::vector<LogicalType> out;
  for (const auto& g : groups) out.push_back(g->type);
  for (const auto& a : aggregates) out.push_back(a.type);
  return out;
}

std::vector<ColumnBinding> LogicalWindow::OutputBindings() const {
  std::vector<ColumnBinding> out = children[0]->OutputBindings();
  Append(&out, TableBindings(table, functions.size()));
  return out;
}
std::vector<LogicalType> LogicalWindow::OutputTypes() const {
  std::vector<LogicalType> out = children[0]->OutputTypes();
  for (const auto& f : functions) out.push_back(f.type);
  return out;
}

std::vector<ColumnBinding> LogicalSort::OutputBindings() const {
  return children[0]->OutputBindings();
}
std::vector<LogicalType> LogicalSort::OutputTypes() const { return children[0]->OutputTypes(); }

std::vector<ColumnBinding> LogicalLimit::OutputBindings() const {
  return children[0]->OutputBindings();
}
std::vector<LogicalType> LogicalLimit::OutputTypes() const { return children[0]->OutputTypes(); }

std::vector<ColumnBinding> LogicalJoin::OutputBindings() const {
  std::vector<ColumnBinding> out = children[0]->OutputBindings();
  Append(&out, children[1]->OutputBindings());
  return out;
}
std::vector<LogicalType> LogicalJoin::OutputTypes() const {
  std::vector<LogicalType> out = children[0]->OutputTypes();
  Append(&out, children[1]->OutputTypes());
  return out;
}

std::vector<ColumnBinding> LogicalUnnest::OutputBindings() const {
  std::vector<ColumnBinding> out = children[0]->OutputBindings();
  Append(&out, TableBindings(table, column_types.size()));
  return out;
}
std::vector<LogicalType> LogicalUnnest::OutputTypes() const {
  std::vector<LogicalType> out = children[0]->OutputTypes();
  Append(&out, column_types);
  return out;
}

std::vector<ColumnBinding> LogicalSetOperation::OutputBindings() const {
  return TableBindings(table, types.size());
}

std::string PlanToString(const LogicalOperator& root) {
  std::string out;
  Print(root, 0, &out);
  return out;
}

void ForEachOperatorExpression(const LogicalOperator& op,
                               const std::function<void(const BoundExpr&)>& fn) {
  auto orders = [&](const std::vector<BoundOrder>& list) {
    for (const BoundOrder& o : list) fn(*o.expr);
  };
  switch (op.kind) {
    case LogicalOperatorKind::kScan:
      for (const auto& e : op.As<LogicalScan>().filters) fn(*e);
      break;
    case LogicalOperatorKind::kValues:
      for (const auto& row : op.As<LogicalValues>().rows) {
        for (const auto& e : row) fn(*e);
      }
      break;
    case LogicalOperatorKind::kFilter:
      for (const auto& e : op.As<LogicalFilter>().conditions) fn(*e);
      break;
    case LogicalOperatorKind::kProject:
      for (const auto& e : op.As<LogicalProject>().exprs) fn(*e);
      break;
    case LogicalOperatorKind::kAggregate: {
      const auto& a = op.As<LogicalAggregate>();
      for (const auto& g : a.groups) fn(*g);
      for (const BoundAggregate& agg : a.aggregates) {
        for (const auto& e : agg.args) fn(*e);
        if (agg.filter) fn(*agg.filter);
        orders(agg.order_by);
      }
      break;
    }
    case LogicalOperatorKind::kWindow:
      for (const BoundWindowFunction& f : op.As<LogicalWindow>().functions) {
        for (const auto& e : f.args) fn(*e);
        for (const auto& e : f.partition_by) fn(*e);
        orders(f.order_by);
      }
      break;
    case LogicalOperatorKind::kSort: orders(op.As<LogicalSort>().orders); break;
    case LogicalOperatorKind::kLimit: break;
    case LogicalOperatorKind::kJoin:
      for (const auto& e : op.As<LogicalJoin>().conditions) fn(*e);
      break;
    case LogicalOperatorKind::kUnnest:
      for (const auto& e : op.As<LogicalUnnest>().args) fn(*e);
      break;
    case LogicalOperatorKind::kSetOperation: break;
  }
}

namespace {

void VisitOperator(const LogicalOperator& op, const std::function<void(const BoundExpr&)>& fn,
                   std::vector<const LogicalOperator*>* seen) {
  // Subquery plans are shared by clones of their expression: visit each once.
  if (std::find(seen->begin(), seen->end(), &op) != seen->end()) return;
  seen->push_back(&op);
  ForEachOperatorExpression(op, [&](const BoundExpr& root) {
    fn(root);
    VisitExpr(root, [&](const BoundExpr& e) {
      if (e.kind == BoundExprKind::kSubquery && e.subquery != nullptr) {
        VisitOperator(*e.subquery, fn, seen);
      }
    });
  });
  for (const auto& c : op.children) VisitOperator(*c, fn, seen);
}

}  // namespace

void VisitPlanExpressions(const LogicalOperator& op,
                          const std::function<void(const BoundExpr&)>& fn) {
  std::vector<const LogicalOperator*> seen;
  VisitOperator(op, fn, &seen);
}

}  // namespace trailbook::sql
