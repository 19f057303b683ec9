#include "monitor/alert_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "io/file.h"
#include "monitor/alert_pipeline.h"

namespace trailbook::monitor {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kT0 = 1'700'000'000LL * kSecond;
constexpr char kSecret[] = "whsec_test_0123456789";

std::string TempDir() {
  char tmpl[] = "/tmp/tb_monitor_sink_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return "";
  return tmpl;
}

// A webhook receiver on 127.0.0.1 that verifies signatures the way a customer would, and
// fails the first `fail_first` requests with HTTP 503.
class Receiver {
 public:
  explicit Receiver(int fail_first) : fail_first_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_;
      if (requests_ <= fail_first_) {
        res.status = 503;
        return;
      }
      Status s = VerifyWebhookSignature(kSecret, req.get_header_value("X-Trailbook-Signature"),
                                        req.body, kT0 / kSecond);
      if (!s.ok()) {
        rejected_.push_back(s.message());
        res.status = 401;
        return;
      }
      bodies_.push_back(req.body);
      ids_.push_back(req.get_header_value("X-Trailbook-Delivery"));
      res.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_;
  }
  std::vector<std::string> rejected() {
    std::lock_guard<std::mutex> lock(mu_);
    return rejected_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  int fail_first_;
  int requests_ = 0;
  std::vector<std::string> bodies_, ids_, rejected_;
};

TEST(AlertSinkTest, SignatureVerifiesAndRejectsTampering) {
  std::string header = SignWebhook(kSecret, 1000, "{\"a\":1}");
  EXPECT_THAT(header, ::testing::MatchesRegex("t=1000,v1=[0-9a-f]{64}"));
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header, "{\"a\":1}", 1000).ok());
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header, "{\"a\":1}", 1200).ok());
  auto reason = [](const Status& s) { return s.message(); };
  EXPECT_THAT(reason(VerifyWebhookSignature(kSecret, header, "{\"a\":2}", 1000)),
              HasSubstr("bad signature"));
  EXPECT_THAT(reason(VerifyWebhookSignature("other", header, "{\"a\":1}", 1000)),
              HasSubstr("bad signature"));
  EXPECT_THAT(reason(VerifyWebhookSignature(kSecret, header, "{\"a\":1}", 1000 + 301)),
              HasSubstr("stale timestamp"));
  for (const char* bad : {"", "t=,v1=ab", "v1=ab", "t=1000", "t=10x0,v1=ab"}) {
    Status s = VerifyWebhookSignature(kSecret, bad, "{}", 1000);
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << bad;
    EXPECT_THAT(s.message(), HasSubstr("malformed")) << bad;
  }
  std::string forged = "t=1000,v1=" + std::string(64, '0');
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, forged, "{\"a\":1}", 1000).ok());
}

TEST(AlertSinkTest, WebhookRefusesPlainHttpOffLoopbackAndMissingSecret) {
  WebhookOptions options;
  options.secret = kSecret;
  for (const char* url : {"http://hooks.example.com/x", "ftp://127.0.0.1/x", "file:///etc/passwd",
                          "https://user:pw@example.com/", "not a url", "http://127.0.0.1.evil/x"}) {
    options.url = url;
    Result<std::unique_ptr<WebhookSink>> sink = WebhookSink::Create("hook", options);
    ASSERT_FALSE(sink.ok()) << url;
    EXPECT_EQ(sink.status().code(), StatusCode::kInvalidArgument) << url;
  }
  options.url = "https://hooks.example.com/x";
  options.secret = "";
  EXPECT_THAT(WebhookSink::Create("hook", options).status().message(), HasSubstr("secret"));
  options.secret = kSecret;
  EXPECT_TRUE(WebhookSink::Create("hook", options).ok());
}

