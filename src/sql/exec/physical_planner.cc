#include "sql/exec/physical_planner.h"

#include <algorithm>

#include "sql/exec/basic_operators.h"
#include "sql/exec/hash_aggregate.h"
#include "sql/exec/join_operator.h"
#include "sql/exec/set_operation.h"
#include "sql/exec/sort_operator.h"
#include "sql/exec/unnest_operator.h"
#include "sql/exec/window_operator.h"
#include "sql/planner/scan_predicates.h"

namespace trailbook::sql {

struct PhysicalPlanner::Planned {
  PipelineFactory factory;  // set: a pipeline that may run once per thread
  OperatorPtr op;           // otherwise
  bool parallel = false;
  std::vector<ColumnBinding> bindings;
  std::vector<LogicalType> types;
  ExplainNode explain;
};

namespace {

std::string JoinExprs(const std::vector<const BoundExpr*>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i) s += (i ? ", " : "") + exprs[i]->ToString();
  return s;
}

void CollectReferenced(const LogicalOperator& op, std::vector<ColumnBinding>* out) {
  auto add = [&](const BoundExpr& e) { CollectBindings(e, out); };
  switch (op.kind) {
    case LogicalOperatorKind::kScan: break;  // its filters read columns themselves
    case LogicalOperatorKind::kWindow:
      for (const auto& c : op.children[0]->OutputBindings()) out->push_back(c);
      ForEachOperatorExpression(op, add);
      break;
    case LogicalOperatorKind::kSetOperation:
      for (const auto& c : op.children) {
        for (const auto& b : c->OutputBindings()) out->push_back(b);
      }
      break;
    default: ForEachOperatorExpression(op, add); break;
  }
  for (const auto& c : op.children) CollectReferenced(*c, out);
}

// Wraps an operator as a factory that hands it out once.
PipelineFactory OneShot(OperatorPtr op) {
  auto holder = std::make_shared<OperatorPtr>(std::move(op));
  return [holder]() -> Result<OperatorPtr> {
    if (*holder == nullptr) return Internal("single-use pipeline instantiated twice");
    return std::move(*holder);
  };
}

std::vector<uint32_t> TablesOf(const std::vector<ColumnBinding>& bindings) {
  std::vector<uint32_t> t;
  for (const ColumnBinding& b : bindings) {
    if (std::find(t.begin(), t.end(), b.table) == t.end()) t.push_back(b.table);
  }
  return t;
}

}  // namespace

std::string RenderExplain(const ExplainNode& node) {
  std::string out;
  std::function<void(const ExplainNode&, int)> walk = [&](const ExplainNode& n, int depth) {
    std::string pad(static_cast<size_t>(depth) * 2, ' ');
    out += pad + n.title + "\n";
    for (const std::string& d : n.details) out += pad + "    " + d + "\n";
    for (const ExplainNode& c : n.children) walk(c, depth + 1);
  };
  walk(node, 0);
  return out;
}

PhysicalPlanner::PhysicalPlanner(const EventTable& table,
                                 std::shared_ptr<const storage::StoreSnapshot> snapshot,
                                 ScanConstraints constraints, QueryContext* context)
    : table_(table), snapshot_(std::move(snapshot)), constraints_(std::move(constraints)),
      context_(context) {}

PhysicalPlanner::~PhysicalPlanner() = default;

Result<OperatorPtr> PhysicalPlanner::Plan(const LogicalOperator& root) {
  CollectReferenced(root, &referenced_);
  for (const ColumnBinding& b : root.OutputBindings()) referenced_.push_back(b);
  std::sort(referenced_.begin(), referenced_.end());
  TB_ASSIGN_OR_RETURN(Planned p, PlanNode(root));
  explain_ = std::move(p.explain);
  return ToOperator(std::move(p));
}

Result<OperatorPtr> PhysicalPlanner::ToOperator(Planned node) {
  if (node.op) return std::move(node.op);
  if (node.parallel && context_->threads() > 1) {
    return OperatorPtr(std::make_unique<ParallelGatherOperator>(std::move(node.factory), node.types,
                                                                context_->threads(), context_));
  }
  return node.factory();
}

