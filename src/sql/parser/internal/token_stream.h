// File: sql/parser/internal/token_stream.h
//
// TokenStream: the parser's view of the lexer, with unbounded lookahead (tokens are lexed on
// demand and kept), re-lexing of the current token in another LexMode (for table names), a
// token-count limit, and the messages of lexical errors.
//
//   TokenStream tokens(sql, max_tokens);
//   if (tokens.Peek().Is(Keyword::kSelect)) tokens.Next();
//
// Thread safety: not thread-safe; one per parse.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/parser/lexer.h"
#include "sql/parser/token.h"

namespace trailbook::sql::internal {

class TokenStream {
 public:
  // `source` must outlive the stream. REQUIRES: source is valid UTF-8.
  TokenStream(std::string_view source, size_t max_tokens);
  TokenStream(const TokenStream&) = delete;
  TokenStream& operator=(const TokenStream&) = delete;

  // Returns the token `ahead` places after the current one. Past the end returns kEnd; a
  // lexical error or the token limit shows up as a kError token (see ErrorFor).
  Token Peek(size_t ahead = 0) {
    size_t index = pos_ + ahead;
    return index < tokens_.size() ? tokens_[index] : At(index);
  }

  // Returns the current token and moves past it.
  Token Next();

  // Lexes the current token again in `mode`, dropping any lookahead beyond it.
  void Relex(LexMode mode);

  // Returns the byte offset just after the last token returned by Next().
  uint32_t previous_end() const { return previous_end_; }

  // Returns the error carried by a kError token: kInvalidArgument for lexical errors,
  // kResourceExhausted for the token limit; both located with a caret snippet.
  Status ErrorFor(const Token& token) const;

 private:
  struct LexError {
    StatusCode code;
    std::string message;
  };

  // Lexes up to `index` (or the end) and returns that token.
  Token At(size_t index);

  std::string_view source_;
  size_t max_tokens_;
  Lexer lexer_;
  LexMode next_mode_ = LexMode::kDefault;
  std::vector<Token> tokens_;
  std::vector<LexError> errors_;
  size_t pos_ = 0;
  uint32_t previous_end_ = 0;
};

}  // namespace trailbook::sql::internal
