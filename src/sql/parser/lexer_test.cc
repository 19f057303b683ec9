#include "sql/parser/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailbook::sql {
namespace {

std::vector<Token> Lex(std::string_view sql, LexMode mode = LexMode::kDefault) {
  Result<std::vector<Token>> r = Tokenize(sql, mode);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : std::vector<Token>{};
}

std::vector<TokenKind> Kinds(std::string_view sql, LexMode mode = LexMode::kDefault) {
  std::vector<TokenKind> kinds;
  for (const Token& t : Lex(sql, mode)) kinds.push_back(t.kind);
  return kinds;
}

std::string LexError(std::string_view sql, LexMode mode = LexMode::kDefault) {
  Result<std::vector<Token>> r = Tokenize(sql, mode);
  EXPECT_FALSE(r.ok()) << sql;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

using K = TokenKind;

TEST(LexerTest, SimpleQuery) {
  std::vector<Token> t = Lex("SELECT eventName, count(*) FROM events WHERE x >= 10;");
  std::vector<K> expected = {K::kIdentifier, K::kIdentifier, K::kComma,      K::kIdentifier,
                             K::kLeftParen,  K::kStar,       K::kRightParen, K::kIdentifier,
                             K::kIdentifier, K::kIdentifier, K::kIdentifier, K::kGreaterEqual,
                             K::kInteger,    K::kSemicolon,  K::kEnd};
  ASSERT_EQ(t.size(), expected.size());
  for (size_t i = 0; i < t.size(); ++i) EXPECT_EQ(t[i].kind, expected[i]) << i;
  EXPECT_EQ(t[0].keyword, Keyword::kSelect);
  EXPECT_EQ(t[1].keyword, Keyword::kNone);
  EXPECT_EQ(t[1].text, "eventName");
  EXPECT_EQ(t[7].keyword, Keyword::kFrom);
  EXPECT_EQ(t[12].text, "10");
}

TEST(LexerTest, KeywordsAreCaseInsensitiveAndKnowWhichAreReserved) {
  EXPECT_EQ(LookupKeyword("select"), Keyword::kSelect);
  EXPECT_EQ(LookupKeyword("SeLeCt"), Keyword::kSelect);
  EXPECT_EQ(LookupKeyword("current_timestamp"), Keyword::kCurrentTimestamp);
  EXPECT_EQ(LookupKeyword("eventname"), Keyword::kNone);
  EXPECT_EQ(LookupKeyword(""), Keyword::kNone);
  EXPECT_EQ(LookupKeyword("current_timestampx"), Keyword::kNone);
  EXPECT_TRUE(IsReserved(Keyword::kSelect));
  EXPECT_TRUE(IsReserved(Keyword::kTrim));
  EXPECT_TRUE(IsReserved(Keyword::kUnnest));
  EXPECT_FALSE(IsReserved(Keyword::kLimit));
  EXPECT_FALSE(IsReserved(Keyword::kDay));
  EXPECT_FALSE(IsReserved(Keyword::kTimestamp));
  EXPECT_FALSE(IsReserved(Keyword::kNone));
  EXPECT_EQ(KeywordSpelling(Keyword::kTryCast), "TRY_CAST");
  EXPECT_EQ(KeywordSpelling(Keyword::kNone), "");
  EXPECT_TRUE(IsIntervalField(Keyword::kDay));
  EXPECT_FALSE(IsIntervalField(Keyword::kZone));
}

TEST(LexerTest, Numbers) {
  EXPECT_EQ(Kinds("1 123 .5 5. 1.50 1e3 1.5E-2 .5e+3"),
            (std::vector<K>{K::kInteger, K::kInteger, K::kDecimal, K::kDecimal, K::kDecimal,
                            K::kDouble, K::kDouble, K::kDouble, K::kEnd}));
  // A digit followed by letters is one "digit identifier" when that is the longer match.
  EXPECT_EQ(Kinds("123abc 1e5x 1_000"), (std::vector<K>{K::kDigitIdentifier, K::kDigitIdentifier,
                                                        K::kDigitIdentifier, K::kEnd}));
  // As in Trino's lexer, "1.5e" is the decimal 1.5 followed by the name e.
  std::vector<Token> t = Lex("1.5e");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].kind, K::kDecimal);
  EXPECT_EQ(t[0].text, "1.5");
  EXPECT_EQ(t[1].kind, K::kIdentifier);
  EXPECT_EQ(t[1].text, "e");
  // a.b is three tokens; a.5 is a name and a decimal.
  EXPECT_EQ(Kinds("a.b"), (std::vector<K>{K::kIdentifier, K::kDot, K::kIdentifier, K::kEnd}));
  EXPECT_EQ(Kinds("a.5"), (std::vector<K>{K::kIdentifier, K::kDecimal, K::kEnd}));
}

