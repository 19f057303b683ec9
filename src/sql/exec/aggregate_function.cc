#include "sql/exec/aggregate_function.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "base/arena.h"
#include "sql/exec/column_store.h"
#include "sql/exec/value_ops.h"

namespace trailbook::sql {
namespace {

// Per-group values of any physical type (min, max, arbitrary, max_by).
class ValueSlots {
 public:
  explicit ValueSlots(LogicalType type) : type_(std::move(type)), physical_(type_.physical()) {}

  void Resize(size_t n) {
    if (n <= has_.size()) return;
    has_.resize(n, 0);
    null_.resize(n, 0);
    switch (physical_) {
      case PhysicalType::kBool:
      case PhysicalType::kInt64: ints_.resize(n); break;
      case PhysicalType::kDouble: doubles_.resize(n); break;
      case PhysicalType::kString: strings_.resize(n); break;
    }
  }
  bool has(size_t g) const { return has_[g] != 0; }
  bool is_null(size_t g) const { return null_[g] != 0; }

  void Set(size_t g, const Vector& v, size_t i) {
    has_[g] = 1;
    null_[g] = v.Nulls()[i];
    if (null_[g]) return;
    switch (physical_) {
      case PhysicalType::kBool: ints_[g] = v.Data<uint8_t>()[i]; break;
      case PhysicalType::kInt64: ints_[g] = v.Data<int64_t>()[i]; break;
      case PhysicalType::kDouble: doubles_[g] = v.Data<double>()[i]; break;
      case PhysicalType::kString: {
        std::string_view s = v.Data<StringRef>()[i].view();
        bytes_ += s.size();
        strings_[g].assign(s);
        break;
      }
    }
  }
  void SetFrom(size_t g, const ValueSlots& o, size_t og) {
    has_[g] = o.has_[og];
    null_[g] = o.null_[og];
    switch (physical_) {
      case PhysicalType::kBool:
      case PhysicalType::kInt64: ints_[g] = o.ints_[og]; break;
      case PhysicalType::kDouble: doubles_[g] = o.doubles_[og]; break;
      case PhysicalType::kString:
        bytes_ += o.strings_[og].size();
        strings_[g] = o.strings_[og];
        break;
    }
  }
  // Orders the (non-NULL) stored value of g against non-NULL row i of v.
  int Compare(size_t g, const Vector& v, size_t i) const {
    switch (physical_) {
      case PhysicalType::kBool: return static_cast<int>(ints_[g]) - v.Data<uint8_t>()[i];
      case PhysicalType::kInt64: {
        int64_t x = ints_[g], y = v.Data<int64_t>()[i];
        return x < y ? -1 : x > y ? 1 : 0;
      }
      case PhysicalType::kDouble: return CompareDouble(doubles_[g], v.Data<double>()[i]);
      case PhysicalType::kString: {
        int c = std::string_view(strings_[g]).compare(v.Data<StringRef>()[i].view());
        return c < 0 ? -1 : c > 0 ? 1 : 0;
      }
    }
    return 0;
  }
  int CompareSlots(size_t g, const ValueSlots& o, size_t og) const {
    switch (physical_) {
      case PhysicalType::kBool:
      case PhysicalType::kInt64: return ints_[g] < o.ints_[og] ? -1 : ints_[g] > o.ints_[og] ? 1 : 0;
      case PhysicalType::kDouble: return CompareDouble(doubles_[g], o.doubles_[og]);
      case PhysicalType::kString: {
        int c = strings_[g].compare(o.strings_[og]);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
      }
    }
    return 0;
  }
  void Write(size_t g, Vector& out, size_t i) const {
    if (!has_[g] || null_[g]) {
      out.Nulls()[i] = 1;
      return;
    }
    out.Nulls()[i] = 0;
    switch (physical_) {
      case PhysicalType::kBool: out.Data<uint8_t>()[i] = static_cast<uint8_t>(ints_[g]); break;
      case PhysicalType::kInt64: out.Data<int64_t>()[i] = ints_[g]; break;
      case PhysicalType::kDouble: out.Data<double>()[i] = doubles_[g]; break;
      case PhysicalType::kString: out.SetString(i, strings_[g]); break;
    }
  }
  size_t memory_bytes() const {
    return has_.capacity() * 2 + ints_.capacity() * 8 + doubles_.capacity() * 8 +
           strings_.capacity() * sizeof(std::string) + bytes_;
  }

