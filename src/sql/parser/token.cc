#include "sql/parser/token.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace trailbook::sql {
namespace {

struct KeywordEntry {
  std::string_view spelling;  // Upper case.
  Keyword keyword;
  bool reserved;
};

// Sorted by spelling (checked at compile time below). The reserved words are Trino's list
// (https://trino.io/docs/current/language/reserved.html).
constexpr KeywordEntry kKeywords[] = {
    {"ALL", Keyword::kAll, false},
    {"ALTER", Keyword::kAlter, true},
    {"AND", Keyword::kAnd, true},
    {"ARRAY", Keyword::kArray, false},
    {"AS", Keyword::kAs, true},
    {"ASC", Keyword::kAsc, false},
    {"AT", Keyword::kAt, false},
    {"BETWEEN", Keyword::kBetween, true},
    {"BOTH", Keyword::kBoth, false},
    {"BY", Keyword::kBy, true},
    {"CASE", Keyword::kCase, true},
    {"CAST", Keyword::kCast, true},
    {"CONSTRAINT", Keyword::kConstraint, true},
    {"CREATE", Keyword::kCreate, true},
    {"CROSS", Keyword::kCross, true},
    {"CUBE", Keyword::kCube, true},
    {"CURRENT", Keyword::kCurrent, false},
    {"CURRENT_CATALOG", Keyword::kCurrentCatalog, true},
    {"CURRENT_DATE", Keyword::kCurrentDate, true},
    {"CURRENT_PATH", Keyword::kCurrentPath, true},
    {"CURRENT_ROLE", Keyword::kCurrentRole, true},
    {"CURRENT_SCHEMA", Keyword::kCurrentSchema, true},
    {"CURRENT_TIME", Keyword::kCurrentTime, true},
    {"CURRENT_TIMESTAMP", Keyword::kCurrentTimestamp, true},
    {"CURRENT_USER", Keyword::kCurrentUser, true},
    {"DAY", Keyword::kDay, false},
    {"DEALLOCATE", Keyword::kDeallocate, true},
    {"DELETE", Keyword::kDelete, true},
    {"DESC", Keyword::kDesc, false},
    {"DESCRIBE", Keyword::kDescribe, true},
    {"DISTINCT", Keyword::kDistinct, true},
    {"DOUBLE", Keyword::kDouble, false},
    {"DROP", Keyword::kDrop, true},
    {"ELSE", Keyword::kElse, true},
    {"END", Keyword::kEnd, true},
    {"ESCAPE", Keyword::kEscape, true},
    {"EXCEPT", Keyword::kExcept, true},
    {"EXECUTE", Keyword::kExecute, true},
    {"EXISTS", Keyword::kExists, true},
    {"EXTRACT", Keyword::kExtract, true},
    {"FALSE", Keyword::kFalse, true},
    {"FETCH", Keyword::kFetch, false},
    {"FILTER", Keyword::kFilter, false},
    {"FIRST", Keyword::kFirst, false},
    {"FOLLOWING", Keyword::kFollowing, false},
    {"FOR", Keyword::kFor, true},
    {"FROM", Keyword::kFrom, true},
    {"FULL", Keyword::kFull, true},
    {"GROUP", Keyword::kGroup, true},
    {"GROUPING", Keyword::kGrouping, true},
    {"GROUPS", Keyword::kGroups, false},
    {"HAVING", Keyword::kHaving, true},
    {"HOUR", Keyword::kHour, false},
    {"IGNORE", Keyword::kIgnore, false},
    {"IN", Keyword::kIn, true},
    {"INNER", Keyword::kInner, true},
    {"INSERT", Keyword::kInsert, true},
    {"INTERSECT", Keyword::kIntersect, true},
    {"INTERVAL", Keyword::kInterval, false},
    {"INTO", Keyword::kInto, true},
    {"IS", Keyword::kIs, true},
    {"JOIN", Keyword::kJoin, true},
    {"JSON_ARRAY", Keyword::kJsonArray, true},
    {"JSON_EXISTS", Keyword::kJsonExists, true},
    {"JSON_OBJECT", Keyword::kJsonObject, true},
    {"JSON_QUERY", Keyword::kJsonQuery, true},
    {"JSON_TABLE", Keyword::kJsonTable, true},
    {"JSON_VALUE", Keyword::kJsonValue, true},
    {"LAST", Keyword::kLast, false},
    {"LATERAL", Keyword::kLateral, false},
    {"LEADING", Keyword::kLeading, false},
    {"LEFT", Keyword::kLeft, true},
    {"LIKE", Keyword::kLike, true},
    {"LIMIT", Keyword::kLimit, false},
    {"LISTAGG", Keyword::kListagg, true},
    {"LOCALTIME", Keyword::kLocaltime, true},
    {"LOCALTIMESTAMP", Keyword::kLocaltimestamp, true},
    {"MATCH_RECOGNIZE", Keyword::kMatchRecognize, false},
    {"MINUTE", Keyword::kMinute, false},
    {"MONTH", Keyword::kMonth, false},
    {"NATURAL", Keyword::kNatural, true},
    {"NEXT", Keyword::kNext, false},
    {"NORMALIZE", Keyword::kNormalize, true},
    {"NOT", Keyword::kNot, true},
    {"NULL", Keyword::kNull, true},
    {"NULLS", Keyword::kNulls, false},
    {"OFFSET", Keyword::kOffset, false},
    {"ON", Keyword::kOn, true},
    {"ONLY", Keyword::kOnly, false},
    {"OR", Keyword::kOr, true},
    {"ORDER", Keyword::kOrder, true},
    {"ORDINALITY", Keyword::kOrdinality, false},
    {"OUTER", Keyword::kOuter, true},
    {"OVER", Keyword::kOver, false},
    {"PARTITION", Keyword::kPartition, false},
    {"POSITION", Keyword::kPosition, false},
    {"PRECEDING", Keyword::kPreceding, false},
    {"PRECISION", Keyword::kPrecision, false},
    {"PREPARE", Keyword::kPrepare, true},
    {"RANGE", Keyword::kRange, false},
    {"RECURSIVE", Keyword::kRecursive, true},
    {"RESPECT", Keyword::kRespect, false},
    {"RIGHT", Keyword::kRight, true},
    {"ROLLUP", Keyword::kRollup, true},
    {"ROW", Keyword::kRow, false},
    {"ROWS", Keyword::kRows, false},
    {"SECOND", Keyword::kSecond, false},
    {"SELECT", Keyword::kSelect, true},
    {"SETS", Keyword::kSets, false},
    {"SKIP", Keyword::kSkip, true},
    {"SUBSTRING", Keyword::kSubstring, false},
    {"TABLE", Keyword::kTable, true},
    {"TABLESAMPLE", Keyword::kTablesample, false},
    {"THEN", Keyword::kThen, true},
    {"TIES", Keyword::kTies, false},
    {"TIME", Keyword::kTime, false},
    {"TIMESTAMP", Keyword::kTimestamp, false},
    {"TO", Keyword::kTo, false},
    {"TRAILING", Keyword::kTrailing, false},
    {"TRIM", Keyword::kTrim, true},
    {"TRUE", Keyword::kTrue, true},
    {"TRY_CAST", Keyword::kTryCast, false},
    {"UESCAPE", Keyword::kUescape, true},
    {"UNBOUNDED", Keyword::kUnbounded, false},
    {"UNION", Keyword::kUnion, true},
    {"UNNEST", Keyword::kUnnest, true},
    {"USING", Keyword::kUsing, true},
    {"VALUES", Keyword::kValues, true},
    {"WHEN", Keyword::kWhen, true},
    {"WHERE", Keyword::kWhere, true},
    {"WINDOW", Keyword::kWindow, false},
    {"WITH", Keyword::kWith, true},
    {"WITHOUT", Keyword::kWithout, false},
    {"YEAR", Keyword::kYear, false},
    {"ZONE", Keyword::kZone, false},
};

constexpr size_t kKeywordCount = sizeof(kKeywords) / sizeof(kKeywords[0]);
constexpr size_t kMaxKeywordLength = 17;  // CURRENT_TIMESTAMP

constexpr bool KeywordTableIsValid() {
  for (size_t i = 0; i < kKeywordCount; ++i) {
    if (kKeywords[i].spelling.size() > kMaxKeywordLength) return false;
    if (i > 0 && !(kKeywords[i - 1].spelling < kKeywords[i].spelling)) return false;
  }
  return true;
}
static_assert(KeywordTableIsValid(), "kKeywords must be sorted and within kMaxKeywordLength");

// Index from Keyword to its table entry, built once at compile time.
struct KeywordIndex {
  std::array<int16_t, 256> entry{};
  constexpr KeywordIndex() {
    for (auto& e : entry) e = -1;
    for (size_t i = 0; i < kKeywordCount; ++i) {
      entry[static_cast<size_t>(kKeywords[i].keyword)] = static_cast<int16_t>(i);
    }
  }
};
constexpr KeywordIndex kKeywordIndex;

const KeywordEntry* EntryFor(Keyword keyword) {
  int16_t i = kKeywordIndex.entry[static_cast<size_t>(keyword)];
  return i < 0 ? nullptr : &kKeywords[i];
}

// For each first letter A-Z, the range of kKeywords entries starting with it, so a lookup
// (done for every word the lexer sees) compares against a handful of entries.
struct FirstLetterIndex {
  std::array<uint8_t, 27> begin{};  // begin[i]..begin[i + 1] for letter 'A' + i.
  constexpr FirstLetterIndex() {
    size_t e = 0;
    for (size_t letter = 0; letter <= 26; ++letter) {
      while (e < kKeywordCount && static_cast<size_t>(kKeywords[e].spelling[0] - 'A') < letter) ++e;
      begin[letter] = static_cast<uint8_t>(e);
    }
  }
};
constexpr FirstLetterIndex kFirstLetter;
static_assert(kKeywordCount < 256, "FirstLetterIndex stores entry indexes in uint8_t");

}  // namespace

