#include "sql/parser/internal/token_stream.h"

#include <algorithm>
#include <utility>

namespace trailbook::sql::internal {

TokenStream::TokenStream(std::string_view source, size_t max_tokens)
    : source_(source), max_tokens_(max_tokens), lexer_(source) {
  // About one token per four bytes of typical SQL; avoids regrowing for short queries.
  tokens_.reserve(std::min(max_tokens, source.size() / 4 + 16));
}

Token TokenStream::At(size_t index) {
  while (tokens_.size() <= index) {
    if (!tokens_.empty() &&
        (tokens_.back().kind == TokenKind::kEnd || tokens_.back().kind == TokenKind::kError)) {
      return tokens_.back();
    }
    std::string message;
    Token t = lexer_.Next(next_mode_, &message);
    next_mode_ = LexMode::kDefault;
    if (t.kind == TokenKind::kError) {
      t.error_index = static_cast<uint32_t>(errors_.size());
      errors_.push_back(LexError{StatusCode::kInvalidArgument, std::move(message)});
    } else if (t.kind != TokenKind::kEnd && tokens_.size() >= max_tokens_) {
      t.kind = TokenKind::kError;
      t.error_index = static_cast<uint32_t>(errors_.size());
      errors_.push_back(LexError{StatusCode::kResourceExhausted,
                                 "query has more than " + std::to_string(max_tokens_) + " tokens"});
    }
    tokens_.push_back(t);
  }
  return tokens_[index];
}

Token TokenStream::Next() {
  Token t = Peek();
  if (t.kind != TokenKind::kEnd && t.kind != TokenKind::kError) {
    ++pos_;
    previous_end_ = t.location.end();
  }
  return t;
}

void TokenStream::Relex(LexMode mode) {
  Token current = At(pos_);
  if (current.kind == TokenKind::kEnd || current.kind == TokenKind::kError) return;
  tokens_.resize(pos_);
  lexer_.Reset(current.location);
  next_mode_ = mode;
}

Status TokenStream::ErrorFor(const Token& token) const {
  if (token.kind != TokenKind::kError || token.error_index >= errors_.size()) {
    return SyntaxError(source_, token.location, "unexpected token");
  }
  const LexError& e = errors_[token.error_index];
  if (e.code == StatusCode::kInvalidArgument)
    return SyntaxError(source_, token.location, e.message);
  return SourceError(e.code, source_, token.location, e.message, "");
}

}  // namespace trailbook::sql::internal
