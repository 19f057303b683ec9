// File: sql/parser/token.h
//
// Tokens of the CloudTrail Lake (Trino) SQL dialect and its keyword table. The lexer
// (lexer.h) produces them; the parser consumes them. Keywords are recognised case-insensitively;
// the reserved ones are exactly Trino's reserved words and cannot be used as unquoted names.
//
//   Keyword k = LookupKeyword("select");   // Keyword::kSelect
//   bool r = IsReserved(k);                 // true
#pragma once

#include <cstdint>
#include <string_view>

#include "sql/parser/source_location.h"

namespace trailbook::sql {

enum class TokenKind : uint8_t {
  kEnd,                 // End of input.
  kError,               // A lexical error; the message is kept by the lexer's caller.
  kIdentifier,          // Unquoted word: a name or a keyword (see Token::keyword).
  kQuotedIdentifier,    // "name" with "" escapes.
  kBacktickIdentifier,  // `name` (accepted only as a table name).
  kDigitIdentifier,     // 123abc: a word starting with a digit (always an error when used).
  kString,              // 'text' with '' escapes.
  kUnicodeString,       // U&'text' with \XXXX escapes.
  kInteger,             // 123
  kDecimal,             // 1.5, .5, 5.
  kDouble,              // 1e3, 1.5E-2
  kParameter,           // :name (runbook parameter).
  kPlaceholder,         // $EDS_ID, ${EDS_ID}, and <EDS ID> in table-name position.
  kEventDataStoreId,    // 0123abcd-0000-1111-2222-333344445555 in table-name position.
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kDot,
  kSemicolon,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kConcat,        // ||
  kEqual,         // =
  kNotEqual,      // <> or !=
  kLess,          // <
  kLessEqual,     // <=
  kGreater,       // >
  kGreaterEqual,  // >=
  kArrow,         // ->
  kDoubleColon,   // :: (not Trino; rejected with a hint)
  kQuestion,      // ? (positional parameter; rejected with a hint)
};

// Keywords the parser gives meaning to, plus every Trino reserved word.
enum class Keyword : uint8_t {
  kNone,
  kAll,
  kAlter,
  kAnd,
  kArray,
  kAs,
  kAsc,
  kAt,
  kBetween,
  kBoth,
  kBy,
  kCase,
  kCast,
  kConstraint,
  kCreate,
  kCross,
  kCube,
  kCurrent,
  kCurrentCatalog,
  kCurrentDate,
  kCurrentPath,
  kCurrentRole,
  kCurrentSchema,
  kCurrentTime,
  kCurrentTimestamp,
  kCurrentUser,
  kDeallocate,
  kDelete,
  kDescribe,
  kDesc,
  kDistinct,
  kDouble,
  kDrop,
  kElse,
  kEnd,
  kEscape,
  kExcept,
  kExecute,
  kExists,
  kExtract,
  kFalse,
  kFetch,
  kFilter,
  kFirst,
  kFollowing,
  kFor,
  kFrom,
  kFull,
  kGroup,
  kGrouping,
  kGroups,
  kHaving,
  kIgnore,
  kIn,
  kInner,
  kInsert,
  kIntersect,
  kInterval,
  kInto,
  kIs,
  kJoin,
  kJsonArray,
  kJsonExists,
  kJsonObject,
  kJsonQuery,
  kJsonTable,
  kJsonValue,
  kLast,
  kLateral,
  kLeading,
  kLeft,
  kLike,
  kLimit,
  kListagg,
  kLocaltime,
  kLocaltimestamp,
  kMatchRecognize,
  kNatural,
  kNext,
  kNormalize,
  kNot,
  kNull,
  kNulls,
  kOffset,
  kOn,
  kOnly,
  kOr,
  kOrder,
  kOrdinality,
  kOuter,
  kOver,
  kPartition,
  kPosition,
  kPreceding,
  kPrecision,
  kPrepare,
  kRange,
  kRecursive,
  kRespect,
  kRight,
  kRollup,
  kRow,
  kRows,
  kSelect,
  kSets,
  kSkip,
  kSubstring,
  kTable,
  kTablesample,
  kThen,
  kTies,
  kTime,
  kTimestamp,
  kTo,
  kTrailing,
  kTrim,
  kTrue,
  kTryCast,
  kUescape,
  kUnbounded,
  kUnion,
  kUnnest,
  kUsing,
  kValues,
  kWhen,
  kWhere,
  kWindow,
  kWith,
  kWithout,
  kZone,
  // Interval fields, kept together so IsIntervalField is a range check.
  kYear,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
};

// Returns the keyword spelled `word` (any case), or Keyword::kNone.
Keyword LookupKeyword(std::string_view word);

// Returns true for Trino's reserved words, which need double quotes to be used as names.
bool IsReserved(Keyword keyword);

// Returns the upper-case spelling of `keyword` ("" for kNone).
std::string_view KeywordSpelling(Keyword keyword);

// Returns true for YEAR, MONTH, DAY, HOUR, MINUTE and SECOND.
inline bool IsIntervalField(Keyword keyword) {
  return keyword >= Keyword::kYear && keyword <= Keyword::kSecond;
}

// One token. `text` is a view of the raw source (quotes and escapes included); decode
// literals with the functions in lexer.h.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  Keyword keyword = Keyword::kNone;  // Set for kIdentifier only.
  uint32_t error_index = 0;          // For kError: index of the message kept by the caller.
  std::string_view text;
  SourceLocation location;

  // Returns true for an unquoted word spelling `k`.
  bool Is(Keyword k) const { return kind == TokenKind::kIdentifier && keyword == k; }
  // Returns true for a name usable as an identifier: an unquoted non-reserved word or a
  // double-quoted identifier.
  bool IsName() const {
    return (kind == TokenKind::kIdentifier && !IsReserved(keyword)) ||
           kind == TokenKind::kQuotedIdentifier;
  }
};

// Returns a short human description of `kind` for messages ("string literal", "'('").
std::string_view TokenKindName(TokenKind kind);

}  // namespace trailbook::sql
