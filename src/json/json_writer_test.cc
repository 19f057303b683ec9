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