TEST(LexerTest, StringsAndQuotedIdentifiers) {
  std::vector<Token> t = Lex("'it''s' \"a\"\"b\" `c``d` U&'x\\0041' ''");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].kind, K::kString);
  EXPECT_EQ(DecodeQuoted(t[0].text, '\''), "it's");
  EXPECT_EQ(t[1].kind, K::kQuotedIdentifier);
  EXPECT_EQ(DecodeQuoted(t[1].text, '"'), "a\"b");
  EXPECT_EQ(t[2].kind, K::kBacktickIdentifier);
  EXPECT_EQ(DecodeQuoted(t[2].text, '`'), "c`d");
  EXPECT_EQ(t[3].kind, K::kUnicodeString);
  EXPECT_EQ(DecodeQuoted(t[3].text, '\'', 2), "x\\0041");
  EXPECT_EQ(t[4].kind, K::kString);
  EXPECT_EQ(DecodeQuoted(t[4].text, '\''), "");
  // Unicode in strings and quoted identifiers is kept as UTF-8.
  t = Lex("'héllo ☃' \"naïve\"");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(DecodeQuoted(t[0].text, '\''), "héllo ☃");
  EXPECT_EQ(DecodeQuoted(t[1].text, '"'), "naïve");
}

TEST(LexerTest, UnicodeEscapes) {
  std::string out;
  std::string error;
  EXPECT_TRUE(DecodeUnicodeEscapes("a\\0041\\+01F600\\\\z", '\\', &out, &error)) << error;
  EXPECT_EQ(out, "aA\xF0\x9F\x98\x80\\z");
  EXPECT_TRUE(DecodeUnicodeEscapes("#00e9", '#', &out, &error));
  EXPECT_EQ(out, "\xC3\xA9");
  EXPECT_FALSE(DecodeUnicodeEscapes("\\00G1", '\\', &out, &error));
  EXPECT_EQ(error, "invalid Unicode escape: expected 4 hex digits after '\\'");
  EXPECT_FALSE(DecodeUnicodeEscapes("\\+12", '\\', &out, &error));
  EXPECT_EQ(error, "invalid Unicode escape: expected 6 hex digits after '\\+'");
  EXPECT_FALSE(DecodeUnicodeEscapes("\\D800", '\\', &out, &error));
  EXPECT_EQ(error, "invalid Unicode escape: U+D800 is not a valid code point");
  EXPECT_FALSE(DecodeUnicodeEscapes("\\+110000", '\\', &out, &error));
}

TEST(LexerTest, OperatorsAndPunctuation) {
  EXPECT_EQ(Kinds("( ) [ ] , . ; + - * / % || = <> != < <= > >= -> :: ?"),
            (std::vector<K>{K::kLeftParen, K::kRightParen,  K::kLeftBracket, K::kRightBracket,
                            K::kComma,     K::kDot,         K::kSemicolon,   K::kPlus,
                            K::kMinus,     K::kStar,        K::kSlash,       K::kPercent,
                            K::kConcat,    K::kEqual,       K::kNotEqual,    K::kNotEqual,
                            K::kLess,      K::kLessEqual,   K::kGreater,     K::kGreaterEqual,
                            K::kArrow,     K::kDoubleColon, K::kQuestion,    K::kEnd}));
}

TEST(LexerTest, CommentsAndWhitespace) {
  std::vector<Token> t = Lex("SELECT -- comment\r\n  a /* block\n comment */ , b\t-- trailing");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[1].text, "a");
  EXPECT_EQ(t[1].location.line, 2u);
  EXPECT_EQ(t[1].location.column, 3u);
  EXPECT_EQ(t[2].kind, K::kComma);
  EXPECT_EQ(t[2].location.line, 3u);
  EXPECT_EQ(t[3].text, "b");
  // The end token sits just after the last real token, not after the trailing comment.
  EXPECT_EQ(t[4].kind, K::kEnd);
  EXPECT_EQ(t[4].location.line, 3u);
  EXPECT_EQ(t[4].location.offset, t[3].location.end());
  // "a - -b" is a minus and a minus; "a --b" is a comment.
  EXPECT_EQ(Kinds("a - -b"),
            (std::vector<K>{K::kIdentifier, K::kMinus, K::kMinus, K::kIdentifier, K::kEnd}));
  EXPECT_EQ(Kinds("a --b"), (std::vector<K>{K::kIdentifier, K::kEnd}));
}

