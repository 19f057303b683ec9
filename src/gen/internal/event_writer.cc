#include "gen/internal/event_writer.h"

#include "base/timestamp.h"
#include "gen/internal/actions.h"
#include "gen/internal/error_model.h"
#include "gen/internal/model.h"
#include "gen/internal/plan.h"

namespace trailbook::gen::internal {
namespace {

constexpr uint64_t kSaltSession = 0x73657373;

bool IsRoleSession(PersonaKind kind) {
  switch (kind) {
    case PersonaKind::kSsoUser:
    case PersonaKind::kSamlUser:
    case PersonaKind::kLambda:
    case PersonaKind::kEc2:
    case PersonaKind::kEcsTask:
    case PersonaKind::kEksPod:
    case PersonaKind::kCiRole:
    case PersonaKind::kVendorRole:
    case PersonaKind::kScannerRole:
    case PersonaKind::kConfigRole: return true;
    default: return false;
  }
}

// Services whose calls VPC workloads often make through interface or gateway endpoints.
bool EndpointService(Service s) {
  switch (s) {
    case Service::kS3:
    case Service::kKms:
    case Service::kSecretsManager:
    case Service::kSsm:
    case Service::kSts:
    case Service::kDynamoDb:
    case Service::kSqs:
    case Service::kLogs:
    case Service::kEcr: return true;
    default: return false;
  }
}

std::string_view ConsoleUserAgent(EventContext& c) {
  const Service s = c.action().service;
  if (s == Service::kS3) {
    return "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 "
           "Linux/5.10.226-192.879.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.422-b05 "
           "java/1.8.0_422 vendor/Oracle_Corporation cfg/retry-mode/standard]";
  }
  if (s == Service::kEc2 && c.rng().Chance(0.5)) return "console.ec2.amazonaws.com";
  return c.rng().Chance(0.7) ? "AWS Internal" : "console.amazonaws.com";
}

void RenderUserAgent(EventContext& c, const UserAgent& ua, std::string* out) {
  const ServiceInfo& svc = GetService(c.action().service);
  const bool s3 = c.action().service == Service::kS3;
  if (s3) out->push_back('[');
  out->append(ua.text);
  switch (ua.legacy ? UaFamily::kCount : ua.family) {
    case UaFamily::kCli:
      out->append(" md/command#").append(svc.cli_name).append(".");
      out->append(c.model().cli_operation(c.action_index()));
      break;
    case UaFamily::kGo:
    case UaFamily::kJsLambda:
    case UaFamily::kTerraform:
      out->append(" api/").append(svc.cli_name).append("#").append(ua.api_version);
      break;
    default: break;
  }
  if (s3) out->push_back(']');
}

void PickHumanIp(const Persona& p, Rng& s, Caller* caller, const Population& pop) {
  if (p.ip_count == 0) return;
  const double x = s.Unit();
  const uint32_t i = x < 0.6 ? 0 : x < 0.8 ? 1 : 2;
  caller->ip = pop.ips[p.ips[i < p.ip_count ? i : 0]];
}

}  // namespace

void ResolveCaller(EventContext& c, uint32_t ip_override, uint32_t ua_override,
                   bool force_console) {
  const Persona& p = c.persona();
  const DatasetModel& model = c.model();
  const Population& pop = model.pop();
  Caller& caller = c.caller();
  caller.session_name.clear();
  caller.access_key.clear();
  caller.arn.clear();
  caller.ip.clear();
  caller.user_agent.clear();
  caller.session_created = 0;
  caller.console = false;
  caller.mfa = p.mfa;
  caller.private_ip = false;

  const int64_t t = c.time() / kMicrosPerSecond;
  const int64_t len = p.session_seconds;
  const int64_t slot = (t + p.session_phase) / len;
  const int64_t slot_start = slot * len - p.session_phase;
  Rng s(DeriveSeed(model.seed(), kSaltSession, p.index, static_cast<uint64_t>(slot)));
  caller.session_created = (slot_start + static_cast<int64_t>(s.Below(30))) * kMicrosPerSecond;
  if (caller.session_created > c.time()) caller.session_created = slot_start * kMicrosPerSecond;
  const std::string& account_id = pop.accounts[p.account].id;

  switch (p.kind) {
    case PersonaKind::kIamAutomation:
      caller.access_key = p.access_key;
      caller.ip = pop.ips[p.ips[0]];
      break;
    case PersonaKind::kIamHuman:
    case PersonaKind::kRoot:
      caller.console = p.kind == PersonaKind::kRoot || p.access_key.empty() ||
                       (p.console && s.Chance(0.55));
      if (caller.console) {
        AppendAwsId(s, "ASIA", 16, &caller.access_key);
      } else {
        caller.access_key = p.access_key;
      }
      PickHumanIp(p, s, &caller, pop);
      break;
    case PersonaKind::kSsoUser:
    case PersonaKind::kSamlUser:
      caller.session_name = p.session_base;
      caller.console = p.console && s.Chance(0.6);
      caller.mfa = false;
      PickHumanIp(p, s, &caller, pop);
      break;
    case PersonaKind::kFederatedUser:
      caller.session_name = p.name;
      caller.console = s.Chance(0.5);
      caller.mfa = false;
      caller.ip = pop.ips[p.ips[0]];
      caller.arn = p.arn;
      break;
    case PersonaKind::kLambda:
      caller.session_name = p.session_base;
      break;
    case PersonaKind::kEc2:
      caller.session_name = pop.accounts[p.account].res.instances.PickOwned(s, p.resource_salt);
      break;
    case PersonaKind::kEcsTask:
      AppendRandom(s, kLowerHex, 32, &caller.session_name);
      break;
    case PersonaKind::kEksPod:
      caller.session_name = "botocore-session-" + std::to_string(slot_start);
      break;
    case PersonaKind::kCiRole:
      caller.session_name = p.session_base == "terraform"
                                ? "terraform-" + std::to_string(slot_start)
                                : p.session_base;
      caller.ip = pop.ips[pop.PickIp(s, IpKind::kCiRunner)];
      break;
    case PersonaKind::kVendorRole:
      caller.session_name = "vendor-integration-" + std::to_string(slot_start);
      caller.ip = pop.ips[p.ips[s.Below(p.ip_count)]];
      break;
    case PersonaKind::kScannerRole:
      caller.session_name = "SecurityAudit-" + std::to_string(slot_start);
      caller.ip = pop.ips[p.ips[0]];
      break;
    case PersonaKind::kConfigRole:
      caller.session_name = p.session_base;
      caller.ip = "config.amazonaws.com";
      caller.user_agent = "config.amazonaws.com";
      break;
    case PersonaKind::kAwsService:
      break;
    case PersonaKind::kAnonymous:
      caller.ip = pop.ips[pop.PickIp(c.rng(), c.rng().Chance(0.9) ? IpKind::kHome : IpKind::kAttacker)];
      break;
    case PersonaKind::kCount: break;
  }
  if (IsRoleSession(p.kind)) {
    AppendAwsId(s, "ASIA", 16, &caller.access_key);
    caller.arn = "arn:aws:sts::" + account_id + ":assumed-role/" + p.name + "/" + caller.session_name;
  } else if (p.kind == PersonaKind::kFederatedUser) {
    AppendAwsId(s, "ASIA", 16, &caller.access_key);
  } else if (p.kind != PersonaKind::kAwsService && p.kind != PersonaKind::kAnonymous) {
    caller.arn = p.arn;
  }
  if (p.mix == MixClass::kWorkload) {
    caller.ip = pop.ips[p.ips[s.Below(p.ip_count == 0 ? 1 : p.ip_count)]];
    if (p.vpc_endpoint && EndpointService(c.action().service) && c.rng().Chance(0.7)) {
      caller.ip.clear();
      AppendIpv4((10u << 24) | static_cast<uint32_t>(s.Below(1u << 18)), &caller.ip);
      caller.private_ip = true;
    }
  }
  if (force_console && IsHumanKind(p.kind) && !caller.console) {
    caller.console = true;
    if (p.kind == PersonaKind::kIamHuman) {
      caller.access_key.clear();
      AppendAwsId(s, "ASIA", 16, &caller.access_key);
    }
  }
  if (ip_override != kNoOverride) {
    caller.ip = pop.ips[ip_override];
    caller.private_ip = false;
  }
  // User agent.
  if (!caller.user_agent.empty()) return;
  if (p.kind == PersonaKind::kAnonymous) {
    const UserAgent& ua = pop.uas[pop.PickUa(c.rng(), UaFamily::kBrowser)];
    caller.user_agent = "[" + ua.text + "]";
    return;
  }
  if (ua_override != kNoOverride) {
    RenderUserAgent(c, pop.uas[ua_override], &caller.user_agent);
    return;
  }
  if (caller.console) {
    caller.user_agent = ConsoleUserAgent(c);
    return;
  }
  if (p.kind == PersonaKind::kAwsService) return;  // the builder's invokedBy decides
  RenderUserAgent(c, pop.uas[p.ua], &caller.user_agent);
}

namespace {

void SessionContext(EventContext& c, json::JsonWriter& w, bool issuer) {
  const Caller& caller = c.caller();
  const Persona& p = c.persona();
  const std::string& account_id = c.pop().accounts[p.account].id;
  w.Key("sessionContext");
  w.BeginObject();
  w.Key("sessionIssuer");
  w.BeginObject();
  if (issuer) {
    const bool federated = p.kind == PersonaKind::kFederatedUser;
    Str(w, "type", federated ? "IAMUser" : "Role");
    if (federated) {
      const Persona* broker = nullptr;
      for (uint32_t id : c.account().by_kind[static_cast<size_t>(PersonaKind::kIamAutomation)]) {
        const Persona& q = c.model().persona(id);
        if (q.name == p.session_base) broker = &q;
      }
      Str(w, "principalId", broker != nullptr ? std::string_view(broker->unique_id) : "AIDAUNKNOWNBROKER0000");
      Str(w, "arn", broker != nullptr ? std::string_view(broker->arn) : std::string_view(p.arn));
      Str(w, "accountId", account_id);
      Str(w, "userName", p.session_base);
    } else {
      Str(w, "principalId", p.unique_id);
      Str(w, "arn", p.arn);
      Str(w, "accountId", account_id);
      Str(w, "userName", p.name);
    }
  }
  w.EndObject();
  w.Key("webIdFederationData");
  w.BeginObject();
  if (p.kind == PersonaKind::kCiRole && p.session_base != "terraform") {
    Str(w, "federatedProvider", c.Cat({"arn:aws:iam::", account_id, ":oidc-provider/token.actions.githubusercontent.com"}));
    EmptyObject(w, "attributes");
  } else if (p.kind == PersonaKind::kEksPod) {
    Str(w, "federatedProvider", c.Cat({"arn:aws:iam::", account_id, ":oidc-provider/oidc.eks.", c.region(), ".amazonaws.com/id/", c.account().res.eks_oidc_id}));
    EmptyObject(w, "attributes");
  }
  w.EndObject();
  w.Key("attributes");
  w.BeginObject();
  Str(w, "creationDate", c.IsoTime(caller.session_created));
  Str(w, "mfaAuthenticated", caller.mfa && caller.console ? "true" : "false");
  w.EndObject();
  if (p.kind == PersonaKind::kEc2) Str(w, "ec2RoleDelivery", "2.0");
  w.EndObject();
}

void WriteIdentity(EventContext& c, json::JsonWriter& w) {
  const Persona& p = c.persona();
  const Caller& caller = c.caller();
  const std::string& account_id = c.pop().accounts[p.account].id;
  w.Key("userIdentity");
  w.BeginObject();
  switch (c.identity()) {
    case IdentityStyle::kCrossAccount:
      Str(w, "type", "AWSAccount");
      Str(w, "principalId", c.cross_principal());
      Str(w, "accountId", c.cross_account());
      w.EndObject();
      return;
    case IdentityStyle::kWebIdentity:
      Str(w, "type", "WebIdentityUser");
      Str(w, "principalId", c.Cat({c.cross_account(), ":sts.amazonaws.com:", c.cross_principal()}));
      Str(w, "userName", c.cross_principal());
      Str(w, "identityProvider", c.cross_account());
      w.EndObject();
      return;
    case IdentityStyle::kSaml:
      Str(w, "type", "SAMLUser");
      Str(w, "principalId", c.Cat({c.cross_account(), ":", c.cross_principal()}));
      Str(w, "userName", c.cross_principal());
      Str(w, "identityProvider", c.cross_account());
      w.EndObject();
      return;
    case IdentityStyle::kSsoPortal: {
      std::string id;
      AppendInt(static_cast<int64_t>(Mix64(p.index) >> 20), &id);
      Str(w, "type", "Unknown");
      Str(w, "principalId", c.Cat({c.cross_account(), "-", id}));
      Str(w, "accountId", account_id);
      Str(w, "userName", c.cross_principal());
      w.EndObject();
      return;
    }
    case IdentityStyle::kHiddenUser:
      Str(w, "type", "IAMUser");
      Str(w, "principalId", "");
      Str(w, "accountId", account_id);
      Str(w, "accessKeyId", "");
      Str(w, "userName", "HIDDEN_DUE_TO_SECURITY_REASONS");
      w.EndObject();
      return;
    case IdentityStyle::kServiceEvent:
      Str(w, "accountId", account_id);
      Str(w, "invokedBy", c.invoked_by());
      w.EndObject();
      return;
    case IdentityStyle::kSignIn:
      if (p.kind == PersonaKind::kIamHuman) {
        Str(w, "type", "IAMUser");
        Str(w, "principalId", p.unique_id);
        Str(w, "arn", p.arn);
        Str(w, "accountId", account_id);
        Str(w, "userName", p.name);
        w.EndObject();
        return;
      }
      if (p.kind == PersonaKind::kRoot) {
        Str(w, "type", "Root");
        Str(w, "principalId", account_id);
        Str(w, "arn", p.arn);
        Str(w, "accountId", account_id);
        Str(w, "accessKeyId", "");
        w.EndObject();
        return;
      }
      break;  // role sessions sign in with their full identity
    case IdentityStyle::kCaller: break;
  }
  switch (p.kind) {
    case PersonaKind::kAwsService:
      Str(w, "type", "AWSService");
      Str(w, "invokedBy", c.invoked_by().empty() ? GetService(c.action().service).host : c.invoked_by());
      w.EndObject();
      return;
    case PersonaKind::kAnonymous:
      Str(w, "type", "AWSAccount");
      Str(w, "principalId", "");
      Str(w, "accountId", "ANONYMOUS_PRINCIPAL");
      w.EndObject();
      return;
    case PersonaKind::kIamHuman:
    case PersonaKind::kIamAutomation:
      Str(w, "type", "IAMUser");
      Str(w, "principalId", p.unique_id);
      Str(w, "arn", p.arn);
      Str(w, "accountId", account_id);
      Str(w, "accessKeyId", caller.access_key);
      Str(w, "userName", p.name);
      if (caller.console) SessionContext(c, w, false);
      break;
    case PersonaKind::kRoot:
      Str(w, "type", "Root");
      Str(w, "principalId", account_id);
      Str(w, "arn", p.arn);
      Str(w, "accountId", account_id);
      Str(w, "accessKeyId", caller.access_key);
      if (caller.console) SessionContext(c, w, false);
      break;
    case PersonaKind::kFederatedUser:
      Str(w, "type", "FederatedUser");
      Str(w, "principalId", p.unique_id);
      Str(w, "arn", p.arn);
      Str(w, "accountId", account_id);
      Str(w, "accessKeyId", caller.access_key);
      SessionContext(c, w, true);
      break;
    default:
      Str(w, "type", "AssumedRole");
      Str(w, "principalId", c.Cat({p.unique_id, ":", caller.session_name}));
      Str(w, "arn", caller.arn);
      Str(w, "accountId", account_id);
      Str(w, "accessKeyId", caller.access_key);
      SessionContext(c, w, true);
      break;
  }
  if (!c.invoked_by().empty()) Str(w, "invokedBy", c.invoked_by());
  else if (p.kind == PersonaKind::kConfigRole) Str(w, "invokedBy", "config.amazonaws.com");
  w.EndObject();
}

}  // namespace

void WriteRecord(EventContext& c, std::string* out) {
  const ActionSpec& spec = c.action();
  const ServiceInfo& svc = GetService(spec.service);
  const Persona& p = c.persona();
  const bool service_event = spec.access == Access::kServiceEvent;
  const bool data = spec.access == Access::kDataRead || spec.access == Access::kDataWrite;
  if (p.kind == PersonaKind::kAwsService && c.invoked_by().empty()) c.SetInvokedBy(svc.host);
  json::JsonWriter& w = c.Envelope();
  w.BeginObject();
  Str(w, "eventVersion", c.model().event_version(c.action_index()));
  WriteIdentity(c, w);
  Str(w, "eventTime", c.IsoTime(c.time()));
  Str(w, "eventSource", svc.host);
  Str(w, "eventName", spec.name);
  Str(w, "awsRegion", c.region());
  const bool via_service = !c.invoked_by().empty();
  Str(w, "sourceIPAddress", via_service ? c.invoked_by() : std::string_view(c.caller().ip));
  Str(w, "userAgent", via_service ? c.invoked_by() : std::string_view(c.caller().user_agent));
  if (c.failed()) {
    const std::string_view code = ErrorCode(c, c.error());
    if (!code.empty()) Str(w, "errorCode", code);
    std::string message;
    AppendErrorMessage(c, c.error(), &message);
    Str(w, "errorMessage", message);
  }
  w.Key("requestParameters");
  if (c.request_json().empty()) {
    w.Null();
  } else {
    w.Raw(c.request_json());
  }
  w.Key("responseElements");
  const bool keep_response = !c.failed() || c.error() == ErrorClass::kFailedAuth;
  if (c.response_json().empty() || !keep_response) {
    w.Null();
  } else {
    w.Raw(c.response_json());
  }
  if (!c.additional_json().empty()) {
    w.Key("additionalEventData");
    w.Raw(c.additional_json());
  }
  if (!c.no_request_id() && !service_event) {
    Str(w, "requestID", spec.service == Service::kS3 ? c.Random(kUpperHex, 16) : c.Uuid());
  }
  Str(w, "eventID", c.Uuid());
  if (!service_event || c.read_only() >= 0) {
    bool read_only = spec.access == Access::kRead || spec.access == Access::kDataRead;
    if (c.read_only() >= 0) read_only = c.read_only() == 1;
    Bool(w, "readOnly", read_only);
  }
  if (!c.resources_json().empty()) {
    w.Key("resources");
    std::string resources = c.resources_json();
    resources.push_back(']');
    w.Raw(resources);
  }
  Str(w, "eventType", service_event                       ? "AwsServiceEvent"
                      : spec.access == Access::kSignIn ? "AwsConsoleSignIn"
                                                       : "AwsApiCall");
  if (!svc.api_version.empty()) Str(w, "apiVersion", svc.api_version);
  Bool(w, "managementEvent", !data);
  Str(w, "recipientAccountId", c.account_id());
  if (c.shared_event_id()) Str(w, "sharedEventID", c.Uuid());
  if (c.caller().private_ip && !via_service) {
    Str(w, "vpcEndpointId", c.account().res.vpc_endpoint);
    Str(w, "vpcEndpointAccountId", c.account_id());
  }
  if (!c.details_json().empty()) {
    w.Key("serviceEventDetails");
    w.Raw(c.details_json());
  }
  Str(w, "eventCategory", data ? "Data" : "Management");
  const bool tls = c.tls() && !service_event && !via_service && p.kind != PersonaKind::kConfigRole;
  if (tls) {
    w.Key("tlsDetails");
    w.BeginObject();
    const bool v13 = c.rng().Chance(0.8);
    Str(w, "tlsVersion", v13 ? "TLSv1.3" : "TLSv1.2");
    Str(w, "cipherSuite", v13 ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256");
    std::string_view host = c.tls_host();
    if (host.empty()) {
      const std::string_view label = svc.host.substr(0, svc.host.find('.'));
      host = svc.global ? c.Cat({label, ".amazonaws.com"}) : c.Cat({label, ".", c.region(), ".amazonaws.com"});
    }
    Str(w, "clientProvidedHostHeader", host);
    w.EndObject();
  }
  if (c.caller().console && spec.access != Access::kSignIn) {
    Str(w, "sessionCredentialFromConsole", "true");
  }
  w.EndObject();
  out->append(w.str());
}

}  // namespace trailbook::gen::internal
