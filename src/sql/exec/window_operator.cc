#include "sql/exec/window_operator.h"

#include "sql/exec/expression_evaluator.h"
#include "sql/exec/sort_operator.h"
#include "sql/exec/value_ops.h"

namespace trailbook::sql {

WindowOperator::WindowOperator(OperatorPtr child, std::shared_ptr<const WindowPlan> plan,
                               QueryContext* context)
    : PhysicalOperator([&] {
        std::vector<LogicalType> t = plan->input_types;
        for (const auto& f : plan->functions) t.push_back(f.type);
        return t;
      }()),
      child_(std::move(child)),
      plan_(std::move(plan)),
      context_(context),
      memory_(context->memory()) {}

WindowOperator::~WindowOperator() = default;

Status WindowOperator::Build() {
  std::vector<LogicalType> types = plan_->input_types;
  std::vector<const BoundExpr*> exprs;
  partition_cols_.resize(plan_->functions.size());
  order_cols_.resize(plan_->functions.size());
  arg_cols_.resize(plan_->functions.size());
  for (size_t f = 0; f < plan_->functions.size(); ++f) {
    const auto& fn = plan_->functions[f];
    auto add = [&](const BoundExpr& e, std::vector<size_t>* cols) {
      cols->push_back(types.size());
      types.push_back(e.type);
      exprs.push_back(&e);
    };
    for (const auto& p : fn.partition_by) add(*p, &partition_cols_[f]);
    for (const auto& o : fn.order_by) add(*o.expr, &order_cols_[f]);
    for (const auto& a : fn.args) add(*a, &arg_cols_[f]);
  }
  std::vector<std::unique_ptr<ExpressionEvaluator>> evals;
  for (const BoundExpr* e : exprs) evals.push_back(std::make_unique<ExpressionEvaluator>(*e, context_));
  store_ = std::make_unique<ColumnStore>(types);
  while (true) {
    DataChunk chunk;
    TB_RETURN_IF_ERROR(child_->Next(chunk));
    if (chunk.size == 0) break;
    TB_RETURN_IF_ERROR(context_->CheckInterrupt());
    size_t n = chunk.size;
    std::vector<Vector> extra;
    for (auto& e : evals) {
      TB_ASSIGN_OR_RETURN(const Vector* v, e->Evaluate(chunk));
      extra.emplace_back(v->type());
      extra.back().Slice(*v, 0, n);
    }
    for (Vector& v : extra) chunk.columns.push_back(std::move(v));
    chunk.size = n;
    store_->AppendChunk(std::move(chunk));
    TB_RETURN_IF_ERROR(memory_.Set(store_->memory_bytes()));
  }
  child_.reset();
  for (size_t f = 0; f < plan_->functions.size(); ++f) {
    results_.emplace_back(plan_->functions[f].type);
    results_.back().Resize(store_->size());
    TB_RETURN_IF_ERROR(Compute(f));
    TB_RETURN_IF_ERROR(context_->CheckInterrupt());
  }
  size_t bytes = store_->memory_bytes();
  for (const Vector& r : results_) bytes += r.memory_bytes();
  return memory_.Set(bytes);
}

Status WindowOperator::Compute(size_t f) {
  const auto& fn = plan_->functions[f];
  std::vector<SortKey> keys;
  for (size_t c : partition_cols_[f]) keys.push_back(SortKey{c, false, true});
  for (size_t i = 0; i < fn.order_by.size(); ++i) {
    keys.push_back(SortKey{order_cols_[f][i], fn.order_by[i].descending, fn.order_by[i].nulls_first});
  }
  std::vector<uint32_t> order = SortRows(*store_, keys, std::nullopt);
  size_t total = order.size();
  Vector& result = results_[f];
  auto same = [&](const std::vector<size_t>& cols, uint32_t a, uint32_t b) {
    for (size_t c : cols) {
      bool an = store_->IsNull(c, a), bn = store_->IsNull(c, b);
      if (an != bn) return false;
      if (!an && store_->Compare(c, a, b) != 0) return false;
    }
    return true;
  };
  std::vector<Vector> args(arg_cols_[f].size());
  size_t begin = 0;
  while (begin < total) {
    size_t end = begin + 1;
    while (end < total && same(partition_cols_[f], order[begin], order[end])) ++end;
    size_t m = end - begin;
    const uint32_t* rows = order.data() + begin;
    // Peer groups: peer_end[i] = one past the last row that ties with row i.
    std::vector<size_t> peer_start(m), peer_end(m);
    for (size_t i = 0; i < m;) {
      size_t j = i + 1;
      while (j < m && same(order_cols_[f], rows[i], rows[j])) ++j;
      for (size_t k = i; k < j; ++k) {
        peer_start[k] = i;
        peer_end[k] = j;
      }
      i = j;
    }
    for (size_t a = 0; a < args.size(); ++a) {
      args[a].SetType(store_->types()[arg_cols_[f][a]]);
      store_->GatherColumn(arg_cols_[f][a], rows, m, args[a]);
    }
    Vector part_result(fn.type);
    part_result.Resize(m);
    const std::string& name = fn.name;
    if (!fn.is_aggregate && (name == "row_number" || name == "rank" || name == "dense_rank" ||
                             name == "ntile")) {
      int64_t dense = 0;
      for (size_t i = 0; i < m; ++i) {
        if (peer_start[i] == i) ++dense;
        int64_t v = 0;
        if (name == "row_number") v = static_cast<int64_t>(i + 1);
        if (name == "rank") v = static_cast<int64_t>(peer_start[i] + 1);
        if (name == "dense_rank") v = dense;
        if (name == "ntile") {
          if (args[0].Nulls()[i]) {
            part_result.Nulls()[i] = 1;
            continue;
          }
          int64_t buckets = args[0].Data<int64_t>()[i];
          if (buckets <= 0) return InvalidArgument("ntile needs a positive number of buckets");
          int64_t rows_n = static_cast<int64_t>(m);
          int64_t size = rows_n / buckets, extra = rows_n % buckets;
          int64_t idx = static_cast<int64_t>(i);
          // The first `extra` buckets hold size + 1 rows.
          v = idx < extra * (size + 1) ? idx / (size + 1) + 1
                                        : (idx - extra * (size + 1)) / size + extra + 1;
        }
        part_result.Data<int64_t>()[i] = v;
      }
    } else if (!fn.is_aggregate && (name == "percent_rank" || name == "cume_dist")) {
      for (size_t i = 0; i < m; ++i) {
        double v = name == "percent_rank"
                       ? (m == 1 ? 0.0 : static_cast<double>(peer_start[i]) / static_cast<double>(m - 1))
                       : static_cast<double>(peer_end[i]) / static_cast<double>(m);
        part_result.Data<double>()[i] = v;
      }
    } else if (!fn.is_aggregate && (name == "lag" || name == "lead")) {
      for (size_t i = 0; i < m; ++i) {
        int64_t offset = 1;
        if (args.size() >= 2) {
          if (args[1].Nulls()[i]) {
            part_result.Nulls()[i] = 1;
            continue;
          }
          offset = args[1].Data<int64_t>()[i];
          if (offset < 0) return InvalidArgument(name + " offset must not be negative");
        }
        int64_t at = name == "lag" ? static_cast<int64_t>(i) - offset : static_cast<int64_t>(i) + offset;
        uint32_t src = static_cast<uint32_t>(i);
        if (at >= 0 && at < static_cast<int64_t>(m)) {
          uint32_t from = static_cast<uint32_t>(at);
          Vector one(fn.type);
          one.Gather(args[0], &from, 1);
          ScatterRows(one, &src, 1, part_result);
        } else if (args.size() == 3) {
          Vector one(fn.type);
          one.Gather(args[2], &src, 1);
          ScatterRows(one, &src, 1, part_result);
        } else {
          part_result.Nulls()[i] = 1;
        }
      }
    } else {
      // Frame-based functions: aggregates, first_value, last_value, nth_value.
      auto frame_of = [&](size_t i, size_t* lo, size_t* hi) {
        const BoundFrame& fr = fn.frame;
        auto edge = [&](FrameEdge e, int64_t off, bool is_start) -> int64_t {
          switch (e) {
            case FrameEdge::kUnboundedPreceding: return 0;
            case FrameEdge::kUnboundedFollowing: return static_cast<int64_t>(m);
            case FrameEdge::kCurrentRow:
              if (fr.rows) return static_cast<int64_t>(is_start ? i : i + 1);
              return static_cast<int64_t>(is_start ? peer_start[i] : peer_end[i]);
            case FrameEdge::kPreceding:
              return static_cast<int64_t>(i) - off + (is_start ? 0 : 1);
            case FrameEdge::kFollowing:
              return static_cast<int64_t>(i) + off + (is_start ? 0 : 1);
          }
          return 0;
        };
        int64_t a = std::clamp<int64_t>(edge(fr.start, fr.start_offset, true), 0, static_cast<int64_t>(m));
        int64_t b = std::clamp<int64_t>(edge(fr.end, fr.end_offset, false), 0, static_cast<int64_t>(m));
        *lo = static_cast<size_t>(a);
        *hi = static_cast<size_t>(std::max(a, b));
      };
      if (!fn.is_aggregate) {
        for (size_t i = 0; i < m; ++i) {
          size_t lo, hi;
          frame_of(i, &lo, &hi);
          int64_t pick = -1;
          if (name == "first_value" || name == "last_value") {
            if (fn.ignore_nulls) {
              for (size_t k = lo; k < hi; ++k) {
                size_t at = name == "first_value" ? k : hi - 1 - (k - lo);
                if (!args[0].Nulls()[at]) {
                  pick = static_cast<int64_t>(at);
                  break;
                }
              }
            } else if (lo < hi) {
              pick = static_cast<int64_t>(name == "first_value" ? lo : hi - 1);
            }
          } else {  // nth_value
            if (args[1].Nulls()[i]) {
              part_result.Nulls()[i] = 1;
              continue;
            }
            int64_t nth = args[1].Data<int64_t>()[i];
            if (nth <= 0) return InvalidArgument("nth_value position must be positive");
            if (static_cast<int64_t>(lo) + nth - 1 < static_cast<int64_t>(hi)) {
              pick = static_cast<int64_t>(lo) + nth - 1;
            }
          }
          uint32_t dst = static_cast<uint32_t>(i);
          if (pick < 0) {
            part_result.Nulls()[i] = 1;
          } else {
            uint32_t from = static_cast<uint32_t>(pick);
            Vector one(fn.type);
            one.Gather(args[0], &from, 1);
            ScatterRows(one, &dst, 1, part_result);
          }
        }
      } else {
        TB_ASSIGN_OR_RETURN(std::unique_ptr<Accumulator> acc, MakeAccumulator(fn.spec));
        std::vector<const Vector*> ptrs;
        bool whole = fn.frame.start == FrameEdge::kUnboundedPreceding &&
                     (fn.frame.end == FrameEdge::kUnboundedFollowing ||
                      (!fn.frame.rows && fn.frame.end == FrameEdge::kCurrentRow && fn.order_by.empty()));
        bool running = fn.frame.start == FrameEdge::kUnboundedPreceding &&
                       fn.frame.end == FrameEdge::kCurrentRow;
        auto update_range = [&](uint32_t group, size_t lo, size_t hi) -> Status {
          if (hi <= lo) return Status::OK();
          std::vector<Vector> slice;
          slice.reserve(args.size());
          ptrs.clear();
          for (Vector& a : args) {
            slice.emplace_back(a.type());
            slice.back().Slice(a, lo, hi - lo);
          }
          for (Vector& s : slice) ptrs.push_back(&s);
          std::vector<uint32_t> groups(hi - lo, group);
          return acc->Update(groups.data(), ptrs, hi - lo);
        };
        Vector tmp(fn.type);
        if (whole) {
          acc->Resize(1);
          TB_RETURN_IF_ERROR(update_range(0, 0, m));
          TB_RETURN_IF_ERROR(acc->Finalize(0, 1, tmp));
          for (size_t i = 0; i < m; ++i) {
            uint32_t dst = static_cast<uint32_t>(i);
            ScatterRows(tmp, &dst, 1, part_result);
          }
        } else if (running) {
          acc->Resize(1);
          size_t fed = 0;
          for (size_t i = 0; i < m; ++i) {
            size_t lo, hi;
            frame_of(i, &lo, &hi);
            TB_RETURN_IF_ERROR(update_range(0, fed, hi));
            fed = std::max(fed, hi);
            TB_RETURN_IF_ERROR(acc->Finalize(0, 1, tmp));
            uint32_t dst = static_cast<uint32_t>(i);
            ScatterRows(tmp, &dst, 1, part_result);
          }
        } else {
          acc->Resize(m);
          for (size_t i = 0; i < m; ++i) {
            size_t lo, hi;
            frame_of(i, &lo, &hi);
            TB_RETURN_IF_ERROR(update_range(static_cast<uint32_t>(i), lo, hi));
          }
          TB_RETURN_IF_ERROR(acc->Finalize(0, m, part_result));
        }
      }
    }
    ScatterRows(part_result, rows, m, result);
    begin = end;
  }
  return Status::OK();
}

Status WindowOperator::Next(DataChunk& out) {
  if (!built_) {
    built_ = true;
    TB_RETURN_IF_ERROR(Build());
  }
  PrepareOutput(out);
  size_t total = store_->size();
  if (next_ >= total) return Status::OK();
  size_t n = std::min(kBatchSize, total - next_);
  std::vector<uint32_t> rows(n);
  for (size_t i = 0; i < n; ++i) rows[i] = static_cast<uint32_t>(next_ + i);
  size_t inputs = plan_->input_types.size();
  for (size_t c = 0; c < inputs; ++c) store_->GatherColumn(c, rows.data(), n, out.columns[c]);
  for (size_t f = 0; f < results_.size(); ++f) out.columns[inputs + f].Slice(results_[f], next_, n);
  out.size = n;
  next_ += n;
  return Status::OK();
}

}  // namespace trailbook::sql
