#include "ingest/lake_csv.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace trailbook::ingest {

CsvParser::CsvParser(uint64_t max_row_bytes) : max_row_bytes_(max_row_bytes) {}

void CsvParser::Reset() {
  state_ = State::kFieldStart;
  skip_lf_ = false;
  row_started_ = false;
  too_long_ = false;
  line_ = 1;
  row_line_ = 1;
  quote_line_ = 0;
  field_begin_ = 0;
  row_.Clear();
  ranges_.clear();
}

void CsvParser::Append(const char* p, size_t n) {
  if (too_long_) return;
  if (row_.size() + n > max_row_bytes_) {
    too_long_ = true;
    return;
  }
  row_.Append(std::string_view(p, n));
}

void CsvParser::EndField() {
  if (!too_long_) ranges_.emplace_back(field_begin_, row_.size());
  field_begin_ = row_.size();
}

Status CsvParser::EndRow(CsvRowHandler& handler) {
  Status s = Status::OK();
  if (row_started_) {
    EndField();
    fields_.clear();
    if (!too_long_) {
      for (const auto& [begin, end] : ranges_) {
        fields_.emplace_back(row_.data() + begin, end - begin);
      }
    }
    CsvRow row;
    row.fields = fields_;
    row.line = row_line_;
    row.too_long = too_long_;
    s = handler.OnRow(row);
  }
  row_.Clear();
  ranges_.clear();
  field_begin_ = 0;
  too_long_ = false;
  row_started_ = false;
  state_ = State::kFieldStart;
  return s;
}

Status CsvParser::QuoteError(std::string_view what) const {
  return InvalidArgument("line " + std::to_string(line_) +
                         ": broken CSV quoting: " + std::string(what));
}

Status CsvParser::Feed(std::string_view chunk, CsvRowHandler& handler) {
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  while (p < end) {
    char c = *p;
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        ++p;
        continue;
      }
    }
    if (!row_started_) row_line_ = line_;
    switch (state_) {
      case State::kFieldStart:
        if (c == '"') {
          row_started_ = true;
          quote_line_ = line_;
          state_ = State::kQuoted;
          ++p;
        } else if (c == ',') {
          row_started_ = true;
          EndField();
          ++p;
        } else if (c == '\n' || c == '\r') {
          ++line_;
          skip_lf_ = c == '\r';
          ++p;
          TB_RETURN_IF_ERROR(EndRow(handler));
        } else {
          row_started_ = true;
          state_ = State::kUnquoted;
        }
        break;
      case State::kUnquoted: {
        const char* q = p;
        while (q < end && *q != ',' && *q != '\n' && *q != '\r' && *q != '"') ++q;
        Append(p, static_cast<size_t>(q - p));
        p = q;
        if (p == end) break;
        c = *p++;
        if (c == ',') {
          EndField();
          state_ = State::kFieldStart;
        } else if (c == '"') {
          return QuoteError("a quote character inside an unquoted field");
        } else {
          ++line_;
          skip_lf_ = c == '\r';
          TB_RETURN_IF_ERROR(EndRow(handler));
        }
        break;
      }
      case State::kQuoted: {
        const void* found = std::memchr(p, '"', static_cast<size_t>(end - p));
        const char* q = found != nullptr ? static_cast<const char*>(found) : end;
        line_ += static_cast<uint64_t>(std::count(p, q, '\n'));
        Append(p, static_cast<size_t>(q - p));
        p = q;
        if (p < end) {
          ++p;
          state_ = State::kQuoteInQuoted;
        }
        break;
      }
      case State::kQuoteInQuoted:
        ++p;
        if (c == '"') {
          Append("\"", 1);
          state_ = State::kQuoted;
        } else if (c == ',') {
          EndField();
          state_ = State::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          ++line_;
          skip_lf_ = c == '\r';
          TB_RETURN_IF_ERROR(EndRow(handler));
        } else {
          return QuoteError(
              "text after a closing quote (a quote inside a quoted field must be doubled)");
        }
        break;
    }
  }
  return Status::OK();
}

Status CsvParser::Finish(CsvRowHandler& handler) {
  if (state_ == State::kQuoted) {
    return InvalidArgument("line " + std::to_string(line_) +
                           ": broken CSV quoting: the input ends inside a quoted field opened on "
                           "line " +
                           std::to_string(quote_line_));
  }
  return EndRow(handler);
}

Result<size_t> FindEventJsonColumn(std::span<const std::string_view> header) {
  constexpr std::string_view kColumn = "eventjson";
  std::string names;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view name = header[i];
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.size() == kColumn.size() &&
        std::equal(name.begin(), name.end(), kColumn.begin(), [](char a, char b) {
          return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
        })) {
      return i;
    }
    if (i < 8) {
      if (!names.empty()) names += ", ";
      names.append(name.substr(0, 64));
    } else if (i == 8) {
      names += ", ...";
    }
  }
  return InvalidArgument(
      "CloudTrail Lake CSV without an eventJson column (columns: " + names +
      "); trailbook needs whole events: save the query results with SELECT eventJson FROM "
      "<event data store> ...");
}

}  // namespace trailbook::ingest