Result<std::vector<Value>> PhysicalPlanner::RunSubquery(const LogicalOperator& plan,
                                                        size_t max_rows) {
  CollectReferenced(plan, &referenced_);
  for (const ColumnBinding& b : plan.OutputBindings()) referenced_.push_back(b);
  std::sort(referenced_.begin(), referenced_.end());
  TB_ASSIGN_OR_RETURN(Planned p, PlanNode(plan));
  TB_ASSIGN_OR_RETURN(OperatorPtr op, ToOperator(std::move(p)));
  std::vector<Value> values;
  TrackedMemory memory(context_->memory());
  size_t bytes = 0;
  DataChunk chunk;
  while (values.size() < max_rows) {
    TB_RETURN_IF_ERROR(op->Next(chunk));
    if (chunk.size == 0) break;
    for (size_t i = 0; i < chunk.size && values.size() < max_rows; ++i) {
      values.push_back(chunk.columns.empty() ? Value::Boolean(true) : chunk.columns[0].GetValue(i));
      bytes += 64 + (values.back().type().IsTextual() && !values.back().is_null()
                         ? values.back().string_value().size()
                         : 0);
    }
    TB_RETURN_IF_ERROR(memory.Set(bytes));
  }
  return values;
}

Status PhysicalPlanner::ReplaceSubqueries(BoundExprPtr& e) {
  for (BoundExprPtr& c : e->children) TB_RETURN_IF_ERROR(ReplaceSubqueries(c));
  if (e->kind != BoundExprKind::kSubquery) return Status::OK();
  const LogicalOperator* plan = e->subquery.get();
  const std::vector<Value>* values = nullptr;
  for (const auto& [p, v] : subquery_results_) {
    if (p == plan) values = &v;
  }
  if (values == nullptr) {
    size_t max_rows = e->subquery_kind == SubqueryKind::kScalar   ? 2
                      : e->subquery_kind == SubqueryKind::kExists ? 1
                                                                  : SIZE_MAX;
    TB_ASSIGN_OR_RETURN(std::vector<Value> v, RunSubquery(*plan, max_rows));
    subquery_results_.emplace_back(plan, std::move(v));
    values = &subquery_results_.back().second;
  }
  SourceLocation loc = e->location;
  switch (e->subquery_kind) {
    case SubqueryKind::kScalar:
      if (values->size() > 1) {
        return SourceError(StatusCode::kInvalidArgument, context_->sql(), loc,
                           "scalar subquery returned more than one row", "");
      }
      e = MakeConstant(values->empty() ? Value::Null(e->type) : (*values)[0], loc);
      return Status::OK();
    case SubqueryKind::kExists:
      e = MakeConstant(Value::Boolean(!values->empty()), loc);
      return Status::OK();
    case SubqueryKind::kIn: {
      if (values->empty()) {
        e = MakeConstant(Value::Boolean(e->negated), loc);
        return Status::OK();
      }
      std::vector<BoundExprPtr> children;
      children.push_back(std::move(e->children[0]));
      for (const Value& v : *values) children.push_back(MakeConstant(v, loc));
      bool negated = e->negated;
      e = MakeNode(BoundExprKind::kInList, LogicalType::Boolean(), std::move(children), loc);
      e->negated = negated;
      return Status::OK();
    }
  }
  return Internal("unknown subquery kind");
}

void PhysicalPlanner::Fold(BoundExprPtr& e) {
  if (e->kind == BoundExprKind::kLambda) return;
  for (BoundExprPtr& c : e->children) Fold(c);
  switch (e->kind) {
    case BoundExprKind::kConstant:
    case BoundExprKind::kColumnRef:
    case BoundExprKind::kLambdaParam:
    case BoundExprKind::kSubquery: return;
    default: break;
  }
  if (!IsRowIndependent(*e) || !IsDeterministic(*e)) return;
  ExpressionEvaluator eval(*e, context_);
  DataChunk one;
  one.size = 1;
  Result<const Vector*> v = eval.Evaluate(one);
  if (!v.ok()) return;  // leave it: the error surfaces only if a row reaches it
  Value value = (*v)->GetValue(0);
  e = MakeConstant(value.is_null() ? Value::Null(e->type) : std::move(value), e->location);
}

