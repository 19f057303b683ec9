// Query binding: WITH, SELECT, FROM (tables, subqueries, joins, UNNEST), set operations,
// VALUES, ORDER BY, LIMIT.
#include "sql/planner/aggregate_catalog.h"
#include "sql/planner/internal/binder_impl.h"
#include "sql/planner/name_matching.h"

namespace trailbook::sql {

Result<BoundQuery> Bind(const Statement& statement, const BinderContext& context) {
  internal::Binder binder(context);
  return binder.BindStatement(statement);
}

namespace internal {
namespace {

std::string DerivedName(const Expr& e, size_t index) {
  if (e.Is<ColumnRef>()) return e.As<ColumnRef>().parts.back().name;
  if (e.Is<sql::FieldAccess>()) return e.As<sql::FieldAccess>().field.name;
  return "_col" + std::to_string(index);
}

std::unique_ptr<LogicalValues> SingleEmptyRow(uint32_t table) {
  auto values = std::make_unique<LogicalValues>();
  values->table = table;
  values->rows.emplace_back();
  return values;
}

}  // namespace

Result<BoundQuery> Binder::BindStatement(const Statement& statement) {
  TB_ASSIGN_OR_RETURN(BoundRelation rel, BindQuery(*statement.query, nullptr));
  BoundQuery q;
  q.root = std::move(rel.op);
  for (const ScopeColumn& c : rel.columns) q.names.push_back(c.name);
  q.slots = std::move(slots_);
  q.reusable = ctx_.tag_slots && !value_dependent_;
  return q;
}

Result<BoundRelation> Binder::BindQuery(const Query& query, const BindScope* outer) {
  size_t mark = ctes_.size();
  for (const CommonTableExpr& cte : query.with) {
    std::string name = cte.name.Canonical();
    for (size_t i = mark; i < ctes_.size(); ++i) {
      if (ctes_[i].name == name) {
        return Error(cte.name.location, "WITH query name '" + cte.name.name + "' is used twice");
      }
    }
    ctes_.push_back(CteEntry{name, &cte, ctes_.size()});
  }
  Result<BoundRelation> rel = BindQueryBody(*query.body, &query, outer);
  ctes_.resize(mark);
  return rel;
}

Result<BoundRelation> Binder::BindQueryBody(const QueryBody& body, const Query* clauses,
                                            const BindScope* outer) {
  BoundRelation rel;
  switch (body.kind) {
    case QueryBodyKind::kSelect: return BindSelect(body.As<SelectBody>(), clauses, outer);
    case QueryBodyKind::kSetOperation: {
      TB_ASSIGN_OR_RETURN(rel, BindSetOperation(body.As<SetOperationBody>(), outer));
      break;
    }
    case QueryBodyKind::kValues: {
      TB_ASSIGN_OR_RETURN(rel, BindValues(body.As<ValuesBody>(), outer));
      break;
    }
    case QueryBodyKind::kNested: {
      TB_ASSIGN_OR_RETURN(rel, BindQuery(*body.As<NestedQueryBody>().query, outer));
      break;
    }
  }
  if (clauses == nullptr) return rel;
  return ApplyOuterClauses(std::move(rel), *clauses, outer);
}

Result<std::optional<int64_t>> Binder::BindCount(const Expr* expr, std::string_view what) {
  if (expr == nullptr) return std::optional<int64_t>();
  if (expr->Is<IntegerLiteral>()) return std::optional<int64_t>(expr->As<IntegerLiteral>().value);
  if (expr->Is<Parameter>()) {
    ExprContext ec;
    BindScope empty;
    ec.scope = &empty;
    ec.clause = what;
    TB_ASSIGN_OR_RETURN(BoundExprPtr v, BindExpr(*expr, ec));
    Pin(*v);  // The count is built into the plan.
    if (v->type.id() != TypeId::kBigint || v->value.is_null() || v->value.int_value() < 0) {
      return Error(expr->location, std::string(what) + " must be a non-negative bigint, got " +
                                       v->value.ToString());
    }
    return std::optional<int64_t>(v->value.int_value());
  }
  return Error(expr->location, std::string(what) + " must be an integer");
}

Result<BoundRelation> Binder::ApplyOuterClauses(BoundRelation rel, const Query& clauses,
                                                const BindScope* outer) {
  if (!clauses.order_by.empty()) {
    BindScope scope;
    scope.outer = outer;
    scope.relations.push_back(ScopeRelation{"", nullptr, rel.columns});
    ExprContext ec;
    ec.scope = &scope;
    ec.clause = "ORDER BY";
    auto sort = std::make_unique<LogicalSort>();
    for (const OrderItem& o : clauses.order_by) {
      BoundExprPtr key;
      if (o.expr->Is<IntegerLiteral>()) {
        int64_t k = o.expr->As<IntegerLiteral>().value;
        if (k < 1 || static_cast<size_t>(k) > rel.columns.size()) {
          return Error(o.expr->location, "ORDER BY position " + std::to_string(k) +
                                             " is not in the select list");
        }
        const ScopeColumn& c = rel.columns[static_cast<size_t>(k - 1)];
        key = MakeColumn(c.binding, c.type, c.name, o.expr->location);
      } else {
        TB_ASSIGN_OR_RETURN(key, BindExpr(*o.expr, ec));
      }
      if (!IsOrderable(key->type)) {
        return Error(o.location, "cannot order by a value of type " + key->type.ToString());
      }
      sort->orders.push_back(BoundOrder{std::move(key), o.descending, o.nulls == NullOrdering::kFirst});
    }
    sort->children.push_back(std::move(rel.op));
    rel.op = std::move(sort);
  }
  TB_ASSIGN_OR_RETURN(std::optional<int64_t> limit, BindCount(clauses.limit.get(), "LIMIT"));
  TB_ASSIGN_OR_RETURN(std::optional<int64_t> offset, BindCount(clauses.offset.get(), "OFFSET"));
  if (limit || (offset && *offset > 0)) {
    auto l = std::make_unique<LogicalLimit>();
    l->limit = limit;
    l->offset = offset.value_or(0);
    l->children.push_back(std::move(rel.op));
    rel.op = std::move(l);
  }
  return rel;
}

Result<BoundRelation> Binder::BindSelect(const SelectBody& s, const Query* clauses,
                                         const BindScope* outer) {
  BindScope scope;
  scope.outer = outer;
  LogicalOperatorPtr op;
  if (s.from) {
    TB_ASSIGN_OR_RETURN(op, BindFrom(*s.from, &scope));
  } else {
    op = SingleEmptyRow(NextTable());
  }
  if (s.where) {
    if (ContainsWindow(*s.where)) {
      return Error(s.where->location, "window functions are not allowed in WHERE");
    }
    ExprContext ec;
    ec.scope = &scope;
    ec.clause = "WHERE";
    TB_ASSIGN_OR_RETURN(BoundExprPtr cond, BindCondition(*s.where, ec));
    auto filter = std::make_unique<LogicalFilter>();
    SplitConjuncts(std::move(cond), &filter->conditions);
    filter->children.push_back(std::move(op));
    op = std::move(filter);
  }

  bool aggregating = !s.group_by.empty() || s.having != nullptr;
  bool windowing = false;
  for (const SelectItem& item : s.items) {
    if (item.kind != SelectItemKind::kExpr) continue;
    aggregating = aggregating || ContainsAggregate(*item.expr);
    windowing = windowing || ContainsWindow(*item.expr);
  }
  if (clauses != nullptr) {
    for (const OrderItem& o : clauses->order_by) {
      aggregating = aggregating || ContainsAggregate(*o.expr);
      windowing = windowing || ContainsWindow(*o.expr);
    }
  }

  std::unique_ptr<LogicalAggregate> agg;
  AggregationState agg_state;
  if (aggregating) {
    agg = std::make_unique<LogicalAggregate>();
    agg->group_table = NextTable();
    agg->aggregate_table = NextTable();
    agg_state.aggregate = agg.get();
    agg_state.input_scope = &scope;
    ExprContext gctx;
    gctx.scope = &scope;
    gctx.clause = "GROUP BY";
    for (const ExprPtr& g : s.group_by) {
      const Expr* ast = g.get();
      if (ast->Is<IntegerLiteral>()) {
        int64_t k = ast->As<IntegerLiteral>().value;
        if (k < 1 || static_cast<size_t>(k) > s.items.size() ||
            s.items[static_cast<size_t>(k - 1)].kind != SelectItemKind::kExpr) {
          return Error(ast->location, "GROUP BY position " + std::to_string(k) +
                                          " is not in the select list");
        }
        ast = s.items[static_cast<size_t>(k - 1)].expr.get();
      } else if (ast->Is<ColumnRef>() && ast->As<ColumnRef>().parts.size() == 1 &&
                 !ResolveColumn(ast->As<ColumnRef>().parts, ast->location, scope).ok()) {
        // Not a column: an output alias (Trino does not allow this; Athena users expect it).
        for (const SelectItem& item : s.items) {
          if (item.kind == SelectItemKind::kExpr && item.alias &&
              item.alias->Matches(ast->As<ColumnRef>().parts[0].name)) {
            ast = item.expr.get();
            break;
          }
        }
      }
      if (ContainsAggregate(*ast)) {
        return Error(ast->location, "GROUP BY cannot contain aggregate functions");
      }
      if (ContainsWindow(*ast)) {
        return Error(ast->location, "GROUP BY cannot contain window functions");
      }
      TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*ast, gctx));
      bool duplicate = false;
      for (const BoundExprPtr& other : agg->groups) duplicate = duplicate || Equal(*other, *b);
      if (!duplicate) agg->groups.push_back(std::move(b));
    }
  }
  std::unique_ptr<LogicalWindow> win;
  WindowState win_state;
  if (windowing) {
    win = std::make_unique<LogicalWindow>();
    win->table = NextTable();
    win_state.window = win.get();
    win_state.named = &s.windows;
  }

