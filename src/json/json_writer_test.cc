#include "json/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace trailbook::json {
namespace {

TEST(JsonWriterTest, NestedStructure) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a");
  w.Int(-3);
  w.Key("b");
  w.BeginArray();
  w.Bool(true);
  w.Null();
  w.String("x");
  w.EndArray();
  w.Key("c");
  w.BeginObject();
  w.EndObject();
  w.Key("d");
  w.Raw("{\"r\":1}");
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a":-3,"b":[true,null,"x"],"c":{},"d":{"r":1}})");
}

TEST(JsonWriterTest, EscapesAndReplacesInvalidUtf8) {
  std::string out;
  AppendQuoted(&out, std::string_view("q\"\\\n\x01\xC3\xA9\xFF", 8));
  EXPECT_EQ(out, "\"q\\\"\\\\\\n\\u0001\xC3\xA9\xEF\xBF\xBD\"");
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.parse(out).error(), simdjson::SUCCESS);
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));
}

// AppendQuoted skips plain ASCII eight bytes at a time: a character needing attention is
// escaped (or, as invalid UTF-8, replaced) at every offset, including inside a word, across
// a word boundary and in the tail shorter than a word.
TEST(JsonWriterTest, EscapesAtEveryOffset) {
  struct Case {
    std::string_view in;
    std::string_view out;
  };
  const Case cases[] = {{"\"", "\\\""},     {"\\", "\\\\"},     {"\n", "\\n"},
                        {"\x01", "\\u0001"}, {"\x1f", "\\u001f"}, {"\x7f", "\x7f"},
                        {"\xC3\xA9", "\xC3\xA9"}, {"\xE2\x82\xAC", "\xE2\x82\xAC"},
                        {"\xFF", "\xEF\xBF\xBD"}, {"\xC3", "\xEF\xBF\xBD"}};
  for (const Case& c : cases) {
    for (size_t at = 0; at <= 20; ++at) {
      for (size_t len : {size_t{20}, size_t{23}, size_t{30}}) {
        std::string in(at, 'a');
        in.append(c.in);
        in.append(len - at, 'b');
        std::string want = "\"" + std::string(at, 'a') + std::string(c.out) +
                           std::string(len - at, 'b') + "\"";
        std::string out;
        AppendQuoted(&out, in);
        EXPECT_EQ(out, want) << "offset " << at << " length " << len;
      }
    }
  }
}

TEST(JsonWriterTest, DoublesRoundTripAndNonFiniteIsNull) {
  JsonWriter w;
  w.BeginArray();
  w.Double(0.1);
  w.Double(500.0);
  w.Double(1.0 / 0.0);
  w.EndArray();
  EXPECT_EQ(w.str(), "[0.1,500,null]");
}

TEST(JsonWriterTest, PrettyPrints) {
  JsonWriter w(true);
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.Int(1);
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(w.str(), "{\n  \"a\": [\n    1\n  ]\n}");
}

TEST(JsonWriterTest, PrettifyKeepsStringsAndNumbers) {
  EXPECT_EQ(Prettify(R"({"a":[1,2.50],"b":{},"c":"x,{:}\"y","d":[]})"),
            "{\n  \"a\": [\n    1,\n    2.50\n  ],\n  \"b\": {},\n  \"c\": \"x,{:}\\\"y\",\n"
            "  \"d\": []\n}");
}

}  // namespace
}  // namespace trailbook::json