TEST(LexerTest, LineAndColumnTracking) {
  // CRLF and lone CR end lines; columns count code points; a tab is one column.
  std::vector<Token> t = Lex("a\r\nb\rc\n\ty x");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].location.line, 1u);
  EXPECT_EQ(t[1].location.line, 2u);
  EXPECT_EQ(t[1].location.column, 1u);
  EXPECT_EQ(t[2].location.line, 3u);
  EXPECT_EQ(t[2].location.offset, 5u);
  EXPECT_EQ(t[3].location.line, 4u);
  EXPECT_EQ(t[3].location.column, 2u);
  EXPECT_EQ(t[4].location.column, 4u);
  t = Lex("'é☃' x");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].location.column, 6u);  // ' é ☃ ' space x
  EXPECT_EQ(t[1].location.offset, 8u);  // é is 2 bytes, ☃ is 3.
  t = Lex("\tx");
  EXPECT_EQ(t[0].location.column, 2u);
  // A multi-line string advances the line count.
  t = Lex("'a\nb' c");
  EXPECT_EQ(t[1].location.line, 2u);
  EXPECT_EQ(t[1].location.column, 4u);
}

TEST(LexerTest, ByteOrderMarkIsSkipped) {
  std::vector<Token> t = Lex("\xEF\xBB\xBFSELECT 1");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].keyword, Keyword::kSelect);
  EXPECT_EQ(t[0].location.column, 1u);
  EXPECT_EQ(t[0].location.offset, 3u);
}

TEST(LexerTest, ParametersAndPlaceholders) {
  std::vector<Token> t = Lex(":name :x_1 $EDS_ID ${EDS_ID}");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].kind, K::kParameter);
  EXPECT_EQ(t[0].text, ":name");
  EXPECT_EQ(t[1].text, ":x_1");
  EXPECT_EQ(t[2].kind, K::kPlaceholder);
  EXPECT_EQ(t[2].text, "$EDS_ID");
  EXPECT_EQ(t[3].kind, K::kPlaceholder);
  EXPECT_EQ(t[3].text, "${EDS_ID}");
}

TEST(LexerTest, TableNameModeRecognisesEventDataStoreIdsAndAnglePlaceholders) {
  constexpr std::string_view kUuid = "0123abcd-0000-1111-2222-333344445555";
  EXPECT_TRUE(IsUuid(kUuid));
  EXPECT_TRUE(IsUuid("0123ABCD-0000-1111-2222-333344445555"));
  EXPECT_FALSE(IsUuid("0123abcd-0000-1111-2222-33334444555"));
  EXPECT_FALSE(IsUuid("0123abcd-0000-1111-2222-333344445555a"));
  EXPECT_FALSE(IsUuid("0123abcg-0000-1111-2222-333344445555"));
  EXPECT_FALSE(IsUuid("0123abcd00000-1111-2222-333344445555"));
  std::vector<Token> t = Lex(kUuid, LexMode::kTableName);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].kind, K::kEventDataStoreId);
  EXPECT_EQ(t[0].text, kUuid);
  // Only the first token is lexed in table-name mode by the parser, but Tokenize applies the
  // mode throughout; in the default mode the same text is several tokens.
  EXPECT_GT(Lex(kUuid).size(), 2u);
  // Not a UUID: wrong group lengths or glued to more name characters.
  EXPECT_NE(Lex("0123abcd-0000-1111-2222-33334444555", LexMode::kTableName)[0].kind,
            K::kEventDataStoreId);
  EXPECT_NE(Lex("0123abcd-0000-1111-2222-333344445555x", LexMode::kTableName)[0].kind,
            K::kEventDataStoreId);

  t = Lex("<EDS ID> <eds-id> <event_data_store_ID>", LexMode::kTableName);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].kind, K::kPlaceholder);
  EXPECT_EQ(t[0].text, "<EDS ID>");
  EXPECT_EQ(t[1].text, "<eds-id>");
  EXPECT_EQ(t[2].text, "<event_data_store_ID>");
  // In the default mode '<' is the comparison operator.
  EXPECT_EQ(Lex("<EDS ID>")[0].kind, K::kLess);
}