Keyword LookupKeyword(std::string_view word) {
  if (word.empty() || word.size() > kMaxKeywordLength) return Keyword::kNone;
  char upper[kMaxKeywordLength];
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    upper[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  if (upper[0] < 'A' || upper[0] > 'Z') return Keyword::kNone;
  std::string_view key(upper, word.size());
  size_t letter = static_cast<size_t>(upper[0] - 'A');
  for (size_t i = kFirstLetter.begin[letter]; i < kFirstLetter.begin[letter + 1]; ++i) {
    if (kKeywords[i].spelling == key) return kKeywords[i].keyword;
  }
  return Keyword::kNone;
}

bool IsReserved(Keyword keyword) {
  const KeywordEntry* e = EntryFor(keyword);
  return e != nullptr && e->reserved;
}

std::string_view KeywordSpelling(Keyword keyword) {
  const KeywordEntry* e = EntryFor(keyword);
  return e == nullptr ? std::string_view() : e->spelling;
}

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kError:
      return "invalid token";
    case TokenKind::kIdentifier:
      return "identifier";
    case TokenKind::kQuotedIdentifier:
      return "quoted identifier";
    case TokenKind::kBacktickIdentifier:
      return "backquoted identifier";
    case TokenKind::kDigitIdentifier:
      return "identifier starting with a digit";
    case TokenKind::kString:
      return "string literal";
    case TokenKind::kUnicodeString:
      return "Unicode string literal";
    case TokenKind::kInteger:
      return "integer literal";
    case TokenKind::kDecimal:
      return "decimal literal";
    case TokenKind::kDouble:
      return "double literal";
    case TokenKind::kParameter:
      return "parameter";
    case TokenKind::kPlaceholder:
      return "placeholder";
    case TokenKind::kEventDataStoreId:
      return "event data store id";
    case TokenKind::kLeftParen:
      return "'('";
    case TokenKind::kRightParen:
      return "')'";
    case TokenKind::kLeftBracket:
      return "'['";
    case TokenKind::kRightBracket:
      return "']'";
    case TokenKind::kComma:
      return "','";
    case TokenKind::kDot:
      return "'.'";
    case TokenKind::kSemicolon:
      return "';'";
    case TokenKind::kPlus:
      return "'+'";
    case TokenKind::kMinus:
      return "'-'";
    case TokenKind::kStar:
      return "'*'";
    case TokenKind::kSlash:
      return "'/'";
    case TokenKind::kPercent:
      return "'%'";
    case TokenKind::kConcat:
      return "'||'";
    case TokenKind::kEqual:
      return "'='";
    case TokenKind::kNotEqual:
      return "'<>'";
    case TokenKind::kLess:
      return "'<'";
    case TokenKind::kLessEqual:
      return "'<='";
    case TokenKind::kGreater:
      return "'>'";
    case TokenKind::kGreaterEqual:
      return "'>='";
    case TokenKind::kArrow:
      return "'->'";
    case TokenKind::kDoubleColon:
      return "'::'";
    case TokenKind::kQuestion:
      return "'?'";
  }
  return "token";
}

}  // namespace trailbook::sql
