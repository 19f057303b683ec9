// Every rejected input of the parser, with its exact message, location and caret.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/parser/parser.h"

namespace trailbook::sql {
namespace {

std::string ErrorOf(std::string_view sql) {
  Result<std::unique_ptr<Statement>> r = Parse(sql);
  EXPECT_FALSE(r.ok()) << sql;
  if (r.ok()) return "<parsed>";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().message();
  return r.status().message();
}

// Returns only the first line of the error (the snippet is checked elsewhere).
std::string HeadOf(std::string_view sql) {
  std::string message = ErrorOf(sql);
  return message.substr(0, message.find('\n'));
}

TEST(ParserErrorTest, MessageNamesLineColumnAndShowsCaret) {
  EXPECT_EQ(ErrorOf("SELECT a, b, FROM events"),
            "syntax error at 1:14: expected expression, got 'FROM'\n"
            "  SELECT a, b, FROM events\n"
            "               ^");
  EXPECT_EQ(ErrorOf("SELECT eventName,\n       count(*\nFROM events\nGROUP BY 1"),
            "syntax error at 3:1: expected ')' after '*', got 'FROM'\n"
            "  FROM events\n"
            "  ^");
  EXPECT_EQ(ErrorOf("SELECT *\r\nFROM events\r\nWHERE eventName = 'x' AND\r\n"),
            "syntax error at 3:26: expected expression, got end of input\n"
            "  WHERE eventName = 'x' AND\n"
            "                           ^");
  EXPECT_EQ(ErrorOf("SELECT (a + b FROM t"),
            "syntax error at 1:15: expected ')', got 'FROM'\n"
            "  SELECT (a + b FROM t\n"
            "                ^");
}

TEST(ParserErrorTest, OnlyQueriesAreAccepted) {
  for (std::string_view verb :
       {"INSERT INTO events VALUES (1)", "UPDATE events SET a = 1", "DELETE FROM events",
        "MERGE INTO t USING u ON true", "CREATE TABLE t (a int)", "DROP TABLE events",
        "ALTER TABLE t", "GRANT SELECT ON t TO u", "REVOKE ALL ON t FROM u", "SET SESSION x = 1",
        "CALL system.f()", "TRUNCATE TABLE t", "delete from events"}) {
    std::string word(verb.substr(0, verb.find(' ')));
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(HeadOf(verb),
              "only SELECT queries are supported: trailbook stores are read-only "
              "(got " +
                  word + " at 1:1)");
  }
  EXPECT_EQ(ErrorOf("  INSERT INTO t SELECT 1"),
            "only SELECT queries are supported: trailbook stores are read-only (got INSERT at "
            "1:3)\n"
            "    INSERT INTO t SELECT 1\n"
            "    ^");
  EXPECT_EQ(HeadOf("SHOW TABLES"), "only SELECT queries are supported (got SHOW at 1:1)");
  EXPECT_EQ(HeadOf("DESCRIBE events"), "only SELECT queries are supported (got DESCRIBE at 1:1)");
  EXPECT_EQ(HeadOf("explain SELECT 1"),
            "only SELECT queries are supported (got EXPLAIN at 1:1); use `trailbook query "
            "--explain` to see the plan");
  EXPECT_EQ(HeadOf("TABLE events"),
            "syntax error at 1:1: TABLE <name> is not supported; write SELECT * FROM <name>");
}

TEST(ParserErrorTest, OnlyOneStatement) {
  EXPECT_EQ(ErrorOf("SELECT 1; DROP TABLE events"),
            "only SELECT queries are supported: trailbook stores are read-only (got DROP at "
            "1:11)\n"
            "  SELECT 1; DROP TABLE events\n"
            "            ^");
  EXPECT_EQ(HeadOf("SELECT 1;\nSELECT 2"),
            "only one statement is allowed (found more after ';' at 2:1)");
  EXPECT_EQ(HeadOf("SELECT 1;;"), "only one statement is allowed (found more after ';' at 1:10)");
  EXPECT_EQ(HeadOf("SELECT 1 SELECT 2"),
            "syntax error at 1:10: expected end of query, got 'SELECT'");
}

TEST(ParserErrorTest, EmptyQuery) {
  for (std::string_view sql : {"", "   ", ";", "-- nothing\n", "/* */"}) {
    EXPECT_EQ(HeadOf(sql), "syntax error at 1:1: empty query; expected SELECT, WITH, VALUES or '('")
        << sql;
  }
}

TEST(ParserErrorTest, HintsForCommonMistakes) {
  EXPECT_EQ(ErrorOf("SELECT eventTime::date FROM events"),
            "syntax error at 1:17: '::' casts are not Trino SQL; write CAST(value AS type) or "
            "TRY_CAST(...)\n"
            "  SELECT eventTime::date FROM events\n"
            "                  ^");
  EXPECT_EQ(HeadOf("SELECT `eventName` FROM events"),
            "syntax error at 1:8: backquoted identifiers are not supported; use double quotes");
  EXPECT_EQ(HeadOf("SELECT * FROM `events`"),
            "syntax error at 1:15: backquoted identifiers are not supported; use double quotes "
            "(backquotes are accepted only around an event data store id or ARN)");
  EXPECT_EQ(HeadOf("SELECT 1st FROM t"),
            "syntax error at 1:8: identifiers must not start with a digit; surround the "
            "identifier with double quotes");
  EXPECT_EQ(HeadOf("SELECT * FROM t WHERE a = ?"),
            "syntax error at 1:27: positional parameters '?' are not supported; use named "
            "parameters (:name)");
  EXPECT_EQ(HeadOf("SELECT * FROM t WHERE a = $EDS_ID"),
            "syntax error at 1:27: placeholder '$EDS_ID' can only be used as a table name in "
            "FROM");
  EXPECT_EQ(HeadOf("SELECT * FROM events WHERE eventName = \xE2\x80\x98"
                   "x\xE2\x80\x99"),
            "syntax error at 1:40: unexpected character '\xE2\x80\x98' (U+2018); use straight "
            "single quotes (') around string literals");
  EXPECT_EQ(HeadOf("SELECT a AS from FROM t"),
            "syntax error at 1:13: expected column alias after AS, got 'from' (a reserved word; "
            "write \"from\" to use it as a name)");
  EXPECT_EQ(HeadOf("SELECT x IS TRUE"),
            "syntax error at 1:13: IS [NOT] TRUE is not supported; compare with = TRUE or use "
            "IS [NOT] DISTINCT FROM TRUE");
  EXPECT_EQ(HeadOf("SELECT * FROM t WHERE eventTime > now() - INTERVAL '7' DAYS"),
            "syntax error at 1:56: interval fields are singular: write DAY, not DAYS");
  EXPECT_EQ(HeadOf("SELECT * FROM t WHERE a = 1 = 2"),
            "syntax error at 1:29: '=' cannot follow a comparison or other predicate; use AND, "
            "OR or parentheses");
  EXPECT_EQ(HeadOf("SELECT a IS NULL IS NULL"),
            "syntax error at 1:18: 'IS' cannot follow a comparison or other predicate; use "
            "AND, OR or parentheses");
  EXPECT_EQ(HeadOf("SELECT a IS NULL + 1"),
            "syntax error at 1:18: '+' cannot follow a comparison or other predicate; use AND, "
            "OR or parentheses");
  EXPECT_EQ(HeadOf("SELECT x IN (1)[1]"),
            "syntax error at 1:16: '[' cannot follow a comparison or other predicate; use AND, "
            "OR or parentheses");
  EXPECT_EQ(HeadOf("SELECT x AT TIME ZONE 'UTC'[1]"),
            "syntax error at 1:28: '[' cannot apply to the expression before it; add "
            "parentheses");
  EXPECT_EQ(HeadOf("SELECT a = NOT b"),
            "syntax error at 1:12: expected a value here (put NOT and its operand in "
            "parentheses), got 'NOT'");
  EXPECT_EQ(HeadOf("SELECT x -> x + 1"),
            "syntax error at 1:10: lambda expressions are only allowed as function arguments");
  EXPECT_EQ(HeadOf("SELECT a.b(1)"),
            "syntax error at 1:8: qualified function names are not supported");
  EXPECT_EQ(HeadOf("SELECT f(x).* FROM t"),
            "syntax error at 1:13: '.*' is only allowed in the SELECT list");
  EXPECT_EQ(HeadOf("SELECT * FROM 'events'"),
            "syntax error at 1:15: a table name cannot be a string literal; write the event "
            "data store id bare or in double quotes");
  EXPECT_EQ(HeadOf("SELECT * FROM t WHERE x IN ()"),
            "syntax error at 1:25: IN needs at least one value");
  EXPECT_EQ(HeadOf("SELECT * FROM UNNEST()"),
            "syntax error at 1:15: UNNEST needs at least one argument");
  EXPECT_EQ(HeadOf("SELECT * FROM a JOIN b WHERE x"),
            "syntax error at 1:24: expected ON or USING after JOIN, got 'WHERE'");
  EXPECT_EQ(HeadOf("SELECT * FROM (a JOIN b ON p) AS x"),
            "syntax error at 1:34: an alias on a parenthesized join is not supported");
  EXPECT_EQ(HeadOf("SELECT * FROM ((SELECT 1) AS x) AS y"),
            "syntax error at 1:36: this relation already has an alias");
}

TEST(ParserErrorTest, UnsupportedSyntaxIsNamed) {
  EXPECT_EQ(HeadOf("SELECT a, count(*) FROM t GROUP BY ROLLUP (a)"),
            "syntax error at 1:36: ROLLUP grouping is not supported");
  EXPECT_EQ(HeadOf("SELECT a FROM t GROUP BY CUBE (a)"),
            "syntax error at 1:26: CUBE grouping is not supported");
  EXPECT_EQ(HeadOf("SELECT a FROM t GROUP BY GROUPING SETS ((a))"),
            "syntax error at 1:26: GROUPING SETS is not supported");
  EXPECT_EQ(HeadOf("SELECT a FROM t GROUP BY ALL a"),
            "syntax error at 1:26: GROUP BY ALL is not supported");
  EXPECT_EQ(HeadOf("WITH RECURSIVE t AS (SELECT 1) SELECT * FROM t"),
            "syntax error at 1:6: WITH RECURSIVE is not supported");
  EXPECT_EQ(HeadOf("SELECT * FROM t, LATERAL (SELECT 1)"),
            "syntax error at 1:18: LATERAL is not supported");
  EXPECT_EQ(HeadOf("SELECT * FROM a NATURAL JOIN b"),
            "syntax error at 1:17: NATURAL JOIN is not supported; use JOIN ... USING (...)");
  EXPECT_EQ(HeadOf("SELECT * FROM t TABLESAMPLE BERNOULLI (10)"),
            "syntax error at 1:17: TABLESAMPLE is not supported");
  EXPECT_EQ(HeadOf("SELECT json_value(x, 'lax $.a')"),
            "syntax error at 1:8: JSON_VALUE is not supported; use json_extract, "
            "json_extract_scalar or json_parse");
  EXPECT_EQ(HeadOf("SELECT listagg(x, ',') WITHIN GROUP (ORDER BY x)"),
            "syntax error at 1:8: LISTAGG is not supported; use array_join(array_agg(x), ',')");
  EXPECT_EQ(HeadOf("SELECT current_user"), "syntax error at 1:8: CURRENT_USER is not supported");
  EXPECT_EQ(HeadOf("SELECT * FROM t WHERE a = ANY (SELECT b FROM u)"),
            "syntax error at 1:27: quantified comparison ANY (subquery) is not supported; use "
            "IN (subquery) or EXISTS");
}

TEST(ParserErrorTest, LiteralErrors) {
  EXPECT_EQ(HeadOf("SELECT 123456789012345678901234567890123456789"),
            "syntax error at 1:8: integer literal is too large (more than 38 digits)");
  EXPECT_EQ(HeadOf("SELECT 1234567890123456789012345678901234567.89"),
            "syntax error at 1:8: decimal literal has more than 38 digits");
  EXPECT_EQ(HeadOf("SELECT 1e400"), "syntax error at 1:8: double literal is out of range");
  EXPECT_EQ(HeadOf("SELECT U&'\\12'"),
            "syntax error at 1:8: invalid Unicode escape: expected 4 hex digits after '\\'");
  EXPECT_EQ(HeadOf("SELECT U&'x' UESCAPE 'ab'"),
            "syntax error at 1:22: UESCAPE needs one character that is not a hex digit, '+', a "
            "quote or space");
  EXPECT_EQ(HeadOf("SELECT U&'x' UESCAPE 1"),
            "syntax error at 1:22: expected escape character string after UESCAPE, got '1'");
  EXPECT_EQ(HeadOf("SELECT INTERVAL '1' WEEK"),
            "syntax error at 1:21: expected interval field (YEAR, MONTH, DAY, HOUR, MINUTE or "
            "SECOND), got 'WEEK'");
  EXPECT_EQ(HeadOf("SELECT 'abc"),
            "syntax error at 1:8: unterminated string literal (missing closing ')");
  EXPECT_EQ(HeadOf("SELECT 1 /* open"), "syntax error at 1:10: unterminated /* comment");
  EXPECT_EQ(HeadOf("SELECT \"\" FROM t"),
            "syntax error at 1:8: empty quoted identifier is not allowed");
  EXPECT_EQ(HeadOf("SELECT 'a\xFF'"),
            "syntax error at 1:10: invalid UTF-8 byte 0xFF in query text");
}

TEST(ParserErrorTest, ClauseErrors) {
  EXPECT_EQ(HeadOf("SELECT a FROM t LIMIT -1"),
            "syntax error at 1:23: expected LIMIT row count (a non-negative integer or "
            ":parameter), got '-'");
  EXPECT_EQ(HeadOf("SELECT a FROM t LIMIT 'x'"),
            "syntax error at 1:23: expected LIMIT row count (a non-negative integer or "
            ":parameter), got string 'x'");
  EXPECT_EQ(HeadOf("SELECT a FROM t FETCH FIRST 3"),
            "syntax error at 1:30: expected ROWS, got end of input");
  EXPECT_EQ(HeadOf("SELECT a FROM t FETCH FIRST 3 ROWS"),
            "syntax error at 1:35: expected ONLY or WITH TIES, got end of input");
  EXPECT_EQ(HeadOf("SELECT a FROM t ORDER BY a NULLS NONE"),
            "syntax error at 1:34: expected FIRST or LAST after NULLS, got 'NONE'");
  EXPECT_EQ(HeadOf("SELECT a FROM t LIMIT 1 LIMIT 2"),
            "syntax error at 1:25: expected end of query, got 'LIMIT'");
  EXPECT_EQ(HeadOf("SELECT EXTRACT(fortnight FROM t)"),
            "syntax error at 1:16: expected EXTRACT field (YEAR, QUARTER, MONTH, WEEK, DAY, "
            "DAY_OF_WEEK, DAY_OF_YEAR, HOUR, MINUTE, SECOND, ...), got 'fortnight'");
  EXPECT_EQ(HeadOf("SELECT CASE END"), "syntax error at 1:13: expected WHEN, got 'END'");
  EXPECT_EQ(HeadOf("SELECT CASE WHEN a THEN b"),
            "syntax error at 1:26: expected WHEN, ELSE or END in CASE, got end of input");
  EXPECT_EQ(HeadOf("SELECT CAST(x AS)"), "syntax error at 1:17: expected type name, got ')'");
  EXPECT_EQ(HeadOf("SELECT CAST(x AS varchar(10)"),
            "syntax error at 1:29: expected ')' after the type, got end of input");
  EXPECT_EQ(HeadOf("SELECT count(*) OVER (PARTITION a)"),
            "syntax error at 1:33: expected BY, got 'a'");
  EXPECT_EQ(HeadOf("SELECT count(*) OVER (ROWS UNBOUNDED)"),
            "syntax error at 1:37: expected PRECEDING or FOLLOWING after UNBOUNDED, got ')'");
  EXPECT_EQ(HeadOf("SELECT lag(x) IGNORE NULLS FROM t"),
            "syntax error at 1:28: expected OVER after IGNORE NULLS, got 'FROM'");
  EXPECT_EQ(HeadOf("WITH t AS SELECT 1 SELECT 2"),
            "syntax error at 1:11: expected '(' before the WITH query, got 'SELECT'");
  EXPECT_EQ(HeadOf("SELECT a FROM"), "syntax error at 1:14: expected table name, got end of input");
  EXPECT_EQ(HeadOf("SELECT a FROM t WHERE"),
            "syntax error at 1:22: expected expression, got end of input");
  EXPECT_EQ(HeadOf("SELECT a FROM t GROUP a"), "syntax error at 1:23: expected BY, got 'a'");
}

TEST(ParserErrorTest, EveryOtherRejectedConstruct) {
  struct Case {
    std::string_view sql;
    std::string_view error;
  };
  for (
      const Case& c : std::vector<Case>{
          {"WITH t (SELECT 1) SELECT 1",
           "syntax error at 1:8: expected AS before the WITH query, got '('"},
          {"WITH t AS (SELECT 1 SELECT 2",
           "syntax error at 1:21: expected ')' after the WITH query, got 'SELECT'"},
          {"SELECT 1 UNION INSERT INTO t VALUES (1)",
           "only SELECT queries are supported: trailbook stores are read-only (got INSERT at "
           "1:16)"},
          {"SELECT 1 UNION 2",
           "syntax error at 1:16: expected SELECT, WITH, VALUES or '(', got '2'"},
          {"SELECT count(*) OVER w FROM t WINDOW w (PARTITION BY a)",
           "syntax error at 1:40: expected AS, got '('"},
          {"SELECT a FROM t FETCH 3 ROWS ONLY",
           "syntax error at 1:23: expected FIRST or NEXT after FETCH, got '3'"},
          {"SELECT * FROM t MATCH_RECOGNIZE (PATTERN (a))",
           "syntax error at 1:17: MATCH_RECOGNIZE is not supported"},
          {"SELECT * FROM a JOIN b USING (x y)",
           "syntax error at 1:33: expected ',' or ')', got 'y'"},
          {"SELECT * FROM (SELECT 1",
           "syntax error at 1:24: expected ')' after the subquery, got end of input"},
          {"SELECT * FROM UNNEST x", "syntax error at 1:22: expected '(' after UNNEST, got 'x'"},
          {"SELECT x AT 'UTC'", "syntax error at 1:13: expected TIME, got string 'UTC'"},
          {"SELECT x AT TIME ZONE y",
           "syntax error at 1:23: expected time zone string (such as 'UTC') or INTERVAL after AT "
           "TIME ZONE, got 'y'"},
          {"SELECT a.", "syntax error at 1:10: expected field name after '.', got end of input"},
          {"SELECT x IS 5",
           "syntax error at 1:13: expected NULL or DISTINCT FROM after IS, got '5'"},
          {"SELECT x IS DISTINCT y", "syntax error at 1:22: expected FROM, got 'y'"},
          {"SELECT x BETWEEN 1 OR 2", "syntax error at 1:20: expected AND, got 'OR'"},
          {"SELECT x IN 1", "syntax error at 1:13: expected '(' after IN, got '1'"},
          {"SELECT x IN (SELECT 1",
           "syntax error at 1:22: expected ')' after the IN subquery, got end of input"},
          {"SELECT ARRAY[1, 2",
           "syntax error at 1:18: expected ',' or ']' after array element, got end of input"},
          {"SELECT ROW()", "syntax error at 1:8: ROW needs at least one field"},
          {"SELECT normalize(x)", "syntax error at 1:8: NORMALIZE is not supported"},
          {"SELECT grouping(a) FROM t GROUP BY a",
           "syntax error at 1:8: GROUPING is not supported"},
          {"SELECT (1, 2", "syntax error at 1:13: expected ',' or ')', got end of input"},
          {"SELECT f(a b)",
           "syntax error at 1:12: expected ',' or ')' after function argument, got 'b'"},
          {"SELECT count(*) FILTER (WHERE x",
           "syntax error at 1:32: expected ')' after FILTER (WHERE ..., got end of input"},
          {"SELECT count(*) OVER 1",
           "syntax error at 1:22: expected window name or '(' after OVER, got '1'"},
          {"SELECT CAST x", "syntax error at 1:13: expected '(' after CAST, got 'x'"},
          {"SELECT CAST(x varchar)", "syntax error at 1:15: expected AS, got 'varchar'"},
          {"SELECT EXTRACT(hour x)", "syntax error at 1:21: expected FROM, got 'x'"},
          {"SELECT TRIM(BOTH 'x' y)", "syntax error at 1:22: expected FROM, got 'y'"},
          {"SELECT TRIM(x",
           "syntax error at 1:14: expected ')' after TRIM arguments, got end of input"},
          {"SELECT SUBSTRING(x FROM 1 FOR 2 3)",
           "syntax error at 1:33: expected ')' after SUBSTRING arguments, got '3'"},
          {"SELECT POSITION('a' IN x y)",
           "syntax error at 1:26: expected ')' after POSITION arguments, got 'y'"},
          {"SELECT CURRENT_TIMESTAMP(x)",
           "syntax error at 1:26: expected precision (an integer), got 'x'"},
          {"SELECT CURRENT_TIMESTAMP(99999999999999999999)",
           "syntax error at 1:26: precision is too large"},
          {"SELECT INTERVAL '1' YEAR TO WEEK",
           "syntax error at 1:29: expected interval field (YEAR, MONTH, DAY, HOUR, MINUTE or "
           "SECOND), got 'WEEK'"},
          {"SELECT count(*) OVER (ORDER BY a b)",
           "syntax error at 1:34: expected PARTITION BY, ORDER BY, ROWS, RANGE, GROUPS or ')' in "
           "window, got 'b'"},
          {"SELECT count(*) OVER (ROWS 3)",
           "syntax error at 1:29: expected PRECEDING or FOLLOWING after the frame offset, got ')'"},
          {"SELECT count(*) OVER (ROWS BETWEEN 1 PRECEDING 1 FOLLOWING)",
           "syntax error at 1:48: expected AND, got '1'"},
          {"SELECT CAST(x AS interval)",
           "syntax error at 1:26: expected interval field after INTERVAL (YEAR TO MONTH or DAY TO "
           "SECOND), got ')'"},
          {"SELECT CAST(x AS interval day to week)",
           "syntax error at 1:34: expected interval field after TO, got 'week'"},
          {"SELECT CAST(x AS timestamp(x))",
           "syntax error at 1:28: expected precision (an integer), got 'x'"},
          {"SELECT CAST(x AS timestamp(99999999999999999999))",
           "syntax error at 1:28: precision is too large"},
          {"SELECT CAST(x AS timestamp with time)", "syntax error at 1:37: expected ZONE, got ')'"},
          {"SELECT CAST(x AS array<varchar)", "syntax error at 1:31: expected '>', got ')'"},
          {"SELECT CAST(x AS map<varchar>)", "syntax error at 1:29: expected ',', got '>'"},
          {"SELECT CAST(x AS decimal(10, 2)",
           "syntax error at 1:32: expected ')' after the type, got end of input"},
          {"SELECT CAST(x AS varchar(99999999999999999999))",
           "syntax error at 1:26: type parameter is too large"},
          {"SELECT CAST(x AS row(a varchar)",
           "syntax error at 1:32: expected ')' after the type, got end of input"},
          {"SELECT * FROM t WHERE x = 1 AND",
           "syntax error at 1:32: expected expression, got end of input"},
          {"SELECT (SELECT 1 FROM t",
           "syntax error at 1:24: expected ')' after the subquery, got end of input"},
          {"SELECT EXISTS SELECT 1",
           "syntax error at 1:15: expected '(' after EXISTS, got 'SELECT'"},
          {"SELECT EXISTS (SELECT 1",
           "syntax error at 1:24: expected ')' after the EXISTS subquery, got end of input"},
          {"SELECT * FROM t, ", "syntax error at 1:17: expected table name, got end of input"},
          {"SELECT * FROM t e(a", "syntax error at 1:20: expected ',' or ')', got end of input"},
          {"SELECT a FROM t ORDER a", "syntax error at 1:23: expected BY, got 'a'"},
          {"SELECT * FROM t WHERE x < = 1",
           "syntax error at 1:25: operators are written without spaces: write '<=', not '< ='"},
      }) {
    EXPECT_EQ(HeadOf(c.sql), c.error) << c.sql;
  }
}

}  // namespace
}  // namespace trailbook::sql