  static int CompareDouble(double x, double y) {
    bool xn = std::isnan(x), yn = std::isnan(y);
    if (xn || yn) return xn == yn ? 0 : xn ? 1 : -1;
    return x < y ? -1 : x > y ? 1 : 0;
  }

 private:
  LogicalType type_;
  PhysicalType physical_;
  std::vector<uint8_t> has_, null_;
  std::vector<int64_t> ints_;
  std::vector<double> doubles_;
  std::vector<std::string> strings_;
  size_t bytes_ = 0;
};

class CountAccumulator final : public Accumulator {
 public:
  enum class Mode { kStar, kNonNull, kTrue };
  explicit CountAccumulator(Mode mode) : mode_(mode) {}
  void Resize(size_t n) override {
    if (n > counts_.size()) counts_.resize(n, 0);
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    switch (mode_) {
      case Mode::kStar:
        for (size_t i = 0; i < n; ++i) ++counts_[groups[i]];
        break;
      case Mode::kNonNull: {
        const uint8_t* nulls = args[0]->Nulls();
        for (size_t i = 0; i < n; ++i) counts_[groups[i]] += nulls[i] == 0;
        break;
      }
      case Mode::kTrue: {
        const uint8_t* nulls = args[0]->Nulls();
        const uint8_t* d = args[0]->Data<uint8_t>();
        for (size_t i = 0; i < n; ++i) counts_[groups[i]] += (nulls[i] == 0 && d[i] != 0);
        break;
      }
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<CountAccumulator&>(other);
    for (size_t g = 0; g < o.counts_.size(); ++g) counts_[targets[g]] += o.counts_[g];
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    for (size_t i = 0; i < n; ++i) out.Data<int64_t>()[i] = counts_[begin + i];
    return Status::OK();
  }
  size_t groups() const override { return counts_.size(); }
  size_t memory_bytes() const override { return counts_.capacity() * 8; }

 private:
  Mode mode_;
  std::vector<int64_t> counts_;
};

class SumIntAccumulator final : public Accumulator {
 public:
  void Resize(size_t n) override {
    if (n > sums_.size()) {
      sums_.resize(n, 0);
      has_.resize(n, 0);
    }
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    const uint8_t* nulls = args[0]->Nulls();
    const int64_t* d = args[0]->Data<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (nulls[i]) continue;
      uint32_t g = groups[i];
      if (__builtin_add_overflow(sums_[g], d[i], &sums_[g])) {
        return InvalidArgument("bigint addition overflow in sum");
      }
      has_[g] = 1;
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<SumIntAccumulator&>(other);
    for (size_t g = 0; g < o.sums_.size(); ++g) {
      if (!o.has_[g]) continue;
      uint32_t t = targets[g];
      if (__builtin_add_overflow(sums_[t], o.sums_[g], &sums_[t])) {
        return InvalidArgument("bigint addition overflow in sum");
      }
      has_[t] = 1;
    }
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    for (size_t i = 0; i < n; ++i) {
      out.Data<int64_t>()[i] = sums_[begin + i];
      out.Nulls()[i] = has_[begin + i] == 0;
    }
    return Status::OK();
  }
  size_t groups() const override { return sums_.size(); }
  size_t memory_bytes() const override { return sums_.capacity() * 9; }

