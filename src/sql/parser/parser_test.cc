#include "sql/parser/parser.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sql/parser/ast_printer.h"

namespace trailbook::sql {
namespace {

// Parses `sql`, failing the test on error, and checks the print/parse round trip.
std::unique_ptr<Statement> MustParse(std::string_view sql) {
  Result<std::unique_ptr<Statement>> r = Parse(sql);
  EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().message();
  if (!r.ok()) return nullptr;
  Status verified = Verify(**r);
  EXPECT_TRUE(verified.ok()) << sql << "\n" << verified.message();
  std::string printed = PrintStatement(**r);
  Result<std::unique_ptr<Statement>> again = Parse(printed);
  EXPECT_TRUE(again.ok()) << printed << "\n" << again.status().message();
  if (again.ok()) {
    EXPECT_TRUE(Equal(**r, **again)) << sql << "\nprinted: " << printed;
  }
  return std::move(r).value();
}

const SelectBody& SelectOf(const Statement& s) { return s.query->body->As<SelectBody>(); }

// Returns the first select item's expression of `sql`.
ExprPtr FirstItem(std::string_view sql) {
  std::unique_ptr<Statement> s = MustParse(sql);
  if (s == nullptr) return nullptr;
  return std::move(s->query->body->As<SelectBody>().items[0].expr);
}

// Returns the canonical print of the first select item of "SELECT <expr>".
std::string Canon(std::string_view expr) {
  ExprPtr e = FirstItem("SELECT " + std::string(expr));
  return e == nullptr ? "<error>" : PrintExpr(*e);
}

TEST(ParserTest, SelectItemsAndAliases) {
  auto s = MustParse("SELECT *, e.*, a.b.*, eventName, eventName AS en, count(*) n FROM events e");
  const SelectBody& select = SelectOf(*s);
  ASSERT_EQ(select.items.size(), 6u);
  EXPECT_EQ(select.items[0].kind, SelectItemKind::kAllColumns);
  EXPECT_TRUE(select.items[0].qualifier.empty());
  EXPECT_EQ(select.items[1].kind, SelectItemKind::kAllColumns);
  ASSERT_EQ(select.items[1].qualifier.size(), 1u);
  EXPECT_EQ(select.items[1].qualifier[0].name, "e");
  EXPECT_EQ(select.items[2].qualifier.size(), 2u);
  EXPECT_EQ(select.items[3].kind, SelectItemKind::kExpr);
  EXPECT_FALSE(select.items[3].alias.has_value());
  EXPECT_EQ(select.items[4].alias->name, "en");
  EXPECT_EQ(select.items[5].alias->name, "n");
  EXPECT_FALSE(select.distinct);
  EXPECT_TRUE(SelectOf(*MustParse("SELECT DISTINCT a FROM t")).distinct);
  EXPECT_FALSE(SelectOf(*MustParse("SELECT ALL a FROM t")).distinct);
  // Clause words that are not reserved still end the select list.
  EXPECT_FALSE(SelectOf(*MustParse("SELECT a LIMIT 1")).items[0].alias.has_value());
}

TEST(ParserTest, ColumnPathsKeepNamePartsAndSpelling) {
  ExprPtr e = FirstItem("SELECT userIdentity.sessionContext.sessionIssuer.arn");
  ASSERT_TRUE(e->Is<ColumnRef>());
  const auto& parts = e->As<ColumnRef>().parts;
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].name, "userIdentity");
  EXPECT_EQ(parts[3].name, "arn");
  EXPECT_TRUE(parts[0].Matches("USERIDENTITY"));
  EXPECT_FALSE(parts[0].Matches("userIdentit"));
  EXPECT_EQ(parts[0].Canonical(), "useridentity");

  e = FirstItem("SELECT \"eventName\", \"a\"\"b\"");
  ASSERT_TRUE(e->Is<ColumnRef>());
  EXPECT_TRUE(e->As<ColumnRef>().parts[0].quoted);
  EXPECT_EQ(e->As<ColumnRef>().parts[0].name, "eventName");
  // Parentheses do not split a path: (a).b is a.b.
  e = FirstItem("SELECT (tlsDetails).tlsVersion");
  ASSERT_TRUE(e->Is<ColumnRef>());
  EXPECT_EQ(e->As<ColumnRef>().parts.size(), 2u);
}

TEST(ParserTest, SubscriptsAndFieldAccess) {
  ExprPtr e = FirstItem("SELECT element_at(resources, 1).arn");
  ASSERT_TRUE(e->Is<FieldAccess>());
  EXPECT_EQ(e->As<FieldAccess>().field.name, "arn");
  EXPECT_TRUE(e->As<FieldAccess>().base->Is<FunctionCall>());

  e = FirstItem("SELECT requestParameters['bucketName']");
  ASSERT_TRUE(e->Is<Subscript>());
  EXPECT_TRUE(e->As<Subscript>().base->Is<ColumnRef>());
  EXPECT_EQ(e->As<Subscript>().index->As<StringLiteral>().value, "bucketName");

  e = FirstItem("SELECT resources[1].arn[2]");
  ASSERT_TRUE(e->Is<Subscript>());
  const auto& access = e->As<Subscript>().base->As<FieldAccess>();
  EXPECT_EQ(access.field.name, "arn");
  EXPECT_TRUE(access.base->Is<Subscript>());
}

