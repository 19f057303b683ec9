// File: sql/exec/result_writer.h
//
// ResultWriter: formats query results as text, batch by batch, for the CLI (and the HTTP
// server): an aligned table, a JSON array of objects, NDJSON, or RFC 4180 CSV. The writer
// only appends to strings; printing is the caller's job.
//
//   ResultWriter w(ResultFormat::kJson, result->column_names(), result->column_types());
//   std::string out;
//   while (more) { w.Write(chunk, &out); fputs(out.c_str(), stdout); out.clear(); }
//   w.Finish(&out);
//
// Types survive in JSON and NDJSON: numbers and booleans are bare, NULL is null, nested
// values (arrays, maps, rows, json) are embedded as JSON, timestamps are ISO-8601 UTC strings
// ("2026-01-01T00:00:00Z", with a fraction only when non-zero). Duplicate column names get a
// numeric suffix in JSON keys (`arn`, `arn_2`) so objects stay valid.
//
// Thread safety: not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "sql/types/data_chunk.h"

namespace trailbook::sql {

enum class ResultFormat { kTable, kJson, kNdjson, kCsv };

class ResultWriter {
 public:
  ResultWriter(ResultFormat format, std::vector<std::string> names, std::vector<LogicalType> types);

  // Appends the rows of `chunk` (and the header before the first rows) to `out`. The table
  // format buffers up to a page of rows to align columns.
  void Write(const DataChunk& chunk, std::string* out);
  // Appends the end of the output (buffered table rows, the row count, the closing bracket).
  void Finish(std::string* out);

  // The text of one value in table and CSV output (NULL as "NULL" / empty).
  static std::string Text(const Vector& v, size_t row);

 private:
  void FlushTable(std::string* out);

  ResultFormat format_;
  std::vector<std::string> names_;
  std::vector<std::string> json_keys_;
  std::vector<LogicalType> types_;
  bool started_ = false;
  size_t rows_ = 0;
  std::vector<std::vector<std::string>> page_;   // table: buffered cells
  std::vector<size_t> widths_;
};

}  // namespace trailbook::sql