 private:
  std::vector<int64_t> sums_;
  std::vector<uint8_t> has_;
};

// sum(double), avg, and the variance family share running moments.
class MomentsAccumulator final : public Accumulator {
 public:
  enum class Kind { kSum, kAvg, kStddevSamp, kStddevPop, kVarSamp, kVarPop };
  explicit MomentsAccumulator(Kind kind) : kind_(kind) {}
  void Resize(size_t n) override {
    if (n > count_.size()) {
      count_.resize(n, 0);
      sum_.resize(n, 0);
      mean_.resize(n, 0);
      m2_.resize(n, 0);
    }
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    const uint8_t* nulls = args[0]->Nulls();
    const double* d = args[0]->Data<double>();
    bool moments = kind_ != Kind::kSum && kind_ != Kind::kAvg;
    for (size_t i = 0; i < n; ++i) {
      if (nulls[i]) continue;
      uint32_t g = groups[i];
      double x = d[i];
      ++count_[g];
      sum_[g] += x;
      if (moments) {
        double delta = x - mean_[g];
        mean_[g] += delta / static_cast<double>(count_[g]);
        m2_[g] += delta * (x - mean_[g]);
      }
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<MomentsAccumulator&>(other);
    for (size_t g = 0; g < o.count_.size(); ++g) {
      if (o.count_[g] == 0) continue;
      uint32_t t = targets[g];
      double na = static_cast<double>(count_[t]), nb = static_cast<double>(o.count_[g]);
      double delta = o.mean_[g] - mean_[t];
      double n = na + nb;
      m2_[t] += o.m2_[g] + delta * delta * na * nb / n;
      mean_[t] += delta * nb / n;
      count_[t] += o.count_[g];
      sum_[t] += o.sum_[g];
    }
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    for (size_t i = 0; i < n; ++i) {
      size_t g = begin + i;
      double c = static_cast<double>(count_[g]);
      double r = 0;
      bool null = count_[g] == 0;
      switch (kind_) {
        case Kind::kSum: r = sum_[g]; break;
        case Kind::kAvg: r = sum_[g] / c; break;
        case Kind::kVarPop: r = m2_[g] / c; break;
        case Kind::kStddevPop: r = std::sqrt(m2_[g] / c); break;
        case Kind::kVarSamp:
          null = count_[g] < 2;
          r = m2_[g] / (c - 1);
          break;
        case Kind::kStddevSamp:
          null = count_[g] < 2;
          r = std::sqrt(m2_[g] / (c - 1));
          break;
      }
      out.Nulls()[i] = null;
      out.Data<double>()[i] = null ? 0 : r;
    }
    return Status::OK();
  }
  size_t groups() const override { return count_.size(); }
  size_t memory_bytes() const override { return count_.capacity() * 32; }

 private:
  Kind kind_;
  std::vector<int64_t> count_;
  std::vector<double> sum_, mean_, m2_;
};

class ExtremumAccumulator final : public Accumulator {
 public:
  enum class Kind { kMin, kMax, kArbitrary };
  ExtremumAccumulator(Kind kind, LogicalType type) : kind_(kind), slots_(std::move(type)) {}
  void Resize(size_t n) override {
    slots_.Resize(n);
    groups_ = std::max(groups_, n);
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    const Vector& v = *args[0];
    const uint8_t* nulls = v.Nulls();
    for (size_t i = 0; i < n; ++i) {
      if (nulls[i]) continue;
      uint32_t g = groups[i];
      if (!slots_.has(g) || Better(slots_.Compare(g, v, i))) slots_.Set(g, v, i);
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<ExtremumAccumulator&>(other);
    for (size_t g = 0; g < o.groups_; ++g) {
      if (!o.slots_.has(g)) continue;
      uint32_t t = targets[g];
      if (!slots_.has(t) || Better(slots_.CompareSlots(t, o.slots_, g))) slots_.SetFrom(t, o.slots_, g);
    }
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    for (size_t i = 0; i < n; ++i) slots_.Write(begin + i, out, i);
    return Status::OK();
  }
  size_t groups() const override { return groups_; }
  size_t memory_bytes() const override { return slots_.memory_bytes(); }

 private:
  // `stored_vs_new` compares the stored value with the candidate.
  bool Better(int stored_vs_new) const {
    switch (kind_) {
      case Kind::kMin: return stored_vs_new > 0;
      case Kind::kMax: return stored_vs_new < 0;
      case Kind::kArbitrary: return false;
    }
    return false;
  }
  Kind kind_;
  ValueSlots slots_;
  size_t groups_ = 0;
};

class ByAccumulator final : public Accumulator {
 public:
  ByAccumulator(bool max, LogicalType value_type, LogicalType key_type)
      : max_(max), values_(std::move(value_type)), keys_(std::move(key_type)) {}
  void Resize(size_t n) override {
    values_.Resize(n);
    keys_.Resize(n);
    groups_ = std::max(groups_, n);
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    const Vector& x = *args[0];
    const Vector& y = *args[1];
    for (size_t i = 0; i < n; ++i) {
      if (y.Nulls()[i]) continue;
      uint32_t g = groups[i];
      int c = keys_.has(g) ? keys_.Compare(g, y, i) : 0;
      if (!keys_.has(g) || (max_ ? c < 0 : c > 0)) {
        keys_.Set(g, y, i);
        values_.Set(g, x, i);
      }
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<ByAccumulator&>(other);
    for (size_t g = 0; g < o.groups_; ++g) {
      if (!o.keys_.has(g)) continue;
      uint32_t t = targets[g];
      int c = keys_.has(t) ? keys_.CompareSlots(t, o.keys_, g) : 0;
      if (!keys_.has(t) || (max_ ? c < 0 : c > 0)) {
        keys_.SetFrom(t, o.keys_, g);
        values_.SetFrom(t, o.values_, g);
      }
    }
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    for (size_t i = 0; i < n; ++i) values_.Write(begin + i, out, i);
    return Status::OK();
  }
  size_t groups() const override { return groups_; }
  size_t memory_bytes() const override { return values_.memory_bytes() + keys_.memory_bytes(); }

 private:
  bool max_;
  ValueSlots values_, keys_;
  size_t groups_ = 0;
};

class BoolAccumulator final : public Accumulator {
 public:
  explicit BoolAccumulator(bool is_and) : is_and_(is_and) {}
  void Resize(size_t n) override {
    if (n > state_.size()) state_.resize(n, 2);  // 2 = no value yet
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    const Vector& v = *args[0];
    for (size_t i = 0; i < n; ++i) {
      if (v.Nulls()[i]) continue;
      Fold(groups[i], v.Data<uint8_t>()[i]);
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<BoolAccumulator&>(other);
    for (size_t g = 0; g < o.state_.size(); ++g) {
      if (o.state_[g] != 2) Fold(targets[g], o.state_[g]);
    }
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    for (size_t i = 0; i < n; ++i) {
      uint8_t s = state_[begin + i];
      out.Nulls()[i] = s == 2;
      out.Data<uint8_t>()[i] = s == 1;
    }
    return Status::OK();
  }
  size_t groups() const override { return state_.size(); }
  size_t memory_bytes() const override { return state_.capacity(); }

 private:
  void Fold(size_t g, uint8_t b) {
    if (state_[g] == 2) {
      state_[g] = b;
    } else {
      state_[g] = is_and_ ? (state_[g] & b) : (state_[g] | b);
    }
  }
  bool is_and_;
  std::vector<uint8_t> state_;
};

class ApproxDistinctAccumulator final : public Accumulator {
 public:
  void Resize(size_t n) override {
    if (n > sets_.size()) sets_.resize(n);
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    const Vector& v = *args[0];
    for (size_t i = 0; i < n; ++i) {
      if (v.Nulls()[i]) continue;
      if (sets_[groups[i]].insert(HashRow(v, i)).second) bytes_ += 24;
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<ApproxDistinctAccumulator&>(other);
    for (size_t g = 0; g < o.sets_.size(); ++g) {
      for (uint64_t h : o.sets_[g]) {
        if (sets_[targets[g]].insert(h).second) bytes_ += 24;
      }
    }
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    for (size_t i = 0; i < n; ++i) {
      out.Data<int64_t>()[i] = static_cast<int64_t>(sets_[begin + i].size());
    }
    return Status::OK();
  }
  size_t groups() const override { return sets_.size(); }
  size_t memory_bytes() const override { return sets_.capacity() * 56 + bytes_; }

 private:
  std::vector<std::unordered_set<uint64_t>> sets_;
  size_t bytes_ = 0;
};

class ArrayAggAccumulator final : public Accumulator {
 public:
  explicit ArrayAggAccumulator(const AggregateSpec& spec) : spec_(spec) {}
  void Resize(size_t n) override {
    if (n > elements_.size()) elements_.resize(n);
  }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      Element e;
      AppendJsonValue(*args[0], i, &e.json);
      for (size_t k = 1; k < args.size(); ++k) e.keys.push_back(args[k]->GetValue(i));
      bytes_ += e.json.size() + 48 + e.keys.size() * 64;
      elements_[groups[i]].push_back(std::move(e));
    }
    return Status::OK();
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<ArrayAggAccumulator&>(other);
    for (size_t g = 0; g < o.elements_.size(); ++g) {
      auto& dst = elements_[targets[g]];
      for (Element& e : o.elements_[g]) dst.push_back(std::move(e));
    }
    bytes_ += o.bytes_;
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    out.Resize(n);
    std::string text;
    for (size_t i = 0; i < n; ++i) {
      auto& list = elements_[begin + i];
      if (list.empty()) {
        out.Nulls()[i] = 1;
        continue;
      }
      if (spec_.order_keys > 0) {
        std::stable_sort(list.begin(), list.end(), [&](const Element& a, const Element& b) {
          return Less(a, b);
        });
      }
      text = "[";
      for (size_t k = 0; k < list.size(); ++k) {
        if (k > 0) text += ',';
        text += list[k].json;
      }
      text += ']';
      out.SetString(i, text);
    }
    return Status::OK();
  }
  size_t groups() const override { return elements_.size(); }
  size_t memory_bytes() const override { return elements_.capacity() * 24 + bytes_; }

