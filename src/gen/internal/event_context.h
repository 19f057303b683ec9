// File: gen/internal/event_context.h
//
// EventContext: everything an action builder sees while it writes one CloudTrail record
// (who calls, when, where, which outcome) and the buffers it writes into (requestParameters,
// responseElements, additionalEventData, serviceEventDetails, resources). The envelope
// (event_writer.h) assembles the record afterwards in CloudTrail's field order.
//
//   void BuildGetObject(EventContext& c) {
//     json::JsonWriter& w = c.Req();
//     w.BeginObject(); Str(w, "bucketName", bucket); ... w.EndObject();
//   }
//
// Thread safety: not thread-safe; each worker owns one context and reuses it per event.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "gen/internal/catalog.h"
#include "gen/internal/identifiers.h"
#include "gen/internal/population.h"
#include "gen/internal/random.h"
#include "json/json_writer.h"

namespace trailbook::gen::internal {

class DatasetModel;
struct ActionSpec;
struct Scenario;

// The outcome class of a call; mapped to a service-specific errorCode and errorMessage.
enum class ErrorClass : uint8_t {
  kNone,            // success
  kAccessDenied,    // AccessDenied, AccessDeniedException, Client.UnauthorizedOperation
  kThrottling,      // ThrottlingException, Client.RequestLimitExceeded, TooManyRequests
  kNotFound,        // NoSuchEntity, ResourceNotFoundException, InvalidInstanceID.NotFound
  kValidation,      // ValidationException / ValidationError
  kInvalidParameter,// InvalidParameterValue(Exception)
  kExpiredToken,    // ExpiredToken(Exception)
  kAlreadyExists,   // EntityAlreadyExists, ResourceAlreadyExists, InvalidPermission.Duplicate
  kDryRun,          // Client.DryRunOperation
  kInvalidToken,    // InvalidClientTokenId
  kNoSuchKey,       // S3
  kNoSuchBucket,    // S3
  kFailedAuth,      // ConsoleLogin "Failed authentication"
  kAuto,            // not an outcome: let the background error model decide
};

// How userIdentity is written when it is not the caller's own identity.
enum class IdentityStyle : uint8_t {
  kCaller,        // the persona's identity (with session context when it has a session)
  kCrossAccount,  // AWSAccount: the principal of another account (role assumption, S3 access)
  kWebIdentity,   // WebIdentityUser (AssumeRoleWithWebIdentity)
  kSaml,          // SAMLUser (AssumeRoleWithSAML)
  kSsoPortal,     // Unknown: IAM Identity Center portal user
  kSignIn,        // ConsoleLogin: the user without session context or key
  kHiddenUser,    // ConsoleLogin for a user name that does not exist
  kServiceEvent,  // {accountId, invokedBy}: AwsServiceEvent
};

// The resolved identity of the current call.
struct Caller {
  const Persona* persona = nullptr;
  std::string session_name;  // "" when the identity has no session
  std::string access_key;    // AKIA/ASIA key, or ""
  int64_t session_created = 0;
  std::string arn;           // caller ARN (assumed-role ARN for role sessions)
  std::string ip;            // sourceIPAddress
  std::string user_agent;    // userAgent, fully rendered
  bool console = false;      // console session (sessionCredentialFromConsole)
  bool mfa = false;
  bool private_ip = false;   // call came through a VPC endpoint
};

// Writes `key: value` members. Separate names avoid const char* -> bool overload surprises.
inline void Str(json::JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  w.String(value);
}
inline void Int(json::JsonWriter& w, std::string_view key, int64_t value) {
  w.Key(key);
  w.Int(value);
}
inline void Bool(json::JsonWriter& w, std::string_view key, bool value) {
  w.Key(key);
  w.Bool(value);
}
inline void Null(json::JsonWriter& w, std::string_view key) {
  w.Key(key);
  w.Null();
}
inline void EmptyObject(json::JsonWriter& w, std::string_view key) {
  w.Key(key);
  w.BeginObject();
  w.EndObject();
}
// Writes `key: {"items": [` ; close with EndItems.
inline void BeginItems(json::JsonWriter& w, std::string_view key) {
  w.Key(key);
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
}
inline void EndItems(json::JsonWriter& w) {
  w.EndArray();
  w.EndObject();
}
// Writes a number with one fractional digit, e.g. 500.0 (tenths = 5000).
void Tenths(json::JsonWriter& w, std::string_view key, int64_t tenths);
// Writes a float with two decimals from hundredths (8000 -> 80.0, 1234 -> 12.34).
void Hundredths(json::JsonWriter& w, std::string_view key, int64_t hundredths);

class EventContext {
 public:
  // `model` must outlive the context.
  explicit EventContext(const DatasetModel& model);

  // Prepares the context for one event. `scenario` may be null.
  void Reset(Rng* rng, uint32_t account, std::string_view region, int64_t time_micros,
             uint16_t action, const Persona& persona, ErrorClass error,
             const Scenario* scenario, uint8_t step);

