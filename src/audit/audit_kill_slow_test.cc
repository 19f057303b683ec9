// The long form of the kill tests (ctest label "slow"): many rounds, random kill times.
#include <gtest/gtest.h>

#include "audit/testing/audit_test_support.h"

namespace trailbook::audit {
namespace {

TEST(AuditKillSlowTest, KillDuringAppendManyTimes) { testing::KillLoop(100, false, 7); }

TEST(AuditKillSlowTest, KillDuringFoldManyTimes) { testing::KillLoop(100, true, 8); }

TEST(AuditKillSlowTest, KillDuringCompactionManyTimes) { testing::KillLoop(100, true, 9, true); }

}  // namespace
}  // namespace trailbook::audit
