// GroupTable: every row gets the group of its key, whichever path resolves it (dense code
// array, hashed code map, abandoned code map, flat hashing), across dictionaries.
#include "sql/exec/group_table.h"

#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace trailbook::sql {
namespace {

std::shared_ptr<const Vector> MakeDictionary(const std::string& prefix, size_t size) {
  auto dict = std::make_shared<Vector>(LogicalType::Varchar());
  dict->Resize(size + 1);
  dict->SetNull(0);
  for (size_t i = 1; i <= size; ++i) dict->SetString(i, prefix + std::to_string(i % 97));
  return dict;
}

// Groups `batches` batches of two dictionary-coded keys (dictionary sizes a and b, codes
// 0..size with 0 = NULL; the entries repeat every 97 so different codes share a string) and
// checks each row's group against a reference map from the key strings.
void CheckTwoKeys(size_t a, size_t b, size_t batches, size_t batches_per_dictionary,
                  uint32_t seed) {
  GroupTable table({LogicalType::Varchar(), LogicalType::Varchar()});
  std::map<std::pair<std::string, std::string>, uint32_t> expected;
  std::map<uint32_t, std::pair<std::string, std::string>> keys_of_groups;
  std::mt19937 rng(seed);
  for (size_t batch = 0; batch < batches; ++batch) {
    // A new pair of dictionaries now and then, as when the scan moves to another segment.
    uint64_t dict_id = batch / batches_per_dictionary;
    auto da = MakeDictionary("a" + std::to_string(dict_id % 2) + "-", a);
    auto db = MakeDictionary("b-", b);
    std::vector<uint32_t> ca(kBatchSize), cb(kBatchSize);
    for (size_t i = 0; i < kBatchSize; ++i) {
      ca[i] = static_cast<uint32_t>(rng() % (a + 1));
      cb[i] = static_cast<uint32_t>(rng() % (b + 1));
    }
    Vector ka(LogicalType::Varchar()), kb(LogicalType::Varchar());
    ka.SetDictionary(da, dict_id * 2, ca.data(), kBatchSize);
    kb.SetDictionary(db, dict_id * 2 + 1, cb.data(), kBatchSize);
    std::vector<Vector*> keys{&ka, &kb};
    std::vector<uint32_t> groups(kBatchSize);
    table.FindOrAdd(keys, kBatchSize, groups.data());
    for (size_t i = 0; i < kBatchSize; ++i) {
      std::string sa = ca[i] == 0 ? "<null>" : std::string(da->GetValue(ca[i]).string_value());
      std::string sb = cb[i] == 0 ? "<null>" : std::string(db->GetValue(cb[i]).string_value());
      auto key = std::make_pair(sa, sb);
      auto it = expected.emplace(key, groups[i]).first;
      ASSERT_EQ(it->second, groups[i]) << "batch " << batch << " row " << i << ": " << sa << ", "
                                       << sb;
      // Distinct keys never share a group.
      auto [owner, fresh] = keys_of_groups.emplace(groups[i], key);
      ASSERT_TRUE(fresh || owner->second == key) << "group " << groups[i];
    }
  }
  EXPECT_EQ(table.size(), expected.size());
}

TEST(GroupTableTest, SmallCodeSpaceUsesDenseCodes) { CheckTwoKeys(20, 30, 12, 3, 1); }

TEST(GroupTableTest, LargeCodeSpaceWithRepeatsUsesHashedCodes) {
  CheckTwoKeys(300, 200, 12, 3, 2);  // 60K composite codes, most rows repeat one
}

TEST(GroupTableTest, LargeCodeSpaceOfNewCodesFallsBackToHashing) {
  // 20M composite codes: nearly every row is new, so after 4 batches the code map of a
  // dictionary pair is abandoned and its remaining batches are hashed.
  CheckTwoKeys(5000, 4000, 24, 8, 3);
}

}  // namespace
}  // namespace trailbook::sql