TEST(LexerTest, ResetRelexesFromATokenStart) {
  std::string_view sql = "FROM 0123abcd-0000-1111-2222-333344445555 x";
  Lexer lexer(sql);
  std::string error;
  Token from = lexer.Next(LexMode::kDefault, &error);
  Token piece = lexer.Next(LexMode::kDefault, &error);
  EXPECT_EQ(piece.kind, K::kDigitIdentifier);
  lexer.Reset(piece.location);
  Token id = lexer.Next(LexMode::kTableName, &error);
  EXPECT_EQ(from.keyword, Keyword::kFrom);
  EXPECT_EQ(id.kind, K::kEventDataStoreId);
  EXPECT_EQ(lexer.Next(LexMode::kDefault, &error).text, "x");
}

TEST(LexerTest, Errors) {
  EXPECT_EQ(LexError("SELECT 'abc"),
            "syntax error at 1:8: unterminated string literal (missing closing ')\n"
            "  SELECT 'abc\n"
            "         ^");
  EXPECT_EQ(LexError("a \"b"),
            "syntax error at 1:3: unterminated quoted identifier (missing closing \")\n"
            "  a \"b\n"
            "    ^");
  EXPECT_EQ(LexError("`b"),
            "syntax error at 1:1: unterminated backquoted identifier (missing closing `)\n"
            "  `b\n"
            "  ^");
  EXPECT_EQ(LexError("a /* b\nc"),
            "syntax error at 1:3: unterminated /* comment\n"
            "  a /* b\n"
            "    ^");
  EXPECT_EQ(LexError("SELECT \"\" FROM t"),
            "syntax error at 1:8: empty quoted identifier is not allowed\n"
            "  SELECT \"\" FROM t\n"
            "         ^");
  EXPECT_EQ(LexError("a # b"),
            "syntax error at 1:3: unexpected character '#'\n"
            "  a # b\n"
            "    ^");
  EXPECT_EQ(LexError("a : b"),
            "syntax error at 1:3: unexpected ':' (runbook parameters are written :name)\n"
            "  a : b\n"
            "    ^");
  EXPECT_EQ(LexError("$ x"),
            "syntax error at 1:1: unexpected character '$' (placeholders are written $NAME or "
            "${NAME})\n"
            "  $ x\n"
            "  ^");
  EXPECT_EQ(LexError("${x"),
            "syntax error at 1:1: unexpected character '$' (placeholders are written $NAME or "
            "${NAME})\n"
            "  ${x\n"
            "  ^");
  EXPECT_EQ(LexError("a | b").substr(0, 42), "syntax error at 1:3: unexpected character ");
  EXPECT_EQ(LexError("x = \xE2\x80\x9C"
                     "a\xE2\x80\x9D"),
            "syntax error at 1:5: unexpected character '\xE2\x80\x9C' (U+201C); use straight "
            "double quotes (\") around quoted identifiers\n"
            "  x = \xE2\x80\x9C"
            "a\xE2\x80\x9D\n"
            "      ^");
  EXPECT_EQ(LexError("x\xC2\xA0y"),
            "syntax error at 1:2: unexpected character '\xC2\xA0' (U+00A0); this is a "
            "non-breaking space, use a regular space\n"
            "  x\xC2\xA0y\n"
            "   ^");
  EXPECT_EQ(LexError(std::string("a\x01") + "b"),
            "syntax error at 1:2: unexpected control character U+0001\n"
            "  a b\n"
            "   ^");
}

TEST(LexerTest, RejectsInvalidUtf8WithLocation) {
  EXPECT_EQ(LexError("SELECT 'ok'\nWHERE x = '\xFF'"),
            "syntax error at 2:12: invalid UTF-8 byte 0xFF in query text\n"
            "  WHERE x = '?'\n"
            "             ^");
  EXPECT_FALSE(ValidateUtf8("\xC0\x80").ok());          // Overlong NUL.
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80").ok());      // Surrogate.
  EXPECT_FALSE(ValidateUtf8("\xF4\x90\x80\x80").ok());  // Above U+10FFFF.
  EXPECT_FALSE(ValidateUtf8("\xE2\x98").ok());          // Truncated.
  EXPECT_TRUE(ValidateUtf8("\xF0\x9F\x98\x80 \xE2\x98\x83").ok());
}

}  // namespace
}  // namespace trailbook::sql