 private:
  struct Element {
    std::string json;
    std::vector<Value> keys;
  };
  bool Less(const Element& a, const Element& b) const {
    for (size_t k = 0; k < a.keys.size(); ++k) {
      const Value& x = a.keys[k];
      const Value& y = b.keys[k];
      bool nulls_first = spec_.order_nulls_first[k];
      if (x.is_null() || y.is_null()) {
        if (x.is_null() && y.is_null()) continue;
        return x.is_null() == nulls_first;
      }
      int c = CompareValues(x, y);
      if (c == 0) continue;
      return spec_.order_descending[k] ? c > 0 : c < 0;
    }
    return false;
  }
  static int CompareValues(const Value& x, const Value& y) {
    Vector a(x.type()), b(y.type());
    a.Resize(1);
    b.Resize(1);
    a.SetValue(0, x);
    b.SetValue(0, y);
    return CompareRows(a, 0, b, 0);
  }
  AggregateSpec spec_;
  std::vector<std::vector<Element>> elements_;
  size_t bytes_ = 0;
};

// DISTINCT: remembers each (group, arguments) tuple and feeds only new ones to the inner
// accumulator.
class DistinctAccumulator final : public Accumulator {
 public:
  DistinctAccumulator(std::vector<LogicalType> types, std::unique_ptr<Accumulator> inner)
      : types_(types), inner_(std::move(inner)), rows_(std::move(types)) {}
  void Resize(size_t n) override { inner_->Resize(n); }
  Status Update(const uint32_t* groups, std::span<const Vector* const> args, size_t n) override {
    std::vector<uint32_t> fresh;
    for (size_t i = 0; i < n; ++i) {
      if (Insert(groups[i], args, i)) {
        rows_.AppendRow(args, i);
        row_groups_.push_back(groups[i]);
        fresh.push_back(static_cast<uint32_t>(i));
      }
    }
    return Feed(groups, args, fresh);
  }
  Status Combine(Accumulator& other, const uint32_t* targets) override {
    auto& o = static_cast<DistinctAccumulator&>(other);
    std::vector<Vector> cols;
    for (const LogicalType& t : types_) cols.emplace_back(t);
    for (size_t begin = 0; begin < o.rows_.size(); begin += kBatchSize) {
      size_t n = std::min(kBatchSize, o.rows_.size() - begin);
      std::vector<uint32_t> rows(n), groups(n);
      for (size_t i = 0; i < n; ++i) {
        rows[i] = static_cast<uint32_t>(begin + i);
        groups[i] = targets[o.row_groups_[begin + i]];
      }
      std::vector<const Vector*> ptrs;
      for (size_t c = 0; c < cols.size(); ++c) {
        o.rows_.GatherColumn(c, rows.data(), n, cols[c]);
        ptrs.push_back(&cols[c]);
      }
      std::vector<uint32_t> fresh;
      for (size_t i = 0; i < n; ++i) {
        if (Insert(groups[i], ptrs, i)) {
          rows_.AppendRow(ptrs, i);
          row_groups_.push_back(groups[i]);
          fresh.push_back(static_cast<uint32_t>(i));
        }
      }
      TB_RETURN_IF_ERROR(Feed(groups.data(), ptrs, fresh));
    }
    return Status::OK();
  }
  Status Finalize(size_t begin, size_t n, Vector& out) override {
    return inner_->Finalize(begin, n, out);
  }
  size_t groups() const override { return inner_->groups(); }
  size_t memory_bytes() const override {
    return inner_->memory_bytes() + rows_.memory_bytes() + seen_.size() * 48 +
           arena_.bytes_reserved();
  }

