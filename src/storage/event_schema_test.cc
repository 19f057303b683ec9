#include "storage/event_schema.h"

#include <gtest/gtest.h>

#include <string>

namespace trailbook::storage {
namespace {

TEST(EventSchemaTest, FindChildFindsEveryFieldUnderItsOwnParentOnly) {
  const EventSchema& schema = EventSchema::Get();
  ASSERT_GT(schema.fields().size(), 50u);
  for (size_t i = 0; i < schema.fields().size(); ++i) {
    const SchemaField& f = schema.fields()[i];
    EXPECT_EQ(schema.FindChild(f.parent, f.name), &f) << f.path;
    // The same name under another parent is another field or none.
    EXPECT_NE(schema.FindChild(f.parent == kTopLevel ? 0 : kTopLevel, f.name), &f) << f.path;
    // Near misses: a prefix, an extension, one byte changed, another case.
    std::string name(f.name);
    EXPECT_NE(schema.FindChild(f.parent, name.substr(0, name.size() - 1)), &f) << f.path;
    EXPECT_EQ(schema.FindChild(f.parent, name + "x"), nullptr) << f.path;
    std::string changed = name;
    changed.back() = changed.back() == 'z' ? 'y' : 'z';
    EXPECT_NE(schema.FindChild(f.parent, changed), &f) << f.path;
    std::string middle = name;  // names over 16 bytes are not covered by the slot's words
    middle[middle.size() / 2] = static_cast<char>(middle[middle.size() / 2] ^ 0x01);
    EXPECT_NE(schema.FindChild(f.parent, middle), &f) << f.path;
    std::string upper = name;
    upper[0] = static_cast<char>(upper[0] ^ 0x20);
    EXPECT_NE(schema.FindChild(f.parent, upper), &f) << f.path;
  }
  EXPECT_NE(schema.FindChild(kTopLevel, "eventName"), nullptr);
  EXPECT_EQ(schema.FindChild(kTopLevel, ""), nullptr);
  EXPECT_EQ(schema.FindChild(kTopLevel, "@timestamp"), nullptr);
  EXPECT_EQ(schema.FindChild(kTopLevel, std::string(1000, 'a')), nullptr);
}

}  // namespace
}  // namespace trailbook::storage