Result<BoundExprPtr> PhysicalPlanner::Prepare(const BoundExpr& e) {
  BoundExprPtr copy = e.Clone();
  if (!slot_values_.empty()) {
    bool bad = false;
    VisitExprMutable(*copy, [&](BoundExpr& n) {
      if (n.kind != BoundExprKind::kConstant || n.slot < 0) return;
      const size_t slot = static_cast<size_t>(n.slot);
      if (slot >= slot_values_.size() || !(slot_values_[slot].type() == n.type)) {
        bad = true;
        return;
      }
      n.value = slot_values_[slot];
    });
    if (bad) return Internal("a plan slot has no value of its type");
  }
  TB_RETURN_IF_ERROR(ReplaceSubqueries(copy));
  Fold(copy);
  return copy;
}

Status PhysicalPlanner::Resolve(BoundExpr& e, const std::vector<ColumnBinding>& layout) const {
  if (e.kind == BoundExprKind::kColumnRef) {
    for (size_t i = 0; i < layout.size(); ++i) {
      if (layout[i] == e.binding) {
        e.index = static_cast<int>(i);
        return Status::OK();
      }
    }
    return Internal("column " + e.name + " is not produced by the operator's input");
  }
  for (BoundExprPtr& c : e.children) TB_RETURN_IF_ERROR(Resolve(*c, layout));
  return Status::OK();
}

Result<BoundExprPtr> PhysicalPlanner::PrepareResolved(const BoundExpr& e,
                                                      const std::vector<ColumnBinding>& layout) {
  TB_ASSIGN_OR_RETURN(BoundExprPtr p, Prepare(e));
  TB_RETURN_IF_ERROR(Resolve(*p, layout));
  return p;
}

Result<PhysicalPlanner::Planned> PhysicalPlanner::PlanScan(const LogicalScan& scan) {
  auto plan = std::make_shared<EventScanPlan>();
  plan->constraints = constraints_;
  Planned out;
  for (int c : scan.columns) {
    ColumnBinding b{scan.table, static_cast<uint32_t>(c)};
    if (!std::binary_search(referenced_.begin(), referenced_.end(), b)) continue;
    plan->output_columns.push_back(c);
    plan->output_types.push_back(scan.catalog->column(static_cast<size_t>(c)).type);
    out.bindings.push_back(b);
  }
  out.types = plan->output_types;
  std::vector<BoundExprPtr> filters;
  for (const BoundExprPtr& f : scan.filters) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr p, Prepare(*f));
    filters.push_back(std::move(p));
  }
  plan->predicates = ClassifyScanFilters(*scan.catalog, scan.table, std::move(filters));
  ++scans_;
  const bool key_lookup =
      plan->predicates.always_false ||
      std::any_of(plan->predicates.needles.begin(), plan->predicates.needles.end(),
                  [&](const NeedlePredicate& n) {
                    return scan.catalog->column(static_cast<size_t>(n.column)).key &&
                           n.values.size() <= kMaxKeyLookupValues;
                  });
  if (key_lookup) ++key_lookup_scans_;
  for (ColumnPredicate& p : plan->predicates.column_predicates) {
    TB_RETURN_IF_ERROR(Resolve(*p.expr, {ColumnBinding{scan.table, static_cast<uint32_t>(p.column)}}));
  }
  std::vector<ColumnBinding> residual_layout;
  for (const BoundExprPtr& r : plan->predicates.residual) {
    std::vector<ColumnBinding> refs;
    CollectBindings(*r, &refs);
    for (const ColumnBinding& b : refs) {
      if (std::find(residual_layout.begin(), residual_layout.end(), b) == residual_layout.end()) {
        residual_layout.push_back(b);
        plan->residual_columns.push_back(static_cast<int>(b.column));
      }
    }
  }
  for (BoundExprPtr& r : plan->predicates.residual) TB_RETURN_IF_ERROR(Resolve(*r, residual_layout));
  auto source = MakeEventScanSource(table_, snapshot_, plan, context_);
  QueryContext* ctx = context_;
  out.factory = [source, ctx]() -> Result<OperatorPtr> { return MakeEventScanOperator(source, ctx); };
  out.parallel = EventScanMorselEstimate(*source) > 0;
  out.explain.title = "Scan " + scan.catalog->name();
  if (explain_details_) out.explain.details = DescribeEventScan(*plan);
  Keep(std::shared_ptr<const EventScanPlan>(plan));
  return out;
}