TEST(ParserTest, TableNames) {
  auto table = [](std::string_view sql) -> TableName {
    auto s = MustParse(sql);
    if (s == nullptr) return {};
    TableName name = std::move(SelectOf(*s).from->As<TableRelation>().name);
    return name;
  };
  TableName t = table("SELECT * FROM events");
  EXPECT_EQ(t.kind, TableNameKind::kQualified);
  ASSERT_EQ(t.parts.size(), 1u);
  EXPECT_EQ(t.parts[0].name, "events");
  t = table("SELECT * FROM trailbook.\"Events\"");
  ASSERT_EQ(t.parts.size(), 2u);
  EXPECT_TRUE(t.parts[1].quoted);

  t = table("SELECT * FROM 0123abcd-0000-1111-2222-333344445555");
  EXPECT_EQ(t.kind, TableNameKind::kEventDataStore);
  EXPECT_EQ(t.text, "0123abcd-0000-1111-2222-333344445555");
  EXPECT_EQ(t.event_data_store_id, "0123abcd-0000-1111-2222-333344445555");
  t = table("SELECT * FROM \"0123ABCD-0000-1111-2222-333344445555\"");
  EXPECT_EQ(t.kind, TableNameKind::kEventDataStore);
  t = table("SELECT * FROM `0123abcd-0000-1111-2222-333344445555`");
  EXPECT_EQ(t.kind, TableNameKind::kEventDataStore);
  t = table(
      "SELECT * FROM \"arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/"
      "0123abcd-0000-1111-2222-333344445555\"");
  EXPECT_EQ(t.kind, TableNameKind::kEventDataStore);
  EXPECT_EQ(t.event_data_store_id, "0123abcd-0000-1111-2222-333344445555");
  EXPECT_EQ(t.text.substr(0, 4), "arn:");
  // A quoted name that is neither a UUID nor an EDS ARN is an ordinary name.
  t = table("SELECT * FROM \"arn:aws:s3:::bucket\"");
  EXPECT_EQ(t.kind, TableNameKind::kQualified);

  for (std::string_view placeholder : {"$EDS_ID", "${EDS_ID}", "<EDS ID>", "<eds-id>"}) {
    t = table("SELECT * FROM " + std::string(placeholder) + " WHERE x = 1");
    EXPECT_EQ(t.kind, TableNameKind::kPlaceholder) << placeholder;
    EXPECT_EQ(t.text, placeholder);
  }
  // Event data store ids work in joins and set operations too.
  auto s = MustParse(
      "SELECT eventID FROM 0123abcd-0000-1111-2222-333344445555 UNION SELECT eventID FROM "
      "89abcdef-0000-1111-2222-333344445555 JOIN <EDS ID> ON true");
  EXPECT_TRUE(s->query->body->Is<SetOperationBody>());
}

TEST(ParserTest, TableAliases) {
  auto s = MustParse("SELECT * FROM events AS e(a, b)");
  const auto& t = SelectOf(*s).from->As<TableRelation>();
  ASSERT_TRUE(t.alias.has_value());
  EXPECT_EQ(t.alias->name.name, "e");
  EXPECT_EQ(t.alias->columns.size(), 2u);
  s = MustParse("SELECT * FROM events e LIMIT 5");
  EXPECT_EQ(SelectOf(*s).from->As<TableRelation>().alias->name.name, "e");
  s = MustParse("SELECT * FROM events LIMIT 5");
  EXPECT_FALSE(SelectOf(*s).from->As<TableRelation>().alias.has_value());
  // An alias after a parenthesized table applies to the table.
  s = MustParse("SELECT * FROM (events) x");
  EXPECT_EQ(SelectOf(*s).from->As<TableRelation>().alias->name.name, "x");
}

TEST(ParserTest, Joins) {
  auto s = MustParse(
      "SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y, z) RIGHT JOIN d ON true "
      "FULL JOIN e ON false CROSS JOIN f INNER JOIN g ON 1 = 1");
  const Relation* r = SelectOf(*s).from.get();
  std::vector<JoinType> types;
  while (r->Is<JoinRelation>()) {
    types.push_back(r->As<JoinRelation>().type);
    EXPECT_TRUE(r->As<JoinRelation>().right->Is<TableRelation>());
    r = r->As<JoinRelation>().left.get();
  }
  EXPECT_EQ(types, (std::vector<JoinType>{JoinType::kInner, JoinType::kCross, JoinType::kFull,
                                          JoinType::kRight, JoinType::kLeft, JoinType::kInner}));
  const auto& left = SelectOf(*s)
                         .from->As<JoinRelation>()
                         .left->As<JoinRelation>()
                         .left->As<JoinRelation>()
                         .left->As<JoinRelation>()
                         .left->As<JoinRelation>();
  EXPECT_EQ(left.type, JoinType::kLeft);
  EXPECT_EQ(left.using_columns.size(), 2u);
  EXPECT_EQ(left.on, nullptr);

  // Commas bind more loosely than JOIN: a, b JOIN c ON p is a, (b JOIN c ON p).
  s = MustParse("SELECT * FROM a, b JOIN c ON p");
  const auto& implicit = SelectOf(*s).from->As<JoinRelation>();
  EXPECT_EQ(implicit.type, JoinType::kImplicit);
  EXPECT_TRUE(implicit.right->Is<JoinRelation>());

  s = MustParse("SELECT * FROM a JOIN (b JOIN c ON p) ON q");
  EXPECT_TRUE(SelectOf(*s).from->As<JoinRelation>().right->Is<JoinRelation>());
}

TEST(ParserTest, Unnest) {
  auto s = MustParse(
      "SELECT r.arn FROM events CROSS JOIN UNNEST(resources) WITH ORDINALITY AS r(res, i)");
  const auto& join = SelectOf(*s).from->As<JoinRelation>();
  EXPECT_EQ(join.type, JoinType::kCross);
  const auto& unnest = join.right->As<UnnestRelation>();
  EXPECT_EQ(unnest.args.size(), 1u);
  EXPECT_TRUE(unnest.with_ordinality);
  EXPECT_EQ(unnest.alias->name.name, "r");
  EXPECT_EQ(unnest.alias->columns.size(), 2u);
  s = MustParse("SELECT * FROM events, UNNEST(a, b) t");
  EXPECT_EQ(SelectOf(*s).from->As<JoinRelation>().right->As<UnnestRelation>().args.size(), 2u);
}

