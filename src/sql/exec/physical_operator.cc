#include "sql/exec/physical_operator.h"

namespace trailbook::sql {

void PhysicalOperator::PrepareOutput(DataChunk& out) const {
  if (out.columns.size() != types_.size()) {
    out.Initialize(types_);
    return;
  }
  for (size_t i = 0; i < types_.size(); ++i) {
    if (out.columns[i].type() != types_[i]) {
      out.columns[i].SetType(types_[i]);
    } else {
      out.columns[i].Reset();
    }
  }
  out.size = 0;
}

void SelectRows(const Vector& src, const uint32_t* sel, size_t n, Vector& dst) {
  if (dst.type() != src.type()) dst.SetType(src.type());
  switch (src.mode()) {
    case VectorMode::kDictionary: {
      std::vector<uint32_t> codes(n);
      const uint32_t* c = src.codes();
      for (size_t i = 0; i < n; ++i) codes[i] = c[sel[i]];
      dst.SetDictionary(src.dictionary_ptr(), src.dictionary_id(), codes.data(), n);
      return;
    }
    case VectorMode::kConstant: dst.SetConstant(src.GetValue(0), n); return;
    case VectorMode::kFlat: dst.Gather(src, sel, n); return;
  }
}

}  // namespace trailbook::sql
