#include "server/server_options.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "server/client_address.h"
#include "server/query_slots.h"

namespace trailbook::server {
namespace {

TEST(ServerOptionsTest, ParsesListenAddresses) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:8080", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8080);
  ASSERT_TRUE(ParseListenAddress("[::1]:9000", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 9000);
  for (const char* bad : {"", "8080", ":8080", "host:", "host:65536", "host:-1", "[::1]8080",
                          "host:80x"}) {
    EXPECT_EQ(ParseListenAddress(bad, &host, &port).code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ServerOptionsTest, AppliesTheServerSectionOfTheConfig) {
  ServerOptions options;
  std::string yaml = R"(
jwks: keys/jwks.json
issuer: https://idp.example/
server:
  listen: 0.0.0.0:9443
  trusted_proxies: [10.0.0.0/8, "::1"]
  tls_cert: cert.pem
  tls_key: key.pem
  shutdown_deadline_ms: 2500
  access_log: false
  limits:
    max_body_bytes: 4096
    max_concurrent_queries: 2
    max_queued_queries: 0
    query_timeout_ms: 1500
    query_memory_mb: 64
    read_timeout_s: 3
)";
  ASSERT_TRUE(ApplyServerYaml(yaml, "trailbook.yaml", &options).ok());
  EXPECT_EQ(options.host, "0.0.0.0");
  EXPECT_EQ(options.port, 9443);
  EXPECT_EQ(options.trusted_proxies.size(), 2u);
  EXPECT_EQ(options.tls_cert_file, "cert.pem");
  EXPECT_EQ(options.shutdown_deadline.count(), 2500);
  EXPECT_FALSE(options.access_log);
  EXPECT_EQ(options.limits.max_body_bytes, 4096u);
  EXPECT_EQ(options.limits.max_concurrent_queries, 2u);
  EXPECT_EQ(options.limits.max_queued_queries, 0u);
  EXPECT_EQ(options.limits.query_timeout.count(), 1500);
  EXPECT_EQ(options.limits.query_memory_bytes, size_t{64} << 20);
  EXPECT_EQ(options.limits.read_timeout.count(), 3);
  EXPECT_TRUE(ValidateServerOptions(options).ok());
  // No server section: nothing changes.
  ServerOptions defaults;
  ASSERT_TRUE(ApplyServerYaml("issuer: x\n", "t.yaml", &defaults).ok());
  EXPECT_EQ(defaults.port, 8080);
}

TEST(ServerOptionsTest, RejectsTyposAndBadValuesNamingTheLine) {
  struct Case {
    std::string yaml;
    std::string expect;
  } cases[] = {
      {"server:\n  limits:\n    max_body_byte: 10\n", "t.yaml:3: server.limits.max_body_byte: unknown key"},
      {"server:\n  listn: x\n", "t.yaml:2: server.listn: unknown key"},
      {"server:\n  limits:\n    max_body_bytes: lots\n", "expected a non-negative integer"},
      {"server:\n  limits:\n    max_concurrent_queries: 0\n", "must be between 1"},
      {"server:\n  listen: nowhere\n", "server.listen"},
      {"server:\n  access_log: maybe\n", "expected true or false"},
      {"server: [1, 2\n", "malformed YAML"},
      {"server:\n  trusted_proxies: 10.0.0.1\n", "expected a list"},
  };
  for (const Case& c : cases) {
    ServerOptions options;
    Status s = ApplyServerYaml(c.yaml, "t.yaml", &options);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << s.message();
  }
  ServerOptions half_tls;
  half_tls.tls_cert_file = "cert.pem";
  EXPECT_EQ(ValidateServerOptions(half_tls).code(), StatusCode::kInvalidArgument);
  ServerOptions bad_proxy;
  bad_proxy.trusted_proxies = {"10.0.0.0/33"};
  EXPECT_EQ(ValidateServerOptions(bad_proxy).code(), StatusCode::kInvalidArgument);
  ServerOptions pages;
  pages.limits.default_page_rows = pages.limits.max_page_rows + 1;
  EXPECT_EQ(ValidateServerOptions(pages).code(), StatusCode::kInvalidArgument);
}

TEST(ServerOptionsTest, AddressSetsMatchAddressesAndBlocks) {
  auto set = AddressSet::Parse({"10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1"});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_TRUE(set->Contains("10.200.3.4"));
  EXPECT_TRUE(set->Contains("::ffff:10.1.1.1"));
  EXPECT_FALSE(set->Contains("11.0.0.1"));
  EXPECT_TRUE(set->Contains("192.168.1.7"));
  EXPECT_FALSE(set->Contains("192.168.1.8"));
  EXPECT_TRUE(set->Contains("2001:db8:ffff::1"));
  EXPECT_FALSE(set->Contains("2001:db9::1"));
  EXPECT_TRUE(set->Contains("::1"));
  EXPECT_FALSE(set->Contains("not an ip"));
  EXPECT_FALSE(set->Contains(""));
  for (const char* bad : {"10.0.0.0/", "10.0.0.0/x", "host.example", "1.2.3.4/40", "::/129"}) {
    EXPECT_FALSE(AddressSet::Parse({bad}).ok()) << bad;
  }
}

TEST(ServerOptionsTest, ForwardedForIsWalkedFromTheRightThroughTrustedHops) {
  auto proxies = AddressSet::Parse({"10.0.0.0/8"}).value();
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", "198.51.100.1, 10.0.0.5", proxies), "198.51.100.1");
  // A client-supplied left part is not believed past the first untrusted hop.
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.5", proxies),
            "203.0.113.9");
  EXPECT_EQ(ResolveClientAddress("203.0.113.9", "1.1.1.1", proxies), "203.0.113.9");
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", "", proxies), "10.0.0.1");
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", "garbage", proxies), "10.0.0.1");
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", "198.51.100.1, garbage", proxies), "10.0.0.1");
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", "10.0.0.9", proxies), "10.0.0.9");
}

TEST(ServerOptionsTest, QuerySlotsQueueThenRefuse) {
  QuerySlots slots(1, 1, std::chrono::milliseconds(2000));
  auto first = slots.Acquire();
  ASSERT_TRUE(first.ok());
  std::atomic<bool> second_ok{false};
  std::thread waiter([&] {
    auto second = slots.Acquire();  // Queued until `first` is released.
    second_ok = second.ok();
  });
  while (slots.Counts().second == 0) std::this_thread::yield();
  auto third = slots.Acquire();  // Queue full.
  EXPECT_EQ(third.status().code(), StatusCode::kResourceExhausted);
  *first = QuerySlots::Ticket();
  waiter.join();
  EXPECT_TRUE(second_ok.load());
  EXPECT_EQ(slots.Counts(), std::make_pair(size_t{0}, size_t{0}));
  QuerySlots timed(1, 4, std::chrono::milliseconds(20));
  auto held = timed.Acquire();
  EXPECT_EQ(timed.Acquire().status().code(), StatusCode::kResourceExhausted);  // Wait expired.
}

TEST(ServerOptionsTest, QuerySlotsServeWaitersInArrivalOrderWithoutBarging) {
  QuerySlots slots(1, 8, std::chrono::milliseconds(10000));
  auto first = slots.Acquire();
  ASSERT_TRUE(first.ok());
  std::mutex order_mu;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      auto ticket = slots.Acquire();
      ASSERT_TRUE(ticket.ok());
      std::lock_guard<std::mutex> lock(order_mu);
      order.push_back(i);
    });  // The ticket is released when the thread ends, handing the slot on.
    // Queue the waiters one at a time so their arrival order is known.
    while (slots.Counts().second != static_cast<size_t>(i + 1)) std::this_thread::yield();
  }
  *first = QuerySlots::Ticket();
  // The slot went straight to the oldest waiter: a caller arriving now finds it taken, and
  // (with others still queued) has to queue behind them rather than take a free slot.
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(slots.Counts(), std::make_pair(size_t{0}, size_t{0}));
}