Result<PhysicalPlanner::Planned> PhysicalPlanner::PlanAggregate(const LogicalOperator& node) {
  const auto& a = node.As<LogicalAggregate>();
  TB_ASSIGN_OR_RETURN(Planned child, PlanNode(*node.children[0]));
  auto plan = std::make_shared<AggregatePlan>();
  std::vector<const BoundExpr*> shown;
  for (const auto& g : a.groups) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr p, PrepareResolved(*g, child.bindings));
    plan->output_types.push_back(p->type);
    plan->groups.push_back(std::move(p));
    shown.push_back(plan->groups.back().get());
  }
  std::vector<std::string> agg_text;
  for (const BoundAggregate& agg : a.aggregates) {
    AggregatePlan::Aggregate out;
    out.spec.name = agg.name;
    out.spec.distinct = agg.distinct;
    out.spec.result_type = agg.type;
    for (const auto& arg : agg.args) {
      TB_ASSIGN_OR_RETURN(BoundExprPtr p, PrepareResolved(*arg, child.bindings));
      out.spec.arg_types.push_back(p->type);
      out.args.push_back(std::move(p));
    }
    for (const BoundOrder& o : agg.order_by) {
      TB_ASSIGN_OR_RETURN(BoundExprPtr p, PrepareResolved(*o.expr, child.bindings));
      out.spec.arg_types.push_back(p->type);
      out.spec.order_descending.push_back(o.descending);
      out.spec.order_nulls_first.push_back(o.nulls_first);
      out.args.push_back(std::move(p));
      ++out.spec.order_keys;
    }
    if (agg.filter) {
      TB_ASSIGN_OR_RETURN(out.filter, PrepareResolved(*agg.filter, child.bindings));
    }
    plan->output_types.push_back(agg.type);
    if (explain_details_) agg_text.push_back(agg.ToString());
    plan->aggregates.push_back(std::move(out));
  }
  Planned result;
  for (size_t i = 0; i < a.groups.size(); ++i) {
    result.bindings.push_back(ColumnBinding{a.group_table, static_cast<uint32_t>(i)});
  }
  for (size_t i = 0; i < a.aggregates.size(); ++i) {
    result.bindings.push_back(ColumnBinding{a.aggregate_table, static_cast<uint32_t>(i)});
  }
  result.types = plan->output_types;
  unsigned threads = child.op == nullptr && child.parallel ? context_->threads() : 1;
  PipelineFactory input = child.op ? OneShot(std::move(child.op)) : std::move(child.factory);
  result.op = std::make_unique<HashAggregateOperator>(plan, std::move(input), threads, context_);
  result.explain.title = "HashAggregate" + std::string(threads > 1 ? " (partial per thread, " +
                                                                         std::to_string(threads) + " threads, then merged)"
                                                                   : "");
  if (!shown.empty() && explain_details_) {
    result.explain.details.push_back("group by: " + JoinExprs(shown));
  }
  if (!agg_text.empty()) {
    std::string s;
    for (size_t i = 0; i < agg_text.size(); ++i) s += (i ? ", " : "") + agg_text[i];
    result.explain.details.push_back("aggregates: " + s);
  }
  result.explain.children.push_back(std::move(child.explain));
  Keep(std::shared_ptr<const AggregatePlan>(plan));
  return result;
}