  // ---- inputs ----
  Rng& rng() { return *rng_; }
  const DatasetModel& model() const { return model_; }
  const Population& pop() const;
  const Account& account() const;
  const AccountResources& res() const { return account().res; }
  uint32_t account_index() const { return account_; }
  std::string_view account_id() const;
  std::string_view region() const { return region_; }
  int64_t time() const { return time_; }
  const ActionSpec& action() const;
  uint16_t action_index() const { return action_; }
  const Persona& persona() const { return *caller_.persona; }
  Caller& caller() { return caller_; }
  const Caller& caller() const { return caller_; }
  const Scenario* scenario() const { return scenario_; }
  uint8_t step() const { return step_; }
  ErrorClass error() const { return error_; }
  bool failed() const { return error_ != ErrorClass::kNone; }
  void set_error(ErrorClass error) { error_ = error; }
  // True when the scenario (if any) is of kind `kind`.
  bool InScenario(uint8_t kind) const;

  // ---- outputs: JSON parts (each holds one value, or nothing = null / absent) ----
  json::JsonWriter& Req() { return request_; }
  json::JsonWriter& Res() { return response_; }
  json::JsonWriter& Add() { return additional_; }
  json::JsonWriter& Details() { return details_; }
  // The writer the envelope assembles the whole record in (reused across events).
  json::JsonWriter& Envelope() { return envelope_; }
  // Appends {"accountId","type","ARN"} to resources (accountId omitted when !with_account).
  void Resource(std::string_view type, std::string_view arn, bool with_account = true);

  const std::string& request_json() const { return request_.str(); }
  const std::string& response_json() const { return response_.str(); }
  const std::string& additional_json() const { return additional_.str(); }
  const std::string& details_json() const { return details_.str(); }
  const std::string& resources_json() const { return resources_; }
  std::string_view first_resource_arn() const { return first_resource_arn_; }

  // ---- envelope overrides ----
  void SetIdentity(IdentityStyle style) { identity_ = style; }
  IdentityStyle identity() const { return identity_; }
  void SetInvokedBy(std::string_view host) { invoked_by_ = host; }
  std::string_view invoked_by() const { return invoked_by_; }
  void SetSharedEventId() { shared_event_id_ = true; }
  bool shared_event_id() const { return shared_event_id_; }
  void SetEventType(std::string_view type) { event_type_ = type; }
  std::string_view event_type() const { return event_type_; }
  void SetReadOnly(bool read_only) { read_only_ = read_only ? 1 : 0; }
  int read_only() const { return read_only_; }  // -1: from the action
  void SetNoRequestId() { no_request_id_ = true; }
  bool no_request_id() const { return no_request_id_; }
  void SetCrossAccount(std::string_view account_id, std::string_view principal_id) {
    cross_account_ = account_id;
    cross_principal_ = principal_id;
  }
  std::string_view cross_account() const { return cross_account_; }
  std::string_view cross_principal() const { return cross_principal_; }
  // Names the entity the call is about (user, role), for error messages.
  void SetSubject(std::string_view name) { subject_ = name; }
  std::string_view subject() const { return subject_; }
  void SetTls(bool tls) { tls_ = tls; }
  bool tls() const { return tls_; }
  // Overrides tlsDetails.clientProvidedHostHeader (default "<service>.<region>.amazonaws.com").
  void SetTlsHost(std::string_view host) { tls_host_ = host; }
  std::string_view tls_host() const { return tls_host_; }

  // ---- temporary strings: views stay valid for the next 48 temporaries ----
  std::string_view Uuid();
  std::string_view HexId(std::string_view prefix, size_t n);
  std::string_view AwsId(std::string_view prefix, size_t n);
  std::string_view Random(std::string_view alphabet, size_t n);
  std::string_view Cat(std::initializer_list<std::string_view> parts);
  std::string_view Num(int64_t v);
  // An STS session token (700-1000 characters).
  std::string_view SessionToken();
  // "arn:aws:<service>:<region>:<account>:<resource>"
  std::string_view Arn(std::string_view service, std::string_view resource);
  // "arn:aws:<service>::<account>:<resource>" (IAM, global services)
  std::string_view GlobalArn(std::string_view service, std::string_view resource);
  std::string_view IsoTime(int64_t micros);
  std::string_view JavaTime(int64_t micros);
  // A fresh availability zone of the event's region, e.g. "us-east-1b".
  std::string_view Zone();
  // A private VPC address such as "10.0.12.34".
  std::string_view PrivateIp();

  // Picks a resource: workloads and automation favour their own, people pick by popularity.
  const std::string& Pick(const NamePool& pool);

 private:
  std::string& Temp();

  const DatasetModel& model_;
  Rng* rng_ = nullptr;
  uint32_t account_ = 0;
  std::string_view region_;
  int64_t time_ = 0;
  uint16_t action_ = 0;
  Caller caller_;
  const Scenario* scenario_ = nullptr;
  uint8_t step_ = 0;
  ErrorClass error_ = ErrorClass::kNone;

  json::JsonWriter request_, response_, additional_, details_, envelope_;
  std::string resources_;
  std::string first_resource_arn_;
  IdentityStyle identity_ = IdentityStyle::kCaller;
  std::string_view invoked_by_;
  std::string_view event_type_;
  std::string_view tls_host_;
  std::string_view subject_;
  std::string cross_account_, cross_principal_;
  int read_only_ = -1;
  bool shared_event_id_ = false;
  bool no_request_id_ = false;
  bool tls_ = true;

  static constexpr size_t kTemps = 48;
  std::string temps_[kTemps];
  size_t next_temp_ = 0;
};

}  // namespace trailbook::gen::internal