TEST(ParserTest, SubqueriesInFrom) {
  auto s = MustParse("SELECT x FROM (SELECT eventName AS x FROM events) AS t(x) WHERE x <> ''");
  const auto& sub = SelectOf(*s).from->As<SubqueryRelation>();
  EXPECT_TRUE(sub.query->body->Is<SelectBody>());
  EXPECT_EQ(sub.alias->columns.size(), 1u);
  s = MustParse("SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) u");
  EXPECT_TRUE(SelectOf(*s).from->As<SubqueryRelation>().query->body->Is<SetOperationBody>());
  s = MustParse("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)");
  const auto& values = SelectOf(*s).from->As<SubqueryRelation>().query->body->As<ValuesBody>();
  ASSERT_EQ(values.rows.size(), 2u);
  EXPECT_TRUE(values.rows[0]->Is<RowExpr>());
}

TEST(ParserTest, WithClause) {
  auto s = MustParse(
      "WITH logins (who, n) AS (SELECT a, count(*) FROM t GROUP BY a), top AS (SELECT * FROM "
      "logins) SELECT * FROM top");
  ASSERT_EQ(s->query->with.size(), 2u);
  EXPECT_EQ(s->query->with[0].name.name, "logins");
  EXPECT_EQ(s->query->with[0].columns.size(), 2u);
  EXPECT_TRUE(s->query->with[1].columns.empty());
}

TEST(ParserTest, SetOperationPrecedence) {
  // INTERSECT binds tighter than UNION and EXCEPT, which are left-associative.
  auto s = MustParse("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4");
  const auto& except = s->query->body->As<SetOperationBody>();
  EXPECT_EQ(except.op, SetOperator::kExcept);
  const auto& un = except.left->As<SetOperationBody>();
  EXPECT_EQ(un.op, SetOperator::kUnion);
  EXPECT_FALSE(un.all);
  EXPECT_EQ(un.right->As<SetOperationBody>().op, SetOperator::kIntersect);

  s = MustParse("SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3");
  const auto& outer = s->query->body->As<SetOperationBody>();
  EXPECT_FALSE(outer.all);
  EXPECT_TRUE(outer.left->As<SetOperationBody>().all);

  // Parenthesized operands keep their own ORDER BY and LIMIT; the outer ones apply to all.
  s = MustParse("(SELECT a FROM t ORDER BY a LIMIT 3) UNION (SELECT b FROM u) ORDER BY 1 LIMIT 5");
  const auto& set = s->query->body->As<SetOperationBody>();
  const Query& left = *set.left->As<NestedQueryBody>().query;
  EXPECT_EQ(left.order_by.size(), 1u);
  EXPECT_EQ(left.limit->As<IntegerLiteral>().value, 3);
  EXPECT_EQ(s->query->limit->As<IntegerLiteral>().value, 5);
  // Redundant parentheses around a whole query are dropped.
  s = MustParse("((SELECT 1))");
  EXPECT_TRUE(s->query->body->Is<SelectBody>());
}

TEST(ParserTest, OrderByLimitOffsetFetch) {
  auto s =
      MustParse("SELECT a, b FROM t ORDER BY 2 DESC NULLS FIRST, a ASC NULLS LAST, b LIMIT 10");
  const auto& order = s->query->order_by;
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0].expr->As<IntegerLiteral>().value, 2);
  EXPECT_TRUE(order[0].descending);
  EXPECT_EQ(order[0].nulls, NullOrdering::kFirst);
  EXPECT_FALSE(order[1].descending);
  EXPECT_EQ(order[1].nulls, NullOrdering::kLast);
  EXPECT_EQ(order[2].nulls, NullOrdering::kUnspecified);
  EXPECT_EQ(s->query->limit->As<IntegerLiteral>().value, 10);

  s = MustParse("SELECT a FROM t OFFSET 5 ROWS FETCH FIRST 3 ROWS ONLY");
  EXPECT_EQ(s->query->offset->As<IntegerLiteral>().value, 5);
  EXPECT_EQ(s->query->limit->As<IntegerLiteral>().value, 3);
  EXPECT_FALSE(s->query->limit_with_ties);
  s = MustParse("SELECT a FROM t ORDER BY a FETCH NEXT ROW WITH TIES");
  EXPECT_EQ(s->query->limit->As<IntegerLiteral>().value, 1);
  EXPECT_TRUE(s->query->limit_with_ties);
  s = MustParse("SELECT a FROM t LIMIT 10 OFFSET 20");  // Accepted in either order.
  EXPECT_EQ(s->query->offset->As<IntegerLiteral>().value, 20);
  s = MustParse("SELECT a FROM t LIMIT ALL");
  EXPECT_EQ(s->query->limit, nullptr);
  s = MustParse("SELECT a FROM t LIMIT :max_rows");
  EXPECT_EQ(s->query->limit->As<Parameter>().name, "max_rows");
}

TEST(ParserTest, GroupByHavingWindowClause) {
  auto s = MustParse(
      "SELECT date(eventTime), count(*) FROM events GROUP BY date(eventTime), 2 HAVING count(*) "
      "> 10 WINDOW w AS (PARTITION BY a ORDER BY b), w2 AS (w ROWS 3 PRECEDING)");
  const SelectBody& select = SelectOf(*s);
  ASSERT_EQ(select.group_by.size(), 2u);
  EXPECT_EQ(select.group_by[0]->As<FunctionCall>().name.name, "date");
  EXPECT_TRUE(select.having->Is<BinaryExpr>());
  ASSERT_EQ(select.windows.size(), 2u);
  EXPECT_EQ(select.windows[1].spec.existing_window->name, "w");
  EXPECT_EQ(select.windows[1].spec.frame->start.kind, FrameBoundKind::kPreceding);
  // GROUP BY on the same expression as the select list compares Equal.
  EXPECT_TRUE(Equal(*select.items[0].expr, *select.group_by[0]));
}

