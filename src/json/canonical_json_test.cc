#include "json/canonical_json.h"

#include <gtest/gtest.h>

namespace trailbook::json {
namespace {

std::string Canon(std::string_view json) {
  Result<std::string> r = CanonicalizeJson(json);
  EXPECT_TRUE(r.ok()) << json << ": " << r.status().ToString();
  return r.ok() ? *r : "";
}

TEST(CanonicalJsonTest, SortsKeysAndDropsWhitespace) {
  EXPECT_EQ(Canon(R"( { "b" : 1 , "a" : { "d" : [ 1 , 2 ] , "c" : null } } )"),
            R"({"a":{"c":null,"d":[1,2]},"b":1})");
}

TEST(CanonicalJsonTest, SortsKeysByCodePointNotByLength) {
  EXPECT_EQ(Canon(R"({"aa":1,"a":2,"B":3,"é":4})"), R"({"B":3,"a":2,"aa":1,"é":4})");
}

TEST(CanonicalJsonTest, NormalisesStringEscapes) {
  // The same value written with different escapes has one canonical form.
  EXPECT_EQ(Canon(R"(["\u0041\/\u00e9\n\u001f\"\\"])"), "[\"A/\xC3\xA9\\n\\u001f\\\"\\\\\"]");
  EXPECT_EQ(Canon("[\"\xC3\xA9\"]"), Canon(R"(["\u00e9"])"));
  EXPECT_EQ(Canon(R"(["\ud83d\ude00"])"), "[\"\xF0\x9F\x98\x80\"]");
}

TEST(CanonicalJsonTest, FormatsNumbers) {
  EXPECT_EQ(Canon("[0,-0,1.0,-2.50,1e3,12345678901234567890,-9223372036854775808,0.1,1e300]"),
            "[0,0,1,-2.5,1000,12345678901234567890,-9223372036854775808,0.1,1e+300]");
}

TEST(CanonicalJsonTest, KeepsLiterals) {
  EXPECT_EQ(Canon(R"({"t":true,"f":false,"n":null})"), R"({"f":false,"n":null,"t":true})");
}

TEST(CanonicalJsonTest, RejectsDuplicateKeys) {
  Result<std::string> r = CanonicalizeJson(R"({"a":1,"a":2})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("duplicate key: a"), std::string::npos);
}

TEST(CanonicalJsonTest, RejectsInvalidJson) {
  for (std::string_view bad : {"{", "[1,]", "{\"a\" 1}", "\"\xff\"", "", "nul", "1 2"}) {
    Result<std::string> r = CanonicalizeJson(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(CanonicalJsonTest, RejectsDeepNesting) {
  std::string deep(300, '[');
  deep.append(300, ']');
  EXPECT_FALSE(CanonicalizeJson(deep).ok());
  std::string ok(200, '[');
  ok.append(200, ']');
  EXPECT_EQ(Canon(ok), ok);
}

TEST(CanonicalJsonTest, IsIdempotent) {
  std::string once = Canon(R"({"z":[{"y":1.5,"x":"\t"}],"a":-1})");
  EXPECT_EQ(Canon(once), once);
}

TEST(CanonicalJsonTest, ReusesTheParserAcrossCalls) {
  CanonicalJson canonical;
  std::string out;
  ASSERT_TRUE(canonical.Canonicalize(R"({"b":2,"a":1})", &out).ok());
  EXPECT_EQ(out, R"({"a":1,"b":2})");
  ASSERT_TRUE(canonical.Canonicalize("[3]", &out).ok());
  EXPECT_EQ(out, "[3]");
  EXPECT_FALSE(canonical.Canonicalize("[", &out).ok());
}

}  // namespace
}  // namespace trailbook::json
