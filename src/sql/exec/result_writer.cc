#include "sql/exec/result_writer.h"

#include <cmath>

#include "base/timestamp.h"
#include "json/json_writer.h"

namespace trailbook::sql {
namespace {

constexpr size_t kTablePage = 1000;

size_t DisplayWidth(std::string_view s) {
  size_t w = 0;
  for (char c : s) w += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return w;
}

bool RightAligned(const LogicalType& t) { return t.IsNumeric(); }

void AppendCsvField(std::string* out, std::string_view s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendJsonValue(const Vector& v, size_t row, std::string* out) {
  if (v.IsNull(row)) {
    out->append("null");
    return;
  }
  Value value = v.GetValue(row);
  switch (value.type().id()) {
    case TypeId::kBoolean: out->append(value.bool_value() ? "true" : "false"); return;
    case TypeId::kBigint: out->append(std::to_string(value.int_value())); return;
    case TypeId::kDouble: {
      double d = value.double_value();
      if (std::isfinite(d)) {
        out->append(value.ToString());
      } else {
        json::AppendQuoted(out, value.ToString());
      }
      return;
    }
    case TypeId::kTimestamp: json::AppendQuoted(out, FormatTimestamp(value.int_value())); return;
    case TypeId::kJson:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: out->append(value.string_value()); return;
    case TypeId::kVarchar: json::AppendQuoted(out, value.string_value()); return;
    default: json::AppendQuoted(out, value.ToString()); return;
  }
}

}  // namespace

ResultWriter::ResultWriter(ResultFormat format, std::vector<std::string> names,
                           std::vector<LogicalType> types)
    : format_(format), names_(std::move(names)), types_(std::move(types)) {
  for (size_t i = 0; i < names_.size(); ++i) {
    std::string key = names_[i];
    int n = 1;
    auto taken = [&](const std::string& k) {
      for (const std::string& j : json_keys_) {
        if (j == k) return true;
      }
      return false;
    };
    while (taken(key)) key = names_[i] + "_" + std::to_string(++n);
    json_keys_.push_back(key);
  }
  for (const std::string& n : names_) widths_.push_back(DisplayWidth(n));
}

std::string ResultWriter::Text(const Vector& v, size_t row) {
  if (v.IsNull(row)) return "NULL";
  Value value = v.GetValue(row);
  if (value.type().id() == TypeId::kTimestamp) return FormatTimestamp(value.int_value());
  return value.ToString();
}

void ResultWriter::Write(const DataChunk& chunk, std::string* out) {
  switch (format_) {
    case ResultFormat::kJson:
    case ResultFormat::kNdjson:
      for (size_t r = 0; r < chunk.size; ++r) {
        if (format_ == ResultFormat::kJson) out->append(rows_ == 0 ? "[\n" : ",\n");
        out->push_back('{');
        for (size_t c = 0; c < chunk.columns.size(); ++c) {
          if (c > 0) out->push_back(',');
          json::AppendQuoted(out, json_keys_[c]);
          out->push_back(':');
          AppendJsonValue(chunk.columns[c], r, out);
        }
        out->push_back('}');
        if (format_ == ResultFormat::kNdjson) out->push_back('\n');
        ++rows_;
      }
      return;
    case ResultFormat::kCsv:
      if (!started_) {
        started_ = true;
        for (size_t c = 0; c < names_.size(); ++c) {
          if (c > 0) out->push_back(',');
          AppendCsvField(out, names_[c]);
        }
        out->append("\r\n");
      }
      for (size_t r = 0; r < chunk.size; ++r) {
        for (size_t c = 0; c < chunk.columns.size(); ++c) {
          if (c > 0) out->push_back(',');
          if (!chunk.columns[c].IsNull(r)) AppendCsvField(out, Text(chunk.columns[c], r));
        }
        out->append("\r\n");
        ++rows_;
      }
      return;
    case ResultFormat::kTable:
      for (size_t r = 0; r < chunk.size; ++r) {
        std::vector<std::string> cells;
        for (size_t c = 0; c < chunk.columns.size(); ++c) {
          cells.push_back(Text(chunk.columns[c], r));
          // Keep rows on one line.
          for (char& ch : cells.back()) {
            if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
          }
        }
        page_.push_back(std::move(cells));
        ++rows_;
        if (page_.size() >= kTablePage) FlushTable(out);
      }
      return;
  }
}

void ResultWriter::FlushTable(std::string* out) {
  if (!started_) {
    for (const auto& row : page_) {
      for (size_t c = 0; c < row.size(); ++c) widths_[c] = std::max(widths_[c], DisplayWidth(row[c]));
    }
  }
  auto cell = [&](const std::string& s, size_t c, bool right) {
    size_t w = DisplayWidth(s);
    std::string pad(widths_[c] > w ? widths_[c] - w : 0, ' ');
    return right ? pad + s : s + pad;
  };
  if (!started_) {
    started_ = true;
    std::string line, rule;
    for (size_t c = 0; c < names_.size(); ++c) {
      if (c > 0) {
        line += " | ";
        rule += "-+-";
      }
      line += cell(names_[c], c, false);
      rule += std::string(widths_[c], '-');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    *out += line + "\n" + rule + "\n";
  }
  for (const auto& row : page_) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += " | ";
      line += cell(row[c], c, RightAligned(types_[c]));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    *out += line + "\n";
  }
  page_.clear();
}

void ResultWriter::Finish(std::string* out) {
  switch (format_) {
    case ResultFormat::kJson: out->append(rows_ == 0 ? "[]\n" : "\n]\n"); return;
    case ResultFormat::kNdjson: return;
    case ResultFormat::kCsv:
      if (!started_) {
        DataChunk empty;
        Write(empty, out);
      }
      return;
    case ResultFormat::kTable:
      FlushTable(out);
      *out += "(" + std::to_string(rows_) + (rows_ == 1 ? " row)\n" : " rows)\n");
      return;
  }
}

}  // namespace trailbook::sql