Result<PhysicalPlanner::Planned> PhysicalPlanner::PlanSort(const LogicalSort& sort,
                                                           std::optional<size_t> limit) {
  TB_ASSIGN_OR_RETURN(Planned child, PlanNode(*sort.children[0]));
  std::vector<SortKey> keys;
  std::vector<BoundExprPtr> extra;
  std::vector<std::string> text;
  for (const BoundOrder& o : sort.orders) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr p, PrepareResolved(*o.expr, child.bindings));
    if (explain_details_) {
      text.push_back(p->ToString() + (o.descending ? " DESC" : " ASC") +
                     (o.nulls_first ? " NULLS FIRST" : " NULLS LAST"));
    }
    if (p->kind == BoundExprKind::kColumnRef) {
      keys.push_back(SortKey{static_cast<size_t>(p->index), o.descending, o.nulls_first});
    } else {
      keys.push_back(SortKey{child.types.size() + extra.size(), o.descending, o.nulls_first});
      extra.push_back(std::move(p));
    }
  }
  Planned result;
  result.bindings = child.bindings;
  result.types = child.types;
  result.explain.children.push_back(std::move(child.explain));
  TB_ASSIGN_OR_RETURN(OperatorPtr input, ToOperator(std::move(child)));
  if (!extra.empty()) {
    // Compute the non-column keys, sort, then drop them.
    auto exprs = std::make_shared<std::vector<BoundExprPtr>>();
    std::vector<const BoundExpr*> with_keys, without_keys;
    for (size_t i = 0; i < result.types.size(); ++i) {
      exprs->push_back(MakeColumn(ColumnBinding{}, result.types[i], "c" + std::to_string(i)));
      exprs->back()->index = static_cast<int>(i);
    }
    for (BoundExprPtr& e : extra) exprs->push_back(std::move(e));
    for (const auto& e : *exprs) with_keys.push_back(e.get());
    for (size_t i = 0; i < result.types.size(); ++i) without_keys.push_back((*exprs)[i].get());
    Keep(std::shared_ptr<const std::vector<BoundExprPtr>>(exprs));
    input = std::make_unique<ProjectOperator>(std::move(input), with_keys, context_);
    input = std::make_unique<SortOperator>(std::move(input), keys, limit, context_);
    result.op = std::make_unique<ProjectOperator>(std::move(input), without_keys, context_);
  } else {
    result.op = std::make_unique<SortOperator>(std::move(input), keys, limit, context_);
  }
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) s += (i ? ", " : "") + text[i];
  result.explain.title = limit ? "TopN " + std::to_string(*limit) : "Sort";
  if (explain_details_) result.explain.details.push_back("order by: " + s);
  return result;
}

Result<PhysicalPlanner::Planned> PhysicalPlanner::PlanJoin(const LogicalJoin& join) {
  TB_ASSIGN_OR_RETURN(Planned left, PlanNode(*join.children[0]));
  TB_ASSIGN_OR_RETURN(Planned right, PlanNode(*join.children[1]));
  auto plan = std::make_shared<JoinPlan>();
  plan->type = join.type;
  plan->left_types = left.types;
  plan->right_types = right.types;
  std::vector<uint32_t> left_tables = TablesOf(left.bindings);
  std::vector<uint32_t> right_tables = TablesOf(right.bindings);
  std::vector<BoundExprPtr> residual;
  std::vector<std::string> key_text;
  for (const BoundExprPtr& c : join.conditions) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr p, Prepare(*c));
    if (p->kind == BoundExprKind::kConstant && !p->value.is_null() && p->value.bool_value()) continue;
    if (p->kind == BoundExprKind::kCall && p->name == "$eq" && p->children.size() == 2) {
      BoundExprPtr& a = p->children[0];
      BoundExprPtr& b = p->children[1];
      bool a_left = ReferencesOnly(*a, left_tables) && !IsRowIndependent(*a);
      bool b_right = ReferencesOnly(*b, right_tables) && !IsRowIndependent(*b);
      bool a_right = ReferencesOnly(*a, right_tables) && !IsRowIndependent(*a);
      bool b_left = ReferencesOnly(*b, left_tables) && !IsRowIndependent(*b);
      if ((a_left && b_right) || (a_right && b_left)) {
        BoundExprPtr l = a_left ? std::move(a) : std::move(b);
        BoundExprPtr r = a_left ? std::move(b) : std::move(a);
        if (explain_details_) key_text.push_back(l->ToString() + " = " + r->ToString());
        TB_RETURN_IF_ERROR(Resolve(*l, left.bindings));
        TB_RETURN_IF_ERROR(Resolve(*r, right.bindings));
        plan->left_keys.push_back(std::move(l));
        plan->right_keys.push_back(std::move(r));
        continue;
      }
    }
    residual.push_back(std::move(p));
  }
  Planned result;
  result.bindings = left.bindings;
  result.bindings.insert(result.bindings.end(), right.bindings.begin(), right.bindings.end());
  result.types = left.types;
  result.types.insert(result.types.end(), right.types.begin(), right.types.end());
  std::string residual_text;
  if (!residual.empty()) {
    BoundExprPtr r = MakeConjunction(BoundExprKind::kAnd, std::move(residual));
    if (explain_details_) residual_text = r->ToString();
    TB_RETURN_IF_ERROR(Resolve(*r, result.bindings));
    plan->residual = std::move(r);
  }
  result.explain.title = std::string(plan->left_keys.empty() ? "NestedLoop" : "Hash") +
                         std::string(LogicalJoinTypeName(join.type));
  for (const std::string& k : key_text) result.explain.details.push_back("key: " + k);
  if (!residual_text.empty()) result.explain.details.push_back("condition: " + residual_text);
  result.explain.children.push_back(std::move(left.explain));
  result.explain.children.push_back(std::move(right.explain));
  TB_ASSIGN_OR_RETURN(OperatorPtr l, ToOperator(std::move(left)));
  TB_ASSIGN_OR_RETURN(OperatorPtr r, ToOperator(std::move(right)));
  result.op = std::make_unique<JoinOperator>(std::move(l), std::move(r), plan, context_);
  Keep(std::shared_ptr<const JoinPlan>(plan));
  return result;
}

