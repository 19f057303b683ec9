// File: ingest/lake_csv.h
//
// CSV for CloudTrail Lake saved query results (result_*.csv[.gz]): an incremental RFC 4180
// parser (quoted fields with doubled quotes, quoted newlines, CRLF or LF rows) that accepts
// input in chunks of any size, and the lookup of the eventJson column that carries the event.
//
//   CsvParser csv(limits.max_line_bytes);
//   TB_RETURN_IF_ERROR(csv.Feed(chunk, handler));   // repeatedly
//   TB_RETURN_IF_ERROR(csv.Finish(handler));
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "ingest/padded_buffer.h"

namespace trailbook::ingest {

struct CsvRow {
  // Unquoted field values; each is followed by kPadding readable bytes. Empty when too_long.
  std::span<const std::string_view> fields;
  uint64_t line = 0;      // 1-based line where the row starts.
  bool too_long = false;  // The row held more than max_row_bytes of field data.
};

class CsvRowHandler {
 public:
  virtual ~CsvRowHandler() = default;
  // Receives one row (blank lines produce none). A non-OK Status stops the parse and is
  // returned by Feed/Finish unchanged.
  virtual Status OnRow(const CsvRow& row) = 0;
};

// Thread safety: not thread-safe. Reuse across inputs with Reset().
class CsvParser {
 public:
  explicit CsvParser(uint64_t max_row_bytes);

  // Starts a new input.
  void Reset();

  // Parses the next `chunk` of the input, calling `handler` for every row it completes.
  // Returns kInvalidArgument "line N: ..." for broken quoting (a quote inside an unquoted
  // field, or text after a closing quote), which makes row boundaries untrustworthy.
  Status Feed(std::string_view chunk, CsvRowHandler& handler);

  // Ends the input: delivers a last row that has no line terminator. Returns
  // kInvalidArgument when a quoted field is still open.
  Status Finish(CsvRowHandler& handler);

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  void Append(const char* p, size_t n);
  void EndField();
  Status EndRow(CsvRowHandler& handler);
  Status QuoteError(std::string_view what) const;

  uint64_t max_row_bytes_;
  State state_ = State::kFieldStart;
  bool skip_lf_ = false;
  bool row_started_ = false;
  bool too_long_ = false;
  uint64_t line_ = 1;
  uint64_t row_line_ = 1;
  uint64_t quote_line_ = 0;
  size_t field_begin_ = 0;
  PaddedBuffer row_;
  std::vector<std::pair<size_t, size_t>> ranges_;
  std::vector<std::string_view> fields_;
};

// Returns the index of the eventJson column (matched case-insensitively, surrounding spaces
// ignored) in a Lake CSV `header`, or kInvalidArgument telling the user to export the query
// with SELECT eventJson when there is none.
Result<size_t> FindEventJsonColumn(std::span<const std::string_view> header);

}  // namespace trailbook::ingest
