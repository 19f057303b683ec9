#include "audit/audit_event_json.h"

#include <gtest/gtest.h>

#include <string>

#include "audit/audit_log.h"
#include "crypto/digest.h"
#include "ingest/event_normalizer.h"
#include "json/canonical_json.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"

namespace trailbook::audit {
namespace {

AuditStamp Stamp() {
  AuditStamp stamp;
  stamp.sequence = 42;
  stamp.previous_hash = kGenesisHash;
  stamp.event_id = "3f2c1e9a-0b7d-4c2e-9a51-6d8e0f1b2c3d";
  stamp.request_id = "req-from-stamp";
  stamp.event_time_us = 1'700'000'000'123'456;
  stamp.account_id = "000000000000";
  stamp.region = "local";
  return stamp;
}

AuditEvent FullEvent() {
  AuditEvent e;
  e.event_name = "RunRunbook";
  e.principal_id = "alice@example.com";
  e.issuer = "https://issuer.example/";
  e.token_id = "jti-1";
  e.token_sha256 = std::string(64, 'a');
  e.source_ip = "192.0.2.7";
  e.user_agent = "curl/8.0";
  e.request_id = "req-1";
  e.request_parameters_json = R"({"runbookId":"ir.x","parameters":{"b":"2","a":"1"},"dryRun":false})";
  e.response_elements_json = R"({"rows":1,"durationMicros":12})";
  e.additional_event_data_json =
      R"({"verificationSteps":[{"step":"signature","ok":true}],"decision":{"allowed":true,"claim":"scope"},"injectedConstraints":"x"})";
  return e;
}

// The render writes the canonical form directly (no canonicalising pass over the whole
// event), so its output must be a fixed point of the canonicaliser for every member shape:
// optional members present and absent, escapes, non-ASCII and invalid UTF-8 text.
TEST(AuditEventJsonTest, RenderedEventIsCanonical) {
  std::vector<AuditEvent> events;
  events.push_back(FullEvent());
  AuditEvent denied = FullEvent();
  denied.error_code = "AccessDenied";
  denied.error_message = "scope \"runbook:run\" missing\n\ttab \x01 ctrl \\ slash";
  denied.response_elements_json.clear();
  events.push_back(denied);
  AuditEvent bare;
  bare.event_name = "VerifyToken";
  events.push_back(bare);
  AuditEvent unicode = FullEvent();
  unicode.principal_id = "j\xC3\xBCrgen \xE2\x82\xAC \xF0\x9F\x94\x91";
  unicode.user_agent = "bad \xFF\xFE utf8";  // Replaced by U+FFFD.
  unicode.request_id.clear();                 // The stamp's request id is used.
  unicode.additional_event_data_json = "{}";
  events.push_back(unicode);
  json::CanonicalJson canonical;
  for (size_t i = 0; i < events.size(); ++i) {
    Result<std::string> rendered = RenderAuditEventJson(events[i], Stamp(), &canonical);
    ASSERT_TRUE(rendered.ok()) << i << ": " << rendered.status().message();
    Result<std::string> again = json::CanonicalizeJson(*rendered);
    ASSERT_TRUE(again.ok()) << i << ": " << again.status().message();
    EXPECT_EQ(*rendered, *again) << "event " << i << " is not rendered canonical";
    Result<std::string> hash = HashAuditEventJson(*rendered, &canonical);
    ASSERT_TRUE(hash.ok());
    EXPECT_EQ(*hash, crypto::ToHex(crypto::Sha256(*rendered)));
  }
}

TEST(AuditEventJsonTest, ChainFieldsAreReadBackFromTheRenderedEvent) {
  Result<std::string> rendered = RenderAuditEventJson(FullEvent(), Stamp());
  ASSERT_TRUE(rendered.ok()) << rendered.status().message();
  Result<AuditChainFields> fields = ReadAuditChainFields(*rendered);
  ASSERT_TRUE(fields.ok()) << fields.status().message();
  EXPECT_EQ(fields->sequence, 42u);
  EXPECT_EQ(fields->previous_hash, kGenesisHash);
  EXPECT_EQ(fields->event_id, Stamp().event_id);
  EXPECT_EQ(fields->event_time_us, Stamp().event_time_us);
  EXPECT_NE(rendered->find(R"("requestID":"req-1")"), std::string::npos);
  EXPECT_EQ(rendered->find(R"("errorCode")"), std::string::npos) << "no error, no errorCode";
}

TEST(AuditEventJsonTest, RejectsBadMembers) {
  AuditEvent e = FullEvent();
  e.additional_event_data_json = R"({"auditSequence":1})";
  Result<std::string> reserved = RenderAuditEventJson(e, Stamp());
  ASSERT_FALSE(reserved.ok());
  EXPECT_EQ(reserved.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reserved.status().message().find("auditSequence"), std::string::npos);

  e = FullEvent();
  e.request_parameters_json = "[1,2]";
  Result<std::string> array = RenderAuditEventJson(e, Stamp());
  ASSERT_FALSE(array.ok());
  EXPECT_NE(array.status().message().find("requestParameters"), std::string::npos);

  e = FullEvent();
  e.response_elements_json = "{\"rows\":";
  Result<std::string> truncated = RenderAuditEventJson(e, Stamp());
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("responseElements"), std::string::npos);

