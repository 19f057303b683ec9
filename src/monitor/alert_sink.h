// File: monitor/alert_sink.h
//
// Where alerts go: AlertSink and its implementations (NDJSON to a stream writer such as
// stdout, an append-only NDJSON file, an HMAC-signed HTTPS webhook with a JSON or a
// Slack-compatible body), plus the webhook signature scheme receivers verify.
//
//   TB_ASSIGN_OR_RETURN(auto sink, WebhookSink::Create("pager", options));
//   TB_RETURN_IF_ERROR(sink->Deliver("3f2a...", alert_json));
//
// A sink delivers one attempt; retries, backoff and dead letters belong to the outbox
// (alert_pipeline.h). Every delivery carries its delivery id so receivers can drop repeats:
// delivery is at least once, and the file sink is exactly once (it skips ids it holds).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace trailbook::io {
class AppendFile;
}  // namespace trailbook::io

namespace trailbook::monitor {

// Thread safety: implementations are used by one thread at a time.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual const std::string& name() const = 0;
  // Delivers `alert_json` (AlertToJson) under `delivery_id`. Errors: kIOError for transient
  // failures (network, timeouts, HTTP 408/429/5xx), kInvalidArgument or kPermissionDenied
  // when the receiver refused the alert (other 4xx). The outbox retries every error.
  virtual Status Deliver(std::string_view delivery_id, std::string_view alert_json) = 0;
};

// Writes one JSON line per alert through `write` (the CLI passes stdout).
class StreamSink : public AlertSink {
 public:
  using Writer = std::function<Status(std::string_view)>;
  StreamSink(std::string name, Writer write) : name_(std::move(name)), write_(std::move(write)) {}
  const std::string& name() const override { return name_; }
  Status Deliver(std::string_view delivery_id, std::string_view alert_json) override;

 private:
  std::string name_;
  Writer write_;
};

// Appends one JSON line per alert to a file and fsyncs it. Lines are
// {"delivery_id":..., "alert":{...}}; ids already in the file (from before a crash) are
// skipped, so each alert appears once.
class FileSink : public AlertSink {
 public:
  // Opens (creating, mode 0600) `path` and indexes the ids it holds. A torn last line (a
  // crash mid-append) is cut off. Errors: kIOError.
  static Result<std::unique_ptr<FileSink>> Open(std::string name, const std::string& path);
  ~FileSink() override;
  const std::string& name() const override { return name_; }
  Status Deliver(std::string_view delivery_id, std::string_view alert_json) override;

 private:
  FileSink(std::string name, std::unique_ptr<io::AppendFile> file, std::set<std::string> ids);
  std::string name_;
  std::unique_ptr<io::AppendFile> file_;
  std::set<std::string> ids_;
};

enum class WebhookFormat : uint8_t {
  kJson,   // The alert JSON as the body.
  kSlack,  // A Slack incoming-webhook body: {"text": ..., "blocks": [...]}.
};

struct WebhookOptions {
  std::string url;     // https://...; http:// only for loopback hosts (tests, local relays).
  std::string secret;  // HMAC-SHA256 key; required (an unsigned webhook is refused).
  WebhookFormat format = WebhookFormat::kJson;
  int64_t timeout_ms = 10'000;
  std::string ca_file;  // Extra CA bundle for the receiver's certificate ("" = system).
};

// Posts alerts over HTTPS with libcurl. Headers: Content-Type: application/json,
// X-Trailbook-Delivery: <delivery id>, X-Trailbook-Signature: t=<unix seconds>,v1=<hex>
// where v1 = HMAC-SHA256(secret, "<t>.<body>") (the Stripe scheme). Redirects are not
// followed.
class WebhookSink : public AlertSink {
 public:
  // `clock` must outlive the sink. Errors: kInvalidArgument (bad URL scheme, http to a
  // non-loopback host, empty secret).
  static Result<std::unique_ptr<WebhookSink>> Create(std::string name, WebhookOptions options,
                                                     const Clock& clock = SystemClock());
  const std::string& name() const override { return name_; }
  Status Deliver(std::string_view delivery_id, std::string_view alert_json) override;

 private:
  WebhookSink(std::string name, WebhookOptions options, const Clock& clock)
      : name_(std::move(name)), options_(std::move(options)), clock_(clock) {}
  std::string name_;
  WebhookOptions options_;
  const Clock& clock_;
};

// Returns the X-Trailbook-Signature value for `body` signed at `unix_seconds`.
std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body);

// Checks a signature header as a receiver would: the v1 HMAC must match (constant-time) and
// t must be within `tolerance_seconds` of `now_seconds` (replay protection). Errors:
// kUnauthenticated with the reason ("malformed", "stale timestamp", "bad signature").
Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                              std::string_view body, int64_t now_seconds,
                              int64_t tolerance_seconds = 300);

// Returns a Slack incoming-webhook body for an alert JSON (AlertToJson). Errors:
// kInvalidArgument when `alert_json` is not an alert.
Result<std::string> SlackPayload(std::string_view alert_json);

}  // namespace trailbook::monitor
