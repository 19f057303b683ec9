#include "sql/parser/source_location.h"

#include <algorithm>
#include <string>

namespace trailbook::sql {
namespace {

// Lines wider than this many code points are cut to a window around the caret.
constexpr size_t kMaxSnippetColumns = 160;
constexpr size_t kWindowBefore = 70;

bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }

// Returns the byte length of the UTF-8 sequence at `pos`, or 0 when the bytes there are not
// a well-formed sequence (the renderer then shows one '?' for the byte).
size_t SequenceLength(std::string_view s, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = byte(pos);
  if (c < 0x80) return 1;
  size_t len = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  if (pos + len > s.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
  }
  return len;
}

// Appends the code point at `pos` for display (control characters become spaces, broken
// UTF-8 becomes '?') and returns its byte length.
size_t AppendDisplayed(std::string_view s, size_t pos, std::string* out) {
  size_t len = SequenceLength(s, pos);
  if (len == 0) {
    out->push_back('?');
    return 1;
  }
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (len == 1 && c != '\t' && (c < 0x20 || c == 0x7F)) {
    out->push_back(' ');
  } else {
    out->append(s.substr(pos, len));
  }
  return len;
}

size_t Advance(std::string_view s, size_t pos) {
  return pos + std::max<size_t>(1, SequenceLength(s, pos));
}

}  // namespace

std::string FormatLineColumn(const SourceLocation& location) {
  if (!location.known()) return "?:?";
  return std::to_string(location.line) + ":" + std::to_string(location.column);
}

SourceLocation LocationAtOffset(std::string_view source, size_t offset) {
  offset = std::min(offset, source.size());
  uint32_t line = 1;
  uint32_t column = 1;
  for (size_t i = 0; i < offset; ++i) {
    char c = source[i];
    if (c == '\n') {
      ++line;
      column = 1;
    } else if (c == '\r') {
      if (i + 1 < source.size() && source[i + 1] == '\n') continue;
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return SourceLocation{line, column, static_cast<uint32_t>(offset), 0};
}

std::string RenderSnippet(std::string_view source, const SourceLocation& location) {
  if (!location.known()) return "";
  size_t caret = std::min<size_t>(location.offset, source.size());
  size_t line_start = caret;
  while (line_start > 0 && !IsLineBreak(source[line_start - 1])) --line_start;
  size_t line_end = caret;
  while (line_end < source.size() && !IsLineBreak(source[line_end])) ++line_end;

  // Count code points to decide on a window for very long lines.
  size_t columns_before = 0;
  for (size_t p = line_start; p < caret; p = Advance(source, p)) ++columns_before;
  size_t columns_total = columns_before;
  for (size_t p = caret; p < line_end; p = Advance(source, p)) ++columns_total;

  size_t show_from = line_start;
  size_t show_to = line_end;
  bool cut_left = false;
  bool cut_right = false;
  if (columns_total > kMaxSnippetColumns) {
    size_t skip = columns_before > kWindowBefore ? columns_before - kWindowBefore : 0;
    for (size_t i = 0; i < skip; ++i) show_from = Advance(source, show_from);
    cut_left = skip > 0;
    size_t p = show_from;
    for (size_t i = 0; i < kMaxSnippetColumns && p < line_end; ++i) p = Advance(source, p);
    cut_right = p < line_end;
    show_to = std::max(p, std::min(caret, line_end));
  }

  std::string text = "  ";
  std::string marker = "  ";
  if (cut_left) {
    text += "...";
    marker += "   ";
  }
  for (size_t p = show_from; p < show_to;) {
    if (p < caret) marker.push_back(source[p] == '\t' ? '\t' : ' ');
    p += AppendDisplayed(source, p, &text);
  }
  if (cut_right) text += "...";
  marker.push_back('^');
  return text + "\n" + marker;
}

std::string FormatSourceMessage(std::string_view source, const SourceLocation& location,
                                std::string_view head, std::string_view tail) {
  std::string out(head);
  if (!location.known()) {
    out.append(tail);
    return out;
  }
  out += " at ";
  out += FormatLineColumn(location);
  out.append(tail);
  out += "\n";
  out += RenderSnippet(source, location);
  return out;
}

Status SourceError(StatusCode code, std::string_view source, const SourceLocation& location,
                   std::string_view head, std::string_view tail) {
  return Status(code, FormatSourceMessage(source, location, head, tail));
}

Status SyntaxError(std::string_view source, const SourceLocation& location,
                   std::string_view detail) {
  std::string tail = ": ";
  tail.append(detail);
  return SourceError(StatusCode::kInvalidArgument, source, location, "syntax error", tail);
}

}  // namespace trailbook::sql