Result<PhysicalPlanner::Planned> PhysicalPlanner::PlanSetOperation(const LogicalSetOperation& set) {
  TB_ASSIGN_OR_RETURN(Planned left, PlanNode(*set.children[0]));
  TB_ASSIGN_OR_RETURN(Planned right, PlanNode(*set.children[1]));
  Planned result;
  for (size_t i = 0; i < set.types.size(); ++i) {
    result.bindings.push_back(ColumnBinding{set.table, static_cast<uint32_t>(i)});
  }
  result.types = set.types;
  result.explain.title = std::string(SetOperatorName(set.op)) + (set.all ? " ALL" : "");
  result.explain.children.push_back(std::move(left.explain));
  result.explain.children.push_back(std::move(right.explain));
  TB_ASSIGN_OR_RETURN(OperatorPtr l, ToOperator(std::move(left)));
  TB_ASSIGN_OR_RETURN(OperatorPtr r, ToOperator(std::move(right)));
  if (set.op == SetOperator::kUnion) {
    std::vector<OperatorPtr> both;
    both.push_back(std::move(l));
    both.push_back(std::move(r));
    OperatorPtr concat = std::make_unique<ConcatOperator>(set.types, std::move(both));
    if (set.all) {
      result.op = std::move(concat);
      return result;
    }
    auto plan = std::make_shared<AggregatePlan>();
    for (size_t i = 0; i < set.types.size(); ++i) {
      plan->groups.push_back(MakeColumn(ColumnBinding{}, set.types[i], "c" + std::to_string(i)));
      plan->groups.back()->index = static_cast<int>(i);
    }
    plan->output_types = set.types;
    result.op = std::make_unique<HashAggregateOperator>(plan, OneShot(std::move(concat)), 1, context_);
    Keep(std::shared_ptr<const AggregatePlan>(plan));
    return result;
  }
  result.op = std::make_unique<SetOperationOperator>(std::move(l), std::move(r), set.op, set.all,
                                                     set.types, context_);
  return result;
}