 private:
  bool Insert(uint32_t group, std::span<const Vector* const> args, size_t i) {
    key_.assign(reinterpret_cast<const char*>(&group), sizeof(group));
    for (const Vector* a : args) {
      if (a->Nulls()[i]) {
        key_.push_back('\0');
        continue;
      }
      key_.push_back('\1');
      switch (a->type().physical()) {
        case PhysicalType::kBool: key_.push_back(static_cast<char>(a->Data<uint8_t>()[i])); break;
        case PhysicalType::kInt64:
          key_.append(reinterpret_cast<const char*>(&a->Data<int64_t>()[i]), 8);
          break;
        case PhysicalType::kDouble: {
          double d = a->Data<double>()[i];
          if (d == 0) d = 0;
          if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
          key_.append(reinterpret_cast<const char*>(&d), 8);
          break;
        }
        case PhysicalType::kString: {
          std::string_view s = a->Data<StringRef>()[i].view();
          uint32_t len = static_cast<uint32_t>(s.size());
          key_.append(reinterpret_cast<const char*>(&len), 4);
          key_.append(s);
          break;
        }
      }
    }
    if (seen_.count(key_) > 0) return false;
    seen_.insert(arena_.CopyString(key_));
    return true;
  }
  Status Feed(const uint32_t* groups, std::span<const Vector* const> args,
              const std::vector<uint32_t>& fresh) {
    if (fresh.empty()) return Status::OK();
    std::vector<Vector> cols;
    std::vector<const Vector*> ptrs;
    cols.reserve(args.size());
    for (const Vector* a : args) {
      cols.emplace_back(a->type());
      cols.back().Gather(*a, fresh.data(), fresh.size());
    }
    for (Vector& c : cols) ptrs.push_back(&c);
    std::vector<uint32_t> g(fresh.size());
    for (size_t k = 0; k < fresh.size(); ++k) g[k] = groups[fresh[k]];
    return inner_->Update(g.data(), ptrs, fresh.size());
  }