  ExprContext sctx;
  sctx.scope = &scope;
  sctx.clause = "SELECT";
  sctx.aggregation = aggregating ? &agg_state : nullptr;
  sctx.window = windowing ? &win_state : nullptr;
  std::vector<BoundExprPtr> exprs;
  std::vector<std::string> names;
  for (size_t i = 0; i < s.items.size(); ++i) {
    const SelectItem& item = s.items[i];
    if (item.kind == SelectItemKind::kExpr) {
      TB_ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(*item.expr, sctx));
      exprs.push_back(std::move(e));
      names.push_back(item.alias ? item.alias->name : DerivedName(*item.expr, i));
      continue;
    }
    bool matched = false;
    for (const ScopeRelation& rel : scope.relations) {
      if (!item.qualifier.empty() &&
          (rel.alias.empty() || !item.qualifier.back().Matches(rel.alias))) {
        continue;
      }
      matched = true;
      std::vector<BoundExprPtr> cols;
      std::vector<std::string> col_names;
      if (rel.scan != nullptr) {
        const TableCatalog& cat = *rel.scan->catalog;
        for (size_t c = 0; c < cat.columns().size(); ++c) {
          if (!cat.column(c).top_level) continue;
          ColumnBinding b = rel.scan->EnsureColumn(static_cast<int>(c));
          cols.push_back(MakeColumn(b, cat.column(c).type, cat.column(c).name, item.location));
          col_names.push_back(cat.column(c).name);
        }
      } else {
        for (const ScopeColumn& c : rel.columns) {
          cols.push_back(MakeColumn(c.binding, c.type, c.name, item.location));
          col_names.push_back(c.name);
        }
      }
      for (size_t c = 0; c < cols.size(); ++c) {
        BoundExprPtr e = std::move(cols[c]);
        if (aggregating) {
          int found = -1;
          for (size_t g = 0; g < agg->groups.size(); ++g) {
            if (Equal(*e, *agg->groups[g])) found = static_cast<int>(g);
          }
          if (found < 0) {
            return Error(item.location, "'" + col_names[c] +
                                            "' must be an aggregate expression or appear in GROUP BY");
          }
          e = MakeColumn(ColumnBinding{agg->group_table, static_cast<uint32_t>(found)}, e->type,
                         col_names[c], item.location);
        }
        exprs.push_back(std::move(e));
        names.push_back(col_names[c]);
      }
    }
    if (!matched) {
      std::string q;
      for (const Identifier& id : item.qualifier) q += (q.empty() ? "" : ".") + id.name;
      return Error(item.location, "unknown table '" + q + "' in " + q + ".*");
    }
  }
  if (exprs.empty()) return Error(s.location, "SELECT * found no columns");

  BoundExprPtr having;
  if (s.having) {
    if (ContainsWindow(*s.having)) {
      return Error(s.having->location, "window functions are not allowed in HAVING");
    }
    ExprContext hctx;
    hctx.scope = &scope;
    hctx.clause = "HAVING";
    hctx.aggregation = &agg_state;
    TB_ASSIGN_OR_RETURN(having, BindCondition(*s.having, hctx));
  }

  uint32_t project_table = NextTable();
  size_t visible = exprs.size();
  std::vector<BoundOrder> orders;
  if (clauses != nullptr) {
    for (const OrderItem& o : clauses->order_by) {
      int out = -1;
      if (o.expr->Is<IntegerLiteral>()) {
        int64_t k = o.expr->As<IntegerLiteral>().value;
        if (k < 1 || static_cast<size_t>(k) > visible) {
          return Error(o.expr->location, "ORDER BY position " + std::to_string(k) +
                                             " is not in the select list");
        }
        out = static_cast<int>(k - 1);
      } else if (o.expr->Is<ColumnRef>() && o.expr->As<ColumnRef>().parts.size() == 1) {
        const Identifier& id = o.expr->As<ColumnRef>().parts[0];
        for (size_t i = 0; i < visible; ++i) {
          if (!EqualsIgnoreCase(names[i], id.name)) continue;
          if (out >= 0 && !Equal(*exprs[static_cast<size_t>(out)], *exprs[i])) {
            return Error(o.expr->location, "ORDER BY '" + id.name + "' is ambiguous");
          }
          if (out < 0) out = static_cast<int>(i);
        }
      }
      if (out < 0) {
        ExprContext octx = sctx;
        octx.clause = "ORDER BY";
        TB_ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(*o.expr, octx));
        for (size_t i = 0; i < exprs.size() && out < 0; ++i) {
          if (Equal(*exprs[i], *e)) out = static_cast<int>(i);
        }
        if (out < 0) {
          if (s.distinct) {
            return Error(o.expr->location,
                         "for SELECT DISTINCT, ORDER BY expressions must appear in the select list");
          }
          exprs.push_back(std::move(e));
          out = static_cast<int>(exprs.size() - 1);
        }
      }
      const BoundExpr& target = *exprs[static_cast<size_t>(out)];
      if (!IsOrderable(target.type)) {
        return Error(o.location, "cannot order by a value of type " + target.type.ToString());
      }
      orders.push_back(BoundOrder{
          MakeColumn(ColumnBinding{project_table, static_cast<uint32_t>(out)}, target.type,
                     static_cast<size_t>(out) < names.size() ? names[static_cast<size_t>(out)]
                                                             : target.ToString(),
                     o.location),
          o.descending, o.nulls == NullOrdering::kFirst});
    }
  }

  if (agg) {
    agg->children.push_back(std::move(op));
    op = std::move(agg);
  }
  if (having) {
    auto filter = std::make_unique<LogicalFilter>();
    SplitConjuncts(std::move(having), &filter->conditions);
    filter->children.push_back(std::move(op));
    op = std::move(filter);
  }
  if (win) {
    win->children.push_back(std::move(op));
    op = std::move(win);
  }
  auto project = std::make_unique<LogicalProject>();
  project->table = project_table;
  std::vector<LogicalType> types;
  for (const BoundExprPtr& e : exprs) types.push_back(e->type);
  project->exprs = std::move(exprs);
  project->children.push_back(std::move(op));
  op = std::move(project);

  BoundRelation rel;
  for (size_t i = 0; i < visible; ++i) {
    rel.columns.push_back(
        ScopeColumn{names[i], ColumnBinding{project_table, static_cast<uint32_t>(i)}, types[i]});
  }
  if (s.distinct) {
    auto distinct = std::make_unique<LogicalAggregate>();
    distinct->group_table = NextTable();
    distinct->aggregate_table = NextTable();
    for (size_t i = 0; i < visible; ++i) {
      distinct->groups.push_back(MakeColumn(rel.columns[i].binding, types[i], names[i]));
      rel.columns[i].binding = ColumnBinding{distinct->group_table, static_cast<uint32_t>(i)};
    }
    for (BoundOrder& o : orders) o.expr->binding.table = distinct->group_table;
    distinct->children.push_back(std::move(op));
    op = std::move(distinct);
  }
  if (!orders.empty()) {
    auto sort = std::make_unique<LogicalSort>();
    sort->orders = std::move(orders);
    sort->children.push_back(std::move(op));
    op = std::move(sort);
  }
  if (clauses != nullptr) {
    TB_ASSIGN_OR_RETURN(std::optional<int64_t> limit, BindCount(clauses->limit.get(), "LIMIT"));
    TB_ASSIGN_OR_RETURN(std::optional<int64_t> offset, BindCount(clauses->offset.get(), "OFFSET"));
    if (limit || (offset && *offset > 0)) {
      auto l = std::make_unique<LogicalLimit>();
      l->limit = limit;
      l->offset = offset.value_or(0);
      l->children.push_back(std::move(op));
      op = std::move(l);
    }
  }
  if (types.size() > visible) {
    // Drop the ORDER BY keys that are not in the select list.
    auto trim = std::make_unique<LogicalProject>();
    trim->table = NextTable();
    for (size_t i = 0; i < visible; ++i) {
      trim->exprs.push_back(MakeColumn(rel.columns[i].binding, types[i], names[i]));
      rel.columns[i].binding = ColumnBinding{trim->table, static_cast<uint32_t>(i)};
    }
    trim->children.push_back(std::move(op));
    op = std::move(trim);
  }
  rel.op = std::move(op);
  return rel;
}