TEST(AlertSinkTest, SlackPayloadNamesTheRunbookAndLink) {
  Alert alert;
  alert.id = "a1";
  alert.runbook_id = "detect.x";
  alert.runbook_version = "3";
  alert.severity = "high";
  alert.dedup_key = "1.2.3.4";
  alert.row_count = 7;
  alert.link = "https://tb.example/a1";
  Result<std::string> slack = SlackPayload(AlertToJson(alert));
  ASSERT_TRUE(slack.ok()) << slack.status().ToString();
  EXPECT_THAT(*slack, HasSubstr(R"x("text":"[high] detect.x (1.2.3.4)")x"));
  EXPECT_THAT(*slack, HasSubstr("<https://tb.example/a1|Open in trailbook>"));
  EXPECT_THAT(*slack, HasSubstr("7 rows"));
  EXPECT_THAT(*slack, HasSubstr(R"("type":"mrkdwn")"));
  EXPECT_EQ(SlackPayload("nope").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SlackPayload("{\"alert_id\":\"x\"}").status().code(), StatusCode::kInvalidArgument);
}

TEST(AlertSinkTest, FileSinkIsExactlyOnceAndCutsATornTail) {
  std::string dir = TempDir();
  std::string path = dir + "/alerts.ndjson";
  {
    Result<std::unique_ptr<FileSink>> sink = FileSink::Open("file", path);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->Deliver("id1", "{\"alert_id\":\"id1\"}").ok());
    ASSERT_TRUE((*sink)->Deliver("id1", "{\"alert_id\":\"id1\"}").ok());
  }
  // A crash mid-append leaves a torn line.
  {
    Result<std::unique_ptr<io::AppendFile>> f = io::AppendFile::Open(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append("{\"delivery_id\":\"id2\",\"al").ok());
  }
  Result<std::unique_ptr<FileSink>> sink = FileSink::Open("file", path);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Deliver("id1", "{\"alert_id\":\"id1\"}").ok());
  ASSERT_TRUE((*sink)->Deliver("id2", "{\"alert_id\":\"id2\"}").ok());
  EXPECT_EQ(io::ReadFile(path).value(),
            "{\"delivery_id\":\"id1\",\"alert\":{\"alert_id\":\"id1\"}}\n"
            "{\"delivery_id\":\"id2\",\"alert\":{\"alert_id\":\"id2\"}}\n");
  EXPECT_EQ(io::FileMode(path).value(), 0600u);
  std::system(("rm -rf " + dir).c_str());
}

// A source whose detection query returns `rows` new events per call, each group of 1.
class CountingSource : public QuerySource {
 public:
  Result<std::vector<DetectionRow>> Run(const AlertRule&, std::string_view,
                                        const QueryParams& params) override {
    std::vector<DetectionRow> rows;
    int64_t end = params[1].second.int_value;
    DetectionRow row;
    row.Set("eventID", Cell::String("e" + std::to_string(next_)));
    row.Set("eventTime", Cell::Timestamp(end));
    row.Set("user", Cell::String("u" + std::to_string(next_)));
    ++next_;
    rows.push_back(row);
    return rows;
  }

 private:
  int next_ = 0;
};

AlertRule OneRowRule() {
  AlertRule rule;
  rule.runbook_id = "detect.any";
  rule.runbook_version = "1";
  rule.query = "q";
  rule.threshold.group_by = {"user"};
  return rule;
}

