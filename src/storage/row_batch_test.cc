#include "storage/row_batch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailbook::storage {
namespace {

// Reads back every string column of `batch` row by row ("<null>" for NULL).
std::vector<std::string> Dump(const RowBatch& batch, const std::vector<int>& columns) {
  std::vector<std::string> out;
  for (size_t r = 0; r < batch.row_count(); ++r) {
    for (int c : columns) {
      std::optional<std::string_view> v = batch.string(c, r);
      out.push_back(v ? std::string(*v) : "<null>");
    }
  }
  return out;
}

TEST(RowBatchTest, DeferredStringsReadTheSameAsImmediateOnes) {
  const EventSchema& schema = EventSchema::Get();
  const int name = schema.ColumnByPath("eventName");   // interned
  const int region = schema.ColumnByPath("awsRegion");  // interned
  const int id = schema.ColumnByPath("eventID");        // raw
  const std::vector<int> columns = {name, region, id};
  RowBatch immediate, deferred;
  const char* names[] = {"GetObject", "GetObject", "PutObject", "", "GetObject"};
  for (int r = 0; r < 200; ++r) {
    std::string n = names[r % 5] + std::to_string(r % 7);
    std::string g = r % 3 == 0 ? "us-east-1" : "eu-west-" + std::to_string(r % 4);
    std::string e = "id-" + std::to_string(r);
    immediate.SetString(name, n);
    deferred.SetStringDeferred(name, n);
    if (r % 4 != 0) {  // NULL regions in between
      immediate.SetString(region, g);
      deferred.SetStringDeferred(region, g);
    }
    immediate.SetString(id, e);
    deferred.SetStringDeferred(id, e);
    deferred.ResolveDeferred();
    immediate.EndRow(static_cast<uint64_t>(r));
    deferred.EndRow(static_cast<uint64_t>(r));
  }
  EXPECT_EQ(Dump(deferred, columns), Dump(immediate, columns));
  EXPECT_EQ(deferred.interner(name).size(), immediate.interner(name).size());
  for (size_t r = 0; r < 200; ++r) {
    EXPECT_EQ(deferred.interned_id(region, r), immediate.interned_id(region, r)) << r;
  }
}

TEST(RowBatchTest, EndRowResolvesAndDiscardDropsDeferredValues) {
  const EventSchema& schema = EventSchema::Get();
  const int name = schema.ColumnByPath("eventName");
  RowBatch batch;
  batch.SetStringDeferred(name, "ConsoleLogin");
  batch.EndRow(1);  // resolves without an explicit ResolveDeferred
  batch.SetStringDeferred(name, "AssumeRole");
  batch.DiscardDeferred();  // a record rejected half-way
  batch.EndRow(2);
  batch.SetStringDeferred(name, "AssumeRole");
  batch.AbandonRow();  // drops the row's deferred values too
  batch.SetStringDeferred(name, "GetCallerIdentity");
  batch.EndRow(3);
  ASSERT_EQ(batch.row_count(), 3u);
  EXPECT_EQ(batch.string(name, 0), std::optional<std::string_view>("ConsoleLogin"));
  EXPECT_EQ(batch.string(name, 1), std::nullopt);
  EXPECT_EQ(batch.string(name, 2), std::optional<std::string_view>("GetCallerIdentity"));
  EXPECT_EQ(batch.interner(name).Find("AssumeRole"), 0u);
  batch.SetStringDeferred(name, "Leftover");
  batch.Clear();
  batch.SetStringDeferred(name, "After");
  batch.EndRow(4);
  ASSERT_EQ(batch.row_count(), 1u);
  EXPECT_EQ(batch.string(name, 0), std::optional<std::string_view>("After"));
  EXPECT_EQ(batch.interner(name).size(), 1u);
}

}  // namespace
}  // namespace trailbook::storage