  for (const char* bad : {"[1]", "{\"a\":", "{\"a\":1,}", "\"text\"", "{\"a\":\"}",
                          "{\"a\":1} {\"b\":2}", "{\"audit\\u0053equence\":1}"}) {
    e = FullEvent();
    e.additional_event_data_json = bad;
    Result<std::string> r = RenderAuditEventJson(e, Stamp());
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("additionalEventData"), std::string::npos)
        << bad << ": " << r.status().message();
  }
  e = FullEvent();
  e.additional_event_data_json = R"({"nested":{"previousEventHash":"mine"}})";
  EXPECT_TRUE(RenderAuditEventJson(e, Stamp()).ok()) << "only top-level names are reserved";
  e.additional_event_data_json = " \n{ }\t";
  EXPECT_TRUE(RenderAuditEventJson(e, Stamp()).ok()) << "an empty object with whitespace";

  e = FullEvent();
  e.event_name.clear();
  EXPECT_EQ(RenderAuditEventJson(e, Stamp()).status().code(), StatusCode::kInvalidArgument);
}

// The audit log stores the row AuditEventRenderer builds from the event's fields; it must be
// the row the normaliser makes of the rendered JSON (what a fold, a re-ingest or any reader
// of the JSON sees), column for column, for every event shape, including those the renderer
// hands to the normaliser itself.
TEST(AuditEventJsonTest, RendererRowEqualsNormalizedJson) {
  std::vector<AuditEvent> events;
  events.push_back(FullEvent());
  AuditEvent denied = FullEvent();
  denied.error_code = "AccessDenied";
  denied.error_message = std::string("scope \"runbook:run\" missing\n\ttab \x01 ctrl \\ nul ") +
                         '\0' + " \x7f end";
  denied.response_elements_json.clear();
  denied.read_only = false;
  events.push_back(denied);
  AuditEvent bare;
  bare.event_name = "VerifyToken";
  events.push_back(bare);
  AuditEvent unicode = FullEvent();
  unicode.principal_id = "j\xC3\xBCrgen \xE2\x82\xAC \xF0\x9F\x94\x91";
  unicode.issuer = "https://\xE2\x80\xA8sep/";
  unicode.request_id.clear();
  unicode.event_time_us = 1'600'000'000'000'001;  // Sub-second: eventTime keeps seconds.
  unicode.additional_event_data_json = R"({"z":[1,2.5,-0,true,null,"s"],"a":{"b":{}},"e":[]})";
  events.push_back(unicode);
  AuditEvent bad_residual_utf8 = FullEvent();  // In the residual (userIdentity.details), which
  bad_residual_utf8.token_id = "jti \xC3";      // keeps the JSON text with its U+FFFD.
  events.push_back(bad_residual_utf8);
  const size_t direct_events = events.size();
  AuditEvent bad_utf8 = FullEvent();  // A string column: the renderer hands it over.
  bad_utf8.user_agent = "bad \xFF\xFE utf8";
  events.push_back(bad_utf8);
  AuditEvent large = FullEvent();  // Over the direct size bound.
  large.response_elements_json = R"({"blob":")" + std::string(100 << 10, 'x') + R"("})";
  events.push_back(large);
  AuditEvent deep = FullEvent();  // Over the direct nesting bound.
  deep.request_parameters_json = "{\"d\":" + std::string(210, '[') + std::string(210, ']') + "}";
  events.push_back(deep);

  AuditEventRenderer renderer;
  storage::RowBatch direct;
  storage::RowBatch normalized;
  ingest::EventNormalizer normalizer;
  for (size_t i = 0; i < events.size(); ++i) {
    std::string json;
    Status rendered = renderer.Render(events[i], Stamp(), &json, &direct);
    ASSERT_TRUE(rendered.ok()) << i << ": " << rendered.message();
    Result<std::string> expected_json = RenderAuditEventJson(events[i], Stamp());
    ASSERT_TRUE(expected_json.ok()) << i;
    EXPECT_EQ(json, *expected_json) << "event " << i << ": JSON differs";
    std::string padded = json + std::string(simdjson::SIMDJSON_PADDING, '\0');
    Status normal = normalizer.Normalize(std::string_view(padded.data(), json.size()), &normalized);
    ASSERT_TRUE(normal.ok()) << i << ": " << normal.message();
  }
  EXPECT_EQ(renderer.direct_rows(), direct_events);
  EXPECT_EQ(renderer.normalized_rows(), events.size() - direct_events);
  ASSERT_EQ(direct.row_count(), events.size());
  ASSERT_EQ(normalized.row_count(), events.size());
  const storage::EventSchema& schema = storage::EventSchema::Get();
  for (size_t row = 0; row < events.size(); ++row) {
    EXPECT_EQ(direct.dedup_key(row), normalized.dedup_key(row)) << "row " << row;
    for (size_t c = 0; c < schema.columns().size(); ++c) {
      int col = static_cast<int>(c);
      const std::string& name = schema.column(col).name;
      switch (storage::BuilderKindFor(schema.column(col))) {
        case storage::BuilderKind::kTimestamp:
          EXPECT_EQ(direct.timestamp(col, row), normalized.timestamp(col, row))
              << "row " << row << " column " << name;
          break;
        case storage::BuilderKind::kBool:
          EXPECT_EQ(direct.bool_code(col, row), normalized.bool_code(col, row))
              << "row " << row << " column " << name;
          break;
        case storage::BuilderKind::kInterned:
        case storage::BuilderKind::kRaw:
          EXPECT_EQ(direct.string(col, row), normalized.string(col, row))
              << "row " << row << " column " << name;
          break;
      }
    }
  }
  // The columns the audit events exercise are really set (the comparison is not NULL = NULL).
  EXPECT_EQ(direct.string(schema.ColumnByPath("userIdentity.principalId"), 0),
            std::optional<std::string_view>("alice@example.com"));
  EXPECT_TRUE(direct.string(schema.residual_column(), 0).has_value());
  EXPECT_EQ(direct.bool_code(schema.ColumnByPath("readOnly"), 1), 1);
  EXPECT_TRUE(direct.string(schema.ColumnByPath("errorMessage"), 1).has_value());
}

TEST(AuditEventJsonTest, RendererRejectsBadMembersWithoutARow) {
  AuditEventRenderer renderer;
  storage::RowBatch rows;
  std::string json;
  AuditEvent e = FullEvent();
  e.request_parameters_json = "[1]";
  Status s = renderer.Render(e, Stamp(), &json, &rows);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("requestParameters"), std::string::npos) << s.message();
  e = FullEvent();
  e.response_elements_json = R"({"blob":")" + std::string(600 << 10, 'x') + R"("})";
  s = renderer.Render(e, Stamp(), &json, &rows);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "over the normaliser's field limit";
  EXPECT_NE(s.message().find("responseElements"), std::string::npos) << s.message();
  EXPECT_EQ(rows.row_count(), 0u);
  EXPECT_TRUE(renderer.Render(FullEvent(), Stamp(), &json, &rows).ok());
  EXPECT_EQ(rows.row_count(), 1u);
}

}  // namespace
}  // namespace trailbook::audit
