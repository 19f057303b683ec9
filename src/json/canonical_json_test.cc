#include "json/canonical_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

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

TEST(CanonicalJsonTest, SortsEveryNestingLevelIndependently) {
  // Sibling objects at several depths share the canonicaliser's member stack.
  EXPECT_EQ(Canon(R"({"b":{"z":{"q":1,"p":2},"y":[{"k":1,"j":{"n":0,"m":0}}]},"a":{"d":1,"c":2}})"),
            R"({"a":{"c":2,"d":1},"b":{"y":[{"j":{"m":0,"n":0},"k":1}],"z":{"p":2,"q":1}}})");
  // A duplicate key inside a nested object is found after its parent's members were stacked.
  Result<std::string> r = CanonicalizeJson(R"({"b":{"x":1,"y":{"k":1,"k":2}},"a":1})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate key: k"), std::string::npos);
}

// The string writer skips 8 bytes at a time; every byte value at every position of a
// string longer than two words must still be escaped exactly as the byte-wise rules say.
TEST(CanonicalJsonTest, EscapesEveryByteAtEveryPosition) {
  auto expected = [](const std::string& s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\b') out += "\\b";
      else if (c == '\t') out += "\\t";
      else if (c == '\n') out += "\\n";
      else if (c == '\f') out += "\\f";
      else if (c == '\r') out += "\\r";
      else if (c < 0x20) out += std::string("\\u00") + kHex[c >> 4] + kHex[c & 0xf];
      else out.push_back(ch);
    }
    return out + "\"";
  };
  for (size_t pos = 0; pos < 19; ++pos) {
    for (int b = 0; b < 256; ++b) {
      std::string s(19, 'x');
      s[pos] = static_cast<char>(b);
      std::string out;
      AppendCanonicalString(s, &out);
      ASSERT_EQ(out, expected(s)) << "byte " << b << " at " << pos;
    }
  }
  std::string out;
  AppendCanonicalString("", &out);
  EXPECT_EQ(out, "\"\"");
}

TEST(CanonicalJsonTest, AppendsAValueTheCallerParsed) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(std::string_view(R"({"b":[2,{"d":1,"c":"\u0001"}],"a":1})")).get(root),
            simdjson::SUCCESS);
  CanonicalJson canonical;
  std::string out = "prefix:";
  ASSERT_TRUE(canonical.AppendCanonical(root["b"].value_unsafe(), &out).ok());
  EXPECT_EQ(out, R"(prefix:[2,{"c":"\u0001","d":1}])");
  out.clear();
  ASSERT_TRUE(canonical.AppendCanonical(root, &out).ok());
  EXPECT_EQ(out, Canon(R"({"a":1,"b":[2,{"c":"\u0001","d":1}]})"));
}

}  // namespace
}  // namespace trailbook::json