Result<BoundRelation> Binder::BindSetOperation(const SetOperationBody& body,
                                               const BindScope* outer) {
  TB_ASSIGN_OR_RETURN(BoundRelation left, BindQueryBody(*body.left, nullptr, outer));
  TB_ASSIGN_OR_RETURN(BoundRelation right, BindQueryBody(*body.right, nullptr, outer));
  std::string op_name(SetOperatorName(body.op));
  if (left.columns.size() != right.columns.size()) {
    return Error(body.location, op_name + " inputs have " + std::to_string(left.columns.size()) +
                                    " and " + std::to_string(right.columns.size()) + " columns");
  }
  std::vector<LogicalType> types;
  for (size_t i = 0; i < left.columns.size(); ++i) {
    LogicalType t = CommonSuperType(left.columns[i].type, right.columns[i].type);
    if (t.id() == TypeId::kUnknown && (left.columns[i].type.id() != TypeId::kUnknown ||
                                       right.columns[i].type.id() != TypeId::kUnknown)) {
      return Error(body.location, op_name + " column " + std::to_string(i + 1) + " has types " +
                                      left.columns[i].type.ToString() + " and " +
                                      right.columns[i].type.ToString() + ", which do not match");
    }
    if (t.id() == TypeId::kUnknown) t = LogicalType::Varchar();
    if (body.op != SetOperator::kUnion || !body.all) {
      if (!IsOrderable(t) && t.id() != TypeId::kMap && t.id() != TypeId::kJson) {
        return Error(body.location, op_name + " cannot compare values of type " + t.ToString());
      }
    }
    types.push_back(t);
  }
  auto cast_side = [&](BoundRelation& side) -> Status {
    bool needed = false;
    for (size_t i = 0; i < types.size(); ++i) needed = needed || side.columns[i].type != types[i];
    if (!needed) return Status::OK();
    auto project = std::make_unique<LogicalProject>();
    project->table = NextTable();
    for (size_t i = 0; i < types.size(); ++i) {
      const ScopeColumn& c = side.columns[i];
      TB_ASSIGN_OR_RETURN(BoundExprPtr e, CastTo(MakeColumn(c.binding, c.type, c.name), types[i]));
      project->exprs.push_back(std::move(e));
    }
    project->children.push_back(std::move(side.op));
    side.op = std::move(project);
    return Status::OK();
  };
  TB_RETURN_IF_ERROR(cast_side(left));
  TB_RETURN_IF_ERROR(cast_side(right));
  auto node = std::make_unique<LogicalSetOperation>();
  node->table = NextTable();
  node->op = body.op;
  node->all = body.all;
  node->types = types;
  node->children.push_back(std::move(left.op));
  node->children.push_back(std::move(right.op));
  BoundRelation rel;
  for (size_t i = 0; i < types.size(); ++i) {
    rel.columns.push_back(ScopeColumn{left.columns[i].name,
                                      ColumnBinding{node->table, static_cast<uint32_t>(i)},
                                      types[i]});
  }
  rel.op = std::move(node);
  return rel;
}

