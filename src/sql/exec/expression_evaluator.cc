#include "sql/exec/expression_evaluator.h"

#include <algorithm>
#include <unordered_map>

#include "sql/exec/value_ops.h"
#include "sql/parser/source_location.h"

namespace trailbook::sql {

struct ExpressionEvaluator::Node {
  const BoundExpr* expr = nullptr;
  std::vector<std::unique_ptr<Node>> children;
  Vector result;
  std::vector<int> columns;     // Input columns referenced below this node (sorted).
  std::vector<int> slots;       // Lambda slots referenced below this node (sorted).
  // Dictionary evaluation cache of a kCall: source dictionary id -> per-entry result.
  struct DictEntry {
    std::shared_ptr<const Vector> values;  // null: evaluating on the dictionary failed
    uint64_t id = 0;
  };
  std::unordered_map<uint64_t, DictEntry> dict_cache;
  // kInList with constant items: the non-NULL items, a hash index over them.
  bool in_prepared = false;
  bool in_all_constant = false;
  bool in_has_null = false;
  Vector in_items;
  std::unordered_multimap<uint64_t, size_t> in_index;
};

namespace {

// Reads a boolean row of any mode: returns 0 false, 1 true, 2 NULL.
inline uint8_t BoolAt(const Vector& v, size_t i) {
  switch (v.mode()) {
    case VectorMode::kFlat: return v.Nulls()[i] ? 2 : v.Data<uint8_t>()[i];
    case VectorMode::kConstant: return v.Nulls()[0] ? 2 : v.Data<uint8_t>()[0];
    case VectorMode::kDictionary: {
      const Vector& d = v.dictionary();
      uint32_t c = v.codes()[i];
      return d.Nulls()[c] ? 2 : d.Data<uint8_t>()[c];
    }
  }
  return 2;
}

void InsertSorted(std::vector<int>* v, int x) {
  auto it = std::lower_bound(v->begin(), v->end(), x);
  if (it == v->end() || *it != x) v->insert(it, x);
}

std::unique_ptr<ExpressionEvaluator::Node> Build(const BoundExpr& e) {
  auto n = std::make_unique<ExpressionEvaluator::Node>();
  n->expr = &e;
  n->result.SetType(e.type);
  if (e.kind == BoundExprKind::kColumnRef) InsertSorted(&n->columns, e.index);
  if (e.kind == BoundExprKind::kLambdaParam) InsertSorted(&n->slots, e.index);
  for (const BoundExprPtr& c : e.children) {
    n->children.push_back(Build(*c));
    for (int col : n->children.back()->columns) InsertSorted(&n->columns, col);
    for (int s : n->children.back()->slots) InsertSorted(&n->slots, s);
  }
  return n;
}

int MaxSlot(const BoundExpr& e) {
  int m = -1;
  VisitExpr(e, [&](const BoundExpr& n) {
    if (n.kind == BoundExprKind::kLambdaParam) m = std::max(m, n.index);
    if (n.kind == BoundExprKind::kLambda) {
      m = std::max(m, n.index + static_cast<int>(n.lambda_arity) - 1);
    }
  });
  return m;
}

// Writes a flat boolean result from per-row states.
void WriteBool(Vector& out, size_t rows, const std::vector<uint8_t>& value,
               const std::vector<uint8_t>& is_null) {
  out.Resize(rows);
  uint8_t* d = out.Data<uint8_t>();
  uint8_t* nulls = out.Nulls();
  for (size_t i = 0; i < rows; ++i) {
    d[i] = value[i];
    nulls[i] = is_null[i];
  }
}

}  // namespace

class ExpressionEvaluator::Lambdas final : public LambdaEvaluator {
 public:
  Lambdas(ExpressionEvaluator* owner, Node* call) : owner_(owner), call_(call) {}
  Status Evaluate(size_t arg_index, std::span<Vector* const> inputs, Vector& out) override {
    return owner_->EvalLambdaBody(*call_, arg_index, inputs, out);
  }

