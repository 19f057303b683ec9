// File: sql/parser/lexer.h
//
// Lexer: turns query text into Tokens on demand, tracking line and column. It follows
// Trino's lexical rules (comments `--` and `/* */`, '' and "" escapes, U&'' strings, numbers
// that start with a digit and continue with letters are one "digit identifier") plus the
// CloudTrail Lake table names: in LexMode::kTableName a bare event-data-store UUID and an
// `<EDS ID>`-style placeholder are single tokens. `$EDS_ID` and `${EDS_ID}` are always
// placeholder tokens.
//
//   TB_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
//
// Thread safety: a Lexer is used by one thread; the free functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/parser/token.h"

namespace trailbook::sql {

enum class LexMode : uint8_t {
  kDefault,
  kTableName,  // Also recognise bare UUIDs and <placeholder> at the current position.
};

class Lexer {
 public:
  // `source` must outlive the Lexer. REQUIRES: source is valid UTF-8 (see ValidateUtf8) and
  // shorter than 4 GiB.
  explicit Lexer(std::string_view source);

  // Returns the next token. On a lexical error returns a kError token located at the
  // problem, sets `*error` to a description such as "unterminated string literal", and
  // moves to the end of the input (so the following token is kEnd).
  // The kEnd token is located just after the last real token, where a caret reads best.
  Token Next(LexMode mode, std::string* error);

  // Moves back (or forward) to `location`, which must be the start of a token this lexer
  // returned, so that it is lexed again (possibly in another mode).
  void Reset(const SourceLocation& location);

 private:
  void AdvanceByte();
  void Advance(size_t bytes);
  // Skips whitespace and comments; returns false (with *error and *error_at set) on an
  // unterminated block comment.
  bool SkipTrivia(std::string* error, SourceLocation* error_at);
  SourceLocation Here() const;
  Token Make(TokenKind kind, const SourceLocation& start);
  Token Fail(const SourceLocation& at, std::string message, std::string* error);
  Token LexWord(const SourceLocation& start);
  Token LexNumber(const SourceLocation& start);
  Token LexQuoted(const SourceLocation& start, TokenKind kind, char quote, size_t prefix,
                  std::string* error);
  Token LexDollarPlaceholder(const SourceLocation& start, std::string* error);
  Token LexOther(const SourceLocation& start, std::string* error);
  size_t MatchUuid(size_t pos) const;
  size_t MatchAnglePlaceholder(size_t pos) const;

  std::string_view source_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
  SourceLocation last_end_{1, 1, 0, 0};  // Just after the last token returned.
};

// Returns true when `text` is exactly a UUID, 8-4-4-4-12 hex digits: the form of an event
// data store id, which LexMode::kTableName lexes as one kEventDataStoreId token.
bool IsUuid(std::string_view text);

// Returns OK when `source` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF); otherwise kInvalidArgument naming the first bad byte and its
// location, with a caret snippet.
Status ValidateUtf8(std::string_view source);

// Lexes all of `source` (validating UTF-8 first) into tokens, the last being kEnd.
// Errors: kInvalidArgument with location and caret for the first lexical error.
Result<std::vector<Token>> Tokenize(std::string_view source, LexMode mode = LexMode::kDefault);

// Returns the value of a quoted token: strips `prefix` leading bytes (2 for U&), the
// surrounding `quote` characters, and turns each doubled quote into one.
// REQUIRES: `raw` is the text of a well-formed kString, kQuotedIdentifier,
// kBacktickIdentifier or kUnicodeString token.
std::string DecodeQuoted(std::string_view raw, char quote, size_t prefix = 0);

// Resolves the escapes of a U&'' literal body (already passed through DecodeQuoted):
// `<escape>XXXX` (4 hex digits), `<escape>+XXXXXX` (6 hex digits) and `<escape><escape>`.
// Returns false with `*error` set on a malformed escape or an invalid code point.
bool DecodeUnicodeEscapes(std::string_view body, char escape, std::string* out, std::string* error);

}  // namespace trailbook::sql