TEST(ParserTest, ExpressionPrecedence) {
  EXPECT_EQ(Canon("a OR b AND c"), "a OR b AND c");
  ExprPtr e = FirstItem("SELECT a OR b AND c");
  ASSERT_TRUE(e->Is<LogicalExpr>());
  EXPECT_EQ(e->As<LogicalExpr>().op, LogicalOp::kOr);
  EXPECT_EQ(e->As<LogicalExpr>().terms[1]->As<LogicalExpr>().op, LogicalOp::kAnd);

  EXPECT_EQ(Canon("(a OR b) AND c"), "(a OR b) AND c");
  EXPECT_EQ(Canon("NOT a = b"), "NOT a = b");
  e = FirstItem("SELECT NOT a = b");
  EXPECT_TRUE(e->As<UnaryExpr>().operand->Is<BinaryExpr>());
  e = FirstItem("SELECT NOT a AND b");
  EXPECT_TRUE(e->Is<LogicalExpr>());

  e = FirstItem("SELECT a + b * c - d");
  const auto& sub = e->As<BinaryExpr>();
  EXPECT_EQ(sub.op, BinaryOp::kSubtract);
  EXPECT_EQ(sub.left->As<BinaryExpr>().op, BinaryOp::kAdd);
  EXPECT_EQ(sub.left->As<BinaryExpr>().right->As<BinaryExpr>().op, BinaryOp::kMultiply);

  // || binds more loosely than +; unary minus tighter than *.
  e = FirstItem("SELECT a || b + c");
  EXPECT_EQ(e->As<BinaryExpr>().op, BinaryOp::kConcat);
  e = FirstItem("SELECT -a * b");
  EXPECT_EQ(e->As<BinaryExpr>().op, BinaryOp::kMultiply);
  EXPECT_TRUE(e->As<BinaryExpr>().left->Is<UnaryExpr>());
  EXPECT_EQ(Canon("a - (b - c)"), "a - (b - c)");
  EXPECT_EQ(Canon("(a - b) - c"), "a - b - c");
  EXPECT_EQ(Canon("- -a"), "-(-a)");
  EXPECT_EQ(Canon("a - -1"), "a - -1");
  EXPECT_EQ(Canon("(a = b) = c"), "(a = b) = c");
  EXPECT_EQ(Canon("a = (b IS NULL)"), "a = (b IS NULL)");
  EXPECT_EQ(Canon("(a + b)[1]"), "(a + b)[1]");
}

TEST(ParserTest, AndOrChainsAreFlattened) {
  ExprPtr e = FirstItem("SELECT a AND b AND (c AND d) AND e");
  ASSERT_TRUE(e->Is<LogicalExpr>());
  EXPECT_EQ(e->As<LogicalExpr>().terms.size(), 5u);
  e = FirstItem("SELECT a OR (b OR c)");
  EXPECT_EQ(e->As<LogicalExpr>().terms.size(), 3u);
  e = FirstItem("SELECT a OR b AND c OR d");
  EXPECT_EQ(e->As<LogicalExpr>().terms.size(), 3u);
}

TEST(ParserTest, Predicates) {
  ExprPtr e = FirstItem("SELECT eventTime NOT BETWEEN '2026-01-01' AND '2026-02-01' AND x");
  const auto& between = e->As<LogicalExpr>().terms[0]->As<BetweenExpr>();
  EXPECT_TRUE(between.negated);
  EXPECT_EQ(between.high->As<StringLiteral>().value, "2026-02-01");

  e = FirstItem("SELECT awsRegion IN ('us-east-1', 'us-west-2')");
  EXPECT_EQ(e->As<InListExpr>().list.size(), 2u);
  EXPECT_FALSE(e->As<InListExpr>().negated);
  e = FirstItem("SELECT x NOT IN (SELECT y FROM t)");
  EXPECT_TRUE(e->As<InSubqueryExpr>().negated);
  e = FirstItem("SELECT x IN ((SELECT 1) UNION (SELECT 2))");
  EXPECT_TRUE(e->Is<InSubqueryExpr>());
  e = FirstItem("SELECT x IN ((SELECT 1), 2)");
  EXPECT_EQ(e->As<InListExpr>().list.size(), 2u);

  e = FirstItem("SELECT userAgent NOT LIKE '%aws-cli\\_%' ESCAPE '\\'");
  EXPECT_TRUE(e->As<LikeExpr>().negated);
  EXPECT_EQ(e->As<LikeExpr>().escape->As<StringLiteral>().value, "\\");

  e = FirstItem("SELECT errorCode IS NOT NULL");
  EXPECT_TRUE(e->As<IsNullExpr>().negated);
  e = FirstItem("SELECT a IS DISTINCT FROM b");
  EXPECT_EQ(e->As<BinaryExpr>().op, BinaryOp::kIsDistinctFrom);
  e = FirstItem("SELECT a IS NOT DISTINCT FROM b");
  EXPECT_EQ(e->As<BinaryExpr>().op, BinaryOp::kIsNotDistinctFrom);
  e = FirstItem("SELECT a != b");
  EXPECT_EQ(e->As<BinaryExpr>().op, BinaryOp::kNotEqual);
  EXPECT_EQ(Canon("a != b"), "a <> b");
  e = FirstItem("SELECT EXISTS (SELECT 1 FROM t)");
  EXPECT_TRUE(e->Is<ExistsExpr>());
}

