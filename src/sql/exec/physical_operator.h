// File: sql/exec/physical_operator.h
//
// PhysicalOperator: the executor's pull interface. Each call to Next() returns the next batch
// of at most kBatchSize rows; an empty batch means the end. Operators that can run in
// parallel over a scan are built from a PipelineFactory, which creates an independent copy of
// the pipeline (Scan -> Filter -> Project -> Unnest) for each worker thread; the copies share
// the scan's morsel queue.
//
//   OperatorPtr op = ...;
//   DataChunk chunk;
//   do { TB_RETURN_IF_ERROR(op->Next(chunk)); consume(chunk); } while (chunk.size > 0);
//
// Thread safety: an operator instance is used by one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "base/status.h"
#include "sql/types/data_chunk.h"

namespace trailbook::sql {

class PhysicalOperator {
 public:
  explicit PhysicalOperator(std::vector<LogicalType> types) : types_(std::move(types)) {}
  virtual ~PhysicalOperator() = default;
  PhysicalOperator(const PhysicalOperator&) = delete;
  PhysicalOperator& operator=(const PhysicalOperator&) = delete;

  // Fills `out` with the next batch (out.size == 0 at the end, and on every later call).
  virtual Status Next(DataChunk& out) = 0;

  const std::vector<LogicalType>& types() const { return types_; }

 protected:
  // Gives `out` one empty vector per output column, reusing vectors of matching types.
  void PrepareOutput(DataChunk& out) const;

 private:
  std::vector<LogicalType> types_;
};

using OperatorPtr = std::unique_ptr<PhysicalOperator>;
// Creates a fresh instance of a pipeline. Must be callable from any thread.
using PipelineFactory = std::function<Result<OperatorPtr>()>;

// Makes `dst` hold rows sel[0..n) of `src`, keeping dictionary and constant modes.
void SelectRows(const Vector& src, const uint32_t* sel, size_t n, Vector& dst);

}  // namespace trailbook::sql
