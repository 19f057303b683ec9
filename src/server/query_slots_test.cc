#include "server/query_slots.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace trailbook::server {
namespace {

using std::chrono::milliseconds;

TEST(QuerySlotsTest, TryAcquireTakesOnlyAFreeSlot) {
  QuerySlots slots(1, 4, milliseconds(5000));
  std::optional<QuerySlots::Ticket> first = slots.TryAcquire();
  ASSERT_TRUE(first);
  EXPECT_EQ(slots.Counts(), (std::pair<size_t, size_t>{1, 0}));
  EXPECT_FALSE(slots.TryAcquire());  // Full: no waiting, no queueing.
  EXPECT_EQ(slots.Counts(), (std::pair<size_t, size_t>{1, 0}));

  Status waited;
  std::thread waiter([&] { waited = slots.Enter(); });
  while (slots.Counts().second == 0) std::this_thread::sleep_for(milliseconds(1));
  first.reset();  // The slot goes to the waiter, not to a later TryAcquire.
  waiter.join();
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  EXPECT_FALSE(slots.TryAcquire());
  slots.Leave();
  EXPECT_TRUE(slots.TryAcquire());  // Released when the temporary ticket dies.
  EXPECT_EQ(slots.Counts(), (std::pair<size_t, size_t>{0, 0}));
}

TEST(QuerySlotsTest, AdmittedSlotGivesItsSlotBackOnLeaveOrWhenNeverEntered) {
  QuerySlots slots(1, 0, milliseconds(0));
  {
    AdmittedSlot admitted(std::move(*slots.TryAcquire()));
    EXPECT_TRUE(admitted.Enter().ok());
    EXPECT_EQ(slots.Counts().first, 1u);
    admitted.Leave();
    EXPECT_EQ(slots.Counts().first, 0u);
  }
  EXPECT_EQ(slots.Counts().first, 0u);
  {
    AdmittedSlot never_entered(std::move(*slots.TryAcquire()));
    EXPECT_EQ(slots.Counts().first, 1u);
  }
  EXPECT_EQ(slots.Counts().first, 0u);
}

}  // namespace
}  // namespace trailbook::server