Result<PhysicalPlanner::Planned> PhysicalPlanner::PlanNode(const LogicalOperator& node) {
  switch (node.kind) {
    case LogicalOperatorKind::kScan: return PlanScan(node.As<LogicalScan>());
    case LogicalOperatorKind::kValues: {
      const auto& v = node.As<LogicalValues>();
      auto exprs = std::make_shared<std::vector<BoundExprPtr>>();
      std::vector<std::vector<const BoundExpr*>> rows;
      for (const auto& row : v.rows) {
        std::vector<const BoundExpr*> r;
        for (const auto& e : row) {
          TB_ASSIGN_OR_RETURN(BoundExprPtr p, PrepareResolved(*e, {}));
          exprs->push_back(std::move(p));
          r.push_back(exprs->back().get());
        }
        rows.push_back(std::move(r));
      }
      Keep(std::shared_ptr<const std::vector<BoundExprPtr>>(exprs));
      Planned out;
      out.bindings = v.OutputBindings();
      out.types = v.types;
      out.op = std::make_unique<ValuesOperator>(v.types, std::move(rows), context_);
      out.explain.title = "Values (" + std::to_string(v.rows.size()) + " rows)";
      return out;
    }
    case LogicalOperatorKind::kFilter: {
      const auto& f = node.As<LogicalFilter>();
      TB_ASSIGN_OR_RETURN(Planned child, PlanNode(*node.children[0]));
      std::vector<BoundExprPtr> conditions;
      for (const auto& c : f.conditions) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr p, PrepareResolved(*c, child.bindings));
        if (p->kind == BoundExprKind::kConstant && !p->value.is_null() && p->value.bool_value()) {
          continue;
        }
        conditions.push_back(std::move(p));
      }
      if (conditions.empty()) return child;
      auto pred = std::shared_ptr<const BoundExpr>(MakeConjunction(BoundExprKind::kAnd, std::move(conditions)));
      Keep(pred);
      Planned out;
      out.bindings = child.bindings;
      out.types = child.types;
      out.explain.title = "Filter";
      if (explain_details_) out.explain.details.push_back(pred->ToString());
      out.explain.children.push_back(std::move(child.explain));
      QueryContext* ctx = context_;
      if (child.factory) {
        out.parallel = child.parallel;
        out.factory = [cf = std::move(child.factory), pred, ctx]() -> Result<OperatorPtr> {
          TB_ASSIGN_OR_RETURN(OperatorPtr c, cf());
          return OperatorPtr(std::make_unique<FilterOperator>(std::move(c), *pred, ctx));
        };
      } else {
        out.op = std::make_unique<FilterOperator>(std::move(child.op), *pred, ctx);
      }
      return out;
    }
    case LogicalOperatorKind::kProject: {
      const auto& p = node.As<LogicalProject>();
      TB_ASSIGN_OR_RETURN(Planned child, PlanNode(*node.children[0]));
      auto exprs = std::make_shared<std::vector<BoundExprPtr>>();
      std::vector<const BoundExpr*> ptrs;
      for (const auto& e : p.exprs) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr r, PrepareResolved(*e, child.bindings));
        exprs->push_back(std::move(r));
        ptrs.push_back(exprs->back().get());
      }
      Keep(std::shared_ptr<const std::vector<BoundExprPtr>>(exprs));
      Planned out;
      out.bindings = p.OutputBindings();
      out.types = p.OutputTypes();
      out.explain.title = "Project";
      if (explain_details_) out.explain.details.push_back(JoinExprs(ptrs));
      out.explain.children.push_back(std::move(child.explain));
      QueryContext* ctx = context_;
      if (child.factory) {
        out.parallel = child.parallel;
        out.factory = [cf = std::move(child.factory), ptrs, ctx]() -> Result<OperatorPtr> {
          TB_ASSIGN_OR_RETURN(OperatorPtr c, cf());
          return OperatorPtr(std::make_unique<ProjectOperator>(std::move(c), ptrs, ctx));
        };
      } else {
        out.op = std::make_unique<ProjectOperator>(std::move(child.op), ptrs, ctx);
      }
      return out;
    }
    case LogicalOperatorKind::kUnnest: {
      const auto& u = node.As<LogicalUnnest>();
      TB_ASSIGN_OR_RETURN(Planned child, PlanNode(*node.children[0]));
      auto plan = std::make_shared<UnnestPlan>();
      std::vector<const BoundExpr*> shown;
      for (const auto& a : u.args) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr r, PrepareResolved(*a, child.bindings));
        plan->args.push_back(std::move(r));
        shown.push_back(plan->args.back().get());
      }
      plan->modes = u.modes;
      plan->column_types = u.column_types;
      plan->with_ordinality = u.with_ordinality;
      plan->input_types = child.types;
      Keep(std::shared_ptr<const UnnestPlan>(plan));
      Planned out;
      out.bindings = child.bindings;
      for (size_t i = 0; i < u.column_types.size(); ++i) {
        out.bindings.push_back(ColumnBinding{u.table, static_cast<uint32_t>(i)});
      }
      out.types = u.OutputTypes();
      out.explain.title = std::string("Unnest") + (u.with_ordinality ? " WITH ORDINALITY" : "");
      if (explain_details_) out.explain.details.push_back(JoinExprs(shown));
      out.explain.children.push_back(std::move(child.explain));
      QueryContext* ctx = context_;
      if (child.factory) {
        out.parallel = child.parallel;
        out.factory = [cf = std::move(child.factory), plan, ctx]() -> Result<OperatorPtr> {
          TB_ASSIGN_OR_RETURN(OperatorPtr c, cf());
          return OperatorPtr(std::make_unique<UnnestOperator>(std::move(c), plan, ctx));
        };
      } else {
        out.op = std::make_unique<UnnestOperator>(std::move(child.op), plan, ctx);
      }
      return out;
    }
    case LogicalOperatorKind::kAggregate: return PlanAggregate(node);
    case LogicalOperatorKind::kWindow: {
      const auto& w = node.As<LogicalWindow>();
      TB_ASSIGN_OR_RETURN(Planned child, PlanNode(*node.children[0]));
      auto plan = std::make_shared<WindowPlan>();
      plan->input_types = child.types;
      std::vector<std::string> text;
      for (const BoundWindowFunction& f : w.functions) {
        WindowPlan::Function out;
        out.name = f.name;
        out.is_aggregate = f.is_aggregate;
        out.frame = f.frame;
        out.ignore_nulls = f.ignore_nulls;
        out.type = f.type;
        out.spec.name = f.name;
        out.spec.result_type = f.type;
        for (const auto& a : f.args) {
          TB_ASSIGN_OR_RETURN(BoundExprPtr r, PrepareResolved(*a, child.bindings));
          out.spec.arg_types.push_back(r->type);
          out.args.push_back(std::move(r));
        }
        for (const auto& p : f.partition_by) {
          TB_ASSIGN_OR_RETURN(BoundExprPtr r, PrepareResolved(*p, child.bindings));
          out.partition_by.push_back(std::move(r));
        }
        for (const BoundOrder& o : f.order_by) {
          TB_ASSIGN_OR_RETURN(BoundExprPtr r, PrepareResolved(*o.expr, child.bindings));
          out.order_by.push_back(BoundOrder{std::move(r), o.descending, o.nulls_first});
        }
        if (explain_details_) text.push_back(f.ToString());
        plan->functions.push_back(std::move(out));
      }
      Keep(std::shared_ptr<const WindowPlan>(plan));
      Planned out;
      out.bindings = w.OutputBindings();
      out.types = w.OutputTypes();
      out.explain.title = "Window";
      out.explain.details = text;
      out.explain.children.push_back(std::move(child.explain));
      TB_ASSIGN_OR_RETURN(OperatorPtr input, ToOperator(std::move(child)));
      out.op = std::make_unique<WindowOperator>(std::move(input), plan, context_);
      return out;
    }
    case LogicalOperatorKind::kSort: return PlanSort(node.As<LogicalSort>(), std::nullopt);
    case LogicalOperatorKind::kLimit: {
      const auto& l = node.As<LogicalLimit>();
      Planned child;
      if (node.children[0]->kind == LogicalOperatorKind::kSort && l.limit) {
        TB_ASSIGN_OR_RETURN(child, PlanSort(node.children[0]->As<LogicalSort>(),
                                            static_cast<size_t>(*l.limit + l.offset)));
      } else {
        TB_ASSIGN_OR_RETURN(child, PlanNode(*node.children[0]));
      }
      Planned out;
      out.bindings = child.bindings;
      out.types = child.types;
      out.explain.title = "Limit " + (l.limit ? std::to_string(*l.limit) : std::string("ALL")) +
                          (l.offset > 0 ? " OFFSET " + std::to_string(l.offset) : "");
      out.explain.children.push_back(std::move(child.explain));
      TB_ASSIGN_OR_RETURN(OperatorPtr input, ToOperator(std::move(child)));
      out.op = std::make_unique<LimitOperator>(std::move(input), l.limit, l.offset);
      return out;
    }
    case LogicalOperatorKind::kJoin: return PlanJoin(node.As<LogicalJoin>());
    case LogicalOperatorKind::kSetOperation: return PlanSetOperation(node.As<LogicalSetOperation>());
  }
  return Internal("unknown logical operator");
}

}  // namespace trailbook::sql
