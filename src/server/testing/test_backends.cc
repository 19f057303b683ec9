#include "server/testing/test_backends.h"

#include <simdjson.h>
#include <unistd.h>

#include <filesystem>

#include "auth/jwt/token_builder.h"
#include "base/check.h"
#include "crypto/digest.h"
#include "ingest/ingest_pipeline.h"
#include "server/api_handler.h"

namespace trailbook::server::testing {

Result<audit::AuditReceipt> RecordingAuditLog::Append(const audit::AuditEvent& event) {
  if (fail_.load()) return IOError("audit log unavailable (test)");
  std::lock_guard<std::mutex> lock(mu_);
  if (retain_.load()) events_.push_back(event);
  audit::AuditReceipt receipt;
  receipt.sequence = ++appended_;
  receipt.event_id = "test-" + std::to_string(receipt.sequence);
  return receipt;
}

std::vector<audit::AuditEvent> RecordingAuditLog::events() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_;
}

size_t RecordingAuditLog::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_.size();
}

size_t RecordingAuditLog::Count(std::string_view event_name, std::string_view error_code) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& e : events_) {
    if (e.event_name == event_name && e.error_code == error_code) ++n;
  }
  return n;
}

namespace {

RunbookSummary UserActivity() {
  RunbookSummary rb;
  rb.id = "ir.user-activity";
  rb.version = "1";
  rb.title = "Activity of one IAM user";
  rb.description = "Events whose userIdentity.userName is the given user, oldest first.";
  rb.tags = {"T1078"};
  rb.content_sha256 = crypto::ToHex(crypto::Sha256("ir.user-activity v1"));
  rb.params_schema_json =
      R"({"type":"object","additionalProperties":false,"required":["user"],)"
      R"("properties":{"user":{"type":"string","maxLength":128}}})";
  return rb;
}

RunbookSummary AllEvents() {
  RunbookSummary rb;
  rb.id = "ir.all-events";
  rb.version = "2";
  rb.title = "Every event";
  rb.description = "All events, oldest first.";
  rb.content_sha256 = crypto::ToHex(crypto::Sha256("ir.all-events v2"));
  rb.params_schema_json = R"({"type":"object","additionalProperties":false,"properties":{}})";
  return rb;
}

}  // namespace

std::vector<RunbookSummary> FixtureRunbookCatalog::List() const { return {AllEvents(), UserActivity()}; }

Result<RunbookSummary> FixtureRunbookCatalog::Get(std::string_view id) const {
  for (RunbookSummary& rb : List()) {
    if (rb.id == id) return rb;
  }
  return NotFound("runbook " + std::string(id) + " does not exist");
}

Result<BoundRunbook> FixtureRunbookCatalog::Bind(std::string_view id, std::string_view params_json,
                                                 const auth::Principal& principal,
                                                 int64_t now_us) const {
  TB_ASSIGN_OR_RETURN(RunbookSummary rb, Get(id));
  simdjson::dom::parser parser;
  simdjson::dom::object params;
  if (parser.parse(params_json.data(), params_json.size()).get(params) != simdjson::SUCCESS) {
    return InvalidArgument("params: expected an object");
  }
  BoundRunbook bound;
  bound.runbook = rb;
  bound.constraints = ConstraintsFor(principal.constraints, now_us);
  if (rb.id == "ir.user-activity") {
    std::string_view user;
    for (auto [key, value] : params) {
      if (key != "user") return InvalidArgument("params." + std::string(key) + ": unknown parameter");
      if (value.get_string().get(user) != simdjson::SUCCESS) {
        return InvalidArgument("params.user: expected a string");
      }
    }
    if (user.empty()) return InvalidArgument("params.user: required");
    bound.sql = "SELECT eventID, eventName, eventTime FROM events "
                "WHERE userIdentity.userName = :user ORDER BY eventTime, eventID";
    bound.parameters["user"] = sql::Value::Varchar(std::string(user));
    bound.bound_params_json = simdjson::to_string(params);
  } else {
    if (params.size() != 0) return InvalidArgument("params: this runbook takes no parameters");
    bound.sql = "SELECT eventID, eventName, recipientAccountId FROM events ORDER BY eventTime, eventID";
    bound.bound_params_json = "{}";
  }
  return bound;
}

const storage::Store& FixtureStore() {
  static const storage::Store* store = [] {
    std::string dir = (std::filesystem::temp_directory_path() /
                       ("tb_server_fixture_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir);
    {
      auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
      TB_CHECK(writer.ok()) << writer.status().ToString();
      ingest::IngestOptions options;
      options.threads = 1;
      options.segment_options.sync = false;
      // Tests run from the repository root; libFuzzer binaries from the build directory.
      std::string input = "tests/data/sql_fixture/events.json";
      for (const char* prefix : {"../", "../../"}) {
        if (!std::filesystem::exists(input) && std::filesystem::exists(prefix + input)) {
          input = prefix + input;
        }
      }
      std::vector<std::string> paths{input};
      auto summary = ingest::Ingest(**writer, paths, options, nullptr);
      TB_CHECK(summary.ok()) << summary.status().ToString();
    }
    auto opened = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
    TB_CHECK(opened.ok()) << opened.status().ToString();
    return opened->release();
  }();
  return *store;
}

std::string MintTestToken(const auth::testing::TokenFactory& factory, int64_t now_s,
                          const std::vector<std::string>& scopes,
                          const std::vector<std::string>& runbooks,
                          const auth::Constraints& constraints, const std::string& subject) {
  auth::TokenSpec spec;
  spec.issuer = std::string(auth::testing::kTestIssuer);
  spec.audiences = {std::string(auth::testing::kTestAudience)};
  spec.subject = subject;
  spec.runbooks = runbooks.empty() ? std::vector<std::string>{"none.placeholder"} : runbooks;
  spec.scopes = scopes;
  spec.constraints = constraints;
  spec.issued_at_us = now_s * 1000000;
  spec.ttl_us = 600 * int64_t{1000000};
  auto token = auth::MintToken(spec, factory.signer());
  TB_CHECK(token.ok()) << token.status().ToString();
  return *token;
}

}  // namespace trailbook::server::testing
