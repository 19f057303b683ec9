#include "sql/exec/unnest_operator.h"

#include <simdjson.h>

#include "base/timestamp.h"
#include "sql/planner/name_matching.h"

namespace trailbook::sql {
namespace {

std::vector<LogicalType> OutputTypes(const UnnestPlan& plan) {
  std::vector<LogicalType> t = plan.input_types;
  t.insert(t.end(), plan.column_types.begin(), plan.column_types.end());
  return t;
}

Result<Value> Convert(simdjson::dom::element e, const LogicalType& type) {
  if (e.is_null()) return Value::Null(type);
  auto bad = [&] {
    return InvalidArgument("UNNEST: cannot read " + std::string(simdjson::minify(e)) + " as " +
                           type.ToString());
  };
  switch (type.id()) {
    case TypeId::kVarchar:
      if (e.is_string()) {
        std::string_view s;
        if (e.get_string().get(s)) return bad();
        return Value::Varchar(std::string(s));
      }
      return Value::Varchar(simdjson::minify(e));
    case TypeId::kBigint: {
      int64_t v;
      if (!e.get_int64().get(v)) return Value::Bigint(v);
      return bad();
    }
    case TypeId::kDouble: {
      double v;
      if (!e.get_double().get(v)) return Value::Double(v);
      return bad();
    }
    case TypeId::kBoolean: {
      bool v;
      if (!e.get_bool().get(v)) return Value::Boolean(v);
      return bad();
    }
    case TypeId::kTimestamp:
    case TypeId::kDate: {
      std::string_view s;
      if (e.get_string().get(s)) return bad();
      auto us = ParseTimestamp(s);
      if (!us) return bad();
      return type.id() == TypeId::kDate ? Value::Date(DayOf(*us)) : Value::Timestamp(*us);
    }
    default: return Value::FromText(type, simdjson::minify(e));
  }
}

}  // namespace

UnnestOperator::UnnestOperator(OperatorPtr child, std::shared_ptr<const UnnestPlan> plan,
                               QueryContext* context)
    : PhysicalOperator(OutputTypes(*plan)),
      child_(std::move(child)),
      plan_(std::move(plan)),
      context_(context) {
  for (const auto& a : plan_->args) evals_.push_back(std::make_unique<ExpressionEvaluator>(*a, context));
}

UnnestOperator::~UnnestOperator() = default;

Status UnnestOperator::Expand(size_t row) {
  size_t ncols = plan_->column_types.size() - (plan_->with_ordinality ? 1 : 0);
  row_values_.assign(ncols, {});
  row_length_ = 0;
  size_t col = 0;
  simdjson::dom::parser parser;
  for (size_t a = 0; a < plan_->args.size(); ++a) {
    const Vector& v = arg_values_[a];
    const LogicalType& type = plan_->args[a]->type;
    size_t width = plan_->modes[a] == UnnestMode::kMapEntries ? 2
                   : plan_->modes[a] == UnnestMode::kRowFields ? type.element().fields().size()
                                                               : 1;
    if (v.Nulls()[row]) {
      col += width;
      continue;
    }
    std::string_view text = v.Data<StringRef>()[row].view();
    simdjson::dom::element doc;
    if (parser.parse(text.data(), text.size()).get(doc)) {
      return InvalidArgument("UNNEST: argument is not valid JSON: " + std::string(text.substr(0, 80)));
    }
    size_t count = 0;
    if (plan_->modes[a] == UnnestMode::kMapEntries) {
      simdjson::dom::object obj;
      if (doc.get_object().get(obj)) return InvalidArgument("UNNEST: map value is not a JSON object");
      for (auto field : obj) {
        row_values_[col].push_back(Value::Varchar(std::string(field.key)));
        TB_ASSIGN_OR_RETURN(Value val, Convert(field.value, type.value()));
        row_values_[col + 1].push_back(std::move(val));
        ++count;
      }
    } else {
      simdjson::dom::array arr;
      if (doc.get_array().get(arr)) return InvalidArgument("UNNEST: array value is not a JSON array");
      const LogicalType& el = type.element();
      for (simdjson::dom::element e : arr) {
        if (plan_->modes[a] == UnnestMode::kRowFields) {
          simdjson::dom::object obj;
          bool is_object = !e.get_object().get(obj);
          for (size_t f = 0; f < el.fields().size(); ++f) {
            Value val = Value::Null(*el.fields()[f].type);
            if (is_object) {
              for (auto field : obj) {
                if (EqualsIgnoreCase(field.key, el.fields()[f].name)) {
                  TB_ASSIGN_OR_RETURN(val, Convert(field.value, *el.fields()[f].type));
                  break;
                }
              }
            }
            row_values_[col + f].push_back(std::move(val));
          }
        } else {
          TB_ASSIGN_OR_RETURN(Value val, Convert(e, el));
          row_values_[col].push_back(std::move(val));
        }
        ++count;
      }
    }
    row_length_ = std::max(row_length_, count);
    col += width;
  }
  return Status::OK();
}

Status UnnestOperator::Next(DataChunk& out) {
  PrepareOutput(out);
  if (done_) return Status::OK();
  size_t inputs = plan_->input_types.size();
  size_t ncols = plan_->column_types.size() - (plan_->with_ordinality ? 1 : 0);
  std::vector<uint32_t> source_rows;
  for (size_t c = inputs; c < out.columns.size(); ++c) out.columns[c].Resize(kBatchSize);
  size_t n = 0;
  while (n < kBatchSize) {
    if (row_ >= input_.size) {
      if (n > 0) break;  // emit what we have before reading more
      TB_RETURN_IF_ERROR(child_->Next(input_));
      if (input_.size == 0) {
        done_ = true;
        break;
      }
      TB_RETURN_IF_ERROR(context_->CheckInterrupt());
      arg_values_.clear();
      for (auto& e : evals_) {
        TB_ASSIGN_OR_RETURN(const Vector* v, e->Evaluate(input_));
        arg_values_.emplace_back(v->type());
        arg_values_.back().Slice(*v, 0, input_.size);
      }
      row_ = 0;
      element_ = 0;
      expanded_ = false;
      continue;
    }
    if (!expanded_) {
      TB_RETURN_IF_ERROR(Expand(row_));
      expanded_ = true;
      element_ = 0;
    }
    while (element_ < row_length_ && n < kBatchSize) {
      for (size_t c = 0; c < ncols; ++c) {
        const auto& vals = row_values_[c];
        Vector& dst = out.columns[inputs + c];
        if (element_ < vals.size()) {
          dst.SetValue(n, vals[element_]);
        } else {
          dst.Nulls()[n] = 1;
        }
      }
      if (plan_->with_ordinality) {
        Vector& ord = out.columns.back();
        ord.Data<int64_t>()[n] = static_cast<int64_t>(element_ + 1);
        ord.Nulls()[n] = 0;
      }
      source_rows.push_back(static_cast<uint32_t>(row_));
      ++element_;
      ++n;
    }
    if (element_ >= row_length_) {
      ++row_;
      expanded_ = false;
    }
  }
  if (n == 0) {
    PrepareOutput(out);
    return Status::OK();
  }
  for (size_t c = 0; c < inputs; ++c) {
    SelectRows(input_.columns[c], source_rows.data(), n, out.columns[c]);
  }
  for (size_t c = inputs; c < out.columns.size(); ++c) {
    Vector tmp(out.columns[c].type());
    tmp.Slice(out.columns[c], 0, n);
    out.columns[c].Slice(tmp, 0, n);
  }
  out.size = n;
  return Status::OK();
}

}  // namespace trailbook::sql