Result<BoundRelation> Binder::BindValues(const ValuesBody& body, const BindScope* outer) {
  BindScope scope;
  scope.outer = outer;
  ExprContext ec;
  ec.scope = &scope;
  ec.clause = "VALUES";
  std::vector<std::vector<BoundExprPtr>> rows;
  size_t width = 0;
  for (size_t r = 0; r < body.rows.size(); ++r) {
    const Expr& row = *body.rows[r];
    std::vector<BoundExprPtr> cells;
    if (row.Is<RowExpr>()) {
      for (const ExprPtr& f : row.As<RowExpr>().fields) {
        TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*f, ec));
        cells.push_back(std::move(b));
      }
    } else {
      TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(row, ec));
      cells.push_back(std::move(b));
    }
    if (r == 0) width = cells.size();
    if (cells.size() != width) {
      return Error(row.location, "VALUES rows have different numbers of columns (" +
                                     std::to_string(width) + " and " +
                                     std::to_string(cells.size()) + ")");
    }
    rows.push_back(std::move(cells));
  }
  auto values = std::make_unique<LogicalValues>();
  values->table = NextTable();
  for (size_t c = 0; c < width; ++c) {
    std::vector<BoundExprPtr> column;
    for (auto& row : rows) column.push_back(std::move(row[c]));
    LogicalType type;
    TB_ASSIGN_OR_RETURN(column, CoerceAll(std::move(column), body.location, "VALUES columns", &type));
    if (type.id() == TypeId::kUnknown) type = LogicalType::Varchar();
    for (size_t r = 0; r < rows.size(); ++r) {
      TB_ASSIGN_OR_RETURN(rows[r][c], CastTo(std::move(column[r]), type));
    }
    values->types.push_back(type);
  }
  values->rows = std::move(rows);
  BoundRelation rel;
  for (size_t c = 0; c < width; ++c) {
    rel.columns.push_back(ScopeColumn{"_col" + std::to_string(c),
                                      ColumnBinding{values->table, static_cast<uint32_t>(c)},
                                      values->types[c]});
  }
  rel.op = std::move(values);
  return rel;
}