TEST(AlertSinkTest, WebhookRetriesWithBackoffThenDelivers) {
  Receiver receiver(/*fail_first=*/3);
  std::string dir = TempDir();
  FakeClock clock(kT0);
  CountingSource source;
  WebhookOptions hook;
  hook.url = receiver.url();
  hook.secret = kSecret;
  std::vector<std::unique_ptr<AlertSink>> sinks;
  sinks.push_back(WebhookSink::Create("hook", hook, clock).value());
  PipelineOptions options;
  options.state_path = dir + "/state.json";
  options.default_sinks = {"hook"};
  options.max_attempts = 5;
  Result<std::unique_ptr<AlertPipeline>> pipeline =
      AlertPipeline::Open(options, {OneRowRule()}, source, clock, std::move(sinks));
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  Result<CycleReport> report = (*pipeline)->RunCycle();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->alerts_new, 1u);
  EXPECT_EQ(report->delivery_failures, 1u);
  EXPECT_THAT(report->delivery_errors[0].message(), HasSubstr("HTTP 503"));
  // Backoff: 1 s, 2 s, 4 s. Nothing is retried before it is due.
  EXPECT_EQ((*pipeline)->DeliverDue()->deliveries + (*pipeline)->DeliverDue()->delivery_failures,
            0u);
  const int64_t due[] = {1, 2, 4};
  int64_t at = kT0;
  for (int64_t d : due) {
    clock.Set(at + d * kSecond - 1);
    EXPECT_EQ((*pipeline)->DeliverDue()->delivery_failures, 0u);
    at += d * kSecond;
    clock.Set(at);
    Result<CycleReport> r = (*pipeline)->DeliverDue();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->delivery_failures + r->deliveries, 1u);
  }
  EXPECT_EQ(receiver.requests(), 4);
  ASSERT_EQ(receiver.bodies().size(), 1u);
  EXPECT_THAT(receiver.bodies()[0], HasSubstr("\"runbook\":{\"id\":\"detect.any\""));
  EXPECT_EQ(receiver.ids()[0], (*pipeline)->state().delivered.back());
  EXPECT_TRUE((*pipeline)->state().outbox.empty());
  EXPECT_TRUE(receiver.rejected().empty());
  std::system(("rm -rf " + dir).c_str());
}

TEST(AlertSinkTest, WebhookDeadLettersAfterMaxAttempts) {
  Receiver receiver(/*fail_first=*/1000);
  std::string dir = TempDir();
  FakeClock clock(kT0);
  CountingSource source;
  WebhookOptions hook;
  hook.url = receiver.url();
  hook.secret = kSecret;
  std::vector<std::unique_ptr<AlertSink>> sinks;
  sinks.push_back(WebhookSink::Create("hook", hook, clock).value());
  sinks.push_back(FileSink::Open("file", dir + "/alerts.ndjson").value());
  PipelineOptions options;
  options.state_path = dir + "/state.json";
  options.default_sinks = {"hook", "file"};
  options.max_attempts = 3;
  auto pipeline = AlertPipeline::Open(options, {OneRowRule()}, source, clock, std::move(sinks));
  ASSERT_TRUE(pipeline.ok());
  ASSERT_TRUE((*pipeline)->RunCycle().ok());
  size_t dead = 0;
  for (int i = 1; i <= 10; ++i) {
    clock.Set(kT0 + i * 60 * kSecond);
    dead += (*pipeline)->DeliverDue()->dead_letters;
  }
  EXPECT_EQ(dead, 1u);
  EXPECT_EQ(receiver.requests(), 3);
  std::string letters = io::ReadFile(dir + "/state.json.dead").value();
  EXPECT_THAT(letters, HasSubstr("\"failed_sinks\":[\"hook\"]"));
  EXPECT_THAT(letters, HasSubstr("HTTP 503"));
  EXPECT_THAT(letters, HasSubstr("\"alert\":{\"alert_id\":"));
  // The file sink got it on the first attempt and was not retried.
  std::string file = io::ReadFile(dir + "/alerts.ndjson").value();
  EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), 1);
  EXPECT_TRUE((*pipeline)->state().outbox.empty());
  std::system(("rm -rf " + dir).c_str());
}

TEST(AlertSinkTest, UnknownDeliveryNamesAreRefused) {
  std::string dir = TempDir();
  FakeClock clock(kT0);
  CountingSource source;
  PipelineOptions options;
  options.state_path = dir + "/state.json";
  AlertRule rule = OneRowRule();
  auto none = AlertPipeline::Open(options, {rule}, source, clock, {});
  EXPECT_THAT(none.status().message(), HasSubstr("has no delivery"));
  rule.deliver = {"pager"};
  auto unknown = AlertPipeline::Open(options, {rule}, source, clock, {});
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown delivery 'pager'"));
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace trailbook::monitor