TEST(ServerOptionsTest, QuerySlotsHandAReleasedSlotToTheWaiter) {
  QuerySlots slots(1, 8, std::chrono::milliseconds(10000));
  auto first = slots.Acquire();
  ASSERT_TRUE(first.ok());
  std::atomic<bool> release_waiter{false};
  std::thread waiter([&] {
    auto ticket = slots.Acquire();
    EXPECT_TRUE(ticket.ok());
    while (!release_waiter.load()) std::this_thread::yield();
  });
  while (slots.Counts().second != 1) std::this_thread::yield();
  *first = QuerySlots::Ticket();
  // Handed over at release, before the waiter even runs: still one running, none queued, so
  // a new caller cannot slip into the slot (it times out here instead).
  EXPECT_EQ(slots.Counts(), std::make_pair(size_t{1}, size_t{0}));
  {
    QuerySlots quick(1, 1, std::chrono::milliseconds(10));
    auto a = quick.Acquire();
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(quick.Acquire().status().code(), StatusCode::kResourceExhausted);  // timed out
    EXPECT_EQ(quick.Counts(), std::make_pair(size_t{1}, size_t{0}));  // left the queue
  }
  release_waiter = true;
  waiter.join();
  EXPECT_EQ(slots.Counts(), std::make_pair(size_t{0}, size_t{0}));
}

}  // namespace
}  // namespace trailbook::server