Result<LogicalOperatorPtr> Binder::BindTable(const TableRelation& t, BindScope* scope) {
  const TableName& n = t.name;
  std::string default_alias;
  switch (n.kind) {
    case TableNameKind::kQualified: {
      if (n.parts.size() == 1) {
        std::string name = n.parts[0].Canonical();
        for (size_t i = ctes_.size(); i-- > 0;) {
          if (ctes_[i].name != name) continue;
          CteEntry entry = ctes_[i];
          std::vector<CteEntry> saved = ctes_;
          ctes_.resize(entry.visible);
          Result<BoundRelation> rel = BindQuery(*entry.cte->query, nullptr);
          ctes_ = std::move(saved);
          if (!rel.ok()) return rel.status();
          BoundRelation r = std::move(rel).value();
          const std::vector<Identifier>& renames =
              t.alias && !t.alias->columns.empty() ? t.alias->columns : entry.cte->columns;
          if (!renames.empty()) {
            if (renames.size() != r.columns.size()) {
              return Error(t.location, "'" + entry.cte->name.name + "' has " +
                                           std::to_string(r.columns.size()) + " columns but " +
                                           std::to_string(renames.size()) + " names");
            }
            for (size_t c = 0; c < renames.size(); ++c) r.columns[c].name = renames[c].name;
          }
          scope->relations.push_back(ScopeRelation{
              t.alias ? t.alias->name.name : entry.cte->name.name, nullptr, std::move(r.columns)});
          return std::move(r.op);
        }
      }
      if (n.parts.size() != 1 || !n.parts[0].Matches(ctx_.catalog->name())) {
        std::string text;
        for (const Identifier& id : n.parts) text += (text.empty() ? "" : ".") + id.name;
        return Error(n.location, "unknown table '" + text + "'",
                     "; the table is '" + ctx_.catalog->name() +
                         "' (or the event data store id " + ctx_.store_id + ")");
      }
      default_alias = n.parts[0].name;
      break;
    }
    case TableNameKind::kEventDataStore: {
      bool known = EqualsIgnoreCase(n.event_data_store_id, ctx_.store_id);
      for (const std::string& a : ctx_.store_aliases) {
        // An alias may be an EDS ARN (arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID);
        // queries name the store by the ID at its end.
        std::string_view id = a;
        size_t slash = id.rfind('/');
        if (id.starts_with("arn:") && slash != std::string_view::npos) id.remove_prefix(slash + 1);
        known = known || EqualsIgnoreCase(n.event_data_store_id, id) || EqualsIgnoreCase(n.text, a);
      }
      if (!known) {
        return Error(n.location, "unknown event data store '" + n.event_data_store_id + "'",
                     "; this store's id is " + ctx_.store_id +
                         " (map other ids to it with --eds-id)");
      }
      break;
    }
    case TableNameKind::kPlaceholder: break;
  }
  if (t.alias && !t.alias->columns.empty()) {
    return Error(t.alias->columns[0].location,
                 "column aliases are not supported for the events table", "",
                 StatusCode::kUnimplemented);
  }
  auto scan = std::make_unique<LogicalScan>();
  scan->table = NextTable();
  scan->catalog = ctx_.catalog;
  scope->relations.push_back(
      ScopeRelation{t.alias ? t.alias->name.name : default_alias, scan.get(), {}});
  return LogicalOperatorPtr(std::move(scan));
}