  std::vector<LogicalType> types_;
  std::unique_ptr<Accumulator> inner_;
  ColumnStore rows_;
  std::vector<uint32_t> row_groups_;
  std::unordered_set<std::string_view> seen_;
  Arena arena_;
  std::string key_;
};

}  // namespace

Result<std::unique_ptr<Accumulator>> MakeAccumulator(const AggregateSpec& spec) {
  const std::string& n = spec.name;
  std::unique_ptr<Accumulator> acc;
  const LogicalType& arg0 = spec.arg_types.empty() ? spec.result_type : spec.arg_types[0];
  if (n == "count") {
    acc = std::make_unique<CountAccumulator>(spec.arg_types.empty()
                                                 ? CountAccumulator::Mode::kStar
                                                 : CountAccumulator::Mode::kNonNull);
  } else if (n == "count_if") {
    acc = std::make_unique<CountAccumulator>(CountAccumulator::Mode::kTrue);
  } else if (n == "sum") {
    if (arg0.id() == TypeId::kDouble) {
      acc = std::make_unique<MomentsAccumulator>(MomentsAccumulator::Kind::kSum);
    } else {
      acc = std::make_unique<SumIntAccumulator>();
    }
  } else if (n == "avg") {
    acc = std::make_unique<MomentsAccumulator>(MomentsAccumulator::Kind::kAvg);
  } else if (n == "stddev_samp") {
    acc = std::make_unique<MomentsAccumulator>(MomentsAccumulator::Kind::kStddevSamp);
  } else if (n == "stddev_pop") {
    acc = std::make_unique<MomentsAccumulator>(MomentsAccumulator::Kind::kStddevPop);
  } else if (n == "var_samp") {
    acc = std::make_unique<MomentsAccumulator>(MomentsAccumulator::Kind::kVarSamp);
  } else if (n == "var_pop") {
    acc = std::make_unique<MomentsAccumulator>(MomentsAccumulator::Kind::kVarPop);
  } else if (n == "min") {
    acc = std::make_unique<ExtremumAccumulator>(ExtremumAccumulator::Kind::kMin, arg0);
  } else if (n == "max") {
    acc = std::make_unique<ExtremumAccumulator>(ExtremumAccumulator::Kind::kMax, arg0);
  } else if (n == "arbitrary") {
    acc = std::make_unique<ExtremumAccumulator>(ExtremumAccumulator::Kind::kArbitrary, arg0);
  } else if (n == "max_by" || n == "min_by") {
    acc = std::make_unique<ByAccumulator>(n == "max_by", spec.arg_types[0], spec.arg_types[1]);
  } else if (n == "bool_and" || n == "bool_or") {
    acc = std::make_unique<BoolAccumulator>(n == "bool_and");
  } else if (n == "approx_distinct") {
    acc = std::make_unique<ApproxDistinctAccumulator>();
  } else if (n == "array_agg") {
    acc = std::make_unique<ArrayAggAccumulator>(spec);
  } else {
    return InvalidArgument("unknown aggregate function '" + n + "'");
  }
  if (spec.distinct && !spec.arg_types.empty()) {
    std::vector<LogicalType> types = spec.arg_types;
    if (n == "approx_distinct" && types.size() > 1) types.resize(1);
    acc = std::make_unique<DistinctAccumulator>(std::move(types), std::move(acc));
  }
  return acc;
}

}  // namespace trailbook::sql
