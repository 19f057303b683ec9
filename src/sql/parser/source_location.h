// File: sql/parser/source_location.h
//
// SourceLocation (where an AST node or token sits in the query text) and the one renderer of
// located diagnostics used by the parser, the binder and everything after them, so every
// query error looks the same:
//
//   unknown column 'evntName' at 1:8; did you mean 'eventName'?
//     SELECT evntName FROM events
//            ^
//
//   return SourceError(StatusCode::kInvalidArgument, sql, ref.location,
//                      "unknown column 'evntName'", "; did you mean 'eventName'?");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::sql {

// A span of query text. `line` and `column` are 1-based and count Unicode code points
// (a tab is one column); `offset` and `length` are in bytes. Line breaks are "\n", "\r\n"
// and a lone "\r". A default-constructed location (line 0) means "unknown".
struct SourceLocation {
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t offset = 0;
  uint32_t length = 0;

  bool known() const { return line != 0; }
  uint32_t end() const { return offset + length; }
  bool operator==(const SourceLocation&) const = default;
};

// Returns "L:C", or "?:?" for an unknown location.
std::string FormatLineColumn(const SourceLocation& location);

// Returns the location of byte `offset` in `source` (length 0), computing line and column.
// REQUIRES: offset <= source.size().
SourceLocation LocationAtOffset(std::string_view source, size_t offset);

// Returns the two-line snippet for `location`: the offending source line and a caret under
// its first character, each indented by two spaces and separated by "\n" (no trailing
// newline). Control characters are shown as spaces, tabs are kept so the caret lines up, and
// long lines are cut to a window around the caret. Returns "" for an unknown location.
std::string RenderSnippet(std::string_view source, const SourceLocation& location);

// Returns "<head> at L:C<tail>\n<snippet>", e.g. head "syntax error" and tail
// ": expected expression, got 'FROM'". Without a known location returns head + tail.
std::string FormatSourceMessage(std::string_view source, const SourceLocation& location,
                                std::string_view head, std::string_view tail);

// Returns a Status with `code` and FormatSourceMessage(...) as its message.
Status SourceError(StatusCode code, std::string_view source, const SourceLocation& location,
                   std::string_view head, std::string_view tail);

// Returns the kInvalidArgument status "syntax error at L:C: <detail>" with its snippet.
Status SyntaxError(std::string_view source, const SourceLocation& location,
                   std::string_view detail);

}  // namespace trailbook::sql