Result<LogicalOperatorPtr> Binder::BindUnnest(const UnnestRelation& u, LogicalOperatorPtr input,
                                              BindScope* scope) {
  ExprContext ec;
  ec.scope = scope;
  ec.clause = "UNNEST";
  auto node = std::make_unique<LogicalUnnest>();
  node->table = NextTable();
  node->with_ordinality = u.with_ordinality;
  size_t expanded = 0, compact = 0;
  for (const ExprPtr& a : u.args) {
    TB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*a, ec));
    if (b->type.id() == TypeId::kArray) {
      const LogicalType& el = b->type.element();
      expanded += el.id() == TypeId::kRow ? el.fields().size() : 1;
      compact += 1;
    } else if (b->type.id() == TypeId::kMap) {
      expanded += 2;
      compact += 2;
    } else {
      return Error(a->location, "UNNEST needs an array or a map, got " + b->type.ToString());
    }
    node->args.push_back(std::move(b));
  }
  size_t ord = u.with_ordinality ? 1 : 0;
  size_t named = u.alias ? u.alias->columns.size() : 0;
  bool expand = named == 0 || named == expanded + ord;
  if (!expand && named != compact + ord) {
    return Error(u.alias->name.location,
                 "UNNEST produces " + std::to_string(expanded + ord) + " columns but the alias names " +
                     std::to_string(named));
  }
  std::vector<std::string> names;
  for (const BoundExprPtr& b : node->args) {
    if (b->type.id() == TypeId::kMap) {
      node->modes.push_back(UnnestMode::kMapEntries);
      node->column_types.push_back(b->type.key());
      node->column_types.push_back(b->type.value());
      names.push_back("key");
      names.push_back("value");
      continue;
    }
    const LogicalType& el = b->type.element();
    if (expand && el.id() == TypeId::kRow) {
      node->modes.push_back(UnnestMode::kRowFields);
      for (const RowField& f : el.fields()) {
        node->column_types.push_back(*f.type);
        names.push_back(f.name);
      }
    } else {
      node->modes.push_back(UnnestMode::kElements);
      node->column_types.push_back(el);
      names.push_back("_col" + std::to_string(names.size()));
    }
  }
  if (u.with_ordinality) {
    node->column_types.push_back(LogicalType::Bigint());
    names.push_back("ordinality");
  }
  if (named > 0) {
    for (size_t i = 0; i < named; ++i) names[i] = u.alias->columns[i].name;
  }
  ScopeRelation rel;
  rel.alias = u.alias ? u.alias->name.name : "";
  for (size_t i = 0; i < node->column_types.size(); ++i) {
    rel.columns.push_back(ScopeColumn{names[i], ColumnBinding{node->table, static_cast<uint32_t>(i)},
                                      node->column_types[i]});
  }
  scope->relations.push_back(std::move(rel));
  node->children.push_back(std::move(input));
  return LogicalOperatorPtr(std::move(node));
}

