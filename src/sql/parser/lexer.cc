#include "sql/parser/lexer.h"

#include <cstdio>
#include <string>
#include <utility>

#include "base/hex.h"
#include "base/utf8.h"

namespace trailbook::sql {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return HexDigitValue(c) >= 0; }
bool IsWordStart(char c) { return IsAsciiLetter(c) || c == '_'; }
bool IsWordChar(char c) { return IsAsciiLetter(c) || IsDigit(c) || c == '_'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Decodes the well-formed UTF-8 sequence at `pos` (base/utf8.h's decoder); returns its
// length (0 if malformed). REQUIRES: pos < s.size().
size_t Utf8SequenceAt(std::string_view s, size_t pos, uint32_t* code_point) {
  size_t end = pos;
  const int32_t cp = DecodeUtf8(s, &end);
  if (cp < 0) return 0;
  *code_point = static_cast<uint32_t>(cp);
  return end - pos;
}

std::string CodePointName(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "U+%04X", cp);
  return buf;
}

// Describes a character that cannot start a token, with a hint for the usual copy-paste
// culprits (typographic quotes, non-breaking spaces).
std::string UnexpectedCharacter(std::string_view s, size_t pos) {
  uint32_t cp = 0;
  size_t len = Utf8SequenceAt(s, pos, &cp);
  if (len == 0) return "invalid UTF-8";
  if (cp < 0x20 || cp == 0x7F) return "unexpected control character " + CodePointName(cp);
  std::string out = "unexpected character '";
  out.append(s.substr(pos, len));
  out += "'";
  if (cp >= 0x80) out += " (" + CodePointName(cp) + ")";
  switch (cp) {
    case 0x2018:
    case 0x2019:
      out += "; use straight single quotes (') around string literals";
      break;
    case 0x201C:
    case 0x201D:
      out += "; use straight double quotes (\") around quoted identifiers";
      break;
    case 0x00A0:
      out += "; this is a non-breaking space, use a regular space";
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

Lexer::Lexer(std::string_view source) : source_(source) {
  // A byte order mark at the very start (editors on Windows add one) is not part of the query.
  if (source_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  last_end_ = Here();
}

SourceLocation Lexer::Here() const {
  return SourceLocation{line_, column_, static_cast<uint32_t>(pos_), 0};
}

void Lexer::AdvanceByte() {
  char c = source_[pos_];
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if (c == '\r') {
    if (pos_ + 1 >= source_.size() || source_[pos_ + 1] != '\n') {
      ++line_;
      column_ = 1;
    }
  } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
    ++column_;
  }
  ++pos_;
}

void Lexer::Advance(size_t bytes) {
  for (size_t i = 0; i < bytes && pos_ < source_.size(); ++i) AdvanceByte();
}

void Lexer::Reset(const SourceLocation& location) {
  pos_ = location.offset;
  line_ = location.line;
  column_ = location.column;
}

bool Lexer::SkipTrivia(std::string* error, SourceLocation* error_at) {
  while (pos_ < source_.size()) {
    char c = source_[pos_];
    if (IsSpace(c)) {
      AdvanceByte();
    } else if (c == '-' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '-') {
      while (pos_ < source_.size() && source_[pos_] != '\n' && source_[pos_] != '\r') {
        AdvanceByte();
      }
    } else if (c == '/' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '*') {
      SourceLocation start = Here();
      size_t close = source_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) {
        *error = "unterminated /* comment";
        *error_at = SourceLocation{start.line, start.column, start.offset, 2};
        return false;
      }
      Advance(close + 2 - pos_);
    } else {
      return true;
    }
  }
  return true;
}

Token Lexer::Make(TokenKind kind, const SourceLocation& start) {
  Token t;
  t.kind = kind;
  t.text = source_.substr(start.offset, pos_ - start.offset);
  t.location = start;
  t.location.length = static_cast<uint32_t>(pos_ - start.offset);
  last_end_ = Here();
  return t;
}

Token Lexer::Fail(const SourceLocation& at, std::string message, std::string* error) {
  *error = std::move(message);
  Token t;
  t.kind = TokenKind::kError;
  t.location = at;
  t.text = source_.substr(at.offset, at.length);
  // Nothing after a lexical error is meaningful; the next token is the end.
  while (pos_ < source_.size()) AdvanceByte();
  last_end_ = at;
  return t;
}

Token Lexer::Next(LexMode mode, std::string* error) {
  SourceLocation trivia_error;
  if (!SkipTrivia(error, &trivia_error)) return Fail(trivia_error, *error, error);
  if (pos_ >= source_.size()) {
    Token t;
    t.kind = TokenKind::kEnd;
    t.location = last_end_;
    return t;
  }
  SourceLocation start = Here();
  if (mode == LexMode::kTableName) {
    if (size_t n = MatchUuid(pos_); n > 0) {
      Advance(n);
      return Make(TokenKind::kEventDataStoreId, start);
    }
    if (size_t n = MatchAnglePlaceholder(pos_); n > 0) {
      Advance(n);
      return Make(TokenKind::kPlaceholder, start);
    }
  }
  char c = source_[pos_];
  if ((c == 'U' || c == 'u') && pos_ + 2 < source_.size() && source_[pos_ + 1] == '&' &&
      source_[pos_ + 2] == '\'') {
    return LexQuoted(start, TokenKind::kUnicodeString, '\'', 2, error);
  }
  if (IsWordStart(c)) return LexWord(start);
  if (IsDigit(c) || (c == '.' && pos_ + 1 < source_.size() && IsDigit(source_[pos_ + 1]))) {
    return LexNumber(start);
  }
  switch (c) {
    case '\'':
      return LexQuoted(start, TokenKind::kString, '\'', 0, error);
    case '"':
      return LexQuoted(start, TokenKind::kQuotedIdentifier, '"', 0, error);
    case '`':
      return LexQuoted(start, TokenKind::kBacktickIdentifier, '`', 0, error);
    case '$':
      return LexDollarPlaceholder(start, error);
    default:
      return LexOther(start, error);
  }
}

Token Lexer::LexWord(const SourceLocation& start) {
  while (pos_ < source_.size() && IsWordChar(source_[pos_])) AdvanceByte();
  Token t = Make(TokenKind::kIdentifier, start);
  t.keyword = LookupKeyword(t.text);
  return t;
}

Token Lexer::LexNumber(const SourceLocation& start) {
  // Find the longest number, then the longest "digit identifier" (a digit followed by word
  // characters); as in Trino's ANTLR lexer the longer match wins, a number on a tie.
  size_t p = pos_;
  size_t n = source_.size();
  TokenKind kind = TokenKind::kInteger;
  while (p < n && IsDigit(source_[p])) ++p;
  if (p < n && source_[p] == '.') {
    kind = TokenKind::kDecimal;
    ++p;
    while (p < n && IsDigit(source_[p])) ++p;
  }
  if (p < n && (source_[p] == 'e' || source_[p] == 'E')) {
    size_t q = p + 1;
    if (q < n && (source_[q] == '+' || source_[q] == '-')) ++q;
    if (q < n && IsDigit(source_[q])) {
      while (q < n && IsDigit(source_[q])) ++q;
      p = q;
      kind = TokenKind::kDouble;
    }
  }
  size_t number_end = p;
  size_t word_end = pos_;
  if (IsDigit(source_[pos_])) {
    while (word_end < n && IsWordChar(source_[word_end])) ++word_end;
  }
  if (word_end > number_end) {
    Advance(word_end - pos_);
    return Make(TokenKind::kDigitIdentifier, start);
  }
  Advance(number_end - pos_);
  return Make(kind, start);
}

Token Lexer::LexQuoted(const SourceLocation& start, TokenKind kind, char quote, size_t prefix,
                       std::string* error) {
  Advance(prefix + 1);
  while (pos_ < source_.size()) {
    if (source_[pos_] == quote) {
      if (pos_ + 1 < source_.size() && source_[pos_ + 1] == quote) {
        Advance(2);
        continue;
      }
      AdvanceByte();
      if (kind != TokenKind::kString && kind != TokenKind::kUnicodeString &&
          pos_ - start.offset == 2) {
        SourceLocation at = start;
        at.length = 2;
        return Fail(at, "empty quoted identifier is not allowed", error);
      }
      return Make(kind, start);
    }
    AdvanceByte();
  }
  SourceLocation at = start;
  at.length = static_cast<uint32_t>(prefix + 1);
  switch (kind) {
    case TokenKind::kQuotedIdentifier:
      return Fail(at, "unterminated quoted identifier (missing closing \")", error);
    case TokenKind::kBacktickIdentifier:
      return Fail(at, "unterminated backquoted identifier (missing closing `)", error);
    default:
      return Fail(at, "unterminated string literal (missing closing ')", error);
  }
}

Token Lexer::LexDollarPlaceholder(const SourceLocation& start, std::string* error) {
  size_t p = pos_ + 1;
  size_t n = source_.size();
  bool braced = p < n && source_[p] == '{';
  if (braced) ++p;
  if (p < n && IsWordStart(source_[p])) {
    while (p < n && IsWordChar(source_[p])) ++p;
    if (!braced) {
      Advance(p - pos_);
      return Make(TokenKind::kPlaceholder, start);
    }
    if (p < n && source_[p] == '}') {
      Advance(p + 1 - pos_);
      return Make(TokenKind::kPlaceholder, start);
    }
  }
  SourceLocation at = start;
  at.length = 1;
  return Fail(at, "unexpected character '$' (placeholders are written $NAME or ${NAME})", error);
}

Token Lexer::LexOther(const SourceLocation& start, std::string* error) {
  char c = source_[pos_];
  char next = pos_ + 1 < source_.size() ? source_[pos_ + 1] : '\0';
  auto single = [&](TokenKind kind) {
    AdvanceByte();
    return Make(kind, start);
  };
  auto pair = [&](TokenKind kind) {
    Advance(2);
    return Make(kind, start);
  };
  switch (c) {
    case '(':
      return single(TokenKind::kLeftParen);
    case ')':
      return single(TokenKind::kRightParen);
    case '[':
      return single(TokenKind::kLeftBracket);
    case ']':
      return single(TokenKind::kRightBracket);
    case ',':
      return single(TokenKind::kComma);
    case '.':
      return single(TokenKind::kDot);
    case ';':
      return single(TokenKind::kSemicolon);
    case '+':
      return single(TokenKind::kPlus);
    case '*':
      return single(TokenKind::kStar);
    case '/':
      return single(TokenKind::kSlash);
    case '%':
      return single(TokenKind::kPercent);
    case '?':
      return single(TokenKind::kQuestion);
    case '=':
      return single(TokenKind::kEqual);
    case '-':
      return next == '>' ? pair(TokenKind::kArrow) : single(TokenKind::kMinus);
    case '<':
      if (next == '=') return pair(TokenKind::kLessEqual);
      if (next == '>') return pair(TokenKind::kNotEqual);
      return single(TokenKind::kLess);
    case '>':
      return next == '=' ? pair(TokenKind::kGreaterEqual) : single(TokenKind::kGreater);
    case '!':
      if (next == '=') return pair(TokenKind::kNotEqual);
      break;
    case '|':
      if (next == '|') return pair(TokenKind::kConcat);
      break;
    case ':':
      if (next == ':') return pair(TokenKind::kDoubleColon);
      if (IsWordStart(next)) {
        size_t p = pos_ + 1;
        while (p < source_.size() && IsWordChar(source_[p])) ++p;
        Advance(p - pos_);
        return Make(TokenKind::kParameter, start);
      }
      break;
    default:
      break;
  }
  uint32_t cp = 0;
  size_t len = Utf8SequenceAt(source_, pos_, &cp);
  SourceLocation at = start;
  at.length = static_cast<uint32_t>(len == 0 ? 1 : len);
  if (c == ':') {
    return Fail(at, "unexpected ':' (runbook parameters are written :name)", error);
  }
  return Fail(at, UnexpectedCharacter(source_, pos_), error);
}

size_t Lexer::MatchUuid(size_t pos) const {
  constexpr size_t kLength = 36;
  if (source_.size() - pos < kLength || !IsUuid(source_.substr(pos, kLength))) return 0;
  size_t end = pos + kLength;
  if (end < source_.size() && (IsWordChar(source_[end]) || source_[end] == '-')) return 0;
  return kLength;
}

size_t Lexer::MatchAnglePlaceholder(size_t pos) const {
  if (source_[pos] != '<') return 0;
  size_t p = pos + 1;
  if (p >= source_.size() || !(IsWordChar(source_[p]))) return 0;
  while (p < source_.size() && (IsWordChar(source_[p]) || source_[p] == ' ' || source_[p] == '-')) {
    ++p;
  }
  if (p >= source_.size() || source_[p] != '>') return 0;
  return p + 1 - pos;
}

bool IsUuid(std::string_view text) {
  static constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
  size_t p = 0;
  for (size_t g = 0; g < 5; ++g) {
    if (g > 0) {
      if (p >= text.size() || text[p] != '-') return false;
      ++p;
    }
    for (size_t i = 0; i < kGroups[g]; ++i, ++p) {
      if (p >= text.size() || !IsHexDigit(text[p])) return false;
    }
  }
  return p == text.size();
}

Status ValidateUtf8(std::string_view source) {
  for (size_t i = 0; i < source.size();) {
    if (static_cast<unsigned char>(source[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = Utf8SequenceAt(source, i, &cp);
    if (len == 0) {
      char detail[48];
      std::snprintf(detail, sizeof(detail), "invalid UTF-8 byte 0x%02X in query text",
                    static_cast<unsigned>(static_cast<unsigned char>(source[i])));
      SourceLocation at = LocationAtOffset(source, i);
      at.length = 1;
      return SyntaxError(source, at, detail);
    }
    i += len;
  }
  return Status::OK();
}

Result<std::vector<Token>> Tokenize(std::string_view source, LexMode mode) {
  TB_RETURN_IF_ERROR(ValidateUtf8(source));
  Lexer lexer(source);
  std::vector<Token> tokens;
  std::string error;
  while (true) {
    Token t = lexer.Next(mode, &error);
    if (t.kind == TokenKind::kError) return SyntaxError(source, t.location, error);
    tokens.push_back(t);
    if (t.kind == TokenKind::kEnd) return tokens;
  }
}

std::string DecodeQuoted(std::string_view raw, char quote, size_t prefix) {
  std::string out;
  if (raw.size() < prefix + 2) return out;
  std::string_view body = raw.substr(prefix + 1, raw.size() - prefix - 2);
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    out.push_back(body[i]);
    if (body[i] == quote && i + 1 < body.size() && body[i + 1] == quote) ++i;
  }
  return out;
}

bool DecodeUnicodeEscapes(std::string_view body, char escape, std::string* out,
                          std::string* error) {
  out->clear();
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != escape) {
      out->push_back(body[i]);
      continue;
    }
    if (i + 1 < body.size() && body[i + 1] == escape) {
      out->push_back(escape);
      ++i;
      continue;
    }
    size_t digits = 4;
    size_t p = i + 1;
    if (p < body.size() && body[p] == '+') {
      digits = 6;
      ++p;
    }
    uint32_t cp = 0;
    for (size_t k = 0; k < digits; ++k, ++p) {
      if (p >= body.size() || !IsHexDigit(body[p])) {
        *error = std::string("invalid Unicode escape: expected ") + (digits == 4 ? "4" : "6") +
                 " hex digits after '" + std::string(1, escape) + (digits == 6 ? "+" : "") + "'";
        return false;
      }
      cp = cp * 16 + static_cast<uint32_t>(HexDigitValue(body[p]));
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *error = "invalid Unicode escape: " + CodePointName(cp) + " is not a valid code point";
      return false;
    }
    AppendUtf8(out, static_cast<int32_t>(cp));
    i = p - 1;
  }
  return true;
}

}  // namespace trailbook::sql
