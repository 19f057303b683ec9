#include "sql/planner/optimizer.h"

#include <algorithm>

namespace trailbook::sql {
namespace {

void CollectTables(const LogicalOperator& op, std::vector<uint32_t>* out) {
  for (const ColumnBinding& b : op.OutputBindings()) {
    if (std::find(out->begin(), out->end(), b.table) == out->end()) out->push_back(b.table);
  }
}

std::vector<uint32_t> TablesOf(const LogicalOperator& op) {
  std::vector<uint32_t> t;
  CollectTables(op, &t);
  return t;
}

// Replaces references to (table, i) with copies of exprs[i].
void Substitute(BoundExprPtr& e, uint32_t table, const std::vector<BoundExprPtr>& exprs) {
  if (e->kind == BoundExprKind::kColumnRef && e->binding.table == table) {
    SourceLocation loc = e->location;
    e = exprs[e->binding.column]->Clone();
    if (!e->location.known()) e->location = loc;
    return;
  }
  for (BoundExprPtr& c : e->children) Substitute(c, table, exprs);
}

bool HasSubquery(const BoundExpr& e) {
  bool found = false;
  VisitExpr(e, [&](const BoundExpr& n) { found = found || n.kind == BoundExprKind::kSubquery; });
  return found;
}

// Conjuncts whose value does not depend on the row stay where they are (they would
// otherwise be evaluated per row below a LIMIT, say); everything else may move.
bool Movable(const BoundExpr& e) { return !IsRowIndependent(e); }

LogicalOperatorPtr WrapFilter(LogicalOperatorPtr op, std::vector<BoundExprPtr> conditions) {
  if (conditions.empty()) return op;
  auto filter = std::make_unique<LogicalFilter>();
  filter->conditions = std::move(conditions);
  filter->children.push_back(std::move(op));
  return filter;
}

LogicalOperatorPtr PushDown(LogicalOperatorPtr op, std::vector<BoundExprPtr> pending);

void OptimizeChildren(LogicalOperator& op) {
  for (LogicalOperatorPtr& c : op.children) c = PushDown(std::move(c), {});
}

LogicalOperatorPtr PushDown(LogicalOperatorPtr op, std::vector<BoundExprPtr> pending) {
  switch (op->kind) {
    case LogicalOperatorKind::kFilter: {
      auto& f = op->As<LogicalFilter>();
      for (BoundExprPtr& c : f.conditions) pending.push_back(std::move(c));
      return PushDown(std::move(op->children[0]), std::move(pending));
    }
    case LogicalOperatorKind::kScan: {
      auto& s = op->As<LogicalScan>();
      for (BoundExprPtr& c : pending) s.filters.push_back(std::move(c));
      return op;
    }
    case LogicalOperatorKind::kProject: {
      auto& p = op->As<LogicalProject>();
      std::vector<BoundExprPtr> down, stay;
      bool deterministic = true;
      for (const BoundExprPtr& e : p.exprs) deterministic = deterministic && IsDeterministic(*e);
      for (BoundExprPtr& c : pending) {
        if (deterministic && Movable(*c)) {
          Substitute(c, p.table, p.exprs);
          down.push_back(std::move(c));
        } else {
          stay.push_back(std::move(c));
        }
      }
      op->children[0] = PushDown(std::move(op->children[0]), std::move(down));
      return WrapFilter(std::move(op), std::move(stay));
    }
    case LogicalOperatorKind::kSort: {
      op->children[0] = PushDown(std::move(op->children[0]), std::move(pending));
      return op;
    }
    case LogicalOperatorKind::kAggregate: {
      auto& a = op->As<LogicalAggregate>();
      std::vector<BoundExprPtr> down, stay;
      bool deterministic = true;
      for (const BoundExprPtr& g : a.groups) deterministic = deterministic && IsDeterministic(*g);
      for (BoundExprPtr& c : pending) {
        if (deterministic && !a.groups.empty() && Movable(*c) &&
            ReferencesOnly(*c, {a.group_table})) {
          Substitute(c, a.group_table, a.groups);
          down.push_back(std::move(c));
        } else {
          stay.push_back(std::move(c));
        }
      }
      op->children[0] = PushDown(std::move(op->children[0]), std::move(down));
      return WrapFilter(std::move(op), std::move(stay));
    }
    case LogicalOperatorKind::kUnnest: {
      std::vector<uint32_t> below = TablesOf(*op->children[0]);
      std::vector<BoundExprPtr> down, stay;
      for (BoundExprPtr& c : pending) {
        if (Movable(*c) && ReferencesOnly(*c, below)) {
          down.push_back(std::move(c));
        } else {
          stay.push_back(std::move(c));
        }
      }
      op->children[0] = PushDown(std::move(op->children[0]), std::move(down));
      return WrapFilter(std::move(op), std::move(stay));
    }
    case LogicalOperatorKind::kJoin: {
      auto& j = op->As<LogicalJoin>();
      std::vector<uint32_t> left = TablesOf(*op->children[0]);
      std::vector<uint32_t> right = TablesOf(*op->children[1]);
      std::vector<BoundExprPtr> to_left, to_right, stay;
      bool inner = j.type == LogicalJoinType::kInner || j.type == LogicalJoinType::kCross;
      // WHERE conjuncts above the join.
      for (BoundExprPtr& c : pending) {
        bool movable = Movable(*c);
        bool l = ReferencesOnly(*c, left), r = ReferencesOnly(*c, right);
        if (movable && l && (inner || j.type == LogicalJoinType::kLeft)) {
          to_left.push_back(std::move(c));
        } else if (movable && r && (inner || j.type == LogicalJoinType::kRight)) {
          to_right.push_back(std::move(c));
        } else if (movable && inner && !HasSubquery(*c)) {
          j.conditions.push_back(std::move(c));
        } else {
          stay.push_back(std::move(c));
        }
      }
      // ON conjuncts that refer to one side only.
      std::vector<BoundExprPtr> keep;
      for (BoundExprPtr& c : j.conditions) {
        bool movable = Movable(*c);
        bool l = ReferencesOnly(*c, left), r = ReferencesOnly(*c, right);
        if (movable && l && (inner || j.type == LogicalJoinType::kRight)) {
          to_left.push_back(std::move(c));
        } else if (movable && r && (inner || j.type == LogicalJoinType::kLeft)) {
          to_right.push_back(std::move(c));
        } else {
          keep.push_back(std::move(c));
        }
      }
      j.conditions = std::move(keep);
      if (j.type == LogicalJoinType::kCross && !j.conditions.empty()) {
        j.type = LogicalJoinType::kInner;
      }
      op->children[0] = PushDown(std::move(op->children[0]), std::move(to_left));
      op->children[1] = PushDown(std::move(op->children[1]), std::move(to_right));
      return WrapFilter(std::move(op), std::move(stay));
    }
    case LogicalOperatorKind::kValues:
    case LogicalOperatorKind::kWindow:
    case LogicalOperatorKind::kLimit:
    case LogicalOperatorKind::kSetOperation:
      OptimizeChildren(*op);
      return WrapFilter(std::move(op), std::move(pending));
  }
  return op;
}

uint32_t MaxTable(const LogicalOperator& op) {
  uint32_t m = 0;
  for (const ColumnBinding& b : op.OutputBindings()) m = std::max(m, b.table);
  if (op.kind == LogicalOperatorKind::kAggregate) {
    m = std::max({m, op.As<LogicalAggregate>().group_table, op.As<LogicalAggregate>().aggregate_table});
  }
  for (const auto& c : op.children) m = std::max(m, MaxTable(*c));
  return m;
}

// f(DISTINCT x) ... GROUP BY g  ==>  f(x) ... GROUP BY g over (GROUP BY g, x): the inner
// aggregation deduplicates with the ordinary (dictionary-aware, parallel) hash table.
// Applies when every aggregate is DISTINCT over the same single argument, without FILTER or
// ORDER BY, and f ignores duplicates' multiplicity once deduplicated (all of them do).
void RewriteDistinctAggregates(LogicalOperator& op, uint32_t* next_table) {
  for (auto& c : op.children) RewriteDistinctAggregates(*c, next_table);
  if (op.kind != LogicalOperatorKind::kAggregate) return;
  auto& a = op.As<LogicalAggregate>();
  if (a.aggregates.empty()) return;
  const BoundExpr* arg = nullptr;
  for (const BoundAggregate& agg : a.aggregates) {
    if (!agg.distinct || agg.args.size() != 1 || agg.filter || !agg.order_by.empty() ||
        agg.name == "array_agg") {
      return;
    }
    if (arg == nullptr) {
      arg = agg.args[0].get();
    } else if (!Equal(*arg, *agg.args[0])) {
      return;
    }
  }
  if (!IsDeterministic(*arg)) return;
  for (const BoundExprPtr& g : a.groups) {
    if (!IsDeterministic(*g)) return;
  }
  auto inner = std::make_unique<LogicalAggregate>();
  inner->group_table = ++*next_table;
  inner->aggregate_table = ++*next_table;
  for (BoundExprPtr& g : a.groups) inner->groups.push_back(std::move(g));
  inner->groups.push_back(arg->Clone());
  a.groups.clear();
  for (size_t i = 0; i + 1 < inner->groups.size(); ++i) {
    a.groups.push_back(MakeColumn(ColumnBinding{inner->group_table, static_cast<uint32_t>(i)},
                                  inner->groups[i]->type, inner->groups[i]->ToString()));
  }
  const BoundExpr& x = *inner->groups.back();
  for (BoundAggregate& agg : a.aggregates) {
    agg.distinct = false;
    agg.args[0] = MakeColumn(
        ColumnBinding{inner->group_table, static_cast<uint32_t>(inner->groups.size() - 1)},
        x.type, x.ToString());
  }
  inner->children.push_back(std::move(op.children[0]));
  op.children[0] = std::move(inner);
}

}  // namespace

void Optimize(LogicalOperatorPtr& root) {
  uint32_t next_table = MaxTable(*root) + (1u << 20);
  RewriteDistinctAggregates(*root, &next_table);
  root = PushDown(std::move(root), {});
}

}  // namespace trailbook::sql