Result<LogicalOperatorPtr> Binder::BindFrom(const Relation& relation, BindScope* scope) {
  switch (relation.kind) {
    case RelationKind::kTable: return BindTable(relation.As<TableRelation>(), scope);
    case RelationKind::kSubquery: {
      const auto& sub = relation.As<SubqueryRelation>();
      TB_ASSIGN_OR_RETURN(BoundRelation rel, BindQuery(*sub.query, scope->outer));
      if (sub.alias && !sub.alias->columns.empty()) {
        if (sub.alias->columns.size() != rel.columns.size()) {
          return Error(sub.alias->name.location,
                       "subquery has " + std::to_string(rel.columns.size()) + " columns but " +
                           std::to_string(sub.alias->columns.size()) + " names");
        }
        for (size_t i = 0; i < rel.columns.size(); ++i) {
          rel.columns[i].name = sub.alias->columns[i].name;
        }
      }
      scope->relations.push_back(
          ScopeRelation{sub.alias ? sub.alias->name.name : "", nullptr, std::move(rel.columns)});
      return std::move(rel.op);
    }
    case RelationKind::kUnnest:
      return BindUnnest(relation.As<UnnestRelation>(), SingleEmptyRow(NextTable()), scope);
    case RelationKind::kJoin: {
      const auto& j = relation.As<JoinRelation>();
      TB_ASSIGN_OR_RETURN(LogicalOperatorPtr left, BindFrom(*j.left, scope));
      if (j.right->Is<UnnestRelation>()) {
        if (j.type != JoinType::kCross && j.type != JoinType::kImplicit) {
          return Error(j.right->location, "UNNEST is only supported in CROSS JOIN or a comma join",
                       "", StatusCode::kUnimplemented);
        }
        return BindUnnest(j.right->As<UnnestRelation>(), std::move(left), scope);
      }
      size_t left_count = scope->relations.size();
      TB_ASSIGN_OR_RETURN(LogicalOperatorPtr right, BindFrom(*j.right, scope));
      auto join = std::make_unique<LogicalJoin>();
      switch (j.type) {
        case JoinType::kInner: join->type = LogicalJoinType::kInner; break;
        case JoinType::kLeft: join->type = LogicalJoinType::kLeft; break;
        case JoinType::kRight: join->type = LogicalJoinType::kRight; break;
        case JoinType::kFull: join->type = LogicalJoinType::kFull; break;
        case JoinType::kCross:
        case JoinType::kImplicit: join->type = LogicalJoinType::kCross; break;
      }
      if (j.on) {
        ExprContext ec;
        ec.scope = scope;
        ec.clause = "ON";
        if (ContainsAggregate(*j.on)) {
          return Error(j.on->location, "aggregate functions are not allowed in ON");
        }
        TB_ASSIGN_OR_RETURN(BoundExprPtr cond, BindCondition(*j.on, ec));
        SplitConjuncts(std::move(cond), &join->conditions);
      }
      if (!j.using_columns.empty()) {
        BindScope left_scope, right_scope;
        left_scope.relations.assign(scope->relations.begin(),
                                    scope->relations.begin() + static_cast<long>(left_count));
        right_scope.relations.assign(scope->relations.begin() + static_cast<long>(left_count),
                                     scope->relations.end());
        for (const Identifier& id : j.using_columns) {
          std::vector<Identifier> parts{id};
          TB_ASSIGN_OR_RETURN(BoundExprPtr l, ResolveColumn(parts, id.location, left_scope));
          TB_ASSIGN_OR_RETURN(BoundExprPtr r, ResolveColumn(parts, id.location, right_scope));
          TB_ASSIGN_OR_RETURN(BoundExprPtr eq, BindComparison("$eq", std::move(l), std::move(r),
                                                              id.location));
          join->conditions.push_back(std::move(eq));
        }
      }
      join->children.push_back(std::move(left));
      join->children.push_back(std::move(right));
      return LogicalOperatorPtr(std::move(join));
    }
  }
  return Internal("unhandled relation kind");
}

}  // namespace internal
}  // namespace trailbook::sql
