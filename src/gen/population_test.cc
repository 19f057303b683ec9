#include "gen/internal/population.h"

#include <gtest/gtest.h>

#include <set>

namespace trailbook::gen::internal {
namespace {

size_t Count(const Population& pop, PersonaKind kind) {
  size_t n = 0;
  for (const Persona& p : pop.personas) n += p.kind == kind;
  return n;
}

TEST(PopulationTest, PoolsGrowWithTheEventCount) {
  const Population small = BuildPopulation(100'000, 2, 1);
  const Population large = BuildPopulation(10'000'000, 2, 1);
  EXPECT_GT(large.ips.size(), 10 * small.ips.size());
  EXPECT_GT(large.personas.size(), 5 * small.personas.size());
  EXPECT_GT(large.uas.size(), 10 * small.uas.size());
  EXPECT_GT(large.accounts[0].res.buckets.items.size(), 10 * small.accounts[0].res.buckets.items.size());
  EXPECT_GT(Count(large, PersonaKind::kLambda), 10 * Count(small, PersonaKind::kLambda));
}

TEST(PopulationTest, EveryAccountHasEveryKindOfPrincipal) {
  const Population pop = BuildPopulation(50'000, 3, 7);
  ASSERT_EQ(pop.accounts.size(), 3u);
  std::set<std::string> ids;
  for (const Account& a : pop.accounts) {
    ids.insert(a.id);
    EXPECT_EQ(a.id.size(), 12u);
    for (PersonaKind kind : {PersonaKind::kSsoUser, PersonaKind::kIamHuman, PersonaKind::kSamlUser,
                             PersonaKind::kRoot, PersonaKind::kIamAutomation, PersonaKind::kLambda,
                             PersonaKind::kEc2, PersonaKind::kEcsTask, PersonaKind::kEksPod,
                             PersonaKind::kCiRole, PersonaKind::kScannerRole,
                             PersonaKind::kConfigRole, PersonaKind::kAwsService}) {
      EXPECT_FALSE(a.by_kind[static_cast<size_t>(kind)].empty())
          << a.name << " has no persona of kind " << static_cast<int>(kind);
    }
    EXPECT_FALSE(a.human_table.empty());
    EXPECT_FALSE(a.machine_table.empty());
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_FALSE(pop.accounts[0].by_kind[static_cast<size_t>(PersonaKind::kAnonymous)].empty());
  EXPECT_FALSE(pop.accounts[0].by_kind[static_cast<size_t>(PersonaKind::kFederatedUser)].empty());
}

TEST(PopulationTest, AddressesIncludeIpv6AndNoPrivateRanges) {
  const Population pop = BuildPopulation(1'000'000, 2, 3);
  size_t v6 = 0;
  for (const std::string& ip : pop.ips) {
    if (ip.find(':') != std::string::npos) {
      ++v6;
      continue;
    }
    EXPECT_FALSE(ip.starts_with("10.") || ip.starts_with("192.168.") || ip.starts_with("127."))
        << ip;
  }
  EXPECT_GT(v6, 50u);
}

TEST(PopulationTest, SameSeedSamePopulation) {
  const Population a = BuildPopulation(20'000, 2, 9);
  const Population b = BuildPopulation(20'000, 2, 9);
  const Population c = BuildPopulation(20'000, 2, 10);
  EXPECT_EQ(a.ips, b.ips);
  EXPECT_EQ(a.accounts[0].id, b.accounts[0].id);
  EXPECT_NE(a.accounts[0].id, c.accounts[0].id);
}

}  // namespace
}  // namespace trailbook::gen::internal