TEST(ParserTest, Literals) {
  EXPECT_EQ(FirstItem("SELECT 42")->As<IntegerLiteral>().value, 42);
  EXPECT_EQ(FirstItem("SELECT 9223372036854775807")->As<IntegerLiteral>().value,
            9223372036854775807);
  // Beyond int64 an integer literal is a DECIMAL, as in Trino.
  EXPECT_EQ(FirstItem("SELECT 9223372036854775808")->As<DecimalLiteral>().text,
            "9223372036854775808");
  EXPECT_EQ(FirstItem("SELECT 1.50")->As<DecimalLiteral>().text, "1.50");
  EXPECT_EQ(FirstItem("SELECT .5")->As<DecimalLiteral>().text, ".5");
  EXPECT_DOUBLE_EQ(FirstItem("SELECT 1.5E3")->As<DoubleLiteral>().value, 1500.0);
  EXPECT_EQ(FirstItem("SELECT 1.5E3")->As<DoubleLiteral>().text, "1.5E3");
  EXPECT_EQ(FirstItem("SELECT 1e-400")->As<DoubleLiteral>().value, 0.0);  // Underflow.
  EXPECT_EQ(FirstItem("SELECT 'it''s'")->As<StringLiteral>().value, "it's");
  EXPECT_EQ(FirstItem("SELECT U&'caf\\00E9'")->As<StringLiteral>().value, "café");
  EXPECT_EQ(FirstItem("SELECT U&'caf#00E9' UESCAPE '#'")->As<StringLiteral>().value, "café");
  EXPECT_EQ(FirstItem("SELECT 'multi\nline'")->As<StringLiteral>().value, "multi\nline");
  EXPECT_TRUE(FirstItem("SELECT TRUE")->As<BooleanLiteral>().value);
  EXPECT_FALSE(FirstItem("SELECT false")->As<BooleanLiteral>().value);
  EXPECT_TRUE(FirstItem("SELECT NULL")->Is<NullLiteral>());

  ExprPtr e = FirstItem("SELECT TIMESTAMP '2026-01-01 00:00:00.000'");
  EXPECT_TRUE(e->As<TypedLiteral>().type.Matches("timestamp"));
  EXPECT_EQ(e->As<TypedLiteral>().value, "2026-01-01 00:00:00.000");
  e = FirstItem("SELECT date '2026-01-01'");
  EXPECT_TRUE(e->As<TypedLiteral>().type.Matches("DATE"));

  e = FirstItem("SELECT INTERVAL '7' DAY");
  EXPECT_EQ(e->As<IntervalLiteral>().value, "7");
  EXPECT_EQ(e->As<IntervalLiteral>().start, IntervalField::kDay);
  EXPECT_FALSE(e->As<IntervalLiteral>().end.has_value());
  e = FirstItem("SELECT INTERVAL -'1-2' YEAR TO MONTH");
  EXPECT_TRUE(e->As<IntervalLiteral>().negative);
  EXPECT_EQ(*e->As<IntervalLiteral>().end, IntervalField::kMonth);
  for (std::string_view field : {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"}) {
    e = FirstItem("SELECT INTERVAL '1' " + std::string(field));
    EXPECT_EQ(IntervalFieldName(e->As<IntervalLiteral>().start), field);
  }

  EXPECT_EQ(FirstItem("SELECT ARRAY[1, 2, 3]")->As<ArrayExpr>().elements.size(), 3u);
  EXPECT_TRUE(FirstItem("SELECT ARRAY[]")->As<ArrayExpr>().elements.empty());
  EXPECT_EQ(FirstItem("SELECT ROW(1, 'a')")->As<RowExpr>().fields.size(), 2u);
  EXPECT_EQ(FirstItem("SELECT (1, 'a', NULL)")->As<RowExpr>().fields.size(), 3u);
  // A name that is also a type keyword stays a column when no string follows.
  EXPECT_TRUE(FirstItem("SELECT timestamp")->Is<ColumnRef>());
  EXPECT_TRUE(FirstItem("SELECT date(eventTime)")->Is<FunctionCall>());
}

TEST(ParserTest, FunctionCalls) {
  ExprPtr e = FirstItem("SELECT count(*)");
  EXPECT_TRUE(e->As<FunctionCall>().star);
  EXPECT_TRUE(e->As<FunctionCall>().args.empty());
  e = FirstItem("SELECT count(DISTINCT userIdentity.arn) FILTER (WHERE errorCode IS NULL)");
  EXPECT_TRUE(e->As<FunctionCall>().distinct);
  EXPECT_TRUE(e->As<FunctionCall>().filter->Is<IsNullExpr>());
  e = FirstItem("SELECT array_agg(eventName ORDER BY eventTime DESC)");
  EXPECT_EQ(e->As<FunctionCall>().order_by.size(), 1u);
  EXPECT_TRUE(e->As<FunctionCall>().order_by[0].descending);
  e = FirstItem("SELECT now()");
  EXPECT_TRUE(e->As<FunctionCall>().args.empty());
  EXPECT_FALSE(e->As<FunctionCall>().star);
  e = FirstItem("SELECT json_extract_scalar(responseElements, '$.assumedRoleUser.arn')");
  EXPECT_EQ(e->As<FunctionCall>().args.size(), 2u);
  // FILTER is still an ordinary function name: filter(array, lambda).
  e = FirstItem("SELECT filter(ARRAY[1, 2], x -> x > 1)");
  EXPECT_EQ(e->As<FunctionCall>().name.name, "filter");
  EXPECT_TRUE(e->As<FunctionCall>().args[1]->Is<LambdaExpr>());
}

TEST(ParserTest, WindowFunctions) {
  ExprPtr e = FirstItem(
      "SELECT rank() OVER (PARTITION BY eventSource, awsRegion ORDER BY count(*) DESC RANGE "
      "BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
  const auto& over = *e->As<FunctionCall>().over;
  EXPECT_EQ(over.partition_by.size(), 2u);
  EXPECT_EQ(over.order_by.size(), 1u);
  ASSERT_TRUE(over.frame.has_value());
  EXPECT_EQ(over.frame->unit, FrameUnit::kRange);
  EXPECT_EQ(over.frame->start.kind, FrameBoundKind::kUnboundedPreceding);
  EXPECT_EQ(over.frame->end->kind, FrameBoundKind::kCurrentRow);

  e = FirstItem("SELECT sum(n) OVER (ORDER BY d ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)");
  const auto& frame = *e->As<FunctionCall>().over->frame;
  EXPECT_EQ(frame.start.offset->As<IntegerLiteral>().value, 2);
  EXPECT_EQ(frame.end->kind, FrameBoundKind::kFollowing);
  e = FirstItem("SELECT row_number() OVER w");
  EXPECT_EQ(e->As<FunctionCall>().over->existing_window->name, "w");
  e = FirstItem("SELECT lag(x) IGNORE NULLS OVER (ORDER BY t)");
  EXPECT_EQ(e->As<FunctionCall>().null_treatment, NullTreatment::kIgnoreNulls);
  e = FirstItem("SELECT count(*) OVER ()");
  EXPECT_NE(e->As<FunctionCall>().over, nullptr);
}

TEST(ParserTest, Lambdas) {
  ExprPtr e = FirstItem("SELECT transform(resources, r -> r.arn)");
  const auto& lambda = e->As<FunctionCall>().args[1]->As<LambdaExpr>();
  ASSERT_EQ(lambda.params.size(), 1u);
  EXPECT_EQ(lambda.params[0].name, "r");
  EXPECT_TRUE(lambda.body->Is<ColumnRef>());
  e = FirstItem("SELECT reduce(a, 0, (s, x) -> s + x, s -> s)");
  EXPECT_EQ(e->As<FunctionCall>().args[2]->As<LambdaExpr>().params.size(), 2u);
  e = FirstItem("SELECT f(() -> 1)");
  EXPECT_TRUE(e->As<FunctionCall>().args[0]->As<LambdaExpr>().params.empty());
  // A parenthesized row is not a lambda.
  e = FirstItem("SELECT f((a, b))");
  EXPECT_TRUE(e->As<FunctionCall>().args[0]->Is<RowExpr>());
}

TEST(ParserTest, CastsAndTypes) {
  struct Case {
    std::string_view sql_type;
    std::string_view printed;
  };
  for (const Case& c : std::vector<Case>{
           {"varchar", "varchar"},
           {"VARCHAR(10)", "varchar(10)"},
           {"bigint", "bigint"},
           {"integer", "integer"},
           {"double", "double"},
           {"double precision", "double"},
           {"boolean", "boolean"},
           {"timestamp", "timestamp"},
           {"timestamp(3)", "timestamp(3)"},
           {"timestamp(6) with time zone", "timestamp(6) with time zone"},
           {"timestamp without time zone", "timestamp"},
           {"time with time zone", "time with time zone"},
           {"date", "date"},
           {"json", "json"},
           {"array(varchar)", "array(varchar)"},
           {"array<varchar>", "array(varchar)"},
           {"map(varchar, varchar)", "map(varchar, varchar)"},
           {"map<varchar, array<bigint>>", "map(varchar, array(bigint))"},
           {"row(a varchar, b bigint)", "row(a varchar, b bigint)"},
           {"row(varchar, double precision, c interval day to second)",
            "row(varchar, double, c interval day to second)"},
           {"decimal(10, 2)", "decimal(10, 2)"},
           {"interval year to month", "interval year to month"},
           {"\"varchar\"", "varchar"},
       }) {
    ExprPtr e = FirstItem("SELECT CAST(x AS " + std::string(c.sql_type) + ")");
    ASSERT_NE(e, nullptr) << c.sql_type;
    EXPECT_FALSE(e->As<CastExpr>().try_cast);
    EXPECT_EQ(PrintType(e->As<CastExpr>().type), c.printed) << c.sql_type;
  }
  ExprPtr e = FirstItem("SELECT TRY_CAST(json_parse(x) AS map(varchar, json))");
  EXPECT_TRUE(e->As<CastExpr>().try_cast);
  const TypeName& map = e->As<CastExpr>().type;
  EXPECT_EQ(map.name, "map");
  ASSERT_EQ(map.parameters.size(), 2u);
  EXPECT_EQ(map.parameters[1].type->name, "json");
  e = FirstItem("SELECT CAST(x AS row(a varchar))");
  EXPECT_EQ(e->As<CastExpr>().type.parameters[0].field_name->name, "a");
}

TEST(ParserTest, CaseExpressions) {
  ExprPtr e = FirstItem("SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END");
  EXPECT_EQ(e->As<CaseExpr>().operand, nullptr);
  EXPECT_EQ(e->As<CaseExpr>().whens.size(), 2u);
  EXPECT_NE(e->As<CaseExpr>().else_result, nullptr);
  e = FirstItem("SELECT CASE eventName WHEN 'A' THEN 1 END");
  EXPECT_TRUE(e->As<CaseExpr>().operand->Is<ColumnRef>());
  EXPECT_EQ(e->As<CaseExpr>().else_result, nullptr);
}

TEST(ParserTest, ScalarSubqueries) {
  ExprPtr e = FirstItem("SELECT (SELECT max(eventTime) FROM events)");
  EXPECT_TRUE(e->Is<ScalarSubquery>());
  e = FirstItem("SELECT ((SELECT max(eventTime) FROM events) - INTERVAL '1' HOUR)");
  EXPECT_EQ(e->As<BinaryExpr>().op, BinaryOp::kSubtract);
  EXPECT_TRUE(e->As<BinaryExpr>().left->Is<ScalarSubquery>());
  e = FirstItem("SELECT ((SELECT 1) UNION (SELECT 2))");
  EXPECT_TRUE(e->As<ScalarSubquery>().query->body->Is<SetOperationBody>());
  e = FirstItem("SELECT ((SELECT 1))");
  EXPECT_TRUE(e->As<ScalarSubquery>().query->body->Is<SelectBody>());
}

TEST(ParserTest, SpecialSyntaxDesugarsToCalls) {
  EXPECT_EQ(Canon("EXTRACT(hour FROM eventTime)"), "hour(eventTime)");
  EXPECT_EQ(Canon("extract(DAY_OF_WEEK FROM eventTime)"), "DAY_OF_WEEK(eventTime)");
  EXPECT_EQ(Canon("SUBSTRING(x FROM 2 FOR 3)"), "SUBSTRING(x, 2, 3)");
  EXPECT_EQ(Canon("substring(x, 2)"), "substring(x, 2)");
  EXPECT_EQ(Canon("POSITION('.' IN x)"), "strpos(x, '.')");
  EXPECT_EQ(Canon("position(a, b)"), "position(a, b)");
  EXPECT_EQ(Canon("TRIM(x)"), "trim(x)");
  EXPECT_EQ(Canon("TRIM(BOTH 'x' FROM y)"), "trim(y, 'x')");
  EXPECT_EQ(Canon("trim(LEADING FROM y)"), "ltrim(y)");
  EXPECT_EQ(Canon("trim(TRAILING '/' FROM y)"), "rtrim(y, '/')");
  EXPECT_EQ(Canon("trim(' ' FROM y)"), "trim(y, ' ')");
  EXPECT_EQ(Canon("trim(y, 'ab')"), "trim(y, 'ab')");
}

TEST(ParserTest, CurrentTimeAndTimeZones) {
  ExprPtr e = FirstItem("SELECT current_timestamp");
  EXPECT_EQ(e->As<CurrentTimeExpr>().function, CurrentTimeFunction::kCurrentTimestamp);
  EXPECT_FALSE(e->As<CurrentTimeExpr>().precision.has_value());
  e = FirstItem("SELECT CURRENT_TIMESTAMP(3)");
  EXPECT_EQ(*e->As<CurrentTimeExpr>().precision, 3);
  EXPECT_EQ(FirstItem("SELECT current_date")->As<CurrentTimeExpr>().function,
            CurrentTimeFunction::kCurrentDate);
  EXPECT_EQ(FirstItem("SELECT localtimestamp")->As<CurrentTimeExpr>().function,
            CurrentTimeFunction::kLocalTimestamp);
  e = FirstItem("SELECT eventTime AT TIME ZONE 'America/New_York'");
  EXPECT_EQ(e->As<AtTimeZoneExpr>().zone->As<StringLiteral>().value, "America/New_York");
  e = FirstItem("SELECT -x AT TIME ZONE INTERVAL '1' HOUR");
  EXPECT_TRUE(e->As<UnaryExpr>().operand->Is<AtTimeZoneExpr>());
}

TEST(ParserTest, Parameters) {
  auto s = MustParse(
      "SELECT * FROM events WHERE userIdentity.arn = :principal AND eventTime > :since AND "
      "eventName IN (SELECT n FROM t WHERE k = :principal) LIMIT :limit");
  std::vector<std::string> names;
  VisitAllExpressions(*s, [&](const Expr& e) {
    if (e.Is<Parameter>()) names.push_back(e.As<Parameter>().name);
  });
  EXPECT_EQ(names, (std::vector<std::string>{"principal", "since", "principal", "limit"}));
}

TEST(ParserTest, SourceLocations) {
  std::string_view sql = "SELECT eventName,\n       count(*) + 1 AS n\nFROM events";
  auto s = MustParse(sql);
  const SelectBody& select = SelectOf(*s);
  const SourceLocation& name = select.items[0].expr->location;
  EXPECT_EQ(name.line, 1u);
  EXPECT_EQ(name.column, 8u);
  EXPECT_EQ(sql.substr(name.offset, name.length), "eventName");
  const auto& plus = select.items[1].expr->As<BinaryExpr>();
  EXPECT_EQ(plus.location.line, 2u);
  EXPECT_EQ(plus.location.column, 8u);
  EXPECT_EQ(sql.substr(plus.location.offset, plus.location.length), "count(*) + 1");
  EXPECT_EQ(plus.op_location.column, 17u);
  EXPECT_EQ(sql.substr(select.items[1].location.offset, select.items[1].location.length),
            "count(*) + 1 AS n");
  const auto& table = select.from->As<TableRelation>();
  EXPECT_EQ(table.location.line, 3u);
  EXPECT_EQ(table.location.column, 6u);
  EXPECT_EQ(s->query->location.offset, 0u);
  EXPECT_EQ(s->query->location.length, sql.size());
  // Every expression node has a known location.
  VisitAllExpressions(*s, [](const Expr& e) { EXPECT_TRUE(e.location.known()); });
}

TEST(ParserTest, TrailingSemicolonCommentsAndCrlf) {
  MustParse("SELECT 1;");
  MustParse("SELECT 1 ; -- done\n");
  MustParse("/* header */\r\nSELECT\r\n  eventName -- name\r\nFROM events\r\n;\r\n");
  MustParse("select EVENTNAME from EVENTS where EventName = 'X'");
}

TEST(ParserTest, ParseExpressionStandalone) {
  Result<ExprPtr> e = ParseExpression("eventName = 'ConsoleLogin' AND errorCode IS NULL");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_TRUE((*e)->Is<LogicalExpr>());
  Result<ExprPtr> bad = ParseExpression("a = 1;");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "syntax error at 1:6: expected end of expression, got ';'\n"
            "  a = 1;\n"
            "       ^");
}

TEST(ParserTest, ForEachChildStaysInScope) {
  ExprPtr e = FirstItem("SELECT f(a, b + c) FILTER (WHERE d) OVER (PARTITION BY p ORDER BY o)");
  std::vector<ExprKind> kinds;
  ForEachChild(*e, [&](const Expr& child) { kinds.push_back(child.kind); });
  EXPECT_EQ(kinds,
            (std::vector<ExprKind>{ExprKind::kColumnRef, ExprKind::kBinary, ExprKind::kColumnRef,
                                   ExprKind::kColumnRef, ExprKind::kColumnRef}));
  e = FirstItem("SELECT x IN (SELECT y FROM t)");
  kinds.clear();
  ForEachChild(*e, [&](const Expr& child) { kinds.push_back(child.kind); });
  EXPECT_EQ(kinds, (std::vector<ExprKind>{ExprKind::kColumnRef}));
}

TEST(ParserTest, VerifyReportsBrokenInvariants) {
  auto s = MustParse("SELECT a AND b, f(x) FROM t WHERE x > 1");
  ASSERT_TRUE(Verify(*s).ok());
  auto& select = s->query->body->As<SelectBody>();
  // A hand-built tree that breaks the rules is caught with a precise message.
  select.items[1].expr->As<FunctionCall>().args[0].reset();
  EXPECT_EQ(Verify(*s).message(), "AST invariant violated: FunctionCall argument is null");
  select.items[1].expr->As<FunctionCall>().args[0] = std::make_unique<NullLiteral>();
  EXPECT_EQ(Verify(*s).message(), "AST invariant violated: NullLiteral without a location");
  select.items[1].expr->As<FunctionCall>().args[0]->location = select.items[1].expr->location;
  select.items[0].expr->As<LogicalExpr>().terms.pop_back();
  EXPECT_EQ(Verify(*s).code(), StatusCode::kInternal);
  EXPECT_EQ(Verify(*s).message(), "AST invariant violated: LogicalExpr with fewer than two terms");
  select.items.clear();
  EXPECT_EQ(Verify(*s).message(), "AST invariant violated: SELECT without items");
  Statement empty;
  EXPECT_EQ(Verify(empty).message(), "AST invariant violated: Statement.query is null");
}

TEST(ParserTest, EqualDetectsDifferences) {
  auto a = MustParse("SELECT a FROM t WHERE x = 1");
  EXPECT_FALSE(Equal(*a, *MustParse("SELECT A FROM t WHERE x = 1")));
  EXPECT_FALSE(Equal(*a, *MustParse("SELECT \"a\" FROM t WHERE x = 1")));
  EXPECT_FALSE(Equal(*a, *MustParse("SELECT a FROM t WHERE x = 2")));
  EXPECT_FALSE(Equal(*a, *MustParse("SELECT a FROM t WHERE x <> 1")));
  EXPECT_FALSE(Equal(*a, *MustParse("SELECT a FROM u WHERE x = 1")));
  EXPECT_FALSE(Equal(*a, *MustParse("SELECT a FROM t")));
  EXPECT_TRUE(Equal(*a, *MustParse("select a\nfrom t where (x = 1)")));
}

// ---- Limits -----------------------------------------------------------------------------

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST(ParserTest, NestingDepthIsLimited) {
  std::string ok = "SELECT " + Repeat("(", 200) + "1" + Repeat(")", 200);
  EXPECT_TRUE(Parse(ok).ok());
  std::string deep = "SELECT " + Repeat("(", 100000) + "1" + Repeat(")", 100000);
  Result<std::unique_ptr<Statement>> r = Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message().substr(0, 43), "query is nested too deeply at 1:262 (the li");
  // The same for every recursive construct.
  for (const std::string& sql : {
           "SELECT " + Repeat("- ", 100000) + "1",
           "SELECT " + Repeat("NOT ", 100000) + "1",
           "SELECT " + Repeat("f(", 100000) + Repeat(")", 100000),
           "SELECT " + Repeat("ARRAY[", 100000) + Repeat("]", 100000),
           "SELECT " + Repeat("CASE WHEN ", 100000),
           "SELECT " + Repeat("(SELECT ", 100000),
           "SELECT * FROM " + Repeat("(SELECT * FROM ", 100000),
           "SELECT * FROM " + Repeat("(", 100000) + "t" + Repeat(")", 100000),
           "SELECT CAST(x AS " + Repeat("array(", 100000) + "int" + Repeat(")", 100000) + ")",
           "SELECT f(" + Repeat("x -> f(", 100000),
           "SELECT 1 " + Repeat("+ 1 ", 100000),
           "SELECT a" + Repeat("[1]", 100000),
           "SELECT f(x)" + Repeat(".a", 100000),
           "SELECT 1 " + Repeat("UNION SELECT 1 ", 100000),
           "SELECT * FROM t " + Repeat("CROSS JOIN t ", 100000),
           "SELECT * FROM t" + Repeat(", t", 100000),
           "WITH " + Repeat("a AS (WITH ", 100000),
       }) {
    Result<std::unique_ptr<Statement>> deep_r = Parse(sql);
    EXPECT_FALSE(deep_r.ok()) << sql.substr(0, 40);
  }
  ParseOptions shallow;
  shallow.max_depth = 8;
  EXPECT_EQ(Parse("SELECT ((((((((((1))))))))))", shallow).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(Parse("SELECT ((1))", shallow).ok());
}

TEST(ParserTest, LongOperatorChainsAreLimitedButAndOrListsAreNot) {
  EXPECT_TRUE(Parse("SELECT 1" + Repeat(" + 1", 200)).ok());
  EXPECT_EQ(Parse("SELECT 1" + Repeat(" + 1", 300)).status().code(),
            StatusCode::kResourceExhausted);
  // AND/OR lists are flat, so long filters stay within the limit and print back.
  std::string sql = "SELECT * FROM events WHERE eventName = 'x'" +
                    Repeat(" OR eventName = 'y' AND x IS NULL", 20000);
  auto s = MustParse(sql);
  EXPECT_EQ(SelectOf(*s).where->As<LogicalExpr>().terms.size(), 20001u);
  std::string in_list =
      "SELECT * FROM events WHERE eventName IN ('a'" + Repeat(", 'a'", 50000) + ")";
  EXPECT_TRUE(Parse(in_list).ok());
}

TEST(ParserTest, QuerySizeAndTokenCountAreLimited) {
  std::string big = "SELECT '" + std::string(1 << 20, 'x') + "'";
  Result<std::unique_ptr<Statement>> r = Parse(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(), "query text is 1048585 bytes; the limit is 1048576");

  ParseOptions few;
  few.max_tokens = 10;
  r = Parse("SELECT a, b, c, d, e, f FROM t", few);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(),
            "query has more than 10 tokens at 1:21\n"
            "  SELECT a, b, c, d, e, f FROM t\n"
            "                      ^");
  EXPECT_TRUE(Parse("SELECT a, b FROM t", few).ok());
  EXPECT_EQ(ParseExpression(std::string(100, 'x'), ParseOptions{50, 10, 8}).status().code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace trailbook::sql
