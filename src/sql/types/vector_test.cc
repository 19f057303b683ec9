#include "sql/types/vector.h"

#include <gtest/gtest.h>

#include "sql/types/data_chunk.h"

namespace trailbook::sql {
namespace {

TEST(VectorTest, FlatStringsAndNulls) {
  Vector v(LogicalType::Varchar());
  v.Resize(3);
  v.SetString(0, "a");
  v.SetNull(1);
  v.SetString(2, "ccc");
  EXPECT_FALSE(v.IsNull(0));
  EXPECT_TRUE(v.IsNull(1));
  EXPECT_EQ(v.Data<StringRef>()[2].view(), "ccc");
  EXPECT_TRUE(v.MayHaveNulls());
  EXPECT_EQ(v.GetValue(0), Value::Varchar("a"));
  EXPECT_TRUE(v.GetValue(1).is_null());
}

TEST(VectorTest, GatherKeepsSourceStringsAlive) {
  Vector out(LogicalType::Varchar());
  {
    Vector src(LogicalType::Varchar());
    src.Resize(4);
    for (int i = 0; i < 4; ++i) src.SetString(static_cast<size_t>(i), std::string(20, char('a' + i)));
    uint32_t sel[] = {3, 1};
    out.Gather(src, sel, 2);
  }
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(out.Data<StringRef>()[0].view(), std::string(20, 'd'));
  EXPECT_EQ(out.Data<StringRef>()[1].view(), std::string(20, 'b'));
}

TEST(VectorTest, DictionaryAndConstantFlatten) {
  auto dict = std::make_shared<Vector>(LogicalType::Varchar());
  dict->Resize(3);
  dict->SetNull(0);
  dict->SetString(1, "x");
  dict->SetString(2, "y");
  uint32_t codes[] = {2, 0, 1, 2};
  Vector v(LogicalType::Varchar());
  v.SetDictionary(dict, 7, codes, 4);
  EXPECT_EQ(v.mode(), VectorMode::kDictionary);
  EXPECT_TRUE(v.IsNull(1));
  EXPECT_EQ(v.GetValue(0), Value::Varchar("y"));
  v.Flatten();
  EXPECT_EQ(v.mode(), VectorMode::kFlat);
  EXPECT_EQ(v.Data<StringRef>()[2].view(), "x");
  EXPECT_TRUE(v.IsNull(1));

  Vector c(LogicalType::Bigint());
  c.SetConstant(Value::Bigint(42), 5);
  EXPECT_EQ(c.GetValue(4), Value::Bigint(42));
  c.Flatten();
  EXPECT_EQ(c.Data<int64_t>()[3], 42);
  Vector n(LogicalType::Bigint());
  n.SetConstant(Value::Null(LogicalType::Bigint()), 3);
  EXPECT_TRUE(n.IsNull(2));
}

TEST(VectorTest, ValueDisplay) {
  EXPECT_EQ(Value::Timestamp(1'600'044'263'000'000).ToString(), "2020-09-14 00:44:23.000");
  EXPECT_EQ(Value::Timestamp(1'600'044'263'000'123).ToString(), "2020-09-14 00:44:23.000123");
  EXPECT_EQ(Value::Date(18519).ToString(), "2020-09-14");
  EXPECT_EQ(Value::Double(1.5).ToString(), "1.5");
  EXPECT_EQ(Value::Boolean(true).ToString(), "true");
  EXPECT_EQ(Value::IntervalDayTime(90061001000).ToString(), "1 01:01:01.001");
  EXPECT_EQ(LogicalType::Map(LogicalType::Varchar(), LogicalType::Varchar()).ToString(),
            "map(varchar, varchar)");
}

TEST(VectorTest, ChunkInitialize) {
  DataChunk chunk;
  chunk.Initialize({LogicalType::Varchar(), LogicalType::Bigint()});
  chunk.ResizeAll(10);
  EXPECT_EQ(chunk.size, 10u);
  EXPECT_EQ(chunk.columns[1].size(), 10u);
}

}  // namespace
}  // namespace trailbook::sql
