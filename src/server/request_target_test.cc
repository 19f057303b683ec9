#include "server/request_target.h"

#include <gtest/gtest.h>

namespace trailbook::server {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

TEST(RequestTargetTest, DecodesThePathAndTheQuery) {
  RequestTarget t;
  ASSERT_TRUE(ParseRequestTarget("/v1/runbooks/a%2Eb+c?limit=10&cursor=x%2By+z&flag&&=v", &t).ok());
  EXPECT_EQ(t.path, "/v1/runbooks/a.b+c");  // '+' is literal in a path.
  EXPECT_EQ(t.query, (Query{{"limit", "10"}, {"cursor", "x+y z"}, {"flag", ""}, {"", "v"}}));
}

TEST(RequestTargetTest, PlainPathHasNoQuery) {
  RequestTarget t;
  ASSERT_TRUE(ParseRequestTarget("/healthz", &t).ok());
  EXPECT_EQ(t.path, "/healthz");
  EXPECT_TRUE(t.query.empty());
  ASSERT_TRUE(ParseRequestTarget("/healthz?", &t).ok());
  EXPECT_EQ(t.path, "/healthz");
  EXPECT_TRUE(t.query.empty());
}

TEST(RequestTargetTest, RefusesTargetsThatAreNotPaths) {
  RequestTarget t;
  for (const char* bad : {"", "*", "http://example.com/healthz", "healthz"}) {
    Status s = ParseRequestTarget(bad, &t);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("starting with '/'"), std::string::npos) << s.message();
  }
}

TEST(RequestTargetTest, RefusesBadPercentEscapesNamingTheByte) {
  RequestTarget t;
  Status s = ParseRequestTarget("/v1/%zz", &t);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("bad percent escape at byte 4"), std::string::npos) << s.message();
  EXPECT_FALSE(ParseRequestTarget("/v1/%4", &t).ok());   // Truncated at the end.
  EXPECT_FALSE(ParseRequestTarget("/v1/%", &t).ok());
  s = ParseRequestTarget("/ok?a=%g1", &t);
  EXPECT_NE(s.message().find("at byte 6"), std::string::npos) << s.message();
  EXPECT_FALSE(ParseRequestTarget("/ok?%=1", &t).ok());
}

TEST(RequestTargetTest, RefusesControlCharactersInThePath) {
  RequestTarget t;
  Status s = ParseRequestTarget("/v1/a%00b", &t);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("control character in the path at byte 5"), std::string::npos)
      << s.message();
  EXPECT_FALSE(ParseRequestTarget("/v1/a%0Ab", &t).ok());
  EXPECT_FALSE(ParseRequestTarget("/v1/a%7f", &t).ok());
  // Query values may hold any byte; the handler validates parameters itself.
  ASSERT_TRUE(ParseRequestTarget("/v1?x=%0A", &t).ok());
  EXPECT_EQ(t.query, (Query{{"x", "\n"}}));
}

}  // namespace
}  // namespace trailbook::server
