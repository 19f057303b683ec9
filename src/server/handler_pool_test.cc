#include "server/handler_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>
#include <vector>

namespace trailbook::server {
namespace {

TEST(HandlerPoolTest, RunsEveryJobInFifoOrderOnOneThread) {
  HandlerPool pool(1);
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(pool.Submit([&order, i] { order.push_back(i); }));
  pool.Stop();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
}

TEST(HandlerPoolTest, ABlockedJobDoesNotStallTheOthers) {
  HandlerPool pool(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(pool.Submit([released] { released.wait(); }));
  std::promise<void> ran;
  std::future<void> done = ran.get_future();
  ASSERT_TRUE(pool.Submit([&ran] { ran.set_value(); }));
  EXPECT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  release.set_value();
}

// Jobs that arrive one at a time go to the most recently idle thread, so a lightly loaded
// pool keeps reusing one warm thread instead of cycling through all of them.
TEST(HandlerPoolTest, OneJobAtATimeReusesTheSameThread) {
  HandlerPool pool(8);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // Every thread is idle.
  std::set<std::thread::id> threads;
  for (int i = 0; i < 20; ++i) {
    std::promise<std::thread::id> ran;
    std::future<std::thread::id> id = ran.get_future();
    ASSERT_TRUE(pool.Submit([&ran] { ran.set_value(std::this_thread::get_id()); }));
    threads.insert(id.get());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // It goes idle again.
  }
  // Waking any waiter (a condition variable's notify_one) would have used most of the 8.
  EXPECT_LE(threads.size(), 3u);
}

TEST(HandlerPoolTest, StopFinishesQueuedJobsThenRefusesNewOnes) {
  HandlerPool pool(4);
  std::atomic<int> ran{0};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(pool.Submit([&ran] { ran.fetch_add(1); }));
  pool.Stop();
  EXPECT_EQ(ran.load(), 1000);
  EXPECT_FALSE(pool.Submit([&ran] { ran.fetch_add(1); }));
  EXPECT_EQ(ran.load(), 1000);
  EXPECT_EQ(pool.queued(), 0u);
  pool.Stop();  // Idempotent.
}

}  // namespace
}  // namespace trailbook::server