 private:
  ExpressionEvaluator* owner_;
  Node* call_;
};

ExpressionEvaluator::ExpressionEvaluator(const BoundExpr& expr, QueryContext* context)
    : expr_(expr), context_(context), root_(Build(expr)) {
  lambda_slots_.assign(static_cast<size_t>(MaxSlot(expr) + 1), nullptr);
}

ExpressionEvaluator::~ExpressionEvaluator() = default;

Status ExpressionEvaluator::Locate(const Status& status, const BoundExpr& e) const {
  if (status.ok() || !e.location.known() || context_ == nullptr) return status;
  // Messages already located (from a nested evaluation) keep their location.
  if (status.message().find('\n') != std::string::npos) return status;
  return SourceError(status.code(), context_->sql(), e.location, status.message(), "");
}

Result<const Vector*> ExpressionEvaluator::Evaluate(const DataChunk& input) {
  TB_RETURN_IF_ERROR(Eval(*root_, input, input.size));
  return &root_->result;
}

Result<size_t> ExpressionEvaluator::Select(const DataChunk& input, uint32_t* sel) {
  TB_RETURN_IF_ERROR(Eval(*root_, input, input.size));
  const Vector& v = root_->result;
  size_t count = 0;
  switch (v.mode()) {
    case VectorMode::kConstant:
      if (BoolAt(v, 0) == 1) {
        for (size_t i = 0; i < input.size; ++i) sel[count++] = static_cast<uint32_t>(i);
      }
      break;
    case VectorMode::kFlat: {
      const uint8_t* d = v.Data<uint8_t>();
      const uint8_t* nulls = v.Nulls();
      for (size_t i = 0; i < input.size; ++i) {
        sel[count] = static_cast<uint32_t>(i);
        count += (d[i] & ~nulls[i]) & 1;
      }
      break;
    }
    case VectorMode::kDictionary: {
      const Vector& dict = v.dictionary();
      const uint8_t* d = dict.Data<uint8_t>();
      const uint8_t* nulls = dict.Nulls();
      const uint32_t* codes = v.codes();
      for (size_t i = 0; i < input.size; ++i) {
        uint32_t c = codes[i];
        sel[count] = static_cast<uint32_t>(i);
        count += (d[c] & ~nulls[c]) & 1;
      }
      break;
    }
  }
  return count;
}

Status ExpressionEvaluator::EvalSubset(Node& node, const DataChunk& input, size_t rows,
                                       const uint32_t* sel, size_t count) {
  if (count == rows) return Eval(node, input, rows);
  DataChunk sub;
  sub.columns.reserve(input.columns.size());
  for (const Vector& c : input.columns) sub.columns.emplace_back(c.type());
  for (int col : node.columns) {
    sub.columns[static_cast<size_t>(col)].Gather(input.columns[static_cast<size_t>(col)], sel,
                                                 count);
  }
  sub.size = count;
  // Lambda parameters referenced below are row-aligned too.
  std::vector<std::pair<int, Vector*>> saved;
  std::vector<std::unique_ptr<Vector>> gathered;
  for (int s : node.slots) {
    Vector* original = lambda_slots_[static_cast<size_t>(s)];
    if (original == nullptr) continue;
    auto g = std::make_unique<Vector>(original->type());
    g->Gather(*original, sel, count);
    saved.emplace_back(s, original);
    lambda_slots_[static_cast<size_t>(s)] = g.get();
    gathered.push_back(std::move(g));
  }
  Status st = Eval(node, sub, count);
  for (auto& [s, v] : saved) lambda_slots_[static_cast<size_t>(s)] = v;
  return st;
}

Status ExpressionEvaluator::Eval(Node& node, const DataChunk& input, size_t rows) {
  const BoundExpr& e = *node.expr;
  switch (e.kind) {
    case BoundExprKind::kConstant: node.result.SetConstant(e.value, rows); return Status::OK();
    case BoundExprKind::kColumnRef:
      ReferenceVector(input.columns[static_cast<size_t>(e.index)], node.result);
      return Status::OK();
    case BoundExprKind::kLambdaParam: {
      Vector* v = lambda_slots_[static_cast<size_t>(e.index)];
      if (v == nullptr) return Internal("lambda parameter used outside its lambda");
      ReferenceVector(*v, node.result);
      return Status::OK();
    }
    case BoundExprKind::kLambda: return Internal("lambda evaluated outside a call");
    case BoundExprKind::kCall: return EvalCall(node, input, rows);
    case BoundExprKind::kAnd: return EvalLogical(node, input, rows, true);
    case BoundExprKind::kOr: return EvalLogical(node, input, rows, false);
    case BoundExprKind::kNot: {
      TB_RETURN_IF_ERROR(Eval(*node.children[0], input, rows));
      const Vector& c = node.children[0]->result;
      node.result.Resize(rows);
      uint8_t* d = node.result.Data<uint8_t>();
      uint8_t* nulls = node.result.Nulls();
      for (size_t i = 0; i < rows; ++i) {
        uint8_t b = BoolAt(c, i);
        nulls[i] = b == 2;
        d[i] = b == 0;
      }
      return Status::OK();
    }
    case BoundExprKind::kIsNull: {
      TB_RETURN_IF_ERROR(Eval(*node.children[0], input, rows));
      const Vector& c = node.children[0]->result;
      node.result.Resize(rows);
      uint8_t* d = node.result.Data<uint8_t>();
      for (size_t i = 0; i < rows; ++i) d[i] = c.IsNull(i) != e.negated;
      return Status::OK();
    }
    case BoundExprKind::kIsDistinctFrom: return EvalDistinct(node, input, rows);
    case BoundExprKind::kInList: return EvalInList(node, input, rows);
    case BoundExprKind::kCase: return EvalCase(node, input, rows);
    case BoundExprKind::kCoalesce: return EvalCoalesce(node, input, rows);
    case BoundExprKind::kSubquery:
      return Internal("subquery reached the evaluator without being planned");
  }
  return Internal("unknown expression kind");
}

Status ExpressionEvaluator::EvalCall(Node& node, const DataChunk& input, size_t rows) {
  const BoundExpr& e = *node.expr;
  const BoundScalarFunction& fn = *e.function;
  bool has_lambda = false;
  for (const auto& c : node.children) {
    if (c->expr->kind == BoundExprKind::kLambda) {
      has_lambda = true;
      continue;
    }
    TB_RETURN_IF_ERROR(Eval(*c, input, rows));
  }
  FunctionContext fctx;
  fctx.now_us = context_ != nullptr ? context_->now_us() : 0;
  fctx.cancelled = context_ != nullptr ? context_->cancel_flag() : nullptr;
  Lambdas lambdas(this, &node);
  if (has_lambda) fctx.lambdas = &lambdas;

  // Dictionary path: one dictionary argument, the others constant.
  int dict_arg = -1;
  bool eligible = fn.deterministic && !has_lambda && rows > 0;
  for (size_t i = 0; eligible && i < node.children.size(); ++i) {
    VectorMode m = node.children[i]->result.mode();
    if (m == VectorMode::kDictionary) {
      if (dict_arg >= 0) eligible = false;
      dict_arg = static_cast<int>(i);
    } else if (m != VectorMode::kConstant) {
      eligible = false;
    }
  }
  if (eligible && dict_arg >= 0) {
    const Vector& src = node.children[static_cast<size_t>(dict_arg)]->result;
    uint64_t id = src.dictionary_id();
    auto it = node.dict_cache.find(id);
    if (it == node.dict_cache.end() && src.dictionary().size() <= std::max<size_t>(4 * rows, 16384)) {
      size_t dsize = src.dictionary().size();
      std::vector<Vector> args;
      args.reserve(node.children.size());
      for (size_t i = 0; i < node.children.size(); ++i) {
        const Vector& r = node.children[i]->result;
        args.emplace_back(r.type());
        if (static_cast<int>(i) == dict_arg) {
          args.back().Slice(r.dictionary(), 0, dsize);
        } else {
          args.back().SetConstant(r.GetValue(0), dsize);
          args.back().Flatten();
        }
      }
      std::vector<Vector*> ptrs;
      for (Vector& a : args) ptrs.push_back(&a);
      auto out = std::make_shared<Vector>(e.type);
      Status st = fn.kernel(ptrs, dsize, *out, fctx, fn.bind_data.get());
      Node::DictEntry entry;
      if (st.ok()) {
        out->Flatten();
        entry.values = std::move(out);
        entry.id = NewDictionaryId();
      }
      if (node.dict_cache.size() > 64) node.dict_cache.clear();
      it = node.dict_cache.emplace(id, std::move(entry)).first;
    }
    if (it != node.dict_cache.end() && it->second.values != nullptr) {
      node.result.SetDictionary(it->second.values, it->second.id, src.codes(), rows);
      return Status::OK();
    }
  }

  std::vector<Vector*> args;
  args.reserve(node.children.size());
  for (auto& c : node.children) {
    if (c->expr->kind != BoundExprKind::kLambda) c->result.Flatten();
    args.push_back(&c->result);
  }
  if (node.result.type() != e.type) node.result.SetType(e.type);
  Status st = fn.kernel(args, rows, node.result, fctx, fn.bind_data.get());
  if (!st.ok()) return Locate(st, e);
  if (node.result.size() != rows) {
    return Internal("function " + e.name + " returned " + std::to_string(node.result.size()) +
                    " rows for " + std::to_string(rows));
  }
  return Status::OK();
}

Status ExpressionEvaluator::EvalLambdaBody(Node& call, size_t arg, std::span<Vector* const> inputs,
                                           Vector& out) {
  if (arg >= call.children.size() || call.children[arg]->expr->kind != BoundExprKind::kLambda) {
    return Internal("kernel asked for a lambda that is not an argument");
  }
  Node& lambda = *call.children[arg];
  const BoundExpr& le = *lambda.expr;
  if (inputs.size() != le.lambda_arity) return Internal("lambda called with the wrong arity");
  size_t rows = inputs.empty() ? 0 : inputs[0]->size();
  std::vector<Vector*> saved(le.lambda_arity);
  for (size_t p = 0; p < le.lambda_arity; ++p) {
    size_t slot = static_cast<size_t>(le.index) + p;
    saved[p] = lambda_slots_[slot];
    lambda_slots_[slot] = inputs[p];
  }
  DataChunk empty;
  empty.size = rows;
  Status st = Eval(*lambda.children[0], empty, rows);
  for (size_t p = 0; p < le.lambda_arity; ++p) {
    lambda_slots_[static_cast<size_t>(le.index) + p] = saved[p];
  }
  TB_RETURN_IF_ERROR(st);
  Vector& r = lambda.children[0]->result;
  if (out.type() != r.type()) out.SetType(r.type());
  out.Slice(r, 0, rows);
  return Status::OK();
}

Status ExpressionEvaluator::EvalLogical(Node& node, const DataChunk& input, size_t rows,
                                        bool is_and) {
  // state: 0 = undecided (all TRUE so far for AND / FALSE for OR), 1 = NULL seen, 2 = decided.
  std::vector<uint8_t> state(rows, 0);
  std::vector<uint32_t> active(rows);
  for (size_t i = 0; i < rows; ++i) active[i] = static_cast<uint32_t>(i);
  const uint8_t decisive = is_and ? 0 : 1;  // FALSE decides AND, TRUE decides OR
  for (auto& child : node.children) {
    if (active.empty()) break;
    TB_RETURN_IF_ERROR(EvalSubset(*child, input, rows, active.data(), active.size()));
    const Vector& r = child->result;
    size_t kept = 0;
    for (size_t k = 0; k < active.size(); ++k) {
      uint32_t row = active[k];
      uint8_t b = BoolAt(r, k);
      if (b == decisive) {
        state[row] = 2;
        continue;
      }
      if (b == 2) state[row] = 1;
      active[kept++] = row;
    }
    active.resize(kept);
  }
  std::vector<uint8_t> value(rows), is_null(rows);
  for (size_t i = 0; i < rows; ++i) {
    if (state[i] == 2) {
      value[i] = decisive;
    } else {
      value[i] = is_and ? 1 : 0;
      is_null[i] = state[i] == 1;
    }
  }
  WriteBool(node.result, rows, value, is_null);
  return Status::OK();
}

Status ExpressionEvaluator::EvalCase(Node& node, const DataChunk& input, size_t rows) {
  const BoundExpr& e = *node.expr;
  Vector& out = node.result;
  if (out.type() != e.type) out.SetType(e.type);
  out.Resize(rows);
  std::fill(out.Nulls(), out.Nulls() + rows, uint8_t{1});
  std::vector<uint32_t> remaining(rows);
  for (size_t i = 0; i < rows; ++i) remaining[i] = static_cast<uint32_t>(i);
  size_t pairs = (node.children.size() - (e.has_else ? 1 : 0)) / 2;
  std::vector<uint32_t> matched, matched_pos;
  for (size_t p = 0; p < pairs && !remaining.empty(); ++p) {
    Node& cond = *node.children[2 * p];
    TB_RETURN_IF_ERROR(EvalSubset(cond, input, rows, remaining.data(), remaining.size()));
    matched.clear();
    size_t kept = 0;
    for (size_t k = 0; k < remaining.size(); ++k) {
      if (BoolAt(cond.result, k) == 1) {
        matched.push_back(remaining[k]);
      } else {
        remaining[kept++] = remaining[k];
      }
    }
    remaining.resize(kept);
    if (matched.empty()) continue;
    Node& then = *node.children[2 * p + 1];
    TB_RETURN_IF_ERROR(EvalSubset(then, input, rows, matched.data(), matched.size()));
    then.result.Flatten();
    ScatterRows(then.result, matched.data(), matched.size(), out);
  }
  if (e.has_else && !remaining.empty()) {
    Node& other = *node.children.back();
    TB_RETURN_IF_ERROR(EvalSubset(other, input, rows, remaining.data(), remaining.size()));
    other.result.Flatten();
    ScatterRows(other.result, remaining.data(), remaining.size(), out);
  }
  return Status::OK();
}

Status ExpressionEvaluator::EvalCoalesce(Node& node, const DataChunk& input, size_t rows) {
  Vector& out = node.result;
  if (out.type() != node.expr->type) out.SetType(node.expr->type);
  out.Resize(rows);
  std::fill(out.Nulls(), out.Nulls() + rows, uint8_t{1});
  std::vector<uint32_t> remaining(rows);
  for (size_t i = 0; i < rows; ++i) remaining[i] = static_cast<uint32_t>(i);
  std::vector<uint32_t> found_at, found_src;
  for (auto& child : node.children) {
    if (remaining.empty()) break;
    TB_RETURN_IF_ERROR(EvalSubset(*child, input, rows, remaining.data(), remaining.size()));
    Vector& r = child->result;
    r.Flatten();
    found_at.clear();
    found_src.clear();
    size_t kept = 0;
    for (size_t k = 0; k < remaining.size(); ++k) {
      if (r.Nulls()[k]) {
        remaining[kept++] = remaining[k];
      } else {
        found_at.push_back(remaining[k]);
        found_src.push_back(static_cast<uint32_t>(k));
      }
    }
    remaining.resize(kept);
    if (found_at.empty()) continue;
    Vector compact(r.type());
    compact.Gather(r, found_src.data(), found_src.size());
    ScatterRows(compact, found_at.data(), found_at.size(), out);
  }
  return Status::OK();
}

Status ExpressionEvaluator::EvalDistinct(Node& node, const DataChunk& input, size_t rows) {
  TB_RETURN_IF_ERROR(Eval(*node.children[0], input, rows));
  TB_RETURN_IF_ERROR(Eval(*node.children[1], input, rows));
  Vector& a = node.children[0]->result;
  Vector& b = node.children[1]->result;
  a.Flatten();
  b.Flatten();
  node.result.Resize(rows);
  uint8_t* d = node.result.Data<uint8_t>();
  bool negated = node.expr->negated;
  for (size_t i = 0; i < rows; ++i) d[i] = RowsEqual(a, i, b, i) == negated;
  return Status::OK();
}

Status ExpressionEvaluator::EvalInList(Node& node, const DataChunk& input, size_t rows) {
  const BoundExpr& e = *node.expr;
  if (!node.in_prepared) {
    node.in_prepared = true;
    node.in_all_constant = true;
    for (size_t i = 1; i < node.children.size(); ++i) {
      node.in_all_constant =
          node.in_all_constant && node.children[i]->expr->kind == BoundExprKind::kConstant;
    }
    if (node.in_all_constant) {
      node.in_items.SetType(e.children[0]->type);
      for (size_t i = 1; i < node.children.size(); ++i) {
        const Value& v = node.children[i]->expr->value;
        if (v.is_null()) {
          node.in_has_null = true;
          continue;
        }
        Vector one(v.type());
        one.Resize(1);
        one.SetValue(0, v);
        node.in_items.Append(one, 0);
      }
      for (size_t k = 0; k < node.in_items.size(); ++k) {
        node.in_index.emplace(HashRow(node.in_items, k), k);
      }
    }
  }
  TB_RETURN_IF_ERROR(Eval(*node.children[0], input, rows));
  Vector& value = node.children[0]->result;
  value.Flatten();
  std::vector<uint8_t> result(rows), is_null(rows);
  if (node.in_all_constant) {
    for (size_t i = 0; i < rows; ++i) {
      if (value.Nulls()[i]) {
        is_null[i] = 1;
        continue;
      }
      bool found = false;
      auto range = node.in_index.equal_range(HashRow(value, i));
      for (auto it = range.first; it != range.second && !found; ++it) {
        found = RowsEqual(value, i, node.in_items, it->second);
      }
      if (found) {
        result[i] = 1;
      } else if (node.in_has_null) {
        is_null[i] = 1;
      }
    }
  } else {
    std::vector<uint8_t> any_null(rows);
    for (size_t k = 1; k < node.children.size(); ++k) {
      TB_RETURN_IF_ERROR(Eval(*node.children[k], input, rows));
      Vector& item = node.children[k]->result;
      item.Flatten();
      for (size_t i = 0; i < rows; ++i) {
        if (item.Nulls()[i]) {
          any_null[i] = 1;
        } else if (!value.Nulls()[i] && RowsEqual(value, i, item, i)) {
          result[i] = 1;
        }
      }
    }
    for (size_t i = 0; i < rows; ++i) {
      is_null[i] = value.Nulls()[i] || (!result[i] && any_null[i]);
    }
  }
  if (e.negated) {
    for (size_t i = 0; i < rows; ++i) result[i] = !result[i];
  }
  WriteBool(node.result, rows, result, is_null);
  return Status::OK();
}

}  // namespace trailbook::sql
